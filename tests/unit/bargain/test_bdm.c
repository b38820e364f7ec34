/* The BDM expected utility model (Scholz, Calbert & Smith 2011): the EC
 * car-emission example against Scholz's Table 2 and against the open
 * replication's per-round positions and risk exponents, a 3-actor case worked
 * by hand, invariants (range, permutation, capability scale, unanimity), the
 * fast probability path against the direct sums, and input validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/bargain.h"
#include "parley/bargain_bdm.h"
#include "parley/rng.h"

#ifdef PARLEY_FAULT_INJECTION
#include "core/alloc.h"
#endif

#define EMISSION_ACTORS 10
#define REF_ROUNDS 8

/* A one-issue problem from columns; caller frees with parley_bargain_problem_free. */
static parley_bargain_problem *one_issue(size_t n, const double *c, const double *x,
                                         const double *s)
{
    parley_bargain_problem *p = NULL;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_bargain_problem_new(n, 1, &p, &err), PARLEY_OK);
    for (size_t a = 0; a < n; a++) {
        p->capability[a] = c[a];
        p->position[a] = x[a];
        p->salience[a] = s[a];
    }
    parley_error_clear(&err);
    return p;
}

/* bdm1994_emission.csv: Actor,Capability,Position,Salience (salience on 0-1). */
static parley_bargain_problem *load_emission(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/bargaining/bdm1994_emission.csv", PARLEY_ANCHORS_DIR);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256];
    double c[EMISSION_ACTORS], x[EMISSION_ACTORS], s[EMISSION_ACTORS];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) && n < EMISSION_ACTORS) {
        char *comma = strchr(line, ',');
        if (!comma)
            continue;
        assert_int_equal(sscanf(comma + 1, "%lf,%lf,%lf", &c[n], &x[n], &s[n]), 3);
        n++;
    }
    fclose(f);
    assert_int_equal(n, EMISSION_ACTORS);
    return one_issue(n, c, x, s);
}

/* The replication's per-round median, mean, risk exponents and positions. */
typedef struct reference {
    double median[REF_ROUNDS + 1], mean[REF_ROUNDS + 1];
    double r[REF_ROUNDS + 1][EMISSION_ACTORS];
    double x[REF_ROUNDS + 1][EMISSION_ACTORS];
} reference;

static void parse_list(const char *from, double *out)
{
    const char *p = strchr(from, '[');
    assert_non_null(p);
    p++;
    for (size_t k = 0; k < EMISSION_ACTORS; k++) {
        char *end;
        out[k] = strtod(p, &end);
        assert_true(end != p);
        p = end;
        while (*p == ',' || *p == ' ')
            p++;
    }
}

static void load_reference(reference *ref)
{
    char path[1024];
    snprintf(path, sizeof path,
             "%s/bargaining/reference/jmckib_bdm_scholz_emission_8rounds_positions.txt",
             PARLEY_ANCHORS_DIR);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int round = -1, seen = 0;
    while (fgets(line, sizeof line, f)) {
        int t;
        double m, mu;
        if (sscanf(line, "round %d median %lf mean %lf", &t, &m, &mu) == 3) {
            assert_true(t >= 0 && t <= REF_ROUNDS);
            round = t;
            ref->median[t] = m;
            ref->mean[t] = mu;
            seen++;
        } else if (strstr(line, "r (used this round)")) {
            parse_list(line, ref->r[round]);
        } else if (strstr(line, "positions:")) {
            parse_list(line, ref->x[round]);
        }
    }
    fclose(f);
    assert_int_equal(seen, REF_ROUNDS + 1);
}

static void run_ok(const parley_bargain_problem *p, const parley_bdm_options *o,
                   parley_bargain_result *res, parley_bdm_details *det)
{
    parley_error err;
    parley_error_init(&err);
    parley_status st = parley_bdm_run_detailed(p, o, res, det, &err);
    if (st != PARLEY_OK && err.count)
        fprintf(stderr, "%s: %s\n", err.items[0].where, err.items[0].what);
    assert_int_equal(st, PARLEY_OK);
    parley_error_clear(&err);
}

/* Scholz et al. (2011) Table 2, Q = 1. */
static const double table2_median[REF_ROUNDS] = {8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6};
static const double table2_mean[REF_ROUNDS] = {7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6};

