/* The session's views against bezala-sim: pages shown as they arrive,
 * the whole list cached per (account, company), the cache read back
 * without a network, a switch that forgets the old company's rows, and
 * the role that may not list. Expected rows come from the demo data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/session.h"
#include "core/view.h"
#include "tests/core/fixture.h"

#define AINO "aino.harkonen@demo.bezala.test"
#define OSKARI "oskari.heikkila@demo.bezala.test"
#define BIG_COMPANY 318

static void sign_in(struct fixture *f, const char *email)
{
    const char *password = fixture_password(email);

    if (!password)
        password = fixture_user_password(email);
    assert_non_null(password);
    assert_int_equal(fixture_open(f, email), BASE_OK);
    assert_int_equal(fixture_sign_in(f, email, password), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
}

static enum base_status load(struct fixture *f, enum core_view view,
                             const struct core_view_query *query)
{
    uint64_t request = 0;
    enum base_status r;

    r = core_session_load_view(f->session, view, query, &request);
    return r != BASE_OK ? r : core_session_finish(f->session, request);
}

static void switch_to(struct fixture *f, int64_t company)
{
    uint64_t request = 0;

    assert_int_equal(core_session_switch(f->session, company, &request),
                     BASE_OK);
    assert_int_equal(core_session_finish(f->session, request), BASE_OK);
}

/* Ids of a table, in order, into a new array. */
static int64_t *ids_of(const struct core_table *table)
{
    int64_t *ids = calloc(table->count + 1, sizeof(*ids));
    size_t i;

    assert_non_null(ids);
    for (i = 0; i < table->count; i++)
        ids[i] = table->rows[i].id;
    return ids;
}

static void test_session_view_calls_null(void **state)
{
    struct fixture *f = *state;
    struct core_view_state vs;
    uint64_t request = 0;

    assert_int_equal(
        core_session_load_view(NULL, CORE_VIEW_TRIPS, NULL, &request),
        BASE_E_INVALID);
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_COUNT, NULL, &request),
        BASE_E_INVALID);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_TRIPS, NULL, NULL),
        BASE_E_INVALID);
    /* No token yet: refused before any request. */
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_TRIPS, NULL, &request),
        BASE_E_AUTH);
    assert_non_null(core_session_view(NULL, CORE_VIEW_TRIPS));
    assert_int_equal(core_session_view(NULL, CORE_VIEW_TRIPS)->count, 0);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_COUNT)->count, 0);
    core_session_view_state(f->session, CORE_VIEW_TRIPS, &vs);
    assert_false(vs.loading);
    assert_false(vs.complete);
    assert_int_equal(core_session_view_cached(NULL, CORE_VIEW_TRIPS),
                     BASE_E_INVALID);
}

/* Several hundred receipts: the first page is held as soon as it
 * arrives, each page is announced, and the end has every visible row. */
static void test_session_view_pages_shown_as_they_arrive(void **state)
{
    struct fixture *f = *state;
    json_int_t user = fixture_user_id(AINO);
    size_t expected = fixture_accountant_receipts(BIG_COMPANY, user, NULL);
    size_t first = 0;
    const struct fixture_event *done;
    size_t progress = 0;
    size_t i;

    sign_in(f, AINO);
    switch_to(f, BIG_COMPANY);
    assert_true(expected > 2 * 100);
    f->event_count = 0;
    assert_int_equal(load(f, CORE_VIEW_RECEIPTS, NULL), BASE_OK);
    for (i = 0; i < f->event_count; i++) {
        if (f->events[i].kind != CORE_EV_PROGRESS)
            continue;
        assert_int_equal(f->events[i].view, CORE_VIEW_RECEIPTS);
        /* What the event announces is already on hand. */
        assert_int_equal(f->events[i].view_rows, f->events[i].count);
        if (progress++ == 0)
            first = f->events[i].count;
    }
    assert_true(first > 0 && first < expected);
    assert_true(progress >= expected / 100);
    done = fixture_last(f, CORE_EV_VIEW);
    assert_true(done && done->view == CORE_VIEW_RECEIPTS);
    assert_int_equal(done ? done->count : 0, expected);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     expected);
}

/* A whole list is cached and read back by the next session, with the
 * home answer, without asking the server; then the server is gone and
 * the cached rows stay. */
