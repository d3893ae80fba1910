/* Who acts: the person of a call with their organization, offices and
 * seats, the grants judged on them and on the scope, and the scope
 * functions of people and organizations. */
#ifndef ENTENTE_CORE_ENGINE_ACTOR_H
#define ENTENTE_CORE_ENGINE_ACTOR_H

#include "core/engine/ctx.h"

/* The actor of the call (x->actor) from its person: organization,
 * offices, seats held today; kept per generation (cache.c). */
int core__actor_load(struct ctx *x, struct err *e);
/* Seats: 1 when the actor holds an active seat in body_id (role NULL: any
 * but observer), or in any body of kind. */
int core__seat(struct ctx *x, int64_t body_id, const char *role);
int core__seat_kind(struct ctx *x, const char *kind);
/* 1 when person_id holds an active seat in body_id; a voting one (chair or
 * voting member, not an observer). */
int core__active_member(struct ctx *x, int64_t body_id, int64_t person_id);
int core__voting_member(struct ctx *x, int64_t body_id, int64_t person_id);
/* The id of the single body of a kind (board, executive), 0 if none. */
int64_t core__body_of_kind(struct ctx *x, const char *kind);
/* The host organization's id (E_CONFLICT when not set up). */
int core__host_org(struct ctx *x, int64_t *id, struct err *e);
/* Partner representatives see their own organization only. */
int core__visible_org(struct ctx *x, int64_t org_id);
/* Whether the actor holds one of grants for the scope (the domain's own,
 * G_DOMAIN and above, through struct engine's grant). */
int core__grants_allow(struct ctx *x, unsigned grants);

/* Scope functions: none; an organization, a person by the path's id. */
int core__scope_none(struct ctx *x, struct err *e);
int core__scope_org(struct ctx *x, struct err *e);
int core__scope_person(struct ctx *x, struct err *e);

#endif
