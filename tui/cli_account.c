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
#include "core/sso.h"
#include "tui/cli.h"
#include "tui/message.h"
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

/* The provider's access token: from standard input or a no-echo prompt;
 * 0 or the exit code. */
static int read_sso_token(const struct tui_options_login *lo,
                          struct base_secret **token)
{
    const char *label = core_sso_provider_label(lo->sso);
    enum base_status status;
    char prompt[64];

    if (lo->sso_token_stdin) {
        status = tui_prompt_secret_fd(STDIN_FILENO, token);
        if (status == BASE_E_USAGE)
            return tui_cli_usage_error("login", "no access token on standard "
                                                "input: pipe it in with a "
                                                "newline");
    } else if (tui_prompt_have_tty()) {
        snprintf(prompt, sizeof(prompt), "%s access token: ", label);
        status = tui_prompt_secret(prompt, token);
    } else {
        return tui_cli_usage_error("login", "no terminal to ask for the "
                                            "access token: use "
                                            "--sso-token-stdin");
    }
    return password_failed(status, false);
}

/* Whether the sign-in was refused for pacing: locally, or by the server
 * with a 429 (core's detail "HTTP 429: ...; wait N s"). */
static bool throttled(enum base_status status, const char *detail)
{
    return status == BASE_E_RATE_LIMITED ||
           (status == BASE_E_SERVER && detail &&
            strncmp(detail, "HTTP 429", 8) == 0);
}

/* A 429: how long to wait when the server said (Retry-After); the wait
 * is said once, at the end. */
static void rate_limited(struct tui_cli *cli, enum base_status status,
                         const char *detail)
{
    long wait = core_session_sign_in_wait_ms(cli->session);
    char said[512];
    char cause[768];
    char *tail;

    snprintf(said, sizeof(said), "%s", detail ? detail : "");
    tail = strstr(said, "; wait ");
    if (tail)
        *tail = '\0';
    tui_message_cause(cause, sizeof(cause), status, said);
    if (wait > 0)
        tui_cli_say(stderr, "bezala: %s: wait %ld s, then try again", cause,
                    (wait + 999) / 1000);
    else
        tui_cli_say(stderr, "bezala: %s: wait a little, then try again", cause);
}

/* Why a sign-in failed, in the words of the server where it sent some;
 * returns the exit code. */
static int login_failed(struct tui_cli *cli, enum base_status status,
                        const struct tui_options_login *lo)
{
    const char *detail = core_session_last_error(cli->session);
    char cause[768];

    if (status == BASE_E_INVALID)
        return tui_cli_usage_error("login", detail);
    if (status == BASE_E_CREDENTIALS && lo->sso >= 0) {
        tui_cli_say(stderr,
                    "bezala: the server refused the %s sign-in (%s): check "
                    "the email and the provider's access token, and try "
                    "again",
                    core_sso_provider_label(lo->sso), detail);
        return base_status_exit_code(status);
    }
    if (status == BASE_E_CREDENTIALS) {
        tui_cli_say(stderr,
                    "bezala: wrong email or password (%s): check them and "
                    "try again",
                    detail);
        return base_status_exit_code(status);
    }
    if (throttled(status, detail)) {
        rate_limited(cli, status, detail);
        return base_status_exit_code(status);
    }
    tui_message_cause(cause, sizeof(cause), status, detail);
    tui_cli_report(cli->ctx, status, cause);
    return base_status_exit_code(status);
}

static int sign_in(struct tui_cli *cli, const struct tui_options_login *lo,
                   const char *email, const struct base_secret *secret)
{
    struct core_sso sso = {.provider = (enum core_sso_provider)lo->sso,
                           .email = email,
                           .access_token = secret,
                           .okta_url = lo->okta_url,
                           .company_name = lo->company_name};
    enum base_status status;
    uint64_t request = 0;

    if (lo->sso >= 0)
        status = core_session_sign_in_sso(cli->session, &sso, &request);
    else
        status = core_session_sign_in(cli->session, email, secret, &request);
    if (status == BASE_OK)
        status = core_session_finish(cli->session, request);
    return status == BASE_OK ? 0 : login_failed(cli, status, lo);
}

static int mark_service(struct tui_cli *cli, const char *email)
{
    const struct tui_context *ctx = cli->ctx;
    enum base_status status;

    status = core_accounts_set_service(ctx->data_dir, ctx->key_dir, ctx->server,
                                       email, true);
    if (status != BASE_OK) {
        tui_cli_report(ctx, status,
                       "signed in, but the service-user mark "
                       "could not be stored");
        return base_status_exit_code(status);
    }
    return 0;
}

static int parse_login(struct tui_cli *cli, int argc, char **argv,
                       struct tui_options_login *lo)
{
    bool from_stdin;
    char err[256];

