/* List state for the UI's views: order, cursor, paging, sort and role
 * filter, kept apart from curses so that tests can drive it. */
#include "tui/listview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roles[] = {"all",        "employee", "manager",
                                    "accountant", "approver", "money_checker"};

#define ROLE_COUNT (sizeof(roles) / sizeof(roles[0]))

/* A saved order is narrowed when it shows at most 1/NARROW_SHARE of the
 * rows, else the order is built anew. */
#define NARROW_SHARE 4

/* Past this, a filter is built anew: core cuts long words. */
#define FILTER_NARROW_MAX 4000

static void saved_clear(struct tui_listview_saved *s)
{
    free(s->filter);
    free(s->order);
    memset(s, 0, sizeof(*s));
}

void tui_listview_reset(struct tui_listview *lv)
{
    size_t i;

    if (!lv)
        return;
    for (i = 0; i < TUI_LISTVIEW_SAVED; i++)
        saved_clear(&lv->saved[i]);
    core_view_index_free(&lv->index);
    free(lv->order);
    free(lv->built_filter);
    memset(lv, 0, sizeof(*lv));
    lv->sort_column = SIZE_MAX;
    lv->dirty = true;
}

bool tui_listview_selected(const struct tui_listview *lv, size_t *row)
{
    if (!lv || !lv->order || lv->cursor >= lv->n)
        return false;
    *row = lv->order[lv->cursor];
    return true;
}

/* The position of table row in order, or n when it is not shown. */
static size_t position_of(const size_t *order, size_t n, size_t row)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (order[i] == row)
            return i;
    }
    return n;
}

/* Rows are stamped by core when it decodes them; rows made otherwise
 * (stamp 0) are never taken for the ones an order was built from. */
static bool saved_rows(const struct tui_listview_saved *s,
                       const struct core_table *table)
{
    return s->filter && table->count > 0 && table->count == s->count &&
           table->rows[0].stamp != 0 &&
           table->rows[0].stamp == s->first_stamp &&
           table->rows[table->count - 1].stamp == s->last_stamp;
}

/* Whether s is an order of table's rows with lv's sort and role. */
static bool saved_fits(const struct tui_listview *lv,
                       const struct tui_listview_saved *s,
                       const struct core_table *table)
{
    return saved_rows(s, table) && s->sort == lv->sort_column &&
           s->desc == lv->desc && s->role == lv->role;
}

/* Whether filter keeps only rows that base kept: it extends it, and base
 * did not end inside a UTF-8 character (folding sees whole characters
 * only). */
static bool narrows(const char *base, const char *filter)
{
    size_t len = strlen(base);

    return strncmp(filter, base, len) == 0 &&
           ((unsigned char)filter[len] & 0xC0) != 0x80 &&
           strlen(filter) < FILTER_NARROW_MAX;
}

/* The saved order for filter itself (*exact) or else the shortest one
 * that filter narrows; NULL for none. */
static const struct tui_listview_saved *
saved_find(const struct tui_listview *lv, const struct core_table *table,
           const char *filter, bool *exact)
{
    const struct tui_listview_saved *best = NULL;
    const struct tui_listview_saved *s;
    size_t i;

    *exact = false;
    for (i = 0; i < TUI_LISTVIEW_SAVED; i++) {
        s = &lv->saved[i];
        if (!saved_fits(lv, s, table))
            continue;
        if (strcmp(s->filter, filter) == 0) {
            *exact = true;
            return s;
        }
        if (narrows(s->filter, filter) && (!best || s->n < best->n))
            best = s;
    }
    /* Testing the rows of a long order, in its order, reads them all over
     * memory: one pass in the table's order is quicker then. */
    if (best && best->n > table->count / NARROW_SHARE)
        best = NULL;
    return best;
}

/* Keeps a copy of order as filter's; nothing is kept when memory runs
 * out. Orders of other rows are dropped. */
