/* The MPI sweep driver (src/cli/sweep_mpi.c): only an MPI build
 * (-DPARLEY_MPI=ON) has one; elsewhere mc_mpi_active() is false. */
#ifndef PARLEY_CLI_SWEEP_MPI_H
#define PARLEY_CLI_SWEEP_MPI_H

#include "parley/montecarlo.h"

#include <stdbool.h>

/* Whether this process is one of several MPI ranks (mpirun -n K, K > 1); the
 * first call initialises MPI in that case. */
bool mc_mpi_active(void);
/* Runs the plan over all ranks: rank 0 opens the database (resume included),
 * broadcasts which runs are done, every rank runs its share of the work blocks
 * on `threads` threads, and rank 0 writes every row. Returns the exit code
 * (the same on every rank). Finalises MPI. */
int mc_sweep_mpi(const parley_plan *plan, const char *out, const char *cmdline,
                 unsigned threads, bool quiet, parley_error *err);

#endif
