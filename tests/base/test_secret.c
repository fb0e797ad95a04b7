/* The process hardening every bezala process does first: no core file,
 * and (outside the sanitizer build, whose leak check needs ptrace) not
 * dumpable, so another process of the same user cannot read its memory
 * through /proc or ptrace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "base/secret.h"

static void test_secret_harden_process_no_core_not_dumpable(void **state)
{
    struct rlimit core;

    (void)state;
    assert_int_equal(getrlimit(RLIMIT_CORE, &core), 0);
    base_secret_harden_process();
    assert_int_equal(getrlimit(RLIMIT_CORE, &core), 0);
    assert_int_equal(core.rlim_cur, 0);
    assert_int_equal(core.rlim_max, 0);
#ifdef __SANITIZE_ADDRESS__
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
#else
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
#endif
    /* Twice is harmless. */
    base_secret_harden_process();
    assert_int_equal(getrlimit(RLIMIT_CORE, &core), 0);
    assert_int_equal(core.rlim_cur, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret_harden_process_no_core_not_dumpable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
