/* Sweeps on tests/data/minimal.json: the database holds the same content for
 * 1 thread, 2 threads and a two-part split (as two MPI ranks do it), resumes
 * after a simulated interruption without losing or repeating a run, refuses a
 * database of another command without touching it, and rejects bad input.
 * Contents are compared as sorted query output (bit patterns of the reals),
 * never as file bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parley/montecarlo.h"

static parley_scenario *load_minimal(void)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    assert_int_equal(parley_scenario_load_file(PARLEY_SOURCE_DIR "/tests/data/minimal.json", &sc,
                                               &err),
                     PARLEY_OK);
    parley_error_clear(&err);
    return sc;
}

static const char *const linkage[] = {"separate", "linked"};
static const char *const pay[] = {"0", "25"};

static parley_plan *make_plan(const parley_scenario *sc, uint32_t runs, uint64_t seed)
{
    parley_vary v[2] = {{"policy.linkage", linkage, 2}, {"policy.side_payments", pay, 2}};
    parley_plan_spec s = {0};
    s.scenario = sc;
    s.seed = seed;
    s.runs = runs;
    s.mode = PARLEY_DRAWS_LHS;
    s.draws = 3;
    s.vary = v;
    s.n_vary = 2;
    parley_plan *p = NULL;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_plan_new(&s, &p, &err), PARLEY_OK);
    parley_error_clear(&err);
    return p;
}

/* Appends the rows of `sql` to a growing string, reals as bit patterns. */
static char *dump(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            char cell[128];
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_NULL: snprintf(cell, sizeof cell, "N|"); break;
            case SQLITE_INTEGER:
                snprintf(cell, sizeof cell, "%lld|", (long long)sqlite3_column_int64(st, c));
                break;
            case SQLITE_FLOAT: {
                double x = sqlite3_column_double(st, c);
                uint64_t b;
                memcpy(&b, &x, sizeof b);
                snprintf(cell, sizeof cell, "%016llx|", (unsigned long long)b);
                break;
            }
            default: snprintf(cell, sizeof cell, "%.100s|", sqlite3_column_text(st, c)); break;
            }
            size_t l = strlen(cell);
            if (len + l + 2 > cap) {
                cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            memcpy(out + len, cell, l + 1);
            len += l;
        }
        out[len++] = '\n';
        out[len] = '\0';
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static char *content(const char *path)
{
    static const char *const q[] = {
        "SELECT * FROM runs ORDER BY cell, draw, run",
        "SELECT * FROM cells ORDER BY cell",
        "SELECT * FROM cell_values ORDER BY cell, idx",
        "SELECT * FROM draws ORDER BY draw, idx",
        "SELECT * FROM params ORDER BY idx",
        "SELECT * FROM vary ORDER BY idx",
        "SELECT * FROM cell_summary ORDER BY cell",
        "SELECT key, value FROM meta WHERE key <> 'command' ORDER BY key"};
    char *all = NULL;
    size_t len = 0;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        char *part = dump(path, q[i]);
        size_t l = strlen(part);
        all = realloc(all, len + l + 2);
        assert_non_null(all);
        memcpy(all + len, part, l);
        len += l;
        all[len++] = '#';
        all[len] = '\0';
        free(part);
    }
    return all;
}

typedef struct failing_sink {
    parley_results_db *db;
    size_t left; /* rows accepted before the "kill" */
} failing_sink;

static parley_status fail_after(void *user, const parley_run_row *rows, size_t n,
                                parley_error *err)
{
    failing_sink *f = user;
    if (n > f->left)
        return parley_error_add(err, PARLEY_EIO, "test", "simulated kill");
    f->left -= n;
    return parley_results_db_sink(f->db, rows, n, err);
}

/* Runs `plan` into `path` on `threads` threads, optionally as `parts` parts. */
static void sweep_into(const char *path, const parley_plan *plan, unsigned threads,
                       unsigned parts)
{
    parley_error err;
    parley_error_init(&err);
    parley_results_db *db = NULL;
    assert_int_equal(parley_results_db_open(path, plan, "test", &db, &err), PARLEY_OK);
    for (unsigned part = 0; part < (parts ? parts : 1); part++) {
        parley_exec_options o = {0};
        o.threads = threads;
        o.part_index = part;
        o.part_count = parts;
        o.done = parley_results_db_done(db);
        o.sink = parley_results_db_sink;
        o.sink_user = db;
        assert_int_equal(parley_plan_execute(plan, &o, &err), PARLEY_OK);
    }
    assert_int_equal(parley_results_db_finish(db, &err), PARLEY_OK);
    assert_int_equal(parley_results_db_done_count(db), parley_plan_total_runs(plan));
    parley_results_db_close(db);
    parley_error_clear(&err);
}

