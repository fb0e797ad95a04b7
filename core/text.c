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

/* Folds into a new buffer the caller frees; NULL when memory runs out. */
static char *fold_dup(const char *text)
{
    size_t size = strlen(text) + 1;
    char *out = malloc(size);

    if (out)
        core_text_fold(text, out, size);
    return out;
}

bool core_text_equal_fold(const char *a, const char *b)
{
    char *fa;
    char *fb;
    bool same;

    if (!a || !b)
        return false;
    fa = fold_dup(a);
    fb = fold_dup(b);
    same = fa && fb && strcmp(fa, fb) == 0;
    free(fa);
    free(fb);
    return same;
}

bool core_text_contains_fold(const char *haystack, const char *needle)
{
    char *fh;
    char *fn;
    bool found;

    if (!haystack || !needle)
        return false;
    fh = fold_dup(haystack);
    fn = fold_dup(needle);
    found = fh && fn && strstr(fh, fn) != NULL;
    free(fh);
    free(fn);
    return found;
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
