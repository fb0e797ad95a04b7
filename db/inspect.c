/* Read-only checks of the home directory, the store and the key file,
 * reusing the store's own permission and key-file checks on a handle that
 * never writes. */
#include "db/inspect.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>
#include <sqlite3.h>

#include "db/files.h"
#include "db/internal.h"
#include "db/keyfile.h"
#include "db/meta.h"
#include "db/schema.h"

#define BUSY_TIMEOUT_MS 5000

static const char *const sidecars[] = {"-wal", "-shm", "-journal"};

/* Copies the handle's reason to err and closes what it opened. */
static enum base_status finish(struct db_store *s, enum base_status result,
                               char *err, size_t err_size)
{
    if (result != BASE_OK && err && err_size > 0)
        snprintf(err, err_size, "%s", s->error);
    if (s->db)
        sqlite3_close(s->db);
    free(s->path);
    free(s->key_dir);
    free(s->key_path);
    memset(s, 0, sizeof(*s));
    return result;
}

enum base_status db_inspect_dir(const char *dir, bool *missing, char *err,
                                size_t err_size)
{
    struct db_store s = {0};
    struct stat st;
    enum base_status result;

    if (!dir || !*dir || !missing)
        return BASE_E_INVALID;
    *missing = lstat(dir, &st) < 0 && errno == ENOENT;
    if (*missing)
        result = db_store_fail(&s, BASE_E_IO, "%s does not exist", dir);
    else
        result = db_files_check_dir(&s, dir);
    return finish(&s, result, err, err_size);
}

static enum base_status check_files(struct db_store *s)
{
    enum base_status result = db_files_check_private(s, s->path);
    char name[DB_ERROR_MAX];
    size_t i;

    for (i = 0; result == BASE_OK && i < sizeof(sidecars) / sizeof(*sidecars);
         i++) {
        snprintf(name, sizeof(name), "%s%s", s->path, sidecars[i]);
        result = db_files_check_private(s, name);
    }
    return result;
}

/* Whether path-wal and path-shm are both there. */
static bool wal_files_there(const char *path)
{
    char name[DB_ERROR_MAX];
    struct stat st;

    snprintf(name, sizeof(name), "%s-wal", path);
    if (lstat(name, &st) < 0)
        return false;
    snprintf(name, sizeof(name), "%s-shm", path);
    return lstat(name, &st) == 0;
}

/* path as a file: URI with every byte but a few safe ones escaped, and
 * immutable=1 when asked; a new string, NULL for no memory. */
static char *file_uri(const char *path, bool immutable)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char tail[] = "?immutable=1";
    char *uri = malloc(strlen(path) * 3 + sizeof("file:") + sizeof(tail));
    char *at = uri;
    const unsigned char *p;

    if (!uri)
        return NULL;
    at += sprintf(at, "file:");
    for (p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("/._-~", *p)) {
            *at++ = (char)*p;
        } else {
            *at++ = '%';
            *at++ = hex[*p >> 4];
            *at++ = hex[*p & 15];
        }
    }
    snprintf(at, sizeof(tail), "%s", immutable ? tail : "");
    return uri;
}

/* Opens s->path read-only; SQLite's own errors are mapped as the store
 * maps them (a file that is not a database says so). A reader of a WAL
 * store makes its -wal and -shm files when they are missing; without
 * them the main file holds everything, so it is read as immutable, which
 * makes neither. With both there another run may be writing, so the
 * store is read as usual. A -wal left behind without its -shm is not
 * read: the checks then see the main file only. */
static enum base_status open_readonly(struct db_store *s)
{
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_URI;
    char *uri = file_uri(s->path, !wal_files_there(s->path));
    int rc;

    if (!uri)
        return db_store_fail(s, BASE_E_NOMEM, "out of memory");
    rc = sqlite3_open_v2(uri, &s->db, flags, NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return db_store_sqlite_fail(s, rc, "opening the store");
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    return BASE_OK;
}

/* The one integer that sql (constant) answers, or of its first row. */
static enum base_status query_int(struct db_store *s, const char *sql,
                                  long long *out)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result = db_store_prepare(s, sql, &stmt);
    int rc;

    if (result != BASE_OK)
        return result;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    else
        result = db_store_sqlite_fail(s, rc, "reading the store");
    sqlite3_finalize(stmt);
    return result;
}

/* Keeps a problem line of SQLite's on one line. */
static void one_line(char *text)
{
    for (; *text; text++) {
        if ((unsigned char)*text < 0x20 || *text == 0x7f)
            *text = ' ';
    }
}

static enum base_status integrity(struct db_store *s)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    char problem[DB_ERROR_MAX / 2];
    const unsigned char *text;
    int rc;

    result = db_store_prepare(s, "PRAGMA integrity_check(1)", &stmt);
    if (result != BASE_OK)
        return result;
    rc = sqlite3_step(stmt);
    text = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
    if (rc != SQLITE_ROW)
        result = db_store_sqlite_fail(s, rc, "checking the store");
    else if (!text || strcmp((const char *)text, "ok") != 0) {
        snprintf(problem, sizeof(problem), "%s",
                 text ? (const char *)text : "no answer");
        one_line(problem);
        result = db_store_fail(s, BASE_E_STORE,
                               "%s is damaged (%s); move it aside, e.g. "
                               "run `mv %s %s.damaged`, then `bezala login`",
                               s->path, problem, s->path, s->path);
    }
    sqlite3_finalize(stmt);
    return result;
}

