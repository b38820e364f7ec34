/* Scenario input for the bargaining models. */
#include "internal.h"

parley_status parley__bargain_read_scenario(const char *text, size_t len, const char *source,
                                            parley_bargain_problem **out, parley_error *err)
{
    (void)text;
    (void)len;
    *out = NULL;
    return parley_error_add(err, PARLEY_EUSAGE, source,
                            "parley scenarios cannot be read by this build of the bargain module");
}
