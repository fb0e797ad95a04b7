/* bezala-sim single sign-on: the Google, Microsoft and Okta token
 * exchanges of bezala-api.md 2.2 and the companies that enforce SSO. */
#ifndef BEZALA_SIM_SSO_H
#define BEZALA_SIM_SSO_H

#include <stddef.h>

#include "tests/sim/call.h"

struct sim_company;
struct sim_data;
struct sim_user;

/* Room for the 403 text of sim_sso_refusal_text. */
#define SIM_SSO_MESSAGE_MAX 512

/* POST /api/auth/google/token {"email", "google_access_token"},
 * POST /api/auth/microsoft/token {"email", "microsoft_access_token"},
 * POST /api/auth/okta/token {"email", "company_name", "okta_access_token",
 * "okta_url"}: the provider token must be the one data.json gives the
 * user under "sso" (the demo stands in for the provider), and it must
 * belong to the email; Okta also needs company_name and okta_url to be
 * those of a company with "okta_url" where the user is an accepted
 * member. 200 as /api/auth/token; 400 for a body that is not a JSON
 * object, 422 for a missing or empty field, 401 {"error"} otherwise. */
void sim_sso_google(struct sim_call *call);
void sim_sso_microsoft(struct sim_call *call);
void sim_sso_okta(struct sim_call *call);

/* The company that refuses user a password sign-in, or NULL: one where
 * the user has an accepted membership, "password_auth_disabled" is true,
 * the email's domain is its "sso_domain" (case-insensitive), and the user
 * is not "sso_exempt". Borrowed. */
const struct sim_company *sim_sso_refusal(struct sim_data *data,
                                          const struct sim_user *user);

/* Writes "Password sign-in is disabled for <company>: sign in with single
 * sign-on (SSO)." into out (cut to size). */
void sim_sso_refusal_text(const struct sim_company *company, char *out,
                          size_t size);

#endif
