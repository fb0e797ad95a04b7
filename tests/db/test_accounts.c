/* Stored sign-in accounts: upsert, find, order, company, delete. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/secret.h"
#include "db/accounts.h"
#include "db/cache.h"
#include "db/schema.h"
#include "db/store.h"
#include "db/tokens.h"
#include "tests/db/util.h"

#define SERVER "https://127.0.0.1:8443"
#define OTHER "https://127.0.0.1:9443"

static int64_t add(struct util_fixture *f, const char *server,
                   const char *email, int64_t user_id)
{
    int64_t id = 0;

    assert_int_equal(db_accounts_upsert(f->store, server, email, user_id, &id),
                     BASE_OK);
    assert_true(id > 0);
    return id;
}

static void test_accounts_upsert_null(void **state)
{
    struct util_fixture *f = *state;
    int64_t id = -7;

    assert_int_equal(db_accounts_upsert(NULL, SERVER, "a@x.test", 0, &id),
                     BASE_E_INVALID);
    assert_int_equal(db_accounts_upsert(f->store, NULL, "a@x.test", 0, &id),
                     BASE_E_INVALID);
    assert_int_equal(db_accounts_upsert(f->store, SERVER, NULL, 0, &id),
                     BASE_E_INVALID);
    assert_int_equal(db_accounts_upsert(f->store, SERVER, "", 0, &id),
                     BASE_E_INVALID);
    assert_int_equal(db_accounts_upsert(f->store, SERVER, "a\nb", 0, &id),
                     BASE_E_INVALID);
    assert_int_equal(db_accounts_upsert(f->store, SERVER, "a@x.test", -1, &id),
                     BASE_E_INVALID);
    assert_int_equal(db_accounts_upsert(f->store, SERVER, "a@x.test", 0, NULL),
                     BASE_E_INVALID);
    assert_int_equal(id, -7);
}

static void test_accounts_upsert_same_id(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "ann@example.test", 41);
    int64_t b = add(f, OTHER, "ann@example.test", 0);
    struct db_account acc;

    assert_int_not_equal(a, b);
    assert_int_equal(add(f, SERVER, "ann@example.test", 0), a);
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "ann@example.test", &acc), BASE_OK);
    assert_int_equal(acc.id, a);
    assert_int_equal(acc.user_id, 41);
    assert_string_equal(acc.server, SERVER);
    assert_false(acc.has_token);
    assert_true(acc.last_used_at > 0);
    db_accounts_clear(&acc);
    assert_int_equal(add(f, SERVER, "ann@example.test", 42), a);
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "ann@example.test", &acc), BASE_OK);
    assert_int_equal(acc.user_id, 42);
    db_accounts_clear(&acc);
}

static void test_accounts_list_null(void **state)
{
    struct util_fixture *f = *state;
    struct db_account *list = NULL;
    size_t n = 5;

    assert_int_equal(db_accounts_list(NULL, &list, &n), BASE_E_INVALID);
    assert_int_equal(db_accounts_list(f->store, NULL, &n), BASE_E_INVALID);
    assert_int_equal(db_accounts_list(f->store, &list, NULL), BASE_E_INVALID);
    assert_int_equal(db_accounts_list(f->store, &list, &n), BASE_OK);
    assert_int_equal(n, 0);
    db_accounts_list_free(&list, n);
    db_accounts_list_free(NULL, 0);
    assert_null(list);
}

static void test_accounts_list_recent_first(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "a@example.test", 1);
    int64_t b = add(f, SERVER, "b@example.test", 2);
    int64_t c = add(f, OTHER, "c@example.test", 3);
    struct db_account *list = NULL;
    size_t n = 0;

    assert_int_equal(db_accounts_list(f->store, &list, &n), BASE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, c);
    assert_int_equal(list[1].id, b);
    assert_int_equal(list[2].id, a);
    assert_string_equal(list[0].email, "c@example.test");
    db_accounts_list_free(&list, n);
    assert_null(list);
    add(f, SERVER, "a@example.test", 0);
    assert_int_equal(db_accounts_list(f->store, &list, &n), BASE_OK);
    assert_int_equal(list[0].id, a);
    assert_int_equal(list[0].user_id, 1);
    assert_int_equal(list[1].id, c);
    db_accounts_list_free(&list, n);
}

static void test_accounts_find_null(void **state)
{
    struct util_fixture *f = *state;
    struct db_account acc = {0};

    assert_int_equal(db_accounts_find(NULL, NULL, NULL, &acc), BASE_E_INVALID);
    assert_int_equal(db_accounts_find(f->store, NULL, NULL, NULL),
                     BASE_E_INVALID);
    assert_int_equal(db_accounts_find(f->store, NULL, NULL, &acc), BASE_E_AUTH);
    assert_null(acc.email);
    db_accounts_clear(NULL);
}

static void test_accounts_find_modes(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "a@example.test", 0);
    int64_t b = add(f, OTHER, "b@example.test", 0);
    int64_t c = add(f, SERVER, "c@example.test", 0);
    struct db_account acc;

    assert_int_equal(db_accounts_find(f->store, SERVER, "a@example.test", &acc),
                     BASE_OK);
    assert_int_equal(acc.id, a);
    db_accounts_clear(&acc);
    assert_int_equal(db_accounts_find(f->store, OTHER, NULL, &acc), BASE_OK);
    assert_int_equal(acc.id, b);
    db_accounts_clear(&acc);
    assert_int_equal(db_accounts_find(f->store, SERVER, NULL, &acc), BASE_OK);
    assert_int_equal(acc.id, c);
    db_accounts_clear(&acc);
    assert_int_equal(db_accounts_find(f->store, NULL, NULL, &acc), BASE_OK);
    assert_int_equal(acc.id, c);
    db_accounts_clear(&acc);
    assert_int_equal(db_accounts_find(f->store, OTHER, "a@example.test", &acc),
                     BASE_E_AUTH);
    assert_int_equal(
        db_accounts_find(f->store, "https://nowhere.test", NULL, &acc),
        BASE_E_AUTH);
}

static void test_accounts_set_company_null(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "a@example.test", 0);

    assert_int_equal(db_accounts_set_company(NULL, a, 5), BASE_E_INVALID);
    assert_int_equal(db_accounts_set_company(f->store, a, -1), BASE_E_INVALID);
    assert_int_equal(db_accounts_set_company(f->store, a + 100, 5),
                     BASE_E_AUTH);
}

static void test_accounts_set_company_records(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "a@example.test", 0);
    int64_t b = add(f, SERVER, "b@example.test", 0);
    struct db_account acc;

    assert_int_equal(db_accounts_set_company(f->store, a, 1234), BASE_OK);
    assert_int_equal(db_accounts_find(f->store, SERVER, "a@example.test", &acc),
                     BASE_OK);
    assert_int_equal(acc.company_id, 1234);
    db_accounts_clear(&acc);
    assert_int_equal(db_accounts_find(f->store, SERVER, "b@example.test", &acc),
                     BASE_OK);
    assert_int_equal(acc.id, b);
    assert_int_equal(acc.company_id, 0);
    db_accounts_clear(&acc);
}

static void test_accounts_delete_null(void **state)
{
    struct util_fixture *f = *state;

    assert_int_equal(db_accounts_delete(NULL, 1), BASE_E_INVALID);
    assert_int_equal(db_accounts_delete(f->store, 9999), BASE_OK);
}

static void test_accounts_delete_cascades(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "a@example.test", 0);
    int64_t b = add(f, SERVER, "b@example.test", 0);
    struct base_secret *token = NULL;
    struct db_account acc;
    char *body = NULL;

    assert_int_equal(base_secret_new("abcdefgh1234", 12, &token), BASE_OK);
    assert_int_equal(db_tokens_put(f->store, a, token), BASE_OK);
    assert_int_equal(db_tokens_put(f->store, b, token), BASE_OK);
    base_secret_free(&token);
    assert_int_equal(db_cache_put(f->store, a, 7, "home", "{}", 2), BASE_OK);
    assert_int_equal(db_cache_put(f->store, b, 7, "home", "[]", 2), BASE_OK);
    assert_int_equal(db_accounts_delete(f->store, a), BASE_OK);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM tokens"),
                     1);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM cache"), 1);
    assert_int_equal(db_tokens_get(f->store, a, &token), BASE_E_AUTH);
    assert_int_equal(db_cache_get(f->store, a, 7, "home", &body, NULL, NULL),
                     BASE_OK);
    assert_null(body);
    assert_int_equal(db_accounts_find(f->store, SERVER, "a@example.test", &acc),
                     BASE_E_AUTH);
    assert_int_equal(db_tokens_get(f->store, b, &token), BASE_OK);
    base_secret_free(&token);
}

static void put_token(struct util_fixture *f, int64_t account)
{
    struct base_secret *token = NULL;

    assert_int_equal(base_secret_new("abcdefgh1234", 12, &token), BASE_OK);
    assert_int_equal(db_tokens_put(f->store, account, token), BASE_OK);
    base_secret_free(&token);
}

/* One person is one account, whatever the case the email was typed in. */
static void test_accounts_upsert_folds_email(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "Ann.Example@Example.TEST", 3);
    struct db_account acc;

    assert_int_equal(add(f, SERVER, " ann.example@example.test ", 0), a);
    assert_int_equal(add(f, SERVER, "ANN.EXAMPLE@EXAMPLE.TEST", 0), a);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM accounts"),
                     1);
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "aNN.example@example.test", &acc),
        BASE_OK);
    assert_int_equal(acc.id, a);
    assert_string_equal(acc.email, "ann.example@example.test");
    assert_int_equal(acc.user_id, 3);
    db_accounts_clear(&acc);
}

