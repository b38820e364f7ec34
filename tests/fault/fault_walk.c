/* The allocation-failure walk (docs/ROBUSTNESS.md), in the manner of SQLite's
 * malloc tests and Lua's ltests: for each case it counts the allocations of one
 * successful run, then for every N from 1 to that count fails the Nth
 * allocation (once, then again with every later allocation failing too) and
 * checks that the run ends in a clean PARLEY_ENOMEM, frees everything it
 * allocated and leaves no file behind.
 *
 * Cases: loading every built-in scenario and tests/data/minimal.json (and, for
 * minimal.json, dump, reload and --set; tests/data/games.json dumped and reloaded), reading each peer table format and a
 * scenario as a bargaining problem, running every bargaining model compiled in
 * on a small problem, one run of the peace-process simulator per scenario, and
 * the Moran process, the calibration files (a patterns file, an ensemble, the
 * pattern check and the draw matrix of `sweep --ensemble`), and the atomic
 * output file. Cases whose API is not in this tree yet are left out at configure time
 * (tests/fault/fault.cmake defines PARLEY_HAVE_*).
 *
 * Usage: fault_walk [SUBSTRING]   runs only the cases whose name contains it;
 *        fault_walk --self-test   checks that the walk catches a planted leak.
 * Built only with -DPARLEY_FAULT_INJECTION=ON; meant to run under ASan/LSan. */
#include "core/alloc.h"
#include "core/atomic_file.h"
#include "parley/bargain.h"
#include "parley/error.h"
#ifdef PARLEY_HAVE_SCENARIO_LOAD
#include "parley/scenario.h"
#endif
#ifdef PARLEY_HAVE_SIM
#include "parley/game.h"
#include "parley/process.h"
#endif
#ifdef PARLEY_HAVE_CALIBRATION
#include "parley/montecarlo.h"
#endif
#ifdef PARLEY_HAVE_REPLAY
#include "parley/report.h"
#endif

#include <dirent.h>
#include <stdbool.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PARLEY_FAULT_INJECTION
#error "fault_walk needs a build with -DPARLEY_FAULT_INJECTION=ON"
#endif

/* Leak check after every run: the bytes live in ASan's allocator, compared
 * before and after (exact for one thread once a warm-up run has filled every
 * lazily allocated cache, and O(1), unlike a full LSan scan per run); on a
 * leak LSan prints where the blocks were allocated. Without ASan there is no
 * exact count (glibc's mallinfo counts tcache and fastbin chunks as in use),
 * so such a build checks statuses only and says so. */
#if defined(__SANITIZE_ADDRESS__)
#define WALK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WALK_ASAN 1
#endif
#endif
#ifdef WALK_ASAN
#include <sanitizer/allocator_interface.h>
#include <sanitizer/lsan_interface.h>
#endif

static size_t heap_in_use(void)
{
#ifdef WALK_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    return 0;
#endif
}

/* Nonzero when more memory is allocated than before the run. */
static int leaked(size_t before)
{
    if (heap_in_use() <= before)
        return 0;
#ifdef WALK_ASAN
    /* Say where the leaked blocks came from. */
    __lsan_do_recoverable_leak_check();
#endif
    return 1;
}

typedef parley_status (*case_fn)(const void *arg, parley_error *err);

typedef struct walk_stats {
    int cases;
    int failures;
    unsigned long runs;
} walk_stats;

static void print_diagnostics(const parley_error *err)
{
    for (size_t i = 0; i < err->count; i++)
        fprintf(stderr, "    %s: %s\n", err->items[i].where, err->items[i].what);
    if (err->dropped)
        fprintf(stderr, "    (%zu more dropped)\n", err->dropped);
}

