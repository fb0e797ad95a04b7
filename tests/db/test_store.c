/* The store: opening, file permissions, schema, key file and vault. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/secret.h"
#include "db/accounts.h"
#include "db/schema.h"
#include "db/store.h"
#include "db/tokens.h"
#include "tests/db/util.h"

#define TOKEN "tok-0123456789abcdef_ABCDEF.~+/="

static int setup(void **state)
{
    static struct util_dirs dirs;

    if (util_dirs_new(&dirs) != 0)
        return -1;
    *state = &dirs;
    return 0;
}

static int teardown(void **state)
{
    util_dirs_remove(*state);
    return 0;
}

static void put_token(struct db_store *store, const char *email, int64_t *id)
{
    struct base_secret *token = NULL;

    assert_int_equal(
        db_accounts_upsert(store, "https://127.0.0.1:8443", email, 0, id),
        BASE_OK);
    assert_int_equal(base_secret_new(TOKEN, strlen(TOKEN), &token), BASE_OK);
    assert_int_equal(db_tokens_put(store, *id, token), BASE_OK);
    base_secret_free(&token);
}

static void expect_open(const struct util_dirs *dirs, enum base_status expected,
                        const char *in_message)
{
    struct db_store *store = NULL;

    assert_int_equal(db_store_open(dirs->data, dirs->key, &store), expected);
    assert_null(store);
    if (in_message)
        assert_non_null(strstr(db_store_open_error(), in_message));
}

static void test_store_open_null(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = NULL;

    assert_int_equal(db_store_open(NULL, dirs->key, &store), BASE_E_INVALID);
    assert_int_equal(db_store_open(dirs->data, NULL, &store), BASE_E_INVALID);
    assert_int_equal(db_store_open(dirs->data, dirs->key, NULL),
                     BASE_E_INVALID);
    assert_int_equal(db_store_open("", dirs->key, &store), BASE_E_INVALID);
    assert_null(store);
    assert_string_not_equal(db_store_open_error(), "");
    db_store_free(NULL);
    db_store_free(&store);
    assert_string_equal(db_store_last_error(NULL), "");
    assert_null(db_store_path(NULL));
    assert_int_equal(db_store_vault_check(NULL), BASE_E_INVALID);
    assert_int_equal(util_mode(dirs->data), -1);
}

static void test_store_open_private_modes(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store;
    char path[256];
    int64_t id = 0;
    mode_t old;

    snprintf(dirs->data, sizeof(dirs->data), "%s/a/b/data", dirs->root);
    snprintf(dirs->db, sizeof(dirs->db), "%s/bezala.db", dirs->data);
    umask(022);
    store = util_open(dirs);
    old = umask(022);
    assert_int_equal(old, 077);
    put_token(store, "ann@example.test", &id);
    assert_string_equal(db_store_path(store), dirs->db);
    assert_int_equal(db_store_vault_check(store), BASE_OK);
    snprintf(path, sizeof(path), "%s/a", dirs->root);
    assert_int_equal(util_mode(path), 0700);
    snprintf(path, sizeof(path), "%s/a/b", dirs->root);
    assert_int_equal(util_mode(path), 0700);
    assert_int_equal(util_mode(dirs->data), 0700);
    assert_int_equal(util_mode(dirs->key), 0700);
    assert_int_equal(util_mode(dirs->db), 0600);
    snprintf(path, sizeof(path), "%s-wal", dirs->db);
    assert_int_equal(util_mode(path), 0600);
    snprintf(path, sizeof(path), "%s-shm", dirs->db);
    assert_int_equal(util_mode(path), 0600);
    assert_int_equal(util_mode(dirs->keyfile), 0600);
    assert_int_equal(util_size(dirs->keyfile), 32);
    db_store_free(&store);
    assert_null(store);
    umask(077);
}

static void test_store_open_loose_data_dir(void **state)
{
    struct util_dirs *dirs = *state;
    char fix[512];

    assert_int_equal(mkdir(dirs->data, 0700), 0);
    assert_int_equal(chmod(dirs->data, 0755), 0);
    snprintf(fix, sizeof(fix), "%s has mode 0755; run `chmod 700 %s`",
             dirs->data, dirs->data);
    expect_open(dirs, BASE_E_PERMISSIONS, fix);
    assert_int_equal(util_mode(dirs->db), -1);
}

static void test_store_open_loose_key_dir(void **state)
{
    struct util_dirs *dirs = *state;

    assert_int_equal(mkdir(dirs->key, 0750), 0);
    assert_int_equal(chmod(dirs->key, 0750), 0);
    expect_open(dirs, BASE_E_PERMISSIONS, "chmod 700");
}

static void test_store_open_symlink_dir(void **state)
{
    struct util_dirs *dirs = *state;
    char real[160];
    char fix[512];

    snprintf(real, sizeof(real), "%s/real", dirs->root);
    assert_int_equal(mkdir(real, 0700), 0);
    assert_int_equal(symlink(real, dirs->data), 0);
    snprintf(fix, sizeof(fix),
             "%s is a symbolic link; give --home a real directory", dirs->data);
    expect_open(dirs, BASE_E_PERMISSIONS, fix);
}

static void test_store_open_loose_key_file(void **state)
{
    struct util_dirs *dirs = *state;
    char fix[512];
    struct db_store *store = util_open(dirs);

    db_store_free(&store);
    assert_int_equal(chmod(dirs->keyfile, 0640), 0);
    snprintf(fix, sizeof(fix), "key file %s has mode 0640; run `chmod 600 %s`",
             dirs->keyfile, dirs->keyfile);
    expect_open(dirs, BASE_E_PERMISSIONS, fix);
}

static void test_store_open_key_symlink(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    char moved[160];
    char fix[512];

    db_store_free(&store);
    snprintf(moved, sizeof(moved), "%s/elsewhere", dirs->key);
    assert_int_equal(rename(dirs->keyfile, moved), 0);
    assert_int_equal(symlink(moved, dirs->keyfile), 0);
    snprintf(fix, sizeof(fix), "key file %s is a symbolic link", dirs->keyfile);
    expect_open(dirs, BASE_E_PERMISSIONS, fix);
}

static void test_store_open_key_wrong_size(void **state)
{
    struct util_dirs *dirs = *state;
    unsigned char bytes[31] = {0};

    assert_int_equal(mkdir(dirs->key, 0700), 0);
    assert_int_equal(util_write_file(dirs->keyfile, bytes, 31, 0600), 0);
    expect_open(dirs, BASE_E_CRYPTO, "32 bytes");
}

static void test_store_open_loose_db_files(void **state)
{
    struct util_dirs *dirs = *state;
    char fix[512];
    struct db_store *store = util_open(dirs);
    char wal[160];

    db_store_free(&store);
    assert_int_equal(chmod(dirs->db, 0644), 0);
    snprintf(fix, sizeof(fix), "%s has mode 0644; run `chmod 600 %s`", dirs->db,
             dirs->db);
    expect_open(dirs, BASE_E_PERMISSIONS, fix);
    assert_int_equal(chmod(dirs->db, 0600), 0);
    snprintf(wal, sizeof(wal), "%s-wal", dirs->db);
    assert_int_equal(util_write_file(wal, "", 0, 0644), 0);
    expect_open(dirs, BASE_E_PERMISSIONS, "-wal");
    assert_int_equal(unlink(wal), 0);
    store = util_open(dirs);
    db_store_free(&store);
}

static void test_store_open_db_symlink(void **state)
{
    struct util_dirs *dirs = *state;
    char other[160];

    assert_int_equal(mkdir(dirs->data, 0700), 0);
    snprintf(other, sizeof(other), "%s/other.db", dirs->root);
    assert_int_equal(util_write_file(other, "", 0, 0600), 0);
    assert_int_equal(symlink(other, dirs->db), 0);
    expect_open(dirs, BASE_E_PERMISSIONS, "is a symbolic link");
    assert_int_equal(util_size(other), 0);
}

/* The one database moved aside in data_dir into out; 0 when there is
 * exactly one (its -wal or -journal companions are not counted). */
