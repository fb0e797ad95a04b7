/* Cached answers per (account, company, kind). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "db/accounts.h"
#include "db/cache.h"
#include "db/schema.h"
#include "db/store.h"
#include "tests/db/util.h"

#define SERVER "https://127.0.0.1:8443"

static int setup(void **state)
{
    if (util_setup(state) != 0)
        return -1;
    return util_add_pair(*state, SERVER, 0, 0);
}

static void put(struct util_fixture *f, int64_t account, int64_t company,
                const char *kind, const char *body)
{
    assert_int_equal(
        db_cache_put(f->store, account, company, kind, body, strlen(body)),
        BASE_OK);
}

static void expect(struct util_fixture *f, int64_t account, int64_t company,
                   const char *kind, const char *want)
{
    char *body = NULL;
    size_t len = 0;
    int64_t at = 0;

    assert_int_equal(
        db_cache_get(f->store, account, company, kind, &body, &len, &at),
        BASE_OK);
    if (!want) {
        assert_null(body);
        return;
    }
    assert_non_null(body);
    assert_int_equal(len, strlen(want));
    assert_string_equal(body, want);
    assert_true(at > 0);
    free(body);
}

static void test_cache_put_null(void **state)
{
    struct util_fixture *f = *state;

    assert_int_equal(db_cache_put(NULL, f->ann, 1, "home", "{}", 2),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, f->ann, 1, NULL, "{}", 2),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, f->ann, 1, "", "{}", 2),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, f->ann, 1, "home", NULL, 0),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, f->ann, -1, "home", "{}", 2),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_put(f->store, 9999, 1, "home", "{}", 2),
                     BASE_E_AUTH);
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM cache"), 0);
}

static void test_cache_get_null(void **state)
{
    struct util_fixture *f = *state;
    char untouched[] = "untouched";
    char *body = untouched;

    assert_int_equal(db_cache_get(NULL, f->ann, 1, "home", &body, NULL, NULL),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_get(f->store, f->ann, 1, NULL, &body, NULL, NULL),
                     BASE_E_INVALID);
    assert_int_equal(
        db_cache_get(f->store, f->ann, 1, "home", NULL, NULL, NULL),
        BASE_E_INVALID);
    assert_string_equal(body, "untouched");
    expect(f, f->ann, 1, "home", NULL);
}

static void test_cache_get_round_trip(void **state)
{
    struct util_fixture *f = *state;
    char *body = NULL;
    size_t len = 99;

    put(f, f->ann, 1, "receipts", "[{\"id\":1}]");
    expect(f, f->ann, 1, "receipts", "[{\"id\":1}]");
    put(f, f->ann, 1, "receipts", "[{\"id\":2}]");
    expect(f, f->ann, 1, "receipts", "[{\"id\":2}]");
    assert_int_equal(util_sql_int(f->dirs.db, "SELECT count(*) FROM cache"), 1);
    assert_int_equal(db_cache_put(f->store, f->ann, 0, "home", "{}xyz", 2),
                     BASE_OK);
    expect(f, f->ann, 0, "home", "{}");
    assert_int_equal(db_cache_put(f->store, f->ann, 0, "empty", "", 0),
                     BASE_OK);
    assert_int_equal(
        db_cache_get(f->store, f->ann, 0, "empty", &body, &len, NULL), BASE_OK);
    assert_non_null(body);
    assert_int_equal(len, 0);
    assert_string_equal(body, "");
    free(body);
}

static void test_cache_get_per_company(void **state)
{
    struct util_fixture *f = *state;

    put(f, f->ann, 1, "users", "[\"one\"]");
    put(f, f->ann, 2, "users", "[\"two\"]");
    put(f, f->bob, 1, "users", "[\"bob\"]");
    expect(f, f->ann, 1, "users", "[\"one\"]");
    expect(f, f->ann, 2, "users", "[\"two\"]");
    expect(f, f->bob, 1, "users", "[\"bob\"]");
    expect(f, f->ann, 3, "users", NULL);
    expect(f, f->ann, 1, "receipts", NULL);
    expect(f, f->bob, 2, "users", NULL);
}

static void test_cache_clear_null(void **state)
{
    struct util_fixture *f = *state;

    assert_int_equal(db_cache_clear(NULL, f->ann), BASE_E_INVALID);
    assert_int_equal(db_cache_clear(f->store, 9999), BASE_OK);
}

static void test_cache_clear_one_account(void **state)
{
    struct util_fixture *f = *state;

    put(f, f->ann, 1, "users", "[1]");
    put(f, f->ann, 2, "users", "[2]");
    put(f, f->bob, 1, "users", "[3]");
    assert_int_equal(db_cache_clear(f->store, f->ann), BASE_OK);
    expect(f, f->ann, 1, "users", NULL);
    expect(f, f->ann, 2, "users", NULL);
    expect(f, f->bob, 1, "users", "[3]");
}

/* ---- lists in parts ---- */

