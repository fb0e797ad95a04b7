/* The settings file: [general], themes and [colors], [keys] and key
 * names, every problem message, the file checks, and the lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curses.h>

#include "base/log.h"
#include "tui/config.h"

#define MAIN TUI_CONFIG_SCOPE_MAIN
#define FORM TUI_CONFIG_SCOPE_FORM

static struct tui_config *parse_flags(const char *text, unsigned flags)
{
    struct tui_config *cfg = NULL;

    assert_int_equal(tui_config_parse(text, strlen(text), "cfg", flags, &cfg),
                     BASE_OK);
    assert_non_null(cfg);
    return cfg;
}

static struct tui_config *parse(const char *text)
{
    return parse_flags(text, 0);
}

/* The only problem of text is want. */
static void assert_one_problem(const char *text, const char *want)
{
    struct tui_config *cfg = parse(text);

    assert_int_equal(tui_config_problem_count(cfg), 1);
    assert_string_equal(tui_config_problem(cfg, 0), want);
    tui_config_free(&cfg);
}

static void test_config_new_null(void **state)
{
    (void)state;
    assert_int_equal(tui_config_new(NULL), BASE_E_INVALID);
}

static void test_config_new_defaults(void **state)
{
    struct tui_config *cfg = NULL;
    size_t n;
    int act;

    (void)state;
    assert_int_equal(tui_config_new(&cfg), BASE_OK);
    assert_null(tui_config_server(cfg));
    assert_null(tui_config_cacert(cfg));
    assert_null(tui_config_account(cfg));
    assert_int_equal(tui_config_log_level(cfg), -1);
    assert_true(tui_config_mouse(cfg));
    assert_int_equal(tui_config_theme(cfg), TUI_CONFIG_THEME_DEFAULT);
    assert_int_equal(tui_config_problem_count(cfg), 0);
    for (act = 0; act < TUI_CONFIG_ACTS; act++) {
        assert_non_null(tui_config_keys(cfg, (enum tui_config_act)act, &n));
        assert_true(n >= 1);
    }
    tui_config_free(&cfg);
    assert_null(cfg);
    tui_config_free(&cfg);
    tui_config_free(NULL);
}

/* Today's keys, as the screens read them. */
static void test_config_action_defaults(void **state)
{
    struct tui_config *cfg = NULL;

    (void)state;
    assert_int_equal(tui_config_new(&cfg), BASE_OK);
    assert_int_equal(tui_config_action(cfg, MAIN, 'q', false),
                     TUI_CONFIG_ACT_QUIT);
    assert_int_equal(tui_config_action(cfg, MAIN, KEY_F(5), true),
                     TUI_CONFIG_ACT_REFRESH);
    assert_int_equal(tui_config_action(cfg, MAIN, 'r', false),
                     TUI_CONFIG_ACT_REFRESH);
    assert_int_equal(tui_config_action(cfg, MAIN, '\t', false),
                     TUI_CONFIG_ACT_NEXT_VIEW);
    assert_int_equal(tui_config_action(cfg, FORM, '\t', false),
                     TUI_CONFIG_ACT_FORM_NEXT);
    assert_int_equal(tui_config_action(cfg, MAIN, 12, false),
                     TUI_CONFIG_ACT_REDRAW);
    assert_int_equal(tui_config_action(cfg, FORM, 12, false),
                     TUI_CONFIG_ACT_REDRAW);
    assert_int_equal(tui_config_action(cfg, MAIN, '\r', false),
                     TUI_CONFIG_ACT_OPEN);
    assert_int_equal(tui_config_action(cfg, FORM, KEY_ENTER, true),
                     TUI_CONFIG_ACT_FORM_SUBMIT);
    assert_int_equal(tui_config_action(cfg, MAIN, '0', false),
                     TUI_CONFIG_ACT_VIEW_10);
    assert_int_equal(tui_config_action(cfg, MAIN, KEY_BTAB, true),
                     TUI_CONFIG_ACT_PREV_VIEW);
    assert_int_equal(tui_config_action(cfg, FORM, 'q', false),
                     TUI_CONFIG_ACT_NONE);
    assert_int_equal(tui_config_action(cfg, MAIN, 'x', false),
                     TUI_CONFIG_ACT_NONE);
    /* 'q' as a key code is not the character q. */
    assert_int_equal(tui_config_action(cfg, MAIN, 'q', true),
                     TUI_CONFIG_ACT_NONE);
    tui_config_free(&cfg);
}

/* Keys the terminal keeps (signals, flow control) are refused, and the
 * action keeps its defaults. */
static void test_config_parse_keys_reserved(void **state)
{
    static const char *const names[] = {"C-c", "C-z", "C-s", "C-q"};
    struct tui_config *cfg;
    char text[64];
    char want[160];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(text, sizeof(text), "[keys]\nquit = F10, %s\n", names[i]);
        snprintf(want, sizeof(want),
                 "cfg line 2: quit cannot use %s: the terminal keeps C-c, "
                 "C-z, C-s and C-q for itself; pick another key",
                 names[i]);
        assert_one_problem(text, want);
    }
    cfg = parse("[keys]\nform_cancel = Ctrl-C\nquit = C-q\n");
    assert_int_equal(tui_config_problem_count(cfg), 2);
    assert_int_equal(tui_config_action(cfg, MAIN, 'q', false),
                     TUI_CONFIG_ACT_QUIT);
    assert_int_equal(tui_config_action(cfg, MAIN, 17, false),
                     TUI_CONFIG_ACT_NONE);
    assert_int_equal(tui_config_action(cfg, FORM, 27, false),
                     TUI_CONFIG_ACT_FORM_CANCEL);
    assert_int_equal(tui_config_action(cfg, FORM, 3, false),
                     TUI_CONFIG_ACT_NONE);
    tui_config_free(&cfg);
    /* Other control keys are fine. */
    cfg = parse("[keys]\nquit = C-x\n");
    assert_int_equal(tui_config_problem_count(cfg), 0);
    tui_config_free(&cfg);
}

