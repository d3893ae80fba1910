/* Strict HTTP/1.1 request framing (RFC 9112). Every case below that a
 * lenient parser would "repair" is refused with 400 instead, because the
 * repair is where two parsers on one path disagree about where a request
 * ends (request smuggling): duplicate or malformed Content-Length, any
 * Transfer-Encoding but a lone "chunked", both framings at once,
 * whitespace before a colon, folded lines, bare CR or LF, a missing or
 * repeated Host. */
#include "http/wire.h"

#include <string.h>
#include <strings.h>

#define FAIL(status, text) do { *why = (text); return (status); } while (0)

static int is_tchar(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return 1;
	return ch && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

static int lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch; }

/* Does the comma-separated list v contain token t? */
static int list_has(const char *v, const char *t)
{
	size_t n = strlen(t);
	while (*v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		const char *s = v;
		while (*v && *v != ',')
			v++;
		const char *e = v;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - s) == n && !strncasecmp(s, t, n))
			return 1;
	}
	return 0;
}

static int valid_host(const char *v)
{
	for (; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') || (*v >= '0' && *v <= '9') || strchr(".-:[]_", *v)))
			return 0;
	return 1;
}

/* An absolute-form target ("http://host:8080/p?q", RFC 9112 3.2.2),
 * rewritten in place within its own bytes as the authority, a NUL, and
 * the origin-form path ("/" when it had none), so the rest of the server
 * sees one form only. t is NUL-terminated. */
static int absolute_form(char *buf, char *t, struct wire_head *h, const char **why)
{
	size_t scheme = !strncasecmp(t, "http://", 7) ? 7 : !strncasecmp(t, "https://", 8) ? 8 : 0;
	if (!scheme)
		FAIL(400, "the request target must be a path or an http(s) URI");
	char *auth = t + scheme, *path = auth + strcspn(auth, "/?");
	size_t alen = (size_t)(path - auth), plen = strlen(path);
	if (!alen || memchr(auth, '@', alen))
		FAIL(400, "the request target's authority is missing or has user information");
	/* authority + NUL + path + NUL fits in scheme + authority + path + the NUL
	 * that ended the target, as scheme >= 7: both move left */
	memmove(t, auth, alen);
	t[alen] = '\0';
	char *np = t + alen + 1;
	if (*path == '/') {
		memmove(np, path, plen + 1);
	} else { /* no path, or only a query: the path is "/" */
		memmove(np + 1, path, plen + 1);
		np[0] = '/';
	}
	if (!valid_host(t))
		FAIL(400, "malformed host in the request target");
	h->host = (uint32_t)(t - buf);
	h->has_host = 2; /* from the target */
	h->target = (uint32_t)(np - buf);
	return 0;
}

static int parse_request_line(char *buf, char *line, struct wire_head *h, const char **why)
{
	char *sp1 = strchr(line, ' '), *sp2;
	if (!sp1 || sp1 == line)
		FAIL(400, "malformed request line");
	for (char *p = line; p < sp1; p++)
		if (!is_tchar((unsigned char)*p))
			FAIL(400, "the method is not a token");
	if (sp1 - line > 20)
		FAIL(501, "unknown method");
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2 || sp2 == sp1 + 1)
		FAIL(400, "malformed request line");
	if ((size_t)(sp2 - sp1 - 1) > WIRE_MAX_TARGET)
		FAIL(414, "the request target is too long");
	for (char *p = sp1 + 1; p < sp2; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '#')
			FAIL(400, "the request target has a character that must be percent-encoded");
	const char *v = sp2 + 1;
	if (!strcmp(v, "HTTP/1.1"))
		h->minor = 1;
	else if (!strcmp(v, "HTTP/1.0"))
		h->minor = 0;
	else if (!strncmp(v, "HTTP/", 5) && v[5] >= '0' && v[5] <= '9' && v[6] == '.' && v[7] >= '0' && v[7] <= '9' && !v[8])
		FAIL(505, "only HTTP/1.0 and HTTP/1.1 are served");
	else
		FAIL(400, "malformed HTTP version");
	*sp1 = *sp2 = '\0';
	h->method = (uint32_t)(line - buf);
	h->target = (uint32_t)(sp1 + 1 - buf);
	/* origin-form, absolute-form (which a server must accept), and
	 * asterisk-form for OPTIONS; authority-form is CONNECT's, and this
	 * server is nobody's proxy */
	if (sp1[1] == '/' || (!strcmp(sp1 + 1, "*") && !strcmp(line, "OPTIONS")))
		return 0;
	return absolute_form(buf, sp1 + 1, h, why);
}