/* Without an email, the account used last that can still sign in. */
/* Without an email the most recently used account is found whether it
 * has a token or not: a deleted (rejected) token never moves the default
 * to another identity. */
static void test_accounts_find_most_recent_even_without_token(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "a@example.test", 0);
    int64_t b = add(f, SERVER, "b@example.test", 0);
    struct db_account acc;

    put_token(f, a);
    put_token(f, b);
    assert_int_equal(db_accounts_find(f->store, SERVER, NULL, &acc), BASE_OK);
    assert_int_equal(acc.id, b);
    db_accounts_clear(&acc);
    assert_int_equal(db_tokens_delete(f->store, b), BASE_OK);
    assert_int_equal(db_accounts_find(f->store, SERVER, NULL, &acc), BASE_OK);
    assert_int_equal(acc.id, b);
    assert_false(acc.has_token);
    db_accounts_clear(&acc);
    assert_int_equal(db_accounts_find(f->store, NULL, NULL, &acc), BASE_OK);
    assert_int_equal(acc.id, b);
    db_accounts_clear(&acc);
}

static void test_accounts_set_chosen_null(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "a@example.test", 0);

    assert_int_equal(db_accounts_set_chosen(NULL, a, 5), BASE_E_INVALID);
    assert_int_equal(db_accounts_set_chosen(f->store, a, -1), BASE_E_INVALID);
    assert_int_equal(db_accounts_set_chosen(f->store, a + 100, 5), BASE_E_AUTH);
}

