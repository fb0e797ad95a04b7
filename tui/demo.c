/* Runs bezala-sim for --demo: fork and exec without a shell, a pipe for
 * its listening line, and a kill on exit or on a fatal signal. */
#include "tui/demo.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_TIMEOUT_MS 10000
#define ACCOUNTS_MAX 32
#define LISTEN_PREFIX "listening on "
#define HOME_PREFIX "bezala-demo-"
/* In a demo home that bezala made: the pid of the process that owns it,
 * so that a later --demo can remove the home of one that was killed. */
#define OWNER_FILE "owner.pid"

struct tui_demo {
    pid_t pid;
    int out_fd; /* the read end of the sim's standard output */
    char url[128];
    char *assets; /* the assets directory, with demo/ inside */
    char *cacert;
    char *home;
    int own_home; /* made here, removed at free */
    struct tui_demo_account accounts[ACCOUNTS_MAX];
    size_t account_count;
};

static volatile pid_t sim_pid = -1;

static void kill_and_reraise(int sig)
{
    if (sim_pid > 0)
        kill(sim_pid, SIGTERM);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_fatal_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = kill_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, NULL);
}

static char *path_join(const char *a, const char *b)
{
    size_t len = strlen(a) + strlen(b) + 2;
    char *path = malloc(len);

    if (path)
        snprintf(path, len, "%s/%s", a, b);
    return path;
}

static int file_exists(const char *dir, const char *name)
{
    char *path = path_join(dir, name);
    int exists = path && access(path, R_OK) == 0;

    free(path);
    return exists;
}

