/* Bearer tokens sealed with XChaCha20-Poly1305 under the record key, with
 * associated data that binds each ciphertext to its row, account, server
 * and kind. */
#include "db/tokens.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "db/ad.h"
#include "db/internal.h"

#define TOKEN_MIN 8
#define TOKEN_MAX 4096
#define PAD_BLOCK 64
#define PADDED_MAX (TOKEN_MAX + PAD_BLOCK)
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define UUID_TEXT 37
#define TOKEN_KIND "bearer"
#define FOLLOW_TRIES 3 /* rotations followed by one read */

/* One token row with its account's binding fields. */
struct sealed {
    char uuid[UUID_TEXT];
    int64_t account_id;
    char *server;
    char *email;
    unsigned char key_id[DB_KEY_ID_BYTES];
    unsigned char nonce[NONCE_BYTES];
    unsigned char *ct;
    size_t ct_len;
};

static void sealed_clear(struct sealed *s)
{
    free(s->server);
    free(s->email);
    free(s->ct);
    memset(s, 0, sizeof(*s));
}

/* RFC 6750 b64token: 1*( ALPHA / DIGIT / "-._~+/" ) *"=". */
static bool token_valid(const unsigned char *t, size_t len)
{
    size_t i = 0;

    if (len < TOKEN_MIN || len > TOKEN_MAX)
        return false;
    while (i < len &&
           (((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z') ||
            (t[i] >= '0' && t[i] <= '9') || (t[i] && strchr("-._~+/", t[i]))))
        i++;
    if (i == 0)
        return false;
    while (i < len && t[i] == '=')
        i++;
    return i == len;
}

static void new_uuid(char out[UUID_TEXT])
{
    unsigned char b[16];

    randombytes_buf(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, UUID_TEXT,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
             b[11], b[12], b[13], b[14], b[15]);
}

static void token_ad(const struct sealed *s, struct db_ad *ad)
{
    db_ad_add_str(ad, "bezala-token/v1");
    db_ad_add(ad, s->key_id, sizeof(s->key_id));
    db_ad_add_str(ad, s->uuid);
    db_ad_add_int(ad, s->account_id);
    db_ad_add_lower(ad, s->server);
    db_ad_add_str(ad, s->email);
    db_ad_add_str(ad, TOKEN_KIND);
}

/* Pads the token to a 64-byte block and encrypts it with a new nonce. */
static enum base_status seal(const struct base_secret *key,
                             const struct base_secret *token, struct sealed *s)
{
    unsigned char *pad = sodium_malloc(PADDED_MAX);
    size_t padded = 0;
    struct db_ad ad = {0};
    enum base_status result = BASE_E_NOMEM;

    if (!pad)
        return BASE_E_NOMEM;
    memcpy(pad, base_secret_bytes(token), base_secret_len(token));
    if (sodium_pad(&padded, pad, base_secret_len(token), PAD_BLOCK,
                   PADDED_MAX) != 0)
        goto out;
    s->ct = malloc(padded + TAG_BYTES);
    token_ad(s, &ad);
    if (!s->ct || db_ad_status(&ad) != BASE_OK)
        goto out;
    randombytes_buf(s->nonce, sizeof(s->nonce));
    crypto_aead_xchacha20poly1305_ietf_encrypt(s->ct, NULL, pad, padded, ad.buf,
                                               ad.len, NULL, s->nonce,
                                               base_secret_bytes(key));
    s->ct_len = padded + TAG_BYTES;
    result = BASE_OK;

out:
    db_ad_clear(&ad);
    sodium_free(pad);
    return result;
}

static enum base_status insert_row(struct db_store *store,
                                   const struct sealed *s)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(
        store,
        "INSERT INTO tokens (id, account_id, key_id, nonce, ct,"
        " created_at, last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_text(stmt, 1, s->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, s->account_id);
    sqlite3_bind_blob(stmt, 3, s->key_id, sizeof(s->key_id), SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 4, s->nonce, sizeof(s->nonce), SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 5, s->ct, (int)s->ct_len, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, db_store_now());
    result = db_store_step_done(store, stmt, "storing the token");
    sqlite3_finalize(stmt);
    return result;
}

static enum base_status delete_row(struct db_store *store, int64_t account_id)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(store, "DELETE FROM tokens WHERE account_id = ?1",
                              &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, account_id);
    result = db_store_step_done(store, stmt, "deleting the token");
    sqlite3_finalize(stmt);
    return result;
}

static enum base_status put_locked(struct db_store *store, int64_t account_id,
                                   const struct base_secret *token)
{
    struct sealed s = {0};
    enum base_status result;

    s.account_id = account_id;
    result = db_store_account(store, account_id, &s.server, &s.email);
    if (result != BASE_OK)
        goto out;
    new_uuid(s.uuid);
    /* Follows a rekey by another process, so the key id is read after. */
    result = db_vault_follow(store);
    memcpy(s.key_id, store->key_id, sizeof(s.key_id));
    if (result == BASE_OK)
        result = seal(store->record_key, token, &s);
    if (result == BASE_OK)
        result = delete_row(store, account_id);
    if (result == BASE_OK)
        result = insert_row(store, &s);

out:
    sealed_clear(&s);
    return result;
}

enum base_status db_tokens_put(struct db_store *store, int64_t account_id,
                               const struct base_secret *token)
{
    enum base_status result;

    if (!store || !token)
        return BASE_E_INVALID;
    if (!token_valid(base_secret_bytes(token), base_secret_len(token)))
        return db_store_fail(store, BASE_E_INVALID,
                             "the token is not a bearer token (wrong "
                             "length or characters); it was not stored");
    result = db_store_account(store, account_id, NULL, NULL);
    if (result != BASE_OK)
        return result;
    if (store->vault == DB_VAULT_LOCKED)
        return db_store_fail(store, BASE_E_LOCKED,
                             "the vault is locked; the token was not "
                             "stored");
    if (store->vault == DB_VAULT_DAMAGED)
        return db_store_fail(store, BASE_E_CRYPTO, DB_VAULT_DAMAGED_TEXT);
    if (store->vault == DB_VAULT_MISMATCH) {
        result = db_vault_reset(store);
        if (result != BASE_OK)
            return result;
        db_store_checkpoint(store);
    }
    if (store->vault != DB_VAULT_READY)
        return db_store_fail(store, BASE_E_CRYPTO,
                             "the vault is not open; the token was not "
                             "stored");
    result = db_store_begin(store);
    if (result != BASE_OK)
        return result;
    result = db_store_end(store, put_locked(store, account_id, token));
    if (result == BASE_OK)
        db_store_checkpoint(store);
    return result;
}

/* Copies the row; -1 when a column has an impossible size. */
static int fill_sealed(sqlite3_stmt *stmt, struct sealed *s)
{
    const unsigned char *uuid = sqlite3_column_text(stmt, 0);
    int key_len = sqlite3_column_bytes(stmt, 1);
    int nonce_len = sqlite3_column_bytes(stmt, 2);
    int ct_len = sqlite3_column_bytes(stmt, 3);
    const unsigned char *server = sqlite3_column_text(stmt, 4);
    const unsigned char *email = sqlite3_column_text(stmt, 5);

    if (!uuid || strlen((const char *)uuid) >= UUID_TEXT ||
        key_len != DB_KEY_ID_BYTES || nonce_len != NONCE_BYTES ||
        ct_len < (int)(TAG_BYTES + PAD_BLOCK) ||
        ct_len > (int)(PADDED_MAX + TAG_BYTES))
        return -1;
    memcpy(s->uuid, uuid, strlen((const char *)uuid) + 1);
    memcpy(s->key_id, sqlite3_column_blob(stmt, 1), DB_KEY_ID_BYTES);
    memcpy(s->nonce, sqlite3_column_blob(stmt, 2), NONCE_BYTES);
    s->ct = malloc((size_t)ct_len);
    s->server = strdup(server ? (const char *)server : "");
    s->email = strdup(email ? (const char *)email : "");
    if (!s->ct || !s->server || !s->email)
        return -1;
    memcpy(s->ct, sqlite3_column_blob(stmt, 3), (size_t)ct_len);
    s->ct_len = (size_t)ct_len;
    return 0;
}

/* BASE_E_AUTH when the account has no token row. */
static enum base_status load_row(struct db_store *store, int64_t account_id,
                                 struct sealed *s)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    int rc;

    result = db_store_prepare(
        store,
        "SELECT t.id, t.key_id, t.nonce, t.ct, a.server, a.email"
        " FROM tokens t JOIN accounts a ON a.id = t.account_id"
        " WHERE t.account_id = ?1",
        &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, account_id);
    s->account_id = account_id;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE)
        result = db_store_fail(store, BASE_E_AUTH,
                               "no token stored for account %lld",
                               (long long)account_id);
    else if (rc != SQLITE_ROW)
        result = db_store_sqlite_fail(store, rc, "reading the token");
    else if (fill_sealed(stmt, s) < 0)
        result = BASE_E_TOKEN_UNREADABLE;
    sqlite3_finalize(stmt);
    return result;
}

