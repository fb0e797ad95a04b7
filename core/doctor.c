/* The session-free checks of `bezala doctor`: read-only looks at the home
 * directory, the store and the key file through db/inspect.h, a scan of
 * the CA bundle, one request to the server, and the JSON report. */
#include "core/doctor.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/shell.h"
#include "core/http.h"
#include "db/inspect.h"

/* Far above any real bundle (the system one is about 200 KiB). */
#define CA_BYTES_MAX (16L * 1024 * 1024)
#define REACH_TIMEOUT_MS 20000L
#define REACH_CONNECT_MS 10000L
#define REACH_PATH "/api/home"
#define END_CERT "-----END CERTIFICATE-----"
#define END_TRUSTED "-----END TRUSTED CERTIFICATE-----"

void core_doctor_set(struct core_doctor_check *c,
                     enum core_doctor_result result, enum base_status status,
                     const char *fix, const char *fmt, ...)
{
    va_list ap;

    if (!c)
        return;
    c->result = result;
    c->status = result == CORE_DOCTOR_FAIL ? status : BASE_OK;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
    va_end(ap);
    snprintf(c->fix, sizeof(c->fix), "%s", fix ? fix : "");
}

/* Where a db/ reason turns from what is wrong to what to do: "... has
 * mode 0755; run `chmod 700 ...`", "...: move it aside and ...". */
static const char *const fix_marks[] = {"; ", ": run `", ": move it aside",
                                        ": sign in again"};

/* The last fix mark in reason, NULL when there is none. Every mark
 * starts with a two-character separator. */
static const char *fix_mark(const char *reason)
{
    const char *best = NULL;
    const char *at;
    size_t i;

    for (i = 0; i < sizeof(fix_marks) / sizeof(fix_marks[0]); i++) {
        for (at = strstr(reason, fix_marks[i]); at;
             at = strstr(at + 1, fix_marks[i])) {
            if (!best || at > best)
                best = at;
        }
    }
    return best;
}

/* A failure from a db/ reason, split into what is wrong and the fix it
 * names. fallback is the fix when the reason names none, and also when
 * only fallback holds a command to run (`...`). */
static void fail_split(struct core_doctor_check *c, enum base_status status,
                       const char *reason, const char *fallback)
{
    const char *cut = fix_mark(reason);
    const char *fix = cut ? cut + 2 : fallback;

    if (cut && fallback && !strchr(fix, '`') && strchr(fallback, '`'))
        fix = fallback;
    if (!cut)
        core_doctor_set(c, CORE_DOCTOR_FAIL, status, fix, "%s", reason);
    else
        core_doctor_set(c, CORE_DOCTOR_FAIL, status, fix, "%.*s",
                        (int)(cut - reason), reason);
}

/* Checks one directory; true when it passed. */
static bool home_dir(const char *dir, struct core_doctor_check *out)
{
    char err[CORE_DOCTOR_TEXT_MAX];
    char fix[CORE_DOCTOR_TEXT_MAX];
    bool missing = false;
    enum base_status r = db_inspect_dir(dir, &missing, err, sizeof(err));

    if (r == BASE_OK)
        return true;
    if (missing) {
        snprintf(fix, sizeof(fix),
                 "it is made at the first sign-in: run `bezala login` (it "
                 "creates %s with mode 0700)",
                 dir);
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_AUTH, fix,
                        "%s does not exist: nothing is stored yet", dir);
    } else if (r == BASE_E_INVALID) {
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_USAGE, "give --home DIR",
                        "no home directory is known");
    } else {
        fail_split(out, r, err, "check the directory's owner and mode");
    }
    return false;
}

void core_doctor_home(const char *data_dir, const char *key_dir,
                      struct core_doctor_check *out)
{
    bool same = data_dir && key_dir && strcmp(data_dir, key_dir) == 0;

    if (!home_dir(data_dir, out))
        return;
    if (!same && !home_dir(key_dir, out))
        return;
    if (same)
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "%s: a directory of yours, mode 0700 or stricter",
                        data_dir);
    else
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "%s and %s: directories of yours, mode 0700 or "
                        "stricter",
                        data_dir, key_dir);
}

