/* The UI's main loop (draw, drive the session while waiting on the
 * terminal, read every pending key) and the session's events. */
#include "tui/app.h"

#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "base/log.h"
#include "tui/cli.h"
#include "tui/config.h"
#include "tui/draw.h"
#include "tui/message.h"

#define WAIT_MS 50
/* A cached list shows its first CACHED_FIRST rows in the first frame;
 * the rest is read on idle ticks, CACHED_BATCH rows at a time for at most
 * CACHED_SLICE_US per tick, with a frame at least every CACHED_DRAW_US
 * (and after every key) meanwhile. */
#define CACHED_FIRST 200
#define CACHED_BATCH 64
#define CACHED_SLICE_US 4000
#define CACHED_DRAW_US 200000

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

static void catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, NULL);
}

void tui_app_message(struct tui_app *app, bool error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(app->message, sizeof(app->message), fmt, ap);
    va_end(ap);
    app->message_error = error;
}

void tui_app_load_home(struct tui_app *app, bool reload_view)
{
    enum base_status status;
    uint64_t request = 0;

    if (app->home_request)
        core_session_cancel(app->session, app->home_request);
    app->home_request = 0;
    app->reload_view = app->reload_view || reload_view;
    status = core_session_load_home(app->session, &request);
    if (status != BASE_OK) {
        tui_message_compose(app->message, sizeof(app->message),
                            "Could not load your companies", status, NULL);
        app->message_error = true;
        return;
    }
    app->home_request = request;
}

int64_t tui_app_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum core_access tui_app_access(const struct tui_app *app, enum core_view view)
{
    const struct core_membership *m =
        core_session_active_membership(app->session);

    return core_view_access(view, m ? &m->roles : NULL);
}

void tui_app_load_view(struct tui_app *app, enum core_view view)
{
    struct tui_app_list *list = &app->lists[view];
    enum base_status status;
    uint64_t request = 0;

    /* During a switch the server's company is in flux: the switch's end
     * loads the view of whichever company it lands on. */
    if (app->switch_request || view >= CORE_VIEW_COUNT ||
        tui_app_access(app, view) == CORE_ACCESS_NO)
        return;
    if (list->request)
        core_session_cancel(app->session, list->request);
    list->request = 0;
    list->asked = true;
    list->forbidden = false;
    list->error[0] = '\0';
    list->progress = 0;
    status = core_session_load_view(app->session, view, NULL, &request);
    if (status != BASE_OK) {
        tui_message_compose(list->error, sizeof(list->error), "Could not load",
                            status, core_session_last_error(app->session));
        return;
    }
    list->request = request;
}

/* The cached rows of view, once per company, so that they show before
 * (or without) the server's answer. */
static void read_cached(struct tui_app *app, enum core_view view)
{
    struct tui_app_list *list = &app->lists[view];
    enum base_status status;

    if (list->asked)
        return;
    list->asked = true;
    list->lv.dirty = true;
    status = core_session_view_cached_first(app->session, view, CACHED_FIRST);
    if (status != BASE_OK)
        base_log(BASE_LOG_DEBUG, "cached view: %s", base_status_name(status));
}

void tui_app_show_view(struct tui_app *app, enum core_view view)
{
    struct tui_app_list *list;

    if (view >= CORE_VIEW_COUNT)
        return;
    list = &app->lists[view];
    /* The filter being typed stays open when the same view is shown
     * again (an answer arrived, the server went away). */
    if (app->view != view) {
        tui_detail_close(app);
        if (app->prompt == TUI_APP_FILTERING)
            app->prompt = TUI_APP_NO_PROMPT;
    }
    app->view = view;
    if (app->switch_request)
        return;
    read_cached(app, view);
    /* Before /api/home answers the server's company is not known: the
     * home answer loads the view. */
    if (app->home_request || app->offline) {
        app->reload_view = app->reload_view || app->home_request;
        return;
    }
    if (!list->fresh && !list->request)
        tui_app_load_view(app, view);
}

const char *tui_app_company(const struct tui_app *app)
{
    const char *name = core_session_company_name(app->session);

    return name ? name : "no company";
}

