/* Makes the many receipts of `bezala-sim --receipts N` out of the demo
 * ones, by a fixed rule, for the benchmarks in bench/. */
#include "tests/sim/bulk.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/records.h"

/* Copies get ids and document ids from here on, far above the demo's. */
#define BULK_ID_BASE 10000000LL
#define BULK_DOC_ID_BASE 20000000LL
#define BULK_DOCS_PER_ITEM 8
#define BULK_MAX_DAYS_BACK 730

/* The fields of a receipt that hold a date (YYYY-MM-DD, maybe followed by
 * a time); a copy moves them all back by the same number of days. */
static const char *const date_keys[] = {"date", "created_at", "updated_at",
                                        "paid_at", "batch_date"};

/* A fixed scramble of the copy's index: the same index, the same copy. */
static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long days_of(long y, long m, long d)
{
    long era;
    long yoe;
    long doy;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* The date of a day count from days_of, as YYYY-MM-DD in out[11]. */
static void date_of(long z, char *out, size_t size)
{
    long era;
    long doe;
    long yoe;
    long doy;
    long mp;
    long d;
    long m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp + (mp < 10 ? 3 : -9);
    snprintf(out, size, "%04ld-%02ld-%02ld", yoe + era * 400 + (m <= 2), m, d);
}

/* Moves the date at the start of obj[key] back by days; a missing or
 * null field, or one that is not a date, stays as it is. */
static void move_date(json_t *obj, const char *key, long days)
{
    const char *text = json_string_value(json_object_get(obj, key));
    char moved[96];
    long y;
    long m;
    long d;
    int used = 0;

    if (text == NULL || strlen(text) >= sizeof(moved) - 16 ||
        sscanf(text, "%4ld-%2ld-%2ld%n", &y, &m, &d, &used) != 3 ||
        used != 10) {
        return;
    }
    date_of(days_of(y, m, d) - days, moved, sizeof(moved));
    strcat(moved, text + 10);
    json_object_set_new(obj, key, json_string(moved));
}

/* "12.34" in cents; 0 for anything else. */
static long long cents_of(const json_t *value)
{
    const char *text = json_string_value(value);
    long long whole = 0;
    unsigned frac = 0;

    if (text == NULL || sscanf(text, "%lld.%2u", &whole, &frac) < 1) {
        return 0;
    }
    return whole * 100 + (whole < 0 ? -(long long)frac : (long long)frac);
}

static json_t *money(long long cents)
{
    char text[32];

    snprintf(text, sizeof(text), "%s%lld.%02lld", cents < 0 ? "-" : "",
             llabs(cents) / 100, llabs(cents) % 100);
    return json_string(text);
}

static long long scaled(long long cents, long percent)
{
    return (cents * percent + (cents >= 0 ? 50 : -50)) / 100;
}

/* Scales every VAT line by percent; the total is their new sum, so a
 * copy adds up as the demo receipts do. */
static void scale_amounts(json_t *obj, long percent)
{
    json_t *lines = json_object_get(obj, "vat_lines");
    long long total = 0;
    size_t i;
    json_t *line;

    json_array_foreach(lines, i, line)
    {
        long long amount =
            scaled(cents_of(json_object_get(line, "amount")), percent);
        long long vat =
            scaled(cents_of(json_object_get(line, "vat_amount")), percent);

        json_object_set_new(line, "amount", money(amount));
        json_object_set_new(line, "vat_amount", money(vat));
        total += amount;
    }
    if (json_array_size(lines) == 0) {
        total = scaled(cents_of(json_object_get(obj, "total_cost")), percent);
    }
    json_object_set_new(obj, "total_cost", money(total));
}

/* New ids for the copy's documents, and file names that follow its id. */
static void renumber_documents(json_t *obj, long long id, size_t index)
{
    json_t *docs = json_object_get(obj, "documents");
    size_t i;
    json_t *doc;

    json_array_foreach(docs, i, doc)
    {
        char name[64];
        long long doc_id =
            BULK_DOC_ID_BASE + (long long)(index * BULK_DOCS_PER_ITEM + i);

        snprintf(name, sizeof(name), "kuitti-%lld.pdf", id);
        json_object_set_new(doc, "id", json_integer(doc_id));
        json_object_set_new(doc, "file_name", json_string(name));
    }
}

/* Copy number index of template: itself while index is below the number
 * of templates, else a changed copy. A new reference, or NULL. */
static json_t *make_copy(json_t *template, size_t index, size_t templates)
{
    json_t *obj = json_deep_copy(template);
    uint64_t seed = mix(index);
    long long id = BULK_ID_BASE + (long long)index;
    long days = 1 + (long)(seed % BULK_MAX_DAYS_BACK);
    long percent = 50 + (long)((seed >> 32) % 101);

    if (obj == NULL || index < templates) {
        return obj;
    }
    json_object_set_new(obj, "id", json_integer(id));
    for (size_t i = 0; i < sizeof(date_keys) / sizeof(*date_keys); i++) {
        move_date(obj, date_keys[i], days);
    }
    scale_amounts(obj, percent);
    renumber_documents(obj, id, index);
    return obj;
}

long long sim_bulk_biggest(const struct sim_data *data)
{
    const struct sim_item *items;
    long long best = 0;
    size_t best_count = 0;

    if (data == NULL) {
        return 0;
    }
    items = data->items[SIM_KIND_RECEIPT];
    for (size_t i = 0; i < data->n_companies; i++) {
        long long id = data->companies[i].id;
        size_t count = 0;

        for (size_t j = 0; j < data->n_items[SIM_KIND_RECEIPT]; j++) {
            count += items[j].company_id == id;
        }
        if (count > best_count ||
            (count == best_count && count > 0 && id < best)) {
            best = id;
            best_count = count;
        }
    }
    return best;
}

/* Splits the loaded receipts: those of company_id go to templates (in
 * the file's order), the others to kept. */
static int split(json_t *receipts, long long company_id, json_t *kept,
                 json_t *templates)
{
    size_t i;
    json_t *obj;

    json_array_foreach(receipts, i, obj)
    {
        json_t *to =
            sim_data_id(obj, "company_id") == company_id ? templates : kept;

        if (json_array_append(to, obj) != 0) {
            return -1;
        }
    }
    return 0;
}

static int fill(json_t *kept, json_t *templates, size_t n)
{
    size_t m = json_array_size(templates);

    for (size_t i = 0; i < n; i++) {
        json_t *copy = make_copy(json_array_get(templates, i % m), i, m);

        if (json_array_append_new(kept, copy) != 0) {
            return -1;
        }
    }
    return 0;
}

int sim_bulk_receipts(struct sim_data *data, long long company_id, size_t n,
                      char *err, size_t err_len)
{
    json_t *kept = json_array();
    json_t *templates = json_array();
    int result = -1;

    if (data == NULL || data->root == NULL || n > SIM_BULK_RECEIPTS_MAX) {
        snprintf(err, err_len, "--receipts: no data, or more than %d",
                 SIM_BULK_RECEIPTS_MAX);
        goto out;
    }
    if (kept == NULL || templates == NULL ||
        split(json_object_get(data->root, "receipts"), company_id, kept,
              templates) != 0) {
        snprintf(err, err_len, "out of memory");
        goto out;
    }
    if (json_array_size(templates) == 0 && n > 0) {
        snprintf(err, err_len, "--receipts: company %lld has no receipts",
                 company_id);
        goto out;
    }
    if (fill(kept, templates, n) != 0 ||
        json_object_set(data->root, "receipts", kept) != 0) {
        snprintf(err, err_len, "out of memory");
        goto out;
    }
    free(data->items[SIM_KIND_RECEIPT]);
    data->items[SIM_KIND_RECEIPT] = NULL;
    data->n_items[SIM_KIND_RECEIPT] = 0;
    result = sim_records_load_kind(data, SIM_KIND_RECEIPT, err, err_len);
out:
    json_decref(kept);
    json_decref(templates);
    return result;
}
