/* One account's session: the state machine over the transport, the
 * store and the decoders, reporting to the front end through events. */
#include "core/session.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "base/log.h"
#include "core/decode.h"
#include "core/endpoints.h"
#include "core/http.h"
#include "core/pages.h"
#include "core/session_test.h"
#include "core/text.h"
#include "db/accounts.h"
#include "db/cache.h"
#include "db/store.h"
#include "db/tokens.h"
#include "db/vault.h"

#define DONE_RING 32
#define PAGES_MAX 5000
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define DETAIL_MAX 512
#define PATH_MAX_LEN 512
#define NAME_BUF 64
#define CACHE_COMPANY_NAME "company_name"
#define SIGN_IN_WAIT_FIRST_MS 1000L
#define SIGN_IN_WAIT_CAP_MS 30000L
#define RETRY_AFTER_CAP_MS 600000L

enum op_kind { OP_SIGN_IN, OP_HOME, OP_SWITCH, OP_VIEW };

/* What the session holds for one view of the active company. */
struct view_slot {
    struct core_table table;
    uint64_t request; /* the load in flight, 0 none */
    bool complete;
    bool from_cache;
    int64_t saved_at;
    enum base_status failed;
    char *cached;        /* a part of a cached list still being decoded
                            into table */
    size_t cached_len;   /* its length */
    size_t cached_pos;   /* where its next row starts */
    int64_t cached_list; /* the list's id in the store */
    size_t cached_part;  /* which part cached is */
};

/* The calls about the server's active company that a request may make
 * besides its own: before it (look, put back, confirm) and, for a list
 * that may have been cut short or mixed by a switch elsewhere, after its
 * last page (end). */
enum pin_step { PIN_NONE, PIN_LOOK, PIN_PUT, PIN_CONFIRM, PIN_END };

/* One logical request: it may take several HTTP calls (pages, the switch
 * and its confirmation, the pinning check, a repeat after sign-in). */
struct op {
    struct op *next;
    struct core_session *session;
    uint64_t id;
    enum op_kind kind;
    enum core_view view; /* OP_VIEW */
    int step;
    uint64_t http_id;
    uint64_t gen;
    int64_t company_id;
    bool held;
    bool repeated;
    bool cancelled;
    bool sso;
    enum pin_step pin_step;
    int64_t pin_target; /* the company the server is switched back to */
    int64_t pin_from;   /* where it had been moved */
    bool follow;        /* on a difference follow the server instead */
    char *email;
    char *state_filter;
    size_t page;
    size_t per_page;
    size_t limit;
    size_t rows;
    int64_t first_id;         /* the first row of the page before, 0 none */
    struct core_pages *pages; /* the pages after the first, in flight */
    size_t top;               /* the highest page asked for */
    bool sequential;          /* a 429 was met: one page at a time */
    unsigned long throttled;  /* the transport's 429 count at the start */
    bool prefetch;            /* a list asked for with a switch: its pages wait
                                 until the switch is confirmed */
    bool adoptable;           /* the next load of its view takes it over */
    uint64_t prefetch_id;     /* OP_SWITCH: the list it asked for, 0 none */
    bool staged; /* a refresh: pages go to fresh, which replaces the
                    view's whole list only once it is complete */
    struct core_table fresh;
};

struct learned_name {
    int64_t company_id;
    char *name;
};

struct finished {
    uint64_t id;
    enum base_status status;
};

struct core_session {
    struct core_callbacks cb;
    struct core_http *http;
    struct db_store *store;
    char *server;
    char *email;
    int64_t account_id;
    int64_t user_id;
    int64_t seen_company;
    struct base_secret *token;
    enum core_state state;
    enum base_status token_status;
    struct core_home home;
    bool have_home;
    int64_t company_id;
    bool changed_elsewhere;
    bool locked; /* passphrase mode, not unlocked yet */
    bool pinned;
    int64_t pin_company; /* the company the user chose; 0 unknown */
    bool fresh;          /* signed in, no authenticated answer since */
    int sign_in_failures;
    int64_t sign_in_after_ms; /* monotonic; no sign-in before it */
    uint64_t gen;
    struct view_slot views[CORE_VIEW_COUNT];
    enum core_view focus; /* the view loaded last, whole */
    bool has_focus;
    struct learned_name *learned;
    size_t learned_count;
    struct op *ops;
    struct op *current;
    uint64_t next_op;
    struct finished done[DONE_RING];
    size_t done_next;
    char *name_buf;         /* "Company <id>"; written by a const getter */
    char *item_dir;         /* the store's directory: the lists' item files */
    bool item_file_refused; /* said once in the log */
    char last_error[DETAIL_MAX];
};

static char startup_error[DETAIL_MAX];

const char *core_session_startup_error(void)
{
    return startup_error;
}

static void set_error(struct core_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_error(struct core_session *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s->last_error, sizeof(s->last_error), fmt, ap);
    va_end(ap);
}

static void emit_view(struct core_session *s, enum core_event_kind kind,
                      uint64_t id, enum base_status status, long http_status,
                      const char *detail, size_t count, enum core_view view)
{
    struct core_event event;

    event.kind = kind;
    event.request = id;
    event.status = status;
    event.http_status = http_status;
    event.detail = detail ? detail : "";
    event.count = count;
    event.view = view;
    if (s->cb.on_event)
        s->cb.on_event(&event, s->cb.user);
}

static void emit(struct core_session *s, enum core_event_kind kind, uint64_t id,
                 enum base_status status, long http_status, const char *detail,
                 size_t count)
{
    emit_view(s, kind, id, status, http_status, detail, count, CORE_VIEW_COUNT);
}

static void remember(struct core_session *s, uint64_t id,
                     enum base_status status)
{
    s->done[s->done_next].id = id;
    s->done[s->done_next].status = status;
    s->done_next = (s->done_next + 1) % DONE_RING;
}

static void op_free(struct op *op)
{
    if (!op)
        return;
    free(op->email);
    free(op->state_filter);
    core_table_clear(&op->fresh);
    core_pages_free(&op->pages);
    free(op);
}

static void op_unlink(struct core_session *s, struct op *op)
{
    struct op **link = &s->ops;

    while (*link && *link != op)
        link = &(*link)->next;
    if (*link)
        *link = op->next;
    op->next = NULL;
}

static struct op *op_find(const struct core_session *s, uint64_t id)
{
    struct op *op;

    for (op = s->ops; op; op = op->next) {
        if (op->id == id)
            return op;
    }
    return NULL;
}

/* The view's slot no longer waits for op (unless a newer load took it). */
static void view_ended(struct core_session *s, const struct op *op,
                       enum base_status status)
{
    struct view_slot *slot = &s->views[op->view];

    if (slot->request != op->id)
        return;
    slot->request = 0;
    slot->failed = status;
}

static void op_drop(struct core_session *s, struct op *op);

/* A switch that ends unconfirmed drops the list it asked for, unseen. */
static void switch_release(struct op *op)
{
    struct op *list;

    if (op->kind != OP_SWITCH || !op->prefetch_id)
        return;
    list = op_find(op->session, op->prefetch_id);
    op->prefetch_id = 0;
    if (list && list->prefetch)
        op_drop(op->session, list);
}

/* Ends an op with its final event. The op leaves the list first, so the
 * callback may start or cancel requests freely. */
static void op_end(struct op *op, enum core_event_kind kind,
                   enum base_status status, long http_status,
                   const char *detail, size_t count)
{
    struct core_session *s = op->session;

    op_unlink(s, op);
    if (op->http_id)
        core_http_cancel(s->http, op->http_id);
    core_pages_reset(op->pages);
    switch_release(op);
    remember(s, op->id, status);
    if (status != BASE_OK)
        set_error(s, "%s", detail ? detail : base_status_message(status));
    if (op->kind == OP_VIEW)
        view_ended(s, op, status);
    emit_view(s, kind, op->id, status, http_status, detail, count,
              op->kind == OP_VIEW ? op->view : CORE_VIEW_COUNT);
    if (s->current == op)
        s->current = NULL;
    op_free(op);
}

static void op_fail(struct op *op, enum base_status status, long http,
                    const char *detail)
{
    base_log(BASE_LOG_INFO, "request %llu failed: %s",
             (unsigned long long)op->id,
             detail ? detail : base_status_message(status));
    op_end(op, CORE_EV_FAILED, status, http, detail, 0);
}

static bool is_list(const struct op *op)
{
    return op->kind == OP_VIEW;
}

/* A cached list decoded in part is dropped with the rows it was for. */
static void cached_drop(struct view_slot *slot)
{
    free(slot->cached);
    slot->cached = NULL;
    slot->cached_len = 0;
    slot->cached_pos = 0;
    slot->cached_list = 0;
    slot->cached_part = 0;
}

static void views_clear(struct core_session *s)
{
    size_t i;

    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        core_table_clear(&s->views[i].table);
        cached_drop(&s->views[i]);
        s->views[i].complete = false;
        s->views[i].from_cache = false;
        s->views[i].saved_at = 0;
        s->views[i].failed = BASE_OK;
    }
}

/* The active company changes (switch, or moved elsewhere): lists of the
 * old one are forgotten and their requests dropped. */
static struct op *stale_list(const struct core_session *s)
{
    struct op *op;

    for (op = s->ops; op; op = op->next) {
        if (is_list(op) && op->gen != s->gen && op != s->current &&
            !op->prefetch)
            return op;
    }
    return NULL;
}

static void bump_generation(struct core_session *s)
{
    struct op *op;

    s->gen++;
    views_clear(s);
    /* One at a time: each failure event may change the list. */
    op = stale_list(s);
    while (op) {
        op_fail(op, BASE_E_CANCELLED, 0, "dropped: the active company changed");
        op = stale_list(s);
    }
}

static void on_http(const struct core_http_result *result, void *user);
static void on_page_ready(const struct core_http_result *r, void *user);
static void window_drain(struct op *op);

static bool op_path(const struct op *op, char *path, size_t size);

static enum base_status op_issue(struct op *op)
{
    struct core_session *s = op->session;
    char path[PATH_MAX_LEN];
    char body[128];
    enum core_http_method method = CORE_HTTP_GET;
    const char *payload = NULL;

    if (!op_path(op, path, sizeof(path)))
        return BASE_E_INVALID;
    if (op->kind == OP_VIEW && op->pin_step == PIN_NONE)
        op->top = op->page;
    if (op->pin_step == PIN_PUT ||
        (op->kind == OP_SWITCH && op->step == 0 && op->pin_step == PIN_NONE)) {
        snprintf(body, sizeof(body), "{\"%s\":{\"%s\":%lld}}",
                 CORE_F_SWITCH_WRAP, CORE_F_SWITCH_FIELD,
                 (long long)(op->pin_step == PIN_PUT ? op->pin_target
                                                     : op->company_id));
        method = CORE_HTTP_PUT;
        payload = body;
    }
    return core_http_start(s->http, method, path, payload,
                           payload ? strlen(payload) : 0, true, on_http, op,
                           &op->http_id);
}