static void test_emission_table2(void **state)
{
    (void)state;
    parley_bargain_problem *p = load_emission();
    parley_bargain_result res;
    run_ok(p, NULL, &res, NULL);
    assert_int_equal(res.model, PARLEY_MODEL_BDM);
    assert_int_equal(res.trace.rounds, REF_ROUNDS);
    int median_ok = 0, mean_ok = 0;
    for (size_t t = 1; t <= REF_ROUNDS; t++) {
        double m = res.trace.median[t], mu = res.trace.mean[t];
        median_ok += fabs(m - table2_median[t - 1]) <= 0.1 + 1e-9;
        mean_ok += fabs(mu - table2_mean[t - 1]) <= 0.1 + 1e-9;
    }
    /* Round 2 is the one miss: 9.61 against the published 9.9. */
    assert_true(median_ok >= 7);
    assert_int_equal(median_ok, 7);
    assert_int_equal(mean_ok, 8);
    /* Round 0 is the input: median 7, mean 5.0029 / 0.677. */
    assert_float_equal(res.trace.median[0], 7.0, 1e-12);
    assert_float_equal(res.trace.mean[0], 5.003 / 0.677, 1e-12);
    assert_float_equal(res.forecast[0], res.trace.median[REF_ROUNDS], 0.0);
    parley_bargain_result_free(&res);
    parley_bargain_problem_free(p);
}

static void test_emission_matches_replication(void **state)
{
    (void)state;
    reference ref;
    memset(&ref, 0, sizeof ref);
    load_reference(&ref);
    parley_bargain_problem *p = load_emission();
    parley_bargain_result res;
    parley_bdm_details det;
    run_ok(p, NULL, &res, &det);
    assert_int_equal(det.rounds, REF_ROUNDS);
    for (size_t t = 0; t <= REF_ROUNDS; t++) {
        assert_float_equal(res.trace.median[t], ref.median[t], 1e-6);
        assert_float_equal(res.trace.mean[t], ref.mean[t], 1e-6);
        for (size_t a = 0; a < EMISSION_ACTORS; a++) {
            /* printed to 4 decimals */
            if (t > 0)
                assert_float_equal(det.risk[(t - 1) * EMISSION_ACTORS + a], ref.r[t][a],
                                   0.5e-4 + 1e-9);
            if (t > 0)
                assert_float_equal(res.trace.positions[t * EMISSION_ACTORS + a],
                                   ref.x[t][a], 0.5e-4 + 1e-9);
        }
    }
    /* Round 1 in full (the reference's risk exponents to 4 decimals). */
    static const double r1[EMISSION_ACTORS] = {1.4057, 0.7542, 0.5089, 1.4057, 1.0465,
                                               1.0465, 1.9649, 0.5,    2.0,    1.1121};
    for (size_t a = 0; a < EMISSION_ACTORS; a++)
        assert_float_equal(det.risk[a], r1[a], 0.5e-4 + 1e-9);
    /* Offers of round 1 (_offers.txt): Belgium (1) compromises with France (4)
     * at E -0.114830503 vs 0.243296595; Luxembourg (2) loses a conflict to
     * Belgium; Ireland (7) to Luxembourg (at 4). */
    assert_int_equal(det.offer_kind[1], PARLEY_BDM_OFFER_COMPROMISE);
    assert_int_equal(det.offer_from[1], 4);
    assert_float_equal(det.eu_own[1], -0.11483050347300794, 1e-9);
    assert_float_equal(det.eu_other[1], 0.2432965945234421, 1e-9);
    assert_int_equal(det.offer_kind[2], PARLEY_BDM_OFFER_CONFLICT);
    assert_int_equal(det.offer_from[2], 1);
    assert_float_equal(det.eu_own[2], 0.24550922248250817, 1e-9);
    assert_float_equal(det.eu_other[2], 0.542246100211495, 1e-9);
    assert_int_equal(det.offer_kind[7], PARLEY_BDM_OFFER_CONFLICT);
    assert_float_equal(res.trace.positions[EMISSION_ACTORS + 7], 4.0, 0.0);
    assert_float_equal(res.trace.positions[EMISSION_ACTORS + 1], 8.415932315426764, 1e-9);
    for (size_t a = 0; a < EMISSION_ACTORS; a++)
        if (a != 1 && a != 2 && a != 7)
            assert_int_equal(det.offer_kind[a], PARLEY_BDM_OFFER_NONE);
    /* Round 4: Scholz's compromise key sends Belgium towards the Netherlands. */
    size_t m4 = 3 * EMISSION_ACTORS + 1;
    assert_int_equal(det.offer_kind[m4], PARLEY_BDM_OFFER_COMPROMISE);
    assert_int_equal(det.offer_from[m4], 0);
    assert_float_equal(det.eu_own[m4], -0.7153336335609584, 1e-9);
    assert_float_equal(det.eu_other[m4], 0.826336595809209, 1e-9);
    parley_bdm_details_free(&det);
    parley_bargain_result_free(&res);
    parley_bargain_problem_free(p);
}

