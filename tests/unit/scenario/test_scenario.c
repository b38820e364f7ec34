/* The scenario module: loading tests/data/minimal.json and the built-ins,
 * accessors and defaults, load -> dump -> load identity, --set and the fast
 * numeric setter, uncertainty draws against hand-computed moments, built-in
 * name resolution, the malformed corpus (exact first diagnostic of each case in
 * tests/malformed/expected.txt) and generated hostile inputs. */
#include "parley/scenario.h"
#include "scenario/model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MINIMAL PARLEY_SOURCE_DIR "/tests/data/minimal.json"

/* |a - b| <= eps, printing both values on failure (this cmocka compares floats only). */
#define assert_near(a, b, eps)                                                                 \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (!(fabs(a_ - b_) <= (eps))) {                                                       \
            print_error("%.17g != %.17g (within %g)\n", a_, b_, (double)(eps));                \
            fail();                                                                            \
        }                                                                                      \
    } while (0)

static parley_scenario *load_ok(const char *path)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_status st = parley_scenario_load_file(path, &sc, &err);
    for (size_t i = 0; i < err.count; i++)
        fprintf(stderr, "%s: %s\n", err.items[i].where, err.items[i].what);
    assert_int_equal(st, PARLEY_OK);
    assert_non_null(sc);
    parley_error_clear(&err);
    return sc;
}

static char *dump(const parley_scenario *sc)
{
    parley_error err;
    parley_error_init(&err);
    char *text = NULL;
    assert_int_equal(parley_scenario_dump(sc, 2, &text, &err), PARLEY_OK);
    parley_error_clear(&err);
    return text;
}

