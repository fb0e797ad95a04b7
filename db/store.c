/* Opening, configuring and closing the SQLite store, and the SQL and
 * error helpers the other db/ files share. */
#include "db/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/log.h"
#include "base/secret.h"
#include "db/files.h"
#include "db/internal.h"
#include "db/schema.h"

#define BUSY_TIMEOUT_MS 5000

static _Thread_local char open_error[DB_ERROR_MAX];
/* The path of a store this thread just moved aside, and the notice: the
 * next open of it fails once more with the same notice, so that a caller
 * that swallowed the first failure does not go on silently with a new,
 * empty store. */
static _Thread_local char moved_path[DB_ERROR_MAX];
static _Thread_local char moved_notice[DB_ERROR_MAX];

static const char *const sidecars[] = {"-wal", "-shm", "-journal"};

enum base_status db_store_fail(struct db_store *store, enum base_status status,
                               const char *fmt, ...)
{
    va_list ap;

    if (!store)
        return status;
    va_start(ap, fmt);
    vsnprintf(store->error, sizeof(store->error), fmt, ap);
    va_end(ap);
    base_log(BASE_LOG_DEBUG, "store: %s", store->error);
    return status;
}

static enum base_status map_sqlite(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return BASE_OK;
    case SQLITE_NOMEM:
        return BASE_E_NOMEM;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
        return BASE_E_PERMISSIONS;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
        return BASE_E_INVALID;
    default:
        return BASE_E_STORE;
    }
}

enum base_status db_store_sqlite_fail(struct db_store *store, int rc,
                                      const char *what)
{
    const char *detail = sqlite3_errstr(rc);

    if (store && store->db && sqlite3_extended_errcode(store->db) == rc)
        detail = sqlite3_errmsg(store->db);
    if (store &&
        ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT))
        store->corrupt = 1;
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
        return db_store_fail(store, BASE_E_STORE,
                             "%s is not a bezala database (%s): move it "
                             "aside and sign in again",
                             store && store->path ? store->path : "the store",
                             sqlite3_errstr(rc));
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return db_store_fail(store, BASE_E_STORE,
                             "%s: another bezala kept the store busy for "
                             "too long",
                             what);
    return db_store_fail(store, map_sqlite(rc), "%s: %s", what, detail);
}

enum base_status db_store_exec(struct db_store *store, const char *sql)
{
    int rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK)
        return db_store_sqlite_fail(store, rc, "running SQL");
    return BASE_OK;
}

enum base_status db_store_prepare(struct db_store *store, const char *sql,
                                  sqlite3_stmt **out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);

    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return db_store_sqlite_fail(store, rc, "preparing SQL");
    }
    *out = stmt;
    return BASE_OK;
}

enum base_status db_store_step_done(struct db_store *store, sqlite3_stmt *stmt,
                                    const char *what)
{
    int rc = sqlite3_step(stmt);

    if (rc != SQLITE_DONE)
        return db_store_sqlite_fail(store, rc, what);
    return BASE_OK;
}

enum base_status db_store_begin(struct db_store *store)
{
    return db_store_exec(store, "BEGIN IMMEDIATE");
}

enum base_status db_store_end(struct db_store *store, enum base_status result)
{
    if (result == BASE_OK)
        return db_store_exec(store, "COMMIT");
    if (!sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    return result;
}

void db_store_checkpoint(struct db_store *store)
{
    int rc;

    if (!store || !store->db)
        return;
    rc = sqlite3_wal_checkpoint_v2(store->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                   NULL, NULL);
    if (rc != SQLITE_OK)
        base_log(BASE_LOG_WARN,
                 "store: the WAL could not be emptied now (%s); it will be "
                 "at the next checkpoint",
                 sqlite3_errstr(rc));
}

static char *column_dup(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);

    return strdup(text ? (const char *)text : "");
}

enum base_status db_store_account(struct db_store *store, int64_t account_id,
                                  char **server, char **email)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    char *s = NULL;
    char *e = NULL;
    int rc;

    result = db_store_prepare(
        store, "SELECT server, email FROM accounts WHERE id = ?1", &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, account_id);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) {
        result = db_store_fail(store, BASE_E_AUTH, "no account %lld",
                               (long long)account_id);
        goto out;
    }
    if (rc != SQLITE_ROW) {
        result = db_store_sqlite_fail(store, rc, "reading the account");
        goto out;
    }
    s = column_dup(stmt, 0);
    e = column_dup(stmt, 1);
    if (!s || !e) {
        result = BASE_E_NOMEM;
        goto out;
    }
    if (server) {
        *server = s;
        s = NULL;
    }
    if (email) {
        *email = e;
        e = NULL;
    }

