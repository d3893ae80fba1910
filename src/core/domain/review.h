/* Time-driven parts of the process: the scheduler's tick (ballots that
 * reach their deadline close, review reminders at the configured lead times,
 * stagnation notices), the list of reviews due, and milestone progress on an
 * established WR (R26, R27, R31). Now is always the caller's. */
#ifndef ENTENTE_CORE_DOMAIN_REVIEW_H
#define ENTENTE_CORE_DOMAIN_REVIEW_H

#include "core/engine/ctx.h"

extern const struct jfield core__progress_spec[];
/* The scheduler's pass (scheduler.run): ballots past their deadline
 * close, reminders (R27), stagnation (R31), digests. */
int core__scheduler_run(struct ctx *x, struct err *e);
/* Handlers: the reviews due; a milestone's progress. */
int core__review_list(struct ctx *x, struct err *e);
int core__milestone_progress(struct ctx *x, struct err *e);

#endif
