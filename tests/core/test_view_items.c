/* The rows' item texts kept in a private file instead of memory: read
 * back through core_table_item, streamed into the cache, and kept in
 * memory instead wherever the file cannot be made or written. */
#include <dirent.h>
#include <malloc.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "core/view.h"
#include "tests/core/home.h"

#define PAGE_ROWS 100
#define MARK "ITEMMARK-"
#define PAD_LEN 400

/* A page of n receipts from id first on. Each item has a vendor that is
 * in no cell: MARK, the id and pad letters, pad_len long in all. */
static char *receipts(size_t first, size_t n, size_t pad_len)
{
    size_t cap = n * (pad_len + 400) + 3;
    char *page = malloc(cap);
    char *pad = malloc(pad_len + 1);
    size_t at = 1;
    size_t i;

    assert_non_null(page);
    assert_non_null(pad);
    memset(pad, 'x', pad_len);
    pad[pad_len] = '\0';
    page[0] = '[';
    for (i = 0; i < n; i++)
        at += (size_t)snprintf(
            page + at, cap - at,
            "%s{\"id\":%zu,\"_id\":\"receipt-%zu\",\"type\":\"receipt\","
            "\"description\":\"Taksi %zu\",\"user_name\":\"Maija Example\","
            "\"state\":\"accounted\",\"date\":\"2025-03-01\","
            "\"total_cost\":\"12.40\",\"currency\":\"EUR\","
            "\"vendor\":\"" MARK "%06zu%s\"}",
            i ? "," : "", first + i, first + i, first + i, first + i, pad);
    snprintf(page + at, cap - at, "]");
    free(pad);
    return page;
}

/* n more receipts into t, a page of PAGE_ROWS at a time. */
static void decode_rows(struct core_table *t, size_t n, size_t pad_len)
{
    size_t before = t->count;
    size_t done = 0;
    size_t k;
    bool more = false;
    char *page;

    while (done < n) {
        k = n - done < PAGE_ROWS ? n - done : PAGE_ROWS;
        page = receipts(done + 1, k, pad_len);
        assert_int_equal(core_view_decode(CORE_VIEW_RECEIPTS, page,
                                          strlen(page), PAGE_ROWS, t, &more),
                         BASE_OK);
        free(page);
        done += k;
    }
    assert_int_equal(t->count, before + n);
}

/* The item of row i of t, which the caller frees. */
static char *item_of(const struct core_table *t, size_t i)
{
    char *text = NULL;
    size_t len = 0;

    assert_int_equal(core_table_item(t, &t->rows[i], &text, &len), BASE_OK);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    return text;
}

