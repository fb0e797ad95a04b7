/* The passphrase vault: known answer, tamper of every stored field, wrong
 * and out-of-range input, passphrase change and removal, key rotation and
 * a rotation killed half-way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "base/secret.h"
#include "db/accounts.h"
#include "db/store.h"
#include "db/tokens.h"
#include "db/vault.h"
#include "db/vault_test.h"
#include "tests/db/util.h"

#define SERVER "https://127.0.0.1:8443"
#define PASS "correct horse battery staple"
#define PASS2 "a different, longer passphrase"
#define ROWS 6
#define KILL_RUNS 25
#define TIB (1024ULL * 1024 * 1024 * 1024)

static const char *const tokens[ROWS] = {
    "TokAnn-0123456789abcdef",   "TokBob-1123456789abcdef",
    "TokCid-2123456789abcdef",   "TokDee-3123456789abcdef",
    "TokEve-4123456789abcdef==", "TokFay-5123456789abcdef"};

struct fixture {
    struct util_dirs dirs;
    struct db_store *store;
    int64_t ids[ROWS];
};

static struct base_secret *secret(const char *text)
{
    struct base_secret *s = NULL;

    assert_int_equal(base_secret_new(text, strlen(text), &s), BASE_OK);
    return s;
}

static enum base_status set_pass(struct db_store *store, const char *old,
                                 const char *new_pass)
{
    struct base_secret *o = old ? secret(old) : NULL;
    struct base_secret *n = new_pass ? secret(new_pass) : NULL;
    enum base_status result = db_vault_set_passphrase(store, o, n);

    base_secret_free(&o);
    base_secret_free(&n);
    return result;
}

static enum base_status unlock(struct db_store *store, const char *pass)
{
    struct base_secret *p = pass ? secret(pass) : NULL;
    enum base_status result = db_vault_unlock(store, p);

    base_secret_free(&p);
    return result;
}

static void expect_all(struct fixture *f)
{
    struct base_secret *got = NULL;
    size_t i;

    for (i = 0; i < ROWS; i++) {
        assert_int_equal(db_tokens_get(f->store, f->ids[i], &got), BASE_OK);
        assert_string_equal(base_secret_str(got), tokens[i]);
        base_secret_free(&got);
    }
}

static void expect_status(struct db_store *store, int64_t id,
                          enum base_status status)
{
    struct base_secret *got = NULL;

    assert_int_equal(db_tokens_get(store, id, &got), status);
    assert_null(got);
}

static void reopen(struct fixture *f)
{
    db_store_free(&f->store);
    f->store = util_open(&f->dirs);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct base_secret *t = NULL;
    char email[64];
    size_t i;

    if (!f || util_dirs_new(&f->dirs) != 0)
        return -1;
    db_vault_test_set_kdf(crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN);
    db_vault_test_set_rekey_hook(NULL);
    f->store = util_open(&f->dirs);
    for (i = 0; i < ROWS; i++) {
        snprintf(email, sizeof(email), "user%zu@example.test", i);
        if (db_accounts_upsert(f->store, SERVER, email, 0, &f->ids[i]) !=
            BASE_OK)
            return -1;
        t = secret(tokens[i]);
        if (db_tokens_put(f->store, f->ids[i], t) != BASE_OK)
            return -1;
        base_secret_free(&t);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    util_close(&f->dirs, &f->store);
    free(f);
    db_vault_test_set_kdf(0, 0);
    return 0;
}

/* Passphrase mode, closed and reopened: locked. */
static void to_passphrase(struct fixture *f)
{
    assert_int_equal(set_pass(f->store, NULL, PASS), BASE_OK);
    reopen(f);
}

static void test_vault_info_null(void **state)
{
    struct fixture *f = *state;
    struct db_vault_info info;

    assert_int_equal(db_vault_info(NULL, &info), BASE_E_INVALID);
    assert_int_equal(db_vault_info(f->store, NULL), BASE_E_INVALID);
    memset(&info, 0x5a, sizeof(info));
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_int_equal(info.mode, DB_VAULT_KEYFILE);
    assert_true(info.unlocked);
    assert_string_equal(info.kdf_alg, "");
    assert_int_equal(info.opslimit, 0);
    assert_int_equal(info.memlimit, 0);
}

static void test_vault_unlock_null(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(db_vault_unlock(NULL, NULL), BASE_E_INVALID);
    /* Key-file mode needs no passphrase. */
    assert_int_equal(db_vault_unlock(f->store, NULL), BASE_OK);
    expect_all(f);
    to_passphrase(f);
    assert_int_equal(db_vault_unlock(f->store, NULL), BASE_E_LOCKED);
    expect_status(f->store, f->ids[0], BASE_E_LOCKED);
}

static void test_vault_set_passphrase_null(void **state)
{
    struct fixture *f = *state;
    struct db_vault_info info;

    assert_int_equal(set_pass(NULL, NULL, PASS), BASE_E_INVALID);
    assert_int_equal(set_pass(f->store, NULL, ""), BASE_E_INVALID);
    /* Removing a passphrase that is not there changes nothing. */
    assert_int_equal(set_pass(f->store, NULL, NULL), BASE_OK);
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_int_equal(info.mode, DB_VAULT_KEYFILE);
    expect_all(f);
}

