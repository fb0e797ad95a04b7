/* Drawing on the curses screen with every write clipped to the window,
 * so that no size (even 1x1) can make a draw fail or wrap. */
#ifndef BEZALA_TUI_DRAW_H
#define BEZALA_TUI_DRAW_H

#include <stdbool.h>

enum tui_draw_style {
    TUI_DRAW_NORMAL,
    TUI_DRAW_STATUS,   /* the status line */
    TUI_DRAW_TITLE,    /* view and box titles */
    TUI_DRAW_HEADER,   /* column headers */
    TUI_DRAW_SELECTED, /* the selected row */
    TUI_DRAW_ERROR,    /* errors and warnings */
    TUI_DRAW_DIM,      /* hints */
    TUI_DRAW_FIELD,    /* an input field */
    TUI_DRAW_FOCUS     /* the focused input field */
};

struct tui_config;

/* Sets up colour pairs unless NO_COLOR is set (to anything) or the
 * terminal has none; then only bold, underline and reverse are used. */
void tui_draw_init(void);

/* As tui_draw_init, with the theme and [colors] of cfg (NULL for the
 * default theme). The styles are copied: cfg may go afterwards. */
void tui_draw_init_theme(const struct tui_config *cfg);

/* The screen size, never below 0. */
int tui_draw_rows(void);
int tui_draw_cols(void);

/* Writes text (made safe, fitted with "…") at row y from column x within
 * at most cols columns, clipped to the screen. Returns the columns
 * written. */
int tui_draw_text(int y, int x, int cols, const char *text,
                  enum tui_draw_style style);

/* As tui_draw_text, right-aligned so that it ends at column x + cols. */
int tui_draw_text_right(int y, int x, int cols, const char *text,
                        enum tui_draw_style style);

/* Fills cols columns of row y from x with spaces in style. */
void tui_draw_fill(int y, int x, int cols, enum tui_draw_style style);

/* A cleared box with a border and a title in its top edge, clipped. */
void tui_draw_box(int y, int x, int rows, int cols, const char *title);

#endif
