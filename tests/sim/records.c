/* Loads and checks the bezala-sim expense items, batches and reference
 * data, which the list, archive and reference handlers serve. */
#include "tests/sim/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *get_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* Newest date first, then the highest id; both arrays are kept so. */
static int newest_first(const char *date_a, long long id_a, const char *date_b,
                        long long id_b)
{
    int by_date = strcmp(date_b, date_a);

    if (by_date != 0) {
        return by_date;
    }
    return (id_b > id_a) - (id_b < id_a);
}

static int item_order(const void *a, const void *b)
{
    const struct sim_item *ia = a;
    const struct sim_item *ib = b;

    return newest_first(ia->date, ia->id, ib->date, ib->id);
}

static int batch_order(const void *a, const void *b)
{
    const struct sim_batch *ba = a;
    const struct sim_batch *bb = b;

    return newest_first(ba->date, ba->id, bb->date, bb->id);
}

static bool known_state(const char *state)
{
    static const char *const states[] = {"draft", "reviewing", "unapproved",
                                         "queue", "accounted"};

    for (size_t i = 0; state != NULL && i < sizeof(states) / sizeof(*states);
         i++) {
        if (strcmp(state, states[i]) == 0) {
            return true;
        }
    }
    return false;
}

static int load_batches(struct sim_data *data, char *err, size_t err_len)
{
    json_t *array = json_object_get(data->root, "batch_documents");

    data->n_batches = json_array_size(array);
    data->batches = calloc(data->n_batches + 1, sizeof(*data->batches));
    if (!json_is_array(array) || data->batches == NULL) {
        SIM_DATA_LOAD_FAIL("data.json: no \"batch_documents\" array");
    }
    for (size_t i = 0; i < data->n_batches; i++) {
        struct sim_batch *batch = &data->batches[i];

        batch->obj = json_array_get(array, i);
        batch->id = sim_data_id(batch->obj, "id");
        batch->company_id = sim_data_id(batch->obj, "company_id");
        batch->reference = get_str(batch->obj, "reference_number");
        batch->date = get_str(batch->obj, "created_at");
        if (batch->id == 0 || batch->reference == NULL || batch->date == NULL ||
            sim_data_company(data, batch->company_id) == NULL) {
            SIM_DATA_LOAD_FAIL("data.json: batch document %zu is incomplete",
                               i);
        }
    }
    qsort(data->batches, data->n_batches, sizeof(*data->batches), batch_order);
    return 0;
}

/* Every kind needs these; an accounted item must name a batch of its
 * company, and only an accounted one may name a batch. */
static bool item_complete(struct sim_data *data, const struct sim_item *item)
{
    static const char *const strings[] = {"description", "created_at",
                                          "updated_at"};
    bool accounted;

    for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++) {
        if (get_str(item->obj, strings[i]) == NULL) {
            return false;
        }
    }
    if (item->id == 0 || item->date == NULL || !known_state(item->state) ||
        (item->waiting != NULL && !json_is_array(item->waiting)) ||
        sim_data_user_by_id(data, item->user_id) == NULL ||
        sim_data_company(data, item->company_id) == NULL) {
        return false;
    }
    accounted = strcmp(item->state, "accounted") == 0;
    if (accounted != (item->batch != NULL)) {
        return false;
    }
    return !accounted ||
           sim_data_batch(data, item->company_id, item->batch) != NULL;
}

static int load_item(struct sim_data *data, struct sim_item *item, json_t *obj)
{
    item->id = sim_data_id(obj, "id");
    item->user_id = sim_data_id(obj, "user_id");
    item->company_id = sim_data_id(obj, "company_id");
    item->state = get_str(obj, "state");
    item->date = get_str(obj, "date");
    item->batch = get_str(obj, "batch_reference_number");
    item->waiting = json_object_get(obj, "current_approvers_ids");
    item->obj = obj;
    return item_complete(data, item) ? 0 : -1;
}

int sim_records_load_kind(struct sim_data *data, enum sim_kind kind, char *err,
                          size_t err_len)
{
    const char *key = sim_data_kind(kind)->key;
    json_t *array = json_object_get(data->root, key);
    size_t n = json_array_size(array);

    data->items[kind] = calloc(n + 1, sizeof(*data->items[kind]));
    if (!json_is_array(array) || data->items[kind] == NULL) {
        SIM_DATA_LOAD_FAIL("data.json: no \"%s\" array", key);
    }
    data->n_items[kind] = n;
    for (size_t i = 0; i < n; i++) {
        struct sim_item *item = &data->items[kind][i];

        item->kind = kind;
        if (load_item(data, item, json_array_get(array, i)) != 0) {
            SIM_DATA_LOAD_FAIL("data.json: %s %zu is incomplete", key, i);
        }
    }
    qsort(data->items[kind], n, sizeof(*data->items[kind]), item_order);
    return 0;
}

/* Reference rows need an id, a name and a company the data set knows. */
static int load_reference(struct sim_data *data, const char *key, json_t **out,
                          char *err, size_t err_len)
{
    json_t *array = json_object_get(data->root, key);
    size_t i;
    json_t *row;

    if (!json_is_array(array)) {
        SIM_DATA_LOAD_FAIL("data.json: no \"%s\" array", key);
    }
    json_array_foreach(array, i, row)
    {
        if (sim_data_id(row, "id") == 0 || get_str(row, "name") == NULL ||
            sim_data_company(data, sim_data_id(row, "company_id")) == NULL) {
            SIM_DATA_LOAD_FAIL("data.json: %s %zu is incomplete", key, i);
        }
    }
    *out = array;
    return 0;
}

int sim_records_load(struct sim_data *data, char *err, size_t err_len)
{
    if (load_batches(data, err, err_len) != 0) {
        return -1;
    }
    for (int kind = 0; kind < SIM_KIND_COUNT; kind++) {
        if (sim_records_load_kind(data, (enum sim_kind)kind, err, err_len) !=
            0) {
            return -1;
        }
    }
    if (load_reference(data, "accounts", &data->accounts, err, err_len) != 0 ||
        load_reference(data, "cost_centers", &data->cost_centers, err,
                       err_len) != 0) {
        return -1;
    }
    return 0;
}
