/* Tokens at rest: validation, round trip, nonces, tamper and row-swap
 * detection, and that no plaintext reaches any file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/secret.h"
#include "db/accounts.h"
#include "db/store.h"
#include "db/tokens.h"
#include "tests/db/util.h"

#define SERVER "https://127.0.0.1:8443"
#define TOKEN_A "AAAAtokenForAnn-0123456789"
#define TOKEN_B "BBBBtokenForBob-9876543210"

static void put(struct db_store *store, int64_t id, const char *text,
                enum base_status expected)
{
    struct base_secret *token = NULL;

    assert_int_equal(base_secret_new(text, strlen(text), &token), BASE_OK);
    assert_int_equal(db_tokens_put(store, id, token), expected);
    base_secret_free(&token);
}

static void expect_token(struct db_store *store, int64_t id, const char *text)
{
    struct base_secret *got = NULL;

    assert_int_equal(db_tokens_get(store, id, &got), BASE_OK);
    assert_non_null(got);
    assert_int_equal(base_secret_len(got), strlen(text));
    assert_memory_equal(base_secret_bytes(got), text, strlen(text));
    base_secret_free(&got);
}

static void expect_unreadable(struct db_store *store, int64_t id)
{
    struct base_secret *got = NULL;

    assert_int_equal(db_tokens_get(store, id, &got), BASE_E_TOKEN_UNREADABLE);
    assert_null(got);
    assert_non_null(strstr(db_store_last_error(store), "sign in again"));
}

static int setup(void **state)
{
    if (util_setup(state) != 0)
        return -1;
    return util_add_pair(*state, SERVER, 11, 12);
}

/* Stores both tokens and closes the store so raw SQL can edit rows. */
static void store_both_and_close(struct util_fixture *f)
{
    put(f->store, f->ann, TOKEN_A, BASE_OK);
    put(f->store, f->bob, TOKEN_B, BASE_OK);
    db_store_free(&f->store);
}

static void test_tokens_put_null(void **state)
{
    struct util_fixture *f = *state;
    struct base_secret *token = NULL;

    assert_int_equal(base_secret_new(TOKEN_A, strlen(TOKEN_A), &token),
                     BASE_OK);
    assert_int_equal(db_tokens_put(NULL, f->ann, token), BASE_E_INVALID);
    assert_int_equal(db_tokens_put(f->store, f->ann, NULL), BASE_E_INVALID);
    assert_int_equal(db_tokens_put(f->store, 9999, token), BASE_E_AUTH);
    base_secret_free(&token);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM tokens"),
                     0);
}

static void test_tokens_put_rejects_bad_charset(void **state)
{
    struct util_fixture *f = *state;
    static const char *const bad[] = {
        "short",     "has space in it",  "abcdefgh\r\nX-Evil: 1", "==abcdefgh",
        "abcd=efgh", "abcdefgh\xc3\xa9", "abcdefgh,ij",           "abcdefgh\"",
    };
    char *long_token = malloc(4098);
    size_t i;

    assert_non_null(long_token);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        put(f->store, f->ann, bad[i], BASE_E_INVALID);
    memset(long_token, 'a', 4097);
    long_token[4097] = '\0';
    put(f->store, f->ann, long_token, BASE_E_INVALID);
    long_token[4096] = '\0';
    put(f->store, f->ann, long_token, BASE_OK);
    expect_token(f->store, f->ann, long_token);
    put(f->store, f->ann, "aZ09-._~+/==", BASE_OK);
    expect_token(f->store, f->ann, "aZ09-._~+/==");
    free(long_token);
}

static void test_tokens_get_null(void **state)
{
    struct util_fixture *f = *state;
    struct base_secret *got = NULL;

    assert_int_equal(db_tokens_get(NULL, f->ann, &got), BASE_E_INVALID);
    assert_int_equal(db_tokens_get(f->store, f->ann, NULL), BASE_E_INVALID);
    assert_int_equal(db_tokens_get(f->store, f->ann, &got), BASE_E_AUTH);
    assert_int_equal(db_tokens_get(f->store, 9999, &got), BASE_E_AUTH);
    assert_null(got);
}

static void test_tokens_get_round_trip(void **state)
{
    struct util_fixture *f = *state;
    struct db_account acc;

    put(f->store, f->ann, TOKEN_A, BASE_OK);
    put(f->store, f->bob, TOKEN_B, BASE_OK);
    expect_token(f->store, f->ann, TOKEN_A);
    expect_token(f->store, f->bob, TOKEN_B);
    assert_int_equal(
        db_accounts_find(f->store, SERVER, "ann@example.test", &acc), BASE_OK);
    assert_true(acc.has_token);
    db_accounts_clear(&acc);
    db_store_free(&f->store);
    f->store = util_open(&f->dirs);
    expect_token(f->store, f->ann, TOKEN_A);
}

