/* KTAB's Spatial Model of Politics: KTAB's own position and win-probability
 * histories for SOE-Pol-Comp and dummyData_3Dim reproduced at every turn to
 * the printed digit, the design note's check values, small cases worked by
 * hand (the PCE, inferred risk, one challenge and its proposal), invariants
 * (range, permutation, capability scale, unanimity), every option, seeded
 * stochastic runs, and input validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bargain/smp_internal.h"
#include "parley/bargain.h"
#include "parley/bargain_smp.h"

/* ---- helpers ------------------------------------------------------------ */

static parley_bargain_problem *load_ktab(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/bargaining/%s", PARLEY_ANCHORS_DIR, name);
    parley_bargain_problem *p = NULL;
    parley_error err;
    parley_error_init(&err);
    parley_status st = parley_bargain_read_file(path, PARLEY_FORMAT_KTAB, &p, &err);
    if (st != PARLEY_OK && err.count > 0) {
        print_error("%s: %s\n", err.items[0].where, err.items[0].what);
    }
    assert_int_equal(st, PARLEY_OK);
    parley_error_clear(&err);
    return p;
}

/* A KTAB history file: "name, label: v v v" lines for positions (actor-major,
 * dimension-minor), then "name, prob : v v v" lines. Values kept as printed. */
typedef struct ref_history {
    size_t rows;      /* position rows = actors x dims */
    size_t prob_rows; /* actors */
    size_t states;
    char tok[64][128][12]; /* [row][state] printed token */
    char prob[32][128][12];
} ref_history;

static size_t split_values(char *s, char out[][12], size_t max)
{
    size_t n = 0;
    for (char *t = strtok(s, " \t\r\n"); t && n < max; t = strtok(NULL, " \t\r\n")) {
        snprintf(out[n++], 12, "%s", t);
    }
    return n;
}

static ref_history *load_history(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/bargaining/reference/ktab/%s", PARLEY_ANCHORS_DIR, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    ref_history *h = calloc(1, sizeof *h);
    assert_non_null(h);
    char line[4096];
    int section = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "History of actor positions", 26) == 0) {
            section = 1;
            continue;
        }
        if (strncmp(line, "History of actors' winning", 26) == 0) {
            section = 2;
            continue;
        }
        char *colon = strchr(line, ':');
        if (section == 0 || colon == NULL || strncmp(line, "Finish", 6) == 0) {
            section = strncmp(line, "Finish", 6) == 0 ? 0 : section;
            continue;
        }
        size_t n;
        if (section == 1) {
            n = split_values(colon + 1, h->tok[h->rows++], 128);
        } else {
            n = split_values(colon + 1, h->prob[h->prob_rows++], 128);
        }
        assert_true(h->states == 0 || h->states == n);
        h->states = n;
    }
    fclose(f);
    return h;
}

/* Compares a run with a KTAB history, printed as KTAB prints ("%5.1f" of the
 * 0-100 position, "%.4f" of the probability). Reports the first divergence. */
static void expect_history(const parley_bargain_problem *p, const ref_history *h,
                           const parley_bargain_result *r, const parley_smp_history *hist)
{
    const size_t na = p->n_actors;
    const size_t nd = p->n_issues;
    assert_int_equal(h->rows, na * nd);
    assert_int_equal(h->prob_rows, na);
    assert_int_equal(r->trace.rounds + 1, h->states);
    size_t bad = 0;
    for (size_t t = 0; t < h->states; t++) {
        for (size_t a = 0; a < na; a++) {
            for (size_t d = 0; d < nd; d++) {
                char buf[32];
                snprintf(buf, sizeof buf, "%.1f", r->trace.positions[(t * na + a) * nd + d]);
                if (strcmp(buf, h->tok[a * nd + d][t]) != 0 && bad++ < 5) {
                    print_error("state %zu actor %zu dim %zu: parley %s, KTAB %s\n", t, a, d,
                                buf, h->tok[a * nd + d][t]);
                }
            }
            char buf[32];
            snprintf(buf, sizeof buf, "%.4f", hist->win_prob[t * na + a]);
            if (strcmp(buf, h->prob[a][t]) != 0 && bad++ < 5) {
                print_error("state %zu actor %zu prob: parley %s, KTAB %s\n", t, a, buf,
                            h->prob[a][t]);
            }
        }
    }
    assert_int_equal(bad, 0);
}

