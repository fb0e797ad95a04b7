/* The session library against every server fault bezala-sim can play:
 * the status, the one-line detail, how many requests the server saw, and
 * generous upper time limits that prove no wait is endless. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <sys/types.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/status.h"
#include "core/http.h"
#include "core/session.h"
#include "core/session_test.h"
#include "tests/core/fixture.h"
#include "tests/sim/sim_test_util.h"
#include "tests/support/sim.h"

#define AINO "aino.harkonen@demo.bezala.test"
#define LIST "/api/transactions"
#define CERT_SCRIPT BEZALA_TEST_ASSETS "/demo/certs/make-fault-certs.sh"
#define SIM_BIN BEZALA_BIN_DIR "/bezala-sim"

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sign_in(struct fixture *f)
{
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
}

/* Reads /sim/stats (zeroing the count when reset): the /api/ calls the
 * sim received since the last reset. */
static long api_calls(struct fixture *f, bool reset)
{
    struct sim_test_util_answer a = sim_test_util_call(
        f->sim, "POST", "/sim/stats", NULL, reset ? "{\"reset\":true}" : "{}");
    long n;

    assert_int_equal(a.status, 200);
    n = (long)json_integer_value(json_object_get(a.json, "api_calls"));
    json_decref(a.json);
    return n;
}

/* Sets a fault after zeroing the sim's call count. */
static void fault(struct fixture *f, const char *json)
{
    api_calls(f, true);
    fixture_control(f, "/sim/fault", json);
}

static enum base_status load_list(struct fixture *f)
{
    return fixture_load_view(f, CORE_VIEW_RECEIPTS, NULL, NULL);
}

/* The last failure: its status, exit code, HTTP status and detail. */
static const struct fixture_event *assert_failure(const struct fixture *f,
                                                  enum base_status status,
                                                  int code, long http_status,
                                                  const char *detail)
{
    const struct fixture_event *e = fixture_last(f, CORE_EV_FAILED);

    assert_non_null(e);
    assert_int_equal(e->status, status);
    assert_int_equal(base_status_exit_code(e->status), code);
    assert_int_equal(e->http_status, http_status);
    if (strstr(e->detail, detail) == NULL)
        fail_msg("detail \"%s\" lacks \"%s\"", e->detail, detail);
    return e;
}

/* With the fault json set, the list fails with status (exit code code,
 * HTTP http_status, a detail holding detail) after one request: it is
 * not repeated. */
static void list_fails_once(struct fixture *f, const char *json,
                            enum base_status status, int code, long http_status,
                            const char *detail)
{
    fault(f, json);
    assert_int_equal(load_list(f), status);
    assert_failure(f, status, code, http_status, detail);
    assert_int_equal(api_calls(f, false), 1);
}

/* ---- the controls themselves ---- */

static void test_faults_controls_degenerate(void **state)
{
    static const char *const bad[] = {
        "{\"count\":1,\"text\":\"\"}",
        "{\"count\":1,\"text\":7}",
        "{\"count\":1,\"text\":\"x\",\"json\":{}}",
        "{\"count\":1,\"text\":\"x\",\"body_bytes\":10}",
        "{\"count\":1,\"content_type\":\"text/html\"}",
        "{\"count\":1,\"text\":\"x\",\"content_type\":\"a\\r\\nb: c\"}",
        "{\"count\":1,\"status\":429,\"retry_after\":-1}",
        "{\"count\":1,\"status\":302,\"location\":\"https://a.test/\","
        "\"retry_after\":5}",
        "{\"count\":1,\"body_bytes\":10,\"drop_after\":10}",
        "{\"count\":1,\"body_bytes\":10,\"drop_after\":0}",
        "{\"count\":1,\"status\":500,\"drop_after\":1}",
        "{\"count\":1,\"status\":500,\"trickle_ms\":1000}",
        "{\"count\":1,\"body_bytes\":10,\"trickle_ms\":10001}",
    };
    struct fixture *f = *state;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (support_sim_control(f->sim, "/sim/fault", bad[i]) != 422)
            fail_msg("accepted %s", bad[i]);
    }
    assert_int_equal(support_sim_control(f->sim, "/sim/stats", "[]"), 400);
    assert_int_equal(support_sim_control(f->sim, "/sim/stats", "{\"reset\":1}"),
                     422);
    /* Refused forms and control calls are no API calls. */
    assert_int_equal(api_calls(f, false), 0);
}

/* ---- slow, failing and throttling servers ---- */

static void test_faults_latency_is_waited_out(void **state)
{
    struct fixture *f = *state;
    int64_t start;

    support_sim_stop(&f->sim);
    assert_int_equal(support_sim_start(1500, &f->sim), 0);
    sign_in(f);
    start = now_ms();
    assert_int_equal(load_list(f), BASE_OK);
    assert_true(fixture_view_rows(f, CORE_VIEW_RECEIPTS) > 0);
    assert_true(now_ms() - start < 20000);
}