/* Three actors on 0..100: A (c 1, x 0, s 1), B (c 1, x 50, s 0.5),
 * C (c 2, x 100, s 0.5); weights w = 1, 0.5, 1; R = 100.
 * Security pass (all r = 1). Scholz's denominator: each voter's pair sums of
 * |u(a) - u(b)| over ordered pairs are A: 2(0.5+1+0.5) = 4, B: 2(0.5+0+0.5) = 2,
 * C: 4, so D = 1*4 + 0.5*2 + 1*4 = 9.
 *   P_BA = (B's vote 0.5*0.5 + C's 1*0.5)/9 = 1/12; E(B->A) = s_A (2P - 1) = -5/6
 *     (U_s = 1, U_f = -1 at d = 0.5; U_sq = 0 at r = 1).
 *   P_CA = (C's 1*1)/9 = 1/9; at d = 1 U_s = 2, U_f = -2: E(C->A) = 4/9 - 2 = -14/9.
 *   Sec_A = -43/18. Likewise E(A->B) = P_AB = 1/18, E(C->B) = 1/18: Sec_B = 1/9;
 *   E(A->C) = 2 P_AC = 2/9, E(B->C) = P_BC = 1/12: Sec_C = 11/36.
 * R_A = -1, R_B = 83/97, R_C = 1, so r = 2, 104/187, 1/2.
 * Offers (computed with those r): A gets none; B's E^B(U_BA) = -0.5828 and
 * E^B(U_AB) = 0.1119, so B capitulates to A (its loss outweighs A's gain);
 * C sees B with E^C(U_CB) = 0.1517 < E^C(U_BC) = 0.1816 and loses a conflict,
 * moving to 50. After round 1: positions 0, 0, 50; median 0; mean 50/2.5 = 20. */
static void test_three_actors_by_hand(void **state)
{
    (void)state;
    const double c[3] = {1, 1, 2}, x[3] = {0, 50, 100}, s[3] = {1, 0.5, 0.5};
    parley_bargain_problem *p = one_issue(3, c, x, s);
    parley_bdm_options o;
    parley_bdm_options_default(&o);
    o.rounds = 1;
    for (int alg = 0; alg < 2; alg++) {
        o.algorithm = alg ? PARLEY_BDM_NAIVE : PARLEY_BDM_FAST;
        parley_bargain_result res;
        parley_bdm_details det;
        run_ok(p, &o, &res, &det);
        assert_float_equal(det.security[0], -43.0 / 18.0, 1e-12);
        assert_float_equal(det.security[1], 1.0 / 9.0, 1e-12);
        assert_float_equal(det.security[2], 11.0 / 36.0, 1e-12);
        assert_float_equal(det.risk[0], 2.0, 1e-12);
        assert_float_equal(det.risk[1], 104.0 / 187.0, 1e-12);
        assert_float_equal(det.risk[2], 0.5, 1e-12);
        assert_int_equal(det.offer_kind[0], PARLEY_BDM_OFFER_NONE);
        assert_int_equal(det.offer_kind[1], PARLEY_BDM_OFFER_CAPITULATION);
        assert_int_equal(det.offer_from[1], 0);
        assert_float_equal(det.eu_own[1], -0.5827562679661984, 1e-9);
        assert_float_equal(det.eu_other[1], 0.1118607357670226, 1e-9);
        assert_int_equal(det.offer_kind[2], PARLEY_BDM_OFFER_CONFLICT);
        assert_int_equal(det.offer_from[2], 1);
        assert_float_equal(res.trace.positions[3 + 0], 0.0, 0.0);
        assert_float_equal(res.trace.positions[3 + 1], 0.0, 0.0);
        assert_float_equal(res.trace.positions[3 + 2], 50.0, 0.0);
        assert_float_equal(res.trace.median[1], 0.0, 0.0);
        assert_float_equal(res.trace.mean[1], 20.0, 1e-12);
        assert_float_equal(res.forecast[0], 0.0, 0.0);
        parley_bdm_details_free(&det);
        parley_bargain_result_free(&res);
    }
    /* Without capitulation (jmckib's effective rule) B stays at 50. */
    o.capitulation = false;
    parley_bargain_result res;
    run_ok(p, &o, &res, NULL);
    assert_float_equal(res.trace.positions[3 + 1], 50.0, 0.0);
    parley_bargain_result_free(&res);
    parley_bargain_problem_free(p);
}

