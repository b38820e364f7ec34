/* The peer table formats: every anchor file in tests/anchors/bargaining/ loads
 * with the right shape and numbers, detection picks the right reader, and
 * malformed variants fail with file:line:column diagnostics, all of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/bargain.h"

#define ANCHORS PARLEY_ANCHORS_DIR "/bargaining/"
#define DATA PARLEY_SOURCE_DIR "/tests/data/"

static parley_bargain_problem *load(const char *path, parley_bargain_format fmt)
{
    parley_bargain_problem *p = NULL;
    parley_error err = {0};
    parley_status st = parley_bargain_read_file(path, fmt, &p, &err);
    for (size_t k = 0; k < err.count; k++)
        fprintf(stderr, "%s: %s\n", err.items[k].where, err.items[k].what);
    assert_int_equal(st, PARLEY_OK);
    assert_int_equal(err.count, 0);
    assert_int_equal(parley_bargain_problem_validate(p, path, &err), PARLEY_OK);
    parley_error_clear(&err);
    return p;
}

static size_t actor(const parley_bargain_problem *p, const char *id)
{
    for (size_t a = 0; a < p->n_actors; a++)
        if (strcmp(p->actor_ids[a], id) == 0)
            return a;
    fail_msg("no actor %s", id);
    return 0;
}

static size_t issue(const parley_bargain_problem *p, const char *id)
{
    for (size_t i = 0; i < p->n_issues; i++)
        if (strcmp(p->issue_ids[i], id) == 0)
            return i;
    fail_msg("no issue %s", id);
    return 0;
}

static double at(const double *m, const parley_bargain_problem *p, size_t a, size_t i)
{
    return m[a * p->n_issues + i];
}

/* Every data file of the anchors loads, detected by content, with the reader
 * its name says. */
static void test_every_anchor_loads(void **state)
{
    (void)state;
    DIR *d = opendir(ANCHORS);
    assert_non_null(d);
    struct dirent *e;
    size_t loaded = 0;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (n[0] == '.' || strcmp(n, "README.md") == 0 || strcmp(n, "reference") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s%s", ANCHORS, n);
        parley_bargain_format want = strncmp(n, "decide_", 7) == 0 ? PARLEY_FORMAT_DECIDE
                                     : strncmp(n, "ktab_", 5) == 0 ? PARLEY_FORMAT_KTAB
                                     : strncmp(n, "bdm", 3) == 0   ? PARLEY_FORMAT_BDM
                                     : strncmp(n, "deu", 3) == 0   ? PARLEY_FORMAT_DEU
                                                                   : PARLEY_FORMAT_AUTO;
        assert_int_not_equal(want, PARLEY_FORMAT_AUTO);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char head[8192];
        size_t len = fread(head, 1, sizeof head, f);
        fclose(f);
        if (parley_bargain_detect_format(head, len) != want)
            fail_msg("%s detected as %s", n,
                     parley_bargain_format_name(parley_bargain_detect_format(head, len)));
        parley_bargain_problem *p = load(path, PARLEY_FORMAT_AUTO);
        assert_true(p->n_actors >= 3);
        parley_bargain_problem_free(p);
        loaded++;
    }
    closedir(d);
    assert_int_equal(loaded, 18);
}

