/* Private to src/core/: the context of one call and the helpers the action
 * handlers share. */
#ifndef ENTENTE_CORE_INTERNAL_H
#define ENTENTE_CORE_INTERNAL_H

#include "core/core.h"

/* Grants: who may take an action (see actions.c). */
#define G_ANY      0x01u  /* any authenticated person */
#define G_ADMIN    0x02u  /* the administrator officer role */
#define G_VP       0x04u  /* the VP of Alliances (R8) */
#define G_STAFF    0x08u  /* a person of the host organization */
#define G_PARTNER  0x10u  /* a representative of the partner in scope */
#define G_OWNER    0x20u  /* the owner of the WR in scope */
#define G_PROPOSER 0x40u  /* the person who proposed the WR in scope */
#define G_SELF     0x80u  /* the person in scope is the actor */

struct actor {
	int64_t person_id;       /* 0: the system */
	int64_t org_id;
	int system, staff, admin, vp;
	char label[200];         /* "Name <email>" or "system" */
};

/* What the grants of an action are judged against. */
struct scope {
	int64_t org_id;          /* the partner organization concerned, 0 none */
	int64_t owner_id, proposer_id, person_id;
	json_t *wr;              /* the Work Register row, when in scope (owned) */
};

struct ctx {
	struct store *st;
	const struct call *call;
	const struct action_info *info;
	struct actor actor;
	struct scope scope;
	struct reply *reply;
	char now_iso[21];
	char today[11];
	/* the audit event of a write, filled by the handler */
	const char *target_type;
	int64_t target_id;
	json_t *before, *after;  /* owned */
};

struct action {
	struct action_info info;
	unsigned grants;
	int (*scope)(struct ctx *, struct err *);
	int (*run)(struct ctx *, struct err *);
};

extern const struct action core__actions[];

/* Parameters. */
const char *core__param(struct ctx *x, const char *key);
/* A path id: E_NOT_FOUND when absent or not a positive integer. */
int core__path_id(struct ctx *x, const char *key, int64_t *out, struct err *e);
/* A filter id: E_INVALID naming the key when malformed; 0 when absent. */
int core__query_id(struct ctx *x, const char *key, int64_t *out, struct err *e);

/* A page of rows of table matching where (consumed), as
 * {"items": [...], "next_cursor": "..."|null}; each row passed through
 * present (may be NULL) which returns a new reference. */
int core__list(struct ctx *x, const char *table, json_t *where,
	       json_t *(*present)(struct ctx *, json_t *row), struct err *e);

/* Record the audit event of this call (references stolen). */
void core__audit(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after);
/* Set the reply (reference stolen). */
void core__reply(struct ctx *x, int status, json_t *body);

/* Copy the keys of body present in spec into a row with timestamps. */
json_t *core__row_from(struct ctx *x, const json_t *body, int creating);

/* A query filter that must be one of values, added to where. */
int core__query_enum(struct ctx *x, json_t *where, const char *key, const char *const *values, struct err *e);
/* Insert row (borrowed), reply 201 with it (through present), audit it. */
int core__create_row(struct ctx *x, const char *table, const char *type, json_t *row,
		     json_t *(*present)(struct ctx *, json_t *), const char *location_fmt, struct err *e);
/* Apply changes (borrowed) to row id, reply 200, audit before and after. */
int core__update_row(struct ctx *x, const char *table, const char *type, int64_t id, json_t *changes,
		     json_t *(*present)(struct ctx *, json_t *), struct err *e);
int core__get_row(struct ctx *x, const char *table, int64_t id, json_t *(*present)(struct ctx *, json_t *), struct err *e);
/* end_date, when given, comes after start_date. */
int core__dates_check(struct ctx *x, const json_t *row, struct err *e);

/* Lookups. */
int core__actor_load(struct ctx *x, struct err *e);
int core__is_active(struct ctx *x, const json_t *row);    /* start/end dates vs today */
int core__active_member(struct ctx *x, int64_t body_id, int64_t person_id);
int core__alliance_committee(struct ctx *x, int64_t *id, struct err *e);
int core__host_org(struct ctx *x, int64_t *id, struct err *e);
int core__exists(struct ctx *x, const char *table, int64_t id, const char *field, struct err *e);

/* Scope functions. */
int core__scope_none(struct ctx *x, struct err *e);
int core__scope_org(struct ctx *x, struct err *e);
int core__scope_person(struct ctx *x, struct err *e);
int core__scope_wr(struct ctx *x, struct err *e);
int core__scope_wr_create(struct ctx *x, struct err *e);

/* Handlers, one file per resource. */
int core__session_create(struct ctx *x, struct err *e);
int core__session_delete(struct ctx *x, struct err *e);
int core__me_get(struct ctx *x, struct err *e);
int core__token_create(struct ctx *x, struct err *e);
int core__token_revoke(struct ctx *x, struct err *e);
int core__token_list(struct ctx *x, struct err *e);
int core__password_set(struct ctx *x, struct err *e);

int core__org_list(struct ctx *x, struct err *e);
int core__org_get(struct ctx *x, struct err *e);
int core__org_create(struct ctx *x, struct err *e);
int core__org_update(struct ctx *x, struct err *e);

int core__person_list(struct ctx *x, struct err *e);
int core__person_get(struct ctx *x, struct err *e);
int core__person_create(struct ctx *x, struct err *e);
int core__person_update(struct ctx *x, struct err *e);
int core__officer_list(struct ctx *x, struct err *e);
int core__officer_add(struct ctx *x, struct err *e);
int core__officer_update(struct ctx *x, struct err *e);

int core__body_list(struct ctx *x, struct err *e);
int core__body_get(struct ctx *x, struct err *e);
int core__body_create(struct ctx *x, struct err *e);
int core__body_update(struct ctx *x, struct err *e);
int core__member_list(struct ctx *x, struct err *e);
int core__member_add(struct ctx *x, struct err *e);
int core__member_update(struct ctx *x, struct err *e);

int core__wr_list(struct ctx *x, struct err *e);
int core__wr_get(struct ctx *x, struct err *e);
int core__wr_create(struct ctx *x, struct err *e);
int core__wr_update(struct ctx *x, struct err *e);
int core__section_list(struct ctx *x, struct err *e);
int core__section_add(struct ctx *x, struct err *e);
int core__section_update(struct ctx *x, struct err *e);
int core__section_delete(struct ctx *x, struct err *e);
int core__standard_replace(struct ctx *x, struct err *e);
int core__version_list(struct ctx *x, struct err *e);
int core__version_get(struct ctx *x, struct err *e);
int core__history_list(struct ctx *x, struct err *e);
int core__standard_type_list(struct ctx *x, struct err *e);
int core__audit_list(struct ctx *x, struct err *e);

/* Field specifications of the bodies (shared with the OpenAPI document). */
extern const struct jfield core__org_spec[], core__person_spec[], core__body_spec[],
	core__member_spec[], core__officer_spec[], core__wr_spec[], core__milestone_spec[],
	core__contact_spec[], core__standard_spec[], core__session_spec[], core__replace_spec[],
	core__token_spec[], core__password_spec[];

#endif
