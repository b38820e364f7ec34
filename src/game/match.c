/* Players, channels, pairs and matches: the one round-step that the process
 * simulator, `parley match` and tournaments all run.
 *
 * Speed: a round is two table lookups and four countdown decrements. Channel
 * events (a flipped action, a missed defection, a false alarm) are drawn as
 * geometric waiting times, one draw per event instead of one per round and
 * per player: with noise 0.05 a 200-turn match needs about 20 draws, not 400. */
#include "game_internal.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ players */

void parley_player_init(const parley_strategy *s, parley_player *p)
{
    p->state = s->kind == PARLEY__KIND_TABLE ? s->start : 0;
    p->seen_c = 0;
    p->seen_d = 0;
}

double parley_player_p_cooperate(const parley_strategy *s, const parley_player *p)
{
    if (s->kind == PARLEY__KIND_TABLE)
        return s->states[p->state].p;
    return parley__count_cooperates(s, p->seen_c, p->seen_d) ? 1.0 : 0.0;
}

static inline parley_action intend(const parley_strategy *s, const parley_player *p,
                                   parley_rng *rng)
{
    if (s->kind == PARLEY__KIND_TABLE) {
        const parley__state *st = &s->states[p->state];
        if (st->fixed != 2)
            return (parley_action)st->fixed;
        return parley_rng_u32(rng) < st->threshold ? PARLEY_C : PARLEY_D;
    }
    return parley__count_cooperates(s, p->seen_c, p->seen_d) ? PARLEY_C : PARLEY_D;
}

static inline void update(const parley_strategy *s, parley_player *p, parley_action own,
                          parley_action seen)
{
    if (s->kind == PARLEY__KIND_TABLE)
        p->state = s->states[p->state].next[own * 2 + seen];
    if (seen == PARLEY_C)
        p->seen_c++;
    else
        p->seen_d++;
}

parley_action parley_player_intend(const parley_strategy *s, const parley_player *p,
                                   parley_rng *rng)
{
    return intend(s, p, rng);
}

void parley_player_update(const parley_strategy *s, parley_player *p, parley_action own,
                          parley_action seen)
{
    update(s, p, own, seen);
}

/* ----------------------------------------------------------------- channels */

static bool draw_event(double p, parley_rng *rng)
{
    if (!(p > 0.0))
        return false;
    if (p >= 1.0)
        return true;
    return parley_rng_u32(rng) < parley__threshold(p);
}

parley_action parley_channel_implement(const parley_channel *c, parley_action intended,
                                       parley_rng *rng)
{
    return draw_event(c->noise, rng) ? (parley_action)(intended ^ 1) : intended;
}

parley_action parley_channel_observe(const parley_channel *c, parley_action actual,
                                     parley_rng *rng)
{
    if (actual == PARLEY_D)
        return draw_event(c->detect, rng) ? PARLEY_D : PARLEY_C;
    return draw_event(c->false_alarm, rng) ? PARLEY_D : PARLEY_C;
}

/* ----------------------------------------------------- geometric countdowns */

uint64_t parley__countdown_draw(const parley__countdown *cd, parley_rng *rng)
{
    if (cd->mode == 1)
        return 1;
    if (cd->mode == 0)
        return UINT64_MAX;
    /* K = floor(log U / log(1 - p)) is Geometric(p) failures before a success
     * for U uniform on (0, 1); the event comes on trial K + 1. U has 32-bit
     * resolution (one word per event), as the Bernoulli thresholds do. The
     * quotient is non-negative, so truncation is the floor. */
    double u = ((double)parley_rng_u32(rng) + 0.5) * 0x1.0p-32;
    double k = log(u) * cd->inv_log1m;
    if (!(k < 1.8e19))
        return UINT64_MAX;
    return (uint64_t)k + 1;
}

void parley__countdown_init(parley__countdown *cd, double p, parley_rng *rng)
{
    cd->inv_log1m = 0.0;
    if (!(p > 0.0)) {
        cd->mode = 0;
    } else if (p >= 1.0) {
        cd->mode = 1;
    } else {
        cd->mode = 2;
        cd->inv_log1m = 1.0 / log1p(-p);
    }
    cd->left = parley__countdown_draw(cd, rng);
}

/* True when this trial is an event; draws the next waiting time then. */
static inline bool tick(parley__countdown *cd, parley_rng *rng)
{
    if (--cd->left != 0)
        return false;
    cd->left = parley__countdown_draw(cd, rng);
    return true;
}

/* -------------------------------------------------------------------- pairs */

void parley_pair_init(parley_pair *pair, const parley_strategy *s1, const parley_strategy *s2,
                      const parley_channel *c1, const parley_channel *c2,
                      const parley_stream_id *id)
{
    pair->strategy[0] = s1;
    pair->strategy[1] = s2;
    parley_player_init(s1, &pair->player[0]);
    parley_player_init(s2, &pair->player[1]);
    parley_rng_init(&pair->rng, id);
    const parley_channel *c[2] = {c1, c2};
    for (int i = 0; i < 2; i++) {
        parley__countdown_init(&pair->event[i][0], c[i]->noise, &pair->rng);
        parley__countdown_init(&pair->event[i][1], 1.0 - c[i]->detect, &pair->rng);
        parley__countdown_init(&pair->event[i][2], c[i]->false_alarm, &pair->rng);
    }
    pair->round = 0;
}

