/* Shared between the subcommand files: the run's session and the helpers
 * that open it, wait for a request and report failures. */
#ifndef BEZALA_TUI_CLI_INTERNAL_H
#define BEZALA_TUI_CLI_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/secret.h"
#include "base/status.h"
#include "core/session.h"
#include "tui/context.h"
#include "tui/options.h"

struct tui_cli {
    const struct tui_context *ctx;
    struct core_session *session;
    bool auth_required;             /* a 401 arrived for some request */
    struct base_secret *passphrase; /* the vault's, when it was needed */
};

/* Opens the session for ctx->account, unlocking a vault in passphrase
 * mode first (tui_cli_vault_unlock). When need_token is true and no
 * usable token is stored, reports "not signed in" and returns 3. Returns
 * 0 or the exit code after reporting (7 for a wrong passphrase). */
int tui_cli_open(struct tui_cli *cli, bool need_token);
void tui_cli_close(struct tui_cli *cli);

/* Waits for a started request whose id the starting call wrote to
 * *request (read only after started was computed); returns 0 or the exit
 * code after reporting the failure. */
int tui_cli_wait(struct tui_cli *cli, enum base_status started,
                 const uint64_t *request);

/* Reports a usage error for command and returns 2. */
int tui_cli_usage_error(const char *command, const char *reason);

/* Parses argv against flags with no positional arguments (max of them
 * when positional is not NULL); returns 0 or 2 after reporting. */
int tui_cli_flags(int argc, char **argv, struct tui_options_flag *flags,
                  size_t nflags, const char **positional, size_t max,
                  size_t *npositional);

/* Prints json and a newline to stdout and frees it; returns 0, or 1 after
 * reporting when json is NULL. */
int tui_cli_print_json(char *json);

/* When the vault is in passphrase mode and locked, gets its passphrase
 * into cli->passphrase: from --passphrase-fd, else a no-echo prompt on
 * the terminal, else exit 7 "the vault is locked: give --passphrase-fd
 * N". Returns 0 or the exit code after reporting. */
int tui_cli_vault_unlock(struct tui_cli *cli);

/* Reports a session that would not open because of the vault (wrong
 * passphrase, locked, parameters out of range) or the store; returns the
 * exit code. */
int tui_cli_vault_open_failed(struct tui_cli *cli, enum base_status status);

int tui_cli_vault(struct tui_cli *cli, int argc, char **argv);
int tui_cli_account_login(struct tui_cli *cli, int argc, char **argv);
int tui_cli_account_logout(struct tui_cli *cli, int argc, char **argv);
int tui_cli_account_list(struct tui_cli *cli, int argc, char **argv);
int tui_cli_data_whoami(struct tui_cli *cli, int argc, char **argv);
int tui_cli_data_companies(struct tui_cli *cli, int argc, char **argv);
int tui_cli_data_switch(struct tui_cli *cli, int argc, char **argv);
int tui_cli_data_users(struct tui_cli *cli, int argc, char **argv);
int tui_cli_data_receipts(struct tui_cli *cli, int argc, char **argv);

#endif
