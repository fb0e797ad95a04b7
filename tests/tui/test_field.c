/* Editing a form field: moving the cursor by characters (wide ones and
 * those with combining marks), inserting and deleting inside the text. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>
#include <curses.h>

#include "tui/field.h"

/* U+4E2D, one wide character (3 bytes). */
#define CJK "\xe4\xb8\xad"
/* "e" followed by U+0301 COMBINING ACUTE ACCENT. */
#define E_ACUTE "e\xcc\x81"

static int setup_locale(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "en_US.UTF-8"))
        return -1;
    return 0;
}

static void type(struct tui_field *field, const wchar_t *text)
{
    while (*text)
        assert_true(tui_field_key(field, (wint_t)*text++, false));
}

static void key(struct tui_field *field, int code)
{
    assert_true(tui_field_key(field, (wint_t)code, true));
}

static void test_field_key_null(void **state)
{
    struct tui_field field;

    (void)state;
    assert_false(tui_field_key(NULL, 'a', false));
    tui_field_init(&field, false);
    /* Every movement and deletion on an empty field keeps it empty. */
    key(&field, KEY_LEFT);
    key(&field, KEY_RIGHT);
    key(&field, KEY_HOME);
    key(&field, KEY_END);
    key(&field, KEY_BACKSPACE);
    key(&field, KEY_DC);
    assert_int_equal(field.len, 0);
    assert_int_equal(field.cursor, 0);
    assert_string_equal(field.buf, "");
    assert_false(tui_field_key(&field, KEY_F(1), true));
}

static void test_field_key_insert_inside(void **state)
{
    struct tui_field field;

    (void)state;
    tui_field_init(&field, false);
    type(&field, L"acd");
    key(&field, KEY_LEFT);
    key(&field, KEY_LEFT);
    type(&field, L"b");
    assert_string_equal(field.buf, "abcd");
    assert_int_equal(field.cursor, 2);
    key(&field, KEY_HOME);
    type(&field, L">");
    key(&field, KEY_END);
    type(&field, L"<");
    assert_string_equal(field.buf, ">abcd<");
    assert_int_equal(field.len, 6);
}

static void test_field_key_delete_inside(void **state)
{
    struct tui_field field;

    (void)state;
    tui_field_init(&field, false);
    tui_field_set(&field, "abcdef");
    assert_int_equal(field.cursor, 6);
    key(&field, KEY_LEFT);
    key(&field, KEY_LEFT);
    key(&field, KEY_BACKSPACE);
    assert_string_equal(field.buf, "abcef");
    key(&field, KEY_DC);
    assert_string_equal(field.buf, "abcf");
    assert_int_equal(field.cursor, 3);
    key(&field, KEY_HOME);
    key(&field, KEY_BACKSPACE);
    assert_string_equal(field.buf, "abcf");
    key(&field, KEY_DC);
    assert_string_equal(field.buf, "bcf");
    key(&field, KEY_END);
    key(&field, KEY_DC);
    assert_string_equal(field.buf, "bcf");
    assert_true(tui_field_key(&field, 127, false));
    assert_string_equal(field.buf, "bc");
}

static void test_field_key_wide_and_combining(void **state)
{
    struct tui_field field;

    (void)state;
    tui_field_init(&field, false);
    tui_field_set(&field, "a" CJK E_ACUTE "z");
    key(&field, KEY_LEFT); /* before z */
    key(&field, KEY_LEFT); /* before e and its accent, as one character */
    assert_int_equal(field.cursor, 4);
    key(&field, KEY_LEFT); /* before the wide character */
    assert_int_equal(field.cursor, 1);
    key(&field, KEY_RIGHT);
    key(&field, KEY_RIGHT); /* over e and its accent at once */
    assert_int_equal(field.cursor, 7);
    key(&field, KEY_BACKSPACE); /* the letter goes with its accent */
    assert_string_equal(field.buf, "a" CJK "z");
    key(&field, KEY_HOME);
    key(&field, KEY_RIGHT);
    key(&field, KEY_DC); /* all three bytes of the wide character */
    assert_string_equal(field.buf, "az");
    assert_int_equal(field.cursor, 1);
}

static void test_field_key_secret_clear(void **state)
{
    struct tui_field field;

    (void)state;
    tui_field_init(&field, true);
    type(&field, L"pw");
    key(&field, KEY_HOME);
    type(&field, L"x");
    assert_string_equal(field.buf, "xpw");
    assert_true(tui_field_key(&field, 21, false));
    assert_int_equal(field.len, 0);
    assert_int_equal(field.cursor, 0);
    tui_field_clear(&field, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_key_null),
        cmocka_unit_test(test_field_key_insert_inside),
        cmocka_unit_test(test_field_key_delete_inside),
        cmocka_unit_test(test_field_key_wide_and_combining),
        cmocka_unit_test(test_field_key_secret_clear),
    };

    return cmocka_run_group_tests(tests, setup_locale, NULL);
}
