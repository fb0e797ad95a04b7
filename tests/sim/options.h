/* The bezala-sim command line. */
#ifndef BEZALA_SIM_OPTIONS_H
#define BEZALA_SIM_OPTIONS_H

#include <stdbool.h>

struct sim_options {
    int port;          /* 0 picks a free port */
    const char *data;  /* directory holding data.json */
    const char *cert;  /* server certificate chain, PEM */
    const char *key;   /* server private key, PEM */
    int latency_ms;    /* added to every answer */
    bool quiet;        /* no per-request log lines on stderr */
    const char *fault; /* a /sim/fault body set at the start, or NULL */
    int receipts;      /* -1: as loaded; else the receipts the biggest
                          company serves (see tests/sim/bulk.h) */
};

/* Fills *out from argv (borrowing its strings). Returns 0, 1 when help
 * was printed, or -1 after printing a usage error to stderr. */
int sim_options_parse(int argc, char **argv, struct sim_options *out);

#endif
