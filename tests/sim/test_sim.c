/* bezala-sim over real TLS on loopback: sign-in (password and SSO), home,
 * switching, users, receipts, control endpoints and errors, checked
 * against data.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "tests/sim/sim_test_util.h"
#include "tests/support/sim.h"

#define DATA_JSON BEZALA_TEST_ASSETS "/demo/data.json"
#define ACCOUNTS_TSV BEZALA_TEST_ASSETS "/demo/accounts.tsv"
#define RAW_KEEP (1024 * 1024)

#define AINO "aino.harkonen@demo.bezala.test"
#define AINO_PW "demo-aino-2025"
#define PEKKA "pekka.vaisanen@demo.bezala.test"
#define PEKKA_PW "demo-pekka-2025"
#define RIIKKA "riikka.soderstrom@demo.bezala.test"
#define RIIKKA_PW "demo-riikka-2025"
#define OSKARI "oskari.heikkila@demo.bezala.test"
#define OSKARI_PW "demo-oskari-2025"
#define JUSSI "jussi.ohman@demo.bezala.test"
#define JUSSI_PW "demo-jussi-2025"
#define POHJOLAN "Pohjolan Sähkö ja Lämpö Oy"
#define TOKYO "東京デザイン株式会社"
#define KAISA "kaisa.rautio@revontuli.demo.bezala.test"
#define ILMARI "ilmari.nieminen@revontuli.demo.bezala.test"
#define ILMARI_PW "demo-ilmari-2025"
#define SERVICE "integration@service.demo.bezala.test"
#define SERVICE_PW "demo-integration-2025"
#define REVONTULI "Revontuli Analytics Oy"
#define REVONTULI_OKTA "https://revontuli.okta.demo.bezala.test"
#define SSO_REFUSED                                                        \
    "Password sign-in is disabled for " REVONTULI ": sign in with single " \
    "sign-on (SSO)."

static long status_of(struct support_sim *sim, const char *method,
                      const char *path, const char *token, const char *body)
{
    struct sim_test_util_answer a =
        sim_test_util_call(sim, method, path, token, body);

    json_decref(a.json);
    return a.status;
}

static void signed_in(struct support_sim *sim, const char *email,
                      const char *password, char *token, size_t size)
{
    assert_int_equal(sim_test_util_sign_in(sim, email, password, token, size),
                     200);
}

/* Exchanges a provider token at /api/auth/<provider>/token (okta_url and
 * company_name only when not NULL); the answer's json is the caller's. */
static struct sim_test_util_answer
sso_call(struct support_sim *sim, const char *provider, const char *email,
         const char *access, const char *okta_url, const char *company_name)
{
    char path[64];
    char field[64];
    char *body;
    json_t *doc;
    struct sim_test_util_answer a;

    snprintf(path, sizeof(path), "/api/auth/%s/token", provider);
    snprintf(field, sizeof(field), "%s_access_token", provider);
    doc = json_pack("{s:s, s:s}", "email", email, field, access);
    assert_non_null(doc);
    if (okta_url != NULL) {
        json_object_set_new(doc, "okta_url", json_string(okta_url));
    }
    if (company_name != NULL) {
        json_object_set_new(doc, "company_name", json_string(company_name));
    }
    body = json_dumps(doc, 0);
    assert_non_null(body);
    a = sim_test_util_call(sim, "POST", path, NULL, body);
    json_decref(doc);
    free(body);
    return a;
}

/* sso_call; returns the status and copies the token on 200. */
static long sso_sign_in(struct support_sim *sim, const char *provider,
                        const char *email, const char *access,
                        const char *okta_url, const char *company_name,
                        char *token, size_t size)
{
    struct sim_test_util_answer a =
        sso_call(sim, provider, email, access, okta_url, company_name);

    if (a.status == 200 && token != NULL) {
        snprintf(token, size, "%s",
                 json_string_value(json_object_get(a.json, "token")));
    }
    json_decref(a.json);
    return a.status;
}

/* The error answers always carry a JSON {"error": string}. */
static void assert_error(struct sim_test_util_answer *a, long status)
{
    assert_int_equal(a->status, status);
    assert_string_equal(a->content_type, "application/json");
    assert_true(json_is_string(json_object_get(a->json, "error")));
    json_decref(a->json);
    a->json = NULL;
}

static json_t *load_data(void)
{
    json_t *data = json_load_file(DATA_JSON, 0, NULL);

    assert_non_null(data);
    return data;
}

static json_int_t int_of(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

static const char *str_of(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* The demo provider token data.json gives the user; borrowed from data. */
static const char *demo_sso_token(const json_t *data, const char *email,
                                  const char *provider)
{
    const char *token = str_of(
        json_object_get(sim_test_util_user(data, email), "sso"), provider);

    assert_non_null(token);
    return token;
}

static int setup(void **state)
{
    struct support_sim *sim = NULL;

    if (support_sim_start(0, &sim) != 0) {
        return -1;
    }
    *state = sim;
    return 0;
}

static int teardown(void **state)
{
    struct support_sim *sim = *state;

    support_sim_stop(&sim);
    assert_null(sim);
    return 0;
}

static void test_sim_start_null_out(void **state)
{
    struct support_sim *sim = NULL;

    (void)state;
    assert_int_equal(support_sim_start(0, NULL), -1);
    assert_int_equal(support_sim_start(-5, &sim), -1);
    assert_null(sim);
    assert_null(support_sim_url(NULL));
    assert_null(support_sim_cacert(NULL));
    assert_int_equal(support_sim_control(NULL, "/sim/revoke", "{}"), -1);
    support_sim_stop(NULL);
    support_sim_stop(&sim);
}

static void test_sim_start_listens_on_loopback(void **state)
{
    struct support_sim *sim = *state;
    const char *url = support_sim_url(sim);
    FILE *ca = fopen(support_sim_cacert(sim), "r");

    assert_non_null(ca);
    fclose(ca);
    assert_int_equal(strncmp(url, "https://127.0.0.1:", 18), 0);
    assert_true(atoi(url + 18) > 0);
    assert_int_equal(
        support_sim_control(sim, "/sim/revoke", "{\"email\":\"" AINO "\"}"),
        200);
}

static void test_sim_token_empty_body(void **state)
{
    struct sim_test_util_answer a =
        sim_test_util_call(*state, "POST", "/api/auth/token", NULL, "");

    assert_error(&a, 400);
    a = sim_test_util_call(*state, "POST", "/api/auth/token", NULL,
                           "{\"email\":\"x\"}");
    assert_error(&a, 400);
    a = sim_test_util_call(*state, "POST", "/api/auth/token", NULL, "[1,2]");
    assert_error(&a, 400);
}

static void assert_token_chars(const char *token)
{
    assert_int_equal(strlen(token), 32);
    assert_int_equal(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "abcdefghijklmnopqrstuvwxyz0123456789-_"),
                     32);
}

static void test_sim_token_good_password(void **state)
{
    const char body[] = "{\"email\":\"" AINO "\",\"password\":\"" AINO_PW "\"}";
    struct sim_test_util_answer a =
        sim_test_util_call(*state, "POST", "/api/auth/token", NULL, body);
    struct sim_test_util_answer b =
        sim_test_util_call(*state, "POST", "/api/auth/token", NULL, body);

    assert_int_equal(a.status, 200);
    assert_string_equal(a.content_type, "application/json");
    assert_int_equal(int_of(a.json, "user_id"), 4701);
    assert_non_null(str_of(a.json, "receipts_email"));
    assert_token_chars(str_of(a.json, "token"));
    assert_int_equal(b.status, 200);
    assert_string_not_equal(str_of(a.json, "token"), str_of(b.json, "token"));
    json_decref(a.json);
    json_decref(b.json);
}

static void test_sim_token_bad_password(void **state)
{
    const char wrong[] = "{\"email\":\"" AINO "\",\"password\":\"nope\"}";
    const char nobody[] =
        "{\"email\":\"nobody@demo.bezala.test\",\"password\":\"" AINO_PW "\"}";
    struct sim_test_util_answer a =
        sim_test_util_call(*state, "POST", "/api/auth/token", NULL, wrong);

    assert_int_equal(a.status, 401);
    assert_string_equal(str_of(a.json, "error"), "Invalid email or password.");
    json_decref(a.json);
    a = sim_test_util_call(*state, "POST", "/api/auth/token", NULL, nobody);
    assert_error(&a, 401);
}

/* Every line the sign-in screen offers must really sign in: with its
 * password, or ("-") with the Google token data.json gives the user,
 * which the description must name. */
static void test_sim_token_every_demo_account(void **state)
{
    json_t *data = load_data();
    FILE *f = fopen(ACCOUNTS_TSV, "r");
    char line[512];
    int accounts = 0;
    int sso_only = 0;

    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        char *email = strtok(line, "\t\n");
        char *password = strtok(NULL, "\t\n");
        char *what = strtok(NULL, "\t\n");

        if (email == NULL || email[0] == '#') {
            continue;
        }
        assert_non_null(password);
        assert_non_null(what);
        if (strcmp(password, "-") == 0) {
            const char *google = demo_sso_token(data, email, "google");

            assert_non_null(strstr(what, google));
            assert_int_equal(sso_sign_in(*state, "google", email, google, NULL,
                                         NULL, NULL, 0),
                             200);
            assert_int_equal(
                sim_test_util_sign_in(*state, email, password, NULL, 0), 403);
            sso_only++;
        } else {
            assert_int_equal(
                sim_test_util_sign_in(*state, email, password, NULL, 0), 200);
        }
        accounts++;
    }
    fclose(f);
    json_decref(data);
    assert_in_range(accounts, 4, 10);
    assert_int_equal(sso_only, 1);
}

