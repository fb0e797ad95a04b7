/* The command line: global options anywhere, the environment behind
 * them, https only, usage errors, commands' flags and the directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <stdio.h>
#include <sys/stat.h>

#include "base/log.h"
#include "core/sso.h"
#include "tui/config.h"
#include "tui/options.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static const char *const env_names[] = {
    "BEZALA_SERVER", "BEZALA_CACERT", "BEZALA_HOME",     "BEZALA_ACCOUNT",
    "BEZALA_LOG",    "XDG_DATA_HOME", "XDG_CONFIG_HOME", "BEZALA_PIN_COMPANY"};

static int clean_env(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
        unsetenv(env_names[i]);
    setenv("HOME", "/home/tester", 1);
    return 0;
}

static void test_options_parse_null(void **state)
{
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(tui_options_parse(1, NULL, &opts, err, sizeof(err)),
                     BASE_E_INVALID);
    assert_int_equal(tui_options_parse(0, NULL, NULL, err, sizeof(err)),
                     BASE_E_INVALID);
    assert_int_equal(tui_options_parse(0, NULL, &opts, NULL, 0),
                     BASE_E_INVALID);
}

static void test_options_parse_defaults(void **state)
{
    char *argv[] = {"bezala", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_string_equal(opts.server, "https://app.bezala.com");
    assert_null(opts.cacert);
    assert_null(opts.home);
    assert_null(opts.account);
    assert_null(opts.log_file);
    assert_int_equal(opts.log_level, BASE_LOG_WARN);
    assert_false(opts.demo);
    assert_int_equal(opts.argc, 0);
    tui_options_clear(&opts);
}

static void test_options_parse_anywhere(void **state)
{
    char *argv[] = {
        "bezala",        "users",  "--json", "--server", "https://127.0.0.1:9",
        "--home=/tmp/h", "--demo", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:9");
    assert_string_equal(opts.home, "/tmp/h");
    assert_true(opts.demo);
    assert_int_equal(opts.argc, 2);
    assert_string_equal(opts.argv[0], "users");
    assert_string_equal(opts.argv[1], "--json");
    assert_null(opts.argv[2]);
    tui_options_clear(&opts);
}

static void test_options_parse_env_then_option(void **state)
{
    char *plain[] = {"bezala", "whoami", NULL};
    char *given[] = {"bezala",   "--account",           "b@example.test",
                     "--server", "https://127.0.0.1:2", "whoami",
                     NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    setenv("BEZALA_SERVER", "https://127.0.0.1:1", 1);
    setenv("BEZALA_ACCOUNT", "a@example.test", 1);
    setenv("BEZALA_CACERT", "/tmp/ca.pem", 1);
    assert_int_equal(
        tui_options_parse(ARGC(plain), plain, &opts, err, sizeof(err)),
        BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:1");
    assert_string_equal(opts.account, "a@example.test");
    assert_string_equal(opts.cacert, "/tmp/ca.pem");
    tui_options_clear(&opts);
    assert_int_equal(
        tui_options_parse(ARGC(given), given, &opts, err, sizeof(err)),
        BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:2");
    assert_string_equal(opts.account, "b@example.test");
    assert_string_equal(opts.cacert, "/tmp/ca.pem");
    tui_options_clear(&opts);
}

static void test_options_parse_http_refused(void **state)
{
    char *argv[] = {"bezala", "--server", "http://127.0.0.1:8080", NULL};
    char *env_argv[] = {"bezala", NULL};
    struct tui_options opts = {0};
    char err[256];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
        BASE_E_USAGE);
    assert_non_null(strstr(err, "http"));
    assert_null(opts.argv);
    setenv("BEZALA_SERVER", "HTTP://127.0.0.1", 1);
    assert_int_equal(
        tui_options_parse(ARGC(env_argv), env_argv, &opts, err, sizeof(err)),
        BASE_E_USAGE);
}

/* An option given an empty value is a usage error that names it. */
static void test_options_parse_empty_value_refused(void **state)
{
    char *forms[][5] = {
        {"bezala", "--home", "", "whoami", NULL},
        {"bezala", "--home=", "whoami", NULL, NULL},
        {"bezala", "--server", "", "whoami", NULL},
        {"bezala", "--cacert=", "whoami", NULL, NULL},
        {"bezala", "--log", "", "whoami", NULL},
        {"bezala", "--account=", "whoami", NULL, NULL},
    };
    struct tui_options opts = {0};
    char err[256];
    char name[32];
    int argc;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        for (argc = 0; forms[i][argc]; argc++)
            ;
        err[0] = '\0';
        assert_int_equal(
            tui_options_parse(argc, forms[i], &opts, err, sizeof(err)),
            BASE_E_USAGE);
        assert_non_null(strstr(err, "needs a value, not an empty string"));
        /* The option's own name, without "=". */
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(forms[i][1], "="),
                 forms[i][1]);
        assert_non_null(strstr(err, name));
    }
}

