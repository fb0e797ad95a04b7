/* Decodes the answers of the views' endpoints into rows of text cells,
 * checking the type of every field it reads. */
#include "core/view.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/endpoints.h"
#include "core/view_internal.h"

/* Set when an allocation failed, so that a failed decode can tell running
 * out of memory from an answer of the wrong shape. */
static _Thread_local bool out_of_memory;

static char *keep(char *p)
{
    if (!p)
        out_of_memory = true;
    return p;
}

char *core_view_printf(const char *fmt, ...)
{
    va_list ap;
    char *out = NULL;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&out, fmt, ap);
    va_end(ap);
    return keep(n < 0 ? NULL : out);
}

char *core_view_number_text(double value)
{
    char text[64];
    size_t n;

    snprintf(text, sizeof(text), "%.2f", value);
    n = strlen(text);
    if (strchr(text, '.')) {
        while (n > 0 && text[n - 1] == '0')
            text[--n] = '\0';
        if (n > 0 && text[n - 1] == '.')
            text[--n] = '\0';
    }
    if (strcmp(text, "-0") == 0)
        return keep(strdup("0"));
    return keep(strdup(text));
}

char *core_view_scalar_text(json_t *v)
{
    if (json_is_string(v))
        return keep(strdup(json_string_value(v)));
    if (json_is_integer(v))
        return core_view_printf("%lld", (long long)json_integer_value(v));
    if (json_is_real(v))
        return core_view_number_text(json_real_value(v));
    return NULL;
}

int core_view_get_str(json_t *obj, const char *key, char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return VIEW_FAIL;
    *out = keep(strdup(json_string_value(v)));
    return *out ? 0 : VIEW_FAIL;
}

int core_view_get_id(json_t *obj, const char *key, bool required, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    const char *s;
    char *end = NULL;
    long long n;

    *out = 0;
    if (!v || json_is_null(v))
        return required ? VIEW_FAIL : 0;
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v))
        return VIEW_FAIL;
    s = json_string_value(v);
    if (!isdigit((unsigned char)s[0]))
        return VIEW_FAIL;
    errno = 0;
    n = strtoll(s, &end, 10);
    if (errno || *end != '\0')
        return VIEW_FAIL;
    *out = (int64_t)n;
    return 0;
}

int core_view_get_money(json_t *obj, const char *key, char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v))
        *out = keep(strdup(json_string_value(v)));
    else if (json_is_integer(v))
        *out = core_view_printf("%lld.00", (long long)json_integer_value(v));
    else if (json_is_real(v))
        *out = core_view_printf("%.2f", json_real_value(v));
    else
        return VIEW_FAIL;
    return *out ? 0 : VIEW_FAIL;
}

int core_view_get_number(json_t *obj, const char *key, char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v) && !json_is_number(v))
        return VIEW_FAIL;
    *out = core_view_scalar_text(v);
    return *out ? 0 : VIEW_FAIL;
}

int core_view_get_bool(json_t *obj, const char *key, bool invert, char **out)
{
    json_t *v = json_object_get(obj, key);
    bool b;

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_boolean(v))
        b = json_is_true(v);
    else if (json_is_integer(v) &&
             (json_integer_value(v) == 0 || json_integer_value(v) == 1))
        b = json_integer_value(v) == 1;
    else
        return VIEW_FAIL;
    *out = keep(strdup(b != invert ? "yes" : "no"));
    return *out ? 0 : VIEW_FAIL;
}

static const char *const item_words[VIEW_ITEM_COUNT] = {"receipt", "trip",
                                                        "allowance", "reward"};
static const char *const item_types[VIEW_ITEM_COUNT] = {
    CORE_T_RECEIPT, CORE_T_TRIP, CORE_T_ALLOWANCE, CORE_T_REWARD};

const char *core_view_item_word(enum view_item kind)
{
    return (int)kind >= 0 && kind < VIEW_ITEM_COUNT ? item_words[kind] : NULL;
}

const char *core_view_item_type_name(enum view_item kind)
{
    return (int)kind >= 0 && kind < VIEW_ITEM_COUNT ? item_types[kind] : NULL;
}

bool core_view_item_kind(json_t *item, enum view_item *out)
{
    json_t *type = json_object_get(item, CORE_F_TYPE);
    json_t *typed = json_object_get(item, CORE_F_TYPED_ID);
    size_t i;
    size_t n;

    for (i = 0; i < VIEW_ITEM_COUNT; i++) {
        n = strlen(item_types[i]);
        if (json_is_string(type) &&
            strcmp(json_string_value(type), item_types[i]) == 0)
            break;
        if (!json_is_string(type) && json_is_string(typed) &&
            strncmp(json_string_value(typed), item_types[i], n) == 0 &&
            json_string_value(typed)[n] == '-')
            break;
    }
    if (i == VIEW_ITEM_COUNT)
        return false;
    *out = (enum view_item)i;
    return true;
}

