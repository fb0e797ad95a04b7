/* Schema migrations: entry N brings a database from user_version N to
 * N + 1; entries are only ever appended. */
#include "db/schema.h"

#include <stdio.h>

#include "db/internal.h"

static const char *const migrations[] = {
    /* 0 -> 1: vault, accounts, encrypted tokens, cached answers. */
    "CREATE TABLE vault_meta ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " format INTEGER NOT NULL,"
    " mode TEXT NOT NULL,"
    " key_id BLOB NOT NULL,"
    " kdf_alg TEXT, salt BLOB, opslimit INTEGER, memlimit INTEGER,"
    " wrap_nonce BLOB NOT NULL,"
    " wrapped_dek BLOB NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " rotated_at INTEGER NOT NULL);"
    "CREATE TABLE accounts ("
    " id INTEGER PRIMARY KEY,"
    " server TEXT NOT NULL,"
    " email TEXT NOT NULL,"
    " user_id INTEGER NOT NULL DEFAULT 0,"
    " company_id INTEGER NOT NULL DEFAULT 0,"
    " last_used_at INTEGER NOT NULL DEFAULT 0,"
    " use_seq INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (server, email));"
    "CREATE TABLE tokens ("
    " id TEXT PRIMARY KEY,"
    " account_id INTEGER NOT NULL UNIQUE"
    "  REFERENCES accounts(id) ON DELETE CASCADE,"
    " key_id BLOB NOT NULL,"
    " nonce BLOB NOT NULL,"
    " ct BLOB NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " last_used_at INTEGER NOT NULL);"
    "CREATE TABLE cache ("
    " account_id INTEGER NOT NULL"
    "  REFERENCES accounts(id) ON DELETE CASCADE,"
    " company_id INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " body BLOB NOT NULL,"
    " stored_at INTEGER NOT NULL,"
    " PRIMARY KEY (account_id, company_id, kind));",
    /* 1 -> 2: emails are kept trimmed and ASCII lower-case, one account
     * per (server, email) whatever the case it was typed in. Of rows
     * that differ only in case, the one with a token (then the most
     * recently used) stays. A token is sealed to its row's email, so the
     * token of a row whose email changes spelling is dropped: that account
     * signs in again once. */
    "DELETE FROM accounts WHERE EXISTS ("
    " SELECT 1 FROM accounts b WHERE b.server = accounts.server"
    " AND lower(trim(b.email)) = lower(trim(accounts.email))"
    " AND b.id != accounts.id"
    " AND (EXISTS (SELECT 1 FROM tokens t WHERE t.account_id = b.id),"
    "  b.last_used_at, b.use_seq, b.id) >"
    " (EXISTS (SELECT 1 FROM tokens t WHERE t.account_id = accounts.id),"
    "  accounts.last_used_at, accounts.use_seq, accounts.id));"
    "DELETE FROM tokens WHERE account_id IN (SELECT id FROM accounts"
    " WHERE email != lower(trim(email)));"
    "UPDATE accounts SET email = lower(trim(email))"
    " WHERE email != lower(trim(email));",
    /* 2 -> 3: the user marks an account as a service (integration) user;
     * existing accounts are ordinary users. */
    "ALTER TABLE accounts ADD COLUMN service_user INTEGER NOT NULL"
    " DEFAULT 0 CHECK (service_user IN (0, 1));",
    /* 3 -> 4: the company the user chose (by a confirmed switch), kept
     * apart from the one this client last saw active, so that pinning
     * goes back to the choice; 0 while none was made. */
    "ALTER TABLE accounts ADD COLUMN chosen_company_id INTEGER NOT NULL"
    " DEFAULT 0;",
    /* 4 -> 5: lists of any size are cached as numbered parts, each list
     * under an id that is never reused (AUTOINCREMENT), so that a reader
     * going part by part notices when the list was replaced meanwhile.
     * Lists cached whole by earlier versions (the views' "view:" kinds)
     * are no longer read and go. */
    "CREATE TABLE cache_lists ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " account_id INTEGER NOT NULL"
    "  REFERENCES accounts(id) ON DELETE CASCADE,"
    " company_id INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " parts INTEGER NOT NULL,"
    " stored_at INTEGER NOT NULL,"
    " UNIQUE (account_id, company_id, kind));"
    "CREATE TABLE cache_parts ("
    " list_id INTEGER NOT NULL"
    "  REFERENCES cache_lists(id) ON DELETE CASCADE,"
    " part INTEGER NOT NULL,"
    " body BLOB NOT NULL,"
    " PRIMARY KEY (list_id, part));"
    "DELETE FROM cache WHERE kind LIKE 'view:%';",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == DB_SCHEMA_VERSION,
               "one migration per schema version");

static enum base_status read_version(struct db_store *store, int *version)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    int rc;

    result = db_store_prepare(store, "PRAGMA user_version", &stmt);
    if (result != BASE_OK)
        return result;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(stmt, 0);
    else
        result = db_store_sqlite_fail(store, rc, "reading the schema");
    sqlite3_finalize(stmt);
    return result;
}

static enum base_status apply(struct db_store *store, int from)
{
    enum base_status result = BASE_OK;
    char pragma[48];
    int v;

    for (v = from; v < DB_SCHEMA_VERSION && result == BASE_OK; v++) {
        result = db_store_exec(store, migrations[v]);
        if (result != BASE_OK)
            break;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
        result = db_store_exec(store, pragma);
    }
    return result;
}

enum base_status db_schema_migrate(struct db_store *store)
{
    enum base_status result;
    int version = 0;

    result = db_store_begin(store);
    if (result != BASE_OK)
        return result;
    result = read_version(store, &version);
    if (result == BASE_OK && version > DB_SCHEMA_VERSION)
        result = db_store_fail(store, BASE_E_STORE,
                               "%s was written by a newer bezala (schema %d; "
                               "this one knows up to %d): use that bezala, "
                               "or move the file aside and sign in again",
                               store->path, version, DB_SCHEMA_VERSION);
    else if (result == BASE_OK && version < 0)
        result = db_store_fail(store, BASE_E_STORE,
                               "%s has an invalid schema version", store->path);
    if (result == BASE_OK)
        result = apply(store, version);
    return db_store_end(store, result);
}
