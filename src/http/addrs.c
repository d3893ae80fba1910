/* Connections per client address (see addrs.h): a hash table of counts,
 * an entry freed when its last connection goes. */
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/addrs.h"

#define BUCKETS 4096

struct addr {
	struct addr *next;
	unsigned char key[17];         /* family byte and the address */
	unsigned count;
};

struct addrs {
	pthread_mutex_t lock;
	struct addr *buckets[BUCKETS];
};

static uint32_t hash(const unsigned char key[17])
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 17; i++)
		h = (h ^ key[i]) * 16777619u;
	return h;
}

unsigned addrs_key(const struct sockaddr_storage *ss, unsigned char key[17])
{
	memset(key, 0, 17);
	if (ss->ss_family == AF_INET6) {
		const unsigned char *a = ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
		if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)a)) { /* an IPv4 client of a [::] listener */
			key[0] = AF_INET;
			memcpy(key + 1, a + 12, 4);
		} else { /* a host is given a /64: it counts as one address */
			key[0] = AF_INET6;
			memcpy(key + 1, a, 8);
		}
	} else {
		key[0] = AF_INET;
		memcpy(key + 1, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	}
	return hash(key);
}

struct addrs *addrs_new(void)
{
	struct addrs *t = calloc(1, sizeof(*t));
	if (t)
		pthread_mutex_init(&t->lock, NULL);
	return t;
}

void addrs_free(struct addrs *t)
{
	if (!t)
		return;
	for (unsigned b = 0; b < BUCKETS; b++)
		while (t->buckets[b]) {
			struct addr *next = t->buckets[b]->next;
			free(t->buckets[b]);
			t->buckets[b] = next;
		}
	pthread_mutex_destroy(&t->lock);
	free(t);
}

struct addr *addrs_take(struct addrs *t, const struct sockaddr_storage *ss, unsigned limit)
{
	unsigned char key[17];
	unsigned b = addrs_key(ss, key) % BUCKETS;
	struct addr *a;
	pthread_mutex_lock(&t->lock);
	for (a = t->buckets[b]; a && memcmp(a->key, key, sizeof(key)); a = a->next)
		;
	if (!a && (a = calloc(1, sizeof(*a)))) {
		memcpy(a->key, key, sizeof(key));
		a->next = t->buckets[b];
		t->buckets[b] = a;
	}
	if (a && limit && a->count >= limit)
		a = NULL; /* it has connections: its entry stays */
	else if (a)
		a->count++;
	pthread_mutex_unlock(&t->lock);
	return a;
}

void addrs_drop(struct addrs *t, struct addr *a)
{
	pthread_mutex_lock(&t->lock);
	if (--a->count == 0)
		for (struct addr **p = &t->buckets[hash(a->key) % BUCKETS]; *p; p = &(*p)->next)
			if (*p == a) {
				*p = a->next;
				free(a);
				break;
			}
	pthread_mutex_unlock(&t->lock);
}
