/* The main view's drawing: the status line, the bar of views, the
 * current view's title, header and rows, the detail pane and the bottom
 * line (message, prompt or key hints). */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "core/model.h"
#include "tui/columns.h"
#include "tui/draw.h"
#include "tui/text.h"

#define BAR_Y 1
#define TITLE_Y 2
#define HEADER_Y 3
#define CELL_BYTES 1024
#define WIDTH_SCAN_ROWS 3000
#define SEGMENT_MIN 12
#define BESIDE_MIN_COLS 110
#define BESIDE_MIN_WIDTH 40
#define BELOW_MIN_ROWS 16
#define ARROW_UP "\xe2\x96\xb2"
#define ARROW_DOWN "\xe2\x96\xbc"
#define ELLIPSIS "\xe2\x80\xa6"

/* What an empty list says, by view: never a bare blank. */
static const char *const empty_text[CORE_VIEW_COUNT] = {
    [CORE_VIEW_RECEIPTS] = "Nothing here: no receipts you can see.",
    [CORE_VIEW_TRIPS] = "Nothing here: no trips you can see.",
    [CORE_VIEW_ALLOWANCES] = "Nothing here: no daily allowances you can see.",
    [CORE_VIEW_REWARDS] = "Nothing here: no rewards you can see.",
    [CORE_VIEW_APPROVALS] = "Nothing waits for your approval.",
    [CORE_VIEW_ARCHIVE] = "Nothing here: no accounted batches you can see.",
    [CORE_VIEW_USERS] = "Nothing here: no users you can see.",
    [CORE_VIEW_LEDGER_ACCOUNTS] = "Nothing here: no ledger accounts.",
    [CORE_VIEW_COST_CENTERS] = "Nothing here: no cost centers.",
    [CORE_VIEW_BATCHES] = "Nothing here: no batch documents you can see.",
    [CORE_VIEW_COMPANY] = "Nothing here: the server sent no company details.",
};

const char *tui_app_cell_text(const struct core_column *column,
                              const char *cell, char *buf, size_t size)
{
    size_t out = 0;

    if (!cell)
        return "";
    /* A line break or tab in a cell is a space on the list's one line. */
    if (column->kind != CORE_CELL_LIST)
        return tui_text_one_line(cell, buf, size);
    for (; *cell && out + 3 < size; cell++) {
        if (*cell == '\n') {
            buf[out++] = ',';
            buf[out++] = ' ';
        } else {
            buf[out++] = *cell == '\r' || *cell == '\t' ? ' ' : *cell;
        }
    }
    buf[out] = '\0';
    return buf;
}

/* Whether the lists may show rows now: not during a switch and only the
 * rows of the company the session is on. */
static bool rows_shown(const struct tui_app *app)
{
    return !app->switch_request &&
           app->company == core_session_company_id(app->session);
}

void tui_app_order(struct tui_app *app)
{
    struct tui_app_list *list = &app->lists[app->view];
    const struct core_table *table = core_session_view(app->session, app->view);
    size_t role_column = SIZE_MAX;
    enum base_status status;

    if (!table || (!list->lv.dirty && list->lv.built_count == table->count))
        return;
    if (app->view != CORE_VIEW_USERS ||
        !core_view_column_by_key(app->view, "roles", &role_column))
        role_column = SIZE_MAX;
    status =
        tui_listview_rebuild(&list->lv, table, list->filter.buf, role_column);
    if (status != BASE_OK)
        tui_app_message(app, true, "Could not order the rows: %s.",
                        base_status_message(status));
}

/* The view's shown columns (not hidden), at most TUI_APP_COLUMNS_MAX. */
static size_t shown_columns(const struct core_view_info *info, size_t *cols)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < info->column_count && n < TUI_APP_COLUMNS_MAX; i++) {
        if (!info->columns[i].hidden)
            cols[n++] = i;
    }
    return n;
}

/* The widest cell of each shown column among the first WIDTH_SCAN_ROWS
 * rows. Rows that arrive after those already measured are measured
 * alone, so that a long list costs nothing once the sample is full. */
