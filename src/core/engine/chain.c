/* The tamper-evident record (issue 11): every audit event carries the
 * BLAKE2b hash of its canonical form, which includes the hash of the event
 * before it, so the whole history is one chain, written in the same
 * transaction as the change. Edit an event, delete one or slip one in, and
 * every hash from there on differs from what the chain says; only the
 * chain's head and length, signed and published (checkpoints), let an
 * outsider tell that the end was cut off or rewritten whole.
 *
 * Canonical form: the JSON array [id, at, actor_id, actor, action,
 * target_type, target_id, before, after, prev_hash], followed by
 * on_behalf_id when the event has one (issue 24), compact, keys sorted,
 * ASCII only; hash: BLAKE2b-256 of it, in hex. The first event's prev_hash
 * is 64 zeros. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/engine/chain.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"
#include "lib/jspec.h"
#include "lib/util.h"

#define GENESIS CORE_GENESIS

static json_t *or_null(json_t *v) { return v ? v : json_null(); }

void core_chain_hash(const json_t *ev, const char *prev, char out[65])
{
	json_t *canon = json_pack("[O O O O O O O O O s]", or_null(json_object_get(ev, "id")), or_null(json_object_get(ev, "at")),
				  or_null(json_object_get(ev, "actor_id")), or_null(json_object_get(ev, "actor")),
				  or_null(json_object_get(ev, "action")), or_null(json_object_get(ev, "target_type")),
				  or_null(json_object_get(ev, "target_id")), or_null(json_object_get(ev, "before")),
				  or_null(json_object_get(ev, "after")), prev);
	/* issue 24: an event an operator took on a person's behalf names
	 * them last (events without one hash as they always did) */
	json_t *behalf = json_object_get(ev, "on_behalf_id");
	if (behalf && !json_is_null(behalf))
		json_array_append(canon, behalf);
	char *text = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)text, strlen(text), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
	free(text);
	json_decref(canon);
}

int core__audit_last(struct ctx *x, const char *columns, json_t **out, struct err *e)
{
	struct store_query q = { .order = "id", .desc = 1, .limit = 1, .columns = columns };
	return store_find(x->st, "audit", &q, out, e);
}

/* Append row (completed here: id, prev_hash, hash) to the chain. */
int core__chain_append(struct ctx *x, json_t *row, struct err *e)
{
	json_t *last = NULL;
	char hash[65];
	const char *prev = GENESIS;
	int64_t id = 1;
	if (core__audit_last(x, "id,hash", &last, e))
		return -1;
	if (json_array_size(last)) {
		json_t *l = json_array_get(last, 0);
		id = json_integer_value(json_object_get(l, "id")) + 1;
		if (json_is_string(json_object_get(l, "hash")))
			prev = json_string_value(json_object_get(l, "hash"));
	}
	json_object_set_new(row, "id", json_integer(id));
	/* what the store gives back: before and after as parsed JSON */
	core_chain_hash(row, prev, hash);
	json_object_set_new(row, "prev_hash", json_string(prev));
	json_object_set_new(row, "hash", json_string(hash));
	json_decref(last);
	return store_insert(x->st, "audit", row, NULL, e);
}

static json_t *problem(const char *kind, const json_t *ev, int64_t id, const char *detail)
{
	json_t *p = json_pack("{ss sI ss}", "kind", kind, "event", (json_int_t)id, "detail", detail);
	if (ev) {
		json_object_set(p, "target_type", json_object_get(ev, "target_type"));
		json_object_set(p, "target_id", json_object_get(ev, "target_id"));
		json_object_set(p, "action", json_object_get(ev, "action"));
	}
	return p;
}

