/* A per-request arena: allocations and deferred destructors that all go
 * away with arena_release(). Nothing allocated from it is freed alone. */
#ifndef ENTENTE_ARENA_H
#define ENTENTE_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena_defer;

struct arena {
	struct arena_block *blocks;
	struct arena_defer *defers;
};

#define ARENA_INIT { NULL, NULL }

void *arena_alloc(struct arena *a, size_t n);           /* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Run fn(p) at release, in reverse order of registration. Returns p. */
void *arena_defer(struct arena *a, void (*fn)(void *), void *p);
void arena_release(struct arena *a);                     /* frees all, re-inits */

#endif
