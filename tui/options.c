/* Global options anywhere on the line, the environment behind them, the
 * commands' own flags, and where the store and key live. */
#include "tui/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/log.h"
#include "core/sso.h"
#include "tui/config.h"

enum global_id {
    OPT_SERVER,
    OPT_CACERT,
    OPT_HOME,
    OPT_ACCOUNT,
    OPT_LOG,
    OPT_LOG_LEVEL,
    OPT_HELP,
    OPT_VERSION,
    OPT_DEMO,
    OPT_PIN,
    OPT_PASSPHRASE_FD,
    OPT_NEW_PASSPHRASE_FD
};

struct global {
    const char *name;
    enum global_id id;
    bool takes_value;
};

static const struct global globals[] = {
    {"--server", OPT_SERVER, true},
    {"--cacert", OPT_CACERT, true},
    {"--home", OPT_HOME, true},
    {"--account", OPT_ACCOUNT, true},
    {"--log", OPT_LOG, true},
    {"--log-level", OPT_LOG_LEVEL, true},
    {"--help", OPT_HELP, false},
    {"-h", OPT_HELP, false},
    {"--version", OPT_VERSION, false},
    {"--demo", OPT_DEMO, false},
    {"--pin-company", OPT_PIN, false},
    {"--passphrase-fd", OPT_PASSPHRASE_FD, true},
    {"--new-passphrase-fd", OPT_NEW_PASSPHRASE_FD, true},
};

#define GLOBAL_COUNT (sizeof(globals) / sizeof(globals[0]))

/* The flag named by arg ("--x" or "--x=value"), or NULL; *inline_value
 * points after '=' when there is one. */
static const char *match_name(const char *arg, const char *name,
                              const char **inline_value)
{
    size_t len = strlen(name);

    if (strncmp(arg, name, len) != 0)
        return NULL;
    if (arg[len] == '\0') {
        *inline_value = NULL;
        return name;
    }
    if (arg[len] == '=' && name[1] == '-') {
        *inline_value = arg + len + 1;
        return name;
    }
    return NULL;
}

static const struct global *find_global(const char *arg,
                                        const char **inline_value)
{
    size_t i;

    for (i = 0; i < GLOBAL_COUNT; i++) {
        if (match_name(arg, globals[i].name, inline_value))
            return &globals[i];
    }
    return NULL;
}

static enum base_status set_global(struct tui_options *opts,
                                   const struct global *g, const char *value,
                                   char *err, size_t err_size)
{
    int level;

    /* An empty URL, file, folder or email names nothing; the environment
     * variable left empty means "not set" instead. */
    if (g->takes_value && value && !*value) {
        snprintf(err, err_size, "%s needs a value, not an empty string",
                 g->name);
        return BASE_E_USAGE;
    }
    switch (g->id) {
    case OPT_SERVER:
        opts->server = value;
        break;
    case OPT_CACERT:
        opts->cacert = value;
        break;
    case OPT_HOME:
        opts->home = value;
        break;
    case OPT_ACCOUNT:
        opts->account = value;
        break;
    case OPT_LOG:
        opts->log_file = value;
        break;
    case OPT_LOG_LEVEL:
        level = base_log_level_parse(value);
        if (level < 0) {
            snprintf(err, err_size,
                     "unknown log level '%s': use error, warn, info or "
                     "debug",
                     value);
            return BASE_E_USAGE;
        }
        opts->log_level = level;
        break;
    case OPT_HELP:
        opts->help = true;
        break;
    case OPT_VERSION:
        opts->version = true;
        break;
    case OPT_DEMO:
        opts->demo = true;
        break;
    case OPT_PIN:
        opts->pin_company = true;
        break;
    case OPT_PASSPHRASE_FD:
        return tui_options_fd(g->name, value, &opts->passphrase_fd, err,
                              err_size);
    case OPT_NEW_PASSPHRASE_FD:
        return tui_options_fd(g->name, value, &opts->new_passphrase_fd, err,
                              err_size);
    }
    return BASE_OK;
}

/* Handles argv[*i] when it is a global option, advancing *i past its
 * value. *taken says whether it was one. */
