/* No-echo prompts through termios on /dev/tty; the typed bytes live only
 * in a locked buffer that is wiped before return. */
#include "tui/prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#define LINE_MAX_BYTES 1024

static volatile sig_atomic_t restore_fd = -1;
static volatile sig_atomic_t caught_signal;
static struct termios saved_termios;

/* Restores the terminal at once and notes the signal; the read it
 * interrupts (no SA_RESTART) then ends the prompt, so that the caller
 * wipes what was typed and exits in order. */
static void restore_and_note(int sig)
{
    if (restore_fd >= 0)
        tcsetattr(restore_fd, TCSAFLUSH, &saved_termios);
    caught_signal = sig;
}

static void catch_signals(bool on, struct sigaction *old)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = restore_and_note;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < 3; i++) {
        if (on)
            sigaction(sigs[i], &sa, &old[i]);
        else
            sigaction(sigs[i], &old[i], NULL);
    }
}

bool tui_prompt_have_tty(void)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

    if (fd < 0)
        return false;
    close(fd);
    return true;
}

int tui_prompt_signal(void)
{
    return caught_signal;
}

/* Reads bytes up to a newline or the end into buf (size bytes, kept
 * NUL-terminated); *len excludes the newline and a CR before it.
 * BASE_E_IO at the end of input before any byte; BASE_E_CANCELLED when
 * a caught signal interrupted the read. */
static enum base_status read_line(int fd, char *buf, size_t size, size_t *len)
{
    size_t n = 0;
    ssize_t got;
    char c;

    for (;;) {
        if (caught_signal)
            return BASE_E_CANCELLED;
        got = read(fd, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return BASE_E_IO;
        if (got == 0 || c == '\n')
            break;
        if (n + 1 >= size)
            return BASE_E_INVALID;
        buf[n++] = c;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    *len = n;
    return got == 0 && n == 0 ? BASE_E_IO : BASE_OK;
}

static void write_all(int fd, const char *text)
{
    size_t len = strlen(text);
    ssize_t put;

    while (len > 0) {
        put = write(fd, text, len);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return;
        text += put;
        len -= (size_t)put;
    }
}

enum base_status tui_prompt_line(const char *prompt, char **out)
{
    char buf[LINE_MAX_BYTES];
    enum base_status result;
    size_t len = 0;
    char *copy;
    int fd;

    if (!out)
        return BASE_E_INVALID;
    fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return BASE_E_IO;
    write_all(fd, prompt ? prompt : "");
    result = read_line(fd, buf, sizeof(buf), &len);
    close(fd);
    if (result != BASE_OK)
        return result;
    copy = strdup(buf);
    if (!copy)
        return BASE_E_NOMEM;
    *out = copy;
    return BASE_OK;
}

static enum base_status secret_from_fd(int fd, struct base_secret **out)
{
    char buf[TUI_PROMPT_SECRET_MAX + 1] = {0};
    enum base_status result;
    size_t len = 0;
    bool locked = mlock(buf, sizeof(buf)) == 0;

    result = read_line(fd, buf, sizeof(buf), &len);
    if (result == BASE_E_IO && len == 0)
        result = BASE_E_USAGE; /* nothing before the end */
    if (result == BASE_OK && len == 0)
        result = BASE_E_USAGE;
    if (result == BASE_OK)
        result = base_secret_new(buf, len, out);
    base_secret_wipe(buf, sizeof(buf));
    if (locked)
        munlock(buf, sizeof(buf));
    return result;
}

enum base_status tui_prompt_secret_fd(int fd, struct base_secret **out)
{
    if (fd < 0 || !out)
        return BASE_E_INVALID;
    return secret_from_fd(fd, out);
}

/* Reads fd to its end into buf; BASE_E_INVALID when it does not fit. */
static enum base_status read_all(int fd, char *buf, size_t size, size_t *len)
{
    size_t n = 0;
    ssize_t got;

    for (;;) {
        if (n + 1 >= size)
            return BASE_E_INVALID;
        got = read(fd, buf + n, size - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return BASE_E_IO;
        if (got == 0)
            break;
        n += (size_t)got;
    }
    *len = n;
    return BASE_OK;
}

enum base_status tui_prompt_secret_all_fd(int fd, struct base_secret **out)
{
    char buf[TUI_PROMPT_SECRET_MAX + 2] = {0};
    enum base_status result;
    size_t len = 0;
    bool locked;

    if (fd < 0 || !out)
        return BASE_E_INVALID;
    locked = mlock(buf, sizeof(buf)) == 0;
    result = read_all(fd, buf, sizeof(buf), &len);
    if (result == BASE_OK && len > 0 && buf[len - 1] == '\n')
        len--;
    if (result == BASE_OK && len == 0)
        result = BASE_E_USAGE;
    if (result == BASE_OK)
        result = base_secret_new(buf, len, out);
    base_secret_wipe(buf, sizeof(buf));
    if (locked)
        munlock(buf, sizeof(buf));
    return result;
}

enum base_status tui_prompt_secret(const char *prompt, struct base_secret **out)
{
    struct sigaction old[3];
    struct termios quiet;
    enum base_status result;
    int fd;

    if (!out)
        return BASE_E_INVALID;
    fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return BASE_E_IO;
    if (tcgetattr(fd, &saved_termios) != 0) {
        close(fd);
        return BASE_E_IO;
    }
    quiet = saved_termios;
    quiet.c_lflag &= (tcflag_t) ~(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    write_all(fd, prompt ? prompt : "");
    caught_signal = 0;
    catch_signals(true, old);
    restore_fd = fd;
    tcsetattr(fd, TCSAFLUSH, &quiet);
    result = secret_from_fd(fd, out);
    tcsetattr(fd, TCSAFLUSH, &saved_termios);
    restore_fd = -1;
    catch_signals(false, old);
    write_all(fd, "\n");
    close(fd);
    return result;
}
