/* The cached list read in parts through the session: the first rows at
 * once, the rest on request, a load that starts meanwhile keeping them
 * until its list is whole, and a cache of an older format taken as
 * none. Rows come from bezala-sim's demo data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/session.h"
#include "core/view.h"
#include "db/accounts.h"
#include "db/cache.h"
#include "db/store.h"
#include "tests/core/fixture.h"

#define AINO "aino.harkonen@demo.bezala.test"
#define BIG_COMPANY 318

static void switch_to(struct fixture *f, int64_t company)
{
    uint64_t request = 0;

    assert_int_equal(core_session_switch(f->session, company, &request),
                     BASE_OK);
    assert_int_equal(core_session_finish(f->session, request), BASE_OK);
}

/* Signs in, loads the big company's receipts (which caches them) and
 * opens a new session on the same home with the cached home read;
 * returns the ids of the list in a new array, its length in *count. */
static int64_t *cache_receipts(struct fixture *f, size_t *count)
{
    const struct core_table *table;
    uint64_t request = 0;
    int64_t saved = 0;
    bool found = false;
    int64_t *ids;
    size_t i;

    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(fixture_sign_in(f, AINO, fixture_password(AINO)), BASE_OK);
    assert_int_equal(fixture_run(f, core_session_load_home), BASE_OK);
    switch_to(f, BIG_COMPANY);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_RECEIPTS, NULL, &request),
        BASE_OK);
    assert_int_equal(core_session_finish(f->session, request), BASE_OK);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_true(table->count > 20);
    ids = calloc(table->count, sizeof(*ids));
    assert_non_null(ids);
    for (i = 0; i < table->count; i++)
        ids[i] = table->rows[i].id;
    *count = table->count;
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(core_session_load_home_cached(f->session, &found, &saved),
                     BASE_OK);
    assert_true(found);
    return ids;
}

static void assert_ids(const struct core_table *table, const int64_t *ids,
                       size_t count)
{
    size_t i;

    assert_true(table->count <= count);
    for (i = 0; i < table->count; i++)
        assert_int_equal(table->rows[i].id, ids[i]);
}

/* The receipts view holds no rows and says it is neither read from the
 * cache, complete nor being decoded: a list dropped as a whole. */
static void assert_dropped(struct fixture *f)
{
    struct core_view_state vs;

    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     0);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_false(vs.decoding);
    assert_false(vs.complete);
    assert_false(vs.from_cache);
}

static void test_session_cached_first_null(void **state)
{
    struct fixture *f = *state;
    struct core_view_state vs;
    bool more = true;

    assert_int_equal(
        core_session_view_cached_first(NULL, CORE_VIEW_RECEIPTS, 10),
        BASE_E_INVALID);
    assert_int_equal(
        core_session_view_cached_more(NULL, CORE_VIEW_RECEIPTS, 10, &more),
        BASE_E_INVALID);
    assert_int_equal(fixture_open(f, AINO), BASE_OK);
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 0),
        BASE_E_INVALID);
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_COUNT, 10),
        BASE_E_INVALID);
    assert_int_equal(
        core_session_view_cached_more(f->session, CORE_VIEW_RECEIPTS, 0, &more),
        BASE_E_INVALID);
    assert_int_equal(
        core_session_view_cached_more(f->session, CORE_VIEW_RECEIPTS, 10, NULL),
        BASE_E_INVALID);
    /* Signed out: nothing is cached and nothing is being read. */
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 10),
        BASE_OK);
    assert_int_equal(core_session_view_cached_more(
                         f->session, CORE_VIEW_RECEIPTS, 10, &more),
                     BASE_OK);
    assert_false(more);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_false(vs.decoding);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     0);
}

/* The first rows show at once, marked as still decoding; the rest come
 * in the sizes asked for, in the cached order, until the list is whole. */
static void test_session_cached_first_rows_then_rest(void **state)
{
    struct fixture *f = *state;
    const struct core_table *table;
    struct core_view_state vs;
    size_t count = 0;
    size_t before;
    bool more = true;
    int64_t *ids = cache_receipts(f, &count);

    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 3),
        BASE_OK);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, 3);
    assert_ids(table, ids, count);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_true(vs.decoding);
    assert_false(vs.complete);
    assert_true(vs.from_cache);
    assert_false(vs.loading);
    assert_int_equal(
        core_session_view_cached_more(f->session, CORE_VIEW_RECEIPTS, 5, &more),
        BASE_OK);
    assert_true(more);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, 8);
    while (more) {
        before = table->count;
        assert_int_equal(core_session_view_cached_more(
                             f->session, CORE_VIEW_RECEIPTS, 7, &more),
                         BASE_OK);
        table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
        assert_true(table->count > before || !more);
        assert_true(table->count - before <= 7);
    }
    assert_int_equal(table->count, count);
    assert_ids(table, ids, count);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_false(vs.decoding);
    assert_true(vs.complete);
    assert_true(vs.from_cache);
    assert_int_equal(
        core_session_view_cached_more(f->session, CORE_VIEW_RECEIPTS, 7, &more),
        BASE_OK);
    assert_false(more);
    free(ids);
}

