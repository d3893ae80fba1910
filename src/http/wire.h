/* HTTP/1.1 on the wire (RFC 9112), strictly: the request head and the
 * chunked body. Pure functions over a buffer, no I/O, so they can be
 * fuzzed. Anything ambiguous is refused rather than interpreted: request
 * smuggling lives in the gap between two lenient parsers. */
#ifndef ENTENTE_HTTP_WIRE_H
#define ENTENTE_HTTP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_MAX_HEAD    16384u  /* request line and headers together: 431 above */
#define WIRE_MAX_TARGET  8192u   /* 414 above */
#define WIRE_MAX_HEADERS 100u    /* 431 above */

/* A parsed head holds offsets into the buffer it was parsed from, never
 * pointers: the buffer may move (it grows as the body arrives) and a
 * parsed head stays true across the move. wire_str(buf, off) is the
 * NUL-terminated string at an offset, in the buffer as it is now. */
struct wire_header {
	uint32_t name, value;      /* offsets of NUL-terminated strings */
};

static inline const char *wire_str(const char *buf, uint32_t off) { return buf + off; }

struct wire_head {
	uint32_t method;           /* token */
	uint32_t target;           /* origin-form ("/a%20b?x=1"), ASCII; an absolute-form
				    * target ("http://host/p") is rewritten in place to its path */
	uint32_t host;             /* the target's authority when absolute-form (RFC 9112
				    * 3.2.2: it wins over Host), else the Host header's value */
	int has_host;
	int minor;                 /* HTTP/1.<minor>: 0 or 1 */
	struct wire_header headers[WIRE_MAX_HEADERS];
	size_t nheaders;
	uint64_t content_length;   /* 0 when absent */
	int chunked;               /* Transfer-Encoding: chunked */
	int keep_alive;            /* from the version and Connection (HTTP/1.0: only when asked) */
	int expect_continue;       /* Expect: 100-continue */
	size_t head_len;           /* bytes of the head, CRLFCRLF included */
};

/* Parse a request head at the start of buf (len bytes). Once the head is
 * complete its lines are NUL-terminated in place, so buf is modified; an
 * incomplete head is left as it is. *scanned (0 at first) remembers how
 * far an incomplete head was searched, so bytes arriving one at a time
 * cost linear time. Returns 1 when a head was parsed (h filled), 0 when
 * more bytes are needed, or the HTTP status to refuse it with (400, 414,
 * 417, 431, 501, 505); *why then says what was wrong, for the detail. */
int wire_parse_head(char *buf, size_t len, size_t *scanned, struct wire_head *h, const char **why);

/* The state of a chunked body being decoded in place. */
struct wire_chunks {
	int state;
	uint64_t left;      /* bytes left in the current chunk */
	size_t out;         /* decoded bytes so far (at the start of the buffer) */
	size_t in;          /* bytes of the buffer consumed so far */
	size_t line;        /* length of the size or trailer line being read */
	unsigned digits;    /* of the chunk size; then the trailer fields seen */
	char name[24];      /* the start of a trailer field's name, lower case */
	int in_value;       /* past the trailer field's colon */
};

/* Decode the chunked body in buf[0..len) in place: the data moves to
 * buf[0..c->out). Call again with more bytes appended (len grows); returns
 * 1 when the last chunk and trailers ended (c->in is then the end of the
 * message in buf), 0 for more, or 400 with *why. limit caps the decoded
 * size: 413 above it. Trailer fields are parsed as header fields (a token,
 * a colon, a value without control characters; no folding) and dropped;
 * one that is malformed, or that names a framing field (Content-Length,
 * Transfer-Encoding, Host), is refused: bytes after the last chunk that
 * are not fields (a hidden request) never pass as trailers. */
int wire_dechunk(char *buf, size_t len, struct wire_chunks *c, uint64_t limit, const char **why);

/* Percent-decode src (n bytes) into dst (at least n+1 bytes), NUL-ended;
 * plus becomes a space when form is set (query strings). Returns the
 * decoded length, or -1 for a bad escape or a NUL byte. */
long wire_unescape(const char *src, size_t n, char *dst, int form);

#endif
