/* The vault: opening the data key with the key file or a passphrase,
 * changing how it is wrapped, and rotating it. */
#include "db/vault.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "db/internal.h"
#include "db/keyfile.h"
#include "db/meta.h"
#include "db/vault_test.h"

#define KEY_BYTES DB_META_KEY_BYTES
#define RECORD_SUBKEY_ID 1
#define KDF_CONTEXT "bzTOKENS"
#define OPS_CAP 10LL
#define MEM_CAP (1024LL * 1024 * 1024)
#define MIB (1024LL * 1024)
#define OPS_FLOOR crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM_FLOOR crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(KEY_BYTES == crypto_kdf_KEYBYTES, "the DEK is a KDF key");
_Static_assert(DB_KEYFILE_BYTES == KEY_BYTES, "the key file is one key");
_Static_assert(sizeof(((struct db_vault_info *)0)->kdf_alg) >
                   sizeof(DB_META_KDF_ALG),
               "the algorithm name fits the info");

/* Limits for new wraps; only the test hook lowers them. */
static unsigned long long create_ops = crypto_pwhash_OPSLIMIT_MODERATE;
static size_t create_mem = crypto_pwhash_MEMLIMIT_MODERATE;
static void (*rekey_hook)(size_t row);

void db_vault_test_set_kdf(unsigned long long opslimit, size_t memlimit)
{
    bool reset = opslimit == 0 && memlimit == 0;

    create_ops = reset ? crypto_pwhash_OPSLIMIT_MODERATE : opslimit;
    create_mem = reset ? crypto_pwhash_MEMLIMIT_MODERATE : memlimit;
}

void db_vault_test_set_rekey_hook(void (*hook)(size_t row))
{
    rekey_hook = hook;
}

void db_vault_rekey_progress(size_t row)
{
    if (rekey_hook)
        rekey_hook(row);
}

/* INTERACTIVE, or lower only while the test hook asks for less. */
static int64_t floor_ops(void)
{
    return (int64_t)(create_ops < OPS_FLOOR ? create_ops : OPS_FLOOR);
}

static int64_t floor_mem(void)
{
    return (int64_t)(create_mem < MEM_FLOOR ? create_mem : MEM_FLOOR);
}

/* Runs before any key derivation, so that an edited row cannot make the
 * KDF allocate or spin. bezala never writes settings outside these
 * bounds, so a row that has them was altered. */
static enum base_status check_params(struct db_store *store,
                                     const struct db_meta *m)
{
    if (strcmp(m->kdf_alg, DB_META_KDF_ALG) != 0 ||
        m->salt_len != DB_META_SALT_BYTES || !m->limits_integer)
        return db_store_fail(store, BASE_E_KDF_PARAMS,
                             "the key derivation settings of the vault in "
                             "%s were altered (unknown algorithm, salt size "
                             "or limits that are not integers): restore "
                             "bezala.db from a backup",
                             store->path);
    if (m->opslimit > OPS_CAP || m->memlimit > MEM_CAP)
        return db_store_fail(store, BASE_E_KDF_PARAMS,
                             "the vault's opslimit %lld and memlimit %lld "
                             "bytes exceed the maximum of %lld and 1 GiB, "
                             "so the vault row was altered: restore "
                             "bezala.db from a backup",
                             (long long)m->opslimit, (long long)m->memlimit,
                             OPS_CAP);
    if (m->opslimit < floor_ops() || m->memlimit < floor_mem())
        return db_store_fail(store, BASE_E_KDF_PARAMS,
                             "the vault's opslimit %lld and memlimit %lld "
                             "bytes are too weak (below %lld and %lld), so "
                             "the vault row was altered: restore bezala.db "
                             "from a backup",
                             (long long)m->opslimit, (long long)m->memlimit,
                             (long long)OPS_FLOOR, (long long)MEM_FLOOR);
    return BASE_OK;
}