/* The store check's outcome once the store was read. */
static void store_report(const char *data_dir,
                         const struct db_inspect_store_info *st,
                         struct core_doctor_check *out)
{
    if (st->vault == DB_INSPECT_VAULT_UNKNOWN)
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_CRYPTO,
                        "use the newer bezala that wrote it, or restore "
                        "bezala.db from a backup",
                        "%s/bezala.db holds a vault of a kind this bezala "
                        "cannot read",
                        data_dir);
    else if (!st->exists)
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "no store in %s yet (it is made at the first "
                        "sign-in)",
                        data_dir);
    else if (st->empty)
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "%s/bezala.db is empty: no store yet (it is filled "
                        "at the first sign-in)",
                        data_dir);
    else if (st->schema_version < st->schema_known)
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_STORE,
                        "nothing to do by hand: the next bezala command "
                        "that opens the store (such as `bezala accounts`) "
                        "upgrades it",
                        "%s/bezala.db: integrity ok, schema version %d of "
                        "%d: it will be upgraded at the next command",
                        data_dir, st->schema_version, st->schema_known);
    else
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "%s/bezala.db: integrity ok, schema version %d of "
                        "%d, every table there",
                        data_dir, st->schema_version, st->schema_known);
}

/* Moving a bad store aside and signing in again, the paths quoted. */
static void store_fix(const char *data_dir, char *fix, size_t size)
{
    char path[CORE_DOCTOR_TEXT_MAX / 4];
    char quoted[CORE_DOCTOR_TEXT_MAX / 4];
    char aside[CORE_DOCTOR_TEXT_MAX / 4];
    int n;

    snprintf(path, sizeof(path), "%s/bezala.db", data_dir);
    base_shell_quote(path, quoted, sizeof(quoted));
    snprintf(path, sizeof(path), "%s/bezala.db.damaged", data_dir);
    base_shell_quote(path, aside, sizeof(aside));
    n = snprintf(fix, size, "run `mv %s %s`, then `bezala login`", quoted,
                 aside);
    if (n < 0 || (size_t)n >= size)
        snprintf(fix, size, "move bezala.db aside, then run `bezala login`");
}

void core_doctor_store(const char *data_dir, struct core_doctor_check *out,
                       struct core_doctor_store_info *info)
{
    struct db_inspect_store_info st;
    char err[CORE_DOCTOR_TEXT_MAX];
    char fix[CORE_DOCTOR_TEXT_MAX];
    enum base_status r = db_inspect_store(data_dir, &st, err, sizeof(err));

    if (r == BASE_E_INVALID || r == BASE_E_NOMEM) {
        core_doctor_set(out, CORE_DOCTOR_FAIL, r, NULL, "%s",
                        base_status_message(r));
        return;
    }
    if (r != BASE_OK) {
        store_fix(data_dir, fix, sizeof(fix));
        fail_split(out, r, err, fix);
        /* The reason's own mv command does not quote its paths. */
        if (r == BASE_E_STORE && strstr(out->fix, "`mv "))
            snprintf(out->fix, sizeof(out->fix), "%s", fix);
        return;
    }
    if (info) {
        memset(info, 0, sizeof(*info));
        info->exists = st.exists && !st.empty;
        info->old = info->exists && st.schema_version < st.schema_known;
        info->version = st.schema_version;
        info->known = st.schema_known;
        info->keyfile = st.vault == DB_INSPECT_VAULT_KEYFILE;
        info->passphrase = st.vault == DB_INSPECT_VAULT_PASSPHRASE;
        info->tokens = st.tokens;
    }
    store_report(data_dir, &st, out);
}

/* ", then `bezala login`" and what that costs: a new key, with which
 * the stored tokens cannot be read. */
static void login_after(char *out, size_t size, long long tokens)
{
    if (tokens > 0)
        snprintf(out, size,
                 "`bezala login`, which makes a new key file: the %lld "
                 "stored token(s) cannot be read with it, so each account "
                 "signs in again",
                 tokens);
    else
        snprintf(out, size, "`bezala login`, which makes a new key file");
}

/* The fix for a key file that is a link: remove it, or put the file it
 * leads to in its place. snprintf's count. */