static struct op *op_new(struct core_session *s, enum op_kind kind)
{
    struct op *op = calloc(1, sizeof(*op));
    struct op **tail = &s->ops;

    if (!op)
        return NULL;
    op->session = s;
    op->kind = kind;
    op->id = ++s->next_op;
    op->gen = s->gen;
    op->page = 1;
    op->per_page = CORE_PER_PAGE;
    while (*tail)
        tail = &(*tail)->next;
    *tail = op;
    return op;
}

/* Queues a new op's first call; on failure the op is gone. */
static enum base_status op_launch(struct core_session *s, struct op *op,
                                  uint64_t *request)
{
    enum base_status result = op_issue(op);

    if (result != BASE_OK) {
        set_error(s, "the request could not be queued: %s",
                  base_status_message(result));
        op_unlink(s, op);
        op_free(op);
        return result;
    }
    *request = op->id;
    return BASE_OK;
}

static char *url_escape(const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(text);
    char *out = malloc(len * 3 + 1);
    size_t n = 0;
    size_t i;

    for (i = 0; out && i < len; i++) {
        unsigned char c = (unsigned char)text[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~", c)) {
            out[n++] = (char)c;
            continue;
        }
        out[n++] = '%';
        out[n++] = hex[c >> 4];
        out[n++] = hex[c & 15];
    }
    if (out)
        out[n] = '\0';
    return out;
}

/* A view's page: the endpoint, its paging and the state filter. */
static bool view_path(const struct op *op, size_t page, char *path, size_t size)
{
    const struct core_view_info *info = core_view_info(op->view);
    const char *amp = op->state_filter ? "&" CORE_Q_STATE "=" : "";
    const char *state = op->state_filter ? op->state_filter : "";
    int n;

    if (!info)
        return false;
    if (info->paging == CORE_PAGING_NONE)
        n = snprintf(path, size, "%s", info->path);
    else if (info->paging == CORE_PAGING_ARCHIVE)
        n = snprintf(path, size, "%s?%s=%zu%s%s", info->path, CORE_Q_PAGE, page,
                     amp, state);
    else
        n = snprintf(path, size, "%s?%s=%zu&%s=%zu%s%s", info->path,
                     CORE_Q_PAGE, page, CORE_Q_PER_PAGE, op->per_page, amp,
                     state);
    return n > 0 && (size_t)n < size;
}

static bool op_path(const struct op *op, char *path, size_t size)
{
    const struct core_session *s = op->session;
    int n;

    if (op->pin_step == PIN_PUT)
        return snprintf(path, size, CORE_EP_USER, (long long)s->user_id) > 0;
    if (op->pin_step != PIN_NONE)
        return snprintf(path, size, "%s", CORE_EP_COMPANY) > 0;
    switch (op->kind) {
    case OP_HOME:
        n = snprintf(path, size, "%s", CORE_EP_HOME);
        break;
    case OP_SWITCH:
        if (op->step == 1)
            n = snprintf(path, size, "%s", CORE_EP_COMPANY);
        else
            n = snprintf(path, size, CORE_EP_USER, (long long)s->user_id);
        break;
    case OP_VIEW:
        return view_path(op, op->page, path, size);
    default:
        return false;
    }
    return n > 0 && (size_t)n < size;
}

static void cache_put(struct core_session *s, int64_t company_id,
                      const char *kind, const char *body, size_t len)
{
    if (!s->account_id)
        return;
    if (db_cache_put(s->store, s->account_id, company_id, kind, body, len) !=
        BASE_OK)
        base_log(BASE_LOG_WARN, "caching %s failed: %s", kind,
                 db_store_last_error(s->store));
}

static void record_company(struct core_session *s, int64_t company_id)
{
    s->seen_company = company_id;
    if (s->account_id &&
        db_accounts_set_company(s->store, s->account_id, company_id) != BASE_OK)
        base_log(BASE_LOG_WARN, "recording the company failed: %s",
                 db_store_last_error(s->store));
}

/* The company the user chose: pinning goes back to it, in this session
 * and the next ones of the account. */
static void choose_company(struct core_session *s, int64_t company_id)
{
    s->pin_company = company_id;
    if (s->account_id &&
        db_accounts_set_chosen(s->store, s->account_id, company_id) != BASE_OK)
        base_log(BASE_LOG_WARN, "recording the chosen company failed: %s",
                 db_store_last_error(s->store));
}

/* At the start of an account's session: its stored choice, or, pinned
 * with nothing chosen yet, the company it was last seen on. */
static void recall_choice(struct core_session *s, int64_t chosen)
{
    s->pin_company = chosen;
    if (s->pinned && chosen == 0 && s->seen_company > 0)
        choose_company(s, s->seen_company);
}

static const char *learned_name(const struct core_session *s, int64_t id)
{
    size_t i;

    for (i = 0; i < s->learned_count; i++) {
        if (s->learned[i].company_id == id)
            return s->learned[i].name;
    }
    return NULL;
}

/* A company name read from home.company or /api/company, kept for
 * memberships that do not publish one; store says whether to keep it in
 * the account's cache too, so that it outlives the process. */
static void learn_name(struct core_session *s, int64_t id, const char *name,
                       bool store)
{
    struct learned_name *grown;
    char *copy;

    if (!name || !name[0] || id <= 0 || learned_name(s, id))
        return;
    if (store)
        cache_put(s, id, CACHE_COMPANY_NAME, name, strlen(name));
    copy = strdup(name);
    grown = realloc(s->learned, (s->learned_count + 1) * sizeof(*grown));
    if (!copy || !grown) {
        free(copy);
        if (grown)
            s->learned = grown;
        return;
    }
    s->learned = grown;
    s->learned[s->learned_count].company_id = id;
    s->learned[s->learned_count].name = copy;
    s->learned_count++;
}

/* True when the user's membership in company_id publishes no name, so
 * that a name learned for it is worth keeping in the store. */
static bool lacks_name(const struct core_home *home, int64_t company_id)
{
    const struct core_membership *m;

    m = core_model_home_membership(home, company_id);
    return m && !m->company_name;
}

/* Names learned by earlier sessions of this account, from the store. */
static void recall_names(struct core_session *s, const struct core_home *home)
{
    const struct core_membership *m;
    char *name = NULL;
    int64_t stored_at = 0;
    size_t len = 0;
    size_t i;

    for (i = 0; s->account_id && i < home->membership_count; i++) {
        m = &home->memberships[i];
        if (m->company_name || learned_name(s, m->company_id))
            continue;
        if (db_cache_get(s->store, s->account_id, m->company_id,
                         CACHE_COMPANY_NAME, &name, &len,
                         &stored_at) == BASE_OK &&
            name && strlen(name) == len)
            learn_name(s, m->company_id, name, false);
        free(name);
        name = NULL;
    }
}

static void apply_learned(const struct core_session *s, struct core_home *home)
{
    const char *name;
    size_t i;

    for (i = 0; i < home->membership_count; i++) {
        name = learned_name(s, home->memberships[i].company_id);
        if (!home->memberships[i].company_name && name)
            home->memberships[i].company_name = strdup(name);
    }
    name = learned_name(s, home->company_id);
    if (!home->company_name && name)
        home->company_name = strdup(name);
}

/* The published name of a company of the user, or NULL. */
static const char *published_name(const struct core_session *s,
                                  int64_t company_id)
{
    const struct core_membership *m;

    if (s->have_home && s->home.company_id == company_id &&
        s->home.company_name)
        return s->home.company_name;
    m = core_model_home_membership(&s->home, company_id);
    if (m && m->company_name)
        return m->company_name;
    return learned_name(s, company_id);
}

/* "[context; ]HTTP <code>[: <server text>]": the front end puts the
 * status message in front, so the detail never repeats it. The server
 * text is printable and keeps its own final period; none is added. */
static void http_detail(const struct core_http_result *r, const char *context,
                        char *buf, size_t size)
{
    char server[256];
    size_t len;

    core_decode_error(r->body, r->len, server, sizeof(server));
    len = strlen(server);
    while (len > 0 && server[len - 1] == ' ')
        server[--len] = '\0';
    snprintf(buf, size, "%s%sHTTP %ld%s%s", context ? context : "",
             context ? "; " : "", r->http_status, server[0] ? ": " : "",
             server);
}

static const char sso_ways[] =
    "sign in with SSO (Google, Microsoft or Okta), use an integration user "
    "whose email is outside the company's SSO domain, or ask an "
    "administrator for an SSO exemption";

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* True when text names single sign-on: "SSO" as a word, or "single
 * sign-on" (or "sign on"), in any case. */
static bool names_sso(const char *text)
{
    char folded[256];
    const char *p;

    core_text_fold(text, folded, sizeof(folded));
    if (strstr(folded, "single sign-on") || strstr(folded, "single sign on"))
        return true;
    for (p = strstr(folded, "sso"); p; p = strstr(p + 1, "sso")) {
        if ((p == folded || !is_letter(p[-1])) && !is_letter(p[3]))
            return true;
    }
    return false;
}

static long long test_clock_ms;
static size_t test_per_page;

void core_session_test_advance_clock(long ms)
{
    test_clock_ms += ms;
}

void core_session_test_per_page(size_t rows)
{
    test_per_page = rows;
}

/* The rows a list asks for per page. */
static size_t view_per_page(enum core_view view)
{
    return test_per_page ? test_per_page : core_view_info(view)->per_page;
}

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + test_clock_ms;
}

/* The server refused a sign-in: the next attempt waits twice as long as
 * the one before (from 1 s, at most 30 s), or as long as a 429 asks. */
static void sign_in_refused(struct core_session *s,
                            const struct core_http_result *r)
{
    long wait = SIGN_IN_WAIT_FIRST_MS;
    long asked;
    int i;

    for (i = 0; i < s->sign_in_failures && wait < SIGN_IN_WAIT_CAP_MS; i++)
        wait *= 2;
    if (wait > SIGN_IN_WAIT_CAP_MS)
        wait = SIGN_IN_WAIT_CAP_MS;
    s->sign_in_failures++;
    if (r->http_status == 429 && r->retry_after_s > 0) {
        asked = r->retry_after_s > RETRY_AFTER_CAP_MS / 1000
                    ? RETRY_AFTER_CAP_MS
                    : r->retry_after_s * 1000;
        if (asked > wait)
            wait = asked;
    }
    s->sign_in_after_ms = mono_ms() + wait;
}

/* The status of a refused sign-in; *context is the text before the
 * server's own, or NULL. */
