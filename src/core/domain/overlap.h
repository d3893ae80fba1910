/* R41: the information-management domain of each Table 1 row lets the VP
 * of Alliances see, across all partners, which domains are covered by which
 * partners' rows, and where their work overlaps (a domain more than one
 * partner works in), to avoid redundant efforts. Rows of WRs that ended
 * (withdrawn, removed, dissolved) and replaced rows do not count. */
#ifndef ENTENTE_CORE_DOMAIN_OVERLAP_H
#define ENTENTE_CORE_DOMAIN_OVERLAP_H

#include "core/engine/ctx.h"

int core__overlap_list(struct ctx *x, struct err *e); /* R41 (overlap.c) */

#endif