    if (tui_options_login(argc, argv, lo, err, sizeof(err)) != BASE_OK)
        return tui_cli_usage_error("login", err);
    from_stdin = lo->password_stdin || lo->sso_token_stdin;
    if (from_stdin && cli->ctx->opts->passphrase_fd == STDIN_FILENO)
        return tui_cli_usage_error("login", "standard input cannot carry "
                                            "both the sign-in secret and "
                                            "the passphrase: use another "
                                            "--passphrase-fd");
    return 0;
}

int tui_cli_account_login(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_login lo;
    struct base_secret *secret = NULL;
    char *email = NULL;
    int code;

    code = parse_login(cli, argc, argv, &lo);
    if (code == 0)
        code = read_email(lo.email ? lo.email : cli->ctx->account, &email);
    if (code == 0)
        code = tui_cli_open(cli, false);
    if (code == 0 && lo.sso >= 0)
        code = read_sso_token(&lo, &secret);
    else if (code == 0)
        code = read_password(lo.password_stdin, &secret);
    if (code == 0)
        code = sign_in(cli, &lo, email, secret);
    base_secret_free(&secret);
    if (code == 0 && lo.service_user)
        code = mark_service(cli, core_session_email(cli->session));
    if (code == 0)
        tui_cli_say(stderr, "bezala: signed in to %s as %s%s%s%s",
                    cli->ctx->server, email, lo.sso >= 0 ? " with " : "",
                    lo.sso >= 0 ? core_sso_provider_label(lo.sso) : "",
                    lo.service_user ? " (service user)" : "");
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

static int logout_all(const struct tui_context *ctx)
{
    enum base_status status;

    if (ctx->account)
        return tui_cli_usage_error("logout", "give --account E or --all, "
                                             "not both");
    status = core_accounts_forget_all(ctx->data_dir, ctx->key_dir);
    if (status != BASE_OK) {
        tui_cli_report(ctx, status, NULL);
        return base_status_exit_code(status);
    }
    tui_cli_say(stderr, "bezala: signed out every stored account (the "
                        "accounts stay listed in `bezala accounts`)");
    return 0;
}

int tui_cli_account_logout(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--all", false, NULL, 0}};
    const struct tui_context *ctx = cli->ctx;
    enum base_status status;
    char *email = NULL;
    int code;

    code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);
    if (code != 0)
        return code;
    if (flags[0].seen)
        return logout_all(ctx);
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
        rows[i].service_user = accounts[i].service_user;
    }
    code = tui_cli_print_json(core_output_accounts(rows, count));
    free(rows);
    return code;
}

static int print_accounts_table(const struct core_account *accounts,
                                size_t count, size_t current)
{
    static const char *const headers[] = {"",        "SERVER",    "EMAIL",
                                          "USER ID", "SIGNED IN", "SERVICE"};
    struct tui_table *table = NULL;
    enum base_status status;
    char id[32];
    size_t i;

    status = tui_table_new(6, headers, 1u << 3, &table);
    for (i = 0; i < count && status == BASE_OK; i++) {
        const char *row[6] = {i == current ? "*" : "",
                              accounts[i].server,
                              accounts[i].email,
                              id,
                              accounts[i].signed_in ? "yes" : "no",
                              accounts[i].service_user ? "yes" : ""};

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

/* --mark-service EMAIL or --unmark-service EMAIL on this server. */
static int set_service(const struct tui_context *ctx, const char *email,
                       bool on)
{
    enum base_status status;

    status = core_accounts_set_service(ctx->data_dir, ctx->key_dir, ctx->server,
                                       email, on);
    if (status == BASE_E_AUTH)
        tui_cli_say(stderr,
                    "bezala: no stored account %s on %s: sign it in first "
                    "(`bezala login --email %s --service-user`)",
                    email, ctx->server, email);
    else if (status != BASE_OK)
        tui_cli_report(ctx, status, NULL);
    else
        tui_cli_say(stderr, "bezala: %s on %s is %s", email, ctx->server,
                    on ? "marked as a service user"
                       : "no longer marked as a service user");
    return base_status_exit_code(status);
}

int tui_cli_account_list(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0},
                                       {"--mark-service", true, NULL, 0},
                                       {"--unmark-service", true, NULL, 0}};
    const struct tui_context *ctx = cli->ctx;
    struct core_account *accounts = NULL;
    enum base_status status;
    size_t count = 0;
    size_t current;
    int code;

    code = tui_cli_flags(argc, argv, flags, 3, NULL, 0, NULL);
    if (code != 0)
        return code;
    if (flags[1].seen + flags[2].seen > 1)
        return tui_cli_usage_error("accounts", "give one --mark-service or "
                                               "--unmark-service");
    if (flags[1].seen || flags[2].seen)
        return set_service(ctx, flags[1].seen ? flags[1].value : flags[2].value,
                           flags[1].seen > 0);
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
