/* The sign-in form: the first screen when no token is usable, and the
 * re-login overlay when the server rejects the token mid-session. The
 * first row chooses the method: password, or single sign-on with Google,
 * Microsoft or Okta (an access token from the provider). */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curses.h>

#include "core/sso.h"
#include "tui/draw.h"
#include "tui/message.h"
#include "tui/text.h"

#define LABEL_COLS 14
/* The label column: narrower on a narrow screen, so the fields show. */
#define LABEL_FOR(cols) ((cols) < 2 * LABEL_COLS ? (cols) / 3 : LABEL_COLS)
#define FIELD_COLS 44
#define FORM_ROWS 5 /* method, email, secret, Okta URL, company */
#define ERROR_LINES 4
#define DEMO_NO_PASSWORD "-"

static const char *const relogin_text[] = {
    "The server answered 401: it no longer accepts this sign-in.",
    "Likely causes: your password was changed, you were removed",
    "from the company, or your user was deleted (or the token was",
    "revoked). Sign in again to carry on where you were.",
};

#define RELOGIN_LINES (sizeof(relogin_text) / sizeof(relogin_text[0]))

static const char *const method_names[TUI_APP_METHODS] = {"Password", "Google",
                                                          "Microsoft", "Okta"};

static size_t demo_count(const struct tui_app *app)
{
    size_t count = 0;

    if (app->ctx->demo && app->overlay != TUI_APP_RELOGIN)
        tui_demo_accounts(app->ctx->demo, &count);
    return count;
}

static bool is_okta(const struct tui_app_form *form)
{
    return form->method == TUI_APP_BY_OKTA;
}

/* Whether the focus stop exists for the form as it is now. */
static bool stop_exists(const struct tui_app *app, enum tui_app_focus stop)
{
    if (stop == TUI_APP_OKTA_URL || stop == TUI_APP_COMPANY)
        return is_okta(&app->form);
    if (stop == TUI_APP_DEMO_LIST)
        return demo_count(app) > 0;
    return true;
}

static void draw_methods(struct tui_app *app, int y, int x, int cols)
{
    bool focused = app->form.focus == TUI_APP_METHOD;
    int label_cols = LABEL_FOR(cols);
    char label[32];
    size_t i;
    int used = 0;

    tui_draw_text(y, x, label_cols, "Method", TUI_DRAW_NORMAL);
    for (i = 0; i < TUI_APP_METHODS && used < cols - label_cols; i++) {
        bool chosen = i == (size_t)app->form.method;

        snprintf(label, sizeof(label), chosen ? "[%s]" : " %s ",
                 method_names[i]);
        used += tui_draw_text(y, x + label_cols + used,
                              cols - label_cols - used, label,
                              chosen && focused ? TUI_DRAW_SELECTED
                              : chosen          ? TUI_DRAW_TITLE
                                                : TUI_DRAW_NORMAL);
        used += 1;
    }
    if (focused) {
        app->cursor_y = y;
        app->cursor_x = x + label_cols;
    }
}

static void draw_field(struct tui_app *app, struct tui_field *field,
                       enum tui_app_focus stop, int y, int x, int cols,
                       const char *label)
{
    int label_cols = LABEL_FOR(cols);
    int field_cols = cols - label_cols;
    int end;

    if (field_cols > FIELD_COLS)
        field_cols = FIELD_COLS;
    tui_draw_text(y, x, label_cols - 1, label, TUI_DRAW_NORMAL);
    end = tui_field_draw(field, y, x + label_cols, field_cols,
                         app->form.focus == stop);
    if (app->form.focus == stop) {
        app->cursor_y = y;
        app->cursor_x = end;
    }
}

/* Draws text wrapped over at most lines rows from y; returns the rows. */
static int draw_wrapped(int y, int x, int cols, int lines, const char *text,
                        enum tui_draw_style style)
{
    char line[TUI_APP_LONG_TEXT];
    size_t n;
    int row = 0;

