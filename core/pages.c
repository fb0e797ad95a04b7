/* A bounded window of a list's page requests: answers that arrive out of
 * order wait here, copied, until the list takes them in order. */
#include "core/pages.h"

#include <stdlib.h>
#include <string.h>

struct entry {
    struct core_pages *owner;
    bool used;
    bool done;
    size_t page;
    uint64_t http_id;
    struct core_http_result result;
    char *body;
};

struct core_pages {
    struct core_http *http;
    core_pages_ready ready;
    void *user;
    struct entry entries[CORE_PAGES_MAX];
};

enum base_status core_pages_new(struct core_http *http, core_pages_ready ready,
                                void *user, struct core_pages **out)
{
    struct core_pages *pages;
    size_t i;

    if (!http || !ready || !out)
        return BASE_E_INVALID;
    pages = calloc(1, sizeof(*pages));
    if (!pages)
        return BASE_E_NOMEM;
    pages->http = http;
    pages->ready = ready;
    pages->user = user;
    for (i = 0; i < CORE_PAGES_MAX; i++)
        pages->entries[i].owner = pages;
    *out = pages;
    return BASE_OK;
}

static void entry_clear(struct entry *e)
{
    struct core_pages *owner = e->owner;

    if (e->used && !e->done && e->http_id)
        core_http_cancel(owner->http, e->http_id);
    free(e->body);
    memset(e, 0, sizeof(*e));
    e->owner = owner;
}

void core_pages_reset(struct core_pages *pages)
{
    size_t i;

    if (!pages)
        return;
    for (i = 0; i < CORE_PAGES_MAX; i++)
        entry_clear(&pages->entries[i]);
}

void core_pages_free(struct core_pages **pages)
{
    if (!pages || !*pages)
        return;
    core_pages_reset(*pages);
    free(*pages);
    *pages = NULL;
}

/* The answer is copied: the transport wipes its own copy when this
 * returns, and the list may want it only after earlier pages. */
static void on_done(const struct core_http_result *r, void *user)
{
    struct entry *e = user;
    struct core_pages *owner = e->owner;

    e->http_id = 0;
    e->done = true;
    e->result = *r;
    e->result.body = NULL;
    e->body = malloc(r->len + 1);
    if (e->body) {
        memcpy(e->body, r->body, r->len);
        e->body[r->len] = '\0';
    } else if (r->status == BASE_OK) {
        e->result.status = BASE_E_NOMEM;
        e->result.len = 0;
        strcpy(e->result.detail, "the page could not be kept");
    }
    owner->ready(r, owner->user);
}

enum base_status core_pages_start(struct core_pages *pages, size_t page,
                                  const char *path)
{
    struct entry *e = NULL;
    enum base_status r;
    size_t i;

    if (!pages || !path)
        return BASE_E_INVALID;
    for (i = 0; i < CORE_PAGES_MAX && !e; i++) {
        if (!pages->entries[i].used)
            e = &pages->entries[i];
    }
    if (!e)
        return BASE_E_INVALID;
    r = core_http_start(pages->http, CORE_HTTP_GET, path, NULL, 0, true,
                        on_done, e, &e->http_id);
    if (r != BASE_OK)
        return r;
    e->used = true;
    e->page = page;
    return BASE_OK;
}

bool core_pages_take(struct core_pages *pages, size_t page,
                     struct core_pages_result *out)
{
    struct entry *e;
    size_t i;

    if (!pages || !out)
        return false;
    for (i = 0; i < CORE_PAGES_MAX; i++) {
        e = &pages->entries[i];
        if (!e->used || !e->done || e->page != page)
            continue;
        out->r = e->result;
        out->page = page;
        out->body = e->body;
        out->r.body = e->body ? e->body : "";
        e->body = NULL;
        entry_clear(e);
        return true;
    }
    return false;
}

void core_pages_result_clear(struct core_pages_result *result)
{
    if (!result)
        return;
    free(result->body);
    memset(result, 0, sizeof(*result));
}

size_t core_pages_in_flight(const struct core_pages *pages)
{
    size_t n = 0;
    size_t i;

    for (i = 0; pages && i < CORE_PAGES_MAX; i++) {
        if (pages->entries[i].used && !pages->entries[i].done)
            n++;
    }
    return n;
}
