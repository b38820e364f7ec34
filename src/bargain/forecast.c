/* One entry point for every bargaining model: validates the problem, fills in
 * defaults and dispatches. The dynamic models (BDM, exchange, SMP) live in
 * their own files and headers; this file is where they are wired in. */
#include "internal.h"

#include "parley/bargain_bdm.h"
#include "parley/bargain_exchange.h"
#include "parley/bargain_smp.h"

#include "core/alloc.h"

#include <math.h>
#include <string.h>

void parley_bargain_settings_default(parley_bargain_settings *s)
{
    memset(s, 0, sizeof *s);
}

bool parley_bargain_model_available(parley_bargain_model model)
{
    switch (model) {
    case PARLEY_MODEL_COMPROMISE:
    case PARLEY_MODEL_MEDIAN:
    case PARLEY_MODEL_NBS:
    case PARLEY_MODEL_BDM:
    case PARLEY_MODEL_EXCHANGE:
    case PARLEY_MODEL_SMP:
        return true;
    default:
        return false;
    }
}

static parley_status run_model(const parley_bargain_problem *problem, parley_bargain_model model,
                               const parley_bargain_settings *s, parley_bargain_result *result,
                               parley_error *err)
{
    switch (model) {
    case PARLEY_MODEL_COMPROMISE:
        return parley_compromise_run(problem, result, err);
    case PARLEY_MODEL_MEDIAN:
        return parley_median_run(problem, s->median, result, err);
    case PARLEY_MODEL_NBS:
        return parley_nbs_run(problem, s->nbs, result, err);
    case PARLEY_MODEL_BDM: {
        parley_bdm_options o;
        if (s->bdm)
            o = *s->bdm;
        else
            parley_bdm_options_default(&o);
        if (s->rounds)
            o.rounds = s->rounds;
        return parley_bdm_run(problem, &o, result, err);
    }
    case PARLEY_MODEL_EXCHANGE: {
        parley_exchange_options o;
        if (s->exchange)
            o = *s->exchange;
        else
            parley_exchange_options_default(&o);
        if (s->rounds)
            o.rounds = s->rounds;
        if (s->seed)
            o.seed = s->seed;
        return parley_exchange_run(problem, &o, result, err);
    }
    case PARLEY_MODEL_SMP: {
        parley_smp_options o;
        if (s->smp)
            o = *s->smp;
        else
            parley_smp_options_default(&o);
        /* SMP stops by its own rule (KTAB's 2% test); rounds caps the turns. */
        if (s->rounds) {
            if (s->rounds > 1000000u)
                return parley_error_add(err, PARLEY_ELIMIT, NULL,
                                        "smp: %zu rounds is more than 1000000", s->rounds);
            o.max_turns = (unsigned)s->rounds;
        }
        if (s->seed)
            o.seed = s->seed;
        return parley_smp_run(problem, &o, result, err);
    }
    default:
        return parley_error_add(err, PARLEY_EUSAGE, NULL,
                                "model %s is not available in this build",
                                parley_bargain_model_name(model));
    }
}

/* Number of distinct groups in grp[0..n). */
static size_t count_groups(const size_t *grp, size_t n_issues)
{
    size_t n = 0;
    for (size_t i = 0; i < n_issues; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = grp[j] == grp[i];
        n += !seen;
    }
    return n;
}

/* SMP reads saliences as shares of an actor's attention (KTAB: at most 1 in
 * total over the dimensions) and needs every participating actor placed on
 * every dimension. Tables such as DEU rate each issue's importance on its own
 * and leave stances blank, so a group where some actor's saliences add up to
 * more than 1, or where an actor with salience lacks a position on one of the
 * group's issues, is split into its issues, each run alone, as KTAB runs
 * one-dimension cases. `in` is the grouping to start from. */
static void split_for_smp(const parley_bargain_problem *p, const size_t *in, size_t *grp)
{
    size_t ni = p->n_issues, next = 0;
    for (size_t i = 0; i < ni; i++)
        next = grp[i] + 1 > next ? grp[i] + 1 : next;
    for (size_t i = 0; i < ni; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = in[j] != in[i];
        if (!first)
            continue;
        bool over = false;
        for (size_t a = 0; a < p->n_actors && !over; a++) {
            double total = 0.0;
            bool gap = false;
            for (size_t j = i; j < ni; j++)
                if (in[j] == in[i]) {
                    total += p->salience[a * ni + j];
                    gap = gap || isnan(p->position[a * ni + j]);
                }
            over = total > 1.0 + 1e-9 || (gap && total > 0.0);
        }
        if (!over)
            continue;
        for (size_t j = i + 1; j < ni; j++)
            if (in[j] == in[i])
                grp[j] = next++;
    }
}

/* Runs a multi-issue model once per issue group and stitches the results: a
 * group whose run stopped earlier holds its last positions in later rounds. */
