/* Honest company state against bezala-sim: a switch answer naming
 * another company, pinning the chosen company, removal from a company and
 * the 401 that must not loop. Expected values come from the demo data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/secret.h"
#include "core/http.h"
#include "core/output.h"
#include "core/session.h"
#include "tests/core/fixture.h"

#define AINO "aino.harkonen@demo.bezala.test"

/* Aino's accountant companies in the demo set. */
static const int64_t accountant_in[] = {101, 205, 318};

static void sign_in(struct fixture *f)
{
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
}

/* One of Aino's accountant companies other than a and b. */
static int64_t other_than(int64_t a, int64_t b)
{
    size_t i;

    for (i = 0; i < 3; i++) {
        if (accountant_in[i] != a && accountant_in[i] != b)
            return accountant_in[i];
    }
    fail_msg("no third company");
    return 0;
}

static void remote_switch(struct fixture *f, int64_t company)
{
    char body[160];

    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"company_id\":%lld}", AINO,
             (long long)company);
    fixture_control(f, "/sim/switch", body);
}

static enum base_status switch_to(struct fixture *f, int64_t company)
{
    uint64_t request = 0;
    enum base_status r;

    r = core_session_switch(f->session, company, &request);
    return r != BASE_OK ? r : core_session_finish(f->session, request);
}

/* The company the server has active now, seen by a new session. */
static int64_t server_company(struct fixture *f)
{
    struct fixture probe;
    int64_t company;

    memset(&probe, 0, sizeof(probe));
    probe.sim = f->sim;
    memcpy(probe.data_dir, f->data_dir, sizeof(probe.data_dir));
    memcpy(probe.key_dir, f->key_dir, sizeof(probe.key_dir));
    assert_int_equal(fixture_open(&probe, AINO), BASE_OK);
    assert_int_equal(fixture_run(&probe, core_session_load_home), BASE_OK);
    company = core_model_home_membership(core_session_home(probe.session),
                                         core_session_company_id(probe.session))
                  ? core_session_company_id(probe.session)
                  : 0;
    core_session_free(&probe.session);
    return company;
}

/* ---- a switch answer from /api/company ---- */

/* The confirmation of a switch names the company another session chose
 * meanwhile: the client follows it and says so. */
static void test_session_switch_answer_changed_elsewhere(void **state)
{
    struct fixture *f = *state;
    int64_t start;
    int64_t asked;
    int64_t elsewhere;
    char fault[256];
    char *text;

    sign_in(f);
    start = core_session_company_id(f->session);
    asked = other_than(start, 0);
    elsewhere = other_than(start, asked);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_USERS, NULL, NULL),
                     BASE_OK);
    assert_true(fixture_view_rows(f, CORE_VIEW_USERS) > 0);
    snprintf(fault, sizeof(fault),
             "{\"count\":1,\"path\":\"/api/company\",\"json\":"
             "{\"id\":%lld,\"name\":\"%s\"}}",
             (long long)elsewhere, fixture_company_name(elsewhere));
    fixture_control(f, "/sim/fault", fault);
    remote_switch(f, elsewhere);
    assert_int_equal(switch_to(f, asked), BASE_E_SWITCH);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 1);
    assert_non_null(strstr(fixture_last(f, CORE_EV_CHANGED_ELSEWHERE)->detail,
                           fixture_company_name(elsewhere)));
    assert_int_equal(core_session_company_id(f->session), elsewhere);
    assert_true(core_session_changed_elsewhere(f->session));
    /* The old company's users are gone at once. */
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_USERS), 0);
    text = core_output_whoami(f->session);
    assert_non_null(strstr(text, "\"changed_elsewhere\": true"));
    free(text);
}

/* A pending invitation is refused before anything is sent or dropped,
 * with the real reason (the server would only say 404). */
static void test_session_switch_pending_membership(void **state)
{
    static const char email[] = "eveliina.karkkainen@demo.bezala.test";
    struct fixture *f = *state;
    uint64_t request = 0;

    assert_int_equal(fixture_open(f, email), BASE_OK);
    assert_int_equal(fixture_sign_in(f, email, fixture_user_password(email)),
                     BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_USERS, NULL, NULL),
                     BASE_OK);
    assert_true(fixture_view_rows(f, CORE_VIEW_USERS) > 0);
    assert_int_equal(core_session_switch(f->session, 318, &request),
                     BASE_E_USAGE);
    assert_int_equal(request, 0);
    assert_non_null(strstr(core_session_last_error(f->session),
                           "is pending, not accepted"));
    assert_non_null(
        strstr(core_session_last_error(f->session), fixture_company_name(318)));
    assert_int_equal(core_session_company_id(f->session),
                     fixture_user_company(email));
    /* Nothing was dropped: the users are still on hand. */
    assert_true(fixture_view_rows(f, CORE_VIEW_USERS) > 0);
}