/* One case: a baseline run that must succeed, then every N, single and sticky. */
static void walk(walk_stats *stats, const char *name, case_fn fn, const void *arg)
{
    stats->cases++;
    parley_error err;
    parley_error_init(&err);

    /* Warm-up and count. ULONG_MAX is never reached, so nothing fails. */
    parley__fault_arm(ULONG_MAX, 0);
    parley_status st = fn(arg, &err);
    unsigned long total = parley__fault_count();
    parley__fault_arm(0, 0);
    if (st != PARLEY_OK) {
        fprintf(stderr, "FAIL %s: the run without injected failures returned %s\n", name,
                parley_strerror(st));
        print_diagnostics(&err);
        parley_error_clear(&err);
        stats->failures++;
        return;
    }
    parley_error_clear(&err);
    /* A second clean run, measured: the success path must not leak either. */
    size_t before = heap_in_use();
    parley__fault_arm(ULONG_MAX, 0);
    st = fn(arg, &err);
    parley__fault_arm(0, 0);
    parley_error_clear(&err);
    if (st != PARLEY_OK || leaked(before)) {
        fprintf(stderr, "FAIL %s: the run without injected failures %s\n", name,
                st != PARLEY_OK ? "is not repeatable" : "leaked");
        stats->failures++;
        return;
    }

    for (int sticky = 0; sticky <= 1; sticky++) {
        for (unsigned long n = 1; n <= total; n++) {
            parley__fault_arm(n, sticky);
            st = fn(arg, &err);
            int triggered = parley__fault_triggered();
            parley__fault_arm(0, 0);
            stats->runs++;
            const char *why = NULL;
            if (!triggered && st != PARLEY_OK)
                why = "failed although no allocation failed";
            else if (triggered && st != PARLEY_ENOMEM)
                why = st == PARLEY_OK ? "succeeded although an allocation failed"
                                      : "did not report PARLEY_ENOMEM";
            else if (triggered && err.status != PARLEY_ENOMEM)
                why = "returned PARLEY_ENOMEM but its first diagnostic has another status";
            else if (triggered && err.count == 0 && err.dropped == 0)
                why = "returned PARLEY_ENOMEM without a diagnostic";
            if (why) {
                fprintf(stderr, "FAIL %s: allocation %lu of %lu failing%s: %s (%s)\n", name, n,
                        total, sticky ? " (and every later one)" : "", why,
                        parley_strerror(st));
                print_diagnostics(&err);
            }
            parley_error_clear(&err);
            if (!why && leaked(before)) {
                why = "leaked";
                fprintf(stderr, "FAIL %s: allocation %lu of %lu failing%s: memory leaked\n",
                        name, n, total, sticky ? " (and every later one)" : "");
            }
            if (why) {
                stats->failures++;
                return;
            }
        }
    }
    printf("ok   %s: %lu allocations, %lu failing runs\n", name, total, 2 * total);
}

/* ---- input files, read before any failure is armed ---- */

typedef struct buffer {
    char name[512];
    char *data;
    size_t len;
} buffer;

static int read_whole(const char *path, buffer *b)
{
    snprintf(b->name, sizeof b->name, "%s", path);
    b->data = NULL;
    b->len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t cap = 1 << 16;
    b->data = malloc(cap);
    size_t n;
    while (b->data && (n = fread(b->data + b->len, 1, cap - b->len, f)) > 0) {
        b->len += n;
        if (b->len == cap) {
            cap *= 2;
            char *grown = realloc(b->data, cap);
            if (!grown) {
                free(b->data);
                b->data = NULL;
            }
            b->data = grown;
        }
    }
    fclose(f);
    return b->data != NULL;
}

/* Keeps the first `lines` lines: the walk's cost is quadratic in the size of
 * the input, and a few rows reach every allocation site of a table reader. */
static void keep_lines(buffer *b, int lines)
{
    size_t i = 0;
    for (int seen = 0; i < b->len && seen < lines; i++)
        if (b->data[i] == '\n')
            seen++;
    b->len = i;
}

/* ---- cases ---- */

#ifdef PARLEY_HAVE_SCENARIO_LOAD
static parley_status case_scenario_file(const void *arg, parley_error *err)
{
    parley_scenario *sc = NULL;
    parley_status st = parley_scenario_load_file((const char *)arg, &sc, err);
    parley_scenario_free(sc);
    return st;
}

static parley_status case_scenario_string(const void *arg, parley_error *err)
{
    const buffer *b = arg;
    parley_scenario *sc = NULL;
    parley_status st = parley_scenario_load_string(b->data, b->len, b->name, &sc, err);
    parley_scenario_free(sc);
    return st;
}
#endif

