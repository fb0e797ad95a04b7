/* The table of browsable views: their columns, endpoints and paging, who
 * may use them, how cells sort, and the rows' memory. */
#include "core/view.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/endpoints.h"
#include "core/text.h"
#include "core/view_internal.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define COL_DATE                                  \
    {                                             \
        "date", "Date", CORE_CELL_DATE, 10, false \
    }
#define COL_DESCRIPTION                                         \
    {                                                           \
        "description", "Description", CORE_CELL_TEXT, 30, false \
    }
#define COL_USER                                       \
    {                                                  \
        "user_name", "User", CORE_CELL_TEXT, 20, false \
    }
#define COL_AMOUNT                                      \
    {                                                   \
        "amount", "Amount", CORE_CELL_AMOUNT, 10, false \
    }
#define COL_CURRENCY                                     \
    {                                                    \
        "currency", "Currency", CORE_CELL_TEXT, 8, false \
    }
#define COL_STATE                                   \
    {                                               \
        "state", "State", CORE_CELL_TEXT, 10, false \
    }
#define COL_USER_ID                                 \
    {                                               \
        "user_id", "User id", CORE_CELL_ID, 8, true \
    }
#define COL_TYPE                                 \
    {                                            \
        "type", "Type", CORE_CELL_TEXT, 9, false \
    }

static const struct core_column receipt_columns[] = {
    COL_DATE,     COL_DESCRIPTION, COL_USER,    COL_AMOUNT,
    COL_CURRENCY, COL_STATE,       COL_USER_ID,
};

static const struct core_column trip_columns[] = {
    COL_DATE,
    COL_DESCRIPTION,
    COL_USER,
    {"distance", "Km", CORE_CELL_NUMBER, 7, false},
    COL_AMOUNT,
    COL_CURRENCY,
    {"vehicle", "Vehicle", CORE_CELL_TEXT, 14, false},
    COL_STATE,
    COL_USER_ID,
};

static const struct core_column allowance_columns[] = {
    COL_DATE,
    COL_DESCRIPTION,
    COL_USER,
    {"days", "Days", CORE_CELL_NUMBER, 5, false},
    COL_AMOUNT,
    COL_CURRENCY,
    {"country", "Country", CORE_CELL_LIST, 16, false},
    COL_STATE,
    COL_USER_ID,
};

static const struct core_column reward_columns[] = {
    COL_DATE,     COL_DESCRIPTION,
    COL_USER,     {"reward_type", "Reward type", CORE_CELL_TEXT, 16, false},
    COL_AMOUNT,   {"tax", "Tax", CORE_CELL_AMOUNT, 10, false},
    COL_CURRENCY, COL_STATE,
    COL_USER_ID,
};

static const struct core_column approval_columns[] = {
    COL_TYPE,   COL_DATE,     COL_DESCRIPTION, COL_USER,
    COL_AMOUNT, COL_CURRENCY, COL_STATE,       COL_USER_ID,
};

static const struct core_column archive_columns[] = {
    {"batch_date", "Batch date", CORE_CELL_DATE, 10, false},
    {"batch", "Batch", CORE_CELL_TEXT, 14, false},
    COL_TYPE,
    COL_DATE,
    COL_DESCRIPTION,
    COL_USER,
    COL_AMOUNT,
    COL_CURRENCY,
    COL_USER_ID,
};

static const struct core_column user_columns[] = {
    {"name", "Name", CORE_CELL_TEXT, 22, false},
    {"email", "Email", CORE_CELL_TEXT, 28, false},
    {"roles", "Roles", CORE_CELL_LIST, 22, false},
    COL_STATE,
    {"last_sign_in_at", "Last sign-in", CORE_CELL_DATE, 20, false},
};

static const struct core_column ledger_columns[] = {
    {"code", "Code", CORE_CELL_TEXT, 8, false},
    {"name", "Name", CORE_CELL_TEXT, 30, false},
    {"type", "Type", CORE_CELL_TEXT, 8, false},
    {"active", "Active", CORE_CELL_BOOL, 6, false},
    {"external_id", "External id", CORE_CELL_TEXT, 12, true},
};

