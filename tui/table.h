/* Aligned text tables for the subcommands' human output, laid out by
 * display width so that wide and combining characters line up. */
#ifndef BEZALA_TUI_TABLE_H
#define BEZALA_TUI_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "base/status.h"

struct tui_table;

/* A table with ncols columns and these headers (copied). right_mask has
 * bit i set for columns aligned right. The caller owns *out. */
enum base_status tui_table_new(size_t ncols, const char *const *headers,
                               unsigned right_mask, struct tui_table **out)
    __attribute__((warn_unused_result));

/* Appends a row of ncols cells (copied, made safe for a terminal; NULL
 * is shown as "-"). */
enum base_status tui_table_add(struct tui_table *table,
                               const char *const *cells)
    __attribute__((warn_unused_result));

/* Writes the header and the rows, columns two spaces apart. */
void tui_table_print(const struct tui_table *table, FILE *out);

void tui_table_free(struct tui_table **table);

#endif
