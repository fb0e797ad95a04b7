/* Overlays over the main view: the key help (wrapped to the screen,
 * scrolled with the arrows, with a paragraph on the command line) and
 * the company picker with type-to-filter. */
#include "tui/app.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "core/model.h"
#include "core/text.h"
#include "tui/command.h"
#include "tui/draw.h"
#include "tui/message.h"
#include "tui/text.h"

#define PICKER_MAX 256
/* Rows the picker keeps before it gives up its blank lines. */
#define PICKER_MIN_ROWS 3

/* Every action of the main screen: its actions (their keys are read
 * from the bindings in force), fixed keys beside them, what they do. */
#define HELP_ACTS 4
#define HELP_KEY_BYTES 80
#define NO_ACT TUI_CONFIG_ACT_NONE
#define ACTS1(a)                                   \
    {                                              \
        TUI_CONFIG_ACT_##a, NO_ACT, NO_ACT, NO_ACT \
    }
#define ACTS2(a, b)                                            \
    {                                                          \
        TUI_CONFIG_ACT_##a, TUI_CONFIG_ACT_##b, NO_ACT, NO_ACT \
    }

struct help_entry {
    enum tui_config_act acts[HELP_ACTS];
    const char *extra; /* fixed keys after the bound ones, or "" */
    const char *text;  /* NULL: the forms' paragraph; COMMANDS: the
                          command line's paragraph */
};

static const char COMMANDS[] = "";

static const struct help_entry help_entries[] = {
    {ACTS2(VIEW_1, VIEW_10), "", "change view (the bar at the top)"},
    {ACTS2(PREV_VIEW, NEXT_VIEW), "", "the previous, the next view"},
    {{TUI_CONFIG_ACT_UP, TUI_CONFIG_ACT_DOWN, TUI_CONFIG_ACT_PAGE_UP,
      TUI_CONFIG_ACT_PAGE_DOWN},
     "",
     "move"},
    {ACTS2(TOP, BOTTOM), "", "first, last row"},
    {ACTS1(OPEN), ", click", "open the row's detail"},
    {ACTS1(CLOSE), "", "close the detail; clear the filter"},
    {ACTS2(DETAIL_UP, DETAIL_DOWN), "", "scroll the detail"},
    {ACTS1(FILTER), "", "filter as you type; Enter keeps it, Esc clears it"},
    {ACTS2(NEXT_MATCH, PREV_MATCH), "", "next, previous match"},
    {ACTS2(SORT, SORT_REVERSE), "", "sort by the next column, reverse"},
    {ACTS1(ROLE_FILTER), "", "users: filter by role"},
    {ACTS1(EXPORT), "", "export the list as shown to CSV"},
    {ACTS1(COMPANIES), "", "switch company (type to filter)"},
    {ACTS1(ACCOUNTS), "", "switch account, or add one"},
    {ACTS1(PIN), "",
     "pin the company: switch the server back when another "
     "session moves it"},
    {ACTS1(REFRESH), "", "refresh from the server"},
    {ACTS1(COMMAND), "",
     "command line: Tab completes, Up Down its history, Enter runs, Esc "
     "closes"},
    {{NO_ACT, NO_ACT, NO_ACT, NO_ACT},
     "Mouse",
     "wheel scrolls; click a header sorts"},
    {ACTS1(REDRAW), "", "redraw the screen"},
    {ACTS1(HELP), "", "this help"},
    {ACTS1(QUIT), "", "quit"},
    {{NO_ACT, NO_ACT, NO_ACT, NO_ACT}, "", ""},
    {{NO_ACT, NO_ACT, NO_ACT, NO_ACT}, "In forms", NULL},
    {{NO_ACT, NO_ACT, NO_ACT, NO_ACT}, "", ""},
    {{NO_ACT, NO_ACT, NO_ACT, NO_ACT}, "Commands", COMMANDS},
    {{NO_ACT, NO_ACT, NO_ACT, NO_ACT}, "", ""},
    {{NO_ACT, NO_ACT, NO_ACT, NO_ACT},
     "",
     "Up Down PgUp PgDn scroll this help; any other key closes it."},
};

#define HELP_ENTRIES (sizeof(help_entries) / sizeof(help_entries[0]))

/* The help's text with the keys filled in. */
struct help_text {
    char keys[HELP_ENTRIES][HELP_KEY_BYTES];
    bool left_out[HELP_ENTRIES]; /* no use on this screen */
    char forms[TUI_APP_LONG_TEXT];
    char commands[TUI_APP_LONG_TEXT];
};

