/* A run as text a person can follow: the dated timeline, one line per month
 * and forum meeting, and the summary. Meetings gather what happened at the
 * table into one sentence list, the way a delegation's cable would. */
#include "parley/output.h"

#include "scenario/model.h"

#include <math.h>
#include <string.h>

static const char *actor_id(const psc_model *m, int a) { return a >= 0 ? m->actors[a].id : "?"; }
static const char *issue_name(const psc_model *m, int i) { return i >= 0 ? m->issues[i].name : "?"; }
static const char *forum_name(const psc_model *m, int f) { return f >= 0 ? m->forums[f].name : "-"; }

static void date_prefix(FILE *out, const parley_log_entry *e)
{
    fprintf(out, "%04d-%02d ", e->date.year, e->date.month);
}

/* The clauses of one meeting: entries of the same round and forum that follow
 * its MEETING entry. Returns the index after the last one used. */
static size_t write_meeting(const parley_sim *sim, const psc_model *m, size_t i, FILE *out)
{
    const parley_log_entry *head = parley_sim_log(sim, i);
    const psc_forum *fo = &m->forums[head->forum];
    date_prefix(out, head);
    if (fo->location && fo->location[0])
        fprintf(out, "%s, ", fo->location);
    fprintf(out, "%s meeting %.0f (chair %s)", fo->name, head->value, actor_id(m, head->actor));
    const char *sep = ": ";
    /* Everyone attends a meeting; who came against the odds is worth a word
     * (the decisions precede the MEETING entry in the same round). */
    for (size_t b = i; b-- > 0;) {
        const parley_log_entry *e = parley_sim_log(sim, b);
        if (e->round != head->round)
            break;
        if (e->kind == PARLEY_LOG_ATTENDS && e->forum == head->forum && e->value < 0.5) {
            fprintf(out, "%s%s attends (chance %.2f)", sep, actor_id(m, e->actor), e->value);
            sep = "; ";
        }
    }
    size_t n = parley_sim_log_count(sim), j = i + 1;
    for (; j < n; j++) {
        const parley_log_entry *e = parley_sim_log(sim, j);
        if (e->round != head->round || e->forum != head->forum || e->kind == PARLEY_LOG_MEETING ||
            e->kind == PARLEY_LOG_ALARM || e->kind == PARLEY_LOG_BLOCKED ||
            e->kind == PARLEY_LOG_WITHDRAWAL || e->kind == PARLEY_LOG_RUNG ||
            e->kind == PARLEY_LOG_ATTENDS || e->kind == PARLEY_LOG_ABSENT)
            break;
        fputs(sep, out);
        sep = "; ";
        switch (e->kind) {
        case PARLEY_LOG_REFUSED:
            fprintf(out, "%s refuses %s on the agenda", actor_id(m, e->actor), issue_name(m, e->issue));
            break;
        case PARLEY_LOG_AGENDA: fprintf(out, "agenda: %s", issue_name(m, e->issue)); break;
        case PARLEY_LOG_NO_PROPOSAL:
            fprintf(out, "no terms every party accepts on %s, no proposal", issue_name(m, e->issue));
            break;
        case PARLEY_LOG_PROPOSAL:
            fprintf(out, "%s proposes %s at %.1f (from %.1f)", actor_id(m, e->actor),
                    issue_name(m, e->issue), e->value, e->value2);
            break;
        case PARLEY_LOG_AGREEMENT: fprintf(out, "all accept"); break;
        case PARLEY_LOG_RATIFIED: fprintf(out, "ratified"); break;
        case PARLEY_LOG_TREATY: fprintf(out, "TREATY"); break;
        case PARLEY_LOG_REJECTED: fprintf(out, "%s rejects", actor_id(m, e->actor)); break;
        case PARLEY_LOG_AMENDED:
            fprintf(out, "amending \"%s\" on %s", parley_sim_summary(sim)->agreement[e->index].name,
                    issue_name(m, e->issue));
            break;
        case PARLEY_LOG_INSPECTION:
            fprintf(out, "%s lets %s inspect (%s) for a side payment of %.1f: %s",
                    actor_id(m, e->other), actor_id(m, e->actor), issue_name(m, e->issue), e->value,
                    e->value2 > 0.5 ? "violation found" : "no violation");
            break;
        case PARLEY_LOG_REFUSED_INSPECTION:
            fprintf(out, "%s refuses %s's inspection request (%s)", actor_id(m, e->other),
                    actor_id(m, e->actor), issue_name(m, e->issue));
            break;
        default: fprintf(out, "(entry %d)", (int)e->kind); break;
        }
    }
    if (j == i + 1)
        fputs(": talks, nothing on the agenda", out);
    fputc('\n', out);
    return j;
}

