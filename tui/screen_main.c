/* The main view: the status line, the users and receipts lists with
 * scrolling, and the keys that work on them. */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "core/model.h"
#include "tui/draw.h"
#include "tui/text.h"

#define COLUMNS_MAX 6
#define CELL_BYTES 512
#define WIDTH_SCAN_ROWS 2000
#define LIST_TOP 3
#define SEGMENT_MIN 12

struct column {
    const char *header;
    int cap;
    bool right;
};

static const struct column user_columns[] = {
    {"Name", 32, false}, {"Email", 40, false}, {"Roles", 48, false}};

static const struct column receipt_columns[] = {
    {"Date", 10, false},    {"Description", 48, false}, {"Amount", 12, true},
    {"Currency", 8, false}, {"State", 14, false},       {"User", 28, false}};

static const char *const view_names[] = {"Users", "Receipts"};

static size_t column_count(enum tui_app_view view)
{
    return view == TUI_APP_USERS ? 3 : 6;
}

static const struct column *columns_of(enum tui_app_view view)
{
    return view == TUI_APP_USERS ? user_columns : receipt_columns;
}

static size_t row_count(const struct tui_app *app, enum tui_app_view view)
{
    size_t count = 0;

    if (!app->lists[view].loaded)
        return 0;
    if (view == TUI_APP_USERS)
        core_session_users(app->session, &count);
    else
        core_session_receipts(app->session, &count);
    return count;
}

static const char *user_cell(const struct core_person *p, size_t col, char *buf,
                             size_t size)
{
    if (col == 0)
        return p->name;
    if (col == 1)
        return p->email;
    core_model_roles_join(&p->roles, buf, size);
    return buf;
}

static const char *receipt_cell(const struct core_receipt *r, size_t col)
{
    const char *cells[6] = {r->date,     r->description, r->amount,
                            r->currency, r->state,       r->user_name};

    return cells[col];
}

static const char *cell(const struct tui_app *app, size_t row, size_t col,
                        char *buf, size_t size)
{
    const char *text;
    size_t count = 0;

    if (app->view == TUI_APP_USERS)
        text = user_cell(&core_session_users(app->session, &count)[row], col,
                         buf, size);
    else
        text = receipt_cell(&core_session_receipts(app->session, &count)[row],
                            col);
    return text ? text : "";
}

/* Column widths: the widest cell (capped), shrunk widest-first to fit. */
static void layout(const struct tui_app *app, size_t count, int avail,
                   int *widths)
{
    const struct column *cols = columns_of(app->view);
    size_t n = column_count(app->view);
    char buf[CELL_BYTES];
    size_t r;
    size_t c;
    size_t widest;
    int sum = 0;
    int w;

    for (c = 0; c < n; c++)
        widths[c] = tui_text_width(cols[c].header);
    for (r = 0; r < count && r < WIDTH_SCAN_ROWS; r++) {
        for (c = 0; c < n; c++) {
            w = tui_text_width(cell(app, r, c, buf, sizeof(buf)));
            widths[c] = w > widths[c] ? w : widths[c];
        }
    }
    for (c = 0; c < n; c++) {
        widths[c] = widths[c] > cols[c].cap ? cols[c].cap : widths[c];
        sum += widths[c] + 2;
    }
    while (sum > avail) {
        widest = 0;
        for (c = 1; c < n; c++)
            widest = widths[c] > widths[widest] ? c : widest;
        if (widths[widest] == 0)
            break;
        widths[widest]--;
        sum--;
    }
}

static void draw_row(const struct tui_app *app, int y, const int *widths,
                     size_t row, bool header, enum tui_draw_style style)
{
    const struct column *cols = columns_of(app->view);
    char buf[CELL_BYTES];
    const char *text;
    size_t c;
    int x = 1;

    for (c = 0; c < column_count(app->view); c++) {
        text = header ? cols[c].header : cell(app, row, c, buf, sizeof(buf));
        if (widths[c] > 0 && cols[c].right)
            tui_draw_text_right(y, x, widths[c], text, style);
        else if (widths[c] > 0)
            tui_draw_text(y, x, widths[c], text, style);
        x += widths[c] + 2;
    }
}

/* The rows the message takes at the bottom: wrapped, at most a third of
 * the screen (at least one). */
static int message_lines(const struct tui_app *app)
{
    const char *text = app->message;
    int cols = tui_draw_cols() - 2;
    int max = tui_draw_rows() / 3 > 1 ? tui_draw_rows() / 3 : 1;
    int lines = 0;

    while (*text && lines < max && cols > 0) {
        text += tui_text_wrap(text, cols);
        while (*text == ' ')
            text++;
        lines++;
    }
    return lines > 1 ? lines : 1;
}