static enum base_status sign_in_status(const struct op *op,
                                       const struct core_http_result *r,
                                       const char **context)
{
    char server[256];
    long code = r->http_status;

    *context = NULL;
    if (code == 400 || code == 422)
        return BASE_E_INVALID;
    if (code != 401 && code != 403)
        return core_http_map_code(code);
    core_decode_error(r->body, r->len, server, sizeof(server));
    if (code == 403 && !op->sso && names_sso(server)) {
        *context = sso_ways;
        return BASE_E_SSO_REQUIRED;
    }
    return BASE_E_CREDENTIALS;
}

static bool is_switch_put(const struct op *op)
{
    if (op->pin_step != PIN_NONE)
        return op->pin_step == PIN_PUT;
    return op->kind == OP_SWITCH && op->step == 0;
}

/* A 429 at sign-in is the server's failure (exit 6), not the local
 * pacing (BASE_E_RATE_LIMITED); the wait it asked for is in the counter
 * already and is said in the detail. */
static void sign_in_throttled(struct op *op, const struct core_http_result *r)
{
    long wait_ms = core_session_sign_in_wait_ms(op->session);
    char detail[DETAIL_MAX];

    snprintf(detail, sizeof(detail), "HTTP 429: too many requests; wait %ld s",
             (wait_ms + 999) / 1000);
    op_fail(op, BASE_E_SERVER, r->http_status, detail);
}

static void op_http_error(struct op *op, const struct core_http_result *r)
{
    enum base_status status = core_http_map_code(r->http_status);
    long code = r->http_status;
    const char *context = NULL;
    char buf[160];
    char detail[DETAIL_MAX];

    if (op->kind == OP_SIGN_IN) {
        sign_in_refused(op->session, r);
        if (code == 429) {
            sign_in_throttled(op, r);
            return;
        }
        status = sign_in_status(op, r, &context);
    } else if (is_switch_put(op) &&
               (code == 403 || code == 404 || code == 422)) {
        status = BASE_E_FORBIDDEN;
        snprintf(buf, sizeof(buf),
                 "cannot switch %sto company %lld: this user has no "
                 "accepted membership there",
                 op->pin_step == PIN_PUT ? "the server back " : "",
                 (long long)(op->pin_step == PIN_PUT ? op->pin_target
                                                     : op->company_id));
        context = buf;
    }
    http_detail(r, context, detail, sizeof(detail));
    op_fail(op, status, code, detail);
}

/* The server refused the token, so the stored copy is of no use: it is
 * deleted (and the WAL checkpointed) unless another process has stored
 * a different token for the account meanwhile. The token stays in memory
 * only for the requests held until the next sign-in. */
static void drop_rejected_token(struct core_session *s)
{
    struct base_secret *stored = NULL;
    enum base_status r;
    bool ours;

    if (!s->account_id || !s->token)
        return;
    r = db_tokens_get(s->store, s->account_id, &stored);
    if (r == BASE_E_AUTH)
        return;
    ours = r != BASE_OK || base_secret_equal(stored, s->token);
    base_secret_free(&stored);
    if (!ours)
        return;
    if (db_tokens_delete(s->store, s->account_id) != BASE_OK)
        base_log(BASE_LOG_WARN, "the rejected token could not be removed: %s",
                 db_store_last_error(s->store));
    else
        base_log(BASE_LOG_INFO, "removed the rejected token from the store");
}

/* A 401 that follows a fresh sign-in (the repeat of a held request, or
 * any request before an authenticated answer arrived) ends the request:
 * asking for yet another sign-in would only loop. */
static void op_unauthorized(struct op *op, const struct core_http_result *r)
{
    struct core_session *s = op->session;
    static const char why[] =
        "HTTP 401: the password may have changed, the user may have been "
        "removed from the company or deleted; sign in again";
    char server[DETAIL_MAX - 64];
    char detail[DETAIL_MAX];
    long code = r->http_status;

    drop_rejected_token(s);
    if (op->repeated || s->fresh) {
        http_detail(r, NULL, server, sizeof(server));
        snprintf(detail, sizeof(detail),
                 "the server rejected the new sign-in too: %s", server);
        op_fail(op, BASE_E_AUTH, code, detail);
        return;
    }
    op->held = true;
    /* The pages after this one ask again, in order, after the sign-in. */
    core_pages_reset(op->pages);
    s->state = CORE_STATE_REJECTED;
    set_error(s, "%s", why);
    base_log(BASE_LOG_INFO, "request %llu held until sign-in",
             (unsigned long long)op->id);
    emit(s, CORE_EV_AUTH_REQUIRED, op->id, BASE_E_AUTH, code, why, 0);
}

/* Forgets everything of the account the session had before. */
static void drop_account_data(struct core_session *s)
{
    core_model_home_clear(&s->home);
    s->have_home = false;
    s->company_id = 0;
    s->changed_elsewhere = false;
    bump_generation(s);
}

static enum base_status adopt_account(struct core_session *s, const char *email,
                                      int64_t user_id,
                                      struct base_secret *token, bool *same)
{
    struct db_account account;
    int64_t account_id = 0;
    int64_t chosen = 0;
    enum base_status r;

    *same = s->email && strcasecmp(s->email, email) == 0;
    r = db_accounts_upsert(s->store, s->server, email, user_id, &account_id);
    if (r == BASE_OK)
        r = db_tokens_put(s->store, account_id, token);
    if (r == BASE_OK)
        r = core_http_set_token(s->http, token);
    if (r != BASE_OK)
        return r;
    if (!*same) {
        drop_account_data(s);
        free(s->email);
        s->email = strdup(email);
        s->seen_company = 0;
        if (db_accounts_find(s->store, s->server, email, &account) == BASE_OK) {
            s->seen_company = account.company_id;
            chosen = account.chosen_company;
            db_accounts_clear(&account);
        }
    }
    base_log_forget(s->token);
    base_secret_free(&s->token);
    s->token = token;
    base_log_watch(s->token);
    s->account_id = account_id;
    if (user_id)
        s->user_id = user_id;
    if (!*same)
        recall_choice(s, chosen);
    return BASE_OK;
}

static struct op *first_held(const struct core_session *s)
{
    struct op *op;

    for (op = s->ops; op; op = op->next) {
        if (op->held)
            return op;
    }
    return NULL;
}

/* A 401 may mean removal from the active company, after which the server
 * has moved the user elsewhere: a held list first looks where the server
 * is, so that its rows are never filed under the wrong company. */
static void look_before_repeat(struct core_session *s, struct op *op)
{
    if (!is_list(op) || op->pin_step != PIN_NONE || s->company_id <= 0)
        return;
    op->pin_step = PIN_LOOK;
    op->follow = !(s->pinned && s->pin_company > 0);
    op->pin_target = op->follow ? s->company_id : s->pin_company;
}

/* Requests held by a 401 go again once, under the new token. */
static void resume_held(struct core_session *s, bool same)
{
    struct op *op = first_held(s);

    while (op) {
        op->held = false;
        if (!same) {
            op_fail(op, BASE_E_AUTH, 0,
                    "signed in as another account; the held request was "
                    "dropped");
        } else {
            op->repeated = true;
            look_before_repeat(s, op);
            if (op_issue(op) != BASE_OK)
                op_fail(op, BASE_E_NOMEM, 0, "the request could not repeat");
        }
        op = first_held(s);
    }
}

static void on_sign_in(struct op *op, const struct core_http_result *r)
{
    struct core_session *s = op->session;
    struct base_secret *token = NULL;
    char detail[DETAIL_MAX];
    int64_t user_id = 0;
    enum base_status st;
    bool same = false;

    st = core_decode_sign_in(r->body, r->len, &token, &user_id);
    if (st != BASE_OK) {
        op_fail(op, BASE_E_DECODE, r->http_status,
                "the sign-in answer has no valid token or user_id");
        return;
    }
    st = adopt_account(s, op->email, user_id, token, &same);
    if (st != BASE_OK) {
        base_secret_free(&token);
        snprintf(detail, sizeof(detail), "the token could not be stored: %s",
                 db_store_last_error(s->store));
        op_fail(op, st, r->http_status, detail);
        return;
    }
    s->state = s->have_home ? CORE_STATE_READY : CORE_STATE_SIGNED_IN;
    s->token_status = BASE_OK;
    s->sign_in_failures = 0;
    s->sign_in_after_ms = 0;
    s->fresh = true;
    base_log(BASE_LOG_INFO, "signed in as user %lld", (long long)user_id);
    op_end(op, CORE_EV_SIGNED_IN, BASE_OK, r->http_status, "signed in", 0);
    resume_held(s, same);
}

/* Compares the server's active company with the one last seen here. */
static void check_company(struct core_session *s, struct op *op,
                          int64_t company_id)
{
    char detail[DETAIL_MAX];
    int64_t old = s->seen_company;

    /* A look begun before the session followed a move made elsewhere
     * (the generation changed since) that finds the company followed
     * brings no news: the change it would clear is the one just seen. */
    if (op->gen != s->gen && s->changed_elsewhere && company_id == old)
        return;
    s->changed_elsewhere = old != 0 && old != company_id;
    s->company_id = company_id;
    if (old != company_id)
        record_company(s, company_id);
    if (!s->changed_elsewhere)
        return;
    bump_generation(s);
    snprintf(detail, sizeof(detail),
             "the active company was changed elsewhere: now %s, was "
             "company %lld",
             core_session_company_name(s), (long long)old);
    base_log(BASE_LOG_INFO, "%s", detail);
    emit(s, CORE_EV_CHANGED_ELSEWHERE, op->id, BASE_OK, 0, detail, 0);
}

static void on_home(struct op *op, const struct core_http_result *r)
{
    struct core_session *s = op->session;
    struct core_home home;

    if (core_decode_home(r->body, r->len, &home) != BASE_OK) {
        op_fail(op, BASE_E_DECODE, r->http_status, "in GET " CORE_EP_HOME);
        return;
    }
    cache_put(s, 0, "home", r->body, r->len);
    learn_name(s, home.company_id, home.company_name,
               lacks_name(&home, home.company_id));
    recall_names(s, &home);
    apply_learned(s, &home);
    core_model_home_clear(&s->home);
    s->home = home;
    s->have_home = true;
    s->user_id = home.user_id;
    s->state = CORE_STATE_READY;
    check_company(s, op, home.company_id);
    if (s->pinned && s->pin_company == 0)
        choose_company(s, home.company_id);
    op_end(op, CORE_EV_HOME, BASE_OK, r->http_status, NULL,
           s->home.membership_count);
}

/* The last home answer from the store stands in until the server
 * answers; the company it names is the one last seen, so nothing is
 * compared or recorded. */
