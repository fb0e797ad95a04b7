/* The settings file: read with inih one checked line at a time, every bad
 * entry turned into a message and its default kept. */
#include "tui/config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>
#include <ini.h>

#include "base/log.h"
#include "core/http.h"
#include "tui/options.h"
#include "tui/text.h"

#define PROBLEM_BYTES 768
#define QUOTE_COLS 40
#define NAME_COLS 120
#define VALUE_BYTES 256
#define KEY_NAME_BYTES 16
#define SPACES " \t\r\f\v"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const colour_names[] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

static const char *const element_names[TUI_CONFIG_ELEMENTS] = {
    "status", "title", "header", "selected", "error", "dim", "field", "focus"};

static const char *const theme_names[] = {"default", "high-contrast", "mono"};

struct attr_name {
    const char *name;
    unsigned bit;
};

static const struct attr_name attr_names[] = {
    {"bold", TUI_CONFIG_BOLD},
    {"underline", TUI_CONFIG_UNDERLINE},
    {"reverse", TUI_CONFIG_REVERSE},
    {"dim", TUI_CONFIG_DIM_ATTR}};

#define MAIN TUI_CONFIG_SCOPE_MAIN
#define FORM TUI_CONFIG_SCOPE_FORM

struct action_info {
    const char *name;
    unsigned scope;
    const char *keys; /* the defaults, as a [keys] value */
};

/* Today's keys, as tui/screen_keys.c, tui/detail.c, tui/app.c and
 * tui/screen_signin.c read them. */
static const struct action_info actions[TUI_CONFIG_ACTS] = {
    [TUI_CONFIG_ACT_QUIT] = {"quit", MAIN, "q"},
    [TUI_CONFIG_ACT_HELP] = {"help", MAIN, "?, F1"},
    [TUI_CONFIG_ACT_REFRESH] = {"refresh", MAIN, "r, F5"},
    [TUI_CONFIG_ACT_COMPANIES] = {"companies", MAIN, "c"},
    [TUI_CONFIG_ACT_ACCOUNTS] = {"accounts", MAIN, "a"},
    [TUI_CONFIG_ACT_PIN] = {"pin", MAIN, "p"},
    [TUI_CONFIG_ACT_COMMAND] = {"command", MAIN, ":"},
    [TUI_CONFIG_ACT_FILTER] = {"filter", MAIN, "/"},
    [TUI_CONFIG_ACT_NEXT_MATCH] = {"next_match", MAIN, "n"},
    [TUI_CONFIG_ACT_PREV_MATCH] = {"prev_match", MAIN, "N"},
    [TUI_CONFIG_ACT_SORT] = {"sort", MAIN, "s"},
    [TUI_CONFIG_ACT_SORT_REVERSE] = {"sort_reverse", MAIN, "S"},
    [TUI_CONFIG_ACT_ROLE_FILTER] = {"role_filter", MAIN, "R"},
    [TUI_CONFIG_ACT_EXPORT] = {"export", MAIN, "e"},
    [TUI_CONFIG_ACT_UP] = {"up", MAIN, "Up, k"},
    [TUI_CONFIG_ACT_DOWN] = {"down", MAIN, "Down, j"},
    [TUI_CONFIG_ACT_PAGE_UP] = {"page_up", MAIN, "PgUp"},
    [TUI_CONFIG_ACT_PAGE_DOWN] = {"page_down", MAIN, "PgDn"},
    [TUI_CONFIG_ACT_TOP] = {"top", MAIN, "Home, g"},
    [TUI_CONFIG_ACT_BOTTOM] = {"bottom", MAIN, "End, G"},
    [TUI_CONFIG_ACT_OPEN] = {"open", MAIN, "Enter"},
    [TUI_CONFIG_ACT_CLOSE] = {"close", MAIN, "Esc"},
    [TUI_CONFIG_ACT_NEXT_VIEW] = {"next_view", MAIN, "], Tab, Right"},
    [TUI_CONFIG_ACT_PREV_VIEW] = {"prev_view", MAIN, "[, S-Tab, Left"},
    [TUI_CONFIG_ACT_DETAIL_UP] = {"detail_up", MAIN, "K"},
    [TUI_CONFIG_ACT_DETAIL_DOWN] = {"detail_down", MAIN, "J"},
    [TUI_CONFIG_ACT_VIEW_1] = {"view_1", MAIN, "1"},
    [TUI_CONFIG_ACT_VIEW_1 + 1] = {"view_2", MAIN, "2"},
    [TUI_CONFIG_ACT_VIEW_1 + 2] = {"view_3", MAIN, "3"},
    [TUI_CONFIG_ACT_VIEW_1 + 3] = {"view_4", MAIN, "4"},
    [TUI_CONFIG_ACT_VIEW_1 + 4] = {"view_5", MAIN, "5"},
    [TUI_CONFIG_ACT_VIEW_1 + 5] = {"view_6", MAIN, "6"},
    [TUI_CONFIG_ACT_VIEW_1 + 6] = {"view_7", MAIN, "7"},
    [TUI_CONFIG_ACT_VIEW_1 + 7] = {"view_8", MAIN, "8"},
    [TUI_CONFIG_ACT_VIEW_1 + 8] = {"view_9", MAIN, "9"},
    [TUI_CONFIG_ACT_VIEW_10] = {"view_10", MAIN, "0"},
    [TUI_CONFIG_ACT_REDRAW] = {"redraw", MAIN | FORM, "C-l"},
    [TUI_CONFIG_ACT_FORM_NEXT] = {"form_next", FORM, "Tab, Down"},
    [TUI_CONFIG_ACT_FORM_PREV] = {"form_prev", FORM, "S-Tab, Up"},
    [TUI_CONFIG_ACT_FORM_SUBMIT] = {"form_submit", FORM, "Enter"},
    [TUI_CONFIG_ACT_FORM_CANCEL] = {"form_cancel", FORM, "Esc"},
    [TUI_CONFIG_ACT_FORM_METHOD] = {"form_method", FORM, "F2"},
    [TUI_CONFIG_ACT_FORM_ACCOUNTS] = {"form_accounts", FORM, "F3"},
    [TUI_CONFIG_ACT_FORM_HELP] = {"form_help", FORM, "F1"},
};

struct named_key {
    const char *name;
    int code;
    bool is_key;
};

