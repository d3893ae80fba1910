/* Change requests (DSP4003 5.3, R42-R45): a partner asks for a change to a
 * DMTF standard through the feedback portal, with the Change Request
 * template; the request is routed to the body that owns the standard (the
 * register, registry.c), whose chair reviews it, writes to the submitter
 * and decides; a chair may schedule joint meetings (meeting.c). Its states
 * are a process table of the one engine (process.c); nothing changes after
 * closing except by reopening with a reason. */
#ifndef ENTENTE_CORE_DOMAIN_CR_H
#define ENTENTE_CORE_DOMAIN_CR_H

#include "core/engine/ctx.h"
#include "core/engine/process.h"

extern const struct jfield core__cr_spec[];
extern const struct jfield core__cr_message_spec[];
extern const struct jfield core__cr_discuss_spec[];
extern const struct process core__cr_process;
int core__scope_cr(struct ctx *x, struct err *e);
int core__cr_list(struct ctx *x, struct err *e);
int core__cr_create(struct ctx *x, struct err *e);
int core__cr_message(struct ctx *x, struct err *e);

#endif