static int find_aside(const struct util_dirs *dirs, char *out, size_t cap)
{
    char pattern[200];
    glob_t found;
    int count = 0;
    size_t i;

    snprintf(pattern, sizeof(pattern), "%s/bezala.db.corrupt-*", dirs->data);
    if (glob(pattern, 0, NULL, &found) != 0)
        return -1;
    for (i = 0; i < found.gl_pathc; i++) {
        const char *name = found.gl_pathv[i];
        size_t len = strlen(name);

        if (len > 4 && strcmp(name + len - 4, "-wal") == 0)
            continue;
        snprintf(out, cap, "%s", name);
        count++;
    }
    globfree(&found);
    return count == 1 ? 0 : -1;
}

/* A damaged store is refused once, moved aside (never deleted) with a
 * message that says where and how to go on; the next open starts an
 * empty store in which a sign-in works again. */
static void expect_moved_aside(struct util_dirs *dirs, const void *bytes,
                               size_t len)
{
    struct db_store *store = NULL;
    char aside[256];
    int64_t id = 0;

    expect_open(dirs, BASE_E_STORE, "it was moved to ");
    assert_non_null(
        strstr(db_store_open_error(), "run `bezala login` to sign in again"));
    assert_int_equal(util_size(dirs->db), -1);
    assert_int_equal(find_aside(dirs, aside, sizeof(aside)), 0);
    assert_non_null(strstr(db_store_open_error(), aside));
    assert_int_equal(util_size(aside), (long)len);
    assert_int_equal(util_mode(aside), 0600);
    assert_true(util_tree_contains(dirs->data, bytes, len < 64 ? len : 64));
    /* Once more for a caller that swallowed the first failure. */
    expect_open(dirs, BASE_E_STORE, aside);
    assert_int_equal(util_size(dirs->db), -1);
    store = util_open(dirs);
    put_token(store, "ann@example.test", &id);
    db_store_free(&store);
    store = util_open(dirs);
    assert_int_equal(db_store_vault_check(store), BASE_OK);
    db_store_free(&store);
}

