/* What the command line resolved to, shared by the subcommands and the
 * full-screen UI. */
#ifndef BEZALA_TUI_CONTEXT_H
#define BEZALA_TUI_CONTEXT_H

#include "tui/demo.h"
#include "tui/options.h"

/* Every pointer is borrowed from main for the run. */
struct tui_context {
    const struct tui_options *opts;
    const char *server;    /* --server, or the demo server's URL */
    const char *cacert;    /* --cacert, or the demo CA */
    const char *data_dir;  /* the store */
    const char *key_dir;   /* the key file */
    const char *account;   /* --account, or NULL for the last used one */
    struct tui_demo *demo; /* NULL unless --demo */
};

#endif
