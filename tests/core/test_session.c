/* Sessions against bezala-sim over real TLS with the demo CA, each test in
 * a fresh home directory and a fresh server. Expected rows come from the
 * demo data set itself, not from numbers written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/log.h"
#include "base/secret.h"
#include "core/accounts.h"
#include "core/http.h"
#include "core/output.h"
#include "core/session.h"
#include "core/session_test.h"
#include "core/view.h"
#include "db/accounts.h"
#include "db/cache.h"
#include "db/store.h"
#include "db/tokens.h"
#include "tests/core/fixture.h"
#include "tests/support/sim.h"

#define AINO "aino.harkonen@demo.bezala.test"
#define RIIKKA "riikka.soderstrom@demo.bezala.test"

static void open_session(struct fixture *f, const char *email)
{
    assert_int_equal(fixture_open(f, email), BASE_OK);
}

static void sign_in(struct fixture *f, const char *email)
{
    open_session(f, email);
    assert_int_equal(fixture_sign_in(f, email, fixture_password(email)),
                     BASE_OK);
}

static enum base_status switch_to(struct fixture *f, int64_t company_id)
{
    uint64_t request = 0;
    enum base_status r;

    r = core_session_switch(f->session, company_id, &request);
    return r != BASE_OK ? r : core_session_finish(f->session, request);
}

static enum base_status receipts(struct fixture *f, const char *state,
                                 size_t limit, uint64_t *request)
{
    struct core_view_query query = {state, limit};

    return fixture_load_view(f, CORE_VIEW_RECEIPTS, &query, request);
}

static enum base_status users(struct fixture *f)
{
    return fixture_load_view(f, CORE_VIEW_USERS, NULL, NULL);
}

/* The cell of column key in row of the view's rows held now. */
static const char *cell(struct fixture *f, enum core_view view, size_t row,
                        const char *key)
{
    const struct core_table *table = core_session_view(f->session, view);
    size_t column = 0;

    assert_true(core_view_column_by_key(view, key, &column));
    assert_true(row < table->count);
    return table->rows[row].cells[column];
}

/* ---- what the demo data says ---- */

static size_t demo_count(const char *list, const char *field, json_int_t id)
{
    json_t *item;
    size_t n = 0;
    size_t i;

    json_array_foreach(json_object_get(fixture_demo(), list), i, item)
    {
        if (json_integer_value(json_object_get(item, field)) == id)
            n++;
    }
    return n;
}

/* A company of the demo set where the user has no membership. */
static json_int_t demo_foreign_company(json_int_t user)
{
    json_t *c;
    json_t *m;
    size_t i;
    size_t j;
    bool member;

    json_array_foreach(json_object_get(fixture_demo(), "companies"), i, c)
    {
        json_int_t id = json_integer_value(json_object_get(c, "id"));

        member = false;
        json_array_foreach(json_object_get(fixture_demo(), "memberships"), j, m)
        {
            if (json_integer_value(json_object_get(m, "user_id")) == user &&
                json_integer_value(json_object_get(m, "company_id")) == id)
                member = true;
        }
        if (!member)
            return id;
    }
    fail_msg("the user is in every company");
    return 0;
}

/* Rows in the cached copy of a view's list ({"view","rows"}), read back
 * from the store. */
/* The cached list of kind, its parts joined (the caller frees it). */
static char *cached_text(struct db_store *store, int64_t account,
                         int64_t company, const char *kind, size_t *len)
{
    struct db_cache_list list;
    char *text = NULL;
    char *part = NULL;
    size_t n = 0;
    size_t i;

    assert_int_equal(
        db_cache_get_first(store, account, company, kind, &list, &text, len),
        BASE_OK);
    assert_non_null(text);
    assert_true(list.stored_at > 0);
    for (i = 1; i < list.parts; i++) {
        assert_int_equal(db_cache_get_part(store, list.id, i, &part, &n),
                         BASE_OK);
        assert_non_null(part);
        text = realloc(text, *len + n + 1);
        assert_non_null(text);
        memcpy(text + *len, part, n + 1);
        *len += n;
        free(part);
    }
    return text;
}

static size_t cached_rows(struct fixture *f, const char *email, int64_t company,
                          enum core_view view)
{
    char kind[64];
    struct db_store *store = NULL;
    struct db_account account;
    json_error_t error;
    char *body = NULL;
    size_t len = 0;
    json_t *doc;
    size_t rows;

    snprintf(kind, sizeof(kind), "view:%s", core_view_info(view)->name);
    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    assert_int_equal(
        db_accounts_find(store, support_sim_url(f->sim), email, &account),
        BASE_OK);
    body = cached_text(store, account.id, company, kind, &len);
    db_accounts_clear(&account);
    db_store_free(&store);
    doc = json_loadb(body, len, 0, &error);
    assert_true(json_is_array(json_object_get(doc, "rows")));
    rows = json_array_size(json_object_get(doc, "rows"));
    json_decref(doc);
    free(body);
    return rows;
}

/* ---- sign-in ---- */

