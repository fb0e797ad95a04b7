/* The page requests of one list in flight at once: each page's answer is
 * kept until the list takes it in page order. Internal to core/. */
#ifndef BEZALA_CORE_PAGES_H
#define BEZALA_CORE_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"
#include "core/http.h"

/* Page requests one list keeps going at once, at most. */
#define CORE_PAGES_MAX 4

struct core_pages;

/* Called when a page's answer arrives (r borrowed for the call; it is
 * kept for core_pages_take as well). The callback may free the pages. */
typedef void (*core_pages_ready)(const struct core_http_result *r, void *user);

/* A page's answer taken out of the window; free with
 * core_pages_result_clear. r.body points into body. */
struct core_pages_result {
    struct core_http_result r;
    size_t page;
    char *body;
};

/* A window over http (borrowed; it must outlive the pages). BASE_E_NOMEM
 * or BASE_E_INVALID; the caller owns *out. */
enum base_status core_pages_new(struct core_http *http, core_pages_ready ready,
                                void *user, struct core_pages **out)
    __attribute__((warn_unused_result));

/* Cancels every request (no callbacks), drops the kept answers, frees
 * and sets *pages to NULL. Accepts NULL. */
void core_pages_free(struct core_pages **pages);

/* GETs path (authenticated) as page. BASE_E_INVALID when CORE_PAGES_MAX
 * pages are out or kept already; the transport's status otherwise. */
enum base_status core_pages_start(struct core_pages *pages, size_t page,
                                  const char *path)
    __attribute__((warn_unused_result));

/* Moves the kept answer of page into *out; false when it has not
 * arrived (or was never asked for). */
bool core_pages_take(struct core_pages *pages, size_t page,
                     struct core_pages_result *out);

void core_pages_result_clear(struct core_pages_result *result);

/* Cancels every request and drops every kept answer. */
void core_pages_reset(struct core_pages *pages);

/* Requests sent and not answered yet. */
size_t core_pages_in_flight(const struct core_pages *pages);

#endif