void tui_app_forget_views(struct tui_app *app)
{
    size_t i;

    tui_detail_close(app);
    if (app->prompt != TUI_APP_NO_PROMPT)
        app->prompt = TUI_APP_NO_PROMPT;
    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        struct tui_app_list *list = &app->lists[i];

        if (list->request)
            core_session_cancel(app->session, list->request);
        list->request = 0;
        list->asked = false;
        list->fresh = false;
        list->forbidden = false;
        list->progress = 0;
        list->loaded_at = 0;
        list->error[0] = '\0';
        list->natural_count = SIZE_MAX;
        tui_listview_reset(&list->lv);
        tui_field_clear(&list->filter, false);
    }
    app->company = core_session_company_id(app->session);
}

/* What the offline message says: in --demo the bundled server cannot
 * come back (it was this run's child), so no retry is promised. */
static void say_offline(struct tui_app *app, const struct core_event *ev)
{
    char cause[TUI_APP_TEXT];

    tui_message_cause(cause, sizeof(cause), ev->status, ev->detail);
    if (app->ctx->demo)
        tui_app_message(app, true,
                        "Offline: the demo server stopped (%s). Showing "
                        "what was loaded; quit and start bezala --demo "
                        "again to carry on.",
                        cause);
    else
        tui_app_message(app, true,
                        "Offline: %s (%s). Showing what is cached; trying "
                        "again every %d s, r now.",
                        ev->status == BASE_E_TLS
                            ? "the server's certificate is refused"
                            : "the server does not answer",
                        cause, TUI_APP_RETRY_MS / 1000);
}

/* The server did not answer ev: from here on the rows shown are marked
 * with their age, and the message says so at once. */
static void go_offline(struct tui_app *app, const struct core_event *ev)
{
    if (!app->offline) {
        base_log(BASE_LOG_INFO, "offline: showing cached data");
        say_offline(app, ev);
    }
    app->offline = true;
    app->retry_at_ms = tui_app_now_ms() + TUI_APP_RETRY_MS;
}

void tui_app_tick(struct tui_app *app)
{
    if (!app->offline || app->screen != TUI_APP_MAIN || app->home_request ||
        app->switch_request || tui_app_now_ms() < app->retry_at_ms)
        return;
    app->retry_at_ms = tui_app_now_ms() + TUI_APP_RETRY_MS;
    tui_app_load_home(app, true);
}

const struct tui_config *tui_app_config(const struct tui_app *app)
{
    const struct tui_config *cfg = NULL;

    if (app && app->ctx && app->ctx->opts)
        cfg = app->ctx->opts->config;
    return tui_config_or_defaults(cfg);
}

enum tui_config_act tui_app_action(const struct tui_app *app,
                                   enum tui_config_scope scope, wint_t ch,
                                   bool is_key)
{
    return tui_config_action(tui_app_config(app), scope, (int)ch, is_key);
}

const char *tui_app_hint(const struct tui_app *app, enum tui_config_act act,
                         char *buf, size_t size)
{
    return tui_config_hint(tui_app_config(app), act, 1, buf, size);
}

const char *tui_app_list_hint(const struct tui_app *app, char *buf, size_t size)
{
    char submit[32], cancel[32];

    tui_app_hint(app, TUI_CONFIG_ACT_FORM_SUBMIT, submit, sizeof(submit));
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_CANCEL, cancel, sizeof(cancel));
    snprintf(buf, size, "%s: switch   Up/Down: move   %s: close", submit,
             cancel);
    return buf;
}

void tui_app_open_help(struct tui_app *app)
{
    app->overlay = TUI_APP_HELP;
    app->help_top = 0;
}

void tui_app_start_over(struct tui_app *app)
{
    if (app->home_request)
        core_session_cancel(app->session, app->home_request);
    if (app->switch_request)
        core_session_cancel(app->session, app->switch_request);
    app->home_request = 0;
    app->switch_request = 0;
    app->reload_view = false;
    app->offline = false;
    app->home_cached = false;
    tui_app_forget_views(app);
    tui_field_clear(&app->picker.filter, false);
    app->picker.selected = 0;
    app->message[0] = '\0';
}

static void open_relogin(struct tui_app *app)
{
    const char *email = core_session_email(app->session);

    if (app->overlay == TUI_APP_RELOGIN)
        return;
    app->overlay = TUI_APP_RELOGIN;
    tui_field_set(&app->form.email, email ? email : "");
    tui_field_clear(&app->form.password, false);
    app->form.focus = email && *email ? TUI_APP_PASSWORD : TUI_APP_EMAIL;
    app->form.error[0] = '\0';
    app->form.request = 0;
}

