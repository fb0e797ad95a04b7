/* The sign-in form: the first screen when no token is usable, and the
 * re-login overlay when the server rejects the token mid-session. */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curses.h>

#include "tui/draw.h"
#include "tui/message.h"

#define LABEL_COLS 10
#define FIELD_COLS 44

static const char *const relogin_text[] = {
    "The server no longer accepts your sign-in: the password",
    "may have been changed, the user removed, or the token",
    "revoked. Sign in again to carry on where you were.",
};

static size_t demo_count(const struct tui_app *app)
{
    size_t count = 0;

    if (app->ctx->demo && app->overlay != TUI_APP_RELOGIN)
        tui_demo_accounts(app->ctx->demo, &count);
    return count;
}

/* Draws the two fields and the status under them from row y. */
static void draw_form(struct tui_app *app, int y, int x, int cols)
{
    struct tui_app_form *form = &app->form;
    int field_cols = cols - LABEL_COLS;
    int end;

    if (field_cols > FIELD_COLS)
        field_cols = FIELD_COLS;
    tui_draw_text(y, x, LABEL_COLS, "Email", TUI_DRAW_NORMAL);
    end = tui_field_draw(&form->email, y, x + LABEL_COLS, field_cols,
                         form->focus == TUI_APP_EMAIL);
    if (form->focus == TUI_APP_EMAIL) {
        app->cursor_y = y;
        app->cursor_x = end;
    }
    tui_draw_text(y + 1, x, LABEL_COLS, "Password", TUI_DRAW_NORMAL);
    end = tui_field_draw(&form->password, y + 1, x + LABEL_COLS, field_cols,
                         form->focus == TUI_APP_PASSWORD);
    if (form->focus == TUI_APP_PASSWORD) {
        app->cursor_y = y + 1;
        app->cursor_x = end;
    }
    if (form->request)
        tui_draw_text(y + 3, x, cols, "Signing in\xe2\x80\xa6  Esc: cancel",
                      TUI_DRAW_NORMAL);
    else if (form->error[0])
        tui_draw_text(y + 3, x, cols, form->error, TUI_DRAW_ERROR);
}

static void draw_demo_accounts(struct tui_app *app, int y, int cols)
{
    const struct tui_demo_account *accounts;
    size_t count = 0;
    size_t i;
    char line[512];
    bool focused = app->form.focus == TUI_APP_DEMO_LIST;

    accounts = tui_demo_accounts(app->ctx->demo, &count);
    tui_draw_text(
        y, 2, cols - 2,
        "Demo accounts (press a number to fill the form):", TUI_DRAW_TITLE);
    for (i = 0; i < count && i < 9; i++) {
        snprintf(line, sizeof(line), " %zu  %-36s %s", i + 1, accounts[i].email,
                 accounts[i].description);
        if (focused && i == app->form.demo_selected) {
            tui_draw_fill(y + 1 + (int)i, 2, cols - 2, TUI_DRAW_SELECTED);
            tui_draw_text(y + 1 + (int)i, 2, cols - 2, line, TUI_DRAW_SELECTED);
        } else {
            tui_draw_text(y + 1 + (int)i, 2, cols - 2, line, TUI_DRAW_NORMAL);
        }
    }
}

void tui_screen_signin_draw(struct tui_app *app)
{
    char title[TUI_APP_TEXT];
    int cols = tui_draw_cols();

    snprintf(title, sizeof(title), "Sign in to %s", app->ctx->server);
    tui_draw_text(1, 2, cols - 2, title, TUI_DRAW_TITLE);
    draw_form(app, 3, 2, cols - 4);
    tui_draw_text(7, 2, cols - 2,
                  "Enter: sign in   Tab: next field   Esc: quit", TUI_DRAW_DIM);
    if (demo_count(app) > 0)
        draw_demo_accounts(app, 9, cols);
}

void tui_screen_signin_relogin_draw(struct tui_app *app)
{
    int rows = tui_draw_rows();
    int cols = tui_draw_cols();
    int h = 13;
    int w = cols - 2 < 64 ? cols - 2 : 64;
    int y = (rows - h) / 2;
    int x = (cols - w) / 2;
    size_t i;

    if (y < 0)
        y = 0;
    tui_draw_box(y, x, h, w, "Session expired: sign in again");
    for (i = 0; i < 3; i++)
        tui_draw_text(y + 2 + (int)i, x + 2, w - 4, relogin_text[i],
                      TUI_DRAW_NORMAL);
    draw_form(app, y + 6, x + 2, w - 4);
    tui_draw_text(y + 11, x + 2, w - 4,
                  "Enter: sign in   Tab: next field   Esc: close",
                  TUI_DRAW_DIM);
}