/* A name listed more than once stands for all its codes. */
static const struct named_key named_keys[] = {
    {"Up", KEY_UP, true},
    {"Down", KEY_DOWN, true},
    {"Left", KEY_LEFT, true},
    {"Right", KEY_RIGHT, true},
    {"PgUp", KEY_PPAGE, true},
    {"PgDn", KEY_NPAGE, true},
    {"Home", KEY_HOME, true},
    {"End", KEY_END, true},
    {"Enter", '\r', false},
    {"Enter", '\n', false},
    {"Enter", KEY_ENTER, true},
    {"Esc", 27, false},
    {"Tab", '\t', false},
    {"S-Tab", KEY_BTAB, true},
    {"Space", ' ', false},
    {"Comma", ',', false},
    {"Backspace", KEY_BACKSPACE, true},
    {"Backspace", 127, false},
    {"Backspace", 8, false},
    {"Delete", KEY_DC, true},
    {"Insert", KEY_IC, true}};

#define KEY_NAMES_HINT                                                     \
    "a character, C-x, F1..F12, Up, Down, Left, Right, PgUp, PgDn, Home, " \
    "End, Enter, Esc, Tab, S-Tab, Space, Comma, Backspace, Delete, Insert"

/* The styles of each theme, with colour and without. */
#define S(fg, bg, attrs) \
    {                    \
        fg, bg, attrs    \
    }
#define NO_COLOUR TUI_CONFIG_COLOUR_DEFAULT
#define B TUI_CONFIG_BOLD
#define U TUI_CONFIG_UNDERLINE
#define R TUI_CONFIG_REVERSE
#define D TUI_CONFIG_DIM_ATTR

static const struct tui_config_style theme_colour[][TUI_CONFIG_ELEMENTS] = {
    [TUI_CONFIG_THEME_DEFAULT] =
        {S(COLOR_WHITE, COLOR_BLUE, B), S(COLOR_CYAN, NO_COLOUR, B),
         S(NO_COLOUR, NO_COLOUR, B | U), S(COLOR_BLACK, COLOR_CYAN, 0),
         S(COLOR_RED, NO_COLOUR, B), S(NO_COLOUR, NO_COLOUR, D),
         S(NO_COLOUR, NO_COLOUR, U), S(NO_COLOUR, NO_COLOUR, U | B)},
    /* A colour only ever comes with its own background, so that each
     * element reads on a light terminal as on a dark one; the rest is
     * the terminal's own colours, bold. */
    [TUI_CONFIG_THEME_HIGH_CONTRAST] =
        {S(COLOR_BLACK, COLOR_WHITE, 0), S(NO_COLOUR, NO_COLOUR, B),
         S(NO_COLOUR, NO_COLOUR, B | U), S(COLOR_BLACK, COLOR_CYAN, 0),
         S(COLOR_WHITE, COLOR_RED, B), S(NO_COLOUR, NO_COLOUR, 0),
         S(NO_COLOUR, NO_COLOUR, B | U), S(COLOR_BLACK, COLOR_YELLOW, B | U)},
    [TUI_CONFIG_THEME_MONO] =
        {S(NO_COLOUR, NO_COLOUR, R), S(NO_COLOUR, NO_COLOUR, B),
         S(NO_COLOUR, NO_COLOUR, B | U), S(NO_COLOUR, NO_COLOUR, R),
         S(NO_COLOUR, NO_COLOUR, B), S(NO_COLOUR, NO_COLOUR, 0),
         S(NO_COLOUR, NO_COLOUR, U), S(NO_COLOUR, NO_COLOUR, U | B)},
};

static const struct tui_config_style theme_plain[][TUI_CONFIG_ELEMENTS] = {
    [TUI_CONFIG_THEME_DEFAULT] =
        {S(NO_COLOUR, NO_COLOUR, R), S(NO_COLOUR, NO_COLOUR, B),
         S(NO_COLOUR, NO_COLOUR, B | U), S(NO_COLOUR, NO_COLOUR, R),
         S(NO_COLOUR, NO_COLOUR, B), S(NO_COLOUR, NO_COLOUR, D),
         S(NO_COLOUR, NO_COLOUR, U), S(NO_COLOUR, NO_COLOUR, U | B)},
    [TUI_CONFIG_THEME_HIGH_CONTRAST] =
        {S(NO_COLOUR, NO_COLOUR, R | B), S(NO_COLOUR, NO_COLOUR, B),
         S(NO_COLOUR, NO_COLOUR, B | U), S(NO_COLOUR, NO_COLOUR, R | B),
         S(NO_COLOUR, NO_COLOUR, B), S(NO_COLOUR, NO_COLOUR, 0),
         S(NO_COLOUR, NO_COLOUR, U | B), S(NO_COLOUR, NO_COLOUR, U | B)},
    [TUI_CONFIG_THEME_MONO] =
        {S(NO_COLOUR, NO_COLOUR, R), S(NO_COLOUR, NO_COLOUR, B),
         S(NO_COLOUR, NO_COLOUR, B | U), S(NO_COLOUR, NO_COLOUR, R),
         S(NO_COLOUR, NO_COLOUR, B), S(NO_COLOUR, NO_COLOUR, 0),
         S(NO_COLOUR, NO_COLOUR, U), S(NO_COLOUR, NO_COLOUR, U | B)},
};

#undef S
#undef B
#undef U
#undef R
#undef D

enum general_key {
    GENERAL_SERVER,
    GENERAL_CACERT,
    GENERAL_ACCOUNT,
    GENERAL_LOG_LEVEL,
    GENERAL_MOUSE,
    GENERAL_THEME,
    GENERAL_KEYS
};

static const char *const general_names[GENERAL_KEYS] = {
    "server", "cacert", "account", "log_level", "mouse", "theme"};

struct problem {
    int line; /* 0 for the file as a whole */
    char *text;
};

struct tui_config {
    char *server;
    int server_line; /* the line of a server that is not used, or 0 */
    char server_why[PROBLEM_BYTES / 2]; /* and why */
    char unread[PROBLEM_BYTES / 2];     /* why the file was not read, or "" */
    char *cacert;
    char *account;
    int log_level;
    bool mouse;
    enum tui_config_theme theme;
    struct tui_config_style colour[TUI_CONFIG_ELEMENTS];
    struct tui_config_style plain[TUI_CONFIG_ELEMENTS];
    struct tui_config_key keys[TUI_CONFIG_ACTS][TUI_CONFIG_KEYS_MAX];
    size_t nkeys[TUI_CONFIG_ACTS];
    struct problem problems[TUI_CONFIG_PROBLEMS_MAX + 1];
    size_t nproblems;
    size_t dropped; /* problems past TUI_CONFIG_PROBLEMS_MAX */
};