static void on_signed_in(struct tui_app *app, const struct core_event *ev)
{
    bool relogin = app->overlay == TUI_APP_RELOGIN;

    if (ev->request != app->form.request)
        return;
    app->form.request = 0;
    app->form.error[0] = '\0';
    tui_field_clear(&app->form.password, false);
    if (relogin)
        app->overlay = TUI_APP_NO_OVERLAY;
    if (relogin && !app->form.other_account) {
        tui_app_message(app, false, "Signed in again as %s.",
                        app->form.sent_email);
        return;
    }
    /* Another account: nothing of the old one may stay on screen, and its
     * held requests are dropped here rather than failing later. */
    if (app->form.other_account)
        tui_app_start_over(app);
    app->form.adding = false;
    app->screen = TUI_APP_MAIN;
    tui_app_message(app, false, "Signed in as %s.", app->form.sent_email);
    tui_app_load_home(app, true);
}

/* The lists show one company's rows only: when the session's company is
 * another, they are dropped before anything is drawn. */
static void follow_company(struct tui_app *app)
{
    int64_t id = core_session_company_id(app->session);

    /* No company was known yet (nothing cached): nothing of another is
     * on screen, and a filter being typed is kept. */
    if (app->company == 0 && id != 0) {
        app->company = id;
        return;
    }
    if (id != app->company)
        tui_app_forget_views(app);
}

static void on_home(struct tui_app *app, const struct core_event *ev)
{
    size_t i;

    if (ev->request == app->home_request)
        app->home_request = 0;
    app->home_cached = false;
    follow_company(app);
    if (app->offline) {
        app->offline = false;
        app->reload_view = true;
        for (i = 0; i < CORE_VIEW_COUNT; i++)
            app->lists[i].fresh = false;
        tui_app_message(app, false, "Back online: %s refreshed.",
                        tui_app_company(app));
    }
    if (app->reload_view || !app->lists[app->view].fresh) {
        app->reload_view = false;
        app->lists[app->view].fresh = false;
        tui_app_show_view(app, app->view);
    }
}

static void on_changed_elsewhere(struct tui_app *app)
{
    tui_app_message(app, true,
                    "The active company was changed elsewhere: now %s. "
                    "Views reloaded.",
                    tui_app_company(app));
    tui_app_forget_views(app);
    if (app->home_request)
        app->reload_view = true;
    else
        tui_app_show_view(app, app->view);
}

static struct tui_app_list *event_list(struct tui_app *app,
                                       const struct core_event *ev)
{
    struct tui_app_list *list;

    if (ev->view >= CORE_VIEW_COUNT)
        return NULL;
    list = &app->lists[ev->view];
    /* A load replaced by a newer one says nothing more. */
    if (ev->request && list->request && ev->request != list->request)
        return NULL;
    return list;
}

static void on_view(struct tui_app *app, const struct core_event *ev)
{
    struct tui_app_list *list = event_list(app, ev);

    if (!list)
        return;
    list->request = 0;
    list->asked = true;
    list->fresh = true;
    list->forbidden = false;
    list->loaded_at = (int64_t)time(NULL);
    list->error[0] = '\0';
    list->lv.dirty = true;
    if (app->offline) {
        app->offline = false;
        tui_app_message(app, false, "Back online.");
    }
    /* Said once a run: the store's trouble is the same for every list. */
    if (ev->detail && *ev->detail && !app->cache_warned) {
        app->cache_warned = true;
        tui_app_message(app, true, "%s could not be kept for offline use: %s.",
                        core_view_info(ev->view)->title, ev->detail);
    }
}

static void on_progress(struct tui_app *app, const struct core_event *ev)
{
    struct tui_app_list *list = event_list(app, ev);

    if (!list)
        return;
    list->progress = ev->count;
    list->loaded_at = (int64_t)time(NULL);
    list->lv.dirty = true;
}

static bool unreachable(enum base_status status)
{
    return status == BASE_E_NETWORK || status == BASE_E_TLS;
}

/* A refresh failed while the view shows its rows from before: the rows
 * stay, and the message line says what failed. */