static void test_vault_set_passphrase_locks_on_open(void **state)
{
    struct fixture *f = *state;
    struct base_secret *t = secret("TokNew-0123456789");
    struct db_vault_info info;

    assert_int_equal(set_pass(f->store, NULL, PASS), BASE_OK);
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_int_equal(info.mode, DB_VAULT_PASSPHRASE);
    assert_true(info.unlocked);
    assert_string_equal(info.kdf_alg, "argon2id13");
    assert_int_equal(info.opslimit, crypto_pwhash_OPSLIMIT_MIN);
    assert_int_equal(info.memlimit, crypto_pwhash_MEMLIMIT_MIN);
    expect_all(f);
    /* The key file is gone, and a passphrase vault never makes one. */
    assert_int_equal(util_size(f->dirs.keyfile), -1);
    reopen(f);
    assert_int_equal(util_size(f->dirs.keyfile), -1);
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_false(info.unlocked);
    assert_int_equal(db_store_vault_check(f->store), BASE_E_LOCKED);
    expect_status(f->store, f->ids[1], BASE_E_LOCKED);
    assert_int_equal(db_tokens_put(f->store, f->ids[1], t), BASE_E_LOCKED);
    assert_int_equal(db_vault_rekey(f->store), BASE_E_LOCKED);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    assert_int_equal(db_store_vault_check(f->store), BASE_OK);
    expect_all(f);
    assert_int_equal(db_tokens_put(f->store, f->ids[1], t), BASE_OK);
    base_secret_free(&t);
}

static void test_vault_unlock_wrong_passphrase(void **state)
{
    struct fixture *f = *state;
    struct db_vault_info info;
    char longer[64];

    to_passphrase(f);
    snprintf(longer, sizeof(longer), "%s!", PASS);
    assert_int_equal(unlock(f->store, "wrong"), BASE_E_PASSPHRASE);
    assert_non_null(strstr(db_store_last_error(f->store), "passphrase"));
    assert_int_equal(unlock(f->store, "correct horse battery stapl"),
                     BASE_E_PASSPHRASE);
    assert_int_equal(unlock(f->store, "c"), BASE_E_PASSPHRASE);
    assert_int_equal(unlock(f->store, longer), BASE_E_PASSPHRASE);
    assert_int_equal(unlock(f->store, "CORRECT HORSE BATTERY STAPLE"),
                     BASE_E_PASSPHRASE);
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_false(info.unlocked);
    expect_status(f->store, f->ids[0], BASE_E_LOCKED);
    assert_null(strstr(db_store_last_error(f->store), PASS));
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    expect_all(f);
    /* A wrong passphrase on an open vault does not close it. */
    assert_int_equal(unlock(f->store, "wrong"), BASE_E_PASSPHRASE);
    expect_all(f);
}

/* The bytes are hashed as given: NFC and NFD spellings differ. */
static void test_vault_unlock_bytes_as_typed(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(set_pass(f->store, NULL, "p\xc3\xa4ssphrase"), BASE_OK);
    reopen(f);
    assert_int_equal(unlock(f->store, "pa\xcc\x88ssphrase"), BASE_E_PASSPHRASE);
    assert_int_equal(unlock(f->store, "passphrase"), BASE_E_PASSPHRASE);
    assert_int_equal(unlock(f->store, "p\xc3\xa4ssphrase"), BASE_OK);
    expect_all(f);
}

static void expect_kdf_params(struct fixture *f, const char *change,
                              const char *restore)
{
    struct db_vault_info info;

    db_store_free(&f->store);
    assert_int_equal(util_sql(f->dirs.db, change), SQLITE_OK);
    f->store = util_open(&f->dirs);
    assert_int_equal(unlock(f->store, PASS), BASE_E_KDF_PARAMS);
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_false(info.unlocked);
    expect_status(f->store, f->ids[0], BASE_E_LOCKED);
    db_store_free(&f->store);
    assert_int_equal(util_sql(f->dirs.db, restore), SQLITE_OK);
    f->store = util_open(&f->dirs);
}

/* Refused before the KDF: 8 GiB would not even be allocated, and 1000
 * passes would take minutes at the default memory. */
static void test_vault_unlock_kdf_out_of_range(void **state)
{
    struct fixture *f = *state;
    const char *restore = "UPDATE vault_meta SET opslimit = 1,"
                          " memlimit = 8192";

    to_passphrase(f);
    expect_kdf_params(f, "UPDATE vault_meta SET memlimit = 8589934592",
                      restore);
    expect_kdf_params(f, "UPDATE vault_meta SET memlimit = 1073741825",
                      restore);
    expect_kdf_params(f, "UPDATE vault_meta SET opslimit = 1000", restore);
    expect_kdf_params(f, "UPDATE vault_meta SET opslimit = 11", restore);
    expect_kdf_params(f, "UPDATE vault_meta SET opslimit = 0", restore);
    expect_kdf_params(f, "UPDATE vault_meta SET opslimit = -1", restore);
    expect_kdf_params(f, "UPDATE vault_meta SET memlimit = -8192", restore);
    expect_kdf_params(f, "UPDATE vault_meta SET memlimit = 8191", restore);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    expect_all(f);
}

/* Without the test hook the floor is INTERACTIVE: a vault made with the
 * minimum is refused as too weak before any derivation. */
