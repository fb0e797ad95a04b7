/* Logging: nothing is formatted without a sink, levels filter, and
 * secrets and bearer tokens never reach the sink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "base/log.h"

static char last_line[2048];
static int lines;

static void capture(enum base_log_level level, const char *line, void *user)
{
    (void)level;
    (void)user;
    strncpy(last_line, line, sizeof(last_line) - 1);
    lines++;
}

static int reset(void **state)
{
    (void)state;
    last_line[0] = '\0';
    lines = 0;
    base_log_set_sink(capture, NULL, BASE_LOG_DEBUG);
    return 0;
}

static void test_log_redact_null(void **state)
{
    (void)state;
    base_log_redact(NULL);
    base_log_set_sink(NULL, NULL, BASE_LOG_DEBUG);
    base_log(BASE_LOG_ERROR, "dropped");
    assert_int_equal(lines, 0);
}

static void test_log_level_filters(void **state)
{
    (void)state;
    base_log_set_sink(capture, NULL, BASE_LOG_WARN);
    base_log(BASE_LOG_DEBUG, "detail %d", 1);
    assert_int_equal(lines, 0);
    base_log(BASE_LOG_WARN, "warned %d", 2);
    assert_int_equal(lines, 1);
    assert_string_equal(last_line, "warned 2");
}

static void test_log_redact_watched_secret(void **state)
{
    struct base_secret *secret = NULL;

    (void)state;
    assert_int_equal(base_secret_init(), BASE_OK);
    assert_int_equal(base_secret_new("s3cretTokenValue", 16, &secret), BASE_OK);
    base_log_watch(secret);
    base_log(BASE_LOG_INFO, "got s3cretTokenValue and s3cretTokenValue!");
    assert_string_equal(last_line, "got *** and ***!");
    base_log_forget(secret);
    base_log(BASE_LOG_INFO, "s3cretTokenValue");
    assert_string_equal(last_line, "s3cretTokenValue");
    base_secret_free(&secret);
    assert_null(secret);
}

static void test_log_redact_bearer(void **state)
{
    (void)state;
    base_log(BASE_LOG_INFO, "Authorization: Bearer abc.DEF-123_x~");
    assert_string_equal(last_line, "Authorization: Bearer ***");
}

static void test_log_control_characters_replaced(void **state)
{
    (void)state;
    base_log(BASE_LOG_INFO, "a\033[2Jb\nc");
    assert_string_equal(last_line, "a?[2Jb?c");
}

static void test_log_level_parse(void **state)
{
    (void)state;
    assert_int_equal(base_log_level_parse(NULL), -1);
    assert_int_equal(base_log_level_parse("loud"), -1);
    assert_int_equal(base_log_level_parse("debug"), BASE_LOG_DEBUG);
    assert_string_equal(base_log_level_name(BASE_LOG_WARN), "warn");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_log_redact_null, reset),
        cmocka_unit_test_setup(test_log_level_filters, reset),
        cmocka_unit_test_setup(test_log_redact_watched_secret, reset),
        cmocka_unit_test_setup(test_log_redact_bearer, reset),
        cmocka_unit_test_setup(test_log_control_characters_replaced, reset),
        cmocka_unit_test_setup(test_log_level_parse, reset),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
