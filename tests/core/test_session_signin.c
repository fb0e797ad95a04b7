/* Every way in against bezala-sim: SSO sign-in per provider, the company
 * that enforces SSO, the service user, the polite wait after failures and
 * a vault locked by a passphrase. Expected values come from the demo data
 * set, not from numbers written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/log.h"
#include "base/secret.h"
#include "core/http.h"
#include "core/session.h"
#include "core/session_test.h"
#include "core/vault.h"
#include "db/vault_test.h"
#include "tests/core/fixture.h"

#define AINO "aino.harkonen@demo.bezala.test"
#define KAISA "kaisa.rautio@revontuli.demo.bezala.test"
#define SERVICE "integration@service.demo.bezala.test"
#define EXEMPT "ilmari.nieminen@revontuli.demo.bezala.test"
#define SSO_COMPANY 642

static const char *const provider_names[] = {"google", "microsoft", "okta"};

static bool starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

static void skip_wait(struct fixture *f)
{
    core_session_test_advance_clock(core_session_sign_in_wait_ms(f->session));
    assert_int_equal(core_session_sign_in_wait_ms(f->session), 0);
}

static const struct fixture_event *last_failure(const struct fixture *f)
{
    const struct fixture_event *e = fixture_last(f, CORE_EV_FAILED);

    assert_non_null(e);
    return e;
}

/* Signs KAISA in with her demo token of provider. */
static enum base_status sso_good(struct fixture *f, int provider)
{
    const char *okta = fixture_okta_url(SSO_COMPANY);
    const char *company = fixture_company_name(SSO_COMPANY);

    return fixture_sign_in_sso(
        f, (enum core_sso_provider)provider, KAISA,
        fixture_sso_token(KAISA, provider_names[provider]),
        provider == CORE_SSO_OKTA ? okta : NULL,
        provider == CORE_SSO_OKTA ? company : NULL);
}

static json_t *find_user(const char *email)
{
    json_t *user;
    size_t i;

    json_array_foreach(json_object_get(fixture_demo(), "users"), i, user)
    {
        if (strcmp(json_string_value(json_object_get(user, "email")), email) ==
            0)
            return user;
    }
    fail_msg("no demo user %s", email);
    return NULL;
}

/* ---- SSO ---- */

static void test_session_sign_in_sso_null(void **state)
{
    struct fixture *f = *state;
    struct base_secret *token = NULL;
    struct core_sso sso = {CORE_SSO_GOOGLE, KAISA, NULL, NULL, NULL};
    uint64_t request = 0;

    assert_int_equal(core_sso_provider_parse(NULL), -1);
    assert_int_equal(core_sso_provider_parse(""), -1);
    assert_int_equal(core_sso_provider_parse("github"), -1);
    assert_int_equal(core_sso_provider_parse("Google"), CORE_SSO_GOOGLE);
    assert_int_equal(core_sso_provider_parse("microsoft"), CORE_SSO_MICROSOFT);
    assert_int_equal(core_sso_provider_parse("OKTA"), CORE_SSO_OKTA);
    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_int_equal(core_session_sign_in_sso(NULL, &sso, &request),
                     BASE_E_INVALID);
    assert_int_equal(core_session_sign_in_sso(f->session, NULL, &request),
                     BASE_E_INVALID);
    assert_int_equal(core_session_sign_in_sso(f->session, &sso, NULL),
                     BASE_E_INVALID);
    /* No access token, an empty one, a blank email, an unknown provider:
     * refused before any request. */
    assert_int_equal(core_session_sign_in_sso(f->session, &sso, &request),
                     BASE_E_INVALID);
    assert_int_equal(base_secret_new("x", 0, &token), BASE_OK);
    sso.access_token = token;
    assert_int_equal(core_session_sign_in_sso(f->session, &sso, &request),
                     BASE_E_INVALID);
    base_secret_free(&token);
    assert_int_equal(base_secret_new("demo", 4, &token), BASE_OK);
    sso.access_token = token;
    sso.email = "  ";
    assert_int_equal(core_session_sign_in_sso(f->session, &sso, &request),
                     BASE_E_INVALID);
    sso.email = KAISA;
    sso.provider = (enum core_sso_provider)7;
    assert_int_equal(core_session_sign_in_sso(f->session, &sso, &request),
                     BASE_E_INVALID);
    base_secret_free(&token);
    assert_false(core_session_busy(f->session));
    assert_int_equal(f->event_count, 0);
    assert_int_equal(core_session_sign_in_wait_ms(f->session), 0);
}

