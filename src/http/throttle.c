/* Sign-in throttling: see throttle.h for the policy. The entries live in
 * the database's throttle table (issue 26), read and written in one write
 * transaction per step, so that several servers on one database count
 * together and a restart forgets nothing; a sign-in costs an argon2id
 * hash, beside which two small transactions are nothing. */
#include <stdio.h>
#include <string.h>

#include "http/throttle.h"

/* An attempt in flight for longer than this was lost with its server
 * (kill -9 between begin and end): it no longer counts. */
#define THROTTLE_STALE 60
/* A known-good address is remembered far longer than a failure. */
#define KNOWN_FOR (90 * 86400)
/* Rows older than this (a known address: KNOWN_FOR) say nothing any more:
 * each end removes a few of them, so the table stays small. */
#define DROP_AFTER 86400
#define DROP_EACH 16

struct entry {
	int64_t id;             /* 0: not in the database yet */
	char key[200];          /* "p:acct|addr", "a:acct", "i:addr", "k:acct|addr" (known good),
				 * "r:kind|key" (a rate: last is its window's start, failures its count) */
	int64_t last;           /* last failure (or success, for "k:") */
	int64_t next_allowed;
	int64_t began;          /* the latest attempt's beginning */
	int failures, inflight;
	int changed;
};

static int inflight_of(const struct entry *e, int64_t now)
{
	return now - e->began > THROTTLE_STALE ? 0 : e->inflight;
}

/* Read the entries named by their keys (those not found stay empty). */
static int load(struct store *st, struct entry *en, int n, struct err *e)
{
	json_t *keys = json_array(), *rows = NULL, *row;
	size_t i;
	for (int k = 0; k < n; k++)
		json_array_append_new(keys, json_string(en[k].key));
	struct store_query q = { .where = json_pack("{so}", "key", keys) };
	int r = store_find(st, "throttle", &q, &rows, e);
	json_decref(q.where);
	if (r)
		return -1;
	json_array_foreach(rows, i, row) {
		const char *key = json_string_value(json_object_get(row, "key"));
		for (int k = 0; k < n; k++) {
			if (!key || strcmp(key, en[k].key))
				continue;
			en[k].id = json_integer_value(json_object_get(row, "id"));
			en[k].last = json_integer_value(json_object_get(row, "last_at"));
			en[k].next_allowed = json_integer_value(json_object_get(row, "next_allowed"));
			en[k].began = json_integer_value(json_object_get(row, "began_at"));
			en[k].failures = (int)json_integer_value(json_object_get(row, "failures"));
			en[k].inflight = (int)json_integer_value(json_object_get(row, "inflight"));
		}
	}
	json_decref(rows);
	return 0;
}

/* Write back the entries changed. */
static int save(struct store *st, struct entry *en, int n, struct err *e)
{
	for (int k = 0; k < n; k++) {
		if (!en[k].changed)
			continue;
		json_t *row = json_pack("{sI sI sI si si}", "last_at", (json_int_t)en[k].last, "next_allowed", (json_int_t)en[k].next_allowed,
					"began_at", (json_int_t)en[k].began, "failures", en[k].failures, "inflight", en[k].inflight);
		int r;
		if (en[k].id) {
			r = store_update(st, "throttle", en[k].id, row, e);
		} else {
			char kind[2] = { en[k].key[0], 0 };
			json_object_set_new(row, "key", json_string(en[k].key));
			json_object_set_new(row, "kind", json_string(kind));
			r = store_insert(st, "throttle", row, &en[k].id, e);
		}
		json_decref(row);
		if (r)
			return -1;
	}
	return 0;
}

/* A few rows that say nothing any more, removed. */
static int prune(struct store *st, int64_t now, struct err *e)
{
	json_t *rows = NULL, *row;
	size_t i;
	for (int known = 0; known < 2; known++) {
		struct store_query q = {
			.where = json_pack("{s[ssss] s{sI}}", "kind", "p", "a", "i", "r", "last_at", "<",
					   (json_int_t)(now - DROP_AFTER)),
			.order = "last_at",
			.limit = DROP_EACH,
			.columns = "id",
		};
		if (known) {
			json_decref(q.where);
			q.where = json_pack("{ss s{sI}}", "kind", "k", "last_at", "<", (json_int_t)(now - KNOWN_FOR));
		}
		int r = store_find(st, "throttle", &q, &rows, e);
		json_decref(q.where);
		if (r)
			return -1;
		json_array_foreach(rows, i, row) {
			if (store_delete(st, "throttle", json_integer_value(json_object_get(row, "id")), e)) {
				json_decref(rows);
				return -1;
			}
		}
		json_decref(rows);
	}
	return 0;
}

