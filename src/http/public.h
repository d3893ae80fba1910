/* Server-rendered public pages (public.c). */
#ifndef ENTENTE_PUBLIC_H
#define ENTENTE_PUBLIC_H

#include <jansson.h>

#include "lib/strbuf.h"

/* Render the reply of a public.* action; returns its Content-Type. base is
 * the site's absolute URL (for the feed). */
const char *http__render(const char *action, json_t *v, const char *base, int atom, struct strbuf *out);
void http__render_missing(struct strbuf *out);
/* A calendar reply ({name, now, events}) as RFC 5545 (ical.c); its Content-Type. */
const char *http__ical(const json_t *v, struct strbuf *out);

#endif
