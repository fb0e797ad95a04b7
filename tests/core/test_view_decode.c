/* Decoding each view's answers into rows, with answers of the wrong
 * shape refused and paging told right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/view.h"

static const char *cell(const struct core_table *t, size_t row, const char *key)
{
    const struct core_view_info *info = core_view_info(t->view);
    size_t i;

    assert_true(row < t->count);
    for (i = 0; i < info->column_count; i++) {
        if (strcmp(info->columns[i].key, key) == 0)
            return t->rows[row].cells[i];
    }
    fail_msg("no column %s", key);
    return NULL;
}

static enum base_status decode(struct core_table *t, const char *body,
                               size_t per_page, bool *more)
{
    return core_view_decode(t->view, body, strlen(body), per_page, t, more);
}

/* Expects body to be refused and the table left as it was. */
static void refused(enum core_view view, const char *body)
{
    struct core_table t = {view, NULL, 0, 0, 0, NULL};
    bool more = true;

    assert_int_equal(decode(&t, body, 10, &more), BASE_E_DECODE);
    assert_int_equal(t.count, 0);
    assert_true(more);
    core_table_clear(&t);
}

static const char receipts[] =
    "[{\"id\":12,\"_id\":\"receipt-12\",\"type\":\"receipt\","
    "\"description\":\"Taxi, airport\",\"user_id\":4711,"
    "\"user_name\":\"Maija Example\",\"state\":\"reviewing\","
    "\"date\":\"2025-03-01\",\"total_cost\":\"176.40\","
    "\"currency\":\"EUR\",\"vendor\":null,\"unknown\":{\"x\":[1]}},"
    "{\"id\":\"13\",\"description\":\"Lunch\\u0007\",\"state\":\"draft\","
    "\"date\":\"2025-02-01\",\"amount\":12.4,"
    "\"user\":{\"id\":8,\"name\":\"Åsa Test\","
    "\"country\":{\"currency\":\"SEK\"}}}]";

static void test_view_decode_null_and_degenerate(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    bool more = false;

    (void)state;
    assert_int_equal(
        core_view_decode(CORE_VIEW_RECEIPTS, "[]", 2, 10, NULL, &more),
        BASE_E_INVALID);
    assert_int_equal(
        core_view_decode(CORE_VIEW_RECEIPTS, "[]", 2, 10, &t, NULL),
        BASE_E_INVALID);
    assert_int_equal(core_view_decode(CORE_VIEW_TRIPS, "[]", 2, 10, &t, &more),
                     BASE_E_INVALID);
    assert_int_equal(
        core_view_decode(CORE_VIEW_RECEIPTS, NULL, 0, 10, &t, &more),
        BASE_E_DECODE);
    assert_int_equal(core_view_decode(CORE_VIEW_RECEIPTS, "", 0, 10, &t, &more),
                     BASE_E_DECODE);
    assert_int_equal(decode(&t, "[]", 10, &more), BASE_OK);
    assert_int_equal(t.count, 0);
    assert_false(more);
    core_table_clear(&t);
    core_table_clear(NULL);
    t.view = CORE_VIEW_USERS;
    assert_int_equal(core_view_decode(CORE_VIEW_USERS, NULL, 0, 10, &t, &more),
                     BASE_E_DECODE);
    assert_int_equal(decode(&t, "[]", 10, &more), BASE_OK);
    assert_int_equal(t.count, 0);
    assert_null(t.rows);
}

