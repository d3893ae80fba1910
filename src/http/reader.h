/* One connection's incoming bytes and the requests read from them: the
 * connection loop's reading half as a state machine with no I/O, so the
 * fuzzer and the differential test drive the very code the server runs,
 * with the bytes cut anywhere.
 *
 * The invariant (issue 19, part 1): the reader keeps offsets into its
 * buffer, never pointers. The buffer moves when it grows (reader_space),
 * and a parsed head stays true across the move because it is offsets
 * (http/wire.h). Pointers exist only in a reader_view, made on demand from
 * the buffer as it is at that moment; a view is valid until the next
 * reader_space() or reader_consume(), and the loop never reads into a
 * connection's buffer while a request of it is being answered. */
#ifndef ENTENTE_HTTP_READER_H
#define ENTENTE_HTTP_READER_H

#include <stddef.h>
#include <stdint.h>

#include "http/wire.h"

/* What reader_next() found. Statuses >= 400 are refusals. */
enum {
	READ_MORE = 0,      /* the request is not complete: read more */
	READ_HEAD = 1,      /* a head was just parsed and its body is not all here (once per request) */
	READ_REQUEST = 2,   /* a whole request is here: reader_view(), answer, reader_consume() */
};

struct reader {
	char *buf;                 /* malloc'd; NUL-terminated past len */
	size_t len, cap;
	size_t body_limit;         /* the largest body: 413 above it */
	int phase;                 /* head, body, complete */
	size_t scanned;            /* of an incomplete head, see wire_parse_head */
	struct wire_head head;
	size_t body_at;            /* where the body starts in buf */
	struct wire_chunks chunks;
	size_t body_len, consume;  /* of a complete request: its body, and the bytes it used */
	uint64_t body_received;    /* body bytes (as sent, framing included) of the request being read */
	const char *why;           /* what a refusal refused */
	char why_buf[80];
};

/* A reader for requests whose bodies are at most body_limit bytes. */
void reader_init(struct reader *r, size_t body_limit);
void reader_free(struct reader *r);

/* Where the next bytes go: *n >= 1 bytes at the place returned. NULL when
 * the buffer is at its largest (the request in it is being refused) or
 * memory ran out (*n = 0). It may move the buffer. */
char *reader_space(struct reader *r, size_t *n);
/* n bytes were written at the place reader_space() gave. */
void reader_wrote(struct reader *r, size_t n);

/* Go on reading: READ_MORE, READ_HEAD, READ_REQUEST, or a status >= 400
 * (400, 413, 414, 417, 431, 501, 505) with r->why. After READ_HEAD the
 * next call goes on with the body. */
int reader_next(struct reader *r);

/* A request's parts as pointers into the buffer as it is now. */
struct reader_view {
	const char *base;          /* the buffer: wire_str(base, head->...) */
	const struct wire_head *head;
	const char *method, *target, *host;  /* host: NULL when none */
	const char *body;          /* NULL until READ_REQUEST */
	size_t body_len;
};
void reader_view(const struct reader *r, struct reader_view *v);

/* Drop the complete request: what follows it (pipelined) stays. A large
 * buffer left empty is given back. */
void reader_consume(struct reader *r);

/* Bytes held that are not yet a complete request. */
static inline size_t reader_held(const struct reader *r) { return r->len; }
/* Is a body being read (its head parsed, the request not complete)? */
int reader_in_body(const struct reader *r);

#endif
