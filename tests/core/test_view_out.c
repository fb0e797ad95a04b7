/* CSV, JSON and cache text of a view's rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/view.h"

static void load(struct core_table *t, const char *body)
{
    bool more;

    assert_int_equal(
        core_view_decode(t->view, body, strlen(body), 100, t, &more), BASE_OK);
}

/* The CSV of rows order[0..n) (all when order is NULL), as a string the
 * caller frees. */
static char *csv(const struct core_table *t, const size_t *order, size_t n)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);

    assert_non_null(f);
    assert_int_equal(core_view_csv(f, t, order, n), BASE_OK);
    fclose(f);
    return buf;
}

static const char receipts[] =
    "[{\"id\":1,\"date\":\"2025-03-01\",\"description\":\"Taxi, airport\","
    "\"user_name\":\"Åsa \\\"Boss\\\" Berg\",\"total_cost\":\"-12.40\","
    "\"currency\":\"EUR\",\"state\":\"draft\",\"user_id\":7},"
    "{\"id\":2,\"description\":\"=HYPERLINK(\\\"x\\\")\","
    "\"user_name\":\"two\\r\\nlines\",\"total_cost\":\"+1-2\","
    "\"currency\":\"\",\"state\":\"@sum\"},"
    "{\"id\":3,\"description\":\"-\",\"user_name\":\"\\tTab\"}]";

static void test_view_csv_null(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table bad = {CORE_VIEW_COUNT, NULL, 0, 0, 0, NULL};
    size_t order[] = {0};
    char *text;

    (void)state;
    assert_int_equal(core_view_csv(NULL, &t, NULL, 0), BASE_E_INVALID);
    assert_int_equal(core_view_csv(stdout, NULL, NULL, 0), BASE_E_INVALID);
    assert_int_equal(core_view_csv(stdout, &bad, NULL, 0), BASE_E_INVALID);
    /* An order naming a row that is not there. */
    assert_int_equal(core_view_csv(stdout, &t, order, 1), BASE_E_INVALID);
    text = csv(&t, NULL, 0);
    assert_string_equal(text, "id,date,description,user_name,amount,"
                              "currency,state,user_id\r\n");
    free(text);
}

static void test_view_csv_quoting(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    char *text;

    (void)state;
    load(&t, receipts);
    text = csv(&t, NULL, 0);
    assert_string_equal(
        text, "id,date,description,user_name,amount,currency,state,user_id\r\n"
              "1,2025-03-01,\"Taxi, airport\","
              "\"Åsa \"\"Boss\"\" Berg\",-12.40,"
              "EUR,draft,7\r\n"
              "2,,\"'=HYPERLINK(\"\"x\"\")\",\"two\r\nlines\",'+1-2,\"\","
              "'@sum,\r\n"
              "3,,'-,'\tTab,,,,\r\n");
    free(text);
    core_table_clear(&t);
}

static void test_view_csv_order_and_lists(void **state)
{
    struct core_table t = {CORE_VIEW_USERS, NULL, 0, 0, 0, NULL};
    size_t order[] = {1};
    char *text;

    (void)state;
    load(&t, "[{\"id\":1,\"name\":\"A\",\"roles\":[\"employee\"]},"
             "{\"id\":2,\"name\":\"B\",\"roles\":[\"employee\","
             "\"manager\"]}]");
    text = csv(&t, order, 1);
    assert_string_equal(text, "id,name,email,roles,state,last_sign_in_at\r\n"
                              "2,B,,\"employee, manager\",,\r\n");
    free(text);
    core_table_clear(&t);
}

static void test_view_json_null(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    size_t order[] = {5};
    char *text;

    (void)state;
    assert_null(core_view_json(NULL, NULL, 0));
    assert_null(core_view_json(&t, order, 1));
    text = core_view_json(&t, NULL, 0);
    assert_string_equal(text, "[]");
    free(text);
}

static json_t *parse(char *text)
{
    json_error_t error;
    json_t *root;

    assert_non_null(text);
    root = json_loads(text, 0, &error);
    free(text);
    assert_non_null(root);
    return root;
}

