/* The subcommands about the user and the companies: whoami, companies
 * and switch, each asking the server (or the store with --cached) and
 * printing a table or JSON. */
#include "tui/cli_internal.h"

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

int tui_cli_home(struct tui_cli *cli, const char *command, bool cached,
                 int64_t *saved_at)
{
    enum base_status status;
    uint64_t request = 0;
    int64_t when = 0;
    bool found = false;
    int code = tui_cli_open(cli, true);

    if (code != 0)
        return code;
    if (!cached)
        return tui_cli_wait(cli, core_session_load_home(cli->session, &request),
                            &request);
    status = core_session_load_home_cached(cli->session, &found, &when);
    if (status != BASE_OK) {
        tui_cli_report(cli->ctx, status, core_session_last_error(cli->session));
        return base_status_exit_code(status);
    }
    if (!found) {
        tui_cli_say(stderr,
                    "bezala: nothing cached for %s on %s: run `bezala %s` "
                    "once online first",
                    core_session_email(cli->session), cli->ctx->server,
                    command);
        return base_status_exit_code(BASE_E_IO);
    }
    if (saved_at)
        *saved_at = when;
    return 0;
}

/* The home as --cached asks, saying its age when it came from the
 * store. */
static int load_home(struct tui_cli *cli, const char *command, bool cached)
{
    int64_t saved_at = 0;
    int code = tui_cli_home(cli, command, cached, &saved_at);

    if (code == 0 && cached)
        tui_cli_cached_note(saved_at);
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
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0},
                                       {"--cached", false, NULL, 0}};
    const struct core_membership *m;
    const struct core_home *home;
    char line[ROLES_MAX + 64];
    char roles[ROLES_MAX] = "";
    int code;

    code = tui_cli_flags(argc, argv, flags, 2, NULL, 0, NULL);
    if (code == 0)
        code = load_home(cli, argv[0], flags[1].seen > 0);
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
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0},
                                       {"--cached", false, NULL, 0}};
    const struct core_home *home;
    struct tui_table *table = NULL;
    enum base_status status;
    size_t i;
    int code;

    code = tui_cli_flags(argc, argv, flags, 2, NULL, 0, NULL);
    if (code == 0)
        code = load_home(cli, argv[0], flags[1].seen > 0);
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
        code = load_home(cli, argv[0], false);
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