static void test_shapes(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        size_t actors, issues;
    } shapes[] = {
        {"decide_cop21.csv", 15, 13},           {"decide_copenhagen.csv", 11, 7},
        {"decide_sample_data.txt", 10, 6},      {"ktab_SOE-Competitive.csv", 34, 1},
        {"ktab_SOE-Pol-Comp.csv", 13, 2},       {"ktab_SOE-Policy.csv", 26, 1},
        {"ktab_dummyData-a040.csv", 40, 1},     {"ktab_dummyData-a080.csv", 80, 1},
        {"ktab_dummyData-a160.csv", 160, 1},    {"ktab_dummyData_3Dim.csv", 7, 3},
        {"ktab_dummyData_6Dim.csv", 27, 6},     {"bdm1994_emission.csv", 10, 1},
        {"bdm1997_sultan.csv", 17, 1},          {"bdm_china1989.csv", 24, 1},
        {"bdm_honduras.csv", 5, 1},             {"bdm_litigation.csv", 46, 1},
        {"deu3.tsv", 30, 364},
    };
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s", ANCHORS, shapes[k].file);
        parley_bargain_problem *p = load(path, PARLEY_FORMAT_AUTO);
        if (p->n_actors != shapes[k].actors || p->n_issues != shapes[k].issues)
            fail_msg("%s: %zu x %zu", shapes[k].file, p->n_actors, p->n_issues);
        parley_bargain_problem_free(p);
    }
}

static void test_bdm_values(void **state)
{
    (void)state;
    parley_bargain_problem *p = load(ANCHORS "bdm1994_emission.csv", PARLEY_FORMAT_BDM);
    assert_string_equal(p->issue_ids[0], "bdm1994_emission");
    size_t nl = actor(p, "Netherlands"), uk = actor(p, "UK");
    assert_float_equal(p->capability[nl], 0.08, 0);
    assert_float_equal(p->position[nl], 4, 0);
    assert_float_equal(p->salience[nl], 0.8, 0);
    assert_float_equal(p->salience[uk], 0.9, 0);
    /* The issue's scale is the positions' range. */
    assert_float_equal(p->scale_min[0], 4, 0);
    assert_float_equal(p->scale_max[0], 10, 0);
    parley_bargain_problem_free(p);
    /* Stakeholder/Resources headers and saliences on 0-100. */
    p = load(ANCHORS "bdm_china1989.csv", PARLEY_FORMAT_AUTO);
    size_t z = actor(p, "Zeming");
    assert_float_equal(p->capability[z], 80, 0);
    assert_float_equal(p->position[z], 25, 0);
    assert_float_equal(p->salience[z], 0.5, 0);
    parley_bargain_problem_free(p);
    /* Two rows named alike are two actors. */
    p = load(ANCHORS "bdm_litigation.csv", PARLEY_FORMAT_AUTO);
    size_t a1 = actor(p, "Attorney"), a2 = actor(p, "Attorney (2)");
    assert_int_not_equal(a1, a2);
    assert_string_equal(p->actor_names[a2], "Attorney (2)");
    parley_bargain_problem_free(p);
}

static void test_ktab_values(void **state)
{
    (void)state;
    parley_bargain_problem *p = load(ANCHORS "ktab_SOE-Pol-Comp.csv", PARLEY_FORMAT_AUTO);
    assert_string_equal(p->title, "China Policy/Competitive; scen 2");
    size_t pol = issue(p, "Policy Position"), comp = issue(p, "Competitive Position");
    size_t xj = actor(p, "XJ");
    assert_string_equal(p->actor_names[xj], "Xi Jinping");
    assert_float_equal(at(p->capability, p, xj, pol), 100.0, 0);
    assert_float_equal(at(p->capability, p, xj, comp), 100.0, 0);
    assert_float_equal(at(p->position, p, xj, pol), 30, 0);
    assert_float_equal(at(p->salience, p, xj, pol), 0.24, 1e-15);
    assert_float_equal(at(p->position, p, xj, comp), 20, 0);
    assert_float_equal(at(p->salience, p, xj, comp), 0.48, 1e-15);
    parley_bargain_problem_free(p);
    /* Quoted description, padded numbers, CRLF line ends. */
    p = load(ANCHORS "ktab_dummyData_3Dim.csv", PARLEY_FORMAT_AUTO);
    assert_string_equal(p->title, "DummyData_3Dim");
    assert_string_equal(p->issue_ids[2], "Pstn3");
    assert_float_equal(at(p->capability, p, 0, 0), 102.543, 0);
    assert_float_equal(at(p->salience, p, 0, 2), 0.2815, 1e-15);
    parley_bargain_problem_free(p);
    p = load(ANCHORS "ktab_dummyData_6Dim.csv", PARLEY_FORMAT_AUTO);
    assert_string_equal(p->issue_ids[5], "Dim5 Position");
    assert_float_equal(at(p->salience, p, 0, 5), 0.18, 1e-15);
    parley_bargain_problem_free(p);
}

