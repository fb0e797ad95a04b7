/* JSON renderings of session data for the subcommands' --json output, so
 * that the front end needs no JSON library. */
#ifndef BEZALA_CORE_OUTPUT_H
#define BEZALA_CORE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct core_session;

/* Each returns a new NUL-terminated JSON text (the caller frees it) or
 * NULL when memory runs out. Field names are the product contract:
 * whoami {"server","user":{"id","name","email"},"company":{"id","name",
 * "roles"},"changed_elsewhere"}; companies [{"id","name","state","roles",
 * "active"}]. The views' lists (users, receipts, ...) are rendered by
 * core_view_json. */
char *core_output_whoami(const struct core_session *session);
char *core_output_companies(const struct core_session *session);

/* A stored account as `bezala accounts` lists it. */
struct core_output_account {
    const char *server;
    const char *email;
    int64_t user_id;
    bool signed_in;
    bool current;
    bool service_user;
};

/* [{"server","email","user_id","signed_in","current","service_user"}] */
char *core_output_accounts(const struct core_output_account *accounts,
                           size_t count);

#endif
