/* Role scoping for bezala-sim: one place decides which items, batches and
 * lists a caller may see, so that every view agrees. */
#include "tests/sim/scope.h"

#include <string.h>

int sim_scope_of(struct sim_call *call, struct sim_scope *out)
{
    const struct sim_user *user = call->user;
    const struct sim_membership *own =
        sim_data_membership(call->data, user->id, user->company_id);

    if (own == NULL || strcmp(own->state, "accepted") != 0) {
        sim_call_error(call, 403,
                       "Your membership in this company is not accepted.");
        return -1;
    }
    out->user_id = user->id;
    out->company_id = user->company_id;
    out->sees_all = sim_data_has_role(own, "manager") ||
                    sim_data_has_role(own, "accountant");
    out->money_checker = sim_data_has_role(own, "money_checker");
    return 0;
}

static bool named(const json_t *ids, long long user_id)
{
    size_t i;
    const json_t *id;

    json_array_foreach(ids, i, id)
    {
        if (json_integer_value(id) == user_id) {
            return true;
        }
    }
    return false;
}

bool sim_scope_waits(const struct sim_scope *scope, const struct sim_item *item)
{
    if (item->company_id != scope->company_id ||
        strcmp(item->state, "reviewing") != 0) {
        return false;
    }
    return scope->money_checker || named(item->waiting, scope->user_id);
}

bool sim_scope_sees(const struct sim_scope *scope, const struct sim_item *item)
{
    if (item->company_id != scope->company_id) {
        return false;
    }
    if (item->user_id == scope->user_id) {
        return true;
    }
    if (strcmp(item->state, "draft") == 0) {
        return false;
    }
    return scope->sees_all || sim_scope_waits(scope, item);
}

bool sim_scope_sees_batch(struct sim_data *data, const struct sim_scope *scope,
                          const struct sim_batch *batch, bool own_only)
{
    if (batch->company_id != scope->company_id) {
        return false;
    }
    for (int kind = 0; kind < SIM_KIND_COUNT; kind++) {
        for (size_t i = 0; i < data->n_items[kind]; i++) {
            const struct sim_item *item = &data->items[kind][i];

            if (item->batch == NULL || item->company_id != batch->company_id ||
                strcmp(item->batch, batch->reference) != 0) {
                continue;
            }
            if (own_only ? item->user_id == scope->user_id
                         : sim_scope_sees(scope, item)) {
                return true;
            }
        }
    }
    return false;
}