static int visible_rows(const struct tui_app *app)
{
    int rows = tui_draw_rows() - LIST_TOP - message_lines(app);

    return rows > 0 ? rows : 0;
}

static void clamp_scroll(const struct tui_app *app, struct tui_app_list *list,
                         size_t count)
{
    size_t visible = (size_t)visible_rows(app);

    if (count == 0) {
        list->selected = 0;
        list->top = 0;
        return;
    }
    if (list->selected >= count)
        list->selected = count - 1;
    if (list->top > list->selected)
        list->top = list->selected;
    if (visible > 0 && list->selected >= list->top + visible)
        list->top = list->selected - visible + 1;
    if (visible == 0)
        list->top = list->selected;
}

static void draw_empty(struct tui_app *app, int cols)
{
    struct tui_app_list *list = &app->lists[app->view];
    const struct core_membership *m;
    char text[TUI_APP_TEXT];
    char roles[128] = "no roles";

    if (app->switch_request) {
        snprintf(text, sizeof(text), "Switching to %s\xe2\x80\xa6",
                 app->switch_name);
        tui_draw_text(LIST_TOP, 1, cols - 1, text, TUI_DRAW_DIM);
    } else if (list->forbidden) {
        m = core_session_active_membership(app->session);
        if (m && m->roles.count)
            core_model_roles_join(&m->roles, roles, sizeof(roles));
        snprintf(text, sizeof(text), "%s are not visible to your role here.",
                 view_names[app->view]);
        tui_draw_text(LIST_TOP, 1, cols - 1, text, TUI_DRAW_ERROR);
        snprintf(text, sizeof(text),
                 "Your roles in %s: %s. Press c to pick another company.",
                 tui_app_company(app), roles);
        tui_draw_text(LIST_TOP + 1, 1, cols - 1, text, TUI_DRAW_NORMAL);
    } else if (list->error[0]) {
        tui_draw_text(LIST_TOP, 1, cols - 1, list->error, TUI_DRAW_ERROR);
        tui_draw_text(LIST_TOP + 1, 1, cols - 1, "Press r to try again.",
                      TUI_DRAW_NORMAL);
    } else if (!list->loaded) {
        snprintf(text, sizeof(text), "Loading %s\xe2\x80\xa6",
                 app->view == TUI_APP_USERS ? "users" : "receipts");
        tui_draw_text(LIST_TOP, 1, cols - 1, text, TUI_DRAW_DIM);
    } else {
        snprintf(text, sizeof(text), "No %s.",
                 app->view == TUI_APP_USERS ? "users" : "receipts");
        tui_draw_text(LIST_TOP, 1, cols - 1, text, TUI_DRAW_DIM);
    }
}

static void draw_list(struct tui_app *app, int cols)
{
    struct tui_app_list *list = &app->lists[app->view];
    size_t count = row_count(app, app->view);
    int widths[COLUMNS_MAX] = {0};
    int visible = visible_rows(app);
    size_t r;

    layout(app, count, cols - 1, widths);
    draw_row(app, LIST_TOP - 1, widths, 0, true, TUI_DRAW_HEADER);
    if (count == 0) {
        draw_empty(app, cols);
        return;
    }
    clamp_scroll(app, list, count);
    for (r = list->top; r < count && (int)(r - list->top) < visible; r++) {
        int y = LIST_TOP + (int)(r - list->top);
        bool selected = r == list->selected;

        if (selected)
            tui_draw_fill(y, 0, cols, TUI_DRAW_SELECTED);
        draw_row(app, y, widths, r, false,
                 selected ? TUI_DRAW_SELECTED : TUI_DRAW_NORMAL);
    }
}

static bool loading(const struct tui_app *app, size_t *progress)
{
    const struct tui_app_list *list = &app->lists[app->view];

    *progress = list->request ? list->progress : 0;
    return app->home_request || app->switch_request || list->request ||
           app->form.request;
}

/* Which status segment gives way first when the line is short: the
 * email, then the roles, then the server; the company, which a user of
 * several companies must always see, last. */
static const size_t give_way[4] = {0, 2, 3, 1};

/* Shrinks widths in give_way order, each to floor before the next one,
 * until sum fits in avail. */
