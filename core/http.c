/* HTTPS transport over libcurl's multi interface: strict per-handle
 * policy, bounded bodies, bearer header only, GET retries on timers. */
#include "core/http.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "base/log.h"
#include "core/endpoints.h"

#ifndef BEZALA_VERSION
#define BEZALA_VERSION "0"
#endif

#define POOL_MAX 8
#define TRIES_MAX 3
#define WAITS_429_MAX 2
#define RETRY_AFTER_CAP_S 10
#define BACKOFF_FIRST_MS 200
#define BACKOFF_CAP_MS 2000
#define CONNECT_DEFAULT_MS 10000L
#define TIMEOUT_DEFAULT_MS 30000L
#define TOKEN_MIN 8
#define TOKEN_MAX 4096

struct request {
    struct request *next;
    uint64_t id;
    enum core_http_method method;
    char *path;
    struct base_secret *body; /* NULL for no body */
    bool authed;
    bool sensitive;
    bool running;
    int tries;
    int waits;
    int64_t due_ms;
    int64_t started_ms;
    long retry_after_s;
    CURL *easy;
    struct curl_slist *headers;
    char *in;
    size_t in_len;
    size_t in_cap;
    bool too_large;
    char errbuf[CURL_ERROR_SIZE];
    core_http_done done;
    void *user;
};

struct core_http {
    CURLM *multi;
    char *server;
    char *cacert;
    long connect_ms;
    long timeout_ms;
    struct base_secret *token;
    struct request *requests;
    CURL *idle[POOL_MAX];
    size_t idle_count;
    uint64_t next_id;
    unsigned long throttled; /* 429 answers met */
};

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libcurl frees header and request buffers that held the token; wiping
 * every block it frees keeps those copies out of freed heap. */
static void wipe_free(void *p)
{
    if (!p)
        return;
    sodium_memzero(p, malloc_usable_size(p));
    free(p);
}

static void *wipe_realloc(void *p, size_t n)
{
    size_t old;
    void *q;

    if (!p)
        return malloc(n);
    if (n == 0) {
        wipe_free(p);
        return NULL;
    }
    q = malloc(n);
    if (!q)
        return NULL;
    old = malloc_usable_size(p);
    memcpy(q, p, old < n ? old : n);
    wipe_free(p);
    return q;
}

static char *plain_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

enum base_status core_http_global_init(void)
{
    static bool done;
    CURLcode rc;

    if (done)
        return BASE_OK;
    rc = curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, wipe_free,
                              wipe_realloc, plain_strdup, calloc);
    if (rc != CURLE_OK)
        return BASE_E_NETWORK;
    done = true;
    return BASE_OK;
}

static void set_err(char *err, size_t size, const char *msg)
{
    if (err && size)
        snprintf(err, size, "%s", msg);
}

static bool has_part(CURLU *u, CURLUPart part)
{
    char *value = NULL;
    bool present;

    present = curl_url_get(u, part, &value, 0) == CURLUE_OK && value &&
              value[0] != '\0';
    curl_free(value);
    return present;
}

/* Port 0 parses but can never be connected to. */
static bool port_is_zero(CURLU *u)
{
    char *port = NULL;
    bool zero;

    if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK || !port)
        return false;
    zero = port[strspn(port, "0")] == '\0';
    curl_free(port);
    return zero;
}

/* Only the root: an empty path or one made of slashes alone. */
static bool path_is_root(CURLU *u)
{
    char *path = NULL;
    bool root;

    if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK || !path)
        return true;
    root = path[strspn(path, "/")] == '\0';
    curl_free(path);
    return root;
}

static const char *url_problem(CURLU *u)
{
    char *scheme = NULL;
    const char *problem = NULL;

    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
        problem = "the server URL has no scheme; use https://HOST";
    else if (strcasecmp(scheme, "http") == 0)
        problem = "only https:// servers are accepted (http:// would send "
                  "the token in clear)";
    else if (strcasecmp(scheme, "https") != 0)
        problem = "only https:// servers are accepted";
    else if (has_part(u, CURLUPART_USER) || has_part(u, CURLUPART_PASSWORD))
        problem = "the server URL must not contain a user name or password";
    else if (!has_part(u, CURLUPART_HOST))
        problem = "the server URL has no host";
    else if (has_part(u, CURLUPART_QUERY) || has_part(u, CURLUPART_FRAGMENT))
        problem = "the server URL must not have a query or fragment";
    else if (port_is_zero(u))
        problem = "the server URL has an invalid port";
    else if (!path_is_root(u))
        problem = "the server URL must be the server's root, without a "
                  "path such as /api";
    curl_free(scheme);
    return problem;
}

