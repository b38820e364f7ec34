/* The simulator's mechanisms on scenarios small enough to compute by hand: the
 * logit participation at a fixed RNG output (and whom the contact cost is
 * owed to), a ratification veto, an inspection traded for a side payment,
 * the end-state signal, a forum's mandate, the back burner, the amendment
 * of an agreement in force, the sucker's loss on a reversible measure and
 * under a risk attitude, the stakeholders a treaty needs and the step of the
 * armistice it must replace, the term in force a linked treaty reopens and
 * the forum's record of items tabled without terms. The numbers in the
 * comments are the hand calculations the assertions check (docs/MODEL.md,
 * step 3-5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/metrics.h"
#include "parley/process.h"
#include "parley/rng.h"

#define assert_near(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

static parley_scenario *load(const char *json)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    if (parley_scenario_load_string(json, strlen(json), "case", &sc, &err) != PARLEY_OK) {
        for (size_t i = 0; i < err.count; i++)
            print_error("%s: %s\n", err.items[i].where, err.items[i].what);
        fail_msg("the test scenario does not load");
    }
    parley_error_clear(&err);
    return sc;
}

/* A scenario from a JSON template whose %s holes the arguments fill (the
 * cases below vary one or two fields of the same file). */
static parley_scenario *load_filled(const char *tmpl, ...)
{
    va_list ap;
    va_start(ap, tmpl);
    char json[8192];
    int n = vsnprintf(json, sizeof json, tmpl, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof json);
    return load(json);
}

static parley_sim *run(const parley_scenario *sc, const parley_sim_params *p, uint64_t seed)
{
    parley_error err;
    parley_error_init(&err);
    parley_sim *sim = NULL;
    assert_int_equal(parley_sim_new(sc, p, &sim, &err), PARLEY_OK);
    assert_int_equal(parley_sim_run(sim, seed, 0, 0, &err), PARLEY_OK);
    parley_error_clear(&err);
    return sim;
}

/* The parameters the hand calculations below use (lambda 0.2, need weight 3,
 * sucker's loss 1), pinned so that recalibrating the defaults does not move
 * them (docs/MODEL.md 6). */
static void hand_params(parley_sim_params *p)
{
    parley_sim_params_default(p);
    p->participation_precision = 0.2;
    p->need_weight = 3.0;
    p->sucker_loss = 1.0;
}

static const parley_log_entry *find(const parley_sim *sim, parley_log_kind kind, uint32_t round,
                                    int actor)
{
    for (size_t i = 0; i < parley_sim_log_count(sim); i++) {
        const parley_log_entry *e = parley_sim_log(sim, i);
        if (e->kind == kind && e->round == round && (actor < 0 || e->actor == actor))
            return e;
    }
    return NULL;
}

/* The defaults with attendance all but certain (precision 50 on a positive
 * value): for the cases whose question is what happens at the table. */
static parley_sim_params attending(void)
{
    parley_sim_params p;
    hand_params(&p);
    p.participation_precision = 50.0;
    return p;
}

static void set(parley_scenario *sc, const char *path, const char *value)
{
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_scenario_set(sc, path, value, &err), PARLEY_OK);
    parley_error_clear(&err);
}

/* The first meeting is held and its chair finds no terms every party accepts. */
static void assert_no_terms_at_first_meeting(const parley_sim *sim)
{
    assert_non_null(find(sim, PARLEY_LOG_MEETING, 0, -1));
    assert_non_null(find(sim, PARLEY_LOG_NO_PROPOSAL, 0, -1));
    assert_null(find(sim, PARLEY_LOG_AGREEMENT, 0, -1));
}

/* The first meeting signs an agreement whose first term is at `level`. */
static void assert_signed_at_first_meeting(const parley_sim *sim, double level)
{
    const parley_log_entry *deal = find(sim, PARLEY_LOG_AGREEMENT, 0, -1);
    assert_non_null(deal);
    assert_near(deal->value, level, 1e-9);
}

/* ---- participation ------------------------------------------------------ */

/* A forum with nothing to negotiate (both sides sit at the status quo), no
 * aid, contact costs 5 and 0: G = 0, so until the forum first meets A attends
 * with L(0.2 x (0 - 5)) = 1 / (1 + e) = 0.268941..., and after it with
 * L(0.2 x (0 - 5 / 4)) = 1 / (1 + e^0.25) (the taboo is broken: a quarter of
 * the cost recurs); B with L(0) = 1/2 throughout. */
static const char participation_json[] =
    "{\"meta\": {\"name\": \"logit\", \"start\": \"2000-01\", \"horizon\": \"2000-12\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 5},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 0}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 50}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"],"
    "               \"cadence_months\": 1}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 50, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 50, \"salience\": 1}]}";

static void participation_follows_the_logit_at_fixed_draws(void **state)
{
    (void)state;
    parley_scenario *sc = load(participation_json);
    parley_sim_params p;
    hand_params(&p); /* lambda 0.2 */
    for (uint64_t seed = 1; seed <= 20; seed++) {
        parley_sim *sim = run(sc, &p, seed);
        bool met = false;
        /* Eight windows in a row without both sides end the run (collapse). */
        uint32_t rounds = parley_sim_summary(sim)->rounds;
        for (uint32_t round = 0; round < rounds; round++) {
            const double expected[2] = {1.0 / (1.0 + exp(met ? 0.25 : 1.0)), 0.5};
            bool all = true;
            for (int a = 0; a < 2; a++) {
                /* The draw the simulator makes: stream (seed, 0, 0,
                 * participation, actor * 64 + forum, round). */
                parley_stream_id id = {.seed = seed, .mechanism = PARLEY_MECH_PARTICIPATION,
                                       .actor = (uint32_t)(a * 64), .round = round};
                parley_rng rng;
                parley_rng_init(&rng, &id);
                bool attends = parley_rng_bernoulli(&rng, expected[a]);
                const parley_log_entry *absent = find(sim, PARLEY_LOG_ABSENT, round, a);
                if (attends != (absent == NULL))
                    print_error("seed %llu round %u actor %d: drew %d, log %s (p %.6f)\n",
                                (unsigned long long)seed, round, a, attends,
                                absent ? "absent" : "present", absent ? absent->value : -1.0);
                assert_int_equal(attends, absent == NULL);
                /* Either way the decision is logged with what went into it:
                 * G = 0, and no aid less the cost (5, then 5 / 4, for A). */
                const parley_log_entry *d =
                    absent ? absent : find(sim, PARLEY_LOG_ATTENDS, round, a);
                assert_non_null(d);
                assert_near(d->value, expected[a], 1e-15);
                assert_near(d->value2, 0.0, 1e-15);
                assert_near(d->value3, a == 0 ? (met ? -1.25 : -5.0) : 0.0, 1e-15);
                all = all && attends;
            }
            assert_int_equal(all, find(sim, PARLEY_LOG_MEETING, round, -1) != NULL);
            met = met || all;
        }
        parley_sim_free(sim);
    }
    parley_scenario_free(sc);
}

/* The contact cost is owed only where a counterpart it names sits: with
 * contact_with ["C"] and C outside the forum, A's chance of attending is
 * L(0.2 x (0 - 0)) = 1/2; with contact_with ["B"] it is the logit of the
 * test above, L(0.2 x (0 - 5)) before the first meeting. */
