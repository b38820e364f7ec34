/* The report library without a browser: chart names, the fan quantiles on
 * hand-computed values, the short cell labels, the scenario-only report
 * (which charts it has, SVG output, errors for the charts it has not), the
 * JSON block, and the HTML page written atomically. */
#include "parley/report.h"
#include "report/report_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static parley_scenario *load_minimal(void)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    assert_int_equal(parley_scenario_load_file(PARLEY_SOURCE_DIR "/tests/data/minimal.json", &sc,
                                               &err),
                     PARLEY_OK);
    parley_error_clear(&err);
    return sc;
}

static void test_chart_names(void **state)
{
    (void)state;
    for (int k = 0; k < PARLEY_CHART_COUNT; k++) {
        parley_chart_kind back;
        assert_true(parley_chart_from_name(parley_chart_name((parley_chart_kind)k), &back));
        assert_int_equal(back, k);
    }
    parley_chart_kind x;
    assert_false(parley_chart_from_name("pie", &x));
    assert_null(parley_chart_name(PARLEY_CHART_COUNT));
}

static void test_fan_quantiles(void **state)
{
    (void)state;
    /* Type 7 on 1..5: h = 4p, so 1.2, 2, 3, 4, 4.8; NANs are skipped. */
    double v[7] = {5, NAN, 3, 1, 4, 2, NAN}, q[PARLEY__FAN_Q];
    parley__fan_quantiles(v, 7, q);
    assert_float_equal(q[0], 1.2, 1e-12);
    assert_float_equal(q[1], 2.0, 1e-12);
    assert_float_equal(q[2], 3.0, 1e-12);
    assert_float_equal(q[3], 4.0, 1e-12);
    assert_float_equal(q[4], 4.8, 1e-12);
}

static void test_cell_short(void **state)
{
    (void)state;
    char *s = parley__report_cell_short("policy.linkage=linked,policy.side_payments=100");
    assert_string_equal(s, "linkage=linked side_payments=100");
    parley_report_buffer_free(s);
    s = parley__report_cell_short("baseline");
    assert_string_equal(s, "baseline");
    parley_report_buffer_free(s);
}

static void test_scenario_report(void **state)
{
    (void)state;
    parley_scenario *sc = load_minimal();
    parley_error err;
    parley_error_init(&err);
    parley_report_data *d = NULL;
    assert_int_equal(parley_report_data_from_scenario(sc, NULL, &d, &err), PARLEY_OK);
    assert_true(parley_report_has_chart(d, PARLEY_CHART_POSITIONS));
    assert_true(parley_report_has_chart(d, PARLEY_CHART_FORECASTS));
    assert_true(parley_report_has_chart(d, PARLEY_CHART_CONVERGENCE));
    assert_false(parley_report_has_chart(d, PARLEY_CHART_OUTCOMES));
    assert_false(parley_report_has_chart(d, PARLEY_CHART_TRUST));
    assert_false(parley_report_has_chart(d, PARLEY_CHART_SENSITIVITY));

    char *svg = NULL;
    size_t len = 0;
    assert_int_equal(parley_chart_render(d, PARLEY_CHART_POSITIONS, PARLEY_IMAGE_SVG, &svg, &len,
                                         &err),
                     PARLEY_OK);
    assert_true(len > 1000);
    assert_int_equal(strlen(svg), len);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "</svg>"));
    /* Axis label and the actors' ids are text, not outlines. */
    assert_non_null(strstr(svg, "<text"));
    parley_report_buffer_free(svg);

    assert_int_equal(parley_chart_render(d, PARLEY_CHART_OUTCOMES, PARLEY_IMAGE_SVG, &svg, &len,
                                         &err),
                     PARLEY_EINPUT);
    assert_null(svg);
    parley_error_clear(&err);

    char *json = NULL;
    assert_int_equal(parley_report_json(d, &json, &err), PARLEY_OK);
    assert_non_null(strstr(json, "\"format\":\"parley-report\""));
    assert_non_null(strstr(json, "\"forecasts\""));
    assert_non_null(strstr(json, "\"peace_regime\""));
    assert_null(strstr(json, "\"outcomes\""));
    parley_report_buffer_free(json);

    char dir[] = "/tmp/parley-report-test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], bad[160];
    snprintf(path, sizeof path, "%s/r.html", dir);
    assert_int_equal(parley_report_write_html(d, path, &err), PARLEY_OK);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char head[64] = {0};
    assert_true(fread(head, 1, sizeof head - 1, f) > 0);
    fclose(f);
    assert_memory_equal(head, "<!DOCTYPE html>", 15);
    /* A missing directory: an error, and nothing written. */
    snprintf(bad, sizeof bad, "%s/no/such/dir/r.html", dir);
    assert_int_equal(parley_report_write_html(d, bad, &err), PARLEY_EIO);
    parley_error_clear(&err);
    assert_int_equal(remove(path), 0);
    assert_int_equal(rmdir(dir), 0);

    parley_report_data_free(d);
    parley_scenario_free(sc);
}

static void test_bad_input(void **state)
{
    (void)state;
    parley_error err;
    parley_error_init(&err);
    parley_report_data *d = (parley_report_data *)&err; /* must be reset to NULL */
    assert_int_equal(parley_report_data_from_db("/nonexistent/results.sqlite", NULL, &d, &err),
                     PARLEY_EINPUT);
    assert_null(d);
    assert_non_null(strstr(err.items[0].what, "no such results database"));
    parley_error_clear(&err);

    parley_scenario *sc = load_minimal();
    parley_report_options opt;
    parley_report_options_default(&opt);
    opt.bargain_model = "median"; /* static: no rounds to show */
    assert_int_equal(parley_report_data_from_scenario(sc, &opt, &d, &err), PARLEY_EINPUT);
    assert_null(d);
    parley_error_clear(&err);
    parley_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chart_names),   cmocka_unit_test(test_fan_quantiles),
        cmocka_unit_test(test_cell_short),    cmocka_unit_test(test_scenario_report),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
