/* Serialized replies of reading actions, kept while nothing has changed.
 *
 * A page (a WR document's JSON, a public page's HTML) is valid for the
 * database state it was built from. Every change made through the door
 * appends one audit event, and a trigger gives the database a new random
 * stamp with it (migration m4_stamps); the stamp read in the call's own
 * snapshot names that state, in this process or any other (the CLI writing
 * while the server runs): the generation. A second stamp changes only with
 * who people are (people, organizations, roles, seats, credentials), so a
 * person's actor and credentials stay kept while votes pour in. Random,
 * not counted: a change rolled back (a savepoint in a batch, a batch whose
 * commit failed) never leaves its stamp to a later, different state, so
 * what a call of a batch keeps is safe. A page also depends on the date (an
 * owner whose Alliance Committee seat ended yesterday is flagged today,
 * R1), so the date is part of its validity.
 *
 * Authorization is never cached: the door checks the actor's grants on
 * every call and only then asks for a page, so a page is shared by all
 * who may read it (actions whose reply does not depend on who asks). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/cache.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"

#define PAGE_SLOTS 1024
#define PAGE_BUDGET (8u << 20) /* bytes held in all, at most */
#define PAGE_MAX (512u << 10)  /* a larger reply is not kept */

struct core_page {
	atomic_uint refs;
	int64_t generation;
	char today[11];
	char key[CORE_CACHE_KEY];
	int status;
	int64_t revision;
	char *type;
	size_t len;
	char bytes[]; /* len bytes and a NUL */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct core_page *slots[PAGE_SLOTS];
static size_t held;
static atomic_ulong hits, misses;

static unsigned slot_of(const char *key)
{
	uint32_t h = 2166136261u;
	for (const char *k = key; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h % PAGE_SLOTS;
}

/* Actors, by person: who they are, their officer roles and seats, as the
 * door loaded them at a people stamp and date. Four to six statements a
 * call fewer. */
#define ACTOR_SLOTS 256
struct kept_actor {
	int64_t generation;
	char today[11];
	struct actor actor; /* seats: shared, never changed once kept */
};
static struct kept_actor *actors[ACTOR_SLOTS];

/* Rows by key ("token|<hash>", "wr|<id>"), at a stamp and date: the
 * lookups every call repeats. Shared and never changed once kept. */
#define ROW_SLOTS 512
struct kept_row {
	int64_t generation;
	char today[11];
	char key[80];
	json_t *row;
};
static struct kept_row *rows[ROW_SLOTS];


static void page_unref(struct core_page *p)
{
	if (p && atomic_fetch_sub(&p->refs, 1) == 1) {
		free(p->type);
		free(p);
	}
}

void core_page_release(const struct core_page *p) { page_unref((struct core_page *)p); }

const char *core_page_bytes(const struct core_page *p, size_t *len, const char **type)
{
	*len = p->len;
	*type = p->type;
	return p->bytes;
}

/* The page for key if it was built at this generation on this date. */
static const struct core_page *cache_get(const char *key, int64_t generation, const char *today)
{
	struct core_page *p;
	pthread_mutex_lock(&lock);
	p = slots[slot_of(key)];
	if (p && (p->generation != generation || strcmp(p->today, today) || strcmp(p->key, key)))
		p = NULL;
	if (p)
		atomic_fetch_add(&p->refs, 1);
	pthread_mutex_unlock(&lock);
	atomic_fetch_add(p ? &hits : &misses, 1);
	return p;
}

/* Keep the bytes the caller made of a reply that the door marked
 * cacheable (a miss); it takes the place of the page before it. */
void core_cache_put(const struct reply *r, const char *type, const char *bytes, size_t len)
{
	struct core_page *p, *old;
	unsigned slot;
	if (!r->cache_key[0] || len > PAGE_MAX || !(p = malloc(sizeof(*p) + len + 1)))
		return;
	atomic_init(&p->refs, 1);
	p->generation = r->generation;
	snprintf(p->today, sizeof(p->today), "%s", r->today);
	snprintf(p->key, sizeof(p->key), "%s", r->cache_key);
	p->status = r->status ? r->status : 200;
	p->revision = r->revision;
	p->type = strdup(type ? type : "");
	p->len = len;
	memcpy(p->bytes, bytes, len);
	p->bytes[len] = '\0';
	if (!p->type) {
		free(p);
		return;
	}
	slot = slot_of(p->key);
	pthread_mutex_lock(&lock);
	old = slots[slot];
	if (old)
		held -= old->len;
	/* over the budget: let the other pages go (they are rebuilt on demand) */
	for (unsigned i = 0; held + len > PAGE_BUDGET && i < PAGE_SLOTS; i++)
		if (slots[i] && i != slot) {
			held -= slots[i]->len;
			page_unref(slots[i]);
			slots[i] = NULL;
		}
	slots[slot] = p;
	held += len;
	pthread_mutex_unlock(&lock);
	page_unref(old);
}

void core_cache_stats(unsigned long *hit, unsigned long *miss, size_t *bytes)
{
	*hit = atomic_load(&hits);
	*miss = atomic_load(&misses);
	pthread_mutex_lock(&lock);
	*bytes = held;
	pthread_mutex_unlock(&lock);
}



json_t *core__row_kept(struct ctx *x, const char *key, int64_t stamp)
{
	struct kept_row *k;
	json_t *row = NULL;
	pthread_mutex_lock(&lock);
	k = rows[slot_of(key) % ROW_SLOTS];
	if (k && k->generation == stamp && !strcmp(k->today, x->today) && !strcmp(k->key, key))
		row = json_incref(k->row);
	pthread_mutex_unlock(&lock);
	return row;
}

void core__row_keep(struct ctx *x, const char *key, int64_t stamp, json_t *row)
{
	struct kept_row *k, *old;
	unsigned slot = slot_of(key) % ROW_SLOTS;
	if (strlen(key) >= sizeof(k->key) || !(k = malloc(sizeof(*k))))
		return;
	k->generation = stamp;
	snprintf(k->today, sizeof(k->today), "%s", x->today);
	snprintf(k->key, sizeof(k->key), "%s", key);
	k->row = json_incref(row);
	pthread_mutex_lock(&lock);
	old = rows[slot];
	rows[slot] = k;
	pthread_mutex_unlock(&lock);
	if (old) {
		json_decref(old->row);
		free(old);
	}
}

int core__actor_kept(struct ctx *x)
{
	struct kept_actor *k;
	int found = 0;
	pthread_mutex_lock(&lock);
	k = actors[(uint64_t)x->call->person_id % ACTOR_SLOTS];
	if (k && k->actor.person_id == x->call->person_id && k->generation == x->people_stamp && !strcmp(k->today, x->today)) {
		x->actor = k->actor;
		json_incref(x->actor.seats);
		found = 1;
	}
	pthread_mutex_unlock(&lock);
	return found;
}

void core__actor_keep(struct ctx *x)
{
	struct kept_actor *k, *old;
	unsigned slot = (unsigned)((uint64_t)x->actor.person_id % ACTOR_SLOTS);
	if (!(k = malloc(sizeof(*k))))
		return;
	k->generation = x->people_stamp;
	snprintf(k->today, sizeof(k->today), "%s", x->today);
	k->actor = x->actor;
	json_incref(k->actor.seats);
	pthread_mutex_lock(&lock);
	old = actors[slot];
	actors[slot] = k;
	pthread_mutex_unlock(&lock);
	if (old) {
		json_decref(old->actor.seats);
		free(old);
	}
}

/* The door's side: a reading action flagged A_CACHE, whose grants passed.
 * Answers 1 with the page in the reply (a hit), 0 with the reply marked so
 * that its caller may keep what it makes of it (a miss), -1 on error. */
int core__cache_lookup(struct ctx *x, struct err *e)
{
	struct reply *r = x->reply;
	int64_t generation = x->generation;
	char viewer[40] = "";
	char *params = x->call->params ? json_dumps(x->call->params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	(void)e;
	if (x->info->flags & A_VARY_PERSON)
		snprintf(viewer, sizeof(viewer), "person %lld", (long long)x->actor.person_id);
	else if (x->info->flags & A_VARY_ORG)
		snprintf(viewer, sizeof(viewer), x->actor.staff || x->actor.system ? "staff" : "org %lld",
			 (long long)x->actor.org_id);
	/* the key: the action, its parameters, the viewer and how the caller
	 * renders it; a key too long to keep whole is not kept (two would
	 * share a prefix) */
	int n = snprintf(r->cache_key, sizeof(r->cache_key), "%s|%s|%s|%s", x->info->name, params ? params : "{}", viewer,
			 x->call->render ? x->call->render : "");
	free(params);
	if (n < 0 || (size_t)n >= sizeof(r->cache_key)) {
		r->cache_key[0] = '\0';
		return 0;
	}
	r->generation = generation;
	snprintf(r->today, sizeof(r->today), "%s", x->today);
	if (!(r->page = cache_get(r->cache_key, generation, x->today)))
		return 0;
	r->status = r->page->status;
	r->revision = r->page->revision;
	r->cache_key[0] = '\0'; /* nothing to keep */
	return 1;
}

void core_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < PAGE_SLOTS; i++) {
		page_unref(slots[i]);
		slots[i] = NULL;
	}
	for (unsigned i = 0; i < ROW_SLOTS; i++) {
		if (rows[i])
			json_decref(rows[i]->row);
		free(rows[i]);
		rows[i] = NULL;
	}
	for (unsigned i = 0; i < ACTOR_SLOTS; i++) {
		if (actors[i])
			json_decref(actors[i]->actor.seats);
		free(actors[i]);
		actors[i] = NULL;
	}
	held = 0;
	pthread_mutex_unlock(&lock);
}