bool parley_write_timeline(const parley_sim *sim, FILE *out)
{
    const psc_model *m = parley__scenario_model(parley_sim_scenario(sim));
    size_t n = parley_sim_log_count(sim);
    for (size_t i = 0; i < n;) {
        const parley_log_entry *e = parley_sim_log(sim, i);
        if (e->kind == PARLEY_LOG_MEETING) {
            i = write_meeting(sim, m, i, out);
            continue;
        }
        if (e->kind == PARLEY_LOG_ATTENDS) { /* the meeting line says it; JSON has why */
            i++;
            continue;
        }
        date_prefix(out, e);
        switch (e->kind) {
        case PARLEY_LOG_EVENT: {
            const psc_event *ev = &m->events[e->index];
            fprintf(out, "event: %s", ev->name);
            if (ev->narrative && ev->narrative[0])
                fprintf(out, ". %s", ev->narrative);
            break;
        }
        case PARLEY_LOG_ABSENT:
            fprintf(out, "%s: %s stays away (chance of attending %.2f", forum_name(m, e->forum),
                    actor_id(m, e->actor), e->value);
            if (isfinite(e->value2) && isfinite(e->value3))
                fprintf(out, ": expected gain %.1f, aid less cost %+.1f utils", e->value2,
                        e->value3);
            fputc(')', out);
            break;
        case PARLEY_LOG_BLOCKED:
            fprintf(out, "%s blocks %s's implementation of %s", actor_id(m, e->actor),
                    actor_id(m, e->other), issue_name(m, e->issue));
            break;
        case PARLEY_LOG_ALARM:
            fprintf(out, "alarm: %s suspects %s on %s (%s)", actor_id(m, e->actor),
                    actor_id(m, e->other), issue_name(m, e->issue),
                    e->value > 0.5 ? "a real violation" : "a false alarm");
            break;
        case PARLEY_LOG_RUNG:
            fprintf(out, "CBM rung %.0f (%s) implemented and verified", e->value,
                    issue_name(m, e->issue));
            break;
        case PARLEY_LOG_WITHDRAWAL:
            fprintf(out, "%s withdraws: agreement on %s ends", actor_id(m, e->actor),
                    issue_name(m, e->issue));
            break;
        case PARLEY_LOG_BACK_BURNER:
            fprintf(out, "%s put on the back burner: another forum promises more",
                    forum_name(m, e->forum));
            break;
        case PARLEY_LOG_RESUMED: fprintf(out, "%s resumes", forum_name(m, e->forum)); break;
        case PARLEY_LOG_UNDATED:
            fprintf(out, "%s: no date for the next meeting (%.0f window%s missed); it waits for news",
                    forum_name(m, e->forum), e->value, e->value == 1 ? "" : "s");
            break;
        case PARLEY_LOG_COLLAPSE:
            fprintf(out, "%s collapses after %.0f windows without participation",
                    forum_name(m, e->forum), e->value);
            break;
        default: fprintf(out, "%s: entry %d", forum_name(m, e->forum), (int)e->kind); break;
        }
        fputc('\n', out);
        i++;
    }
    return !ferror(out);
}

static void round_date(const psc_model *m, int round, char *buf, size_t size)
{
    if (round < 0) {
        snprintf(buf, size, "-");
        return;
    }
    long month = parley_date_month_index(m->meta.start) + (long)round * m->meta.round_months;
    snprintf(buf, size, "%04ld-%02ld", month / 12, month % 12 + 1);
}