#if defined(PARLEY_HAVE_SCENARIO_LOAD) && defined(PARLEY_HAVE_SCENARIO_DUMP)
/* Load, dump, reload: the normalised round trip `parley show --format json` does. */
static parley_status case_scenario_dump(const void *arg, parley_error *err)
{
    const buffer *b = arg;
    parley_scenario *sc = NULL, *again = NULL;
    char *text = NULL;
    parley_status st = parley_scenario_load_string(b->data, b->len, b->name, &sc, err);
    if (st == PARLEY_OK)
        st = parley_scenario_dump(sc, 2, &text, err);
    if (st == PARLEY_OK)
        st = parley_scenario_load_string(text, strlen(text), "dump", &again, err);
    parley_scenario_string_free(text);
    parley_scenario_free(again);
    parley_scenario_free(sc);
    return st;
}
#endif

#if defined(PARLEY_HAVE_SCENARIO_LOAD) && defined(PARLEY_HAVE_SCENARIO_SET)
/* --set of a number, a number object, a string and an array on minimal.json. */
static parley_status case_scenario_set(const void *arg, parley_error *err)
{
    const buffer *b = arg;
    parley_scenario *sc = NULL;
    parley_status st = parley_scenario_load_string(b->data, b->len, b->name, &sc, err);
    static const char *const sets[][2] = {
        {"actors.DPRK.capability", "35"},
        {"actors.US.capability", "{\"value\": 50, \"range\": [40, 60]}"},
        {"policy.linkage", "linked"},
        {"actors.DoD.veto", "[\"ratification\"]"},
    };
    for (size_t i = 0; st == PARLEY_OK && i < sizeof sets / sizeof sets[0]; i++)
        st = parley_scenario_set(sc, sets[i][0], sets[i][1], err);
    parley_scenario_free(sc);
    return st;
}
#endif

#ifdef PARLEY_HAVE_SIM
/* One run of the peace-process simulator, from building it to freeing it,
 * with the timeline (what `parley run` prints) or without (what sweeps do). */
static parley_status sim_once(const parley_scenario *sc, bool logging, parley_error *err)
{
    parley_sim *sim = NULL;
    parley_status st = parley_sim_new(sc, NULL, &sim, err);
    if (st == PARLEY_OK) {
        parley_sim_set_logging(sim, logging);
        st = parley_sim_run(sim, 1, 0, 0, err);
    }
    parley_sim_free(sim);
    return st;
}

static parley_status case_sim(const void *arg, parley_error *err)
{
    return sim_once((const parley_scenario *)arg, true, err);
}

static parley_status case_sim_nolog(const void *arg, parley_error *err)
{
    return sim_once((const parley_scenario *)arg, false, err);
}
#endif

typedef struct format_case {
    const buffer *input;
    parley_bargain_format format;
} format_case;

static parley_status case_format_buffer(const void *arg, parley_error *err)
{
    const format_case *fc = arg;
    parley_bargain_problem *p = NULL;
    parley_status st = parley_bargain_read_buffer(fc->input->data, fc->input->len,
                                                  fc->input->name, fc->format, &p, err);
    parley_bargain_problem_free(p);
    return st;
}

static parley_status case_format_file(const void *arg, parley_error *err)
{
    parley_bargain_problem *p = NULL;
    parley_status st = parley_bargain_read_file((const char *)arg, PARLEY_FORMAT_AUTO, &p, err);
    parley_bargain_problem_free(p);
    return st;
}

typedef struct model_case {
    const parley_bargain_problem *problem;
    parley_bargain_model model;
} model_case;

static parley_status case_model(const void *arg, parley_error *err)
{
    const model_case *mc = arg;
    parley_bargain_settings settings;
    parley_bargain_settings_default(&settings);
    settings.rounds = 3;
    settings.seed = 7;
    parley_bargain_result result;
    parley_status st = parley_bargain_forecast(mc->problem, mc->model, &settings, &result, err);
    parley_bargain_result_free(&result);
    return st;
}

/* Five actors on two issues, positions spread so that every model has work:
 * BDM challenges, exchanges and SMP moves all happen. Built before arming. */