static void find_natural(struct tui_app_list *list,
                         const struct core_view_info *info,
                         const struct core_table *table, const size_t *cols,
                         size_t n)
{
    char buf[CELL_BYTES];
    size_t r = list->natural_count;
    size_t i;
    int w;

    if (list->natural_count == table->count)
        return;
    if (r > table->count) {
        r = 0;
        for (i = 0; i < n; i++)
            list->natural[i] = 0;
    }
    for (; r < table->count && r < WIDTH_SCAN_ROWS; r++) {
        for (i = 0; i < n; i++) {
            const struct core_column *c = &info->columns[cols[i]];

            w = tui_text_width(tui_app_cell_text(
                c, table->rows[r].cells[cols[i]], buf, sizeof(buf)));
            list->natural[i] = w > list->natural[i] ? w : list->natural[i];
        }
    }
    list->natural_count = table->count;
}

static int header_width(const struct tui_app_list *list,
                        const struct core_view_info *info, size_t column)
{
    int w = tui_text_width(info->columns[column].title);

    return list->lv.sort_column == column ? w + 2 : w;
}

/* Widths: short columns whole when there is room, long text the rest
 * (tui_columns_fit). */
static void fit_widths(struct tui_app *app, const struct core_view_info *info,
                       int avail)
{
    struct tui_app_list *list = &app->lists[app->view];
    struct tui_app_layout *lay = &app->layout;
    struct tui_columns_need need[TUI_APP_COLUMNS_MAX];
    size_t i;

    for (i = 0; i < lay->ncols; i++) {
        need[i].header = header_width(list, info, lay->columns[i]);
        need[i].natural = list->natural[i];
        need[i].preferred = info->columns[lay->columns[i]].width;
    }
    tui_columns_fit(need, lay->ncols, avail, 2, lay->widths);
}

static bool right_aligned(const struct core_column *c)
{
    return c->kind == CORE_CELL_ID || c->kind == CORE_CELL_NUMBER ||
           c->kind == CORE_CELL_AMOUNT;
}

static void draw_cell(int y, int x, int w, const struct core_column *c,
                      const char *text, enum tui_draw_style style)
{
    if (w <= 0)
        return;
    if (right_aligned(c))
        tui_draw_text_right(y, x, w, text, style);
    else
        tui_draw_text(y, x, w, text, style);
}

static void draw_header(struct tui_app *app, const struct core_view_info *info,
                        int y, int x)
{
    const struct tui_listview *lv = &app->lists[app->view].lv;
    const struct tui_app_layout *lay = &app->layout;
    char text[CELL_BYTES];
    size_t i;

    for (i = 0; i < lay->ncols; i++) {
        const struct core_column *c = &info->columns[lay->columns[i]];

        if (lv->sort_column == lay->columns[i])
            snprintf(text, sizeof(text), "%s %s", c->title,
                     lv->desc ? ARROW_DOWN : ARROW_UP);
        else
            snprintf(text, sizeof(text), "%s", c->title);
        draw_cell(y, x, lay->widths[i], c, text, TUI_DRAW_HEADER);
        x += lay->widths[i] + 2;
    }
}

static void draw_row(struct tui_app *app, const struct core_view_info *info,
                     const struct core_row *row, int y, int x,
                     enum tui_draw_style style)
{
    const struct tui_app_layout *lay = &app->layout;
    char buf[CELL_BYTES];
    size_t i;

    for (i = 0; i < lay->ncols; i++) {
        const struct core_column *c = &info->columns[lay->columns[i]];

        draw_cell(
            y, x, lay->widths[i], c,
            tui_app_cell_text(c, row->cells[lay->columns[i]], buf, sizeof(buf)),
            style);
        x += lay->widths[i] + 2;
    }
}

static void roles_text(const struct tui_app *app, char *buf, size_t size)
{
    const struct core_membership *m =
        core_session_active_membership(app->session);

    snprintf(buf, size, "no roles");
    if (m && m->roles.count)
        core_model_roles_join(&m->roles, buf, size);
}