/* The text cells of one expense item before they are placed in a view's
 * columns. */
enum {
    F_DATE,
    F_DESCRIPTION,
    F_USER,
    F_AMOUNT,
    F_CURRENCY,
    F_STATE,
    F_USER_ID,
    F_EXTRA1, /* distance, days, reward type */
    F_EXTRA2, /* vehicle, countries, tax */
    F_COUNT
};

/* Column sources that are not item fields. */
enum { M_TYPE = -1, M_BATCH_DATE = -2, M_BATCH = -3 };

struct expense {
    char *f[F_COUNT];
};

static void expense_clear(struct expense *e)
{
    size_t i;

    for (i = 0; i < F_COUNT; i++) {
        free(e->f[i]);
        e->f[i] = NULL;
    }
}

/* user_id and user_name, or the nested user object's id and name. */
static int get_submitter(json_t *obj, struct expense *e)
{
    json_t *user = json_object_get(obj, CORE_F_USER);
    int64_t id = 0;

    if (core_view_get_id(obj, CORE_F_USER_ID, false, &id) != 0 ||
        core_view_get_str(obj, CORE_F_USER_NAME, &e->f[F_USER]) != 0)
        return VIEW_FAIL;
    if (user && !json_is_null(user) && !json_is_object(user))
        return VIEW_FAIL;
    if (json_is_object(user) && id == 0 &&
        core_view_get_id(user, CORE_F_ID, false, &id) != 0)
        return VIEW_FAIL;
    if (json_is_object(user) && !e->f[F_USER] &&
        core_view_get_str(user, CORE_F_NAME, &e->f[F_USER]) != 0)
        return VIEW_FAIL;
    if (id == 0)
        return 0;
    e->f[F_USER_ID] = core_view_printf("%lld", (long long)id);
    return e->f[F_USER_ID] ? 0 : VIEW_FAIL;
}

/* "currency" as a string or {"code": ..}, else "cost_currency", else the
 * submitter's country currency (user.country.currency). */
static int get_currency(json_t *obj, char **out)
{
    json_t *v = json_object_get(obj, CORE_F_CURRENCY);
    json_t *user;

    *out = NULL;
    if (json_is_object(v))
        return core_view_get_str(v, CORE_F_CURRENCY_CODE, out);
    if (v && !json_is_null(v))
        return core_view_get_str(obj, CORE_F_CURRENCY, out);
    if (core_view_get_str(obj, CORE_F_CURRENCY_ALT, out) != 0)
        return VIEW_FAIL;
    if (*out)
        return 0;
    user = json_object_get(obj, CORE_F_USER);
    v = json_object_get(json_object_get(user, CORE_F_COUNTRY), CORE_F_CURRENCY);
    if (json_is_string(v))
        *out = keep(strdup(json_string_value(v)));
    return json_is_string(v) && !*out ? VIEW_FAIL : 0;
}

/* An array field: missing or null is an empty array, another type
 * fails. */
static int get_array(json_t *obj, const char *key, json_t **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return VIEW_FAIL;
    *out = v;
    return 0;
}

/* The name of a nested {id, name} object, e.g. vehicle or reward type. */
static int get_nested_name(json_t *obj, const char *key, char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_object(v))
        return VIEW_FAIL;
    return core_view_get_str(v, CORE_F_NAME, out);
}

static char *cents_text(long long cents)
{
    unsigned long long abs_cents = cents < 0 ? 0ULL - (unsigned long long)cents
                                             : (unsigned long long)cents;

    return core_view_printf("%s%llu.%02llu", cents < 0 ? "-" : "",
                            abs_cents / 100, abs_cents % 100);
}

/* Sums the entries' distance and cents; the currency is the first
 * entry's that names one. */
