/* The view subcommands (receipts, trips, users, company, ...): one
 * generic path from core_view_info that loads a view from the server or
 * the store, narrows its rows and prints them as JSON or a text table. */
#include "tui/cli_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/model.h"
#include "tui/cli.h"
#include "tui/table.h"

#define LIMIT_MAX 1000000
#define ROLES_MAX 256
#define NAMES_MAX 512

bool tui_cli_view_is_expense(enum core_view view)
{
    switch (view) {
    case CORE_VIEW_RECEIPTS:
    case CORE_VIEW_TRIPS:
    case CORE_VIEW_ALLOWANCES:
    case CORE_VIEW_REWARDS:
    case CORE_VIEW_APPROVALS:
    case CORE_VIEW_ARCHIVE:
        return true;
    default:
        return false;
    }
}

bool tui_cli_view_takes_state(enum core_view view)
{
    const struct core_view_info *info = core_view_info(view);
    size_t column;

    return info && tui_cli_view_is_expense(view) &&
           (info->has_state || core_view_column_by_key(view, "state", &column));
}

void tui_cli_view_names(char *out, size_t size,
                        bool (*only)(enum core_view view))
{
    const struct core_view_info *info;
    size_t used = 0;
    int view;

    out[0] = '\0';
    for (view = 0; view < CORE_VIEW_COUNT; view++) {
        info = core_view_info((enum core_view)view);
        if (!info || (only && !only(info->view)))
            continue;
        snprintf(out + used, size - used, "%s%s", used ? ", " : "", info->name);
        used += strlen(out + used);
    }
}

static int parse_limit(const char *command, const char *text, size_t *limit)
{
    char *end = NULL;
    unsigned long long value;

    if (!text)
        return 0;
    errno = 0;
    value = strtoull(text, &end, 10);
    if (errno != 0 || !end || *end != '\0' || text[0] == '-' ||
        text[0] == '\0' || value > LIMIT_MAX)
        return tui_cli_usage_error(command, "--limit needs a number from 0 "
                                            "(no limit) to 1000000");
    *limit = (size_t)value;
    return 0;
}

static int check_state(const char *command, const char *state)
{
    char reason[256];

    if (!state || core_session_receipt_state_valid(state))
        return 0;
    if (*state)
        snprintf(reason, sizeof(reason), "unknown state '%.40s': use one of %s",
                 state, core_session_receipt_states());
    else
        snprintf(reason, sizeof(reason), "--state needs one of %s",
                 core_session_receipt_states());
    return tui_cli_usage_error(command, reason);
}

int tui_cli_view_narrow(const char *command, struct tui_cli_view_query *q,
                        const char *state, const char *limit, const char *role)
{
    char names[NAMES_MAX];
    char reason[NAMES_MAX + 64];

    if ((state && !tui_cli_view_takes_state(q->view)) ||
        (limit && !tui_cli_view_is_expense(q->view))) {
        tui_cli_view_names(names, sizeof(names),
                           state ? tui_cli_view_takes_state
                                 : tui_cli_view_is_expense);
        snprintf(reason, sizeof(reason), "--%s is only for %s",
                 state ? "state" : "limit", names);
        return tui_cli_usage_error(command, reason);
    }
    if (role && q->view != CORE_VIEW_USERS)
        return tui_cli_usage_error(command, "--role is only for users");
    if (role && !*role)
        return tui_cli_usage_error(command, "--role needs a role name, "
                                            "e.g. accountant");
    q->state = state;
    q->role = role;
    if (check_state(command, state) != 0)
        return base_status_exit_code(BASE_E_USAGE);
    return parse_limit(command, limit, &q->limit);
}

/* Whether one of the '\n'-separated items of cell is item (any case). */
static bool list_has(const char *cell, const char *item)
{
    size_t want = strlen(item);
    size_t len;

    while (cell && *cell) {
        len = strcspn(cell, "\n");
        if (len == want && strncasecmp(cell, item, len) == 0)
            return true;
        cell += len;
        if (*cell == '\n')
            cell++;
    }
    return false;
}

/* Whether row passes the state and role narrowing of q; state_column
 * and role_column are SIZE_MAX when that narrowing is not applied. */
static bool row_kept(const struct core_row *row, const char *state,
                     size_t state_column, const char *role, size_t role_column)
{
    const char *cell;

    if (state_column != SIZE_MAX) {
        cell = row->cells[state_column];
        if (!cell || strcmp(cell, state) != 0)
            return false;
    }
    if (role_column != SIZE_MAX)
        return list_has(row->cells[role_column], role);
    return true;
}