/* Each provider's demo token signs the SSO-only user in; the token is
 * stored and the next session uses it. */
static void test_session_sign_in_sso_each_provider(void **state)
{
    struct fixture *f = *state;
    int p;

    for (p = CORE_SSO_GOOGLE; p <= CORE_SSO_OKTA; p++) {
        assert_int_equal(fixture_open(f, KAISA), BASE_OK);
        assert_int_equal(sso_good(f, p), BASE_OK);
        assert_int_equal(fixture_count(f, CORE_EV_SIGNED_IN, 0), (size_t)p + 1);
        assert_string_equal(core_session_email(f->session), KAISA);
        assert_int_equal(fixture_open(f, NULL), BASE_OK);
        assert_int_equal(core_session_token_status(f->session), BASE_OK);
        assert_string_equal(core_session_email(f->session), KAISA);
        assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
        assert_int_equal(core_session_home(f->session)->user_id,
                         fixture_user_id(KAISA));
        assert_int_equal(core_session_company_id(f->session), SSO_COMPANY);
        assert_int_equal(core_session_sign_out(f->session), BASE_OK);
    }
}

/* A wrong provider token, or a good one for another email, is refused
 * with the server's own text. */
static void test_session_sign_in_sso_wrong_token(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *e;
    char label[32];
    int p;

    assert_int_equal(fixture_open(f, KAISA), BASE_OK);
    for (p = CORE_SSO_GOOGLE; p <= CORE_SSO_OKTA; p++) {
        assert_int_equal(fixture_sign_in_sso(f, (enum core_sso_provider)p,
                                             KAISA, "demo-not-a-token",
                                             fixture_okta_url(642),
                                             fixture_company_name(642)),
                         BASE_E_CREDENTIALS);
        e = last_failure(f);
        assert_int_equal(e->status, BASE_E_CREDENTIALS);
        assert_int_equal(e->http_status, 401);
        snprintf(label, sizeof(label), "The %s access token",
                 core_sso_provider_label((enum core_sso_provider)p));
        assert_true(starts_with(e->detail, "HTTP 401: "));
        assert_non_null(strstr(e->detail, label));
        assert_null(strstr(e->detail, "demo-not-a-token"));
        skip_wait(f);
    }
    /* Kaisa's good Google token claimed for Aino. */
    assert_int_equal(fixture_sign_in_sso(f, CORE_SSO_GOOGLE, AINO,
                                         fixture_sso_token(KAISA, "google"),
                                         NULL, NULL),
                     BASE_E_CREDENTIALS);
    assert_non_null(strstr(last_failure(f)->detail, "does not match"));
    assert_int_equal(fixture_count(f, CORE_EV_SIGNED_IN, 0), 0);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_OUT);
}

/* Okta needs the company name and the Okta URL: missing ones are refused
 * here, wrong ones by the server. */
static void test_session_sign_in_sso_okta_fields(void **state)
{
    struct fixture *f = *state;
    const char *token = fixture_sso_token(KAISA, "okta");
    const char *url = fixture_okta_url(SSO_COMPANY);
    const char *name = fixture_company_name(SSO_COMPANY);

    assert_non_null(url);
    assert_int_equal(fixture_open(f, KAISA), BASE_OK);
    assert_int_equal(
        fixture_sign_in_sso(f, CORE_SSO_OKTA, KAISA, token, NULL, name),
        BASE_E_INVALID);
    assert_non_null(strstr(core_session_last_error(f->session), "Okta URL"));
    assert_int_equal(
        fixture_sign_in_sso(f, CORE_SSO_OKTA, KAISA, token, url, " "),
        BASE_E_INVALID);
    assert_non_null(
        strstr(core_session_last_error(f->session), "company name"));
    assert_int_equal(f->event_count, 0);
    assert_int_equal(fixture_sign_in_sso(f, CORE_SSO_OKTA, KAISA, token,
                                         "https://other.okta.demo.test", name),
                     BASE_E_CREDENTIALS);
    assert_non_null(strstr(last_failure(f)->detail, "Okta"));
    skip_wait(f);
    assert_int_equal(fixture_sign_in_sso(f, CORE_SSO_OKTA, KAISA, token, url,
                                         fixture_company_name(101)),
                     BASE_E_CREDENTIALS);
    skip_wait(f);
    assert_int_equal(
        fixture_sign_in_sso(f, CORE_SSO_OKTA, KAISA, token, url, name),
        BASE_OK);
}

