/* Every allocation of the game module fails in turn (in the
 * PARLEY_FAULT_INJECTION build): each call reports PARLEY_ENOMEM, returns
 * nothing half-made, and the sanitizer build checks that nothing leaks. In
 * other builds the test only checks the calls succeed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/alloc.h"
#include "parley/game.h"

/* One fallible call on fixtures made beforehand; returns its status and frees
 * what it made. */
typedef parley_status (*call_fn)(void *ctx, parley_error *err);

typedef struct fixture {
    parley_stage_game game;
    parley_strategy *tft, *gtft, *majority;
} fixture;

static parley_status call_parse(void *ctx, parley_error *err)
{
    fixture *f = ctx;
    parley_strategy *s = NULL;
    parley_status st = parley_strategy_parse("GTFT", &f->game, &s, err);
    if (st != PARLEY_OK)
        assert_null(s);
    parley_strategy_free(s);
    return st;
}

static parley_status call_long_run(void *ctx, parley_error *err)
{
    fixture *f = ctx;
    parley_channel c = {0.05, 0.9, 0.05};
    parley_expectation ex;
    return parley_exact_long_run(f->tft, f->gtft, &f->game, &c, &ex, err);
}

static parley_status call_finite(void *ctx, parley_error *err)
{
    fixture *f = ctx;
    parley_channel c = {0.05, 0.9, 0.05};
    parley_expectation ex;
    return parley_exact_finite(f->majority, f->gtft, &f->game, &c, 20, &ex, err);
}

static parley_status call_tournament(void *ctx, parley_error *err)
{
    fixture *f = ctx;
    const parley_strategy *players[3] = {f->tft, f->gtft, f->majority};
    parley_tournament_config cfg = {.nplayers = 3, .players = players, .game = f->game,
                                    .channel = {0.05, 1, 0}, .turns = 10, .repetitions = 3,
                                    .seed = 1, .threads = 2};
    parley_tournament_result r;
    parley_status st = parley_tournament_run(&cfg, &r, err);
    if (st != PARLEY_OK)
        assert_null(r.payoff);
    parley_tournament_result_free(&r);
    return st;
}

static parley_status call_ngame(void *ctx, parley_error *err)
{
    fixture *f = ctx;
    const parley_strategy *parties[3] = {f->tft, f->gtft, f->majority};
    parley_stream_id base = {.seed = 1};
    parley_ngame *g = NULL;
    parley_status st =
        parley_ngame_create(3, parties, &f->game, NULL, PARLEY_NGAME_PER_COUNTERPART, 0, &base, &g, err);
    if (st == PARLEY_OK)
        parley_ngame_step(g, NULL);
    else
        assert_null(g);
    parley_ngame_free(g);
    return st;
}

static void each_failure(fixture *f, call_fn call)
{
#ifdef PARLEY_FAULT_INJECTION
    for (unsigned long n = 1;; n++) {
        parley_error err;
        parley_error_init(&err);
        parley__fault_arm(n, 0);
        parley_status st = call(f, &err);
        int fired = parley__fault_triggered();
        parley__fault_arm(0, 0);
        parley_error_clear(&err);
        if (!fired) {
            assert_int_equal(st, PARLEY_OK);
            break;
        }
        assert_int_equal(st, PARLEY_ENOMEM);
    }
#else
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(call(f, &err), PARLEY_OK);
    parley_error_clear(&err);
#endif
}

static void test_every_allocation_failure(void **state)
{
    (void)state;
    fixture f;
    parley_stage_game_symmetric(&f.game, 3, 0, 5, 1);
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_strategy_parse("TitForTat", &f.game, &f.tft, &err), PARLEY_OK);
    assert_int_equal(parley_strategy_parse("GTFT:0.3", &f.game, &f.gtft, &err), PARLEY_OK);
    assert_int_equal(parley_strategy_parse("GoByMajority", &f.game, &f.majority, &err), PARLEY_OK);
    const call_fn calls[] = {call_parse, call_long_run, call_finite, call_tournament, call_ngame};
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        each_failure(&f, calls[i]);
    parley_strategy_free(f.tft);
    parley_strategy_free(f.gtft);
    parley_strategy_free(f.majority);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