/* Decrypts into locked memory; any failure is BASE_E_TOKEN_UNREADABLE. */
static enum base_status open_sealed(struct db_store *store,
                                    const struct sealed *s,
                                    struct base_secret **out)
{
    size_t padded = s->ct_len - TAG_BYTES;
    unsigned char *plain = sodium_malloc(padded);
    struct db_ad ad = {0};
    size_t len = 0;
    enum base_status result = BASE_E_TOKEN_UNREADABLE;

    if (!plain)
        return BASE_E_NOMEM;
    token_ad(s, &ad);
    if (db_ad_status(&ad) != BASE_OK) {
        result = BASE_E_NOMEM;
        goto out;
    }
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            plain, NULL, NULL, s->ct, s->ct_len, ad.buf, ad.len, s->nonce,
            base_secret_bytes(store->record_key)) != 0)
        goto out;
    if (sodium_unpad(&len, plain, padded, PAD_BLOCK) != 0 ||
        !token_valid(plain, len))
        goto out;
    result = base_secret_new(plain, len, out);

out:
    db_ad_clear(&ad);
    sodium_free(plain);
    return result;
}

static void touch(struct db_store *store, int64_t account_id)
{
    sqlite3_stmt *stmt = NULL;

    if (db_store_prepare(store,
                         "UPDATE tokens SET last_used_at = ?1"
                         " WHERE account_id = ?2",
                         &stmt) != BASE_OK)
        return;
    sqlite3_bind_int64(stmt, 1, db_store_now());
    sqlite3_bind_int64(stmt, 2, account_id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        base_log(BASE_LOG_DEBUG, "store: could not mark the token used");
    sqlite3_finalize(stmt);
}

/* Loads the row; when it was sealed under a data key another process
 * rotated in after this store opened, follows the rotation and loads it
 * again (a few times, should rotations keep coming). */
static enum base_status load_current(struct db_store *store, int64_t account_id,
                                     struct sealed *s)
{
    enum base_status result;
    int tries;

    for (tries = 0;; tries++) {
        result = load_row(store, account_id, s);
        if (result != BASE_OK || store->vault != DB_VAULT_READY ||
            sodium_memcmp(s->key_id, store->key_id, DB_KEY_ID_BYTES) == 0 ||
            tries == FOLLOW_TRIES || db_vault_follow(store) != BASE_OK)
            return result;
        sealed_clear(s);
    }
}

enum base_status db_tokens_get(struct db_store *store, int64_t account_id,
                               struct base_secret **out)
{
    struct base_secret *token = NULL;
    struct sealed s = {0};
    enum base_status result;

    if (!store || !out)
        return BASE_E_INVALID;
    if (store->vault == DB_VAULT_LOCKED)
        return db_store_fail(store, BASE_E_LOCKED,
                             "the vault is locked: its passphrase is "
                             "needed to read the token");
    if (store->vault == DB_VAULT_DAMAGED)
        return db_store_fail(store, BASE_E_CRYPTO, DB_VAULT_DAMAGED_TEXT);
    result = load_current(store, account_id, &s);
    if (result == BASE_OK && store->vault != DB_VAULT_READY)
        result = BASE_E_TOKEN_UNREADABLE;
    if (result == BASE_OK)
        result = open_sealed(store, &s, &token);
    if (result == BASE_E_TOKEN_UNREADABLE)
        db_store_fail(store, result,
                      "the stored token of account %lld could not be "
                      "decrypted (changed, moved or key replaced); sign "
                      "in again",
                      (long long)account_id);
    sealed_clear(&s);
    if (result != BASE_OK)
        return result;
    touch(store, account_id);
    *out = token;
    return BASE_OK;
}

enum base_status db_tokens_delete(struct db_store *store, int64_t account_id)
{
    enum base_status result;

    if (!store)
        return BASE_E_INVALID;
    result = delete_row(store, account_id);
    if (result == BASE_OK)
        db_store_checkpoint(store);
    return result;
}

enum base_status db_tokens_delete_all(struct db_store *store)
{
    enum base_status result;

    if (!store)
        return BASE_E_INVALID;
    result = db_store_exec(store, "DELETE FROM tokens");
    if (result == BASE_OK)
        db_store_checkpoint(store);
    return result;
}

static enum base_status push_id(int64_t **ids, size_t *count, size_t *cap,
                                int64_t id)
{
    if (*count == *cap) {
        size_t want = *cap ? *cap * 2 : 16;
        int64_t *grown = realloc(*ids, want * sizeof(**ids));

        if (!grown)
            return BASE_E_NOMEM;
        *ids = grown;
        *cap = want;
    }
    (*ids)[(*count)++] = id;
    return BASE_OK;
}

/* The accounts that hold a token, read in full before any row changes. */
static enum base_status token_accounts(struct db_store *store, int64_t **ids,
                                       size_t *count)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    size_t cap = 0;
    int rc = SQLITE_DONE;

    result = db_store_prepare(
        store, "SELECT account_id FROM tokens ORDER BY account_id", &stmt);
    while (result == BASE_OK) {
        rc = sqlite3_step(stmt);
        if (rc != SQLITE_ROW)
            break;
        result = push_id(ids, count, &cap, sqlite3_column_int64(stmt, 0));
    }
    if (result == BASE_OK && rc != SQLITE_DONE)
        result = db_store_sqlite_fail(store, rc, "listing the tokens");
    sqlite3_finalize(stmt);
    return result;
}