static void test_view_json_types(void **state)
{
    struct core_table t = {CORE_VIEW_TRIPS, NULL, 0, 0, 0, NULL};
    json_t *root;
    json_t *row;

    (void)state;
    load(&t, "[{\"id\":77,\"user_id\":\"4711\",\"entries\":[{\"distance\":"
             "42.5,\"cost_cents\":2394}],\"description\":null}]");
    root = parse(core_view_json(&t, NULL, 0));
    row = json_array_get(root, 0);
    assert_int_equal(json_integer_value(json_object_get(row, "id")), 77);
    assert_true(json_is_integer(json_object_get(row, "user_id")));
    assert_int_equal(json_integer_value(json_object_get(row, "user_id")), 4711);
    assert_true(json_is_real(json_object_get(row, "distance")));
    assert_true(json_real_value(json_object_get(row, "distance")) == 42.5);
    assert_string_equal(json_string_value(json_object_get(row, "amount")),
                        "23.94");
    assert_true(json_is_null(json_object_get(row, "description")));
    assert_non_null(json_object_get(row, "state"));
    json_decref(root);
    core_table_clear(&t);
}

static void test_view_json_bools_and_lists(void **state)
{
    struct core_table cc = {CORE_VIEW_COST_CENTERS, NULL, 0, 0, 0, NULL};
    struct core_table al = {CORE_VIEW_ALLOWANCES, NULL, 0, 0, 0, NULL};
    json_t *root;
    json_t *row;

    (void)state;
    load(&cc, "[{\"id\":1,\"deactivated\":1,\"required_dimension\":true}]");
    root = parse(core_view_json(&cc, NULL, 0));
    row = json_array_get(root, 0);
    assert_true(json_is_false(json_object_get(row, "active")));
    assert_true(json_is_true(json_object_get(row, "required")));
    json_decref(root);
    load(&al, "[{\"id\":2,\"number_of_days\":3,\"entries\":["
              "{\"country_name\":\"Sweden\"},{\"country_name\":\"Åland\"}]}]");
    root = parse(core_view_json(&al, NULL, 0));
    row = json_array_get(root, 0);
    assert_int_equal(json_integer_value(json_object_get(row, "days")), 3);
    assert_int_equal(json_array_size(json_object_get(row, "country")), 2);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(row, "country"), 1)),
        "Åland");
    json_decref(root);
    core_table_clear(&cc);
    core_table_clear(&al);
}

/* The text, parsed and dumped whole by jansson, comes out the same: the
 * rows written one at a time read exactly as one dumped array. */
static void assert_dumped_whole(char *text)
{
    json_t *root;
    char *whole;

    assert_non_null(text);
    root = json_loads(text, 0, NULL);
    assert_non_null(root);
    whole = json_dumps(root, JSON_INDENT(2));
    assert_non_null(whole);
    assert_string_equal(text, whole);
    free(whole);
    json_decref(root);
    free(text);
}

static void test_view_json_written_as_one_dump(void **state)
{
    struct core_table users = {CORE_VIEW_USERS, NULL, 0, 0, 0, NULL};
    struct core_table al = {CORE_VIEW_ALLOWANCES, NULL, 0, 0, 0, NULL};
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    size_t order[] = {2, 0};
    FILE *closed;

    (void)state;
    load(&users, "[{\"id\":1,\"name\":\"A\",\"roles\":[]},"
                 "{\"id\":2,\"name\":\"B\",\"roles\":[\"employee\","
                 "\"manager\"]},{\"id\":3,\"name\":\"C\"}]");
    load(&al, "[{\"id\":2,\"number_of_days\":3,\"entries\":["
              "{\"country_name\":\"Sweden\"},{\"country_name\":\"Åland\"}]}]");
    load(&t, receipts);
    assert_dumped_whole(core_view_json(&users, NULL, 0));
    assert_dumped_whole(core_view_json(&users, order, 2));
    assert_dumped_whole(core_view_json(&al, NULL, 0));
    assert_dumped_whole(core_view_json(&t, NULL, 0));
    assert_dumped_whole(core_view_json(&t, order, 1));
    /* A stream that takes no writes fails the write. */
    closed = fopen("/dev/null", "r");
    assert_non_null(closed);
    assert_int_equal(core_view_json_write(closed, &t, NULL, 0), BASE_E_IO);
    fclose(closed);
    assert_int_equal(core_view_json_write(NULL, &t, NULL, 0), BASE_E_INVALID);
    core_table_clear(&users);
    core_table_clear(&al);
    core_table_clear(&t);
}

