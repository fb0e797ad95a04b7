/* Stored accounts as the front end sees them, without a session. */
#ifndef BEZALA_CORE_ACCOUNTS_H
#define BEZALA_CORE_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct core_account {
    char *server;
    char *email;
    int64_t user_id;
    bool signed_in;    /* a stored token decrypts (the server may still
                          reject it); in a locked vault: a token is
                          stored */
    bool service_user; /* marked by the user as an integration account */
    bool current;      /* the account a session on its server without an
                          email would use: the most recently used one,
                          signed in or not */
};

/* Every stored account in the store at data_dir/key_dir, most recently
 * used first, one of them current per server. Free with
 * core_accounts_free. */
enum base_status core_accounts_list(const char *data_dir, const char *key_dir,
                                    struct core_account **out, size_t *count)
    __attribute__((warn_unused_result));
void core_accounts_free(struct core_account **accounts, size_t count);

/* Forgets the token of (server, email): wiped from the store, with the
 * account's cached lists. When it was the current account of its server,
 * the most recently used other account there that still has a token
 * becomes current, if there is one. The email matches whatever its case
 * and surrounding blanks. BASE_E_AUTH when there is no such account. */
enum base_status core_accounts_forget(const char *data_dir, const char *key_dir,
                                      const char *server, const char *email)
    __attribute__((warn_unused_result));

/* Forgets the token and the cached lists of every stored account (the
 * accounts stay, signed out); the WAL is checkpointed. */
enum base_status core_accounts_forget_all(const char *data_dir,
                                          const char *key_dir)
    __attribute__((warn_unused_result));

/* Marks (server, email) as a service user or not. BASE_E_AUTH when there
 * is no such account; BASE_E_USAGE for an invalid server URL. */
enum base_status core_accounts_set_service(const char *data_dir,
                                           const char *key_dir,
                                           const char *server,
                                           const char *email, bool service_user)
    __attribute__((warn_unused_result));

#endif
