/* The list's incremental filter: a keystroke that narrows the filter
 * rescans only the rows shown and must give what a full rebuild gives;
 * anything else (new rows, a backspace, another sort) builds anew. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/view.h"
#include "tui/listview.h"

static const char *const descriptions[] = {
    "Taksi hotelliin", "Taksi lentokent\\u00e4lle",
    "Junalippu",       "Lounas asiakas",
    "Tak\\u00e1si",    "taksi kokous",
};

/* n receipts decoded by core (packed, stamped), ids from first. */
static void decode_rows(struct core_table *t, size_t n, int first)
{
    char body[4096];
    size_t len = 1;
    bool more = false;
    size_t i;

    body[0] = '[';
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(
            body + len, sizeof(body) - len,
            "%s{\"id\":%d,\"date\":\"2025-01-%02zu\",\"description\":\"%s\","
            "\"user_name\":\"User %zu\"}",
            i ? "," : "", first + (int)i, 28 - i,
            descriptions[i % (sizeof(descriptions) / sizeof(*descriptions))],
            i % 3);
    body[len++] = ']';
    assert_int_equal(
        core_view_decode(CORE_VIEW_RECEIPTS, body, len, 0, t, &more), BASE_OK);
}

/* The list's order equals core_view_order's for the same arguments. */
static void expect_full(const struct tui_listview *lv,
                        const struct core_table *t, const char *filter)
{
    size_t *order = NULL;
    size_t n = 0;
    size_t i;

    assert_int_equal(
        core_view_order(t, filter, lv->sort_column, lv->desc, &order, &n),
        BASE_OK);
    assert_int_equal(lv->n, n);
    for (i = 0; i < n; i++)
        assert_int_equal(lv->order[i], order[i]);
    free(order);
}

static void test_listview_narrow_rebuild_null(void **state)
{
    struct core_table t = {.view = CORE_VIEW_RECEIPTS};
    struct tui_listview lv = {0};

    (void)state;
    tui_listview_reset(&lv);
    assert_int_equal(tui_listview_rebuild(NULL, &t, "a", SIZE_MAX),
                     BASE_E_INVALID);
    /* An empty table and a NULL filter. */
    assert_int_equal(tui_listview_rebuild(&lv, &t, NULL, SIZE_MAX), BASE_OK);
    assert_int_equal(lv.n, 0);
    assert_non_null(lv.built_filter);
    assert_string_equal(lv.built_filter, "");
    tui_listview_reset(&lv);
    assert_null(lv.built_filter);
}

static void test_listview_narrow_typing_matches_full(void **state)
{
    static const char *const steps[] = {
        "t",       "ta",    "tak", "taks",       "taksi",      "taksi ",
        "taksi h", "taksi", "t",   "ta\xcc\x81", "ta\xcc\x81k"};
    struct core_table t = {.view = CORE_VIEW_RECEIPTS};
    struct tui_listview lv = {0};
    size_t date_col;
    size_t i;

    (void)state;
    assert_true(core_view_column_by_key(CORE_VIEW_RECEIPTS, "date", &date_col));
    decode_rows(&t, 12, 100);
    tui_listview_reset(&lv);
    tui_listview_sort_by(&lv, date_col);
    tui_listview_sort_by(&lv, date_col); /* descending */
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        assert_int_equal(tui_listview_rebuild(&lv, &t, steps[i], SIZE_MAX),
                         BASE_OK);
        expect_full(&lv, &t, steps[i]);
        assert_string_equal(lv.built_filter, steps[i]);
    }
    /* The same filter over new rows: the new rows are looked at too. */
    decode_rows(&t, 6, 200);
    assert_int_equal(tui_listview_rebuild(&lv, &t, "ta\xcc\x81k", SIZE_MAX),
                     BASE_OK);
    expect_full(&lv, &t, "ta\xcc\x81k");
    assert_int_equal(lv.built_count, 18);
    tui_listview_reset(&lv);
    core_table_clear(&t);
}