static void test_view_decode_receipts_cells(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    bool more = true;

    (void)state;
    assert_int_equal(decode(&t, receipts, 10, &more), BASE_OK);
    assert_false(more);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.rows[0].id, 12);
    assert_string_equal(cell(&t, 0, "description"), "Taxi, airport");
    assert_string_equal(cell(&t, 0, "amount"), "176.40");
    assert_string_equal(cell(&t, 0, "currency"), "EUR");
    assert_string_equal(cell(&t, 0, "user_id"), "4711");
    assert_string_equal(cell(&t, 0, "state"), "reviewing");
    assert_non_null(strstr(t.rows[0].item, "\"receipt-12\""));
    /* A string id, a real amount, the nested user and its currency. */
    assert_int_equal(t.rows[1].id, 13);
    assert_string_equal(cell(&t, 1, "amount"), "12.40");
    assert_string_equal(cell(&t, 1, "currency"), "SEK");
    assert_string_equal(cell(&t, 1, "user_name"), "Åsa Test");
    assert_string_equal(cell(&t, 1, "user_id"), "8");
    /* Control characters are kept as sent. */
    assert_string_equal(cell(&t, 1, "description"), "Lunch\a");
    /* A second page appends. */
    assert_int_equal(decode(&t, receipts, 2, &more), BASE_OK);
    assert_true(more);
    assert_int_equal(t.count, 4);
    core_table_clear(&t);
    assert_int_equal(t.count, 0);
    assert_null(t.rows);
    assert_int_equal(t.view, CORE_VIEW_RECEIPTS);
}

static void test_view_decode_receipts_wrong_shape(void **state)
{
    (void)state;
    refused(CORE_VIEW_RECEIPTS, "{\"id\":1}");
    refused(CORE_VIEW_RECEIPTS, "[1]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":\"12abc\"}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":\"\"}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"description\":\"no id\"}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1,\"total_cost\":[1]}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1,\"date\":20250101}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1,\"user\":\"Maija\"}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1,\"id\":2}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1},");
    /* One bad item refuses the page: the good one is not kept. */
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1},{\"id\":true}]");
}

/* The other shapes a receipt's fields come in: currency as an object or
 * as cost_currency, amount when total_cost is null, no currency at all. */
static void test_view_decode_receipts_odd_fields(void **state)
{
    static const char body[] =
        "[{\"id\":1,\"amount\":\"2.00\",\"currency\":{\"code\":\"SEK\"}},"
        "{\"id\":2,\"total_cost\":null,\"amount\":\"3.05\","
        "\"cost_currency\":\"NOK\"},{\"id\":3,\"amount\":\"0.13\"}]";
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    bool more = true;

    (void)state;
    assert_int_equal(decode(&t, body, 10, &more), BASE_OK);
    assert_int_equal(t.count, 3);
    assert_string_equal(cell(&t, 0, "currency"), "SEK");
    assert_string_equal(cell(&t, 1, "amount"), "3.05");
    assert_string_equal(cell(&t, 1, "currency"), "NOK");
    assert_string_equal(cell(&t, 2, "amount"), "0.13");
    assert_null(cell(&t, 2, "currency"));
    assert_null(cell(&t, 2, "date"));
    core_table_clear(&t);
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1,\"amount\":true}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1,\"currency\":5}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1,\"currency\":{\"code\":5}}]");
    refused(CORE_VIEW_RECEIPTS, "[{\"id\":1,\"user_id\":\"-3\"}]");
}

static void test_view_decode_keeps_table_on_failure(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    bool more = false;

    (void)state;
    assert_int_equal(decode(&t, receipts, 2, &more), BASE_OK);
    assert_true(more);
    assert_int_equal(decode(&t, "[{\"id\":3},{\"id\":{}}]", 2, &more),
                     BASE_E_DECODE);
    assert_true(more);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.rows[1].id, 13);
    core_table_clear(&t);
}

static const char trips[] =
    "[{\"id\":77,\"_id\":\"trip-77\",\"type\":\"trip\","
    "\"description\":\"Customer visit\",\"user_name\":\"Maija Example\","
    "\"user_id\":4711,\"state\":\"queue\",\"date\":\"2025-03-10\","
    "\"taxable\":1.0,\"vehicle\":{\"id\":5,\"name\":\"Own car\"},"
    "\"entries\":[{\"id\":1,\"distance\":42.0,\"number_of_people\":\"1\","
    "\"cost_cents\":2394,\"cost_currency\":\"EUR\",\"route\":null,"
    "\"emissions\":\"7.01\"},{\"id\":2,\"distance\":0.5,"
    "\"number_of_people\":\"2\",\"cost_cents\":6,\"cost_currency\":\"EUR\","
    "\"route\":\"Office - Client\",\"emissions\":\"0.10\"}]},"
    "{\"id\":78,\"state\":\"draft\",\"entries\":[],\"vehicle\":null}]";

