/* The API decoders: good, odd and broken bodies for every one of them. */
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

/* ---- /api/users ---- */

static void test_decode_people_null(void **state)
{
    struct core_person *people = NULL;
    size_t count = 9;

    (void)state;
    assert_int_equal(core_decode_people(NULL, 0, &people, &count),
                     BASE_E_DECODE);
    assert_int_equal(core_decode_people("[]", 2, NULL, &count), BASE_E_DECODE);
    assert_int_equal(core_decode_people("[]", 2, &people, &count), BASE_OK);
    assert_null(people);
    assert_int_equal(count, 0);
}

static void test_decode_people_good_and_odd(void **state)
{
    const char *body =
        "[{\"id\":4711,\"name\":\"Maija\",\"email\":\"m@example.test\","
        "\"last_sign_in_at\":\"2025-03-14T09:41:07.512Z\",\"roles\":"
        "[\"employee\",\"manager\"],\"state\":\"accepted\",\"ssn\":\"x\"},"
        "{\"id\":\"12\",\"role\":\"Accountant\",\"last_sign_in_at\":null,"
        "\"name\":\"Esc\\u001b[31mape\"}]";
    struct core_person *people = NULL;
    size_t count = 0;

    (void)state;
    assert_int_equal(core_decode_people(body, LEN(body), &people, &count),
                     BASE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(people[0].id, 4711);
    assert_string_equal(people[0].last_sign_in_at, "2025-03-14T09:41:07.512Z");
    assert_int_equal(people[0].roles.count, 2);
    assert_int_equal(people[1].id, 12);
    assert_string_equal(people[1].roles.names[0], "accountant");
    assert_null(people[1].email);
    assert_null(people[1].last_sign_in_at);
    /* Data is kept as sent; the front end makes it safe to display. */
    assert_string_equal(people[1].name, "Esc\x1b[31mape");
    core_model_people_free(&people, count);
    assert_null(people);
}

static void test_decode_people_broken(void **state)
{
    const char *bodies[] = {"{\"users\":[]}",
                            "[{\"name\":\"no id\"}]",
                            "[{\"id\":1},2]",
                            "[{\"id\":1,\"email\":true}]",
                            "[{\"id\":1,\"roles\":[null]}]",
                            "[{\"id\":1}",
                            "[{\"id\":1,\"name\":\"a\",\"name\":\"b\"}]"};
    struct core_person *people = NULL;
    size_t count = 0;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        assert_int_equal(
            core_decode_people(bodies[i], LEN(bodies[i]), &people, &count),
            BASE_E_DECODE);
        assert_null(people);
    }
}

/* ---- /api/transactions ---- */

static void test_decode_receipts_null(void **state)
{
    struct core_receipt *receipts = NULL;
    size_t count = 0;

    (void)state;
    assert_int_equal(core_decode_receipts(NULL, 0, &receipts, &count),
                     BASE_E_DECODE);
    assert_int_equal(core_decode_receipts("[]", 2, &receipts, NULL),
                     BASE_E_DECODE);
}

static void test_decode_receipts_good_and_odd(void **state)
{
    const char *body =
        "[{\"id\":6211,\"date\":\"2025-03-01\",\"description\":\"Taxi\","
        "\"user_id\":4711,\"user_name\":\"Maija\",\"total_cost\":\"12.40\","
        "\"currency\":\"EUR\",\"state\":\"queue\"},"
        "{\"id\":\"6212\",\"amount\":12.4,\"currency\":{\"code\":\"SEK\"},"
        "\"user\":{\"id\":\"5\",\"name\":\"Nested\"}},"
        "{\"id\":6213,\"amount\":7,\"user\":{\"country\":{\"currency\":"
        "\"JPY\"}}},"
        "{\"id\":6214,\"total_cost\":null,\"amount\":\"3.05\","
        "\"cost_currency\":\"NOK\",\"unknown\":{\"deep\":[1,2]}},"
        "{\"id\":6215,\"amount\":0.125},"
        "{\"id\":6216,\"amount\":0.1}]";
    struct core_receipt *r = NULL;
    size_t count = 0;

    (void)state;
    assert_int_equal(core_decode_receipts(body, LEN(body), &r, &count),
                     BASE_OK);
    assert_int_equal(count, 6);
    assert_string_equal(r[0].amount, "12.40");
    assert_string_equal(r[0].currency, "EUR");
    assert_int_equal(r[0].user_id, 4711);
    assert_int_equal(r[1].id, 6212);
    assert_string_equal(r[1].amount, "12.4");
    assert_string_equal(r[1].currency, "SEK");
    assert_int_equal(r[1].user_id, 5);
    assert_string_equal(r[1].user_name, "Nested");
    assert_string_equal(r[2].amount, "7");
    assert_string_equal(r[2].currency, "JPY");
    assert_null(r[2].date);
    assert_string_equal(r[3].amount, "3.05");
    assert_string_equal(r[3].currency, "NOK");
    assert_string_equal(r[4].amount, "0.125");
    assert_null(r[4].currency);
    /* A number the server sent is not padded or rounded to cents. */
    assert_string_equal(r[5].amount, "0.1");
    core_model_receipts_free(&r, count);
    assert_null(r);
}

static void test_decode_receipts_broken(void **state)
{
    const char *bodies[] = {"[{\"amount\":\"1.00\"}]",
                            "[{\"id\":1,\"amount\":true}]",
                            "[{\"id\":1,\"total_cost\":[\"1\"]}]",
                            "[{\"id\":1,\"currency\":5}]",
                            "[{\"id\":1,\"user_id\":\"-3\"}]",
                            "[{\"id\":1,\"date\":20240101}]",
                            "{\"collection\":[]}",
                            "[{\"id\":1,\"state\":\"a\"",
                            "[1]"};
    struct core_receipt *r = NULL;
    size_t count = 0;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        assert_int_equal(
            core_decode_receipts(bodies[i], LEN(bodies[i]), &r, &count),
            BASE_E_DECODE);
        assert_null(r);
    }
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
    core_model_people_free(NULL, 0);
    core_model_receipts_free(NULL, 0);
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
        cmocka_unit_test(test_decode_people_null),
        cmocka_unit_test(test_decode_people_good_and_odd),
        cmocka_unit_test(test_decode_people_broken),
        cmocka_unit_test(test_decode_receipts_null),
        cmocka_unit_test(test_decode_receipts_good_and_odd),
        cmocka_unit_test(test_decode_receipts_broken),
        cmocka_unit_test(test_model_roles_join_null),
    };

    if (base_secret_init() != BASE_OK)
        return 1;
    core_decode_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
