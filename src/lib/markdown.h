/* Markdown to HTML with cmark in its safe mode: raw HTML is dropped and
 * javascript:, vbscript:, file: and data: links are removed. */
#ifndef ENTENTE_MARKDOWN_H
#define ENTENTE_MARKDOWN_H

/* A new string the caller frees; NULL when out of memory. */
char *markdown_html(const char *md);

#endif