static void test_view_decode_trips_sums(void **state)
{
    struct core_table t = {CORE_VIEW_TRIPS, NULL, 0, 0, 0, NULL};
    bool more = true;

    (void)state;
    assert_int_equal(decode(&t, trips, 100, &more), BASE_OK);
    assert_false(more);
    assert_int_equal(t.count, 2);
    assert_string_equal(cell(&t, 0, "distance"), "42.5");
    assert_string_equal(cell(&t, 0, "amount"), "24.00");
    assert_string_equal(cell(&t, 0, "currency"), "EUR");
    assert_string_equal(cell(&t, 0, "vehicle"), "Own car");
    assert_null(cell(&t, 1, "distance"));
    assert_null(cell(&t, 1, "amount"));
    assert_null(cell(&t, 1, "vehicle"));
    assert_null(cell(&t, 1, "user_id"));
    core_table_clear(&t);
}

static void test_view_decode_trips_wrong_shape(void **state)
{
    (void)state;
    refused(CORE_VIEW_TRIPS, "{\"entries\":[]}");
    refused(CORE_VIEW_TRIPS,
            "[{\"id\":1,\"entries\":[{\"cost_cents\":\"2394\"}]}]");
    refused(CORE_VIEW_TRIPS, "[{\"id\":1,\"entries\":{\"distance\":1}}]");
    refused(CORE_VIEW_TRIPS, "[{\"id\":1,\"entries\":[\"x\"]}]");
    refused(CORE_VIEW_TRIPS, "[{\"id\":1,\"entries\":[{\"distance\":\"4\"}]}]");
    refused(CORE_VIEW_TRIPS, "[{\"id\":1,\"vehicle\":\"Own car\"}]");
    refused(CORE_VIEW_TRIPS, "[{\"id\":1,\"vehicle\":{\"name\":5}}]");
}

static void test_view_decode_trips_negative_cents(void **state)
{
    struct core_table t = {CORE_VIEW_TRIPS, NULL, 0, 0, 0, NULL};
    bool more;

    (void)state;
    assert_int_equal(decode(&t,
                            "[{\"id\":1,\"entries\":[{\"cost_cents\":-5},"
                            "{\"cost_cents\":-100}]}]",
                            100, &more),
                     BASE_OK);
    assert_string_equal(cell(&t, 0, "amount"), "-1.05");
    core_table_clear(&t);
}

static const char allowances[] =
    "[{\"id\":9,\"_id\":\"daily_allowance-9\",\"type\":\"daily_allowance\","
    "\"description\":\"Fair\",\"user_name\":\"Linnéa Berg\",\"user_id\":5,"
    "\"state\":\"accounted\",\"date\":\"2025-01-20\",\"number_of_days\":3,"
    "\"taxable\":0.0,\"subtotal\":102.5,\"free_meals_cost\":0,"
    "\"currency\":\"EUR\",\"free_meal_days\":[{\"date\":\"2025-01-21\","
    "\"had_breakfast\":true,\"had_lunch\":false,\"had_dinner\":true,"
    "\"is_full\":false}],\"entries\":[{\"id\":1,\"country_id\":2,"
    "\"country_name\":\"Sweden\",\"start_time\":1737360000,"
    "\"end_time\":1737450000,\"cost_cents\":6400},{\"id\":2,"
    "\"country_name\":\"Norway\",\"start_time\":1737450000,"
    "\"end_time\":1737540000},{\"id\":3,\"country_name\":\"Sweden\"}]}]";

