/* A log file opened safely (O_NOFOLLOW, 0600) with one line per record;
 * control characters are escaped so a line cannot forge another. */
#include "tui/logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

#define RECORD_MAX 4096

static int log_fd = -1;

static void sink(enum base_log_level level, const char *line, void *user)
{
    char record[RECORD_MAX];
    struct tm tm;
    time_t now = time(NULL);
    size_t n;
    size_t i;

    (void)user;
    gmtime_r(&now, &tm);
    n = strftime(record, sizeof(record), "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += (size_t)snprintf(record + n, sizeof(record) - n, "%s ",
                          base_log_level_name(level));
    for (i = 0; line[i] && n + 2 < sizeof(record); i++) {
        unsigned char c = (unsigned char)line[i];

        record[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    record[n++] = '\n';
    if (write(log_fd, record, n) < 0)
        return;
}

static enum base_status check_file(int fd, const char *path, char *err,
                                   size_t err_size)
{
    struct stat st;

    if (fstat(fd, &st) != 0) {
        snprintf(err, err_size, "cannot check log file %s: %s", path,
                 strerror(errno));
        return BASE_E_IO;
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 077) != 0) {
        snprintf(err, err_size,
                 "log file %s must be a regular file of yours that others "
                 "cannot read (chmod 600)",
                 path);
        return BASE_E_PERMISSIONS;
    }
    return BASE_OK;
}

enum base_status tui_logfile_open(const char *path, int level, char *err,
                                  size_t err_size)
{
    enum base_status result;
    int fd;

    if (!path || !err || err_size == 0)
        return BASE_E_INVALID;
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd < 0) {
        snprintf(err, err_size, "cannot open log file %s: %s", path,
                 strerror(errno));
        return BASE_E_IO;
    }
    result = check_file(fd, path, err, err_size);
    if (result != BASE_OK) {
        close(fd);
        return result;
    }
    tui_logfile_close();
    log_fd = fd;
    base_log_set_sink(sink, NULL, (enum base_log_level)level);
    return BASE_OK;
}

void tui_logfile_close(void)
{
    if (log_fd < 0)
        return;
    base_log_set_sink(NULL, NULL, BASE_LOG_WARN);
    close(log_fd);
    log_fd = -1;
}
