/* What the cmocka tests of bezala-sim share: one HTTPS request to a
 * running sim, a password sign-in, and a user looked up in data.json. */
#ifndef BEZALA_SIM_SIM_TEST_UTIL_H
#define BEZALA_SIM_SIM_TEST_UTIL_H

#include <stddef.h>

#include <curl/curl.h>
#include <jansson.h>

#include "tests/support/sim.h"

struct sim_test_util_answer {
    long status; /* -1 when the request failed */
    char content_type[64];
    json_t *json; /* NULL when the body is not JSON */
};

/* Points curl at path on sim, over TLS checked against the sim's CA,
 * with method and body (NULL: none). */
void sim_test_util_set_request(CURL *curl, struct support_sim *sim,
                               const char *method, const char *path,
                               const char *body);

/* One request (method "GET", "POST", ...) for path, with the token
 * (NULL: none) and the body (NULL: none); json is the caller's. Bodies
 * larger than 16 MiB fail the request. */
struct sim_test_util_answer
sim_test_util_call(struct support_sim *sim, const char *method,
                   const char *path, const char *token, const char *body);

/* Signs email in with password; returns the status and, on 200, copies
 * the token into token (when not NULL). */
long sim_test_util_sign_in(struct support_sim *sim, const char *email,
                           const char *password, char *token, size_t size);

/* The user record of email in data; fails the test without one. */
const json_t *sim_test_util_user(const json_t *data, const char *email);

#endif