static void test_session_view_cache_read_back_offline(void **state)
{
    struct fixture *f = *state;
    struct core_view_state vs;
    const struct core_table *table;
    char url[128];
    char cacert[256];
    int64_t *ids;
    int64_t saved = 0;
    int64_t company;
    bool found = false;
    size_t count;
    size_t i;

    sign_in(f, AINO);
    switch_to(f, BIG_COMPANY);
    assert_int_equal(load(f, CORE_VIEW_RECEIPTS, NULL), BASE_OK);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    ids = ids_of(table);
    count = table->count;
    company = core_session_company_id(f->session);
    snprintf(url, sizeof(url), "%s", support_sim_url(f->sim));
    snprintf(cacert, sizeof(cacert), "%s", support_sim_cacert(f->sim));
    support_sim_stop(&f->sim);

    assert_int_equal(fixture_open_at(f, url, cacert, AINO), BASE_OK);
    assert_int_equal(core_session_load_home_cached(f->session, &found, &saved),
                     BASE_OK);
    assert_true(found);
    assert_true(saved > 0 && saved <= (int64_t)time(NULL));
    assert_int_equal(core_session_company_id(f->session), company);
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_RECEIPTS),
                     BASE_OK);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, count);
    for (i = 0; i < count; i++)
        assert_int_equal(table->rows[i].id, ids[i]);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_true(vs.from_cache);
    assert_true(vs.complete);
    /* The list was stored after the home, maybe a second or more later
     * on a slow run (valgrind). */
    assert_true(vs.saved_at >= saved && vs.saved_at <= (int64_t)time(NULL));

    /* Nothing cached for a view never loaded. */
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_TRIPS),
                     BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_TRIPS)->count, 0);

    /* The server does not answer: the cached rows stay on hand. */
    assert_int_not_equal(load(f, CORE_VIEW_RECEIPTS, NULL), BASE_OK);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_true(vs.failed == BASE_E_NETWORK || vs.failed == BASE_E_TLS);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     count);
    free(ids);
}

/* A switch forgets the old company's rows at once, and the cache of one
 * company is never read under another. */
static void test_session_view_switch_forgets_old_company(void **state)
{
    struct fixture *f = *state;
    json_int_t user = fixture_user_id(AINO);
    uint64_t request = 0;
    int64_t other = 205;
    size_t want = fixture_accountant_receipts(other, user, NULL);
    size_t count;

    sign_in(f, AINO);
    switch_to(f, BIG_COMPANY);
    assert_int_equal(load(f, CORE_VIEW_RECEIPTS, NULL), BASE_OK);
    count = core_session_view(f->session, CORE_VIEW_RECEIPTS)->count;
    assert_true(count > 0);
    assert_int_not_equal(count, want);
    assert_int_equal(core_session_switch(f->session, other, &request), BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     0);
    assert_int_equal(core_session_finish(f->session, request), BASE_OK);
    /* The switch asks for the new company's first page at once; when that
     * page has arrived its rows are cached, under the new company. */
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_RECEIPTS),
                     BASE_OK);
    count = core_session_view(f->session, CORE_VIEW_RECEIPTS)->count;
    assert_true(count == 0 || count == want);
    assert_int_equal(load(f, CORE_VIEW_RECEIPTS, NULL), BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     want);
}

/* A plain employee may not list the users: FORBIDDEN, named for the
 * view, and no rows. */
static void test_session_view_forbidden_for_employee(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *failed;
    struct core_view_state vs;

    sign_in(f, OSKARI);
    assert_int_equal(load(f, CORE_VIEW_USERS, NULL), BASE_E_FORBIDDEN);
    failed = fixture_last(f, CORE_EV_FAILED);
    assert_non_null(failed);
    assert_int_equal(failed->view, CORE_VIEW_USERS);
    assert_int_equal(failed->status, BASE_E_FORBIDDEN);
    core_session_view_state(f->session, CORE_VIEW_USERS, &vs);
    assert_int_equal(vs.failed, BASE_E_FORBIDDEN);
    assert_false(vs.loading);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_USERS)->count, 0);
}

/* A limit and a state filter narrow the rows, and a narrowed list does
 * not replace the cached whole one. */
static void test_session_view_query_narrows_not_cached(void **state)
{
    struct fixture *f = *state;
    struct core_view_query query = {"queue", 7};
    const struct core_table *table;
    size_t state_col = 0;
    size_t i;

    sign_in(f, AINO);
    switch_to(f, BIG_COMPANY);
    assert_true(
        core_view_column_by_key(CORE_VIEW_RECEIPTS, "state", &state_col));
    assert_int_equal(load(f, CORE_VIEW_RECEIPTS, &query), BASE_OK);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, 7);
    for (i = 0; i < table->count; i++)
        assert_string_equal(table->rows[i].cells[state_col], "queue");
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_RECEIPTS),
                     BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     0);
}

/* A second load of a view replaces the first: only one ends. */
static void test_session_view_reload_replaces(void **state)
{
    struct fixture *f = *state;
    uint64_t first = 0;
    uint64_t second = 0;

    sign_in(f, AINO);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_RECEIPTS, NULL, &first),
        BASE_OK);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_RECEIPTS, NULL, &second),
        BASE_OK);
    assert_int_not_equal(first, second);
    assert_int_equal(core_session_finish(f->session, second), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, first), 0);
    assert_int_equal(fixture_count(f, CORE_EV_FAILED, first), 0);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, second), 1);
}