/* Marks in keep[] the rows that q's state, role and limit keep, in the
 * server's order. The server already filtered by state when it was asked
 * (server_state); a cached list or a view whose endpoint has no state
 * filter is filtered here. */
static void mark_rows(const struct core_table *table,
                      const struct tui_cli_view_query *q, bool server_state,
                      bool *keep)
{
    size_t state_column = SIZE_MAX;
    size_t role_column = SIZE_MAX;
    size_t kept = 0;
    size_t i;

    if (q->state && !server_state &&
        !core_view_column_by_key(table->view, "state", &state_column))
        state_column = SIZE_MAX;
    if (q->role && !core_view_column_by_key(table->view, "roles", &role_column))
        role_column = SIZE_MAX;
    for (i = 0; i < table->count; i++) {
        keep[i] = (q->limit == 0 || kept < q->limit) &&
                  row_kept(&table->rows[i], q->state, state_column, q->role,
                           role_column);
        kept += keep[i] ? 1 : 0;
    }
}

struct id_rank {
    int64_t id;
    size_t index;
};

static int compare_ids(const void *a, const void *b)
{
    const struct id_rank *x = a;
    const struct id_rank *y = b;

    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->index < y->index ? -1 : (x->index > y->index);
}

/* Sorts rows[0..n) by the rows' ids, stably, descending when desc. */
static enum base_status sort_by_id(const struct core_table *table, size_t *rows,
                                   size_t n, bool desc)
{
    struct id_rank *ranks = calloc(n + 1, sizeof(*ranks));
    size_t i;

    if (!ranks)
        return BASE_E_NOMEM;
    for (i = 0; i < n; i++)
        ranks[i] = (struct id_rank){table->rows[rows[i]].id, rows[i]};
    qsort(ranks, n, sizeof(*ranks), compare_ids);
    for (i = 0; i < n; i++)
        rows[desc ? n - 1 - i : i] = ranks[i].index;
    free(ranks);
    return BASE_OK;
}

/* The rows of table that q keeps, ordered as q asks, into a new array
 * (at least one element long, so never NULL on success). */
static enum base_status order_rows(const struct core_table *table,
                                   const struct tui_cli_view_query *q,
                                   bool server_state, size_t **out, size_t *n)
{
    bool *keep = calloc(table->count + 1, sizeof(*keep));
    size_t *rows = calloc(table->count + 1, sizeof(*rows));
    size_t *order = NULL;
    size_t count = 0;
    size_t total = 0;
    size_t i;
    enum base_status status = BASE_E_NOMEM;

    if (!keep || !rows)
        goto out;
    mark_rows(table, q, server_state, keep);
    status =
        core_view_order(table, q->filter, q->sort_by_id ? SIZE_MAX : q->sort,
                        q->desc, &order, &total);
    for (i = 0; status == BASE_OK && i < total; i++) {
        if (keep[order[i]])
            rows[count++] = order[i];
    }
    if (status == BASE_OK && q->sort_by_id)
        status = sort_by_id(table, rows, count, q->desc);
out:
    if (status == BASE_OK) {
        *out = rows;
        *n = count;
        rows = NULL;
    }
    free(order);
    free(rows);
    free(keep);
    return status;
}

/* "3 minutes ago (2025-03-01T10:00:00Z)" on standard error. */
void tui_cli_cached_note(int64_t saved_at)
{
    time_t when = (time_t)saved_at;
    int64_t age = (int64_t)time(NULL) - saved_at;
    const char *unit = "second";
    char iso[32] = "unknown time";
    struct tm tm;

    if (age < 0)
        age = 0;
    if (age >= 2 * 86400) {
        age /= 86400;
        unit = "day";
    } else if (age >= 2 * 3600) {
        age /= 3600;
        unit = "hour";
    } else if (age >= 2 * 60) {
        age /= 60;
        unit = "minute";
    }
    if (gmtime_r(&when, &tm))
        strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
    tui_cli_say(stderr, "bezala: cached data from %" PRId64 " %s%s ago (%s)",
                age, unit, age == 1 ? "" : "s", iso);
}

/* "accountant, employee" for the active membership, or "no role". */
static void active_roles(struct tui_cli *cli, char *out, size_t size)
{
    const struct core_membership *m;

    m = core_session_active_membership(cli->session);
    out[0] = '\0';
    if (m)
        core_model_roles_join(&m->roles, out, size);
    if (!out[0])
        snprintf(out, size, "no role");
}