static void test_store_open_garbage_file(void **state)
{
    struct util_dirs *dirs = *state;
    unsigned char junk[4096];

    assert_int_equal(mkdir(dirs->data, 0700), 0);
    memset(junk, 'x', sizeof(junk));
    assert_int_equal(util_write_file(dirs->db, junk, sizeof(junk), 0600), 0);
    expect_moved_aside(dirs, junk, sizeof(junk));
}

/* A store cut short after its first pages (a disk that filled, a copy
 * that stopped). */
static void test_store_open_truncated_file(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    unsigned char head[5000];
    FILE *f;
    int64_t id = 0;

    put_token(store, "ann@example.test", &id);
    db_store_free(&store);
    f = fopen(dirs->db, "rb");
    assert_non_null(f);
    assert_int_equal(fread(head, 1, sizeof(head), f), sizeof(head));
    fclose(f);
    assert_int_equal(unlink(dirs->db), 0);
    assert_int_equal(util_write_file(dirs->db, head, sizeof(head), 0600), 0);
    expect_moved_aside(dirs, head, sizeof(head));
}

/* A WAL of garbage (no valid header or frames) was never committed:
 * SQLite ignores it and the tokens stay readable. */
static void test_store_open_garbage_wal(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    struct base_secret *got = NULL;
    unsigned char junk[8192];
    char wal[160];
    int64_t id = 0;

    put_token(store, "ann@example.test", &id);
    db_store_free(&store);
    randombytes_buf(junk, sizeof(junk));
    snprintf(wal, sizeof(wal), "%s-wal", dirs->db);
    assert_int_equal(util_write_file(wal, junk, sizeof(junk), 0600), 0);
    store = util_open(dirs);
    assert_int_equal(db_tokens_get(store, id, &got), BASE_OK);
    assert_string_equal(base_secret_str(got), TOKEN);
    base_secret_free(&got);
    db_store_free(&store);
    assert_int_equal(util_sql_int(dirs->db, "SELECT count(*) FROM tokens"), 1);
}

