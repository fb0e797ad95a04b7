/* The stored accounts as core_accounts_list and core_accounts_forget see
 * them, on a store made here without a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "base/secret.h"
#include "core/accounts.h"
#include "core/output.h"
#include "db/accounts.h"
#include "db/cache.h"
#include "db/store.h"
#include "db/tokens.h"
#include "tests/core/home.h"

#define SERVER "https://127.0.0.1:8443"
#define SERVER2 "https://127.0.0.1:9443"
#define TOKEN "qT3xZp0-aBcDeFgH1jKl"

struct fixture {
    char home[64];
    char data_dir[96];
    char key_dir[96];
    char db[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    if (home_make("accounts", f->home, sizeof(f->home), f->data_dir,
                  sizeof(f->data_dir), f->key_dir, sizeof(f->key_dir)) != 0)
        return -1;
    snprintf(f->db, sizeof(f->db), "%s/bezala.db", f->data_dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    home_remove(f->home);
    free(f);
    return 0;
}

/* Stores an account, with a token when with_token. */
static int64_t add(const struct fixture *f, const char *email, bool with_token)
{
    struct base_secret *token = NULL;
    struct db_store *store = NULL;
    int64_t id = 0;

    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    assert_int_equal(db_accounts_upsert(store, SERVER, email, 7, &id), BASE_OK);
    if (with_token) {
        assert_int_equal(base_secret_new(TOKEN, strlen(TOKEN), &token),
                         BASE_OK);
        assert_int_equal(db_tokens_put(store, id, token), BASE_OK);
        base_secret_free(&token);
    }
    db_store_free(&store);
    return id;
}

/* Stores an account on server2 with a token. */
static void add_elsewhere(const struct fixture *f, const char *email)
{
    struct base_secret *token = NULL;
    struct db_store *store = NULL;
    int64_t id = 0;

    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    assert_int_equal(db_accounts_upsert(store, SERVER2, email, 9, &id),
                     BASE_OK);
    assert_int_equal(base_secret_new(TOKEN, strlen(TOKEN), &token), BASE_OK);
    assert_int_equal(db_tokens_put(store, id, token), BASE_OK);
    base_secret_free(&token);
    db_store_free(&store);
}

/* Overwrites the nonce of the account's token, as an attacker might. */
static void tamper(const struct fixture *f, int64_t account_id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "UPDATE tokens SET nonce = zeroblob(24)"
                                        " WHERE account_id = ?1",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, account_id);
    assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

static bool signed_in(const struct core_account *list, size_t count,
                      const char *email)
{
    size_t i;

    for (i = 0; i < count; i++) {
        if (strcmp(list[i].email, email) == 0)
            return list[i].signed_in;
    }
    fail_msg("%s is not listed", email);
    return false;
}

static void test_core_accounts_list_null(void **state)
{
    struct fixture *f = *state;
    struct core_account *list = NULL;
    size_t count = 99;

    assert_int_equal(core_accounts_list(NULL, f->key_dir, &list, &count),
                     BASE_E_INVALID);
    assert_int_equal(core_accounts_list(f->data_dir, NULL, &list, &count),
                     BASE_E_INVALID);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, NULL, &count),
                     BASE_E_INVALID);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, NULL),
                     BASE_E_INVALID);
    assert_null(list);
    assert_int_equal(count, 99);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    assert_int_equal(count, 0);
    core_accounts_free(&list, count);
    core_accounts_free(NULL, 0);
}

/* Signed in means a token that decrypts, not merely a token row. */
static void test_core_accounts_list_tampered_not_signed_in(void **state)
{
    struct fixture *f = *state;
    struct core_account *list = NULL;
    size_t count = 0;
    int64_t tampered;

    add(f, "good@example.test", true);
    tampered = add(f, "tampered@example.test", true);
    add(f, "none@example.test", false);
    tamper(f, tampered);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    assert_int_equal(count, 3);
    assert_true(signed_in(list, count, "good@example.test"));
    assert_false(signed_in(list, count, "tampered@example.test"));
    assert_false(signed_in(list, count, "none@example.test"));
    core_accounts_free(&list, count);
    assert_null(list);
}

static void test_core_accounts_forget_null(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(core_accounts_forget(NULL, f->key_dir, SERVER, "a@b.c"),
                     BASE_E_INVALID);
    assert_int_equal(core_accounts_forget(f->data_dir, f->key_dir, NULL, "a"),
                     BASE_E_INVALID);
    assert_int_equal(
        core_accounts_forget(f->data_dir, f->key_dir, SERVER, NULL),
        BASE_E_INVALID);
    assert_int_equal(
        core_accounts_forget(f->data_dir, f->key_dir, SERVER, "a@b.c"),
        BASE_E_AUTH);
}

