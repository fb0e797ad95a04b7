/* Times what a 100,000-row view costs the UI: a filter keystroke, a
 * re-sort per column kind, a page down, the column widths of a screen
 * and the cache read, and prints the memory the rows take. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/view.h"
#include "tui/app.h"
#include "tui/columns.h"
#include "tui/listview.h"
#include "tui/text.h"

#define ROWS_DEFAULT 100000
#define PAGE_ROWS 100
#define REPEATS 5
#define WIDTH_ROWS 3000
#define FRAME_MS 16.0

static const char *const words[] = {
    "Taksi",
    "lentokent\u00e4lle",
    "Junalippu",
    "hotelliin",
    "Lounas",
    "R\u00e9sum\u00e9",
    "m\u00f6tet",
    "tryckkostnad",
    "Parkering",
    "asiakas",
    "Kahvi",
    "Illallinen",
    "S\u00f6derstr\u00f6m",
    "toimisto",
    "paperit",
    "Bensa",
    "kokous",
    "matka",
};
static const char *const users[] = {
    "Riikka S\u00f6derstr\u00f6m",
    "Linne\u0301a \u00c5kerlund",
    "Pekka V\u00e4is\u00e4nen",
    "Aino Virtanen",
    "Oskar Lindqvist",
    "Mar\u00eda G\u00f3mez",
    "Jukka Nieminen",
    "Sofia Berg",
};
static const char *const states[] = {"queue", "reviewing", "draft", "approved",
                                     "paid"};
static const char *const currencies[] = {"EUR", "SEK", "NOK", "USD"};

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

#define PICK(a) ((a)[next_random() % (sizeof(a) / sizeof((a)[0]))])

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long status_kb(const char *field)
{
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    FILE *f = fopen("/proc/self/status", "r");

    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, field, n) == 0)
            kb = strtol(line + n, NULL, 10);
    }
    if (f)
        fclose(f);
    return kb;
}

/* One receipt as the server sends it, about as long as the demo's. */
static int receipt_json(char *out, size_t size, long id)
{
    long cents = (long)(next_random() % 50000) + 100;

    return snprintf(
        out, size,
        "{\"id\":%ld,\"date\":\"202%u-%02u-%02u\",\"description\":"
        "\"%s %s %s\",\"user_id\":%u,\"user_name\":\"%s\",\"company_id\":"
        "427,\"state\":\"%s\",\"total_cost\":\"%ld.%02ld\",\"currency\":"
        "\"%s\",\"created_at\":\"2024-02-23T10:48:17.943Z\",\"updated_at\":"
        "\"2025-01-20T07:01:30.663Z\",\"vendor\":\"\\u00c5lands "
        "Ombudsbolag\",\"credit_account_id\":42704,\"vat_lines\":[{"
        "\"expense_account_id\":42713,\"expense_account_name\":"
        "\"Kontorsmaterial\",\"amount\":\"%ld.%02ld\",\"vat_percent\":"
        "\"24\",\"vat_amount\":\"1.90\"}],\"documents\":[{\"id\":%ld,"
        "\"file_name\":\"kvitto-%ld.pdf\",\"content_type\":"
        "\"application/pdf\"}],\"cost_center_ids\":[427004],"
        "\"current_approvers_ids\":[],\"approved_by_ids\":[\"4702\"],"
        "\"comments\":[],\"paid_at\":null}",
        id, 3 + next_random() % 3, 1 + next_random() % 12,
        1 + next_random() % 28, PICK(words), PICK(words), PICK(words),
        4700 + next_random() % 40, PICK(users), PICK(states), cents / 100,
        cents % 100, PICK(currencies), cents / 100, cents % 100, 60000 + id,
        id);
}

/* Decodes the rows as pages of the server's answers; returns the bytes
 * of JSON the pages held. */
static size_t build_table(struct core_table *table, size_t rows)
{
    char *page = malloc(PAGE_ROWS * 2048);
    size_t total = 0;
    size_t done = 0;
    bool more = false;

    while (page && done < rows) {
        size_t len = 1;
        size_t i;

        page[0] = '[';
        for (i = 0; i < PAGE_ROWS && done + i < rows; i++) {
            if (i > 0)
                page[len++] = ',';
            len += (size_t)receipt_json(page + len, 2048, (long)(done + i));
        }
        page[len++] = ']';
        if (core_view_decode(CORE_VIEW_RECEIPTS, page, len, PAGE_ROWS, table,
                             &more) != BASE_OK) {
            fprintf(stderr, "decode failed at row %zu\n", done);
            exit(1);
        }
        done += i;
        total += len;
    }
    free(page);
    return total;
}

