/* The key hierarchy: the key file wraps a random data key kept in
 * vault_meta, and the data key derives the record key for tokens. */
#ifndef BEZALA_DB_VAULT_H
#define BEZALA_DB_VAULT_H

#include "base/status.h"

struct db_store;

/* Reads store->key_path (creating it with 32 random bytes when missing),
 * then unwraps the vault's data key, or creates the vault when there is
 * none, and keeps the record key in store->record_key. When the key file
 * does not unlock the vault this still returns BASE_OK and leaves
 * store->vault at DB_VAULT_MISMATCH with the reason in the last error.
 * BASE_E_PERMISSIONS or BASE_E_CRYPTO for an unusable key file. */
enum base_status db_vault_open(struct db_store *store)
    __attribute__((warn_unused_result));

/* After a mismatch: unless another process has already done so, replaces
 * the vault with a new data key under the current key file and deletes
 * the token rows, which no key can read any more. BASE_E_CRYPTO when the
 * vault is of a kind this build cannot replace. */
enum base_status db_vault_reset(struct db_store *store)
    __attribute__((warn_unused_result));

/* Wipes the record key. */
void db_vault_close(struct db_store *store);

#endif
