/* Unit tests of the big data set of bezala-sim (tests/sim/bulk.c) and of
 * its --receipts option, on the demo data set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <getopt.h>
#include <jansson.h>

#include "tests/sim/bulk.h"
#include "tests/sim/data.h"
#include "tests/sim/options.h"

#define DEMO BEZALA_TEST_ASSETS "/demo"

static struct sim_data *load_demo(void)
{
    struct sim_data *data = NULL;
    char err[256];

    assert_int_equal(sim_data_load(DEMO, &data, err, sizeof(err)), 0);
    return data;
}

/* The receipts of company in the raw data.json, counted apart from the
 * loader. */
static size_t raw_count(const json_t *root, long long company)
{
    const json_t *list = json_object_get(root, "receipts");
    size_t count = 0;
    size_t i;
    const json_t *obj;

    json_array_foreach(list, i, obj)
    {
        count +=
            json_integer_value(json_object_get(obj, "company_id")) == company;
    }
    return count;
}

static size_t served(const struct sim_data *data, long long company)
{
    size_t count = 0;

    for (size_t i = 0; i < data->n_items[SIM_KIND_RECEIPT]; i++) {
        count += data->items[SIM_KIND_RECEIPT][i].company_id == company;
    }
    return count;
}

static long long cents(const json_t *value)
{
    long long whole = 0;
    unsigned frac = 0;

    assert_true(sscanf(json_string_value(value), "%lld.%2u", &whole, &frac) ==
                2);
    return whole * 100 + frac;
}

static void test_bulk_biggest_null(void **state)
{
    (void)state;
    assert_int_equal(sim_bulk_biggest(NULL), 0);
}

static void test_bulk_biggest_demo(void **state)
{
    struct sim_data *data = load_demo();
    long long biggest = sim_bulk_biggest(data);

    (void)state;
    assert_int_equal(biggest, 318);
    for (size_t i = 0; i < data->n_companies; i++) {
        assert_true(raw_count(data->root, data->companies[i].id) <=
                    raw_count(data->root, biggest));
    }
    sim_data_free(&data);
}

static void test_bulk_receipts_null_data(void **state)
{
    char err[256] = "";

    (void)state;
    assert_int_equal(sim_bulk_receipts(NULL, 318, 10, err, sizeof(err)), -1);
    assert_true(err[0] != '\0');
}

static void test_bulk_receipts_too_many(void **state)
{
    struct sim_data *data = load_demo();
    size_t before = data->n_items[SIM_KIND_RECEIPT];
    char err[256];

    (void)state;
    assert_int_equal(sim_bulk_receipts(data, 318, SIM_BULK_RECEIPTS_MAX + 1,
                                       err, sizeof(err)),
                     -1);
    assert_int_equal(data->n_items[SIM_KIND_RECEIPT], before);
    sim_data_free(&data);
}

static void test_bulk_receipts_no_templates(void **state)
{
    struct sim_data *data = load_demo();
    char err[256];

    (void)state;
    assert_int_equal(sim_bulk_receipts(data, 999999, 5, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "999999"));
    sim_data_free(&data);
}

static void test_bulk_receipts_zero(void **state)
{
    struct sim_data *data = load_demo();
    size_t others = data->n_items[SIM_KIND_RECEIPT] - served(data, 318);
    char err[256];

    (void)state;
    assert_int_equal(sim_bulk_receipts(data, 318, 0, err, sizeof(err)), 0);
    assert_int_equal(served(data, 318), 0);
    assert_int_equal(data->n_items[SIM_KIND_RECEIPT], others);
    sim_data_free(&data);
}

static void test_bulk_receipts_fewer_than_loaded(void **state)
{
    struct sim_data *data = load_demo();
    char err[256];

    (void)state;
    assert_int_equal(sim_bulk_receipts(data, 318, 10, err, sizeof(err)), 0);
    assert_int_equal(served(data, 318), 10);
    for (size_t i = 0; i < data->n_items[SIM_KIND_RECEIPT]; i++) {
        assert_true(data->items[SIM_KIND_RECEIPT][i].id < 10000000);
    }
    sim_data_free(&data);
}