static void test_config_or_defaults_null(void **state)
{
    const struct tui_config *d = tui_config_or_defaults(NULL);
    struct tui_config *cfg = parse("[keys]\nquit = x\n");

    (void)state;
    assert_non_null(d);
    assert_ptr_equal(tui_config_or_defaults(NULL), d);
    assert_ptr_equal(tui_config_or_defaults(cfg), cfg);
    assert_int_equal(tui_config_problem_count(d), 0);
    assert_int_equal(tui_config_action(d, MAIN, 'q', false),
                     TUI_CONFIG_ACT_QUIT);
    assert_int_equal(tui_config_action(d, MAIN, KEY_F(5), true),
                     TUI_CONFIG_ACT_REFRESH);
    assert_int_equal(tui_config_action(d, FORM, KEY_F(2), true),
                     TUI_CONFIG_ACT_FORM_METHOD);
    assert_int_equal(tui_config_action(cfg, MAIN, 'q', false),
                     TUI_CONFIG_ACT_NONE);
    tui_config_free(&cfg);
}

static void assert_hint(const char *text, enum tui_config_act act, size_t max,
                        const char *want)
{
    struct tui_config *cfg = parse(text);
    char buf[64];

    assert_string_equal(tui_config_hint(cfg, act, max, buf, sizeof(buf)), want);
    tui_config_free(&cfg);
}

static void test_config_hint_null(void **state)
{
    char buf[8] = "junk";

    (void)state;
    assert_string_equal(tui_config_hint(NULL, TUI_CONFIG_ACT_QUIT, 2, NULL, 0),
                        "");
    assert_string_equal(
        tui_config_hint(NULL, TUI_CONFIG_ACT_QUIT, 2, buf, sizeof(buf)), "");
    assert_string_equal(tui_config_hint(tui_config_or_defaults(NULL),
                                        TUI_CONFIG_ACT_NONE, 2, buf,
                                        sizeof(buf)),
                        "");
    assert_string_equal(tui_config_hint(tui_config_or_defaults(NULL),
                                        TUI_CONFIG_ACT_QUIT, 0, buf,
                                        sizeof(buf)),
                        "");
}

static void test_config_hint_keys(void **state)
{
    (void)state;
    assert_hint("", TUI_CONFIG_ACT_QUIT, 2, "q");
    assert_hint("", TUI_CONFIG_ACT_REFRESH, 2, "r/F5");
    assert_hint("", TUI_CONFIG_ACT_REFRESH, 1, "r");
    assert_hint("", TUI_CONFIG_ACT_NEXT_VIEW, 2, "]/Tab");
    assert_hint("", TUI_CONFIG_ACT_REDRAW, 2, "C-l");
    /* Enter's three codes are one key. */
    assert_hint("[keys]\nopen = Enter, o\n", TUI_CONFIG_ACT_OPEN, 2, "Enter/o");
    assert_hint("[keys]\nquit = x\nrefresh = F6\n", TUI_CONFIG_ACT_QUIT, 2,
                "x");
    assert_hint("[keys]\nquit = x\nrefresh = F6\n", TUI_CONFIG_ACT_REFRESH, 2,
                "F6");
    assert_hint("[keys]\nquit = \xc3\xa9, C-x\n", TUI_CONFIG_ACT_QUIT, 2,
                "\xc3\xa9/C-x");
}

static void test_config_hint_small(void **state)
{
    struct tui_config *cfg = parse("[keys]\nquit = F10, F11\n");
    char buf[5];

    (void)state;
    assert_string_equal(
        tui_config_hint(cfg, TUI_CONFIG_ACT_QUIT, 2, buf, sizeof(buf)), "F10/");
    tui_config_free(&cfg);
}

static void test_config_action_null(void **state)
{
    (void)state;
    assert_int_equal(tui_config_action(NULL, MAIN, 'q', false),
                     TUI_CONFIG_ACT_NONE);
}

static void test_config_keys_null(void **state)
{
    struct tui_config *cfg = NULL;
    size_t n = 99;

    (void)state;
    assert_null(tui_config_keys(NULL, TUI_CONFIG_ACT_QUIT, &n));
    assert_int_equal(n, 0);
    assert_int_equal(tui_config_new(&cfg), BASE_OK);
    assert_null(tui_config_keys(cfg, TUI_CONFIG_ACT_QUIT, NULL));
    assert_null(tui_config_keys(cfg, TUI_CONFIG_ACT_NONE, &n));
    assert_null(tui_config_keys(cfg, TUI_CONFIG_ACTS, &n));
    tui_config_free(&cfg);
}

static void test_config_act_name_bad(void **state)
{
    (void)state;
    assert_null(tui_config_act_name(TUI_CONFIG_ACT_NONE));
    assert_null(tui_config_act_name(TUI_CONFIG_ACTS));
    assert_int_equal(tui_config_act_scope(TUI_CONFIG_ACTS), 0);
    assert_string_equal(tui_config_act_name(TUI_CONFIG_ACT_NEXT_VIEW),
                        "next_view");
    assert_string_equal(tui_config_act_name(TUI_CONFIG_ACT_VIEW_10), "view_10");
    assert_int_equal(tui_config_act_scope(TUI_CONFIG_ACT_REDRAW), MAIN | FORM);
}

