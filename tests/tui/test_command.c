/* The command line's words: reading a line into a command, completing the
 * word at the cursor against invented companies (with ä and ö), accounts,
 * views and columns, the common prefix, the history and the help's list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/command.h"
#include "tui/config.h"

#define TILI "Tilitoimisto H\xc3\xa4rk\xc3\xb6nen Oy"
#define KAHVILA "Kahvila \xc3\x84im\xc3\xa4 Oy"
#define POHJOLAN "Pohjolan S\xc3\xa4hk\xc3\xb6 ja L\xc3\xa4mp\xc3\xb6 Oy"

static const char *const companies[] = {TILI, KAHVILA, POHJOLAN, NULL};
static const char *const company_ids[] = {"101", "205", "318", "539"};
static const char *const accounts[] = {"aino.harkonen@demo.bezala.test",
                                       "pekka.vaisanen@demo.bezala.test",
                                       "sanna.aimala@demo.bezala.test"};
static const char *const views[] = {"receipts", "trips", "allowances",
                                    "rewards", "company"};
static const char *const columns[] = {"date",   "description", "user_name",
                                      "amount", "currency",    "state"};

static const struct tui_command_lists lists = {
    .companies = companies,
    .company_ids = company_ids,
    .company_count = 4,
    .accounts = accounts,
    .account_count = 3,
    .views = views,
    .view_count = 5,
    .columns = columns,
    .column_count = 6,
};

/* A command that no parse writes, to see that *out stays as it was. */
static void poison(struct tui_command *c)
{
    memset(c, 0, sizeof(*c));
    c->kind = TUI_COMMAND_FILTER;
    c->act = 12345;
    snprintf(c->arg, sizeof(c->arg), "untouched");
}

static void assert_untouched(const struct tui_command *c)
{
    assert_int_equal(c->kind, TUI_COMMAND_FILTER);
    assert_int_equal(c->act, 12345);
    assert_string_equal(c->arg, "untouched");
}

static void parse_ok(const char *line, enum tui_command_kind kind,
                     const char *arg, struct tui_command *c)
{
    char why[128] = "";

    assert_int_equal(tui_command_parse(line, &lists, c, why, sizeof(why)),
                     BASE_OK);
    assert_int_equal(c->kind, kind);
    assert_string_equal(c->arg, arg);
    assert_string_equal(why, "");
}

static void parse_usage(const char *line, const char *why_want)
{
    struct tui_command c;
    char why[128] = "";

    poison(&c);
    assert_int_equal(tui_command_parse(line, &lists, &c, why, sizeof(why)),
                     BASE_E_USAGE);
    assert_untouched(&c);
    assert_string_equal(why, why_want);
}

static void test_command_parse_null(void **state)
{
    struct tui_command c;
    char why[64] = "";

    (void)state;
    poison(&c);
    assert_int_equal(tui_command_parse(NULL, &lists, &c, why, sizeof(why)),
                     BASE_E_INVALID);
    assert_untouched(&c);
    assert_int_equal(tui_command_parse("quit", &lists, NULL, why, sizeof(why)),
                     BASE_E_INVALID);
    /* No lists: the commands still parse, no view does. */
    assert_int_equal(tui_command_parse("quit", NULL, &c, NULL, 0), BASE_OK);
    assert_int_equal(tui_command_parse("trips", NULL, &c, NULL, 0),
                     BASE_E_USAGE);
}

static void test_command_parse_empty(void **state)
{
    struct tui_command c;

    (void)state;
    parse_ok("", TUI_COMMAND_EMPTY, "", &c);
    parse_ok("  \t ", TUI_COMMAND_EMPTY, "", &c);
}

static void test_command_parse_switch_argument(void **state)
{
    struct tui_command c;

    (void)state;
    parse_ok("  switch   " KAHVILA "  ", TUI_COMMAND_SWITCH, KAHVILA, &c);
    parse_ok("SWITCH 205", TUI_COMMAND_SWITCH, "205", &c);
    parse_ok("account sanna", TUI_COMMAND_ACCOUNT, "sanna", &c);
    parse_usage("switch", "'switch' needs an argument: Tab lists them");
    parse_usage("account   ", "'account' needs an argument: Tab lists them");
}

