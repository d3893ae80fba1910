/* The engine's face to its callers: a call and its reply (the door,
 * engine/door.h), the kept pages of cacheable replies (cache.c), the audit
 * chain's pure checks (chain.c), passwords and credentials (auth.c), and
 * what an action and a process step are, as the route table, the CLI and
 * the OpenAPI document see them. It names no record of the domain. */
#ifndef ENTENTE_CORE_ENGINE_ENGINE_H
#define ENTENTE_CORE_ENGINE_ENGINE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/err.h"
#include "lib/jspec.h"
#include "store/store.h"

struct engine; /* a domain on the engine: its actions and processes (core/engine/ctx.h) */

struct call {
	int64_t person_id;       /* the authenticated person, 0 when none */
	int system;              /* the local operator (CLI): every grant, audited as "system" */
	const char *action;      /* "wr.update" */
	json_t *params;          /* path and query parameters, string values; may be NULL */
	json_t *body;            /* request body or NULL (borrowed) */
	const char *if_match;    /* ETag presented, or NULL */
	const char *session_hash;/* hash of the session the call came with, or NULL
				  * (set by the door from session) */
	/* credentials presented, looked up by the door in the call's own
	 * snapshot; person_id is then their person */
	const char *token;       /* a bearer token, or NULL */
	const char *session;     /* a session id (the cookie), or NULL */
	const char *csrf;        /* the CSRF token presented, or NULL */
	int state_change;        /* a session-authenticated call must then carry
				  * its session's CSRF token */
	int64_t now;             /* seconds since the epoch, from the caller */
	/* issue 24: the local operator acting for person_id (the CLI's
	 * --as): their name ("root"); the audit names the operator as the
	 * actor and the person as "on behalf of". NULL: the person acts */
	const char *operator_name;
	/* where a sign-in comes from, for the person's list of sessions
	 * (may be NULL): the client's address, its User-Agent */
	const char *client_addr, *user_agent;
	/* issue 25: a person's write answered once under this key (the
	 * Idempotency-Key header; idempotency.h); NULL: none */
	const char *idempotency_key;
	const char *render;      /* how the caller serializes the reply ("json",
				  * "html", "atom http://host"): part of the key
				  * of a cached page; NULL for none */
};

#define CORE_CACHE_KEY 400
struct core_page;                /* a serialized reply kept by core (cache.c) */

struct reply {
	int status;              /* 200, 201 or 204 */
	json_t *body;            /* owned by the reply */
	int64_t revision;        /* > 0: the ETag of a Work Register */
	char location[128];      /* Location of a created resource, "" when none */
	char session_id[65];     /* a new session id to set as a cookie, "" when none */
	int end_session;         /* the session was ended: clear the cookie */
	/* a reading action flagged A_CACHE: either the page kept from an
	 * earlier call at the same generation (then no body), or, when
	 * cache_key is set, the caller may keep what it makes of the body
	 * with core_cache_put */
	const struct core_page *page;
	int64_t generation;
	char today[11];
	char cache_key[CORE_CACHE_KEY];
	int64_t person_id;       /* whom the call's credentials named (0: nobody), set even when it fails */
};

#define REPLY_INIT { .status = 0 }

void reply_release(struct reply *r);


/* A kept page's bytes and media type (valid while the reply holds it). */
const char *core_page_bytes(const struct core_page *p, size_t *len, const char **type);
void core_page_release(const struct core_page *p);
/* Keep the bytes made of a cacheable reply (no-op for another reply). */
void core_cache_put(const struct reply *r, const char *type, const char *bytes, size_t len);
/* Pages served from the cache, pages built, bytes held. */
void core_cache_stats(unsigned long *hits, unsigned long *misses, size_t *bytes);
void core_cache_clear(void);

/* The hash of an audit event in the chain (chain.c): BLAKE2b-256 of its
 * canonical form with prev, the hash before it, as 64 hex characters. */
void core_chain_hash(const json_t *event, const char *prev, char out[65]);

/* A checkpoint's signed text, and whether its Ed25519 signature holds
 * under its public key ({last_id, count, head, at, public_key,
 * signature}, hex). */
void core_checkpoint_text(long long last_id, long long count, const char *head, const char *at, char *out, size_t n);
int core_checkpoint_valid(const json_t *checkpoint);

