/* The view subcommands' argument checks: which views take --state,
 * --limit and --role, and the names listed in the usage errors; fitting
 * a table to the terminal and checking --filter's encoding. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/view.h"
#include "tui/cli_internal.h"

static struct tui_cli_view_query query(enum core_view view)
{
    struct tui_cli_view_query q = {.view = view, .sort = SIZE_MAX};

    return q;
}

static void test_cli_view_is_expense_out_of_range(void **state)
{
    (void)state;
    assert_false(tui_cli_view_is_expense(CORE_VIEW_COUNT));
    assert_false(tui_cli_view_takes_state(CORE_VIEW_COUNT));
    assert_false(tui_cli_view_is_expense(CORE_VIEW_USERS));
    assert_false(tui_cli_view_is_expense(CORE_VIEW_COMPANY));
    assert_true(tui_cli_view_is_expense(CORE_VIEW_TRIPS));
    assert_true(tui_cli_view_is_expense(CORE_VIEW_ARCHIVE));
}

static void test_cli_view_takes_state_only_rows_with_a_state(void **state)
{
    (void)state;
    assert_true(tui_cli_view_takes_state(CORE_VIEW_RECEIPTS));
    assert_true(tui_cli_view_takes_state(CORE_VIEW_APPROVALS));
    /* users have a membership state, which is not an expense state */
    assert_false(tui_cli_view_takes_state(CORE_VIEW_USERS));
    assert_false(tui_cli_view_takes_state(CORE_VIEW_BATCHES));
}

static void test_cli_view_names_tiny_buffer(void **state)
{
    char one[1] = {'x'};
    char names[512];

    (void)state;
    tui_cli_view_names(one, sizeof(one), NULL);
    assert_int_equal(one[0], '\0');
    tui_cli_view_names(names, sizeof(names), NULL);
    assert_non_null(strstr(names, "ledger-accounts"));
    assert_non_null(strstr(names, "receipts, trips"));
    tui_cli_view_names(names, sizeof(names), tui_cli_view_takes_state);
    assert_non_null(strstr(names, "rewards"));
    assert_null(strstr(names, "users"));
    assert_null(strstr(names, "company"));
}

static void test_cli_view_narrow_nothing_given(void **state)
{
    struct tui_cli_view_query q = query(CORE_VIEW_COMPANY);

    (void)state;
    assert_int_equal(tui_cli_view_narrow("company", &q, NULL, NULL, NULL), 0);
    assert_null(q.state);
    assert_null(q.role);
    assert_int_equal(q.limit, 0);
}

static void test_cli_view_narrow_state_checked(void **state)
{
    struct tui_cli_view_query q = query(CORE_VIEW_TRIPS);

    (void)state;
    assert_int_equal(tui_cli_view_narrow("trips", &q, "bogus", NULL, NULL), 2);
    assert_int_equal(tui_cli_view_narrow("trips", &q, "", NULL, NULL), 2);
    assert_int_equal(tui_cli_view_narrow("trips", &q, "queue", NULL, NULL), 0);
    assert_string_equal(q.state, "queue");
    q = query(CORE_VIEW_USERS);
    assert_int_equal(tui_cli_view_narrow("users", &q, "queue", NULL, NULL), 2);
    q = query(CORE_VIEW_ARCHIVE);
    assert_int_equal(
        tui_cli_view_narrow("archive", &q, "accounted", NULL, NULL), 2);
}

/* Approvals are all in review: no other state can ever match. */
static void test_cli_view_narrow_approvals_only_reviewing(void **state)
{
    struct tui_cli_view_query q = query(CORE_VIEW_APPROVALS);

    (void)state;
    assert_int_equal(tui_cli_view_narrow("approvals", &q, "queue", NULL, NULL),
                     2);
    assert_int_equal(tui_cli_view_narrow("approvals", &q, "draft", NULL, NULL),
                     2);
    assert_null(q.state);
    assert_int_equal(
        tui_cli_view_narrow("approvals", &q, "reviewing", NULL, NULL), 0);
    assert_string_equal(q.state, "reviewing");
}

static void test_cli_view_narrow_limit_checked(void **state)
{
    struct tui_cli_view_query q = query(CORE_VIEW_REWARDS);

    (void)state;
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "-1", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "3x", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "1000001", NULL),
                     2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, " 3", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "+3", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "-0", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "3 ", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "25", NULL), 0);
    assert_int_equal(q.limit, 25);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "007", NULL), 0);
    assert_int_equal(q.limit, 7);
    q = query(CORE_VIEW_COMPANY);
    assert_int_equal(tui_cli_view_narrow("company", &q, NULL, "3", NULL), 2);
}

static void test_cli_view_narrow_role_only_for_users(void **state)
{
    struct tui_cli_view_query q = query(CORE_VIEW_TRIPS);

    (void)state;
    assert_int_equal(tui_cli_view_narrow("trips", &q, NULL, NULL, "manager"),
                     2);
    q = query(CORE_VIEW_USERS);
    assert_int_equal(tui_cli_view_narrow("users", &q, NULL, NULL, ""), 2);
    assert_int_equal(tui_cli_view_narrow("users", &q, NULL, NULL, "bogus"), 2);
    assert_null(q.role);
    assert_int_equal(tui_cli_view_narrow("users", &q, NULL, NULL, "manager"),
                     0);
    assert_string_equal(q.role, "manager");
    assert_int_equal(
        tui_cli_view_narrow("users", &q, NULL, NULL, "Money_Checker"), 0);
}

