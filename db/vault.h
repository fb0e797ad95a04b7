/* The vault: the data key that encrypts tokens, wrapped under a key file
 * (the default) or under Argon2id of a passphrase. */
#ifndef BEZALA_DB_VAULT_H
#define BEZALA_DB_VAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/secret.h"
#include "base/status.h"

struct db_store;

enum db_vault_mode { DB_VAULT_KEYFILE, DB_VAULT_PASSPHRASE };

struct db_vault_info {
    enum db_vault_mode mode;
    bool unlocked;               /* tokens can be read now */
    char kdf_alg[16];            /* "argon2id13", "" in key-file mode */
    unsigned long long opslimit; /* 0 in key-file mode */
    size_t memlimit;             /* bytes; 0 in key-file mode */
};

/* Fills *out from the vault as stored now. BASE_E_INVALID for NULL,
 * BASE_E_CRYPTO when the vault is damaged (its row altered or removed
 * while tokens remain) or of a kind this build cannot open. */
enum base_status db_vault_info(struct db_store *store,
                               struct db_vault_info *out)
    __attribute__((warn_unused_result));

/* In passphrase mode db_store_open leaves the vault locked: db_tokens_get
 * returns BASE_E_LOCKED and db_tokens_put BASE_E_LOCKED until unlock.
 * The passphrase is taken as given (bytes, e.g. UTF-8 as typed, no
 * normalisation). BASE_E_PASSPHRASE when it is wrong or the wrapped key
 * was changed; BASE_E_CRYPTO when the row was edited out of the shape of
 * its mode (a damaged vault); BASE_E_KDF_PARAMS when the stored Argon2id
 * settings are out of range or not stored as integers (refused before any
 * key derivation); BASE_E_NOMEM when the
 * derivation cannot get its memory. In key-file mode the passphrase is
 * not used (it may be NULL) and the key file opens the vault again:
 * BASE_E_CRYPTO when it does not. */
enum base_status db_vault_unlock(struct db_store *store,
                                 const struct base_secret *passphrase)
    __attribute__((warn_unused_result));

/* Sets (old NULL in key-file mode), changes, or with new_passphrase NULL
 * removes the passphrase (back to key-file mode) in one transaction, then
 * checkpoints the WAL. Changing one passphrase for another rewraps the
 * same DEK. Setting one in key-file mode also rotates the DEK (every token
 * re-encrypted, as db_vault_rekey does) and then deletes the key file;
 * removing one writes a fresh key file and rotates the DEK too, so an old
 * copy of the row opens none of the current tokens. A wrong old
 * passphrase changes nothing: BASE_E_PASSPHRASE (BASE_E_LOCKED when it is
 * NULL but the vault has one; BASE_E_KDF_PARAMS as for unlock;
 * BASE_E_CRYPTO for a damaged vault). New wraps use Argon2id MODERATE
 * with a new random salt, INTERACTIVE when MODERATE cannot get its memory.
 * BASE_E_INVALID for an empty new passphrase; BASE_E_CRYPTO when the key
 * file does not open a key-file vault. On success the vault is unlocked
 * and db_store_last_error holds a note worth showing, or "": the
 * INTERACTIVE fallback, or a key file that could not be deleted. */
enum base_status
db_vault_set_passphrase(struct db_store *store,
                        const struct base_secret *old_passphrase,
                        const struct base_secret *new_passphrase)
    __attribute__((warn_unused_result));

/* New DEK and key id; every token re-encrypted with fresh nonces in one
 * transaction; then wal_checkpoint(TRUNCATE) and VACUUM. Needs the vault
 * unlocked: BASE_E_LOCKED otherwise. In passphrase mode the new DEK is
 * wrapped under the KEK kept (in locked memory) since the last unlock or
 * set_passphrase, so no passphrase is asked again; db_vault_lock wipes it.
 * BASE_E_CRYPTO when another process changed the vault since this handle
 * opened it. */
enum base_status db_vault_rekey(struct db_store *store)
    __attribute__((warn_unused_result));

/* Forgets the unlocked key (wiped). Accepts NULL. */
void db_vault_lock(struct db_store *store);

#endif