/* Why curl could not parse url at all. */
static const char *parse_problem(const char *url, CURLUcode code)
{
    if (strncasecmp(url, "http://", 7) == 0)
        return "only https:// servers are accepted (http:// would send the "
               "token in clear)";
    switch (code) {
    case CURLUE_BAD_PORT_NUMBER:
        return "the server URL has an invalid port";
    case CURLUE_BAD_LOGIN:
    case CURLUE_BAD_USER:
    case CURLUE_BAD_PASSWORD:
        return "the server URL must not contain a user name or password";
    case CURLUE_BAD_QUERY:
    case CURLUE_BAD_FRAGMENT:
        return "the server URL must not have a query or fragment";
    case CURLUE_NO_HOST:
    case CURLUE_BAD_HOSTNAME:
    case CURLUE_BAD_IPV6:
        return "the server URL has no valid host";
    default:
        return "the server URL is not a valid https:// URL";
    }
}

enum base_status core_http_check_url(const char *url, char **out, char *err,
                                     size_t err_size)
{
    enum base_status result = BASE_E_USAGE;
    const char *problem;
    char *full = NULL;
    CURLUcode code;
    size_t len;
    CURLU *u;

    if (!url || !url[0] || !out) {
        set_err(err, err_size, "no server URL given");
        return BASE_E_USAGE;
    }
    u = curl_url();
    if (!u)
        return BASE_E_NOMEM;
    code = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
    problem = code != CURLUE_OK ? parse_problem(url, code) : url_problem(u);
    /* An empty query or fragment ("host/?") is no part for curl, but it
     * would still end up in every request URL. */
    if (!problem && strpbrk(url, "?#"))
        problem = "the server URL must not have a query or fragment";
    if (problem) {
        set_err(err, err_size, problem);
        goto out;
    }
    if (curl_url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK) {
        set_err(err, err_size, "the server URL could not be read");
        goto out;
    }
    len = strlen(full);
    while (len > 0 && full[len - 1] == '/')
        full[--len] = '\0';
    *out = strdup(full);
    result = *out ? BASE_OK : BASE_E_NOMEM;
out:
    curl_free(full);
    curl_url_cleanup(u);
    return result;
}

static bool token_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~' || c == '+' || c == '/';
}

bool core_http_token_ok(const char *token, size_t len)
{
    size_t i = 0;

    if (!token || len < TOKEN_MIN || len > TOKEN_MAX)
        return false;
    while (i < len && token_char((unsigned char)token[i]))
        i++;
    /* Only trailing '=' padding may follow, and not as the whole token. */
    if (i == 0)
        return false;
    while (i < len && token[i] == '=')
        i++;
    return i == len;
}

enum base_status core_http_map_code(long http_status)
{
    if (http_status >= 200 && http_status < 300)
        return BASE_OK;
    if (http_status == 401)
        return BASE_E_AUTH;
    if (http_status == 403 || http_status == 404)
        return BASE_E_FORBIDDEN;
    if (http_status >= 300 && http_status < 400)
        return BASE_E_REDIRECT;
    return BASE_E_SERVER;
}

/* One server, reached over a few kept-alive connections: a list's
 * parallel pages and a home or switch call beside them share them, and
 * the cache keeps them open between requests. */
static CURLMcode set_limits(CURLM *multi)
{
    CURLMcode rc;

    rc = curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                           (long)CORE_HTTP_CONNECTIONS_MAX);
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS,
                               (long)CORE_HTTP_CONNECTIONS_MAX);
    return rc;
}

enum base_status core_http_new(const char *server, const char *cacert,
                               long connect_timeout_ms, long timeout_ms,
                               struct core_http **out)
{
    struct core_http *http;

    if (!server || !out)
        return BASE_E_INVALID;
    http = calloc(1, sizeof(*http));
    if (!http)
        return BASE_E_NOMEM;
    http->multi = curl_multi_init();
    http->server = strdup(server);
    http->cacert = cacert ? strdup(cacert) : NULL;
    if (!http->multi || !http->server || (cacert && !http->cacert) ||
        set_limits(http->multi) != CURLM_OK) {
        core_http_free(&http);
        return BASE_E_NOMEM;
    }
    http->connect_ms =
        connect_timeout_ms > 0 ? connect_timeout_ms : CONNECT_DEFAULT_MS;
    http->timeout_ms = timeout_ms > 0 ? timeout_ms : TIMEOUT_DEFAULT_MS;
    http->next_id = 1;
    *out = http;
    return BASE_OK;
}

