/* The UI's CSV export: the default file name, a new file made 0600, no
 * overwrite without consent, and no write through a symbolic link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tui/export.h"

static char dir[] = "/tmp/bezala-test-export.XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A receipts table of one row with a description. */
static void one_row(struct core_table *t, const char *description)
{
    const struct core_view_info *info = core_view_info(CORE_VIEW_RECEIPTS);
    size_t col;

    assert_non_null(info);
    assert_true(
        core_view_column_by_key(CORE_VIEW_RECEIPTS, "description", &col));
    t->view = CORE_VIEW_RECEIPTS;
    t->rows = calloc(1, sizeof(*t->rows));
    assert_non_null(t->rows);
    t->count = t->cap = 1;
    t->rows[0].id = 7;
    t->rows[0].cells = calloc(info->column_count, sizeof(char *));
    assert_non_null(t->rows[0].cells);
    t->rows[0].cells[col] = strdup(description);
    t->rows[0].item = strdup("{}");
}

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f)
        return NULL;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_export_default_name_null(void **state)
{
    char out[8] = "junk";

    (void)state;
    tui_export_default_name("receipts", 1, 0, NULL, 10);
    tui_export_default_name("receipts", 1, 0, out, 0);
    assert_string_equal(out, "junk");
    tui_export_default_name(NULL, 1, 0, out, sizeof(out));
    assert_int_equal(strlen(out), sizeof(out) - 1);
}

static void test_export_default_name_date(void **state)
{
    char out[128];
    time_t when = 1738324800; /* 2025-01-31 12:00 UTC */

    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    tui_export_default_name("receipts", 101, when, out, sizeof(out));
    assert_string_equal(out, "./bezala-receipts-101-20250131.csv");
}

static void test_export_write_null(void **state)
{
    struct core_table t = {.view = CORE_VIEW_RECEIPTS};
    char why[64];
    bool exists = true;

    (void)state;
    assert_int_equal(
        tui_export_write(NULL, false, &t, NULL, 0, &exists, why, sizeof(why)),
        BASE_E_INVALID);
    assert_int_equal(
        tui_export_write("", false, &t, NULL, 0, &exists, why, sizeof(why)),
        BASE_E_INVALID);
    assert_int_equal(
        tui_export_write("x", false, NULL, NULL, 0, &exists, why, sizeof(why)),
        BASE_E_INVALID);
}

static void test_export_write_new_private(void **state)
{
    struct core_table t = {0};
    char path[256];
    char why[128];
    bool exists = true;
    struct stat st;
    const char *text;

    (void)state;
    one_row(&t, "Taksi, \xc3\x84\xc3\xa4nekoski");
    snprintf(path, sizeof(path), "%s/new.csv", dir);
    assert_int_equal(
        tui_export_write(path, false, &t, NULL, 0, &exists, why, sizeof(why)),
        BASE_OK);
    assert_false(exists);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    text = slurp(path);
    assert_non_null(text);
    assert_true(strncmp(text, "id,", 3) == 0);
    assert_non_null(strstr(text, "\"Taksi, \xc3\x84\xc3\xa4nekoski\""));
    core_table_clear(&t);
}

static void test_export_write_no_silent_overwrite(void **state)
{
    struct core_table t = {0};
    char path[256];
    char why[128];
    bool exists = false;
    struct stat st;
    FILE *f;

    (void)state;
    one_row(&t, "new text");
    snprintf(path, sizeof(path), "%s/old.csv", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("old text\n", f);
    fclose(f);
    chmod(path, 0644);
    assert_int_equal(
        tui_export_write(path, false, &t, NULL, 0, &exists, why, sizeof(why)),
        BASE_E_IO);
    assert_true(exists);
    assert_string_equal(slurp(path), "old text\n");
    assert_int_equal(
        tui_export_write(path, true, &t, NULL, 0, &exists, why, sizeof(why)),
        BASE_OK);
    assert_false(exists);
    assert_non_null(strstr(slurp(path), "new text"));
    assert_null(strstr(slurp(path), "old text"));
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    core_table_clear(&t);
}

static void test_export_write_not_through_symlink(void **state)
{
    struct core_table t = {0};
    char target[256];
    char link[256];
    char why[128];
    bool exists = false;
    FILE *f;

    (void)state;
    one_row(&t, "x");
    snprintf(target, sizeof(target), "%s/target", dir);
    snprintf(link, sizeof(link), "%s/link.csv", dir);
    f = fopen(target, "w");
    assert_non_null(f);
    fputs("keep\n", f);
    fclose(f);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(
        tui_export_write(link, true, &t, NULL, 0, &exists, why, sizeof(why)),
        BASE_E_IO);
    assert_non_null(strstr(why, "give a file name, not a folder or a link"));
    assert_string_equal(slurp(target), "keep\n");
    core_table_clear(&t);
}

/* A missing folder was reported as "No such file or directory". */
static void test_export_write_missing_folder(void **state)
{
    struct core_table t = {0};
    char path[256];
    char want[300];
    char why[256];
    bool exists = false;

    (void)state;
    one_row(&t, "x");
    snprintf(path, sizeof(path), "%s/no-such-folder/out.csv", dir);
    assert_int_equal(
        tui_export_write(path, false, &t, NULL, 0, &exists, why, sizeof(why)),
        BASE_E_IO);
    snprintf(want, sizeof(want),
             "the folder %s/no-such-folder does not exist: create it or "
             "choose another",
             dir);
    assert_string_equal(why, want);
    assert_false(exists);
    core_table_clear(&t);
}

/* A folder as the target: say to give a file name. */
static void test_export_write_folder_target(void **state)
{
    struct core_table t = {0};
    char why[256];
    bool exists = false;

    (void)state;
    one_row(&t, "x");
    assert_int_equal(
        tui_export_write(dir, true, &t, NULL, 0, &exists, why, sizeof(why)),
        BASE_E_IO);
    assert_non_null(strstr(why, "give a file name, not a folder or a link"));
    core_table_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_default_name_null),
        cmocka_unit_test(test_export_default_name_date),
        cmocka_unit_test(test_export_write_null),
        cmocka_unit_test(test_export_write_new_private),
        cmocka_unit_test(test_export_write_no_silent_overwrite),
        cmocka_unit_test(test_export_write_not_through_symlink),
        cmocka_unit_test(test_export_write_missing_folder),
        cmocka_unit_test(test_export_write_folder_target),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
