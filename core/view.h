/* The browsable views of the active company: for each, the endpoint it
 * reads, how it pages, its columns, the detail of one row and the roles
 * that may use it. Rows are decoded into text cells so that the front
 * ends sort, filter, print and export every view alike. */
#ifndef BEZALA_CORE_VIEW_H
#define BEZALA_CORE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/status.h"
#include "core/model.h"

enum core_view {
    CORE_VIEW_RECEIPTS,
    CORE_VIEW_TRIPS,
    CORE_VIEW_ALLOWANCES,
    CORE_VIEW_REWARDS,
    CORE_VIEW_APPROVALS,
    CORE_VIEW_ARCHIVE,
    CORE_VIEW_USERS,
    CORE_VIEW_LEDGER_ACCOUNTS,
    CORE_VIEW_COST_CENTERS,
    CORE_VIEW_BATCHES,
    CORE_VIEW_COMPANY,
    CORE_VIEW_COUNT
};

enum core_cell_kind {
    CORE_CELL_TEXT,   /* sorts by folded text */
    CORE_CELL_ID,     /* integer text; JSON number; sorts numerically */
    CORE_CELL_NUMBER, /* decimal text; JSON number; sorts numerically */
    CORE_CELL_AMOUNT, /* decimal text as sent ("12.40"); JSON string;
                         sorts numerically */
    CORE_CELL_DATE,   /* ISO date or time; sorts as text */
    CORE_CELL_LIST,   /* items joined by '\n'; shown joined by ", ";
                         JSON array of strings */
    CORE_CELL_BOOL    /* "yes" or "no"; JSON true or false */
};

struct core_column {
    const char *key;   /* JSON and CSV name, e.g. "user_name" */
    const char *title; /* header in the UI, e.g. "User" */
    enum core_cell_kind kind;
    int width;   /* preferred display width in cells */
    bool hidden; /* in JSON and CSV, not in the UI's table */
};

enum core_paging {
    CORE_PAGING_ARRAY,   /* page/per_page; a short page is the last */
    CORE_PAGING_ARCHIVE, /* one batch per page; has_more_items */
    CORE_PAGING_NONE     /* one object, unpaged */
};

/* Who may use a view in a company, from the roles of the membership. */
enum core_access {
    CORE_ACCESS_YES,   /* the role may use it */
    CORE_ACCESS_MAYBE, /* depends on a company setting; the server says */
    CORE_ACCESS_NO     /* not with these roles; core_view_info's why */
};

struct core_view_info {
    enum core_view view;
    const char *name;  /* subcommand and command-line name, "trips" */
    const char *title; /* "Trips" */
    const char *path;  /* endpoint, from core/endpoints.h */
    enum core_paging paging;
    size_t per_page;
    const struct core_column *columns;
    size_t column_count;
    bool has_state;    /* the endpoint filters by state */
    const char *needs; /* for CORE_ACCESS_NO/MAYBE: the role needed, in
                          words ("the manager or accountant role") */
};

/* One row: an id (0 where the item has none) and column_count cells, each
 * NULL where the server sent nothing. The row's item is its JSON text as
 * the server sent it (compact), which core_view_detail and the cache read
 * through core_table_item. Rows that core decodes are packed: stamp is
 * nonzero (unique in the process, so that a list can tell its rows from
 * new ones) and cells, the folded text that the filter scans and the
 * item's place share one allocation at cells; such cells are read-only.
 * A packed row of a table with an item file (core_table_item_file) has
 * item NULL and its text in the file; otherwise item points into the
 * allocation. A row that a caller builds has stamp 0, and each of its
 * cells and its item are allocated on their own. */
struct core_row {
    int64_t id;
    char **cells;
    char *item;
    uint64_t stamp;
};

/* Where a table keeps its rows' item texts out of memory (view_items.c). */
struct core_items;