static int link_fix(const char *key, const char *login, char *fix, size_t size)
{
    char target[PATH_MAX];
    char qkey[CORE_DOCTOR_TEXT_MAX / 4];
    char qtarget[CORE_DOCTOR_TEXT_MAX / 4];

    base_shell_quote(key, qkey, sizeof(qkey));
    if (realpath(key, target) &&
        base_shell_quote(target, qtarget, sizeof(qtarget)))
        return snprintf(
            fix, size,
            "bezala reads only a regular file there, never a link: if "
            "it leads to your key file, run `mv %s %s` (the file "
            "replaces the link); otherwise remove the link with `rm "
            "%s`, then run %s",
            qtarget, qkey, qkey, login);
    return snprintf(fix, size,
                    "bezala reads only a regular file there, never a link: "
                    "remove the link with `rm %s`, then run %s",
                    qkey, login);
}

/* The fix for a key file that is there but cannot be used. */
static void key_fix(enum db_inspect_key kind, const char *key_dir,
                    long long tokens, const char *reason, char *fix,
                    size_t size)
{
    char key[CORE_DOCTOR_TEXT_MAX / 4];
    char qkey[CORE_DOCTOR_TEXT_MAX / 4];
    char login[CORE_DOCTOR_TEXT_MAX / 2];
    const char *cut = fix_mark(reason);
    int n = 0;

    snprintf(key, sizeof(key), "%s/key", key_dir);
    base_shell_quote(key, qkey, sizeof(qkey));
    login_after(login, sizeof(login), tokens);
    if (kind == DB_INSPECT_KEY_LINK)
        n = link_fix(key, login, fix, size);
    else if (kind == DB_INSPECT_KEY_SIZE || kind == DB_INSPECT_KEY_NOT_FILE)
        n = snprintf(fix, size,
                     "move the bad file aside: run `mv %s %s.bad`, then %s",
                     qkey, qkey, login);
    else if (kind == DB_INSPECT_KEY_MISMATCH)
        n = snprintf(fix, size,
                     "restore the key file that belongs to this store from "
                     "a backup, or run %s",
                     login);
    else if (cut && strchr(cut, '`'))
        n = snprintf(fix, size, "%s", cut + 2);
    else
        n = snprintf(fix, size, "check the key file's owner and mode");
    /* A path too long for a whole command gets no half of one. */
    if (n < 0 || (size_t)n >= size)
        snprintf(fix, size,
                 "move the key file aside, then run `bezala "
                 "login`");
}

/* Key-file mode: the key file is there, private, the right size, and
 * opens the vault when there is one. */
static void vault_keyfile(const char *data_dir, const char *key_dir,
                          const struct core_doctor_store_info *info,
                          struct core_doctor_check *out)
{
    char err[CORE_DOCTOR_TEXT_MAX];
    char fix[CORE_DOCTOR_TEXT_MAX];
    enum db_inspect_key kind = DB_INSPECT_KEY_OTHER;
    enum base_status r = db_inspect_keyfile(data_dir, key_dir, info->keyfile,
                                            &kind, err, sizeof(err));
    const char *cut = r == BASE_OK ? NULL : fix_mark(err);

    if (r != BASE_OK) {
        key_fix(kind, key_dir, info->keyfile ? info->tokens : 0, err, fix,
                sizeof(fix));
        core_doctor_set(out, CORE_DOCTOR_FAIL, r, fix, "%.*s",
                        cut ? (int)(cut - err) : (int)strlen(err), err);
    } else if (kind == DB_INSPECT_KEY_MISSING && info->keyfile) {
        snprintf(fix, sizeof(fix),
                 "restore %s/key from a backup, or run `bezala login` to "
                 "sign in again (it makes a new key file)",
                 key_dir);
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_CRYPTO, fix,
                        "key-file mode, but the key file %s/key is missing: "
                        "the %lld stored token(s) cannot be read",
                        key_dir, info->tokens);
    } else if (!info->keyfile) {
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "no vault yet; the key file %s/key is %s", key_dir,
                        kind == DB_INSPECT_KEY_MISSING
                            ? "made at the first sign-in"
                            : "there, private and yours");
    } else {
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "key-file mode (no passphrase): %s/key is private, "
                        "yours, and opens the vault",
                        key_dir);
    }
}

void core_doctor_vault(const char *data_dir, const char *key_dir,
                       const struct core_doctor_store_info *info,
                       struct core_doctor_check *out)
{
    static const struct core_doctor_store_info none;

