/* One entry point for every bargaining model: validates the problem, fills in
 * defaults and dispatches. The dynamic models (BDM, exchange, SMP) live in
 * their own files and headers; this file is where they are wired in. */
#include "internal.h"

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
        return true;
    default:
        return false;
    }
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
    switch (model) {
    case PARLEY_MODEL_COMPROMISE:
        return parley_compromise_run(problem, result, err);
    case PARLEY_MODEL_MEDIAN:
        return parley_median_run(problem, s->median, result, err);
    case PARLEY_MODEL_NBS:
        return parley_nbs_run(problem, s->nbs, result, err);
    default:
        return parley_error_add(err, PARLEY_EUSAGE, NULL,
                                "model %s is not available in this build",
                                parley_bargain_model_name(model));
    }
}
