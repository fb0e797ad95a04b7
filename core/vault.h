/* The vault as the subcommands manage it without a session: its mode and
 * key settings, the passphrase, the data key's rotation. Each call opens
 * the store, acts and closes it again. */
#ifndef BEZALA_CORE_VAULT_H
#define BEZALA_CORE_VAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/secret.h"
#include "base/status.h"

struct core_vault_info {
    bool passphrase;             /* passphrase mode; key-file mode if not */
    bool unlocked;               /* tokens readable as the store opened */
    char kdf_alg[16];            /* "argon2id13"; "" in key-file mode */
    unsigned long long opslimit; /* 0 in key-file mode */
    size_t memlimit;             /* bytes; 0 in key-file mode */
};

/* The vault's mode and parameters in *out. The KDF does not run. */
enum base_status core_vault_info(const char *data_dir, const char *key_dir,
                                 struct core_vault_info *out)
    __attribute__((warn_unused_result));

/* {"mode": "keyfile"|"passphrase", "kdf": {"alg","opslimit","memlimit"}
 * or null}; a new text the caller frees, NULL for NULL or no memory. */
char *core_vault_info_json(const struct core_vault_info *info);

/* Sets (old_passphrase NULL in key-file mode), changes, or with
 * new_passphrase NULL removes the passphrase (back to key-file mode).
 * The data key is rewrapped in one transaction. BASE_E_PASSPHRASE for a
 * wrong old passphrase, BASE_E_LOCKED when it is missing in passphrase
 * mode, BASE_E_KDF_PARAMS for stored parameters out of range,
 * BASE_E_USAGE for removing a passphrase that is not set: nothing changes
 * then. Setting a passphrase in key-file mode also rotates the data key
 * and deletes the key file; removing one writes a fresh key file and
 * rotates the data key. On success core_vault_last_error() holds a note
 * worth showing (e.g. the old key file could not be deleted), or "". */
enum base_status
core_vault_set_passphrase(const char *data_dir, const char *key_dir,
                          const struct base_secret *old_passphrase,
                          const struct base_secret *new_passphrase)
    __attribute__((warn_unused_result));

/* A new data key; every token re-encrypted in one transaction, then the
 * WAL checkpointed. passphrase unlocks a vault in passphrase mode (NULL
 * there: BASE_E_LOCKED; wrong: BASE_E_PASSPHRASE) and is ignored in
 * key-file mode. */
enum base_status core_vault_rekey(const char *data_dir, const char *key_dir,
                                  const struct base_secret *passphrase)
    __attribute__((warn_unused_result));

/* Forgets the unlocked key of the store (db_vault_lock). */
enum base_status core_vault_lock(const char *data_dir, const char *key_dir)
    __attribute__((warn_unused_result));

/* Why the last core_vault_* call of this thread failed, one line without
 * a secret; "" when it did not (except for the note of
 * core_vault_set_passphrase). Static storage. */
const char *core_vault_last_error(void);

#endif
