/* Reply and argument helpers shared by the bezala-sim handlers. */
#include "tests/sim/call.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void sim_call_reply(struct sim_call *call, unsigned int status, json_t *body)
{
    json_decref(call->reply->body);
    call->reply->status = status;
    call->reply->body = body;
}

void sim_call_error(struct sim_call *call, unsigned int status,
                    const char *message)
{
    sim_call_reply(call, status, json_pack("{s:s}", "error", message));
}

const char *sim_call_arg(const struct sim_call *call, const char *key)
{
    if (call->req->arg == NULL) {
        return NULL;
    }
    return call->req->arg(call->req->conn, key);
}

int sim_call_arg_count(struct sim_call *call, const char *key, long def,
                       long *out)
{
    const char *text = sim_call_arg(call, key);
    char *end = NULL;
    long value;

    if (text == NULL) {
        *out = def;
        return 0;
    }
    errno = 0;
    value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 1) {
        sim_call_error(call, 400,
                       "Query parameters page and per_page "
                       "must be positive integers.");
        return -1;
    }
    *out = value;
    return 0;
}

int sim_call_page(struct sim_call *call, long def, long max, bool allow_all,
                  struct sim_call_page *out)
{
    const char *all = sim_call_arg(call, "skip_pagination");
    long page;
    long per_page;

    if (sim_call_arg_count(call, "page", 1, &page) != 0 ||
        sim_call_arg_count(call, "per_page", def, &per_page) != 0) {
        return -1;
    }
    if (allow_all && all != NULL && strcmp(all, "true") == 0) {
        out->skip = 0;
        out->per_page = LONG_MAX;
        return 0;
    }
    if (per_page > max) {
        per_page = max;
    }
    /* A huge page number is simply past the end. */
    out->skip = page > 1000000 ? 1000000000L : (page - 1) * per_page;
    out->per_page = per_page;
    return 0;
}

int sim_call_page_take(struct sim_call_page *page, const json_t *list)
{
    if (page->skip > 0) {
        page->skip--;
        return 0;
    }
    return (long)json_array_size(list) < page->per_page ? 1 : -1;
}

int sim_call_body_object(struct sim_call *call, json_t **out)
{
    json_error_t error;
    json_t *root;

    root = json_loadb(call->req->body, call->req->body_len,
                      JSON_REJECT_DUPLICATES, &error);
    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        sim_call_error(call, 400, "The request body is not a JSON object.");
        return -1;
    }
    *out = root;
    return 0;
}

const char *sim_call_json_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}