static void test_view_decode_allowances(void **state)
{
    struct core_table t = {CORE_VIEW_ALLOWANCES, NULL, 0, 0, 0, NULL};
    bool more;

    (void)state;
    assert_int_equal(decode(&t, allowances, 100, &more), BASE_OK);
    assert_int_equal(t.count, 1);
    assert_string_equal(cell(&t, 0, "days"), "3");
    assert_string_equal(cell(&t, 0, "amount"), "102.50");
    assert_string_equal(cell(&t, 0, "country"), "Sweden\nNorway");
    assert_string_equal(cell(&t, 0, "currency"), "EUR");
    assert_string_equal(cell(&t, 0, "state"), "accounted");
    core_table_clear(&t);
    /* The net total_cost, where sent, wins over the subtotal. */
    assert_int_equal(
        decode(&t,
               "[{\"id\":1,\"subtotal\":264.0,"
               "\"free_meals_cost\":33,\"total_cost\":\"231.00\"}]",
               100, &more),
        BASE_OK);
    assert_string_equal(cell(&t, 0, "amount"), "231.00");
    core_table_clear(&t);
    refused(CORE_VIEW_ALLOWANCES, "[{\"id\":1,\"subtotal\":true}]");
    refused(CORE_VIEW_ALLOWANCES, "[{\"id\":1,\"total_cost\":[]}]");
    refused(CORE_VIEW_ALLOWANCES,
            "[{\"id\":1,\"entries\":[{\"country_name\":7}]}]");
    refused(CORE_VIEW_ALLOWANCES, "[{\"id\":1,\"number_of_days\":[]}]");
}

static const char rewards[] =
    "[{\"id\":4,\"_id\":\"reward-4\",\"type\":\"reward\","
    "\"description\":\"Bike benefit\",\"user_name\":\"Maija Example\","
    "\"user_id\":4711,\"state\":\"queue\",\"date\":\"2025-02-28\","
    "\"reward_type\":{\"id\":1,\"name\":\"Bicycle\"},"
    "\"start_time\":\"2025-01-01\",\"end_time\":\"2025-12-31\","
    "\"total_cost\":\"300.00\",\"total_tax_amount\":0,\"currency\":\"EUR\"}]";

static void test_view_decode_rewards(void **state)
{
    struct core_table t = {CORE_VIEW_REWARDS, NULL, 0, 0, 0, NULL};
    bool more = true;

    (void)state;
    assert_int_equal(decode(&t, rewards, 1, &more), BASE_OK);
    assert_true(more);
    assert_string_equal(cell(&t, 0, "reward_type"), "Bicycle");
    assert_string_equal(cell(&t, 0, "amount"), "300.00");
    assert_string_equal(cell(&t, 0, "tax"), "0.00");
    core_table_clear(&t);
    refused(CORE_VIEW_REWARDS, "[{\"id\":1,\"reward_type\":[\"Bike\"]}]");
    refused(CORE_VIEW_REWARDS, "[{\"id\":1,\"total_tax_amount\":{}}]");
}

static const char expenses[] =
    "{\"transactions_on_review\":[{\"id\":12,\"description\":\"Taxi\","
    "\"total_cost\":\"1.00\",\"state\":\"reviewing\",\"user_id\":2}],"
    "\"trips_on_review\":[{\"id\":77,\"entries\":[{\"cost_cents\":150,"
    "\"cost_currency\":\"EUR\"}],\"state\":\"reviewing\"}],"
    "\"daily_allowances_on_review\":null,"
    "\"rewards_on_review\":[{\"id\":4,\"total_cost\":\"2.00\"}],"
    "\"transactions_in_draft\":[{\"id\":99}],\"batch_dates\":[]}";