static int pwhash(unsigned char *kek, const struct base_secret *passphrase,
                  const struct db_meta *m)
{
    return crypto_pwhash(
        kek, KEY_BYTES, (const char *)base_secret_bytes(passphrase),
        base_secret_len(passphrase), m->salt, (unsigned long long)m->opslimit,
        (size_t)m->memlimit, crypto_pwhash_ALG_ARGON2ID13);
}

static enum base_status kdf_nomem(struct db_store *store, int64_t memlimit)
{
    return db_store_fail(store, BASE_E_NOMEM,
                         "Argon2id could not get its %lld MiB of memory",
                         (long long)(memlimit / MIB));
}

/* The KEK for a stored passphrase row; the limits are checked first. */
static enum base_status derive_kek(struct db_store *store,
                                   const struct base_secret *passphrase,
                                   const struct db_meta *m, unsigned char *kek)
{
    enum base_status result = check_params(store, m);

    if (result != BASE_OK)
        return result;
    if (pwhash(kek, passphrase, m) != 0)
        return kdf_nomem(store, m->memlimit);
    return BASE_OK;
}

static void use_limits(struct db_meta *m, unsigned long long ops, size_t mem)
{
    m->opslimit = (int64_t)ops;
    m->memlimit = (int64_t)mem;
}

/* A new salt and the KEK for a new passphrase; falls back to INTERACTIVE
 * when the preferred limits cannot get their memory. */
static enum base_status new_kek(struct db_store *store,
                                const struct base_secret *passphrase,
                                struct db_meta *m, unsigned char *kek)
{
    memcpy(m->mode, DB_META_PASSPHRASE, sizeof(DB_META_PASSPHRASE));
    memcpy(m->kdf_alg, DB_META_KDF_ALG, sizeof(DB_META_KDF_ALG));
    m->salt_len = DB_META_SALT_BYTES;
    randombytes_buf(m->salt, m->salt_len);
    use_limits(m, create_ops, create_mem);
    if (pwhash(kek, passphrase, m) == 0)
        return BASE_OK;
    if (create_ops <= OPS_FLOOR && create_mem <= MEM_FLOOR)
        return kdf_nomem(store, m->memlimit);
    use_limits(m, OPS_FLOOR, MEM_FLOOR);
    if (pwhash(kek, passphrase, m) != 0)
        return kdf_nomem(store, m->memlimit);
    base_log(BASE_LOG_WARN,
             "store: not enough memory for Argon2id at %zu MiB; the "
             "passphrase was set with the INTERACTIVE limits (%lld MiB)",
             create_mem / (size_t)MIB, (long long)(MEM_FLOOR / MIB));
    db_store_fail(store, BASE_OK,
                  "not enough memory for Argon2id at %zu MiB: the "
                  "passphrase was set with the INTERACTIVE limits "
                  "(%lld MiB)",
                  create_mem / (size_t)MIB, (long long)(MEM_FLOOR / MIB));
    return BASE_OK;
}

static enum base_status derive_record(const unsigned char *dek,
                                      struct base_secret **out)
{
    unsigned char *sub = sodium_malloc(KEY_BYTES);
    enum base_status result = BASE_E_NOMEM;

    if (sub && crypto_kdf_derive_from_key(sub, KEY_BYTES, RECORD_SUBKEY_ID,
                                          KDF_CONTEXT, dek) == 0)
        result = base_secret_new(sub, KEY_BYTES, out);
    else if (sub)
        result = BASE_E_CRYPTO;
    sodium_free(sub);
    return result;
}

static void forget(struct db_store *store, enum db_vault_state state)
{
    base_secret_free(&store->record_key);
    base_secret_free(&store->kek);
    store->vault = state;
}

/* Makes dek the open data key; kek (passphrase mode) is kept for rekey. */
static enum base_status install(struct db_store *store,
                                const unsigned char *dek,
                                const unsigned char *key_id,
                                const unsigned char *kek)
{
    struct base_secret *record = NULL;
    struct base_secret *kept = NULL;
    enum base_status result;

    result = derive_record(dek, &record);
    if (result == BASE_OK && kek)
        result = base_secret_new(kek, KEY_BYTES, &kept);
    if (result != BASE_OK) {
        base_secret_free(&record);
        return result;
    }
    forget(store, DB_VAULT_READY);
    store->record_key = record;
    store->kek = kept;
    memcpy(store->key_id, key_id, sizeof(store->key_id));
    return BASE_OK;
}