static void test_options_check_server_forms(void **state)
{
    char err[256];

    (void)state;
    assert_int_equal(tui_options_check_server(NULL, err, sizeof(err)),
                     BASE_E_USAGE);
    assert_int_equal(tui_options_check_server("ftp://x", err, sizeof(err)),
                     BASE_E_USAGE);
    assert_int_equal(tui_options_check_server("https://", err, sizeof(err)),
                     BASE_E_USAGE);
    assert_int_equal(tui_options_check_server("127.0.0.1", err, sizeof(err)),
                     BASE_E_USAGE);
    assert_int_equal(
        tui_options_check_server("https://127.0.0.1:4", err, sizeof(err)),
        BASE_OK);
}

static void test_options_parse_unknown_option(void **state)
{
    char *argv[] = {"bezala", "--frobnicate", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
        BASE_E_USAGE);
    assert_non_null(strstr(err, "--frobnicate"));
}

static void test_options_parse_missing_value(void **state)
{
    char *argv[] = {"bezala", "whoami", "--server", NULL};
    char *level[] = {"bezala", "--log-level", "loud", NULL};
    char *flag_value[] = {"bezala", "--demo=yes", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
        BASE_E_USAGE);
    assert_non_null(strstr(err, "--server"));
    assert_int_equal(
        tui_options_parse(ARGC(level), level, &opts, err, sizeof(err)),
        BASE_E_USAGE);
    assert_int_equal(tui_options_parse(ARGC(flag_value), flag_value, &opts, err,
                                       sizeof(err)),
                     BASE_E_USAGE);
}

static void test_options_parse_log_level(void **state)
{
    char *argv[] = {"bezala", "--log-level", "debug", "--log", "/tmp/l", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_int_equal(opts.log_level, BASE_LOG_DEBUG);
    assert_string_equal(opts.log_file, "/tmp/l");
    tui_options_clear(&opts);
}

static void test_options_command_null(void **state)
{
    size_t n = 0;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_command(0, NULL, NULL, 0, NULL, 0, &n, err, sizeof(err)),
        BASE_E_INVALID);
}

static void test_options_command_flags(void **state)
{
    char *argv[] = {"receipts", "--state=approved", "--json", "--limit", "5",
                    NULL};
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0},
                                       {"--state", true, NULL, 0},
                                       {"--limit", true, NULL, 0}};
    size_t n = 9;
    char err[128];

    (void)state;
    assert_int_equal(tui_options_command(ARGC(argv), argv, flags, 3, NULL, 0,
                                         &n, err, sizeof(err)),
                     BASE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(flags[0].seen, 1);
    assert_string_equal(flags[1].value, "approved");
    assert_string_equal(flags[2].value, "5");
}

