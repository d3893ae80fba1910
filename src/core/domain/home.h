/* A person's home: what waits on them across the process (the WRs they
 * act on, the ballots they vote in, their assigned tasks), one page. */
#ifndef ENTENTE_CORE_DOMAIN_HOME_H
#define ENTENTE_CORE_DOMAIN_HOME_H

#include "core/engine/ctx.h"

int core__me_tasks(struct ctx *x, struct err *e);
/* Issue 25: the VP's portfolio: WRs by state, reviews due and overdue,
 * the stagnant, open change requests by age. */
int core__portfolio(struct ctx *x, struct err *e);

#endif