/* The parts a test writes: count parts of size bytes each (each filled
 * with one letter, its own), or the texts of texts; fail_at, when not
 * 0, is the call that answers BASE_E_IO instead of a part. */
struct source {
    const char *const *texts;
    size_t count;
    size_t size;
    size_t calls;
    size_t fail_at;
    char *buf;
};

static enum base_status next_part(void *user, const char **part, size_t *len)
{
    struct source *src = user;
    size_t i = src->calls++;

    if (src->fail_at && src->calls == src->fail_at)
        return BASE_E_IO;
    if (i >= src->count) {
        *part = NULL;
        return BASE_OK;
    }
    if (src->texts) {
        *part = src->texts[i];
        *len = strlen(src->texts[i]);
        return BASE_OK;
    }
    memset(src->buf, 'a' + (int)(i % 26), src->size);
    src->buf[0] = (char)('0' + (int)(i % 10));
    *part = src->buf;
    *len = src->size;
    return BASE_OK;
}

/* A part that says it is one byte longer than a part may be; the size
 * is checked before a byte of it is read. */
static enum base_status big_part(void *user, const char **part, size_t *len)
{
    *part = user;
    *len = (size_t)DB_CACHE_PART_MAX + 1;
    return BASE_OK;
}

static enum base_status put_texts(struct util_fixture *f, int64_t account,
                                  int64_t company, const char *kind,
                                  const char *const *texts, size_t count)
{
    struct source src = {texts, count, 0, 0, 0, NULL};

    return db_cache_put_parts(f->store, account, company, kind, next_part,
                              &src);
}

/* Checks that the list of kind is texts[0..count), part by part; its
 * id. */
static int64_t expect_parts(struct util_fixture *f, int64_t account,
                            int64_t company, const char *kind,
                            const char *const *texts, size_t count)
{
    struct db_cache_list list = {0, 0, 0};
    char *part = NULL;
    size_t len = 0;
    size_t i;

    assert_int_equal(db_cache_get_first(f->store, account, company, kind, &list,
                                        &part, &len),
                     BASE_OK);
    assert_non_null(part);
    assert_int_equal(list.parts, count);
    assert_true(list.id > 0);
    assert_true(list.stored_at > 0);
    assert_int_equal(len, strlen(texts[0]));
    assert_string_equal(part, texts[0]);
    free(part);
    for (i = 1; i <= count; i++) {
        part = NULL;
        assert_int_equal(db_cache_get_part(f->store, list.id, i, &part, &len),
                         BASE_OK);
        if (i == count) {
            assert_null(part);
            break;
        }
        assert_non_null(part);
        assert_int_equal(len, strlen(texts[i]));
        assert_string_equal(part, texts[i]);
        free(part);
    }
    return list.id;
}

