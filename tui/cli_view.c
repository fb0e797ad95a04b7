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
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/model.h"
#include "tui/cli.h"
#include "tui/table.h"
#include "tui/text.h"

#define LIMIT_MAX 1000000
#define ROLES_MAX 256
#define NAMES_MAX 512
#define APPROVAL_STATE "reviewing"
#define TERM_COLS_MAX 10000
#define FIT_MIN 8 /* a text column is never cut below this many columns */

/* The roles a membership can have, as --role takes them. */
static const char *const role_names[] = {"employee", "manager", "accountant",
                                         "approver", "money_checker"};

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
    size_t digits = text ? strspn(text, "0123456789") : 0;
    unsigned long long value;

    if (!text)
        return 0;
    /* Plain digits only: strtoull alone would take " 3", "+3" and "-0". */
    errno = 0;
    value = strtoull(text, NULL, 10);
    if (digits == 0 || text[digits] != '\0' || errno != 0 || value > LIMIT_MAX)
        return tui_cli_usage_error(command, "--limit needs a number from 0 "
                                            "(no limit) to 1000000");
    *limit = (size_t)value;
    return 0;
}

/* Approvals are the items waiting in review: no other state can match. */
static const char *valid_states(enum core_view view)
{
    if (view == CORE_VIEW_APPROVALS)
        return APPROVAL_STATE;
    return core_session_receipt_states();
}

static int check_state(const char *command, enum core_view view,
                       const char *state)
{
    const char *states = valid_states(view);
    char reason[256];

    if (!state)
        return 0;
    if (view == CORE_VIEW_APPROVALS ? strcmp(state, APPROVAL_STATE) == 0
                                    : core_session_receipt_state_valid(state))
        return 0;
    if (*state)
        snprintf(reason, sizeof(reason), "unknown state '%.40s': %s %s", state,
                 view == CORE_VIEW_APPROVALS ? "approvals are all"
                                             : "use one of",
                 states);
    else
        snprintf(reason, sizeof(reason), "--state needs one of %s", states);
    return tui_cli_usage_error(command, reason);
}

bool tui_cli_role_valid(const char *role)
{
    size_t i;

    for (i = 0; role && i < sizeof(role_names) / sizeof(role_names[0]); i++) {
        if (strcasecmp(role, role_names[i]) == 0)
            return true;
    }
    return false;
}

static int check_role(const char *command, const char *role)
{
    char names[128] = "";
    char reason[256];
    size_t used = 0;
    size_t i;

    if (!role || tui_cli_role_valid(role))
        return 0;
    for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++) {
        snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
                 role_names[i]);
        used += strlen(names + used);
    }
    if (*role)
        snprintf(reason, sizeof(reason), "unknown role '%.40s': use one of %s",
                 role, names);
    else
        snprintf(reason, sizeof(reason), "--role needs one of %s", names);
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
    if (check_role(command, role) != 0 ||
        check_state(command, q->view, state) != 0)
        return base_status_exit_code(BASE_E_USAGE);
    q->state = state;
    q->role = role;
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

/* Marks in keep[] the rows that q's state and role keep. The server already
 * filtered by state when it was asked (server_state); a cached list or a view
 * whose endpoint has no state filter is filtered here. */
