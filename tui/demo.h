/* --demo: starts the bundled bezala-sim on a free loopback port with the
 * demo data and gives the UI its URL, CA, a fresh home and the demo
 * accounts. */
#ifndef BEZALA_TUI_DEMO_H
#define BEZALA_TUI_DEMO_H

#include <stddef.h>

#include "base/secret.h"
#include "base/status.h"

struct tui_demo;

/* One line of accounts.tsv; owned by the demo. */
struct tui_demo_account {
    char *email;
    struct base_secret *password;
    char *description;
};

/* Finds bezala-sim next to this executable and the demo assets (the
 * installed ones next to it first, then the source tree), starts the sim
 * with --port 0 and waits (at most 10 s) for its listening line. home,
 * when not NULL, is used as the home; otherwise a new 0700 directory
 * bezala-demo-XXXXXX under $XDG_RUNTIME_DIR or /tmp is made, with an
 * owner.pid file naming this process, and removed again by
 * tui_demo_free. Before that, the demo homes there that belong to this
 * user and whose owner.pid names a process that no longer runs (one
 * killed with SIGKILL) are removed; links are never followed. On failure err
 * says why: BASE_E_IO (not found, did not start), BASE_E_NOMEM. */
enum base_status tui_demo_start(const char *home, struct tui_demo **out,
                                char *err, size_t err_size)
    __attribute__((warn_unused_result));

/* Stops the sim (SIGTERM, then SIGKILL after a second), removes the home
 * it made, wipes the demo passwords, frees and sets *demo to NULL. */
void tui_demo_free(struct tui_demo **demo);

/* Borrowed while the demo lives. */
const char *tui_demo_url(const struct tui_demo *demo);
const char *tui_demo_cacert(const struct tui_demo *demo);
const char *tui_demo_home(const struct tui_demo *demo);
const struct tui_demo_account *tui_demo_accounts(const struct tui_demo *demo,
                                                 size_t *count);

#endif