static void saved_put(struct tui_listview *lv, const struct core_table *table,
                      const char *filter, const size_t *order, size_t n)
{
    struct tui_listview_saved *s = NULL;
    size_t i;

    for (i = 0; i < TUI_LISTVIEW_SAVED; i++) {
        if (lv->saved[i].filter && !saved_rows(&lv->saved[i], table))
            saved_clear(&lv->saved[i]);
        else if (saved_fits(lv, &lv->saved[i], table) &&
                 strcmp(lv->saved[i].filter, filter) == 0)
            s = &lv->saved[i];
    }
    if (!s) {
        s = &lv->saved[lv->saved_next];
        lv->saved_next = (lv->saved_next + 1) % TUI_LISTVIEW_SAVED;
    }
    saved_clear(s);
    if (table->count == 0 || table->rows[0].stamp == 0)
        return;
    s->filter = strdup(filter);
    s->order = malloc((n ? n : 1) * sizeof(*order));
    if (!s->filter || !s->order) {
        saved_clear(s);
        return;
    }
    if (n)
        memcpy(s->order, order, n * sizeof(*order));
    s->n = n;
    s->sort = lv->sort_column;
    s->desc = lv->desc;
    s->role = lv->role;
    s->count = table->count;
    s->first_stamp = table->rows[0].stamp;
    s->last_stamp = table->rows[table->count - 1].stamp;
}

/* A saved order taken again for filter, narrowed unless exact. */
static enum base_status order_saved(const struct core_table *table,
                                    const char *filter,
                                    const struct tui_listview_saved *s,
                                    bool exact, size_t **order, size_t *n)
{
    size_t *copy = malloc((s->n ? s->n : 1) * sizeof(*copy));
    size_t count = s->n;
    enum base_status status = BASE_OK;

    if (!copy)
        return BASE_E_NOMEM;
    if (s->n)
        memcpy(copy, s->order, s->n * sizeof(*copy));
    if (!exact)
        status = core_view_order_narrow(table, filter, copy, &count);
    if (status != BASE_OK || count == 0) {
        free(copy);
        copy = NULL;
    }
    if (status == BASE_OK) {
        *order = copy;
        *n = count;
    }
    return status;
}

/* The order for filter: a saved one, narrowed, or built anew. */
static enum base_status order_for(struct tui_listview *lv,
                                  const struct core_table *table,
                                  const char *filter, size_t role_column,
                                  size_t **order, size_t *n)
{
    const struct tui_listview_saved *s;
    enum base_status status;
    bool exact;

    s = saved_find(lv, table, filter, &exact);
    if (s)
        return order_saved(table, filter, s, exact, order, n);
    status = core_view_index_order(&lv->index, table, filter, lv->sort_column,
                                   lv->desc, order, n);
    if (status == BASE_OK && role_column != SIZE_MAX && lv->role > 0)
        tui_listview_keep_role(table, role_column,
                               tui_listview_role_name(lv->role), *order, n);
    return status;
}

/* Notes what order was built from. */
static enum base_status remember(struct tui_listview *lv,
                                 const struct core_table *table,
                                 const char *filter)
{
    char *copy = strdup(filter);

    if (!copy)
        return BASE_E_NOMEM;
    free(lv->built_filter);
    lv->built_filter = copy;
    lv->built_sort = lv->sort_column;
    lv->built_desc = lv->desc;
    lv->built_role = lv->role;
    lv->first_stamp = table->count ? table->rows[0].stamp : 0;
    lv->last_stamp = table->count ? table->rows[table->count - 1].stamp : 0;
    return BASE_OK;
}

enum base_status tui_listview_rebuild(struct tui_listview *lv,
                                      const struct core_table *table,
                                      const char *filter, size_t role_column)
{
    enum base_status status;
    size_t *order = NULL;
    size_t n = 0;
    size_t row = 0;
    bool had = tui_listview_selected(lv, &row);
    size_t at;

    if (!lv || !table)
        return BASE_E_INVALID;
    status =
        order_for(lv, table, filter ? filter : "", role_column, &order, &n);
    if (status == BASE_OK)
        status = remember(lv, table, filter ? filter : "");
    if (status != BASE_OK) {
        free(order);
        free(lv->built_filter);
        lv->built_filter = NULL;
        if (!lv->order)
            lv->n = 0;
        return status;
    }
    saved_put(lv, table, filter ? filter : "", order, n);
    free(lv->order);
    lv->order = order;
    lv->n = n;
    lv->dirty = false;
    lv->built_count = table->count;
    at = had ? position_of(order, n, row) : n;
    if (at < n)
        lv->cursor = at;
    tui_listview_clamp(lv, 0);
    return BASE_OK;
}

void tui_listview_clamp(struct tui_listview *lv, size_t visible)
{
    if (!lv)
        return;
    if (lv->n == 0) {
        lv->cursor = 0;
        lv->top = 0;
        return;
    }
    if (lv->cursor >= lv->n)
        lv->cursor = lv->n - 1;
    if (lv->top > lv->cursor)
        lv->top = lv->cursor;
    if (visible == 0)
        return;
    if (lv->cursor >= lv->top + visible)
        lv->top = lv->cursor - visible + 1;
    /* No empty rows below the end while earlier rows could show. */
    if (lv->top > 0 && lv->top + visible > lv->n)
        lv->top = lv->n > visible ? lv->n - visible : 0;
}

