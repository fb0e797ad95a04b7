/* A one-line input field for forms and filters; a secret field keeps its
 * bytes in locked memory, shows only dots and is wiped when cleared. */
#ifndef BEZALA_TUI_FIELD_H
#define BEZALA_TUI_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "base/secret.h"
#include "base/status.h"

#define TUI_FIELD_MAX 256

struct tui_field {
    char buf[TUI_FIELD_MAX]; /* UTF-8, NUL-terminated */
    size_t len;
    size_t cursor; /* byte offset of the cursor, at a character start */
    bool secret;
    bool locked; /* buf is mlock'ed */
};

/* Prepares an empty field; a secret one is locked in memory if possible. */
void tui_field_init(struct tui_field *field, bool secret);

/* Wipes the contents (and unlocks a secret field's memory when done is
 * true). */
void tui_field_clear(struct tui_field *field, bool done);

/* Replaces the contents with text (truncated to fit, at a character
 * boundary); the cursor goes to the end. */
void tui_field_set(struct tui_field *field, const char *text);

/* Applies one key from wget_wch (is_key: it was a KEY_ code): printable
 * characters are inserted at the cursor; Left and Right move it by one
 * character (a base character with its combining marks), Home and End
 * (also Ctrl-A, Ctrl-E) to either end; Backspace deletes the character
 * before the cursor, Delete the one under it; Ctrl-U clears. Needs a
 * UTF-8 locale. Returns true when the key was used. */
bool tui_field_key(struct tui_field *field, wint_t ch, bool is_key);

/* The contents as a new secret (the caller owns it). */
enum base_status tui_field_to_secret(const struct tui_field *field,
                                     struct base_secret **out)
    __attribute__((warn_unused_result));

/* Draws the field at (y, x) in cols columns, scrolled so that the cursor
 * stays visible, dots for a secret. Returns the cursor's column. */
int tui_field_draw(const struct tui_field *field, int y, int x, int cols,
                   bool focused);

#endif
