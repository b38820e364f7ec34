/* `parley show SCENARIO`: the scenario as readable aligned tables (actors,
 * issues, a stance grid, forums, agreements, trust, events, policy,
 * uncertain numbers), or with --format json the normalised scenario. */
#include "cli.h"

#include "core/alloc.h"
#include "core/utf8.h"
#include "parley/scenario.h"
#include "scenario/model.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define COLS 12
#define CELL 96

/* A table of short cells, printed with each column as wide as its widest cell. */
typedef struct table {
    size_t cols;
    size_t rows, cap;
    char (*cells)[COLS][CELL];
    bool right[COLS]; /* right-align (numbers) */
} table;

static bool table_row(table *t)
{
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        void *grown = parley__realloc_array(t->cells, cap, sizeof *t->cells);
        if (!grown)
            return false;
        t->cells = grown;
        t->cap = cap;
    }
    memset(t->cells[t->rows], 0, sizeof *t->cells);
    t->rows++;
    return true;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static void cell(table *t, size_t col, const char *fmt, ...)
{
    if (!t->rows || col >= COLS)
        return;
    char *c = t->cells[t->rows - 1][col];
    va_list ap;
    va_start(ap, fmt);
    int full = vsnprintf(c, CELL, fmt, ap);
    va_end(ap);
    if (full >= CELL) /* cut: drop a character the cut split in two */
        parley__utf8_trim(c);
}

