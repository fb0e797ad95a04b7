/* The session library: one signed-in (or signing-in) account on one
 * server, its requests driven without blocking through the curl multi
 * interface, and the state the front end shows. The front end learns of
 * progress only through the event callback. */
#ifndef BEZALA_CORE_SESSION_H
#define BEZALA_CORE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/secret.h"
#include "base/status.h"
#include "core/model.h"
#include "core/sso.h"
#include "core/view.h"

struct core_session;

struct core_config {
    const char *server;      /* https:// base URL; required */
    const char *cacert;      /* CA bundle file, NULL for the system store */
    const char *data_dir;    /* where bezala.db lives; required */
    const char *key_dir;     /* where the key file lives; required */
    const char *email;       /* account to use (any case), NULL for the
                                most recently used one (signed in or
                                not) */
    long connect_timeout_ms; /* 0 for the default (10 s) */
    long timeout_ms;         /* whole request; 0 for the default (30 s) */
    const struct base_secret *passphrase; /* unlocks a vault in passphrase
                                             mode; NULL: none given */
    bool pin_company; /* start pinned (see core_session_set_pin) */
};

enum core_state {
    CORE_STATE_SIGNED_OUT, /* no usable token */
    CORE_STATE_SIGNED_IN,  /* token held, company not yet known */
    CORE_STATE_READY,      /* token held and the active company known */
    CORE_STATE_REJECTED    /* the server answered 401 to the token */
};

enum core_event_kind {
    CORE_EV_SIGNED_IN,         /* sign-in succeeded; token stored */
    CORE_EV_HOME,              /* user, companies and active company known */
    CORE_EV_SWITCHED,          /* switch confirmed by /api/company */
    CORE_EV_PROGRESS,          /* a page arrived; count = rows so far */
    CORE_EV_AUTH_REQUIRED,     /* 401: the stored token is deleted; the
                                  request is held until sign-in, then
                                  repeated once (a held list first checks
                                  /api/company and follows a move). A 401
                                  right after a fresh sign-in is instead
                                  CORE_EV_FAILED with BASE_E_AUTH and "the
                                  server rejected the new sign-in too:
                                  HTTP 401..." (no loop) */
    CORE_EV_CHANGED_ELSEWHERE, /* the active company moved elsewhere */
    CORE_EV_FAILED,            /* the request ended with status */
    CORE_EV_PINNED_BACK,       /* pinned: the server had been moved to
                                  another company elsewhere and was
                                  switched back before the request */
    CORE_EV_VIEW               /* a view's list is complete (event.view;
                                  count = rows); detail, when not empty,
                                  why the store could not cache it */
};

/* Passed to the callback; borrowed for the duration of the call. detail
 * never repeats base_status_message(status), which the front end prints
 * before it: for an HTTP error it is "HTTP <code>: <server text>" (or
 * "HTTP <code>" when the server sent none), after "<context>; " where the
 * core knows more (e.g. the company a switch was refused for); for a
 * transport failure curl's or the redirect's reason. Server text is made
 * printable; the core adds no final period of its own. */
struct core_event {
    enum core_event_kind kind;
    uint64_t request; /* the id the starting call returned; 0 none */
    enum base_status status;
    long http_status;    /* 0 when no answer arrived */
    const char *detail;  /* one line for the user; never a secret */
    size_t count;        /* rows so far, for PROGRESS and lists */
    enum core_view view; /* the view of VIEW and of its PROGRESS and
                            FAILED events; CORE_VIEW_COUNT otherwise */
};

struct core_callbacks {
    void (*on_event)(const struct core_event *event, void *user);
    void *user;
};

/* Creates a session: validates the server URL (https only, no user name
 * or password, a valid port, no query or fragment, no path but "/":
 * BASE_E_USAGE otherwise, before any connection), opens the store and
 * loads the account's stored token when there is one. When the vault is
 * in passphrase mode, config->passphrase unlocks it (a wrong one:
 * BASE_E_PASSPHRASE; parameters out of range: BASE_E_KDF_PARAMS); without
 * one the session starts locked (core_session_token_status() is
 * BASE_E_LOCKED until core_session_unlock). On failure
 * core_session_startup_error() says why (the URL rule, or the store's
 * file, problem and fix). The caller owns *out. */
