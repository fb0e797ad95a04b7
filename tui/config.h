/* The optional settings file (INI, read with inih): [general] settings,
 * the theme and its [colors] overrides, the [keys] bindings, and every
 * problem found in it, each as one message naming the file and line. */
#ifndef BEZALA_TUI_CONFIG_H
#define BEZALA_TUI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/status.h"

/* A larger file is not read at all. */
#define TUI_CONFIG_MAX_BYTES 65536
/* Problems kept; one more line says how many were left out. */
#define TUI_CONFIG_PROBLEMS_MAX 20
/* Keys one action may have ("Enter" alone counts 3: CR, LF, KEY_ENTER). */
#define TUI_CONFIG_KEYS_MAX 8
/* The terminal's own colour; the others are curses' COLOR_BLACK (0) to
 * COLOR_WHITE (7). */
#define TUI_CONFIG_COLOUR_DEFAULT (-1)

/* tui_config_parse's flags: others may write the file, so the settings
 * that decide where the token goes (server, cacert) are refused. */
#define TUI_CONFIG_SHARED 1u

enum tui_config_theme {
    TUI_CONFIG_THEME_DEFAULT,       /* the look bezala always had */
    TUI_CONFIG_THEME_HIGH_CONTRAST, /* bold, bright colours, no dim */
    TUI_CONFIG_THEME_MONO           /* bold, underline, reverse only */
};

/* What [colors] may set; the order of enum tui_draw_style after
 * TUI_DRAW_NORMAL. */
enum tui_config_element {
    TUI_CONFIG_STATUS,
    TUI_CONFIG_TITLE,
    TUI_CONFIG_HEADER,
    TUI_CONFIG_SELECTED,
    TUI_CONFIG_ERROR,
    TUI_CONFIG_DIM,
    TUI_CONFIG_FIELD,
    TUI_CONFIG_FOCUS,
    TUI_CONFIG_ELEMENTS
};

/* Attribute bits of a style. */
#define TUI_CONFIG_BOLD 1u
#define TUI_CONFIG_UNDERLINE 2u
#define TUI_CONFIG_REVERSE 4u
#define TUI_CONFIG_DIM_ATTR 8u

struct tui_config_style {
    int fg; /* TUI_CONFIG_COLOUR_DEFAULT or 0..7 */
    int bg;
    unsigned attrs; /* TUI_CONFIG_BOLD | ... */
};

/* Where an action's keys are read: the lists (with the detail pane) or
 * the sign-in forms. A key may serve one action per scope. */
enum tui_config_scope { TUI_CONFIG_SCOPE_MAIN = 1, TUI_CONFIG_SCOPE_FORM = 2 };

/* The actions [keys] can bind, as the UI has them. */
enum tui_config_act {
    TUI_CONFIG_ACT_NONE = -1,
    TUI_CONFIG_ACT_QUIT,
    TUI_CONFIG_ACT_HELP,
    TUI_CONFIG_ACT_REFRESH,
    TUI_CONFIG_ACT_COMPANIES,
    TUI_CONFIG_ACT_ACCOUNTS,
    TUI_CONFIG_ACT_PIN,
    TUI_CONFIG_ACT_COMMAND,
    TUI_CONFIG_ACT_FILTER,
    TUI_CONFIG_ACT_NEXT_MATCH,
    TUI_CONFIG_ACT_PREV_MATCH,
    TUI_CONFIG_ACT_SORT,
    TUI_CONFIG_ACT_SORT_REVERSE,
    TUI_CONFIG_ACT_ROLE_FILTER,
    TUI_CONFIG_ACT_EXPORT,
    TUI_CONFIG_ACT_UP,
    TUI_CONFIG_ACT_DOWN,
    TUI_CONFIG_ACT_PAGE_UP,
    TUI_CONFIG_ACT_PAGE_DOWN,
    TUI_CONFIG_ACT_TOP,
    TUI_CONFIG_ACT_BOTTOM,
    TUI_CONFIG_ACT_OPEN,
    TUI_CONFIG_ACT_CLOSE,
    TUI_CONFIG_ACT_NEXT_VIEW,
    TUI_CONFIG_ACT_PREV_VIEW,
    TUI_CONFIG_ACT_DETAIL_UP,
    TUI_CONFIG_ACT_DETAIL_DOWN,
    TUI_CONFIG_ACT_VIEW_1, /* view_1 .. view_10: keys 1-9 and 0 */
    TUI_CONFIG_ACT_VIEW_10 = TUI_CONFIG_ACT_VIEW_1 + 9,
    TUI_CONFIG_ACT_REDRAW,
    TUI_CONFIG_ACT_FORM_NEXT,
    TUI_CONFIG_ACT_FORM_PREV,
    TUI_CONFIG_ACT_FORM_SUBMIT,
    TUI_CONFIG_ACT_FORM_CANCEL,
    TUI_CONFIG_ACT_FORM_METHOD,
    TUI_CONFIG_ACT_FORM_ACCOUNTS,
    TUI_CONFIG_ACT_FORM_HELP,
    TUI_CONFIG_ACTS
};