/* Display width in characters (UTF-8 continuation bytes do not count). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void table_print(table *t, const char *indent)
{
    size_t w[COLS] = {0};
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < t->cols; c++) {
            size_t x = width(t->cells[r][c]);
            if (x > w[c])
                w[c] = x;
        }
    for (size_t r = 0; r < t->rows; r++) {
        fputs(indent, stdout);
        size_t last = t->cols;
        while (last > 0 && !t->cells[r][last - 1][0])
            last--;
        for (size_t c = 0; c < last; c++) {
            const char *s = t->cells[r][c];
            size_t pad = w[c] - width(s);
            if (t->right[c] && r > 0)
                printf("%*s%s", (int)pad, "", s);
            else
                printf("%s%*s", s, c + 1 < last ? (int)pad : 0, "");
            if (c + 1 < last)
                fputs("  ", stdout);
        }
        putchar('\n');
    }
    parley__free(t->cells);
    memset(t, 0, sizeof *t);
}

static void date_text(parley_date d, char *buf, size_t size)
{
    if (!d.year)
        snprintf(buf, size, "-");
    else if (d.day)
        snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
    else
        snprintf(buf, size, "%04d-%02d", d.year, d.month);
}

static const char *aid(const psc_model *m, int i) { return i >= 0 ? m->actors[i].id : "-"; }

static void id_list(const psc_model *m, const int *idx, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? " " : "", aid(m, idx[i]));
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static bool show_text(const parley_scenario *sc)
{
    const psc_model *m = parley__scenario_model(sc);
    char a[64], b[64];
    table t = {0};
    date_text(m->meta.start, a, sizeof a);
    date_text(m->meta.horizon, b, sizeof b);
    printf("%s\n", m->meta.name);
    if (m->meta.description[0])
        printf("%s\n", m->meta.description);
    printf("%s to %s: %zu rounds of %d month%s; %zu sources\n", a, b, parley_scenario_rounds(sc),
           m->meta.round_months, m->meta.round_months == 1 ? "" : "s", m->meta.n_sources);

    printf("\nActors (%zu)\n", m->n_actors);
    t.cols = 12;
    static const size_t numeric_cols[] = {3, 4, 5, 8, 9, 10};
    for (size_t c = 0; c < sizeof numeric_cols / sizeof numeric_cols[0]; c++)
        t.right[numeric_cols[c]] = true;
    if (!table_row(&t))
        return false;
    const char *head[] = {"id", "kind", "parent", "capability", "risk", "type_prior",
                          "table", "veto", "need", "support", "contact", "name"};
    for (size_t c = 0; c < 12; c++)
        cell(&t, c, "%s", head[c]);
    for (size_t i = 0; i < m->n_actors; i++) {
        const psc_actor *x = &m->actors[i];
        if (!table_row(&t))
            return false;
        cell(&t, 0, "%s", x->id);
        cell(&t, 1, "%s", parley_actor_kind_name((parley_actor_kind)x->kind));
        cell(&t, 2, "%s", x->parent >= 0 ? aid(m, x->parent)
                          : x->leans_toward >= 0 ? aid(m, x->leans_toward) : "-");
        if (x->leans_toward >= 0)
            cell(&t, 2, "leans %s", aid(m, x->leans_toward));
        cell(&t, 3, "%g", x->capability);
        cell(&t, 4, "%g", x->risk);
        cell(&t, 5, "%g", x->type_prior);
        cell(&t, 6, "%s", x->at_table ? "yes" : "no");
        cell(&t, 7, "%s%s%s", x->veto & PSC_VETO_RATIFICATION ? "ratify" : "",
             x->veto == (PSC_VETO_RATIFICATION | PSC_VETO_IMPLEMENTATION) ? "+" : "",
             x->veto & PSC_VETO_IMPLEMENTATION ? "implement" : (x->veto ? "" : "-"));
        cell(&t, 8, "%g", x->need);
        cell(&t, 9, "%g", x->support);
        if (x->n_contact_with)
            cell(&t, 10, "%g (%s%s)", x->contact_cost, m->actors[x->contact_with[0]].id,
                 x->n_contact_with > 1 ? ", ..." : "");
        else
            cell(&t, 10, "%g", x->contact_cost);
        cell(&t, 11, "%s", x->name);
    }
    table_print(&t, "  ");

    printf("\nIssues (%zu)\n", m->n_issues);
    memset(t.right, 0, sizeof t.right);
    t.cols = 7;
    t.right[3] = t.right[2] = true;
    if (!table_row(&t))
        return false;
    const char *ihead[] = {"id", "kind", "rung", "status_quo", "verification", "0 = ... / 100 = ...",
                           ""};
    for (size_t c = 0; c < 6; c++)
        cell(&t, c, "%s", ihead[c]);
    for (size_t i = 0; i < m->n_issues; i++) {
        const psc_issue *x = &m->issues[i];
        if (!table_row(&t))
            return false;
        cell(&t, 0, "%s", x->id);
        cell(&t, 1, "%s", parley_issue_kind_name((parley_issue_kind)x->kind));
        cell(&t, 2, "%d", x->rung);
        cell(&t, 3, "%g", x->status_quo);
        char reversible[32] = "";
        if (x->reversible > 0.0)
            snprintf(reversible, sizeof reversible, " rev=%g", x->reversible);
        cell(&t, 4, "d=%g f=%g%s%s", psc_issue_detection(m, i), psc_issue_false_alarm(m, i),
             x->verification.inspectable ? "" : " no-insp", reversible);
        cell(&t, 5, "%.*s / %.*s", parley__utf8_prefix(x->label_0, 40), x->label_0,
             parley__utf8_prefix(x->label_100, 40), x->label_100);
    }
    table_print(&t, "  ");

    printf("\nStances: position/salience (actor x issue; . = no stance)\n");
    size_t cols_per_block = COLS - 1;
    for (size_t start = 0; start < m->n_issues; start += cols_per_block) {
        size_t end = start + cols_per_block < m->n_issues ? start + cols_per_block : m->n_issues;
        t.cols = 1 + (end - start);
        for (size_t c = 1; c < COLS; c++)
            t.right[c] = true;
        if (!table_row(&t))
            return false;
        cell(&t, 0, "%s", "");
        for (size_t i = start; i < end; i++)
            cell(&t, 1 + i - start, "%s", m->issues[i].id);
        for (size_t ac = 0; ac < m->n_actors; ac++) {
            bool any = false;
            for (size_t i = start; i < end; i++)
                any |= m->stance_at[ac * m->n_issues + i] >= 0;
            if (!any)
                continue;
            if (!table_row(&t))
                return false;
            cell(&t, 0, "%s", m->actors[ac].id);
            for (size_t i = start; i < end; i++) {
                int k = m->stance_at[ac * m->n_issues + i];
                if (k >= 0)
                    cell(&t, 1 + i - start, "%g/%.2f", m->stances[k].position,
                         m->stances[k].salience);
                else
                    cell(&t, 1 + i - start, ".");
            }
        }
        table_print(&t, "  ");
        if (end < m->n_issues)
            putchar('\n');
    }
    memset(t.right, 0, sizeof t.right);

    if (m->n_forums) {
        printf("\nForums (%zu)\n", m->n_forums);
        t.cols = 7;
        if (!table_row(&t))
            return false;
        const char *fh[] = {"id", "members", "chair", "cadence", "agenda", "start", "location"};
        for (size_t c = 0; c < 7; c++)
            cell(&t, c, "%s", fh[c]);
        for (size_t i = 0; i < m->n_forums; i++) {
            const psc_forum *f = &m->forums[i];
            char list[CELL];
            if (!table_row(&t))
                return false;
            cell(&t, 0, "%s", f->id);
            id_list(m, f->members, f->n_members, list, sizeof list);
            cell(&t, 1, "%s", list);
            cell(&t, 2, "%s", parley__chair_rotations[f->chair.rotation]);
            cell(&t, 3, "%g mo%s%s", psc_forum_cadence(m, i), isnan(f->cadence_months) ? " (policy)" : "",
                 f->convening == PSC_CONVENING_INITIATIVE ? ", by initiative" : "");
            cell(&t, 4, "%s", parley__agendas[f->agenda]);
            date_text(f->start, a, sizeof a);
            cell(&t, 5, "%s", a);
            cell(&t, 6, "%s", f->location[0] ? f->location : "-");
        }
        table_print(&t, "  ");
        for (size_t i = 0; i < m->n_forums; i++) {
            const psc_forum *f = &m->forums[i];
            printf("  %s mandate: ", f->id);
            if (!f->n_issues)
                printf("every issue whose stakeholders all sit in it\n");
            for (size_t k = 0; k < f->n_issues; k++)
                printf("%s%s", m->issues[f->issues[k]].id, k + 1 < f->n_issues ? ", " : "\n");
            if (!isnan(f->side_payments))
                printf("  %s side payments %g (its own, not the policy's)\n", f->id,
                       f->side_payments);
        }
    }

    if (m->n_agreements) {
        printf("\nAgreements in force (%zu)\n", m->n_agreements);
        for (size_t i = 0; i < m->n_agreements; i++) {
            const psc_agreement *g = &m->agreements[i];
            char list[CELL];
            date_text(g->in_force, a, sizeof a);
            id_list(m, g->parties, g->n_parties, list, sizeof list);
            printf("  %s  %s  since %s  parties: %s\n", g->id, g->name, a, list);
            for (size_t k = 0; k < g->n_terms; k++)
                printf("      term: %s at %g\n", m->issues[g->terms[k].issue].id, g->terms[k].level);
            for (size_t k = 0; k < g->n_obligations; k++) {
                const psc_obligation *o = &g->obligations[k];
                printf("      %s owes %s at %g%s%s\n", aid(m, o->actor), m->issues[o->issue].id,
                       o->level, o->description[0] ? ": " : "", o->description);
            }
        }
    }

    if (m->games.present) {
        /* The stage game as player 1's payoffs (R, S, T, P), then each defined
         * strategy in a line (docs/FORMAT.md, games). */
        const parley_stage_game *g = &m->games.stage.game;
        printf("\nGames\n  stage game (player 1): R %g, S %g, T %g, P %g%s%s%s\n",
               g->payoff[0][PARLEY_C][PARLEY_C], g->payoff[0][PARLEY_C][PARLEY_D],
               g->payoff[0][PARLEY_D][PARLEY_C], g->payoff[0][PARLEY_D][PARLEY_D],
               m->games.stage.preset ? " (" : "", m->games.stage.preset ? m->games.stage.preset : "",
               m->games.stage.preset ? ")" : "");
        static const char *const forms[] = {"spec", "memory-one", "states", "machine"};
        for (size_t i = 0; i < m->games.n_strategies; i++) {
            const psc_strategy_def *d = &m->games.strategies[i];
            printf("  %s: %s", d->name, forms[d->form]);
            if (d->form == PSC_STRAT_SPEC)
                printf(" %s", d->spec);
            else if (d->form == PSC_STRAT_MEMORY_ONE)
                printf(" p(C | CC, CD, DC, DD) = %g, %g, %g, %g; first %g", d->p[0], d->p[1],
                       d->p[2], d->p[3], d->first);
            else
                printf(", %u states", (unsigned)d->n_states);
            printf("%s%s\n", d->description[0] ? ": " : "", d->description);
        }
    }

    if (m->n_trust) {
        printf("\nTrust: what FROM believes about TO's compliance, Beta(alpha, beta)\n");
        t.cols = 5;
        t.right[2] = t.right[3] = t.right[4] = true;
        if (!table_row(&t))
            return false;
        const char *th[] = {"from", "to", "alpha", "beta", "mean"};
        for (size_t c = 0; c < 5; c++)
            cell(&t, c, "%s", th[c]);
        for (size_t i = 0; i < m->n_trust; i++) {
            const psc_trust *x = &m->trust[i];
            if (!table_row(&t))
                return false;
            cell(&t, 0, "%s", aid(m, x->from));
            cell(&t, 1, "%s", aid(m, x->to));
            cell(&t, 2, "%.4g", x->alpha);
            cell(&t, 3, "%.4g", x->beta);
            cell(&t, 4, "%.3f", x->alpha / (x->alpha + x->beta));
        }
        table_print(&t, "  ");
        memset(t.right, 0, sizeof t.right);
    }

    if (m->n_events) {
        printf("\nEvents (%zu)\n", m->n_events);
        static const char *const ops[] = {"=", "+=", "*="};
        for (size_t i = 0; i < m->n_events; i++) {
            const psc_event *e = &m->events[i];
            if (e->date.year) {
                date_text(e->date, a, sizeof a);
                if (e->probability < 1)
                    printf("  %-10s  %s  %s (p = %g)\n", a, e->id, e->name, e->probability);
                else
                    printf("  %-10s  %s  %s\n", a, e->id, e->name);
            } else {
                date_text(e->hazard.from.year ? e->hazard.from : m->meta.start, a, sizeof a);
                date_text(e->hazard.to.year ? e->hazard.to : m->meta.horizon, b, sizeof b);
                printf("  %-10s  %s  %s (hazard %g/month, %s..%s)\n", "hazard", e->id, e->name,
                       e->hazard.rate, a, b);
            }
            const psc_condition *cd = &e->condition;
            if (cd->kind == PSC_COND_AFTER)
                printf("              only after %s\n", m->events[cd->after].id);
            else if (cd->kind != PSC_COND_NONE)
                printf("              only while %s %s %g\n", cd->path,
                       cd->kind == PSC_COND_ABOVE ? ">" : "<", cd->threshold);
            for (size_t k = 0; k < e->n_effects; k++)
                printf("              %s %s %g\n", e->effects[k].path, ops[e->effects[k].op],
                       e->effects[k].value);
            if (e->narrative[0])
                printf("              \"%s\"\n", e->narrative);
        }
    }

    const psc_policy *po = &m->policy;
    printf("\nPolicy\n");
    printf("  linkage %s, sequencing %s (verify %g months), cadence %g months\n",
           parley__linkages[po->linkage], parley__sequencings[po->sequencing], po->verify_months,
           po->cadence_months);
    printf("  expectations %g, coordination %g, end-state clarity %g\n", po->expectations,
           po->coordination, po->end_state_clarity);
    /* Recorded for the reader; no step of the simulator reads it (MODEL.md 7.6). */
    printf("  observers %s (recorded only: the simulator does not use it)\n",
           po->inform_observers ? "informed" : "not informed");
    printf("  verification: detection %g, false alarm %g, inspections %s\n",
           po->verification.detection, po->verification.false_alarm,
           po->verification.inspections ? "yes" : "no");
    printf("  side payments %g, spoilers %g\n", po->side_payments, po->spoilers);
    for (size_t k = 0; k < po->n_overrides; k++)
        printf("  override: %s %s = %g\n", aid(m, po->overrides[k].actor),
               parley__lever_names[po->overrides[k].lever], po->overrides[k].value);

    size_t nu = parley_scenario_uncertainty_count(sc);
    if (nu) {
        printf("\nUncertain numbers (%zu): what sweeps draw\n", nu);
        t.cols = 5;
        if (!table_row(&t))
            return false;
        const char *uh[] = {"path", "value", "dist", "parameters", "source"};
        for (size_t c = 0; c < 5; c++)
            cell(&t, c, "%s", uh[c]);
        for (size_t i = 0; i < nu; i++) {
            const parley_uncertainty *u = parley_scenario_uncertainty(sc, i);
            if (!table_row(&t))
                return false;
            cell(&t, 0, "%s", u->path);
            cell(&t, 1, "%g", u->value);
            cell(&t, 2, "%s", parley_dist_name(u->dist));
            switch (u->dist) {
            case PARLEY_DIST_NORMAL: cell(&t, 3, "sd %g in [%g, %g]", u->sd, u->lo, u->hi); break;
            case PARLEY_DIST_TRIANGULAR:
                cell(&t, 3, "[%g, %g] mode %g", u->lo, u->hi, u->mode);
                break;
            case PARLEY_DIST_BETA: cell(&t, 3, "a %g b %g on [%g, %g]", u->a, u->b, u->lo, u->hi); break;
            default: cell(&t, 3, "[%g, %g]", u->lo, u->hi); break;
            }
            cell(&t, 4, "%s", u->source ? u->source : "-");
        }
        table_print(&t, "  ");
    }
    return true;
}

