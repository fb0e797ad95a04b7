/* The main screen's command line: ":" opens it on the bottom row, Tab
 * completes the word at the cursor, Up and Down walk this run's history,
 * and Enter runs the command through the functions the keys call. */
#include "tui/app.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "core/accounts.h"
#include "core/text.h"
#include "tui/command.h"
#include "tui/draw.h"
#include "tui/message.h"
#include "tui/text.h"

_Static_assert(TUI_COMMAND_LINE_MAX == TUI_FIELD_MAX,
               "a command line fits the field it is typed in");

#define LIST_MAX 256
#define ID_BYTES 24
#define COLUMN_MAX 64
#define ELLIPSIS "\xe2\x80\xa6"
#define QUOTE_COLS 40

/* The lists that commands complete and check against; the names are
 * borrowed from the session and the store until lists_free. */
struct lists {
    struct tui_command_lists l;
    const char *companies[LIST_MAX];
    const char *company_ids[LIST_MAX];
    char ids[LIST_MAX][ID_BYTES];
    const char *accounts[LIST_MAX];
    const char *views[CORE_VIEW_COUNT];
    const char *columns[COLUMN_MAX];
    struct core_account *rows;
    size_t row_count;
};

static void add_companies(const struct tui_app *app, struct lists *ls)
{
    const struct core_home *home = core_session_home(app->session);
    size_t i;

    for (i = 0; home && i < home->membership_count && i < LIST_MAX; i++) {
        const struct core_membership *m = &home->memberships[i];

        snprintf(ls->ids[i], ID_BYTES, "%" PRId64, m->company_id);
        ls->companies[i] = m->company_name;
        ls->company_ids[i] = ls->ids[i];
    }
    ls->l.companies = ls->companies;
    ls->l.company_ids = ls->company_ids;
    ls->l.company_count = i;
}

/* The stored accounts; none when the store cannot list them. */
static void add_accounts(const struct tui_app *app, struct lists *ls)
{
    size_t i;

    if (core_accounts_list(app->ctx->data_dir, app->ctx->key_dir, &ls->rows,
                           &ls->row_count) != BASE_OK) {
        ls->rows = NULL;
        ls->row_count = 0;
    }
    for (i = 0; i < ls->row_count && i < LIST_MAX; i++)
        ls->accounts[i] = ls->rows[i].email;
    ls->l.accounts = ls->accounts;
    ls->l.account_count = i;
}

static void add_views(const struct tui_app *app, struct lists *ls)
{
    const struct core_view_info *info = core_view_info(app->view);
    size_t i;
    size_t n = 0;

    for (i = 0; i < CORE_VIEW_COUNT; i++)
        ls->views[i] = core_view_info((enum core_view)i)->name;
    ls->l.views = ls->views;
    ls->l.view_count = CORE_VIEW_COUNT;
    for (i = 0; info && i < info->column_count && n < COLUMN_MAX; i++) {
        if (!info->columns[i].hidden)
            ls->columns[n++] = info->columns[i].key;
    }
    ls->l.columns = ls->columns;
    ls->l.column_count = n;
}

static void lists_fill(const struct tui_app *app, struct lists *ls,
                       bool accounts)
{
    memset(ls, 0, sizeof(*ls));
    add_companies(app, ls);
    add_views(app, ls);
    if (accounts)
        add_accounts(app, ls);
}

static void lists_free(struct lists *ls)
{
    core_accounts_free(&ls->rows, ls->row_count);
    ls->row_count = 0;
}

static void hide(struct tui_app_command *cmd)
{
    cmd->shown = false;
    cmd->note[0] = '\0';
    cmd->current = SIZE_MAX;
}

void tui_command_line_open(struct tui_app *app)
{
    tui_field_clear(&app->command.line, false);
    tui_command_history_reset(&app->command.history);
    hide(&app->command);
    app->prompt = TUI_APP_COMMAND;
    app->message[0] = '\0';
}