static void test_vault_unlock_below_floor(void **state)
{
    struct fixture *f = *state;

    to_passphrase(f);
    db_vault_test_set_kdf(0, 0);
    assert_int_equal(unlock(f->store, PASS), BASE_E_KDF_PARAMS);
    assert_non_null(strstr(db_store_last_error(f->store), "too weak"));
    expect_status(f->store, f->ids[0], BASE_E_LOCKED);
    db_vault_test_set_kdf(crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
}

/* Flips bit 0 of an integer column (x XOR 1); applying it twice
 * restores the value. */
static void flip_int(const char *db, const char *col)
{
    char sql[160];

    snprintf(sql, sizeof(sql), "UPDATE vault_meta SET %s = (%s | 1) - (%s & 1)",
             col, col, col);
    assert_int_equal(util_sql(db, sql), SQLITE_OK);
}

struct meta_field {
    const char *col;
    int integer;
    size_t offset;
    enum base_status expected;
};

static void tamper_meta(struct fixture *f, const struct meta_field *m)
{
    struct base_secret *got = NULL;
    struct db_vault_info info;

    db_store_free(&f->store);
    if (m->integer)
        flip_int(f->dirs.db, m->col);
    else
        assert_int_equal(util_flip_bit(f->dirs.db, "vault_meta", m->col,
                                       "id = 1", m->offset),
                         0);
    f->store = util_open(&f->dirs);
    assert_int_equal(unlock(f->store, PASS), m->expected);
    assert_int_not_equal(db_tokens_get(f->store, f->ids[2], &got), BASE_OK);
    assert_null(got);
    if (db_vault_info(f->store, &info) == BASE_OK)
        assert_false(info.unlocked);
    db_store_free(&f->store);
    if (m->integer)
        flip_int(f->dirs.db, m->col);
    else
        assert_int_equal(util_flip_bit(f->dirs.db, "vault_meta", m->col,
                                       "id = 1", m->offset),
                         0);
    f->store = util_open(&f->dirs);
}

static void test_vault_unlock_tampered_meta(void **state)
{
    static const struct meta_field fields[] = {
        {"format", 1, 0, BASE_E_PASSPHRASE},
        {"mode", 0, 0, BASE_E_PASSPHRASE},
        {"mode", 0, 9, BASE_E_PASSPHRASE},
        {"key_id", 0, 0, BASE_E_PASSPHRASE},
        {"key_id", 0, 15, BASE_E_PASSPHRASE},
        {"kdf_alg", 0, 0, BASE_E_KDF_PARAMS},
        {"kdf_alg", 0, 9, BASE_E_KDF_PARAMS},
        {"salt", 0, 0, BASE_E_PASSPHRASE},
        {"salt", 0, 15, BASE_E_PASSPHRASE},
        {"opslimit", 1, 0, BASE_E_KDF_PARAMS},
        {"memlimit", 1, 0, BASE_E_PASSPHRASE},
        {"wrap_nonce", 0, 0, BASE_E_PASSPHRASE},
        {"wrap_nonce", 0, 23, BASE_E_PASSPHRASE},
        {"wrapped_dek", 0, 0, BASE_E_PASSPHRASE},
        {"wrapped_dek", 0, 31, BASE_E_PASSPHRASE},
        {"wrapped_dek", 0, 47, BASE_E_PASSPHRASE},
    };
    struct fixture *f = *state;
    size_t i;

    to_passphrase(f);
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        print_message("tamper %s[%zu]\n", fields[i].col, fields[i].offset);
        tamper_meta(f, &fields[i]);
        assert_int_equal(unlock(f->store, PASS), BASE_OK);
        expect_all(f);
        db_vault_lock(f->store);
    }
}

/* The opslimit raised by one pass stays in range: the KDF then runs and
 * the wrap's associated data refuses it. */
static void test_vault_unlock_raised_opslimit(void **state)
{
    struct fixture *f = *state;

    to_passphrase(f);
    db_store_free(&f->store);
    assert_int_equal(util_sql(f->dirs.db, "UPDATE vault_meta SET opslimit = 2"),
                     SQLITE_OK);
    f->store = util_open(&f->dirs);
    assert_int_equal(unlock(f->store, PASS), BASE_E_PASSPHRASE);
}

static void tamper_token(struct fixture *f, const char *table, const char *col,
                         const char *where, size_t offset)
{
    assert_int_equal(util_flip_bit(f->dirs.db, table, col, where, offset), 0);
    expect_status(f->store, f->ids[0], BASE_E_TOKEN_UNREADABLE);
    assert_int_equal(util_flip_bit(f->dirs.db, table, col, where, offset), 0);
    expect_all(f);
}

static void test_vault_tokens_tampered(void **state)
{
    struct fixture *f = *state;
    char tok[64];
    char acc[64];

    to_passphrase(f);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    snprintf(tok, sizeof(tok), "account_id = %lld", (long long)f->ids[0]);
    snprintf(acc, sizeof(acc), "id = %lld", (long long)f->ids[0]);
    tamper_token(f, "tokens", "id", tok, 0);
    tamper_token(f, "tokens", "id", tok, 35);
    tamper_token(f, "tokens", "key_id", tok, 0);
    tamper_token(f, "tokens", "key_id", tok, 15);
    tamper_token(f, "tokens", "nonce", tok, 0);
    tamper_token(f, "tokens", "nonce", tok, 23);
    tamper_token(f, "tokens", "ct", tok, 0);
    tamper_token(f, "tokens", "ct", tok, 63);
    tamper_token(f, "tokens", "ct", tok, 64 + 15);
    tamper_token(f, "accounts", "server", acc, 8);
    tamper_token(f, "accounts", "email", acc, 0);
}

/* Account 0's sealed token (key_id, nonce, ct) copied into account 1's
 * row, then account 0's whole row moved to account 1: the ciphertext is
 * bound to its row and account, so account 1 reads nothing. */