static const struct core_column cost_center_columns[] = {
    {"dimension", "Dimension", CORE_CELL_TEXT, 16, false},
    {"name", "Name", CORE_CELL_TEXT, 26, false},
    {"external_id", "External id", CORE_CELL_TEXT, 12, false},
    {"active", "Active", CORE_CELL_BOOL, 6, false},
    {"required", "Required", CORE_CELL_BOOL, 8, false},
};

static const struct core_column batch_columns[] = {
    {"date", "Date", CORE_CELL_DATE, 10, false},
    {"reference", "Reference", CORE_CELL_TEXT, 16, false},
    COL_DESCRIPTION,
    {"items", "Items", CORE_CELL_NUMBER, 5, false},
    {"total", "Total", CORE_CELL_AMOUNT, 12, false},
    COL_CURRENCY,
};

static const struct core_column company_columns[] = {
    {"setting", "Key", CORE_CELL_TEXT, 22, true},
    {"title", "Setting", CORE_CELL_TEXT, 26, false},
    {"value", "Value", CORE_CELL_TEXT, 40, false},
};

#define NEEDS_ANY "a role in this company (any accepted membership)"
#define NEEDS_USERS                                                     \
    "the manager or accountant role (or a company that lets employees " \
    "see all users)"

#define INFO(v, name, title, path, paging, per_page, cols, state, needs)  \
    {                                                                     \
        v, name, title, path, paging, per_page, cols, COUNT(cols), state, \
            needs                                                         \
    }

static const struct core_view_info infos[CORE_VIEW_COUNT] = {
    INFO(CORE_VIEW_RECEIPTS, "receipts", "Receipts", CORE_EP_RECEIPTS,
         CORE_PAGING_ARRAY, CORE_PER_PAGE, receipt_columns, true, NEEDS_ANY),
    INFO(CORE_VIEW_TRIPS, "trips", "Trips", CORE_EP_TRIPS, CORE_PAGING_ARRAY,
         CORE_PER_PAGE, trip_columns, true, NEEDS_ANY),
    INFO(CORE_VIEW_ALLOWANCES, "allowances", "Daily allowances",
         CORE_EP_ALLOWANCES, CORE_PAGING_ARRAY, CORE_PER_PAGE,
         allowance_columns, true, NEEDS_ANY),
    INFO(CORE_VIEW_REWARDS, "rewards", "Rewards", CORE_EP_REWARDS,
         CORE_PAGING_ARRAY, CORE_PER_PAGE, reward_columns, true, NEEDS_ANY),
    INFO(CORE_VIEW_APPROVALS, "approvals", "My approvals", CORE_EP_EXPENSES,
         CORE_PAGING_NONE, 0, approval_columns, false, NEEDS_ANY),
    INFO(CORE_VIEW_ARCHIVE, "archive", "Archive", CORE_EP_ARCHIVE,
         CORE_PAGING_ARCHIVE, 0, archive_columns, false, NEEDS_ANY),
    INFO(CORE_VIEW_USERS, "users", "Users and roles", CORE_EP_USERS,
         CORE_PAGING_ARRAY, CORE_PER_PAGE, user_columns, false, NEEDS_USERS),
    INFO(CORE_VIEW_LEDGER_ACCOUNTS, "ledger-accounts", "Ledger accounts",
         CORE_EP_LEDGER_ACCOUNTS, CORE_PAGING_ARRAY, CORE_PER_PAGE,
         ledger_columns, false, NEEDS_ANY),
    INFO(CORE_VIEW_COST_CENTERS, "cost-centers", "Cost centers",
         CORE_EP_COST_CENTERS, CORE_PAGING_ARRAY, CORE_PER_PAGE_COST_CENTERS,
         cost_center_columns, false, NEEDS_ANY),
    INFO(CORE_VIEW_BATCHES, "batches", "Batch documents", CORE_EP_BATCHES,
         CORE_PAGING_ARRAY, CORE_PER_PAGE, batch_columns, false, NEEDS_ANY),
    INFO(CORE_VIEW_COMPANY, "company", "Company info", CORE_EP_COMPANY,
         CORE_PAGING_NONE, 0, company_columns, false, NEEDS_ANY),
};

