/* Subcommand dispatch, usage texts, and the one-line messages that name
 * the cause and the next step. */
#include "tui/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/accounts.h"
#include "core/view.h"
#include "tui/cli_doctor.h"
#include "tui/cli_internal.h"
#include "tui/message.h"
#include "tui/text.h"

struct command {
    const char *name;
    int (*run)(struct tui_cli *cli, int argc, char **argv);
    const char *usage;   /* lines as they are printed */
    const char *brief;   /* one sentence for the overview */
    const char *summary; /* one paragraph, wrapped when printed */
};

#define CACHED_OPT \
    "\n  --cached     from the store, without the network; says how old"
#define CACHED_HELP CACHED_OPT
#define EXPENSE_USAGE(name) name " [--json] [--state S] [--limit N] [--cached]"
#define LIMIT_HELP(what) \
    "  --limit N    at most N " what " (0, the default: all)" CACHED_OPT
#define EXPENSE_HELP(what)                                                   \
    "\n"                                                                     \
    "  --state S    only " what " in state S (draft, reviewing,\n"           \
    "               unapproved, queue, accounting, accounted)\n" LIMIT_HELP( \
        what)

static const struct command commands[] = {
    {"login", tui_cli_account_login,
     "login [--email E] [--password-stdin] [--service-user]\n"
     "       bezala login --sso google|microsoft|okta --email E "
     "--sso-token-stdin\n"
     "             [--okta-url U --company-name N] [--service-user]",
     "sign in with email and password, or with a single sign-on "
     "provider's access token.",
     "sign in with email and password, or exchange a single sign-on "
     "provider's access token (Google, Microsoft, Okta) for a Bezala "
     "token. Secrets are read without echo from the terminal, or from "
     "standard input with --password-stdin / --sso-token-stdin; never from "
     "the command line. The provider token is used once and never stored. "
     "--service-user marks the account as an integration user."},
    {"logout", tui_cli_account_logout, "logout [--account E | --all]",
     "forget the stored token of one account, or of every account.",
     "forget the stored token of one account, or of every account."},
    {"accounts", tui_cli_account_list,
     "accounts [--json] [--mark-service EMAIL | --unmark-service EMAIL]",
     "list the stored accounts; mark or unmark service users.",
     "stored accounts: server, email, user id, signed in, service user; "
     "--mark-service / --unmark-service set the service-user mark."},
    {"whoami", tui_cli_data_whoami, "whoami [--json] [--cached]",
     "show the user, the active company and your roles in it.",
     "user, active company and roles in it; says when the company was "
     "changed elsewhere." CACHED_HELP},
    {"companies", tui_cli_data_companies, "companies [--json] [--cached]",
     "list your companies; * marks the active one.",
     "your companies; * marks the active one." CACHED_HELP},
    {"switch", tui_cli_data_switch, "switch COMPANY",
     "make a company (id or name) the active one.",
     "make COMPANY (id or name) the active company."},
    {"receipts", tui_cli_view, EXPENSE_USAGE("receipts"),
     "list the receipts visible to you in the active company.",
     "receipts (transactions) visible to you in the active company, every "
     "page." EXPENSE_HELP("receipts")},
    {"trips", tui_cli_view, EXPENSE_USAGE("trips"),
     "list the mileage trips visible to you.",
     "mileage trips visible to you in the active company, every "
     "page." EXPENSE_HELP("trips")},
    {"allowances", tui_cli_view, EXPENSE_USAGE("allowances"),
     "list the daily allowances visible to you.",
     "daily allowances visible to you in the active company, every "
     "page." EXPENSE_HELP("allowances")},
    {"rewards", tui_cli_view, EXPENSE_USAGE("rewards"),
     "list the rewards visible to you.",
     "rewards visible to you in the active company, every page." EXPENSE_HELP(
         "rewards")},
    {"approvals", tui_cli_view, EXPENSE_USAGE("approvals"),
     "list the expenses waiting for your approval.",
     "expenses of every kind waiting for your approval in the active "
     "company: those naming you as approver, or every one in review for "
     "a money checker. Every one of them is in review.\n"
     "  --state S    reviewing, the one state they can have (any other is\n"
     "               refused)\n" LIMIT_HELP("items")},
    {"archive", tui_cli_view, "archive [--json] [--limit N] [--cached]",
     "list the accounted expenses, batch by batch.",
     "accounted expenses visible to you, newest batch first, every "
     "batch; every item in it is accounted.\n" LIMIT_HELP("items")},
    {"users", tui_cli_view, "users [--json] [--role ROLE] [--cached]",
     "list the users of the active company with their roles.",
     "users of the active company with their roles (needs a role that may "
     "list users).\n"
     "  --role ROLE  only users with that role: employee, manager,\n"
     "               accountant, approver or money_checker" CACHED_OPT},
    {"ledger-accounts", tui_cli_view, "ledger-accounts [--json] [--cached]",
     "list the company's chart of bookkeeping accounts.",
     "the active company's bookkeeping (ledger) accounts; `accounts` "
     "lists the stored sign-in accounts instead." CACHED_HELP},
    {"cost-centers", tui_cli_view, "cost-centers [--json] [--cached]",
     "list the company's cost centers.",
     "the active company's cost centers and their dimensions." CACHED_HELP},
    {"batches", tui_cli_view, "batches [--json] [--cached]",
     "list the accounting batches.",
     "the accounting batches of the active company that you may "
     "see." CACHED_HELP},
    {"company", tui_cli_view, "company [--json] [--cached]",
     "show the active company's settings.",
     "the active company's settings, one per line." CACHED_HELP},
    {"export", tui_cli_export,
     "export VIEW --csv [-o FILE [--force]] [--filter TEXT]\n"
     "                     [--sort KEY[:desc]] [--state S] [--limit N]\n"
     "                     [--role ROLE] [--cached]",
     "write a view as CSV, to standard output or a file.",
     "a view (receipts, trips, allowances, rewards, approvals, archive, "
     "users, ledger-accounts, cost-centers, batches, company) as CSV: a "
     "header row of column keys with id first, RFC 4180 quoting, UTF-8 as "
     "sent; on a terminal, control and bidi characters in the fields show "
     "as ?.\n"
     "  -o FILE          write FILE (mode 0600) instead of standard output;\n"
     "                   it is written whole or not at all\n"
     "  --force          replace FILE when it exists\n"
     "  --filter TEXT    only rows containing every word of TEXT (any case\n"
     "                   or accent)\n"
     "  --sort KEY[:desc]  order by a column key, e.g. date:desc\n"
     "  --limit N        at most N rows, counted last: after --filter,\n"
     "                   --sort, --state and --role (--sort amount:desc\n"
     "                   --limit 5: the five largest); the expense views\n"
     "  --state S        for receipts, trips, allowances and rewards (see\n"
     "                   `bezala help receipts`); approvals: reviewing\n"
     "  --role ROLE      for users (see `bezala help users`)\n"
     "  --cached         from the store, without the network"},
    {"vault", tui_cli_vault, "vault status|passphrase|rekey|lock",
     "show or change how the stored tokens are protected.",
     "the token vault, which keeps the stored tokens encrypted:\n"
     "  status [--json]        show the mode and the key settings\n"
     "  passphrase [--remove]  set, change or remove the passphrase: the old\n"
     "                         and the new one from no-echo prompts (the new\n"
     "                         one asked twice), or from --passphrase-fd N\n"
     "                         and --new-passphrase-fd M\n"
     "  rekey                  make a new data key, re-encrypt every token\n"
     "  lock                   forget the unlocked key"},
    {"doctor", tui_cli_doctor, "doctor [--json]",
     "check the config file, home directory, store, vault, CA bundle, "
     "server and sign-in; say what to fix.",
     "checks, in this order: the config file (each problem with its line; "
     "a refused server fails), the home directory (yours, not a link, no "
     "group or other access), the store (its files' modes, PRAGMA "
     "integrity_check, a schema version this bezala knows, every table), "
     "the vault (its mode; in key-file mode the key file is there, private "
     "and opens the vault), the CA bundle (readable, at least one "
     "certificate; or the system store), one HTTPS request to the server "
     "with the usual TLS checks, and that the current account's token "
     "decrypts and the server accepts it.\n"
     "Creates no folder, store or key file; repairs, moves and upgrades "
     "nothing; reads the store read-only. Only the token check opens the "
     "store as other commands do, when it is at this version's schema: "
     "like `bezala whoami` it refreshes the cached user and companies and "
     "removes a token the server rejects. An older store is reported "
     "(upgraded at the next command) and its token not checked. With the "
     "config file's server refused and no --server, the server and token "
     "checks are skipped.\n"
     "One line per check: ok, FAIL with a fix line (a command to run, "
     "with the --home, --server, --cacert and --account given), or "
     "skipped with the reason when a check it needs failed. A passphrase "
     "vault is unlocked only with --passphrase-fd N (no prompt); without "
     "it the vault says \"locked: not checked\" and the token check is "
     "skipped.\n"
     "Exit status: 0 only when every check passed; otherwise the code of "
     "the first failed check: 2 the config file or an unreadable "
     "--passphrase-fd, 3 not signed in (or no home directory yet), 5 CA "
     "bundle, network or TLS, 6 server failure or redirect, 7 home "
     "permissions, store (also an older one), vault or key file. With "
     "nothing failed but the token not checked (vault locked): 7.\n"
     "  --json  one JSON object: {\"ok\": bool, \"checks\": [{\"name\", "
     "\"ok\":\n"
     "          bool or null (skipped), \"detail\", \"fix\" (null: none)}]}"},
    {"help", NULL, "help [COMMAND]", "show help for a command.",
     "show help for a command."},
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))
#define HELP_COLS 80
#define BRIEF_INDENT 19 /* "  ", the longest name (ledger-accounts), 2 */