static void test_tokens_put_fresh_nonce(void **state)
{
    struct util_fixture *f = *state;
    unsigned char n1[64], n2[64], c1[256], c2[256];
    const char *qn = "SELECT nonce FROM tokens";
    const char *qc = "SELECT ct FROM tokens";
    long ln, lc;

    put(f->store, f->ann, TOKEN_A, BASE_OK);
    ln = util_sql_blob(f->dirs.db, qn, n1, sizeof(n1));
    lc = util_sql_blob(f->dirs.db, qc, c1, sizeof(c1));
    put(f->store, f->ann, TOKEN_A, BASE_OK);
    assert_int_equal(ln, 24);
    assert_int_equal(util_sql_blob(f->dirs.db, qn, n2, sizeof(n2)), 24);
    assert_int_equal(util_sql_blob(f->dirs.db, qc, c2, sizeof(c2)), lc);
    assert_memory_not_equal(n1, n2, 24);
    assert_memory_not_equal(c1, c2, (size_t)lc);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM tokens"),
                     1);
    expect_token(f->store, f->ann, TOKEN_A);
}

/* The ciphertext hides the token length inside a 64-byte block. */
static void test_tokens_put_pads_length(void **state)
{
    struct util_fixture *f = *state;
    const char *q = "SELECT length(ct) FROM tokens";

    put(f->store, f->ann, "abcdefgh", BASE_OK);
    assert_int_equal(util_sql_int(f->dirs.db, q), 64 + 16);
    put(f->store, f->ann, "abcdefghabcdefghabcdefghabcdefghabcdefgh", BASE_OK);
    assert_int_equal(util_sql_int(f->dirs.db, q), 64 + 16);
}

static void test_tokens_put_replaces(void **state)
{
    struct util_fixture *f = *state;

    put(f->store, f->ann, TOKEN_A, BASE_OK);
    put(f->store, f->ann, TOKEN_B, BASE_OK);
    expect_token(f->store, f->ann, TOKEN_B);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM tokens"),
                     1);
    assert_false(util_tree_contains(f->dirs.root, TOKEN_B, strlen(TOKEN_B)));
}

/* Flips one bit in table.col of Ann's row; Ann's token is then
 * unreadable and Bob's still reads. */
static void flip_and_check(struct util_fixture *f, const char *table,
                           const char *col, const char *where, size_t offset)
{
    store_both_and_close(f);
    assert_int_equal(util_flip_bit(f->dirs.db, table, col, where, offset), 0);
    f->store = util_open(&f->dirs);
    expect_unreadable(f->store, f->ann);
    expect_token(f->store, f->bob, TOKEN_B);
}

static void test_tokens_get_flipped_ct(void **state)
{
    struct util_fixture *f = *state;
    char where[64];

    snprintf(where, sizeof(where), "account_id = %lld", (long long)f->ann);
    flip_and_check(f, "tokens", "ct", where, 5);
}

static void test_tokens_get_flipped_tag(void **state)
{
    struct util_fixture *f = *state;
    char where[64];

    snprintf(where, sizeof(where), "account_id = %lld", (long long)f->ann);
    flip_and_check(f, "tokens", "ct", where, 64 + 15);
}

static void test_tokens_get_flipped_nonce(void **state)
{
    struct util_fixture *f = *state;
    char where[64];

    snprintf(where, sizeof(where), "account_id = %lld", (long long)f->ann);
    flip_and_check(f, "tokens", "nonce", where, 23);
}

static void test_tokens_get_flipped_key_id(void **state)
{
    struct util_fixture *f = *state;
    char where[64];

    snprintf(where, sizeof(where), "account_id = %lld", (long long)f->ann);
    flip_and_check(f, "tokens", "key_id", where, 0);
}

static void test_tokens_get_flipped_uuid(void **state)
{
    struct util_fixture *f = *state;
    char where[64];

    snprintf(where, sizeof(where), "account_id = %lld", (long long)f->ann);
    flip_and_check(f, "tokens", "id", where, 2);
}

static void test_tokens_get_flipped_email(void **state)
{
    struct util_fixture *f = *state;
    char where[64];

    snprintf(where, sizeof(where), "id = %lld", (long long)f->ann);
    flip_and_check(f, "accounts", "email", where, 0);
}

static void test_tokens_get_flipped_server(void **state)
{
    struct util_fixture *f = *state;
    char where[64];

    snprintf(where, sizeof(where), "id = %lld", (long long)f->ann);
    flip_and_check(f, "accounts", "server", where, 12);
}