/* A string field, "" when absent: for comparing what may be missing. */
static const char *sv(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The event with this id among events (sorted by id), or NULL. */
static json_t *event_at(const json_t *events, int64_t id)
{
	size_t lo = 0, hi = json_array_size(events);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		json_t *ev = json_array_get(events, mid);
		int64_t at = json_integer_value(json_object_get(ev, "id"));
		if (at == id)
			return ev;
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Whether checkpoint c holds for the chain as it is: CP_OK, or its
 * signature does not hold, or the chain differs at the event it signed
 * (*ev: that event, NULL when it is gone). */
enum { CP_OK, CP_SIGNATURE, CP_DIFFERS };

static int holds_for(const json_t *c, const json_t *ev)
{
	if (!core_checkpoint_valid(c))
		return CP_SIGNATURE;
	return ev && json_integer_value(json_object_get(ev, "id")) == json_integer_value(json_object_get(c, "last_id")) &&
			       !strcmp(sv(ev, "hash"), sv(c, "head"))
		       ? CP_OK
		       : CP_DIFFERS;
}

static int checkpoint_holds(const json_t *c, const json_t *events, json_t **ev)
{
	*ev = event_at(events, json_integer_value(json_object_get(c, "last_id")));
	return holds_for(c, *ev);
}

/* Issue 24: whether a checkpoint signed by key holds and covers event id:
 * the retiring key's own word for the rotation that event records. */
static int vouched(const json_t *checkpoints, const json_t *events, const char *key, int64_t id)
{
	json_t *ev;
	for (size_t i = 0; i < json_array_size(checkpoints); i++) {
		json_t *c = json_array_get(checkpoints, i);
		if (!strcmp(sv(c, "public_key"), key) && json_integer_value(json_object_get(c, "last_id")) >= id &&
		    checkpoint_holds(c, events, &ev) == CP_OK)
			return 1;
	}
	return 0;
}

/* Issue 24: the keys a checkpoint may be signed with when the checker
 * holds public_key ({key: true}): that key, and down the line each key
 * the chain records as a successor of one of them (a rotation event
 * naming it new_public_key), provided a checkpoint signed by the retiring
 * key holds and covers that event. entente keys rotate records the event
 * before the old key's last checkpoint for this: a rotation slipped into
 * the chain after the last checkpoint, by someone without the key, names
 * no successor. */
static json_t *key_lineage(const json_t *events, const json_t *checkpoints, const char *public_key)
{
	json_t *keys = json_pack("{sb}", public_key, 1);
	for (size_t i = 0; i < json_array_size(events); i++) {
		json_t *ev = json_array_get(events, i), *after = json_object_get(ev, "after");
		const char *old = sv(after, "old_public_key"), *next = sv(after, "new_public_key");
		if (strcmp(sv(ev, "action"), CORE_KEY_ROTATION) || !json_object_get(keys, old) || strlen(next) != 64)
			continue;
		if (vouched(checkpoints, events, old, json_integer_value(json_object_get(ev, "id"))))
			json_object_set_new(keys, next, json_true());
	}
	return keys;
}

/* The problem with checkpoint c, when there is one (holds: what
 * checkpoint_holds said; unkeyed: its key is not one the checker takes,
 * keyed telling whether a key was given at all). */
static void checkpoint_problem(const json_t *c, int holds, const json_t *ev, int unkeyed, int keyed, json_t *found)
{
	int64_t lid = json_integer_value(json_object_get(c, "last_id"));
	char detail[240];
	if (holds == CP_SIGNATURE || unkeyed) {
		snprintf(detail, sizeof(detail), "checkpoint %lld: its signature does not hold%s", (long long)json_integer_value(json_object_get(c, "id")),
			 keyed ? " under the public key given (nor a successor the chain records for it)" : "");
		json_array_append_new(found, problem("checkpoint", NULL, lid, detail));
	} else if (holds == CP_DIFFERS) {
		snprintf(detail, sizeof(detail), "checkpoint %lld signed event %lld as %.16s..., the chain now differs there",
			 (long long)json_integer_value(json_object_get(c, "id")), (long long)lid, sv(c, "head"));
		json_array_append_new(found, problem("checkpoint", ev, lid, detail));
	}
}

/* Each checkpoint against the chain: its signature (under public_key or
 * a successor the chain records for it, when given; else its own key)
 * and the hash of the event it signed. */
static void checkpoints_check(const json_t *events, const json_t *checkpoints, const char *public_key, json_t *found)
{
	json_t *keys = public_key ? key_lineage(events, checkpoints, public_key) : NULL;
	for (size_t i = 0; i < json_array_size(checkpoints); i++) {
		json_t *c = json_array_get(checkpoints, i), *ev = NULL;
		int holds = checkpoint_holds(c, events, &ev);
		checkpoint_problem(c, holds, ev, keys && !json_object_get(keys, sv(c, "public_key")), keys != NULL, found);
	}
	json_decref(keys);
}

int core_checkpoint_check(const json_t *c, const json_t *event, json_t *found)
{
	int holds = holds_for(c, event);
	if (found)
		checkpoint_problem(c, holds, event, 0, 0, found);
	return holds == CP_OK;
}

void core_chain_walk_start(struct core_chain_walk *w, json_t *found, int64_t after_id, const char *head)
{
	memset(w, 0, sizeof(*w));
	w->found = found;
	w->want = after_id + 1;
	snprintf(w->prev, sizeof(w->prev), "%s", head ? head : GENESIS);
}

/* One event, the next in id order: the first divergence is named (a gap,
 * a link that does not follow, a hash that differs); the walk goes on
 * from the event's own hash, so what follows is not named again. */
void core_chain_walk_event(struct core_chain_walk *w, const json_t *ev)
{
	int64_t id = json_integer_value(json_object_get(ev, "id"));
	const char *h = json_string_value(json_object_get(ev, "hash")), *p = json_string_value(json_object_get(ev, "prev_hash"));
	char detail[200], hash[65];
	w->events++;
	if (!h) { /* written before the chain existed (migration m13) */
		w->want = id + 1;
		return;
	}
	if (id != w->want && !w->broken) {
		snprintf(detail, sizeof(detail), "event %lld follows event %lld: %lld event(s) are missing", (long long)id, (long long)w->want - 1,
			 (long long)(id - w->want));
		json_array_append_new(w->found, problem(id > w->want ? "deleted" : "inserted", ev, id > w->want ? w->want : id, detail));
		w->broken = 1;
	}
	core_chain_hash(ev, p ? p : "", hash);
	/* an export's withheld event (issue 24): its content is not there to
	 * hash; it holds its place by its hash and the next event's link to it */
	if (json_is_true(json_object_get(ev, "withheld")))
		snprintf(hash, sizeof(hash), "%s", h);
	if (!w->broken && (!p || strcmp(p, w->prev))) {
		snprintf(detail, sizeof(detail), "event %lld does not follow the event before it (a deletion or an insertion)", (long long)id);
		json_array_append_new(w->found, problem("inserted", ev, id, detail));
		w->broken = 1;
	} else if (!w->broken && strcmp(hash, h)) {
		snprintf(detail, sizeof(detail), "event %lld is not what was written: its hash differs", (long long)id);
		json_array_append_new(w->found, problem("edited", ev, id, detail));
		w->broken = 1;
	}
	snprintf(w->prev, sizeof(w->prev), "%s", h);
	w->want = id + 1;
}

/* The chain recomputed over events (sorted by id) and each checkpoint
 * checked against it: its signature (under public_key when given, or a
 * key the chain records as its successor; else its own) and the hash of
 * the event it signed. Problems go to found (the first divergence of the
 * chain, every failing checkpoint); the head into head. Pure: the check
 * of an export (the server walks its own chain a page at a time). */
void core_chain_check(const json_t *events, const json_t *checkpoints, const char *public_key, json_t *found, char head[65])
{
	struct core_chain_walk w;
	core_chain_walk_start(&w, found, 0, NULL);
	for (size_t i = 0; i < json_array_size(events); i++)
		core_chain_walk_event(&w, json_array_get(events, i));
	snprintf(head, 65, "%s", w.prev);
	/* the signed checkpoints: each must still hold for the chain as it is
	 * (a cut or rewritten tail, however well re-hashed, does not) */
	checkpoints_check(events, checkpoints, public_key, found);
}

/* The last event's id alone (one indexed read): whether anything happened
 * since, for the signer's poll. */
int core__audit_tip(struct ctx *x, struct err *e)
{
	json_t *last = NULL, *at = NULL;
	if (core__audit_last(x, "id,hash", &last, e))
		return -1;
	json_t *tip = json_array_get(last, 0);
	json_t *out = json_pack("{sI sO}", "last_id", (json_int_t)json_integer_value(json_object_get(tip, "id")), "hash",
				json_object_get(tip, "hash") ? json_object_get(tip, "hash") : json_null());
	json_decref(last);
	/* ?at=N: also event N's hash, null when there is none (issue 23: the
	 * signer's witness of its last checkpoint, held against the chain) */
	const char *want = json_string_value(json_object_get(x->call->params, "at"));
	if (want) {
		char *end;
		long long n = strtoll(want, &end, 10);
		if (*end || n < 0) {
			json_decref(out);
			return err_set(e, E_INVALID, "at", "expected an event's id");
		}
		json_t *where = json_pack("{sI}", "id", (json_int_t)n);
		struct store_query one = { .where = where, .limit = 1, .columns = "id,hash" };
		int bad = store_find(x->st, "audit", &one, &at, e);
		json_decref(where);
		if (bad) {
			json_decref(out);
			return -1;
		}
		json_t *h = json_object_get(json_array_get(at, 0), "hash");
		json_object_set(out, "hash_at", h ? h : json_null());
		json_decref(at);
	}
	core__reply(x, 200, out);
	return 0;
}

/* Issue 23: the operator accepted that the database stops before the
 * signer's last checkpoint (serve --accept-rollback): said in the chain
 * itself, with what was lost. */
const struct jfield core__rollback_spec[] = {
	{ .name = "checkpoint_last_id", .type = JT_INT, .flags = JF_REQUIRED, .min = 0, .max = 1LL << 53 },
	{ .name = "checkpoint_head", .type = JT_STR, .flags = JF_REQUIRED, .min = 64, .max = 64 },
	{ .name = "checkpoint_at", .type = JT_STR, .flags = JF_REQUIRED, .max = 20 },
	{ .name = "last_id", .type = JT_INT, .flags = JF_REQUIRED, .min = 0, .max = 1LL << 53 },
	{ 0 }
};

int core__rollback_accept(struct ctx *x, struct err *e)
{
	json_t *b = x->call->body;
	core__reply(x, 200, json_pack("{sb}", "recorded", 1));
	core__audit(x, "audit", 0,
		    json_pack("{sO sO sO}", "last_id", json_object_get(b, "checkpoint_last_id"), "head", json_object_get(b, "checkpoint_head"),
			      "checkpoint_at", json_object_get(b, "checkpoint_at")),
		    json_pack("{sO ss}", "last_id", json_object_get(b, "last_id"), "accepted", "rollback: the events after last_id are lost"));
	(void)e;
	return 0;
}
/* ---- signed checkpoints ---- */

const struct jfield core__checkpoint_spec[] = {
	{ .name = "last_id", .type = JT_INT, .flags = JF_REQUIRED, .min = 0, .max = 1LL << 53 },
	{ .name = "count", .type = JT_INT, .flags = JF_REQUIRED, .min = 0, .max = 1LL << 53 },
	{ .name = "head", .type = JT_STR, .flags = JF_REQUIRED, .min = 64, .max = 64 },
	{ .name = "at", .type = JT_STR, .flags = JF_REQUIRED, .max = 20 },
	{ .name = "reason", .type = JT_STR, .flags = JF_REQUIRED, .max = 100 },
	{ .name = "published_versions", .type = JT_INT, .flags = JF_REQUIRED, .min = 0, .max = 1LL << 53 },
	{ .name = "public_key", .type = JT_STR, .flags = JF_REQUIRED, .min = 64, .max = 64 },
	{ .name = "signature", .type = JT_STR, .flags = JF_REQUIRED, .min = 128, .max = 128 },
	{ .name = "versions_through", .type = JT_INT, .min = 0, .max = 1LL << 53 },
	{ 0 }
};

void core_checkpoint_text(long long last_id, long long count, const char *head, const char *at, char *out, size_t n)
{
	snprintf(out, n, "entente audit checkpoint v1\nlast_id %lld\ncount %lld\nhead %s\nat %s\n", last_id, count, head, at);
}

int core_checkpoint_valid(const json_t *c)
{
	char text[300];
	unsigned char pk[32], sig[64];
	const char *pkh = json_string_value(json_object_get(c, "public_key")), *sh = json_string_value(json_object_get(c, "signature"));
	if (!pkh || !sh || sodium_hex2bin(pk, sizeof(pk), pkh, strlen(pkh), NULL, NULL, NULL) ||
	    sodium_hex2bin(sig, sizeof(sig), sh, strlen(sh), NULL, NULL, NULL))
		return 0;
	core_checkpoint_text((long long)json_integer_value(json_object_get(c, "last_id")),
			     (long long)json_integer_value(json_object_get(c, "count")), json_string_value(json_object_get(c, "head")),
			     json_string_value(json_object_get(c, "at")), text, sizeof(text));
	return crypto_sign_verify_detached(sig, (const unsigned char *)text, strlen(text), pk) == 0;
}

/* A checkpoint the signer made: kept only when its signature holds. */
int core__checkpoint_record(struct ctx *x, struct err *e)
{
	json_t *b = x->call->body, *row;
	int64_t id;
	if (!core_checkpoint_valid(b))
		return err_set(e, E_INVALID, "signature", "the signature does not hold for this checkpoint");
	row = json_deep_copy(b);
	int bad = store_insert(x->st, "checkpoints", row, &id, e);
	json_decref(row);
	if (bad)
		return -1;
	core__reply(x, 201, json_pack("{sI}", "id", (json_int_t)id));
	core__audit(x, "checkpoint", id, NULL, json_pack("{sO sO}", "last_id", json_object_get(b, "last_id"), "head", json_object_get(b, "head")));
	return 0;
}

/* The newest checkpoint's event, time and count of published versions
 * (null when none), and the chain's last event: for /metrics (issue 23)
 * and the signer, without reading them all. */
int core__checkpoint_last(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *tip = NULL;
	struct store_query q = { .order = "id", .desc = 1, .limit = 1, .columns = "id,last_id,at,published_versions" };
	if (store_find(x->st, "checkpoints", &q, &rows, e) || core__audit_last(x, "id", &tip, e)) {
		json_decref(rows);
		return -1;
	}
	json_t *c = json_array_get(rows, 0);
	core__reply(x, 200, json_pack("{sO sO sO sI}", "last_id", c ? json_object_get(c, "last_id") : json_null(), "at",
				      c ? json_object_get(c, "at") : json_null(), "published_versions",
				      c ? json_object_get(c, "published_versions") : json_null(), "tip",
				      (json_int_t)json_integer_value(json_object_get(json_array_get(tip, 0), "id"))));
	json_decref(rows);
	json_decref(tip);
	return 0;
}

/* ---- issue 24: the signing keys, their rotations and periods ---- */

/* The rotation events, oldest first (the audit_target index). */
static int key_rotations(struct ctx *x, json_t **out, struct err *e)
{
	json_t *where = json_pack("{ss ss}", "target_type", "signing_key", "action", CORE_KEY_ROTATION);
	struct store_query q = { .where = where, .order = "id", .columns = "id,at,after" };
	int bad = store_find(x->st, "audit", &q, out, e);
	json_decref(where);
	return bad;
}

/* The entry of key pk in keys, made the first time it is met (at: then)
 * and appended to order, so that order is the order keys appeared in. */
static json_t *key_met(json_t *keys, json_t *order, const char *pk, const char *at)
{
	json_t *k = json_object_get(keys, pk);
	if (!k) {
		k = json_pack("{ss ss sn sb si sn sn sn}", "public_key", pk, "from", at, "until", "current", 0, "checkpoints", 0, "successor",
			      "retired_at", "last");
		json_object_set_new(keys, pk, k);
		json_array_append(order, k);
	}
	return k;
}

static void rotation_met(json_t *keys, json_t *order, const json_t *r)
{
	json_t *after = json_object_get(r, "after");
	const char *at = sv(r, "at");
	json_t *old = key_met(keys, order, sv(after, "old_public_key"), at);
	key_met(keys, order, sv(after, "new_public_key"), at);
	json_object_set(old, "successor", json_object_get(after, "new_public_key"));
	json_object_set_new(old, "retired_at", json_string(at));
}

static void checkpoint_met(json_t *keys, json_t *order, const json_t *c)
{
	json_t *k = key_met(keys, order, sv(c, "public_key"), sv(c, "at"));
	json_object_set_new(k, "checkpoints", json_integer(json_integer_value(json_object_get(k, "checkpoints")) + 1));
	json_object_set(k, "last", json_object_get(c, "at"));
}

/* The key in use now: the newest checkpoint's, followed through the
 * rotations recorded since (the first key met when none signed yet). */
static const char *key_current(const json_t *keys, const json_t *order, const json_t *cps)
{
	size_t n = json_array_size(cps);
	const char *cur = n ? sv(json_array_get(cps, n - 1), "public_key") : sv(json_array_get(order, 0), "public_key");
	for (size_t i = 0; i < json_array_size(order); i++) { /* each key once at most: a circle cannot hold it */
		const char *next = json_string_value(json_object_get(json_object_get(keys, cur), "successor"));
		if (!next)
			break;
		cur = next;
	}
	return cur;
}

/* The later of two times (ISO 8601 UTC, so text order); NULL when neither is one. */
static json_t *later(json_t *a, json_t *b)
{
	if (!json_is_string(a) || !json_is_string(b))
		return json_is_string(a) ? a : json_is_string(b) ? b : NULL;
	return strcmp(json_string_value(a), json_string_value(b)) >= 0 ? a : b;
}

/* Issue 24: each signing key with its period of validity, derived from
 * the data (no table of keys, so no migration): its checkpoints (cps,
 * oldest first: last_id, at, public_key) and the rotation events (rots,
 * oldest first). Valid from its first checkpoint or the rotation that
 * made it, whichever came first; until its last checkpoint or its
 * retirement, whichever is later (the old key's last checkpoint follows
 * the rotation event, which it covers); the current key's until is null.
 * Newest first. */
static json_t *key_periods(const json_t *cps, const json_t *rots)
{
	json_t *keys = json_object(), *order = json_array(), *out = json_array();
	size_t i = 0, k = 0;
	/* both in the chain's order: a checkpoint comes after the event it
	 * covers, so at a tie the rotation came first */
	while (i < json_array_size(cps) || k < json_array_size(rots)) {
		json_t *c = json_array_get(cps, i), *r = json_array_get(rots, k);
		if (r && (!c || json_integer_value(json_object_get(r, "id")) <= json_integer_value(json_object_get(c, "last_id")))) {
			rotation_met(keys, order, r);
			k++;
		} else {
			checkpoint_met(keys, order, c);
			i++;
		}
	}
	const char *cur = json_array_size(order) ? key_current(keys, order, cps) : "";
	for (size_t n = json_array_size(order); n-- > 0;) {
		json_t *key = json_array_get(order, n);
		int current = !strcmp(sv(key, "public_key"), cur);
		json_t *until = current ? NULL : later(json_object_get(key, "retired_at"), json_object_get(key, "last"));
		json_object_set_new(key, "current", json_boolean(current));
		json_object_set(key, "until", until ? until : json_null());
		json_object_del(key, "last");
		json_array_append(out, key);
	}
	json_decref(keys);
	json_decref(order);
	return out;
}

static int by_id(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "id")), y = json_integer_value(json_object_get(*(json_t *const *)b, "id"));
	return (x > y) - (x < y);
}

