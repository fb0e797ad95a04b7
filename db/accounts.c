/* Sign-in accounts: one row per (server, email), ordered by last use. */
#include "db/accounts.h"

#include <stdlib.h>
#include <string.h>

#include "db/internal.h"

#define FIELD_MAX 2048

#define ACCOUNT_COLUMNS                                                  \
    "SELECT id, server, email, user_id, company_id, last_used_at,"       \
    " EXISTS (SELECT 1 FROM tokens t WHERE t.account_id = accounts.id)," \
    " service_user, chosen_company_id FROM accounts"

#define ACCOUNT_ORDER " ORDER BY last_used_at DESC, use_seq DESC, id DESC"

/* Emails are stored and matched trimmed and ASCII lower-case (SQLite's
 * lower() folds ASCII only), so that one person has one account row. */
#define EMAIL_PARAM "lower(trim(?2))"

/* Non-empty, bounded, no control characters. */
static bool field_valid(const char *s)
{
    size_t len;
    size_t i;

    if (!s)
        return false;
    len = strlen(s);
    if (len == 0 || len > FIELD_MAX)
        return false;
    for (i = 0; i < len; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    }
    return true;
}

static enum base_status upsert_row(struct db_store *store, const char *server,
                                   const char *email, int64_t user_id)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(
        store,
        "INSERT INTO accounts (server, email, user_id, last_used_at,"
        " use_seq) VALUES (?1, " EMAIL_PARAM ", ?3, ?4,"
        " (SELECT coalesce(max(use_seq), 0) + 1 FROM accounts))"
        " ON CONFLICT (server, email) DO UPDATE SET"
        " user_id = CASE WHEN excluded.user_id != 0"
        "  THEN excluded.user_id ELSE user_id END,"
        " last_used_at = excluded.last_used_at,"
        " use_seq = excluded.use_seq",
        &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_text(stmt, 1, server, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, email, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, user_id);
    sqlite3_bind_int64(stmt, 4, db_store_now());
    result = db_store_step_done(store, stmt, "storing the account");
    sqlite3_finalize(stmt);
    return result;
}

static enum base_status find_id(struct db_store *store, const char *server,
                                const char *email, int64_t *id)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    int rc;

    result = db_store_prepare(
        store,
        "SELECT id FROM accounts WHERE server = ?1 AND email = " EMAIL_PARAM,
        &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_text(stmt, 1, server, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, email, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(stmt, 0);
    else
        result = db_store_sqlite_fail(store, rc, "reading the account");
    sqlite3_finalize(stmt);
    return result;
}

enum base_status db_accounts_upsert(struct db_store *store, const char *server,
                                    const char *email, int64_t user_id,
                                    int64_t *account_id)
{
    enum base_status result;
    int64_t id = 0;

    if (!store || !account_id || user_id < 0)
        return BASE_E_INVALID;
    if (!field_valid(server) || !field_valid(email))
        return db_store_fail(store, BASE_E_INVALID,
                             "an account needs a server and an email");
    result = db_store_begin(store);
    if (result != BASE_OK)
        return result;
    result = upsert_row(store, server, email, user_id);
    if (result == BASE_OK)
        result = find_id(store, server, email, &id);
    result = db_store_end(store, result);
    if (result == BASE_OK)
        *account_id = id;
    return result;
}

static char *text_dup(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);

    return strdup(text ? (const char *)text : "");
}

static enum base_status fill(sqlite3_stmt *stmt, struct db_account *a)
{
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(stmt, 0);
    a->server = text_dup(stmt, 1);
    a->email = text_dup(stmt, 2);
    a->user_id = sqlite3_column_int64(stmt, 3);
    a->company_id = sqlite3_column_int64(stmt, 4);
    a->last_used_at = sqlite3_column_int64(stmt, 5);
    a->has_token = sqlite3_column_int(stmt, 6) != 0;
    a->service_user = sqlite3_column_int(stmt, 7) != 0;
    a->chosen_company = sqlite3_column_int64(stmt, 8);
    if (!a->server || !a->email) {
        db_accounts_clear(a);
        return BASE_E_NOMEM;
    }
    return BASE_OK;
}

static enum base_status grow(struct db_account **list, size_t *cap)
{
    size_t want = *cap ? *cap * 2 : 8;
    struct db_account *bigger = realloc(*list, want * sizeof(**list));

    if (!bigger)
        return BASE_E_NOMEM;
    *list = bigger;
    *cap = want;
    return BASE_OK;
}

static enum base_status collect(struct db_store *store, sqlite3_stmt *stmt,
                                struct db_account **list, size_t *count)
{
    enum base_status result = BASE_OK;
    size_t cap = 0;
    int rc;

