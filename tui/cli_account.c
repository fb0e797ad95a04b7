/* The account subcommands: login (no secret ever on argv), logout and
 * the list of stored accounts. */
#include "tui/cli_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/accounts.h"
#include "core/output.h"
#include "tui/cli.h"
#include "tui/prompt.h"
#include "tui/table.h"

static int read_email(const char *given, char **email)
{
    enum base_status status;

    if (given && !*given)
        return tui_cli_usage_error("login", "an email address is needed: "
                                            "give --email E");
    if (given) {
        *email = strdup(given);
        return *email ? 0 : 1;
    }
    if (!tui_prompt_have_tty())
        return tui_cli_usage_error("login", "no terminal to ask for the "
                                            "email: use --email E");
    status = tui_prompt_line("Email: ", email);
    if (status != BASE_OK || !**email) {
        if (status == BASE_OK)
            free(*email);
        return tui_cli_usage_error("login", "an email address is needed");
    }
    return 0;
}

/* The exit code for a password that could not be read, after saying
 * why; 0 when it was read. */
static int password_failed(enum base_status status, bool from_stdin)
{
    int sig = tui_prompt_signal();
    char reason[64];

    if (status == BASE_OK)
        return 0;
    if (status == BASE_E_CANCELLED)
        return 128 + (sig ? sig : 2);
    if (status == BASE_E_USAGE && from_stdin)
        return tui_cli_usage_error("login", "no password on standard input: "
                                            "pipe it in with a newline");
    if (status == BASE_E_USAGE) {
        tui_cli_say(stderr, "bezala: no password given: run `bezala login` "
                            "again and type it");
        return 1;
    }
    if (status == BASE_E_INVALID) {
        snprintf(reason, sizeof(reason), "the password is longer than %d bytes",
                 TUI_PROMPT_SECRET_MAX);
        return tui_cli_usage_error("login", reason);
    }
    tui_cli_report(NULL, status, "the password could not be read");
    return base_status_exit_code(status);
}

static int read_password(bool from_stdin, struct base_secret **password)
{
    enum base_status status;

    if (from_stdin)
        status = tui_prompt_secret_fd(STDIN_FILENO, password);
    else if (tui_prompt_have_tty())
        status = tui_prompt_secret("Password: ", password);
    else
        return tui_cli_usage_error("login", "no terminal to ask for the "
                                            "password: use "
                                            "--password-stdin");
    return password_failed(status, from_stdin);
}

int tui_cli_account_login(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--email", true, NULL, 0},
                                       {"--password-stdin", false, NULL, 0}};
    struct base_secret *password = NULL;
    char *email = NULL;
    uint64_t request = 0;
    int code;

    code = tui_cli_flags(argc, argv, flags, 2, NULL, 0, NULL);
    if (code == 0)
        code = read_email(flags[0].value ? flags[0].value : cli->ctx->account,
                          &email);
    if (code == 0)
        code = read_password(flags[1].seen > 0, &password);
    if (code == 0)
        code = tui_cli_open(cli, false);
    if (code == 0)
        code = tui_cli_wait(
            cli, core_session_sign_in(cli->session, email, password, &request),
            &request);
    base_secret_free(&password);
    if (code == 0)
        tui_cli_say(stderr, "bezala: signed in to %s as %s", cli->ctx->server,
                    email);
    free(email);
    return code;
}

/* The current account: --account on this server, else the most recently
 * used one on this server that still has a token, else the most recently
 * used one there; count when there is none. */
static size_t current_index(const struct tui_context *ctx,
                            const struct core_account *accounts, size_t count)
{
    size_t first = count;
    size_t i;

    for (i = 0; i < count; i++) {
        if (strcmp(accounts[i].server, ctx->server) != 0)
            continue;
        if (ctx->account && strcasecmp(accounts[i].email, ctx->account) == 0)
            return i;
        if (!ctx->account && accounts[i].signed_in)
            return i;
        if (!ctx->account && first == count)
            first = i;
    }
    return first;
}