/* Every row of a and b has the same item. */
static void same_items(const struct core_table *a, const struct core_table *b)
{
    size_t i;
    char *x;
    char *y;

    assert_int_equal(a->count, b->count);
    for (i = 0; i < a->count; i++) {
        x = item_of(a, i);
        y = item_of(b, i);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
}

/* The entries of dir other than . and .. */
static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* The files this process has open. */
static size_t open_files(void)
{
    return entries("/proc/self/fd");
}

static void home(char *dir, size_t size)
{
    char data[512];
    char keys[512];

    assert_int_equal(
        home_make("items", dir, size, data, sizeof(data), keys, sizeof(keys)),
        0);
}

static void test_view_items_item_file_null(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    char dir[512];
    char missing[600];

    (void)state;
    home(dir, sizeof(dir));
    snprintf(missing, sizeof(missing), "%s/none", dir);
    assert_int_equal(core_table_item_file(NULL, dir), BASE_E_INVALID);
    assert_int_equal(core_table_item_file(&t, NULL), BASE_E_INVALID);
    assert_int_equal(core_table_item_file(&t, ""), BASE_E_INVALID);
    assert_int_equal(core_table_item_file(&t, missing), BASE_E_IO);
    assert_null(t.items);
    assert_int_equal(core_table_item_file(&t, dir), BASE_OK);
    assert_non_null(t.items);
    /* A table that has a file keeps it. */
    assert_int_equal(core_table_item_file(&t, missing), BASE_OK);
    /* The file has no name in dir. */
    assert_int_equal(entries(dir), 0);
    core_table_clear(&t);
    assert_null(t.items);
    core_table_clear(NULL);
    home_remove(dir);
}

static void test_view_items_table_item_null(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    char *cells[7] = {NULL};
    struct core_row none = {1, cells, NULL, 0};
    struct core_row own = {2, cells, "{\"id\":2}", 0};
    char *text = (char *)"unchanged";
    size_t len = 7;

    (void)state;
    assert_int_equal(core_table_item(NULL, &own, &text, &len), BASE_E_INVALID);
    assert_int_equal(core_table_item(&t, NULL, &text, &len), BASE_E_INVALID);
    assert_int_equal(core_table_item(&t, &own, NULL, &len), BASE_E_INVALID);
    assert_int_equal(core_table_item(&t, &own, &text, NULL), BASE_E_INVALID);
    assert_string_equal(text, "unchanged");
    assert_int_equal(len, 7);
    assert_int_equal(core_table_item(&t, &none, &text, &len), BASE_OK);
    assert_null(text);
    assert_int_equal(len, 0);
    /* A row a caller built keeps its own item; a copy comes back. */
    assert_int_equal(core_table_item(&t, &own, &text, &len), BASE_OK);
    assert_string_equal(text, "{\"id\":2}");
    assert_int_equal(len, 8);
    assert_true(text != own.item);
    free(text);
}

/* Whether the packed allocation of row (its usable size, every byte)
 * holds text anywhere. */
static bool block_has(const struct core_row *row, const char *text)
{
    size_t size = malloc_usable_size(row->cells);

    return memmem(row->cells, size, text, strlen(text)) != NULL;
}

static void test_view_items_decode_keeps_no_item_in_memory(void **state)
{
    struct core_table mem = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table file = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    char dir[512];
    size_t before = open_files();
    size_t used_mem = 0;
    size_t used_file = 0;
    size_t i;
    char *text;

    (void)state;
    home(dir, sizeof(dir));
    assert_int_equal(core_table_item_file(&file, dir), BASE_OK);
    assert_int_equal(open_files(), before + 1);
    decode_rows(&file, 1000, PAD_LEN);
    decode_rows(&mem, 1000, PAD_LEN);
    for (i = 0; i < file.count; i++) {
        assert_null(file.rows[i].item);
        assert_false(block_has(&file.rows[i], MARK));
        assert_true(block_has(&mem.rows[i], MARK));
        used_file += malloc_usable_size(file.rows[i].cells);
        used_mem += malloc_usable_size(mem.rows[i].cells);
    }
    /* The items are most of a row's memory; a file keeps them out. */
    assert_true(used_file * 3 < used_mem);
    same_items(&file, &mem);
    text = item_of(&file, 999);
    assert_non_null(strstr(text, MARK "001000x"));
    free(text);
    assert_int_equal(entries(dir), 0);
    core_table_clear(&file);
    core_table_clear(&mem);
    /* Cleared, the table's file is closed, so gone. */
    assert_int_equal(open_files(), before);
    home_remove(dir);
}

static void test_view_items_fallback_without_dir(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_detail *d = NULL;
    char *text;
    size_t i;

    (void)state;
    assert_int_equal(core_table_item_file(&t, "/nonexistent/bezala-items"),
                     BASE_E_IO);
    decode_rows(&t, 250, 10);
    for (i = 0; i < t.count; i++) {
        assert_non_null(t.rows[i].item);
        assert_true(block_has(&t.rows[i], MARK));
    }
    text = item_of(&t, 249);
    assert_non_null(strstr(text, MARK "000250"));
    free(text);
    assert_int_equal(core_view_detail(&t, &t.rows[3], &d), BASE_OK);
    assert_non_null(d);
    core_view_detail_free(&d);
    core_table_clear(&t);
}

/* Writes past limit bytes fail (as on a full disk) while this runs. */
static void limit_writes(rlim_t limit, struct rlimit *was)
{
    struct rlimit lim;

    assert_int_equal(getrlimit(RLIMIT_FSIZE, was), 0);
    lim = *was;
    lim.rlim_cur = limit;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
}

static void test_view_items_fallback_when_writes_fail(void **state)
{
    struct core_table mem = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table file = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct rlimit was;
    char dir[512];
    size_t in_file = 0;
    size_t i;

    (void)state;
    home(dir, sizeof(dir));
    assert_int_equal(core_table_item_file(&file, dir), BASE_OK);
    limit_writes(100000, &was);
    decode_rows(&file, 1000, PAD_LEN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, SIG_DFL);
    decode_rows(&mem, 1000, PAD_LEN);
    for (i = 0; i < file.count; i++)
        in_file += file.rows[i].item == NULL;
    /* The first rows went to the file, the rest stayed in memory. */
    assert_true(in_file > 0);
    assert_true(in_file < file.count);
    assert_null(file.rows[0].item);
    assert_non_null(file.rows[file.count - 1].item);
    same_items(&file, &mem);
    core_table_clear(&file);
    core_table_clear(&mem);
    home_remove(dir);
}

static void test_view_items_cache_text_streams_items(void **state)
{
    struct core_table mem = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table file = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table back = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    char dir[512];
    char *a;
    char *b;
    size_t la = 0;
    size_t lb = 0;
    size_t i;

    (void)state;
    home(dir, sizeof(dir));
    assert_int_equal(core_table_item_file(&file, dir), BASE_OK);
    /* Items past the write batch and the read window too. */
    decode_rows(&file, 3, 300 * 1024);
    decode_rows(&mem, 3, 300 * 1024);
    decode_rows(&file, 700, PAD_LEN);
    decode_rows(&mem, 700, PAD_LEN);
    a = core_view_cache_text(&file, &la);
    b = core_view_cache_text(&mem, &lb);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_int_equal(strlen(a), la);
    assert_int_equal(core_table_item_file(&back, dir), BASE_OK);
    assert_int_equal(core_view_decode_cached(CORE_VIEW_RECEIPTS, a, la, &back),
                     BASE_OK);
    for (i = 0; i < back.count; i++)
        assert_null(back.rows[i].item);
    same_items(&back, &mem);
    free(a);
    free(b);
    core_table_clear(&back);
    core_table_clear(&file);
    core_table_clear(&mem);
    home_remove(dir);
}

static void test_view_items_detail_from_file(void **state)
{
    struct core_table t = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_table other = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct core_detail *d = NULL;
    char dir[512];
    size_t i;
    bool vendor = false;

    (void)state;
    home(dir, sizeof(dir));
    assert_int_equal(core_table_item_file(&t, dir), BASE_OK);
    decode_rows(&t, 20, 10);
    assert_null(t.rows[7].item);
    assert_int_equal(core_view_detail(&t, &t.rows[7], &d), BASE_OK);
    for (i = 0; i < d->count; i++)
        vendor = vendor || strstr(d->lines[i].value, MARK "000008");
    assert_true(vendor);
    core_view_detail_free(&d);
    /* A row read with a table that does not have its file, or has
     * another. */
    assert_int_equal(core_view_detail(&other, &t.rows[7], &d), BASE_E_INVALID);
    assert_int_equal(core_table_item_file(&other, dir), BASE_OK);
    decode_rows(&other, 20, 10);
    assert_int_equal(core_view_detail(&other, &t.rows[7], &d), BASE_E_INVALID);
    assert_null(d);
    core_table_clear(&other);
    core_table_clear(&t);
    home_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_items_item_file_null),
        cmocka_unit_test(test_view_items_table_item_null),
        cmocka_unit_test(test_view_items_decode_keeps_no_item_in_memory),
        cmocka_unit_test(test_view_items_fallback_without_dir),
        cmocka_unit_test(test_view_items_fallback_when_writes_fail),
        cmocka_unit_test(test_view_items_cache_text_streams_items),
        cmocka_unit_test(test_view_items_detail_from_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
