/* Filtering and sorting of view rows: every word of the filter must be
 * found, accent- and case-insensitively, in a shown cell; sorting is
 * stable and by the column's kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/view.h"

/* Names as the server may send them: precomposed, or with a combining
 * accent (U+0301 after the e of Linnea). */
#define RIIKKA "Riikka S\u00f6derstr\u00f6m"
#define LINNEA "Linne\u0301a \u00c5kerlund"
#define PEKKA "Pekka V\u00e4is\u00e4nen"
#define TAXI_AIRPORT "Taksi lentokent\u00e4lle"

/* Receipts: date, description, user_name, amount, currency, state,
 * user_id (hidden). */
static const char *const receipt_rows[][7] = {
    {"2025-02-01", TAXI_AIRPORT, RIIKKA, "33.21", "EUR", "queue", "4707"},
    {"2025-02-02", "Junalippu", LINNEA, "120.00", "EUR", "reviewing", "4711"},
    {"2025-02-03", "Taksi hotelliin", PEKKA, "9.50", "EUR", "queue", "4706"},
    {"2025-02-04", "Lounas", RIIKKA, "-4.00", NULL, "draft", "4707"},
};

static void fill_receipts(struct core_table *t)
{
    const struct core_view_info *info = core_view_info(CORE_VIEW_RECEIPTS);
    size_t n = sizeof(receipt_rows) / sizeof(receipt_rows[0]);
    size_t i;
    size_t c;

    assert_int_equal(info->column_count, 7);
    memset(t, 0, sizeof(*t));
    t->view = CORE_VIEW_RECEIPTS;
    t->rows = calloc(n, sizeof(*t->rows));
    assert_non_null(t->rows);
    t->cap = n;
    for (i = 0; i < n; i++) {
        t->rows[i].id = (int64_t)(100 + i);
        t->rows[i].cells = calloc(info->column_count, sizeof(char *));
        assert_non_null(t->rows[i].cells);
        for (c = 0; c < info->column_count; c++)
            t->rows[i].cells[c] =
                receipt_rows[i][c] ? strdup(receipt_rows[i][c]) : NULL;
        t->count++;
    }
}

static size_t column(const char *key)
{
    size_t index = 0;

    assert_true(core_view_column_by_key(CORE_VIEW_RECEIPTS, key, &index));
    return index;
}

static void expect_order(const struct core_table *t, const char *filter,
                         size_t sort, bool desc, const int64_t *ids, size_t n)
{
    size_t *order = NULL;
    size_t count = 99;
    size_t i;

    assert_int_equal(core_view_order(t, filter, sort, desc, &order, &count),
                     BASE_OK);
    assert_int_equal(count, n);
    if (n == 0)
        assert_null(order);
    for (i = 0; i < n; i++)
        assert_int_equal(t->rows[order[i]].id, ids[i]);
    free(order);
}

/* A fixed-seed generator, so that a failure is seen again. */
static uint64_t seed = 0x9E3779B97F4A7C15ULL;

static size_t pick(size_t n)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (size_t)(seed >> 11) % n;
}

#define PICK(a) ((a)[pick(sizeof(a) / sizeof((a)[0]))])

/* Cells with equal keys, accents, case, numbers written alike, not
 * numbers and NULLs ("null"), as JSON values. */
static const char *const r_dates[] = {
    "\"2025-01-02\"", "\"2025-01-01\"", "\"2025-01-01T10:00:00Z\"",
    "null",           "\"2025-01-02\"", "\"\""};
static const char *const r_texts[] = {"\"Taksi\"",
                                      "\"taksi\"",
                                      "\"TAKSI\"",
                                      "\"T\\u00e5ksi\"",
                                      "\"Taksi hotelliin\"",
                                      "\"Lounas\"",
                                      "\"lounas asiakas\"",
                                      "\"\"",
                                      "null",
                                      "\"\\u00c5ke Berg\"",
                                      "\"Ake berg\"",
                                      "\"taksi kokous 12\"",
                                      "\"Taksilla kotiin\""};
static const char *const r_amounts[] = {
    "\"1\"",    "\"1.0\"",   "\"-0\"",
    "\"0\"",    "\"12.40\"", "\"abc\"",
    "\"-3.5\"", "\"1e2\"",   "\"100\"",
    "\"\"",     "null",      "\"12.4\"",
    "\".5\"",   "\"5.\"",    "\"+7\"",
    "\"-\"",    "\"0.1\"",   "\"0.10000000000000001\"",
    "\"0.5\"",  "\"-0.0\""};
static const char *const r_ids[] = {"4707", "4711", "12",
                                    "null", "4707", "\"99\""};

