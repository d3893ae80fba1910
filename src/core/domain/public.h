/* The public work-register site (R21): only what was approved. Drafts,
 * ballots, comments and contacts' e-mail addresses never leave here. */
#ifndef ENTENTE_CORE_DOMAIN_PUBLIC_H
#define ENTENTE_CORE_DOMAIN_PUBLIC_H

#include "core/engine/ctx.h"

/* public.c: whether a WR is on the public site (R21: established, ever). */
int core__wr_public(const json_t *wr);
int core__public_list(struct ctx *x, struct err *e);
int core__public_get(struct ctx *x, struct err *e);
/* Issue 27: the feed holds the latest entries only. */
#define CORE_FEED_ENTRIES 50
/* and /registers shows its public WRs a page at a time */
#define CORE_LIST_ENTRIES 100
int core__public_feed(struct ctx *x, struct err *e);

#endif