static void test_view_decode_approvals(void **state)
{
    struct core_table t = {CORE_VIEW_APPROVALS, NULL, 0, 0, 0, NULL};
    bool more = true;

    (void)state;
    assert_int_equal(decode(&t, expenses, 1, &more), BASE_OK);
    assert_false(more);
    assert_int_equal(t.count, 3);
    assert_string_equal(cell(&t, 0, "type"), "receipt");
    assert_string_equal(cell(&t, 1, "type"), "trip");
    assert_string_equal(cell(&t, 1, "amount"), "1.50");
    assert_string_equal(cell(&t, 2, "type"), "reward");
    assert_int_equal(t.rows[2].id, 4);
    /* The item keeps its type for the detail. */
    assert_non_null(strstr(t.rows[1].item, "\"type\":\"trip\""));
    core_table_clear(&t);
    refused(CORE_VIEW_APPROVALS, "[]");
    refused(CORE_VIEW_APPROVALS, "{\"trips_on_review\":{}}");
    /* An object with none of the arrays is not "nothing to approve". */
    refused(CORE_VIEW_APPROVALS, "{}");
    refused(CORE_VIEW_APPROVALS, "{\"transactions_in_draft\":[]}");
    refused(CORE_VIEW_APPROVALS, "{\"rewards_on_review\":[{\"id\":\"x\"}]}");
}

static const char archive[] =
    "{\"has_more_items\":true,\"batch_date\":\"2025-01-31\","
    "\"batch_reference_number\":\"RF18000001\","
    "\"transactions_in_accounted\":[{\"id\":1,\"date\":\"2025-01-02\","
    "\"total_cost\":\"5.00\",\"currency\":\"EUR\",\"state\":\"accounted\"}],"
    "\"trips_in_accounted\":[],\"daily_allowances_in_accounted\":[{\"id\":9,"
    "\"subtotal\":10,\"batch_date\":\"2025-01-30\"}],"
    "\"rewards_in_accounted\":[]}";

static void test_view_decode_archive_pages(void **state)
{
    struct core_table t = {CORE_VIEW_ARCHIVE, NULL, 0, 0, 0, NULL};
    bool more = false;

    (void)state;
    assert_int_equal(decode(&t, archive, 0, &more), BASE_OK);
    assert_true(more);
    assert_int_equal(t.count, 2);
    assert_string_equal(cell(&t, 0, "batch_date"), "2025-01-31");
    assert_string_equal(cell(&t, 0, "batch"), "RF18000001");
    assert_string_equal(cell(&t, 0, "type"), "receipt");
    assert_string_equal(cell(&t, 1, "type"), "allowance");
    assert_string_equal(cell(&t, 1, "amount"), "10.00");
    assert_non_null(strstr(t.rows[0].item, "RF18000001"));
    /* An empty page that says more follows is legal. */
    assert_int_equal(decode(&t,
                            "{\"has_more_items\":true,\"batch_date\":null,"
                            "\"transactions_in_accounted\":[]}",
                            0, &more),
                     BASE_OK);
    assert_true(more);
    assert_int_equal(decode(&t,
                            "{\"has_more_items\":false,"
                            "\"transactions_in_accounted\":[]}",
                            0, &more),
                     BASE_OK);
    assert_false(more);
    assert_int_equal(t.count, 2);
    /* Without a page batch the item's own is used. */
    assert_int_equal(decode(&t,
                            "{\"has_more_items\":false,"
                            "\"rewards_in_accounted\":[{\"id\":5,"
                            "\"batch_date\":\"2024-12-31\","
                            "\"batch_reference_number\":\"RF9\"}]}",
                            0, &more),
                     BASE_OK);
    assert_string_equal(cell(&t, 2, "batch_date"), "2024-12-31");
    assert_string_equal(cell(&t, 2, "batch"), "RF9");
    core_table_clear(&t);
    refused(CORE_VIEW_ARCHIVE, "{\"has_more_items\":\"yes\"}");
    /* An object without the archive's fields is not an empty page. */
    refused(CORE_VIEW_ARCHIVE, "{}");
    refused(CORE_VIEW_ARCHIVE, "{\"has_more_items\":false}");
    refused(CORE_VIEW_ARCHIVE, "{\"transactions_in_accounted\":[]}");
    refused(CORE_VIEW_ARCHIVE, "{\"batch_date\":20250131}");
    refused(CORE_VIEW_ARCHIVE, "{\"trips_in_accounted\":[[]]}");
    refused(CORE_VIEW_ARCHIVE, "[]");
}