static void run_ok(const parley_bargain_problem *p, const parley_smp_options *o,
                   parley_bargain_result *r, parley_smp_history *h)
{
    parley_error err;
    parley_error_init(&err);
    parley_status st = parley_smp_run_history(p, o, r, h, &err);
    if (st != PARLEY_OK && err.count > 0) {
        print_error("%s: %s\n", err.items[0].where, err.items[0].what);
    }
    assert_int_equal(st, PARLEY_OK);
    parley_error_clear(&err);
}

/* ---- KTAB's reference runs ---------------------------------------------- */

static void test_ktab_dummy_3dim(void **state)
{
    (void)state;
    parley_bargain_problem *p = load_ktab("ktab_dummyData_3Dim.csv");
    ref_history *h = load_history("dummyData_3Dim.history.txt");
    parley_bargain_result r;
    parley_smp_history hist;
    run_ok(p, NULL, &r, &hist);
    assert_int_equal(h->states, 11);
    expect_history(p, h, &r, &hist);
    parley_smp_history_free(&hist);
    parley_bargain_result_free(&r);
    parley_bargain_problem_free(p);
    free(h);
}

static void test_ktab_soe_pol_comp(void **state)
{
    (void)state;
    parley_bargain_problem *p = load_ktab("ktab_SOE-Pol-Comp.csv");
    ref_history *h = load_history("SOE-Pol-Comp.history.txt");
    parley_bargain_result r;
    parley_smp_history hist;
    run_ok(p, NULL, &r, &hist);
    assert_int_equal(h->states, 28);
    expect_history(p, h, &r, &hist);

    /* The design note's check values (bargaining-models.md 1.6.8). */
    const char *risk0[13] = {"+1.000", "-0.498", "-0.452", "+0.362", "-0.500",
                             "-0.500", "-0.497", "-0.499", "-0.452", "+0.643",
                             "-0.383", "-0.196", "-0.500"};
    const char *prob0[13] = {".0618", ".0156", ".0117", ".4340", ".0028", ".0000", ".0020",
                             ".0013", ".0117", ".2481", ".1533", ".0689", ".0005"};
    for (size_t a = 0; a < 13; a++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%+.3f", hist.risk[a]);
        assert_string_equal(buf, risk0[a]);
        snprintf(buf, sizeof buf, "%.4f", hist.win_prob[a]);
        assert_string_equal(buf + 1, prob0[a]);
    }
    /* MK (3) targets MEP (8) with p = 0.9361 and gain +0.1977; proposal (44.89, 44.98). */
    assert_int_equal(hist.target[3], 8);
    assert_true(fabs(hist.target_prob[3] - 0.9361) < 5e-5);
    assert_true(fabs(hist.target_gain[3] - 0.1977) < 5e-5);
    assert_true(fabs(hist.proposal[3 * 2 + 0] - 44.89) < 1e-9);
    assert_true(fabs(hist.proposal[3 * 2 + 1] - 44.98) < 1e-9);
    parley_smp_history_free(&hist);
    parley_bargain_result_free(&r);
    parley_bargain_problem_free(p);
    free(h);
}

/* ---- hand-computed cases ------------------------------------------------ */

static parley_bargain_problem *make_problem(size_t n, size_t d, const double *c,
                                            const double *x, const double *s)
{
    parley_bargain_problem *p = NULL;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_bargain_problem_new(n, d, &p, &err), PARLEY_OK);
    for (size_t a = 0; a < n; a++) {
        for (size_t k = 0; k < d; k++) {
            p->capability[a * d + k] = c[a];
            p->position[a * d + k] = x[a * d + k];
            p->salience[a * d + k] = s[a * d + k];
        }
    }
    parley_error_clear(&err);
    return p;
}

