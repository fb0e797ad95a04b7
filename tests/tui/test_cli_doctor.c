/* The doctor report: its exit code from the checks, its lines, the
 * options its fixes carry, and the pieces of core/doctor.h it is made of
 * (the CA scan, the shell quoting, the JSON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/doctor.h"
#include "tui/cli_doctor.h"
#include "tui/context.h"
#include "tui/options.h"

#define PEM_BODY "MIIBszCCAVmgAwIBAgIUQ2Vy\n"
#define PEM(body) \
    "-----BEGIN CERTIFICATE-----\n" body "-----END CERTIFICATE-----\n"

static void make(struct core_doctor_check *c, size_t n)
{
    static const char *const names[] = {"config", "home",   "store", "vault",
                                        "cacert", "server", "token"};
    size_t i;

    memset(c, 0, n * sizeof(*c));
    for (i = 0; i < n; i++) {
        c[i].name = names[i % 7];
        core_doctor_set(&c[i], CORE_DOCTOR_OK, BASE_OK, NULL, "fine");
    }
}

static void test_cli_doctor_exit_null(void **state)
{
    struct core_doctor_check c[1];

    (void)state;
    make(c, 1);
    assert_int_equal(tui_cli_doctor_exit(NULL, 3), 1);
    assert_int_equal(tui_cli_doctor_exit(c, 0), 1);
}

static void test_cli_doctor_exit_all_ok(void **state)
{
    struct core_doctor_check c[6];

    (void)state;
    make(c, 6);
    assert_int_equal(tui_cli_doctor_exit(c, 6), 0);
}

static void test_cli_doctor_exit_first_failure(void **state)
{
    struct core_doctor_check c[6];

    (void)state;
    make(c, 6);
    core_doctor_set(&c[4], CORE_DOCTOR_FAIL, BASE_E_NETWORK, "x", "down");
    core_doctor_set(&c[5], CORE_DOCTOR_SKIPPED, BASE_E_AUTH, NULL, "later");
    assert_int_equal(tui_cli_doctor_exit(c, 6), 5);
    core_doctor_set(&c[0], CORE_DOCTOR_FAIL, BASE_E_PERMISSIONS, "x", "open");
    assert_int_equal(tui_cli_doctor_exit(c, 6), 7);
    core_doctor_set(&c[0], CORE_DOCTOR_FAIL, BASE_E_AUTH, "x", "nobody");
    assert_int_equal(tui_cli_doctor_exit(c, 6), 3);
}

static void test_cli_doctor_exit_skipped_only(void **state)
{
    struct core_doctor_check c[6];

    (void)state;
    make(c, 6);
    core_doctor_set(&c[5], CORE_DOCTOR_SKIPPED, BASE_OK, NULL, "locked");
    assert_int_equal(c[5].status, BASE_OK);
    assert_int_equal(tui_cli_doctor_exit(c, 6), 7);
}

static char *printed(const struct core_doctor_check *c, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    assert_non_null(out);
    tui_cli_doctor_print(out, c, n);
    fclose(out);
    return text;
}

static void test_cli_doctor_print_null(void **state)
{
    char *text;

    (void)state;
    text = printed(NULL, 6);
    assert_string_equal(text, "");
    free(text);
}

static void test_cli_doctor_print_fix_under_failure(void **state)
{
    struct core_doctor_check c[4];
    char *text;

    (void)state;
    make(c, 4);
    core_doctor_set(&c[1], CORE_DOCTOR_FAIL, BASE_E_PERMISSIONS,
                    "run `chmod 700 /h`", "/h has mode 0755");
    core_doctor_set(&c[2], CORE_DOCTOR_SKIPPED, BASE_OK, "never shown",
                    "the home directory check failed");
    text = printed(c + 1, 3);
    assert_string_equal(text, "FAIL    home   /h has mode 0755\n"
                              "               fix: run `chmod 700 /h`\n"
                              "skipped store  the home directory check failed\n"
                              "ok      vault  fine\n");
    free(text);
}

static void test_cli_doctor_print_control_characters(void **state)
{
    struct core_doctor_check c[1];
    char *text;

    (void)state;
    make(c, 1);
    core_doctor_set(&c[0], CORE_DOCTOR_FAIL, BASE_E_STORE, "a\033[2Jb",
                    "bad\rname");
    text = printed(c, 1);
    assert_null(strchr(text, '\033'));
    assert_null(strchr(text, '\r'));
    free(text);
}

static void test_cli_doctor_count_certs_null(void **state)
{
    (void)state;
    assert_int_equal(core_doctor_count_certs(NULL, 10), 0);
    assert_int_equal(core_doctor_count_certs("", 0), 0);
}

static void test_cli_doctor_count_certs_blocks(void **state)
{
    static const char two[] = "junk\n" PEM(PEM_BODY) PEM(PEM_BODY PEM_BODY);
    static const char key[] =
        "-----BEGIN PRIVATE KEY-----\n" PEM_BODY "-----END PRIVATE KEY-----\n";
    static const char empty[] = PEM("");
    static const char broken[] = PEM("not base64!\n");
    static const char unended[] = "-----BEGIN CERTIFICATE-----\n" PEM_BODY;
    static const char crlf[] = "-----BEGIN CERTIFICATE-----\r\n"
                               "MIIB\r\n-----END CERTIFICATE-----\r\n";

    (void)state;
    assert_int_equal(core_doctor_count_certs(two, strlen(two)), 2);
    assert_int_equal(core_doctor_count_certs(key, strlen(key)), 0);
    assert_int_equal(core_doctor_count_certs(empty, strlen(empty)), 0);
    assert_int_equal(core_doctor_count_certs(broken, strlen(broken)), 0);
    assert_int_equal(core_doctor_count_certs(unended, strlen(unended)), 0);
    assert_int_equal(core_doctor_count_certs(crlf, strlen(crlf)), 1);
    /* Only the first len bytes count: the END line is cut off. */
    assert_int_equal(core_doctor_count_certs(two, strlen(two) - 10), 1);
}

