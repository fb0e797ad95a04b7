/* bezala-sim handlers for sign-in, the user, the company and the users
 * list (sections 2.1, 3, 4.1, 5 and 10 of bezala-api.md). */
#ifndef BEZALA_SIM_API_H
#define BEZALA_SIM_API_H

#include <jansson.h>

#include "tests/sim/call.h"

/* POST /api/auth/token {"email","password"}: a fresh token; 400 without
 * both fields; 403 when a company of the user enforces SSO for them (see
 * sim_sso_refusal, checked before the password); 401 for a wrong email
 * or password, for an SSO-only user, or with no company left. */
void sim_api_token(struct sim_call *call);

/* Answers a successful sign-in of user: 200 {"token","user_id",
 * "receipts_email"} with a fresh token, or 401 when the user has no
 * company left (every membership removed), 500 when issuing fails. */
void sim_api_issue_token(struct sim_call *call, const struct sim_user *user);

/* GET /api/home: {"user": {...memberships}, "company": {...}, ...}. */
void sim_api_home(struct sim_call *call);

/* GET /api/company: the caller's active company object; 403 without an
 * accepted membership there. */
void sim_api_company(struct sim_call *call);

/* GET /api/users?page&per_page (default 10, at most 1000): managers and
 * accountants get every member of the active company (any membership
 * state); where the company sets employees_see_all_users others get the
 * accepted members; anyone else 403. */
void sim_api_users(struct sim_call *call);

/* PUT /api/users/<own id> {"user": {"company_id": N}}: switches the
 * active company; 403 for another user's id, 404 without an accepted
 * membership in N. */
void sim_api_user_update(struct sim_call *call);

/* The user object with memberships that /api/home and the switch answer;
 * a new reference, or NULL when memory runs out. */
json_t *sim_api_user_json(struct sim_data *data, const struct sim_user *user);

#endif
