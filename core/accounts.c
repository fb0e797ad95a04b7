/* The stored accounts, listed and forgotten without a session. */
#include "core/accounts.h"

#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "core/http.h"
#include "core/text.h"
#include "db/accounts.h"
#include "db/cache.h"
#include "db/store.h"
#include "db/tokens.h"

/* Signed in only when the stored token decrypts; the plain token is
 * wiped at once. A locked vault cannot tell, so there a stored token
 * counts. */
static bool token_readable(struct db_store *store, const struct db_account *a)
{
    struct base_secret *token = NULL;
    enum base_status r;

    if (!a->has_token)
        return false;
    r = db_tokens_get(store, a->id, &token);
    base_secret_free(&token);
    return r == BASE_OK || r == BASE_E_LOCKED;
}

/* True when a session on the account's server without an email would
 * take this account. */
static bool is_current(struct db_store *store, const struct db_account *a)
{
    struct db_account found;
    bool current;

    if (db_accounts_find(store, a->server, NULL, &found) != BASE_OK)
        return false;
    current = found.id == a->id;
    db_accounts_clear(&found);
    return current;
}

static enum base_status copy_list(struct db_store *store,
                                  const struct db_account *list, size_t count,
                                  struct core_account **out)
{
    struct core_account *accounts;
    size_t i;

    accounts = calloc(count ? count : 1, sizeof(*accounts));
    if (!accounts)
        return BASE_E_NOMEM;
    for (i = 0; i < count; i++) {
        accounts[i].server = strdup(list[i].server ? list[i].server : "");
        accounts[i].email = strdup(list[i].email ? list[i].email : "");
        accounts[i].user_id = list[i].user_id;
        accounts[i].signed_in = token_readable(store, &list[i]);
        accounts[i].service_user = list[i].service_user;
        accounts[i].current = is_current(store, &list[i]);
        if (!accounts[i].server || !accounts[i].email) {
            core_accounts_free(&accounts, count);
            return BASE_E_NOMEM;
        }
    }
    *out = accounts;
    return BASE_OK;
}

enum base_status core_accounts_list(const char *data_dir, const char *key_dir,
                                    struct core_account **out, size_t *count)
{
    struct db_store *store = NULL;
    struct db_account *list = NULL;
    size_t n = 0;
    enum base_status r;

    if (!data_dir || !key_dir || !out || !count)
        return BASE_E_INVALID;
    r = db_store_open(data_dir, key_dir, &store);
    if (r != BASE_OK)
        return r;
    r = db_accounts_list(store, &list, &n);
    if (r == BASE_OK)
        r = copy_list(store, list, n, out);
    if (r == BASE_OK)
        *count = n;
    db_accounts_list_free(&list, n);
    db_store_free(&store);
    return r;
}

void core_accounts_free(struct core_account **accounts, size_t count)
{
    size_t i;

    if (!accounts || !*accounts)
        return;
    for (i = 0; i < count; i++) {
        free((*accounts)[i].server);
        free((*accounts)[i].email);
    }
    free(*accounts);
    *accounts = NULL;
}

/* Opens the store and finds (server, email) in it; on success the caller
 * frees *store and clears *account. */
static enum base_status open_account(const char *data_dir, const char *key_dir,
                                     const char *server, const char *email,
                                     struct db_store **store,
                                     struct db_account *account)
{
    struct db_store *opened = NULL;
    char *normal = NULL;
    char *canonical = NULL;
    enum base_status r;

    r = core_http_check_url(server, &normal, NULL, 0);
    if (r != BASE_OK)
        return r;
    canonical = core_text_email(email);
    r = canonical ? db_store_open(data_dir, key_dir, &opened) : BASE_E_NOMEM;
    if (r == BASE_OK)
        r = db_accounts_find(opened, normal, canonical, account);
    if (r == BASE_OK)
        *store = opened;
    else
        db_store_free(&opened);
    free(canonical);
    free(normal);
    return r;
}

/* The current account of a server was signed out: the most recently used
 * other account there that still has a token becomes current (its use is
 * marked now), if there is one. */
static enum base_status promote_other(struct db_store *store,
                                      const struct db_account *gone)
{
    struct db_account *list = NULL;
    size_t n = 0;
    size_t i;
    int64_t id = 0;
    enum base_status r;

    r = db_accounts_list(store, &list, &n);
    for (i = 0; r == BASE_OK && i < n; i++) {
        if (list[i].id == gone->id || !list[i].has_token ||
            strcmp(list[i].server, gone->server) != 0)
            continue;
        r = db_accounts_upsert(store, list[i].server, list[i].email, 0, &id);
        break;
    }
    db_accounts_list_free(&list, n);
    return r;
}

/* Drops the account's cached lists and its token; when it was current,
 * another signed-in account takes its place. */
static enum base_status forget_one(struct db_store *store,
                                   const struct db_account *account)
{
    bool current = is_current(store, account);
    enum base_status r;

    r = db_cache_clear(store, account->id);
    if (r == BASE_OK)
        r = db_tokens_delete(store, account->id);
    if (r == BASE_OK && current)
        r = promote_other(store, account);
    return r;
}

enum base_status core_accounts_forget(const char *data_dir, const char *key_dir,
                                      const char *server, const char *email)
{
    struct db_store *store = NULL;
    struct db_account account;
    enum base_status r;

    if (!data_dir || !key_dir || !server || !email)
        return BASE_E_INVALID;
    r = open_account(data_dir, key_dir, server, email, &store, &account);
    if (r != BASE_OK)
        return r;
    r = forget_one(store, &account);
    db_accounts_clear(&account);
    db_store_free(&store);
    return r;
}

static enum base_status clear_caches(struct db_store *store)
{
    struct db_account *list = NULL;
    size_t n = 0;
    size_t i;
    enum base_status r;

    r = db_accounts_list(store, &list, &n);
    for (i = 0; r == BASE_OK && i < n; i++)
        r = db_cache_clear(store, list[i].id);
    db_accounts_list_free(&list, n);
    return r;
}

enum base_status core_accounts_forget_all(const char *data_dir,
                                          const char *key_dir)
{
    struct db_store *store = NULL;
    enum base_status r;

    if (!data_dir || !key_dir)
        return BASE_E_INVALID;
    r = db_store_open(data_dir, key_dir, &store);
    if (r == BASE_OK)
        r = clear_caches(store);
    if (r == BASE_OK)
        r = db_tokens_delete_all(store);
    db_store_free(&store);
    return r;
}

enum base_status core_accounts_set_service(const char *data_dir,
                                           const char *key_dir,
                                           const char *server,
                                           const char *email, bool service_user)
{
    struct db_store *store = NULL;
    struct db_account account;
    enum base_status r;

    if (!data_dir || !key_dir || !server || !email)
        return BASE_E_INVALID;
    r = open_account(data_dir, key_dir, server, email, &store, &account);
    if (r != BASE_OK)
        return r;
    r = db_accounts_set_service(store, account.id, service_user);
    db_accounts_clear(&account);
    db_store_free(&store);
    return r;
}