/* 1 when the tokens table has a row. */
static enum base_status any_tokens(struct db_store *store, int *any)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    int rc;

    result =
        db_store_prepare(store, "SELECT EXISTS (SELECT 1 FROM tokens)", &stmt);
    if (result != BASE_OK)
        return result;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *any = sqlite3_column_int(stmt, 0) != 0;
    else
        result = db_store_sqlite_fail(store, rc, "counting the tokens");
    sqlite3_finalize(stmt);
    return result;
}

/* What the row's shape says before any key is tried: DB_VAULT_DAMAGED for
 * a key-file row that carries KDF settings, a passphrase row without all
 * of them, or no row while tokens remain (none of which bezala writes);
 * DB_VAULT_LOCKED for a passphrase row; DB_VAULT_CLOSED when the key file
 * decides (a key-file row, a row of an unknown kind, or no row at all). */
static enum base_status judge(struct db_store *store, const struct db_meta *m,
                              int found, enum db_vault_state *state)
{
    enum base_status result = BASE_OK;
    int kind = found ? db_meta_kind(m) : 0;
    int any = 0;

    *state = DB_VAULT_CLOSED;
    if (!found)
        result = any_tokens(store, &any);
    if (result != BASE_OK)
        return result;
    if ((!found && any) || (kind == 1 && m->kdf_columns != 0) ||
        (kind == 2 && m->kdf_columns != 4))
        *state = DB_VAULT_DAMAGED;
    else if (kind == 2)
        *state = DB_VAULT_LOCKED;
    if (*state == DB_VAULT_DAMAGED)
        db_store_fail(store, BASE_E_CRYPTO, DB_VAULT_DAMAGED_TEXT);
    return BASE_OK;
}

/* Key-file mode: decides what a row of the right shape is and unwraps it
 * when it can. */
static enum base_status classify(struct db_store *store,
                                 const struct db_meta *m,
                                 const unsigned char *kek, unsigned char *dek,
                                 enum db_vault_state *state)
{
    enum base_status result;

    if (db_meta_kind(m) != 1) {
        *state = DB_VAULT_UNSUPPORTED;
        db_store_fail(store, BASE_E_CRYPTO,
                      "the vault in %s is of a kind this bezala cannot "
                      "open (format %lld): use the bezala that made it",
                      store->path, (long long)m->format);
        return BASE_OK;
    }
    result = db_meta_unwrap(m, kek, dek);
    if (result == BASE_E_NOMEM)
        return result;
    *state = result == BASE_OK ? DB_VAULT_READY : DB_VAULT_MISMATCH;
    if (result != BASE_OK)
        db_store_fail(store, BASE_E_CRYPTO,
                      "the key file %s does not open the vault in %s, so "
                      "the stored tokens cannot be read: sign in again",
                      store->key_path, store->path);
    return BASE_OK;
}

/* A new data key in dek, wrapped under the key file into a new row. */
static enum base_status create_meta(struct db_store *store,
                                    const unsigned char *kek,
                                    unsigned char *dek, struct db_meta *m)
{
    enum base_status result;

    memset(m, 0, sizeof(*m));
    m->format = DB_META_FORMAT;
    memcpy(m->mode, DB_META_KEYFILE, sizeof(DB_META_KEYFILE));
    randombytes_buf(m->key_id, sizeof(m->key_id));
    randombytes_buf(m->nonce, sizeof(m->nonce));
    crypto_aead_xchacha20poly1305_ietf_keygen(dek);
    result = db_meta_wrap(m, kek, dek);
    if (result == BASE_OK)
        result = db_meta_write(store, m);
    return result;
}

static enum base_status delete_tokens(struct db_store *store)
{
    base_log(BASE_LOG_WARN,
             "store: the vault in %s was replaced; tokens "
             "stored under the old key were dropped",
             store->path);
    return db_store_exec(store, "DELETE FROM tokens");
}

