/* `parley import FILE -o scenario.json`: converts a peer table (Decide, KTAB,
 * BDM-style CSV, DEU TSV) into a parley scenario (docs/FORMAT.md) that
 * `parley validate` accepts. What the scenario format needs and the tables do
 * not give is filled in as docs/MODELS.md ("Input formats") lists, and each
 * issue's `source` says so. The output is written to a temporary file and
 * renamed into place, so a failed import never leaves half a scenario. */
#include "bargain_cli.h"
#include "cli.h"

#include "core/atomic_file.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char cli_import_usage[] =
    "usage: parley import FILE -o OUT.json [--input-format F] [--capability file|equal]\n\n"
    "Converts FILE (a Decide file, a KTAB SMP CSV, an Actor,Capability,Position,Salience\n"
    "CSV or the DEU III TSV) into a parley scenario. Ids are made from names (characters\n"
    "outside A-Z a-z 0-9 _ - become _); positions are mapped from the issue's scale to\n"
    "0-100; an actor's capability is its mean over the issues it has a stance on; an\n"
    "unknown status quo is written as 50 and flagged in the issue's source.\n";

#define ID_MAX 64

/* A scenario id from a display name, unique among `taken` (n entries). */
static void make_id(const char *name, const char *fallback, size_t index, char taken[][ID_MAX + 1],
                    size_t n, char out[ID_MAX + 1])
{
    size_t k = 0;
    bool under = false;
    for (const char *s = name; *s && k < ID_MAX - 4; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '_') {
            out[k++] = (char)c;
            under = false;
        } else if (!under && k > 0) {
            out[k++] = '_';
            under = true;
        }
    }
    while (k > 0 && out[k - 1] == '_')
        k--;
    out[k] = '\0';
    if (k == 0)
        snprintf(out, ID_MAX + 1, "%s%zu", fallback, index + 1);
    char base[ID_MAX + 1];
    memcpy(base, out, sizeof base);
    for (size_t suffix = 2;; suffix++) {
        bool clash = false;
        for (size_t j = 0; j < n && !clash; j++)
            clash = strcmp(taken[j], out) == 0;
        if (!clash)
            return;
        snprintf(out, ID_MAX + 1, "%.*s_%zu", ID_MAX - 8, base, suffix);
    }
}

static json_t *build_scenario(const char *path, const parley_bargain_problem *p,
                              char (*aid)[ID_MAX + 1], char (*iid)[ID_MAX + 1])
{
    size_t na = p->n_actors, ni = p->n_issues;
    json_t *root = json_object();
    json_t *meta = json_object();
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    json_object_set_new(meta, "name", json_string(p->title && *p->title ? p->title : base));
    char desc[1024];
    snprintf(desc, sizeof desc, "Imported by parley import from %s.", base);
    json_object_set_new(meta, "description", json_string(desc));
    /* A bargaining table has no calendar; the dates only satisfy the format. */
    json_object_set_new(meta, "start", json_string("2000-01"));
    json_object_set_new(meta, "horizon", json_string("2000-12"));
    json_object_set_new(meta, "round_months", json_integer(1));
    json_object_set_new(root, "meta", meta);

    json_t *actors = json_array();
    for (size_t a = 0; a < na; a++) {
        double sum = 0.0;
        size_t n = 0;
        for (size_t i = 0; i < ni; i++)
            if (p->salience[a * ni + i] > 0.0 && isfinite(p->position[a * ni + i])) {
                sum += p->capability[a * ni + i];
                n++;
            }
        if (n == 0)
            for (size_t i = 0; i < ni; i++, n++)
                sum += p->capability[a * ni + i];
        json_t *actor = json_object();
        json_object_set_new(actor, "id", json_string(aid[a]));
        const char *name = p->actor_names && p->actor_names[a] ? p->actor_names[a] : p->actor_ids[a];
        json_object_set_new(actor, "name", json_string(name));
        json_object_set_new(actor, "kind", json_string("principal"));
        json_object_set_new(actor, "capability", json_real(sum / (double)n));
        if (p->risk)
            json_object_set_new(actor, "risk", json_real(p->risk[a]));
        json_array_append_new(actors, actor);
    }
    json_object_set_new(root, "actors", actors);

    json_t *issues = json_array();
    for (size_t i = 0; i < ni; i++) {
        double lo = p->scale_min[i], hi = p->scale_max[i];
        char label[64], source[512];
        json_t *issue = json_object();
        json_object_set_new(issue, "id", json_string(iid[i]));
        json_object_set_new(issue, "name", json_string(p->issue_ids[i]));
        snprintf(label, sizeof label, "%g on the input's scale", lo);
        json_object_set_new(issue, "label_0", json_string(label));
        snprintf(label, sizeof label, "%g on the input's scale", hi);
        json_object_set_new(issue, "label_100", json_string(label));
        double sq = p->status_quo[i];
        if (isfinite(sq)) {
            double v = (sq - lo) * 100.0 / (hi - lo);
            json_object_set_new(issue, "status_quo", json_real(fmin(100.0, fmax(0.0, v))));
            snprintf(source, sizeof source, "%s", base);
        } else {
            json_object_set_new(issue, "status_quo", json_real(50.0));
            snprintf(source, sizeof source, "%s; status quo not in the input (50 written by parley import)",
                     base);
        }
        json_object_set_new(issue, "source", json_string(source));
        json_array_append_new(issues, issue);
    }
    json_object_set_new(root, "issues", issues);

    json_t *stances = json_array();
    for (size_t a = 0; a < na; a++)
        for (size_t i = 0; i < ni; i++) {
            double x = p->position[a * ni + i], s = p->salience[a * ni + i];
            if (!isfinite(x))
                continue;
            double lo = p->scale_min[i], hi = p->scale_max[i];
            double v = fmin(100.0, fmax(0.0, (x - lo) * 100.0 / (hi - lo)));
            json_t *st = json_object();
            json_object_set_new(st, "actor", json_string(aid[a]));
            json_object_set_new(st, "issue", json_string(iid[i]));
            json_object_set_new(st, "position", json_real(v));
            json_object_set_new(st, "salience", json_real(fmin(1.0, fmax(0.0, s))));
            json_array_append_new(stances, st);
        }
    json_object_set_new(root, "stances", stances);
    return root;
}

