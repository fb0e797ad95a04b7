/* Freeing and querying the decoded API records. */
#include "core/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void core_model_roles_clear(struct core_roles *roles)
{
    size_t i;

    if (!roles)
        return;
    for (i = 0; i < roles->count; i++)
        free(roles->names[i]);
    free(roles->names);
    roles->names = NULL;
    roles->count = 0;
}

static void membership_clear(struct core_membership *m)
{
    free(m->company_name);
    free(m->state);
    core_model_roles_clear(&m->roles);
    memset(m, 0, sizeof(*m));
}

void core_model_home_clear(struct core_home *home)
{
    size_t i;

    if (!home)
        return;
    free(home->user_name);
    free(home->user_email);
    free(home->company_name);
    for (i = 0; i < home->membership_count; i++)
        membership_clear(&home->memberships[i]);
    free(home->memberships);
    memset(home, 0, sizeof(*home));
}

void core_model_company_clear(struct core_company *company)
{
    if (!company)
        return;
    free(company->name);
    company->name = NULL;
    company->id = 0;
}

const struct core_membership *
core_model_home_membership(const struct core_home *home, int64_t company_id)
{
    size_t i;

    if (!home)
        return NULL;
    for (i = 0; i < home->membership_count; i++) {
        if (home->memberships[i].company_id == company_id)
            return &home->memberships[i];
    }
    return NULL;
}

void core_model_roles_join(const struct core_roles *roles, char *buf,
                           size_t size)
{
    size_t used = 0;
    size_t i;
    int n;

    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    for (i = 0; roles && i < roles->count && used < size; i++) {
        n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                     roles->names[i] ? roles->names[i] : "");
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
