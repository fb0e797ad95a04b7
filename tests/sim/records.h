/* Loads the expense items, batches and reference data of the bezala-sim
 * data set (the parts the browsable views serve). */
#ifndef BEZALA_SIM_RECORDS_H
#define BEZALA_SIM_RECORDS_H

#include <stddef.h>

#include "tests/sim/data.h"

/* Loads "batch_documents", the four item arrays (see sim_data_kind),
 * "accounts" and "cost_centers" from data->root into data, after the
 * companies, users and memberships. Items and batches are sorted newest
 * date first, then highest id. An accounted item must name a batch of its
 * own company. Returns 0, or -1 with a reason in err. */
int sim_records_load(struct sim_data *data, char *err, size_t err_len);

/* Indexes data->root's array of one kind into data->items[kind] (which
 * must be NULL: free it first when indexing again), checks each item as
 * sim_records_load does and sorts them. Returns 0, or -1 with a reason
 * in err. */
int sim_records_load_kind(struct sim_data *data, enum sim_kind kind, char *err,
                          size_t err_len);

#endif