/* 0 when the entry lets one more attempt begin, else the seconds to wait. */
static int64_t wait_of(struct entry *e, int free_tries, int64_t now)
{
	int inflight = inflight_of(e, now);
	if (inflight == 0 && e->failures && now - e->last > THROTTLE_FORGET) {
		e->failures = 0;
		e->next_allowed = 0;
		e->changed = 1;
	}
	if (e->failures + inflight < free_tries)
		return 0;
	/* in back-off: one attempt at a time, and not before its time */
	if (inflight == 0 && now >= e->next_allowed)
		return 0;
	return e->next_allowed > now ? e->next_allowed - now : 1;
}

static const int free_tries[3] = { THROTTLE_PAIR_FREE, THROTTLE_ACCOUNT_FREE, THROTTLE_ADDRESS_FREE };

static void keys(const char *account, const char *address, struct entry en[4])
{
	memset(en, 0, 4 * sizeof(*en));
	snprintf(en[0].key, sizeof(en[0].key), "p:%s|%s", account, address);
	snprintf(en[1].key, sizeof(en[1].key), "a:%s", account);
	snprintf(en[2].key, sizeof(en[2].key), "i:%s", address);
	snprintf(en[3].key, sizeof(en[3].key), "k:%s|%s", account, address);
}

static int finish(struct store *st, int r, struct err *e)
{
	if (r || store_commit(st, e)) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int throttle_begin(struct store *st, const char *account, const char *address, int64_t now, struct throttle_ticket *t,
		   struct err *e)
{
	struct entry en[4];
	int64_t wait = 0;
	keys(account, address, en);
	memset(t, 0, sizeof(*t));
	if (store_begin(st, 1, e))
		return -1;
	if (load(st, en, 4, e))
		return finish(st, -1, e);
	/* the owner's usual address is spared the account-wide back-off */
	int known = en[3].id && now - en[3].last <= KNOWN_FOR;
	for (int i = 0; i < 3; i++) {
		t->counted[i] = !(i == 1 && known);
		if (t->counted[i]) {
			int64_t w = wait_of(&en[i], free_tries[i], now);
			if (w > wait)
				wait = w;
		}
	}
	for (int i = 0; i < 3 && !wait; i++) {
		if (!t->counted[i])
			continue;
		en[i].inflight = inflight_of(&en[i], now) + 1;
		en[i].began = now;
		if (!en[i].id)
			en[i].last = now;
		en[i].changed = 1;
	}
	if (finish(st, save(st, en, 3, e), e))
		return -1;
	return (int)wait;
}

int throttle_end(struct store *st, const struct throttle_ticket *t, const char *account, const char *address, int64_t now,
		 int ok, struct err *e)
{
	struct entry en[4];
	keys(account, address, en);
	if (store_begin(st, 1, e))
		return -1;
	if (load(st, en, 4, e))
		return finish(st, -1, e);
	for (int i = 0; i < 3; i++) {
		struct entry *x = &en[i];
		if (!t->counted[i])
			continue;
		x->changed = 1;
		if (x->inflight > 0)
			x->inflight--;
		if (ok) {
			if (i == 0) { /* the pair starts afresh; the others keep counting */
				x->failures = 0;
				x->next_allowed = 0;
			}
			continue;
		}
		x->failures++;
		x->last = now;
		if (x->failures >= free_tries[i]) {
			int shift = x->failures - free_tries[i];
			int64_t w = shift >= 10 ? THROTTLE_MAX_WAIT : (int64_t)THROTTLE_FIRST_WAIT << shift;
			x->next_allowed = now + (w > THROTTLE_MAX_WAIT ? THROTTLE_MAX_WAIT : w);
		}
	}
	if (ok) {
		en[3].last = now;
		en[3].changed = 1;
	}
	return finish(st, save(st, en, 4, e) || prune(st, now, e), e);
}

int rate_take(struct store *st, const char *key, int64_t now, int max, int window, struct err *e)
{
	struct entry en[1] = { 0 };
	int wait = 0;
	snprintf(en[0].key, sizeof(en[0].key), "r:%s", key);
	if (store_begin(st, 1, e))
		return -1;
	if (load(st, en, 1, e))
		return finish(st, -1, e);
	if (!en[0].id || now - en[0].last >= window) { /* a new window */
		en[0].last = now;
		en[0].failures = 0;
	}
	if (en[0].failures >= max) {
		wait = (int)(en[0].last + window - now > 0 ? en[0].last + window - now : 1);
	} else {
		en[0].failures++;
		en[0].changed = 1;
	}
	if (finish(st, save(st, en, 1, e), e))
		return -1;
	return wait;
}
