/* The action table: every read and change entente knows, who may take it
 * and the rule it cites. This is the one place permissions live; the HTTP
 * route table and the CLI only name actions. Read it beside RULES.md.
 *
 * Grants: ANY any signed-in person; ADMIN administrator; VP VP of Alliances;
 * STAFF a person of the host organization; PARTNER a representative of the
 * partner the record belongs to; OWNER the WR owner; PROPOSER who proposed
 * the WR; SELF the person in question. The local operator (CLI) holds all.
 * Reads of a partner's records by another partner answer 404 (scope). */
#ifndef ENTENTE_CORE_DOMAIN_ACTIONS_H
#define ENTENTE_CORE_DOMAIN_ACTIONS_H

#include "core/engine/ctx.h"

/* The action table (core_call runs it through engine_call). */
extern const struct action core__actions[];

#endif
