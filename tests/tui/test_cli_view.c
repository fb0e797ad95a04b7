/* The view subcommands' argument checks: which views take --state,
 * --limit and --role, and the names listed in the usage errors. */
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

static void test_cli_view_narrow_limit_checked(void **state)
{
    struct tui_cli_view_query q = query(CORE_VIEW_REWARDS);

    (void)state;
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "-1", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "3x", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "", NULL), 2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "1000001", NULL),
                     2);
    assert_int_equal(tui_cli_view_narrow("rewards", &q, NULL, "25", NULL), 0);
    assert_int_equal(q.limit, 25);
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
    assert_int_equal(tui_cli_view_narrow("users", &q, NULL, NULL, "manager"),
                     0);
    assert_string_equal(q.role, "manager");
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
        cmocka_unit_test(test_cli_view_narrow_role_only_for_users),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