static void refresh_failed(struct tui_app *app, const struct core_event *ev)
{
    const struct core_view_info *info = core_view_info(ev->view);
    char lead[96];
    size_t len;

    snprintf(lead, sizeof(lead), "Could not refresh %s",
             info ? info->title : "the list");
    tui_message_compose(app->message, sizeof(app->message), lead, ev->status,
                        ev->detail);
    len = strlen(app->message);
    snprintf(app->message + len, sizeof(app->message) - len,
             " Showing the rows from before; r tries again.");
    app->message_error = true;
}

static bool list_failed(struct tui_app *app, const struct core_event *ev)
{
    struct tui_app_list *list = event_list(app, ev);

    if (!list || (ev->request && ev->request != list->request))
        return false;
    list->request = 0;
    list->lv.dirty = true;
    list->forbidden = ev->status == BASE_E_FORBIDDEN;
    tui_message_compose(list->error, sizeof(list->error), NULL, ev->status,
                        ev->detail);
    if (unreachable(ev->status))
        go_offline(app, ev);
    else if (core_session_view(app->session, ev->view)->count > 0)
        refresh_failed(app, ev);
    return true;
}

static const char *const method_labels[TUI_APP_METHODS] = {"Password", "Google",
                                                           "Microsoft", "Okta"};

static void on_form_failed(struct tui_app *app, const struct core_event *ev)
{
    struct tui_app_form *form = &app->form;
    char keys[32];
    char lead[96];
    size_t len;

    form->request = 0;
    tui_field_clear(&form->password, false);
    if (ev->status == BASE_E_CREDENTIALS &&
        form->method == TUI_APP_BY_PASSWORD) {
        tui_message_server(form->error, sizeof(form->error),
                           "Wrong email or password", ev->detail);
    } else if (ev->status == BASE_E_CREDENTIALS) {
        snprintf(lead, sizeof(lead), "%s sign-in refused",
                 method_labels[form->method]);
        tui_message_server(form->error, sizeof(form->error), lead, ev->detail);
    } else if (ev->status == BASE_E_SSO_REQUIRED) {
        tui_message_compose(form->error, sizeof(form->error),
                            "Password sign-in refused", ev->status, ev->detail);
        len = strlen(form->error);
        snprintf(
            form->error + len, sizeof(form->error) - len,
            " Press %s to choose Google, Microsoft or Okta.",
            tui_app_hint(app, TUI_CONFIG_ACT_FORM_METHOD, keys, sizeof(keys)));
    } else {
        tui_message_compose(form->error, sizeof(form->error),
                            "Could not sign in", ev->status, ev->detail);
    }
}

/* The rows were dropped when the switch began: the company the server
 * is on now (the old one, or where another session moved it) is loaded
 * again, and the message gives the whole reason. */
static void switch_failed(struct tui_app *app, const struct core_event *ev)
{
    char lead[TUI_APP_TEXT];

    app->switch_request = 0;
    snprintf(lead, sizeof(lead), "Could not switch to %s", app->switch_name);
    tui_message_compose(app->message, sizeof(app->message), lead, ev->status,
                        ev->detail);
    app->message_error = true;
    tui_app_forget_views(app);
    tui_app_show_view(app, app->view);
}

/* The server does not answer: what is cached stays, marked offline, and
 * the tick asks again. */
static void home_unreachable(struct tui_app *app, const struct core_event *ev)
{
    go_offline(app, ev);
    app->reload_view = true;
    say_offline(app, ev);
    /* The cached rows of the current view show meanwhile. */
    tui_app_show_view(app, app->view);
}

static void on_failed(struct tui_app *app, const struct core_event *ev)
{
    const char *lead = NULL;

    if (ev->request && ev->request == app->form.request) {
        on_form_failed(app, ev);
        return;
    }
    if (ev->request && ev->request == app->switch_request) {
        switch_failed(app, ev);
        return;
    } else if (ev->request && ev->request == app->home_request) {
        app->home_request = 0;
        lead = "Could not load your companies";
        if (unreachable(ev->status)) {
            home_unreachable(app, ev);
            return;
        }
    } else if (ev->status == BASE_E_MOVED && ev->view < CORE_VIEW_COUNT &&
               ev->request != app->lists[ev->view].request) {
        /* CORE_EV_CHANGED_ELSEWHERE said the move and reloaded the views:
         * the list it cut off adds nothing to the message line. */
        return;
    } else if (list_failed(app, ev) && ev->status != BASE_E_AUTH) {
        return;
    }
    /* A 401 that ends a request (the repeat after a fresh sign-in was
     * rejected too) is said on the message line; no second overlay. */
    tui_message_compose(app->message, sizeof(app->message), lead, ev->status,
                        ev->detail);
    app->message_error = true;
}

