/* Shared helpers for the db tests: a fresh private directory per test,
 * raw SQL against the store file, and file inspection. */
#ifndef BEZALA_TESTS_DB_UTIL_H
#define BEZALA_TESTS_DB_UTIL_H

#include <stddef.h>
#include <stdint.h>

struct db_store;

/* A temporary root under /tmp holding data/ and conf/. */
struct util_dirs {
    char root[64];
    char data[96];
    char key[96];
    char db[128];
    char keyfile[128];
};

/* Creates the root with mkdtemp; data/ and conf/ are left to the store.
 * Returns 0 on success. */
int util_dirs_new(struct util_dirs *dirs);

/* Removes the root and everything below it. */
void util_dirs_remove(struct util_dirs *dirs);

/* Opens the store in dirs, or fails the test. */
struct db_store *util_open(const struct util_dirs *dirs);

/* The state most db tests share: a fresh directory, the store open in it,
 * and the ids of the two accounts that util_add_pair adds. */
struct util_fixture {
    struct util_dirs dirs;
    struct db_store *store;
    int64_t ann;
    int64_t bob;
};

/* cmocka setup: a new util_fixture in *state. Returns 0 on success. */
int util_setup(void **state);

/* Adds ann@example.test and bob@example.test on server with the user ids
 * given, into f->ann and f->bob. Returns 0 on success. */
int util_add_pair(struct util_fixture *f, const char *server, int64_t ann_user,
                  int64_t bob_user);

/* Closes *store (NULL accepted) and removes dirs. */
void util_close(struct util_dirs *dirs, struct db_store **store);

/* cmocka teardown of util_setup: closes, removes and frees. */
int util_teardown(void **state);

/* Runs SQL on the database file through a separate connection; returns
 * the SQLite result code. */
int util_sql(const char *db, const char *sql);

/* The first column of the first row of query as an integer; -1 when no
 * row. */
int64_t util_sql_int(const char *db, const char *query);

/* Flips bit 0 of byte at offset in column col of table where the row
 * matches where_sql (constant SQL); the value is written back as blob
 * or text as it was. Returns 0 on success. */
int util_flip_bit(const char *db, const char *table, const char *col,
                  const char *where_sql, size_t offset);

/* Reads a blob column into buf (cap bytes); returns its length or -1. */
long util_sql_blob(const char *db, const char *query, unsigned char *buf,
                   size_t cap);

/* The permission bits of path, or -1 when it does not exist (lstat). */
int util_mode(const char *path);

/* The size of path, or -1 when it does not exist. */
long util_size(const char *path);

/* 1 when needle (len bytes) occurs in any regular file below dir. */
int util_tree_contains(const char *dir, const void *needle, size_t len);

/* Writes len bytes to path (created or truncated) with mode. */
int util_write_file(const char *path, const void *bytes, size_t len, int mode);

#endif