/* The email of `logout --account` matches whatever its case. */
static void test_core_accounts_forget_any_case(void **state)
{
    struct fixture *f = *state;
    struct core_account *list = NULL;
    size_t count = 0;

    add(f, "aino@example.test", true);
    assert_int_equal(core_accounts_forget(f->data_dir, f->key_dir, SERVER,
                                          "  AINO@Example.TEST "),
                     BASE_OK);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    assert_int_equal(count, 1);
    assert_false(list[0].signed_in);
    core_accounts_free(&list, count);
}

static const struct core_account *listed(const struct core_account *list,
                                         size_t count, const char *email)
{
    static const struct core_account none;
    size_t i;

    for (i = 0; i < count; i++) {
        if (strcmp(list[i].email, email) == 0)
            return &list[i];
    }
    fail_msg("%s is not listed", email);
    return &none;
}

/* One current account per server: the one a session without an email
 * would use there (the most recently used one, signed in or not). */
static void test_core_accounts_list_current(void **state)
{
    struct fixture *f = *state;
    struct core_account *list = NULL;
    size_t count = 0;

    add(f, "token@example.test", true);
    add(f, "later@example.test", false);
    add_elsewhere(f, "other@example.test");
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    assert_int_equal(count, 3);
    assert_false(listed(list, count, "token@example.test")->current);
    assert_true(listed(list, count, "later@example.test")->current);
    assert_true(listed(list, count, "other@example.test")->current);
    assert_false(listed(list, count, "token@example.test")->service_user);
    core_accounts_free(&list, count);
}

static void test_core_accounts_set_service_null(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(
        core_accounts_set_service(NULL, f->key_dir, SERVER, "a@b.c", true),
        BASE_E_INVALID);
    assert_int_equal(
        core_accounts_set_service(f->data_dir, f->key_dir, NULL, "a", true),
        BASE_E_INVALID);
    assert_int_equal(
        core_accounts_set_service(f->data_dir, f->key_dir, SERVER, NULL, true),
        BASE_E_INVALID);
    assert_int_equal(core_accounts_set_service(f->data_dir, f->key_dir,
                                               "http://x", "a@b.c", true),
                     BASE_E_USAGE);
    assert_int_equal(core_accounts_set_service(f->data_dir, f->key_dir, SERVER,
                                               "a@b.c", true),
                     BASE_E_AUTH);
}

/* The JSON of `bezala accounts` carries each account's mark. */
static void assert_json_marks(const struct core_account *list, size_t count)
{
    struct core_output_account rows[4];
    json_error_t error;
    json_t *doc;
    char *text;
    size_t i;

    assert_true(count <= 4);
    for (i = 0; i < count; i++) {
        rows[i].server = list[i].server;
        rows[i].email = list[i].email;
        rows[i].user_id = list[i].user_id;
        rows[i].signed_in = list[i].signed_in;
        rows[i].current = list[i].current;
        rows[i].service_user = list[i].service_user;
    }
    text = core_output_accounts(rows, count);
    doc = json_loads(text, 0, &error);
    assert_non_null(doc);
    assert_int_equal(json_array_size(doc), count);
    for (i = 0; i < count; i++) {
        json_t *row = json_array_get(doc, i);

        assert_true(json_is_boolean(json_object_get(row, "service_user")));
        assert_int_equal(json_is_true(json_object_get(row, "service_user")),
                         list[i].service_user);
    }
    json_decref(doc);
    free(text);
}

/* The mark is kept per account, set and cleared, whatever the email's
 * case, and reaches the JSON of `bezala accounts`. */
static void test_core_accounts_set_service_marks(void **state)
{
    struct fixture *f = *state;
    struct core_account *list = NULL;
    size_t count = 0;

    add(f, "person@example.test", true);
    add(f, "integration@example.test", true);
    assert_int_equal(
        core_accounts_set_service(f->data_dir, f->key_dir, SERVER "/",
                                  " Integration@Example.test", true),
        BASE_OK);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    assert_int_equal(count, 2);
    assert_true(listed(list, count, "integration@example.test")->service_user);
    assert_false(listed(list, count, "person@example.test")->service_user);
    assert_json_marks(list, count);
    core_accounts_free(&list, count);
    assert_int_equal(core_accounts_set_service(f->data_dir, f->key_dir, SERVER,
                                               "integration@example.test",
                                               false),
                     BASE_OK);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    assert_false(listed(list, count, "integration@example.test")->service_user);
    assert_json_marks(list, count);
    core_accounts_free(&list, count);
}

