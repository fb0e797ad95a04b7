/* The checks of `bezala doctor` that need no session: the home directory,
 * the store, the vault's key file, the CA bundle and the server's
 * reachability, each read-only; and the report as JSON. */
#ifndef BEZALA_CORE_DOCTOR_H
#define BEZALA_CORE_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

#define CORE_DOCTOR_TEXT_MAX 1024

enum core_doctor_result {
    CORE_DOCTOR_OK,
    CORE_DOCTOR_FAIL,
    CORE_DOCTOR_SKIPPED
};

/* One check's outcome. detail and fix never hold a secret; fix is a
 * command or step the user can take, "" when there is none. */
struct core_doctor_check {
    const char *name; /* static: "config", "home", ... */
    enum core_doctor_result result;
    enum base_status status; /* a failure's class (its exit code) */
    char detail[CORE_DOCTOR_TEXT_MAX];
    char fix[CORE_DOCTOR_TEXT_MAX];
};

/* What the store check saw, for the checks after it. */
struct core_doctor_store_info {
    bool exists;     /* bezala.db is there and not empty */
    bool old;        /* ... of an older schema version, upgraded later */
    int version;     /* its schema version, 0 when none */
    int known;       /* the newest this build knows */
    bool keyfile;    /* its vault is in key-file mode */
    bool passphrase; /* its vault is in passphrase mode */
    long long tokens;
};

/* Sets c's outcome (its name stays); fix may be NULL. */
void core_doctor_set(struct core_doctor_check *c,
                     enum core_doctor_result result, enum base_status status,
                     const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Checks data_dir and key_dir (once when they are the same) as the store
 * does, creating nothing. A missing one fails as "not signed in" (3,
 * the fix: it is made at the first sign-in), an unsafe one as bad
 * permissions (7, with the chmod to run). */
void core_doctor_home(const char *data_dir, const char *key_dir,
                      struct core_doctor_check *out);

/* Opens the store read-only, creating no file: file modes, PRAGMA
 * integrity_check, a schema version known and, at this build's version,
 * every table. A missing or empty store passes (it is filled at the first
 * sign-in: info->exists is false). An older version fails (info->old: the
 * next command that opens the store upgrades it). Failures are of class
 * 7. Fills *info when not NULL. */
void core_doctor_store(const char *data_dir, struct core_doctor_check *out,
                       struct core_doctor_store_info *info);

/* The vault's mode from info (the store check's) and, in key-file mode,
 * the key file: there, private, yours, of the right size and opening the
 * vault. A passphrase vault is reported "locked: not checked" (the front
 * end unlocks it when given the passphrase). Failures are of class 7,
 * each with a fix that works as written (a link is removed, a bad file
 * moved aside, saying when the stored tokens are lost by it). */
void core_doctor_vault(const char *data_dir, const char *key_dir,
                       const struct core_doctor_store_info *info,
                       struct core_doctor_check *out);

/* The CA bundle: NULL passes as the system store; otherwise the file
 * must exist, be readable and hold at least one PEM certificate. Failures
 * are of class 5. */
void core_doctor_cacert(const char *cacert, struct core_doctor_check *out);

/* How many PEM certificate blocks (BEGIN, base64 lines, END) the first
 * len bytes of text hold; 0 for NULL. */
size_t core_doctor_count_certs(const char *text, size_t len);

/* One unauthenticated GET of /api/home on server with the transport's
 * normal TLS checks, giving up after timeout_ms (0: 20 s). Any HTTP
 * answer below 500 passes (401 is the expected one); a transport failure
 * fails with its class (5 for network and TLS, 6 for a redirect) and
 * curl's reason, a 5xx answer as a server failure (6). An URL that is not
 * https is a usage error (2). */
void core_doctor_reach(const char *server, const char *cacert, long timeout_ms,
                       struct core_doctor_check *out);

/* Puts options (already quoted, such as "--home '/my dir'") after the
 * word bezala of every command in c's fix ("`bezala login`" becomes
 * "`bezala --home '/my dir' login`"). Leaves the fix as it was when
 * options is NULL or "", or when the result would not fit. */
void core_doctor_add_options(struct core_doctor_check *c, const char *options);

/* {"ok": bool, "checks": [{"name", "ok": bool|null, "detail", "fix"}]}
 * with ok null for a skipped check and fix null when there is none; a
 * new text the caller frees, NULL for NULL or no memory. */
char *core_doctor_json(const struct core_doctor_check *checks, size_t n);

#endif
