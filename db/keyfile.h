/* The key file that wraps the data key in key-file mode (internal to
 * db/). */
#ifndef BEZALA_DB_KEYFILE_H
#define BEZALA_DB_KEYFILE_H

#include "base/status.h"

struct db_store;

#define DB_KEYFILE_BYTES 32

/* Reads store->key_path into key (DB_KEYFILE_BYTES of locked memory the
 * caller owns), creating the file with random bytes when it is missing.
 * BASE_E_PERMISSIONS for a loose or linked file, BASE_E_CRYPTO for one of
 * the wrong size, BASE_E_IO when it cannot be read or written. */
enum base_status db_keyfile_load(struct db_store *store, unsigned char *key)
    __attribute__((warn_unused_result));

/* Reads store->key_path into key as db_keyfile_load does, with the same
 * checks, but never creates it: *missing is 1 (and key untouched) when
 * there is no key file. */
enum base_status db_keyfile_read(struct db_store *store, unsigned char *key,
                                 int *missing)
    __attribute__((warn_unused_result));

/* Replaces the key file with new random bytes (the old one, if any, is
 * unlinked first) and reads them into key. Errors as for load. */
enum base_status db_keyfile_renew(struct db_store *store, unsigned char *key)
    __attribute__((warn_unused_result));

/* Unlinks the key file. BASE_OK when it is gone (or was never there);
 * BASE_E_IO with the reason when it could not be removed. */
enum base_status db_keyfile_remove(struct db_store *store)
    __attribute__((warn_unused_result));

#endif