static void test_session_sign_in_null(void **state)
{
    struct fixture *f = *state;
    struct base_secret *pw = NULL;
    uint64_t request = 0;

    open_session(f, NULL);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_OUT);
    assert_int_equal(core_session_token_status(f->session), BASE_E_AUTH);
    assert_int_equal(base_secret_new("x", 1, &pw), BASE_OK);
    assert_int_equal(core_session_sign_in(NULL, AINO, pw, &request),
                     BASE_E_INVALID);
    assert_int_equal(core_session_sign_in(f->session, NULL, pw, &request),
                     BASE_E_INVALID);
    assert_int_equal(core_session_sign_in(f->session, AINO, NULL, &request),
                     BASE_E_INVALID);
    assert_int_equal(core_session_load_home(f->session, &request), BASE_E_AUTH);
    assert_int_equal(core_session_finish(f->session, 999), BASE_E_INVALID);
    base_secret_free(&pw);
}

static void test_session_sign_in_good_and_reused(void **state)
{
    struct fixture *f = *state;

    sign_in(f, AINO);
    assert_int_equal(fixture_count(f, CORE_EV_SIGNED_IN, 0), 1);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_IN);
    assert_string_equal(core_session_email(f->session), AINO);
    /* A new session on the same home finds the stored token. */
    open_session(f, NULL);
    assert_int_equal(core_session_token_status(f->session), BASE_OK);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_IN);
    assert_string_equal(core_session_email(f->session), AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(core_session_state(f->session), CORE_STATE_READY);
}

static void test_session_sign_in_wrong_password(void **state)
{
    struct fixture *f = *state;

    open_session(f, AINO);
    assert_int_equal(fixture_sign_in(f, AINO, "not-the-password"),
                     BASE_E_CREDENTIALS);
    assert_int_equal(fixture_count(f, CORE_EV_FAILED, 0), 1);
    assert_int_equal(f->events[0].status, BASE_E_CREDENTIALS);
    assert_true(strlen(fixture_last_detail(f)) > 0);
    assert_null(strstr(fixture_last_detail(f), "not-the-password"));
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_OUT);
}

/* ---- home and companies ---- */

static void test_session_load_home_companies(void **state)
{
    struct fixture *f = *state;
    json_int_t user = fixture_user_id(AINO);
    const struct core_home *home;
    json_error_t error;
    json_t *doc;
    char *text;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_HOME, 0), 1);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 0);
    home = core_session_home(f->session);
    assert_non_null(home);
    assert_int_equal(home->user_id, user);
    assert_int_equal(home->membership_count,
                     demo_count("memberships", "user_id", user));
    assert_int_equal(core_session_company_id(f->session),
                     fixture_user_company(AINO));
    assert_non_null(core_session_active_membership(f->session));
    text = core_output_companies(f->session);
    doc = json_loads(text, 0, &error);
    assert_non_null(doc);
    assert_int_equal(json_array_size(doc), home->membership_count);
    json_decref(doc);
    free(text);
    text = core_output_whoami(f->session);
    doc = json_loads(text, 0, &error);
    assert_non_null(doc);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(doc, "user"), "id")),
        user);
    assert_true(json_is_false(json_object_get(doc, "changed_elsewhere")));
    json_decref(doc);
    free(text);
}

/* ---- switching ---- */

static void test_session_switch_confirmed(void **state)
{
    struct fixture *f = *state;
    json_int_t target = 0;
    const struct core_home *home;
    size_t i;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    home = core_session_home(f->session);
    /* A company whose name /api/home hides: learned from /api/company. */
    for (i = 0; i < home->membership_count; i++) {
        if (!home->memberships[i].company_name)
            target = home->memberships[i].company_id;
    }
    assert_true(target != 0);
    assert_true(target != core_session_company_id(f->session));
    assert_string_equal(
        core_session_company_name(f->session),
        fixture_company_name(core_session_company_id(f->session)));
    assert_int_equal(switch_to(f, target), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_SWITCHED, 0), 1);
    assert_int_equal(core_session_company_id(f->session), target);
    assert_string_equal(core_session_company_name(f->session),
                        fixture_company_name(target));
    /* The next session on this home sees no change made elsewhere. */
    open_session(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(core_session_company_id(f->session), target);
    assert_false(core_session_changed_elsewhere(f->session));
}

static void test_session_switch_without_membership(void **state)
{
    struct fixture *f = *state;
    json_int_t foreign = demo_foreign_company(fixture_user_id(AINO));
    int64_t before;
    int64_t found = 0;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    before = core_session_company_id(f->session);
    assert_int_equal(switch_to(f, foreign), BASE_E_FORBIDDEN);
    assert_int_equal(core_session_company_id(f->session), before);
    assert_int_equal(fixture_count(f, CORE_EV_SWITCHED, 0), 0);
    assert_int_equal(core_session_find_company(f->session, "999999", &found),
                     BASE_E_USAGE);
    assert_int_equal(core_session_find_company(f->session, " Oy", &found),
                     BASE_E_AMBIGUOUS);
}

/* A company is found by its id with spaces around it, and by a part of
 * its name typed without its accents, as the lists filter. */