static const char contact_json[] =
    "{\"meta\": {\"name\": \"contact\", \"start\": \"2000-01\", \"horizon\": \"2000-12\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 5,"
    "               \"contact_with\": [\"%s\"]},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 0},"
    "              {\"id\": \"C\", \"name\": \"C\", \"kind\": \"principal\", \"contact_cost\": 0}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 50}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"],"
    "               \"cadence_months\": 1}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 50, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 50, \"salience\": 1}]}";

static void the_contact_cost_follows_the_counterpart(void **state)
{
    (void)state;
    const char *with[2] = {"C", "B"};
    for (int v = 0; v < 2; v++) {
        parley_scenario *sc = load_filled(contact_json, with[v]);
        parley_sim_params p;
        hand_params(&p);
        int seen = 0;
        for (uint64_t seed = 1; seed <= 10; seed++) {
            parley_sim *sim = run(sc, &p, seed);
            bool met = false;
            for (uint32_t round = 0; round < parley_sim_summary(sim)->rounds; round++) {
                const parley_log_entry *absent = find(sim, PARLEY_LOG_ABSENT, round, 0);
                double expected = v == 0 ? 0.5 : 1.0 / (1.0 + exp(met ? 0.25 : 1.0));
                if (absent) {
                    assert_near(absent->value, expected, 1e-15);
                    seen++;
                }
                met = met || find(sim, PARLEY_LOG_MEETING, round, -1) != NULL;
            }
            parley_sim_free(sim);
        }
        assert_true(seen > 0);
        parley_scenario_free(sc);
    }
}

/* Aid tied to a forum: A (need 0.5, contact cost 5) is offered 1 util by the
 * policy and 3 for sitting down in f, which an event takes back in the third
 * month. With G = 0 and the need weight 3, A's aid less cost is
 * (1 + 3 x 0.5) x 3 - c = 7.5 - c in the first two months and -c from the
 * third, c being 5 until f first meets and a quarter of it after; without the
 * forum's own value (and the event) it is 2.5 x 1 - c throughout. */
static const char aid_json[] =
    "{\"meta\": {\"name\": \"aid\", \"start\": \"2000-01\", \"horizon\": \"2000-06\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 5,"
    "               \"need\": 0.5},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 0}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 50}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"], \"cadence_months\": 1%s}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 50, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 50, \"salience\": 1}],"
    " %s \"policy\": {\"side_payments\": 1}}";

/* A's logged decisions: value3 = 2.5 x aid - c, the chance its logit at 0.2. */
static void assert_aid_less_cost(const char *forum_extra, const char *events, double early,
                                 double late)
{
    parley_scenario *sc = load_filled(aid_json, forum_extra, events);
    parley_sim_params p;
    hand_params(&p);
    for (uint64_t seed = 1; seed <= 10; seed++) {
        parley_sim *sim = run(sc, &p, seed);
        bool met = false;
        for (uint32_t round = 0; round < parley_sim_summary(sim)->rounds; round++) {
            const parley_log_entry *d = find(sim, PARLEY_LOG_ATTENDS, round, 0);
            if (!d)
                d = find(sim, PARLEY_LOG_ABSENT, round, 0);
            assert_non_null(d);
            double pull = 2.5 * (round < 2 ? early : late) - (met ? 1.25 : 5.0);
            assert_near(d->value3, pull, 1e-12);
            assert_near(d->value, 1.0 / (1.0 + exp(-0.2 * pull)), 1e-15);
            met = met || find(sim, PARLEY_LOG_MEETING, round, -1) != NULL;
        }
        parley_sim_free(sim);
    }
    parley_scenario_free(sc);
}

static void aid_tied_to_a_forum_is_that_forums(void **state)
{
    (void)state;
    assert_aid_less_cost(", \"side_payments\": 3",
                         "\"events\": [{\"id\": \"stop\", \"name\": \"stop\", \"date\": \"2000-03\","
                         " \"effects\": [{\"path\": \"forums.f.side_payments\", \"set\": 0}]}],",
                         3.0, 0.0);
    assert_aid_less_cost("", "", 1.0, 1.0);
}

/* ---- convening by initiative -------------------------------------------- */

/* A (contact cost 100, nothing to gain) never sits down at f, which is
 * convened by initiative and has x, not y, in its mandate. After each failed
 * window f has no date until news bears on it: B's stance on y (month 4) is
 * not news for f, B's stance on x (month 6) is, A's contact cost (month 8)
 * is, and so is the agreement on x that B and C sign in g, which opens in
 * month 10 (a new reference level for x). So A decides at rounds 0, 5, 7 and
 * 10 only, and f never misses the 8 windows in a row that end it. Invited at
 * every window (the ablation, or convening by cadence), A stays away 8
 * months running and f collapses in round 7. */
static const char convening_json[] =
    "{\"meta\": {\"name\": \"convening\", \"start\": \"2000-01\", \"horizon\": \"2000-12\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 100},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 0},"
    "              {\"id\": \"C\", \"name\": \"C\", \"kind\": \"principal\", \"contact_cost\": 0}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\", \"kind\": \"economic\", \"status_quo\": 0},"
    "              {\"id\": \"y\", \"name\": \"y\", \"label_0\": \"0\", \"label_100\": \"100\", \"kind\": \"economic\", \"status_quo\": 50}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"], \"cadence_months\": 1,"
    "               \"issues\": [\"x\"], \"convening\": \"%s\"},"
    "              {\"id\": \"g\", \"name\": \"g\", \"members\": [\"B\", \"C\"], \"cadence_months\": 1,"
    "               \"issues\": [\"x\"], \"start\": \"2000-10\"}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 0, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 60, \"salience\": 1},"
    "               {\"actor\": \"C\", \"issue\": \"x\", \"position\": 80, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"y\", \"position\": 50, \"salience\": 1}],"
    " \"trust\": [{\"from\": \"B\", \"to\": \"C\", \"mean\": 0.9, \"strength\": 10},"
    "            {\"from\": \"C\", \"to\": \"B\", \"mean\": 0.9, \"strength\": 10}],"
    " \"events\": [{\"id\": \"e1\", \"name\": \"e1\", \"date\": \"2000-04\","
    "               \"effects\": [{\"path\": \"stances.B.y.position\", \"set\": 70}]},"
    "              {\"id\": \"e2\", \"name\": \"e2\", \"date\": \"2000-06\","
    "               \"effects\": [{\"path\": \"stances.B.x.position\", \"set\": 65}]},"
    "              {\"id\": \"e3\", \"name\": \"e3\", \"date\": \"2000-08\","
    "               \"effects\": [{\"path\": \"actors.A.contact_cost\", \"set\": 90}]}],"
    " \"policy\": {\"coordination\": 0}}";