/* A GET that meets a 5xx goes three times in all, then fails; a fault
 * that ends before the third try is not seen at all. */
static void test_faults_server_errors_retried(void **state)
{
    static const int codes[] = {500, 502, 503};
    struct fixture *f = *state;
    char json[128];
    char want[32];
    size_t i;

    sign_in(f);
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        snprintf(json, sizeof(json),
                 "{\"status\":%d,\"count\":5,\"path\":\"" LIST "\"}", codes[i]);
        fault(f, json);
        assert_int_equal(load_list(f), BASE_E_SERVER);
        snprintf(want, sizeof(want), "HTTP %d: Injected fault.", codes[i]);
        assert_string_equal(
            assert_failure(f, BASE_E_SERVER, 6, codes[i], want)->detail, want);
        assert_int_equal(api_calls(f, false), 3);
        snprintf(json, sizeof(json),
                 "{\"status\":%d,\"count\":2,\"path\":\"" LIST "\"}", codes[i]);
        fault(f, json);
        assert_int_equal(load_list(f), BASE_OK);
        assert_int_equal(api_calls(f, false), 3);
    }
}

/* 429 with Retry-After: 1, and with none at all (one second assumed):
 * two waits, then a server failure; one 429 alone is waited out. */
static void test_faults_429_waits_then_fails(void **state)
{
    static const char *const forms[] = {
        "{\"status\":429,\"count\":5,\"path\":\"" LIST "\"}",
        "{\"status\":429,\"count\":5,\"retry_after\":0,\"path\":\"" LIST "\"}",
    };
    struct fixture *f = *state;
    int64_t start;
    size_t i;

    sign_in(f);
    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        fault(f, forms[i]);
        start = now_ms();
        assert_int_equal(load_list(f), BASE_E_SERVER);
        assert_true(now_ms() - start < 15000);
        assert_string_equal(
            assert_failure(f, BASE_E_SERVER, 6, 429, "HTTP 429")->detail,
            "HTTP 429: Injected fault.");
        assert_int_equal(api_calls(f, false), 3);
    }
    fault(f, "{\"status\":429,\"count\":1,\"retry_after\":0,\"path\":\"" LIST
             "\"}");
    assert_int_equal(load_list(f), BASE_OK);
    assert_int_equal(api_calls(f, false), 2);
}

/* A Retry-After of an hour is capped: the list still arrives well inside
 * a minute. */
static void test_faults_429_retry_after_capped(void **state)
{
    struct fixture *f = *state;
    int64_t start;

    sign_in(f);
    fault(f, "{\"status\":429,\"count\":1,\"retry_after\":3600,\"path\":"
             "\"" LIST "\"}");
    start = now_ms();
    assert_int_equal(load_list(f), BASE_OK);
    assert_true(now_ms() - start < 20000);
    assert_int_equal(api_calls(f, false), 2);
    assert_true(fixture_view_rows(f, CORE_VIEW_RECEIPTS) > 0);
}

/* A connection closed mid-body, with and without Content-Length, is
 * retried like a 5xx and ends as a network failure. */
static void test_faults_dropped_mid_body(void **state)
{
    struct fixture *f = *state;
    char json[160];
    int chunked;

    sign_in(f);
    for (chunked = 0; chunked <= 1; chunked++) {
        snprintf(json, sizeof(json),
                 "{\"body_bytes\":1000,\"drop_after\":100,\"chunked\":%s,"
                 "\"count\":5,\"path\":\"" LIST "\"}",
                 chunked ? "true" : "false");
        fault(f, json);
        assert_int_equal(load_list(f), BASE_E_NETWORK);
        assert_failure(f, BASE_E_NETWORK, 5, 0, "transfer closed");
        assert_int_equal(api_calls(f, false), 3);
    }
    fault(f, "{\"body_bytes\":1000,\"drop_after\":100,\"count\":1,"
             "\"path\":\"" LIST "\"}");
    assert_int_equal(load_list(f), BASE_OK);
    assert_int_equal(api_calls(f, false), 2);
}

/* A byte every 400 ms would take 40 s for the page: the request's
 * deadline (30 s by default) ends it as a network failure, and it is not
 * repeated. The pace is well over the stall limit (a byte a second), so
 * that only the deadline can end it. */
static void test_faults_trickle_ends_at_deadline(void **state)
{
    struct fixture *f = *state;
    int64_t start;

    sign_in(f);
    start = now_ms();
    list_fails_once(f,
                    "{\"body_bytes\":100,\"trickle_ms\":400,\"count\":5,"
                    "\"path\":\"" LIST "\"}",
                    BASE_E_NETWORK, 5, 0, "timed out after");
    assert_true(now_ms() - start < 40000);
}

