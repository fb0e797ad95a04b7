/* The one type that holds a secret (token, password, key) in locked,
 * guarded memory that is wiped when freed. */
#ifndef BEZALA_BASE_SECRET_H
#define BEZALA_BASE_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

struct base_secret;

/* Initialises libsodium; call once before anything else. BASE_E_CRYPTO if
 * libsodium cannot start. */
enum base_status base_secret_init(void) __attribute__((warn_unused_result));

/* Copies len bytes into a new secret (NUL-terminated inside). The caller
 * owns *out and frees it with base_secret_free. BASE_E_INVALID on NULL
 * arguments, BASE_E_NOMEM when locked memory runs out. */
enum base_status base_secret_new(const void *bytes, size_t len,
                                 struct base_secret **out)
    __attribute__((warn_unused_result));

/* A new secret of len random bytes. */
enum base_status base_secret_random(size_t len, struct base_secret **out)
    __attribute__((warn_unused_result));

/* A new secret holding a copy of src. */
enum base_status base_secret_dup(const struct base_secret *src,
                                 struct base_secret **out)
    __attribute__((warn_unused_result));

/* Wipes and frees *secret, then sets it to NULL. Accepts NULL. */
void base_secret_free(struct base_secret **secret);

/* The bytes, borrowed while the secret lives; always NUL-terminated. */
const unsigned char *base_secret_bytes(const struct base_secret *secret);
const char *base_secret_str(const struct base_secret *secret);
size_t base_secret_len(const struct base_secret *secret);

/* Constant-time comparison of contents; false when either is NULL. */
bool base_secret_equal(const struct base_secret *a,
                       const struct base_secret *b);

/* Wipes len bytes at p in a way the compiler cannot drop. */
void base_secret_wipe(void *p, size_t len);

/* Turns off core dumps and ptrace attach for this process. */
void base_secret_harden_process(void);

#endif
