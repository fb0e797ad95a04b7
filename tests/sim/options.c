/* Parses the bezala-sim command line. */
#include "tests/sim/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/sim/bulk.h"

static const char usage[] =
    "usage: bezala-sim --port N --data DIR --cert FILE --key FILE\n"
    "                  [--latency-ms N] [--fault JSON] [--receipts N]\n"
    "                  [--quiet]\n"
    "Serves the Bezala API contract over TLS on 127.0.0.1 from\n"
    "DIR/data.json; port 0 picks a free port. Stops on SIGTERM or SIGINT.\n"
    "--fault sets a fault from the start, as POST /sim/fault does, e.g.\n"
    "  --fault '{\"status\":503,\"count\":1000}'\n"
    "  --fault '{\"text\":\"<html>busy</html>\",\"count\":1000}'\n"
    "  --fault '{\"body_bytes\":100,\"trickle_ms\":1000,\"count\":1}'\n"
    "--receipts N gives the company with the most receipts (318 in the\n"
    "demo data) N invented receipts made from its own, the same on every\n"
    "run (0..1000000), for benchmarks.\n";

static int parse_int(const char *text, int max, int *out)
{
    char *end = NULL;
    long value;

    errno = 0;
    value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 0 || value > max) {
        return -1;
    }
    *out = (int)value;
    return 0;
}

static int apply(int opt, const char *arg, struct sim_options *o)
{
    switch (opt) {
    case 'p':
        return parse_int(arg, 65535, &o->port);
    case 'l':
        return parse_int(arg, 600000, &o->latency_ms);
    case 'd':
        o->data = arg;
        return 0;
    case 'c':
        o->cert = arg;
        return 0;
    case 'k':
        o->key = arg;
        return 0;
    case 'q':
        o->quiet = true;
        return 0;
    case 'f':
        o->fault = arg;
        return 0;
    case 'r':
        return parse_int(arg, SIM_BULK_RECEIPTS_MAX, &o->receipts);
    default:
        return -1;
    }
}

int sim_options_parse(int argc, char **argv, struct sim_options *out)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},
        {"data", required_argument, NULL, 'd'},
        {"cert", required_argument, NULL, 'c'},
        {"key", required_argument, NULL, 'k'},
        {"latency-ms", required_argument, NULL, 'l'},
        {"quiet", no_argument, NULL, 'q'},
        {"fault", required_argument, NULL, 'f'},
        {"receipts", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct sim_options o = {.port = -1, .receipts = -1};

    for (;;) {
        int opt = getopt_long(argc, argv, "", longopts, NULL);

        if (opt == -1) {
            break;
        }
        if (opt == 'h') {
            fputs(usage, stdout);
            return 1;
        }
        if (apply(opt, optarg, &o) != 0) {
            fputs(usage, stderr);
            return -1;
        }
    }
    if (optind != argc || o.port < 0 || !o.data || !o.cert || !o.key) {
        fputs(usage, stderr);
        return -1;
    }
    *out = o;
    return 0;
}
