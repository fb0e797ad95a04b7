/* Prompts on the controlling terminal for the subcommands: an email with
 * echo, a password without echo, or a secret from a descriptor. */
#ifndef BEZALA_TUI_PROMPT_H
#define BEZALA_TUI_PROMPT_H

#include <stdbool.h>

#include "base/secret.h"
#include "base/status.h"

/* Longest secret accepted, in bytes. */
#define TUI_PROMPT_SECRET_MAX 1023

/* True when /dev/tty can be opened for reading and writing. */
bool tui_prompt_have_tty(void);

/* Writes prompt to /dev/tty and reads one line with echo into a new
 * string the caller frees. BASE_E_IO without a terminal or at end of
 * input; BASE_E_NOMEM. */
enum base_status tui_prompt_line(const char *prompt, char **out)
    __attribute__((warn_unused_result));

/* Writes prompt to /dev/tty and reads one line with echo off, byte by
 * byte into wiped memory, into a new secret. When SIGINT, SIGTERM or
 * SIGHUP arrives meanwhile the terminal is restored and BASE_E_CANCELLED
 * returned (tui_prompt_signal says which). BASE_E_IO without a terminal
 * or on a read error; BASE_E_USAGE when nothing was typed (an empty line
 * or the end of input, Ctrl-D); BASE_E_INVALID when longer than
 * TUI_PROMPT_SECRET_MAX. */
enum base_status tui_prompt_secret(const char *prompt, struct base_secret **out)
    __attribute__((warn_unused_result));

/* Reads fd up to a newline or the end, byte by byte, into a new secret
 * (the newline and a CR before it dropped). BASE_E_IO on a read error,
 * BASE_E_USAGE when empty (nothing, or an empty first line),
 * BASE_E_INVALID when too long. */
enum base_status tui_prompt_secret_fd(int fd, struct base_secret **out)
    __attribute__((warn_unused_result));

/* Reads fd to its end, byte by byte into locked memory, into a new
 * secret with one trailing newline dropped (a passphrase may hold other
 * newlines). BASE_E_IO when fd cannot be read (not open, a read error);
 * BASE_E_USAGE when nothing is left; BASE_E_INVALID when longer than
 * TUI_PROMPT_SECRET_MAX. */
enum base_status tui_prompt_secret_all_fd(int fd, struct base_secret **out)
    __attribute__((warn_unused_result));

/* The signal that ended the last tui_prompt_secret, 0 for none. */
int tui_prompt_signal(void);

#endif
