/* The UI's command line without the screen: a line read as a command and
 * its argument, the completions of the word at the cursor, their common
 * prefix, and this run's history of command lines. */
#ifndef BEZALA_TUI_COMMAND_H
#define BEZALA_TUI_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

/* A command line's bytes at most, its NUL included (as a tui_field). */
#define TUI_COMMAND_LINE_MAX 256
/* Completions kept; more are counted in total. */
#define TUI_COMMAND_MATCHES_MAX 48
/* Command lines the history keeps; the oldest goes first. */
#define TUI_COMMAND_HISTORY_MAX 50

enum tui_command_kind {
    TUI_COMMAND_EMPTY,   /* nothing but blanks: nothing to run */
    TUI_COMMAND_SWITCH,  /* arg: a company's id, name or part of one */
    TUI_COMMAND_ACCOUNT, /* arg: a stored account's email */
    TUI_COMMAND_VIEW,    /* arg: a view's name, checked against the list */
    TUI_COMMAND_EXPORT,  /* arg: the file name, or "" for the default */
    TUI_COMMAND_FILTER,  /* arg: the filter text; "" clears the filter */
    TUI_COMMAND_SORT,    /* arg: a column; "" sorts by the next one */
    TUI_COMMAND_ACTION   /* act: an action of the main screen's keys */
};

struct tui_command {
    enum tui_command_kind kind;
    int act; /* for TUI_COMMAND_ACTION: an enum tui_config_act */
    char arg[TUI_COMMAND_LINE_MAX];
};

/* What the arguments can be, all borrowed from the caller; any list may
 * be NULL with a count of 0. companies[i] (NULL when the server did not
 * publish it) and company_ids[i] belong to one company. */
struct tui_command_lists {
    const char *const *companies;
    const char *const *company_ids;
    size_t company_count;
    const char *const *accounts; /* stored accounts' emails */
    size_t account_count;
    const char *const *views; /* view names, such as "trips" */
    size_t view_count;
    const char *const *columns; /* the current view's column keys */
    size_t column_count;
};

/* The completions of the word that ends at the cursor. */
struct tui_command_matches {
    size_t start;  /* the word is line[start, end) */
    size_t end;    /* the cursor */
    bool argument; /* an argument's completions (else commands) */
    size_t count;  /* items kept */
    size_t total;  /* items matching, count or more */
    char items[TUI_COMMAND_MATCHES_MAX][TUI_COMMAND_LINE_MAX];
};

/* This run's command lines, oldest first, and where Up and Down are. */
struct tui_command_history {
    char lines[TUI_COMMAND_HISTORY_MAX][TUI_COMMAND_LINE_MAX];
    size_t count;
    size_t pos; /* count: at the line being written */
    char draft[TUI_COMMAND_LINE_MAX];
};

/* Reads line (UTF-8) into *out: the first word names the command (case
 * does not matter): switch, account, view, export, filter, sort, a view's
 * name from lists (as "view NAME"), q, or the name of an action of the
 * main screen's keys ("refresh", "companies", "accounts", "help", "quit",
 * "pin", "next_view"...). The rest, blanks around it removed, is the
 * argument. BASE_OK (TUI_COMMAND_EMPTY for a blank line);
 * BASE_E_USAGE for an unknown command, a missing argument, an argument
 * to a command that takes none or an unknown view, with why saying so in
 * one line (why_size bytes, may be 0); BASE_E_INVALID for NULL line or
 * out. *out is set only on BASE_OK. */
enum base_status
tui_command_parse(const char *line, const struct tui_command_lists *lists,
                  struct tui_command *out, char *why, size_t why_size)
    __attribute__((warn_unused_result));

/* The completions of the word before byte cursor of line: in the first
 * word the commands (names of the table first, then the views, then the
 * other actions), after it the command's argument: switch completes the
 * companies' names (and ids, once a digit is typed or when the name is
 * not known), account the emails, view the view names, sort the columns.
 * An argument's word runs from its first character to the cursor, blanks
 * included ("switch Kahvila Ä"). Matching is by prefix, case-insensitive
 * and blind to Latin diacritics (core_text_fold_plain). *out is set only
 * on BASE_OK, which holds for no match too (count 0); BASE_E_INVALID for
 * NULL line or out, or a cursor past the end or inside a character. */
enum base_status tui_command_complete(const char *line, size_t cursor,
                                      const struct tui_command_lists *lists,
                                      struct tui_command_matches *out)
    __attribute__((warn_unused_result));

/* The bytes of items[0] that every item starts with, compared one
 * character at a time as tui_command_complete matches; 0 for NULL or no
 * items. */
size_t tui_command_common_prefix(const char *const *items, size_t count);

/* Adds line (not a blank one, nor a repeat of the newest) as the newest
 * line and ends any walk. NULL arguments are ignored. */
void tui_command_history_add(struct tui_command_history *history,
                             const char *line);

/* One step of Up (older, dir < 0) or Down (newer, dir > 0) from current,
 * the line on screen, which is kept as the draft when the walk leaves
 * it. Returns the line to show (borrowed until the next call on
 * history), or NULL when there is nowhere to go (or for NULL
 * arguments). */
const char *tui_command_history_step(struct tui_command_history *history,
                                     int dir, const char *current);

/* Starts a new line: the next Up shows the newest line. */
void tui_command_history_reset(struct tui_command_history *history);

/* The i-th command as the help lists it: its usage ("switch COMPANY")
 * and what it does, both static. false past the last (outputs then
 * unchanged); usage or what may be NULL. */
bool tui_command_help(size_t i, const char **usage, const char **what);

#endif