/* Whether email is the account the session holds, compared as core
 * compares it. */
static bool same_account(const struct tui_app *app, const char *email)
{
    const char *current = core_session_email(app->session);

    return current && *current && strcasecmp(current, email) == 0;
}

void tui_screen_signin_submit(struct tui_app *app)
{
    struct tui_app_form *form = &app->form;
    struct base_secret *password = NULL;
    enum base_status status;
    uint64_t request = 0;

    if (form->request)
        return;
    if (form->email.len == 0 || form->password.len == 0) {
        snprintf(form->error, sizeof(form->error), "Enter your %s.",
                 form->email.len == 0 ? "email" : "password");
        form->focus = form->email.len == 0 ? TUI_APP_EMAIL : TUI_APP_PASSWORD;
        return;
    }
    status = tui_field_to_secret(&form->password, &password);
    if (status == BASE_OK)
        status = core_session_sign_in(app->session, form->email.buf, password,
                                      &request);
    base_secret_free(&password);
    tui_field_clear(&form->password, false);
    if (status != BASE_OK) {
        tui_message_compose(form->error, sizeof(form->error),
                            "Could not sign in", status, NULL);
        return;
    }
    /* The messages name the account that was sent, whatever is typed
     * while the request runs (the form is locked, but be sure). */
    snprintf(form->sent_email, sizeof(form->sent_email), "%s", form->email.buf);
    form->other_account = !same_account(app, form->email.buf);
    form->error[0] = '\0';
    form->request = request;
}

static void pick_demo(struct tui_app *app, size_t index)
{
    const struct tui_demo_account *accounts;
    size_t count = 0;

    accounts = tui_demo_accounts(app->ctx->demo, &count);
    if (index >= count || index >= 9)
        return;
    app->form.demo_selected = index;
    tui_field_set(&app->form.email, accounts[index].email);
    tui_field_set(&app->form.password,
                  base_secret_str(accounts[index].password));
    app->form.focus = TUI_APP_PASSWORD;
    app->form.error[0] = '\0';
}

static void move_focus(struct tui_app *app, int step)
{
    int stops = demo_count(app) > 0 ? 3 : 2;

    app->form.focus =
        (enum tui_app_focus)(((int)app->form.focus + step + stops) % stops);
}

static bool list_key(struct tui_app *app, wint_t ch, bool is_key)
{
    size_t count = demo_count(app);
    size_t *sel = &app->form.demo_selected;

    if (is_key && ch == KEY_DOWN && *sel + 1 < count && *sel < 8)
        (*sel)++;
    else if (is_key && ch == KEY_UP && *sel > 0)
        (*sel)--;
    else if (!is_key && ch >= '1' && ch <= '9')
        pick_demo(app, (size_t)(ch - '1'));
    else if ((!is_key && (ch == '\r' || ch == '\n')) ||
             (is_key && ch == KEY_ENTER))
        pick_demo(app, *sel);
    else
        return false;
    return true;
}

static void escape(struct tui_app *app)
{
    if (app->overlay != TUI_APP_RELOGIN && app->form.request) {
        core_session_cancel(app->session, app->form.request);
        app->form.request = 0;
        snprintf(app->form.error, sizeof(app->form.error),
                 "Sign-in cancelled.");
        return;
    }
    if (app->overlay != TUI_APP_RELOGIN) {
        app->quit = true;
        return;
    }
    if (app->form.request)
        core_session_cancel(app->session, app->form.request);
    app->form.request = 0;
    tui_field_clear(&app->form.password, false);
    app->overlay = TUI_APP_NO_OVERLAY;
    tui_app_message(app, true, "Not signed in: press r to try again.");
}

void tui_screen_signin_key(struct tui_app *app, wint_t ch, bool is_key)
{
    struct tui_app_form *form = &app->form;
    bool enter =
        (!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER);

    if (!is_key && ch == 27)
        escape(app);
    else if (form->request)
        return; /* the fields are locked while the sign-in runs */
    else if (form->focus == TUI_APP_DEMO_LIST && list_key(app, ch, is_key))
        return;
    else if ((!is_key && ch == '\t') || (is_key && ch == KEY_DOWN))
        move_focus(app, 1);
    else if (is_key && (ch == KEY_BTAB || ch == KEY_UP))
        move_focus(app, -1);
    else if (enter && form->focus == TUI_APP_EMAIL && form->password.len == 0)
        form->focus = TUI_APP_PASSWORD;
    else if (enter)
        tui_screen_signin_submit(app);
    else if (form->focus == TUI_APP_EMAIL)
        tui_field_key(&form->email, ch, is_key);
    else if (form->focus == TUI_APP_PASSWORD)
        tui_field_key(&form->password, ch, is_key);
}
