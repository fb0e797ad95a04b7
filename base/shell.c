/* Words quoted for a POSIX shell, so that a command a message suggests
 * can be pasted and run as it stands. */
#include "base/shell.h"

#include <ctype.h>
#include <string.h>

/* Whether text needs no quotes: letters, digits and a few marks. */
static bool shell_plain(const char *text)
{
    const char *p;

    for (p = text; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("@%+=:,./_-", *p))
            return false;
    }
    return p != text;
}

bool base_shell_quote(const char *text, char *out, size_t size)
{
    size_t len = 0;
    const char *p;

    if (!out || size == 0)
        return false;
    out[0] = '\0';
    if (!text)
        return false;
    if (shell_plain(text) && strlen(text) < size) {
        memcpy(out, text, strlen(text) + 1);
        return true;
    }
    out[len++] = '\'';
    for (p = text; *p; p++) {
        /* A quote closes, escapes and reopens; the end needs two more. */
        size_t need = *p == '\'' ? 4 : 1;

        if (len + need + 2 > size)
            break;
        if (*p == '\'')
            memcpy(out + len, "'\\''", 4);
        else
            out[len] = *p;
        len += need;
    }
    if (*p || len + 2 > size) {
        out[0] = '\0';
        return false;
    }
    out[len++] = '\'';
    out[len] = '\0';
    return true;
}
