/* The detail of one row: label and value lines read from the row's item
 * text. Fields that only the detail reads are optional, and one of the
 * wrong type is left out rather than failing the whole detail. */
#include "core/view.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/endpoints.h"
#include "core/view_internal.h"

struct lines {
    struct core_detail *detail;
    size_t cap;
    bool failed;
};

static void add(struct lines *b, const char *label, const char *value)
{
    struct core_detail_line *grown;
    struct core_detail *d = b->detail;
    size_t cap = b->cap ? b->cap * 2 : 32;

    if (b->failed)
        return;
    if (d->count == b->cap) {
        grown = realloc(d->lines, cap * sizeof(*grown));
        if (!grown) {
            b->failed = true;
            return;
        }
        d->lines = grown;
        b->cap = cap;
    }
    d->lines[d->count].label = strdup(label);
    d->lines[d->count].value = strdup(value);
    d->count++;
    if (!d->lines[d->count - 1].label || !d->lines[d->count - 1].value)
        b->failed = true;
}

/* A line with a value; nothing when there is no value to show. */
static void line(struct lines *b, const char *label, const char *value)
{
    if (value && value[0])
        add(b, label, value);
}

/* A line with a value the caller allocated (NULL: none); takes it. */
static void line_take(struct lines *b, const char *label, char *value)
{
    line(b, label, value);
    free(value);
}

static void section(struct lines *b, const char *title)
{
    add(b, title, "");
}

static const char *str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string or number field as text; NULL for anything else. */
static char *text(json_t *obj, const char *key)
{
    return core_view_scalar_text(json_object_get(obj, key));
}

static const char *yes_no(json_t *v)
{
    if (json_is_boolean(v))
        return json_is_true(v) ? "yes" : "no";
    if (json_is_integer(v) && json_integer_value(v) == 0)
        return "no";
    if (json_is_integer(v) && json_integer_value(v) == 1)
        return "yes";
    return NULL;
}

/* The cell of the row's column named key, or NULL. */
static const char *cell(enum core_view view, const struct core_row *row,
                        const char *key)
{
    const struct core_view_info *info = core_view_info(view);
    size_t i;

    for (i = 0; info && i < info->column_count; i++) {
        if (strcmp(info->columns[i].key, key) == 0)
            return row->cells[i];
    }
    return NULL;
}

/* The strings of an array (or one string) as a label and continuation
 * lines. */
static void string_lines(struct lines *b, const char *label, json_t *v)
{
    json_t *item;
    size_t i;
    bool first = true;

    if (json_is_string(v))
        line(b, label, json_string_value(v));
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item) || !json_string_value(item)[0])
            continue;
        line(b, first ? label : "", json_string_value(item));
        first = false;
    }
}

static void cost_center_lines(struct lines *b, json_t *item)
{
    json_t *centers = json_object_get(item, CORE_F_COST_CENTERS);
    json_t *cc;
    const char *dimension;
    size_t i;

    if (json_array_size(centers) == 0)
        return;
    section(b, "Cost centers");
    json_array_foreach(centers, i, cc)
    {
        dimension = str(cc, CORE_F_DIMENSION_NAME);
        line(b, dimension ? dimension : "Cost center", str(cc, CORE_F_NAME));
    }
}

/* Lines for every object of array by each, which gets the object's
 * position from 0; under the heading title (when set) if the array holds
 * anything. */
static void object_lines(struct lines *b, json_t *array, const char *title,
                         void (*each)(struct lines *, json_t *, size_t))
{
    json_t *v;
    size_t i;

    if (title && json_array_size(array) > 0)
        section(b, title);
    json_array_foreach(array, i, v)
    {
        if (json_is_object(v))
            each(b, v, i);
    }
}

/* A sum of money as two-decimal text ("0.00"); NULL when not sent. */
static char *money(json_t *obj, const char *key)
{
    char *out = NULL;

    if (core_view_get_money(obj, key, &out) != 0)
        return NULL;
    return out;
}

static void comment_line(struct lines *b, json_t *c, size_t i)
{
    const char *who = str(c, CORE_F_USER_NAME);
    const char *when = str(c, CORE_F_CREATED_AT);
    const char *said = str(c, CORE_F_COMMENT);
    const char *mark = "";
    char *label;
    char *value;

    (void)i;
    if (json_is_true(json_object_get(c, CORE_F_DISAPPROVE_COMMENT)))
        mark = "Rejected: ";
    else if (json_is_true(json_object_get(c, CORE_F_REVERSAL_COMMENT)))
        mark = "Reversed: ";
    /* Who and when lead the value: a label column is too narrow for a
     * name and a time together. */
    label = core_view_printf("%s", "Comment");
    value =
        core_view_printf("%s, %s: %s%s", who ? who : "someone",
                         when ? when : "unknown time", mark, said ? said : "");
    if (label && value)
        line(b, label, value);
    else
        b->failed = true;
    free(label);
    free(value);
}