bool parley_write_summary(const parley_sim *sim, uint64_t seed, FILE *out)
{
    const psc_model *m = parley__scenario_model(parley_sim_scenario(sim));
    const parley_run_summary *s = parley_sim_summary(sim);
    char when[16];
    round_date(m, s->outcome_round, when, sizeof when);
    uint64_t ran_seed;
    uint32_t draw, run;
    parley_sim_stream(sim, &ran_seed, &draw, &run);
    fprintf(out, "\nSummary of %s, seed %llu", m->meta.name, (unsigned long long)seed);
    if (draw || run) /* a sweep's run: its stream, so that it can be found again */
        fprintf(out, ", draw %lu, run %lu", (unsigned long)draw, (unsigned long)run);
    fprintf(out, " (%u months)\n", s->rounds * (unsigned)m->meta.round_months);
    fprintf(out, "  outcome:       %s%s%s", parley_outcome_name(s->outcome),
            s->outcome_round >= 0 ? " in " : "", s->outcome_round >= 0 ? when : "");
    if (!isnan(s->treaty_extent)) /* a treaty in name only reads differently */
        fprintf(out, " (peace-regime extent %.1f of 100)", s->treaty_extent);
    fputc('\n', out);
    fprintf(out, "  CBM rungs implemented and verified: %u\n", s->cbm_rungs);
    fprintf(out, "  alarms:        %u true, %u false\n", s->alarms_true, s->alarms_false);
    fprintf(out, "  inspections:   %u held, %u refused\n", s->inspections, s->inspections_refused);
    fprintf(out, "  agreements:\n");
    for (size_t g = 0; g < s->n_agreements; g++) {
        const parley_agreement_record *r = &s->agreement[g];
        char signed_at[16], ended_at[16];
        round_date(m, r->signed_round, signed_at, sizeof signed_at);
        round_date(m, r->ended_round, ended_at, sizeof ended_at);
        fprintf(out, "    %s\n      signed %-7s %s", r->name, r->signed_round < 0 ? "before" : signed_at,
                r->ended_round < 0 ? "in force" : "ended");
        if (r->ended_round >= 0 && r->replaced)
            fprintf(out, " %s (every term replaced by later agreements)", ended_at);
        else if (r->ended_round >= 0)
            fprintf(out, " %s (%s withdrew)", ended_at, actor_id(m, r->ended_by));
        if (r->amended_round >= 0 && !r->replaced) {
            char amended_at[16];
            round_date(m, r->amended_round, amended_at, sizeof amended_at);
            fprintf(out, ", amended %s", amended_at);
        }
        fprintf(out, ", implemented %u months\n", r->months_implemented);
    }
    fprintf(out, "  forums:\n");
    for (size_t f = 0; f < m->n_forums; f++) {
        char first[16];
        round_date(m, s->first_meeting_round[f], first, sizeof first);
        fprintf(out, "    %-30s %u meetings, first %s, %u months of participation\n",
                m->forums[f].name, s->meetings[f], first, s->months_participation[f]);
    }
    fprintf(out, "  beliefs at the end (row believes column complies):\n        ");
    size_t n = m->n_actors;
    for (size_t b = 0; b < n; b++)
        if (m->actors[b].kind == PARLEY_ACTOR_PRINCIPAL)
            fprintf(out, " %6.6s", m->actors[b].id);
    fputc('\n', out);
    for (size_t a = 0; a < n; a++) {
        if (m->actors[a].kind != PARLEY_ACTOR_PRINCIPAL)
            continue;
        fprintf(out, "    %-6.6s", m->actors[a].id);
        for (size_t b = 0; b < n; b++)
            if (m->actors[b].kind == PARLEY_ACTOR_PRINCIPAL) {
                if (a == b)
                    fprintf(out, " %6s", "-");
                else
                    fprintf(out, " %6.2f", s->belief_mean[a * n + b]);
            }
        fprintf(out, "   support %.2f\n", s->support[a]);
    }
    return !ferror(out);
}
