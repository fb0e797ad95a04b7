/* The vault as the subcommands manage it: mode and parameters, their
 * JSON, passphrase set, change and removal, key rotation and lock, on a
 * store made here without a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "base/secret.h"
#include "core/vault.h"
#include "db/accounts.h"
#include "db/store.h"
#include "db/tokens.h"
#include "db/vault.h"
#include "db/vault_test.h"
#include "tests/core/home.h"

#define SERVER "https://127.0.0.1:8443"
#define TOKEN "qT3xZp0-aBcDeFgH1jKl"
#define PW_ONE "first passphrase, long enough"
#define PW_TWO "second passphrase, also long"

struct fixture {
    char home[64];
    char data_dir[96];
    char key_dir[96];
    int64_t account;
};

/* A store with one account and its token, in key-file mode. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct base_secret *token = NULL;
    struct db_store *store = NULL;

    if (!f)
        return -1;
    if (home_make("vault", f->home, sizeof(f->home), f->data_dir,
                  sizeof(f->data_dir), f->key_dir, sizeof(f->key_dir)) != 0)
        return -1;
    if (db_store_open(f->data_dir, f->key_dir, &store) != BASE_OK ||
        db_accounts_upsert(store, SERVER, "a@example.test", 7, &f->account) !=
            BASE_OK ||
        base_secret_new(TOKEN, strlen(TOKEN), &token) != BASE_OK ||
        db_tokens_put(store, f->account, token) != BASE_OK)
        return -1;
    base_secret_free(&token);
    db_store_free(&store);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    home_remove(f->home);
    free(f);
    return 0;
}

static struct base_secret *secret(const char *text)
{
    struct base_secret *s = NULL;

    if (text)
        assert_int_equal(base_secret_new(text, strlen(text), &s), BASE_OK);
    return s;
}

static enum base_status set_pw(const struct fixture *f, const char *old,
                               const char *pw)
{
    struct base_secret *o = secret(old);
    struct base_secret *n = secret(pw);
    enum base_status r;

    r = core_vault_set_passphrase(f->data_dir, f->key_dir, o, n);
    base_secret_free(&o);
    base_secret_free(&n);
    return r;
}

static enum base_status rekey(const struct fixture *f, const char *pw)
{
    struct base_secret *p = secret(pw);
    enum base_status r;

    r = core_vault_rekey(f->data_dir, f->key_dir, p);
    base_secret_free(&p);
    return r;
}

/* Reads the token back, unlocking with pw when not NULL: BASE_OK only
 * when it is the token stored at setup. */
static enum base_status token_with(const struct fixture *f, const char *pw)
{
    struct base_secret *token = NULL;
    struct base_secret *p = secret(pw);
    struct db_store *store = NULL;
    enum base_status r;

    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    r = p ? db_vault_unlock(store, p) : BASE_OK;
    if (r == BASE_OK)
        r = db_tokens_get(store, f->account, &token);
    if (r == BASE_OK)
        assert_string_equal(base_secret_str(token), TOKEN);
    base_secret_free(&token);
    base_secret_free(&p);
    db_store_free(&store);
    return r;
}

static struct core_vault_info info_of(const struct fixture *f)
{
    struct core_vault_info info;

    memset(&info, 0xff, sizeof(info));
    assert_int_equal(core_vault_info(f->data_dir, f->key_dir, &info), BASE_OK);
    return info;
}

static void test_core_vault_info_null(void **state)
{
    struct fixture *f = *state;
    struct core_vault_info info;

    assert_int_equal(core_vault_info(NULL, f->key_dir, &info), BASE_E_INVALID);
    assert_int_equal(core_vault_info(f->data_dir, NULL, &info), BASE_E_INVALID);
    assert_true(strlen(core_vault_last_error()) > 0);
    assert_int_equal(core_vault_info(f->data_dir, f->key_dir, NULL),
                     BASE_E_INVALID);
    assert_null(core_vault_info_json(NULL));
    assert_int_equal(core_vault_lock(NULL, f->key_dir), BASE_E_INVALID);
    assert_int_equal(rekey(f, NULL), BASE_OK);
}

static void test_core_vault_info_keyfile(void **state)
{
    struct fixture *f = *state;
    struct core_vault_info info = info_of(f);
    json_error_t error;
    json_t *doc;
    char *text;

    assert_false(info.passphrase);
    assert_true(info.unlocked);
    assert_string_equal(info.kdf_alg, "");
    assert_int_equal(info.opslimit, 0);
    assert_int_equal(info.memlimit, 0);
    text = core_vault_info_json(&info);
    doc = json_loads(text, 0, &error);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "mode")),
                        "keyfile");
    assert_true(json_is_null(json_object_get(doc, "kdf")));
    assert_int_equal(json_object_size(doc), 2);
    json_decref(doc);
    free(text);
    assert_string_equal(core_vault_last_error(), "");
}

