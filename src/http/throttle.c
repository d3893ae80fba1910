/* Sign-in throttling: see throttle.h for the policy. One mutex guards a
 * fixed open-addressed table; a sign-in costs an argon2id hash, so a
 * short critical section here is never the bottleneck. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "http/throttle.h"

#define SLOTS 8192
#define PROBE 32

struct entry {
	char key[200];          /* "p:acct|addr", "a:acct", "i:addr", "k:acct|addr" (known good),
				 * "r:kind|key" (a rate: last is its window's start, failures its count) */
	int64_t last;           /* last failure (or success, for "k:") */
	int64_t next_allowed;
	int failures, inflight;
};

static struct entry table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The entry of key; with create, a free one or the stalest of its probe
 * run (never one with attempts in flight). -1 when there is none. */
static int slot(const char *key, int create, int64_t now)
{
	unsigned h = hash(key);
	int victim = -1;
	for (unsigned i = 0; i < PROBE; i++) {
		int s = (int)((h + i) % SLOTS);
		struct entry *e = &table[s];
		if (!strcmp(e->key, key))
			return s;
		/* a known-good address is remembered far longer than a failure */
		int64_t horizon = e->key[0] == 'k' ? 90 * 86400 : THROTTLE_FORGET;
		if (!e->key[0] || (e->inflight == 0 && now - e->last > horizon)) {
			if (victim < 0 || table[victim].key[0])
				victim = s;
		} else if (e->inflight == 0 && (victim < 0 || (table[victim].key[0] && e->last < table[victim].last))) {
			victim = s;
		}
	}
	if (!create || victim < 0)
		return -1;
	struct entry *e = &table[victim];
	memset(e, 0, sizeof(*e));
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->last = now;
	return victim;
}

/* 0 when the entry lets one more attempt begin, else the seconds to wait. */
static int64_t wait_of(struct entry *e, int free_tries, int64_t now)
{
	if (e->inflight == 0 && e->failures && now - e->last > THROTTLE_FORGET) {
		e->failures = 0;
		e->next_allowed = 0;
	}
	if (e->failures + e->inflight < free_tries)
		return 0;
	/* in back-off: one attempt at a time, and not before its time */
	if (e->inflight == 0 && now >= e->next_allowed)
		return 0;
	return e->next_allowed > now ? e->next_allowed - now : 1;
}

static const int free_tries[3] = { THROTTLE_PAIR_FREE, THROTTLE_ACCOUNT_FREE, THROTTLE_ADDRESS_FREE };

static void keys(const char *account, const char *address, char k[4][200])
{
	snprintf(k[0], 200, "p:%s|%s", account, address);
	snprintf(k[1], 200, "a:%s", account);
	snprintf(k[2], 200, "i:%s", address);
	snprintf(k[3], 200, "k:%s|%s", account, address);
}

int throttle_begin(const char *account, const char *address, int64_t now, struct throttle_ticket *t)
{
	char k[4][200];
	int64_t wait = 0;
	keys(account, address, k);
	pthread_mutex_lock(&lock);
	/* the owner's usual address is spared the account-wide back-off */
	int known = slot(k[3], 0, now) >= 0;
	for (int i = 0; i < 3; i++) {
		t->slots[i] = i == 1 && known ? -1 : slot(k[i], 1, now);
		if (t->slots[i] >= 0) {
			int64_t w = wait_of(&table[t->slots[i]], free_tries[i], now);
			if (w > wait)
				wait = w;
		}
	}
	if (!wait)
		for (int i = 0; i < 3; i++)
			if (t->slots[i] >= 0)
				table[t->slots[i]].inflight++;
	pthread_mutex_unlock(&lock);
	return (int)wait;
}

void throttle_end(const struct throttle_ticket *t, const char *account, const char *address, int64_t now, int ok)
{
	char k[4][200];
	keys(account, address, k);
	pthread_mutex_lock(&lock);
	for (int i = 0; i < 3; i++) {
		struct entry *e = t->slots[i] >= 0 ? &table[t->slots[i]] : NULL;
		if (!e || strcmp(e->key, k[i]))
			continue;
		if (e->inflight > 0)
			e->inflight--;
		if (ok) {
			if (i == 0) { /* the pair starts afresh; the others keep counting */
				e->failures = 0;
				e->next_allowed = 0;
			}
			continue;
		}
		e->failures++;
		e->last = now;
		if (e->failures >= free_tries[i]) {
			int shift = e->failures - free_tries[i];
			int64_t w = shift >= 10 ? THROTTLE_MAX_WAIT : (int64_t)THROTTLE_FIRST_WAIT << shift;
			e->next_allowed = now + (w > THROTTLE_MAX_WAIT ? THROTTLE_MAX_WAIT : w);
		}
	}
	if (ok) {
		int s = slot(k[3], 1, now);
		if (s >= 0)
			table[s].last = now;
	}
	pthread_mutex_unlock(&lock);
}

void throttle_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(table, 0, sizeof(table));
	pthread_mutex_unlock(&lock);
}

int rate_take(const char *key, int64_t now, int max, int window)
{
	char k[200];
	int wait = 0;
	snprintf(k, sizeof(k), "r:%s", key);
	pthread_mutex_lock(&lock);
	int s = slot(k, 1, now);
	if (s < 0) {
		wait = 1; /* the table is full of attempts in flight: later */
	} else {
		struct entry *e = &table[s];
		if (now - e->last >= window) {
			e->last = now;
			e->failures = 0;
		}
		if (e->failures >= max)
			wait = (int)(e->last + window - now > 0 ? e->last + window - now : 1);
		else
			e->failures++;
	}
	pthread_mutex_unlock(&lock);
	return wait;
}