/* Issue 27: the checkpoints key_periods needs, without reading them all:
 * each key's first and last (the checkpoints_key index), in id order;
 * and *counts, each key's number of checkpoints ({key: n}). What a key's
 * period takes from its checkpoints is its first, its last and how many;
 * the key in use is the newest checkpoint's, the last of its key. */
static int key_checkpoints(struct ctx *x, json_t **all, json_t **counts, struct err *e)
{
	const char *pk;
	json_t *n, *seen = json_object(), *list = json_array();
	*all = NULL;
	if (store_count_by(x->st, "checkpoints", NULL, "public_key", counts, e)) {
		json_decref(seen);
		json_decref(list);
		return -1;
	}
	json_object_foreach(*counts, pk, n) {
		for (int desc = 0; desc < 2; desc++) {
			json_t *w = json_pack("{ss}", "public_key", pk), *r = NULL;
			struct store_query q = { .where = w, .desc = desc, .limit = 1, .columns = "id,last_id,at,public_key" };
			int bad = store_find(x->st, "checkpoints", &q, &r, e);
			json_decref(w);
			json_t *c = json_array_get(r, 0);
			char key[24];
			core__id_key(json_object_get(c, "id"), key);
			if (c && !json_object_get(seen, key)) {
				json_object_set(seen, key, c);
				json_array_append(list, c);
			}
			json_decref(r);
			if (bad) {
				json_decref(seen);
				json_decref(list);
				json_decref(*counts);
				*counts = NULL;
				return -1;
			}
		}
	}
	json_decref(seen);
	if (jspec_array_sort(list, by_id)) {
		json_decref(list);
		json_decref(*counts);
		*counts = NULL;
		return err_set(e, E_INTERNAL, NULL, "out of memory");
	}
	*all = list;
	return 0;
}