/* Three equal actors at 0, 1/2 and 1 (risk neutral): P[1>0] = 1/(1+1/2) = 2/3,
 * P[2>0] = 1/2, P[2>1] = 1/3, so the conditional PCE gives (1/12, 2/9, 1/12)
 * normalised = (3, 8, 3)/14, and the Mid range gives R = (-1/2, 1, -1/2). */
static void test_hand_pce_and_risk(void **state)
{
    (void)state;
    const double w[3] = {1, 1, 1};
    const double u[9] = {1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5, 1};
    double prob[3];
    double scratch[64];
    assert_true(parley__smp_pce_scratch(3, 3) <= 64);
    assert_int_equal(parley__smp_pce(3, 3, w, u, 3, PARLEY_SMP_VR_PROPORTIONAL,
                                     PARLEY_SMP_VPM_LINEAR, PARLEY_SMP_PCE_CONDITIONAL, prob,
                                     scratch),
                     PARLEY_OK);
    assert_true(fabs(prob[0] - 3.0 / 14) < 1e-7);
    assert_true(fabs(prob[1] - 8.0 / 14) < 1e-7);
    assert_true(fabs(prob[2] - 3.0 / 14) < 1e-7);
    double r[3];
    parley__smp_risk_from_prob(prob, 3, PARLEY_SMP_RR_MID, r);
    assert_true(fabs(r[0] + 0.5) < 1e-6 && fabs(r[1] - 1) < 1e-6 && fabs(r[2] + 0.5) < 1e-6);
    parley__smp_risk_from_prob(prob, 3, PARLEY_SMP_RR_MIN, r);
    assert_true(fabs(r[0]) < 1e-6 && fabs(r[1] - 1) < 1e-6);
    parley__smp_risk_from_prob(prob, 3, PARLEY_SMP_RR_MAX, r);
    assert_true(fabs(r[0] + 1) < 1e-6 && fabs(r[1] - 1) < 1e-6);
    /* Both Markov elections have a stationary point; the symmetric case keeps
     * the ends equal and the centre ahead. */
    for (int m = PARLEY_SMP_PCE_MARKOV_INCENTIVE; m <= PARLEY_SMP_PCE_MARKOV_UNIFORM; m++) {
        assert_int_equal(parley__smp_pce(3, 3, w, u, 3, PARLEY_SMP_VR_PROPORTIONAL,
                                         PARLEY_SMP_VPM_LINEAR, (parley_smp_pce)m, prob,
                                         scratch),
                         PARLEY_OK);
        assert_true(fabs(prob[0] + prob[1] + prob[2] - 1) < 1e-6);
        assert_true(fabs(prob[0] - prob[2]) < 1e-6 && prob[1] > prob[0]);
    }
    /* Utility shapes: R = 0 linear, +1 gives 1 - d^2, -1 gives (1 - d)^2. */
    assert_true(fabs(parley__smp_util(0.3, 0) - 0.7) < 1e-15);
    assert_true(fabs(parley__smp_util(0.3, 1) - (1 - 0.09)) < 1e-15);
    assert_true(fabs(parley__smp_util(0.3, -1) - 0.49) < 1e-15);
    /* Votes. */
    assert_true(fabs(parley__smp_vote(PARLEY_SMP_VR_PROPORTIONAL, 2, 0.7, 0.2) - 1.0) < 1e-15);
    assert_true(fabs(parley__smp_vote(PARLEY_SMP_VR_BINARY, 2, 0.7, 0.2) - 2.0) < 1e-15);
    assert_true(fabs(parley__smp_vote(PARLEY_SMP_VR_CUBIC, 2, 0.7, 0.2) - 0.25) < 1e-15);
    assert_true(fabs(parley__smp_vote(PARLEY_SMP_VR_ASYM_PROSPECT, 3, 0.7, 0.2) - 1.0) < 1e-15);
    assert_true(fabs(parley__smp_vote(PARLEY_SMP_VR_ASYM_PROSPECT, 3, 0.2, 0.7) + 1.5) < 1e-15);
}