static void test_vault_tokens_row_copied(void **state)
{
    struct fixture *f = *state;
    long long a = (long long)f->ids[0];
    long long b = (long long)f->ids[1];
    char sql[512];

    to_passphrase(f);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    snprintf(sql, sizeof(sql),
             "UPDATE tokens SET (key_id, nonce, ct) = (SELECT key_id, nonce,"
             " ct FROM tokens WHERE account_id = %lld) WHERE account_id ="
             " %lld",
             a, b);
    assert_int_equal(util_sql(f->dirs.db, sql), SQLITE_OK);
    expect_status(f->store, f->ids[1], BASE_E_TOKEN_UNREADABLE);
    expect_status(f->store, f->ids[1], BASE_E_TOKEN_UNREADABLE);
    snprintf(sql, sizeof(sql),
             "DELETE FROM tokens WHERE account_id = %lld;"
             "UPDATE tokens SET account_id = %lld WHERE account_id = %lld",
             b, b, a);
    assert_int_equal(util_sql(f->dirs.db, sql), SQLITE_OK);
    expect_status(f->store, f->ids[1], BASE_E_TOKEN_UNREADABLE);
    expect_status(f->store, f->ids[0], BASE_E_AUTH);
}

static long meta_blob(struct fixture *f, const char *col, unsigned char *buf)
{
    char sql[96];

    snprintf(sql, sizeof(sql), "SELECT %s FROM vault_meta", col);
    return util_sql_blob(f->dirs.db, sql, buf, 64);
}

static void test_vault_set_passphrase_change(void **state)
{
    struct fixture *f = *state;
    unsigned char wrapped[64], salt[64], key_id[64], after[64];

    assert_int_equal(set_pass(f->store, NULL, PASS), BASE_OK);
    assert_int_equal(meta_blob(f, "wrapped_dek", wrapped), 48);
    assert_int_equal(meta_blob(f, "salt", salt), 16);
    assert_int_equal(meta_blob(f, "key_id", key_id), 16);
    assert_int_equal(set_pass(f->store, NULL, PASS2), BASE_E_LOCKED);
    assert_int_equal(set_pass(f->store, "wrong", PASS2), BASE_E_PASSPHRASE);
    assert_int_equal(set_pass(f->store, PASS2, PASS2), BASE_E_PASSPHRASE);
    assert_int_equal(meta_blob(f, "wrapped_dek", after), 48);
    assert_memory_equal(after, wrapped, 48);
    assert_int_equal(set_pass(f->store, PASS, PASS2), BASE_OK);
    assert_int_equal(meta_blob(f, "salt", after), 16);
    assert_memory_not_equal(after, salt, 16);
    assert_int_equal(meta_blob(f, "key_id", after), 16);
    assert_memory_equal(after, key_id, 16);
    expect_all(f);
    reopen(f);
    assert_int_equal(unlock(f->store, PASS), BASE_E_PASSPHRASE);
    assert_int_equal(unlock(f->store, PASS2), BASE_OK);
    expect_all(f);
    db_store_free(&f->store);
    assert_false(util_tree_contains(f->dirs.data, wrapped, 48));
    f->store = util_open(&f->dirs);
}

static void test_vault_set_passphrase_remove(void **state)
{
    struct fixture *f = *state;
    struct db_vault_info info;

    to_passphrase(f);
    assert_int_equal(set_pass(f->store, "wrong", NULL), BASE_E_PASSPHRASE);
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_int_equal(info.mode, DB_VAULT_PASSPHRASE);
    assert_int_equal(set_pass(f->store, PASS, NULL), BASE_OK);
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_int_equal(info.mode, DB_VAULT_KEYFILE);
    assert_true(info.unlocked);
    assert_int_equal(util_sql_int(f->dirs.db,
                                  "SELECT count(*) FROM vault_meta WHERE"
                                  " kdf_alg IS NULL AND salt IS NULL AND"
                                  " opslimit IS NULL AND memlimit IS NULL"),
                     1);
    expect_all(f);
    reopen(f);
    assert_int_equal(db_store_vault_check(f->store), BASE_OK);
    expect_all(f);
}

#define DAMAGED                                                       \
    "the vault row was altered or removed: restore bezala.db from a " \
    "backup, or move it aside and sign in again"

static void read_keyfile(struct fixture *f, unsigned char *key)
{
    FILE *fp = fopen(f->dirs.keyfile, "rb");

    assert_non_null(fp);
    assert_int_equal(fread(key, 1, 32, fp), 32);
    fclose(fp);
}

/* Setting a passphrase rotates the data key and deletes the key file: an
 * old copy of the key-file row with the old key file opens none of the
 * current tokens. */
static void test_vault_set_passphrase_rotates_and_drops_keyfile(void **state)
{
    struct fixture *f = *state;
    unsigned char key[32], key_id[64], after[64];
    size_t i;

    read_keyfile(f, key);
    assert_int_equal(meta_blob(f, "key_id", key_id), 16);
    assert_int_equal(util_sql(f->dirs.db, "CREATE TABLE saved AS"
                                          " SELECT * FROM vault_meta"),
                     SQLITE_OK);
    assert_int_equal(set_pass(f->store, NULL, PASS), BASE_OK);
    assert_string_equal(db_store_last_error(f->store), "");
    assert_int_equal(util_size(f->dirs.keyfile), -1);
    assert_int_equal(meta_blob(f, "key_id", after), 16);
    assert_memory_not_equal(after, key_id, 16);
    assert_int_equal(util_sql_int(f->dirs.db,
                                  "SELECT count(*) FROM tokens WHERE key_id ="
                                  " (SELECT key_id FROM vault_meta)"),
                     ROWS);
    expect_all(f);
    /* The old row and the old key file, put back, open the old data key
     * only. */
    db_store_free(&f->store);
    assert_int_equal(util_sql(f->dirs.db, "DELETE FROM vault_meta;"
                                          " INSERT INTO vault_meta"
                                          " SELECT * FROM saved"),
                     SQLITE_OK);
    assert_int_equal(util_write_file(f->dirs.keyfile, key, 32, 0600), 0);
    f->store = util_open(&f->dirs);
    assert_int_equal(db_store_vault_check(f->store), BASE_OK);
    for (i = 0; i < ROWS; i++)
        expect_status(f->store, f->ids[i], BASE_E_TOKEN_UNREADABLE);
}

