/* The UI's list state: cursor clamping, paging, match stepping with
 * wrap, sort key cycling and toggling, mouse hits, the role filter, the
 * rebuild through core's ordering and the age in words. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/listview.h"

/* A list view showing rows 0..n-1 in order. */
static void fill(struct tui_listview *lv, size_t n)
{
    size_t i;

    tui_listview_reset(lv);
    lv->order = n ? calloc(n, sizeof(*lv->order)) : NULL;
    for (i = 0; i < n; i++)
        lv->order[i] = i;
    lv->n = n;
}

static void test_listview_clamp_null(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    tui_listview_clamp(NULL, 5);
    tui_listview_reset(NULL);
    tui_listview_reset(&lv);
    lv.cursor = 7;
    lv.top = 3;
    tui_listview_clamp(&lv, 5);
    assert_int_equal(lv.cursor, 0);
    assert_int_equal(lv.top, 0);
}

static void test_listview_clamp_keeps_cursor_visible(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    fill(&lv, 100);
    lv.cursor = 250;
    tui_listview_clamp(&lv, 10);
    assert_int_equal(lv.cursor, 99);
    assert_int_equal(lv.top, 90);
    lv.cursor = 5;
    tui_listview_clamp(&lv, 10);
    assert_int_equal(lv.top, 5);
    /* A taller window shows earlier rows instead of blank ones. */
    lv.cursor = 99;
    lv.top = 95;
    tui_listview_clamp(&lv, 10);
    assert_int_equal(lv.top, 90);
    tui_listview_reset(&lv);
}

static void test_listview_move_degenerate(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    tui_listview_move(NULL, 1, 10);
    fill(&lv, 0);
    tui_listview_move(&lv, 5, 10);
    assert_int_equal(lv.cursor, 0);
    tui_listview_reset(&lv);
}

static void test_listview_move_clamps_both_ends(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    fill(&lv, 20);
    tui_listview_move(&lv, -1, 5);
    assert_int_equal(lv.cursor, 0);
    tui_listview_move(&lv, 3, 5);
    assert_int_equal(lv.cursor, 3);
    tui_listview_move(&lv, LONG_MAX, 5);
    assert_int_equal(lv.cursor, 19);
    assert_int_equal(lv.top, 15);
    tui_listview_move(&lv, LONG_MIN + 1, 5);
    assert_int_equal(lv.cursor, 0);
    assert_int_equal(lv.top, 0);
    tui_listview_reset(&lv);
}

static void test_listview_page_by_visible_rows(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    fill(&lv, 50);
    tui_listview_page(&lv, true, 10);
    assert_int_equal(lv.cursor, 9);
    tui_listview_page(&lv, true, 10);
    assert_int_equal(lv.cursor, 18);
    tui_listview_page(&lv, false, 10);
    assert_int_equal(lv.cursor, 9);
    /* No rows known to be visible: one row at a time. */
    tui_listview_page(&lv, true, 0);
    assert_int_equal(lv.cursor, 10);
    tui_listview_page(&lv, false, 1);
    assert_int_equal(lv.cursor, 9);
    tui_listview_reset(&lv);
}

static void test_listview_step_empty(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    assert_false(tui_listview_step(NULL, true, 5));
    fill(&lv, 0);
    assert_false(tui_listview_step(&lv, true, 5));
    tui_listview_reset(&lv);
}

static void test_listview_step_wraps(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    fill(&lv, 3);
    assert_true(tui_listview_step(&lv, true, 5));
    assert_int_equal(lv.cursor, 1);
    assert_true(tui_listview_step(&lv, true, 5));
    assert_true(tui_listview_step(&lv, true, 5));
    assert_int_equal(lv.cursor, 0);
    assert_true(tui_listview_step(&lv, false, 5));
    assert_int_equal(lv.cursor, 2);
    tui_listview_reset(&lv);
}

static const struct core_column columns[] = {
    {"id", "Id", CORE_CELL_ID, 6, true},
    {"name", "Name", CORE_CELL_TEXT, 20, false},
    {"secret", "Hidden", CORE_CELL_TEXT, 5, true},
    {"roles", "Roles", CORE_CELL_LIST, 20, false},
};

static void test_listview_next_sort_null(void **state)
{
    (void)state;
    assert_int_equal(tui_listview_next_sort(SIZE_MAX, NULL, 3), SIZE_MAX);
    assert_int_equal(tui_listview_next_sort(SIZE_MAX, columns, 0), SIZE_MAX);
}

static void test_listview_next_sort_skips_hidden(void **state)
{
    (void)state;
    assert_int_equal(tui_listview_next_sort(SIZE_MAX, columns, 4), 1);
    assert_int_equal(tui_listview_next_sort(1, columns, 4), 3);
    assert_int_equal(tui_listview_next_sort(3, columns, 4), SIZE_MAX);
}

