/* Reference data of bezala-sim: accounts, cost centers and batch
 * documents, each scoped to the caller's active company. */
#include "tests/sim/reference.h"

#include <stdio.h>
#include <string.h>

#include "tests/sim/data.h"
#include "tests/sim/scope.h"

#define PER_PAGE_MAX 1000

/* The published row: the stored one without the company it belongs to,
 * which the answer's scope already says. */
static json_t *row_json(const json_t *row)
{
    json_t *copy = json_deep_copy(row);

    json_object_del(copy, "company_id");
    return copy;
}

/* Answers the page of rows (of every company) in the caller's company. */
static void company_rows(struct sim_call *call, const json_t *rows, long def,
                         bool allow_all)
{
    struct sim_call_page page;
    struct sim_scope scope;
    json_t *list;
    size_t i;
    const json_t *row;

    if (sim_call_page(call, def, PER_PAGE_MAX, allow_all, &page) != 0 ||
        sim_scope_of(call, &scope) != 0) {
        return;
    }
    list = json_array();
    json_array_foreach(rows, i, row)
    {
        int take;

        if (json_integer_value(json_object_get(row, "company_id")) !=
            scope.company_id) {
            continue;
        }
        take = sim_call_page_take(&page, list);
        if (take < 0) {
            break;
        }
        if (take > 0) {
            json_array_append_new(list, row_json(row));
        }
    }
    sim_call_reply(call, 200, list);
}

void sim_reference_accounts(struct sim_call *call)
{
    company_rows(call, call->data->accounts, 50, false);
}

void sim_reference_cost_centers(struct sim_call *call)
{
    company_rows(call, call->data->cost_centers, 500, true);
}

/* The stored "pdf_path" becomes a URL under the sim's own origin. */
static json_t *batch_json(struct sim_data *data, const struct sim_batch *batch)
{
    json_t *obj = row_json(batch->obj);
    const char *path = json_string_value(json_object_get(obj, "pdf_path"));
    char url[256];

    if (obj == NULL) {
        return NULL;
    }
    if (path != NULL && data->origin[0] != '\0') {
        snprintf(url, sizeof(url), "%s%s", data->origin, path);
        json_object_set_new(obj, "pdf_file_url", json_string(url));
    } else {
        json_object_set_new(obj, "pdf_file_url", json_null());
    }
    json_object_del(obj, "pdf_path");
    return obj;
}

void sim_reference_batches(struct sim_call *call)
{
    struct sim_data *data = call->data;
    struct sim_call_page page;
    struct sim_scope scope;
    json_t *list;

    if (sim_call_page(call, 50, PER_PAGE_MAX, true, &page) != 0 ||
        sim_scope_of(call, &scope) != 0) {
        return;
    }
    list = json_array();
    for (size_t i = 0; i < data->n_batches; i++) {
        const struct sim_batch *batch = &data->batches[i];
        int take;

        if (batch->company_id != scope.company_id ||
            (!scope.sees_all &&
             !sim_scope_sees_batch(data, &scope, batch, true))) {
            continue;
        }
        take = sim_call_page_take(&page, list);
        if (take < 0) {
            break;
        }
        if (take > 0) {
            json_array_append_new(list, batch_json(data, batch));
        }
    }
    sim_call_reply(call, 200, list);
}