/* "Switched the server back to X; it had been moved to Y elsewhere." */
static void on_pinned_back(struct tui_app *app, const struct core_event *ev)
{
    char text[TUI_APP_TEXT];

    snprintf(text, sizeof(text), "%s", ev->detail ? ev->detail : "");
    if (text[0] >= 'a' && text[0] <= 'z')
        text[0] = (char)(text[0] - 'a' + 'A');
    tui_app_message(app, false, "%s (pinned).", text);
}

/* The server answered, with 401: it is no longer offline, and the
 * offline message would contradict the re-login form. */
static void on_auth_required(struct tui_app *app)
{
    if (app->offline)
        app->message[0] = '\0';
    app->offline = false;
    if (app->screen == TUI_APP_MAIN)
        open_relogin(app);
}

static void on_event(const struct core_event *ev, void *user)
{
    struct tui_app *app = user;

    switch (ev->kind) {
    case CORE_EV_SIGNED_IN:
        on_signed_in(app, ev);
        break;
    case CORE_EV_HOME:
        on_home(app, ev);
        break;
    case CORE_EV_SWITCHED:
        app->switch_request = 0;
        tui_app_message(app, false, "Switched to %s.", tui_app_company(app));
        tui_app_forget_views(app);
        tui_app_show_view(app, app->view);
        break;
    case CORE_EV_VIEW:
        on_view(app, ev);
        break;
    case CORE_EV_PROGRESS:
        on_progress(app, ev);
        break;
    case CORE_EV_AUTH_REQUIRED:
        on_auth_required(app);
        break;
    case CORE_EV_CHANGED_ELSEWHERE:
        on_changed_elsewhere(app);
        break;
    case CORE_EV_FAILED:
        on_failed(app, ev);
        break;
    case CORE_EV_PINNED_BACK:
        on_pinned_back(app, ev);
        break;
    }
}

/* Keys read since the last frame, and when the first of them was. */
static int keys_read;
static int64_t keys_read_us;

static int64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void draw(struct tui_app *app)
{
    app->cursor_y = -1;
    erase();
    /* A one-column screen shows nothing useful, and ncurses writes the
     * bottom-right cell of such a screen by copying the cell left of it,
     * which does not exist: stray bytes reach the terminal. Its own
     * repaint after a resize may already have done so; a cleared screen
     * with nothing on it wipes them and writes no cell. */
    if (tui_draw_cols() < 2) {
        curs_set(0);
        clearok(stdscr, TRUE);
        refresh();
        return;
    }
    if (app->screen == TUI_APP_UNLOCK)
        tui_screen_unlock_draw(app);
    else if (app->screen == TUI_APP_SIGNIN)
        tui_screen_signin_draw(app);
    else
        tui_screen_main_draw(app);
    if (app->overlay == TUI_APP_HELP)
        tui_overlay_help_draw(app);
    else if (app->overlay == TUI_APP_PICKER)
        tui_overlay_picker_draw(app);
    else if (app->overlay == TUI_APP_ACCOUNTS)
        tui_overlay_accounts_draw(app);
    else if (app->overlay == TUI_APP_RELOGIN)
        tui_screen_signin_relogin_draw(app);
    if (app->cursor_y >= 0 && app->cursor_y < tui_draw_rows() &&
        app->cursor_x < tui_draw_cols()) {
        move(app->cursor_y, app->cursor_x);
        curs_set(1);
    } else {
        curs_set(0);
    }
    refresh();
    if (keys_read > 0) {
        /* Per-key cost for bench/; never the keys, which may be secret. */
        base_log(BASE_LOG_DEBUG, "key handled in %lld us (%d keys)",
                 (long long)(now_us() - keys_read_us), keys_read);
        keys_read = 0;
    }
}

