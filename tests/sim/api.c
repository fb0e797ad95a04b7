/* Sign-in, home, company, users and the company switch for bezala-sim. */
#include "tests/sim/api.h"

#include <string.h>

#include "tests/sim/data.h"
#include "tests/sim/scope.h"
#include "tests/sim/sso.h"

#define USERS_PER_PAGE_DEFAULT 10
#define USERS_PER_PAGE_MAX 1000

/* No early exit inside the loop; the length may leak, which is fine for
 * demo passwords. An SSO-only user (stored NULL) matches nothing. */
static int password_matches(const char *stored, const char *given)
{
    size_t len;
    unsigned char diff = 0;

    if (stored == NULL) {
        return 0;
    }
    len = strlen(stored);
    if (strlen(given) != len) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        diff |= (unsigned char)(stored[i] ^ given[i]);
    }
    return diff == 0;
}

void sim_api_issue_token(struct sim_call *call, const struct sim_user *user)
{
    char token[SIM_TOKENS_LEN + 1];

    if (user->company_id == 0) {
        sim_call_error(call, 401, "You are not a member of any company.");
    } else if (sim_tokens_issue(call->data->tokens, user->id, token) != 0) {
        sim_call_error(call, 500, "Could not create a token.");
    } else {
        sim_call_reply(call, 200,
                       json_pack("{s:s, s:I, s:O?}", "token", token, "user_id",
                                 (json_int_t)user->id, "receipts_email",
                                 json_object_get(user->obj, "receipts_email")));
        explicit_bzero(token, sizeof(token));
    }
}

/* The SSO refusal comes before the password check, as the service
 * decides it from the email alone; it tells which company is the cause. */
void sim_api_token(struct sim_call *call)
{
    const struct sim_user *user;
    const struct sim_company *sso;
    const char *password;
    json_t *body = NULL;
    char message[SIM_SSO_MESSAGE_MAX];

    if (sim_call_body_object(call, &body) != 0) {
        return;
    }
    user = sim_data_user_by_email(call->data, sim_call_json_str(body, "email"));
    password = sim_call_json_str(body, "password");
    sso = user != NULL ? sim_sso_refusal(call->data, user) : NULL;
    if (password == NULL || sim_call_json_str(body, "email") == NULL) {
        sim_call_error(call, 400, "email and password are required.");
    } else if (sso != NULL) {
        sim_sso_refusal_text(sso, message, sizeof(message));
        sim_call_error(call, 403, message);
    } else if (user == NULL || !password_matches(user->password, password)) {
        sim_call_error(call, 401, "Invalid email or password.");
    } else {
        sim_api_issue_token(call, user);
    }
    json_decref(body);
}

static json_t *membership_json(struct sim_data *data,
                               const struct sim_membership *m)
{
    const struct sim_company *company = sim_data_company(data, m->company_id);
    json_t *obj = json_pack(
        "{s:I, s:I, s:I, s:s, s:O}", "id", (json_int_t)m->id, "user_id",
        (json_int_t)m->user_id, "company_id", (json_int_t)m->company_id,
        "state", m->state, "roles", m->roles);

    if (obj != NULL && !m->hide_company_name) {
        json_object_set_new(obj, "company_name", json_string(company->name));
    }
    return obj;
}

json_t *sim_api_user_json(struct sim_data *data, const struct sim_user *user)
{
    json_t *memberships = json_array();
    json_t *obj;

    for (size_t i = 0; memberships != NULL && i < data->n_memberships; i++) {
        if (data->memberships[i].user_id == user->id) {
            json_array_append_new(memberships,
                                  membership_json(data, &data->memberships[i]));
        }
    }
    obj =
        json_pack("{s:I, s:s, s:s, s:I, s:O?, s:o}", "id", (json_int_t)user->id,
                  "name", user->name, "email", user->email, "company_id",
                  (json_int_t)user->company_id, "last_sign_in_at",
                  json_object_get(user->obj, "last_sign_in_at"), "memberships",
                  memberships);
    return obj;
}

