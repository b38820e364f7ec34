/* Readers for the table formats peers' users already have, each into a
 * bargaining problem: Decide's #A/#P/#M/#D records, KTAB's SMP CSV, the
 * Actor,Capability,Position,Salience CSV of BDM-style tables and the DEU III
 * TSV. docs/MODELS.md ("Input formats") describes each and the choices made.
 * Every problem is reported at file:line:column so that a user can fix a file
 * in one pass; nothing is silently guessed beyond what the docs say. */
#include "internal.h"

#include "core/alloc.h"
#include "parley/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- lines and fields -------------------------------------------------- */

typedef struct line_iter {
    const char *text;
    size_t len;
    size_t pos;
    size_t lineno; /* of the line last returned */
} line_iter;

static void line_iter_init(line_iter *it, const char *text, size_t len)
{
    it->text = text;
    it->len = len;
    it->pos = 0;
    it->lineno = 0;
    /* A UTF-8 byte-order mark is not content. */
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        it->pos = 3;
}

/* Next line without its end (\n, \r\n or \r); false at the end of the text. */
static bool next_line(line_iter *it, const char **line, size_t *llen)
{
    if (it->pos >= it->len)
        return false;
    size_t start = it->pos, end = start;
    while (end < it->len && it->text[end] != '\n' && it->text[end] != '\r')
        end++;
    *line = it->text + start;
    *llen = end - start;
    if (end < it->len && it->text[end] == '\r')
        end++;
    if (end < it->len && it->text[end] == '\n' && (end == start + *llen || it->text[end - 1] == '\r'))
        end++;
    it->pos = end;
    it->lineno++;
    return true;
}

static bool blank(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!isspace((unsigned char)s[k]))
            return false;
    return true;
}

/* The fields of one line: text (unquoted, trimmed, NUL-terminated) and the
 * 1-based column where each starts. */
typedef struct fields {
    size_t n;
    size_t cap;
    size_t *col;
    size_t *off;
    char *buf;
    size_t bufcap;
    size_t end_col; /* column just past the line's last character */
} fields;

static void fields_free(fields *f)
{
    parley__free(f->col);
    parley__free(f->off);
    parley__free(f->buf);
    memset(f, 0, sizeof *f);
}

static const char *field(const fields *f, size_t k) { return k < f->n ? f->buf + f->off[k] : ""; }

static bool is_pad(char c, char delim) { return (c == ' ' || c == '\t') && c != delim; }

/* Splits a line at `delim`. A field that starts (after padding) with ' or " runs
 * to the matching quote, a doubled quote standing for one. With `trailing`, a
 * delimiter ending the line ends the last field instead of opening an empty
 * one (KTAB's lines end in ","). Returns false only without memory. */
static bool split_line(const char *line, size_t len, char delim, bool trailing, fields *f)
{
    f->n = 0;
    f->end_col = len + 1;
    /* Rather than bufcap < len + 1, which wraps for len == SIZE_MAX and so
     * gives the analyser a path to the writes below with no buffer. */
    if (len >= f->bufcap) {
        char *nb = parley__realloc_array(f->buf, len + 1, 1);
        if (!nb)
            return false;
        f->buf = nb;
        f->bufcap = len + 1;
    }
    size_t w = 0, k = 0;
    for (;;) {
        while (k < len && is_pad(line[k], delim))
            k++;
        if (f->n == f->cap) {
            size_t cap = f->cap ? 2 * f->cap : 16;
            size_t *nc = parley__realloc_array(f->col, cap, sizeof *nc);
            if (!nc)
                return false;
            f->col = nc;
            size_t *no = parley__realloc_array(f->off, cap, sizeof *no);
            if (!no)
                return false;
            f->off = no;
            f->cap = cap;
        }
        f->col[f->n] = k + 1;
        f->off[f->n] = w;
        f->n++;
        size_t start_w = w;
        if (k < len && (line[k] == '"' || line[k] == '\'')) {
            char q = line[k++];
            while (k < len) {
                if (line[k] == q) {
                    if (k + 1 < len && line[k + 1] == q) {
                        f->buf[w++] = q;
                        k += 2;
                        continue;
                    }
                    k++;
                    break;
                }
                f->buf[w++] = line[k++];
            }
            while (k < len && line[k] != delim)
                k++; /* text after the closing quote is padding */
        } else {
            while (k < len && line[k] != delim)
                f->buf[w++] = line[k++];
            while (w > start_w && is_pad(f->buf[w - 1], delim))
                w--;
        }
        f->buf[w++] = '\0';
        if (k >= len)
            break;
        k++; /* the delimiter */
    }
    if (trailing && f->n > 1 && f->buf[f->off[f->n - 1]] == '\0' && len > 0 &&
        line[len - 1] == delim)
        f->n--;
    return true;
}

static bool split(const char *line, size_t len, char delim, fields *f)
{
    return split_line(line, len, delim, false, f);
}

