/* `bezala doctor`: the checks in order, each skipped when one it needs
 * failed, the token checked through a session last, and the report as
 * lines or JSON with the exit code of the first failure. */
#include "tui/cli_doctor.h"

#include <stdbool.h>
#include <stdio.h>

#include "base/secret.h"
#include "core/session.h"
#include "tui/cli.h"
#include "tui/cli_internal.h"
#include "tui/prompt.h"

enum check_index { HOME, STORE, VAULT, CACERT, SERVER, TOKEN, CHECKS };

static const char *const check_names[CHECKS] = {"home",   "store",  "vault",
                                                "cacert", "server", "token"};

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

    core_doctor_home(ctx->data_dir, ctx->key_dir, &d->checks[HOME]);
    if (failed(d, HOME)) {
        skip(d, STORE, "the home directory check failed");
        skip(d, VAULT, "the home directory check failed");
        return;
    }
    core_doctor_store(ctx->data_dir, &d->checks[STORE], &d->store);
    if (failed(d, STORE)) {
        skip(d, VAULT, "the store check failed");
        return;
    }
    core_doctor_vault(ctx->data_dir, ctx->key_dir, &d->store,
                      &d->checks[VAULT]);
    if (!failed(d, VAULT) && d->store.passphrase)
        unlock_vault(d);
}

static void run_network(struct doctor *d)
{
    const struct tui_context *ctx = d->cli->ctx;

    core_doctor_cacert(ctx->cacert, &d->checks[CACERT]);
    if (failed(d, CACERT))
        skip(d, SERVER, "the CA bundle cannot be used");
    else
        core_doctor_reach(ctx->server, ctx->cacert, 0, &d->checks[SERVER]);
}

/* "not signed in" and the login command for the account, if known. */
static void signed_out(struct doctor *d, enum base_status status,
                       const char *why)
{
    const char *email =
        d->cli->session ? core_session_email(d->cli->session) : NULL;
    bool known = email && *email;
    char fix[CORE_DOCTOR_TEXT_MAX];

    if (known)
        snprintf(fix, sizeof(fix), "run `bezala login --email %s`", email);
    else
        snprintf(fix, sizeof(fix), "run `bezala login`");
    core_doctor_set(&d->checks[TOKEN], CORE_DOCTOR_FAIL, status, fix,
                    "%s%snot signed in to %s: %s", known ? email : "",
                    known ? " is " : "", d->cli->ctx->server, why);
}

/* Whether the token check can start; otherwise it is recorded. */
static bool token_ready(struct doctor *d)
{
    if (failed(d, HOME) || failed(d, STORE)) {
        skip(d, TOKEN,
             failed(d, HOME) ? "the home directory check failed"
                             : "the store check failed");
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

int tui_cli_doctor(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0}};
    struct doctor d = {.cli = cli};
    size_t i;
    int code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);

    if (code != 0)
        return code;
    for (i = 0; i < CHECKS; i++)
        d.checks[i].name = check_names[i];
    run_local(&d);
    run_network(&d);
    check_token(&d);
    code = tui_cli_doctor_exit(d.checks, CHECKS);
    if (flags[0].seen) {
        int printed = tui_cli_print_json(core_doctor_json(d.checks, CHECKS));

        return printed ? printed : code;
    }
    tui_cli_doctor_print(stdout, d.checks, CHECKS);
    return code;
}
