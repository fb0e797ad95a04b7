/* Cached server answers per (account, company, kind). */
#include "db/cache.h"

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

/* Copies the row's body into a new NUL-terminated buffer. */
static enum base_status copy_body(sqlite3_stmt *stmt, char **body, size_t *len)
{
    const void *blob = sqlite3_column_blob(stmt, 0);
    size_t n = (size_t)sqlite3_column_bytes(stmt, 0);
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
        result = copy_body(stmt, &copy, &n);
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

enum base_status db_cache_clear(struct db_store *store, int64_t account_id)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    if (!store)
        return BASE_E_INVALID;
    result = db_store_prepare(store, "DELETE FROM cache WHERE account_id = ?1",
                              &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, account_id);
    result = db_store_step_done(store, stmt, "clearing the cache");
    sqlite3_finalize(stmt);
    return result;
}