/* Removing the passphrase writes a fresh key file and a fresh data key. */
static void test_vault_set_passphrase_remove_fresh_key(void **state)
{
    struct fixture *f = *state;
    unsigned char old_key[32], new_key[32], key_id[64], after[64];

    read_keyfile(f, old_key);
    to_passphrase(f);
    assert_int_equal(meta_blob(f, "key_id", key_id), 16);
    assert_int_equal(set_pass(f->store, PASS, NULL), BASE_OK);
    read_keyfile(f, new_key);
    assert_memory_not_equal(new_key, old_key, 32);
    assert_int_equal(util_mode(f->dirs.keyfile), 0600);
    assert_int_equal(meta_blob(f, "key_id", after), 16);
    assert_memory_not_equal(after, key_id, 16);
    expect_all(f);
    reopen(f);
    assert_int_equal(db_store_vault_check(f->store), BASE_OK);
    expect_all(f);
}

/* A damaged vault is refused everywhere and left as it is. */
static void expect_damaged(struct fixture *f)
{
    struct base_secret *t = secret("TokNew-0123456789");
    struct db_vault_info info;
    long rows = util_sql_int(f->dirs.db, "SELECT count(*) FROM vault_meta");

    reopen(f);
    assert_int_equal(db_store_vault_check(f->store), BASE_E_CRYPTO);
    assert_string_equal(db_store_last_error(f->store), DAMAGED);
    assert_int_equal(db_vault_info(f->store, &info), BASE_E_CRYPTO);
    assert_string_equal(db_store_last_error(f->store), DAMAGED);
    expect_status(f->store, f->ids[0], BASE_E_CRYPTO);
    assert_int_equal(db_tokens_put(f->store, f->ids[0], t), BASE_E_CRYPTO);
    assert_string_equal(db_store_last_error(f->store), DAMAGED);
    assert_int_equal(unlock(f->store, PASS), BASE_E_CRYPTO);
    assert_int_equal(set_pass(f->store, PASS, PASS2), BASE_E_CRYPTO);
    assert_int_equal(db_vault_rekey(f->store), BASE_E_CRYPTO);
    reopen(f);
    assert_int_equal(db_store_vault_check(f->store), BASE_E_CRYPTO);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM tokens"),
                     ROWS);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM vault_meta"), rows);
    base_secret_free(&t);
}

/* A passphrase row edited to say key-file mode is not taken for a
 * replaced key file. */
static void test_vault_open_mode_edited_to_keyfile(void **state)
{
    struct fixture *f = *state;

    to_passphrase(f);
    assert_int_equal(
        util_sql(f->dirs.db, "UPDATE vault_meta SET mode = 'keyfile'"),
        SQLITE_OK);
    expect_damaged(f);
    assert_int_equal(
        util_sql(f->dirs.db, "UPDATE vault_meta SET mode = 'passphrase'"),
        SQLITE_OK);
    reopen(f);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    expect_all(f);
}

static void test_vault_open_keyfile_row_with_kdf(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(util_sql(f->dirs.db, "UPDATE vault_meta SET opslimit = 1"),
                     SQLITE_OK);
    expect_damaged(f);
    assert_int_equal(
        util_sql(f->dirs.db, "UPDATE vault_meta SET opslimit = NULL"),
        SQLITE_OK);
    reopen(f);
    expect_all(f);
}

static void test_vault_open_passphrase_row_without_kdf(void **state)
{
    struct fixture *f = *state;

    to_passphrase(f);
    assert_int_equal(util_sql(f->dirs.db, "UPDATE vault_meta SET salt = NULL"),
                     SQLITE_OK);
    expect_damaged(f);
}

/* The row removed while tokens remain: no new vault is made on its own;
 * once the tokens are gone too a new one is. */
static void test_vault_open_row_removed(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(util_sql(f->dirs.db, "DELETE FROM vault_meta"), SQLITE_OK);
    expect_damaged(f);
    assert_int_equal(db_tokens_delete_all(f->store), BASE_OK);
    reopen(f);
    assert_int_equal(db_store_vault_check(f->store), BASE_OK);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM vault_meta"), 1);
}

/* Limits stored as text or real are refused, not read as the number they
 * start with. */
static void test_vault_unlock_limits_not_integer(void **state)
{
    struct fixture *f = *state;
    const char *restore = "UPDATE vault_meta SET opslimit = 1,"
                          " memlimit = 8192";

    to_passphrase(f);
    expect_kdf_params(f, "UPDATE vault_meta SET opslimit = '1x'", restore);
    expect_kdf_params(f, "UPDATE vault_meta SET memlimit = '8192 bytes'",
                      restore);
    expect_kdf_params(f, "UPDATE vault_meta SET opslimit = 1.5", restore);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    expect_all(f);
}

/* A changed wrapped key reads as the status says: a wrong passphrase or
 * a damaged vault, with the way out of each. */
static void test_vault_unlock_damaged_wrap_detail(void **state)
{
    struct fixture *f = *state;
    const char *detail;

    to_passphrase(f);
    db_store_free(&f->store);
    assert_int_equal(
        util_flip_bit(f->dirs.db, "vault_meta", "wrapped_dek", "id = 1", 3), 0);
    f->store = util_open(&f->dirs);
    assert_int_equal(unlock(f->store, PASS), BASE_E_PASSPHRASE);
    detail = db_store_last_error(f->store);
    assert_non_null(strstr(detail, "either it is wrong (try again) or the "
                                   "vault row was altered (restore "
                                   "bezala.db from a backup)"));
}