/* Password sign-in of an SSO-only user: the status says SSO is required
 * and the detail the ways through, then the server's text. */
static void test_session_sign_in_sso_required(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *e;
    char server[256];

    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_int_equal(fixture_sign_in(f, KAISA, "anything-at-all"),
                     BASE_E_SSO_REQUIRED);
    e = last_failure(f);
    assert_int_equal(e->status, BASE_E_SSO_REQUIRED);
    assert_int_equal(e->http_status, 403);
    assert_int_equal(base_status_exit_code(BASE_E_SSO_REQUIRED), 3);
    assert_true(starts_with(e->detail, "sign in with SSO (Google, "
                                       "Microsoft or Okta)"));
    assert_non_null(strstr(e->detail, "integration user"));
    assert_non_null(strstr(e->detail, "SSO exemption"));
    snprintf(server, sizeof(server),
             "; HTTP 403: Password sign-in is disabled for %s",
             fixture_company_name(SSO_COMPANY));
    assert_non_null(strstr(e->detail, server));
    assert_false(
        starts_with(e->detail, base_status_message(BASE_E_SSO_REQUIRED)));
    assert_string_equal(core_session_last_error(f->session), e->detail);
    /* A wrong password elsewhere stays a plain credentials failure. */
    skip_wait(f);
    assert_int_equal(fixture_sign_in(f, AINO, "not-the-password"),
                     BASE_E_CREDENTIALS);
    assert_string_equal(last_failure(f)->detail,
                        "HTTP 401: Invalid email or password.");
}

/* The service user (email outside the SSO domain) and an exempt user of
 * the same company sign in with their passwords. */
static void test_session_sign_in_service_user(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_int_equal(fixture_sign_in(f, SERVICE, fixture_password(SERVICE)),
                     BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    assert_int_equal(core_session_company_id(f->session),
                     fixture_user_company(SERVICE));
    assert_int_equal(core_session_company_id(f->session), SSO_COMPANY);
    assert_int_equal(fixture_load_view(f, CORE_VIEW_USERS, NULL, NULL),
                     BASE_OK);
    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_true(json_is_true(json_object_get(find_user(EXEMPT), "sso_exempt")));
    assert_int_equal(fixture_sign_in(f, EXEMPT, fixture_user_password(EXEMPT)),
                     BASE_OK);
}

/* ---- the polite wait ---- */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static void test_session_sign_in_wait_ms_null(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(core_session_sign_in_wait_ms(NULL), 0);
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(core_session_sign_in_wait_ms(f->session), 0);
}

/* A failure makes the next attempt wait; an early one is refused without
 * a request; the wait counts down and, once over, the attempt is sent. */
static void test_session_sign_in_wait_ms_refuses_early(void **state)
{
    struct fixture *f = *state;
    size_t events;
    long first;
    long later;

    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, "not-the-password"),
                     BASE_E_CREDENTIALS);
    first = core_session_sign_in_wait_ms(f->session);
    assert_true(first > 0 && first <= 1000);
    events = f->event_count;
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_RATE_LIMITED);
    assert_int_equal(f->event_count, events);
    assert_false(core_session_busy(f->session));
    assert_non_null(strstr(core_session_last_error(f->session), "wait 1 s"));
    sleep_ms(50);
    later = core_session_sign_in_wait_ms(f->session);
    assert_true(later > 0 && later < first);
    /* On the real clock: after the wait, the attempt goes out. */
    sleep_ms(later + 20);
    assert_int_equal(core_session_sign_in_wait_ms(f->session), 0);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(f->event_count, events + 1);
    assert_int_equal(core_session_sign_in_wait_ms(f->session), 0);
}

