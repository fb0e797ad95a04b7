/* Grows the bezala-sim data set for benchmarks: many invented receipts
 * made from the demo ones by a fixed rule, so every run serves the same. */
#ifndef BEZALA_SIM_BULK_H
#define BEZALA_SIM_BULK_H

#include <stddef.h>

#include "tests/sim/data.h"

/* Largest count sim_bulk_receipts accepts. */
#define SIM_BULK_RECEIPTS_MAX 1000000

/* The id of the company that holds the most receipts (the lowest id on a
 * tie), or 0 when there are none. */
long long sim_bulk_biggest(const struct sim_data *data);

/* Replaces the receipts of company_id by n receipts: the first ones are
 * its own receipts as loaded, then copies of them with new ids, dates
 * moved back by up to two years, amounts scaled by 50..150 % and their
 * VAT lines to match; the same n gives the same receipts on every run.
 * The other companies keep theirs. Returns 0, or -1 with a reason in err
 * (no data, no receipts to copy, n above SIM_BULK_RECEIPTS_MAX, out of
 * memory); on -1 the data set may have lost that company's receipts. */
int sim_bulk_receipts(struct sim_data *data, long long company_id, size_t n,
                      char *err, size_t err_len);

#endif
