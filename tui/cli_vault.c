/* The vault for the subcommands: the passphrase from a descriptor or a
 * no-echo prompt, and `bezala vault status|passphrase|rekey|lock`. */
#include "tui/cli_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vault.h"
#include "tui/cli.h"
#include "tui/prompt.h"

/* Shorter passphrases get a warning (they still work). */
#define PASSPHRASE_WARN_CHARS 12

/* Reads a whole secret from the descriptor of option name; 0 or the exit
 * code after saying why. */
static int secret_from_option(const char *name, int fd,
                              struct base_secret **out)
{
    enum base_status status = tui_prompt_secret_all_fd(fd, out);
    char reason[160];

    if (status == BASE_OK)
        return 0;
    if (status == BASE_E_IO)
        snprintf(reason, sizeof(reason),
                 "%s %d: that descriptor cannot be "
                 "read (is it open?)",
                 name, fd);
    else if (status == BASE_E_USAGE)
        snprintf(reason, sizeof(reason), "%s %d: nothing to read there", name,
                 fd);
    else if (status == BASE_E_INVALID)
        snprintf(reason, sizeof(reason), "%s %d: longer than %d bytes", name,
                 fd, TUI_PROMPT_SECRET_MAX);
    else
        snprintf(reason, sizeof(reason), "%s %d: %s", name, fd,
                 base_status_message(status));
    return tui_cli_usage_error(NULL, reason);
}

/* The exit code for a prompt that ended without a secret. */
static int prompt_failed(enum base_status status)
{
    int sig = tui_prompt_signal();

    if (status == BASE_E_CANCELLED)
        return 128 + (sig ? sig : 2);
    if (status == BASE_E_USAGE) {
        tui_cli_say(stderr, "bezala: no passphrase given: nothing changed");
        return 1;
    }
    tui_cli_report(NULL, status, "the passphrase could not be read");
    return base_status_exit_code(status);
}

/* The current passphrase: --passphrase-fd, else a prompt on the
 * terminal, else exit 7 with what to give. */
static int current_passphrase(const struct tui_context *ctx,
                              struct base_secret **out)
{
    enum base_status status;

    if (ctx->opts->passphrase_fd >= 0)
        return secret_from_option("--passphrase-fd", ctx->opts->passphrase_fd,
                                  out);
    if (!tui_prompt_have_tty()) {
        tui_cli_say(stderr,
                    "bezala: the vault is locked: give --passphrase-fd N");
        return base_status_exit_code(BASE_E_LOCKED);
    }
    status = tui_prompt_secret("Vault passphrase: ", out);
    return status == BASE_OK ? 0 : prompt_failed(status);
}

/* Reports a failed core_vault_* call or session unlock; returns the exit
 * code. */
static int vault_failed(const struct tui_context *ctx, enum base_status status,
                        const char *detail)
{
    if (status == BASE_E_PASSPHRASE)
        tui_cli_say(stderr,
                    "bezala: %s: nothing was changed; check the "
                    "passphrase and try again",
                    base_status_message(status));
    else if (status == BASE_E_LOCKED)
        tui_cli_say(stderr,
                    "bezala: the vault is locked: give --passphrase-fd N");
    else
        tui_cli_report(ctx, status, detail);
    return base_status_exit_code(status);
}

int tui_cli_vault_unlock(struct tui_cli *cli)
{
    const struct tui_context *ctx = cli->ctx;
    struct core_vault_info info;
    enum base_status status;

    if (cli->passphrase)
        return 0;
    status = core_vault_info(ctx->data_dir, ctx->key_dir, &info);
    if (status != BASE_OK)
        return vault_failed(ctx, status, core_vault_last_error());
    if (!info.passphrase || info.unlocked)
        return 0;
    return current_passphrase(ctx, &cli->passphrase);
}

int tui_cli_vault_open_failed(struct tui_cli *cli, enum base_status status)
{
    return vault_failed(cli->ctx, status, core_session_startup_error());
}

static void print_mib(const char *label, size_t bytes)
{
    printf("%-10s %zu MiB (%zu bytes)\n", label, bytes / (1024 * 1024), bytes);
}

static int vault_status(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0}};
    const struct tui_context *ctx = cli->ctx;
    struct core_vault_info info;
    enum base_status status;
    int code;

    code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);
    if (code != 0)
        return code;
    status = core_vault_info(ctx->data_dir, ctx->key_dir, &info);
    if (status != BASE_OK)
        return vault_failed(ctx, status, core_vault_last_error());
    if (flags[0].seen)
        return tui_cli_print_json(core_vault_info_json(&info));
    if (!info.passphrase) {
        printf("%-10s key file (no passphrase)\n", "mode:");
        return 0;
    }
    printf("%-10s passphrase\n", "mode:");
    printf("%-10s %s\n", "kdf:", info.kdf_alg);
    printf("%-10s %llu\n", "opslimit:", info.opslimit);
    print_mib("memlimit:", info.memlimit);
    return 0;
}

/* The number of characters (not bytes) of a UTF-8 secret. */
static size_t char_count(const struct base_secret *secret)
{
    const unsigned char *p = (const unsigned char *)base_secret_str(secret);
    size_t n = 0;

    for (; p && *p; p++)
        n += (*p & 0xc0) != 0x80;
    return n;
}

/* The new passphrase: --new-passphrase-fd, else asked twice on the
 * terminal; 0 or the exit code. */
