/* The main view's keys and mouse: moving in the list, changing view,
 * sorting, the filter and its matches, the role filter, the detail and
 * the export; the command line runs its commands through them. */
#include "tui/app.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include <curses.h>

#include "tui/message.h"

#define WHEEL_ROWS 3
#define ARROW_UP "\xe2\x96\xb2"
#define ARROW_DOWN "\xe2\x96\xbc"

static struct tui_listview *current_lv(struct tui_app *app)
{
    return &app->lists[app->view].lv;
}

static size_t visible(const struct tui_app *app)
{
    return app->layout.visible;
}

static bool move_key(struct tui_app *app, enum tui_config_act act)
{
    struct tui_listview *lv = current_lv(app);
    size_t shown = visible(app);

    if (act < TUI_CONFIG_ACT_UP || act > TUI_CONFIG_ACT_BOTTOM)
        return false;
    tui_app_order(app);
    if (act == TUI_CONFIG_ACT_UP)
        tui_listview_move(lv, -1, shown);
    else if (act == TUI_CONFIG_ACT_DOWN)
        tui_listview_move(lv, 1, shown);
    else if (act == TUI_CONFIG_ACT_PAGE_UP)
        tui_listview_page(lv, false, shown);
    else if (act == TUI_CONFIG_ACT_PAGE_DOWN)
        tui_listview_page(lv, true, shown);
    else if (act == TUI_CONFIG_ACT_TOP)
        tui_listview_move(lv, LONG_MIN + 1, shown);
    else if (act == TUI_CONFIG_ACT_BOTTOM)
        tui_listview_move(lv, LONG_MAX, shown);
    else
        return false;
    return true;
}

static void cycle_view(struct tui_app *app, int dir)
{
    int next = ((int)app->view + dir + CORE_VIEW_COUNT) % CORE_VIEW_COUNT;

    tui_app_show_view(app, (enum core_view)next);
}

static void open_detail(struct tui_app *app)
{
    tui_app_order(app);
    if (current_lv(app)->n == 0) {
        tui_app_message(app, false, "Nothing to open here.");
        return;
    }
    app->detail.open = true;
    app->detail.top = 0;
}

/* The view in words for a message: its title, lower-case. */
static const char *sort_title(const struct tui_app *app, char *buf, size_t size)
{
    const struct core_view_info *info = core_view_info(app->view);
    const struct tui_listview *lv = &app->lists[app->view].lv;

    if (!info || lv->sort_column >= info->column_count)
        return NULL;
    snprintf(buf, size, "%s %s", info->columns[lv->sort_column].title,
             lv->desc ? ARROW_DOWN : ARROW_UP);
    return buf;
}

static void say_sort(struct tui_app *app)
{
    char buf[128];
    const char *title = sort_title(app, buf, sizeof(buf));

    if (title)
        tui_app_message(app, false, "Sorted by %s.", title);
    else
        tui_app_message(app, false, "In the server's order.");
}

/* s: the next column; S: reverse (the first column, descending, when
 * nothing was sorted yet). */
static void sort_key(struct tui_app *app, bool reverse)
{
    const struct core_view_info *info = core_view_info(app->view);
    struct tui_listview *lv = current_lv(app);

    if (!info)
        return;
    if (!reverse) {
        lv->sort_column = tui_listview_next_sort(lv->sort_column, info->columns,
                                                 info->column_count);
        lv->desc = false;
    } else if (lv->sort_column == SIZE_MAX) {
        lv->sort_column =
            tui_listview_next_sort(SIZE_MAX, info->columns, info->column_count);
        lv->desc = true;
    } else {
        lv->desc = !lv->desc;
    }
    lv->dirty = true;
    say_sort(app);
}

