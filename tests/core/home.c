/* Private home directories for the core tests (see home.h). */
#include "tests/core/home.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

int home_make(const char *tag, char *home, size_t home_size, char *data_dir,
              size_t data_size, char *key_dir, size_t key_size)
{
    snprintf(home, home_size, "/tmp/bezala-%s-XXXXXX", tag);
    if (!mkdtemp(home))
        return -1;
    snprintf(data_dir, data_size, "%s/data", home);
    snprintf(key_dir, key_size, "%s/config", home);
    return 0;
}

void home_remove(const char *home)
{
    nftw(home, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
