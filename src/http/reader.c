/* The reading half of a connection (see reader.h): bytes in, requests
 * out, the parsed head kept as offsets so the buffer may grow under it. */
#include "http/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P_HEAD, P_BODY, P_DONE };

void reader_init(struct reader *r, size_t body_limit)
{
	memset(r, 0, sizeof(*r));
	r->body_limit = body_limit;
	r->why = "";
}

void reader_free(struct reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = 0;
}

char *reader_space(struct reader *r, size_t *n)
{
	/* a head and a body at their limits, and a little of what follows */
	size_t max = WIRE_MAX_HEAD + r->body_limit + 64;
	*n = 0;
	if (r->len == r->cap) {
		if (r->cap >= max)
			return NULL; /* the parser refuses what is too large */
		size_t ncap = r->cap ? r->cap * 2 : 4096;
		if (ncap > max)
			ncap = max;
		char *nb = realloc(r->buf, ncap + 1); /* the head is offsets: it survives the move */
		if (!nb)
			return NULL;
		r->buf = nb;
		r->cap = ncap;
	}
	*n = r->cap - r->len;
	return r->buf + r->len;
}

void reader_wrote(struct reader *r, size_t n)
{
	r->len += n;
	r->buf[r->len] = '\0';
	if (r->phase == P_BODY)
		r->body_received += n;
}

/* The request is complete: its body is buf[body_at..+body_len), and it
 * used the first consume bytes. */
static int complete(struct reader *r, size_t body_len, size_t consume)
{
	r->phase = P_DONE;
	r->body_len = body_len;
	r->consume = consume;
	return READ_REQUEST;
}

int reader_next(struct reader *r)
{
	int fresh = 0, s;
	if (r->phase == P_DONE)
		return READ_REQUEST;
	if (r->phase == P_HEAD) {
		if (!r->len)
			return READ_MORE;
		s = wire_parse_head(r->buf, r->len, &r->scanned, &r->head, &r->why);
		if (s != 1)
			return s;
		r->body_at = r->head.head_len;
		if (r->head.content_length > r->body_limit) { /* 413 before reading any of it */
			snprintf(r->why_buf, sizeof(r->why_buf), "the limit is %zu bytes", r->body_limit);
			r->why = r->why_buf;
			return 413;
		}
		r->phase = P_BODY;
		r->body_received = r->len - r->body_at;
		fresh = 1;
	}
	if (r->head.chunked) {
		struct wire_chunks *k = &r->chunks;
		char *b = r->buf + r->body_at;
		s = wire_dechunk(b, r->len - r->body_at, k, r->body_limit, &r->why);
		if (s > 1)
			return s;
		if (s == 1) /* the decoded body sits before the end; both go */
			return complete(r, k->out, r->body_at + k->in);
		/* drop the framing already decoded, so the buffer holds the body
		 * and the undecoded rest only: its size stays within the limit */
		memmove(b + k->out, b + k->in, r->len - r->body_at - k->in);
		r->len -= k->in - k->out;
		r->buf[r->len] = '\0';
		k->in = k->out;
		return fresh ? READ_HEAD : READ_MORE;
	}
	if (r->len - r->body_at >= r->head.content_length)
		return complete(r, (size_t)r->head.content_length, r->body_at + (size_t)r->head.content_length);
	return fresh ? READ_HEAD : READ_MORE;
}

void reader_view(const struct reader *r, struct reader_view *v)
{
	const struct wire_head *h = &r->head;
	v->base = r->buf;
	v->head = h;
	v->method = wire_str(r->buf, h->method);
	v->target = wire_str(r->buf, h->target);
	v->host = h->has_host ? wire_str(r->buf, h->host) : NULL;
	v->body = r->phase == P_DONE ? r->buf + r->body_at : NULL;
	v->body_len = r->phase == P_DONE ? r->body_len : 0;
}

void reader_consume(struct reader *r)
{
	size_t n = r->phase == P_DONE ? r->consume : 0;
	memmove(r->buf, r->buf + n, r->len - n);
	r->len -= n;
	if (r->buf)
		r->buf[r->len] = '\0';
	memset(&r->head, 0, sizeof(r->head));
	memset(&r->chunks, 0, sizeof(r->chunks));
	r->phase = P_HEAD;
	r->scanned = 0;
	r->body_at = r->body_len = r->consume = 0;
	r->body_received = 0;
	r->why = "";
	if (!r->len && r->cap > 8192) /* a large buffer is not kept while idle */
		reader_free(r);
}

int reader_in_body(const struct reader *r) { return r->phase == P_BODY; }