    while (*text && row < lines && cols > 0) {
        n = tui_text_wrap(text, cols);
        if (n >= sizeof(line))
            n = sizeof(line) - 1;
        memcpy(line, text, n);
        line[n] = '\0';
        tui_draw_text(y + row, x, cols, line, style);
        text += n;
        while (*text == ' ')
            text++;
        row++;
    }
    return row;
}

/* The state under the fields: running, refused (the server's words), and
 * the wait before the next attempt is allowed, counting down. */
static void draw_status(struct tui_app *app, int y, int x, int cols)
{
    struct tui_app_form *form = &app->form;
    long wait = core_session_sign_in_wait_ms(app->session);
    char text[TUI_APP_TEXT];
    char keys[32];
    int rows = 0;

    if (form->request) {
        tui_app_hint(app, TUI_CONFIG_ACT_FORM_CANCEL, keys, sizeof(keys));
        snprintf(text, sizeof(text), "Signing in\xe2\x80\xa6  %s: cancel",
                 keys);
        tui_draw_text(y, x, cols, text, TUI_DRAW_NORMAL);
        return;
    }
    if (form->error[0])
        rows =
            draw_wrapped(y, x, cols, ERROR_LINES, form->error, TUI_DRAW_ERROR);
    if (wait > 0) {
        snprintf(text, sizeof(text), "Wait %ld s before trying again.",
                 (wait + 999) / 1000);
        tui_draw_text(y + rows, x, cols, text, TUI_DRAW_NORMAL);
    }
}

/* Whether the wait after a failed sign-in runs: the secret field then
 * takes no typing, so nothing typed meanwhile is sent later. */
static bool waiting(const struct tui_app *app)
{
    return !app->form.request && core_session_sign_in_wait_ms(app->session) > 0;
}

/* The secret field while the wait runs: it says so instead of dots. */
static void draw_waiting(struct tui_app *app, int y, int x, int cols,
                         const char *label)
{
    int label_cols = LABEL_FOR(cols);
    int field_cols = cols - label_cols;
    long wait = core_session_sign_in_wait_ms(app->session);
    char text[64];

    if (field_cols > FIELD_COLS)
        field_cols = FIELD_COLS;
    tui_draw_text(y, x, label_cols - 1, label, TUI_DRAW_NORMAL);
    snprintf(text, sizeof(text), "waiting %ld s\xe2\x80\xa6",
             (wait + 999) / 1000);
    tui_draw_fill(y, x + label_cols, field_cols, TUI_DRAW_FIELD);
    tui_draw_text(y, x + label_cols, field_cols, text, TUI_DRAW_DIM);
    if (app->form.focus == TUI_APP_PASSWORD) {
        app->cursor_y = y;
        app->cursor_x = x + label_cols;
    }
}

/* Draws the method row, the fields and the status under them from y. */
static void draw_form(struct tui_app *app, int y, int x, int cols)
{
    struct tui_app_form *form = &app->form;
    const char *secret_label =
        form->method != TUI_APP_BY_PASSWORD ? "Access token" : "Password";

    draw_methods(app, y, x, cols);
    draw_field(app, &form->email, TUI_APP_EMAIL, y + 1, x, cols, "Email");
    if (waiting(app))
        draw_waiting(app, y + 2, x, cols, secret_label);
    else
        draw_field(app, &form->password, TUI_APP_PASSWORD, y + 2, x, cols,
                   secret_label);
    if (is_okta(form)) {
        draw_field(app, &form->okta_url, TUI_APP_OKTA_URL, y + 3, x, cols,
                   "Okta URL");
        draw_field(app, &form->company, TUI_APP_COMPANY, y + 4, x, cols,
                   "Company name");
    }
    draw_status(app, y + FORM_ROWS + 1, x, cols);
}

/* The key that picks demo account i: 1-9, then 0 for the tenth; none
 * past it (the arrows reach those). */
static char demo_key(size_t i)
{
    if (i < 9)
        return (char)('1' + i);
    return i == 9 ? '0' : ' ';
}

/* The first account shown so that the selected one is among the rows
 * that fit from y on. */
static size_t demo_top(const struct tui_app *app, int y, size_t count)
{
    int fit = tui_draw_rows() - y;
    size_t sel = app->form.demo_selected;

    if (fit < 1 || (size_t)fit >= count || sel < (size_t)fit)
        return 0;
    return sel - (size_t)fit + 1;
}