static enum base_status take_global(int argc, char **argv, int *i,
                                    struct tui_options *opts, bool *taken,
                                    char *err, size_t err_size)
{
    const char *value = NULL;
    const struct global *g = find_global(argv[*i], &value);

    *taken = g != NULL;
    if (!g)
        return BASE_OK;
    if (!g->takes_value && value) {
        snprintf(err, err_size, "option %s takes no value", g->name);
        return BASE_E_USAGE;
    }
    if (g->takes_value && !value) {
        if (*i + 1 >= argc) {
            snprintf(err, err_size, "option %s needs a value", g->name);
            return BASE_E_USAGE;
        }
        *i += 1;
        value = argv[*i];
    }
    return set_global(opts, g, value, err, err_size);
}

static const char *env_or(const char *value, const char *name)
{
    const char *env;

    if (value)
        return value;
    env = getenv(name);
    return env && *env ? env : NULL;
}

/* BEZALA_PIN_COMPANY: a yes or a no in the usual spellings. */
static enum base_status pin_from_environment(struct tui_options *opts,
                                             char *err, size_t err_size)
{
    static const char *const yes[] = {"1", "yes", "true", "on"};
    static const char *const no[] = {"0", "no", "false", "off", ""};
    const char *env = getenv("BEZALA_PIN_COMPANY");
    size_t i;

    if (!env || opts->pin_company)
        return BASE_OK;
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(env, yes[i]) == 0) {
            opts->pin_company = true;
            return BASE_OK;
        }
    }
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        if (strcasecmp(env, no[i]) == 0)
            return BASE_OK;
    }
    snprintf(err, err_size, "BEZALA_PIN_COMPANY='%.40s' is neither 1 nor 0",
             env);
    return BASE_E_USAGE;
}

static void apply_environment(struct tui_options *opts)
{
    opts->server = env_or(opts->server, "BEZALA_SERVER");
    opts->cacert = env_or(opts->cacert, "BEZALA_CACERT");
    opts->home = env_or(opts->home, "BEZALA_HOME");
    opts->account = env_or(opts->account, "BEZALA_ACCOUNT");
    opts->log_file = env_or(opts->log_file, "BEZALA_LOG");
}

static char *join_path(const char *base, const char *tail);

/* The settings file of the key directory fills what the command line and
 * the environment left open; then the built-in defaults. A server the
 * file names but that is refused, or a file that could not be read at
 * all, stops the command: the default must not stand in for the server
 * the user chose. With lenient, opts->server is left NULL instead. */
static enum base_status apply_config(struct tui_options *opts, bool lenient,
                                     char *err, size_t err_size)
{
    struct tui_config *cfg = NULL;
    enum base_status result;
    const char *why = NULL;
    const char *unread;
    bool refused;
    int line;
    char *data_dir = NULL;
    char *key_dir = NULL;
    char *path = NULL;

    if (tui_options_dirs(opts, &data_dir, &key_dir) == BASE_OK)
        path = join_path(key_dir, "config");
    result = path ? tui_config_load(path, &cfg) : tui_config_new(&cfg);
    free(data_dir);
    free(key_dir);
    free(path);
    if (result != BASE_OK)
        return result;
    /* The demo brings its own server, CA and accounts. */
    line = tui_config_server_refused(cfg, &why);
    unread = tui_config_unread(cfg);
    refused = !opts->demo && !opts->server && (line > 0 || unread);
    opts->server_refused = lenient && refused;
    if (refused && !lenient) {
        /* Falling back to the default would send the token to another
         * server than the one the user chose. */
        if (line > 0)
            snprintf(err, err_size,
                     "the server on line %d of the config file is not used "
                     "(%s): fix it there or give --server",
                     line, why);
        else
            snprintf(err, err_size,
                     "the config file %s, so the server it may name is not "
                     "known: fix the file or give --server",
                     unread);
        tui_config_free(&cfg);
        return BASE_E_USAGE;
    }
    if (!opts->demo && !opts->server)
        opts->server = tui_config_server(cfg);
    if (!opts->demo && !opts->cacert)
        opts->cacert = tui_config_cacert(cfg);
    if (!opts->demo && !opts->account)
        opts->account = tui_config_account(cfg);
    if (opts->log_level < 0)
        opts->log_level = tui_config_log_level(cfg);
    if (opts->log_level < 0)
        opts->log_level = BASE_LOG_WARN;
    if (!opts->server && !opts->server_refused)
        opts->server = TUI_OPTIONS_DEFAULT_SERVER;
    opts->config = cfg;
    return BASE_OK;
}

