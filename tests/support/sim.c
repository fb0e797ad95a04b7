/* Starts bezala-sim as a child process for integration tests, reads the
 * port it bound, sends control requests to it and stops it. */
#include "tests/support/sim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#define SIM_BIN BEZALA_BIN_DIR "/bezala-sim"
#define SIM_DATA BEZALA_TEST_ASSETS "/demo"
#define SIM_CERTS BEZALA_TEST_ASSETS "/demo/certs"
#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 5000

extern char **environ;

struct support_sim {
    pid_t pid;
    char url[64];
};

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads one line from fd into buf within the deadline; 0 on success. */
static int read_line(int fd, char *buf, size_t size, long long deadline)
{
    size_t len = 0;

    while (len + 1 < size) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        long long left = deadline - now_ms();
        ssize_t got;

        if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
            return -1;
        }
        got = read(fd, buf + len, 1);
        if (got <= 0) {
            return -1;
        }
        if (buf[len] == '\n') {
            buf[len] = '\0';
            return 0;
        }
        len++;
    }
    return -1;
}

/* The child gets default SIGTERM and SIGINT handling and an empty mask
 * whatever the test process did with them, so that it can be stopped. */
static int spawn_sim(int latency_ms, int out_fd, pid_t *pid)
{
    char latency[16];
    char *argv[] = {SIM_BIN,
                    "--port",
                    "0",
                    "--data",
                    SIM_DATA,
                    "--cert",
                    SIM_CERTS "/server.pem",
                    "--key",
                    SIM_CERTS "/server-key.pem",
                    "--latency-ms",
                    latency,
                    getenv("BEZALA_SIM_LOG") ? NULL : "--quiet",
                    NULL};
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t set;
    int rc;

    snprintf(latency, sizeof(latency), "%d", latency_ms);
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    posix_spawnattr_init(&attr);
    sigemptyset(&set);
    posix_spawnattr_setsigmask(&attr, &set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &set);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(pid, SIM_BIN, &actions, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? 0 : -1;
}

static int parse_ready(const char *line, char *url, size_t size)
{
    static const char prefix[] = "listening on https://127.0.0.1:";
    unsigned int port = 0;
    char extra;

    if (strncmp(line, prefix, sizeof(prefix) - 1) != 0 ||
        sscanf(line + sizeof(prefix) - 1, "%u%c", &port, &extra) != 1 ||
        port == 0 || port > 65535) {
        return -1;
    }
    snprintf(url, size, "https://127.0.0.1:%u", port);
    return 0;
}

int support_sim_start(int latency_ms, struct support_sim **out)
{
    struct support_sim *sim = NULL;
    char line[128];
    int fds[2] = {-1, -1};
    int result = -1;

    if (out == NULL || latency_ms < 0 || pipe2(fds, O_CLOEXEC) != 0) {
        return -1;
    }
    sim = calloc(1, sizeof(*sim));
    if (sim == NULL || spawn_sim(latency_ms, fds[1], &sim->pid) != 0) {
        goto out;
    }
    close(fds[1]);
    fds[1] = -1;
    if (read_line(fds[0], line, sizeof(line), now_ms() + START_TIMEOUT_MS) !=
            0 ||
        parse_ready(line, sim->url, sizeof(sim->url)) != 0) {
        fprintf(stderr, "support_sim: bezala-sim did not start\n");
        goto out;
    }
    *out = sim;
    sim = NULL;
    result = 0;
out:
    if (fds[1] >= 0) {
        close(fds[1]);
    }
    close(fds[0]);
    support_sim_stop(&sim);
    return result;
}

const char *support_sim_url(const struct support_sim *sim)
{
    return sim != NULL ? sim->url : NULL;
}

const char *support_sim_cacert(const struct support_sim *sim)
{
    return sim != NULL ? SIM_CERTS "/ca.pem" : NULL;
}

static size_t discard(char *data, size_t size, size_t n, void *user)
{
    return size * n;
}

long support_sim_control(struct support_sim *sim, const char *path,
                         const char *json)
{
    CURL *curl = NULL;
    struct curl_slist *headers = NULL;
    char url[256];
    long status = -1;

    if (sim == NULL || path == NULL || json == NULL || path[0] != '/') {
        return -1;
    }
    snprintf(url, sizeof(url), "%s%s", sim->url, path);
    curl = curl_easy_init();
    headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (curl == NULL || headers == NULL) {
        goto out;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_CAINFO, support_sim_cacert(sim));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(curl) == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    }
out:
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return status;
}

/* Waits for the child until the deadline; 0 once it has been reaped. */
static int wait_child(pid_t pid, long long deadline)
{
    const struct timespec tick = {.tv_sec = 0, .tv_nsec = 10000000L};

    while (now_ms() < deadline) {
        pid_t got = waitpid(pid, NULL, WNOHANG);

        if (got == pid || (got < 0 && errno != EINTR)) {
            return 0;
        }
        nanosleep(&tick, NULL);
    }
    return -1;
}

void support_sim_stop(struct support_sim **sim)
{
    if (sim == NULL || *sim == NULL) {
        return;
    }
    if ((*sim)->pid > 0) {
        kill((*sim)->pid, SIGTERM);
        if (wait_child((*sim)->pid, now_ms() + STOP_TIMEOUT_MS) != 0) {
            kill((*sim)->pid, SIGKILL);
            waitpid((*sim)->pid, NULL, 0);
        }
    }
    free(*sim);
    *sim = NULL;
}
