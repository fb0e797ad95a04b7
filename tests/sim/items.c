/* The expense item lists of bezala-sim, with role-based visibility; one
 * code path serves every kind. */
#include "tests/sim/items.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/scope.h"

#define ITEMS_PER_PAGE_DEFAULT 10
#define ITEMS_PER_PAGE_MAX 1000

/* Names of the users whose ids the array holds (ints, or digit strings
 * as approved_by_ids has them); unknown ids are left out. */
static json_t *names_of(struct sim_data *data, const json_t *ids)
{
    json_t *names = json_array();
    size_t i;
    const json_t *id;

    json_array_foreach(ids, i, id)
    {
        long long value = json_is_string(id)
                              ? strtoll(json_string_value(id), NULL, 10)
                              : json_integer_value(id);
        const struct sim_user *user = sim_data_user_by_id(data, value);

        if (user != NULL) {
            json_array_append_new(names, json_string(user->name));
        }
    }
    return names;
}

static json_t *cost_centers_of(struct sim_data *data, const json_t *ids)
{
    json_t *list = json_array();
    size_t i;
    const json_t *id;

    json_array_foreach(ids, i, id)
    {
        const json_t *center =
            sim_data_cost_center(data, json_integer_value(id));

        if (center != NULL) {
            json_array_append_new(
                list,
                json_pack("{s:O, s:O, s:O}", "id",
                          json_object_get(center, "id"), "name",
                          json_object_get(center, "name"), "dimension_name",
                          json_object_get(center, "dimension_name")));
        }
    }
    return list;
}

/* Arrays the data set may leave out are answered empty, not missing. */
static void default_array(json_t *obj, const char *key)
{
    if (!json_is_array(json_object_get(obj, key))) {
        json_object_set_new(obj, key, json_array());
    }
}

json_t *sim_items_json(struct sim_data *data, const struct sim_item *item)
{
    static const char *const arrays[] = {
        "cost_center_ids", "current_approvers_ids", "approved_by_ids",
        "comments", "documents"};
    const struct sim_kind_info *info = sim_data_kind(item->kind);
    const struct sim_user *owner = sim_data_user_by_id(data, item->user_id);
    json_t *obj = json_deep_copy(item->obj);
    char tag[64];

    if (obj == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(arrays) / sizeof(*arrays); i++) {
        default_array(obj, arrays[i]);
    }
    snprintf(tag, sizeof(tag), "%s-%lld", info->type, item->id);
    json_object_set_new(obj, "_id", json_string(tag));
    json_object_set_new(obj, "type", json_string(info->type));
    json_object_set_new(obj, "user_name", json_string(owner->name));
    json_object_set_new(
        obj, "approvers",
        names_of(data, json_object_get(obj, "current_approvers_ids")));
    json_object_set_new(
        obj, "cost_centers",
        cost_centers_of(data, json_object_get(obj, "cost_center_ids")));
    if (json_array_size(json_object_get(obj, "approved_by_ids")) == 0) {
        json_object_set_new(obj, "approved_by", json_null());
    } else {
        json_object_set_new(
            obj, "approved_by",
            names_of(data, json_object_get(obj, "approved_by_ids")));
    }
    if (json_object_get(obj, "paid_at") == NULL) {
        json_object_set_new(obj, "paid_at", json_null());
    }
    return obj;
}

const char *sim_items_state(const char *value)
{
    static const char *const states[] = {"draft", "reviewing", "unapproved",
                                         "queue", "accounted"};

    if (strcmp(value, "accounting") == 0) {
        return "accounted";
    }
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        if (strcmp(value, states[i]) == 0) {
            return states[i];
        }
    }
    return NULL;
}

static enum sim_kind kind_of(const struct sim_call *call)
{
    return (enum sim_kind)call->variant;
}

static json_t *items_page(struct sim_call *call, const struct sim_scope *scope,
                          const char *state, struct sim_call_page *page)
{
    enum sim_kind kind = kind_of(call);
    json_t *list = json_array();

    for (size_t i = 0; list != NULL && i < call->data->n_items[kind]; i++) {
        const struct sim_item *item = &call->data->items[kind][i];
        int take;

        if (!sim_scope_sees(scope, item) ||
            (state && strcmp(item->state, state) != 0)) {
            continue;
        }
        take = sim_call_page_take(page, list);
        if (take < 0) {
            break;
        }
        if (take > 0) {
            json_array_append_new(list, sim_items_json(call->data, item));
        }
    }
    return list;
}

void sim_items_list(struct sim_call *call)
{
    const char *state_arg = sim_call_arg(call, "state");
    const char *state = NULL;
    struct sim_call_page page;
    struct sim_scope scope;

    if (state_arg != NULL && state_arg[0] != '\0') {
        state = sim_items_state(state_arg);
        if (state == NULL) {
            sim_call_error(call, 400, "Unknown state filter value.");
            return;
        }
    }
    if (sim_call_page(call, ITEMS_PER_PAGE_DEFAULT, ITEMS_PER_PAGE_MAX, false,
                      &page) != 0 ||
        sim_scope_of(call, &scope) != 0) {
        return;
    }
    sim_call_reply(call, 200, items_page(call, &scope, state, &page));
}

void sim_items_show(struct sim_call *call)
{
    enum sim_kind kind = kind_of(call);
    struct sim_scope scope;

    if (sim_scope_of(call, &scope) != 0) {
        return;
    }
    for (size_t i = 0; i < call->data->n_items[kind]; i++) {
        const struct sim_item *item = &call->data->items[kind][i];

        if (item->id == call->id && sim_scope_sees(&scope, item)) {
            sim_call_reply(call, 200, sim_items_json(call->data, item));
            return;
        }
    }
    sim_call_error(call, 404, "Not found.");
}