/* The keys of entry e: each action's first keys, then the fixed ones
 * (a click only with the mouse on). */
static void help_keys(const struct tui_app *app, const struct help_entry *e,
                      char *buf, size_t size)
{
    bool mouse = tui_config_mouse(tui_app_config(app));
    char one[32];
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < HELP_ACTS && e->acts[i] != NO_ACT; i++) {
        tui_config_hint(tui_app_config(app), e->acts[i], 3, one, sizeof(one));
        /* C-l reads Ctrl-L here, which [keys] takes as well. */
        if (strncmp(one, "C-", 2) == 0 && one[2] && one[3] == '\0')
            snprintf(one, sizeof(one), "Ctrl-%c",
                     (char)toupper((unsigned char)one[2]));
        if (!one[0])
            snprintf(one, sizeof(one), "(%s: no key)",
                     tui_config_act_name(e->acts[i]));
        /* The views run from the first to the tenth: "1-0". */
        tui_text_append(buf, size,
                        !i                                    ? ""
                        : e->acts[0] == TUI_CONFIG_ACT_VIEW_1 ? "-"
                                                              : " ");
        tui_text_append(buf, size, one);
    }
    if (mouse || !strstr(e->extra, "click"))
        tui_text_append(buf, size, e->extra);
}

/* Whether entry e does anything on this screen: on the sign-in and
 * unlock screens only the forms' keys, Ctrl-L and the closing line; the
 * mouse line only with the mouse on, the role filter only in the users
 * view. */
static bool help_applies(const struct tui_app *app, const struct help_entry *e)
{
    if (app->screen != TUI_APP_MAIN)
        return e->acts[0] == TUI_CONFIG_ACT_REDRAW || !e->text ||
               (e->acts[0] == NO_ACT && !e->extra[0] && e->text[0]);
    if (e->acts[0] == NO_ACT && strcmp(e->extra, "Mouse") == 0)
        return tui_config_mouse(tui_app_config(app));
    if (e->acts[0] == TUI_CONFIG_ACT_ROLE_FILTER)
        return app->view == CORE_VIEW_USERS;
    return true;
}

/* The forms' keys, for the screen the help is opened on: the unlock
 * screen has one field; the sign-in screen quits with cancel, where the
 * re-login form (seen from the main screen's help) closes. */
static void help_forms(const struct tui_app *app, char *buf, size_t size)
{
    const struct tui_config *cfg = tui_app_config(app);
    char k[7][32];
    size_t len;

    tui_config_hint(cfg, TUI_CONFIG_ACT_FORM_NEXT, 2, k[0], sizeof(k[0]));
    tui_config_hint(cfg, TUI_CONFIG_ACT_FORM_PREV, 2, k[1], sizeof(k[1]));
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_SUBMIT, k[2], sizeof(k[2]));
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_CANCEL, k[3], sizeof(k[3]));
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_METHOD, k[4], sizeof(k[4]));
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_ACCOUNTS, k[5], sizeof(k[5]));
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_HELP, k[6], sizeof(k[6]));
    if (app->screen == TUI_APP_UNLOCK) {
        snprintf(buf, size,
                 "Left, Right, Home, End move in the passphrase; Backspace, "
                 "Delete erase; %s unlocks; %s quits; %s shows this help.",
                 k[2], k[3], k[6]);
        return;
    }
    snprintf(buf, size,
             "%s and %s move between fields; Left, Right, Home, End move in "
             "a field; Backspace, Delete erase; %s signs in; %s %s. %s, or "
             "Left and Right on Method, picks Password, Google, Microsoft or "
             "Okta; %s opens the account switcher; %s shows this help.",
             k[0], k[1], k[2], k[3],
             app->screen == TUI_APP_SIGNIN ? "quits (or goes back)"
                                           : "closes the re-login form",
             k[4], k[5], k[6]);
    len = strlen(buf);
    if (app->ctx->demo && app->screen == TUI_APP_SIGNIN)
        snprintf(buf + len, size - len,
                 " With the email empty, 1-9 and 0 fill the form with a demo "
                 "account.");
}

