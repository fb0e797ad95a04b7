/* A view's pages fetched in parallel against bezala-sim at a latency:
 * how many requests the server saw, how many at once, over how many
 * connections, the rows in the server's order, a 429 that makes the load
 * go one page at a time, and the requests of a company switch. Counts,
 * never wall time, are asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/http.h"
#include "core/pages.h"
#include "core/session.h"
#include "core/session_test.h"
#include "core/view.h"
#include "tests/core/fixture.h"
#include "tests/sim/sim_test_util.h"
#include "tests/support/sim.h"

#define AINO "aino.harkonen@demo.bezala.test"
#define BIG_COMPANY 318
#define OTHER_COMPANY 205
#define LATENCY_MS 100
#define SLOW_LATENCY_MS 1000
#define PER_PAGE 100

struct stats {
    long api_calls;
    long max_concurrent;
    long connections;
};

/* The fixture's sim, restarted with latency_ms on every answer. */
static int setup_at(void **state, int latency_ms)
{
    struct fixture *f;

    if (fixture_setup(state) != 0)
        return -1;
    f = *state;
    support_sim_stop(&f->sim);
    return support_sim_start(latency_ms, &f->sim);
}

static int setup(void **state)
{
    return setup_at(state, LATENCY_MS);
}

/* Two requests sent together must still both be at the server when the
 * first is answered, even from a client ten times slower (valgrind),
 * whose second request may wait for its own TLS handshake. */
static int setup_slow(void **state)
{
    return setup_at(state, SLOW_LATENCY_MS);
}

static struct stats stats(struct fixture *f, bool reset)
{
    struct sim_test_util_answer a = sim_test_util_call(
        f->sim, "POST", "/sim/stats", NULL, reset ? "{\"reset\":true}" : "{}");
    struct stats out;

    assert_int_equal(a.status, 200);
    out.api_calls =
        (long)json_integer_value(json_object_get(a.json, "api_calls"));
    out.max_concurrent =
        (long)json_integer_value(json_object_get(a.json, "max_concurrent"));
    out.connections =
        (long)json_integer_value(json_object_get(a.json, "connections"));
    json_decref(a.json);
    return out;
}

static void sign_in(struct fixture *f)
{
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
}

static void switch_to(struct fixture *f, int64_t company)
{
    uint64_t request = 0;

    assert_int_equal(core_session_switch(f->session, company, &request),
                     BASE_OK);
    assert_int_equal(core_session_finish(f->session, request), BASE_OK);
}

static size_t receipts(int64_t company)
{
    return fixture_accountant_receipts(company, fixture_user_id(AINO), NULL);
}

/* The pages of the receipts a list of rows needs: the last one short. */
static size_t pages_of(size_t rows)
{
    return rows / PER_PAGE + 1;
}

/* The receipt ids as the server sends them, page after page, read with
 * a token of its own. */
static void expect_server_order(struct fixture *f, const struct core_table *t)
{
    struct sim_test_util_answer a;
    char token[512];
    char path[128];
    size_t seen = 0;
    size_t page;
    size_t i;

    assert_int_equal(sim_test_util_sign_in(f->sim, AINO, fixture_password(AINO),
                                           token, sizeof(token)),
                     200);
    for (page = 1; page <= pages_of(t->count); page++) {
        snprintf(path, sizeof(path), "/api/transactions?page=%zu&per_page=%d",
                 page, PER_PAGE);
        a = sim_test_util_call(f->sim, "GET", path, token, NULL);
        assert_int_equal(a.status, 200);
        for (i = 0; i < json_array_size(a.json); i++, seen++) {
            assert_true(seen < t->count);
            assert_int_equal(t->rows[seen].id,
                             json_integer_value(json_object_get(
                                 json_array_get(a.json, i), "id")));
        }
        json_decref(a.json);
    }
    assert_int_equal(seen, t->count);
}