/* The published checkpoints, newest first (the latest 500), and the keys
 * that signed them with their periods (issue 24): anyone may keep copies. */
int core__checkpoint_list(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *all = NULL, *counts = NULL, *rots = NULL;
	struct store_query q = { .order = "id", .desc = 1, .limit = 500 };
	if (store_find(x->st, "checkpoints", &q, &rows, e) || key_checkpoints(x, &all, &counts, e) || key_rotations(x, &rots, e)) {
		json_decref(rows);
		json_decref(all);
		json_decref(counts);
		return -1;
	}
	json_t *keys = key_periods(all, rots), *k;
	size_t i;
	json_array_foreach(keys, i, k) { /* the count, not the first and last alone */
		json_t *c = json_object_get(counts, sv(k, "public_key"));
		json_object_set_new(k, "checkpoints", json_integer(c ? json_integer_value(c) : 0));
	}
	core__reply(x, 200, json_pack("{so so}", "items", rows, "keys", keys));
	json_decref(all);
	json_decref(counts);
	json_decref(rots);
	return 0;
}

/* Issue 24: the signing key rotated (entente keys rotate, seal.c): an
 * event of the chain naming the old public key and the new. seal.c
 * records it before the old key's last checkpoint, so that the old key
 * signs for its successor (key_lineage). A key is rotated once: a second
 * successor, or a retired key coming back, is refused, so the keys form
 * one line. */