/* The account logout means: --account, or the current one. */
static enum base_status pick_account(const struct tui_context *ctx,
                                     char **email)
{
    struct core_account *accounts = NULL;
    enum base_status status;
    size_t count = 0;
    size_t i;

    if (ctx->account) {
        *email = strdup(ctx->account);
        return *email ? BASE_OK : BASE_E_NOMEM;
    }
    status = core_accounts_list(ctx->data_dir, ctx->key_dir, &accounts, &count);
    if (status != BASE_OK)
        return status;
    i = current_index(ctx, accounts, count);
    status = BASE_E_AUTH;
    if (i < count) {
        *email = strdup(accounts[i].email);
        status = *email ? BASE_OK : BASE_E_NOMEM;
    }
    core_accounts_free(&accounts, count);
    return status;
}

int tui_cli_account_logout(struct tui_cli *cli, int argc, char **argv)
{
    const struct tui_context *ctx = cli->ctx;
    enum base_status status;
    char *email = NULL;
    int code;

    code = tui_cli_flags(argc, argv, NULL, 0, NULL, 0, NULL);
    if (code != 0)
        return code;
    status = pick_account(ctx, &email);
    if (status == BASE_OK)
        status = core_accounts_forget(ctx->data_dir, ctx->key_dir, ctx->server,
                                      email);
    if (status == BASE_E_AUTH) {
        tui_cli_say(stderr,
                    "bezala: no stored account %s%son %s: see "
                    "`bezala accounts`",
                    email ? email : "", email ? " " : "", ctx->server);
    } else if (status != BASE_OK) {
        tui_cli_report(ctx, status, NULL);
    } else {
        tui_cli_say(stderr, "bezala: signed out %s from %s", email,
                    ctx->server);
    }
    free(email);
    return base_status_exit_code(status);
}

static int print_accounts_json(const struct core_account *accounts,
                               size_t count, size_t current)
{
    struct core_output_account *rows = calloc(count + 1, sizeof(*rows));
    size_t i;
    int code;

    if (!rows)
        return tui_cli_print_json(NULL);
    for (i = 0; i < count; i++) {
        rows[i].server = accounts[i].server;
        rows[i].email = accounts[i].email;
        rows[i].user_id = accounts[i].user_id;
        rows[i].signed_in = accounts[i].signed_in;
        rows[i].current = i == current;
    }
    code = tui_cli_print_json(core_output_accounts(rows, count));
    free(rows);
    return code;
}

static int print_accounts_table(const struct core_account *accounts,
                                size_t count, size_t current)
{
    static const char *const headers[] = {"", "SERVER", "EMAIL", "USER ID",
                                          "SIGNED IN"};
    struct tui_table *table = NULL;
    enum base_status status;
    char id[32];
    size_t i;

    status = tui_table_new(5, headers, 1u << 3, &table);
    for (i = 0; i < count && status == BASE_OK; i++) {
        const char *row[5] = {i == current ? "*" : "", accounts[i].server,
                              accounts[i].email, id,
                              accounts[i].signed_in ? "yes" : "no"};

        snprintf(id, sizeof(id), "%lld", (long long)accounts[i].user_id);
        status = tui_table_add(table, row);
    }
    if (status == BASE_OK)
        tui_table_print(table, stdout);
    tui_table_free(&table);
    if (status != BASE_OK)
        tui_cli_report(NULL, status, NULL);
    return base_status_exit_code(status);
}

int tui_cli_account_list(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0}};
    const struct tui_context *ctx = cli->ctx;
    struct core_account *accounts = NULL;
    enum base_status status;
    size_t count = 0;
    size_t current;
    int code;

    code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);
    if (code != 0)
        return code;
    status = core_accounts_list(ctx->data_dir, ctx->key_dir, &accounts, &count);
    if (status != BASE_OK) {
        tui_cli_report(ctx, status, NULL);
        return base_status_exit_code(status);
    }
    current = current_index(ctx, accounts, count);
    if (flags[0].seen)
        code = print_accounts_json(accounts, count, current);
    else if (count == 0)
        tui_cli_say(stderr, "bezala: no stored accounts: run `bezala login`");
    else
        code = print_accounts_table(accounts, count, current);
    core_accounts_free(&accounts, count);
    return code;
}
