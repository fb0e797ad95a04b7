/* Transport policy without a network: which server URLs and tokens are
 * accepted, and how HTTP codes map to statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/http.h"
#include "core/session.h"

static void expect_url_refused(const char *url, const char *why)
{
    char err[256] = "";
    char *out = NULL;

    assert_int_equal(core_http_check_url(url, &out, err, sizeof(err)),
                     BASE_E_USAGE);
    assert_null(out);
    if (why)
        assert_non_null(strstr(err, why));
}

static void expect_url(const char *url, const char *normal)
{
    char err[256] = "";
    char *out = NULL;

    assert_int_equal(core_http_check_url(url, &out, err, sizeof(err)), BASE_OK);
    assert_string_equal(out, normal);
    free(out);
}

static void test_http_check_url_null(void **state)
{
    char *out = NULL;

    (void)state;
    expect_url_refused(NULL, "no server URL");
    expect_url_refused("", "no server URL");
    assert_int_equal(core_http_check_url("https://a.test", NULL, NULL, 0),
                     BASE_E_USAGE);
    assert_int_equal(core_http_check_url(NULL, &out, NULL, 0), BASE_E_USAGE);
}

static void test_http_check_url_http_refused(void **state)
{
    (void)state;
    expect_url_refused("http://127.0.0.1:8080", "only https://");
    expect_url_refused("HTTP://app.bezala.com/", "only https://");
    expect_url_refused("ftp://app.bezala.com", "only https://");
}

static void test_http_check_url_userinfo_refused(void **state)
{
    (void)state;
    expect_url_refused("https://user@app.bezala.com",
                       "must not contain a user name or password");
    expect_url_refused("https://user:pw@127.0.0.1:8443",
                       "must not contain a user name or password");
    expect_url_refused("https://:pw@127.0.0.1:8443",
                       "must not contain a user name or password");
    expect_url_refused("https://u:p@127.0.0.1:1",
                       "must not contain a user name or password");
}

static void test_http_check_url_no_host_refused(void **state)
{
    (void)state;
    expect_url_refused("https://", NULL);
    expect_url_refused("https://:8443", NULL);
    expect_url_refused("app.bezala.com", NULL);
    expect_url_refused("https://a.test/?token=x", "query");
    expect_url_refused("https://a.test/#frag", "query");
}

static void test_http_check_url_bad_port_refused(void **state)
{
    (void)state;
    expect_url_refused("https://127.0.0.1:99999",
                       "the server URL has an invalid port");
    expect_url_refused("https://127.0.0.1:8x43",
                       "the server URL has an invalid port");
    expect_url_refused("https://127.0.0.1:0",
                       "the server URL has an invalid port");
    expect_url_refused("https://[::1]:000",
                       "the server URL has an invalid port");
}

static void test_http_check_url_query_fragment_refused(void **state)
{
    (void)state;
    expect_url_refused("https://127.0.0.1:8443?x=1",
                       "the server URL must not have a query or fragment");
    expect_url_refused("https://127.0.0.1:8443#frag",
                       "the server URL must not have a query or fragment");
    expect_url_refused("https://app.bezala.com/?",
                       "the server URL must not have a query or fragment");
}

static void test_http_check_url_path_refused(void **state)
{
    (void)state;
    expect_url_refused("https://app.bezala.com/api",
                       "the server URL must be the server's root, without a "
                       "path such as /api");
    expect_url_refused("https://[::1]:8443/prefix/", "root");
    expect_url_refused("https://app.bezala.com/api/", "root");
}

static void test_http_check_url_https_ok(void **state)
{
    (void)state;
    expect_url("https://app.bezala.com", "https://app.bezala.com");
    expect_url("https://app.bezala.com/", "https://app.bezala.com");
    expect_url("https://127.0.0.1:8443//", "https://127.0.0.1:8443");
    expect_url("https://[::1]:8443/", "https://[::1]:8443");
    expect_url("HTTPS://app.bezala.com", "https://app.bezala.com");
}

static void test_http_token_ok_null(void **state)
{
    (void)state;
    assert_false(core_http_token_ok(NULL, 0));
    assert_false(core_http_token_ok("", 0));
}

static void test_http_token_ok_charset(void **state)
{
    char big[4098];

    (void)state;
    assert_true(core_http_token_ok("qT3xZp0-aBcDeFgH1jKl", 20));
    assert_true(core_http_token_ok("a.b_c~d+e/f==", 13));
    assert_false(core_http_token_ok("abcdefg", 7));
    assert_false(core_http_token_ok("abcd\r\nX-Evil: 1", 16));
    assert_false(core_http_token_ok("abcd efgh", 9));
    assert_false(core_http_token_ok("abcdefgh\n", 9));
    assert_false(core_http_token_ok("abcd\0efgh", 9));
    assert_false(core_http_token_ok("abcd=efgh", 9));
    assert_false(core_http_token_ok("========", 8));
    assert_false(core_http_token_ok("abcdefg\xc3\xa4", 9));
    memset(big, 'a', sizeof(big));
    assert_true(core_http_token_ok(big, 4096));
    assert_false(core_http_token_ok(big, 4097));
}

static void test_http_map_code_classes(void **state)
{
    (void)state;
    assert_int_equal(core_http_map_code(0), BASE_E_SERVER);
    assert_int_equal(core_http_map_code(200), BASE_OK);
    assert_int_equal(core_http_map_code(204), BASE_OK);
    assert_int_equal(core_http_map_code(302), BASE_E_REDIRECT);
    assert_int_equal(core_http_map_code(401), BASE_E_AUTH);
    assert_int_equal(core_http_map_code(403), BASE_E_FORBIDDEN);
    assert_int_equal(core_http_map_code(404), BASE_E_FORBIDDEN);
    assert_int_equal(core_http_map_code(429), BASE_E_SERVER);
    assert_int_equal(core_http_map_code(503), BASE_E_SERVER);
}

static void test_http_new_null(void **state)
{
    struct core_http *http = NULL;
    uint64_t id = 0;

    (void)state;
    assert_int_equal(core_http_new(NULL, NULL, 0, 0, &http), BASE_E_INVALID);
    assert_int_equal(core_http_new("https://a.test", NULL, 0, 0, NULL),
                     BASE_E_INVALID);
    core_http_free(NULL);
    core_http_free(&http);
    assert_int_equal(core_http_wait(NULL, -1, 0), BASE_E_INVALID);
    assert_false(core_http_busy(NULL));
    assert_int_equal(core_http_set_token(NULL, NULL), BASE_E_INVALID);
    assert_int_equal(core_http_start(NULL, CORE_HTTP_GET, "/", NULL, 0, false,
                                     NULL, NULL, &id),
                     BASE_E_INVALID);
}

static void on_done(const struct core_http_result *result, void *user)
{
    (void)result;
    (*(int *)user)++;
}

static void test_http_set_token_refuses_bad(void **state)
{
    struct core_http *http = NULL;
    struct base_secret *bad = NULL;
    uint64_t id = 0;
    int calls = 0;

    (void)state;
    assert_int_equal(core_http_new("https://127.0.0.1:9", NULL, 0, 0, &http),
                     BASE_OK);
    assert_int_equal(base_secret_new("abcd\r\nefgh", 10, &bad), BASE_OK);
    assert_int_equal(core_http_set_token(http, bad), BASE_E_AUTH);
    assert_int_equal(core_http_start(http, CORE_HTTP_GET, "no-slash", NULL, 0,
                                     true, on_done, &calls, &id),
                     BASE_E_INVALID);
    /* An authed request without a token fails before connecting. */
    assert_int_equal(core_http_start(http, CORE_HTTP_GET, "/api/home", NULL, 0,
                                     true, on_done, &calls, &id),
                     BASE_OK);
    assert_true(core_http_busy(http));
    assert_int_equal(core_http_wait(http, -1, 100), BASE_OK);
    assert_int_equal(calls, 1);
    assert_false(core_http_busy(http));
    base_secret_free(&bad);
    core_http_free(&http);
    assert_null(http);
}

