/* The record checked whole (issue 11): the audit chain recomputed by the
 * engine (engine/chain.c), then each WR's state and each vote against what
 * their events say, and every ballot's receipts; the chain's head with
 * the count of published versions, for a checkpoint. */
#include <stdio.h>
#include <string.h>

#include "core/domain/publish.h"
#include "core/domain/receipt.h"
#include "core/domain/verify.h"
#include "core/engine/chain.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"

/* The latest vote event's choice for a vote, the latest status a WR's
 * events name: what the record's own row must say. */
static void note_state(const json_t *ev, void *data)
{
	json_t *expect = data;
	const char *type = json_string_value(json_object_get(ev, "target_type"));
	json_t *after = json_object_get(ev, "after"), *id = json_object_get(ev, "target_id");
	char key[80];
	if (!type || !json_is_integer(id) || !json_is_object(after))
		return;
	if (!strcmp(type, "vote") && json_is_string(json_object_get(after, "choice"))) {
		snprintf(key, sizeof(key), "votes/%lld", (long long)json_integer_value(id));
		json_object_set_new(expect, key, json_pack("{sO sO}", "choice", json_object_get(after, "choice"), "event", json_object_get(ev, "id")));
	} else if (!strcmp(type, "work_register") && json_is_string(json_object_get(after, "status"))) {
		snprintf(key, sizeof(key), "work_registers/%lld", (long long)json_integer_value(id));
		json_object_set_new(expect, key, json_pack("{sO sO}", "status", json_object_get(after, "status"), "event", json_object_get(ev, "id")));
	}
}

/* Recompute the chain, then compare the records with what their events
 * say; the first divergence of each kind, with the event and the record. */
int core__audit_verify(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *cps = NULL, *expect = json_object(), *found = json_array();
	struct store_query q = { .order = "id" }, cq = { .order = "id" };
	char prev[65];
	if (store_find(x->st, "audit", &q, &rows, e) || store_find(x->st, "checkpoints", &cq, &cps, e)) {
		json_decref(rows);
		json_decref(expect);
		json_decref(found);
		return -1;
	}
	int64_t count = (int64_t)json_array_size(rows);
	core_chain_check(rows, cps, NULL, found, prev, note_state, expect);
	json_decref(cps);
	/* the records against their events */
	const char *key;
	json_t *v;
	json_object_foreach(expect, key, v) {
		char table[32];
		long long rid = 0;
		json_t *row = NULL;
		struct err none = ERR_INIT;
		if (sscanf(key, "%31[^/]/%lld", table, &rid) != 2)
			continue;
		const char *field = !strcmp(table, "votes") ? "choice" : "status";
		if (store_get(x->st, table, rid, &row, &none))
			continue; /* gone: deletions of records are their own events */
		if (!json_equal(json_object_get(row, field), json_object_get(v, field))) {
			char detail[240];
			snprintf(detail, sizeof(detail), "%s %lld says %s %s, its events (last: %lld) say %s", table, rid, field,
				 json_string_value(json_object_get(row, field)), (long long)json_integer_value(json_object_get(v, "event")),
				 json_string_value(json_object_get(v, field)));
			json_t *pr = json_pack("{ss sO ss sI ss}", "kind", "record", "event", json_object_get(v, "event"), "target_type",
					       !strcmp(table, "votes") ? "vote" : "work_register", "target_id", (json_int_t)rid, "detail", detail);
			json_array_append_new(found, pr);
			json_decref(row);
			break;
		}
		json_decref(row);
	}
	/* and the ballots' receipts: chains, votes, seals */
	if (core__receipts_verify(x, found, e)) {
		json_decref(rows);
		json_decref(expect);
		json_decref(found);
		return -1;
	}
	core__reply(x, 200, json_pack("{sb sI ss so}", "ok", !json_array_size(found), "events", (json_int_t)count, "head", prev,
				      "problems", found));
	json_decref(rows);
	json_decref(expect);
	return 0;
}

/* The chain's head and length, for a checkpoint. */
int core__audit_head(struct ctx *x, struct err *e)
{
	json_t *last = NULL;
	struct store_query all = { 0 };
	int64_t n = 0;
	if (core__audit_last(x, "id,hash", &last, e) || store_count(x->st, "audit", &all, &n, e)) {
		json_decref(last);
		return -1;
	}
	json_t *l = json_array_get(last, 0), *vs = NULL;
	struct store_query vq = { .columns = "id,label" };
	int64_t published = 0;
	if (!store_find(x->st, "wr_versions", &vq, &vs, e))
		for (size_t i = 0; i < json_array_size(vs); i++)
			published += core__version_published(json_array_get(vs, i));
	json_decref(vs);
	core__reply(x, 200, json_pack("{sI sI ss sI}", "published_versions", (json_int_t)published, "count", (json_int_t)n, "head",
				      l && json_is_string(json_object_get(l, "hash")) ? json_string_value(json_object_get(l, "hash")) : CORE_GENESIS,
				      "last_id", (json_int_t)(l ? json_integer_value(json_object_get(l, "id")) : 0)));
	json_decref(last);
	return 0;
}