static void test_options_command_unknown(void **state)
{
    char *argv[] = {"users", "--jsn", NULL};
    char *extra[] = {"users", "surplus", NULL};
    char *missing[] = {"receipts", "--state", NULL};
    struct tui_options_flag flags[] = {{"--json", false, NULL, 0},
                                       {"--state", true, NULL, 0}};
    size_t n = 0;
    char err[128];

    (void)state;
    assert_int_equal(tui_options_command(ARGC(argv), argv, flags, 2, NULL, 0,
                                         &n, err, sizeof(err)),
                     BASE_E_USAGE);
    assert_non_null(strstr(err, "--jsn"));
    assert_int_equal(tui_options_command(ARGC(extra), extra, flags, 2, NULL, 0,
                                         &n, err, sizeof(err)),
                     BASE_E_USAGE);
    assert_int_equal(tui_options_command(ARGC(missing), missing, flags, 2, NULL,
                                         0, &n, err, sizeof(err)),
                     BASE_E_USAGE);
}

static void test_options_command_positional(void **state)
{
    char *argv[] = {"switch", "--", "-odd name", NULL};
    const char *pos[1] = {NULL};
    size_t n = 0;
    char err[128];

    (void)state;
    assert_int_equal(tui_options_command(ARGC(argv), argv, NULL, 0, pos, 1, &n,
                                         err, sizeof(err)),
                     BASE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(pos[0], "-odd name");
}

static void test_options_dirs_null(void **state)
{
    char *data = NULL;
    char *key = NULL;

    (void)state;
    assert_int_equal(tui_options_dirs(NULL, &data, &key), BASE_E_INVALID);
    assert_null(data);
}

static void test_options_dirs_defaults_and_home(void **state)
{
    struct tui_options opts = {0};
    char *data = NULL;
    char *key = NULL;

    (void)state;
    assert_int_equal(tui_options_dirs(&opts, &data, &key), BASE_OK);
    assert_string_equal(data, "/home/tester/.local/share/bezala");
    assert_string_equal(key, "/home/tester/.config/bezala");
    free(data);
    free(key);
    setenv("XDG_DATA_HOME", "/x/data", 1);
    setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
    assert_int_equal(tui_options_dirs(&opts, &data, &key), BASE_OK);
    assert_string_equal(data, "/x/data/bezala");
    assert_string_equal(key, "/home/tester/.config/bezala");
    free(data);
    free(key);
    opts.home = "/srv/b";
    assert_int_equal(tui_options_dirs(&opts, &data, &key), BASE_OK);
    assert_string_equal(data, "/srv/b");
    assert_string_equal(key, "/srv/b");
    free(data);
    free(key);
}

static void test_options_parse_vault_defaults(void **state)
{
    char *argv[] = {"bezala", "whoami", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_int_equal(opts.passphrase_fd, -1);
    assert_int_equal(opts.new_passphrase_fd, -1);
    assert_false(opts.pin_company);
    tui_options_clear(&opts);
}

static void test_options_parse_passphrase_fd_anywhere(void **state)
{
    char *argv[] = {
        "bezala",   "vault",           "passphrase", "--new-passphrase-fd=4",
        "--remove", "--passphrase-fd", "3",          NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_int_equal(opts.passphrase_fd, 3);
    assert_int_equal(opts.new_passphrase_fd, 4);
    assert_int_equal(opts.argc, 3);
    assert_string_equal(opts.argv[2], "--remove");
    tui_options_clear(&opts);
}

static void test_options_parse_passphrase_fd_invalid(void **state)
{
    static char *bad[] = {"x", "-1", "", "3x", "65536", "99999999999999999999",
                          " 3"};
    char *argv[] = {"bezala", "--passphrase-fd", NULL, "whoami", NULL};
    struct tui_options opts;
    char err[128];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        argv[2] = bad[i];
        err[0] = '\0';
        assert_int_equal(
            tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
            BASE_E_USAGE);
        assert_non_null(strstr(err, "--passphrase-fd"));
    }
}

static void test_options_parse_passphrase_fd_same(void **state)
{
    char *argv[] = {
        "bezala", "--passphrase-fd", "5",          "--new-passphrase-fd",
        "5",      "vault",           "passphrase", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
        BASE_E_USAGE);
    assert_non_null(strstr(err, "different"));
}

static void test_options_fd_null(void **state)
{
    char err[64];
    int fd = 7;

    (void)state;
    assert_int_equal(tui_options_fd(NULL, "1", &fd, err, sizeof(err)),
                     BASE_E_INVALID);
    assert_int_equal(tui_options_fd("--x", "1", NULL, err, sizeof(err)),
                     BASE_E_INVALID);
    assert_int_equal(tui_options_fd("--x", NULL, &fd, err, sizeof(err)),
                     BASE_E_USAGE);
    assert_int_equal(fd, 7);
    assert_int_equal(tui_options_fd("--x", "0", &fd, err, sizeof(err)),
                     BASE_OK);
    assert_int_equal(fd, 0);
    assert_int_equal(tui_options_fd("--x", "65535", &fd, err, sizeof(err)),
                     BASE_OK);
    assert_int_equal(fd, 65535);
}

static void test_options_parse_pin_company(void **state)
{
    static const char *const yes[] = {"1", "yes", "TRUE", "on"};
    static const char *const no[] = {"0", "no", "false", "off", ""};
    char *argv[] = {"bezala", "users", NULL};
    char *flag[] = {"bezala", "users", "--pin-company", NULL};
    struct tui_options opts;
    char err[128];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        setenv("BEZALA_PIN_COMPANY", yes[i], 1);
        assert_int_equal(
            tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
            BASE_OK);
        assert_true(opts.pin_company);
        tui_options_clear(&opts);
    }
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        setenv("BEZALA_PIN_COMPANY", no[i], 1);
        assert_int_equal(
            tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
            BASE_OK);
        assert_false(opts.pin_company);
        tui_options_clear(&opts);
    }
    assert_int_equal(
        tui_options_parse(ARGC(flag), flag, &opts, err, sizeof(err)), BASE_OK);
    assert_true(opts.pin_company);
    assert_int_equal(opts.argc, 1);
    tui_options_clear(&opts);
    setenv("BEZALA_PIN_COMPANY", "maybe", 1);
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
        BASE_E_USAGE);
    assert_non_null(strstr(err, "BEZALA_PIN_COMPANY"));
}