/* The rounds at which A decided at f, as a bit set, and f's undated entries. */
static unsigned decisions_at_f(const parley_sim *sim, unsigned *undated, int *collapse_round)
{
    unsigned rounds = 0;
    *undated = 0;
    *collapse_round = -1;
    for (size_t i = 0; i < parley_sim_log_count(sim); i++) {
        const parley_log_entry *e = parley_sim_log(sim, i);
        if (e->forum != 0)
            continue;
        if ((e->kind == PARLEY_LOG_ABSENT || e->kind == PARLEY_LOG_ATTENDS) && e->actor == 0) {
            assert_int_equal(e->kind, PARLEY_LOG_ABSENT);
            rounds |= 1u << e->round;
        }
        if (e->kind == PARLEY_LOG_UNDATED) {
            (*undated)++;
            assert_near(e->value, *undated, 0.0); /* windows missed in a row */
        }
        if (e->kind == PARLEY_LOG_COLLAPSE)
            *collapse_round = (int)e->round;
    }
    return rounds;
}

static void a_forum_convened_by_initiative_waits_for_news(void **state)
{
    (void)state;
    parley_sim_params p = attending();
    unsigned undated;
    int collapsed;
    parley_scenario *sc = load_filled(convening_json, "initiative");
    for (uint64_t seed = 1; seed <= 5; seed++) {
        parley_sim *sim = run(sc, &p, seed);
        unsigned rounds = decisions_at_f(sim, &undated, &collapsed);
        assert_int_equal(rounds, (1u << 0) | (1u << 5) | (1u << 7) | (1u << 10));
        assert_int_equal(undated, 4);
        assert_int_equal(collapsed, -1);
        const parley_log_entry *deal = find(sim, PARLEY_LOG_AGREEMENT, 9, -1);
        assert_non_null(deal); /* g's agreement on x, the news of round 10 */
        assert_int_equal(deal->forum, 1);
        parley_sim_free(sim);
    }
    /* Ablated, every cadence window is a window. */
    p.ablate = PARLEY_ABLATE_CONVENING;
    parley_sim *sim = run(sc, &p, 1);
    assert_int_equal(decisions_at_f(sim, &undated, &collapsed), 0xffu);
    assert_int_equal(undated, 0);
    assert_int_equal(collapsed, 7);
    parley_sim_free(sim);
    parley_scenario_free(sc);
    /* Convened by cadence: the same. */
    p.ablate = 0;
    sc = load_filled(convening_json, "cadence");
    sim = run(sc, &p, 1);
    assert_int_equal(decisions_at_f(sim, &undated, &collapsed), 0xffu);
    assert_int_equal(collapsed, 7);
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

/* ---- ratification veto -------------------------------------------------- */

/* A and B both gain from moving x from 0 toward 80 and 60; A's faction F has a
 * ratification veto and sits at the status quo, so every move loses it
 * utility with nothing to gain: no terms pass every veto player. Without the
 * veto the chair proposes and both accept. (No coordination: it would pull F
 * toward A month by month.) */
static const char veto_json[] =
    "{\"meta\": {\"name\": \"veto\", \"start\": \"2000-01\", \"horizon\": \"2000-03\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 0},"
    "              {\"id\": \"F\", \"name\": \"F\", \"kind\": \"faction\", \"parent\": \"A\","
    "               \"veto\": [\"ratification\"]},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 0}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\", \"kind\": \"economic\", \"status_quo\": 0}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"],"
    "               \"cadence_months\": 1}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 80, \"salience\": 1},"
    "               {\"actor\": \"F\", \"issue\": \"x\", \"position\": 0, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 60, \"salience\": 1}],"
    " \"trust\": [{\"from\": \"A\", \"to\": \"B\", \"mean\": 0.9, \"strength\": 10},"
    "            {\"from\": \"B\", \"to\": \"A\", \"mean\": 0.9, \"strength\": 10}],"
    " \"policy\": {\"coordination\": 0}}";

static void a_ratification_veto_blocks_every_proposal(void **state)
{
    (void)state;
    parley_sim_params p = attending(); /* the question is the veto */
    parley_scenario *sc = load(veto_json);
    parley_sim *sim = run(sc, &p, 1);
    assert_no_terms_at_first_meeting(sim);
    parley_sim_free(sim);
    /* The same talks without the veto: an agreement between 60 and 80. */
    set(sc, "actors.F.veto", "[]");
    sim = run(sc, &p, 1);
    const parley_log_entry *deal = find(sim, PARLEY_LOG_AGREEMENT, 0, -1);
    assert_non_null(deal);
    double level = deal->value;
    assert_true(level >= 60.0 && level <= 80.0);
    parley_sim_free(sim);
    /* And with the veto ablated: the same agreement. */
    parley_scenario_free(sc);
    sc = load(veto_json);
    p.ablate = PARLEY_ABLATE_VETO_FACTIONS;
    sim = run(sc, &p, 1);
    const parley_log_entry *again = find(sim, PARLEY_LOG_AGREEMENT, 0, -1);
    assert_non_null(again);
    assert_near(again->value, level, 0.0);
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

/* ---- an inspection traded for a side payment ---------------------------- */

/* A deal in force: B freezes x at 60 (B's position 0, salience 0.1: B gives
 * 6 utils), A delivers y at 50 (A's position 0, salience 0.1: A gives 5; B's
 * position 100, salience 0.5: B gets 25). A's gain is 0.5 x 60 - 5 = 25,
 * B's is 25 - 6 = 19. The channel on x reports an alarm whatever B does
 * (detection = false-alarm rate = 1), so A asks to inspect every month and
 * its belief about B (Beta(5, 5), mean 1/2) does not move: the alarm carries
 * no information. At the next meeting B's price is the intrusion less half
 * its gain: 10 - 19 / 2 = 0.5; A's limit is the standing aid to B (0.2: both
 * are in need, which is also what brings them to the table every month) plus
 * its gain times its doubt: 0.2 + 25 x 0.5 = 12.7 >= 0.5, so they trade at
 * 0.5 and the inspection, a perfect channel, finds no violation. */
static const char inspection_json[] =
    "{\"meta\": {\"name\": \"inspection\", \"start\": \"2000-01\", \"horizon\": \"2000-03\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 0,"
    "               \"need\": 0.5, \"type_prior\": 1, \"compliance_strategy\": \"Cooperator\"},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 0,"
    "               \"need\": 0.5, \"type_prior\": 1, \"compliance_strategy\": \"Cooperator\"}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\", \"kind\": \"denuclearisation\","
    "               \"status_quo\": 0, \"verification\": {\"detection\": 1, \"false_alarm\": 1}},"
    "              {\"id\": \"y\", \"name\": \"y\", \"label_0\": \"0\", \"label_100\": \"100\", \"kind\": \"economic\", \"status_quo\": 0,"
    "               \"verification\": {\"detection\": 1, \"false_alarm\": 0,"
    "                                  \"inspectable\": false}},"
    "              {\"id\": \"z\", \"name\": \"z\", \"label_0\": \"0\", \"label_100\": \"100\","
    "               \"kind\": \"political\", \"status_quo\": 0}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"],"
    "               \"cadence_months\": 1}],"
    " \"agreements\": [{\"id\": \"deal\", \"name\": \"deal\", \"in_force\": \"1999-01\","
    "                   \"parties\": [\"A\", \"B\"],"
    "                   \"terms\": [{\"issue\": \"x\", \"level\": 60}, {\"issue\": \"y\", \"level\": 50}],"
    "                   \"obligations\": [{\"actor\": \"B\", \"issue\": \"x\", \"level\": 60},"
    "                                     {\"actor\": \"A\", \"issue\": \"y\", \"level\": 50}]}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 100, \"salience\": 0.5},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 0, \"salience\": 0.1},"
    "               {\"actor\": \"A\", \"issue\": \"y\", \"position\": 0, \"salience\": 0.1},"
    "               {\"actor\": \"B\", \"issue\": \"y\", \"position\": 100, \"salience\": 0.5},"
    "               {\"actor\": \"A\", \"issue\": \"z\", \"position\": 100, \"salience\": 0.1},"
    "               {\"actor\": \"B\", \"issue\": \"z\", \"position\": 100, \"salience\": 0.1}],"
    " \"trust\": [{\"from\": \"A\", \"to\": \"B\", \"alpha\": 5, \"beta\": 5},"
    "            {\"from\": \"B\", \"to\": \"A\", \"alpha\": 5, \"beta\": 5}],"
    " \"policy\": {\"side_payments\": 0.2, \"verification\": {\"inspections\": true}}}";