/* documents[].file_name, or attachments[] as names or objects. */
static void attachment_lines(struct lines *b, json_t *item)
{
    json_t *docs = json_object_get(item, CORE_F_DOCUMENTS);
    json_t *v;
    const char *name;
    bool first = true;
    size_t i;

    if (json_array_size(docs) == 0)
        docs = json_object_get(item, CORE_F_ATTACHMENTS);
    json_array_foreach(docs, i, v)
    {
        name =
            json_is_string(v) ? json_string_value(v) : str(v, CORE_F_FILE_NAME);
        if (!name)
            name = str(v, CORE_F_NAME);
        if (!name || !name[0])
            continue;
        line(b, first ? "Attachments" : "", name);
        first = false;
    }
}

/* What every expense item shows after its own fields. */
static void expense_tail(struct lines *b, json_t *item)
{
    cost_center_lines(b, item);
    string_lines(b, "Approvers", json_object_get(item, CORE_F_APPROVERS));
    string_lines(b, "Approved by", json_object_get(item, CORE_F_APPROVED_BY));
    object_lines(b, json_object_get(item, CORE_F_COMMENTS), "Comments",
                 comment_line);
    attachment_lines(b, item);
    line(b, "Batch", str(item, CORE_F_BATCH_REFERENCE));
    line(b, "Batch date", str(item, CORE_F_BATCH_DATE));
    line(b, "Paid", str(item, CORE_F_PAID_AT));
}

/* What every expense item shows first, from the row's cells. */
static void expense_head(struct lines *b, enum core_view view,
                         const struct core_row *row, enum view_item kind)
{
    const char *amount = cell(view, row, "amount");
    const char *currency = cell(view, row, "currency");

    line(b, "Type", core_view_item_word(kind));
    line(b, "Date", cell(view, row, "date"));
    line(b, "Description", cell(view, row, "description"));
    line(b, "User", cell(view, row, "user_name"));
    line(b, "State", cell(view, row, "state"));
    if (amount)
        line_take(b, "Amount",
                  core_view_printf("%s%s%s", amount, currency ? " " : "",
                                   currency ? currency : ""));
}

static void vat_line(struct lines *b, json_t *vat, size_t i)
{
    char *amount = text(vat, CORE_F_AMOUNT_2);
    char *percent = text(vat, CORE_F_VAT_PERCENT);
    char *tax = text(vat, CORE_F_VAT_AMOUNT);
    const char *account = str(vat, CORE_F_VAT_ACCOUNT_NAME);

    line_take(b, i == 0 ? "VAT lines" : "",
              core_view_printf("%s: %s, VAT %s%%, VAT amount %s",
                               account ? account : "(no account)",
                               amount ? amount : "-", percent ? percent : "-",
                               tax ? tax : "-"));
    free(amount);
    free(percent);
    free(tax);
}

static void receipt_lines(struct lines *b, json_t *item)
{
    line(b, "Vendor", str(item, CORE_F_VENDOR));
    object_lines(b, json_object_get(item, CORE_F_VAT_LINES), NULL, vat_line);
}

static void trip_entry(struct lines *b, json_t *entry, size_t i)
{
    json_t *cents = json_object_get(entry, CORE_F_COST_CENTS);
    char *km = text(entry, CORE_F_DISTANCE);
    char *people = text(entry, CORE_F_PEOPLE);
    char *label = core_view_printf("Entry %zu", i + 1);
    const char *currency = str(entry, CORE_F_CURRENCY_ALT);
    long long c = json_is_integer(cents) ? json_integer_value(cents) : 0;

    line_take(b, label ? label : "Entry",
              core_view_printf("%s km, %s %s, %s%lld.%02lld %s", km ? km : "-",
                               people ? people : "-",
                               people && strcmp(people, "1") == 0 ? "person"
                                                                  : "people",
                               c < 0 ? "-" : "", llabs(c) / 100, llabs(c) % 100,
                               currency ? currency : ""));
    line_take(b, "",
              core_view_printf("Route: %s", str(entry, CORE_F_ROUTE)
                                                ? str(entry, CORE_F_ROUTE)
                                                : "not given"));
    free(km);
    km = text(entry, CORE_F_EMISSIONS);
    if (km)
        line_take(b, "", core_view_printf("Emissions: %s", km));
    free(km);
    free(people);
    free(label);
}

