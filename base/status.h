/* The one status type shared by core/ and db/, with names, messages and
 * exit codes generated from a single list. */
#ifndef BEZALA_BASE_STATUS_H
#define BEZALA_BASE_STATUS_H

/* X(name, exit code, message). The exit codes are the product's contract:
 * 1 other, 2 usage, 3 not signed in, 4 not allowed, 5 network or TLS,
 * 6 server, 7 local store. */
/* clang-format off */
#define BASE_STATUS_LIST(X)                                                  \
    X(BASE_OK, 0, "done")                                                    \
    X(BASE_E_INVALID, 1, "invalid argument")                                 \
    X(BASE_E_NOMEM, 1, "out of memory")                                      \
    X(BASE_E_IO, 1, "input or output failed")                                \
    X(BASE_E_CANCELLED, 1, "cancelled")                                      \
    X(BASE_E_SWITCH, 1, "the server did not confirm the company switch")     \
    X(BASE_E_MOVED, 1, "the active company was changed elsewhere")          \
    X(BASE_E_USAGE, 2, "usage error")                                        \
    X(BASE_E_AMBIGUOUS, 2, "more than one match")                            \
    X(BASE_E_AUTH, 3, "not signed in, or the server rejected the token")     \
    X(BASE_E_CREDENTIALS, 3, "wrong email or password")                      \
    X(BASE_E_TOKEN_UNREADABLE, 3, "the stored token could not be read")      \
    X(BASE_E_SSO_REQUIRED, 3, "this company requires single sign-on (SSO)")  \
    X(BASE_E_RATE_LIMITED, 3, "too many failed sign-ins: wait a moment")     \
    X(BASE_E_FORBIDDEN, 4, "not allowed for this role in this company")      \
    X(BASE_E_NETWORK, 5, "network failure")                                  \
    X(BASE_E_TLS, 5, "TLS failure")                                          \
    X(BASE_E_SERVER, 6, "server failure")                                    \
    X(BASE_E_DECODE, 6, "the server's answer could not be decoded")          \
    X(BASE_E_REDIRECT, 6, "the server answered with a redirect")             \
    X(BASE_E_TOO_LARGE, 6, "the server's answer is too large")               \
    X(BASE_E_STORE, 7, "local store failure")                                \
    X(BASE_E_PERMISSIONS, 7, "unsafe file permissions")                      \
    X(BASE_E_CRYPTO, 7, "the vault could not be opened")                     \
    X(BASE_E_LOCKED, 7, "the vault is locked: its passphrase is needed")     \
    X(BASE_E_PASSPHRASE, 7, "wrong passphrase, or the vault is damaged")     \
    X(BASE_E_KDF_PARAMS, 7, "the vault's key settings are out of range")
/* clang-format on */

#define BASE_STATUS_ENUM(name, code, msg) name,
enum base_status { BASE_STATUS_LIST(BASE_STATUS_ENUM) BASE_STATUS_COUNT };
#undef BASE_STATUS_ENUM

/* The enum value's name, e.g. "BASE_E_AUTH"; static storage. */
const char *base_status_name(enum base_status status);

/* A short English message for users; static storage. */
const char *base_status_message(enum base_status status);

/* The process exit code a subcommand returns for this status. */
int base_status_exit_code(enum base_status status);

#endif
