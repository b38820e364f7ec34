/* The static models (compromise, weighted median, NBS) on hand-computed cases
 * of 3-5 actors, every tie and status-quo policy, and the invariants every
 * forecast must keep, checked over seeded random problems: the forecast lies
 * within the positions' range, permuting actors or scaling all capabilities
 * changes nothing, and a unanimous position is the forecast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/bargain.h"
#include "parley/rng.h"

/* A problem of n actors on one issue (scale 0..100, status quo q). */
static parley_bargain_problem *one_issue(size_t n, const double *x, const double *c,
                                         const double *s, double q)
{
    parley_bargain_problem *p;
    parley_error err = {0};
    assert_int_equal(parley_bargain_problem_new(n, 1, &p, &err), PARLEY_OK);
    for (size_t a = 0; a < n; a++) {
        char id[16];
        snprintf(id, sizeof id, "A%zu", a);
        p->actor_ids[a] = strdup(id);
        p->actor_names[a] = strdup(id);
        p->position[a] = x[a];
        p->capability[a] = c[a];
        p->salience[a] = s[a];
    }
    p->issue_ids[0] = strdup("issue");
    p->status_quo[0] = q;
    parley_error_clear(&err);
    return p;
}

static double run1(const parley_bargain_problem *p, parley_bargain_model m,
                   const parley_bargain_settings *settings)
{
    parley_bargain_result r;
    parley_error err = {0};
    assert_int_equal(parley_bargain_forecast(p, m, settings, &r, &err), PARLEY_OK);
    assert_int_equal(r.model, m);
    assert_int_equal(r.n_issues, p->n_issues);
    double f = r.forecast[0];
    parley_bargain_result_free(&r);
    parley_error_clear(&err);
    return f;
}

static void test_model_names(void **state)
{
    (void)state;
    static const char *const names[] = {"compromise", "median", "nbs", "bdm", "exchange", "smp"};
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++) {
        parley_bargain_model back;
        assert_string_equal(parley_bargain_model_name((parley_bargain_model)m), names[m]);
        assert_true(parley_bargain_model_from_name(names[m], &back));
        assert_int_equal(back, m);
    }
    assert_false(parley_bargain_model_from_name("nash", NULL));
}

/* w = c s = (1, 1, 0.25): (10 + 40 + 0.25 x 90) / 2.25 = 72.5 / 2.25. */
static void test_compromise_hand(void **state)
{
    (void)state;
    const double x[] = {10, 40, 90}, c[] = {2, 1, 1}, s[] = {0.5, 1, 0.25};
    parley_bargain_problem *p = one_issue(3, x, c, s, NAN);
    assert_float_equal(run1(p, PARLEY_MODEL_COMPROMISE, NULL), 72.5 / 2.25, 1e-12);
    parley_bargain_problem_free(p);
}

/* BDM (1994)'s car-emission table: sum c s x = 5.003 over sum c s = 0.677. */
static void test_compromise_emission(void **state)
{
    (void)state;
    const double x[] = {4, 7, 4, 4, 10, 10, 10, 7, 4, 7};
    const double c[] = {0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08};
    const double s[] = {0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7};
    parley_bargain_problem *p = one_issue(10, x, c, s, NAN);
    assert_float_equal(run1(p, PARLEY_MODEL_COMPROMISE, NULL), 5.003 / 0.677, 1e-12);
    /* Weight at 4: 0.248 of 0.677, at 7: 0.093 more, 0.341 >= 0.3385: the median is 7. */
    assert_float_equal(run1(p, PARLEY_MODEL_MEDIAN, NULL), 7.0, 0.0);
    parley_bargain_problem_free(p);
}

/* Zero salience drops an actor; no weight at all gives no forecast. */
static void test_compromise_no_weight(void **state)
{
    (void)state;
    const double x[] = {0, 100, 30}, c[] = {1, 1, 1}, s[] = {0, 0, 0};
    parley_bargain_problem *p = one_issue(3, x, c, s, NAN);
    assert_true(isnan(run1(p, PARLEY_MODEL_COMPROMISE, NULL)));
    assert_true(isnan(run1(p, PARLEY_MODEL_MEDIAN, NULL)));
    assert_true(isnan(run1(p, PARLEY_MODEL_NBS, NULL)));
    p->salience[2] = 0.5;
    assert_float_equal(run1(p, PARLEY_MODEL_COMPROMISE, NULL), 30.0, 0.0);
    parley_bargain_problem_free(p);
}