static void test_cache_put_parts_null(void **state)
{
    static const char *const one[] = {"x"};
    struct util_fixture *f = *state;
    struct source none = {one, 0, 0, 0, 0, NULL};

    assert_int_equal(put_texts(f, f->ann, 1, "view:a", one, 1), BASE_OK);
    assert_int_equal(
        db_cache_put_parts(NULL, f->ann, 1, "view:a", next_part, &none),
        BASE_E_INVALID);
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, 1, "view:a", NULL, &none),
        BASE_E_INVALID);
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, 1, NULL, next_part, &none),
        BASE_E_INVALID);
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, 1, "", next_part, &none),
        BASE_E_INVALID);
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, -1, "view:a", next_part, &none),
        BASE_E_INVALID);
    assert_int_equal(
        db_cache_put_parts(f->store, 9999, 1, "view:a", next_part, &none),
        BASE_E_AUTH);
    /* A list of no parts is refused and the list there stays. */
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, 1, "view:a", next_part, &none),
        BASE_E_INVALID);
    expect_parts(f, f->ann, 1, "view:a", one, 1);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_lists"), 1);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_parts"), 1);
}

static void test_cache_get_first_null(void **state)
{
    struct util_fixture *f = *state;
    struct db_cache_list list = {7, 7, 7};
    char untouched[] = "untouched";
    char *part = untouched;
    size_t len = 0;

    assert_int_equal(
        db_cache_get_first(NULL, f->ann, 1, "view:a", &list, &part, &len),
        BASE_E_INVALID);
    assert_int_equal(
        db_cache_get_first(f->store, f->ann, 1, NULL, &list, &part, &len),
        BASE_E_INVALID);
    assert_int_equal(
        db_cache_get_first(f->store, f->ann, 1, "view:a", NULL, &part, &len),
        BASE_E_INVALID);
    assert_int_equal(
        db_cache_get_first(f->store, f->ann, 1, "view:a", &list, NULL, &len),
        BASE_E_INVALID);
    assert_string_equal(part, "untouched");
    assert_int_equal(list.id, 7);
    /* Nothing stored: no part and a zeroed list. */
    assert_int_equal(
        db_cache_get_first(f->store, f->ann, 1, "view:a", &list, &part, NULL),
        BASE_OK);
    assert_null(part);
    assert_int_equal(list.id, 0);
    assert_int_equal(list.parts, 0);
}

static void test_cache_get_part_null(void **state)
{
    struct util_fixture *f = *state;
    char untouched[] = "untouched";
    char *part = untouched;
    size_t len = 5;

    assert_int_equal(db_cache_get_part(NULL, 1, 0, &part, &len),
                     BASE_E_INVALID);
    assert_int_equal(db_cache_get_part(f->store, 1, 0, NULL, &len),
                     BASE_E_INVALID);
    assert_string_equal(part, "untouched");
    assert_int_equal(db_cache_get_part(f->store, 1, 0, &part, &len), BASE_OK);
    assert_null(part);
    assert_int_equal(db_cache_get_part(f->store, -1, 0, &part, NULL), BASE_OK);
    assert_null(part);
}

/* Parts come back as written; a new list replaces every part of the old
 * one under a new id, and the old id reads nothing. Other keys stay. */
static void test_cache_put_parts_replaces_all(void **state)
{
    static const char *const three[] = {"head,", "middle,", "tail"};
    static const char *const two[] = {"other head,", ""};
    static const char *const bob[] = {"bob's"};
    struct util_fixture *f = *state;
    char *part = NULL;
    size_t len = 0;
    int64_t old;
    int64_t now;

    assert_int_equal(put_texts(f, f->ann, 1, "view:a", three, 3), BASE_OK);
    assert_int_equal(put_texts(f, f->bob, 1, "view:a", bob, 1), BASE_OK);
    assert_int_equal(put_texts(f, f->ann, 2, "view:a", bob, 1), BASE_OK);
    old = expect_parts(f, f->ann, 1, "view:a", three, 3);
    assert_int_equal(put_texts(f, f->ann, 1, "view:a", two, 2), BASE_OK);
    now = expect_parts(f, f->ann, 1, "view:a", two, 2);
    assert_true(now != old);
    assert_int_equal(db_cache_get_part(f->store, old, 1, &part, &len), BASE_OK);
    assert_null(part);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_parts"), 4);
    expect_parts(f, f->bob, 1, "view:a", bob, 1);
    expect_parts(f, f->ann, 2, "view:a", bob, 1);
    /* The single-blob cache is a table of its own. */
    expect(f, f->ann, 1, "view:a", NULL);
}