static void cached_home_apply(struct core_session *s, struct core_home *home)
{
    recall_names(s, home);
    apply_learned(s, home);
    core_model_home_clear(&s->home);
    s->home = *home;
    s->have_home = true;
    s->user_id = home->user_id;
    if (s->seen_company > 0 && s->seen_company != home->company_id) {
        s->home.company_id = s->seen_company;
        free(s->home.company_name);
        s->home.company_name = NULL;
        if (published_name(s, s->seen_company))
            s->home.company_name = strdup(published_name(s, s->seen_company));
    }
    if (s->company_id != s->home.company_id) {
        s->company_id = s->home.company_id;
        bump_generation(s);
    }
    if (s->state == CORE_STATE_SIGNED_IN)
        s->state = CORE_STATE_READY;
}

static bool name_missing(const struct core_session *s, int64_t company_id)
{
    return s->have_home && lacks_name(&s->home, company_id);
}

/* Makes company_id the active company here, as the server reports it;
 * lists of the company before are forgotten. */
static void follow_company(struct core_session *s, int64_t company_id)
{
    const char *name;

    s->company_id = company_id;
    if (s->have_home) {
        s->home.company_id = company_id;
        free(s->home.company_name);
        s->home.company_name = NULL;
        name = published_name(s, company_id);
        if (name)
            s->home.company_name = strdup(name);
    }
    record_company(s, company_id);
    bump_generation(s);
}

/* The switch's PUT was answered: the new company's first page of the view
 * on screen is asked for now, beside the confirmation, so that it is on
 * hand when the switch is confirmed. Nothing of it is shown before. */
static void prefetch_start(struct op *sw)
{
    struct core_session *s = sw->session;
    char path[PATH_MAX_LEN];
    struct op *op;

    if (!s->has_focus)
        return;
    op = op_new(s, OP_VIEW);
    if (!op)
        return;
    op->view = s->focus;
    op->per_page = view_per_page(s->focus);
    op->company_id = sw->company_id;
    op->throttled = core_http_throttled(s->http);
    op->prefetch = true;
    op->top = 1;
    if (!view_path(op, 1, path, sizeof(path)) ||
        core_pages_new(s->http, on_page_ready, op, &op->pages) != BASE_OK ||
        core_pages_start(op->pages, 1, path) != BASE_OK) {
        op_unlink(s, op);
        op_free(op);
        return;
    }
    sw->prefetch_id = op->id;
}

/* The switch is confirmed: its list becomes the view's load, which the
 * next core_session_load_view of that view takes over. Returns its id. */
static uint64_t prefetch_adopt(struct op *sw)
{
    struct core_session *s = sw->session;
    struct op *op = op_find(s, sw->prefetch_id);

    if (!op || !op->prefetch || op->company_id != s->company_id)
        return 0;
    op->prefetch = false;
    op->adoptable = true;
    op->gen = s->gen;
    s->views[op->view].request = op->id;
    s->views[op->view].failed = BASE_OK;
    return op->id;
}

static void switch_confirmed(struct op *op, const struct core_http_result *r,
                             const struct core_company *company)
{
    struct core_session *s = op->session;
    char detail[DETAIL_MAX];
    uint64_t list;
    struct op *prefetched;

    learn_name(s, company->id, company->name, name_missing(s, company->id));
    if (s->have_home)
        apply_learned(s, &s->home);
    s->changed_elsewhere = false;
    follow_company(s, company->id);
    choose_company(s, company->id);
    snprintf(detail, sizeof(detail), "switched to %s",
             core_session_company_name(s));
    list = prefetch_adopt(op);
    op_end(op, CORE_EV_SWITCHED, BASE_OK, r->http_status, detail, 0);
    /* The new company's first page may be here already: on screen now. */
    prefetched = list ? op_find(s, list) : NULL;
    if (prefetched)
        window_drain(prefetched);
}

/* The confirmation names another company than the one asked for: another
 * session moved the server in between. The client follows the server, as
 * for a change made elsewhere, and the failure says where it is. */
static void switch_overtaken(struct op *op, const struct core_http_result *r,
                             const struct core_company *company)
{
    struct core_session *s = op->session;
    char asked[NAME_BUF + 160];
    char detail[DETAIL_MAX];
    const char *name;

    name = published_name(s, op->company_id);
    if (name)
        snprintf(asked, sizeof(asked), "%s (%lld)", name,
                 (long long)op->company_id);
    else
        snprintf(asked, sizeof(asked), "company %lld",
                 (long long)op->company_id);
    learn_name(s, company->id, company->name, name_missing(s, company->id));
    if (s->have_home)
        apply_learned(s, &s->home);
    s->changed_elsewhere = true;
    follow_company(s, company->id);
    /* The user chose the company asked for: pinning goes back to it. */
    choose_company(s, op->company_id);
    snprintf(detail, sizeof(detail),
             "the server is on %s (%lld), not on %s as asked: another "
             "session switched it meanwhile, so %s is active here now",
             core_session_company_name(s), (long long)company->id, asked,
             core_session_company_name(s));
    base_log(BASE_LOG_INFO, "%s", detail);
    emit(s, CORE_EV_CHANGED_ELSEWHERE, op->id, BASE_OK, 0, detail, 0);
    op_fail(op, BASE_E_SWITCH, r->http_status, detail);
}

static void on_switch(struct op *op, const struct core_http_result *r)
{
    struct core_company company = {0, NULL};

    if (op->step == 0) {
        op->step = 1;
        if (op_issue(op) != BASE_OK) {
            op_fail(op, BASE_E_NOMEM, 0, "the confirmation could not start");
            return;
        }
        prefetch_start(op);
        return;
    }
    if (core_decode_company(r->body, r->len, &company) != BASE_OK) {
        op_fail(op, BASE_E_DECODE, r->http_status, "in GET " CORE_EP_COMPANY);
        return;
    }
    if (company.id == op->company_id)
        switch_confirmed(op, r, &company);
    else
        switch_overtaken(op, r, &company);
    core_model_company_clear(&company);
}

/* What view_store hands the store part by part. */
struct store_parts {
    struct core_view_cache_parts *parts;
    enum base_status failed; /* the writer's own failure */
};

static enum base_status store_next_part(void *user, const char **part,
                                        size_t *len)
{
    struct store_parts *sp = user;

    sp->failed = core_view_cache_parts_next(sp->parts, part, len);
    return sp->failed;
}

/* The whole, unfiltered list of a view goes to the store, written part by
 * part as it is made, so that its whole text is never in memory and no
 * size is too large. When the store cannot keep it, the reason is put in
 * why ("" when it was kept or is not to be cached). */
static void view_store(struct core_session *s, const struct op *op,
                       const struct core_table *table, char *why, size_t size)
{
    const struct core_view_info *info = core_view_info(op->view);
    struct store_parts sp = {NULL, BASE_OK};
    const char *reason;
    char kind[NAME_BUF];

    why[0] = '\0';
    if (op->limit || op->state_filter || !op->company_id || !s->account_id)
        return;
    snprintf(kind, sizeof(kind), "view:%s", info->name);
    if (core_view_cache_parts_new(table, 0, 0, &sp.parts) != BASE_OK) {
        reason = base_status_message(BASE_E_NOMEM);
    } else if (db_cache_put_parts(s->store, s->account_id, op->company_id, kind,
                                  store_next_part, &sp) == BASE_OK) {
        core_view_cache_parts_free(&sp.parts);
        return;
    } else {
        /* A failure of the writer's (memory, the item file) is its own;
         * the store's (the disk full) is in its last error. */
        reason = sp.failed != BASE_OK ? base_status_message(sp.failed)
                                      : db_store_last_error(s->store);
    }
    core_view_cache_parts_free(&sp.parts);
    snprintf(why, size, "%s", reason);
    base_log(BASE_LOG_WARN, "caching %s failed: %s", kind, reason);
}

static void follow_company(struct core_session *s, int64_t company_id);
static void company_label(const struct core_session *s, int64_t id, char *buf,
                          size_t size);

/* A page answered for another company than the one the view is for: the
 * active company was moved elsewhere since the client last looked. The
 * rows are not shown or cached; the session follows the server and the
 * load fails, saying so, so that a script never takes one company's rows
 * for another's. */
static void view_company_moved(struct op *op, int64_t said, long http)
{
    struct core_session *s = op->session;
    char was[NAME_BUF + 32];
    char now[NAME_BUF + 32];
    char detail[DETAIL_MAX];

    company_label(s, op->company_id, was, sizeof(was));
    company_label(s, said, now, sizeof(now));
    follow_company(s, said);
    s->changed_elsewhere = true;
    snprintf(detail, sizeof(detail),
             "the active company was changed elsewhere: now %s, was %s", now,
             was);
    emit(s, CORE_EV_CHANGED_ELSEWHERE, op->id, BASE_OK, 0, detail, 0);
    snprintf(detail, sizeof(detail), "the server is on %s now, not on %s", now,
             was);
    op_fail(op, BASE_E_MOVED, http, detail);
}

/* The table a list's pages go to: a refresh's own until it is whole,
 * else the view's. */
static struct core_table *op_table(struct op *op)
{
    return op->staged ? &op->fresh : &op->session->views[op->view].table;
}

/* An answer for a list begun before the active company changed ends the
 * list; says whether it did. */
static bool op_outdated(struct op *op, long http)
{
    if (op->gen == op->session->gen)
        return false;
    op_fail(op, BASE_E_CANCELLED, http, "dropped: the active company changed");
    return true;
}

/* Whether the page just decoded (rows from before on), whose rows said
 * they are for company said (0: none, -1: several), can be taken: it is
 * for the view's company, and it is not the page before once more (a
 * server that ignores paging). A page of another company's rows after
 * pages of the view's is a move elsewhere, not a page that mixes
 * companies. On false the op has ended. */
static bool view_page_sound(struct op *op, size_t before, int64_t said,
                            const struct core_http_result *r)
{
    struct core_table *table = op_table(op);
    int64_t first = table->count > before ? table->rows[before].id : 0;

    if (said == -1 || (said > 0 && said != op->company_id)) {
        core_table_clear(table);
        if (said == -1)
            op_fail(op, BASE_E_DECODE, r->http_status,
                    "a page of the list mixes companies");
        else
            view_company_moved(op, said, r->http_status);
        return false;
    }
    if (op->page > 1 && first != 0 && first == op->first_id) {
        core_table_clear(table);
        op_fail(op, BASE_E_DECODE, r->http_status,
                "the server sent the same page again: it does not page "
                "this list");
        return false;
    }
    op->first_id = first;
    return true;
}

/* The end of a view's load: a refresh's rows replace the old list now. */
static void view_complete(struct op *op, long http)
{
    struct core_session *s = op->session;
    struct view_slot *slot = &s->views[op->view];
    char why[DETAIL_MAX];

    if (op->staged) {
        core_table_clear(&slot->table);
        cached_drop(slot);
        slot->table = op->fresh;
        memset(&op->fresh, 0, sizeof(op->fresh));
        op->fresh.view = op->view;
    }
    slot->complete = true;
    slot->from_cache = false;
    view_store(s, op, &slot->table, why, sizeof(why));
    op_end(op, CORE_EV_VIEW, BASE_OK, http, why[0] ? why : NULL,
           slot->table.count);
}

