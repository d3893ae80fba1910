/* A Work Register in scope, and who a WR names (the grants only the
 * domain knows). */
#ifndef ENTENTE_CORE_DOMAIN_SCOPE_H
#define ENTENTE_CORE_DOMAIN_SCOPE_H

#include "core/engine/ctx.h"

/* The grants of the domain (judged by core__domain_grant). */
#define G_ORIG_CHAIR (G_DOMAIN << 0) /* the chair of the WR's Originating Committee (R16, R23) */
#define G_VOTER      (G_DOMAIN << 1) /* an eligible voter of the ballot in scope */

/* Scope functions: the WR of the path's id (404 when another partner's);
 * a WR proposed for the body's partner (R10); a WR and the body the
 * request names (R18). */
int core__scope_wr(struct ctx *x, struct err *e);
int core__scope_wr_create(struct ctx *x, struct err *e);
int core__scope_wr_body(struct ctx *x, struct err *e);
/* The Alliance Committee's id (E_CONFLICT when not set up). */
int core__alliance_committee(struct ctx *x, int64_t *id, struct err *e);
/* struct engine's grant: G_ORIG_CHAIR, G_VOTER for the actor. */
int core__domain_grant(struct ctx *x, unsigned g);
/* 0, or E_FORBIDDEN with rule when the system (no person) would take a
 * partner's own act. */
int core__partner_act(struct ctx *x, const char *rule, struct err *e);
/* The WR in scope (borrowed), NULL when the record in scope is not one. */
json_t *core__scope_wr_row(struct ctx *x);

#endif
