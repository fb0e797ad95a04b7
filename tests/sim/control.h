/* bezala-sim control endpoints under /sim/, for tests only: they change
 * server state the way another session or an administrator would. */
#ifndef BEZALA_SIM_CONTROL_H
#define BEZALA_SIM_CONTROL_H

#include "tests/sim/call.h"

/* POST /sim/password {"email","password"}: sets the password and revokes
 * every token of that user. */
void sim_control_password(struct sim_call *call);

/* POST /sim/switch {"email","company_id"}: moves the user's active
 * company, as another session of theirs would; 404 without an accepted
 * membership there. */
void sim_control_switch(struct sim_call *call);

/* POST /sim/revoke {"email"}: revokes every token of that user. */
void sim_control_revoke(struct sim_call *call);

/* POST /sim/fault {"status": 400..599, "count": N}: the next N calls to
 * /api/ answer status with {"error"} (a 429 adds Retry-After: 1);
 * count 0 clears it. */
void sim_control_fault(struct sim_call *call);

#endif
