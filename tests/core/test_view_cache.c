/* The cache text of a view's rows read back in parts: every stop point
 * gives the rows of one decode, and a text of another format or a
 * damaged one is never read as rows. */
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

/* Rows with quotes, control characters, line ends, accents, a character
 * outside the BMP and absent fields. */
static const char receipts[] =
    "[{\"id\":1,\"date\":\"2025-03-01\",\"description\":\"Taxi, airport\","
    "\"user_name\":\"Åsa \\\"Boss\\\" Berg\",\"total_cost\":\"-12.40\","
    "\"currency\":\"EUR\",\"state\":\"draft\",\"user_id\":7},"
    "{\"id\":2,\"description\":\"bell\\u0007 and \\\\ slash\","
    "\"user_name\":\"two\\r\\nlines\\ttab\\bback\\fform\"},"
    "{\"id\":3,\"description\":\"\\ud83d\\ude95 taxi\",\"user_id\":9},"
    "{\"id\":-4,\"description\":\"\"},"
    "{\"id\":9007199254740993,\"user_name\":\"Ørjan\"}]";

static void load(struct core_table *t)
{
    bool more = false;

    assert_int_equal(
        core_view_decode(t->view, receipts, strlen(receipts), 100, t, &more),
        BASE_OK);
    assert_int_equal(t->count, 5);
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
        if (!a->rows[i].item)
            assert_null(b->rows[i].item);
        else
            assert_string_equal(a->rows[i].item, b->rows[i].item);
        for (c = 0; c < columns; c++) {
            if (!a->rows[i].cells[c])
                assert_null(b->rows[i].cells[c]);
            else
                assert_string_equal(a->rows[i].cells[c], b->rows[i].cells[c]);
        }
    }
}

static void test_view_cache_decode_cached_part_null(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    static const char empty[] = "{\"format\":2,\"view\":\"receipts\","
                                "\"rows\":[\n]}\n";
    size_t pos = 0;
    bool done = false;

    (void)state;
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, empty,
                                                  strlen(empty), NULL, 1, &t,
                                                  &done),
                     BASE_E_INVALID);
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, empty,
                                                  strlen(empty), &pos, 1, NULL,
                                                  &done),
                     BASE_E_INVALID);
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, empty,
                                                  strlen(empty), &pos, 0, &t,
                                                  &done),
                     BASE_E_INVALID);
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_TRIPS, empty,
                                                  strlen(empty), &pos, 1, &t,
                                                  &done),
                     BASE_E_INVALID);
    pos = strlen(empty) + 1;
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, empty,
                                                  strlen(empty), &pos, 1, &t,
                                                  &done),
                     BASE_E_INVALID);
    pos = 0;
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, NULL, 0,
                                                  &pos, 1, &t, &done),
                     BASE_E_DECODE);
    assert_false(done);
    /* An empty list is whole at once. */
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, empty,
                                                  strlen(empty), &pos, 1, &t,
                                                  &done),
                     BASE_OK);
    assert_true(done);
    assert_int_equal(pos, strlen(empty));
    assert_int_equal(t.count, 0);
    assert_false(core_view_cache_current(NULL, 0));
    assert_true(core_view_cache_current(empty, strlen(empty)));
}

/* Decoding in parts of every size gives the rows of one decode, which
 * are the rows written. */
static void test_view_cache_decode_cached_part_every_stop(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table whole = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table part = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    size_t len = 0;
    size_t budget;
    size_t pos;
    size_t last;
    size_t calls;
    bool done;
    char *text;

    (void)state;
    load(&t);
    text = core_view_cache_text(&t, &len);
    assert_non_null(text);
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_RECEIPTS, text, len, &whole),
        BASE_OK);
    assert_same_rows(&t, &whole);
    for (budget = 1; budget <= t.count + 1; budget++) {
        pos = 0;
        done = false;
        calls = 0;
        while (!done) {
            last = pos;
            assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS,
                                                          text, len, &pos,
                                                          budget, &part, &done),
                             BASE_OK);
            assert_true(pos > last);
            assert_true(part.count <= (++calls) * budget);
        }
        assert_int_equal(pos, len);
        assert_int_equal(calls, (t.count + budget - 1) / budget);
        assert_same_rows(&whole, &part);
        core_table_clear(&part);
    }
    free(text);
    core_table_clear(&t);
    core_table_clear(&whole);
}