/* A view's rows in the server's order. */
struct core_table {
    enum core_view view;
    struct core_row *rows;
    size_t count;
    size_t cap;
    int64_t company_id;       /* the company the answers say they are for
                                 (items' company_id, the company's id); 0
                                 when they say none, -1 when they
                                 disagree */
    struct core_items *items; /* the item file of rows decoded from now on;
                                 NULL: their items stay in memory */
};

/* One line of a row's detail. A line with an empty label continues the
 * previous one; a line with an empty value heads a section. */
struct core_detail_line {
    char *label;
    char *value;
};

struct core_detail {
    struct core_detail_line *lines;
    size_t count;
};

/* The view's description; NULL for a value out of range. */
const struct core_view_info *core_view_info(enum core_view view);

/* The view named name (as core_view_info's name, exactly); false when
 * none is. */
bool core_view_by_name(const char *name, enum core_view *out);

/* Whether roles (of the active membership; NULL: none known) may use
 * view. */
enum core_access core_view_access(enum core_view view,
                                  const struct core_roles *roles);

/* What role means in this company, in words, e.g. for "accountant":
 * "sees every expense of the company, makes accounting batches and
 * exports". Unknown roles get a sentence saying so; static storage. */
const char *core_view_role_words(const char *role);

/* Decodes one answer of view's endpoint and appends its rows to table
 * (table->view must be view) and what company they say they are for to
 * table->company_id. *more says whether another page should be asked
 * for: for CORE_PAGING_ARRAY a page of per_page items, for the archive
 * has_more_items, for CORE_PAGING_NONE never. BASE_E_DECODE for an answer
 * of the wrong shape, including a page longer than per_page, approvals
 * without any of their arrays and an archive page without
 * has_more_items (table unchanged); BASE_E_NOMEM. */
enum base_status core_view_decode(enum core_view view, const char *body,
                                  size_t len, size_t per_page,
                                  struct core_table *table, bool *more)
    __attribute__((warn_unused_result));

/* A cached list (core_view_cache_text's output) back into table. */
enum base_status core_view_decode_cached(enum core_view view, const char *text,
                                         size_t len, struct core_table *table)
    __attribute__((warn_unused_result));

/* Decodes a cached list from *pos on (0: the start, where the header is
 * checked): up to rows_max rows (at least 1) are appended to table
 * (table->view must be view), *pos moves past them and *done says
 * whether the list has ended. Decoding a text in parts, stopping
 * anywhere, gives the rows of one core_view_decode_cached. BASE_E_DECODE
 * for a text of another format or view or a bad row (table and *pos
 * unchanged, the rows of this call dropped); BASE_E_INVALID for NULL
 * arguments, rows_max 0 or *pos past len. */
enum base_status
core_view_decode_cached_part(enum core_view view, const char *text, size_t len,
                             size_t *pos, size_t rows_max,
                             struct core_table *table, bool *done)
    __attribute__((warn_unused_result));

/* Decodes one part of a cached list written by core_view_cache_parts,
 * from *pos on, as core_view_decode_cached_part does a whole text: first
 * says the part is the list's first, which begins with the header; a
 * part but the last ends after a row and its comma, and then, with
 * *pos at len and *done false, the list goes on in the next part. */
enum base_status
core_view_decode_cache_piece(enum core_view view, const char *part, size_t len,
                             bool first, size_t *pos, size_t rows_max,
                             struct core_table *table, bool *done)
    __attribute__((warn_unused_result));

/* Writes a table's cache text in parts, so that a list of any size is
 * stored without its whole text in memory (core_view_cache_parts_new). */
struct core_view_cache_parts;

/* The default size of a part: whole rows up to about this many bytes, or
 * this many rows, whichever comes first. */
#define CORE_VIEW_CACHE_PART_BYTES (1024u * 1024u)
#define CORE_VIEW_CACHE_PART_ROWS 1000u

