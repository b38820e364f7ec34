/* Helpers shared by the files of the bargain module (not public API). */
#ifndef PARLEY_BARGAIN_INTERNAL_H
#define PARLEY_BARGAIN_INTERNAL_H

#include "parley/bargain.h"

/* Sets up `result` for `model` with n_issues forecasts, all NAN, and an empty
 * trace. On failure `result` is left empty (safe to free). Errors: PARLEY_ENOMEM. */
parley_status parley__bargain_result_init(parley_bargain_result *result,
                                          parley_bargain_model model, size_t n_issues,
                                          parley_error *err);

/* Weight of actor a on issue i: c s, or 0 when the stance is missing or not
 * finite (so that such an actor carries no weight). */
double parley__bargain_weight(const parley_bargain_problem *p, size_t a, size_t i);

/* Parses a parley scenario (JSON text) into a problem; src/bargain/scenario_input.c. */
parley_status parley__bargain_read_scenario(const char *text, size_t len, const char *source,
                                            parley_bargain_problem **out, parley_error *err);

#endif