static void test_sim_sso_empty_body(void **state)
{
    static const char *const paths[] = {"/api/auth/google/token",
                                        "/api/auth/microsoft/token",
                                        "/api/auth/okta/token"};
    struct sim_test_util_answer a;

    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        a = sim_test_util_call(*state, "POST", paths[i], NULL, "");
        assert_error(&a, 400);
        a = sim_test_util_call(*state, "POST", paths[i], NULL,
                               "[\"" KAISA "\"]");
        assert_error(&a, 400);
        a = sim_test_util_call(*state, "POST", paths[i], NULL, "{}");
        assert_error(&a, 422);
        a = sim_test_util_call(*state, "POST", paths[i], NULL,
                               "{\"email\":\"" KAISA "\"}");
        assert_error(&a, 422);
    }
    a = sim_test_util_call(*state, "GET", "/api/auth/google/token", NULL, NULL);
    assert_error(&a, 405);
}

/* Each field missing, empty or not a string is a 422, even when the
 * others are right. */
static void test_sim_sso_missing_fields(void **state)
{
    json_t *data = load_data();
    const char *google = demo_sso_token(data, KAISA, "google");
    const char *okta = demo_sso_token(data, KAISA, "okta");
    struct support_sim *sim = *state;

    assert_int_equal(
        sso_sign_in(sim, "google", "", google, NULL, NULL, NULL, 0), 422);
    assert_int_equal(sso_sign_in(sim, "google", KAISA, "", NULL, NULL, NULL, 0),
                     422);
    assert_int_equal(
        sso_sign_in(sim, "okta", KAISA, okta, NULL, REVONTULI, NULL, 0), 422);
    assert_int_equal(
        sso_sign_in(sim, "okta", KAISA, okta, REVONTULI_OKTA, NULL, NULL, 0),
        422);
    assert_int_equal(
        sso_sign_in(sim, "okta", KAISA, okta, REVONTULI_OKTA, "", NULL, 0),
        422);
    assert_int_equal(status_of(sim, "POST", "/api/auth/microsoft/token", NULL,
                               "{\"email\":\"" KAISA
                               "\",\"microsoft_access_token\":7}"),
                     422);
    json_decref(data);
}

