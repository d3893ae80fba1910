/* Unit tests of the HTTP framing (http/wire.c), pure functions, and of
 * the sign-in throttle (http/throttle.c), time as an argument, on a
 * SQLite database of its own for each test (its counts live there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "http/addrs.h"
#include "http/reader.h"
#include "http/throttle.h"
#include "http/wire.h"

static char pbuf[WIRE_MAX_HEAD * 2]; /* the last head parse() parsed */
#define S(off) wire_str(pbuf, (off))

static int parse(const char *text, struct wire_head *h, const char **why)
{
	size_t scanned = 0;
	snprintf(pbuf, sizeof(pbuf), "%s", text);
	return wire_parse_head(pbuf, strlen(pbuf), &scanned, h, why);
}

static void test_a_plain_request_is_read(void **state)
{
	(void)state;
	struct wire_head h;
	const char *why;
	assert_int_equal(parse("POST /a%20b?x=1 HTTP/1.1\r\nHost: example.org:8080\r\nContent-Length: 12\r\n"
			       "X-Spaces: \t padded \t\r\nConnection: keep-alive, Upgrade\r\n\r\nbody", &h, &why), 1);
	assert_string_equal(S(h.method), "POST");
	assert_string_equal(S(h.target), "/a%20b?x=1");
	assert_string_equal(S(h.host), "example.org:8080");
	assert_int_equal(h.minor, 1);
	assert_int_equal(h.content_length, 12);
	assert_int_equal(h.nheaders, 4);
	assert_string_equal(S(h.headers[2].name), "X-Spaces");
	assert_string_equal(S(h.headers[2].value), "padded");
	assert_true(h.keep_alive);
	assert_false(h.chunked);
	assert_int_equal(h.head_len, strlen("POST /a%20b?x=1 HTTP/1.1\r\nHost: example.org:8080\r\nContent-Length: 12\r\n"
					   "X-Spaces: \t padded \t\r\nConnection: keep-alive, Upgrade\r\n\r\n"));
	assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n", &h, &why), 1);
	assert_false(h.keep_alive); /* HTTP/1.0 closes unless asked */
	assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &h, &why), 1);
	assert_true(h.keep_alive);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &h, &why), 1);
	assert_false(h.keep_alive);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: x\r\ntransfer-encoding: Chunked\r\n\r\n", &h, &why), 1);
	assert_true(h.chunked);
}

