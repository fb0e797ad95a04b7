/* Shared fixture of the session integration tests: a fresh home
 * directory and a fresh bezala-sim per test, the events recorded, and the
 * demo data read from the data set itself. */
#ifndef BEZALA_TESTS_CORE_FIXTURE_H
#define BEZALA_TESTS_CORE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/secret.h"
#include "core/session.h"
#include "tests/support/sim.h"

#define FIXTURE_EVENTS_MAX 256
#define FIXTURE_DETAIL_MAX 768

struct fixture_event {
    enum core_event_kind kind;
    uint64_t request;
    enum base_status status;
    long http_status;
    size_t count;
    enum core_view view;
    size_t view_rows; /* rows the session held for view at the event */
    char detail[FIXTURE_DETAIL_MAX];
};

struct fixture {
    struct support_sim *sim;
    struct core_session *session;
    char home[64];
    char data_dir[96];
    char key_dir[96];
    struct fixture_event events[FIXTURE_EVENTS_MAX];
    size_t event_count;
    /* Options of the next fixture_open. */
    const struct base_secret *passphrase;
    bool pin;
    /* Called with each event once it is recorded; NULL: none. */
    void (*after_event)(struct fixture *f, const struct core_event *event);
};

/* cmocka setup and teardown: home dir and sim per test. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* Loads BEZALA_TEST_ASSETS/demo/data.json once; fixture_demo() borrows. */
int fixture_load_demo(void);
void fixture_free_demo(void);
json_t *fixture_demo(void);

/* Opens a new session (the old one freed) for email (NULL: default). */
enum base_status fixture_open(struct fixture *f, const char *email);
/* The same against server url with CA file cacert (NULL: the system's). */
enum base_status fixture_open_at(struct fixture *f, const char *url,
                                 const char *cacert, const char *email);

/* Signs in with a password or SSO and drives it to its end. */
enum base_status fixture_sign_in(struct fixture *f, const char *email,
                                 const char *password);
enum base_status fixture_sign_in_sso(struct fixture *f,
                                     enum core_sso_provider provider,
                                     const char *email, const char *token,
                                     const char *okta_url,
                                     const char *company_name);

/* Runs a starting call such as core_session_load_home to its end. */
enum base_status fixture_run(struct fixture *f,
                             enum base_status (*start)(struct core_session *,
                                                       uint64_t *));

/* Loads view (query NULL: everything) and drives the load to its end;
 * its id in *request when request is not NULL. */
enum base_status fixture_load_view(struct fixture *f, enum core_view view,
                                   const struct core_view_query *query,
                                   uint64_t *request);
/* Rows the session holds now for view. */
size_t fixture_view_rows(const struct fixture *f, enum core_view view);

/* Events of kind (any request when request is 0). */
size_t fixture_count(const struct fixture *f, enum core_event_kind kind,
                     uint64_t request);
/* The last event of kind, or NULL. */
const struct fixture_event *fixture_last(const struct fixture *f,
                                         enum core_event_kind kind);
/* The detail of the last event recorded, or "" before any. */
const char *fixture_last_detail(const struct fixture *f);

/* Whether the file at path holds the len bytes of needle anywhere; false
 * when the file does not exist. */
bool fixture_file_has(const char *path, const void *needle, size_t len);

/* POSTs a control call to the sim and expects 200. */
void fixture_control(struct fixture *f, const char *path, const char *json);

/* From the demo data set: the password column of accounts.tsv, a user's
 * id, active company, and a company's name, Okta URL. */
const char *fixture_password(const char *email);
json_int_t fixture_user_id(const char *email);
/* The password of a demo user that accounts.tsv does not list. */
const char *fixture_user_password(const char *email);
json_int_t fixture_user_company(const char *email);
const char *fixture_company_name(json_int_t company);
const char *fixture_okta_url(json_int_t company);
/* The demo token of user for provider ("google", "microsoft", "okta"). */
const char *fixture_sso_token(const char *email, const char *provider);
/* Memberships of company in the demo set (the users an accountant
 * lists there). */
size_t fixture_members(json_int_t company);
/* Receipts that an accountant (user) sees in company: all but other
 * people's drafts; only those in state unless it is NULL. */
size_t fixture_accountant_receipts(json_int_t company, json_int_t user,
                                   const char *state);

#endif
