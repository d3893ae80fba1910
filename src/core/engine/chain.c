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
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/engine/chain.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"

#define GENESIS CORE_GENESIS

static json_t *or_null(json_t *v) { return v ? v : json_null(); }

void core_chain_hash(const json_t *ev, const char *prev, char out[65])
{
	json_t *canon = json_pack("[O O O O O O O O O s]", or_null(json_object_get(ev, "id")), or_null(json_object_get(ev, "at")),
				  or_null(json_object_get(ev, "actor_id")), or_null(json_object_get(ev, "actor")),
				  or_null(json_object_get(ev, "action")), or_null(json_object_get(ev, "target_type")),
				  or_null(json_object_get(ev, "target_id")), or_null(json_object_get(ev, "before")),
				  or_null(json_object_get(ev, "after")), prev);
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

/* The chain recomputed over events (sorted by id) and each checkpoint
 * checked against it: its signature (under public_key when given, else
 * its own) and the hash of the event it signed. Problems go to found (the
 * first divergence of the chain, every failing checkpoint); the head into
 * head; each (may be NULL) sees every event in order (what the records must
 * say, for the domain). Pure: the
 * server's verify and the standalone check of an export share it. */
void core_chain_check(const json_t *events, const json_t *checkpoints, const char *public_key, json_t *found, char head[65],
		      void (*each)(const json_t *event, void *data), void *data)
{
	char prev[65] = GENESIS, hash[65];
	int64_t want = 1;
	int broken = 0;
	for (size_t i = 0; i < json_array_size(events); i++) {
		json_t *ev = json_array_get(events, i);
		int64_t id = json_integer_value(json_object_get(ev, "id"));
		const char *h = json_string_value(json_object_get(ev, "hash")), *p = json_string_value(json_object_get(ev, "prev_hash"));
		char detail[200];
		if (!h) { /* written before the chain existed (migration m13) */
			want = id + 1;
			continue;
		}
		if (id != want && !broken) {
			snprintf(detail, sizeof(detail), "event %lld follows event %lld: %lld event(s) are missing", (long long)id,
				 (long long)want - 1, (long long)(id - want));
			json_array_append_new(found, problem(id > want ? "deleted" : "inserted", ev, id > want ? want : id, detail));
			broken = 1;
		}
		core_chain_hash(ev, p ? p : "", hash);
		if (!broken && (!p || strcmp(p, prev))) {
			snprintf(detail, sizeof(detail), "event %lld does not follow the event before it (a deletion or an insertion)",
				 (long long)id);
			json_array_append_new(found, problem("inserted", ev, id, detail));
			broken = 1;
		} else if (!broken && strcmp(hash, h)) {
			snprintf(detail, sizeof(detail), "event %lld is not what was written: its hash differs", (long long)id);
			json_array_append_new(found, problem("edited", ev, id, detail));
			broken = 1;
		}
		snprintf(prev, sizeof(prev), "%s", h);
		want = id + 1;
		if (each)
			each(ev, data);
	}
	snprintf(head, 65, "%s", prev);
	/* the signed checkpoints: each must still hold for the chain as it is
	 * (a cut or rewritten tail, however well re-hashed, does not) */
	for (size_t i = 0; i < json_array_size(checkpoints); i++) {
		json_t *c = json_array_get(checkpoints, i), *ev = NULL;
		int64_t lid = json_integer_value(json_object_get(c, "last_id"));
		char detail[240];
		for (size_t k = 0; k < json_array_size(events) && !ev; k++) /* ids ascend: a binary search would do */
			if (json_integer_value(json_object_get(json_array_get(events, k), "id")) == lid)
				ev = json_array_get(events, k);
		if (!core_checkpoint_valid(c) ||
		    (public_key && strcmp(public_key, json_string_value(json_object_get(c, "public_key")) ? json_string_value(json_object_get(c, "public_key")) : ""))) {
			snprintf(detail, sizeof(detail), "checkpoint %lld: its signature does not hold%s",
				 (long long)json_integer_value(json_object_get(c, "id")), public_key ? " under the public key given" : "");
			json_array_append_new(found, problem("checkpoint", NULL, lid, detail));
		} else if (!ev || strcmp(json_string_value(json_object_get(ev, "hash")) ? json_string_value(json_object_get(ev, "hash")) : "",
					 json_string_value(json_object_get(c, "head")))) {
			snprintf(detail, sizeof(detail), "checkpoint %lld signed event %lld as %.16s..., the chain now differs there",
				 (long long)json_integer_value(json_object_get(c, "id")), (long long)lid, json_string_value(json_object_get(c, "head")));
			json_array_append_new(found, problem("checkpoint", ev, lid, detail));
		}
	}
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

/* The newest checkpoint's event and time (null when none), and the
 * chain's last event: for /metrics (issue 23), without reading them all. */
int core__checkpoint_last(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *tip = NULL;
	struct store_query q = { .order = "id", .desc = 1, .limit = 1, .columns = "id,last_id,at" };
	if (store_find(x->st, "checkpoints", &q, &rows, e) || core__audit_last(x, "id", &tip, e)) {
		json_decref(rows);
		return -1;
	}
	json_t *c = json_array_get(rows, 0);
	core__reply(x, 200, json_pack("{sO sO sI}", "last_id", c ? json_object_get(c, "last_id") : json_null(), "at",
				      c ? json_object_get(c, "at") : json_null(), "tip",
				      (json_int_t)json_integer_value(json_object_get(json_array_get(tip, 0), "id"))));
	json_decref(rows);
	json_decref(tip);
	return 0;
}

/* The published checkpoints, newest first: anyone may keep copies. */
int core__checkpoint_list(struct ctx *x, struct err *e)
{
	json_t *rows = NULL;
	struct store_query q = { .order = "id", .desc = 1, .limit = 500 };
	if (store_find(x->st, "checkpoints", &q, &rows, e))
		return -1;
	core__reply(x, 200, json_pack("{so}", "items", rows));
	return 0;
}

/* The whole record for an outsider: every event and every checkpoint
 * (entente audit export; checked with entente audit check, which needs
 * only this and the public key). */
int core__audit_export(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *cps = NULL;
	struct store_query q = { .order = "id" }, cq = { .order = "id" };
	if (store_find(x->st, "audit", &q, &rows, e) || store_find(x->st, "checkpoints", &cq, &cps, e)) {
		json_decref(rows);
		return -1;
	}
	core__reply(x, 200, json_pack("{ss ss so so}", "format", "entente-audit-export-1", "exported_at", x->now_iso, "events", rows,
				      "checkpoints", cps));
	return 0;
}

/* An audit event appended to the chain for this call. */
int core__audit_append(struct ctx *x, const char *actor, int64_t actor_id, const char *type, int64_t id, json_t *before, json_t *after,
			struct err *e)
{
	json_t *row = json_pack("{ss ss ss ss sO* sO*}", "at", x->now_iso, "actor", actor, "action", x->info->name, "target_type",
				type ? type : "none", "before", before, "after", after);
	int ret;
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
