#include "http/html.h"

#include <cmark.h>
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
	/* CMARK_OPT_DEFAULT is safe in cmark >= 0.29: no raw HTML, no
	 * javascript:, vbscript:, file: or data: (but images) links */
	char *out = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	if (out)
		strbuf_addstr(sb, out);
	free(out);
}
