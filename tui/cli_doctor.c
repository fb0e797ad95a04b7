/* `bezala doctor`: the checks in order, each skipped when one it needs
 * failed, the token checked through a session last (only when the store
 * needs no upgrade), and the report as lines or JSON with the exit code
 * of the first failure. */
#include "tui/cli_doctor.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/secret.h"
#include "base/shell.h"
#include "core/session.h"
#include "tui/cli.h"
#include "tui/cli_internal.h"
#include "tui/config.h"
#include "tui/prompt.h"

enum check_index { CONFIG, HOME, STORE, VAULT, CACERT, SERVER, TOKEN, CHECKS };

static const char *const check_names[CHECKS] = {
    "config", "home", "store", "vault", "cacert", "server", "token"};

/* What the run learnt on the way, for the checks after. */
struct doctor {
    struct tui_cli *cli;
    struct core_doctor_check checks[CHECKS];
    struct core_doctor_store_info store;
};

static bool failed(const struct doctor *d, enum check_index i)
{
    return d->checks[i].result != CORE_DOCTOR_OK;
}

static void skip(struct doctor *d, enum check_index i, const char *why)
{
    core_doctor_set(&d->checks[i], CORE_DOCTOR_SKIPPED, BASE_OK, NULL, "%s",
                    why);
}

/* The problems of the settings file, joined by "; ", into out. */
static void config_problems(const struct tui_config *cfg, char *out,
                            size_t size)
{
    size_t n = tui_config_problem_count(cfg);
    size_t len = 0;
    size_t i;
    int wrote;

    out[0] = '\0';
    for (i = 0; i < n && len < size; i++) {
        wrote = snprintf(out + len, size - len, "%s%s", i ? "; " : "",
                         tui_config_problem(cfg, i));
        len += wrote > 0 ? (size_t)wrote : 0;
    }
}

/* The fix for the settings file's problems. */
static void config_fix(const struct tui_options *opts, const char *path,
                       char *fix, size_t size)
{
    int line = tui_config_server_refused(opts->config, NULL);

    if (line > 0 && opts->server_refused)
        snprintf(fix, size,
                 "make line %d of %s an https:// URL, in a file and folder "
                 "only you can write; or give --server URL (the server "
                 "check is skipped until then)",
                 line, path);
    else if (line > 0)
        snprintf(fix, size,
                 "make line %d of %s an https:// URL, in a file and folder "
                 "only you can write (--server is used meanwhile)",
                 line, path);
    else if (tui_config_unread(opts->config))
        snprintf(fix, size,
                 "make %s a readable file of at most 64 KiB, or remove it; "
                 "or give --server URL (the server check is skipped until "
                 "then)",
                 path);
    else
        snprintf(fix, size,
                 "fix the lines named in %s (until then each is ignored and "
                 "its default used)",
                 path);
}

/* The settings file: none is fine; its problems fail, each named with its
 * line, and a refused server says how to put it right. */
static void check_config(struct doctor *d)
{
    const struct tui_options *opts = d->cli->ctx->opts;
    struct core_doctor_check *c = &d->checks[CONFIG];
    char problems[CORE_DOCTOR_TEXT_MAX];
    char fix[CORE_DOCTOR_TEXT_MAX];
    char *data_dir = NULL;
    char *key_dir = NULL;
    struct stat st;
    char path[CORE_DOCTOR_TEXT_MAX / 2];
    size_t n = tui_config_problem_count(opts->config);

    if (tui_options_dirs(opts, &data_dir, &key_dir) == BASE_OK)
        snprintf(path, sizeof(path), "%s/config", key_dir);
    else
        snprintf(path, sizeof(path), "the config file");
    free(data_dir);
    free(key_dir);
    config_problems(opts->config, problems, sizeof(problems));
    config_fix(opts, path, fix, sizeof(fix));
    if (n > 0)
        core_doctor_set(c, CORE_DOCTOR_FAIL, BASE_E_USAGE, fix,
                        "%zu problem%s: %s", n, n == 1 ? "" : "s", problems);
    else if (lstat(path, &st) < 0)
        core_doctor_set(c, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "no config file %s: the built-in settings", path);
    else
        core_doctor_set(c, CORE_DOCTOR_OK, BASE_OK, NULL, "%s: no problems",
                        path);
}

/* Opens the session for the token check (no network yet); false after
 * recording why in out. */
static bool open_session(struct doctor *d, struct core_doctor_check *out)
{
    struct core_config config = tui_cli_config(d->cli);
    struct core_callbacks callbacks = {0};
    enum base_status status;
    const char *why;

    if (d->cli->session)
        return true;
    /* A check changes nothing: no switching the server back. */
    config.pin_company = false;
    status = core_session_new(&config, &callbacks, &d->cli->session);
    if (status == BASE_OK)
        return true;
    why = core_session_startup_error();
    core_doctor_set(out, CORE_DOCTOR_FAIL, status,
                    status == BASE_E_PASSPHRASE
                        ? "check the passphrase given with --passphrase-fd"
                        : "fix what the detail names, then run `bezala "
                          "doctor` again",
                    "%s", why && *why ? why : base_status_message(status));
    return false;
}

