/* Requests and responses as the loop, the server and the static files
 * share them (declared in http/response.h): a request's header, a
 * response's headers and body, and RFC 9457 problems. Below all three:
 * it calls none of them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/response.h"

const char *http__header(const struct http_req *q, const char *name)
{
	for (size_t i = 0; i < q->head->nheaders; i++)
		if (!strcasecmp(wire_str(q->base, q->head->headers[i].name), name))
			return wire_str(q->base, q->head->headers[i].value);
	return NULL;
}

const char *http__header_all(const struct http_req *q, const char *name, struct strbuf *sb)
{
	int n = 0;
	for (size_t i = 0; i < q->head->nheaders; i++) {
		if (strcasecmp(wire_str(q->base, q->head->headers[i].name), name))
			continue;
		if (n++)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, wire_str(q->base, q->head->headers[i].value));
	}
	return n ? sb->buf : NULL;
}

void http__res_header(struct http_res *r, const char *name, const char *value)
{
	strbuf_addstr(&r->headers, name);
	strbuf_addstr(&r->headers, ": ");
	for (const char *p = value; *p; p++)
		if (*p != '\r' && *p != '\n') /* nothing reaches a header that could split it */
			strbuf_addch(&r->headers, *p);
	strbuf_addstr(&r->headers, "\r\n");
}

void http__res_body(struct http_res *r, int status, const char *type, const char *cache, char *body, size_t len)
{
	r->status = status;
	free(r->body);
	r->body = body;
	r->len = body ? len : 0;
	if (type)
		http__res_header(r, "Content-Type", type);
	http__res_header(r, "X-Content-Type-Options", "nosniff");
	http__res_header(r, "Cache-Control", cache ? cache : "no-store");
}

void http__problem(struct http_res *r, const struct err *e, const char *instance)
{
	int status = err_status(e->code);
	const char *rule = err_rule_of(e);
	char type[96];
	snprintf(type, sizeof(type), "urn:entente:problem:%s", err_name(e->code));
	json_t *p = json_pack("{ss ss si}", "type", type, "title", err_title(e->code), "status", status);
	/* the instance is the path as sent: ASCII; anything else is dropped
	 * rather than risk a response that cannot be encoded */
	json_t *inst = json_string(instance ? instance : "");
	json_object_set_new(p, "instance", inst ? inst : json_string(""));
	if (e->detail[0])
		json_object_set_new(p, "detail", json_string(e->detail));
	if (e->field[0])
		json_object_set_new(p, "field", json_string(e->field));
	if (rule)
		json_object_set_new(p, "rule", json_string(rule));
	char *text = json_dumps(p, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(p);
	if (!text) /* a string that is not UTF-8 slipped in: still answer */
		text = strdup("{\"title\":\"Internal error\",\"status\":500}"), status = 500;
	strbuf_reset(&r->headers);
	http__res_body(r, status, "application/problem+json", NULL, text, text ? strlen(text) : 0);
	if (status == 401)
		http__res_header(r, "WWW-Authenticate", "Bearer realm=\"entente\"");
	/* busy, or the storage refusing writes (issue 23): when to try again */
	if (status == 503)
		http__res_header(r, "Retry-After", !strcmp(e->field, "storage") ? "60" : "5");
}

const char *http__reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Status";
	}
}