/* Split "Name: value" in place; the value loses its surrounding OWS. */
static int parse_field(char *buf, char *line, struct wire_header *f, const char **why)
{
	char *colon = line;
	if (*line == ' ' || *line == '\t')
		FAIL(400, "folded header lines are not accepted");
	while (is_tchar((unsigned char)*colon))
		colon++;
	if (colon == line || *colon != ':')
		FAIL(400, *colon == ' ' || *colon == '\t' ? "whitespace before a header's colon" : "malformed header name");
	*colon = '\0';
	char *v = colon + 1, *end;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	for (unsigned char *p = (unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			FAIL(400, "a control character in a header value");
	f->name = (uint32_t)(line - buf);
	f->value = (uint32_t)(v - buf);
	return 0;
}

/* What the framing headers say; each may appear once. */
static int interpret(const char *buf, struct wire_head *h, const char **why)
{
	int hosts = 0, lengths = 0, encodings = 0, keep = h->minor == 1;
	for (size_t i = 0; i < h->nheaders; i++) {
		const char *n = wire_str(buf, h->headers[i].name), *v = wire_str(buf, h->headers[i].value);
		if (!strcasecmp(n, "Content-Length")) {
			uint64_t x = 0;
			size_t digits = 0;
			if (lengths++)
				FAIL(400, "more than one Content-Length");
			for (const char *p = v; *p; p++, digits++) {
				if (*p < '0' || *p > '9')
					FAIL(400, "Content-Length is not a number");
				x = x * 10 + (uint64_t)(*p - '0');
			}
			if (!digits || digits > 18)
				FAIL(400, "Content-Length is not a number");
			h->content_length = x;
		} else if (!strcasecmp(n, "Transfer-Encoding")) {
			if (encodings++)
				FAIL(400, "more than one Transfer-Encoding");
			if (strcasecmp(v, "chunked"))
				FAIL(400, "the only transfer coding accepted is chunked");
			h->chunked = 1;
		} else if (!strcasecmp(n, "Host")) {
			if (hosts++)
				FAIL(400, "more than one Host");
			if (!valid_host(v))
				FAIL(400, "malformed Host");
			if (!h->has_host) { /* an absolute-form target's authority wins */
				h->host = h->headers[i].value;
				h->has_host = 1;
			}
		} else if (!strcasecmp(n, "Connection")) {
			if (list_has(v, "close"))
				keep = 0;
			else if (list_has(v, "keep-alive"))
				keep = 1;
		} else if (!strcasecmp(n, "Expect")) {
			if (strcasecmp(v, "100-continue"))
				FAIL(417, "the only expectation met is 100-continue");
			h->expect_continue = 1;
		}
	}
	if (lengths && encodings)
		FAIL(400, "both Content-Length and Transfer-Encoding");
	if (encodings && h->minor == 0)
		FAIL(400, "Transfer-Encoding in an HTTP/1.0 request");
	if (h->minor == 1 && !hosts)
		FAIL(400, "an HTTP/1.1 request needs a Host header");
	h->keep_alive = keep;
	return 0;
}

/* Find the end of the head without changing anything, refusing bad line
 * ends as soon as they arrive. *scanned: bytes already seen. */
static int find_end(const char *buf, size_t len, size_t *scanned, size_t *end, const char **why)
{
	size_t limit = len < WIRE_MAX_HEAD ? len : WIRE_MAX_HEAD;
	for (size_t i = *scanned; i < limit; i++) {
		if (buf[i] == '\0')
			FAIL(400, "a NUL byte in the request head");
		if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r'))
			FAIL(400, "a line ended by LF without CR");
		if (buf[i] == '\r' && i + 1 < len && buf[i + 1] != '\n')
			FAIL(400, "a CR not followed by LF");
		/* RFC 9112 2.2 lets a server skip empty lines before the request
		 * line; other parsers on the path refuse them (h11), and two
		 * parsers that count a connection's requests differently is how
		 * smuggling begins: refused (tests/diff) */
		if (i == 0 && (buf[0] == '\r' || buf[0] == '\n'))
			FAIL(400, "an empty line before the request line");
		/* the end: an empty line */
		if (buf[i] == '\n' && i >= 3 && buf[i - 2] == '\n') {
			*end = i + 1;
			return 1;
		}
	}
	*scanned = limit > 3 ? limit - 3 : 0; /* a CRLFCRLF may straddle the next read */
	if (len >= WIRE_MAX_HEAD)
		FAIL(memchr(buf, '\n', limit) ? 431 : 414,
		     memchr(buf, '\n', limit) ? "the request head is too large" : "the request line is too long");
	return 0;
}

int wire_parse_head(char *buf, size_t len, size_t *scanned, struct wire_head *h, const char **why)
{
	size_t pos = 0, lines = 0, end = 0;
	int r;
	memset(h, 0, sizeof(*h));
	*why = "";
	if ((r = find_end(buf, len, scanned, &end, why)) != 1)
		return r;
	while (pos < end) {
		char *line = buf + pos, *cr = memchr(line, '\r', end - pos);
		*cr = '\0';
		pos = (size_t)(cr - buf) + 2;
		if (!*line) { /* the empty line */
			h->head_len = pos;
			return (r = interpret(buf, h, why)) ? r : 1;
		}
		if (!lines++) {
			if ((r = parse_request_line(buf, line, h, why)))
				return r;
			continue;
		}
		if (h->nheaders == WIRE_MAX_HEADERS)
			FAIL(431, "too many header fields");
		if ((r = parse_field(buf, line, &h->headers[h->nheaders], why)))
			return r;
		h->nheaders++;
	}
	FAIL(400, "malformed request head"); /* not reached: find_end saw the empty line */
}

enum { C_SIZE, C_EXT, C_SIZE_LF, C_DATA, C_DATA_CR, C_DATA_LF, C_TRAILER, C_TRAILER_LF, C_DONE };

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = lower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

int wire_dechunk(char *buf, size_t len, struct wire_chunks *c, uint64_t limit, const char **why)
{
	*why = "";
	while (c->in < len && c->state != C_DONE) {
		unsigned char ch = (unsigned char)buf[c->in];
		switch (c->state) {
		case C_SIZE:
			if (hexval(ch) >= 0) {
				if (++c->digits > 16)
					FAIL(400, "a chunk size too long");
				c->left = c->left * 16 + (uint64_t)hexval(ch);
			} else if (!c->digits) {
				FAIL(400, "a chunk without a size");
			} else if (ch == ';') { /* no white space before it: h11 and llhttp refuse it too */
				c->state = C_EXT;
			} else if (ch == '\r') {
				c->state = C_SIZE_LF;
			} else {
				FAIL(400, "a malformed chunk size");
			}
			if (c->left > limit || c->out + c->left > limit)
				FAIL(413, "the body is too large");
			c->in++;
			break;
		case C_EXT: /* chunk extensions are read and ignored */
			if (ch == '\r')
				c->state = C_SIZE_LF;
			else if ((ch < 0x20 && ch != '\t') || ch == 0x7f || ++c->line > 256)
				FAIL(400, "a malformed chunk extension");
			c->in++;
			break;
		case C_SIZE_LF:
			if (ch != '\n')
				FAIL(400, "a CR not followed by LF");
			c->in++;
			c->line = 0;
			c->digits = 0;
			c->state = c->left ? C_DATA : C_TRAILER;
			break;
		case C_DATA: {
			size_t n = len - c->in < c->left ? len - c->in : (size_t)c->left;
			memmove(buf + c->out, buf + c->in, n);
			c->out += n;
			c->in += n;
			c->left -= n;
			if (!c->left)
				c->state = C_DATA_CR;
			break;
		}
		case C_DATA_CR:
		case C_DATA_LF:
			if (ch != (c->state == C_DATA_CR ? '\r' : '\n'))
				FAIL(400, "a chunk not followed by CRLF");
			c->in++;
			c->state = c->state == C_DATA_CR ? C_DATA_LF : C_SIZE;
			break;
		case C_TRAILER: /* a trailer field: parsed as a header field, then dropped */
			if (ch == '\r') {
				if (c->line) {
					if (!c->in_value)
						FAIL(400, "a malformed trailer field");
					if (++c->digits > 32)
						FAIL(400, "too many trailer fields");
				}
				c->state = C_TRAILER_LF;
			} else if (!c->in_value) {
				if (ch == ':' && c->line) {
					size_t n = c->line < sizeof(c->name) ? c->line : sizeof(c->name) - 1;
					c->name[n] = '\0';
					if (!strcmp(c->name, "content-length") || !strcmp(c->name, "transfer-encoding") ||
					    !strcmp(c->name, "host"))
						FAIL(400, "a framing field in the trailers");
					c->in_value = 1;
				} else if (!is_tchar(ch)) {
					FAIL(400, "a malformed trailer field");
				} else if (c->line < sizeof(c->name) - 1) {
					c->name[c->line] = (char)lower(ch);
				}
			} else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
				FAIL(400, "a control character in a trailer field");
			}
			if (ch != '\r' && ++c->line > 4096)
				FAIL(400, "a trailer field too long");
			c->in++;
			break;
		case C_TRAILER_LF:
			if (ch != '\n')
				FAIL(400, "a CR not followed by LF");
			c->in++;
			c->state = c->line ? C_TRAILER : C_DONE;
			c->line = 0;
			c->in_value = 0;
			break;
		}
	}
	return c->state == C_DONE;
}

long wire_unescape(const char *src, size_t n, char *dst, int form)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = src[i];
		if (ch == '%') {
			if (i + 2 >= n)
				return -1; /* fewer than two digits follow */
			int a = hexval((unsigned char)src[i + 1]), b = hexval((unsigned char)src[i + 2]);
			if (a < 0 || b < 0)
				return -1;
			ch = (char)(a * 16 + b);
			i += 2;
		} else if (ch == '+' && form) {
			ch = ' ';
		}
		if (ch == '\0')
			return -1;
		dst[o++] = ch;
	}
	dst[o] = '\0';
	return (long)o;
}