static void step_match(struct tui_app *app, bool forward)
{
    struct tui_app_list *list = &app->lists[app->view];
    char find[32], next[32], prev[32];

    tui_app_order(app);
    if (!list->filter.buf[0] && list->lv.role == 0) {
        tui_app_message(
            app, false,
            "No filter: press %s and type to find rows, then %s and %s "
            "step through them.",
            tui_app_hint(app, TUI_CONFIG_ACT_FILTER, find, sizeof(find)),
            tui_app_hint(app, TUI_CONFIG_ACT_NEXT_MATCH, next, sizeof(next)),
            tui_app_hint(app, TUI_CONFIG_ACT_PREV_MATCH, prev, sizeof(prev)));
        return;
    }
    if (!tui_listview_step(&list->lv, forward, visible(app))) {
        tui_app_message(app, false, "No match.");
        return;
    }
    tui_app_message(app, false, "match %zu of %zu", list->lv.cursor + 1,
                    list->lv.n);
}

static void role_key(struct tui_app *app)
{
    struct tui_listview *lv = &app->lists[CORE_VIEW_USERS].lv;
    char role[32], users[32];

    tui_app_hint(app, TUI_CONFIG_ACT_ROLE_FILTER, role, sizeof(role));
    if (app->view != CORE_VIEW_USERS) {
        tui_app_message(app, false,
                        "%s filters the users by role: press %s for the "
                        "users first.",
                        role,
                        tui_app_hint(app,
                                     TUI_CONFIG_ACT_VIEW_1 + CORE_VIEW_USERS,
                                     users, sizeof(users)));
        return;
    }
    lv->role = (lv->role + 1) % tui_listview_role_count();
    lv->dirty = true;
    lv->cursor = 0;
    lv->top = 0;
    if (lv->role == 0)
        tui_app_message(app, false, "Role filter off: every user.");
    else
        tui_app_message(app, false, "Users with the role %s (%s: next).",
                        tui_listview_role_name(lv->role), role);
}

/* Enter keeps the filter and says how many rows match. */
static void keep_filter(struct tui_app *app)
{
    struct tui_app_list *list = &app->lists[app->view];

    app->prompt = TUI_APP_NO_PROMPT;
    tui_app_order(app);
    if (list->filter.buf[0]) {
        tui_message_matches(app->message, sizeof(app->message), list->lv.n,
                            list->request != 0);
        app->message_error = false;
    }
}

#define FILTER_FULL "The filter is full"

/* Typing into the filter; a full filter says so rather than dropping
 * what is typed without a word, until an edit makes room. */
static void edit_filter(struct tui_app *app, wint_t ch, bool is_key)
{
    struct tui_app_list *list = &app->lists[app->view];
    size_t before = list->filter.len;

    if (!tui_field_key(&list->filter, ch, is_key))
        return;
    if (list->filter.len == before && !is_key && iswprint(ch)) {
        tui_app_message(app, true,
                        FILTER_FULL " (%d bytes): more is not taken.",
                        TUI_FIELD_MAX - 1);
        return;
    }
    if (strncmp(app->message, FILTER_FULL, strlen(FILTER_FULL)) == 0)
        app->message[0] = '\0';
    list->lv.dirty = true;
    list->lv.cursor = 0;
    list->lv.top = 0;
}

static void filter_key(struct tui_app *app, wint_t ch, bool is_key)
{
    struct tui_app_list *list = &app->lists[app->view];

    if (!is_key && ch == 27) {
        tui_field_clear(&list->filter, false);
        app->prompt = TUI_APP_NO_PROMPT;
        list->lv.dirty = true;
        tui_app_message(app, false, "Filter cleared.");
    } else if ((!is_key && (ch == '\r' || ch == '\n')) ||
               (is_key && ch == KEY_ENTER)) {
        keep_filter(app);
    } else if (is_key && (ch == KEY_UP || ch == KEY_DOWN)) {
        move_key(app, ch == KEY_UP ? TUI_CONFIG_ACT_UP : TUI_CONFIG_ACT_DOWN);
    } else {
        edit_filter(app, ch, is_key);
    }
}

