/* The export of the current view, as filtered and sorted, to a CSV file
 * chosen in a prompt on the bottom line. */
#include "tui/export.h"

#include <stdio.h>

#include <curses.h>

#include "tui/app.h"
#include "tui/draw.h"

#define PATH_BYTES 4096

void tui_export_open(struct tui_app *app)
{
    const struct core_view_info *info = core_view_info(app->view);
    const struct core_table *t = core_session_view(app->session, app->view);
    char name[PATH_BYTES];

    tui_app_order(app);
    if (!info || !t || app->lists[app->view].lv.n == 0 || app->switch_request) {
        tui_app_message(app, true, "Nothing to export: no rows are shown.");
        return;
    }
    tui_export_default_name(info->name, core_session_company_id(app->session),
                            time(NULL), name, sizeof(name));
    tui_field_set(&app->export_name, name);
    app->prompt = TUI_APP_EXPORT_NAME;
    app->message[0] = '\0';
}

void tui_export_draw(struct tui_app *app, int y, int cols)
{
    char text[TUI_APP_LONG_TEXT];
    int used;

    if (app->prompt == TUI_APP_EXPORT_CONFIRM) {
        snprintf(text, sizeof(text), "%s exists. Overwrite it? y / n",
                 app->export_name.buf);
        tui_draw_text(y, 1, cols - 1, text, TUI_DRAW_ERROR);
        return;
    }
    used = tui_draw_text(y, 1, cols - 1, "Export CSV to:", TUI_DRAW_TITLE);
    app->cursor_x =
        tui_field_draw(&app->export_name, y, 2 + used, cols - used - 3, true);
    app->cursor_y = y;
}

static void run_export(struct tui_app *app, bool overwrite)
{
    struct tui_listview *lv = &app->lists[app->view].lv;
    const struct core_table *t = core_session_view(app->session, app->view);
    const char *name = app->export_name.buf;
    enum base_status status;
    bool exists = false;
    char why[TUI_APP_TEXT];

    tui_app_order(app);
    if (!t || lv->n == 0) {
        app->prompt = TUI_APP_NO_PROMPT;
        tui_app_message(app, true, "Nothing to export: no rows are shown.");
        return;
    }
    status = tui_export_write(name, overwrite, t, lv->order, lv->n, &exists,
                              why, sizeof(why));
    if (exists) {
        app->prompt = TUI_APP_EXPORT_CONFIRM;
        return;
    }
    app->prompt = TUI_APP_NO_PROMPT;
    if (status != BASE_OK)
        tui_app_message(app, true, "Could not write %s: %s.", name, why);
    else
        tui_app_message(app, false, "Wrote %zu %s to %s.", lv->n,
                        lv->n == 1 ? "row" : "rows", name);
}

void tui_export_key(struct tui_app *app, wint_t ch, bool is_key)
{
    bool enter =
        (!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER);

    if (app->prompt == TUI_APP_EXPORT_CONFIRM) {
        if (!is_key && (ch == 'y' || ch == 'Y')) {
            run_export(app, true);
            return;
        }
        app->prompt = TUI_APP_EXPORT_NAME;
        tui_app_message(app, false,
                        "Not overwritten: change the name, or Esc.");
        return;
    }
    if (!is_key && ch == 27) {
        app->prompt = TUI_APP_NO_PROMPT;
        tui_app_message(app, false, "Export cancelled.");
    } else if (enter && app->export_name.buf[0]) {
        run_export(app, false);
    } else {
        tui_field_key(&app->export_name, ch, is_key);
    }
}