static void draw_demo_accounts(struct tui_app *app, int y, int cols)
{
    const struct tui_demo_account *accounts;
    size_t count = 0;
    size_t top;
    size_t i;
    char line[512];
    char email[256];
    bool focused = app->form.focus == TUI_APP_DEMO_LIST;
    int email_cols = 0;
    int row;

    accounts = tui_demo_accounts(app->ctx->demo, &count);
    for (i = 0; i < count; i++) {
        int w = tui_text_width(accounts[i].email);

        email_cols = w > email_cols ? w : email_cols;
    }
    tui_draw_text(
        y, 2, cols - 2,
        "Demo accounts (Email empty: press a number to fill the form):",
        TUI_DRAW_TITLE);
    top = demo_top(app, y + 1, count);
    for (i = top; i < count; i++) {
        row = y + 1 + (int)(i - top);
        tui_text_pad(accounts[i].email, email_cols, false, email,
                     sizeof(email));
        snprintf(line, sizeof(line), " %c  %s  %s", demo_key(i), email,
                 accounts[i].description);
        if (focused && i == app->form.demo_selected) {
            tui_draw_fill(row, 2, cols - 2, TUI_DRAW_SELECTED);
            tui_draw_text(row, 2, cols - 2, line, TUI_DRAW_SELECTED);
        } else {
            tui_draw_text(row, 2, cols - 2, line, TUI_DRAW_NORMAL);
        }
    }
}

/* The form's key line, from the bindings in force. */
static const char *hint(const struct tui_app *app, char *buf, size_t size)
{
    const struct tui_config *cfg = tui_app_config(app);
    char submit[32], next[32], method[32], accounts[32], cancel[32];
    char help[32];
    const char *last = "quit";

    tui_config_hint(cfg, TUI_CONFIG_ACT_FORM_SUBMIT, 1, submit, sizeof(submit));
    tui_config_hint(cfg, TUI_CONFIG_ACT_FORM_NEXT, 1, next, sizeof(next));
    tui_config_hint(cfg, TUI_CONFIG_ACT_FORM_METHOD, 1, method, sizeof(method));
    tui_config_hint(cfg, TUI_CONFIG_ACT_FORM_ACCOUNTS, 1, accounts,
                    sizeof(accounts));
    tui_config_hint(cfg, TUI_CONFIG_ACT_FORM_CANCEL, 1, cancel, sizeof(cancel));
    tui_config_hint(cfg, TUI_CONFIG_ACT_FORM_HELP, 1, help, sizeof(help));
    if (app->overlay == TUI_APP_RELOGIN) {
        snprintf(buf, size,
                 "%s: sign in   %s: next field   %s: method   %s: close",
                 submit, next, method, cancel);
        return buf;
    }
    if (app->form.adding)
        last = "back";
    snprintf(buf, size,
             "%s: sign in   %s: next field   %s: method   %s: accounts   "
             "%s: %s   %s: help",
             submit, next, method, accounts, cancel, last, help);
    return buf;
}

void tui_screen_signin_draw(struct tui_app *app)
{
    char title[TUI_APP_TEXT];
    char line[TUI_APP_TEXT];
    int cols = tui_draw_cols();
    int hint_row = 3 + FORM_ROWS + 1 + ERROR_LINES + 2;

    snprintf(title, sizeof(title), "Sign in to %s",
             core_session_server(app->session));
    tui_draw_text(1, 2, cols - 2, title, TUI_DRAW_TITLE);
    draw_form(app, 3, 2, cols - 4);
    tui_draw_text(hint_row, 2, cols - 2, hint(app, line, sizeof(line)),
                  TUI_DRAW_DIM);
    if (demo_count(app) > 0)
        draw_demo_accounts(app, hint_row + 2, cols);
}

/* The re-login box; when the screen is too short for all of it, the
 * explanation goes first so that the fields stay visible. */
