/* The full-screen UI: its state, shared by the screen files, and the
 * entry point that runs it. */
#ifndef BEZALA_TUI_APP_H
#define BEZALA_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "base/secret.h"
#include "core/accounts.h"
#include "core/session.h"
#include "core/view.h"
#include "tui/command.h"
#include "tui/config.h"
#include "tui/context.h"
#include "tui/field.h"
#include "tui/listview.h"

#define TUI_APP_TEXT 256
#define TUI_APP_LONG_TEXT 640
/* Offline: how often to ask the server again. */
#define TUI_APP_RETRY_MS 15000

/* UNLOCK asks the vault's passphrase (once per run) before the others. */
enum tui_app_screen { TUI_APP_UNLOCK, TUI_APP_SIGNIN, TUI_APP_MAIN };

enum tui_app_overlay {
    TUI_APP_NO_OVERLAY,
    TUI_APP_HELP,
    TUI_APP_PICKER,
    TUI_APP_RELOGIN,
    TUI_APP_ACCOUNTS
};

/* What the bottom line is asking for, if anything. */
enum tui_app_prompt {
    TUI_APP_NO_PROMPT,
    TUI_APP_FILTERING,      /* typing the filter of the current view */
    TUI_APP_EXPORT_NAME,    /* the export's file name */
    TUI_APP_EXPORT_CONFIRM, /* the file exists: overwrite it? */
    TUI_APP_COMMAND         /* the command line (":") */
};

/* Where the detail pane sits; chosen by the screen size at each draw. */
enum tui_app_pane {
    TUI_APP_PANE_BESIDE,
    TUI_APP_PANE_BELOW,
    TUI_APP_PANE_FULL
};

#define TUI_APP_COLUMNS_MAX 16

/* The form's stops in Tab order; PASSWORD is the access token for SSO,
 * OKTA_URL and COMPANY exist only for Okta. */
enum tui_app_focus {
    TUI_APP_METHOD,
    TUI_APP_EMAIL,
    TUI_APP_PASSWORD,
    TUI_APP_OKTA_URL,
    TUI_APP_COMPANY,
    TUI_APP_DEMO_LIST,
    TUI_APP_FOCUS_STOPS
};

/* How the form signs in; the SSO ones follow enum core_sso_provider. */
enum tui_app_method {
    TUI_APP_BY_PASSWORD,
    TUI_APP_BY_GOOGLE,
    TUI_APP_BY_MICROSOFT,
    TUI_APP_BY_OKTA,
    TUI_APP_METHODS
};

/* The sign-in form, used by the sign-in screen and the re-login overlay. */
struct tui_app_form {
    enum tui_app_method method;
    struct tui_field email;
    struct tui_field password; /* the password, or the SSO access token */
    struct tui_field okta_url;
    struct tui_field company;
    enum tui_app_focus focus;
    size_t demo_selected;
    uint64_t request;               /* the sign-in in flight, 0 none */
    char sent_email[TUI_FIELD_MAX]; /* the email of that sign-in */
    bool other_account;             /* it is not the account the session had */
    bool adding; /* "Add account…": Esc goes back to the main view */
    char error[TUI_APP_LONG_TEXT];
};

/* The vault's passphrase modal. */
struct tui_app_unlock {
    struct tui_field passphrase;
    bool pending; /* Enter was pressed: unlock after the next draw */
    char error[TUI_APP_TEXT];
};

/* The account switcher: the stored accounts and a filter. */
struct tui_app_accounts {
    struct tui_field filter;
    size_t selected; /* index among the filtered rows and "Add account…" */
    struct core_account *rows;
    size_t count;
};

/* One view of the active company as the UI shows it; the rows are the
 * session's (core_session_view). */
struct tui_app_list {
    uint64_t request;  /* the load in flight, 0 none */
    bool asked;        /* the cache was read or a load started for this
                          company */
    bool fresh;        /* the server sent this list in this run */
    bool forbidden;    /* the server answered 403 or 404 */
    size_t progress;   /* rows so far while loading */
    int64_t loaded_at; /* when the server last sent rows of it in this run
                          (unix seconds); 0 never */
    char error[TUI_APP_TEXT];
    struct tui_listview lv;
    struct tui_field filter;          /* kept with Enter, cleared with Esc */
    int natural[TUI_APP_COLUMNS_MAX]; /* widest cell of each shown column */
    size_t natural_count;             /* the row count they were found for */
};

/* The detail of the selected row, built again when the row changes. */
struct tui_app_detail {
    bool open;
    struct core_detail *lines;
    enum core_view view; /* what lines were built from */
    size_t row;
    const char *item;
    size_t top;   /* the first screen line shown */
    size_t total; /* screen lines at the last draw */
    size_t page;  /* lines shown at the last draw */
    enum tui_app_pane pane;
};

