/* Fitting UTF-8 text into terminal columns: wide and combining
 * characters, invalid bytes, control characters and NULL. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/text.h"

/* U+4E2D U+6587: two wide CJK characters, 2 columns each. */
#define CJK "\xe4\xb8\xad\xe6\x96\x87"
/* "e" followed by U+0301 COMBINING ACUTE ACCENT. */
#define E_ACUTE "e\xcc\x81"
#define ELLIPSIS "\xe2\x80\xa6"

static int setup_locale(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "en_US.UTF-8"))
        return -1;
    return 0;
}

static void test_text_width_null(void **state)
{
    (void)state;
    assert_int_equal(tui_text_width(NULL), 0);
    assert_int_equal(tui_text_width(""), 0);
}

static void test_text_width_ascii(void **state)
{
    (void)state;
    assert_int_equal(tui_text_width("hello"), 5);
}

static void test_text_width_wide(void **state)
{
    (void)state;
    assert_int_equal(tui_text_width(CJK), 4);
    assert_int_equal(tui_text_width("a" CJK "b"), 6);
}

static void test_text_width_combining(void **state)
{
    (void)state;
    assert_int_equal(tui_text_width(E_ACUTE), 1);
    assert_int_equal(tui_text_width("caf" E_ACUTE), 4);
}

static void test_text_width_invalid(void **state)
{
    (void)state;
    /* A lone continuation byte, an overlong '/', a surrogate, a cut
     * sequence: each invalid byte shows as one '?'. */
    assert_int_equal(tui_text_width("\x80"), 1);
    assert_int_equal(tui_text_width("\xc0\xaf"), 2);
    assert_int_equal(tui_text_width("\xed\xa0\x80"), 3);
    assert_int_equal(tui_text_width("a\xe4\xb8"), 3);
}

static void test_text_fit_null(void **state)
{
    char out[16] = "junk";

    (void)state;
    assert_int_equal(tui_text_fit(NULL, 10, out, sizeof(out)), 0);
    assert_string_equal(out, "");
    strcpy(out, "junk");
    assert_int_equal(tui_text_fit("abc", 0, out, sizeof(out)), 0);
    assert_string_equal(out, "");
    assert_int_equal(tui_text_fit("abc", -3, out, sizeof(out)), 0);
    assert_int_equal(tui_text_fit("abc", 5, NULL, 10), 0);
    assert_int_equal(tui_text_fit("abc", 5, out, 2), 0);
    assert_string_equal(out, "");
}

static void test_text_fit_whole(void **state)
{
    char out[32];

    (void)state;
    assert_int_equal(tui_text_fit("abc", 3, out, sizeof(out)), 3);
    assert_string_equal(out, "abc");
    assert_int_equal(tui_text_fit("abc", 10, out, sizeof(out)), 3);
    assert_string_equal(out, "abc");
}

static void test_text_fit_truncates_with_ellipsis(void **state)
{
    char out[32];

    (void)state;
    assert_int_equal(tui_text_fit("abcdef", 4, out, sizeof(out)), 4);
    assert_string_equal(out, "abc" ELLIPSIS);
    assert_int_equal(tui_text_fit("abcdef", 1, out, sizeof(out)), 1);
    assert_string_equal(out, ELLIPSIS);
}

static void test_text_fit_wide_boundary(void **state)
{
    char out[32];

    (void)state;
    /* 4 columns of CJK into 3: one wide char and the ellipsis. */
    assert_int_equal(tui_text_fit(CJK, 3, out, sizeof(out)), 3);
    assert_string_equal(out, "\xe4\xb8\xad" ELLIPSIS);
    /* Into 2: the wide char would leave no room for the ellipsis. */
    assert_int_equal(tui_text_fit(CJK, 2, out, sizeof(out)), 1);
    assert_string_equal(out, ELLIPSIS);
    assert_int_equal(tui_text_fit(CJK, 4, out, sizeof(out)), 4);
    assert_string_equal(out, CJK);
}

static void test_text_fit_combining(void **state)
{
    char out[32];

    (void)state;
    /* The accent stays with its base letter. */
    assert_int_equal(tui_text_fit(E_ACUTE "xyz", 2, out, sizeof(out)), 2);
    assert_string_equal(out, E_ACUTE ELLIPSIS);
    assert_int_equal(tui_text_fit("caf" E_ACUTE, 4, out, sizeof(out)), 4);
    assert_string_equal(out, "caf" E_ACUTE);
}

static void test_text_fit_invalid_and_control(void **state)
{
    char out[32];

    (void)state;
    assert_int_equal(tui_text_fit("a\xff"
                                  "b",
                                  10, out, sizeof(out)),
                     3);
    assert_string_equal(out, "a?b");
    /* An escape sequence cannot reach the terminal. */
    assert_int_equal(tui_text_fit("\x1b[2Jx", 10, out, sizeof(out)), 5);
    assert_string_equal(out, "?[2Jx");
    assert_int_equal(tui_text_fit("a\tb\n", 10, out, sizeof(out)), 4);
    assert_string_equal(out, "a?b?");
    /* U+009B, the 8-bit CSI, is a control character too. */
    assert_int_equal(tui_text_fit("\xc2\x9b"
                                  "1m",
                                  10, out, sizeof(out)),
                     3);
    assert_string_equal(out, "?1m");
}