static char tmpdir[256];

static void path_in(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

static void test_identical_across_threads(void **state)
{
    (void)state;
    parley_scenario *sc = load_minimal();
    parley_plan *plan = make_plan(sc, 40, 7);
    assert_int_equal(parley_plan_cells(plan), 4);
    assert_string_equal(parley_plan_cell_label(plan, 1),
                        "policy.linkage=separate,policy.side_payments=25");
    char a[512], b[512], c[512];
    path_in(a, sizeof a, "t1.sqlite");
    path_in(b, sizeof b, "t2.sqlite");
    path_in(c, sizeof c, "ranks.sqlite");
    sweep_into(a, plan, 1, 0);
    sweep_into(b, plan, 2, 0);
    sweep_into(c, plan, 3, 2);
    char *ca = content(a), *cb = content(b), *cc = content(c);
    assert_true(strlen(ca) > 1000);
    assert_string_equal(ca, cb);
    assert_string_equal(ca, cc);
    free(ca);
    free(cb);
    free(cc);

    /* Common random numbers: the cells share (draw, run) streams, so cells
     * that change nothing a run uses give identical rows; here at least the
     * same runs exist in every cell. */
    parley_summary_set *s = NULL;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_results_summary(a, &s, &err), PARLEY_OK);
    assert_int_equal(s->n_cells, 4);
    assert_true(s->complete);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(s->cells[i].runs, 120);
        assert_int_equal(s->cells[i].draws, 3);
        assert_true(s->cells[i].p_treaty.lo <= s->cells[i].p_treaty.estimate);
        assert_true(s->cells[i].p_treaty.estimate <= s->cells[i].p_treaty.hi);
    }
    assert_string_equal(s->vary_paths[1], "policy.side_payments");
    assert_string_equal(s->cells[3].values[0], "linked");
    parley_summary_set_free(s);
    parley_contrast con[PARLEY_CONTRASTS];
    char *la = NULL, *lb = NULL;
    assert_int_equal(parley_results_compare(a, "0", "policy.linkage=linked,policy.side_payments=0",
                                            con, &la, &lb, &err),
                     PARLEY_OK);
    assert_int_equal(con[0].pairs, 120);
    assert_true(con[0].diff.lo <= con[0].diff.estimate && con[0].diff.estimate <= con[0].diff.hi);
    parley_mc_string_free(la);
    parley_mc_string_free(lb);
    assert_int_equal(parley_results_compare(a, "0", "99", con, &la, &lb, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    parley_plan_free(plan);
    parley_scenario_free(sc);
}

static void test_resume(void **state)
{
    (void)state;
    parley_scenario *sc = load_minimal();
    parley_plan *plan = make_plan(sc, 50, 3);
    char full[512], cut[512];
    path_in(full, sizeof full, "full.sqlite");
    path_in(cut, sizeof cut, "cut.sqlite");
    sweep_into(full, plan, 2, 0);

    parley_error err;
    parley_error_init(&err);
    parley_results_db *db = NULL;
    assert_int_equal(parley_results_db_open(cut, plan, "test", &db, &err), PARLEY_OK);
    parley_results_db_set_commit_every(db, 100);
    failing_sink f = {db, 370};
    parley_exec_options o = {0};
    o.threads = 2;
    o.sink = fail_after;
    o.sink_user = &f;
    assert_int_equal(parley_plan_execute(plan, &o, &err), PARLEY_EIO);
    parley_error_clear(&err);
    parley_results_db_close(db); /* the uncommitted rows are rolled back */

    db = NULL;
    assert_int_equal(parley_results_db_open(cut, plan, "test", &db, &err), PARLEY_OK);
    uint64_t kept = parley_results_db_done_count(db);
    assert_true(kept >= 300 && kept <= 370 && kept % 32 != 1);
    parley_results_db_close(db);
    sweep_into(cut, plan, 1, 0);
    char *a = content(full), *b = content(cut);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* A second rerun adds nothing. */
    sweep_into(cut, plan, 2, 0);
    a = content(cut);
    b = content(full);
    assert_string_equal(a, b);
    free(a);
    free(b);
    parley_plan_free(plan);
    parley_scenario_free(sc);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void test_refuse_other(void **state)
{
    (void)state;
    parley_scenario *sc = load_minimal();
    parley_plan *plan = make_plan(sc, 10, 1), *other = make_plan(sc, 10, 2);
    char path[512], text[512];
    path_in(path, sizeof path, "mine.sqlite");
    sweep_into(path, plan, 1, 0);
    size_t n0, n1;
    char *before = slurp(path, &n0);
    parley_error err;
    parley_error_init(&err);
    parley_results_db *db = NULL;
    assert_int_equal(parley_results_db_open(path, other, "test", &db, &err), PARLEY_EINPUT);
    assert_null(db);
    assert_non_null(strstr(err.items[0].what, "different sweep"));
    parley_error_clear(&err);
    /* Another scenario. */
    parley_scenario *sc2 = load_minimal();
    assert_int_equal(parley_scenario_set(sc2, "actors.US.capability", "61", &err), PARLEY_OK);
    parley_plan *p2 = make_plan(sc2, 10, 1);
    assert_int_equal(parley_results_db_open(path, p2, "test", &db, &err), PARLEY_EINPUT);
    assert_non_null(strstr(err.items[0].what, "another scenario"));
    parley_error_clear(&err);
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(after);
    /* Not a database, and an empty file: refused and untouched. */
    path_in(text, sizeof text, "notes.txt");
    FILE *f = fopen(text, "w");
    assert_non_null(f);
    fputs("my notes\n", f);
    fclose(f);
    assert_int_equal(parley_results_db_open(text, plan, "test", &db, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    after = slurp(text, &n1);
    assert_int_equal(n1, 9);
    free(after);
    f = fopen(text, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(parley_results_db_open(text, plan, "test", &db, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    after = slurp(text, &n1);
    assert_int_equal(n1, 0);
    free(after);
    /* An unwritable place. */
    assert_int_equal(parley_results_db_open("/nonexistent-dir/x.sqlite", plan, "t", &db, &err),
                     PARLEY_EINPUT);
    parley_error_clear(&err);
    free(before);
    parley_plan_free(p2);
    parley_plan_free(plan);
    parley_plan_free(other);
    parley_scenario_free(sc2);
    parley_scenario_free(sc);
}

static void test_bad_plans(void **state)
{
    (void)state;
    parley_scenario *sc = load_minimal();
    parley_error err;
    parley_error_init(&err);
    parley_plan *p = NULL;
    parley_plan_spec s = {0};
    s.scenario = sc;
    s.runs = 0;
    assert_int_equal(parley_plan_new(&s, &p, &err), PARLEY_EUSAGE);
    parley_error_clear(&err);
    s.runs = 5;
    parley_vary v = {"policy.nonsense", linkage, 2};
    s.vary = &v;
    s.n_vary = 1;
    assert_int_equal(parley_plan_new(&s, &p, &err), PARLEY_EINPUT);
    assert_non_null(strstr(err.items[0].where, "--vary policy.nonsense"));
    parley_error_clear(&err);
    v.path = "policy.linkage";
    v.n_values = 0;
    assert_int_equal(parley_plan_new(&s, &p, &err), PARLEY_EUSAGE);
    parley_error_clear(&err);
    static const char *const bad[] = {"separate", "tied"};
    v.values = bad;
    v.n_values = 2;
    assert_int_equal(parley_plan_new(&s, &p, &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 1); /* only the bad value */
    parley_error_clear(&err);
    assert_null(p);
    /* A drawn parameter out of its range. */
    const char *params[] = {"actors.US.capability"};
    double values[] = {50, -5};
    parley_plan_spec m = {0};
    m.scenario = sc;
    m.runs = 1;
    m.mode = PARLEY_DRAWS_MATRIX;
    m.draws = 2;
    m.params = params;
    m.n_params = 1;
    m.values = values;
    assert_int_equal(parley_plan_new(&m, &p, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    parley_scenario_free(sc);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/parley-mc-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const names[] = {"t1.sqlite", "t2.sqlite", "ranks.sqlite", "full.sqlite",
                                        "cut.sqlite", "mine.sqlite", "notes.txt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[512];
        path_in(p, sizeof p, names[i]);
        remove(p);
    }
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_across_threads),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_refuse_other),
        cmocka_unit_test(test_bad_plans),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