static enum base_status read_vault(struct db_store *s,
                                   struct db_inspect_store_info *out)
{
    struct db_meta m;
    long long tables = 0;
    int found = 0;
    enum base_status result =
        query_int(s,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                  " AND name IN ('vault_meta', 'tokens')",
                  &tables);

    if (result != BASE_OK || tables < 2)
        return result;
    result = query_int(s, "SELECT count(*) FROM tokens", &out->tokens);
    if (result == BASE_OK)
        result = db_meta_read(s, &m, &found);
    if (result != BASE_OK || !found)
        return result;
    switch (db_meta_kind(&m)) {
    case 1:
        out->vault = DB_INSPECT_VAULT_KEYFILE;
        break;
    case 2:
        out->vault = DB_INSPECT_VAULT_PASSPHRASE;
        break;
    default:
        out->vault = DB_INSPECT_VAULT_UNKNOWN;
    }
    return BASE_OK;
}

#define TABLES_SQL                                        \
    "SELECT name FROM sqlite_master WHERE type = 'table'" \
    " AND name NOT LIKE 'sqlite%' ORDER BY name"

/* Sets *found to whether s has a table called name. */
static enum base_status has_table(struct db_store *s, const char *name,
                                  bool *found)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result = db_store_prepare(
        s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        &stmt);
    int rc;

    if (result != BASE_OK)
        return result;
    rc = sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        *found = rc == SQLITE_ROW;
    else
        result = db_store_sqlite_fail(s, rc, "reading the store");
    sqlite3_finalize(stmt);
    return result;
}

/* Fails s when it lacks one of the tables that mem has. */
static enum base_status same_tables(struct db_store *s, struct db_store *mem)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result = db_store_prepare(mem, TABLES_SQL, &stmt);
    const char *name;
    bool found = true;
    int rc = result == BASE_OK ? sqlite3_step(stmt) : SQLITE_DONE;

    if (result != BASE_OK)
        return db_store_fail(s, result, "%s", mem->error);
    for (; rc == SQLITE_ROW && found; rc = sqlite3_step(stmt)) {
        name = (const char *)sqlite3_column_text(stmt, 0);
        result = has_table(s, name ? name : "", &found);
        if (result != BASE_OK)
            break;
        if (!found)
            result = db_store_fail(
                s, BASE_E_STORE,
                "%s lacks the table %s of schema version %d; move it "
                "aside, e.g. run `mv %s %s.damaged`, then `bezala login`",
                s->path, name ? name : "", DB_SCHEMA_VERSION, s->path, s->path);
    }
    if (result == BASE_OK && rc != SQLITE_DONE)
        result = db_store_sqlite_fail(s, rc, "listing the tables");
    sqlite3_finalize(stmt);
    return result;
}

/* Fails s when it lacks a table of this build's schema: those that the
 * migrations make in an empty database in memory. */
static enum base_status check_tables(struct db_store *s)
{
    static char name[] = ":memory:";
    struct db_store mem = {.path = name};
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(name, &mem.db, flags, NULL);
    enum base_status result;

    if (rc != SQLITE_OK)
        result = db_store_sqlite_fail(s, rc, "making the schema in memory");
    else if (db_schema_migrate(&mem) != BASE_OK)
        result = db_store_fail(s, BASE_E_STORE, "%s", mem.error);
    else
        result = same_tables(s, &mem);
    sqlite3_close(mem.db);
    return result;
}

/* The schema version, and what it says: a newer one fails, 0 with no
 * table is an empty store, 0 with tables is not a store of bezala's, and
 * this build's version must have every table. */
static enum base_status check_schema(struct db_store *s,
                                     struct db_inspect_store_info *out)
{
    long long version = 0;
    long long tables = 0;
    enum base_status result = query_int(s, "PRAGMA user_version", &version);

    if (result == BASE_OK && (version < 0 || version > DB_SCHEMA_VERSION))
        return db_store_fail(s, BASE_E_STORE,
                             "%s has schema version %lld, newer than this "
                             "bezala knows (%d); use the newer bezala that "
                             "wrote it",
                             s->path, version, DB_SCHEMA_VERSION);
    out->schema_version = (int)version;
    if (result == BASE_OK)
        result = query_int(s,
                           "SELECT count(*) FROM sqlite_master WHERE type ="
                           " 'table' AND name NOT LIKE 'sqlite%'",
                           &tables);
    if (result != BASE_OK)
        return result;
    out->empty = version == 0 && tables == 0;
    if (version == 0 && tables > 0)
        return db_store_fail(s, BASE_E_STORE,
                             "%s holds tables but no schema version, so it "
                             "is not a store of bezala's; move it aside, "
                             "e.g. run `mv %s %s.damaged`, then `bezala "
                             "login`",
                             s->path, s->path, s->path);
    if (version == DB_SCHEMA_VERSION)
        return check_tables(s);
    return BASE_OK;
}