/* One key as wget_wch reports it: a character (is_key false) or a curses
 * KEY_ code (is_key true). */
struct tui_config_key {
    int code;
    bool is_key;
};

struct tui_config;

/* The built-in settings, no problems. BASE_E_INVALID, BASE_E_NOMEM. */
enum base_status tui_config_new(struct tui_config **out)
    __attribute__((warn_unused_result));

/* Parses len bytes of buf (NUL bytes included; no file access, no
 * curses) as a config file called name in messages. Bad entries become
 * problems and keep their defaults. *out (free with tui_config_free) is
 * set only on success: BASE_OK whatever the content; BASE_E_INVALID for
 * NULL arguments or len above TUI_CONFIG_MAX_BYTES; BASE_E_NOMEM. */
enum base_status tui_config_parse(const char *buf, size_t len, const char *name,
                                  unsigned flags, struct tui_config **out)
    __attribute__((warn_unused_result));

/* Reads the file at path and parses it. A missing file gives the
 * defaults; one that is not a regular file, is larger than
 * TUI_CONFIG_MAX_BYTES or cannot be read gives the defaults and one
 * problem. A file that others may write (group or world writable, or
 * owned by another user than you or root) refuses server and cacert.
 * BASE_OK, BASE_E_INVALID, BASE_E_NOMEM; *out as tui_config_parse. */
enum base_status tui_config_load(const char *path, struct tui_config **out)
    __attribute__((warn_unused_result));

/* Frees *cfg (NULL is fine) and sets it to NULL. */
void tui_config_free(struct tui_config **cfg);

/* The [general] settings; the strings are borrowed from cfg, NULL when
 * not set (or cfg is NULL). log_level is an enum base_log_level or -1. */
const char *tui_config_server(const struct tui_config *cfg);

/* The line of a server the file names that was refused (not https, no
 * valid host, or the file shared with others), with why (borrowed from
 * cfg); 0 when there is none. The built-in default must not stand in
 * for such a server. */
int tui_config_server_refused(const struct tui_config *cfg, const char **why);
/* Why a config file that is there was not read at all (not a regular
 * file, larger than TUI_CONFIG_MAX_BYTES, unreadable), as "NAME is
 * larger than 64 KiB" (borrowed from cfg); NULL when it was read or is
 * absent. What server it names is then unknown. */
const char *tui_config_unread(const struct tui_config *cfg);
const char *tui_config_cacert(const struct tui_config *cfg);
const char *tui_config_account(const struct tui_config *cfg);
int tui_config_log_level(const struct tui_config *cfg);
bool tui_config_mouse(const struct tui_config *cfg);
enum tui_config_theme tui_config_theme(const struct tui_config *cfg);

/* The style of element under the theme and [colors]: with colour, or as
 * shown without (NO_COLOR, a terminal without colours), where fg and bg
 * are always TUI_CONFIG_COLOUR_DEFAULT. The mono theme never has colour.
 * NULL cfg gives the default theme; a bad element a plain style. */
struct tui_config_style tui_config_style(const struct tui_config *cfg,
                                         enum tui_config_element element,
                                         bool colour);

/* The problems found, in line order, each one line without "bezala: ";
 * borrowed from cfg. tui_config_problem is NULL past the count. */
size_t tui_config_problem_count(const struct tui_config *cfg);
const char *tui_config_problem(const struct tui_config *cfg, size_t i);

/* Writes every problem to out, one line each, prefixed "bezala: ". */
void tui_config_report(const struct tui_config *cfg, FILE *out);

/* The action a key does in scope, or TUI_CONFIG_ACT_NONE (also for NULL
 * cfg). */
enum tui_config_act tui_config_action(const struct tui_config *cfg,
                                      enum tui_config_scope scope, int code,
                                      bool is_key);

/* The keys of act (borrowed from cfg) and their number in *count; NULL
 * with *count 0 for a bad act or NULL cfg. */
const struct tui_config_key *tui_config_keys(const struct tui_config *cfg,
                                             enum tui_config_act act,
                                             size_t *count);

/* cfg, or the built-in settings (read-only, never freed) for NULL: the
 * UI runs with defaults when no config was loaded. */
const struct tui_config *tui_config_or_defaults(const struct tui_config *cfg);

/* The first max keys of act as a user writes them, joined by '/'
 * ("r/F5"), into buf of size bytes (cut to fit); "" when act has none.
 * Returns buf, or "" for a NULL buf or size 0. */
const char *tui_config_hint(const struct tui_config *cfg,
                            enum tui_config_act act, size_t max, char *buf,
                            size_t size);

/* The action's name in [keys] ("next_view"), or NULL. */
const char *tui_config_act_name(enum tui_config_act act);

/* The scopes (enum tui_config_scope bits) act is read in; 0 for a bad
 * act. */
unsigned tui_config_act_scope(enum tui_config_act act);

/* The keys a key name stands for ("q", "C-x", "F5", "PgDn", "Enter"),
 * at most max of them into out. Returns how many; 0 for an unknown
 * name, NULL, or too small an out. */
size_t tui_config_key_parse(const char *name, struct tui_config_key *out,
                            size_t max);

#endif