static void wipe_headers(struct curl_slist **headers)
{
    struct curl_slist *node;

    for (node = *headers; node; node = node->next) {
        if (node->data)
            base_secret_wipe(node->data, strlen(node->data));
    }
    curl_slist_free_all(*headers);
    *headers = NULL;
}

static void drop_body(struct request *req)
{
    if (req->in)
        base_secret_wipe(req->in, req->in_cap);
    free(req->in);
    req->in = NULL;
    req->in_len = 0;
    req->in_cap = 0;
}

/* Detaches the request's easy handle and keeps it for reuse. */
static void detach(struct core_http *http, struct request *req)
{
    if (!req->easy)
        return;
    curl_multi_remove_handle(http->multi, req->easy);
    wipe_headers(&req->headers);
    curl_easy_reset(req->easy);
    if (http->idle_count < POOL_MAX)
        http->idle[http->idle_count++] = req->easy;
    else
        curl_easy_cleanup(req->easy);
    req->easy = NULL;
    req->running = false;
}

static void request_free(struct request *req)
{
    if (!req)
        return;
    drop_body(req);
    base_secret_free(&req->body);
    free(req->path);
    free(req);
}

static void unlink_request(struct core_http *http, struct request *req)
{
    struct request **link = &http->requests;

    while (*link && *link != req)
        link = &(*link)->next;
    if (*link)
        *link = req->next;
    req->next = NULL;
}

void core_http_free(struct core_http **http)
{
    struct core_http *h;
    size_t i;

    if (!http || !*http)
        return;
    h = *http;
    while (h->requests) {
        struct request *req = h->requests;

        detach(h, req);
        unlink_request(h, req);
        request_free(req);
    }
    for (i = 0; i < h->idle_count; i++)
        curl_easy_cleanup(h->idle[i]);
    if (h->multi)
        curl_multi_cleanup(h->multi);
    base_secret_free(&h->token);
    free(h->server);
    free(h->cacert);
    free(h);
    *http = NULL;
}

enum base_status core_http_set_token(struct core_http *http,
                                     const struct base_secret *token)
{
    struct base_secret *copy = NULL;
    enum base_status result;

    if (!http)
        return BASE_E_INVALID;
    if (token) {
        if (!core_http_token_ok(base_secret_str(token), base_secret_len(token)))
            return BASE_E_AUTH;
        result = base_secret_dup(token, &copy);
        if (result != BASE_OK)
            return result;
    }
    base_secret_free(&http->token);
    http->token = copy;
    return BASE_OK;
}

enum base_status core_http_start(struct core_http *http,
                                 enum core_http_method method, const char *path,
                                 const void *body, size_t len, bool authed,
                                 core_http_done done, void *user, uint64_t *id)
{
    struct request *req;
    struct request **tail;

    if (!http || !path || path[0] != '/' || !done || !id)
        return BASE_E_INVALID;
    req = calloc(1, sizeof(*req));
    if (!req)
        return BASE_E_NOMEM;
    req->path = strdup(path);
    if (!req->path ||
        (body && base_secret_new(body, len, &req->body) != BASE_OK)) {
        request_free(req);
        return BASE_E_NOMEM;
    }
    req->id = http->next_id++;
    req->method = method;
    req->authed = authed;
    req->sensitive =
        strncmp(path, CORE_EP_AUTH_PREFIX, strlen(CORE_EP_AUTH_PREFIX)) == 0;
    req->due_ms = now_ms();
    req->done = done;
    req->user = user;
    tail = &http->requests;
    while (*tail)
        tail = &(*tail)->next;
    *tail = req;
    *id = req->id;
    return BASE_OK;
}

void core_http_cancel(struct core_http *http, uint64_t id)
{
    struct request *req;

    if (!http)
        return;
    for (req = http->requests; req; req = req->next) {
        if (req->id == id)
            break;
    }
    if (!req)
        return;
    detach(http, req);
    unlink_request(http, req);
    request_free(req);
}

bool core_http_busy(const struct core_http *http)
{
    return http && http->requests != NULL;
}

unsigned long core_http_throttled(const struct core_http *http)
{
    return http ? http->throttled : 0;
}

