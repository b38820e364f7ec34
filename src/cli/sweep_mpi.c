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

#ifdef PARLEY_HAVE_MPI
#include "mc_cli.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_ROWS = 1, TAG_DONE = 2 };

static int mpi_state; /* 0 unknown, 1 active, -1 not under mpirun */
static int mpi_rank, mpi_size = 1;

static long env_size(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", NULL};
    for (int i = 0; vars[i]; i++) {
        const char *v = getenv(vars[i]);
        if (v && atol(v) > 0)
            return atol(v);
    }
    return 0;
}

bool mc_mpi_active(void)
{
    if (mpi_state == 0) {
        mpi_state = -1;
        if (env_size() > 1) {
            int provided;
            if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) == MPI_SUCCESS) {
                MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
                MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
                mpi_state = 1;
            }
        }
    }
    return mpi_state == 1;
}

typedef struct mpi_ctx {
    const parley_plan *plan;
    parley_results_db *db; /* rank 0 */
    size_t row_len, slen;
    double *buf;
    size_t buf_cap;
    int done_ranks;
    int remote_error;
    uint64_t written, total;
    mc_progress *bar;
    parley_run_row *rows;
} mpi_ctx;

static size_t plan_series_len(const parley_plan *p, bool series)
{
    if (!series)
        return 0;
    const parley_scenario *sc = parley_plan_scenario(p);
    size_t r = parley_scenario_rounds(sc), n = parley_scenario_actor_count(sc);
    return r * n + r * n * n;
}

/* Rows travel as doubles: cell, draw, run, outcome, series rounds, series
 * actors, the metrics, then the series (NAN-padded to full length). */
static void pack(const mpi_ctx *c, const parley_run_row *r, double *out)
{
    out[0] = r->cell;
    out[1] = r->draw;
    out[2] = r->run;
    out[3] = r->outcome;
    out[4] = r->series_rounds;
    out[5] = r->series_actors;
    memcpy(out + 6, r->metric, sizeof r->metric);
    if (c->slen)
        memcpy(out + 6 + PARLEY_METRIC_COUNT, r->series, c->slen * sizeof *out);
}

static void unpack(const mpi_ctx *c, const double *in, parley_run_row *r)
{
    memset(r, 0, sizeof *r);
    r->cell = (uint32_t)in[0];
    r->draw = (uint32_t)in[1];
    r->run = (uint32_t)in[2];
    r->outcome = (parley_outcome)(int)in[3];
    r->series_rounds = (uint32_t)in[4];
    r->series_actors = (uint32_t)in[5];
    memcpy(r->metric, in + 6, sizeof r->metric);
    r->series = c->slen ? in + 6 + PARLEY_METRIC_COUNT : NULL;
}

static parley_status send_rows(void *user, const parley_run_row *rows, size_t n, parley_error *err)
{
    mpi_ctx *c = user;
    if (n * c->row_len > c->buf_cap) {
        free(c->buf);
        c->buf_cap = n * c->row_len;
        c->buf = malloc(c->buf_cap * sizeof *c->buf);
        if (!c->buf)
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for MPI rows");
    }
    for (size_t i = 0; i < n; i++)
        pack(c, &rows[i], c->buf + i * c->row_len);
    MPI_Send(c->buf, (int)(n * c->row_len), MPI_DOUBLE, 0, TAG_ROWS, MPI_COMM_WORLD);
    return PARLEY_OK;
}

