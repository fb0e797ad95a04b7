/* Cached server answers, kept per (account, company, kind) as the JSON
 * text the server sent or, for lists of any size, as numbered parts, so
 * that nothing of one company is shown under another. */
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

/* The largest part of a list that db_cache_put_parts stores. */
#define DB_CACHE_PART_MAX (64u * 1024u * 1024u)

/* Gives db_cache_put_parts the next part of a list: *part (borrowed
 * until the next call) of *len bytes, or *part NULL when the list has
 * ended. Any status but BASE_OK stops the write. */
typedef enum base_status (*db_cache_next_part)(void *user, const char **part,
                                               size_t *len);

/* Stores a list under (account, company, kind) as parts numbered from 0,
 * taken from next one at a time and each written as it comes, so that
 * the whole list is never in memory; every part of the list stored there
 * before goes, all in one transaction, so that a reader finds the old
 * list or the new one whole, never a mix. A list has at least one part.
 * On any failure nothing changes and the previous list stays: a status
 * of next; BASE_E_INVALID for NULL arguments, a negative company or a
 * list of no parts; BASE_E_AUTH for an unknown account; BASE_E_TOO_LARGE
 * for a part above DB_CACHE_PART_MAX; BASE_E_STORE (or BASE_E_IO) when
 * writing fails, the disk being full, with the detail in the last
 * error. */
enum base_status db_cache_put_parts(struct db_store *store, int64_t account_id,
                                    int64_t company_id, const char *kind,
                                    db_cache_next_part next, void *user)
    __attribute__((warn_unused_result));

/* A list stored in parts: its id (never that of another list, so that a
 * list replaced meanwhile is told apart), how many parts it has and when
 * it was stored (unix seconds). */
struct db_cache_list {
    int64_t id;
    size_t parts;
    int64_t stored_at;
};

/* The list of (account, company, kind) and its part 0, read together: a
 * copy of the part (NUL-terminated, the caller frees it) in *part, its
 * length in *len. BASE_OK with *part NULL (and *list zeroed) when no
 * list is stored. BASE_E_INVALID for NULL arguments. */
enum base_status db_cache_get_first(struct db_store *store, int64_t account_id,
                                    int64_t company_id, const char *kind,
                                    struct db_cache_list *list, char **part,
                                    size_t *len)
    __attribute__((warn_unused_result));

/* Part index of the list list_id (db_cache_get_first's id): a copy in
 * *part as there. BASE_OK with *part NULL when that list is no longer
 * stored (replaced or cleared since) or has no such part. */
enum base_status db_cache_get_part(struct db_store *store, int64_t list_id,
                                   size_t index, char **part, size_t *len)
    __attribute__((warn_unused_result));

/* Forgets everything cached for the account. */
enum base_status db_cache_clear(struct db_store *store, int64_t account_id)
    __attribute__((warn_unused_result));

#endif
