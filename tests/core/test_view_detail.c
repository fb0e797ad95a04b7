/* The detail of one row of each view, built from the row's item. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/view.h"

/* Decodes body into t and returns the detail of row n. */
static struct core_detail *detail_of(struct core_table *t, const char *body,
                                     size_t n)
{
    struct core_detail *d = NULL;
    bool more;

    assert_int_equal(
        core_view_decode(t->view, body, strlen(body), 100, t, &more), BASE_OK);
    assert_true(n < t->count);
    assert_int_equal(core_view_detail(t, &t->rows[n], &d), BASE_OK);
    assert_non_null(d);
    return d;
}

/* The value of the first line labelled label; NULL when none is. */
static const char *value(const struct core_detail *d, const char *label)
{
    size_t i;

    for (i = 0; i < d->count; i++) {
        if (strcmp(d->lines[i].label, label) == 0)
            return d->lines[i].value;
    }
    return NULL;
}

/* Whether any label or value contains text. */
static bool mentions(const struct core_detail *d, const char *text)
{
    size_t i;

    for (i = 0; i < d->count; i++) {
        if (strstr(d->lines[i].label, text) || strstr(d->lines[i].value, text))
            return true;
    }
    return false;
}

static void test_view_detail_null(void **state)
{
    struct core_detail *d = NULL;
    char *cells[7] = {NULL};
    struct core_row row = {1, cells, NULL, 0};
    struct core_row junk = {1, cells, "[1]", 0};
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table bad = {CORE_VIEW_COUNT, NULL, 0, 0, 0, NULL};

    (void)state;
    assert_int_equal(core_view_detail(NULL, &row, &d), BASE_E_INVALID);
    assert_int_equal(core_view_detail(&t, NULL, &d), BASE_E_INVALID);
    assert_int_equal(core_view_detail(&t, &row, NULL), BASE_E_INVALID);
    assert_int_equal(core_view_detail(&bad, &row, &d), BASE_E_INVALID);
    assert_int_equal(core_view_detail(&t, &row, &d), BASE_E_DECODE);
    assert_int_equal(core_view_detail(&t, &junk, &d), BASE_E_DECODE);
    assert_null(d);
    core_view_detail_free(NULL);
    core_view_detail_free(&d);
}

static const char receipt[] =
    "[{\"id\":12,\"_id\":\"receipt-12\",\"type\":\"receipt\","
    "\"description\":\"Hotel\",\"user_name\":\"Maija Example\","
    "\"state\":\"accounted\",\"date\":\"2025-03-01\","
    "\"total_cost\":\"176.40\",\"currency\":\"EUR\",\"vendor\":\"Hotel Oy\","
    "\"vat_lines\":[{\"expense_account_id\":4,\"expense_account_name\":"
    "\"Travel\",\"amount\":\"10.00\",\"vat_percent\":\"25.5\","
    "\"vat_amount\":\"2.03\"},\"junk\"],"
    "\"cost_centers\":[{\"id\":1,\"name\":\"Apollo\","
    "\"dimension_name\":\"Project\"}],\"approvers\":[\"Pekka Boss\"],"
    "\"approved_by\":[\"Anna A\",\"Ben B\"],\"approved_by_ids\":[\"3\"],"
    "\"comments\":[{\"comment\":\"Missing receipt\",\"user_name\":\"Pekka\","
    "\"created_at\":\"01/03/25 10:00\",\"disapprove_comment\":true,"
    "\"reversal_comment\":false},{\"comment\":\"Added\"}],"
    "\"documents\":[{\"id\":1,\"file_name\":\"hotel.pdf\","
    "\"content_type\":\"application/pdf\"},{\"id\":2,"
    "\"file_name\":\"extra.jpg\"}],\"paid_at\":\"2025-03-05\","
    "\"batch_reference_number\":\"RF18000001\","
    "\"batch_date\":\"2025-03-31\"}]";

static void test_view_detail_receipt_lines(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_detail *d = detail_of(&t, receipt, 0);

    (void)state;
    assert_string_equal(value(d, "Amount"), "176.40 EUR");
    assert_string_equal(value(d, "Vendor"), "Hotel Oy");
    assert_string_equal(value(d, "VAT lines"),
                        "Travel: 10.00, VAT 25.5%, VAT amount 2.03");
    assert_string_equal(value(d, "Cost centers"), "");
    assert_string_equal(value(d, "Project"), "Apollo");
    assert_string_equal(value(d, "Approvers"), "Pekka Boss");
    assert_string_equal(value(d, "Approved by"), "Anna A");
    assert_true(mentions(d, "Ben B"));
    /* Who and when lead the value, so that the label column never cuts
     * them. */
    assert_string_equal(value(d, "Comment"),
                        "Pekka, 01/03/25 10:00: Rejected: Missing receipt");
    assert_true(mentions(d, "someone, unknown time: Added"));
    assert_string_equal(value(d, "Attachments"), "hotel.pdf");
    assert_true(mentions(d, "extra.jpg"));
    assert_string_equal(value(d, "Batch"), "RF18000001");
    assert_string_equal(value(d, "Paid"), "2025-03-05");
    core_view_detail_free(&d);
    assert_null(d);
    core_table_clear(&t);
}