static size_t on_data(char *data, size_t size, size_t n, void *user)
{
    struct request *req = user;
    size_t len = size * n;
    size_t cap;
    char *grown;

    if (req->too_large || len > (size_t)CORE_HTTP_BODY_MAX - req->in_len) {
        req->too_large = true;
        drop_body(req);
        return 0;
    }
    if (req->in_len + len + 1 > req->in_cap) {
        cap = req->in_cap ? req->in_cap * 2 : 16384;
        while (cap < req->in_len + len + 1)
            cap *= 2;
        /* A fresh block, so that the old one can be wiped, not leaked. */
        grown = malloc(cap);
        if (!grown)
            return 0;
        if (req->in)
            memcpy(grown, req->in, req->in_len);
        base_secret_wipe(req->in, req->in_cap);
        free(req->in);
        req->in = grown;
        req->in_cap = cap;
    }
    memcpy(req->in + req->in_len, data, len);
    req->in_len += len;
    req->in[req->in_len] = '\0';
    return len;
}

static struct curl_slist *add_header(struct curl_slist *list, const char *line,
                                     bool *ok)
{
    struct curl_slist *grown = curl_slist_append(list, line);

    if (!grown) {
        *ok = false;
        return list;
    }
    return grown;
}

static bool add_bearer(struct core_http *http, struct request *req)
{
    size_t size = base_secret_len(http->token) + 32;
    char *line = sodium_malloc(size);
    struct curl_slist *grown;

    if (!line)
        return false;
    snprintf(line, size, "Authorization: Bearer %s",
             base_secret_str(http->token));
    grown = curl_slist_append(req->headers, line);
    sodium_free(line);
    if (!grown)
        return false;
    req->headers = grown;
    return true;
}

/* The header list lives only while the transfer runs; detach() wipes it. */
static enum base_status build_headers(struct core_http *http,
                                      struct request *req)
{
    bool ok = true;

    req->headers = add_header(NULL, "Accept: application/json", &ok);
    req->headers = add_header(req->headers, "Expect:", &ok);
    if (req->method != CORE_HTTP_GET)
        req->headers =
            add_header(req->headers, "Content-Type: application/json", &ok);
    if (!ok)
        return BASE_E_NOMEM;
    if (!req->authed)
        return BASE_OK;
    if (!http->token || !core_http_token_ok(base_secret_str(http->token),
                                            base_secret_len(http->token))) {
        snprintf(req->errbuf, sizeof(req->errbuf), "no usable token");
        return BASE_E_AUTH;
    }
    return add_bearer(http, req) ? BASE_OK : BASE_E_NOMEM;
}

static CURLcode set_policy(struct core_http *http, CURL *e)
{
    CURLcode rc = CURLE_OK;

    rc |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
    rc |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    rc |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    rc |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    rc |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    rc |=
        curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    if (http->cacert)
        rc |= curl_easy_setopt(e, CURLOPT_CAINFO, http->cacert);
    rc |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, http->connect_ms);
    rc |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, http->timeout_ms);
    rc |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    rc |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 20L);
    rc |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    rc |= curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    rc |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
                           (curl_off_t)CORE_HTTP_BODY_MAX);
    rc |= curl_easy_setopt(e, CURLOPT_USERAGENT, "bezala/" BEZALA_VERSION);
    return rc;
}

static CURLcode set_request(struct core_http *http, struct request *req)
{
    CURL *e = req->easy;
    size_t size = strlen(http->server) + strlen(req->path) + 1;
    char *url = malloc(size);
    CURLcode rc = CURLE_OK;

    if (!url)
        return CURLE_OUT_OF_MEMORY;
    snprintf(url, size, "%s%s", http->server, req->path);
    rc |= curl_easy_setopt(e, CURLOPT_URL, url);
    free(url);
    rc |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, req->errbuf);
    rc |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    rc |= curl_easy_setopt(e, CURLOPT_WRITEDATA, req);
    rc |= curl_easy_setopt(e, CURLOPT_PRIVATE, req);
    rc |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, req->headers);
    if (req->method == CORE_HTTP_GET)
        return rc | curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    /* Our own buffer, not COPYPOSTFIELDS: we can wipe it afterwards. */
    rc |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
                           (long)base_secret_len(req->body));
    rc |= curl_easy_setopt(e, CURLOPT_POSTFIELDS,
                           req->body ? base_secret_str(req->body) : "");
    if (req->method == CORE_HTTP_PUT)
        rc |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
    return rc;
}

