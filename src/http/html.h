/* Writers that escape by construction: text and attribute values for HTML
 * and XML, and Markdown rendered by cmark in its safe mode (raw HTML and
 * javascript: links are dropped). Output never goes through a raw printf. */
#ifndef ENTENTE_HTML_H
#define ENTENTE_HTML_H

#include "lib/strbuf.h"

void html_text(struct strbuf *sb, const char *s);      /* element content */
void html_attr(struct strbuf *sb, const char *s);      /* inside "..." */
void html_markdown(struct strbuf *sb, const char *md); /* safe HTML */
/* Literal markup written by the program itself (never data). */
#define html_raw(sb, lit) strbuf_addstr((sb), "" lit)

#endif