/* A [colors] entry: line 0 when the file has none for the element. */
struct override {
    int line;
    struct tui_config_style style;
};

struct parser {
    struct tui_config *cfg;
    const char *name;
    unsigned flags;
    const char *buf;
    size_t len;
    size_t pos;
    int line; /* of the line inih is reading */
    bool nomem;
    int general_line[GENERAL_KEYS];
    struct override colours[TUI_CONFIG_ELEMENTS];
    int key_line[TUI_CONFIG_ACTS];
    char section[64]; /* the unknown section said last, once per run */
    bool section_said;
};

static int find_name(const char *const *names, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcasecmp(names[i], name) == 0)
            return (int)i;
    }
    return -1;
}

/* s made safe to print and cut to a few words. */
static const char *quote(const char *s, char *buf, size_t size)
{
    tui_text_fit(s, QUOTE_COLS, buf, size);
    return buf;
}

static bool add_problem(struct tui_config *cfg, int line, const char *text)
{
    char *copy;

    if (cfg->nproblems >= TUI_CONFIG_PROBLEMS_MAX) {
        cfg->dropped++;
        return true;
    }
    copy = strdup(text);
    if (!copy)
        return false;
    cfg->problems[cfg->nproblems].line = line;
    cfg->problems[cfg->nproblems].text = copy;
    cfg->nproblems++;
    return true;
}

static void vsay(struct parser *p, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void vsay(struct parser *p, int line, const char *fmt, va_list ap)
{
    char text[PROBLEM_BYTES];
    int n = snprintf(text, sizeof(text), "%s line %d: ", p->name, line);

    if (n < 0 || (size_t)n >= sizeof(text))
        n = 0;
    vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
    if (!add_problem(p->cfg, line, text))
        p->nomem = true;
}

/* One problem on the line being read. */
static void say(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(struct parser *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsay(p, p->line, fmt, ap);
    va_end(ap);
}

static void say_at(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say_at(struct parser *p, int line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsay(p, line, fmt, ap);
    va_end(ap);
}

/* ---- key names ---- */

/* The code point of s when s is exactly one printable UTF-8 character
 * (not a space or a control), else -1. */
static int one_character(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] < 0x80 ? 1 : u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
    int min[] = {0, 0, 0x80, 0x800, 0x10000};
    int code = n == 1 ? u[0] : u[0] & (0x3f >> (n - 1));
    size_t i;

    if (u[0] == '\0' || (u[0] >= 0x80 && u[0] < 0xc2) || u[0] > 0xf4)
        return -1;
    for (i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return -1;
        code = (code << 6) | (u[i] & 0x3f);
    }
    if (u[n] != '\0' || code < min[n] || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff))
        return -1;
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f))
        return -1;
    return code;
}

/* C-x or Ctrl-x: the control character, or -1. */
static int control_key(const char *s)
{
    const char *rest = NULL;
    int c;

    if (strncasecmp(s, "C-", 2) == 0)
        rest = s + 2;
    else if (strncasecmp(s, "Ctrl-", 5) == 0)
        rest = s + 5;
    if (!rest || rest[0] == '\0' || rest[1] != '\0')
        return -1;
    c = (unsigned char)rest[0];
    if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
    if ((c >= 'a' && c <= 'z') || strchr("@[\\]^_", c))
        return c & 0x1f;
    return -1;
}

/* F1..F12: the curses code, or -1. */
static int function_key(const char *s)
{
    int n;

    if ((s[0] != 'F' && s[0] != 'f') || s[1] < '1' || s[1] > '9')
        return -1;
    n = s[1] - '0';
    if (s[2] >= '0' && s[2] <= '9' && s[3] == '\0')
        n = n * 10 + (s[2] - '0');
    else if (s[2] != '\0')
        return -1;
    return n <= 12 ? KEY_F(n) : -1;
}

size_t tui_config_key_parse(const char *name, struct tui_config_key *out,
                            size_t max)
{
    size_t n = 0;
    size_t i;
    int code;

    if (!name || !out || max == 0)
        return 0;
    code = one_character(name);
    if (code < 0)
        code = control_key(name);
    if (code >= 0) {
        out[0] = (struct tui_config_key){code, false};
        return 1;
    }
    code = function_key(name);
    if (code >= 0) {
        out[0] = (struct tui_config_key){code, true};
        return 1;
    }
    for (i = 0; i < COUNT(named_keys); i++) {
        if (strcasecmp(named_keys[i].name, name) != 0)
            continue;
        if (n == max)
            return 0;
        out[n++] =
            (struct tui_config_key){named_keys[i].code, named_keys[i].is_key};
    }
    return n;
}

/* A key as the user writes it, for messages. */
static const char *key_label(struct tui_config_key key, char *buf, size_t size)
{
    size_t i;

    for (i = 0; i < COUNT(named_keys); i++) {
        if (named_keys[i].code == key.code &&
            named_keys[i].is_key == key.is_key)
            return named_keys[i].name;
    }
    if (key.is_key && key.code >= KEY_F(1) && key.code <= KEY_F(12))
        snprintf(buf, size, "F%d", key.code - KEY_F(0));
    else if (key.is_key)
        snprintf(buf, size, "key %d", key.code);
    else if (key.code >= 0 && key.code < 0x20)
        snprintf(buf, size, "C-%c",
                 key.code >= 1 && key.code <= 26 ? key.code + 'a' - 1
                                                 : key.code + '@');
    else if (key.code < 0x80)
        snprintf(buf, size, "%c", key.code);
    else if (key.code < 0x800)
        snprintf(buf, size, "%c%c", 0xc0 | (key.code >> 6),
                 0x80 | (key.code & 0x3f));
    else if (key.code < 0x10000)
        snprintf(buf, size, "%c%c%c", 0xe0 | (key.code >> 12),
                 0x80 | ((key.code >> 6) & 0x3f), 0x80 | (key.code & 0x3f));
    else
        snprintf(buf, size, "%c%c%c%c", 0xf0 | (key.code >> 18),
                 0x80 | ((key.code >> 12) & 0x3f),
                 0x80 | ((key.code >> 6) & 0x3f), 0x80 | (key.code & 0x3f));
    return buf;
}

/* Typed into a form's fields: a printable character. */
static bool typed(struct tui_config_key key)
{
    return !key.is_key && key.code >= 0x20 && key.code != 0x7f;
}