static const char *method_name(enum core_http_method method)
{
    switch (method) {
    case CORE_HTTP_POST:
        return "POST";
    case CORE_HTTP_PUT:
        return "PUT";
    default:
        return "GET";
    }
}

static void finish(struct core_http *http, struct request *req,
                   enum base_status status, long code);

static enum base_status launch(struct core_http *http, struct request *req)
{
    enum base_status result;

    req->easy =
        http->idle_count ? http->idle[--http->idle_count] : curl_easy_init();
    if (!req->easy)
        return BASE_E_NOMEM;
    req->errbuf[0] = '\0';
    req->too_large = false;
    drop_body(req);
    result = build_headers(http, req);
    if (result != BASE_OK)
        return result;
    if (set_policy(http, req->easy) != CURLE_OK ||
        set_request(http, req) != CURLE_OK) {
        snprintf(req->errbuf, sizeof(req->errbuf),
                 "the transfer could not be set up");
        return BASE_E_NETWORK;
    }
    if (curl_multi_add_handle(http->multi, req->easy) != CURLM_OK)
        return BASE_E_NETWORK;
    req->running = true;
    req->tries++;
    req->started_ms = now_ms();
    return BASE_OK;
}

/* Starts every request whose time has come; a failure to start ends it. */
static void start_due(struct core_http *http)
{
    struct request *req;
    enum base_status result;
    int64_t now = now_ms();

    for (req = http->requests; req; req = req->next) {
        if (req->running || req->due_ms > now)
            continue;
        result = launch(http, req);
        if (result != BASE_OK) {
            detach(http, req);
            finish(http, req, result, 0);
            /* The callback may have changed the list: start over. */
            start_due(http);
            return;
        }
    }
}

static enum base_status map_curl(CURLcode code, bool too_large)
{
    switch (code) {
    case CURLE_OK:
        return BASE_OK;
    case CURLE_FILESIZE_EXCEEDED:
        return BASE_E_TOO_LARGE;
    case CURLE_WRITE_ERROR:
        return too_large ? BASE_E_TOO_LARGE : BASE_E_NOMEM;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        return BASE_E_TLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return BASE_E_USAGE;
    case CURLE_OUT_OF_MEMORY:
        return BASE_E_NOMEM;
    default:
        return BASE_E_NETWORK;
    }
}

static bool dropped(CURLcode code)
{
    return code == CURLE_GOT_NOTHING || code == CURLE_RECV_ERROR ||
           code == CURLE_SEND_ERROR || code == CURLE_PARTIAL_FILE;
}

/* Decides whether a finished GET goes round again; sets its timer. */
static bool schedule_retry(struct request *req, CURLcode code, long status,
                           curl_off_t retry_after)
{
    int64_t delay;

    if (req->method != CORE_HTTP_GET)
        return false;
    if (code == CURLE_OK && status == 429 && req->waits < WAITS_429_MAX) {
        if (retry_after <= 0)
            retry_after = 1;
        if (retry_after > RETRY_AFTER_CAP_S)
            retry_after = RETRY_AFTER_CAP_S;
        req->waits++;
        req->due_ms = now_ms() + (int64_t)retry_after * 1000;
        return true;
    }
    if (req->tries >= TRIES_MAX)
        return false;
    if (!(code == CURLE_OK && status >= 500) && !dropped(code))
        return false;
    delay = (int64_t)BACKOFF_FIRST_MS << (req->tries - 1);
    req->due_ms = now_ms() + (delay > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : delay);
    return true;
}

static void redirect_detail(struct request *req, char *detail, size_t size)
{
    char *target = NULL;
    char *host = NULL;
    CURLU *u = curl_url();

    curl_easy_getinfo(req->easy, CURLINFO_REDIRECT_URL, &target);
    if (u && target &&
        curl_url_set(u, CURLUPART_URL, target, CURLU_NON_SUPPORT_SCHEME) ==
            CURLUE_OK)
        curl_url_get(u, CURLUPART_HOST, &host, 0);
    snprintf(detail, size, "the server redirected to %s; not followed",
             host ? host : "an unknown host");
    curl_free(host);
    curl_url_cleanup(u);
}

static void log_done(const struct request *req, long code, size_t len)
{
    long long ms = (long long)(now_ms() - req->started_ms);

    base_log(BASE_LOG_INFO, "%s %s -> %ld in %lld ms, %d retries",
             method_name(req->method), req->path, code, ms, req->tries - 1);
    if (req->sensitive)
        base_log(BASE_LOG_DEBUG, "body <redacted, %zu bytes>", len);
    else
        base_log(BASE_LOG_DEBUG, "body %zu bytes", len);
}