static void test_config_parse_null(void **state)
{
    struct tui_config *cfg = NULL;
    static char big[TUI_CONFIG_MAX_BYTES + 1];

    (void)state;
    assert_int_equal(tui_config_parse(NULL, 0, "cfg", 0, &cfg), BASE_E_INVALID);
    assert_int_equal(tui_config_parse("", 0, NULL, 0, &cfg), BASE_E_INVALID);
    assert_int_equal(tui_config_parse("", 0, "cfg", 0, NULL), BASE_E_INVALID);
    assert_int_equal(tui_config_parse(big, sizeof(big), "cfg", 0, &cfg),
                     BASE_E_INVALID);
    assert_null(cfg);
}

static void test_config_parse_empty(void **state)
{
    struct tui_config *cfg = parse("");

    (void)state;
    assert_int_equal(tui_config_problem_count(cfg), 0);
    assert_null(tui_config_problem(cfg, 0));
    tui_config_free(&cfg);
    cfg = parse("\n\n; only a comment\n# and another\n[general]\n");
    assert_int_equal(tui_config_problem_count(cfg), 0);
    tui_config_free(&cfg);
}

static void test_config_parse_general(void **state)
{
    struct tui_config *cfg = parse("[general]\n"
                                   "server = https://127.0.0.1:8443\n"
                                   "cacert = /etc/bezala/ca.pem ; a comment\n"
                                   "account = aino@example.com\n"
                                   "log_level = debug\n"
                                   "mouse = off\n"
                                   "theme = High-Contrast\n");

    (void)state;
    assert_int_equal(tui_config_problem_count(cfg), 0);
    assert_string_equal(tui_config_server(cfg), "https://127.0.0.1:8443");
    assert_string_equal(tui_config_cacert(cfg), "/etc/bezala/ca.pem");
    assert_string_equal(tui_config_account(cfg), "aino@example.com");
    assert_int_equal(tui_config_log_level(cfg), BASE_LOG_DEBUG);
    assert_false(tui_config_mouse(cfg));
    assert_int_equal(tui_config_theme(cfg), TUI_CONFIG_THEME_HIGH_CONTRAST);
    tui_config_free(&cfg);
}

/* Found by fuzz_config: the scheme is case-insensitive, as for
 * --server. */
static void test_config_parse_server_scheme_case(void **state)
{
    struct tui_config *cfg = parse("[general]\nserver = httpS://127.0.0.1\n");

    (void)state;
    assert_int_equal(tui_config_problem_count(cfg), 0);
    assert_string_equal(tui_config_server(cfg), "httpS://127.0.0.1");
    tui_config_free(&cfg);
}

static void test_config_parse_general_bad(void **state)
{
    (void)state;
    assert_one_problem(
        "[general]\nserver = http://127.0.0.1\n",
        "cfg line 2: refusing plain http server "
        "http://127.0.0.1: the token would travel "
        "unencrypted; use https://; nothing is sent until it is fixed or "
        "--server is given");
    assert_one_problem("[general]\nserver =\n",
                       "cfg line 2: no server URL given; nothing is sent "
                       "until it is fixed or --server is given");
    assert_one_problem("[general]\ncacert = ca.pem\n",
                       "cfg line 2: cacert needs an absolute path, not "
                       "'ca.pem'");
    assert_one_problem("[general]\naccount =\n",
                       "cfg line 2: account needs an email address of 1 to "
                       "254 bytes");
    assert_one_problem("[general]\naccount = a b\n",
                       "cfg line 2: account holds a space or control "
                       "character: give an email address");
    assert_one_problem("[general]\nlog_level = loud\n",
                       "cfg line 2: unknown log_level 'loud' (error, warn, "
                       "info, debug)");
    assert_one_problem("[general]\nmouse = maybe\n",
                       "cfg line 2: mouse is 'maybe': use on or off");
    assert_one_problem("[general]\ntheme = dark\n",
                       "cfg line 2: unknown theme 'dark' (default, "
                       "high-contrast, mono)");
    assert_one_problem("[general]\nsever = https://x\n",
                       "cfg line 2: unknown setting 'sever' in [general] "
                       "(server, cacert, account, log_level, mouse, "
                       "theme)");
    assert_one_problem("[general]\nmouse = off\nmouse = on\n",
                       "cfg line 3: mouse was already set on line 2; this "
                       "line is ignored");
}

/* A bad entry keeps the default, and a later good one still counts. */
static void test_config_parse_general_default_kept(void **state)
{
    struct tui_config *cfg = parse("[general]\nserver = http://a\n"
                                   "mouse = 2\ntheme = mono\nmouse = off\n");

    (void)state;
    assert_int_equal(tui_config_problem_count(cfg), 2);
    assert_null(tui_config_server(cfg));
    assert_false(tui_config_mouse(cfg));
    assert_int_equal(tui_config_theme(cfg), TUI_CONFIG_THEME_MONO);
    tui_config_free(&cfg);
}

static void test_config_parse_shared(void **state)
{
    struct tui_config *cfg =
        parse_flags("[general]\nserver = https://127.0.0.1:9\n"
                    "cacert = /ca.pem\naccount = a@example.com\n",
                    TUI_CONFIG_SHARED);

    (void)state;
    assert_null(tui_config_server(cfg));
    assert_null(tui_config_cacert(cfg));
    assert_string_equal(tui_config_account(cfg), "a@example.com");
    assert_int_equal(tui_config_problem_count(cfg), 2);
    assert_string_equal(tui_config_problem(cfg, 0),
                        "cfg line 2: server is refused: others may write "
                        "this file or its folder and could send your token "
                        "elsewhere; run chmod go-w on them and make them "
                        "yours");
    assert_string_equal(tui_config_problem(cfg, 1),
                        "cfg line 3: cacert is refused: others may write "
                        "this file or its folder and could send your token "
                        "elsewhere; run chmod go-w on them and make them "
                        "yours");
    tui_config_free(&cfg);
}

