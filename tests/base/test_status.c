/* The status list: names, messages and the exit-code contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "base/status.h"

static void test_status_name_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(base_status_name((enum base_status) - 1),
                        "BASE_E_UNKNOWN");
    assert_string_equal(base_status_name(BASE_STATUS_COUNT), "BASE_E_UNKNOWN");
    assert_int_equal(base_status_exit_code(BASE_STATUS_COUNT), 1);
}

static void test_status_name_matches_enum(void **state)
{
    (void)state;
    assert_string_equal(base_status_name(BASE_OK), "BASE_OK");
    assert_string_equal(base_status_name(BASE_E_TLS), "BASE_E_TLS");
    assert_string_equal(base_status_message(BASE_E_CREDENTIALS),
                        "wrong email or password");
}

/* The exit codes that scripts rely on. */
static void test_status_exit_code_contract(void **state)
{
    (void)state;
    assert_int_equal(base_status_exit_code(BASE_OK), 0);
    assert_int_equal(base_status_exit_code(BASE_E_IO), 1);
    assert_int_equal(base_status_exit_code(BASE_E_SWITCH), 1);
    assert_int_equal(base_status_exit_code(BASE_E_MOVED), 1);
    assert_int_equal(base_status_exit_code(BASE_E_USAGE), 2);
    assert_int_equal(base_status_exit_code(BASE_E_AMBIGUOUS), 2);
    assert_int_equal(base_status_exit_code(BASE_E_AUTH), 3);
    assert_int_equal(base_status_exit_code(BASE_E_CREDENTIALS), 3);
    assert_int_equal(base_status_exit_code(BASE_E_TOKEN_UNREADABLE), 3);
    assert_int_equal(base_status_exit_code(BASE_E_FORBIDDEN), 4);
    assert_int_equal(base_status_exit_code(BASE_E_NETWORK), 5);
    assert_int_equal(base_status_exit_code(BASE_E_TLS), 5);
    assert_int_equal(base_status_exit_code(BASE_E_SERVER), 6);
    assert_int_equal(base_status_exit_code(BASE_E_DECODE), 6);
    assert_int_equal(base_status_exit_code(BASE_E_REDIRECT), 6);
    assert_int_equal(base_status_exit_code(BASE_E_TOO_LARGE), 6);
    assert_int_equal(base_status_exit_code(BASE_E_STORE), 7);
    assert_int_equal(base_status_exit_code(BASE_E_PERMISSIONS), 7);
    assert_int_equal(base_status_exit_code(BASE_E_CRYPTO), 7);
    assert_int_equal(base_status_exit_code(BASE_E_LOCKED), 7);
    assert_int_equal(base_status_exit_code(BASE_E_PASSPHRASE), 7);
    assert_int_equal(base_status_exit_code(BASE_E_KDF_PARAMS), 7);
    assert_int_equal(base_status_exit_code(BASE_E_SSO_REQUIRED), 3);
    assert_int_equal(base_status_exit_code(BASE_E_RATE_LIMITED), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_name_out_of_range),
        cmocka_unit_test(test_status_name_matches_enum),
        cmocka_unit_test(test_status_exit_code_contract),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