/* Handles one transfer that curl reports done. */
static void complete(struct core_http *http, struct request *req, CURLcode code)
{
    enum base_status status = map_curl(code, req->too_large);
    curl_off_t retry_after = 0;
    long http_code = 0;

    curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &http_code);
    curl_easy_getinfo(req->easy, CURLINFO_RETRY_AFTER, &retry_after);
    log_done(req, http_code, req->in_len);
    if (status == BASE_OK && http_code == 429)
        http->throttled++;
    if (status == BASE_OK && http_code >= 300 && http_code < 400) {
        redirect_detail(req, req->errbuf, sizeof(req->errbuf));
        status = BASE_E_REDIRECT;
    }
    /* curl's own words differ with and without Content-Length. */
    if (status == BASE_E_TOO_LARGE)
        snprintf(req->errbuf, sizeof(req->errbuf),
                 "the answer is larger than %ld MiB; it was not kept",
                 CORE_HTTP_BODY_MAX / (1024 * 1024));
    if (status != BASE_OK && req->errbuf[0] == '\0')
        snprintf(req->errbuf, sizeof(req->errbuf), "%s",
                 curl_easy_strerror(code));
    detach(http, req);
    req->retry_after_s = retry_after > 0 ? (long)retry_after : 0;
    if (status != BASE_E_REDIRECT &&
        schedule_retry(req, code, http_code, retry_after)) {
        base_log(BASE_LOG_INFO, "%s %s: retrying in %lld ms",
                 method_name(req->method), req->path,
                 (long long)(req->due_ms - now_ms()));
        return;
    }
    finish(http, req, status, http_code);
}

static void finish(struct core_http *http, struct request *req,
                   enum base_status status, long code)
{
    struct core_http_result result;

    memset(&result, 0, sizeof(result));
    result.status = status;
    result.http_status = status == BASE_OK ? code : 0;
    result.body = req->in ? req->in : "";
    result.len = req->in_len;
    result.tries = req->tries;
    result.retry_after_s = status == BASE_OK ? req->retry_after_s : 0;
    result.throttled = req->waits > 0 || (status == BASE_OK && code == 429);
    if (status != BASE_OK) {
        snprintf(result.detail, sizeof(result.detail), "%.200s", req->errbuf);
        base_log(BASE_LOG_WARN, "%s %s failed: %s", method_name(req->method),
                 req->path, result.detail);
    }
    unlink_request(http, req);
    req->done(&result, req->user);
    request_free(req);
}

static int collect(struct core_http *http)
{
    struct request *req = NULL;
    CURLMsg *msg;
    int left = 0;
    int delivered = 0;

    msg = curl_multi_info_read(http->multi, &left);
    while (msg) {
        if (msg->msg == CURLMSG_DONE) {
            CURLcode code = msg->data.result;

            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &req);
            complete(http, req, code);
            delivered++;
        }
        msg = curl_multi_info_read(http->multi, &left);
    }
    return delivered;
}

static int next_timer_ms(const struct core_http *http, int limit)
{
    const struct request *req;
    int64_t now = now_ms();
    int64_t wait = limit;

    for (req = http->requests; req; req = req->next) {
        if (!req->running && req->due_ms - now < wait)
            wait = req->due_ms - now;
    }
    return wait < 0 ? 0 : (int)wait;
}

enum base_status core_http_wait(struct core_http *http, int extra_fd,
                                int timeout_ms)
{
    struct curl_waitfd extra = {extra_fd, CURL_WAIT_POLLIN, 0};
    int running = 0;

    if (!http)
        return BASE_E_INVALID;
    start_due(http);
    curl_multi_perform(http->multi, &running);
    if (collect(http) > 0) {
        start_due(http);
        curl_multi_perform(http->multi, &running);
        return BASE_OK;
    }
    if (curl_multi_poll(http->multi, extra_fd >= 0 ? &extra : NULL,
                        extra_fd >= 0 ? 1 : 0,
                        next_timer_ms(http, timeout_ms < 0 ? 0 : timeout_ms),
                        NULL) != CURLM_OK)
        return BASE_E_NETWORK;
    curl_multi_perform(http->multi, &running);
    collect(http);
    start_due(http);
    curl_multi_perform(http->multi, &running);
    return BASE_OK;
}