/* Two actors 50 apart (R = 50, so d = 1, U_s = 2, U_f = -2, U_sq = 0 at r = 1):
 * Sec_A = E(B->A) and Sec_B = E(A->B). The pair is symmetric, so securities tie
 * and r = 1 for both. Under Scholz's denominator each voter's |u(a) - u(b)|
 * sums to 2 over the ordered pairs, D = 4, and each side gets only its own
 * vote: P = 1/4. With s = 1, E = 4P - 2 = -1 < 0 for both: a stalemate. */
static void test_two_actor_stalemate(void **state)
{
    (void)state;
    const double c[2] = {1, 1}, x[2] = {20, 70}, s[2] = {1, 1};
    parley_bargain_problem *p = one_issue(2, c, x, s);
    parley_bargain_result res;
    parley_bdm_details det;
    run_ok(p, NULL, &res, &det);
    for (size_t t = 0; t < REF_ROUNDS; t++) {
        assert_float_equal(det.risk[t * 2], 1.0, 0.0);
        assert_float_equal(det.risk[t * 2 + 1], 1.0, 0.0);
        assert_int_equal(det.offer_kind[t * 2], PARLEY_BDM_OFFER_NONE);
    }
    assert_float_equal(det.security[0], -1.0, 1e-12);
    assert_float_equal(res.trace.positions[REF_ROUNDS * 2], 20.0, 0.0);
    assert_float_equal(res.trace.positions[REF_ROUNDS * 2 + 1], 70.0, 0.0);
    /* Equal weights split exactly: the lower weighted median. */
    assert_float_equal(res.forecast[0], 20.0, 0.0);
    assert_float_equal(res.trace.mean[REF_ROUNDS], 45.0, 1e-12);
    parley_bdm_details_free(&det);
    parley_bargain_result_free(&res);
    parley_bargain_problem_free(p);
}

static void test_unanimous(void **state)
{
    (void)state;
    const double c[4] = {1, 2, 3, 4}, x[4] = {30, 30, 30, 30}, s[4] = {0.2, 0.5, 1, 0.7};
    parley_bargain_problem *p = one_issue(4, c, x, s);
    parley_bargain_result res;
    run_ok(p, NULL, &res, NULL);
    assert_float_equal(res.forecast[0], 30.0, 0.0);
    for (size_t t = 0; t <= REF_ROUNDS; t++) {
        assert_float_equal(res.trace.median[t], 30.0, 0.0);
        assert_float_equal(res.trace.mean[t], 30.0, 1e-12);
        for (size_t a = 0; a < 4; a++)
            assert_float_equal(res.trace.positions[t * 4 + a], 30.0, 0.0);
    }
    parley_bargain_result_free(&res);
    parley_bargain_problem_free(p);
}

/* A random one-issue problem of n actors on 0..100 (positions on a grid of
 * 5 so that shared positions occur). */
static parley_bargain_problem *random_problem(size_t n, uint64_t seed, bool grid)
{
    parley_rng rng;
    parley_rng_seed(&rng, seed);
    parley_bargain_problem *p = NULL;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_bargain_problem_new(n, 1, &p, &err), PARLEY_OK);
    for (size_t a = 0; a < n; a++) {
        p->capability[a] = 0.05 + parley_rng_uniform(&rng);
        p->position[a] = grid ? 5.0 * parley_rng_below(&rng, 21)
                              : 100.0 * parley_rng_uniform(&rng);
        p->salience[a] = 0.05 + 0.95 * parley_rng_uniform(&rng);
    }
    parley_error_clear(&err);
    return p;
}