static enum base_status open_keyfile(struct db_store *store,
                                     const unsigned char *kek,
                                     unsigned char *dek, int replace)
{
    enum db_vault_state state = DB_VAULT_CLOSED;
    struct db_meta m;
    enum base_status result;
    int found = 0;

    memset(&m, 0, sizeof(m));
    result = db_store_begin(store);
    if (result != BASE_OK)
        return result;
    result = db_meta_read(store, &m, &found);
    if (result == BASE_OK)
        result = judge(store, &m, found, &state);
    if (result == BASE_OK && found && state == DB_VAULT_CLOSED)
        result = classify(store, &m, kek, dek, &state);
    if (result == BASE_OK && ((!found && state == DB_VAULT_CLOSED) ||
                              (replace && state == DB_VAULT_MISMATCH))) {
        result = create_meta(store, kek, dek, &m);
        if (result == BASE_OK && found)
            result = delete_tokens(store);
        state = DB_VAULT_READY;
    }
    result = db_store_end(store, result);
    if (result == BASE_OK && state == DB_VAULT_READY)
        result = install(store, dek, m.key_id, NULL);
    else if (result == BASE_OK)
        forget(store, state);
    if (result == BASE_OK)
        memcpy(store->key_id, m.key_id, sizeof(store->key_id));
    sodium_memzero(&m, sizeof(m));
    return result;
}

/* A passphrase vault stays locked and a damaged one refused; the key
 * file is left alone for both. *stop is set for them. */
static enum base_status peek(struct db_store *store, int *stop)
{
    enum db_vault_state state = DB_VAULT_CLOSED;
    struct db_meta m;
    enum base_status result;
    int found = 0;

    memset(&m, 0, sizeof(m));
    result = db_meta_read(store, &m, &found);
    if (result == BASE_OK)
        result = judge(store, &m, found, &state);
    *stop = result == BASE_OK && state != DB_VAULT_CLOSED;
    if (*stop) {
        forget(store, state);
        memcpy(store->key_id, m.key_id, sizeof(store->key_id));
    }
    sodium_memzero(&m, sizeof(m));
    return result;
}

static enum base_status run(struct db_store *store, int replace)
{
    unsigned char *kek = sodium_malloc(KEY_BYTES);
    unsigned char *dek = sodium_malloc(KEY_BYTES);
    enum base_status result = BASE_E_NOMEM;
    int stop = 0;

    if (!kek || !dek)
        goto out;
    result = peek(store, &stop);
    if (result != BASE_OK || stop)
        goto out;
    result = db_keyfile_load(store, kek);
    if (result == BASE_OK)
        result = open_keyfile(store, kek, dek, replace);
    if (result != BASE_OK)
        db_vault_close(store);

out:
    sodium_free(kek);
    sodium_free(dek);
    return result;
}

enum base_status db_vault_open(struct db_store *store)
{
    return run(store, 0);
}

enum base_status db_vault_reset(struct db_store *store)
{
    enum base_status result = run(store, 1);

    if (result == BASE_OK && store->vault != DB_VAULT_READY)
        result = BASE_E_CRYPTO;
    return result;
}

void db_vault_close(struct db_store *store)
{
    if (!store)
        return;
    forget(store, DB_VAULT_CLOSED);
}

void db_vault_lock(struct db_store *store)
{
    if (!store)
        return;
    forget(store,
           store->vault == DB_VAULT_READY ? DB_VAULT_LOCKED : store->vault);
}

/* The row, which must exist, have the shape of its mode and be of a kind
 * this build knows; *damaged is set (BASE_E_CRYPTO) when the shape is
 * wrong. */
