/* parley_error: diagnostics accumulate in order, the first status wins, the
 * cap counts what it drops, and exit codes follow the status table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parley/error.h"

static void test_accumulates_in_order(void **state)
{
    (void)state;
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(err.status, PARLEY_OK);
    assert_int_equal(parley_error_add(&err, PARLEY_EINPUT, "f.json:3:4", "bad %s", "thing"),
                     PARLEY_EINPUT);
    parley_error_add(&err, PARLEY_EIO, NULL, "second");
    assert_int_equal(err.status, PARLEY_EINPUT);
    assert_int_equal(err.count, 2);
    assert_string_equal(err.items[0].where, "f.json:3:4");
    assert_string_equal(err.items[0].what, "bad thing");
    assert_string_equal(err.items[1].where, "");
    parley_error_clear(&err);
    assert_int_equal(err.count, 0);
    assert_int_equal(err.status, PARLEY_OK);
}

static void test_cap_counts_dropped(void **state)
{
    (void)state;
    parley_error err = {0};
    for (int i = 0; i < PARLEY_DIAGNOSTICS_MAX + 7; i++)
        parley_error_add(&err, PARLEY_EINPUT, "x", "n%d", i);
    assert_int_equal(err.count, PARLEY_DIAGNOSTICS_MAX);
    assert_int_equal(err.dropped, 7);
    parley_error_clear(&err);
}

static void test_append_moves(void **state)
{
    (void)state;
    parley_error a = {0}, b = {0};
    parley_error_add(&b, PARLEY_ELIMIT, "w", "too big");
    parley_error_append(&a, &b);
    assert_int_equal(a.status, PARLEY_ELIMIT);
    assert_int_equal(a.count, 1);
    assert_int_equal(b.count, 0);
    parley_error_clear(&a);
}

static void test_exit_codes(void **state)
{
    (void)state;
    assert_int_equal(parley_status_exit_code(PARLEY_OK), 0);
    assert_int_equal(parley_status_exit_code(PARLEY_EINPUT), 2);
    assert_int_equal(parley_status_exit_code(PARLEY_ELIMIT), 2);
    assert_int_equal(parley_status_exit_code(PARLEY_ENOMEM), 1);
    assert_int_equal(parley_status_exit_code((parley_status)999), 1);
    assert_string_equal(parley_strerror(PARLEY_EINPUT), "invalid input");
    assert_string_equal(parley_strerror((parley_status)-1), "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accumulates_in_order),
        cmocka_unit_test(test_cap_counts_dropped),
        cmocka_unit_test(test_append_moves),
        cmocka_unit_test(test_exit_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
