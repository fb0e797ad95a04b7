/* List state for the UI's views: order, cursor, paging, sort and role
 * filter, kept apart from curses so that tests can drive it. */
#include "tui/listview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roles[] = {"all",        "employee", "manager",
                                    "accountant", "approver", "money_checker"};

#define ROLE_COUNT (sizeof(roles) / sizeof(roles[0]))

/* Past this, a filter is built anew: core cuts long words. */
#define FILTER_NARROW_MAX 4000

void tui_listview_reset(struct tui_listview *lv)
{
    if (!lv)
        return;
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
 * (stamp 0) are never taken for the ones order was built from. */
static bool same_rows(const struct tui_listview *lv,
                      const struct core_table *table)
{
    return lv->built_filter && table->count > 0 &&
           table->count == lv->built_count && table->rows[0].stamp != 0 &&
           table->rows[0].stamp == lv->first_stamp &&
           table->rows[table->count - 1].stamp == lv->last_stamp;
}

/* Whether filter keeps only rows that the last build's filter kept: it
 * extends it, and the old one did not end inside a UTF-8 character
 * (folding sees whole characters only). */
static bool narrows(const struct tui_listview *lv,
                    const struct core_table *table, const char *filter)
{
    size_t len = lv->built_filter ? strlen(lv->built_filter) : 0;

    if (!same_rows(lv, table) || lv->sort_column != lv->built_sort ||
        lv->desc != lv->built_desc || lv->role != lv->built_role)
        return false;
    return strncmp(filter, lv->built_filter, len) == 0 &&
           ((unsigned char)filter[len] & 0xC0) != 0x80 &&
           strlen(filter) < FILTER_NARROW_MAX;
}

/* The order for filter: the last one narrowed, or built anew. */
static enum base_status order_for(struct tui_listview *lv,
                                  const struct core_table *table,
                                  const char *filter, size_t role_column,
                                  size_t **order, size_t *n)
{
    enum base_status status;

    if (narrows(lv, table, filter)) {
        status = core_view_order_narrow(table, filter, lv->order, &lv->n);
        if (status == BASE_OK) {
            *order = lv->order;
            *n = lv->n;
            lv->order = NULL;
        }
        return status;
    }
    status =
        core_view_order(table, filter, lv->sort_column, lv->desc, order, n);
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