static void test_options_login_null(void **state)
{
    char *argv[] = {"login", NULL};
    struct tui_options_login lo;
    char err[128];

    (void)state;
    assert_int_equal(tui_options_login(1, argv, NULL, err, sizeof(err)),
                     BASE_E_INVALID);
    assert_int_equal(tui_options_login(1, argv, &lo, NULL, 0), BASE_E_INVALID);
    assert_int_equal(tui_options_login(0, NULL, &lo, err, sizeof(err)),
                     BASE_E_INVALID);
}

static void test_options_login_password(void **state)
{
    char *argv[] = {"login",          "--email", "a@b.test", "--password-stdin",
                    "--service-user", NULL};
    struct tui_options_login lo;
    char err[128];

    (void)state;
    assert_int_equal(tui_options_login(ARGC(argv), argv, &lo, err, sizeof(err)),
                     BASE_OK);
    assert_string_equal(lo.email, "a@b.test");
    assert_true(lo.password_stdin);
    assert_true(lo.service_user);
    assert_int_equal(lo.sso, -1);
    assert_false(lo.sso_token_stdin);
}

static void test_options_login_sso_values(void **state)
{
    static char *names[] = {"google", "Microsoft", "OKTA"};
    static const int want[] = {CORE_SSO_GOOGLE, CORE_SSO_MICROSOFT,
                               CORE_SSO_OKTA};
    char *argv[] = {"login",
                    "--sso",
                    NULL,
                    "--sso-token-stdin",
                    "--okta-url",
                    "https://o.test",
                    "--company-name",
                    "C Oy",
                    NULL};
    struct tui_options_login lo;
    char err[128];
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        int argc = want[i] == CORE_SSO_OKTA ? ARGC(argv) : 4;

        argv[2] = names[i];
        assert_int_equal(tui_options_login(argc, argv, &lo, err, sizeof(err)),
                         BASE_OK);
        assert_int_equal(lo.sso, want[i]);
        assert_true(lo.sso_token_stdin);
    }
    assert_string_equal(lo.okta_url, "https://o.test");
    assert_string_equal(lo.company_name, "C Oy");
}