static void test_listview_narrow_other_rows_built_anew(void **state)
{
    struct core_table t = {.view = CORE_VIEW_RECEIPTS};
    struct tui_listview lv = {0};

    (void)state;
    decode_rows(&t, 6, 1);
    tui_listview_reset(&lv);
    assert_int_equal(tui_listview_rebuild(&lv, &t, "lounas", SIZE_MAX),
                     BASE_OK);
    assert_int_equal(lv.n, 1);
    /* The same number of rows, but others: "lounas a" narrows the old
     * filter, yet the rows it showed are gone. */
    core_table_clear(&t);
    t.view = CORE_VIEW_RECEIPTS;
    decode_rows(&t, 2, 50);
    decode_rows(&t, 4, 60);
    assert_int_equal(tui_listview_rebuild(&lv, &t, "lounas a", SIZE_MAX),
                     BASE_OK);
    expect_full(&lv, &t, "lounas a");
    assert_int_equal(lv.n, 1);
    assert_int_equal(lv.order[0], 5);
    tui_listview_reset(&lv);
    core_table_clear(&t);
}

/* A fixed-seed generator, so that a failure is seen again. */
static uint64_t seed = 0x2545F4914F6CDD1DULL;

static size_t pick(size_t n)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (size_t)(seed >> 11) % n;
}

/* Erases the last character (a whole UTF-8 one) of filter. */
static void erase_last(char *filter)
{
    size_t len = strlen(filter);

    while (len > 0 && ((unsigned char)filter[len - 1] & 0xC0) == 0x80)
        len--;
    if (len > 0)
        len--;
    filter[len] = '\0';
}

/* Types the next character of a description that filter starts (so
 * that most filters find rows), now and then key instead; erases the
 * last character when filter starts none. */
static void type_next(char *filter, const char *key)
{
    static const char *const targets[] = {"taksi hotelliin", "lounas asiakas",
                                          "taksi kokous", "junalippu",
                                          "ta\u0301ksi"};
    size_t len = strlen(filter);
    size_t next = len + 1;
    size_t i = pick(sizeof(targets) / sizeof(*targets));
    size_t tries;

    for (tries = 0; tries < 5; tries++, i = (i + 1) % 5) {
        if (strncmp(filter, targets[i], len) == 0 && targets[i][len])
            break;
    }
    if (tries == 5) {
        erase_last(filter);
    } else if (pick(8) == 0) {
        strcat(filter, key);
    } else {
        while (((unsigned char)targets[i][next] & 0xC0) == 0x80)
            next++;
        strncat(filter, targets[i] + len, next - len);
    }
}

/* Typing, erasing, sorting, reversing and new or other rows in a random
 * order: the list always shows what a full rebuild shows, whether it
 * took a saved order, narrowed one or made a new one. */
static void test_listview_narrow_random_matches_full(void **state)
{
    static const char *const keys[] = {"t", "a", "k", "s", "i",      " ",
                                       "l", "o", "u", "h", "\u00e1", "2"};
    struct core_table t = {.view = CORE_VIEW_RECEIPTS};
    const struct core_view_info *info = core_view_info(CORE_VIEW_RECEIPTS);
    struct tui_listview lv = {0};
    char filter[256] = "";
    size_t step;

    (void)state;
    decode_rows(&t, 20, 1);
    tui_listview_reset(&lv);
    for (step = 0; step < 2000; step++) {
        size_t what = pick(20);

        if (what < 7)
            type_next(filter, keys[pick(sizeof(keys) / sizeof(keys[0]))]);
        else if (what < 13)
            erase_last(filter);
        else if (what == 13)
            filter[0] = '\0';
        else if (what < 17)
            tui_listview_sort_by(&lv, pick(info->column_count));
        else if (what == 17)
            lv.sort_column = SIZE_MAX;
        else if (what == 18 && t.count < 400)
            decode_rows(&t, 1 + pick(20), (int)step);
        else if (t.count > 1)
            core_table_truncate(&t, 1 + pick(t.count - 1));
        assert_int_equal(tui_listview_rebuild(&lv, &t, filter, SIZE_MAX),
                         BASE_OK);
        expect_full(&lv, &t, filter);
        assert_string_equal(lv.built_filter, filter);
    }
    tui_listview_reset(&lv);
    assert_null(lv.index);
    assert_null(lv.saved[0].filter);
    core_table_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listview_narrow_rebuild_null),
        cmocka_unit_test(test_listview_narrow_typing_matches_full),
        cmocka_unit_test(test_listview_narrow_other_rows_built_anew),
        cmocka_unit_test(test_listview_narrow_random_matches_full),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
