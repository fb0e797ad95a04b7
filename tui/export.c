/* The export of the current view, as filtered and sorted, to a CSV file
 * chosen in a prompt on the bottom line. */
#include "tui/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>

#include "tui/app.h"
#include "tui/draw.h"

#define PATH_BYTES 4096

void tui_export_default_name(const char *view, int64_t company, time_t now,
                             char *out, size_t size)
{
    struct tm tm;
    char day[16] = "00000000";

    if (!out || size == 0)
        return;
    if (localtime_r(&now, &tm))
        strftime(day, sizeof(day), "%Y%m%d", &tm);
    snprintf(out, size, "./bezala-%s-%lld-%s.csv", view ? view : "view",
             (long long)company, day);
}

static bool expand(const char *path, char *out, size_t size)
{
    const char *home = getenv("HOME");
    int n;

    if (strncmp(path, "~/", 2) == 0 && home && *home)
        n = snprintf(out, size, "%s/%s", home, path + 2);
    else
        n = snprintf(out, size, "%s", path);
    return n > 0 && (size_t)n < size;
}

/* Opens path for writing: created 0600, or replaced when overwrite. */
static int open_target(const char *path, bool overwrite, bool *exists)
{
    int flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC;
    struct stat st;
    int fd;

    fd = open(path, flags | O_CREAT | O_EXCL, 0600);
    if (fd >= 0 || errno != EEXIST)
        return fd;
    if (!overwrite) {
        *exists = true;
        errno = EEXIST;
        return -1;
    }
    fd = open(path, flags);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    if (ftruncate(fd, 0) != 0 || fchmod(fd, 0600) != 0) {
        int saved = errno;

        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

enum base_status tui_export_write(const char *path, bool overwrite,
                                  const struct core_table *table,
                                  const size_t *order, size_t n, bool *exists,
                                  char *why, size_t why_size)
{
    char full[PATH_BYTES];
    enum base_status status;
    FILE *out;
    int fd;

    if (why && why_size)
        why[0] = '\0';
    if (!path || !*path || !table || !exists || !why || why_size == 0)
        return BASE_E_INVALID;
    *exists = false;
    if (!expand(path, full, sizeof(full))) {
        snprintf(why, why_size, "the file name is too long");
        return BASE_E_INVALID;
    }
    fd = open_target(full, overwrite, exists);
    if (fd < 0) {
        snprintf(why, why_size, "%s",
                 errno == EINVAL ? "not a regular file" : strerror(errno));
        return BASE_E_IO;
    }
    out = fdopen(fd, "w");
    if (!out) {
        snprintf(why, why_size, "%s", strerror(errno));
        close(fd);
        return BASE_E_IO;
    }
    status = core_view_csv(out, table, order, n);
    if (fclose(out) != 0 && status == BASE_OK)
        status = BASE_E_IO;
    if (status != BASE_OK)
        snprintf(why, why_size, "writing failed (%s)",
                 base_status_message(status));
    return status;
}

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
        tui_app_message(app, false, "wrote %zu rows to %s", lv->n, name);
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
