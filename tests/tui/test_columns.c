/* The list's column widths: short columns whole, long text gets the rest,
 * one very long cell does not take the screen, and a narrow screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tui/columns.h"

/* The receipts of the demo company with the 671-character description:
 * Date, Description, User, Amount, Currency, State. */
static const struct tui_columns_need receipts[] = {
    {4, 10, 10}, {11, 671, 30}, {4, 21, 20}, {6, 8, 10}, {8, 3, 8}, {5, 10, 10},
};

#define RECEIPTS (sizeof(receipts) / sizeof(receipts[0]))

static int total(const int *widths, size_t n, int gap)
{
    int sum = 0;
    size_t i;

    for (i = 0; i < n; i++)
        sum += widths[i] + gap;
    return sum;
}

static void test_columns_fit_null(void **state)
{
    int widths[2] = {7, 7};

    (void)state;
    tui_columns_fit(NULL, 2, 80, 2, widths);
    tui_columns_fit(receipts, 2, 80, 2, NULL);
    tui_columns_fit(receipts, 0, 80, 2, widths);
    assert_int_equal(widths[0], 7);
    assert_int_equal(widths[1], 7);
}

/* At 120 columns the user column was cut to 12 cells while the
 * description took the rest: now the names are whole. */
static void test_columns_fit_short_columns_whole(void **state)
{
    static const int want[] = {10, 50, 21, 8, 8, 10};
    int widths[RECEIPTS];
    size_t i;

    (void)state;
    tui_columns_fit(receipts, RECEIPTS, 119, 2, widths);
    for (i = 0; i < RECEIPTS; i++)
        assert_int_equal(widths[i], want[i]);
}

/* At 80 the description keeps its floor and the user column gets what
 * is left (every demo name but the longest is whole). */
static void test_columns_fit_narrow(void **state)
{
    static const int want[] = {10, 12, 19, 8, 8, 10};
    int widths[RECEIPTS];
    size_t i;

    (void)state;
    tui_columns_fit(receipts, RECEIPTS, 79, 2, widths);
    for (i = 0; i < RECEIPTS; i++)
        assert_int_equal(widths[i], want[i]);
    assert_true(total(widths, RECEIPTS, 2) <= 79);
}

/* On a wide screen the long text takes all the room left. */
static void test_columns_fit_wide(void **state)
{
    int widths[RECEIPTS];

    (void)state;
    tui_columns_fit(receipts, RECEIPTS, 159, 2, widths);
    assert_int_equal(widths[1], 90);
    assert_int_equal(widths[2], 21);
    assert_int_equal(total(widths, RECEIPTS, 2), 159);
    tui_columns_fit(receipts, RECEIPTS, 249, 2, widths);
    assert_int_equal(widths[1], 180);
    assert_int_equal(total(widths, RECEIPTS, 2), 249);
}

/* The users at 100 columns: no long text, so the columns are completed
 * left to right and the addresses stay whole (the roles and the last
 * sign-in give way). */
static void test_columns_fit_left_first(void **state)
{
    static const struct tui_columns_need users[] = {
        {4, 19, 22}, {5, 36, 28}, {5, 27, 22}, {5, 8, 10}, {12, 24, 20}};
    static const int want[] = {19, 36, 14, 8, 12};
    int widths[5];
    size_t i;

    (void)state;
    tui_columns_fit(users, 5, 99, 2, widths);
    for (i = 0; i < 5; i++)
        assert_int_equal(widths[i], want[i]);
}

/* Two long columns share the room evenly, whatever their longest cell. */
static void test_columns_fit_long_share(void **state)
{
    static const struct tui_columns_need two[] = {{4, 900, 20}, {4, 45, 20}};
    int widths[2];

    (void)state;
    tui_columns_fit(two, 2, 64, 2, widths);
    assert_int_equal(widths[0], 30);
    assert_int_equal(widths[1], 30);
    tui_columns_fit(two, 2, 200, 2, widths);
    assert_int_equal(widths[1], 45);
    assert_int_equal(widths[0], 151);
}

/* When every column fits whole, each gets its widest cell or header and
 * the rest stays empty. */
static void test_columns_fit_all_fit(void **state)
{
    static const struct tui_columns_need small[] = {
        {4, 10, 10}, {11, 25, 30}, {4, 2, 20}};
    int widths[3];

    (void)state;
    tui_columns_fit(small, 3, 200, 2, widths);
    assert_int_equal(widths[0], 10);
    assert_int_equal(widths[1], 25);
    assert_int_equal(widths[2], 4);
}

/* Narrower than the floors: the widest columns are cut first. */
static void test_columns_fit_too_narrow(void **state)
{
    int widths[RECEIPTS];
    size_t i;

    (void)state;
    tui_columns_fit(receipts, RECEIPTS, 40, 2, widths);
    assert_true(total(widths, RECEIPTS, 2) <= 40);
    for (i = 0; i < RECEIPTS; i++)
        assert_true(widths[i] >= 4 && widths[i] <= 5);
    tui_columns_fit(receipts, RECEIPTS, 0, 2, widths);
    for (i = 0; i < RECEIPTS; i++)
        assert_int_equal(widths[i], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_fit_null),
        cmocka_unit_test(test_columns_fit_short_columns_whole),
        cmocka_unit_test(test_columns_fit_narrow),
        cmocka_unit_test(test_columns_fit_wide),
        cmocka_unit_test(test_columns_fit_left_first),
        cmocka_unit_test(test_columns_fit_long_share),
        cmocka_unit_test(test_columns_fit_all_fit),
        cmocka_unit_test(test_columns_fit_too_narrow),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