/* Two actors on one issue, A at 0 with capability 3, B at 100 with 1, both
 * fully salient. Risk-neutral election: P[B>A] = 1/(1+3), pi = (3/4, 1/4), so
 * R = (1, -1/2). A's view: its own contest strength 3 against B's 1, p = 3/4;
 * winning is worth 2, losing 0, the status quo 1; B's salience 1 means B
 * never just concedes, so the gain is 3/4 x 2 - 1 = 1/2. B's challenge loses
 * 1/2. S2P2 weights 1 x (3/4)^2 and 1 x (1/4)^2 give 0.0625/0.625 = 0.1, so
 * both are offered 10. A values the deal (1 - 0.1)(1 + 0.1) = 0.99 each, B
 * values it 0.1 (1 - 0.45) = 0.055; the election of deal against status quo
 * is 3 x 0.49 for against 0.445 against, so both move to 10. Then everyone
 * agrees, nobody gains from a challenge, and the run stops after turn 2. */
static void test_hand_two_actors(void **state)
{
    (void)state;
    const double c[2] = {3, 1};
    const double x[2] = {0, 100};
    const double s[2] = {1, 1};
    parley_bargain_problem *p = make_problem(2, 1, c, x, s);
    parley_bargain_result r;
    parley_smp_history h;
    run_ok(p, NULL, &r, &h);
    assert_int_equal(h.states, 3);
    assert_int_equal(r.trace.rounds, 2);
    assert_true(fabs(h.risk[0] - 1) < 1e-6 && fabs(h.risk[1] + 0.5) < 1e-6);
    assert_int_equal(h.target[0], 1);
    assert_int_equal(h.target[1], -1);
    assert_true(fabs(h.target_prob[0] - 0.75) < 1e-9);
    assert_true(fabs(h.target_gain[0] - 0.5) < 1e-9);
    assert_true(fabs(h.proposal[0] - 10.0) < 1e-9);
    assert_true(fabs(r.trace.positions[2] - 10.0) < 1e-9);
    assert_true(fabs(r.trace.positions[3] - 10.0) < 1e-9);
    assert_true(fabs(r.trace.positions[4] - 10.0) < 1e-9);
    assert_true(fabs(r.forecast[0] - 10.0) < 1e-9);
    /* Everyone at one point: all equally likely, so all risk neutral. */
    assert_true(h.risk[2 * 2 + 0] == 0.0 && h.risk[2 * 2 + 1] == 0.0);
    assert_int_equal(h.target[2], -1);
    parley_smp_history_free(&h);
    parley_bargain_result_free(&r);
    parley_bargain_problem_free(p);
}

/* ---- invariants --------------------------------------------------------- */