static void test_decide_values(void **state)
{
    (void)state;
    parley_bargain_problem *p = load(ANCHORS "decide_sample_data.txt", PARLEY_FORMAT_AUTO);
    size_t toll = issue(p, "tol-hoogte"), w = actor(p, "Willems");
    /* The issue's scale from its #M records; positions stay on it. */
    assert_float_equal(p->scale_min[toll], 0.5, 0);
    assert_float_equal(p->scale_max[toll], 7, 0);
    assert_float_equal(at(p->position, p, w, toll), 3.0, 0);
    assert_float_equal(at(p->salience, p, w, toll), 0.7, 0);
    assert_float_equal(at(p->capability, p, w, toll), 1.0, 0);
    parley_bargain_problem_free(p);
    p = load(ANCHORS "decide_copenhagen.csv", PARLEY_FORMAT_AUTO);
    size_t usa = actor(p, "USA"), mrv = issue(p, "MRVdecrease");
    assert_float_equal(at(p->position, p, usa, mrv), 90, 0);
    assert_float_equal(at(p->salience, p, usa, mrv), 1.0, 0);
    assert_float_equal(at(p->capability, p, usa, mrv), 0.26, 0);
    size_t eu = actor(p, "EU (incl Norway)");
    assert_float_equal(at(p->capability, p, eu, 0), 0.156, 0);
    parley_bargain_problem_free(p);
}

static void test_deu_values(void **state)
{
    (void)state;
    parley_bargain_problem *p = load(ANCHORS "deu3.tsv", PARLEY_FORMAT_AUTO);
    assert_string_equal(p->actor_ids[0], "com");
    assert_string_equal(p->actor_names[0], "European Commission");
    size_t i = issue(p, "d00032i1"), com = actor(p, "com"), at_ = actor(p, "at"),
           bu = actor(p, "bu"), de = actor(p, "de");
    /* Capability: the GDP row over its maximum (4.1, Germany's and the institutions'). */
    assert_float_equal(at(p->capability, p, de, i), 1.0, 0);
    assert_float_equal(at(p->capability, p, at_, i), 0.48 / 4.1, 1e-15);
    assert_float_equal(at(p->position, p, com, i), 100, 0);
    assert_float_equal(at(p->salience, p, com, i), 0.5, 0);
    assert_float_equal(at(p->salience, p, at_, i), 0.4, 0);
    /* A blank position leaves the actor out of the issue. */
    assert_true(isnan(at(p->position, p, bu, i)));
    assert_float_equal(at(p->salience, p, bu, i), 0.0, 0);
    assert_float_equal(p->status_quo[i], 0, 0);
    assert_float_equal(p->outcome[i], 100, 0);
    size_t outcomes = 0, sq = 0;
    for (size_t k = 0; k < p->n_issues; k++) {
        outcomes += !isnan(p->outcome[k]);
        sq += !isnan(p->status_quo[k]);
    }
    assert_int_equal(outcomes, 353);
    assert_int_equal(sq, 261);
    /* Issues of one proposal share a group. */
    assert_non_null(p->issue_group);
    size_t groups = 0;
    for (size_t k = 0; k < p->n_issues; k++)
        groups = p->issue_group[k] + 1 > groups ? p->issue_group[k] + 1 : groups;
    assert_int_equal(groups, 141);
    parley_bargain_problem_free(p);
}