static void test_session_paging_pages_null(void **state)
{
    struct core_pages *pages = NULL;
    struct core_pages_result result;

    (void)state;
    memset(&result, 0, sizeof(result));
    assert_int_equal(core_pages_new(NULL, NULL, NULL, &pages), BASE_E_INVALID);
    assert_null(pages);
    assert_int_equal(core_pages_start(NULL, 1, "/api/trips"), BASE_E_INVALID);
    assert_false(core_pages_take(NULL, 1, &result));
    assert_int_equal(core_pages_in_flight(NULL), 0);
    assert_int_equal(core_http_throttled(NULL), 0);
    core_pages_reset(NULL);
    core_pages_result_clear(NULL);
    core_pages_result_clear(&result);
    core_pages_free(NULL);
    core_pages_free(&pages);
}

/* Several pages at a latency: never more than CORE_PAGES_MAX at once but
 * more than one, every page once, fewer than CORE_PAGES_MAX past the
 * end, over no more connections than requests at once, and the rows in
 * the server's order. */
static void test_session_paging_load_parallel_bounded(void **state)
{
    struct fixture *f = *state;
    size_t expected = receipts(BIG_COMPANY);
    size_t pages = pages_of(expected);
    const struct core_table *table;
    struct stats st;

    sign_in(f);
    switch_to(f, BIG_COMPANY);
    assert_true(pages >= 5);
    stats(f, true);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_RECEIPTS, NULL, NULL),
                     BASE_OK);
    st = stats(f, false);
    print_message("pages %zu, requests %ld, at once %ld, connections %ld\n",
                  pages, st.api_calls, st.max_concurrent, st.connections);
    assert_true(st.max_concurrent > 1);
    assert_true(st.max_concurrent <= CORE_PAGES_MAX);
    assert_true(st.api_calls >= (long)pages);
    assert_true(st.api_calls < (long)pages + CORE_PAGES_MAX);
    /* This stats call's own connection is counted too. */
    assert_true(st.connections <= CORE_PAGES_MAX + 1);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, expected);
    assert_int_equal(fixture_count(f, CORE_EV_PROGRESS, 0) >= pages, true);
    expect_server_order(f, table);
}

/* Calls one after another go over the connection already open. */
static void test_session_paging_connections_reused(void **state)
{
    struct fixture *f = *state;
    struct stats st;
    int i;

    sign_in(f);
    stats(f, true);
    for (i = 0; i < 3; i++)
        assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    st = stats(f, false);
    assert_int_equal(st.api_calls, 3);
    assert_int_equal(st.max_concurrent, 1);
    /* Only the stats call's own. */
    assert_int_equal(st.connections, 1);
}

/* A limit asks for its pages only, nothing past them. */
static void test_session_paging_limit_no_extra_pages(void **state)
{
    struct fixture *f = *state;
    struct core_view_query query = {NULL, 2 * PER_PAGE + 50};
    struct stats st;

    sign_in(f);
    switch_to(f, BIG_COMPANY);
    assert_true(receipts(BIG_COMPANY) > query.limit);
    stats(f, true);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_RECEIPTS, &query, NULL),
                     BASE_OK);
    st = stats(f, false);
    assert_int_equal(st.api_calls, 3);
    assert_true(st.max_concurrent <= 2);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), query.limit);
}

/* A 429 on the first page (waited out as Retry-After says) makes the rest
 * of the load go one page at a time: nothing at once, nothing past the
 * end, every row in order. */
static void test_session_paging_429_goes_sequential(void **state)
{
    struct fixture *f = *state;
    size_t expected = receipts(BIG_COMPANY);
    struct stats st;

    sign_in(f);
    switch_to(f, BIG_COMPANY);
    stats(f, true);
    fixture_control(f, "/sim/fault",
                    "{\"count\":1,\"path\":\"/api/transactions\","
                    "\"status\":429,\"retry_after\":1}");
    assert_int_equal(fixture_load_view(f, CORE_VIEW_RECEIPTS, NULL, NULL),
                     BASE_OK);
    st = stats(f, false);
    assert_int_equal(st.max_concurrent, 1);
    assert_int_equal(st.api_calls, (long)pages_of(expected) + 1);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), expected);
    expect_server_order(f, core_session_view(f->session, CORE_VIEW_RECEIPTS));
}

