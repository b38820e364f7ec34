/* The body of the match loop, included by match.c once per variant (a C
 * template). Before inclusion define PLAY_NAME (the function's name),
 * PLAY_TABLES (1: both strategies are tables; the pair's seen-counts are then
 * left as they were, as parley_match_play discards the pair) and PLAY_PERFECT
 * (1: both observers see every action as it was). The variants draw in the
 * same order, so they and step() give the same match from the same stream.
 *
 * Per round: one load per player (its transition code carries the next state
 * and, when that state never randomises, its action), two countdowns for
 * noise and, with imperfect observation, two more per observer; channel
 * events are the only unpredictable branches. */
static void PLAY_NAME(parley_pair *pr, uint32_t turns, uint32_t counts[3], char *rec1,
                      char *rec2)
{
    const parley_strategy *s1 = pr->strategy[0], *s2 = pr->strategy[1];
    const parley__state *st1 = s1->states, *st2 = s2->states;
    const uint32_t *code1 = s1->code, *code2 = s2->code;
#if PLAY_TABLES
    const bool table1 = true, table2 = true;
#else
    const bool table1 = s1->kind == PARLEY__KIND_TABLE, table2 = s2->kind == PARLEY__KIND_TABLE;
    const uint32_t c1start = pr->player[0].seen_c, d1start = pr->player[0].seen_d;
    const uint32_t c2start = pr->player[1].seen_c, d2start = pr->player[1].seen_d;
    uint32_t c1seen = c1start, c2seen = c2start;
#endif
    /* k = state << 2 | the state's fixed action (2: randomises) */
    uint32_t k1 = table1 ? pr->player[0].state << 2 | st1[pr->player[0].state].fixed : 0;
    uint32_t k2 = table2 ? pr->player[1].state << 2 | st2[pr->player[1].state].fixed : 0;
    uint64_t noise1 = pr->event[0][0].left, noise2 = pr->event[1][0].left;
#if !PLAY_PERFECT
    uint64_t miss1 = pr->event[0][1].left, alarm1 = pr->event[0][2].left;
    uint64_t miss2 = pr->event[1][1].left, alarm2 = pr->event[1][2].left;
#endif
    parley_rng *rng = &pr->rng;
    /* Outcome counts packed in one register: player 1's cooperations in bits
     * 0-20, player 2's in 21-41, mutual in 42-62; the caller keeps turns below
     * PLAY_CHUNK = 2^20 so that no field overflows. */
    uint64_t packed = 0;
    for (uint32_t t = 0; t < turns; t++) {
        unsigned a1, a2;
        if (table1) {
            a1 = k1 & 3u;
            if (a1 == 2)
                a1 = parley_rng_u32(rng) >= st1[k1 >> 2].threshold;
        } else {
#if !PLAY_TABLES
            a1 = !parley__count_cooperates(s1, c1seen, d1start + t - (c1seen - c1start));
#endif
        }
        if (table2) {
            a2 = k2 & 3u;
            if (a2 == 2)
                a2 = parley_rng_u32(rng) >= st2[k2 >> 2].threshold;
        } else {
#if !PLAY_TABLES
            a2 = !parley__count_cooperates(s2, c2seen, d2start + t - (c2seen - c2start));
#endif
        }
        if (--noise1 == 0) {
            a1 ^= 1;
            noise1 = parley__countdown_draw(&pr->event[0][0], rng);
        }
        if (--noise2 == 0) {
            a2 ^= 1;
            noise2 = parley__countdown_draw(&pr->event[1][0], rng);
        }
        unsigned o1 = a2, o2 = a1;
#if !PLAY_PERFECT
        /* Player 1's observation of a2: a defection ticks the miss countdown, a
         * cooperation the false-alarm one; only one of them can reach zero. */
        miss1 -= a2;
        alarm1 -= a2 ^ 1;
        if (miss1 == 0 || alarm1 == 0) {
            o1 ^= 1;
            if (a2)
                miss1 = parley__countdown_draw(&pr->event[0][1], rng);
            else
                alarm1 = parley__countdown_draw(&pr->event[0][2], rng);
        }
        miss2 -= a1;
        alarm2 -= a1 ^ 1;
        if (miss2 == 0 || alarm2 == 0) {
            o2 ^= 1;
            if (a1)
                miss2 = parley__countdown_draw(&pr->event[1][1], rng);
            else
                alarm2 = parley__countdown_draw(&pr->event[1][2], rng);
        }
#endif
        if (table1)
            k1 = code1[(k1 & ~3u) | a1 << 1 | o1];
        if (table2)
            k2 = code2[(k2 & ~3u) | a2 << 1 | o2];
#if !PLAY_TABLES
        c1seen += o1 ^ 1;
        c2seen += o2 ^ 1;
#endif
        packed += parley__outcome_increment[a1 << 1 | a2];
        if (rec1)
            rec1[t] = a1 ? 'D' : 'C';
        if (rec2)
            rec2[t] = a2 ? 'D' : 'C';
    }
    if (table1)
        pr->player[0].state = k1 >> 2;
    if (table2)
        pr->player[1].state = k2 >> 2;
#if !PLAY_TABLES
    pr->player[0].seen_c = c1seen;
    pr->player[0].seen_d = d1start + turns - (c1seen - c1start);
    pr->player[1].seen_c = c2seen;
    pr->player[1].seen_d = d2start + turns - (c2seen - c2start);
#endif
    pr->event[0][0].left = noise1;
    pr->event[1][0].left = noise2;
#if !PLAY_PERFECT
    pr->event[0][1].left = miss1;
    pr->event[0][2].left = alarm1;
    pr->event[1][1].left = miss2;
    pr->event[1][2].left = alarm2;
#endif
    pr->round += turns;
    counts[0] += (uint32_t)(packed & 0x1FFFFF);
    counts[1] += (uint32_t)(packed >> 21 & 0x1FFFFF);
    counts[2] += (uint32_t)(packed >> 42 & 0x1FFFFF);
}

#undef PLAY_NAME
#undef PLAY_TABLES
#undef PLAY_PERFECT
