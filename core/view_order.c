/* Filtering and sorting of a view's rows, shared by the UI's list and the
 * CSV export so that both show the same rows in the same order. */
#include "core/view.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define SHOWN_MAX 4096

struct sort_key {
    const struct core_table *table;
    const struct core_column *column;
    size_t index;
    bool desc;
};

/* A cell as the UI shows it: list items joined by ", ". */
static const char *shown(const struct core_column *column, const char *cell,
                         char *buf, size_t size)
{
    size_t n = 0;
    const char *p;

    if (!cell || column->kind != CORE_CELL_LIST)
        return cell;
    for (p = cell; *p && n + 3 < size; p++) {
        if (*p == '\n') {
            buf[n++] = ',';
            buf[n++] = ' ';
        } else {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
    return buf;
}

/* Whether one word (len bytes of filter) is part of a shown cell. */
static bool word_matches(const struct core_view_info *info,
                         const struct core_row *row, const char *word,
                         size_t len)
{
    char needle[SHOWN_MAX];
    char buf[SHOWN_MAX];
    const char *text;
    size_t i;

    if (len >= sizeof(needle))
        len = sizeof(needle) - 1;
    memcpy(needle, word, len);
    needle[len] = '\0';
    for (i = 0; i < info->column_count; i++) {
        if (info->columns[i].hidden)
            continue;
        text = shown(&info->columns[i], row->cells[i], buf, sizeof(buf));
        if (text && core_text_contains_plain(text, needle))
            return true;
    }
    return false;
}

bool core_view_row_matches(const struct core_table *table, size_t row,
                           const char *filter)
{
    const struct core_view_info *info;
    const char *p;
    size_t len;

    if (!table || row >= table->count)
        return false;
    info = core_view_info(table->view);
    if (!info)
        return false;
    for (p = filter ? filter : ""; *p; p += len) {
        p += strspn(p, " \t");
        len = strcspn(p, " \t");
        if (len && !word_matches(info, &table->rows[row], p, len))
            return false;
    }
    return true;
}

static int compare_rows(const struct sort_key *key, size_t a, size_t b)
{
    const struct core_row *rows = key->table->rows;
    int c = 0;

    if (key->column) {
        c = core_view_compare(key->column, rows[a].cells[key->index],
                              rows[b].cells[key->index]);
        if (key->desc)
            c = -c;
    }
    if (c == 0)
        c = a < b ? -1 : (a > b ? 1 : 0);
    return c;
}

/* A stable merge sort of the row indices (qsort is neither stable nor
 * given a context in C11). */
static void merge_sort(const struct sort_key *key, size_t *items, size_t *spare,
                       size_t n)
{
    size_t half = n / 2;
    size_t i = 0;
    size_t j = half;
    size_t k = 0;

    if (n < 2)
        return;
    merge_sort(key, items, spare, half);
    merge_sort(key, items + half, spare, n - half);
    while (i < half && j < n) {
        if (compare_rows(key, items[j], items[i]) < 0)
            spare[k++] = items[j++];
        else
            spare[k++] = items[i++];
    }
    while (i < half)
        spare[k++] = items[i++];
    while (j < n)
        spare[k++] = items[j++];
    memcpy(items, spare, n * sizeof(*items));
}

enum base_status core_view_order(const struct core_table *table,
                                 const char *filter, size_t sort_column,
                                 bool desc, size_t **order, size_t *n)
{
    const struct core_view_info *info;
    struct sort_key key = {table, NULL, 0, desc};
    size_t *items;
    size_t *spare;
    size_t count = 0;
    size_t i;

    if (!table || !order || !n)
        return BASE_E_INVALID;
    info = core_view_info(table->view);
    if (!info)
        return BASE_E_INVALID;
    if (sort_column < info->column_count) {
        key.column = &info->columns[sort_column];
        key.index = sort_column;
    }
    items = malloc((table->count ? table->count : 1) * sizeof(*items));
    spare = malloc((table->count ? table->count : 1) * sizeof(*spare));
    if (!items || !spare) {
        free(items);
        free(spare);
        return BASE_E_NOMEM;
    }
    for (i = 0; i < table->count; i++) {
        if (core_view_row_matches(table, i, filter))
            items[count++] = i;
    }
    merge_sort(&key, items, spare, count);
    free(spare);
    if (count == 0) {
        free(items);
        items = NULL;
    }
    *order = items;
    *n = count;
    return BASE_OK;
}

bool core_view_column_by_key(enum core_view view, const char *key,
                             size_t *column)
{
    const struct core_view_info *info = core_view_info(view);
    size_t i;

    if (!info || !key || !column)
        return false;
    for (i = 0; i < info->column_count; i++) {
        if (strcmp(info->columns[i].key, key) == 0) {
            *column = i;
            return true;
        }
    }
    return false;
}