/* The chosen company is kept apart from the one last seen. */
static void test_accounts_set_chosen_apart_from_seen(void **state)
{
    struct util_fixture *f = *state;
    int64_t a = add(f, SERVER, "a@example.test", 0);
    struct db_account acc;

    assert_int_equal(db_accounts_set_chosen(f->store, a, 318), BASE_OK);
    assert_int_equal(db_accounts_set_company(f->store, a, 205), BASE_OK);
    db_store_free(&f->store);
    f->store = util_open(&f->dirs);
    assert_int_equal(db_accounts_find(f->store, SERVER, "a@example.test", &acc),
                     BASE_OK);
    assert_int_equal(acc.chosen_company, 318);
    assert_int_equal(acc.company_id, 205);
    db_accounts_clear(&acc);
}

static void sql_ok(struct util_fixture *f, const char *sql)
{
    assert_int_equal(util_sql(f->dirs.db, sql), 0);
}

/* A schema 1 store with rows that differ only in case is merged. */
static void test_accounts_migrate_folds_emails(void **state)
{
    struct util_fixture *f = *state;
    int64_t ann = add(f, SERVER, "ann@example.test", 0);
    int64_t dan = add(f, SERVER, "dan@example.test", 0);
    struct base_secret *token = NULL;
    struct db_account acc;

    put_token(f, ann);
    put_token(f, dan);
    add(f, SERVER, "bob@example.test", 0);
    db_store_free(&f->store);
    sql_ok(f, "INSERT INTO accounts (server, email, last_used_at, use_seq)"
              " VALUES ('" SERVER "', 'ANN@Example.test', 4000000000, 99)");
    sql_ok(f, "UPDATE accounts SET email = 'Bob@Example.TEST'"
              " WHERE email = 'bob@example.test'");
    sql_ok(f, "UPDATE accounts SET email = 'Dan@example.test'"
              " WHERE email = 'dan@example.test'");
    sql_ok(f, "ALTER TABLE accounts DROP COLUMN service_user");
    sql_ok(f, "ALTER TABLE accounts DROP COLUMN chosen_company_id");
    sql_ok(f, "DROP TABLE cache_parts; DROP TABLE cache_lists");
    sql_ok(f, "PRAGMA user_version = 1");
    f->store = util_open(&f->dirs);
    assert_int_equal(util_sql_int(f->dirs.db, "PRAGMA user_version"),
                     DB_SCHEMA_VERSION);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM accounts"),
                     3);
    assert_int_equal(util_sql_int(f->dirs.db,
                                  "SELECT count(*) FROM accounts"
                                  " WHERE email != lower(trim(email))"),
                     0);
    /* The row with the token stays, and its token still reads. */
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "ann@example.test", &acc), BASE_OK);
    assert_int_equal(acc.id, ann);
    db_accounts_clear(&acc);
    assert_int_equal(db_tokens_get(f->store, ann, &token), BASE_OK);
    base_secret_free(&token);
    /* A token sealed to another spelling is dropped, not left unreadable. */
    assert_int_equal(db_tokens_get(f->store, dan, &token), BASE_E_AUTH);
}