static void assert_passphrase_json(const struct core_vault_info *info)
{
    char *text = core_vault_info_json(info);
    json_error_t error;
    json_t *doc;
    json_t *kdf;

    doc = json_loads(text, 0, &error);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "mode")),
                        "passphrase");
    kdf = json_object_get(doc, "kdf");
    assert_string_equal(json_string_value(json_object_get(kdf, "alg")),
                        "argon2id13");
    assert_int_equal(json_integer_value(json_object_get(kdf, "opslimit")),
                     info->opslimit);
    assert_int_equal(json_integer_value(json_object_get(kdf, "memlimit")),
                     info->memlimit);
    json_decref(doc);
    free(text);
}

/* Set, show, change and remove the passphrase; the token stays readable
 * under exactly the current way in. */
static void test_core_vault_set_passphrase_round_trip(void **state)
{
    struct fixture *f = *state;
    struct core_vault_info info;

    assert_int_equal(set_pw(f, NULL, NULL), BASE_E_USAGE);
    assert_int_equal(set_pw(f, NULL, PW_ONE), BASE_OK);
    info = info_of(f);
    assert_true(info.passphrase);
    assert_false(info.unlocked);
    assert_string_equal(info.kdf_alg, "argon2id13");
    assert_int_equal(info.opslimit, crypto_pwhash_OPSLIMIT_MIN);
    assert_int_equal(info.memlimit, crypto_pwhash_MEMLIMIT_MIN);
    assert_passphrase_json(&info);
    assert_int_equal(token_with(f, NULL), BASE_E_LOCKED);
    assert_int_equal(token_with(f, PW_ONE), BASE_OK);
    /* A wrong or missing old passphrase changes nothing. */
    assert_int_equal(set_pw(f, PW_TWO, PW_TWO), BASE_E_PASSPHRASE);
    assert_null(strstr(core_vault_last_error(), PW_TWO));
    assert_int_equal(set_pw(f, NULL, PW_TWO), BASE_E_LOCKED);
    assert_int_equal(token_with(f, PW_ONE), BASE_OK);
    assert_int_equal(set_pw(f, PW_ONE, PW_TWO), BASE_OK);
    assert_int_equal(token_with(f, PW_ONE), BASE_E_PASSPHRASE);
    assert_int_equal(token_with(f, PW_TWO), BASE_OK);
    /* Removed: back to the key file. */
    assert_int_equal(set_pw(f, PW_TWO, NULL), BASE_OK);
    assert_false(info_of(f).passphrase);
    assert_int_equal(token_with(f, NULL), BASE_OK);
}

static void test_core_vault_rekey_needs_passphrase(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(rekey(f, NULL), BASE_OK);
    assert_int_equal(token_with(f, NULL), BASE_OK);
    assert_int_equal(set_pw(f, NULL, PW_ONE), BASE_OK);
    assert_int_equal(rekey(f, NULL), BASE_E_LOCKED);
    assert_true(strlen(core_vault_last_error()) > 0);
    assert_int_equal(rekey(f, PW_TWO), BASE_E_PASSPHRASE);
    assert_int_equal(token_with(f, PW_ONE), BASE_OK);
    assert_int_equal(rekey(f, PW_ONE), BASE_OK);
    assert_string_equal(core_vault_last_error(), "");
    assert_int_equal(token_with(f, PW_ONE), BASE_OK);
    assert_true(info_of(f).passphrase);
}

static void test_core_vault_lock_leaves_vault(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(core_vault_lock(f->data_dir, f->key_dir), BASE_OK);
    assert_int_equal(token_with(f, NULL), BASE_OK);
    assert_int_equal(set_pw(f, NULL, PW_ONE), BASE_OK);
    assert_int_equal(core_vault_lock(f->data_dir, f->key_dir), BASE_OK);
    assert_int_equal(token_with(f, PW_ONE), BASE_OK);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_core_vault_info_null),
        T(test_core_vault_info_keyfile),
        T(test_core_vault_set_passphrase_round_trip),
        T(test_core_vault_rekey_needs_passphrase),
        T(test_core_vault_lock_leaves_vault),
    };

    if (base_secret_init() != BASE_OK)
        return 1;
    db_vault_test_set_kdf(crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