static enum base_status update_row(struct db_store *store,
                                   const struct sealed *s)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;

    result = db_store_prepare(store,
                              "UPDATE tokens SET key_id = ?1, nonce = ?2,"
                              " ct = ?3 WHERE id = ?4",
                              &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_blob(stmt, 1, s->key_id, sizeof(s->key_id), SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 2, s->nonce, sizeof(s->nonce), SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 3, s->ct, (int)s->ct_len, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, s->uuid, -1, SQLITE_STATIC);
    result = db_store_step_done(store, stmt, "re-encrypting a token");
    sqlite3_finalize(stmt);
    return result;
}

static enum base_status reseal_one(struct db_store *store, int64_t account_id,
                                   const struct base_secret *key,
                                   const unsigned char *key_id)
{
    struct base_secret *token = NULL;
    struct sealed s = {0};
    enum base_status result;

    result = load_row(store, account_id, &s);
    if (result == BASE_OK)
        result = open_sealed(store, &s, &token);
    if (result == BASE_E_TOKEN_UNREADABLE) {
        base_log(BASE_LOG_WARN,
                 "store: the token of account %lld did not decrypt and "
                 "was dropped by the key rotation; sign in again",
                 (long long)account_id);
        result = delete_row(store, account_id);
        goto out;
    }
    if (result != BASE_OK)
        goto out;
    free(s.ct);
    s.ct = NULL;
    memcpy(s.key_id, key_id, sizeof(s.key_id));
    result = seal(key, token, &s);
    if (result == BASE_OK)
        result = update_row(store, &s);

out:
    base_secret_free(&token);
    sealed_clear(&s);
    return result;
}

enum base_status db_tokens_reseal_all(struct db_store *store,
                                      const struct base_secret *new_record_key,
                                      const unsigned char *new_key_id)
{
    int64_t *ids = NULL;
    size_t count = 0;
    size_t i;
    enum base_status result;

    result = token_accounts(store, &ids, &count);
    for (i = 0; result == BASE_OK && i < count; i++) {
        result = reseal_one(store, ids[i], new_record_key, new_key_id);
        if (result == BASE_OK)
            db_vault_rekey_progress(i + 1);
    }
    free(ids);
    return result;
}
