/* Cached server answers per (account, company, kind): whole texts in
 * one row, lists in numbered parts. */
#include "db/cache.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db/internal.h"

#define KIND_MAX 64
#define BODY_MAX (64u * 1024u * 1024u)

static int kind_valid(const char *kind)
{
    size_t len = kind ? strlen(kind) : 0;

    return len > 0 && len <= KIND_MAX;
}

enum base_status db_cache_put(struct db_store *store, int64_t account_id,
                              int64_t company_id, const char *kind,
                              const char *body, size_t len)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    if (!store || !body || !kind_valid(kind) || company_id < 0)
        return BASE_E_INVALID;
    if (len > BODY_MAX)
        return db_store_fail(store, BASE_E_TOO_LARGE,
                             "a cached answer of %zu bytes is too large", len);
    result = db_store_account(store, account_id, NULL, NULL);
    if (result != BASE_OK)
        return result;
    result = db_store_prepare(
        store,
        "INSERT OR REPLACE INTO cache (account_id, company_id, kind, body,"
        " stored_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, account_id);
    sqlite3_bind_int64(stmt, 2, company_id);
    sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 4, len ? body : "", (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 5, db_store_now());
    result = db_store_step_done(store, stmt, "storing the cache");
    sqlite3_finalize(stmt);
    return result;
}

/* Copies column col of the row into a new NUL-terminated buffer. */
static enum base_status copy_column(sqlite3_stmt *stmt, int col, char **body,
                                    size_t *len)
{
    const void *blob = sqlite3_column_blob(stmt, col);
    size_t n = (size_t)sqlite3_column_bytes(stmt, col);
    char *copy = malloc(n + 1);

    if (!copy)
        return BASE_E_NOMEM;
    if (n)
        memcpy(copy, blob, n);
    copy[n] = '\0';
    *body = copy;
    *len = n;
    return BASE_OK;
}

enum base_status db_cache_get(struct db_store *store, int64_t account_id,
                              int64_t company_id, const char *kind, char **body,
                              size_t *len, int64_t *stored_at)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    char *copy = NULL;
    size_t n = 0;
    int64_t when = 0;
    int rc;

    if (!store || !body || !kind_valid(kind))
        return BASE_E_INVALID;
    result = db_store_prepare(store,
                              "SELECT body, stored_at FROM cache"
                              " WHERE account_id = ?1 AND company_id = ?2"
                              " AND kind = ?3",
                              &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, account_id);
    sqlite3_bind_int64(stmt, 2, company_id);
    sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        result = copy_column(stmt, 0, &copy, &n);
        when = sqlite3_column_int64(stmt, 1);
    } else if (rc != SQLITE_DONE) {
        result = db_store_sqlite_fail(store, rc, "reading the cache");
    }
    sqlite3_finalize(stmt);
    if (result != BASE_OK)
        return result;
    *body = copy;
    if (len)
        *len = n;
    if (stored_at)
        *stored_at = when;
    return BASE_OK;
}

static void bind_key(sqlite3_stmt *stmt, int64_t account_id, int64_t company_id,
                     const char *kind)
{
    sqlite3_bind_int64(stmt, 1, account_id);
    sqlite3_bind_int64(stmt, 2, company_id);
    sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
}

/* Runs sql (constant, a write) with the key bound as ?1..?3 and, where
 * sql has it, now as ?4. */
static enum base_status key_write(struct db_store *store, const char *sql,
                                  int64_t account_id, int64_t company_id,
                                  const char *kind)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(store, sql, &stmt);
    if (result != BASE_OK)
        return result;
    bind_key(stmt, account_id, company_id, kind);
    sqlite3_bind_int64(stmt, 4, db_store_now());
    result = db_store_step_done(store, stmt, "storing the cache");
    sqlite3_finalize(stmt);
    return result;
}

/* A new list row for the key, whose old list and parts go; its id in
 * *list_id. The id is new: AUTOINCREMENT never hands one out again. */
static enum base_status list_replace(struct db_store *store, int64_t account_id,
                                     int64_t company_id, const char *kind,
                                     int64_t *list_id)
{
    enum base_status result;

    result = key_write(store,
                       "DELETE FROM cache_lists WHERE account_id = ?1"
                       " AND company_id = ?2 AND kind = ?3",
                       account_id, company_id, kind);
    if (result == BASE_OK)
        result = key_write(store,
                           "INSERT INTO cache_lists (account_id, company_id,"
                           " kind, parts, stored_at) VALUES (?1, ?2, ?3, 0,"
                           " ?4)",
                           account_id, company_id, kind);
    if (result == BASE_OK)
        *list_id = sqlite3_last_insert_rowid(store->db);
    return result;
}

static enum base_status part_insert(struct db_store *store, sqlite3_stmt *stmt,
                                    int64_t list_id, size_t index,
                                    const char *part, size_t len)
{
    if (len > DB_CACHE_PART_MAX)
        return db_store_fail(store, BASE_E_TOO_LARGE,
                             "a cached part of %zu bytes is too large", len);
    sqlite3_reset(stmt);
    sqlite3_bind_int64(stmt, 1, list_id);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)index);
    sqlite3_bind_blob(stmt, 3, len ? part : "", (int)len, SQLITE_STATIC);
    return db_store_step_done(store, stmt, "storing the cache");
}

