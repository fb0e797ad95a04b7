/* The stored accounts as core_accounts_list and core_accounts_forget see
 * them, on a store made here without a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/secret.h"
#include "core/accounts.h"
#include "db/accounts.h"
#include "db/store.h"
#include "db/tokens.h"

#define SERVER "https://127.0.0.1:8443"
#define TOKEN "qT3xZp0-aBcDeFgH1jKl"

struct fixture {
    char home[64];
    char data_dir[96];
    char key_dir[96];
    char db[128];
};

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    snprintf(f->home, sizeof(f->home), "/tmp/bezala-accounts-XXXXXX");
    if (!mkdtemp(f->home))
        return -1;
    snprintf(f->data_dir, sizeof(f->data_dir), "%s/data", f->home);
    snprintf(f->key_dir, sizeof(f->key_dir), "%s/config", f->home);
    snprintf(f->db, sizeof(f->db), "%s/bezala.db", f->data_dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    nftw(f->home, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
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

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_core_accounts_list_null),
        T(test_core_accounts_list_tampered_not_signed_in),
        T(test_core_accounts_forget_null),
        T(test_core_accounts_forget_any_case),
    };

    if (base_secret_init() != BASE_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
