/* The synthetic list of the benchmark's scale mode (bench_match --scale). */
#ifndef RF_BENCH_SCALE_H
#define RF_BENCH_SCALE_H

#include "redflag/redflag.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Name parts sampled from a loaded dataset, with their frequencies. */
typedef struct rf_scale_parts rf_scale_parts;

rf_scale_parts *rf_scale_parts_new(const rf_dataset *ds);
void rf_scale_parts_free(rf_scale_parts *p);
void rf_scale_parts_describe(const rf_scale_parts *p, FILE *out);

/* Writes n entities (list id "synthetic", UN XML) to xml_path and about
 * n_queries screening queries (JSON Lines, each expecting the entity it
 * disturbs) to queries_path. The same seed writes the same files. */
bool rf_scale_write(const rf_scale_parts *p, size_t n, size_t n_queries, uint64_t seed,
                    const char *xml_path, const char *queries_path);

#endif