static void mark_rows(const struct core_table *table,
                      const struct tui_cli_view_query *q, bool server_state,
                      bool *keep)
{
    size_t state_column = SIZE_MAX;
    size_t role_column = SIZE_MAX;
    size_t i;

    if (q->state && !server_state &&
        !core_view_column_by_key(table->view, "state", &state_column))
        state_column = SIZE_MAX;
    if (q->role && !core_view_column_by_key(table->view, "roles", &role_column))
        role_column = SIZE_MAX;
    for (i = 0; i < table->count; i++)
        keep[i] = row_kept(&table->rows[i], q->state, state_column, q->role,
                           role_column);
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
 * (at least one element long, so never NULL on success): narrowed,
 * filtered and sorted first, then cut to q's limit. */
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
    if (q->limit > 0 && count > q->limit)
        count = q->limit;
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

/* Loads view and waits for the load's end; its id in *request. */
static enum base_status load_to_end(struct tui_cli *cli, enum core_view view,
                                    const struct core_view_query *query,
                                    uint64_t *request)
{
    enum base_status status =
        core_session_load_view(cli->session, view, query, request);

    return status == BASE_OK ? core_session_finish(cli->session, *request)
                             : status;
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
    /* The server cannot stop at the limit when rows are dropped or
     * reordered here: the limit applies after the filter and the sort. */
    if ((q->state && !info->has_state) || q->role ||
        (q->filter && *q->filter) || q->sort != SIZE_MAX || q->sort_by_id)
        query.limit = 0;
    status = load_to_end(cli, info->view, &query, &request);
    /* Pinned, a list cut off by a company move elsewhere is asked for
     * once more: that load first switches the server back. */
    if (status == BASE_E_MOVED && core_session_pinned(cli->session))
        status = load_to_end(cli, info->view, &query, &request);
    if (status == BASE_E_FORBIDDEN)
        return report_hidden(cli, info);
    if (status == BASE_OK)
        return 0;
    return tui_cli_wait(cli, status, &request);
}

/* Says on standard error, as whoami does, that the server's active
 * company was changed by another session since this one last saw it. */
static void note_changed_elsewhere(struct tui_cli *cli)
{
    if (core_session_changed_elsewhere(cli->session))
        tui_cli_say(stderr, "bezala: note: the active company was changed "
                            "elsewhere (another session switched it)");
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
    if (!q->cached)
        note_changed_elsewhere(cli);
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

/* The total width of the shrinkable columns cut at level. */
static int shrunk_total(const int *natural, const bool *shrink, size_t n,
                        int level)
{
    int total = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (shrink[i])
            total += natural[i] < level ? natural[i] : level;
    }
    return total;
}

void tui_cli_fit_widths(const int *natural, const bool *shrink, size_t n,
                        int cols, int *caps)
{
    int fixed = n > 0 ? 2 * (int)(n - 1) : 0;
    int widest = 0;
    int level;
    int used;
    size_t i;

    if (!natural || !shrink || !caps)
        return;
    for (i = 0; i < n; i++) {
        if (!shrink[i])
            fixed += natural[i];
        else if (natural[i] > widest)
            widest = natural[i];
    }
    /* The widest columns come down to one level together; the narrower
     * ones stay whole. */
    for (level = widest; level > FIT_MIN; level--) {
        if (fixed + shrunk_total(natural, shrink, n, level) <= cols)
            break;
    }
    used = fixed + shrunk_total(natural, shrink, n, level);
    for (i = 0; i < n; i++) {
        int width = natural[i];

        if (shrink[i] && width > level) {
            /* The columns left over after the level go to the first. */
            width = level + (used < cols ? 1 : 0);
            used += used < cols ? 1 : 0;
        }
        caps[i] = width;
    }
}

/* Text columns (TEXT and LIST) may be cut to fit a terminal; ids,
 * numbers, amounts, dates and yes/no are always shown whole. */
static bool shrinkable(enum core_cell_kind kind)
{
    return kind == CORE_CELL_TEXT || kind == CORE_CELL_LIST;
}

/* How a view prints as text: the shown columns, whether an ID column
 * leads (not for rows without ids, such as the company's settings), and
 * the widths the columns are cut to on a terminal. */
struct layout {
    const struct core_view_info *info;
    size_t *shown; /* column indices */
    size_t nshown;
    bool with_id;
    size_t ncols; /* nshown, plus one for the ID column */
    int *caps;    /* per output column; NULL: shown whole */
};

/* The view's column behind output column c, or NULL for the ID. */
static const struct core_column *column_at(const struct layout *l, size_t c)
{
    if (l->with_id && c == 0)
        return NULL;
    return &l->info->columns[l->shown[c - (l->with_id ? 1 : 0)]];
}

/* Cuts cells[c] to caps[c] columns, ending it in "…", where it is wider. */
static enum base_status fit_cells(char **cells, const int *caps, size_t ncols)
{
    size_t size;
    char *cut;
    size_t c;

    for (c = 0; caps && c < ncols; c++) {
        if (!cells[c] || tui_text_width(cells[c]) <= caps[c])
            continue;
        /* Made safe, each character is never longer than before. */
        size = strlen(cells[c]) + 8;
        cut = malloc(size);
        if (!cut)
            return BASE_E_NOMEM;
        tui_text_fit(cells[c], caps[c], cut, size);
        free(cells[c]);
        cells[c] = cut;
    }
    return BASE_OK;
}

static void free_cells(char **cells, size_t ncols)
{
    size_t c;

    for (c = 0; cells && c < ncols; c++)
        free(cells[c]);
    free(cells);
}

static enum base_status make_table(const struct layout *l,
                                   struct tui_table **out)
{
    char **headers = calloc(l->ncols + 1, sizeof(*headers));
    enum base_status status = BASE_E_NOMEM;
    const struct core_column *column;
    unsigned right = 0;
    bool missing = false;
    size_t c;

    for (c = 0; headers && c < l->ncols; c++) {
        column = column_at(l, c);
        if ((!column || right_aligned(column->kind)) && c < 32)
            right |= 1u << c;
        headers[c] = header_of(column ? column->title : "ID");
        missing = missing || !headers[c];
    }
    if (headers && !missing)
        status = fit_cells(headers, l->caps, l->ncols);
    if (headers && !missing && status == BASE_OK)
        status =
            tui_table_new(l->ncols, (const char *const *)headers, right, out);
    free_cells(headers, l->ncols);
    return status;
}

/* The cells of row as shown, one new string per output column (NULL
 * where the server sent nothing) into cells, which the caller frees. */
static enum base_status row_cells(const struct layout *l,
                                  const struct core_row *row, char **cells)
{
    const struct core_column *column;
    const char *cell;
    char id[32];
    size_t c;

    for (c = 0; c < l->ncols; c++) {
        column = column_at(l, c);
        if (!column) {
            snprintf(id, sizeof(id), "%" PRId64, row->id);
            cell = id;
        } else {
            cell = row->cells[l->shown[c - (l->with_id ? 1 : 0)]];
        }
        cells[c] = column ? shown_cell(column, cell) : strdup(cell);
        if (cell && !cells[c])
            return BASE_E_NOMEM;
    }
    return BASE_OK;
}

static enum base_status add_row(struct tui_table *table, const struct layout *l,
                                const struct core_row *row)
{
    char **cells = calloc(l->ncols + 1, sizeof(*cells));
    enum base_status status = BASE_E_NOMEM;

    if (cells)
        status = row_cells(l, row, cells);
    if (status == BASE_OK)
        status = fit_cells(cells, l->caps, l->ncols);
    if (status == BASE_OK)
        status = tui_table_add(table, (const char *const *)cells);
    free_cells(cells, l->ncols);
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
    /* The company's settings all carry the company's id. */
    if (l->info->view == CORE_VIEW_COMPANY)
        l->with_id = false;
    l->ncols = l->nshown + (l->with_id ? 1 : 0);
}

/* The columns of the terminal on standard output: its window size, else
 * $COLUMNS; 0 when standard output is no terminal or the width is
 * unknown (then nothing is cut). */
static int terminal_columns(void)
{
    const char *env = getenv("COLUMNS");
    struct winsize ws;
    long value;

    if (!isatty(STDOUT_FILENO))
        return 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (!env || !*env || env[strspn(env, "0123456789")] != '\0')
        return 0;
    value = strtol(env, NULL, 10);
    return value > 0 && value <= TERM_COLS_MAX ? (int)value : 0;
}

/* The natural width of every output column over the header and rows. */
static enum base_status measure(const struct core_table *table,
                                const size_t *rows, size_t n,
                                const struct layout *l, int *widths)
{
    char **cells = calloc(l->ncols + 1, sizeof(*cells));
    const struct core_column *column;
    enum base_status status = cells ? BASE_OK : BASE_E_NOMEM;
    size_t i;
    size_t c;
    int w;

    for (c = 0; c < l->ncols; c++) {
        column = column_at(l, c);
        widths[c] = tui_text_width(column ? column->title : "ID");
    }
    for (i = 0; i < n && status == BASE_OK; i++) {
        status = row_cells(l, &table->rows[rows[i]], cells);
        for (c = 0; c < l->ncols; c++) {
            w = tui_text_width(cells[c] ? cells[c] : "-");
            widths[c] = w > widths[c] ? w : widths[c];
            free(cells[c]);
            cells[c] = NULL;
        }
    }
    free(cells);
    return status;
}

/* On a terminal cols wide, sets l->caps so that the table fits. */
static enum base_status plan_widths(const struct core_table *table,
                                    const size_t *rows, size_t n,
                                    struct layout *l, int cols)
{
    bool *shrink = calloc(l->ncols + 1, sizeof(*shrink));
    int *widths = calloc(l->ncols + 1, sizeof(*widths));
    const struct core_column *column;
    enum base_status status = BASE_E_NOMEM;
    size_t c;

    if (shrink && widths)
        status = measure(table, rows, n, l, widths);
    for (c = 0; status == BASE_OK && c < l->ncols; c++) {
        column = column_at(l, c);
        shrink[c] = column && shrinkable(column->kind);
    }
    if (status == BASE_OK) {
        tui_cli_fit_widths(widths, shrink, l->ncols, cols, widths);
        l->caps = widths;
        widths = NULL;
    }
    free(widths);
    free(shrink);
    return status;
}

/* The rows as JSON on standard output, written row by row; a failed
 * write is reported when standard output is checked at the end. */
static int print_json(const struct core_table *table, const size_t *rows,
                      size_t n)
{
    enum base_status status = core_view_json_write(stdout, table, rows, n);

    if (status == BASE_E_IO)
        return 0;
    if (status != BASE_OK) {
        tui_cli_report(NULL, status, NULL);
        return base_status_exit_code(status);
    }
    fputc('\n', stdout);
    return 0;
}

static int print_table(const struct core_table *table, const size_t *rows,
                       size_t n)
{
    struct layout l = {.info = core_view_info(table->view)};
    struct tui_table *out = NULL;
    enum base_status status = BASE_E_NOMEM;
    int cols = terminal_columns();
    size_t i;

    l.shown = calloc(l.info->column_count + 1, sizeof(*l.shown));
    if (l.shown) {
        plan_layout(table, rows, n, &l);
        status = BASE_OK;
    }
    if (status == BASE_OK && cols > 0)
        status = plan_widths(table, rows, n, &l, cols);
    if (status == BASE_OK)
        status = make_table(&l, &out);
    for (i = 0; i < n && status == BASE_OK; i++)
        status = add_row(out, &l, &table->rows[rows[i]]);
    if (status == BASE_OK)
        tui_table_print(out, stdout);
    tui_table_free(&out);
    free(l.caps);
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
        code = print_json(table, rows, n);
    else if (code == 0)
        code = print_table(table, rows, n);
    free(rows);
    return code;
}
