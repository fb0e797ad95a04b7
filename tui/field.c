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
}

static void delete_last(struct tui_field *field)
{
    while (field->len > 0) {
        field->len--;
        if (((unsigned char)field->buf[field->len] & 0xc0) != 0x80)
            break;
    }
    base_secret_wipe(field->buf + field->len, sizeof(field->buf) - field->len);
}

static bool append(struct tui_field *field, wint_t ch)
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
    memcpy(field->buf + field->len, bytes, n);
    field->len += n;
    field->buf[field->len] = '\0';
    base_secret_wipe(bytes, sizeof(bytes));
    return true;
}

bool tui_field_key(struct tui_field *field, wint_t ch, bool is_key)
{
    if (is_key) {
        if (ch != KEY_BACKSPACE)
            return false;
        delete_last(field);
        return true;
    }
    if (ch == 127 || ch == 8) {
        delete_last(field);
        return true;
    }
    if (ch == 21) {
        tui_field_clear(field, false);
        return true;
    }
    return append(field, ch);
}

enum base_status tui_field_to_secret(const struct tui_field *field,
                                     struct base_secret **out)
{
    if (!field || !out)
        return BASE_E_INVALID;
    return base_secret_new(field->buf, field->len, out);
}

/* The secret's stand-in: one dot per character. */
static void dots(const struct tui_field *field, char *out, size_t size)
{
    size_t used = 0;
    size_t i;

    out[0] = '\0';
    for (i = 0; i < field->len && used + 4 < size; i++) {
        if (((unsigned char)field->buf[i] & 0xc0) == 0x80)
            continue;
        memcpy(out + used, DOT, 3);
        used += 3;
    }
    out[used] = '\0';
}

int tui_field_draw(const struct tui_field *field, int y, int x, int cols,
                   bool focused)
{
    char shown[DRAW_BYTES];
    const char *text = shown;
    int width;

    if (cols <= 0)
        return x;
    if (field->secret)
        dots(field, shown, sizeof(shown));
    else
        text = field->buf;
    tui_draw_fill(y, x, cols, focused ? TUI_DRAW_FOCUS : TUI_DRAW_FIELD);
    /* Show the tail so that the cursor end stays visible. */
    while (*text && tui_text_width(text) > cols - 1) {
        text++;
        while (((unsigned char)*text & 0xc0) == 0x80)
            text++;
    }
    width = tui_draw_text(y, x, cols, text,
                          focused ? TUI_DRAW_FOCUS : TUI_DRAW_FIELD);
    return x + width;
}
