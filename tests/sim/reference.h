/* bezala-sim handlers for reference data: ledger accounts, cost centers
 * and batch documents of the active company. */
#ifndef BEZALA_SIM_REFERENCE_H
#define BEZALA_SIM_REFERENCE_H

#include "tests/sim/call.h"

/* GET /api/accounts?page&per_page: a bare array (per_page default 50,
 * at most 1000) for every accepted member; 403 otherwise. */
void sim_reference_accounts(struct sim_call *call);

/* GET /api/cost_centers?page&per_page&skip_pagination: a bare array
 * (per_page default 500, at most 1000; skip_pagination=true: all). */
void sim_reference_cost_centers(struct sim_call *call);

/* GET /api/batch_documents?page&per_page&skip_pagination: managers and
 * accountants get every batch of the company, others the batches holding
 * one of their own items; newest first; per_page default 50, at most
 * 1000. pdf_file_url is under the sim's own https origin, or null. */
void sim_reference_batches(struct sim_call *call);

#endif