/* Four equal weights: the cumulative share is exactly 1/2 at 10. */
static void test_median_ties(void **state)
{
    (void)state;
    const double x[] = {20, 0, 30, 10}, c[] = {1, 1, 1, 1}, s[] = {1, 1, 1, 1};
    parley_bargain_problem *p = one_issue(4, x, c, s, NAN);
    parley_median_options mo;
    parley_bargain_settings set;
    parley_bargain_settings_default(&set);
    set.median = &mo;
    const double expect[3] = {10, 20, 15};
    for (int method = 0; method < 2; method++)
        for (int tie = 0; tie < 3; tie++) {
            parley_median_options_default(&mo);
            mo.tie = (parley_median_tie)tie;
            mo.method = (parley_median_method)method;
            assert_float_equal(run1(p, PARLEY_MODEL_MEDIAN, &set), expect[tie], 1e-12);
        }
    /* Without a tie every convention and both methods agree: capability 2 for
     * the actor at 20 puts the half there (cumulative 0.4 at 10, 0.8 at 20). */
    p->capability[0] = 2;
    for (int method = 0; method < 2; method++)
        for (int tie = 0; tie < 3; tie++) {
            parley_median_options_default(&mo);
            mo.tie = (parley_median_tie)tie;
            mo.method = (parley_median_method)method;
            assert_float_equal(run1(p, PARLEY_MODEL_MEDIAN, &set), 20.0, 0.0);
        }
    parley_bargain_problem_free(p);
}

/* Quadratic NBS, q = 0, ideals 40 and 60, equal weights. The first-order
 * condition (x-40)/(1600-(x-40)^2) + (x-60)/(3600-(x-60)^2) = 0 has its root at
 * 46.27718676730986 (bisection to 1e-15 in a separate calculation); it is also
 * the fixed point x = sum (w/D) x_i / sum (w/D), D_i = d_i^2 - (x - x_i)^2. */
static void test_nbs_quadratic_hand(void **state)
{
    (void)state;
    const double x[] = {40, 60}, c[] = {1, 1}, s[] = {1, 1};
    parley_bargain_problem *p = one_issue(2, x, c, s, 0.0);
    double f = run1(p, PARLEY_MODEL_NBS, NULL);
    assert_float_equal(f, 46.27718676730986, 1e-9);
    double d1 = 1600 - (f - 40) * (f - 40), d2 = 3600 - (f - 60) * (f - 60);
    assert_float_equal(f, (40 / d1 + 60 / d2) / (1 / d1 + 1 / d2), 1e-9);
    parley_bargain_problem_free(p);
}

/* Linear NBS, q = 0, ideals 40 and 60: below 40 both gains equal x (rising);
 * on (40, 60) the log product is log(80 - x) + log(x), falling from 40 on; so
 * the solution is 40. With weight 3 on the actor at 60 the slope there is
 * -1/(80-x) + 3/x, zero at 60: the solution is 60. */
static void test_nbs_linear_hand(void **state)
{
    (void)state;
    const double x[] = {40, 60}, c[] = {1, 1}, s[] = {1, 1};
    parley_bargain_problem *p = one_issue(2, x, c, s, 0.0);
    parley_nbs_options no;
    parley_nbs_options_default(&no);
    no.utility = PARLEY_NBS_LINEAR;
    parley_bargain_settings set;
    parley_bargain_settings_default(&set);
    set.nbs = &no;
    assert_float_equal(run1(p, PARLEY_MODEL_NBS, &set), 40.0, 1e-9);
    p->capability[1] = 3;
    assert_float_equal(run1(p, PARLEY_MODEL_NBS, &set), 60.0, 1e-9);
    /* Weights c instead of c s: salience no longer matters. */
    p->salience[1] = 1.0 / 3.0;
    no.weight = PARLEY_NBS_WEIGHT_C;
    assert_float_equal(run1(p, PARLEY_MODEL_NBS, &set), 60.0, 1e-9);
    parley_bargain_problem_free(p);
}