void tui_screen_signin_relogin_draw(struct tui_app *app)
{
    int rows = tui_draw_rows();
    int cols = tui_draw_cols();
    int form_y = 2 + (int)RELOGIN_LINES + 1;
    int h = form_y + FORM_ROWS + 1 + ERROR_LINES + 1 + 2;
    int w = cols - 2 < 72 ? cols - 2 : 72;
    size_t text_lines = RELOGIN_LINES;
    char line[TUI_APP_TEXT];
    int y;
    int x = (cols - w) / 2;
    size_t i;

    if (h > rows) {
        text_lines = 0;
        form_y = 1;
        h -= 2 + (int)RELOGIN_LINES;
        h = h > rows ? rows : h;
    }
    y = (rows - h) / 2 > 0 ? (rows - h) / 2 : 0;
    tui_draw_box(y, x, h, w, "Session expired: sign in again");
    for (i = 0; i < text_lines; i++)
        tui_draw_text(y + 2 + (int)i, x + 2, w - 4, relogin_text[i],
                      TUI_DRAW_NORMAL);
    draw_form(app, y + form_y, x + 2, w - 4);
    tui_draw_text(y + h - 2, x + 2, w - 4, hint(app, line, sizeof(line)),
                  TUI_DRAW_DIM);
}

/* Whether email is the account the session holds, compared as core
 * compares it. */
static bool same_account(const struct tui_app *app, const char *email)
{
    const char *current = core_session_email(app->session);

    return current && *current && strcasecmp(current, email) == 0;
}

/* Asks for the first empty field the method needs; true when one is. */
static bool missing_field(struct tui_app_form *form)
{
    const char *name = NULL;

    if (form->email.len == 0) {
        name = "your email";
        form->focus = TUI_APP_EMAIL;
    } else if (form->password.len == 0) {
        name = form->method == TUI_APP_BY_PASSWORD
                   ? "your password"
                   : "the access token from your provider";
        form->focus = TUI_APP_PASSWORD;
    } else if (is_okta(form) && form->okta_url.len == 0) {
        name = "your company's Okta URL";
        form->focus = TUI_APP_OKTA_URL;
    } else if (is_okta(form) && form->company.len == 0) {
        name = "the company name";
        form->focus = TUI_APP_COMPANY;
    }
    if (name)
        snprintf(form->error, sizeof(form->error), "Enter %s.", name);
    return name != NULL;
}

static enum base_status start_sign_in(struct tui_app *app,
                                      const struct base_secret *secret,
                                      uint64_t *request)
{
    struct tui_app_form *form = &app->form;
    struct core_sso sso = {
        .provider = (enum core_sso_provider)(form->method - 1),
        .email = form->email.buf,
        .access_token = secret,
        .okta_url = is_okta(form) ? form->okta_url.buf : NULL,
        .company_name = is_okta(form) ? form->company.buf : NULL,
    };

    if (form->method == TUI_APP_BY_PASSWORD)
        return core_session_sign_in(app->session, form->email.buf, secret,
                                    request);
    return core_session_sign_in_sso(app->session, &sso, request);
}

void tui_screen_signin_submit(struct tui_app *app)
{
    struct tui_app_form *form = &app->form;
    struct base_secret *secret = NULL;
    enum base_status status;
    uint64_t request = 0;

    /* While the wait runs, the countdown under the form says so; the
     * secret field takes no typing then, so Enter has nothing to keep. */
    if (form->request || waiting(app))
        return;
    if (missing_field(form))
        return;
    status = tui_field_to_secret(&form->password, &secret);
    if (status == BASE_OK)
        status = start_sign_in(app, secret, &request);
    base_secret_free(&secret);
    if (status == BASE_E_RATE_LIMITED)
        return;
    tui_field_clear(&form->password, false);
    if (status == BASE_E_INVALID)
        tui_message_compose(form->error, sizeof(form->error),
                            "Could not sign in", status,
                            core_session_last_error(app->session));
    else if (status != BASE_OK)
        tui_message_compose(form->error, sizeof(form->error),
                            "Could not sign in", status, NULL);
    if (status != BASE_OK)
        return;
    /* The messages name the account that was sent, whatever is typed
     * while the request runs (the form is locked, but be sure). */
    snprintf(form->sent_email, sizeof(form->sent_email), "%s", form->email.buf);
    form->other_account = !same_account(app, form->email.buf);
    form->error[0] = '\0';
    form->request = request;
}

