/* Filtering and sorting of a view's rows, shared by the UI's list and the
 * CSV export so that both show the same rows in the same order. */
#include "core/view.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/view_internal.h"

#define SHOWN_MAX 4096

/* The words of a filter, each cut to SHOWN_MAX - 1 bytes and folded by
 * core_text_fold_plain, so that a row is tested without folding them
 * again. */
struct words {
    char **text;
    size_t *len;
    size_t count;
};

struct sort_key {
    const struct core_table *table;
    const struct core_column *column;
    size_t index;
    bool desc;
};

/* How many rows ahead a scan asks for the memory of the row it will
 * read: the rows are separate blocks, and reading them one after another
 * would wait for each. */
#define AHEAD 8

/* Asks for the first lines cache lines of a row's block. */
static void prefetch_row(const struct core_row *row, int lines)
{
    const char *at = (const char *)row->cells;
    int i;

    for (i = 0; at && i < lines; i++)
        __builtin_prefetch(at + 64 * i);
}

/* A cell as the UI shows it: list items joined by ", ". */
static const char *shown(const struct core_column *column, const char *cell,
                         char *buf, size_t size)
{
    size_t n = 0;
    const char *p;

    if (!cell || column->kind != CORE_CELL_LIST)
        return cell;
    for (p = cell; *p && n + 3 < size; p++) {
        if (*p == '\n') {
            buf[n++] = ',';
            buf[n++] = ' ';
        } else {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
    return buf;
}

/* The bytes the folded cells can take: folding never lengthens text, and
 * a list as shown is cut to SHOWN_MAX. */
static size_t folded_bound(const struct core_view_info *info,
                           char *const *cells)
{
    size_t size = 1;
    size_t i;

    for (i = 0; i < info->column_count; i++) {
        if (info->columns[i].hidden || !cells[i])
            continue;
        if (info->columns[i].kind == CORE_CELL_LIST)
            size += SHOWN_MAX;
        else
            size += strlen(cells[i]) + 1;
    }
    return size;
}

char *core_view_row_folded(const struct core_view_info *info,
                           char *const *cells, size_t *len)
{
    char buf[SHOWN_MAX];
    size_t size = folded_bound(info, cells);
    char *out = malloc(size);
    size_t used = 0;
    const char *text;
    size_t i;

    if (!out)
        return NULL;
    for (i = 0; i < info->column_count; i++) {
        if (info->columns[i].hidden || !cells[i])
            continue;
        text = shown(&info->columns[i], cells[i], buf, sizeof(buf));
        core_text_fold_plain(text, out + used, size - used);
        used += strlen(out + used) + 1;
    }
    *len = used;
    return out;
}

static void words_free(struct words *w)
{
    size_t i;

    for (i = 0; i < w->count; i++)
        free(w->text[i]);
    free(w->text);
    free(w->len);
    memset(w, 0, sizeof(*w));
}

static int words_add(struct words *w, const char *word, size_t len)
{
    char needle[SHOWN_MAX];
    char *folded;

    if (len >= sizeof(needle))
        len = sizeof(needle) - 1;
    memcpy(needle, word, len);
    needle[len] = '\0';
    folded = malloc(len + 1);
    if (!folded)
        return -1;
    core_text_fold_plain(needle, folded, len + 1);
    w->text[w->count] = folded;
    w->len[w->count++] = strlen(folded);
    return 0;
}

/* Splits filter at spaces and tabs; false when memory runs out. */
static bool words_parse(const char *filter, struct words *w)
{
    size_t max = strlen(filter) / 2 + 1;
    const char *p;
    size_t len;

    memset(w, 0, sizeof(*w));
    w->text = calloc(max, sizeof(*w->text));
    w->len = calloc(max, sizeof(*w->len));
    if (!w->text || !w->len)
        goto fail;
    for (p = filter; *p; p += len) {
        p += strspn(p, " \t");
        len = strcspn(p, " \t");
        if (len && words_add(w, p, len) != 0)
            goto fail;
    }
    return true;
fail:
    words_free(w);
    return false;
}

/* Every word is part of one folded cell: the cells are NUL-separated
 * and a word holds no NUL, so a match never spans two. A word that folds
 * to nothing is part of any cell, so of a row with one. */
static bool folded_matches(const char *folded, size_t len,
                           const struct words *w)
{
    size_t i;

    for (i = 0; i < w->count; i++) {
        if (w->len[i] == 0 ? len == 0
                           : !memmem(folded, len, w->text[i], w->len[i]))
            return false;
    }
    return true;
}

static bool row_matches(const struct core_view_info *info,
                        const struct core_row *row, const struct words *w)
{
    const char *fold;
    char *made;
    size_t len = 0;
    bool found;

    if (w->count == 0)
        return true;
    if (row->stamp) {
        fold = core_view_row_fold(info, row, &len);
        return folded_matches(fold, len, w);
    }
    made = core_view_row_folded(info, row->cells, &len);
    found = made && folded_matches(made, len, w);
    free(made);
    return found;
}

bool core_view_row_matches(const struct core_table *table, size_t row,
                           const char *filter)
{
    const struct core_view_info *info;
    struct words w;
    bool found;

    if (!table || row >= table->count)
        return false;
    info = core_view_info(table->view);
    if (!info || !words_parse(filter ? filter : "", &w))
        return false;
    found = row_matches(info, &table->rows[row], &w);
    words_free(&w);
    return found;
}

/* A row's sort key for one column, made once: its class (NULL cells
 * first, then numbers, then other text), the number's bits or the first
 * eight bytes of the folded cell in an order that compares as unsigned,
 * and the folded cell. */
struct col_key {
    uint64_t head;
    const char *plain;
    uint8_t cls;
};

enum { KEY_NULL, KEY_NUMBER, KEY_TEXT };

/* The keys of some cells of one column of a table: keys[i] is the cell
 * of row rows[i]. */
struct keyset {
    const struct core_table *table;
    size_t index;
    struct col_key *keys;
    char *arena;
    const uint32_t *rows;
};

static bool kind_numeric(enum core_cell_kind kind)
{
    return kind == CORE_CELL_ID || kind == CORE_CELL_NUMBER ||
           kind == CORE_CELL_AMOUNT;
}

static uint64_t text_head(const char *plain)
{
    uint64_t head = 0;
    size_t i;

    for (i = 0; i < 8; i++) {
        head = head << 8 | (unsigned char)*plain;
        if (*plain)
            plain++;
    }
    return head;
}

/* Doubles as unsigned integers in the same order (-0 as 0). */
static uint64_t number_head(double x)
{
    uint64_t bits;

    if (x == 0)
        x = 0;
    memcpy(&bits, &x, sizeof(bits));
    return bits >> 63 ? ~bits : bits | (1ULL << 63);
}

/* core_view_parse_number for the plain decimals of at most 15 digits
 * that amounts are, without strtod: the digits as an integer are exact
 * and so is the power of ten, so their quotient is rounded as strtod
 * rounds. Other text is left to core_view_parse_number. */
static bool parse_number(const char *s, double *out)
{
    static const double tens[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *p = s + (*s == '-' || *s == '+');
    uint64_t m = 0;
    int digits = 0;
    int frac = -1;

    for (; *p && digits <= 15; p++) {
        if (*p == '.' && frac < 0)
            frac = 0;
        else if (*p < '0' || *p > '9')
            break;
        else {
            m = m * 10 + (uint64_t)(*p - '0');
            digits++;
            frac += frac >= 0;
        }
    }
    if (*p || digits == 0 || digits > 15)
        return core_view_parse_number(s, out);
    *out = (double)m / tens[frac > 0 ? frac : 0];
    if (*s == '-')
        *out = -*out;
    return true;
}

/* A packed row's folded cell of a shown, not list, column: the
 * segments of its folded text are the shown cells that are not NULL. */
static const char *packed_plain(const struct core_view_info *info,
                                const struct core_row *row, size_t index)
{
    size_t len = 0;
    const char *at = core_view_row_fold(info, row, &len);
    size_t i;

    for (i = 0; i < index; i++) {
        if (!info->columns[i].hidden && row->cells[i])
            at += strlen(at) + 1;
    }
    return at;
}

static bool plain_in_row(const struct core_view_info *info,
                         const struct core_row *row, size_t index)
{
    return row->stamp && !info->columns[index].hidden &&
           info->columns[index].kind != CORE_CELL_LIST;
}

/* The arena for the cells whose folded text the rows do not hold. */
static bool keys_arena(struct keyset *ks, const struct core_view_info *info,
                       const uint32_t *list, size_t n, size_t *size)
{
    const struct core_row *rows = ks->table->rows;
    size_t i;

    *size = 1;
    for (i = 0; i < n; i++) {
        const struct core_row *row = &rows[list[i]];

        if (row->cells[ks->index] && !plain_in_row(info, row, ks->index))
            *size += strlen(row->cells[ks->index]) + 1;
    }
    ks->arena = malloc(*size);
    return ks->arena != NULL;
}

/* Makes the keys of the rows list[0, n) of ks->table, keys[i] for
 * list[i]; false when memory runs out. */
static bool keys_make(struct keyset *ks, const uint32_t *list, size_t n)
{
    const struct core_view_info *info = core_view_info(ks->table->view);
    bool numeric = kind_numeric(info->columns[ks->index].kind);
    size_t size = 0;
    size_t used = 0;
    double x;
    size_t i;

    ks->keys = malloc((n ? n : 1) * sizeof(*ks->keys));
    if (!ks->keys || !keys_arena(ks, info, list, n, &size))
        return false;
    for (i = 0; i < n; i++) {
        const struct core_row *row = &ks->table->rows[list[i]];
        const char *cell = row->cells[ks->index];
        struct col_key *k = &ks->keys[i];

        if (i + AHEAD < n)
            prefetch_row(&ks->table->rows[list[i + AHEAD]], 3);

        k->cls = cell ? KEY_TEXT : KEY_NULL;
        k->plain = NULL;
        if (!cell)
            continue;
        if (plain_in_row(info, row, ks->index)) {
            k->plain = packed_plain(info, row, ks->index);
        } else {
            k->plain = ks->arena + used;
            core_text_fold_plain(cell, ks->arena + used, size - used);
            used += strlen(ks->arena + used) + 1;
        }
        if (numeric && parse_number(cell, &x)) {
            k->cls = KEY_NUMBER;
            k->head = number_head(x);
        } else {
            k->head = text_head(k->plain);
        }
    }
    return true;
}

static void keys_free(struct keyset *ks)
{
    free(ks->keys);
    free(ks->arena);
    ks->keys = NULL;
    ks->arena = NULL;
}

/* core_view_compare of the cells of keys a and b; 0 only for equal
 * cells. */
static int keys_compare(const struct keyset *ks, uint32_t a, uint32_t b)
{
    const struct col_key *x = &ks->keys[a];
    const struct col_key *y = &ks->keys[b];
    int c = 0;

    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->cls == KEY_NULL)
        return 0;
    if (x->head != y->head)
        return x->head < y->head ? -1 : 1;
    if (x->cls == KEY_NUMBER)
        c = strcmp(x->plain, y->plain);
    else if ((x->head & 0xFF) != 0)
        c = strcmp(x->plain + 8, y->plain + 8);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return core_view_compare_tie(ks->table->rows[ks->rows[a]].cells[ks->index],
                                 ks->table->rows[ks->rows[b]].cells[ks->index]);
}

/* Merges the sorted a[0, na) and b[0, nb) into out; equal keys keep a's
 * first. */
static void merge_two(const struct keyset *ks, const uint32_t *a, size_t na,
                      const uint32_t *b, size_t nb, uint32_t *out)
{
    size_t i = 0;
    size_t j = 0;
    size_t k = 0;

    if (na && nb && keys_compare(ks, a[na - 1], b[0]) <= 0) {
        memcpy(out, a, na * sizeof(*a));
        memcpy(out + na, b, nb * sizeof(*b));
        return;
    }
    while (i < na && j < nb) {
        if (keys_compare(ks, b[j], a[i]) < 0)
            out[k++] = b[j++];
        else
            out[k++] = a[i++];
    }
    while (i < na)
        out[k++] = a[i++];
    while (j < nb)
        out[k++] = b[j++];
}

static void merge_runs(const struct keyset *ks, const uint32_t *src,
                       uint32_t *dst, size_t lo, size_t mid, size_t hi)
{
    merge_two(ks, src + lo, mid - lo, src + mid, hi - mid, dst + lo);
}

/* Stable insertion sort of short runs, the start of the merge sort. */
static void sort_small(const struct keyset *ks, uint32_t *a, size_t n)
{
    size_t i;
    size_t j;
    uint32_t v;

    for (i = 1; i < n; i++) {
        v = a[i];
        for (j = i; j > 0 && keys_compare(ks, v, a[j - 1]) < 0; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* Sorts a[0, n) stably by the keys, spare being as long; the result is
 * in the buffer returned (a or spare). */
static uint32_t *keys_sort(const struct keyset *ks, uint32_t *a,
                           uint32_t *spare, size_t n)
{
    size_t width;
    size_t lo;
    uint32_t *tmp;

    for (lo = 0; lo < n; lo += 16)
        sort_small(ks, a + lo, n - lo < 16 ? n - lo : 16);
    for (width = 16; width < n; width *= 2) {
        for (lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = mid + width < n ? mid + width : n;

            merge_runs(ks, a, spare, lo, mid, hi);
        }
        tmp = a;
        a = spare;
        spare = tmp;
    }
    return a;
}

/* The distinct cells of the rows being sorted: rep[u] is the first row
 * with cell u, rank[u] its place among them in sorted order. */
struct uniq {
    uint32_t *rep;
    uint32_t *rank;
    uint32_t *id; /* for each row sorted, its cell's u */
    uint32_t *slots;
    size_t count;
    size_t mask;
};

static uint32_t text_hash(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The distinct cell of row, added when new. */
static uint32_t uniq_find(struct uniq *u, const struct keyset *ks, uint32_t row)
{
    const struct core_row *rows = ks->table->rows;
    const char *cell = rows[row].cells[ks->index];
    size_t slot = (cell ? text_hash(cell) : 0) & u->mask;
    const char *have;
    uint32_t v;

    while ((v = u->slots[slot]) != 0) {
        have = rows[u->rep[v - 1]].cells[ks->index];
        if (have == cell || (have && cell && strcmp(have, cell) == 0))
            return v - 1;
        slot = (slot + 1) & u->mask;
    }
    u->rep[u->count] = row;
    u->slots[slot] = (uint32_t)++u->count;
    return (uint32_t)(u->count - 1);
}

static void uniq_free(struct uniq *u)
{
    free(u->rep);
    free(u->rank);
    free(u->id);
    free(u->slots);
}

/* Finds the distinct cells of rows a[0, n) (ascending row numbers) and
 * ranks them; false when memory runs out. */
static bool uniq_make(struct uniq *u, struct keyset *ks, const uint32_t *a,
                      size_t n)
{
    const struct core_row *rows = ks->table->rows;
    size_t cap = 16;
    uint32_t *sorted;
    size_t i;

    while (cap < 2 * n)
        cap *= 2;
    memset(u, 0, sizeof(*u));
    u->mask = cap - 1;
    u->rep = malloc((n ? n : 1) * sizeof(*u->rep));
    u->rank = malloc((n ? n : 1) * sizeof(*u->rank));
    u->id = malloc((n ? n : 1) * sizeof(*u->id));
    u->slots = calloc(cap, sizeof(*u->slots));
    if (!u->rep || !u->rank || !u->id || !u->slots)
        return false;
    for (i = 0; i < n; i++) {
        if (i + 2 * AHEAD < n)
            prefetch_row(&rows[a[i + 2 * AHEAD]], 1);
        if (i + AHEAD < n && rows[a[i + AHEAD]].cells[ks->index])
            __builtin_prefetch(rows[a[i + AHEAD]].cells[ks->index]);
        u->id[i] = uniq_find(u, ks, a[i]);
    }
    if (!keys_make(ks, u->rep, u->count))
        return false;
    /* The keys are those of the distinct cells, by u; the slots are no
     * longer needed and hold the sort's first buffer. */
    ks->rows = u->rep;
    for (i = 0; i < u->count; i++)
        u->slots[i] = (uint32_t)i;
    sorted = keys_sort(ks, u->slots, u->rank, u->count);
    if (sorted == u->rank) {
        memcpy(u->slots, u->rank, u->count * sizeof(*u->rank));
        sorted = u->slots;
    }
    for (i = 0; i < u->count; i++)
        u->rank[sorted[i]] = (uint32_t)i;
    return true;
}

/* same[p] for the rows placed by rank: rank r ends at end[r] and
 * starts where rank r - 1 ends. */
static void runs_mark(const uint32_t *end, size_t ranks, uint8_t *same)
{
    size_t start = 0;
    size_t r;
    size_t p;

    for (r = 0; same && r < ranks; r++) {
        for (p = start; p < end[r]; p++)
            same[p] = p != start;
        start = end[r];
    }
}

/* Sorts the rows a[0, n) (ascending row numbers) stably by the keys:
 * each distinct cell is compared once, then the rows are placed by the
 * rank of their cell. When same is not NULL, same[i] says whether the
 * i-th row sorted has the cell of the one before. */
static bool rank_sort(struct keyset *ks, uint32_t *a, size_t n, uint8_t *same)
{
    struct uniq u;
    uint32_t *at = NULL;
    uint32_t *out = malloc((n ? n : 1) * sizeof(*out));
    bool ok = out && uniq_make(&u, ks, a, n);
    size_t i;

    if (ok)
        at = calloc(u.count + 1, sizeof(*at));
    if (ok && at) {
        for (i = 0; i < n; i++)
            at[u.rank[u.id[i]] + 1]++;
        for (i = 1; i <= u.count; i++)
            at[i] += at[i - 1];
        for (i = 0; i < n; i++)
            out[at[u.rank[u.id[i]]]++] = a[i];
        memcpy(a, out, n * sizeof(*a));
        runs_mark(at, u.count, same);
    }
    ok = ok && at;
    if (out)
        uniq_free(&u);
    keys_free(ks);
    free(at);
    free(out);
    return ok;
}

/* Writes sorted[0, n) to out from the last run of equal cells (same[i]:
 * sorted[i] has the cell of sorted[i - 1]) to the first, each run in its
 * own order, so that equal cells keep the server's order when
 * descending. */
static void runs_backwards(const uint32_t *sorted, const uint8_t *same,
                           size_t n, size_t *out)
{
    size_t end = n;
    size_t start;
    size_t k = 0;
    size_t i;

    while (end > 0) {
        start = end - 1;
        while (start > 0 && same[start])
            start--;
        for (i = start; i < end; i++)
            out[k++] = sorted[i];
        end = start;
    }
}

/* Sorts the row indices items[0..n) (ascending) by key; false when
 * memory runs out. */
static bool sort_rows(const struct sort_key *key, size_t *items, size_t n)
{
    struct keyset ks = {key->table, key->index, NULL, NULL, NULL};
    uint32_t *a;
    uint8_t *same;
    bool ok;
    size_t i;

    if (!key->column || n < 2)
        return true;
    a = malloc(n * sizeof(*a));
    same = malloc(n);
    ok = a && same;
    for (i = 0; ok && i < n; i++)
        a[i] = (uint32_t)items[i];
    ok = ok && rank_sort(&ks, a, n, same);
    if (ok && key->desc)
        runs_backwards(a, same, n, items);
    for (i = 0; ok && !key->desc && i < n; i++)
        items[i] = a[i];
    free(a);
    free(same);
    return ok;
}

static bool order_args(const struct core_table *table, size_t sort_column,
                       bool desc, struct sort_key *key)
{
    const struct core_view_info *info = core_view_info(table->view);

    if (!info || table->count > UINT32_MAX)
        return false;
    key->table = table;
    key->column = NULL;
    key->index = 0;
    key->desc = desc;
    if (sort_column < info->column_count) {
        key->column = &info->columns[sort_column];
        key->index = sort_column;
    }
    return true;
}

enum base_status core_view_order(const struct core_table *table,
                                 const char *filter, size_t sort_column,
                                 bool desc, size_t **order, size_t *n)
{
    struct sort_key key;
    struct words w;
    size_t *items;
    size_t count = 0;
    size_t i;

    if (!table || !order || !n || !order_args(table, sort_column, desc, &key))
        return BASE_E_INVALID;
    if (!words_parse(filter ? filter : "", &w))
        return BASE_E_NOMEM;
    items = malloc((table->count ? table->count : 1) * sizeof(*items));
    for (i = 0; items && i < table->count; i++) {
        if (row_matches(core_view_info(table->view), &table->rows[i], &w))
            items[count++] = i;
    }
    words_free(&w);
    if (!items || !sort_rows(&key, items, count)) {
        free(items);
        return BASE_E_NOMEM;
    }
    if (count == 0) {
        free(items);
        items = NULL;
    }
    *order = items;
    *n = count;
    return BASE_OK;
}

/* A column's rows in ascending order of its cells, equal cells in the
 * server's order; same[i] says rows[i] has the cell of rows[i - 1]. It
 * covers the table's first count rows, the last stamped last_stamp. */
struct perm {
    uint32_t *rows;
    uint8_t *same;
    size_t count;
    uint64_t last_stamp;
};

struct core_view_index {
    enum core_view view;
    uint64_t first_stamp;
    struct perm *perms;
    size_t ncolumns;
};

static void perm_clear(struct perm *p)
{
    free(p->rows);
    free(p->same);
    memset(p, 0, sizeof(*p));
}

void core_view_index_free(struct core_view_index **index)
{
    size_t i;

    if (!index || !*index)
        return;
    for (i = 0; i < (*index)->ncolumns; i++)
        perm_clear(&(*index)->perms[i]);
    free((*index)->perms);
    free(*index);
    *index = NULL;
}

/* Whether every row from first on is stamped, so that it is known again
 * by its stamp. */
static bool stamped_from(const struct core_table *table, size_t first)
{
    size_t i;

    for (i = first; i < table->count; i++) {
        if (table->rows[i].stamp == 0)
            return false;
    }
    return true;
}

/* The index made ready for table: perms of other rows dropped. */
static bool index_fit(struct core_view_index **index,
                      const struct core_table *table,
                      const struct core_view_info *info)
{
    struct core_view_index *x = *index;
    size_t i;

    if (x && (x->view != table->view || x->ncolumns != info->column_count))
        core_view_index_free(index);
    x = *index;
    if (!x) {
        x = calloc(1, sizeof(*x));
        if (x)
            x->perms = calloc(info->column_count, sizeof(*x->perms));
        if (!x || !x->perms) {
            free(x);
            return false;
        }
        x->ncolumns = info->column_count;
        x->view = table->view;
        *index = x;
    }
    if (x->first_stamp != table->rows[0].stamp) {
        for (i = 0; i < x->ncolumns; i++)
            perm_clear(&x->perms[i]);
        x->first_stamp = table->rows[0].stamp;
    }
    return true;
}

/* Sorts every row of table into p. */
static bool perm_build(struct perm *p, const struct core_table *table,
                       size_t index)
{
    struct keyset ks = {table, index, NULL, NULL, NULL};
    uint32_t *rows = malloc(table->count * sizeof(*rows));
    uint8_t *same = malloc(table->count);
    bool ok = rows && same;
    size_t i;

    for (i = 0; ok && i < table->count; i++)
        rows[i] = (uint32_t)i;
    if (ok && rank_sort(&ks, rows, table->count, same)) {
        perm_clear(p);
        p->rows = rows;
        p->same = same;
        p->count = table->count;
        p->last_stamp = table->rows[table->count - 1].stamp;
        return true;
    }
    free(rows);
    free(same);
    return false;
}

/* The perm of column index covering every row of table: kept, extended
 * by new rows or built anew. NULL when memory runs out. */
static const struct perm *index_perm(struct core_view_index *x,
                                     const struct core_table *table,
                                     size_t index)
{
    struct perm *p = &x->perms[index];

    if (p->count > table->count ||
        (p->count > 0 && table->rows[p->count - 1].stamp != p->last_stamp))
        perm_clear(p);
    if (p->count < table->count && !perm_build(p, table, index))
        return NULL;
    return p;
}

/* Which rows match w, one bit each: the rows are tested in the
 * server's order, the order their memory is in. NULL when memory runs
 * out. */
static uint64_t *match_bits(const struct core_table *table,
                            const struct words *w)
{
    const struct core_view_info *info = core_view_info(table->view);
    uint64_t *bits = calloc(table->count / 64 + 1, sizeof(*bits));
    size_t i;

    for (i = 0; bits && i < table->count; i++) {
        if (i + AHEAD < table->count)
            prefetch_row(&table->rows[i + AHEAD], 3);
        if (row_matches(info, &table->rows[i], w))
            bits[i / 64] |= 1ULL << (i % 64);
    }
    return bits;
}

/* The rows in perm's order (the server's when perm is NULL), backwards
 * by runs of equal cells when desc, that are in bits (every row when
 * bits is NULL); returns how many were written to out. */
static size_t order_pass(const struct core_table *table, const struct perm *p,
                         bool desc, const uint64_t *bits, size_t *out)
{
    size_t k = 0;
    size_t end = table->count;
    size_t start;
    size_t i;
    size_t r;

    while (end > 0) {
        start = 0;
        if (p && desc) {
            start = end - 1;
            while (start > 0 && p->same[start])
                start--;
        }
        for (i = start; i < end; i++) {
            r = p ? p->rows[i] : i;
            if (!bits || (bits[r / 64] >> (r % 64) & 1))
                out[k++] = r;
        }
        end = start;
    }
    return k;
}

enum base_status core_view_index_order(struct core_view_index **index,
                                       const struct core_table *table,
                                       const char *filter, size_t sort_column,
                                       bool desc, size_t **order, size_t *n)
{
    const struct perm *p = NULL;
    uint64_t *bits;
    struct sort_key key;
    struct words w;
    size_t *items;
    size_t count;

    if (!index || !table || !order || !n ||
        !order_args(table, sort_column, desc, &key))
        return BASE_E_INVALID;
    if (table->count == 0 || !stamped_from(table, 0) ||
        !index_fit(index, table, core_view_info(table->view)))
        return core_view_order(table, filter, sort_column, desc, order, n);
    if (key.column && !(p = index_perm(*index, table, key.index)))
        return BASE_E_NOMEM;
    if (!words_parse(filter ? filter : "", &w))
        return BASE_E_NOMEM;
    bits = w.count ? match_bits(table, &w) : NULL;
    items = malloc(table->count * sizeof(*items));
    count = items && (bits || !w.count)
                ? order_pass(table, p, desc, bits, items)
                : 0;
    free(bits);
    if (!items || (!bits && w.count)) {
        words_free(&w);
        free(items);
        return BASE_E_NOMEM;
    }
    words_free(&w);
    if (count == 0) {
        free(items);
        items = NULL;
    }
    *order = items;
    *n = count;
    return BASE_OK;
}

enum base_status core_view_order_narrow(const struct core_table *table,
                                        const char *filter, size_t *order,
                                        size_t *n)
{
    const struct core_view_info *info;
    struct words w;
    size_t kept = 0;
    size_t i;

    if (!table || !n || (*n > 0 && !order))
        return BASE_E_INVALID;
    info = core_view_info(table->view);
    if (!info)
        return BASE_E_INVALID;
    for (i = 0; i < *n; i++) {
        if (order[i] >= table->count)
            return BASE_E_INVALID;
    }
    if (!words_parse(filter ? filter : "", &w))
        return BASE_E_NOMEM;
    for (i = 0; i < *n; i++) {
        if (i + AHEAD < *n)
            prefetch_row(&table->rows[order[i + AHEAD]], 3);
        if (row_matches(info, &table->rows[order[i]], &w))
            order[kept++] = order[i];
    }
    words_free(&w);
    *n = kept;
    return BASE_OK;
}

bool core_view_column_by_key(enum core_view view, const char *key,
                             size_t *column)
{
    const struct core_view_info *info = core_view_info(view);
    size_t i;

    if (!info || !key || !column)
        return false;
    for (i = 0; i < info->column_count; i++) {
        if (strcmp(info->columns[i].key, key) == 0) {
            *column = i;
            return true;
        }
    }
    return false;
}