/* Strict number: the whole field, finite. */
static bool parse_number(const char *s, double *out)
{
    if (!*s)
        return false;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    while (end && isspace((unsigned char)*end))
        end++;
    if (end == s || !end || *end != '\0' || !isfinite(v) || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

/* ---- building a problem --------------------------------------------------- */

typedef struct reader {
    const char *source;
    parley_error *err;
    parley_status status; /* first error (PARLEY_OK while clean) */
} reader;

static void report_text(const reader *r, parley_status st, size_t line, size_t col,
                        const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void report_text(const reader *r, parley_status st, size_t line, size_t col,
                        const char *fmt, ...)
{
    char where[PARLEY_WHERE_MAX], what[PARLEY_WHAT_MAX];
    if (line && col)
        snprintf(where, sizeof where, "%s:%zu:%zu", r->source, line, col);
    else if (line)
        snprintf(where, sizeof where, "%s:%zu", r->source, line);
    else
        snprintf(where, sizeof where, "%s", r->source);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    parley_error_add(r->err, st, where, "%s", what);
}

static void record_status(reader *r, parley_status st)
{
    if (r->status == PARLEY_OK)
        r->status = st;
}

/* Adds a diagnostic and fails the read. The status is recorded outside the
 * variadic report_text because clang's analyser never inlines a variadic
 * function: it would forget that a report leaves r->status failed, and then
 * follow "clean" paths past checks whose failure was just reported. */
#define report(r, st, ...) (report_text((r), (st), __VA_ARGS__), record_status((r), (st)))

static void nomem(reader *r) { report(r, PARLEY_ENOMEM, 0, 0, "out of memory while reading"); }

/* The scenario loader's limits on actors and issues (docs/FORMAT.md,
 * "Limits"), for the same reason: BDM, the exchange model and SMP are
 * quadratic or cubic in the actors, and Decide's stance table is actors x
 * issues. Checked as each actor or issue is declared, so that a hostile table
 * is refused at the first one too many, before its size costs time. True,
 * and reported at that declaration, when `have` already reach `max`. */
#define TABLE_MAX_ACTORS ((size_t)PARLEY_SCENARIO_MAX_ACTORS)
#define TABLE_MAX_ISSUES ((size_t)PARLEY_SCENARIO_MAX_ISSUES)

static bool at_limit(reader *r, size_t have, size_t max, const char *what, size_t line, size_t col)
{
    if (have < max)
        return false;
    report(r, PARLEY_ELIMIT, line, col, "more than %zu %s: at most %zu (docs/FORMAT.md, Limits)",
           max, what, max);
    return true;
}

/* A growable list of owned strings. */
typedef struct strlist {
    size_t n, cap;
    char **s;
    size_t *line; /* where each was declared */
    size_t *col;
} strlist;

static void strlist_free(strlist *l)
{
    for (size_t k = 0; k < l->n; k++)
        parley__free(l->s[k]);
    parley__free(l->s);
    parley__free(l->line);
    parley__free(l->col);
    memset(l, 0, sizeof *l);
}

static bool strlist_push(strlist *l, const char *s, size_t line, size_t col)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **ns = parley__realloc_array(l->s, cap, sizeof *ns);
        if (!ns)
            return false;
        l->s = ns;
        size_t *nl = parley__realloc_array(l->line, cap, sizeof *nl);
        if (!nl)
            return false;
        l->line = nl;
        size_t *nc = parley__realloc_array(l->col, cap, sizeof *nc);
        if (!nc)
            return false;
        l->col = nc;
        l->cap = cap;
    }
    char *copy = parley__strdup(s);
    if (!copy)
        return false;
    l->s[l->n] = copy;
    l->line[l->n] = line;
    l->col[l->n] = col;
    l->n++;
    return true;
}

static bool strlist_find(const strlist *l, const char *s, size_t *index)
{
    for (size_t k = 0; k < l->n; k++)
        if (strcmp(l->s[k], s) == 0) {
            if (index)
                *index = k;
            return true;
        }
    return false;
}

/* Pushes `s`, or "s (2)", "s (3)"... when s is taken: tables name their rows
 * for people, and bdm_litigation.csv has two "Attorney" rows that are two actors. */
static bool strlist_push_unique(strlist *l, const char *s, size_t line, size_t col)
{
    if (!strlist_find(l, s, NULL))
        return strlist_push(l, s, line, col);
    size_t len = strlen(s) + 32;
    char *buf = parley__malloc(len);
    if (!buf)
        return false;
    for (size_t k = 2;; k++) {
        snprintf(buf, len, "%s (%zu)", s, k);
        if (!strlist_find(l, buf, NULL))
            break;
    }
    bool ok = strlist_push(l, buf, line, col);
    parley__free(buf);
    return ok;
}

/* A growable array of doubles. */
typedef struct dvec {
    size_t n, cap;
    double *v;
} dvec;

static bool dvec_push(dvec *d, double x)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 64;
        double *nv = parley__realloc_array(d->v, cap, sizeof *nv);
        if (!nv)
            return false;
        d->v = nv;
        d->cap = cap;
    }
    d->v[d->n++] = x;
    return true;
}

/* Moves ids and names into `p` (ownership passes; the lists are emptied). */
static void take_strings(parley_bargain_problem *p, strlist *actors, strlist *names, strlist *issues)
{
    for (size_t a = 0; a < p->n_actors; a++) {
        p->actor_ids[a] = actors->s[a];
        actors->s[a] = NULL;
        if (names && names->n == p->n_actors) {
            p->actor_names[a] = names->s[a];
            names->s[a] = NULL;
        }
    }
    for (size_t i = 0; i < p->n_issues; i++) {
        p->issue_ids[i] = issues->s[i];
        issues->s[i] = NULL;
    }
}

/* Names default to ids; copies so that each array owns its strings. */
static bool fill_names(parley_bargain_problem *p)
{
    for (size_t a = 0; a < p->n_actors; a++)
        if (!p->actor_names[a]) {
            p->actor_names[a] = parley__strdup(p->actor_ids[a]);
            if (!p->actor_names[a])
                return false;
        }
    return true;
}

/* The file's base name without directory and extension: the issue id of a
 * one-issue BDM table. */
static char *base_name(const char *source)
{
    const char *b = strrchr(source, '/');
    b = b ? b + 1 : source;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    if (n == 0)
        return parley__strdup("issue");
    return parley__strndup(b, n);
}

/* ---- BDM-style CSV -------------------------------------------------------- */

static bool header_is(const char *h, const char *const *names)
{
    for (size_t k = 0; names[k]; k++)
        if (strcasecmp(h, names[k]) == 0)
            return true;
    return false;
}

static const char *const bdm_actor_names[] = {"actor", "name", "stakeholder", "player", NULL};
static const char *const bdm_cap_names[] = {"capability", "resources", "power", "influence",
                                            "clout", NULL};
static const char *const bdm_pos_names[] = {"position", NULL};
static const char *const bdm_sal_names[] = {"salience", NULL};

/* The delimiter of a header line: the most frequent of , ; and tab. */
static char guess_delim(const char *line, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    for (size_t k = 0; k < len; k++) {
        comma += line[k] == ',';
        semi += line[k] == ';';
        tab += line[k] == '\t';
    }
    if (tab > comma && tab > semi)
        return '\t';
    if (semi > comma)
        return ';';
    return ',';
}