static void op_go_on(struct op *op);

/* The last page of a list has come. A list of several pages whose last
 * page is empty may have been cut short by a switch elsewhere (the other
 * company's pages past its own end look just like the end), and a list
 * whose rows do not name their company (or that has none) may be another
 * company's, in part or whole: such a list counts as complete, and is
 * cached, only once the server says it is still on the list's company. */
static void list_ended(struct op *op, bool empty_page, long http)
{
    const struct core_table *table = op_table(op);

    if ((op->page > 1 && empty_page) || table->company_id == 0) {
        op->pin_step = PIN_END;
        op_go_on(op);
        return;
    }
    view_complete(op, http);
}

/* The server's company after a list's last page (see list_ended): the
 * list's own completes it, another fails it as a page for another
 * company does, rows neither shown nor cached. */
static void view_end_checked(struct op *op, const struct core_http_result *r,
                             const struct core_company *company)
{
    struct core_session *s = op->session;

    op->pin_step = PIN_NONE;
    learn_name(s, company->id, company->name, name_missing(s, company->id));
    if (op_outdated(op, r->http_status))
        return;
    if (company->id != op->company_id) {
        core_table_clear(op_table(op));
        view_company_moved(op, company->id, r->http_status);
        return;
    }
    view_complete(op, r->http_status);
}

/* The last page a list may need: a limit needs only its pages, and no
 * list reads past PAGES_MAX. */
static size_t last_page(const struct op *op)
{
    size_t pages = PAGES_MAX;

    if (op->limit && op->per_page)
        pages = (op->limit + op->per_page - 1) / op->per_page;
    return pages < PAGES_MAX ? pages : PAGES_MAX;
}

/* Asks for the pages from op->page on: up to CORE_PAGES_MAX at once, so
 * that a list ends with fewer than that many asked for past its end; once
 * the transport has met a 429 since the list began, one at a time. The
 * answers are taken in page order. */
static enum base_status window_fill(struct op *op)
{
    struct core_session *s = op->session;
    size_t want;
    size_t last;
    char path[PATH_MAX_LEN];
    enum base_status r;

    if (core_http_throttled(s->http) != op->throttled)
        op->sequential = true;
    want = op->sequential ? 1 : CORE_PAGES_MAX;
    last = op->page + want - 1;
    if (!op->pages &&
        core_pages_new(s->http, on_page_ready, op, &op->pages) != BASE_OK)
        return BASE_E_NOMEM;
    if (last > last_page(op))
        last = last_page(op);
    if (op->sequential && core_pages_in_flight(op->pages) > 0)
        return BASE_OK;
    while (op->top < last) {
        if (!view_path(op, op->top + 1, path, sizeof(path)))
            return BASE_E_INVALID;
        r = core_pages_start(op->pages, op->top + 1, path);
        if (r != BASE_OK)
            return r;
        op->top++;
        if (op->sequential)
            break;
    }
    return BASE_OK;
}

/* Hands the answers kept for the next pages to the list, in order, for
 * as long as the list goes on. */
static void window_drain(struct op *op)
{
    struct core_session *s = op->session;
    struct core_pages_result page;
    uint64_t id = op->id;

    while (op_find(s, id) == op && !op->held && !op->http_id && !op->prefetch &&
           core_pages_take(op->pages, op->page, &page)) {
        on_http(&page.r, op);
        core_pages_result_clear(&page);
    }
}

/* A page arrived, maybe before the pages ahead of it. A 429 met on the
 * way makes the rest of the list go one page at a time. */
static void on_page_ready(const struct core_http_result *r, void *user)
{
    struct op *op = user;

    if (r->throttled)
        op->sequential = true;
    window_drain(op);
}

/* The rows about to be decoded into table keep their items in a file of
 * the store's directory rather than in memory; where no file can be made
 * there they stay in memory, which costs only memory. */
static void table_items(struct core_session *s, struct core_table *table)
{
    enum base_status r = core_table_item_file(table, s->item_dir);

    if (r == BASE_OK || s->item_file_refused)
        return;
    s->item_file_refused = true;
    base_log(BASE_LOG_INFO, "list items are kept in memory: %s",
             base_status_message(r));
}

/* One page of a view. A first load shows each page at once, the first
 * replacing whatever the view held; a refresh of a whole list keeps the
 * old rows on screen until the new list is complete (the progress
 * events count the new rows). The last page completes the view. */
static void on_view_page(struct op *op, const struct core_http_result *r)
{
    struct core_session *s = op->session;
    struct view_slot *slot = &s->views[op->view];
    struct core_table *table;
    size_t before;
    int64_t said;
    int64_t page_said;
    enum base_status st;
    bool more = false;

    if (op->rows == 0 && op->page == 1) {
        /* A cached list still being decoded is an old whole list too. */
        op->staged = (slot->complete || slot->cached) && slot->table.count > 0;
        core_table_clear(&op->fresh);
        op->fresh.view = op->view;
        if (!op->staged) {
            core_table_clear(&slot->table);
            cached_drop(slot);
            slot->complete = false;
            slot->from_cache = false;
        }
    }
    table = op_table(op);
    before = table->count;
    /* The company this page's rows say, apart from the pages before. */
    said = table->company_id;
    table->company_id = 0;
    table_items(s, table);
    st =
        core_view_decode(op->view, r->body, r->len, op->per_page, table, &more);
    page_said = table->company_id;
    table->company_id = said;
    if (st != BASE_OK) {
        op_fail(op, st, r->http_status,
                st == BASE_E_DECODE ? "in a page of the list" : NULL);
        return;
    }
    if (!view_page_sound(op, before, page_said, r))
        return;
    /* Sound: the page says the view's company, or none. */
    if (page_said != 0)
        table->company_id = page_said;
    if (op->limit && table->count > op->limit)
        core_table_truncate(table, op->limit);
    op->rows += table->count - before;
    emit_view(s, CORE_EV_PROGRESS, op->id, BASE_OK, r->http_status, NULL,
              table->count, op->view);
    if (more && op->page >= PAGES_MAX) {
        op_fail(op, BASE_E_TOO_LARGE, r->http_status,
                "the list goes on past " STRINGIFY(PAGES_MAX) " pages");
        return;
    }
    if (op->limit && op->rows >= op->limit) {
        view_complete(op, r->http_status);
        return;
    }
    if (!more) {
        list_ended(op, table->count == before, r->http_status);
        return;
    }
    op->page++;
    if (window_fill(op) != BASE_OK)
        op_fail(op, BASE_E_NOMEM, 0, "the next page could not start");
}

static void on_page(struct op *op, const struct core_http_result *r)
{
    if (!op_outdated(op, r->http_status))
        on_view_page(op, r);
}

static void op_drop(struct core_session *s, struct op *op)
{
    if (op->kind == OP_VIEW && s->views[op->view].request == op->id)
        s->views[op->view].request = 0;
    op_unlink(s, op);
    if (op->http_id)
        core_http_cancel(s->http, op->http_id);
    core_pages_reset(op->pages);
    switch_release(op);
    remember(s, op->id, BASE_E_CANCELLED);
    op_free(op);
}

/* A company for messages: its published name, or "company <id>". */
static void company_label(const struct core_session *s, int64_t id, char *buf,
                          size_t size)
{
    const char *name = published_name(s, id);

    if (name)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "company %lld", (long long)id);
}

static void op_go_on(struct op *op)
{
    if (op_issue(op) != BASE_OK)
        op_fail(op, BASE_E_NOMEM, 0, "the request could not go on");
}

/* The server is on another company than the client believed, found by a
 * list about to repeat: the views follow the server and the list goes on
 * for the company the server is on. */
static void follow_elsewhere(struct op *op, int64_t company_id)
{
    struct core_session *s = op->session;
    char was[NAME_BUF + 32];
    char detail[DETAIL_MAX];

    company_label(s, s->company_id, was, sizeof(was));
    follow_company(s, company_id);
    s->changed_elsewhere = true;
    op->gen = s->gen;
    op->company_id = company_id;
    snprintf(detail, sizeof(detail),
             "the active company was changed elsewhere: now %s, was %s",
             core_session_company_name(s), was);
    base_log(BASE_LOG_INFO, "%s", detail);
    emit(s, CORE_EV_CHANGED_ELSEWHERE, op->id, BASE_OK, 0, detail, 0);
}

/* Where a pinned request finds the server: at the chosen company the
 * request goes on, elsewhere the server is switched back first (or, for
 * a repeat that is not pinned, followed). */
static void pin_looked(struct op *op, const struct core_company *company)
{
    struct core_session *s = op->session;

    learn_name(s, company->id, company->name, name_missing(s, company->id));
    if (company->id == op->pin_target) {
        /* The server agrees with the company shown: nothing has moved
         * since the client last looked. */
        s->changed_elsewhere = false;
        op->pin_step = PIN_NONE;
    } else if (op->follow) {
        follow_elsewhere(op, company->id);
        op->pin_step = PIN_NONE;
    } else {
        op->pin_from = company->id;
        op->pin_step = PIN_PUT;
    }
    op_go_on(op);
}

/* The server is back on the chosen company: say so, then send the
 * request itself. */
static void pin_confirmed(struct op *op, const struct core_http_result *r,
                          const struct core_company *company)
{
    struct core_session *s = op->session;
    char to[NAME_BUF + 32];
    char from[NAME_BUF + 32];
    char detail[DETAIL_MAX];

    learn_name(s, company->id, company->name, name_missing(s, company->id));
    company_label(s, op->pin_target, to, sizeof(to));
    if (company->id != op->pin_target) {
        company_label(s, company->id, from, sizeof(from));
        snprintf(detail, sizeof(detail),
                 "could not switch the server back to %s: it is on %s", to,
                 from);
        op_fail(op, BASE_E_SWITCH, r->http_status, detail);
        return;
    }
    if (s->company_id != company->id) {
        follow_company(s, company->id);
        op->gen = s->gen;
        op->company_id = company->id;
    }
    s->changed_elsewhere = false;
    company_label(s, op->pin_from, from, sizeof(from));
    snprintf(detail, sizeof(detail),
             "switched the server back to %s; it had been moved to %s "
             "elsewhere",
             to, from);
    base_log(BASE_LOG_INFO, "%s", detail);
    op->pin_step = PIN_NONE;
    emit(s, CORE_EV_PINNED_BACK, op->id, BASE_OK, r->http_status, detail, 0);
    op_go_on(op);
}