/* 403 or 404 for a view: names the view, the company and the role. */
static int report_hidden(struct tui_cli *cli, const struct core_view_info *info)
{
    const char *detail = core_session_last_error(cli->session);
    char roles[ROLES_MAX];
    int len = detail ? (int)strlen(detail) : 0;

    /* The next step follows the detail after a colon. */
    while (len > 0 && (detail[len - 1] == '.' || detail[len - 1] == ' '))
        len--;
    active_roles(cli, roles, sizeof(roles));
    tui_cli_say(stderr,
                "bezala: %s: not visible to your role in %s (%s)%s%s%s%.*s: "
                "see `bezala whoami`, or `bezala switch` to another company",
                info->name, core_session_company_name(cli->session), roles,
                info->needs ? "; needs " : "", info->needs ? info->needs : "",
                len ? "; " : "", len, len ? detail : "");
    return base_status_exit_code(BASE_E_FORBIDDEN);
}

static int load_online(struct tui_cli *cli, const struct core_view_info *info,
                       const struct tui_cli_view_query *q)
{
    struct core_view_query query = {.state = NULL, .limit = q->limit};
    enum base_status status;
    uint64_t request = 0;
    int code = tui_cli_home(cli, info->name, false, NULL);

    if (code != 0)
        return code;
    if (info->has_state)
        query.state = q->state;
    /* The server cannot stop at the limit when rows are dropped here. */
    if (q->state && !info->has_state)
        query.limit = 0;
    if (q->role)
        query.limit = 0;
    status = core_session_load_view(cli->session, info->view, &query, &request);
    if (status == BASE_OK)
        status = core_session_finish(cli->session, request);
    if (status == BASE_E_FORBIDDEN)
        return report_hidden(cli, info);
    if (status == BASE_OK)
        return 0;
    return tui_cli_wait(cli, status, &request);
}

static int load_cached(struct tui_cli *cli, const struct core_view_info *info)
{
    struct core_view_state state = {0};
    enum base_status status;
    int code = tui_cli_home(cli, info->name, true, NULL);

    if (code != 0)
        return code;
    status = core_session_view_cached(cli->session, info->view);
    if (status != BASE_OK) {
        tui_cli_report(cli->ctx, status, core_session_last_error(cli->session));
        return base_status_exit_code(status);
    }
    core_session_view_state(cli->session, info->view, &state);
    if (!state.complete || !state.from_cache) {
        tui_cli_say(stderr,
                    "bezala: no cached %s for %s in %s: run `bezala %s` "
                    "once online first",
                    info->name, core_session_email(cli->session),
                    core_session_company_name(cli->session), info->name);
        return base_status_exit_code(BASE_E_IO);
    }
    tui_cli_cached_note(state.saved_at);
    return 0;
}

int tui_cli_view_rows(struct tui_cli *cli, const struct tui_cli_view_query *q,
                      const struct core_table **table, size_t **rows, size_t *n)
{
    const struct core_view_info *info = core_view_info(q->view);
    const struct core_table *t;
    enum base_status status;
    int code;

    if (!info)
        return tui_cli_usage_error(NULL, "unknown view");
    code = q->cached ? load_cached(cli, info) : load_online(cli, info, q);
    if (code != 0)
        return code;
    t = core_session_view(cli->session, q->view);
    status = order_rows(t, q, !q->cached && info->has_state, rows, n);
    if (status != BASE_OK) {
        tui_cli_report(cli->ctx, status, NULL);
        return base_status_exit_code(status);
    }
    *table = t;
    return 0;
}

/* Upper-case ASCII copy of a column title for the table's header. */
static char *header_of(const char *title)
{
    char *copy = strdup(title ? title : "");
    char *p;

    for (p = copy; p && *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    }
    return copy;
}

/* A cell as shown: list items joined by ", ". New string or NULL. */
static char *shown_cell(const struct core_column *column, const char *cell)
{
    size_t len;
    char *out;
    char *p;

    if (!cell)
        return NULL;
    if (column->kind != CORE_CELL_LIST)
        return strdup(cell);
    len = strlen(cell);
    out = malloc(2 * len + 1);
    for (p = out; out && *cell; cell++) {
        if (*cell == '\n') {
            *p++ = ',';
            *p++ = ' ';
        } else {
            *p++ = *cell;
        }
    }
    if (out)
        *p = '\0';
    return out;
}

static bool right_aligned(enum core_cell_kind kind)
{
    return kind == CORE_CELL_ID || kind == CORE_CELL_NUMBER ||
           kind == CORE_CELL_AMOUNT;
}

/* How a view prints as text: the shown columns, and whether an ID column
 * leads (not for rows without ids, such as the company's settings). */
struct layout {
    const struct core_view_info *info;
    size_t *shown; /* column indices */
    size_t nshown;
    bool with_id;
};