/* The fault the event callback sets at the first page of a list. */
static const char *fault_at_first_page;

/* The company another session switches the server to at the first page
 * of a list (0: none). */
static int64_t switch_at_first_page;

static void on_event_fault(const struct core_event *event, void *user)
{
    struct fixture *f = user;
    const char *fault = fault_at_first_page;
    char body[160];

    if (event->kind != CORE_EV_PROGRESS)
        return;
    if (switch_at_first_page) {
        snprintf(body, sizeof(body), "{\"email\":\"%s\",\"company_id\":%lld}",
                 AINO, (long long)switch_at_first_page);
        switch_at_first_page = 0;
        fixture_control(f, "/sim/switch", body);
    }
    if (!fault)
        return;
    fault_at_first_page = NULL;
    fixture_control(f, "/sim/fault", fault);
}

/* A session whose callback sets fault_at_first_page and makes the switch
 * of switch_at_first_page; no events kept. */
static void open_faulting(struct fixture *f)
{
    struct core_callbacks callbacks = {on_event_fault, f};
    struct core_config config;

    memset(&config, 0, sizeof(config));
    config.server = support_sim_url(f->sim);
    config.cacert = support_sim_cacert(f->sim);
    config.data_dir = f->data_dir;
    config.key_dir = f->key_dir;
    config.email = AINO;
    core_session_free(&f->session);
    assert_int_equal(core_session_new(&config, &callbacks, &f->session),
                     BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
}

/* After the first page, the next page to reach the server answers 503
 * and is asked again later: the pages behind it arrive first and wait,
 * and the rows still come in the server's order. */
static void test_session_paging_late_page_waited_for(void **state)
{
    struct fixture *f = *state;
    size_t expected = receipts(BIG_COMPANY);
    size_t pages = pages_of(expected);
    struct stats st;

    open_faulting(f);
    switch_to(f, BIG_COMPANY);
    stats(f, true);
    fault_at_first_page = "{\"count\":1,\"path\":\"/api/transactions\","
                          "\"status\":503}";
    assert_int_equal(fixture_load_view(f, CORE_VIEW_RECEIPTS, NULL, NULL),
                     BASE_OK);
    assert_null(fault_at_first_page);
    st = stats(f, false);
    assert_true(st.api_calls >= (long)pages + 1);
    assert_true(st.api_calls < (long)pages + 1 + CORE_PAGES_MAX);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), expected);
    expect_server_order(f, core_session_view(f->session, CORE_VIEW_RECEIPTS));
}

/* The id of the receipts load made when the switch was confirmed. */
static uint64_t loaded_at_switch;

/* Loads the receipts the moment the switch is confirmed, as the UI does. */
static void load_at_switch(struct fixture *f, const struct core_event *event)
{
    if (event->kind != CORE_EV_SWITCHED)
        return;
    assert_int_equal(core_session_load_view(f->session, CORE_VIEW_RECEIPTS,
                                            NULL, &loaded_at_switch),
                     BASE_OK);
}

/* A switch while a view is on screen: the PUT, then the confirmation and
 * the new company's first page at once; the old rows are gone when the
 * switch starts. A load of the view made when the switch is confirmed
 * goes on with that list instead of starting again, whether the first
 * page came before the confirmation or comes after it. */
static void test_session_paging_switch_first_page_at_once(void **state)
{
    struct fixture *f = *state;
    size_t expected = receipts(OTHER_COMPANY);
    uint64_t request = 0;
    struct stats st;

    sign_in(f);
    switch_to(f, BIG_COMPANY);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_RECEIPTS, NULL, NULL),
                     BASE_OK);
    assert_true(expected > 0 && expected < PER_PAGE);
    stats(f, true);
    loaded_at_switch = 0;
    f->after_event = load_at_switch;
    assert_int_equal(core_session_switch(f->session, OTHER_COMPANY, &request),
                     BASE_OK);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), 0);
    assert_int_equal(core_session_finish(f->session, request), BASE_OK);
    f->after_event = NULL;
    assert_int_not_equal(loaded_at_switch, 0);
    assert_int_equal(core_session_finish(f->session, loaded_at_switch),
                     BASE_OK);
    st = stats(f, false);
    /* PUT, then GET /api/company beside the first page; nothing more. */
    assert_int_equal(st.api_calls, 3);
    assert_int_equal(st.max_concurrent, 2);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), expected);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, loaded_at_switch), 1);
}