/* A good token answers like /api/auth/token, and its Bezala token works. */
static void assert_sso_good(struct support_sim *sim, const char *provider,
                            const char *access, const char *okta_url,
                            const char *company_name)
{
    char token[64];
    struct sim_test_util_answer a =
        sso_call(sim, provider, KAISA, access, okta_url, company_name);

    assert_int_equal(a.status, 200);
    assert_string_equal(a.content_type, "application/json");
    assert_int_equal(int_of(a.json, "user_id"), 4716);
    assert_non_null(str_of(a.json, "receipts_email"));
    assert_token_chars(str_of(a.json, "token"));
    snprintf(token, sizeof(token), "%s", str_of(a.json, "token"));
    json_decref(a.json);
    a = sim_test_util_call(sim, "GET", "/api/home", token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(int_of(json_object_get(a.json, "user"), "id"), 4716);
    assert_string_equal(str_of(json_object_get(a.json, "company"), "name"),
                        REVONTULI);
    json_decref(a.json);
}

static void test_sim_sso_good_tokens(void **state)
{
    json_t *data = load_data();

    assert_sso_good(*state, "google", demo_sso_token(data, KAISA, "google"),
                    NULL, NULL);
    assert_sso_good(*state, "microsoft",
                    demo_sso_token(data, KAISA, "microsoft"), NULL, NULL);
    assert_sso_good(*state, "okta", demo_sso_token(data, KAISA, "okta"),
                    REVONTULI_OKTA, REVONTULI);
    json_decref(data);
}

static void test_sim_sso_wrong_token(void **state)
{
    json_t *data = load_data();
    const char *google = demo_sso_token(data, KAISA, "google");
    const char *microsoft = demo_sso_token(data, KAISA, "microsoft");
    struct sim_test_util_answer a;

    assert_int_equal(sso_sign_in(*state, "google", KAISA, "demo-google-nobody",
                                 NULL, NULL, NULL, 0),
                     401);
    /* A token of one provider is no good at another. */
    assert_int_equal(
        sso_sign_in(*state, "microsoft", KAISA, google, NULL, NULL, NULL, 0),
        401);
    assert_int_equal(
        sso_sign_in(*state, "google", KAISA, microsoft, NULL, NULL, NULL, 0),
        401);
    /* A prefix of the right token is wrong too. */
    a = sim_test_util_call(*state, "POST", "/api/auth/google/token", NULL,
                           "{\"email\":\"" KAISA
                           "\",\"google_access_token\":\"demo\"}");
    assert_error(&a, 401);
    /* Users without SSO tokens have none to match. */
    assert_int_equal(
        sso_sign_in(*state, "google", SERVICE, SERVICE_PW, NULL, NULL, NULL, 0),
        401);
    json_decref(data);
}

/* The provider token must belong to the email given; case aside. */
static void test_sim_sso_email_mismatch(void **state)
{
    json_t *data = load_data();
    const char *google = demo_sso_token(data, KAISA, "google");
    const char *okta = demo_sso_token(data, KAISA, "okta");
    struct sim_test_util_answer a;
    char body[256];

    snprintf(body, sizeof(body),
             "{\"email\":\"" ILMARI "\",\"google_access_token\":\"%s\"}",
             google);
    a = sim_test_util_call(*state, "POST", "/api/auth/google/token", NULL,
                           body);
    assert_error(&a, 401);
    assert_int_equal(sso_sign_in(*state, "okta", AINO, okta, REVONTULI_OKTA,
                                 REVONTULI, NULL, 0),
                     401);
    assert_int_equal(sso_sign_in(*state, "google", "nobody@demo.bezala.test",
                                 google, NULL, NULL, NULL, 0),
                     401);
    assert_int_equal(sso_sign_in(*state, "google",
                                 "Kaisa.Rautio@REVONTULI.demo.bezala.test",
                                 google, NULL, NULL, NULL, 0),
                     200);
    json_decref(data);
}

/* Okta needs the URL and name of a company of the user that has Okta. */
static void test_sim_sso_okta_wrong_company(void **state)
{
    json_t *data = load_data();
    const char *okta = demo_sso_token(data, KAISA, "okta");
    struct support_sim *sim = *state;

    assert_int_equal(sso_sign_in(sim, "okta", KAISA, okta,
                                 "https://other.okta.demo.bezala.test",
                                 REVONTULI, NULL, 0),
                     401);
    assert_int_equal(sso_sign_in(sim, "okta", KAISA, okta, REVONTULI_OKTA "/",
                                 REVONTULI, NULL, 0),
                     401);
    assert_int_equal(sso_sign_in(sim, "okta", KAISA, okta, REVONTULI_OKTA,
                                 POHJOLAN, NULL, 0),
                     401);
    assert_int_equal(sso_sign_in(sim, "okta", KAISA,
                                 demo_sso_token(data, KAISA, "google"),
                                 REVONTULI_OKTA, REVONTULI, NULL, 0),
                     401);
    assert_int_equal(sso_sign_in(sim, "okta", KAISA, okta, REVONTULI_OKTA,
                                 REVONTULI, NULL, 0),
                     200);
    /* Removed from the company, she has no Okta company left. */
    assert_int_equal(support_sim_control(sim, "/sim/remove",
                                         "{\"email\":\"" KAISA
                                         "\",\"company_id\":642}"),
                     200);
    assert_int_equal(sso_sign_in(sim, "okta", KAISA, okta, REVONTULI_OKTA,
                                 REVONTULI, NULL, 0),
                     401);
    json_decref(data);
}

/* The company's SSO rule refuses passwords inside its domain, whatever
 * the password; the 403 names the company. */
static void test_sim_token_sso_enforced(void **state)
{
    json_t *data = load_data();
    const json_t *kaisa = sim_test_util_user(data, KAISA);
    struct sim_test_util_answer a;

    assert_true(json_is_null(json_object_get(kaisa, "password")));
    a = sim_test_util_call(*state, "POST", "/api/auth/token", NULL,
                           "{\"email\":\"" KAISA
                           "\",\"password\":\"anything\"}");
    assert_int_equal(a.status, 403);
    assert_string_equal(a.content_type, "application/json");
    assert_string_equal(str_of(a.json, "error"), SSO_REFUSED);
    json_decref(a.json);
    a = sim_test_util_call(
        *state, "POST", "/api/auth/token", NULL,
        "{\"email\":\"KAISA.RAUTIO@revontuli.demo.bezala.test\","
        "\"password\":\"\"}");
    assert_int_equal(a.status, 403);
    assert_string_equal(str_of(a.json, "error"), SSO_REFUSED);
    json_decref(a.json);
    /* A password set later is refused the same way. */
    assert_int_equal(support_sim_control(*state, "/sim/password",
                                         "{\"email\":\"" KAISA
                                         "\",\"password\":\"uusi\"}"),
                     200);
    assert_int_equal(sim_test_util_sign_in(*state, KAISA, "uusi", NULL, 0),
                     403);
    json_decref(data);
}

static void test_sim_auth_missing_token(void **state)
{
    char token[64];
    char path[128];
    struct sim_test_util_answer a =
        sim_test_util_call(*state, "GET", "/api/home", NULL, NULL);

    assert_error(&a, 401);
    a = sim_test_util_call(*state, "GET", "/api/home",
                           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL);
    assert_error(&a, 401);
    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    snprintf(path, sizeof(path), "/api/home?token=%s", token);
    a = sim_test_util_call(*state, "GET", path, NULL, NULL);
    assert_error(&a, 401);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 200);
}

static void test_sim_home_memberships(void **state)
{
    char token[64];
    struct sim_test_util_answer a;
    json_t *m;
    size_t i;
    int unnamed = 0;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/home", token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(int_of(json_object_get(a.json, "user"), "id"), 4701);
    assert_int_equal(int_of(json_object_get(a.json, "user"), "company_id"),
                     101);
    assert_int_equal(int_of(json_object_get(a.json, "company"), "id"), 101);
    assert_string_equal(str_of(json_object_get(a.json, "company"), "name"),
                        "Tilitoimisto Härkönen Oy");
    json_array_foreach(
        json_object_get(json_object_get(a.json, "user"), "memberships"), i, m)
    {
        assert_int_equal(int_of(m, "user_id"), 4701);
        assert_true(json_is_array(json_object_get(m, "roles")));
        if (json_object_get(m, "company_name") == NULL) {
            assert_int_equal(int_of(m, "company_id"), 539);
            unnamed++;
        }
    }
    assert_int_equal(i, 4);
    assert_int_equal(unnamed, 1);
    json_decref(a.json);
}

static void test_sim_user_update_wrong_body(void **state)
{
    char token[64];
    struct sim_test_util_answer a;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "PUT", "/api/users/4701", token, "not json");
    assert_error(&a, 400);
    a = sim_test_util_call(*state, "PUT", "/api/users/4701", token,
                           "{\"user\":{}}");
    assert_error(&a, 422);
    a = sim_test_util_call(*state, "PUT", "/api/users/4702", token,
                           "{\"user\":{\"company_id\":101}}");
    assert_error(&a, 403);
}

static void test_sim_user_update_switch_confirmed(void **state)
{
    char token[64];
    struct sim_test_util_answer a;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "PUT", "/api/users/4701", token,
                           "{\"user\":{\"company_id\":318}}");
    assert_int_equal(a.status, 200);
    assert_int_equal(int_of(a.json, "id"), 4701);
    assert_int_equal(int_of(a.json, "company_id"), 318);
    json_decref(a.json);
    a = sim_test_util_call(*state, "GET", "/api/company", token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(int_of(a.json, "id"), 318);
    assert_string_equal(str_of(a.json, "name"), POHJOLAN);
    json_decref(a.json);
    /* The unpublished name is learned after switching there. */
    assert_int_equal(status_of(*state, "PUT", "/api/users/4701", token,
                               "{\"user\":{\"company_id\":539}}"),
                     200);
    a = sim_test_util_call(*state, "GET", "/api/company", token, NULL);
    assert_string_equal(str_of(a.json, "name"), TOKYO);
    json_decref(a.json);
}