static void an_inspection_is_traded_at_its_price(void **state)
{
    (void)state;
    parley_sim_params p;
    hand_params(&p);
    p.participation_precision = 50.0;
    p.implementation_noise = 0.0;
    parley_scenario *sc = load(inspection_json);
    parley_sim *sim = run(sc, &p, 1);
    /* Round 0: the meeting comes before implementation, so the first alarm
     * (A about B, on x) is raised in round 0 and traded at round 1's meeting. */
    assert_non_null(find(sim, PARLEY_LOG_ALARM, 0, 0));
    const parley_log_entry *ins = find(sim, PARLEY_LOG_INSPECTION, 1, 0);
    assert_non_null(ins);
    assert_int_equal(ins->other, 1);
    assert_near(ins->value, 0.5, 1e-12);  /* the price: 10 - 19 / 2 */
    assert_near(ins->value2, 0.0, 0.0);   /* no violation found */
    assert_int_equal(parley_sim_summary(sim)->inspections, 2); /* rounds 1 and 2 */
    parley_sim_free(sim);
    /* With the intrusion above what the trade can bear (limit 12.7, price
     * 40 - 9.5 = 30.5) B refuses, and a refusal is read as an alarm. */
    p.inspection_cost = 40.0;
    sim = run(sc, &p, 1);
    assert_null(find(sim, PARLEY_LOG_INSPECTION, 1, 0));
    assert_non_null(find(sim, PARLEY_LOG_REFUSED_INSPECTION, 1, 0));
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

/* ---- end-state clarity --------------------------------------------------- */

/* B states its end state with full clarity (c = 1) at the forum's first
 * meeting: the statement reads as evasive with probability (1 + c) / 2 = 1
 * from an untrustworthy B and (1 - c) / 2 = 0 from a trustworthy one. A's
 * belief Beta(2, 2) takes one report through that channel: an evasive
 * statement moves its whole weight to beta (mean 2/5), a plain one to alpha
 * (mean 3/5). */
static const char clarity_json[] =
    "{\"meta\": {\"name\": \"clarity\", \"start\": \"2000-01\", \"horizon\": \"2000-02\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 0},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 0}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\","
    "               \"status_quo\": 50}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"],"
    "               \"cadence_months\": 1}],"
    " \"trust\": [{\"from\": \"A\", \"to\": \"B\", \"alpha\": 2, \"beta\": 2}],"
    " \"policy\": {\"end_state_clarity\": 0,"
    "             \"overrides\": [{\"actor\": \"B\", \"lever\": \"end_state_clarity\", \"value\": 1}]}}";

static void end_state_clarity_is_a_signal_of_type(void **state)
{
    (void)state;
    parley_error err;
    parley_error_init(&err);
    for (int trustworthy = 0; trustworthy <= 1; trustworthy++) {
        parley_scenario *sc = load(clarity_json);
        assert_int_equal(parley_scenario_set(sc, "actors.B.type_prior", trustworthy ? "1" : "0",
                                             &err),
                         PARLEY_OK);
        parley_sim_params p;
        hand_params(&p);
        /* Find a seed in which both attend the first window (each with 1/2). */
        parley_sim *sim = NULL;
        for (uint64_t seed = 1; seed < 100; seed++) {
            sim = run(sc, &p, seed);
            if (find(sim, PARLEY_LOG_MEETING, 0, -1))
                break;
            parley_sim_free(sim);
            sim = NULL;
        }
        assert_non_null(sim);
        const parley_sim_series *series = parley_sim_get_series(sim);
        double a_about_b = series->belief_mean[0 * 4 + 0 * 2 + 1]; /* round 0, A -> B */
        assert_near(a_about_b, trustworthy ? 0.6 : 0.4, 1e-12);
        parley_sim_free(sim);
        parley_scenario_free(sc);
    }
    parley_error_clear(&err);
}

/* ---- forum mandates ------------------------------------------------------ */

/* Three principals; C cares about y (salience 0.5) but does not sit in the
 * pair forum. Without mandates y belongs only where every stakeholder sits,
 * the trio; with mandates (trio: x; pair: y) the pair negotiates y and the
 * trio never does. Everyone wants both issues moved the same way, so terms
 * exist in every meeting. */
static const char mandate_json[] =
    "{\"meta\": {\"name\": \"mandate\", \"start\": \"2000-01\", \"horizon\": \"2001-12\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"type_prior\": 0.95},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"type_prior\": 0.95},"
    "              {\"id\": \"C\", \"name\": \"C\", \"kind\": \"principal\", \"type_prior\": 0.95}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"IssueX\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 0},"
    "              {\"id\": \"y\", \"name\": \"IssueY\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 0}],"
    " \"forums\": [{\"id\": \"trio\", \"name\": \"Trio\", \"members\": [\"A\", \"B\", \"C\"],"
    "               \"cadence_months\": 1 %s},"
    "              {\"id\": \"pair\", \"name\": \"Pair\", \"members\": [\"A\", \"B\"],"
    "               \"cadence_months\": 1 %s}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 80, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 70, \"salience\": 1},"
    "               {\"actor\": \"C\", \"issue\": \"x\", \"position\": 75, \"salience\": 1},"
    "               {\"actor\": \"A\", \"issue\": \"y\", \"position\": 60, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"y\", \"position\": 70, \"salience\": 1},"
    "               {\"actor\": \"C\", \"issue\": \"y\", \"position\": 65, \"salience\": 0.5}]}";

/* Counts, over 20 seeds, agreements on IssueY signed in each forum. */
static void count_y_agreements(const char *trio_mandate, const char *pair_mandate, int *in_trio,
                               int *in_pair)
{
    parley_scenario *sc = load_filled(mandate_json, trio_mandate, pair_mandate);
    parley_sim_params p;
    hand_params(&p);
    *in_trio = *in_pair = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        parley_sim *sim = run(sc, &p, seed);
        const parley_run_summary *sum = parley_sim_summary(sim);
        for (size_t g = 0; g < sum->n_agreements; g++) {
            const parley_agreement_record *r = &sum->agreement[g];
            if (r->signed_round < 0 || !strstr(r->name, "IssueY"))
                continue;
            *in_trio += r->forum == 0;
            *in_pair += r->forum == 1;
        }
        parley_sim_free(sim);
    }
    parley_scenario_free(sc);
}