/* Every part that next gives, numbered from 0; how many in *count. */
static enum base_status parts_write(struct db_store *store, int64_t list_id,
                                    db_cache_next_part next, void *user,
                                    size_t *count)
{
    sqlite3_stmt *stmt = NULL;
    const char *part = NULL;
    size_t len = 0;
    size_t n = 0;
    enum base_status result;
    bool ended = false;

    result = db_store_prepare(store,
                              "INSERT INTO cache_parts (list_id, part, body)"
                              " VALUES (?1, ?2, ?3)",
                              &stmt);
    while (result == BASE_OK && !ended) {
        part = NULL;
        len = 0;
        result = next(user, &part, &len);
        ended = result == BASE_OK && !part;
        if (result == BASE_OK && part)
            result = part_insert(store, stmt, list_id, n++, part, len);
    }
    sqlite3_finalize(stmt);
    if (result == BASE_OK && n == 0)
        result =
            db_store_fail(store, BASE_E_INVALID, "a cached list has no parts");
    if (result == BASE_OK)
        *count = n;
    return result;
}

static enum base_status list_set_parts(struct db_store *store, int64_t list_id,
                                       size_t parts)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(
        store, "UPDATE cache_lists SET parts = ?2 WHERE id = ?1", &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, list_id);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)parts);
    result = db_store_step_done(store, stmt, "storing the cache");
    sqlite3_finalize(stmt);
    return result;
}

/* Ends the write transaction; a commit that fails (the disk full) must
 * not leave it open for the next one. */
static enum base_status end_write(struct db_store *store,
                                  enum base_status result)
{
    result = db_store_end(store, result);
    if (result != BASE_OK && !sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    return result;
}

enum base_status db_cache_put_parts(struct db_store *store, int64_t account_id,
                                    int64_t company_id, const char *kind,
                                    db_cache_next_part next, void *user)
{
    enum base_status result;
    int64_t list_id = 0;
    size_t parts = 0;

    if (!store || !next || !kind_valid(kind) || company_id < 0)
        return BASE_E_INVALID;
    result = db_store_account(store, account_id, NULL, NULL);
    if (result != BASE_OK)
        return result;
    result = db_store_begin(store);
    if (result != BASE_OK)
        return result;
    result = list_replace(store, account_id, company_id, kind, &list_id);
    if (result == BASE_OK)
        result = parts_write(store, list_id, next, user, &parts);
    if (result == BASE_OK)
        result = list_set_parts(store, list_id, parts);
    return end_write(store, result);
}

/* The row that stmt steps to, if any: *found says whether there was
 * one; column col copied into *body. */
static enum base_status step_copy(struct db_store *store, sqlite3_stmt *stmt,
                                  int col, bool *found, char **body,
                                  size_t *len)
{
    int rc = sqlite3_step(stmt);

    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        return copy_column(stmt, col, body, len);
    if (rc != SQLITE_DONE)
        return db_store_sqlite_fail(store, rc, "reading the cache");
    return BASE_OK;
}

enum base_status db_cache_get_first(struct db_store *store, int64_t account_id,
                                    int64_t company_id, const char *kind,
                                    struct db_cache_list *list, char **part,
                                    size_t *len)
{
    struct db_cache_list found = {0, 0, 0};
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    char *copy = NULL;
    size_t n = 0;
    bool row = false;

    if (!store || !list || !part || !kind_valid(kind))
        return BASE_E_INVALID;
    /* One statement, so that the list and its part 0 are of one time. */
    result = db_store_prepare(
        store,
        "SELECT p.body, l.id, l.parts, l.stored_at FROM cache_lists l"
        " JOIN cache_parts p ON p.list_id = l.id AND p.part = 0"
        " WHERE l.account_id = ?1 AND l.company_id = ?2 AND l.kind = ?3",
        &stmt);
    if (result != BASE_OK)
        return result;
    bind_key(stmt, account_id, company_id, kind);
    result = step_copy(store, stmt, 0, &row, &copy, &n);
    if (result == BASE_OK && row) {
        found.id = sqlite3_column_int64(stmt, 1);
        found.parts = (size_t)sqlite3_column_int64(stmt, 2);
        found.stored_at = sqlite3_column_int64(stmt, 3);
    }
    sqlite3_finalize(stmt);
    if (result != BASE_OK)
        return result;
    *list = found;
    *part = copy;
    if (len)
        *len = n;
    return BASE_OK;
}

enum base_status db_cache_get_part(struct db_store *store, int64_t list_id,
                                   size_t index, char **part, size_t *len)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    char *copy = NULL;
    size_t n = 0;
    bool row = false;

    if (!store || !part)
        return BASE_E_INVALID;
    result = db_store_prepare(store,
                              "SELECT body FROM cache_parts"
                              " WHERE list_id = ?1 AND part = ?2",
                              &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, list_id);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)index);
    result = step_copy(store, stmt, 0, &row, &copy, &n);
    sqlite3_finalize(stmt);
    if (result != BASE_OK)
        return result;
    *part = copy;
    if (len)
        *len = n;
    return BASE_OK;
}

/* Runs sql (constant) with ?1 bound to account_id. */
static enum base_status delete_for(struct db_store *store, const char *sql,
                                   int64_t account_id)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(store, sql, &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, account_id);
    result = db_store_step_done(store, stmt, "clearing the cache");
    sqlite3_finalize(stmt);
    return result;
}

enum base_status db_cache_clear(struct db_store *store, int64_t account_id)
{
    enum base_status result;

    if (!store)
        return BASE_E_INVALID;
    result = db_store_begin(store);
    if (result != BASE_OK)
        return result;
    result = delete_for(store, "DELETE FROM cache WHERE account_id = ?1",
                        account_id);
    /* The lists' parts go with them (ON DELETE CASCADE). */
    if (result == BASE_OK)
        result = delete_for(
            store, "DELETE FROM cache_lists WHERE account_id = ?1", account_id);
    return db_store_end(store, result);
}