static void test_nbs_policies(void **state)
{
    (void)state;
    parley_nbs_options no;
    parley_bargain_settings set;
    parley_bargain_settings_default(&set);
    set.nbs = &no;

    /* One actor at q = 50: excluded, the other two bargain; or it vetoes. */
    const double x[] = {50, 70, 80}, c[] = {1, 1, 1}, s[] = {1, 1, 1};
    parley_bargain_problem *p = one_issue(3, x, c, s, 50.0);
    const double x2[] = {70, 80};
    parley_bargain_problem *two = one_issue(2, x2, c, s, 50.0);
    parley_nbs_options_default(&no);
    double f = run1(p, PARLEY_MODEL_NBS, &set);
    assert_float_equal(f, run1(two, PARLEY_MODEL_NBS, &set), 1e-12);
    assert_true(f > 70.0 && f < 80.0);
    no.at_status_quo = PARLEY_NBS_UNANIMITY;
    assert_float_equal(run1(p, PARLEY_MODEL_NBS, &set), 50.0, 0.0);

    /* Actors on both sides of q: disagreement, or the heavier side alone. */
    p->position[0] = 30;
    parley_nbs_options_default(&no);
    assert_float_equal(run1(p, PARLEY_MODEL_NBS, &set), 50.0, 0.0);
    no.split = PARLEY_NBS_SPLIT_MAJORITY;
    assert_float_equal(run1(p, PARLEY_MODEL_NBS, &set), run1(two, PARLEY_MODEL_NBS, &set), 1e-12);
    p->capability[0] = 2; /* equal weight on each side: no side prevails */
    assert_float_equal(run1(p, PARLEY_MODEL_NBS, &set), 50.0, 0.0);
    p->capability[0] = 3; /* the lone actor below outweighs the two above */
    assert_float_equal(run1(p, PARLEY_MODEL_NBS, &set), 30.0, 1e-9);

    /* Unknown status quo: each actor's worst scale end. Ideals 20 and 80 on
     * 0..100 with equal weights both have d = 80: by symmetry the answer is 50. */
    const double x3[] = {20, 80};
    parley_bargain_problem *sym = one_issue(2, x3, c, s, NAN);
    parley_nbs_options_default(&no);
    assert_float_equal(run1(sym, PARLEY_MODEL_NBS, &set), 50.0, 1e-9);
    no.unknown_status_quo = PARLEY_NBS_SQ_NONE;
    assert_true(isnan(run1(sym, PARLEY_MODEL_NBS, &set)));
    parley_bargain_problem_free(sym);
    parley_bargain_problem_free(two);
    parley_bargain_problem_free(p);
}

/* ---- invariants over random problems ---- */

#define N_RANDOM 300

static parley_bargain_problem *random_problem(parley_rng *rng, bool with_sq)
{
    size_t na = 3 + parley_rng_below(rng, 10), ni = 1 + parley_rng_below(rng, 4);
    parley_bargain_problem *p;
    parley_error err = {0};
    assert_int_equal(parley_bargain_problem_new(na, ni, &p, &err), PARLEY_OK);
    for (size_t a = 0; a < na; a++) {
        char id[16];
        snprintf(id, sizeof id, "A%zu", a);
        p->actor_ids[a] = strdup(id);
        p->actor_names[a] = strdup(id);
    }
    for (size_t i = 0; i < ni; i++) {
        char id[16];
        snprintf(id, sizeof id, "I%zu", i);
        p->issue_ids[i] = strdup(id);
        /* Status quo often equal to some actor's position, to reach that policy. */
        p->status_quo[i] = !with_sq ? NAN
                           : parley_rng_bernoulli(rng, 0.3)
                               ? 10.0 * parley_rng_below(rng, 11)
                               : 100.0 * parley_rng_uniform(rng);
    }
    for (size_t a = 0; a < na; a++)
        for (size_t i = 0; i < ni; i++) {
            size_t k = a * ni + i;
            /* Coarse grids make ties and shared positions common. */
            p->position[k] = parley_rng_bernoulli(rng, 0.5) ? 10.0 * parley_rng_below(rng, 11)
                                                            : 100.0 * parley_rng_uniform(rng);
            p->salience[k] = parley_rng_bernoulli(rng, 0.15) ? 0.0 : parley_rng_uniform(rng);
            p->capability[k] = 0.1 + 10.0 * parley_rng_uniform(rng);
        }
    parley_error_clear(&err);
    return p;
}

