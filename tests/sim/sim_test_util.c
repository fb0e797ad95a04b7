/* What the cmocka tests of bezala-sim share: one HTTPS request to a
 * running sim, a password sign-in, and a user looked up in data.json. */
#include "tests/sim/sim_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define BODY_MAX (16 * 1024 * 1024)

struct buffer {
    char *bytes;
    size_t len;
};

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    struct buffer *buf = user;
    char *grown;

    if (buf->len + size * n > BODY_MAX) {
        return 0;
    }
    grown = realloc(buf->bytes, buf->len + size * n + 1);
    if (grown == NULL) {
        return 0;
    }
    memcpy(grown + buf->len, data, size * n);
    buf->bytes = grown;
    buf->len += size * n;
    grown[buf->len] = '\0';
    return size * n;
}

void sim_test_util_set_request(CURL *curl, struct support_sim *sim,
                               const char *method, const char *path,
                               const char *body)
{
    char url[512];

    snprintf(url, sizeof(url), "%s%s", support_sim_url(sim), path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_CAINFO, support_sim_cacert(sim));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    }
}

struct sim_test_util_answer
sim_test_util_call(struct support_sim *sim, const char *method,
                   const char *path, const char *token, const char *body)
{
    struct sim_test_util_answer a = {.status = -1};
    struct buffer buf = {0};
    struct curl_slist *headers = NULL;
    char auth[128];
    char *type = NULL;
    CURL *curl = curl_easy_init();

    assert_non_null(curl);
    sim_test_util_set_request(curl, sim, method, path, body);
    headers = curl_slist_append(headers, "Content-Type: application/json");
    if (token != NULL) {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
        headers = curl_slist_append(headers, auth);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buf);
    if (curl_easy_perform(curl) == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
        curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
        snprintf(a.content_type, sizeof(a.content_type), "%s",
                 type ? type : "");
        a.json = json_loadb(buf.bytes ? buf.bytes : "", buf.len, 0, NULL);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    free(buf.bytes);
    return a;
}

long sim_test_util_sign_in(struct support_sim *sim, const char *email,
                           const char *password, char *token, size_t size)
{
    char body[256];
    struct sim_test_util_answer a;

    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
             email, password);
    a = sim_test_util_call(sim, "POST", "/api/auth/token", NULL, body);
    if (a.status == 200 && token != NULL) {
        snprintf(token, size, "%s",
                 json_string_value(json_object_get(a.json, "token")));
    }
    json_decref(a.json);
    return a.status;
}

const json_t *sim_test_util_user(const json_t *data, const char *email)
{
    const char *text;
    size_t i;
    json_t *u;

    json_array_foreach(json_object_get(data, "users"), i, u)
    {
        text = json_string_value(json_object_get(u, "email"));
        if (text != NULL && strcmp(text, email) == 0) {
            return u;
        }
    }
    fail_msg("no demo user %s", email);
    return NULL;
}