/* A refresh of a whole list keeps the old rows until the new list is
 * complete, then replaces them at once; a refresh that fails leaves
 * them. */
static void test_session_view_refresh_keeps_rows(void **state)
{
    struct fixture *f = *state;
    struct core_view_state vs;
    size_t expected;
    size_t i;

    sign_in(f, AINO);
    switch_to(f, BIG_COMPANY);
    assert_int_equal(load(f, CORE_VIEW_RECEIPTS, NULL), BASE_OK);
    expected = core_session_view(f->session, CORE_VIEW_RECEIPTS)->count;
    f->event_count = 0;
    assert_int_equal(load(f, CORE_VIEW_RECEIPTS, NULL), BASE_OK);
    for (i = 0; i < f->event_count; i++) {
        if (f->events[i].kind != CORE_EV_PROGRESS)
            continue;
        /* The event counts the new rows; the old list stays whole. */
        assert_int_equal(f->events[i].view_rows, expected);
        assert_true(f->events[i].count <= expected);
    }
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     expected);
    fixture_control(f, "/sim/fault",
                    "{\"count\":10,\"path\":\"/api/transactions\","
                    "\"status\":503}");
    assert_int_equal(load(f, CORE_VIEW_RECEIPTS, NULL), BASE_E_SERVER);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_int_equal(vs.failed, BASE_E_SERVER);
    assert_true(vs.complete);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     expected);
}

/* The server was moved to another company elsewhere and answers a list
 * for it: the rows are neither shown nor cached as the old company's,
 * the session follows the server and the load says why it failed. */
static void test_session_view_company_moved_elsewhere(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *failed;
    char body[160];
    size_t count;

    sign_in(f, AINO);
    switch_to(f, BIG_COMPANY);
    assert_int_equal(load(f, CORE_VIEW_TRIPS, NULL), BASE_OK);
    count = core_session_view(f->session, CORE_VIEW_TRIPS)->count;
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"company_id\":205}", AINO);
    fixture_control(f, "/sim/switch", body);
    assert_int_equal(load(f, CORE_VIEW_TRIPS, NULL), BASE_E_MOVED);
    failed = fixture_last(f, CORE_EV_FAILED);
    assert_non_null(failed);
    snprintf(body, sizeof(body), "the server is on %s now, not on %s",
             fixture_company_name(205), fixture_company_name(BIG_COMPANY));
    assert_string_equal(failed->detail, body);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 1);
    assert_true(core_session_changed_elsewhere(f->session));
    assert_int_equal(core_session_company_id(f->session), 205);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_TRIPS)->count, 0);
    /* Nothing of 205 was cached, and 318's cache is its own. */
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_TRIPS),
                     BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_TRIPS)->count, 0);
    switch_to(f, BIG_COMPANY);
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_TRIPS),
                     BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_TRIPS)->count,
                     count);
}

/* A server that ignores the page number sends the same full page again:
 * the load ends instead of reading without end. */
static void test_session_view_same_page_again(void **state)
{
    struct fixture *f = *state;
    char *fault;
    char *p;
    size_t i;

    sign_in(f, AINO);
    fault = malloc(100 * 40 + 128);
    assert_non_null(fault);
    p = fault + sprintf(fault, "{\"count\":5,\"path\":\"/api/accounts\","
                               "\"status\":200,\"json\":[");
    for (i = 0; i < 100; i++)
        p += sprintf(p, "%s{\"id\":%zu,\"code\":\"%zu\"}", i ? "," : "",
                     3000 + i, 4000 + i);
    sprintf(p, "]}");
    fixture_control(f, "/sim/fault", fault);
    free(fault);
    assert_int_equal(load(f, CORE_VIEW_LEDGER_ACCOUNTS, NULL), BASE_E_DECODE);
    assert_true(strstr(fixture_last_detail(f), "same page again") != NULL);
    assert_int_equal(
        core_session_view(f->session, CORE_VIEW_LEDGER_ACCOUNTS)->count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_session_view_calls_null,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_view_pages_shown_as_they_arrive, fixture_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_view_cache_read_back_offline, fixture_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_view_switch_forgets_old_company, fixture_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_view_forbidden_for_employee, fixture_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_view_query_narrows_not_cached, fixture_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_view_reload_replaces,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_view_company_moved_elsewhere, fixture_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_view_same_page_again,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_view_refresh_keeps_rows,
                                        fixture_setup, fixture_teardown),
    };
    int failed;

    if (fixture_load_demo() != 0)
        return 1;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_free_demo();
    return failed;
}
