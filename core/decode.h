/* Defensive decoders for the server's JSON answers: bounded input,
 * duplicate keys refused, optional fields optional, unknown fields
 * ignored, wrong types a BASE_E_DECODE and never a crash. Data strings
 * are kept as sent (control characters included); only the error text
 * of core_decode_error is made printable. */
#ifndef BEZALA_CORE_DECODE_H
#define BEZALA_CORE_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "base/secret.h"
#include "base/status.h"
#include "core/model.h"

/* Makes jansson wipe every block it frees (it copies tokens and
 * passwords). Call once before decoding; idempotent. */
void core_decode_init(void);

/* The sign-in answer {token, user_id, receipts_email}. The token goes
 * straight into a new secret (*token, the caller owns it) and must be a
 * valid b64token; user_id is required and positive. BASE_E_DECODE
 * otherwise; nothing is set on failure. */
enum base_status core_decode_sign_in(const char *body, size_t len,
                                     struct base_secret **token,
                                     int64_t *user_id)
    __attribute__((warn_unused_result));

/* The error text of an error body ({"error": string or object, "errors":
 * {...}, "message"}) as one printable line in buf; "" when the body has
 * none or does not decode. */
void core_decode_error(const char *body, size_t len, char *buf, size_t size);

/* GET /api/home into *out (cleared first; the caller clears it with
 * core_model_home_clear). */
enum base_status core_decode_home(const char *body, size_t len,
                                  struct core_home *out)
    __attribute__((warn_unused_result));

/* GET /api/company into *out (the caller clears it). */
enum base_status core_decode_company(const char *body, size_t len,
                                     struct core_company *out)
    __attribute__((warn_unused_result));

#endif
