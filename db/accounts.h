/* Stored sign-in accounts: one row per (server, email). */
#ifndef BEZALA_DB_ACCOUNTS_H
#define BEZALA_DB_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct db_store;

/* A data record; every string is owned by the record. */
struct db_account {
    int64_t id;
    char *server; /* base URL, e.g. "https://127.0.0.1:8443" */
    char *email;
    int64_t user_id;        /* 0 when unknown */
    int64_t company_id;     /* company this client last saw active, 0 */
    bool has_token;         /* a token row exists (it may not decrypt) */
    int64_t last_used_at;   /* unix seconds */
    bool service_user;      /* marked by the user as an integration user */
    int64_t chosen_company; /* company the user chose, 0 none yet */
};

/* Creates or updates the account (server, email), records user_id when
 * not 0, marks it used now, and returns its id in *account_id. The email
 * is stored trimmed and ASCII lower-case. */
enum base_status db_accounts_upsert(struct db_store *store, const char *server,
                                    const char *email, int64_t user_id,
                                    int64_t *account_id)
    __attribute__((warn_unused_result));

/* Every account, most recently used first. The caller frees the array
 * with db_accounts_list_free. */
enum base_status db_accounts_list(struct db_store *store,
                                  struct db_account **out, size_t *count)
    __attribute__((warn_unused_result));
void db_accounts_list_free(struct db_account **list, size_t count);

/* The account for (server, email), or with email NULL the most recently
 * used account on server (whether it has a token or not: a rejected token
 * never moves a script to another identity), or with server NULL too the
 * same among all servers.
 * Emails match trimmed and ASCII case-insensitively. BASE_E_AUTH when
 * there is none. The caller frees *out's strings with db_accounts_clear. */
enum base_status db_accounts_find(struct db_store *store, const char *server,
                                  const char *email, struct db_account *out)
    __attribute__((warn_unused_result));
void db_accounts_clear(struct db_account *account);

/* Records the company this client believes is active for the account. */
enum base_status db_accounts_set_company(struct db_store *store,
                                         int64_t account_id, int64_t company_id)
    __attribute__((warn_unused_result));

/* Records the company the user chose for the account (pinning goes back
 * to it); 0 forgets the choice. BASE_E_AUTH when there is no such
 * account, BASE_E_INVALID for NULL or a negative id. */
enum base_status db_accounts_set_chosen(struct db_store *store,
                                        int64_t account_id, int64_t company_id)
    __attribute__((warn_unused_result));

/* Marks the account as a service (integration) user or clears the mark.
 * BASE_E_AUTH when there is no such account, BASE_E_INVALID for NULL. */
enum base_status db_accounts_set_service(struct db_store *store,
                                         int64_t account_id, bool service_user)
    __attribute__((warn_unused_result));

/* Removes the account, its token and its cache. */
enum base_status db_accounts_delete(struct db_store *store, int64_t account_id)
    __attribute__((warn_unused_result));

#endif
