/* Loads and checks the bezala-sim data set and answers lookups on it; the
 * expense items and batches are loaded by records.c. */
#include "tests/sim/data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tests/sim/records.h"

long long sim_data_id(const json_t *obj, const char *key)
{
    const json_t *value = json_object_get(obj, key);

    if (!json_is_integer(value) || json_integer_value(value) <= 0) {
        return 0;
    }
    return json_integer_value(value);
}

static const json_t *get_array(const json_t *root, const char *key,
                               size_t *count)
{
    const json_t *array = json_object_get(root, key);

    *count = json_array_size(array);
    return json_is_array(array) ? array : NULL;
}

static int load_companies(struct sim_data *data, char *err, size_t err_len)
{
    const json_t *array =
        get_array(data->root, "companies", &data->n_companies);

    if (array == NULL || data->n_companies == 0) {
        SIM_DATA_LOAD_FAIL("data.json: no \"companies\" array");
    }
    data->companies = calloc(data->n_companies, sizeof(*data->companies));
    if (data->companies == NULL) {
        SIM_DATA_LOAD_FAIL("out of memory");
    }
    for (size_t i = 0; i < data->n_companies; i++) {
        json_t *obj = json_array_get(array, i);
        struct sim_company *company = &data->companies[i];

        company->id = sim_data_id(obj, "id");
        company->name = json_string_value(json_object_get(obj, "name"));
        company->see_all_users =
            json_is_true(json_object_get(obj, "employees_see_all_users"));
        company->password_auth_disabled =
            json_is_true(json_object_get(obj, "password_auth_disabled"));
        company->sso_domain =
            json_string_value(json_object_get(obj, "sso_domain"));
        company->okta_url = json_string_value(json_object_get(obj, "okta_url"));
        company->obj = obj;
        if (company->id == 0 || company->name == NULL) {
            SIM_DATA_LOAD_FAIL("data.json: company %zu lacks id or name", i);
        }
        if (company->password_auth_disabled && company->sso_domain == NULL) {
            SIM_DATA_LOAD_FAIL("data.json: company %zu enforces SSO without an "
                               "\"sso_domain\"",
                               i);
        }
    }
    return 0;
}

/* A user's "password" is a string, or null for an SSO-only user; "sso",
 * when present, is an object of provider token strings. */
static int load_user(struct sim_user *user, json_t *obj)
{
    json_t *password = json_object_get(obj, "password");
    json_t *sso = json_object_get(obj, "sso");
    const char *provider;
    json_t *token;

    user->id = sim_data_id(obj, "id");
    user->name = json_string_value(json_object_get(obj, "name"));
    user->email = json_string_value(json_object_get(obj, "email"));
    user->company_id = sim_data_id(obj, "company_id");
    user->sso_exempt = json_is_true(json_object_get(obj, "sso_exempt"));
    user->sso = sso;
    user->obj = obj;
    if (user->id == 0 || user->name == NULL || user->email == NULL ||
        !(json_is_string(password) || json_is_null(password)) ||
        user->company_id == 0 || (sso != NULL && !json_is_object(sso))) {
        return -1;
    }
    json_object_foreach(sso, provider, token)
    {
        if (!json_is_string(token) || json_string_length(token) == 0) {
            return -1;
        }
    }
    if (json_is_null(password)) {
        return 0;
    }
    user->password = strdup(json_string_value(password));
    return user->password != NULL ? 0 : -1;
}

static int load_users(struct sim_data *data, char *err, size_t err_len)
{
    const json_t *array = get_array(data->root, "users", &data->n_users);

    if (array == NULL || data->n_users == 0) {
        SIM_DATA_LOAD_FAIL("data.json: no \"users\" array");
    }
    data->users = calloc(data->n_users, sizeof(*data->users));
    if (data->users == NULL) {
        SIM_DATA_LOAD_FAIL("out of memory");
    }
    for (size_t i = 0; i < data->n_users; i++) {
        if (load_user(&data->users[i], json_array_get(array, i)) != 0) {
            SIM_DATA_LOAD_FAIL("data.json: user %zu lacks a field", i);
        }
    }
    return 0;
}