static void test_minimal_accessors(void **state)
{
    (void)state;
    parley_scenario *sc = load_ok(MINIMAL);
    assert_string_equal(parley_scenario_name(sc), "minimal");
    assert_int_equal(parley_scenario_actor_count(sc), 4);
    assert_int_equal(parley_scenario_issue_count(sc), 2);
    /* 1996-04 .. 1999-12 inclusive is 45 months */
    assert_int_equal(parley_scenario_rounds(sc), 45);
    assert_int_equal(parley_scenario_start(sc).year, 1996);
    assert_int_equal(parley_scenario_start(sc).month, 4);
    size_t dprk, dod, us, prc, pr;
    assert_true(parley_scenario_actor_find(sc, "DPRK", &dprk));
    assert_true(parley_scenario_actor_find(sc, "DoD", &dod));
    assert_true(parley_scenario_actor_find(sc, "US", &us));
    assert_true(parley_scenario_actor_find(sc, "PRC", &prc));
    assert_false(parley_scenario_actor_find(sc, "ROK", NULL));
    assert_int_equal(dprk, 2);
    assert_string_equal(parley_scenario_actor_name(sc, dprk), "North Korea");
    assert_int_equal(parley_scenario_actor_kind(sc, dod), PARLEY_ACTOR_FACTION);
    assert_int_equal(parley_scenario_actor_kind(sc, prc), PARLEY_ACTOR_MEDIATOR);
    assert_near(parley_scenario_actor_capability(sc, dprk), 30, 0);
    assert_near(parley_scenario_actor_risk(sc, dprk), -0.5, 0);
    size_t parent = 99;
    assert_true(parley_scenario_actor_parent(sc, dod, &parent));
    assert_int_equal(parent, us);
    assert_false(parley_scenario_actor_parent(sc, us, NULL));
    /* at_table defaults by kind */
    assert_true(parley_scenario_actor_at_table(sc, us));
    assert_true(parley_scenario_actor_at_table(sc, prc));
    assert_false(parley_scenario_actor_at_table(sc, dod));
    assert_true(parley_scenario_issue_find(sc, "peace_regime", &pr));
    assert_int_equal(parley_scenario_issue_kind(sc, pr), PARLEY_ISSUE_PEACE_REGIME);
    assert_string_equal(parley_scenario_issue_label(sc, pr, false), "armistice only");
    double lo, hi, pos, sal;
    parley_scenario_issue_scale(sc, pr, &lo, &hi);
    assert_near(lo, 0, 0);
    assert_near(hi, 100, 0);
    assert_true(parley_scenario_stance(sc, dprk, pr, &pos, &sal));
    assert_near(pos, 90, 0);
    assert_near(sal, 0.8, 0);
    assert_false(parley_scenario_stance(sc, prc, 1, &pos, &sal));
    assert_true(isnan(pos));
    assert_near(sal, 0, 0);

    /* defaults and inherited values */
    double v;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_scenario_get_number(sc, "actors.US.discount", &v, &err), PARLEY_OK);
    assert_near(v, 0.9, 0);
    assert_int_equal(parley_scenario_get_number(sc, "issues.peace_regime.verification.detection",
                                                &v, &err),
                     PARLEY_OK);
    assert_near(v, 0.5, 0); /* policy.verification.detection */
    assert_int_equal(
        parley_scenario_get_number(sc, "issues.hotline.verification.detection", &v, &err),
        PARLEY_OK);
    assert_near(v, 0.9, 0);
    assert_int_equal(parley_scenario_get_number(sc, "trust.DPRK.US.alpha", &v, &err), PARLEY_OK);
    assert_near(v, 1.5, 1e-12); /* mean 0.3 x strength 5 */
    assert_int_equal(parley_scenario_get_number(sc, "policy.overrides.DPRK.expectations", &v, &err),
                     PARLEY_OK);
    assert_near(v, 0.2, 0);
    assert_int_equal(err.count, 0);

    /* the uncertainty side table, in file order */
    assert_int_equal(parley_scenario_uncertainty_count(sc), 2);
    const parley_uncertainty *u = parley_scenario_uncertainty(sc, 0);
    assert_string_equal(u->path, "actors.DPRK.capability");
    assert_int_equal(u->dist, PARLEY_DIST_UNIFORM);
    assert_near(u->lo, 20, 0);
    assert_near(u->hi, 40, 0);
    assert_string_equal(u->source, "seed");
    u = parley_scenario_uncertainty(sc, 1);
    assert_string_equal(u->path, "actors.DPRK.type_prior");
    assert_int_equal(u->dist, PARLEY_DIST_BETA);
    assert_near(u->a, 3, 0);
    assert_near(u->b, 7, 0);
    assert_null(parley_scenario_uncertainty(sc, 2));
    assert_string_equal(parley_scenario_number_source(sc, "actors.DPRK.capability"), "seed");
    assert_null(parley_scenario_number_source(sc, "actors.US.capability"));

    /* the simulator's view: effects resolved to targets */
    const psc_model *m = parley__scenario_model(sc);
    assert_int_equal(m->events[0].effects[0].target.section, PSC_SEC_ACTORS);
    assert_int_equal(m->events[0].effects[0].target.index, (int)dprk);
    assert_int_equal(m->events[1].condition.kind, PSC_COND_AFTER);
    assert_int_equal(m->events[1].condition.after, 0);
    assert_near(m->events[1].hazard.rate, 0.02, 0);
    assert_int_equal(m->events[1].hazard.to.year, 0); /* default: meta.horizon */
    long from, to;
    psc_hazard_window(m, 1, &from, &to);
    assert_int_equal(from, 1996 * 12 + 3);
    assert_int_equal(to, 1999 * 12 + 11);
    parley_error_clear(&err);
    parley_scenario_free(sc);
}