/* A byte every 2.5 s stalls: under a byte a second for 20 s ends the
 * request before the deadline, as a network failure, not repeated. */
static void test_faults_stalled_body_ends(void **state)
{
    struct fixture *f = *state;

    sign_in(f);
    list_fails_once(f,
                    "{\"body_bytes\":100,\"trickle_ms\":2500,\"count\":5,"
                    "\"path\":\"" LIST "\"}",
                    BASE_E_NETWORK, 5, 0, "too slow");
}

/* ---- answers that arrive whole but are no list ---- */

static void test_faults_too_large_not_repeated(void **state)
{
    struct fixture *f = *state;
    char want[64];
    int chunked;

    sign_in(f);
    snprintf(want, sizeof(want), "larger than %ld MiB",
             CORE_HTTP_BODY_MAX / (1024 * 1024));
    for (chunked = 0; chunked <= 1; chunked++) {
        list_fails_once(f,
                        chunked ? "{\"body_bytes\":9437184,\"chunked\":true,"
                                  "\"count\":5,\"path\":\"" LIST "\"}"
                                : "{\"body_bytes\":9437184,\"count\":5,"
                                  "\"path\":\"" LIST "\"}",
                        BASE_E_TOO_LARGE, 6, 0, want);
    }
}

/* Malformed, cut-off, HTML and wrongly shaped answers with status 200
 * fail to decode at once, with no retry and no rows kept. */
static void test_faults_undecodable_answers(void **state)
{
    static const char *const forms[] = {
        "{\"body_bytes\":1000,\"count\":5,\"path\":\"" LIST "\"}",
        "{\"text\":\"[{\\\"id\\\":1,\\\"date\\\":\\\"2025-\","
        "\"content_type\":\"application/json\",\"count\":5,"
        "\"path\":\"" LIST "\"}",
        "{\"text\":\"<html><body>Bad gateway</body></html>\",\"count\":5,"
        "\"path\":\"" LIST "\"}",
        "{\"json\":{\"items\":\"none\"},\"count\":5,\"path\":\"" LIST "\"}",
        "{\"json\":[{\"id\":\"x\",\"amount\":[]}],\"count\":5,"
        "\"path\":\"" LIST "\"}",
    };
    struct fixture *f = *state;
    size_t i;

    sign_in(f);
    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        list_fails_once(f, forms[i], BASE_E_DECODE, 6, 200,
                        "in a page of the list");
        assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), 0);
    }
}

/* One answer whose rows name two companies is no list of either: it
 * fails to decode, and nothing of it is kept. */
static void test_faults_page_mixes_companies(void **state)
{
    struct fixture *f = *state;
    char json[256];

    sign_in(f);
    snprintf(json, sizeof(json),
             "{\"json\":[{\"id\":1,\"company_id\":%lld},{\"id\":2,"
             "\"company_id\":%lld}],\"count\":5,\"path\":\"" LIST "\"}",
             (long long)core_session_company_id(f->session),
             (long long)core_session_company_id(f->session) + 1);
    list_fails_once(f, json, BASE_E_DECODE, 6, 200,
                    "a page of the list mixes companies");
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), 0);
    assert_false(core_session_changed_elsewhere(f->session));
}

/* A proxy's HTML error page is a 5xx like any other; none of its markup
 * reaches the detail. */
static void test_faults_html_error_page(void **state)
{
    struct fixture *f = *state;

    sign_in(f);
    fault(f, "{\"text\":\"<html><body>Bad gateway</body></html>\","
             "\"status\":502,\"count\":5,\"path\":\"" LIST "\"}");
    assert_int_equal(load_list(f), BASE_E_SERVER);
    assert_string_equal(assert_failure(f, BASE_E_SERVER, 6, 502, "")->detail,
                        "HTTP 502");
    assert_int_equal(api_calls(f, false), 3);
}

static void test_faults_redirect_elsewhere(void **state)
{
    struct fixture *f = *state;

    sign_in(f);
    list_fails_once(f,
                    "{\"status\":302,\"count\":5,\"location\":"
                    "\"https://localhost:9/steal\",\"path\":\"" LIST "\"}",
                    BASE_E_REDIRECT, 6, 0,
                    "the server redirected to localhost; not followed");
}

/* ---- a sign-in is never repeated by itself ---- */