/* One malformed file: its status, and the (where, what) of each diagnostic. */
static void expect_errors(const char *file, parley_bargain_format fmt, size_t n,
                          const char *const *where, const char *const *what)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", DATA, file);
    parley_bargain_problem *p = NULL;
    parley_error err = {0};
    assert_int_equal(parley_bargain_read_file(path, fmt, &p, &err), PARLEY_EINPUT);
    assert_null(p);
    for (size_t k = 0; k < err.count; k++)
        fprintf(stderr, "  %s: %s\n", err.items[k].where, err.items[k].what);
    assert_int_equal(err.count, n);
    for (size_t k = 0; k < n; k++) {
        char want[1200];
        snprintf(want, sizeof want, "%s%s", DATA, where[k]);
        assert_string_equal(err.items[k].where, want);
        if (!strstr(err.items[k].what, what[k]))
            fail_msg("%s: '%s' lacks '%s'", file, err.items[k].what, what[k]);
    }
    parley_error_clear(&err);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_errors("bargain_bad_missing_column.csv", PARLEY_FORMAT_AUTO, 1,
                  (const char *const[]){"bargain_bad_missing_column.csv:1:1"},
                  (const char *const[]){"missing column 'Salience'"});
    expect_errors("bargain_bad_not_number.csv", PARLEY_FORMAT_AUTO, 2,
                  (const char *const[]){"bargain_bad_not_number.csv:3:3",
                                        "bargain_bad_not_number.csv:4:8"},
                  (const char *const[]){"column 'Capability': 'abc' is not a number",
                                        "column 'Salience': '1..5' is not a number"});
    expect_errors("bargain_bad_unknown_actor.txt", PARLEY_FORMAT_AUTO, 1,
                  (const char *const[]){"bargain_bad_unknown_actor.txt:7:6"},
                  (const char *const[]){"unknown actor 'A3' (no #A record declares it)"});
    expect_errors("bargain_bad_decide_fields.txt", PARLEY_FORMAT_DECIDE, 2,
                  (const char *const[]){"bargain_bad_decide_fields.txt:4:25",
                                        "bargain_bad_decide_fields.txt:5:17"},
                  (const char *const[]){"missing column 'power'", "position: 'ten' is not a number"});
    expect_errors("bargain_bad_ktab.csv", PARLEY_FORMAT_AUTO, 2,
                  (const char *const[]){"bargain_bad_ktab.csv:4:14", "bargain_bad_ktab.csv:5:12"},
                  (const char *const[]){"missing column: salience of Tax Position",
                                        "column 'Tax Position': 'x60' is not a number"});
    expect_errors("bargain_bad_deu.tsv", PARLEY_FORMAT_AUTO, 2,
                  (const char *const[]){"bargain_bad_deu.tsv:4:7", "bargain_bad_deu.tsv:5:23"},
                  (const char *const[]){"column 'pb': '2O' is not a number",
                                        "missing column: the line has 8 field(s), the header 9"});
}

static parley_status parse(const char *text, parley_bargain_format fmt,
                           parley_bargain_problem **p, parley_error *err)
{
    return parley_bargain_read_buffer(text, strlen(text), "mem.csv", fmt, p, err);
}

