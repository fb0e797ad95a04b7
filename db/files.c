/* Directory and file permission checks for the store and the key file. */
#include "db/files.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/shell.h"
#include "db/internal.h"

static enum base_status make_parents(struct db_store *store, char *path)
{
    char *slash = path;

    for (;;) {
        slash = strchr(slash + 1, '/');
        if (slash)
            *slash = '\0';
        if (path[0] && mkdir(path, 0700) < 0 && errno != EEXIST) {
            int err = errno;

            if (slash)
                *slash = '/';
            return db_store_fail(
                store, err == EACCES ? BASE_E_PERMISSIONS : BASE_E_IO,
                "cannot create directory %s: %s", path, strerror(err));
        }
        if (!slash)
            return BASE_OK;
        *slash = '/';
    }
}

enum base_status db_files_check_dir(struct db_store *store, const char *dir)
{
    char quoted[PATH_MAX + 64];
    struct stat st;

    if (lstat(dir, &st) < 0)
        return db_store_fail(store, BASE_E_IO, "cannot inspect %s: %s", dir,
                             strerror(errno));
    if (S_ISLNK(st.st_mode))
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "%s is a symbolic link; give --home a real "
                             "directory",
                             dir);
    if (!S_ISDIR(st.st_mode))
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "%s is not a directory; give --home a "
                             "directory",
                             dir);
    if (st.st_uid != geteuid())
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "%s is owned by uid %lu, not you (uid %lu); "
                             "give --home a directory you own",
                             dir, (unsigned long)st.st_uid,
                             (unsigned long)geteuid());
    if (st.st_mode & 077) {
        base_shell_quote(dir, quoted, sizeof(quoted));
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "%s has mode %04o; run `chmod 700 %s`", dir,
                             (unsigned)(st.st_mode & 07777), quoted);
    }
    return BASE_OK;
}

enum base_status db_files_ensure_dir(struct db_store *store, const char *dir)
{
    enum base_status result;
    char *path;
    size_t len;

    if (!dir || !dir[0])
        return db_store_fail(store, BASE_E_INVALID, "no directory given");
    path = strdup(dir);
    if (!path)
        return BASE_E_NOMEM;
    len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        path[--len] = '\0';
    result = make_parents(store, path);
    if (result == BASE_OK)
        result = db_files_check_dir(store, path);
    free(path);
    return result;
}

enum base_status db_files_check_stat(struct db_store *store, const char *path,
                                     const struct stat *st)
{
    char quoted[PATH_MAX + 64];
    const char *what = "";

    if (store && store->key_path && strcmp(path, store->key_path) == 0)
        what = "key file ";
    if (S_ISLNK(st->st_mode))
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "%s%s is a symbolic link; bezala uses only "
                             "regular files: remove the link",
                             what, path);
    if (!S_ISREG(st->st_mode))
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "%s%s is not a regular file; move it aside", what,
                             path);
    base_shell_quote(path, quoted, sizeof(quoted));
    if (st->st_uid != geteuid())
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "%s%s is owned by uid %lu, not you (uid %lu); "
                             "if it is yours, run `sudo chown %lu %s`, "
                             "otherwise move it aside",
                             what, path, (unsigned long)st->st_uid,
                             (unsigned long)geteuid(), (unsigned long)geteuid(),
                             quoted);
    if (st->st_mode & 077)
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "%s%s has mode %04o; run `chmod 600 %s`", what,
                             path, (unsigned)(st->st_mode & 07777), quoted);
    return BASE_OK;
}

enum base_status db_files_check_private(struct db_store *store,
                                        const char *path)
{
    struct stat st;

    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            return BASE_OK;
        return db_store_fail(store, BASE_E_IO, "cannot inspect %s: %s", path,
                             strerror(errno));
    }
    return db_files_check_stat(store, path, &st);
}

enum base_status db_files_create_private(struct db_store *store,
                                         const char *path)
{
    int fd =
        open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd >= 0) {
        close(fd);
    } else if (errno != EEXIST) {
        return db_store_fail(store,
                             errno == EACCES ? BASE_E_PERMISSIONS : BASE_E_IO,
                             "cannot create %s: %s", path, strerror(errno));
    }
    return db_files_check_private(store, path);
}

char *db_files_join(const char *dir, const char *name)
{
    size_t dlen = strlen(dir);
    size_t nlen = strlen(name);
    char *path = malloc(dlen + nlen + 2);

    if (!path)
        return NULL;
    memcpy(path, dir, dlen);
    path[dlen] = '/';
    memcpy(path + dlen + 1, name, nlen + 1);
    return path;
}