static void test_text_fit_bidi_controls(void **state)
{
    /* Each bidi control the brief names, in UTF-8. */
    static const char *const controls[] = {
        "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa", "\xe2\x80\xab",
        "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae", "\xe2\x81\xa6",
        "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"};
    char in[32];
    char out[32];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(controls) / sizeof(controls[0]); i++) {
        snprintf(in, sizeof(in), "a%sb", controls[i]);
        assert_int_equal(tui_text_width(in), 3);
        assert_int_equal(tui_text_fit(in, 10, out, sizeof(out)), 3);
        assert_string_equal(out, "a?b");
    }
}

static void test_text_fit_invisible_format(void **state)
{
    char out[32];

    (void)state;
    /* A right-to-left override hides the real file type: "exe.txt". */
    assert_int_equal(
        tui_text_fit("doc\xe2\x80\xaetxt.exe", 20, out, sizeof(out)), 11);
    assert_string_equal(out, "doc?txt.exe");
    /* Zero-width space, word joiner, byte order mark, a tag character. */
    assert_int_equal(tui_text_fit("\xe2\x80\x8b\xe2\x81\xa0\xef\xbb\xbf"
                                  "\xf3\xa0\x80\x81",
                                  20, out, sizeof(out)),
                     4);
    assert_string_equal(out, "????");
    /* The zero-width joiner stays: emoji and scripts need it. */
    assert_int_equal(tui_text_width("a\xe2\x80\x8d"
                                    "b"),
                     2);
}

static void test_text_fit_small_buffer(void **state)
{
    char out[8];

    (void)state;
    /* Fits in columns but not in 8 bytes: cut, with the ellipsis. */
    assert_int_equal(tui_text_fit("abcdefghij", 20, out, sizeof(out)), 5);
    assert_string_equal(out, "abcd" ELLIPSIS);
}

static void test_text_pad_null(void **state)
{
    char out[16];

    (void)state;
    assert_int_equal(tui_text_pad(NULL, 3, false, out, sizeof(out)), 3);
    assert_string_equal(out, "   ");
    assert_int_equal(tui_text_pad("x", 0, false, out, sizeof(out)), 0);
    assert_string_equal(out, "");
}

static void test_text_pad_aligns(void **state)
{
    char out[32];

    (void)state;
    assert_int_equal(tui_text_pad("ab", 5, false, out, sizeof(out)), 5);
    assert_string_equal(out, "ab   ");
    assert_int_equal(tui_text_pad("ab", 5, true, out, sizeof(out)), 5);
    assert_string_equal(out, "   ab");
    assert_int_equal(tui_text_pad(CJK, 5, true, out, sizeof(out)), 5);
    assert_string_equal(out, " " CJK);
    assert_int_equal(tui_text_pad("abcdef", 3, false, out, sizeof(out)), 3);
    assert_string_equal(out, "ab" ELLIPSIS);
}

static void test_text_safe_null(void **state)
{
    (void)state;
    assert_null(tui_text_safe(NULL));
}

static void test_text_safe_replaces(void **state)
{
    char *safe;

    (void)state;
    safe = tui_text_safe("ok \x1b]0;title\x07 " CJK "\xfe");
    assert_non_null(safe);
    assert_string_equal(safe, "ok ?]0;title? " CJK "?");
    free(safe);
    safe = tui_text_safe("\xe2\x80\xae"
                         "evil\xe2\x81\xa6");
    assert_non_null(safe);
    assert_string_equal(safe, "?evil?");
    free(safe);
}

static void test_text_wrap_null(void **state)
{
    (void)state;
    assert_int_equal(tui_text_wrap(NULL, 10), 0);
    assert_int_equal(tui_text_wrap("", 10), 0);
    assert_int_equal(tui_text_wrap("abc", 0), 0);
    assert_int_equal(tui_text_wrap("abc", -3), 0);
}

static void test_text_wrap_words(void **state)
{
    const char *text = "the quick brown fox";

    (void)state;
    assert_int_equal(tui_text_wrap(text, 40), strlen(text));
    assert_int_equal(tui_text_wrap(text, 19), strlen(text));
    assert_int_equal(tui_text_wrap(text, 18), strlen("the quick brown"));
    assert_int_equal(tui_text_wrap(text, 15), strlen("the quick brown"));
    assert_int_equal(tui_text_wrap(text, 14), strlen("the quick"));
    assert_int_equal(tui_text_wrap("a  b", 2), 1);
}

static void test_text_wrap_long_word(void **state)
{
    (void)state;
    /* No space that fits: cut at the columns, at a character start. */
    assert_int_equal(tui_text_wrap("abcdefgh ij", 5), 5);
    assert_int_equal(tui_text_wrap(CJK CJK, 3), 3);
    assert_int_equal(tui_text_wrap(CJK, 1), 3);
    assert_int_equal(tui_text_wrap(E_ACUTE E_ACUTE, 1), 3);
}