int cli_cmd_show(int argc, char **argv)
{
    const char *format = "text", *file = NULL;
    const char *sets[64];
    size_t n_sets = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--format") == 0 || strcmp(arg, "--set") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("show", "%s needs a value", arg);
            if (arg[2] == 'f') {
                format = argv[++i];
            } else {
                if (n_sets == sizeof sets / sizeof sets[0])
                    return cli_usage_error("show", "at most 64 --set options");
                sets[n_sets++] = argv[++i];
            }
        } else if (strncmp(arg, "--format=", 9) == 0) {
            format = arg + 9;
        } else if (arg[0] == '-' && arg[1]) {
            return cli_usage_error("show", "unknown option '%s'", arg);
        } else if (file) {
            return cli_usage_error("show", "give one scenario (got '%s' and '%s')", file, arg);
        } else {
            file = arg;
        }
    }
    if (!file)
        return cli_usage_error("show", "give a scenario file or built-in name");
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error("show", "--format must be text or json (got '%s')", format);
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    int code = CLI_EXIT_OK;
    if (parley_scenario_open(file, &sc, &err) != PARLEY_OK)
        goto fail;
    for (size_t k = 0; k < n_sets; k++) {
        const char *eq = strchr(sets[k], '=');
        if (!eq) {
            parley_scenario_free(sc);
            return cli_usage_error("show", "--set needs PATH=VALUE (got '%s')", sets[k]);
        }
        char path[512];
        snprintf(path, sizeof path, "%.*s", (int)(eq - sets[k]), sets[k]);
        if (parley_scenario_set(sc, path, eq + 1, &err) != PARLEY_OK)
            goto fail;
    }
    if (strcmp(format, "json") == 0) {
        char *text = NULL;
        if (parley_scenario_dump(sc, 2, &text, &err) != PARLEY_OK)
            goto fail;
        fputs(text, stdout);
        parley_scenario_string_free(text);
    } else if (!show_text(sc)) {
        parley_error_add(&err, PARLEY_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    parley_scenario_free(sc);
    return CLI_EXIT_OK;
fail:
    code = cli_report_error(stderr, &err);
    parley_error_clear(&err);
    parley_scenario_free(sc);
    return code;
}
