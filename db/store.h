/* The local store: one SQLite file under the home directory holding
 * accounts, encrypted tokens and cached server answers. */
#ifndef BEZALA_DB_STORE_H
#define BEZALA_DB_STORE_H

#include "base/status.h"

struct db_store;

/* Opens (creating when missing) the store in data_dir and the key file in
 * key_dir; both directories are created 0700 and every file 0600. The
 * process umask is set to 077. Refuses a directory or file that others
 * can read or that is a symlink (BASE_E_PERMISSIONS). A file that SQLite
 * calls damaged or not a database is moved aside (with its WAL) to
 * bezala.db.corrupt-<time>-<pid> and refused (BASE_E_STORE, the error
 * says where it went and to sign in again); the next open of that store
 * in this thread fails once more with the same error, later ones start an
 * empty store. The caller owns *out. */
enum base_status db_store_open(const char *data_dir, const char *key_dir,
                               struct db_store **out)
    __attribute__((warn_unused_result));

/* Checkpoints and truncates the WAL, closes, frees, sets *store to NULL.
 * Accepts NULL. */
void db_store_free(struct db_store **store);

/* The detail of the last failure on this store, borrowed until the next
 * call on it; "" when there was none. Never contains a secret. */
const char *db_store_last_error(const struct db_store *store);

/* The path of the database file; borrowed while the store lives. */
const char *db_store_path(const struct db_store *store);

/* The detail of the last failed db_store_open in this thread (the store
 * is not returned then); static storage, "" when there was none. Never
 * contains a secret. */
const char *db_store_open_error(void);

/* BASE_OK when the vault is open, so stored tokens can be read;
 * BASE_E_LOCKED while a passphrase vault waits for db_vault_unlock (or
 * after db_vault_lock); BASE_E_CRYPTO when it cannot be opened. Of those,
 * only a key file that was replaced or lost in key-file mode is recovered
 * from: tokens are then unreadable and the next db_tokens_put starts a
 * new vault. A damaged vault (its row edited out of the shape of its mode,
 * or removed while tokens remain) and one from a newer bezala are never
 * replaced; db_store_last_error says what to do. BASE_E_INVALID for
 * NULL. */
enum base_status db_store_vault_check(const struct db_store *store)
    __attribute__((warn_unused_result));

#endif