static void test_session_find_company_plain(void **state)
{
    struct fixture *f = *state;
    int64_t found = 0;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(core_session_find_company(f->session, " 205 ", &found),
                     BASE_OK);
    assert_int_equal(found, 205);
    found = 0;
    assert_int_equal(core_session_find_company(f->session, "aima", &found),
                     BASE_OK);
    assert_int_equal(found, 205);
    found = 0;
    assert_int_equal(
        core_session_find_company(f->session, "POHJOLAN SAHKO", &found),
        BASE_OK);
    assert_int_equal(found, 318);
    assert_int_equal(core_session_find_company(f->session, "2 05", &found),
                     BASE_E_USAGE);
}

/* ---- lists ---- */

static void test_session_load_view_users_by_role(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *done;
    int64_t company;
    size_t count;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    company = core_session_company_id(f->session);
    assert_int_equal(users(f), BASE_OK);
    count = fixture_view_rows(f, CORE_VIEW_USERS);
    assert_int_equal(count, demo_count("memberships", "company_id", company));
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, 0), 1);
    done = fixture_last(f, CORE_EV_VIEW);
    assert_int_equal(done->view, CORE_VIEW_USERS);
    assert_int_equal(done->count, count);
    assert_int_equal(cached_rows(f, AINO, company, CORE_VIEW_USERS), count);
    /* An employee may not list the users of her company. */
    core_session_free(&f->session);
    sign_in(f, RIIKKA);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(users(f), BASE_E_FORBIDDEN);
    assert_int_equal(fixture_last(f, CORE_EV_FAILED)->view, CORE_VIEW_USERS);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_USERS), 0);
}

static void test_session_load_view_receipts_paging(void **state)
{
    struct fixture *f = *state;
    json_int_t user = fixture_user_id(AINO);
    uint64_t request = 0;
    size_t expected;
    size_t count = 0;
    size_t i;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    /* The largest company takes several pages. */
    assert_int_equal(switch_to(f, 318), BASE_OK);
    expected = fixture_accountant_receipts(318, user, NULL);
    assert_true(expected > 100);
    assert_int_equal(receipts(f, NULL, 0, &request), BASE_OK);
    count = fixture_view_rows(f, CORE_VIEW_RECEIPTS);
    assert_int_equal(count, expected);
    assert_true(fixture_count(f, CORE_EV_PROGRESS, request) >= 2);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, request), 1);
    for (i = 0; i < count; i++)
        assert_non_null(cell(f, CORE_VIEW_RECEIPTS, i, "amount"));
    assert_int_equal(receipts(f, NULL, 7, &request), BASE_OK);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), 7);
    assert_int_equal(receipts(f, "queue", 0, &request), BASE_OK);
    count = fixture_view_rows(f, CORE_VIEW_RECEIPTS);
    assert_int_equal(count, fixture_accountant_receipts(318, user, "queue"));
    for (i = 0; i < count; i++)
        assert_string_equal(cell(f, CORE_VIEW_RECEIPTS, i, "state"), "queue");
}

/* ---- 401, held request, repeat after sign-in ---- */

static void test_session_auth_required_repeats_held(void **state)
{
    struct fixture *f = *state;
    const char *fresh = "demo-aino-changed-2025";
    char body[256];
    uint64_t held = 0;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", AINO,
             fresh);
    assert_int_equal(support_sim_control(f->sim, "/sim/password", body), 200);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_USERS, NULL, &held),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, held), BASE_E_AUTH);
    assert_int_equal(fixture_count(f, CORE_EV_AUTH_REQUIRED, held), 1);
    assert_int_equal(core_session_state(f->session), CORE_STATE_REJECTED);
    assert_non_null(strstr(fixture_last_detail(f), "password"));
    /* The old password no longer works; the new one does. */
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_CREDENTIALS);
    /* Past the polite wait that the failure started. */
    core_session_test_advance_clock(core_session_sign_in_wait_ms(f->session));
    assert_int_equal(fixture_sign_in(f, AINO, fresh), BASE_OK);
    assert_int_equal(core_session_finish(f->session, held), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, held), 1);
    assert_int_equal(fixture_count(f, CORE_EV_AUTH_REQUIRED, held), 1);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_USERS),
                     demo_count("memberships", "company_id",
                                core_session_company_id(f->session)));
    assert_int_equal(core_session_state(f->session), CORE_STATE_READY);
}

/* ---- a switch made by another session ---- */

static void test_session_load_home_changed_elsewhere(void **state)
{
    struct fixture *f = *state;
    int64_t first;
    char body[256];
    char *text;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    first = core_session_company_id(f->session);
    assert_int_equal(users(f), BASE_OK);
    assert_true(fixture_view_rows(f, CORE_VIEW_USERS) > 0);
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"company_id\":%d}", AINO,
             first == 318 ? 205 : 318);
    assert_int_equal(support_sim_control(f->sim, "/sim/switch", body), 200);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 1);
    assert_true(core_session_changed_elsewhere(f->session));
    assert_int_equal(core_session_company_id(f->session),
                     first == 318 ? 205 : 318);
    /* The old company's users are gone at once. */
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_USERS), 0);
    text = core_output_whoami(f->session);
    assert_non_null(strstr(text, "\"changed_elsewhere\": true"));
    free(text);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_false(core_session_changed_elsewhere(f->session));
}