const struct jfield core__key_rotate_spec[] = {
	{ .name = "old_public_key", .type = JT_STR, .flags = JF_REQUIRED, .min = 64, .max = 64 },
	{ .name = "new_public_key", .type = JT_STR, .flags = JF_REQUIRED, .min = 64, .max = 64 },
	{ 0 }
};

static int key_hex(const char *s) { return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64; }

/* Which of the two keys a rotation already recorded retired (the field's
 * name), NULL when neither. */
static const char *key_retired(const json_t *rots, const char *old, const char *next)
{
	for (size_t i = 0; i < json_array_size(rots); i++) {
		const char *gone = sv(json_object_get(json_array_get(rots, i), "after"), "old_public_key");
		if (!strcmp(gone, old) || !strcmp(gone, next))
			return !strcmp(gone, old) ? "old_public_key" : "new_public_key";
	}
	return NULL;
}

int core__key_rotate(struct ctx *x, struct err *e)
{
	const char *old = sv(x->call->body, "old_public_key"), *next = sv(x->call->body, "new_public_key"), *clash;
	json_t *rots = NULL;
	if (!key_hex(old) || !key_hex(next) || !strcmp(old, next))
		return err_set(e, E_INVALID, key_hex(old) ? "new_public_key" : "old_public_key",
			       "expected two different public keys, each 64 hexadecimal digits in lower case");
	if (key_rotations(x, &rots, e))
		return -1;
	clash = key_retired(rots, old, next);
	json_decref(rots);
	if (clash)
		return err_set(e, E_CONFLICT, clash, "%s was rotated already: a key has one successor, and a retired key stays retired",
			       !strcmp(clash, "old_public_key") ? "the old key" : "the new key");
	core__reply(x, 200, json_pack("{ss ss}", "old_public_key", old, "new_public_key", next));
	core__audit(x, "signing_key", 0, NULL,
		    json_pack("{ss ss ss}", "event", "signing key rotated", "old_public_key", old, "new_public_key", next));
	return 0;
}

