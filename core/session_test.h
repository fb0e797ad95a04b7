/* Test hooks of the session library; only tests include this header. */
#ifndef BEZALA_CORE_SESSION_TEST_H
#define BEZALA_CORE_SESSION_TEST_H

#include <stddef.h>

/* Moves the clock that the sign-in wait is measured on forward by ms for
 * every session of the process, so that tests pass the wait without
 * sleeping. */
void core_session_test_advance_clock(long ms);

/* Makes every list of every session ask for rows rows per page (0: each
 * view's own size), so that tests reach a list's later pages with little
 * data. */
void core_session_test_per_page(size_t rows);

#endif
