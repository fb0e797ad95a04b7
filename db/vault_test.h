/* Hooks for the db tests only: cheaper KDF limits, a pause inside key
 * rotation and the wrap's known-answer computation. Never call these
 * from the program. */
#ifndef BEZALA_DB_VAULT_TEST_H
#define BEZALA_DB_VAULT_TEST_H

#include <stddef.h>

#include "base/secret.h"
#include "base/status.h"

/* The KDF limits used for new wraps in this process (tests use the
 * minimum so suites stay fast); the floor accepted on read drops to them
 * when they are below INTERACTIVE. (0, 0) restores the defaults. */
void db_vault_test_set_kdf(unsigned long long opslimit, size_t memlimit);

/* Called inside db_vault_rekey's transaction after each re-encrypted
 * token row (row counts from 1); NULL removes it. */
void db_vault_test_set_rekey_hook(void (*hook)(size_t row));

/* The passphrase wrap with every input fixed: Argon2id13 of passphrase
 * with salt (16 bytes) at the given limits, then dek (32 bytes) sealed
 * with nonce (24 bytes) and the vault_meta associated data of a format 1
 * passphrase row with key_id (16 bytes). Writes 48 bytes to out. */
enum base_status
db_vault_test_wrap(const struct base_secret *passphrase,
                   const unsigned char *salt, unsigned long long opslimit,
                   size_t memlimit, const unsigned char *key_id,
                   const unsigned char *nonce, const unsigned char *dek,
                   unsigned char *out) __attribute__((warn_unused_result));

#endif
