/* Helpers shared by the Monte Carlo commands (sweep, summary, compare,
 * calibrate, sensitivity): number parsing, --set/--vary lists, the progress bar
 * and the thread default. */
#ifndef PARLEY_CLI_MC_CLI_H
#define PARLEY_CLI_MC_CLI_H

#include "parley/montecarlo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

bool mc_parse_u64(const char *text, uint64_t *out);
/* A positive or zero integer <= max. */
bool mc_parse_u32(const char *text, uint32_t max, uint32_t *out);
bool mc_parse_double(const char *text, double *out);

/* The processors online (at least 1). */
unsigned mc_default_threads(void);

/* Loads `file` and applies each "PATH=VALUE" of sets[0..n). */
parley_status mc_load_scenario(const char *file, char **sets, int n_sets, parley_scenario **out,
                               parley_error *err);

/* The --vary lists: "PATH=V1,V2,..." split in place into parley_vary entries
 * whose strings point into `arg` (which must outlive them) and a values array
 * owned by the caller (free with mc_vary_free). Returns false (message printed)
 * on a malformed argument. */
bool mc_parse_vary(const char *command, char *arg, parley_vary *out);
void mc_vary_free(parley_vary *v, size_t n);

/* A progress bar on stderr when it is a terminal and `enabled`: runs done,
 * runs/s and ETA, redrawn at most ten times a second. */
typedef struct mc_progress {
    bool on;
    double start, last;
    uint64_t offset; /* runs already done before this execution */
    uint64_t all;    /* runs in all */
} mc_progress;
void mc_progress_init(mc_progress *p, bool enabled, uint64_t offset, uint64_t all);
void mc_progress_cb(void *user, uint64_t done, uint64_t total);
void mc_progress_end(mc_progress *p);
/* Monotonic seconds (for the bar and the final rate line only). */
double mc_now(void);

/* argv joined with spaces, for the database's record (caller frees). */
char *mc_join_args(int argc, char **argv);

/* Prints a CSV field (quoted when needed) / a number (empty when NAN). */
void mc_csv_text(FILE *out, const char *s);
void mc_csv_number(FILE *out, double x);

#endif
