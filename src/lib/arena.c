#include "lib/arena.h"

#include <stdlib.h>
#include <string.h>

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct arena_defer {
	struct arena_defer *next;
	void (*fn)(void *);
	void *p;
};

#define BLOCK_SIZE 8192

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct arena_block *b = a->blocks;
	if (!b || b->size - b->used < n) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
		b = malloc(sizeof(*b) + size);
		if (!b)
			abort();
		b->used = 0;
		b->size = size;
		b->next = a->blocks;
		a->blocks = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void *arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct arena_defer *d = malloc(sizeof(*d));
	if (!d)
		abort();
	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
	return p;
}

void arena_release(struct arena *a)
{
	while (a->defers) {
		struct arena_defer *d = a->defers;
		a->defers = d->next;
		d->fn(d->p);
		free(d);
	}
	while (a->blocks) {
		struct arena_block *b = a->blocks;
		a->blocks = b->next;
		free(b);
	}
}