static json_t *active_company_json(struct sim_call *call)
{
    const struct sim_company *company =
        sim_data_company(call->data, call->user->company_id);

    return json_deep_copy(company->obj);
}

void sim_api_home(struct sim_call *call)
{
    json_t *home = json_pack("{s:o, s:o, s:[], s:[], s:[], s:[], s:[]}", "user",
                             sim_api_user_json(call->data, call->user),
                             "company", active_company_json(call), "accounts",
                             "currencies", "vats", "vehicles", "vendors");

    if (home == NULL) {
        sim_call_error(call, 500, "Could not build the answer.");
        return;
    }
    sim_call_reply(call, 200, home);
}

void sim_api_company(struct sim_call *call)
{
    struct sim_scope scope;

    if (sim_scope_of(call, &scope) == 0) {
        sim_call_reply(call, 200, active_company_json(call));
    }
}

static json_t *listed_user_json(const struct sim_user *user,
                                const struct sim_membership *m)
{
    const json_t *obj = user->obj;
    const json_t *count = json_object_get(obj, "sign_in_count");

    return json_pack(
        "{s:I, s:s, s:s, s:O, s:s, s:O?, s:I, s:O?, s:b}", "id",
        (json_int_t)user->id, "name", user->name, "email", user->email, "roles",
        m->roles, "state", m->state, "last_sign_in_at",
        json_object_get(obj, "last_sign_in_at"), "sign_in_count",
        json_is_integer(count) ? json_integer_value(count) : 0, "locale",
        json_object_get(obj, "locale"), "email_is_confirmed",
        !json_is_false(json_object_get(obj, "email_is_confirmed")));
}

/* The page of the active company's members the caller may see: every
 * membership, or (accepted_only) the accepted ones. */
static json_t *users_page(struct sim_call *call, struct sim_call_page *page,
                          bool accepted_only)
{
    json_t *list = json_array();

    for (size_t i = 0; list != NULL && i < call->data->n_memberships; i++) {
        const struct sim_membership *m = &call->data->memberships[i];
        int take;

        if (m->company_id != call->user->company_id ||
            (accepted_only && strcmp(m->state, "accepted") != 0)) {
            continue;
        }
        take = sim_call_page_take(page, list);
        if (take < 0) {
            break;
        }
        if (take > 0) {
            json_array_append_new(
                list, listed_user_json(
                          sim_data_user_by_id(call->data, m->user_id), m));
        }
    }
    return list;
}

void sim_api_users(struct sim_call *call)
{
    const struct sim_company *company =
        sim_data_company(call->data, call->user->company_id);
    struct sim_call_page page;
    struct sim_scope scope;

    if (sim_scope_of(call, &scope) != 0) {
        return;
    }
    if (!scope.sees_all && !company->see_all_users) {
        sim_call_error(call, 403, "You are not allowed to list users.");
        return;
    }
    if (sim_call_page(call, USERS_PER_PAGE_DEFAULT, USERS_PER_PAGE_MAX, false,
                      &page) != 0) {
        return;
    }
    sim_call_reply(call, 200, users_page(call, &page, !scope.sees_all));
}

void sim_api_user_update(struct sim_call *call)
{
    json_t *body = NULL;
    json_t *company_id;

    if (call->id != call->user->id) {
        sim_call_error(call, 403, "You may only change your own user.");
        return;
    }
    if (sim_call_body_object(call, &body) != 0) {
        return;
    }
    company_id = json_object_get(json_object_get(body, "user"), "company_id");
    if (!json_is_integer(company_id)) {
        sim_call_error(call, 422, "user.company_id must be an integer.");
    } else if (!sim_data_is_member(call->data, call->user->id,
                                   json_integer_value(company_id))) {
        sim_call_error(call, 404, "No accepted membership in that company.");
    } else {
        call->user->company_id = json_integer_value(company_id);
        sim_call_reply(call, 200, sim_api_user_json(call->data, call->user));
    }
    json_decref(body);
}
