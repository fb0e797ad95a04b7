/* The data subcommands: whoami, companies, switch, users and receipts,
 * each asking the server and printing a table or JSON. */
#include "tui/cli_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/output.h"
#include "tui/cli.h"
#include "tui/table.h"
#include "tui/text.h"

#define ROLES_MAX 256

static const char *company_name(const struct tui_cli *cli)
{
    const char *name = core_session_company_name(cli->session);

    return name ? name : "none";
}

static int load_home(struct tui_cli *cli)
{
    uint64_t request = 0;
    int code = tui_cli_open(cli, true);

    if (code == 0)
        code = tui_cli_wait(cli, core_session_load_home(cli->session, &request),
                            &request);
    return code;
}

static int finish_table(struct tui_table *table, enum base_status status)
{
    if (status == BASE_OK)
        tui_table_print(table, stdout);
    tui_table_free(&table);
    if (status != BASE_OK)
        tui_cli_report(NULL, status, NULL);
    return base_status_exit_code(status);
}

static void print_field(const char *label, const char *value)
{
    char *safe = tui_text_safe(value ? value : "-");

    printf("%-9s %s\n", label, safe ? safe : "?");
    free(safe);
}

int tui_cli_data_whoami(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0}};
    const struct core_membership *m;
    const struct core_home *home;
    char line[ROLES_MAX + 64];
    char roles[ROLES_MAX] = "";
    int code;

    code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);
    if (code == 0)
        code = load_home(cli);
    if (code != 0)
        return code;
    if (flags[0].seen)
        return tui_cli_print_json(core_output_whoami(cli->session));
    home = core_session_home(cli->session);
    m = core_session_active_membership(cli->session);
    if (m)
        core_model_roles_join(&m->roles, roles, sizeof(roles));
    snprintf(line, sizeof(line), "%s <%s> (id %" PRId64 ")",
             home && home->user_name ? home->user_name : "-",
             home && home->user_email ? home->user_email : "-",
             home ? home->user_id : 0);
    print_field("user:", line);
    snprintf(line, sizeof(line), "%s (id %" PRId64 ")", company_name(cli),
             core_session_company_id(cli->session));
    print_field("company:", line);
    print_field("roles:", roles[0] ? roles : "none");
    print_field("server:", core_session_server(cli->session));
    if (core_session_changed_elsewhere(cli->session))
        print_field("note:", "the active company was changed elsewhere "
                             "(another session switched it)");
    return 0;
}

static enum base_status company_row(struct tui_table *table,
                                    const struct core_membership *m,
                                    int64_t active)
{
    char id[32];
    char name[64];
    char roles[ROLES_MAX] = "";
    const char *row[5] = {m->company_id == active ? "*" : "", id, name,
                          m->state, roles};

    snprintf(id, sizeof(id), "%" PRId64, m->company_id);
    if (m->company_name)
        row[2] = m->company_name;
    else
        snprintf(name, sizeof(name), "Company %" PRId64, m->company_id);
    core_model_roles_join(&m->roles, roles, sizeof(roles));
    return tui_table_add(table, row);
}

int tui_cli_data_companies(struct tui_cli *cli, int argc, char **argv)
{
    static const char *const headers[] = {"", "ID", "NAME", "STATE", "ROLES"};
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0}};
    const struct core_home *home;
    struct tui_table *table = NULL;
    enum base_status status;
    size_t i;
    int code;

    code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);
    if (code == 0)
        code = load_home(cli);
    if (code != 0)
        return code;
    if (flags[0].seen)
        return tui_cli_print_json(core_output_companies(cli->session));
    home = core_session_home(cli->session);
    status = tui_table_new(5, headers, 1u << 1, &table);
    for (i = 0; home && i < home->membership_count && status == BASE_OK; i++)
        status = company_row(table, &home->memberships[i], home->company_id);
    code = finish_table(table, status);
    if (code == 0 && core_session_changed_elsewhere(cli->session))
        tui_cli_say(stderr, "bezala: note: the active company was changed "
                            "elsewhere (another session switched it)");
    return code;
}

static int find_company(struct tui_cli *cli, const char *query,
                        int64_t *company_id)
{
    enum base_status status;

    status = core_session_find_company(cli->session, query, company_id);
    if (status == BASE_E_AMBIGUOUS) {
        tui_cli_say(stderr, "bezala: %s: give the id or more of the name",
                    core_session_last_error(cli->session));
    } else if (status != BASE_OK) {
        tui_cli_say(stderr,
                    "bezala: no company of yours matches '%s': see "
                    "`bezala companies`",
                    query);
        status = BASE_E_USAGE;
    }
    return base_status_exit_code(status);
}

