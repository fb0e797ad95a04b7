/* The bezala executable: hardening, the command line, then either a
 * subcommand or the full-screen UI. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/secret.h"
#include "base/status.h"
#include "tui/app.h"
#include "tui/cli.h"
#include "tui/config.h"
#include "tui/context.h"
#include "tui/demo.h"
#include "tui/logfile.h"
#include "tui/options.h"

#define ERR_BYTES 512

static int usage_error(const char *reason)
{
    tui_cli_say(stderr, "bezala: %s: see `bezala help`", reason);
    return base_status_exit_code(BASE_E_USAGE);
}

static int fail(enum base_status status, const char *reason)
{
    tui_cli_say(stderr, "bezala: %s", reason);
    return base_status_exit_code(status);
}

/* Standard input, output or error that the caller closed is opened on
 * /dev/null for reading only, so that no file opened later (the log, the
 * key file, an export) takes its number: a write there still fails as it
 * would have, and nothing meant for the terminal lands in a file. */
static void hold_standard_fds(void)
{
    int fd;
    int got;

    for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        /* The lowest free number: fd itself, the ones below it held. */
        got = open("/dev/null", O_RDONLY);
        if (got >= 0 && got != fd)
            close(got);
    }
}

/* Whether the command only looks: help (or --help) and doctor create
 * no folder, so that they change nothing. */
static bool only_looks(const struct tui_options *opts)
{
    const char *command = opts->argc > 0 ? opts->argv[0] : "";

    return opts->help || strcmp(command, "help") == 0 ||
           strcmp(command, "doctor") == 0;
}

/* Resolves the server, CA and directories (from the demo when there is
 * one) and creates the directories unless the command only looks. */
static int prepare(struct tui_context *ctx, char **data_dir, char **key_dir)
{
    char err[ERR_BYTES];
    enum base_status status;
    struct tui_options home_opts = *ctx->opts;

    if (ctx->demo) {
        ctx->server = tui_demo_url(ctx->demo);
        ctx->cacert = tui_demo_cacert(ctx->demo);
        home_opts.home = tui_demo_home(ctx->demo);
    }
    status = tui_options_dirs(&home_opts, data_dir, key_dir);
    if (status != BASE_OK)
        return fail(status, "no home directory is known: set --home DIR "
                            "or BEZALA_HOME");
    if (!only_looks(ctx->opts))
        status = tui_options_make_dir(*data_dir, err, sizeof(err));
    if (status == BASE_OK && !only_looks(ctx->opts))
        status = tui_options_make_dir(*key_dir, err, sizeof(err));
    if (status != BASE_OK)
        return fail(status, err);
    ctx->data_dir = *data_dir;
    ctx->key_dir = *key_dir;
    return 0;
}

static int run(const struct tui_options *opts)
{
    struct tui_context ctx = {.opts = opts,
                              .server = opts->server,
                              .cacert = opts->cacert,
                              .account = opts->account};
    char err[ERR_BYTES];
    char *data_dir = NULL;
    char *key_dir = NULL;
    enum base_status status;
    int code = 0;

    /* The UI shows the settings file's problems itself, doctor in its
     * config check. */
    if (opts->argc > 0 && strcmp(opts->argv[0], "doctor") != 0)
        tui_config_report(opts->config, stderr);
    if (opts->demo) {
        status = tui_demo_start(opts->home, &ctx.demo, err, sizeof(err));
        if (status != BASE_OK)
            return fail(status, err);
    }
    code = prepare(&ctx, &data_dir, &key_dir);
    if (code == 0 && opts->argc == 0)
        code = tui_app_run(&ctx);
    else if (code == 0)
        code = tui_cli_run(&ctx);
    tui_demo_free(&ctx.demo);
    free(data_dir);
    free(key_dir);
    return code;
}

int main(int argc, char **argv)
{
    struct tui_options opts;
    char err[ERR_BYTES];
    enum base_status status;
    int code;

    hold_standard_fds();
    umask(077);
    setlocale(LC_ALL, "");
    if (base_secret_init() != BASE_OK)
        return fail(BASE_E_CRYPTO, "libsodium could not start");
    base_secret_harden_process();
    signal(SIGPIPE, SIG_IGN);
    status = tui_options_parse(argc, argv, &opts, err, sizeof(err));
    if (status == BASE_E_USAGE)
        return usage_error(err);
    if (status != BASE_OK)
        return fail(status, base_status_message(status));
    if (opts.version || (opts.help && opts.argc == 0)) {
        if (opts.version)
            printf("bezala %s\n", BEZALA_VERSION);
        else
            tui_cli_usage(stdout, NULL);
        tui_options_clear(&opts);
        /* As for every command: a lost write is exit 1, said once. */
        return tui_cli_check_stdout(0, 0);
    }
    if (opts.log_file) {
        status =
            tui_logfile_open(opts.log_file, opts.log_level, err, sizeof(err));
        if (status != BASE_OK) {
            tui_options_clear(&opts);
            return fail(status, err);
        }
    }
    code = run(&opts);
    tui_logfile_close();
    tui_options_clear(&opts);
    return code;
}
