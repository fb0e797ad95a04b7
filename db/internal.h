/* The store's private state and the helpers that the db/ files share. */
#ifndef BEZALA_DB_INTERNAL_H
#define BEZALA_DB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "base/secret.h"
#include "base/status.h"

#define DB_KEY_ID_BYTES 16
#define DB_ERROR_MAX 512

/* Whether the data key is open. A mismatch (the key file replaced or
 * lost in key-file mode) leaves accounts and cache usable and makes every
 * token unreadable until the next sign-in stores a new vault. A locked
 * vault (passphrase mode, or after db_vault_lock) waits for
 * db_vault_unlock and is never replaced on its own. A damaged vault (the
 * row edited out of the shape of its mode, or removed while tokens
 * remain) is refused and never replaced on its own either. */
enum db_vault_state {
    DB_VAULT_CLOSED,
    DB_VAULT_READY,
    DB_VAULT_MISMATCH,
    DB_VAULT_UNSUPPORTED,
    DB_VAULT_LOCKED,
    DB_VAULT_DAMAGED
};

/* The reason given for a damaged vault (BASE_E_CRYPTO). */
#define DB_VAULT_DAMAGED_TEXT                                         \
    "the vault row was altered or removed: restore bezala.db from a " \
    "backup, or move it aside and sign in again"

struct db_store {
    sqlite3 *db;
    int configured; /* WAL mode is on, so a checkpoint makes sense */
    int corrupt;    /* SQLite said the file is not a database or damaged */
    char *path;     /* data_dir/bezala.db */
    char *key_dir;
    char *key_path; /* key_dir/key */
    enum db_vault_state vault;
    unsigned char key_id[DB_KEY_ID_BYTES];
    struct base_secret *record_key; /* subkey 1 of the data key */
    /* Passphrase mode: the Argon2id output of the last unlock, kept in
     * locked memory while the vault is open so that db_vault_rekey can
     * wrap a new data key without asking again; wiped on lock. */
    struct base_secret *kek;
    char error[DB_ERROR_MAX];
};

/* Records a non-secret detail in store->error and returns status. */
enum base_status db_store_fail(struct db_store *store, enum base_status status,
                               const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Maps an SQLite result code to a status and records what failed with
 * SQLite's message (which never holds bound values). */
enum base_status db_store_sqlite_fail(struct db_store *store, int rc,
                                      const char *what);

/* Runs constant SQL (no data); maps failures. */
enum base_status db_store_exec(struct db_store *store, const char *sql)
    __attribute__((warn_unused_result));

/* Prepares constant SQL; the caller finalizes *out. */
enum base_status db_store_prepare(struct db_store *store, const char *sql,
                                  sqlite3_stmt **out)
    __attribute__((warn_unused_result));

/* Steps stmt once and expects SQLITE_DONE. */
enum base_status db_store_step_done(struct db_store *store, sqlite3_stmt *stmt,
                                    const char *what)
    __attribute__((warn_unused_result));

/* BEGIN IMMEDIATE, so that writers queue on the busy timeout instead of
 * failing half-way. */
enum base_status db_store_begin(struct db_store *store)
    __attribute__((warn_unused_result));

/* Commits when result is BASE_OK, rolls back otherwise; returns result,
 * or the commit's failure. */
enum base_status db_store_end(struct db_store *store, enum base_status result)
    __attribute__((warn_unused_result));

/* PRAGMA wal_checkpoint(TRUNCATE): moves the WAL into the database file
 * (where secure_delete has zeroed deleted rows) and empties the WAL. A
 * reader holding the WAL open makes it fail; that is logged, not fatal. */
void db_store_checkpoint(struct db_store *store);

/* True when account_id names an existing account; fills server and email
 * (caller frees) when they are not NULL. BASE_E_AUTH when it does not
 * exist. */
enum base_status db_store_account(struct db_store *store, int64_t account_id,
                                  char **server, char **email)
    __attribute__((warn_unused_result));

/* Seconds since the epoch. */
int64_t db_store_now(void);

/* Vault internals (db/vault.c), used by the store and the tokens. */

/* In key-file mode reads store->key_path (creating it with 32 random
 * bytes when missing), then unwraps the vault's data key, or creates a
 * key-file vault when there is none, and keeps the record key in
 * store->record_key. When the key file does not unlock the vault this
 * still returns BASE_OK and leaves store->vault at DB_VAULT_MISMATCH with
 * the reason in the last error. In passphrase mode it leaves the vault
 * DB_VAULT_LOCKED without touching the key file. BASE_E_PERMISSIONS or
 * BASE_E_CRYPTO for an unusable key file. */
enum base_status db_vault_open(struct db_store *store)
    __attribute__((warn_unused_result));

/* After a mismatch: unless another process has already done so, replaces
 * the vault with a new data key under the current key file and deletes
 * the token rows, which no key can read any more. BASE_E_CRYPTO when the
 * vault is of a kind this build cannot replace. */
enum base_status db_vault_reset(struct db_store *store)
    __attribute__((warn_unused_result));

/* Wipes the record key and the KEK and marks the vault closed. */
void db_vault_close(struct db_store *store);

/* BASE_OK when vault_meta holds the key_id this handle unlocked, or when
 * another process only rotated the data key meanwhile: the new one is
 * then unwrapped with the key this handle holds (the key file, or the
 * kept KEK) and installed. BASE_E_CRYPTO (with the reason) when the vault
 * was replaced or its KEK changed so that the held key no longer opens
 * it. Call inside the write transaction, or before re-reading a row. */
enum base_status db_vault_follow(struct db_store *store)
    __attribute__((warn_unused_result));

/* Called by the token re-encryption after each row (test hook). */
void db_vault_rekey_progress(size_t row);

/* Re-encrypts every token row under new_record_key and new_key_id with
 * fresh nonces, inside the caller's transaction; rows that no longer
 * decrypt are deleted (no key could read them after the rotation). */
enum base_status db_tokens_reseal_all(struct db_store *store,
                                      const struct base_secret *new_record_key,
                                      const unsigned char *new_key_id)
    __attribute__((warn_unused_result));

#endif