/* Ann's (nonce, ct) pasted into Bob's row must not decrypt as Bob's. */
static void test_tokens_get_swapped_row(void **state)
{
    struct util_fixture *f = *state;
    char sql[256];

    store_both_and_close(f);
    snprintf(sql, sizeof(sql),
             "UPDATE tokens SET (nonce, ct, key_id) = (SELECT nonce, ct,"
             " key_id FROM tokens WHERE account_id = %lld)"
             " WHERE account_id = %lld",
             (long long)f->ann, (long long)f->bob);
    assert_int_equal(util_sql(f->dirs.db, sql), 0);
    f->store = util_open(&f->dirs);
    expect_unreadable(f->store, f->bob);
    expect_token(f->store, f->ann, TOKEN_A);
}

/* Ann's whole row moved to Bob's account. */
static void test_tokens_get_moved_row(void **state)
{
    struct util_fixture *f = *state;
    char sql[256];

    store_both_and_close(f);
    snprintf(sql, sizeof(sql),
             "DELETE FROM tokens WHERE account_id = %lld;"
             "UPDATE tokens SET account_id = %lld WHERE account_id = %lld",
             (long long)f->bob, (long long)f->bob, (long long)f->ann);
    assert_int_equal(util_sql(f->dirs.db, sql), 0);
    f->store = util_open(&f->dirs);
    expect_unreadable(f->store, f->bob);
}

static void test_tokens_put_no_plaintext(void **state)
{
    struct util_fixture *f = *state;
    const char *marker = "zqMARKERq7Xv9wQ2Lk_unique";
    unsigned char ct[256];
    char wal[160];
    long ct_len;

    put(f->store, f->ann, marker, BASE_OK);
    assert_false(util_tree_contains(f->dirs.root, marker, strlen(marker)));
    ct_len = util_sql_blob(f->dirs.db, "SELECT ct FROM tokens", ct, sizeof(ct));
    assert_true(ct_len > 16);
    assert_true(util_tree_contains(f->dirs.data, ct, (size_t)ct_len));
    assert_int_equal(db_tokens_delete(f->store, f->ann), BASE_OK);
    snprintf(wal, sizeof(wal), "%s-wal", f->dirs.db);
    assert_true(util_size(wal) <= 0);
    assert_false(util_tree_contains(f->dirs.root, ct, (size_t)ct_len));
    db_store_free(&f->store);
    assert_false(util_tree_contains(f->dirs.root, marker, strlen(marker)));
}

static void test_tokens_delete_null(void **state)
{
    struct util_fixture *f = *state;
    struct base_secret *got = NULL;

    assert_int_equal(db_tokens_delete(NULL, f->ann), BASE_E_INVALID);
    assert_int_equal(db_tokens_delete(f->store, f->ann), BASE_OK);
    assert_int_equal(db_tokens_delete(f->store, 9999), BASE_OK);
    put(f->store, f->ann, TOKEN_A, BASE_OK);
    put(f->store, f->bob, TOKEN_B, BASE_OK);
    assert_int_equal(db_tokens_delete(f->store, f->ann), BASE_OK);
    assert_int_equal(db_tokens_get(f->store, f->ann, &got), BASE_E_AUTH);
    expect_token(f->store, f->bob, TOKEN_B);
}

static void test_tokens_delete_all_null(void **state)
{
    struct util_fixture *f = *state;
    struct base_secret *got = NULL;
    char wal[160];

    assert_int_equal(db_tokens_delete_all(NULL), BASE_E_INVALID);
    assert_int_equal(db_tokens_delete_all(f->store), BASE_OK);
    put(f->store, f->ann, TOKEN_A, BASE_OK);
    put(f->store, f->bob, TOKEN_B, BASE_OK);
    assert_int_equal(db_tokens_delete_all(f->store), BASE_OK);
    assert_int_equal(db_tokens_get(f->store, f->ann, &got), BASE_E_AUTH);
    assert_int_equal(db_tokens_get(f->store, f->bob, &got), BASE_E_AUTH);
    assert_null(got);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM accounts"),
                     2);
    snprintf(wal, sizeof(wal), "%s-wal", f->dirs.db);
    assert_true(util_size(wal) <= 0);
    /* The accounts still take a new token. */
    put(f->store, f->ann, TOKEN_B, BASE_OK);
    expect_token(f->store, f->ann, TOKEN_B);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, util_teardown)
        T(test_tokens_put_null),
        T(test_tokens_put_rejects_bad_charset),
        T(test_tokens_get_null),
        T(test_tokens_get_round_trip),
        T(test_tokens_put_fresh_nonce),
        T(test_tokens_put_pads_length),
        T(test_tokens_put_replaces),
        T(test_tokens_get_flipped_ct),
        T(test_tokens_get_flipped_tag),
        T(test_tokens_get_flipped_nonce),
        T(test_tokens_get_flipped_key_id),
        T(test_tokens_get_flipped_uuid),
        T(test_tokens_get_flipped_email),
        T(test_tokens_get_flipped_server),
        T(test_tokens_get_swapped_row),
        T(test_tokens_get_moved_row),
        T(test_tokens_put_no_plaintext),
        T(test_tokens_delete_null),
        T(test_tokens_delete_all_null),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