/* The command line's commands (tui_command_help), then the rest. */
static void help_commands(char *buf, size_t size)
{
    const char *usage;
    size_t i;

    buf[0] = '\0';
    for (i = 0; tui_command_help(i, &usage, NULL); i++) {
        tui_text_append(buf, size, i ? "; " : "");
        tui_text_append(buf, size, usage);
    }
    tui_text_append(buf, size,
                    ". A view's name shows it too (trips), and every other "
                    "action of the keys runs by its name in [keys] (pin, "
                    "open\xe2\x80\xa6). Tab completes.");
}

static void help_fill(const struct tui_app *app, struct help_text *t)
{
    size_t i;

    for (i = 0; i < HELP_ENTRIES; i++) {
        help_keys(app, &help_entries[i], t->keys[i], sizeof(t->keys[i]));
        t->left_out[i] = !help_applies(app, &help_entries[i]);
    }
    help_forms(app, t->forms, sizeof(t->forms));
    help_commands(t->commands, sizeof(t->commands));
}

#define HELP_KEYS_COLS 26 /* the keys column on a wide enough box */
#define HELP_TEXT_MIN 24  /* narrower text goes under its keys */
#define HELP_MAX_COLS 100

/* One screen line of the help: keys (or NULL) and a piece of text. */
struct help_line {
    const char *keys;
    const char *text;
    size_t len;
};

/* Wraps text into lines of cols columns from lines[n] on (at most max);
 * returns the new count. */
static size_t wrap_into(struct help_line *lines, size_t n, size_t max,
                        const char *keys, const char *text, int cols)
{
    size_t len;

    keys = keys && *keys ? keys : NULL;
    do {
        len = tui_text_wrap(text, cols);
        if (n < max)
            lines[n++] = (struct help_line){keys, text, len};
        keys = NULL;
        text += len;
        while (*text == ' ')
            text++;
    } while (*text);
    return n;
}

/* The help as screen lines for a box of inner width w; returns how many.
 * When the text column would be too narrow, the keys get a line of
 * their own. */
static size_t help_layout(const struct help_text *t, struct help_line *lines,
                          size_t max, int w, int *key_cols)
{
    size_t n = 0;
    size_t i;

    *key_cols = w - HELP_KEYS_COLS >= HELP_TEXT_MIN ? HELP_KEYS_COLS : 0;
    for (i = 0; i < HELP_ENTRIES; i++) {
        const char *keys = t->keys[i];
        const char *text =
            help_entries[i].text ? help_entries[i].text : t->forms;

        text = text == COMMANDS ? t->commands : text;
        if (t->left_out[i])
            continue;
        if (!*keys && !*text) {
            if (n < max)
                lines[n++] = (struct help_line){NULL, "", 0};
        } else if (*key_cols || !*keys) {
            n = wrap_into(lines, n, max, keys, text,
                          w - *key_cols > 0 ? w - *key_cols : 1);
        } else {
            if (n < max)
                lines[n++] = (struct help_line){keys, "", 0};
            n = wrap_into(lines, n, max, NULL, text, w > 2 ? w - 2 : 1);
        }
    }
    return n;
}

static void help_line_draw(const struct help_line *l, int y, int x, int w,
                           int key_cols)
{
    char piece[TUI_APP_LONG_TEXT];
    size_t len = l->len < sizeof(piece) ? l->len : sizeof(piece) - 1;

    memcpy(piece, l->text, len);
    piece[len] = '\0';
    if (!key_cols && l->keys) {
        tui_draw_text(y, x, w, l->keys, TUI_DRAW_TITLE);
        return;
    }
    if (l->keys)
        tui_draw_text(y, x, key_cols - 1, l->keys, TUI_DRAW_TITLE);
    key_cols = key_cols ? key_cols : 2;
    tui_draw_text(y, x + key_cols, w - key_cols, piece, TUI_DRAW_NORMAL);
}

/* The box's size and place on this screen. */
static void help_box(int *y, int *x, int *h, int *w, size_t lines)
{
    int rows = tui_draw_rows();
    int cols = tui_draw_cols();

    *h = (int)lines + 4 < rows ? (int)lines + 4 : rows;
    *w = cols - 2 < HELP_MAX_COLS ? cols - 2 : HELP_MAX_COLS;
    /* A narrow screen is the box's whole: nothing peeks out beside it. */
    if (cols < 40)
        *w = cols;
    *y = (rows - *h) / 2 > 0 ? (rows - *h) / 2 : 0;
    *x = (cols - *w) / 2;
}