static void on_pin(struct op *op, const struct core_http_result *r)
{
    struct core_company company = {0, NULL};

    if (op->pin_step == PIN_PUT) {
        op->pin_step = PIN_CONFIRM;
        op_go_on(op);
        return;
    }
    if (core_decode_company(r->body, r->len, &company) != BASE_OK) {
        op_fail(op, BASE_E_DECODE, r->http_status, "in GET " CORE_EP_COMPANY);
        return;
    }
    if (op->pin_step == PIN_END)
        view_end_checked(op, r, &company);
    else if (op->pin_step == PIN_LOOK)
        pin_looked(op, &company);
    else
        pin_confirmed(op, r, &company);
    core_model_company_clear(&company);
}

static void on_http(const struct core_http_result *r, void *user)
{
    struct op *op = user;
    struct core_session *s = op->session;

    op->http_id = 0;
    s->current = op;
    if (r->throttled)
        op->sequential = true;
    if (r->status == BASE_OK && r->http_status >= 200 && r->http_status < 300 &&
        op->kind != OP_SIGN_IN)
        s->fresh = false;
    if (r->status != BASE_OK)
        op_fail(op, r->status, 0, r->detail);
    else if (r->http_status == 401 && op->kind != OP_SIGN_IN)
        op_unauthorized(op, r);
    else if (r->http_status < 200 || r->http_status >= 300)
        op_http_error(op, r);
    else if (op->pin_step != PIN_NONE)
        on_pin(op, r);
    else if (op->kind == OP_SIGN_IN)
        on_sign_in(op, r);
    else if (op->kind == OP_HOME)
        on_home(op, r);
    else if (op->kind == OP_SWITCH)
        on_switch(op, r);
    else
        on_page(op, r);
    /* Cancelled from inside one of its own events: drop it now. */
    if (s->current && s->current->cancelled)
        op_drop(s, s->current);
    s->current = NULL;
}

static void set_token(struct core_session *s, struct base_secret *token)
{
    if (core_http_set_token(s->http, token) != BASE_OK) {
        base_secret_free(&token);
        s->token_status = BASE_E_TOKEN_UNREADABLE;
        return;
    }
    s->token = token;
    base_log_watch(s->token);
    s->token_status = BASE_OK;
    s->state = CORE_STATE_SIGNED_IN;
}

/* The configured email in canonical form in *out, NULL when none is
 * configured (then the store picks the account). */
static enum base_status config_email(const char *given, char **out)
{
    char *email;

    *out = NULL;
    if (!given)
        return BASE_OK;
    email = core_text_email(given);
    if (!email)
        return BASE_E_NOMEM;
    if (!email[0])
        free(email);
    else
        *out = email;
    return BASE_OK;
}

/* Reads the account's stored token; a missing, unreadable or locked one
 * is a state, not a failure. */
static enum base_status load_token(struct core_session *s)
{
    struct base_secret *token = NULL;
    enum base_status r;

    s->token_status = s->locked ? BASE_E_LOCKED : BASE_E_AUTH;
    if (!s->account_id || s->locked)
        return BASE_OK;
    r = db_tokens_get(s->store, s->account_id, &token);
    if (r == BASE_OK)
        set_token(s, token);
    else if (r == BASE_E_AUTH || r == BASE_E_TOKEN_UNREADABLE ||
             r == BASE_E_LOCKED)
        s->token_status = r;
    else
        return r;
    return BASE_OK;
}

/* Finds the account and its token. Without an email the store offers the
 * most recently used account, signed in or not: after a 401 the same
 * account stays current, never another identity. */
static enum base_status load_account(struct core_session *s, const char *given)
{
    struct db_account account;
    char *email = NULL;
    enum base_status r;

    s->token_status = s->locked ? BASE_E_LOCKED : BASE_E_AUTH;
    r = config_email(given, &email);
    if (r == BASE_OK)
        r = db_accounts_find(s->store, s->server, email, &account);
    if (r == BASE_E_AUTH) {
        s->email = email;
        return BASE_OK;
    }
    free(email);
    if (r != BASE_OK)
        return r;
    s->account_id = account.id;
    s->user_id = account.user_id;
    s->seen_company = account.company_id;
    recall_choice(s, account.chosen_company);
    s->email = strdup(account.email ? account.email : "");
    db_accounts_clear(&account);
    if (!s->email)
        return BASE_E_NOMEM;
    return load_token(s);
}

/* In passphrase mode the vault stays locked unless a passphrase came. */
static enum base_status open_vault(struct core_session *s,
                                   const struct base_secret *passphrase)
{
    struct db_vault_info info;
    enum base_status r = db_vault_info(s->store, &info);

    if (r != BASE_OK)
        return r;
    s->locked = info.mode == DB_VAULT_PASSPHRASE && !info.unlocked;
    if (!s->locked || !passphrase)
        return BASE_OK;
    r = db_vault_unlock(s->store, passphrase);
    if (r == BASE_OK)
        s->locked = false;
    return r;
}

static enum base_status session_open(struct core_session *s,
                                     const struct core_config *config)
{
    enum base_status r;

    r = db_store_open(config->data_dir, config->key_dir, &s->store);
    if (r != BASE_OK) {
        snprintf(startup_error, sizeof(startup_error), "%s",
                 db_store_open_error()[0] ? db_store_open_error()
                                          : base_status_message(r));
        return r;
    }
    s->pinned = config->pin_company;
    r = core_http_new(s->server, config->cacert, config->connect_timeout_ms,
                      config->timeout_ms, &s->http);
    if (r == BASE_OK)
        r = open_vault(s, config->passphrase);
    if (r == BASE_OK)
        r = load_account(s, config->email);
    if (r != BASE_OK)
        snprintf(startup_error, sizeof(startup_error), "%s",
                 db_store_last_error(s->store)[0]
                     ? db_store_last_error(s->store)
                     : base_status_message(r));
    return r;
}

enum base_status core_session_new(const struct core_config *config,
                                  const struct core_callbacks *callbacks,
                                  struct core_session **out)
{
    struct core_session *s;
    enum base_status r;

    startup_error[0] = '\0';
    if (!config || !out || !config->data_dir || !config->key_dir) {
        snprintf(startup_error, sizeof(startup_error),
                 "a session needs a server, a data and a key directory");
        return BASE_E_INVALID;
    }
    core_decode_init();
    r = core_http_global_init();
    if (r != BASE_OK)
        return r;
    s = calloc(1, sizeof(*s));
    if (!s)
        return BASE_E_NOMEM;
    s->state = CORE_STATE_SIGNED_OUT;
    for (size_t i = 0; i < CORE_VIEW_COUNT; i++)
        s->views[i].table.view = (enum core_view)i;
    s->name_buf = calloc(1, NAME_BUF);
    s->item_dir = strdup(config->data_dir);
    if (!s->name_buf || !s->item_dir) {
        free(s->name_buf);
        free(s->item_dir);
        free(s);
        return BASE_E_NOMEM;
    }
    if (callbacks)
        s->cb = *callbacks;
    r = core_http_check_url(config->server, &s->server, startup_error,
                            sizeof(startup_error));
    if (r == BASE_OK)
        r = session_open(s, config);
    if (r != BASE_OK) {
        core_session_free(&s);
        return r;
    }
    *out = s;
    return BASE_OK;
}

void core_session_free(struct core_session **session)
{
    struct core_session *s;
    size_t i;

    if (!session || !*session)
        return;
    s = *session;
    while (s->ops) {
        struct op *op = s->ops;

        op_unlink(s, op);
        op_free(op);
    }
    core_http_free(&s->http);
    base_log_forget(s->token);
    base_secret_free(&s->token);
    db_store_free(&s->store);
    core_model_home_clear(&s->home);
    views_clear(s);
    for (i = 0; i < s->learned_count; i++)
        free(s->learned[i].name);
    free(s->learned);
    free(s->server);
    free(s->email);
    free(s->name_buf);
    free(s->item_dir);
    free(s);
    *session = NULL;
}

const char *core_session_last_error(const struct core_session *session)
{
    return session ? session->last_error : "";
}

enum core_state core_session_state(const struct core_session *session)
{
    return session ? session->state : CORE_STATE_SIGNED_OUT;
}

enum base_status core_session_token_status(const struct core_session *s)
{
    return s ? s->token_status : BASE_E_AUTH;
}

/* Refusals before any request: the polite wait after a failure, and a
 * locked vault that could not keep the new token. */
static enum base_status sign_in_allowed(struct core_session *s)
{
    long wait = core_session_sign_in_wait_ms(s);

    if (wait > 0) {
        set_error(s, "wait %ld s before trying again", (wait + 999) / 1000);
        return BASE_E_RATE_LIMITED;
    }
    if (s->locked) {
        set_error(s, "unlock the vault with its passphrase first");
        return BASE_E_LOCKED;
    }
    return BASE_OK;
}

/* The canonical form of email in *out; BASE_E_INVALID when blank. */
static enum base_status sign_in_email(struct core_session *s, const char *email,
                                      char **out)
{
    char *canonical = core_text_email(email);

    if (!canonical)
        return BASE_E_NOMEM;
    if (!canonical[0]) {
        free(canonical);
        set_error(s, "an email address is needed");
        return BASE_E_INVALID;
    }
    *out = canonical;
    return BASE_OK;
}

/* Queues a sign-in for the canonical email (taken over, freed on
 * failure); body is copied into wiped memory by the transport. */
static enum base_status sign_in_start(struct core_session *s, char *email,
                                      bool sso, const char *path,
                                      const char *body, size_t len,
                                      uint64_t *request)
{
    struct op *op = op_new(s, OP_SIGN_IN);
    enum base_status r;

    if (!op) {
        free(email);
        return BASE_E_NOMEM;
    }
    op->email = email;
    op->sso = sso;
    r = core_http_start(s->http, CORE_HTTP_POST, path, body, len, false,
                        on_http, op, &op->http_id);
    if (r != BASE_OK) {
        op_unlink(s, op);
        op_free(op);
        return r;
    }
    *request = op->id;
    return BASE_OK;
}

enum base_status core_session_sign_in(struct core_session *session,
                                      const char *email,
                                      const struct base_secret *password,
                                      uint64_t *request)
{
    struct core_sso_field fields[2];
    char *canonical = NULL;
    char *body = NULL;
    size_t len = 0;
    enum base_status r;

    if (!session || !email || !password || !request)
        return BASE_E_INVALID;
    r = sign_in_allowed(session);
    if (r == BASE_OK)
        r = sign_in_email(session, email, &canonical);
    if (r != BASE_OK)
        return r;
    fields[0] = (struct core_sso_field){CORE_F_EMAIL, canonical};
    fields[1] =
        (struct core_sso_field){CORE_F_PASSWORD, base_secret_str(password)};
    body = core_sso_body(fields, 2, &len);
    if (!body) {
        free(canonical);
        return BASE_E_NOMEM;
    }
    r = sign_in_start(session, canonical, false, CORE_EP_SIGN_IN, body, len,
                      request);
    core_sso_body_free(&body, len);
    return r;
}

