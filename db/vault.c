/* Key file handling and the wrapped data key in vault_meta. */
#include "db/vault.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "db/ad.h"
#include "db/files.h"
#include "db/internal.h"

#define KEY_BYTES 32
#define WRAP_FORMAT 1
#define WRAP_MODE "keyfile"
#define WRAP_NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define WRAPPED_BYTES (KEY_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define RECORD_SUBKEY_ID 1
#define KDF_CONTEXT "bzTOKENS"

_Static_assert(KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
               "the key file holds one AEAD key");
_Static_assert(KEY_BYTES == crypto_kdf_KEYBYTES, "the DEK is a KDF key");

/* One vault_meta row; kdf fields are empty in key-file mode. */
struct vault_meta {
    int64_t format;
    char mode[16];
    char kdf_alg[32];
    unsigned char key_id[DB_KEY_ID_BYTES];
    unsigned char salt[32];
    size_t salt_len;
    int64_t opslimit;
    int64_t memlimit;
    unsigned char nonce[WRAP_NONCE_BYTES];
    unsigned char wrapped[WRAPPED_BYTES];
    int intact; /* every blob had its expected size */
};

static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = read(fd, buf + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

static int write_full(int fd, const unsigned char *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = write(fd, buf + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static enum base_status open_key(struct db_store *store, int *fd)
{
    const char *path = store->key_path;

    *fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (*fd >= 0 || errno == ENOENT)
        return BASE_OK;
    if (errno == ELOOP)
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "key file %s is a symbolic link; bezala uses "
                             "only regular files: remove the link",
                             path);
    return db_store_fail(store,
                         errno == EACCES ? BASE_E_PERMISSIONS : BASE_E_IO,
                         "cannot open %s: %s", path, strerror(errno));
}

/* *missing is set when there is no key file yet. */
static enum base_status read_key(struct db_store *store, unsigned char *key,
                                 int *missing)
{
    enum base_status result;
    struct stat st;
    int fd = -1;

    result = open_key(store, &fd);
    *missing = result == BASE_OK && fd < 0;
    if (fd < 0)
        return result;
    if (fstat(fd, &st) < 0) {
        result = db_store_fail(store, BASE_E_IO, "cannot inspect %s: %s",
                               store->key_path, strerror(errno));
        goto out;
    }
    result = db_files_check_stat(store, store->key_path, &st);
    if (result != BASE_OK)
        goto out;
    if (st.st_size != KEY_BYTES || read_full(fd, key, KEY_BYTES) != KEY_BYTES)
        result = db_store_fail(store, BASE_E_CRYPTO,
                               "%s is not a bezala key file (it must hold "
                               "exactly %d bytes)",
                               store->key_path, KEY_BYTES);

out:
    close(fd);
    return result;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return;
    fsync(fd);
    close(fd);
}

/* Publishes tmp as the key file without replacing one that another
 * process created meanwhile. */
static int publish(const char *tmp, const char *path)
{
    if (link(tmp, path) == 0 || errno == EEXIST)
        return 0;
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0 ||
        errno == EEXIST)
        return 0;
    return -1;
}

static enum base_status write_key(struct db_store *store, const char *tmp,
                                  unsigned char *key)
{
    enum base_status result = BASE_OK;
    int fd =
        open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0)
        return db_store_fail(store, BASE_E_IO, "cannot create %s: %s", tmp,
                             strerror(errno));
    randombytes_buf(key, KEY_BYTES);
    if (write_full(fd, key, KEY_BYTES) < 0 || fsync(fd) < 0)
        result = db_store_fail(store, BASE_E_IO, "cannot write %s: %s", tmp,
                               strerror(errno));
    if (close(fd) < 0 && result == BASE_OK)
        result = db_store_fail(store, BASE_E_IO, "cannot write %s: %s", tmp,
                               strerror(errno));
    if (result == BASE_OK && publish(tmp, store->key_path) < 0)
        result = db_store_fail(store, BASE_E_IO, "cannot create %s: %s",
                               store->key_path, strerror(errno));
    unlink(tmp);
    return result;
}

static enum base_status create_key(struct db_store *store)
{
    unsigned char *key = sodium_malloc(KEY_BYTES);
    size_t len = strlen(store->key_path) + 32;
    char *tmp = malloc(len);
    enum base_status result = BASE_E_NOMEM;

    if (key && tmp) {
        snprintf(tmp, len, "%s.tmp-%ld-%08x", store->key_path, (long)getpid(),
                 (unsigned)randombytes_random());
        result = write_key(store, tmp, key);
    }
    if (result == BASE_OK) {
        sync_dir(store->key_dir);
        base_log(BASE_LOG_INFO, "store: created the key file %s",
                 store->key_path);
    }
    sodium_free(key);
    free(tmp);
    return result;
}

static enum base_status load_key(struct db_store *store, unsigned char *key)
{
    enum base_status result;
    int missing = 0;

    result = read_key(store, key, &missing);
    if (result != BASE_OK || !missing)
        return result;
    result = create_key(store);
    if (result == BASE_OK)
        result = read_key(store, key, &missing);
    if (result == BASE_OK && missing)
        result =
            db_store_fail(store, BASE_E_IO, "%s vanished", store->key_path);
    return result;
}

static void meta_ad(const struct vault_meta *m, struct db_ad *ad)
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

