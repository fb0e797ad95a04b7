/* Level check before formatting, then redaction, then the sink. */
#include "base/log.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define WATCH_MAX 16
#define LINE_MAX_BYTES 2048

static base_log_sink log_sink;
static void *log_user;
static enum base_log_level log_max = BASE_LOG_WARN;
static const struct base_secret *watched[WATCH_MAX];

void base_log_set_sink(base_log_sink sink, void *user,
                       enum base_log_level max_level)
{
    log_sink = sink;
    log_user = user;
    log_max = max_level;
}

int base_log_enabled(enum base_log_level level)
{
    return log_sink != NULL && level <= log_max;
}

void base_log_watch(const struct base_secret *secret)
{
    size_t i;

    if (!secret)
        return;
    for (i = 0; i < WATCH_MAX; i++) {
        if (watched[i] == secret)
            return;
    }
    for (i = 0; i < WATCH_MAX; i++) {
        if (!watched[i]) {
            watched[i] = secret;
            return;
        }
    }
}

void base_log_forget(const struct base_secret *secret)
{
    size_t i;

    for (i = 0; i < WATCH_MAX; i++) {
        if (watched[i] == secret)
            watched[i] = NULL;
    }
}

static void mask_range(char *line, size_t start, size_t len)
{
    size_t total = strlen(line);

    memmove(line + start + 3, line + start + len, total - start - len + 1);
    memcpy(line + start, "***", 3);
}

static void mask_secret(char *line, const char *secret, size_t len)
{
    char *hit;

    /* Too short to mask without hiding ordinary words. */
    if (len < 4)
        return;
    hit = strstr(line, secret);
    while (hit) {
        mask_range(line, (size_t)(hit - line), len);
        hit = strstr(hit + 3, secret);
    }
}

static int is_token_char(int c)
{
    return isalnum(c) || strchr("-._~+/=", c) != NULL;
}

static void mask_bearer(char *line)
{
    char *hit = strstr(line, "Bearer ");

    while (hit) {
        char *start = hit + 7;
        size_t len = 0;

        while (start[len] && is_token_char((unsigned char)start[len]))
            len++;
        if (len > 3)
            mask_range(line, (size_t)(start - line), len);
        hit = strstr(start, "Bearer ");
    }
}

void base_log_redact(char *line)
{
    size_t i;

    if (!line)
        return;
    for (i = 0; i < WATCH_MAX; i++) {
        if (watched[i])
            mask_secret(line, base_secret_str(watched[i]),
                        base_secret_len(watched[i]));
    }
    mask_bearer(line);
}

void base_log(enum base_log_level level, const char *fmt, ...)
{
    char line[LINE_MAX_BYTES];
    va_list ap;
    size_t i;

    if (!base_log_enabled(level))
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* Control characters from server text must not reach a terminal. */
    for (i = 0; line[i]; i++) {
        if ((unsigned char)line[i] < 0x20)
            line[i] = '?';
    }
    base_log_redact(line);
    log_sink(level, line, log_user);
    base_secret_wipe(line, sizeof(line));
}

static const char *const level_names[] = {"error", "warn", "info", "debug"};

const char *base_log_level_name(enum base_log_level level)
{
    if ((int)level < 0 || level > BASE_LOG_DEBUG)
        return "?";
    return level_names[level];
}

int base_log_level_parse(const char *name)
{
    int i;

    for (i = 0; name && i <= BASE_LOG_DEBUG; i++) {
        if (strcmp(name, level_names[i]) == 0)
            return i;
    }
    return -1;
}
