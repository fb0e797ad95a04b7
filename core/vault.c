/* Vault management for the subcommands: thin calls into db/vault.h with
 * the store opened and closed around each, and their failure kept. */
#include "core/vault.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "db/store.h"
#include "db/vault.h"

#define ERROR_MAX 512

static _Thread_local char last_error[ERROR_MAX];

const char *core_vault_last_error(void)
{
    return last_error;
}

static enum base_status open_store(const char *data_dir, const char *key_dir,
                                   struct db_store **store)
{
    enum base_status r;

    last_error[0] = '\0';
    if (!data_dir || !key_dir) {
        snprintf(last_error, sizeof(last_error),
                 "the vault needs a data and a key directory");
        return BASE_E_INVALID;
    }
    r = db_store_open(data_dir, key_dir, store);
    if (r != BASE_OK)
        snprintf(last_error, sizeof(last_error), "%s", db_store_open_error());
    return r;
}

/* Keeps the store's reason for r, then closes the store. */
static enum base_status close_store(struct db_store **store, enum base_status r)
{
    if (r != BASE_OK && *store && !last_error[0])
        snprintf(last_error, sizeof(last_error), "%s",
                 db_store_last_error(*store));
    db_store_free(store);
    return r;
}

enum base_status core_vault_info(const char *data_dir, const char *key_dir,
                                 struct core_vault_info *out)
{
    struct db_store *store = NULL;
    struct db_vault_info info;
    enum base_status r;

    if (!out)
        return BASE_E_INVALID;
    r = open_store(data_dir, key_dir, &store);
    if (r == BASE_OK)
        r = db_vault_info(store, &info);
    if (r == BASE_OK) {
        memset(out, 0, sizeof(*out));
        out->passphrase = info.mode == DB_VAULT_PASSPHRASE;
        out->unlocked = info.unlocked;
        snprintf(out->kdf_alg, sizeof(out->kdf_alg), "%s", info.kdf_alg);
        out->opslimit = info.opslimit;
        out->memlimit = info.memlimit;
    }
    return close_store(&store, r);
}

char *core_vault_info_json(const struct core_vault_info *info)
{
    json_t *kdf;
    json_t *root;
    char *text = NULL;

    if (!info)
        return NULL;
    if (info->passphrase)
        kdf = json_pack("{s:s, s:I, s:I}", "alg", info->kdf_alg, "opslimit",
                        (json_int_t)info->opslimit, "memlimit",
                        (json_int_t)info->memlimit);
    else
        kdf = json_null();
    root = json_pack("{s:s, s:o}", "mode",
                     info->passphrase ? "passphrase" : "keyfile", "kdf", kdf);
    if (root)
        text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return text;
}

enum base_status
core_vault_set_passphrase(const char *data_dir, const char *key_dir,
                          const struct base_secret *old_passphrase,
                          const struct base_secret *new_passphrase)
{
    struct db_store *store = NULL;
    struct db_vault_info info;
    enum base_status r;

    r = open_store(data_dir, key_dir, &store);
    if (r == BASE_OK)
        r = db_vault_info(store, &info);
    if (r == BASE_OK && info.mode == DB_VAULT_PASSPHRASE && !old_passphrase) {
        snprintf(last_error, sizeof(last_error),
                 "the current passphrase is needed to change it");
        r = BASE_E_LOCKED;
    }
    if (r == BASE_OK && info.mode == DB_VAULT_KEYFILE && !new_passphrase) {
        snprintf(last_error, sizeof(last_error),
                 "the vault has no passphrase to remove");
        r = BASE_E_USAGE;
    }
    if (r == BASE_OK)
        r = db_vault_set_passphrase(
            store, info.mode == DB_VAULT_PASSPHRASE ? old_passphrase : NULL,
            new_passphrase);
    if (r == BASE_OK)
        snprintf(last_error, sizeof(last_error), "%s",
                 db_store_last_error(store));
    return close_store(&store, r);
}

enum base_status core_vault_rekey(const char *data_dir, const char *key_dir,
                                  const struct base_secret *passphrase)
{
    struct db_store *store = NULL;
    struct db_vault_info info;
    enum base_status r;

    r = open_store(data_dir, key_dir, &store);
    if (r == BASE_OK)
        r = db_vault_info(store, &info);
    if (r == BASE_OK && info.mode == DB_VAULT_PASSPHRASE && !info.unlocked) {
        if (passphrase) {
            r = db_vault_unlock(store, passphrase);
        } else {
            snprintf(last_error, sizeof(last_error),
                     "the passphrase is needed to rotate the key");
            r = BASE_E_LOCKED;
        }
    }
    if (r == BASE_OK)
        r = db_vault_rekey(store);
    return close_store(&store, r);
}

enum base_status core_vault_lock(const char *data_dir, const char *key_dir)
{
    struct db_store *store = NULL;
    enum base_status r;

    r = open_store(data_dir, key_dir, &store);
    if (r == BASE_OK)
        db_vault_lock(store);
    return close_store(&store, r);
}
