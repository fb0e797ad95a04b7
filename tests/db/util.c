/* Helpers for the db tests: temporary directories, raw SQL, file scans. */
#include "tests/db/util.h"

#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/secret.h"
#include "db/accounts.h"
#include "db/store.h"

int util_dirs_new(struct util_dirs *dirs)
{
    memset(dirs, 0, sizeof(*dirs));
    snprintf(dirs->root, sizeof(dirs->root), "/tmp/bezala-db-XXXXXX");
    if (!mkdtemp(dirs->root))
        return -1;
    snprintf(dirs->data, sizeof(dirs->data), "%s/data", dirs->root);
    snprintf(dirs->key, sizeof(dirs->key), "%s/conf", dirs->root);
    snprintf(dirs->db, sizeof(dirs->db), "%s/bezala.db", dirs->data);
    snprintf(dirs->keyfile, sizeof(dirs->keyfile), "%s/key", dirs->key);
    return base_secret_init() == BASE_OK ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    chmod(path, 0700);
    remove(path);
    return 0;
}

void util_dirs_remove(struct util_dirs *dirs)
{
    if (dirs->root[0])
        nftw(dirs->root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    dirs->root[0] = '\0';
}

struct db_store *util_open(const struct util_dirs *dirs)
{
    struct db_store *store = NULL;
    enum base_status status = db_store_open(dirs->data, dirs->key, &store);

    if (status != BASE_OK)
        print_error("open: %s\n", db_store_open_error());
    assert_int_equal(status, BASE_OK);
    assert_non_null(store);
    return store;
}

int util_setup(void **state)
{
    struct util_fixture *f = calloc(1, sizeof(*f));

    if (!f || util_dirs_new(&f->dirs) != 0)
        return -1;
    f->store = util_open(&f->dirs);
    *state = f;
    return 0;
}

int util_add_pair(struct util_fixture *f, const char *server, int64_t ann_user,
                  int64_t bob_user)
{
    if (db_accounts_upsert(f->store, server, "ann@example.test", ann_user,
                           &f->ann) != BASE_OK ||
        db_accounts_upsert(f->store, server, "bob@example.test", bob_user,
                           &f->bob) != BASE_OK)
        return -1;
    return 0;
}

void util_close(struct util_dirs *dirs, struct db_store **store)
{
    db_store_free(store);
    util_dirs_remove(dirs);
}

int util_teardown(void **state)
{
    struct util_fixture *f = *state;

    util_close(&f->dirs, &f->store);
    free(f);
    return 0;
}

int util_sql(const char *db, const char *sql)
{
    sqlite3 *conn = NULL;
    int rc = sqlite3_open_v2(db, &conn, SQLITE_OPEN_READWRITE, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(conn, 5000);
        rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);
    }
    sqlite3_close(conn);
    return rc;
}

int64_t util_sql_int(const char *db, const char *query)
{
    sqlite3 *conn = NULL;
    sqlite3_stmt *stmt = NULL;
    int64_t value = -1;

    if (sqlite3_open_v2(db, &conn, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(conn, query, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
    return value;
}

long util_sql_blob(const char *db, const char *query, unsigned char *buf,
                   size_t cap)
{
    sqlite3 *conn = NULL;
    sqlite3_stmt *stmt = NULL;
    long len = -1;

    if (sqlite3_open_v2(db, &conn, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(conn, query, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW &&
        (size_t)sqlite3_column_bytes(stmt, 0) <= cap) {
        len = sqlite3_column_bytes(stmt, 0);
        memcpy(buf, sqlite3_column_blob(stmt, 0), (size_t)len);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
    return len;
}

static int write_back(sqlite3 *conn, const char *table, const char *col,
                      const char *where_sql, unsigned char *value, int len,
                      int is_text)
{
    char sql[512];
    sqlite3_stmt *stmt = NULL;
    int rc;

    snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ?1 WHERE %s", table, col,
             where_sql);
    rc = sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK && is_text)
        sqlite3_bind_text(stmt, 1, (const char *)value, len, SQLITE_TRANSIENT);
    else if (rc == SQLITE_OK)
        sqlite3_bind_blob(stmt, 1, value, len, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(stmt);
    return rc == 0 && sqlite3_changes(conn) == 1 ? 0 : -1;
}

int util_flip_bit(const char *db, const char *table, const char *col,
                  const char *where_sql, size_t offset)
{
    char sql[512];
    sqlite3 *conn = NULL;
    sqlite3_stmt *stmt = NULL;
    unsigned char value[8192];
    int len = -1;
    int is_text = 0;
    int rc = -1;

    snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE %s", col, table,
             where_sql);
    if (sqlite3_open_v2(db, &conn, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        is_text = sqlite3_column_type(stmt, 0) == SQLITE_TEXT;
        len = sqlite3_column_bytes(stmt, 0);
        if (len > 0 && (size_t)len <= sizeof(value))
            memcpy(value, sqlite3_column_blob(stmt, 0), (size_t)len);
    }
    sqlite3_finalize(stmt);
    if (len > 0 && (size_t)len <= sizeof(value) && offset < (size_t)len) {
        value[offset] ^= 0x01;
        rc = write_back(conn, table, col, where_sql, value, len, is_text);
    }
    sqlite3_close(conn);
    return rc;
}

int util_mode(const char *path)
{
    struct stat st;

    if (lstat(path, &st) < 0)
        return -1;
    return (int)(st.st_mode & 07777);
}

long util_size(const char *path)
{
    struct stat st;

    if (lstat(path, &st) < 0)
        return -1;
    return (long)st.st_size;
}

static const void *scan_needle;
static size_t scan_len;
static int scan_found;

static int scan_one(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    FILE *f;
    unsigned char *buf;
    size_t n;

    (void)ftw;
    if (flag != FTW_F || !S_ISREG(st->st_mode))
        return 0;
    f = fopen(path, "rb");
    buf = malloc((size_t)st->st_size + 1);
    if (f && buf) {
        n = fread(buf, 1, (size_t)st->st_size, f);
        if (n >= scan_len && memmem(buf, n, scan_needle, scan_len))
            scan_found = 1;
    }
    free(buf);
    if (f)
        fclose(f);
    return 0;
}

int util_tree_contains(const char *dir, const void *needle, size_t len)
{
    scan_needle = needle;
    scan_len = len;
    scan_found = 0;
    nftw(dir, scan_one, 16, FTW_PHYS);
    return scan_found;
}

int util_write_file(const char *path, const void *bytes, size_t len, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
    int rc = 0;

    if (fd < 0)
        return -1;
    if (write(fd, bytes, len) != (ssize_t)len)
        rc = -1;
    close(fd);
    if (rc == 0)
        rc = chmod(path, (mode_t)mode);
    return rc;
}