static void test_cli_view_role_valid_null(void **state)
{
    (void)state;
    assert_false(tui_cli_role_valid(NULL));
    assert_false(tui_cli_role_valid(""));
    assert_false(tui_cli_role_valid("manager "));
    assert_false(tui_cli_role_valid("admin"));
    assert_true(tui_cli_role_valid("employee"));
    assert_true(tui_cli_role_valid("APPROVER"));
    assert_true(tui_cli_role_valid("money_checker"));
}

static int sum(const int *widths, size_t n)
{
    int total = 2 * (int)(n - 1);
    size_t i;

    for (i = 0; i < n; i++)
        total += widths[i];
    return total;
}

static void test_cli_view_fit_widths_null(void **state)
{
    int caps[2] = {-1, -1};
    int natural[2] = {5, 50};
    bool shrink[2] = {false, true};

    (void)state;
    tui_cli_fit_widths(NULL, shrink, 2, 20, caps);
    tui_cli_fit_widths(natural, NULL, 2, 20, caps);
    tui_cli_fit_widths(natural, shrink, 2, 20, NULL);
    assert_int_equal(caps[0], -1);
    tui_cli_fit_widths(natural, shrink, 0, 20, caps);
    assert_int_equal(caps[0], -1);
}

static void test_cli_view_fit_widths_fits_unchanged(void **state)
{
    int natural[3] = {4, 30, 10};
    bool shrink[3] = {false, true, true};
    int caps[3];

    (void)state;
    tui_cli_fit_widths(natural, shrink, 3, 48, caps);
    assert_memory_equal(caps, natural, sizeof(caps));
    tui_cli_fit_widths(natural, shrink, 3, 200, caps);
    assert_memory_equal(caps, natural, sizeof(caps));
}

/* The widest text column is cut first; a short text column and the
 * columns that may not shrink stay whole; the line is used to the end. */
static void test_cli_view_fit_widths_widest_first(void **state)
{
    int natural[5] = {4, 10, 671, 12, 9};
    bool shrink[5] = {false, false, true, true, false};
    int caps[5];

    (void)state;
    tui_cli_fit_widths(natural, shrink, 5, 100, caps);
    assert_int_equal(sum(caps, 5), 100);
    assert_int_equal(caps[0], 4);
    assert_int_equal(caps[1], 10);
    assert_int_equal(caps[3], 12);
    assert_int_equal(caps[4], 9);
    assert_int_equal(caps[2], 100 - 8 - 4 - 10 - 12 - 9);
}

/* Two wide text columns come down to one level together, the leftover
 * column going to the first; neither goes below 8. */
static void test_cli_view_fit_widths_level_and_floor(void **state)
{
    int natural[3] = {40, 6, 60};
    bool shrink[3] = {true, true, true};
    int caps[3];

    (void)state;
    tui_cli_fit_widths(natural, shrink, 3, 41, caps);
    assert_int_equal(sum(caps, 3), 41);
    assert_int_equal(caps[1], 6);
    assert_int_equal(caps[0], 16);
    assert_int_equal(caps[2], 15);
    tui_cli_fit_widths(natural, shrink, 3, 10, caps);
    assert_int_equal(caps[0], 8);
    assert_int_equal(caps[1], 6);
    assert_int_equal(caps[2], 8);
}

static void test_cli_view_utf8_valid_null(void **state)
{
    (void)state;
    assert_false(tui_cli_utf8_valid(NULL));
    assert_true(tui_cli_utf8_valid(""));
    assert_true(tui_cli_utf8_valid("S\xc3\xb6"
                                   "derstr\xc3\xb6"
                                   "m \xe6\x9d\xb1\xe4\xba\xac "
                                   "\xf0\x9f\x99\x82"));
    assert_false(tui_cli_utf8_valid("taksi\xff"));
    assert_false(tui_cli_utf8_valid("\xc0\xaf"));         /* overlong */
    assert_false(tui_cli_utf8_valid("\xe0\x80\xaf"));     /* overlong */
    assert_false(tui_cli_utf8_valid("\xed\xa0\x80"));     /* surrogate */
    assert_false(tui_cli_utf8_valid("\xf4\x90\x80\x80")); /* > U+10FFFF */
    assert_false(tui_cli_utf8_valid("\xe2\x82"));         /* cut short */
    assert_false(tui_cli_utf8_valid("\x80"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_view_is_expense_out_of_range),
        cmocka_unit_test(test_cli_view_takes_state_only_rows_with_a_state),
        cmocka_unit_test(test_cli_view_names_tiny_buffer),
        cmocka_unit_test(test_cli_view_narrow_nothing_given),
        cmocka_unit_test(test_cli_view_narrow_state_checked),
        cmocka_unit_test(test_cli_view_narrow_limit_checked),
        cmocka_unit_test(test_cli_view_narrow_approvals_only_reviewing),
        cmocka_unit_test(test_cli_view_narrow_role_only_for_users),
        cmocka_unit_test(test_cli_view_role_valid_null),
        cmocka_unit_test(test_cli_view_fit_widths_null),
        cmocka_unit_test(test_cli_view_fit_widths_fits_unchanged),
        cmocka_unit_test(test_cli_view_fit_widths_widest_first),
        cmocka_unit_test(test_cli_view_fit_widths_level_and_floor),
        cmocka_unit_test(test_cli_view_utf8_valid_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