static void roundtrip(const char *path)
{
    parley_scenario *sc = load_ok(path);
    char *d1 = dump(sc);
    parley_error err;
    parley_error_init(&err);
    parley_scenario *again = NULL;
    assert_int_equal(parley_scenario_load_string(d1, strlen(d1), "dump", &again, &err), PARLEY_OK);
    char *d2 = dump(again);
    assert_string_equal(d1, d2);
    /* identity of the model, not only the text: every uncertainty and number */
    assert_int_equal(parley_scenario_uncertainty_count(sc),
                     parley_scenario_uncertainty_count(again));
    for (size_t i = 0; i < parley_scenario_uncertainty_count(sc); i++) {
        const parley_uncertainty *a = parley_scenario_uncertainty(sc, i);
        const parley_uncertainty *b = parley_scenario_uncertainty(again, i);
        assert_string_equal(a->path, b->path);
        assert_true(a->lo == b->lo && a->hi == b->hi && a->value == b->value &&
                    a->sd == b->sd && a->mode == b->mode && a->a == b->a && a->b == b->b);
    }
    for (size_t i = 0; i < parley_scenario_actor_count(sc); i++)
        assert_true(parley_scenario_actor_capability(sc, i) ==
                    parley_scenario_actor_capability(again, i));
    /* a clone dumps the same */
    parley_scenario *copy = NULL;
    assert_int_equal(parley_scenario_clone(sc, &copy, &err), PARLEY_OK);
    char *d3 = dump(copy);
    assert_string_equal(d1, d3);
    parley_scenario_string_free(d1);
    parley_scenario_string_free(d2);
    parley_scenario_string_free(d3);
    parley_scenario_free(sc);
    parley_scenario_free(again);
    parley_scenario_free(copy);
    parley_error_clear(&err);
}

static void test_roundtrip_minimal(void **state)
{
    (void)state;
    roundtrip(MINIMAL);
}

static void test_builtins_validate_and_roundtrip(void **state)
{
    (void)state;
    unsetenv("PARLEY_SCENARIO_PATH");
    const char *names[] = {"four-party-1997", "panmunjom-2018"};
    for (int i = 0; i < 2; i++) {
        parley_error err;
        parley_error_init(&err);
        parley_scenario *sc = NULL;
        parley_status st = parley_scenario_open(names[i], &sc, &err);
        for (size_t k = 0; k < err.count; k++)
            fprintf(stderr, "%s: %s\n", err.items[k].where, err.items[k].what);
        assert_int_equal(st, PARLEY_OK);
        parley_scenario_free(sc);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.json", PARLEY_SCENARIO_DIR, names[i]);
        roundtrip(path);
        parley_error_clear(&err);
    }
}

/* Expects exactly one diagnostic in err, equal to where/what. */
static void expect_diag(parley_error *err, parley_status st, const char *where, const char *what)
{
    assert_int_equal(err->status, st);
    assert_true(err->count >= 1);
    assert_string_equal(err->items[0].where, where);
    assert_string_equal(err->items[0].what, what);
    parley_error_clear(err);
}

