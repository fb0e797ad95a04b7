/* Fitting UTF-8 text into terminal columns: a strict decoder, wcwidth for
 * the width, '?' for anything that is not safe to send to a terminal. */
#include "tui/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/text.h"

#define ELLIPSIS "\xe2\x80\xa6"
#define ELLIPSIS_LEN 3

/* One decoded unit of input: how many bytes it took, what to write and
 * how wide that is. */
struct unit {
    size_t in_len;
    const char *bytes; /* what to emit: the input itself or "?" */
    size_t out_len;
    int width;
};

static size_t sequence_length(unsigned char lead, uint32_t *min)
{
    if (lead >= 0xc2 && lead <= 0xdf) {
        *min = 0x80;
        return 2;
    }
    if (lead >= 0xe0 && lead <= 0xef) {
        *min = 0x800;
        return 3;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
        *min = 0x10000;
        return 4;
    }
    return 0;
}

/* The code point at s, or -1 for an invalid sequence (then *len is 1). */
static int32_t decode(const unsigned char *s, size_t *len)
{
    uint32_t min = 0;
    uint32_t cp;
    size_t n = sequence_length(s[0], &min);
    size_t i;

    *len = 1;
    if (s[0] < 0x80)
        return s[0];
    if (n == 0)
        return -1;
    cp = s[0] & (0x7f >> n);
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *len = n;
    return (int32_t)cp;
}

/* Invisible format characters that can reorder or hide what a terminal
 * shows: the bidi embeddings, overrides, isolates and marks, zero-width
 * spaces, line and paragraph separators, the byte order mark, interlinear
 * annotations and tag characters. The zero-width joiner and non-joiner
 * (U+200C, U+200D) stay: scripts and emoji sequences need them and they
 * move nothing. */
static bool invisible_format(int32_t cp)
{
    static const int32_t ranges[][2] = {
        {0x061c, 0x061c},   {0x180e, 0x180e}, {0x200b, 0x200b},
        {0x200e, 0x200f},   {0x2028, 0x202e}, {0x2060, 0x206f},
        {0xfeff, 0xfeff},   {0xfff9, 0xfffb}, {0x1d173, 0x1d17a},
        {0xe0000, 0xe007f},
    };
    size_t i;

    for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    }
    return false;
}

/* What a terminal that cannot show cp (a locale that is not UTF-8) gets
 * instead: the ASCII look-alike of the UI's own symbols and of Latin
 * letters with accents (Ä as A), NULL for the rest. */
static const char *ascii_stand_in(int32_t cp, const char *s, size_t len)
{
    static const struct {
        int32_t cp;
        const char *ascii;
    } symbols[] = {
        {0x2026, "."},  {0x2039, "<"}, {0x203a, ">"}, {0x25b2, "^"},
        {0x25bc, "v"},  {0x2191, "^"}, {0x2193, "v"}, {0x2190, "<"},
        {0x2192, ">"},  {0x2013, "-"}, {0x2014, "-"}, {0x201c, "\""},
        {0x201d, "\""}, {0x00b7, "."},
    };
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char one[8];
    char plain[8];
    char lower[8];
    size_t i;

    for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
        if (symbols[i].cp == cp)
            return symbols[i].ascii;
    }
    if (cp < 0xc0 || cp > 0x17f || len >= sizeof(one))
        return NULL;
    memcpy(one, s, len);
    one[len] = '\0';
    core_text_fold_plain(one, plain, sizeof(plain));
    core_text_fold(one, lower, sizeof(lower));
    if (plain[0] < 'a' || plain[0] > 'z')
        return NULL;
    /* Folding changed it: it was a capital. */
    return &letters[plain[0] - 'a' + (strcmp(one, lower) != 0 ? 26 : 0)];
}

static void next_unit(const char *s, struct unit *u)
{
    size_t len = 0;
    int32_t cp = decode((const unsigned char *)s, &len);
    int width = -1;
    const char *ascii;

    if (cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) &&
        !invisible_format(cp))
        width = wcwidth((wchar_t)cp);
    u->in_len = len;
    ascii = cp >= 0xa0 && width < 0 && !invisible_format(cp)
                ? ascii_stand_in(cp, s, len)
                : NULL;
    if (ascii) {
        u->bytes = ascii;
        u->out_len = 1;
        u->width = 1;
        return;
    }
    if (cp < 0 || width < 0) {
        u->bytes = "?";
        u->out_len = 1;
        u->width = 1;
        return;
    }
    u->bytes = s;
    u->out_len = len;
    u->width = width;
}

int tui_text_width(const char *s)
{
    struct unit u;
    int width = 0;

    if (!s)
        return 0;
    while (*s) {
        next_unit(s, &u);
        width += u.width;
        s += u.in_len;
    }
    return width;
}

/* Copies units of s while they fit in budget columns and in out, leaving
 * room for an ellipsis and the NUL. Sets *all when s was copied whole. */