/* The whole record for an outsider: every event and every checkpoint
 * (entente audit export; checked with entente audit check, which needs
 * only this and the public key). */
static char *emails_withheld(const char *text);

/* Whether an event's actor, before or after holds an e-mail address. */
static int holds_address(const json_t *ev)
{
	static const char *const keys[] = { "actor", "before", "after" };
	int found = 0;
	for (int k = 0; k < 3 && !found; k++) {
		char *text = json_dumps(json_object_get(ev, keys[k]), JSON_ENCODE_ANY | JSON_COMPACT), *w = text ? emails_withheld(text) : NULL;
		found = w != NULL;
		free(w);
		free(text);
	}
	return found;
}

int core__audit_export(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *cps = NULL;
	struct store_query q = { .order = "id" }, cq = { .order = "id" };
	if (store_find(x->st, "audit", &q, &rows, e) || store_find(x->st, "checkpoints", &cq, &cps, e)) {
		json_decref(rows);
		return -1;
	}
	/* issue 24: an event recorded before addresses were withheld (schema
	 * 23) and holding one goes without its content: its hash and its
	 * place in the chain stay, and the chain is checked through it */
	size_t i;
	json_t *ev;
	json_array_foreach(rows, i, ev)
		if (holds_address(ev)) {
			json_object_set_new(ev, "actor", json_null());
			json_object_set_new(ev, "before", json_null());
			json_object_set_new(ev, "after", json_null());
			json_object_set_new(ev, "withheld", json_true());
		}
	core__reply(x, 200, json_pack("{ss ss so so}", "format", "entente-audit-export-1", "exported_at", x->now_iso, "events", rows,
				      "checkpoints", cps));
	return 0;
}

