/* The bearer tokens bezala-sim has issued, held only in memory. */
#ifndef BEZALA_SIM_TOKENS_H
#define BEZALA_SIM_TOKENS_H

#include <stddef.h>

/* Characters in a token, from [A-Za-z0-9_-]. */
#define SIM_TOKENS_LEN 32

struct sim_tokens;

/* A new empty store in *out; 0 or -1 when memory runs out. */
int sim_tokens_new(struct sim_tokens **out);

/* Wipes every token, frees, sets *tokens to NULL. NULL is ok. */
void sim_tokens_free(struct sim_tokens **tokens);

/* Makes a fresh random token for user_id into out (SIM_TOKENS_LEN + 1
 * bytes). Returns 0, or -1 when randomness or memory fails. */
int sim_tokens_issue(struct sim_tokens *tokens, long long user_id, char *out);

/* The user id the token belongs to, or 0 when it is unknown or revoked.
 * Compares every stored token in constant time. */
long long sim_tokens_lookup(const struct sim_tokens *tokens, const char *token);

/* Calls each(token, ctx) for every live token of user_id. */
void sim_tokens_each(const struct sim_tokens *tokens, long long user_id,
                     void (*each)(const char *token, void *ctx), void *ctx);

/* Revokes every token of user_id. */
void sim_tokens_revoke_user(struct sim_tokens *tokens, long long user_id);

#endif
