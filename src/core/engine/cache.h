/* Serialized replies of reading actions, kept while nothing has changed.
 *
 * A page (a WR document's JSON, a public page's HTML) is valid for the
 * database state it was built from. Every change made through the door
 * appends one audit event, and a trigger gives the database a new random
 * stamp with it (migration m4_stamps); the stamp read in the call's own
 * snapshot names that state, in this process or any other (the CLI writing
 * while the server runs): the generation. A second stamp changes only with
 * who people are (people, organizations, roles, seats, credentials), so a
 * person's actor and credentials stay kept while votes pour in. Random,
 * not counted: a change rolled back (a savepoint in a batch, a batch whose
 * commit failed) never leaves its stamp to a later, different state, so
 * what a call of a batch keeps is safe. A page also depends on the date (an
 * owner whose Alliance Committee seat ended yesterday is flagged today,
 * R1), so the date is part of its validity.
 *
 * Authorization is never cached: the door checks the actor's grants on
 * every call and only then asks for a page, so a page is shared by all
 * who may read it (actions whose reply does not depend on who asks). */
#ifndef ENTENTE_CORE_ENGINE_CACHE_H
#define ENTENTE_CORE_ENGINE_CACHE_H

#include "core/engine/ctx.h"

/* A row kept by key at the call's generation and date (a new reference),
 * or NULL; keep one (shared: never change a kept row). */
json_t *core__row_kept(struct ctx *x, const char *key, int64_t stamp);
void core__row_keep(struct ctx *x, const char *key, int64_t stamp, json_t *row);
/* An actor kept at the call's generation and date (1, x->actor filled);
 * keep the one just loaded. */
int core__actor_kept(struct ctx *x);
void core__actor_keep(struct ctx *x);
/* A cacheable read (A_CACHE): 1 and the page in the reply, 0 (a miss,
 * the reply marked), -1. */
int core__cache_lookup(struct ctx *x, struct err *e);

#endif