out:
    free(s);
    free(e);
    sqlite3_finalize(stmt);
    return result;
}

int64_t db_store_now(void)
{
    return (int64_t)time(NULL);
}

static enum base_status check_sidecars(struct db_store *store)
{
    enum base_status result = BASE_OK;
    size_t i;

    for (i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
        size_t len = strlen(store->path) + strlen(sidecars[i]) + 1;
        char *path = malloc(len);

        if (!path)
            return BASE_E_NOMEM;
        snprintf(path, len, "%s%s", store->path, sidecars[i]);
        result = db_files_check_private(store, path);
        free(path);
        if (result != BASE_OK)
            break;
    }
    return result;
}

static enum base_status prepare_files(struct db_store *store,
                                      const char *data_dir, const char *key_dir)
{
    enum base_status result;

    result = db_files_ensure_dir(store, data_dir);
    if (result == BASE_OK)
        result = db_files_ensure_dir(store, key_dir);
    if (result != BASE_OK)
        return result;
    store->path = db_files_join(data_dir, "bezala.db");
    store->key_dir = strdup(key_dir);
    store->key_path = db_files_join(key_dir, "key");
    if (!store->path || !store->key_dir || !store->key_path)
        return BASE_E_NOMEM;
    return BASE_OK;
}

/* Serialises store start-up between processes: SQLite cannot make a new,
 * empty file a WAL database safely while another process does the same.
 * flock on the directory leaves SQLite's own fcntl locks alone. */
static enum base_status lock_home(struct db_store *store, const char *data_dir,
                                  int *fd)
{
    struct timespec pause = {0, 10 * 1000 * 1000};
    int waited_ms = 0;

    *fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0)
        return db_store_fail(store, BASE_E_IO, "cannot open %s: %s", data_dir,
                             strerror(errno));
    while (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
        if ((errno != EWOULDBLOCK && errno != EINTR) ||
            waited_ms >= BUSY_TIMEOUT_MS)
            return db_store_fail(store, BASE_E_STORE,
                                 "another bezala kept %s busy for too "
                                 "long",
                                 data_dir);
        nanosleep(&pause, NULL);
        waited_ms += 10;
    }
    return BASE_OK;
}

static enum base_status set_journal_wal(struct db_store *store)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    const unsigned char *mode;
    int rc;

    result = db_store_prepare(store, "PRAGMA journal_mode=WAL", &stmt);
    if (result != BASE_OK)
        return result;
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        result = db_store_sqlite_fail(store, rc, "switching to WAL");
    } else {
        mode = sqlite3_column_text(stmt, 0);
        if (!mode || strcmp((const char *)mode, "wal") != 0)
            result = db_store_fail(store, BASE_E_STORE,
                                   "%s cannot use WAL mode", store->path);
    }
    sqlite3_finalize(stmt);
    return result;
}

static enum base_status open_sqlite(struct db_store *store)
{
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX;
    int rc = sqlite3_open_v2(store->path, &store->db, flags, NULL);

    if (rc != SQLITE_OK)
        return db_store_sqlite_fail(store, rc, "opening the store");
    sqlite3_extended_result_codes(store->db, 1);
    sqlite3_busy_timeout(store->db, BUSY_TIMEOUT_MS);
    sqlite3_db_config(store->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(store->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(store->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
                      NULL);
    return db_store_exec(store, "PRAGMA trusted_schema=OFF;"
                                "PRAGMA secure_delete=ON;"
                                "PRAGMA foreign_keys=ON;"
                                "PRAGMA temp_store=MEMORY;");
}

static enum base_status start(struct db_store *store)
{
    enum base_status result;

    result = check_sidecars(store);
    if (result == BASE_OK)
        result = db_files_create_private(store, store->path);
    if (result == BASE_OK)
        result = open_sqlite(store);
    if (result == BASE_OK)
        result = set_journal_wal(store);
    if (result == BASE_OK) {
        store->configured = 1;
        result = check_sidecars(store);
    }
    if (result == BASE_OK)
        result = db_schema_migrate(store);
    if (result == BASE_OK)
        result = db_vault_open(store);
    return result;
}

/* Renames from to to unless to exists; 0 when from is gone or moved. */
static int move_file(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0 ||
        errno == ENOENT)
        return 0;
    return -1;
}

/* A store SQLite calls damaged or not a database, found while opening
 * under the home lock: it (with its WAL or journal) is moved aside, not
 * deleted, so the next run starts an empty store and the user signs in
 * again. The SHM is only an index of the WAL and goes. */
static enum base_status move_aside(struct db_store *store)
{
    char stamp[32];
    char aside[DB_ERROR_MAX / 2];
    char from[DB_ERROR_MAX / 2 + 16];
    char to[DB_ERROR_MAX / 2 + 16];
    time_t now = time(NULL);
    struct tm tm;
    size_t i;
    int failed;