/* Why the list shows no rows: role, switch, error, loading, empty. */
static const char *empty_reason(struct tui_app *app,
                                const struct core_view_info *info, char *buf,
                                size_t size, enum tui_draw_style *style)
{
    const struct tui_app_list *list = &app->lists[app->view];
    const struct core_table *t = core_session_view(app->session, app->view);
    struct core_view_state st;
    char k[32];

    core_session_view_state(app->session, app->view, &st);
    *style = TUI_DRAW_DIM;
    if (app->switch_request) {
        snprintf(buf, size, "Switching to %s" ELLIPSIS, app->switch_name);
    } else if (t && t->count > 0 && rows_shown(app) && list->filter.buf[0]) {
        snprintf(buf, size,
                 "Nothing matches \xe2\x80\x9c%s\xe2\x80\x9d: "
                 "Esc in the filter (%s) clears it.",
                 list->filter.buf,
                 tui_app_hint(app, TUI_CONFIG_ACT_FILTER, k, sizeof(k)));
    } else if (t && t->count > 0 && rows_shown(app)) {
        snprintf(buf, size, "Nobody here has the role %s: %s shows the next.",
                 tui_listview_role_name(list->lv.role),
                 tui_app_hint(app, TUI_CONFIG_ACT_ROLE_FILTER, k, sizeof(k)));
    } else if (list->error[0] && !list->request) {
        *style = TUI_DRAW_ERROR;
        snprintf(buf, size, "%s Press %s to try again.", list->error,
                 tui_app_hint(app, TUI_CONFIG_ACT_REFRESH, k, sizeof(k)));
    } else if (list->request || app->home_request || !list->asked) {
        snprintf(buf, size, "Loading %s" ELLIPSIS, info->title);
    } else if (st.complete) {
        snprintf(buf, size, "%s", empty_text[app->view]);
    } else if (app->offline) {
        snprintf(buf, size,
                 "Offline, and nothing of %s is cached yet. "
                 "%s tries the server again.",
                 info->title,
                 tui_app_hint(app, TUI_CONFIG_ACT_REFRESH, k, sizeof(k)));
    } else {
        snprintf(buf, size, "Nothing loaded yet: press %s.",
                 tui_app_hint(app, TUI_CONFIG_ACT_REFRESH, k, sizeof(k)));
    }
    return buf;
}

/* The role explanation: 403/404 from the server, or a role that may not
 * use the view at all. */
static bool draw_denied(struct tui_app *app, const struct core_view_info *info,
                        int y, int cols)
{
    const struct tui_app_list *list = &app->lists[app->view];
    char text[TUI_APP_LONG_TEXT];
    char roles[128];
    char keys[32];

    if (app->switch_request)
        return false;
    if (tui_app_access(app, app->view) == CORE_ACCESS_NO)
        snprintf(text, sizeof(text),
                 "Not visible to your role here: %s needs %s.", info->title,
                 info->needs ? info->needs : "another role");
    else if (list->forbidden)
        snprintf(text, sizeof(text),
                 "Not visible to your role here: the server does not show "
                 "%s to you in this company.",
                 info->title);
    else
        return false;
    roles_text(app, roles, sizeof(roles));
    tui_draw_text(y, 1, cols - 1, text, TUI_DRAW_ERROR);
    snprintf(text, sizeof(text),
             "Your roles in %s: %s. Press %s to pick another company.",
             tui_app_company(app), roles,
             tui_app_hint(app, TUI_CONFIG_ACT_COMPANIES, keys, sizeof(keys)));
    tui_draw_text(y + 1, 1, cols - 1, text, TUI_DRAW_NORMAL);
    return true;
}

static void draw_rows(struct tui_app *app, const struct core_view_info *info,
                      const struct core_table *table, int y, int x, int cols)
{
    struct tui_listview *lv = &app->lists[app->view].lv;
    size_t visible = app->layout.visible;
    size_t i;

    tui_listview_clamp(lv, visible);
    for (i = lv->top; i < lv->n && i - lv->top < visible; i++) {
        int row_y = y + (int)(i - lv->top);
        bool selected = i == lv->cursor;

        if (lv->order[i] >= table->count)
            continue;
        if (selected)
            tui_draw_fill(row_y, x, cols, TUI_DRAW_SELECTED);
        draw_row(app, info, &table->rows[lv->order[i]], row_y, x + 1,
                 selected ? TUI_DRAW_SELECTED : TUI_DRAW_NORMAL);
    }
}