static void check_in_range(const parley_bargain_problem *p, const parley_bargain_result *r)
{
    for (size_t k = 0; k < p->n_issues; k++) {
        double lo = INFINITY;
        double hi = -INFINITY;
        for (size_t a = 0; a < p->n_actors; a++) {
            const double v = p->position[a * p->n_issues + k];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        assert_true(r->forecast[k] >= lo - 1e-9 && r->forecast[k] <= hi + 1e-9);
        for (size_t t = 0; t <= r->trace.rounds; t++) {
            for (size_t a = 0; a < p->n_actors; a++) {
                const double v = r->trace.positions[(t * p->n_actors + a) * p->n_issues + k];
                assert_true(v >= lo - 1e-9 && v <= hi + 1e-9);
            }
        }
    }
}

static void test_invariants(void **state)
{
    (void)state;
    const char *files[] = {"ktab_dummyData_3Dim.csv", "ktab_SOE-Pol-Comp.csv",
                           "ktab_SOE-Policy.csv", "ktab_dummyData_6Dim.csv"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        parley_bargain_problem *p = load_ktab(files[f]);
        const size_t na = p->n_actors;
        const size_t nd = p->n_issues;
        parley_bargain_result r;
        run_ok(p, NULL, &r, NULL);
        check_in_range(p, &r);
        for (int fc = 0; fc < PARLEY_SMP_FORECAST_COUNT; fc++) {
            parley_smp_options o;
            parley_smp_options_default(&o);
            o.forecast = (parley_smp_forecast)fc;
            parley_bargain_result r2;
            run_ok(p, &o, &r2, NULL);
            check_in_range(p, &r2);
            parley_bargain_result_free(&r2);
        }

        /* Scaling every capability changes nothing. */
        parley_bargain_problem *q = load_ktab(files[f]);
        for (size_t i = 0; i < na * nd; i++) {
            q->capability[i] *= 1000.0;
        }
        parley_bargain_result rq;
        run_ok(q, NULL, &rq, NULL);
        assert_int_equal(rq.trace.rounds, r.trace.rounds);
        for (size_t k = 0; k < nd; k++) {
            assert_true(fabs(rq.forecast[k] - r.forecast[k]) < 1e-6);
        }
        parley_bargain_result_free(&rq);
        parley_bargain_problem_free(q);

        /* Reversing the actors' order changes nothing but the order, for
         * every reading of the final state. */
        q = load_ktab(files[f]);
        for (size_t a = 0; a < na; a++) {
            for (size_t k = 0; k < nd; k++) {
                const size_t from = (na - 1 - a) * nd + k;
                q->capability[a * nd + k] = p->capability[from];
                q->position[a * nd + k] = p->position[from];
                q->salience[a * nd + k] = p->salience[from];
            }
        }
        for (int fc = 0; fc < PARLEY_SMP_FORECAST_COUNT; fc++) {
            parley_smp_options o;
            parley_smp_options_default(&o);
            o.forecast = (parley_smp_forecast)fc;
            parley_bargain_result rp;
            run_ok(p, &o, &rp, NULL);
            run_ok(q, &o, &rq, NULL);
            assert_int_equal(rq.trace.rounds, rp.trace.rounds);
            for (size_t k = 0; k < nd; k++) {
                assert_true(fabs(rq.forecast[k] - rp.forecast[k]) < 1e-6);
            }
            for (size_t t = 0; t <= rp.trace.rounds; t++) {
                for (size_t a = 0; a < na; a++) {
                    for (size_t k = 0; k < nd; k++) {
                        const double v1 = rp.trace.positions[(t * na + a) * nd + k];
                        const double v2 = rq.trace.positions[(t * na + (na - 1 - a)) * nd + k];
                        assert_true(fabs(v1 - v2) < 1e-6);
                    }
                }
            }
            parley_bargain_result_free(&rp);
            parley_bargain_result_free(&rq);
        }
        parley_bargain_problem_free(q);
        parley_bargain_result_free(&r);
        parley_bargain_problem_free(p);
    }
}

static void test_unanimous(void **state)
{
    (void)state;
    const double c[4] = {10, 20, 5, 1};
    const double x[8] = {37, 62, 37, 62, 37, 62, 37, 62};
    const double s[8] = {0.3, 0.5, 0.6, 0.2, 0.1, 0.1, 0.5, 0.5};
    parley_bargain_problem *p = make_problem(4, 2, c, x, s);
    for (int fc = 0; fc < PARLEY_SMP_FORECAST_COUNT; fc++) {
        parley_smp_options o;
        parley_smp_options_default(&o);
        o.forecast = (parley_smp_forecast)fc;
        parley_bargain_result r;
        run_ok(p, &o, &r, NULL);
        assert_true(fabs(r.forecast[0] - 37) < 1e-9);
        assert_true(fabs(r.forecast[1] - 62) < 1e-9);
        for (size_t i = 0; i < (r.trace.rounds + 1) * 8; i++) {
            assert_true(r.trace.positions[i] == x[i % 8]);
        }
        parley_bargain_result_free(&r);
    }
    parley_bargain_problem_free(p);
}

/* Actors with no capability or no salience take no part and keep their
 * (possibly missing) positions; the rest run as if they were alone. */
static void test_non_participants(void **state)
{
    (void)state;
    const double c[4] = {3, 0, 1, 5};
    const double x[4] = {0, 50, 100, NAN};
    const double s[4] = {1, 1, 1, 0};
    parley_bargain_problem *p = make_problem(4, 1, c, x, s);
    parley_bargain_result r;
    run_ok(p, NULL, &r, NULL);
    assert_int_equal(r.trace.rounds, 2);
    assert_true(fabs(r.forecast[0] - 10) < 1e-9);
    assert_true(r.trace.positions[4 * 2 + 1] == 50);
    assert_true(isnan(r.trace.positions[4 * 2 + 3]));
    parley_bargain_result_free(&r);
    parley_bargain_problem_free(p);
}

/* ---- options ------------------------------------------------------------ */

static void test_every_option(void **state)
{
    (void)state;
    parley_bargain_problem *p = load_ktab("ktab_dummyData_3Dim.csv");
    const struct {
        const char *name;
        int count;
    } opts[] = {{"VictoryProbModel", PARLEY_SMP_VPM_COUNT}, {"PCEModel", PARLEY_SMP_PCE_COUNT},
                {"VotingRule", PARLEY_SMP_VR_COUNT},       {"BigRAdjust", PARLEY_SMP_RA_COUNT},
                {"BigRRange", PARLEY_SMP_RR_COUNT},        {"ThirdPartyCommit", PARLEY_SMP_TPC_COUNT},
                {"InterVecBrgn", PARLEY_SMP_IVB_COUNT},    {"BargnModel", PARLEY_SMP_BM_COUNT}};
    parley_error err;
    parley_error_init(&err);
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        for (int v = 0; v < opts[i].count; v++) {
            parley_smp_options o;
            parley_smp_options_default(&o);
            const char *vn = parley_smp_option_value_name(opts[i].name, v);
            assert_non_null(vn);
            assert_int_equal(parley_smp_options_set(&o, opts[i].name, vn, &err), PARLEY_OK);
            parley_bargain_result r;
            run_ok(p, &o, &r, NULL);
            check_in_range(p, &r);
            assert_true(r.trace.rounds >= 1 && r.trace.rounds <= 100);
            parley_bargain_result_free(&r);
        }
    }
    parley_smp_options o;
    parley_smp_options_default(&o);
    assert_int_equal(o.voting_rule, PARLEY_SMP_VR_PROPORTIONAL);
    assert_int_equal(parley_smp_options_set(&o, "votingrule", "cubic", &err), PARLEY_OK);
    assert_int_equal(o.voting_rule, PARLEY_SMP_VR_CUBIC);
    assert_int_equal(parley_smp_options_set(&o, "MaxTurns", "7", &err), PARLEY_OK);
    assert_int_equal(o.max_turns, 7);
    assert_int_equal(parley_smp_options_set(&o, "Seed", "18446744073709551615", &err), PARLEY_OK);
    assert_true(o.seed == UINT64_MAX);
    assert_int_equal(err.count, 0);
    assert_int_equal(parley_smp_options_set(&o, "VotingRule", "Plurality", &err), PARLEY_EINPUT);
    assert_int_equal(parley_smp_options_set(&o, "Colour", "red", &err), PARLEY_EINPUT);
    assert_int_equal(parley_smp_options_set(&o, "MaxTurns", "0", &err), PARLEY_EINPUT);
    assert_int_equal(parley_smp_options_set(&o, "StopRatio", "-1", &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 4);
    assert_null(parley_smp_option_value_name("VotingRule", 99));
    parley_error_clear(&err);

    /* max_turns caps the run. */
    parley_smp_options_default(&o);
    o.max_turns = 3;
    parley_bargain_result r;
    run_ok(p, &o, &r, NULL);
    assert_int_equal(r.trace.rounds, 3);
    parley_bargain_result_free(&r);
    parley_bargain_problem_free(p);
}

static void test_stochastic_reproducible(void **state)
{
    (void)state;
    parley_bargain_problem *p = load_ktab("ktab_SOE-Pol-Comp.csv");
    parley_smp_options o;
    parley_smp_options_default(&o);
    o.transition = PARLEY_SMP_STOCHASTIC;
    o.seed = 42;
    parley_bargain_result a;
    parley_bargain_result b;
    parley_bargain_result c;
    run_ok(p, &o, &a, NULL);
    run_ok(p, &o, &b, NULL);
    assert_int_equal(a.trace.rounds, b.trace.rounds);
    const size_t cells = (a.trace.rounds + 1) * p->n_actors * p->n_issues;
    assert_memory_equal(a.trace.positions, b.trace.positions, cells * sizeof(double));
    check_in_range(p, &a);
    /* Another seed gives another history. */
    int differ = 0;
    for (uint64_t seed = 43; seed < 48 && !differ; seed++) {
        o.seed = seed;
        run_ok(p, &o, &c, NULL);
        differ = c.trace.rounds != a.trace.rounds ||
                 memcmp(c.trace.positions, a.trace.positions, cells * sizeof(double)) != 0;
        parley_bargain_result_free(&c);
    }
    assert_true(differ);
    parley_bargain_result_free(&a);
    parley_bargain_result_free(&b);
    parley_bargain_problem_free(p);
}

static void test_accommodation(void **state)
{
    (void)state;
    parley_bargain_problem *p = load_ktab("ktab_dummyData_3Dim.csv");
    const size_t n = p->n_actors;
    double *acc = calloc(n * n, sizeof(double));
    assert_non_null(acc);
    parley_smp_options o;
    parley_smp_options_default(&o);
    o.accommodation = acc;
    /* The identity written out is KTAB's default. */
    for (size_t i = 0; i < n; i++) {
        acc[i * n + i] = 1.0;
    }
    parley_bargain_result r1;
    parley_bargain_result r2;
    run_ok(p, NULL, &r1, NULL);
    run_ok(p, &o, &r2, NULL);
    assert_int_equal(r1.trace.rounds, r2.trace.rounds);
    assert_memory_equal(r1.trace.positions, r2.trace.positions,
                        (r1.trace.rounds + 1) * n * p->n_issues * sizeof(double));
    parley_bargain_result_free(&r2);
    /* Lagging ideals: a different but bounded history. */
    for (size_t i = 0; i < n; i++) {
        acc[i * n + i] = 0.5;
    }
    run_ok(p, &o, &r2, NULL);
    check_in_range(p, &r2);
    parley_bargain_result_free(&r2);
    parley_bargain_result_free(&r1);
    /* A row summing above 1 is refused. */
    acc[1] = 0.9;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_smp_run(p, &o, &r2, &err), PARLEY_EINPUT);
    assert_null(r2.forecast);
    parley_error_clear(&err);
    free(acc);
    parley_bargain_problem_free(p);
}

