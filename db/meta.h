/* The vault_meta row: how the data key is wrapped, and the wrap itself
 * (internal to db/). */
#ifndef BEZALA_DB_META_H
#define BEZALA_DB_META_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "db/internal.h"

struct db_store;

#define DB_META_FORMAT 1
#define DB_META_KEYFILE "keyfile"
#define DB_META_PASSPHRASE "passphrase"
#define DB_META_KDF_ALG "argon2id13"
#define DB_META_KEY_BYTES 32
#define DB_META_SALT_BYTES 16
#define DB_META_NONCE_BYTES 24
#define DB_META_WRAPPED_BYTES (DB_META_KEY_BYTES + 16)

/* One vault_meta row; the kdf fields are empty and 0 in key-file mode. */
struct db_meta {
    int64_t format;
    char mode[16];
    char kdf_alg[32];
    unsigned char key_id[DB_KEY_ID_BYTES];
    unsigned char salt[32];
    size_t salt_len;
    int64_t opslimit;
    int64_t memlimit;
    unsigned char nonce[DB_META_NONCE_BYTES];
    unsigned char wrapped[DB_META_WRAPPED_BYTES];
    int intact;         /* every blob had its expected size */
    int kdf_columns;    /* how many of kdf_alg, salt, opslimit, memlimit are
                           not NULL (none in key-file mode, all four in
                           passphrase mode) */
    int limits_integer; /* opslimit and memlimit are stored as integers */
};

/* Reads the row into *m; *found is 0 when there is none. */
enum base_status db_meta_read(struct db_store *store, struct db_meta *m,
                              int *found) __attribute__((warn_unused_result));

/* Inserts or rewrites the row (created_at is kept, rotated_at set now). */
enum base_status db_meta_write(struct db_store *store, const struct db_meta *m)
    __attribute__((warn_unused_result));

/* 1 for a key-file row, 2 for a passphrase row, 0 for one this build does
 * not know. */
int db_meta_kind(const struct db_meta *m);

/* Encrypts dek under kek into m->wrapped with m->nonce (which the caller
 * sets) and every other field of m as associated data. */
enum base_status db_meta_wrap(struct db_meta *m, const unsigned char *kek,
                              const unsigned char *dek)
    __attribute__((warn_unused_result));

/* Decrypts m->wrapped into dek; BASE_E_PASSPHRASE when it does not open
 * (wrong key or any field changed). */
enum base_status db_meta_unwrap(const struct db_meta *m,
                                const unsigned char *kek, unsigned char *dek)
    __attribute__((warn_unused_result));

#endif
