/* Single sign-on for bezala-sim: provider token exchanges checked against
 * the demo tokens in data.json, and the rule of SSO-enforcing companies. */
#include "tests/sim/sso.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tests/sim/api.h"
#include "tests/sim/data.h"

struct provider {
    const char *key;   /* the member of a user's "sso" object */
    const char *field; /* the body field holding the provider token */
    const char *label; /* for error texts */
    bool okta;         /* also needs company_name and okta_url */
};

static const struct provider google = {"google", "google_access_token",
                                       "Google", false};
static const struct provider microsoft = {"microsoft", "microsoft_access_token",
                                          "Microsoft", false};
static const struct provider okta = {"okta", "okta_access_token", "Okta", true};

/* Compares without an early exit; only the length may leak. */
static bool same_token(const char *stored, const char *given)
{
    size_t len = strlen(stored);
    unsigned char diff = 0;

    if (strlen(given) != len) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        diff |= (unsigned char)(stored[i] ^ given[i]);
    }
    return diff == 0;
}

/* The user the provider token was issued to, or NULL. Every user is
 * compared, so the time does not tell where a match was. */
static struct sim_user *token_owner(struct sim_data *data,
                                    const struct provider *p, const char *token)
{
    struct sim_user *owner = NULL;

    for (size_t i = 0; i < data->n_users; i++) {
        const char *stored =
            json_string_value(json_object_get(data->users[i].sso, p->key));

        if (stored != NULL && same_token(stored, token) && owner == NULL) {
            owner = &data->users[i];
        }
    }
    return owner;
}

/* True when company_name and okta_url name a company with Okta where the
 * user is an accepted member. */
static bool okta_company_ok(struct sim_data *data, const struct sim_user *user,
                            const char *company_name, const char *okta_url)
{
    for (size_t i = 0; i < data->n_memberships; i++) {
        const struct sim_membership *m = &data->memberships[i];
        const struct sim_company *c;

        if (m->user_id != user->id || strcmp(m->state, "accepted") != 0) {
            continue;
        }
        c = sim_data_company(data, m->company_id);
        if (c->okta_url != NULL && strcmp(c->name, company_name) == 0 &&
            strcmp(c->okta_url, okta_url) == 0) {
            return true;
        }
    }
    return false;
}

/* The string field key when present and not empty, else NULL. */
static const char *field(const json_t *body, const char *key)
{
    const char *text = sim_call_json_str(body, key);

    return text != NULL && text[0] != '\0' ? text : NULL;
}

/* Checks the fields the provider needs; 0, or -1 with a 422 reply set. */
static int need_fields(struct sim_call *call, const json_t *body,
                       const struct provider *p)
{
    char message[160];

    if (field(body, "email") != NULL && field(body, p->field) != NULL &&
        (!p->okta || (field(body, "company_name") != NULL &&
                      field(body, "okta_url") != NULL))) {
        return 0;
    }
    snprintf(message, sizeof(message), "email%s and %s are required.",
             p->okta ? ", company_name, okta_url" : "", p->field);
    sim_call_error(call, 422, message);
    return -1;
}

static void exchange(struct sim_call *call, const struct provider *p)
{
    json_t *body = NULL;
    const struct sim_user *owner;
    char message[160];

    if (sim_call_body_object(call, &body) != 0 ||
        need_fields(call, body, p) != 0) {
        goto out;
    }
    owner = token_owner(call->data, p, field(body, p->field));
    if (owner == NULL) {
        snprintf(message, sizeof(message), "The %s access token is not valid.",
                 p->label);
        sim_call_error(call, 401, message);
    } else if (strcasecmp(owner->email, field(body, "email")) != 0) {
        snprintf(message, sizeof(message),
                 "The %s account does not match that email.", p->label);
        sim_call_error(call, 401, message);
    } else if (p->okta &&
               !okta_company_ok(call->data, owner, field(body, "company_name"),
                                field(body, "okta_url"))) {
        sim_call_error(call, 401,
                       "Okta sign-in is not set up for that company and "
                       "Okta URL.");
    } else {
        sim_api_issue_token(call, owner);
    }
out:
    json_decref(body);
}

void sim_sso_google(struct sim_call *call)
{
    exchange(call, &google);
}

void sim_sso_microsoft(struct sim_call *call)
{
    exchange(call, &microsoft);
}

void sim_sso_okta(struct sim_call *call)
{
    exchange(call, &okta);
}

const struct sim_company *sim_sso_refusal(struct sim_data *data,
                                          const struct sim_user *user)
{
    const char *at = strrchr(user->email, '@');

    if (user->sso_exempt || at == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < data->n_memberships; i++) {
        const struct sim_membership *m = &data->memberships[i];
        const struct sim_company *c;

        if (m->user_id != user->id || strcmp(m->state, "accepted") != 0) {
            continue;
        }
        c = sim_data_company(data, m->company_id);
        if (c->password_auth_disabled &&
            strcasecmp(c->sso_domain, at + 1) == 0) {
            return c;
        }
    }
    return NULL;
}

void sim_sso_refusal_text(const struct sim_company *company, char *out,
                          size_t size)
{
    snprintf(out, size,
             "Password sign-in is disabled for %s: sign in with single "
             "sign-on (SSO).",
             company->name);
}