/* n random receipts decoded by core (packed and stamped). */
static void random_rows(struct core_table *t, size_t n)
{
    char *body = malloc(n * 512 + 2);
    size_t len = 1;
    bool more = true;
    size_t i;

    assert_non_null(body);
    body[0] = '[';
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(
            body + len, 512,
            "%s{\"id\":%zu,\"date\":%s,\"description\":%s,\"user_name\":%s,"
            "\"total_cost\":%s,\"currency\":%s,\"state\":%s,\"user_id\":%s}",
            i ? "," : "", t->count + i + 1, PICK(r_dates), PICK(r_texts),
            PICK(r_texts), PICK(r_amounts), PICK(r_texts), PICK(r_texts),
            PICK(r_ids));
    body[len++] = ']';
    assert_int_equal(
        core_view_decode(CORE_VIEW_RECEIPTS, body, len, 0, t, &more), BASE_OK);
    assert_int_equal(more, false);
    free(body);
}

/* The order by definition: the rows that core_view_row_matches keeps,
 * sorted by core_view_compare (reversed when desc), equal cells in the
 * table's order; an insertion sort, slow and plain. */
static size_t expected_order(const struct core_table *t, const char *filter,
                             size_t sort, bool desc, size_t *out)
{
    const struct core_view_info *info = core_view_info(t->view);
    size_t n = 0;
    size_t i;
    size_t j;
    int c;

    for (i = 0; i < t->count; i++) {
        if (!core_view_row_matches(t, i, filter))
            continue;
        for (j = n; j > 0 && sort < info->column_count; j--) {
            c = core_view_compare(&info->columns[sort],
                                  t->rows[out[j - 1]].cells[sort],
                                  t->rows[i].cells[sort]);
            if ((desc ? -c : c) <= 0)
                break;
            out[j] = out[j - 1];
        }
        out[j] = i;
        n++;
    }
    return n;
}

/* core_view_order and core_view_index_order (with index) both give the
 * order by definition. */
static void expect_same(struct core_view_index **index,
                        const struct core_table *t, const char *filter,
                        size_t sort, bool desc)
{
    size_t *want = malloc((t->count + 1) * sizeof(*want));
    size_t n = 0;
    size_t *order = NULL;
    size_t count = 0;
    size_t *fast = NULL;
    size_t fast_n = 0;
    size_t i;

    assert_non_null(want);
    n = expected_order(t, filter, sort, desc, want);
    assert_int_equal(core_view_order(t, filter, sort, desc, &order, &count),
                     BASE_OK);
    assert_int_equal(
        core_view_index_order(index, t, filter, sort, desc, &fast, &fast_n),
        BASE_OK);
    assert_int_equal(count, n);
    assert_int_equal(fast_n, n);
    for (i = 0; i < n; i++) {
        assert_int_equal(order[i], want[i]);
        assert_int_equal(fast[i], want[i]);
    }
    if (n == 0)
        assert_true(order == NULL && fast == NULL);
    free(want);
    free(order);
    free(fast);
}

static void test_view_order_null(void **state)
{
    struct core_table empty = {CORE_VIEW_TRIPS, NULL, 0, 0, 0, NULL};
    size_t *order = NULL;
    size_t n = 7;

    (void)state;
    assert_int_equal(core_view_order(NULL, NULL, 0, false, &order, &n),
                     BASE_E_INVALID);
    assert_int_equal(core_view_order(&empty, NULL, 0, false, NULL, &n),
                     BASE_E_INVALID);
    assert_int_equal(core_view_order(&empty, "x", 0, false, &order, &n),
                     BASE_OK);
    assert_int_equal(n, 0);
    assert_null(order);
    assert_false(core_view_row_matches(NULL, 0, "x"));
    assert_false(core_view_row_matches(&empty, 0, NULL));
    core_table_truncate(NULL, 0);
}

static void test_view_order_filter_words_accents(void **state)
{
    static const int64_t all[] = {100, 101, 102, 103};
    static const int64_t riikka_taxi[] = {100};
    static const int64_t taxis[] = {100, 102};
    static const int64_t linnea[] = {101};
    struct core_table t;

    (void)state;
    fill_receipts(&t);
    expect_order(&t, NULL, SIZE_MAX, false, all, 4);
    expect_order(&t, "  ", SIZE_MAX, false, all, 4);
    /* Words may match different columns; all must match. */
    expect_order(&t, "soderstrom taksi", SIZE_MAX, false, riikka_taxi, 1);
    expect_order(&t, "TAKSI", SIZE_MAX, false, taxis, 2);
    /* A combining accent in the data, none in the filter, and back. */
    expect_order(&t, "linnea", SIZE_MAX, false, linnea, 1);
    expect_order(&t, "Linnéa ÅKERLUND", SIZE_MAX, false, linnea, 1);
    /* The hidden user_id column is not searched. */
    expect_order(&t, "4707", SIZE_MAX, false, NULL, 0);
    expect_order(&t, "taksi nobody", SIZE_MAX, false, NULL, 0);
    core_table_clear(&t);
}