/* A write that fails half-way (the source, a part too large, the store
 * refusing a row as a full disk would) leaves the old list whole. */
static void test_cache_put_parts_failure_keeps_old(void **state)
{
    static const char *const three[] = {"head,", "middle,", "tail"};
    static const char *const four[] = {"1,", "2,", "3,", "4"};
    struct util_fixture *f = *state;
    struct source src = {four, 4, 0, 0, 3, NULL};
    char big[] = "x";
    int64_t id;

    assert_int_equal(put_texts(f, f->ann, 1, "view:a", three, 3), BASE_OK);
    id = expect_parts(f, f->ann, 1, "view:a", three, 3);
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, 1, "view:a", next_part, &src),
        BASE_E_IO);
    assert_int_equal(src.calls, 3);
    assert_int_equal(expect_parts(f, f->ann, 1, "view:a", three, 3), id);

    assert_int_equal(put_texts(f, f->ann, 1, "view:a", four, 4), BASE_OK);
    id = expect_parts(f, f->ann, 1, "view:a", four, 4);
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, 1, "view:a", big_part, big),
        BASE_E_TOO_LARGE);
    assert_int_equal(expect_parts(f, f->ann, 1, "view:a", four, 4), id);

    assert_int_equal(
        util_sql(f->dirs.db,
                 "CREATE TRIGGER full BEFORE INSERT ON cache_parts"
                 " WHEN NEW.part = 2 BEGIN SELECT RAISE(ABORT, 'full'); END"),
        0);
    src.calls = 0;
    src.fail_at = 0;
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, 1, "view:a", next_part, &src),
        BASE_E_INVALID);
    assert_int_equal(src.calls, 3);
    assert_non_null(strstr(db_store_last_error(f->store), "storing the cache"));
    assert_int_equal(expect_parts(f, f->ann, 1, "view:a", four, 4), id);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_lists"), 1);
    /* The store takes the next write (no transaction left open). */
    assert_int_equal(util_sql(f->dirs.db, "DROP TRIGGER full"), 0);
    assert_int_equal(put_texts(f, f->ann, 1, "view:a", three, 3), BASE_OK);
    expect_parts(f, f->ann, 1, "view:a", three, 3);
}

/* Files may not grow past their size now and 1 MiB, so that a write
 * of more fails as on a full disk; 0 on success. */
static int limit_files(const struct util_dirs *dirs, struct rlimit *old)
{
    struct rlimit low;
    char wal[160];
    long size = util_size(dirs->db);

    snprintf(wal, sizeof(wal), "%s-wal", dirs->db);
    if (util_size(wal) > size)
        size = util_size(wal);
    if (getrlimit(RLIMIT_FSIZE, old) != 0)
        return -1;
    low = *old;
    low.rlim_cur = (rlim_t)size + 1024 * 1024;
    signal(SIGXFSZ, SIG_IGN);
    return setrlimit(RLIMIT_FSIZE, &low);
}

/* A write that fails for want of room (a file limit standing in for a
 * full disk) rolls back: the old list stays, the store takes the next
 * write. */
static void test_cache_put_parts_disk_full(void **state)
{
    static const char *const two[] = {"old head,", "old tail"};
    struct util_fixture *f = *state;
    struct source src = {NULL, 16, 1024 * 1024, 0, 0, NULL};
    struct rlimit old;
    enum base_status st;
    int64_t id;

    assert_int_equal(put_texts(f, f->ann, 1, "view:a", two, 2), BASE_OK);
    id = expect_parts(f, f->ann, 1, "view:a", two, 2);
    src.buf = malloc(src.size);
    assert_non_null(src.buf);
    assert_int_equal(limit_files(&f->dirs, &old), 0);
    st = db_cache_put_parts(f->store, f->ann, 1, "view:a", next_part, &src);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);
    free(src.buf);
    assert_true(st == BASE_E_STORE || st == BASE_E_IO);
    assert_non_null(strstr(db_store_last_error(f->store), "the cache"));
    assert_int_equal(expect_parts(f, f->ann, 1, "view:a", two, 2), id);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_parts"), 2);
    assert_int_equal(put_texts(f, f->ann, 2, "view:a", two, 2), BASE_OK);
    expect_parts(f, f->ann, 2, "view:a", two, 2);
}