static parley_bargain_problem *small_problem(void)
{
    static const char *const ids[] = {"US", "DPRK", "PRC", "ROK", "JPN"};
    static const double cap[] = {60, 30, 40, 25, 20};
    static const double pos[][2] = {{60, 80}, {90, 20}, {70, 40}, {55, 75}, {50, 90}};
    /* Each actor's saliences sum to at most 1, as SMP requires. */
    static const double sal[][2] = {{0.5, 0.3}, {0.6, 0.4}, {0.4, 0.2}, {0.5, 0.4}, {0.3, 0.6}};
    parley_error err;
    parley_error_init(&err);
    parley_bargain_problem *p = NULL;
    if (parley_bargain_problem_new(5, 2, &p, &err) != PARLEY_OK) {
        parley_error_clear(&err);
        return NULL;
    }
    for (size_t a = 0; a < 5; a++) {
        p->actor_ids[a] = parley__strdup(ids[a]);
        p->actor_names[a] = parley__strdup(ids[a]);
        for (size_t i = 0; i < 2; i++) {
            p->capability[a * 2 + i] = cap[a];
            p->position[a * 2 + i] = pos[a][i];
            p->salience[a * 2 + i] = sal[a][i];
        }
    }
    p->issue_ids[0] = parley__strdup("peace_regime");
    p->issue_ids[1] = parley__strdup("hotline");
    p->status_quo[0] = 10;
    p->status_quo[1] = 0;
    return p;
}

/* The atomic output file: no destination and no temporary may remain after an
 * allocation failure. */
static parley_status case_atomic_file(const void *arg, parley_error *err)
{
    const char *dir = arg;
    char path[600];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    const char text[] = "actor,position\nUS,60\n";
    parley_status st = parley__atomic_write(path, text, sizeof text - 1, err);
    int files = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            files++;
    if (d)
        closedir(d);
    if (st == PARLEY_OK) {
        if (files != 1)
            return parley_error_add(err, PARLEY_EINTERNAL, dir, "%d files after commit", files);
        remove(path);
    } else if (files != 0) {
        return parley_error_add(err, PARLEY_EINTERNAL, dir, "%d files left after a failure",
                                files);
    }
    return st;
}

/* For --self-test: leaks its first allocation when the second one fails, the
 * kind of bug the walk exists to find. */
#ifdef PARLEY_HAVE_SIM
/* The Moran process (played matches, one thread) and its fixation formula. */
static parley_status case_moran(const void *arg, parley_error *err)
{
    (void)arg;
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    parley_strategy *a = NULL, *b = NULL;
    parley_status st = parley_strategy_parse("TFT", &g, &a, err);
    if (st == PARLEY_OK)
        st = parley_strategy_parse("GTFT:0.3", &g, &b, err);
    if (st == PARLEY_OK) {
        const parley_strategy *types[2] = {a, b};
        uint32_t initial[2] = {1, 3};
        parley_moran_config cfg = {.ntypes = 2, .types = types, .initial = initial, .game = g,
                                   .channel = {0.05, 1, 0}, .turns = 5, .seed = 1};
        parley_moran_summary sum;
        st = parley_moran_estimate(&cfg, 3, 1, &sum, err);
        if (st == PARLEY_OK)
            parley_moran_summary_free(&sum);
    }
    double rho;
    if (st == PARLEY_OK)
        st = parley_moran_fixation_exact(a, b, &g, &PARLEY_CHANNEL_PERFECT, 5, 4, 1, &rho, err);
    parley_strategy_free(a);
    parley_strategy_free(b);
    return st;
}
#endif

#ifdef PARLEY_HAVE_CALIBRATION
/* The calibration files (docs/SWEEPS.md): a patterns file and an ensemble
 * loaded from their paths. */
static parley_status case_patterns_load(const void *arg, parley_error *err)
{
    parley_patterns *ps = NULL;
    parley_status st = parley_patterns_load((const char *)arg, &ps, err);
    parley_patterns_free(ps);
    return st;
}

static parley_status case_ensemble_load(const void *arg, parley_error *err)
{
    parley_ensemble *e = NULL;
    parley_status st = parley_ensemble_load((const char *)arg, &e, err);
    parley_ensemble_free(e);
    return st;
}