static void test_sim_user_update_no_membership(void **state)
{
    char token[64];
    struct sim_test_util_answer a;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "PUT", "/api/users/4701", token,
                           "{\"user\":{\"company_id\":427}}");
    assert_error(&a, 404);
    a = sim_test_util_call(*state, "GET", "/api/company", token, NULL);
    assert_int_equal(int_of(a.json, "id"), 101);
    json_decref(a.json);
    /* A pending membership does not allow a switch either. */
    signed_in(*state, "eveliina.karkkainen@demo.bezala.test",
              "demo-eveliina-2025", token, sizeof(token));
    a = sim_test_util_call(*state, "PUT", "/api/users/4705", token,
                           "{\"user\":{\"company_id\":318}}");
    assert_error(&a, 404);
}

/* How many memberships company_id has in data.json. */
static size_t members_in(const json_t *data, json_int_t company_id)
{
    size_t i;
    size_t count = 0;
    json_t *m;

    json_array_foreach(json_object_get(data, "memberships"), i, m)
    {
        count += int_of(m, "company_id") == company_id;
    }
    return count;
}

/* How many memberships user_id has in data.json. */
static size_t members_of(const json_t *data, json_int_t user_id)
{
    size_t i;
    size_t count = 0;
    json_t *m;

    json_array_foreach(json_object_get(data, "memberships"), i, m)
    {
        count += int_of(m, "user_id") == user_id;
    }
    return count;
}

static void test_sim_users_manager_lists(void **state)
{
    json_t *data = load_data();
    char token[64];
    struct sim_test_util_answer a;
    json_t *u;
    size_t i;

    signed_in(*state, PEKKA, PEKKA_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/users?page=1&per_page=100",
                           token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_array_size(a.json), members_in(data, 318));
    json_array_foreach(a.json, i, u)
    {
        assert_non_null(str_of(u, "email"));
        assert_non_null(str_of(u, "state"));
        assert_true(json_is_array(json_object_get(u, "roles")));
        assert_non_null(json_object_get(u, "last_sign_in_at"));
    }
    json_decref(a.json);
    a = sim_test_util_call(*state, "GET", "/api/users?page=2&per_page=5", token,
                           NULL);
    assert_int_equal(json_array_size(a.json), members_in(data, 318) - 5);
    json_decref(a.json);
    json_decref(data);
}

/* Accepted memberships in company_id. */
static size_t accepted_in(const json_t *data, json_int_t company_id)
{
    size_t i;
    size_t count = 0;
    json_t *m;

    json_array_foreach(json_object_get(data, "memberships"), i, m)
    {
        count += int_of(m, "company_id") == company_id &&
                 strcmp(str_of(m, "state"), "accepted") == 0;
    }
    return count;
}

