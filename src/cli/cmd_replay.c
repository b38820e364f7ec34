/* `parley replay`: one run of a sweep, replayed from its seed with its
 * timeline, so that a person can read the history behind a probability. */
#include "cli.h"

#include "parley/output.h"
#include "parley/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char cli_replay_usage[] =
    "usage: parley replay RESULTS.sqlite [--cell C] [--draw D] [--run R | --outcome O]\n"
    "                     [--format text|json] [--quiet]\n"
    "\n"
    "Replays run R of draw D in policy cell C (each 0 by default) of a sweep's\n"
    "results database from its seed, as the sweep ran it (the cell's levers, the\n"
    "draw's numbers and parameters), and prints its dated timeline and summary\n"
    "like `parley run` (--quiet: the summary only; --format json: the event log\n"
    "and per-round state). --outcome treaty|collapse|none replays instead the\n"
    "first run of the cell (of draw D, if given) that ended that way. The runs\n"
    "table of the database names every run (e.g.\n"
    "`sqlite3 r.sqlite \"select cell, draw, run from runs where treaty = 1\"`).\n"
    "The scenario must be the one the sweep ran (its fingerprint is checked);\n"
    "when the simulator has changed since, the replay is today's model on that\n"
    "seed and parley says so on stderr. Exit 2 for a missing database, a run it\n"
    "does not hold or a changed scenario.\n";

static bool parse_index(const char *text, int64_t *out)
{
    char *end;
    errno = 0;
    if (!text[0] || text[0] == '-')
        return false;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v > INT32_MAX)
        return false;
    *out = v;
    return true;
}

int cli_cmd_replay(int argc, char **argv)
{
    const char *path = NULL, *format = "text", *outcome = NULL;
    int64_t index[3] = {0, 0, 0}; /* cell, draw, run */
    bool given[3] = {false, false, false};
    static const char *const names[3] = {"--cell", "--draw", "--run"};
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int k = -1;
        for (int j = 0; j < 3; j++)
            if (strcmp(a, names[j]) == 0)
                k = j;
        if (k >= 0 && i + 1 < argc) {
            if (!parse_index(argv[++i], &index[k]))
                return cli_usage_error("replay", "%s needs a non-negative integer, got '%s'",
                                       names[k], argv[i]);
            given[k] = true;
        } else if (strcmp(a, "--outcome") == 0 && i + 1 < argc) {
            outcome = argv[++i];
        } else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
            if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
                return cli_usage_error("replay", "--format must be text or json, got '%s'",
                                       format);
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("replay", "unknown option '%s' (or a missing value)", a);
        } else if (!path) {
            path = a;
        } else {
            return cli_usage_error("replay", "one database at a time ('%s' is extra)", a);
        }
    }
    if (!path)
        return cli_usage_error("replay", "which results database? e.g. `parley replay r.sqlite`");
    if (outcome && given[2])
        return cli_usage_error("replay", "--run and --outcome choose the run two ways; give one");

    parley_error err;
    parley_error_init(&err);
    parley_replay *replay = NULL;
    int code = CLI_EXIT_OK;
    bool reproduced = false;
    if (parley_replay_open(path, &replay, &err) != PARLEY_OK ||
        (outcome && parley_replay_find(replay, index[0], given[1] ? index[1] : -1, outcome,
                                       &index[1], &index[2], &err) != PARLEY_OK) ||
        parley_replay_run(replay, index[0], index[1], index[2], &reproduced, &err) != PARLEY_OK) {
        code = cli_report_error(stderr, &err);
        goto done;
    }
    if (!reproduced)
        fprintf(stderr, "parley: replay: the replayed run's metrics differ from those stored: "
                        "the simulator or its defaults have changed since the sweep, so this is "
                        "today's model on that run's seed\n");
    const parley_sim *sim = parley_replay_sim(replay);
    uint64_t seed = parley_replay_seed(replay);
    bool ok;
    if (strcmp(format, "json") == 0) {
        ok = parley_write_run_json(sim, seed, stdout);
    } else {
        printf("Run %" PRId64 " of draw %" PRId64 " in cell %" PRId64, index[2], index[1],
               index[0]);
        char label[512];
        if (parley_replay_cell_label(replay, index[0], label, sizeof label))
            printf(" (%s)", label);
        printf(" of %s, replayed from stream (seed %" PRIu64 ", draw %" PRId64 ", run %" PRId64
               ")\n",
               path, seed, index[1], index[2]);
        if (!quiet)
            putchar('\n');
        ok = (quiet || parley_write_timeline(sim, stdout)) &&
             parley_write_summary(sim, seed, stdout);
    }
    if (!ok || fflush(stdout) != 0) {
        fprintf(stderr, "parley: replay: cannot write the output\n");
        code = CLI_EXIT_FAILURE;
    }
done:
    parley_replay_free(replay);
    parley_error_clear(&err);
    return code;
}