void tui_overlay_help_draw(struct tui_app *app)
{
    struct help_line lines[HELP_ENTRIES * 8];
    struct help_text text;
    size_t count;
    size_t shown;
    size_t i;
    int key_cols;
    int y, x, h, w;

    help_fill(app, &text);
    help_box(&y, &x, &h, &w, HELP_ENTRIES);
    count = help_layout(&text, lines, sizeof(lines) / sizeof(lines[0]), w - 4,
                        &key_cols);
    help_box(&y, &x, &h, &w, count);
    shown = h - 3 > 0 ? (size_t)(h - 3) : 0;
    if (app->help_top + shown > count)
        app->help_top = count > shown ? count - shown : 0;
    app->help_page = shown;
    tui_draw_box(y, x, h, w, "Keys");
    /* Only the lines inside the box: the rest is reached by scrolling. */
    for (i = 0; i < shown && app->help_top + i < count; i++)
        help_line_draw(&lines[app->help_top + i], y + 2 + (int)i, x + 2, w - 4,
                       key_cols);
    if (w < 16)
        return;
    if (app->help_top > 0)
        tui_draw_text(y, x + w - 10, 8, " \xe2\x86\x91 more ", TUI_DRAW_DIM);
    if (app->help_top + shown < count)
        tui_draw_text(y + h - 1, x + w - 10, 8, " \xe2\x86\x93 more ",
                      TUI_DRAW_DIM);
}

void tui_overlay_help_key(struct tui_app *app, wint_t ch, bool is_key)
{
    size_t page = app->help_page > 1 ? app->help_page - 1 : 1;

    if (is_key && ch == KEY_UP)
        app->help_top = app->help_top > 0 ? app->help_top - 1 : 0;
    else if (is_key && ch == KEY_DOWN)
        app->help_top++;
    else if (is_key && ch == KEY_PPAGE)
        app->help_top = app->help_top > page ? app->help_top - page : 0;
    else if (is_key && ch == KEY_NPAGE)
        app->help_top += page;
    else
        app->overlay = TUI_APP_NO_OVERLAY;
}

static const char *company_label(const struct core_membership *m, char *buf,
                                 size_t size)
{
    if (m->company_name)
        return m->company_name;
    snprintf(buf, size, "Company %" PRId64, m->company_id);
    return buf;
}

/* The memberships matching the filter, in order; returns how many. */
static size_t filtered(const struct tui_app *app,
                       const struct core_membership **out, size_t max)
{
    const struct core_home *home = core_session_home(app->session);
    const char *filter = app->picker.filter.buf;
    char buf[64];
    size_t count = 0;
    size_t i;

    for (i = 0; home && i < home->membership_count && count < max; i++) {
        const struct core_membership *m = &home->memberships[i];

        if (!filter[0] || core_text_contains_plain(
                              company_label(m, buf, sizeof(buf)), filter))
            out[count++] = m;
    }
    return count;
}

void tui_overlay_picker_open(struct tui_app *app)
{
    char k[32];

    if (!core_session_home(app->session)) {
        tui_app_message(
            app, true, "Companies are not loaded yet: press %s.",
            tui_app_hint(app, TUI_CONFIG_ACT_REFRESH, k, sizeof(k)));
        return;
    }
    tui_field_clear(&app->picker.filter, false);
    app->picker.selected = 0;
    app->overlay = TUI_APP_PICKER;
}

/* The picker's column widths: the name, the roles and the state. */
struct picker_cols {
    int name;
    int roles;
    int state;
};

static bool accepted(const struct core_membership *m)
{
    return !m->state || strcmp(m->state, "accepted") == 0;
}

static void draw_choice(const struct tui_app *app,
                        const struct core_membership *m, int y, int x,
                        const struct picker_cols *pc, bool selected)
{
    enum tui_draw_style style = selected      ? TUI_DRAW_SELECTED
                                : accepted(m) ? TUI_DRAW_NORMAL
                                              : TUI_DRAW_DIM;
    bool active = m->company_id == core_session_company_id(app->session);
    char roles[128] = "";
    char name[64];
    int w = 2 + pc->name + 2 + pc->roles + 2 + pc->state;

    core_model_roles_join(&m->roles, roles, sizeof(roles));
    if (selected)
        tui_draw_fill(y, x, w, TUI_DRAW_SELECTED);
    tui_draw_text(y, x, 2, active ? "*" : " ", style);
    tui_draw_text(y, x + 2, pc->name, company_label(m, name, sizeof(name)),
                  style);
    x += 2 + pc->name + 2;
    tui_draw_text(y, x, pc->roles, roles, style);
    x += pc->roles + 2;
    tui_draw_text(y, x, pc->state, m->state ? m->state : "", style);
}