static bool holds_key(const struct tui_config_key *keys, size_t n,
                      struct tui_config_key key)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (keys[i].code == key.code && keys[i].is_key == key.is_key)
            return true;
    }
    return false;
}

enum list_error { LIST_OK, LIST_EMPTY, LIST_UNKNOWN, LIST_TOO_MANY };

/* Parses "key, key, ..." into out (duplicates dropped). On an error the
 * name at fault is copied into bad. */
static enum list_error parse_key_list(const char *list,
                                      struct tui_config_key *out, size_t *count,
                                      char *bad, size_t size)
{
    struct tui_config_key one[TUI_CONFIG_KEYS_MAX];
    char buf[VALUE_BYTES];
    char *save = NULL;
    char *tok;
    size_t n = 0;
    size_t got;
    size_t i;

    snprintf(buf, sizeof(buf), "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        tok += strspn(tok, SPACES);
        tok[strcspn(tok, SPACES)] = '\0';
        snprintf(bad, size, "%s", tok);
        got = tui_config_key_parse(tok, one, COUNT(one));
        if (got == 0)
            return tok[0] ? LIST_UNKNOWN : LIST_EMPTY;
        for (i = 0; i < got; i++) {
            if (holds_key(out, n, one[i]))
                continue;
            if (n == TUI_CONFIG_KEYS_MAX)
                return LIST_TOO_MANY;
            out[n++] = one[i];
        }
    }
    *count = n;
    return n ? LIST_OK : LIST_EMPTY;
}

static void default_keys(struct tui_config *cfg, int act)
{
    char bad[VALUE_BYTES];

    cfg->nkeys[act] = 0;
    if (parse_key_list(actions[act].keys, cfg->keys[act], &cfg->nkeys[act], bad,
                       sizeof(bad)) != LIST_OK)
        cfg->nkeys[act] = 0;
}

/* ---- [general] ---- */

/* Refuses a setting that decides where the token goes when others may
 * write the file. */
static bool trusted(struct parser *p, const char *key)
{
    if (!(p->flags & TUI_CONFIG_SHARED))
        return true;
    say(p,
        "%s is refused: others may write this file or its folder and "
        "could send your token elsewhere; run chmod go-w on them and make "
        "them yours",
        key);
    return false;
}

static bool set_string(struct parser *p, char **slot, const char *value)
{
    char *copy = strdup(value);

    if (!copy) {
        p->nomem = true;
        return false;
    }
    free(*slot);
    *slot = copy;
    return true;
}

static bool set_server(struct parser *p, const char *value)
{
    char err[PROBLEM_BYTES / 2];
    char safe[PROBLEM_BYTES / 2];

    char *normal = NULL;

    p->cfg->server_line = p->line;
    if (!trusted(p, "server")) {
        snprintf(p->cfg->server_why, sizeof(p->cfg->server_why),
                 "others may write the file or its folder");
        return false;
    }
    if (tui_options_check_server(value, err, sizeof(err)) != BASE_OK ||
        core_http_check_url(value, &normal, err, sizeof(err)) != BASE_OK) {
        tui_text_fit(err, NAME_COLS * 2, safe, sizeof(safe));
        say(p, "%s; nothing is sent until it is fixed or --server is given",
            safe);
        snprintf(p->cfg->server_why, sizeof(p->cfg->server_why), "%s", safe);
        return false;
    }
    free(normal);
    p->cfg->server_line = 0;
    return set_string(p, &p->cfg->server, value);
}

static bool set_cacert(struct parser *p, const char *value)
{
    char q[VALUE_BYTES];

    if (!trusted(p, "cacert"))
        return false;
    if (value[0] != '/') {
        say(p, "cacert needs an absolute path, not '%s'",
            quote(value, q, sizeof(q)));
        return false;
    }
    return set_string(p, &p->cfg->cacert, value);
}

static bool set_account(struct parser *p, const char *value)
{
    const unsigned char *c;

    if (!value[0] || strlen(value) > 254) {
        say(p, "account needs an email address of 1 to 254 bytes");
        return false;
    }
    for (c = (const unsigned char *)value; *c; c++) {
        if (*c <= 0x20 || *c == 0x7f) {
            say(p, "account holds a space or control character: give an "
                   "email address");
            return false;
        }
    }
    return set_string(p, &p->cfg->account, value);
}

static bool set_mouse(struct parser *p, const char *value)
{
    static const char *const on[] = {"on", "yes", "true", "1"};
    static const char *const off[] = {"off", "no", "false", "0"};
    char q[VALUE_BYTES];

    if (find_name(on, COUNT(on), value) >= 0) {
        p->cfg->mouse = true;
        return true;
    }
    if (find_name(off, COUNT(off), value) >= 0) {
        p->cfg->mouse = false;
        return true;
    }
    say(p, "mouse is '%s': use on or off", quote(value, q, sizeof(q)));
    return false;
}

static bool set_general(struct parser *p, enum general_key key,
                        const char *value)
{
    char q[VALUE_BYTES];
    int found;

    switch (key) {
    case GENERAL_SERVER:
        return set_server(p, value);
    case GENERAL_CACERT:
        return set_cacert(p, value);
    case GENERAL_ACCOUNT:
        return set_account(p, value);
    case GENERAL_MOUSE:
        return set_mouse(p, value);
    case GENERAL_LOG_LEVEL:
        found = base_log_level_parse(value);
        if (found >= 0)
            p->cfg->log_level = found;
        else
            say(p, "unknown log_level '%s' (error, warn, info, debug)",
                quote(value, q, sizeof(q)));
        return found >= 0;
    default:
        found = find_name(theme_names, COUNT(theme_names), value);
        if (found >= 0)
            p->cfg->theme = (enum tui_config_theme)found;
        else
            say(p, "unknown theme '%s' (default, high-contrast, mono)",
                quote(value, q, sizeof(q)));
        return found >= 0;
    }
}

static void general_entry(struct parser *p, const char *name, const char *value)
{
    int key = find_name(general_names, GENERAL_KEYS, name);
    char q[VALUE_BYTES];

    if (key < 0) {
        say(p,
            "unknown setting '%s' in [general] (server, cacert, account, "
            "log_level, mouse, theme)",
            quote(name, q, sizeof(q)));
        return;
    }
    if (p->general_line[key]) {
        say(p, "%s was already set on line %d; this line is ignored",
            general_names[key], p->general_line[key]);
        return;
    }
    if (set_general(p, (enum general_key)key, value))
        p->general_line[key] = p->line;
}

