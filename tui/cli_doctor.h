/* `bezala doctor`: the subcommand, and the parts of its report that are
 * pure functions of the checks. */
#ifndef BEZALA_TUI_CLI_DOCTOR_H
#define BEZALA_TUI_CLI_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/doctor.h"

struct tui_cli;
struct tui_context;

/* doctor [--json]: checks the settings file, then runs the checks of
 * core/doctor.h in order (home, store, vault, cacert, server, then the
 * token through a session) and prints one line per check, or the JSON
 * report. Every command in a fix carries tui_cli_doctor_options. Returns
 * tui_cli_doctor_exit of the checks, or 2 for a usage error. */
int tui_cli_doctor(struct tui_cli *cli, int argc, char **argv);

/* The global options a command in a fix needs to reach the same home,
 * server and account as this run, shell-quoted, into out: --demo with
 * --demo; --home when given; --server when not the default; --cacert
 * when one is used; --account when one is. "" when none is needed.
 * Returns false, with out "", when they do not fit or ctx is NULL. */
bool tui_cli_doctor_options(const struct tui_context *ctx, char *out,
                            size_t size);

/* 0 when every check is ok; else the exit code of the first failed
 * check's class; when none failed but one was skipped (the vault stayed
 * locked), that of a locked vault (7). 1 for NULL or n == 0. */
int tui_cli_doctor_exit(const struct core_doctor_check *checks, size_t n);

/* Writes one line per check, "ok", "FAIL" or "skipped", its name and
 * detail, and under a failure a "fix:" line; terminal-safe. */
void tui_cli_doctor_print(FILE *out, const struct core_doctor_check *checks,
                          size_t n);

#endif