static void test_set(void **state)
{
    (void)state;
    parley_scenario *sc = load_ok(MINIMAL);
    parley_error err;
    parley_error_init(&err);
    size_t dprk, pr;
    assert_true(parley_scenario_actor_find(sc, "DPRK", &dprk));
    assert_true(parley_scenario_issue_find(sc, "peace_regime", &pr));

    assert_int_equal(parley_scenario_set(sc, "policy.linkage", "linked", &err), PARLEY_OK);
    assert_int_equal(parley__scenario_model(sc)->policy.linkage, PSC_LINK_LINKED);

    /* pinning a number drops its uncertainty and keeps its source */
    assert_int_equal(parley_scenario_set(sc, "actors.DPRK.capability", "35", &err), PARLEY_OK);
    assert_near(parley_scenario_actor_capability(sc, dprk), 35, 0);
    assert_int_equal(parley_scenario_uncertainty_count(sc), 1);
    assert_string_equal(parley_scenario_number_source(sc, "actors.DPRK.capability"), "seed");

    double pos;
    assert_int_equal(parley_scenario_set(sc, "stances.DPRK.peace_regime.position", "70", &err),
                     PARLEY_OK);
    assert_true(parley_scenario_stance(sc, dprk, pr, &pos, NULL));
    assert_near(pos, 70, 0);

    /* an uncertainty can be set too */
    assert_int_equal(parley_scenario_set(sc, "actors.US.capability",
                                         "{\"value\": 60, \"range\": [50, 70]}", &err),
                     PARLEY_OK);
    assert_int_equal(parley_scenario_uncertainty_count(sc), 2);

    /* a new per-actor override */
    double v;
    assert_int_equal(parley_scenario_set(sc, "policy.overrides.US.side_payments", "5", &err),
                     PARLEY_OK);
    assert_int_equal(parley_scenario_get_number(sc, "policy.overrides.US.side_payments", &v, &err),
                     PARLEY_OK);
    assert_near(v, 5, 0);
    assert_int_equal(parley_scenario_set(sc, "actors.DoD.veto", "[\"ratification\"]", &err),
                     PARLEY_OK);
    assert_int_equal(parley__scenario_model(sc)->actors[1].veto, PSC_VETO_RATIFICATION);
    assert_int_equal(parley_scenario_set(sc, "meta.start", "1996-05", &err), PARLEY_OK);
    assert_int_equal(parley_scenario_rounds(sc), 44);

    /* bad values and paths are located errors and leave sc unchanged */
    assert_int_equal(parley_scenario_set(sc, "actors.DPRK.capability", "-5", &err), PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "--set actors.DPRK.capability=-5: actors[2].capability.value",
                "must be >= 0 (got -5)");
    assert_near(parley_scenario_actor_capability(sc, dprk), 35, 0);
    assert_int_equal(parley_scenario_set(sc, "actors.DPRK.risk", "-5", &err), PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "--set actors.DPRK.risk=-5: actors[2].risk",
                "must be in [-1, 1] (got -5)");
    assert_int_equal(parley_scenario_set(sc, "actors.DPRKK.capability", "3", &err), PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "--set actors.DPRKK.capability=3",
                "actors has no id 'DPRKK' (did you mean 'DPRK'?)");
    assert_int_equal(parley_scenario_set(sc, "actors.DPRK.capabilty", "3", &err), PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "--set actors.DPRK.capabilty=3: actors[2].capabilty",
                "unknown field (did you mean 'capability'?)");
    assert_int_equal(parley_scenario_set(sc, "polcy.linkage", "linked", &err), PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "--set polcy.linkage=linked",
                "unknown section 'polcy' (did you mean 'policy'?)");
    assert_int_equal(parley_scenario_set(sc, "policy.linkage", "both", &err), PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "--set policy.linkage=both: policy.linkage",
                "must be one of 'separate', 'linked' (got 'both')");
    assert_int_equal(parley_scenario_set(sc, "stances.PRC.hotline.position", "5", &err),
                     PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "--set stances.PRC.hotline.position=5",
                "there is no stance of 'PRC' on 'hotline'");
    assert_int_equal(parley__scenario_model(sc)->policy.linkage, PSC_LINK_LINKED);

    /* after all of it the scenario still round-trips */
    char *d1 = dump(sc);
    parley_scenario *again = NULL;
    assert_int_equal(parley_scenario_load_string(d1, strlen(d1), "d", &again, &err), PARLEY_OK);
    char *d2 = dump(again);
    assert_string_equal(d1, d2);
    parley_scenario_string_free(d1);
    parley_scenario_string_free(d2);
    parley_scenario_free(again);
    parley_scenario_free(sc);
    parley_error_clear(&err);
}