    if (!info)
        info = &none;
    if (info->passphrase)
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "passphrase mode (Argon2id); locked: not checked");
    else
        vault_keyfile(data_dir, key_dir, info, out);
}

static bool base64_line(const char *line, size_t len)
{
    size_t i;

    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
        len--;
    if (len == 0)
        return false;
    for (i = 0; i < len; i++) {
        char ch = line[i];

        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9') || ch == '+' || ch == '/' || ch == '='))
            return false;
    }
    return true;
}

static bool starts(const char *line, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);

    return len >= n && memcmp(line, prefix, n) == 0;
}

size_t core_doctor_count_certs(const char *text, size_t len)
{
    const char *end = text ? text + len : NULL;
    const char *line = text;
    size_t count = 0;
    int state = 0; /* 0 outside, 1 after BEGIN, 2 after base64 */

    while (line && line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);

        if (starts(line, n, "-----BEGIN CERTIFICATE-----") ||
            starts(line, n, "-----BEGIN TRUSTED CERTIFICATE-----")) {
            state = 1;
        } else if (state > 0 && starts(line, n, "-----END ")) {
            count += state == 2 && (starts(line, n, END_CERT) ||
                                    starts(line, n, END_TRUSTED));
            state = 0;
        } else if (state > 0) {
            state = base64_line(line, n) ? 2 : 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    return count;
}

/* Reads the whole of path (at most CA_BYTES_MAX) into a new buffer;
 * errno is kept on failure. */
static char *read_file(const char *path, size_t *len)
{
    struct stat st;
    char *buf = NULL;
    size_t done = 0;
    ssize_t n = 1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0)
        goto out;
    if (!S_ISREG(st.st_mode) || st.st_size > CA_BYTES_MAX) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EFBIG;
        goto out;
    }
    buf = malloc((size_t)st.st_size + 1);
    while (buf && done < (size_t)st.st_size && n > 0) {
        n = read(fd, buf + done, (size_t)st.st_size - done);
        done += n > 0 ? (size_t)n : 0;
    }
    if (buf && n < 0) {
        free(buf);
        buf = NULL;
    }
    *len = done;

out:
    close(fd);
    return buf;
}

void core_doctor_cacert(const char *cacert, struct core_doctor_check *out)
{
    static const char fix[] =
        "give --cacert a PEM file of the CA that signed the server's "
        "certificate (or fix BEZALA_CACERT or the config file's cacert)";
    size_t len = 0;
    size_t count;
    char *text;

    if (!cacert) {
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "system store (no --cacert given)");
        return;
    }
    text = read_file(cacert, &len);
    if (!text) {
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_TLS, fix,
                        "%s cannot be read: %s", cacert, strerror(errno));
        return;
    }
    count = core_doctor_count_certs(text, len);
    free(text);
    if (count == 0)
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_TLS, fix,
                        "%s holds no PEM certificate", cacert);
    else
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "%s: %zu certificate%s", cacert, count,
                        count == 1 ? "" : "s");
}

struct reach {
    bool done;
    enum base_status status;
    long http_status;
    char detail[CORE_HTTP_DETAIL_MAX];
};

static void reach_done(const struct core_http_result *result, void *user)
{
    struct reach *r = user;

    r->done = true;
    r->status = result->status;
    r->http_status = result->http_status;
    snprintf(r->detail, sizeof(r->detail), "%s", result->detail);
}

/* Runs the one request; BASE_OK when it ended (r says how). */
static enum base_status reach_run(const char *url, const char *cacert,
                                  long timeout_ms, struct reach *r)
{
    struct core_http *http = NULL;
    enum base_status status = core_http_global_init();
    uint64_t id = 0;

    if (status == BASE_OK)
        status =
            core_http_new(url, cacert, REACH_CONNECT_MS, timeout_ms, &http);
    if (status == BASE_OK)
        status = core_http_start(http, CORE_HTTP_GET, REACH_PATH, NULL, 0,
                                 false, reach_done, r, &id);
    while (status == BASE_OK && !r->done)
        status = core_http_wait(http, -1, 1000);
    core_http_free(&http);
    return status;
}

