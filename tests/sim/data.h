/* The bezala-sim data set: companies, users, memberships, expense items,
 * batches and reference data, loaded once from DIR/data.json and then kept
 * only in memory. */
#ifndef BEZALA_SIM_DATA_H
#define BEZALA_SIM_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "tests/sim/call.h"
#include "tests/sim/tokens.h"

struct sim_company {
    long long id;
    const char *name;
    bool see_all_users;
    bool password_auth_disabled; /* SSO enforced: see sso_domain */
    const char *sso_domain;      /* set when password_auth_disabled */
    const char *okta_url;        /* NULL: no Okta sign-in */
    json_t *obj;                 /* the published company object */
};

struct sim_user {
    long long id;
    const char *name;
    const char *email;
    char *password;       /* the demo password, NULL: SSO only;
                             changed by /sim/password */
    long long company_id; /* the active company; 0 after the last
                             membership was removed */
    bool sso_exempt;      /* may use a password where SSO is enforced */
    json_t *sso;          /* {"google", "microsoft", "okta"} demo tokens,
                             borrowed from obj; NULL: none */
    json_t *obj;          /* the record as loaded */
};

struct sim_membership {
    long long id;
    long long user_id;
    long long company_id;
    const char *state;
    bool hide_company_name;
    json_t *roles;
};

/* The four expense types; each has its own list in data.json and its own
 * API path, and the same lifecycle and visibility rules. */
enum sim_kind {
    SIM_KIND_RECEIPT,
    SIM_KIND_TRIP,
    SIM_KIND_ALLOWANCE,
    SIM_KIND_REWARD,
    SIM_KIND_COUNT
};

/* The names one kind goes by. */
struct sim_kind_info {
    const char *key;    /* its array in data.json: "receipts" */
    const char *type;   /* its "type" and "_id" prefix: "receipt" */
    const char *prefix; /* its path and answer key prefix: "transactions" */
};

/* One expense item of any kind; the strings point into obj. */
struct sim_item {
    long long id;
    enum sim_kind kind;
    long long user_id;
    long long company_id;
    const char *state; /* draft, reviewing, unapproved, queue, accounted */
    const char *date;
    const char *batch;     /* batch_reference_number; NULL unless accounted */
    const json_t *waiting; /* current_approvers_ids: an array of ints */
    json_t *obj;           /* the stored record */
};

/* A sent batch of accounted items (a batch document). */
struct sim_batch {
    long long id;
    long long company_id;
    const char *reference;
    const char *date; /* YYYY-MM-DD */
    json_t *obj;
};

#define SIM_FAULT_PATH_MAX 128

/* What POST /sim/fault asked the next count API calls to answer. */
struct sim_fault {
    unsigned int status;
    long count;
    char location[SIM_CALL_LOCATION_MAX]; /* sent when not empty */
    struct sim_filler fill;
    char path[SIM_FAULT_PATH_MAX]; /* only calls to this path; "" any */
    json_t *json;                  /* owned; the body sent, NULL: error */
    bool raw;                      /* json is a string sent as bare text */
    char content_type[SIM_CALL_TYPE_MAX]; /* with raw */
    long retry_after; /* seconds sent as Retry-After; 0: none */
    long delay_ms;    /* above 0: answered as usual, this much later */
};

/* A /sim/switch set to happen at a later API call. */
struct sim_pending_switch {
    long long user_id;
    long long company_id;
    long calls; /* API calls to come up to the one it happens at; 0: none */
};

struct sim_data {
    json_t *root; /* owns every string and object the arrays point into */
    struct sim_company *companies;
    size_t n_companies;
    struct sim_user *users;
    size_t n_users;
    struct sim_membership *memberships;
    size_t n_memberships;
    struct sim_item *items[SIM_KIND_COUNT]; /* each newest date first, then
                                               highest id */
    size_t n_items[SIM_KIND_COUNT];
    struct sim_batch *batches; /* newest date first, then highest id */
    size_t n_batches;
    json_t *accounts;     /* ledger accounts of every company, borrowed */
    json_t *cost_centers; /* cost centers of every company, borrowed */
    char origin[64];      /* "https://127.0.0.1:PORT" once listening */
    struct sim_tokens *tokens;
    struct sim_fault fault;
    struct sim_pending_switch pending_switch;
    long api_calls;      /* /api/ requests answered, for /sim/stats */
    long in_flight;      /* /api/ requests being answered now */
    long max_concurrent; /* most in_flight at once, for /sim/stats */
    long connections;    /* connections accepted, for /sim/stats */
};

/* Loads dir/data.json into a new *out (caller frees with sim_data_free).
 * Returns 0, or -1 with a reason in err. */
int sim_data_load(const char *dir, struct sim_data **out, char *err,
                  size_t err_len);

/* For the loaders of data.c and records.c: formats the reason into err
 * (err and err_len in scope) and returns -1 from the loader. */
#define SIM_DATA_LOAD_FAIL(...)              \
    do {                                     \
        snprintf(err, err_len, __VA_ARGS__); \
        return -1;                           \
    } while (0)

/* The positive integer obj holds at key, or 0 for anything else. */
long long sim_data_id(const json_t *obj, const char *key);

/* Wipes the passwords, frees everything, sets *data to NULL. NULL is ok. */
void sim_data_free(struct sim_data **data);

/* The names of kind; NULL past SIM_KIND_COUNT. Static. */
const struct sim_kind_info *sim_data_kind(enum sim_kind kind);

/* Lookups; NULL when there is no such record. Borrowed. */
struct sim_user *sim_data_user_by_email(struct sim_data *data,
                                        const char *email);
struct sim_user *sim_data_user_by_id(struct sim_data *data, long long id);
struct sim_company *sim_data_company(struct sim_data *data, long long id);
struct sim_batch *sim_data_batch(struct sim_data *data, long long company_id,
                                 const char *reference);
json_t *sim_data_cost_center(struct sim_data *data, long long id);
struct sim_membership *sim_data_membership(struct sim_data *data,
                                           long long user_id,
                                           long long company_id);

/* Deletes the user's membership in company_id (any state) and revokes
 * every token of the user, as an administrator removing them would. When
 * it was the active company, the first other accepted membership becomes
 * active, or 0 when none is left. Returns 0, or -1 when there is no such
 * membership (nothing changes). */
int sim_data_remove_membership(struct sim_data *data, struct sim_user *user,
                               long long company_id);

/* True when the user has role in the membership. NULL is false. */
bool sim_data_has_role(const struct sim_membership *membership,
                       const char *role);

/* True when the user has an accepted membership in the company. */
bool sim_data_is_member(struct sim_data *data, long long user_id,
                        long long company_id);

#endif