/* The wait doubles with each failure up to 30 s; success resets it. */
static void test_session_sign_in_wait_ms_doubles_to_cap(void **state)
{
    struct fixture *f = *state;
    long expected = 1000;
    long wait;
    int i;

    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    for (i = 0; i < 7; i++) {
        assert_int_equal(fixture_sign_in(f, AINO, "not-the-password"),
                         BASE_E_CREDENTIALS);
        assert_int_equal(fixture_count(f, CORE_EV_FAILED, 0), (size_t)i + 1);
        wait = core_session_sign_in_wait_ms(f->session);
        assert_true(wait <= expected);
        assert_true(wait > expected - 500);
        assert_int_equal(fixture_sign_in(f, AINO, "not-the-password"),
                         BASE_E_RATE_LIMITED);
        skip_wait(f);
        expected = expected * 2 > 30000 ? 30000 : expected * 2;
    }
    assert_int_equal(expected, 30000);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(core_session_sign_in_wait_ms(f->session), 0);
    assert_int_equal(core_session_sign_out(f->session), BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, "not-the-password"),
                     BASE_E_CREDENTIALS);
    assert_true(core_session_sign_in_wait_ms(f->session) <= 1000);
}

/* A 429 at sign-in is the server's failure (exit 6), not the local
 * pacing: BASE_E_SERVER with the wait in the detail. The wait still
 * counts, an early attempt is the local BASE_E_RATE_LIMITED, and the POST
 * is never repeated by itself. */
static void test_session_sign_in_429_not_retried(void **state)
{
    struct fixture *f = *state;
    const struct fixture_event *e;
    char want[64];
    long wait;

    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    fixture_control(
        f, "/sim/fault",
        "{\"status\":429,\"count\":2,\"path\":\"/api/auth/token\"}");
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_SERVER);
    e = last_failure(f);
    assert_int_equal(e->http_status, 429);
    wait = core_session_sign_in_wait_ms(f->session);
    assert_true(wait > 0);
    snprintf(want, sizeof(want), "HTTP 429: too many requests; wait %ld s",
             (wait + 999) / 1000);
    assert_string_equal(e->detail, want);
    assert_int_equal(base_status_exit_code(e->status), 6);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_RATE_LIMITED);
    skip_wait(f);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_SERVER);
    assert_true(core_session_sign_in_wait_ms(f->session) > 1000);
    skip_wait(f);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
}

/* ---- secrets ---- */

static void log_to_file(enum base_log_level level, const char *line, void *user)
{
    fprintf(user, "%s %s\n", base_log_level_name(level), line);
}

/* The provider's token reaches neither the log (at debug) nor a file. */
static void test_session_sign_in_sso_token_never_kept(void **state)
{
    struct fixture *f = *state;
    const char *names[] = {"log", "data/bezala.db", "data/bezala.db-wal",
                           "config/key"};
    const char *token = fixture_sso_token(KAISA, "microsoft");
    char path[160];
    FILE *log;
    size_t i;

    snprintf(path, sizeof(path), "%s/log", f->home);
    log = fopen(path, "w");
    assert_non_null(log);
    base_log_set_sink(log_to_file, log, BASE_LOG_DEBUG);
    assert_int_equal(fixture_open(f, KAISA), BASE_OK);
    assert_int_equal(sso_good(f, CORE_SSO_MICROSOFT), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    core_session_free(&f->session);
    fflush(log);
    assert_true(fixture_file_has(path, "POST /api/auth/microsoft/token",
                                 strlen("POST /api/auth/microsoft/token")));
    assert_true(fixture_file_has(path, "<redacted", strlen("<redacted")));
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", f->home, names[i]);
        assert_false(fixture_file_has(path, token, strlen(token)));
    }
    base_log_set_sink(NULL, NULL, BASE_LOG_WARN);
    fclose(log);
}

/* ---- a vault locked by a passphrase ---- */