static void test_vault_rekey_null(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(db_vault_rekey(NULL), BASE_E_INVALID);
    db_vault_lock(NULL);
    db_vault_lock(f->store);
    assert_int_equal(db_vault_rekey(f->store), BASE_E_LOCKED);
    expect_status(f->store, f->ids[0], BASE_E_LOCKED);
    assert_int_equal(db_vault_unlock(f->store, NULL), BASE_OK);
    expect_all(f);
}

struct old_rows {
    unsigned char key_id[16];
    unsigned char wrapped[48];
    unsigned char nonce[ROWS][24];
    unsigned char ct[ROWS][128];
    long ct_len[ROWS];
};

static void save_rows(struct fixture *f, struct old_rows *o)
{
    char sql[128];
    size_t i;

    assert_int_equal(meta_blob(f, "key_id", o->key_id), 16);
    assert_int_equal(meta_blob(f, "wrapped_dek", o->wrapped), 48);
    for (i = 0; i < ROWS; i++) {
        snprintf(sql, sizeof(sql),
                 "SELECT nonce FROM tokens WHERE account_id = %lld",
                 (long long)f->ids[i]);
        assert_int_equal(util_sql_blob(f->dirs.db, sql, o->nonce[i], 24), 24);
        snprintf(sql, sizeof(sql),
                 "SELECT ct FROM tokens WHERE account_id = %lld",
                 (long long)f->ids[i]);
        o->ct_len[i] = util_sql_blob(f->dirs.db, sql, o->ct[i], 128);
        assert_true(o->ct_len[i] > 0);
    }
}

static void expect_rotated(struct fixture *f, const struct old_rows *o)
{
    unsigned char key_id[16], nonce[24];
    char sql[128];
    size_t i;

    assert_int_equal(meta_blob(f, "key_id", key_id), 16);
    assert_memory_not_equal(key_id, o->key_id, 16);
    assert_int_equal(util_sql_int(f->dirs.db,
                                  "SELECT count(*) FROM tokens WHERE key_id"
                                  " != (SELECT key_id FROM vault_meta)"),
                     0);
    for (i = 0; i < ROWS; i++) {
        snprintf(sql, sizeof(sql),
                 "SELECT nonce FROM tokens WHERE account_id = %lld",
                 (long long)f->ids[i]);
        assert_int_equal(util_sql_blob(f->dirs.db, sql, nonce, 24), 24);
        assert_memory_not_equal(nonce, o->nonce[i], 24);
    }
    expect_all(f);
}

/* Checked right after the rotation: reading a token afterwards marks it
 * used, which writes to the WAL again. */
static void expect_scrubbed(struct fixture *f, const struct old_rows *o)
{
    char wal[160];
    size_t i;

    snprintf(wal, sizeof(wal), "%s-wal", f->dirs.db);
    assert_true(util_size(wal) <= 0);
    assert_false(util_tree_contains(f->dirs.data, o->wrapped, 48));
    for (i = 0; i < ROWS; i++)
        assert_false(
            util_tree_contains(f->dirs.data, o->ct[i], (size_t)o->ct_len[i]));
}

static void test_vault_rekey_keyfile(void **state)
{
    struct fixture *f = *state;
    struct old_rows o;

    save_rows(f, &o);
    assert_true(util_tree_contains(f->dirs.data, o.ct[0], (size_t)o.ct_len[0]));
    assert_int_equal(db_vault_rekey(f->store), BASE_OK);
    expect_scrubbed(f, &o);
    expect_rotated(f, &o);
    reopen(f);
    expect_all(f);
}

static void test_vault_rekey_passphrase(void **state)
{
    struct fixture *f = *state;
    struct old_rows o;

    to_passphrase(f);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    save_rows(f, &o);
    assert_int_equal(db_vault_rekey(f->store), BASE_OK);
    expect_scrubbed(f, &o);
    expect_rotated(f, &o);
    reopen(f);
    expect_status(f->store, f->ids[0], BASE_E_LOCKED);
    assert_int_equal(unlock(f->store, PASS2), BASE_E_PASSPHRASE);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    expect_all(f);
}

/* A second handle on the same home writes no token under the old key
 * after the first one rotated it: it follows the rotation, so its own
 * reads, writes and rekeys keep working (no "sign in again", no store
 * error for the user of the other process). */
static void test_vault_rekey_other_handle(void **state)
{
    struct fixture *f = *state;
    struct db_store *other = util_open(&f->dirs);
    struct base_secret *t = secret("TokLate-0123456789");
    struct base_secret *got = NULL;
    unsigned char key_id[16];
    unsigned char row_id[16];
    char query[96];

    snprintf(query, sizeof(query),
             "SELECT key_id FROM tokens WHERE account_id = %lld",
             (long long)f->ids[0]);
    assert_int_equal(db_vault_rekey(f->store), BASE_OK);
    assert_int_equal(db_tokens_get(other, f->ids[1], &got), BASE_OK);
    assert_string_equal(base_secret_str(got), tokens[1]);
    base_secret_free(&got);
    assert_int_equal(db_vault_rekey(f->store), BASE_OK);
    assert_int_equal(db_tokens_put(other, f->ids[0], t), BASE_OK);
    assert_int_equal(util_sql_blob(f->dirs.db, "SELECT key_id FROM vault_meta",
                                   key_id, sizeof(key_id)),
                     16);
    assert_int_equal(util_sql_blob(f->dirs.db, query, row_id, sizeof(row_id)),
                     16);
    assert_memory_equal(key_id, row_id, sizeof(key_id));
    assert_int_equal(db_vault_rekey(other), BASE_OK);
    assert_int_equal(db_tokens_get(f->store, f->ids[0], &got), BASE_OK);
    assert_string_equal(base_secret_str(got), "TokLate-0123456789");
    base_secret_free(&got);
    db_store_free(&other);
    base_secret_free(&t);
    t = secret(tokens[0]);
    assert_int_equal(db_tokens_put(f->store, f->ids[0], t), BASE_OK);
    base_secret_free(&t);
    reopen(f);
    expect_all(f);
}

