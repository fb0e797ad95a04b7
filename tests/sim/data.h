/* The bezala-sim data set: companies, users, memberships and receipts,
 * loaded once from DIR/data.json and then kept only in memory. */
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

struct sim_receipt {
    long long id;
    long long user_id;
    long long company_id;
    const char *state;
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
};

struct sim_data {
    json_t *root; /* owns every string and object the arrays point into */
    struct sim_company *companies;
    size_t n_companies;
    struct sim_user *users;
    size_t n_users;
    struct sim_membership *memberships;
    size_t n_memberships;
    struct sim_receipt *receipts; /* newest date first, then highest id */
    size_t n_receipts;
    struct sim_tokens *tokens;
    struct sim_fault fault;
};

/* Loads dir/data.json into a new *out (caller frees with sim_data_free).
 * Returns 0, or -1 with a reason in err. */
int sim_data_load(const char *dir, struct sim_data **out, char *err,
                  size_t err_len);

/* Wipes the passwords, frees everything, sets *data to NULL. NULL is ok. */
void sim_data_free(struct sim_data **data);

/* Lookups; NULL when there is no such record. Borrowed. */
struct sim_user *sim_data_user_by_email(struct sim_data *data,
                                        const char *email);
struct sim_user *sim_data_user_by_id(struct sim_data *data, long long id);
struct sim_company *sim_data_company(struct sim_data *data, long long id);
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