static void test_sim_users_employee_forbidden(void **state)
{
    json_t *data = load_data();
    char token[64];
    struct sim_test_util_answer a;
    json_t *u;
    size_t i;

    signed_in(*state, RIIKKA, RIIKKA_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/users", token, NULL);
    assert_error(&a, 403);
    /* Kahvila Äimä lets employees see users: the accepted members. */
    signed_in(*state, JUSSI, JUSSI_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/users?per_page=100", token,
                           NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_array_size(a.json), accepted_in(data, 205));
    assert_true(json_array_size(a.json) > 1);
    json_array_foreach(a.json, i, u)
    {
        assert_string_equal(str_of(u, "state"), "accepted");
    }
    json_decref(a.json);
    json_decref(data);
}

/* Receipts of company that user_id may see per data.json; state NULL
 * means any. */
static size_t expected_receipts(const json_t *data, json_int_t company_id,
                                json_int_t user_id, int sees_all,
                                const char *state)
{
    size_t i;
    size_t count = 0;
    json_t *r;

    json_array_foreach(json_object_get(data, "receipts"), i, r)
    {
        int own = int_of(r, "user_id") == user_id;
        int draft = strcmp(str_of(r, "state"), "draft") == 0;

        if (int_of(r, "company_id") != company_id ||
            (state && strcmp(str_of(r, "state"), state) != 0)) {
            continue;
        }
        count += own || (sees_all && !draft);
    }
    return count;
}

/* Reads every page of path (which ends in per_page=N&) until a short
 * page; checks each receipt; returns the total. */
static size_t read_all_pages(struct support_sim *sim, const char *token,
                             const char *path, size_t per_page)
{
    char url[256];
    size_t total = 0;
    size_t got = per_page;
    json_t *r;
    size_t i;

    for (int page = 1; got == per_page; page++) {
        struct sim_test_util_answer a;

        snprintf(url, sizeof(url), "%spage=%d", path, page);
        a = sim_test_util_call(sim, "GET", url, token, NULL);
        assert_int_equal(a.status, 200);
        got = json_array_size(a.json);
        assert_true(got <= per_page);
        json_array_foreach(a.json, i, r)
        {
            assert_int_equal(int_of(r, "company_id"), 318);
            assert_string_equal(str_of(r, "type"), "receipt");
        }
        total += got;
        json_decref(a.json);
    }
    return total;
}

static void test_sim_receipts_bad_query(void **state)
{
    char token[64];
    struct sim_test_util_answer a;

    signed_in(*state, PEKKA, PEKKA_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/transactions?page=0", token,
                           NULL);
    assert_error(&a, 400);
    a = sim_test_util_call(*state, "GET", "/api/transactions?per_page=abc",
                           token, NULL);
    assert_error(&a, 400);
    a = sim_test_util_call(*state, "GET", "/api/transactions?state=lost", token,
                           NULL);
    assert_error(&a, 400);
}

static void test_sim_receipts_paging(void **state)
{
    json_t *data = load_data();
    size_t all = expected_receipts(data, 318, 4706, 1, NULL);
    char token[64];
    struct sim_test_util_answer a;

    signed_in(*state, PEKKA, PEKKA_PW, token, sizeof(token));
    assert_true(all > 100);
    assert_int_equal(
        read_all_pages(*state, token, "/api/transactions?per_page=7&", 7), all);
    a = sim_test_util_call(*state, "GET", "/api/transactions", token, NULL);
    assert_int_equal(json_array_size(a.json), 10);
    json_decref(a.json);
    /* Far above the cap: clamped, not refused. */
    a = sim_test_util_call(*state, "GET", "/api/transactions?per_page=1000000",
                           token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_array_size(a.json), all);
    json_decref(a.json);
    a = sim_test_util_call(
        *state, "GET", "/api/transactions?page=99999&per_page=50", token, NULL);
    assert_int_equal(json_array_size(a.json), 0);
    json_decref(a.json);
    json_decref(data);
}

static void test_sim_receipts_employee_own(void **state)
{
    json_t *data = load_data();
    char token[64];
    struct sim_test_util_answer a;
    json_t *r;
    size_t i;

    /* Oskari is a plain employee: nobody names him approver. */
    signed_in(*state, OSKARI, OSKARI_PW, token, sizeof(token));
    a = sim_test_util_call(
        *state, "GET", "/api/transactions?page=1&per_page=1000", token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_array_size(a.json),
                     expected_receipts(data, 318, 4715, 0, NULL));
    assert_true(json_array_size(a.json) > 0);
    json_array_foreach(a.json, i, r)
    {
        assert_int_equal(int_of(r, "user_id"), 4715);
        assert_string_equal(str_of(r, "user_name"), "Oskari Heikkilä");
    }
    json_decref(a.json);
    json_decref(data);
}

static void test_sim_receipts_state_filter(void **state)
{
    json_t *data = load_data();
    char token[64];
    struct sim_test_util_answer a;
    json_t *r;
    size_t i;

    signed_in(*state, PEKKA, PEKKA_PW, token, sizeof(token));
    a = sim_test_util_call(
        *state, "GET",
        "/api/transactions?page=1&per_page=1000&state=accounting", token, NULL);
    assert_int_equal(json_array_size(a.json),
                     expected_receipts(data, 318, 4706, 1, "accounted"));
    json_array_foreach(a.json, i, r)
    {
        assert_string_equal(str_of(r, "state"), "accounted");
    }
    json_decref(a.json);
    json_decref(data);
}

/* The id of the first receipt in data.json matching company, state and
 * (unless 0) user; fails the test when there is none. */
static json_int_t find_receipt(const json_t *data, json_int_t company_id,
                               json_int_t user_id, const char *state)
{
    size_t i;
    json_t *r;

    json_array_foreach(json_object_get(data, "receipts"), i, r)
    {
        if (int_of(r, "company_id") == company_id &&
            (user_id == 0 || int_of(r, "user_id") == user_id) &&
            strcmp(str_of(r, "state"), state) == 0) {
            return int_of(r, "id");
        }
    }
    fail_msg("no receipt in company %lld", (long long)company_id);
    return 0;
}

static void test_sim_receipts_show_other_company(void **state)
{
    json_t *data = load_data();
    json_int_t other = find_receipt(data, 318, 0, "queue");
    json_int_t own = find_receipt(data, 101, 0, "queue");
    json_int_t pekkas = find_receipt(data, 318, 4706, "queue");
    char token[64];
    char path[64];
    char tag[32];
    struct sim_test_util_answer a;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    snprintf(path, sizeof(path), "/api/transactions/%lld", (long long)other);
    a = sim_test_util_call(*state, "GET", path, token, NULL);
    assert_error(&a, 404);
    snprintf(path, sizeof(path), "/api/transactions/%lld", (long long)own);
    a = sim_test_util_call(*state, "GET", path, token, NULL);
    assert_int_equal(a.status, 200);
    snprintf(tag, sizeof(tag), "receipt-%lld", (long long)own);
    assert_string_equal(str_of(a.json, "_id"), tag);
    assert_int_equal(int_of(a.json, "company_id"), 101);
    json_decref(a.json);
    /* An employee cannot see a colleague's receipt in the same company. */
    signed_in(*state, RIIKKA, RIIKKA_PW, token, sizeof(token));
    snprintf(path, sizeof(path), "/api/transactions/%lld", (long long)pekkas);
    a = sim_test_util_call(*state, "GET", path, token, NULL);
    assert_error(&a, 404);
    json_decref(data);
}

/* The exempt administrator and the service user outside the domain sign
 * in with their passwords, and only with the right ones. */
static void test_sim_token_sso_exempt_and_service(void **state)
{
    json_t *data = load_data();
    char token[64];
    struct sim_test_util_answer a;

    assert_true(json_is_true(
        json_object_get(sim_test_util_user(data, ILMARI), "sso_exempt")));
    signed_in(*state, ILMARI, ILMARI_PW, token, sizeof(token));
    assert_int_equal(
        sim_test_util_sign_in(*state, ILMARI, "demo-ilmari-2024", NULL, 0),
        401);
    assert_int_equal(sim_test_util_sign_in(*state, SERVICE, "nope", NULL, 0),
                     401);
    signed_in(*state, SERVICE, SERVICE_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/company", token, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(str_of(a.json, "name"), REVONTULI);
    assert_true(
        json_is_true(json_object_get(a.json, "password_auth_disabled")));
    assert_string_equal(str_of(a.json, "sso_domain"),
                        "revontuli.demo.bezala.test");
    json_decref(a.json);
    /* The service user is an accountant there: it sees the receipts. */
    a = sim_test_util_call(*state, "GET", "/api/transactions?per_page=1000",
                           token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_array_size(a.json),
                     expected_receipts(data, 642, 4718, 1, NULL));
    assert_true(json_array_size(a.json) > 0);
    json_decref(a.json);
    json_decref(data);
}

static void test_sim_control_password_revokes(void **state)
{
    char token[64];

    assert_int_equal(support_sim_control(*state, "/sim/password", "{}"), 404);
    assert_int_equal(support_sim_control(*state, "/sim/password", "[]"), 400);
    signed_in(*state, RIIKKA, RIIKKA_PW, token, sizeof(token));
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 200);
    assert_int_equal(support_sim_control(*state, "/sim/password",
                                         "{\"email\":\"" RIIKKA
                                         "\",\"password\":\"uusi-salasana\"}"),
                     200);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 401);
    assert_int_equal(sim_test_util_sign_in(*state, RIIKKA, RIIKKA_PW, NULL, 0),
                     401);
    signed_in(*state, RIIKKA, "uusi-salasana", token, sizeof(token));
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 200);
}

static void test_sim_control_switch_seen_by_home(void **state)
{
    char token[64];
    struct sim_test_util_answer a;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    assert_int_equal(support_sim_control(*state, "/sim/switch",
                                         "{\"email\":\"" AINO
                                         "\",\"company_id\":427}"),
                     404);
    assert_int_equal(support_sim_control(*state, "/sim/switch",
                                         "{\"email\":\"" AINO
                                         "\",\"company_id\":205}"),
                     200);
    a = sim_test_util_call(*state, "GET", "/api/home", token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(int_of(json_object_get(a.json, "company"), "id"), 205);
    assert_int_equal(int_of(json_object_get(a.json, "user"), "company_id"),
                     205);
    json_decref(a.json);
}

/* The active company of the user whose token it is, as /api/home says. */
static long long home_company(void **state, const char *token)
{
    struct sim_test_util_answer a =
        sim_test_util_call(*state, "GET", "/api/home", token, NULL);
    long long id;

    assert_int_equal(a.status, 200);
    id = int_of(json_object_get(a.json, "company"), "id");
    json_decref(a.json);
    return id;
}

/* "at_call": N moves the user as the Nth API call from then arrives:
 * the calls before it are answered for the old company. */
static void test_sim_control_switch_at_call(void **state)
{
    static const char *const bad[] = {"0", "1001", "\"2\"", "1.5", "null"};
    char token[64];
    char body[128];
    long long before;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    before = home_company(state, token);
    assert_int_not_equal(before, 205);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"email\":\"" AINO "\",\"company_id\":205,"
                 "\"at_call\":%s}",
                 bad[i]);
        assert_int_equal(support_sim_control(*state, "/sim/switch", body), 422);
    }
    assert_int_equal(home_company(state, token), before);
    assert_int_equal(support_sim_control(*state, "/sim/switch",
                                         "{\"email\":\"" AINO
                                         "\",\"company_id\":205,"
                                         "\"at_call\":3}"),
                     200);
    assert_int_equal(home_company(state, token), before);
    assert_int_equal(home_company(state, token), before);
    assert_int_equal(home_company(state, token), 205);
    assert_int_equal(home_company(state, token), 205);
}