static int trip_entries(json_t *item, struct expense *e)
{
    json_t *entries;
    json_t *entry;
    json_t *v;
    double km = 0;
    long long cents = 0;
    bool has_km = false;
    bool has_cents = false;
    size_t i;

    if (get_array(item, CORE_F_ENTRIES, &entries) != 0)
        return VIEW_FAIL;
    json_array_foreach(entries, i, entry)
    {
        if (!json_is_object(entry))
            return VIEW_FAIL;
        v = json_object_get(entry, CORE_F_DISTANCE);
        if (v && !json_is_null(v) && !json_is_number(v))
            return VIEW_FAIL;
        has_km = has_km || json_is_number(v);
        km += json_is_number(v) ? json_number_value(v) : 0;
        v = json_object_get(entry, CORE_F_COST_CENTS);
        if (v && !json_is_null(v) && !json_is_integer(v))
            return VIEW_FAIL;
        has_cents = has_cents || json_is_integer(v);
        cents += json_is_integer(v) ? (long long)json_integer_value(v) : 0;
        if (!e->f[F_CURRENCY] && core_view_get_str(entry, CORE_F_CURRENCY_ALT,
                                                   &e->f[F_CURRENCY]) != 0)
            return VIEW_FAIL;
    }
    if (has_km)
        e->f[F_EXTRA1] = core_view_number_text(km);
    if (has_cents)
        e->f[F_AMOUNT] = cents_text(cents);
    return (has_km && !e->f[F_EXTRA1]) || (has_cents && !e->f[F_AMOUNT])
               ? VIEW_FAIL
               : 0;
}

static int trip_fields(json_t *item, struct expense *e)
{
    if (trip_entries(item, e) != 0 ||
        get_nested_name(item, CORE_F_VEHICLE, &e->f[F_EXTRA2]) != 0)
        return VIEW_FAIL;
    return e->f[F_CURRENCY] ? 0 : get_currency(item, &e->f[F_CURRENCY]);
}

