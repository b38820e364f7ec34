/* Writers that turn results into what people read and machines parse: the
 * dated timeline and summary of a run, and its JSON record. They write to a
 * caller's FILE* and never decide where output goes. */
#ifndef PARLEY_OUTPUT_H
#define PARLEY_OUTPUT_H

#include "parley/process.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The last run's readable, dated timeline ("1997-12 Geneva, Four-Party
 * plenary 1 (chair US): agenda: ...; no proposal"). Returns false on a write
 * error. Cost O(log entries). */
bool parley_write_timeline(const parley_sim *sim, FILE *out);

/* The last run's summary as readable text: outcome and when, agreements and
 * their fate, CBM rungs, alarms true and false, inspections, beliefs between
 * the principals, support, months of participation per forum. */
bool parley_write_summary(const parley_sim *sim, uint64_t seed, FILE *out);

/* The last run as one JSON object: seed, summary, the full event log and the
 * per-round series of support and beliefs. */
bool parley_write_run_json(const parley_sim *sim, uint64_t seed, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
