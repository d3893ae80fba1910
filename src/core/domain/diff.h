/* Differences between two versions of a Work Register (issue 11): by
 * section (a word-level difference of each text, R50's versions being
 * whole snapshots) and by record of Table 1, the milestones and the
 * contacts (added, removed, changed fields). */
#ifndef ENTENTE_CORE_DOMAIN_DIFF_H
#define ENTENTE_CORE_DOMAIN_DIFF_H

#include "core/engine/ctx.h"

/* diff.c: two versions compared (issue 11) */
int core__wr_diff(struct ctx *x, struct err *e);
int core__public_diff(struct ctx *x, struct err *e);

#endif
