/* Private directories and files: created 0700 / 0600 and checked before
 * use, refusing symlinks, other owners and group or other access. */
#ifndef BEZALA_DB_FILES_H
#define BEZALA_DB_FILES_H

#include <sys/stat.h>

#include "base/status.h"

struct db_store;

/* Creates dir and its missing parents 0700, then checks dir itself: a
 * real directory (not a symlink) owned by the effective user with no
 * group or other access. BASE_E_PERMISSIONS with the fix in the message,
 * BASE_E_IO when it cannot be created. */
enum base_status db_files_ensure_dir(struct db_store *store, const char *dir)
    __attribute__((warn_unused_result));

/* Checks dir without creating it: a real directory (not a symlink)
 * owned by the effective user with no group or other access.
 * BASE_E_PERMISSIONS with the fix in the message; BASE_E_IO when it
 * cannot be inspected (missing, for one). */
enum base_status db_files_check_dir(struct db_store *store, const char *dir)
    __attribute__((warn_unused_result));

/* Checks what st (from lstat or fstat of path) describes: a regular file
 * owned by the effective user, mode & 077 == 0. BASE_E_PERMISSIONS. */
enum base_status db_files_check_stat(struct db_store *store, const char *path,
                                     const struct stat *st)
    __attribute__((warn_unused_result));

/* BASE_OK when path is missing or passes db_files_check_stat. */
enum base_status db_files_check_private(struct db_store *store,
                                        const char *path)
    __attribute__((warn_unused_result));

/* Creates path empty with mode 0600 (O_EXCL, O_NOFOLLOW) unless it
 * already exists, then checks it. */
enum base_status db_files_create_private(struct db_store *store,
                                         const char *path)
    __attribute__((warn_unused_result));

/* "DIR/NAME" in a new string, NULL when out of memory. */
char *db_files_join(const char *dir, const char *name);

#endif