const struct core_view_info *core_view_info(enum core_view view)
{
    if ((int)view < 0 || view >= CORE_VIEW_COUNT)
        return NULL;
    return &infos[view];
}

bool core_view_by_name(const char *name, enum core_view *out)
{
    size_t i;

    if (!name || !out)
        return false;
    for (i = 0; i < CORE_VIEW_COUNT; i++) {
        if (strcmp(infos[i].name, name) == 0) {
            *out = infos[i].view;
            return true;
        }
    }
    return false;
}

static bool has_role(const struct core_roles *roles, const char *role)
{
    size_t i;

    for (i = 0; i < roles->count; i++) {
        if (roles->names && roles->names[i] &&
            strcmp(roles->names[i], role) == 0)
            return true;
    }
    return false;
}

/* Which items a role sees is the server's business; this only says
 * whether the view is worth offering. An empty role list is a membership
 * that grants nothing. */
enum core_access core_view_access(enum core_view view,
                                  const struct core_roles *roles)
{
    if (!core_view_info(view))
        return CORE_ACCESS_NO;
    if (!roles)
        return CORE_ACCESS_MAYBE;
    if (roles->count == 0)
        return CORE_ACCESS_NO;
    if (view != CORE_VIEW_USERS)
        return CORE_ACCESS_YES;
    if (has_role(roles, "manager") || has_role(roles, "accountant"))
        return CORE_ACCESS_YES;
    return CORE_ACCESS_MAYBE;
}

struct role_words {
    const char *role;
    const char *words;
};

static const struct role_words role_words[] = {
    {"employee", "submits expenses and sees their own; the base role "
                 "every user of the company should have"},
    {"manager", "company administrator: sees and manages every expense of "
                "the company, adds and edits users, changes company "
                "settings"},
    {"accountant", "sees every expense of the company, makes accounting "
                   "batches, reports and exports"},
    {"approver", "listed as an approver that others can pick; the right "
                 "to approve comes from the company's approval cycles, "
                 "not from this role"},
    {"money_checker", "the final approver of every approval cycle in the "
                      "company"},
};

const char *core_view_role_words(const char *role)
{
    size_t i;

    for (i = 0; role && i < COUNT(role_words); i++) {
        if (strcmp(role_words[i].role, role) == 0)
            return role_words[i].words;
    }
    return "a role this client does not know; the server decides what "
           "it allows";
}

bool core_view_parse_number(const char *s, double *out)
{
    char *end = NULL;
    const char *p = s;

    if (*p == '-' || *p == '+')
        p++;
    if (!((*p >= '0' && *p <= '9') ||
          (*p == '.' && p[1] >= '0' && p[1] <= '9')))
        return false;
    *out = strtod(s, &end);
    return end && *end == '\0' && end != s;
}