static void check_in_range(const parley_bargain_problem *p, const parley_bargain_result *res)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t a = 0; a < p->n_actors; a++) {
        lo = fmin(lo, p->position[a]);
        hi = fmax(hi, p->position[a]);
    }
    for (size_t t = 0; t <= res->trace.rounds; t++) {
        assert_true(res->trace.median[t] >= lo && res->trace.median[t] <= hi);
        assert_true(res->trace.mean[t] >= lo - 1e-9 && res->trace.mean[t] <= hi + 1e-9);
        for (size_t a = 0; a < p->n_actors; a++) {
            double x = res->trace.positions[t * p->n_actors + a];
            assert_true(x >= lo - 1e-9 && x <= hi + 1e-9);
        }
    }
    assert_true(res->forecast[0] >= lo && res->forecast[0] <= hi);
}

static void test_forecast_within_range(void **state)
{
    (void)state;
    parley_bdm_options o;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        parley_bargain_problem *p = random_problem(3 + seed % 9, seed, seed % 2 == 0);
        for (int variant = 0; variant < 4; variant++) {
            parley_bdm_options_default(&o);
            o.rounds = 12;
            if (variant == 1) {
                o.probability = PARLEY_BDM_PROB_EQ31;
                o.Q = 0.5;
            } else if (variant == 2) {
                o.range = PARLEY_BDM_RANGE_EACH_ROUND;
                o.selection = PARLEY_BDM_SELECT_LEAST_MOVE;
                o.voter_risk = PARLEY_BDM_VOTER_NEUTRAL;
            } else if (variant == 3) {
                o.pair_risk = PARLEY_BDM_PAIR_OWN;
                o.Q = 0.3;
                o.T = PARLEY_BDM_T_ONE;
                o.mu = PARLEY_BDM_MU_MEAN;
                o.forecast = PARLEY_BDM_FORECAST_MEAN;
            }
            parley_bargain_result res;
            run_ok(p, &o, &res, NULL);
            check_in_range(p, &res);
            parley_bargain_result_free(&res);
        }
        parley_bargain_problem_free(p);
    }
}

static void test_permutation_invariant(void **state)
{
    (void)state;
    for (uint64_t seed = 0; seed < 6; seed++) {
        parley_bargain_problem *p = seed == 0 ? load_emission() : random_problem(9, seed, true);
        size_t n = p->n_actors;
        parley_bargain_problem *q = NULL;
        parley_error err;
        parley_error_init(&err);
        assert_int_equal(parley_bargain_problem_new(n, 1, &q, &err), PARLEY_OK);
        size_t perm[16];
        for (size_t a = 0; a < n; a++)
            perm[a] = (a * 7 + 3) % n; /* 7 is coprime with 9 and 10 */
        for (size_t a = 0; a < n; a++) {
            q->capability[a] = p->capability[perm[a]];
            q->position[a] = p->position[perm[a]];
            q->salience[a] = p->salience[perm[a]];
        }
        parley_bargain_result rp, rq;
        run_ok(p, NULL, &rp, NULL);
        run_ok(q, NULL, &rq, NULL);
        for (size_t t = 0; t <= REF_ROUNDS; t++) {
            assert_float_equal(rp.trace.median[t], rq.trace.median[t], 0.0);
            assert_float_equal(rp.trace.mean[t], rq.trace.mean[t], 1e-12);
            for (size_t a = 0; a < n; a++)
                assert_float_equal(rq.trace.positions[t * n + a],
                                   rp.trace.positions[t * n + perm[a]], 0.0);
        }
        parley_bargain_result_free(&rp);
        parley_bargain_result_free(&rq);
        parley_bargain_problem_free(p);
        parley_bargain_problem_free(q);
        parley_error_clear(&err);
    }
}

static void test_capability_scale_invariant(void **state)
{
    (void)state;
    const double factors[3] = {4.0, 0.125, 3.7};
    for (uint64_t seed = 0; seed < 4; seed++) {
        for (int f = 0; f < 3; f++) {
            parley_bargain_problem *p = seed == 0 ? load_emission() : random_problem(8, seed, false);
            parley_bargain_result a, b;
            run_ok(p, NULL, &a, NULL);
            for (size_t k = 0; k < p->n_actors; k++)
                p->capability[k] *= factors[f];
            run_ok(p, NULL, &b, NULL);
            for (size_t t = 0; t <= REF_ROUNDS; t++) {
                assert_float_equal(a.trace.median[t], b.trace.median[t], 1e-9);
                assert_float_equal(a.trace.mean[t], b.trace.mean[t], 1e-9);
            }
            for (size_t k = 0; k < (REF_ROUNDS + 1) * p->n_actors; k++)
                assert_float_equal(a.trace.positions[k], b.trace.positions[k], 1e-9);
            parley_bargain_result_free(&a);
            parley_bargain_result_free(&b);
            parley_bargain_problem_free(p);
        }
    }
}