/* ---- [colors] ---- */

/* The colour called name (-1 for "default") into *out; false if none. */
static bool colour_named(const char *name, int *out)
{
    int found = find_name(colour_names, COUNT(colour_names), name);

    if (strcasecmp(name, "default") == 0)
        found = TUI_CONFIG_COLOUR_DEFAULT;
    else if (found < 0)
        return false;
    *out = found;
    return true;
}

static bool attr_named(const char *name, unsigned *bits)
{
    size_t i;

    for (i = 0; i < COUNT(attr_names); i++) {
        if (strcasecmp(attr_names[i].name, name) == 0) {
            *bits |= attr_names[i].bit;
            return true;
        }
    }
    return false;
}

#define COLOURS_HINT \
    "(default, black, red, green, yellow, blue, magenta, cyan, white)"

/* "on BG": tok is the word after "on". */
static bool background(struct parser *p, const char *tok,
                       struct tui_config_style *s)
{
    char q[VALUE_BYTES];

    if (!tok) {
        say(p, "'on' needs a colour after it " COLOURS_HINT);
        return false;
    }
    if (!colour_named(tok, &s->bg)) {
        say(p, "unknown colour '%s' " COLOURS_HINT, quote(tok, q, sizeof(q)));
        return false;
    }
    return true;
}

/* FG [on BG] [bold] [underline] [reverse] [dim] into *out. */
static bool parse_style(struct parser *p, const char *value,
                        struct tui_config_style *out)
{
    struct tui_config_style s = {NO_COLOUR, NO_COLOUR, 0};
    char buf[VALUE_BYTES];
    char q[VALUE_BYTES];
    char *save = NULL;
    char *tok;
    bool first = true;

    snprintf(buf, sizeof(buf), "%s", value);
    for (tok = strtok_r(buf, SPACES, &save); tok;
         tok = strtok_r(NULL, SPACES, &save), first = false) {
        if (strcasecmp(tok, "on") == 0) {
            if (!background(p, strtok_r(NULL, SPACES, &save), &s))
                return false;
        } else if (attr_named(tok, &s.attrs)) {
            continue;
        } else if (!(first && colour_named(tok, &s.fg))) {
            say(p, "unknown %s '%s' %s", first ? "colour" : "attribute",
                quote(tok, q, sizeof(q)),
                first ? COLOURS_HINT
                      : "(bold, underline, reverse, dim; a colour comes "
                        "first, then 'on' and the background)");
            return false;
        }
    }
    if (first) {
        say(p, "no colour given: write e.g. 'white on blue bold'");
        return false;
    }
    *out = s;
    return true;
}

static void colour_entry(struct parser *p, const char *name, const char *value)
{
    int element = find_name(element_names, TUI_CONFIG_ELEMENTS, name);
    struct tui_config_style style;
    char q[VALUE_BYTES];

    if (element < 0) {
        say(p,
            "unknown element '%s' in [colors] (status, title, header, "
            "selected, error, dim, field, focus)",
            quote(name, q, sizeof(q)));
        return;
    }
    if (p->colours[element].line) {
        say(p, "%s was already set on line %d; this line is ignored",
            element_names[element], p->colours[element].line);
        return;
    }
    if (!parse_style(p, value, &style))
        return;
    p->colours[element].line = p->line;
    p->colours[element].style = style;
}

/* ---- [keys] ---- */