static void a_mandate_decides_which_forum_takes_an_issue(void **state)
{
    (void)state;
    int in_trio, in_pair;
    count_y_agreements("", "", &in_trio, &in_pair);
    assert_int_equal(in_pair, 0); /* C is a stakeholder of y and sits only in the trio */
    assert_true(in_trio > 0);
    count_y_agreements(", \"issues\": [\"x\"]", ", \"issues\": [\"y\"]", &in_trio, &in_pair);
    assert_int_equal(in_trio, 0); /* outside the trio's mandate */
    assert_true(in_pair > 0);
}

/* The back burner weighs the principals two forums share. A and B expect
 * much more from y1-y4 (the pair's mandate; two items a meeting) than from x
 * (the trio's, on which C's position leaves no terms but whose expected
 * outcome, 54.3, is a small gain for both), so while the y are open the trio
 * waits; once they are agreed the pair has nothing left and the trio resumes.
 * The pair, a channel among the trio's own principals, meets on the trio's
 * margins and never waits for it (before 2026-11-29 it did, in turn). */
static const char burner_json[] =
    "{\"meta\": {\"name\": \"burner\", \"start\": \"2000-01\", \"horizon\": \"2000-12\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"type_prior\": 0.95},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"type_prior\": 0.95},"
    "              {\"id\": \"C\", \"name\": \"C\", \"kind\": \"principal\", \"type_prior\": 0.95}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 50},"
    "              {\"id\": \"y1\", \"name\": \"y1\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 0},"
    "              {\"id\": \"y2\", \"name\": \"y2\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 0},"
    "              {\"id\": \"y3\", \"name\": \"y3\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 0},"
    "              {\"id\": \"y4\", \"name\": \"y4\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 0}],"
    " \"forums\": [{\"id\": \"trio\", \"name\": \"Trio\", \"members\": [\"A\", \"B\", \"C\"],"
    "               \"cadence_months\": 1, \"issues\": [\"x\"]},"
    "              {\"id\": \"pair\", \"name\": \"Pair\", \"members\": [\"A\", \"B\"],"
    "               \"cadence_months\": 1, \"issues\": [\"y1\", \"y2\", \"y3\", \"y4\"]}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 60, \"salience\": 0.2},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 58, \"salience\": 0.2},"
    "               {\"actor\": \"C\", \"issue\": \"x\", \"position\": 45, \"salience\": 0.2},"
    "               {\"actor\": \"A\", \"issue\": \"y1\", \"position\": 90, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"y1\", \"position\": 80, \"salience\": 1},"
    "               {\"actor\": \"A\", \"issue\": \"y2\", \"position\": 90, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"y2\", \"position\": 80, \"salience\": 1},"
    "               {\"actor\": \"A\", \"issue\": \"y3\", \"position\": 90, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"y3\", \"position\": 80, \"salience\": 1},"
    "               {\"actor\": \"A\", \"issue\": \"y4\", \"position\": 90, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"y4\", \"position\": 80, \"salience\": 1}],"
    " \"policy\": {\"coordination\": 0}}";

/* ---- amending an agreement in force ------------------------------------ */

/* A deal in force holds y at 10; A's position is 30, B's 100, both salience
 * 0.5, each all but sure the other complies (q = 0.99), support 1/2, so the
 * political cost is 0.25 a util given. Measured against the deal's 10, B
 * gains 0.5 (x - 10) everywhere above it and gives nothing; A gains
 * 0.5 (x - 10) up to 30 and 0.5 (50 - x) beyond, giving 0.5 (x - 30), which it
 * accepts while 0.99 (50 - x) >= (0.01 + 0.25)(x - 30), that is x <= 45.84.
 * The Nash product (equal weights) rises with x up to A's position and falls
 * after it: the proposal is 30, it replaces the deal's only term (the deal is
 * replaced, not withdrawn from), and the forum has nothing left to do. */
static const char amendment_json[] =
    "{\"meta\": {\"name\": \"amendment\", \"start\": \"2000-01\", \"horizon\": \"2000-04\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 0,"
    "               \"support\": 0.5, \"type_prior\": 1, \"compliance_strategy\": \"Cooperator\"},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 0,"
    "               \"support\": 0.5, \"type_prior\": 1, \"compliance_strategy\": \"Cooperator\"}],"
    " \"issues\": [{\"id\": \"y\", \"name\": \"y\", \"label_0\": \"0\", \"label_100\": \"100\","
    "               \"kind\": \"economic\", \"status_quo\": 0}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"], \"issues\": [\"y\"],"
    "               \"cadence_months\": 1}],"
    " \"agreements\": [{\"id\": \"deal\", \"name\": \"deal\", \"in_force\": \"1999-01\","
    "                   \"parties\": [\"A\", \"B\"], \"terms\": [{\"issue\": \"y\", \"level\": 10}],"
    "                   \"obligations\": [{\"actor\": \"A\", \"issue\": \"y\", \"level\": 10}]}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"y\", \"position\": 30, \"salience\": 0.5},"
    "               {\"actor\": \"B\", \"issue\": \"y\", \"position\": 100, \"salience\": 0.5}],"
    " \"trust\": [{\"from\": \"A\", \"to\": \"B\", \"alpha\": 99, \"beta\": 1},"
    "            {\"from\": \"B\", \"to\": \"A\", \"alpha\": 99, \"beta\": 1}]}";

static void an_agreement_in_force_is_amended_against_its_terms(void **state)
{
    (void)state;
    parley_sim_params p = attending(); /* both gain from meeting */
    parley_scenario *sc = load(amendment_json);
    parley_sim *sim = run(sc, &p, 1);
    const parley_log_entry *amended = find(sim, PARLEY_LOG_AMENDED, 0, -1);
    assert_non_null(amended);
    assert_int_equal(amended->index, 0); /* the deal */
    const parley_log_entry *proposal = find(sim, PARLEY_LOG_PROPOSAL, 0, -1);
    assert_non_null(proposal);
    assert_near(proposal->value, 30.0, 1e-9);
    assert_near(proposal->value2, 10.0, 1e-9); /* from the deal's level */
    const parley_run_summary *s = parley_sim_summary(sim);
    assert_int_equal(s->n_agreements, 2);
    assert_true(s->agreement[0].replaced);
    assert_int_equal(s->agreement[0].ended_round, 0);
    assert_int_equal(s->agreement[0].ended_by, -1);
    assert_int_equal(s->agreement[1].ended_round, -1);
    /* Nothing is left to amend: later meetings table nothing. */
    assert_null(find(sim, PARLEY_LOG_AGENDA, 1, -1));
    parley_sim_free(sim);
    /* A deal at 27: the proposal would still be 30, a step of 3, below the
     * 5 points worth reopening a signed text for; the deal stands. */
    set(sc, "agreements.deal.terms.y.level", "27");
    sim = run(sc, &p, 1);
    assert_null(find(sim, PARLEY_LOG_AMENDED, 0, -1));
    assert_int_equal(parley_sim_summary(sim)->n_agreements, 1);
    parley_sim_free(sim);
    set(sc, "agreements.deal.terms.y.level", "10");
    /* With amendments ablated the deal is never reopened. */
    p.ablate = PARLEY_ABLATE_AMENDMENTS;
    sim = run(sc, &p, 1);
    assert_null(find(sim, PARLEY_LOG_AGENDA, 0, -1));
    assert_int_equal(parley_sim_summary(sim)->n_agreements, 1);
    assert_false(parley_sim_summary(sim)->agreement[0].replaced);
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

static void the_back_burner_weighs_the_shared_principals(void **state)
{
    (void)state;
    parley_scenario *sc = load(burner_json);
    parley_sim_params p;
    hand_params(&p);
    int waited = 0, resumed = 0, pair_waited = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        parley_sim *sim = run(sc, &p, seed);
        bool waiting[2] = {false, false};
        for (size_t i = 0; i < parley_sim_log_count(sim); i++) {
            const parley_log_entry *e = parley_sim_log(sim, i);
            if (e->kind != PARLEY_LOG_BACK_BURNER && e->kind != PARLEY_LOG_RESUMED)
                continue;
            assert_true(e->forum == 0 || e->forum == 1);
            waiting[e->forum] = e->kind == PARLEY_LOG_BACK_BURNER;
            assert_false(waiting[0] && waiting[1]);
            waited += e->kind == PARLEY_LOG_BACK_BURNER && e->forum == 0;
            resumed += e->kind == PARLEY_LOG_RESUMED && e->forum == 0;
            pair_waited += e->kind == PARLEY_LOG_BACK_BURNER && e->forum == 1;
        }
        parley_sim_free(sim);
    }
    assert_true(waited > 0);
    assert_true(resumed > 0);
    assert_int_equal(pair_waited, 0);
    parley_scenario_free(sc);
}

