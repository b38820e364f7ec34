/* Fuzz target: the simulator on whatever scenario the loader accepts. A
 * scenario file is user input all the way down, so every valid one must run
 * without a crash, a leak or undefined behaviour, and its outputs must hold
 * together: the outcome inside the run, every log entry naming actors,
 * forums, issues and agreements that exist, the writers succeeding. Inputs
 * past a small size (actors, issues, rounds) are skipped so that the
 * fuzzer spends its time on shapes, not on long runs of one shape. */
#include "fuzz_common.h"

#include "parley/output.h"
#include "parley/process.h"
#include "parley/scenario.h"

#include <string.h>

#define RUN_MAX_ACTORS 24
#define RUN_MAX_ISSUES 24
#define RUN_MAX_ROUNDS 120

static void check_run(const parley_sim *sim, size_t actors, size_t issues, size_t rounds)
{
    const parley_run_summary *s = parley_sim_summary(sim);
    FUZZ_CHECK(s->outcome_round < (int)rounds, "outcome after the last round");
    FUZZ_CHECK(s->n_agreements <= PARLEY_SIM_MAX_AGREEMENTS, "more agreements than room");
    for (size_t g = 0; g < s->n_agreements; g++) {
        const parley_agreement_record *r = &s->agreement[g];
        FUZZ_CHECK(r->ended_round < (int)rounds, "an agreement ends after the run");
        FUZZ_CHECK(r->ended_by < (int)actors, "an agreement ended by no actor");
        FUZZ_CHECK(!r->replaced || r->ended_round >= 0, "replaced but in force");
    }
    for (size_t i = 0; i < parley_sim_log_count(sim); i++) {
        const parley_log_entry *e = parley_sim_log(sim, i);
        FUZZ_CHECK(e->round < rounds, "a log entry after the run");
        FUZZ_CHECK(e->actor < (int)actors && e->other < (int)actors, "a log entry names no actor");
        FUZZ_CHECK(e->issue < (int)issues, "a log entry names no issue");
        if (e->kind == PARLEY_LOG_AMENDED || e->kind == PARLEY_LOG_WITHDRAWAL ||
            e->kind == PARLEY_LOG_AGREEMENT)
            FUZZ_CHECK(e->index >= 0 && (size_t)e->index < s->n_agreements,
                       "a log entry names no agreement");
    }
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        return;
    FUZZ_CHECK(parley_write_timeline(sim, null), "the timeline writer failed");
    FUZZ_CHECK(parley_write_summary(sim, 1, null), "the summary writer failed");
    FUZZ_CHECK(parley_write_run_json(sim, 1, null), "the JSON writer failed");
    fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    if (parley_scenario_load_string((const char *)data, size, "fuzz.json", &sc, &err) != PARLEY_OK) {
        parley_error_clear(&err);
        return 0; /* fuzz_scenario checks the loader's failures */
    }
    size_t actors = parley_scenario_actor_count(sc), issues = parley_scenario_issue_count(sc),
           rounds = parley_scenario_rounds(sc);
    if (actors > RUN_MAX_ACTORS || issues > RUN_MAX_ISSUES || rounds > RUN_MAX_ROUNDS) {
        parley_scenario_free(sc);
        return 0;
    }
    /* The defaults, then the null model and every ablation at once: the
     * alternative paths the validation commands take. */
    for (int variant = 0; variant < 2; variant++) {
        parley_sim_params p;
        parley_sim_params_default(&p);
        if (variant == 1) {
            p.null_model = true;
            p.ablate = (1u << PARLEY_ABLATION_COUNT) - 1u;
        }
        parley_sim *sim = NULL;
        parley_status st = parley_sim_new(sc, &p, &sim, &err);
        if (st != PARLEY_OK) {
            FUZZ_CHECK(sim == NULL, "a failed parley_sim_new returned a simulator");
            fuzz_check_failure(st, &err);
            parley_error_clear(&err);
            break;
        }
        st = parley_sim_run(sim, 1, 0, 0, &err);
        FUZZ_CHECK(st == PARLEY_OK, "a valid scenario does not run");
        check_run(sim, actors, issues, rounds);
        parley_sim_free(sim);
    }
    parley_scenario_free(sc);
    parley_error_clear(&err);
    return 0;
}