static parley_status read_bdm(const char *text, size_t len, reader *r, parley_bargain_problem **out)
{
    line_iter it;
    line_iter_init(&it, text, len);
    const char *line;
    size_t llen;
    fields f = {0};
    strlist names = {0};
    dvec cap = {0}, pos = {0}, sal = {0};
    parley_bargain_problem *p = NULL;
    char delim = ',';
    size_t col_actor = 0, col_cap = 0, col_pos = 0, col_sal = 0, needed = 0;
    bool have_header = false;
    const char *const labels[4] = {"Actor", "Capability", "Position", "Salience"};

    while (next_line(&it, &line, &llen)) {
        if (blank(line, llen))
            continue;
        if (!have_header) {
            delim = guess_delim(line, llen);
            if (!split(line, llen, delim, &f)) {
                nomem(r);
                goto done;
            }
            bool found[4] = {false, false, false, false};
            size_t *cols[4] = {&col_actor, &col_cap, &col_pos, &col_sal};
            const char *const *sets[4] = {bdm_actor_names, bdm_cap_names, bdm_pos_names,
                                          bdm_sal_names};
            for (size_t k = 0; k < f.n; k++)
                for (int c = 0; c < 4; c++)
                    if (!found[c] && header_is(field(&f, k), sets[c])) {
                        found[c] = true;
                        *cols[c] = k;
                    }
            for (int c = 0; c < 4; c++)
                if (!found[c])
                    report(r, PARLEY_EINPUT, it.lineno, 1,
                           "missing column '%s' (the header must name an actor, capability, "
                           "position and salience column)",
                           labels[c]);
            if (r->status != PARLEY_OK)
                goto done;
            needed = col_actor;
            for (int c = 1; c < 4; c++)
                if (*cols[c] > needed)
                    needed = *cols[c];
            have_header = true;
            continue;
        }
        if (!split(line, llen, delim, &f)) {
            nomem(r);
            goto done;
        }
        if (f.n <= needed) {
            size_t missing = col_actor >= f.n ? 0 : col_cap >= f.n ? 1 : col_pos >= f.n ? 2 : 3;
            report(r, PARLEY_EINPUT, it.lineno, f.end_col,
                   "missing column '%s': the line has %zu field(s), the header %zu", labels[missing],
                   f.n, needed + 1);
            continue;
        }
        const char *name = field(&f, col_actor);
        if (!*name)
            report(r, PARLEY_EINPUT, it.lineno, f.col[col_actor], "empty actor name");
        double v[3] = {0, 0, 0};
        size_t cols[3] = {col_cap, col_pos, col_sal};
        bool ok = true;
        for (int c = 0; c < 3; c++)
            if (!parse_number(field(&f, cols[c]), &v[c])) {
                report(r, PARLEY_EINPUT, it.lineno, f.col[cols[c]],
                       "column '%s': '%s' is not a number", labels[c + 1], field(&f, cols[c]));
                ok = false;
            }
        if (ok && v[0] < 0.0)
            report(r, PARLEY_EINPUT, it.lineno, f.col[col_cap],
                   "column 'Capability': %g is negative", v[0]);
        if (ok && (v[2] < 0.0 || v[2] > 100.0))
            report(r, PARLEY_EINPUT, it.lineno, f.col[col_sal],
                   "column 'Salience': %g is outside [0, 1] (or [0, 100])", v[2]);
        if (at_limit(r, names.n, TABLE_MAX_ACTORS, "actors", it.lineno, f.col[col_actor]))
            goto done;
        if (!strlist_push_unique(&names, *name ? name : "?", it.lineno, f.col[col_actor]) ||
            !dvec_push(&cap, v[0]) || !dvec_push(&pos, v[1]) || !dvec_push(&sal, v[2])) {
            nomem(r);
            goto done;
        }
    }
    if (!have_header) {
        report(r, PARLEY_EINPUT, 1, 1, "empty file: expected a header naming Actor, Capability, "
                                       "Position and Salience");
        goto done;
    }
    if (names.n == 0 && r->status == PARLEY_OK)
        report(r, PARLEY_EINPUT, it.lineno, 1, "no actor lines after the header");
    if (r->status != PARLEY_OK)
        goto done;
    {
        /* Salience on 0-1 or 0-100: one scale per file, 0-100 as soon as any
         * value exceeds 1. */
        double smax = 0.0, lo = INFINITY, hi = -INFINITY;
        for (size_t a = 0; a < names.n; a++) {
            smax = fmax(smax, sal.v[a]);
            lo = fmin(lo, pos.v[a]);
            hi = fmax(hi, pos.v[a]);
        }
        double div = smax > 1.0 ? 100.0 : 1.0;
        strlist issues = {0};
        char *issue = base_name(r->source);
        if (!issue || !strlist_push(&issues, issue, 0, 0)) {
            parley__free(issue);
            strlist_free(&issues);
            nomem(r);
            goto done;
        }
        parley__free(issue);
        parley_status st = parley_bargain_problem_new(names.n, 1, &p, r->err);
        if (st != PARLEY_OK) {
            strlist_free(&issues);
            r->status = st;
            goto done;
        }
        take_strings(p, &names, NULL, &issues);
        strlist_free(&issues);
        for (size_t a = 0; a < p->n_actors; a++) {
            p->capability[a] = cap.v[a];
            p->position[a] = pos.v[a];
            p->salience[a] = sal.v[a] / div;
        }
        if (lo < hi) {
            p->scale_min[0] = lo;
            p->scale_max[0] = hi;
        } else {
            p->scale_min[0] = lo - 1.0;
            p->scale_max[0] = hi + 1.0;
        }
        if (!fill_names(p)) {
            nomem(r);
            goto done;
        }
        *out = p;
        p = NULL;
    }
done:
    parley_bargain_problem_free(p);
    fields_free(&f);
    strlist_free(&names);
    parley__free(cap.v);
    parley__free(pos.v);
    parley__free(sal.v);
    return r->status;
}

/* ---- KTAB SMP CSV ------------------------------------------------------- */

/* KTAB checks total salience <= 100 exactly; its own shipped files round
 * their saliences so that some rows sum to 100.01. */
#define KTAB_SALIENCE_SLACK 0.05

static bool parse_count(const char *s, size_t *out)
{
    double v;
    if (!parse_number(s, &v) || v < 0.0 || v != floor(v) || v > 1e9)
        return false;
    *out = (size_t)v;
    return true;
}

