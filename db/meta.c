/* Reading, writing and sealing the vault_meta row that holds the wrapped
 * data key. */
#include "db/meta.h"

#include <string.h>

#include <sodium.h>

#include "db/ad.h"
#include "db/internal.h"

_Static_assert(DB_META_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
               "the KEK is one AEAD key");
_Static_assert(DB_META_NONCE_BYTES ==
                   crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
               "one XChaCha20 nonce");
_Static_assert(DB_META_WRAPPED_BYTES ==
                   DB_META_KEY_BYTES +
                       crypto_aead_xchacha20poly1305_ietf_ABYTES,
               "a wrapped key is the key and a tag");
_Static_assert(DB_META_SALT_BYTES == crypto_pwhash_SALTBYTES,
               "one Argon2id salt");

/* Every field but the ciphertext, length-prefixed: changing any of them,
 * the KDF settings included, makes the wrap fail to open. */
static void meta_ad(const struct db_meta *m, struct db_ad *ad)
{
    db_ad_add_str(ad, "bezala-vault/v1");
    db_ad_add_int(ad, m->format);
    db_ad_add_str(ad, m->mode);
    db_ad_add(ad, m->key_id, sizeof(m->key_id));
    db_ad_add_str(ad, m->kdf_alg);
    db_ad_add(ad, m->salt, m->salt_len);
    db_ad_add_int(ad, m->opslimit);
    db_ad_add_int(ad, m->memlimit);
}

/* Copies a blob of at most size bytes; -1 when it is larger, or when
 * exact is set and it is not size bytes. */
static int copy_blob(sqlite3_stmt *stmt, int col, void *dst, size_t size,
                     size_t *got, int exact)
{
    const void *blob = sqlite3_column_blob(stmt, col);
    size_t len = (size_t)sqlite3_column_bytes(stmt, col);

    if (len > size || (exact && len != size))
        return -1;
    if (len)
        memcpy(dst, blob, len);
    if (got)
        *got = len;
    return 0;
}

static int copy_text(sqlite3_stmt *stmt, int col, char *dst, size_t size)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    size_t len = text ? strlen((const char *)text) : 0;

    if (len >= size)
        return -1;
    memcpy(dst, text ? (const char *)text : "", len + 1);
    return 0;
}

static void fill_meta(sqlite3_stmt *stmt, struct db_meta *m)
{
    int bad = 0;
    int col;

    memset(m, 0, sizeof(*m));
    /* Storage types first: reading a value may convert it. */
    for (col = 3; col <= 6; col++)
        m->kdf_columns += sqlite3_column_type(stmt, col) != SQLITE_NULL;
    m->limits_integer = sqlite3_column_type(stmt, 5) == SQLITE_INTEGER &&
                        sqlite3_column_type(stmt, 6) == SQLITE_INTEGER;
    m->format = sqlite3_column_int64(stmt, 0);
    bad |= copy_text(stmt, 1, m->mode, sizeof(m->mode));
    bad |= copy_blob(stmt, 2, m->key_id, sizeof(m->key_id), NULL, 1);
    bad |= copy_text(stmt, 3, m->kdf_alg, sizeof(m->kdf_alg));
    bad |= copy_blob(stmt, 4, m->salt, sizeof(m->salt), &m->salt_len, 0);
    m->opslimit = sqlite3_column_int64(stmt, 5);
    m->memlimit = sqlite3_column_int64(stmt, 6);
    bad |= copy_blob(stmt, 7, m->nonce, sizeof(m->nonce), NULL, 1);
    bad |= copy_blob(stmt, 8, m->wrapped, sizeof(m->wrapped), NULL, 1);
    m->intact = !bad;
}

enum base_status db_meta_read(struct db_store *store, struct db_meta *m,
                              int *found)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    int rc;

    result = db_store_prepare(store,
                              "SELECT format, mode, key_id, kdf_alg, salt,"
                              " opslimit, memlimit, wrap_nonce, wrapped_dek"
                              " FROM vault_meta WHERE id = 1",
                              &stmt);
    if (result != BASE_OK)
        return result;
    rc = sqlite3_step(stmt);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        fill_meta(stmt, m);
    else if (rc != SQLITE_DONE)
        result = db_store_sqlite_fail(store, rc, "reading the vault");
    sqlite3_finalize(stmt);
    return result;
}

/* Key-file rows keep the kdf columns NULL, which read back as "" and 0. */
static void bind_kdf(sqlite3_stmt *stmt, const struct db_meta *m)
{
    if (db_meta_kind(m) != 2)
        return;
    sqlite3_bind_text(stmt, 4, m->kdf_alg, -1, SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 5, m->salt, (int)m->salt_len, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, m->opslimit);
    sqlite3_bind_int64(stmt, 7, m->memlimit);
}

enum base_status db_meta_write(struct db_store *store, const struct db_meta *m)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(
        store,
        "INSERT INTO vault_meta (id, format, mode, key_id, kdf_alg, salt,"
        " opslimit, memlimit, wrap_nonce, wrapped_dek, created_at,"
        " rotated_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?10) ON CONFLICT (id) DO UPDATE SET format = excluded.format,"
        " mode = excluded.mode, key_id = excluded.key_id,"
        " kdf_alg = excluded.kdf_alg, salt = excluded.salt,"
        " opslimit = excluded.opslimit, memlimit = excluded.memlimit,"
        " wrap_nonce = excluded.wrap_nonce,"
        " wrapped_dek = excluded.wrapped_dek,"
        " rotated_at = excluded.rotated_at",
        &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, m->format);
    sqlite3_bind_text(stmt, 2, m->mode, -1, SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 3, m->key_id, sizeof(m->key_id), SQLITE_STATIC);
    bind_kdf(stmt, m);
    sqlite3_bind_blob(stmt, 8, m->nonce, sizeof(m->nonce), SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 9, m->wrapped, sizeof(m->wrapped), SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 10, db_store_now());
    result = db_store_step_done(store, stmt, "storing the vault");
    sqlite3_finalize(stmt);
    return result;
}

int db_meta_kind(const struct db_meta *m)
{
    if (m->format != DB_META_FORMAT)
        return 0;
    if (strcmp(m->mode, DB_META_KEYFILE) == 0)
        return 1;
    if (strcmp(m->mode, DB_META_PASSPHRASE) == 0)
        return 2;
    return 0;
}

enum base_status db_meta_wrap(struct db_meta *m, const unsigned char *kek,
                              const unsigned char *dek)
{
    struct db_ad ad = {0};
    enum base_status result;

    meta_ad(m, &ad);
    result = db_ad_status(&ad);
    if (result == BASE_OK)
        crypto_aead_xchacha20poly1305_ietf_encrypt(m->wrapped, NULL, dek,
                                                   DB_META_KEY_BYTES, ad.buf,
                                                   ad.len, NULL, m->nonce, kek);
    db_ad_clear(&ad);
    if (result == BASE_OK)
        m->intact = 1;
    return result;
}

enum base_status db_meta_unwrap(const struct db_meta *m,
                                const unsigned char *kek, unsigned char *dek)
{
    struct db_ad ad = {0};
    enum base_status result;

    if (!m->intact)
        return BASE_E_PASSPHRASE;
    meta_ad(m, &ad);
    result = db_ad_status(&ad);
    if (result == BASE_OK &&
        crypto_aead_xchacha20poly1305_ietf_decrypt(dek, NULL, NULL, m->wrapped,
                                                   sizeof(m->wrapped), ad.buf,
                                                   ad.len, m->nonce, kek) != 0)
        result = BASE_E_PASSPHRASE;
    db_ad_clear(&ad);
    return result;
}
