/* Names, messages and exit codes of the shared status type. */
#include "base/status.h"

#include <stddef.h>

#define AS_NAME(name, code, msg) #name,
#define AS_MESSAGE(name, code, msg) msg,
#define AS_CODE(name, code, msg) code,

static const char *const names[] = {BASE_STATUS_LIST(AS_NAME)};
static const char *const messages[] = {BASE_STATUS_LIST(AS_MESSAGE)};
static const int codes[] = {BASE_STATUS_LIST(AS_CODE)};

static int in_range(enum base_status status)
{
    return (int)status >= 0 && status < BASE_STATUS_COUNT;
}

const char *base_status_name(enum base_status status)
{
    return in_range(status) ? names[status] : "BASE_E_UNKNOWN";
}

const char *base_status_message(enum base_status status)
{
    return in_range(status) ? messages[status] : "unknown status";
}

int base_status_exit_code(enum base_status status)
{
    return in_range(status) ? codes[status] : 1;
}