static parley_status read_ktab(const char *text, size_t len, reader *r, parley_bargain_problem **out)
{
    line_iter it;
    line_iter_init(&it, text, len);
    const char *line;
    size_t llen;
    fields f = {0};
    strlist ids = {0}, descs = {0}, dims = {0};
    dvec cap = {0}, pos = {0}, sal = {0};
    parley_bargain_problem *p = NULL;
    char *title = NULL;
    size_t n_declared = 0, d_declared = 0, n_dims = 0, title_line = 0, count_col = 0;

    /* Line 1: name, description, actors, dimensions. */
    while (next_line(&it, &line, &llen) && blank(line, llen)) {
    }
    if (it.lineno == 0 || blank(line, llen)) {
        report(r, PARLEY_EINPUT, 1, 1, "empty file: expected KTAB's title line "
                                       "'name, description, actors, dimensions'");
        goto done;
    }
    if (!split_line(line, llen, ',', true, &f)) {
        nomem(r);
        goto done;
    }
    title_line = it.lineno;
    if (f.n < 4) {
        report(r, PARLEY_EINPUT, it.lineno, f.end_col,
               "missing column: KTAB's title line needs 'name, description, actors, "
               "dimensions' (found %zu field(s))",
               f.n);
        goto done;
    }
    count_col = f.col[2];
    if (!parse_count(field(&f, 2), &n_declared))
        report(r, PARLEY_EINPUT, it.lineno, f.col[2],
               "number of actors: '%s' is not a whole number", field(&f, 2));
    if (!parse_count(field(&f, 3), &d_declared) || d_declared == 0)
        report(r, PARLEY_EINPUT, it.lineno, f.col[3],
               "number of dimensions: '%s' is not a whole number >= 1", field(&f, 3));
    else if (d_declared > TABLE_MAX_ISSUES)
        at_limit(r, d_declared - 1, TABLE_MAX_ISSUES, "dimensions (issues)", it.lineno, f.col[3]);
    if (r->status == PARLEY_OK && n_declared > TABLE_MAX_ACTORS)
        at_limit(r, n_declared - 1, TABLE_MAX_ACTORS, "actors", it.lineno, f.col[2]);
    title = parley__strdup(field(&f, 0));
    if (!title) {
        nomem(r);
        goto done;
    }
    if (r->status != PARLEY_OK)
        goto done;
    n_dims = d_declared;

    /* Line 2: Actor, Description, Power, then a position and a salience header per dimension. */
    while (next_line(&it, &line, &llen) && blank(line, llen)) {
    }
    if (it.lineno <= title_line || blank(line, llen)) {
        report(r, PARLEY_EINPUT, it.lineno + 1, 1, "missing header line after the title line");
        goto done;
    }
    if (!split_line(line, llen, ',', true, &f)) {
        nomem(r);
        goto done;
    }
    if (f.n < 3 + 2 * n_dims) {
        report(r, PARLEY_EINPUT, it.lineno, f.end_col,
               "missing column: the header names %zu dimension(s), the title line %zu "
               "(each needs a position and a salience column after Actor, Description, Power)",
               f.n >= 3 ? (f.n - 3) / 2 : 0, n_dims);
        goto done;
    }
    for (size_t d = 0; d < n_dims; d++) {
        const char *name = field(&f, 3 + 2 * d);
        char fallback[32];
        if (!*name) {
            snprintf(fallback, sizeof fallback, "dim%zu", d + 1);
            name = fallback;
        }
        if (strlist_find(&dims, name, NULL)) {
            report(r, PARLEY_EINPUT, it.lineno, f.col[3 + 2 * d],
                   "dimension '%s' appears twice in the header", name);
            continue;
        }
        if (!strlist_push(&dims, name, it.lineno, f.col[3 + 2 * d])) {
            nomem(r);
            goto done;
        }
    }
    if (r->status != PARLEY_OK)
        goto done;

    size_t actor_lines = 0;
    while (next_line(&it, &line, &llen)) {
        if (blank(line, llen))
            continue;
        actor_lines++;
        if (!split_line(line, llen, ',', true, &f)) {
            nomem(r);
            goto done;
        }
        size_t needed = 3 + 2 * n_dims;
        if (f.n < needed) {
            size_t k = f.n;
            const char *what = k < 1   ? "Actor"
                               : k < 2 ? "Description"
                               : k < 3 ? "Power"
                               : (k - 3) % 2 == 0 ? "position"
                                                  : "salience";
            report(r, PARLEY_EINPUT, it.lineno, f.end_col,
                   "missing column: %s of %s (the line has %zu field(s), %zu needed)", what,
                   k < 3 ? "the actor" : dims.s[(k - 3) / 2], f.n, needed);
            continue;
        }
        if (at_limit(r, ids.n, TABLE_MAX_ACTORS, "actors", it.lineno, f.col[0]))
            goto done;
        const char *name = field(&f, 0);
        if (!*name)
            report(r, PARLEY_EINPUT, it.lineno, f.col[0], "empty actor name");
        double c = 0.0;
        if (!parse_number(field(&f, 2), &c))
            report(r, PARLEY_EINPUT, it.lineno, f.col[2], "column 'Power': '%s' is not a number",
                   field(&f, 2));
        else if (c < 0.0 || c > 1e8)
            report(r, PARLEY_EINPUT, it.lineno, f.col[2],
                   "column 'Power': %g is outside KTAB's range [0, 1e8]", c);
        if (!strlist_push_unique(&ids, *name ? name : "?", it.lineno, f.col[0]) ||
            !strlist_push(&descs, *field(&f, 1) ? field(&f, 1) : (*name ? name : "?"), it.lineno,
                          f.col[1]) ||
            !dvec_push(&cap, c)) {
            nomem(r);
            goto done;
        }
        double total = 0.0;
        for (size_t d = 0; d < n_dims; d++) {
            double x = 0.0, s = 0.0;
            size_t kx = 3 + 2 * d, ks = kx + 1;
            if (!parse_number(field(&f, kx), &x))
                report(r, PARLEY_EINPUT, it.lineno, f.col[kx],
                       "column '%s': '%s' is not a number", dims.s[d], field(&f, kx));
            else if (x < 0.0 || x > 100.0)
                report(r, PARLEY_EINPUT, it.lineno, f.col[kx],
                       "column '%s': position %g is outside [0, 100]", dims.s[d], x);
            if (!parse_number(field(&f, ks), &s))
                report(r, PARLEY_EINPUT, it.lineno, f.col[ks],
                       "salience of '%s': '%s' is not a number", dims.s[d], field(&f, ks));
            else if (s < 0.0 || s > 100.0)
                report(r, PARLEY_EINPUT, it.lineno, f.col[ks],
                       "salience of '%s': %g is outside [0, 100]", dims.s[d], s);
            total += s;
            if (!dvec_push(&pos, x) || !dvec_push(&sal, s)) {
                nomem(r);
                goto done;
            }
        }
        if (total > 100.0 + KTAB_SALIENCE_SLACK)
            report(r, PARLEY_EINPUT, it.lineno, f.col[4],
                   "saliences sum to %g, more than KTAB's 100 per actor", total);
    }
    if (actor_lines != n_declared)
        report(r, PARLEY_EINPUT, title_line, count_col,
               "the title line declares %zu actor(s), the file has %zu actor line(s)", n_declared,
               actor_lines);
    if (r->status != PARLEY_OK)
        goto done;
    {
        /* Loop over this count rather than p->n_actors, which equals it: the
         * analyser cannot see into parley_bargain_problem_new, so only the
         * local count is tied to the lengths of cap, pos and sal. */
        const size_t na = ids.n;
        parley_status st = parley_bargain_problem_new(na, n_dims, &p, r->err);
        if (st != PARLEY_OK) {
            r->status = st;
            goto done;
        }
        take_strings(p, &ids, &descs, &dims);
        p->title = title;
        title = NULL;
        for (size_t a = 0; a < na; a++)
            for (size_t d = 0; d < n_dims; d++) {
                size_t k = a * n_dims + d;
                p->capability[k] = cap.v[a];
                p->position[k] = pos.v[k];
                p->salience[k] = sal.v[k] / 100.0;
            }
        *out = p;
        p = NULL;
    }
done:
    parley_bargain_problem_free(p);
    parley__free(title);
    fields_free(&f);
    strlist_free(&ids);
    strlist_free(&descs);
    strlist_free(&dims);
    parley__free(cap.v);
    parley__free(pos.v);
    parley__free(sal.v);
    return r->status;
}