static void test_config_parse_syntax(void **state)
{
    (void)state;
    assert_one_problem("[general\n",
                       "cfg line 1: a section needs a closing ']' "
                       "([general], [colors] or [keys]); the line is "
                       "ignored");
    assert_one_problem("[general]\njust words\n",
                       "cfg line 2: not 'name = value', a [section] or a ; "
                       "comment; the line is ignored");
    assert_one_problem("mouse = off\n",
                       "cfg line 1: 'mouse' comes before any section: put "
                       "it under [general], [colors] or [keys]");
    assert_one_problem("[weird]\na = 1\nb = 2\n[weird]\nc = 3\n",
                       "cfg line 2: unknown section [weird] (general, "
                       "colors, keys); its entries are ignored");
}

static void test_config_parse_nul_byte(void **state)
{
    static const char text[] = "[general]\nmou\0se = off\ntheme = mono\n";
    struct tui_config *cfg = NULL;

    (void)state;
    assert_int_equal(tui_config_parse(text, sizeof(text) - 1, "cfg", 0, &cfg),
                     BASE_OK);
    assert_int_equal(tui_config_problem_count(cfg), 1);
    assert_string_equal(tui_config_problem(cfg, 0),
                        "cfg line 2: holds a NUL byte; the line is ignored");
    assert_true(tui_config_mouse(cfg));
    assert_int_equal(tui_config_theme(cfg), TUI_CONFIG_THEME_MONO);
    tui_config_free(&cfg);
}

/* A line too long for inih's buffer is one problem, not several lines. */
static void test_config_parse_long_line(void **state)
{
    char text[600];
    struct tui_config *cfg;

    (void)state;
    snprintf(text, sizeof(text), "[general]\naccount = %0400d\nmouse = off\n",
             7);
    cfg = parse(text);
    assert_int_equal(tui_config_problem_count(cfg), 1);
    assert_string_equal(tui_config_problem(cfg, 0),
                        "cfg line 2: longer than 197 bytes; the line is "
                        "ignored");
    assert_null(tui_config_account(cfg));
    assert_false(tui_config_mouse(cfg));
    tui_config_free(&cfg);
}

/* CRLF, a byte order mark, indented keys (not continuations) and no
 * final newline. */
static void test_config_parse_crlf_bom_indent(void **state)
{
    struct tui_config *cfg = parse("\xef\xbb\xbf[general]\r\n"
                                   "mouse = off\r\n"
                                   "   theme = mono\r\n"
                                   "\tlog_level = info");

    (void)state;
    assert_int_equal(tui_config_problem_count(cfg), 0);
    assert_false(tui_config_mouse(cfg));
    assert_int_equal(tui_config_theme(cfg), TUI_CONFIG_THEME_MONO);
    assert_int_equal(tui_config_log_level(cfg), BASE_LOG_INFO);
    tui_config_free(&cfg);
}

/* Control characters from the file never reach a message. */
static void test_config_parse_message_safe(void **state)
{
    struct tui_config *cfg = parse("[general]\ntheme = \x1b]0;pwn\x07x\n");
    const char *msg;

    (void)state;
    assert_int_equal(tui_config_problem_count(cfg), 1);
    msg = tui_config_problem(cfg, 0);
    assert_null(strchr(msg, 0x1b));
    assert_null(strchr(msg, 0x07));
    assert_non_null(strstr(msg, "unknown theme '?]0;pwn?x'"));
    tui_config_free(&cfg);
}

static void test_config_parse_problem_cap(void **state)
{
    char text[2048] = "[general]\n";
    struct tui_config *cfg;
    int i;

    (void)state;
    for (i = 0; i < TUI_CONFIG_PROBLEMS_MAX + 10; i++)
        strcat(text, "bad\n");
    cfg = parse(text);
    assert_int_equal(tui_config_problem_count(cfg),
                     TUI_CONFIG_PROBLEMS_MAX + 1);
    assert_string_equal(tui_config_problem(cfg, TUI_CONFIG_PROBLEMS_MAX),
                        "cfg: 10 more problems not listed");
    tui_config_free(&cfg);
}

static void test_config_style_null(void **state)
{
    struct tui_config_style s;

    (void)state;
    s = tui_config_style(NULL, TUI_CONFIG_STATUS, true);
    assert_int_equal(s.fg, COLOR_WHITE);
    assert_int_equal(s.bg, COLOR_BLUE);
    assert_int_equal(s.attrs, TUI_CONFIG_BOLD);
    s = tui_config_style(NULL, TUI_CONFIG_ELEMENTS, true);
    assert_int_equal(s.fg, TUI_CONFIG_COLOUR_DEFAULT);
    assert_int_equal(s.bg, TUI_CONFIG_COLOUR_DEFAULT);
    assert_int_equal(s.attrs, 0);
}

/* The default theme is the look bezala had: these are the values that
 * tui/draw.c used before themes. */
static void test_config_style_default_theme(void **state)
{
    struct tui_config *cfg = parse("");
    struct tui_config_style s;

    (void)state;
    s = tui_config_style(cfg, TUI_CONFIG_SELECTED, true);
    assert_int_equal(s.fg, COLOR_BLACK);
    assert_int_equal(s.bg, COLOR_CYAN);
    s = tui_config_style(cfg, TUI_CONFIG_ERROR, true);
    assert_int_equal(s.fg, COLOR_RED);
    assert_int_equal(s.attrs, TUI_CONFIG_BOLD);
    s = tui_config_style(cfg, TUI_CONFIG_STATUS, false);
    assert_int_equal(s.fg, TUI_CONFIG_COLOUR_DEFAULT);
    assert_int_equal(s.attrs, TUI_CONFIG_REVERSE);
    s = tui_config_style(cfg, TUI_CONFIG_DIM, false);
    assert_int_equal(s.attrs, TUI_CONFIG_DIM_ATTR);
    tui_config_free(&cfg);
}