static enum base_status make_table(const struct layout *l,
                                   struct tui_table **out)
{
    size_t ncols = l->nshown + (l->with_id ? 1 : 0);
    char **headers = calloc(ncols + 1, sizeof(*headers));
    enum base_status status = BASE_E_NOMEM;
    unsigned right = l->with_id ? 1u : 0u;
    bool missing = false;
    size_t n = 0;
    size_t i;

    if (!headers)
        return status;
    if (l->with_id)
        headers[n++] = header_of("ID");
    for (i = 0; i < l->nshown; i++, n++) {
        const struct core_column *column = &l->info->columns[l->shown[i]];

        if (right_aligned(column->kind) && n < 32)
            right |= 1u << n;
        headers[n] = header_of(column->title);
    }
    for (i = 0; i < ncols; i++)
        missing = missing || !headers[i];
    if (!missing)
        status = tui_table_new(ncols, (const char *const *)headers, right, out);
    for (i = 0; i < ncols; i++)
        free(headers[i]);
    free(headers);
    return status;
}

static enum base_status add_row(struct tui_table *table, const struct layout *l,
                                const struct core_row *row)
{
    size_t first = l->with_id ? 1 : 0;
    char **cells = calloc(l->nshown + 2, sizeof(*cells));
    enum base_status status = BASE_E_NOMEM;
    const char *cell;
    char id[32];
    size_t i;

    if (!cells)
        return status;
    snprintf(id, sizeof(id), "%" PRId64, row->id);
    cells[0] = id;
    status = BASE_OK;
    for (i = 0; i < l->nshown && status == BASE_OK; i++) {
        cell = row->cells[l->shown[i]];
        cells[first + i] = shown_cell(&l->info->columns[l->shown[i]], cell);
        if (cell && !cells[first + i])
            status = BASE_E_NOMEM;
    }
    if (status == BASE_OK)
        status = tui_table_add(table, (const char *const *)cells);
    for (i = 0; i < l->nshown; i++)
        free(cells[first + i]);
    free(cells);
    return status;
}

static void plan_layout(const struct core_table *table, const size_t *rows,
                        size_t n, struct layout *l)
{
    size_t i;

    for (i = 0; i < l->info->column_count; i++) {
        if (!l->info->columns[i].hidden)
            l->shown[l->nshown++] = i;
    }
    for (i = 0; i < n && !l->with_id; i++)
        l->with_id = table->rows[rows[i]].id != 0;
    if (n == 0)
        l->with_id = l->info->paging != CORE_PAGING_NONE;
}

static int print_table(const struct core_table *table, const size_t *rows,
                       size_t n)
{
    struct layout l = {.info = core_view_info(table->view)};
    struct tui_table *out = NULL;
    enum base_status status = BASE_E_NOMEM;
    size_t i;

    l.shown = calloc(l.info->column_count + 1, sizeof(*l.shown));
    if (l.shown) {
        plan_layout(table, rows, n, &l);
        status = make_table(&l, &out);
    }
    for (i = 0; i < n && status == BASE_OK; i++)
        status = add_row(out, &l, &table->rows[rows[i]]);
    if (status == BASE_OK)
        tui_table_print(out, stdout);
    tui_table_free(&out);
    free(l.shown);
    if (status != BASE_OK)
        tui_cli_report(NULL, status, NULL);
    return base_status_exit_code(status);
}

enum view_flag { VF_JSON, VF_CACHED, VF_STATE, VF_LIMIT, VF_ROLE, VF_COUNT };

int tui_cli_view(struct tui_cli *cli, int argc, char **argv)
{
    struct tui_options_flag flags[VF_COUNT] = {{"--json", false, NULL, 0},
                                               {"--cached", false, NULL, 0},
                                               {"--state", true, NULL, 0},
                                               {"--limit", true, NULL, 0},
                                               {"--role", true, NULL, 0}};
    struct tui_cli_view_query q = {.sort = SIZE_MAX};
    const struct core_table *table = NULL;
    size_t *rows = NULL;
    size_t n = 0;
    int code;

    if (!core_view_by_name(argv[0], &q.view))
        return tui_cli_usage_error(NULL, "unknown view");
    code = tui_cli_flags(argc, argv, flags, VF_COUNT, NULL, 0, NULL);
    if (code == 0)
        code = tui_cli_view_narrow(argv[0], &q, flags[VF_STATE].value,
                                   flags[VF_LIMIT].value, flags[VF_ROLE].value);
    q.cached = flags[VF_CACHED].seen > 0;
    if (code == 0)
        code = tui_cli_view_rows(cli, &q, &table, &rows, &n);
    if (code == 0 && flags[VF_JSON].seen)
        code = tui_cli_print_json(core_view_json(table, rows, n));
    else if (code == 0)
        code = print_table(table, rows, n);
    free(rows);
    return code;
}