static void test_command_parse_unknown(void **state)
{
    (void)state;
    parse_usage("bogus", "unknown command 'bogus': Tab lists the commands");
    parse_usage("bogus with words",
                "unknown command 'bogus': Tab lists the commands");
    /* The view keys, the command key and the redraw are no commands. */
    parse_usage("view_1", "unknown command 'view_1': Tab lists the commands");
    parse_usage("command", "unknown command 'command': Tab lists the commands");
    parse_usage("redraw", "unknown command 'redraw': Tab lists the commands");
    parse_usage("form_submit",
                "unknown command 'form_submit': Tab lists the commands");
}

static void test_command_parse_view(void **state)
{
    struct tui_command c;

    (void)state;
    parse_ok("view trips", TUI_COMMAND_VIEW, "trips", &c);
    parse_ok("view TRIPS", TUI_COMMAND_VIEW, "trips", &c);
    parse_ok("trips", TUI_COMMAND_VIEW, "trips", &c);
    parse_ok("Company", TUI_COMMAND_VIEW, "company", &c);
    parse_usage("view nope", "no view 'nope': Tab lists the views");
    parse_usage("view", "'view' needs an argument: Tab lists them");
    parse_usage("trips now", "'trips' takes no argument");
}

static void test_command_parse_actions(void **state)
{
    struct tui_command c;

    (void)state;
    parse_ok("refresh", TUI_COMMAND_ACTION, "", &c);
    assert_int_equal(c.act, TUI_CONFIG_ACT_REFRESH);
    parse_ok("q", TUI_COMMAND_ACTION, "", &c);
    assert_int_equal(c.act, TUI_CONFIG_ACT_QUIT);
    parse_ok("quit", TUI_COMMAND_ACTION, "", &c);
    assert_int_equal(c.act, TUI_CONFIG_ACT_QUIT);
    parse_ok("companies", TUI_COMMAND_ACTION, "", &c);
    assert_int_equal(c.act, TUI_CONFIG_ACT_COMPANIES);
    parse_ok("accounts", TUI_COMMAND_ACTION, "", &c);
    assert_int_equal(c.act, TUI_CONFIG_ACT_ACCOUNTS);
    parse_ok("help", TUI_COMMAND_ACTION, "", &c);
    assert_int_equal(c.act, TUI_CONFIG_ACT_HELP);
    parse_ok("pin", TUI_COMMAND_ACTION, "", &c);
    assert_int_equal(c.act, TUI_CONFIG_ACT_PIN);
    parse_ok("Next_View", TUI_COMMAND_ACTION, "", &c);
    assert_int_equal(c.act, TUI_CONFIG_ACT_NEXT_VIEW);
    parse_usage("refresh now", "'refresh' takes no argument");
    parse_usage("pin it", "'pin' takes no argument");
}

static void test_command_parse_optional_argument(void **state)
{
    struct tui_command c;

    (void)state;
    parse_ok("export", TUI_COMMAND_EXPORT, "", &c);
    parse_ok("export ~/kulut \xc3\xa4.csv", TUI_COMMAND_EXPORT,
             "~/kulut \xc3\xa4.csv", &c);
    parse_ok("filter", TUI_COMMAND_FILTER, "", &c);
    parse_ok("filter  J\xc3\xb6rn  ", TUI_COMMAND_FILTER, "J\xc3\xb6rn", &c);
    parse_ok("sort", TUI_COMMAND_SORT, "", &c);
    parse_ok("sort amount", TUI_COMMAND_SORT, "amount", &c);
}

static void test_command_parse_long(void **state)
{
    char line[600];
    char why[64];
    struct tui_command c;

    (void)state;
    /* A first word longer than any command, cut in the message. */
    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    assert_int_equal(tui_command_parse(line, &lists, &c, why, sizeof(why)),
                     BASE_E_USAGE);
    assert_true(strncmp(why, "unknown command 'xxx", 20) == 0);
    /* An argument longer than a line is cut, not overflowed. */
    memcpy(line, "filter ", 7);
    assert_int_equal(tui_command_parse(line, &lists, &c, NULL, 0), BASE_OK);
    assert_int_equal(c.kind, TUI_COMMAND_FILTER);
    assert_int_equal(strlen(c.arg), TUI_COMMAND_LINE_MAX - 1);
}

