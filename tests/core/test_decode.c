/* The API decoders of sign-in, errors, home and company: good, odd and
 * broken bodies for every one of them (the views' lists are decoded by
 * core_view_decode, tested in test_view_decode.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/secret.h"
#include "core/decode.h"
#include "core/model.h"

#define LEN(s) strlen(s)

/* ---- sign-in ---- */

static void test_decode_sign_in_null(void **state)
{
    struct base_secret *token = NULL;
    int64_t user_id = 0;

    (void)state;
    assert_int_equal(core_decode_sign_in(NULL, 0, &token, &user_id),
                     BASE_E_DECODE);
    assert_int_equal(core_decode_sign_in("", 0, &token, &user_id),
                     BASE_E_DECODE);
    assert_int_equal(core_decode_sign_in("{}", 2, NULL, &user_id),
                     BASE_E_DECODE);
    assert_null(token);
}

static void test_decode_sign_in_good(void **state)
{
    const char *body = "{\"token\":\"qT3xZp0-aBcDeFgH1jKl\",\"user_id\":4711,"
                       "\"receipts_email\":\"x@example.test\",\"new\":[1]}";
    struct base_secret *token = NULL;
    int64_t user_id = 0;

    (void)state;
    assert_int_equal(core_decode_sign_in(body, LEN(body), &token, &user_id),
                     BASE_OK);
    assert_string_equal(base_secret_str(token), "qT3xZp0-aBcDeFgH1jKl");
    assert_int_equal(user_id, 4711);
    base_secret_free(&token);
}

static void test_decode_sign_in_string_user_id(void **state)
{
    const char *body = "{\"token\":\"abcdefgh==\",\"user_id\":\"42\"}";
    struct base_secret *token = NULL;
    int64_t user_id = 0;

    (void)state;
    assert_int_equal(core_decode_sign_in(body, LEN(body), &token, &user_id),
                     BASE_OK);
    assert_int_equal(user_id, 42);
    base_secret_free(&token);
}

static void expect_sign_in_refused(const char *body)
{
    struct base_secret *token = NULL;
    int64_t user_id = -1;

    assert_int_equal(core_decode_sign_in(body, LEN(body), &token, &user_id),
                     BASE_E_DECODE);
    assert_null(token);
    assert_int_equal(user_id, -1);
}

static void test_decode_sign_in_broken(void **state)
{
    (void)state;
    expect_sign_in_refused("{\"token\":\"qT3xZp0-aBcDeFgH1jKl\"");
    expect_sign_in_refused("[\"qT3xZp0-aBcDeFgH1jKl\"]");
    expect_sign_in_refused("{\"token\":12345678901,\"user_id\":1}");
    expect_sign_in_refused("{\"token\":null,\"user_id\":1}");
    expect_sign_in_refused("{\"user_id\":1}");
    expect_sign_in_refused("{\"token\":\"abcd\\r\\nX-Evil: 1\",\"user_id\":1}");
    expect_sign_in_refused("{\"token\":\"abcdefgh\\nijkl\",\"user_id\":1}");
    expect_sign_in_refused("{\"token\":\"abcd efgh ijkl\",\"user_id\":1}");
    expect_sign_in_refused("{\"token\":\"short\",\"user_id\":1}");
    expect_sign_in_refused("{\"token\":\"abc=defghijk\",\"user_id\":1}");
    expect_sign_in_refused("{\"token\":\"abcdefgh\\u0000ij\",\"user_id\":1}");
    expect_sign_in_refused("{\"token\":\"abcdefghij\",\"user_id\":\"x1\"}");
    expect_sign_in_refused("{\"token\":\"abcdefghij\",\"user_id\":[1]}");
}