static int shrink_segments(int *widths, int sum, int avail, int floor)
{
    size_t k;
    int cut;

    for (k = 0; k < 4 && sum > avail; k++) {
        cut = widths[give_way[k]] - floor;
        if (cut > sum - avail)
            cut = sum - avail;
        if (cut > 0) {
            widths[give_way[k]] -= cut;
            sum -= cut;
        }
    }
    return sum;
}

/* Draws the segments " a | b | c | d" from x in avail columns. */
static void draw_segments(const char *const *seg, int avail)
{
    int widths[4];
    int sum = 1 + 3 * 3;
    size_t i;
    int x = 1;

    for (i = 0; i < 4; i++) {
        widths[i] = tui_text_width(seg[i]);
        sum += widths[i];
    }
    sum = shrink_segments(widths, sum, avail, SEGMENT_MIN);
    shrink_segments(widths, sum, avail, 1);
    for (i = 0; i < 4 && x < avail; i++) {
        if (i > 0)
            x += tui_draw_text(0, x, avail - x, " | ", TUI_DRAW_STATUS);
        x += tui_draw_text(0, x, widths[i] < avail - x ? widths[i] : avail - x,
                           seg[i], TUI_DRAW_STATUS);
    }
}

static void status_right(const struct tui_app *app, char *right, size_t size)
{
    size_t progress = 0;
    size_t len;

    right[0] = '\0';
    if (core_session_pinned(app->session))
        snprintf(right, size, "pinned ");
    len = strlen(right);
    if (core_session_changed_elsewhere(app->session))
        snprintf(right + len, size - len, "changed elsewhere ");
    len = strlen(right);
    if (loading(app, &progress) && progress)
        snprintf(right + len, size - len, "loading\xe2\x80\xa6 %zu ", progress);
    else if (loading(app, &progress))
        snprintf(right + len, size - len, "loading\xe2\x80\xa6 ");
}

/* The server as host:port (the scheme and a trailing slash dropped). */
static const char *server_label(const char *url, char *buf, size_t size)
{
    size_t len;

    if (!url)
        return "-";
    if (strncmp(url, "https://", 8) == 0)
        url += 8;
    snprintf(buf, size, "%s", url);
    len = strlen(buf);
    while (len > 0 && buf[len - 1] == '/')
        buf[--len] = '\0';
    return buf;
}

static void draw_status(struct tui_app *app, int cols)
{
    const struct core_home *home = core_session_home(app->session);
    const struct core_membership *m;
    const char *seg[4];
    char roles[128] = "no roles";
    char right[TUI_APP_TEXT];
    char server[TUI_APP_TEXT];
    int used = 0;

    m = core_session_active_membership(app->session);
    if (m && m->roles.count)
        core_model_roles_join(&m->roles, roles, sizeof(roles));
    seg[0] = home && home->user_email ? home->user_email
                                      : core_session_email(app->session);
    seg[0] = seg[0] ? seg[0] : "-";
    seg[1] = home ? tui_app_company(app) : "\xe2\x80\xa6";
    seg[2] = home ? roles : "\xe2\x80\xa6";
    seg[3] =
        server_label(core_session_server(app->session), server, sizeof(server));
    status_right(app, right, sizeof(right));
    tui_draw_fill(0, 0, cols, TUI_DRAW_STATUS);
    if (right[0])
        used = tui_draw_text_right(0, cols / 2, cols - cols / 2, right,
                                   TUI_DRAW_STATUS);
    draw_segments(seg, cols - used - (used ? 1 : 0));
}

static void draw_title(struct tui_app *app, int cols)
{
    char text[TUI_APP_TEXT];
    size_t count = row_count(app, app->view);
    int used;

    used = tui_draw_text(1, 1, cols - 1, view_names[app->view], TUI_DRAW_TITLE);
    if (app->lists[app->view].loaded && !app->switch_request) {
        snprintf(text, sizeof(text), "  %zu", count);
        used += tui_draw_text(1, 1 + used, cols - 1 - used, text, TUI_DRAW_DIM);
    }
    if (cols - used > 28)
        tui_draw_text_right(1, cols - 24, 23, "[1] Users  [2] Receipts",
                            TUI_DRAW_DIM);
}

/* The message, wrapped over the bottom rows; its end is cut (with "…")
 * only when it needs more than a third of the screen. */
static void draw_message(const struct tui_app *app, int rows, int cols)
{
    enum tui_draw_style style =
        app->message_error ? TUI_DRAW_ERROR : TUI_DRAW_NORMAL;
    const char *text = app->message;
    int lines = message_lines(app);
    int y = rows - lines;
    size_t n;

    while (*text && y < rows && cols > 2) {
        char line[TUI_APP_LONG_TEXT];

        n = y == rows - 1 ? strlen(text) : tui_text_wrap(text, cols - 2);
        n = n < sizeof(line) ? n : sizeof(line) - 1;
        memcpy(line, text, n);
        line[n] = '\0';
        tui_draw_text(y++, 1, cols - 2, line, style);
        text += n;
        while (*text == ' ')
            text++;
    }
}