static void test_buffer_details(void **state)
{
    (void)state;
    parley_bargain_problem *p;
    parley_error err = {0};
    /* BOM, CRLF, quoted names with commas, ; as the delimiter, extra columns. */
    const char *bdm = "\xEF\xBB\xBFname;note;power;position;salience\r\n"
                      "\"Smith; Jones\";x;2;10;50\r\n"
                      "B;y;1;40;100\r\n";
    assert_int_equal(parse(bdm, PARLEY_FORMAT_AUTO, &p, &err), PARLEY_OK);
    assert_string_equal(p->actor_ids[0], "Smith; Jones");
    assert_float_equal(p->salience[0], 0.5, 0);
    assert_float_equal(p->salience[1], 1.0, 0);
    assert_float_equal(p->capability[0], 2.0, 0);
    assert_string_equal(p->issue_ids[0], "mem");
    parley_bargain_problem_free(p);
    /* Out-of-range numbers are located. */
    assert_int_equal(parse("Actor,Capability,Position,Salience\nA,-1,10,0.5\nB,1,10,150\n",
                           PARLEY_FORMAT_BDM, &p, &err),
                     PARLEY_EINPUT);
    assert_int_equal(err.count, 2);
    assert_string_equal(err.items[0].where, "mem.csv:2:3");
    assert_string_equal(err.items[1].where, "mem.csv:3:8");
    parley_error_clear(&err);
    /* Nothing to recognise. */
    assert_int_equal(parse("hello world\n", PARLEY_FORMAT_AUTO, &p, &err), PARLEY_EINPUT);
    assert_non_null(strstr(err.items[0].what, "--input-format"));
    parley_error_clear(&err);
    assert_int_equal(parse("", PARLEY_FORMAT_AUTO, &p, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    /* KTAB: the actor count on the title line must match. */
    assert_int_equal(parse("T,d,3,1,\nActor,Description,Power,P,S,\nA,a,1,10,50,\nB,b,1,20,50,\n",
                           PARLEY_FORMAT_AUTO, &p, &err),
                     PARLEY_EINPUT);
    assert_string_equal(err.items[0].where, "mem.csv:1:5");
    assert_non_null(strstr(err.items[0].what, "declares 3 actor(s), the file has 2"));
    parley_error_clear(&err);
    /* Decide: declarations may follow the records that use them; a position
     * outside the #M scale is an error. */
    const char *dec = "#D;A;x;5;0.5;1\n#A;A;Alpha\n#P;x;X\n#M;x;0\n#M;x;10\n"
                      "#A;B;Beta\n#D;B;x;11;0.5;1\n";
    assert_int_equal(parse(dec, PARLEY_FORMAT_AUTO, &p, &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 1);
    assert_string_equal(err.items[0].where, "mem.csv:7:8");
    assert_non_null(strstr(err.items[0].what, "outside the issue's scale 0..10"));
    parley_error_clear(&err);
    /* Decide: duplicates and unknown record types. */
    assert_int_equal(parse("#A;A;a\n#A;A;b\n#P;x;X\n#X;what\n#D;A;x;1;0.5;1\n#D;A;x;2;0.5;1\n",
                           PARLEY_FORMAT_DECIDE, &p, &err),
                     PARLEY_EINPUT);
    assert_int_equal(err.count, 3);
    assert_non_null(strstr(err.items[0].what, "declared twice (first on line 1)"));
    assert_non_null(strstr(err.items[1].what, "unknown record type '#X'"));
    assert_non_null(strstr(err.items[2].what, "second #D record"));
    parley_error_clear(&err);
}

static void test_format_names(void **state)
{
    (void)state;
    static const char *const names[] = {"auto", "scenario", "decide", "ktab", "bdm", "deu"};
    for (int k = 0; k < PARLEY_FORMAT_COUNT; k++) {
        parley_bargain_format f;
        assert_string_equal(parley_bargain_format_name((parley_bargain_format)k), names[k]);
        assert_true(parley_bargain_format_from_name(names[k], &f));
        assert_int_equal(f, k);
    }
    parley_bargain_format f;
    assert_false(parley_bargain_format_from_name("xml", &f));
    parley_bargain_problem *p;
    parley_error err = {0};
    assert_int_equal(parley_bargain_read_file(DATA "no-such-file.csv", PARLEY_FORMAT_AUTO, &p, &err),
                     PARLEY_EINPUT);
    parley_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_anchor_loads), cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_bdm_values),         cmocka_unit_test(test_ktab_values),
        cmocka_unit_test(test_decide_values),      cmocka_unit_test(test_deu_values),
        cmocka_unit_test(test_malformed),          cmocka_unit_test(test_buffer_details),
        cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