/* ---- transport failures ---- */

static void test_session_sign_in_untrusted_ca(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(fixture_open_at(f, support_sim_url(f->sim), NULL, AINO),
                     BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_TLS);
    assert_true(strlen(core_session_last_error(f->session)) > 0);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_OUT);
}

static int closed_port(void)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port;

    assert_true(fd >= 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

static void test_session_sign_in_closed_port(void **state)
{
    struct fixture *f = *state;
    char url[64];

    snprintf(url, sizeof(url), "https://127.0.0.1:%d", closed_port());
    assert_int_equal(fixture_open_at(f, url, support_sim_cacert(f->sim), AINO),
                     BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_NETWORK);
    assert_true(strlen(core_session_last_error(f->session)) > 0);
    /* The transport's reason, without the status message before it. */
    assert_true(strncmp(core_session_last_error(f->session),
                        base_status_message(BASE_E_NETWORK),
                        strlen(base_status_message(BASE_E_NETWORK))) != 0);
}

static void test_session_load_home_retries_5xx(void **state)
{
    struct fixture *f = *state;

    sign_in(f, AINO);
    assert_int_equal(support_sim_control(f->sim, "/sim/fault",
                                         "{\"status\":503,\"count\":2}"),
                     200);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(support_sim_control(f->sim, "/sim/fault",
                                         "{\"status\":500,\"count\":3}"),
                     200);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_E_SERVER);
    /* A PUT is never repeated by itself. */
    assert_int_equal(support_sim_control(f->sim, "/sim/fault",
                                         "{\"status\":503,\"count\":1}"),
                     200);
    assert_int_equal(switch_to(f, 318), BASE_E_SERVER);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
}

static void test_session_load_home_waits_429(void **state)
{
    struct fixture *f = *state;

    sign_in(f, AINO);
    assert_int_equal(support_sim_control(f->sim, "/sim/fault",
                                         "{\"status\":429,\"count\":1}"),
                     200);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(support_sim_control(f->sim, "/sim/fault",
                                         "{\"status\":429,\"count\":5}"),
                     200);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_E_SERVER);
}

/* ---- redirects and oversized answers ---- */

/* Nothing listens there: a followed redirect would end in a network
 * failure, not in BASE_E_REDIRECT. */
#define STEAL_HOST "localhost"
#define REDIRECT_FAULT(count)                                                 \
    "{\"status\":302,\"count\":" #count ",\"location\":\"https://" STEAL_HOST \
    ":9/steal\"}"

static void fault(struct fixture *f, const char *json)
{
    fixture_control(f, "/sim/fault", json);
}

/* The next API answer is a generated body of bytes bytes, cut off and so
 * malformed JSON; chunked sends it without Content-Length. */
static void fault_body(struct fixture *f, long bytes, bool chunked)
{
    char json[128];

    snprintf(json, sizeof(json),
             "{\"count\":1,\"body_bytes\":%ld,\"chunked\":%s}", bytes,
             chunked ? "true" : "false");
    fault(f, json);
}

static void assert_failed(const struct fixture *f, uint64_t request,
                          enum base_status status)
{
    assert_true(f->event_count > 0);
    assert_int_equal(f->events[f->event_count - 1].kind, CORE_EV_FAILED);
    assert_int_equal(f->events[f->event_count - 1].status, status);
    if (request)
        assert_int_equal(f->events[f->event_count - 1].request, request);
    assert_int_equal(base_status_exit_code(status), 6);
}

static void test_session_load_home_redirect_not_followed(void **state)
{
    struct fixture *f = *state;

    sign_in(f, AINO);
    fault(f, REDIRECT_FAULT(2));
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_E_REDIRECT);
    assert_failed(f, 0, BASE_E_REDIRECT);
    assert_non_null(strstr(fixture_last_detail(f), STEAL_HOST));
    assert_non_null(strstr(core_session_last_error(f->session), STEAL_HOST));
    /* One request per attempt, never repeated: the second fault is left
     * for the next call, and the one after it is answered. */
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_E_REDIRECT);
    assert_int_equal(fixture_count(f, CORE_EV_FAILED, 0), 2);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_HOME, 0), 1);
}

static void test_session_sign_in_redirect_stores_nothing(void **state)
{
    struct fixture *f = *state;

    open_session(f, AINO);
    fault(f, REDIRECT_FAULT(1));
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_REDIRECT);
    assert_failed(f, 0, BASE_E_REDIRECT);
    assert_non_null(strstr(fixture_last_detail(f), STEAL_HOST));
    assert_int_equal(fixture_count(f, CORE_EV_SIGNED_IN, 0), 0);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_OUT);
    assert_int_equal(core_session_token_status(f->session), BASE_E_AUTH);
    /* Nothing reached the store: a new session finds no token. */
    open_session(f, AINO);
    assert_int_equal(core_session_token_status(f->session), BASE_E_AUTH);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_OUT);
}

