/* Composing the UI's status messages: the detail from core often already
 * names the status ("server failure (HTTP 500): ..."), so it is not
 * prefixed again, and its own final full stop is not doubled. */
#include "tui/message.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* True when detail begins with word as a whole phrase, in any case. */
static bool starts_with_phrase(const char *detail, const char *word)
{
    size_t len = strlen(word);

    if (len == 0 || strncasecmp(detail, word, len) != 0)
        return false;
    return !isalnum((unsigned char)detail[len]);
}

static size_t trim_end(char *out, size_t len)
{
    while (len > 0 && (out[len - 1] == '.' || out[len - 1] == ' '))
        len--;
    out[len] = '\0';
    return len;
}

/* Drops trailing spaces and full stops, then ends with one full stop
 * (cutting at a character boundary to make room) unless the text ends in
 * another closing mark. size is at least 2. */
static void end_sentence(char *out, size_t size)
{
    size_t len = trim_end(out, strlen(out));

    if (len > 0 && (out[len - 1] == '!' || out[len - 1] == '?'))
        return;
    if (len + 2 > size) {
        len = size - 2;
        while (len > 0 && ((unsigned char)out[len] & 0xc0) == 0x80)
            len--;
        len = trim_end(out, len);
    }
    out[len] = '.';
    out[len + 1] = '\0';
}

void tui_message_cause(char *out, size_t size, enum base_status status,
                       const char *detail)
{
    const char *message = base_status_message(status);

    if (!out || size == 0)
        return;
    if (!detail || !*detail)
        snprintf(out, size, "%s", message);
    else if (starts_with_phrase(detail, message))
        snprintf(out, size, "%s", detail);
    else
        snprintf(out, size, "%s: %s", message, detail);
    trim_end(out, strlen(out));
}

void tui_message_compose(char *out, size_t size, const char *lead,
                         enum base_status status, const char *detail)
{
    bool has_lead = lead && *lead;
    size_t used = 0;

    if (!out || size == 0)
        return;
    out[0] = '\0';
    if (has_lead)
        used = (size_t)snprintf(out, size, "%s: ", lead);
    if (used < size)
        tui_message_cause(out + used, size - used, status, detail);
    if (!has_lead && out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    if (size > 1)
        end_sentence(out, size);
}

/* Splits "HTTP <code>: <text>" into the code's digits and the text. */
static bool split_http(const char *detail, const char **code, int *code_len,
                       const char **text)
{
    const char *p;

    if (strncmp(detail, "HTTP ", 5) != 0)
        return false;
    p = detail + 5;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == detail + 5 || p[0] != ':' || p[1] != ' ' || !p[2])
        return false;
    *code = detail + 5;
    *code_len = (int)(p - *code);
    *text = p + 2;
    return true;
}

void tui_message_server(char *out, size_t size, const char *lead,
                        const char *detail)
{
    const char *code = NULL;
    const char *text = NULL;
    int code_len = 0;
    size_t used;

    if (!out || size == 0)
        return;
    snprintf(out, size, "%s", lead && *lead ? lead : "Refused");
    used = trim_end(out, strlen(out));
    if (!detail || !*detail) {
        if (size > 1)
            end_sentence(out, size);
        return;
    }
    if (split_http(detail, &code, &code_len, &text)) {
        snprintf(out + used, size - used, ". The server said: %s", text);
        used = trim_end(out, strlen(out));
        snprintf(out + used, size - used, " (HTTP %.*s)", code_len, code);
    } else {
        snprintf(out + used, size - used, ". The server said: %s", detail);
    }
    if (size > 1)
        end_sentence(out, size);
}

void tui_message_matches(char *out, size_t size, size_t n, bool loading)
{
    static const char keys[] = "/ edits the filter, Esc clears it.";

    if (!out || size == 0)
        return;
    if (loading)
        snprintf(out, size,
                 "Filter kept while rows still arrive (the title counts "
                 "the matches): n and N step through them, %s",
                 keys);
    else if (n == 0)
        snprintf(out, size, "No row matches: %s", keys);
    else if (n == 1)
        snprintf(out, size, "1 row matches: %s", keys);
    else
        snprintf(out, size, "%zu rows match: n and N step through them, %s", n,
                 keys);
}
