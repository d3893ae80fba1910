/* Responses, RFC 9457 problems and a request's headers, below the loop,
 * the server and the static files, which all use them (response.c). */
#ifndef ENTENTE_HTTP_RESPONSE_H
#define ENTENTE_HTTP_RESPONSE_H

#include "http/request.h"

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

#endif
