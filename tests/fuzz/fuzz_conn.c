/* libFuzzer target: the connection's reading half (http/reader.c, which
 * the loop runs) driven by a byte stream cut at places the input chooses,
 * 1 byte to all of it at a time, pipelined requests and bodies included,
 * as a client's packets would arrive. Under ASan and UBSan a view that
 * outlived its buffer, a read past it or a leak stops the run; and the
 * requests read must not depend on the cuts: the same stream fed whole
 * gives the same requests, bodies and refusal.
 *
 * Input: byte 0 chooses the body limit, byte 1 how many of the input's
 * last bytes (0 to 15) are cut sizes (each piece is size + 1 bytes, the
 * sizes cycled); the stream is what lies between, so the corpus's requests
 * stay readable (tests/fuzz/make_conn_corpus.py writes them). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/reader.h"

struct outcome {
	char log[4096];
	size_t used;
	int refused;
	uint64_t hash; /* of every body read */
};

static void note(struct outcome *o, const struct reader *r)
{
	struct reader_view v;
	reader_view(r, &v);
	/* the view lies inside the buffer as it is now */
	if (v.body_len && (v.body < r->buf || v.body + v.body_len > r->buf + r->len))
		abort();
	if (v.target < r->buf || v.target >= r->buf + r->len || v.method < r->buf)
		abort();
	for (size_t i = 0; i < v.body_len; i++)
		o->hash = (o->hash ^ (unsigned char)v.body[i]) * 1099511628211u;
	if (o->used < sizeof(o->log) - 64)
		o->used += (size_t)snprintf(o->log + o->used, sizeof(o->log) - o->used, "%.16s %.32s %zu;", v.method, v.target,
					    v.body_len);
}

/* Feed data in pieces; sizes come from cuts (cycled), 0 meaning all. */
static void run(const uint8_t *data, size_t size, const uint8_t *cuts, size_t ncuts, size_t limit, struct outcome *o)
{
	struct reader r;
	size_t at = 0, k = 0;
	memset(o, 0, sizeof(*o));
	o->hash = 14695981039346656037u;
	reader_init(&r, limit);
	while (at < size && !o->refused) {
		size_t room, n = ncuts ? (size_t)cuts[k++ % ncuts] + 1 : size;
		char *dst = reader_space(&r, &room);
		if (!dst)
			break; /* the buffer is full: the loop stops reading too */
		if (n > room)
			n = room;
		if (n > size - at)
			n = size - at;
		memcpy(dst, data + at, n);
		reader_wrote(&r, n);
		at += n;
		for (;;) {
			int s = reader_next(&r);
			if (s == READ_MORE)
				break;
			if (s == READ_HEAD)
				continue;
			if (s >= 400) {
				o->refused = s;
				break;
			}
			note(o, &r);
			reader_consume(&r);
		}
	}
	reader_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t limit = (size_t)(data[0] % 8) * 512 + 16;
	size_t ncuts = data[1] % 16; /* how many of the last bytes are cut sizes */
	if (ncuts + 2 > size)
		ncuts = size - 2;
	const uint8_t *stream = data + 2, *cuts = data + size - ncuts;
	size_t len = size - 2 - ncuts;
	struct outcome whole, cut;
	run(stream, len, NULL, 0, limit, &whole);
	run(stream, len, cuts, ncuts, limit, &cut);
	/* the same requests, bodies and refusal however the bytes came;
	 * a refusal may come before a request the whole stream completed
	 * (it is seen sooner), never after */
	if (whole.refused == cut.refused && (strcmp(whole.log, cut.log) || whole.hash != cut.hash))
		abort();
	if (!whole.refused != !cut.refused)
		abort();
	return 0;
}