static void test_view_order_sort_kinds_stable(void **state)
{
    static const int64_t by_amount[] = {103, 102, 100, 101};
    static const int64_t by_amount_desc[] = {101, 100, 102, 103};
    static const int64_t by_state[] = {103, 100, 102, 101};
    static const int64_t by_currency[] = {103, 100, 101, 102};
    static const int64_t by_user_desc[] = {100, 103, 102, 101};
    struct core_table t;

    (void)state;
    fill_receipts(&t);
    /* Numerically: "-4.00" < "9.50" < "33.21" < "120.00". */
    expect_order(&t, NULL, column("amount"), false, by_amount, 4);
    expect_order(&t, NULL, column("amount"), true, by_amount_desc, 4);
    /* Ties keep the server's order (queue: 100 before 102). */
    expect_order(&t, NULL, column("state"), false, by_state, 4);
    /* A missing cell sorts first. */
    expect_order(&t, NULL, column("currency"), false, by_currency, 4);
    /* Folded text: Å sorts with A; descending keeps ties in order. */
    expect_order(&t, NULL, column("user_name"), true, by_user_desc, 4);
    core_table_clear(&t);
}

static void test_view_order_truncate_and_keys(void **state)
{
    struct core_table t;
    size_t index = 9;

    (void)state;
    fill_receipts(&t);
    core_table_truncate(&t, 10);
    assert_int_equal(t.count, 4);
    core_table_truncate(&t, 1);
    assert_int_equal(t.count, 1);
    assert_int_equal(t.rows[0].id, 100);
    assert_false(core_view_row_matches(&t, 1, NULL));
    assert_true(core_view_row_matches(&t, 0, NULL));
    assert_false(core_view_column_by_key(CORE_VIEW_RECEIPTS, "nope", &index));
    assert_int_equal(index, 9);
    assert_false(core_view_column_by_key(CORE_VIEW_COUNT, "date", &index));
    assert_false(core_view_column_by_key(CORE_VIEW_RECEIPTS, NULL, &index));
    core_table_clear(&t);
}

static void test_view_order_index_order_null(void **state)
{
    struct core_table t;
    struct core_table empty = {.view = CORE_VIEW_RECEIPTS};
    struct core_view_index *index = NULL;
    size_t *order = NULL;
    size_t n = 7;

    (void)state;
    fill_receipts(&t);
    assert_int_equal(core_view_index_order(NULL, &t, "", 0, false, &order, &n),
                     BASE_E_INVALID);
    assert_int_equal(
        core_view_index_order(&index, NULL, "", 0, false, &order, &n),
        BASE_E_INVALID);
    assert_int_equal(core_view_index_order(&index, &t, "", 0, false, NULL, &n),
                     BASE_E_INVALID);
    assert_int_equal(n, 7);
    assert_int_equal(
        core_view_index_order(&index, &empty, NULL, 0, false, &order, &n),
        BASE_OK);
    assert_int_equal(n, 0);
    assert_null(order);
    /* Rows that a caller built (stamp 0) are answered anew each time. */
    expect_same(&index, &t, NULL, column("amount"), true);
    expect_same(&index, &t, "taksi", column("user_name"), false);
    assert_null(index);
    core_view_index_free(&index);
    core_view_index_free(NULL);
    core_table_clear(&t);
}

/* Random tables, sorts and filters, the index kept over rows added,
 * rows cut and other tables: always the order by definition. */
static void test_view_order_index_order_random(void **state)
{
    static const char *const filters[] = {
        "",       "t", "ta",       "tak",        "taksi",  "a",
        "lounas", "1", "0",        "ake",        "\u00e5", "taksi h",
        "zz",     " ", "taksi 12", "2025-01-01", "-"};
    struct core_table t = {.view = CORE_VIEW_RECEIPTS};
    struct core_table other = {.view = CORE_VIEW_RECEIPTS};
    struct core_view_index *index = NULL;
    const struct core_view_info *info = core_view_info(CORE_VIEW_RECEIPTS);
    size_t round;
    size_t sort;

    (void)state;
    random_rows(&other, 40);
    for (round = 0; round < 300; round++) {
        size_t what = pick(10);

        if (what < 3)
            random_rows(&t, 1 + pick(40));
        else if (what == 3 && t.count > 0)
            core_table_truncate(&t, pick(t.count));
        sort = pick(info->column_count + 1);
        if (sort == info->column_count)
            sort = SIZE_MAX;
        expect_same(&index, what == 4 ? &other : &t, PICK(filters), sort,
                    pick(2) == 1);
    }
    assert_true(t.count > 100);
    core_view_index_free(&index);
    assert_null(index);
    core_table_clear(&t);
    core_table_clear(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_order_null),
        cmocka_unit_test(test_view_order_filter_words_accents),
        cmocka_unit_test(test_view_order_sort_kinds_stable),
        cmocka_unit_test(test_view_order_truncate_and_keys),
        cmocka_unit_test(test_view_order_index_order_null),
        cmocka_unit_test(test_view_order_index_order_random),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