    sqlite3_close(store->db);
    store->db = NULL;
    store->configured = 0;
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
    snprintf(aside, sizeof(aside), "%s.corrupt-%s-%ld", store->path, stamp,
             (long)getpid());
    failed = move_file(store->path, aside);
    for (i = 0; !failed && i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
        snprintf(from, sizeof(from), "%s%s", store->path, sidecars[i]);
        snprintf(to, sizeof(to), "%s%s", aside, sidecars[i]);
        if (strcmp(sidecars[i], "-shm") == 0)
            failed = unlink(from) < 0 && errno != ENOENT;
        else
            failed = move_file(from, to);
    }
    if (failed)
        return db_store_fail(store, BASE_E_STORE,
                             "%s is damaged and could not be moved aside "
                             "(%s): move it aside and sign in again",
                             store->path, strerror(errno));
    db_store_fail(store, BASE_E_STORE,
                  "%s was damaged or not a bezala database; it was moved "
                  "to %s: run `bezala login` to sign in again",
                  store->path, aside);
    snprintf(moved_path, sizeof(moved_path), "%s", store->path);
    memcpy(moved_notice, store->error, sizeof(moved_notice));
    return BASE_E_STORE;
}

/* BASE_E_STORE with the notice when this thread moved the store aside
 * just before (once). */
static enum base_status moved_before(struct db_store *store)
{
    if (!moved_path[0] || strcmp(moved_path, store->path) != 0)
        return BASE_OK;
    moved_path[0] = '\0';
    return db_store_fail(store, BASE_E_STORE, "%s", moved_notice);
}

static enum base_status open_steps(struct db_store *store, const char *data_dir,
                                   const char *key_dir)
{
    enum base_status result;
    int lock = -1;

    result = prepare_files(store, data_dir, key_dir);
    if (result == BASE_OK)
        result = moved_before(store);
    if (result == BASE_OK)
        result = lock_home(store, data_dir, &lock);
    if (result == BASE_OK)
        result = start(store);
    if (result == BASE_E_STORE && store->corrupt)
        result = move_aside(store);
    if (lock >= 0)
        close(lock);
    return result;
}

enum base_status db_store_open(const char *data_dir, const char *key_dir,
                               struct db_store **out)
{
    struct db_store *store;
    enum base_status result;

    open_error[0] = '\0';
    if (!data_dir || !key_dir || !out || !data_dir[0] || !key_dir[0]) {
        snprintf(open_error, sizeof(open_error),
                 "db_store_open needs a data and a key directory");
        return BASE_E_INVALID;
    }
    if (base_secret_init() != BASE_OK) {
        snprintf(open_error, sizeof(open_error), "libsodium did not start");
        return BASE_E_CRYPTO;
    }
    umask(077);
    store = calloc(1, sizeof(*store));
    if (!store)
        return BASE_E_NOMEM;
    result = open_steps(store, data_dir, key_dir);
    if (result != BASE_OK) {
        memcpy(open_error, store->error, sizeof(open_error));
        db_store_free(&store);
        return result;
    }
    *out = store;
    return BASE_OK;
}

void db_store_free(struct db_store **store)
{
    struct db_store *s;

    if (!store || !*store)
        return;
    s = *store;
    if (s->configured)
        db_store_checkpoint(s);
    if (s->db)
        sqlite3_close(s->db);
    db_vault_close(s);
    free(s->path);
    free(s->key_dir);
    free(s->key_path);
    free(s);
    *store = NULL;
}

const char *db_store_last_error(const struct db_store *store)
{
    return store ? store->error : "";
}

const char *db_store_path(const struct db_store *store)
{
    return store ? store->path : NULL;
}

const char *db_store_open_error(void)
{
    return open_error;
}

enum base_status db_store_vault_check(const struct db_store *store)
{
    if (!store)
        return BASE_E_INVALID;
    if (store->vault == DB_VAULT_LOCKED)
        return BASE_E_LOCKED;
    return store->vault == DB_VAULT_READY ? BASE_OK : BASE_E_CRYPTO;
}
