/* bezala-sim: a Bezala-compatible HTTPS server on loopback for the tests
 * and for `bezala --demo`. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/sim/bulk.h"
#include "tests/sim/control.h"
#include "tests/sim/data.h"
#include "tests/sim/options.h"
#include "tests/sim/server.h"

/* Blocks the stop signals in every thread so that only sigwait sees them;
 * the server threads inherit this mask. */
static void block_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Loads the data set and applies the options that change it. Returns 0,
 * or -1 with the reason in err. */
static int load(const struct sim_options *options, struct sim_data **out,
                char *err, size_t err_len)
{
    struct sim_data *data = NULL;

    if (sim_data_load(options->data, &data, err, err_len) != 0) {
        return -1;
    }
    if ((options->receipts >= 0 &&
         sim_bulk_receipts(data, sim_bulk_biggest(data),
                           (size_t)options->receipts, err, err_len) != 0) ||
        (options->fault != NULL &&
         sim_control_fault_text(data, options->fault, err, err_len) != 0)) {
        sim_data_free(&data);
        return -1;
    }
    *out = data;
    return 0;
}

int main(int argc, char **argv)
{
    struct sim_options options;
    struct sim_data *data = NULL;
    struct sim_server *server = NULL;
    char err[512];
    sigset_t set;
    int sig = 0;
    int parsed = sim_options_parse(argc, argv, &options);

    if (parsed != 0) {
        return parsed > 0 ? 0 : 2;
    }
    block_stop_signals(&set);
    if (load(&options, &data, err, sizeof(err)) != 0 ||
        sim_server_start(&options, data, &server, err, sizeof(err)) != 0) {
        fprintf(stderr, "bezala-sim: %s\n", err);
        sim_data_free(&data);
        return 1;
    }
    /* Set before the line that tells clients the server is ready. */
    snprintf(data->origin, sizeof(data->origin), "https://127.0.0.1:%u",
             sim_server_port(server));
    printf("listening on %s\n", data->origin);
    fflush(stdout);
    sigwait(&set, &sig);
    sim_server_stop(&server);
    sim_data_free(&data);
    return 0;
}
