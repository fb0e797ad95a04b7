/* Shared between the subcommand files: the run's session and the helpers
 * that open it, wait for a request and report failures. */
#ifndef BEZALA_TUI_CLI_INTERNAL_H
#define BEZALA_TUI_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/secret.h"
#include "base/status.h"
#include "core/session.h"
#include "core/view.h"
#include "tui/context.h"
#include "tui/options.h"

struct tui_cli {
    const struct tui_context *ctx;
    struct core_session *session;
    bool auth_required;             /* a 401 arrived for some request */
    struct base_secret *passphrase; /* the vault's, when it was needed */
};

/* The session settings of this run: the context's server, CA bundle,
 * folders, account and --pin-company, and the passphrase if one was
 * read. */
struct core_config tui_cli_config(const struct tui_cli *cli);

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

/* Loads the user, the companies and the active company: from the server,
 * or with cached from the store without the network (saying nothing;
 * *saved_at, when not NULL, is when it was stored). Opens the session
 * first. Nothing cached: exit 1 with a message to run command once
 * online. Returns 0 or the exit code after reporting. */
int tui_cli_home(struct tui_cli *cli, const char *command, bool cached,
                 int64_t *saved_at);

/* Says on standard error how old cached data stored at saved_at (unix
 * seconds) is: "cached data from 3 minutes ago (<ISO time>)". */
void tui_cli_cached_note(int64_t saved_at);

/* What a view's rows are narrowed to; strings borrowed from argv. */
struct tui_cli_view_query {
    enum core_view view;
    const char *state;  /* expense views: only rows in this state */
    size_t limit;       /* expense views: at most this many; 0: all */
    const char *role;   /* users: only people with this role */
    bool cached;        /* from the store, not the server */
    const char *filter; /* only rows matching it, as the UI's filter */
    size_t sort;        /* column index; SIZE_MAX: the server's order */
    bool sort_by_id;    /* by the rows' ids instead of a column */
    bool desc;
};

/* Whether view is one of the expense views, which take --limit. */
bool tui_cli_view_is_expense(enum core_view view);

/* Whether view is an expense view whose rows have a state (--state). */
bool tui_cli_view_takes_state(enum core_view view);

/* The names of the views (only those for which only() is true, when it
 * is not NULL), joined by ", ", into out. */
void tui_cli_view_names(char *out, size_t size,
                        bool (*only)(enum core_view view));

/* Checks --state, --limit and --role (each NULL when not given) for
 * q->view and sets them in q; returns 0 or 2 after a usage error for
 * command that names what is valid. --limit is plain digits; approvals
 * take only the state "reviewing" (every item in them is in review);
 * --role is one of tui_cli_role_valid's. */
int tui_cli_view_narrow(const char *command, struct tui_cli_view_query *q,
                        const char *state, const char *limit, const char *role);

/* Loads q->view for the active company, from the server or with
 * q->cached from the store (saying its age on standard error, or online
 * that the company was changed elsewhere), then picks the rows q keeps,
 * in q's order, and cuts them to q's limit last: *table is the session's
 * (borrowed), *rows a new array of row indices (never NULL) the caller
 * frees. A 403 or 404 is exit 4 naming the view, the company and the
 * role; nothing cached is exit 1. Returns 0 or the exit code after
 * reporting. */
int tui_cli_view_rows(struct tui_cli *cli, const struct tui_cli_view_query *q,
                      const struct core_table **table, size_t **rows,
                      size_t *n);

/* Whether role is one of the roles a membership can have (employee,
 * manager, accountant, approver, money_checker; any case). */
bool tui_cli_role_valid(const char *role);

/* Fits a table's columns into a terminal cols wide: natural[i] is column
 * i's full width, shrink[i] whether it may be cut (text). The widest
 * shrinkable columns are cut first, down to one level together, never
 * below 8 columns; the others stay whole. Writes each column's width to
 * caps (which may be natural itself); a table that fits stays whole. */
void tui_cli_fit_widths(const int *natural, const bool *shrink, size_t n,
                        int cols, int *caps);

/* Whether s is valid UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF); false for NULL. */
bool tui_cli_utf8_valid(const char *s);

/* Every view subcommand (argv[0] names the view): --json, --cached, and
 * --state/--limit or --role where they apply. */
int tui_cli_view(struct tui_cli *cli, int argc, char **argv);

/* export VIEW --csv [-o FILE] [--force] [--state S] [--limit N]
 * [--role R] [--filter TEXT] [--sort KEY[:desc]] [--cached]. */
int tui_cli_export(struct tui_cli *cli, int argc, char **argv);

#endif