static enum base_status read_row(struct db_store *store, struct db_meta *m,
                                 bool *damaged)
{
    enum db_vault_state state = DB_VAULT_CLOSED;
    enum base_status result;
    int found = 0;

    *damaged = false;
    result = db_meta_read(store, m, &found);
    if (result == BASE_OK)
        result = judge(store, m, found, &state);
    if (result != BASE_OK)
        return result;
    *damaged = state == DB_VAULT_DAMAGED;
    if (*damaged)
        return BASE_E_CRYPTO;
    if (!found || db_meta_kind(m) == 0)
        return db_store_fail(store, BASE_E_CRYPTO,
                             "the vault in %s is missing or of a kind this "
                             "bezala cannot open: restore bezala.db from a "
                             "backup",
                             store->path);
    return BASE_OK;
}

static enum base_status read_known(struct db_store *store, struct db_meta *m)
{
    bool damaged;

    return read_row(store, m, &damaged);
}

static enum base_status read_current(struct db_store *store, struct db_meta *m)
{
    enum base_status result = read_known(store, m);

    if (result == BASE_OK &&
        sodium_memcmp(m->key_id, store->key_id, sizeof(m->key_id)) != 0)
        result = db_store_fail(store, BASE_E_CRYPTO,
                               "the vault in %s was replaced or rotated by "
                               "another bezala since it was opened here: "
                               "open it again",
                               store->path);
    return result;
}

enum base_status db_vault_info(struct db_store *store,
                               struct db_vault_info *out)
{
    struct db_vault_info info;
    struct db_meta m;
    enum base_status result;

    if (!store || !out)
        return BASE_E_INVALID;
    result = read_known(store, &m);
    if (result != BASE_OK)
        return result;
    memset(&info, 0, sizeof(info));
    info.unlocked = store->vault == DB_VAULT_READY &&
                    memcmp(m.key_id, store->key_id, sizeof(m.key_id)) == 0;
    if (db_meta_kind(&m) == 2) {
        info.mode = DB_VAULT_PASSPHRASE;
        snprintf(info.kdf_alg, sizeof(info.kdf_alg), "%.15s", m.kdf_alg);
        info.opslimit = m.opslimit > 0 ? (unsigned long long)m.opslimit : 0;
        info.memlimit = m.memlimit > 0 ? (size_t)m.memlimit : 0;
    }
    *out = info;
    return BASE_OK;
}

/* Two locked buffers for a KEK and a DEK; freed (zeroed) by keys_free. */
struct keys {
    unsigned char *kek;
    unsigned char *dek;
};

static enum base_status keys_new(struct keys *k)
{
    k->kek = sodium_malloc(KEY_BYTES);
    k->dek = sodium_malloc(KEY_BYTES);
    return k->kek && k->dek ? BASE_OK : BASE_E_NOMEM;
}

static void keys_free(struct keys *k)
{
    sodium_free(k->kek);
    sodium_free(k->dek);
    k->kek = NULL;
    k->dek = NULL;
}

/* Opens m's DEK into k with the key file or the passphrase. */
static enum base_status open_row(struct db_store *store,
                                 const struct db_meta *m,
                                 const struct base_secret *passphrase,
                                 struct keys *k)
{
    enum base_status result;

    if (db_meta_kind(m) == 1) {
        result = db_keyfile_load(store, k->kek);
        if (result == BASE_OK && db_meta_unwrap(m, k->kek, k->dek) != BASE_OK)
            result = db_store_fail(store, BASE_E_CRYPTO,
                                   "the key file %s does not open the "
                                   "vault in %s: sign in again to start a "
                                   "new vault",
                                   store->key_path, store->path);
        return result;
    }
    if (!passphrase)
        return db_store_fail(store, BASE_E_LOCKED,
                             "the vault in %s has a passphrase: it is "
                             "needed here",
                             store->path);
    result = derive_kek(store, passphrase, m, k->kek);
    if (result == BASE_OK && db_meta_unwrap(m, k->kek, k->dek) != BASE_OK)
        result = db_store_fail(store, BASE_E_PASSPHRASE,
                               "the passphrase does not open the vault in "
                               "%s: either it is wrong (try again) or the "
                               "vault row was altered (restore bezala.db "
                               "from a backup)",
                               store->path);
    return result;
}