/* One round on a pair. The order of draws is fixed (intentions of 1 then 2,
 * then noise, then observations) so that a stream always means one history. */
static inline void step(parley_pair *pr, parley_action act[2], parley_action seen[2],
                        parley_action intended[2])
{
    const parley_strategy *s1 = pr->strategy[0], *s2 = pr->strategy[1];
    parley_action a1 = intend(s1, &pr->player[0], &pr->rng);
    parley_action a2 = intend(s2, &pr->player[1], &pr->rng);
    intended[0] = a1;
    intended[1] = a2;
    if (tick(&pr->event[0][0], &pr->rng))
        a1 ^= 1;
    if (tick(&pr->event[1][0], &pr->rng))
        a2 ^= 1;
    /* player 1 sees a2: a defection may be missed, a cooperation may raise a false alarm */
    parley_action o1 = a2, o2 = a1;
    if (tick(&pr->event[0][a2 == PARLEY_D ? 1 : 2], &pr->rng))
        o1 ^= 1;
    if (tick(&pr->event[1][a1 == PARLEY_D ? 1 : 2], &pr->rng))
        o2 ^= 1;
    update(s1, &pr->player[0], a1, o1);
    update(s2, &pr->player[1], a2, o2);
    act[0] = a1;
    act[1] = a2;
    seen[0] = o1;
    seen[1] = o2;
    pr->round++;
}

void parley_pair_step(parley_pair *pair, const parley_stage_game *game, parley_round *out)
{
    parley_action act[2], seen[2], intended[2];
    step(pair, act, seen, intended);
    if (out) {
        for (int i = 0; i < 2; i++) {
            out->intended[i] = intended[i];
            out->actual[i] = act[i];
            out->seen[i] = seen[i];
            out->payoff[i] = game->payoff[i][act[0]][act[1]];
        }
    }
}

/* ------------------------------------------------------------------ matches */

/* Packed increments of (player 1 cooperated, player 2 cooperated, both did)
 * by outcome CC, CD, DC, DD. */
static const uint64_t parley__outcome_increment[4] = {
    1u | (uint64_t)1 << 21 | (uint64_t)1 << 42, 1u, (uint64_t)1 << 21, 0};

#define PLAY_CHUNK (1u << 20) /* rounds per call: the packed counts hold 21 bits */

/* The match loop, instantiated from play_loop.h for the cases worth a loop of
 * their own: any strategies and channels (also recording actions), two tables
 * with imperfect observation, and two tables with perfect observation (the
 * Axelrod setting, where four countdowns and the seen-counts drop out). */

#define PLAY_NAME play_general
#define PLAY_TABLES 0
#define PLAY_PERFECT 0
#include "play_loop.h"

#define PLAY_NAME play_tables
#define PLAY_TABLES 1
#define PLAY_PERFECT 0
#include "play_loop.h"

#define PLAY_NAME play_tables_perfect
#define PLAY_TABLES 1
#define PLAY_PERFECT 1
#include "play_loop.h"

void parley_match_play(const parley_strategy *s1, const parley_strategy *s2,
                       const parley_stage_game *game, const parley_channel *channel,
                       uint32_t turns, const parley_stream_id *id, parley_match_result *out,
                       char *actions1, char *actions2)
{
    parley_pair pair;
    parley_pair_init(&pair, s1, s2, channel, channel, id);
    uint32_t counts[3] = {0, 0, 0};
    bool tables = s1->kind == PARLEY__KIND_TABLE && s2->kind == PARLEY__KIND_TABLE;
    bool perfect = channel->detect >= 1.0 && !(channel->false_alarm > 0.0);
    for (uint32_t done = 0; done < turns;) {
        uint32_t n = turns - done < PLAY_CHUNK ? turns - done : PLAY_CHUNK;
        char *r1 = actions1 ? actions1 + done : NULL, *r2 = actions2 ? actions2 + done : NULL;
        if (r1 || r2 || !tables)
            play_general(&pair, n, counts, r1, r2);
        else if (perfect)
            play_tables_perfect(&pair, n, counts, NULL, NULL);
        else
            play_tables(&pair, n, counts, NULL, NULL);
        done += n;
    }
    uint32_t outcomes[4] = {counts[2], counts[0] - counts[2], counts[1] - counts[2],
                            turns - counts[0] - counts[1] + counts[2]};
    /* Scores from the outcome counts: exact in double (integer payoffs) and
     * four multiplications instead of one addition per round. */
    out->turns = turns;
    for (int i = 0; i < 2; i++) {
        double sc = 0;
        for (int o = 0; o < 4; o++)
            sc += (double)outcomes[o] * game->payoff[i][o >> 1][o & 1];
        out->score[i] = sc;
    }
    out->cooperations[0] = counts[0];
    out->cooperations[1] = counts[1];
    memcpy(out->outcomes, outcomes, sizeof outcomes);
}

uint32_t parley_match_length(double prob_end, uint32_t max_turns, parley_rng *rng)
{
    if (!(prob_end > 0.0))
        return max_turns;
    parley__countdown cd;
    parley__countdown_init(&cd, prob_end, rng);
    return cd.left < max_turns ? (uint32_t)cd.left : max_turns;
}
