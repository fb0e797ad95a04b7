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
#include "tui/text.h"

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

/* The length of the UTF-8 sequence at s, 0 when it is invalid. */
static size_t utf8_length(const unsigned char *s)
{
    size_t n = s[0] < 0x80   ? 1
               : s[0] < 0xc2 ? 0
               : s[0] < 0xe0 ? 2
               : s[0] < 0xf0 ? 3
               : s[0] < 0xf5 ? 4
                             : 0;
    size_t i;

    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    }
    /* Overlong three- and four-byte forms, surrogates, past U+10FFFF. */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
        return 0;
    return n;
}

bool tui_cli_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;

    if (!s)
        return false;
    while (*p) {
        n = utf8_length(p);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
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
    if (code == 0 && f[EF_FILTER].value &&
        !tui_cli_utf8_valid(f[EF_FILTER].value))
        code = tui_cli_usage_error("export", "--filter is not valid UTF-8 "
                                             "text: check the terminal's or "
                                             "the script's encoding");
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

/* A copy of cell made safe for a terminal as the text table is; list
 * items are made safe one by one so that their '\n' separators stay. */
static char *safe_cell(const char *cell, bool list)
{
    char *out = list ? malloc(strlen(cell) + 1) : tui_text_safe(cell);
    size_t used = 0;
    char *item;
    char *safe;
    size_t len;

    while (list && out) {
        len = strcspn(cell, "\n");
        item = strndup(cell, len);
        safe = tui_text_safe(item);
        free(item);
        if (!safe) {
            free(out);
            return NULL;
        }
        /* Never longer than what it was made from. */
        memcpy(out + used, safe, strlen(safe));
        used += strlen(safe);
        free(safe);
        cell += len;
        if (*cell != '\n')
            break;
        out[used++] = *cell++;
    }
    if (list && out)
        out[used] = '\0';
    return out;
}

/* Rows rows[0..n) of table, every cell made safe for a terminal, into
 * copy (empty before; the caller clears it with core_table_clear). */
static enum base_status safe_copy(const struct core_table *table,
                                  const size_t *rows, size_t n,
                                  struct core_table *copy)
{
    const struct core_view_info *info = core_view_info(table->view);
    const struct core_row *from;
    struct core_row *to;
    size_t i;
    size_t c;

    copy->view = table->view;
    copy->rows = calloc(n + 1, sizeof(*copy->rows));
    if (!copy->rows)
        return BASE_E_NOMEM;
    copy->cap = n + 1;
    for (i = 0; i < n; i++, copy->count++) {
        from = &table->rows[rows[i]];
        to = &copy->rows[i];
        to->id = from->id;
        to->cells = calloc(info->column_count + 1, sizeof(*to->cells));
        if (!to->cells)
            return BASE_E_NOMEM;
        for (c = 0; c < info->column_count; c++) {
            if (!from->cells[c])
                continue;
            to->cells[c] = safe_cell(from->cells[c],
                                     info->columns[c].kind == CORE_CELL_LIST);
            if (!to->cells[c])
                return BASE_E_NOMEM;
        }
    }
    return BASE_OK;
}

/* The CSV on standard output: as sent into a pipe or a file, and with
 * every field made safe, as the text table is, on a terminal, where
 * escape sequences and bidi controls from the server would act. */
static int write_stdout(const struct core_table *table, const size_t *rows,
                        size_t n)
{
    struct core_table copy = {0};
    enum base_status status;

    if (!isatty(STDOUT_FILENO)) {
        status = core_view_csv(stdout, table, rows, n);
    } else {
        status = safe_copy(table, rows, n, &copy);
        if (status == BASE_OK)
            status = core_view_csv(stdout, &copy, NULL, 0);
        core_table_clear(&copy);
    }
    if (status == BASE_OK)
        return 0;
    /* A failed write is reported once, by tui_cli_run. */
    if (status == BASE_E_IO && ferror(stdout))
        return base_status_exit_code(status);
    if (status == BASE_E_IO)
        tui_cli_say(stderr, "bezala: could not write the CSV to standard "
                            "output");
    else
        tui_cli_report(NULL, status, NULL);
    return base_status_exit_code(status);
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
    else if (code == 0)
        code = write_stdout(table, rows, n);
    free(rows);
    return code;
}