enum base_status db_vault_unlock(struct db_store *store,
                                 const struct base_secret *passphrase)
{
    struct keys k = {0};
    struct db_meta m;
    enum base_status result;
    bool damaged = false;

    if (!store)
        return BASE_E_INVALID;
    result = read_row(store, &m, &damaged);
    if (damaged)
        forget(store, DB_VAULT_DAMAGED);
    else if (result == BASE_E_CRYPTO)
        result = BASE_E_PASSPHRASE;
    if (result == BASE_OK && db_meta_kind(&m) == 1) {
        result = run(store, 0);
        if (result == BASE_OK && store->vault != DB_VAULT_READY)
            result = BASE_E_CRYPTO;
        goto out;
    }
    if (result == BASE_OK)
        result = keys_new(&k);
    if (result == BASE_OK)
        result = open_row(store, &m, passphrase, &k);
    if (result == BASE_OK)
        result = install(store, k.dek, m.key_id, k.kek);

out:
    keys_free(&k);
    sodium_memzero(&m, sizeof(m));
    return result;
}

/* Turns m into a key-file row under a fresh key file, loaded as the new
 * KEK. */
static enum base_status to_keyfile(struct db_store *store, struct db_meta *m,
                                   unsigned char *kek)
{
    memcpy(m->mode, DB_META_KEYFILE, sizeof(DB_META_KEYFILE));
    memset(m->kdf_alg, 0, sizeof(m->kdf_alg));
    memset(m->salt, 0, sizeof(m->salt));
    m->salt_len = 0;
    use_limits(m, 0, 0);
    return db_keyfile_renew(store, kek);
}

/* A new data key and key id in k->dek and m, every token resealed under
 * it (the old key must be installed so that they can be read). */
static enum base_status new_dek(struct db_store *store, struct keys *k,
                                struct db_meta *m)
{
    struct base_secret *record = NULL;
    enum base_status result;

    randombytes_buf(m->key_id, sizeof(m->key_id));
    crypto_aead_xchacha20poly1305_ietf_keygen(k->dek);
    result = derive_record(k->dek, &record);
    if (result == BASE_OK)
        result = db_tokens_reseal_all(store, record, m->key_id);
    base_secret_free(&record);
    return result;
}

/* Inside the transaction: opens the DEK with the old way and wraps it the
 * new way. Changing one passphrase for another keeps the data key; moving
 * between the key file and a passphrase also rotates it (and a removed
 * passphrase gets a fresh key file), so that an old copy of the row and
 * the old key file open nothing. *changed: 0 nothing to do, 1 rewrapped,
 * 2 rotated. */
static enum base_status rewrap(struct db_store *store,
                               const struct base_secret *old_passphrase,
                               const struct base_secret *new_passphrase,
                               struct keys *k, struct db_meta *m, int *changed)
{
    enum base_status result = read_known(store, m);
    int was = db_meta_kind(m);

    if (result == BASE_OK)
        result = open_row(store, m, old_passphrase, k);
    *changed = new_passphrase == NULL && was == 1 ? 0 : 1;
    if (result != BASE_OK || !*changed)
        return result;
    if (!(new_passphrase && was == 2)) {
        *changed = 2;
        result = install(store, k->dek, m->key_id, was == 2 ? k->kek : NULL);
    }
    if (result == BASE_OK && new_passphrase)
        result = new_kek(store, new_passphrase, m, k->kek);
    else if (result == BASE_OK)
        result = to_keyfile(store, m, k->kek);
    if (result == BASE_OK && *changed == 2)
        result = new_dek(store, k, m);
    randombytes_buf(m->nonce, sizeof(m->nonce));
    if (result == BASE_OK)
        result = db_meta_wrap(m, k->kek, k->dek);
    if (result == BASE_OK)
        result = db_meta_write(store, m);
    return result;
}

/* After the commit: the old ciphertexts and wrap leave the WAL and the
 * free pages. Failing here is logged; the rotation itself stands. */
