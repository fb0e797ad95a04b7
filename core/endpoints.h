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
#define CORE_EP_TRIPS "/api/trips"
#define CORE_EP_ALLOWANCES "/api/daily_allowances"
#define CORE_EP_REWARDS "/api/rewards"
#define CORE_EP_EXPENSES "/api/expenses"
#define CORE_EP_ARCHIVE "/api/archive"
#define CORE_EP_LEDGER_ACCOUNTS "/api/accounts"
#define CORE_EP_COST_CENTERS "/api/cost_centers"
#define CORE_EP_BATCHES "/api/batch_documents"

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
#define CORE_PER_PAGE_COST_CENTERS 500

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

/* Fields every expense item shares (receipts, trips, allowances,
 * rewards), and the item type names of "type". */
#define CORE_F_TYPE "type"
#define CORE_F_TYPED_ID "_id"
#define CORE_T_RECEIPT "receipt"
#define CORE_T_TRIP "trip"
#define CORE_T_ALLOWANCE "daily_allowance"
#define CORE_T_REWARD "reward"
#define CORE_F_COST_CENTERS "cost_centers"
#define CORE_F_DIMENSION_NAME "dimension_name"
#define CORE_F_APPROVERS "approvers"
#define CORE_F_APPROVED_BY "approved_by"
#define CORE_F_COMMENTS "comments"
#define CORE_F_COMMENT "comment"
#define CORE_F_CREATED_AT "created_at"
#define CORE_F_DISAPPROVE_COMMENT "disapprove_comment"
#define CORE_F_REVERSAL_COMMENT "reversal_comment"
#define CORE_F_DOCUMENTS "documents"
#define CORE_F_ATTACHMENTS "attachments"
#define CORE_F_FILE_NAME "file_name"
#define CORE_F_PAID_AT "paid_at"
#define CORE_F_BATCH_REFERENCE "batch_reference_number"
#define CORE_F_BATCH_DATE "batch_date"

/* Receipts. */
#define CORE_F_VENDOR "vendor"
#define CORE_F_VAT_LINES "vat_lines"
#define CORE_F_VAT_ACCOUNT_NAME "expense_account_name"
#define CORE_F_VAT_PERCENT "vat_percent"
#define CORE_F_VAT_AMOUNT "vat_amount"

/* Trips (entries' cost is in cents). */
#define CORE_F_ENTRIES "entries"
#define CORE_F_DISTANCE "distance"
#define CORE_F_PEOPLE "number_of_people"
#define CORE_F_COST_CENTS "cost_cents"
#define CORE_F_ROUTE "route"
#define CORE_F_EMISSIONS "emissions"
#define CORE_F_VEHICLE "vehicle"

/* Daily allowances (entry times are epoch seconds). */
#define CORE_F_DAYS "number_of_days"
#define CORE_F_SUBTOTAL "subtotal"
#define CORE_F_TAXABLE "taxable"
#define CORE_F_FREE_MEALS_COST "free_meals_cost"
#define CORE_F_FREE_MEAL_DAYS "free_meal_days"
#define CORE_F_HAD_BREAKFAST "had_breakfast"
#define CORE_F_HAD_LUNCH "had_lunch"
#define CORE_F_HAD_DINNER "had_dinner"
#define CORE_F_IS_FULL "is_full"
#define CORE_F_COUNTRY_NAME "country_name"
#define CORE_F_START_TIME "start_time"
#define CORE_F_END_TIME "end_time"

/* Rewards. */
#define CORE_F_REWARD_TYPE "reward_type"
#define CORE_F_TAX_AMOUNT "total_tax_amount"

/* /api/expenses: the waiting-for-me arrays, in the order shown. */
#define CORE_F_RECEIPTS_ON_REVIEW "transactions_on_review"
#define CORE_F_TRIPS_ON_REVIEW "trips_on_review"
#define CORE_F_ALLOWANCES_ON_REVIEW "daily_allowances_on_review"
#define CORE_F_REWARDS_ON_REVIEW "rewards_on_review"

/* /api/archive: one batch per page. */
#define CORE_F_HAS_MORE "has_more_items"
#define CORE_F_RECEIPTS_ACCOUNTED "transactions_in_accounted"
#define CORE_F_TRIPS_ACCOUNTED "trips_in_accounted"
#define CORE_F_ALLOWANCES_ACCOUNTED "daily_allowances_in_accounted"
#define CORE_F_REWARDS_ACCOUNTED "rewards_in_accounted"

/* /api/users beyond the fields above. */
#define CORE_F_SIGN_IN_COUNT "sign_in_count"
#define CORE_F_LOCALE "locale"
#define CORE_F_EMAIL_CONFIRMED "email_is_confirmed"
/* Sensitive fields of a person that the client never keeps or shows. */
#define CORE_F_SSN "ssn"
#define CORE_F_IBAN "iban"
#define CORE_F_BIC "bic"

/* /api/accounts, /api/cost_centers, /api/batch_documents. */
#define CORE_F_CODE "code"
#define CORE_F_ACCOUNTABLE_TYPE "accountable_type"
#define CORE_V_ASSET_ACCOUNT "AssetAccount"
#define CORE_V_EXPENSE_ACCOUNT "ExpenseAccount"
#define CORE_F_DEACTIVATED "deactivated"
#define CORE_F_EXTERNAL_ID "external_id"
#define CORE_F_DEFAULT_VAT_ID "default_vat_id"
#define CORE_F_SHOW_ON_RECEIPT "show_on_receipt_form"
#define CORE_F_REQUIRED_DIMENSION "required_dimension"
#define CORE_F_SEND_TO_ACCOUNTING "send_to_accounting"
#define CORE_F_REFERENCE_NUMBER "reference_number"
#define CORE_F_PDF_URL "pdf_file_url"
#define CORE_F_ITEM_COUNT "item_count"
#define CORE_F_TOTAL "total"

/* /api/company settings. */
#define CORE_F_BUSINESS_ID "business_id"
#define CORE_F_SCHEDULE "schedule"
#define CORE_F_LOCK_UNTIL "lock_until"
#define CORE_F_SEE_ALL_USERS "employees_see_all_users"
#define CORE_F_PASSWORD_AUTH_DISABLED "password_auth_disabled"
#define CORE_F_SHOW_TRIPS "show_trip_form"
#define CORE_F_SHOW_ALLOWANCES "show_daily_allowance_form"
#define CORE_F_SHOW_REWARDS "show_reward_form"
#define CORE_F_SHOW_BUDGETS "show_budgets"
#define CORE_F_OKTA_URL "okta_url"

#endif