static void test_cli_doctor_add_options_null(void **state)
{
    struct core_doctor_check c[1];

    (void)state;
    make(c, 1);
    core_doctor_add_options(NULL, "--home /h");
    core_doctor_set(c, CORE_DOCTOR_FAIL, BASE_E_AUTH, "run `bezala login`",
                    "x");
    core_doctor_add_options(c, NULL);
    core_doctor_add_options(c, "");
    assert_string_equal(c->fix, "run `bezala login`");
}

static void test_cli_doctor_add_options_every_command(void **state)
{
    struct core_doctor_check c[1];

    (void)state;
    make(c, 1);
    core_doctor_set(c, CORE_DOCTOR_FAIL, BASE_E_STORE,
                    "run `mv a b`, then `bezala login --email x`, or "
                    "`bezala doctor` (bezala reads it)",
                    "x");
    core_doctor_add_options(c, "--home '/my dir'");
    assert_string_equal(c->fix, "run `mv a b`, then `bezala --home '/my dir' "
                                "login --email x`, or `bezala --home "
                                "'/my dir' doctor` (bezala reads it)");
}

static void test_cli_doctor_add_options_too_long(void **state)
{
    struct core_doctor_check c[1];
    char options[CORE_DOCTOR_TEXT_MAX];

    (void)state;
    make(c, 1);
    memset(options, 'x', sizeof(options) - 20);
    options[sizeof(options) - 20] = '\0';
    core_doctor_set(c, CORE_DOCTOR_FAIL, BASE_E_AUTH,
                    "run `bezala login` or `bezala whoami`", "x");
    core_doctor_add_options(c, options);
    assert_string_equal(c->fix, "run `bezala login` or `bezala whoami`");
}

