/* `bezala doctor`: the subcommand, and the parts of its report that are
 * pure functions of the checks. */
#ifndef BEZALA_TUI_CLI_DOCTOR_H
#define BEZALA_TUI_CLI_DOCTOR_H

#include <stddef.h>
#include <stdio.h>

#include "core/doctor.h"

struct tui_cli;

/* doctor [--json]: runs the checks of core/doctor.h in order (home,
 * store, vault, cacert, server, then the token through a session) and
 * prints one line per check, or the JSON report. Returns
 * tui_cli_doctor_exit of the checks, or 2 for a usage error. */
int tui_cli_doctor(struct tui_cli *cli, int argc, char **argv);

/* 0 when every check is ok; else the exit code of the first failed
 * check's class; when none failed but one was skipped (the vault stayed
 * locked), that of a locked vault (7). 1 for NULL or n == 0. */
int tui_cli_doctor_exit(const struct core_doctor_check *checks, size_t n);

/* Writes one line per check, "ok", "FAIL" or "skipped", its name and
 * detail, and under a failure a "fix:" line; terminal-safe. */
void tui_cli_doctor_print(FILE *out, const struct core_doctor_check *checks,
                          size_t n);

#endif
