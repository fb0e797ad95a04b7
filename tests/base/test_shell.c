/* Tests of the shell quoting that suggested commands use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/shell.h"

static void test_shell_quote_null(void **state)
{
    char out[8] = "x";

    (void)state;
    assert_false(base_shell_quote(NULL, out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(base_shell_quote("a", NULL, 4));
    assert_false(base_shell_quote("a", out, 0));
}

static void test_shell_quote_words(void **state)
{
    char out[64];

    (void)state;
    assert_true(base_shell_quote("/home/a-b/x_y.db", out, sizeof(out)));
    assert_string_equal(out, "/home/a-b/x_y.db");
    assert_true(base_shell_quote("https://h:8443/a@b", out, sizeof(out)));
    assert_string_equal(out, "https://h:8443/a@b");
    assert_true(base_shell_quote("/my dir", out, sizeof(out)));
    assert_string_equal(out, "'/my dir'");
    assert_true(base_shell_quote("it's $HOME`x`", out, sizeof(out)));
    assert_string_equal(out, "'it'\\''s $HOME`x`'");
    assert_true(base_shell_quote("", out, sizeof(out)));
    assert_string_equal(out, "''");
}

static void test_shell_quote_too_long(void **state)
{
    char out[8];

    (void)state;
    assert_false(base_shell_quote("abcdefgh", out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(base_shell_quote("a b c d", out, sizeof(out)));
    assert_string_equal(out, "");
    assert_true(base_shell_quote("a b", out, sizeof(out)));
    assert_string_equal(out, "'a b'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shell_quote_null),
        cmocka_unit_test(test_shell_quote_words),
        cmocka_unit_test(test_shell_quote_too_long),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
