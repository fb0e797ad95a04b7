/* The width allocation of the UI's list columns, as pure arithmetic so
 * that it can be tested without a terminal. */
#include "tui/columns.h"

#include <stdbool.h>

#define CAP_FACTOR 2
#define FLOOR_CELLS 12
#define LONG_FACTOR 3 /* long text: wider than 3/2 of its preference */

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

static int want_of(const struct tui_columns_need *c)
{
    return max_int(max_int(c->header, c->natural), 0);
}

static int cap_of(const struct tui_columns_need *c)
{
    if (c->preferred <= 0)
        return want_of(c);
    return min_int(want_of(c), max_int(c->header, CAP_FACTOR * c->preferred));
}

static int floor_of(const struct tui_columns_need *c)
{
    return min_int(cap_of(c), max_int(c->header, FLOOR_CELLS));
}

/* Cuts the widest column by one cell at a time until sum fits avail. */
static void cut_widest(int *widths, size_t n, int sum, int avail)
{
    size_t widest;
    size_t i;

    while (sum > avail) {
        widest = 0;
        for (i = 1; i < n; i++)
            widest = widths[i] > widths[widest] ? i : widest;
        if (widths[widest] <= 0)
            return;
        widths[widest]--;
        sum--;
    }
}

/* Long text: a column whose widest cell is well over its preferred
 * width (a description); it gets the room the others leave. */
static bool is_long(const struct tui_columns_need *c)
{
    return c->preferred > 0 && 2 * want_of(c) > LONG_FACTOR * c->preferred;
}

/* Completes the other columns left to right (the leftmost matter most);
 * returns the cells left. */
static int complete_short(const struct tui_columns_need *need, size_t n,
                          int *widths, int left)
{
    size_t i;
    int give;

    for (i = 0; i < n && left > 0; i++) {
        if (is_long(&need[i]))
            continue;
        give = min_int(max_int(cap_of(&need[i]) - widths[i], 0), left);
        widths[i] += give;
        left -= give;
    }
    return left;
}

/* The width column i may grow to in this round: its cap, or its widest
 * cell. */
static int limit_of(const struct tui_columns_need *c, bool to_cap)
{
    return to_cap ? cap_of(c) : want_of(c);
}

/* Shares left evenly among the columns below their limit; returns the
 * cells left. */
static int share_rest(const struct tui_columns_need *need, size_t n,
                      int *widths, int left, bool to_cap)
{
    size_t i;
    size_t hungry;
    int share;

    while (left > 0) {
        hungry = 0;
        for (i = 0; i < n; i++)
            hungry += widths[i] < limit_of(&need[i], to_cap);
        if (hungry == 0)
            return left;
        share = max_int(left / (int)hungry, 1);
        for (i = 0; i < n && left > 0; i++) {
            int more = min_int(limit_of(&need[i], to_cap) - widths[i], share);

            if (more > 0) {
                widths[i] += more;
                left -= more;
            }
        }
    }
    return 0;
}

void tui_columns_fit(const struct tui_columns_need *need, size_t n, int avail,
                     int gap, int *widths)
{
    int sum = gap * (int)n;
    int left;
    size_t i;

    if (!need || !widths || n == 0)
        return;
    for (i = 0; i < n; i++) {
        widths[i] = floor_of(&need[i]);
        sum += widths[i];
    }
    if (sum > avail) {
        cut_widest(widths, n, sum, avail);
        return;
    }
    left = complete_short(need, n, widths, avail - sum);
    left = share_rest(need, n, widths, left, true);
    share_rest(need, n, widths, left, false);
}
