/* The account switcher: the stored accounts with type-to-filter, Enter
 * switches (the old account's data is dropped first), and a last row
 * that opens an empty sign-in form for another account. */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curses.h>

#include "core/text.h"
#include "tui/draw.h"
#include "tui/message.h"
#include "tui/text.h"

#define SWITCHER_MAX 256
#define ADD_LABEL "Add account\xe2\x80\xa6"

void tui_overlay_accounts_close(struct tui_app *app)
{
    core_accounts_free(&app->accounts.rows, app->accounts.count);
    app->accounts.rows = NULL;
    app->accounts.count = 0;
    if (app->overlay == TUI_APP_ACCOUNTS)
        app->overlay = TUI_APP_NO_OVERLAY;
}

void tui_overlay_accounts_open(struct tui_app *app)
{
    const struct tui_context *ctx = app->ctx;
    struct core_account *rows = NULL;
    enum base_status status;
    size_t count = 0;

    status = core_accounts_list(ctx->data_dir, ctx->key_dir, &rows, &count);
    if (status != BASE_OK) {
        tui_message_compose(app->message, sizeof(app->message),
                            "Could not list the accounts", status, NULL);
        app->message_error = true;
        return;
    }
    tui_overlay_accounts_close(app);
    app->accounts.rows = rows;
    app->accounts.count = count;
    tui_field_clear(&app->accounts.filter, false);
    app->accounts.selected = 0;
    app->overlay = TUI_APP_ACCOUNTS;
}

/* Whether the account is the one the session holds. */
static bool is_current(const struct tui_app *app, const char *server,
                       const char *email)
{
    const char *own_email = core_session_email(app->session);
    const char *own_server = core_session_server(app->session);

    return own_email && own_server && strcasecmp(email, own_email) == 0 &&
           strcmp(server, own_server) == 0;
}

/* The accounts matching the filter (email or server), in order. */
static size_t filtered(const struct tui_app *app,
                       const struct core_account **out, size_t max)
{
    const char *filter = app->accounts.filter.buf;
    size_t count = 0;
    size_t i;

    for (i = 0; i < app->accounts.count && count < max; i++) {
        const struct core_account *a = &app->accounts.rows[i];

        if (!filter[0] || core_text_contains_fold(a->email, filter) ||
            core_text_contains_fold(a->server, filter))
            out[count++] = a;
    }
    return count;
}

static void draw_account(const struct tui_app *app,
                         const struct core_account *a, int y, int x, int w,
                         bool selected)
{
    enum tui_draw_style style = selected ? TUI_DRAW_SELECTED : TUI_DRAW_NORMAL;
    int email_cols = w > 50 ? (w - 2) * 9 / 20 : w - 2;
    int server_cols = w > 50 ? (w - 2) * 6 / 20 : 0;
    char cell[512];
    char state[64];

    if (selected)
        tui_draw_fill(y, x, w, TUI_DRAW_SELECTED);
    tui_draw_text(y, x, 2, is_current(app, a->server, a->email) ? "*" : " ",
                  style);
    tui_text_pad(a->email, email_cols - 1, false, cell, sizeof(cell));
    tui_draw_text(y, x + 2, email_cols, cell, style);
    if (server_cols <= 0)
        return;
    tui_text_pad(a->server, server_cols - 1, false, cell, sizeof(cell));
    tui_draw_text(y, x + 2 + email_cols, server_cols, cell, style);
    snprintf(state, sizeof(state), "%s%s",
             a->signed_in ? "signed in" : "not signed in",
             a->service_user ? " [service]" : "");
    tui_draw_text(y, x + 2 + email_cols + server_cols,
                  w - 2 - email_cols - server_cols, state, style);
}

