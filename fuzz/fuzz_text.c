/* libFuzzer harness for the UI's text layout (tui/text.h) and column
 * fitting (tui/columns.h): any bytes, any width, any buffer size.
 *
 * Input: byte 0 is the width in columns (signed), byte 1 the output
 * buffer's size; the rest is the text. The same bytes, three at a time,
 * are also the columns' needs for tui_columns_fit. */
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "tui/columns.h"
#include "tui/text.h"

#define COLUMNS_MAX 24

/* Whether s is well-formed UTF-8 with no C0 control or DEL byte. */
static bool safe_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
        size_t i;

        if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && *p < 0xc2) || *p > 0xf4)
            return false;
        for (i = 1; i < n; i++)
            if ((p[i] & 0xc0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

static void fuzz_fit(const char *s, int cols, char *out, size_t size)
{
    int used = tui_text_fit(s, cols, out, size);

    CHECK(used >= 0);
    CHECK(cols <= 0 ? used == 0 : used <= cols);
    CHECK(strlen(out) < size);
    CHECK(safe_utf8(out));
    CHECK(tui_text_width(out) == used);

    used = tui_text_pad(s, cols, (size & 1) != 0, out, size);
    /* When out cannot hold the padding, the text comes back unpadded. */
    CHECK(used == 0 || used == cols ||
          strlen(out) + (size_t)(cols - used) + 1 > size);
    CHECK(cols <= 0 ? used == 0 : used <= cols);
    CHECK(strlen(out) < size);
    CHECK(safe_utf8(out));
    CHECK(tui_text_width(out) == used);
}

static void fuzz_lines(const char *s, int cols, char *out, size_t size)
{
    size_t len = strlen(s);
    size_t line = tui_text_wrap(s, cols);
    char *safe = tui_text_safe(s);
    size_t head;
    bool fitted;

    CHECK(line <= len);
    CHECK(cols <= 0 || len == 0 || line > 0);
    CHECK(safe != NULL);
    CHECK(safe_utf8(safe));
    CHECK(tui_text_width(safe) == tui_text_width(s));
    free(safe);

    CHECK(tui_text_one_line(s, out, size) == out);
    CHECK(strlen(out) < size);
    CHECK(strpbrk(out, "\r\n\t") == NULL);

    /* Appending the text's second half to its first. */
    head = len / 2 < size ? len / 2 : size - 1;
    memcpy(out, s, head);
    out[head] = '\0';
    fitted = tui_text_append(out, size, s + len / 2);
    CHECK(strlen(out) < size);
    CHECK(fitted ? strlen(out) == head + (len - len / 2)
                 : strlen(out) < head + (len - len / 2));
}

static void fuzz_columns(const uint8_t *data, size_t size)
{
    struct tui_columns_need need[COLUMNS_MAX];
    int widths[COLUMNS_MAX];
    size_t n = (size - 2) / 3;
    int avail = data[0] * 2;
    int gap = data[1] % 4;
    int sum = 0;
    size_t i;

    if (n > COLUMNS_MAX)
        n = COLUMNS_MAX;
    for (i = 0; i < n; i++) {
        need[i].header = data[2 + 3 * i] % 40;
        need[i].natural = data[3 + 3 * i] * 4;
        need[i].preferred = data[4 + 3 * i] % 64;
        widths[i] = -1;
    }
    tui_columns_fit(need, n, avail, gap, widths);
    for (i = 0; i < n; i++) {
        CHECK(widths[i] >= 0);
        sum += widths[i] + gap;
    }
    CHECK(n == 0 || (int)n * gap > avail || sum <= avail);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* The UI runs in the user's UTF-8 locale; wcwidth needs one. */
    CHECK(setlocale(LC_ALL, "C.UTF-8") != NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t out_size;
    char *text;
    char *out;
    int cols;

    if (size < 2)
        return 0;
    cols = (int8_t)data[0];
    out_size = (size_t)data[1] + 1;
    text = malloc(size - 1);
    out = malloc(out_size);
    CHECK(text != NULL && out != NULL);
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';
    CHECK(tui_text_width(NULL) == 0);
    CHECK(tui_text_width(text) >= 0);
    fuzz_fit(text, cols, out, out_size);
    fuzz_lines(text, cols, out, out_size);
    fuzz_columns(data, size);
    free(out);
    free(text);
    return 0;
}