static int load_memberships(struct sim_data *data, char *err, size_t err_len)
{
    const json_t *array =
        get_array(data->root, "memberships", &data->n_memberships);

    if (array == NULL) {
        SIM_DATA_LOAD_FAIL("data.json: no \"memberships\" array");
    }
    data->memberships =
        calloc(data->n_memberships + 1, sizeof(*data->memberships));
    if (data->memberships == NULL) {
        SIM_DATA_LOAD_FAIL("out of memory");
    }
    for (size_t i = 0; i < data->n_memberships; i++) {
        json_t *obj = json_array_get(array, i);
        struct sim_membership *m = &data->memberships[i];

        m->id = sim_data_id(obj, "id");
        m->user_id = sim_data_id(obj, "user_id");
        m->company_id = sim_data_id(obj, "company_id");
        m->state = json_string_value(json_object_get(obj, "state"));
        m->hide_company_name =
            json_is_true(json_object_get(obj, "hide_company_name"));
        m->roles = json_object_get(obj, "roles");
        if (m->id == 0 || m->state == NULL || !json_is_array(m->roles) ||
            sim_data_user_by_id(data, m->user_id) == NULL ||
            sim_data_company(data, m->company_id) == NULL) {
            SIM_DATA_LOAD_FAIL("data.json: membership %zu is incomplete", i);
        }
    }
    return 0;
}

/* Every user's active company must be one they may work in. */
static int check_active(struct sim_data *data, char *err, size_t err_len)
{
    for (size_t i = 0; i < data->n_users; i++) {
        const struct sim_user *user = &data->users[i];

        if (!sim_data_is_member(data, user->id, user->company_id)) {
            SIM_DATA_LOAD_FAIL("data.json: user %lld is not a member of their "
                               "active company",
                               user->id);
        }
    }
    return 0;
}

static int load_all(struct sim_data *data, char *err, size_t err_len)
{
    if (load_companies(data, err, err_len) != 0 ||
        load_users(data, err, err_len) != 0 ||
        load_memberships(data, err, err_len) != 0 ||
        sim_records_load(data, err, err_len) != 0 ||
        check_active(data, err, err_len) != 0) {
        return -1;
    }
    if (sim_tokens_new(&data->tokens) != 0) {
        SIM_DATA_LOAD_FAIL("out of memory");
    }
    return 0;
}

int sim_data_load(const char *dir, struct sim_data **out, char *err,
                  size_t err_len)
{
    struct sim_data *data = NULL;
    json_error_t error;
    char path[4096];
    int result = -1;

    if (snprintf(path, sizeof(path), "%s/data.json", dir) >=
        (int)sizeof(path)) {
        snprintf(err, err_len, "data directory path too long");
        goto out;
    }
    data = calloc(1, sizeof(*data));
    if (data == NULL) {
        snprintf(err, err_len, "out of memory");
        goto out;
    }
    data->root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    if (data->root == NULL) {
        snprintf(err, err_len, "%s:%d: %s", path, error.line, error.text);
        goto out;
    }
    if (load_all(data, err, err_len) != 0) {
        goto out;
    }
    *out = data;
    data = NULL;
    result = 0;
out:
    sim_data_free(&data);
    return result;
}

void sim_data_free(struct sim_data **data)
{
    if (data == NULL || *data == NULL) {
        return;
    }
    for (size_t i = 0; (*data)->users != NULL && i < (*data)->n_users; i++) {
        char *password = (*data)->users[i].password;

        if (password != NULL) {
            explicit_bzero(password, strlen(password));
            free(password);
        }
    }
    sim_tokens_free(&(*data)->tokens);
    json_decref((*data)->fault.json);
    free((*data)->companies);
    free((*data)->users);
    free((*data)->memberships);
    for (int k = 0; k < SIM_KIND_COUNT; k++) {
        free((*data)->items[k]);
    }
    free((*data)->batches);
    json_decref((*data)->root);
    free(*data);
    *data = NULL;
}