static void test_set_number(void **state)
{
    (void)state;
    parley_scenario *sc = load_ok(MINIMAL);
    parley_error err;
    parley_error_init(&err);
    double v;
    assert_int_equal(parley_scenario_set_number(sc, "actors.DPRK.capability", 25, &err), PARLEY_OK);
    assert_near(parley_scenario_actor_capability(sc, 2), 25, 0);
    assert_int_equal(parley_scenario_uncertainty_count(sc), 2); /* inside [20, 40]: kept */
    assert_int_equal(parley_scenario_set_number(sc, "actors.DPRK.capability", 45, &err), PARLEY_OK);
    assert_int_equal(parley_scenario_uncertainty_count(sc), 1); /* outside: pinned */
    assert_int_equal(parley_scenario_set_number(sc, "actors.DPRK.capability", -1, &err),
                     PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "actors.DPRK.capability", "must be >= 0 (got -1)");
    /* trust in mean/strength form: setting the mean keeps the strength */
    assert_int_equal(parley_scenario_set_number(sc, "trust.DPRK.US.mean", 0.5, &err), PARLEY_OK);
    assert_int_equal(parley_scenario_get_number(sc, "trust.DPRK.US.alpha", &v, &err), PARLEY_OK);
    assert_near(v, 2.5, 1e-12);
    assert_int_equal(parley_scenario_set_number(sc, "trust.DPRK.US.mean", 1, &err), PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "trust.DPRK.US.mean", "must be in (0, 1) (got 1)");
    assert_int_equal(parley_scenario_set_number(sc, "issues.hotline.rung", 1, &err), PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "issues.hotline.rung",
                "'rung' is not a number field of an issue");
    assert_int_equal(parley_scenario_set_number(sc, "events.famine.effects.0.set", 0.5, &err),
                     PARLEY_OK);
    assert_int_equal(parley_scenario_set_number(sc, "events.famine.effects.0.add", 0.5, &err),
                     PARLEY_EINPUT);
    expect_diag(&err, PARLEY_EINPUT, "events.famine.effects.0.add",
                "'events.famine.effects.0.add': this effect's operation is 'set'");
    assert_int_equal(parley_scenario_set_number(sc, "policy.verification.detection", 0.7, &err),
                     PARLEY_OK);
    assert_int_equal(parley_scenario_get_number(sc, "issues.peace_regime.verification.detection",
                                                &v, &err),
                     PARLEY_OK);
    assert_near(v, 0.7, 0); /* inherited */
    assert_int_equal(parley_scenario_set_number(sc, "agreements.AF.terms.hotline.level", 20, &err),
                     PARLEY_OK);
    assert_int_equal(parley__scenario_model(sc)->agreements[0].terms[0].level, 20);
    parley_scenario_free(sc);
    parley_error_clear(&err);
}

static void draw_moments(const parley_uncertainty *u, double want_mean, double tol)
{
    parley_rng rng;
    parley_rng_seed(&rng, 42);
    double sum = 0;
    const int n = 20000;
    for (int i = 0; i < n; i++) {
        double x = parley_uncertainty_draw(u, &rng);
        assert_true(x >= u->lo && x <= u->hi);
        sum += x;
    }
    assert_near(sum / n, want_mean, tol);
}

static void test_draws(void **state)
{
    (void)state;
    parley_uncertainty u = {"x", PARLEY_DIST_UNIFORM, 30, 20, 40, 0, 0, 0, 0, NULL};
    draw_moments(&u, 30, 0.15);
    u = (parley_uncertainty){"x", PARLEY_DIST_BETA, 0.3, 0, 1, 0, 0, 3, 7, NULL};
    draw_moments(&u, 0.3, 0.005); /* a / (a + b) */
    u = (parley_uncertainty){"x", PARLEY_DIST_BETA, 30, 0, 100, 0, 0, 3, 7, NULL};
    draw_moments(&u, 30, 0.5); /* mapped to [0, 100] */
    u = (parley_uncertainty){"x", PARLEY_DIST_TRIANGULAR, 0.8, 0.5, 1, 0, 0.8, 0, 0, NULL};
    draw_moments(&u, (0.5 + 0.8 + 1) / 3, 0.003);
    u = (parley_uncertainty){"x", PARLEY_DIST_NORMAL, 50, 40, 60, 10, 0, 0, 0, NULL};
    draw_moments(&u, 50, 0.1); /* symmetric truncation */
    /* far tail: E[Z | 5 < Z < 6] = (phi(5) - phi(6)) / (Phi(6) - Phi(5)) = 5.1832 */
    u = (parley_uncertainty){"x", PARLEY_DIST_NORMAL, 0, 5, 6, 1, 0, 0, 0, NULL};
    draw_moments(&u, 5.1832, 0.01);
    /* mirrored lower tail */
    u = (parley_uncertainty){"x", PARLEY_DIST_NORMAL, 0, -6, -5, 1, 0, 0, 0, NULL};
    draw_moments(&u, -5.1832, 0.01);
    /* same stream, same draws */
    parley_rng a, b;
    parley_rng_seed(&a, 7);
    parley_rng_seed(&b, 7);
    for (int i = 0; i < 100; i++)
        assert_true(parley_uncertainty_draw(&u, &a) == parley_uncertainty_draw(&u, &b));
    assert_string_equal(parley_dist_name(PARLEY_DIST_TRIANGULAR), "triangular");
}