enum base_status core_session_sign_in_sso(struct core_session *session,
                                          const struct core_sso *sso,
                                          uint64_t *request)
{
    const char *path = NULL;
    char *canonical = NULL;
    char *body = NULL;
    size_t len = 0;
    enum base_status r;

    if (!session || !sso || !sso->email || !request)
        return BASE_E_INVALID;
    r = sign_in_allowed(session);
    if (r == BASE_OK)
        r = sign_in_email(session, sso->email, &canonical);
    if (r != BASE_OK)
        return r;
    r = core_sso_request(sso, canonical, &path, &body, &len,
                         session->last_error, sizeof(session->last_error));
    if (r == BASE_OK) {
        r = sign_in_start(session, canonical, true, path, body, len, request);
        canonical = NULL;
    }
    core_sso_body_free(&body, len);
    free(canonical);
    return r;
}

long core_session_sign_in_wait_ms(const struct core_session *session)
{
    int64_t left;

    if (!session || session->sign_in_after_ms == 0)
        return 0;
    left = session->sign_in_after_ms - mono_ms();
    return left > 0 ? (long)left : 0;
}

enum base_status core_session_unlock(struct core_session *session,
                                     const struct base_secret *passphrase)
{
    enum base_status r;

    if (!session || !passphrase)
        return BASE_E_INVALID;
    if (!session->locked)
        return BASE_OK;
    r = db_vault_unlock(session->store, passphrase);
    if (r != BASE_OK) {
        set_error(session, "%s",
                  db_store_last_error(session->store)[0]
                      ? db_store_last_error(session->store)
                      : base_status_message(r));
        return r;
    }
    session->locked = false;
    r = load_token(session);
    if (r != BASE_OK)
        set_error(session, "the stored token could not be read: %s",
                  db_store_last_error(session->store));
    return r;
}

void core_session_set_pin(struct core_session *session, bool on)
{
    if (!session)
        return;
    session->pinned = on;
    if (on && session->pin_company == 0 && session->company_id)
        choose_company(session, session->company_id);
}

bool core_session_pinned(const struct core_session *session)
{
    return session && session->pinned;
}

/* A pinned request first looks where the server is. */
static void pin_begin(struct core_session *s, struct op *op)
{
    if (!s->pinned || s->pin_company <= 0 || s->user_id <= 0)
        return;
    op->pin_step = PIN_LOOK;
    op->pin_target = s->pin_company;
}

static enum base_status need_token(struct core_session *s)
{
    if (s->token)
        return BASE_OK;
    set_error(s, "not signed in: sign in first");
    return BASE_E_AUTH;
}

enum base_status core_session_load_home(struct core_session *session,
                                        uint64_t *request)
{
    struct op *op;
    enum base_status r;

    if (!session || !request)
        return BASE_E_INVALID;
    r = need_token(session);
    if (r != BASE_OK)
        return r;
    op = op_new(session, OP_HOME);
    if (!op)
        return BASE_E_NOMEM;
    pin_begin(session, op);
    return op_launch(session, op, request);
}

/* The server only switches into accepted memberships; an invitation that
 * is still pending is refused here, before the views are dropped, with
 * the real reason instead of the server's bare 404. */
static enum base_status check_membership_accepted(struct core_session *s,
                                                  int64_t company_id)
{
    const struct core_membership *m;
    const char *name;

    if (!s->have_home)
        return BASE_OK;
    m = core_model_home_membership(&s->home, company_id);
    if (!m || !m->state || strcmp(m->state, "accepted") == 0)
        return BASE_OK;
    name = published_name(s, company_id);
    set_error(s,
              "the membership in %s%s(id %lld) is %s, not accepted: "
              "accept the invitation in Bezala first",
              name ? name : "", name ? " " : "", (long long)company_id,
              m->state);
    return BASE_E_USAGE;
}

enum base_status core_session_switch(struct core_session *session,
                                     int64_t company_id, uint64_t *request)
{
    struct op *op;
    enum base_status r;

    if (!session || !request || company_id <= 0)
        return BASE_E_INVALID;
    r = need_token(session);
    if (r != BASE_OK)
        return r;
    if (session->user_id <= 0) {
        set_error(session, "the user id is not known yet: load home first");
        return BASE_E_USAGE;
    }
    r = check_membership_accepted(session, company_id);
    if (r != BASE_OK)
        return r;
    bump_generation(session);
    op = op_new(session, OP_SWITCH);
    if (!op)
        return BASE_E_NOMEM;
    op->company_id = company_id;
    return op_launch(session, op, request);
}

static enum base_status start_list(struct core_session *s, enum core_view view,
                                   const char *state, size_t limit,
                                   uint64_t *request)
{
    struct op *op;
    enum base_status r = need_token(s);

    if (r != BASE_OK)
        return r;
    op = op_new(s, OP_VIEW);
    if (!op)
        return BASE_E_NOMEM;
    op->view = view;
    op->throttled = core_http_throttled(s->http);
    op->per_page = view_per_page(view);
    op->company_id = s->company_id;
    op->limit = limit;
    if (limit && limit < op->per_page)
        op->per_page = limit;
    if (state) {
        op->state_filter = url_escape(state);
        if (!op->state_filter) {
            op_unlink(s, op);
            op_free(op);
            return BASE_E_NOMEM;
        }
    }
    pin_begin(s, op);
    return op_launch(s, op, request);
}

/* A whole list that a confirmed switch started for view goes on as this
 * load: its id is returned instead of asking for the first page again. */
static bool adopt(struct core_session *s, enum core_view view, bool whole,
                  uint64_t *request)
{
    struct op *op = op_find(s, s->views[view].request);

    if (!op || !op->adoptable || !whole)
        return false;
    op->adoptable = false;
    *request = op->id;
    return true;
}

enum base_status core_session_load_view(struct core_session *session,
                                        enum core_view view,
                                        const struct core_view_query *query,
                                        uint64_t *request)
{
    struct view_slot *slot;
    enum base_status r;
    uint64_t id = 0;
    bool whole;

    if (!session || !request || !core_view_info(view))
        return BASE_E_INVALID;
    slot = &session->views[view];
    whole = !query || (!query->state && !query->limit);
    if (whole) {
        session->focus = view;
        session->has_focus = true;
    }
    if (adopt(session, view, whole, request))
        return BASE_OK;
    if (slot->request)
        core_session_cancel(session, slot->request);
    r = start_list(session, view, query ? query->state : NULL,
                   query ? query->limit : 0, &id);
    if (r != BASE_OK)
        return r;
    slot->request = id;
    slot->failed = BASE_OK;
    *request = id;
    return BASE_OK;
}

const struct core_table *core_session_view(const struct core_session *s,
                                           enum core_view view)
{
    static const struct core_table none = {
        CORE_VIEW_COUNT, NULL, 0, 0, 0, NULL};

    if (!s || !core_view_info(view))
        return &none;
    return &s->views[view].table;
}

void core_session_view_state(const struct core_session *s, enum core_view view,
                             struct core_view_state *out)
{
    const struct view_slot *slot;

    if (!out)
        return;
    memset(out, 0, sizeof(*out));
    if (!s || !core_view_info(view))
        return;
    slot = &s->views[view];
    out->loading = slot->request != 0;
    out->complete = slot->complete;
    out->from_cache = slot->from_cache;
    out->saved_at = slot->saved_at;
    out->failed = slot->failed;
    out->decoding = slot->cached != NULL;
}

/* The first part of the cached list of view for the active company in
 * this build's format (*part NULL when there is none, or only one of an
 * older format). */
static enum base_status cached_first_part(struct core_session *session,
                                          const struct core_view_info *info,
                                          struct db_cache_list *list,
                                          char **part, size_t *len)
{
    char kind[NAME_BUF];
    enum base_status r;

    snprintf(kind, sizeof(kind), "view:%s", info->name);
    r = db_cache_get_first(session->store, session->account_id,
                           session->company_id, kind, list, part, len);
    if (r != BASE_OK) {
        set_error(session, "the cache could not be read: %s",
                  db_store_last_error(session->store));
        return r;
    }
    /* A list cached by an older version is as good as none. */
    if (*part && !core_view_cache_current(*part, *len)) {
        free(*part);
        *part = NULL;
    }
    return BASE_OK;
}

/* Makes table (rows read from part, the list's first, up to *pos) the
 * slot's; the part is kept for core_session_view_cached_more while rows
 * are left. */
static void cached_take(struct view_slot *slot, struct core_table *table,
                        const struct db_cache_list *list, char *part,
                        size_t len, size_t pos, bool done)
{
    core_table_clear(&slot->table);
    slot->table = *table;
    slot->complete = part && done;
    slot->from_cache = part != NULL;
    slot->saved_at = part ? list->stored_at : slot->saved_at;
    if (part && !done) {
        slot->cached = part;
        slot->cached_len = len;
        slot->cached_pos = pos;
        slot->cached_list = list->id;
        slot->cached_part = 0;
    } else {
        free(part);
    }
}

/* Reads the first part of the cached list of view into its slot and
 * decodes up to first_rows rows of it now, the rest kept for
 * core_session_view_cached_more; the list's id in *list_id (0: none). */
static enum base_status view_cached_read(struct core_session *session,
                                         enum core_view view, size_t first_rows,
                                         int64_t *list_id)
{
    const struct core_view_info *info = core_view_info(view);
    struct core_table table = {view, NULL, 0, 0, 0, NULL};
    struct db_cache_list list = {0, 0, 0};
    char *part = NULL;
    size_t len = 0;
    size_t pos = 0;
    enum base_status r;
    bool done = false;

    if (!session || !info || first_rows == 0)
        return BASE_E_INVALID;
    if (!session->account_id || session->company_id <= 0)
        return BASE_OK;
    r = cached_first_part(session, info, &list, &part, &len);
    if (r != BASE_OK)
        return r;
    cached_drop(&session->views[view]);
    if (part) {
        table_items(session, &table);
        r = core_view_decode_cache_piece(view, part, len, true, &pos,
                                         first_rows, &table, &done);
    }
    if (r != BASE_OK) {
        free(part);
        core_table_clear(&table);
        set_error(session, "the cached %s could not be read", info->name);
        return r;
    }
    if (list_id)
        *list_id = part ? list.id : 0;
    cached_take(&session->views[view], &table, &list, part, len, pos, done);
    return BASE_OK;
}

enum base_status core_session_view_cached(struct core_session *session,
                                          enum core_view view)
{
    enum base_status r = view_cached_read(session, view, SIZE_MAX, NULL);
    bool more = true;

    /* Part by part: one part in memory at a time. */
    while (r == BASE_OK && more)
        r = core_session_view_cached_more(session, view, SIZE_MAX, &more);
    return r;
}

