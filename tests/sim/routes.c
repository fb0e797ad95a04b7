/* Matches a request against the route table, checks the caller, and hands
 * the call to its handler. */
#include "tests/sim/routes.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tests/sim/api.h"
#include "tests/sim/control.h"
#include "tests/sim/receipts.h"
#include "tests/sim/sso.h"

enum guard {
    GUARD_NONE,     /* anyone may call */
    GUARD_TOKEN,    /* a valid bearer token */
    GUARD_LOOPBACK, /* a loopback peer (the control endpoints) */
};

struct route {
    const char *method;
    const char *pattern; /* ":id" stands for one positive integer */
    enum guard guard;
    void (*handler)(struct sim_call *call);
};

static const struct route routes[] = {
    {"POST", "/api/auth/token", GUARD_NONE, sim_api_token},
    {"POST", "/api/auth/google/token", GUARD_NONE, sim_sso_google},
    {"POST", "/api/auth/microsoft/token", GUARD_NONE, sim_sso_microsoft},
    {"POST", "/api/auth/okta/token", GUARD_NONE, sim_sso_okta},
    {"GET", "/api/home", GUARD_TOKEN, sim_api_home},
    {"GET", "/api/company", GUARD_TOKEN, sim_api_company},
    {"GET", "/api/users", GUARD_TOKEN, sim_api_users},
    {"PUT", "/api/users/:id", GUARD_TOKEN, sim_api_user_update},
    {"GET", "/api/transactions", GUARD_TOKEN, sim_receipts_list},
    {"GET", "/api/transactions/:id", GUARD_TOKEN, sim_receipts_show},
    {"POST", "/sim/password", GUARD_LOOPBACK, sim_control_password},
    {"POST", "/sim/switch", GUARD_LOOPBACK, sim_control_switch},
    {"POST", "/sim/revoke", GUARD_LOOPBACK, sim_control_revoke},
    {"POST", "/sim/remove", GUARD_LOOPBACK, sim_control_remove},
    {"POST", "/sim/fault", GUARD_LOOPBACK, sim_control_fault},
};

#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

/* Reads up to 18 digits (no leading zero) at *path into *id. */
static int match_id(const char **path, long long *id)
{
    const char *p = *path;
    long long value = 0;
    int digits = 0;

    while (*p >= '0' && *p <= '9' && digits < 18) {
        value = value * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || value == 0 || (*p != '\0' && *p != '/') ||
        **path == '0') {
        return 0;
    }
    *path = p;
    *id = value;
    return 1;
}

static int match(const char *pattern, const char *path, long long *id)
{
    long long found = 0;

    while (*pattern != '\0') {
        if (strncmp(pattern, ":id", 3) == 0) {
            if (!match_id(&path, &found)) {
                return 0;
            }
            pattern += 3;
            continue;
        }
        if (*pattern != *path) {
            return 0;
        }
        pattern++;
        path++;
    }
    if (*path != '\0') {
        return 0;
    }
    *id = found;
    return 1;
}

static void method_not_allowed(struct sim_call *call, const char *path)
{
    struct sim_reply *reply = call->reply;
    long long id = 0;

    for (size_t i = 0; i < N_ROUTES; i++) {
        size_t used = strlen(reply->allow);

        if (match(routes[i].pattern, path, &id)) {
            snprintf(reply->allow + used, sizeof(reply->allow) - used, "%s%s",
                     used ? ", " : "", routes[i].method);
        }
    }
    sim_call_error(call, 405, "Method not allowed for this path.");
}

/* Finds the caller by bearer token. The legacy ?token= query is refused
 * on purpose: a token in a URL leaks into logs and history. */
static int authenticate(struct sim_call *call)
{
    const char *header = call->req->authorization;
    long long user_id;

    if (sim_call_arg(call, "token") != NULL) {
        sim_call_error(call, 401,
                       "A token in the query string is not "
                       "accepted; use the Authorization header.");
        return -1;
    }
    if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0) {
        sim_call_error(call, 401, "Authentication required.");
        return -1;
    }
    user_id = sim_tokens_lookup(call->data->tokens, header + 7);
    call->user = sim_data_user_by_id(call->data, user_id);
    /* A user without a company has no token left (removal revokes
     * them); checked anyway, as every handler needs an active company. */
    if (user_id == 0 || call->user == NULL || call->user->company_id == 0) {
        sim_call_error(call, 401, "Invalid or revoked token.");
        return -1;
    }
    return 0;
}

/* An injected fault answers API calls (never control calls) first. */
static int take_fault(struct sim_call *call)
{
    struct sim_data *data = call->data;

    if (data->fault.count <= 0 || strncmp(call->req->path, "/api/", 5)) {
        return 0;
    }
    if (data->fault.path[0] != '\0' &&
        strcmp(call->req->path, data->fault.path) != 0) {
        return 0;
    }
    data->fault.count--;
    if (data->fault.json != NULL) {
        sim_call_reply(call, data->fault.status,
                       json_deep_copy(data->fault.json));
    } else {
        sim_call_error(call, data->fault.status, "Injected fault.");
    }
    if (data->fault.status == 429) {
        call->reply->retry_after = 1;
    }
    /* Copied: the reply is sent after the data lock is released. */
    memcpy(call->reply->location, data->fault.location,
           sizeof(call->reply->location));
    call->reply->fill = data->fault.fill;
    return 1;
}

static int pass_guard(struct sim_call *call, enum guard guard)
{
    if (guard == GUARD_LOOPBACK && !call->req->loopback) {
        sim_call_error(call, 403, "Control endpoints answer loopback only.");
        return 0;
    }
    if (guard == GUARD_TOKEN && authenticate(call) != 0) {
        return 0;
    }
    return 1;
}

void sim_routes_dispatch(struct sim_data *data, const struct sim_request *req,
                         struct sim_reply *reply)
{
    struct sim_call call = {.data = data, .req = req, .reply = reply};
    int path_known = 0;

    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!match(routes[i].pattern, req->path, &call.id)) {
            continue;
        }
        path_known = 1;
        if (strcmp(routes[i].method, req->method) != 0) {
            continue;
        }
        if (!take_fault(&call) && pass_guard(&call, routes[i].guard)) {
            routes[i].handler(&call);
        }
        return;
    }
    if (path_known) {
        method_not_allowed(&call, req->path);
        return;
    }
    sim_call_error(&call, 404, "Not found.");
}
