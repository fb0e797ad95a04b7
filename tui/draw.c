/* Clipped drawing helpers and the colour scheme (none with NO_COLOR). */
#include "tui/draw.h"

#include <stdlib.h>

#include <curses.h>

#include "tui/text.h"

#define LINE_BYTES 4096
#define COLS_MAX 1000

enum pair { PAIR_STATUS = 1, PAIR_TITLE, PAIR_ERROR, PAIR_SELECTED };

static bool use_colour;

void tui_draw_init(void)
{
    const char *no_colour = getenv("NO_COLOR");

    use_colour = !no_colour && has_colors() && start_color() == OK;
    if (!use_colour)
        return;
    use_default_colors();
    init_pair(PAIR_STATUS, COLOR_WHITE, COLOR_BLUE);
    init_pair(PAIR_TITLE, COLOR_CYAN, -1);
    init_pair(PAIR_ERROR, COLOR_RED, -1);
    init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
}

static attr_t style_attr(enum tui_draw_style style)
{
    switch (style) {
    case TUI_DRAW_STATUS:
        return use_colour ? COLOR_PAIR(PAIR_STATUS) | A_BOLD : A_REVERSE;
    case TUI_DRAW_TITLE:
        return use_colour ? COLOR_PAIR(PAIR_TITLE) | A_BOLD : A_BOLD;
    case TUI_DRAW_HEADER:
        return A_BOLD | A_UNDERLINE;
    case TUI_DRAW_SELECTED:
        return use_colour ? COLOR_PAIR(PAIR_SELECTED) : A_REVERSE;
    case TUI_DRAW_ERROR:
        return use_colour ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD;
    case TUI_DRAW_DIM:
        return A_DIM;
    case TUI_DRAW_FIELD:
        return A_UNDERLINE;
    case TUI_DRAW_FOCUS:
        return A_UNDERLINE | A_BOLD;
    default:
        return A_NORMAL;
    }
}

int tui_draw_rows(void)
{
    return LINES > 0 ? LINES : 0;
}

int tui_draw_cols(void)
{
    return COLS > 0 ? (COLS > COLS_MAX ? COLS_MAX : COLS) : 0;
}

/* Clips (y, x, cols) to the screen; false when nothing is left. */
static bool clip(int y, int *x, int *cols)
{
    int width = tui_draw_cols();

    if (y < 0 || y >= tui_draw_rows() || *cols <= 0 || *x >= width)
        return false;
    if (*x < 0) {
        *cols += *x;
        *x = 0;
    }
    if (*x + *cols > width)
        *cols = width - *x;
    return *cols > 0;
}

int tui_draw_text(int y, int x, int cols, const char *text,
                  enum tui_draw_style style)
{
    char line[LINE_BYTES];
    int used;

    if (!text || !clip(y, &x, &cols))
        return 0;
    used = tui_text_fit(text, cols, line, sizeof(line));
    attrset(style_attr(style));
    mvaddstr(y, x, line);
    attrset(A_NORMAL);
    return used;
}

int tui_draw_text_right(int y, int x, int cols, const char *text,
                        enum tui_draw_style style)
{
    int width = tui_text_width(text);

    if (width > cols)
        width = cols;
    return tui_draw_text(y, x + cols - width, width, text, style);
}

void tui_draw_fill(int y, int x, int cols, enum tui_draw_style style)
{
    if (!clip(y, &x, &cols))
        return;
    attrset(style_attr(style));
    mvhline(y, x, ' ', cols);
    attrset(A_NORMAL);
}

static void put_corner(int y, int x, chtype ch)
{
    int one = 1;

    if (clip(y, &x, &one))
        mvaddch(y, x, ch);
}

static void draw_border(int y, int x, int rows, int cols)
{
    int i;
    int one;
    int col;

    for (i = 1; i < rows - 1; i++) {
        put_corner(y + i, x, ACS_VLINE);
        put_corner(y + i, x + cols - 1, ACS_VLINE);
    }
    col = x + 1;
    one = cols - 2;
    if (clip(y, &col, &one))
        mvhline(y, col, ACS_HLINE, one);
    col = x + 1;
    one = cols - 2;
    if (clip(y + rows - 1, &col, &one))
        mvhline(y + rows - 1, col, ACS_HLINE, one);
    put_corner(y, x, ACS_ULCORNER);
    put_corner(y, x + cols - 1, ACS_URCORNER);
    put_corner(y + rows - 1, x, ACS_LLCORNER);
    put_corner(y + rows - 1, x + cols - 1, ACS_LRCORNER);
}

void tui_draw_box(int y, int x, int rows, int cols, const char *title)
{
    int i;

    if (rows <= 0 || cols <= 0)
        return;
    for (i = 0; i < rows; i++)
        tui_draw_fill(y + i, x, cols, TUI_DRAW_NORMAL);
    if (rows >= 2 && cols >= 2)
        draw_border(y, x, rows, cols);
    if (title && cols > 4) {
        tui_draw_text(y, x + 2, cols - 4, " ", TUI_DRAW_TITLE);
        i = tui_draw_text(y, x + 3, cols - 6, title, TUI_DRAW_TITLE);
        tui_draw_text(y, x + 3 + i, 1, " ", TUI_DRAW_TITLE);
    }
}