static void expect_login_usage(char **argv, int argc, const char *reason)
{
    struct tui_options_login lo = {.sso = 42};
    char err[160] = "";

    assert_int_equal(tui_options_login(argc, argv, &lo, err, sizeof(err)),
                     BASE_E_USAGE);
    assert_non_null(strstr(err, reason));
    assert_int_equal(lo.sso, 42);
}

static void test_options_login_refusals(void **state)
{
    char *unknown[] = {"login", "--sso", "facebook", NULL};
    char *empty[] = {"login", "--sso=", NULL};
    char *both[] = {"login", "--sso", "google", "--password-stdin", NULL};
    char *token[] = {"login", "--sso-token-stdin", NULL};
    char *url[] = {"login", "--sso", "google", "--okta-url", "https://o", NULL};
    char *okta[] = {"login", "--sso", "okta", "--okta-url", "https://o", NULL};
    char *plain[] = {"login", "--company-name", "C", NULL};

    (void)state;
    expect_login_usage(unknown, ARGC(unknown), "google, microsoft or okta");
    expect_login_usage(empty, ARGC(empty), "google, microsoft or okta");
    expect_login_usage(both, ARGC(both), "--sso-token-stdin");
    expect_login_usage(token, ARGC(token), "needs --sso");
    expect_login_usage(url, ARGC(url), "are for --sso okta");
    expect_login_usage(okta, ARGC(okta), "--company-name N");
    expect_login_usage(plain, ARGC(plain), "are for --sso okta");
}

/* ---- the settings file in the key directory ---- */

static char config_home[64];

static int make_config_home(void **state)
{
    (void)state;
    snprintf(config_home, sizeof(config_home), "/tmp/bezala-opts-XXXXXX");
    return mkdtemp(config_home) ? 0 : -1;
}