/* The audit chain recomputed over an export's events (sorted by id) and
 * its checkpoints checked: problems into found, the head into head
 * (chain.c). With public_key, a checkpoint must be signed by that key or
 * by a successor the chain records for it (issue 24: a rotation event,
 * vouched for by a checkpoint of the retiring key that covers it), down
 * the line; without, by its own key. */
void core_chain_check(const json_t *events, const json_t *checkpoints, const char *public_key, json_t *found, char head[65]);
/* Issue 27: the chain walked an event at a time, in id order, in constant
 * memory: from the start (after_id 0, head NULL), or after the event a
 * checkpoint that holds signed (its last_id and head). Problems into
 * found (borrowed): the first divergence only. */
struct core_chain_walk {
	json_t *found;
	char prev[65];  /* the head so far */
	int64_t want;   /* the id the next event must have */
	int broken;     /* a divergence was named */
	int64_t events; /* events walked */
};
void core_chain_walk_start(struct core_chain_walk *w, json_t *found, int64_t after_id, const char *head);
void core_chain_walk_event(struct core_chain_walk *w, const json_t *event);
/* Checkpoint c against the event it signed as the chain now has it (NULL:
 * none): 1 when its signature holds under its own key and the event's
 * hash is its head; else 0, the problem into found (when not NULL). */
int core_checkpoint_check(const json_t *c, const json_t *event, json_t *found);
/* Issue 24: the action of a signing key's rotation, in the chain (target
 * "signing_key", after {event, old_public_key, new_public_key}). */
#define CORE_KEY_ROTATION "signing_key.rotate"
/* The hash before the first event. */
#define CORE_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Format a revision as an ETag ("\"rev-3\"") into out (32 bytes). */
void core_etag(int64_t revision, char out[32]);

/* The action table, for documentation and the route table's checks. */
#define A_WRITE  1u   /* changes state: write transaction and audit */
#define A_PUBLIC 2u   /* needs no authentication */
#define A_REVISION 4u /* changes a Work Register: If-Match checked when sent (R13) */
#define A_IFMATCH 8u  /* If-Match is required (R13): updates and deletions */
#define A_CREATE 16u  /* creates a record: answers 201 (issue 22) */
#define A_CACHE  32u  /* a read whose reply depends on the data, the date and
		       * the parameters, not on who asks: kept (cache.c) */
#define A_VARY_ORG 64u     /* kept, and depends on the asker's organization
			    * (host staff see all, a partner its own) */
#define A_VARY_PERSON 128u /* kept, and depends on who asks */
#define A_BODY 256u   /* takes a body whose required fields must be present */
#define A_EMPTY 512u  /* answers 204, with no body (issue 22) */
#define A_ENROL 1024u /* open to a session that must first enrol a second factor (issue 24) */
#define A_UNAUDITED 2048u /* a write of bookkeeping that is no act of anyone (a session's
			   * last use): committed without an audit event */
#define A_NEW (A_CREATE | A_BODY)


struct action_info {
	const char *name;
	unsigned flags;
	const char *who;         /* human text of the grants */
	const char *rule;        /* rule cited, or NULL */
	const char *summary;
	const struct jfield *body;
	const char *query;       /* allowed query parameters, comma-separated */
};

/* The status of an action's success, the one the OpenAPI document lists;
 * the door refuses to send another (issue 22). */
int core_action_status(const struct action_info *ai);

/* Password hashing (argon2id). out receives a string to store (caller frees). */
int core_password_hash(const char *password, char **out, struct err *e);

/* Authenticate a request. kind: "session" (cookie) or "token" (Bearer).
 * On success *person_id is set and, for a session, csrf (65 bytes) receives
 * the session's CSRF token. E_UNAUTHENTICATED otherwise. */
int core_authenticate(struct store *st, const char *kind, const char *secret, int64_t now,
		      int64_t *person_id, char csrf[65], struct err *e);

/* Every step a person takes in a process: the route table and the CLI
 * derive theirs from these (POST <collection>/{id}/<step with dashes>,
 * "<command> <step with dashes>"). */
struct core_step_ref {
	const char *action;      /* "wr.assign_owner" */
	const char *collection;  /* "/api/v1/work-registers" */
	const char *command;     /* "wr" */
	const char *summary;
	char step[48];           /* "assign-owner": the route's last segment, the CLI's second word */
};
/* How long a session lasts, in seconds. */
#define CORE_SESSION_SECONDS (12 * 3600)

#endif
