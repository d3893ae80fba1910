/* The lifecycle of a Work Register (DSP4003 sections 2 to 4) as one table.
 * Each row: in which states an action is possible, who may take it, its
 * guard, what it does, where it leads, and the rule it enforces. The door
 * interprets it for every action whose grants say G_PROCESS; ballot
 * outcomes are rows too (who: G_SYSTEM). `entente process show` prints it,
 * `entente process check` explores it. Read it beside the seed. */
#ifndef ENTENTE_CORE_DOMAIN_LIFECYCLE_H
#define ENTENTE_CORE_DOMAIN_LIFECYCLE_H

#include "core/engine/ctx.h"
#include "core/engine/process.h"

/* R4: every committee with work in the milestones passed this round's
 * ballot; *missing (may be NULL): those that did not yet. */
int core__committees_passed(struct ctx *x, json_t **missing);
/* R31: no milestone progressed within the stagnation period. */
int core__wr_stagnant(struct ctx *x, json_t *wr);
/* A note with a step (most steps take one). */
extern const struct jfield core__note_spec[];
/* The Work Register's process table, and its process. */
extern const struct step core__steps[];
/* The listener of "ballot.closed" for a WR's own ballots. */
int core__lifecycle_ballot_closed(struct ctx *x, json_t *event, struct err *e);
extern const struct process core__wr_process;

#endif