static void test_accounts_set_service_null(void **state)
{
    struct util_fixture *f = *state;

    assert_int_equal(db_accounts_set_service(NULL, 1, true), BASE_E_INVALID);
    assert_int_equal(db_accounts_set_service(f->store, 9999, true),
                     BASE_E_AUTH);
}

static void test_accounts_set_service_marks_one(void **state)
{
    struct util_fixture *f = *state;
    int64_t ann = add(f, SERVER, "ann@example.test", 0);
    int64_t svc = add(f, SERVER, "integration@example.test", 0);
    struct db_account *list = NULL;
    struct db_account acc;
    size_t n = 0;
    size_t i;

    assert_int_equal(db_accounts_set_service(f->store, svc, true), BASE_OK);
    assert_int_equal(db_accounts_list(f->store, &list, &n), BASE_OK);
    assert_int_equal(n, 2);
    for (i = 0; i < n; i++)
        assert_int_equal(list[i].service_user, list[i].id == svc);
    db_accounts_list_free(&list, n);
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "integration@example.test", &acc),
        BASE_OK);
    assert_true(acc.service_user);
    db_accounts_clear(&acc);
    /* Signing in again keeps the mark; clearing it sticks. */
    assert_int_equal(add(f, SERVER, "integration@example.test", 5), svc);
    assert_int_equal(db_accounts_set_service(f->store, svc, false), BASE_OK);
    assert_int_equal(db_accounts_set_service(f->store, svc, false), BASE_OK);
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "integration@example.test", &acc),
        BASE_OK);
    assert_false(acc.service_user);
    db_accounts_clear(&acc);
    assert_int_equal(db_accounts_find(f->store, SERVER, NULL, &acc), BASE_OK);
    assert_false(acc.service_user);
    assert_true(acc.id == ann || acc.id == svc);
    db_accounts_clear(&acc);
}

