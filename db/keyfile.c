/* The key file: 32 random bytes in the key directory that wrap the data
 * key in key-file mode. */
#include "db/keyfile.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "db/files.h"
#include "db/internal.h"

#define KEY_BYTES DB_KEYFILE_BYTES

static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = read(fd, buf + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

static int write_full(int fd, const unsigned char *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = write(fd, buf + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static enum base_status open_key(struct db_store *store, int *fd)
{
    const char *path = store->key_path;

    *fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (*fd >= 0 || errno == ENOENT)
        return BASE_OK;
    if (errno == ELOOP)
        return db_store_fail(store, BASE_E_PERMISSIONS,
                             "key file %s is a symbolic link; bezala uses "
                             "only regular files: remove the link",
                             path);
    return db_store_fail(store,
                         errno == EACCES ? BASE_E_PERMISSIONS : BASE_E_IO,
                         "cannot open %s: %s", path, strerror(errno));
}

/* *missing is set when there is no key file yet. */
static enum base_status read_key(struct db_store *store, unsigned char *key,
                                 int *missing)
{
    enum base_status result;
    struct stat st;
    int fd = -1;

    result = open_key(store, &fd);
    *missing = result == BASE_OK && fd < 0;
    if (fd < 0)
        return result;
    if (fstat(fd, &st) < 0) {
        result = db_store_fail(store, BASE_E_IO, "cannot inspect %s: %s",
                               store->key_path, strerror(errno));
        goto out;
    }
    result = db_files_check_stat(store, store->key_path, &st);
    if (result != BASE_OK)
        goto out;
    if (st.st_size != KEY_BYTES || read_full(fd, key, KEY_BYTES) != KEY_BYTES)
        result = db_store_fail(store, BASE_E_CRYPTO,
                               "%s is not a bezala key file (it must hold "
                               "exactly %d bytes)",
                               store->key_path, KEY_BYTES);

out:
    close(fd);
    return result;
}

enum base_status db_keyfile_read(struct db_store *store, unsigned char *key,
                                 int *missing)
{
    int none = 0;
    enum base_status result = read_key(store, key, &none);

    if (result == BASE_OK)
        *missing = none;
    return result;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return;
    fsync(fd);
    close(fd);
}

/* Publishes tmp as the key file without replacing one that another
 * process created meanwhile. */
static int publish(const char *tmp, const char *path)
{
    if (link(tmp, path) == 0 || errno == EEXIST)
        return 0;
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0 ||
        errno == EEXIST)
        return 0;
    return -1;
}

static enum base_status write_key(struct db_store *store, const char *tmp,
                                  unsigned char *key)
{
    enum base_status result = BASE_OK;
    int fd =
        open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0)
        return db_store_fail(store, BASE_E_IO, "cannot create %s: %s", tmp,
                             strerror(errno));
    randombytes_buf(key, KEY_BYTES);
    if (write_full(fd, key, KEY_BYTES) < 0 || fsync(fd) < 0)
        result = db_store_fail(store, BASE_E_IO, "cannot write %s: %s", tmp,
                               strerror(errno));
    if (close(fd) < 0 && result == BASE_OK)
        result = db_store_fail(store, BASE_E_IO, "cannot write %s: %s", tmp,
                               strerror(errno));
    if (result == BASE_OK && publish(tmp, store->key_path) < 0)
        result = db_store_fail(store, BASE_E_IO, "cannot create %s: %s",
                               store->key_path, strerror(errno));
    unlink(tmp);
    return result;
}

/* Removes the temporary key files (key.tmp-PID-N) of processes that are
 * gone: one killed between writing its key and publishing it left a key
 * on disk that nothing else would remove. */
static void remove_stale_temps(const struct db_store *store)
{
    const char *base = strrchr(store->key_path, '/');
    char prefix[64];
    struct dirent *e;
    DIR *dir = opendir(store->key_dir);
    int fd;
    long pid;

    if (!dir)
        return;
    snprintf(prefix, sizeof(prefix), "%s.tmp-", base ? base + 1 : "key");
    fd = dirfd(dir);
    while ((e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        pid = strtol(e->d_name + strlen(prefix), NULL, 10);
        if (pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
            unlinkat(fd, e->d_name, 0);
    }
    closedir(dir);
}

static enum base_status create_key(struct db_store *store)
{
    unsigned char *key = sodium_malloc(KEY_BYTES);
    size_t len = strlen(store->key_path) + 32;
    char *tmp = malloc(len);
    enum base_status result = BASE_E_NOMEM;

    if (key && tmp) {
        snprintf(tmp, len, "%s.tmp-%ld-%08x", store->key_path, (long)getpid(),
                 (unsigned)randombytes_random());
        result = write_key(store, tmp, key);
    }
    if (result == BASE_OK) {
        sync_dir(store->key_dir);
        base_log(BASE_LOG_INFO, "store: created the key file %s",
                 store->key_path);
    }
    sodium_free(key);
    free(tmp);
    return result;
}

enum base_status db_keyfile_load(struct db_store *store, unsigned char *key)
{
    enum base_status result;
    int missing = 0;

    remove_stale_temps(store);
    result = read_key(store, key, &missing);
    if (result != BASE_OK || !missing)
        return result;
    result = create_key(store);
    if (result == BASE_OK)
        result = read_key(store, key, &missing);
    if (result == BASE_OK && missing)
        result =
            db_store_fail(store, BASE_E_IO, "%s vanished", store->key_path);
    return result;
}

enum base_status db_keyfile_remove(struct db_store *store)
{
    if (unlink(store->key_path) < 0 && errno != ENOENT)
        return db_store_fail(store, BASE_E_IO, "cannot delete %s: %s",
                             store->key_path, strerror(errno));
    sync_dir(store->key_dir);
    return BASE_OK;
}

enum base_status db_keyfile_renew(struct db_store *store, unsigned char *key)
{
    enum base_status result = db_keyfile_remove(store);

    if (result == BASE_OK)
        result = db_keyfile_load(store, key);
    return result;
}
