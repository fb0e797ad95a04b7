/* The bezala-sim HTTPS listener: libmicrohttpd with GnuTLS on 127.0.0.1,
 * one thread per connection, every call answered under one data lock. */
#ifndef BEZALA_SIM_SERVER_H
#define BEZALA_SIM_SERVER_H

#include <stddef.h>

#include "tests/sim/data.h"
#include "tests/sim/options.h"

/* Request bodies above this answer 413. */
#define SIM_SERVER_MAX_BODY (64 * 1024)

/* Largest text body a fault may send. */
#define SIM_SERVER_TEXT_MAX (64 * 1024)

struct sim_server;

/* Starts listening with the options' port, certificate, key and latency,
 * serving data (borrowed; it must outlive the server). Returns 0 with
 * *out set, or -1 with a reason in err. */
int sim_server_start(const struct sim_options *options, struct sim_data *data,
                     struct sim_server **out, char *err, size_t err_len);

/* The port actually bound. */
unsigned int sim_server_port(const struct sim_server *server);

/* Stops listening, waits for the connection threads, wipes the key copy,
 * frees, sets *server to NULL. NULL is ok. */
void sim_server_stop(struct sim_server **server);

#endif