/* The text is JSON that any reader takes: one object, a row an array. */
static void test_view_cache_text_is_json(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    json_error_t error;
    json_t *doc;
    json_t *row;
    size_t len = 0;
    char *text;

    (void)state;
    assert_null(core_view_cache_text(NULL, &len));
    load(&t);
    text = core_view_cache_text(&t, &len);
    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    doc = json_loadb(text, len, 0, &error);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "format")), 2);
    assert_string_equal(json_string_value(json_object_get(doc, "view")),
                        "receipts");
    assert_int_equal(json_array_size(json_object_get(doc, "rows")), t.count);
    row = json_array_get(json_object_get(doc, "rows"), 1);
    assert_int_equal(json_integer_value(json_array_get(row, 0)), 2);
    assert_string_equal(json_string_value(json_array_get(row, 3)),
                        t.rows[1].cells[1]);
    /* One line per row, after the header line and before the last. */
    assert_non_null(strstr(text, "\n[2,"));
    json_decref(doc);
    free(text);
    core_table_clear(&t);
}

/* Escapes that this writer does not use but JSON allows read the same. */
static void test_view_cache_decode_cached_part_escapes(void **state)
{
    static const char text[] =
        "{\"format\":2,\"view\":\"cost-centers\",\"rows\":[\n"
        "[5,null,\"a\\/b\",\"\\u00c5\\u20ac\",\"\\ud83d\\ude95\",null,"
        "\"x\"]\n]}\n";
    static const char lone[] =
        "{\"format\":2,\"view\":\"cost-centers\",\"rows\":[\n"
        "[5,null,\"\\ud83d\",null,null,null,null]\n]}\n";
    struct core_table t = {CORE_VIEW_COST_CENTERS, NULL, 0, 0, 0, NULL};

    (void)state;
    assert_int_equal(core_view_info(CORE_VIEW_COST_CENTERS)->column_count, 5);
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_COST_CENTERS, text, strlen(text), &t),
        BASE_OK);
    assert_int_equal(t.count, 1);
    assert_int_equal(t.rows[0].id, 5);
    assert_null(t.rows[0].item);
    assert_string_equal(t.rows[0].cells[0], "a/b");
    assert_string_equal(t.rows[0].cells[1], "\xc3\x85\xe2\x82\xac");
    assert_string_equal(t.rows[0].cells[2], "\xf0\x9f\x9a\x95");
    assert_null(t.rows[0].cells[3]);
    /* A lone surrogate is no character. */
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_COST_CENTERS, lone, strlen(lone), &t),
        BASE_E_DECODE);
    assert_int_equal(t.count, 1);
    core_table_clear(&t);
}

/* The format before this one (one JSON object of {"view","rows"}) and a
 * text of another view are refused, and never taken as current. */
static void test_view_cache_decode_cached_part_old_format(void **state)
{
    static const char old[] =
        "{\"view\":\"receipts\",\"rows\":[{\"id\":1,\"cells\":[null,null,"
        "null,null,null,null,null],\"item\":null}]}";
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table trips = {CORE_VIEW_TRIPS, NULL, 0, 0, 0, NULL};
    size_t pos = 0;
    size_t len = 0;
    bool done = false;
    char *text;

    (void)state;
    assert_false(core_view_cache_current(old, strlen(old)));
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, old,
                                                  strlen(old), &pos, 10, &t,
                                                  &done),
                     BASE_E_DECODE);
    assert_int_equal(pos, 0);
    assert_int_equal(t.count, 0);
    load(&t);
    text = core_view_cache_text(&t, &len);
    assert_true(core_view_cache_current(text, len));
    assert_int_equal(
        core_view_decode_cached(CORE_VIEW_TRIPS, text, len, &trips),
        BASE_E_DECODE);
    assert_int_equal(trips.count, 0);
    free(text);
    core_table_clear(&t);
}

/* Every cut of the text fails as a whole; a part that meets the cut
 * drops its rows and keeps its position. */
