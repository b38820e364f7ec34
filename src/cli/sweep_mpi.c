/* The MPI side of `parley sweep` (docs/SWEEPS.md, "Clusters"). Rank 0 owns the
 * database: it opens it (creating it or checking it for a resume), broadcasts
 * the bitmap of finished runs, and receives every other rank's rows while its
 * own threads work. Work blocks go to ranks by block number modulo the number
 * of ranks; since a row depends only on (cell, draw, run), the database holds
 * the same rows for any number of ranks and threads. Without -DPARLEY_MPI=ON
 * the build has no MPI and mc_mpi_active() is always false. */
#include "sweep_mpi.h"

#include "cli.h"

#ifndef PARLEY_HAVE_MPI

bool mc_mpi_active(void) { return false; }

int mc_sweep_mpi(const parley_plan *plan, const char *out, const char *cmdline,
                 unsigned threads, bool quiet, parley_error *err)
{
    (void)plan;
    (void)out;
    (void)cmdline;
    (void)threads;
    (void)quiet;
    parley_error_add(err, PARLEY_EUSAGE, "sweep", "this parley was built without MPI");
    return CLI_EXIT_BAD_INPUT;
}

#endif