/* A passphrase vault with --passphrase-fd: reads it and unlocks. */
static void unlock_vault(struct doctor *d)
{
    struct core_doctor_check *c = &d->checks[VAULT];
    int fd = d->cli->ctx->opts->passphrase_fd;
    enum base_status status;

    if (fd < 0)
        return;
    status = tui_prompt_secret_all_fd(fd, &d->cli->passphrase);
    if (status != BASE_OK) {
        core_doctor_set(c, CORE_DOCTOR_FAIL, BASE_E_USAGE,
                        "give --passphrase-fd a descriptor open for reading "
                        "that holds the passphrase",
                        "--passphrase-fd %d: %s", fd,
                        base_status_message(status));
        return;
    }
    if (open_session(d, c))
        core_doctor_set(c, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "passphrase mode (Argon2id): unlocked with "
                        "--passphrase-fd");
}

static void run_local(struct doctor *d)
{
    const struct tui_context *ctx = d->cli->ctx;

    check_config(d);
    core_doctor_home(ctx->data_dir, ctx->key_dir, &d->checks[HOME]);
    if (failed(d, HOME)) {
        skip(d, STORE, "the home directory check failed");
        skip(d, VAULT, "the home directory check failed");
        return;
    }
    core_doctor_store(ctx->data_dir, &d->checks[STORE], &d->store);
    /* An older store still shows its vault; an upgrade changes no key. */
    if (failed(d, STORE) && !d->store.old) {
        skip(d, VAULT, "the store check failed");
        return;
    }
    core_doctor_vault(ctx->data_dir, ctx->key_dir, &d->store,
                      &d->checks[VAULT]);
    if (!failed(d, VAULT) && d->store.passphrase && !d->store.old)
        unlock_vault(d);
}

static void run_network(struct doctor *d)
{
    const struct tui_context *ctx = d->cli->ctx;

    core_doctor_cacert(ctx->cacert, &d->checks[CACERT]);
    if (!ctx->server)
        skip(d, SERVER,
             "the config file's server is refused and no --server was "
             "given");
    else if (failed(d, CACERT))
        skip(d, SERVER, "the CA bundle cannot be used");
    else
        core_doctor_reach(ctx->server, ctx->cacert, 0, &d->checks[SERVER]);
}

/* "not signed in" and the login command for the account, if known
 * (the options are added to it at the end). */
static void signed_out(struct doctor *d, enum base_status status,
                       const char *why)
{
    const char *email =
        d->cli->session ? core_session_email(d->cli->session) : NULL;
    bool known = email && *email;
    char fix[CORE_DOCTOR_TEXT_MAX];
    char quoted[CORE_DOCTOR_TEXT_MAX / 4];

    /* With --account, the options name the account already. */
    if (known && !d->cli->ctx->account &&
        base_shell_quote(email, quoted, sizeof(quoted)))
        snprintf(fix, sizeof(fix), "run `bezala login --email %s`", quoted);
    else
        snprintf(fix, sizeof(fix), "run `bezala login`");
    core_doctor_set(&d->checks[TOKEN], CORE_DOCTOR_FAIL, status, fix,
                    "%s%snot signed in to %s: %s", known ? email : "",
                    known ? " is " : "", d->cli->ctx->server, why);
}

/* Whether the token check can start; otherwise it is recorded. The
 * session opens the store for writing, so only a store that needs no
 * upgrade or creation is opened. */
static bool token_ready(struct doctor *d)
{
    if (failed(d, HOME) || failed(d, STORE)) {
        skip(d, TOKEN,
             failed(d, HOME) ? "the home directory check failed"
             : d->store.old  ? "the store is upgraded first (at the next "
                               "command)"
                             : "the store check failed");
        return false;
    }
    if (!d->cli->ctx->server) {
        skip(d, TOKEN, "no server: the config file's server is refused");
        return false;
    }
    if (!d->store.exists) {
        signed_out(d, BASE_E_AUTH, "nothing is stored yet");
        return false;
    }
    if (failed(d, VAULT)) {
        skip(d, TOKEN, "the vault check failed");
        return false;
    }
    /* A locked vault hides whether the account has a token at all, so
     * an account that never signed in is reported skipped here, not as
     * "not signed in", until --passphrase-fd is given. */
    if (d->store.passphrase && !d->cli->passphrase) {
        skip(d, TOKEN,
             "the vault is locked: not checked (give --passphrase-fd N)");
        return false;
    }
    return open_session(d, &d->checks[TOKEN]);
}

