/* The HTTPS transport of a session: requests run concurrently on one curl
 * multi handle, with the URL, TLS, size, retry and logging policy of
 * SECURITY.md applied to every one of them. */
#ifndef BEZALA_CORE_HTTP_H
#define BEZALA_CORE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/secret.h"
#include "base/status.h"

#define CORE_HTTP_BODY_MAX (8L * 1024 * 1024)
#define CORE_HTTP_DETAIL_MAX 256
#define CORE_HTTP_CONNECTIONS_MAX 6

struct core_http;

enum core_http_method { CORE_HTTP_GET, CORE_HTTP_POST, CORE_HTTP_PUT };

/* What a finished request hands to its callback. status is BASE_OK when an
 * HTTP answer arrived (whatever its code), otherwise the transport failure
 * (BASE_E_NETWORK, BASE_E_TLS, BASE_E_TOO_LARGE, BASE_E_REDIRECT...) with
 * detail saying why. body is borrowed for the callback only and wiped
 * afterwards. */
struct core_http_result {
    enum base_status status;
    long http_status;
    const char *body;
    size_t len;
    int tries;
    long retry_after_s; /* the answer's Retry-After in seconds, 0 none */
    bool throttled;     /* a 429 was met on the way (then waited out) */
    char detail[CORE_HTTP_DETAIL_MAX];
};

typedef void (*core_http_done)(const struct core_http_result *result,
                               void *user);

/* Initialises libcurl once for the process, with allocation functions
 * that wipe memory before freeing it. */
enum base_status core_http_global_init(void)
    __attribute__((warn_unused_result));

/* Checks a server URL without connecting: https only, no user info, a
 * host, no query or fragment. On success *out is the normalised URL
 * without a trailing slash (the caller frees it). BASE_E_USAGE otherwise,
 * with the reason in err. */
enum base_status core_http_check_url(const char *url, char **out, char *err,
                                     size_t err_size)
    __attribute__((warn_unused_result));

/* True when token (len bytes) is an RFC 6750 b64token of 8..4096 bytes. */
bool core_http_token_ok(const char *token, size_t len);

/* A transport for server (already checked). cacert may be NULL; timeouts
 * of 0 take the defaults (10 s connect, 30 s whole). Connections are kept
 * alive and reused, at most CORE_HTTP_CONNECTIONS_MAX to the server at
 * once (requests past that wait for one to be free). */
enum base_status core_http_new(const char *server, const char *cacert,
                               long connect_timeout_ms, long timeout_ms,
                               struct core_http **out)
    __attribute__((warn_unused_result));

/* Cancels everything (no callbacks), frees, sets *http to NULL. */
void core_http_free(struct core_http **http);

/* Sets the bearer token used by authenticated requests (copied); NULL
 * forgets it. BASE_E_AUTH when the token is not a valid b64token. */
enum base_status core_http_set_token(struct core_http *http,
                                     const struct base_secret *token)
    __attribute__((warn_unused_result));

/* Queues a request for path (with its query). body (len bytes, may be
 * NULL) is copied into wiped memory. authed adds the bearer token;
 * sensitive marks auth traffic whose sizes only are logged. *id names it
 * for core_http_cancel. */
enum base_status core_http_start(struct core_http *http,
                                 enum core_http_method method, const char *path,
                                 const void *body, size_t len, bool authed,
                                 core_http_done done, void *user, uint64_t *id)
    __attribute__((warn_unused_result));

/* Removes a request; its callback is not called. */
void core_http_cancel(struct core_http *http, uint64_t id);

/* Runs transfers and retry timers for at most timeout_ms, returning early
 * when extra_fd (or -1) is readable; calls the callbacks of whatever
 * finished. */
enum base_status core_http_wait(struct core_http *http, int extra_fd,
                                int timeout_ms)
    __attribute__((warn_unused_result));

bool core_http_busy(const struct core_http *http);

/* How many 429 answers the transport has met so far, retried or not: a
 * caller that compares it before and after learns at once that the
 * server asks it to slow down. */
unsigned long core_http_throttled(const struct core_http *http);

/* The status an HTTP answer code stands for: BASE_OK for 2xx, BASE_E_AUTH
 * for 401, BASE_E_FORBIDDEN for 403 and 404, BASE_E_SERVER otherwise. */
enum base_status core_http_map_code(long http_status);

#endif