static void fill_meta(sqlite3_stmt *stmt, struct vault_meta *m)
{
    int bad = 0;

    memset(m, 0, sizeof(*m));
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

static enum base_status read_meta(struct db_store *store, struct vault_meta *m,
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

static enum base_status insert_meta(struct db_store *store,
                                    const struct vault_meta *m)
{
    sqlite3_stmt *stmt = NULL;
    enum base_status result;
    int64_t now = db_store_now();

    result = db_store_prepare(
        store,
        "INSERT OR REPLACE INTO vault_meta (id, format, mode, key_id,"
        " kdf_alg, salt, opslimit, memlimit, wrap_nonce, wrapped_dek,"
        " created_at, rotated_at)"
        " VALUES (1, ?1, ?2, ?3, NULL, NULL, NULL, NULL, ?4, ?5, ?6, ?6)",
        &stmt);
    if (result != BASE_OK)
        return result;
    sqlite3_bind_int64(stmt, 1, m->format);
    sqlite3_bind_text(stmt, 2, m->mode, -1, SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 3, m->key_id, sizeof(m->key_id), SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 4, m->nonce, sizeof(m->nonce), SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 5, m->wrapped, sizeof(m->wrapped), SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, now);
    result = db_store_step_done(store, stmt, "storing the vault");
    sqlite3_finalize(stmt);
    return result;
}

/* A new data key in dek, wrapped under kek into a new vault_meta row. */
static enum base_status create_meta(struct db_store *store,
                                    const unsigned char *kek,
                                    unsigned char *dek, struct vault_meta *m)
{
    struct db_ad ad = {0};
    enum base_status result;

    memset(m, 0, sizeof(*m));
    m->format = WRAP_FORMAT;
    memcpy(m->mode, WRAP_MODE, sizeof(WRAP_MODE));
    randombytes_buf(m->key_id, sizeof(m->key_id));
    randombytes_buf(m->nonce, sizeof(m->nonce));
    crypto_aead_xchacha20poly1305_ietf_keygen(dek);
    m->intact = 1;
    meta_ad(m, &ad);
    result = db_ad_status(&ad);
    if (result == BASE_OK)
        crypto_aead_xchacha20poly1305_ietf_encrypt(m->wrapped, NULL, dek,
                                                   KEY_BYTES, ad.buf, ad.len,
                                                   NULL, m->nonce, kek);
    db_ad_clear(&ad);
    if (result == BASE_OK)
        result = insert_meta(store, m);
    return result;
}

/* Decides what the row is to this build and unwraps it when it can. */
static enum base_status classify(struct db_store *store,
                                 const struct vault_meta *m,
                                 const unsigned char *kek, unsigned char *dek,
                                 enum db_vault_state *state)
{
    struct db_ad ad = {0};
    enum base_status result;
    int rc = -1;

    if (m->format != WRAP_FORMAT || strcmp(m->mode, WRAP_MODE) != 0) {
        *state = DB_VAULT_UNSUPPORTED;
        db_store_fail(store, BASE_E_CRYPTO,
                      "the vault in %s is of a kind this bezala cannot "
                      "open (format %lld, mode %s)",
                      store->path, (long long)m->format, m->mode);
        return BASE_OK;
    }
    meta_ad(m, &ad);
    result = db_ad_status(&ad);
    if (result == BASE_OK && m->intact)
        rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
            dek, NULL, NULL, m->wrapped, sizeof(m->wrapped), ad.buf, ad.len,
            m->nonce, kek);
    db_ad_clear(&ad);
    *state = rc == 0 ? DB_VAULT_READY : DB_VAULT_MISMATCH;
    if (result == BASE_OK && rc != 0)
        db_store_fail(store, BASE_E_CRYPTO,
                      "the key file %s does not open the vault in %s; "
                      "stored tokens cannot be read: sign in again",
                      store->key_path, store->path);
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

static enum base_status unlock(struct db_store *store, const unsigned char *kek,
                               unsigned char *dek, int replace)
{
    enum db_vault_state state = DB_VAULT_MISMATCH;
    struct vault_meta m;
    enum base_status result;
    int found = 0;

    result = db_store_begin(store);
    if (result != BASE_OK)
        return result;
    result = read_meta(store, &m, &found);
    if (result == BASE_OK && found)
        result = classify(store, &m, kek, dek, &state);
    if (result == BASE_OK &&
        (!found || (replace && state == DB_VAULT_MISMATCH))) {
        result = create_meta(store, kek, dek, &m);
        if (result == BASE_OK && found)
            result = delete_tokens(store);
        state = DB_VAULT_READY;
    }
    result = db_store_end(store, result);
    if (result == BASE_OK) {
        store->vault = state;
        memcpy(store->key_id, m.key_id, sizeof(store->key_id));
    }
    sodium_memzero(&m, sizeof(m));
    return result;
}

static enum base_status derive(struct db_store *store, const unsigned char *dek)
{
    unsigned char *sub = sodium_malloc(KEY_BYTES);
    enum base_status result = BASE_E_NOMEM;

    base_secret_free(&store->record_key);
    if (sub && crypto_kdf_derive_from_key(sub, KEY_BYTES, RECORD_SUBKEY_ID,
                                          KDF_CONTEXT, dek) == 0)
        result = base_secret_new(sub, KEY_BYTES, &store->record_key);
    else if (sub)
        result = BASE_E_CRYPTO;
    sodium_free(sub);
    return result;
}

static enum base_status run(struct db_store *store, int replace)
{
    unsigned char *kek = sodium_malloc(KEY_BYTES);
    unsigned char *dek = sodium_malloc(KEY_BYTES);
    enum base_status result = BASE_E_NOMEM;

    if (!kek || !dek)
        goto out;
    result = load_key(store, kek);
    if (result == BASE_OK)
        result = unlock(store, kek, dek, replace);
    if (result == BASE_OK && store->vault == DB_VAULT_READY)
        result = derive(store, dek);
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
    base_secret_free(&store->record_key);
    store->vault = DB_VAULT_CLOSED;
}
