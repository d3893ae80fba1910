/* The tamper-evident record (issue 11): every audit event carries the
 * BLAKE2b hash of its canonical form, which includes the hash of the event
 * before it, so the whole history is one chain, written in the same
 * transaction as the change. Edit an event, delete one or slip one in, and
 * every hash from there on differs from what the chain says; only the
 * chain's head and length, signed and published (checkpoints), let an
 * outsider tell that the end was cut off or rewritten whole.
 *
 * Canonical form: the JSON array [id, at, actor_id, actor, action,
 * target_type, target_id, before, after, prev_hash], compact, keys sorted,
 * ASCII only; hash: BLAKE2b-256 of it, in hex. The first event's prev_hash
 * is 64 zeros. */
#ifndef ENTENTE_CORE_ENGINE_CHAIN_H
#define ENTENTE_CORE_ENGINE_CHAIN_H

#include "core/engine/ctx.h"

/* Append an audit event row (taken: borrowed) to the chain: its hash and prev. */
int core__chain_append(struct ctx *x, json_t *row, struct err *e);
/* Handlers: the last event's id; checkpoints; the export of the record. */
int core__audit_tip(struct ctx *x, struct err *e);
/* The chain's last event, the columns named (a list of one, empty when
 * the chain is). */
int core__audit_last(struct ctx *x, const char *columns, json_t **out, struct err *e);
extern const struct jfield core__rollback_spec[];
int core__rollback_accept(struct ctx *x, struct err *e);
extern const struct jfield core__checkpoint_spec[];
int core__checkpoint_record(struct ctx *x, struct err *e);
int core__checkpoint_list(struct ctx *x, struct err *e);
int core__checkpoint_last(struct ctx *x, struct err *e);
/* Issue 24: a rotation of the signing key recorded (CORE_KEY_ROTATION). */
extern const struct jfield core__key_rotate_spec[];
int core__key_rotate(struct ctx *x, struct err *e);
int core__audit_export(struct ctx *x, struct err *e);
/* An audit event of this call, appended now (door.c at the commit). */
int core__audit_append(struct ctx *x, const char *actor, int64_t actor_id, const char *type, int64_t id, json_t *before, json_t *after,
			struct err *e);
/* An event of its own, at once, for what the system does in a call's wake
 * (x->acting: a record's new state after a ballot closed), so the record's
 * events say every state it had (references stolen). */
int core__audit_system(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after, struct err *e);

#endif