static void set_method(struct tui_app *app, enum tui_app_method method)
{
    struct tui_app_form *form = &app->form;

    if (method == form->method)
        return;
    /* A password is not an access token: what was typed is dropped. */
    tui_field_clear(&form->password, false);
    form->method = method;
    if (!stop_exists(app, form->focus))
        form->focus = TUI_APP_METHOD;
}

static void step_method(struct tui_app *app, int step)
{
    int next =
        ((int)app->form.method + step + TUI_APP_METHODS) % TUI_APP_METHODS;

    set_method(app, (enum tui_app_method)next);
}

/* A demo account fills the form; one without a password ("-") signs in
 * with single sign-on: Google is chosen and its token is left to type. */
static void pick_demo(struct tui_app *app, size_t index)
{
    const struct tui_demo_account *accounts;
    const char *password;
    size_t count = 0;

    accounts = tui_demo_accounts(app->ctx->demo, &count);
    if (index >= count)
        return;
    password = base_secret_str(accounts[index].password);
    app->form.demo_selected = index;
    tui_field_set(&app->form.email, accounts[index].email);
    if (strcmp(password, DEMO_NO_PASSWORD) == 0) {
        set_method(app, TUI_APP_BY_GOOGLE);
        tui_field_clear(&app->form.password, false);
    } else {
        set_method(app, TUI_APP_BY_PASSWORD);
        tui_field_set(&app->form.password, password);
    }
    app->form.focus = TUI_APP_PASSWORD;
    app->form.error[0] = '\0';
}

static void move_focus(struct tui_app *app, int step)
{
    int focus = (int)app->form.focus;
    int i;

    for (i = 0; i < TUI_APP_FOCUS_STOPS; i++) {
        focus = (focus + step + TUI_APP_FOCUS_STOPS) % TUI_APP_FOCUS_STOPS;
        if (stop_exists(app, (enum tui_app_focus)focus))
            break;
    }
    app->form.focus = (enum tui_app_focus)focus;
}

/* A digit 1-9 fills that demo account (0 the tenth), but only while the
 * email is empty and no secret field has the focus: once an email is
 * typed, digits are text. */
static bool demo_digit(const struct tui_app *app, wint_t ch, bool is_key)
{
    enum tui_app_focus focus = app->form.focus;

    if (is_key || ch < '0' || ch > '9' || demo_count(app) == 0)
        return false;
    if (app->form.email.len > 0)
        return false;
    return focus == TUI_APP_METHOD || focus == TUI_APP_EMAIL ||
           focus == TUI_APP_DEMO_LIST;
}

/* Text typed while the list has the focus goes to the email. */
static void type_into_email(struct tui_app *app, wint_t ch)
{
    app->form.focus = TUI_APP_EMAIL;
    tui_field_key(&app->form.email, ch, false);
}

/* F3: the account switcher, over the form. */
static void open_accounts(struct tui_app *app)
{
    app->message[0] = '\0';
    tui_overlay_accounts_open(app);
    if (app->overlay != TUI_APP_ACCOUNTS && app->message[0])
        snprintf(app->form.error, sizeof(app->form.error), "%s", app->message);
}

static bool list_key(struct tui_app *app, wint_t ch, bool is_key)
{
    size_t count = demo_count(app);
    size_t *sel = &app->form.demo_selected;

    if (is_key && ch == KEY_DOWN && *sel + 1 < count)
        (*sel)++;
    else if (is_key && ch == KEY_UP && *sel > 0)
        (*sel)--;
    else if (tui_app_action(app, TUI_CONFIG_SCOPE_FORM, ch, is_key) ==
             TUI_CONFIG_ACT_FORM_SUBMIT)
        pick_demo(app, *sel);
    else if (!is_key && ch >= ' ' && ch != 127)
        type_into_email(app, ch);
    else
        return false;
    return true;
}

