/* Who may see what in bezala-sim: the caller's role in the active company
 * and the visibility rules for expense items and batches. */
#ifndef BEZALA_SIM_SCOPE_H
#define BEZALA_SIM_SCOPE_H

#include <stdbool.h>

#include "tests/sim/call.h"
#include "tests/sim/data.h"

struct sim_scope {
    long long user_id;
    long long company_id;
    bool sees_all;      /* manager or accountant */
    bool money_checker; /* sees every item in review */
};

/* Fills *out for the caller's active company. Returns 0, or -1 with a
 * 403 reply set when the caller has no accepted membership there. */
int sim_scope_of(struct sim_call *call, struct sim_scope *out);

/* True when item is waiting for the scope's user: in review in their
 * company, and they are named in current_approvers_ids or are the money
 * checker. */
bool sim_scope_waits(const struct sim_scope *scope,
                     const struct sim_item *item);

/* True when the scope's user may see item: their own in any state; for
 * managers and accountants anything but other people's drafts; an item
 * waiting for them (sim_scope_waits). Other companies never. */
bool sim_scope_sees(const struct sim_scope *scope, const struct sim_item *item);

/* True when batch is in the scope's company and holds an item the user
 * may see (own_only: an item of their own). */
bool sim_scope_sees_batch(struct sim_data *data, const struct sim_scope *scope,
                          const struct sim_batch *batch, bool own_only);

#endif
