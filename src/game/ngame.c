/* N-party games made of pairwise stage games between every ordered pair of
 * parties: the form the process simulator uses for compliance among many
 * parties. Party i draws everything it does (intentions, noise, its
 * observations) from its own stream (actor = i), so adding a party leaves the
 * others' draws as they were. Channel events are drawn per round here (not as
 * waiting times) because the per-counterpart actions change from round to
 * round in ways the caller may also drive. */
#include "game_internal.h"

#include "core/alloc.h"

#include <stdio.h>
#include <string.h>

struct parley_ngame {
    size_t n;
    parley_ngame_mode mode;
    uint32_t quorum;
    parley_stage_game game;
    const parley_strategy **strategy; /* n */
    parley_channel *channel;          /* n */
    parley_player *memory;            /* n * n (per counterpart) or n */
    uint8_t *act;                     /* [i * n + j]: i's actual action towards j */
    uint8_t *seen;                    /* [i * n + j]: what i saw of j's action towards i */
    parley_rng *rng;                  /* n */
};

void parley_ngame_free(parley_ngame *g)
{
    if (!g)
        return;
    parley__free(g->strategy);
    parley__free(g->channel);
    parley__free(g->memory);
    parley__free(g->act);
    parley__free(g->seen);
    parley__free(g->rng);
    parley__free(g);
}

parley_status parley_ngame_create(size_t n, const parley_strategy *const *strategies,
                                  const parley_stage_game *game,
                                  const parley_channel *channels, parley_ngame_mode mode,
                                  uint32_t quorum, const parley_stream_id *base,
                                  parley_ngame **out, parley_error *err)
{
    *out = NULL;
    const char *where = "n-party game";
    parley_status st = PARLEY_OK;
    if (n < 2 || n > 1048576)
        return parley_error_add(err, PARLEY_EINPUT, where, "needs 2 to 1048576 parties, not %zu", n);
    if (mode != PARLEY_NGAME_PER_COUNTERPART && mode != PARLEY_NGAME_ONE_FOR_ALL)
        st = parley_error_add(err, PARLEY_EINPUT, where, "unknown mode %d", (int)mode);
    if (mode == PARLEY_NGAME_ONE_FOR_ALL && quorum > n - 1)
        st = parley_error_add(err, PARLEY_EINPUT, where,
                              "quorum %u exceeds the %zu counterparts", quorum, n - 1);
    if (channels)
        for (size_t i = 0; i < n; i++) {
            char w[64];
            snprintf(w, sizeof w, "channel of party %zu", i);
            if (parley_channel_check(&channels[i], w, err) != PARLEY_OK)
                st = PARLEY_EINPUT;
        }
    if (st != PARLEY_OK)
        return st;
    parley_ngame *g = parley__calloc(1, sizeof *g);
    size_t nmem = mode == PARLEY_NGAME_PER_COUNTERPART ? n * n : n;
    if (g) {
        g->strategy = PARLEY_NEW_ARRAY(const parley_strategy *, n);
        g->channel = PARLEY_NEW_ARRAY(parley_channel, n);
        g->memory = PARLEY_NEW_ARRAY(parley_player, nmem);
        g->act = PARLEY_NEW_ARRAY(uint8_t, n * n);
        g->seen = PARLEY_NEW_ARRAY(uint8_t, n * n);
        g->rng = PARLEY_NEW_ARRAY(parley_rng, n);
    }
    if (!g || !g->strategy || !g->channel || !g->memory || !g->act || !g->seen || !g->rng) {
        parley_ngame_free(g);
        return parley_error_add(err, PARLEY_ENOMEM, where, "no memory for %zu parties", n);
    }
    g->n = n;
    g->mode = mode;
    g->quorum = quorum ? quorum : (uint32_t)((n - 1) / 2 + 1);
    g->game = *game;
    for (size_t i = 0; i < n; i++) {
        g->strategy[i] = strategies[i];
        g->channel[i] = channels ? channels[i] : PARLEY_CHANNEL_PERFECT;
        parley_stream_id id = *base;
        id.mechanism = PARLEY_MECH_GAME;
        id.actor = (uint32_t)i;
        parley_rng_init(&g->rng[i], &id);
    }
    for (size_t k = 0; k < nmem; k++)
        parley_player_init(strategies[mode == PARLEY_NGAME_PER_COUNTERPART ? k / n : k],
                           &g->memory[k]);
    *out = g;
    return PARLEY_OK;
}

void parley_ngame_step(parley_ngame *g, double *payoffs)
{
    size_t n = g->n;
    for (size_t i = 0; i < n; i++) {
        const parley_strategy *s = g->strategy[i];
        if (g->mode == PARLEY_NGAME_PER_COUNTERPART) {
            for (size_t j = 0; j < n; j++) {
                if (j == i)
                    continue;
                parley_action a = parley_player_intend(s, &g->memory[i * n + j], &g->rng[i]);
                g->act[i * n + j] = (uint8_t)parley_channel_implement(&g->channel[i], a, &g->rng[i]);
            }
        } else {
            parley_action a = parley_player_intend(s, &g->memory[i], &g->rng[i]);
            a = parley_channel_implement(&g->channel[i], a, &g->rng[i]);
            for (size_t j = 0; j < n; j++)
                g->act[i * n + j] = (uint8_t)a;
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t defections = 0;
        double pay = 0;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            parley_action theirs = (parley_action)g->act[j * n + i];
            parley_action seen = parley_channel_observe(&g->channel[i], theirs, &g->rng[i]);
            g->seen[i * n + j] = (uint8_t)seen;
            defections += seen == PARLEY_D;
            pay += g->game.payoff[0][g->act[i * n + j]][theirs];
            if (g->mode == PARLEY_NGAME_PER_COUNTERPART)
                parley_player_update(g->strategy[i], &g->memory[i * n + j],
                                     (parley_action)g->act[i * n + j], seen);
        }
        if (g->mode == PARLEY_NGAME_ONE_FOR_ALL)
            parley_player_update(g->strategy[i], &g->memory[i],
                                 (parley_action)g->act[i * n + (i == 0 ? 1 : 0)],
                                 defections >= g->quorum ? PARLEY_D : PARLEY_C);
        if (payoffs)
            payoffs[i] = pay;
    }
}

parley_action parley_ngame_action(const parley_ngame *g, size_t i, size_t j)
{
    return (parley_action)g->act[i * g->n + j];
}

parley_action parley_ngame_seen(const parley_ngame *g, size_t i, size_t j)
{
    return (parley_action)g->seen[i * g->n + j];
}

const parley_player *parley_ngame_player(const parley_ngame *g, size_t i, size_t j)
{
    return g->mode == PARLEY_NGAME_PER_COUNTERPART ? &g->memory[i * g->n + j] : &g->memory[i];
}