/* A version 2 file gains the column with every account unmarked. */
static void test_accounts_migrate_adds_service(void **state)
{
    struct util_fixture *f = *state;
    int64_t ann = add(f, SERVER, "ann@example.test", 0);
    struct db_account acc;

    assert_int_equal(db_accounts_set_service(f->store, ann, true), BASE_OK);
    db_store_free(&f->store);
    sql_ok(f, "ALTER TABLE accounts DROP COLUMN service_user");
    sql_ok(f, "ALTER TABLE accounts DROP COLUMN chosen_company_id");
    sql_ok(f, "DROP TABLE cache_parts; DROP TABLE cache_lists");
    sql_ok(f, "PRAGMA user_version = 2");
    f->store = util_open(&f->dirs);
    assert_int_equal(util_sql_int(f->dirs.db, "PRAGMA user_version"),
                     DB_SCHEMA_VERSION);
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "ann@example.test", &acc), BASE_OK);
    assert_int_equal(acc.id, ann);
    assert_false(acc.service_user);
    db_accounts_clear(&acc);
    assert_int_equal(util_sql(f->dirs.db, "UPDATE accounts SET"
                                          " service_user = 2"),
                     SQLITE_CONSTRAINT);
}

/* A version 3 file gains the chosen company, none chosen yet, and keeps
 * the company last seen. */
static void test_accounts_migrate_adds_chosen(void **state)
{
    struct util_fixture *f = *state;
    int64_t ann = add(f, SERVER, "ann@example.test", 0);
    struct db_account acc;

    assert_int_equal(db_accounts_set_company(f->store, ann, 205), BASE_OK);
    db_store_free(&f->store);
    sql_ok(f, "ALTER TABLE accounts DROP COLUMN chosen_company_id");
    sql_ok(f, "DROP TABLE cache_parts; DROP TABLE cache_lists");
    sql_ok(f, "PRAGMA user_version = 3");
    f->store = util_open(&f->dirs);
    assert_int_equal(util_sql_int(f->dirs.db, "PRAGMA user_version"),
                     DB_SCHEMA_VERSION);
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "ann@example.test", &acc), BASE_OK);
    assert_int_equal(acc.chosen_company, 0);
    assert_int_equal(acc.company_id, 205);
    db_accounts_clear(&acc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, util_setup, util_teardown)
        T(test_accounts_upsert_null),
        T(test_accounts_upsert_same_id),
        T(test_accounts_list_null),
        T(test_accounts_list_recent_first),
        T(test_accounts_find_null),
        T(test_accounts_find_modes),
        T(test_accounts_set_company_null),
        T(test_accounts_set_company_records),
        T(test_accounts_delete_null),
        T(test_accounts_delete_cascades),
        T(test_accounts_upsert_folds_email),
        T(test_accounts_find_most_recent_even_without_token),
        T(test_accounts_set_chosen_null),
        T(test_accounts_set_chosen_apart_from_seen),
        T(test_accounts_migrate_folds_emails),
        T(test_accounts_set_service_null),
        T(test_accounts_set_service_marks_one),
        T(test_accounts_migrate_adds_service),
        T(test_accounts_migrate_adds_chosen),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