static void test_config_style_mono(void **state)
{
    struct tui_config *cfg =
        parse("[general]\ntheme = mono\n[colors]\ntitle = red underline\n");
    struct tui_config_style s;
    int e;

    (void)state;
    for (e = 0; e < TUI_CONFIG_ELEMENTS; e++) {
        s = tui_config_style(cfg, (enum tui_config_element)e, true);
        assert_int_equal(s.fg, TUI_CONFIG_COLOUR_DEFAULT);
        assert_int_equal(s.bg, TUI_CONFIG_COLOUR_DEFAULT);
        if (e != TUI_CONFIG_TITLE)
            assert_int_equal(s.attrs &
                                 ~(TUI_CONFIG_BOLD | TUI_CONFIG_UNDERLINE |
                                   TUI_CONFIG_REVERSE),
                             0);
    }
    s = tui_config_style(cfg, TUI_CONFIG_TITLE, true);
    assert_int_equal(s.attrs, TUI_CONFIG_UNDERLINE);
    tui_config_free(&cfg);
}

/* High contrast: 8-colour terminal colours only, nothing dim, and no
 * colour on the terminal's own background or foreground (it would vanish
 * on a light or a dark one). */
static void test_config_style_high_contrast(void **state)
{
    struct tui_config *cfg = parse("[general]\ntheme = high-contrast\n");
    struct tui_config_style s;
    bool coloured = false;
    int e;

    (void)state;
    for (e = 0; e < TUI_CONFIG_ELEMENTS; e++) {
        s = tui_config_style(cfg, (enum tui_config_element)e, true);
        assert_in_range(s.fg + 1, 0, 8);
        assert_in_range(s.bg + 1, 0, 8);
        assert_int_equal(s.attrs & TUI_CONFIG_DIM_ATTR, 0);
        assert_int_equal(s.fg >= 0, s.bg >= 0);
        coloured = coloured || s.fg >= 0 || s.bg >= 0;
        s = tui_config_style(cfg, (enum tui_config_element)e, false);
        assert_int_equal(s.attrs & TUI_CONFIG_DIM_ATTR, 0);
    }
    assert_true(coloured);
    tui_config_free(&cfg);
}

static void test_config_parse_colors(void **state)
{
    struct tui_config *cfg = parse("[colors]\n"
                                   "status = yellow on black bold reverse\n"
                                   "TITLE = Magenta\n"
                                   "selected = on green\n"
                                   "header = dim\n");
    struct tui_config_style s;

    (void)state;
    assert_int_equal(tui_config_problem_count(cfg), 0);
    s = tui_config_style(cfg, TUI_CONFIG_STATUS, true);
    assert_int_equal(s.fg, COLOR_YELLOW);
    assert_int_equal(s.bg, COLOR_BLACK);
    assert_int_equal(s.attrs, TUI_CONFIG_BOLD | TUI_CONFIG_REVERSE);
    /* Without colour the override's attributes stay. */
    s = tui_config_style(cfg, TUI_CONFIG_STATUS, false);
    assert_int_equal(s.fg, TUI_CONFIG_COLOUR_DEFAULT);
    assert_int_equal(s.attrs, TUI_CONFIG_BOLD | TUI_CONFIG_REVERSE);
    s = tui_config_style(cfg, TUI_CONFIG_TITLE, true);
    assert_int_equal(s.fg, COLOR_MAGENTA);
    assert_int_equal(s.attrs, 0);
    /* ...and an override without attributes keeps the theme's. */
    s = tui_config_style(cfg, TUI_CONFIG_TITLE, false);
    assert_int_equal(s.attrs, TUI_CONFIG_BOLD);
    s = tui_config_style(cfg, TUI_CONFIG_SELECTED, true);
    assert_int_equal(s.fg, TUI_CONFIG_COLOUR_DEFAULT);
    assert_int_equal(s.bg, COLOR_GREEN);
    s = tui_config_style(cfg, TUI_CONFIG_HEADER, true);
    assert_int_equal(s.attrs, TUI_CONFIG_DIM_ATTR);
    tui_config_free(&cfg);
}

static void test_config_parse_colors_bad(void **state)
{
    (void)state;
    assert_one_problem("[colors]\nstatus = purpel\n",
                       "cfg line 2: unknown colour 'purpel' (default, "
                       "black, red, green, yellow, blue, magenta, cyan, "
                       "white)");
    assert_one_problem("[colors]\nstatus = white on purpel\n",
                       "cfg line 2: unknown colour 'purpel' (default, "
                       "black, red, green, yellow, blue, magenta, cyan, "
                       "white)");
    assert_one_problem("[colors]\nstatus = white on\n",
                       "cfg line 2: 'on' needs a colour after it (default, "
                       "black, red, green, yellow, blue, magenta, cyan, "
                       "white)");
    assert_one_problem("[colors]\nstatus = white blink\n",
                       "cfg line 2: unknown attribute 'blink' (bold, "
                       "underline, reverse, dim; a colour comes first, then "
                       "'on' and the background)");
    assert_one_problem("[colors]\nstatus =\n",
                       "cfg line 2: no colour given: write e.g. 'white on "
                       "blue bold'");
    assert_one_problem("[colors]\nbanner = red\n",
                       "cfg line 2: unknown element 'banner' in [colors] "
                       "(status, title, header, selected, error, dim, field, "
                       "focus)");
    assert_one_problem("[colors]\ndim = red\ndim = blue\n",
                       "cfg line 3: dim was already set on line 2; this "
                       "line is ignored");
}

static void test_config_key_parse_null(void **state)
{
    struct tui_config_key k[TUI_CONFIG_KEYS_MAX];

    (void)state;
    assert_int_equal(tui_config_key_parse(NULL, k, 8), 0);
    assert_int_equal(tui_config_key_parse("q", NULL, 8), 0);
    assert_int_equal(tui_config_key_parse("q", k, 0), 0);
    assert_int_equal(tui_config_key_parse("", k, 8), 0);
    /* Enter stands for three codes: no room, no answer. */
    assert_int_equal(tui_config_key_parse("Enter", k, 2), 0);
}

