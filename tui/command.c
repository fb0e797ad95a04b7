/* The command line's words: the table of commands, reading a line,
 * completing the word at the cursor and the history, all without curses
 * so that the tests can drive them. */
#include "tui/command.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "tui/config.h"

#define WORD_MAX 64
#define QUOTE_BYTES 48
#define CHAR_FOLD 16

/* What a command does with the rest of its line. */
enum need { NO_ARG, ARG_REQUIRED, ARG_OPTIONAL };

/* Which list completes a command's argument. */
enum completes { NOTHING, COMPANIES, ACCOUNTS, VIEWS, COLUMNS };

struct command_def {
    const char *name;
    enum tui_command_kind kind;
    int act;
    enum need need;
    enum completes completes;
    const char *usage; /* for the help; NULL: not listed there */
    const char *what;
};

#define NO_ACT TUI_CONFIG_ACT_NONE

static const struct command_def commands[] = {
    {"switch", TUI_COMMAND_SWITCH, NO_ACT, ARG_REQUIRED, COMPANIES,
     "switch COMPANY", "switch company: id, name or a part of one"},
    {"account", TUI_COMMAND_ACCOUNT, NO_ACT, ARG_REQUIRED, ACCOUNTS,
     "account EMAIL", "switch to a stored account"},
    {"view", TUI_COMMAND_VIEW, NO_ACT, ARG_REQUIRED, VIEWS, "view NAME",
     "show a view; each view's name is a command too (trips)"},
    {"export", TUI_COMMAND_EXPORT, NO_ACT, ARG_OPTIONAL, NOTHING,
     "export [FILE]", "export the list as shown to CSV"},
    {"refresh", TUI_COMMAND_ACTION, TUI_CONFIG_ACT_REFRESH, NO_ARG, NOTHING,
     "refresh", "refresh from the server"},
    {"filter", TUI_COMMAND_FILTER, NO_ACT, ARG_OPTIONAL, NOTHING,
     "filter [TEXT]", "filter the list; no text clears the filter"},
    {"sort", TUI_COMMAND_SORT, NO_ACT, ARG_OPTIONAL, COLUMNS, "sort [COLUMN]",
     "sort by the column (again: reverse); no column: the next"},
    {"companies", TUI_COMMAND_ACTION, TUI_CONFIG_ACT_COMPANIES, NO_ARG, NOTHING,
     "companies", "the company picker"},
    {"accounts", TUI_COMMAND_ACTION, TUI_CONFIG_ACT_ACCOUNTS, NO_ARG, NOTHING,
     "accounts", "the account switcher"},
    {"help", TUI_COMMAND_ACTION, TUI_CONFIG_ACT_HELP, NO_ARG, NOTHING, "help",
     "this help"},
    {"quit", TUI_COMMAND_ACTION, TUI_CONFIG_ACT_QUIT, NO_ARG, NOTHING,
     "quit, q", "quit"},
    {"q", TUI_COMMAND_ACTION, TUI_CONFIG_ACT_QUIT, NO_ARG, NOTHING, NULL, NULL},
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static const struct command_def *find_command(const char *name)
{
    size_t i;

    for (i = 0; i < COMMAND_COUNT; i++) {
        if (strcasecmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

/* Whether act is one the line runs by its name: an action of the main
 * screen that no command of the table stands for. The view keys have
 * the views' names, the command line is open already, and a redraw is
 * not the main screen's to do. */
static bool action_listed(int act)
{
    const char *name = tui_config_act_name((enum tui_config_act)act);

    if (!name || !(tui_config_act_scope((enum tui_config_act)act) &
                   TUI_CONFIG_SCOPE_MAIN))
        return false;
    if (act == TUI_CONFIG_ACT_COMMAND || act == TUI_CONFIG_ACT_REDRAW ||
        (act >= TUI_CONFIG_ACT_VIEW_1 && act <= TUI_CONFIG_ACT_VIEW_10))
        return false;
    return find_command(name) == NULL;
}

static int find_action(const char *name)
{
    int act;

    for (act = 0; act < TUI_CONFIG_ACTS; act++) {
        if (action_listed(act) &&
            strcasecmp(tui_config_act_name((enum tui_config_act)act), name) ==
                0)
            return act;
    }
    return NO_ACT;
}

static const char *find_view(const struct tui_command_lists *lists,
                             const char *name)
{
    size_t i;

    for (i = 0; lists && i < lists->view_count; i++) {
        if (lists->views[i] && strcasecmp(lists->views[i], name) == 0)
            return lists->views[i];
    }
    return NULL;
}

/* text cut to QUOTE_BYTES at a character start, for a message. */
static const char *quote(const char *text, char *buf, size_t size)
{
    size_t n = strlen(text);

    if (n >= size)
        n = size - 1;
    while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
        n--;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return buf;
}

/* why = before 'word' after, the word cut to QUOTE_BYTES. */
static void say(char *why, size_t size, const char *before, const char *word,
                const char *after)
{
    char q[QUOTE_BYTES];

    if (why && size > 0)
        snprintf(why, size, "%s'%s'%s", before, quote(word, q, sizeof(q)),
                 after);
}

/* Splits line into its first word (cut to WORD_MAX) and the rest without
 * blanks around it. */
static void split(const char *line, char *word, char *arg)
{
    size_t n;

    while (blank(*line))
        line++;
    n = strcspn(line, " \t");
    snprintf(word, WORD_MAX, "%.*s", (int)n, line);
    line += n;
    while (blank(*line))
        line++;
    n = strlen(line);
    while (n > 0 && blank(line[n - 1]))
        n--;
    snprintf(arg, TUI_COMMAND_LINE_MAX, "%.*s", (int)n, line);
}

/* Checks the argument of def against what it needs. */
static bool check_arg(const struct command_def *def, const char *word,
                      const char *arg, char *why, size_t size)
{
    if (def->need == NO_ARG && arg[0]) {
        say(why, size, "", word, " takes no argument");
        return false;
    }
    if (def->need == ARG_REQUIRED && !arg[0]) {
        say(why, size, "", word, " needs an argument: Tab lists them");
        return false;
    }
    return true;
}

/* A view's name used as a command: "trips" is "view trips". */
static enum base_status parse_view_word(const char *view, const char *word,
                                        const char *arg, struct tui_command *c,
                                        char *why, size_t size)
{
    if (arg[0]) {
        say(why, size, "", word, " takes no argument");
        return BASE_E_USAGE;
    }
    c->kind = TUI_COMMAND_VIEW;
    snprintf(c->arg, sizeof(c->arg), "%s", view);
    return BASE_OK;
}

static enum base_status parse_word(const char *word, const char *arg,
                                   const struct tui_command_lists *lists,
                                   struct tui_command *c, char *why,
                                   size_t size)
{
    const struct command_def *def = find_command(word);
    const char *view = find_view(lists, word);

    if (!def && view)
        return parse_view_word(view, word, arg, c, why, size);
    if (!def && find_action(word) != NO_ACT && !arg[0]) {
        c->kind = TUI_COMMAND_ACTION;
        c->act = find_action(word);
        return BASE_OK;
    }
    if (!def && find_action(word) != NO_ACT) {
        say(why, size, "", word, " takes no argument");
        return BASE_E_USAGE;
    }
    if (!def) {
        say(why, size, "unknown command ", word, ": Tab lists the commands");
        return BASE_E_USAGE;
    }
    if (!check_arg(def, word, arg, why, size))
        return BASE_E_USAGE;
    c->kind = def->kind;
    c->act = def->act;
    snprintf(c->arg, sizeof(c->arg), "%s", arg);
    return BASE_OK;
}

enum base_status tui_command_parse(const char *line,
                                   const struct tui_command_lists *lists,
                                   struct tui_command *out, char *why,
                                   size_t why_size)
{
    struct tui_command c = {.kind = TUI_COMMAND_EMPTY, .act = NO_ACT};
    char word[WORD_MAX];
    char arg[TUI_COMMAND_LINE_MAX];
    const char *view;
    enum base_status status = BASE_OK;

    if (!line || !out)
        return BASE_E_INVALID;
    split(line, word, arg);
    if (word[0])
        status = parse_word(word, arg, lists, &c, why, why_size);
    if (status == BASE_OK && c.kind == TUI_COMMAND_VIEW) {
        view = find_view(lists, c.arg);
        if (!view) {
            say(why, why_size, "no view ", c.arg, ": Tab lists the views");
            return BASE_E_USAGE;
        }
        snprintf(c.arg, sizeof(c.arg), "%s", view);
    }
    if (status == BASE_OK)
        *out = c;
    return status;
}

/* The length of the UTF-8 character at s (1 for a stray byte), never
 * past its end. */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 1;
    size_t i;

    for (i = 1; i < n; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            return 1;
    }
    return n;
}

/* Whether the characters at a and b are the same once folded. */
static bool same_char(const char *a, size_t na, const char *b, size_t nb)
{
    char ca[CHAR_FOLD], cb[CHAR_FOLD];
    char fa[CHAR_FOLD], fb[CHAR_FOLD];

    snprintf(ca, sizeof(ca), "%.*s", (int)na, a);
    snprintf(cb, sizeof(cb), "%.*s", (int)nb, b);
    core_text_fold_plain(ca, fa, sizeof(fa));
    core_text_fold_plain(cb, fb, sizeof(fb));
    return strcmp(fa, fb) == 0;
}

/* The bytes of a that b starts with too, a character at a time. */
static size_t common_bytes(const char *a, const char *b)
{
    size_t ia = 0, ib = 0;
    size_t na, nb;

    while (a[ia] && b[ib]) {
        na = char_len(a + ia);
        nb = char_len(b + ib);
        if (!same_char(a + ia, na, b + ib, nb))
            break;
        ia += na;
        ib += nb;
    }
    return ia;
}

size_t tui_command_common_prefix(const char *const *items, size_t count)
{
    size_t len;
    size_t i;

    if (!items || count == 0 || !items[0])
        return 0;
    len = strlen(items[0]);
    for (i = 1; i < count && len > 0; i++) {
        size_t n = items[i] ? common_bytes(items[0], items[i]) : 0;

        len = n < len ? n : len;
    }
    return len;
}

/* The word being completed, folded, and where completions go. */
struct completing {
    char folded[TUI_COMMAND_LINE_MAX];
    size_t folded_len;
    struct tui_command_matches *out;
};

static bool starts_with(const struct completing *c, const char *item)
{
    char folded[TUI_COMMAND_LINE_MAX];

    if (!core_text_fold_plain(item, folded, sizeof(folded)))
        return false;
    return strncmp(folded, c->folded, c->folded_len) == 0;
}

/* Keeps item when it matches and is not kept already. */
static void offer(struct completing *c, const char *item)
{
    struct tui_command_matches *m = c->out;
    size_t i;

    if (!item || !item[0] || !starts_with(c, item))
        return;
    for (i = 0; i < m->count; i++) {
        if (strcmp(m->items[i], item) == 0)
            return;
    }
    m->total++;
    if (m->count < TUI_COMMAND_MATCHES_MAX)
        snprintf(m->items[m->count++], TUI_COMMAND_LINE_MAX, "%s", item);
}

static void offer_list(struct completing *c, const char *const *list,
                       size_t count)
{
    size_t i;

    for (i = 0; list && i < count; i++)
        offer(c, list[i]);
}

static void offer_commands(struct completing *c,
                           const struct tui_command_lists *lists)
{
    size_t i;
    int act;

    for (i = 0; i < COMMAND_COUNT; i++) {
        if (commands[i].usage)
            offer(c, commands[i].name);
    }
    if (lists)
        offer_list(c, lists->views, lists->view_count);
    for (act = 0; act < TUI_CONFIG_ACTS; act++) {
        if (action_listed(act))
            offer(c, tui_config_act_name((enum tui_config_act)act));
    }
}

/* Names first; an id once a digit is typed, or for a company whose name
 * is not known. */
static void offer_companies(struct completing *c,
                            const struct tui_command_lists *l)
{
    bool digit = c->folded[0] >= '0' && c->folded[0] <= '9';
    size_t i;

    for (i = 0; l->companies && i < l->company_count; i++)
        offer(c, l->companies[i]);
    for (i = 0; l->company_ids && i < l->company_count; i++) {
        if (digit || !l->companies || !l->companies[i])
            offer(c, l->company_ids[i]);
    }
}

static void offer_argument(struct completing *c, const char *word,
                           const struct tui_command_lists *lists)
{
    const struct command_def *def = find_command(word);

    if (!def || !lists)
        return;
    if (def->completes == COMPANIES)
        offer_companies(c, lists);
    else if (def->completes == ACCOUNTS)
        offer_list(c, lists->accounts, lists->account_count);
    else if (def->completes == VIEWS)
        offer_list(c, lists->views, lists->view_count);
    else if (def->completes == COLUMNS)
        offer_list(c, lists->columns, lists->column_count);
}

static size_t skip_blanks(const char *line, size_t at)
{
    while (blank(line[at]))
        at++;
    return at;
}

/* Where the word at cursor starts, and the command word when the cursor
 * is past it (word is "" otherwise). */
static size_t word_start(const char *line, size_t cursor, char *word)
{
    size_t first = skip_blanks(line, 0);
    size_t end = first + strcspn(line + first, " \t");
    size_t arg;

    word[0] = '\0';
    if (cursor <= end)
        return cursor < first ? cursor : first;
    snprintf(word, WORD_MAX, "%.*s", (int)(end - first), line + first);
    arg = skip_blanks(line, end);
    return cursor < arg ? cursor : arg;
}

enum base_status tui_command_complete(const char *line, size_t cursor,
                                      const struct tui_command_lists *lists,
                                      struct tui_command_matches *out)
{
    struct completing c;
    char word[WORD_MAX];
    char typed[TUI_COMMAND_LINE_MAX];
    size_t start;

    if (!line || !out || cursor > strlen(line) ||
        ((unsigned char)line[cursor] & 0xc0) == 0x80)
        return BASE_E_INVALID;
    memset(&c, 0, sizeof(c));
    c.out = out;
    start = word_start(line, cursor, word);
    snprintf(typed, sizeof(typed), "%.*s", (int)(cursor - start), line + start);
    core_text_fold_plain(typed, c.folded, sizeof(c.folded));
    c.folded_len = strlen(c.folded);
    out->start = start;
    out->end = cursor;
    out->argument = word[0] != '\0';
    out->count = 0;
    out->total = 0;
    if (out->argument)
        offer_argument(&c, word, lists);
    else
        offer_commands(&c, lists);
    return BASE_OK;
}

static bool is_blank_line(const char *line)
{
    while (blank(*line))
        line++;
    return *line == '\0';
}

void tui_command_history_add(struct tui_command_history *history,
                             const char *line)
{
    size_t last;

    if (!history || !line)
        return;
    history->pos = history->count;
    history->draft[0] = '\0';
    if (is_blank_line(line))
        return;
    last = history->count;
    if (last > 0 &&
        strncmp(history->lines[last - 1], line, TUI_COMMAND_LINE_MAX - 1) == 0)
        return;
    if (history->count == TUI_COMMAND_HISTORY_MAX) {
        memmove(history->lines[0], history->lines[1],
                sizeof(history->lines[0]) * (TUI_COMMAND_HISTORY_MAX - 1));
        history->count--;
    }
    snprintf(history->lines[history->count++], TUI_COMMAND_LINE_MAX, "%s",
             line);
    history->pos = history->count;
}

const char *tui_command_history_step(struct tui_command_history *history,
                                     int dir, const char *current)
{
    if (!history || !current || dir == 0 || history->pos > history->count)
        return NULL;
    if (dir < 0) {
        if (history->pos == 0)
            return NULL;
        if (history->pos == history->count)
            snprintf(history->draft, sizeof(history->draft), "%s", current);
        return history->lines[--history->pos];
    }
    if (history->pos >= history->count)
        return NULL;
    history->pos++;
    if (history->pos == history->count)
        return history->draft;
    return history->lines[history->pos];
}

void tui_command_history_reset(struct tui_command_history *history)
{
    if (!history)
        return;
    history->pos = history->count;
    history->draft[0] = '\0';
}

bool tui_command_help(size_t i, const char **usage, const char **what)
{
    const struct command_def *def = NULL;
    size_t n = 0;
    size_t k;

    for (k = 0; k < COMMAND_COUNT && !def; k++) {
        if (commands[k].usage && n++ == i)
            def = &commands[k];
    }
    if (!def)
        return false;
    if (usage)
        *usage = def->usage;
    if (what)
        *what = def->what;
    return true;
}