static void dispatch(struct tui_app *app, wint_t ch, bool is_key)
{
    if (tui_app_action(app, TUI_CONFIG_SCOPE_MAIN, ch, is_key) ==
        TUI_CONFIG_ACT_REDRAW) {
        clearok(curscr, TRUE);
        return;
    }
    switch (app->overlay) {
    case TUI_APP_HELP:
        tui_overlay_help_key(app, ch, is_key);
        return;
    case TUI_APP_PICKER:
        tui_overlay_picker_key(app, ch, is_key);
        return;
    case TUI_APP_RELOGIN:
        tui_screen_signin_key(app, ch, is_key);
        return;
    case TUI_APP_ACCOUNTS:
        tui_overlay_accounts_key(app, ch, is_key);
        return;
    default:
        break;
    }
    if (app->screen == TUI_APP_UNLOCK)
        tui_screen_unlock_key(app, ch, is_key);
    else if (app->screen == TUI_APP_SIGNIN)
        tui_screen_signin_key(app, ch, is_key);
    else
        tui_screen_main_key(app, ch, is_key);
}

static void read_keys(struct tui_app *app)
{
    wint_t ch = 0;
    int rc;

    while (!app->quit && !stop_signal) {
        rc = wget_wch(stdscr, &ch);
        if (rc == ERR)
            break;
        /* Draw the new size before the next wget_wch, which would
         * otherwise repaint the resized old frame itself: on a
         * one-column screen ncurses reads the cell left of the last one
         * there, outside the line (see draw). */
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
            break;
        if (keys_read++ == 0)
            keys_read_us = now_us();
        dispatch(app, ch, rc == KEY_CODE_YES);
    }
}

/* A locale that is not UTF-8 cannot show names with accents or CJK: the
 * UI falls back to ASCII (see tui/text.c) and says so once. */
static void say_locale(struct tui_app *app)
{
    const char *codeset = nl_langinfo(CODESET);

    if (codeset && strcmp(codeset, "UTF-8") == 0)
        return;
    tui_app_message(app, false,
                    "The locale's character set is %s, not UTF-8: letters "
                    "outside ASCII show plain or as ?. Start with "
                    "LANG=C.UTF-8 to see them.",
                    codeset && *codeset ? codeset : "unknown");
}

/* Whether the terminal can place the cursor, which every screen needs
 * (TERM=dumb cannot). */
static bool can_address(void)
{
    const char *cup = tigetstr("cup");

    return cup && cup != (const char *)-1;
}

/* Starts curses with the settings file's mouse and theme; NULL with why
 * set when this terminal cannot show the UI. */
static SCREEN *start_curses(const struct tui_config *cfg, char *why,
                            size_t size)
{
    const char *term = getenv("TERM");
    SCREEN *screen;

    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(why, size, "the full-screen UI needs a terminal");
        return NULL;
    }
    screen = newterm(NULL, stdout, stdin);
    if (!screen || !can_address()) {
        if (screen) {
            endwin();
            delscreen(screen);
        }
        snprintf(why, size,
                 "this terminal (TERM=%s) cannot show the full-screen UI; "
                 "use a terminal such as xterm or tmux",
                 term && *term ? term : "not set");
        return NULL;
    }
    set_term(screen);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    /* Presses, not clicks: ncurses would hold each press for the click
     * interval and merge a fast turn of the wheel. A press on the selected
     * row opens it, which serves as the double click. mouse = off leaves
     * the terminal's own selection alone. */
    if (tui_config_mouse(cfg))
        mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    else
        mousemask(0, NULL);
    mouseinterval(0);
    tui_draw_init_theme(cfg);
    return screen;
}

/* The first frame shows what the store holds (home and the current
 * view) while /api/home is asked. */
static void show_cached(struct tui_app *app)
{
    enum base_status status;
    int64_t saved_at = 0;
    bool found = false;

    status = core_session_load_home_cached(app->session, &found, &saved_at);
    if (status != BASE_OK || !found)
        return;
    app->home_cached = true;
    app->home_saved_at = saved_at;
    tui_app_forget_views(app);
}

