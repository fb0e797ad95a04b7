/* Receipt listing and lookup for bezala-sim, with role-based visibility. */
#include "tests/sim/receipts.h"

#include <stdio.h>
#include <string.h>

#include "tests/sim/data.h"

#define RECEIPTS_PER_PAGE_DEFAULT 10
#define RECEIPTS_PER_PAGE_MAX 1000

/* Managers and accountants see the whole active company except other
 * people's drafts (a draft is only the submitter's); others see their
 * own receipts. Approvers are not shown the receipts waiting for their
 * approval, as the real service does, so approval views cannot be
 * demonstrated against the sim. */
static int visible(struct sim_call *call, const struct sim_receipt *r)
{
    const struct sim_user *user = call->user;
    const struct sim_membership *own =
        sim_data_membership(call->data, user->id, user->company_id);

    if (r->company_id != user->company_id) {
        return 0;
    }
    if (r->user_id == user->id) {
        return 1;
    }
    if (strcmp(r->state, "draft") == 0) {
        return 0;
    }
    return sim_data_has_role(own, "manager") ||
           sim_data_has_role(own, "accountant");
}

static json_t *receipt_json(struct sim_call *call, const struct sim_receipt *r)
{
    const struct sim_user *owner = sim_data_user_by_id(call->data, r->user_id);
    char tag[40];

    snprintf(tag, sizeof(tag), "receipt-%lld", r->id);
    return json_pack(
        "{s:I, s:s, s:s, s:O, s:O, s:I, s:s, s:s, s:I, s:O, s:O, s:O, s:O}",
        "id", (json_int_t)r->id, "_id", tag, "type", "receipt", "date",
        json_object_get(r->obj, "date"), "description",
        json_object_get(r->obj, "description"), "user_id",
        (json_int_t)r->user_id, "user_name", owner->name, "state", r->state,
        "company_id", (json_int_t)r->company_id, "total_cost",
        json_object_get(r->obj, "total_cost"), "currency",
        json_object_get(r->obj, "currency"), "created_at",
        json_object_get(r->obj, "created_at"), "updated_at",
        json_object_get(r->obj, "updated_at"));
}

/* The stored state a filter value selects; the list filter says
 * "accounting" where the lifecycle says "accounted", so both work. */
static const char *state_filter(const char *value)
{
    static const char *const states[] = {"draft", "reviewing", "unapproved",
                                         "queue", "accounted"};

    if (strcmp(value, "accounting") == 0) {
        return "accounted";
    }
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        if (strcmp(value, states[i]) == 0) {
            return states[i];
        }
    }
    return NULL;
}

static json_t *receipts_page(struct sim_call *call, const char *state,
                             long page, long per_page)
{
    long skip = page > 1000000 ? 1000000000L : (page - 1) * per_page;
    json_t *list = json_array();

    for (size_t i = 0; list != NULL && i < call->data->n_receipts; i++) {
        const struct sim_receipt *r = &call->data->receipts[i];

        if (!visible(call, r) || (state && strcmp(r->state, state) != 0)) {
            continue;
        }
        if (skip > 0) {
            skip--;
            continue;
        }
        if ((long)json_array_size(list) >= per_page) {
            break;
        }
        json_array_append_new(list, receipt_json(call, r));
    }
    return list;
}

void sim_receipts_list(struct sim_call *call)
{
    const char *state_arg = sim_call_arg(call, "state");
    const char *state = NULL;
    long page;
    long per_page;

    if (state_arg != NULL && state_arg[0] != '\0') {
        state = state_filter(state_arg);
        if (state == NULL) {
            sim_call_error(call, 400, "Unknown state filter value.");
            return;
        }
    }
    if (sim_call_arg_count(call, "page", 1, &page) != 0 ||
        sim_call_arg_count(call, "per_page", RECEIPTS_PER_PAGE_DEFAULT,
                           &per_page) != 0) {
        return;
    }
    if (per_page > RECEIPTS_PER_PAGE_MAX) {
        per_page = RECEIPTS_PER_PAGE_MAX;
    }
    sim_call_reply(call, 200, receipts_page(call, state, page, per_page));
}

void sim_receipts_show(struct sim_call *call)
{
    for (size_t i = 0; i < call->data->n_receipts; i++) {
        const struct sim_receipt *r = &call->data->receipts[i];

        if (r->id == call->id && visible(call, r)) {
            sim_call_reply(call, 200, receipt_json(call, r));
            return;
        }
    }
    sim_call_error(call, 404, "Not found.");
}