static void test_http_cancel_unknown(void **state)
{
    struct core_http *http = NULL;
    uint64_t id = 0;
    int calls = 0;

    (void)state;
    assert_int_equal(core_http_new("https://127.0.0.1:9", NULL, 0, 0, &http),
                     BASE_OK);
    core_http_cancel(http, 12345);
    assert_int_equal(core_http_start(http, CORE_HTTP_GET, "/api/home", NULL, 0,
                                     false, on_done, &calls, &id),
                     BASE_OK);
    core_http_cancel(http, id);
    assert_false(core_http_busy(http));
    assert_int_equal(core_http_wait(http, -1, 10), BASE_OK);
    assert_int_equal(calls, 0);
    core_http_free(&http);
}

static void test_session_new_refuses_http(void **state)
{
    struct core_config config;
    struct core_session *session = NULL;

    (void)state;
    memset(&config, 0, sizeof(config));
    assert_int_equal(core_session_new(NULL, NULL, &session), BASE_E_INVALID);
    config.server = "http://127.0.0.1:8080";
    config.data_dir = "/nonexistent/bezala-test/data";
    config.key_dir = "/nonexistent/bezala-test/key";
    assert_int_equal(core_session_new(&config, NULL, &session), BASE_E_USAGE);
    assert_null(session);
    assert_non_null(strstr(core_session_startup_error(), "only https://"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_check_url_null),
        cmocka_unit_test(test_http_check_url_http_refused),
        cmocka_unit_test(test_http_check_url_userinfo_refused),
        cmocka_unit_test(test_http_check_url_no_host_refused),
        cmocka_unit_test(test_http_check_url_bad_port_refused),
        cmocka_unit_test(test_http_check_url_query_fragment_refused),
        cmocka_unit_test(test_http_check_url_path_refused),
        cmocka_unit_test(test_http_check_url_https_ok),
        cmocka_unit_test(test_http_token_ok_null),
        cmocka_unit_test(test_http_token_ok_charset),
        cmocka_unit_test(test_http_map_code_classes),
        cmocka_unit_test(test_http_new_null),
        cmocka_unit_test(test_http_set_token_refuses_bad),
        cmocka_unit_test(test_http_cancel_unknown),
        cmocka_unit_test(test_session_new_refuses_http),
    };

    if (base_secret_init() != BASE_OK || core_http_global_init() != BASE_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
