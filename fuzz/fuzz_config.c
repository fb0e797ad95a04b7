/* libFuzzer harness for the settings file parser (tui/config.h): any
 * bytes as the file, read as the user's own and as one others may write,
 * then every lookup on what it made.
 *
 * Input: the file's bytes, NUL bytes included. The first bytes, read as a
 * key name, are also looked up. */
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz/fuzz.h"
#include "tui/config.h"

#define NAME "config"
#define KEY_BYTES 16

/* Every problem is one printable line that names the file. */
static void check_problems(const struct tui_config *cfg)
{
    size_t n = tui_config_problem_count(cfg);
    const unsigned char *c;
    size_t i;

    CHECK(n <= TUI_CONFIG_PROBLEMS_MAX + 1);
    CHECK(tui_config_problem(cfg, n) == NULL);
    for (i = 0; i < n; i++) {
        const char *text = tui_config_problem(cfg, i);

        CHECK(text != NULL);
        CHECK(strncmp(text, NAME, strlen(NAME)) == 0);
        for (c = (const unsigned char *)text; *c; c++)
            CHECK(*c >= 0x20 && *c != 0x7f);
    }
}

static void check_styles(const struct tui_config *cfg)
{
    bool mono = tui_config_theme(cfg) == TUI_CONFIG_THEME_MONO;
    struct tui_config_style c, p;
    int e;

    for (e = 0; e < TUI_CONFIG_ELEMENTS; e++) {
        c = tui_config_style(cfg, (enum tui_config_element)e, true);
        p = tui_config_style(cfg, (enum tui_config_element)e, false);
        CHECK(c.fg >= -1 && c.fg <= 7 && c.bg >= -1 && c.bg <= 7);
        CHECK(c.attrs < 16 && p.attrs < 16);
        CHECK(p.fg == TUI_CONFIG_COLOUR_DEFAULT);
        CHECK(p.bg == TUI_CONFIG_COLOUR_DEFAULT);
        CHECK(!mono || memcmp(&c, &p, sizeof(c)) == 0);
    }
}

/* Each action has keys, none typed into a form's fields by a form
 * action, and no key does two things in one scope. */
static void check_keys(const struct tui_config *cfg)
{
    const struct tui_config_key *keys;
    unsigned scope;
    size_t n, i;
    int act, s;

    for (act = 0; act < TUI_CONFIG_ACTS; act++) {
        keys = tui_config_keys(cfg, (enum tui_config_act)act, &n);
        scope = tui_config_act_scope((enum tui_config_act)act);
        CHECK(keys != NULL && n >= 1 && n <= TUI_CONFIG_KEYS_MAX);
        for (i = 0; i < n; i++) {
            CHECK(!(scope & TUI_CONFIG_SCOPE_FORM) || keys[i].is_key ||
                  keys[i].code < 0x20 || keys[i].code == 0x7f);
            for (s = TUI_CONFIG_SCOPE_MAIN; s <= TUI_CONFIG_SCOPE_FORM; s++) {
                if (scope & (unsigned)s)
                    CHECK(tui_config_action(cfg, (enum tui_config_scope)s,
                                            keys[i].code,
                                            keys[i].is_key) == act);
            }
        }
    }
}

static void check_general(const struct tui_config *cfg, bool shared)
{
    const char *server = tui_config_server(cfg);
    const char *cacert = tui_config_cacert(cfg);

    CHECK(!server || strncasecmp(server, "https://", 8) == 0);
    CHECK(!cacert || cacert[0] == '/');
    CHECK(!shared || (!server && !cacert));
    CHECK(tui_config_log_level(cfg) >= -1 && tui_config_log_level(cfg) <= 3);
}

static void fuzz_lookup(const struct tui_config *cfg, const uint8_t *data,
                        size_t size)
{
    struct tui_config_key keys[TUI_CONFIG_KEYS_MAX];
    char name[KEY_BYTES + 1];
    size_t n = size < KEY_BYTES ? size : KEY_BYTES;
    size_t got, i;

    memcpy(name, data, n);
    name[n] = '\0';
    got = tui_config_key_parse(name, keys, TUI_CONFIG_KEYS_MAX);
    CHECK(got <= TUI_CONFIG_KEYS_MAX);
    for (i = 0; i < got; i++) {
        enum tui_config_act act = tui_config_action(
            cfg, TUI_CONFIG_SCOPE_MAIN, keys[i].code, keys[i].is_key);

        CHECK(act >= TUI_CONFIG_ACT_NONE && act < TUI_CONFIG_ACTS);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* Messages are made safe by display width, as in the UI. */
    CHECK(setlocale(LC_ALL, "C.UTF-8") != NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tui_config *mine = NULL;
    struct tui_config *shared = NULL;
    const char *buf = size ? (const char *)data : "";

    if (size > TUI_CONFIG_MAX_BYTES) {
        CHECK(tui_config_parse(buf, size, NAME, 0, &mine) == BASE_E_INVALID);
        CHECK(mine == NULL);
        return 0;
    }
    CHECK(tui_config_parse(buf, size, NAME, 0, &mine) == BASE_OK);
    CHECK(tui_config_parse(buf, size, NAME, TUI_CONFIG_SHARED, &shared) ==
          BASE_OK);
    check_problems(mine);
    check_problems(shared);
    check_styles(mine);
    check_keys(mine);
    check_general(mine, false);
    check_general(shared, true);
    /* The same file read as shared only loses server and cacert. */
    CHECK(tui_config_problem_count(shared) >= tui_config_problem_count(mine));
    CHECK(tui_config_mouse(mine) == tui_config_mouse(shared));
    CHECK(tui_config_theme(mine) == tui_config_theme(shared));
    fuzz_lookup(mine, data, size);
    tui_config_free(&mine);
    tui_config_free(&shared);
    CHECK(mine == NULL && shared == NULL);
    return 0;
}
