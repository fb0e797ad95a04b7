/* Builds the canonical associated data that binds ciphertexts to their
 * context. */
#include "db/ad.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(struct db_ad *ad, size_t more)
{
    size_t want;
    unsigned char *grown;

    if (ad->failed)
        return -1;
    if (more > SIZE_MAX / 2 - ad->len)
        goto fail;
    want = ad->len + more;
    if (want <= ad->cap)
        return 0;
    want = want < 128 ? 128 : want * 2;
    grown = realloc(ad->buf, want);
    if (!grown)
        goto fail;
    ad->buf = grown;
    ad->cap = want;
    return 0;

fail:
    ad->failed = 1;
    return -1;
}

void db_ad_add(struct db_ad *ad, const void *bytes, size_t len)
{
    unsigned char prefix[4];

    if (!ad)
        return;
    if (len > UINT32_MAX || reserve(ad, len + 4) < 0) {
        ad->failed = 1;
        return;
    }
    prefix[0] = (unsigned char)(len >> 24);
    prefix[1] = (unsigned char)(len >> 16);
    prefix[2] = (unsigned char)(len >> 8);
    prefix[3] = (unsigned char)len;
    memcpy(ad->buf + ad->len, prefix, 4);
    if (len)
        memcpy(ad->buf + ad->len + 4, bytes, len);
    ad->len += len + 4;
}

void db_ad_add_str(struct db_ad *ad, const char *str)
{
    db_ad_add(ad, str ? str : "", str ? strlen(str) : 0);
}

void db_ad_add_lower(struct db_ad *ad, const char *str)
{
    size_t len = str ? strlen(str) : 0;
    size_t start;
    size_t i;

    db_ad_add(ad, str ? str : "", len);
    if (!ad || ad->failed)
        return;
    start = ad->len - len;
    for (i = 0; i < len; i++) {
        unsigned char c = ad->buf[start + i];

        if (c >= 'A' && c <= 'Z')
            ad->buf[start + i] = (unsigned char)(c - 'A' + 'a');
    }
}

void db_ad_add_int(struct db_ad *ad, int64_t value)
{
    char text[32];

    snprintf(text, sizeof(text), "%" PRId64, value);
    db_ad_add_str(ad, text);
}

enum base_status db_ad_status(const struct db_ad *ad)
{
    return (!ad || ad->failed) ? BASE_E_NOMEM : BASE_OK;
}

void db_ad_clear(struct db_ad *ad)
{
    if (!ad)
        return;
    free(ad->buf);
    memset(ad, 0, sizeof(*ad));
}
