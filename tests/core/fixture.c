/* The shared fixture of the session integration tests. */
#include "tests/core/fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <cmocka.h>

#include "base/log.h"
#include "tests/core/home.h"

#define DEMO BEZALA_TEST_ASSETS "/demo"

static json_t *demo_data;

int fixture_load_demo(void)
{
    json_error_t error;

    demo_data = json_load_file(DEMO "/data.json", 0, &error);
    return demo_data ? 0 : -1;
}

void fixture_free_demo(void)
{
    json_decref(demo_data);
    demo_data = NULL;
}

json_t *fixture_demo(void)
{
    return demo_data;
}

static void on_event(const struct core_event *event, void *user)
{
    struct fixture *f = user;
    struct fixture_event *e;

    if (f->event_count >= FIXTURE_EVENTS_MAX)
        return;
    e = &f->events[f->event_count++];
    e->kind = event->kind;
    e->request = event->request;
    e->status = event->status;
    e->http_status = event->http_status;
    e->count = event->count;
    e->view = event->view;
    e->view_rows = core_session_view(f->session, event->view)->count;
    snprintf(e->detail, sizeof(e->detail), "%s", event->detail);
    if (f->after_event)
        f->after_event(f, event);
}

int fixture_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    if (home_make("core", f->home, sizeof(f->home), f->data_dir,
                  sizeof(f->data_dir), f->key_dir, sizeof(f->key_dir)) != 0)
        return -1;
    if (support_sim_start(0, &f->sim) != 0)
        return -1;
    *state = f;
    return 0;
}

int fixture_teardown(void **state)
{
    struct fixture *f = *state;

    core_session_free(&f->session);
    support_sim_stop(&f->sim);
    home_remove(f->home);
    base_log_set_sink(NULL, NULL, BASE_LOG_WARN);
    free(f);
    return 0;
}

enum base_status fixture_open(struct fixture *f, const char *email)
{
    return fixture_open_at(f, support_sim_url(f->sim),
                           support_sim_cacert(f->sim), email);
}

enum base_status fixture_open_at(struct fixture *f, const char *url,
                                 const char *cacert, const char *email)
{
    struct core_callbacks callbacks = {on_event, f};
    struct core_config config;

    memset(&config, 0, sizeof(config));
    config.server = url;
    config.cacert = cacert;
    config.data_dir = f->data_dir;
    config.key_dir = f->key_dir;
    config.email = email;
    config.passphrase = f->passphrase;
    config.pin_company = f->pin;
    core_session_free(&f->session);
    return core_session_new(&config, &callbacks, &f->session);
}

enum base_status fixture_sign_in(struct fixture *f, const char *email,
                                 const char *password)
{
    struct base_secret *secret = NULL;
    uint64_t request = 0;
    enum base_status r;

    assert_int_equal(base_secret_new(password, strlen(password), &secret),
                     BASE_OK);
    r = core_session_sign_in(f->session, email, secret, &request);
    base_secret_free(&secret);
    if (r != BASE_OK)
        return r;
    return core_session_finish(f->session, request);
}

enum base_status fixture_sign_in_sso(struct fixture *f,
                                     enum core_sso_provider provider,
                                     const char *email, const char *token,
                                     const char *okta_url,
                                     const char *company_name)
{
    struct base_secret *secret = NULL;
    struct core_sso sso;
    uint64_t request = 0;
    enum base_status r;

    assert_int_equal(base_secret_new(token, strlen(token), &secret), BASE_OK);
    sso.provider = provider;
    sso.email = email;
    sso.access_token = secret;
    sso.okta_url = okta_url;
    sso.company_name = company_name;
    r = core_session_sign_in_sso(f->session, &sso, &request);
    base_secret_free(&secret);
    if (r != BASE_OK)
        return r;
    return core_session_finish(f->session, request);
}

enum base_status fixture_run(struct fixture *f,
                             enum base_status (*start)(struct core_session *,
                                                       uint64_t *))
{
    uint64_t request = 0;
    enum base_status r = start(f->session, &request);

    return r != BASE_OK ? r : core_session_finish(f->session, request);
}

enum base_status fixture_load_view(struct fixture *f, enum core_view view,
                                   const struct core_view_query *query,
                                   uint64_t *request)
{
    uint64_t id = 0;
    enum base_status r;

    r = core_session_load_view(f->session, view, query, &id);
    if (request)
        *request = id;
    return r != BASE_OK ? r : core_session_finish(f->session, id);
}

