/* Rows that core decodes are packed with their folded text: filtering
 * them must find what filtering rows built cell by cell finds, a
 * narrowing filter keeps the order's sort, and the cache reads back the
 * same packed rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/view.h"

#define PAGE                                                                 \
    "[{\"id\":1,\"date\":\"2025-02-03\",\"description\":\"Taksi "            \
    "hotelliin\",\"user_name\":\"Pekka V\\u00e4is\\u00e4nen\",\"state\":"    \
    "\"queue\",\"total_cost\":\"9.50\",\"currency\":\"EUR\"},"               \
    "{\"id\":2,\"date\":\"2025-02-01\",\"description\":\"Taksi "             \
    "lentokent\\u00e4lle\",\"user_name\":\"Riikka S\\u00f6derstr\\u00f6m\"," \
    "\"state\":\"queue\",\"total_cost\":\"33.21\",\"currency\":\"EUR\"},"    \
    "{\"id\":3,\"date\":\"2025-02-02\",\"description\":\"Junalippu\","       \
    "\"user_name\":\"Linne\\u0301a \\u00c5kerlund\",\"state\":\"draft\"}]"

static void decode_page(struct core_table *t)
{
    bool more = true;

    memset(t, 0, sizeof(*t));
    t->view = CORE_VIEW_RECEIPTS;
    assert_int_equal(
        core_view_decode(CORE_VIEW_RECEIPTS, PAGE, strlen(PAGE), 100, t, &more),
        BASE_OK);
    assert_int_equal(t->count, 3);
}

static size_t column(const char *key)
{
    size_t index = 0;

    assert_true(core_view_column_by_key(CORE_VIEW_RECEIPTS, key, &index));
    return index;
}

static void test_view_packed_narrow_null(void **state)
{
    struct core_table t;
    size_t order[1] = {7};
    size_t n = 1;

    (void)state;
    decode_page(&t);
    assert_int_equal(core_view_order_narrow(NULL, "a", order, &n),
                     BASE_E_INVALID);
    assert_int_equal(core_view_order_narrow(&t, "a", NULL, &n), BASE_E_INVALID);
    assert_int_equal(core_view_order_narrow(&t, "a", order, NULL),
                     BASE_E_INVALID);
    /* An index past the table leaves the order alone. */
    assert_int_equal(core_view_order_narrow(&t, "a", order, &n),
                     BASE_E_INVALID);
    assert_int_equal(n, 1);
    assert_int_equal(order[0], 7);
    n = 0;
    assert_int_equal(core_view_order_narrow(&t, "a", NULL, &n), BASE_OK);
    assert_int_equal(n, 0);
    core_table_clear(&t);
}

static void test_view_packed_rows_stamped_and_matching(void **state)
{
    struct core_table t;
    size_t i;

    (void)state;
    decode_page(&t);
    for (i = 0; i < t.count; i++)
        assert_true(t.rows[i].stamp != 0);
    assert_true(t.rows[0].stamp != t.rows[1].stamp);
    assert_string_equal(t.rows[1].cells[column("user_name")],
                        "Riikka S\u00f6derstr\u00f6m");
    assert_non_null(strstr(t.rows[1].item, "lentokent"));
    /* Folded once when decoded: accents, case and every word. */
    assert_true(core_view_row_matches(&t, 1, "SODERSTROM taksi"));
    assert_true(core_view_row_matches(&t, 2, "linnea akerlund"));
    assert_false(core_view_row_matches(&t, 2, "taksi"));
    /* A word never spans two cells. */
    assert_false(core_view_row_matches(&t, 0, "hotelliinpekka"));
    /* A word that folds to nothing is in any row with a cell. */
    assert_true(core_view_row_matches(&t, 2, "\xcc\x81"));
    /* The hidden user id is not searched. */
    assert_false(core_view_row_matches(&t, 0, "9.50 4706"));
    core_table_clear(&t);
}

static void test_view_packed_narrow_keeps_sort(void **state)
{
    struct core_table t;
    size_t *order = NULL;
    size_t *fresh = NULL;
    size_t n = 0;
    size_t m = 0;
    size_t i;

    (void)state;
    decode_page(&t);
    assert_int_equal(core_view_order(&t, "e", column("date"), true, &order, &n),
                     BASE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(t.rows[order[0]].id, 1); /* newest first */
    assert_int_equal(core_view_order_narrow(&t, "e taksi", order, &n), BASE_OK);
    assert_int_equal(
        core_view_order(&t, "e taksi", column("date"), true, &fresh, &m),
        BASE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(m, n);
    for (i = 0; i < n; i++)
        assert_int_equal(order[i], fresh[i]);
    assert_int_equal(t.rows[order[0]].id, 1);
    assert_int_equal(t.rows[order[1]].id, 2);
    free(order);
    free(fresh);
    core_table_clear(&t);
}

static void test_view_packed_cache_round_trip(void **state)
{
    struct core_table t;
    struct core_table back = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    size_t len = 0;
    char *text;
    size_t i;
    size_t c;

    (void)state;
    decode_page(&t);
    text = core_view_cache_text(&t, &len);
    assert_non_null(text);
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_RECEIPTS, text, len, &back), BASE_OK);
    assert_int_equal(back.count, t.count);
    for (i = 0; i < t.count; i++) {
        assert_true(back.rows[i].stamp != 0);
        assert_string_equal(back.rows[i].item, t.rows[i].item);
        for (c = 0; c < 7; c++) {
            if (t.rows[i].cells[c])
                assert_string_equal(back.rows[i].cells[c], t.rows[i].cells[c]);
            else
                assert_null(back.rows[i].cells[c]);
        }
    }
    assert_true(core_view_row_matches(&back, 1, "soderstrom"));
    free(text);
    core_table_clear(&back);
    core_table_clear(&t);
}

static void test_view_packed_cache_shapes(void **state)
{
    static const char *const bad[] = {
        "{\"view\":\"receipts\"}",
        "{\"rows\":[]}",
        "{\"view\":\"trips\",\"rows\":[]}",
        "{\"view\":\"receipts\",\"rows\":[],\"rows\":[]}",
        "{\"view\":\"receipts\",\"view\":\"receipts\",\"rows\":[]}",
        "{\"view\":\"receipts\",\"rows\":[]} x",
        "{\"view\":\"receipts\",\"rows\":[{\"id\":1}]}",
        "{\"view\":\"receipts\",\"rows\":[",
    };
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    /* Well formed in the format before the current one: refused too. */
    const char *old = " { \"rows\" : [ ] , \"extra\" : [1] , \"view\" : "
                      "\"receipts\" } ";
    const char *ok = "{\"format\":2,\"view\":\"receipts\",\"rows\":[\n]}\n";
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(core_view_decode_cached(CORE_VIEW_RECEIPTS, bad[i],
                                                 strlen(bad[i]), &t),
                         BASE_E_DECODE);
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_RECEIPTS, old, strlen(old), &t),
        BASE_E_DECODE);
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_RECEIPTS, ok, strlen(ok), &t),
        BASE_OK);
    assert_int_equal(t.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_packed_narrow_null),
        cmocka_unit_test(test_view_packed_rows_stamped_and_matching),
        cmocka_unit_test(test_view_packed_narrow_keeps_sort),
        cmocka_unit_test(test_view_packed_cache_round_trip),
        cmocka_unit_test(test_view_packed_cache_shapes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