/* A copy adds up: its total is the sum of its VAT lines. */
static void check_copy(const struct sim_item *item, const char *newest)
{
    const json_t *lines = json_object_get(item->obj, "vat_lines");
    long long sum = 0;
    size_t i;
    const json_t *line;
    int y;
    int m;
    int d;

    assert_int_equal(sscanf(item->date, "%4d-%2d-%2d", &y, &m, &d), 3);
    assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
    assert_true(strcmp(item->date, newest) < 0);
    json_array_foreach(lines, i, line)
    {
        sum += cents(json_object_get(line, "amount"));
    }
    if (json_array_size(lines) > 0) {
        assert_int_equal(sum, cents(json_object_get(item->obj, "total_cost")));
    }
}

static void test_bulk_receipts_grows(void **state)
{
    struct sim_data *data = load_demo();
    const struct sim_item *items;
    char newest[16] = "";
    char err[256];
    size_t copies = 0;
    size_t loaded = served(data, 318);

    (void)state;
    for (size_t i = 0; i < data->n_items[SIM_KIND_RECEIPT]; i++) {
        const char *date = data->items[SIM_KIND_RECEIPT][i].date;

        if (strcmp(date, newest) > 0) {
            snprintf(newest, sizeof(newest), "%s", date);
        }
    }
    assert_int_equal(sim_bulk_receipts(data, 318, 5000, err, sizeof(err)), 0);
    assert_int_equal(served(data, 318), 5000);
    items = data->items[SIM_KIND_RECEIPT];
    for (size_t i = 0; i < data->n_items[SIM_KIND_RECEIPT]; i++) {
        if (i > 0) {
            assert_true(strcmp(items[i - 1].date, items[i].date) >= 0);
            assert_true(items[i - 1].id != items[i].id);
        }
        if (items[i].id >= 10000000) {
            check_copy(&items[i], newest);
            copies++;
        }
    }
    assert_int_equal(copies, 5000 - loaded);
    sim_data_free(&data);
}

static void test_bulk_receipts_same_every_run(void **state)
{
    struct sim_data *a = load_demo();
    struct sim_data *b = load_demo();
    char err[256];

    (void)state;
    assert_int_equal(sim_bulk_receipts(a, 318, 3000, err, sizeof(err)), 0);
    assert_int_equal(sim_bulk_receipts(b, 318, 3000, err, sizeof(err)), 0);
    assert_true(json_equal(json_object_get(a->root, "receipts"),
                           json_object_get(b->root, "receipts")));
    sim_data_free(&a);
    sim_data_free(&b);
}

static int parse(const char *receipts, struct sim_options *out)
{
    char *argv[] = {"bezala-sim", "--port", "0",          "--data",
                    "d",          "--cert", "c",          "--key",
                    "k",          NULL,     (char *)NULL, NULL};
    int argc = 9;

    if (receipts != NULL) {
        argv[argc++] = "--receipts";
        argv[argc++] = (char *)(uintptr_t)receipts;
    }
    optind = 1;
    return sim_options_parse(argc, argv, out);
}

static void test_bulk_option_absent(void **state)
{
    struct sim_options o;

    (void)state;
    assert_int_equal(parse(NULL, &o), 0);
    assert_int_equal(o.receipts, -1);
}

static void test_bulk_option_values(void **state)
{
    struct sim_options o = {.receipts = 7};

    (void)state;
    assert_int_equal(parse("100000", &o), 0);
    assert_int_equal(o.receipts, 100000);
    o.receipts = 7;
    assert_int_equal(parse("-1", &o), -1);
    assert_int_equal(parse("1000001", &o), -1);
    assert_int_equal(parse("ten", &o), -1);
    assert_int_equal(o.receipts, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_biggest_null),
        cmocka_unit_test(test_bulk_biggest_demo),
        cmocka_unit_test(test_bulk_receipts_null_data),
        cmocka_unit_test(test_bulk_receipts_too_many),
        cmocka_unit_test(test_bulk_receipts_no_templates),
        cmocka_unit_test(test_bulk_receipts_zero),
        cmocka_unit_test(test_bulk_receipts_fewer_than_loaded),
        cmocka_unit_test(test_bulk_receipts_grows),
        cmocka_unit_test(test_bulk_receipts_same_every_run),
        cmocka_unit_test(test_bulk_option_absent),
        cmocka_unit_test(test_bulk_option_values),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