/* A token without its user would be stored under user id 0. */
static void test_decode_sign_in_user_id_required(void **state)
{
    (void)state;
    expect_sign_in_refused("{\"token\":\"qT3xZp0-aBcDeFgH1jKl\"}");
    expect_sign_in_refused("{\"token\":\"qT3xZp0-aBcDeFgH1jKl\","
                           "\"user_id\":null}");
    expect_sign_in_refused("{\"token\":\"qT3xZp0-aBcDeFgH1jKl\","
                           "\"user_id\":0}");
    expect_sign_in_refused("{\"token\":\"qT3xZp0-aBcDeFgH1jKl\","
                           "\"user_id\":-7}");
    expect_sign_in_refused("{\"token\":\"qT3xZp0-aBcDeFgH1jKl\","
                           "\"user_id\":\"0\"}");
}

/* Human-readable error text is the one string still made printable. */
static void test_decode_error_control_characters(void **state)
{
    const char *body = "{\"error\":\"bad\\u001b[2Jthing\\n\"}";
    char buf[64];

    (void)state;
    core_decode_error(body, LEN(body), buf, sizeof(buf));
    assert_string_equal(buf, "bad?[2Jthing?");
}

static void test_decode_sign_in_duplicate_token(void **state)
{
    (void)state;
    expect_sign_in_refused("{\"token\":\"aaaaaaaaaaaa\","
                           "\"token\":\"bbbbbbbbbbbb\",\"user_id\":1}");
}

static void test_decode_sign_in_huge_token(void **state)
{
    size_t n = 5000;
    char *body = malloc(n + 64);
    size_t i;

    (void)state;
    assert_non_null(body);
    strcpy(body, "{\"user_id\":1,\"token\":\"");
    for (i = strlen(body); i < n; i++)
        body[i] = 'a';
    strcpy(body + n, "\"}");
    expect_sign_in_refused(body);
    free(body);
}

/* ---- error bodies ---- */

static void test_decode_error_null(void **state)
{
    char buf[64] = "stale";

    (void)state;
    core_decode_error(NULL, 0, buf, sizeof(buf));
    assert_string_equal(buf, "");
    core_decode_error("{}", 2, NULL, 0);
    core_decode_error("not json", 8, buf, sizeof(buf));
    assert_string_equal(buf, "");
}

static void test_decode_error_shapes(void **state)
{
    const char *plain = "{\"error\":\"Invalid email or password.\"}";
    const char *object = "{\"error\":{\"code\":7,\"message\":\"No access\"}}";
    const char *rails = "{\"error\":\"Invalid\",\"errors\":{\"name\":"
                        "[\"is missing\"],\"email\":\"is taken\"},"
                        "\"message\":\"Fix it\\n now\"}";
    char buf[256];

    (void)state;
    core_decode_error(plain, LEN(plain), buf, sizeof(buf));
    assert_string_equal(buf, "Invalid email or password.");
    core_decode_error(object, LEN(object), buf, sizeof(buf));
    assert_string_equal(buf, "No access");
    core_decode_error(rails, LEN(rails), buf, sizeof(buf));
    assert_non_null(strstr(buf, "Invalid"));
    assert_non_null(strstr(buf, "name is missing"));
    assert_non_null(strstr(buf, "email is taken"));
    assert_non_null(strstr(buf, "Fix it? now"));
    assert_null(strchr(buf, '\n'));
}

static void test_decode_error_small_buffer(void **state)
{
    const char *plain = "{\"error\":\"a rather long error message\"}";
    char buf[8];

    (void)state;
    core_decode_error(plain, LEN(plain), buf, sizeof(buf));
    assert_int_equal(strlen(buf), sizeof(buf) - 1);
}

/* ---- /api/home ---- */

static const char home_good[] =
    "{\"company\":{\"id\":318,\"name\":\"Example Oy\",\"extra\":true},"
    "\"user\":{\"id\":4711,\"name\":\"Maija Example\",\"email\":"
    "\"maija@example.test\",\"company_id\":318,\"memberships\":["
    "{\"id\":901,\"user_id\":4711,\"company_id\":318,\"company_name\":"
    "\"Example Oy\",\"state\":\"accepted\",\"roles\":[\"employee\","
    "\"accountant\"]},"
    "{\"id\":\"902\",\"user_id\":4711,\"company_id\":\"539\",\"state\":"
    "\"accepted\",\"role\":\"Employee\"},"
    "{\"id\":903,\"company_id\":101,\"company_name\":null}]},"
    "\"vats\":[],\"accounts\":[{\"id\":1}]}";

