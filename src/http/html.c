#include "http/html.h"
#include "lib/markdown.h"

#include <stdlib.h>
#include <string.h>

static void escape(struct strbuf *sb, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '\'': strbuf_addstr(sb, "&#39;"); break;
		default: strbuf_addch(sb, *s);
		}
	}
}

void html_text(struct strbuf *sb, const char *s) { escape(sb, s); }
void html_attr(struct strbuf *sb, const char *s) { escape(sb, s); }

void html_markdown(struct strbuf *sb, const char *md)
{
	if (!md || !*md)
		return;
	char *out = markdown_html(md);
	if (out)
		strbuf_addstr(sb, out);
	free(out);
}