static void test_resolve(void **state)
{
    (void)state;
    parley_error err;
    parley_error_init(&err);
    char *path = NULL;
    setenv("PARLEY_SCENARIO_PATH", PARLEY_SOURCE_DIR "/tests/data", 1);
    assert_int_equal(parley_scenario_resolve("minimal", &path, &err), PARLEY_OK);
    assert_string_equal(path, PARLEY_SOURCE_DIR "/tests/data/minimal.json");
    parley_scenario_string_free(path);
    parley_scenario *sc = NULL;
    assert_int_equal(parley_scenario_open("minimal", &sc, &err), PARLEY_OK);
    parley_scenario_free(sc);
    assert_int_equal(parley_scenario_resolve("four-party-1997", &path, &err), PARLEY_EINPUT);
    assert_true(strstr(err.items[0].what, "no built-in scenario of that name") != NULL);
    parley_error_clear(&err);
    unsetenv("PARLEY_SCENARIO_PATH");
    assert_int_equal(parley_scenario_resolve("four-party-1997", &path, &err), PARLEY_OK);
    assert_string_equal(path, PARLEY_SCENARIO_DIR "/four-party-1997.json");
    parley_scenario_string_free(path);
    assert_int_equal(parley_scenario_resolve("some/dir/x.json", &path, &err), PARLEY_OK);
    assert_string_equal(path, "some/dir/x.json");
    parley_scenario_string_free(path);
    assert_int_equal(err.count, 0);
    parley_error_clear(&err);
}

static void test_every_problem_reported(void **state)
{
    (void)state;
    const char *text =
        "{\"meta\": {\"name\": \"x\", \"start\": \"2000-01\", \"horizon\": \"2001-01\"},\n"
        " \"actors\": [{\"id\": \"A\", \"kind\": \"principal\", \"capability\": -1},\n"
        "            {\"id\": \"B\", \"kind\": \"principal\", \"rsik\": 0}],\n"
        " \"issues\": [{\"id\": \"i\", \"label_0\": \"a\", \"label_100\": \"b\", \"status_quo\": 0}],\n"
        " \"stances\": [{\"actor\": \"C\", \"issue\": \"i\", \"position\": 5, \"salience\": 2}]}";
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    assert_int_equal(parley_scenario_load_string(text, strlen(text), "t.json", &sc, &err),
                     PARLEY_EINPUT);
    assert_null(sc);
    assert_int_equal(err.count, 4);
    assert_string_equal(err.items[0].where, "t.json: actors[0].capability");
    assert_string_equal(err.items[1].where, "t.json: actors[1].rsik");
    assert_string_equal(err.items[1].what, "unknown field (did you mean 'risk'?)");
    assert_string_equal(err.items[2].where, "t.json: stances[0].actor");
    assert_string_equal(err.items[3].where, "t.json: stances[0].salience");
    parley_error_clear(&err);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Each corpus file fails with exactly the recorded first diagnostic. */
static void test_malformed_corpus(void **state)
{
    (void)state;
    assert_int_equal(chdir(PARLEY_SOURCE_DIR "/tests/malformed"), 0);
    FILE *f = fopen("expected.txt", "r");
    assert_non_null(f);
    char line[2048];
    int cases = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab || line[0] == '#')
            continue;
        *tab = '\0';
        const char *file = line, *want = tab + 1;
        parley_error err;
        parley_error_init(&err);
        parley_scenario *sc = NULL;
        parley_status st = parley_scenario_load_file(file, &sc, &err);
        assert_null(sc);
        assert_int_equal(parley_status_exit_code(st), 2);
        assert_true(err.count >= 1);
        char got[2048];
        snprintf(got, sizeof got, "parley: %s: %s", err.items[0].where, err.items[0].what);
        if (strcmp(got, want) != 0)
            fprintf(stderr, "%s:\n  want %s\n  got  %s\n", file, want, got);
        assert_string_equal(got, want);
        parley_error_clear(&err);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 40);
    assert_int_equal(chdir(PARLEY_SOURCE_DIR), 0);
}

