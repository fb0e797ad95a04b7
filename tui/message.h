/* One-line messages for the UI composed from a lead, a status and the
 * detail core gives, without saying the same thing twice. */
#ifndef BEZALA_TUI_MESSAGE_H
#define BEZALA_TUI_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

/* Writes into out (size bytes, always NUL-terminated when size > 0) the
 * cause of a failure in one phrase: the detail when it already begins
 * with the status's message, "<status message>: <detail>" when it does
 * not, the status's message alone when detail is NULL or empty; without
 * trailing spaces or full stops. Does nothing when out is NULL or size
 * is 0. */
void tui_message_cause(char *out, size_t size, enum base_status status,
                       const char *detail);

/* Writes into out (size bytes, always NUL-terminated when size > 0)
 * "<lead>: <cause>." with the cause as tui_message_cause writes it.
 * Without a lead, the cause stands alone with its first letter in upper
 * case. Trailing spaces and full stops are dropped before the one final
 * full stop, so the result never ends in "..". Does nothing when out is
 * NULL or size is 0. */
void tui_message_compose(char *out, size_t size, const char *lead,
                         enum base_status status, const char *detail);

/* Writes into out (size bytes, always NUL-terminated when size > 0)
 * "<lead>. The server said: <text> (HTTP <code>)." from a core detail
 * "HTTP <code>: <text>"; "<lead>. The server said: <detail>." for a detail
 * of another form, "<lead>." without one. The server's own final full
 * stop is not doubled. Does nothing when out is NULL or size is 0. */
void tui_message_server(char *out, size_t size, const char *lead,
                        const char *detail);

/* Writes into out (size bytes, always NUL-terminated when size > 0) what
 * keeping a filter says about its n matches: "No row matches: …" and
 * "1 row matches: …" without the n / N hint, "<n> rows match: n and N
 * step through them, …". While loading (rows still arrive, so a count
 * would soon be wrong) no count: the title keeps it current. Does
 * nothing when out is NULL or size is 0. */
void tui_message_matches(char *out, size_t size, size_t n, bool loading);

#endif
