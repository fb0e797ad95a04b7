/* Words quoted for a POSIX shell, so that a command a message suggests
 * can be pasted and run as it stands. */
#ifndef BEZALA_BASE_SHELL_H
#define BEZALA_BASE_SHELL_H

#include <stdbool.h>
#include <stddef.h>

/* Writes text to out (size bytes) as one shell word: as it is when it
 * holds only letters, digits and @%+=:,./_-, else in single quotes (a
 * quote in it as '\''). false, with out "", for NULL text, an empty out
 * or a word that does not fit. */
bool base_shell_quote(const char *text, char *out, size_t size);

#endif
