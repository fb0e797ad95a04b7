/* The table of views: names, columns, access by role, role words and the
 * order of cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/endpoints.h"
#include "core/view.h"

static void test_view_info_out_of_range(void **state)
{
    enum core_view v = CORE_VIEW_COUNT;

    (void)state;
    assert_null(core_view_info(CORE_VIEW_COUNT));
    assert_null(core_view_info((enum core_view) - 1));
    assert_false(core_view_by_name(NULL, &v));
    assert_false(core_view_by_name("receipts", NULL));
    assert_false(core_view_by_name("", &v));
    assert_false(core_view_by_name("Receipts", &v));
    assert_int_equal(v, CORE_VIEW_COUNT);
}

static void test_view_info_every_view_named_back(void **state)
{
    const struct core_view_info *info;
    enum core_view v;
    size_t i;
    size_t c;

    (void)state;
    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        info = core_view_info((enum core_view)i);
        assert_non_null(info);
        assert_int_equal(info->view, i);
        assert_true(core_view_by_name(info->name, &v));
        assert_int_equal(v, i);
        assert_true(info->column_count > 0);
        assert_non_null(info->needs);
        assert_int_equal(info->path[0], '/');
        for (c = 0; c < info->column_count; c++) {
            assert_non_null(info->columns[c].key);
            assert_non_null(info->columns[c].title);
            assert_true(info->columns[c].width > 0);
        }
        if (info->paging == CORE_PAGING_ARRAY)
            assert_true(info->per_page > 0);
    }
}

static void test_view_info_receipt_columns_exact(void **state)
{
    static const char *const keys[] = {"date",   "description", "user_name",
                                       "amount", "currency",    "state",
                                       "user_id"};
    const struct core_view_info *info = core_view_info(CORE_VIEW_RECEIPTS);
    size_t i;

    (void)state;
    assert_string_equal(info->path, CORE_EP_RECEIPTS);
    assert_int_equal(info->column_count, 7);
    for (i = 0; i < 7; i++)
        assert_string_equal(info->columns[i].key, keys[i]);
    assert_string_equal(info->columns[2].title, "User");
    assert_int_equal(info->columns[3].kind, CORE_CELL_AMOUNT);
    assert_true(info->columns[6].hidden);
    assert_false(info->columns[0].hidden);
    assert_int_equal(info->per_page, CORE_PER_PAGE);
}

static void test_view_info_paging_and_titles(void **state)
{
    (void)state;
    assert_int_equal(core_view_info(CORE_VIEW_ARCHIVE)->paging,
                     CORE_PAGING_ARCHIVE);
    assert_int_equal(core_view_info(CORE_VIEW_APPROVALS)->paging,
                     CORE_PAGING_NONE);
    assert_string_equal(core_view_info(CORE_VIEW_APPROVALS)->path,
                        "/api/expenses");
    assert_int_equal(core_view_info(CORE_VIEW_COMPANY)->paging,
                     CORE_PAGING_NONE);
    assert_int_equal(core_view_info(CORE_VIEW_COST_CENTERS)->per_page, 500);
    assert_string_equal(core_view_info(CORE_VIEW_ALLOWANCES)->title,
                        "Daily allowances");
    assert_string_equal(core_view_info(CORE_VIEW_USERS)->title,
                        "Users and roles");
    assert_string_equal(core_view_info(CORE_VIEW_LEDGER_ACCOUNTS)->name,
                        "ledger-accounts");
    assert_true(core_view_info(CORE_VIEW_TRIPS)->has_state);
    assert_false(core_view_info(CORE_VIEW_USERS)->has_state);
}

static void test_view_access_null_roles(void **state)
{
    struct core_roles none = {NULL, 0};
    size_t i;

    (void)state;
    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        assert_int_equal(core_view_access((enum core_view)i, NULL),
                         CORE_ACCESS_MAYBE);
        assert_int_equal(core_view_access((enum core_view)i, &none),
                         CORE_ACCESS_NO);
    }
    assert_int_equal(core_view_access(CORE_VIEW_COUNT, NULL), CORE_ACCESS_NO);
}

static void test_view_access_by_role(void **state)
{
    char *employee[] = {"employee"};
    char *accountant[] = {"employee", "accountant"};
    char *manager[] = {"manager"};
    char *approver[] = {"approver", "money_checker"};
    struct core_roles e = {employee, 1};
    struct core_roles a = {accountant, 2};
    struct core_roles m = {manager, 1};
    struct core_roles p = {approver, 2};

    (void)state;
    assert_int_equal(core_view_access(CORE_VIEW_RECEIPTS, &e), CORE_ACCESS_YES);
    assert_int_equal(core_view_access(CORE_VIEW_COMPANY, &p), CORE_ACCESS_YES);
    assert_int_equal(core_view_access(CORE_VIEW_USERS, &e), CORE_ACCESS_MAYBE);
    assert_int_equal(core_view_access(CORE_VIEW_USERS, &p), CORE_ACCESS_MAYBE);
    assert_int_equal(core_view_access(CORE_VIEW_USERS, &a), CORE_ACCESS_YES);
    assert_int_equal(core_view_access(CORE_VIEW_USERS, &m), CORE_ACCESS_YES);
    assert_string_equal(core_view_info(CORE_VIEW_USERS)->needs,
                        "the manager or accountant role (or a company that "
                        "lets employees see all users)");
}

static void test_view_role_words_known_and_unknown(void **state)
{
    const char *unknown = core_view_role_words(NULL);

    (void)state;
    assert_non_null(unknown);
    assert_string_equal(core_view_role_words("secretary"), unknown);
    assert_non_null(strstr(core_view_role_words("manager"), "administrator"));
    assert_non_null(strstr(core_view_role_words("accountant"), "batches"));
    assert_non_null(
        strstr(core_view_role_words("approver"), "approval cycles"));
    assert_non_null(strstr(core_view_role_words("money_checker"), "final"));
    assert_non_null(strstr(core_view_role_words("employee"), "own"));
    assert_string_not_equal(core_view_role_words("employee"), unknown);
}

static const struct core_column *column(enum core_view v, const char *key)
{
    const struct core_view_info *info = core_view_info(v);
    size_t i;

    for (i = 0; i < info->column_count; i++) {
        if (strcmp(info->columns[i].key, key) == 0)
            return &info->columns[i];
    }
    fail_msg("no column %s", key);
    return NULL;
}

static void test_view_compare_null_first(void **state)
{
    const struct core_column *amount = column(CORE_VIEW_RECEIPTS, "amount");

    (void)state;
    assert_int_equal(core_view_compare(amount, NULL, NULL), 0);
    assert_true(core_view_compare(amount, NULL, "1.00") < 0);
    assert_true(core_view_compare(amount, "1.00", NULL) > 0);
    assert_true(core_view_compare(NULL, "a", "b") < 0);
}

static void test_view_compare_numeric(void **state)
{
    const struct core_column *amount = column(CORE_VIEW_RECEIPTS, "amount");
    const struct core_column *text = column(CORE_VIEW_RECEIPTS, "description");

    (void)state;
    assert_true(core_view_compare(amount, "9.50", "10.00") < 0);
    assert_true(core_view_compare(amount, "-12.40", "3") < 0);
    assert_int_equal(core_view_compare(amount, "5", "5"), 0);
    assert_true(core_view_compare(amount, "100", "n/a") < 0);
    /* As text the same cells sort the other way. */
    assert_true(core_view_compare(text, "9.50", "10.00") > 0);
    assert_true(core_view_compare(column(CORE_VIEW_RECEIPTS, "user_id"), "7",
                                  "12") < 0);
}