/* A load that starts while the cache is read keeps the cached rows on
 * hand until its own list is whole, then replaces them and ends the
 * reading. */
static void test_session_cached_load_while_decoding(void **state)
{
    struct fixture *f = *state;
    const struct core_table *table;
    struct core_view_state vs;
    uint64_t request = 0;
    size_t count = 0;
    bool more = true;
    int64_t *ids = cache_receipts(f, &count);

    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 4),
        BASE_OK);
    assert_int_equal(
        core_session_load_view(f->session, CORE_VIEW_RECEIPTS, NULL, &request),
        BASE_OK);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    while (vs.loading) {
        table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
        assert_int_equal(table->count, 4);
        assert_ids(table, ids, count);
        assert_int_equal(core_session_wait(f->session, -1, 100), BASE_OK);
        core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    }
    assert_int_equal(vs.failed, BASE_OK);
    assert_false(vs.decoding);
    assert_true(vs.complete);
    assert_false(vs.from_cache);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, count);
    assert_ids(table, ids, count);
    assert_int_equal(core_session_view_cached_more(
                         f->session, CORE_VIEW_RECEIPTS, 10, &more),
                     BASE_OK);
    assert_false(more);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     count);
    free(ids);
}

/* Gives the texts of a NULL-ended array as parts. */
static enum base_status next_text(void *user, const char **part, size_t *len)
{
    const char *const **texts = user;

    *part = **texts;
    *len = *part ? strlen(*part) : 0;
    if (*part)
        (*texts)++;
    return BASE_OK;
}

/* Gives the parts of a writer. */
static enum base_status next_written(void *user, const char **part, size_t *len)
{
    return core_view_cache_parts_next(user, part, len);
}

/* Stores the cached receipts of the big company through a store of its
 * own, as another process would: the parts of texts (NULL-ended) or,
 * when texts is NULL, table's text in parts of part_rows rows. */
static void put_list(struct fixture *f, const char *const *texts,
                     const struct core_table *table, size_t part_rows)
{
    struct core_view_cache_parts *w = NULL;
    struct db_store *store = NULL;
    struct db_account account;

    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    assert_int_equal(
        db_accounts_find(store, support_sim_url(f->sim), AINO, &account),
        BASE_OK);
    if (texts) {
        assert_int_equal(db_cache_put_parts(store, account.id, BIG_COMPANY,
                                            "view:receipts", next_text, &texts),
                         BASE_OK);
    } else {
        assert_int_equal(core_view_cache_parts_new(table, 0, part_rows, &w),
                         BASE_OK);
        assert_int_equal(db_cache_put_parts(store, account.id, BIG_COMPANY,
                                            "view:receipts", next_written, w),
                         BASE_OK);
        core_view_cache_parts_free(&w);
    }
    db_accounts_clear(&account);
    db_store_free(&store);
}

static void clear_cache(struct fixture *f)
{
    struct db_store *store = NULL;
    struct db_account account;

    assert_int_equal(db_store_open(f->data_dir, f->key_dir, &store), BASE_OK);
    assert_int_equal(
        db_accounts_find(store, support_sim_url(f->sim), AINO, &account),
        BASE_OK);
    assert_int_equal(db_cache_clear(store, account.id), BASE_OK);
    db_accounts_clear(&account);
    db_store_free(&store);
}

static void put_cache(struct fixture *f, const char *text)
{
    const char *const texts[] = {text, NULL};

    put_list(f, texts, NULL, 0);
}

/* A list cached by an older version is as good as none: no rows, no
 * error; a damaged row met later drops the rows read so far. */
static void test_session_cached_old_format_absent(void **state)
{
    static const char old[] =
        "{\"view\":\"receipts\",\"rows\":[{\"id\":1,\"cells\":[null,null,"
        "null,null,null,null,null],\"item\":null}]}";
    static const char damaged[] =
        "{\"format\":2,\"view\":\"receipts\",\"rows\":[\n"
        "[1,null,null,null,null,null,null,null,null],\n"
        "[2,null,null,null,null,null,null,null,null],\n"
        "[3,null,null,nul,null,null,null,null,null]\n]}\n";
    struct fixture *f = *state;
    size_t count = 0;
    bool more = true;
    int64_t *ids = cache_receipts(f, &count);

    put_cache(f, old);
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 10),
        BASE_OK);
    assert_dropped(f);
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_RECEIPTS),
                     BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     0);

    put_cache(f, damaged);
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 2),
        BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     2);
    assert_int_equal(core_session_view_cached_more(
                         f->session, CORE_VIEW_RECEIPTS, 10, &more),
                     BASE_E_DECODE);
    assert_dropped(f);
    free(ids);
}