/* ---- validation --------------------------------------------------------- */

static void test_invalid_input(void **state)
{
    (void)state;
    const double c[3] = {1, -2, 1};
    const double x[6] = {10, 20, NAN, 40, 50, 160};
    const double s[6] = {0.5, 0.7, 0.2, 0.2, 0.3, 0.3};
    parley_bargain_problem *p = make_problem(3, 2, c, x, s);
    parley_bargain_result r;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_smp_run(p, NULL, &r, &err), PARLEY_EINPUT);
    /* total salience 1.2, negative capability, position out of scale */
    assert_true(err.count >= 3);
    assert_null(r.forecast);
    assert_null(r.trace.positions);
    parley_error_clear(&err);

    parley_smp_options o;
    parley_smp_options_default(&o);
    o.max_turns = 0;
    o.stop_ratio = NAN;
    const double c2[3] = {1, 1, 1};
    const double x2[3] = {0, 50, 100};
    const double s2[3] = {1, 1, 1};
    parley_bargain_problem *q = make_problem(3, 1, c2, x2, s2);
    assert_int_equal(parley_smp_run(q, &o, &r, &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 2);
    parley_error_clear(&err);
    parley_bargain_problem_free(q);
    parley_bargain_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ktab_dummy_3dim),
        cmocka_unit_test(test_ktab_soe_pol_comp),
        cmocka_unit_test(test_hand_pce_and_risk),
        cmocka_unit_test(test_hand_two_actors),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_unanimous),
        cmocka_unit_test(test_non_participants),
        cmocka_unit_test(test_every_option),
        cmocka_unit_test(test_stochastic_reproducible),
        cmocka_unit_test(test_accommodation),
        cmocka_unit_test(test_invalid_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