/* A writer of table's cache text (core_view_cache_text's) in parts: each
 * part ends after a whole row and holds at most part_rows rows, and
 * rows are added to it until it reaches part_bytes (so one row longer
 * than that makes a part of its own); part 0 begins with the header and
 * the last one ends with the closing line. 0 for part_bytes or part_rows:
 * the default above. table must outlive the writer, unchanged. The
 * caller frees *out with core_view_cache_parts_free. BASE_E_INVALID for
 * NULL arguments or a table of no view; BASE_E_NOMEM. */
enum base_status core_view_cache_parts_new(const struct core_table *table,
                                           size_t part_bytes, size_t part_rows,
                                           struct core_view_cache_parts **out)
    __attribute__((warn_unused_result));

/* The next part: *part (borrowed until the next call or the free) of
 * *len bytes, or *part NULL after the last. Items in the table's file are
 * read as their rows are written. BASE_E_INVALID for NULL arguments;
 * BASE_E_IO when an item cannot be read back; BASE_E_NOMEM. */
enum base_status core_view_cache_parts_next(struct core_view_cache_parts *parts,
                                            const char **part, size_t *len)
    __attribute__((warn_unused_result));

/* Accepts NULL and a NULL *parts; *parts is NULL afterwards. */
void core_view_cache_parts_free(struct core_view_cache_parts **parts);

/* Whether text is in the cache format this build writes; a text that is
 * not (an older one) is to be treated as absent, not as damaged. */
bool core_view_cache_current(const char *text, size_t len);

/* The table as one text to keep in the store (the caller frees it), one
 * line per row, written without building a JSON tree: a JSON object
 * {"format":2,"view":name,"rows":[[id,item,cell...],...]};
 * core_view_decode_cached reads it back into the same rows. Items in the
 * table's file are streamed from it into the text. NULL when memory runs
 * out or an item cannot be read back. */
char *core_view_cache_text(const struct core_table *table, size_t *len);

/* Frees every row and resets the table (view kept); its item file is
 * closed, and so gone. Accepts NULL. */
void core_table_clear(struct core_table *table);

/* Makes rows decoded into table from now on keep their item texts in a
 * file of dir instead of memory: a file only the owner may read, unlinked
 * from the start, so that it is gone when the table is cleared or the
 * process ends. Rows decoded before keep theirs in memory. A table that
 * has a file keeps it (BASE_OK). BASE_E_INVALID for NULL arguments;
 * BASE_E_IO when no file can be made in dir (items stay in memory and
 * nothing else changes); BASE_E_NOMEM. A write that fails later (disk
 * full) leaves that row's item and those after in memory. */
enum base_status core_table_item_file(struct core_table *table, const char *dir)
    __attribute__((warn_unused_result));

/* The item text of row, a row of table or one a caller built: *out is a
 * new NUL-terminated copy the caller frees, NULL when the row has none;
 * *len its length. BASE_E_INVALID for NULL arguments or a row whose item
 * is not in table's file; BASE_E_IO when the file cannot be read;
 * BASE_E_NOMEM. */
enum base_status core_table_item(const struct core_table *table,
                                 const struct core_row *row, char **out,
                                 size_t *len)
    __attribute__((warn_unused_result));

/* Frees the rows from count on; the table keeps the first count. */
void core_table_truncate(struct core_table *table, size_t count);

/* The detail of row, a row of table (or one a caller built), label and
 * value lines built from its item (core_table_item). The caller frees it
 * with core_view_detail_free. BASE_E_INVALID for NULL arguments or a
 * table of no view; BASE_E_DECODE for an item that is no JSON object;
 * BASE_E_IO when the item cannot be read back; BASE_E_NOMEM. */
enum base_status core_view_detail(const struct core_table *table,
                                  const struct core_row *row,
                                  struct core_detail **out)
    __attribute__((warn_unused_result));

void core_view_detail_free(struct core_detail **detail);