static void test_sim_control_revoke(void **state)
{
    char token[64];
    char other[64];

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    signed_in(*state, PEKKA, PEKKA_PW, other, sizeof(other));
    assert_int_equal(
        support_sim_control(*state, "/sim/revoke", "{\"email\":\"" AINO "\"}"),
        200);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 401);
    assert_int_equal(status_of(*state, "GET", "/api/home", other, NULL), 200);
}

static void test_sim_control_fault(void **state)
{
    char token[64];

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    assert_int_equal(support_sim_control(*state, "/sim/fault",
                                         "{\"status\":200,\"count\":1}"),
                     422);
    assert_int_equal(support_sim_control(*state, "/sim/fault",
                                         "{\"status\":503,\"count\":2}"),
                     200);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 503);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 503);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 200);
    /* {"count": 0} alone clears a fault that is still pending. */
    assert_int_equal(support_sim_control(*state, "/sim/fault",
                                         "{\"status\":500,\"count\":5}"),
                     200);
    assert_int_equal(support_sim_control(*state, "/sim/fault", "{\"count\":0}"),
                     200);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 200);
}

static void test_sim_control_remove_bad_forms(void **state)
{
    assert_int_equal(support_sim_control(*state, "/sim/remove", "[]"), 400);
    assert_int_equal(support_sim_control(*state, "/sim/remove", "{}"), 404);
    assert_int_equal(
        support_sim_control(*state, "/sim/remove", "{\"email\":\"" AINO "\"}"),
        422);
    assert_int_equal(support_sim_control(*state, "/sim/remove",
                                         "{\"email\":\"" AINO
                                         "\",\"company_id\":\"101\"}"),
                     422);
    assert_int_equal(support_sim_control(*state, "/sim/remove",
                                         "{\"email\":\"" AINO
                                         "\",\"company_id\":427}"),
                     404);
    assert_int_equal(sim_test_util_sign_in(*state, AINO, AINO_PW, NULL, 0),
                     200);
}

/* The first accepted membership of email in data.json other than
 * company_id; 0 when none. */
static json_int_t next_company(const json_t *data, json_int_t user_id,
                               json_int_t company_id)
{
    size_t i;
    json_t *m;

    json_array_foreach(json_object_get(data, "memberships"), i, m)
    {
        if (int_of(m, "user_id") == user_id &&
            int_of(m, "company_id") != company_id &&
            strcmp(str_of(m, "state"), "accepted") == 0) {
            return int_of(m, "company_id");
        }
    }
    return 0;
}

/* Removal revokes the user's tokens (only theirs) and moves the active
 * company to another accepted membership. */
static void test_sim_control_remove_active(void **state)
{
    json_t *data = load_data();
    json_int_t active = int_of(sim_test_util_user(data, AINO), "company_id");
    json_int_t next = next_company(data, 4701, active);
    char token[64];
    char other[64];
    char body[128];
    struct sim_test_util_answer a;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    signed_in(*state, PEKKA, PEKKA_PW, other, sizeof(other));
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"company_id\":%lld}", AINO,
             (long long)active);
    assert_int_equal(support_sim_control(*state, "/sim/remove", body), 200);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 401);
    assert_int_equal(status_of(*state, "GET", "/api/home", other, NULL), 200);
    assert_int_equal(support_sim_control(*state, "/sim/remove", body), 404);
    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/home", token, NULL);
    assert_int_equal(a.status, 200);
    assert_true(next != 0);
    assert_int_equal(int_of(json_object_get(a.json, "company"), "id"), next);
    assert_int_equal(json_array_size(json_object_get(
                         json_object_get(a.json, "user"), "memberships")),
                     members_of(data, 4701) - 1);
    json_decref(a.json);
    /* No way back into the company she left. */
    snprintf(body, sizeof(body), "{\"user\":{\"company_id\":%lld}}",
             (long long)active);
    a = sim_test_util_call(*state, "PUT", "/api/users/4701", token, body);
    assert_error(&a, 404);
    json_decref(data);
}

/* Removing another membership keeps the active company but still
 * revokes; the company's user list loses the user. */
static void test_sim_control_remove_other(void **state)
{
    json_t *data = load_data();
    char token[64];
    char manager[64];
    struct sim_test_util_answer a;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    signed_in(*state, PEKKA, PEKKA_PW, manager, sizeof(manager));
    assert_int_equal(support_sim_control(*state, "/sim/remove",
                                         "{\"email\":\"" AINO
                                         "\",\"company_id\":318}"),
                     200);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 401);
    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/company", token, NULL);
    assert_int_equal(int_of(a.json, "id"),
                     int_of(sim_test_util_user(data, AINO), "company_id"));
    json_decref(a.json);
    a = sim_test_util_call(*state, "GET", "/api/users?per_page=100", manager,
                           NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_array_size(a.json), members_in(data, 318) - 1);
    json_decref(a.json);
    json_decref(data);
}

/* With the last membership gone there is no company to sign in to, by
 * password or SSO. */
static void test_sim_control_remove_last(void **state)
{
    json_t *data = load_data();
    const char *google = demo_sso_token(data, KAISA, "google");
    struct sim_test_util_answer a;

    assert_int_equal(members_of(data, 4718), 1);
    assert_int_equal(support_sim_control(*state, "/sim/remove",
                                         "{\"email\":\"" SERVICE
                                         "\",\"company_id\":642}"),
                     200);
    a = sim_test_util_call(*state, "POST", "/api/auth/token", NULL,
                           "{\"email\":\"" SERVICE
                           "\",\"password\":\"" SERVICE_PW "\"}");
    assert_int_equal(a.status, 401);
    assert_string_equal(str_of(a.json, "error"),
                        "You are not a member of any company.");
    json_decref(a.json);
    assert_int_equal(members_of(data, 4716), 1);
    assert_int_equal(support_sim_control(*state, "/sim/remove",
                                         "{\"email\":\"" KAISA
                                         "\",\"company_id\":642}"),
                     200);
    assert_int_equal(
        sso_sign_in(*state, "google", KAISA, google, NULL, NULL, NULL, 0), 401);
    json_decref(data);
}

/* A raw answer of any size: counted, with only its start kept. */
struct raw {
    long status;
    size_t len;
    char kept[RAW_KEEP + 1];
    char last;
    curl_off_t length; /* Content-Length, -1 when none was sent */
    char location[256];
};

static size_t tally(char *data, size_t size, size_t n, void *user)
{
    struct raw *raw = user;
    size_t len = size * n;
    size_t keep = raw->len < RAW_KEEP ? RAW_KEEP - raw->len : 0;

    memcpy(raw->kept + raw->len, data, keep < len ? keep : len);
    if (len > 0) {
        raw->last = data[len - 1];
    }
    raw->len += len;
    return len;
}