static void start_filter(struct tui_app *app)
{
    if (app->detail.open && app->detail.pane == TUI_APP_PANE_FULL)
        tui_detail_close(app);
    app->prompt = TUI_APP_FILTERING;
    app->message[0] = '\0';
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
    if (app->offline)
        app->retry_at_ms = tui_app_now_ms() + TUI_APP_RETRY_MS;
    app->lists[app->view].fresh = false;
    tui_app_load_home(app, true);
}

static void click_bar(struct tui_app *app, int x)
{
    size_t i;

    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        if (app->layout.bar_shown[i] && x >= app->layout.bar_x[i] &&
            x < app->layout.bar_x[i + 1]) {
            tui_app_show_view(app, (enum core_view)i);
            return;
        }
    }
}

static void click(struct tui_app *app, const MEVENT *ev)
{
    struct tui_app_layout *lay = &app->layout;
    struct tui_listview *lv = current_lv(app);
    bool twice;
    size_t at;

    if (ev->y == lay->bar_y) {
        click_bar(app, ev->x);
        return;
    }
    if (ev->x < lay->list_x || ev->x >= lay->list_x + lay->list_w)
        return;
    if (ev->y == lay->header_y && lay->ncols > 0) {
        at = tui_listview_header_hit(ev->x, lay->col_x0, lay->widths,
                                     lay->ncols, 2);
        if (at != SIZE_MAX) {
            tui_listview_sort_by(lv, lay->columns[at]);
            say_sort(app);
        }
        return;
    }
    if (!tui_listview_hit(lv, ev->y, lay->list_y, lay->visible, &at))
        return;
    twice = at == lv->cursor;
    lv->cursor = at;
    tui_listview_clamp(lv, lay->visible);
    if (twice)
        open_detail(app);
}

static void mouse(struct tui_app *app)
{
    MEVENT ev;
    long wheel = 0;

    if (getmouse(&ev) != OK)
        return;
    if (ev.bstate & BUTTON4_PRESSED)
        wheel = -WHEEL_ROWS;
    else if (ev.bstate & BUTTON5_PRESSED)
        wheel = WHEEL_ROWS;
    if (wheel && app->detail.open && app->detail.pane == TUI_APP_PANE_FULL)
        tui_detail_key(app, wheel < 0 ? KEY_UP : KEY_DOWN, true);
    else if (wheel)
        tui_listview_move(current_lv(app), wheel, visible(app));
    else if (ev.bstate & BUTTON1_PRESSED)
        click(app, &ev);
}

/* The detail pane's share of the actions, as the keys it reads. */
static bool detail_act(struct tui_app *app, enum tui_config_act act)
{
    static const struct {
        enum tui_config_act act;
        wint_t ch;
        bool is_key;
    } map[] = {{TUI_CONFIG_ACT_CLOSE, 27, false},
               {TUI_CONFIG_ACT_DETAIL_DOWN, 'J', false},
               {TUI_CONFIG_ACT_DETAIL_UP, 'K', false},
               {TUI_CONFIG_ACT_UP, KEY_UP, true},
               {TUI_CONFIG_ACT_DOWN, KEY_DOWN, true},
               {TUI_CONFIG_ACT_PAGE_UP, KEY_PPAGE, true},
               {TUI_CONFIG_ACT_PAGE_DOWN, KEY_NPAGE, true},
               {TUI_CONFIG_ACT_TOP, KEY_HOME, true},
               {TUI_CONFIG_ACT_BOTTOM, KEY_END, true}};
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (map[i].act == act)
            return tui_detail_key(app, map[i].ch, map[i].is_key);
    }
    return false;
}

static bool view_act(struct tui_app *app, enum tui_config_act act)
{
    if (act >= TUI_CONFIG_ACT_VIEW_1 && act <= TUI_CONFIG_ACT_VIEW_10)
        tui_app_show_view(app, (enum core_view)(act - TUI_CONFIG_ACT_VIEW_1));
    else if (act == TUI_CONFIG_ACT_NEXT_VIEW)
        cycle_view(app, 1);
    else if (act == TUI_CONFIG_ACT_PREV_VIEW)
        cycle_view(app, -1);
    else
        return false;
    return true;
}

