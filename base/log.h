/* Quiet, redacting logging: core/ and db/ log only through the sink that
 * the front end installs; with no sink nothing is formatted or written. */
#ifndef BEZALA_BASE_LOG_H
#define BEZALA_BASE_LOG_H

#include <stddef.h>

#include "base/secret.h"

enum base_log_level {
    BASE_LOG_ERROR,
    BASE_LOG_WARN,
    BASE_LOG_INFO,
    BASE_LOG_DEBUG
};

/* Receives one finished, redacted line without a trailing newline. */
typedef void (*base_log_sink)(enum base_log_level level, const char *line,
                              void *user);

/* Installs the sink and the most detailed level it wants; NULL removes it.
 * The default is no sink at level warn. */
void base_log_set_sink(base_log_sink sink, void *user,
                       enum base_log_level max_level);

/* True when a line at this level would be written. */
int base_log_enabled(enum base_log_level level);

/* Formats and writes one line when the level is enabled. Every line is
 * passed through base_log_redact first. */
void base_log(enum base_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Registers a secret whose exact bytes are masked in every later line,
 * until base_log_forget is called with it. Borrowed, not copied. */
void base_log_watch(const struct base_secret *secret);
void base_log_forget(const struct base_secret *secret);

/* Masks in place, within line, every watched secret and every
 * "Bearer <token>" with "***". */
void base_log_redact(char *line);

/* "error", "warn", "info", "debug"; parse returns -1 for anything else. */
const char *base_log_level_name(enum base_log_level level);
int base_log_level_parse(const char *name);

#endif