/* Rank 0: receives one message (blocking) and writes its rows. */
static parley_status receive_one(mpi_ctx *c, parley_error *err)
{
    MPI_Status st;
    MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    int count;
    MPI_Get_count(&st, MPI_DOUBLE, &count);
    if (st.MPI_TAG == TAG_DONE) {
        double code;
        MPI_Recv(&code, 1, MPI_DOUBLE, st.MPI_SOURCE, TAG_DONE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        c->done_ranks++;
        if (code != 0 && !c->remote_error) {
            c->remote_error = (int)code;
            parley_error_add(err, PARLEY_EINTERNAL, "mpi", "rank %d failed (status %d)",
                             st.MPI_SOURCE, (int)code);
        }
        return PARLEY_OK;
    }
    if ((size_t)count > c->buf_cap) {
        free(c->buf);
        c->buf_cap = (size_t)count;
        c->buf = malloc(c->buf_cap * sizeof *c->buf);
        if (!c->buf)
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for MPI rows");
    }
    MPI_Recv(c->buf, count, MPI_DOUBLE, st.MPI_SOURCE, TAG_ROWS, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    size_t n = (size_t)count / c->row_len;
    for (size_t i = 0; i < n; i++) {
        parley_run_row r;
        unpack(c, c->buf + i * c->row_len, &r);
        parley_status s = parley_results_db_sink(c->db, &r, 1, err);
        if (s != PARLEY_OK)
            return s;
    }
    c->written += n;
    mc_progress_cb(c->bar, c->written, c->total);
    return PARLEY_OK;
}

/* Rank 0's sink: its own rows, then whatever the other ranks have sent. */
static parley_status root_sink(void *user, const parley_run_row *rows, size_t n, parley_error *err)
{
    mpi_ctx *c = user;
    parley_status s = parley_results_db_sink(c->db, rows, n, err);
    if (s != PARLEY_OK)
        return s;
    c->written += n;
    mc_progress_cb(c->bar, c->written, c->total);
    int flag = 1;
    while (flag) {
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
        if (flag && (s = receive_one(c, err)) != PARLEY_OK)
            return s;
    }
    return PARLEY_OK;
}

static void bcast_bytes(uint8_t *p, uint64_t n)
{
    while (n) {
        int chunk = n > (1u << 30) ? (1 << 30) : (int)n;
        MPI_Bcast(p, chunk, MPI_BYTE, 0, MPI_COMM_WORLD);
        p += chunk;
        n -= (uint64_t)chunk;
    }
}

int mc_sweep_mpi(const parley_plan *plan, const char *out, const char *cmdline,
                 unsigned threads, bool quiet, parley_error *err)
{
    mpi_ctx c;
    memset(&c, 0, sizeof c);
    c.plan = plan;
    int code = CLI_EXIT_OK;
    int ok = 1;
    uint64_t total = parley_plan_total_runs(plan), before = 0;
    if (mpi_rank == 0) {
        ok = parley_results_db_open(out, plan, cmdline, &c.db, err) == PARLEY_OK;
        if (!ok)
            code = cli_report_error(stderr, err);
    }
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!ok) {
        MPI_Finalize();
        return code;
    }
    uint64_t nbytes = total / 8 + 1;
    uint8_t *done = mpi_rank == 0 ? (uint8_t *)parley_results_db_done(c.db) : calloc(nbytes, 1);
    if (!done)
        MPI_Abort(MPI_COMM_WORLD, 1);
    bcast_bytes(done, nbytes);
    uint64_t before_count = mpi_rank == 0 ? parley_results_db_done_count(c.db) : 0;
    MPI_Bcast(&before_count, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    before = before_count;
    /* Every rank built the same plan, so the row length agrees. */
    c.slen = plan_series_len(plan, parley_plan_has_series(plan));
    c.row_len = 6 + PARLEY_METRIC_COUNT + c.slen;
    c.total = total - before;
    mc_progress bar;
    mc_progress_init(&bar, !quiet && mpi_rank == 0, before, total);
    c.bar = &bar;
    parley_exec_options opt = {0};
    opt.threads = threads;
    opt.part_index = (unsigned)mpi_rank;
    opt.part_count = (unsigned)mpi_size;
    opt.done = done;
    opt.sink = mpi_rank == 0 ? root_sink : send_rows;
    opt.sink_user = &c;
    double t0 = mc_now();
    parley_status st = parley_plan_execute(plan, &opt, err);
    if (mpi_rank != 0) {
        double status = st;
        MPI_Send(&status, 1, MPI_DOUBLE, 0, TAG_DONE, MPI_COMM_WORLD);
        free(done);
    } else {
        while (st == PARLEY_OK && c.done_ranks < mpi_size - 1)
            st = receive_one(&c, err);
        if (st == PARLEY_OK && c.remote_error)
            st = PARLEY_EINTERNAL;
        mc_progress_end(&bar);
        if (st != PARLEY_OK) {
            /* What was committed stays; a rerun resumes. Other ranks may still
             * be sending, so stop them all. */
            parley_results_db_finish(c.db, err);
            code = cli_report_error(stderr, err);
            parley_results_db_close(c.db);
            MPI_Abort(MPI_COMM_WORLD, code);
        }
        if (parley_results_db_finish(c.db, err) != PARLEY_OK) {
            code = cli_report_error(stderr, err);
        } else {
            uint64_t now = parley_results_db_done_count(c.db);
            double secs = mc_now() - t0;
            printf("%s: %zu cell(s) x %lu draw(s) x %lu run(s): %llu runs (%llu new", out,
                   parley_plan_cells(plan), (unsigned long)parley_plan_draws(plan),
                   (unsigned long)parley_plan_runs(plan), (unsigned long long)now,
                   (unsigned long long)(now - before));
            if (now > before && secs > 0)
                printf(", %.0f runs/s on %d ranks x %u thread(s)", (double)(now - before) / secs,
                       mpi_size, threads);
            printf(")\n");
            fflush(stdout);
        }
        parley_results_db_close(c.db);
    }
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    free(c.buf);
    MPI_Finalize();
    return code;
}
#endif