static void set_passphrase(struct fixture *f, const char *old, const char *pw)
{
    struct base_secret *o = NULL;
    struct base_secret *n = NULL;

    if (old)
        assert_int_equal(base_secret_new(old, strlen(old), &o), BASE_OK);
    assert_int_equal(base_secret_new(pw, strlen(pw), &n), BASE_OK);
    assert_int_equal(core_vault_set_passphrase(f->data_dir, f->key_dir, o, n),
                     BASE_OK);
    base_secret_free(&o);
    base_secret_free(&n);
}

static enum base_status unlock(struct fixture *f, const char *pw)
{
    struct base_secret *secret = NULL;
    enum base_status r;

    assert_int_equal(base_secret_new(pw, strlen(pw), &secret), BASE_OK);
    r = core_session_unlock(f->session, secret);
    base_secret_free(&secret);
    return r;
}

static void test_session_unlock_null(void **state)
{
    struct fixture *f = *state;
    struct base_secret *pw = NULL;

    assert_int_equal(base_secret_new("pw", 2, &pw), BASE_OK);
    assert_int_equal(core_session_unlock(NULL, pw), BASE_E_INVALID);
    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_int_equal(core_session_unlock(f->session, NULL), BASE_E_INVALID);
    /* Key-file mode: nothing to unlock. */
    assert_int_equal(core_session_unlock(f->session, pw), BASE_OK);
    assert_int_equal(core_session_token_status(f->session), BASE_E_AUTH);
    base_secret_free(&pw);
}

/* Without the passphrase the session is locked; a wrong one keeps it so,
 * the right one loads the token. */
static void test_session_unlock_passphrase(void **state)
{
    struct fixture *f = *state;
    const char *pw = "correct horse battery staple";
    struct base_secret *given = NULL;
    uint64_t request = 0;

    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    core_session_free(&f->session);
    set_passphrase(f, NULL, pw);
    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_int_equal(core_session_token_status(f->session), BASE_E_LOCKED);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_OUT);
    assert_string_equal(core_session_email(f->session), AINO);
    assert_int_equal(core_session_load_home(f->session, &request), BASE_E_AUTH);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)),
                     BASE_E_LOCKED);
    assert_int_equal(unlock(f, "correct horse battery"), BASE_E_PASSPHRASE);
    assert_int_equal(core_session_token_status(f->session), BASE_E_LOCKED);
    assert_int_equal(unlock(f, pw), BASE_OK);
    assert_int_equal(core_session_token_status(f->session), BASE_OK);
    assert_int_equal(core_session_state(f->session), CORE_STATE_SIGNED_IN);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    /* Given at the start, the passphrase unlocks at once; a wrong one
     * stops the session from starting. */
    assert_int_equal(base_secret_new(pw, strlen(pw), &given), BASE_OK);
    f->passphrase = given;
    assert_int_equal(fixture_open(f, NULL), BASE_OK);
    assert_int_equal(core_session_token_status(f->session), BASE_OK);
    base_secret_free(&given);
    assert_int_equal(base_secret_new("wrong", 5, &given), BASE_OK);
    f->passphrase = given;
    assert_int_equal(fixture_open(f, NULL), BASE_E_PASSPHRASE);
    assert_null(f->session);
    f->passphrase = NULL;
    base_secret_free(&given);
}

#define T(name) \
    cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_session_sign_in_sso_null),
        T(test_session_sign_in_sso_each_provider),
        T(test_session_sign_in_sso_wrong_token),
        T(test_session_sign_in_sso_okta_fields),
        T(test_session_sign_in_sso_required),
        T(test_session_sign_in_service_user),
        T(test_session_sign_in_wait_ms_null),
        T(test_session_sign_in_wait_ms_refuses_early),
        T(test_session_sign_in_wait_ms_doubles_to_cap),
        T(test_session_sign_in_429_not_retried),
        T(test_session_sign_in_sso_token_never_kept),
        T(test_session_unlock_null),
        T(test_session_unlock_passphrase),
    };
    int failed;

    if (base_secret_init() != BASE_OK || core_http_global_init() != BASE_OK ||
        fixture_load_demo() != 0)
        return 1;
    db_vault_test_set_kdf(crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_free_demo();
    return failed;
}