enum base_status tui_options_check_server(const char *url, char *err,
                                          size_t err_size)
{
    if (!url || !*url) {
        snprintf(err, err_size, "no server URL given");
        return BASE_E_USAGE;
    }
    if (strncasecmp(url, "http://", 7) == 0) {
        snprintf(err, err_size,
                 "refusing plain http server %s: the token would travel "
                 "unencrypted; use https://",
                 url);
        return BASE_E_USAGE;
    }
    if (strncasecmp(url, "https://", 8) != 0 || url[8] == '\0' ||
        url[8] == '/') {
        snprintf(err, err_size,
                 "server URL %s is not an https:// URL with a host", url);
        return BASE_E_USAGE;
    }
    return BASE_OK;
}

/* Splits argv into global options (into opts) and the rest (into
 * rest, which has room for argc entries). */
static enum base_status split_args(int argc, char **argv,
                                   struct tui_options *opts, char **rest,
                                   int *nrest, char *err, size_t err_size)
{
    enum base_status result = BASE_OK;
    bool after_dashes = false;
    bool taken = false;
    int i;

    *nrest = 0;
    for (i = 1; i < argc && result == BASE_OK; i++) {
        taken = false;
        if (!after_dashes)
            result = take_global(argc, argv, &i, opts, &taken, err, err_size);
        if (result != BASE_OK || taken)
            continue;
        if (strcmp(argv[i], "--") == 0)
            after_dashes = true;
        rest[(*nrest)++] = argv[i];
    }
    return result;
}

enum base_status tui_options_parse(int argc, char **argv,
                                   struct tui_options *out, char *err,
                                   size_t err_size)
{
    struct tui_options opts = {
        .log_level = -1, .passphrase_fd = -1, .new_passphrase_fd = -1};
    enum base_status result = BASE_OK;
    char **rest = NULL;
    int nrest = 0;

    if (!out || !err || err_size == 0 || (argc > 0 && !argv))
        return BASE_E_INVALID;
    err[0] = '\0';
    rest = calloc((size_t)(argc > 0 ? argc : 1) + 1, sizeof(*rest));
    if (!rest)
        return BASE_E_NOMEM;
    result = split_args(argc, argv, &opts, rest, &nrest, err, err_size);
    if (result != BASE_OK)
        goto out;
    apply_environment(&opts);
    result = pin_from_environment(&opts, err, err_size);
    /* doctor reports a refused server as one of its checks; help and
     * the version need no server. */
    if (result == BASE_OK)
        result =
            apply_config(&opts,
                         opts.help || opts.version ||
                             (nrest > 0 && (strcmp(rest[0], "doctor") == 0 ||
                                            strcmp(rest[0], "help") == 0)),
                         err, err_size);
    if (result == BASE_OK && opts.passphrase_fd >= 0 &&
        opts.passphrase_fd == opts.new_passphrase_fd) {
        snprintf(err, err_size,
                 "--passphrase-fd and --new-passphrase-fd need two "
                 "different descriptors");
        result = BASE_E_USAGE;
    }
    if (result == BASE_OK && !opts.server_refused)
        result = tui_options_check_server(opts.server, err, err_size);
    if (result != BASE_OK)
        goto out;
    if (nrest > 0 && rest[0][0] == '-' && strcmp(rest[0], "--") != 0) {
        snprintf(err, err_size, "unknown option %s", rest[0]);
        result = BASE_E_USAGE;
        goto out;
    }
    opts.argc = nrest;
    opts.argv = rest;
    rest = NULL;
    *out = opts;
    opts.config = NULL;
out:
    tui_config_free(&opts.config);
    free(rest);
    return result;
}

void tui_options_clear(struct tui_options *opts)
{
    if (!opts)
        return;
    free(opts->argv);
    tui_config_free(&opts->config);
    memset(opts, 0, sizeof(*opts));
}