static void close_line(struct tui_app *app)
{
    hide(&app->command);
    tui_field_clear(&app->command.line, false);
    app->prompt = TUI_APP_NO_PROMPT;
}

int tui_command_line_rows(const struct tui_app *app)
{
    if (app->prompt != TUI_APP_COMMAND)
        return 0;
    return app->command.shown ? 2 : 1;
}

/* The completions in a row, the last one Tab put in marked, and "…"
 * when not all of them fit. */
static void draw_matches(const struct tui_app_command *cmd, int y, int cols)
{
    const struct tui_command_matches *m = &cmd->matches;
    int x = 1;
    size_t i;

    if (cmd->note[0]) {
        tui_draw_text(y, 1, cols - 2, cmd->note, TUI_DRAW_DIM);
        return;
    }
    for (i = 0; i < m->count; i++) {
        int w = tui_text_width(m->items[i]);
        bool last = i + 1 == m->count && m->total == m->count;

        if (w > cols - 1 - x - (last ? 0 : 2))
            break;
        tui_draw_text(y, x, w, m->items[i],
                      i == cmd->current ? TUI_DRAW_SELECTED : TUI_DRAW_NORMAL);
        x += w + 2;
    }
    if (i < m->count || m->total > m->count)
        tui_draw_text(y, x, 1, ELLIPSIS, TUI_DRAW_DIM);
}

void tui_command_line_draw(struct tui_app *app, int y, int cols)
{
    int used;

    if (app->command.shown && y > 0)
        draw_matches(&app->command, y - 1, cols);
    used = tui_draw_text(y, 1, cols - 1, ":", TUI_DRAW_TITLE);
    app->cursor_x =
        tui_field_draw(&app->command.line, y, 1 + used, cols - used - 2, true);
    app->cursor_y = y;
}

/* Puts text in place of line[start, end); the cursor after it. false
 * when the line would be too long. */
static bool replace(struct tui_field *line, size_t start, size_t end,
                    const char *text)
{
    char buf[TUI_FIELD_MAX];
    size_t n = strlen(text);

    if (end > line->len || start > end ||
        start + n + (line->len - end) >= sizeof(buf))
        return false;
    memcpy(buf, line->buf, start);
    memcpy(buf + start, text, n);
    memcpy(buf + start + n, line->buf + end, line->len - end + 1);
    tui_field_set(line, buf);
    line->cursor = start + n;
    return true;
}

/* Tab again: the next (or previous) completion in place of the last. */
static void cycle(struct tui_app_command *cmd, bool back)
{
    const struct tui_command_matches *m = &cmd->matches;
    size_t next;

    if (cmd->current == SIZE_MAX)
        next = back ? m->count - 1 : 0;
    else
        next = (cmd->current + (back ? m->count - 1 : 1)) % m->count;
    if (!replace(&cmd->line, m->start, cmd->end, m->items[next]))
        return;
    cmd->current = next;
    cmd->end = m->start + strlen(m->items[next]);
}

static void say_no_match(struct tui_app_command *cmd)
{
    const struct tui_command_matches *m = &cmd->matches;
    char typed[TUI_FIELD_MAX];
    char cut[QUOTE_COLS * 4 + 8];

    snprintf(typed, sizeof(typed), "%.*s", (int)(m->end - m->start),
             cmd->line.buf + m->start);
    tui_text_fit(typed, QUOTE_COLS, cut, sizeof(cut));
    if (!m->argument)
        snprintf(cmd->note, sizeof(cmd->note), "No command starts with '%s'.",
                 cut);
    else if (typed[0])
        snprintf(cmd->note, sizeof(cmd->note), "Nothing here starts with '%s'.",
                 cut);
    else
        snprintf(cmd->note, sizeof(cmd->note), "Nothing to complete here.");
    cmd->shown = true;
}

/* One completion: it and a space. Several: their common prefix, and the
 * list above the prompt for Tab to cycle through. */