static const char *reach_fix(enum base_status status)
{
    switch (status) {
    case BASE_E_TLS:
        return "check --cacert and the server's certificate (its host name "
               "and dates)";
    case BASE_E_REDIRECT:
        return "check --server: give the API's own https:// address";
    case BASE_E_SERVER:
        return "try again later; if it lasts, the server has a problem";
    default:
        return "check --server and the network, then try again";
    }
}

void core_doctor_reach(const char *server, const char *cacert, long timeout_ms,
                       struct core_doctor_check *out)
{
    struct reach r = {0};
    char err[CORE_DOCTOR_TEXT_MAX];
    char *url = NULL;
    enum base_status status;

    if (core_http_check_url(server, &url, err, sizeof(err)) != BASE_OK) {
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_USAGE,
                        "give --server an https:// URL", "%s", err);
        return;
    }
    status = reach_run(url, cacert,
                       timeout_ms > 0 ? timeout_ms : REACH_TIMEOUT_MS, &r);
    if (status == BASE_OK)
        status = r.status;
    if (status == BASE_OK && r.http_status >= 500)
        core_doctor_set(out, CORE_DOCTOR_FAIL, BASE_E_SERVER,
                        reach_fix(BASE_E_SERVER), "%s answered HTTP %ld", url,
                        r.http_status);
    else if (status == BASE_OK)
        core_doctor_set(out, CORE_DOCTOR_OK, BASE_OK, NULL,
                        "%s answered over verified TLS (HTTP %ld)", url,
                        r.http_status);
    else
        core_doctor_set(out, CORE_DOCTOR_FAIL, status, reach_fix(status),
                        "%s: %s%s%s", url, base_status_message(status),
                        r.detail[0] ? ": " : "", r.detail);
    free(url);
}

/* Whether text needs no quotes in a shell. */
void core_doctor_add_options(struct core_doctor_check *c, const char *options)
{
    static const char word[] = "`bezala ";
    char fix[CORE_DOCTOR_TEXT_MAX];
    const char *from;
    const char *at;
    size_t len = 0;
    int n;

    if (!c || !options || !*options)
        return;
    from = c->fix;
    at = strstr(from, word);
    while (at) {
        at += strlen(word);
        n = snprintf(fix + len, sizeof(fix) - len, "%.*s%s ", (int)(at - from),
                     from, options);
        if (n < 0 || (size_t)n >= sizeof(fix) - len)
            return;
        len += (size_t)n;
        from = at;
        at = strstr(from, word);
    }
    n = snprintf(fix + len, sizeof(fix) - len, "%s", from);
    if (n < 0 || (size_t)n >= sizeof(fix) - len)
        return;
    memcpy(c->fix, fix, len + (size_t)n + 1);
}

/* text as a JSON string; bytes that are not UTF-8 (a path may hold
 * them) would make jansson refuse it, so then every byte past ASCII
 * becomes '?'. */
static json_t *text_json(const char *text)
{
    json_t *value = json_string(text);
    char *ascii;
    size_t i;

    if (value)
        return value;
    ascii = strdup(text);
    for (i = 0; ascii && ascii[i]; i++) {
        if ((unsigned char)ascii[i] >= 0x80)
            ascii[i] = '?';
    }
    value = ascii ? json_string(ascii) : NULL;
    free(ascii);
    return value;
}

static json_t *check_json(const struct core_doctor_check *c)
{
    json_t *ok = c->result == CORE_DOCTOR_SKIPPED
                     ? json_null()
                     : json_boolean(c->result == CORE_DOCTOR_OK);
    json_t *fix = c->fix[0] ? text_json(c->fix) : json_null();

    return json_pack("{s:s, s:o, s:o, s:o}", "name", c->name ? c->name : "",
                     "ok", ok, "detail", text_json(c->detail), "fix", fix);
}

char *core_doctor_json(const struct core_doctor_check *checks, size_t n)
{
    json_t *list = json_array();
    json_t *root = NULL;
    char *text = NULL;
    bool all_ok = true;
    size_t i;

    if (!checks || !list)
        goto out;
    for (i = 0; i < n; i++) {
        all_ok = all_ok && checks[i].result == CORE_DOCTOR_OK;
        if (json_array_append_new(list, check_json(&checks[i])) != 0)
            goto out;
    }
    root = json_pack("{s:b, s:O}", "ok", all_ok, "checks", list);
    if (root)
        text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

out:
    json_decref(root);
    json_decref(list);
    return text;
}