/* The fast probability path against the direct sums, under each probability
 * and exponent variant, on shared and distinct positions. */
static void test_fast_equals_naive(void **state)
{
    (void)state;
    for (uint64_t seed = 0; seed < 12; seed++) {
        parley_bargain_problem *p =
            seed == 0 ? load_emission() : random_problem(4 + 3 * seed, seed, seed % 3 == 0);
        for (int variant = 0; variant < 3; variant++) {
            parley_bdm_options o;
            parley_bdm_options_default(&o);
            o.rounds = 10;
            if (variant == 1)
                o.probability = PARLEY_BDM_PROB_EQ31;
            if (variant == 2) {
                o.voter_risk = PARLEY_BDM_VOTER_NEUTRAL;
                o.range = PARLEY_BDM_RANGE_EACH_ROUND;
            }
            parley_bargain_result fast, naive;
            parley_bdm_details df, dn;
            run_ok(p, &o, &fast, &df);
            o.algorithm = PARLEY_BDM_NAIVE;
            run_ok(p, &o, &naive, &dn);
            size_t n = p->n_actors;
            for (size_t k = 0; k < (o.rounds + 1) * n; k++)
                assert_float_equal(fast.trace.positions[k], naive.trace.positions[k], 1e-9);
            for (size_t k = 0; k < o.rounds * n; k++) {
                assert_float_equal(df.risk[k], dn.risk[k], 1e-9);
                assert_int_equal(df.offer_kind[k], dn.offer_kind[k]);
                if (!isnan(dn.eu_own[k])) {
                    assert_float_equal(df.eu_own[k], dn.eu_own[k], 1e-9);
                    assert_float_equal(df.eu_other[k], dn.eu_other[k], 1e-9);
                }
            }
            parley_bdm_details_free(&df);
            parley_bdm_details_free(&dn);
            parley_bargain_result_free(&fast);
            parley_bargain_result_free(&naive);
        }
        parley_bargain_problem_free(p);
    }
}

/* Under eq. 31 the probabilities of a pair sum to 1: with two actors of equal
 * weight at 0 and 100 each gets 1/2, so s = 1 gives E = U_s/2 + U_f/2 - U_sq
 * = 0 at r = 1: neither challenges. */
static void test_eq31_two_actors(void **state)
{
    (void)state;
    const double c[2] = {1, 1}, x[2] = {0, 100}, s[2] = {1, 1};
    parley_bargain_problem *p = one_issue(2, c, x, s);
    parley_bdm_options o;
    parley_bdm_options_default(&o);
    o.probability = PARLEY_BDM_PROB_EQ31;
    o.rounds = 1;
    parley_bargain_result res;
    parley_bdm_details det;
    run_ok(p, &o, &res, &det);
    assert_float_equal(det.security[0], 0.0, 1e-12);
    assert_float_equal(det.security[1], 0.0, 1e-12);
    assert_int_equal(det.offer_kind[0], PARLEY_BDM_OFFER_NONE);
    assert_int_equal(det.offer_kind[1], PARLEY_BDM_OFFER_NONE);
    parley_bdm_details_free(&det);
    parley_bargain_result_free(&res);
    parley_bargain_problem_free(p);
}

