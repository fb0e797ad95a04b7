/* The help texts of the subcommands: every line whole, within 80
 * columns, and the overview's descriptions complete sentences. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/cli.h"
#include "tui/text.h"

#define HELP_COLS 80

/* The help for command (NULL: the overview) as a new string. Written to
 * a temporary file and read back: GCC's -O3 takes a string from
 * open_memstream for a pointer to the local that received it. */
static char *help_text(const char *command, bool *found)
{
    FILE *out = tmpfile();
    char *text;
    long size;

    assert_non_null(out);
    *found = tui_cli_usage(out, command);
    size = ftell(out);
    assert_true(size >= 0);
    text = calloc((size_t)size + 1, 1);
    assert_non_null(text);
    rewind(out);
    assert_int_equal(fread(text, 1, (size_t)size, out), (size_t)size);
    assert_int_equal(fclose(out), 0);
    return text;
}

static bool ends_with(const char *line, const char *end)
{
    size_t n = strlen(line);
    size_t m = strlen(end);

    return n >= m && strcmp(line + n - m, end) == 0;
}

/* Fails when a line is wider than 80 columns, ends in an ellipsis
 * (a cut) or in a space. */
static void check_lines(const char *command, char *text)
{
    char *save = NULL;
    char *line;

    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (tui_text_width(line) > HELP_COLS || ends_with(line, "...") ||
            ends_with(line, "\xe2\x80\xa6") || ends_with(line, " "))
            fail_msg("help for %s: bad line (%d columns): '%s'",
                     command ? command : "(overview)", tui_text_width(line),
                     line);
    }
}

static void test_cli_usage_unknown_command(void **state)
{
    bool found = true;
    char *text;

    (void)state;
    text = help_text("no-such-command", &found);
    assert_false(found);
    assert_string_equal(text, "");
    free(text);
    assert_null(tui_cli_command_name((size_t)-1));
}

static void test_cli_usage_lines_fit(void **state)
{
    const char *name;
    bool found = false;
    char *text;
    size_t i;

    (void)state;
    text = help_text(NULL, &found);
    assert_true(found);
    check_lines(NULL, text);
    free(text);
    for (i = 0; (name = tui_cli_command_name(i)) != NULL; i++) {
        text = help_text(name, &found);
        assert_true(found);
        assert_non_null(strstr(text, "Usage: bezala "));
        check_lines(name, text);
        free(text);
    }
    assert_true(i >= 10);
}

/* In the overview each command's description, over however many lines,
 * ends with a full stop: nothing is cut off mid-sentence. */
static void test_cli_usage_overview_whole_sentences(void **state)
{
    bool found = false;
    char *text;
    char *list;
    char *save = NULL;
    char *line;
    char last[256] = "";
    size_t entries = 0;

    (void)state;
    text = help_text(NULL, &found);
    for (entries = 0; tui_cli_command_name(entries); entries++)
        assert_non_null(strstr(text, tui_cli_command_name(entries)));
    entries = 0;
    list = strstr(text, "Commands:\n");
    assert_non_null(list);
    *strstr(list, "\n\n") = '\0';
    strtok_r(list, "\n", &save);
    for (line = strtok_r(NULL, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == ' ' && line[1] == ' ' && line[2] != ' ') {
            if (entries > 0 && !ends_with(last, "."))
                fail_msg("cut off: '%s'", last);
            entries++;
        }
        snprintf(last, sizeof(last), "%s", line);
    }
    assert_true(ends_with(last, "."));
    /* one entry per command: none merged into another's lines */
    assert_non_null(tui_cli_command_name(entries - 1));
    assert_null(tui_cli_command_name(entries));
    free(text);
}

/* Each view's help offers only what it takes: no --state where it is
 * refused, no state that can never match. */
static void test_cli_usage_views_offer_what_works(void **state)
{
    bool found = false;
    char *text;

    (void)state;
    text = help_text("archive", &found);
    assert_true(found);
    assert_null(strstr(text, "--state"));
    assert_non_null(strstr(text, "--limit"));
    free(text);
    text = help_text("approvals", &found);
    assert_non_null(strstr(text, "reviewing"));
    assert_null(strstr(text, "queue"));
    assert_null(strstr(text, "accounted"));
    free(text);
    text = help_text("users", &found);
    assert_non_null(strstr(text, "money_checker"));
    free(text);
    text = help_text("export", &found);
    assert_non_null(strstr(text, "counted last"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_usage_unknown_command),
        cmocka_unit_test(test_cli_usage_lines_fit),
        cmocka_unit_test(test_cli_usage_overview_whole_sentences),
        cmocka_unit_test(test_cli_usage_views_offer_what_works),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