static void test_faults_sign_in_never_retried(void **state)
{
    static const struct {
        const char *json;
        enum base_status status;
        long http_status;
        const char *detail;
    } cases[] = {
        {"{\"status\":500,\"count\":5}", BASE_E_SERVER, 500, "HTTP 500"},
        {"{\"status\":503,\"count\":5}", BASE_E_SERVER, 503, "HTTP 503"},
        {"{\"status\":429,\"count\":5}", BASE_E_SERVER, 429, "HTTP 429"},
        {"{\"body_bytes\":1000,\"drop_after\":10,\"count\":5}", BASE_E_NETWORK,
         0, "transfer closed"},
        {"{\"text\":\"<html>busy</html>\",\"count\":5}", BASE_E_DECODE, 200,
         ""},
    };
    struct fixture *f = *state;
    size_t i;

    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        core_session_test_advance_clock(
            core_session_sign_in_wait_ms(f->session));
        fault(f, cases[i].json);
        assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                         cases[i].status);
        assert_failure(f, cases[i].status,
                       base_status_exit_code(cases[i].status),
                       cases[i].http_status, cases[i].detail);
        assert_int_equal(api_calls(f, false), 1);
        assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_OUT);
        fixture_control(f, "/sim/fault", "{\"count\":0}");
    }
    core_session_test_advance_clock(core_session_sign_in_wait_ms(f->session));
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
}

/* ---- certificates ---- */

struct own_sim {
    FILE *out;
    pid_t pid;
    char url[64];
    char log[256];
};

/* Starts bezala-sim with the certificate NAME.pem of dir; its request
 * log goes to dir/NAME.log. */
static void own_sim_start(struct own_sim *sim, const char *dir,
                          const char *name)
{
    char cmd[2048];
    char line[128];
    long pid = 0;

    snprintf(sim->log, sizeof(sim->log), "%s/%s.log", dir, name);
    snprintf(cmd, sizeof(cmd),
             "echo $$; exec %s --port 0 --data %s/demo --cert %s/%s.pem "
             "--key %s/%s-key.pem 2>%s",
             SIM_BIN, BEZALA_TEST_ASSETS, dir, name, dir, name, sim->log);
    sim->out = popen(cmd, "r");
    assert_non_null(sim->out);
    assert_non_null(fgets(line, sizeof(line), sim->out));
    pid = strtol(line, NULL, 10);
    assert_true(pid > 1);
    sim->pid = (pid_t)pid;
    assert_non_null(fgets(line, sizeof(line), sim->out));
    assert_int_equal(sscanf(line, "listening on %63s", sim->url), 1);
}

static void own_sim_stop(struct own_sim *sim)
{
    kill(sim->pid, SIGTERM);
    pclose(sim->out);
}

/* A certificate for another host, an expired one, and one from a CA the
 * client does not trust: a TLS failure that names the reason, and not
 * one request reaches the server. */
static void test_faults_certificates_refused(void **state)
{
    static const struct {
        const char *cert;
        const char *reason;
    } cases[] = {
        {"other-host", "no alternative certificate subject name"},
        {"expired", "certificate has expired"},
        {"server", "unable to get local issuer certificate"},
    };
    struct fixture *f = *state;
    char dir[80];
    char cmd[2048];
    char ca[160];
    struct own_sim sim;
    size_t i;

    snprintf(dir, sizeof(dir), "%s/certs", f->home);
    snprintf(cmd, sizeof(cmd),
             "mkdir -p %s && sh %s %s && cp %s/demo/certs/server.pem "
             "%s/demo/certs/server-key.pem %s/",
             dir, CERT_SCRIPT, dir, BEZALA_TEST_ASSETS, BEZALA_TEST_ASSETS,
             dir);
    assert_int_equal(system(cmd), 0);
    snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        own_sim_start(&sim, dir, cases[i].cert);
        assert_int_equal(fixture_open_at(f, sim.url, ca, AINO), BASE_OK);
        assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                         BASE_E_TLS);
        assert_failure(f, BASE_E_TLS, 5, 0, cases[i].reason);
        core_session_free(&f->session);
        own_sim_stop(&sim);
        assert_false(fixture_file_has(sim.log, "/api/", 5));
    }
}

#define T(name) \
    cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_faults_controls_degenerate),
        T(test_faults_latency_is_waited_out),
        T(test_faults_server_errors_retried),
        T(test_faults_429_waits_then_fails),
        T(test_faults_429_retry_after_capped),
        T(test_faults_dropped_mid_body),
        T(test_faults_trickle_ends_at_deadline),
        T(test_faults_stalled_body_ends),
        T(test_faults_too_large_not_repeated),
        T(test_faults_undecodable_answers),
        T(test_faults_page_mixes_companies),
        T(test_faults_html_error_page),
        T(test_faults_redirect_elsewhere),
        T(test_faults_sign_in_never_retried),
        T(test_faults_certificates_refused),
    };
    int failed;

    if (fixture_load_demo() != 0)
        return 1;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_free_demo();
    return failed;
}