/* The rows of view cached for the session's company (0: none). */
static size_t cached_rows(struct fixture *f, enum core_view view)
{
    assert_int_equal(core_session_view_cached(f->session, view), BASE_OK);
    return core_session_view(f->session, view)->count;
}

/* Loads the receipts of BIG_COMPANY while another session moves the
 * server to OTHER_COMPANY at the first page: the list fails as changed
 * elsewhere, the session follows the server, no row is kept. */
static void receipts_moved_at_first_page(struct fixture *f)
{
    uint64_t view = 0;

    switch_at_first_page = OTHER_COMPANY;
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_RECEIPTS, NULL, &view),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, view), BASE_E_MOVED);
    assert_int_equal(switch_at_first_page, 0);
    assert_true(core_session_changed_elsewhere(f->session));
    assert_int_equal(core_session_company_id(f->session), OTHER_COMPANY);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), 0);
}

/* Another session moves the server to a company with fewer receipts than
 * a page while a longer list loads: the pages after the first come back
 * empty, as if the list ended there. The server is asked where it is
 * before the list counts as complete; it fails as changed elsewhere, the
 * session follows the server, and the first page is neither kept nor
 * cached as the old company's whole list. */
static void test_session_paging_moved_mid_list_fails(void **state)
{
    struct fixture *f = *state;

    open_faulting(f);
    switch_to(f, BIG_COMPANY);
    assert_true(receipts(BIG_COMPANY) > 2 * PER_PAGE);
    assert_true(receipts(OTHER_COMPANY) < PER_PAGE);
    receipts_moved_at_first_page(f);
    fixture_control(f, "/sim/switch",
                    "{\"email\":\"" AINO "\",\"company_id\":318}");
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(core_session_company_id(f->session), BIG_COMPANY);
    assert_int_equal(cached_rows(f, CORE_VIEW_RECEIPTS), 0);
}

/* The same move where the other company has rows on the pages that
 * follow: a page of its rows after the view's is a move elsewhere, not
 * an answer that mixes companies. */
static void test_session_paging_moved_onto_rows_fails(void **state)
{
    struct fixture *f = *state;

    open_faulting(f);
    switch_to(f, BIG_COMPANY);
    core_session_test_per_page(10);
    assert_true(receipts(OTHER_COMPANY) > 2 * 10);
    receipts_moved_at_first_page(f);
}

/* A move seen by a list's check while the server's answer to an earlier
 * look at home is still on its way: that answer names the company just
 * followed, and the move stays "changed elsewhere" rather than being
 * taken back by it. */
static void test_session_paging_move_outlives_earlier_look(void **state)
{
    struct fixture *f = *state;
    uint64_t home = 0;
    uint64_t view = 0;

    sign_in(f);
    switch_to(f, BIG_COMPANY);
    fixture_control(f, "/sim/switch",
                    "{\"email\":\"" AINO "\",\"company_id\":205}");
    fixture_control(f, "/sim/fault",
                    "{\"delay_ms\":2000,\"count\":1,\"path\":\"/api/home\"}");
    assert_int_equal(core_session_load_home(f->session, &home), BASE_OK);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_COST_CENTERS, NULL, &view),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, view), BASE_E_MOVED);
    assert_true(core_session_changed_elsewhere(f->session));
    assert_int_equal(core_session_finish(f->session, home), BASE_OK);
    assert_int_equal(core_session_company_id(f->session), OTHER_COMPANY);
    assert_true(core_session_changed_elsewhere(f->session));
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 1);
}

/* A list whose rows fill its pages exactly ends on an empty page: after
 * one question about the server's company it is whole, and cached. (At
 * the slow latency, so that the pages asked for with the empty one have
 * all reached the server before the list ends and drops them.) */
