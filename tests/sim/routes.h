/* The bezala-sim route table: which handler answers which method and
 * path, and what each route requires (a token, a loopback peer). */
#ifndef BEZALA_SIM_ROUTES_H
#define BEZALA_SIM_ROUTES_H

#include "tests/sim/call.h"
#include "tests/sim/data.h"

/* Answers req into reply (which starts zeroed): 404 for an unknown path,
 * 405 for a known path with another method, 401 without a valid bearer
 * token, 403 for a control path from a peer that is not loopback.
 * The caller holds the data lock. */
void sim_routes_dispatch(struct sim_data *data, const struct sim_request *req,
                         struct sim_reply *reply);

#endif
