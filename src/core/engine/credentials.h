/* What sign-in, accounts and the second factor share (issue 24): the
 * password hash and rules, ending a person's sessions, and mail about a
 * person's own account. Below auth.c, account.c and twofactor.c, which
 * call it and not each other's internals. */
#ifndef ENTENTE_CORE_ENGINE_CREDENTIALS_H
#define ENTENTE_CORE_ENGINE_CREDENTIALS_H
#include "core/engine/ctx.h"
/* argon2id parameters (OWASP: 19 MiB, 2 passes). */
#define PW_OPS 2ull
#define PW_MEM (19ull * 1024 * 1024)
/* The password rules (lib/pwpolicy.h) for person (may be NULL): E_INVALID
 * naming field. */
int core__password_policy(const char *pw, const json_t *person, const char *field, struct err *e);
/* End person's sessions but the one whose hash is keep (NULL: all); how
 * many, -1 on failure. */
int core__sessions_end(struct ctx *x, int64_t person, const char *keep, struct err *e);
/* Queue a mail about the person's own account: never held for a digest. */
int core__account_mail(struct ctx *x, const json_t *person, const char *event, const char *subject, const char *body,
		       const char *link, struct err *e);
/* A person's state: "disabled", "active" (has a password), "invited" (a
 * link not yet used), "no account". */
const char *core__person_state(struct ctx *x, const json_t *person);

#endif
