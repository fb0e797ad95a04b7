/* Filtering and sorting of a view's rows, shared by the UI's list and the
 * CSV export so that both show the same rows in the same order. */
#include "core/view.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/view_internal.h"

#define SHOWN_MAX 4096

/* The words of a filter, each cut to SHOWN_MAX - 1 bytes and folded by
 * core_text_fold_plain, so that a row is tested without folding them
 * again. */
struct words {
    char **text;
    size_t *len;
    size_t count;
};

/* A row's sort key: its cell folded once, and its number where the
 * column sorts numerically. */
struct sort_item {
    const char *plain; /* NULL for a NULL cell */
    double number;
    uint32_t row;
    bool is_number;
};

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

/* The bytes the folded cells can take: folding never lengthens text, and
 * a list as shown is cut to SHOWN_MAX. */
static size_t folded_bound(const struct core_view_info *info,
                           char *const *cells)
{
    size_t size = 1;
    size_t i;

    for (i = 0; i < info->column_count; i++) {
        if (info->columns[i].hidden || !cells[i])
            continue;
        if (info->columns[i].kind == CORE_CELL_LIST)
            size += SHOWN_MAX;
        else
            size += strlen(cells[i]) + 1;
    }
    return size;
}

char *core_view_row_folded(const struct core_view_info *info,
                           char *const *cells, size_t *len)
{
    char buf[SHOWN_MAX];
    size_t size = folded_bound(info, cells);
    char *out = malloc(size);
    size_t used = 0;
    const char *text;
    size_t i;

    if (!out)
        return NULL;
    for (i = 0; i < info->column_count; i++) {
        if (info->columns[i].hidden || !cells[i])
            continue;
        text = shown(&info->columns[i], cells[i], buf, sizeof(buf));
        core_text_fold_plain(text, out + used, size - used);
        used += strlen(out + used) + 1;
    }
    *len = used;
    return out;
}

static void words_free(struct words *w)
{
    size_t i;

    for (i = 0; i < w->count; i++)
        free(w->text[i]);
    free(w->text);
    free(w->len);
    memset(w, 0, sizeof(*w));
}

static int words_add(struct words *w, const char *word, size_t len)
{
    char needle[SHOWN_MAX];
    char *folded;

    if (len >= sizeof(needle))
        len = sizeof(needle) - 1;
    memcpy(needle, word, len);
    needle[len] = '\0';
    folded = malloc(len + 1);
    if (!folded)
        return -1;
    core_text_fold_plain(needle, folded, len + 1);
    w->text[w->count] = folded;
    w->len[w->count++] = strlen(folded);
    return 0;
}

/* Splits filter at spaces and tabs; false when memory runs out. */
static bool words_parse(const char *filter, struct words *w)
{
    size_t max = strlen(filter) / 2 + 1;
    const char *p;
    size_t len;

    memset(w, 0, sizeof(*w));
    w->text = calloc(max, sizeof(*w->text));
    w->len = calloc(max, sizeof(*w->len));
    if (!w->text || !w->len)
        goto fail;
    for (p = filter; *p; p += len) {
        p += strspn(p, " \t");
        len = strcspn(p, " \t");
        if (len && words_add(w, p, len) != 0)
            goto fail;
    }
    return true;
fail:
    words_free(w);
    return false;
}

/* Every word is part of one folded cell: the cells are NUL-separated
 * and a word holds no NUL, so a match never spans two. A word that folds
 * to nothing is part of any cell, so of a row with one. */
static bool folded_matches(const char *folded, size_t len,
                           const struct words *w)
{
    size_t i;

    for (i = 0; i < w->count; i++) {
        if (w->len[i] == 0 ? len == 0
                           : !memmem(folded, len, w->text[i], w->len[i]))
            return false;
    }
    return true;
}

static bool row_matches(const struct core_view_info *info,
                        const struct core_row *row, const struct words *w)
{
    const char *fold;
    char *made;
    size_t len = 0;
    bool found;

    if (w->count == 0)
        return true;
    if (row->stamp) {
        fold = core_view_row_fold(info, row, &len);
        return folded_matches(fold, len, w);
    }
    made = core_view_row_folded(info, row->cells, &len);
    found = made && folded_matches(made, len, w);
    free(made);
    return found;
}

bool core_view_row_matches(const struct core_table *table, size_t row,
                           const char *filter)
{
    const struct core_view_info *info;
    struct words w;
    bool found;

    if (!table || row >= table->count)
        return false;
    info = core_view_info(table->view);
    if (!info || !words_parse(filter ? filter : "", &w))
        return false;
    found = row_matches(info, &table->rows[row], &w);
    words_free(&w);
    return found;
}

/* Text equal without accents: case-folded, then as sent, so that the
 * order is total and the same on every run (core_view_compare's). */