static bool has_item(const struct tui_command_matches *m, const char *item)
{
    size_t i;

    for (i = 0; i < m->count; i++) {
        if (strcmp(m->items[i], item) == 0)
            return true;
    }
    return false;
}

/* Completes line with the cursor at its end. */
static void complete(const char *line, struct tui_command_matches *m)
{
    assert_int_equal(tui_command_complete(line, strlen(line), &lists, m),
                     BASE_OK);
}

static void test_command_complete_null(void **state)
{
    struct tui_command_matches m;

    (void)state;
    m.count = 99;
    assert_int_equal(tui_command_complete(NULL, 0, &lists, &m), BASE_E_INVALID);
    assert_int_equal(m.count, 99);
    assert_int_equal(tui_command_complete("sw", 0, &lists, NULL),
                     BASE_E_INVALID);
    assert_int_equal(tui_command_complete("sw", 3, &lists, &m), BASE_E_INVALID);
    /* Byte 1 of "ä" is inside the character. */
    assert_int_equal(tui_command_complete("\xc3\xa4", 1, &lists, &m),
                     BASE_E_INVALID);
    assert_int_equal(m.count, 99);
    /* Without lists the commands still complete. */
    assert_int_equal(tui_command_complete("sw", 2, NULL, &m), BASE_OK);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], "switch");
}

static void test_command_complete_empty_line(void **state)
{
    struct tui_command_matches m;

    (void)state;
    complete("", &m);
    assert_false(m.argument);
    assert_int_equal(m.start, 0);
    assert_int_equal(m.end, 0);
    assert_true(m.count > 11);
    assert_int_equal(m.total, m.count);
    assert_string_equal(m.items[0], "switch");
    assert_string_equal(m.items[1], "account");
    assert_true(has_item(&m, "quit"));
    assert_true(has_item(&m, "trips"));
    assert_true(has_item(&m, "pin"));
    assert_false(has_item(&m, "q"));
    assert_false(has_item(&m, "view_1"));
    assert_false(has_item(&m, "command"));
    assert_false(has_item(&m, "form_next"));
}

static void test_command_complete_command(void **state)
{
    struct tui_command_matches m;

    (void)state;
    complete("sw", &m);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], "switch");
    complete("  SW", &m);
    assert_int_equal(m.start, 2);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], "switch");
    complete("acc", &m);
    assert_int_equal(m.count, 2);
    assert_string_equal(m.items[0], "account");
    assert_string_equal(m.items[1], "accounts");
    complete("tr", &m);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], "trips");
    complete("zz", &m);
    assert_int_equal(m.count, 0);
    assert_int_equal(m.total, 0);
}

static void test_command_complete_companies(void **state)
{
    struct tui_command_matches m;

    (void)state;
    complete("switch ", &m);
    assert_true(m.argument);
    assert_int_equal(m.start, 7);
    assert_int_equal(m.count, 4);
    assert_string_equal(m.items[0], TILI);
    assert_string_equal(m.items[1], KAHVILA);
    assert_string_equal(m.items[2], POHJOLAN);
    /* The company without a published name by its id. */
    assert_string_equal(m.items[3], "539");
    complete("switch   K", &m);
    assert_int_equal(m.start, 9);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], KAHVILA);
    complete("switch 1", &m);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], "101");
}

static void test_command_complete_folded(void **state)
{
    struct tui_command_matches m;

    (void)state;
    complete("switch kahvila \xc3\xa4", &m); /* lower-case ä */
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], KAHVILA);
    complete("switch KAHVILA \xc3\x84IM\xc3\x84", &m); /* upper-case Ä */
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], KAHVILA);
    complete("switch POHJOLAN S\xc3\x84HK\xc3\x96", &m); /* Ö */
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], POHJOLAN);
    complete("switch kahvila aima", &m); /* without the dots */
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], KAHVILA);
    complete("switch kahvila \xc3\xb6", &m); /* ö is not ä */
    assert_int_equal(m.count, 0);
}