void tui_screen_main_draw(struct tui_app *app)
{
    int rows = tui_draw_rows();
    int cols = tui_draw_cols();

    draw_status(app, cols);
    draw_title(app, cols);
    if (rows > LIST_TOP + 1)
        draw_list(app, cols);
    if (rows < 3)
        return;
    if (app->message[0])
        draw_message(app, rows, cols);
    else
        tui_draw_text(rows - 1, 1, cols - 1,
                      "1 users  2 receipts  c company  a account  p pin  "
                      "r refresh  ? help  q quit",
                      TUI_DRAW_DIM);
}

static void show_view(struct tui_app *app, enum tui_app_view view)
{
    struct tui_app_list *list = &app->lists[view];

    app->view = view;
    if (!list->loaded && !list->request)
        tui_app_load_view(app, view);
}

static bool move_key(struct tui_app *app, wint_t ch, bool is_key)
{
    struct tui_app_list *list = &app->lists[app->view];
    size_t count = row_count(app, app->view);
    int shown = visible_rows(app);
    size_t page = shown > 1 ? (size_t)shown - 1 : 1;

    if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k'))
        list->selected = list->selected > 0 ? list->selected - 1 : 0;
    else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j'))
        list->selected++;
    else if (is_key && ch == KEY_PPAGE)
        list->selected = list->selected > page ? list->selected - page : 0;
    else if (is_key && ch == KEY_NPAGE)
        list->selected += page;
    else if ((is_key && ch == KEY_HOME) || (!is_key && ch == 'g'))
        list->selected = 0;
    else if ((is_key && ch == KEY_END) || (!is_key && ch == 'G'))
        list->selected = count ? count - 1 : 0;
    else
        return false;
    clamp_scroll(app, list, count);
    return true;
}

/* Keys the product promises but this version has not built. */
static void not_yet_key(struct tui_app *app, wint_t ch)
{
    if (ch == '/')
        tui_app_not_yet(app, "/ (filter)");
    else if (ch == ':')
        tui_app_not_yet(app, ": (command line)");
    else if (ch == '\r' || ch == '\n')
        tui_app_not_yet(app, "Enter (open the row)");
}

/* p: pin the active company (the session switches the server back when
 * another session moves it), or stop. */
static void toggle_pin(struct tui_app *app)
{
    bool on = !core_session_pinned(app->session);

    core_session_set_pin(app->session, on);
    if (on)
        tui_app_message(app, false,
                        "Pinned to %s: if another session moves the server "
                        "to another company, bezala switches it back.",
                        tui_app_company(app));
    else
        tui_app_message(app, false, "No longer pinned to a company.");
}

static void refresh_all(struct tui_app *app)
{
    app->message[0] = '\0';
    tui_app_load_home(app, true);
}

void tui_screen_main_key(struct tui_app *app, wint_t ch, bool is_key)
{
    if (move_key(app, ch, is_key))
        return;
    if (is_key && ch == KEY_F(5)) {
        refresh_all(app);
        return;
    }
    if (is_key && (ch == KEY_BTAB || ch == KEY_LEFT || ch == KEY_RIGHT)) {
        show_view(app, app->view == TUI_APP_USERS ? TUI_APP_RECEIPTS
                                                  : TUI_APP_USERS);
        return;
    }
    if (is_key && ch == KEY_ENTER) {
        tui_app_not_yet(app, "Enter (open the row)");
        return;
    }
    if (is_key)
        return;
    if (ch == 'q')
        app->quit = true;
    else if (ch == '?')
        app->overlay = TUI_APP_HELP;
    else if (ch == 'c')
        tui_overlay_picker_open(app);
    else if (ch == 'a')
        tui_overlay_accounts_open(app);
    else if (ch == 'p')
        toggle_pin(app);
    else if (ch == 'r')
        refresh_all(app);
    else if (ch == '1')
        show_view(app, TUI_APP_USERS);
    else if (ch == '2')
        show_view(app, TUI_APP_RECEIPTS);
    else if (ch == '\t')
        show_view(app, app->view == TUI_APP_USERS ? TUI_APP_RECEIPTS
                                                  : TUI_APP_USERS);
    else
        not_yet_key(app, ch);
}