static void test_view_json_company_object(void **state)
{
    struct core_table t = {CORE_VIEW_COMPANY, NULL, 0, 0, 0, NULL};
    json_t *root;

    (void)state;
    load(&t, "{\"id\":318,\"name\":\"Demo Oy\",\"business_id\":\"1-2\","
             "\"password_auth_disabled\":true,\"show_reward_form\":false,"
             "\"okta_url\":\"https://127.0.0.1/okta\",\"schedule\":\"weekly\","
             "\"lock_until\":\"2025-01-31\",\"locale\":\"sv\"}");
    root = parse(core_view_json(&t, NULL, 0));
    assert_true(json_is_object(root));
    assert_int_equal(json_integer_value(json_object_get(root, "id")), 318);
    assert_string_equal(json_string_value(json_object_get(root, "name")),
                        "Demo Oy");
    assert_true(json_is_true(json_object_get(root, "sso_enforced")));
    assert_true(
        json_is_false(json_object_get(root, "employees_see_all_users")));
    assert_true(json_is_false(json_object_get(root, "budgets")));
    assert_int_equal(json_array_size(json_object_get(root, "forms")), 3);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(root, "forms"), 2)),
        "daily allowances");
    assert_string_equal(json_string_value(json_object_get(root, "okta_url")),
                        "https://127.0.0.1/okta");
    assert_string_equal(json_string_value(json_object_get(root, "lock_until")),
                        "2025-01-31");
    assert_string_equal(json_string_value(json_object_get(root, "locale")),
                        "sv");
    json_decref(root);
    core_table_clear(&t);
}

static void assert_same_rows(const struct core_table *a,
                             const struct core_table *b)
{
    size_t columns = core_view_info(a->view)->column_count;
    size_t i;
    size_t c;

    assert_int_equal(a->count, b->count);
    for (i = 0; i < a->count; i++) {
        assert_int_equal(a->rows[i].id, b->rows[i].id);
        assert_string_equal(a->rows[i].item, b->rows[i].item);
        for (c = 0; c < columns; c++) {
            if (!a->rows[i].cells[c])
                assert_null(b->rows[i].cells[c]);
            else
                assert_string_equal(a->rows[i].cells[c], b->rows[i].cells[c]);
        }
    }
}

static void test_view_cache_null(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};

    (void)state;
    assert_null(core_view_cache_text(NULL, NULL));
    assert_int_equal(core_view_decode_cached(CORE_VIEW_RECEIPTS, NULL, 0, &t),
                     BASE_E_DECODE);
    assert_int_equal(core_view_decode_cached(CORE_VIEW_RECEIPTS, "{}", 2, NULL),
                     BASE_E_INVALID);
    assert_int_equal(core_view_decode_cached(CORE_VIEW_TRIPS, "{}", 2, &t),
                     BASE_E_INVALID);
}

static void test_view_cache_round_trip(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table back = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    size_t len = 0;
    char *text;

    (void)state;
    load(&t, receipts);
    text = core_view_cache_text(&t, &len);
    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_RECEIPTS, text, len, &back), BASE_OK);
    assert_same_rows(&t, &back);
    free(text);
    core_table_clear(&t);
    core_table_clear(&back);
}

static void test_view_cache_other_view_refused(void **state)
{
    static const char short_row[] = "{\"view\":\"receipts\",\"rows\":"
                                    "[{\"id\":1,\"cells\":[null],"
                                    "\"item\":null}]}";
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table trips = {CORE_VIEW_TRIPS, NULL, 0, 0, 0, NULL};
    size_t len = 0;
    char *text;

    (void)state;
    load(&t, receipts);
    text = core_view_cache_text(&t, &len);
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_TRIPS, text, len, &trips),
        BASE_E_DECODE);
    assert_int_equal(trips.count, 0);
    free(text);
    /* A row with fewer cells than the view has columns. */
    assert_int_equal(core_view_decode_cached(CORE_VIEW_RECEIPTS, short_row,
                                             strlen(short_row), &t),
                     BASE_E_DECODE);
    assert_int_equal(t.count, 3);
    core_table_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_csv_null),
        cmocka_unit_test(test_view_csv_quoting),
        cmocka_unit_test(test_view_csv_order_and_lists),
        cmocka_unit_test(test_view_json_null),
        cmocka_unit_test(test_view_json_types),
        cmocka_unit_test(test_view_json_bools_and_lists),
        cmocka_unit_test(test_view_json_written_as_one_dump),
        cmocka_unit_test(test_view_json_company_object),
        cmocka_unit_test(test_view_cache_null),
        cmocka_unit_test(test_view_cache_round_trip),
        cmocka_unit_test(test_view_cache_other_view_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