/* Appends text to a '\n'-joined list unless it is there already. */
static int list_add_distinct(char **list, const char *text)
{
    const char *p = *list;
    size_t n = strlen(text);
    char *joined;

    while (p) {
        if (strncmp(p, text, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
            return 0;
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    joined =
        *list ? core_view_printf("%s\n%s", *list, text) : keep(strdup(text));
    if (!joined)
        return VIEW_FAIL;
    free(*list);
    *list = joined;
    return 0;
}

/* total_cost where sent (the subtotal less the free meals), else the
 * subtotal, a real given with two decimals. */
static int allowance_amount(json_t *item, char **out)
{
    if (core_view_get_money(item, CORE_F_AMOUNT_1, out) != 0)
        return VIEW_FAIL;
    return *out ? 0 : core_view_get_money(item, CORE_F_SUBTOTAL, out);
}

static int allowance_fields(json_t *item, struct expense *e)
{
    json_t *entries;
    json_t *entry;
    json_t *v;
    size_t i;

    if (core_view_get_number(item, CORE_F_DAYS, &e->f[F_EXTRA1]) != 0 ||
        get_currency(item, &e->f[F_CURRENCY]) != 0 ||
        get_array(item, CORE_F_ENTRIES, &entries) != 0 ||
        allowance_amount(item, &e->f[F_AMOUNT]) != 0)
        return VIEW_FAIL;
    json_array_foreach(entries, i, entry)
    {
        if (!json_is_object(entry))
            return VIEW_FAIL;
        v = json_object_get(entry, CORE_F_COUNTRY_NAME);
        if (v && !json_is_null(v) && !json_is_string(v))
            return VIEW_FAIL;
        if (json_is_string(v) &&
            list_add_distinct(&e->f[F_EXTRA2], json_string_value(v)) != 0)
            return VIEW_FAIL;
    }
    return 0;
}

static int receipt_fields(json_t *item, struct expense *e)
{
    if (core_view_get_money(item, CORE_F_AMOUNT_1, &e->f[F_AMOUNT]) != 0)
        return VIEW_FAIL;
    if (!e->f[F_AMOUNT] &&
        core_view_get_money(item, CORE_F_AMOUNT_2, &e->f[F_AMOUNT]) != 0)
        return VIEW_FAIL;
    return get_currency(item, &e->f[F_CURRENCY]);
}

static int reward_fields(json_t *item, struct expense *e)
{
    if (get_nested_name(item, CORE_F_REWARD_TYPE, &e->f[F_EXTRA1]) != 0 ||
        core_view_get_money(item, CORE_F_AMOUNT_1, &e->f[F_AMOUNT]) != 0 ||
        core_view_get_money(item, CORE_F_TAX_AMOUNT, &e->f[F_EXTRA2]) != 0)
        return VIEW_FAIL;
    return get_currency(item, &e->f[F_CURRENCY]);
}

static int expense_decode(json_t *item, enum view_item kind, struct expense *e)
{
    static int (*const fields[VIEW_ITEM_COUNT])(json_t *, struct expense *) = {
        receipt_fields, trip_fields, allowance_fields, reward_fields};

    if (!json_is_object(item))
        return VIEW_FAIL;
    if (core_view_get_str(item, CORE_F_DATE, &e->f[F_DATE]) != 0 ||
        core_view_get_str(item, CORE_F_DESCRIPTION, &e->f[F_DESCRIPTION]) !=
            0 ||
        core_view_get_str(item, CORE_F_STATE, &e->f[F_STATE]) != 0 ||
        get_submitter(item, e) != 0)
        return VIEW_FAIL;
    return fields[kind](item, e);
}

/* Where an expense item's cells go in each view that lists items. */
static const int receipt_map[] = {F_DATE,     F_DESCRIPTION, F_USER,   F_AMOUNT,
                                  F_CURRENCY, F_STATE,       F_USER_ID};
static const int trip_map[] = {F_DATE,   F_DESCRIPTION, F_USER,
                               F_EXTRA1, F_AMOUNT,      F_CURRENCY,
                               F_EXTRA2, F_STATE,       F_USER_ID};
static const int reward_map[] = {F_DATE,     F_DESCRIPTION, F_USER,
                                 F_EXTRA1,   F_AMOUNT,      F_EXTRA2,
                                 F_CURRENCY, F_STATE,       F_USER_ID};
static const int approval_map[] = {M_TYPE,  F_DATE,   F_DESCRIPTION,
                                   F_USER,  F_AMOUNT, F_CURRENCY,
                                   F_STATE, F_USER_ID};
static const int archive_map[] = {M_BATCH_DATE, M_BATCH,       M_TYPE,
                                  F_DATE,       F_DESCRIPTION, F_USER,
                                  F_AMOUNT,     F_CURRENCY,    F_USER_ID};

/* The item's kind and, for the approvals and the archive, what the
 * answer around it says (its array and batch). */
struct item_context {
    enum view_item kind;
    const int *map;
    bool add_context;
    const char *batch_date;
    const char *batch;
};

static const char *item_string(json_t *item, const char *key)
{
    json_t *v = json_object_get(item, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

static char *context_cell(json_t *item, const struct item_context *ctx,
                          int source)
{
    const char *text = NULL;

    if (source == M_TYPE)
        text = core_view_item_word(ctx->kind);
    else if (source == M_BATCH_DATE)
        text = ctx->batch_date ? ctx->batch_date
                               : item_string(item, CORE_F_BATCH_DATE);
    else if (source == M_BATCH)
        text =
            ctx->batch ? ctx->batch : item_string(item, CORE_F_BATCH_REFERENCE);
    return text ? keep(strdup(text)) : NULL;
}

/* The row's item text: the item as sent, plus its type and batch where
 * the answer gave them only around the item. */
static char *item_text(json_t *item, const struct item_context *ctx)
{
    json_t *copy;
    char *text;

    if (!ctx->add_context)
        return keep(json_dumps(item, JSON_COMPACT));
    copy = json_copy(item);
    if (!copy ||
        json_object_set_new(copy, CORE_F_TYPE,
                            json_string(core_view_item_type_name(ctx->kind))) !=
            0 ||
        (ctx->batch_date && !item_string(item, CORE_F_BATCH_DATE) &&
         json_object_set_new(copy, CORE_F_BATCH_DATE,
                             json_string(ctx->batch_date)) != 0) ||
        (ctx->batch && !item_string(item, CORE_F_BATCH_REFERENCE) &&
         json_object_set_new(copy, CORE_F_BATCH_REFERENCE,
                             json_string(ctx->batch)) != 0)) {
        json_decref(copy);
        return keep(NULL);
    }
    text = keep(json_dumps(copy, JSON_COMPACT));
    json_decref(copy);
    return text;
}

static int place_cells(struct core_row *row, size_t n, json_t *item,
                       const struct item_context *ctx, struct expense *e)
{
    size_t i;
    int src;

    for (i = 0; i < n; i++) {
        src = ctx->map[i];
        if (src >= 0) {
            row->cells[i] = e->f[src];
            e->f[src] = NULL;
            continue;
        }
        row->cells[i] = context_cell(item, ctx, src);
        if (!row->cells[i] && out_of_memory)
            return VIEW_FAIL;
    }
    return 0;
}

static struct core_row *add_row(struct core_table *table)
{
    struct core_row *row = core_view_table_add(table);

    if (!row)
        out_of_memory = true;
    return row;
}

static int expense_row(struct core_table *table, json_t *item,
                       const struct item_context *ctx)
{
    size_t n = core_view_info(table->view)->column_count;
    struct expense e;
    struct core_row *row;
    int64_t id = 0;
    int64_t company = 0;
    int rc = VIEW_FAIL;

    memset(&e, 0, sizeof(e));
    if (expense_decode(item, ctx->kind, &e) != 0 ||
        core_view_get_id(item, CORE_F_ID, true, &id) != 0 ||
        core_view_get_id(item, CORE_F_COMPANY_ID, false, &company) != 0)
        goto out;
    core_view_table_said(table, company);
    row = add_row(table);
    if (!row || place_cells(row, n, item, ctx, &e) != 0)
        goto out;
    row->id = id;
    row->item = item_text(item, ctx);
    rc = row->item ? 0 : VIEW_FAIL;
out:
    expense_clear(&e);
    return rc;
}

/* The item text of a person: the national id, IBAN and BIC are left
 * out so that they reach neither the cache nor the detail. */
static char *person_text(json_t *item)
{
    static const char *const secret[] = {CORE_F_SSN, CORE_F_IBAN, CORE_F_BIC};
    json_t *copy = json_copy(item);
    char *text;
    size_t i;

    if (!copy)
        return keep(NULL);
    for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
        json_object_del(copy, secret[i]);
    text = keep(json_dumps(copy, JSON_COMPACT));
    json_decref(copy);
    return text;
}

/* A new row with its id and item text; the caller fills the cells. */
static struct core_row *plain_row(struct core_table *table, json_t *item)
{
    struct core_row *row;
    int64_t id = 0;

    if (!json_is_object(item) ||
        core_view_get_id(item, CORE_F_ID, true, &id) != 0)
        return NULL;
    row = add_row(table);
    if (!row)
        return NULL;
    row->id = id;
    if (table->view == CORE_VIEW_USERS)
        row->item = person_text(item);
    else
        row->item = keep(json_dumps(item, JSON_COMPACT));
    return row->item ? row : NULL;
}

/* The legacy display role ("Employee") as the role string it names, as
 * /api/home's decoder reads it, so that role filters find it. */
static int legacy_role(json_t *item, char **out)
{
    char *p;

    if (core_view_get_str(item, CORE_F_ROLE_LEGACY, out) != 0)
        return VIEW_FAIL;
    for (p = *out; p && *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    return 0;
}

/* roles as sent, one per line; the legacy "role" string when there is
 * no array. */
static int roles_cell(json_t *item, char **out)
{
    json_t *roles = json_object_get(item, CORE_F_ROLES);
    json_t *v;
    size_t i;
    char *joined;

    *out = NULL;
    if (!roles || json_is_null(roles))
        return legacy_role(item, out);
    if (!json_is_array(roles))
        return VIEW_FAIL;
    json_array_foreach(roles, i, v)
    {
        if (!json_is_string(v))
            return VIEW_FAIL;
        joined = *out ? core_view_printf("%s\n%s", *out, json_string_value(v))
                      : keep(strdup(json_string_value(v)));
        if (!joined)
            return VIEW_FAIL;
        free(*out);
        *out = joined;
    }
    return 0;
}

static int user_row(struct core_table *table, json_t *item)
{
    struct core_row *row = plain_row(table, item);

    if (!row)
        return VIEW_FAIL;
    if (core_view_get_str(item, CORE_F_NAME, &row->cells[USR_NAME]) != 0 ||
        core_view_get_str(item, CORE_F_EMAIL, &row->cells[USR_EMAIL]) != 0 ||
        roles_cell(item, &row->cells[USR_ROLES]) != 0 ||
        core_view_get_str(item, CORE_F_STATE, &row->cells[USR_STATE]) != 0 ||
        core_view_get_str(item, CORE_F_LAST_SIGN_IN,
                          &row->cells[USR_LAST_SIGN_IN]) != 0)
        return VIEW_FAIL;
    return 0;
}

static int account_type_cell(json_t *item, char **out)
{
    char *type = NULL;
    const char *word = NULL;

    if (core_view_get_str(item, CORE_F_ACCOUNTABLE_TYPE, &type) != 0)
        return VIEW_FAIL;
    if (type && strcmp(type, CORE_V_ASSET_ACCOUNT) == 0)
        word = "asset";
    else if (type && strcmp(type, CORE_V_EXPENSE_ACCOUNT) == 0)
        word = "expense";
    if (word) {
        free(type);
        type = keep(strdup(word));
        if (!type)
            return VIEW_FAIL;
    }
    *out = type;
    return 0;
}

static int ledger_row(struct core_table *table, json_t *item)
{
    struct core_row *row = plain_row(table, item);
    char **c = row ? row->cells : NULL;

    if (!row)
        return VIEW_FAIL;
    if (core_view_get_number(item, CORE_F_CODE, &c[LDG_CODE]) != 0 ||
        core_view_get_str(item, CORE_F_NAME, &c[LDG_NAME]) != 0 ||
        account_type_cell(item, &c[LDG_TYPE]) != 0 ||
        core_view_get_bool(item, CORE_F_DEACTIVATED, true, &c[LDG_ACTIVE]) !=
            0 ||
        core_view_get_number(item, CORE_F_EXTERNAL_ID, &c[LDG_EXTERNAL_ID]) !=
            0)
        return VIEW_FAIL;
    return 0;
}

static int cost_center_row(struct core_table *table, json_t *item)
{
    struct core_row *row = plain_row(table, item);
    char **c = row ? row->cells : NULL;

    if (!row)
        return VIEW_FAIL;
    if (core_view_get_str(item, CORE_F_DIMENSION_NAME, &c[CC_DIMENSION]) != 0 ||
        core_view_get_str(item, CORE_F_NAME, &c[CC_NAME]) != 0 ||
        core_view_get_number(item, CORE_F_EXTERNAL_ID, &c[CC_EXTERNAL_ID]) !=
            0 ||
        core_view_get_bool(item, CORE_F_DEACTIVATED, true, &c[CC_ACTIVE]) !=
            0 ||
        core_view_get_bool(item, CORE_F_REQUIRED_DIMENSION, false,
                           &c[CC_REQUIRED]) != 0)
        return VIEW_FAIL;
    return 0;
}

static int batch_row(struct core_table *table, json_t *item)
{
    struct core_row *row = plain_row(table, item);
    char **c = row ? row->cells : NULL;
    json_t *count = json_object_get(item, CORE_F_ITEM_COUNT);

    if (!row || (count && !json_is_null(count) && !json_is_integer(count)))
        return VIEW_FAIL;
    if (core_view_get_str(item, CORE_F_CREATED_AT, &c[BAT_DATE]) != 0 ||
        core_view_get_number(item, CORE_F_REFERENCE_NUMBER,
                             &c[BAT_REFERENCE]) != 0 ||
        core_view_get_str(item, CORE_F_DESCRIPTION, &c[BAT_DESCRIPTION]) != 0 ||
        core_view_get_number(item, CORE_F_ITEM_COUNT, &c[BAT_ITEMS]) != 0 ||
        core_view_get_money(item, CORE_F_TOTAL, &c[BAT_TOTAL]) != 0 ||
        get_currency(item, &c[BAT_CURRENCY]) != 0)
        return VIEW_FAIL;
    return 0;
}

static int list_row(struct core_table *table, json_t *item)
{
    static const struct item_context lists[] = {
        {VIEW_ITEM_RECEIPT, receipt_map, false, NULL, NULL},
        {VIEW_ITEM_TRIP, trip_map, false, NULL, NULL},
        {VIEW_ITEM_ALLOWANCE, trip_map, false, NULL, NULL},
        {VIEW_ITEM_REWARD, reward_map, false, NULL, NULL},
    };

    switch (table->view) {
    case CORE_VIEW_RECEIPTS:
    case CORE_VIEW_TRIPS:
    case CORE_VIEW_ALLOWANCES:
    case CORE_VIEW_REWARDS:
        return expense_row(table, item, &lists[table->view]);
    case CORE_VIEW_USERS:
        return user_row(table, item);
    case CORE_VIEW_LEDGER_ACCOUNTS:
        return ledger_row(table, item);
    case CORE_VIEW_COST_CENTERS:
        return cost_center_row(table, item);
    case CORE_VIEW_BATCHES:
        return batch_row(table, item);
    default:
        return VIEW_FAIL;
    }
}

static int decode_list(json_t *root, struct core_table *table)
{
    json_t *item;
    size_t i;

    if (!json_is_array(root))
        return VIEW_FAIL;
    json_array_foreach(root, i, item)
    {
        if (list_row(table, item) != 0)
            return VIEW_FAIL;
    }
    return 0;
}

/* The four arrays of one answer, in the order receipts, trips,
 * allowances, rewards. */
static int decode_kinds(json_t *root, const char *const keys[],
                        struct item_context *ctx, struct core_table *table)
{
    json_t *array;
    json_t *item;
    size_t found = 0;
    size_t k;
    size_t i;

    for (k = 0; k < VIEW_ITEM_COUNT; k++)
        found += json_object_get(root, keys[k]) != NULL;
    /* An answer with none of the arrays is not an empty list. */
    if (found == 0)
        return VIEW_FAIL;
    for (k = 0; k < VIEW_ITEM_COUNT; k++) {
        if (get_array(root, keys[k], &array) != 0)
            return VIEW_FAIL;
        ctx->kind = (enum view_item)k;
        json_array_foreach(array, i, item)
        {
            if (expense_row(table, item, ctx) != 0)
                return VIEW_FAIL;
        }
    }
    return 0;
}

static int decode_approvals(json_t *root, struct core_table *table)
{
    static const char *const keys[VIEW_ITEM_COUNT] = {
        CORE_F_RECEIPTS_ON_REVIEW, CORE_F_TRIPS_ON_REVIEW,
        CORE_F_ALLOWANCES_ON_REVIEW, CORE_F_REWARDS_ON_REVIEW};
    struct item_context ctx = {VIEW_ITEM_RECEIPT, approval_map, true, NULL,
                               NULL};

    if (!json_is_object(root))
        return VIEW_FAIL;
    return decode_kinds(root, keys, &ctx, table);
}

static int decode_archive(json_t *root, struct core_table *table, bool *more)
{
    static const char *const keys[VIEW_ITEM_COUNT] = {
        CORE_F_RECEIPTS_ACCOUNTED, CORE_F_TRIPS_ACCOUNTED,
        CORE_F_ALLOWANCES_ACCOUNTED, CORE_F_REWARDS_ACCOUNTED};
    struct item_context ctx = {VIEW_ITEM_RECEIPT, archive_map, true, NULL,
                               NULL};
    json_t *has_more = json_object_get(root, CORE_F_HAS_MORE);
    json_t *date = json_object_get(root, CORE_F_BATCH_DATE);
    json_t *batch = json_object_get(root, CORE_F_BATCH_REFERENCE);

    if (!json_is_object(root) || !json_is_boolean(has_more))
        return VIEW_FAIL;
    if ((date && !json_is_null(date) && !json_is_string(date)) ||
        (batch && !json_is_null(batch) && !json_is_string(batch)))
        return VIEW_FAIL;
    ctx.batch_date = json_string_value(date);
    ctx.batch = json_string_value(batch);
    *more = json_is_true(has_more);
    return decode_kinds(root, keys, &ctx, table);
}

/* One setting row of the company; takes value (NULL: not set). */
static int add_setting(struct core_table *table, const char *item,
                       const char *key, const char *title, char *value)
{
    struct core_row *row = add_row(table);

    if (!row) {
        free(value);
        return VIEW_FAIL;
    }
    row->cells[CMP_VALUE] = value;
    row->cells[CMP_SETTING] = keep(strdup(key));
    row->cells[CMP_TITLE] = keep(strdup(title));
    row->item = keep(strdup(item));
    return row->cells[CMP_SETTING] && row->cells[CMP_TITLE] && row->item
               ? 0
               : VIEW_FAIL;
}

/* A yes/no setting; missing means no. */
static int flag_setting(struct core_table *table, const char *item,
                        json_t *root, const char *field, const char *key,
                        const char *title)
{
    char *value = NULL;

    if (core_view_get_bool(root, field, false, &value) != 0)
        return VIEW_FAIL;
    if (!value)
        value = keep(strdup("no"));
    return value ? add_setting(table, item, key, title, value) : VIEW_FAIL;
}

/* The forms the company shows, joined by ", "; a form whose switch is
 * missing is shown. */
static int forms_setting(struct core_table *table, const char *item,
                         json_t *root)
{
    static const char *const fields[] = {
        CORE_F_SHOW_TRIPS, CORE_F_SHOW_ALLOWANCES, CORE_F_SHOW_REWARDS};
    static const char *const words[] = {"trips", "daily allowances", "rewards"};
    char text[64] = "receipts";
    char *shown;
    size_t i;

    for (i = 0; i < 3; i++) {
        if (core_view_get_bool(root, fields[i], false, &shown) != 0)
            return VIEW_FAIL;
        if (!shown || strcmp(shown, "yes") == 0)
            strcat(strcat(text, ", "), words[i]);
        free(shown);
    }
    shown = keep(strdup(text));
    return shown ? add_setting(table, item, "forms", "Forms shown", shown)
                 : VIEW_FAIL;
}

static int text_setting(struct core_table *table, const char *item,
                        json_t *root, const char *field, const char *key,
                        const char *title)
{
    char *value = NULL;

    if (core_view_get_number(root, field, &value) != 0)
        return VIEW_FAIL;
    return add_setting(table, item, key, title, value);
}

static int company_settings(json_t *root, const char *item,
                            struct core_table *t)
{
    char *okta = NULL;

    if (text_setting(t, item, root, CORE_F_ID, "id", "Company id") != 0 ||
        text_setting(t, item, root, CORE_F_NAME, "name", "Name") != 0 ||
        text_setting(t, item, root, CORE_F_BUSINESS_ID, "business_id",
                     "Business ID") != 0 ||
        flag_setting(t, item, root, CORE_F_PASSWORD_AUTH_DISABLED,
                     "sso_enforced", "Single sign-on required") != 0 ||
        flag_setting(t, item, root, CORE_F_SEE_ALL_USERS,
                     "employees_see_all_users",
                     "Employees see all users") != 0 ||
        forms_setting(t, item, root) != 0 ||
        flag_setting(t, item, root, CORE_F_SHOW_BUDGETS, "budgets",
                     "Budgets shown") != 0 ||
        text_setting(t, item, root, CORE_F_LOCK_UNTIL, "lock_until",
                     "Locked until") != 0 ||
        text_setting(t, item, root, CORE_F_SCHEDULE, "schedule",
                     "Accounting schedule") != 0 ||
        text_setting(t, item, root, CORE_F_LOCALE, "locale", "Language") ||
        core_view_get_str(root, CORE_F_OKTA_URL, &okta) != 0)
        return VIEW_FAIL;
    if (!okta || !okta[0]) {
        free(okta);
        return 0;
    }
    return add_setting(t, item, "okta_url", "Okta URL", okta);
}

/* The company object as one row per setting; every row keeps the whole
 * object as its item. */
static int decode_company(json_t *root, struct core_table *table)
{
    int64_t id = 0;
    char *item;
    size_t i;
    int rc;

    if (!json_is_object(root) ||
        core_view_get_id(root, CORE_F_ID, true, &id) != 0 || id <= 0)
        return VIEW_FAIL;
    item = keep(json_dumps(root, JSON_COMPACT));
    if (!item)
        return VIEW_FAIL;
    rc = company_settings(root, item, table);
    free(item);
    core_view_table_said(table, id);
    for (i = 0; rc == 0 && i < table->count; i++)
        table->rows[i].id = id;
    return rc;
}

static int decode_root(enum core_view view, json_t *root,
                       struct core_table *table, bool *more)
{
    switch (view) {
    case CORE_VIEW_APPROVALS:
        return decode_approvals(root, table);
    case CORE_VIEW_ARCHIVE:
        return decode_archive(root, table, more);
    case CORE_VIEW_COMPANY:
        return decode_company(root, table);
    default:
        return decode_list(root, table);
    }
}

/* Every row of table in one allocation each, with its folded text; the
 * items go to items (the file of the table they are for) where they can. */
static int pack_rows(const struct core_view_info *info,
                     struct core_table *table, struct core_items *items)
{
    size_t i;

    for (i = 0; i < table->count; i++) {
        if (core_view_row_pack(info, &table->rows[i], true, items) != 0)
            return VIEW_FAIL;
    }
    return 0;
}

enum base_status core_view_decode(enum core_view view, const char *body,
                                  size_t len, size_t per_page,
                                  struct core_table *table, bool *more)
{
    const struct core_view_info *info = core_view_info(view);
    struct core_table fresh = {view, NULL, 0, 0, 0, NULL};
    enum base_status result = BASE_E_DECODE;
    json_error_t error;
    json_t *root = NULL;
    bool next = false;

    if (!info || !table || !more || table->view != view)
        return BASE_E_INVALID;
    out_of_memory = false;
    if (body && len > 0)
        root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &error);
    if (!root)
        goto out;
    if (decode_root(view, root, &fresh, &next) != 0) {
        result = out_of_memory ? BASE_E_NOMEM : BASE_E_DECODE;
        goto out;
    }
    /* A page longer than asked for: a server that ignores paging would
     * otherwise be read without end. */
    if (info->paging == CORE_PAGING_ARRAY && per_page > 0 &&
        fresh.count > per_page)
        goto out;
    if (info->paging == CORE_PAGING_ARRAY)
        next = per_page > 0 && fresh.count >= per_page;
    result = BASE_E_NOMEM;
    if (pack_rows(info, &fresh, table->items) != 0)
        goto out;
    result = core_view_table_move(table, &fresh);
    if (result == BASE_OK)
        *more = next;
    if (result == BASE_OK && !next)
        core_view_table_fit(table);
out:
    json_decref(root);
    core_table_clear(&fresh);
    return result;
}