static void test_command_complete_cursor_inside(void **state)
{
    const char *line = "switch Kah and more";
    struct tui_command_matches m;

    (void)state;
    assert_int_equal(tui_command_complete(line, 10, &lists, &m), BASE_OK);
    assert_int_equal(m.start, 7);
    assert_int_equal(m.end, 10);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], KAHVILA);
    /* In the command word: the part before the cursor. */
    assert_int_equal(tui_command_complete(line, 2, &lists, &m), BASE_OK);
    assert_false(m.argument);
    assert_int_equal(m.start, 0);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], "switch");
}

static void test_command_complete_other_lists(void **state)
{
    struct tui_command_matches m;

    (void)state;
    complete("account s", &m);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], "sanna.aimala@demo.bezala.test");
    complete("view r", &m);
    assert_int_equal(m.count, 2);
    assert_string_equal(m.items[0], "receipts");
    assert_string_equal(m.items[1], "rewards");
    complete("sort AM", &m);
    assert_int_equal(m.count, 1);
    assert_string_equal(m.items[0], "amount");
    /* Nothing completes these arguments. */
    complete("filter ", &m);
    assert_true(m.argument);
    assert_int_equal(m.count, 0);
    complete("refresh ", &m);
    assert_int_equal(m.count, 0);
    complete("bogus x", &m);
    assert_int_equal(m.count, 0);
}

static void test_command_complete_many(void **state)
{
    static char names[TUI_COMMAND_MATCHES_MAX + 12][8];
    const char *ptrs[TUI_COMMAND_MATCHES_MAX + 12];
    struct tui_command_lists many = {0};
    struct tui_command_matches m;
    size_t i;

    (void)state;
    for (i = 0; i < TUI_COMMAND_MATCHES_MAX + 12; i++) {
        snprintf(names[i], sizeof(names[i]), "v%02zu", i);
        ptrs[i] = names[i];
    }
    /* A repeat is kept once. */
    ptrs[1] = names[0];
    many.views = ptrs;
    many.view_count = TUI_COMMAND_MATCHES_MAX + 12;
    assert_int_equal(tui_command_complete("view v", 6, &many, &m), BASE_OK);
    assert_int_equal(m.count, TUI_COMMAND_MATCHES_MAX);
    assert_int_equal(m.total, TUI_COMMAND_MATCHES_MAX + 11);
    assert_string_equal(m.items[0], "v00");
    assert_string_equal(m.items[1], "v02");
}

static void test_command_common_prefix_null(void **state)
{
    const char *none[] = {NULL};

    (void)state;
    assert_int_equal(tui_command_common_prefix(NULL, 3), 0);
    assert_int_equal(tui_command_common_prefix(none, 0), 0);
    assert_int_equal(tui_command_common_prefix(none, 1), 0);
}

static void test_command_common_prefix_items(void **state)
{
    const char *one[] = {"switch"};
    const char *acc[] = {"account", "accounts"};
    const char *none[] = {"abc", "xyz"};
    const char *cases[] = {KAHVILA, "kahvila \xc3\xa4iti", "KAHVILA \xc3\x84I"};
    const char *vowels[] = {"\xc3\xa4", "\xc3\xb6"};

    (void)state;
    assert_int_equal(tui_command_common_prefix(one, 1), 6);
    assert_int_equal(tui_command_common_prefix(acc, 2), 7);
    assert_int_equal(tui_command_common_prefix(none, 2), 0);
    /* "Kahvila Äi": 10 characters, 11 bytes, in items[0]'s case. */
    assert_int_equal(tui_command_common_prefix(cases, 3), 11);
    /* ä and ö share their first byte but are other characters. */
    assert_int_equal(tui_command_common_prefix(vowels, 2), 0);
}

static void test_command_history_add_null(void **state)
{
    static struct tui_command_history h;

    (void)state;
    tui_command_history_add(NULL, "x");
    tui_command_history_add(&h, NULL);
    assert_int_equal(h.count, 0);
    tui_command_history_add(&h, "   ");
    assert_int_equal(h.count, 0);
}

