/* libFuzzer harness for the view decoders: one answer of any view's
 * endpoint, then everything the front ends do with the rows it gives.
 *
 * Input: byte 0 picks the view (modulo CORE_VIEW_COUNT), byte 1 is
 * per_page, byte 2 the sort column (255: the server's order), byte 3 the
 * filter's length (low 5 bits) and the descending flag (bit 7); then the
 * filter's bytes, then the body. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "core/decode.h"
#include "core/view.h"

#define HEADER_LEN 4
#define FILTER_MAX 31

struct input {
    enum core_view view;
    size_t per_page;
    size_t sort_column;
    bool desc;
    char filter[FILTER_MAX + 1];
    const char *body;
    size_t body_len;
};

static bool split(const uint8_t *data, size_t size, struct input *in)
{
    size_t filter_len;

    if (size < HEADER_LEN)
        return false;
    in->view = (enum core_view)(data[0] % CORE_VIEW_COUNT);
    in->per_page = data[1];
    in->sort_column = data[2] == 0xff ? SIZE_MAX : data[2];
    in->desc = (data[3] & 0x80) != 0;
    filter_len = data[3] & FILTER_MAX;
    if (size - HEADER_LEN < filter_len)
        filter_len = size - HEADER_LEN;
    memcpy(in->filter, data + HEADER_LEN, filter_len);
    in->filter[filter_len] = '\0';
    in->body = (const char *)data + HEADER_LEN + filter_len;
    in->body_len = size - HEADER_LEN - filter_len;
    return true;
}

static FILE *null_file(void)
{
    static FILE *file;

    if (!file)
        file = fopen("/dev/null", "w");
    CHECK(file != NULL);
    return file;
}

static void check_details(const struct core_table *table)
{
    size_t i;

    for (i = 0; i < table->count; i++) {
        struct core_detail *detail = NULL;

        if (core_view_detail(table, &table->rows[i], &detail) == BASE_OK)
            CHECK(detail != NULL);
        core_view_detail_free(&detail);
        CHECK(detail == NULL);
    }
}

static bool same_cell(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* The cached text reads back into the same rows. */
static void check_cache(const struct core_table *table)
{
    const struct core_view_info *info = core_view_info(table->view);
    struct core_table back = {table->view, NULL, 0, 0, 0, NULL};
    size_t len = 0;
    char *text = core_view_cache_text(table, &len);
    size_t i;
    size_t c;

    if (!text)
        return;
    CHECK(core_view_decode_cached(table->view, text, len, &back) == BASE_OK);
    CHECK(back.count == table->count);
    for (i = 0; i < back.count; i++) {
        CHECK(back.rows[i].id == table->rows[i].id);
        for (c = 0; c < info->column_count; c++)
            CHECK(same_cell(back.rows[i].cells[c], table->rows[i].cells[c]));
    }
    core_table_clear(&back);
    free(text);
}

static void check_order(const struct core_table *table, const struct input *in)
{
    size_t *order = NULL;
    size_t n = 0;
    size_t i;
    char *json;

    if (core_view_order(table, in->filter, in->sort_column, in->desc, &order,
                        &n) != BASE_OK)
        return;
    CHECK(n <= table->count);
    for (i = 0; i < n; i++) {
        CHECK(order[i] < table->count);
        CHECK(core_view_row_matches(table, order[i], in->filter));
    }
    (void)core_view_csv(null_file(), table, order, n);
    json = core_view_json(table, order, n);
    free(json);
    free(order);
}

/* As the application does: jansson wipes what it frees. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    core_decode_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct core_table table = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    struct input in;
    bool more = false;
    char *json;

    if (!split(data, size, &in))
        return 0;
    table.view = in.view;
    if (core_view_decode(in.view, in.body, in.body_len, in.per_page, &table,
                         &more) != BASE_OK) {
        CHECK(table.count == 0);
        return 0;
    }
    check_details(&table);
    CHECK(core_view_csv(null_file(), &table, NULL, 0) == BASE_OK);
    json = core_view_json(&table, NULL, 0);
    free(json);
    check_cache(&table);
    check_order(&table, &in);
    core_table_clear(&table);
    return 0;
}
