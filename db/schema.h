/* The database schema and its ordered migrations, versioned with PRAGMA
 * user_version. */
#ifndef BEZALA_DB_SCHEMA_H
#define BEZALA_DB_SCHEMA_H

#include "base/status.h"

struct db_store;

/* The user_version a store has after db_schema_migrate. */
#define DB_SCHEMA_VERSION 5

/* Applies every migration past the file's user_version in one write
 * transaction. BASE_E_STORE when the file comes from a newer schema. */
enum base_status db_schema_migrate(struct db_store *store)
    __attribute__((warn_unused_result));

#endif