/* A handle opened in key-file mode cannot follow a passphrase set by
 * another: it holds no key for the new wrap, so it writes nothing and
 * says to open the store again. */
static void test_vault_follow_passphrase_set(void **state)
{
    struct fixture *f = *state;
    struct db_store *other = util_open(&f->dirs);
    struct base_secret *t = secret("TokLate-0123456789");
    struct base_secret *got = NULL;

    assert_int_equal(set_pass(f->store, NULL, PASS), BASE_OK);
    assert_int_equal(db_tokens_put(other, f->ids[0], t), BASE_E_CRYPTO);
    assert_non_null(strstr(db_store_last_error(other), "open it again"));
    assert_int_equal(db_tokens_get(other, f->ids[1], &got),
                     BASE_E_TOKEN_UNREADABLE);
    assert_null(got);
    assert_int_equal(db_vault_rekey(other), BASE_E_CRYPTO);
    db_store_free(&other);
    base_secret_free(&t);
    reopen(f);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    expect_all(f);
}

/* Known answer of the wrap. The expected bytes were computed once with
 * db_vault_test_wrap on libsodium 1.0.18 (Debian 12); the test checks
 * them again here with plain libsodium calls and a hand-built associated
 * data, so a change of algorithm, parameters or encoding shows. */
static const unsigned char kat_wrapped[48] = {
    0x4d, 0xf7, 0xcb, 0xa8, 0xc0, 0xe9, 0x46, 0x48, 0xff, 0x9c, 0xa9, 0x5f,
    0x3c, 0x2d, 0xcb, 0x30, 0x9e, 0x24, 0xf8, 0xbe, 0x21, 0xdd, 0x67, 0x83,
    0x69, 0xc9, 0x23, 0x13, 0xd9, 0xe5, 0xd4, 0x99, 0x90, 0x56, 0x55, 0x9d,
    0x14, 0x95, 0x03, 0xe0, 0xce, 0x00, 0x28, 0xa0, 0xc5, 0x03, 0x2a, 0x82,
};

static size_t ad_field(unsigned char *ad, size_t n, const void *p, size_t len)
{
    ad[n] = 0;
    ad[n + 1] = 0;
    ad[n + 2] = 0;
    ad[n + 3] = (unsigned char)len;
    memcpy(ad + n + 4, p, len);
    return n + 4 + len;
}

/* Each field with a 4-byte big-endian length: the magic, format 1, the
 * mode, key_id, the algorithm, salt, opslimit 1, memlimit 8192. */
static size_t kat_ad(unsigned char *ad, const unsigned char *key_id,
                     const unsigned char *salt)
{
    size_t n = 0;

    n = ad_field(ad, n, "bezala-vault/v1", 15);
    n = ad_field(ad, n, "1", 1);
    n = ad_field(ad, n, "passphrase", 10);
    n = ad_field(ad, n, key_id, 16);
    n = ad_field(ad, n, "argon2id13", 10);
    n = ad_field(ad, n, salt, 16);
    n = ad_field(ad, n, "1", 1);
    return ad_field(ad, n, "8192", 4);
}

static void test_vault_test_wrap_known_answer(void **state)
{
    struct base_secret *pass = secret(PASS);
    unsigned char salt[16], key_id[16], nonce[24], dek[32], out[48];
    unsigned char kek[32], plain[32], ad[256];
    unsigned long long plain_len = 0;
    size_t ad_len = 0;
    size_t i;

    (void)state;
    for (i = 0; i < 16; i++) {
        salt[i] = (unsigned char)i;
        key_id[i] = (unsigned char)(0x10 + i);
    }
    for (i = 0; i < 24; i++)
        nonce[i] = (unsigned char)(0x20 + i);
    for (i = 0; i < 32; i++)
        dek[i] = (unsigned char)(0x40 + i);
    assert_int_equal(
        db_vault_test_wrap(NULL, salt, 1, 8192, key_id, nonce, dek, out),
        BASE_E_INVALID);
    assert_int_equal(
        db_vault_test_wrap(pass, salt, 1, 8192, key_id, nonce, dek, out),
        BASE_OK);
    assert_memory_equal(out, kat_wrapped, 48);
    assert_int_equal(crypto_pwhash(kek, 32, PASS, strlen(PASS), salt, 1, 8192,
                                   crypto_pwhash_ALG_ARGON2ID13),
                     0);
    ad_len = kat_ad(ad, key_id, salt);
    assert_int_equal(
        crypto_aead_xchacha20poly1305_ietf_decrypt(
            plain, &plain_len, NULL, kat_wrapped, 48, ad, ad_len, nonce, kek),
        0);
    assert_int_equal(plain_len, 32);
    assert_memory_equal(plain, dek, 32);
    base_secret_free(&pass);
}

/* The one test with real limits: the preferred limits fail (above
 * libsodium's maximum, so crypto_pwhash returns -1 without allocating,
 * as it does when memory runs out) and the wrap falls back to
 * INTERACTIVE, which then really runs, twice. */