static const char trip[] =
    "[{\"id\":77,\"type\":\"trip\",\"description\":\"Customer visit\","
    "\"state\":\"queue\",\"vehicle\":{\"id\":5,\"name\":\"Own car\"},"
    "\"entries\":[{\"id\":1,\"distance\":42.0,\"number_of_people\":\"1\","
    "\"cost_cents\":2394,\"cost_currency\":\"EUR\",\"route\":null,"
    "\"emissions\":\"7.01\"}],\"attachments\":[\"map.png\"],"
    "\"comments\":\"not an array\"}]";

static void test_view_detail_trip_entries(void **state)
{
    struct core_table t = {CORE_VIEW_TRIPS, NULL, 0, 0, 0, NULL};
    struct core_detail *d = detail_of(&t, trip, 0);

    (void)state;
    assert_string_equal(value(d, "Vehicle"), "Own car");
    assert_string_equal(value(d, "Entry 1"), "42 km, 1 person, 23.94 EUR");
    assert_true(mentions(d, "Route: not given"));
    assert_true(mentions(d, "Emissions: 7.01"));
    assert_string_equal(value(d, "Attachments"), "map.png");
    assert_null(value(d, "Comments"));
    core_view_detail_free(&d);
    core_table_clear(&t);
}

static const char allowance[] =
    "[{\"id\":9,\"type\":\"daily_allowance\",\"number_of_days\":2,"
    "\"taxable\":0.5,\"subtotal\":102.5,\"free_meals_cost\":0,"
    "\"currency\":\"EUR\",\"free_meal_days\":[{\"date\":\"2025-01-21\","
    "\"had_breakfast\":true,\"had_lunch\":false,\"had_dinner\":true,"
    "\"is_full\":false},{\"date\":\"2025-01-22\",\"is_full\":true}],"
    "\"entries\":[{\"id\":1,\"country_name\":\"Sweden\","
    "\"start_time\":1737360000,\"end_time\":1737450000}]}]";

static void test_view_detail_allowance_times(void **state)
{
    struct core_table t = {CORE_VIEW_ALLOWANCES, NULL, 0, 0, 0, NULL};
    struct core_detail *d = detail_of(&t, allowance, 0);

    (void)state;
    assert_string_equal(value(d, "Days"), "2");
    assert_string_equal(value(d, "Taxable"), "0.5");
    assert_string_equal(value(d, "Amount"), "102.50 EUR");
    assert_string_equal(value(d, "Sweden"),
                        "2025-01-20T08:00:00Z to 2025-01-21T09:00:00Z");
    assert_string_equal(value(d, "2025-01-21"), "breakfast, dinner");
    assert_string_equal(value(d, "2025-01-22"), "all meals (full day)");
    core_view_detail_free(&d);
    core_table_clear(&t);
}

static void test_view_detail_reward_period(void **state)
{
    struct core_table t = {CORE_VIEW_REWARDS, NULL, 0, 0, 0, NULL};
    struct core_detail *d =
        detail_of(&t,
                  "[{\"id\":4,\"reward_type\":{\"id\":1,\"name\":\"Bicycle\"},"
                  "\"start_time\":\"2025-01-01\",\"end_time\":\"2025-12-31\","
                  "\"total_cost\":\"300.00\",\"total_tax_amount\":\"12.00\","
                  "\"approvers\":[\"Pekka Boss\"]}]",
                  0);

    (void)state;
    assert_string_equal(value(d, "Reward type"), "Bicycle");
    assert_string_equal(value(d, "Period"), "2025-01-01 .. 2025-12-31");
    assert_string_equal(value(d, "Tax"), "12.00");
    assert_string_equal(value(d, "Approvers"), "Pekka Boss");
    core_view_detail_free(&d);
    core_table_clear(&t);
}

static void test_view_detail_approval_dispatches_on_type(void **state)
{
    struct core_table t = {CORE_VIEW_APPROVALS, NULL, 0, 0, 0, NULL};
    struct core_detail *d = detail_of(
        &t,
        "{\"trips_on_review\":[{\"id\":77,\"type\":\"receipt\","
        "\"vehicle\":{\"name\":\"Van\"},\"entries\":[{\"distance\":3}]}]}",
        0);

    (void)state;
    /* The array it came from decides, not the item's own "type". */
    assert_string_equal(value(d, "Type"), "trip");
    assert_string_equal(value(d, "Vehicle"), "Van");
    core_view_detail_free(&d);
    core_table_clear(&t);
}