static void forecast_all(const parley_bargain_problem *p, parley_bargain_model m,
                         const parley_bargain_settings *set, double *out)
{
    parley_bargain_result r;
    parley_error err = {0};
    assert_int_equal(parley_bargain_forecast(p, m, set, &r, &err), PARLEY_OK);
    memcpy(out, r.forecast, p->n_issues * sizeof *out);
    parley_bargain_result_free(&r);
    parley_error_clear(&err);
}

static void assert_same(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(a[i])) {
            assert_true(isnan(b[i]));
            continue;
        }
        assert_float_equal(a[i], b[i], 1e-9 * (1.0 + fabs(a[i])));
    }
}

/* Every option setting of the static models that the invariants must hold for. */
typedef struct variant {
    parley_bargain_model model;
    parley_median_options median;
    parley_nbs_options nbs;
} variant;

static size_t variants(variant *v)
{
    size_t n = 0;
    v[n].model = PARLEY_MODEL_COMPROMISE;
    n++;
    for (int method = 0; method < 2; method++)
        for (int tie = 0; tie < 3; tie++) {
            v[n].model = PARLEY_MODEL_MEDIAN;
            parley_median_options_default(&v[n].median);
            v[n].median.tie = (parley_median_tie)tie;
            v[n].median.method = (parley_median_method)method;
            n++;
        }
    for (int u = 0; u < 2; u++)
        for (int at = 0; at < 2; at++)
            for (int split = 0; split < 2; split++)
                for (int w = 0; w < 2; w++) {
                    v[n].model = PARLEY_MODEL_NBS;
                    parley_nbs_options_default(&v[n].nbs);
                    v[n].nbs.utility = (parley_nbs_utility)u;
                    v[n].nbs.at_status_quo = (parley_nbs_at_status_quo)at;
                    v[n].nbs.split = (parley_nbs_split)split;
                    v[n].nbs.weight = (parley_nbs_weight)w;
                    n++;
                }
    return n;
}

static void test_invariants(void **state)
{
    (void)state;
    variant v[32];
    size_t nv = variants(v);
    parley_stream_id id = {.seed = 20240601, .mechanism = PARLEY_MECH_BARGAIN};
    parley_rng rng;
    parley_rng_init(&rng, &id);
    for (int trial = 0; trial < N_RANDOM; trial++) {
        parley_bargain_problem *p = random_problem(&rng, trial % 3 != 0);
        size_t na = p->n_actors, ni = p->n_issues;
        double base[8], other[8];
        size_t order[16];
        for (size_t a = 0; a < na; a++)
            order[a] = a;
        for (size_t a = na; a > 1; a--) {
            size_t j = parley_rng_below(&rng, (uint32_t)a), t = order[a - 1];
            order[a - 1] = order[j];
            order[j] = t;
        }
        double scale = 0.001 + 1000.0 * parley_rng_uniform(&rng);
        for (size_t k = 0; k < nv; k++) {
            parley_bargain_settings set;
            parley_bargain_settings_default(&set);
            set.median = &v[k].median;
            set.nbs = &v[k].nbs;
            forecast_all(p, v[k].model, &set, base);
            for (size_t i = 0; i < ni; i++) {
                double lo = INFINITY, hi = -INFINITY;
                for (size_t a = 0; a < na; a++)
                    if (p->salience[a * ni + i] > 0.0) {
                        lo = fmin(lo, p->position[a * ni + i]);
                        hi = fmax(hi, p->position[a * ni + i]);
                    }
                if (lo > hi) {
                    assert_true(isnan(base[i]));
                    continue;
                }
                if (isnan(base[i]))
                    continue; /* NBS without a status quo, SQ_NONE is not among the variants */
                assert_true(base[i] >= lo && base[i] <= hi);
            }
            /* Permuting the actors. */
            parley_bargain_problem *q;
            parley_error err = {0};
            size_t all[8];
            for (size_t i = 0; i < ni; i++)
                all[i] = i;
            assert_int_equal(parley_bargain_problem_subset(p, all, ni, &q, &err), PARLEY_OK);
            for (size_t a = 0; a < na; a++)
                for (size_t i = 0; i < ni; i++) {
                    size_t from = order[a] * ni + i, to = a * ni + i;
                    q->position[to] = p->position[from];
                    q->salience[to] = p->salience[from];
                    q->capability[to] = p->capability[from];
                }
            forecast_all(q, v[k].model, &set, other);
            assert_same(base, other, ni);
            /* Scaling every capability. */
            for (size_t c = 0; c < na * ni; c++)
                q->capability[c] = p->capability[c] * scale;
            for (size_t c = 0; c < na * ni; c++) {
                q->position[c] = p->position[c];
                q->salience[c] = p->salience[c];
            }
            forecast_all(q, v[k].model, &set, other);
            assert_same(base, other, ni);
            /* A unanimous position is the forecast, whatever the status quo. */
            for (size_t c = 0; c < na * ni; c++) {
                q->position[c] = 37.5;
                q->salience[c] = 0.2 + 0.8 * parley_rng_uniform(&rng);
            }
            forecast_all(q, v[k].model, &set, other);
            for (size_t i = 0; i < ni; i++)
                assert_float_equal(other[i], 37.5, 1e-12);
            parley_bargain_problem_free(q);
            parley_error_clear(&err);
        }
        parley_bargain_problem_free(p);
    }
}