int tui_cli_data_switch(struct tui_cli *cli, int argc, char **argv)
{
    const char *query = NULL;
    int64_t company_id = 0;
    uint64_t request = 0;
    size_t count = 0;
    int code;

    code = tui_cli_flags(argc, argv, NULL, 0, &query, 1, &count);
    if (code == 0 && (count != 1 || query[strspn(query, " \t")] == '\0'))
        return tui_cli_usage_error("switch", "a company id or name is "
                                             "needed: give COMPANY");
    if (code == 0)
        code = load_home(cli);
    if (code == 0)
        code = find_company(cli, query, &company_id);
    if (code == 0)
        code = tui_cli_wait(
            cli, core_session_switch(cli->session, company_id, &request),
            &request);
    if (code == 0)
        tui_cli_say(stdout, "Active company: %s (id %" PRId64 ")",
                    company_name(cli), core_session_company_id(cli->session));
    return code;
}

static enum base_status person_row(struct tui_table *table,
                                   const struct core_person *p)
{
    char id[32];
    char roles[ROLES_MAX] = "";
    const char *row[6] = {id,    p->name,  p->email,
                          roles, p->state, p->last_sign_in_at};

    snprintf(id, sizeof(id), "%" PRId64, p->id);
    core_model_roles_join(&p->roles, roles, sizeof(roles));
    return tui_table_add(table, row);
}

int tui_cli_data_users(struct tui_cli *cli, int argc, char **argv)
{
    static const char *const headers[] = {"ID",    "NAME",  "EMAIL",
                                          "ROLES", "STATE", "LAST SIGN-IN"};
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0}};
    const struct core_person *people;
    struct tui_table *table = NULL;
    enum base_status status;
    uint64_t request = 0;
    size_t count = 0;
    size_t i;
    int code;

    code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);
    if (code == 0)
        code = tui_cli_open(cli, true);
    if (code == 0)
        code = tui_cli_wait(
            cli, core_session_load_users(cli->session, &request), &request);
    if (code != 0)
        return code;
    if (flags[0].seen)
        return tui_cli_print_json(core_output_users(cli->session));
    people = core_session_users(cli->session, &count);
    status = tui_table_new(6, headers, 1u, &table);
    for (i = 0; i < count && status == BASE_OK; i++)
        status = person_row(table, &people[i]);
    return finish_table(table, status);
}

/* 0 when state is NULL (no filter) or a state the API filters by, else 2
 * after a usage error that lists them. */
static int check_state(const char *state)
{
    char reason[256];

    if (!state || core_session_receipt_state_valid(state))
        return 0;
    if (*state)
        snprintf(reason, sizeof(reason),
                 "unknown receipt state '%.40s': use one of %s", state,
                 core_session_receipt_states());
    else
        snprintf(reason, sizeof(reason), "--state needs one of %s",
                 core_session_receipt_states());
    return tui_cli_usage_error("receipts", reason);
}

static int parse_limit(const char *text, size_t *limit)
{
    char *end = NULL;
    unsigned long long value;

    if (!text)
        return 0;
    errno = 0;
    value = strtoull(text, &end, 10);
    if (errno != 0 || !end || *end != '\0' || text[0] == '-' ||
        text[0] == '\0' || value > 1000000)
        return tui_cli_usage_error("receipts",
                                   "--limit needs a number from 0 (no "
                                   "limit) to 1000000");
    *limit = (size_t)value;
    return 0;
}

static enum base_status receipt_row(struct tui_table *table,
                                    const struct core_receipt *r)
{
    char id[32];
    const char *row[7] = {id,          r->date,  r->description, r->amount,
                          r->currency, r->state, r->user_name};

    snprintf(id, sizeof(id), "%" PRId64, r->id);
    return tui_table_add(table, row);
}

int tui_cli_data_receipts(struct tui_cli *cli, int argc, char **argv)
{
    static const char *const headers[] = {
        "ID", "DATE", "DESCRIPTION", "AMOUNT", "CURRENCY", "STATE", "USER"};
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0},
                                       {"--state", true, NULL, 0},
                                       {"--limit", true, NULL, 0}};
    const struct core_receipt *receipts;
    struct tui_table *table = NULL;
    enum base_status status;
    uint64_t request = 0;
    size_t limit = 0;
    size_t count = 0;
    size_t i;
    int code;

    code = tui_cli_flags(argc, argv, flags, 3, NULL, 0, NULL);
    if (code == 0)
        code = check_state(flags[1].value);
    if (code == 0)
        code = parse_limit(flags[2].value, &limit);
    if (code == 0)
        code = tui_cli_open(cli, true);
    if (code == 0)
        code = tui_cli_wait(cli,
                            core_session_load_receipts(
                                cli->session, flags[1].value, limit, &request),
                            &request);
    if (code != 0)
        return code;
    if (flags[0].seen)
        return tui_cli_print_json(core_output_receipts(cli->session));
    receipts = core_session_receipts(cli->session, &count);
    status = tui_table_new(7, headers, 1u | (1u << 3), &table);
    for (i = 0; i < count && status == BASE_OK; i++)
        status = receipt_row(table, &receipts[i]);
    return finish_table(table, status);
}