static int find_action(const char *name)
{
    size_t i;

    for (i = 0; i < TUI_CONFIG_ACTS; i++) {
        if (strcasecmp(actions[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

static void say_unknown_action(struct parser *p, const char *name)
{
    char list[PROBLEM_BYTES / 2] = "";
    char q[VALUE_BYTES];
    int i;

    for (i = 0; i < TUI_CONFIG_ACTS; i++) {
        if (i > TUI_CONFIG_ACT_VIEW_1 && i <= TUI_CONFIG_ACT_VIEW_10)
            continue;
        if (i > 0)
            tui_text_append(list, sizeof(list), ", ");
        tui_text_append(list, sizeof(list), actions[i].name);
        if (i == TUI_CONFIG_ACT_VIEW_1)
            tui_text_append(list, sizeof(list), "..view_10");
    }
    say(p, "unknown action '%s' in [keys] (%s)", quote(name, q, sizeof(q)),
        list);
}

/* Form actions may not take a key that is typed into the fields. */
static bool form_safe(struct parser *p, int act,
                      const struct tui_config_key *keys, size_t n)
{
    char name[KEY_NAME_BYTES];
    size_t i;

    if (!(actions[act].scope & FORM))
        return true;
    for (i = 0; i < n; i++) {
        if (typed(keys[i])) {
            say(p,
                "%s cannot use '%s': it is typed into the form's fields; "
                "pick C-x, F1..F12 or a named key",
                actions[act].name, key_label(keys[i], name, sizeof(name)));
            return false;
        }
    }
    return true;
}

/* The terminal keeps these: C-c and C-z send signals, and with flow
 * control on (curses' cbreak leaves it so) C-s and C-q stop and start
 * the output. */
static bool reserved_free(struct parser *p, int act,
                          const struct tui_config_key *keys, size_t n)
{
    char name[KEY_NAME_BYTES];
    size_t i;

    for (i = 0; i < n; i++) {
        if (keys[i].is_key || (keys[i].code != 3 && keys[i].code != 26 &&
                               keys[i].code != 19 && keys[i].code != 17))
            continue;
        say(p,
            "%s cannot use %s: the terminal keeps C-c, C-z, C-s and C-q "
            "for itself; pick another key",
            actions[act].name, key_label(keys[i], name, sizeof(name)));
        return false;
    }
    return true;
}

static void key_entry(struct parser *p, const char *name, const char *value)
{
    struct tui_config_key keys[TUI_CONFIG_KEYS_MAX];
    int act = find_action(name);
    char bad[VALUE_BYTES];
    char q[VALUE_BYTES];
    enum list_error error;
    size_t n = 0;

    if (act < 0) {
        say_unknown_action(p, name);
        return;
    }
    if (p->key_line[act]) {
        say(p, "%s was already set on line %d; this line is ignored",
            actions[act].name, p->key_line[act]);
        return;
    }
    error = parse_key_list(value, keys, &n, bad, sizeof(bad));
    if (error == LIST_UNKNOWN)
        say(p, "unknown key name '%s' (" KEY_NAMES_HINT ")",
            quote(bad, q, sizeof(q)));
    else if (error == LIST_EMPTY)
        say(p, "%s has an empty key name: write e.g. '%s = %s'",
            actions[act].name, actions[act].name, actions[act].keys);
    else if (error == LIST_TOO_MANY)
        say(p, "%s has more than %d keys", actions[act].name,
            TUI_CONFIG_KEYS_MAX);
    if (error != LIST_OK || !form_safe(p, act, keys, n) ||
        !reserved_free(p, act, keys, n))
        return;
    memcpy(p->cfg->keys[act], keys, n * sizeof(keys[0]));
    p->cfg->nkeys[act] = n;
    p->key_line[act] = p->line;
}

/* The first key a and b share, or -1. */
static int shared_key(const struct tui_config *cfg, int a, int b)
{
    size_t i;

    for (i = 0; i < cfg->nkeys[a]; i++) {
        if (holds_key(cfg->keys[b], cfg->nkeys[b], cfg->keys[a][i]))
            return (int)i;
    }
    return -1;
}

/* Finds one key that two actions of a scope share and puts the later
 * line's action back to its defaults. False when there is none. Only
 * the file's entries can clash: the defaults do not. */
static bool undo_one_clash(struct parser *p)
{
    struct tui_config *cfg = p->cfg;
    char name[KEY_NAME_BYTES];
    int a, b, at, loser;

    for (a = 0; a < TUI_CONFIG_ACTS; a++) {
        for (b = 0; b < TUI_CONFIG_ACTS && p->key_line[a]; b++) {
            if (a == b || !(actions[a].scope & actions[b].scope))
                continue;
            at = shared_key(cfg, a, b);
            if (at < 0)
                continue;
            loser = p->key_line[b] > p->key_line[a] ? b : a;
            say_at(p, p->key_line[loser],
                   "key %s is bound to both %s and %s; %s keeps its "
                   "default keys (%s)",
                   key_label(cfg->keys[a][at], name, sizeof(name)),
                   actions[a].name, actions[b].name, actions[loser].name,
                   actions[loser].keys);
            default_keys(cfg, loser);
            p->key_line[loser] = 0;
            return true;
        }
    }
    return false;
}

/* ---- the parse ---- */

static void entry_outside(struct parser *p, const char *section,
                          const char *name)
{
    char q[VALUE_BYTES];

    if (p->section_said &&
        strncmp(p->section, section, sizeof(p->section) - 1) == 0)
        return;
    snprintf(p->section, sizeof(p->section), "%s", section);
    p->section_said = true;
    if (!section[0])
        say(p,
            "'%s' comes before any section: put it under [general], "
            "[colors] or [keys]",
            quote(name, q, sizeof(q)));
    else
        say(p,
            "unknown section [%s] (general, colors, keys); its entries "
            "are ignored",
            quote(section, q, sizeof(q)));
}

static int on_entry(void *user, const char *section, const char *name,
                    const char *value)
{
    struct parser *p = user;

    if (p->nomem || !section || !name || !value)
        return 1;
    if (strcasecmp(section, "general") == 0)
        general_entry(p, name, value);
    else if (strcasecmp(section, "colors") == 0)
        colour_entry(p, name, value);
    else if (strcasecmp(section, "keys") == 0)
        key_entry(p, name, value);
    else
        entry_outside(p, section, name);
    return 1;
}

static int accept_entry(void *user, const char *section, const char *name,
                        const char *value)
{
    return 1;
}

/* A reader that gives inih one line once. */
static char *give_once(char *str, int num, void *stream)
{
    const char **line = stream;

    if (!*line || strlen(*line) >= (size_t)num)
        return NULL;
    memcpy(str, *line, strlen(*line) + 1);
    *line = NULL;
    return str;
}

/* Whether inih reads line (with its newline) alone without an error. */
static bool well_formed(const char *line)
{
    const char *stream = line;

    return ini_parse_stream(give_once, &stream, accept_entry, NULL) == 0;
}

/* Checks the next line before inih sees it: a line inih would refuse,
 * one too long for its buffer or one with a NUL byte is said and given
 * as an empty line, so that every problem is said once, on its line.
 * Leading blanks go, so that no line continues the one before. */
static char *read_line(char *str, int num, void *stream)
{
    struct parser *p = stream;
    const char *start = p->buf + p->pos;
    const char *nl;
    size_t n;
    size_t blank;

    if (p->pos >= p->len || num < 3)
        return NULL;
    nl = memchr(start, '\n', p->len - p->pos);
    n = nl ? (size_t)(nl - start) : p->len - p->pos;
    p->pos += n + (nl != NULL);
    p->line++;
    for (blank = 0;
         blank < n && strchr(SPACES, start[blank]) && start[blank] != '\0';
         blank++)
        ;
    start += blank;
    n -= blank;
    if (memchr(start, '\0', n)) {
        say(p, "holds a NUL byte; the line is ignored");
        n = 0;
    } else if (n + 2 > (size_t)num) {
        say(p, "longer than %d bytes; the line is ignored", num - 3);
        n = 0;
    }
    memcpy(str, start, n);
    memcpy(str + n, "\n", 2);
    if (n > 0 && !well_formed(str)) {
        say(p, "%s; the line is ignored",
            str[0] == '[' ? "a section needs a closing ']' ([general], "
                            "[colors] or [keys])"
                          : "not 'name = value', a [section] or a ; "
                            "comment");
        memcpy(str, "\n", 2);
    }
    return str;
}

static void resolve_theme(struct parser *p)
{
    struct tui_config *cfg = p->cfg;
    const struct override *o;
    int t = (int)cfg->theme;
    size_t e;

    for (e = 0; e < TUI_CONFIG_ELEMENTS; e++) {
        o = &p->colours[e];
        cfg->colour[e] = o->line ? o->style : theme_colour[t][e];
        cfg->plain[e] = theme_plain[t][e];
        if (o->line && o->style.attrs)
            cfg->plain[e].attrs = o->style.attrs;
        if (cfg->theme == TUI_CONFIG_THEME_MONO)
            cfg->colour[e] = cfg->plain[e];
    }
}

/* Problems in line order (the clashes are found after the file). */
static void sort_problems(struct tui_config *cfg)
{
    struct problem tmp;
    size_t i, j;

    for (i = 1; i < cfg->nproblems; i++) {
        tmp = cfg->problems[i];
        for (j = i; j > 0 && cfg->problems[j - 1].line > tmp.line; j--)
            cfg->problems[j] = cfg->problems[j - 1];
        cfg->problems[j] = tmp;
    }
}

static void finish(struct parser *p)
{
    char text[PROBLEM_BYTES];
    struct tui_config *cfg = p->cfg;

    while (!p->nomem && undo_one_clash(p))
        ;
    resolve_theme(p);
    sort_problems(cfg);
    if (cfg->dropped == 0 || p->nomem)
        return;
    snprintf(text, sizeof(text), "%s: %zu more problems not listed", p->name,
             cfg->dropped);
    cfg->problems[cfg->nproblems].line = INT32_MAX;
    cfg->problems[cfg->nproblems].text = strdup(text);
    if (cfg->problems[cfg->nproblems].text)
        cfg->nproblems++;
    else
        p->nomem = true;
}

/* ---- the object ---- */

enum base_status tui_config_new(struct tui_config **out)
{
    struct tui_config *cfg;
    size_t i;

    if (!out)
        return BASE_E_INVALID;
    cfg = calloc(1, sizeof(*cfg));
    if (!cfg)
        return BASE_E_NOMEM;
    cfg->log_level = -1;
    cfg->mouse = true;
    cfg->theme = TUI_CONFIG_THEME_DEFAULT;
    for (i = 0; i < TUI_CONFIG_ELEMENTS; i++) {
        cfg->colour[i] = theme_colour[TUI_CONFIG_THEME_DEFAULT][i];
        cfg->plain[i] = theme_plain[TUI_CONFIG_THEME_DEFAULT][i];
    }
    for (i = 0; i < TUI_CONFIG_ACTS; i++)
        default_keys(cfg, (int)i);
    *out = cfg;
    return BASE_OK;
}

enum base_status tui_config_parse(const char *buf, size_t len, const char *name,
                                  unsigned flags, struct tui_config **out)
{
    struct parser p = {.name = name, .flags = flags, .buf = buf, .len = len};
    enum base_status result;
    int bad;

    if (!buf || !name || !out || len > TUI_CONFIG_MAX_BYTES)
        return BASE_E_INVALID;
    result = tui_config_new(&p.cfg);
    if (result != BASE_OK)
        return result;
    bad = ini_parse_stream(read_line, &p, on_entry, &p);
    if (bad < 0)
        p.nomem = true;
    else if (bad > 0) /* read_line lets no bad line through; in case */
        say_at(&p, bad, "not understood; the line is ignored");
    finish(&p);
    if (p.nomem) {
        tui_config_free(&p.cfg);
        return BASE_E_NOMEM;
    }
    *out = p.cfg;
    return BASE_OK;
}

void tui_config_free(struct tui_config **cfg)
{
    size_t i;

    if (!cfg || !*cfg)
        return;
    for (i = 0; i < (*cfg)->nproblems; i++)
        free((*cfg)->problems[i].text);
    free((*cfg)->server);
    free((*cfg)->cacert);
    free((*cfg)->account);
    free(*cfg);
    *cfg = NULL;
}

/* ---- the file ---- */

/* The path for messages: "~/" for the home directory, made safe. */
static void display_name(const char *path, char *buf, size_t size)
{
    const char *home = getenv("HOME");
    size_t n = home ? strlen(home) : 0;
    char shown[1024];

    if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
        snprintf(shown, sizeof(shown), "~%s", path + n);
    else
        snprintf(shown, sizeof(shown), "%s", path);
    tui_text_fit(shown, NAME_COLS, buf, size);
}

/* The defaults and one problem about the file as a whole. */
static enum base_status
defaults_because(const char *name, struct tui_config **out, const char *why)
{
    char text[PROBLEM_BYTES];
    struct tui_config *cfg = NULL;
    enum base_status result = tui_config_new(&cfg);

    if (result != BASE_OK)
        return result;
    snprintf(text, sizeof(text),
             "%s %s; none of its settings are used, and commands stop "
             "unless --server is given",
             name, why);
    if (!add_problem(cfg, 0, text)) {
        tui_config_free(&cfg);
        return BASE_E_NOMEM;
    }
    snprintf(cfg->unread, sizeof(cfg->unread), "%s %s", name, why);
    *out = cfg;
    return BASE_OK;
}

/* Reads up to size bytes; -1 on an error. */
static ssize_t read_all(int fd, char *buf, size_t size)
{
    size_t got = 0;
    ssize_t n;

    while (got < size) {
        n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* Others may change the file: group or world writable, or owned by
 * someone other than this user or root. */
static bool shared_file(const struct stat *st)
{
    return (st->st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
           (st->st_uid != geteuid() && st->st_uid != 0);
}

/* Others may replace what is in the folder dir: it is group or world
 * writable without the sticky bit, or owned by someone other than this
 * user or root. A folder that cannot be checked counts as shared. */
static bool shared_folder(const char *dir)
{
    struct stat st;

    if (stat(dir, &st) != 0)
        return true;
    return ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
            (st.st_mode & S_ISVTX) == 0) ||
           (st.st_uid != geteuid() && st.st_uid != 0);
}

/* Whether others may swap the file at path for their own: through the
 * folder that holds path, or, for a symbolic link, the folder that
 * holds the file it leads to. */
static bool shared_place(const char *path)
{
    char copy[PATH_MAX];
    char real[PATH_MAX];

    if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
        return true;
    if (shared_folder(dirname(copy)))
        return true;
    if (!realpath(path, real))
        return true;
    return shared_folder(dirname(real));
}

/* Parses what fd holds, after checking it is a small regular file. */
static enum base_status load_fd(int fd, const char *name, bool shared_dir,
                                struct tui_config **out)
{
    char why[PROBLEM_BYTES / 2];
    struct stat st;
    char *buf = NULL;
    ssize_t n;
    enum base_status result;

    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return defaults_because(name, out, "is not a regular file");
    if (st.st_size > TUI_CONFIG_MAX_BYTES)
        return defaults_because(name, out, "is larger than 64 KiB");
    buf = malloc(TUI_CONFIG_MAX_BYTES + 1);
    if (!buf)
        return BASE_E_NOMEM;
    n = read_all(fd, buf, TUI_CONFIG_MAX_BYTES + 1);
    if (n < 0) {
        snprintf(why, sizeof(why), "cannot be read (%s)", strerror(errno));
        result = defaults_because(name, out, why);
    } else if (n > TUI_CONFIG_MAX_BYTES) {
        result = defaults_because(name, out, "is larger than 64 KiB");
    } else {
        result = tui_config_parse(
            buf, (size_t)n, name,
            shared_dir || shared_file(&st) ? TUI_CONFIG_SHARED : 0, out);
    }
    free(buf);
    return result;
}

enum base_status tui_config_load(const char *path, struct tui_config **out)
{
    struct stat st;
    char why[PROBLEM_BYTES / 2];
    char name[PROBLEM_BYTES / 2];
    enum base_status result;
    int fd;

    if (!path || !out)
        return BASE_E_INVALID;
    display_name(path, name, sizeof(name));
    /* Non-blocking, so that a FIFO in its place cannot hang the start. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    /* A link to nothing is there, and may have meant a server. */
    if (fd < 0 && errno == ENOENT && lstat(path, &st) == 0)
        return defaults_because(name, out, "is a link to nothing");
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
        return tui_config_new(out);
    if (fd < 0) {
        snprintf(why, sizeof(why), "cannot be read (%s)", strerror(errno));
        return defaults_because(name, out, why);
    }
    result = load_fd(fd, name, shared_place(path), out);
    close(fd);
    return result;
}

/* ---- what the others read ---- */

const char *tui_config_server(const struct tui_config *cfg)
{
    return cfg ? cfg->server : NULL;
}

int tui_config_server_refused(const struct tui_config *cfg, const char **why)
{
    if (!cfg || cfg->server_line == 0)
        return 0;
    if (why)
        *why = cfg->server_why;
    return cfg->server_line;
}

const char *tui_config_unread(const struct tui_config *cfg)
{
    return cfg && cfg->unread[0] ? cfg->unread : NULL;
}

const char *tui_config_cacert(const struct tui_config *cfg)
{
    return cfg ? cfg->cacert : NULL;
}

const char *tui_config_account(const struct tui_config *cfg)
{
    return cfg ? cfg->account : NULL;
}

int tui_config_log_level(const struct tui_config *cfg)
{
    return cfg ? cfg->log_level : -1;
}

bool tui_config_mouse(const struct tui_config *cfg)
{
    return cfg ? cfg->mouse : true;
}

enum tui_config_theme tui_config_theme(const struct tui_config *cfg)
{
    return cfg ? cfg->theme : TUI_CONFIG_THEME_DEFAULT;
}

struct tui_config_style tui_config_style(const struct tui_config *cfg,
                                         enum tui_config_element element,
                                         bool colour)
{
    struct tui_config_style plain = {NO_COLOUR, NO_COLOUR, 0};

    if ((int)element < 0 || element >= TUI_CONFIG_ELEMENTS)
        return plain;
    if (!cfg)
        return colour ? theme_colour[TUI_CONFIG_THEME_DEFAULT][element]
                      : theme_plain[TUI_CONFIG_THEME_DEFAULT][element];
    return colour ? cfg->colour[element] : cfg->plain[element];
}

size_t tui_config_problem_count(const struct tui_config *cfg)
{
    return cfg ? cfg->nproblems : 0;
}

const char *tui_config_problem(const struct tui_config *cfg, size_t i)
{
    return cfg && i < cfg->nproblems ? cfg->problems[i].text : NULL;
}

void tui_config_report(const struct tui_config *cfg, FILE *out)
{
    size_t i;

    if (!out)
        return;
    for (i = 0; i < tui_config_problem_count(cfg); i++)
        fprintf(out, "bezala: %s\n", cfg->problems[i].text);
}

enum tui_config_act tui_config_action(const struct tui_config *cfg,
                                      enum tui_config_scope scope, int code,
                                      bool is_key)
{
    struct tui_config_key key = {code, is_key};
    int act;

    if (!cfg)
        return TUI_CONFIG_ACT_NONE;
    for (act = 0; act < TUI_CONFIG_ACTS; act++) {
        if ((actions[act].scope & (unsigned)scope) &&
            holds_key(cfg->keys[act], cfg->nkeys[act], key))
            return (enum tui_config_act)act;
    }
    return TUI_CONFIG_ACT_NONE;
}

const struct tui_config_key *tui_config_keys(const struct tui_config *cfg,
                                             enum tui_config_act act,
                                             size_t *count)
{
    if (count)
        *count = 0;
    if (!cfg || !count || (int)act < 0 || act >= TUI_CONFIG_ACTS)
        return NULL;
    *count = cfg->nkeys[act];
    return cfg->keys[act];
}

const char *tui_config_act_name(enum tui_config_act act)
{
    if ((int)act < 0 || act >= TUI_CONFIG_ACTS)
        return NULL;
    return actions[act].name;
}

unsigned tui_config_act_scope(enum tui_config_act act)
{
    if ((int)act < 0 || act >= TUI_CONFIG_ACTS)
        return 0;
    return actions[act].scope;
}

const struct tui_config *tui_config_or_defaults(const struct tui_config *cfg)
{
    static struct tui_config defaults;
    static bool ready;
    size_t i;

    if (cfg)
        return cfg;
    if (!ready) {
        defaults.log_level = -1;
        defaults.mouse = true;
        for (i = 0; i < TUI_CONFIG_ELEMENTS; i++) {
            defaults.colour[i] = theme_colour[TUI_CONFIG_THEME_DEFAULT][i];
            defaults.plain[i] = theme_plain[TUI_CONFIG_THEME_DEFAULT][i];
        }
        for (i = 0; i < TUI_CONFIG_ACTS; i++)
            default_keys(&defaults, (int)i);
        ready = true;
    }
    return &defaults;
}

const char *tui_config_hint(const struct tui_config *cfg,
                            enum tui_config_act act, size_t max, char *buf,
                            size_t size)
{
    const struct tui_config_key *keys;
    char tmp[KEY_NAME_BYTES];
    char name[KEY_NAME_BYTES];
    char last[KEY_NAME_BYTES] = "";
    size_t used = 0;
    size_t shown = 0;
    size_t n = 0;
    size_t i;

    if (!buf || size == 0)
        return "";
    buf[0] = '\0';
    keys = tui_config_keys(cfg, act, &n);
    for (i = 0; keys && i < n && shown < max && used < size; i++) {
        snprintf(name, sizeof(name), "%s",
                 key_label(keys[i], tmp, sizeof(tmp)));
        /* Enter is three codes (CR, LF, KEY_ENTER) under one name. */
        if (strcmp(name, last) == 0)
            continue;
        snprintf(last, sizeof(last), "%s", name);
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 shown ? "/" : "", name);
        shown++;
    }
    return buf;
}