static void test_decode_home_null(void **state)
{
    struct core_home home;

    (void)state;
    assert_int_equal(core_decode_home(NULL, 0, &home), BASE_E_DECODE);
    assert_int_equal(core_decode_home("{}", 2, NULL), BASE_E_INVALID);
    assert_int_equal(core_decode_home("{}", 2, &home), BASE_E_DECODE);
}

static void test_decode_home_good(void **state)
{
    struct core_home home;
    const struct core_membership *m;
    char roles[64];

    (void)state;
    assert_int_equal(core_decode_home(home_good, LEN(home_good), &home),
                     BASE_OK);
    assert_int_equal(home.user_id, 4711);
    assert_string_equal(home.user_name, "Maija Example");
    assert_string_equal(home.user_email, "maija@example.test");
    assert_int_equal(home.company_id, 318);
    assert_string_equal(home.company_name, "Example Oy");
    assert_int_equal(home.membership_count, 3);
    m = core_model_home_membership(&home, 318);
    assert_non_null(m);
    core_model_roles_join(&m->roles, roles, sizeof(roles));
    assert_string_equal(roles, "employee, accountant");
    m = core_model_home_membership(&home, 539);
    assert_non_null(m);
    assert_int_equal(m->id, 902);
    assert_null(m->company_name);
    assert_int_equal(m->roles.count, 1);
    assert_string_equal(m->roles.names[0], "employee");
    m = core_model_home_membership(&home, 101);
    assert_non_null(m);
    assert_null(m->state);
    assert_int_equal(m->roles.count, 0);
    assert_null(core_model_home_membership(&home, 999));
    core_model_home_clear(&home);
    assert_null(home.memberships);
}

static void test_decode_home_company_from_user(void **state)
{
    const char *body = "{\"user\":{\"id\":1,\"company_id\":7,\"memberships\":"
                       "[{\"company_id\":7,\"company_name\":\"Seven\"}]}}";
    struct core_home home;

    (void)state;
    assert_int_equal(core_decode_home(body, LEN(body), &home), BASE_OK);
    assert_int_equal(home.company_id, 7);
    assert_string_equal(home.company_name, "Seven");
    assert_null(home.user_name);
    core_model_home_clear(&home);
}

static void expect_home_refused(const char *body)
{
    struct core_home home;

    memset(&home, 0x5a, sizeof(home));
    assert_int_equal(core_decode_home(body, LEN(body), &home), BASE_E_DECODE);
}

static void test_decode_home_broken(void **state)
{
    (void)state;
    expect_home_refused("{\"user\":{\"id\":1,\"company_id\":7}");
    expect_home_refused("[]");
    expect_home_refused("{\"user\":[]}");
    expect_home_refused("{\"user\":{\"company_id\":7}}");
    expect_home_refused("{\"user\":{\"id\":1}}");
    expect_home_refused("{\"user\":{\"id\":1,\"company_id\":7,"
                        "\"name\":5}}");
    expect_home_refused("{\"user\":{\"id\":1,\"company_id\":7,"
                        "\"memberships\":{}}}");
    expect_home_refused("{\"user\":{\"id\":1,\"company_id\":7,"
                        "\"memberships\":[{\"roles\":[\"a\"]}]}}");
    expect_home_refused("{\"user\":{\"id\":1,\"company_id\":7,"
                        "\"memberships\":[{\"company_id\":7,"
                        "\"roles\":[1]}]}}");
    expect_home_refused("{\"user\":{\"id\":1,\"company_id\":7,"
                        "\"memberships\":[{\"company_id\":7,"
                        "\"roles\":\"manager\"}]}}");
    expect_home_refused("{\"user\":{\"id\":1,\"id\":2,\"company_id\":7}}");
    expect_home_refused("{\"company\":\"x\",\"user\":{\"id\":1,"
                        "\"company_id\":7}}");
    expect_home_refused("{\"user\":{\"id\":1.5,\"company_id\":7}}");
    expect_home_refused("{\"user\":{\"id\":\"12abc\",\"company_id\":7}}");
}

