/* jansson decoders for the API answers; every field is type-checked. */
#include "core/decode.h"

#include <ctype.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/endpoints.h"
#include "core/http.h"
#include "core/view_internal.h"

#define FAIL (-1)

static void wiping_free(void *p)
{
    if (!p)
        return;
    sodium_memzero(p, malloc_usable_size(p));
    free(p);
}

void core_decode_init(void)
{
    json_set_alloc_funcs(malloc, wiping_free);
}

static json_t *load(const char *body, size_t len)
{
    json_error_t error;

    if (!body || len == 0)
        return NULL;
    return json_loadb(body, len, JSON_REJECT_DUPLICATES, &error);
}

/* Data fields are kept exactly as the server sent them, control
 * characters included, so that --json output is faithful; the front end
 * makes whatever it displays safe for the terminal. */
static char *data_dup(const char *s)
{
    return strdup(s);
}

static int roles_from_array(json_t *array, struct core_roles *out)
{
    size_t i;
    json_t *v;

    if (json_array_size(array) == 0)
        return 0;
    out->names = calloc(json_array_size(array), sizeof(char *));
    if (!out->names)
        return FAIL;
    json_array_foreach(array, i, v)
    {
        if (!json_is_string(v))
            return FAIL;
        out->names[i] = data_dup(json_string_value(v));
        if (!out->names[i])
            return FAIL;
        out->count = i + 1;
    }
    return 0;
}

/* "roles": [..], or the legacy display string "role": "Employee" taken as
 * one lower-case role. */
static int get_roles(json_t *obj, struct core_roles *out)
{
    json_t *roles = json_object_get(obj, CORE_F_ROLES);
    char *legacy = NULL;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (json_is_array(roles))
        return roles_from_array(roles, out);
    if (roles && !json_is_null(roles))
        return FAIL;
    if (core_view_get_str(obj, CORE_F_ROLE_LEGACY, &legacy) != 0)
        return FAIL;
    if (!legacy)
        return 0;
    out->names = calloc(1, sizeof(char *));
    if (!out->names) {
        free(legacy);
        return FAIL;
    }
    for (i = 0; legacy[i]; i++)
        legacy[i] = (char)tolower((unsigned char)legacy[i]);
    out->names[0] = legacy;
    out->count = 1;
    return 0;
}

static const char *error_object_text(json_t *obj)
{
    json_t *message = json_object_get(obj, CORE_F_MESSAGE);
    const char *key;
    json_t *v;

    if (json_is_string(message))
        return json_string_value(message);
    json_object_foreach(obj, key, v)
    {
        if (json_is_string(v))
            return json_string_value(v);
    }
    return NULL;
}

static void append(char *buf, size_t size, const char *text)
{
    size_t used = strlen(buf);

    if (!text || !text[0] || used + 1 >= size)
        return;
    snprintf(buf + used, size - used, "%s%s", used ? "; " : "", text);
}

static void append_errors(char *buf, size_t size, json_t *errors)
{
    char line[256];
    const char *key;
    json_t *v;
    json_t *item;
    size_t i;

    json_object_foreach(errors, key, v)
    {
        if (json_is_string(v)) {
            snprintf(line, sizeof(line), "%s %s", key, json_string_value(v));
            append(buf, size, line);
        }
        json_array_foreach(v, i, item)
        {
            if (!json_is_string(item))
                continue;
            snprintf(line, sizeof(line), "%s %s", key, json_string_value(item));
            append(buf, size, line);
        }
    }
}

void core_decode_error(const char *body, size_t len, char *buf, size_t size)
{
    json_t *root;
    json_t *error;
    size_t i;

    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    root = load(body, len);
    if (!json_is_object(root)) {
        json_decref(root);
        return;
    }
    error = json_object_get(root, CORE_F_ERROR);
    if (json_is_string(error))
        append(buf, size, json_string_value(error));
    else if (json_is_object(error))
        append(buf, size, error_object_text(error));
    append_errors(buf, size, json_object_get(root, CORE_F_ERRORS));
    error = json_object_get(root, CORE_F_MESSAGE);
    if (json_is_string(error) && !strstr(buf, json_string_value(error)))
        append(buf, size, json_string_value(error));
    json_decref(root);
    for (i = 0; buf[i]; i++) {
        if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
            buf[i] = '?';
    }
}

