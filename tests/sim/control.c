/* The /sim/ control endpoints: password change, remote switch, token
 * revocation and fault injection. */
#include "tests/sim/control.h"

#include <stdlib.h>
#include <string.h>

#include "tests/sim/data.h"

static void ok(struct sim_call *call)
{
    sim_call_reply(call, 200, json_pack("{s:b}", "ok", 1));
}

/* Parses the body and finds the user it names; NULL with a reply set. */
static struct sim_user *named_user(struct sim_call *call, json_t **body)
{
    struct sim_user *user;

    if (sim_call_body_object(call, body) != 0) {
        return NULL;
    }
    user =
        sim_data_user_by_email(call->data, sim_call_json_str(*body, "email"));
    if (user == NULL) {
        sim_call_error(call, 404, "No user with that email.");
    }
    return user;
}

void sim_control_password(struct sim_call *call)
{
    json_t *body = NULL;
    struct sim_user *user = named_user(call, &body);
    const char *password = sim_call_json_str(body, "password");
    char *copy;

    if (user == NULL) {
        goto out;
    }
    if (password == NULL || password[0] == '\0') {
        sim_call_error(call, 422, "password must be a non-empty string.");
        goto out;
    }
    copy = strdup(password);
    if (copy == NULL) {
        sim_call_error(call, 500, "Out of memory.");
        goto out;
    }
    explicit_bzero(user->password, strlen(user->password));
    free(user->password);
    user->password = copy;
    sim_tokens_revoke_user(call->data->tokens, user->id);
    ok(call);
out:
    json_decref(body);
}

void sim_control_switch(struct sim_call *call)
{
    json_t *body = NULL;
    struct sim_user *user = named_user(call, &body);
    json_t *company_id = json_object_get(body, "company_id");

    if (user == NULL) {
        goto out;
    }
    if (!json_is_integer(company_id)) {
        sim_call_error(call, 422, "company_id must be an integer.");
    } else if (!sim_data_is_member(call->data, user->id,
                                   json_integer_value(company_id))) {
        sim_call_error(call, 404, "No accepted membership in that company.");
    } else {
        user->company_id = json_integer_value(company_id);
        ok(call);
    }
out:
    json_decref(body);
}

void sim_control_revoke(struct sim_call *call)
{
    json_t *body = NULL;
    struct sim_user *user = named_user(call, &body);

    if (user != NULL) {
        sim_tokens_revoke_user(call->data->tokens, user->id);
        ok(call);
    }
    json_decref(body);
}

void sim_control_fault(struct sim_call *call)
{
    json_t *body = NULL;
    json_int_t status;
    json_int_t count;

    if (sim_call_body_object(call, &body) != 0) {
        return;
    }
    status = json_integer_value(json_object_get(body, "status"));
    count = json_integer_value(json_object_get(body, "count"));
    if (status < 400 || status > 599 || count < 0 || count > 1000) {
        sim_call_error(call, 422,
                       "status must be 400..599 and count "
                       "0..1000.");
    } else {
        call->data->fault_status = (unsigned int)status;
        call->data->fault_count = (long)count;
        ok(call);
    }
    json_decref(body);
}
