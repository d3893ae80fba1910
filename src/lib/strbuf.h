/* A growing string. buf is never NULL (it points at a static "" until the
 * first write); strbuf_detach() is the only way to take ownership of it. */
#ifndef ENTENTE_STRBUF_H
#define ENTENTE_STRBUF_H

#include <stddef.h>

struct strbuf {
	size_t len, alloc;
	char *buf;
};

extern char strbuf_empty[];
#define STRBUF_INIT { 0, 0, strbuf_empty }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);      /* frees contents, re-inits */
char *strbuf_detach(struct strbuf *sb);      /* caller frees; sb re-inited */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);

#endif