static const char users[] =
    "[{\"id\":4711,\"name\":\"Maija Example\","
    "\"email\":\"maija@example.com\",\"roles\":[\"employee\",\"accountant\"],"
    "\"state\":\"accepted\",\"last_sign_in_at\":\"2025-03-14T09:41:07Z\","
    "\"sign_in_count\":12,\"locale\":\"fi\",\"ssn\":\"010190-123X\","
    "\"email_is_confirmed\":true},{\"id\":\"5\",\"name\":\"Legacy\","
    "\"role\":\"Employee\",\"last_sign_in_at\":null}]";

static void test_view_decode_users(void **state)
{
    struct core_table t = {CORE_VIEW_USERS, NULL, 0, 0, 0, NULL};
    bool more;

    (void)state;
    assert_int_equal(decode(&t, users, 100, &more), BASE_OK);
    assert_int_equal(t.count, 2);
    assert_string_equal(cell(&t, 0, "roles"), "employee\naccountant");
    assert_string_equal(cell(&t, 0, "last_sign_in_at"), "2025-03-14T09:41:07Z");
    /* The legacy display role reads as the role string it names. */
    assert_string_equal(cell(&t, 1, "roles"), "employee");
    assert_null(cell(&t, 1, "last_sign_in_at"));
    /* A field left out is NULL; data is kept as sent, the front end
     * makes it safe to display. */
    assert_null(cell(&t, 1, "email"));
    assert_int_equal(t.rows[1].id, 5);
    core_table_clear(&t);
    assert_int_equal(
        decode(&t, "[{\"id\":7,\"name\":\"Esc\\u001b[31mape\"}]", 100, &more),
        BASE_OK);
    assert_string_equal(cell(&t, 0, "name"), "Esc\x1b[31mape");
    core_table_clear(&t);
    refused(CORE_VIEW_USERS, "[{\"id\":1,\"roles\":\"employee\"}]");
    refused(CORE_VIEW_USERS, "[{\"id\":1,\"roles\":[1]}]");
    refused(CORE_VIEW_USERS, "[{\"id\":1,\"roles\":[null]}]");
    refused(CORE_VIEW_USERS, "[{\"id\":1,\"email\":false}]");
    refused(CORE_VIEW_USERS, "{\"users\":[]}");
    refused(CORE_VIEW_USERS, "[{\"name\":\"no id\"}]");
    refused(CORE_VIEW_USERS, "[{\"id\":1},2]");
    refused(CORE_VIEW_USERS, "[{\"id\":1}");
    refused(CORE_VIEW_USERS, "[{\"id\":1,\"name\":\"a\",\"name\":\"b\"}]");
}

static void test_view_decode_ledger_accounts(void **state)
{
    struct core_table t = {CORE_VIEW_LEDGER_ACCOUNTS, NULL, 0, 0, 0, NULL};
    bool more;

    (void)state;
    assert_int_equal(
        decode(&t,
               "[{\"id\":1,\"code\":\"4000\",\"accountable_type\":"
               "\"ExpenseAccount\",\"name\":\"Travel\",\"deactivated\":false,"
               "\"default_vat_id\":null,\"external_id\":\"X1\"},"
               "{\"id\":2,\"code\":1910,\"accountable_type\":\"AssetAccount\","
               "\"deactivated\":1},{\"id\":3,\"accountable_type\":\"Other\","
               "\"deactivated\":0}]",
               100, &more),
        BASE_OK);
    assert_string_equal(cell(&t, 0, "type"), "expense");
    assert_string_equal(cell(&t, 0, "active"), "yes");
    assert_string_equal(cell(&t, 0, "external_id"), "X1");
    assert_string_equal(cell(&t, 1, "code"), "1910");
    assert_string_equal(cell(&t, 1, "type"), "asset");
    assert_string_equal(cell(&t, 1, "active"), "no");
    assert_string_equal(cell(&t, 2, "type"), "Other");
    assert_string_equal(cell(&t, 2, "active"), "yes");
    core_table_clear(&t);
    refused(CORE_VIEW_LEDGER_ACCOUNTS, "[{\"id\":1,\"deactivated\":2}]");
    refused(CORE_VIEW_LEDGER_ACCOUNTS, "[{\"id\":1,\"deactivated\":\"no\"}]");
}