void tui_listview_move(struct tui_listview *lv, long delta, size_t visible)
{
    size_t step;

    if (!lv || lv->n == 0)
        return;
    if (delta < 0) {
        step = (size_t)(-(delta + 1)) + 1;
        lv->cursor = lv->cursor > step ? lv->cursor - step : 0;
    } else {
        step = (size_t)delta;
        lv->cursor =
            lv->n - 1 - lv->cursor > step ? lv->cursor + step : lv->n - 1;
    }
    tui_listview_clamp(lv, visible);
}

void tui_listview_page(struct tui_listview *lv, bool down, size_t visible)
{
    long page = visible > 1 ? (long)visible - 1 : 1;

    tui_listview_move(lv, down ? page : -page, visible);
}

bool tui_listview_step(struct tui_listview *lv, bool forward, size_t visible)
{
    if (!lv || lv->n == 0)
        return false;
    if (lv->cursor >= lv->n)
        lv->cursor = lv->n - 1;
    if (forward)
        lv->cursor = lv->cursor + 1 < lv->n ? lv->cursor + 1 : 0;
    else
        lv->cursor = lv->cursor > 0 ? lv->cursor - 1 : lv->n - 1;
    tui_listview_clamp(lv, visible);
    return true;
}

size_t tui_listview_next_sort(size_t current, const struct core_column *columns,
                              size_t count)
{
    size_t i = current == SIZE_MAX ? 0 : current + 1;

    if (!columns)
        return SIZE_MAX;
    for (; i < count; i++) {
        if (!columns[i].hidden)
            return i;
    }
    return SIZE_MAX;
}

void tui_listview_sort_by(struct tui_listview *lv, size_t column)
{
    if (!lv)
        return;
    if (lv->sort_column == column) {
        lv->desc = !lv->desc;
    } else {
        lv->sort_column = column;
        lv->desc = false;
    }
    lv->dirty = true;
}

bool tui_listview_hit(const struct tui_listview *lv, int y, int first_y,
                      size_t visible, size_t *index)
{
    size_t at;

    if (!lv || y < first_y || (size_t)(y - first_y) >= visible)
        return false;
    at = lv->top + (size_t)(y - first_y);
    if (at >= lv->n)
        return false;
    *index = at;
    return true;
}

size_t tui_listview_header_hit(int x, int x0, const int *widths, size_t n,
                               int gap)
{
    size_t i;
    int left = x0;

    if (!widths)
        return SIZE_MAX;
    for (i = 0; i < n; i++) {
        if (widths[i] > 0 && x >= left && x < left + widths[i])
            return i;
        left += widths[i] + gap;
    }
    return SIZE_MAX;
}

const char *tui_listview_role_name(size_t role)
{
    return role < ROLE_COUNT ? roles[role] : NULL;
}

size_t tui_listview_role_count(void)
{
    return ROLE_COUNT;
}

bool tui_listview_has_role(const char *cell, const char *role)
{
    size_t len;
    const char *p;

    if (!role || !*role)
        return true;
    if (!cell)
        return false;
    len = strlen(role);
    for (p = cell; *p;) {
        const char *end = strchr(p, '\n');
        size_t item = end ? (size_t)(end - p) : strlen(p);

        if (item == len && memcmp(p, role, len) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

void tui_listview_keep_role(const struct core_table *table, size_t column,
                            const char *role, size_t *order, size_t *n)
{
    size_t kept = 0;
    size_t i;

    if (!table || !order || !n)
        return;
    for (i = 0; i < *n; i++) {
        const struct core_row *row;

        if (order[i] >= table->count)
            continue;
        row = &table->rows[order[i]];
        if (tui_listview_has_role(row->cells ? row->cells[column] : NULL, role))
            order[kept++] = order[i];
    }
    *n = kept;
}

void tui_listview_age(int64_t now, int64_t then, char *out, size_t size)
{
    int64_t age = now - then;

    if (!out || size == 0)
        return;
    if (age < 60)
        snprintf(out, size, "just now");
    else if (age < 3600)
        snprintf(out, size, "%lld min ago", (long long)(age / 60));
    else if (age < 86400)
        snprintf(out, size, "%lld h ago", (long long)(age / 3600));
    else
        snprintf(out, size, "%lld d ago", (long long)(age / 86400));
}
