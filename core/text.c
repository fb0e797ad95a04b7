/* Locale-free lower-casing for the scripts the company names use. */
#include "core/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 sequence at s; returns its length, or 0 when it is
 * not a valid two-byte sequence (longer ones are never folded here). */
static size_t decode2(const unsigned char *s, uint32_t *cp)
{
    if (s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    return 0;
}

static uint32_t fold_cp(uint32_t cp)
{
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 0x20; /* Latin-1 capitals */
    if (cp >= 0x100 && cp <= 0x137 && cp % 2 == 0)
        return cp + 1; /* Latin Extended-A, even capitals */
    if (cp >= 0x139 && cp <= 0x148 && cp % 2 == 1)
        return cp + 1;
    if (cp >= 0x14A && cp <= 0x177 && cp % 2 == 0)
        return cp + 1;
    if (cp == 0x179 || cp == 0x17B || cp == 0x17D)
        return cp + 1;
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 0x20; /* Greek */
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20; /* Cyrillic */
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    return cp;
}

static size_t encode2(uint32_t cp, char *out)
{
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
}

bool core_text_fold(const char *in, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t used = 0;
    uint32_t cp;
    size_t n;

    if (!out || size == 0)
        return false;
    while (s && *s) {
        n = decode2(s, &cp);
        if (n && used + 2 >= size)
            break; /* never cut a character in half */
        if (n) {
            /* Every folded code point here stays two bytes long. */
            used += encode2(fold_cp(cp), out + used);
            s += n;
            continue;
        }
        if (used + 1 >= size)
            break;
        out[used++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
        s++;
    }
    out[used] = '\0';
    return !s || *s == '\0';
}

/* Folds text with fold (core_text_fold or core_text_fold_plain) into a
 * new buffer the caller frees; NULL when memory runs out. Every two-byte
 * character folds to at most two bytes, so neither fold makes the text
 * longer. */
static char *folded_dup(const char *text,
                        bool (*fold)(const char *, char *, size_t))
{
    size_t size = strlen(text) + 1;
    char *out = malloc(size);

    if (out)
        fold(text, out, size);
    return out;
}

/* Whether b equals a (whole) or stands in it once both are folded with
 * fold; false when either is NULL or memory runs out. */
static bool match_folded(const char *a, const char *b, bool whole,
                         bool (*fold)(const char *, char *, size_t))
{
    char *fa;
    char *fb;
    bool found;

    if (!a || !b)
        return false;
    fa = folded_dup(a, fold);
    fb = folded_dup(b, fold);
    found = fa && fb && (whole ? strcmp(fa, fb) == 0 : strstr(fa, fb) != NULL);
    free(fa);
    free(fb);
    return found;
}

bool core_text_equal_fold(const char *a, const char *b)
{
    return match_folded(a, b, true, core_text_fold);
}

bool core_text_contains_fold(const char *haystack, const char *needle)
{
    return match_folded(haystack, needle, false, core_text_fold);
}

char *core_text_email(const char *email)
{
    const char *end;
    char *out;
    size_t len;
    size_t i;

    if (!email)
        return NULL;
    while (*email == ' ' || *email == '\t' || *email == '\n' || *email == '\r')
        email++;
    end = email + strlen(email);
    while (end > email && (end[-1] == ' ' || end[-1] == '\t' ||
                           end[-1] == '\n' || end[-1] == '\r'))
        end--;
    len = (size_t)(end - email);
    out = malloc(len + 1);
    if (!out)
        return NULL;
    for (i = 0; i < len; i++) {
        char c = email[i];

        out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    out[len] = '\0';
    return out;
}

/* Base letters of the Latin-1 Supplement and Latin Extended-A letters,
 * by ranges of code points; lower-case already. */
struct plain_range {
    uint16_t first;
    uint16_t last;
    const char *base;
};

static const struct plain_range plain_ranges[] = {
    {0xC0, 0xC5, "a"},    {0xC6, 0xC6, "ae"},  {0xC7, 0xC7, "c"},
    {0xC8, 0xCB, "e"},    {0xCC, 0xCF, "i"},   {0xD0, 0xD0, "d"},
    {0xD1, 0xD1, "n"},    {0xD2, 0xD6, "o"},   {0xD8, 0xD8, "o"},
    {0xD9, 0xDC, "u"},    {0xDD, 0xDD, "y"},   {0xDE, 0xDE, "th"},
    {0xDF, 0xDF, "ss"},   {0xE0, 0xE5, "a"},   {0xE6, 0xE6, "ae"},
    {0xE7, 0xE7, "c"},    {0xE8, 0xEB, "e"},   {0xEC, 0xEF, "i"},
    {0xF0, 0xF0, "d"},    {0xF1, 0xF1, "n"},   {0xF2, 0xF6, "o"},
    {0xF8, 0xF8, "o"},    {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},
    {0xFE, 0xFE, "th"},   {0xFF, 0xFF, "y"},   {0x100, 0x105, "a"},
    {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"},  {0x124, 0x127, "h"}, {0x128, 0x131, "i"},
    {0x132, 0x133, "ij"}, {0x134, 0x135, "j"}, {0x136, 0x138, "k"},
    {0x139, 0x142, "l"},  {0x143, 0x14B, "n"}, {0x14C, 0x151, "o"},
    {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
    {0x162, 0x167, "t"},  {0x168, 0x173, "u"}, {0x174, 0x175, "w"},
    {0x176, 0x178, "y"},  {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"},
};

static const char *plain_base(uint32_t cp)
{
    size_t i;

    for (i = 0; i < sizeof(plain_ranges) / sizeof(plain_ranges[0]); i++) {
        if (cp >= plain_ranges[i].first && cp <= plain_ranges[i].last)
            return plain_ranges[i].base;
    }
    return NULL;
}

/* The plain form of one two-byte character into buf (at most 2 bytes);
 * returns its length, 0 for a combining mark that is dropped. */
static size_t plain_cp(uint32_t cp, char *buf)
{
    const char *base = plain_base(cp);

    if (cp >= 0x300 && cp <= 0x36F)
        return 0;
    if (!base)
        return encode2(fold_cp(cp), buf);
    memcpy(buf, base, strlen(base));
    return strlen(base);
}

/* The length of a valid three- or four-byte sequence at s, copied whole
 * so that a cut result never ends in half a character; 1 otherwise. */
static size_t copy_len(const unsigned char *s)
{
    size_t n = s[0] >= 0xE0 && s[0] <= 0xEF   ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                              : 1;
    size_t i;

    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    }
    return n;
}

bool core_text_fold_plain(const char *in, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t used = 0;
    char buf[2];
    uint32_t cp;
    size_t n;
    size_t k;

    if (!out || size == 0)
        return false;
    while (s && *s) {
        n = decode2(s, &cp);
        k = n ? plain_cp(cp, buf) : copy_len(s);
        if (used + k >= size)
            break; /* never cut a character in half */
        if (n)
            memcpy(out + used, buf, k);
        else if (k > 1)
            memcpy(out + used, s, k);
        else
            out[used] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
        used += k;
        s += n ? n : k;
    }
    out[used] = '\0';
    return !s || *s == '\0';
}

bool core_text_contains_plain(const char *haystack, const char *needle)
{
    return match_folded(haystack, needle, false, core_text_fold_plain);
}