static void clear_filter(struct tui_app *app)
{
    struct tui_app_list *list = &app->lists[app->view];

    if (!list->filter.buf[0])
        return;
    tui_field_clear(&list->filter, false);
    list->lv.dirty = true;
    tui_app_message(app, false, "Filter cleared.");
}

static bool list_act(struct tui_app *app, enum tui_config_act act)
{
    if (act == TUI_CONFIG_ACT_FILTER)
        start_filter(app);
    else if (act == TUI_CONFIG_ACT_NEXT_MATCH ||
             act == TUI_CONFIG_ACT_PREV_MATCH)
        step_match(app, act == TUI_CONFIG_ACT_NEXT_MATCH);
    else if (act == TUI_CONFIG_ACT_SORT || act == TUI_CONFIG_ACT_SORT_REVERSE)
        sort_key(app, act == TUI_CONFIG_ACT_SORT_REVERSE);
    else if (act == TUI_CONFIG_ACT_ROLE_FILTER)
        role_key(app);
    else if (act == TUI_CONFIG_ACT_EXPORT)
        tui_export_open(app);
    else if (act == TUI_CONFIG_ACT_OPEN)
        open_detail(app);
    else if (act == TUI_CONFIG_ACT_CLOSE)
        clear_filter(app);
    else
        return false;
    return true;
}

static void other_act(struct tui_app *app, enum tui_config_act act)
{
    if (act == TUI_CONFIG_ACT_QUIT)
        app->quit = true;
    else if (act == TUI_CONFIG_ACT_HELP)
        tui_app_open_help(app);
    else if (act == TUI_CONFIG_ACT_COMPANIES)
        tui_overlay_picker_open(app);
    else if (act == TUI_CONFIG_ACT_ACCOUNTS)
        tui_overlay_accounts_open(app);
    else if (act == TUI_CONFIG_ACT_PIN)
        toggle_pin(app);
    else if (act == TUI_CONFIG_ACT_REFRESH)
        refresh_all(app);
    else if (act == TUI_CONFIG_ACT_COMMAND)
        tui_command_line_open(app);
}

void tui_screen_main_act(struct tui_app *app, enum tui_config_act act)
{
    if (act == TUI_CONFIG_ACT_NONE)
        return;
    if (app->detail.open && detail_act(app, act))
        return;
    if (move_key(app, act) || view_act(app, act) || list_act(app, act))
        return;
    other_act(app, act);
}

void tui_screen_main_filter(struct tui_app *app, const char *text)
{
    struct tui_app_list *list = &app->lists[app->view];

    if (!text || !text[0]) {
        clear_filter(app);
        return;
    }
    start_filter(app);
    tui_field_set(&list->filter, text);
    list->lv.dirty = true;
    list->lv.cursor = 0;
    list->lv.top = 0;
    keep_filter(app);
}

void tui_screen_main_sort(struct tui_app *app, size_t column)
{
    tui_listview_sort_by(current_lv(app), column);
    say_sort(app);
}

void tui_screen_main_key(struct tui_app *app, wint_t ch, bool is_key)
{
    enum tui_config_act act;

    if (app->prompt == TUI_APP_FILTERING) {
        filter_key(app, ch, is_key);
        return;
    }
    if (app->prompt == TUI_APP_COMMAND) {
        tui_command_line_key(app, ch, is_key);
        return;
    }
    if (app->prompt != TUI_APP_NO_PROMPT) {
        tui_export_key(app, ch, is_key);
        return;
    }
    /* A message has been seen once a key follows: the key line comes
     * back (the status line keeps lasting states such as offline). */
    app->message[0] = '\0';
    app->message_error = false;
    if (is_key && ch == KEY_MOUSE) {
        mouse(app);
        return;
    }
    act = tui_app_action(app, TUI_CONFIG_SCOPE_MAIN, ch, is_key);
    tui_screen_main_act(app, act);
}