static void test_session_load_view_too_large(void **state)
{
    struct fixture *f = *state;
    uint64_t request = 0;
    int chunked;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    for (chunked = 0; chunked <= 1; chunked++) {
        fault_body(f, 9L * 1024 * 1024, chunked);
        assert_int_equal(receipts(f, NULL, 0, &request), BASE_E_TOO_LARGE);
        assert_failed(f, request, BASE_E_TOO_LARGE);
        assert_int_equal(fixture_count(f, CORE_EV_VIEW, request), 0);
        /* The body is dropped, not quoted. */
        assert_null(strstr(fixture_last_detail(f), "\"id\""));
    }
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), 0);
    /* The session goes on working. */
    assert_int_equal(users(f), BASE_OK);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_USERS),
                     demo_count("memberships", "company_id",
                                core_session_company_id(f->session)));
}

/* A body up to the cap arrives whole and fails to decode; one byte more
 * is refused unread, with or without Content-Length. */
static void test_session_load_view_cap_boundary(void **state)
{
    struct fixture *f = *state;
    uint64_t request = 0;
    int chunked;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    for (chunked = 0; chunked <= 1; chunked++) {
        fault_body(f, CORE_HTTP_BODY_MAX - 1, chunked);
        assert_int_equal(receipts(f, NULL, 0, &request), BASE_E_DECODE);
        assert_failed(f, request, BASE_E_DECODE);
        fault_body(f, CORE_HTTP_BODY_MAX, chunked);
        assert_int_equal(receipts(f, NULL, 0, &request), BASE_E_DECODE);
        fault_body(f, CORE_HTTP_BODY_MAX + 1, chunked);
        assert_int_equal(receipts(f, NULL, 0, &request), BASE_E_TOO_LARGE);
        assert_failed(f, request, BASE_E_TOO_LARGE);
    }
    assert_int_equal(receipts(f, NULL, 3, &request), BASE_OK);
}

/* ---- a list of the old company never arrives under the new one ---- */

static void test_session_switch_drops_old_lists(void **state)
{
    struct fixture *f = *state;
    uint64_t list = 0;
    uint64_t sw = 0;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_RECEIPTS, NULL, &list),
        BASE_OK);
    assert_int_equal(core_session_switch(f->session, 318, &sw), BASE_OK);
    assert_int_equal(core_session_finish(f->session, sw), BASE_OK);
    assert_int_equal(core_session_finish(f->session, list), BASE_E_CANCELLED);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, list), 0);
    /* The switch asks for the new company's first page itself: rows that
     * are there by now are the new company's. */
    if (fixture_view_rows(f, CORE_VIEW_RECEIPTS) > 0)
        assert_int_equal(
            core_session_view(f->session, CORE_VIEW_RECEIPTS)->company_id, 318);
    /* A cancelled request sends no event at all. */
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_USERS, NULL, &list),
        BASE_OK);
    core_session_cancel(f->session, list);
    assert_int_equal(core_session_finish(f->session, list), BASE_E_CANCELLED);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, list) +
                         fixture_count(f, CORE_EV_FAILED, list),
                     0);
}

/* ---- fixes found by using bezala ---- */

static bool stored_signed_in(struct fixture *f, const char *email)
{
    struct core_account *list = NULL;
    size_t count = 0;
    bool found = false;
    size_t i;

    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    for (i = 0; i < count; i++) {
        if (strcmp(list[i].email, email) == 0)
            found = list[i].signed_in;
    }
    core_accounts_free(&list, count);
    return found;
}

static enum base_status stored_token(struct fixture *f, const char *email)
{
    struct base_secret *token = NULL;
    struct db_store *store = NULL;
    struct db_account account;
    enum base_status r;

    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    assert_int_equal(
        db_accounts_find(store, support_sim_url(f->sim), email, &account),
        BASE_OK);
    r = db_tokens_get(store, account.id, &token);
    base_secret_free(&token);
    db_accounts_clear(&account);
    db_store_free(&store);
    return r;
}

/* A token the server rejected is deleted from the store; the held request
 * still repeats after the new sign-in. */
static void test_session_auth_required_deletes_token(void **state)
{
    struct fixture *f = *state;
    uint64_t held = 0;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(stored_token(f, AINO), BASE_OK);
    assert_true(stored_signed_in(f, AINO));
    assert_int_equal(
        support_sim_control(f->sim, "/sim/revoke", "{\"email\":\"" AINO "\"}"),
        200);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_USERS, NULL, &held),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, held), BASE_E_AUTH);
    assert_int_equal(stored_token(f, AINO), BASE_E_AUTH);
    assert_false(stored_signed_in(f, AINO));
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(core_session_finish(f->session, held), BASE_OK);
    assert_int_equal(fixture_count(f, CORE_EV_VIEW, held), 1);
    assert_int_equal(stored_token(f, AINO), BASE_OK);
}

/* Without --account, the session takes the most recently used account;
 * logging that one out hands over to the last other account that can
 * still sign in. */