/* Widths by the longest cell of each column; when the box is narrower,
 * the roles give way first (to 12), then the name, then all to 1. */
static int picker_layout(const struct core_membership *const *rows,
                         size_t count, int avail, struct picker_cols *pc)
{
    int *order[3] = {&pc->roles, &pc->name, &pc->state};
    char buf[128];
    size_t i;
    int k;
    int sum;

    pc->name = 7; /* "Company" */
    pc->roles = 5;
    pc->state = 8;
    for (i = 0; i < count; i++) {
        int n = tui_text_width(company_label(rows[i], buf, sizeof(buf)));
        int s = tui_text_width(rows[i]->state);

        core_model_roles_join(&rows[i]->roles, buf, sizeof(buf));
        pc->name = n > pc->name ? n : pc->name;
        pc->roles =
            tui_text_width(buf) > pc->roles ? tui_text_width(buf) : pc->roles;
        pc->state = s > pc->state ? s : pc->state;
    }
    sum = 2 + pc->name + 2 + pc->roles + 2 + pc->state;
    for (k = 0; k < 3 && sum > avail; k++) {
        int floor = k < 2 ? 12 : 1;
        int cut = *order[k] - floor;

        cut = cut > sum - avail ? sum - avail : cut;
        if (cut > 0) {
            *order[k] -= cut;
            sum -= cut;
        }
    }
    for (k = 0; k < 3 && sum > avail; k++) {
        int cut = *order[k] - 1 > sum - avail ? sum - avail : *order[k] - 1;

        *order[k] -= cut > 0 ? cut : 0;
        sum -= cut > 0 ? cut : 0;
    }
    return sum;
}

/* The picker's lines inside its frame: the filter, the rows and, where
 * they fit, the key hint and a blank line on either side of the rows.
 * A short terminal drops the blank lines, then the hint, before rows. */
struct picker_lines {
    int inner;     /* lines inside the frame */
    int list_rows; /* rows of companies shown */
    int first_row; /* the first one's offset below the frame's top */
    bool hint;
};

static struct picker_lines picker_lines(size_t count, int avail)
{
    struct picker_lines pl;
    int want = count > 0 ? (int)count : 1;
    bool gaps;

    pl.inner = want + 4 < avail - 2 ? want + 4 : avail - 2;
    gaps = pl.inner >= want + 4 || pl.inner - 4 >= PICKER_MIN_ROWS;
    pl.hint = gaps || pl.inner >= 3;
    if (!gaps && pl.inner > want + 1 + (int)pl.hint)
        pl.inner = want + 1 + (int)pl.hint;
    pl.list_rows = pl.inner - 1 - (int)pl.hint - (gaps ? 2 : 0);
    if (pl.list_rows < 0)
        pl.list_rows = 0;
    pl.first_row = gaps ? 3 : 2;
    return pl;
}

void tui_overlay_picker_draw(struct tui_app *app)
{
    const struct core_membership *rows[PICKER_MAX];
    size_t count = filtered(app, rows, PICKER_MAX);
    struct picker_lines pl = picker_lines(count, tui_draw_rows() - 2);
    struct picker_cols pc;
    char hint[TUI_APP_TEXT];
    int h = pl.inner + 2;
    int max_w = tui_draw_cols() - 2;
    int w = picker_layout(rows, count, max_w - 4, &pc) + 4;
    int y;
    int x;
    size_t i;
    size_t top = 0;

    w = w < 48 ? 48 : w;
    w = w > max_w ? max_w : w;
    x = (tui_draw_cols() - w) / 2;
    y = (tui_draw_rows() - h) / 2 > 0 ? (tui_draw_rows() - h) / 2 : 0;
    if (app->picker.selected >= count)
        app->picker.selected = count ? count - 1 : 0;
    if (pl.list_rows > 0 && app->picker.selected >= (size_t)pl.list_rows)
        top = app->picker.selected - (size_t)pl.list_rows + 1;
    /* No line inside a frame: the filter alone, on the second line. */
    if (pl.inner < 1) {
        y = tui_draw_rows() > 1 ? 1 : 0;
        tui_draw_fill(y, 0, tui_draw_cols(), TUI_DRAW_NORMAL);
        tui_draw_text(y, 0, 8, "Company:", TUI_DRAW_NORMAL);
        app->cursor_x = tui_field_draw(&app->picker.filter, y, 9,
                                       tui_draw_cols() - 9, true);
        app->cursor_y = y;
        return;
    }
    tui_draw_box(y, x, h, w, "Switch company");
    tui_draw_text(y + 1, x + 2, 8, "Filter:", TUI_DRAW_NORMAL);
    app->cursor_x =
        tui_field_draw(&app->picker.filter, y + 1, x + 10, w - 12, true);
    app->cursor_y = y + 1;
    for (i = top; i < count && (int)(i - top) < pl.list_rows; i++)
        draw_choice(app, rows[i], y + pl.first_row + (int)(i - top), x + 1, &pc,
                    i == app->picker.selected);
    if (count == 0 && pl.list_rows > 0)
        tui_draw_text(y + pl.first_row, x + 2, w - 4, "No company matches.",
                      TUI_DRAW_DIM);
    if (pl.hint)
        tui_draw_text(y + h - 2, x + 2, w - 4,
                      tui_app_list_hint(app, hint, sizeof(hint)), TUI_DRAW_DIM);
}