void tui_overlay_accounts_draw(struct tui_app *app)
{
    const struct tui_app_accounts *acc = &app->accounts;
    const struct core_account *rows[SWITCHER_MAX];
    size_t count = filtered(app, rows, SWITCHER_MAX);
    char hint[TUI_APP_TEXT];
    int w = tui_draw_cols() - 2 < 96 ? tui_draw_cols() - 2 : 96;
    int h = (int)count + 7;
    int x = (tui_draw_cols() - w) / 2;
    int list_rows;
    size_t top = 0;
    size_t i;
    int y;

    if (h > tui_draw_rows() - 2)
        h = tui_draw_rows() - 2;
    y = (tui_draw_rows() - h) / 2 > 0 ? (tui_draw_rows() - h) / 2 : 0;
    list_rows = h - 6 > 0 ? h - 6 : 0;
    if (app->accounts.selected > count)
        app->accounts.selected = count;
    if (list_rows > 0 && acc->selected >= (size_t)list_rows)
        top = acc->selected - (size_t)list_rows + 1;
    tui_draw_box(y, x, h, w, "Switch account");
    tui_draw_text(y + 1, x + 2, 8, "Filter:", TUI_DRAW_NORMAL);
    app->cursor_x =
        tui_field_draw(&app->accounts.filter, y + 1, x + 10, w - 12, true);
    app->cursor_y = y + 1;
    for (i = top; i <= count && (int)(i - top) < list_rows; i++) {
        int row_y = y + 3 + (int)(i - top);
        bool selected = i == acc->selected;

        if (i < count) {
            draw_account(app, rows[i], row_y, x + 1, w - 2, selected);
            continue;
        }
        if (selected)
            tui_draw_fill(row_y, x + 1, w - 2, TUI_DRAW_SELECTED);
        tui_draw_text(row_y, x + 3, w - 4, ADD_LABEL,
                      selected ? TUI_DRAW_SELECTED : TUI_DRAW_DIM);
    }
    tui_draw_text(y + h - 2, x + 2, w - 4,
                  tui_app_list_hint(app, hint, sizeof(hint)), TUI_DRAW_DIM);
}

/* "Add account…": an empty form; Esc there comes back. */
static void add_account(struct tui_app *app)
{
    tui_overlay_accounts_close(app);
    tui_app_start_over(app);
    tui_app_form_reset(app);
    app->form.adding = true;
    app->screen = TUI_APP_SIGNIN;
}

void tui_overlay_accounts_switch(struct tui_app *app, const char *server,
                                 const char *email)
{
    if (is_current(app, server, email)) {
        tui_app_message(app, false, "Already using %s.", email);
        return;
    }
    tui_app_switch_account(app, server, email);
}

static void choose(struct tui_app *app)
{
    const struct core_account *rows[SWITCHER_MAX];
    size_t count = filtered(app, rows, SWITCHER_MAX);
    char server[TUI_APP_TEXT];
    char email[TUI_APP_TEXT];

    if (app->accounts.selected >= count) {
        add_account(app);
        return;
    }
    /* The rows are freed with the overlay: copy what the switch needs. */
    snprintf(server, sizeof(server), "%s",
             rows[app->accounts.selected]->server);
    snprintf(email, sizeof(email), "%s", rows[app->accounts.selected]->email);
    tui_overlay_accounts_close(app);
    tui_overlay_accounts_switch(app, server, email);
}

void tui_overlay_accounts_key(struct tui_app *app, wint_t ch, bool is_key)
{
    const struct core_account *rows[SWITCHER_MAX];
    size_t last = filtered(app, rows, SWITCHER_MAX);
    size_t *sel = &app->accounts.selected;

    enum tui_config_act act =
        tui_app_action(app, TUI_CONFIG_SCOPE_FORM, ch, is_key);

    if (act == TUI_CONFIG_ACT_FORM_CANCEL) {
        tui_overlay_accounts_close(app);
    } else if (act == TUI_CONFIG_ACT_FORM_SUBMIT) {
        choose(app);
    } else if ((is_key && ch == KEY_UP) || act == TUI_CONFIG_ACT_FORM_PREV) {
        /* Up from the top wraps to "Add account…", the last row. */
        *sel = *sel > 0 ? *sel - 1 : last;
    } else if ((is_key && ch == KEY_DOWN) || act == TUI_CONFIG_ACT_FORM_NEXT) {
        *sel = *sel < last ? *sel + 1 : last;
    } else if (tui_field_key(&app->accounts.filter, ch, is_key)) {
        *sel = 0;
    }
}
