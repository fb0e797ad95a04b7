/* Matches a request against the route table, checks the caller, and hands
 * the call to its handler. */
#include "tests/sim/routes.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tests/sim/api.h"
#include "tests/sim/control.h"
#include "tests/sim/data.h"
#include "tests/sim/items.h"
#include "tests/sim/reference.h"
#include "tests/sim/sso.h"
#include "tests/sim/views.h"

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
    int variant; /* handed to the handler as call->variant */
};

#define ITEM_ROUTES(path, kind)                                       \
    {"GET", "/api/" path, GUARD_TOKEN, sim_items_list, kind},         \
    {                                                                 \
        "GET", "/api/" path "/:id", GUARD_TOKEN, sim_items_show, kind \
    }

static const struct route routes[] = {
    {"POST", "/api/auth/token", GUARD_NONE, sim_api_token, 0},
    {"POST", "/api/auth/google/token", GUARD_NONE, sim_sso_google, 0},
    {"POST", "/api/auth/microsoft/token", GUARD_NONE, sim_sso_microsoft, 0},
    {"POST", "/api/auth/okta/token", GUARD_NONE, sim_sso_okta, 0},
    {"GET", "/api/home", GUARD_TOKEN, sim_api_home, 0},
    {"GET", "/api/company", GUARD_TOKEN, sim_api_company, 0},
    {"GET", "/api/users", GUARD_TOKEN, sim_api_users, 0},
    {"PUT", "/api/users/:id", GUARD_TOKEN, sim_api_user_update, 0},
    ITEM_ROUTES("transactions", SIM_KIND_RECEIPT),
    ITEM_ROUTES("trips", SIM_KIND_TRIP),
    ITEM_ROUTES("daily_allowances", SIM_KIND_ALLOWANCE),
    ITEM_ROUTES("rewards", SIM_KIND_REWARD),
    {"GET", "/api/expenses", GUARD_TOKEN, sim_views_expenses, 0},
    {"GET", "/api/archive", GUARD_TOKEN, sim_views_archive, 0},
    {"GET", "/api/accounts", GUARD_TOKEN, sim_reference_accounts, 0},
    {"GET", "/api/cost_centers", GUARD_TOKEN, sim_reference_cost_centers, 0},
    {"GET", "/api/batch_documents", GUARD_TOKEN, sim_reference_batches, 0},
    {"POST", "/sim/password", GUARD_LOOPBACK, sim_control_password, 0},
    {"POST", "/sim/switch", GUARD_LOOPBACK, sim_control_switch, 0},
    {"POST", "/sim/revoke", GUARD_LOOPBACK, sim_control_revoke, 0},
    {"POST", "/sim/remove", GUARD_LOOPBACK, sim_control_remove, 0},
    {"POST", "/sim/fault", GUARD_LOOPBACK, sim_control_fault, 0},
    {"POST", "/sim/stats", GUARD_LOOPBACK, sim_control_stats, 0},
    {"POST", "/sim/tokens", GUARD_LOOPBACK, sim_control_tokens, 0},
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
    if (data->fault.delay_ms > 0) {
        /* Only later: the call is answered as usual. */
        call->reply->delay_ms = data->fault.delay_ms;
        return 0;
    }
    if (data->fault.json != NULL) {
        sim_call_reply(call, data->fault.status,
                       json_deep_copy(data->fault.json));
    } else {
        sim_call_error(call, data->fault.status, "Injected fault.");
    }
    call->reply->retry_after = data->fault.retry_after;
    call->reply->raw = data->fault.raw;
    memcpy(call->reply->content_type, data->fault.content_type,
           sizeof(call->reply->content_type));
    /* Copied: the reply is sent after the data lock is released. */
    memcpy(call->reply->location, data->fault.location,
           sizeof(call->reply->location));
    call->reply->fill = data->fault.fill;
    return 1;
}

/* A switch set for this API call happens now, before it is answered. */
static void take_pending_switch(struct sim_data *data)
{
    struct sim_pending_switch *p = &data->pending_switch;
    struct sim_user *user;

    if (p->calls <= 0 || --p->calls > 0) {
        return;
    }
    user = sim_data_user_by_id(data, p->user_id);
    if (user != NULL && sim_data_is_member(data, user->id, p->company_id)) {
        user->company_id = p->company_id;
    }
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

    if (strncmp(req->path, "/api/", 5) == 0) {
        data->api_calls++;
        take_pending_switch(data);
    }
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!match(routes[i].pattern, req->path, &call.id)) {
            continue;
        }
        path_known = 1;
        if (strcmp(routes[i].method, req->method) != 0) {
            continue;
        }
        call.variant = routes[i].variant;
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