/* Compares two cells of column (NULL sorts first): numerically for ID,
 * NUMBER and AMOUNT, by accent- and case-folded text otherwise. */
int core_view_compare(const struct core_column *column, const char *a,
                      const char *b);

/* The rows of table matching filter (NULL or "": every row), sorted
 * stably by column sort_column (SIZE_MAX: the server's order), descending
 * when desc. A row matches when every word of filter (split at spaces
 * and tabs), accent- and case-folded, is part of one of its shown cells
 * (list cells as shown, joined by ", "), folded alike: "soderstrom
 * taksi" finds Söderström's taxi receipts. *order is a new array of
 * row indices the caller frees (NULL when *n is 0). */
enum base_status core_view_order(const struct core_table *table,
                                 const char *filter, size_t sort_column,
                                 bool desc, size_t **order, size_t *n)
    __attribute__((warn_unused_result));

/* What core_view_index_order keeps between calls for one table: per
 * column, every row in sorted order. */
struct core_view_index;

/* core_view_order's answer (the same rows in the same order), quick
 * when asked again: *index (NULL at first, made here; freed with
 * core_view_index_free) keeps for each column sorted by a permutation of
 * every row, built the first time and extended when rows are appended,
 * so that a sort or a filter is one pass over the rows. Rows are known
 * by their stamps: a table with an unstamped row, or other rows than
 * the index was made for, is answered anew. */
enum base_status core_view_index_order(struct core_view_index **index,
                                       const struct core_table *table,
                                       const char *filter, size_t sort_column,
                                       bool desc, size_t **order, size_t *n)
    __attribute__((warn_unused_result));

/* Accepts NULL and a NULL *index; *index is NULL afterwards. */
void core_view_index_free(struct core_view_index **index);

/* Keeps, in their order, the entries of order[0..*n) (row indices of
 * table) whose rows match filter as core_view_order decides: an order
 * built for a filter that filter narrows (every row that matches filter
 * matches it) becomes filter's, sort included, without sorting again.
 * BASE_E_INVALID for NULL arguments or an index past the table (order
 * unchanged), BASE_E_NOMEM. */
enum base_status core_view_order_narrow(const struct core_table *table,
                                        const char *filter, size_t *order,
                                        size_t *n)
    __attribute__((warn_unused_result));

/* Whether row of table matches filter as core_view_order decides. */
bool core_view_row_matches(const struct core_table *table, size_t row,
                           const char *filter);

/* The column of table's view whose key is key; false when none is. */
bool core_view_column_by_key(enum core_view view, const char *key,
                             size_t *column);

/* Writes rows order[0..n) of table (all rows in order when order is
 * NULL, n ignored) as CSV: a header of the column keys with "id" first,
 * then one record per row; RFC 4180 quoting, CRLF line ends, UTF-8 as
 * sent. List cells are joined with ", ". A text cell that a spreadsheet
 * would run as a formula (starting with =, +, -, @, tab or CR and not a
 * number) gets a leading apostrophe. BASE_E_IO when writing fails. */
enum base_status core_view_csv(FILE *out, const struct core_table *table,
                               const size_t *order, size_t n)
    __attribute__((warn_unused_result));

/* Writes the rows to out as one JSON value, as json_dumps with
 * JSON_INDENT(2) would print it, with no newline after it: an array of
 * objects with "id" and every column key, typed by the column kind; for
 * CORE_VIEW_COMPANY one object of setting keys to values. Only one row's
 * JSON is held at a time. BASE_E_IO when writing fails, BASE_E_NOMEM
 * when memory runs out, BASE_E_INVALID for a bad table or order. */
enum base_status core_view_json_write(FILE *out, const struct core_table *table,
                                      const size_t *order, size_t n)
    __attribute__((warn_unused_result));

/* The same as a text the caller frees; NULL on any failure. */
char *core_view_json(const struct core_table *table, const size_t *order,
                     size_t n);

#endif