enum base_status core_session_new(const struct core_config *config,
                                  const struct core_callbacks *callbacks,
                                  struct core_session **out)
    __attribute__((warn_unused_result));

/* Why the last core_session_new failed (the URL rule it broke, the store
 * problem), one line; static storage, "" when it did not fail. */
const char *core_session_startup_error(void);

/* Cancels every request, wipes the token, closes the store, frees and
 * sets *session to NULL. Accepts NULL. */
void core_session_free(struct core_session **session);

/* The detail of the last failure, borrowed until the next call. */
const char *core_session_last_error(const struct core_session *session);

enum core_state core_session_state(const struct core_session *session);

/* Why the stored token could not be used when the session started:
 * BASE_OK (it was usable), BASE_E_AUTH (none stored),
 * BASE_E_TOKEN_UNREADABLE (it did not decrypt) or BASE_E_LOCKED (the
 * vault is locked: core_session_unlock first). */
enum base_status core_session_token_status(const struct core_session *s);

/* Unlocks a vault in passphrase mode and loads the account's token
 * (token_status and state follow). BASE_OK at once when the vault is not
 * locked; BASE_E_PASSPHRASE for a wrong passphrase (the session stays
 * locked; try again); BASE_E_KDF_PARAMS when the stored parameters are
 * out of range. The passphrase is read, not kept. */
enum base_status core_session_unlock(struct core_session *session,
                                     const struct base_secret *passphrase)
    __attribute__((warn_unused_result));

/* Starting calls: each queues a request and returns at once with its id
 * in *request. Completion arrives as an event with that id. */

/* POST /api/auth/token. password is read, not kept. The email is
 * trimmed and ASCII lower-cased first (BASE_E_INVALID when nothing is
 * left), so one person has one stored account. Refused at once, without
 * a request: BASE_E_RATE_LIMITED while core_session_sign_in_wait_ms() is
 * above 0, BASE_E_LOCKED while the vault is locked. The outcome event:
 * CORE_EV_SIGNED_IN, or CORE_EV_FAILED with BASE_E_CREDENTIALS (401/403;
 * the detail is "HTTP <code>: <server text>"), BASE_E_SSO_REQUIRED (403
 * naming SSO; the detail lists the ways through, then the server's
 * text), BASE_E_SERVER for a 429 (detail "HTTP 429: too many requests;
 * wait N s", the wait also counted by core_session_sign_in_wait_ms) or a
 * transport status. */
enum base_status
core_session_sign_in(struct core_session *session, const char *email,
                     const struct base_secret *password, uint64_t *request)
    __attribute__((warn_unused_result));

/* POST /api/auth/<provider>/token (core/endpoints.h): exchanges the
 * provider's access token for a Bezala token. The access token goes into
 * one wiped request body and is never stored or logged. Like
 * core_session_sign_in (the same refusals and outcomes, except that
 * SSO_REQUIRED does not arise); BASE_E_INVALID with the reason in the
 * last error when a field the provider needs is missing (Okta needs
 * okta_url and company_name). */
enum base_status core_session_sign_in_sso(struct core_session *session,
                                          const struct core_sso *sso,
                                          uint64_t *request)
    __attribute__((warn_unused_result));

/* Milliseconds before the next sign-in attempt is allowed; 0 when it is.
 * Each failed sign-in answer in this session doubles the wait (1 s, 2 s,
 * 4 s, ... at most 30 s); a 429 makes it at least its Retry-After. A
 * successful sign-in resets it. Nothing is ever retried by itself. */
long core_session_sign_in_wait_ms(const struct core_session *session);

/* GET /api/home: user, memberships and the active company. */
enum base_status core_session_load_home(struct core_session *session,
                                        uint64_t *request)
    __attribute__((warn_unused_result));