/* The cached receipts stored again in parts of 5 rows: the first read
 * decodes the first part's rows only, however many are asked for, and
 * each later call reads one part more; the whole read takes every part. */
static void test_session_cached_first_reads_one_part(void **state)
{
    struct fixture *f = *state;
    const struct core_table *table;
    struct core_view_state vs;
    size_t count = 0;
    size_t calls = 0;
    size_t before;
    bool more = true;
    int64_t *ids = cache_receipts(f, &count);

    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_RECEIPTS),
                     BASE_OK);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, count);
    put_list(f, NULL, table, 5);
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 1000),
        BASE_OK);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, 5);
    assert_ids(table, ids, count);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_true(vs.decoding);
    assert_false(vs.complete);
    while (more) {
        before = table->count;
        assert_int_equal(core_session_view_cached_more(
                             f->session, CORE_VIEW_RECEIPTS, 1000, &more),
                         BASE_OK);
        table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
        assert_true(table->count - before <= 5);
        assert_true(table->count - before == 5 || !more);
        calls++;
    }
    assert_int_equal(calls, (count + 4) / 5 - 1);
    assert_int_equal(table->count, count);
    assert_ids(table, ids, count);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_true(vs.complete);
    assert_false(vs.decoding);
    /* The whole read goes through every part. */
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_RECEIPTS),
                     BASE_OK);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, count);
    assert_ids(table, ids, count);
    free(ids);
}

/* A list replaced in the store while it is read is not mixed with the
 * new one: the reading starts again from the new list; a list cleared
 * meanwhile empties the table; a list that lacks the part its text says
 * follows is damaged. */
static void test_session_cached_more_list_replaced(void **state)
{
    static const char head[] = "{\"format\":2,\"view\":\"receipts\","
                               "\"rows\":[\n";
    static const char r1[] = "[1,null,null,null,null,null,null,null,null],\n";
    static const char r2[] = "[2,null,null,null,null,null,null,null,null]\n"
                             "]}\n";
    char first[256];
    const char *const other[] = {first, r2, NULL};
    const char *const cut[] = {first, NULL};
    struct fixture *f = *state;
    const struct core_table *table;
    struct core_view_state vs;
    size_t count = 0;
    bool more = true;
    int64_t *ids = cache_receipts(f, &count);

    snprintf(first, sizeof(first), "%s%s", head, r1);
    assert_int_equal(core_session_view_cached(f->session, CORE_VIEW_RECEIPTS),
                     BASE_OK);
    put_list(f, NULL, core_session_view(f->session, CORE_VIEW_RECEIPTS), 5);
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 100),
        BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     5);
    put_list(f, other, NULL, 0);
    assert_int_equal(core_session_view_cached_more(
                         f->session, CORE_VIEW_RECEIPTS, 100, &more),
                     BASE_OK);
    assert_true(more);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, 1);
    assert_int_equal(table->rows[0].id, 1);
    assert_int_equal(core_session_view_cached_more(
                         f->session, CORE_VIEW_RECEIPTS, 100, &more),
                     BASE_OK);
    assert_false(more);
    table = core_session_view(f->session, CORE_VIEW_RECEIPTS);
    assert_int_equal(table->count, 2);
    assert_int_equal(table->rows[1].id, 2);
    core_session_view_state(f->session, CORE_VIEW_RECEIPTS, &vs);
    assert_true(vs.complete);

    /* Cleared meanwhile: nothing is cached now. */
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 100),
        BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     1);
    clear_cache(f);
    assert_int_equal(core_session_view_cached_more(
                         f->session, CORE_VIEW_RECEIPTS, 100, &more),
                     BASE_OK);
    assert_false(more);
    assert_dropped(f);

    put_list(f, cut, NULL, 0);
    assert_int_equal(
        core_session_view_cached_first(f->session, CORE_VIEW_RECEIPTS, 100),
        BASE_OK);
    assert_int_equal(core_session_view(f->session, CORE_VIEW_RECEIPTS)->count,
                     1);
    assert_int_equal(core_session_view_cached_more(
                         f->session, CORE_VIEW_RECEIPTS, 100, &more),
                     BASE_E_DECODE);
    assert_dropped(f);
    free(ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_session_cached_first_null,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_cached_first_rows_then_rest, fixture_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_cached_load_while_decoding,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_cached_old_format_absent,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_session_cached_first_reads_one_part, fixture_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(test_session_cached_more_list_replaced,
                                        fixture_setup, fixture_teardown),
    };
    int failed;

    if (fixture_load_demo() != 0)
        return 1;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_free_demo();
    return failed;
}