/* Whether the server accepts the session's token (a whoami call). */
static void server_token(struct doctor *d, struct core_session *s)
{
    const struct core_home *home;
    enum base_status status;
    uint64_t request = 0;

    status = core_session_load_home(s, &request);
    if (status == BASE_OK)
        status = core_session_finish(s, request);
    if (status == BASE_E_AUTH) {
        signed_out(d, status,
                   "the server rejected the stored token (it was removed)");
        return;
    }
    if (status != BASE_OK) {
        core_doctor_set(&d->checks[TOKEN], CORE_DOCTOR_FAIL, status,
                        "run `bezala doctor` again later", "%s: %s",
                        base_status_message(status),
                        core_session_last_error(s));
        return;
    }
    home = core_session_home(s);
    core_doctor_set(&d->checks[TOKEN], CORE_DOCTOR_OK, BASE_OK, NULL,
                    "%s is signed in to %s; the server accepts the token "
                    "(user id %lld)",
                    core_session_email(s), d->cli->ctx->server,
                    home ? (long long)home->user_id : 0LL);
}

/* The stored token, as the session loaded it, then the server's view. */
static void check_token(struct doctor *d)
{
    struct core_session *s;
    enum base_status status;

    if (!token_ready(d))
        return;
    s = d->cli->session;
    status = core_session_token_status(s);
    if (status == BASE_OK && failed(d, SERVER))
        skip(d, TOKEN, "the server check failed");
    else if (status == BASE_E_TOKEN_UNREADABLE)
        signed_out(d, status, "the stored token could not be read");
    else if (status != BASE_OK)
        signed_out(d, BASE_E_AUTH, "no token is stored");
    else
        server_token(d, s);
}

int tui_cli_doctor_exit(const struct core_doctor_check *checks, size_t n)
{
    bool skipped = false;
    size_t i;

    if (!checks || n == 0)
        return base_status_exit_code(BASE_E_INVALID);
    for (i = 0; i < n; i++) {
        if (checks[i].result == CORE_DOCTOR_FAIL)
            return base_status_exit_code(checks[i].status);
        skipped = skipped || checks[i].result == CORE_DOCTOR_SKIPPED;
    }
    return skipped ? base_status_exit_code(BASE_E_LOCKED) : 0;
}

void tui_cli_doctor_print(FILE *out, const struct core_doctor_check *checks,
                          size_t n)
{
    static const char *const words[] = {"ok", "FAIL", "skipped"};
    size_t i;

    for (i = 0; checks && i < n; i++) {
        tui_cli_say(out, "%-7s %-6s %s", words[checks[i].result],
                    checks[i].name ? checks[i].name : "", checks[i].detail);
        if (checks[i].result == CORE_DOCTOR_FAIL && checks[i].fix[0])
            tui_cli_say(out, "%-7s %-6s fix: %s", "", "", checks[i].fix);
    }
}

/* Appends " NAME VALUE" (VALUE quoted) to out; false when it does not
 * fit. */
static bool add_option(char *out, size_t size, const char *name,
                       const char *value)
{
    char quoted[CORE_DOCTOR_TEXT_MAX / 2];
    size_t len = strlen(out);
    int n;

    if (!base_shell_quote(value, quoted, sizeof(quoted)))
        return false;
    n = snprintf(out + len, size - len, "%s%s %s", len ? " " : "", name,
                 quoted);
    return n > 0 && (size_t)n < size - len;
}

bool tui_cli_doctor_options(const struct tui_context *ctx, char *out,
                            size_t size)
{
    const struct tui_options *opts = ctx && ctx->opts ? ctx->opts : NULL;
    bool ok = true;

    if (!out || size == 0)
        return false;
    out[0] = '\0';
    if (!opts)
        return false;
    if (opts->demo)
        ok = snprintf(out, size, "--demo") < (int)size;
    if (ok && opts->home)
        ok = add_option(out, size, "--home", opts->home);
    if (ok && !opts->demo && ctx->server &&
        strcmp(ctx->server, TUI_OPTIONS_DEFAULT_SERVER) != 0)
        ok = add_option(out, size, "--server", ctx->server);
    if (ok && !opts->demo && ctx->cacert)
        ok = add_option(out, size, "--cacert", ctx->cacert);
    if (ok && ctx->account)
        ok = add_option(out, size, "--account", ctx->account);
    if (!ok)
        out[0] = '\0';
    return ok;
}

int tui_cli_doctor(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0}};
    struct doctor d = {.cli = cli};
    char options[CORE_DOCTOR_TEXT_MAX / 2];
    size_t i;
    int code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);

    if (code != 0)
        return code;
    for (i = 0; i < CHECKS; i++)
        d.checks[i].name = check_names[i];
    run_local(&d);
    run_network(&d);
    check_token(&d);
    /* The fixes' commands, followed as written, reach this home and
     * server; options too long for that leave them plain. */
    tui_cli_doctor_options(cli->ctx, options, sizeof(options));
    for (i = 0; i < CHECKS; i++)
        core_doctor_add_options(&d.checks[i], options);
    code = tui_cli_doctor_exit(d.checks, CHECKS);
    if (flags[0].seen) {
        int printed = tui_cli_print_json(core_doctor_json(d.checks, CHECKS));

        return printed ? printed : code;
    }
    tui_cli_doctor_print(stdout, d.checks, CHECKS);
    return code;
}
