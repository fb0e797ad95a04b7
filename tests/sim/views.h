/* bezala-sim handlers for the grouped views: /api/expenses (approvals and
 * items by state) and /api/archive (accounted items, one batch a page). */
#ifndef BEZALA_SIM_VIEWS_H
#define BEZALA_SIM_VIEWS_H

#include "tests/sim/call.h"

/* GET /api/expenses: for each kind prefix P, P_on_review (items waiting
 * for the caller), P_in_draft, P_in_reviewing, P_in_unapproved and
 * P_in_queue (visible items by state), and batch_dates (ISO times, newest
 * first, of the batches with a visible item). Unpaged. */
void sim_views_expenses(struct sim_call *call);

/* GET /api/archive?page=N: the Nth newest batch holding a visible item,
 * {"has_more_items", "batch_date", "batch_reference_number",
 * "P_in_accounted"...}; past the end the batch fields are null and the
 * arrays empty. ?batch_reference_number=R: that batch, or 404 when it
 * holds nothing visible; has_more_items then tells whether an older
 * visible batch exists. */
void sim_views_archive(struct sim_call *call);

#endif