static void test_core_accounts_forget_all_null(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(core_accounts_forget_all(NULL, f->key_dir),
                     BASE_E_INVALID);
    assert_int_equal(core_accounts_forget_all(f->data_dir, NULL),
                     BASE_E_INVALID);
    assert_int_equal(core_accounts_forget_all(f->data_dir, f->key_dir),
                     BASE_OK);
}

/* Every token goes, on every server; the accounts stay. */
static void test_core_accounts_forget_all_every_server(void **state)
{
    struct fixture *f = *state;
    struct core_account *list = NULL;
    size_t count = 0;
    size_t i;

    add(f, "one@example.test", true);
    add(f, "two@example.test", true);
    add_elsewhere(f, "three@example.test");
    assert_int_equal(core_accounts_forget_all(f->data_dir, f->key_dir),
                     BASE_OK);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    assert_int_equal(count, 3);
    for (i = 0; i < count; i++)
        assert_false(list[i].signed_in);
    core_accounts_free(&list, count);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* The current account, as the list says. */
static const char *current_email(const struct fixture *f)
{
    static char email[64];
    struct core_account *list = NULL;
    size_t count = 0;
    size_t i;

    email[0] = '\0';
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    for (i = 0; i < count; i++) {
        if (list[i].current && strcmp(list[i].server, SERVER) == 0)
            snprintf(email, sizeof(email), "%s", list[i].email);
    }
    core_accounts_free(&list, count);
    return email;
}

/* Logging out the current account makes the most recently used other
 * account that still has a token current; other logouts move nothing. */
static void test_core_accounts_forget_current_promotes(void **state)
{
    struct fixture *f = *state;

    add(f, "old@example.test", true);
    add(f, "mid@example.test", true);
    add(f, "none@example.test", false);
    add(f, "new@example.test", true);
    add_elsewhere(f, "other@example.test");
    assert_string_equal(current_email(f), "new@example.test");
    assert_int_equal(core_accounts_forget(f->data_dir, f->key_dir, SERVER,
                                          "old@example.test"),
                     BASE_OK);
    assert_string_equal(current_email(f), "new@example.test");
    assert_int_equal(core_accounts_forget(f->data_dir, f->key_dir, SERVER,
                                          "new@example.test"),
                     BASE_OK);
    assert_string_equal(current_email(f), "mid@example.test");
    assert_int_equal(core_accounts_forget(f->data_dir, f->key_dir, SERVER,
                                          "mid@example.test"),
                     BASE_OK);
    /* Nobody is signed in any more: the last one stays current. */
    assert_string_equal(current_email(f), "mid@example.test");
}

static void put_cache(const struct fixture *f, int64_t id)
{
    struct db_store *store = NULL;

    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    assert_int_equal(db_cache_put(store, id, 0, "home", "{}", 2), BASE_OK);
    assert_int_equal(db_cache_put(store, id, 205, "view:users", "[]", 2),
                     BASE_OK);
    db_store_free(&store);
}

static int64_t cache_rows(const struct fixture *f, int64_t id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    int64_t n;

    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM cache"
                                        " WHERE account_id = ?1",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, id);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
}

/* Logging out drops the account's cached lists, and only its own. */
static void test_core_accounts_forget_clears_cache(void **state)
{
    struct fixture *f = *state;
    int64_t a = add(f, "a@example.test", true);
    int64_t b = add(f, "b@example.test", true);

    put_cache(f, a);
    put_cache(f, b);
    assert_int_equal(cache_rows(f, a), 2);
    assert_int_equal(
        core_accounts_forget(f->data_dir, f->key_dir, SERVER, "a@example.test"),
        BASE_OK);
    assert_int_equal(cache_rows(f, a), 0);
    assert_int_equal(cache_rows(f, b), 2);
    assert_int_equal(core_accounts_forget_all(f->data_dir, f->key_dir),
                     BASE_OK);
    assert_int_equal(cache_rows(f, b), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_core_accounts_list_null),
        T(test_core_accounts_list_tampered_not_signed_in),
        T(test_core_accounts_forget_null),
        T(test_core_accounts_forget_any_case),
        T(test_core_accounts_list_current),
        T(test_core_accounts_forget_current_promotes),
        T(test_core_accounts_forget_clears_cache),
        T(test_core_accounts_set_service_null),
        T(test_core_accounts_set_service_marks),
        T(test_core_accounts_forget_all_null),
        T(test_core_accounts_forget_all_every_server),
    };

    if (base_secret_init() != BASE_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