static void scrub(struct db_store *store)
{
    db_store_checkpoint(store);
    if (db_store_exec(store, "VACUUM") != BASE_OK)
        base_log(BASE_LOG_WARN,
                 "store: VACUUM after the key rotation failed (%s); free "
                 "pages are zeroed by secure_delete anyway",
                 store->error);
    db_store_checkpoint(store);
}

/* A passphrase replaced the key file: the file goes, so that it cannot
 * open an old copy of the row. Failing is said, not fatal. */
static void drop_keyfile(struct db_store *store)
{
    char reason[DB_ERROR_MAX];

    if (db_keyfile_remove(store) == BASE_OK)
        return;
    snprintf(reason, sizeof(reason), "%s", store->error);
    base_log(BASE_LOG_WARN, "store: %s", reason);
    db_store_fail(store, BASE_OK,
                  "the passphrase is set, but the old key file could not "
                  "be deleted (%s): delete it by hand",
                  reason);
}

/* After the commit: the WAL emptied; after a rotation the old ciphertexts
 * scrubbed, and the key file dropped when a passphrase replaced it. */
static void after_rewrap(struct db_store *store, int changed, int kind)
{
    if (changed == 1)
        db_store_checkpoint(store);
    if (changed == 2)
        scrub(store);
    if (changed == 2 && kind == 2)
        drop_keyfile(store);
}

enum base_status
db_vault_set_passphrase(struct db_store *store,
                        const struct base_secret *old_passphrase,
                        const struct base_secret *new_passphrase)
{
    struct keys k = {0};
    struct db_meta m;
    enum base_status result;
    int changed = 0;

    if (!store)
        return BASE_E_INVALID;
    if (new_passphrase && base_secret_len(new_passphrase) == 0)
        return db_store_fail(store, BASE_E_INVALID,
                             "the new passphrase is empty");
    store->error[0] = '\0';
    memset(&m, 0, sizeof(m));
    result = keys_new(&k);
    if (result == BASE_OK)
        result = db_store_begin(store);
    if (result == BASE_OK)
        result = db_store_end(store, rewrap(store, old_passphrase,
                                            new_passphrase, &k, &m, &changed));
    if (result == BASE_OK)
        result = install(store, k.dek, m.key_id,
                         db_meta_kind(&m) == 2 ? k.kek : NULL);
    if (result == BASE_OK)
        after_rewrap(store, changed, db_meta_kind(&m));
    keys_free(&k);
    sodium_memzero(&m, sizeof(m));
    return result;
}

/* The KEK that wraps the current row: the key file, or the one kept from
 * the passphrase unlock. Checked against the row before it is reused. */
static enum base_status current_kek(struct db_store *store,
                                    const struct db_meta *m, struct keys *k)
{
    enum base_status result = BASE_OK;

    if (db_meta_kind(m) == 1)
        result = db_keyfile_load(store, k->kek);
    else if (store->kek)
        memcpy(k->kek, base_secret_bytes(store->kek), KEY_BYTES);
    else
        return db_store_fail(store, BASE_E_LOCKED,
                             "the vault is locked: unlock it with its "
                             "passphrase first");
    if (result == BASE_OK && db_meta_unwrap(m, k->kek, k->dek) != BASE_OK)
        result = db_store_fail(store, BASE_E_CRYPTO,
                               "the vault in %s no longer opens with the "
                               "key this bezala holds: open it again",
                               store->path);
    return result;
}

static enum base_status follow_row(struct db_store *store,
                                   const struct db_meta *m)
{
    struct keys k = {0};
    enum base_status result = keys_new(&k);

    if (result == BASE_OK)
        result = current_kek(store, m, &k);
    if (result == BASE_OK)
        result = install(store, k.dek, m->key_id, store->kek ? k.kek : NULL);
    else if (result != BASE_E_NOMEM)
        result = db_store_fail(store, BASE_E_CRYPTO,
                               "the vault in %s was replaced or its key "
                               "changed by another bezala since it was "
                               "opened here: open it again",
                               store->path);
    keys_free(&k);
    return result;
}

enum base_status db_vault_follow(struct db_store *store)
{
    struct db_meta m;
    enum base_status result;

