/* The file that keeps the item texts of a table's rows out of memory:
 * private to the owner, unlinked from its start, written once and read
 * back by offset. */
#include "core/view.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/view_internal.h"

/* Items are written a batch at a time; a batch that cannot be written
 * stays here, so that the rows it is for keep their items. */
#define PENDING_MAX (64u * 1024u)
/* What a pass over many rows reads at once. */
#define WINDOW_MAX (256u * 1024u)
#define NAME_MAX_LEN 4096

struct core_items {
    int fd;
    uint64_t flushed; /* bytes in the file */
    char *pending;    /* the bytes after them, not written yet */
    size_t pending_len;
    bool broken; /* a write failed: no more items go here */
};

/* A file that was made here, by this user, and has no name. */
static bool private_file(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
           st.st_uid == geteuid() && st.st_nlink == 0 &&
           (st.st_mode & 077) == 0;
}

/* Where O_TMPFILE is refused (a file system without it), a file of a
 * random name made only if none is there, and unlinked at once. */
static int open_named(const char *dir)
{
    char path[NAME_MAX_LEN];
    int fd;
    int n = snprintf(path, sizeof(path), "%s/.items-XXXXXX", dir);

    if (n < 0 || (size_t)n >= sizeof(path))
        return -1;
    fd = mkostemp(path, O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    if (unlink(path) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int open_private(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

    if (fd < 0)
        fd = open_named(dir);
    if (fd >= 0 && !private_file(fd)) {
        close(fd);
        fd = -1;
    }
    return fd;
}

enum base_status core_table_item_file(struct core_table *table, const char *dir)
{
    struct core_items *items;

    if (!table || !dir || !dir[0])
        return BASE_E_INVALID;
    if (table->items)
        return BASE_OK;
    items = calloc(1, sizeof(*items));
    if (!items)
        return BASE_E_NOMEM;
    items->pending = malloc(PENDING_MAX);
    items->fd = items->pending ? open_private(dir) : -1;
    if (items->fd < 0) {
        enum base_status r = items->pending ? BASE_E_IO : BASE_E_NOMEM;

        free(items->pending);
        free(items);
        return r;
    }
    table->items = items;
    return BASE_OK;
}

void core_view_items_free(struct core_items **items)
{
    if (!items || !*items)
        return;
    close((*items)->fd);
    free((*items)->pending);
    free(*items);
    *items = NULL;
}

/* Moves len bytes between buf and the file at offset at, whole: pwrite
 * when out, else pread. */
static int move_all(int fd, char *buf, size_t len, uint64_t at, bool out)
{
    ssize_t n;

    while (len > 0) {
        n = out ? pwrite(fd, buf, len, (off_t)at)
                : pread(fd, buf, len, (off_t)at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return VIEW_FAIL;
        buf += n;
        len -= (size_t)n;
        at += (uint64_t)n;
    }
    return 0;
}

static int write_all(int fd, const char *p, size_t len, uint64_t at)
{
    /* pwrite only reads the bytes. */
    return move_all(fd, (char *)(uintptr_t)p, len, at, true);
}

/* Writes the pending bytes; when that fails they stay pending for good
 * and the file takes no more. */
static int flush(struct core_items *items)
{
    if (items->pending_len == 0)
        return 0;
    if (write_all(items->fd, items->pending, items->pending_len,
                  items->flushed) != 0) {
        items->broken = true;
        return VIEW_FAIL;
    }
    items->flushed += items->pending_len;
    items->pending_len = 0;
    return 0;
}

int core_view_items_put(struct core_items *items, const char *text, size_t len,
                        uint64_t *off)
{
    if (!items || items->broken)
        return VIEW_FAIL;
    if (items->pending_len + len > PENDING_MAX && flush(items) != 0)
        return VIEW_FAIL;
    if (len > PENDING_MAX) {
        if (write_all(items->fd, text, len, items->flushed) != 0) {
            items->broken = true;
            return VIEW_FAIL;
        }
        *off = items->flushed;
        items->flushed += len;
        return 0;
    }
    *off = items->flushed + items->pending_len;
    memcpy(items->pending + items->pending_len, text, len);
    items->pending_len += len;
    return 0;
}

static uint64_t items_end(const struct core_items *items)
{
    return items->flushed + items->pending_len;
}

/* len bytes from off into buf, from the file and what is pending. */
static enum base_status items_get(const struct core_items *items, uint64_t off,
                                  size_t len, char *buf)
{
    size_t from_file = 0;

    if (off > items_end(items) || len > items_end(items) - off)
        return BASE_E_INVALID;
    if (off < items->flushed)
        from_file = items->flushed - off < len ? items->flushed - off : len;
    if (from_file && move_all(items->fd, buf, from_file, off, false) != 0)
        return BASE_E_IO;
    if (len > from_file)
        memcpy(buf + from_file,
               items->pending + (off + from_file - items->flushed),
               len - from_file);
    return BASE_OK;
}

static bool of_table(const struct core_table *table, const struct core_row *row)
{
    uintptr_t first = (uintptr_t)table->rows;
    uintptr_t at = (uintptr_t)row;

    return table->rows && at >= first &&
           (at - first) / sizeof(*row) < table->count &&
           (at - first) % sizeof(*row) == 0;
}

/* Where row's item is: in memory (*text), in table's file (*off, *len)
 * or nowhere (*text NULL, *len 0). */
static enum base_status item_place(const struct core_table *table,
                                   const struct core_row *row,
                                   const char **text, uint64_t *off,
                                   size_t *len)
{
    const struct core_view_info *info = core_view_info(table->view);

    *text = row->item;
    *len = 0;
    if (row->item || !info || !core_view_row_item_at(info, row, off, len))
        return BASE_OK;
    /* Another table's row would read the wrong bytes of this file. */
    if (!table->items || !of_table(table, row) ||
        *off > items_end(table->items) || *len > items_end(table->items) - *off)
        return BASE_E_INVALID;
    return BASE_OK;
}

enum base_status core_table_item(const struct core_table *table,
                                 const struct core_row *row, char **out,
                                 size_t *len)
{
    const char *text = NULL;
    uint64_t off = 0;
    size_t n = 0;
    char *copy;
    enum base_status r;

    if (!table || !row || !out || !len)
        return BASE_E_INVALID;
    r = item_place(table, row, &text, &off, &n);
    if (r != BASE_OK)
        return r;
    if (!text && n == 0) {
        *out = NULL;
        *len = 0;
        return BASE_OK;
    }
    n = text ? strlen(text) : n;
    copy = malloc(n + 1);
    if (!copy)
        return BASE_E_NOMEM;
    if (text)
        memcpy(copy, text, n);
    else
        r = items_get(table->items, off, n, copy);
    if (r != BASE_OK) {
        free(copy);
        return r;
    }
    copy[n] = '\0';
    *out = copy;
    *len = n;
    return BASE_OK;
}

static int reserve(char **buf, size_t *cap, size_t need)
{
    char *grown;

    if (need <= *cap)
        return 0;
    grown = realloc(*buf, need);
    if (!grown)
        return VIEW_FAIL;
    *buf = grown;
    *cap = need;
    return 0;
}

/* The file's bytes [off, off + len) into r->text, through the window
 * when they fit in one. */
static enum base_status reader_fill(struct core_view_item_reader *r,
                                    const struct core_items *items,
                                    uint64_t off, size_t len)
{
    uint64_t left = items_end(items) - off;
    enum base_status st;

    if (reserve(&r->text, &r->text_cap, len + 1) != 0)
        return BASE_E_NOMEM;
    if (len > WINDOW_MAX)
        return items_get(items, off, len, r->text);
    if (!r->window)
        r->window = malloc(WINDOW_MAX);
    if (!r->window)
        return BASE_E_NOMEM;
    if (off < r->window_at || off + len > r->window_at + r->window_len) {
        r->window_len = left < WINDOW_MAX ? (size_t)left : WINDOW_MAX;
        r->window_at = off;
        st = items_get(items, off, r->window_len, r->window);
        if (st != BASE_OK) {
            r->window_len = 0;
            return st;
        }
    }
    memcpy(r->text, r->window + (off - r->window_at), len);
    return BASE_OK;
}

enum base_status core_view_item_read(struct core_view_item_reader *r,
                                     const struct core_table *table,
                                     const struct core_row *row,
                                     const char **text, size_t *len)
{
    const char *kept = NULL;
    uint64_t off = 0;
    size_t n = 0;
    enum base_status st;

    if (!r || !table || !row || !text || !len)
        return BASE_E_INVALID;
    st = item_place(table, row, &kept, &off, &n);
    if (st == BASE_OK && !kept && n)
        st = reader_fill(r, table->items, off, n);
    if (st != BASE_OK)
        return st;
    if (!kept && n)
        r->text[n] = '\0';
    *text = kept ? kept : n ? r->text : NULL;
    *len = kept ? strlen(kept) : n;
    return BASE_OK;
}

void core_view_item_reader_clear(struct core_view_item_reader *r)
{
    if (!r)
        return;
    free(r->window);
    free(r->text);
    memset(r, 0, sizeof(*r));
}
