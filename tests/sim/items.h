/* bezala-sim handlers for the four expense lists (receipts as
 * /api/transactions, trips, daily allowances, rewards), one table-driven
 * module: the route's variant says which kind. */
#ifndef BEZALA_SIM_ITEMS_H
#define BEZALA_SIM_ITEMS_H

#include <jansson.h>

#include "tests/sim/call.h"
#include "tests/sim/data.h"

/* The published object of item: the stored record with _id, type,
 * user_name, approvers, approved_by and cost_centers filled in. A new
 * reference, or NULL when memory runs out. */
json_t *sim_items_json(struct sim_data *data, const struct sim_item *item);

/* The stored state a state filter value selects ("accounting" and
 * "accounted" both select accounted); NULL for an unknown value. */
const char *sim_items_state(const char *value);

/* GET /api/<prefix>?page&per_page&state, call->variant an enum sim_kind:
 * a bare array of the visible items, newest first; per_page defaults to
 * 10 and is clamped to 1000; 400 for a bad number or an unknown state,
 * 403 without an accepted membership. */
void sim_items_list(struct sim_call *call);

/* GET /api/<prefix>/<id>: the item, or 404 {"error": "Not found."} when
 * it belongs to another company or the caller may not see it. */
void sim_items_show(struct sim_call *call);

#endif