/* GETs path (or signs in when token is NULL); raw is heap, caller frees. */
static struct raw *fetch_raw(struct support_sim *sim, const char *path,
                             const char *token)
{
    struct raw *raw = calloc(1, sizeof(*raw));
    struct curl_slist *headers = NULL;
    char auth[128];
    char *location = NULL;
    CURL *curl = curl_easy_init();

    assert_non_null(raw);
    assert_non_null(curl);
    sim_test_util_set_request(
        curl, sim, token ? "GET" : "POST", path,
        token ? NULL : "{\"email\":\"" AINO "\",\"password\":\"" AINO_PW "\"}");
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
             token ? token : "");
    headers = curl_slist_append(headers, auth);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, tally);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, raw);
    raw->status = -1;
    if (curl_easy_perform(curl) == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &raw->status);
        curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
                          &raw->length);
        curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
        snprintf(raw->location, sizeof(raw->location), "%s",
                 location ? location : "");
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return raw;
}

static long fault(struct support_sim *sim, const char *json)
{
    return support_sim_control(sim, "/sim/fault", json);
}

/* A delay alone answers as usual (only later); it takes count and an
 * optional path and nothing else. */
static void test_sim_control_fault_delay(void **state)
{
    static const char *const bad[] = {
        "{\"delay_ms\":0,\"count\":1}",
        "{\"delay_ms\":60001,\"count\":1}",
        "{\"delay_ms\":\"5\",\"count\":1}",
        "{\"delay_ms\":5,\"count\":1,\"status\":503}",
        "{\"delay_ms\":5,\"count\":1,\"path\":\"/sim/stats\"}",
    };
    char token[64];

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(fault(*state, bad[i]), 422);
    }
    assert_int_equal(
        fault(*state, "{\"delay_ms\":5,\"count\":2,\"path\":\"/api/home\"}"),
        200);
    assert_int_equal(home_company(state, token), home_company(state, token));
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 200);
}

static void test_sim_control_fault_bad_forms(void **state)
{
    static const char *const bad[] = {
        "{\"count\":1}",
        "{\"status\":503,\"count\":1001}",
        "{\"status\":302,\"count\":1}",
        "{\"status\":302,\"count\":1,\"location\":\"http://localhost:9/\"}",
        "{\"status\":302,\"count\":1,\"location\":\"https://a.test/a b\"}",
        "{\"status\":302,\"count\":1,\"location\":\"https://a.test/\\r\\nX: "
        "y\"}",
        "{\"status\":302,\"count\":1,\"location\":7}",
        "{\"status\":304,\"count\":1,\"location\":\"https://a.test/\"}",
        "{\"status\":503,\"count\":1,\"location\":\"https://a.test/\"}",
        "{\"status\":201,\"count\":1,\"body_bytes\":10}",
        "{\"count\":1,\"body_bytes\":-1}",
        "{\"count\":1,\"body_bytes\":67108865}",
        "{\"count\":1,\"body_bytes\":\"10\"}",
        "{\"count\":1,\"chunked\":true}",
        "{\"count\":1,\"body_bytes\":10,\"chunked\":1}",
        "{\"count\":1,\"body_bytes\":1,\"body_valid\":true}",
    };
    char body[512];
    char url[300];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(fault(*state, bad[i]), 422);
    }
    /* The largest location and body are taken; one byte more is not. */
    memset(url, 'a', sizeof(url));
    memcpy(url, "https://", 8);
    url[255] = '\0';
    snprintf(body, sizeof(body),
             "{\"status\":307,\"count\":0,\"location\":\"%s\"}", url);
    assert_int_equal(fault(*state, body), 200);
    url[255] = 'a';
    url[256] = '\0';
    snprintf(body, sizeof(body),
             "{\"status\":307,\"count\":0,\"location\":\"%s\"}", url);
    assert_int_equal(fault(*state, body), 422);
    assert_int_equal(fault(*state, "{\"count\":0,\"body_bytes\":67108864}"),
                     200);
}

static void test_sim_control_fault_redirect(void **state)
{
    static const long codes[] = {301, 302, 303, 307, 308};
    const char *target = "https://localhost:9/steal";
    char token[64];
    char body[160];
    struct raw *raw;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"status\":%ld,\"count\":1,\"location\":\"%s\"}", codes[i],
                 target);
        assert_int_equal(fault(*state, body), 200);
        raw = fetch_raw(*state, "/api/home", token);
        assert_int_equal(raw->status, codes[i]);
        assert_string_equal(raw->location, target);
        free(raw);
        raw = fetch_raw(*state, "/api/home", token);
        assert_int_equal(raw->status, 200);
        assert_string_equal(raw->location, "");
        free(raw);
    }
    /* The sign-in POST is an /api/ call like any other. */
    assert_int_equal(fault(*state, body), 200);
    raw = fetch_raw(*state, "/api/auth/token", NULL);
    assert_int_equal(raw->status, codes[4]);
    assert_string_equal(raw->location, target);
    free(raw);
}

/* Asks for one generated body and fetches it. */
static struct raw *fetch_fill(struct support_sim *sim, const char *token,
                              const char *json)
{
    assert_int_equal(fault(sim, json), 200);
    return fetch_raw(sim, "/api/transactions", token);
}

static void test_sim_control_fault_body_bytes(void **state)
{
    const size_t n = 100000;
    const size_t big = 9 * 1024 * 1024;
    char token[64];
    char body[160];
    struct raw *raw;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    snprintf(body, sizeof(body), "{\"count\":1,\"body_bytes\":%zu}", n);
    raw = fetch_fill(*state, token, body);
    assert_int_equal(raw->status, 200);
    assert_int_equal(raw->len, n);
    assert_int_equal(raw->length, (curl_off_t)n);
    assert_memory_equal(raw->kept, "[{\"id\":1},{\"id\":1},", 19);
    assert_null(json_loadb(raw->kept, raw->len, 0, NULL));
    free(raw);
    snprintf(body, sizeof(body),
             "{\"count\":1,\"body_bytes\":%zu,\"chunked\":true}", big);
    raw = fetch_fill(*state, token, body);
    assert_int_equal(raw->len, big);
    assert_int_equal(raw->length, -1);
    free(raw);
    raw = fetch_fill(*state, token,
                     "{\"status\":503,\"count\":1,\"body_bytes\":20}");
    assert_int_equal(raw->status, 503);
    assert_int_equal(raw->len, 20);
    free(raw);
}

/* A valid body is a closed array of as many whole elements as fit. */
static void test_sim_control_fault_body_valid(void **state)
{
    const size_t n = 100000;
    char token[64];
    char body[160];
    struct raw *raw;
    json_t *doc;
    size_t i;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    snprintf(body, sizeof(body),
             "{\"count\":1,\"body_bytes\":%zu,\"body_valid\":true}", n);
    raw = fetch_fill(*state, token, body);
    assert_int_equal(raw->status, 200);
    assert_int_equal(raw->len, n);
    assert_int_equal(raw->last, ']');
    doc = json_loadb(raw->kept, raw->len, 0, NULL);
    assert_int_equal(json_array_size(doc), (n - 1) / 9);
    for (i = 0; i < json_array_size(doc); i++) {
        assert_int_equal(int_of(json_array_get(doc, i), "id"), 1);
    }
    json_decref(doc);
    free(raw);
}

