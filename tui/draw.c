/* Clipped drawing helpers and the theme's colours (none with NO_COLOR). */
#include "tui/draw.h"

#include <stdlib.h>

#include <curses.h>

#include "tui/config.h"
#include "tui/text.h"

#define LINE_BYTES 4096
#define COLS_MAX 1000

_Static_assert(TUI_DRAW_STATUS == TUI_CONFIG_STATUS + 1 &&
                   TUI_DRAW_FOCUS == TUI_CONFIG_FOCUS + 1,
               "enum tui_draw_style follows enum tui_config_element");

static bool use_colour;
/* Each style's attributes, colour pair included; TUI_DRAW_NORMAL first.
 * Until tui_draw_init, the default theme without colour. */
static attr_t styles[TUI_CONFIG_ELEMENTS + 1] = {
    A_NORMAL, A_REVERSE, A_BOLD,      A_BOLD | A_UNDERLINE, A_REVERSE,
    A_BOLD,   A_DIM,     A_UNDERLINE, A_UNDERLINE | A_BOLD};

static attr_t attrs_of(unsigned bits)
{
    attr_t a = A_NORMAL;

    if (bits & TUI_CONFIG_BOLD)
        a |= A_BOLD;
    if (bits & TUI_CONFIG_UNDERLINE)
        a |= A_UNDERLINE;
    if (bits & TUI_CONFIG_REVERSE)
        a |= A_REVERSE;
    if (bits & TUI_CONFIG_DIM_ATTR)
        a |= A_DIM;
    return a;
}

/* One colour pair per element that has a colour; pair numbers follow the
 * elements. Without default colours, "default" is white on black. */
static attr_t colour_pair(int element, struct tui_config_style s, bool defaults)
{
    short fg = (short)s.fg;
    short bg = (short)s.bg;

    if (s.fg == TUI_CONFIG_COLOUR_DEFAULT && s.bg == TUI_CONFIG_COLOUR_DEFAULT)
        return A_NORMAL;
    if (!defaults && fg < 0)
        fg = COLOR_WHITE;
    if (!defaults && bg < 0)
        bg = COLOR_BLACK;
    if (element + 1 >= COLOR_PAIRS ||
        init_pair((short)(element + 1), fg, bg) != OK)
        return A_NORMAL;
    return COLOR_PAIR(element + 1);
}

void tui_draw_init_theme(const struct tui_config *cfg)
{
    const char *no_colour = getenv("NO_COLOR");
    struct tui_config_style s;
    bool defaults = false;
    int e;

    use_colour = !no_colour && has_colors() && start_color() == OK;
    if (use_colour)
        defaults = use_default_colors() == OK;
    styles[TUI_DRAW_NORMAL] = A_NORMAL;
    for (e = 0; e < TUI_CONFIG_ELEMENTS; e++) {
        s = tui_config_style(cfg, (enum tui_config_element)e, use_colour);
        styles[e + 1] = attrs_of(s.attrs);
        if (use_colour)
            styles[e + 1] |= colour_pair(e, s, defaults);
    }
}

void tui_draw_init(void)
{
    tui_draw_init_theme(NULL);
}

static attr_t style_attr(enum tui_draw_style style)
{
    if ((int)style < 0 || (size_t)style >= sizeof(styles) / sizeof(styles[0]))
        return A_NORMAL;
    return styles[style];
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
