/* Shared by `parley forecast`, `parley evaluate` and `parley import`: loading a
 * bargaining input, the model options every bargaining command accepts, and
 * number and CSV formatting. */
#ifndef PARLEY_CLI_BARGAIN_H
#define PARLEY_CLI_BARGAIN_H

#include "parley/bargain.h"
#include "parley/bargain_bdm.h"
#include "parley/bargain_exchange.h"
#include "parley/bargain_smp.h"

#include <stdbool.h>
#include <stdio.h>

/* Every option a bargaining command may take, with its parsed value. */
typedef struct bargain_cli_options {
    parley_bargain_format input_format;
    bool equal_capability;
    bool models[PARLEY_MODEL_COUNT]; /* which models to run */
    bool model_given;
    size_t rounds;
    uint64_t seed;
    parley_median_options median;
    parley_nbs_options nbs;
    parley_bdm_options bdm;
    parley_exchange_options exchange;
    parley_smp_options smp;
    parley_bargain_settings settings; /* points into the options above */
} bargain_cli_options;

void bargain_cli_options_init(bargain_cli_options *o);

/* Tries to consume the option at argv[*i] (with its value, as "--x v" or
 * "--x=v"). Returns 1 when consumed (advancing *i), 0 when not a bargaining
 * option, or -1 after printing a usage error. */
int bargain_cli_parse_option(const char *command, int argc, char **argv, int *i,
                             bargain_cli_options *o);

/* The usage lines of the options above, for the commands' usage texts. */
#define BARGAIN_CLI_OPTIONS_HELP \
    "  --model NAME|all        compromise, median, nbs, bdm, exchange, smp; repeatable or\n" \
    "                          comma-separated (default: all)\n" \
    "  --input-format F        auto, scenario, decide, ktab, bdm, deu (default: auto,\n" \
    "                          detected from the content)\n" \
    "  --capability file|gdp|equal\n" \
    "                          capability as in the file (gdp: the DEU row; the default) or\n" \
    "                          1 for every actor (weights become saliences)\n" \
    "  --rounds N              rounds of the dynamic models (default: each model's own:\n" \
    "                          bdm 8, exchange 10; for smp the most turns, default 100)\n" \
    "  --seed S                seed of the random choices (exchange ties, smp stochastic)\n" \
    "  --median-tie lower|upper|midpoint   exact half-weight ties (default lower)\n" \
    "  --median-method sorted|pairwise     (default sorted; both give the same median)\n" \
    "  --nbs-utility quadratic|linear      u_i(x) = -|x - x_i|^2 or ^1 (default quadratic)\n" \
    "  --exchange-arithmetic double|decimal28  decimal28: Decide's 28-digit decimals, exact\n" \
    "  --nbs-at-status-quo exclude|unanimity\n" \
    "                          actors standing at the status quo: left out or veto\n" \
    "                          (default exclude)\n" \
    "  --nbs-split status-quo|majority     actors on both sides of the status quo:\n" \
    "                          disagreement, or the heavier side bargains (default status-quo)\n" \
    "  --nbs-unknown-sq worst|none         no status quo known: each actor's worst scale\n" \
    "                          end, or no forecast (default worst)\n" \
    "  --nbs-weight cs|c       bargaining weight capability x salience or capability\n" \
    "  --bdm-q Q               BDM probability of the status quo in [0, 1] (default 1)\n" \
    "  --smp NAME=VALUE        a KTAB SMP parameter, e.g. --smp VotingRule=Binary\n"


/* Reads `path` in o->input_format, applies --capability; prints every
 * diagnostic and returns the exit code (0 on success, *out then owned by the caller). */
int bargain_cli_load(const char *path, const bargain_cli_options *o, parley_bargain_problem **out);

/* Writes `s` as one CSV field (quoted when it holds , " or a line break). */
void bargain_cli_csv_field(FILE *out, const char *s);

/* Writes a number for CSV ("NA" when not finite). */
void bargain_cli_csv_number(FILE *out, double v);

/* Decimals that show a position on an issue of the given range readably. */
int bargain_cli_decimals(double range);

#endif
