/* Composing UI messages: the status is not repeated when the detail
 * already names it, and a message never ends in "..". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "tui/message.h"

static void test_message_compose_null(void **state)
{
    char out[8] = "junk";

    (void)state;
    tui_message_compose(NULL, 10, "lead", BASE_E_SERVER, "x");
    tui_message_compose(out, 0, "lead", BASE_E_SERVER, "x");
    assert_string_equal(out, "junk");
    tui_message_compose(out, 1, "lead", BASE_E_SERVER, "x");
    assert_string_equal(out, "");
}

static void test_message_compose_no_detail(void **state)
{
    char out[128];

    (void)state;
    tui_message_compose(out, sizeof(out), NULL, BASE_E_SERVER, NULL);
    assert_string_equal(out, "Server failure.");
    tui_message_compose(out, sizeof(out), "Could not switch company",
                        BASE_E_NETWORK, "");
    assert_string_equal(out, "Could not switch company: network failure.");
}

static void test_message_compose_detail_names_status(void **state)
{
    char out[128];

    (void)state;
    tui_message_compose(out, sizeof(out), NULL, BASE_E_SERVER,
                        "server failure (HTTP 500): Injected fault.");
    assert_string_equal(out, "Server failure (HTTP 500): Injected fault.");
    tui_message_compose(out, sizeof(out), "Could not load your companies",
                        BASE_E_SERVER,
                        "Server failure (HTTP 500): Injected fault.");
    assert_string_equal(out, "Could not load your companies: Server "
                             "failure (HTTP 500): Injected fault.");
}

static void test_message_compose_detail_adds(void **state)
{
    char out[128];

    (void)state;
    tui_message_compose(out, sizeof(out), NULL, BASE_E_NETWORK,
                        "connection refused");
    assert_string_equal(out, "Network failure: connection refused.");
    /* A word that merely starts like the status is not the status. */
    tui_message_compose(out, sizeof(out), NULL, BASE_E_SERVER,
                        "server failures pile up");
    assert_string_equal(out, "Server failure: server failures pile up.");
}

static void test_message_compose_one_full_stop(void **state)
{
    char out[128];

    (void)state;
    tui_message_compose(out, sizeof(out), NULL, BASE_E_SERVER,
                        "Injected fault..");
    assert_string_equal(out, "Server failure: Injected fault.");
    tui_message_compose(out, sizeof(out), "Could not sign in", BASE_E_DECODE,
                        "bad answer. ");
    assert_string_equal(out, "Could not sign in: the server's answer could "
                             "not be decoded: bad answer.");
    tui_message_compose(out, sizeof(out), NULL, BASE_E_NETWORK,
                        "network failure, retry?");
    assert_string_equal(out, "Network failure, retry?");
}

static void test_message_compose_truncates_cleanly(void **state)
{
    char out[12];
    size_t len;

    (void)state;
    /* "Network failure: ..." cut to fit: still one full stop at the end
     * and never inside a UTF-8 sequence ("\xc3\xa4" is U+00E4). */
    tui_message_compose(out, sizeof(out), NULL, BASE_E_NETWORK, "x");
    len = strlen(out);
    assert_true(len < sizeof(out));
    assert_int_equal(out[len - 1], '.');
    assert_false(len >= 2 && out[len - 2] == '.');
    tui_message_compose(out, 8, "ab \xc3\xa4\xc3\xa4", BASE_E_NETWORK, NULL);
    assert_string_equal(out, "ab \xc3\xa4.");
}

static void test_message_cause_null(void **state)
{
    char out[8] = "junk";

    (void)state;
    tui_message_cause(NULL, 8, BASE_E_SERVER, "x");
    tui_message_cause(out, 0, BASE_E_SERVER, "x");
    assert_string_equal(out, "junk");
}