enum base_status core_decode_sign_in(const char *body, size_t len,
                                     struct base_secret **token,
                                     int64_t *user_id)
{
    enum base_status result = BASE_E_DECODE;
    struct base_secret *secret = NULL;
    json_t *root = load(body, len);
    json_t *v;
    int64_t id = 0;

    if (!token || !user_id || !json_is_object(root))
        goto out;
    v = json_object_get(root, CORE_F_TOKEN);
    if (!json_is_string(v) ||
        !core_http_token_ok(json_string_value(v), json_string_length(v)))
        goto out;
    if (core_view_get_id(root, CORE_F_USER_ID, true, &id) != 0 || id <= 0)
        goto out;
    result =
        base_secret_new(json_string_value(v), json_string_length(v), &secret);
    if (result != BASE_OK)
        goto out;
    *token = secret;
    *user_id = id;
out:
    json_decref(root);
    return result;
}

static int decode_membership(json_t *obj, struct core_membership *out)
{
    if (!json_is_object(obj))
        return FAIL;
    if (core_view_get_id(obj, CORE_F_ID, false, &out->id) != 0 ||
        core_view_get_id(obj, CORE_F_COMPANY_ID, true, &out->company_id) != 0 ||
        core_view_get_str(obj, CORE_F_COMPANY_NAME, &out->company_name) != 0 ||
        core_view_get_str(obj, CORE_F_STATE, &out->state) != 0 ||
        get_roles(obj, &out->roles) != 0)
        return FAIL;
    return 0;
}

static int decode_memberships(json_t *array, struct core_home *out)
{
    size_t i;
    json_t *v;

    if (!array || json_is_null(array))
        return 0;
    if (!json_is_array(array))
        return FAIL;
    if (json_array_size(array) == 0)
        return 0;
    out->memberships =
        calloc(json_array_size(array), sizeof(*out->memberships));
    if (!out->memberships)
        return FAIL;
    json_array_foreach(array, i, v)
    {
        out->membership_count = i + 1;
        if (decode_membership(v, &out->memberships[i]) != 0)
            return FAIL;
    }
    return 0;
}

/* home.company: optional; when present its id names the active company. */
static int decode_home_company(json_t *company, struct core_home *out)
{
    int64_t id = 0;

    if (!company || json_is_null(company))
        return 0;
    if (!json_is_object(company) ||
        core_view_get_id(company, CORE_F_ID, true, &id) != 0 ||
        core_view_get_str(company, CORE_F_NAME, &out->company_name) != 0)
        return FAIL;
    out->company_id = id;
    return 0;
}

static int decode_home_root(json_t *root, struct core_home *out)
{
    json_t *user = json_object_get(root, CORE_F_USER);
    const struct core_membership *m;

    if (!json_is_object(user))
        return FAIL;
    if (core_view_get_id(user, CORE_F_ID, true, &out->user_id) != 0 ||
        core_view_get_str(user, CORE_F_NAME, &out->user_name) != 0 ||
        core_view_get_str(user, CORE_F_EMAIL, &out->user_email) != 0 ||
        core_view_get_id(user, CORE_F_COMPANY_ID, false, &out->company_id) !=
            0 ||
        decode_memberships(json_object_get(user, CORE_F_MEMBERSHIPS), out))
        return FAIL;
    if (decode_home_company(json_object_get(root, CORE_F_COMPANY), out))
        return FAIL;
    if (out->company_id <= 0)
        return FAIL;
    m = core_model_home_membership(out, out->company_id);
    if (!out->company_name && m && m->company_name) {
        out->company_name = strdup(m->company_name);
        if (!out->company_name)
            return FAIL;
    }
    return 0;
}

enum base_status core_decode_home(const char *body, size_t len,
                                  struct core_home *out)
{
    struct core_home home;
    json_t *root;
    int rc;

    if (!out)
        return BASE_E_INVALID;
    memset(&home, 0, sizeof(home));
    root = load(body, len);
    rc = json_is_object(root) ? decode_home_root(root, &home) : FAIL;
    json_decref(root);
    if (rc != 0) {
        core_model_home_clear(&home);
        return BASE_E_DECODE;
    }
    *out = home;
    return BASE_OK;
}

enum base_status core_decode_company(const char *body, size_t len,
                                     struct core_company *out)
{
    struct core_company company = {0, NULL};
    json_t *root;
    int rc = FAIL;

    if (!out)
        return BASE_E_INVALID;
    root = load(body, len);
    if (json_is_object(root) &&
        core_view_get_id(root, CORE_F_ID, true, &company.id) == 0 &&
        core_view_get_str(root, CORE_F_NAME, &company.name) == 0)
        rc = 0;
    json_decref(root);
    if (rc != 0 || company.id <= 0) {
        core_model_company_clear(&company);
        return BASE_E_DECODE;
    }
    *out = company;
    return BASE_OK;
}