const struct sim_kind_info *sim_data_kind(enum sim_kind kind)
{
    static const struct sim_kind_info kinds[SIM_KIND_COUNT] = {
        [SIM_KIND_RECEIPT] = {"receipts", "receipt", "transactions"},
        [SIM_KIND_TRIP] = {"trips", "trip", "trips"},
        [SIM_KIND_ALLOWANCE] = {"daily_allowances", "daily_allowance",
                                "daily_allowances"},
        [SIM_KIND_REWARD] = {"rewards", "reward", "rewards"},
    };

    if ((int)kind < 0 || kind >= SIM_KIND_COUNT) {
        return NULL;
    }
    return &kinds[kind];
}

struct sim_batch *sim_data_batch(struct sim_data *data, long long company_id,
                                 const char *reference)
{
    for (size_t i = 0; reference != NULL && i < data->n_batches; i++) {
        struct sim_batch *batch = &data->batches[i];

        if (batch->company_id == company_id &&
            strcmp(batch->reference, reference) == 0) {
            return batch;
        }
    }
    return NULL;
}

json_t *sim_data_cost_center(struct sim_data *data, long long id)
{
    size_t i;
    json_t *center;

    json_array_foreach(data->cost_centers, i, center)
    {
        if (json_integer_value(json_object_get(center, "id")) == id) {
            return center;
        }
    }
    return NULL;
}

struct sim_user *sim_data_user_by_email(struct sim_data *data,
                                        const char *email)
{
    for (size_t i = 0; email != NULL && i < data->n_users; i++) {
        if (strcasecmp(data->users[i].email, email) == 0) {
            return &data->users[i];
        }
    }
    return NULL;
}

struct sim_user *sim_data_user_by_id(struct sim_data *data, long long id)
{
    for (size_t i = 0; i < data->n_users; i++) {
        if (data->users[i].id == id) {
            return &data->users[i];
        }
    }
    return NULL;
}

struct sim_company *sim_data_company(struct sim_data *data, long long id)
{
    for (size_t i = 0; i < data->n_companies; i++) {
        if (data->companies[i].id == id) {
            return &data->companies[i];
        }
    }
    return NULL;
}

struct sim_membership *sim_data_membership(struct sim_data *data,
                                           long long user_id,
                                           long long company_id)
{
    for (size_t i = 0; i < data->n_memberships; i++) {
        struct sim_membership *m = &data->memberships[i];

        if (m->user_id == user_id && m->company_id == company_id) {
            return m;
        }
    }
    return NULL;
}

int sim_data_remove_membership(struct sim_data *data, struct sim_user *user,
                               long long company_id)
{
    struct sim_membership *m = sim_data_membership(data, user->id, company_id);
    size_t index;

    if (m == NULL) {
        return -1;
    }
    index = (size_t)(m - data->memberships);
    memmove(m, m + 1, (data->n_memberships - index - 1) * sizeof(*m));
    data->n_memberships--;
    sim_tokens_revoke_user(data->tokens, user->id);
    if (user->company_id != company_id) {
        return 0;
    }
    user->company_id = 0;
    for (size_t i = 0; i < data->n_memberships; i++) {
        m = &data->memberships[i];
        if (m->user_id == user->id && strcmp(m->state, "accepted") == 0) {
            user->company_id = m->company_id;
            break;
        }
    }
    return 0;
}

bool sim_data_has_role(const struct sim_membership *membership,
                       const char *role)
{
    size_t i;
    json_t *value;

    if (membership == NULL) {
        return false;
    }
    json_array_foreach(membership->roles, i, value)
    {
        if (json_is_string(value) &&
            strcmp(json_string_value(value), role) == 0) {
            return true;
        }
    }
    return false;
}

bool sim_data_is_member(struct sim_data *data, long long user_id,
                        long long company_id)
{
    const struct sim_membership *m =
        sim_data_membership(data, user_id, company_id);

    return m != NULL && strcmp(m->state, "accepted") == 0;
}