/* Left and Right on the method row choose the method. */
static bool method_key(struct tui_app *app, wint_t ch, bool is_key)
{
    if (is_key && ch == KEY_LEFT)
        step_method(app, -1);
    else if ((is_key && ch == KEY_RIGHT) || (!is_key && ch == ' '))
        step_method(app, 1);
    else
        return false;
    return true;
}

/* Esc on "Add account…" goes back to the account that is signed in. */
static void back_to_main(struct tui_app *app)
{
    tui_field_clear(&app->form.password, false);
    app->form.adding = false;
    app->form.error[0] = '\0';
    app->screen = TUI_APP_MAIN;
    tui_app_load_home(app, true);
}

static void escape(struct tui_app *app)
{
    char keys[32];
    bool signed_in = core_session_state(app->session) != CORE_STATE_SIGNED_OUT;

    if (app->overlay != TUI_APP_RELOGIN && app->form.request) {
        core_session_cancel(app->session, app->form.request);
        app->form.request = 0;
        snprintf(app->form.error, sizeof(app->form.error),
                 "Sign-in cancelled.");
        return;
    }
    if (app->overlay != TUI_APP_RELOGIN && app->form.adding && signed_in) {
        back_to_main(app);
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
    tui_app_message(
        app, true, "Not signed in: press %s to try again.",
        tui_app_hint(app, TUI_CONFIG_ACT_REFRESH, keys, sizeof(keys)));
}

static struct tui_field *focused_field(struct tui_app_form *form)
{
    switch (form->focus) {
    case TUI_APP_EMAIL:
        return &form->email;
    case TUI_APP_PASSWORD:
        return &form->password;
    case TUI_APP_OKTA_URL:
        return &form->okta_url;
    case TUI_APP_COMPANY:
        return &form->company;
    default:
        return NULL;
    }
}

/* The form's actions; false for a key that is none of them. */
static bool form_act(struct tui_app *app, enum tui_config_act act)
{
    struct tui_app_form *form = &app->form;

    if (act == TUI_CONFIG_ACT_FORM_METHOD)
        step_method(app, 1);
    else if (act == TUI_CONFIG_ACT_FORM_ACCOUNTS &&
             app->overlay != TUI_APP_RELOGIN)
        open_accounts(app);
    else if (act == TUI_CONFIG_ACT_FORM_NEXT)
        move_focus(app, 1);
    else if (act == TUI_CONFIG_ACT_FORM_PREV)
        move_focus(app, -1);
    else if (act == TUI_CONFIG_ACT_FORM_SUBMIT &&
             form->focus <= TUI_APP_EMAIL && form->password.len == 0)
        form->focus = TUI_APP_PASSWORD;
    else if (act == TUI_CONFIG_ACT_FORM_SUBMIT)
        tui_screen_signin_submit(app);
    else
        return false;
    return true;
}

void tui_screen_signin_key(struct tui_app *app, wint_t ch, bool is_key)
{
    struct tui_app_form *form = &app->form;
    struct tui_field *field = focused_field(form);
    enum tui_config_act act =
        tui_app_action(app, TUI_CONFIG_SCOPE_FORM, ch, is_key);

    if (act == TUI_CONFIG_ACT_FORM_CANCEL)
        escape(app);
    else if (act == TUI_CONFIG_ACT_FORM_HELP && app->overlay != TUI_APP_RELOGIN)
        tui_app_open_help(app);
    else if (form->request)
        return; /* the fields are locked while the sign-in runs */
    else if ((act == TUI_CONFIG_ACT_FORM_METHOD ||
              act == TUI_CONFIG_ACT_FORM_ACCOUNTS) &&
             form_act(app, act))
        return;
    else if (demo_digit(app, ch, is_key))
        pick_demo(app, ch == '0' ? 9 : (size_t)(ch - '1'));
    else if (form->focus == TUI_APP_DEMO_LIST && list_key(app, ch, is_key))
        return;
    else if (form->focus == TUI_APP_METHOD && method_key(app, ch, is_key))
        return;
    else if (form_act(app, act))
        return;
    else if (field == &form->password && waiting(app))
        return; /* typed during the wait it would be sent with the next */
    else if (field)
        tui_field_key(field, ch, is_key);
}