static void test_text_one_line_null(void **state)
{
    char out[8] = "x";

    (void)state;
    assert_string_equal(tui_text_one_line(NULL, out, sizeof(out)), "");
    assert_null(tui_text_one_line("a", NULL, 4));
    assert_string_equal(tui_text_one_line("", out, sizeof(out)), "");
}

static void test_text_one_line_breaks(void **state)
{
    char out[64];
    char fitted[64];

    (void)state;
    /* A description with a line break read "Taxi?airport" in the list. */
    assert_string_equal(tui_text_one_line("Taxi\nairport", out, sizeof(out)),
                        "Taxi airport");
    assert_string_equal(tui_text_one_line("a\r\n\r\nb\tc\n", out, sizeof(out)),
                        "a b c ");
    /* Other control characters are still made safe by the fit. */
    tui_text_one_line("x\x1b[2J\ny", out, sizeof(out));
    assert_int_equal(tui_text_fit(out, 20, fitted, sizeof(fitted)), 7);
    assert_string_equal(fitted, "x?[2J y");
}

static void test_text_one_line_cut(void **state)
{
    char out[6];

    (void)state;
    /* "aa" then three two-byte characters: the cut is between two. */
    assert_string_equal(
        tui_text_one_line("aa\xc3\xa4\xc3\xa4\xc3\xa4", out, sizeof(out)),
        "aa\xc3\xa4");
    assert_string_equal(tui_text_one_line("a\nb\nc\nd", out, sizeof(out)),
                        "a b c");
}

static void test_text_append_null(void **state)
{
    char out[8] = "ab";

    (void)state;
    assert_false(tui_text_append(NULL, 8, "x"));
    assert_false(tui_text_append(out, 0, "x"));
    assert_false(tui_text_append(out, sizeof(out), NULL));
    assert_string_equal(out, "ab");
}

static void test_text_append_boundary(void **state)
{
    char out[8] = "abc";

    (void)state;
    assert_true(tui_text_append(out, sizeof(out), "d"));
    assert_string_equal(out, "abcd");
    /* Three bytes are left: one "ä" fits, the second would be cut. */
    assert_false(tui_text_append(out, sizeof(out), "\xc3\xa4\xc3\xa4"));
    assert_string_equal(out, "abcd\xc3\xa4");
    assert_int_equal(tui_text_width(out), 5);
}

/* A locale that is not UTF-8 cannot show accents, CJK or the UI's own
 * symbols: they become ASCII look-alikes of the same width, or '?', and
 * no byte outside ASCII is left. */
static void test_text_fit_ascii_locale(void **state)
{
    char out[128];
    size_t i;

    (void)state;
    assert_non_null(setlocale(LC_ALL, "C"));
    assert_int_equal(tui_text_fit("\u00c4\u00e4ni H\u00e4rk\u00f6nen \u00df",
                                  40, out, sizeof(out)),
                     15);
    assert_string_equal(out, "Aani Harkonen s");
    assert_int_equal(
        tui_text_fit("\u2039 a \u203a \u25b2", 40, out, sizeof(out)), 7);
    assert_string_equal(out, "< a > ^");
    /* CJK has no look-alike; a cut ends in '.' for the ellipsis. */
    tui_text_fit("\u6771\u4eac abcdefgh", 6, out, sizeof(out));
    assert_string_equal(out, "?? ab.");
    for (i = 0; out[i]; i++)
        assert_true((unsigned char)out[i] < 0x80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_width_null),
        cmocka_unit_test(test_text_width_ascii),
        cmocka_unit_test(test_text_width_wide),
        cmocka_unit_test(test_text_width_combining),
        cmocka_unit_test(test_text_width_invalid),
        cmocka_unit_test(test_text_fit_null),
        cmocka_unit_test(test_text_fit_whole),
        cmocka_unit_test(test_text_fit_truncates_with_ellipsis),
        cmocka_unit_test_teardown(test_text_fit_ascii_locale, setup_locale),
        cmocka_unit_test(test_text_fit_wide_boundary),
        cmocka_unit_test(test_text_fit_combining),
        cmocka_unit_test(test_text_fit_invalid_and_control),
        cmocka_unit_test(test_text_fit_bidi_controls),
        cmocka_unit_test(test_text_fit_invisible_format),
        cmocka_unit_test(test_text_fit_small_buffer),
        cmocka_unit_test(test_text_pad_null),
        cmocka_unit_test(test_text_pad_aligns),
        cmocka_unit_test(test_text_safe_null),
        cmocka_unit_test(test_text_safe_replaces),
        cmocka_unit_test(test_text_wrap_null),
        cmocka_unit_test(test_text_wrap_words),
        cmocka_unit_test(test_text_wrap_long_word),
        cmocka_unit_test(test_text_one_line_null),
        cmocka_unit_test(test_text_one_line_breaks),
        cmocka_unit_test(test_text_one_line_cut),
        cmocka_unit_test(test_text_append_null),
        cmocka_unit_test(test_text_append_boundary),
    };

    return cmocka_run_group_tests(tests, setup_locale, NULL);
}
