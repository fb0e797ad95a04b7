/* The /sim/ control endpoints: password change, remote switch, token
 * revocation, removal from a company and fault injection. */
#include "tests/sim/control.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/data.h"
#include "tests/sim/server.h"

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
    if (user->password != NULL) {
        explicit_bzero(user->password, strlen(user->password));
        free(user->password);
    }
    user->password = copy;
    sim_tokens_revoke_user(call->data->tokens, user->id);
    ok(call);
out:
    json_decref(body);
}

/* Like named_user, for a body that also names an integer company_id
 * (set in *company). */
static struct sim_user *named_user_company(struct sim_call *call, json_t **body,
                                           long long *company)
{
    struct sim_user *user = named_user(call, body);
    json_t *company_id = json_object_get(*body, "company_id");

    if (user != NULL && !json_is_integer(company_id)) {
        sim_call_error(call, 422, "company_id must be an integer.");
        return NULL;
    }
    *company = user != NULL ? json_integer_value(company_id) : 0;
    return user;
}

/* An optional integer member in lo..hi into *out; false when it is
 * there but not such an integer. */
static bool int_in(const json_t *body, const char *key, json_int_t lo,
                   json_int_t hi, json_int_t *out)
{
    const json_t *v = json_object_get(body, key);

    if (v == NULL) {
        return true;
    }
    *out = json_integer_value(v);
    return json_is_integer(v) && *out >= lo && *out <= hi;
}

/* Switches a user's active company now, or with "at_call": N as the Nth
 * API call from now arrives, before it is answered (so that a test can
 * move the server in the middle of a list). */