typedef struct calibration_case {
    const parley_scenario *scenario;
    const parley_patterns *patterns;
    const parley_ensemble *ensemble;
} calibration_case;

/* `parley calibrate --check`: a few runs at the defaults, every pattern
 * checked. The runs happen in a worker thread, whose allocations the
 * (thread-local) counter does not see: the walk fails the plan's, the
 * execution's and the check's own allocations; the simulator's are walked by
 * the "process run" cases. */
static parley_status patterns_check(const calibration_case *cc, bool over_ensemble,
                                    parley_error *err)
{
    size_t n = parley_patterns_count(cc->patterns);
    parley_pattern_result *out = parley__calloc(n, sizeof *out);
    if (!out)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory");
    parley_pattern_check_spec spec = {0};
    spec.scenario = cc->scenario;
    spec.patterns = cc->patterns;
    spec.ensemble = over_ensemble ? cc->ensemble : NULL;
    spec.seed = 1;
    spec.runs = 3;
    spec.threads = 1;
    parley_status st = parley_patterns_check(&spec, out, err);
    parley__free(out);
    return st;
}

static parley_status case_patterns_check(const void *arg, parley_error *err)
{
    return patterns_check(arg, false, err);
}

/* The same check over an ensemble (the posterior predictive check): the
 * runs spread over its members. */
static parley_status case_patterns_check_ensemble(const void *arg, parley_error *err)
{
    return patterns_check(arg, true, err);
}

/* The outer loop of `sweep --ensemble --draws`: ensemble members crossed with
 * a hypercube over the scenario's uncertainties, one of them pinned. */
static parley_status case_draw_matrix(const void *arg, parley_error *err)
{
    const calibration_case *cc = arg;
    const char *const pinned[] = {"actors.DPRK.capability"};
    char **params = NULL;
    size_t n_params = 0;
    double *values = NULL;
    parley_status st = parley_draw_matrix(cc->scenario, cc->ensemble, 12, 5, pinned, 1, &params,
                                          &n_params, &values, err);
    parley_draw_matrix_free(params, n_params, values);
    return st;
}
#endif

static parley_status case_leaky(const void *arg, parley_error *err)
{
    (void)arg;
    char *a = parley__malloc(16);
    if (!a)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory");
    char *b = parley__malloc(16);
    if (!b)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory");
    parley__free(b);
    parley__free(a);
    return PARLEY_OK;
}

#ifdef PARLEY_HAVE_REPLAY
/* `parley replay`: a results database written before arming, then opened and
 * one of its runs replayed (the plan read back, the scenario found by the
 * command line the database records, the run). */
static parley_status case_replay(const void *arg, parley_error *err)
{
    parley_replay *replay = NULL;
    bool reproduced = false;
    parley_status st = parley_replay_open((const char *)arg, &replay, err);
    if (st == PARLEY_OK)
        st = parley_replay_run(replay, 0, 0, 1, &reproduced, err);
    parley_replay_free(replay);
    return st;
}

/* `parley report`: everything the page shows gathered from the database
 * (cells, the scenario and its fingerprint, the forecasts, fans replayed from
 * the seeds, the representative run's timeline), its JSON data block, and the
 * page with its charts written next to the database. */
static parley_status case_report_data(const void *arg, parley_error *err)
{
    parley_report_options opt;
    parley_report_options_default(&opt);
    opt.fan_runs = 2;
    parley_report_data *data = NULL;
    char *json = NULL;
    char page[800];
    snprintf(page, sizeof page, "%s.html", (const char *)arg);
    parley_status st = parley_report_data_from_db((const char *)arg, &opt, &data, err);
    if (st == PARLEY_OK)
        st = parley_report_json(data, &json, err);
    if (st == PARLEY_OK)
        st = parley_report_write_html(data, page, err);
    parley_report_buffer_free(json);
    parley_report_data_free(data);
    unlink(page);
    return st;
}

/* Writes a two-run sweep of `scenario_path` to `db_path`, as `parley sweep`
 * would, so that the replay has a database to read. */
