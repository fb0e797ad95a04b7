/* Field editing on UTF-8 bytes; characters come from wget_wch as wide
 * characters and are encoded with wcrtomb. */
#include "tui/field.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <wctype.h>

#include <curses.h>

#include "tui/draw.h"
#include "tui/text.h"

#define DOT "\xe2\x80\xa2"
#define DRAW_BYTES 2048

void tui_field_init(struct tui_field *field, bool secret)
{
    memset(field, 0, sizeof(*field));
    field->secret = secret;
    if (secret)
        field->locked = mlock(field->buf, sizeof(field->buf)) == 0;
}

void tui_field_clear(struct tui_field *field, bool done)
{
    if (!field)
        return;
    base_secret_wipe(field->buf, sizeof(field->buf));
    field->len = 0;
    field->cursor = 0;
    if (done && field->locked) {
        munlock(field->buf, sizeof(field->buf));
        field->locked = false;
    }
}

void tui_field_set(struct tui_field *field, const char *text)
{
    size_t len = text ? strlen(text) : 0;

    tui_field_clear(field, false);
    if (len >= sizeof(field->buf))
        len = sizeof(field->buf) - 1;
    /* Never cut inside a UTF-8 sequence. */
    while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
        len--;
    if (len)
        memcpy(field->buf, text, len);
    field->buf[len] = '\0';
    field->len = len;
    field->cursor = len;
}

/* The width of the code point at pos (0 for a combining mark), and its
 * length in *n; an undecodable byte counts as one column of one byte. */
static int char_at(const struct tui_field *field, size_t pos, size_t *n)
{
    mbstate_t state;
    wchar_t wc = 0;
    size_t got;
    int width;

    memset(&state, 0, sizeof(state));
    got = mbrtowc(&wc, field->buf + pos, field->len - pos, &state);
    if (got == 0 || got == (size_t)-1 || got == (size_t)-2) {
        *n = 1;
        return 1;
    }
    *n = got;
    width = wcwidth(wc);
    return width < 0 ? 1 : width;
}

/* The start of the code point before pos. */
static size_t char_before(const struct tui_field *field, size_t pos)
{
    while (pos > 0) {
        pos--;
        if (((unsigned char)field->buf[pos] & 0xc0) != 0x80)
            break;
    }
    return pos;
}

/* Where the character at pos ends: its code point and the combining
 * marks after it. */
static size_t next_stop(const struct tui_field *field, size_t pos)
{
    size_t n = 0;

    if (pos >= field->len)
        return field->len;
    char_at(field, pos, &n);
    pos += n;
    while (pos < field->len && char_at(field, pos, &n) == 0)
        pos += n;
    return pos;
}

/* Where the character before pos starts, its combining marks included. */
static size_t prev_stop(const struct tui_field *field, size_t pos)
{
    size_t n = 0;

    while (pos > 0) {
        pos = char_before(field, pos);
        if (pos == 0 || char_at(field, pos, &n) != 0)
            break;
    }
    return pos;
}

/* Removes the bytes [from, to) and wipes the freed tail. */
static void cut(struct tui_field *field, size_t from, size_t to)
{
    if (from >= to)
        return;
    memmove(field->buf + from, field->buf + to, field->len - to + 1);
    field->len -= to - from;
    base_secret_wipe(field->buf + field->len + 1,
                     sizeof(field->buf) - field->len - 1);
    if (field->cursor > to)
        field->cursor -= to - from;
    else if (field->cursor > from)
        field->cursor = from;
}

static bool insert(struct tui_field *field, wint_t ch)
{
    char bytes[8];
    mbstate_t state;
    size_t n;

    if (!iswprint(ch))
        return false;
    memset(&state, 0, sizeof(state));
    n = wcrtomb(bytes, (wchar_t)ch, &state);
    if (n == (size_t)-1 || field->len + n >= sizeof(field->buf))
        return true;
    memmove(field->buf + field->cursor + n, field->buf + field->cursor,
            field->len - field->cursor + 1);
    memcpy(field->buf + field->cursor, bytes, n);
    field->len += n;
    field->cursor += n;
    base_secret_wipe(bytes, sizeof(bytes));
    return true;
}

static bool move_key(struct tui_field *field, wint_t ch, bool is_key)
{
    if (is_key && ch == KEY_LEFT)
        field->cursor = prev_stop(field, field->cursor);
    else if (is_key && ch == KEY_RIGHT)
        field->cursor = next_stop(field, field->cursor);
    else if ((is_key && ch == KEY_HOME) || (!is_key && ch == 1))
        field->cursor = 0;
    else if ((is_key && ch == KEY_END) || (!is_key && ch == 5))
        field->cursor = field->len;
    else
        return false;
    return true;
}

bool tui_field_key(struct tui_field *field, wint_t ch, bool is_key)
{
    if (!field)
        return false;
    if (field->cursor > field->len)
        field->cursor = field->len;
    if (move_key(field, ch, is_key))
        return true;
    if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 || ch == 8)))
        cut(field, prev_stop(field, field->cursor), field->cursor);
    else if (is_key && ch == KEY_DC)
        cut(field, field->cursor, next_stop(field, field->cursor));
    else if (!is_key && ch == 21)
        tui_field_clear(field, false);
    else if (is_key)
        return false;
    else
        return insert(field, ch);
    return true;
}

enum base_status tui_field_to_secret(const struct tui_field *field,
                                     struct base_secret **out)
{
    if (!field || !out)
        return BASE_E_INVALID;
    return base_secret_new(field->buf, field->len, out);
}

/* The secret's stand-in: one dot per code point; *cursor becomes the
 * cursor's byte offset among the dots. */
static void dots(const struct tui_field *field, char *out, size_t size,
                 size_t *cursor)
{
    size_t used = 0;
    size_t i;

    out[0] = '\0';
    *cursor = 0;
    for (i = 0; i < field->len && used + 4 < size; i++) {
        if (((unsigned char)field->buf[i] & 0xc0) == 0x80)
            continue;
        if (i < field->cursor)
            *cursor = used + 3;
        memcpy(out + used, DOT, 3);
        used += 3;
    }
    out[used] = '\0';
}

/* The columns that shown[from, to) takes. */
static int span_width(char *shown, size_t from, size_t to)
{
    char saved = shown[to];
    int width;

    shown[to] = '\0';
    width = tui_text_width(shown + from);
    shown[to] = saved;
    return width;
}

int tui_field_draw(const struct tui_field *field, int y, int x, int cols,
                   bool focused)
{
    char shown[DRAW_BYTES];
    size_t cursor = 0;
    size_t start = 0;
    int width;

    if (cols <= 0)
        return x;
    if (field->secret) {
        dots(field, shown, sizeof(shown), &cursor);
    } else {
        memcpy(shown, field->buf, field->len + 1);
        cursor = field->cursor <= field->len ? field->cursor : field->len;
    }
    tui_draw_fill(y, x, cols, focused ? TUI_DRAW_FOCUS : TUI_DRAW_FIELD);
    /* Scroll so that the cursor stays inside the field. */
    while (start < cursor && span_width(shown, start, cursor) > cols - 1) {
        start++;
        while (((unsigned char)shown[start] & 0xc0) == 0x80)
            start++;
    }
    tui_draw_text(y, x, cols, shown + start,
                  focused ? TUI_DRAW_FOCUS : TUI_DRAW_FIELD);
    width = span_width(shown, start, cursor);
    return x + (width < cols ? width : cols - 1);
}