/* The directory of /proc/self/exe into buf. */
static int exe_dir(char *buf, size_t size)
{
    ssize_t len = readlink("/proc/self/exe", buf, size - 1);
    char *slash;

    if (len <= 0)
        return -1;
    buf[len] = '\0';
    slash = strrchr(buf, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return 0;
}

static char *find_assets(const char *bin_dir)
{
    const char *candidates[3];
    char *installed = path_join(bin_dir, "../share/bezala");
    char *found = NULL;
    size_t i;

    candidates[0] = installed;
    candidates[1] = BEZALA_ASSETS_INSTALL;
    candidates[2] = BEZALA_ASSETS_SOURCE;
    for (i = 0; i < 3 && !found; i++) {
        if (candidates[i] && file_exists(candidates[i], "demo/accounts.tsv"))
            found = strdup(candidates[i]);
    }
    free(installed);
    return found;
}

static enum base_status add_account(struct tui_demo *demo, char *line)
{
    char *password = strchr(line, '\t');
    char *description = password ? strchr(password + 1, '\t') : NULL;
    struct tui_demo_account *account;
    enum base_status result;

    if (!description || demo->account_count >= ACCOUNTS_MAX)
        return BASE_OK;
    *password++ = '\0';
    *description++ = '\0';
    description[strcspn(description, "\r\n")] = '\0';
    account = &demo->accounts[demo->account_count];
    result = base_secret_new(password, strlen(password), &account->password);
    base_secret_wipe(password, strlen(password));
    if (result != BASE_OK)
        return result;
    account->email = strdup(line);
    account->description = strdup(description);
    demo->account_count++;
    if (!account->email || !account->description)
        return BASE_E_NOMEM;
    return BASE_OK;
}

static enum base_status load_accounts(struct tui_demo *demo)
{
    enum base_status result = BASE_OK;
    char line[1024];
    char *path = path_join(demo->assets, "demo/accounts.tsv");
    FILE *file = path ? fopen(path, "re") : NULL;

    free(path);
    if (!file)
        return BASE_E_IO;
    while (result == BASE_OK && fgets(line, sizeof(line), file)) {
        if (line[0] != '#' && line[0] != '\n')
            result = add_account(demo, line);
    }
    base_secret_wipe(line, sizeof(line));
    fclose(file);
    return result;
}

static void exec_sim(const char *sim, const char *assets, int out_fd)
{
    char data[PATH_MAX];
    char cert[PATH_MAX];
    char key[PATH_MAX];
    int null_fd = open("/dev/null", O_RDWR);

    prctl(PR_SET_PDEATHSIG, SIGTERM);
    snprintf(data, sizeof(data), "%s/demo", assets);
    snprintf(cert, sizeof(cert), "%s/demo/certs/server.pem", assets);
    snprintf(key, sizeof(key), "%s/demo/certs/server-key.pem", assets);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDERR_FILENO);
    }
    dup2(out_fd, STDOUT_FILENO);
    execl(sim, sim, "--port", "0", "--data", data, "--cert", cert, "--key", key,
          (char *)NULL);
    _exit(127);
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 +
           (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Reads the sim's first line from fd, bounded in time and size. */
static enum base_status read_listening(int fd, char *line, size_t size)
{
    struct timespec start;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    size_t used = 0;
    ssize_t got;
    long left;

    clock_gettime(CLOCK_MONOTONIC, &start);
    while (used + 1 < size) {
        left = START_TIMEOUT_MS - elapsed_ms(&start);
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return BASE_E_IO;
        got = read(fd, line + used, 1);
        if (got <= 0)
            return BASE_E_IO;
        if (line[used] == '\n')
            break;
        used++;
    }
    line[used] = '\0';
    return BASE_OK;
}

static enum base_status start_sim(struct tui_demo *demo, const char *sim,
                                  char *err, size_t err_size)
{
    char line[256];
    const char *url;
    int fds[2];

    if (pipe2(fds, O_CLOEXEC) != 0)
        return BASE_E_IO;
    demo->pid = fork();
    if (demo->pid == 0) {
        close(fds[0]);
        exec_sim(sim, demo->assets, fds[1]);
    }
    close(fds[1]);
    if (demo->pid < 0) {
        close(fds[0]);
        snprintf(err, err_size, "cannot start %s: %s", sim, strerror(errno));
        return BASE_E_IO;
    }
    sim_pid = demo->pid;
    catch_fatal_signals();
    if (read_listening(fds[0], line, sizeof(line)) != BASE_OK ||
        !(url = strstr(line, LISTEN_PREFIX "https://127.0.0.1:"))) {
        close(fds[0]);
        snprintf(err, err_size, "%s did not report a listening port", sim);
        return BASE_E_IO;
    }
    /* The read end stays open so that later output cannot kill the sim
     * with SIGPIPE; it is closed with the demo. */
    demo->out_fd = fds[0];
    snprintf(demo->url, sizeof(demo->url), "%s", url + strlen(LISTEN_PREFIX));
    demo->url[strcspn(demo->url, " \r\n")] = '\0';
    return BASE_OK;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* The pid in dir's owner file, opened without following a link; 0 when
 * there is no such file or it holds no pid. */
static pid_t owner_of(int dir_fd)
{
    char text[32];
    ssize_t got;
    long pid;
    char *end = NULL;
    int fd = openat(dir_fd, OWNER_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0)
        return 0;
    got = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (got <= 0)
        return 0;
    text[got] = '\0';
    pid = strtol(text, &end, 10);
    if (pid <= 0 || pid > INT_MAX || (*end != '\n' && *end != '\0'))
        return 0;
    return (pid_t)pid;
}

/* Whether base/name is a demo home of this user (a real directory, not
 * a link, owned by us, with an owner file) whose owner has died. */
static bool is_stale_home(int base_fd, const char *name)
{
    struct stat st;
    pid_t owner;
    int fd;

    if (strncmp(name, HOME_PREFIX, strlen(HOME_PREFIX)) != 0)
        return false;
    if (fstatat(base_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISDIR(st.st_mode) || st.st_uid != getuid())
        return false;
    fd = openat(base_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    owner = owner_of(fd);
    close(fd);
    return owner > 0 && owner != getpid() && kill(owner, 0) != 0 &&
           errno == ESRCH;
}

/* Removes the demo homes under base that a killed bezala left behind. */
static void remove_stale_homes(const char *base)
{
    DIR *dir = opendir(base);
    struct dirent *entry;
    char *path;

    if (!dir)
        return;
    while ((entry = readdir(dir)) != NULL) {
        if (!is_stale_home(dirfd(dir), entry->d_name))
            continue;
        path = path_join(base, entry->d_name);
        /* FTW_PHYS: links inside are removed, never followed. */
        if (path)
            nftw(path, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
        free(path);
    }
    closedir(dir);
}

static enum base_status write_owner(const char *home)
{
    char *path = path_join(home, OWNER_FILE);
    char text[32];
    int len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
    int fd =
        path ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0600)
             : -1;
    bool ok = fd >= 0 && write(fd, text, (size_t)len) == len;

    if (fd >= 0)
        close(fd);
    free(path);
    return ok ? BASE_OK : BASE_E_IO;
}

static enum base_status make_home(struct tui_demo *demo, const char *home)
{
    const char *base = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    char *tmpl;

    if (home) {
        demo->home = strdup(home);
        return demo->home ? BASE_OK : BASE_E_NOMEM;
    }
    if (!base || base[0] != '/' || stat(base, &st) != 0 || !S_ISDIR(st.st_mode))
        base = "/tmp";
    remove_stale_homes(base);
    tmpl = path_join(base, HOME_PREFIX "XXXXXX");
    if (!tmpl)
        return BASE_E_NOMEM;
    if (!mkdtemp(tmpl)) {
        free(tmpl);
        return BASE_E_IO;
    }
    demo->home = tmpl;
    demo->own_home = 1;
    return write_owner(tmpl);
}

static enum base_status locate(struct tui_demo *demo, char *sim,
                               size_t sim_size, char *err, size_t err_size)
{
    char dir[PATH_MAX - 32];

    if (exe_dir(dir, sizeof(dir)) != 0) {
        snprintf(err, err_size,
                 "cannot find the bezala executable's "
                 "directory");
        return BASE_E_IO;
    }
    snprintf(sim, sim_size, "%s/bezala-sim", dir);
    if (access(sim, X_OK) != 0) {
        snprintf(err, err_size,
                 "demo server %s not found: build or install "
                 "bezala-sim",
                 sim);
        return BASE_E_IO;
    }
    demo->assets = find_assets(dir);
    if (!demo->assets) {
        snprintf(err, err_size,
                 "demo assets not found (looked next to %s "
                 "and in %s)",
                 dir, BEZALA_ASSETS_SOURCE);
        return BASE_E_IO;
    }
    demo->cacert = path_join(demo->assets, "demo/certs/ca.pem");
    return demo->cacert ? BASE_OK : BASE_E_NOMEM;
}

enum base_status tui_demo_start(const char *home, struct tui_demo **out,
                                char *err, size_t err_size)
{
    struct tui_demo *demo;
    enum base_status result;
    char sim[PATH_MAX];

    if (!out || !err || err_size == 0)
        return BASE_E_INVALID;
    err[0] = '\0';
    demo = calloc(1, sizeof(*demo));
    if (!demo)
        return BASE_E_NOMEM;
    demo->pid = -1;
    demo->out_fd = -1;
    result = locate(demo, sim, sizeof(sim), err, err_size);
    if (result == BASE_OK) {
        result = load_accounts(demo);
        if (result != BASE_OK && !err[0])
            snprintf(err, err_size, "cannot read the demo accounts in %s",
                     demo->assets);
    }
    if (result == BASE_OK) {
        result = make_home(demo, home);
        if (result != BASE_OK && !err[0])
            snprintf(err, err_size, "cannot make a demo home directory");
    }
    if (result == BASE_OK)
        result = start_sim(demo, sim, err, err_size);
    if (result != BASE_OK) {
        tui_demo_free(&demo);
        return result;
    }
    *out = demo;
    return BASE_OK;
}

static void stop_sim(struct tui_demo *demo)
{
    int waited;

    if (demo->pid <= 0)
        return;
    kill(demo->pid, SIGTERM);
    for (waited = 0; waited < 100; waited++) {
        if (waitpid(demo->pid, NULL, WNOHANG) == demo->pid)
            break;
        usleep(10000);
    }
    if (waited == 100) {
        kill(demo->pid, SIGKILL);
        waitpid(demo->pid, NULL, 0);
    }
    sim_pid = -1;
    demo->pid = -1;
}

void tui_demo_free(struct tui_demo **demo)
{
    struct tui_demo *d;
    size_t i;

    if (!demo || !*demo)
        return;
    d = *demo;
    stop_sim(d);
    if (d->out_fd >= 0)
        close(d->out_fd);
    if (d->own_home && d->home)
        nftw(d->home, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    for (i = 0; i < d->account_count; i++) {
        free(d->accounts[i].email);
        free(d->accounts[i].description);
        base_secret_free(&d->accounts[i].password);
    }
    free(d->assets);
    free(d->cacert);
    free(d->home);
    free(d);
    *demo = NULL;
}

const char *tui_demo_url(const struct tui_demo *demo)
{
    return demo ? demo->url : NULL;
}

const char *tui_demo_cacert(const struct tui_demo *demo)
{
    return demo ? demo->cacert : NULL;
}

const char *tui_demo_home(const struct tui_demo *demo)
{
    return demo ? demo->home : NULL;
}

const struct tui_demo_account *tui_demo_accounts(const struct tui_demo *demo,
                                                 size_t *count)
{
    if (count)
        *count = demo ? demo->account_count : 0;
    return demo ? demo->accounts : NULL;
}
