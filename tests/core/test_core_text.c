/* Case folding used to match typed company names, whatever the locale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

static void test_text_fold_null(void **state)
{
    char out[8] = "x";

    (void)state;
    assert_false(core_text_fold("A", NULL, 4));
    assert_false(core_text_fold("A", out, 0));
    assert_true(core_text_fold(NULL, out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(core_text_equal_fold(NULL, "a"));
    assert_false(core_text_contains_fold("a", NULL));
}

static void test_text_fold_finnish_and_swedish(void **state)
{
    char out[64];

    (void)state;
    assert_true(core_text_fold("KAHVILA ÄIMÄ ÅÖ", out, sizeof(out)));
    assert_string_equal(out, "kahvila äimä åö");
    assert_true(core_text_fold("ŠŽ Ω Д", out, sizeof(out)));
    assert_string_equal(out, "šž ω д");
}

static void test_text_fold_keeps_other_text(void **state)
{
    char out[64];

    (void)state;
    /* CJK, the multiplication sign and an invalid byte pass unchanged. */
    assert_true(core_text_fold("東京 × \xff", out, sizeof(out)));
    assert_string_equal(out, "東京 × \xff");
}

static void test_text_fold_too_small(void **state)
{
    char out[4];

    (void)state;
    assert_false(core_text_fold("ÄÄÄÄ", out, sizeof(out)));
    assert_string_equal(out, "ä");
}

static void test_text_contains_fold_matches_part(void **state)
{
    (void)state;
    assert_true(core_text_contains_fold("Kahvila Äimä Oy", "äimä"));
    assert_true(core_text_contains_fold("Kahvila Äimä Oy", "KAHVILA ä"));
    assert_false(core_text_contains_fold("Kahvila Äimä Oy", "aima"));
    assert_true(core_text_equal_fold("ÅLAND REDERI AB", "åland rederi ab"));
    assert_false(core_text_equal_fold("Åland", "Åland Rederi"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_fold_null),
        cmocka_unit_test(test_text_fold_finnish_and_swedish),
        cmocka_unit_test(test_text_fold_keeps_other_text),
        cmocka_unit_test(test_text_fold_too_small),
        cmocka_unit_test(test_text_contains_fold_matches_part),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