static void test_view_cache_decode_cached_part_truncated(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table back = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    size_t len = 0;
    size_t cut;
    size_t pos;
    size_t at;
    bool done;
    char *text;

    (void)state;
    load(&t);
    text = core_view_cache_text(&t, &len);
    for (cut = 0; cut < len; cut++) {
        assert_int_equal(
            core_view_decode_cached(CORE_VIEW_RECEIPTS, text, cut, &back),
            BASE_E_DECODE);
        assert_int_equal(back.count, 0);
    }
    for (cut = 0; cut < len; cut++) {
        pos = 0;
        done = false;
        if (core_view_decode_cached_part(CORE_VIEW_RECEIPTS, text, cut, &pos, 2,
                                         &back, &done) != BASE_OK)
            continue;
        assert_false(done);
        at = pos;
        assert_int_equal(back.count, 2);
        assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, text,
                                                      cut, &pos, 10, &back,
                                                      &done),
                         BASE_E_DECODE);
        assert_int_equal(pos, at);
        assert_int_equal(back.count, 2);
        core_table_clear(&back);
    }
    free(text);
    core_table_clear(&t);
}

/* ---- the text in parts ---- */

/* The parts of t's text at these sizes, each kept in parts[] (the
 * caller frees them); how many. */
static size_t write_parts(const struct core_table *t, size_t bytes, size_t rows,
                          char **parts, size_t *lens, size_t max)
{
    struct core_view_cache_parts *w = NULL;
    const char *part = NULL;
    size_t len = 0;
    size_t n = 0;

    assert_int_equal(core_view_cache_parts_new(t, bytes, rows, &w), BASE_OK);
    for (;;) {
        assert_int_equal(core_view_cache_parts_next(w, &part, &len), BASE_OK);
        if (!part)
            break;
        assert_true(n < max);
        parts[n] = malloc(len + 1);
        assert_non_null(parts[n]);
        memcpy(parts[n], part, len);
        parts[n][len] = '\0';
        lens[n++] = len;
    }
    /* After the last part, still none. */
    assert_int_equal(core_view_cache_parts_next(w, &part, &len), BASE_OK);
    assert_null(part);
    core_view_cache_parts_free(&w);
    assert_null(w);
    return n;
}

static void test_view_cache_parts_new_null(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table bad = {CORE_VIEW_COUNT, NULL, 0, 0, 0, NULL};
    struct core_view_cache_parts *w = NULL;
    const char *part = "untouched";
    size_t len = 0;
    char *parts[2];
    size_t lens[2];

    (void)state;
    assert_int_equal(core_view_cache_parts_new(NULL, 0, 0, &w), BASE_E_INVALID);
    assert_int_equal(core_view_cache_parts_new(&bad, 0, 0, &w), BASE_E_INVALID);
    assert_int_equal(core_view_cache_parts_new(&t, 0, 0, NULL), BASE_E_INVALID);
    assert_null(w);
    assert_int_equal(core_view_cache_parts_next(NULL, &part, &len),
                     BASE_E_INVALID);
    assert_string_equal(part, "untouched");
    core_view_cache_parts_free(NULL);
    core_view_cache_parts_free(&w);
    /* An empty table is one part: the header and the closing line. */
    assert_int_equal(write_parts(&t, 1, 1, parts, lens, 2), 1);
    assert_string_equal(parts[0], "{\"format\":2,\"view\":\"receipts\","
                                  "\"rows\":[\n]}\n");
    free(parts[0]);
}

/* At every part size, in rows and in bytes, the parts joined are the
 * whole text; each part holds whole rows, no more than asked for, and
 * each but the last ends after a row's comma. */
static void test_view_cache_parts_next_joined_is_text(void **state)
{
    static const size_t bytes[] = {1, 200, 400, SIZE_MAX};
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    char *parts[8];
    size_t lens[8];
    size_t len = 0;
    size_t rows;
    size_t b;
    size_t n;
    size_t i;
    size_t at;
    char *text;

    (void)state;
    load(&t);
    text = core_view_cache_text(&t, &len);
    assert_non_null(text);
    for (b = 0; b < sizeof(bytes) / sizeof(*bytes); b++) {
        for (rows = 1; rows <= t.count + 1; rows++) {
            n = write_parts(&t, bytes[b], rows, parts, lens, 8);
            assert_true(n >= (t.count + rows - 1) / rows);
            if (bytes[b] == 1)
                assert_int_equal(n, t.count);
            for (i = 0, at = 0; i < n; i++) {
                assert_true(at + lens[i] <= len);
                assert_memory_equal(text + at, parts[i], lens[i]);
                at += lens[i];
                if (i + 1 < n)
                    assert_memory_equal(parts[i] + lens[i] - 2, ",\n", 2);
                free(parts[i]);
            }
            assert_int_equal(at, len);
        }
    }
    free(text);
    core_table_clear(&t);
}

