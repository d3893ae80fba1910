#include "lib/markdown.h"

#include <cmark.h>
#include <string.h>

char *markdown_html(const char *md)
{
	/* CMARK_OPT_DEFAULT is safe since cmark 0.29 (CMARK_OPT_UNSAFE is the opt-in) */
	return cmark_markdown_to_html(md ? md : "", md ? strlen(md) : 0, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
}
