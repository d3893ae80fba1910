/* The context of one call, as the door (door.c) makes it and every handler
 * of the engine and of the domain reads and fills it; the engine a domain
 * gives the door (struct engine); the grants the engine judges.
 *
 * Ownership, here and in every header of core: a json_t * a function
 * returns is a new reference, the caller's; a json_t * argument is
 * borrowed unless its declaration says taken (stolen, consumed). */
#ifndef ENTENTE_CORE_ENGINE_CTX_H
#define ENTENTE_CORE_ENGINE_CTX_H

#include "core/engine/engine.h"

/* Grants: who may take an action (the domain's action table names them). */
#define G_ANY      0x01u  /* any authenticated person */
#define G_ADMIN    0x02u  /* the administrator officer role */
#define G_VP       0x04u  /* the VP of Alliances (R8) */
#define G_STAFF    0x08u  /* a person of the host organization */
#define G_PARTNER  0x10u  /* a representative of the partner organization in scope */
#define G_OWNER    0x20u  /* the owner of the record in scope */
#define G_PROPOSER 0x40u  /* the person who proposed the record in scope */
#define G_SELF     0x80u  /* the person in scope is the actor */
#define G_EXEC     0x100u /* a member of the Executive Committee (R5, R31) */
#define G_BOARD    0x200u /* a member of the Board (R19) */
#define G_PROCESS  0x1000u /* decided by the process table (process.c) */
#define G_BODY_MEMBER 0x2000u /* a member of the body in scope */
#define G_BODY_CHAIR 0x4000u /* the chair of the body in scope (R18, R44) */
#define G_SYSTEM   0x8000u /* the local operator or the scheduler only */
#define G_DOMAIN   0x10000u /* this bit and above: the domain's own grants (struct engine: grant) */

struct step;
struct process;

struct actor {
	int64_t person_id;       /* 0: the system */
	int64_t org_id;
	int system, staff, admin, vp;
	char label[200];         /* "Name", "operator root on behalf of Name" or "system" */
	json_t *seats;           /* active memberships [{body_id, role, kind}] (owned) */
};

/* What the grants of an action are judged against. */
struct scope {
	int64_t org_id;          /* the partner organization concerned, 0 none */
	int64_t owner_id, proposer_id, person_id;
	int64_t body_id;         /* the body concerned (a ballot's, a comment's) */
	json_t *record;          /* the record of a process in scope (owned): its state
				  * decides the steps, its revision If-Match (R13) */
	json_t *item;            /* a record within it the action is about (owned) */
	const struct step *step; /* the process row of a lifecycle action */
	const struct process *process; /* the record's process; NULL: the engine's first */
};

struct ctx {
	const struct engine *eng;
	struct store *st;
	const struct call *call;
	const struct action_info *info;
	struct actor actor;
	struct scope scope;
	struct reply *reply;
	char now_iso[21];
	char today[11];
	/* the stamps of the state the call's snapshot sees (migration
	 * m4_stamps): kept pages and rows are valid for one (cache.c) */
	int64_t generation;      /* any change made through the door */
	int64_t people_stamp;    /* people, organizations, roles, seats, credentials */
	/* who a record names when the system acts in a call's wake (a state
	 * changed because a vote closed a ballot): "system (after ballot 7
	 * passed)"; NULL: the actor (issue 11) */
	const char *acting;
	/* the audit event of a write, filled by the handler */
	const char *target_type;
	int64_t target_id;
	json_t *before, *after;  /* owned */
	/* issue 27: the write found nothing to do and changed nothing (a
	 * scheduler tick with nothing due): no audit event is written */
	int nothing_done;
};

struct action {
	struct action_info info;
	unsigned grants;
	int (*scope)(struct ctx *, struct err *);
	int (*run)(struct ctx *, struct err *);
};

/* One domain event reaching another through the engine (core__emit). */
struct listener {
	const char *event;       /* "ballot.closed" */
	int (*fn)(struct ctx *, json_t *what, struct err *);
};

/* What a domain gives the engine: its actions, its processes, and what
 * only it knows. The door (door.c) runs calls on it. */
struct engine {
	const struct action *actions;            /* ends with a row whose name is NULL */
	const struct process *const *processes;  /* NULL-terminated; the first is the default */
	const struct listener *listeners;        /* ends with a NULL event */
	/* a grant of G_DOMAIN and above holds for the actor and scope */
	int (*grant)(struct ctx *, unsigned grants);
	/* the people a notification rule's role names for a record (may be NULL), into ids */
	void (*people_of)(struct ctx *, const char *role, json_t *record, json_t *extra, json_t *ids);
	/* a message's text and links for its record (may be NULL), into row */
	void (*notice)(struct ctx *, json_t *record, const char *subject, json_t *extra, json_t *row);
	/* what a deliverer needs of a queued message's record, into item */
	void (*describe)(struct ctx *, const json_t *message, json_t *item);
	/* a setting's value checked, and what its change sets in motion, before it is stored */
	int (*setting_check)(struct ctx *, const char *key, const char *value, struct err *);
};

/* Parameters. */
const char *core__param(struct ctx *x, const char *key);
/* A path id: E_NOT_FOUND when absent or not a positive integer. */
int core__path_id(struct ctx *x, const char *key, int64_t *out, struct err *e);
/* A positive decimal id into *out (0), else -1. */
int core__parse_id(const char *s, int64_t *out);
/* A filter id: E_INVALID naming the key when malformed; 0 when absent. */
int core__query_id(struct ctx *x, const char *key, int64_t *out, struct err *e);
/* An id as a JSON object's key ("12"), for sets and maps of ids. */
void core__id_key(const json_t *id, char key[24]);

/* Set the reply (reference stolen). */
void core__reply(struct ctx *x, int status, json_t *body);
/* The label records carry for who did it: x->acting, else the actor's. */
const char *core__acting_label(const struct ctx *x);
/* Record the audit event of this call (references stolen); the door
 * appends it to the chain at the commit. */
void core__audit(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after);
/* Tell the domain's listeners of event (what: borrowed); the first
 * failure stops it. */
int core__emit(struct ctx *x, const char *event, json_t *what, struct err *e);

#endif