/* Generated hostile inputs: deep nesting, a file over the size limit, random
 * bytes, and random corruptions of a valid scenario. None may crash or leak
 * (run under ASan and valgrind). */
static void test_generated_inputs(void **state)
{
    (void)state;
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;

    size_t depth = 100000;
    char *deep = malloc(2 * depth + 1);
    assert_non_null(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    assert_int_equal(parley_scenario_load_string(deep, 2 * depth, "deep.json", &sc, &err),
                     PARLEY_ELIMIT);
    expect_diag(&err, PARLEY_ELIMIT, "deep.json:1:65",
                "nesting deeper than 64 levels of arrays and objects");
    /* brackets inside strings do not count */
    const char *quoted = "{\"meta\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
    assert_int_equal(parley_scenario_load_string(quoted, strlen(quoted), "q.json", &sc, &err),
                     PARLEY_EINPUT);
    assert_int_equal(err.status, PARLEY_EINPUT);
    for (size_t k = 0; k < err.count; k++)
        assert_int_equal(err.items[k].status, PARLEY_EINPUT);
    parley_error_clear(&err);
    free(deep);

    /* over 16 MiB: rejected from its size, before it is read */
    char tmpl[] = "/tmp/parley-huge-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 17 * 1024 * 1024), 0);
    close(fd);
    assert_int_equal(parley_scenario_load_file(tmpl, &sc, &err), PARLEY_ELIMIT);
    char where[256];
    snprintf(where, sizeof where, "%s", tmpl);
    expect_diag(&err, PARLEY_ELIMIT, where, "file is 17825792 bytes; at most 16777216 (16 MiB)");
    unlink(tmpl);
    assert_int_equal(parley_scenario_load_file("/nonexistent/x.json", &sc, &err), PARLEY_EINPUT);
    parley_error_clear(&err);

    parley_rng rng;
    parley_rng_seed(&rng, 2024);
    char buf[512];
    for (int i = 0; i < 300; i++) {
        size_t n = parley_rng_below(&rng, sizeof buf);
        for (size_t k = 0; k < n; k++)
            buf[k] = (char)parley_rng_below(&rng, 256);
        assert_int_not_equal(parley_scenario_load_string(buf, n, "junk", &sc, &err), PARLEY_OK);
        parley_error_clear(&err);
    }
    size_t len;
    char *good = read_all(MINIMAL, &len);
    char *bad = malloc(len);
    assert_non_null(bad);
    int loaded = 0;
    for (int i = 0; i < 2000; i++) {
        memcpy(bad, good, len);
        int flips = 1 + (int)parley_rng_below(&rng, 3);
        for (int k = 0; k < flips; k++) {
            static const char pool[] = "{}[]\",:0123456789-.eE truefalsnul\\x";
            bad[parley_rng_below(&rng, (uint32_t)len)] = pool[parley_rng_below(&rng, sizeof pool - 1)];
        }
        if (parley_scenario_load_string(bad, len, "mut", &sc, &err) == PARLEY_OK) {
            char *d = dump(sc);
            parley_scenario *again = NULL;
            assert_int_equal(parley_scenario_load_string(d, strlen(d), "d", &again, &err),
                             PARLEY_OK);
            parley_scenario_free(again);
            parley_scenario_string_free(d);
            parley_scenario_free(sc);
            loaded++;
        }
        parley_error_clear(&err);
    }
    assert_true(loaded < 2000);
    free(bad);
    free(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_accessors),
        cmocka_unit_test(test_roundtrip_minimal),
        cmocka_unit_test(test_builtins_validate_and_roundtrip),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_set_number),
        cmocka_unit_test(test_draws),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_every_problem_reported),
        cmocka_unit_test(test_malformed_corpus),
        cmocka_unit_test(test_generated_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