static bool write_small_sweep(const char *scenario_path, const char *db_path)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_plan *plan = NULL;
    parley_results_db *db = NULL;
    char command[1400];
    snprintf(command, sizeof command, "parley sweep %s --runs 2 --out %s", scenario_path, db_path);
    bool ok = parley_scenario_load_file(scenario_path, &sc, &err) == PARLEY_OK;
    if (ok) {
        parley_plan_spec spec = {0};
        spec.scenario = sc;
        spec.seed = 1;
        spec.runs = 2;
        spec.mode = PARLEY_DRAWS_NOMINAL;
        spec.draws = 1;
        ok = parley_plan_new(&spec, &plan, &err) == PARLEY_OK &&
             parley_results_db_open(db_path, plan, command, &db, &err) == PARLEY_OK;
    }
    if (ok) {
        parley_exec_options opt = {0};
        opt.threads = 1;
        opt.sink = parley_results_db_sink;
        opt.sink_user = db;
        ok = parley_plan_execute(plan, &opt, &err) == PARLEY_OK &&
             parley_results_db_finish(db, &err) == PARLEY_OK;
    }
    if (!ok)
        print_diagnostics(&err);
    parley_results_db_close(db);
    parley_plan_free(plan);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    return ok;
}
#endif

static int wanted(const char *filter, const char *name)
{
    return !filter || strstr(name, filter) != NULL;
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
#ifndef WALK_ASAN
    printf("note: built without ASan, so leaks are not checked (make test-fault checks them)\n");
#endif
    if (filter && strcmp(filter, "--self-test") == 0) {
        /* The walk must catch a leak on an error path. */
#ifndef WALK_ASAN
        printf("self-test: skipped without ASan\n");
        return 0;
#endif
        walk_stats self = {0, 0, 0};
        walk(&self, "self-test: leak on the error path", case_leaky, NULL);
        printf("self-test: the leak was %s\n", self.failures ? "caught" : "MISSED");
        return self.failures == 1 ? 0 : 1;
    }
    const char *src = PARLEY_SOURCE_DIR;
    walk_stats stats = {0, 0, 0};
    char name[700];

    /* Atomic output file. */
    char tmpdir[] = "/tmp/parley-fault-XXXXXX";
    if (wanted(filter, "atomic_file") && mkdtemp(tmpdir)) {
        walk(&stats, "atomic_file", case_atomic_file, tmpdir);
        rmdir(tmpdir);
    }
#ifdef PARLEY_HAVE_SIM
    if (wanted(filter, "moran"))
        walk(&stats, "moran", case_moran, NULL);
#endif

#ifdef PARLEY_HAVE_SCENARIO_LOAD
    /* Every built-in scenario, then tests/data/minimal.json. */
    char dir[600];
    snprintf(dir, sizeof dir, "%s/scenarios", src);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        /* Built-in scenarios are the files NAME.json with NAME an id (what
         * `parley run NAME` finds); other JSON there (NAME.patterns.json) is
         * not a scenario. */
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 ||
            strspn(e->d_name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
                len - 5)
            continue;
        char *path = malloc(strlen(dir) + len + 2);
        if (!path)
            return 1;
        sprintf(path, "%s/%s", dir, e->d_name);
        snprintf(name, sizeof name, "scenario load_file %s", e->d_name);
        if (wanted(filter, name))
            walk(&stats, name, case_scenario_file, path);
        free(path);
    }
    if (d)
        closedir(d);
    char minimal_path[600];
    snprintf(minimal_path, sizeof minimal_path, "%s/tests/data/minimal.json", src);
    buffer minimal;
    if (!read_whole(minimal_path, &minimal)) {
        fprintf(stderr, "cannot read %s\n", minimal_path);
        return 1;
    }
    if (wanted(filter, "scenario load_file minimal.json"))
        walk(&stats, "scenario load_file minimal.json", case_scenario_file, minimal_path);
    if (wanted(filter, "scenario load_string minimal.json"))
        walk(&stats, "scenario load_string minimal.json", case_scenario_string, &minimal);
#ifdef PARLEY_HAVE_SCENARIO_DUMP
    if (wanted(filter, "scenario dump+reload minimal.json"))
        walk(&stats, "scenario dump+reload minimal.json", case_scenario_dump, &minimal);