enum base_status tui_options_fd(const char *name, const char *text, int *fd,
                                char *err, size_t err_size)
{
    char *end = NULL;
    long value;

    if (!name || !fd || !err || err_size == 0)
        return BASE_E_INVALID;
    if (!text || text[0] < '0' || text[0] > '9') {
        snprintf(err, err_size, "%s needs a descriptor number, not '%.40s'",
                 name, text ? text : "");
        return BASE_E_USAGE;
    }
    errno = 0;
    value = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value > 65535) {
        snprintf(err, err_size,
                 "%s needs a descriptor number from 0 to 65535, not "
                 "'%.40s'",
                 name, text);
        return BASE_E_USAGE;
    }
    *fd = (int)value;
    return BASE_OK;
}

static struct tui_options_flag *find_flag(const char *arg,
                                          struct tui_options_flag *flags,
                                          size_t nflags,
                                          const char **inline_value)
{
    size_t i;

    for (i = 0; i < nflags; i++) {
        if (match_name(arg, flags[i].name, inline_value))
            return &flags[i];
    }
    return NULL;
}

static enum base_status take_flag(int argc, char **argv, int *i,
                                  struct tui_options_flag *flags, size_t nflags,
                                  char *err, size_t err_size)
{
    const char *value = NULL;
    struct tui_options_flag *flag = find_flag(argv[*i], flags, nflags, &value);

    if (!flag) {
        snprintf(err, err_size, "unknown option %s for %s", argv[*i], argv[0]);
        return BASE_E_USAGE;
    }
    if (!flag->takes_value && value) {
        snprintf(err, err_size, "option %s takes no value", flag->name);
        return BASE_E_USAGE;
    }
    if (flag->takes_value && !value) {
        if (*i + 1 >= argc) {
            snprintf(err, err_size, "option %s needs a value", flag->name);
            return BASE_E_USAGE;
        }
        *i += 1;
        value = argv[*i];
    }
    flag->value = value;
    flag->seen++;
    return BASE_OK;
}

enum base_status tui_options_command(int argc, char **argv,
                                     struct tui_options_flag *flags,
                                     size_t nflags, const char **positional,
                                     size_t max, size_t *npositional, char *err,
                                     size_t err_size)
{
    enum base_status result = BASE_OK;
    bool after_dashes = false;
    size_t count = 0;
    int i;

    if (argc < 1 || !argv || !npositional || !err || err_size == 0 ||
        (nflags && !flags) || (max && !positional))
        return BASE_E_INVALID;
    for (i = 1; i < argc && result == BASE_OK; i++) {
        if (!after_dashes && strcmp(argv[i], "--") == 0) {
            after_dashes = true;
        } else if (!after_dashes && argv[i][0] == '-' && argv[i][1]) {
            result = take_flag(argc, argv, &i, flags, nflags, err, err_size);
        } else if (count >= max) {
            snprintf(err, err_size, "unexpected argument '%s' for %s", argv[i],
                     argv[0]);
            result = BASE_E_USAGE;
        } else {
            positional[count++] = argv[i];
        }
    }
    if (result == BASE_OK)
        *npositional = count;
    return result;
}

enum login_flag {
    LOGIN_EMAIL,
    LOGIN_PASSWORD_STDIN,
    LOGIN_SERVICE,
    LOGIN_SSO,
    LOGIN_TOKEN_STDIN,
    LOGIN_OKTA_URL,
    LOGIN_COMPANY,
    LOGIN_FLAGS
};

/* The combinations of login flags that make no sense, with the reason. */
static enum base_status check_login(const struct tui_options_flag *f, int sso,
                                    char *err, size_t err_size)
{
    bool okta = sso == CORE_SSO_OKTA;
    const char *reason = NULL;

    if (f[LOGIN_SSO].seen && sso < 0)
        reason = "--sso takes google, microsoft or okta";
    else if (f[LOGIN_SSO].seen && f[LOGIN_PASSWORD_STDIN].seen)
        reason = "--password-stdin is for password sign-in: with --sso "
                 "use --sso-token-stdin";
    else if (!f[LOGIN_SSO].seen && f[LOGIN_TOKEN_STDIN].seen)
        reason = "--sso-token-stdin needs --sso google|microsoft|okta";
    else if (!okta && (f[LOGIN_OKTA_URL].seen || f[LOGIN_COMPANY].seen))
        reason = "--okta-url and --company-name are for --sso okta";
    else if (okta && (!f[LOGIN_OKTA_URL].value || !*f[LOGIN_OKTA_URL].value ||
                      !f[LOGIN_COMPANY].value || !*f[LOGIN_COMPANY].value))
        reason = "--sso okta needs --okta-url U and --company-name N";
    if (!reason)
        return BASE_OK;
    snprintf(err, err_size, "%s", reason);
    return BASE_E_USAGE;
}

