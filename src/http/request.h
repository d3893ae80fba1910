/* Private to src/http/: a request as the loop hands it over, and the
 * response a handler fills (the loop frees its body). */
#ifndef ENTENTE_HTTP_REQUEST_H
#define ENTENTE_HTTP_REQUEST_H

#include <stddef.h>

#include "http/wire.h"
#include "lib/err.h"
#include "lib/strbuf.h"

struct http_req {
	const char *method;
	const char *target;        /* as sent: ASCII, percent-encoded */
	const char *path;          /* percent-decoded; may hold bytes that are not UTF-8 */
	const char *raw_path;      /* the target's path as sent (ASCII): safe to echo */
	const char *query;         /* after '?', still encoded, or "" */
	const char *base;          /* the buffer the head's offsets are into: wire_str(base, head->...) */
	const struct wire_head *head;
	const char *body;
	size_t body_len;
	const char *peer;          /* the client's numeric address */
	int is_head;               /* HEAD: the loop sends the headers of GET only */
};

struct http_res {
	int status;
	struct strbuf headers;     /* "Name: value\r\n" lines, CR and LF stripped from values */
	char *body;                /* malloc'd; the loop frees it */
	size_t len;
	int close;                 /* close the connection after this response */
};

#endif