/* Where the last draw put things, for the mouse. */
struct tui_app_layout {
    int bar_y;
    int bar_x[CORE_VIEW_COUNT + 1]; /* view i spans [bar_x[i], bar_x[i+1]) */
    bool bar_shown[CORE_VIEW_COUNT];
    int header_y;
    int list_y;
    size_t visible;
    int col_x0;
    int list_x; /* the list spans [list_x, list_x + list_w) */
    int list_w;
    size_t ncols;
    int widths[TUI_APP_COLUMNS_MAX];
    size_t columns[TUI_APP_COLUMNS_MAX]; /* the view's column index */
};

struct tui_app_picker {
    struct tui_field filter;
    size_t selected; /* index among the filtered rows */
};

/* The command line: what is typed, the history, and the completions
 * shown above it, which Tab again cycles through. */
struct tui_app_command {
    struct tui_field line;
    struct tui_command_history history;
    struct tui_command_matches matches; /* shown while shown is true */
    bool shown;
    size_t current;          /* the completion Tab put in last; SIZE_MAX none */
    size_t end;              /* where the text Tab put in ends */
    char note[TUI_APP_TEXT]; /* instead of completions: "no match" */
};

struct tui_app {
    const struct tui_context *ctx;
    struct core_session *session;
    enum tui_app_screen screen;
    enum tui_app_overlay overlay;
    enum core_view view;
    struct tui_app_form form;
    struct tui_app_list lists[CORE_VIEW_COUNT];
    struct tui_app_detail detail;
    struct tui_app_layout layout;
    enum tui_app_prompt prompt;
    struct tui_field export_name;
    struct tui_app_command command;
    struct tui_app_picker picker;
    size_t help_top;  /* the help's first line shown */
    size_t help_page; /* the help's lines shown at the last draw */
    struct tui_app_unlock unlock;
    struct tui_app_accounts accounts;
    /* The vault passphrase once it unlocked, kept (locked memory) so that
     * switching account does not ask again; NULL in key-file mode. */
    struct base_secret *passphrase;
    uint64_t home_request;
    uint64_t switch_request;
    char switch_name[96]; /* the company being switched to */
    bool reload_view;     /* load the view when /api/home answers */
    bool offline;         /* the server did not answer: cached data shown */
    bool cache_warned;    /* said once that a list could not be cached */
    int64_t retry_at_ms;  /* offline: when to ask again (monotonic) */
    bool home_cached;     /* home came from the store at start */
    int64_t company;      /* the company whose rows the lists show */
    int64_t home_saved_at;
    char message[TUI_APP_LONG_TEXT];
    bool message_error;
    bool quit;
    int cursor_y; /* where to show the cursor, -1 hidden */
    int cursor_x;
};

/* Runs the UI until the user quits or a signal arrives; restores the
 * terminal and wipes the form. Returns the process exit code. */
int tui_app_run(const struct tui_context *ctx);