/* An empty file is an empty SQLite database: the store starts anew in
 * it and the key file that is there keeps serving. */
static void test_store_open_empty_file(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    int64_t id = 0;

    db_store_free(&store);
    assert_int_equal(unlink(dirs->db), 0);
    assert_int_equal(util_write_file(dirs->db, "", 0, 0600), 0);
    store = util_open(dirs);
    assert_int_equal(db_store_vault_check(store), BASE_OK);
    put_token(store, "ann@example.test", &id);
    db_store_free(&store);
    assert_int_equal(util_sql_int(dirs->db, "SELECT count(*) FROM tokens"), 1);
}

static void test_store_open_schema_version(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    int64_t id = 0;

    put_token(store, "ann@example.test", &id);
    assert_int_equal(util_sql_int(dirs->db, "PRAGMA user_version"),
                     DB_SCHEMA_VERSION);
    db_store_free(&store);
    store = util_open(dirs);
    assert_int_equal(util_sql_int(dirs->db, "PRAGMA user_version"),
                     DB_SCHEMA_VERSION);
    assert_int_equal(util_sql_int(dirs->db, "SELECT count(*) FROM vault_meta"),
                     1);
    assert_int_equal(
        util_sql_int(dirs->db,
                     "SELECT count(*) FROM sqlite_master WHERE type='table'"
                     " AND name IN ('vault_meta','accounts','tokens',"
                     "'cache')"),
        4);
    assert_int_equal(db_store_vault_check(store), BASE_OK);
    db_store_free(&store);
}

static void test_store_open_newer_schema(void **state)
{
    struct util_dirs *dirs = *state;
    char fix[512];
    struct db_store *store = util_open(dirs);

    db_store_free(&store);

    assert_int_equal(util_sql(dirs->db, "PRAGMA user_version = 99"), 0);
    snprintf(fix, sizeof(fix), "%s was written by a newer bezala (schema 99",
             dirs->db);
    expect_open(dirs, BASE_E_STORE, fix);
}

static void test_store_free_truncates_wal(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    char wal[160];
    int64_t id = 0;

    put_token(store, "ann@example.test", &id);
    db_store_free(&store);
    snprintf(wal, sizeof(wal), "%s-wal", dirs->db);
    assert_true(util_size(wal) <= 0);
}

static void test_store_open_key_replaced(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    struct base_secret *got = NULL;
    unsigned char other[32];
    int64_t id = 0;

    put_token(store, "ann@example.test", &id);
    db_store_free(&store);
    randombytes_buf(other, sizeof(other));
    assert_int_equal(util_write_file(dirs->keyfile, other, 32, 0600), 0);
    store = util_open(dirs);
    assert_int_equal(db_store_vault_check(store), BASE_E_CRYPTO);
    assert_int_equal(db_tokens_get(store, id, &got), BASE_E_TOKEN_UNREADABLE);
    assert_null(got);
    assert_null(strstr(db_store_last_error(store), TOKEN));
    put_token(store, "ann@example.test", &id);
    assert_int_equal(db_store_vault_check(store), BASE_OK);
    assert_int_equal(db_tokens_get(store, id, &got), BASE_OK);
    assert_string_equal(base_secret_str(got), TOKEN);
    base_secret_free(&got);
    db_store_free(&store);
}

static void test_store_open_key_missing(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    struct base_secret *got = NULL;
    int64_t id = 0;

    put_token(store, "ann@example.test", &id);
    db_store_free(&store);
    assert_int_equal(unlink(dirs->keyfile), 0);
    store = util_open(dirs);
    assert_int_equal(util_size(dirs->keyfile), 32);
    assert_int_equal(db_tokens_get(store, id, &got), BASE_E_TOKEN_UNREADABLE);
    assert_null(got);
    db_store_free(&store);
}