/* The two median methods agree on every random problem and tie convention. */
static void test_median_methods_agree(void **state)
{
    (void)state;
    parley_stream_id id = {.seed = 7, .mechanism = PARLEY_MECH_BARGAIN};
    parley_rng rng;
    parley_rng_init(&rng, &id);
    for (int trial = 0; trial < N_RANDOM; trial++) {
        parley_bargain_problem *p = random_problem(&rng, false);
        for (int tie = 0; tie < 3; tie++) {
            parley_median_options a, b;
            parley_median_options_default(&a);
            a.tie = (parley_median_tie)tie;
            b = a;
            b.method = PARLEY_MEDIAN_PAIRWISE;
            double fa[8], fb[8];
            parley_bargain_settings set;
            parley_bargain_settings_default(&set);
            set.median = &a;
            forecast_all(p, PARLEY_MODEL_MEDIAN, &set, fa);
            set.median = &b;
            forecast_all(p, PARLEY_MODEL_MEDIAN, &set, fb);
            assert_same(fa, fb, p->n_issues);
        }
        parley_bargain_problem_free(p);
    }
}

/* The dispatcher validates: every bad number is reported, located by ids. */
static void test_validation(void **state)
{
    (void)state;
    const double x[] = {10, 20, 30}, c[] = {1, -1, 1}, s[] = {0.5, 1.5, 0.5};
    parley_bargain_problem *p = one_issue(3, x, c, s, NAN);
    p->position[2] = NAN;
    parley_bargain_result r;
    parley_error err = {0};
    assert_int_equal(parley_bargain_forecast(p, PARLEY_MODEL_COMPROMISE, NULL, &r, &err),
                     PARLEY_EINPUT);
    assert_int_equal(err.count, 3);
    assert_string_equal(err.items[0].where, "actor 'A1', issue 'issue'");
    assert_non_null(strstr(err.items[0].what, "capability -1"));
    assert_non_null(strstr(err.items[1].what, "salience 1.5 must be in [0, 1]"));
    assert_string_equal(err.items[2].where, "actor 'A2', issue 'issue'");
    parley_error_clear(&err);
    assert_int_equal(parley_bargain_problem_validate(p, "f.csv", &err), PARLEY_EINPUT);
    assert_string_equal(err.items[0].where, "f.csv: actor 'A1', issue 'issue'");
    parley_error_clear(&err);
    p->scale_min[0] = 100;
    p->capability[1] = 1;
    p->salience[1] = 1;
    p->position[2] = 1;
    assert_int_equal(parley_bargain_problem_validate(p, NULL, &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 1);
    assert_non_null(strstr(err.items[0].what, "minimum < maximum"));
    parley_error_clear(&err);
    parley_bargain_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_names),
        cmocka_unit_test(test_compromise_hand),
        cmocka_unit_test(test_compromise_emission),
        cmocka_unit_test(test_compromise_no_weight),
        cmocka_unit_test(test_median_ties),
        cmocka_unit_test(test_nbs_quadratic_hand),
        cmocka_unit_test(test_nbs_linear_hand),
        cmocka_unit_test(test_nbs_policies),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_median_methods_agree),
        cmocka_unit_test(test_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
