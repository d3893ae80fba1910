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

/* Issue 27: the record is read a page at a time, so the walk's memory
 * stays the same whatever the record's size. */
#define PAGE 1000
#define RECORD_PAGE 200

/* A record that differs from what its events say, into found. */
static void record_problem(json_t *found, const char *table, long long rid, const char *field, const json_t *row, const json_t *want)
{
	char detail[240];
	snprintf(detail, sizeof(detail), "%s %lld says %s %s, its events (last: %lld) say %s", table, rid, field,
		 json_string_value(json_object_get(row, field)), (long long)json_integer_value(json_object_get(want, "event")),
		 json_string_value(json_object_get(want, field)));
	json_array_append_new(found, json_pack("{ss sO ss sI ss}", "kind", "record", "event", json_object_get(want, "event"), "target_type",
					       !strcmp(table, "votes") ? "vote" : "work_register", "target_id", (json_int_t)rid, "detail", detail));
}

/* The state an event gives its record (a vote's choice, a WR's status)
 * into expect ({"table/id": {field, event}}), and the ballot it names
 * into ballots ({id: true}): what an incremental walk checks. */
struct window {
	json_t *expect, *ballots;
};

static void note_state(const json_t *ev, struct window *w)
{
	const char *type = json_string_value(json_object_get(ev, "target_type"));
	json_t *after = json_object_get(ev, "after"), *id = json_object_get(ev, "target_id");
	char key[80];
	if (!type || !json_is_integer(id) || !json_is_object(after))
		return;
	if (json_is_integer(json_object_get(after, "ballot_id"))) { /* a vote, a seal signed */
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(after, "ballot_id")));
		json_object_set_new(w->ballots, key, json_true());
	}
	if (!strcmp(type, "vote") && json_is_string(json_object_get(after, "choice"))) {
		snprintf(key, sizeof(key), "votes/%lld", (long long)json_integer_value(id));
		json_object_set_new(w->expect, key, json_pack("{sO sO}", "choice", json_object_get(after, "choice"), "event", json_object_get(ev, "id")));
	} else if (!strcmp(type, "work_register") && json_is_string(json_object_get(after, "status"))) {
		snprintf(key, sizeof(key), "work_registers/%lld", (long long)json_integer_value(id));
		json_object_set_new(w->expect, key, json_pack("{sO sO}", "status", json_object_get(after, "status"), "event", json_object_get(ev, "id")));
	}
}

/* The records the window's events name against their rows: the first
 * that differs. */
static void window_records(struct ctx *x, const json_t *expect, json_t *found)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)expect, key, v) {
		char table[32];
		long long rid = 0;
		json_t *row = NULL;
		struct err none = ERR_INIT;
		if (sscanf(key, "%31[^/]/%lld", table, &rid) != 2)
			continue;
		const char *field = !strcmp(table, "votes") ? "choice" : "status";
		if (store_get(x->st, table, rid, &row, &none))
			continue; /* gone: deletions of records are their own events */
		int differs = !json_equal(json_object_get(row, field), json_object_get(v, field));
		if (differs)
			record_problem(found, table, rid, field, row, v);
		json_decref(row);
		if (differs)
			break;
	}
}

/* A page of a table's records against their events (one read of the
 * events of the page's records, by the audit_target index): 1 when one
 * differs (named in found), 0 when none, -1 on error. */
static int records_page(struct ctx *x, const char *table, const char *type, const char *field, const json_t *rows, json_t *found,
			struct err *e)
{
	json_t *ids = json_array(), *evs = NULL, *last = json_object();
	for (size_t i = 0; i < json_array_size(rows); i++)
		json_array_append(ids, json_object_get(json_array_get(rows, i), "id"));
	json_t *where = json_pack("{ss so}", "target_type", type, "target_id", ids);
	struct store_query q = { .where = where, .columns = "id,target_id,after" };
	int rc = store_find(x->st, "audit", &q, &evs, e) ? -1 : 0;
	json_decref(where);
	for (size_t i = 0; !rc && i < json_array_size(evs); i++) { /* in id order: the last one stays */
		json_t *ev = json_array_get(evs, i), *after = json_object_get(ev, "after");
		char key[24];
		if (!json_is_string(json_object_get(after, field)))
			continue;
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(ev, "target_id")));
		json_object_set_new(last, key, json_pack("{sO sO}", field, json_object_get(after, field), "event", json_object_get(ev, "id")));
	}
	for (size_t i = 0; !rc && i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i), *want;
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(row, "id")));
		if ((want = json_object_get(last, key)) && !json_equal(json_object_get(row, field), json_object_get(want, field))) {
			record_problem(found, table, (long long)json_integer_value(json_object_get(row, "id")), field, row, want);
			rc = 1;
		}
	}
	json_decref(evs);
	json_decref(last);
	return rc;
}