static void complete(struct tui_app *app, bool back)
{
    struct tui_app_command *cmd = &app->command;
    struct tui_command_matches *m = &cmd->matches;
    const char *items[TUI_COMMAND_MATCHES_MAX];
    char text[TUI_FIELD_MAX];
    struct lists ls;
    enum base_status status;
    size_t i;

    if (cmd->shown && !cmd->note[0] && m->count > 1) {
        cycle(cmd, back);
        return;
    }
    lists_fill(app, &ls, true);
    status = tui_command_complete(cmd->line.buf, cmd->line.cursor, &ls.l, m);
    lists_free(&ls);
    if (status != BASE_OK)
        return;
    if (m->count == 0) {
        say_no_match(cmd);
        return;
    }
    if (m->count == 1) {
        snprintf(text, sizeof(text), "%s", m->items[0]);
        tui_text_append(text, sizeof(text), " ");
        replace(&cmd->line, m->start, m->end, text);
        return;
    }
    for (i = 0; i < m->count; i++)
        items[i] = m->items[i];
    snprintf(text, sizeof(text), "%.*s",
             (int)tui_command_common_prefix(items, m->count), m->items[0]);
    if (replace(&cmd->line, m->start, m->end, text))
        cmd->end = m->start + strlen(text);
    else
        cmd->end = m->end;
    cmd->current = SIZE_MAX;
    cmd->shown = true;
}

static void walk(struct tui_app_command *cmd, int dir)
{
    const char *line =
        tui_command_history_step(&cmd->history, dir, cmd->line.buf);

    if (line)
        tui_field_set(&cmd->line, line);
}

/* switch COMPANY: found as `bezala switch` finds it, switched as the
 * picker switches. */
static void run_switch(struct tui_app *app, const char *query)
{
    enum base_status status;
    int64_t id = 0;

    status = core_session_find_company(app->session, query, &id);
    if (status == BASE_OK)
        tui_overlay_picker_switch(app, id);
    else if (status == BASE_E_AMBIGUOUS)
        tui_app_message(app, true, "%s: give the id or more of the name.",
                        core_session_last_error(app->session));
    else
        tui_app_message(app, true, "Cannot switch: %s.",
                        core_session_last_error(app->session));
}

/* The stored account for query: its email whole (any case; on the
 * session's server first), else the one account whose email holds it.
 * NULL with a message when none or several do. */
static const struct core_account *
find_account(struct tui_app *app, const struct lists *ls, const char *query)
{
    const struct core_account *found = NULL;
    const char *server = core_session_server(app->session);
    char names[TUI_APP_TEXT] = "";
    size_t hits = 0;
    size_t i;

    for (i = 0; i < ls->row_count; i++) {
        const struct core_account *a = &ls->rows[i];

        if (core_text_equal_fold(a->email, query) &&
            (!found || (server && strcmp(a->server, server) == 0)))
            found = a;
    }
    if (found)
        return found;
    for (i = 0; i < ls->row_count; i++) {
        if (!core_text_contains_fold(ls->rows[i].email, query))
            continue;
        tui_text_append(names, sizeof(names), hits++ ? ", " : "");
        tui_text_append(names, sizeof(names), ls->rows[i].email);
        if (hits == 1)
            found = &ls->rows[i];
    }
    if (hits > 1) {
        tui_app_message(app, true, "'%s' matches several accounts: %s.", query,
                        names);
        return NULL;
    }
    if (!found)
        tui_app_message(app, true,
                        "No stored account matches '%s': Tab lists them.",
                        query);
    return found;
}

/* account EMAIL: switched as the account switcher switches. */
static void run_account(struct tui_app *app, const char *query)
{
    const struct core_account *a;
    char server[TUI_APP_TEXT];
    char email[TUI_APP_TEXT];
    struct lists ls;

    lists_fill(app, &ls, true);
    a = find_account(app, &ls, query);
    if (a) {
        snprintf(server, sizeof(server), "%s", a->server);
        snprintf(email, sizeof(email), "%s", a->email);
    }
    lists_free(&ls);
    if (a)
        tui_overlay_accounts_switch(app, server, email);
}