void sim_control_switch(struct sim_call *call)
{
    json_t *body = NULL;
    long long company = 0;
    struct sim_user *user = named_user_company(call, &body, &company);
    json_int_t at = 0;

    if (user == NULL) {
        /* answered */
    } else if (!int_in(body, "at_call", 1, 1000, &at)) {
        sim_call_error(call, 422, "at_call must be 1..1000.");
    } else if (!sim_data_is_member(call->data, user->id, company)) {
        sim_call_error(call, 404, "No accepted membership in that company.");
    } else if (at > 0) {
        call->data->pending_switch.user_id = user->id;
        call->data->pending_switch.company_id = company;
        call->data->pending_switch.calls = (long)at;
        ok(call);
    } else {
        user->company_id = company;
        ok(call);
    }
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

static void add_token(const char *token, void *ctx)
{
    json_array_append_new(ctx, json_string(token));
}

void sim_control_tokens(struct sim_call *call)
{
    json_t *body = NULL;
    struct sim_user *user = named_user(call, &body);
    json_t *list;

    if (user != NULL) {
        list = json_array();
        sim_tokens_each(call->data->tokens, user->id, add_token, list);
        sim_call_reply(call, 200, json_pack("{s:o}", "tokens", list));
    }
    json_decref(body);
}

void sim_control_remove(struct sim_call *call)
{
    json_t *body = NULL;
    long long company = 0;
    struct sim_user *user = named_user_company(call, &body, &company);

    if (user == NULL) {
        /* answered */
    } else if (sim_data_remove_membership(call->data, user, company) != 0) {
        sim_call_error(call, 404, "No membership in that company.");
    } else {
        ok(call);
    }
    json_decref(body);
}

static bool is_redirect(json_int_t status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 ||
           status == 308;
}

/* An https URL of printable ASCII that fits the reply, so that it cannot
 * split the header it is sent in. */
static bool location_ok(const char *text)
{
    if (text == NULL || strncmp(text, "https://", 8) != 0 ||
        strlen(text) >= SIM_CALL_LOCATION_MAX) {
        return false;
    }
    for (size_t i = 0; text[i] != '\0'; i++) {
        if (text[i] <= ' ' || text[i] > '~') {
            return false;
        }
    }
    return true;
}

/* Reads body_bytes, chunked and body_valid into *out; 0, or -1 with a
 * 422 reply set. */
static int read_fill(struct sim_call *call, const json_t *body,
                     struct sim_filler *out)
{
    const json_t *bytes = json_object_get(body, "body_bytes");
    const json_t *chunked = json_object_get(body, "chunked");
    const json_t *valid = json_object_get(body, "body_valid");
    json_int_t n = json_integer_value(bytes);

    if ((bytes != NULL && !json_is_integer(bytes)) || n < 0 ||
        n > SIM_FAULT_BODY_MAX ||
        (chunked != NULL && !json_is_boolean(chunked)) ||
        (valid != NULL && !json_is_boolean(valid)) ||
        (n == 0 && (json_is_true(chunked) || json_is_true(valid))) ||
        (n == 1 && json_is_true(valid))) {
        sim_call_error(call, 422,
                       "body_bytes must be 0..67108864 (2 or more when "
                       "body_valid); chunked and body_valid are booleans "
                       "that need body_bytes.");
        return -1;
    }
    out->bytes = (size_t)n;
    out->chunked = json_is_true(chunked);
    out->valid = json_is_true(valid);
    return 0;
}

/* Reads path and json into *out (json is a new reference); 0, or -1
 * with a 422 reply set. */
static int read_target(struct sim_call *call, const json_t *body,
                       struct sim_fault *out)
{
    const json_t *path = json_object_get(body, "path");
    const json_t *json = json_object_get(body, "json");
    const char *text = json_string_value(path);

    if ((path != NULL && (text == NULL || strncmp(text, "/api/", 5) != 0 ||
                          strlen(text) >= sizeof(out->path))) ||
        (json != NULL && (json_is_null(json) || out->fill.bytes > 0))) {
        sim_call_error(call, 422,
                       "path must be an /api/ path under 128 bytes; json "
                       "must not be null and excludes body_bytes.");
        return -1;
    }
    snprintf(out->path, sizeof(out->path), "%s", text != NULL ? text : "");
    out->json = json != NULL ? json_deep_copy(json) : NULL;
    return 0;
}

/* Reads status and location into *out; 0, or -1 with a 422 reply set.
 * status defaults to 200 when a body is generated or given. */
static int read_status(struct sim_call *call, const json_t *body, bool has_fill,
                       struct sim_fault *out)
{
    const json_t *status = json_object_get(body, "status");
    const json_t *location = json_object_get(body, "location");
    json_int_t code = has_fill ? 200 : 0;
    bool ok;

    if (status != NULL) {
        code = json_is_integer(status) ? json_integer_value(status) : 0;
    }
    if (is_redirect(code)) {
        ok = location_ok(json_string_value(location));
    } else {
        ok = location == NULL &&
             ((code >= 400 && code <= 599) || (code == 200 && has_fill));
    }
    if (!ok) {
        sim_call_error(call, 422,
                       "status must be 400..599, 200 with body_bytes, or "
                       "301, 302, 303, 307 or 308 with an https location.");
        return -1;
    }
    out->status = (unsigned int)code;
    snprintf(out->location, sizeof(out->location), "%s",
             location != NULL ? json_string_value(location) : "");
    return 0;
}

/* Printable ASCII under max bytes, so that it cannot split a header. */
static bool header_ok(const char *text, size_t max)
{
    if (text == NULL || text[0] == '\0' || strlen(text) >= max) {
        return false;
    }
    for (size_t i = 0; text[i] != '\0'; i++) {
        if (text[i] < ' ' || text[i] > '~') {
            return false;
        }
    }
    return true;
}

/* Reads text and content_type into *out (the text as a JSON string sent
 * bare); 0, or -1 with a 422 reply set. */
static int read_text(struct sim_call *call, const json_t *body,
                     struct sim_fault *out)
{
    const json_t *text = json_object_get(body, "text");
    const json_t *type = json_object_get(body, "content_type");
    const char *type_text = json_string_value(type);

    if (text == NULL && type == NULL) {
        return 0;
    }
    if (!json_is_string(text) || json_string_length(text) == 0 ||
        json_string_length(text) > SIM_SERVER_TEXT_MAX || out->json != NULL ||
        out->fill.bytes > 0 ||
        (type != NULL && !header_ok(type_text, SIM_CALL_TYPE_MAX))) {
        sim_call_error(call, 422,
                       "text must be a non-empty string up to 65536 bytes, "
                       "without json or body_bytes; content_type a "
                       "printable string under 64 bytes that needs text.");
        return -1;
    }
    out->json = json_deep_copy(text);
    out->raw = true;
    snprintf(out->content_type, sizeof(out->content_type), "%s",
             type_text != NULL ? type_text : "text/html; charset=utf-8");
    return 0;
}

/* Reads retry_after, drop_after and trickle_ms into *out; 0, or -1 with
 * a 422 reply set. A 429 sends Retry-After: 1 unless told otherwise. */
static int read_pacing(struct sim_call *call, const json_t *body,
                       struct sim_fault *out)
{
    json_int_t retry = out->status == 429 ? 1 : 0;
    json_int_t drop = 0;
    json_int_t trickle = 0;
    bool has_fill = out->fill.bytes > 0;

    if (!int_in(body, "retry_after", 0, 86400, &retry) ||
        (retry > 0 && out->status < 400) ||
        !int_in(body, "drop_after", 1, SIM_FAULT_BODY_MAX, &drop) ||
        (drop > 0 && (!has_fill || (size_t)drop >= out->fill.bytes)) ||
        !int_in(body, "trickle_ms", 1, 10000, &trickle) ||
        (trickle > 0 && !has_fill)) {
        sim_call_error(call, 422,
                       "retry_after must be 0..86400 with status 400..599; "
                       "drop_after 1..body_bytes-1 and trickle_ms "
                       "1..10000 need body_bytes.");
        return -1;
    }
    out->retry_after = (long)retry;
    out->fill.drop_after = (size_t)drop;
    out->fill.trickle_ms = (int)trickle;
    return 0;
}

/* {"delay_ms": N, "count": C[, "path": P]}: the next C API calls (to P)
 * are answered as usual, N ms later than the others. 1 when body is such
 * a fault, 0 when it is another, -1 with a 422 reply set. */
static int read_delay(struct sim_call *call, const json_t *body,
                      struct sim_fault *out)
{
    json_int_t delay = 0;
    size_t known = 2 + (json_object_get(body, "path") != NULL);

    if (json_object_get(body, "delay_ms") == NULL) {
        return 0;
    }
    if (!int_in(body, "delay_ms", 1, 60000, &delay) ||
        json_object_size(body) != known) {
        sim_call_error(call, 422,
                       "delay_ms must be 1..60000, with count and an "
                       "optional path only.");
        return -1;
    }
    if (read_target(call, body, out) != 0) {
        return -1;
    }
    out->delay_ms = (long)delay;
    return 1;
}

/* Makes fault (count times) the sim's, in place of the one before. */
static void set_fault(struct sim_call *call, struct sim_fault *fault,
                      json_int_t count)
{
    fault->count = (long)count;
    json_decref(call->data->fault.json);
    call->data->fault = *fault;
    fault->json = NULL;
    ok(call);
}

void sim_control_fault(struct sim_call *call)
{
    json_t *body = NULL;
    struct sim_fault fault = {0};
    json_int_t count;
    int delay = 0;

    if (sim_call_body_object(call, &body) != 0) {
        return;
    }
    count = json_integer_value(json_object_get(body, "count"));
    if (count < 0 || count > 1000) {
        sim_call_error(call, 422, "count must be 0..1000.");
    } else if ((delay = read_delay(call, body, &fault)) != 0) {
        if (delay > 0) {
            set_fault(call, &fault, count);
        }
    } else if (count == 0 && json_object_size(body) == 1) {
        /* {"count": 0} alone clears whatever fault was set. */
        json_decref(call->data->fault.json);
        memset(&call->data->fault, 0, sizeof(call->data->fault));
        ok(call);
    } else if (read_fill(call, body, &fault.fill) == 0 &&
               read_target(call, body, &fault) == 0 &&
               read_text(call, body, &fault) == 0 &&
               read_status(call, body,
                           fault.fill.bytes > 0 || fault.json != NULL,
                           &fault) == 0 &&
               read_pacing(call, body, &fault) == 0) {
        set_fault(call, &fault, count);
    }
    json_decref(fault.json);
    json_decref(body);
}

void sim_control_stats(struct sim_call *call)
{
    json_t *body = NULL;
    json_t *reset;

    if (sim_call_body_object(call, &body) != 0) {
        return;
    }
    reset = json_object_get(body, "reset");
    if (reset != NULL && !json_is_boolean(reset)) {
        sim_call_error(call, 422, "reset must be a boolean.");
    } else {
        sim_call_reply(
            call, 200,
            json_pack("{s:I,s:I,s:I,s:I}", "api_calls",
                      (json_int_t)call->data->api_calls, "fault_left",
                      (json_int_t)call->data->fault.count, "max_concurrent",
                      (json_int_t)call->data->max_concurrent, "connections",
                      (json_int_t)call->data->connections));
        if (json_is_true(reset)) {
            call->data->api_calls = 0;
            call->data->max_concurrent = 0;
            call->data->connections = 0;
        }
    }
    json_decref(body);
}

int sim_control_fault_text(struct sim_data *data, const char *json, char *err,
                           size_t err_len)
{
    struct sim_request req = {.method = "POST",
                              .path = "/sim/fault",
                              .body = json,
                              .body_len = strlen(json),
                              .loopback = true};
    struct sim_reply reply = {.status = 500};
    struct sim_call call = {.data = data, .req = &req, .reply = &reply};
    const char *why;

    sim_control_fault(&call);
    why = json_string_value(json_object_get(reply.body, "error"));
    if (reply.status != 200) {
        snprintf(err, err_len, "--fault: %s", why ? why : "refused");
    }
    json_decref(reply.body);
    return reply.status == 200 ? 0 : -1;
}
