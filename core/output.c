/* JSON texts of the session's data with the product's field names. */
#include "core/output.h"

#include <stdlib.h>

#include <jansson.h>

#include "core/model.h"
#include "core/session.h"

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *roles_json(const struct core_roles *roles)
{
    json_t *array = json_array();
    size_t i;

    for (i = 0; array && roles && i < roles->count; i++)
        json_array_append_new(array, json_string(roles->names[i]));
    return array;
}

/* Renders and frees root; NULL when any part ran out of memory. */
static char *render(json_t *root)
{
    char *text = NULL;

    if (root)
        text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return text;
}

char *core_output_whoami(const struct core_session *session)
{
    const struct core_home *home = core_session_home(session);
    const struct core_membership *m = core_session_active_membership(session);
    int64_t company_id = core_session_company_id(session);
    const char *company_name = NULL;

    if (!session)
        return NULL;
    if (home && home->company_id == company_id)
        company_name = home->company_name;
    if (!company_name && m)
        company_name = m->company_name;
    return render(json_pack(
        "{s:o, s:{s:I, s:o, s:o}, s:{s:o, s:o, s:o}, s:b}", "server",
        str_or_null(core_session_server(session)), "user", "id",
        (json_int_t)(home ? home->user_id : 0), "name",
        str_or_null(home ? home->user_name : NULL), "email",
        str_or_null(home ? home->user_email : core_session_email(session)),
        "company", "id", company_id ? json_integer(company_id) : json_null(),
        "name", str_or_null(company_name), "roles",
        roles_json(m ? &m->roles : NULL), "changed_elsewhere",
        core_session_changed_elsewhere(session)));
}

char *core_output_companies(const struct core_session *session)
{
    const struct core_home *home = core_session_home(session);
    const struct core_membership *m;
    json_t *array = json_array();
    size_t i;

    for (i = 0; array && home && i < home->membership_count; i++) {
        m = &home->memberships[i];
        json_array_append_new(
            array,
            json_pack(
                "{s:I, s:o, s:o, s:o, s:b}", "id", (json_int_t)m->company_id,
                "name", str_or_null(m->company_name), "state",
                str_or_null(m->state), "roles", roles_json(&m->roles), "active",
                m->company_id == core_session_company_id(session)));
    }
    return render(array);
}

char *core_output_accounts(const struct core_output_account *accounts,
                           size_t count)
{
    json_t *array = json_array();
    size_t i;

    for (i = 0; array && accounts && i < count; i++) {
        json_array_append_new(
            array,
            json_pack("{s:o, s:o, s:I, s:b, s:b, s:b}", "server",
                      str_or_null(accounts[i].server), "email",
                      str_or_null(accounts[i].email), "user_id",
                      (json_int_t)accounts[i].user_id, "signed_in",
                      accounts[i].signed_in, "current", accounts[i].current,
                      "service_user", accounts[i].service_user));
    }
    return render(array);
}