/* An audit event appended to the chain for this call. */
static int local_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("._%+-", c));
}
static int domain_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

/* text with every e-mail address in it replaced by "[e-mail 1a2b3c4d5e6f]"
 * (the first 12 hex digits of the BLAKE2b hash of the address in lower
 * case: the same address, the same mark); NULL when it holds none. */
static char *emails_withheld(const char *text)
{
	const char *at = strchr(text, '@');
	if (!at)
		return NULL;
	size_t n = strlen(text), o = 0;
	char *out = malloc(n * 3 + 32);
	const char *p = text;
	int found = 0;
	if (!out)
		return NULL;
	while ((at = strchr(p, '@'))) {
		const char *l = at, *r = at + 1;
		while (l > p && local_char(l[-1]))
			l--;
		while (domain_char(*r))
			r++;
		while (r > at + 1 && (r[-1] == '.' || r[-1] == '-'))
			r--;
		if (l == at || r == at + 1) { /* not an address: keep the '@' */
			memcpy(out + o, p, (size_t)(at + 1 - p));
			o += (size_t)(at + 1 - p);
			p = at + 1;
			continue;
		}
		char addr[320], h[65];
		size_t al = (size_t)(r - l) < sizeof(addr) - 1 ? (size_t)(r - l) : sizeof(addr) - 1;
		for (size_t i = 0; i < al; i++)
			addr[i] = (char)(l[i] >= 'A' && l[i] <= 'Z' ? l[i] - 'A' + 'a' : l[i]);
		addr[al] = '\0';
		hash_hex(addr, h);
		memcpy(out + o, p, (size_t)(l - p));
		o += (size_t)(l - p);
		o += (size_t)sprintf(out + o, "[e-mail %.12s]", h);
		p = r;
		found = 1;
	}
	strcpy(out + o, p);
	if (!found) {
		free(out);
		return NULL;
	}
	return out;
}