/* PUT /api/users/<own id> {"user":{"company_id":N}}, then GET /api/company;
 * CORE_EV_SWITCHED only when its id is N. Beside that GET, the first page
 * of the view last loaded whole (core_session_load_view without a query)
 * is asked for company N; nothing of it is shown before the switch is
 * confirmed. The next core_session_load_view of that view goes on with
 * that list (returning its id) instead of starting again while the list
 * runs, as it always does for a load made in the CORE_EV_SWITCHED
 * callback (the page is taken only after that event); once the list has
 * ended, a load starts again. A switch that is not confirmed drops it
 * without an event. When the GET names another company (another session
 * switched meanwhile) the session follows the server: that company
 * becomes active, changed_elsewhere is set, CORE_EV_CHANGED_ELSEWHERE
 * and then CORE_EV_FAILED with BASE_E_SWITCH follow, the detail naming
 * the company the server is on. Lists of the old company are forgotten
 * at once. */
enum base_status core_session_switch(struct core_session *session,
                                     int64_t company_id, uint64_t *request)
    __attribute__((warn_unused_result));

/* The receipt states a load of CORE_VIEW_RECEIPTS can filter by
 * (core_view_query.state), lower-case and joined with ", "; static
 * storage. */
const char *core_session_receipt_states(void);

/* Whether state is exactly one of those states. */
bool core_session_receipt_state_valid(const char *state);

/* Narrows a view's load. */
struct core_view_query {
    const char *state; /* one of core_session_receipt_states, or NULL */
    size_t limit;      /* rows at most; 0: every row */
};

/* Loads view (query NULL: everything) for the active company without
 * blocking: the first page, then up to 4 pages at once (one at a time
 * once a 429 was met), taken in page order, each announced by
 * CORE_EV_PROGRESS (count: the new list's rows so far). When the view holds no
 * whole list, the rows so far replace its table at the first page and grow with
 * each page (core_session_view); when it holds one (loaded or cached), that
 * stays until the new list is complete and then is replaced at once, and
 * a failure leaves it. CORE_EV_VIEW at the end, when the whole list is
 * also cached in the store for (account, company, view). A load
 * of a view already loading replaces it. 403 or 404 end with
 * CORE_EV_FAILED and BASE_E_FORBIDDEN; a network failure leaves a cached
 * table in place. A page for another company, or the server found on
 * another company when a list that may have been cut short or whose rows
 * name no company ends, means another session moved it: the session
 * follows the server (CORE_EV_CHANGED_ELSEWHERE) and the load ends with
 * CORE_EV_FAILED and BASE_E_MOVED, nothing of it kept or cached. */
enum base_status
core_session_load_view(struct core_session *session, enum core_view view,
                       const struct core_view_query *query, uint64_t *request)
    __attribute__((warn_unused_result));

/* What the session holds for a view. */
struct core_view_state {
    bool loading;            /* a load is running */
    bool complete;           /* the table is a whole list (fresh or cached) */
    bool from_cache;         /* the table came from the store, not the server */
    int64_t saved_at;        /* from_cache: when it was stored (unix seconds) */
    enum base_status failed; /* how the last load ended; BASE_OK */
    /* Cached rows are still being read into the table (see
     * core_session_view_cached_more); it is not complete yet. */
    bool decoding;
};

/* The view's rows held now (borrowed until the next event or call that
 * changes the view); never NULL for a valid view. */
const struct core_table *core_session_view(const struct core_session *s,
                                           enum core_view view);

void core_session_view_state(const struct core_session *s, enum core_view view,
                             struct core_view_state *out);

/* Fills the view's table from the store's cache of the active company
 * (no network; after core_session_load_home_cached or a home answer).
 * BASE_OK with an empty, incomplete table when nothing is cached. */
enum base_status core_session_view_cached(struct core_session *session,
                                          enum core_view view)
    __attribute__((warn_unused_result));