int core_view_compare_tie(const char *a, const char *b)
{
    size_t la;
    size_t lb;
    char *fa;
    char *fb;
    int c = 0;

    if (strcmp(a, b) == 0)
        return 0;
    la = strlen(a) + 1;
    lb = strlen(b) + 1;
    fa = malloc(la);
    fb = malloc(lb);
    if (fa && fb) {
        core_text_fold(a, fa, la);
        core_text_fold(b, fb, lb);
        c = strcmp(fa, fb);
    }
    free(fa);
    free(fb);
    if (c == 0)
        c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

static int compare_text(const char *a, const char *b)
{
    size_t la = strlen(a) + 1;
    size_t lb = strlen(b) + 1;
    char *fa = malloc(la);
    char *fb = malloc(lb);
    int c = 0;

    if (fa && fb) {
        core_text_fold_plain(a, fa, la);
        core_text_fold_plain(b, fb, lb);
        c = strcmp(fa, fb);
    }
    free(fa);
    free(fb);
    if (c == 0)
        return core_view_compare_tie(a, b);
    return c < 0 ? -1 : c > 0;
}

int core_view_compare(const struct core_column *column, const char *a,
                      const char *b)
{
    double x;
    double y;
    bool numeric;

    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    numeric = column && (column->kind == CORE_CELL_ID ||
                         column->kind == CORE_CELL_NUMBER ||
                         column->kind == CORE_CELL_AMOUNT);
    if (numeric) {
        bool na = core_view_parse_number(a, &x);
        bool nb = core_view_parse_number(b, &y);

        /* Numbers first, then what is not a number, by text. */
        if (na && nb && x != y)
            return x < y ? -1 : 1;
        if (na != nb)
            return na ? -1 : 1;
    }
    return compare_text(a, b);
}

static void row_clear(struct core_row *row, size_t ncells)
{
    size_t i;

    /* A packed row's cells and item live in the block at cells. */
    for (i = 0; !row->stamp && row->cells && i < ncells; i++)
        free(row->cells[i]);
    if (!row->stamp)
        free(row->item);
    free(row->cells);
    row->cells = NULL;
    row->item = NULL;
    row->stamp = 0;
}

/* Stamps are never reused, so a list that remembers one knows its row. */
static atomic_uint_fast64_t next_stamp = 1;

/* What a packed row's block holds after its cell pointers: the folded
 * text's length, then where the item is in the table's item file
 * (item_off NO_FILE when it is not there). */
struct block_head {
    uint32_t fold_len;
    uint32_t item_len;
    uint64_t item_off;
};

#define NO_FILE UINT64_MAX

/* The block of a packed row: the cell pointers, its head, the folded
 * text's bytes, then the cells and the item kept in memory (if any),
 * each NUL-terminated. */
static size_t block_size(size_t ncells, char *const *cells, const char *item,
                         size_t fold_len)
{
    size_t size =
        ncells * sizeof(char *) + sizeof(struct block_head) + fold_len;
    size_t i;

    for (i = 0; i < ncells; i++)
        size += cells[i] ? strlen(cells[i]) + 1 : 0;
    return size + (item ? strlen(item) + 1 : 0);
}

/* Copies text to *at and moves *at past it; NULL stays NULL. */
static char *put(char **at, const char *text)
{
    char *out = *at;
    size_t n;

    if (!text)
        return NULL;
    n = strlen(text) + 1;
    memcpy(out, text, n);
    *at += n;
    return out;
}

/* Writes the row's item to items where it can; *head says where, and
 * the item to keep in memory is returned (NULL once it is in the file). */
static const char *item_away(struct core_items *items, const char *item,
                             struct block_head *head)
{
    size_t len = item ? strlen(item) : 0;
    uint64_t off = 0;

    head->item_off = NO_FILE;
    head->item_len = 0;
    if (!items || !item || len == 0 || len > UINT32_MAX ||
        core_view_items_put(items, item, len, &off) != 0)
        return item;
    head->item_off = off;
    head->item_len = (uint32_t)len;
    return NULL;
}

int core_view_row_pack(const struct core_view_info *info, struct core_row *row,
                       bool owned, struct core_items *items)
{
    size_t n = info->column_count;
    size_t fold_len = 0;
    char *folded = core_view_row_folded(info, row->cells, &fold_len);
    struct block_head head;
    const char *kept;
    char **block;
    char *item;
    char *at;
    size_t i;

    if (!folded || fold_len > UINT32_MAX)
        goto fail;
    kept = item_away(items, row->item, &head);
    head.fold_len = (uint32_t)fold_len;
    block = malloc(block_size(n, row->cells, kept, fold_len));
    if (!block)
        goto fail;
    at = (char *)(block + n);
    memcpy(at, &head, sizeof(head));
    memcpy(at + sizeof(head), folded, fold_len);
    at += sizeof(head) + fold_len;
    for (i = 0; i < n; i++)
        block[i] = put(&at, row->cells[i]);
    free(folded);
    item = put(&at, kept);
    if (owned)
        row_clear(row, n);
    else
        free(row->cells);
    row->cells = block;
    row->item = item;
    row->stamp = atomic_fetch_add(&next_stamp, 1);
    return 0;
fail:
    free(folded);
    return VIEW_FAIL;
}

static struct block_head row_head(const struct core_view_info *info,
                                  const struct core_row *row)
{
    struct block_head head;

    memcpy(&head, row->cells + info->column_count, sizeof(head));
    return head;
}

const char *core_view_row_fold(const struct core_view_info *info,
                               const struct core_row *row, size_t *len)
{
    const char *at = (const char *)(row->cells + info->column_count);

    *len = row_head(info, row).fold_len;
    return at + sizeof(struct block_head);
}

bool core_view_row_item_at(const struct core_view_info *info,
                           const struct core_row *row, uint64_t *off,
                           size_t *len)
{
    struct block_head head;

    if (!row->stamp || row->item || !row->cells)
        return false;
    head = row_head(info, row);
    if (head.item_off == NO_FILE)
        return false;
    *off = head.item_off;
    *len = head.item_len;
    return true;
}

void core_table_truncate(struct core_table *table, size_t count)
{
    const struct core_view_info *info;
    size_t i;

    if (!table || count >= table->count)
        return;
    info = core_view_info(table->view);
    for (i = count; i < table->count; i++)
        row_clear(&table->rows[i], info ? info->column_count : 0);
    table->count = count;
}

void core_table_clear(struct core_table *table)
{
    const struct core_view_info *info;
    size_t i;

    if (!table)
        return;
    info = core_view_info(table->view);
    for (i = 0; i < table->count; i++)
        row_clear(&table->rows[i], info ? info->column_count : 0);
    free(table->rows);
    table->rows = NULL;
    table->count = 0;
    table->cap = 0;
    table->company_id = 0;
    core_view_items_free(&table->items);
}

static int grow(struct core_table *table, size_t need)
{
    struct core_row *rows;
    size_t cap = table->cap ? table->cap : 16;

    if (need <= table->cap)
        return 0;
    while (cap < need)
        cap *= 2;
    rows = realloc(table->rows, cap * sizeof(*rows));
    if (!rows)
        return VIEW_FAIL;
    table->rows = rows;
    table->cap = cap;
    return 0;
}

void core_view_table_fit(struct core_table *table)
{
    struct core_row *rows;

    if (!table || table->cap <= table->count || table->count == 0)
        return;
    rows = realloc(table->rows, table->count * sizeof(*rows));
    if (!rows)
        return;
    table->rows = rows;
    table->cap = table->count;
}

struct core_row *core_view_table_add(struct core_table *table)
{
    const struct core_view_info *info = core_view_info(table->view);
    struct core_row *row;

    if (!info || grow(table, table->count + 1) != 0)
        return NULL;
    row = &table->rows[table->count];
    memset(row, 0, sizeof(*row));
    row->cells = calloc(info->column_count, sizeof(char *));
    if (!row->cells)
        return NULL;
    table->count++;
    return row;
}

/* Which company two sets of answers say they are for together. */
static int64_t merge_company(int64_t a, int64_t b)
{
    if (a == 0)
        return b;
    if (b == 0 || a == b)
        return a;
    return -1;
}

void core_view_table_said(struct core_table *table, int64_t company_id)
{
    table->company_id = merge_company(table->company_id, company_id);
}

enum base_status core_view_table_move(struct core_table *dst,
                                      struct core_table *src)
{
    /* Rows whose items are in another file than dst's would read the
     * wrong bytes there. */
    if (src->items && src->items != dst->items)
        return BASE_E_INVALID;
    dst->company_id = merge_company(dst->company_id, src->company_id);
    if (src->count == 0)
        return BASE_OK;
    if (grow(dst, dst->count + src->count) != 0)
        return BASE_E_NOMEM;
    memcpy(dst->rows + dst->count, src->rows, src->count * sizeof(*src->rows));
    dst->count += src->count;
    free(src->rows);
    src->rows = NULL;
    src->count = 0;
    src->cap = 0;
    return BASE_OK;
}