static void test_session_new_default_after_logout(void **state)
{
    struct fixture *f = *state;

    sign_in(f, AINO);
    sign_in(f, RIIKKA);
    open_session(f, NULL);
    assert_string_equal(core_session_email(f->session), RIIKKA);
    core_session_free(&f->session);
    assert_int_equal(core_accounts_forget(f->data_dir, f->key_dir,
                                          support_sim_url(f->sim), RIIKKA),
                     BASE_OK);
    open_session(f, NULL);
    assert_string_equal(core_session_email(f->session), AINO);
    assert_int_equal(core_session_token_status(f->session), BASE_OK);
    core_session_free(&f->session);
    /* With no token anywhere, the one current before stays current. */
    assert_int_equal(core_accounts_forget(f->data_dir, f->key_dir,
                                          support_sim_url(f->sim), AINO),
                     BASE_OK);
    open_session(f, NULL);
    assert_string_equal(core_session_email(f->session), AINO);
    assert_int_equal(core_session_token_status(f->session), BASE_E_AUTH);
}

/* A token the server rejected never moves the next command without
 * --account to another signed-in identity: the same account stays
 * current and is not signed in. */
static void test_session_new_default_keeps_rejected_account(void **state)
{
    struct fixture *f = *state;
    uint64_t request = 0;

    sign_in(f, AINO);
    sign_in(f, RIIKKA);
    open_session(f, NULL);
    assert_string_equal(core_session_email(f->session), RIIKKA);
    assert_int_equal(support_sim_control(f->sim, "/sim/revoke",
                                         "{\"email\":\"" RIIKKA "\"}"),
                     200);
    assert_int_equal(core_session_load_home(f->session, &request), BASE_OK);
    assert_int_equal(core_session_finish(f->session, request), BASE_E_AUTH);
    assert_int_equal(fixture_count(f, CORE_EV_AUTH_REQUIRED, request), 1);
    core_session_free(&f->session);
    open_session(f, NULL);
    assert_string_equal(core_session_email(f->session), RIIKKA);
    assert_int_equal(core_session_token_status(f->session), BASE_E_AUTH);
    assert_int_equal(core_session_load_home(f->session, &request), BASE_E_AUTH);
    assert_int_equal(stored_token(f, AINO), BASE_OK);
}

/* An email typed in another case is the same account. */
static void test_session_sign_in_email_any_case(void **state)
{
    struct fixture *f = *state;
    struct core_account *list = NULL;
    size_t count = 0;

    sign_in(f, AINO);
    assert_int_equal(fixture_sign_in(f, " AINO.Harkonen@DEMO.bezala.test ",
                                     fixture_password(AINO)),
                     BASE_OK);
    assert_string_equal(core_session_email(f->session), AINO);
    assert_int_equal(core_accounts_list(f->data_dir, f->key_dir, &list, &count),
                     BASE_OK);
    assert_int_equal(count, 1);
    assert_string_equal(list[0].email, AINO);
    core_accounts_free(&list, count);
    open_session(f, "Aino.Harkonen@Demo.Bezala.Test");
    assert_string_equal(core_session_email(f->session), AINO);
    assert_int_equal(core_session_token_status(f->session), BASE_OK);
}

static void expect_startup_refused(struct fixture *f, const char *url,
                                   const char *message)
{
    assert_int_equal(fixture_open_at(f, url, support_sim_cacert(f->sim), NULL),
                     BASE_E_USAGE);
    assert_null(f->session);
    assert_string_equal(core_session_startup_error(), message);
}

/* Each URL is refused before any connection, with its own reason. */
static void test_session_new_url_reasons(void **state)
{
    struct fixture *f = *state;

    expect_startup_refused(
        f, "https://u:p@127.0.0.1:1",
        "the server URL must not contain a user name or password");
    expect_startup_refused(f, "https://127.0.0.1:99999",
                           "the server URL has an invalid port");
    expect_startup_refused(f, "https://127.0.0.1:1/?x=1",
                           "the server URL must not have a query or fragment");
    expect_startup_refused(f, "https://127.0.0.1:1#frag",
                           "the server URL must not have a query or fragment");
    expect_startup_refused(f, "https://127.0.0.1:1/api",
                           "the server URL must be the server's root, "
                           "without a path such as /api");
    assert_int_equal(fixture_open_at(f, "https://127.0.0.1:1/",
                                     support_sim_cacert(f->sim), NULL),
                     BASE_OK);
    assert_string_equal(core_session_startup_error(), "");
}

/* A store problem reaches the front end with the file and the fix. */
static void test_session_new_store_reason(void **state)
{
    struct fixture *f = *state;
    char fix[256];

    open_session(f, NULL);
    core_session_free(&f->session);
    assert_int_equal(chmod(f->data_dir, 0755), 0);
    assert_int_equal(fixture_open_at(f, support_sim_url(f->sim),
                                     support_sim_cacert(f->sim), NULL),
                     BASE_E_PERMISSIONS);
    snprintf(fix, sizeof(fix), "%s has mode 0755; run `chmod 700 %s`",
             f->data_dir, f->data_dir);
    assert_non_null(strstr(core_session_startup_error(), fix));
}