/* Each ambiguity a smuggler uses is refused, with its status. */
static void test_ambiguous_framing_is_refused(void **state)
{
	(void)state;
	static const struct { const char *text; int status; } cases[] = {
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 1\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\t1, 1\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999999999999999\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
		{ "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: x\r\n\tX: a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\nHost: x\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: x\r\nX: a\x7f\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: x\r\nX\x01: a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: x\r\n: a\r\n\r\n", 400 },
		{ "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400 },
		{ "GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505 },
		{ "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505 },
		{ "GET / HTTPS/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n", 417 },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\nHost: x\r\n\r\n", 501 },
		{ "\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400 }, /* an empty line first: refused, as h11 does */
		{ "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct wire_head h;
		const char *why = NULL;
		int r = parse(cases[i].text, &h, &why);
		if (r != cases[i].status)
			fail_msg("case %zu: %d, want %d (%s)", i, r, cases[i].status, why ? why : "");
		assert_true(why && *why); /* every refusal says why */
	}
}

/* A bad line end is refused as soon as it arrives, not at the end of the
 * head; an incomplete head is left intact for the next try. */
static void test_incomplete_heads_wait_and_stay_intact(void **state)
{
	(void)state;
	char buf[256] = "GET /x HTTP/1.1\r\nHost: x\r\nX-A: b";
	size_t scanned = 0, len = strlen(buf);
	struct wire_head h;
	const char *why;
	assert_int_equal(wire_parse_head(buf, len, &scanned, &h, &why), 0);
	assert_string_equal(buf, "GET /x HTTP/1.1\r\nHost: x\r\nX-A: b"); /* untouched */
	assert_true(scanned > 0 && scanned <= len);
	strcat(buf, "\r\n\r");
	len = strlen(buf);
	assert_int_equal(wire_parse_head(buf, len, &scanned, &h, &why), 0);
	strcat(buf, "\n");
	len = strlen(buf);
	assert_int_equal(wire_parse_head(buf, len, &scanned, &h, &why), 1);
	assert_string_equal(wire_str(buf, h.target), "/x");
	assert_string_equal(wire_str(buf, h.headers[1].value), "b");
	char bad[64] = "GET / HTTP/1.1\nHo";
	scanned = 0;
	assert_int_equal(wire_parse_head(bad, strlen(bad), &scanned, &h, &why), 400);
	/* a head that never ends is refused at the limit */
	static char big[WIRE_MAX_HEAD + 10];
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	scanned = 0;
	assert_int_equal(wire_parse_head(big, sizeof(big) - 1, &scanned, &h, &why), 431);
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "GET /", 5);
	scanned = 0;
	assert_int_equal(wire_parse_head(big, sizeof(big) - 1, &scanned, &h, &why), 414);
}

static void test_too_many_headers(void **state)
{
	(void)state;
	static char buf[WIRE_MAX_HEAD];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: x\r\n");
	for (unsigned i = 0; i < WIRE_MAX_HEADERS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "X%u: y\r\n", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n");
	size_t scanned = 0;
	struct wire_head h;
	const char *why;
	assert_int_equal(wire_parse_head(buf, n, &scanned, &h, &why), 431);
}

/* Decoding a chunked body gives the same bytes however it is split. */
static void test_chunked_bodies(void **state)
{
	(void)state;
	const char *wire = "4\r\nWiki\r\n5;name=val\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\nNEXT";
	size_t total = strlen(wire) - 4;
	for (size_t split = 0; split <= strlen(wire); split++) {
		char buf[128];
		struct wire_chunks c = { 0 };
		const char *why;
		memcpy(buf, wire, split);
		int r = wire_dechunk(buf, split, &c, 1000, &why);
		assert_true(r == 0 || r == 1);
		memcpy(buf + split, wire + split, strlen(wire) - split);
		r = wire_dechunk(buf, strlen(wire), &c, 1000, &why);
		assert_int_equal(r, 1);
		assert_int_equal(c.out, 23);
		assert_memory_equal(buf, "Wikipedia in\r\n\r\nchunks.", 23);
		assert_int_equal(c.in, total); /* what follows is the next request */
	}
	static const struct { const char *text; int status; } bad[] = {
		{ "x\r\n", 400 }, { "\r\n", 400 }, { "4\r\nWikiX\r\n", 400 }, { "4\nWiki", 400 },
		{ "00000000000000001\r\n", 400 }, { "11111\r\n", 413 }, { "FFFFFFFF\r\n", 413 }, { "0\r\nX\n", 400 },
		/* trailers are header fields, or refused: a request hidden after the last chunk never passes */
		{ "0\r\nGET /x HTTP/1.1\r\n\r\n", 400 }, { "0\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "0\r\nX\r\n\r\n", 400 }, { "0\r\nX : y\r\n\r\n", 400 }, { "0\r\n X: y\r\n\r\n", 400 },
		{ "0\r\n: y\r\n\r\n", 400 }, { "0\r\nX: \001\r\n\r\n", 400 }, { "0\r\nContent-Length: 5\r\n\r\n", 400 },
		{ "0\r\ntransfer-encoding: chunked\r\n\r\n", 400 }, { "0\r\nHOST: y\r\n\r\n", 400 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char buf[64];
		struct wire_chunks c = { 0 };
		const char *why;
		snprintf(buf, sizeof(buf), "%s", bad[i].text);
		assert_int_equal(wire_dechunk(buf, strlen(buf), &c, 1000, &why), bad[i].status);
	}
}

/* Well-formed trailers pass, and what follows them is the next request. */
static void test_trailers_are_fields(void **state)
{
	(void)state;
	static const char *good[] = { "0\r\n\r\n", "0\r\nX:y\r\n\r\n", "0\r\nX-Sum: a b\tc\r\nY: \r\n\r\n",
				      "0\r\nContent-Lengths: 5\r\n\r\n" };
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		char buf[96];
		struct wire_chunks c = { 0 };
		const char *why;
		int n = snprintf(buf, sizeof(buf), "%sGET", good[i]);
		assert_int_equal(wire_dechunk(buf, (size_t)n, &c, 1000, &why), 1);
		assert_int_equal(c.in, strlen(good[i]));
		assert_int_equal(c.out, 0);
	}
}

/* An absolute-form target is accepted (RFC 9112 3.2.2): the path is what
 * the server routes, the authority wins over Host. */
static void test_absolute_form_targets(void **state)
{
	(void)state;
	struct wire_head h;
	const char *why;
	assert_int_equal(parse("GET http://Example.org:8080/a%20b?x=1 HTTP/1.1\r\nHost: other\r\n\r\n", &h, &why), 1);
	assert_string_equal(S(h.target), "/a%20b?x=1");
	assert_string_equal(S(h.host), "Example.org:8080");
	assert_int_equal(h.nheaders, 1);
	assert_string_equal(S(h.headers[0].value), "other");
	assert_int_equal(parse("GET HTTPS://h HTTP/1.1\r\nHost: h\r\n\r\n", &h, &why), 1);
	assert_string_equal(S(h.target), "/");
	assert_string_equal(S(h.host), "h");
	assert_int_equal(parse("GET http://h?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", &h, &why), 1);
	assert_string_equal(S(h.target), "/?q=1");
	assert_int_equal(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", &h, &why), 1);
	assert_string_equal(S(h.target), "*");
	static const char *bad[] = {
		"GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", "GET http://h%2F/ HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET h/x HTTP/1.1\r\nHost: h\r\n\r\n", "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET http://h/ HTTP/1.1\r\n\r\n", /* a Host is still required of HTTP/1.1 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (parse(bad[i], &h, &why) != 400)
			fail_msg("accepted: %s", bad[i]);
}

/* ---- the reader: the loop's reading half ---- */

/* Feed text to r in pieces of step bytes (0: all at once), reading
 * requests as they complete; the targets and body lengths read are
 * written into log ("METHOD TARGET LEN;"), a refusal as "!STATUS". */
static void feed(struct reader *r, const char *text, size_t len, size_t step, char *log, size_t logn)
{
	size_t at = 0;
	log[0] = '\0';
	while (at < len) {
		size_t room, n = step ? step : len;
		char *dst = reader_space(r, &room);
		assert_non_null(dst);
		if (n > room)
			n = room;
		if (n > len - at)
			n = len - at;
		memcpy(dst, text + at, n);
		reader_wrote(r, n);
		at += n;
		for (;;) {
			int k = reader_next(r);
			if (k == READ_MORE)
				break;
			if (k == READ_HEAD)
				continue;
			size_t used = strlen(log);
			if (k >= 400) {
				snprintf(log + used, logn - used, "!%d", k);
				return;
			}
			struct reader_view v;
			reader_view(r, &v);
			/* the body is the bytes sent: the test bodies are runs of one letter */
			for (size_t i = 0; i < v.body_len; i++)
				assert_true(v.body[i] == 'b');
			snprintf(log + used, logn - used, "%s %s %zu;", v.method, v.target, v.body_len);
			reader_consume(r);
		}
	}
}

/* A head whose body arrives later, in pieces that make the buffer grow
 * (it moves), still reads right: the head is offsets (issue 19, part 1).
 * The same pipelined requests cut at every place read the same. */
static void test_the_reader_survives_any_cut(void **state)
{
	(void)state;
	static char big[200000];
	size_t n = (size_t)snprintf(big, sizeof(big), "POST /grow/%s?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 150000\r\n\r\n",
				    "a-long-enough-path-to-be-overwritten-when-freed");
	memset(big + n, 'b', 150000);
	n += 150000;
	char log[512];
	for (size_t step = 1000; step <= 64000; step *= 4) {
		struct reader r;
		reader_init(&r, 1 << 20);
		feed(&r, big, n, step, log, sizeof(log));
		assert_string_equal(log, "POST /grow/a-long-enough-path-to-be-overwritten-when-freed?q=1 150000;");
		reader_free(&r);
	}
	const char *pipelined = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
				"POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nbbb\r\n2\r\nbb\r\n0\r\nT: 1\r\n\r\n"
				"POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\nbbbb"
				"GET /d HTTP/1.0\r\n\r\n";
	const char *want = "GET /a 0;POST /b 5;POST /c 4;GET /d 0;";
	size_t len = strlen(pipelined);
	for (size_t cut = 1; cut <= len; cut++) { /* two pieces, cut anywhere */
		struct reader r;
		reader_init(&r, 1 << 20);
		char copy[512];
		memcpy(copy, pipelined, len);
		size_t at = 0;
		log[0] = '\0';
		char part[512];
		for (int piece = 0; piece < 2; piece++) {
			size_t m = piece ? len - cut : cut;
			feed(&r, copy + at, m, 0, part, sizeof(part));
			strcat(log, part);
			at += m;
		}
		if (strcmp(log, want))
			fail_msg("cut at %zu: %s", cut, log);
		reader_free(&r);
	}
	struct reader r; /* one byte at a time */
	reader_init(&r, 1 << 20);
	feed(&r, pipelined, len, 1, log, sizeof(log));
	assert_string_equal(log, want);
	reader_free(&r);
	/* the limits: a body over the limit is refused before it is read */
	reader_init(&r, 10);
	feed(&r, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", 50, 0, log, sizeof(log));
	assert_string_equal(log, "!413");
	reader_free(&r);
	reader_init(&r, 10);
	const char *chunked = "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nbbbbbb\r\n5\r\nbbbbb\r\n";
	feed(&r, chunked, strlen(chunked), 7, log, sizeof(log));
	assert_string_equal(log, "!413");
	reader_free(&r);
}

/* The per-address key: an IPv4 address, the same when mapped into IPv6,
 * and an IPv6 address's /64 (issue 19, part 3). */
static void test_address_keys(void **state)
{
	(void)state;
	struct sockaddr_storage a = { 0 }, b = { 0 };
	unsigned char ka[17], kb[17];
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&a, *b6 = (struct sockaddr_in6 *)&b;
	a6->sin6_family = b6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:1:2::1", &a6->sin6_addr);
	inet_pton(AF_INET6, "2001:db8:1:2:ffff:eeee:dddd:cccc", &b6->sin6_addr);
	addrs_key(&a, ka);
	addrs_key(&b, kb);
	assert_memory_equal(ka, kb, 17); /* one /64, one address */
	inet_pton(AF_INET6, "2001:db8:1:3::1", &b6->sin6_addr);
	addrs_key(&b, kb);
	assert_memory_not_equal(ka, kb, 17);
	struct sockaddr_in *b4 = (struct sockaddr_in *)&b;
	memset(&b, 0, sizeof(b));
	b4->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.7", &b4->sin_addr);
	inet_pton(AF_INET6, "::ffff:192.0.2.7", &a6->sin6_addr);
	addrs_key(&a, ka);
	addrs_key(&b, kb);
	assert_memory_equal(ka, kb, 17);
	inet_pton(AF_INET, "192.0.2.8", &b4->sin_addr);
	addrs_key(&b, kb);
	assert_memory_not_equal(ka, kb, 17); /* IPv4 counts each address */
}

static void test_unescape(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(wire_unescape("/a%20b+c", 8, out, 0), 6);
	assert_string_equal(out, "/a b+c");
	assert_int_equal(wire_unescape("a+b%2B", 6, out, 1), 4);
	assert_string_equal(out, "a b+");
	assert_int_equal(wire_unescape("%ff", 3, out, 0), 1);
	assert_int_equal((unsigned char)out[0], 0xff);
	assert_int_equal(wire_unescape("%00", 3, out, 0), -1);
	assert_int_equal(wire_unescape("%f", 2, out, 0), -1);
	assert_int_equal(wire_unescape("%gg", 3, out, 0), -1);
}

/* ---- the throttle ---- */

static struct store *db, *db2;  /* two connections to one database: two servers */
static char db_dir[64], db_path[96];

static int db_setup(void **state)
{
	struct err e = ERR_INIT;
	(void)state;
	snprintf(db_dir, sizeof(db_dir), "/tmp/entente-unit-XXXXXX");
	assert_non_null(mkdtemp(db_dir));
	snprintf(db_path, sizeof(db_path), "%s/t.db", db_dir);
	assert_int_equal(store_open(&db, db_path, &e), 0);
	assert_int_equal(store_migrate(db, NULL, &e), 0);
	assert_int_equal(store_open(&db2, db_path, &e), 0);
	return 0;
}

static int db_teardown(void **state)
{
	char path[128];
	(void)state;
	store_free(db);
	store_free(db2);
	const char *const ext[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", db_path, ext[i]);
		unlink(path);
	}
	rmdir(db_dir);
	return 0;
}

static int begin(const char *acct, const char *addr, int64_t now, struct throttle_ticket *t)
{
	struct err e = ERR_INIT;
	int w = throttle_begin(db, acct, addr, now, t, &e);
	assert_true(w >= 0);
	return w;
}

static void end(const struct throttle_ticket *t, const char *acct, const char *addr, int64_t now, int ok)
{
	struct err e = ERR_INIT;
	assert_int_equal(throttle_end(db, t, acct, addr, now, ok, &e), 0);
}

static int64_t rows(void)
{
	struct err e = ERR_INIT;
	struct store_query q = { 0 };
	int64_t n = -1;
	assert_int_equal(store_count(db, "throttle", &q, &n, &e), 0);
	return n;
}

static void fail_n(const char *acct, const char *addr, int n, int64_t now)
{
	for (int i = 0; i < n; i++) {
		struct throttle_ticket t;
		assert_int_equal(begin(acct, addr, now, &t), 0);
		end(&t, acct, addr, now, 0);
	}
}

static void test_throttle_counts_before_checking(void **state)
{
	(void)state;
	struct throttle_ticket t[THROTTLE_PAIR_FREE + 1];
	/* attempts in flight count: the sixth waits though none has failed yet */
	for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
		assert_int_equal(begin("a@x", "1.1.1.1", 100, &t[i]), 0);
	assert_true(begin("a@x", "1.1.1.1", 100, &t[THROTTLE_PAIR_FREE]) > 0);
	for (int i = 0; i < THROTTLE_PAIR_FREE; i++)
		end(&t[i], "a@x", "1.1.1.1", 100, 0);
	/* back-off doubles: 15, 30, 60 ... never past the maximum */
	assert_int_equal(begin("a@x", "1.1.1.1", 100, &t[0]), THROTTLE_FIRST_WAIT);
	assert_int_equal(begin("a@x", "1.1.1.1", 100 + THROTTLE_FIRST_WAIT, &t[0]), 0);
	end(&t[0], "a@x", "1.1.1.1", 100 + THROTTLE_FIRST_WAIT, 0);
	assert_int_equal(begin("a@x", "1.1.1.1", 100 + THROTTLE_FIRST_WAIT, &t[0]), 2 * THROTTLE_FIRST_WAIT);
	int64_t now = 1000;
	int w = 0, prev = 0;
	for (int i = 0; i < 40 && w != THROTTLE_MAX_WAIT; i++) {
		w = begin("a@x", "1.1.1.1", now, &t[0]);
		if (!w) {
			end(&t[0], "a@x", "1.1.1.1", now, 0);
			continue;
		}
		assert_true(w > prev && w <= THROTTLE_MAX_WAIT); /* each wait longer, up to the cap */
		prev = w;
		if (w != THROTTLE_MAX_WAIT)
			now += w;
	}
	assert_int_equal(w, THROTTLE_MAX_WAIT);
	/* the address is not held back on another account by this pair */
	assert_int_equal(begin("other@x", "1.1.1.1", now, &t[0]), 0);
	end(&t[0], "other@x", "1.1.1.1", now, 1);
	/* failures are forgotten after a quiet while */
	assert_int_equal(begin("a@x", "1.1.1.1", now + THROTTLE_MAX_WAIT + THROTTLE_FORGET + 1, &t[0]), 0);
	end(&t[0], "a@x", "1.1.1.1", now + THROTTLE_MAX_WAIT + THROTTLE_FORGET + 1, 1);
}

static void test_throttle_spares_the_owners_address(void **state)
{
	(void)state;
	struct throttle_ticket t;
	assert_int_equal(begin("b@x", "10.0.0.1", 50, &t), 0);
	end(&t, "b@x", "10.0.0.1", 50, 1); /* the owner signs in */
	char addr[32];
	for (int i = 0; i < THROTTLE_ACCOUNT_FREE; i++) { /* one guess from each of many addresses */
		snprintf(addr, sizeof(addr), "10.1.0.%d", i);
		fail_n("b@x", addr, 1, 60);
	}
	assert_true(begin("b@x", "10.2.0.1", 60, &t) > 0); /* a new address waits */
	assert_int_equal(begin("b@x", "10.0.0.1", 60, &t), 0); /* the owner does not */
	end(&t, "b@x", "10.0.0.1", 60, 1);
	/* one address spraying many accounts is slowed too */
	for (int i = 0; i < THROTTLE_ADDRESS_FREE; i++) {
		snprintf(addr, sizeof(addr), "user%d@x", i);
		fail_n(addr, "10.9.9.9", 1, 70);
	}
	assert_true(begin("fresh@x", "10.9.9.9", 70, &t) > 0);
}

/* Issue 26: the counts are the database's, not a server's: what one
 * connection counted, another sees (two servers on one database), and a
 * server killed between the beginning and the end of an attempt leaves no
 * attempt in flight for ever. */
static void test_throttle_counts_across_servers(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	struct throttle_ticket t;
	/* four failures through one server, then the fifth through the other */
	fail_n("c@x", "10.3.0.1", THROTTLE_PAIR_FREE - 1, 100);
	assert_int_equal(throttle_begin(db2, "c@x", "10.3.0.1", 100, &t, &e), 0);
	assert_int_equal(throttle_end(db2, &t, "c@x", "10.3.0.1", 100, 0, &e), 0);
	/* both now say wait */
	assert_int_equal(throttle_begin(db2, "c@x", "10.3.0.1", 101, &t, &e), THROTTLE_FIRST_WAIT - 1);
	assert_int_equal(begin("c@x", "10.3.0.1", 101, &t), THROTTLE_FIRST_WAIT - 1);
	/* in back-off, one attempt at a time across servers: one begins on a
	 * server that then dies (no end) */
	assert_int_equal(begin("c@x", "10.3.0.1", 100 + THROTTLE_FIRST_WAIT, &t), 0);
	assert_true(throttle_begin(db2, "c@x", "10.3.0.1", 100 + THROTTLE_FIRST_WAIT + 1, &t, &e) > 0);
	/* ... and a minute on, its attempt no longer holds the other back */
	assert_int_equal(throttle_begin(db2, "c@x", "10.3.0.1", 100 + THROTTLE_FIRST_WAIT + 61, &t, &e), 0);
	assert_int_equal(throttle_end(db2, &t, "c@x", "10.3.0.1", 100 + THROTTLE_FIRST_WAIT + 61, 1, &e), 0);
}

/* A rate (issue 24's reset links) is counted in the database too, its
 * window ends, and the rows that say nothing any more are removed as
 * sign-ins end, so the table does not grow with every address ever seen. */
static void test_throttle_rates_and_forgets(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	struct throttle_ticket t;
	assert_int_equal(rate_take(db, "forgot|a", 1000, 2, 3600, &e), 0);
	assert_int_equal(rate_take(db2, "forgot|a", 1001, 2, 3600, &e), 0);
	assert_int_equal(rate_take(db, "forgot|a", 1002, 2, 3600, &e), 3598);
	assert_int_equal(rate_take(db, "forgot|b", 1002, 2, 3600, &e), 0);
	assert_int_equal(rate_take(db, "forgot|a", 4600, 2, 3600, &e), 0);
	char addr[32], acct[32];
	for (int i = 0; i < 40; i++) { /* 40 addresses on 40 accounts, once each, long ago */
		snprintf(addr, sizeof(addr), "10.4.0.%d", i);
		snprintf(acct, sizeof(acct), "d%d@x", i);
		fail_n(acct, addr, 1, 5000);
	}
	int64_t before = rows();
	assert_int_equal(before, 2 + 40 * 3); /* two rates, and each pair, account and address */
	/* two days on, each sign-in's end removes up to 16 of them */
	assert_int_equal(begin("e@x", "10.5.0.1", 5000 + 2 * 86400, &t), 0);
	end(&t, "e@x", "10.5.0.1", 5000 + 2 * 86400, 1);
	assert_int_equal(rows(), before + 4 - 16);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(begin("e@x", "10.5.0.1", 5000 + 2 * 86400, &t), 0);
		end(&t, "e@x", "10.5.0.1", 5000 + 2 * 86400, 1);
	}
	/* what is left: e@x's pair, account, address and known address */
	assert_int_equal(rows(), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_plain_request_is_read),
		cmocka_unit_test(test_ambiguous_framing_is_refused),
		cmocka_unit_test(test_incomplete_heads_wait_and_stay_intact),
		cmocka_unit_test(test_too_many_headers),
		cmocka_unit_test(test_chunked_bodies),
		cmocka_unit_test(test_trailers_are_fields),
		cmocka_unit_test(test_absolute_form_targets),
		cmocka_unit_test(test_the_reader_survives_any_cut),
		cmocka_unit_test(test_address_keys),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test_setup_teardown(test_throttle_counts_before_checking, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_throttle_spares_the_owners_address, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_throttle_counts_across_servers, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_throttle_rates_and_forgets, db_setup, db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