enum base_status tui_options_login(int argc, char **argv,
                                   struct tui_options_login *out, char *err,
                                   size_t err_size)
{
    struct tui_options_flag f[LOGIN_FLAGS] = {
        {"--email", true, NULL, 0},
        {"--password-stdin", false, NULL, 0},
        {"--service-user", false, NULL, 0},
        {"--sso", true, NULL, 0},
        {"--sso-token-stdin", false, NULL, 0},
        {"--okta-url", true, NULL, 0},
        {"--company-name", true, NULL, 0}};
    enum base_status result;
    size_t count = 0;
    int sso = -1;

    if (!out || !err || err_size == 0)
        return BASE_E_INVALID;
    result = tui_options_command(argc, argv, f, LOGIN_FLAGS, NULL, 0, &count,
                                 err, err_size);
    if (result != BASE_OK)
        return result;
    if (f[LOGIN_SSO].seen)
        sso = core_sso_provider_parse(f[LOGIN_SSO].value);
    result = check_login(f, sso, err, err_size);
    if (result != BASE_OK)
        return result;
    *out = (struct tui_options_login){
        .email = f[LOGIN_EMAIL].value,
        .password_stdin = f[LOGIN_PASSWORD_STDIN].seen > 0,
        .service_user = f[LOGIN_SERVICE].seen > 0,
        .sso = sso,
        .sso_token_stdin = f[LOGIN_TOKEN_STDIN].seen > 0,
        .okta_url = f[LOGIN_OKTA_URL].value,
        .company_name = f[LOGIN_COMPANY].value,
    };
    return BASE_OK;
}

static char *join_path(const char *base, const char *tail)
{
    size_t len = strlen(base) + strlen(tail) + 2;
    char *path = malloc(len);

    if (path)
        snprintf(path, len, "%s/%s", base, tail);
    return path;
}

/* $XDG_var/bezala when var is an absolute path, else ~/fallback/bezala. */
static char *xdg_dir(const char *var, const char *fallback)
{
    const char *xdg = getenv(var);
    const char *home = getenv("HOME");
    char *base;
    char *dir;

    if (xdg && xdg[0] == '/')
        return join_path(xdg, "bezala");
    if (!home || home[0] != '/')
        return NULL;
    base = join_path(home, fallback);
    if (!base)
        return NULL;
    dir = join_path(base, "bezala");
    free(base);
    return dir;
}

enum base_status tui_options_dirs(const struct tui_options *opts,
                                  char **data_dir, char **key_dir)
{
    char *data = NULL;
    char *key = NULL;

    if (!opts || !data_dir || !key_dir)
        return BASE_E_INVALID;
    if (opts->home) {
        data = strdup(opts->home);
        key = strdup(opts->home);
    } else {
        data = xdg_dir("XDG_DATA_HOME", ".local/share");
        key = xdg_dir("XDG_CONFIG_HOME", ".config");
    }
    if (!data || !key) {
        free(data);
        free(key);
        return opts->home ? BASE_E_NOMEM : BASE_E_STORE;
    }
    *data_dir = data;
    *key_dir = key;
    return BASE_OK;
}

enum base_status tui_options_make_dir(const char *dir, char *err,
                                      size_t err_size)
{
    enum base_status result = BASE_OK;
    char *path;
    char *p;

    if (!dir || !*dir || !err || err_size == 0)
        return BASE_E_INVALID;
    path = strdup(dir);
    if (!path)
        return BASE_E_NOMEM;
    for (p = path + 1; result == BASE_OK; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;

        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            snprintf(err, err_size, "cannot create %s: %s", path,
                     strerror(errno));
            result = BASE_E_STORE;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    free(path);
    return result;
}
