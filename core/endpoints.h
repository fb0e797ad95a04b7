/* The one table of the API contract the client assumes (bezala-api.md,
 * section 10): every path, query parameter and field name lives here, so
 * that a correction to the contract is a one-line change. */
#ifndef BEZALA_CORE_ENDPOINTS_H
#define BEZALA_CORE_ENDPOINTS_H

/* Paths. CORE_EP_USER takes the user id as a long long. */
#define CORE_EP_SIGN_IN "/api/auth/token"
#define CORE_EP_AUTH_PREFIX "/api/auth/"
#define CORE_EP_SSO_GOOGLE "/api/auth/google/token"
#define CORE_EP_SSO_MICROSOFT "/api/auth/microsoft/token"
#define CORE_EP_SSO_OKTA "/api/auth/okta/token"
#define CORE_EP_HOME "/api/home"
#define CORE_EP_COMPANY "/api/company"
#define CORE_EP_USERS "/api/users"
#define CORE_EP_USER "/api/users/%lld"
#define CORE_EP_RECEIPTS "/api/transactions"

/* Paging: 1-based page, explicit per_page, end at a short page. */
#define CORE_Q_PAGE "page"
#define CORE_Q_PER_PAGE "per_page"
#define CORE_Q_STATE "state"
/* The values the state filter of the operational lists accepts (the
 * reference spells "accounting" where the lifecycle says "accounted";
 * both are taken). */
#define CORE_RECEIPT_STATES \
    "draft", "reviewing", "unapproved", "queue", "accounting", "accounted"
#define CORE_PER_PAGE 100

/* Sign-in request and answer. */
#define CORE_F_EMAIL "email"
#define CORE_F_PASSWORD "password"
#define CORE_F_TOKEN "token"
#define CORE_F_USER_ID "user_id"

/* SSO token exchange (bezala-api.md 2.2): email plus the provider's
 * access token; Okta also names the company and its issuer URL. The
 * answer is the sign-in answer above. */
#define CORE_F_SSO_GOOGLE "google_access_token"
#define CORE_F_SSO_MICROSOFT "microsoft_access_token"
#define CORE_F_SSO_OKTA "okta_access_token"
#define CORE_F_SSO_OKTA_URL "okta_url"
#define CORE_F_SSO_COMPANY "company_name"

/* Error bodies. */
#define CORE_F_ERROR "error"
#define CORE_F_ERRORS "errors"
#define CORE_F_MESSAGE "message"

/* /api/home and /api/company. */
#define CORE_F_USER "user"
#define CORE_F_COMPANY "company"
#define CORE_F_ID "id"
#define CORE_F_NAME "name"
#define CORE_F_COMPANY_ID "company_id"
#define CORE_F_MEMBERSHIPS "memberships"
#define CORE_F_COMPANY_NAME "company_name"
#define CORE_F_STATE "state"
#define CORE_F_ROLES "roles"
#define CORE_F_ROLE_LEGACY "role"

/* Switching: the body of PUT CORE_EP_USER is {"user":{"company_id":N}}. */
#define CORE_F_SWITCH_WRAP CORE_F_USER
#define CORE_F_SWITCH_FIELD CORE_F_COMPANY_ID

/* /api/users. */
#define CORE_F_LAST_SIGN_IN "last_sign_in_at"

/* /api/transactions: the amount is the first of these present. */
#define CORE_F_DATE "date"
#define CORE_F_DESCRIPTION "description"
#define CORE_F_USER_NAME "user_name"
#define CORE_F_AMOUNT_1 "total_cost"
#define CORE_F_AMOUNT_2 "amount"
#define CORE_F_CURRENCY "currency"
#define CORE_F_CURRENCY_ALT "cost_currency"
#define CORE_F_CURRENCY_CODE "code"
#define CORE_F_COUNTRY "country"

#endif