    if (store->vault != DB_VAULT_READY)
        return db_store_fail(store, BASE_E_CRYPTO, "the vault is not open");
    result = read_known(store, &m);
    if (result == BASE_OK &&
        sodium_memcmp(m.key_id, store->key_id, sizeof(m.key_id)) != 0) {
        base_log(BASE_LOG_DEBUG, "store: following a data key rotated by "
                                 "another process");
        result = follow_row(store, &m);
    }
    sodium_memzero(&m, sizeof(m));
    return result;
}

/* Inside the transaction: new DEK and key id, every token resealed, the
 * row rewrapped under the same KEK. */
static enum base_status rotate(struct db_store *store, struct keys *k,
                               struct db_meta *m, struct base_secret **record)
{
    enum base_status result = db_vault_follow(store);

    if (result == BASE_OK)
        result = read_current(store, m);
    if (result == BASE_OK)
        result = current_kek(store, m, k);
    if (result != BASE_OK)
        return result;
    randombytes_buf(m->key_id, sizeof(m->key_id));
    randombytes_buf(m->nonce, sizeof(m->nonce));
    crypto_aead_xchacha20poly1305_ietf_keygen(k->dek);
    result = derive_record(k->dek, record);
    if (result == BASE_OK)
        result = db_tokens_reseal_all(store, *record, m->key_id);
    if (result == BASE_OK)
        result = db_meta_wrap(m, k->kek, k->dek);
    if (result == BASE_OK)
        result = db_meta_write(store, m);
    return result;
}

enum base_status db_vault_rekey(struct db_store *store)
{
    struct base_secret *record = NULL;
    struct keys k = {0};
    struct db_meta m;
    enum base_status result;

    if (!store)
        return BASE_E_INVALID;
    if (store->vault != DB_VAULT_READY)
        return db_store_fail(store,
                             store->vault == DB_VAULT_LOCKED ? BASE_E_LOCKED
                                                             : BASE_E_CRYPTO,
                             "the vault is not open; nothing was rotated");
    memset(&m, 0, sizeof(m));
    result = keys_new(&k);
    if (result == BASE_OK)
        result = db_store_begin(store);
    if (result == BASE_OK)
        result = db_store_end(store, rotate(store, &k, &m, &record));
    if (result == BASE_OK) {
        base_secret_free(&store->record_key);
        store->record_key = record;
        record = NULL;
        memcpy(store->key_id, m.key_id, sizeof(store->key_id));
        scrub(store);
    }
    base_secret_free(&record);
    keys_free(&k);
    sodium_memzero(&m, sizeof(m));
    return result;
}

enum base_status db_vault_test_wrap(
    const struct base_secret *passphrase, const unsigned char *salt,
    unsigned long long opslimit, size_t memlimit, const unsigned char *key_id,
    const unsigned char *nonce, const unsigned char *dek, unsigned char *out)
{
    struct keys k = {0};
    struct db_meta m;
    enum base_status result;

    if (!passphrase || !salt || !key_id || !nonce || !dek || !out)
        return BASE_E_INVALID;
    memset(&m, 0, sizeof(m));
    m.format = DB_META_FORMAT;
    memcpy(m.mode, DB_META_PASSPHRASE, sizeof(DB_META_PASSPHRASE));
    memcpy(m.kdf_alg, DB_META_KDF_ALG, sizeof(DB_META_KDF_ALG));
    memcpy(m.key_id, key_id, sizeof(m.key_id));
    memcpy(m.salt, salt, DB_META_SALT_BYTES);
    m.salt_len = DB_META_SALT_BYTES;
    use_limits(&m, opslimit, memlimit);
    memcpy(m.nonce, nonce, sizeof(m.nonce));
    result = keys_new(&k);
    if (result == BASE_OK && pwhash(k.kek, passphrase, &m) != 0)
        result = BASE_E_NOMEM;
    if (result == BASE_OK)
        result = db_meta_wrap(&m, k.kek, dek);
    if (result == BASE_OK)
        memcpy(out, m.wrapped, sizeof(m.wrapped));
    keys_free(&k);
    return result;
}