/* ---- Decide #A/#P/#M/#D ------------------------------------------------ */

/* Decide's own files separate fields by tabs or semicolons and quote with '. */
static char decide_delim(const char *line, size_t len)
{
    if (memchr(line, '\t', len))
        return '\t';
    if (memchr(line, ';', len))
        return ';';
    return ',';
}

typedef struct decide_cell {
    bool set;
    size_t line, col; /* of the position */
    double x, s, c;
} decide_cell;

static parley_status read_decide(const char *text, size_t len, reader *r,
                                 parley_bargain_problem **out)
{
    line_iter it;
    const char *line;
    size_t llen;
    fields f = {0};
    strlist actors = {0}, names = {0}, issues = {0};
    dvec *marks = NULL;
    decide_cell *cells = NULL;
    parley_bargain_problem *p = NULL;

    /* Pass 1: declarations (#A, #P), so that records may come in any order. */
    line_iter_init(&it, text, len);
    while (next_line(&it, &line, &llen)) {
        if (blank(line, llen))
            continue;
        if (!split(line, llen, decide_delim(line, llen), &f)) {
            nomem(r);
            goto done;
        }
        const char *kind = field(&f, 0);
        bool is_a = strcmp(kind, "#A") == 0, is_p = strcmp(kind, "#P") == 0;
        if (!is_a && !is_p) {
            if (strcmp(kind, "#M") != 0 && strcmp(kind, "#D") != 0)
                report(r, PARLEY_EINPUT, it.lineno, f.col[0],
                       "unknown record type '%s' (expected #A, #P, #M or #D)", kind);
            continue;
        }
        if (f.n < 2 || !*field(&f, 1)) {
            report(r, PARLEY_EINPUT, it.lineno, f.n < 2 ? f.end_col : f.col[1],
                   "missing column: %s needs an id", kind);
            continue;
        }
        strlist *l = is_a ? &actors : &issues;
        size_t first;
        if (strlist_find(l, field(&f, 1), &first)) {
            /* A found index is below l->n. The bound is stated because the
             * analyser gives up inlining strlist_find's loop and then cannot
             * tell that l->line is allocated. */
            size_t first_line = first < l->n ? l->line[first] : 0;
            report(r, PARLEY_EINPUT, it.lineno, f.col[1],
                   "%s '%s' is declared twice (first on line %zu)", is_a ? "actor" : "issue",
                   field(&f, 1), first_line);
            continue;
        }
        if (at_limit(r, l->n, is_a ? TABLE_MAX_ACTORS : TABLE_MAX_ISSUES,
                     is_a ? "actors (#A records)" : "issues (#P records)", it.lineno, f.col[1]))
            goto done;
        if (!strlist_push(l, field(&f, 1), it.lineno, f.col[1]) ||
            (is_a && !strlist_push(&names, f.n > 2 && *field(&f, 2) ? field(&f, 2) : field(&f, 1),
                                   it.lineno, f.col[1]))) {
            nomem(r);
            goto done;
        }
    }
    if (actors.n == 0)
        report(r, PARLEY_EINPUT, 1, 1, "no actors: the file has no #A record");
    if (issues.n == 0)
        report(r, PARLEY_EINPUT, 1, 1, "no issues: the file has no #P record");
    /* Other declaration errors do not stop the second pass: report it all. */
    if (actors.n == 0 || issues.n == 0)
        goto done;
    marks = PARLEY_NEW_ARRAY(dvec, issues.n);
    if (actors.n > ((size_t)-1) / sizeof(decide_cell) / issues.n)
        cells = NULL;
    else
        cells = PARLEY_NEW_ARRAY(decide_cell, actors.n * issues.n);
    if (!marks || !cells) {
        nomem(r);
        goto done;
    }

    /* Pass 2: scale points (#M) and stances (#D). */
    line_iter_init(&it, text, len);
    while (next_line(&it, &line, &llen)) {
        if (blank(line, llen))
            continue;
        if (!split(line, llen, decide_delim(line, llen), &f)) {
            nomem(r);
            goto done;
        }
        const char *kind = field(&f, 0);
        if (strcmp(kind, "#M") == 0) {
            if (f.n < 3) {
                report(r, PARLEY_EINPUT, it.lineno, f.end_col,
                       "missing column: #M needs an issue and a value (found %zu field(s))", f.n);
                continue;
            }
            size_t i;
            double v;
            if (!strlist_find(&issues, field(&f, 1), &i)) {
                report(r, PARLEY_EINPUT, it.lineno, f.col[1],
                       "unknown issue '%s' (no #P record declares it)", field(&f, 1));
                continue;
            }
            if (!parse_number(field(&f, 2), &v)) {
                report(r, PARLEY_EINPUT, it.lineno, f.col[2], "#M value: '%s' is not a number",
                       field(&f, 2));
                continue;
            }
            if (!dvec_push(&marks[i], v)) {
                nomem(r);
                goto done;
            }
        } else if (strcmp(kind, "#D") == 0) {
            static const char *const cols[] = {"record", "actor", "issue", "position", "salience",
                                               "power"};
            if (f.n < 6) {
                report(r, PARLEY_EINPUT, it.lineno, f.end_col,
                       "missing column '%s': #D needs actor, issue, position, salience, power "
                       "(found %zu field(s))",
                       cols[f.n], f.n);
                continue;
            }
            size_t a = 0, i = 0;
            bool ok = true;
            if (!strlist_find(&actors, field(&f, 1), &a)) {
                report(r, PARLEY_EINPUT, it.lineno, f.col[1],
                       "unknown actor '%s' (no #A record declares it)", field(&f, 1));
                ok = false;
            }
            if (!strlist_find(&issues, field(&f, 2), &i)) {
                report(r, PARLEY_EINPUT, it.lineno, f.col[2],
                       "unknown issue '%s' (no #P record declares it)", field(&f, 2));
                ok = false;
            }
            double v[3];
            for (int k = 0; k < 3; k++)
                if (!parse_number(field(&f, 3 + (size_t)k), &v[k])) {
                    report(r, PARLEY_EINPUT, it.lineno, f.col[3 + k], "%s: '%s' is not a number",
                           cols[3 + k], field(&f, 3 + (size_t)k));
                    ok = false;
                }
            if (!ok)
                continue;
            if (v[1] < 0.0 || v[1] > 100.0) {
                report(r, PARLEY_EINPUT, it.lineno, f.col[4],
                       "salience %g is outside [0, 1] (or [0, 100])", v[1]);
                continue;
            }
            if (v[2] < 0.0) {
                report(r, PARLEY_EINPUT, it.lineno, f.col[5], "power %g is negative", v[2]);
                continue;
            }
            decide_cell *cell = &cells[a * issues.n + i];
            if (cell->set) {
                report(r, PARLEY_EINPUT, it.lineno, f.col[1],
                       "second #D record for actor '%s' on issue '%s' (first on line %zu)",
                       actors.s[a], issues.s[i], cell->line);
                continue;
            }
            cell->set = true;
            cell->line = it.lineno;
            cell->col = f.col[3];
            cell->x = v[0];
            cell->s = v[1];
            cell->c = v[2];
        }
    }
    if (r->status != PARLEY_OK)
        goto done;
    {
        parley_status st = parley_bargain_problem_new(actors.n, issues.n, &p, r->err);
        if (st != PARLEY_OK) {
            r->status = st;
            goto done;
        }
        size_t ni = issues.n;
        double smax = 0.0;
        for (size_t k = 0; k < actors.n * ni; k++)
            if (cells[k].set)
                smax = fmax(smax, cells[k].s);
        double div = smax > 1.0 ? 100.0 : 1.0;
        for (size_t i = 0; i < ni; i++) {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t m = 0; m < marks[i].n; m++) {
                lo = fmin(lo, marks[i].v[m]);
                hi = fmax(hi, marks[i].v[m]);
            }
            if (!(lo < hi)) {
                /* No scale given: 0-100, widened to take in every position. */
                lo = 0.0;
                hi = 100.0;
                for (size_t a = 0; a < actors.n; a++)
                    if (cells[a * ni + i].set) {
                        lo = fmin(lo, cells[a * ni + i].x);
                        hi = fmax(hi, cells[a * ni + i].x);
                    }
            }
            p->scale_min[i] = lo;
            p->scale_max[i] = hi;
            for (size_t a = 0; a < actors.n; a++) {
                const decide_cell *cell = &cells[a * ni + i];
                if (!cell->set)
                    continue;
                if (cell->x < lo || cell->x > hi)
                    report(r, PARLEY_EINPUT, cell->line, cell->col,
                           "position %g of actor '%s' on issue '%s' is outside the issue's scale "
                           "%g..%g (its #M records)",
                           cell->x, actors.s[a], issues.s[i], lo, hi);
                p->position[a * ni + i] = cell->x;
                p->salience[a * ni + i] = cell->s / div;
                p->capability[a * ni + i] = cell->c;
            }
        }
        if (r->status != PARLEY_OK)
            goto done;
        take_strings(p, &actors, &names, &issues);
        *out = p;
        p = NULL;
    }