/* name stands for exactly one key. */
static void assert_key(const char *name, int code, bool is_key)
{
    struct tui_config_key k[TUI_CONFIG_KEYS_MAX];

    assert_int_equal(tui_config_key_parse(name, k, TUI_CONFIG_KEYS_MAX), 1);
    assert_int_equal(k[0].code, code);
    assert_int_equal(k[0].is_key, is_key);
}

static void test_config_key_parse_names(void **state)
{
    struct tui_config_key k[TUI_CONFIG_KEYS_MAX];

    (void)state;
    assert_key("q", 'q', false);
    assert_key("Q", 'Q', false);
    assert_key("/", '/', false);
    assert_key("\xc3\xa4", 0xe4, false);
    assert_key("C-x", 24, false);
    assert_key("Ctrl-X", 24, false);
    assert_key("c-l", 12, false);
    assert_key("C-[", 27, false);
    assert_key("F1", KEY_F(1), true);
    assert_key("f12", KEY_F(12), true);
    assert_key("Up", KEY_UP, true);
    assert_key("pgdn", KEY_NPAGE, true);
    assert_key("PgUp", KEY_PPAGE, true);
    assert_key("Home", KEY_HOME, true);
    assert_key("End", KEY_END, true);
    assert_key("Esc", 27, false);
    assert_key("Tab", '\t', false);
    assert_key("S-Tab", KEY_BTAB, true);
    assert_key("Space", ' ', false);
    assert_key("Comma", ',', false);
    assert_key("Delete", KEY_DC, true);
    assert_int_equal(tui_config_key_parse("Enter", k, TUI_CONFIG_KEYS_MAX), 3);
    assert_int_equal(tui_config_key_parse("Backspace", k, 8), 3);
    assert_int_equal(tui_config_key_parse("F13", k, 8), 0);
    assert_int_equal(tui_config_key_parse("F0", k, 8), 0);
    assert_int_equal(tui_config_key_parse("F01", k, 8), 0);
    assert_int_equal(tui_config_key_parse("C-1", k, 8), 0);
    assert_int_equal(tui_config_key_parse("C-", k, 8), 0);
    assert_int_equal(tui_config_key_parse("qq", k, 8), 0);
    assert_int_equal(tui_config_key_parse("\x1b", k, 8), 0);
    assert_int_equal(tui_config_key_parse("\xc2\x9b", k, 8), 0);
    assert_int_equal(tui_config_key_parse("\xc3", k, 8), 0);
    assert_int_equal(tui_config_key_parse("\xed\xa0\x80", k, 8), 0);
}

static void test_config_parse_keys(void **state)
{
    struct tui_config *cfg = parse("[keys]\n"
                                   "quit = C-x, F10\n"
                                   "Refresh = F5\n"
                                   "form_method = F2, C-t\n"
                                   "page_down = PgDn, Space, PgDn\n");
    size_t n;

    (void)state;
    assert_int_equal(tui_config_problem_count(cfg), 0);
    assert_int_equal(tui_config_action(cfg, MAIN, 24, false),
                     TUI_CONFIG_ACT_QUIT);
    assert_int_equal(tui_config_action(cfg, MAIN, KEY_F(10), true),
                     TUI_CONFIG_ACT_QUIT);
    /* The file replaces the defaults. */
    assert_int_equal(tui_config_action(cfg, MAIN, 'q', false),
                     TUI_CONFIG_ACT_NONE);
    assert_int_equal(tui_config_action(cfg, MAIN, 'r', false),
                     TUI_CONFIG_ACT_NONE);
    assert_int_equal(tui_config_action(cfg, FORM, 20, false),
                     TUI_CONFIG_ACT_FORM_METHOD);
    assert_int_equal(tui_config_action(cfg, MAIN, ' ', false),
                     TUI_CONFIG_ACT_PAGE_DOWN);
    assert_non_null(tui_config_keys(cfg, TUI_CONFIG_ACT_PAGE_DOWN, &n));
    assert_int_equal(n, 2);
    tui_config_free(&cfg);
}

static void test_config_parse_keys_bad(void **state)
{
    (void)state;
    assert_one_problem("[keys]\nquit = F13\n",
                       "cfg line 2: unknown key name 'F13' (a character, "
                       "C-x, F1..F12, Up, Down, Left, Right, PgUp, PgDn, "
                       "Home, End, Enter, Esc, Tab, S-Tab, Space, Comma, "
                       "Backspace, Delete, Insert)");
    assert_one_problem("[keys]\nquit =\n",
                       "cfg line 2: quit has an empty key name: write e.g. "
                       "'quit = q'");
    assert_one_problem("[keys]\nquit = q, , x\n",
                       "cfg line 2: quit has an empty key name: write e.g. "
                       "'quit = q'");
    assert_one_problem("[keys]\nquit = 1,2,3,4,5,6,7,8,9\n",
                       "cfg line 2: quit has more than 8 keys");
    assert_one_problem("[keys]\nform_next = a\n",
                       "cfg line 2: form_next cannot use 'a': it is typed "
                       "into the form's fields; pick C-x, F1..F12 or a "
                       "named key");
    assert_one_problem("[keys]\nquit = Q\nquit = x\n",
                       "cfg line 3: quit was already set on line 2; this "
                       "line is ignored");
    assert_one_problem(
        "[keys]\nfrob = x\n",
        "cfg line 2: unknown action 'frob' in [keys] (quit, help, refresh, "
        "companies, accounts, pin, command, filter, next_match, prev_match, "
        "sort, sort_reverse, role_filter, export, up, down, page_up, "
        "page_down, top, bottom, open, close, next_view, prev_view, "
        "detail_up, detail_down, view_1..view_10, redraw, form_next, "
        "form_prev, form_submit, form_cancel, form_method, form_accounts, "
        "form_help)");
}