/* A list of 66 parts of 1 MiB, past the 64 MiB that one cached answer
 * may take, is stored and read back part by part. */
static void test_cache_put_parts_past_64_mib(void **state)
{
    struct util_fixture *f = *state;
    struct source src = {NULL, 66, 1024 * 1024, 0, 0, NULL};
    struct db_cache_list list;
    char *part = NULL;
    size_t len = 0;
    size_t i;

    src.buf = malloc(src.size);
    assert_non_null(src.buf);
    assert_int_equal(
        db_cache_put_parts(f->store, f->ann, 318, "view:big", next_part, &src),
        BASE_OK);
    assert_true(src.count * src.size > 64u * 1024u * 1024u);
    assert_int_equal(db_cache_get_first(f->store, f->ann, 318, "view:big",
                                        &list, &part, &len),
                     BASE_OK);
    assert_int_equal(list.parts, src.count);
    for (i = 0; i < src.count; i++) {
        if (i > 0)
            assert_int_equal(
                db_cache_get_part(f->store, list.id, i, &part, &len), BASE_OK);
        assert_non_null(part);
        assert_int_equal(len, src.size);
        assert_int_equal(part[0], '0' + (int)(i % 10));
        assert_int_equal(part[len - 1], 'a' + (int)(i % 26));
        assert_int_equal(part[len], '\0');
        free(part);
        part = NULL;
    }
    free(src.buf);
    assert_int_equal(db_cache_clear(f->store, f->ann), BASE_OK);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_parts"), 0);
}

/* Clearing an account's cache takes its lists and their parts, not
 * another account's. */
static void test_cache_clear_lists(void **state)
{
    static const char *const two[] = {"a,", "b"};
    struct util_fixture *f = *state;

    put(f, f->ann, 1, "home", "{}");
    assert_int_equal(put_texts(f, f->ann, 1, "view:a", two, 2), BASE_OK);
    assert_int_equal(put_texts(f, f->bob, 1, "view:a", two, 2), BASE_OK);
    assert_int_equal(db_cache_clear(f->store, f->ann), BASE_OK);
    expect(f, f->ann, 1, "home", NULL);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_lists"), 1);
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_parts"), 2);
    expect_parts(f, f->bob, 1, "view:a", two, 2);
}

/* A version 4 file loses the lists it cached whole (no longer read) and
 * keeps its other cached answers. */
static void test_cache_migrate_drops_whole_lists(void **state)
{
    struct util_fixture *f = *state;

    put(f, f->ann, 318, "view:receipts", "{\"format\":2}");
    put(f, f->ann, 0, "home", "{}");
    db_store_free(&f->store);
    assert_int_equal(util_sql(f->dirs.db,
                              "DROP TABLE cache_parts; DROP TABLE cache_lists;"
                              " PRAGMA user_version = 4"),
                     0);
    f->store = util_open(&f->dirs);
    assert_int_equal(util_sql_int(f->dirs.db, "PRAGMA user_version"),
                     DB_SCHEMA_VERSION);
    expect(f, f->ann, 318, "view:receipts", NULL);
    expect(f, f->ann, 0, "home", "{}");
    assert_int_equal(
        util_sql_int(f->dirs.db, "SELECT count(*) FROM cache_lists"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, util_teardown)
        T(test_cache_put_null),
        T(test_cache_get_null),
        T(test_cache_get_round_trip),
        T(test_cache_get_per_company),
        T(test_cache_clear_null),
        T(test_cache_clear_one_account),
        T(test_cache_put_parts_null),
        T(test_cache_get_first_null),
        T(test_cache_get_part_null),
        T(test_cache_put_parts_replaces_all),
        T(test_cache_put_parts_failure_keeps_old),
        T(test_cache_put_parts_disk_full),
        T(test_cache_put_parts_past_64_mib),
        T(test_cache_clear_lists),
        T(test_cache_migrate_drops_whole_lists),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
