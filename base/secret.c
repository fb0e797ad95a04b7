/* Secrets in sodium-allocated memory: guard pages, mlock, no core dump,
 * zeroed on free. */
#include "base/secret.h"

#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

struct base_secret {
    size_t len;
    unsigned char *bytes; /* sodium_malloc'd, len + 1 bytes */
};

enum base_status base_secret_init(void)
{
    return sodium_init() < 0 ? BASE_E_CRYPTO : BASE_OK;
}

static enum base_status alloc_secret(size_t len, struct base_secret **out)
{
    struct base_secret *secret = sodium_malloc(sizeof(*secret));

    if (!secret)
        return BASE_E_NOMEM;
    secret->bytes = sodium_malloc(len + 1);
    if (!secret->bytes) {
        sodium_free(secret);
        return BASE_E_NOMEM;
    }
    secret->len = len;
    secret->bytes[len] = '\0';
    *out = secret;
    return BASE_OK;
}

enum base_status base_secret_new(const void *bytes, size_t len,
                                 struct base_secret **out)
{
    struct base_secret *secret = NULL;
    enum base_status result;

    if (!out || (!bytes && len))
        return BASE_E_INVALID;
    result = alloc_secret(len, &secret);
    if (result != BASE_OK)
        return result;
    if (len)
        memcpy(secret->bytes, bytes, len);
    *out = secret;
    return BASE_OK;
}

enum base_status base_secret_random(size_t len, struct base_secret **out)
{
    struct base_secret *secret = NULL;
    enum base_status result;

    if (!out)
        return BASE_E_INVALID;
    result = alloc_secret(len, &secret);
    if (result != BASE_OK)
        return result;
    randombytes_buf(secret->bytes, len);
    *out = secret;
    return BASE_OK;
}

enum base_status base_secret_dup(const struct base_secret *src,
                                 struct base_secret **out)
{
    if (!src)
        return BASE_E_INVALID;
    return base_secret_new(src->bytes, src->len, out);
}

void base_secret_free(struct base_secret **secret)
{
    if (!secret || !*secret)
        return;
    sodium_free((*secret)->bytes);
    sodium_free(*secret);
    *secret = NULL;
}

const unsigned char *base_secret_bytes(const struct base_secret *secret)
{
    return secret ? secret->bytes : NULL;
}

const char *base_secret_str(const struct base_secret *secret)
{
    return secret ? (const char *)secret->bytes : NULL;
}

size_t base_secret_len(const struct base_secret *secret)
{
    return secret ? secret->len : 0;
}

bool base_secret_equal(const struct base_secret *a, const struct base_secret *b)
{
    if (!a || !b || a->len != b->len)
        return false;
    return sodium_memcmp(a->bytes, b->bytes, a->len) == 0;
}

void base_secret_wipe(void *p, size_t len)
{
    if (p && len)
        sodium_memzero(p, len);
}

void base_secret_harden_process(void)
{
    struct rlimit none = {0, 0};

    setrlimit(RLIMIT_CORE, &none);
#ifndef __SANITIZE_ADDRESS__
    /* LeakSanitizer inspects the process through ptrace at exit, which a
     * non-dumpable process refuses: the check then spins forever. The
     * sanitizer build is for tests only and keeps core dumps off above. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}