static void test_vault_set_passphrase_interactive_fallback(void **state)
{
    struct fixture *f = *state;
    struct db_vault_info info;

    db_vault_test_set_kdf(crypto_pwhash_OPSLIMIT_INTERACTIVE, 5 * TIB);
    assert_int_equal(set_pass(f->store, NULL, PASS), BASE_OK);
    assert_non_null(strstr(db_store_last_error(f->store), "INTERACTIVE"));
    assert_int_equal(db_vault_info(f->store, &info), BASE_OK);
    assert_int_equal(info.opslimit, crypto_pwhash_OPSLIMIT_INTERACTIVE);
    assert_int_equal(info.memlimit, crypto_pwhash_MEMLIMIT_INTERACTIVE);
    db_vault_test_set_kdf(0, 0);
    reopen(f);
    assert_int_equal(unlock(f->store, PASS), BASE_OK);
    expect_all(f);
}

/* The rekey kill test: the child pauses at row kill_at inside the
 * transaction and the parent SIGKILLs it there. */
static int kill_fd = -1;
static size_t kill_at;

static void pause_hook(size_t row)
{
    char c = 'p';

    if (row != kill_at)
        return;
    if (write(kill_fd, &c, 1) != 1)
        _exit(90);
    for (;;)
        pause();
}

static int child_rekey(const struct util_dirs *dirs)
{
    struct db_store *store = NULL;
    struct base_secret *pass = NULL;
    int code = 0;

    if (db_store_open(dirs->data, dirs->key, &store) != BASE_OK)
        return 91;
    if (base_secret_new(PASS, strlen(PASS), &pass) != BASE_OK ||
        db_vault_unlock(store, pass) != BASE_OK)
        code = 92;
    else if (db_vault_rekey(store) != BASE_OK)
        code = 93;
    base_secret_free(&pass);
    db_store_free(&store);
    return code;
}

/* Runs one child; 1 when it was killed, 0 when it finished. */
static int run_child(struct fixture *f, size_t at)
{
    int fds[2];
    int status = 0;
    char c;
    ssize_t n;
    pid_t pid;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        kill_fd = fds[1];
        kill_at = at;
        db_vault_test_set_rekey_hook(pause_hook);
        _exit(child_rekey(&f->dirs));
    }
    close(fds[1]);
    n = read(fds[0], &c, 1);
    if (n == 1)
        kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(fds[0]);
    if (n == 1) {
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        return 1;
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return 0;
}

static void test_vault_rekey_killed(void **state)
{
    struct fixture *f = *state;
    unsigned char before[16], after[16];
    size_t run;

    to_passphrase(f);
    db_store_free(&f->store);
    for (run = 0; run < KILL_RUNS; run++) {
        size_t at = 1 + randombytes_uniform(ROWS + 1);
        int killed;

        assert_int_equal(meta_blob(f, "key_id", before), 16);
        print_message("run %zu: kill at row %zu of %d\n", run, at, ROWS);
        killed = run_child(f, at);
        assert_int_equal(killed, at <= ROWS);
        f->store = util_open(&f->dirs);
        assert_int_equal(util_sql_int(f->dirs.db,
                                      "SELECT count(*) FROM"
                                      " pragma_integrity_check WHERE"
                                      " integrity_check != 'ok'"),
                         0);
        assert_int_equal(util_sql_int(f->dirs.db,
                                      "SELECT count(DISTINCT key_id) FROM"
                                      " tokens"),
                         1);
        assert_int_equal(util_sql_int(f->dirs.db,
                                      "SELECT count(*) FROM tokens WHERE"
                                      " key_id = (SELECT key_id FROM"
                                      " vault_meta)"),
                         ROWS);
        assert_int_equal(meta_blob(f, "key_id", after), 16);
        if (killed)
            assert_memory_equal(after, before, 16);
        else
            assert_memory_not_equal(after, before, 16);
        assert_int_equal(unlock(f->store, PASS), BASE_OK);
        expect_all(f);
        db_store_free(&f->store);
    }
    f->store = util_open(&f->dirs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_vault_info_null),
        T(test_vault_unlock_null),
        T(test_vault_set_passphrase_null),
        T(test_vault_set_passphrase_locks_on_open),
        T(test_vault_unlock_wrong_passphrase),
        T(test_vault_unlock_bytes_as_typed),
        T(test_vault_unlock_kdf_out_of_range),
        T(test_vault_unlock_below_floor),
        T(test_vault_unlock_tampered_meta),
        T(test_vault_unlock_raised_opslimit),
        T(test_vault_tokens_tampered),
        T(test_vault_tokens_row_copied),
        T(test_vault_set_passphrase_change),
        T(test_vault_set_passphrase_remove),
        T(test_vault_set_passphrase_rotates_and_drops_keyfile),
        T(test_vault_set_passphrase_remove_fresh_key),
        T(test_vault_open_mode_edited_to_keyfile),
        T(test_vault_open_keyfile_row_with_kdf),
        T(test_vault_open_passphrase_row_without_kdf),
        T(test_vault_open_row_removed),
        T(test_vault_unlock_limits_not_integer),
        T(test_vault_unlock_damaged_wrap_detail),
        T(test_vault_rekey_null),
        T(test_vault_rekey_keyfile),
        T(test_vault_rekey_passphrase),
        T(test_vault_rekey_other_handle),
        T(test_vault_follow_passphrase_set),
        T(test_vault_test_wrap_known_answer),
        T(test_vault_set_passphrase_interactive_fallback),
        T(test_vault_rekey_killed),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