static void test_decode_home_deep_nesting(void **state)
{
    size_t depth = 100000;
    char *body = malloc(depth * 2 + 64);
    size_t i;

    (void)state;
    assert_non_null(body);
    strcpy(body, "{\"user\":");
    for (i = 0; i < depth; i++)
        body[8 + i] = '[';
    for (i = 0; i < depth; i++)
        body[8 + depth + i] = ']';
    strcpy(body + 8 + 2 * depth, "}");
    expect_home_refused(body);
    free(body);
}

/* ---- /api/company ---- */

static void test_decode_company_null(void **state)
{
    struct core_company company;

    (void)state;
    assert_int_equal(core_decode_company(NULL, 0, &company), BASE_E_DECODE);
    assert_int_equal(core_decode_company("{}", 2, NULL), BASE_E_INVALID);
}

static void test_decode_company_good_and_odd(void **state)
{
    const char *good = "{\"id\":539,\"name\":\"Tokyo\",\"uuid\":\"u\"}";
    const char *unnamed = "{\"id\":\"539\",\"name\":null}";
    struct core_company company;

    (void)state;
    assert_int_equal(core_decode_company(good, LEN(good), &company), BASE_OK);
    assert_int_equal(company.id, 539);
    assert_string_equal(company.name, "Tokyo");
    core_model_company_clear(&company);
    assert_int_equal(core_decode_company(unnamed, LEN(unnamed), &company),
                     BASE_OK);
    assert_int_equal(company.id, 539);
    assert_null(company.name);
    core_model_company_clear(&company);
}

static void test_decode_company_broken(void **state)
{
    const char *bodies[] = {
        "{\"name\":\"x\"}", "{\"id\":true}", "{\"id\":1,\"name\":[]}",
        "[{\"id\":1}]",     "{\"id\":1,",    "{\"id\":0}"};
    struct core_company company;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
        assert_int_equal(
            core_decode_company(bodies[i], LEN(bodies[i]), &company),
            BASE_E_DECODE);
}

/* ---- model helpers ---- */

static void test_model_roles_join_null(void **state)
{
    char buf[16] = "stale";
    char *names[] = {"employee", "manager", "accountant"};
    struct core_roles roles = {names, 3};

    (void)state;
    core_model_roles_join(NULL, buf, sizeof(buf));
    assert_string_equal(buf, "");
    core_model_roles_join(&roles, NULL, 0);
    core_model_roles_join(&roles, buf, sizeof(buf));
    assert_string_equal(buf, "employee, manag");
    core_model_home_clear(NULL);
    assert_null(core_model_home_membership(NULL, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_sign_in_null),
        cmocka_unit_test(test_decode_sign_in_good),
        cmocka_unit_test(test_decode_sign_in_string_user_id),
        cmocka_unit_test(test_decode_sign_in_broken),
        cmocka_unit_test(test_decode_sign_in_user_id_required),
        cmocka_unit_test(test_decode_error_control_characters),
        cmocka_unit_test(test_decode_sign_in_duplicate_token),
        cmocka_unit_test(test_decode_sign_in_huge_token),
        cmocka_unit_test(test_decode_error_null),
        cmocka_unit_test(test_decode_error_shapes),
        cmocka_unit_test(test_decode_error_small_buffer),
        cmocka_unit_test(test_decode_home_null),
        cmocka_unit_test(test_decode_home_good),
        cmocka_unit_test(test_decode_home_company_from_user),
        cmocka_unit_test(test_decode_home_broken),
        cmocka_unit_test(test_decode_home_deep_nesting),
        cmocka_unit_test(test_decode_company_null),
        cmocka_unit_test(test_decode_company_good_and_odd),
        cmocka_unit_test(test_decode_company_broken),
        cmocka_unit_test(test_model_roles_join_null),
    };

    if (base_secret_init() != BASE_OK)
        return 1;
    core_decode_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