size_t fixture_view_rows(const struct fixture *f, enum core_view view)
{
    return core_session_view(f->session, view)->count;
}

size_t fixture_count(const struct fixture *f, enum core_event_kind kind,
                     uint64_t request)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < f->event_count; i++) {
        if (f->events[i].kind == kind &&
            (request == 0 || f->events[i].request == request))
            n++;
    }
    return n;
}

const struct fixture_event *fixture_last(const struct fixture *f,
                                         enum core_event_kind kind)
{
    size_t i = f->event_count;

    while (i > 0) {
        i--;
        if (f->events[i].kind == kind)
            return &f->events[i];
    }
    return NULL;
}

const char *fixture_last_detail(const struct fixture *f)
{
    return f->event_count ? f->events[f->event_count - 1].detail : "";
}

void fixture_control(struct fixture *f, const char *path, const char *json)
{
    assert_int_equal(support_sim_control(f->sim, path, json), 200);
}

const char *fixture_password(const char *email)
{
    static char line[512];
    FILE *fp = fopen(DEMO "/accounts.tsv", "r");
    size_t len = strlen(email);
    char *tab;

    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp)) {
        if (line[0] == '#' || strncmp(line, email, len) != 0 ||
            line[len] != '\t')
            continue;
        fclose(fp);
        tab = strchr(line + len + 1, '\t');
        if (tab)
            *tab = '\0';
        return line + len + 1;
    }
    fclose(fp);
    fail_msg("no demo account %s", email);
    return NULL;
}

static json_t *find_by(const char *list, const char *field, const char *text,
                       json_int_t id)
{
    json_t *item;
    size_t i;

    json_array_foreach(json_object_get(demo_data, list), i, item)
    {
        json_t *v = json_object_get(item, field);

        if (text ? json_is_string(v) && strcmp(json_string_value(v), text) == 0
                 : json_integer_value(v) == id)
            return item;
    }
    fail_msg("no %s with %s %s", list, field, text ? text : "(id)");
    return NULL;
}

json_int_t fixture_user_id(const char *email)
{
    return json_integer_value(
        json_object_get(find_by("users", "email", email, 0), "id"));
}

const char *fixture_user_password(const char *email)
{
    return json_string_value(
        json_object_get(find_by("users", "email", email, 0), "password"));
}

json_int_t fixture_user_company(const char *email)
{
    return json_integer_value(
        json_object_get(find_by("users", "email", email, 0), "company_id"));
}

const char *fixture_company_name(json_int_t company)
{
    return json_string_value(
        json_object_get(find_by("companies", "id", NULL, company), "name"));
}

const char *fixture_okta_url(json_int_t company)
{
    return json_string_value(
        json_object_get(find_by("companies", "id", NULL, company), "okta_url"));
}

const char *fixture_sso_token(const char *email, const char *provider)
{
    json_t *user = find_by("users", "email", email, 0);

    return json_string_value(
        json_object_get(json_object_get(user, "sso"), provider));
}

size_t fixture_members(json_int_t company)
{
    json_t *m;
    size_t n = 0;
    size_t i;

    json_array_foreach(json_object_get(demo_data, "memberships"), i, m)
    {
        if (json_integer_value(json_object_get(m, "company_id")) == company)
            n++;
    }
    return n;
}

size_t fixture_accountant_receipts(json_int_t company, json_int_t user,
                                   const char *state)
{
    json_t *r;
    size_t n = 0;
    size_t i;

    json_array_foreach(json_object_get(fixture_demo(), "receipts"), i, r)
    {
        const char *s = json_string_value(json_object_get(r, "state"));

        if (json_integer_value(json_object_get(r, "company_id")) != company)
            continue;
        if (strcmp(s, "draft") == 0 &&
            json_integer_value(json_object_get(r, "user_id")) != user)
            continue;
        if (!state || strcmp(s, state) == 0)
            n++;
    }
    return n;
}

bool fixture_file_has(const char *path, const void *needle, size_t len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long size;
    bool found;

    if (!fp)
        return false;
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    found = memmem(buf, (size_t)size, needle, len) != NULL;
    free(buf);
    return found;
}