static enum base_status inspect_store(struct db_store *s,
                                      struct db_inspect_store_info *out)
{
    enum base_status result = check_files(s);

    if (result == BASE_OK)
        result = open_readonly(s);
    if (result == BASE_OK)
        result = integrity(s);
    if (result == BASE_OK)
        result = check_schema(s, out);
    if (result == BASE_OK && !out->empty)
        result = read_vault(s, out);
    return result;
}

enum base_status db_inspect_store(const char *data_dir,
                                  struct db_inspect_store_info *out, char *err,
                                  size_t err_size)
{
    struct db_store s = {0};
    struct db_inspect_store_info found = {.schema_known = DB_SCHEMA_VERSION};
    struct stat st;
    enum base_status result;

    if (!data_dir || !*data_dir || !out)
        return BASE_E_INVALID;
    s.path = db_files_join(data_dir, "bezala.db");
    if (!s.path)
        return BASE_E_NOMEM;
    found.exists = !(lstat(s.path, &st) < 0 && errno == ENOENT);
    result = found.exists ? inspect_store(&s, &found) : BASE_OK;
    if (result == BASE_OK)
        *out = found;
    return finish(&s, result, err, err_size);
}

/* Unwraps the key-file vault in s->path with key; the data key is wiped
 * at once. */
static enum base_status unwrap_vault(struct db_store *s,
                                     const unsigned char *key)
{
    unsigned char *dek = sodium_malloc(DB_META_KEY_BYTES);
    struct db_meta m;
    int found = 0;
    enum base_status result = dek ? open_readonly(s) : BASE_E_NOMEM;

    if (result == BASE_OK)
        result = db_meta_read(s, &m, &found);
    if (result == BASE_OK && found && db_meta_kind(&m) == 1 &&
        db_meta_unwrap(&m, key, dek) != BASE_OK)
        result = db_store_fail(s, BASE_E_CRYPTO,
                               "the key file %s does not open the vault in "
                               "%s, so the stored tokens cannot be read; "
                               "restore the key file from a backup, or run "
                               "`bezala login` to sign in again",
                               s->key_path, s->path);
    sodium_free(dek);
    return result;
}

/* What is at s->key_path before it is read: a link or something other
 * than a file is named as such. */
static enum db_inspect_key key_kind(const struct db_store *s)
{
    struct stat st;

    if (lstat(s->key_path, &st) < 0)
        return errno == ENOENT ? DB_INSPECT_KEY_MISSING : DB_INSPECT_KEY_OTHER;
    if (S_ISLNK(st.st_mode))
        return DB_INSPECT_KEY_LINK;
    return S_ISREG(st.st_mode) ? DB_INSPECT_KEY_OK : DB_INSPECT_KEY_NOT_FILE;
}

/* The kind of a failed key file check. */
static enum db_inspect_key failed_kind(enum db_inspect_key before,
                                       enum base_status result)
{
    if (before == DB_INSPECT_KEY_LINK || before == DB_INSPECT_KEY_NOT_FILE)
        return before;
    /* The key file's read fails with BASE_E_CRYPTO only for its size. */
    return result == BASE_E_CRYPTO ? DB_INSPECT_KEY_SIZE : DB_INSPECT_KEY_OTHER;
}

enum base_status db_inspect_keyfile(const char *data_dir, const char *key_dir,
                                    bool open_vault, enum db_inspect_key *found,
                                    char *err, size_t err_size)
{
    struct db_store s = {0};
    unsigned char *key = NULL;
    enum base_status result = BASE_E_NOMEM;
    enum db_inspect_key kind = DB_INSPECT_KEY_OTHER;
    int none = 0;

    if (!data_dir || !key_dir || !*data_dir || !*key_dir || !found)
        return BASE_E_INVALID;
    s.path = db_files_join(data_dir, "bezala.db");
    s.key_dir = strdup(key_dir);
    s.key_path = db_files_join(key_dir, "key");
    key = sodium_malloc(DB_KEYFILE_BYTES);
    if (s.path && s.key_dir && s.key_path && key) {
        kind = key_kind(&s);
        result = db_keyfile_read(&s, key, &none);
        kind = result == BASE_OK ? kind : failed_kind(kind, result);
    }
    if (result == BASE_OK && !none && open_vault) {
        result = unwrap_vault(&s, key);
        if (result != BASE_OK)
            kind = result == BASE_E_CRYPTO ? DB_INSPECT_KEY_MISMATCH
                                           : DB_INSPECT_KEY_OTHER;
    }
    if (result == BASE_OK)
        kind = none ? DB_INSPECT_KEY_MISSING : DB_INSPECT_KEY_OK;
    *found = kind;
    sodium_free(key);
    return finish(&s, result, err, err_size);
}