/* A fault may be kept for one path and answer with a given JSON body. */
static void test_sim_control_fault_path_json(void **state)
{
    static const char *const bad[] = {
        "{\"count\":1,\"path\":\"/sim/fault\",\"json\":{}}",
        "{\"count\":1,\"path\":7}",
        "{\"count\":1,\"json\":null}",
        "{\"count\":1,\"json\":[],\"body_bytes\":10}",
        "{\"count\":1,\"json\":[],\"status\":302}",
    };
    char token[64];
    struct sim_test_util_answer a;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(fault(*state, bad[i]), 422);
    }
    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    assert_int_equal(fault(*state, "{\"count\":1,\"path\":\"/api/company\","
                                   "\"json\":{\"id\":77,\"name\":\"X\"}}"),
                     200);
    /* Other paths are answered as usual and leave the fault in place. */
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 200);
    a = sim_test_util_call(*state, "GET", "/api/company", token, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_integer_value(json_object_get(a.json, "id")), 77);
    assert_string_equal(json_string_value(json_object_get(a.json, "name")),
                        "X");
    json_decref(a.json);
    a = sim_test_util_call(*state, "GET", "/api/company", token, NULL);
    assert_int_equal(a.status, 200);
    assert_true(json_integer_value(json_object_get(a.json, "id")) != 77);
    json_decref(a.json);
    assert_int_equal(fault(*state, "{\"count\":1,\"status\":418,\"json\":"
                                   "{\"error\":\"Teapot.\"}}"),
                     200);
    assert_int_equal(status_of(*state, "GET", "/api/home", token, NULL), 418);
}

/* The smallest valid bodies are empty arrays padded with spaces. */
static void test_sim_control_fault_body_small(void **state)
{
    char token[64];
    char body[160];
    struct raw *raw;
    json_t *doc;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    for (size_t n = 2; n <= 10; n++) {
        snprintf(body, sizeof(body),
                 "{\"count\":1,\"body_bytes\":%zu,\"body_valid\":true}", n);
        raw = fetch_fill(*state, token, body);
        assert_int_equal(raw->len, n);
        doc = json_loadb(raw->kept, raw->len, 0, NULL);
        assert_true(json_is_array(doc));
        assert_int_equal(json_array_size(doc), (n - 1) / 9);
        json_decref(doc);
        free(raw);
    }
    raw = fetch_fill(*state, token, "{\"count\":1,\"body_bytes\":1}");
    assert_string_equal(raw->kept, "[");
    free(raw);
    raw = fetch_raw(*state, "/api/transactions", token);
    assert_int_equal(raw->status, 200);
    assert_non_null(strstr(raw->kept, "\"state\""));
    free(raw);
}

static void test_sim_routes_unknown_path(void **state)
{
    char token[64];
    struct sim_test_util_answer a;

    signed_in(*state, AINO, AINO_PW, token, sizeof(token));
    a = sim_test_util_call(*state, "GET", "/api/nothing-here", token, NULL);
    assert_error(&a, 404);
    a = sim_test_util_call(*state, "GET", "/", NULL, NULL);
    assert_error(&a, 404);
    a = sim_test_util_call(*state, "GET", "/api/transactions/0", token, NULL);
    assert_error(&a, 404);
    a = sim_test_util_call(*state, "DELETE", "/api/home", token, NULL);
    assert_error(&a, 405);
}

static void test_sim_routes_body_too_large(void **state)
{
    size_t size = 70 * 1024;
    char *body = malloc(size + 1);
    struct sim_test_util_answer a;

    assert_non_null(body);
    memset(body, ' ', size);
    body[size] = '\0';
    a = sim_test_util_call(*state, "POST", "/api/auth/token", NULL, body);
    assert_error(&a, 413);
    free(body);
}

static double seconds_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_sim_start_with_latency(void **state)
{
    struct support_sim *sim = NULL;
    double start;

    (void)state;
    assert_int_equal(support_sim_start(200, &sim), 0);
    start = seconds_now();
    assert_int_equal(sim_test_util_sign_in(sim, AINO, AINO_PW, NULL, 0), 200);
    /* Sleeps last at least as long as asked; only the lower bound is
     * certain on a busy machine. */
    assert_true(seconds_now() - start >= 0.19);
    support_sim_stop(&sim);
    assert_null(sim);
}

#define WITH_SIM(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_start_null_out),
        WITH_SIM(test_sim_start_listens_on_loopback),
        cmocka_unit_test(test_sim_start_with_latency),
        WITH_SIM(test_sim_token_empty_body),
        WITH_SIM(test_sim_token_good_password),
        WITH_SIM(test_sim_token_bad_password),
        WITH_SIM(test_sim_token_every_demo_account),
        WITH_SIM(test_sim_token_sso_enforced),
        WITH_SIM(test_sim_token_sso_exempt_and_service),
        WITH_SIM(test_sim_sso_empty_body),
        WITH_SIM(test_sim_sso_missing_fields),
        WITH_SIM(test_sim_sso_good_tokens),
        WITH_SIM(test_sim_sso_wrong_token),
        WITH_SIM(test_sim_sso_email_mismatch),
        WITH_SIM(test_sim_sso_okta_wrong_company),
        WITH_SIM(test_sim_auth_missing_token),
        WITH_SIM(test_sim_home_memberships),
        WITH_SIM(test_sim_user_update_wrong_body),
        WITH_SIM(test_sim_user_update_switch_confirmed),
        WITH_SIM(test_sim_user_update_no_membership),
        WITH_SIM(test_sim_users_manager_lists),
        WITH_SIM(test_sim_users_employee_forbidden),
        WITH_SIM(test_sim_receipts_bad_query),
        WITH_SIM(test_sim_receipts_paging),
        WITH_SIM(test_sim_receipts_employee_own),
        WITH_SIM(test_sim_receipts_state_filter),
        WITH_SIM(test_sim_receipts_show_other_company),
        WITH_SIM(test_sim_control_password_revokes),
        WITH_SIM(test_sim_control_switch_seen_by_home),
        WITH_SIM(test_sim_control_switch_at_call),
        WITH_SIM(test_sim_control_fault_delay),
        WITH_SIM(test_sim_control_revoke),
        WITH_SIM(test_sim_control_remove_bad_forms),
        WITH_SIM(test_sim_control_remove_active),
        WITH_SIM(test_sim_control_remove_other),
        WITH_SIM(test_sim_control_remove_last),
        WITH_SIM(test_sim_control_fault),
        WITH_SIM(test_sim_control_fault_bad_forms),
        WITH_SIM(test_sim_control_fault_redirect),
        WITH_SIM(test_sim_control_fault_body_bytes),
        WITH_SIM(test_sim_control_fault_body_valid),
        WITH_SIM(test_sim_control_fault_body_small),
        WITH_SIM(test_sim_control_fault_path_json),
        WITH_SIM(test_sim_routes_unknown_path),
        WITH_SIM(test_sim_routes_body_too_large),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
