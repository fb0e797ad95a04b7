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

char *core_view_json(const struct core_table *table, const size_t *order,
                     size_t n)
{
    const struct core_view_info *info;
    json_t *root;
    char *text;
    size_t count;
    size_t i;

    info = table ? core_view_info(table->view) : NULL;
    if (!info || !order_ok(table, order, n))
        return NULL;
    count = order ? n : table->count;
    if (table->view == CORE_VIEW_COMPANY)
        root = company_json(table);
    else
        root = json_array();
    for (i = 0; root && table->view != CORE_VIEW_COMPANY && i < count; i++) {
        if (json_array_append_new(
                root, row_json(info, &table->rows[order ? order[i] : i])) !=
            0) {
            json_decref(root);
            root = NULL;
        }
    }
    text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
    json_decref(root);
    return text;
}

static json_t *cache_row(const struct core_view_info *info,
                         const struct core_row *row)
{
    json_t *obj = json_object();
    json_t *cells = json_array();
    size_t i;

    if (!obj || !cells || json_object_set(obj, "cells", cells) != 0 ||
        json_object_set_new(obj, "id", json_integer(row->id)) != 0 ||
        json_object_set_new(
            obj, "item", row->item ? json_string(row->item) : json_null()) != 0)
        goto fail;
    for (i = 0; i < info->column_count; i++) {
        if (json_array_append_new(cells, row->cells[i]
                                             ? json_string(row->cells[i])
                                             : json_null()) != 0)
            goto fail;
    }
    json_decref(cells);
    return obj;
fail:
    json_decref(cells);
    json_decref(obj);
    return NULL;
}

char *core_view_cache_text(const struct core_table *table, size_t *len)
{
    const struct core_view_info *info;
    json_t *root;
    json_t *rows;
    char *text = NULL;
    size_t i;

    info = table ? core_view_info(table->view) : NULL;
    if (!info)
        return NULL;
    rows = json_array();
    root = json_pack("{s:s, s:O}", "view", info->name, "rows", rows);
    for (i = 0; root && i < table->count; i++) {
        if (json_array_append_new(rows, cache_row(info, &table->rows[i])))
            goto out;
    }
    text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    if (text && len)
        *len = strlen(text);
out:
    json_decref(rows);
    json_decref(root);
    return text;
}

static int cached_row(const struct core_view_info *info, json_t *obj,
                      struct core_table *table)
{
    json_t *cells = json_object_get(obj, "cells");
    json_t *item = json_object_get(obj, "item");
    json_t *id = json_object_get(obj, "id");
    struct core_row *row;
    json_t *v;
    size_t i;

    if (!json_is_object(obj) || !json_is_integer(id) || !json_is_array(cells) ||
        json_array_size(cells) != info->column_count ||
        !(json_is_string(item) || json_is_null(item)))
        return VIEW_FAIL;
    row = core_view_table_add(table);
    if (!row)
        return VIEW_FAIL;
    row->id = (int64_t)json_integer_value(id);
    /* The row is packed from the JSON's own strings: nothing is copied
     * twice. */
    row->item = (char *)(uintptr_t)json_string_value(item);
    json_array_foreach(cells, i, v)
    {
        if (!json_is_null(v) && !json_is_string(v))
            break;
        row->cells[i] = (char *)(uintptr_t)json_string_value(v);
    }
    if (i == info->column_count && core_view_row_pack(info, row, false) == 0)
        return 0;
    /* Not the row's to free: forget it before the table drops it. */
    memset(row->cells, 0, info->column_count * sizeof(*row->cells));
    row->item = NULL;
    return VIEW_FAIL;
}

/* A reader of the cache text that decodes one row at a time, so that a
 * long list never stands in memory as one JSON tree. */
struct cursor {
    const char *p;
    const char *end;
};