static void test_listview_sort_by_toggles(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    tui_listview_sort_by(NULL, 1);
    tui_listview_reset(&lv);
    tui_listview_sort_by(&lv, 1);
    assert_int_equal(lv.sort_column, 1);
    assert_false(lv.desc);
    tui_listview_sort_by(&lv, 1);
    assert_true(lv.desc);
    tui_listview_sort_by(&lv, 3);
    assert_int_equal(lv.sort_column, 3);
    assert_false(lv.desc);
    assert_true(lv.dirty);
}

static void test_listview_hit_outside(void **state)
{
    struct tui_listview lv = {0};
    size_t at = 99;

    (void)state;
    assert_false(tui_listview_hit(NULL, 5, 4, 10, &at));
    fill(&lv, 3);
    assert_false(tui_listview_hit(&lv, 3, 4, 10, &at));
    assert_false(tui_listview_hit(&lv, 7, 4, 10, &at)); /* past the end */
    assert_false(tui_listview_hit(&lv, 14, 4, 10, &at));
    assert_int_equal(at, 99);
    tui_listview_reset(&lv);
}

static void test_listview_hit_rows(void **state)
{
    struct tui_listview lv = {0};
    size_t at = 0;

    (void)state;
    fill(&lv, 40);
    lv.top = 20;
    assert_true(tui_listview_hit(&lv, 4, 4, 10, &at));
    assert_int_equal(at, 20);
    assert_true(tui_listview_hit(&lv, 13, 4, 10, &at));
    assert_int_equal(at, 29);
    assert_false(tui_listview_hit(&lv, 14, 4, 10, &at));
    tui_listview_reset(&lv);
}

static void test_listview_header_hit_columns(void **state)
{
    const int widths[] = {10, 0, 5};

    (void)state;
    assert_int_equal(tui_listview_header_hit(3, 1, NULL, 3, 2), SIZE_MAX);
    assert_int_equal(tui_listview_header_hit(0, 1, widths, 3, 2), SIZE_MAX);
    assert_int_equal(tui_listview_header_hit(1, 1, widths, 3, 2), 0);
    assert_int_equal(tui_listview_header_hit(10, 1, widths, 3, 2), 0);
    assert_int_equal(tui_listview_header_hit(11, 1, widths, 3, 2), SIZE_MAX);
    /* The empty column takes no cell: the next starts after two gaps. */
    assert_int_equal(tui_listview_header_hit(15, 1, widths, 3, 2), 2);
    assert_int_equal(tui_listview_header_hit(20, 1, widths, 3, 2), SIZE_MAX);
}

static void test_listview_has_role_null(void **state)
{
    (void)state;
    assert_true(tui_listview_has_role(NULL, NULL));
    assert_true(tui_listview_has_role("employee", ""));
    assert_false(tui_listview_has_role(NULL, "manager"));
    assert_false(tui_listview_has_role("", "manager"));
}

static void test_listview_has_role_exact_items(void **state)
{
    (void)state;
    assert_true(tui_listview_has_role("employee\nmanager", "manager"));
    assert_true(tui_listview_has_role("employee\nmanager", "employee"));
    assert_false(tui_listview_has_role("employee\nmoney_checker", "money"));
    assert_false(tui_listview_has_role("accountants", "accountant"));
    assert_true(tui_listview_has_role("money_checker", "money_checker"));
}

static void test_listview_role_names(void **state)
{
    (void)state;
    assert_int_equal(tui_listview_role_count(), 6);
    assert_string_equal(tui_listview_role_name(0), "all");
    assert_string_equal(tui_listview_role_name(5), "money_checker");
    assert_null(tui_listview_role_name(6));
}

/* A users table with names and roles in the view's own columns. */
static void add_user(struct core_table *t, const char *name, const char *roles)
{
    const struct core_view_info *info = core_view_info(CORE_VIEW_USERS);
    struct core_row *row;
    size_t name_col;
    size_t roles_col;

    assert_non_null(info);
    assert_true(core_view_column_by_key(CORE_VIEW_USERS, "name", &name_col));
    assert_true(core_view_column_by_key(CORE_VIEW_USERS, "roles", &roles_col));
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4;
        t->rows = realloc(t->rows, t->cap * sizeof(*t->rows));
        assert_non_null(t->rows);
    }
    row = &t->rows[t->count++];
    memset(row, 0, sizeof(*row));
    row->id = (int64_t)t->count;
    row->cells = calloc(info->column_count, sizeof(*row->cells));
    assert_non_null(row->cells);
    row->cells[name_col] = strdup(name);
    row->cells[roles_col] = strdup(roles);
    row->item = strdup("{}");
}

static void test_listview_keep_role_null(void **state)
{
    size_t order[2] = {0, 1};
    size_t n = 2;

    (void)state;
    tui_listview_keep_role(NULL, 0, "manager", order, &n);
    assert_int_equal(n, 2);
}