done:
    parley_bargain_problem_free(p);
    if (marks)
        for (size_t i = 0; i < issues.n; i++)
            parley__free(marks[i].v);
    parley__free(marks);
    parley__free(cells);
    fields_free(&f);
    strlist_free(&actors);
    strlist_free(&names);
    strlist_free(&issues);
    return r->status;
}

/* ---- DEU III TSV -------------------------------------------------------- */

static const char *const deu_codes[][2] = {
    {"com", "European Commission"}, {"ep", "European Parliament"}, {"at", "Austria"},
    {"be", "Belgium"},              {"bu", "Bulgaria"},            {"cr", "Croatia"},
    {"cy", "Cyprus"},               {"cz", "Czech Republic"},      {"dk", "Denmark"},
    {"ee", "Estonia"},              {"fi", "Finland"},             {"fr", "France"},
    {"de", "Germany"},              {"el", "Greece"},              {"hu", "Hungary"},
    {"ie", "Ireland"},              {"it", "Italy"},               {"lv", "Latvia"},
    {"lt", "Lithuania"},            {"lu", "Luxembourg"},          {"mt", "Malta"},
    {"nl", "Netherlands"},          {"pl", "Poland"},              {"pt", "Portugal"},
    {"ro", "Romania"},              {"si", "Slovenia"},            {"sk", "Slovakia"},
    {"es", "Spain"},                {"se", "Sweden"},              {"uk", "United Kingdom"},
};

static const char *deu_name(const char *code)
{
    for (size_t k = 0; k < sizeof deu_codes / sizeof deu_codes[0]; k++)
        if (strcmp(deu_codes[k][0], code) == 0)
            return deu_codes[k][1];
    return code;
}

static bool find_col(const fields *f, const char *name, size_t *col)
{
    for (size_t k = 0; k < f->n; k++)
        if (strcmp(field(f, k), name) == 0) {
            *col = k;
            return true;
        }
    return false;
}