void tui_app_first_screen(struct tui_app *app)
{
    const char *email = core_session_email(app->session);

    if (core_session_token_status(app->session) == BASE_E_LOCKED) {
        app->screen = TUI_APP_UNLOCK;
        return;
    }
    if (core_session_state(app->session) != CORE_STATE_SIGNED_OUT) {
        app->screen = TUI_APP_MAIN;
        show_cached(app);
        tui_app_load_home(app, true);
        tui_app_show_view(app, app->view);
        return;
    }
    app->screen = TUI_APP_SIGNIN;
    if (!email || !*email)
        email = app->ctx->account;
    tui_field_set(&app->form.email, email ? email : "");
    app->form.focus = app->form.email.len ? TUI_APP_PASSWORD : TUI_APP_EMAIL;
    app->form.error[0] = '\0';
    if (core_session_token_status(app->session) == BASE_E_TOKEN_UNREADABLE)
        snprintf(app->form.error, sizeof(app->form.error),
                 "The stored sign-in could not be read: sign in again.");
}

static enum base_status open_session(struct tui_app *app, const char *server,
                                     const char *email, bool pin,
                                     struct core_session **out)
{
    const struct tui_context *ctx = app->ctx;
    struct core_config config = {
        .server = server,
        .cacert = ctx->cacert,
        .data_dir = ctx->data_dir,
        .key_dir = ctx->key_dir,
        .email = email,
        .passphrase = app->passphrase,
        .pin_company = pin,
    };
    struct core_callbacks callbacks = {.on_event = on_event, .user = app};

    return core_session_new(&config, &callbacks, out);
}

void tui_app_form_reset(struct tui_app *app)
{
    struct tui_app_form *form = &app->form;

    form->method = TUI_APP_BY_PASSWORD;
    tui_field_clear(&form->email, false);
    tui_field_clear(&form->password, false);
    tui_field_clear(&form->okta_url, false);
    tui_field_clear(&form->company, false);
    form->focus = TUI_APP_EMAIL;
    form->request = 0;
    form->error[0] = '\0';
}

bool tui_app_switch_account(struct tui_app *app, const char *server,
                            const char *email)
{
    struct core_session *next = NULL;
    enum base_status status;

    /* 'p' pins the account it was pressed for; another account starts
     * from --pin-company like any session of this run. */
    status =
        open_session(app, server, email, app->ctx->opts->pin_company, &next);
    if (status != BASE_OK) {
        tui_message_compose(app->message, sizeof(app->message),
                            "Could not open that account", status,
                            core_session_startup_error());
        app->message_error = true;
        return false;
    }
    /* Nothing of the old account may be drawn once the new one shows:
     * its requests and rows go with its session. */
    tui_app_start_over(app);
    if (app->form.request)
        core_session_cancel(app->session, app->form.request);
    core_session_free(&app->session);
    app->session = next;
    app->overlay = TUI_APP_NO_OVERLAY;
    tui_app_form_reset(app);
    app->form.adding = false;
    tui_app_first_screen(app);
    if (app->screen == TUI_APP_MAIN)
        tui_app_message(app, false, "Switched to account %s.", email);
    else if (!app->form.error[0])
        snprintf(app->form.error, sizeof(app->form.error),
                 "%s is not signed in: sign in to use it.", email);
    return true;
}

/* Reads more of view's cached list until until_us; whether rows are
 * still left. */
static bool cached_slice(struct tui_app *app, enum core_view view,
                         int64_t until_us)
{
    struct core_view_state st;
    enum base_status status;
    bool more = false;

    core_session_view_state(app->session, view, &st);
    while (st.decoding && now_us() < until_us) {
        status = core_session_view_cached_more(app->session, view, CACHED_BATCH,
                                               &more);
        if (status != BASE_OK)
            base_log(BASE_LOG_DEBUG, "cached view: %s",
                     base_status_name(status));
        core_session_view_state(app->session, view, &st);
    }
    return st.decoding;
}

/* An idle tick's slice of the cached lists still being read, the shown
 * view's first; true while rows are left. */
static bool read_cached_more(struct tui_app *app)
{
    int64_t until_us = now_us() + CACHED_SLICE_US;
    bool left = cached_slice(app, app->view, until_us);
    size_t i;

    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        if (cached_slice(app, (enum core_view)i, until_us))
            left = true;
    }
    return left;
}