/* ---- pinning ---- */

static void test_session_set_pin_null(void **state)
{
    struct fixture *f = *state;

    core_session_set_pin(NULL, true);
    assert_false(core_session_pinned(NULL));
    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_false(core_session_pinned(f->session));
    core_session_set_pin(f->session, true);
    assert_true(core_session_pinned(f->session));
    core_session_set_pin(f->session, false);
    assert_false(core_session_pinned(f->session));
    f->pin = true;
    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_true(core_session_pinned(f->session));
}

/* Pinned, the session moves the server back before it lists users, says
 * so, and the users are those of the chosen company. */
static void test_session_load_view_pinned_back(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *e;
    int64_t chosen;
    int64_t elsewhere;
    uint64_t request = 0;

    sign_in(f);
    chosen = core_session_company_id(f->session);
    elsewhere = other_than(chosen, 0);
    core_session_set_pin(f->session, true);
    remote_switch(f, elsewhere);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_USERS, NULL, &request),
                     BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_PINNED_BACK, request), 1);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, request), 1);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 0);
    e = fixture_last(f, CORE_EV_PINNED_BACK);
    assert_int_equal(e->status, BASE_OK);
    assert_true(strncmp(e->detail, "switched the server back to ", 28) == 0);
    assert_non_null(strstr(e->detail, fixture_company_name(chosen)));
    assert_non_null(strstr(e->detail, fixture_company_name(elsewhere)));
    assert_true(strstr(e->detail, fixture_company_name(chosen)) <
                strstr(e->detail, fixture_company_name(elsewhere)));
    assert_int_equal(core_session_company_id(f->session), chosen);
    assert_false(core_session_changed_elsewhere(f->session));
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_USERS),
                     fixture_members(chosen));
    assert_int_equal(server_company(f), chosen);
    /* Nothing moved since: no second switch back. */
    assert_int_equal(fixture_load_view(f, CORE_VIEW_USERS, NULL, NULL),
                     BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_PINNED_BACK, 0), 1);
}

/* Not pinned, the same move is followed instead. */
static void test_session_load_home_unpinned_follows(void **state)
{
    struct fixture *f = *state;
    int64_t chosen;
    int64_t elsewhere;

    sign_in(f);
    chosen = core_session_company_id(f->session);
    elsewhere = other_than(chosen, 0);
    remote_switch(f, elsewhere);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_PINNED_BACK, 0), 0);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 1);
    assert_int_equal(core_session_company_id(f->session), elsewhere);
    assert_int_equal(server_company(f), elsewhere);
}

/* Pinning goes back to the company the user chose, not to the one the
 * client saw last: a switch, a move elsewhere that a plain run follows,
 * then a pinned run. */
static void test_session_load_home_pinned_to_chosen(void **state)
{
    struct fixture *f = *state;
    int64_t chosen;
    int64_t elsewhere;

    sign_in(f);
    chosen = other_than(core_session_company_id(f->session), 0);
    elsewhere = other_than(chosen, core_session_company_id(f->session));
    assert_int_equal(switch_to(f, chosen), BASE_OK);
    remote_switch(f, elsewhere);
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 1);
    assert_int_equal(core_session_company_id(f->session), elsewhere);
    f->pin = true;
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_PINNED_BACK, 0), 1);
    assert_int_equal(core_session_company_id(f->session), chosen);
    assert_int_equal(server_company(f), chosen);
}

/* Turning pinning on keeps an earlier choice; with none it chooses the
 * active company. */
static void test_session_set_pin_keeps_choice(void **state)
{
    struct fixture *f = *state;
    int64_t first;
    int64_t chosen;

    sign_in(f);
    first = core_session_company_id(f->session);
    core_session_set_pin(f->session, true);
    chosen = other_than(first, 0);
    assert_int_equal(switch_to(f, chosen), BASE_OK);
    core_session_set_pin(f->session, false);
    remote_switch(f, first);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(core_session_company_id(f->session), first);
    core_session_set_pin(f->session, true);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_PINNED_BACK, 0), 1);
    assert_int_equal(core_session_company_id(f->session), chosen);
}

/* --pin-company across runs with nothing chosen yet: the company this
 * account was last seen on becomes the chosen one, and a confirmed switch
 * chooses anew. */
static void test_session_load_home_pinned_across_sessions(void **state)
{
    struct fixture *f = *state;
    int64_t chosen;
    int64_t next;

    sign_in(f);
    chosen = core_session_company_id(f->session);
    next = other_than(chosen, 0);
    remote_switch(f, next);
    f->pin = true;
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_PINNED_BACK, 0), 1);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 0);
    assert_int_equal(core_session_company_id(f->session), chosen);
    assert_int_equal(core_session_home(f->session)->company_id, chosen);
    assert_int_equal(switch_to(f, next), BASE_OK);
    remote_switch(f, chosen);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_PINNED_BACK, 0), 2);
    assert_int_equal(core_session_company_id(f->session), next);
    assert_int_equal(server_company(f), next);
}

