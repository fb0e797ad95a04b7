/* One API call inside bezala-sim: the request as the routes see it, the
 * reply a handler fills in, and helpers to read arguments and set errors. */
#ifndef BEZALA_SIM_CALL_H
#define BEZALA_SIM_CALL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define SIM_CALL_LOCATION_MAX 256
#define SIM_CALL_TYPE_MAX 64

struct sim_data;
struct sim_user;

/* Looks up one query-string argument; NULL when absent. */
typedef const char *(*sim_call_arg_fn)(void *conn, const char *key);

struct sim_request {
    const char *method;
    const char *path;
    const char *authorization; /* the header value, or NULL */
    const char *body;          /* NUL-terminated, may be empty */
    size_t body_len;
    bool loopback; /* the peer is 127.0.0.0/8 or ::1 */
    sim_call_arg_fn arg;
    void *conn;
};

/* A body made up while it is sent, so that a large one costs no memory:
 * "[" and {"id":1} elements, closed with "]" only when valid. */
struct sim_filler {
    size_t bytes; /* 0 means the JSON body below is sent instead */
    bool chunked; /* sent without Content-Length */
    bool valid;
    size_t drop_after; /* above 0: the connection closes after this many */
    int trickle_ms;    /* above 0: one byte at a time, this far apart */
};

struct sim_reply {
    unsigned int status;
    json_t *body;     /* owned; NULL means an empty object */
    char allow[32];   /* sent as Allow with a 405 */
    long retry_after; /* seconds sent as Retry-After when above 0 */
    char location[SIM_CALL_LOCATION_MAX]; /* sent when not empty */
    struct sim_filler fill;
    bool raw; /* body is a JSON string sent as its bare text */
    char content_type[SIM_CALL_TYPE_MAX]; /* "" means application/json */
    long delay_ms; /* sent this much later than the server's latency */
};

struct sim_call {
    struct sim_data *data;
    const struct sim_request *req;
    struct sim_user *user; /* the caller on authenticated routes */
    long long id;          /* the numeric path parameter, if any */
    int variant;           /* the route's variant, e.g. an item kind */
    struct sim_reply *reply;
};

/* Sets the reply to status with body, taking ownership of body. */
void sim_call_reply(struct sim_call *call, unsigned int status, json_t *body);

/* Sets the reply to status with {"error": message}. */
void sim_call_error(struct sim_call *call, unsigned int status,
                    const char *message);

/* The query argument key, or NULL. */
const char *sim_call_arg(const struct sim_call *call, const char *key);

/* Reads a positive integer query argument into *out, or def when it is
 * absent. Returns 0, or -1 (with a 400 reply set) when it is malformed. */
int sim_call_arg_count(struct sim_call *call, const char *key, long def,
                       long *out);

/* A page of a list: rows to pass over, then rows to answer. */
struct sim_call_page {
    long skip;
    long per_page;
};

/* Reads page (default 1) and per_page (default def, clamped to max) into
 * *out; with allow_all, skip_pagination=true asks for every row. Returns
 * 0, or -1 with a 400 reply set for a malformed number. */
int sim_call_page(struct sim_call *call, long def, long max, bool allow_all,
                  struct sim_call_page *out);

/* Called for each matching row in order with the page built so far:
 * 1 when the row belongs on the page, 0 when it is passed over, -1 when
 * the page is full and the walk may stop. */
int sim_call_page_take(struct sim_call_page *page, const json_t *list);

/* Parses the body as a JSON object into *out (caller owns it). Returns 0,
 * or -1 with a 400 reply set. */
int sim_call_body_object(struct sim_call *call, json_t **out);

/* The string member key of obj, or NULL when absent or not a string. */
const char *sim_call_json_str(const json_t *obj, const char *key);

#endif
