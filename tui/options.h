/* The command line and environment: global options that may stand
 * anywhere, the per-command flags, and the home directories. */
#ifndef BEZALA_TUI_OPTIONS_H
#define BEZALA_TUI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

#define TUI_OPTIONS_DEFAULT_SERVER "https://app.bezala.com"

struct tui_config;

/* Strings are borrowed from argv, the environment or config. */
struct tui_options {
    const char *server;
    const char *cacert;
    const char *home;
    const char *account;
    const char *log_file;
    int log_level; /* an enum base_log_level */
    bool help;
    bool version;
    bool demo;
    bool pin_company; /* --pin-company or BEZALA_PIN_COMPANY=1 */
    /* doctor only: the settings file's server was refused and no other
     * was given, so server is NULL (doctor reports it). */
    bool server_refused;
    int passphrase_fd;     /* --passphrase-fd N, -1 when not given */
    int new_passphrase_fd; /* --new-passphrase-fd M, -1 when not given */
    int argc;    /* the command and its own arguments, globals removed */
    char **argv; /* owned array of borrowed strings, NULL-terminated */
    /* Owned: the settings file read from the key directory (its
     * problems included); never NULL after a successful parse. */
    struct tui_config *config;
};

/* Parses argv (argv[0] is the program), the BEZALA_* environment and
 * the settings file DIR/config (DIR is the key directory of
 * tui_options_dirs): an option wins over the environment, which wins
 * over the file, which wins over the built-in default. The file's
 * server, cacert and account are not used with --demo; its problems
 * are kept in out->config, none of them fatal but a refused server when
 * no other is given (a usage error, except for the command doctor, which
 * gets server NULL and server_refused). Fills *out (clear it with
 * tui_options_clear) only on success. BASE_E_USAGE with a one-line reason
 * in err for a missing value, a server that is not https://, an unknown
 * log level, a descriptor that is not a number from 0 to 65535 (or the
 * same one for both passphrases), a BEZALA_PIN_COMPANY other than 1, 0,
 * yes, no, true, false, on, off or empty, or an unknown option before the
 * command; BASE_E_NOMEM. */
enum base_status tui_options_parse(int argc, char **argv,
                                   struct tui_options *out, char *err,
                                   size_t err_size)
    __attribute__((warn_unused_result));

void tui_options_clear(struct tui_options *opts);

/* Parses a file descriptor number (decimal, 0 to 65535) for option name
 * into *fd. BASE_E_USAGE with the reason in err otherwise. */
enum base_status tui_options_fd(const char *name, const char *text, int *fd,
                                char *err, size_t err_size)
    __attribute__((warn_unused_result));

/* What `bezala login` was asked to do; strings borrowed from argv. */
struct tui_options_login {
    const char *email;
    bool password_stdin;
    bool service_user;
    int sso; /* an enum core_sso_provider, -1 for password */
    bool sso_token_stdin;
    const char *okta_url;     /* Okta only */
    const char *company_name; /* Okta only */
};

/* Parses login's own arguments (argv[0] is "login"): --email E,
 * --password-stdin, --service-user, --sso google|microsoft|okta,
 * --sso-token-stdin, --okta-url U, --company-name N. BASE_E_USAGE with
 * the reason in err for an unknown provider, --password-stdin with
 * --sso, --sso-token-stdin without it, --okta-url or --company-name
 * without --sso okta, Okta without both of them, or what
 * tui_options_command refuses. *out is set only on success. */
enum base_status tui_options_login(int argc, char **argv,
                                   struct tui_options_login *out, char *err,
                                   size_t err_size)
    __attribute__((warn_unused_result));

/* BASE_OK for an https:// URL with a host; BASE_E_USAGE with the reason
 * in err otherwise (plain http:// is refused by name). */
enum base_status tui_options_check_server(const char *url, char *err,
                                          size_t err_size)
    __attribute__((warn_unused_result));

/* One flag a command accepts. value is set (borrowed from argv) for flags
 * that take one; seen counts how often the flag appeared. */
struct tui_options_flag {
    const char *name; /* "--json" */
    bool takes_value;
    const char *value;
    int seen;
};

/* Parses a command's own arguments argv[1..argc-1] (argv[0] is the
 * command) against flags, accepting "--flag value" and "--flag=value".
 * Other arguments go to positional (at most max, borrowed) and their
 * number to *npositional. "--" ends the flags. BASE_E_USAGE with the
 * reason in err for an unknown flag, a missing value, a value given to a
 * flag without one, or too many positional arguments. */
enum base_status
tui_options_command(int argc, char **argv, struct tui_options_flag *flags,
                    size_t nflags, const char **positional, size_t max,
                    size_t *npositional, char *err, size_t err_size)
    __attribute__((warn_unused_result));

/* The store and key directories: both --home when given, otherwise
 * $XDG_DATA_HOME/bezala (or ~/.local/share/bezala) and
 * $XDG_CONFIG_HOME/bezala (or ~/.config/bezala). New strings the caller
 * frees. BASE_E_STORE when no home directory is known; BASE_E_NOMEM. */
enum base_status tui_options_dirs(const struct tui_options *opts,
                                  char **data_dir, char **key_dir)
    __attribute__((warn_unused_result));

/* Creates dir and its missing parents with mode 0700. BASE_E_STORE with
 * errno's reason in err when that fails. */
enum base_status tui_options_make_dir(const char *dir, char *err,
                                      size_t err_size)
    __attribute__((warn_unused_result));

#endif
