/* Shared pieces of the Monte Carlo commands; see mc_cli.h. */
#include "mc_cli.h"

#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool mc_parse_u64(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!text[0] || text[0] == '-' || text[0] == '+')
        return false;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

bool mc_parse_u32(const char *text, uint32_t max, uint32_t *out)
{
    uint64_t v;
    if (!mc_parse_u64(text, &v) || v > max)
        return false;
    *out = (uint32_t)v;
    return true;
}

bool mc_parse_double(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (!text[0] || errno || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

unsigned mc_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 && n <= 1024 ? (unsigned)n : 1u;
}

parley_status mc_load_scenario(const char *file, char **sets, int n_sets, parley_scenario **out,
                               parley_error *err)
{
    *out = NULL;
    parley_scenario *sc = NULL;
    if (parley_scenario_open(file, &sc, err) != PARLEY_OK)
        return err->status;
    for (int k = 0; k < n_sets; k++) {
        const char *eq = strchr(sets[k], '=');
        if (!eq || eq == sets[k]) {
            parley_error_add(err, PARLEY_EUSAGE, "--set", "expected PATH=VALUE, got '%s'",
                             sets[k]);
            break;
        }
        char path[512];
        size_t len = (size_t)(eq - sets[k]);
        if (len >= sizeof path) {
            parley_error_add(err, PARLEY_EUSAGE, "--set", "path too long");
            break;
        }
        memcpy(path, sets[k], len);
        path[len] = '\0';
        /* `parley run --set sim.NAME=V` works, so say where it goes here. */
        if (strncmp(path, "sim.", 4) == 0) {
            parley_error_add(err, PARLEY_EUSAGE, "--set",
                             "%s is a simulator parameter, not a scenario field: fix it with "
                             "--vary %s (one value) in sweep and report, or --param %s in "
                             "calibrate",
                             path, sets[k], sets[k]);
            break;
        }
        if (parley_scenario_set(sc, path, eq + 1, err) != PARLEY_OK)
            break;
    }
    if (err->status != PARLEY_OK) {
        parley_scenario_free(sc);
        return err->status;
    }
    *out = sc;
    return PARLEY_OK;
}

bool mc_parse_vary(const char *command, char *arg, parley_vary *out)
{
    memset(out, 0, sizeof *out);
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        cli_usage_error(command, "--vary needs PATH=V1,V2,..., got '%s'", arg);
        return false;
    }
    *eq = '\0';
    char *list = eq + 1;
    if (!list[0]) {
        cli_usage_error(command, "--vary %s: empty list of values", arg);
        return false;
    }
    size_t n = 1;
    for (const char *c = list; *c; c++)
        n += *c == ',';
    const char **values = calloc(n, sizeof *values);
    if (!values) {
        fprintf(stderr, "parley %s: out of memory\n", command);
        return false;
    }
    size_t k = 0;
    for (char *tok = list;; k++) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        values[k] = tok;
        if (!comma)
            break;
        tok = comma + 1;
    }
    out->path = arg;
    out->values = values;
    out->n_values = n;
    return true;
}

void mc_vary_free(parley_vary *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((void *)v[i].values);
}

double mc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void mc_progress_init(mc_progress *p, bool enabled, uint64_t offset, uint64_t all)
{
    p->on = enabled && isatty(STDERR_FILENO);
    p->start = p->last = mc_now();
    p->offset = offset;
    p->all = all;
}

static void fmt_eta(char *buf, size_t size, double s)
{
    if (!isfinite(s) || s < 0)
        snprintf(buf, size, "--:--");
    else if (s >= 3600)
        snprintf(buf, size, "%d:%02d:%02d", (int)(s / 3600), (int)fmod(s / 60, 60), (int)fmod(s, 60));
    else
        snprintf(buf, size, "%02d:%02d", (int)(s / 60), (int)fmod(s, 60));
}

void mc_progress_cb(void *user, uint64_t done, uint64_t total)
{
    mc_progress *p = user;
    if (!p->on)
        return;
    double now = mc_now();
    if (now - p->last < 0.1 && done < total)
        return;
    p->last = now;
    double rate = now > p->start ? (double)done / (now - p->start) : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : NAN;
    uint64_t shown = p->offset + done, all = p->all ? p->all : total;
    int width = 30, fill = all ? (int)((double)shown / (double)all * width) : width;
    char bar[32], etab[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fmt_eta(etab, sizeof etab, eta);
    fprintf(stderr, "\r[%s] %llu/%llu runs  %.0f runs/s  ETA %s ", bar,
            (unsigned long long)shown, (unsigned long long)all, rate, etab);
    fflush(stderr);
}

void mc_progress_end(mc_progress *p)
{
    if (p->on)
        fprintf(stderr, "\n");
}

char *mc_join_args(int argc, char **argv)
{
    size_t len = 8;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    memcpy(s, "parley", 7);
    size_t n = 6;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]);
        s[n++] = ' ';
        memcpy(s + n, argv[i], l + 1);
        n += l;
    }
    return s;
}

void mc_csv_text(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void mc_csv_number(FILE *out, double x)
{
    if (!isnan(x))
        fprintf(out, "%.6g", x);
}
