/* What the view sources share among themselves and nobody else: the
 * column positions of each view, row building and defensive readers of
 * JSON fields (which decode.c reads its answers with too). */
#ifndef BEZALA_CORE_VIEW_INTERNAL_H
#define BEZALA_CORE_VIEW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/status.h"
#include "core/view.h"

#define VIEW_FAIL (-1)

/* The four kinds of expense item, in the order the approvals and the
 * archive list them. */
enum view_item {
    VIEW_ITEM_RECEIPT,
    VIEW_ITEM_TRIP,
    VIEW_ITEM_ALLOWANCE,
    VIEW_ITEM_REWARD,
    VIEW_ITEM_COUNT
};

/* Column positions of the views whose cells are filled one by one;
 * they follow the column tables of view.c. */
enum { USR_NAME, USR_EMAIL, USR_ROLES, USR_STATE, USR_LAST_SIGN_IN };
enum { LDG_CODE, LDG_NAME, LDG_TYPE, LDG_ACTIVE, LDG_EXTERNAL_ID };
enum { CC_DIMENSION, CC_NAME, CC_EXTERNAL_ID, CC_ACTIVE, CC_REQUIRED };
enum {
    BAT_DATE,
    BAT_REFERENCE,
    BAT_DESCRIPTION,
    BAT_ITEMS,
    BAT_TOTAL,
    BAT_CURRENCY
};
enum { CMP_SETTING, CMP_TITLE, CMP_VALUE };

/* The item kind's word in the "type" column ("allowance"), its name in
 * the server's "type" field ("daily_allowance"); NULL out of range. */
const char *core_view_item_word(enum view_item kind);
const char *core_view_item_type_name(enum view_item kind);

/* The kind named by an item's "type" (or its "_id" prefix); false when
 * neither names one. */
bool core_view_item_kind(json_t *item, enum view_item *out);

/* Notes that an answer says it is for company_id (0: says nothing). */
void core_view_table_said(struct core_table *table, int64_t company_id);

/* A new row at the end of table with its cells allocated (all NULL);
 * NULL when memory runs out. */
struct core_row *core_view_table_add(struct core_table *table);

/* Orders two texts equal without accents: case-folded, then as sent,
 * so that core_view_compare's order is total and the same on every run.
 * Returns -1, 0 or 1. */
int core_view_compare_tie(const char *a, const char *b);

/* Gives back the room the rows array has past its rows (after the last
 * page of a load); the table is unchanged when that fails. */
void core_view_table_fit(struct core_table *table);

/* Makes row (built cell by cell, stamp 0) a packed row of view info:
 * one allocation holding copies of its cells and folded text, with a new
 * stamp. Its item goes to items (the item file of the table the row is
 * for; NULL: none) where it can, else into the allocation too. When
 * owned, the cells and item it had are freed, else they are left to the
 * caller. On VIEW_FAIL (out of memory) the row is unchanged (its item
 * may have been written to items, unused). */
int core_view_row_pack(const struct core_view_info *info, struct core_row *row,
                       bool owned, struct core_items *items);

/* Where a packed row's item is in its table's item file; false when it
 * is not there (the row keeps it in memory, or has none). */
bool core_view_row_item_at(const struct core_view_info *info,
                           const struct core_row *row, uint64_t *off,
                           size_t *len);

/* Appends len bytes of text to items; *off is where they start. VIEW_FAIL
 * when they cannot be kept there (a write failed, now or before): the
 * caller keeps them in memory. */
int core_view_items_put(struct core_items *items, const char *text, size_t len,
                        uint64_t *off);

/* Closes the item file (which is unlinked, so it is gone). Accepts NULL
 * and a NULL *items; *items is NULL afterwards. */
void core_view_items_free(struct core_items **items);

/* Reads the items of many rows, in file order, a window of the file at
 * a time; zeroed before the first use, cleared after the last. */
struct core_view_item_reader {
    char *window;
    size_t window_len;
    uint64_t window_at;
    char *text;
    size_t text_cap;
};

/* core_table_item's answer, borrowed from the reader until its next
 * call: *text NULL when the row has none. */
enum base_status core_view_item_read(struct core_view_item_reader *r,
                                     const struct core_table *table,
                                     const struct core_row *row,
                                     const char **text, size_t *len)
    __attribute__((warn_unused_result));

void core_view_item_reader_clear(struct core_view_item_reader *r);

/* The text the filter scans in row: every shown cell that is not NULL,
 * as shown (list items joined by ", ") and folded by
 * core_text_fold_plain, each followed by a NUL; *len bytes. A new buffer
 * the caller frees; NULL when memory runs out. */
char *core_view_row_folded(const struct core_view_info *info,
                           char *const *cells, size_t *len);

/* A packed row's folded text (core_view_row_folded's), borrowed from
 * the row; *len bytes. */
const char *core_view_row_fold(const struct core_view_info *info,
                               const struct core_row *row, size_t *len);

/* A decimal number as the API writes them (sign, digits, one point) into
 * *out; false for any other text (then *out may be changed). */
bool core_view_parse_number(const char *s, double *out);

/* Moves every row of src to the end of dst, leaving src empty; on
 * BASE_E_NOMEM both are unchanged. src must have no item file of its own
 * (its rows packed for dst's: BASE_E_INVALID otherwise). */
enum base_status core_view_table_move(struct core_table *dst,
                                      struct core_table *src);

/* Defensive readers. Missing or null gives NULL (or 0) and succeeds; a
 * value of the wrong type gives VIEW_FAIL, as does running out of
 * memory. Strings are kept exactly as sent. */
int core_view_get_str(json_t *obj, const char *key, char **out);
/* An id: a JSON integer or a string of digits; missing or null is 0,
 * which fails when required. */
int core_view_get_id(json_t *obj, const char *key, bool required, int64_t *out);
/* Money: a string as sent, an integer or a real with two decimals. */
int core_view_get_money(json_t *obj, const char *key, char **out);
/* A number (integer or real, without trailing zeros) or a string as
 * sent, such as a code or an external id. */
int core_view_get_number(json_t *obj, const char *key, char **out);
/* A bool, or 0/1 as an integer, as "yes"/"no" (inverted when invert). */
int core_view_get_bool(json_t *obj, const char *key, bool invert, char **out);
/* A text of a string, integer or real; NULL for anything else. */
char *core_view_scalar_text(json_t *v);
/* value as the shortest of "%.2f" without trailing zeros. */
char *core_view_number_text(double value);
/* A string that the caller frees: printf into a new buffer. */
char *core_view_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
