/* Canonical associated data: a length-prefixed concatenation of fields,
 * so that "ab"+"c" and "a"+"bc" never encode the same. */
#ifndef BEZALA_DB_AD_H
#define BEZALA_DB_AD_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct db_ad {
    unsigned char *buf;
    size_t len;
    size_t cap;
    int failed; /* an append ran out of memory */
};

/* Appends a 4-byte big-endian length and then len bytes. */
void db_ad_add(struct db_ad *ad, const void *bytes, size_t len);

/* Appends a NUL-terminated string; NULL appends an empty field. */
void db_ad_add_str(struct db_ad *ad, const char *str);

/* Appends a string lower-cased (ASCII). */
void db_ad_add_lower(struct db_ad *ad, const char *str);

/* Appends the decimal form of value. */
void db_ad_add_int(struct db_ad *ad, int64_t value);

/* BASE_OK, or BASE_E_NOMEM when an append failed. */
enum base_status db_ad_status(const struct db_ad *ad)
    __attribute__((warn_unused_result));

/* Frees the buffer and resets ad; accepts NULL. */
void db_ad_clear(struct db_ad *ad);

#endif