static int compare_tie(const char *a, const char *b)
{
    size_t la;
    size_t lb;
    char *fa;
    char *fb;
    int c;

    if (strcmp(a, b) == 0)
        return 0;
    la = strlen(a) + 1;
    lb = strlen(b) + 1;
    fa = malloc(la);
    fb = malloc(lb);
    c = 0;
    if (fa && fb) {
        core_text_fold(a, fa, la);
        core_text_fold(b, fb, lb);
        c = strcmp(fa, fb);
    }
    free(fa);
    free(fb);
    if (c == 0)
        c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

/* core_view_compare on the keys made once for each row. */
static int compare_items(const struct sort_key *key, const struct sort_item *a,
                         const struct sort_item *b)
{
    const struct core_row *rows = key->table->rows;
    int c;

    if (!a->plain || !b->plain)
        return a->plain ? 1 : b->plain ? -1 : 0;
    if (a->is_number && b->is_number && a->number != b->number)
        return a->number < b->number ? -1 : 1;
    if (a->is_number != b->is_number)
        return a->is_number ? -1 : 1;
    c = strcmp(a->plain, b->plain);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return compare_tie(rows[a->row].cells[key->index],
                       rows[b->row].cells[key->index]);
}

static int compare_rows(const struct sort_key *key, const struct sort_item *a,
                        const struct sort_item *b)
{
    int c = 0;

    if (key->column) {
        c = compare_items(key, a, b);
        if (key->desc)
            c = -c;
    }
    if (c == 0)
        c = a->row < b->row ? -1 : (a->row > b->row ? 1 : 0);
    return c;
}

/* A stable merge sort of the row keys (qsort is neither stable nor
 * given a context in C11); halves already in order are not merged. */
static void merge_sort(const struct sort_key *key, struct sort_item *items,
                       struct sort_item *spare, size_t n)
{
    size_t half = n / 2;
    size_t i = 0;
    size_t j = half;
    size_t k = 0;

    if (n < 2)
        return;
    merge_sort(key, items, spare, half);
    merge_sort(key, items + half, spare, n - half);
    if (compare_rows(key, &items[half], &items[half - 1]) >= 0)
        return;
    while (i < half && j < n) {
        if (compare_rows(key, &items[j], &items[i]) < 0)
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
/* The keys of the rows items[0..n) for column index. */
static struct sort_item *make_keys(const struct sort_key *key,
                                   const size_t *items, size_t n, char **arena)
{
    struct sort_item *keys = malloc((n ? n : 1) * sizeof(*keys));
    bool numeric = key->column->kind == CORE_CELL_ID ||
                   key->column->kind == CORE_CELL_NUMBER ||
                   key->column->kind == CORE_CELL_AMOUNT;
    size_t size = 1;
    size_t used = 0;
    const char *cell;
    size_t i;

    for (i = 0; i < n; i++) {
        cell = key->table->rows[items[i]].cells[key->index];
        size += cell ? strlen(cell) + 1 : 0;
    }
    *arena = malloc(size);
    if (!keys || !*arena) {
        free(keys);
        free(*arena);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        cell = key->table->rows[items[i]].cells[key->index];
        keys[i].row = (uint32_t)items[i];
        keys[i].plain = cell ? *arena + used : NULL;
        keys[i].is_number =
            cell && numeric && core_view_parse_number(cell, &keys[i].number);
        if (cell) {
            core_text_fold_plain(cell, *arena + used, size - used);
            used += strlen(*arena + used) + 1;
        }
    }
    return keys;
}

/* Sorts the row indices items[0..n) by key; false when memory runs out. */
static bool sort_rows(const struct sort_key *key, size_t *items, size_t n)
{
    struct sort_item *keys;
    struct sort_item *spare;
    char *arena = NULL;
    size_t i;

    if (!key->column || n < 2)
        return true;
    keys = make_keys(key, items, n, &arena);
    spare = malloc(n * sizeof(*spare));
    if (keys && spare) {
        merge_sort(key, keys, spare, n);
        for (i = 0; i < n; i++)
            items[i] = keys[i].row;
    }
    free(spare);
    free(arena);
    free(keys);
    return keys && spare;
}

static bool order_args(const struct core_table *table, size_t sort_column,
                       bool desc, struct sort_key *key)
{
    const struct core_view_info *info = core_view_info(table->view);

    if (!info || table->count > UINT32_MAX)
        return false;
    key->table = table;
    key->column = NULL;
    key->index = 0;
    key->desc = desc;
    if (sort_column < info->column_count) {
        key->column = &info->columns[sort_column];
        key->index = sort_column;
    }
    return true;
}

enum base_status core_view_order(const struct core_table *table,
                                 const char *filter, size_t sort_column,
                                 bool desc, size_t **order, size_t *n)
{
    struct sort_key key;
    struct words w;
    size_t *items;
    size_t count = 0;
    size_t i;

    if (!table || !order || !n || !order_args(table, sort_column, desc, &key))
        return BASE_E_INVALID;
    if (!words_parse(filter ? filter : "", &w))
        return BASE_E_NOMEM;
    items = malloc((table->count ? table->count : 1) * sizeof(*items));
    for (i = 0; items && i < table->count; i++) {
        if (row_matches(core_view_info(table->view), &table->rows[i], &w))
            items[count++] = i;
    }
    words_free(&w);
    if (!items || !sort_rows(&key, items, count)) {
        free(items);
        return BASE_E_NOMEM;
    }
    if (count == 0) {
        free(items);
        items = NULL;
    }
    *order = items;
    *n = count;
    return BASE_OK;
}

enum base_status core_view_order_narrow(const struct core_table *table,
                                        const char *filter, size_t *order,
                                        size_t *n)
{
    const struct core_view_info *info;
    struct words w;
    size_t kept = 0;
    size_t i;

    if (!table || !n || (*n > 0 && !order))
        return BASE_E_INVALID;
    info = core_view_info(table->view);
    if (!info)
        return BASE_E_INVALID;
    for (i = 0; i < *n; i++) {
        if (order[i] >= table->count)
            return BASE_E_INVALID;
    }
    if (!words_parse(filter ? filter : "", &w))
        return BASE_E_NOMEM;
    for (i = 0; i < *n; i++) {
        if (row_matches(info, &table->rows[order[i]], &w))
            order[kept++] = order[i];
    }
    words_free(&w);
    *n = kept;
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