static void test_view_decode_cost_centers(void **state)
{
    struct core_table t = {CORE_VIEW_COST_CENTERS, NULL, 0, 0, 0, NULL};
    bool more;

    (void)state;
    assert_int_equal(
        decode(&t,
               "[{\"id\":3222,\"name\":\"Apollo\",\"dimension_name\":"
               "\"Project\",\"assignee_ids\":[1],\"deactivated\":0,"
               "\"send_to_accounting\":1,\"external_id\":\"10041\","
               "\"required_dimension\":true},{\"id\":3,\"deactivated\":true,"
               "\"required_dimension\":0}]",
               500, &more),
        BASE_OK);
    assert_false(more);
    assert_string_equal(cell(&t, 0, "dimension"), "Project");
    assert_string_equal(cell(&t, 0, "active"), "yes");
    assert_string_equal(cell(&t, 0, "required"), "yes");
    assert_string_equal(cell(&t, 0, "external_id"), "10041");
    assert_string_equal(cell(&t, 1, "active"), "no");
    assert_string_equal(cell(&t, 1, "required"), "no");
    core_table_clear(&t);
    refused(CORE_VIEW_COST_CENTERS, "[{\"id\":1,\"required_dimension\":[]}]");
}

static void test_view_decode_batches(void **state)
{
    struct core_table t = {CORE_VIEW_BATCHES, NULL, 0, 0, 0, NULL};
    bool more;

    (void)state;
    assert_int_equal(
        decode(&t,
               "[{\"id\":8,\"description\":\"January\",\"created_at\":"
               "\"2025-01-31\",\"reference_number\":\"RF18000001\","
               "\"pdf_file_url\":\"https://127.0.0.1/b/8.pdf\","
               "\"external_id\":null,\"item_count\":14,"
               "\"total\":\"1234.50\",\"currency\":\"EUR\"}]",
               100, &more),
        BASE_OK);
    assert_string_equal(cell(&t, 0, "date"), "2025-01-31");
    assert_string_equal(cell(&t, 0, "reference"), "RF18000001");
    assert_string_equal(cell(&t, 0, "items"), "14");
    assert_string_equal(cell(&t, 0, "total"), "1234.50");
    core_table_clear(&t);
    refused(CORE_VIEW_BATCHES, "[{\"id\":1,\"item_count\":\"14\"}]");
    refused(CORE_VIEW_BATCHES, "[{\"id\":1,\"total\":null,\"currency\":[]}]");
}

static const char company[] =
    "{\"id\":318,\"name\":\"Demo Oy\",\"business_id\":\"1234567-8\","
    "\"locale\":\"fi\",\"schedule\":\"weekly\",\"lock_until\":null,"
    "\"employees_see_all_users\":true,\"password_auth_disabled\":false,"
    "\"show_trip_form\":true,\"show_daily_allowance_form\":false,"
    "\"show_budgets\":true,\"okta_url\":null,\"default_approver_id\":null}";

static const char *setting(const struct core_table *t, const char *key)
{
    size_t i;

    for (i = 0; i < t->count; i++) {
        if (strcmp(cell(t, i, "setting"), key) == 0)
            return cell(t, i, "value");
    }
    return "(no such row)";
}