/* The list in rows lines from y (the first is the header). */
static void draw_list(struct tui_app *app, int y, int x, int rows, int cols)
{
    const struct core_view_info *info = core_view_info(app->view);
    const struct core_table *table = core_session_view(app->session, app->view);
    struct tui_app_layout *lay = &app->layout;
    struct tui_app_list *list = &app->lists[app->view];
    enum tui_draw_style style;
    char text[TUI_APP_LONG_TEXT];

    lay->header_y = y;
    lay->list_y = y + 1;
    lay->col_x0 = x + 1;
    lay->list_x = x;
    lay->list_w = cols;
    lay->visible = rows > 1 ? (size_t)(rows - 1) : 0;
    lay->ncols = 0;
    if (!info || draw_denied(app, info, y, cols))
        return;
    lay->ncols = shown_columns(info, lay->columns);
    if (table && rows_shown(app)) {
        tui_app_order(app);
        find_natural(list, info, table, lay->columns, lay->ncols);
    }
    fit_widths(app, info, cols - 1);
    draw_header(app, info, y, x + 1);
    if (table && rows_shown(app) && list->lv.n > 0) {
        draw_rows(app, info, table, y + 1, x, cols);
        return;
    }
    empty_reason(app, info, text, sizeof(text), &style);
    tui_draw_text(y + 1, x + 1, cols - 1, text, style);
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

/* How old the current view's rows are, in words: "cached 5 min ago"
 * when they came from the store, "loaded 2 min ago" when the server sent
 * them earlier in this run; false when neither is known. */
static bool rows_age(const struct tui_app *app, char *buf, size_t size)
{
    const struct tui_app_list *list = &app->lists[app->view];
    struct core_view_state st;
    char age[48];

    core_session_view_state(app->session, app->view, &st);
    if (st.from_cache && st.saved_at > 0) {
        tui_listview_age((int64_t)time(NULL), st.saved_at, age, sizeof(age));
        snprintf(buf, size, "cached %s", age);
    } else if (list->loaded_at > 0) {
        tui_listview_age((int64_t)time(NULL), list->loaded_at, age,
                         sizeof(age));
        snprintf(buf, size, "loaded %s", age);
    } else {
        return false;
    }
    return true;
}

/* The age of what is shown: the view's rows, else the cached home. */
static bool shown_age(const struct tui_app *app, char *buf, size_t size)
{
    char age[48];

    if (rows_shown(app) && rows_age(app, buf, size))
        return true;
    if (!app->home_cached || app->home_saved_at <= 0)
        return false;
    tui_listview_age((int64_t)time(NULL), app->home_saved_at, age, sizeof(age));
    snprintf(buf, size, "cached %s", age);
    return true;
}

static void append(char *out, size_t size, const char *text)
{
    tui_text_append(out, size, text);
}

static void status_right(const struct tui_app *app, char *right, size_t size)
{
    const struct tui_app_list *list = &app->lists[app->view];
    struct core_view_state st;
    char part[96];
    char age[64];

    core_session_view_state(app->session, app->view, &st);
    right[0] = '\0';
    if (core_session_pinned(app->session))
        append(right, size, "pinned ");
    if (core_session_changed_elsewhere(app->session))
        append(right, size, "changed elsewhere ");
    if (app->offline) {
        if (shown_age(app, age, sizeof(age)))
            snprintf(part, sizeof(part), "offline \xc2\xb7 %s ", age);
        else
            snprintf(part, sizeof(part), "offline ");
        append(right, size, part);
    }
    /* Requests held for the re-login form wait for it, not the server. */
    if (app->overlay == TUI_APP_RELOGIN && !app->form.request)
        return;
    if (list->request && list->progress) {
        snprintf(part, sizeof(part), "loading" ELLIPSIS " %zu rows ",
                 list->progress);
        append(right, size, part);
    } else if (list->request || app->home_request || app->switch_request ||
               app->form.request) {
        append(right, size, "loading" ELLIPSIS " ");
    } else if (st.decoding) {
        /* The cached list is still being read on idle ticks. */
        append(right, size, "reading cache" ELLIPSIS " ");
    }
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
    const char *seg[4];
    char roles[128];
    char right[TUI_APP_TEXT];
    char server[TUI_APP_TEXT];
    int used = 0;

    roles_text(app, roles, sizeof(roles));
    seg[0] = home && home->user_email ? home->user_email
                                      : core_session_email(app->session);
    seg[0] = seg[0] ? seg[0] : "-";
    seg[1] = home ? tui_app_company(app) : ELLIPSIS;
    seg[2] = home ? roles : ELLIPSIS;
    seg[3] =
        server_label(core_session_server(app->session), server, sizeof(server));
    status_right(app, right, sizeof(right));
    tui_draw_fill(0, 0, cols, TUI_DRAW_STATUS);
    if (right[0])
        used = tui_draw_text_right(0, cols / 2, cols - cols / 2, right,
                                   TUI_DRAW_STATUS);
    draw_segments(seg, cols - used - (used ? 1 : 0));
}

/* "1 Receipts": the number key that shows a view, when it has one. */
static void bar_label(enum core_view view, char *buf, size_t size)
{
    const struct core_view_info *info = core_view_info(view);
    const char *title = info ? info->title : "?";

    if (view < 9)
        snprintf(buf, size, "%d %s", (int)view + 1, title);
    else if (view == 9)
        snprintf(buf, size, "0 %s", title);
    else
        snprintf(buf, size, "%s", title);
}

/* The first view drawn so that the current one fits in cols. */
static size_t bar_start(enum core_view current, int cols)
{
    char label[96];
    size_t start = 0;
    size_t i;
    int w;

    for (;;) {
        w = start > 0 ? 2 : 0;
        for (i = start; i <= (size_t)current; i++) {
            bar_label((enum core_view)i, label, sizeof(label));
            w += tui_text_width(label) + 2;
        }
        if (w <= cols - 2 || start >= (size_t)current)
            return start;
        start++;
    }
}

static enum tui_draw_style bar_style(struct tui_app *app, size_t i)
{
    if (i == (size_t)app->view)
        return TUI_DRAW_SELECTED;
    /* Dim what the role may not use, and what the server refused (403)
     * in this company. */
    if (tui_app_access(app, (enum core_view)i) == CORE_ACCESS_NO ||
        app->lists[i].forbidden)
        return TUI_DRAW_DIM;
    return TUI_DRAW_NORMAL;
}

#define MARKER_COLS 2

static void draw_bar(struct tui_app *app, int cols)
{
    struct tui_app_layout *lay = &app->layout;
    size_t start = bar_start(app->view, cols);
    char label[96];
    size_t i;
    int x = 1;

    lay->bar_y = BAR_Y;
    memset(lay->bar_shown, 0, sizeof(lay->bar_shown));
    if (start > 0)
        x += tui_draw_text(BAR_Y, x, cols - x, "\xe2\x80\xb9 ", TUI_DRAW_DIM);
    for (i = start; i < CORE_VIEW_COUNT && x < cols - 1; i++) {
        bar_label((enum core_view)i, label, sizeof(label));
        lay->bar_x[i] = x;
        /* Room for the label, and for the marker when views follow. */
        if (tui_text_width(label) + 1 +
                (i + 1 < CORE_VIEW_COUNT ? MARKER_COLS : 0) >
            cols - x)
            break;
        x += tui_draw_text(BAR_Y, x, cols - x, label, bar_style(app, i));
        lay->bar_x[i + 1] = x;
        lay->bar_shown[i] = true;
        x += 2;
    }
    /* More views to the right: say so. */
    if (i < CORE_VIEW_COUNT)
        tui_draw_text(BAR_Y, cols - MARKER_COLS, MARKER_COLS, " \xe2\x80\xba",
                      TUI_DRAW_DIM);
}

/* The filter as the title shows it: at most a third of the screen (at
 * least 20 columns), cut with "…". */
#define TITLE_FILTER_MIN 20

static void title_extras(struct tui_app *app, char *buf, size_t size)
{
    const struct tui_app_list *list = &app->lists[app->view];
    char part[TUI_APP_LONG_TEXT];
    char filter[TUI_APP_TEXT];
    int filter_cols = tui_draw_cols() / 3;
    char age[64];
    struct core_view_state st;

    core_session_view_state(app->session, app->view, &st);
    buf[0] = '\0';
    if (list->filter.buf[0] || app->prompt == TUI_APP_FILTERING) {
        tui_text_fit(list->filter.buf,
                     filter_cols > TITLE_FILTER_MIN ? filter_cols
                                                    : TITLE_FILTER_MIN,
                     filter, sizeof(filter));
        snprintf(part, sizeof(part), "  filter \xe2\x80\x9c%s\xe2\x80\x9d",
                 filter);
        append(buf, size, part);
    }
    if (app->view == CORE_VIEW_USERS && list->lv.role > 0) {
        snprintf(part, sizeof(part), "  role %s",
                 tui_listview_role_name(list->lv.role));
        append(buf, size, part);
    }
    /* Cached rows always say so; rows loaded in this run only once the
     * server went away. */
    if (rows_shown(app) && (st.from_cache || app->offline) &&
        rows_age(app, age, sizeof(age))) {
        snprintf(part, sizeof(part), "  %s", age);
        append(buf, size, part);
    }
}

static void draw_title(struct tui_app *app, int cols)
{
    const struct core_view_info *info = core_view_info(app->view);
    const struct core_table *t = core_session_view(app->session, app->view);
    const struct tui_app_list *list = &app->lists[app->view];
    char text[TUI_APP_LONG_TEXT];
    int used;

    if (!info)
        return;
    used = tui_draw_text(TITLE_Y, 1, cols - 1, info->title, TUI_DRAW_TITLE);
    text[0] = '\0';
    if (t && rows_shown(app) && (t->count > 0 || list->fresh)) {
        if (list->lv.n != t->count && !list->lv.dirty)
            snprintf(text, sizeof(text), "  %zu of %zu", list->lv.n, t->count);
        else
            snprintf(text, sizeof(text), "  %zu", t->count);
    }
    title_extras(app, text + strlen(text), sizeof(text) - strlen(text));
    tui_draw_text(TITLE_Y, 1 + used, cols - 1 - used, text, TUI_DRAW_DIM);
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

/* The message, wrapped over rows from y; its end is cut (with "…") only
 * when it needs more than a third of the screen. */
static void draw_message(const struct tui_app *app, int y, int end, int cols)
{
    enum tui_draw_style style =
        app->message_error ? TUI_DRAW_ERROR : TUI_DRAW_NORMAL;
    const char *text = app->message;
    size_t n;

    while (*text && y < end && cols > 2) {
        char line[TUI_APP_LONG_TEXT];

        n = y == end - 1 ? strlen(text) : tui_text_wrap(text, cols - 2);
        n = n < sizeof(line) ? n : sizeof(line) - 1;
        memcpy(line, text, n);
        line[n] = '\0';
        tui_draw_text(y++, 1, cols - 2, line, style);
        text += n;
        while (*text == ' ')
            text++;
    }
}

static void draw_filter_prompt(struct tui_app *app, int y, int cols)
{
    struct tui_app_list *list = &app->lists[app->view];
    char key[32];
    int used = tui_draw_text(y, 1, cols - 1,
                             tui_config_hint(tui_app_config(app),
                                             TUI_CONFIG_ACT_FILTER, 1, key,
                                             sizeof(key)),
                             TUI_DRAW_TITLE);

    app->cursor_x =
        tui_field_draw(&list->filter, y, 1 + used + 1, cols - used - 3, true);
    app->cursor_y = y;
}

/* The bottom line's keys: each action's first key, as bound. */
static const char *key_line(const struct tui_app *app, char *buf, size_t size)
{
    static const struct {
        enum tui_config_act act;
        const char *what;
    } items[] = {{TUI_CONFIG_ACT_OPEN, "open"},
                 {TUI_CONFIG_ACT_FILTER, "filter"},
                 {TUI_CONFIG_ACT_SORT, "sort"},
                 {TUI_CONFIG_ACT_EXPORT, "export"},
                 {TUI_CONFIG_ACT_NONE, "views"},
                 {TUI_CONFIG_ACT_COMPANIES, "company"},
                 {TUI_CONFIG_ACT_ACCOUNTS, "account"},
                 {TUI_CONFIG_ACT_REFRESH, "refresh"},
                 {TUI_CONFIG_ACT_HELP, "help"},
                 {TUI_CONFIG_ACT_QUIT, "quit"},
                 {TUI_CONFIG_ACT_COMMAND, "command"}};
    const struct tui_config *cfg = tui_app_config(app);
    char a[160], b[32], c[32], d[32], e[32];
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        if (items[i].act != TUI_CONFIG_ACT_NONE)
            tui_config_hint(cfg, items[i].act, 1, a, sizeof(a));
        else
            snprintf(
                a, sizeof(a), "%s-%s %s %s",
                tui_config_hint(cfg, TUI_CONFIG_ACT_VIEW_1, 1, b, sizeof(b)),
                tui_config_hint(cfg, TUI_CONFIG_ACT_VIEW_10, 1, c, sizeof(c)),
                tui_config_hint(cfg, TUI_CONFIG_ACT_PREV_VIEW, 1, d, sizeof(d)),
                tui_config_hint(cfg, TUI_CONFIG_ACT_NEXT_VIEW, 1, e,
                                sizeof(e)));
        if (!a[0])
            continue;
        tui_text_append(buf, size, buf[0] ? "  " : "");
        tui_text_append(buf, size, a);
        tui_text_append(buf, size, " ");
        tui_text_append(buf, size, items[i].what);
    }
    return buf;
}

/* The rows a prompt takes: the command line's completions have one of
 * their own above it. */
static int prompt_lines(const struct tui_app *app)
{
    if (app->prompt == TUI_APP_COMMAND)
        return tui_command_line_rows(app);
    return app->prompt != TUI_APP_NO_PROMPT ? 1 : 0;
}

/* The bottom rows [y, rows): the message over the prompt, or the key
 * hints. Each row is cleared first, so that nothing drawn before on a
 * tiny screen shows through. */
static void draw_bottom(struct tui_app *app, int y, int rows, int cols)
{
    int msg = app->message[0] ? message_lines(app) : 0;
    int prompt = prompt_lines(app);
    char line[TUI_APP_TEXT];
    int i;

    for (i = y; i < rows; i++)
        tui_draw_fill(i, 0, cols, TUI_DRAW_NORMAL);
    if (msg && rows - prompt > y)
        draw_message(app, y, rows - prompt, cols);
    if (app->prompt == TUI_APP_FILTERING)
        draw_filter_prompt(app, rows - 1, cols);
    else if (app->prompt == TUI_APP_COMMAND)
        tui_command_line_draw(app, rows - 1, cols);
    else if (prompt)
        tui_export_draw(app, rows - 1, cols);
    else if (!msg)
        tui_draw_text(rows - 1, 1, cols - 1, key_line(app, line, sizeof(line)),
                      TUI_DRAW_DIM);
}

static int bottom_lines(const struct tui_app *app)
{
    int lines = (app->message[0] ? message_lines(app) : 0) + prompt_lines(app);

    return lines > 0 ? lines : 1;
}

/* The list and, when open, the detail: beside it on a wide screen, below
 * it on a tall one, else over it. */
static void draw_body(struct tui_app *app, int end, int cols)
{
    int height = end - HEADER_Y;
    int dw;

    app->layout.visible = 0;
    app->layout.ncols = 0;
    if (!app->detail.open || !rows_shown(app)) {
        draw_list(app, HEADER_Y, 0, height, cols);
        return;
    }
    if (cols >= BESIDE_MIN_COLS) {
        dw = cols * 2 / 5 > BESIDE_MIN_WIDTH ? cols * 2 / 5 : BESIDE_MIN_WIDTH;
        app->detail.pane = TUI_APP_PANE_BESIDE;
        draw_list(app, HEADER_Y, 0, height, cols - dw);
        tui_detail_draw(app, HEADER_Y, cols - dw, height, dw);
    } else if (height >= BELOW_MIN_ROWS) {
        app->detail.pane = TUI_APP_PANE_BELOW;
        draw_list(app, HEADER_Y, 0, height / 2, cols);
        tui_detail_draw(app, HEADER_Y + height / 2, 0, height - height / 2,
                        cols);
    } else {
        app->detail.pane = TUI_APP_PANE_FULL;
        tui_app_order(app);
        tui_detail_draw(app, TITLE_Y, 0, end - TITLE_Y, cols);
    }
}

/* From the top: the status line, the bar, the title and the body, each
 * only above the bottom rows; on a tiny screen the bottom rows (message,
 * prompt, hints) win over the bar and the title, and row 0 always stays
 * the status line. */
void tui_screen_main_draw(struct tui_app *app)
{
    int rows = tui_draw_rows();
    int cols = tui_draw_cols();
    int end = rows - bottom_lines(app);

    if (app->company != core_session_company_id(app->session)) {
        tui_app_forget_views(app);
        tui_app_show_view(app, app->view);
    }
    end = end < 1 ? 1 : end;
    draw_status(app, cols);
    if (BAR_Y < end)
        draw_bar(app, cols);
    if (TITLE_Y < end)
        draw_title(app, cols);
    app->layout.visible = 0;
    if (end > HEADER_Y + 1)
        draw_body(app, end, cols);
    if (rows > 1)
        draw_bottom(app, end, rows, cols);
}