/* A blank cell is missing (NAN); anything else must be a number. */
static bool deu_cell(reader *r, const fields *f, size_t k, size_t line, const char *column,
                     double lo, double hi, double *out)
{
    *out = NAN;
    if (k >= f->n || !*field(f, k))
        return true;
    double v;
    if (!parse_number(field(f, k), &v)) {
        report(r, PARLEY_EINPUT, line, f->col[k], "column '%s': '%s' is not a number", column,
               field(f, k));
        return false;
    }
    if (v < lo || v > hi) {
        report(r, PARLEY_EINPUT, line, f->col[k], "column '%s': %g is outside [%g, %g]", column, v,
               lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static parley_status read_deu(const char *text, size_t len, reader *r, parley_bargain_problem **out)
{
    line_iter it;
    line_iter_init(&it, text, len);
    const char *line;
    size_t llen;
    fields f = {0};
    strlist actors = {0}, names = {0}, issues = {0};
    size_t *pcol = NULL, *scol = NULL;
    dvec pos = {0}, sal = {0}, sq = {0}, outc = {0}, cap = {0};
    parley_bargain_problem *p = NULL;
    size_t col_rp = 0, col_out = 0, col_id = 0, col_group = 0, header_fields = 0;
    bool has_rp, has_out, has_id, has_group;
    strlist groups = {0};
    dvec group_of = {0};

    if (!next_line(&it, &line, &llen) || !split(line, llen, '\t', &f)) {
        if (it.lineno == 0)
            report(r, PARLEY_EINPUT, 1, 1, "empty file: expected the DEU header line");
        else
            nomem(r);
        goto done;
    }
    header_fields = f.n;
    has_rp = find_col(&f, "rp", &col_rp);
    has_out = find_col(&f, "out", &col_out);
    has_id = find_col(&f, "isnr", &col_id);
    has_group = find_col(&f, "prnr", &col_group);
    if (!has_out)
        report(r, PARLEY_EINPUT, 1, f.end_col, "missing column 'out' (the known outcome)");
    if (!has_rp)
        report(r, PARLEY_EINPUT, 1, f.end_col, "missing column 'rp' (the reference point)");
    pcol = PARLEY_NEW_ARRAY(size_t, f.n);
    scol = PARLEY_NEW_ARRAY(size_t, f.n);
    if (!pcol || !scol) {
        nomem(r);
        goto done;
    }
    /* Actors are the X with both a pX and an sX column. */
    for (size_t k = 0; k < f.n; k++) {
        const char *h = field(&f, k);
        if (h[0] != 'p' || !h[1])
            continue;
        char want[PARLEY_WHAT_MAX];
        snprintf(want, sizeof want, "s%s", h + 1);
        size_t ks;
        if (!find_col(&f, want, &ks))
            continue;
        if (strlist_find(&actors, h + 1, NULL)) {
            report(r, PARLEY_EINPUT, 1, f.col[k], "column '%s' appears twice", h);
            continue;
        }
        if (at_limit(r, actors.n, TABLE_MAX_ACTORS, "actors (pX/sX column pairs)", 1, f.col[k]))
            goto done;
        pcol[actors.n] = k;
        scol[actors.n] = ks;
        if (!strlist_push(&actors, h + 1, 1, f.col[k]) ||
            !strlist_push(&names, deu_name(h + 1), 1, f.col[k])) {
            nomem(r);
            goto done;
        }
    }
    if (actors.n == 0)
        report(r, PARLEY_EINPUT, 1, 1,
               "missing columns: no position column pX with a matching salience column sX");
    if (r->status != PARLEY_OK)
        goto done;

    /* Line 2: the capability weights (GDP) under each actor's position column. */
    if (!next_line(&it, &line, &llen)) {
        report(r, PARLEY_EINPUT, 2, 1, "missing line 2 (capability weights per actor)");
        goto done;
    }
    if (!split(line, llen, '\t', &f)) {
        nomem(r);
        goto done;
    }
    for (size_t a = 0; a < actors.n; a++) {
        double c;
        char column[PARLEY_WHAT_MAX];
        snprintf(column, sizeof column, "p%s", actors.s[a]);
        if (pcol[a] >= f.n || !*field(&f, pcol[a])) {
            report(r, PARLEY_EINPUT, 2, pcol[a] < f.n ? f.col[pcol[a]] : f.end_col,
                   "column '%s': missing capability weight for actor '%s'", column, actors.s[a]);
            continue;
        }
        if (deu_cell(r, &f, pcol[a], 2, column, 0.0, INFINITY, &c) && !dvec_push(&cap, c)) {
            nomem(r);
            goto done;
        }
    }
    if (r->status != PARLEY_OK)
        goto done;

    while (next_line(&it, &line, &llen)) {
        if (blank(line, llen))
            continue;
        if (!split(line, llen, '\t', &f)) {
            nomem(r);
            goto done;
        }
        if (f.n != header_fields) {
            report(r, PARLEY_EINPUT, it.lineno, f.end_col,
                   "%s column: the line has %zu field(s), the header %zu",
                   f.n < header_fields ? "missing" : "extra", f.n, header_fields);
            continue;
        }
        char id[64];
        const char *iid = has_id ? field(&f, col_id) : "";
        if (!*iid) {
            snprintf(id, sizeof id, "line%zu", it.lineno);
            iid = id;
        }
        if (at_limit(r, issues.n, TABLE_MAX_ISSUES, "issues (lines)", it.lineno, 1))
            goto done;
        if (!strlist_push(&issues, iid, it.lineno, 1))
            goto oom;
        if (has_group) {
            /* Issues of one legislative proposal (prnr) are negotiated together. */
            size_t g;
            const char *key = field(&f, col_group);
            if (!strlist_find(&groups, key, &g)) {
                g = groups.n;
                if (!strlist_push(&groups, key, it.lineno, f.col[col_group]))
                    goto oom;
            }
            if (!dvec_push(&group_of, (double)g))
                goto oom;
        }
        double v;
        deu_cell(r, &f, col_rp, it.lineno, "rp", 0.0, 100.0, &v);
        if (!dvec_push(&sq, v))
            goto oom;
        deu_cell(r, &f, col_out, it.lineno, "out", 0.0, 100.0, &v);
        if (!dvec_push(&outc, v))
            goto oom;
        for (size_t a = 0; a < actors.n; a++) {
            double x, s;
            char column[PARLEY_WHAT_MAX];
            snprintf(column, sizeof column, "p%s", actors.s[a]);
            deu_cell(r, &f, pcol[a], it.lineno, column, 0.0, 100.0, &x);
            column[0] = 's';
            deu_cell(r, &f, scol[a], it.lineno, column, 0.0, 100.0, &s);
            /* A stance needs both numbers; either blank drops the actor from the issue. */
            if (isnan(x) || isnan(s)) {
                x = NAN;
                s = 0.0;
            }
            if (!dvec_push(&pos, x) || !dvec_push(&sal, s))
                goto oom;
        }
    }
    if (issues.n == 0 && r->status == PARLEY_OK)
        report(r, PARLEY_EINPUT, it.lineno + 1, 1, "no issue lines after the capability line");
    if (r->status != PARLEY_OK)
        goto done;
    {
        parley_status st = parley_bargain_problem_new(actors.n, issues.n, &p, r->err);
        if (st != PARLEY_OK) {
            r->status = st;
            goto done;
        }
        double cmax = 0.0;
        for (size_t a = 0; a < actors.n; a++)
            cmax = fmax(cmax, cap.v[a]);
        size_t na = actors.n, ni = issues.n;
        for (size_t i = 0; i < ni; i++) {
            p->status_quo[i] = sq.v[i];
            p->outcome[i] = outc.v[i];
            for (size_t a = 0; a < na; a++) {
                size_t k = a * ni + i;
                p->position[k] = pos.v[i * na + a];
                p->salience[k] = sal.v[i * na + a] / 100.0;
                p->capability[k] = cmax > 0.0 ? cap.v[a] / cmax : 1.0;
            }
        }
        if (has_group) {
            p->issue_group = PARLEY_NEW_ARRAY(size_t, ni);
            if (!p->issue_group)
                goto oom;
            for (size_t i = 0; i < ni; i++)
                p->issue_group[i] = (size_t)group_of.v[i];
        }
        take_strings(p, &actors, &names, &issues);
        p->title = parley__strdup("DEU III");
        if (!p->title)
            goto oom;
        *out = p;
        p = NULL;
    }
    goto done;
oom:
    nomem(r);
done:
    parley_bargain_problem_free(p);
    fields_free(&f);
    strlist_free(&actors);
    strlist_free(&names);
    strlist_free(&issues);
    parley__free(pcol);
    parley__free(scol);
    parley__free(pos.v);
    parley__free(sal.v);
    parley__free(sq.v);
    parley__free(outc.v);
    parley__free(cap.v);
    strlist_free(&groups);
    parley__free(group_of.v);
    return r->status;
}

/* ---- detection and entry points ---------------------------------------- */

static const char *const format_names[PARLEY_FORMAT_COUNT] = {
    "auto", "scenario", "decide", "ktab", "bdm", "deu",
};

const char *parley_bargain_format_name(parley_bargain_format format)
{
    if ((int)format < 0 || format >= PARLEY_FORMAT_COUNT)
        return "unknown";
    return format_names[format];
}

bool parley_bargain_format_from_name(const char *name, parley_bargain_format *out)
{
    for (int k = 0; name && k < PARLEY_FORMAT_COUNT; k++)
        if (strcmp(name, format_names[k]) == 0) {
            *out = (parley_bargain_format)k;
            return true;
        }
    return false;
}

static bool is_number_text(const char *s)
{
    double v;
    return parse_number(s, &v);
}

/* Detection needs memory to split lines; *oom says it ran out, so that a
 * reader reports that rather than "unknown format". */
static parley_bargain_format detect(const char *text, size_t len, bool *oom)
{
    *oom = false;
    line_iter it;
    line_iter_init(&it, text, len);
    const char *line = NULL, *second = NULL;
    size_t llen = 0, len2 = 0;
    while (next_line(&it, &line, &llen) && blank(line, llen)) {
    }
    if (!line || blank(line, llen))
        return PARLEY_FORMAT_AUTO;
    size_t k = 0;
    while (k < llen && isspace((unsigned char)line[k]))
        k++;
    if (k < llen && line[k] == '{')
        return PARLEY_FORMAT_SCENARIO;
    fields f = {0};
    parley_bargain_format found = PARLEY_FORMAT_AUTO;
    if (!split(line, llen, decide_delim(line, llen), &f)) {
        *oom = true;
        goto out;
    }
    const char *first = field(&f, 0);
    if (strcmp(first, "#A") == 0 || strcmp(first, "#P") == 0 || strcmp(first, "#M") == 0 ||
        strcmp(first, "#D") == 0) {
        found = PARLEY_FORMAT_DECIDE;
        goto out;
    }
    if (memchr(line, '\t', llen)) {
        size_t c;
        if (!split(line, llen, '\t', &f)) {
            *oom = true;
            goto out;
        }
        if (find_col(&f, "rp", &c) || find_col(&f, "out", &c) || find_col(&f, "isnr", &c)) {
            found = PARLEY_FORMAT_DEU;
            goto out;
        }
    }
    if (next_line(&it, &second, &len2) && !blank(second, len2)) {
        fields g = {0};
        bool split_ok = split(line, llen, ',', &f) && split(second, len2, ',', &g);
        *oom = !split_ok;
        if (split_ok && f.n >= 4 && g.n >= 5 &&
            strcasecmp(field(&g, 0), "actor") == 0 && is_number_text(field(&f, 2)) &&
            is_number_text(field(&f, 3)))
            found = PARLEY_FORMAT_KTAB;
        fields_free(&g);
        if (found != PARLEY_FORMAT_AUTO || *oom)
            goto out;
    }
    if (!split(line, llen, guess_delim(line, llen), &f)) {
        *oom = true;
    } else {
        bool pos = false, sal = false;
        for (size_t c = 0; c < f.n; c++) {
            pos = pos || header_is(field(&f, c), bdm_pos_names);
            sal = sal || header_is(field(&f, c), bdm_sal_names);
        }
        if (pos || sal)
            found = PARLEY_FORMAT_BDM;
    }
out:
    fields_free(&f);
    return found;
}

parley_bargain_format parley_bargain_detect_format(const char *text, size_t len)
{
    bool oom;
    return detect(text, len, &oom);
}

parley_status parley_bargain_read_buffer(const char *text, size_t len, const char *source,
                                         parley_bargain_format format,
                                         parley_bargain_problem **out, parley_error *err)
{
    *out = NULL;
    reader r = {source ? source : "<input>", err, PARLEY_OK};
    if (format == PARLEY_FORMAT_AUTO) {
        bool oom;
        format = detect(text, len, &oom);
        if (oom)
            return parley_error_add(err, PARLEY_ENOMEM, r.source,
                                    "out of memory telling the input format");
        if (format == PARLEY_FORMAT_AUTO)
            return parley_error_add(err, PARLEY_EINPUT, r.source,
                                    "cannot tell the input format from the content (expected a "
                                    "parley scenario, a Decide, KTAB, BDM-style CSV or DEU file); "
                                    "name it with --input-format");
    }
    switch (format) {
    case PARLEY_FORMAT_DECIDE:
        return read_decide(text, len, &r, out);
    case PARLEY_FORMAT_KTAB:
        return read_ktab(text, len, &r, out);
    case PARLEY_FORMAT_BDM:
        return read_bdm(text, len, &r, out);
    case PARLEY_FORMAT_DEU:
        return read_deu(text, len, &r, out);
    case PARLEY_FORMAT_SCENARIO:
        return parley__bargain_read_scenario(text, len, r.source, out, err);
    default:
        return parley_error_add(err, PARLEY_EUSAGE, r.source, "unknown input format %d",
                                (int)format);
    }
}

parley_status parley_bargain_read_file(const char *path, parley_bargain_format format,
                                       parley_bargain_problem **out, parley_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        /* A path that names no readable file is the user's input being wrong. */
        int e = errno;
        bool user = e == ENOENT || e == ENOTDIR || e == EACCES || e == ENAMETOOLONG || e == ELOOP;
        return parley_error_add(err, user ? PARLEY_EINPUT : PARLEY_EIO, path, "cannot open: %s",
                                strerror(e));
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    parley_status st = PARLEY_OK;
    for (;;) {
        if (n == cap) {
            if (cap > PARLEY_BARGAIN_FILE_MAX) { /* one byte past the limit was read */
                st = parley_error_add(err, PARLEY_ELIMIT, path,
                                      "file is larger than the %zu-byte limit",
                                      PARLEY_BARGAIN_FILE_MAX);
                break;
            }
            size_t ncap = cap ? 2 * cap : 65536;
            if (ncap > PARLEY_BARGAIN_FILE_MAX)
                ncap = PARLEY_BARGAIN_FILE_MAX + 1; /* room to see whether the file ends there */
            char *nb = parley__realloc_array(buf, ncap + 1, 1);
            if (!nb) {
                /* Literal: the analyser cannot see that parley_error_add
                 * echoes its status, so would read on into buf == NULL. */
                parley_error_add(err, PARLEY_ENOMEM, path, "out of memory reading the file");
                st = PARLEY_ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) {
            if (ferror(fp))
                st = parley_error_add(err, PARLEY_EIO, path, "read error: %s", strerror(errno));
            break;
        }
    }
    fclose(fp);
    if (st == PARLEY_OK) {
        buf[n] = '\0';
        st = parley_bargain_read_buffer(buf, n, path, format, out, err);
    }
    parley__free(buf);
    return st;
}