static void test_command_history_add_lines(void **state)
{
    static struct tui_command_history h;
    char line[16];
    size_t i;

    (void)state;
    tui_command_history_add(&h, "trips");
    tui_command_history_add(&h, "trips");
    assert_int_equal(h.count, 1);
    for (i = 0; i < TUI_COMMAND_HISTORY_MAX + 5; i++) {
        snprintf(line, sizeof(line), "view %zu", i);
        tui_command_history_add(&h, line);
    }
    assert_int_equal(h.count, TUI_COMMAND_HISTORY_MAX);
    assert_string_equal(h.lines[0], "view 5");
    snprintf(line, sizeof(line), "view %d", TUI_COMMAND_HISTORY_MAX + 4);
    assert_string_equal(h.lines[TUI_COMMAND_HISTORY_MAX - 1], line);
}

static void test_command_history_step_null(void **state)
{
    static struct tui_command_history h;

    (void)state;
    assert_null(tui_command_history_step(NULL, -1, ""));
    assert_null(tui_command_history_step(&h, -1, NULL));
    assert_null(tui_command_history_step(&h, -1, ""));
    assert_null(tui_command_history_step(&h, 1, ""));
    tui_command_history_reset(NULL);
}

static void test_command_history_step_walk(void **state)
{
    static struct tui_command_history h;

    (void)state;
    tui_command_history_add(&h, "switch 205");
    tui_command_history_add(&h, "trips");
    assert_null(tui_command_history_step(&h, 1, "draft"));
    assert_string_equal(tui_command_history_step(&h, -1, "draft"), "trips");
    assert_string_equal(tui_command_history_step(&h, -1, "trips"),
                        "switch 205");
    assert_null(tui_command_history_step(&h, -1, "switch 205"));
    assert_string_equal(tui_command_history_step(&h, 1, "switch 205"), "trips");
    assert_string_equal(tui_command_history_step(&h, 1, "trips"), "draft");
    assert_null(tui_command_history_step(&h, 1, "draft"));
    /* A new line starts from the newest again, without the old draft. */
    tui_command_history_step(&h, -1, "x");
    tui_command_history_reset(&h);
    assert_string_equal(tui_command_history_step(&h, -1, ""), "trips");
    assert_string_equal(tui_command_history_step(&h, 1, "trips"), "");
}

static void test_command_help_null(void **state)
{
    const char *usage = "unset";
    const char *what = "unset";

    (void)state;
    assert_true(tui_command_help(0, NULL, NULL));
    assert_false(tui_command_help((size_t)-1, &usage, &what));
    assert_string_equal(usage, "unset");
    assert_string_equal(what, "unset");
}

static void test_command_help_lines(void **state)
{
    const char *usage = NULL;
    const char *what = NULL;
    size_t i;

    (void)state;
    assert_true(tui_command_help(0, &usage, &what));
    assert_string_equal(usage, "switch COMPANY");
    for (i = 0; tui_command_help(i, &usage, &what); i++) {
        assert_non_null(usage);
        assert_non_null(what);
        assert_true(strcmp(usage, "q") != 0);
    }
    /* Every command of the table but the alias q. */
    assert_int_equal(i, 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_command_parse_null),
        cmocka_unit_test(test_command_parse_empty),
        cmocka_unit_test(test_command_parse_switch_argument),
        cmocka_unit_test(test_command_parse_unknown),
        cmocka_unit_test(test_command_parse_view),
        cmocka_unit_test(test_command_parse_actions),
        cmocka_unit_test(test_command_parse_optional_argument),
        cmocka_unit_test(test_command_parse_long),
        cmocka_unit_test(test_command_complete_null),
        cmocka_unit_test(test_command_complete_empty_line),
        cmocka_unit_test(test_command_complete_command),
        cmocka_unit_test(test_command_complete_companies),
        cmocka_unit_test(test_command_complete_folded),
        cmocka_unit_test(test_command_complete_cursor_inside),
        cmocka_unit_test(test_command_complete_other_lists),
        cmocka_unit_test(test_command_complete_many),
        cmocka_unit_test(test_command_common_prefix_null),
        cmocka_unit_test(test_command_common_prefix_items),
        cmocka_unit_test(test_command_history_add_null),
        cmocka_unit_test(test_command_history_add_lines),
        cmocka_unit_test(test_command_history_step_null),
        cmocka_unit_test(test_command_history_step_walk),
        cmocka_unit_test(test_command_help_null),
        cmocka_unit_test(test_command_help_lines),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