    for (;;) {
        rc = sqlite3_step(stmt);
        if (rc != SQLITE_ROW)
            break;
        if (*count == cap)
            result = grow(list, &cap);
        if (result == BASE_OK)
            result = fill(stmt, &(*list)[*count]);
        if (result != BASE_OK)
            return result;
        (*count)++;
    }
    if (rc != SQLITE_DONE)
        result = db_store_sqlite_fail(store, rc, "listing accounts");
    return result;
}

enum base_status db_accounts_list(struct db_store *store,
                                  struct db_account **out, size_t *count)
{
    struct db_account *list = NULL;
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    size_t n = 0;

    if (!store || !out || !count)
        return BASE_E_INVALID;
    result = db_store_prepare(store, ACCOUNT_COLUMNS ACCOUNT_ORDER, &stmt);
    if (result != BASE_OK)
        return result;
    result = collect(store, stmt, &list, &n);
    sqlite3_finalize(stmt);
    if (result != BASE_OK) {
        db_accounts_list_free(&list, n);
        return result;
    }
    *out = list;
    *count = n;
    return BASE_OK;
}

void db_accounts_list_free(struct db_account **list, size_t count)
{
    size_t i;

    if (!list || !*list)
        return;
    for (i = 0; i < count; i++)
        db_accounts_clear(&(*list)[i]);
    free(*list);
    *list = NULL;
}

enum base_status db_accounts_find(struct db_store *store, const char *server,
                                  const char *email, struct db_account *out)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    int rc;

    if (!store || !out)
        return BASE_E_INVALID;
    result = db_store_prepare(store,
                              ACCOUNT_COLUMNS
                              " WHERE (?1 IS NULL OR server = ?1)"
                              " AND (?2 IS NULL OR email = " EMAIL_PARAM
                              ")" ACCOUNT_ORDER " LIMIT 1",
                              &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_text(stmt, 1, server, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, email, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        result = fill(stmt, out);
    else if (rc == SQLITE_DONE)
        result = db_store_fail(store, BASE_E_AUTH, "no such account");
    else
        result = db_store_sqlite_fail(store, rc, "finding the account");
    sqlite3_finalize(stmt);
    return result;
}

void db_accounts_clear(struct db_account *account)
{
    if (!account)
        return;
    free(account->server);
    free(account->email);
    memset(account, 0, sizeof(*account));
}

/* Sets one integer column of the account; sql binds value ?1, id ?2. */
static enum base_status set_column(struct db_store *store, const char *sql,
                                   int64_t account_id, int64_t value,
                                   const char *what)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(store, sql, &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, value);
    sqlite3_bind_int64(stmt, 2, account_id);
    result = db_store_step_done(store, stmt, what);
    sqlite3_finalize(stmt);
    if (result == BASE_OK && sqlite3_changes(store->db) == 0)
        result = db_store_fail(store, BASE_E_AUTH, "no account %lld",
                               (long long)account_id);
    return result;
}

enum base_status db_accounts_set_company(struct db_store *store,
                                         int64_t account_id, int64_t company_id)
{
    if (!store || company_id < 0)
        return BASE_E_INVALID;
    return set_column(store,
                      "UPDATE accounts SET company_id = ?1 WHERE id = ?2",
                      account_id, company_id, "recording the company");
}

enum base_status db_accounts_set_chosen(struct db_store *store,
                                        int64_t account_id, int64_t company_id)
{
    if (!store || company_id < 0)
        return BASE_E_INVALID;
    return set_column(
        store, "UPDATE accounts SET chosen_company_id = ?1 WHERE id = ?2",
        account_id, company_id, "recording the chosen company");
}

enum base_status db_accounts_set_service(struct db_store *store,
                                         int64_t account_id, bool service_user)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    if (!store)
        return BASE_E_INVALID;
    result = db_store_prepare(
        store, "UPDATE accounts SET service_user = ?1 WHERE id = ?2", &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int(stmt, 1, service_user ? 1 : 0);
    sqlite3_bind_int64(stmt, 2, account_id);
    result = db_store_step_done(store, stmt, "marking the account");
    sqlite3_finalize(stmt);
    if (result == BASE_OK && sqlite3_changes(store->db) == 0)
        result = db_store_fail(store, BASE_E_AUTH, "no account %lld",
                               (long long)account_id);
    return result;
}

enum base_status db_accounts_delete(struct db_store *store, int64_t account_id)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    if (!store)
        return BASE_E_INVALID;
    result =
        db_store_prepare(store, "DELETE FROM accounts WHERE id = ?1", &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, account_id);
    result = db_store_step_done(store, stmt, "deleting the account");
    sqlite3_finalize(stmt);
    if (result == BASE_OK)
        db_store_checkpoint(store);
    return result;
}