/* Actors without a stance (NAN) sit out; issues are independent. */
static void test_missing_stance_and_issues(void **state)
{
    (void)state;
    parley_bargain_problem *e = load_emission();
    parley_bargain_problem *p = NULL;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_bargain_problem_new(EMISSION_ACTORS + 1, 2, &p, &err), PARLEY_OK);
    for (size_t a = 0; a < EMISSION_ACTORS; a++) {
        for (size_t i = 0; i < 2; i++) {
            p->capability[a * 2 + i] = e->capability[a];
            p->salience[a * 2 + i] = e->salience[a];
        }
        p->position[a * 2] = e->position[a];
        p->position[a * 2 + 1] = 100.0 - 10.0 * e->position[a]; /* mirrored, rescaled */
    }
    p->capability[EMISSION_ACTORS * 2] = 5.0; /* a heavyweight with no stance on issue 0 */
    p->salience[EMISSION_ACTORS * 2] = 0.0;
    p->capability[EMISSION_ACTORS * 2 + 1] = 0.0;
    p->salience[EMISSION_ACTORS * 2 + 1] = 0.0;
    p->position[EMISSION_ACTORS * 2 + 1] = NAN;
    parley_bargain_result res, ref;
    run_ok(p, NULL, &res, NULL);
    run_ok(e, NULL, &ref, NULL);
    for (size_t t = 0; t <= REF_ROUNDS; t++)
        assert_float_equal(res.trace.median[t * 2], ref.trace.median[t], 0.0);
    assert_float_equal(res.forecast[0], ref.forecast[0], 0.0);
    assert_true(isnan(res.trace.positions[(REF_ROUNDS * (EMISSION_ACTORS + 1) + EMISSION_ACTORS) * 2 + 1]));
    assert_true(res.forecast[1] >= 0.0 && res.forecast[1] <= 60.0);
    parley_bargain_result_free(&res);
    parley_bargain_result_free(&ref);
    parley_bargain_problem_free(p);
    parley_bargain_problem_free(e);
    parley_error_clear(&err);
}

static void test_rejects_bad_input(void **state)
{
    (void)state;
    const double c[3] = {1, -1, 1}, x[3] = {0, 50, INFINITY}, s[3] = {1.5, 0.5, 0.5};
    parley_bargain_problem *p = one_issue(3, c, x, s);
    parley_bdm_options o;
    parley_bdm_options_default(&o);
    o.Q = 1.5;
    parley_bargain_result res;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_bdm_run(p, &o, &res, &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 4); /* Q, salience[0], capability[1], position[2] */
    assert_null(res.forecast);
    parley_error_clear(&err);
    o.Q = 1.0;
    o.rounds = PARLEY_BDM_MAX_ROUNDS + 1;
    p->capability[1] = 1;
    p->salience[0] = 1;
    p->position[2] = 100;
    assert_int_equal(parley_bdm_run(p, &o, &res, &err), PARLEY_ELIMIT);
    parley_error_clear(&err);
    parley_bargain_problem_free(p);
}

/* The 200-actor case runs (its time is measured in bench/bench_bdm.c). */
static void test_two_hundred_actors(void **state)
{
    (void)state;
    parley_bargain_problem *p = random_problem(200, 77, false);
    parley_bargain_result res;
    run_ok(p, NULL, &res, NULL);
    check_in_range(p, &res);
    parley_bargain_result_free(&res);
    parley_bargain_problem_free(p);
}

#ifdef PARLEY_FAULT_INJECTION
/* Every allocation of a run with details fails in turn: the run reports
 * PARLEY_ENOMEM and leaves result and details empty (the sanitizer build
 * checks that nothing leaks). */
static void test_out_of_memory(void **state)
{
    (void)state;
    parley_bargain_problem *p = load_emission();
    for (unsigned long n = 1;; n++) {
        parley_bargain_result res;
        parley_bdm_details det;
        parley_error err;
        parley_error_init(&err);
        parley__fault_arm(n, 0);
        parley_status st = parley_bdm_run_detailed(p, NULL, &res, &det, &err);
        int fired = parley__fault_triggered();
        parley__fault_arm(0, 0);
        if (!fired) {
            assert_int_equal(st, PARLEY_OK);
            parley_bdm_details_free(&det);
            parley_bargain_result_free(&res);
            parley_error_clear(&err);
            break;
        }
        assert_int_equal(st, PARLEY_ENOMEM);
        assert_null(res.forecast);
        assert_null(res.trace.positions);
        assert_null(det.risk);
        parley_error_clear(&err);
    }
    parley_bargain_problem_free(p);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emission_table2),
        cmocka_unit_test(test_emission_matches_replication),
        cmocka_unit_test(test_three_actors_by_hand),
        cmocka_unit_test(test_two_actor_stalemate),
        cmocka_unit_test(test_unanimous),
        cmocka_unit_test(test_forecast_within_range),
        cmocka_unit_test(test_permutation_invariant),
        cmocka_unit_test(test_capability_scale_invariant),
        cmocka_unit_test(test_fast_equals_naive),
        cmocka_unit_test(test_eq31_two_actors),
        cmocka_unit_test(test_missing_stance_and_issues),
        cmocka_unit_test(test_rejects_bad_input),
        cmocka_unit_test(test_two_hundred_actors),
#ifdef PARLEY_FAULT_INJECTION
        cmocka_unit_test(test_out_of_memory),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