/* ---- a reversible measure carries a smaller sucker's loss ---------------- */

/* A mutual CBM, both sides at 100 with salience 1 from a status quo of 0: at
 * level x each gains x and puts in x (a hotline needs two ends). Support 0.5
 * makes the political cost 0.5 x (1 - 0.5) = 0.25 a util conceded; the
 * sucker's loss is 1 x (1 - reversible) x x. Step 6 accepts iff
 * q x - (1 - q)(1 - r) x >= 0.25 x, i.e. q >= (0.25 + 1 - r) / (2 - r):
 * 0.4643 at r = 0.6, 0.4231 at r = 0.7. Beliefs Beta(4.5, 5.5), q = 0.45 (the
 * end states carry no news at clarity 0), so the chair finds no terms at
 * r = 0.6 and proposes the whole measure, 100, at r = 0.7. */
static const char reversible_json[] =
    "{\"meta\": {\"name\": \"reversible\", \"start\": \"2000-01\", \"horizon\": \"2000-02\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"type_prior\": 1},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"type_prior\": 1}],"
    " \"issues\": [{\"id\": \"hotline\", \"name\": \"hotline\", \"label_0\": \"none\","
    "               \"label_100\": \"staffed\", \"kind\": \"cbm\", \"rung\": 1, \"status_quo\": 0,"
    "               \"reversible\": 0.6}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"], \"cadence_months\": 1}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"hotline\", \"position\": 100, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"hotline\", \"position\": 100, \"salience\": 1}],"
    " \"trust\": [{\"from\": \"A\", \"to\": \"B\", \"alpha\": 4.5, \"beta\": 5.5},"
    "            {\"from\": \"B\", \"to\": \"A\", \"alpha\": 4.5, \"beta\": 5.5}],"
    " \"policy\": {\"end_state_clarity\": 0}}";

