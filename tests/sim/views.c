/* The grouped expense views of bezala-sim: what waits for the caller,
 * items by state, and the archive of sent batches. */
#include "tests/sim/views.h"

#include <stdio.h>
#include <string.h>

#include "tests/sim/items.h"
#include "tests/sim/scope.h"

static const char *const open_states[] = {"draft", "reviewing", "unapproved",
                                          "queue"};

#define N_OPEN_STATES (sizeof(open_states) / sizeof(open_states[0]))

static json_t *array_at(json_t *obj, const char *prefix, const char *suffix)
{
    char key[64];
    json_t *array;

    snprintf(key, sizeof(key), "%s_%s", prefix, suffix);
    array = json_object_get(obj, key);
    if (array == NULL) {
        array = json_array();
        json_object_set_new(obj, key, array);
    }
    return array;
}

/* Adds the kind's P_on_review and P_in_<state> arrays to answer. */
static void expenses_of_kind(struct sim_data *data,
                             const struct sim_scope *scope, enum sim_kind kind,
                             json_t *answer)
{
    const char *prefix = sim_data_kind(kind)->prefix;
    char suffix[32];

    array_at(answer, prefix, "on_review");
    for (size_t s = 0; s < N_OPEN_STATES; s++) {
        snprintf(suffix, sizeof(suffix), "in_%s", open_states[s]);
        array_at(answer, prefix, suffix);
    }
    for (size_t i = 0; i < data->n_items[kind]; i++) {
        const struct sim_item *item = &data->items[kind][i];

        if (sim_scope_waits(scope, item)) {
            json_array_append_new(array_at(answer, prefix, "on_review"),
                                  sim_items_json(data, item));
        }
        if (!sim_scope_sees(scope, item) ||
            strcmp(item->state, "accounted") == 0) {
            continue;
        }
        snprintf(suffix, sizeof(suffix), "in_%s", item->state);
        json_array_append_new(array_at(answer, prefix, suffix),
                              sim_items_json(data, item));
    }
}

static json_t *batch_dates(struct sim_data *data, const struct sim_scope *scope)
{
    json_t *dates = json_array();
    char text[40];

    for (size_t i = 0; i < data->n_batches; i++) {
        const struct sim_batch *batch = &data->batches[i];

        if (sim_scope_sees_batch(data, scope, batch, false)) {
            snprintf(text, sizeof(text), "%sT00:00:00.000Z", batch->date);
            json_array_append_new(dates, json_string(text));
        }
    }
    return dates;
}

void sim_views_expenses(struct sim_call *call)
{
    struct sim_scope scope;
    json_t *answer;

    if (sim_scope_of(call, &scope) != 0) {
        return;
    }
    answer = json_object();
    for (int kind = 0; answer != NULL && kind < SIM_KIND_COUNT; kind++) {
        expenses_of_kind(call->data, &scope, (enum sim_kind)kind, answer);
    }
    if (answer != NULL) {
        json_object_set_new(answer, "batch_dates",
                            batch_dates(call->data, &scope));
    }
    sim_call_reply(call, 200, answer);
}

/* The archive answer for batch (NULL: past the end). */
static json_t *archive_json(struct sim_data *data,
                            const struct sim_scope *scope,
                            const struct sim_batch *batch, bool more)
{
    json_t *answer =
        json_pack("{s:b, s:s?, s:s?}", "has_more_items", more, "batch_date",
                  batch ? batch->date : NULL, "batch_reference_number",
                  batch ? batch->reference : NULL);

    for (int kind = 0; answer != NULL && kind < SIM_KIND_COUNT; kind++) {
        json_t *list =
            array_at(answer, sim_data_kind(kind)->prefix, "in_accounted");

        for (size_t i = 0; batch != NULL && i < data->n_items[kind]; i++) {
            const struct sim_item *item = &data->items[kind][i];

            if (item->batch != NULL && item->company_id == batch->company_id &&
                strcmp(item->batch, batch->reference) == 0 &&
                sim_scope_sees(scope, item)) {
                json_array_append_new(list, sim_items_json(data, item));
            }
        }
    }
    return answer;
}

/* The index of the next visible batch from start on, or n_batches. */
static size_t next_visible(struct sim_data *data, const struct sim_scope *scope,
                           size_t start)
{
    size_t i = start;

    while (i < data->n_batches &&
           !sim_scope_sees_batch(data, scope, &data->batches[i], false)) {
        i++;
    }
    return i;
}

/* The index of the visible batch with reference, or n_batches. */
static size_t find_visible(struct sim_data *data, const struct sim_scope *scope,
                           const char *ref)
{
    const struct sim_batch *batch =
        sim_data_batch(data, scope->company_id, ref);

    if (batch == NULL || !sim_scope_sees_batch(data, scope, batch, false)) {
        return data->n_batches;
    }
    return (size_t)(batch - data->batches);
}

void sim_views_archive(struct sim_call *call)
{
    struct sim_data *data = call->data;
    const char *ref = sim_call_arg(call, "batch_reference_number");
    struct sim_scope scope;
    size_t at;
    long page;

    if (sim_call_arg_count(call, "page", 1, &page) != 0 ||
        sim_scope_of(call, &scope) != 0) {
        return;
    }
    if (ref != NULL) {
        at = find_visible(data, &scope, ref);
        if (at == data->n_batches) {
            sim_call_error(call, 404, "Not found.");
            return;
        }
    } else {
        at = next_visible(data, &scope, 0);
        for (long n = 1; n < page && at < data->n_batches; n++) {
            at = next_visible(data, &scope, at + 1);
        }
    }
    sim_call_reply(
        call, 200,
        archive_json(data, &scope,
                     at < data->n_batches ? &data->batches[at] : NULL,
                     at < data->n_batches &&
                         next_visible(data, &scope, at + 1) < data->n_batches));
}