static void test_listview_keep_role_filters(void **state)
{
    struct core_table t = {.view = CORE_VIEW_USERS};
    size_t order[3] = {2, 1, 0};
    size_t n = 3;
    size_t roles_col;

    (void)state;
    add_user(&t, "Aino", "employee\nmanager");
    add_user(&t, "Mikko", "employee");
    add_user(&t, "Tapio", "employee\nmoney_checker");
    assert_true(core_view_column_by_key(CORE_VIEW_USERS, "roles", &roles_col));
    tui_listview_keep_role(&t, roles_col, "money_checker", order, &n);
    assert_int_equal(n, 1);
    assert_int_equal(order[0], 2);
    core_table_clear(&t);
}

static void test_listview_rebuild_null(void **state)
{
    struct tui_listview lv = {0};

    (void)state;
    tui_listview_reset(&lv);
    assert_int_equal(tui_listview_rebuild(&lv, NULL, NULL, SIZE_MAX),
                     BASE_E_INVALID);
}

static void test_listview_rebuild_filter_sort_role(void **state)
{
    struct core_table t = {.view = CORE_VIEW_USERS};
    struct tui_listview lv = {0};
    size_t name_col;
    size_t roles_col;
    size_t row = 99;

    (void)state;
    add_user(&t, "Mikko Lehtinen", "employee");
    add_user(&t, "Aino H\xc3\xa4rk\xc3\xb6nen", "employee\nmanager");
    add_user(&t, "Jussi \xc3\x96hman", "employee");
    assert_true(core_view_column_by_key(CORE_VIEW_USERS, "name", &name_col));
    assert_true(core_view_column_by_key(CORE_VIEW_USERS, "roles", &roles_col));
    tui_listview_reset(&lv);
    /* Accent- and case-free filtering is core's. */
    assert_int_equal(tui_listview_rebuild(&lv, &t, "HARKONEN", SIZE_MAX),
                     BASE_OK);
    assert_int_equal(lv.n, 1);
    assert_int_equal(lv.order[0], 1);
    assert_false(lv.dirty);
    assert_int_equal(lv.built_count, 3);
    /* Sorted by name; the cursor follows its row through a rebuild. */
    tui_listview_sort_by(&lv, name_col);
    assert_int_equal(tui_listview_rebuild(&lv, &t, NULL, SIZE_MAX), BASE_OK);
    assert_int_equal(lv.n, 3);
    assert_int_equal(lv.order[0], 1);
    assert_int_equal(lv.order[2], 0);
    lv.cursor = 2;                       /* Mikko */
    tui_listview_sort_by(&lv, name_col); /* descending */
    assert_int_equal(tui_listview_rebuild(&lv, &t, NULL, SIZE_MAX), BASE_OK);
    assert_true(tui_listview_selected(&lv, &row));
    assert_int_equal(row, 0);
    assert_int_equal(lv.cursor, 0);
    /* The role filter on top. */
    lv.role = 2; /* manager */
    assert_int_equal(tui_listview_rebuild(&lv, &t, NULL, roles_col), BASE_OK);
    assert_int_equal(lv.n, 1);
    assert_int_equal(lv.order[0], 1);
    tui_listview_reset(&lv);
    core_table_clear(&t);
}

static void test_listview_age_null(void **state)
{
    (void)state;
    tui_listview_age(100, 0, NULL, 10);
}

static void test_listview_age_words(void **state)
{
    char out[32];

    (void)state;
    tui_listview_age(1000, 2000, out, sizeof(out));
    assert_string_equal(out, "just now");
    tui_listview_age(1059, 1000, out, sizeof(out));
    assert_string_equal(out, "just now");
    tui_listview_age(1060, 1000, out, sizeof(out));
    assert_string_equal(out, "1 min ago");
    tui_listview_age(1000 + 2 * 3600 + 5, 1000, out, sizeof(out));
    assert_string_equal(out, "2 h ago");
    tui_listview_age(1000 + 3 * 86400, 1000, out, sizeof(out));
    assert_string_equal(out, "3 d ago");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listview_clamp_null),
        cmocka_unit_test(test_listview_clamp_keeps_cursor_visible),
        cmocka_unit_test(test_listview_move_degenerate),
        cmocka_unit_test(test_listview_move_clamps_both_ends),
        cmocka_unit_test(test_listview_page_by_visible_rows),
        cmocka_unit_test(test_listview_step_empty),
        cmocka_unit_test(test_listview_step_wraps),
        cmocka_unit_test(test_listview_next_sort_null),
        cmocka_unit_test(test_listview_next_sort_skips_hidden),
        cmocka_unit_test(test_listview_sort_by_toggles),
        cmocka_unit_test(test_listview_hit_outside),
        cmocka_unit_test(test_listview_hit_rows),
        cmocka_unit_test(test_listview_header_hit_columns),
        cmocka_unit_test(test_listview_has_role_null),
        cmocka_unit_test(test_listview_has_role_exact_items),
        cmocka_unit_test(test_listview_role_names),
        cmocka_unit_test(test_listview_keep_role_null),
        cmocka_unit_test(test_listview_keep_role_filters),
        cmocka_unit_test(test_listview_rebuild_null),
        cmocka_unit_test(test_listview_rebuild_filter_sort_role),
        cmocka_unit_test(test_listview_age_null),
        cmocka_unit_test(test_listview_age_words),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
