/* Data records decoded from the Bezala API. They are plain records: every
 * string is owned by the record that holds it and may be NULL where the
 * server left the field out. */
#ifndef BEZALA_CORE_MODEL_H
#define BEZALA_CORE_MODEL_H

#include <stddef.h>
#include <stdint.h>

struct core_roles {
    char **names; /* e.g. "employee", "manager", "accountant" */
    size_t count;
};

/* One company the user belongs to (an entry of user.memberships). */
struct core_membership {
    int64_t id;
    int64_t company_id;
    char *company_name; /* NULL when the server did not publish it */
    char *state;        /* accepted, pending, temporary, declined */
    struct core_roles roles;
};

/* The signed-in user and the company the server has active for them. */
struct core_home {
    int64_t user_id;
    char *user_name;
    char *user_email;
    int64_t company_id; /* the active company */
    char *company_name; /* from home.company; may be NULL */
    struct core_membership *memberships;
    size_t membership_count;
};

/* /api/company: the active company. */
struct core_company {
    int64_t id;
    char *name;
};

void core_model_roles_clear(struct core_roles *roles);
void core_model_home_clear(struct core_home *home);
void core_model_company_clear(struct core_company *company);

/* The membership for company_id in home, or NULL; borrowed from home. */
const struct core_membership *
core_model_home_membership(const struct core_home *home, int64_t company_id);

/* Roles joined with ", " into buf (always NUL-terminated). */
void core_model_roles_join(const struct core_roles *roles, char *buf,
                           size_t size);

#endif
