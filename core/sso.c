/* SSO providers and the sign-in bodies, built in locked memory so that a
 * password or a provider's access token never sits in ordinary heap. */
#include "core/sso.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/endpoints.h"

struct provider {
    const char *name;
    const char *label;
    const char *path;
    const char *token_field;
};

static const struct provider providers[] = {
    [CORE_SSO_GOOGLE] = {"google", "Google", CORE_EP_SSO_GOOGLE,
                         CORE_F_SSO_GOOGLE},
    [CORE_SSO_MICROSOFT] = {"microsoft", "Microsoft", CORE_EP_SSO_MICROSOFT,
                            CORE_F_SSO_MICROSOFT},
    [CORE_SSO_OKTA] = {"okta", "Okta", CORE_EP_SSO_OKTA, CORE_F_SSO_OKTA},
};

#define PROVIDER_COUNT (sizeof(providers) / sizeof(providers[0]))

int core_sso_provider_parse(const char *name)
{
    size_t i;

    for (i = 0; name && i < PROVIDER_COUNT; i++) {
        if (strcasecmp(name, providers[i].name) == 0)
            return (int)i;
    }
    return -1;
}

static const struct provider *provider_of(enum core_sso_provider p)
{
    if ((unsigned)p >= PROVIDER_COUNT)
        return NULL;
    return &providers[p];
}

const char *core_sso_provider_label(enum core_sso_provider provider)
{
    const struct provider *p = provider_of(provider);

    return p ? p->label : "";
}

/* The JSON-escaped length of src; writes it to dst when not NULL. */
static size_t escaped(char *dst, const char *src)
{
    const unsigned char *p;
    size_t n = 0;

    for (p = (const unsigned char *)src; *p; p++) {
        if (*p == '"' || *p == '\\') {
            if (dst) {
                dst[n] = '\\';
                dst[n + 1] = (char)*p;
            }
            n += 2;
        } else if (*p < 0x20) {
            if (dst)
                snprintf(dst + n, 7, "\\u%04x", *p);
            n += 6;
        } else {
            if (dst)
                dst[n] = (char)*p;
            n++;
        }
    }
    return n;
}

static size_t body_size(const struct core_sso_field *fields, size_t n)
{
    size_t size = 3;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!fields[i].name || !fields[i].value)
            return 0;
        size +=
            escaped(NULL, fields[i].name) + escaped(NULL, fields[i].value) + 6;
    }
    return size;
}

char *core_sso_body(const struct core_sso_field *fields, size_t n, size_t *len)
{
    size_t size = fields && len ? body_size(fields, n) : 0;
    char *body = size ? sodium_malloc(size) : NULL;
    size_t used = 0;
    size_t i;

    if (!body)
        return NULL;
    body[used++] = '{';
    for (i = 0; i < n; i++) {
        if (i > 0)
            body[used++] = ',';
        body[used++] = '"';
        used += escaped(body + used, fields[i].name);
        memcpy(body + used, "\":\"", 3);
        used += 3;
        used += escaped(body + used, fields[i].value);
        body[used++] = '"';
    }
    body[used++] = '}';
    body[used] = '\0';
    *len = used;
    return body;
}

void core_sso_body_free(char **body, size_t len)
{
    if (!body || !*body)
        return;
    sodium_memzero(*body, len);
    sodium_free(*body);
    *body = NULL;
}

static bool filled(const char *text)
{
    return text && text[strspn(text, " \t\r\n")] != '\0';
}

/* The first field the provider needs that is missing, or NULL. */
static const char *missing_field(const struct core_sso *sso, const char *email)
{
    if (!filled(email))
        return CORE_F_EMAIL;
    if (!sso->access_token || base_secret_len(sso->access_token) == 0)
        return "access token";
    if (sso->provider != CORE_SSO_OKTA)
        return NULL;
    if (!filled(sso->okta_url))
        return "Okta URL";
    if (!filled(sso->company_name))
        return "company name";
    return NULL;
}

enum base_status core_sso_request(const struct core_sso *sso, const char *email,
                                  const char **path, char **body, size_t *len,
                                  char *err, size_t err_size)
{
    const struct provider *p = sso ? provider_of(sso->provider) : NULL;
    struct core_sso_field fields[4];
    const char *missing;
    char *text;
    size_t n = 2;

    if (!p || !path || !body || !len) {
        snprintf(err, err ? err_size : 0, "unknown SSO provider");
        return BASE_E_INVALID;
    }
    missing = missing_field(sso, email);
    if (missing) {
        snprintf(err, err ? err_size : 0, "%s sign-in needs the %s", p->label,
                 missing);
        return BASE_E_INVALID;
    }
    fields[0] = (struct core_sso_field){CORE_F_EMAIL, email};
    fields[1] = (struct core_sso_field){p->token_field,
                                        base_secret_str(sso->access_token)};
    if (sso->provider == CORE_SSO_OKTA) {
        fields[2] =
            (struct core_sso_field){CORE_F_SSO_COMPANY, sso->company_name};
        fields[3] = (struct core_sso_field){CORE_F_SSO_OKTA_URL, sso->okta_url};
        n = 4;
    }
    text = core_sso_body(fields, n, len);
    if (!text)
        return BASE_E_NOMEM;
    *body = text;
    *path = p->path;
    return BASE_OK;
}
