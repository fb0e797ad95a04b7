/* `bezala export VIEW --csv`: a view as CSV on standard output or in a
 * new file written whole (a temporary file in the same folder, renamed
 * into place) so that a failure never leaves half a file. */
#include "tui/cli_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/cli.h"
#include "tui/export.h"

#define NAMES_MAX 512
#define KEYS_MAX 1024

enum export_flag {
    EF_CSV,
    EF_OUTPUT,
    EF_OUTPUT_LONG,
    EF_FORCE,
    EF_STATE,
    EF_LIMIT,
    EF_ROLE,
    EF_FILTER,
    EF_SORT,
    EF_CACHED,
    EF_COUNT
};

/* "id, date, description, ..." for view. */
static void column_keys(enum core_view view, char *out, size_t size)
{
    const struct core_view_info *info = core_view_info(view);
    size_t used;
    size_t i;

    snprintf(out, size, "id");
    for (i = 0; info && i < info->column_count; i++) {
        used = strlen(out);
        if (strcmp(info->columns[i].key, "id") != 0)
            snprintf(out + used, size - used, ", %s", info->columns[i].key);
    }
}

/* KEY or KEY:desc (or KEY:asc) into q's sort; 0 or 2 after a usage
 * error listing the keys. */
static int parse_sort(const char *text, struct tui_cli_view_query *q)
{
    char key[128];
    char keys[KEYS_MAX];
    char reason[KEYS_MAX + 128];
    const char *colon;
    size_t len;

    if (!text)
        return 0;
    colon = strrchr(text, ':');
    len = colon ? (size_t)(colon - text) : strlen(text);
    if (colon && strcmp(colon, ":desc") != 0 && strcmp(colon, ":asc") != 0)
        return tui_cli_usage_error("export", "--sort takes KEY or KEY:desc");
    snprintf(key, sizeof(key), "%.*s", (int)len, text);
    q->desc = colon && strcmp(colon, ":desc") == 0;
    if (len < sizeof(key) && core_view_column_by_key(q->view, key, &q->sort))
        return 0;
    if (strcmp(key, "id") == 0) {
        q->sort_by_id = true;
        return 0;
    }
    column_keys(q->view, keys, sizeof(keys));
    snprintf(reason, sizeof(reason),
             "unknown sort key '%.40s' for %s: use one of %s", key,
             core_view_info(q->view)->name, keys);
    return tui_cli_usage_error("export", reason);
}

/* The view named by the one positional argument; 0 or 2. */
static int parse_view(const char *const *positional, size_t count,
                      enum core_view *view)
{
    char names[NAMES_MAX];
    char reason[NAMES_MAX + 128];

    if (count == 1 && core_view_by_name(positional[0], view))
        return 0;
    tui_cli_view_names(names, sizeof(names), NULL);
    if (count == 0)
        snprintf(reason, sizeof(reason), "export needs a VIEW: one of %s",
                 names);
    else
        snprintf(reason, sizeof(reason), "unknown view '%.40s': use one of %s",
                 positional[0], names);
    return tui_cli_usage_error("export", reason);
}

/* Refuses an existing file without --force (before any request is sent,
 * and again when the file is put in place). */
static int check_target(const char *path, bool force)
{
    struct stat st;

    if (!*path)
        return tui_cli_usage_error("export", "-o needs a file name");
    if (lstat(path, &st) != 0)
        return 0;
    if (S_ISDIR(st.st_mode)) {
        tui_cli_say(stderr, "bezala: %s is a folder: give -o a file name",
                    path);
        return base_status_exit_code(BASE_E_IO);
    }
    if (force)
        return 0;
    tui_cli_say(stderr,
                "bezala: %s already exists: give --force to replace it, or "
                "another -o FILE",
                path);
    return base_status_exit_code(BASE_E_IO);
}

static int parse_args(int argc, char **argv, struct tui_options_flag *f,
                      struct tui_cli_view_query *q, const char **path)
{
    const char *positional[1] = {NULL};
    size_t count = 0;
    int code;

    code = tui_cli_flags(argc, argv, f, EF_COUNT, positional, 1, &count);
    if (code == 0)
        code = parse_view(positional, count, &q->view);
    if (code == 0 && !f[EF_CSV].seen)
        code = tui_cli_usage_error("export", "give --csv: CSV is the one "
                                             "export format");
    if (code == 0 && f[EF_OUTPUT].seen && f[EF_OUTPUT_LONG].seen)
        code = tui_cli_usage_error("export", "give -o or --output, not both");
    if (code == 0)
        code = tui_cli_view_narrow("export", q, f[EF_STATE].value,
                                   f[EF_LIMIT].value, f[EF_ROLE].value);
    if (code == 0)
        code = parse_sort(f[EF_SORT].value, q);
    *path = f[EF_OUTPUT].value ? f[EF_OUTPUT].value : f[EF_OUTPUT_LONG].value;
    if (*path && strcmp(*path, "-") == 0)
        *path = NULL;
    if (code == 0 && *path)
        code = check_target(*path, f[EF_FORCE].seen > 0);
    q->filter = f[EF_FILTER].value;
    q->cached = f[EF_CACHED].seen > 0;
    return code;
}

static int write_file(const char *path, bool force,
                      const struct core_table *table, const size_t *rows,
                      size_t n)
{
    char why[256];
    bool exists = false;

    if (tui_export_write(path, force, table, rows, n, &exists, why,
                         sizeof(why)) == BASE_OK)
        return 0;
    if (exists)
        return check_target(path, false);
    tui_cli_say(stderr, "bezala: could not write %s: %s", path, why);
    return base_status_exit_code(BASE_E_IO);
}

int tui_cli_export(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag f[EF_COUNT] = {
        {"--csv", false, NULL, 0},   {"-o", true, NULL, 0},
        {"--output", true, NULL, 0}, {"--force", false, NULL, 0},
        {"--state", true, NULL, 0},  {"--limit", true, NULL, 0},
        {"--role", true, NULL, 0},   {"--filter", true, NULL, 0},
        {"--sort", true, NULL, 0},   {"--cached", false, NULL, 0}};
    struct tui_cli_view_query q = {.sort = SIZE_MAX};
    const struct core_table *table = NULL;
    const char *path = NULL;
    size_t *rows = NULL;
    size_t n = 0;
    int code;

    code = parse_args(argc, argv, f, &q, &path);
    if (code == 0)
        code = tui_cli_view_rows(cli, &q, &table, &rows, &n);
    if (code == 0 && path)
        code = write_file(path, f[EF_FORCE].seen > 0, table, rows, n);
    else if (code == 0 && core_view_csv(stdout, table, rows, n) != BASE_OK) {
        tui_cli_say(stderr, "bezala: could not write the CSV to standard "
                            "output");
        code = base_status_exit_code(BASE_E_IO);
    }
    free(rows);
    return code;
}
