/* The --log file: the sink that receives core's and db's redacted lines
 * and writes them as "time level text". */
#ifndef BEZALA_TUI_LOGFILE_H
#define BEZALA_TUI_LOGFILE_H

#include <stddef.h>

#include "base/status.h"

/* Opens path for appending (created 0600, never through a symbolic link)
 * and installs it as the log sink at level. BASE_E_IO with the reason in
 * err when it cannot be opened; BASE_E_PERMISSIONS when it is not a
 * regular file of ours or others may read it. */
enum base_status tui_logfile_open(const char *path, int level, char *err,
                                  size_t err_size)
    __attribute__((warn_unused_result));

/* Removes the sink and closes the file. Safe to call when none is open. */
void tui_logfile_close(void);

#endif
