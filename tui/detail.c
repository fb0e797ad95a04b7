/* The detail pane: the label and value lines core builds for the
 * selected row (for a user, core adds what each role allows here),
 * wrapped into a box and scrolled. Everything drawn goes through the
 * sanitising text layer. */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "tui/draw.h"
#include "tui/text.h"

#define LABEL_MAX 24
#define PIECES_MAX 400
#define PIECE_BYTES 1024

/* Where the pane writes, and which of its lines are shown. */
struct pane {
    int y;
    int x;
    int rows;
    int cols;
    int label_w;
    size_t line; /* lines laid out so far */
    size_t top;
};

void tui_detail_close(struct tui_app *app)
{
    core_view_detail_free(&app->detail.lines);
    app->detail.open = false;
    app->detail.top = 0;
    app->detail.item = NULL;
}

static const struct core_row *selected_row(struct tui_app *app, size_t *index)
{
    const struct core_table *table = core_session_view(app->session, app->view);
    size_t row;

    tui_app_order(app);
    if (!table || !tui_listview_selected(&app->lists[app->view].lv, &row) ||
        row >= table->count)
        return NULL;
    *index = row;
    return &table->rows[row];
}

/* What tells the row's lines from another's at the same place: its item
 * where it keeps one, else its packed allocation (its item is then kept
 * by the table). */
static const char *row_key(const struct core_row *row)
{
    return row->item ? row->item : (const char *)row->cells;
}

/* Builds the lines for the selected row unless they are built already. */
static const struct core_row *ensure(struct tui_app *app)
{
    struct tui_app_detail *d = &app->detail;
    const struct core_row *row;
    enum base_status status;
    size_t index = 0;

    row = selected_row(app, &index);
    if (!row) {
        core_view_detail_free(&d->lines);
        return NULL;
    }
    if (d->lines && d->view == app->view && d->row == index &&
        d->item == row_key(row))
        return row;
    core_view_detail_free(&d->lines);
    status = core_view_detail(core_session_view(app->session, app->view), row,
                              &d->lines);
    if (status != BASE_OK) {
        tui_app_message(app, true, "Could not show this row: %s.",
                        base_status_message(status));
        return NULL;
    }
    d->view = app->view;
    d->row = index;
    d->item = row_key(row);
    d->top = 0;
    return row;
}

static void put(struct pane *p, int x, int cols, const char *text,
                enum tui_draw_style style)
{
    if (p->line >= p->top && p->line < p->top + (size_t)p->rows)
        tui_draw_text(p->y + (int)(p->line - p->top), x, cols, text, style);
}

/* One value wrapped into the value column; '\n' starts a new line. */
static void put_value(struct pane *p, const char *value, bool first)
{
    int vx = p->x + p->label_w + 1;
    int vw = p->cols - p->label_w - 1;
    char piece[PIECE_BYTES];
    size_t pieces = 0;
    size_t n;

    if (vw < 1) {
        vx = p->x;
        vw = p->cols;
    }
    while (pieces++ < PIECES_MAX && (first || *value)) {
        const char *nl = strchr(value, '\n');
        size_t para = nl ? (size_t)(nl - value) : strlen(value);

        n = para ? tui_text_wrap(value, vw) : 0;
        n = n > para ? para : n;
        n = n < sizeof(piece) ? n : sizeof(piece) - 1;
        memcpy(piece, value, n);
        piece[n] = '\0';
        put(p, vx, vw, piece, TUI_DRAW_NORMAL);
        p->line++;
        first = false;
        value += n;
        while (*value == ' ')
            value++;
        if (*value == '\n' && n == para)
            value++;
    }
}

static void put_entry(struct pane *p, const char *label, const char *value)
{
    label = label ? label : "";
    if (!value || !*value) {
        if (p->line > 0)
            p->line++;
        put(p, p->x, p->cols, label, TUI_DRAW_TITLE);
        p->line++;
        return;
    }
    if (*label)
        put(p, p->x, p->label_w, label, TUI_DRAW_DIM);
    put_value(p, value, true);
}

static int label_width(const struct core_detail *lines, int cols)
{
    int w = 4;
    size_t i;

    for (i = 0; lines && i < lines->count; i++) {
        int lw = tui_text_width(lines->lines[i].label);

        if (lines->lines[i].value && *lines->lines[i].value && lw > w)
            w = lw;
    }
    w = w > LABEL_MAX ? LABEL_MAX : w;
    return w > cols / 3 ? cols / 3 : w;
}

static void lay_out(struct tui_app *app, struct pane *p)
{
    const struct core_detail *lines = app->detail.lines;
    size_t i;

    for (i = 0; lines && i < lines->count; i++)
        put_entry(p, lines->lines[i].label, lines->lines[i].value);
}

static void clamp_top(struct tui_app_detail *d)
{
    size_t last = d->total > d->page ? d->total - d->page : 0;

    if (d->top > last)
        d->top = last;
}

void tui_detail_draw(struct tui_app *app, int y, int x, int rows, int cols)
{
    struct tui_app_detail *d = &app->detail;
    const struct core_row *row = ensure(app);
    struct pane p = {.y = y + 1,
                     .x = x + 2,
                     .rows = rows - 2,
                     .cols = cols - 4,
                     .top = d->top};

    tui_draw_box(y, x, rows, cols, "Detail");
    if (p.rows <= 0 || p.cols <= 0)
        return;
    if (!row || !d->lines) {
        tui_draw_text(p.y, p.x, p.cols, "Nothing selected.", TUI_DRAW_DIM);
        return;
    }
    p.label_w = label_width(d->lines, p.cols);
    lay_out(app, &p);
    d->total = p.line;
    d->page = (size_t)p.rows;
    clamp_top(d);
    if (rows > 2 && cols > 8)
        tui_draw_text(y + rows - 1, x + 2, cols - 4,
                      d->pane == TUI_APP_PANE_FULL
                          ? " Esc close  \xe2\x86\x91\xe2\x86\x93 PgUp PgDn "
                            "scroll "
                          : " Esc close  J K scroll ",
                      TUI_DRAW_DIM);
}

static void scroll_by(struct tui_app_detail *d, long delta)
{
    if (delta < 0)
        d->top = d->top > (size_t)-delta ? d->top - (size_t)-delta : 0;
    else
        d->top += (size_t)delta;
    clamp_top(d);
}

bool tui_detail_key(struct tui_app *app, wint_t ch, bool is_key)
{
    struct tui_app_detail *d = &app->detail;
    long page = d->page > 1 ? (long)d->page - 1 : 1;
    bool full = d->pane == TUI_APP_PANE_FULL;

    if (!is_key && ch == 27)
        tui_detail_close(app);
    else if (!is_key && ch == 'J')
        scroll_by(d, 1);
    else if (!is_key && ch == 'K')
        scroll_by(d, -1);
    else if (!full)
        return false;
    else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k'))
        scroll_by(d, -1);
    else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j'))
        scroll_by(d, 1);
    else if (is_key && (ch == KEY_PPAGE || ch == KEY_NPAGE))
        scroll_by(d, ch == KEY_PPAGE ? -page : page);
    else if ((is_key && ch == KEY_HOME) || (!is_key && ch == 'g'))
        d->top = 0;
    else if ((is_key && ch == KEY_END) || (!is_key && ch == 'G'))
        scroll_by(d, (long)d->total);
    else
        return false;
    return true;
}
