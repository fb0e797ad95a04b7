/* bezala-sim's browsable views over real TLS on loopback: the four expense
 * lists, expenses, archive, users, reference data and the company, per
 * role, with every expectation computed from data.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "tests/sim/sim_test_util.h"
#include "tests/support/sim.h"

#define DATA_JSON BEZALA_TEST_ASSETS "/demo/data.json"
#define BIG 318
#define KAHVILA 205

#define PEKKA "pekka.vaisanen@demo.bezala.test"
#define RIIKKA "riikka.soderstrom@demo.bezala.test"
#define TAPIO "tapio.makela@demo.bezala.test"
#define OSKARI "oskari.heikkila@demo.bezala.test"
#define JUSSI "jussi.ohman@demo.bezala.test"
#define AINO "aino.harkonen@demo.bezala.test"

/* The four kinds: data.json key, path and answer prefix, type. */
static const char *const kinds[][3] = {
    {"receipts", "transactions", "receipt"},
    {"trips", "trips", "trip"},
    {"daily_allowances", "daily_allowances", "daily_allowance"},
    {"rewards", "rewards", "reward"},
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char *const open_states[] = {"draft", "reviewing", "unapproved",
                                          "queue"};

/* The people whose views are checked in 318: manager, employee named as
 * approver, money checker, plain employee. */
static const char *const people_318[] = {PEKKA, RIIKKA, TAPIO, OSKARI};

struct fixture {
    struct support_sim *sim;
    json_t *data;
};

/* Who is asking, as data.json says. */
struct role {
    json_int_t id;
    json_int_t company;
    bool sees_all;
    bool money_checker;
    char token[64];
};

/* ---- HTTP ---- */

/* GET path with the token (none: NULL), or POST body when body is set. */
static struct sim_test_util_answer call(struct fixture *f, const char *path,
                                        const char *token, const char *body)
{
    return sim_test_util_call(f->sim, body != NULL ? "POST" : "GET", path,
                              token, body);
}

/* GET that must answer 200; returns the body (the caller's). */
static json_t *get_ok(struct fixture *f, const char *path, const char *token)
{
    struct sim_test_util_answer a = call(f, path, token, NULL);

    if (a.status != 200) {
        fail_msg("GET %s answered %ld", path, a.status);
    }
    assert_non_null(a.json);
    return a.json;
}

/* GET that must answer status with {"error": string}. */
static void get_error(struct fixture *f, const char *path, const char *token,
                      long status)
{
    struct sim_test_util_answer a = call(f, path, token, NULL);

    if (a.status != status) {
        fail_msg("GET %s answered %ld, not %ld", path, a.status, status);
    }
    assert_true(json_is_string(json_object_get(a.json, "error")));
    json_decref(a.json);
}

/* ---- data.json ---- */

static json_int_t int_of(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

static const char *str_of(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static bool is(const json_t *obj, const char *key, const char *value)
{
    const char *text = str_of(obj, key);

    return text != NULL && strcmp(text, value) == 0;
}

static bool has_role(const json_t *membership, const char *role)
{
    size_t i;
    json_t *r;

    json_array_foreach(json_object_get(membership, "roles"), i, r)
    {
        if (strcmp(json_string_value(r), role) == 0) {
            return true;
        }
    }
    return false;
}

/* Signs email in and reads its role in its active company. */
static struct role role_of(struct fixture *f, const char *email)
{
    const json_t *user = sim_test_util_user(f->data, email);
    struct role r = {.id = int_of(user, "id"),
                     .company = int_of(user, "company_id")};
    size_t i;
    json_t *m;

    json_array_foreach(json_object_get(f->data, "memberships"), i, m)
    {
        if (int_of(m, "user_id") == r.id &&
            int_of(m, "company_id") == r.company) {
            r.sees_all = has_role(m, "manager") || has_role(m, "accountant");
            r.money_checker = has_role(m, "money_checker");
        }
    }
    assert_int_equal(sim_test_util_sign_in(f->sim, email,
                                           str_of(user, "password"), r.token,
                                           sizeof(r.token)),
                     200);
    return r;
}

static bool names(const json_t *ids, json_int_t id)
{
    size_t i;
    json_t *v;

    json_array_foreach(ids, i, v)
    {
        if (json_integer_value(v) == id) {
            return true;
        }
    }
    return false;
}

/* The contract's rule: waiting for r when in review and naming r, or for
 * the money checker any item in review. */
static bool waits_for(const struct role *r, const json_t *item)
{
    return int_of(item, "company_id") == r->company &&
           is(item, "state", "reviewing") &&
           (r->money_checker ||
            names(json_object_get(item, "current_approvers_ids"), r->id));
}

static bool sees(const struct role *r, const json_t *item)
{
    if (int_of(item, "company_id") != r->company) {
        return false;
    }
    if (int_of(item, "user_id") == r->id) {
        return true;
    }
    if (is(item, "state", "draft")) {
        return false;
    }
    return r->sees_all || waits_for(r, item);
}

static int by_id(const void *a, const void *b)
{
    json_int_t x = *(const json_int_t *)a;
    json_int_t y = *(const json_int_t *)b;

    return (x > y) - (x < y);
}

/* The ids of an array of objects, sorted; the caller frees. */
static json_int_t *ids_of(const json_t *list, size_t *n)
{
    json_int_t *ids = calloc(json_array_size(list) + 1, sizeof(*ids));
    size_t i;
    json_t *item;

    assert_non_null(ids);
    json_array_foreach(list, i, item)
    {
        ids[i] = int_of(item, "id");
    }
    *n = json_array_size(list);
    qsort(ids, *n, sizeof(*ids), by_id);
    return ids;
}

/* Fails unless got holds exactly the objects of want (by id). */
static void assert_same_ids(const json_t *got, const json_t *want)
{
    size_t n_got;
    size_t n_want;
    json_int_t *a = ids_of(got, &n_got);
    json_int_t *b = ids_of(want, &n_want);

    assert_int_equal(n_got, n_want);
    assert_memory_equal(a, b, n_got * sizeof(*a));
    free(a);
    free(b);
}

typedef bool (*item_test)(const struct role *r, const json_t *item,
                          const char *arg);

/* The items of data.json's list key that test accepts; borrowed refs in a
 * new array. */
static json_t *expected(const json_t *data, const char *key,
                        const struct role *r, item_test test, const char *arg)
{
    json_t *out = json_array();
    size_t i;
    json_t *item;

    json_array_foreach(json_object_get(data, key), i, item)
    {
        if (test(r, item, arg)) {
            json_array_append(out, item);
        }
    }
    return out;
}

static bool seen_in_state(const struct role *r, const json_t *item,
                          const char *state)
{
    return sees(r, item) && (state == NULL || is(item, "state", state));
}

static bool waiting(const struct role *r, const json_t *item, const char *arg)
{
    (void)arg;
    return waits_for(r, item);
}

/* Every page of path (ending in '?' or '&') at per_page, until a short
 * page; the rows in one new array. */
static json_t *all_pages(struct fixture *f, const char *path, const char *token,
                         size_t per_page)
{
    json_t *all = json_array();
    size_t got = per_page;
    char url[256];

    for (int page = 1; got == per_page; page++) {
        json_t *list;

        snprintf(url, sizeof(url), "%sper_page=%zu&page=%d", path, per_page,
                 page);
        list = get_ok(f, url, token);
        assert_true(json_is_array(list));
        got = json_array_size(list);
        assert_true(got <= per_page);
        json_array_extend(all, list);
        json_decref(list);
    }
    return all;
}

/* ---- fixture ---- */

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (f == NULL) {
        return -1;
    }
    f->data = json_load_file(DATA_JSON, 0, NULL);
    if (f->data == NULL || support_sim_start(0, &f->sim) != 0) {
        json_decref(f->data);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    support_sim_stop(&f->sim);
    json_decref(f->data);
    free(f);
    return 0;
}

/* ---- the four expense lists ---- */

/* Without a token every view answers 401; a zero id is no route. */
static void test_sim_views_list_no_token(void **state)
{
    static const char *const paths[] = {
        "/api/transactions",    "/api/trips",    "/api/daily_allowances",
        "/api/rewards",         "/api/trips/1",  "/api/expenses",
        "/api/archive",         "/api/accounts", "/api/cost_centers",
        "/api/batch_documents", "/api/company",  "/api/users"};
    struct fixture *f = *state;
    struct role r = role_of(f, OSKARI);

    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        get_error(f, paths[i], NULL, 401);
    }
    get_error(f, "/api/rewards/0", r.token, 404);
    get_error(f, "/api/trips/abc", r.token, 404);
}

/* Newest date first, then the highest id, as the contract orders. */
static void assert_ordered(const json_t *list)
{
    for (size_t i = 1; i < json_array_size(list); i++) {
        const json_t *a = json_array_get(list, i - 1);
        const json_t *b = json_array_get(list, i);
        int by_date = strcmp(str_of(a, "date"), str_of(b, "date"));

        assert_true(by_date > 0 ||
                    (by_date == 0 && int_of(a, "id") > int_of(b, "id")));
    }
}

/* Each role sees exactly the items the contract gives it, of every
 * kind, and each item carries its type and owner. */
static void test_sim_views_list_by_role(void **state)
{
    struct fixture *f = *state;
    char path[64];
    char tag[64];

    for (size_t p = 0; p < sizeof(people_318) / sizeof(*people_318); p++) {
        struct role r = role_of(f, people_318[p]);

        assert_int_equal(r.company, BIG);
        for (size_t k = 0; k < N_KINDS; k++) {
            json_t *want =
                expected(f->data, kinds[k][0], &r, seen_in_state, NULL);
            json_t *got;
            size_t i;
            json_t *item;

            snprintf(path, sizeof(path), "/api/%s?", kinds[k][1]);
            got = all_pages(f, path, r.token, 1000);
            assert_true(json_array_size(want) > 0);
            assert_same_ids(got, want);
            assert_ordered(got);
            json_array_foreach(got, i, item)
            {
                snprintf(tag, sizeof(tag), "%s-%lld", kinds[k][2],
                         (long long)int_of(item, "id"));
                assert_string_equal(str_of(item, "_id"), tag);
                assert_string_equal(str_of(item, "type"), kinds[k][2]);
                assert_non_null(str_of(item, "user_name"));
            }
            json_decref(got);
            json_decref(want);
        }
    }
}

/* The roles differ where they should: Oskari only his own, Riikka also
 * others' items in review that name her, Tapio every item in review,
 * Pekka all but others' drafts. */
static void test_sim_views_list_role_facts(void **state)
{
    struct fixture *f = *state;
    struct role oskari = role_of(f, OSKARI);
    struct role riikka = role_of(f, RIIKKA);
    struct role tapio = role_of(f, TAPIO);
    struct role pekka = role_of(f, PEKKA);
    json_t *list;
    size_t i;
    size_t others = 0;
    json_t *item;

    list = get_ok(f, "/api/transactions?per_page=1000", oskari.token);
    json_array_foreach(list, i, item)
    {
        assert_int_equal(int_of(item, "user_id"), oskari.id);
    }
    json_decref(list);
    list = get_ok(f, "/api/transactions?per_page=1000", riikka.token);
    json_array_foreach(list, i, item)
    {
        if (int_of(item, "user_id") == riikka.id) {
            continue;
        }
        others++;
        assert_string_equal(str_of(item, "state"), "reviewing");
        assert_true(
            names(json_object_get(item, "current_approvers_ids"), riikka.id));
    }
    assert_true(others > 0);
    json_decref(list);
    list = get_ok(f, "/api/transactions?state=reviewing&per_page=1000",
                  tapio.token);
    item = expected(f->data, "receipts", &pekka, seen_in_state, "reviewing");
    /* The manager sees every item in review too: the same set. */
    assert_same_ids(list, item);
    json_decref(item);
    json_decref(list);
    list =
        get_ok(f, "/api/transactions?state=draft&per_page=1000", pekka.token);
    json_array_foreach(list, i, item)
    {
        assert_int_equal(int_of(item, "user_id"), pekka.id);
    }
    json_decref(list);
}

/* Paging walks to a short page, the default is 10, far past the end is
 * an empty array, and per_page above 1000 is clamped, not refused. */
static void test_sim_views_list_paging(void **state)
{
    struct fixture *f = *state;
    struct role r = role_of(f, PEKKA);
    json_t *want = expected(f->data, "trips", &r, seen_in_state, NULL);
    json_t *got = all_pages(f, "/api/trips?", r.token, 7);
    json_t *list;

    assert_true(json_array_size(want) > 100);
    assert_same_ids(got, want);
    json_decref(got);
    list = get_ok(f, "/api/daily_allowances", r.token);
    assert_int_equal(json_array_size(list), 10);
    json_decref(list);
    list = get_ok(f, "/api/rewards?page=999999&per_page=50", r.token);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    list = get_ok(f, "/api/trips?per_page=5000", r.token);
    assert_int_equal(json_array_size(list), json_array_size(want));
    json_decref(list);
    get_error(f, "/api/trips?page=0", r.token, 400);
    get_error(f, "/api/rewards?per_page=x", r.token, 400);
    json_decref(want);
}

/* state selects one state; "accounting" is accounted; unknown is 400. */
static void test_sim_views_list_state_filter(void **state)
{
    struct fixture *f = *state;
    struct role r = role_of(f, RIIKKA);
    char path[96];

    for (size_t k = 0; k < N_KINDS; k++) {
        json_t *want =
            expected(f->data, kinds[k][0], &r, seen_in_state, "accounted");
        json_t *got;

        snprintf(path, sizeof(path), "/api/%s?state=accounting&", kinds[k][1]);
        got = all_pages(f, path, r.token, 1000);
        assert_same_ids(got, want);
        json_decref(got);
        json_decref(want);
        want = expected(f->data, kinds[k][0], &r, seen_in_state, "reviewing");
        snprintf(path, sizeof(path), "/api/%s?state=reviewing&", kinds[k][1]);
        got = all_pages(f, path, r.token, 1000);
        assert_same_ids(got, want);
        json_decref(got);
        json_decref(want);
        snprintf(path, sizeof(path), "/api/%s?state=lost", kinds[k][1]);
        get_error(f, path, r.token, 400);
    }
}

/* The first item of key in data.json for which test holds; fails the
 * test without one. */
static const json_t *find_item(const json_t *data, const char *key,
                               const struct role *r, item_test test,
                               const char *arg)
{
    size_t i;
    json_t *item;

    json_array_foreach(json_object_get(data, key), i, item)
    {
        if (test(r, item, arg)) {
            return item;
        }
    }
    fail_msg("no %s item fits", key);
    return NULL;
}

static bool other_company(const struct role *r, const json_t *item,
                          const char *arg)
{
    (void)arg;
    return int_of(item, "company_id") != r->company;
}

/* Another person's item in r's company that r may not see. */
static bool hidden(const struct role *r, const json_t *item, const char *arg)
{
    (void)arg;
    return int_of(item, "company_id") == r->company && !sees(r, item);
}

static bool seen_not_own(const struct role *r, const json_t *item,
                         const char *arg)
{
    (void)arg;
    return sees(r, item) && int_of(item, "user_id") != r->id;
}

static void show(struct fixture *f, const struct role *r, size_t kind,
                 const json_t *item, long status)
{
    char path[96];

    snprintf(path, sizeof(path), "/api/%s/%lld", kinds[kind][1],
             (long long)int_of(item, "id"));
    if (status != 200) {
        get_error(f, path, r->token, status);
        return;
    }
    json_decref(get_ok(f, path, r->token));
}

/* Show answers a visible item and 404 for another company's item or a
 * colleague's item the role may not see, for every kind. */
static void test_sim_views_show_scoped(void **state)
{
    struct fixture *f = *state;
    struct role riikka = role_of(f, RIIKKA);
    struct role pekka = role_of(f, PEKKA);

    for (size_t k = 0; k < N_KINDS; k++) {
        const char *key = kinds[k][0];

        show(f, &pekka, k, find_item(f->data, key, &pekka, other_company, 0),
             404);
        show(f, &pekka, k, find_item(f->data, key, &pekka, seen_not_own, 0),
             200);
        show(f, &pekka, k, find_item(f->data, key, &pekka, hidden, 0), 404);
        show(f, &riikka, k, find_item(f->data, key, &riikka, hidden, 0), 404);
        show(f, &riikka, k, find_item(f->data, key, &riikka, seen_not_own, 0),
             200);
    }
}

/* ---- item fields ---- */

static const char *user_name(const json_t *data, json_int_t id)
{
    size_t i;
    json_t *u;

    json_array_foreach(json_object_get(data, "users"), i, u)
    {
        if (int_of(u, "id") == id) {
            return str_of(u, "name");
        }
    }
    return NULL;
}

/* approvers names the current approvers, approved_by_ids are digit
 * strings, cost_centers expand cost_center_ids, batch fields only when
 * accounted. */
static void assert_common_fields(const json_t *data, const json_t *item)
{
    const json_t *waiting = json_object_get(item, "current_approvers_ids");
    const json_t *centers = json_object_get(item, "cost_centers");
    const json_t *ids = json_object_get(item, "cost_center_ids");
    bool accounted = is(item, "state", "accounted");
    size_t i;
    json_t *v;

    assert_int_equal(json_array_size(json_object_get(item, "approvers")),
                     json_array_size(waiting));
    json_array_foreach(waiting, i, v)
    {
        assert_string_equal(json_string_value(json_array_get(
                                json_object_get(item, "approvers"), i)),
                            user_name(data, json_integer_value(v)));
    }
    json_array_foreach(json_object_get(item, "approved_by_ids"), i, v)
    {
        assert_true(strspn(json_string_value(v), "0123456789") ==
                    strlen(json_string_value(v)));
        assert_string_equal(
            json_string_value(
                json_array_get(json_object_get(item, "approved_by"), i)),
            user_name(data, strtoll(json_string_value(v), NULL, 10)));
    }
    assert_int_equal(
        json_is_null(json_object_get(item, "approved_by")),
        json_array_size(json_object_get(item, "approved_by_ids")) == 0);
    assert_int_equal(json_array_size(centers), json_array_size(ids));
    json_array_foreach(centers, i, v)
    {
        assert_int_equal(int_of(v, "id"),
                         json_integer_value(json_array_get(ids, i)));
        assert_non_null(str_of(v, "dimension_name"));
    }
    assert_true(json_is_array(json_object_get(item, "comments")));
    assert_true(json_is_array(json_object_get(item, "documents")));
    assert_int_equal(str_of(item, "batch_reference_number") != NULL, accounted);
    assert_int_equal(str_of(item, "batch_date") != NULL, accounted);
}

/* The fields each kind adds, with the types the contract gives them. */
static void assert_kind_fields(size_t kind, const json_t *item)
{
    const json_t *entry = json_array_get(json_object_get(item, "entries"), 0);

    if (kind == 0) {
        assert_non_null(str_of(item, "total_cost"));
        assert_true(json_array_size(json_object_get(item, "vat_lines")) > 0);
        assert_non_null(
            str_of(json_array_get(json_object_get(item, "vat_lines"), 0),
                   "vat_percent"));
        assert_true(
            json_is_integer(json_object_get(item, "credit_account_id")));
    } else if (kind == 1) {
        assert_true(json_is_string(json_object_get(entry, "number_of_people")));
        assert_true(json_is_string(json_object_get(entry, "emissions")));
        assert_true(json_is_integer(json_object_get(entry, "cost_cents")));
        assert_non_null(str_of(json_object_get(item, "vehicle"), "name"));
    } else if (kind == 2) {
        assert_true(json_is_number(json_object_get(item, "subtotal")));
        assert_true(json_is_integer(json_object_get(entry, "start_time")));
        assert_true(json_is_array(json_object_get(item, "free_meal_days")));
    } else {
        assert_non_null(str_of(json_object_get(item, "reward_type"), "name"));
        assert_non_null(str_of(item, "total_tax_amount"));
        assert_non_null(str_of(item, "start_time"));
    }
}

static void test_sim_views_item_fields(void **state)
{
    struct fixture *f = *state;
    struct role r = role_of(f, PEKKA);
    char path[64];

    for (size_t k = 0; k < N_KINDS; k++) {
        json_t *list;
        size_t i;
        json_t *item;

        snprintf(path, sizeof(path), "/api/%s?per_page=1000", kinds[k][1]);
        list = get_ok(f, path, r.token);
        json_array_foreach(list, i, item)
        {
            assert_common_fields(f->data, item);
            assert_kind_fields(k, item);
        }
        json_decref(list);
    }
}

/* The hostile descriptions reach the client byte for byte. */
static void test_sim_views_item_hostile_text(void **state)
{
    struct fixture *f = *state;
    struct role r = role_of(f, PEKKA);
    json_t *list = get_ok(f, "/api/transactions?per_page=1000", r.token);
    bool quote = false;
    bool newline = false;
    bool longest = false;
    size_t i;
    json_t *item;

    json_array_foreach(list, i, item)
    {
        const char *text = str_of(item, "description");

        quote |= strchr(text, '"') != NULL && strchr(text, ',') != NULL;
        newline |= strchr(text, '\n') != NULL;
        longest |= strlen(text) > 300;
    }
    assert_true(quote);
    assert_true(newline);
    assert_true(longest);
    json_decref(list);
}

/* ---- /api/expenses ---- */

/* Fails unless answer[key] holds exactly want's ids. */
static void assert_group(const json_t *answer, const char *key,
                         const json_t *want)
{
    const json_t *got = json_object_get(answer, key);

    if (!json_is_array(got)) {
        fail_msg("expenses has no array %s", key);
    }
    assert_same_ids(got, want);
}

static bool open_seen(const struct role *r, const json_t *item,
                      const char *state)
{
    return seen_in_state(r, item, state);
}

/* The ISO batch dates of the batches holding an item r may see. */
static json_t *visible_batch_dates(const json_t *data, const struct role *r);

static void test_sim_views_expenses_by_role(void **state)
{
    struct fixture *f = *state;
    char key[64];

    for (size_t p = 0; p < sizeof(people_318) / sizeof(*people_318); p++) {
        struct role r = role_of(f, people_318[p]);
        json_t *answer = get_ok(f, "/api/expenses", r.token);
        json_t *dates = visible_batch_dates(f->data, &r);

        for (size_t k = 0; k < N_KINDS; k++) {
            json_t *want = expected(f->data, kinds[k][0], &r, waiting, NULL);

            snprintf(key, sizeof(key), "%s_on_review", kinds[k][1]);
            assert_group(answer, key, want);
            json_decref(want);
            for (size_t s = 0; s < 4; s++) {
                want = expected(f->data, kinds[k][0], &r, open_seen,
                                open_states[s]);
                snprintf(key, sizeof(key), "%s_in_%s", kinds[k][1],
                         open_states[s]);
                assert_group(answer, key, want);
                json_decref(want);
            }
        }
        assert_true(json_equal(json_object_get(answer, "batch_dates"), dates));
        json_decref(dates);
        json_decref(answer);
    }
}

/* Nobody names Oskari, and he checks no money: nothing waits for him;
 * Tapio has every item in review waiting. */
static void test_sim_views_expenses_on_review(void **state)
{
    struct fixture *f = *state;
    struct role oskari = role_of(f, OSKARI);
    struct role tapio = role_of(f, TAPIO);
    json_t *answer = get_ok(f, "/api/expenses", oskari.token);
    json_t *reviewing =
        get_ok(f, "/api/transactions?state=reviewing&per_page=1000",
               role_of(f, PEKKA).token);

    for (size_t k = 0; k < N_KINDS; k++) {
        char key[64];

        snprintf(key, sizeof(key), "%s_on_review", kinds[k][1]);
        assert_int_equal(json_array_size(json_object_get(answer, key)), 0);
    }
    json_decref(answer);
    answer = get_ok(f, "/api/expenses", tapio.token);
    assert_group(answer, "transactions_on_review", reviewing);
    assert_true(json_array_size(reviewing) > 50);
    json_decref(reviewing);
    json_decref(answer);
}

/* ---- /api/archive and batches ---- */

static bool in_batch(const json_t *item, const json_t *batch)
{
    return int_of(item, "company_id") == int_of(batch, "company_id") &&
           is(item, "batch_reference_number",
              str_of(batch, "reference_number"));
}

/* True when batch holds an item r sees (own_only: r's own item). */
static bool batch_holds(const json_t *data, const struct role *r,
                        const json_t *batch, bool own_only)
{
    for (size_t k = 0; k < N_KINDS; k++) {
        size_t i;
        json_t *item;

        json_array_foreach(json_object_get(data, kinds[k][0]), i, item)
        {
            if (in_batch(item, batch) &&
                (own_only ? int_of(item, "user_id") == r->id : sees(r, item))) {
                return true;
            }
        }
    }
    return false;
}

static int newest_batch_first(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a;
    const json_t *y = *(json_t *const *)b;
    int by_date = strcmp(str_of(y, "created_at"), str_of(x, "created_at"));

    if (by_date != 0) {
        return by_date;
    }
    return (int_of(y, "id") > int_of(x, "id")) -
           (int_of(y, "id") < int_of(x, "id"));
}

/* r's company's batches, newest first: all (all), those with an item r
 * sees (own_only false) or with r's own item (own_only true). */
static json_t *batches_for(const json_t *data, const struct role *r, bool all,
                           bool own_only)
{
    const json_t *batches = json_object_get(data, "batch_documents");
    json_t **sorted = calloc(json_array_size(batches) + 1, sizeof(*sorted));
    json_t *out = json_array();
    size_t n = 0;
    size_t i;
    json_t *batch;

    assert_non_null(sorted);
    json_array_foreach(batches, i, batch)
    {
        if (int_of(batch, "company_id") == r->company &&
            (all || batch_holds(data, r, batch, own_only))) {
            sorted[n++] = batch;
        }
    }
    qsort(sorted, n, sizeof(*sorted), newest_batch_first);
    for (i = 0; i < n; i++) {
        json_array_append(out, sorted[i]);
    }
    free(sorted);
    return out;
}

static json_t *visible_batch_dates(const json_t *data, const struct role *r)
{
    json_t *batches = batches_for(data, r, false, false);
    json_t *dates = json_array();
    char text[40];
    size_t i;
    json_t *batch;

    json_array_foreach(batches, i, batch)
    {
        snprintf(text, sizeof(text), "%sT00:00:00.000Z",
                 str_of(batch, "created_at"));
        json_array_append_new(dates, json_string(text));
    }
    json_decref(batches);
    return dates;
}

static bool seen_in_batch(const struct role *r, const json_t *item,
                          const char *ref)
{
    return sees(r, item) && is(item, "batch_reference_number", ref);
}

/* One archive page: the batch's fields, has_more_items and the visible
 * items of every kind. */
static void assert_archive_page(const json_t *data, const struct role *r,
                                const json_t *answer, const json_t *batch,
                                bool more)
{
    const char *ref = str_of(batch, "reference_number");
    char key[64];

    assert_int_equal(json_is_true(json_object_get(answer, "has_more_items")),
                     more);
    assert_string_equal(str_of(answer, "batch_date"),
                        str_of(batch, "created_at"));
    assert_string_equal(str_of(answer, "batch_reference_number"), ref);
    for (size_t k = 0; k < N_KINDS; k++) {
        json_t *want = expected(data, kinds[k][0], r, seen_in_batch, ref);

        snprintf(key, sizeof(key), "%s_in_accounted", kinds[k][1]);
        assert_group(answer, key, want);
        json_decref(want);
    }
}

/* page=1.. walks the visible batches newest first, has_more_items true
 * until the last; past it the batch fields are null and the arrays
 * empty; a reference number answers that batch. */
static void test_sim_views_archive_chain(void **state)
{
    static const char *const who[] = {OSKARI, PEKKA};
    struct fixture *f = *state;
    char path[96];

    for (size_t p = 0; p < sizeof(who) / sizeof(*who); p++) {
        struct role r = role_of(f, who[p]);
        json_t *batches = batches_for(f->data, &r, false, false);
        size_t n = json_array_size(batches);
        json_t *answer;

        assert_true(n > 1);
        for (size_t i = 0; i <= n; i++) {
            snprintf(path, sizeof(path), "/api/archive?page=%zu", i + 1);
            answer = get_ok(f, path, r.token);
            if (i < n) {
                assert_archive_page(f->data, &r, answer,
                                    json_array_get(batches, i), i + 1 < n);
            } else {
                assert_true(
                    json_is_null(json_object_get(answer, "batch_date")));
                assert_false(
                    json_is_true(json_object_get(answer, "has_more_items")));
                assert_int_equal(json_array_size(json_object_get(
                                     answer, "trips_in_accounted")),
                                 0);
            }
            json_decref(answer);
        }
        snprintf(path, sizeof(path), "/api/archive?batch_reference_number=%s",
                 str_of(json_array_get(batches, n - 1), "reference_number"));
        answer = get_ok(f, path, r.token);
        assert_archive_page(f->data, &r, answer, json_array_get(batches, n - 1),
                            false);
        json_decref(answer);
        json_decref(batches);
    }
}

static void test_sim_views_archive_bad_query(void **state)
{
    struct fixture *f = *state;
    struct role r = role_of(f, OSKARI);
    json_t *answer = get_ok(f, "/api/archive", r.token);
    json_t *first = get_ok(f, "/api/archive?page=1", r.token);

    /* No page is page 1. */
    assert_true(json_equal(answer, first));
    json_decref(answer);
    json_decref(first);
    get_error(f, "/api/archive?page=0", r.token, 400);
    get_error(f, "/api/archive?batch_reference_number=RF00NONE", r.token, 404);
}

/* Managers list every batch of the company, others those holding an item
 * of theirs; pdf_file_url is under the sim's own origin or null. */
static void test_sim_views_batch_documents(void **state)
{
    static const char *const who[] = {PEKKA, OSKARI};
    struct fixture *f = *state;
    const char *origin = support_sim_url(f->sim);

    for (size_t p = 0; p < sizeof(who) / sizeof(*who); p++) {
        struct role r = role_of(f, who[p]);
        json_t *want = batches_for(f->data, &r, r.sees_all, true);
        json_t *got = all_pages(f, "/api/batch_documents?", r.token, 4);
        size_t i;
        json_t *batch;

        assert_true(json_array_size(want) > 1);
        assert_same_ids(got, want);
        json_array_foreach(got, i, batch)
        {
            const json_t *url = json_object_get(batch, "pdf_file_url");

            assert_int_equal(int_of(batch, "id"),
                             int_of(json_array_get(want, i), "id"));
            assert_true(
                json_is_null(url) ||
                strncmp(json_string_value(url), origin, strlen(origin)) == 0);
            assert_true(json_is_integer(json_object_get(batch, "item_count")));
            assert_non_null(str_of(batch, "total"));
        }
        json_decref(got);
        got = get_ok(f, "/api/batch_documents?skip_pagination=true&per_page=1",
                     r.token);
        assert_same_ids(got, want);
        json_decref(got);
        json_decref(want);
    }
}

/* ---- users ---- */

static bool member_of(const struct role *r, const json_t *m,
                      const char *accepted_only)
{
    return int_of(m, "company_id") == r->company &&
           (accepted_only == NULL || is(m, "state", "accepted"));
}

/* The user ids of the memberships test selects, sorted, as objects with
 * an "id" so that assert_same_ids can compare them. */
static json_t *member_ids(const json_t *data, const struct role *r,
                          const char *accepted_only)
{
    json_t *out = json_array();
    size_t i;
    json_t *m;

    json_array_foreach(json_object_get(data, "memberships"), i, m)
    {
        if (member_of(r, m, accepted_only)) {
            json_array_append_new(
                out, json_pack("{s:I}", "id", int_of(m, "user_id")));
        }
    }
    return out;
}

/* Oskari may not list users; the manager gets every member in pages that
 * end with a short one; Jussi, where employees see all users, the
 * accepted members. */
static void test_sim_views_users_by_role(void **state)
{
    struct fixture *f = *state;
    struct role oskari = role_of(f, OSKARI);
    struct role pekka = role_of(f, PEKKA);
    struct role jussi = role_of(f, JUSSI);
    json_t *want = member_ids(f->data, &pekka, NULL);
    json_t *got = all_pages(f, "/api/users?", pekka.token, 3);
    size_t i;
    json_t *u;

    get_error(f, "/api/users", oskari.token, 403);
    assert_int_equal(json_array_size(want) % 3 != 0, 1);
    assert_same_ids(got, want);
    json_array_foreach(got, i, u)
    {
        assert_true(json_is_integer(json_object_get(u, "sign_in_count")));
        assert_non_null(str_of(u, "locale"));
        assert_true(json_is_boolean(json_object_get(u, "email_is_confirmed")));
        assert_true(json_is_array(json_object_get(u, "roles")));
    }
    json_decref(got);
    json_decref(want);
    assert_int_equal(jussi.company, KAHVILA);
    assert_false(jussi.sees_all);
    want = member_ids(f->data, &jussi, "accepted");
    got = all_pages(f, "/api/users?", jussi.token, 1000);
    assert_true(json_array_size(want) > 1);
    assert_same_ids(got, want);
    json_decref(got);
    json_decref(want);
}

/* ---- reference data and the company ---- */

static bool in_company(const struct role *r, const json_t *row, const char *arg)
{
    (void)arg;
    return int_of(row, "company_id") == r->company;
}

/* Every accepted member gets the accounts and cost centers of the active
 * company, paged, the cost centers also all at once. */
static void test_sim_views_reference_lists(void **state)
{
    struct fixture *f = *state;
    struct role r = role_of(f, OSKARI);
    json_t *want = expected(f->data, "accounts", &r, in_company, NULL);
    json_t *got = all_pages(f, "/api/accounts?", r.token, 5);
    json_t *dims = json_object();
    size_t i;
    json_t *row;

    assert_true(json_array_size(want) > 20);
    assert_same_ids(got, want);
    json_array_foreach(got, i, row)
    {
        assert_true(json_is_string(json_object_get(row, "code")));
        assert_true(json_is_boolean(json_object_get(row, "deactivated")));
    }
    json_decref(got);
    json_decref(want);
    want = expected(f->data, "cost_centers", &r, in_company, NULL);
    got =
        get_ok(f, "/api/cost_centers?skip_pagination=true&per_page=2", r.token);
    assert_same_ids(got, want);
    json_array_foreach(got, i, row)
    {
        assert_true(json_is_integer(json_object_get(row, "deactivated")));
        json_object_set_new(dims, str_of(row, "dimension_name"), json_true());
    }
    assert_true(json_object_size(dims) >= 2);
    json_decref(got);
    got = all_pages(f, "/api/cost_centers?", r.token, 4);
    assert_same_ids(got, want);
    json_decref(got);
    json_decref(want);
    json_decref(dims);
}

/* /api/company is the full object and the same as home.company. */
static void test_sim_views_company(void **state)
{
    static const char *const keys[] = {"id",
                                       "name",
                                       "business_id",
                                       "locale",
                                       "schedule",
                                       "lock_until",
                                       "employees_see_all_users",
                                       "password_auth_disabled",
                                       "show_trip_form",
                                       "show_daily_allowance_form",
                                       "show_reward_form",
                                       "show_budgets",
                                       "okta_url",
                                       "default_approver_id",
                                       "created_at",
                                       "updated_at"};
    struct fixture *f = *state;
    struct role r = role_of(f, OSKARI);
    json_t *company = get_ok(f, "/api/company", r.token);
    json_t *home = get_ok(f, "/api/home", r.token);

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (json_object_get(company, keys[i]) == NULL) {
            fail_msg("company lacks %s", keys[i]);
        }
    }
    assert_int_equal(int_of(company, "id"), BIG);
    assert_true(json_equal(company, json_object_get(home, "company")));
    json_decref(company);
    json_decref(home);
}

/* An injected fault for one of the new paths answers there only. */
static void test_sim_views_fault_applies(void **state)
{
    static const char *const paths[] = {
        "/api/trips",        "/api/daily_allowances", "/api/rewards",
        "/api/expenses",     "/api/archive",          "/api/accounts",
        "/api/cost_centers", "/api/batch_documents"};
    struct fixture *f = *state;
    struct role r = role_of(f, AINO);
    char body[160];

    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"status\":503,\"count\":1,\"path\":\"%s\"}", paths[i]);
        assert_int_equal(support_sim_control(f->sim, "/sim/fault", body), 200);
        json_decref(get_ok(f, "/api/transactions", r.token));
        get_error(f, paths[i], r.token, 503);
        json_decref(get_ok(f, paths[i], r.token));
    }
}

#define WITH_SIM(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_SIM(test_sim_views_list_no_token),
        WITH_SIM(test_sim_views_list_by_role),
        WITH_SIM(test_sim_views_list_role_facts),
        WITH_SIM(test_sim_views_list_paging),
        WITH_SIM(test_sim_views_list_state_filter),
        WITH_SIM(test_sim_views_show_scoped),
        WITH_SIM(test_sim_views_item_fields),
        WITH_SIM(test_sim_views_item_hostile_text),
        WITH_SIM(test_sim_views_expenses_by_role),
        WITH_SIM(test_sim_views_expenses_on_review),
        WITH_SIM(test_sim_views_archive_chain),
        WITH_SIM(test_sim_views_archive_bad_query),
        WITH_SIM(test_sim_views_batch_documents),
        WITH_SIM(test_sim_views_users_by_role),
        WITH_SIM(test_sim_views_reference_lists),
        WITH_SIM(test_sim_views_company),
        WITH_SIM(test_sim_views_fault_applies),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