static void test_store_open_vault_tampered(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = util_open(dirs);
    struct base_secret *got = NULL;
    int64_t id = 0;

    put_token(store, "ann@example.test", &id);
    db_store_free(&store);
    assert_int_equal(
        util_flip_bit(dirs->db, "vault_meta", "key_id", "id = 1", 3), 0);
    store = util_open(dirs);
    assert_int_equal(db_store_vault_check(store), BASE_E_CRYPTO);
    assert_int_equal(db_tokens_get(store, id, &got), BASE_E_TOKEN_UNREADABLE);
    db_store_free(&store);
}

/* Two handles on one home, as two bezala processes would have. */
static void test_store_open_two_handles(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *a = util_open(dirs);
    struct db_store *b = util_open(dirs);
    struct base_secret *got = NULL;
    int64_t id_a = 0;
    int64_t id_b = 0;

    put_token(a, "ann@example.test", &id_a);
    put_token(b, "bob@example.test", &id_b);
    assert_int_equal(db_tokens_get(b, id_a, &got), BASE_OK);
    base_secret_free(&got);
    assert_int_equal(db_tokens_get(a, id_b, &got), BASE_OK);
    base_secret_free(&got);
    db_store_free(&a);
    db_store_free(&b);
}

/* The documented layout: one home directory for the store and the key. */
static void test_store_open_one_home(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store = NULL;
    struct base_secret *got = NULL;
    char key[160];
    int64_t id = 0;

    assert_int_equal(db_store_open(dirs->data, dirs->data, &store), BASE_OK);
    put_token(store, "ann@example.test", &id);
    assert_int_equal(db_tokens_get(store, id, &got), BASE_OK);
    base_secret_free(&got);
    db_store_free(&store);
    snprintf(key, sizeof(key), "%s/key", dirs->data);
    assert_int_equal(util_mode(key), 0600);
}

/* Child processes start on a new home at once; each must open and
 * store, waiting for the others instead of failing. */
static void test_store_open_concurrent_processes(void **state)
{
    struct util_dirs *dirs = *state;
    struct db_store *store;
    struct db_account *list = NULL;
    struct base_secret *got = NULL;
    pid_t kids[4];
    size_t n = 0;
    size_t i;
    int status;

    for (i = 0; i < 4; i++) {
        kids[i] = fork();
        assert_true(kids[i] >= 0);
        if (kids[i] == 0) {
            char email[32];
            int64_t id = 0;

            snprintf(email, sizeof(email), "kid%zu@example.test", i);
            store = util_open(dirs);
            for (int round = 0; round < 5; round++)
                put_token(store, email, &id);
            db_store_free(&store);
            _exit(0);
        }
    }
    for (i = 0; i < 4; i++) {
        assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    store = util_open(dirs);
    assert_int_equal(db_accounts_list(store, &list, &n), BASE_OK);
    assert_int_equal(n, 4);
    for (i = 0; i < n; i++) {
        assert_int_equal(db_tokens_get(store, list[i].id, &got), BASE_OK);
        base_secret_free(&got);
    }
    db_accounts_list_free(&list, n);
    db_store_free(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_store_open_null),
        T(test_store_open_private_modes),
        T(test_store_open_loose_data_dir),
        T(test_store_open_loose_key_dir),
        T(test_store_open_symlink_dir),
        T(test_store_open_loose_key_file),
        T(test_store_open_key_symlink),
        T(test_store_open_key_wrong_size),
        T(test_store_open_loose_db_files),
        T(test_store_open_db_symlink),
        T(test_store_open_garbage_file),
        T(test_store_open_truncated_file),
        T(test_store_open_garbage_wal),
        T(test_store_open_empty_file),
        T(test_store_open_schema_version),
        T(test_store_open_newer_schema),
        T(test_store_free_truncates_wal),
        T(test_store_open_key_replaced),
        T(test_store_open_key_missing),
        T(test_store_open_vault_tampered),
        T(test_store_open_two_handles),
        T(test_store_open_one_home),
        T(test_store_open_concurrent_processes),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
