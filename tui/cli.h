/* The subcommands for scripts: sign-in and accounts, whoami, companies,
 * switch, one subcommand per view, export, vault and help. */
#ifndef BEZALA_TUI_CLI_H
#define BEZALA_TUI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tui/context.h"

/* Runs the command in ctx->opts->argv[0] with its arguments and returns
 * the process exit code (base_status_exit_code of the outcome, 2 for
 * usage errors). Data goes to stdout, one-line messages to stderr. */
int tui_cli_run(const struct tui_context *ctx);

/* Flushes standard output; when anything written to it was lost (a
 * full disk, a closed pipe), says so and turns a success (code 0) into
 * exit 1. before: the errno of a failed write seen earlier, or 0. */
int tui_cli_check_stdout(int code, int before);

/* Writes the usage of command, or the general usage when command is NULL.
 * Returns false when there is no such command. */
bool tui_cli_usage(FILE *out, const char *command);

/* The name of the index-th subcommand (as help lists them), NULL past
 * the last one. */
const char *tui_cli_command_name(size_t index);

/* Prints "bezala: <message>" and the next step to stderr for status; the
 * detail, when not NULL or empty, is the message. Made safe for a
 * terminal. */
void tui_cli_report(const struct tui_context *ctx, int status,
                    const char *detail);

/* Formats one line (printf-style), makes it safe for a terminal (control,
 * bidi and other invisible characters become '?') and writes it and a
 * newline to out. Every line of human output that may hold text from the
 * server goes through here or through the table. */
void tui_cli_say(FILE *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