static int copy_units(const char *s, int budget, char *out, size_t size,
                      size_t *used, int *all)
{
    struct unit u;
    int width = 0;

    *used = 0;
    *all = 0;
    while (*s) {
        next_unit(s, &u);
        if (width + u.width > budget)
            return width;
        if (*used + u.out_len + ELLIPSIS_LEN + 1 > size)
            return width;
        memcpy(out + *used, u.bytes, u.out_len);
        *used += u.out_len;
        width += u.width;
        s += u.in_len;
    }
    *all = 1;
    return width;
}

int tui_text_fit(const char *s, int cols, char *out, size_t size)
{
    size_t used = 0;
    int all = 0;
    int width;

    if (out && size > 0)
        out[0] = '\0';
    if (!s || !out || cols <= 0 || size < ELLIPSIS_LEN + 1)
        return 0;
    if (tui_text_width(s) <= cols) {
        width = copy_units(s, cols, out, size, &used, &all);
        if (all) {
            out[used] = '\0';
            return width;
        }
    }
    width = copy_units(s, cols - 1, out, size, &used, &all);
    /* A locale that cannot show "…" gets "." (see ascii_stand_in). */
    if (wcwidth((wchar_t)0x2026) == 1) {
        memcpy(out + used, ELLIPSIS, ELLIPSIS_LEN);
        out[used + ELLIPSIS_LEN] = '\0';
    } else {
        memcpy(out + used, ".", 2);
    }
    return width + 1;
}

int tui_text_pad(const char *s, int cols, bool right_align, char *out,
                 size_t size)
{
    int width;
    int pad;
    size_t len;

    width = tui_text_fit(s ? s : "", cols, out, size);
    if (cols <= 0 || size < ELLIPSIS_LEN + 1)
        return 0;
    len = strlen(out);
    pad = cols - width;
    if (len + (size_t)pad + 1 > size)
        return width;
    if (right_align) {
        memmove(out + pad, out, len + 1);
        memset(out, ' ', (size_t)pad);
    } else {
        memset(out + len, ' ', (size_t)pad);
        out[len + (size_t)pad] = '\0';
    }
    return cols;
}

char *tui_text_safe(const char *s)
{
    struct unit u;
    char *out;
    size_t used = 0;

    if (!s)
        return NULL;
    /* Each unit's output is never longer than its input. */
    out = malloc(strlen(s) + 1);
    if (!out)
        return NULL;
    while (*s) {
        next_unit(s, &u);
        memcpy(out + used, u.bytes, u.out_len);
        used += u.out_len;
        s += u.in_len;
    }
    out[used] = '\0';
    return out;
}

/* The width of the first len bytes of s (len < size of the scratch). */
static int prefix_width(const char *s, size_t len, char *scratch)
{
    memcpy(scratch, s, len);
    scratch[len] = '\0';
    return tui_text_width(scratch);
}

size_t tui_text_wrap(const char *s, int cols)
{
    char scratch[1024];
    size_t len = s ? strlen(s) : 0;
    size_t best = 0;
    size_t i;

    if (len == 0 || cols <= 0)
        return 0;
    if (tui_text_width(s) <= cols)
        return len;
    for (i = 1; i < len && i < sizeof(scratch); i++) {
        if (s[i] != ' ')
            continue;
        if (prefix_width(s, i, scratch) > cols)
            break;
        if (s[i - 1] != ' ')
            best = i;
    }
    if (best > 0)
        return best;
    for (i = 1; i <= len && i < sizeof(scratch); i++) {
        if (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
            continue;
        if (prefix_width(s, i, scratch) > cols)
            break;
        best = i;
    }
    if (best == 0) {
        best = 1;
        while (best < len && ((unsigned char)s[best] & 0xc0) == 0x80)
            best++;
    }
    return best;
}

/* How many bytes of s (len of them) fit in room bytes without cutting a
 * UTF-8 sequence. */
static size_t whole_chars(const char *s, size_t len, size_t room)
{
    if (len <= room)
        return len;
    while (room > 0 && ((unsigned char)s[room] & 0xc0) == 0x80)
        room--;
    return room;
}

static bool line_break(char c)
{
    return c == '\n' || c == '\r' || c == '\t';
}

char *tui_text_one_line(const char *s, char *out, size_t size)
{
    size_t used = 0;
    size_t n;

    if (!out || size == 0)
        return out;
    out[0] = '\0';
    while (s && *s && used + 1 < size) {
        if (line_break(*s)) {
            while (line_break(*s))
                s++;
            out[used++] = ' ';
            continue;
        }
        n = strcspn(s, "\n\r\t");
        n = whole_chars(s, n, size - 1 - used);
        if (n == 0)
            break;
        memcpy(out + used, s, n);
        used += n;
        s += n;
    }
    out[used] = '\0';
    return out;
}

bool tui_text_append(char *out, size_t size, const char *text)
{
    size_t len;
    size_t n;

    if (!out || size == 0 || !text)
        return false;
    len = strnlen(out, size - 1);
    n = whole_chars(text, strlen(text), size - 1 - len);
    memcpy(out + len, text, n);
    out[len + n] = '\0';
    return text[n] == '\0';
}
