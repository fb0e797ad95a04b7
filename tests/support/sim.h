/* tests/support/sim.h: starts and controls a bezala-sim for tests. */
#ifndef BEZALA_TESTS_SUPPORT_SIM_H
#define BEZALA_TESTS_SUPPORT_SIM_H

struct support_sim;

/* Starts BEZALA_BIN_DIR/bezala-sim on 127.0.0.1 port 0 with the demo data
 * (BEZALA_TEST_ASSETS/demo) and demo certificates, waits (bounded, 10 s)
 * for its "listening on https://127.0.0.1:PORT" line. latency_ms 0 = none.
 * Returns 0 on success. Each start is a fresh server with fresh state. */
int support_sim_start(int latency_ms, struct support_sim **out);

/* "https://127.0.0.1:PORT"; borrowed. */
const char *support_sim_url(const struct support_sim *sim);

/* Path of the demo CA certificate the client must trust; borrowed. */
const char *support_sim_cacert(const struct support_sim *sim);

/* POSTs json to a control path such as "/sim/password"; returns the HTTP
 * status, or -1 when no answer came. */
long support_sim_control(struct support_sim *sim, const char *path,
                         const char *json);

/* Stops the server (SIGTERM, then waits), frees, sets *sim to NULL. */
void support_sim_stop(struct support_sim **sim);

/* CMake: library target bezala_test_support (links libcurl), include
 * "tests/support/sim.h". */

#endif