/* Every record of table against its events, a page at a time. */
static int records_all(struct ctx *x, const char *table, const char *type, const char *field, json_t *found, struct err *e)
{
	char columns[32];
	int64_t after = 0;
	snprintf(columns, sizeof(columns), "id,%s", field);
	for (;;) {
		json_t *page = NULL;
		struct store_query q = { .after_id = after, .limit = RECORD_PAGE, .columns = columns };
		if (store_find(x->st, table, &q, &page, e))
			return -1;
		size_t n = json_array_size(page);
		int rc = n ? records_page(x, table, type, field, page, found, e) : 0;
		if (n)
			after = json_integer_value(json_object_get(json_array_get(page, n - 1), "id"));
		json_decref(page);
		if (rc)
			return rc;
		if (n < RECORD_PAGE)
			return 0;
	}
}

/* The event with this id as the chain now has it (*ev NULL when there is
 * none). */
static int event_get(struct ctx *x, int64_t id, json_t **ev, struct err *e)
{
	*ev = NULL;
	if (!store_get(x->st, "audit", id, ev, e))
		return 0;
	if (e->code != E_NOT_FOUND)
		return -1;
	err_clear(e);
	return 0;
}

/* The checkpoints, each against the event it signed: every one (full),
 * or from the newest back to the first that holds (*anchor: that one,
 * NULL when none does), the ones after it named in found. */
static int checkpoints_walk(struct ctx *x, int full, json_t *found, json_t **anchor, int64_t *checked, struct err *e)
{
	int64_t after = 0;
	*anchor = NULL;
	for (;;) {
		json_t *page = NULL;
		struct store_query q = { .after_id = after, .desc = !full, .limit = 100 };
		if (store_find(x->st, "checkpoints", &q, &page, e))
			return -1;
		size_t n = json_array_size(page);
		for (size_t i = 0; i < n && !*anchor; i++) {
			json_t *c = json_array_get(page, i), *ev = NULL;
			after = json_integer_value(json_object_get(c, "id"));
			if (event_get(x, json_integer_value(json_object_get(c, "last_id")), &ev, e)) {
				json_decref(page);
				return -1;
			}
			(*checked)++;
			if (core_checkpoint_check(c, ev, found) && !full)
				*anchor = json_incref(c);
			json_decref(ev);
		}
		json_decref(page);
		if (*anchor || n < 100)
			return 0;
	}
}

/* The events after after_id, in pages, through the walk (and, for an
 * incremental walk, into the window). */
static int events_walk(struct ctx *x, struct core_chain_walk *w, int64_t after, struct window *win, struct err *e)
{
	for (;;) {
		json_t *page = NULL;
		struct store_query q = { .after_id = after, .limit = PAGE };
		if (store_find(x->st, "audit", &q, &page, e))
			return -1;
		size_t n = json_array_size(page);
		for (size_t i = 0; i < n; i++) {
			json_t *ev = json_array_get(page, i);
			core_chain_walk_event(w, ev);
			if (win)
				note_state(ev, win);
		}
		if (n)
			after = json_integer_value(json_object_get(json_array_get(page, n - 1), "id"));
		json_decref(page);
		if (n < PAGE)
			return 0;
	}
}

/* Recompute the chain and check the records against it (issue 11), in
 * constant memory (issue 27). By default from the newest checkpoint that
 * holds: its signature vouches for the events up to the one it signed,
 * whose hash is still its head; the events after it are recomputed, and
 * the records and ballots they name checked. ?full=true: every event,
 * checkpoint, record and ballot. */