/* A copy of v (a new reference) with every e-mail address withheld. */
static json_t *withheld(json_t *v)
{
	if (json_is_string(v)) {
		char *w = emails_withheld(json_string_value(v));
		json_t *r = w ? json_string(w) : json_incref(v);
		free(w);
		return r ? r : json_incref(v);
	}
	if (json_is_object(v)) {
		json_t *r = json_object(), *m;
		const char *k;
		json_object_foreach(v, k, m)
			json_object_set_new(r, k, withheld(m));
		return r;
	}
	if (json_is_array(v)) {
		json_t *r = json_array(), *m;
		size_t i;
		json_array_foreach(v, i, m)
			json_array_append_new(r, withheld(m));
		return r;
	}
	return json_incref(v);
}

/* Issue 24: the audit chain carries no e-mail address (its export is
 * handed to outsiders, and an event is never erased): each is replaced by
 * a mark of its hash before the event is hashed onto the chain. */
int core__audit_append(struct ctx *x, const char *actor, int64_t actor_id, const char *type, int64_t id, json_t *before, json_t *after,
			struct err *e)
{
	json_t *b = before ? withheld(before) : NULL, *a = after ? withheld(after) : NULL;
	char *act = emails_withheld(actor);
	json_t *row = json_pack("{ss ss ss ss so* so*}", "at", x->now_iso, "actor", act ? act : actor, "action", x->info->name,
				"target_type", type ? type : "none", "before", b, "after", a);
	free(act);
	int ret;
	/* issue 24: the operator acted (--as): the person is "on behalf of" */
	if (x->call->operator_name && actor_id) {
		json_object_set_new(row, "on_behalf_id", json_integer(actor_id));
		actor_id = 0;
	}
	if (actor_id)
		json_object_set_new(row, "actor_id", json_integer(actor_id));
	if (id)
		json_object_set_new(row, "target_id", json_integer(id));
	ret = core__chain_append(x, row, e); /* hashed onto the chain (chain.c, issue 11) */
	json_decref(row);
	return ret;
}

int core__audit_system(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after, struct err *e)
{
	int ret = core__audit_append(x, core__acting_label(x), 0, type, id, before, after, e);
	json_decref(before);
	json_decref(after);
	return ret;
}