#endif
#ifdef PARLEY_HAVE_SCENARIO_DUMP
    /* The games section: every strategy form compiled, dumped and reloaded. */
    char games_path[600];
    snprintf(games_path, sizeof games_path, "%s/tests/data/games.json", src);
    buffer games;
    if (!read_whole(games_path, &games)) {
        fprintf(stderr, "cannot read %s\n", games_path);
        return 1;
    }
    if (wanted(filter, "scenario dump+reload games.json"))
        walk(&stats, "scenario dump+reload games.json", case_scenario_dump, &games);
    free(games.data);
#endif
#ifdef PARLEY_HAVE_SCENARIO_SET
    if (wanted(filter, "scenario set minimal.json"))
        walk(&stats, "scenario set minimal.json", case_scenario_set, &minimal);
#endif
#ifdef PARLEY_HAVE_BARGAIN_READ
    /* A scenario read as a bargaining problem. */
    format_case scenario_as_table = {&minimal, PARLEY_FORMAT_SCENARIO};
    if (wanted(filter, "format scenario minimal.json"))
        walk(&stats, "format scenario minimal.json", case_format_buffer, &scenario_as_table);
#endif
#ifdef PARLEY_HAVE_SIM
    /* One simulator run of every built-in scenario and minimal.json. */
    static const char *const sim_files[] = {"tests/data/minimal.json", "scenarios/four-party-1997.json",
                                            "scenarios/panmunjom-2018.json"};
    for (size_t k = 0; k < sizeof sim_files / sizeof sim_files[0]; k++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", src, sim_files[k]);
        parley_error lerr;
        parley_error_init(&lerr);
        parley_scenario *sc = NULL;
        if (parley_scenario_load_file(path, &sc, &lerr) != PARLEY_OK) {
            parley_error_clear(&lerr);
            continue; /* a scenario that does not load is reported above */
        }
        snprintf(name, sizeof name, "process run %s", sim_files[k]);
        if (wanted(filter, name))
            walk(&stats, name, case_sim, sc);
        snprintf(name, sizeof name, "process run without log %s", sim_files[k]);
        if (wanted(filter, name))
            walk(&stats, name, case_sim_nolog, sc);
        parley_scenario_free(sc);
    }
#endif
#ifdef PARLEY_HAVE_CALIBRATION
    {
        char patterns_path[600], ensemble_path[600];
        snprintf(patterns_path, sizeof patterns_path, "%s/scenarios/patterns/four-party-1997.json",
                 src);
        snprintf(ensemble_path, sizeof ensemble_path, "%s/scenarios/ensembles/four-party-1997.json",
                 src);
        if (wanted(filter, "calibration patterns_load four-party-1997.json"))
            walk(&stats, "calibration patterns_load four-party-1997.json", case_patterns_load,
                 patterns_path);
        if (wanted(filter, "calibration ensemble_load four-party-1997.json"))
            walk(&stats, "calibration ensemble_load four-party-1997.json", case_ensemble_load,
                 ensemble_path);
        /* The pattern check and the draw matrix on minimal.json, with the
         * four-party patterns and ensemble (loaded before arming). */
        parley_error lerr;
        parley_error_init(&lerr);
        calibration_case cc = {NULL, NULL, NULL};
        parley_scenario *sc = NULL;
        parley_patterns *ps = NULL;
        parley_ensemble *ens = NULL;
        if (parley_scenario_load_file(minimal_path, &sc, &lerr) != PARLEY_OK ||
            parley_patterns_load(patterns_path, &ps, &lerr) != PARLEY_OK ||
            parley_ensemble_load(ensemble_path, &ens, &lerr) != PARLEY_OK) {
            fprintf(stderr, "cannot load the calibration inputs\n");
            print_diagnostics(&lerr);
            stats.failures++;
        } else {
            cc.scenario = sc;
            cc.patterns = ps;
            cc.ensemble = ens;
            if (wanted(filter, "calibration patterns_check minimal.json"))
                walk(&stats, "calibration patterns_check minimal.json", case_patterns_check, &cc);
            if (wanted(filter, "calibration patterns_check_ensemble minimal.json"))
                walk(&stats, "calibration patterns_check_ensemble minimal.json",
                     case_patterns_check_ensemble, &cc);
            if (wanted(filter, "calibration draw_matrix minimal.json"))
                walk(&stats, "calibration draw_matrix minimal.json", case_draw_matrix, &cc);
        }
        parley_ensemble_free(ens);
        parley_patterns_free(ps);
        parley_scenario_free(sc);
        parley_error_clear(&lerr);
    }