/* A key given to an action that already has it by default: the file's
 * entry goes back to its defaults, with the reason. */
static void test_config_parse_keys_clash_default(void **state)
{
    struct tui_config *cfg;

    (void)state;
    assert_one_problem("[keys]\nsort = q\n",
                       "cfg line 2: key q is bound to both sort and quit; "
                       "sort keeps its default keys (s)");
    cfg = parse("[keys]\nsort = q\n");
    assert_int_equal(tui_config_action(cfg, MAIN, 'q', false),
                     TUI_CONFIG_ACT_QUIT);
    assert_int_equal(tui_config_action(cfg, MAIN, 's', false),
                     TUI_CONFIG_ACT_SORT);
    tui_config_free(&cfg);
    /* Control keys are named as they are written. */
    assert_one_problem("[keys]\nform_method = C-l\n",
                       "cfg line 2: key C-l is bound to both form_method "
                       "and redraw; form_method keeps its default keys "
                       "(F2)");
    assert_one_problem("[keys]\nsort = C-\\\nexport = C-\\, x\n",
                       "cfg line 3: key C-\\ is bound to both sort and "
                       "export; export keeps its default keys (e)");
    /* Another scope is no clash. */
    cfg = parse("[keys]\nform_cancel = F10\nquit = F10\n");
    assert_int_equal(tui_config_problem_count(cfg), 0);
    tui_config_free(&cfg);
}

/* Two entries of the file: the later line gives way; swapping two keys
 * works. */
static void test_config_parse_keys_clash_file(void **state)
{
    struct tui_config *cfg;

    (void)state;
    assert_one_problem("[keys]\nsort = x\nexport = x\n",
                       "cfg line 3: key x is bound to both sort and export; "
                       "export keeps its default keys (e)");
    cfg = parse("[keys]\nsort = e\nexport = s\n");
    assert_int_equal(tui_config_problem_count(cfg), 0);
    assert_int_equal(tui_config_action(cfg, MAIN, 'e', false),
                     TUI_CONFIG_ACT_SORT);
    tui_config_free(&cfg);
    /* Putting refresh back to r clashes with export's r in turn. */
    cfg = parse("[keys]\nexport = r\nrefresh = q\n");
    assert_int_equal(tui_config_problem_count(cfg), 2);
    assert_string_equal(tui_config_problem(cfg, 0),
                        "cfg line 2: key r is bound to both export and "
                        "refresh; export keeps its default keys (e)");
    assert_string_equal(tui_config_problem(cfg, 1),
                        "cfg line 3: key q is bound to both refresh and "
                        "quit; refresh keeps its default keys (r, F5)");
    assert_int_equal(tui_config_action(cfg, MAIN, 'r', false),
                     TUI_CONFIG_ACT_REFRESH);
    assert_int_equal(tui_config_action(cfg, MAIN, 'e', false),
                     TUI_CONFIG_ACT_EXPORT);
    tui_config_free(&cfg);
}