static void test_view_decode_company_settings(void **state)
{
    struct core_table t = {CORE_VIEW_COMPANY, NULL, 0, 0, 0, NULL};
    bool more = true;

    (void)state;
    assert_int_equal(decode(&t, company, 0, &more), BASE_OK);
    assert_false(more);
    assert_string_equal(setting(&t, "name"), "Demo Oy");
    assert_string_equal(setting(&t, "business_id"), "1234567-8");
    assert_string_equal(setting(&t, "sso_enforced"), "no");
    assert_string_equal(setting(&t, "employees_see_all_users"), "yes");
    assert_string_equal(setting(&t, "forms"), "receipts, trips, rewards");
    assert_string_equal(setting(&t, "budgets"), "yes");
    assert_null(setting(&t, "lock_until"));
    assert_string_equal(setting(&t, "schedule"), "weekly");
    assert_string_equal(setting(&t, "okta_url"), "(no such row)");
    core_table_clear(&t);
    refused(CORE_VIEW_COMPANY, "[]");
    refused(CORE_VIEW_COMPANY, "{\"name\":\"no id\"}");
    refused(CORE_VIEW_COMPANY, "{\"id\":1,\"show_trip_form\":\"yes\"}");
}

/* A page longer than asked for is refused: a server that ignores
 * per_page would otherwise be read without end. */
static void test_view_decode_page_longer_than_asked(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    bool more = false;

    (void)state;
    assert_int_equal(decode(&t, receipts, 1, &more), BASE_E_DECODE);
    assert_int_equal(t.count, 0);
    assert_int_equal(decode(&t, receipts, 2, &more), BASE_OK);
    assert_true(more);
    core_table_clear(&t);
}

/* What company the answers say they are for: the items' company_id, the
 * company's id; -1 once they disagree; cleared with the table. */
static void test_view_decode_company_said(void **state)
{
    struct core_table t = {CORE_VIEW_TRIPS, NULL, 0, 0, 0, NULL};
    struct core_table c = {CORE_VIEW_COMPANY, NULL, 0, 0, 0, NULL};
    bool more = false;
    size_t i;

    (void)state;
    assert_int_equal(decode(&t, "[{\"id\":1}]", 10, &more), BASE_OK);
    assert_int_equal(t.company_id, 0);
    assert_int_equal(decode(&t, "[{\"id\":2,\"company_id\":318}]", 10, &more),
                     BASE_OK);
    assert_int_equal(t.company_id, 318);
    assert_int_equal(
        decode(&t, "[{\"id\":3,\"company_id\":\"318\"}]", 10, &more), BASE_OK);
    assert_int_equal(t.company_id, 318);
    assert_int_equal(decode(&t, "[{\"id\":4,\"company_id\":205}]", 10, &more),
                     BASE_OK);
    assert_int_equal(t.company_id, -1);
    core_table_clear(&t);
    assert_int_equal(t.company_id, 0);
    refused(CORE_VIEW_TRIPS, "[{\"id\":5,\"company_id\":\"x\"}]");
    assert_int_equal(decode(&c, "{\"id\":318,\"name\":\"Oy\"}", 0, &more),
                     BASE_OK);
    assert_int_equal(c.company_id, 318);
    /* Every setting row carries the company's id (the CSV's id column). */
    for (i = 0; i < c.count; i++)
        assert_int_equal(c.rows[i].id, 318);
    core_table_clear(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_decode_null_and_degenerate),
        cmocka_unit_test(test_view_decode_receipts_cells),
        cmocka_unit_test(test_view_decode_receipts_wrong_shape),
        cmocka_unit_test(test_view_decode_receipts_odd_fields),
        cmocka_unit_test(test_view_decode_keeps_table_on_failure),
        cmocka_unit_test(test_view_decode_trips_sums),
        cmocka_unit_test(test_view_decode_trips_wrong_shape),
        cmocka_unit_test(test_view_decode_trips_negative_cents),
        cmocka_unit_test(test_view_decode_allowances),
        cmocka_unit_test(test_view_decode_rewards),
        cmocka_unit_test(test_view_decode_approvals),
        cmocka_unit_test(test_view_decode_page_longer_than_asked),
        cmocka_unit_test(test_view_decode_company_said),
        cmocka_unit_test(test_view_decode_archive_pages),
        cmocka_unit_test(test_view_decode_users),
        cmocka_unit_test(test_view_decode_ledger_accounts),
        cmocka_unit_test(test_view_decode_cost_centers),
        cmocka_unit_test(test_view_decode_batches),
        cmocka_unit_test(test_view_decode_company_settings),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
