/* Cached answers per (account, company, kind). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/accounts.h"
#include "db/cache.h"
#include "db/store.h"
#include "tests/db/util.h"

#define SERVER "https://127.0.0.1:8443"

static int setup(void **state)
{
    if (util_setup(state) != 0)
        return -1;
    return util_add_pair(*state, SERVER, 0, 0);
}

static void put(struct util_fixture *f, int64_t account, int64_t company,
                const char *kind, const char *body)
{
    assert_int_equal(
        db_cache_put(f->store, account, company, kind, body, strlen(body)),
        BASE_OK);
}

static void expect(struct util_fixture *f, int64_t account, int64_t company,
                   const char *kind, const char *want)
{
    char *body = NULL;
    size_t len = 0;
    int64_t at = 0;

    assert_int_equal(
        db_cache_get(f->store, account, company, kind, &body, &len, &at),
        BASE_OK);
    if (!want) {
        assert_null(body);
        return;
    }
    assert_non_null(body);
    assert_int_equal(len, strlen(want));
    assert_string_equal(body, want);
    assert_true(at > 0);
    free(body);
}

static void test_cache_put_null(void **state)
{
    struct util_fixture *f = *state;

    assert_int_equal(db_cache_put(NULL, f->ann, 1, "home", "{}", 2),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, f->ann, 1, NULL, "{}", 2),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, f->ann, 1, "", "{}", 2),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, f->ann, 1, "home", NULL, 0),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, f->ann, -1, "home", "{}", 2),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, 9999, 1, "home", "{}", 2),
                     BASE_E_AUTH);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM cache"), 0);
}

static void test_cache_get_null(void **state)
{
    struct util_fixture *f = *state;
    char untouched[] = "untouched";
    char *body = untouched;

    assert_int_equal(db_cache_get(NULL, f->ann, 1, "home", &body, NULL, NULL),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_get(f->store, f->ann, 1, NULL, &body, NULL, NULL),
                     BASE_E_INVALID);
    assert_int_equal(
        db_cache_get(f->store, f->ann, 1, "home", NULL, NULL, NULL),
        BASE_E_INVALID);
    assert_string_equal(body, "untouched");
    expect(f, f->ann, 1, "home", NULL);
}

static void test_cache_get_round_trip(void **state)
{
    struct util_fixture *f = *state;
    char *body = NULL;
    size_t len = 99;

    put(f, f->ann, 1, "receipts", "[{\"id\":1}]");
    expect(f, f->ann, 1, "receipts", "[{\"id\":1}]");
    put(f, f->ann, 1, "receipts", "[{\"id\":2}]");
    expect(f, f->ann, 1, "receipts", "[{\"id\":2}]");
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM cache"), 1);
    assert_int_equal(db_cache_put(f->store, f->ann, 0, "home", "{}xyz", 2),
                     BASE_OK);
    expect(f, f->ann, 0, "home", "{}");
    assert_int_equal(db_cache_put(f->store, f->ann, 0, "empty", "", 0),
                     BASE_OK);
    assert_int_equal(
        db_cache_get(f->store, f->ann, 0, "empty", &body, &len, NULL), BASE_OK);
    assert_non_null(body);
    assert_int_equal(len, 0);
    assert_string_equal(body, "");
    free(body);
}

static void test_cache_get_per_company(void **state)
{
    struct util_fixture *f = *state;

    put(f, f->ann, 1, "users", "[\"one\"]");
    put(f, f->ann, 2, "users", "[\"two\"]");
    put(f, f->bob, 1, "users", "[\"bob\"]");
    expect(f, f->ann, 1, "users", "[\"one\"]");
    expect(f, f->ann, 2, "users", "[\"two\"]");
    expect(f, f->bob, 1, "users", "[\"bob\"]");
    expect(f, f->ann, 3, "users", NULL);
    expect(f, f->ann, 1, "receipts", NULL);
    expect(f, f->bob, 2, "users", NULL);
}

static void test_cache_clear_null(void **state)
{
    struct util_fixture *f = *state;

    assert_int_equal(db_cache_clear(NULL, f->ann), BASE_E_INVALID);
    assert_int_equal(db_cache_clear(f->store, 9999), BASE_OK);
}

static void test_cache_clear_one_account(void **state)
{
    struct util_fixture *f = *state;

    put(f, f->ann, 1, "users", "[1]");
    put(f, f->ann, 2, "users", "[2]");
    put(f, f->bob, 1, "users", "[3]");
    assert_int_equal(db_cache_clear(f->store, f->ann), BASE_OK);
    expect(f, f->ann, 1, "users", NULL);
    expect(f, f->ann, 2, "users", NULL);
    expect(f, f->bob, 1, "users", "[3]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, util_teardown)
        T(test_cache_put_null),       T(test_cache_get_null),
        T(test_cache_get_round_trip), T(test_cache_get_per_company),
        T(test_cache_clear_null),     T(test_cache_clear_one_account),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