static const char global_usage[] =
    "Global options (anywhere on the line; also from the environment):\n"
    "  --server URL        https server (BEZALA_SERVER; default\n"
    "                      https://app.bezala.com)\n"
    "  --cacert FILE       CA bundle to trust (BEZALA_CACERT)\n"
    "  --home DIR          store and key directory (BEZALA_HOME)\n"
    "  --account EMAIL     account to use (BEZALA_ACCOUNT)\n"
    "  --log FILE          write a log (BEZALA_LOG)\n"
    "  --log-level LEVEL   error, warn, info or debug (default warn)\n"
    "  --demo              run against the bundled demo server\n"
    "  --pin-company       switch the server back to the company you chose\n"
    "                      when another session moved it "
    "(BEZALA_PIN_COMPANY=1)\n"
    "  --passphrase-fd N   read the vault passphrase from descriptor N\n"
    "  --new-passphrase-fd M  the new passphrase for `vault passphrase`\n"
    "                      (both read to the end; one final newline "
    "dropped)\n"
    "  --help, --version\n";

static const struct command *find_command(const char *name)
{
    size_t i;

    for (i = 0; name && i < COMMAND_COUNT; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

const char *tui_cli_command_name(size_t index)
{
    return index < COMMAND_COUNT ? commands[index].name : NULL;
}

/* Writes one line of text wrapped at HELP_COLS between words, from
 * column indent on every output line but the first when first is true
 * (its indent is already written). */
static void print_line(FILE *out, const char *line, int indent, bool first)
{
    size_t n;

    do {
        n = tui_text_wrap(line, HELP_COLS - indent);
        fprintf(out, "%*s%.*s\n", first ? 0 : indent, "", (int)n, line);
        first = false;
        line += n;
        while (*line == ' ')
            line++;
    } while (*line);
}

/* Writes text as print_line does; a newline in it starts a new line. */
static void print_wrapped(FILE *out, const char *text, int indent)
{
    char line[HELP_COLS * 8];
    size_t len;
    bool first = true;

    while (*text) {
        len = strcspn(text, "\n");
        snprintf(line, sizeof(line), "%.*s", (int)len, text);
        print_line(out, line, indent, first);
        first = false;
        text += len;
        if (*text == '\n')
            text++;
    }
}

bool tui_cli_usage(FILE *out, const char *command)
{
    const struct command *cmd = find_command(command);
    size_t i;

    if (command && !cmd)
        return false;
    if (cmd) {
        fprintf(out, "Usage: bezala %s\n\n", cmd->usage);
        print_wrapped(out, cmd->summary, 0);
        fprintf(out, "\n%s", global_usage);
        return true;
    }
    fputs("Usage: bezala [OPTIONS] [COMMAND]\n\n"
          "Without a command, bezala starts the full-screen UI.\n\n"
          "Commands:\n",
          out);
    for (i = 0; i < COMMAND_COUNT; i++) {
        fprintf(out, "  %-*s", BRIEF_INDENT - 2, commands[i].name);
        print_wrapped(out, commands[i].brief, BRIEF_INDENT);
    }
    fprintf(out, "\nRun `bezala help COMMAND` for a command's options.\n\n%s",
            global_usage);
    return true;
}

static const char *next_step(enum base_status status)
{
    switch (status) {
    case BASE_E_AUTH:
    case BASE_E_TOKEN_UNREADABLE:
        return "run `bezala login` to sign in again";
    case BASE_E_CREDENTIALS:
        return "check the email and password and try again";
    case BASE_E_FORBIDDEN:
        return "your role in the active company does not allow this; see "
               "`bezala whoami` or `bezala switch`";
    case BASE_E_NETWORK:
        return "check the server URL and the connection, then try again";
    case BASE_E_TLS:
        return "check --cacert and the server's certificate";
    case BASE_E_SERVER:
    case BASE_E_DECODE:
    case BASE_E_TOO_LARGE:
        return "try again later";
    case BASE_E_REDIRECT:
        return "check the server URL";
    case BASE_E_STORE:
    case BASE_E_PERMISSIONS:
    case BASE_E_CRYPTO:
        return "check the files in the bezala home directory";
    case BASE_E_SWITCH:
        return "run `bezala whoami` to see the active company";
    case BASE_E_MOVED:
        return "run the command again for the active company, or `bezala "
               "switch` back";
    case BASE_E_USAGE:
    case BASE_E_AMBIGUOUS:
        return "see `bezala help`";
    case BASE_E_SSO_REQUIRED:
        return "e.g. `bezala login --sso google --email E "
               "--sso-token-stdin`";
    case BASE_E_RATE_LIMITED:
        return "wait a little, then try again";
    case BASE_E_LOCKED:
        return "give --passphrase-fd N";
    case BASE_E_PASSPHRASE:
        return "check the passphrase and try again";
    case BASE_E_KDF_PARAMS:
        return "restore bezala.db from a backup, or move it aside and sign "
               "in again";
    default:
        return "try again";
    }
}

void tui_cli_say(FILE *out, const char *fmt, ...)
{
    char line[2048];
    char *safe;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* Server text (names, error details) must not reach the terminal
     * raw: control and bidi characters become '?'. */
    safe = tui_text_safe(line);
    fputs(safe ? safe : "?", out);
    fputc('\n', out);
    free(safe);
}

/* The detail's length without a final full stop, so that the next step
 * can follow after a colon. */
static size_t detail_length(const char *detail)
{
    size_t len = strlen(detail);

    while (len > 0 && (detail[len - 1] == '.' || detail[len - 1] == ' '))
        len--;
    return len;
}

/* Whether the library's detail already tells the user what to do, so
 * that the generic next step would only repeat or contradict it. */
static bool detail_names_fix(const char *detail)
{
    static const char *const fixes[] = {"run `", "restore ", "chmod ",
                                        "give --", "move it aside"};
    size_t i;

    for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++) {
        if (strstr(detail, fixes[i]))
            return true;
    }
    return false;
}

void tui_cli_report(const struct tui_context *ctx, int status,
                    const char *detail)
{
    enum base_status st = (enum base_status)status;
    const char *server = ctx && ctx->server ? ctx->server : "the server";
    bool has_detail = detail && *detail;

    if (st == BASE_E_AUTH)
        tui_cli_say(stderr,
                    "bezala: not signed in to %s%s%s%s: run `bezala "
                    "login`",
                    server, has_detail ? " (" : "", has_detail ? detail : "",
                    has_detail ? ")" : "");
    else if (st == BASE_E_TOKEN_UNREADABLE)
        tui_cli_say(stderr,
                    "bezala: the stored token for %s could not be read: %s",
                    server, next_step(st));
    else if (has_detail && detail_names_fix(detail))
        tui_cli_say(stderr, "bezala: %.*s", (int)detail_length(detail), detail);
    else if (has_detail)
        tui_cli_say(stderr, "bezala: %.*s: %s", (int)detail_length(detail),
                    detail, next_step(st));
    else
        tui_cli_say(stderr, "bezala: %s: %s", base_status_message(st),
                    next_step(st));
}

/* Whether another account on ctx's server than email has a token. */
static bool others_signed_in(const struct tui_context *ctx, const char *email)
{
    struct core_account *accounts = NULL;
    size_t count = 0;
    bool found = false;
    size_t i;

    if (core_accounts_list(ctx->data_dir, ctx->key_dir, &accounts, &count) !=
        BASE_OK)
        return false;
    for (i = 0; i < count && !found; i++)
        found = accounts[i].signed_in &&
                strcmp(accounts[i].server, ctx->server) == 0 &&
                (!email || strcasecmp(accounts[i].email, email) != 0);
    core_accounts_free(&accounts, count);
    return found;
}

/* "Not signed in" for the session's account, by name, with the command
 * that signs it in again and, when there are any, the other accounts. */
static void report_signed_out(struct tui_cli *cli, enum base_status status,
                              const char *detail)
{
    const struct tui_context *ctx = cli->ctx;
    const char *email = core_session_email(cli->session);
    bool has_detail = detail && *detail;
    const char *others = "";

    if (!email || !*email) {
        tui_cli_report(ctx, status, detail);
        return;
    }
    if (others_signed_in(ctx, email))
        others = ", or pick another with --account EMAIL (see `bezala "
                 "accounts`)";
    if (status == BASE_E_TOKEN_UNREADABLE)
        tui_cli_say(stderr,
                    "bezala: the stored token of %s for %s could not be "
                    "read: run `bezala login --email %s` to sign in again%s",
                    email, ctx->server, email, others);
    else
        tui_cli_say(stderr,
                    "bezala: %s is not signed in to %s%s%.*s%s: run `bezala "
                    "login --email %s`%s",
                    email, ctx->server, has_detail ? " (" : "",
                    has_detail ? (int)detail_length(detail) : 0,
                    has_detail ? detail : "", has_detail ? ")" : "", email,
                    others);
}

int tui_cli_usage_error(const char *command, const char *reason)
{
    tui_cli_say(stderr, "bezala: %s: see `bezala help%s%s`", reason,
                command ? " " : "", command ? command : "");
    return base_status_exit_code(BASE_E_USAGE);
}

static void on_event(const struct core_event *event, void *user)
{
    struct tui_cli *cli = user;

    if (event->kind == CORE_EV_AUTH_REQUIRED)
        cli->auth_required = true;
    if (event->kind == CORE_EV_PINNED_BACK)
        tui_cli_say(stderr, "bezala: note: %s (--pin-company)",
                    event->detail ? event->detail : "");
    if (event->kind == CORE_EV_VIEW && event->detail && *event->detail)
        tui_cli_say(stderr,
                    "bezala: note: the %s list could not be cached, so "
                    "--cached will not show it: %s",
                    core_view_info(event->view)->name, event->detail);
}

/* Whether the account a session would use (--account, else the current
 * one on this server) has a token stored; true when that is unknown. */
static bool target_has_token(const struct tui_context *ctx)
{
    struct core_account *accounts = NULL;
    size_t count = 0;
    bool stored = true;
    size_t i;

    if (core_accounts_list(ctx->data_dir, ctx->key_dir, &accounts, &count) !=
        BASE_OK)
        return true;
    stored = false;
    for (i = 0; i < count; i++) {
        if (strcmp(accounts[i].server, ctx->server) != 0)
            continue;
        if (ctx->account ? strcasecmp(accounts[i].email, ctx->account) == 0
                         : accounts[i].current)
            stored = stored || accounts[i].signed_in;
    }
    core_accounts_free(&accounts, count);
    return stored;
}

struct core_config tui_cli_config(const struct tui_cli *cli)
{
    const struct tui_context *ctx = cli->ctx;
    struct core_config config = {
        .server = ctx->server,
        .cacert = ctx->cacert,
        .data_dir = ctx->data_dir,
        .key_dir = ctx->key_dir,
        .email = ctx->account,
        .pin_company = ctx->opts->pin_company,
        .passphrase = cli->passphrase,
    };

    return config;
}

int tui_cli_open(struct tui_cli *cli, bool need_token)
{
    const struct tui_context *ctx = cli->ctx;
    struct core_config config;
    struct core_callbacks callbacks = {.on_event = on_event, .user = cli};
    enum base_status status;
    /* With no token stored there is nothing to unlock: the answer is
     * "not signed in", not a demand for the passphrase. */
    bool skip_unlock = need_token && !target_has_token(ctx);
    int code = skip_unlock ? 0 : tui_cli_vault_unlock(cli);

    if (code != 0)
        return code;
    config = tui_cli_config(cli);
    status = core_session_new(&config, &callbacks, &cli->session);
    if (status != BASE_OK)
        return tui_cli_vault_open_failed(cli, status);
    if (need_token &&
        core_session_state(cli->session) == CORE_STATE_SIGNED_OUT) {
        status = core_session_token_status(cli->session);
        if (status == BASE_OK || (skip_unlock && status == BASE_E_LOCKED))
            status = BASE_E_AUTH;
        report_signed_out(cli, status, NULL);
        return base_status_exit_code(status);
    }
    return 0;
}

void tui_cli_close(struct tui_cli *cli)
{
    core_session_free(&cli->session);
    base_secret_free(&cli->passphrase);
}

int tui_cli_wait(struct tui_cli *cli, enum base_status started,
                 const uint64_t *request)
{
    enum base_status status = started;
    char cause[512];

    if (status == BASE_OK)
        status = core_session_finish(cli->session, *request);
    if (status == BASE_OK)
        return 0;
    if (cli->auth_required && status != BASE_E_CREDENTIALS)
        status = BASE_E_AUTH;
    if (status == BASE_E_AUTH || status == BASE_E_TOKEN_UNREADABLE) {
        report_signed_out(cli, status, core_session_last_error(cli->session));
        return base_status_exit_code(status);
    }
    /* The detail may or may not name the status already. */
    tui_message_cause(cause, sizeof(cause), status,
                      core_session_last_error(cli->session));
    tui_cli_report(cli->ctx, status, cause);
    return base_status_exit_code(status);
}

int tui_cli_flags(int argc, char **argv, struct tui_options_flag *flags,
                  size_t nflags, const char **positional, size_t max,
                  size_t *npositional)
{
    char err[256];
    size_t count = 0;

    if (tui_options_command(argc, argv, flags, nflags, positional, max, &count,
                            err, sizeof(err)) != BASE_OK)
        return tui_cli_usage_error(argv[0], err);
    if (npositional)
        *npositional = count;
    return 0;
}

int tui_cli_print_json(char *json)
{
    if (!json) {
        tui_cli_report(NULL, BASE_E_NOMEM, NULL);
        return base_status_exit_code(BASE_E_NOMEM);
    }
    fputs(json, stdout);
    fputc('\n', stdout);
    free(json);
    return 0;
}

static int run_help(const struct tui_context *ctx)
{
    const char *topic = ctx->opts->argc > 1 ? ctx->opts->argv[1] : NULL;

    if (ctx->opts->argc > 2)
        return tui_cli_usage_error("help", "help takes one command name");
    if (!tui_cli_usage(stdout, topic)) {
        tui_cli_say(stderr, "bezala: unknown command '%s': see `bezala help`",
                    topic);
        return base_status_exit_code(BASE_E_USAGE);
    }
    return 0;
}

int tui_cli_check_stdout(int code, int before)
{
    int failed;
    int err;

    errno = 0;
    failed = fflush(stdout) != 0;
    err = failed ? errno : before;
    if (!failed && !ferror(stdout))
        return code;
    tui_cli_say(stderr, "bezala: could not write to standard output: %s",
                strerror(err ? err : EIO));
    return code ? code : base_status_exit_code(BASE_E_IO);
}

/* The command named by argv[0], run; its exit code. *err is the errno
 * of a failed write to standard output, 0 when none failed (yet). */
static int run_command(const struct tui_context *ctx, int *err)
{
    const struct command *cmd;
    struct tui_cli cli = {.ctx = ctx};
    int code;

    if (!ctx || !ctx->opts || ctx->opts->argc < 1)
        return base_status_exit_code(BASE_E_USAGE);
    cmd = find_command(ctx->opts->argv[0]);
    if (!cmd) {
        tui_cli_say(stderr, "bezala: unknown command '%s': see `bezala help`",
                    ctx->opts->argv[0]);
        return base_status_exit_code(BASE_E_USAGE);
    }
    if (ctx->opts->help) {
        tui_cli_usage(stdout, cmd->name);
        return 0;
    }
    if (!cmd->run)
        return run_help(ctx);
    code = cmd->run(&cli, ctx->opts->argc, ctx->opts->argv);
    /* A write that failed in the command left its cause in errno. */
    *err = ferror(stdout) ? errno : 0;
    tui_cli_close(&cli);
    return code;
}

int tui_cli_run(const struct tui_context *ctx)
{
    int err = 0;
    int code = run_command(ctx, &err);

    return tui_cli_check_stdout(code, err);
}