/* Starts the switch; the rows of the old company are gone from here on
 * (core drops them), so the view says "Switching to …" until it ends. */
static void start_switch(struct tui_app *app, const struct core_membership *m)
{
    enum base_status status;
    uint64_t request = 0;
    char name[64];
    char lead[160];

    if (app->switch_request)
        core_session_cancel(app->session, app->switch_request);
    app->switch_request = 0;
    snprintf(app->switch_name, sizeof(app->switch_name), "%s",
             company_label(m, name, sizeof(name)));
    status = core_session_switch(app->session, m->company_id, &request);
    if (status != BASE_OK) {
        snprintf(lead, sizeof(lead), "Could not switch to %s",
                 app->switch_name);
        tui_message_compose(app->message, sizeof(app->message), lead, status,
                            core_session_last_error(app->session));
        app->message_error = true;
        return;
    }
    tui_app_forget_views(app);
    app->switch_request = request;
    tui_app_message(app, false, "Switching to %s\xe2\x80\xa6",
                    app->switch_name);
}

void tui_overlay_picker_switch(struct tui_app *app, int64_t company_id)
{
    const struct core_home *home = core_session_home(app->session);
    const struct core_membership *m =
        home ? core_model_home_membership(home, company_id) : NULL;
    char name[64];

    if (!m)
        return;
    if (m->company_id == core_session_company_id(app->session)) {
        tui_app_message(app, false, "%s is already the active company.",
                        company_label(m, name, sizeof(name)));
        return;
    }
    if (!accepted(m)) {
        tui_app_message(app, true,
                        "Cannot switch to %s: your membership there is %s, "
                        "not accepted. Accept the invitation in Bezala "
                        "first.",
                        company_label(m, name, sizeof(name)), m->state);
        return;
    }
    start_switch(app, m);
}

static void choose(struct tui_app *app)
{
    const struct core_membership *rows[PICKER_MAX];
    size_t count = filtered(app, rows, PICKER_MAX);

    if (app->picker.selected >= count)
        return;
    app->overlay = TUI_APP_NO_OVERLAY;
    tui_overlay_picker_switch(app, rows[app->picker.selected]->company_id);
}

void tui_overlay_picker_key(struct tui_app *app, wint_t ch, bool is_key)
{
    size_t *sel = &app->picker.selected;

    enum tui_config_act act =
        tui_app_action(app, TUI_CONFIG_SCOPE_FORM, ch, is_key);

    if (act == TUI_CONFIG_ACT_FORM_CANCEL) {
        app->overlay = TUI_APP_NO_OVERLAY;
    } else if (act == TUI_CONFIG_ACT_FORM_SUBMIT) {
        choose(app);
    } else if ((is_key && ch == KEY_UP) || act == TUI_CONFIG_ACT_FORM_PREV) {
        *sel = *sel > 0 ? *sel - 1 : 0;
    } else if ((is_key && ch == KEY_DOWN) || act == TUI_CONFIG_ACT_FORM_NEXT) {
        (*sel)++;
    } else if (tui_field_key(&app->picker.filter, ch, is_key)) {
        *sel = 0;
    }
}
