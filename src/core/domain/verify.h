/* The record checked whole (issue 11): the audit chain recomputed by the
 * engine (engine/chain.c), then each WR's state and each vote against what
 * their events say, and every ballot's receipts; the chain's head with
 * the count of published versions, for a checkpoint. */
#ifndef ENTENTE_CORE_DOMAIN_VERIFY_H
#define ENTENTE_CORE_DOMAIN_VERIFY_H

#include "core/engine/ctx.h"

/* Handlers: audit.verify, audit.head. */
int core__audit_verify(struct ctx *x, struct err *e);
int core__audit_head(struct ctx *x, struct err *e);

#endif