static void test_view_cache_decode_cache_piece_null(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    static const char row[] = "[1,null,null,null,null,null,null,null,null],\n";
    size_t pos = 0;
    bool done = false;

    (void)state;
    assert_int_equal(core_view_decode_cache_piece(CORE_VIEW_RECEIPTS, row,
                                                  strlen(row), false, NULL, 1,
                                                  &t, &done),
                     BASE_E_INVALID);
    assert_int_equal(core_view_decode_cache_piece(CORE_VIEW_RECEIPTS, row,
                                                  strlen(row), false, &pos, 0,
                                                  &t, &done),
                     BASE_E_INVALID);
    assert_int_equal(core_view_decode_cache_piece(CORE_VIEW_TRIPS, row,
                                                  strlen(row), false, &pos, 1,
                                                  &t, &done),
                     BASE_E_INVALID);
    assert_int_equal(core_view_decode_cache_piece(CORE_VIEW_RECEIPTS, NULL, 0,
                                                  false, &pos, 1, &t, &done),
                     BASE_E_DECODE);
    /* A first part must begin with the header; a later one must not. */
    assert_int_equal(core_view_decode_cache_piece(CORE_VIEW_RECEIPTS, row,
                                                  strlen(row), true, &pos, 1,
                                                  &t, &done),
                     BASE_E_DECODE);
    assert_int_equal(t.count, 0);
    assert_int_equal(core_view_decode_cache_piece(CORE_VIEW_RECEIPTS, row,
                                                  strlen(row), false, &pos, 5,
                                                  &t, &done),
                     BASE_OK);
    assert_int_equal(t.count, 1);
    assert_int_equal(pos, strlen(row));
    assert_false(done);
    /* A whole text may not end after a comma. */
    pos = 0;
    assert_int_equal(core_view_decode_cached_part(CORE_VIEW_RECEIPTS, row,
                                                  strlen(row), &pos, 5, &t,
                                                  &done),
                     BASE_E_DECODE);
    core_table_clear(&t);
}

/* Decoding the parts one after the other, a few rows at a time, gives
 * the rows written; a part stops each call at its end. */
static void test_view_cache_decode_cache_piece_in_order(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table back = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    char *parts[8];
    size_t lens[8];
    size_t budget;
    size_t before;
    size_t pos;
    size_t n;
    size_t i;
    bool done;

    (void)state;
    load(&t);
    for (budget = 1; budget <= 3; budget++) {
        n = write_parts(&t, 0, 2, parts, lens, 8);
        assert_int_equal(n, 3);
        done = false;
        for (i = 0; i < n; i++) {
            pos = 0;
            while (pos < lens[i]) {
                before = back.count;
                assert_false(done);
                assert_int_equal(core_view_decode_cache_piece(
                                     CORE_VIEW_RECEIPTS, parts[i], lens[i],
                                     i == 0, &pos, budget, &back, &done),
                                 BASE_OK);
                assert_true(back.count > before);
                assert_true(back.count - before <= budget);
                assert_true(back.count <= 2 * (i + 1));
            }
            free(parts[i]);
        }
        assert_true(done);
        assert_same_rows(&t, &back);
        core_table_clear(&back);
    }
    core_table_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_cache_decode_cached_part_null),
        cmocka_unit_test(test_view_cache_decode_cached_part_every_stop),
        cmocka_unit_test(test_view_cache_text_is_json),
        cmocka_unit_test(test_view_cache_decode_cached_part_escapes),
        cmocka_unit_test(test_view_cache_decode_cached_part_old_format),
        cmocka_unit_test(test_view_cache_decode_cached_part_truncated),
        cmocka_unit_test(test_view_cache_parts_new_null),
        cmocka_unit_test(test_view_cache_parts_next_joined_is_text),
        cmocka_unit_test(test_view_cache_decode_cache_piece_null),
        cmocka_unit_test(test_view_cache_decode_cache_piece_in_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