static bool take(struct cursor *c, char ch)
{
    while (c->p < c->end && strchr(" \t\r\n", *c->p) && *c->p)
        c->p++;
    if (c->p >= c->end || *c->p != ch)
        return false;
    c->p++;
    return true;
}

/* The JSON string at the cursor, quotes included, without decoding it. */
static bool string_token(struct cursor *c, const char **start, size_t *len)
{
    const char *p;

    if (!take(c, '"'))
        return false;
    for (p = c->p; p < c->end && *p != '"'; p++) {
        if (*p == '\\')
            p++;
    }
    if (p >= c->end)
        return false;
    *start = c->p - 1;
    *len = (size_t)(p + 1 - *start);
    c->p = p + 1;
    return true;
}

/* The value at the cursor: a string, an array or an object. */
static json_t *value_at(struct cursor *c)
{
    json_error_t error;
    const char *start;
    size_t len;
    json_t *v;

    if (take(c, '"')) {
        c->p--;
        if (!string_token(c, &start, &len))
            return NULL;
        return json_loadb(start, len, JSON_DECODE_ANY, &error);
    }
    v = json_loadb(c->p, (size_t)(c->end - c->p),
                   JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &error);
    if (v)
        c->p += error.position;
    return v;
}

static int cached_rows(const struct core_view_info *info, struct cursor *c,
                       struct core_table *table)
{
    json_t *obj;
    int rc;

    if (!take(c, '['))
        return VIEW_FAIL;
    if (take(c, ']'))
        return 0;
    do {
        obj = value_at(c);
        rc = obj ? cached_row(info, obj, table) : VIEW_FAIL;
        json_decref(obj);
        if (rc != 0)
            return VIEW_FAIL;
    } while (take(c, ','));
    return take(c, ']') ? 0 : VIEW_FAIL;
}

/* One member of the top object: "view" must name info's view, "rows"
 * are read into table, others are skipped. */
static int cached_member(const struct core_view_info *info, struct cursor *c,
                         struct core_table *table, int *seen)
{
    const char *key;
    size_t len;
    json_t *v;
    bool ok;

    if (!string_token(c, &key, &len) || !take(c, ':'))
        return VIEW_FAIL;
    if (len == 6 && memcmp(key, "\"rows\"", 6) == 0) {
        if (*seen & 2)
            return VIEW_FAIL;
        *seen |= 2;
        return cached_rows(info, c, table);
    }
    v = value_at(c);
    ok = v != NULL;
    if (len == 6 && memcmp(key, "\"view\"", 6) == 0) {
        ok = !(*seen & 1) && json_is_string(v) &&
             strcmp(json_string_value(v), info->name) == 0;
        *seen |= 1;
    }
    json_decref(v);
    return ok ? 0 : VIEW_FAIL;
}

static int cached_text(const struct core_view_info *info, const char *text,
                       size_t len, struct core_table *table)
{
    struct cursor c = {text, text + len};
    int seen = 0;

    if (!take(&c, '{'))
        return VIEW_FAIL;
    do {
        if (cached_member(info, &c, table, &seen) != 0)
            return VIEW_FAIL;
    } while (take(&c, ','));
    /* Each of "view" and "rows" once, then nothing but space. */
    if (!take(&c, '}') || seen != 3)
        return VIEW_FAIL;
    while (c.p < c.end && strchr(" \t\r\n", *c.p) && *c.p)
        c.p++;
    return c.p == c.end ? 0 : VIEW_FAIL;
}

enum base_status core_view_decode_cached(enum core_view view, const char *text,
                                         size_t len, struct core_table *table)
{
    const struct core_view_info *info = core_view_info(view);
    struct core_table fresh = {view, NULL, 0, 0, 0};
    enum base_status result = BASE_E_DECODE;

    if (!info || !table || table->view != view)
        return BASE_E_INVALID;
    if (text && len > 0 && cached_text(info, text, len, &fresh) == 0)
        result = core_view_table_move(table, &fresh);
    core_table_clear(&fresh);
    return result;
}