static void loop(struct tui_app *app)
{
    enum base_status status;
    int64_t drawn_us = 0;
    bool decoding = false;

    while (!app->quit && !stop_signal) {
        /* While cached rows are read a frame (and the list's rebuild)
         * follows keys at once, otherwise only now and then. */
        if (!decoding || keys_read > 0 ||
            now_us() - drawn_us >= CACHED_DRAW_US) {
            draw(app);
            drawn_us = now_us();
        }
        if (app->unlock.pending) {
            tui_screen_unlock_run(app);
            continue;
        }
        status = core_session_wait(app->session, STDIN_FILENO,
                                   decoding ? 0 : WAIT_MS);
        if (status != BASE_OK)
            base_log(BASE_LOG_DEBUG, "wait: %s", base_status_name(status));
        read_keys(app);
        tui_app_tick(app);
        decoding = read_cached_more(app);
    }
}

static void free_app(struct tui_app *app)
{
    size_t i;

    tui_detail_close(app);
    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        tui_listview_reset(&app->lists[i].lv);
        tui_field_clear(&app->lists[i].filter, true);
    }
    tui_field_clear(&app->export_name, true);
    tui_field_clear(&app->form.password, true);
    tui_field_clear(&app->form.email, true);
    tui_field_clear(&app->form.okta_url, true);
    tui_field_clear(&app->form.company, true);
    tui_field_clear(&app->picker.filter, true);
    tui_field_clear(&app->unlock.passphrase, true);
    tui_overlay_accounts_close(app);
    tui_field_clear(&app->accounts.filter, true);
    base_secret_free(&app->passphrase);
    core_session_free(&app->session);
    free(app);
}

static void init_lists(struct tui_app *app)
{
    size_t i;

    tui_field_init(&app->export_name, false);
    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        tui_field_init(&app->lists[i].filter, false);
        tui_listview_reset(&app->lists[i].lv);
        app->lists[i].natural_count = SIZE_MAX;
    }
}

/* The settings file's problems: all in the log, the first (with how many
 * more) on the message line, or the sign-in form when that shows. */
static void say_config(struct tui_app *app)
{
    const struct tui_config *cfg = app->ctx->opts->config;
    size_t count = tui_config_problem_count(cfg);
    size_t i;

    for (i = 0; i < count; i++)
        base_log(BASE_LOG_WARN, "%s", tui_config_problem(cfg, i));
    if (count == 0)
        return;
    if (count == 1)
        tui_app_message(app, true, "%s", tui_config_problem(cfg, 0));
    else
        tui_app_message(app, true,
                        "%s (and %zu more: run `bezala help` "
                        "to see them all)",
                        tui_config_problem(cfg, 0), count - 1);
    if (app->screen == TUI_APP_SIGNIN && !app->form.error[0])
        snprintf(app->form.error, sizeof(app->form.error), "%s", app->message);
}

int tui_app_run(const struct tui_context *ctx)
{
    struct tui_app *app = calloc(1, sizeof(*app));
    enum base_status status;
    char why[TUI_APP_TEXT];
    SCREEN *screen;

    if (!app)
        return base_status_exit_code(BASE_E_NOMEM);
    app->ctx = ctx;
    tui_field_init(&app->form.email, false);
    tui_field_init(&app->form.password, true);
    tui_field_init(&app->form.okta_url, false);
    tui_field_init(&app->form.company, false);
    tui_field_init(&app->picker.filter, false);
    tui_field_init(&app->unlock.passphrase, true);
    tui_field_init(&app->accounts.filter, false);
    init_lists(app);
    status = open_session(app, ctx->server, ctx->account,
                          ctx->opts->pin_company, &app->session);
    if (status != BASE_OK) {
        tui_cli_report(ctx, status, core_session_startup_error());
        free_app(app);
        return base_status_exit_code(status);
    }
    screen = start_curses(ctx->opts->config, why, sizeof(why));
    if (!screen) {
        fprintf(stderr,
                "bezala: %s, or run a command instead (see `bezala help`)\n",
                why);
        free_app(app);
        return base_status_exit_code(BASE_E_USAGE);
    }
    catch_signals();
    tui_app_first_screen(app);
    say_locale(app);
    say_config(app);
    loop(app);
    endwin();
    delscreen(screen);
    free_app(app);
    return stop_signal ? 128 + stop_signal : 0;
}