static void trip_lines(struct lines *b, json_t *item)
{
    line(b, "Vehicle", str(json_object_get(item, CORE_F_VEHICLE), CORE_F_NAME));
    object_lines(b, json_object_get(item, CORE_F_ENTRIES), NULL, trip_entry);
}

/* An epoch time in seconds as an ISO UTC time; NULL when not a number. */
static char *epoch_text(json_t *v)
{
    char buf[32];
    struct tm tm;
    time_t t;

    if (!json_is_number(v))
        return NULL;
    t = (time_t)json_number_value(v);
    if (!gmtime_r(&t, &tm) ||
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return core_view_printf("%s", buf);
}

static void allowance_entry(struct lines *b, json_t *entry, size_t i)
{
    char *start = epoch_text(json_object_get(entry, CORE_F_START_TIME));
    char *end = epoch_text(json_object_get(entry, CORE_F_END_TIME));
    const char *country = str(entry, CORE_F_COUNTRY_NAME);
    char *label = country ? NULL : core_view_printf("Entry %zu", i + 1);

    line_take(
        b,
        country ? country
        : label ? label
                : "Entry",
        core_view_printf("%s to %s", start ? start : "?", end ? end : "?"));
    free(start);
    free(end);
    free(label);
}

static void meal_day(struct lines *b, json_t *day, size_t i)
{
    static const char *const meals[] = {CORE_F_HAD_BREAKFAST, CORE_F_HAD_LUNCH,
                                        CORE_F_HAD_DINNER};
    static const char *const words[] = {"breakfast", "lunch", "dinner"};
    char value[64] = "";
    size_t m;

    (void)i;
    for (m = 0; m < 3; m++) {
        if (json_is_true(json_object_get(day, meals[m])))
            strcat(strcat(value, value[0] ? ", " : ""), words[m]);
    }
    if (json_is_true(json_object_get(day, CORE_F_IS_FULL)))
        strcpy(value, "all meals (full day)");
    line(b, str(day, CORE_F_DATE) ? str(day, CORE_F_DATE) : "(no date)",
         value[0] ? value : "no free meals");
}

static void allowance_lines(struct lines *b, json_t *item)
{
    line_take(b, "Days", text(item, CORE_F_DAYS));
    line_take(b, "Taxable", text(item, CORE_F_TAXABLE));
    line_take(b, "Free meals cost", money(item, CORE_F_FREE_MEALS_COST));
    object_lines(b, json_object_get(item, CORE_F_ENTRIES), "Entries (UTC)",
                 allowance_entry);
    object_lines(b, json_object_get(item, CORE_F_FREE_MEAL_DAYS),
                 "Free meal days", meal_day);
}

static void reward_lines(struct lines *b, json_t *item)
{
    const char *start = str(item, CORE_F_START_TIME);
    const char *end = str(item, CORE_F_END_TIME);

    line(b, "Reward type",
         str(json_object_get(item, CORE_F_REWARD_TYPE), CORE_F_NAME));
    if (start || end)
        line_take(
            b, "Period",
            core_view_printf("%s .. %s", start ? start : "?", end ? end : "?"));
    line_take(b, "Tax", text(item, CORE_F_TAX_AMOUNT));
}

static int expense_detail(struct lines *b, enum core_view view,
                          const struct core_row *row, json_t *item)
{
    static void (*const own[VIEW_ITEM_COUNT])(struct lines *, json_t *) = {
        receipt_lines, trip_lines, allowance_lines, reward_lines};
    static const enum view_item by_view[] = {VIEW_ITEM_RECEIPT, VIEW_ITEM_TRIP,
                                             VIEW_ITEM_ALLOWANCE,
                                             VIEW_ITEM_REWARD};
    enum view_item kind;

    if (view <= CORE_VIEW_REWARDS)
        kind = by_view[view];
    else if (!core_view_item_kind(item, &kind))
        return VIEW_FAIL;
    expense_head(b, view, row, kind);
    own[kind](b, item);
    expense_tail(b, item);
    return 0;
}

static const char *state_words(const char *state)
{
    static const char *const words[][2] = {
        {"accepted", "accepted: a member of the company"},
        {"pending", "pending: invited, has not accepted yet, and sees "
                    "nothing of the company until then"},
        {"temporary", "temporary: a temporary member of the company"},
        {"declined", "declined: turned the invitation down, and sees "
                     "nothing of the company"},
    };
    size_t i;

    for (i = 0; state && i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(state, words[i][0]) == 0)
            return words[i][1];
    }
    return state;
}