static void test_cli_doctor_options_null(void **state)
{
    char out[16] = "x";
    struct tui_context ctx = {0};

    (void)state;
    assert_false(tui_cli_doctor_options(NULL, out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(tui_cli_doctor_options(&ctx, out, sizeof(out)));
    assert_false(tui_cli_doctor_options(&ctx, NULL, 4));
}

static void test_cli_doctor_options_defaults(void **state)
{
    struct tui_options opts = {.passphrase_fd = -1};
    struct tui_context ctx = {.opts = &opts,
                              .server = TUI_OPTIONS_DEFAULT_SERVER};
    char out[256] = "x";

    (void)state;
    assert_true(tui_cli_doctor_options(&ctx, out, sizeof(out)));
    assert_string_equal(out, "");
}

static void test_cli_doctor_options_given(void **state)
{
    struct tui_options opts = {.home = "/tmp/my home"};
    struct tui_context ctx = {.opts = &opts,
                              .server = "https://127.0.0.1:8443",
                              .cacert = "/c/ca.pem",
                              .account = "o'neil@example.test"};
    char out[256];

    (void)state;
    assert_true(tui_cli_doctor_options(&ctx, out, sizeof(out)));
    assert_string_equal(out, "--home '/tmp/my home' --server "
                             "https://127.0.0.1:8443 --cacert /c/ca.pem "
                             "--account 'o'\\''neil@example.test'");
    assert_false(tui_cli_doctor_options(&ctx, out, 30));
    assert_string_equal(out, "");
    opts.demo = true;
    ctx.account = NULL;
    assert_true(tui_cli_doctor_options(&ctx, out, sizeof(out)));
    assert_string_equal(out, "--demo --home '/tmp/my home'");
}

static void test_cli_doctor_json_null(void **state)
{
    (void)state;
    assert_null(core_doctor_json(NULL, 2));
}

static void test_cli_doctor_json_fields(void **state)
{
    struct core_doctor_check c[3];
    char *json;

    (void)state;
    make(c, 3);
    core_doctor_set(&c[1], CORE_DOCTOR_FAIL, BASE_E_STORE, "run `x`",
                    "say \"hi\"");
    core_doctor_set(&c[2], CORE_DOCTOR_SKIPPED, BASE_OK, NULL, "later");
    json = core_doctor_json(c, 3);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"ok\": false"));
    assert_non_null(strstr(json, "\"name\": \"store\""));
    assert_non_null(strstr(json, "\"detail\": \"say \\\"hi\\\"\""));
    assert_non_null(strstr(json, "\"fix\": \"run `x`\""));
    assert_non_null(strstr(json, "\"ok\": null"));
    assert_non_null(strstr(json, "\"fix\": null"));
    free(json);
    make(c, 3);
    json = core_doctor_json(c, 3);
    assert_non_null(json);
    assert_true(strncmp(json, "{\n  \"ok\": true", 14) == 0);
    free(json);
}

static void test_cli_doctor_json_not_utf8(void **state)
{
    struct core_doctor_check c[1];
    char *json;

    (void)state;
    make(c, 1);
    core_doctor_set(&c[0], CORE_DOCTOR_FAIL, BASE_E_IO, "mv /h\xff /x",
                    "/h\xff\xfe is odd");
    json = core_doctor_json(c, 1);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"detail\": \"/h?? is odd\""));
    assert_non_null(strstr(json, "\"fix\": \"mv /h? /x\""));
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_doctor_exit_null),
        cmocka_unit_test(test_cli_doctor_exit_all_ok),
        cmocka_unit_test(test_cli_doctor_exit_first_failure),
        cmocka_unit_test(test_cli_doctor_exit_skipped_only),
        cmocka_unit_test(test_cli_doctor_print_null),
        cmocka_unit_test(test_cli_doctor_print_fix_under_failure),
        cmocka_unit_test(test_cli_doctor_print_control_characters),
        cmocka_unit_test(test_cli_doctor_count_certs_null),
        cmocka_unit_test(test_cli_doctor_count_certs_blocks),
        cmocka_unit_test(test_cli_doctor_add_options_null),
        cmocka_unit_test(test_cli_doctor_add_options_every_command),
        cmocka_unit_test(test_cli_doctor_add_options_too_long),
        cmocka_unit_test(test_cli_doctor_options_null),
        cmocka_unit_test(test_cli_doctor_options_defaults),
        cmocka_unit_test(test_cli_doctor_options_given),
        cmocka_unit_test(test_cli_doctor_json_null),
        cmocka_unit_test(test_cli_doctor_json_fields),
        cmocka_unit_test(test_cli_doctor_json_not_utf8),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
