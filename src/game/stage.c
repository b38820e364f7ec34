/* 2x2 stage games: the named presets, parsing from the command line or a
 * scenario, and the prisoner's-dilemma test that ZD and GTFT's default need. */
#include "game_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void parley_stage_game_symmetric(parley_stage_game *g, double R, double S, double T, double P)
{
    /* Row player's payoffs by (a1, a2); the column player's are the mirror. */
    g->payoff[0][PARLEY_C][PARLEY_C] = R;
    g->payoff[0][PARLEY_C][PARLEY_D] = S;
    g->payoff[0][PARLEY_D][PARLEY_C] = T;
    g->payoff[0][PARLEY_D][PARLEY_D] = P;
    g->payoff[1][PARLEY_C][PARLEY_C] = R;
    g->payoff[1][PARLEY_C][PARLEY_D] = T;
    g->payoff[1][PARLEY_D][PARLEY_C] = S;
    g->payoff[1][PARLEY_D][PARLEY_D] = P;
}

bool parley__parse_double(const char *text, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0]))
        return false;
    char *end = NULL;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + len || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static const struct {
    const char *name;
    double rstp[4];
} presets[] = {
    {"pd", {3, 0, 5, 1}},        {"prisoners-dilemma", {3, 0, 5, 1}},
    {"stag-hunt", {4, 0, 3, 2}}, {"chicken", {3, 1, 5, 0}},
};

parley_status parley_stage_game_parse(const char *text, parley_stage_game *g, parley_error *err)
{
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (strcasecmp(text, presets[i].name) == 0) {
            const double *v = presets[i].rstp;
            parley_stage_game_symmetric(g, v[0], v[1], v[2], v[3]);
            return PARLEY_OK;
        }
    double v[8];
    size_t n = 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 8 || !parley__parse_double(p, len, &v[n]))
            return parley_error_add(err, PARLEY_EINPUT, "game",
                                    "'%s' is not a game: give pd, stag-hunt, chicken, four "
                                    "numbers R,S,T,P or eight numbers (row then column "
                                    "payoffs for CC,CD,DC,DD)",
                                    text);
        n++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (n == 4) {
        parley_stage_game_symmetric(g, v[0], v[1], v[2], v[3]);
    } else if (n == 8) {
        for (int k = 0; k < 4; k++) {
            g->payoff[0][k >> 1][k & 1] = v[k];
            g->payoff[1][k >> 1][k & 1] = v[4 + k];
        }
    } else {
        return parley_error_add(err, PARLEY_EINPUT, "game",
                                "'%s' has %zu numbers: a game takes 4 (R,S,T,P) or 8", text, n);
    }
    return PARLEY_OK;
}

bool parley_stage_game_is_pd(const parley_stage_game *g, double rstp[4])
{
    double R = g->payoff[0][0][0], S = g->payoff[0][0][1], T = g->payoff[0][1][0],
           P = g->payoff[0][1][1];
    bool symmetric = g->payoff[1][0][0] == R && g->payoff[1][0][1] == T &&
                     g->payoff[1][1][0] == S && g->payoff[1][1][1] == P;
    if (!symmetric || !(T > R && R > P && P > S && 2 * R > T + S))
        return false;
    if (rstp) {
        rstp[0] = R;
        rstp[1] = S;
        rstp[2] = T;
        rstp[3] = P;
    }
    return true;
}

parley_status parley_channel_check(const parley_channel *c, const char *where, parley_error *err)
{
    parley_status st = PARLEY_OK;
    const struct {
        const char *name;
        double v;
    } f[] = {{"noise", c->noise}, {"detection probability", c->detect},
             {"false-alarm rate", c->false_alarm}};
    for (int i = 0; i < 3; i++)
        if (!(f[i].v >= 0.0 && f[i].v <= 1.0))
            st = parley_error_add(err, PARLEY_EINPUT, where ? where : "",
                                  "the %s must be a probability in [0, 1], not %g", f[i].name,
                                  f[i].v);
    return st;
}