/* A person, without the national id, IBAN or BIC even when sent. */
static void user_lines(struct lines *b, json_t *item)
{
    json_t *roles = json_object_get(item, CORE_F_ROLES);
    json_t *role;
    size_t i;

    line(b, "Name", str(item, CORE_F_NAME));
    line(b, "Email", str(item, CORE_F_EMAIL));
    line(b, "Membership", state_words(str(item, CORE_F_STATE)));
    if (json_array_size(roles) > 0)
        section(b, "Roles");
    json_array_foreach(roles, i, role)
    {
        if (json_is_string(role))
            line(b, json_string_value(role),
                 core_view_role_words(json_string_value(role)));
    }
    line_take(b, "Sign-ins", text(item, CORE_F_SIGN_IN_COUNT));
    line(b, "Last sign-in", str(item, CORE_F_LAST_SIGN_IN));
    line(b, "Language", str(item, CORE_F_LOCALE));
    line(b, "Email confirmed",
         yes_no(json_object_get(item, CORE_F_EMAIL_CONFIRMED)));
}

static void cells_lines(struct lines *b, enum core_view view,
                        const struct core_row *row)
{
    const struct core_view_info *info = core_view_info(view);
    size_t i;

    for (i = 0; i < info->column_count; i++)
        line(b, info->columns[i].title, row->cells[i]);
}

static void reference_lines(struct lines *b, enum core_view view,
                            const struct core_row *row, json_t *item)
{
    const char *total = cell(view, row, "total");
    const char *currency = cell(view, row, "currency");

    if (view == CORE_VIEW_COMPANY) {
        line(b, row->cells[CMP_TITLE], row->cells[CMP_VALUE]);
        return;
    }
    if (view == CORE_VIEW_BATCHES && total) {
        line(b, "Date", cell(view, row, "date"));
        line(b, "Reference", cell(view, row, "reference"));
        line(b, "Description", cell(view, row, "description"));
        line(b, "Items", cell(view, row, "items"));
        line_take(b, "Total",
                  core_view_printf("%s %s", total, currency ? currency : ""));
    } else {
        cells_lines(b, view, row);
    }
    line(b, "PDF", str(item, CORE_F_PDF_URL));
    line_take(b, "Default VAT id", text(item, CORE_F_DEFAULT_VAT_ID));
    line(b, "On the receipt form",
         yes_no(json_object_get(item, CORE_F_SHOW_ON_RECEIPT)));
    line(b, "Sent to accounting",
         yes_no(json_object_get(item, CORE_F_SEND_TO_ACCOUNTING)));
    if (view == CORE_VIEW_BATCHES)
        line_take(b, "External id", text(item, CORE_F_EXTERNAL_ID));
}

static int fill(struct lines *b, enum core_view view,
                const struct core_row *row, json_t *item)
{
    switch (view) {
    case CORE_VIEW_USERS:
        user_lines(b, item);
        return 0;
    case CORE_VIEW_LEDGER_ACCOUNTS:
    case CORE_VIEW_COST_CENTERS:
    case CORE_VIEW_BATCHES:
    case CORE_VIEW_COMPANY:
        reference_lines(b, view, row, item);
        return 0;
    default:
        return expense_detail(b, view, row, item);
    }
}

enum base_status core_view_detail(const struct core_table *table,
                                  const struct core_row *row,
                                  struct core_detail **out)
{
    struct lines b = {NULL, 0, false};
    enum base_status result;
    json_error_t error;
    json_t *item = NULL;
    char *text = NULL;
    size_t len = 0;

    if (!table || !core_view_info(table->view) || !row || !row->cells || !out)
        return BASE_E_INVALID;
    result = core_table_item(table, row, &text, &len);
    if (result != BASE_OK)
        return result;
    result = BASE_E_NOMEM;
    b.detail = calloc(1, sizeof(*b.detail));
    if (!b.detail)
        goto out;
    result = BASE_E_DECODE;
    if (text)
        item = json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
    if (!json_is_object(item) || fill(&b, table->view, row, item) != 0)
        goto out;
    result = b.failed ? BASE_E_NOMEM : BASE_OK;
out:
    json_decref(item);
    free(text);
    if (result == BASE_OK)
        *out = b.detail;
    else
        core_view_detail_free(&b.detail);
    return result;
}

void core_view_detail_free(struct core_detail **detail)
{
    size_t i;

    if (!detail || !*detail)
        return;
    for (i = 0; i < (*detail)->count; i++) {
        free((*detail)->lines[i].label);
        free((*detail)->lines[i].value);
    }
    free((*detail)->lines);
    free(*detail);
    *detail = NULL;
}