int core__audit_verify(struct ctx *x, struct err *e)
{
	const char *fp = json_string_value(json_object_get(x->call->params, "full"));
	if (fp && strcmp(fp, "true") && strcmp(fp, "false"))
		return err_set(e, E_INVALID, "full", "expected true or false");
	int full = fp && !strcmp(fp, "true");
	json_t *found = json_array(), *anchor = NULL;
	struct window win = { json_object(), json_object() };
	struct core_chain_walk w;
	int64_t checkpoints = 0;
	int rc = -1;
	if (checkpoints_walk(x, full, found, &anchor, &checkpoints, e))
		goto out;
	core_chain_walk_start(&w, found, anchor ? json_integer_value(json_object_get(anchor, "last_id")) : 0,
			      anchor ? json_string_value(json_object_get(anchor, "head")) : NULL);
	if (events_walk(x, &w, anchor ? json_integer_value(json_object_get(anchor, "last_id")) : 0, anchor ? &win : NULL, e))
		goto out;
	/* the records against their events, and the ballots' receipts */
	if (anchor) {
		window_records(x, win.expect, found);
	} else {
		int r = records_all(x, "work_registers", "work_register", "status", found, e);
		if (r < 0 || (!r && records_all(x, "votes", "vote", "choice", found, e) < 0))
			goto out;
	}
	if (core__receipts_verify(x, anchor ? win.ballots : NULL, found, e))
		goto out;
	json_t *from = anchor ? json_pack("{sO sO sO}", "checkpoint", json_object_get(anchor, "id"), "last_id", json_object_get(anchor, "last_id"),
					  "at", json_object_get(anchor, "at"))
			      : json_null();
	core__reply(x, 200, json_pack("{sb sb sI sI so sI ss sO}", "ok", !json_array_size(found), "full", !anchor, "events", (json_int_t)w.events,
				      "checkpoints", (json_int_t)checkpoints, "from", from, "last_id", (json_int_t)(w.want - 1), "head", w.prev,
				      "problems", found));
	rc = 0;
out:
	json_decref(found);
	json_decref(anchor);
	json_decref(win.expect);
	json_decref(win.ballots);
	return rc;
}

/* The published versions among wr_versions after after_id (0: all), a
 * page at a time; *last: the newest version's id. */
static int published_after(struct ctx *x, int64_t after, int64_t *published, int64_t *last, struct err *e)
{
	for (;;) {
		json_t *page = NULL;
		struct store_query q = { .after_id = after, .limit = PAGE, .columns = "id,label" };
		if (store_find(x->st, "wr_versions", &q, &page, e))
			return -1;
		size_t n = json_array_size(page);
		for (size_t i = 0; i < n; i++)
			*published += core__version_published(json_array_get(page, i));
		if (n)
			*last = after = json_integer_value(json_object_get(json_array_get(page, n - 1), "id"));
		json_decref(page);
		if (n < PAGE)
			return 0;
	}
}

/* The newest checkpoint, when the count can go on from it (issue 27): its
 * signature holds, it counted the versions through a known one, and the
 * event it signed is still there with its head. NULL otherwise. */
static json_t *count_anchor(struct ctx *x, int64_t tip, struct err *e)
{
	json_t *rows = NULL, *ev = NULL, *c;
	struct store_query q = { .order = "id", .desc = 1, .limit = 1 };
	if (store_find(x->st, "checkpoints", &q, &rows, e))
		return NULL;
	c = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	int64_t lid = c ? json_integer_value(json_object_get(c, "last_id")) : 0;
	int holds = c && json_is_integer(json_object_get(c, "versions_through")) && lid <= tip && !event_get(x, lid, &ev, e) &&
		    core_checkpoint_check(c, ev, NULL);
	json_decref(ev);
	if (!holds) {
		json_decref(c);
		return NULL;
	}
	return c;
}

/* The chain's head and length, and the count of published versions, for
 * a checkpoint. Issue 27: counted on from the newest checkpoint (its count,
 * plus the events after the one it signed; its published versions, plus
 * those after the version it counted through), so the signer's pass costs
 * what happened since, not the record; from nothing when no checkpoint
 * can be trusted for it. */
int core__audit_head(struct ctx *x, struct err *e)
{
	json_t *last = NULL;
	if (core__audit_last(x, "id,hash", &last, e))
		return -1;
	json_t *l = json_array_get(last, 0);
	int64_t tip = l ? json_integer_value(json_object_get(l, "id")) : 0, n = 0, published = 0, versions = 0;
	json_t *anchor = count_anchor(x, tip, e);
	if (!anchor && e->code != E_OK) {
		json_decref(last);
		return -1;
	}
	struct store_query after = { .after_id = anchor ? json_integer_value(json_object_get(anchor, "last_id")) : 0 };
	if (anchor) {
		n = json_integer_value(json_object_get(anchor, "count"));
		published = json_integer_value(json_object_get(anchor, "published_versions"));
		versions = json_integer_value(json_object_get(anchor, "versions_through"));
	}
	int64_t more = 0;
	if (store_count(x->st, "audit", &after, &more, e) || published_after(x, versions, &published, &versions, e)) {
		json_decref(anchor);
		json_decref(last);
		return -1;
	}
	core__reply(x, 200, json_pack("{sI sI sI ss sI sO}", "published_versions", (json_int_t)published, "versions_through", (json_int_t)versions,
				      "count", (json_int_t)(n + more), "head",
				      l && json_is_string(json_object_get(l, "hash")) ? json_string_value(json_object_get(l, "hash")) : CORE_GENESIS,
				      "last_id", (json_int_t)tip, "counted_from", anchor ? json_object_get(anchor, "id") : json_null()));
	json_decref(anchor);
	json_decref(last);
	return 0;
}
