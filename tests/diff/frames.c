/* The differential test's entente side: a file of raw bytes through the
 * server's own reading half (http/reader.c over http/wire.c), as the
 * connection loop drives it.
 *
 *   frames FILE BODY_LIMIT
 *
 * The bytes are fed (a) whole, (b) cut in two at every position, (c) one
 * byte at a time. After each write reader_next() is called until it says
 * READ_MORE; each READ_REQUEST is recorded (method, target, body length)
 * and consumed; a request that does not keep the connection alive ends
 * the run as the server would close ("closed"); the first refusal ends it
 * too ("refused": its status). The result of the whole feed is printed as
 * one JSON line:
 *
 *   {"requests":[{"method":..,"target":..,"body_len":N},..],
 *    "refused":STATUS|null,"incomplete":BOOL,"closed":BOOL}
 *
 * "incomplete": bytes are held that are not (yet) a whole request. Exit
 * status 1 when any cut gives another result than the whole feed (the
 * reader must not care where the reads fell), 2 on a usage or I/O error. */
#include "http/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct req {
	char *method, *target;
	size_t body_len;
};

struct result {
	struct req *reqs;
	size_t n, cap;
	int refused;          /* 0: none */
	int incomplete, closed;
	const char *why;      /* the refusal's text, for the message only */
	char why_buf[128];
};

static void result_free(struct result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		free(res->reqs[i].method);
		free(res->reqs[i].target);
	}
	free(res->reqs);
	memset(res, 0, sizeof(*res));
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d) {
		perror("frames");
		exit(2);
	}
	return d;
}

static void add_request(struct result *res, const struct reader_view *v)
{
	if (res->n == res->cap) {
		res->cap = res->cap ? res->cap * 2 : 8;
		res->reqs = realloc(res->reqs, res->cap * sizeof(*res->reqs));
		if (!res->reqs) {
			perror("frames");
			exit(2);
		}
	}
	res->reqs[res->n++] = (struct req){ xstrdup(v->method), xstrdup(v->target), v->body_len };
}

/* Call reader_next() until it wants more bytes. 1 when the run is over
 * (refused or closed). */
static int drain(struct reader *r, struct result *res)
{
	for (;;) {
		int s = reader_next(r);
		if (s == READ_MORE)
			return 0;
		if (s == READ_HEAD)
			continue;
		if (s == READ_REQUEST) {
			struct reader_view v;
			reader_view(r, &v);
			add_request(res, &v);
			int keep = v.head->keep_alive;
			reader_consume(r);
			if (!keep) {
				res->closed = 1;
				return 1;
			}
			continue;
		}
		res->refused = s;
		snprintf(res->why_buf, sizeof(res->why_buf), "%s", r->why ? r->why : "");
		res->why = res->why_buf;
		if (s < 400) { /* not a status reader.h promises */
			fprintf(stderr, "frames: reader_next returned %d\n", s);
			exit(2);
		}
		return 1;
	}
}

/* Feed data[0..len) in writes ending at cuts[0..ncuts) (increasing, each
 * in 1..len-1) and at len. */
static void run(const char *data, size_t len, const size_t *cuts, size_t ncuts, size_t limit, struct result *res)
{
	struct reader r;
	size_t at = 0;
	memset(res, 0, sizeof(*res));
	reader_init(&r, limit);
	for (size_t k = 0; k <= ncuts; k++) {
		size_t end = k < ncuts ? cuts[k] : len;
		while (at < end) {
			size_t room;
			char *p = reader_space(&r, &room);
			if (!p) { /* the buffer is at its largest: the reader must refuse */
				int s = reader_next(&r);
				if (s < 400) {
					fprintf(stderr, "frames: no room for bytes and reader_next says %d\n", s);
					exit(2);
				}
				res->refused = s;
				snprintf(res->why_buf, sizeof(res->why_buf), "%s", r.why ? r.why : "");
				res->why = res->why_buf;
				goto out;
			}
			size_t n = end - at < room ? end - at : room;
			memcpy(p, data + at, n);
			reader_wrote(&r, n);
			at += n;
			if (drain(&r, res))
				goto out;
		}
	}
	res->incomplete = reader_held(&r) > 0;
out:
	reader_free(&r);
}

static int same(const struct result *a, const struct result *b)
{
	if (a->n != b->n || a->refused != b->refused || a->incomplete != b->incomplete || a->closed != b->closed)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->reqs[i].method, b->reqs[i].method) || strcmp(a->reqs[i].target, b->reqs[i].target) ||
		    a->reqs[i].body_len != b->reqs[i].body_len)
			return 0;
	return 1;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void print_result(FILE *f, const struct result *res)
{
	fputs("{\"requests\":[", f);
	for (size_t i = 0; i < res->n; i++) {
		fputs(i ? ",{\"method\":" : "{\"method\":", f);
		json_string(f, res->reqs[i].method);
		fputs(",\"target\":", f);
		json_string(f, res->reqs[i].target);
		fprintf(f, ",\"body_len\":%zu}", res->reqs[i].body_len);
	}
	fputs("],\"refused\":", f);
	if (res->refused)
		fprintf(f, "%d", res->refused);
	else
		fputs("null", f);
	fprintf(f, ",\"incomplete\":%s,\"closed\":%s", res->incomplete ? "true" : "false", res->closed ? "true" : "false");
	if (res->refused) {
		fputs(",\"why\":", f);
		json_string(f, res->why ? res->why : "");
	}
	fputs("}\n", f);
}

static void mismatch(const char *file, const char *how, const struct result *whole, const struct result *other)
{
	fprintf(stderr, "%s: fed %s, the result differs from the whole feed\n  whole: ", file, how);
	print_result(stderr, whole);
	fprintf(stderr, "  %s: ", how);
	print_result(stderr, other);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: frames FILE BODY_LIMIT\n");
		return 2;
	}
	char *endp;
	unsigned long long limit = strtoull(argv[2], &endp, 10);
	if (*endp || endp == argv[2]) {
		fprintf(stderr, "frames: bad body limit %s\n", argv[2]);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	size_t len = 0, cap = 4096;
	char *data = malloc(cap);
	for (size_t got; data && (got = fread(data + len, 1, cap - len, f)) > 0;) {
		len += got;
		if (len == cap)
			data = realloc(data, cap *= 2);
	}
	if (!data || ferror(f)) {
		perror(argv[1]);
		return 2;
	}
	fclose(f);

	struct result whole, other;
	int status = 0;
	run(data, len, NULL, 0, (size_t)limit, &whole);
	print_result(stdout, &whole);

	/* (b) two writes, cut at every position */
	for (size_t i = 1; i < len && !status; i++) {
		run(data, len, &i, 1, (size_t)limit, &other);
		if (!same(&whole, &other)) {
			char how[64];
			snprintf(how, sizeof(how), "cut at byte %zu", i);
			mismatch(argv[1], how, &whole, &other);
			status = 1;
		}
		result_free(&other);
	}
	/* (c) one byte at a time */
	if (len > 1 && !status) {
		size_t *cuts = malloc((len - 1) * sizeof(*cuts));
		if (!cuts) {
			perror("frames");
			return 2;
		}
		for (size_t i = 0; i < len - 1; i++)
			cuts[i] = i + 1;
		run(data, len, cuts, len - 1, (size_t)limit, &other);
		if (!same(&whole, &other)) {
			mismatch(argv[1], "one byte at a time", &whole, &other);
			status = 1;
		}
		result_free(&other);
		free(cuts);
	}
	result_free(&whole);
	free(data);
	return status;
}
