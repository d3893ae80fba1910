/* Accounts: passwords (argon2id), sessions and API tokens. Only hashes of
 * session ids and tokens are stored. */
#ifndef ENTENTE_CORE_ENGINE_AUTH_H
#define ENTENTE_CORE_ENGINE_AUTH_H

#include "core/engine/ctx.h"

extern const struct jfield core__session_spec[];
extern const struct jfield core__token_spec[];
extern const struct jfield core__password_spec[];
/* Handlers: sessions, the person's own page, tokens, passwords. */
int core__session_create(struct ctx *x, struct err *e);
int core__session_delete(struct ctx *x, struct err *e);
/* core_authenticate in the call's snapshot, with its kept rows. */
int core__authenticate(struct ctx *x, const char *kind, const char *secret, int64_t *person_id, char csrf[65],
		       int *enrol_only, struct err *e);
int core__me_get(struct ctx *x, struct err *e);
int core__token_create(struct ctx *x, struct err *e);
int core__token_revoke(struct ctx *x, struct err *e);
int core__token_list(struct ctx *x, struct err *e);
int core__password_set(struct ctx *x, struct err *e);

#endif