static void test_view_detail_archive_batch(void **state)
{
    struct core_table t = {CORE_VIEW_ARCHIVE, NULL, 0, 0, 0, NULL};
    struct core_detail *d = detail_of(
        &t,
        "{\"has_more_items\":false,\"batch_date\":\"2025-01-31\","
        "\"batch_reference_number\":\"RF1\","
        "\"rewards_in_accounted\":[{\"id\":4,\"total_cost\":\"1.00\"}]}",
        0);

    (void)state;
    assert_string_equal(value(d, "Type"), "reward");
    assert_string_equal(value(d, "Batch"), "RF1");
    assert_string_equal(value(d, "Batch date"), "2025-01-31");
    core_view_detail_free(&d);
    core_table_clear(&t);
}

static void test_view_detail_user_without_secrets(void **state)
{
    struct core_table t = {CORE_VIEW_USERS, NULL, 0, 0, 0, NULL};
    struct core_detail *d = detail_of(
        &t,
        "[{\"id\":4711,\"name\":\"Maija Example\",\"email\":\"m@example.com\","
        "\"roles\":[\"employee\",\"money_checker\"],\"state\":\"pending\","
        "\"sign_in_count\":12,\"locale\":\"fi\",\"ssn\":\"010190-123X\","
        "\"iban\":\"FI2112345600000785\",\"bic\":\"NDEAFIHH\","
        "\"email_is_confirmed\":false}]",
        0);

    (void)state;
    assert_string_equal(value(d, "Roles"), "");
    assert_string_equal(value(d, "money_checker"),
                        core_view_role_words("money_checker"));
    assert_non_null(strstr(value(d, "Membership"), "pending"));
    assert_string_equal(value(d, "Sign-ins"), "12");
    assert_string_equal(value(d, "Language"), "fi");
    assert_string_equal(value(d, "Email confirmed"), "no");
    assert_false(mentions(d, "010190"));
    assert_false(mentions(d, "FI21"));
    assert_false(mentions(d, "NDEA"));
    /* Nor are they kept in the row's item, which the cache stores. */
    assert_null(strstr(t.rows[0].item, "010190"));
    assert_null(strstr(t.rows[0].item, "FI21"));
    assert_null(strstr(t.rows[0].item, "NDEA"));
    assert_non_null(strstr(t.rows[0].item, "Maija Example"));
    core_view_detail_free(&d);
    core_table_clear(&t);
}

static void test_view_detail_batch_pdf_as_text(void **state)
{
    struct core_table t = {CORE_VIEW_BATCHES, NULL, 0, 0, 0, NULL};
    struct core_detail *d = detail_of(
        &t,
        "[{\"id\":8,\"reference_number\":\"RF18000001\",\"total\":\"5.00\","
        "\"currency\":\"EUR\",\"item_count\":2,"
        "\"pdf_file_url\":\"https://127.0.0.1:8443/b/8.pdf\"}]",
        0);

    (void)state;
    assert_string_equal(value(d, "PDF"), "https://127.0.0.1:8443/b/8.pdf");
    assert_string_equal(value(d, "Total"), "5.00 EUR");
    assert_string_equal(value(d, "Items"), "2");
    core_view_detail_free(&d);
    core_table_clear(&t);
}

static void test_view_detail_reference_rows(void **state)
{
    struct core_table t = {CORE_VIEW_LEDGER_ACCOUNTS, NULL, 0, 0, 0, NULL};
    struct core_table c = {CORE_VIEW_COMPANY, NULL, 0, 0, 0, NULL};
    struct core_detail *d = detail_of(
        &t,
        "[{\"id\":1,\"code\":\"4000\",\"name\":\"Travel\","
        "\"accountable_type\":\"ExpenseAccount\",\"deactivated\":false,"
        "\"show_on_receipt_form\":true,\"external_id\":\"E4\"}]",
        0);

    (void)state;
    assert_string_equal(value(d, "Code"), "4000");
    assert_string_equal(value(d, "Type"), "expense");
    assert_string_equal(value(d, "External id"), "E4");
    assert_string_equal(value(d, "On the receipt form"), "yes");
    core_view_detail_free(&d);
    d = detail_of(&c, "{\"id\":3,\"name\":\"Demo Oy\"}", 1);
    assert_string_equal(value(d, "Name"), "Demo Oy");
    core_view_detail_free(&d);
    core_table_clear(&t);
    core_table_clear(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_detail_null),
        cmocka_unit_test(test_view_detail_receipt_lines),
        cmocka_unit_test(test_view_detail_trip_entries),
        cmocka_unit_test(test_view_detail_allowance_times),
        cmocka_unit_test(test_view_detail_reward_period),
        cmocka_unit_test(test_view_detail_approval_dispatches_on_type),
        cmocka_unit_test(test_view_detail_archive_batch),
        cmocka_unit_test(test_view_detail_user_without_secrets),
        cmocka_unit_test(test_view_detail_batch_pdf_as_text),
        cmocka_unit_test(test_view_detail_reference_rows),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
