/* An in-memory token store: random URL-safe tokens mapped to user ids. */
#include "tests/sim/tokens.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

struct token_entry {
    char text[SIM_TOKENS_LEN + 1];
    long long user_id;
};

struct sim_tokens {
    struct token_entry *entries;
    size_t count;
    size_t capacity;
};

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "abcdefghijklmnopqrstuvwxyz0123456789-_";

int sim_tokens_new(struct sim_tokens **out)
{
    struct sim_tokens *tokens = calloc(1, sizeof(*tokens));

    if (tokens == NULL) {
        return -1;
    }
    *out = tokens;
    return 0;
}

void sim_tokens_free(struct sim_tokens **tokens)
{
    if (tokens == NULL || *tokens == NULL) {
        return;
    }
    if ((*tokens)->entries != NULL) {
        explicit_bzero((*tokens)->entries,
                       (*tokens)->capacity * sizeof(struct token_entry));
    }
    free((*tokens)->entries);
    free(*tokens);
    *tokens = NULL;
}

static int grow(struct sim_tokens *tokens)
{
    size_t capacity = tokens->capacity ? tokens->capacity * 2 : 16;
    struct token_entry *entries = calloc(capacity, sizeof(*entries));

    if (entries == NULL) {
        return -1;
    }
    if (tokens->entries != NULL) {
        memcpy(entries, tokens->entries, tokens->count * sizeof(*entries));
        explicit_bzero(tokens->entries, tokens->capacity * sizeof(*entries));
        free(tokens->entries);
    }
    tokens->entries = entries;
    tokens->capacity = capacity;
    return 0;
}

int sim_tokens_issue(struct sim_tokens *tokens, long long user_id, char *out)
{
    unsigned char raw[SIM_TOKENS_LEN];
    struct token_entry *entry;
    int result = -1;

    if (tokens->count == tokens->capacity && grow(tokens) != 0) {
        goto out;
    }
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
        goto out;
    }
    entry = &tokens->entries[tokens->count];
    /* 64 symbols divide 256 evenly, so masking keeps them uniform. */
    for (size_t i = 0; i < SIM_TOKENS_LEN; i++) {
        entry->text[i] = alphabet[raw[i] & 63];
    }
    entry->text[SIM_TOKENS_LEN] = '\0';
    entry->user_id = user_id;
    tokens->count++;
    memcpy(out, entry->text, SIM_TOKENS_LEN + 1);
    result = 0;
out:
    explicit_bzero(raw, sizeof(raw));
    return result;
}

static int same(const char *a, const char *b)
{
    unsigned char diff = 0;

    for (size_t i = 0; i < SIM_TOKENS_LEN; i++) {
        diff |= (unsigned char)(a[i] ^ b[i]);
    }
    return diff == 0;
}

long long sim_tokens_lookup(const struct sim_tokens *tokens, const char *token)
{
    long long found = 0;

    if (token == NULL || strlen(token) != SIM_TOKENS_LEN) {
        return 0;
    }
    for (size_t i = 0; i < tokens->count; i++) {
        if (same(tokens->entries[i].text, token)) {
            found = tokens->entries[i].user_id;
        }
    }
    return found;
}

void sim_tokens_each(const struct sim_tokens *tokens, long long user_id,
                     void (*each)(const char *token, void *ctx), void *ctx)
{
    for (size_t i = 0; i < tokens->count; i++) {
        if (tokens->entries[i].user_id == user_id) {
            each(tokens->entries[i].text, ctx);
        }
    }
}

void sim_tokens_revoke_user(struct sim_tokens *tokens, long long user_id)
{
    size_t kept = 0;

    if (tokens->entries == NULL) {
        return;
    }
    for (size_t i = 0; i < tokens->count; i++) {
        if (tokens->entries[i].user_id != user_id) {
            tokens->entries[kept++] = tokens->entries[i];
        }
    }
    explicit_bzero(&tokens->entries[kept],
                   (tokens->count - kept) * sizeof(struct token_entry));
    tokens->count = kept;
}