/* The name of the company in companies --json, or NULL. */
static char *listed_name(struct fixture *f, int64_t company)
{
    json_error_t error;
    json_t *doc;
    json_t *c;
    char *text = core_output_companies(f->session);
    char *name = NULL;
    size_t i;

    doc = json_loads(text, 0, &error);
    assert_non_null(doc);
    json_array_foreach(doc, i, c)
    {
        if (json_integer_value(json_object_get(c, "id")) == company &&
            json_is_string(json_object_get(c, "name")))
            name = strdup(json_string_value(json_object_get(c, "name")));
    }
    json_decref(doc);
    free(text);
    return name;
}

static void assert_listed_name(struct fixture *f, int64_t company)
{
    char *name = listed_name(f, company);

    assert_non_null(name);
    assert_string_equal(name, fixture_company_name(company));
    free(name);
}

static void remote_switch(struct fixture *f, int64_t company)
{
    char body[256];

    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"company_id\":%lld}", AINO,
             (long long)company);
    assert_int_equal(support_sim_control(f->sim, "/sim/switch", body), 200);
}

/* A hidden membership name learned from home.company is used by every
 * view, kept across later loads and across sessions. */
static void test_session_load_home_learns_hidden_name(void **state)
{
    struct fixture *f = *state;
    int64_t hidden = 539;
    int64_t found = 0;
    char *name;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    name = listed_name(f, hidden);
    assert_null(name);
    remote_switch(f, hidden);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_listed_name(f, hidden);
    assert_int_equal(core_session_find_company(f->session, "東京", &found),
                     BASE_OK);
    assert_int_equal(found, hidden);
    remote_switch(f, 318);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_listed_name(f, hidden);
    open_session(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_listed_name(f, hidden);
}

static bool starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* Details never repeat the status message and never end in "..". */
static void test_session_failure_detail_format(void **state)
{
    struct fixture *f = *state;
    size_t len;

    open_session(f, AINO);
    assert_int_equal(fixture_sign_in(f, AINO, "not-the-password"),
                     BASE_E_CREDENTIALS);
    assert_string_equal(fixture_last_detail(f),
                        "HTTP 401: Invalid email or password.");
    sign_in(f, AINO);
    fault(f, "{\"status\":500,\"count\":3}");
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_E_SERVER);
    assert_string_equal(fixture_last_detail(f), "HTTP 500: Injected fault.");
    assert_string_equal(core_session_last_error(f->session),
                        "HTTP 500: Injected fault.");
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(switch_to(f, demo_foreign_company(fixture_user_id(AINO))),
                     BASE_E_FORBIDDEN);
    len = strlen(fixture_last_detail(f));
    assert_true(len > 2);
    assert_false(fixture_last_detail(f)[len - 1] == '.' &&
                 fixture_last_detail(f)[len - 2] == '.');
    assert_false(starts_with(fixture_last_detail(f),
                             base_status_message(BASE_E_FORBIDDEN)));
    assert_non_null(
        strstr(fixture_last_detail(f), "HTTP 404: No accepted membership"));
}

/* Data fields keep control characters: --json shows what the server sent
 * (escaped), and only the front end makes text safe for a terminal. */
static void test_session_load_view_keeps_control_chars(void **state)
{
    struct fixture *f = *state;
    uint64_t request = 0;
    char *text;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    fault(f, "{\"count\":1,\"path\":\"/api/transactions\",\"json\":"
             "[{\"id\":7001,\"date\":\"2024-05-01\",\"description\":"
             "\"\\u001b[2J\",\"user_id\":4701,\"user_name\":\"A\\tB\","
             "\"amount\":\"1.00\",\"currency\":\"EUR\",\"state\":\"queue\"}]}");
    assert_int_equal(receipts(f, NULL, 0, &request), BASE_OK);
    assert_int_equal(fixture_view_rows(f, CORE_VIEW_RECEIPTS), 1);
    assert_string_equal(cell(f, CORE_VIEW_RECEIPTS, 0, "description"),
                        "\x1b[2J");
    assert_string_equal(cell(f, CORE_VIEW_RECEIPTS, 0, "user_name"), "A\tB");
    text = core_view_json(core_session_view(f->session, CORE_VIEW_RECEIPTS),
                          NULL, 0);
    assert_non_null(text);
    /* Escaped in the JSON text (jansson writes the hex in capitals). */
    assert_true(strstr(text, "\"description\": \"\\u001B[2J\"") ||
                strstr(text, "\"description\": \"\\u001b[2J\""));
    assert_null(strchr(text, '\x1b'));
    assert_non_null(strstr(text, "\"user_name\": \"A\\tB\""));
    free(text);
}

/* The switch confirmation names a third company: the session follows the
 * server and says where it is, instead of keeping the old company. */
