/* libFuzzer harness for the session decoders (home, company, sign-in and
 * error bodies): any bytes decode or fail cleanly, never crash or leak.
 *
 * Input: byte 0 picks the decoder (low 2 bits) and, for error bodies, the
 * size of the text buffer (the other bits); the rest is the body. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "base/secret.h"
#include "core/decode.h"
#include "core/model.h"

static void fuzz_home(const char *body, size_t len)
{
    struct core_home home;
    size_t i;

    memset(&home, 0, sizeof(home));
    if (core_decode_home(body, len, &home) == BASE_OK) {
        for (i = 0; i < home.membership_count; i++) {
            char roles[64];

            core_model_roles_join(&home.memberships[i].roles, roles,
                                  sizeof(roles));
            CHECK(strlen(roles) < sizeof(roles));
            (void)core_model_home_membership(&home,
                                             home.memberships[i].company_id);
        }
    }
    core_model_home_clear(&home);
}

static void fuzz_company(const char *body, size_t len)
{
    struct core_company company;

    memset(&company, 0, sizeof(company));
    (void)core_decode_company(body, len, &company);
    core_model_company_clear(&company);
}

static void fuzz_sign_in(const char *body, size_t len)
{
    struct base_secret *token = NULL;
    int64_t user_id = 0;

    if (core_decode_sign_in(body, len, &token, &user_id) == BASE_OK) {
        CHECK(token != NULL);
        CHECK(user_id > 0);
        CHECK(base_secret_len(token) > 0);
    } else {
        CHECK(token == NULL);
        CHECK(user_id == 0);
    }
    base_secret_free(&token);
}

/* The error text is one printable line that fits the buffer. */
static void fuzz_error(const char *body, size_t len, size_t size)
{
    char *buf = malloc(size);
    size_t i;
    size_t n;

    CHECK(buf != NULL);
    memset(buf, 'x', size);
    core_decode_error(body, len, buf, size);
    n = strnlen(buf, size);
    CHECK(n < size);
    for (i = 0; i < n; i++)
        CHECK((unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f);
    free(buf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    CHECK(base_secret_init() == BASE_OK);
    core_decode_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body;
    size_t len;

    if (size < 1)
        return 0;
    body = (const char *)data + 1;
    len = size - 1;
    switch (data[0] & 3) {
    case 0:
        fuzz_home(body, len);
        break;
    case 1:
        fuzz_company(body, len);
        break;
    case 2:
        fuzz_sign_in(body, len);
        break;
    default:
        fuzz_error(body, len, (size_t)(data[0] >> 2) * 4 + 1);
        break;
    }
    return 0;
}
