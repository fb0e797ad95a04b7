/* bezala-sim handlers for receipts, /api/transactions (section 6.2 of
 * bezala-api.md), scoped by the caller's role in the active company. */
#ifndef BEZALA_SIM_RECEIPTS_H
#define BEZALA_SIM_RECEIPTS_H

#include "tests/sim/call.h"

/* GET /api/transactions?page&per_page&state: a bare array, newest first.
 * per_page defaults to 10 and is clamped to 1000; 400 for a bad number
 * or an unknown state. */
void sim_receipts_list(struct sim_call *call);

/* GET /api/transactions/<id>: the receipt, or 404 when it belongs to
 * another company or the caller's role may not see it. */
void sim_receipts_show(struct sim_call *call);

#endif
