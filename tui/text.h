/* Text layout by display width: fitting UTF-8 strings into terminal
 * columns, with wide characters, combining marks and bad bytes handled. */
#ifndef BEZALA_TUI_TEXT_H
#define BEZALA_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The number of terminal columns s takes once made safe: wide characters
 * count 2, combining marks 0, and every invalid byte, control character,
 * unprintable character or invisible format character (bidi controls such
 * as U+202E, zero-width spaces, U+FEFF) 1 (it is shown as '?'). NULL is
 * 0. */
int tui_text_width(const char *s);

/* Writes into out (size bytes, always NUL-terminated when size > 0) the
 * longest safe prefix of s that fits in cols columns. When s does not fit
 * whole, the prefix is followed by "…" within the same cols. Invalid
 * UTF-8, control, unprintable and invisible format characters become
 * '?', so the result is always valid UTF-8 that can neither move the
 * cursor nor reorder what follows. Returns the columns
 * used; NULL s, cols <= 0 or a too small out give "" and 0. */
int tui_text_fit(const char *s, int cols, char *out, size_t size);

/* As tui_text_fit, then pads with spaces to exactly cols columns, on the
 * left when right_align is true. Returns the columns used (cols, or 0
 * when nothing could be written). */
int tui_text_pad(const char *s, int cols, bool right_align, char *out,
                 size_t size);

/* The length in bytes of the first line of s when it is wrapped at
 * cols columns: the longest prefix that fits and ends before a space,
 * or, when no word fits, the longest prefix that fits (at least one
 * character). All of s when it fits; 0 for NULL, "" or cols <= 0. The
 * caller skips the spaces after the line before the next. */
size_t tui_text_wrap(const char *s, int cols);

/* A new string (the caller frees it) holding all of s made safe as
 * tui_text_fit does, never truncated; NULL when s is NULL or memory runs
 * out. */
char *tui_text_safe(const char *s);

/* Writes into out (size bytes, always NUL-terminated when size > 0) s on
 * one line, for a list cell: every run of line breaks (LF, CR) and tabs
 * becomes one space; anything else is copied as it is (tui_text_fit
 * still neutralises the other control characters). A too long s is cut
 * at a character boundary. Returns out; "" for NULL s. */
char *tui_text_one_line(const char *s, char *out, size_t size);

/* Appends text to the NUL-terminated string in out (size bytes in all),
 * as much as fits, cut at a character boundary so that out stays valid
 * UTF-8. Returns true when all of text fitted. */
bool tui_text_append(char *out, size_t size, const char *text);

#endif
