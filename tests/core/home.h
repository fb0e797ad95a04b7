/* A private home directory for one core test: a fresh folder under /tmp
 * with the data and key folders a session is given, and its removal with
 * everything written in it. */
#ifndef BEZALA_TESTS_CORE_HOME_H
#define BEZALA_TESTS_CORE_HOME_H

#include <stddef.h>

/* Makes /tmp/bezala-<tag>-XXXXXX into home and names its "data" and
 * "config" folders in data_dir and key_dir (not created: the session
 * makes them). 0, or -1 when the folder could not be made. */
int home_make(const char *tag, char *home, size_t home_size, char *data_dir,
              size_t data_size, char *key_dir, size_t key_size);

/* Removes home and everything below it. */
void home_remove(const char *home);

#endif
