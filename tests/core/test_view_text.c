/* Accent- and case-insensitive folding for filtering and sorting views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

static void test_view_text_fold_plain_null(void **state)
{
    char out[8] = "x";

    (void)state;
    assert_false(core_text_fold_plain("A", NULL, 4));
    assert_false(core_text_fold_plain("A", out, 0));
    assert_string_equal(out, "x");
    assert_true(core_text_fold_plain(NULL, out, sizeof(out)));
    assert_string_equal(out, "");
    assert_true(core_text_fold_plain("", out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(core_text_contains_plain(NULL, "a"));
    assert_false(core_text_contains_plain("a", NULL));
}

static void test_view_text_fold_plain_accents(void **state)
{
    const char *polish = "Łódź Šťastný Œuvre";
    char out[64];

    (void)state;
    assert_true(core_text_fold_plain("Linnéa", out, sizeof(out)));
    assert_string_equal(out, "linnea");
    assert_true(core_text_fold_plain("Linne\xcc\x81"
                                     "a",
                                     out, sizeof(out)));
    assert_string_equal(out, "linnea");
    assert_true(core_text_fold_plain("LINNEA", out, sizeof(out)));
    assert_string_equal(out, "linnea");
    assert_true(core_text_fold_plain("ÄÅÖ äåö ÉÑ", out, sizeof(out)));
    assert_string_equal(out, "aao aao en");
    assert_true(core_text_fold_plain(polish, out, sizeof(out)));
    assert_string_equal(out, "lodz stastny oeuvre");
}

static void test_view_text_fold_plain_sharp_s(void **state)
{
    char out[64];

    (void)state;
    assert_true(core_text_fold_plain("Straße Æsir Þór", out, sizeof(out)));
    assert_string_equal(out, "strasse aesir thor");
}

static void test_view_text_fold_plain_keeps_other_text(void **state)
{
    const char *mixed = "東京 × ÷ ΩΔ \xff\xc3";
    char out[64];

    (void)state;
    /* CJK, × and ÷, Greek folded by case, an invalid byte copied. */
    assert_true(core_text_fold_plain(mixed, out, sizeof(out)));
    assert_string_equal(out, "東京 × ÷ ωδ \xff\xc3");
}

static void test_view_text_fold_plain_too_small(void **state)
{
    char out[4];
    char two[2];

    (void)state;
    assert_false(core_text_fold_plain("ÄÄÄÄ", out, sizeof(out)));
    assert_string_equal(out, "aaa");
    /* "ß" is two letters; it is not cut in half. */
    assert_false(core_text_fold_plain("ß", two, sizeof(two)));
    assert_string_equal(two, "");
    /* Three-byte characters are copied whole or not at all. */
    assert_false(core_text_fold_plain("東京", out, sizeof(out)));
    assert_string_equal(out, "東");
    assert_false(core_text_fold_plain("東京", out, 3));
    assert_string_equal(out, "");
}

static void test_view_text_contains_plain_matches(void **state)
{
    (void)state;
    assert_true(core_text_contains_plain("Kahvila Äimä Oy", "aima"));
    assert_true(core_text_contains_plain("Linne\xcc\x81"
                                         "a Berg",
                                         "LINNÉA"));
    assert_true(core_text_contains_plain("Große Straße", "strasse"));
    assert_true(core_text_contains_plain("anything", ""));
    assert_false(core_text_contains_plain("Kahvila Äimä Oy", "aimo"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_text_fold_plain_null),
        cmocka_unit_test(test_view_text_fold_plain_accents),
        cmocka_unit_test(test_view_text_fold_plain_sharp_s),
        cmocka_unit_test(test_view_text_fold_plain_keeps_other_text),
        cmocka_unit_test(test_view_text_fold_plain_too_small),
        cmocka_unit_test(test_view_text_contains_plain_matches),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
