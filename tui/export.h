/* The UI's export of a view to a CSV file: the default file name and the
 * careful write (private mode, no silent overwrite). */
#ifndef BEZALA_TUI_EXPORT_H
#define BEZALA_TUI_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/status.h"
#include "core/view.h"

/* "./bezala-<view>-<company id>-<YYYYMMDD>.csv" for the local date of
 * now into out (always NUL-terminated when size > 0). */
void tui_export_default_name(const char *view, int64_t company, time_t now,
                             char *out, size_t size);

/* Writes rows order[0..n) of table to path as core_view_csv does. A new
 * file is created with mode 0600; an existing one is replaced only when
 * overwrite is true (and then made 0600 too), else *exists is set and
 * BASE_E_IO returned without touching it. A leading "~/" means the home
 * directory. On failure why (why_size bytes) says what went wrong. */
enum base_status tui_export_write(const char *path, bool overwrite,
                                  const struct core_table *table,
                                  const size_t *order, size_t n, bool *exists,
                                  char *why, size_t why_size)
    __attribute__((warn_unused_result));

#endif