/* Sets the message line (printf-style). */
void tui_app_message(struct tui_app *app, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Asks /api/home again; reload_view loads the current view after it. */
void tui_app_load_home(struct tui_app *app, bool reload_view);

/* Starts (or restarts) loading a view's rows from the server. */
void tui_app_load_view(struct tui_app *app, enum core_view view);

/* Makes view the current one: shows its cached rows at once when it has
 * none yet, and loads it unless the role may not use it. */
void tui_app_show_view(struct tui_app *app, enum core_view view);

/* Whether the active membership's roles may use view. */
enum core_access tui_app_access(const struct tui_app *app, enum core_view view);

/* Builds the current view's order again when its rows, filter or sort
 * changed. */
void tui_app_order(struct tui_app *app);

/* A cell as the table shows it, on one line (into buf): "" for NULL,
 * list items joined by ", ", line breaks and tabs as spaces. */
const char *tui_app_cell_text(const struct core_column *column,
                              const char *cell, char *buf, size_t size);

/* The offline retry: asks /api/home again when its time has come. */
void tui_app_tick(struct tui_app *app);

/* Monotonic milliseconds. */
int64_t tui_app_now_ms(void);

/* The detail pane: drawn in the given area; keys while it is open. */
void tui_detail_draw(struct tui_app *app, int y, int x, int rows, int cols);
void tui_detail_close(struct tui_app *app);
bool tui_detail_key(struct tui_app *app, wint_t ch, bool is_key);

/* The export of the current view to CSV: the prompt and its keys. */
void tui_export_open(struct tui_app *app);
void tui_export_draw(struct tui_app *app, int y, int cols);
void tui_export_key(struct tui_app *app, wint_t ch, bool is_key);

/* The command line: open it (":"), draw its rows (the completions on
 * the row above y when shown, the prompt on y) and read its keys. */
void tui_command_line_open(struct tui_app *app);
int tui_command_line_rows(const struct tui_app *app);
void tui_command_line_draw(struct tui_app *app, int y, int cols);
void tui_command_line_key(struct tui_app *app, wint_t ch, bool is_key);

/* What the main screen's key for act does (the detail pane's share
 * first when it is open), for the command line. */
void tui_screen_main_act(struct tui_app *app, enum tui_config_act act);

/* The filter of the current view set to text and kept, as typing it
 * after "/" and Enter would; "" clears it as Esc does. */
void tui_screen_main_filter(struct tui_app *app, const char *text);

/* Sorts the current view by column (an index of its columns) as a click
 * on its header does. */
void tui_screen_main_sort(struct tui_app *app, size_t column);

/* Switches to company_id as choosing it in the picker does (a message
 * when it is the active one, or the membership is not accepted). */
void tui_overlay_picker_switch(struct tui_app *app, int64_t company_id);

/* Switches to the stored account (server, email) as choosing it in the
 * switcher does ("Already using" when it is the session's). */
void tui_overlay_accounts_switch(struct tui_app *app, const char *server,
                                 const char *email);

/* The active company's name for display; never NULL. */
const char *tui_app_company(const struct tui_app *app);

/* Forgets every view's rows, cursors, filters and detail (after a
 * company change). */
void tui_app_forget_views(struct tui_app *app);

/* The settings the UI runs with: the loaded config, or the built-in
 * one. */
const struct tui_config *tui_app_config(const struct tui_app *app);

/* The action a key does in scope under the bindings in force, or
 * TUI_CONFIG_ACT_NONE. */
enum tui_config_act tui_app_action(const struct tui_app *app,
                                   enum tui_config_scope scope, wint_t ch,
                                   bool is_key);

/* Opens the help over the current screen, at its top. */
void tui_app_open_help(struct tui_app *app);

/* The first key bound to act, as "r", for hints and messages. */
const char *tui_app_hint(const struct tui_app *app, enum tui_config_act act,
                         char *buf, size_t size);

/* The key line of a list overlay with a filter field (companies,
 * accounts), from the form bindings: "Enter: switch   Up/Down: move
 * Esc: close" by default. */
const char *tui_app_list_hint(const struct tui_app *app, char *buf,
                              size_t size);

/* Drops every request and all that was shown of the current account. */
void tui_app_start_over(struct tui_app *app);

/* Shows the first screen for the session's state: the main view when a
 * token is usable, the sign-in form (email filled) when not. */
void tui_app_first_screen(struct tui_app *app);

/* Replaces the session by one for (server, email): everything of the old
 * account is dropped first. false with a message when it would not
 * open (the old session then stays). */
bool tui_app_switch_account(struct tui_app *app, const char *server,
                            const char *email);

/* Clears the form for a new account: method password, all fields empty,
 * the email focused. */
void tui_app_form_reset(struct tui_app *app);

/* The screens: drawing and keys. */
void tui_screen_signin_draw(struct tui_app *app);
void tui_screen_signin_key(struct tui_app *app, wint_t ch, bool is_key);
void tui_screen_signin_relogin_draw(struct tui_app *app);
void tui_screen_signin_submit(struct tui_app *app);
void tui_screen_main_draw(struct tui_app *app);
void tui_screen_main_key(struct tui_app *app, wint_t ch, bool is_key);
void tui_overlay_help_draw(struct tui_app *app);
/* Up, Down, PgUp, PgDn scroll the help; any other key closes it. */
void tui_overlay_help_key(struct tui_app *app, wint_t ch, bool is_key);
void tui_overlay_picker_open(struct tui_app *app);
void tui_overlay_picker_draw(struct tui_app *app);
void tui_overlay_picker_key(struct tui_app *app, wint_t ch, bool is_key);
void tui_overlay_accounts_open(struct tui_app *app);
void tui_overlay_accounts_close(struct tui_app *app);
void tui_overlay_accounts_draw(struct tui_app *app);
void tui_overlay_accounts_key(struct tui_app *app, wint_t ch, bool is_key);
void tui_screen_unlock_draw(struct tui_app *app);
void tui_screen_unlock_key(struct tui_app *app, wint_t ch, bool is_key);
/* Runs a pending unlock (the KDF takes about a second); call after a
 * draw so that "Unlocking…" is on screen meanwhile. */
void tui_screen_unlock_run(struct tui_app *app);

#endif
