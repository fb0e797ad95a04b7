/* A view's rows written out: CSV and typed JSON for scripts, and the
 * cache text the store keeps between runs. */
#include "core/view.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/view_internal.h"

/* A number as the API writes one: optional sign, digits, one point. */
static bool is_number(const char *s)
{
    const char *p = s;
    bool digits = false;
    bool point = false;

    if (*p == '-' || *p == '+')
        p++;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits = true;
        else if (*p == '.' && !point)
            point = true;
        else
            return false;
    }
    return digits;
}

/* A spreadsheet runs a cell starting with one of these as a formula. */
static bool needs_guard(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) && !is_number(s);
}

/* List items joined with ", " instead of line ends; a new string. */
static char *list_joined(const char *cell)
{
    size_t lines = 0;
    const char *p;
    char *out;
    char *q;

    for (p = cell; *p; p++)
        lines += *p == '\n';
    out = malloc(strlen(cell) + lines + 1);
    if (!out)
        return NULL;
    for (p = cell, q = out; *p; p++) {
        if (*p == '\n') {
            *q++ = ',';
            *q++ = ' ';
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    return out;
}

/* One field; NULL is an empty field, "" a quoted empty string. */
static int csv_field(FILE *out, const char *cell, enum core_cell_kind kind)
{
    char *joined = NULL;
    const char *text = cell;
    const char *p;
    bool quote;

    if (!cell)
        return 0;
    if (kind == CORE_CELL_LIST) {
        joined = list_joined(cell);
        if (!joined)
            return VIEW_FAIL;
        text = joined;
    }
    quote = text[0] == '\0' || strpbrk(text, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    if (needs_guard(text))
        fputc('\'', out);
    for (p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote)
        fputc('"', out);
    free(joined);
    return 0;
}

static int csv_row(FILE *out, const struct core_view_info *info,
                   const struct core_row *row)
{
    size_t i;

    fprintf(out, "%lld", (long long)row->id);
    for (i = 0; i < info->column_count; i++) {
        fputc(',', out);
        if (csv_field(out, row->cells[i], info->columns[i].kind) != 0)
            return VIEW_FAIL;
    }
    fputs("\r\n", out);
    return 0;
}

static bool order_ok(const struct core_table *table, const size_t *order,
                     size_t n)
{
    size_t i;

    for (i = 0; order && i < n; i++) {
        if (order[i] >= table->count)
            return false;
    }
    return true;
}

enum base_status core_view_csv(FILE *out, const struct core_table *table,
                               const size_t *order, size_t n)
{
    const struct core_view_info *info;
    size_t count;
    size_t i;

    if (!out || !table)
        return BASE_E_INVALID;
    info = core_view_info(table->view);
    if (!info || !order_ok(table, order, n))
        return BASE_E_INVALID;
    count = order ? n : table->count;
    fputs("id", out);
    for (i = 0; i < info->column_count; i++)
        fprintf(out, ",%s", info->columns[i].key);
    fputs("\r\n", out);
    for (i = 0; i < count; i++) {
        if (csv_row(out, info, &table->rows[order ? order[i] : i]) != 0)
            return BASE_E_NOMEM;
    }
    if (fflush(out) != 0 || ferror(out))
        return BASE_E_IO;
    return BASE_OK;
}

/* Items separated by sep as a JSON array of strings. */
static json_t *split_array(const char *cell, const char *sep)
{
    json_t *array = json_array();
    const char *p = cell;
    const char *end;
    size_t n = strlen(sep);

    while (array && *p) {
        end = strstr(p, sep);
        if (!end)
            end = p + strlen(p);
        if (json_array_append_new(array, json_stringn(p, (size_t)(end - p))) !=
            0) {
            json_decref(array);
            return NULL;
        }
        p = *end ? end + n : end;
    }
    return array;
}

static json_t *number_json(const char *cell, bool integer_only)
{
    char *end = NULL;
    long long n;
    double d;

    errno = 0;
    n = strtoll(cell, &end, 10);
    if (is_number(cell) && !errno && end && *end == '\0')
        return json_integer(n);
    d = strtod(cell, &end);
    if (!integer_only && is_number(cell) && end && *end == '\0')
        return json_real(d);
    return json_string(cell);
}

static json_t *cell_json(const char *cell, enum core_cell_kind kind)
{
    if (!cell)
        return json_null();
    switch (kind) {
    case CORE_CELL_ID:
        return number_json(cell, true);
    case CORE_CELL_NUMBER:
        return number_json(cell, false);
    case CORE_CELL_LIST:
        return split_array(cell, "\n");
    case CORE_CELL_BOOL:
        if (strcmp(cell, "yes") == 0 || strcmp(cell, "no") == 0)
            return json_boolean(strcmp(cell, "yes") == 0);
        return json_string(cell);
    default:
        return json_string(cell);
    }
}

static json_t *row_json(const struct core_view_info *info,
                        const struct core_row *row)
{
    json_t *obj = json_object();
    size_t i;

    if (!obj || json_object_set_new(obj, "id", json_integer(row->id)) != 0)
        goto fail;
    for (i = 0; i < info->column_count; i++) {
        if (json_object_set_new(
                obj, info->columns[i].key,
                cell_json(row->cells[i], info->columns[i].kind)) != 0)
            goto fail;
    }
    return obj;
fail:
    json_decref(obj);
    return NULL;
}

static const char *const company_keys[] = {"id",
                                           "name",
                                           "business_id",
                                           "sso_enforced",
                                           "employees_see_all_users",
                                           "forms",
                                           "budgets",
                                           "lock_until",
                                           "schedule",
                                           "locale",
                                           "okta_url"};

/* The value of the company_keys[k] setting, typed as its key says. */
static json_t *company_value(size_t k, const char *value)
{
    if (!value)
        return json_null();
    if (k == 0)
        return number_json(value, true);
    if (k == 5)
        return split_array(value, ", ");
    if (k == 3 || k == 4 || k == 6)
        return cell_json(value, CORE_CELL_BOOL);
    return json_string(value);
}

/* The company's settings, typed, in a fixed order with null for what
 * the rows do not hold. */
static json_t *company_json(const struct core_table *table)
{
    json_t *obj = json_object();
    const char *value;
    const char *key;
    size_t k;
    size_t i;

    for (k = 0; obj && k < sizeof(company_keys) / sizeof(*company_keys); k++) {
        value = NULL;
        for (i = 0; i < table->count; i++) {
            key = table->rows[i].cells[CMP_SETTING];
            if (key && strcmp(key, company_keys[k]) == 0)
                value = table->rows[i].cells[CMP_VALUE];
        }
        if (json_object_set_new(obj, company_keys[k],
                                company_value(k, value)) != 0) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

/* Writes value as JSON_INDENT(2) text with indent spaces before each of
 * its lines, as it stands inside an array so dumped. */
static enum base_status put_value(FILE *out, json_t *value, const char *indent)
{
    char *text = value ? json_dumps(value, JSON_INDENT(2)) : NULL;
    const char *line;
    const char *end;
    bool ok = true;

    json_decref(value);
    if (!text)
        return BASE_E_NOMEM;
    /* Strings never hold a raw newline: each one ends a line. */
    for (line = text; ok && *line; line = *end ? end + 1 : end) {
        end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        ok = fputs(indent, out) >= 0 &&
             fwrite(line, 1, (size_t)(end - line), out) ==
                 (size_t)(end - line) &&
             (!*end || fputc('\n', out) != EOF);
    }
    free(text);
    return ok ? BASE_OK : BASE_E_IO;
}

enum base_status core_view_json_write(FILE *out, const struct core_table *table,
                                      const size_t *order, size_t n)
{
    const struct core_view_info *info;
    enum base_status r = BASE_OK;
    size_t count;
    size_t i;

    info = table ? core_view_info(table->view) : NULL;
    if (!out || !info || !order_ok(table, order, n))
        return BASE_E_INVALID;
    if (table->view == CORE_VIEW_COMPANY)
        return put_value(out, company_json(table), "");
    count = order ? n : table->count;
    if (count == 0)
        return fputs("[]", out) >= 0 ? BASE_OK : BASE_E_IO;
    if (fputs("[\n", out) < 0)
        return BASE_E_IO;
    /* One row's tree at a time, never the whole list's. */
    for (i = 0; r == BASE_OK && i < count; i++) {
        if (i > 0 && fputs(",\n", out) < 0)
            return BASE_E_IO;
        r = put_value(out, row_json(info, &table->rows[order ? order[i] : i]),
                      "  ");
    }
    if (r == BASE_OK && fputs("\n]", out) < 0)
        r = BASE_E_IO;
    return r;
}

char *core_view_json(const struct core_table *table, const size_t *order,
                     size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    enum base_status r;

    if (!out)
        return NULL;
    r = core_view_json_write(out, table, order, n);
    if (fclose(out) != 0 || r != BASE_OK) {
        free(text);
        return NULL;
    }
    return text;
}

/* The cache text, version 2: a JSON object whose header names the format
 * and the view on the first line, then one row per line as a JSON array
 * [id, item, cell...] with null for what is absent, then the closing
 * line. It is read and written here row by row, so that neither side
 * holds a JSON tree of the whole list, and an older text (which has no
 * such header) is never read as this one. */
#define CACHE_HEAD "{\"format\":2,\"view\":\""
#define CACHE_HEAD_END "\",\"rows\":[\n"
#define CACHE_TAIL "]}\n"

/* The escape that s's byte c takes in a JSON string, 0 for none. */
static char escape_of(unsigned char c)
{
    switch (c) {
    case '"':
        return '"';
    case '\\':
        return '\\';
    case '\n':
        return 'n';
    case '\t':
        return 't';
    case '\r':
        return 'r';
    case '\b':
        return 'b';
    case '\f':
        return 'f';
    default:
        return c < 0x20 ? 'u' : 0;
    }
}

/* The bytes s takes as a JSON string, quotes included. */
static size_t string_size(const char *s)
{
    const unsigned char *p;
    size_t n = 2;
    char e;

    for (p = (const unsigned char *)s; *p; p++) {
        e = escape_of(*p);
        n += e == 'u' ? 6 : e ? 2 : 1;
    }
    return n;
}

static char *put_string(char *q, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p;
    char e;

    *q++ = '"';
    for (p = (const unsigned char *)s; *p; p++) {
        e = escape_of(*p);
        if (e == 'u') {
            memcpy(q, "\\u00", 4);
            q[4] = hex[*p >> 4];
            q[5] = hex[*p & 15];
            q += 6;
        } else if (e) {
            *q++ = '\\';
            *q++ = e;
        } else {
            *q++ = (char)*p;
        }
    }
    *q++ = '"';
    return q;
}

static size_t cell_size(const char *s)
{
    return s ? string_size(s) : 4;
}

static char *put_cell(char *q, const char *s)
{
    if (s)
        return put_string(q, s);
    memcpy(q, "null", 4);
    return q + 4;
}

/* The bytes of one row's line with item, its separator included. */
static size_t row_size(const struct core_view_info *info,
                       const struct core_row *row, const char *item)
{
    size_t n = 24 + 3 + cell_size(item);
    size_t i;

    for (i = 0; i < info->column_count; i++)
        n += 1 + cell_size(row->cells[i]);
    return n;
}

static char *put_row(char *q, const struct core_view_info *info,
                     const struct core_row *row, const char *item, bool last)
{
    size_t i;

    q += sprintf(q, "[%lld,", (long long)row->id);
    q = put_cell(q, item);
    for (i = 0; i < info->column_count; i++) {
        *q++ = ',';
        q = put_cell(q, row->cells[i]);
    }
    *q++ = ']';
    if (!last)
        *q++ = ',';
    *q++ = '\n';
    return q;
}

/* The text of a part while it is written; the buffer is kept from part
 * to part. */
struct text_out {
    char *text;
    size_t len;
    size_t cap;
};

static int text_reserve(struct text_out *t, size_t more)
{
    size_t cap = t->cap ? t->cap : 64 * 1024;
    char *grown;

    if (more > SIZE_MAX / 2 - t->len)
        return VIEW_FAIL;
    if (t->len + more <= t->cap)
        return 0;
    while (cap < t->len + more)
        cap += cap / 2;
    grown = realloc(t->text, cap);
    if (!grown)
        return VIEW_FAIL;
    t->text = grown;
    t->cap = cap;
    return 0;
}

/* Appends s and a NUL after it (not counted in t->len). */
static enum base_status add_text(struct text_out *t, const char *s)
{
    size_t n = strlen(s);

    if (text_reserve(t, n + 1) != 0)
        return BASE_E_NOMEM;
    memcpy(t->text + t->len, s, n + 1);
    t->len += n;
    return BASE_OK;
}

struct core_view_cache_parts {
    const struct core_table *table;
    const struct core_view_info *info;
    struct core_view_item_reader reader;
    struct text_out out;
    size_t part_bytes;
    size_t part_rows;
    size_t row;              /* the next row to write */
    bool started;            /* part 0, with the header, was given */
    bool ended;              /* the last part was given */
    enum base_status failed; /* a failure ends the writer for good */
};

enum base_status core_view_cache_parts_new(const struct core_table *table,
                                           size_t part_bytes, size_t part_rows,
                                           struct core_view_cache_parts **out)
{
    const struct core_view_info *info;
    struct core_view_cache_parts *p;

    info = table ? core_view_info(table->view) : NULL;
    if (!info || !out)
        return BASE_E_INVALID;
    p = calloc(1, sizeof(*p));
    if (!p)
        return BASE_E_NOMEM;
    p->table = table;
    p->info = info;
    p->part_bytes = part_bytes ? part_bytes : CORE_VIEW_CACHE_PART_BYTES;
    p->part_rows = part_rows ? part_rows : CORE_VIEW_CACHE_PART_ROWS;
    p->failed = BASE_OK;
    *out = p;
    return BASE_OK;
}

void core_view_cache_parts_free(struct core_view_cache_parts **parts)
{
    if (!parts || !*parts)
        return;
    core_view_item_reader_clear(&(*parts)->reader);
    free((*parts)->out.text);
    free(*parts);
    *parts = NULL;
}

/* The next row's line at the end of the part, its item read as it is
 * written, so that the items of a table with an item file are never all
 * in memory at once. */
static enum base_status add_row(struct core_view_cache_parts *p)
{
    const struct core_row *row = &p->table->rows[p->row];
    const char *item = NULL;
    size_t item_len = 0;
    enum base_status st;
    char *end;

    st = core_view_item_read(&p->reader, p->table, row, &item, &item_len);
    if (st != BASE_OK)
        return st;
    if (text_reserve(&p->out, row_size(p->info, row, item)) != 0)
        return BASE_E_NOMEM;
    end = put_row(p->out.text + p->out.len, p->info, row, item,
                  p->row + 1 == p->table->count);
    p->out.len = (size_t)(end - p->out.text);
    p->row++;
    return BASE_OK;
}

static enum base_status add_head(struct core_view_cache_parts *p)
{
    enum base_status st = add_text(&p->out, CACHE_HEAD);

    if (st == BASE_OK)
        st = add_text(&p->out, p->info->name);
    if (st == BASE_OK)
        st = add_text(&p->out, CACHE_HEAD_END);
    return st;
}

/* Writes the next part into p->out; the rows after the last go with the
 * closing line. */
static enum base_status write_part(struct core_view_cache_parts *p)
{
    enum base_status st = BASE_OK;
    size_t count = p->table->count;
    size_t n = 0;

    p->out.len = 0;
    if (!p->started)
        st = add_head(p);
    while (st == BASE_OK && p->row < count && n < p->part_rows &&
           (n == 0 || p->out.len < p->part_bytes)) {
        st = add_row(p);
        n++;
    }
    if (st == BASE_OK && p->row == count)
        st = add_text(&p->out, CACHE_TAIL);
    return st;
}

enum base_status core_view_cache_parts_next(struct core_view_cache_parts *p,
                                            const char **part, size_t *len)
{
    if (!p || !part || !len)
        return BASE_E_INVALID;
    if (p->failed != BASE_OK)
        return p->failed;
    if (p->ended) {
        *part = NULL;
        *len = 0;
        return BASE_OK;
    }
    p->failed = write_part(p);
    if (p->failed != BASE_OK)
        return p->failed;
    p->started = true;
    p->ended = p->row == p->table->count;
    *part = p->out.text;
    *len = p->out.len;
    return BASE_OK;
}

char *core_view_cache_text(const struct core_table *table, size_t *len)
{
    struct core_view_cache_parts *p = NULL;
    const char *part = NULL;
    size_t n = 0;
    char *text = NULL;

    if (core_view_cache_parts_new(table, SIZE_MAX, SIZE_MAX, &p) != BASE_OK)
        return NULL;
    /* Parts of unbounded size: the first is the whole text, taken. */
    if (core_view_cache_parts_next(p, &part, &n) == BASE_OK) {
        text = realloc(p->out.text, n + 1);
        text = text ? text : p->out.text;
        p->out.text = NULL;
    }
    core_view_cache_parts_free(&p);
    if (text && len)
        *len = n;
    return text;
}

bool core_view_cache_current(const char *text, size_t len)
{
    static const char head[] = "{\"format\":2,";

    return text && len >= sizeof(head) - 1 &&
           memcmp(text, head, sizeof(head) - 1) == 0;
}

/* A reader of the cache text's row lines, with a buffer that one row's
 * decoded strings fit in. */
struct reader {
    const char *p;
    const char *end;
    char *buf;
    size_t cap;
    bool in_parts; /* the text is a part of a list, not all of it */
    bool part_end; /* in_parts: the part ended after a row's comma */
};

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        v <<= 4;
        if (p[i] >= '0' && p[i] <= '9')
            v |= (unsigned)(p[i] - '0');
        else if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
            v |= (unsigned)((p[i] | 0x20) - 'a' + 10);
        else
            return VIEW_FAIL;
    }
    *out = v;
    return 0;
}

/* A \u escape at p (after the u), surrogate pairs joined, as UTF-8 at
 * *q; the characters read, or 0 for a bad or NUL one. */
static size_t unicode_escape(const char *p, const char *end, char **q)
{
    unsigned c;
    unsigned lo;
    size_t used = 4;
    char *o = *q;

    if (end - p < 4 || hex4(p, &c) != 0 || c == 0 || (c >> 10) == 0x37)
        return 0;
    if ((c >> 10) == 0x36) {
        if (end - p < 10 || p[4] != '\\' || p[5] != 'u' ||
            hex4(p + 6, &lo) != 0 || (lo >> 10) != 0x37)
            return 0;
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        used = 10;
    }
    if (c < 0x80) {
        *o++ = (char)c;
    } else if (c < 0x800) {
        *o++ = (char)(0xc0 | c >> 6);
        *o++ = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        *o++ = (char)(0xe0 | c >> 12);
        *o++ = (char)(0x80 | ((c >> 6) & 0x3f));
        *o++ = (char)(0x80 | (c & 0x3f));
    } else {
        *o++ = (char)(0xf0 | c >> 18);
        *o++ = (char)(0x80 | ((c >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3f));
        *o++ = (char)(0x80 | (c & 0x3f));
    }
    *q = o;
    return used;
}

/* The character that a JSON escape other than \u stands for; 0 for a
 * letter that is no escape. */
static char unescape(char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
        return c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

/* The JSON string or null at the reader, decoded to *q (which moves
 * past its NUL); *out is where it starts, NULL for null. */
static int read_cell(struct reader *r, char **q, char **out)
{
    const char *p = r->p;
    char *o = *q;
    size_t used;

    if (r->end - p >= 4 && memcmp(p, "null", 4) == 0) {
        r->p = p + 4;
        *out = NULL;
        return 0;
    }
    if (p >= r->end || *p++ != '"')
        return VIEW_FAIL;
    while (p < r->end && *p != '"') {
        if ((unsigned char)*p < 0x20)
            return VIEW_FAIL;
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        if (++p >= r->end)
            return VIEW_FAIL;
        used = *p == 'u' ? unicode_escape(p + 1, r->end, &o) : 0;
        if (*p == 'u' && used == 0)
            return VIEW_FAIL;
        if (*p != 'u' && unescape(*p) == 0)
            return VIEW_FAIL;
        if (*p != 'u')
            *o++ = unescape(*p);
        p += 1 + used;
    }
    if (p >= r->end)
        return VIEW_FAIL;
    *o++ = '\0';
    *out = *q;
    *q = o;
    r->p = p + 1;
    return 0;
}

static int read_id(struct reader *r, int64_t *out)
{
    const char *p = r->p;
    bool negative = p < r->end && *p == '-';
    uint64_t v = 0;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : INT64_MAX;

    p += negative;
    if (p >= r->end || *p < '0' || *p > '9')
        return VIEW_FAIL;
    for (; p < r->end && *p >= '0' && *p <= '9'; p++) {
        if (v > (limit - (uint64_t)(*p - '0')) / 10)
            return VIEW_FAIL;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = negative ? (int64_t)(0 - v) : (int64_t)v;
    r->p = p;
    return 0;
}

static bool read_char(struct reader *r, char c)
{
    if (r->p >= r->end || *r->p != c)
        return false;
    r->p++;
    return true;
}

/* The row's strings are decoded into the reader's buffer, which grows to
 * the line's length (decoding never makes a string longer). */
static int reserve_line(struct reader *r)
{
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    size_t need = nl ? (size_t)(nl - r->p) + 1 : 0;
    char *buf;

    if (!nl)
        return VIEW_FAIL;
    if (need <= r->cap)
        return 0;
    buf = realloc(r->buf, need);
    if (!buf)
        return VIEW_FAIL;
    r->buf = buf;
    r->cap = need;
    return 0;
}

/* One row line, up to its closing bracket, appended to table packed. */
static int read_row(const struct core_view_info *info, struct reader *r,
                    struct core_table *table)
{
    struct core_row *row;
    char *q;
    size_t i;
    int rc = VIEW_FAIL;

    if (reserve_line(r) != 0 || !read_char(r, '['))
        return VIEW_FAIL;
    row = core_view_table_add(table);
    if (!row)
        return VIEW_FAIL;
    q = r->buf;
    if (read_id(r, &row->id) != 0 || !read_char(r, ',') ||
        read_cell(r, &q, &row->item) != 0)
        goto out;
    for (i = 0; i < info->column_count; i++) {
        if (!read_char(r, ',') || read_cell(r, &q, &row->cells[i]) != 0)
            goto out;
    }
    if (read_char(r, ']'))
        rc = core_view_row_pack(info, row, false, table->items);
out:
    /* The cells point into the reader's buffer: the row forgets them
     * before it is packed or dropped. */
    if (rc != 0) {
        memset(row->cells, 0, info->column_count * sizeof(*row->cells));
        row->item = NULL;
        core_table_truncate(table, table->count - 1);
    }
    return rc;
}

/* The header for info's view at the reader; true when it is there. */
static bool read_header(const struct core_view_info *info, struct reader *r)
{
    size_t head = strlen(CACHE_HEAD);
    size_t name = strlen(info->name);
    size_t end = strlen(CACHE_HEAD_END);

    if ((size_t)(r->end - r->p) < head + name + end ||
        memcmp(r->p, CACHE_HEAD, head) != 0 ||
        memcmp(r->p + head, info->name, name) != 0 ||
        memcmp(r->p + head + name, CACHE_HEAD_END, end) != 0)
        return false;
    r->p += head + name + end;
    return true;
}

/* The closing line, which ends the text. */
static int read_tail(struct reader *r, bool *done)
{
    size_t tail = strlen(CACHE_TAIL);

    if ((size_t)(r->end - r->p) != tail || memcmp(r->p, CACHE_TAIL, tail) != 0)
        return VIEW_FAIL;
    r->p = r->end;
    *done = true;
    return 0;
}

/* After a row: ",\n" and the next row, or "\n" and the closing line at
 * the end of the text (then *done). */
static int read_separator(struct reader *r, bool *done)
{
    if (r->end - r->p >= 3 && memcmp(r->p, ",\n[", 3) == 0) {
        r->p += 2;
        return 0;
    }
    /* A part but the last ends after a row's comma. */
    if (r->in_parts && r->end - r->p == 2 && memcmp(r->p, ",\n", 2) == 0) {
        r->p = r->end;
        r->part_end = true;
        return 0;
    }
    if (!read_char(r, '\n'))
        return VIEW_FAIL;
    return read_tail(r, done);
}

/* Up to rows_max rows from the reader into table; the header first when
 * the reader is at the start. */
static int read_rows(const struct core_view_info *info, struct reader *r,
                     bool at_start, size_t rows_max, struct core_table *table,
                     bool *done)
{
    size_t n;

    if (at_start) {
        if (!read_header(info, r))
            return VIEW_FAIL;
        if (r->p < r->end && *r->p == ']')
            return read_tail(r, done);
    }
    for (n = 0; n < rows_max && !*done && !r->part_end; n++) {
        if (read_row(info, r, table) != 0 || read_separator(r, done) != 0)
            return VIEW_FAIL;
    }
    return 0;
}

/* Up to rows_max rows of text from *pos on into table; the header first
 * when at_start. */
static enum base_status decode_rows(enum core_view view, const char *text,
                                    size_t len, bool at_start, bool in_parts,
                                    size_t *pos, size_t rows_max,
                                    struct core_table *table, bool *done)
{
    const struct core_view_info *info = core_view_info(view);
    struct reader r = {NULL, NULL, NULL, 0, in_parts, false};
    size_t before;
    bool end = false;
    int rc;

    if (!info || !pos || !table || !done || table->view != view ||
        rows_max == 0 || *pos > len)
        return BASE_E_INVALID;
    if (!text || len == 0 || *pos == len)
        return BASE_E_DECODE;
    r.p = text + *pos;
    r.end = text + len;
    before = table->count;
    rc = read_rows(info, &r, at_start, rows_max, table, &end);
    free(r.buf);
    if (rc != 0) {
        core_table_truncate(table, before);
        return BASE_E_DECODE;
    }
    *pos = (size_t)(r.p - text);
    *done = end;
    return BASE_OK;
}

enum base_status core_view_decode_cached_part(enum core_view view,
                                              const char *text, size_t len,
                                              size_t *pos, size_t rows_max,
                                              struct core_table *table,
                                              bool *done)
{
    bool at_start = pos && *pos == 0;

    return decode_rows(view, text, len, at_start, false, pos, rows_max, table,
                       done);
}

enum base_status
core_view_decode_cache_piece(enum core_view view, const char *part, size_t len,
                             bool first, size_t *pos, size_t rows_max,
                             struct core_table *table, bool *done)
{
    bool at_start = first && pos && *pos == 0;

    return decode_rows(view, part, len, at_start, true, pos, rows_max, table,
                       done);
}

enum base_status core_view_decode_cached(enum core_view view, const char *text,
                                         size_t len, struct core_table *table)
{
    const struct core_view_info *info = core_view_info(view);
    struct core_table fresh = {view, NULL, 0, 0, 0, NULL};
    enum base_status result;
    size_t pos = 0;
    bool done = false;

    if (!info || !table || table->view != view)
        return BASE_E_INVALID;
    /* The rows are packed for table, their items put in its file. */
    fresh.items = table->items;
    result = core_view_decode_cached_part(view, text, len, &pos, SIZE_MAX,
                                          &fresh, &done);
    if (result == BASE_OK && !done)
        result = BASE_E_DECODE;
    if (result == BASE_OK)
        result = core_view_table_move(table, &fresh);
    fresh.items = NULL;
    core_table_clear(&fresh);
    return result;
}
