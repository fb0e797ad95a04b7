/* Read-only inspection of the home directory, the store and the key file
 * for `bezala doctor`: the checks db_store_open makes, with nothing
 * created, moved or repaired. */
#ifndef BEZALA_DB_INSPECT_H
#define BEZALA_DB_INSPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

/* The vault a store holds, as far as it can be seen without a key. */
enum db_inspect_vault {
    DB_INSPECT_VAULT_NONE,       /* no vault yet (made at the first sign-in) */
    DB_INSPECT_VAULT_KEYFILE,    /* the data key is wrapped by the key file */
    DB_INSPECT_VAULT_PASSPHRASE, /* ... by Argon2id of a passphrase */
    DB_INSPECT_VAULT_UNKNOWN     /* a row this build cannot read */
};

struct db_inspect_store_info {
    bool exists;        /* bezala.db is there */
    bool empty;         /* ... but holds no table and no version yet */
    int schema_version; /* its PRAGMA user_version; 0 when missing */
    int schema_known;   /* the newest version this build knows */
    enum db_inspect_vault vault;
    long long tokens; /* stored (encrypted) tokens */
};

/* Checks dir as db_store_open would (a real directory owned by the
 * effective user, no group or other access) without creating it.
 * *missing is set when it does not exist. BASE_E_PERMISSIONS or BASE_E_IO
 * with the reason and the fix in err; BASE_E_INVALID for NULL. */
enum base_status db_inspect_dir(const char *dir, bool *missing, char *err,
                                size_t err_size)
    __attribute__((warn_unused_result));

/* Opens data_dir/bezala.db read-only (not following a symlink) after
 * checking its and its sidecars' modes, runs PRAGMA integrity_check and
 * reads the schema version and the vault's kind into *out. Creates no
 * file: without both a -wal and a -shm file next to it the store is read
 * as immutable, so SQLite makes neither. A missing file is BASE_OK with
 * out->exists false; an empty one (version 0, no table) BASE_OK with
 * out->empty. BASE_E_PERMISSIONS for a loose or linked file, BASE_E_STORE
 * for a damaged file, one that is not a database, one from a newer
 * schema, one with tables but version 0, or one of this build's version
 * that lacks a table the schema makes; the reason and the fix in err. */
enum base_status db_inspect_store(const char *data_dir,
                                  struct db_inspect_store_info *out, char *err,
                                  size_t err_size)
    __attribute__((warn_unused_result));

/* What the key file check found. */
enum db_inspect_key {
    DB_INSPECT_KEY_OK,       /* there, private, the right size */
    DB_INSPECT_KEY_MISSING,  /* not there (made at the first sign-in) */
    DB_INSPECT_KEY_LINK,     /* a symbolic link, which is never followed */
    DB_INSPECT_KEY_NOT_FILE, /* a directory, FIFO, ... */
    DB_INSPECT_KEY_SIZE,     /* a file of another size than a key's */
    DB_INSPECT_KEY_MISMATCH, /* a key, but not the vault's */
    DB_INSPECT_KEY_OTHER     /* its mode, owner, or an I/O error */
};

/* Checks key_dir/key as db_store_open would read it (a regular private
 * file of the effective user holding the key's size) without creating
 * it. With open_vault true it also unwraps the key-file vault of
 * data_dir/bezala.db with it (the keys are wiped at once): BASE_E_CRYPTO
 * when it does not open it. Otherwise BASE_E_PERMISSIONS, BASE_E_CRYPTO
 * (wrong size) or BASE_E_IO with the reason and the fix in err. *found
 * says what was found (MISSING or OK on BASE_OK, the failed check
 * otherwise) and is set for every status but BASE_E_INVALID. */
enum base_status db_inspect_keyfile(const char *data_dir, const char *key_dir,
                                    bool open_vault, enum db_inspect_key *found,
                                    char *err, size_t err_size)
    __attribute__((warn_unused_result));

#endif