static void test_session_paging_exact_pages_complete(void **state)
{
    struct fixture *f = *state;
    size_t expected = receipts(OTHER_COMPANY);
    struct core_view_state st;

    sign_in(f);
    switch_to(f, OTHER_COMPANY);
    assert_true(expected > 1);
    core_session_test_per_page(expected);
    stats(f, true);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_RECEIPTS, NULL, NULL),
                     BASE_OK);
    /* The full first page, the next CORE_PAGES_MAX pages asked for at
     * once, then GET /api/company. */
    assert_int_equal(stats(f, false).api_calls, 1 + CORE_PAGES_MAX + 1);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &st);
    assert_true(st.complete);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), expected);
    assert_int_equal(cached_rows(f, CORE_VIEW_RECEIPTS), expected);
}

/* Cost centers do not name their company: a list of several pages moved
 * elsewhere after its first page would take the other company's rows
 * for its own, so its end is checked too and it fails. */
static void test_session_paging_unnamed_rows_moved_fails(void **state)
{
    struct fixture *f = *state;
    uint64_t view = 0;

    open_faulting(f);
    switch_to(f, BIG_COMPANY);
    core_session_test_per_page(2);
    switch_at_first_page = OTHER_COMPANY;
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_COST_CENTERS, NULL, &view),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, view), BASE_E_MOVED);
    assert_int_equal(core_session_company_id(f->session), OTHER_COMPANY);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_COST_CENTERS), 0);
}

/* A list of one page whose rows do not name their company, asked for
 * after another session moved the server: the server's answer is the
 * other company's, so the check after it fails the list, and nothing is
 * cached as the old company's. */
static void test_session_paging_unnamed_one_page_moved_fails(void **state)
{
    struct fixture *f = *state;

    sign_in(f);
    switch_to(f, BIG_COMPANY);
    fixture_control(f, "/sim/switch",
                    "{\"email\":\"" AINO "\",\"company_id\":205}");
    assert_int_equal(fixture_load_view(f, CORE_VIEW_COST_CENTERS, NULL, NULL),
                     BASE_E_MOVED);
    assert_int_equal(core_session_company_id(f->session), OTHER_COMPANY);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_COST_CENTERS), 0);
    switch_to(f, BIG_COMPANY);
    assert_int_equal(cached_rows(f, CORE_VIEW_COST_CENTERS), 0);
}

/* The same list with nothing moved is whole after the check. */
static void test_session_paging_unnamed_rows_complete(void **state)
{
    struct fixture *f = *state;
    struct core_view_state st;

    sign_in(f);
    switch_to(f, BIG_COMPANY);
    core_session_test_per_page(2);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_COST_CENTERS, NULL, NULL),
                     BASE_OK);
    core_session_view_state(f->session, CORE_VIEW_COST_CENTERS, &st);
    assert_true(st.complete);
    assert_true(fixture_view_rows(f, CORE_VIEW_COST_CENTERS) > 2 * 2);
    assert_int_equal(cached_rows(f, CORE_VIEW_COST_CENTERS),
                     fixture_view_rows(f, CORE_VIEW_COST_CENTERS));
}

/* The page size a test set goes with its fixture. */
static int teardown(void **state)
{
    core_session_test_per_page(0);
    switch_at_first_page = 0;
    fault_at_first_page = NULL;
    return fixture_teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_paging_pages_null),
        cmocka_unit_test_setup_teardown(
            test_session_paging_load_parallel_bounded, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_paging_connections_reused,
                                        setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_limit_no_extra_pages, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_paging_429_goes_sequential,
                                        setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_late_page_waited_for, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_switch_first_page_at_once, setup_slow,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_moved_mid_list_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_moved_onto_rows_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_move_outlives_earlier_look, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_exact_pages_complete, setup_slow, teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_unnamed_rows_moved_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_unnamed_one_page_moved_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_session_paging_unnamed_rows_complete, setup, teardown),
    };
    int failed;

    if (fixture_load_demo() != 0)
        return 1;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_free_demo();
    return failed;
}