static void report(const char *what, const double *ms, size_t n)
{
    double max = 0;
    double sum = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        sum += ms[i];
        max = ms[i] > max ? ms[i] : max;
    }
    printf("%-34s mean %8.2f ms  max %8.2f ms  %s\n", what, sum / (double)n,
           max, max <= FRAME_MS ? "ok" : "OVER A FRAME");
}

static void rebuild(struct tui_listview *lv, const struct core_table *t,
                    const char *filter)
{
    if (tui_listview_rebuild(lv, t, filter, SIZE_MAX) != BASE_OK) {
        fprintf(stderr, "rebuild failed\n");
        exit(1);
    }
}

/* Types word one character at a time, then erases it again. */
static void time_typing(const struct core_table *t, size_t sort,
                        const char *word, const char *label)
{
    struct tui_listview lv;
    double typed[32];
    double erased[32];
    char filter[64];
    size_t len = strlen(word);
    size_t i;
    size_t n = 0;
    double t0;
    char what[96];

    memset(&lv, 0, sizeof(lv));
    tui_listview_reset(&lv);
    lv.sort_column = sort;
    rebuild(&lv, t, "");
    for (i = 1; i <= len && n < 32; i++, n++) {
        snprintf(filter, sizeof(filter), "%.*s", (int)i, word);
        t0 = now_ms();
        rebuild(&lv, t, filter);
        typed[n] = now_ms() - t0;
    }
    printf("  \"%s\" leaves %zu rows\n", word, lv.n);
    for (i = 0; i < n; i++) {
        snprintf(filter, sizeof(filter), "%.*s", (int)(len - 1 - i), word);
        t0 = now_ms();
        rebuild(&lv, t, filter);
        erased[i] = now_ms() - t0;
    }
    snprintf(what, sizeof(what), "filter keystroke (%s)", label);
    report(what, typed, n);
    snprintf(what, sizeof(what), "filter backspace (%s)", label);
    report(what, erased, n);
    tui_listview_reset(&lv);
    free(lv.order);
}

static void time_sorts(const struct core_table *t, const char *filter)
{
    static const char *const keys[] = {"date", "description", "amount",
                                       "user_id"};
    struct tui_listview lv;
    double ms[REPEATS * 2];
    char what[96];
    size_t k;
    size_t r;
    size_t column;
    double t0;

    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        if (!core_view_column_by_key(CORE_VIEW_RECEIPTS, keys[k], &column))
            exit(1);
        memset(&lv, 0, sizeof(lv));
        tui_listview_reset(&lv);
        rebuild(&lv, t, filter);
        for (r = 0; r < REPEATS * 2; r++) {
            tui_listview_sort_by(&lv, column);
            t0 = now_ms();
            rebuild(&lv, t, filter);
            ms[r] = now_ms() - t0;
        }
        snprintf(what, sizeof(what), "re-sort %s%s", keys[k],
                 filter[0] ? " (filtered)" : "");
        report(what, ms, REPEATS * 2);
        tui_listview_reset(&lv);
        free(lv.order);
    }
}

static void time_paging(const struct core_table *t)
{
    struct tui_listview lv;
    double ms[REPEATS];
    size_t r;
    size_t i;
    double t0;

    memset(&lv, 0, sizeof(lv));
    tui_listview_reset(&lv);
    rebuild(&lv, t, "");
    for (r = 0; r < REPEATS; r++) {
        t0 = now_ms();
        for (i = 0; i < 100; i++)
            tui_listview_page(&lv, true, 40);
        ms[r] = (now_ms() - t0) / 100;
    }
    report("page down", ms, REPEATS);
    tui_listview_reset(&lv);
    free(lv.order);
}

/* What a frame does for the widths: the widest cell of each shown
 * column over the first rows the screen scans, then the fit. */