/* As core_session_view_cached, but reads only the first rows (at least
 * 1) rows now, so that a long list shows at once: the store is read for
 * the list's first part only (about 1 MiB or 1000 rows; fewer rows than
 * asked for when the part has fewer). The rest stays to be
 * read by core_session_view_cached_more, and until then the view state
 * says decoding and not complete. A load that starts meanwhile keeps
 * these rows until its list is complete, as for a whole cached list,
 * and then ends the decoding. A list cached by an older version counts
 * as none. BASE_E_INVALID for rows 0. */
enum base_status core_session_view_cached_first(struct core_session *session,
                                                enum core_view view,
                                                size_t rows)
    __attribute__((warn_unused_result));

/* Reads up to rows (at least 1) more rows of view's cached list into its
 * table; *more says whether rows are still left. A call reads at most
 * one part of the list from the store, the next one when the rows read
 * so far are used up, and stops at the part's end. When another process
 * replaced the list meanwhile, the table starts again with the new
 * list's first rows, so that two lists never mix. BASE_OK with *more
 * false when nothing is being read. BASE_E_DECODE for a damaged row or
 * part: the cached rows are dropped and the table empties; a failure to
 * read the store ends the reading and keeps the rows read. */
enum base_status core_session_view_cached_more(struct core_session *session,
                                               enum core_view view, size_t rows,
                                               bool *more)
    __attribute__((warn_unused_result));

/* Takes user, companies and the active company from the store's cache of
 * the last home answer, so that a start without network shows them.
 * BASE_OK with *found false when nothing is cached; *saved_at is when it
 * was stored. */
enum base_status core_session_load_home_cached(struct core_session *session,
                                               bool *found, int64_t *saved_at)
    __attribute__((warn_unused_result));

/* Forgets the token here and in the store; the state becomes SIGNED_OUT. */
enum base_status core_session_sign_out(struct core_session *session)
    __attribute__((warn_unused_result));

/* Cancels one request (no event follows for it). */
void core_session_cancel(struct core_session *session, uint64_t request);

/* Drives the transfers: waits at most timeout_ms for network activity or
 * for extra_fd (e.g. the terminal; -1 for none) to become readable, then
 * delivers the events of whatever finished. Never blocks longer. */
enum base_status core_session_wait(struct core_session *session, int extra_fd,
                                   int timeout_ms)
    __attribute__((warn_unused_result));

/* True while any request is queued or running. */
bool core_session_busy(const struct core_session *session);

/* For scripts: drives transfers until request has finished (including a
 * repeat after the session's own follow-up calls) and returns its final
 * status. Events are still delivered. */
enum base_status core_session_finish(struct core_session *session,
                                     uint64_t request)
    __attribute__((warn_unused_result));

/* State getters; all borrowed until the next event or starting call. */
const char *core_session_server(const struct core_session *session);
const char *core_session_email(const struct core_session *session);
const struct core_home *core_session_home(const struct core_session *s);
int64_t core_session_company_id(const struct core_session *session);
/* The active company's name, or "Company <id>" when none is published. */
const char *core_session_company_name(const struct core_session *session);
/* The membership of the active company, or NULL before /api/home. */
const struct core_membership *
core_session_active_membership(const struct core_session *session);
bool core_session_changed_elsewhere(const struct core_session *session);

/* Pinning: while on and the chosen company is known (each confirmed
 * switch chooses, and so does turning pinning on, or the first home
 * answer while pinned, when nothing was chosen yet; the choice is stored
 * per account, apart from the company last seen active), every home
 * and view request first GETs /api/company; when the server is
 * elsewhere the session switches it back (PUT and confirmation), emits
 * CORE_EV_PINNED_BACK ("switched the server back to <company>; it had
 * been moved to <other> elsewhere") and then sends the request. */
void core_session_set_pin(struct core_session *session, bool on);
bool core_session_pinned(const struct core_session *session);

/* Finds the one company of the user matching query: an id, a name
 * (case-insensitive), or a part of a name that matches exactly one.
 * BASE_E_AMBIGUOUS with the matches named in the last error when several
 * match; BASE_E_USAGE when none does. Needs /api/home loaded. */
enum base_status core_session_find_company(struct core_session *session,
                                           const char *query,
                                           int64_t *company_id)
    __attribute__((warn_unused_result));

#endif
