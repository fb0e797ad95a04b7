/* The careful CSV file write shared by the UI's export and `bezala export
 * -o`: a private temporary file beside the target, flushed to disk, then
 * put in place, so that a failure never leaves half a file and an
 * existing file is replaced only when asked. */
#include "tui/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_BYTES 4096

void tui_export_default_name(const char *view, int64_t company, time_t now,
                             char *out, size_t size)
{
    struct tm tm;
    char day[16] = "00000000";

    if (!out || size == 0)
        return;
    if (localtime_r(&now, &tm))
        strftime(day, sizeof(day), "%Y%m%d", &tm);
    snprintf(out, size, "./bezala-%s-%lld-%s.csv", view ? view : "view",
             (long long)company, day);
}

static bool expand(const char *path, char *out, size_t size)
{
    const char *home = getenv("HOME");
    int n;

    if (strncmp(path, "~/", 2) == 0 && home && *home)
        n = snprintf(out, size, "%s/%s", home, path + 2);
    else
        n = snprintf(out, size, "%s", path);
    return n > 0 && (size_t)n < size;
}

/* "<folder of path>/.<name of path>.XXXXXX" into out. */
static bool temp_name(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    int n =
        snprintf(out, size, "%.*s.%s.XXXXXX", dir_len, path, path + dir_len);

    return n > 0 && (size_t)n < size;
}

/* The CSV into the open temporary file, which it closes; BASE_OK only
 * when every byte reached the disk. */
static enum base_status write_temp(int fd, const struct core_table *table,
                                   const size_t *order, size_t n)
{
    FILE *out = fdopen(fd, "w");
    enum base_status status;

    if (!out) {
        close(fd);
        return BASE_E_IO;
    }
    status = core_view_csv(out, table, order, n);
    if (status == BASE_OK && (fflush(out) != 0 || fsync(fileno(out)) != 0))
        status = BASE_E_IO;
    if (fclose(out) != 0 && status == BASE_OK)
        status = BASE_E_IO;
    return status;
}

/* Puts temp at path: replacing when overwrite, else only while path does
 * not exist (link refuses an existing name atomically). */
static int put_in_place(const char *temp, const char *path, bool overwrite)
{
    if (overwrite)
        return rename(temp, path) == 0 ? 0 : errno;
    if (link(temp, path) == 0)
        return 0;
    if (errno == EEXIST)
        return EEXIST;
    /* File systems without hard links: look, then rename. */
    if (access(path, F_OK) != 0 && rename(temp, path) == 0)
        return 0;
    return errno ? errno : EIO;
}

/* Refuses what must not be replaced: anything but a regular file (a
 * symbolic link is never followed), and any file unless overwrite. */
static enum base_status check_target(const char *path, bool overwrite,
                                     bool *exists, char *why, size_t size)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return BASE_OK;
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, size,
                 "it is not a regular file: give a file name, not a folder "
                 "or a link");
        return BASE_E_IO;
    }
    if (overwrite)
        return BASE_OK;
    *exists = true;
    snprintf(why, size, "the file exists");
    return BASE_E_IO;
}

/* Why no file could be made beside path, with what to do about it. */
static void folder_error(const char *path, int err, char *why, size_t size)
{
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path) : 1;
    const char *dir = slash ? path : ".";

    if (slash == path)
        dir_len = 1;
    if (err == ENOENT || err == ENOTDIR)
        snprintf(why, size,
                 "the folder %.*s does not exist: create it or choose "
                 "another",
                 dir_len, dir);
    else if (err == EACCES || err == EPERM || err == EROFS)
        snprintf(why, size,
                 "the folder %.*s cannot be written to (%s): choose "
                 "another",
                 dir_len, dir, strerror(err));
    else
        snprintf(why, size, "%s", strerror(err));
}

enum base_status tui_export_write(const char *path, bool overwrite,
                                  const struct core_table *table,
                                  const size_t *order, size_t n, bool *exists,
                                  char *why, size_t why_size)
{
    char full[PATH_BYTES];
    char temp[PATH_BYTES + 16];
    enum base_status status;
    int fd;
    int err;

    if (why && why_size)
        why[0] = '\0';
    if (!path || !*path || !table || !exists || !why || why_size == 0)
        return BASE_E_INVALID;
    *exists = false;
    if (!expand(path, full, sizeof(full)) ||
        !temp_name(full, temp, sizeof(temp))) {
        snprintf(why, why_size, "the file name is too long");
        return BASE_E_INVALID;
    }
    status = check_target(full, overwrite, exists, why, why_size);
    if (status != BASE_OK)
        return status;
    fd = mkstemp(temp);
    if (fd < 0) {
        folder_error(full, errno, why, why_size);
        return BASE_E_IO;
    }
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
        close(fd);
        status = BASE_E_IO;
    } else {
        status = write_temp(fd, table, order, n);
    }
    if (status != BASE_OK)
        snprintf(why, why_size, "writing failed (%s)", strerror(errno));
    err = status == BASE_OK ? put_in_place(temp, full, overwrite) : 0;
    unlink(temp);
    if (err == EEXIST)
        *exists = true;
    if (err) {
        snprintf(why, why_size, "%s", strerror(err));
        status = BASE_E_IO;
    }
    return status;
}