static void a_reversible_measure_passes_at_lower_trust(void **state)
{
    (void)state;
    parley_sim_params p = attending(); /* both gain from meeting */
    parley_scenario *sc = load(reversible_json);
    parley_sim *sim = run(sc, &p, 1);
    assert_no_terms_at_first_meeting(sim);
    parley_sim_free(sim);
    set(sc, "issues.hotline.reversible", "0.7");
    sim = run(sc, &p, 1);
    assert_signed_at_first_meeting(sim, 100.0);
    parley_sim_free(sim);
    /* Without the sucker's loss at all the threshold is 0.25: it passes even
     * when nothing is reversible. */
    set(sc, "issues.hotline.reversible", "0");
    p.ablate = PARLEY_ABLATE_SUCKER_LOSS;
    sim = run(sc, &p, 1);
    assert_non_null(find(sim, PARLEY_LOG_AGREEMENT, 0, -1));
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

/* ---- risk attitude weighs the sucker's branch ---------------------------- */

/* The same mutual CBM (q = 0.45, support 0.5). An actor's risk attitude r
 * scales its sucker's loss by 1 - r: step 6 then accepts iff
 * q >= (0.25 + (1 - r)(1 - rev)) / (1 + (1 - r)(1 - rev)). At reversible 0.7
 * a risk-averse A (r = -0.5) needs 0.70 / 1.45 = 0.4828, so the chair finds no
 * terms where a neutral A signed; at reversible 0.6, where neutral parties
 * found none, two risk-acceptant ones (r = 0.5) need 0.45 / 1.2 = 0.375. */
static void a_risk_averse_party_needs_more_trust(void **state)
{
    (void)state;
    parley_sim_params p = attending();
    parley_scenario *sc = load(reversible_json);
    set(sc, "issues.hotline.reversible", "0.7");
    set(sc, "actors.A.risk", "-0.5");
    parley_sim *sim = run(sc, &p, 1);
    assert_no_terms_at_first_meeting(sim);
    parley_sim_free(sim);
    set(sc, "issues.hotline.reversible", "0.6");
    set(sc, "actors.A.risk", "0.5");
    set(sc, "actors.B.risk", "0.5");
    sim = run(sc, &p, 1);
    assert_signed_at_first_meeting(sim, 100.0);
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

/* ---- a treaty needs every party that cares about it ---------------------- */

/* A and B hold a channel whose mandate names the peace regime; C, outside it,
 * cares about the regime with salience 0.5. Everyone gains from a regime at
 * 100 (all at 100, trust near 1), yet the channel never tables it: a treaty
 * replacing the armistice binds C too. At C's salience 0.2 (below the 0.25 of
 * a stakeholder) the channel signs the treaty at its first meeting. */
static const char stakeholder_json[] =
    "{\"meta\": {\"name\": \"stakeholder\", \"start\": \"2000-01\", \"horizon\": \"2000-03\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"type_prior\": 1},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"type_prior\": 1},"
    "              {\"id\": \"C\", \"name\": \"C\", \"kind\": \"principal\", \"type_prior\": 1}],"
    " \"issues\": [{\"id\": \"peace\", \"name\": \"peace\", \"label_0\": \"armistice\","
    "               \"label_100\": \"treaty\", \"kind\": \"peace_regime\", \"status_quo\": 0}],"
    " \"forums\": [{\"id\": \"pair\", \"name\": \"pair\", \"members\": [\"A\", \"B\"],"
    "               \"cadence_months\": 1, \"issues\": [\"peace\"]}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"peace\", \"position\": 100, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"peace\", \"position\": 100, \"salience\": 1},"
    "               {\"actor\": \"C\", \"issue\": \"peace\", \"position\": 100, \"salience\": 0.5}],"
    " \"trust\": [{\"from\": \"A\", \"to\": \"B\", \"alpha\": 99, \"beta\": 1},"
    "            {\"from\": \"B\", \"to\": \"A\", \"alpha\": 99, \"beta\": 1}],"
    " \"policy\": {\"sequencing\": \"treaty_first\"}}";

static void a_treaty_needs_its_stakeholders(void **state)
{
    (void)state;
    parley_sim_params p = attending();
    parley_scenario *sc = load(stakeholder_json);
    parley_sim *sim = run(sc, &p, 1);
    assert_non_null(find(sim, PARLEY_LOG_MEETING, 0, -1));
    assert_null(find(sim, PARLEY_LOG_AGENDA, 0, -1));
    assert_int_equal(parley_sim_summary(sim)->outcome, PARLEY_OUTCOME_NONE);
    assert_true(isnan(parley_sim_summary(sim)->treaty_extent));
    parley_sim_free(sim);
    set(sc, "stances.C.peace.salience", "0.2");
    sim = run(sc, &p, 1);
    assert_non_null(find(sim, PARLEY_LOG_TREATY, 0, -1));
    assert_int_equal(parley_sim_summary(sim)->outcome, PARLEY_OUTCOME_TREATY);
    /* The regime's one issue is its extent: everyone at 100, the treaty at 100. */
    assert_near(parley_sim_summary(sim)->treaty_extent, 100.0, 1e-9);
    double metrics[PARLEY_METRIC_COUNT];
    parley_run_metrics(sim, metrics);
    assert_near(metrics[PARLEY_METRIC_TREATY_EXTENT], 100.0, 1e-9);
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

/* The same pair with the regime wanted only a little: both at 4 (from the
 * armistice at 0), the package moves the extent by less than a real step (5
 * points), so it is signed as an agreement on the regime, not the treaty, and
 * the run goes on; both at 6, it is the treaty, of extent 6. */
static void a_treaty_replaces_a_real_step_of_the_armistice(void **state)
{
    (void)state;
    parley_sim_params p = attending();
    parley_scenario *sc = load(stakeholder_json);
    set(sc, "stances.C.peace.salience", "0.2");
    set(sc, "stances.A.peace.position", "4");
    set(sc, "stances.B.peace.position", "4");
    parley_sim *sim = run(sc, &p, 1);
    const parley_log_entry *signed_ = find(sim, PARLEY_LOG_AGREEMENT, 0, -1);
    assert_non_null(signed_);
    assert_near(signed_->value, 4.0, 1e-9);
    assert_null(find(sim, PARLEY_LOG_TREATY, 0, -1));
    assert_int_equal(parley_sim_summary(sim)->outcome, PARLEY_OUTCOME_NONE);
    assert_true(isnan(parley_sim_summary(sim)->treaty_extent));
    assert_int_equal(parley_sim_summary(sim)->agreements, 1);
    assert_true(parley_sim_summary(sim)->rounds > 1); /* the run did not end */
    parley_sim_free(sim);
    set(sc, "stances.A.peace.position", "6");
    set(sc, "stances.B.peace.position", "6");
    sim = run(sc, &p, 1);
    assert_non_null(find(sim, PARLEY_LOG_TREATY, 0, -1));
    assert_int_equal(parley_sim_summary(sim)->outcome, PARLEY_OUTCOME_TREATY);
    assert_near(parley_sim_summary(sim)->treaty_extent, 6.0, 1e-9);
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

/* ---- linkage reaches a term an agreement in force holds ----------------- */

/* A and B hold a freeze at 50 and meet in a forum whose mandate is the peace
 * regime alone. Linked, the treaty carries denuclearisation too, mandate or
 * not, and the freeze's parties sit at the table, so the package reopens the
 * freeze's term: the chair proposes a level for it (from 50). Separate, the
 * treaty is the regime alone. */
static const char linked_json[] =
    "{\"meta\": {\"name\": \"linked\", \"start\": \"2000-01\", \"horizon\": \"2000-03\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"type_prior\": 1,"
    "               \"compliance_strategy\": \"Cooperator\"},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"type_prior\": 1,"
    "               \"compliance_strategy\": \"Cooperator\"}],"
    " \"issues\": [{\"id\": \"peace\", \"name\": \"peace\", \"label_0\": \"armistice\","
    "               \"label_100\": \"treaty\", \"kind\": \"peace_regime\", \"status_quo\": 0},"
    "              {\"id\": \"nuke\", \"name\": \"nuke\", \"label_0\": \"none\","
    "               \"label_100\": \"all\", \"kind\": \"denuclearisation\", \"status_quo\": 0}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"],"
    "               \"issues\": [\"peace\"], \"cadence_months\": 1}],"
    " \"agreements\": [{\"id\": \"freeze\", \"name\": \"freeze\", \"in_force\": \"1999-01\","
    "                   \"parties\": [\"A\", \"B\"], \"terms\": [{\"issue\": \"nuke\", \"level\": 50}],"
    "                   \"obligations\": [{\"actor\": \"B\", \"issue\": \"nuke\", \"level\": 50}]}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"peace\", \"position\": 100, \"salience\": 0.5},"
    "               {\"actor\": \"A\", \"issue\": \"nuke\", \"position\": 100, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"peace\", \"position\": 100, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"nuke\", \"position\": 50, \"salience\": 0.2}],"
    " \"trust\": [{\"from\": \"A\", \"to\": \"B\", \"alpha\": 99, \"beta\": 1},"
    "            {\"from\": \"B\", \"to\": \"A\", \"alpha\": 99, \"beta\": 1}],"
    " \"policy\": {\"linkage\": \"linked\", \"sequencing\": \"treaty_first\"}}";

static const parley_log_entry *proposal_on(const parley_sim *sim, int issue)
{
    for (size_t i = 0; i < parley_sim_log_count(sim); i++) {
        const parley_log_entry *e = parley_sim_log(sim, i);
        if (e->kind == PARLEY_LOG_PROPOSAL && e->issue == issue)
            return e;
    }
    return NULL;
}

static void linkage_reopens_a_term_in_force(void **state)
{
    (void)state;
    parley_sim_params p = attending();
    parley_scenario *sc = load(linked_json);
    parley_sim *sim = run(sc, &p, 1);
    assert_int_equal(parley_sim_summary(sim)->outcome, PARLEY_OUTCOME_TREATY);
    const parley_log_entry *nuke = proposal_on(sim, 1);
    assert_non_null(nuke);
    assert_near(nuke->value2, 50.0, 1e-9); /* from the freeze's level */
    assert_true(nuke->value > 50.0);       /* A's weight on it pulls it up */
    parley_sim_free(sim);
    set(sc, "policy.linkage", "separate");
    sim = run(sc, &p, 1);
    assert_int_equal(parley_sim_summary(sim)->outcome, PARLEY_OUTCOME_TREATY);
    assert_null(proposal_on(sim, 1));
    parley_sim_free(sim);
    parley_scenario_free(sc);
}

/* ---- long names stay valid text ----------------------------------------- */

/* An agreement's name is its forum's and its issues' names, cut to the
 * record's fixed buffer: a forum named with 150 two-byte characters (300
 * bytes) must not leave half a character at the cut. */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        if (n == 0)
            return false;
        for (int k = 1; k < n; k++)
            if ((p[k] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

static void a_long_name_is_cut_at_a_character(void **state)
{
    (void)state;
    char omegas[150 * 6 + 1] = "";
    for (int k = 0; k < 150; k++)
        strcat(omegas, "\\u03a9");
    char json[4096];
    snprintf(json, sizeof json,
             "{\"meta\": {\"name\": \"names\", \"start\": \"2000-01\", \"horizon\": \"2000-02\"},"
             " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\"},"
             "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\"}],"
             " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\","
             "               \"status_quo\": 0}],"
             " \"forums\": [{\"id\": \"f\", \"name\": \"%s\", \"members\": [\"A\", \"B\"],"
             "               \"cadence_months\": 1}],"
             " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 100, \"salience\": 1},"
             "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 100, \"salience\": 1}]}",
             omegas);
    parley_sim_params p = attending();
    parley_scenario *sc = load(json);
    parley_sim *sim = run(sc, &p, 1);
    const parley_run_summary *s = parley_sim_summary(sim);
    assert_int_equal(s->n_agreements, 1);
    const char *name = s->agreement[0].name;
    assert_true(strlen(name) < sizeof s->agreement[0].name);
    assert_true(strlen(name) >= sizeof s->agreement[0].name - 3); /* cut, not emptied */
    assert_true(valid_utf8(name));
    parley_sim_free(sim);
    parley_scenario_free(sc);
}


/* ---- the forum's record -------------------------------------------------- */

/* A at 0, B at 100 on x from a status quo of 20: every move hurts one of
 * them, so the chair never finds terms, while the compromise forecast (50)
 * promises B a gain G. After n tablings without terms B expects G / (n + 1)
 * (a Beta(1, 0) belief that the forum finds terms), until news on x (an event
 * on B's salience in month 12) starts the count again. B's value of the forum
 * is read back from the logit of its absences: p = L(0.2 (value - cost)),
 * cost 4 until the first meeting and 1 after it (SIM_RECURRING_CONTACT_SHARE).
 * End states carry no news at clarity 0, so beliefs stay at their priors. */
static const char record_json[] =
    "{\"meta\": {\"name\": \"record\", \"start\": \"2000-01\", \"horizon\": \"2001-12\"},"
    " \"actors\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"principal\", \"contact_cost\": 0},"
    "              {\"id\": \"B\", \"name\": \"B\", \"kind\": \"principal\", \"contact_cost\": 4}],"
    " \"issues\": [{\"id\": \"x\", \"name\": \"x\", \"label_0\": \"0\", \"label_100\": \"100\", \"status_quo\": 20}],"
    " \"forums\": [{\"id\": \"f\", \"name\": \"f\", \"members\": [\"A\", \"B\"], \"cadence_months\": 1}],"
    " \"stances\": [{\"actor\": \"A\", \"issue\": \"x\", \"position\": 0, \"salience\": 1},"
    "               {\"actor\": \"B\", \"issue\": \"x\", \"position\": 100, \"salience\": 1}],"
    " \"events\": [{\"id\": \"news\", \"name\": \"news\", \"date\": \"2001-01\","
    "              \"effects\": [{\"path\": \"stances.B.x.salience\", \"set\": 0.8}]}],"
    " \"policy\": {\"end_state_clarity\": 0}}";

/* B's value of the forum in each month it stayed away (NAN in the others),
 * and the tablings without terms before that month since the news. */
static void absences(const parley_sim *sim, double *value, unsigned *empty, uint32_t rounds)
{
    bool met = false;
    unsigned failures = 0;
    size_t i = 0, n = parley_sim_log_count(sim);
    for (uint32_t r = 0; r < rounds; r++) {
        value[r] = NAN;
        if (r == 12)
            failures = 0; /* the news */
        empty[r] = failures;
        for (; i < n && parley_sim_log(sim, i)->round == r; i++) {
            const parley_log_entry *e = parley_sim_log(sim, i);
            if (e->kind == PARLEY_LOG_ABSENT && e->actor == 1)
                value[r] = log(e->value / (1.0 - e->value)) / 0.2 + (met ? 1.0 : 4.0);
            met |= e->kind == PARLEY_LOG_MEETING;
            failures += e->kind == PARLEY_LOG_NO_PROPOSAL;
            assert_true(e->kind != PARLEY_LOG_AGREEMENT);
        }
    }
}

static void a_forum_that_finds_no_terms_loses_its_pull(void **state)
{
    (void)state;
    parley_scenario *sc = load(record_json);
    parley_sim_params with, without;
    hand_params(&with);
    hand_params(&without);
    without.ablate = PARLEY_ABLATE_RECORD;
    double full[2] = {NAN, NAN}; /* B's value before and after the news */
    unsigned most = 0, checked = 0;
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t seed = 1; seed <= 30; seed++) {
            parley_sim *sim = run(sc, pass == 0 ? &without : &with, seed);
            uint32_t rounds = parley_sim_summary(sim)->rounds;
            double value[24];
            unsigned empty[24];
            assert_true(rounds <= 24);
            absences(sim, value, empty, rounds);
            for (uint32_t r = 0; r < rounds; r++) {
                if (isnan(value[r]))
                    continue;
                double *g = &full[r >= 12];
                if (pass == 0) { /* without the record the value never moves */
                    if (isnan(*g))
                        *g = value[r];
                    assert_near(value[r], *g, 1e-9);
                    continue;
                }
                assert_near(value[r] * (empty[r] + 1), *g, 1e-9);
                most = empty[r] > most ? empty[r] : most;
                checked++;
            }
            parley_sim_free(sim);
        }
    assert_true(full[0] > 4.0);        /* B is drawn to the table at first */
    assert_true(full[1] < full[0]);    /* the news lowered its salience */
    assert_true(most >= 2 && checked >= 20);
    parley_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(participation_follows_the_logit_at_fixed_draws),
        cmocka_unit_test(aid_tied_to_a_forum_is_that_forums),
        cmocka_unit_test(a_forum_convened_by_initiative_waits_for_news),
        cmocka_unit_test(the_contact_cost_follows_the_counterpart),
        cmocka_unit_test(a_ratification_veto_blocks_every_proposal),
        cmocka_unit_test(an_inspection_is_traded_at_its_price),
        cmocka_unit_test(end_state_clarity_is_a_signal_of_type),
        cmocka_unit_test(a_mandate_decides_which_forum_takes_an_issue),
        cmocka_unit_test(the_back_burner_weighs_the_shared_principals),
        cmocka_unit_test(an_agreement_in_force_is_amended_against_its_terms),
        cmocka_unit_test(a_reversible_measure_passes_at_lower_trust),
        cmocka_unit_test(a_risk_averse_party_needs_more_trust),
        cmocka_unit_test(a_treaty_needs_its_stakeholders),
        cmocka_unit_test(a_treaty_replaces_a_real_step_of_the_armistice),
        cmocka_unit_test(linkage_reopens_a_term_in_force),
        cmocka_unit_test(a_long_name_is_cut_at_a_character),
        cmocka_unit_test(a_forum_that_finds_no_terms_loses_its_pull),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