/* Once an answer shows the server on the company the client shows, the
 * "changed elsewhere" mark goes: here the look before a held list is
 * repeated after a new sign-in. */
static void test_session_changed_elsewhere_clears_after_relogin(void **state)
{
    struct fixture *f = *state;
    int64_t start;
    int64_t moved;
    uint64_t request = 0;

    sign_in(f);
    start = core_session_company_id(f->session);
    moved = other_than(start, 0);
    remote_switch(f, moved);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_true(core_session_changed_elsewhere(f->session));
    assert_int_equal(core_session_company_id(f->session), moved);
    fixture_control(f, "/sim/revoke", "{\"email\":\"" AINO "\"}");
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_USERS, NULL, &request),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, request), BASE_E_AUTH);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(core_session_finish(f->session, request), BASE_OK);
    assert_int_equal(core_session_company_id(f->session), moved);
    assert_false(core_session_changed_elsewhere(f->session));
}

/* ---- removal and the 401 ---- */

/* Removed from the active company: the token is revoked, the request is
 * held with the likely causes; after a new sign-in it repeats for the
 * company the server moved the user to, which the views follow. */
static void test_session_auth_required_after_removal(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *e;
    int64_t removed;
    int64_t moved;
    uint64_t held = 0;
    char body[160];

    sign_in(f);
    removed = core_session_company_id(f->session);
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"company_id\":%lld}", AINO,
             (long long)removed);
    fixture_control(f, "/sim/remove", body);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_USERS, NULL, &held),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, held), BASE_E_AUTH);
    e = fixture_last(f, CORE_EV_AUTH_REQUIRED);
    assert_non_null(e);
    assert_int_equal(e->request, held);
    assert_int_equal(e->http_status, 401);
    assert_non_null(strstr(e->detail, "password may have changed"));
    assert_non_null(strstr(e->detail, "removed from the company"));
    assert_non_null(strstr(e->detail, "deleted"));
    assert_int_equal(core_session_state(f->session), CORE_STATE_REJECTED);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(core_session_finish(f->session, held), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, held), 1);
    assert_true(core_session_changed_elsewhere(f->session));
    moved = core_session_company_id(f->session);
    assert_true(moved != removed);
    assert_int_equal(moved, server_company(f));
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, held), 1);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_USERS),
                     fixture_members(moved));
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(core_session_company_id(f->session), moved);
    assert_null(
        core_model_home_membership(core_session_home(f->session), removed));
}

/* A 401 again right after the new sign-in ends the request instead of
 * asking for yet another sign-in. */
static void test_session_auth_required_no_loop(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *e;
    uint64_t held = 0;

    sign_in(f);
    fixture_control(f, "/sim/revoke", "{\"email\":\"" AINO "\"}");
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_USERS, NULL, &held),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, held), BASE_E_AUTH);
    assert_int_equal(fixture_count(f, CORE_EV_AUTH_REQUIRED, 0), 1);
    fixture_control(f, "/sim/fault",
                    "{\"status\":401,\"count\":1,\"path\":\"/api/users\"}");
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(core_session_finish(f->session, held), BASE_E_AUTH);
    assert_int_equal(fixture_count(f, CORE_EV_AUTH_REQUIRED, 0), 1);
    e = fixture_last(f, CORE_EV_FAILED);
    assert_non_null(e);
    assert_int_equal(e->request, held);
    assert_int_equal(e->status, BASE_E_AUTH);
    assert_string_equal(e->detail, "the server rejected the new sign-in too: "
                                   "HTTP 401: Injected fault.");
    /* A first request after a sign-in that meets a 401 ends the same
     * way. */
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    fixture_control(f, "/sim/fault",
                    "{\"status\":401,\"count\":1,\"path\":\"/api/home\"}");
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_E_AUTH);
    assert_int_equal(fixture_count(f, CORE_EV_AUTH_REQUIRED, 0), 1);
    assert_int_equal(fixture_count(f, CORE_EV_FAILED, 0), 2);
}

#define T(name) \
    cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_session_switch_answer_changed_elsewhere),
        T(test_session_switch_pending_membership),
        T(test_session_set_pin_null),
        T(test_session_load_view_pinned_back),
        T(test_session_load_home_unpinned_follows),
        T(test_session_load_home_pinned_across_sessions),
        T(test_session_changed_elsewhere_clears_after_relogin),
        T(test_session_load_home_pinned_to_chosen),
        T(test_session_set_pin_keeps_choice),
        T(test_session_auth_required_after_removal),
        T(test_session_auth_required_no_loop),
    };
    int failed;

    if (base_secret_init() != BASE_OK || core_http_global_init() != BASE_OK ||
        fixture_load_demo() != 0)
        return 1;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_free_demo();
    return failed;
}