static void test_session_switch_overtaken_follows_server(void **state)
{
    struct fixture *f = *state;
    static const int64_t ids[] = {101, 205, 318};
    int64_t start;
    int64_t asked = 0;
    int64_t reported = 0;
    char json[256];
    size_t i;

    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    start = core_session_company_id(f->session);
    for (i = 0; i < 3; i++) {
        if (ids[i] == start)
            continue;
        if (!asked)
            asked = ids[i];
        else if (!reported)
            reported = ids[i];
    }
    snprintf(json, sizeof(json),
             "{\"count\":1,\"path\":\"/api/company\",\"json\":"
             "{\"id\":%lld,\"name\":\"%s\"}}",
             (long long)reported, fixture_company_name(reported));
    fault(f, json);
    assert_int_equal(switch_to(f, asked), BASE_E_SWITCH);
    assert_int_equal(core_session_company_id(f->session), reported);
    assert_true(core_session_changed_elsewhere(f->session));
    assert_int_equal(fixture_count(f, CORE_EV_CHANGED_ELSEWHERE, 0), 1);
    assert_int_equal(fixture_count(f, CORE_EV_SWITCHED, 0), 0);
    assert_non_null(
        strstr(fixture_last_detail(f), fixture_company_name(reported)));
    assert_non_null(
        strstr(fixture_last_detail(f), fixture_company_name(asked)));
    assert_null(strstr(fixture_last_detail(f), "keeping"));
    assert_string_equal(core_session_company_name(f->session),
                        fixture_company_name(reported));
    /* Once the server is there for real, nothing changed elsewhere. */
    remote_switch(f, reported);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(core_session_company_id(f->session), reported);
    assert_false(core_session_changed_elsewhere(f->session));
}

/* ---- no secret in any file ---- */

static void log_to_file(enum base_log_level level, const char *line, void *user)
{
    fprintf(user, "%s %s\n", base_log_level_name(level), line);
}

static void assert_clean(const struct fixture *f, const char *log_path,
                         const struct base_secret *token, const char *password)
{
    const char *names[] = {"data/bezala.db", "data/bezala.db-wal",
                           "data/bezala.db-shm", "config/key"};
    char path[160];
    size_t i;

    assert_true(fixture_file_has(log_path, "GET /api/home", 13));
    assert_false(fixture_file_has(log_path, base_secret_str(token),
                                  base_secret_len(token)));
    assert_false(fixture_file_has(log_path, password, strlen(password)));
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", f->home, names[i]);
        assert_false(fixture_file_has(path, base_secret_str(token),
                                      base_secret_len(token)));
        assert_false(fixture_file_has(path, password, strlen(password)));
    }
}

static void test_session_secrets_never_stored(void **state)
{
    struct fixture *f = *state;
    struct base_secret *token = NULL;
    struct db_store *store = NULL;
    struct db_account account;
    uint64_t request = 0;
    char log_path[128];
    FILE *log;

    snprintf(log_path, sizeof(log_path), "%s/log", f->home);
    log = fopen(log_path, "w");
    assert_non_null(log);
    base_log_set_sink(log_to_file, log, BASE_LOG_DEBUG);
    sign_in(f, AINO);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(users(f), BASE_OK);
    assert_int_equal(receipts(f, NULL, 0, &request), BASE_OK);
    fflush(log);
    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    assert_int_equal(
        db_accounts_find(store, support_sim_url(f->sim), AINO, &account),
        BASE_OK);
    assert_int_equal(db_tokens_get(store, account.id, &token), BASE_OK);
    db_accounts_clear(&account);
    db_store_free(&store);
    assert_true(
        core_http_token_ok(base_secret_str(token), base_secret_len(token)));
    assert_clean(f, log_path, token, fixture_password(AINO));
    core_session_free(&f->session);
    fflush(log);
    assert_clean(f, log_path, token, fixture_password(AINO));
    base_log_set_sink(NULL, NULL, BASE_LOG_WARN);
    fclose(log);
    base_secret_free(&token);
}

#define T(name) \
    cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_session_sign_in_null),
        T(test_session_sign_in_good_and_reused),
        T(test_session_sign_in_wrong_password),
        T(test_session_load_home_companies),
        T(test_session_switch_confirmed),
        T(test_session_switch_without_membership),
        T(test_session_find_company_plain),
        T(test_session_load_view_users_by_role),
        T(test_session_load_view_receipts_paging),
        T(test_session_auth_required_repeats_held),
        T(test_session_load_home_changed_elsewhere),
        T(test_session_sign_in_untrusted_ca),
        T(test_session_sign_in_closed_port),
        T(test_session_load_home_retries_5xx),
        T(test_session_load_home_waits_429),
        T(test_session_load_home_redirect_not_followed),
        T(test_session_sign_in_redirect_stores_nothing),
        T(test_session_load_view_too_large),
        T(test_session_load_view_cap_boundary),
        T(test_session_switch_drops_old_lists),
        T(test_session_auth_required_deletes_token),
        T(test_session_new_default_after_logout),
        T(test_session_new_default_keeps_rejected_account),
        T(test_session_sign_in_email_any_case),
        T(test_session_new_url_reasons),
        T(test_session_new_store_reason),
        T(test_session_load_home_learns_hidden_name),
        T(test_session_failure_detail_format),
        T(test_session_load_view_keeps_control_chars),
        T(test_session_switch_overtaken_follows_server),
        T(test_session_secrets_never_stored),
    };
    int failed;

    if (base_secret_init() != BASE_OK || core_http_global_init() != BASE_OK ||
        fixture_load_demo() != 0)
        return 1;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_free_demo();
    return failed;
}