int cli_cmd_import(int argc, char **argv)
{
    bargain_cli_options o;
    bargain_cli_options_init(&o);
    const char *path = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("import", "%s needs a file name", a);
            out = argv[++i];
            continue;
        }
        if (strncmp(a, "--output=", 9) == 0) {
            out = a + 9;
            continue;
        }
        bool known = strncmp(a, "--input-format", 14) == 0 || strncmp(a, "--capability", 12) == 0;
        if (known) {
            if (bargain_cli_parse_option("import", argc, argv, &i, &o) < 0)
                return CLI_EXIT_BAD_INPUT;
            continue;
        }
        if (a[0] == '-' && a[1] != '\0')
            return cli_usage_error("import", "unknown option '%s'", a);
        if (path)
            return cli_usage_error("import", "one FILE only ('%s' is a second)", a);
        path = a;
    }
    if (!path)
        return cli_usage_error("import", "missing FILE");
    if (!out)
        return cli_usage_error("import", "missing -o OUT.json");

    parley_bargain_problem *p;
    int code = bargain_cli_load(path, &o, &p);
    if (code != CLI_EXIT_OK)
        return code;
    char (*aid)[ID_MAX + 1] = calloc(p->n_actors, sizeof *aid);
    char (*iid)[ID_MAX + 1] = calloc(p->n_issues, sizeof *iid);
    json_t *root = NULL;
    char *text = NULL;
    code = CLI_EXIT_FAILURE;
    if (!aid || !iid) {
        fprintf(stderr, "parley import: out of memory\n");
        goto done;
    }
    for (size_t a = 0; a < p->n_actors; a++)
        make_id(p->actor_ids[a], "actor", a, aid, a, aid[a]);
    for (size_t i = 0; i < p->n_issues; i++)
        make_id(p->issue_ids[i], "issue", i, iid, i, iid[i]);
    root = build_scenario(path, p, aid, iid);
    text = root ? json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) : NULL;
    if (!text) {
        fprintf(stderr, "parley import: out of memory\n");
        goto done;
    }
    size_t len = strlen(text);
    parley_error err;
    parley_error_init(&err);
    char *with_newline = malloc(len + 2);
    if (!with_newline) {
        fprintf(stderr, "parley import: out of memory\n");
        goto done;
    }
    memcpy(with_newline, text, len + 1);
    with_newline[len] = '\n';
    with_newline[len + 1] = '\0';
    parley_status st = parley__atomic_write(out, with_newline, len + 1, &err);
    free(with_newline);
    code = st == PARLEY_OK ? CLI_EXIT_OK : cli_report_error(stderr, &err);
    parley_error_clear(&err);
done:
    free(text);
    json_decref(root);
    free(aid);
    free(iid);
    parley_bargain_problem_free(p);
    return code;
}
