/* Case folding of UTF-8 text for matching what a user types against
 * names the server sent, independent of the process locale. */
#ifndef BEZALA_CORE_TEXT_H
#define BEZALA_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the lower-case form of in to out (always NUL-terminated when
 * size > 0): ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals
 * are folded; other characters and invalid bytes are copied as they are.
 * Returns false when out was too small (the result is then cut). */
bool core_text_fold(const char *in, char *out, size_t size);

/* Case-insensitive equality and containment by core_text_fold. */
bool core_text_equal_fold(const char *a, const char *b);
bool core_text_contains_fold(const char *haystack, const char *needle);

/* Like core_text_fold, and also writes Latin letters with diacritics
 * (Latin-1 Supplement and Latin Extended-A) as their base letters
 * ("\u00e4" -> "a", "\u00df" -> "ss", "\u00e6" -> "ae") and drops the
 * combining marks U+0300..U+036F, so that "Linn\u00e9a", "Linne\u0301a"
 * and "LINNEA" all read "linnea". Other characters and invalid bytes are
 * copied as they are. Always NUL-terminated when size > 0; returns false
 * when out was too small (the result is then cut at a character). */
bool core_text_fold_plain(const char *in, char *out, size_t size);

/* Containment by core_text_fold_plain; false when either is NULL. */
bool core_text_contains_plain(const char *haystack, const char *needle);

/* The canonical form of an email address as the client stores and looks
 * it up: surrounding white space removed, ASCII letters lower-cased (the
 * rest is left alone). A new string the caller frees; NULL for NULL or
 * when memory runs out. */
char *core_text_email(const char *email);

#endif