static int remove_config_home(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", config_home);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes in_dir/config, mode 0600. */
static void write_config(const char *in_dir, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/config", in_dir);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0600), 0);
}

static const char full_config[] = "[general]\n"
                                  "server = https://127.0.0.1:7001\n"
                                  "cacert = /tmp/file-ca.pem\n"
                                  "account = file@example.com\n"
                                  "log_level = debug\n"
                                  "mouse = off\n";

static void test_options_parse_config_null(void **state)
{
    char *argv[] = {"bezala", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    /* No home at all: no file is read, and the defaults hold. */
    unsetenv("HOME");
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_non_null(opts.config);
    assert_int_equal(tui_config_problem_count(opts.config), 0);
    assert_string_equal(opts.server, TUI_OPTIONS_DEFAULT_SERVER);
    tui_options_clear(&opts);
    assert_null(opts.config);
}

/* The file fills what neither an option nor the environment gave. */
static void test_options_parse_config_fills(void **state)
{
    char *argv[] = {"bezala", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    write_config(config_home, full_config);
    setenv("BEZALA_HOME", config_home, 1);
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:7001");
    assert_string_equal(opts.cacert, "/tmp/file-ca.pem");
    assert_string_equal(opts.account, "file@example.com");
    assert_int_equal(opts.log_level, BASE_LOG_DEBUG);
    assert_false(tui_config_mouse(opts.config));
    tui_options_clear(&opts);
}

/* Option > environment > file > default, key by key. */
static void test_options_parse_config_precedence(void **state)
{
    char *argv[] = {"bezala",
                    "--home",
                    config_home,
                    "--server",
                    "https://127.0.0.1:7003",
                    "--log-level",
                    "error",
                    NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    write_config(config_home, full_config);
    setenv("BEZALA_SERVER", "https://127.0.0.1:7002", 1);
    setenv("BEZALA_CACERT", "/tmp/env-ca.pem", 1);
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:7003");
    assert_string_equal(opts.cacert, "/tmp/env-ca.pem");
    assert_string_equal(opts.account, "file@example.com");
    assert_int_equal(opts.log_level, BASE_LOG_ERROR);
    tui_options_clear(&opts);
    /* Without the option the environment wins over the file. */
    argv[3] = NULL;
    assert_int_equal(tui_options_parse(3, argv, &opts, err, sizeof(err)),
                     BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:7002");
    assert_int_equal(opts.log_level, BASE_LOG_DEBUG);
    tui_options_clear(&opts);
}

/* Without --home the file is $XDG_CONFIG_HOME/bezala/config. */
static void test_options_parse_config_xdg(void **state)
{
    char *argv[] = {"bezala", NULL};
    char sub[128];
    struct tui_options opts;
    char err[128];

    (void)state;
    snprintf(sub, sizeof(sub), "%s/bezala", config_home);
    assert_true(mkdir(sub, 0700) == 0 || access(sub, F_OK) == 0);
    write_config(sub, "[general]\nserver = https://127.0.0.1:7004\n");
    setenv("XDG_CONFIG_HOME", config_home, 1);
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:7004");
    tui_options_clear(&opts);
}

/* A bad file is never fatal: the entry keeps its default and the problem
 * waits in opts.config. */
static void test_options_parse_config_bad(void **state)
{
    char *argv[] = {"bezala", "--home", config_home, "accounts", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    write_config(config_home, "[general]\nlog_level = loud\n");
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_string_equal(opts.server, TUI_OPTIONS_DEFAULT_SERVER);
    assert_int_equal(opts.log_level, BASE_LOG_WARN);
    assert_int_equal(tui_config_problem_count(opts.config), 1);
    assert_non_null(strstr(tui_config_problem(opts.config, 0),
                           "config line 2: unknown log_level"));
    tui_options_clear(&opts);
}

/* A server the file names but that cannot be used stops the command: the
 * default server must not receive the token meant for another. */
static void test_options_parse_config_server_refused(void **state)
{
    const char *bad[] = {"server = http://127.0.0.1\n",
                         "server = https://a b\n",
                         "server = https://127.0.0.1:99999\n"};
    char *argv[] = {"bezala", "--home", config_home, "accounts", NULL};
    char *given[] = {
        "bezala",   "--home", config_home, "--server", "https://127.0.0.1:7005",
        "accounts", NULL};
    struct tui_options opts;
    char text[128];
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "[general]\n%s", bad[i]);
        write_config(config_home, text);
        assert_int_equal(
            tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
            BASE_E_USAGE);
        assert_non_null(strstr(err, "line 2"));
        assert_non_null(strstr(err, "--server"));
        assert_int_equal(
            tui_options_parse(ARGC(given), given, &opts, err, sizeof(err)),
            BASE_OK);
        assert_string_equal(opts.server, "https://127.0.0.1:7005");
        assert_int_equal(tui_config_problem_count(opts.config), 1);
        tui_options_clear(&opts);
    }
}

/* A config file that is there but cannot be read at all may name a
 * server: the default must not stand in for it either. help and the
 * version still answer, with no server. */
static void test_options_parse_config_unread(void **state)
{
    char *argv[] = {"bezala", "--home", config_home, "accounts", NULL};
    char *help[] = {"bezala", "--home", config_home, "help", NULL};
    char *version[] = {"bezala", "--home", config_home, "--version", NULL};
    char *given[] = {
        "bezala",   "--home", config_home, "--server", "https://127.0.0.1:7007",
        "accounts", NULL};
    struct tui_options opts;
    char path[600];
    char err[256];

    (void)state;
    snprintf(path, sizeof(path), "%s/config", config_home);
    unlink(path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
        BASE_E_USAGE);
    assert_non_null(strstr(err, "is not a regular file"));
    assert_non_null(strstr(err, "--server"));
    assert_int_equal(
        tui_options_parse(ARGC(help), help, &opts, err, sizeof(err)), BASE_OK);
    assert_null(opts.server);
    tui_options_clear(&opts);
    assert_int_equal(
        tui_options_parse(ARGC(version), version, &opts, err, sizeof(err)),
        BASE_OK);
    tui_options_clear(&opts);
    assert_int_equal(
        tui_options_parse(ARGC(given), given, &opts, err, sizeof(err)),
        BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:7007");
    tui_options_clear(&opts);
    assert_int_equal(rmdir(path), 0);
}

/* A config file in a folder others may write could be swapped for
 * theirs: its server is refused, even through a symbolic link. */
static void test_options_parse_config_shared_folder(void **state)
{
    char *argv[] = {"bezala", "--home", config_home, "accounts", NULL};
    struct tui_options opts;
    char shared[512];
    char target[600];
    char link[600];
    char err[256];

    (void)state;
    snprintf(shared, sizeof(shared), "%s/shared", config_home);
    assert_true(mkdir(shared, 0700) == 0 || access(shared, F_OK) == 0);
    assert_int_equal(chmod(shared, 0777), 0);
    write_config(shared, "[general]\nserver = https://127.0.0.1:7006\n");
    snprintf(target, sizeof(target), "%s/config", shared);
    snprintf(link, sizeof(link), "%s/config", config_home);
    unlink(link);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)),
        BASE_E_USAGE);
    assert_non_null(strstr(err, "others may write"));
    assert_int_equal(chmod(shared, 0700), 0);
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_string_equal(opts.server, "https://127.0.0.1:7006");
    tui_options_clear(&opts);
    unlink(link);
}

/* The demo brings its own server, CA and accounts. */
static void test_options_parse_config_demo(void **state)
{
    char *argv[] = {"bezala", "--home", config_home, "--demo", NULL};
    struct tui_options opts;
    char err[128];

    (void)state;
    write_config(config_home, full_config);
    assert_int_equal(
        tui_options_parse(ARGC(argv), argv, &opts, err, sizeof(err)), BASE_OK);
    assert_string_equal(opts.server, TUI_OPTIONS_DEFAULT_SERVER);
    assert_null(opts.cacert);
    assert_null(opts.account);
    assert_int_equal(opts.log_level, BASE_LOG_DEBUG);
    assert_false(tui_config_mouse(opts.config));
    tui_options_clear(&opts);
}

#define T(f) cmocka_unit_test_setup(f, clean_env)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_options_parse_null),
        T(test_options_parse_defaults),
        T(test_options_parse_anywhere),
        T(test_options_parse_env_then_option),
        T(test_options_parse_http_refused),
        T(test_options_parse_empty_value_refused),
        T(test_options_check_server_forms),
        T(test_options_parse_unknown_option),
        T(test_options_parse_missing_value),
        T(test_options_parse_log_level),
        T(test_options_command_null),
        T(test_options_command_flags),
        T(test_options_command_unknown),
        T(test_options_command_positional),
        T(test_options_dirs_null),
        T(test_options_dirs_defaults_and_home),
        T(test_options_parse_vault_defaults),
        T(test_options_parse_passphrase_fd_anywhere),
        T(test_options_parse_passphrase_fd_invalid),
        T(test_options_parse_passphrase_fd_same),
        T(test_options_fd_null),
        T(test_options_parse_pin_company),
        T(test_options_login_null),
        T(test_options_login_password),
        T(test_options_login_sso_values),
        T(test_options_login_refusals),
        T(test_options_parse_config_null),
        T(test_options_parse_config_fills),
        T(test_options_parse_config_precedence),
        T(test_options_parse_config_xdg),
        T(test_options_parse_config_bad),
        T(test_options_parse_config_server_refused),
        T(test_options_parse_config_unread),
        T(test_options_parse_config_shared_folder),
        T(test_options_parse_config_demo),
    };

    return cmocka_run_group_tests(tests, make_config_home, remove_config_home);
}