static void test_message_cause_forms(void **state)
{
    char out[128];

    (void)state;
    tui_message_cause(out, sizeof(out), BASE_E_SERVER,
                      "HTTP 500: Injected "
                      "fault.");
    assert_string_equal(out, "server failure: HTTP 500: Injected fault");
    tui_message_cause(out, sizeof(out), BASE_E_SERVER,
                      "server failure (HTTP 500): Injected fault.");
    assert_string_equal(out, "server failure (HTTP 500): Injected fault");
    tui_message_cause(out, sizeof(out), BASE_E_TLS, NULL);
    assert_string_equal(out, "TLS failure");
}

static void test_message_server_null(void **state)
{
    char out[8] = "junk";

    (void)state;
    tui_message_server(NULL, 10, "lead", "HTTP 401: x");
    tui_message_server(out, 0, "lead", "HTTP 401: x");
    assert_string_equal(out, "junk");
    tui_message_server(out, 1, "lead", "HTTP 401: x");
    assert_string_equal(out, "");
}

static void test_message_server_http(void **state)
{
    char out[160];

    (void)state;
    tui_message_server(out, sizeof(out), "Wrong email or password",
                       "HTTP 401: Invalid email or password.");
    assert_string_equal(out, "Wrong email or password. The server said: "
                             "Invalid email or password (HTTP 401).");
    tui_message_server(out, sizeof(out), "Google sign-in refused.",
                       "HTTP 403: Nope");
    assert_string_equal(out, "Google sign-in refused. The server said: "
                             "Nope (HTTP 403).");
}

static void test_message_server_other_forms(void **state)
{
    char out[160];

    (void)state;
    tui_message_server(out, sizeof(out), "Refused", NULL);
    assert_string_equal(out, "Refused.");
    tui_message_server(out, sizeof(out), "Refused", "");
    assert_string_equal(out, "Refused.");
    tui_message_server(out, sizeof(out), "Refused", "HTTP 401");
    assert_string_equal(out, "Refused. The server said: HTTP 401.");
    tui_message_server(out, sizeof(out), "Refused", "HTTP x: y");
    assert_string_equal(out, "Refused. The server said: HTTP x: y.");
    tui_message_server(out, 20, "Refused", "HTTP 401: a long text here");
    assert_int_equal(strlen(out), 19);
    assert_int_equal(out[18], '.');
}

static void test_message_matches_null(void **state)
{
    char out[8] = "junk";

    (void)state;
    tui_message_matches(NULL, 10, 3, false);
    tui_message_matches(out, 0, 3, false);
    assert_string_equal(out, "junk");
    tui_message_matches(out, 1, 3, false);
    assert_string_equal(out, "");
}

static void test_message_matches_counts(void **state)
{
    char out[160];

    (void)state;
    tui_message_matches(out, sizeof(out), 0, false);
    assert_string_equal(out, "No row matches: / edits the filter, Esc "
                             "clears it.");
    tui_message_matches(out, sizeof(out), 1, false);
    assert_string_equal(out, "1 row matches: / edits the filter, Esc "
                             "clears it.");
    tui_message_matches(out, sizeof(out), 11, false);
    assert_string_equal(out, "11 rows match: n and N step through them, / "
                             "edits the filter, Esc clears it.");
}

/* While pages arrive a count would go stale (11 said, 22 a moment
 * later): none is given. */
static void test_message_matches_loading(void **state)
{
    char out[160];

    (void)state;
    tui_message_matches(out, sizeof(out), 11, true);
    assert_null(strstr(out, "11"));
    assert_non_null(strstr(out, "rows still arrive"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_server_null),
        cmocka_unit_test(test_message_server_http),
        cmocka_unit_test(test_message_server_other_forms),
        cmocka_unit_test(test_message_compose_null),
        cmocka_unit_test(test_message_compose_no_detail),
        cmocka_unit_test(test_message_compose_detail_names_status),
        cmocka_unit_test(test_message_compose_detail_adds),
        cmocka_unit_test(test_message_compose_one_full_stop),
        cmocka_unit_test(test_message_compose_truncates_cleanly),
        cmocka_unit_test(test_message_cause_null),
        cmocka_unit_test(test_message_cause_forms),
        cmocka_unit_test(test_message_matches_null),
        cmocka_unit_test(test_message_matches_counts),
        cmocka_unit_test(test_message_matches_loading),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
