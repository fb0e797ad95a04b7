/* Column widths for the UI's lists: short columns are shown whole when
 * there is room, long text columns get the rest, and one very long cell
 * cannot take the whole screen. */
#ifndef BEZALA_TUI_COLUMNS_H
#define BEZALA_TUI_COLUMNS_H

#include <stddef.h>

/* What one column asks for, in terminal cells. */
struct tui_columns_need {
    int header;    /* the header's width (at least this when there is room) */
    int natural;   /* the widest cell */
    int preferred; /* core_column's width; 0 when none */
};

/* Writes into widths[0..n) the widths of n columns, gap cells apart
 * (gap after each column), that fit in avail cells:
 * - each column wants its widest cell or header; a column whose widest
 *   cell is over 3/2 of its preferred width is long text;
 * - every column first gets a floor (its want up to the larger of its
 *   header and 12 cells);
 * - then the other columns are completed left to right, so that names,
 *   addresses, states and currencies are whole when they can be;
 * - the room left goes to the long text, shared evenly, first up to
 *   twice its preferred width (so that one very long cell does not take
 *   everything from another long column), then up to its widest cell.
 * When even the floors do not fit, the widest column is cut first until
 * they do (down to 0). Does nothing for NULL need or widths. */
void tui_columns_fit(const struct tui_columns_need *need, size_t n, int avail,
                     int gap, int *widths);

#endif
