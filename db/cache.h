/* Cached server answers, kept per (account, company, kind) as the JSON
 * text the server sent, so that nothing of one company is shown under
 * another. */
#ifndef BEZALA_DB_CACHE_H
#define BEZALA_DB_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct db_store;

/* Stores body (len bytes) under (account, company, kind), replacing what
 * was there, stamped now. company_id 0 is for answers that belong to the
 * account, such as the home document. */
enum base_status db_cache_put(struct db_store *store, int64_t account_id,
                              int64_t company_id, const char *kind,
                              const char *body, size_t len)
    __attribute__((warn_unused_result));

/* A copy of the cached body (NUL-terminated, the caller frees it) and when
 * it was stored (unix seconds). BASE_OK with *body NULL when nothing is
 * cached. */
enum base_status db_cache_get(struct db_store *store, int64_t account_id,
                              int64_t company_id, const char *kind, char **body,
                              size_t *len, int64_t *stored_at)
    __attribute__((warn_unused_result));

/* Forgets everything cached for the account. */
enum base_status db_cache_clear(struct db_store *store, int64_t account_id)
    __attribute__((warn_unused_result));

#endif