enum base_status core_session_view_cached_first(struct core_session *session,
                                                enum core_view view,
                                                size_t rows)
{
    return view_cached_read(session, view, rows, NULL);
}

/* Ends the reading of a cached list that failed with r: rows past a
 * damaged one are never shown as the whole list. */
static enum base_status cached_fail(struct core_session *session,
                                    struct view_slot *slot,
                                    const struct core_view_info *info,
                                    enum base_status r)
{
    cached_drop(slot);
    if (r == BASE_E_DECODE) {
        core_table_clear(&slot->table);
        slot->from_cache = false;
    }
    set_error(session, "the cached %s could not be read", info->name);
    return r;
}

/* Reads the part after the slot's into it; *gone when the store has no
 * such part of that list. */
static enum base_status cached_next_part(struct core_session *session,
                                         struct view_slot *slot, bool *gone)
{
    char *part = NULL;
    size_t len = 0;
    enum base_status r;

    r = db_cache_get_part(session->store, slot->cached_list,
                          slot->cached_part + 1, &part, &len);
    if (r != BASE_OK) {
        set_error(session, "the cache could not be read: %s",
                  db_store_last_error(session->store));
        return r;
    }
    *gone = part == NULL;
    if (part) {
        free(slot->cached);
        slot->cached = part;
        slot->cached_len = len;
        slot->cached_pos = 0;
        slot->cached_part++;
    }
    return BASE_OK;
}

/* The list being read lost its next part: another process replaced it
 * (or cleared the cache) since its first part was read. Its rows are not
 * mixed with the new list's: the reading starts again from the list
 * stored now. The same list without the part is damaged. */
static enum base_status cached_restart(struct core_session *session,
                                       enum core_view view, size_t rows,
                                       bool *more)
{
    struct view_slot *slot = &session->views[view];
    int64_t old = slot->cached_list;
    int64_t now = 0;
    enum base_status r;

    r = view_cached_read(session, view, rows, &now);
    if (r == BASE_OK && now == old)
        r = BASE_E_DECODE;
    if (r != BASE_OK)
        return cached_fail(session, slot, core_view_info(view), r);
    *more = slot->cached != NULL;
    return BASE_OK;
}

enum base_status core_session_view_cached_more(struct core_session *session,
                                               enum core_view view, size_t rows,
                                               bool *more)
{
    const struct core_view_info *info = core_view_info(view);
    struct view_slot *slot;
    enum base_status r = BASE_OK;
    bool done = false;
    bool gone = false;

    if (!session || !info || !more || rows == 0)
        return BASE_E_INVALID;
    slot = &session->views[view];
    if (!slot->cached) {
        *more = false;
        return BASE_OK;
    }
    /* Only when rows are wanted past the part read is the next one read:
     * no call reads more than one part. */
    if (slot->cached_pos == slot->cached_len)
        r = cached_next_part(session, slot, &gone);
    if (r != BASE_OK)
        return cached_fail(session, slot, info, r);
    if (gone)
        return cached_restart(session, view, rows, more);
    r = core_view_decode_cache_piece(view, slot->cached, slot->cached_len,
                                     slot->cached_part == 0, &slot->cached_pos,
                                     rows, &slot->table, &done);
    if (r != BASE_OK)
        return cached_fail(session, slot, info, r);
    if (done) {
        cached_drop(slot);
        slot->complete = true;
    }
    *more = !done;
    return BASE_OK;
}

enum base_status core_session_load_home_cached(struct core_session *session,
                                               bool *found, int64_t *saved_at)
{
    struct core_home home;
    char *body = NULL;
    size_t len = 0;
    int64_t saved = 0;
    enum base_status r;

    if (!session || !found || !saved_at)
        return BASE_E_INVALID;
    *found = false;
    if (!session->account_id)
        return BASE_OK;
    r = db_cache_get(session->store, session->account_id, 0, "home", &body,
                     &len, &saved);
    if (r != BASE_OK || !body) {
        if (r != BASE_OK)
            set_error(session, "the cache could not be read: %s",
                      db_store_last_error(session->store));
        return r;
    }
    r = core_decode_home(body, len, &home);
    free(body);
    if (r != BASE_OK)
        return BASE_OK;
    cached_home_apply(session, &home);
    *found = true;
    *saved_at = saved;
    return BASE_OK;
}

enum base_status core_session_sign_out(struct core_session *session)
{
    enum base_status r;

    if (!session)
        return BASE_E_INVALID;
    if (session->account_id) {
        r = db_tokens_delete(session->store, session->account_id);
        if (r != BASE_OK) {
            set_error(session, "the token could not be removed: %s",
                      db_store_last_error(session->store));
            return r;
        }
    }
    base_log_forget(session->token);
    base_secret_free(&session->token);
    if (core_http_set_token(session->http, NULL) != BASE_OK)
        return BASE_E_INVALID;
    drop_account_data(session);
    session->state = CORE_STATE_SIGNED_OUT;
    session->token_status = BASE_E_AUTH;
    return BASE_OK;
}

void core_session_cancel(struct core_session *session, uint64_t request)
{
    struct op *op;

    if (!session)
        return;
    op = op_find(session, request);
    if (!op)
        return;
    if (op == session->current) {
        op->cancelled = true;
        return;
    }
    op_drop(session, op);
}

enum base_status core_session_wait(struct core_session *session, int extra_fd,
                                   int timeout_ms)
{
    if (!session)
        return BASE_E_INVALID;
    return core_http_wait(session->http, extra_fd, timeout_ms);
}

bool core_session_busy(const struct core_session *session)
{
    return session && core_http_busy(session->http);
}

static bool finished_status(const struct core_session *s, uint64_t id,
                            enum base_status *status)
{
    size_t i;

    for (i = 0; i < DONE_RING; i++) {
        if (s->done[i].id == id && id != 0) {
            *status = s->done[i].status;
            return true;
        }
    }
    return false;
}

enum base_status core_session_finish(struct core_session *session,
                                     uint64_t request)
{
    enum base_status status;
    struct op *op;

    if (!session)
        return BASE_E_INVALID;
    for (;;) {
        if (finished_status(session, request, &status))
            return status;
        op = op_find(session, request);
        if (!op)
            return BASE_E_INVALID;
        /* Held for a sign-in that only the caller can provide. */
        if (op->held)
            return BASE_E_AUTH;
        status = core_session_wait(session, -1, 1000);
        if (status != BASE_OK)
            return status;
    }
}

const char *core_session_server(const struct core_session *session)
{
    return session ? session->server : NULL;
}

const char *core_session_email(const struct core_session *session)
{
    return session ? session->email : NULL;
}

const struct core_home *core_session_home(const struct core_session *s)
{
    return s && s->have_home ? &s->home : NULL;
}

int64_t core_session_company_id(const struct core_session *session)
{
    return session ? session->company_id : 0;
}

const char *core_session_company_name(const struct core_session *session)
{
    const char *name;

    if (!session || !session->company_id)
        return NULL;
    name = published_name(session, session->company_id);
    if (name)
        return name;
    snprintf(session->name_buf, NAME_BUF, "Company %lld",
             (long long)session->company_id);
    return session->name_buf;
}

const struct core_membership *
core_session_active_membership(const struct core_session *session)
{
    if (!session || !session->have_home)
        return NULL;
    return core_model_home_membership(&session->home, session->company_id);
}

bool core_session_changed_elsewhere(const struct core_session *session)
{
    return session && session->changed_elsewhere;
}

static bool parse_id(const char *text, int64_t *id)
{
    char *end = NULL;
    long long n;

    while (*text == ' ' || *text == '\t')
        text++;
    if (!text[0] || text[0] < '0' || text[0] > '9')
        return false;
    n = strtoll(text, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end != '\0' || n <= 0)
        return false;
    *id = (int64_t)n;
    return true;
}

/* Collects the companies whose name matches: exact (case-insensitive)
 * when exact, else containing query with case and Latin diacritics set
 * aside ("aima" finds "\u00c4im\u00e4", as the list filters do). Returns the
 * count, the last match in *id and the names in list. */
static size_t match_names(const struct core_session *s, const char *query,
                          bool exact, int64_t *id, char *list, size_t size)
{
    const struct core_membership *m;
    const char *name;
    size_t used = 0;
    size_t hits = 0;
    size_t i;

    for (i = 0; i < s->home.membership_count; i++) {
        m = &s->home.memberships[i];
        name = published_name(s, m->company_id);
        if (!name || !(exact ? core_text_equal_fold(name, query)
                             : core_text_contains_plain(name, query)))
            continue;
        hits++;
        *id = m->company_id;
        if (used < size)
            used += (size_t)snprintf(list + used, size - used, "%s%s (%lld)",
                                     hits > 1 ? ", " : "", name,
                                     (long long)m->company_id);
    }
    return hits;
}

enum base_status core_session_find_company(struct core_session *session,
                                           const char *query,
                                           int64_t *company_id)
{
    char list[DETAIL_MAX - 64];
    int64_t id = 0;
    size_t hits;

    if (!session || !query || !company_id)
        return BASE_E_INVALID;
    if (!session->have_home) {
        set_error(session, "the companies are not loaded yet");
        return BASE_E_USAGE;
    }
    if (parse_id(query, &id) &&
        core_model_home_membership(&session->home, id)) {
        *company_id = id;
        return BASE_OK;
    }
    list[0] = '\0';
    hits = match_names(session, query, true, &id, list, sizeof(list));
    /* "Company 539", as a company without a published name is shown. */
    if (hits == 0 && strncasecmp(query, "company ", 8) == 0 &&
        parse_id(query + 8, &id) &&
        core_model_home_membership(&session->home, id)) {
        *company_id = id;
        return BASE_OK;
    }
    if (hits == 0)
        hits = match_names(session, query, false, &id, list, sizeof(list));
    if (hits == 1) {
        *company_id = id;
        return BASE_OK;
    }
    if (hits > 1) {
        set_error(session, "\"%s\" matches several companies: %s", query, list);
        return BASE_E_AMBIGUOUS;
    }
    set_error(session, "no company of this user matches \"%s\"", query);
    return BASE_E_USAGE;
}

static const char *const receipt_states[] = {CORE_RECEIPT_STATES};

const char *core_session_receipt_states(void)
{
    static char joined[128];
    size_t used = 0;
    size_t i;

    if (joined[0])
        return joined;
    for (i = 0; i < sizeof(receipt_states) / sizeof(receipt_states[0]); i++)
        used += (size_t)snprintf(joined + used, sizeof(joined) - used, "%s%s",
                                 i ? ", " : "", receipt_states[i]);
    return joined;
}

bool core_session_receipt_state_valid(const char *state)
{
    size_t i;

    for (i = 0; state && i < sizeof(receipt_states) / sizeof(receipt_states[0]);
         i++) {
        if (strcmp(state, receipt_states[i]) == 0)
            return true;
    }
    return false;
}