static void time_widths(const struct core_table *t)
{
    const struct core_view_info *info = core_view_info(t->view);
    struct tui_columns_need need[TUI_APP_COLUMNS_MAX];
    int widths[TUI_APP_COLUMNS_MAX];
    double ms[REPEATS];
    char buf[1024];
    size_t r;
    size_t c;
    size_t i;
    double t0;

    for (r = 0; r < REPEATS; r++) {
        t0 = now_ms();
        for (c = 0; c < info->column_count; c++) {
            need[c].header = tui_text_width(info->columns[c].title);
            need[c].natural = 0;
            need[c].preferred = info->columns[c].width;
            for (i = 0; i < t->count && i < WIDTH_ROWS; i++) {
                int w = tui_text_width(tui_app_cell_text(
                    &info->columns[c], t->rows[i].cells[c], buf, sizeof(buf)));

                need[c].natural = w > need[c].natural ? w : need[c].natural;
            }
        }
        tui_columns_fit(need, info->column_count, 200, 2, widths);
        ms[r] = now_ms() - t0;
    }
    report("column widths (3000-row scan+fit)", ms, REPEATS);
    for (r = 0; r < REPEATS; r++) {
        t0 = now_ms();
        tui_columns_fit(need, info->column_count, 200, 2, widths);
        ms[r] = now_ms() - t0;
    }
    report("column fit alone", ms, REPEATS);
}

/* Where the tables keep their items, as the UI does in its home (argv[2]);
 * NULL: in memory. */
static const char *item_dir;

static void time_cache(const struct core_table *t, size_t json_bytes)
{
    struct core_table back = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    size_t len = 0;
    double t0 = now_ms();
    char *text = core_view_cache_text(t, &len);
    double ms;
    long rss;

    if (!text)
        exit(1);
    if (item_dir && core_table_item_file(&back, item_dir) != BASE_OK)
        exit(1);
    printf("cache text: %zu bytes (%.1f%% of the JSON), written in %.1f ms\n",
           len, 100.0 * (double)len / (double)json_bytes, now_ms() - t0);
    rss = status_kb("VmRSS:");
    t0 = now_ms();
    if (core_view_decode_cached(CORE_VIEW_RECEIPTS, text, len, &back) !=
            BASE_OK ||
        back.count != t->count) {
        fprintf(stderr, "cache decode failed\n");
        exit(1);
    }
    ms = now_ms() - t0;
    printf("cache decode of %zu rows: %.1f ms; RSS +%ld kB over the text\n",
           back.count, ms, status_kb("VmRSS:") - rss);
    printf("cache decode per 40-row screen: %.3f ms\n",
           ms * 40 / (double)back.count);
    free(text);
    core_table_clear(&back);
}

int main(int argc, char **argv)
{
    struct core_table table = {CORE_VIEW_RECEIPTS, NULL, 0, 0, 0, NULL};
    size_t rows = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : ROWS_DEFAULT;
    long base = status_kb("VmRSS:");
    double t0;
    size_t json;
    long rss;
    size_t user_id;

    item_dir = argc > 2 ? argv[2] : NULL;
    if (item_dir && core_table_item_file(&table, item_dir) != BASE_OK) {
        fprintf(stderr, "no item file in %s\n", item_dir);
        return 1;
    }
    t0 = now_ms();
    json = build_table(&table, rows ? rows : ROWS_DEFAULT);
    rss = status_kb("VmRSS:");

    printf("%zu rows decoded from %zu bytes of JSON in %.0f ms\n", table.count,
           json, now_ms() - t0);
    printf("RSS %ld kB before, %ld kB with the rows: %ld kB for rows "
           "(%.1f%% of the JSON)\n",
           base, rss, rss - base, 100.0 * (double)(rss - base) * 1024 / json);
    time_typing(&table, SIZE_MAX, "taksi", "server order");
    time_typing(&table, 1, "taksi", "by description");
    time_typing(&table, 1, "soderstrom kok", "two words");
    time_sorts(&table, "");
    time_sorts(&table, "a");
    time_paging(&table);
    time_widths(&table);
    if (!core_view_column_by_key(CORE_VIEW_RECEIPTS, "user_id", &user_id))
        return 1;
    time_cache(&table, json);
    printf("peak RSS %ld kB\n", status_kb("VmHWM:"));
    core_table_clear(&table);
    return 0;
}
