/* Single sign-on: the providers whose access token Bezala exchanges for
 * its own token, and the locked JSON bodies that sign-in requests send. */
#ifndef BEZALA_CORE_SSO_H
#define BEZALA_CORE_SSO_H

#include <stddef.h>

#include "base/secret.h"
#include "base/status.h"

enum core_sso_provider { CORE_SSO_GOOGLE, CORE_SSO_MICROSOFT, CORE_SSO_OKTA };

/* What an SSO sign-in sends; every pointer is borrowed for the call. */
struct core_sso {
    enum core_sso_provider provider;
    const char *email;
    const struct base_secret *access_token; /* used once, never stored */
    const char *okta_url;                   /* Okta only */
    const char *company_name;               /* Okta only */
};

/* "google" / "microsoft" / "okta" (any case) -> provider; -1 otherwise,
 * NULL included. */
int core_sso_provider_parse(const char *name);

/* "Google", "Microsoft" or "Okta" for messages; "" for an unknown value.
 * Static storage. */
const char *core_sso_provider_label(enum core_sso_provider provider);

/* One member of a sign-in body: a string value, JSON-escaped on output. */
struct core_sso_field {
    const char *name;
    const char *value;
};

/* The object {"name":"value",...} of n fields in new locked memory (NULL
 * when it runs out or a field is NULL); its length in *len. The caller
 * wipes and frees it with core_sso_body_free. */
char *core_sso_body(const struct core_sso_field *fields, size_t n, size_t *len);

/* Wipes len bytes of *body, frees it, sets *body to NULL. Accepts NULL. */
void core_sso_body_free(char **body, size_t len);

/* The exchange path of sso->provider in *path (static storage) and its
 * body for the canonical email in *body (core_sso_body; the caller frees
 * it). BASE_E_INVALID with the reason in err (size err_size) when the
 * provider is unknown or a field the provider needs is missing or empty:
 * nothing is set then. */
enum base_status core_sso_request(const struct core_sso *sso, const char *email,
                                  const char **path, char **body, size_t *len,
                                  char *err, size_t err_size)
    __attribute__((warn_unused_result));

#endif
