/* Bodies (Board, Executive Committee, committees, working groups, the
 * Alliance Partner Working Group), their ballot rules and memberships. */
#ifndef ENTENTE_CORE_DOMAIN_BODY_H
#define ENTENTE_CORE_DOMAIN_BODY_H

#include "core/engine/ctx.h"

extern const struct jfield core__body_spec[];
extern const struct jfield core__member_spec[];
int core__body_list(struct ctx *x, struct err *e);
int core__body_get(struct ctx *x, struct err *e);
int core__body_create(struct ctx *x, struct err *e);
int core__body_update(struct ctx *x, struct err *e);
/* Scope of a body's members: the body exists (404). */
int core__scope_body(struct ctx *x, struct err *e);
int core__member_list(struct ctx *x, struct err *e);
int core__member_add(struct ctx *x, struct err *e);
int core__member_update(struct ctx *x, struct err *e);

#endif
