/* R20: when an alliance is established, the hand-offs the seed names: the
 * mails to the requests, alliance and press addresses, and the tasks of
 * the people who act on them. */
#ifndef ENTENTE_CORE_DOMAIN_HANDOFF_H
#define ENTENTE_CORE_DOMAIN_HANDOFF_H

#include "core/engine/ctx.h"

/* R9, R25: the hand-offs of an establishment: mails and tasks. */
/* The VP of Alliances' person id (a new reference), or NULL. */
json_t *core__first_vp(struct ctx *x);
/* R25: a significant milestone completed: the VP's task, Marketing told. */
int core__milestone_announcement(struct ctx *x, json_t *milestone, struct err *e);
int core__handoffs_create(struct ctx *x, struct err *e);

#endif
