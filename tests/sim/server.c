/* Glue between libmicrohttpd and the bezala-sim routes: TLS setup, body
 * collection with a size cap, the data lock, latency, streamed generated
 * bodies and the request log. */
#include "tests/sim/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "tests/sim/call.h"
#include "tests/sim/routes.h"

#define PEM_MAX (256 * 1024)

struct sim_server {
    struct MHD_Daemon *daemon;
    struct sim_data *data;
    pthread_mutex_t lock;
    int latency_ms;
    bool quiet;
    char *cert_pem;
    char *key_pem;
};

/* One request's body as it arrives; dropped past the cap. */
struct upload {
    char *bytes;
    size_t len;
    bool too_large;
};

static char *read_pem(const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len;

    if (f == NULL) {
        snprintf(err, err_len, "cannot open %s", path);
        return NULL;
    }
    text = calloc(1, PEM_MAX + 1);
    if (text == NULL) {
        snprintf(err, err_len, "out of memory");
        goto out;
    }
    len = fread(text, 1, PEM_MAX + 1, f);
    if (len == 0 || len > PEM_MAX) {
        snprintf(err, err_len, "%s is empty or too large", path);
        free(text);
        text = NULL;
    }
out:
    fclose(f);
    return text;
}

static void wipe_free(char *text)
{
    if (text != NULL) {
        explicit_bzero(text, strlen(text));
        free(text);
    }
}

static void collect(struct upload *up, const char *bytes, size_t len)
{
    char *grown;

    if (up->too_large || up->len + len > SIM_SERVER_MAX_BODY) {
        up->too_large = true;
        return;
    }
    grown = realloc(up->bytes, up->len + len + 1);
    if (grown == NULL) {
        up->too_large = true;
        return;
    }
    memcpy(grown + up->len, bytes, len);
    up->bytes = grown;
    up->len += len;
    up->bytes[up->len] = '\0';
}