static void test_view_compare_folded(void **state)
{
    const struct core_column *user = column(CORE_VIEW_RECEIPTS, "user_name");

    (void)state;
    assert_true(core_view_compare(user, "Åsa", "Bertil") < 0);
    assert_true(core_view_compare(user, "Bertil", "Åsa") > 0);
    assert_true(core_view_compare(user, "anna", "BEN") < 0);
    /* "Å" and "a" fold alike; the order between them is fixed. */
    assert_int_not_equal(core_view_compare(user, "Å", "a"), 0);
    assert_int_equal(core_view_compare(user, "Å", "a"),
                     -core_view_compare(user, "a", "Å"));
    assert_true(core_view_compare(user, "Å", "b") < 0);
    assert_int_equal(core_view_compare(user, "Linnéa", "Linnéa"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_info_out_of_range),
        cmocka_unit_test(test_view_info_every_view_named_back),
        cmocka_unit_test(test_view_info_receipt_columns_exact),
        cmocka_unit_test(test_view_info_paging_and_titles),
        cmocka_unit_test(test_view_access_null_roles),
        cmocka_unit_test(test_view_access_by_role),
        cmocka_unit_test(test_view_role_words_known_and_unknown),
        cmocka_unit_test(test_view_compare_null_first),
        cmocka_unit_test(test_view_compare_numeric),
        cmocka_unit_test(test_view_compare_folded),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