static void test_config_report_null(void **state)
{
    struct tui_config *cfg = parse("[general]\nmouse = 7\n");
    char buf[256] = "";
    FILE *f = tmpfile();

    (void)state;
    assert_non_null(f);
    tui_config_report(NULL, f);
    tui_config_report(cfg, NULL);
    tui_config_report(cfg, f);
    rewind(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    assert_string_equal(buf, "bezala: cfg line 2: mouse is '7': use on or "
                             "off\n");
    assert_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    tui_config_free(&cfg);
}

/* ---- files ---- */

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/bezala-config-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

/* Loads path, expecting one problem that ends with tail. */
/* How a problem with the whole file ends. */
#define NOT_USED                                                 \
    "; none of its settings are used, and commands stop unless " \
    "--server is given"

static void assert_load_problem(const char *path, const char *tail)
{
    struct tui_config *cfg = NULL;
    const char *msg;

    assert_int_equal(tui_config_load(path, &cfg), BASE_OK);
    assert_int_equal(tui_config_problem_count(cfg), 1);
    msg = tui_config_problem(cfg, 0);
    assert_true(strlen(msg) > strlen(tail));
    assert_string_equal(msg + strlen(msg) - strlen(tail), tail);
    assert_int_equal(strncmp(msg, dir, strlen(dir)), 0);
    tui_config_free(&cfg);
}

static void test_config_load_null(void **state)
{
    struct tui_config *cfg = NULL;

    (void)state;
    assert_int_equal(tui_config_load(NULL, &cfg), BASE_E_INVALID);
    assert_int_equal(tui_config_load("/x", NULL), BASE_E_INVALID);
    assert_null(cfg);
}

static void test_config_load_missing(void **state)
{
    struct tui_config *cfg = NULL;
    char path[128];

    (void)state;
    snprintf(path, sizeof(path), "%s/none/config", dir);
    assert_int_equal(tui_config_load(path, &cfg), BASE_OK);
    assert_int_equal(tui_config_problem_count(cfg), 0);
    assert_true(tui_config_mouse(cfg));
    tui_config_free(&cfg);
}

static void test_config_load_file(void **state)
{
    struct tui_config *cfg = NULL;
    char path[128];

    (void)state;
    snprintf(path, sizeof(path), "%s/config", dir);
    /* Others may read it: it holds no secret. */
    write_file(path,
               "[general]\nserver = https://127.0.0.1:9\nmouse = off\n"
               "bad line\n",
               0644);
    assert_int_equal(tui_config_load(path, &cfg), BASE_OK);
    assert_string_equal(tui_config_server(cfg), "https://127.0.0.1:9");
    assert_false(tui_config_mouse(cfg));
    assert_int_equal(tui_config_problem_count(cfg), 1);
    assert_int_equal(strncmp(tui_config_problem(cfg, 0), path, strlen(path)),
                     0);
    assert_non_null(strstr(tui_config_problem(cfg, 0), "config line 4: "));
    tui_config_free(&cfg);
}

/* A file others may write cannot choose where the token goes. */
static void test_config_load_writable_by_others(void **state)
{
    struct tui_config *cfg = NULL;
    char path[128];
    mode_t modes[] = {0666, 0620};
    size_t i;

    (void)state;
    snprintf(path, sizeof(path), "%s/shared", dir);
    for (i = 0; i < 2; i++) {
        write_file(path,
                   "[general]\nserver = https://127.0.0.1:9\n"
                   "cacert = /tmp/ca.pem\ntheme = mono\n",
                   modes[i]);
        assert_int_equal(tui_config_load(path, &cfg), BASE_OK);
        assert_null(tui_config_server(cfg));
        assert_null(tui_config_cacert(cfg));
        assert_int_equal(tui_config_theme(cfg), TUI_CONFIG_THEME_MONO);
        assert_int_equal(tui_config_problem_count(cfg), 2);
        assert_non_null(strstr(tui_config_problem(cfg, 0),
                               "line 2: server is refused: others may "
                               "write this file"));
        tui_config_free(&cfg);
    }
}

static void test_config_load_not_regular(void **state)
{
    char path[128];

    (void)state;
    snprintf(path, sizeof(path), "%s/dir", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_load_problem(path, " is not a regular file" NOT_USED);
    snprintf(path, sizeof(path), "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_load_problem(path, " is not a regular file" NOT_USED);
}

static void test_config_load_too_large(void **state)
{
    char path[128];
    FILE *f;
    int i;

    (void)state;
    snprintf(path, sizeof(path), "%s/large", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("[general]\n", f);
    for (i = 0; i < TUI_CONFIG_MAX_BYTES / 8; i++)
        fputs("; a comment that fills the file\n", f);
    fclose(f);
    assert_load_problem(path, " is larger than 64 KiB" NOT_USED);
}

static void test_config_load_unreadable(void **state)
{
    struct tui_config *cfg = NULL;
    char path[600];

    (void)state;
    assert_null(tui_config_unread(NULL));
    assert_int_equal(tui_config_new(&cfg), BASE_OK);
    assert_null(tui_config_unread(cfg));
    tui_config_free(&cfg);
    assert_int_equal(tui_config_load(dir, &cfg), BASE_OK);
    assert_non_null(strstr(tui_config_unread(cfg), " is not a regular file"));
    tui_config_free(&cfg);
    snprintf(path, sizeof(path), "%s/dangling", dir);
    assert_int_equal(symlink("/nonexistent/bezala-config", path), 0);
    assert_int_equal(tui_config_load(path, &cfg), BASE_OK);
    assert_non_null(strstr(tui_config_unread(cfg), " is a link to nothing"));
    tui_config_free(&cfg);
    assert_int_equal(unlink(path), 0);
    /* A name longer than NAME_MAX cannot be opened, even by root. */
    snprintf(path, sizeof(path), "%s/%0300d", dir, 1);
    assert_load_problem(path, " cannot be read (File name too long)" NOT_USED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_new_null),
        cmocka_unit_test(test_config_new_defaults),
        cmocka_unit_test(test_config_action_defaults),
        cmocka_unit_test(test_config_action_null),
        cmocka_unit_test(test_config_keys_null),
        cmocka_unit_test(test_config_parse_keys_reserved),
        cmocka_unit_test(test_config_or_defaults_null),
        cmocka_unit_test(test_config_hint_null),
        cmocka_unit_test(test_config_hint_keys),
        cmocka_unit_test(test_config_hint_small),
        cmocka_unit_test(test_config_act_name_bad),
        cmocka_unit_test(test_config_parse_null),
        cmocka_unit_test(test_config_parse_empty),
        cmocka_unit_test(test_config_parse_general),
        cmocka_unit_test(test_config_parse_server_scheme_case),
        cmocka_unit_test(test_config_parse_general_bad),
        cmocka_unit_test(test_config_parse_general_default_kept),
        cmocka_unit_test(test_config_parse_shared),
        cmocka_unit_test(test_config_parse_syntax),
        cmocka_unit_test(test_config_parse_nul_byte),
        cmocka_unit_test(test_config_parse_long_line),
        cmocka_unit_test(test_config_parse_crlf_bom_indent),
        cmocka_unit_test(test_config_parse_message_safe),
        cmocka_unit_test(test_config_parse_problem_cap),
        cmocka_unit_test(test_config_style_null),
        cmocka_unit_test(test_config_style_default_theme),
        cmocka_unit_test(test_config_style_mono),
        cmocka_unit_test(test_config_style_high_contrast),
        cmocka_unit_test(test_config_parse_colors),
        cmocka_unit_test(test_config_parse_colors_bad),
        cmocka_unit_test(test_config_key_parse_null),
        cmocka_unit_test(test_config_key_parse_names),
        cmocka_unit_test(test_config_parse_keys),
        cmocka_unit_test(test_config_parse_keys_bad),
        cmocka_unit_test(test_config_parse_keys_clash_default),
        cmocka_unit_test(test_config_parse_keys_clash_file),
        cmocka_unit_test(test_config_report_null),
        cmocka_unit_test(test_config_load_null),
        cmocka_unit_test(test_config_load_missing),
        cmocka_unit_test(test_config_load_file),
        cmocka_unit_test(test_config_load_writable_by_others),
        cmocka_unit_test(test_config_load_not_regular),
        cmocka_unit_test(test_config_load_too_large),
        cmocka_unit_test(test_config_load_unreadable),
    };

    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