static bool peer_is_loopback(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;

    if (sa != NULL && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa != NULL && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    return false;
}

static const char *lookup_arg(void *conn, const char *key)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000,
                          .tv_nsec = (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* One line per request; control characters in the path are masked so a
 * crafted path cannot forge log lines. Headers and bodies never appear. */
static void log_request(const char *method, const char *path,
                        unsigned int status)
{
    char safe[256];
    size_t i;

    for (i = 0; path[i] != '\0' && i < sizeof(safe) - 1; i++) {
        unsigned char c = (unsigned char)path[i];

        safe[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    safe[i] = '\0';
    fprintf(stderr, "bezala-sim: %s %s %u\n", method, safe, status);
}

/* Byte pos of a generated body: "[" then {"id":1}, repeated; a valid one
 * stops after the last whole element, pads with spaces and ends in "]". */
static char fill_byte(const struct sim_filler *fill, size_t pos)
{
    static const char unit[] = "{\"id\":1},";
    const size_t unit_len = sizeof(unit) - 1;
    size_t elements = (fill->bytes - 1) / unit_len;

    if (pos == 0) {
        return '[';
    }
    if (!fill->valid) {
        return unit[(pos - 1) % unit_len];
    }
    if (pos == fill->bytes - 1) {
        return ']';
    }
    return pos < elements * unit_len ? unit[(pos - 1) % unit_len] : ' ';
}

static ssize_t fill_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    const struct sim_filler *fill = cls;
    size_t i;

    if (pos >= fill->bytes) {
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (fill->drop_after > 0 && pos >= fill->drop_after) {
        /* Closes the connection mid-body, as a crashed server would. */
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    if (fill->trickle_ms > 0) {
        if (pos > 0) {
            sleep_ms(fill->trickle_ms);
        }
        max = 1;
    }
    if (fill->drop_after > 0 && max > fill->drop_after - pos) {
        max = fill->drop_after - (size_t)pos;
    }
    for (i = 0; i < max && pos + i < fill->bytes; i++) {
        buf[i] = fill_byte(fill, (size_t)pos + i);
    }
    return (ssize_t)i;
}

/* A generated body is streamed in blocks, never held whole. */
static struct MHD_Response *fill_response(const struct sim_filler *fill)
{
    struct sim_filler *copy = malloc(sizeof(*copy));
    struct MHD_Response *response;

    if (copy == NULL) {
        return NULL;
    }
    *copy = *fill;
    response = MHD_create_response_from_callback(
        fill->chunked ? MHD_SIZE_UNKNOWN : (uint64_t)fill->bytes, 64 * 1024,
        fill_read, copy, free);
    if (response == NULL) {
        free(copy);
    }
    return response;
}

static struct MHD_Response *json_response(const struct sim_reply *reply)
{
    char *text = NULL;

    if (reply->raw && json_is_string(reply->body)) {
        text = strdup(json_string_value(reply->body));
    } else {
        text =
            reply->body ? json_dumps(reply->body, JSON_COMPACT) : strdup("{}");
    }
    struct MHD_Response *response;

    if (text == NULL) {
        return NULL;
    }
    response = MHD_create_response_from_buffer(strlen(text), text,
                                               MHD_RESPMEM_MUST_FREE);
    if (response == NULL) {
        free(text);
    }
    return response;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn,
                                  const struct sim_reply *reply)
{
    struct MHD_Response *response = reply->fill.bytes > 0
                                        ? fill_response(&reply->fill)
                                        : json_response(reply);
    char retry[24];
    enum MHD_Result result;

    if (response == NULL) {
        return MHD_NO;
    }
    MHD_add_response_header(response, "Content-Type",
                            reply->content_type[0] != '\0'
                                ? reply->content_type
                                : "application/json");
    MHD_add_response_header(response, "Cache-Control", "no-store");
    if (reply->status == 405) {
        MHD_add_response_header(response, "Allow", reply->allow);
    }
    if (reply->status == 401) {
        MHD_add_response_header(response, "WWW-Authenticate", "Bearer");
    }
    if (reply->retry_after > 0) {
        snprintf(retry, sizeof(retry), "%ld", reply->retry_after);
        MHD_add_response_header(response, "Retry-After", retry);
    }
    if (reply->location[0] != '\0') {
        MHD_add_response_header(response, "Location", reply->location);
    }
    result = MHD_queue_response(conn, reply->status, response);
    MHD_destroy_response(response);
    return result;
}

/* The /api/ requests being answered at once (the latency included), and
 * the most seen, for /sim/stats. Called under the data lock. */
static void count_in_flight(struct sim_data *data, bool api, long step)
{
    if (!api) {
        return;
    }
    data->in_flight += step;
    if (data->in_flight > data->max_concurrent) {
        data->max_concurrent = data->in_flight;
    }
}

static enum MHD_Result answer(struct sim_server *server,
                              struct MHD_Connection *conn, const char *path,
                              const char *method, struct upload *up)
{
    struct sim_request req = {
        .method = method,
        .path = path,
        .authorization = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
        .body = up->bytes ? up->bytes : "",
        .body_len = up->len,
        .loopback = peer_is_loopback(conn),
        .arg = lookup_arg,
        .conn = conn};
    struct sim_reply reply = {.status = 500};
    bool api = strncmp(path, "/api/", 5) == 0;
    enum MHD_Result result;

    if (up->too_large) {
        reply.status = 413;
        reply.body = json_pack("{s:s}", "error", "Request body too large.");
    } else {
        pthread_mutex_lock(&server->lock);
        count_in_flight(server->data, api, 1);
        sim_routes_dispatch(server->data, &req, &reply);
        pthread_mutex_unlock(&server->lock);
    }
    if (server->latency_ms > 0 || reply.delay_ms > 0) {
        sleep_ms(server->latency_ms + (int)reply.delay_ms);
    }
    if (!up->too_large) {
        pthread_mutex_lock(&server->lock);
        count_in_flight(server->data, api, -1);
        pthread_mutex_unlock(&server->lock);
    }
    result = send_reply(conn, &reply);
    if (!server->quiet) {
        log_request(method, path, reply.status);
    }
    json_decref(reply.body);
    return result;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct upload *up = *con_cls;

    if (up == NULL) {
        up = calloc(1, sizeof(*up));
        *con_cls = up;
        return up != NULL ? MHD_YES : MHD_NO;
    }
    if (*upload_data_size != 0) {
        collect(up, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(cls, conn, url, method, up);
}

/* Bodies may hold passwords, so they are wiped before being freed. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    struct upload *up = *con_cls;

    if (up == NULL) {
        return;
    }
    if (up->bytes != NULL) {
        explicit_bzero(up->bytes, up->len);
        free(up->bytes);
    }
    free(up);
    *con_cls = NULL;
}

/* Counts the connections accepted, so that a test sees whether the
 * client keeps them alive. */
static void on_connection(void *cls, struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct sim_server *server = cls;

    if (code != MHD_CONNECTION_NOTIFY_STARTED) {
        return;
    }
    pthread_mutex_lock(&server->lock);
    server->data->connections++;
    pthread_mutex_unlock(&server->lock);
}

static struct MHD_Daemon *start_daemon(struct sim_server *server, int port)
{
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    unsigned int flags = MHD_USE_TLS | MHD_USE_POLL_INTERNAL_THREAD |
                         MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;

    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, server, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_HTTPS_MEM_KEY, server->key_pem,
        MHD_OPTION_HTTPS_MEM_CERT, server->cert_pem,
        MHD_OPTION_HTTPS_PRIORITIES,
        "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, server, MHD_OPTION_END);
}

int sim_server_start(const struct sim_options *options, struct sim_data *data,
                     struct sim_server **out, char *err, size_t err_len)
{
    struct sim_server *server = calloc(1, sizeof(*server));

    if (server == NULL) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    pthread_mutex_init(&server->lock, NULL);
    server->data = data;
    server->latency_ms = options->latency_ms;
    server->quiet = options->quiet;
    server->cert_pem = read_pem(options->cert, err, err_len);
    server->key_pem =
        server->cert_pem ? read_pem(options->key, err, err_len) : NULL;
    if (server->key_pem != NULL) {
        server->daemon = start_daemon(server, options->port);
        if (server->daemon == NULL) {
            snprintf(err, err_len,
                     "cannot listen on 127.0.0.1:%d with "
                     "that certificate and key",
                     options->port);
        }
    }
    if (server->daemon == NULL) {
        sim_server_stop(&server);
        return -1;
    }
    *out = server;
    return 0;
}

unsigned int sim_server_port(const struct sim_server *server)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);

    return info != NULL ? info->port : 0;
}

void sim_server_stop(struct sim_server **server)
{
    if (server == NULL || *server == NULL) {
        return;
    }
    if ((*server)->daemon != NULL) {
        MHD_stop_daemon((*server)->daemon);
    }
    wipe_free((*server)->key_pem);
    free((*server)->cert_pem);
    pthread_mutex_destroy(&(*server)->lock);
    free(*server);
    *server = NULL;
}