static parley_status run_grouped(const parley_bargain_problem *p, const size_t *grp,
                                 parley_bargain_model model, const parley_bargain_settings *s,
                                 size_t n_groups, parley_bargain_result *result, parley_error *err)
{
    parley_status st = parley__bargain_result_init(result, model, p->n_issues, err);
    if (st != PARLEY_OK)
        return st;
    size_t ni = p->n_issues, na = p->n_actors;
    size_t *idx = PARLEY_NEW_ARRAY(size_t, ni);       /* issues of the current group */
    size_t *first = PARLEY_NEW_ARRAY(size_t, n_groups); /* first issue of each group */
    parley_bargain_result *sub = PARLEY_NEW_ARRAY(parley_bargain_result, n_groups);
    size_t *sub_n = PARLEY_NEW_ARRAY(size_t, n_groups);
    size_t **sub_idx = PARLEY_NEW_ARRAY(size_t *, n_groups);
    if (!idx || !first || !sub || !sub_n || !sub_idx) {
        st = parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for grouped issues");
        goto done;
    }
    size_t g = 0;
    for (size_t i = 0; i < ni; i++) {
        bool seen = false;
        for (size_t k = 0; k < g && !seen; k++)
            seen = grp[first[k]] == grp[i];
        if (!seen)
            first[g++] = i;
    }
    size_t rounds = 0;
    bool any_median = false, any_mean = false, any_trace = false;
    for (g = 0; g < n_groups; g++) {
        size_t n = 0;
        for (size_t i = first[g]; i < ni; i++)
            if (grp[i] == grp[first[g]])
                idx[n++] = i;
        sub_idx[g] = PARLEY_NEW_ARRAY(size_t, n);
        if (!sub_idx[g]) {
            st = parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for grouped issues");
            goto done;
        }
        memcpy(sub_idx[g], idx, n * sizeof *idx);
        sub_n[g] = n;
        parley_bargain_problem *part;
        st = parley_bargain_problem_subset(p, idx, n, &part, err);
        if (st != PARLEY_OK)
            goto done;
        st = run_model(part, model, s, &sub[g], err);
        parley_bargain_problem_free(part);
        if (st != PARLEY_OK)
            goto done;
        for (size_t j = 0; j < n; j++)
            result->forecast[idx[j]] = sub[g].forecast[j];
        if (sub[g].trace.positions) {
            any_trace = true;
            if (sub[g].trace.rounds > rounds)
                rounds = sub[g].trace.rounds;
        }
        any_median = any_median || sub[g].trace.median;
        any_mean = any_mean || sub[g].trace.mean;
    }
    if (any_trace) {
        parley_bargain_trace *t = &result->trace;
        size_t blocks = rounds + 1;
        t->rounds = rounds;
        t->n_actors = na;
        t->n_issues = ni;
        t->positions = PARLEY_NEW_ARRAY(double, blocks * na * ni);
        if (any_median)
            t->median = PARLEY_NEW_ARRAY(double, blocks * ni);
        if (any_mean)
            t->mean = PARLEY_NEW_ARRAY(double, blocks * ni);
        if (!t->positions || (any_median && !t->median) || (any_mean && !t->mean)) {
            st = parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for the trace");
            goto done;
        }
        for (size_t k = 0; k < blocks * na * ni; k++)
            t->positions[k] = NAN;
        for (size_t k = 0; any_median && k < blocks * ni; k++)
            t->median[k] = NAN;
        for (size_t k = 0; any_mean && k < blocks * ni; k++)
            t->mean[k] = NAN;
        for (g = 0; g < n_groups; g++) {
            const parley_bargain_trace *u = &sub[g].trace;
            size_t n = sub_n[g];
            if (!u->positions)
                continue;
            for (size_t r = 0; r < blocks; r++) {
                size_t ru = r < u->rounds ? r : u->rounds;
                for (size_t j = 0; j < n; j++) {
                    size_t i = sub_idx[g][j];
                    for (size_t a = 0; a < na; a++)
                        t->positions[(r * na + a) * ni + i] = u->positions[(ru * na + a) * n + j];
                    if (u->median)
                        t->median[r * ni + i] = u->median[ru * n + j];
                    if (u->mean)
                        t->mean[r * ni + i] = u->mean[ru * n + j];
                }
            }
        }
    }
done:
    for (g = 0; sub && g < n_groups; g++)
        parley_bargain_result_free(&sub[g]);
    for (g = 0; sub_idx && g < n_groups; g++)
        parley__free(sub_idx[g]);
    parley__free(sub_idx);
    parley__free(sub_n);
    parley__free(sub);
    parley__free(first);
    parley__free(idx);
    if (st != PARLEY_OK)
        parley_bargain_result_free(result);
    return st;
}

parley_status parley_bargain_forecast(const parley_bargain_problem *problem,
                                      parley_bargain_model model,
                                      const parley_bargain_settings *settings,
                                      parley_bargain_result *result, parley_error *err)
{
    memset(result, 0, sizeof *result);
    parley_bargain_settings defaults;
    parley_bargain_settings_default(&defaults);
    const parley_bargain_settings *s = settings ? settings : &defaults;
    if ((int)model < 0 || model >= PARLEY_MODEL_COUNT)
        return parley_error_add(err, PARLEY_EUSAGE, NULL, "unknown bargaining model %d",
                                (int)model);
    parley_status st = parley_bargain_problem_validate(problem, NULL, err);
    if (st != PARLEY_OK)
        return st;
    /* SMP also splits an ungrouped problem (a parley scenario, whose
     * saliences are per issue) into the issues KTAB could not run together. */
    if ((model == PARLEY_MODEL_EXCHANGE || model == PARLEY_MODEL_SMP) &&
        (problem->issue_group || model == PARLEY_MODEL_SMP)) {
        size_t *grp = PARLEY_NEW_ARRAY(size_t, problem->n_issues);
        size_t *in = PARLEY_NEW_ARRAY(size_t, problem->n_issues);
        if (!grp || !in) {
            parley__free(grp);
            parley__free(in);
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for issue groups");
        }
        if (problem->issue_group)
            memcpy(in, problem->issue_group, problem->n_issues * sizeof *in);
        memcpy(grp, in, problem->n_issues * sizeof *grp);
        if (model == PARLEY_MODEL_SMP)
            split_for_smp(problem, in, grp);
        parley__free(in);
        size_t groups = count_groups(grp, problem->n_issues);
        if (groups > 1)
            st = run_grouped(problem, grp, model, s, groups, result, err);
        else
            st = run_model(problem, model, s, result, err);
        parley__free(grp);
        return st;
    }
    return run_model(problem, model, s, result, err);
}
