/* The state of one browsable list in the UI: which rows show in which
 * order (filtered and sorted by core), the cursor and the scroll, the
 * sort key, the role filter of the users view, and the small pure
 * helpers the screen uses to move, page, step through matches and find
 * what the mouse hit. */
#ifndef BEZALA_TUI_LISTVIEW_H
#define BEZALA_TUI_LISTVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/view.h"

/* How many orders of recent filters a list keeps, so that erasing a
 * character finds the order it had. */
#define TUI_LISTVIEW_SAVED 8

/* An order built before, and what it was built from. */
struct tui_listview_saved {
    char *filter;  /* owned; NULL: the entry is free */
    size_t *order; /* owned */
    size_t n;
    size_t sort;
    bool desc;
    size_t role;
    size_t count; /* the table's rows and their end stamps */
    uint64_t first_stamp;
    uint64_t last_stamp;
};

struct tui_listview {
    size_t *order;      /* table row indices shown, in order; owned */
    size_t n;           /* entries of order */
    size_t cursor;      /* index into order */
    size_t top;         /* first shown index into order */
    size_t sort_column; /* column index; SIZE_MAX: the server's order */
    bool desc;
    size_t role;        /* index into the role filter; 0: all roles */
    bool dirty;         /* order must be built again */
    size_t built_count; /* the table's row count when order was built */
    /* What order was built from, so that a filter that narrows it only
     * rescans the rows it shows: the filter (owned; NULL before the
     * first build), sort, role and the stamps of the table's first and
     * last rows. */
    char *built_filter;
    size_t built_sort;
    bool built_desc;
    size_t built_role;
    uint64_t first_stamp;
    uint64_t last_stamp;
    struct core_view_index *index; /* core's sorted rows; owned */
    struct tui_listview_saved saved[TUI_LISTVIEW_SAVED];
    size_t saved_next; /* the entry to reuse next */
};

/* Frees the order and resets everything (no sort, no role filter);
 * dirty afterwards. Accepts NULL. */
void tui_listview_reset(struct tui_listview *lv);

/* Builds order again from table: core_view_order with filter and the
 * sort (through lv's core_view_index, so that a sort or a filter is one
 * pass over the rows), then the role filter on role_column (SIZE_MAX:
 * none). When the rows, sort and role are those of an order built
 * before (the last one or one of the saved ones) and filter is its
 * filter, that order is taken again; when filter narrows it (extends it
 * by whole characters), only the rows it shows are tested again
 * (core_view_order_narrow). The cursor stays on the row it
 * was on when that row is still shown, else it is clamped. */
enum base_status tui_listview_rebuild(struct tui_listview *lv,
                                      const struct core_table *table,
                                      const char *filter, size_t role_column)
    __attribute__((warn_unused_result));

/* The table row under the cursor; false when nothing is shown. */
bool tui_listview_selected(const struct tui_listview *lv, size_t *row);

/* Keeps the cursor inside [0, n) and the scroll such that the cursor
 * is among the visible rows starting at top (visible 0: unknown). */
void tui_listview_clamp(struct tui_listview *lv, size_t visible);

/* Moves the cursor by delta rows (clamped, never wrapping). */
void tui_listview_move(struct tui_listview *lv, long delta, size_t visible);

/* One page (visible - 1 rows, at least 1) down or up. */
void tui_listview_page(struct tui_listview *lv, bool down, size_t visible);

/* n / N: the next or previous row, wrapping around at either end.
 * false when nothing is shown. */
bool tui_listview_step(struct tui_listview *lv, bool forward, size_t visible);

/* The next sort key after current among the shown (not hidden) columns:
 * SIZE_MAX goes to the first, the last goes back to SIZE_MAX (the
 * server's order). */
size_t tui_listview_next_sort(size_t current, const struct core_column *columns,
                              size_t count);

/* A click on column's header: the same column again reverses the order,
 * another one sorts by it ascending. */
void tui_listview_sort_by(struct tui_listview *lv, size_t column);

/* The order index shown at screen row y, when the list's first row is
 * at first_y and visible rows show; false for a row outside the list or
 * past its end. */
bool tui_listview_hit(const struct tui_listview *lv, int y, int first_y,
                      size_t visible, size_t *index);

/* The entry of columns (shown left to right from x0, each widths[i]
 * wide and gap apart) under screen column x; SIZE_MAX for none. */
size_t tui_listview_header_hit(int x, int x0, const int *widths, size_t n,
                               int gap);

/* The role filter's choices: 0 is "all", then employee, manager,
 * accountant, approver, money_checker. NULL past the end. */
const char *tui_listview_role_name(size_t role);
size_t tui_listview_role_count(void);

/* Whether a list cell (items joined by '\n') holds role exactly. NULL or
 * empty role: always; NULL cell: never otherwise. */
bool tui_listview_has_role(const char *cell, const char *role);

/* Keeps in order[0..*n) only the rows of table whose column cell holds
 * role (see tui_listview_has_role). */
void tui_listview_keep_role(const struct core_table *table, size_t column,
                            const char *role, size_t *order, size_t *n);

/* How old something saved at then is at now, in words: "just now",
 * "5 min ago", "2 h ago", "3 d ago" (the future counts as just now). */
void tui_listview_age(int64_t now, int64_t then, char *out, size_t size);

#endif