#endif
#ifdef PARLEY_HAVE_REPLAY
    char dbdir[] = "/tmp/parley-fault-db-XXXXXX";
    if ((wanted(filter, "report replay minimal.json") || wanted(filter, "report data minimal.json")) &&
        mkdtemp(dbdir)) {
        char db_path[700], side[720];
        snprintf(db_path, sizeof db_path, "%s/r.sqlite", dbdir);
        if (write_small_sweep(minimal_path, db_path)) {
            if (wanted(filter, "report replay minimal.json"))
                walk(&stats, "report replay minimal.json", case_replay, db_path);
            if (wanted(filter, "report data minimal.json"))
                walk(&stats, "report data minimal.json", case_report_data, db_path);
        } else {
            fprintf(stderr, "cannot write the replay's results database\n");
            stats.failures++;
        }
        static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
        for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
            snprintf(side, sizeof side, "%s%s", db_path, suffixes[k]);
            unlink(side);
        }
        rmdir(dbdir);
    }
#endif
    free(minimal.data);
#endif

#ifdef PARLEY_HAVE_BARGAIN_READ
    /* One anchor file per peer format, cut to a few rows (DEU) where large. */
    static const struct {
        const char *file;
        parley_bargain_format format;
        int lines; /* 0 = whole file */
    } formats[] = {
        {"decide_sample_data.txt", PARLEY_FORMAT_DECIDE, 0},
        {"ktab_dummyData_3Dim.csv", PARLEY_FORMAT_KTAB, 0},
        {"bdm1994_emission.csv", PARLEY_FORMAT_BDM, 0},
        {"deu3.tsv", PARLEY_FORMAT_DEU, 8},
        {"bdm_honduras.csv", PARLEY_FORMAT_AUTO, 0},
    };
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        char path[600];
        snprintf(path, sizeof path, "%s/tests/anchors/bargaining/%s", src, formats[k].file);
        buffer b;
        if (!read_whole(path, &b)) {
            fprintf(stderr, "cannot read %s\n", path);
            return 1;
        }
        if (formats[k].lines)
            keep_lines(&b, formats[k].lines);
        format_case fc = {&b, formats[k].format};
        snprintf(name, sizeof name, "format %s %s",
                 parley_bargain_format_name(formats[k].format), formats[k].file);
        if (wanted(filter, name))
            walk(&stats, name, case_format_buffer, &fc);
        free(b.data);
    }
    char bdm_path[600];
    snprintf(bdm_path, sizeof bdm_path, "%s/tests/anchors/bargaining/bdm_honduras.csv", src);
    if (wanted(filter, "format read_file bdm_honduras.csv"))
        walk(&stats, "format read_file bdm_honduras.csv", case_format_file, bdm_path);
#endif

    /* Every model compiled in, through the dispatcher. */
    parley_bargain_problem *problem = small_problem();
    if (!problem) {
        fprintf(stderr, "cannot build the model problem\n");
        return 1;
    }
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++) {
        model_case mc = {problem, (parley_bargain_model)m};
        snprintf(name, sizeof name, "model %s", parley_bargain_model_name(mc.model));
        if (!parley_bargain_model_available(mc.model)) {
            printf("skip %s: not in this build\n", name);
            continue;
        }
        if (wanted(filter, name))
            walk(&stats, name, case_model, &mc);
    }
    parley_bargain_problem_free(problem);
    (void)src;

    printf("%d cases, %lu failing runs, %d failed\n", stats.cases, stats.runs,
           stats.failures);
    if (stats.cases == 0) {
        fprintf(stderr, "no case matched\n");
        return 1;
    }
    return stats.failures ? 1 : 0;
}
