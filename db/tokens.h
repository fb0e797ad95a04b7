/* Bearer tokens, encrypted with the vault's data key and bound to their
 * row, server and account. */
#ifndef BEZALA_DB_TOKENS_H
#define BEZALA_DB_TOKENS_H

#include <stdint.h>

#include "base/secret.h"
#include "base/status.h"

struct db_store;

/* Encrypts token with a fresh nonce and stores it as the account's only
 * token, replacing any old one (the old ciphertext is wiped from the file
 * and the WAL). BASE_E_LOCKED while a passphrase vault is locked;
 * BASE_E_CRYPTO when the vault cannot be used, is damaged (its row
 * altered or removed; never replaced here) or was changed by another
 * process since this store opened it. */
enum base_status db_tokens_put(struct db_store *store, int64_t account_id,
                               const struct base_secret *token)
    __attribute__((warn_unused_result));

/* Decrypts the account's token into a new secret the caller owns.
 * BASE_E_LOCKED while a passphrase vault is locked (checked first);
 * BASE_E_CRYPTO while the vault is damaged (its row altered or removed);
 * BASE_E_AUTH when there is none; BASE_E_TOKEN_UNREADABLE when it does
 * not decrypt (tampered, moved from another row, key changed): nothing is
 * returned and *out is left alone. */
enum base_status db_tokens_get(struct db_store *store, int64_t account_id,
                               struct base_secret **out)
    __attribute__((warn_unused_result));

/* Deletes the account's token and checkpoints the WAL so that no copy of
 * the ciphertext remains in it. BASE_OK when there was none. */
enum base_status db_tokens_delete(struct db_store *store, int64_t account_id)
    __attribute__((warn_unused_result));

/* Deletes every account's token (the accounts stay) and checkpoints the
 * WAL. BASE_E_INVALID for NULL. */
enum base_status db_tokens_delete_all(struct db_store *store)
    __attribute__((warn_unused_result));

#endif