static int new_passphrase(const struct tui_context *ctx,
                          struct base_secret **out)
{
    struct base_secret *again = NULL;
    enum base_status status;
    int code;

    if (ctx->opts->new_passphrase_fd >= 0)
        return secret_from_option("--new-passphrase-fd",
                                  ctx->opts->new_passphrase_fd, out);
    if (!tui_prompt_have_tty())
        return tui_cli_usage_error("vault", "no terminal to ask for the new "
                                            "passphrase: give "
                                            "--new-passphrase-fd M");
    status = tui_prompt_secret("New vault passphrase: ", out);
    if (status == BASE_OK)
        status = tui_prompt_secret("Repeat the new passphrase: ", &again);
    code = status == BASE_OK ? 0 : prompt_failed(status);
    if (code == 0 && !base_secret_equal(*out, again)) {
        tui_cli_say(stderr, "bezala: the two passphrases differ: nothing "
                            "changed; try again");
        code = 1;
    }
    base_secret_free(&again);
    if (code != 0)
        base_secret_free(out);
    return code;
}

static void say_changed(bool had, bool removed)
{
    if (removed)
        tui_cli_say(stderr, "bezala: passphrase removed: the key file "
                            "protects the stored tokens again");
    else if (had)
        tui_cli_say(stderr, "bezala: vault passphrase changed");
    else
        tui_cli_say(stderr, "bezala: vault passphrase set: bezala asks for "
                            "it once per run (or give --passphrase-fd N)");
}

static int vault_passphrase(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[] = {{"--remove", false, NULL, 0}};
    const struct tui_context *ctx = cli->ctx;
    struct base_secret *old = NULL;
    struct base_secret *fresh = NULL;
    struct core_vault_info info;
    enum base_status status;
    int code;

    code = tui_cli_flags(argc, argv, flags, 1, NULL, 0, NULL);
    if (code != 0)
        return code;
    status = core_vault_info(ctx->data_dir, ctx->key_dir, &info);
    if (status != BASE_OK)
        return vault_failed(ctx, status, core_vault_last_error());
    if (flags[0].seen && !info.passphrase)
        return tui_cli_usage_error("vault", "the vault has no passphrase to "
                                            "remove");
    if (info.passphrase)
        code = current_passphrase(ctx, &old);
    if (code == 0 && !flags[0].seen)
        code = new_passphrase(ctx, &fresh);
    if (code == 0 && fresh && char_count(fresh) < PASSPHRASE_WARN_CHARS)
        tui_cli_say(stderr,
                    "bezala: warning: the passphrase is shorter than "
                    "%d characters; a longer one is much harder to "
                    "guess",
                    PASSPHRASE_WARN_CHARS);
    if (code == 0) {
        status =
            core_vault_set_passphrase(ctx->data_dir, ctx->key_dir, old, fresh);
        code = status == BASE_OK
                   ? 0
                   : vault_failed(ctx, status, core_vault_last_error());
    }
    if (code == 0)
        say_changed(info.passphrase, flags[0].seen > 0);
    /* A step that could not be done for the user, such as deleting the
     * old key file, comes back as a note after success. */
    if (code == 0 && core_vault_last_error()[0])
        tui_cli_say(stderr, "bezala: note: %s", core_vault_last_error());
    base_secret_free(&old);
    base_secret_free(&fresh);
    return code;
}

static int vault_rekey(struct tui_cli *cli, int argc, char **argv)
{
    const struct tui_context *ctx = cli->ctx;
    enum base_status status;
    int code;

    code = tui_cli_flags(argc, argv, NULL, 0, NULL, 0, NULL);
    if (code == 0)
        code = tui_cli_vault_unlock(cli);
    if (code != 0)
        return code;
    status = core_vault_rekey(ctx->data_dir, ctx->key_dir, cli->passphrase);
    if (status != BASE_OK)
        return vault_failed(ctx, status, core_vault_last_error());
    tui_cli_say(stderr, "bezala: new data key: every stored token was "
                        "re-encrypted");
    return 0;
}

static int vault_lock(struct tui_cli *cli, int argc, char **argv)
{
    const struct tui_context *ctx = cli->ctx;
    enum base_status status;
    int code;

    code = tui_cli_flags(argc, argv, NULL, 0, NULL, 0, NULL);
    if (code != 0)
        return code;
    status = core_vault_lock(ctx->data_dir, ctx->key_dir);
    if (status != BASE_OK)
        return vault_failed(ctx, status, core_vault_last_error());
    tui_cli_say(stderr, "bezala: the vault is locked: the data key is "
                        "forgotten until the passphrase is given again");
    return 0;
}

int tui_cli_vault(struct tui_cli *cli, int argc, char **argv)
{
    const char *action = argc > 1 ? argv[1] : NULL;

    if (!action)
        return tui_cli_usage_error("vault", "give status, passphrase, rekey "
                                            "or lock");
    if (strcmp(action, "status") == 0)
        return vault_status(cli, argc - 1, argv + 1);
    if (strcmp(action, "passphrase") == 0)
        return vault_passphrase(cli, argc - 1, argv + 1);
    if (strcmp(action, "rekey") == 0)
        return vault_rekey(cli, argc - 1, argv + 1);
    if (strcmp(action, "lock") == 0)
        return vault_lock(cli, argc - 1, argv + 1);
    return tui_cli_usage_error("vault", "unknown vault action: give status, "
                                        "passphrase, rekey or lock");
}