/* sort COLUMN: a shown column by its key or title, as a click on its
 * header sorts; sort alone is the sort key. */
static void run_sort(struct tui_app *app, const char *name)
{
    const struct core_view_info *info = core_view_info(app->view);
    size_t i;

    if (!name[0]) {
        tui_screen_main_act(app, TUI_CONFIG_ACT_SORT);
        return;
    }
    for (i = 0; info && i < info->column_count; i++) {
        const struct core_column *c = &info->columns[i];

        if (!c->hidden && (core_text_equal_fold(c->key, name) ||
                           core_text_equal_fold(c->title, name))) {
            tui_screen_main_sort(app, i);
            return;
        }
    }
    tui_app_message(app, true, "%s has no column '%s': Tab lists them.",
                    info ? info->title : "This view", name);
}

/* export FILE: the export key's prompt with the file name filled in. */
static void run_export(struct tui_app *app, const char *file)
{
    tui_screen_main_act(app, TUI_CONFIG_ACT_EXPORT);
    if (file[0] && app->prompt == TUI_APP_EXPORT_NAME)
        tui_field_set(&app->export_name, file);
}

static void run_command(struct tui_app *app, const struct tui_command *c)
{
    enum core_view view;

    switch (c->kind) {
    case TUI_COMMAND_EMPTY:
        break;
    case TUI_COMMAND_SWITCH:
        run_switch(app, c->arg);
        break;
    case TUI_COMMAND_ACCOUNT:
        run_account(app, c->arg);
        break;
    case TUI_COMMAND_VIEW:
        if (core_view_by_name(c->arg, &view))
            tui_app_show_view(app, view);
        break;
    case TUI_COMMAND_EXPORT:
        run_export(app, c->arg);
        break;
    case TUI_COMMAND_FILTER:
        tui_screen_main_filter(app, c->arg);
        break;
    case TUI_COMMAND_SORT:
        run_sort(app, c->arg);
        break;
    case TUI_COMMAND_ACTION:
        tui_screen_main_act(app, (enum tui_config_act)c->act);
        break;
    }
}

static void run(struct tui_app *app, const char *line)
{
    struct tui_command c;
    char why[TUI_APP_TEXT];
    struct lists ls;
    enum base_status status;

    lists_fill(app, &ls, false);
    status = tui_command_parse(line, &ls.l, &c, why, sizeof(why));
    lists_free(&ls);
    if (status != BASE_OK) {
        tui_app_message(app, true, "%s", why);
        return;
    }
    run_command(app, &c);
}

void tui_command_line_key(struct tui_app *app, wint_t ch, bool is_key)
{
    struct tui_app_command *cmd = &app->command;
    bool tab = (!is_key && ch == '\t') || (is_key && ch == KEY_BTAB);
    char line[TUI_FIELD_MAX];

    if (!tab)
        hide(cmd);
    if (!is_key && ch == 27) {
        close_line(app);
    } else if ((!is_key && (ch == '\r' || ch == '\n')) ||
               (is_key && ch == KEY_ENTER)) {
        snprintf(line, sizeof(line), "%s", cmd->line.buf);
        tui_command_history_add(&cmd->history, line);
        close_line(app);
        run(app, line);
    } else if (tab) {
        complete(app, is_key);
    } else if (is_key && (ch == KEY_UP || ch == KEY_DOWN)) {
        walk(cmd, ch == KEY_UP ? -1 : 1);
    } else if (cmd->line.len == 0 && ((is_key && ch == KEY_BACKSPACE) ||
                                      (!is_key && (ch == 127 || ch == 8)))) {
        close_line(app);
    } else {
        tui_field_key(&cmd->line, ch, is_key);
    }
}
