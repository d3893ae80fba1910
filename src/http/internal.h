/* Private to src/http/: a request as the loop hands it over, and the
 * response a handler fills. */
#ifndef ENTENTE_HTTP_INTERNAL_H
#define ENTENTE_HTTP_INTERNAL_H

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

/* ---- http/response.c: below the loop, the server and the static files ---- */

/* A request header's value, or NULL (the first when repeated). */
const char *http__header(const struct http_req *q, const char *name);
/* Every line of a request header joined by ", " (RFC 9110 5.3) into sb:
 * sb's text, or NULL when there is none. */
const char *http__header_all(const struct http_req *q, const char *name, struct strbuf *sb);
/* Add a response header; CR and LF in the value are dropped. */
void http__res_header(struct http_res *r, const char *name, const char *value);
/* Set status, Content-Type (may be NULL), Cache-Control (NULL: no-store)
 * and body (taken: freed by the loop). */
void http__res_body(struct http_res *r, int status, const char *type, const char *cache, char *body, size_t len);
/* The reason phrase of a status ("Not Found"). */
const char *http__reason(int status);
/* An RFC 9457 problem for e; instance must be ASCII (a raw path). */
void http__problem(struct http_res *r, const struct err *e, const char *instance);

/* ---- http/static.c ---- */

/* Serve a file below the directory dirfd for the decoded path (GET or
 * HEAD) without following any symbolic link; 404 problem when absent. */
void http__static(struct http_res *r, int dirfd, const char *path, const char *instance);

#endif
