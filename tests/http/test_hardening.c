/* What an attacker did to the server, kept as tests (issue "Hardening"):
 * request smuggling and other framing tricks sent as raw bytes on a
 * socket, connections that vanish or dribble, paths that are not UTF-8,
 * guessed passwords, links out of the web directory, and who may read
 * /metrics. Timing is never asserted; deadlines are checked with wide
 * margins (a deadline of 1 s must have acted within 6 s). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define SAM "sam@snia.example"

static struct server S;

static int setup(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_finish(&S); /* a sanitizer report or an unclean stop fails the group */
}

/* ---- raw sockets (the kit's raw_dial, raw_read, raw_exchange) ---- */

static void exchange(const char *raw, char *out, size_t n, int *closed) { raw_exchange(&S, raw, out, n, closed); }

/* Changes go to the writer thread and their connection waits for the
 * commit; what the client pipelined behind a change is read after it, in
 * order: a change, a read that must see it, a second change. */
static void test_pipelined_changes_keep_their_order(void **state)
{
	(void)state;
	const char *tok = token_for(&S, "admin@localhost");
	char raw[2048], out[16384];
	int closed;
	snprintf(raw, sizeof(raw),
		 "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		 "Content-Type: application/json\r\nContent-Length: 60\r\n\r\n"
		 "{\"name\":\"Pipelined One\",\"short_name\":\"PL1\",\"kind\":\"partner\"}"
		 "GET /api/v1/organizations?limit=200 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
		 "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nConnection: close\r\n"
		 "Content-Type: application/json\r\nContent-Length: 60\r\n\r\n"
		 "{\"name\":\"Pipelined Two\",\"short_name\":\"PL2\",\"kind\":\"partner\"}",
		 tok, tok, tok);
	exchange(raw, out, sizeof(out), &closed);
	assert_int_equal(raw_responses(out), 3);
	const char *first = strstr(out, "HTTP/1.1 ");
	const char *second = strstr(first + 9, "HTTP/1.1 ");
	const char *third = strstr(second + 9, "HTTP/1.1 ");
	assert_int_equal(atoi(first + 9), 201);
	assert_int_equal(atoi(second + 9), 200);
	assert_int_equal(atoi(third + 9), 201);
	const char *one = strstr(second, "Pipelined One");
	assert_true(one && one < third); /* the read saw the change before it */
	const char *two = strstr(second, "Pipelined Two");
	assert_true(!two || two > third); /* nor the change after it */
	assert_true(closed);
}

/* ---- 2. framing ---- */

/* Each of these is refused with 400 and the connection closed, and the
 * bytes that a lenient parser would run as a second request get no
 * answer of their own. */
static void test_smuggling_is_refused_and_closes(void **state)
{
	(void)state;
	const char *smuggled = "GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
	char raw[1024], out[65536];
	const char *cases[] = {
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 48\r\n\r\n{}%s",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length : 48\r\n\r\n%s",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 48\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n%s",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n%s",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n%s",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n%s",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n%s",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n%s",
		"GET /healthz HTTP/1.1\r\n\r\n%s",
		"GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n%s",
		"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\r\n  folded\r\n\r\n%s",
		"GET /healthz HTTP/1.1\nHost: x\n\n%s",
		"GET /healthz HTTP/1.1\r\nHost: x\rX-A: b\r\n\r\n%s",
		"GET /healthz HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n%s",
		"GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n%s",
		"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: \x01\r\n\r\n%s",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n%s",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int closed;
		snprintf(raw, sizeof(raw), cases[i], smuggled);
		exchange(raw, out, sizeof(out), &closed);
		if (strncmp(out, "HTTP/1.1 400 ", 13))
			fail_msg("case %zu: want 400, got: %.200s", i, out);
		assert_true(closed);
		assert_int_equal(raw_responses(out), 1);          /* one answer, one header block */
		assert_null(strstr(out, "\"openapi\""));                   /* the smuggled request never ran */
		assert_non_null(strstr(out, "Connection: close"));
		assert_non_null(strstr(out, "application/problem+json"));
	}
	/* the version and the size limits have their own answers */
	int closed;
	exchange("GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", out, sizeof(out), &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 505 ", 13), 0);
	char big[20000];
	snprintf(big, sizeof(big), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %0*d\r\n\r\n", 17000, 0);
	exchange(big, out, sizeof(out), &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 431 ", 13), 0);
	assert_true(closed);
	exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n", out, sizeof(out), &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 417 ", 13), 0);
	/* the server is unharmed */
	struct resp r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
}

/* What strictness must not break: chunked bodies, pipelining, keep-alive,
 * HTTP/1.0, Expect: 100-continue. (Empty lines before a request line are
 * refused since issue 19: tests/diff.) */
static void test_well_formed_requests_still_work(void **state)
{
	(void)state;
	char raw[2048], out[65536];
	int closed;
	const char *tok = token_for(&S, ADMIN);
	/* a chunked body, split in odd places, with an extension and a trailer */
	snprintf(raw, sizeof(raw),
		 "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
		 "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
		 "a;ext=1\r\n{\"name\":\"C\r\n14\r\nhunked\",\"short_name\"\r\n6\r\n:\"CHK\"\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n", tok);
	exchange(raw, out, sizeof(out), &closed);
	if (strncmp(out, "HTTP/1.1 201 ", 13))
		fail_msg("chunked create: %.300s", out);
	assert_non_null(strstr(out, "\"short_name\":\"CHK\""));
	/* three pipelined requests on one connection, answered in order */
	exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
		 "GET /api/v1/no-such HTTP/1.1\r\nHost: x\r\n\r\n"
		 "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", out, sizeof(out), &closed);
	assert_int_equal(raw_responses(out), 3);
	char *second = strstr(out + 1, "HTTP/1.1 ");
	assert_int_equal(strncmp(out, "HTTP/1.1 200 ", 13), 0);
	assert_int_equal(strncmp(second, "HTTP/1.1 404 ", 13), 0);
	assert_int_equal(strncmp(strstr(second + 1, "HTTP/1.1 "), "HTTP/1.1 200 ", 13), 0);
	assert_true(closed);
	/* HTTP/1.0 without Host closes after the answer */
	exchange("GET /healthz HTTP/1.0\r\n\r\n", out, sizeof(out), &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 200 ", 13), 0);
	assert_true(closed);
	/* Expect: 100-continue gets its interim answer before the body is sent */
	int fd = raw_dial(&S, NULL);
	snprintf(raw, sizeof(raw),
		 "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
		 "Content-Length: 38\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", tok);
	send(fd, raw, strlen(raw), MSG_NOSIGNAL);
	raw_read(fd, out, sizeof(out), 500, &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 100 Continue\r\n\r\n", 25), 0);
	send(fd, "{\"name\":\"Expecting\",\"short_name\":\"EX\"}", 38, MSG_NOSIGNAL);
	raw_read(fd, out, sizeof(out), 5000, &closed);
	close(fd);
	if (strncmp(out, "HTTP/1.1 201 ", 13))
		fail_msg("after 100-continue: %.300s", out);
	/* HEAD: the headers of GET, no body */
	exchange("HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", out, sizeof(out), &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 200 ", 13), 0);
	assert_null(strstr(out, "schema_version"));
	assert_null(strstr(out, "Content-Length: 0\r\n"));
}

/* ---- 4. bad input that got no answer ---- */

static void test_paths_that_are_not_utf8_get_an_answer(void **state)
{
	(void)state;
	const char *paths[] = { "/api/v1/work-registers/%ff", "/%ff/x.css", "/api/v1/%c3%28", "/%ff" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		struct resp r = req(&S, "GET", paths[i], token_for(&S, ADMIN), NULL, NULL);
		expect_status(r, 404);
		assert_string_equal(r.ctype, "application/problem+json");
		assert_non_null(r.json); /* a JSON document, however odd the path */
		assert_string_equal(jstr(r.json, "instance"), paths[i]);
		resp_free(&r);
	}
	/* a public page answers with the site's own "not found" page */
	struct resp h = req(&S, "GET", "/registers/%ff", NULL, NULL, NULL);
	expect_status(h, 404);
	assert_string_equal(h.ctype, "text/html; charset=utf-8");
	resp_free(&h);
	/* an encoded NUL or a broken escape is a bad request, still answered */
	char out[4096];
	int closed;
	exchange("GET /api/v1/work-registers/%00 HTTP/1.1\r\nHost: x\r\n\r\n", out, sizeof(out), &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 400 ", 13), 0);
	exchange("GET /api/v1/work-registers/%f HTTP/1.1\r\nHost: x\r\n\r\n", out, sizeof(out), &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 400 ", 13), 0);
	struct resp r = req(&S, "GET", "/api/v1/work-registers?q=%ff", token_for(&S, ADMIN), NULL, NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "query");
	resp_free(&r);
}

/* ---- 3. /metrics ---- */

static void test_metrics_are_for_administrators(void **state)
{
	(void)state;
	struct resp r = req(&S, "GET", "/metrics", NULL, NULL, NULL);
	expect_status(r, 401);
	resp_free(&r);
	r = req(&S, "GET", "/metrics", token_for(&S, SAM), NULL, NULL);
	expect_status(r, 403);
	resp_free(&r);
	r = req(&S, "GET", "/metrics", token_for(&S, "vp@dmtf.example"), NULL, NULL);
	expect_status(r, 403);
	resp_free(&r);
	r = req(&S, "GET", "/metrics", token_for(&S, ADMIN), NULL, NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.raw, "entente_http_connections_open"));
	assert_non_null(strstr(r.raw, "entente_http_responses_total{class=\"4xx\"}"));
	resp_free(&r);
	/* a scraper at a configured address needs no account; others still do */
	struct server m;
	server_init(&m, 0);
	server_start(&m, "--metrics-from", "127.0.0.9,127.0.0.1", NULL);
	r = req(&m, "GET", "/metrics", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(server_stop(&m), 0);
	server_start(&m, "--metrics-from", "127.0.0.9", NULL);
	r = req(&m, "GET", "/metrics", NULL, NULL, NULL);
	expect_status(r, 401);
	resp_free(&r);
	assert_int_equal(server_finish(&m), 0);
}

/* ---- 1. availability ---- */

/* Wait up to ms for the open connections to fall to at most max. */
static long wait_open(struct server *s, long max, int ms)
{
	long v = -1;
	for (int t = 0; t < ms; t += 100) {
		v = server_metric(s, "entente_http_connections_open");
		if (v >= 0 && v <= max)
			break;
		usleep(100000);
	}
	return v;
}

/* 600 connections from 8 addresses that send "G" and close, and 200
 * that send "G" and half-close: the server notices each at once and
 * holds none of them (it held 256 and stopped answering). */
static void test_vanished_peers_are_let_go_at_once(void **state)
{
	(void)state;
	struct server s;
	server_init(&s, 1);
	server_start(&s, "--max-connections", "1000", "--head-timeout", "30", "--timeout", "60", NULL);
	int half[200];
	for (int i = 0; i < 600; i++) {
		char src[24];
		snprintf(src, sizeof(src), "127.0.0.%d", 2 + i % 8);
		int fd = raw_dial(&s, src);
		send(fd, "G", 1, MSG_NOSIGNAL);
		close(fd);
	}
	for (int i = 0; i < 200; i++) {
		char src[24];
		snprintf(src, sizeof(src), "127.0.0.%d", 20 + i % 4);
		half[i] = raw_dial(&s, src);
		send(half[i], "G", 1, MSG_NOSIGNAL);
		shutdown(half[i], SHUT_WR);
	}
	/* with a head deadline of 30 s, only noticing the close frees them */
	long open = wait_open(&s, 1, 5000);
	assert_true(open >= 0 && open <= 1);
	int closed = 0;
	for (int i = 0; i < 200; i++) {
		char b[16];
		int c;
		raw_read(half[i], b, sizeof(b), 10, &c);
		closed += c;
		close(half[i]);
	}
	assert_int_equal(closed, 200); /* each half-closed one was closed by the server */
	struct resp r = req(&s, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_true(server_metric(&s, "entente_http_connections_total{outcome=\"peer_closed_mid_request\"}") >= 800);
	assert_int_equal(server_finish(&s), 0);
}

/* A dribbling head is cut at the head deadline however steadily it
 * dribbles; a silent connection too. */
static void test_head_deadline_cuts_slow_loris(void **state)
{
	(void)state;
	struct server s;
	server_init(&s, 0);
	server_start(&s, "--head-timeout", "1", "--timeout", "60", NULL);
	int slow = raw_dial(&s, "127.0.0.30"), silent = raw_dial(&s, "127.0.0.31");
	const char *head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int cut = 0;
	for (size_t i = 0; i < strlen(head) && !cut; i++) {
		if (send(slow, head + i, 1, MSG_NOSIGNAL) < 0)
			cut = 1;
		char b[256];
		int c;
		raw_read(slow, b, sizeof(b), 100, &c); /* one byte every 100 ms */
		cut |= c;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(cut); /* closed long before the 6.6 s the head would take */
	assert_true(t1.tv_sec - t0.tv_sec < 6);
	char b[16];
	int c;
	raw_read(silent, b, sizeof(b), 3000, &c);
	assert_true(c);
	close(slow);
	close(silent);
	assert_true(server_metric(&s, "entente_http_connections_total{outcome=\"head_timeout\"}") >= 2);
	assert_int_equal(server_finish(&s), 0);
}

/* A full server makes room for a newcomer by letting the oldest waiting
 * connection go; one address cannot take more than its share. */
static void test_limits_leave_room_for_others(void **state)
{
	(void)state;
	struct server s;
	server_init(&s, 0);
	server_start(&s, "--max-connections", "40", "--per-ip", "30", "--head-timeout", "60", "--timeout", "60", NULL);
	int fds[61], n = 0, refused = 0;
	for (int i = 0; i < 31; i++)
		fds[n++] = raw_dial(&s, "127.0.0.40");
	/* one of 31 from one address is refused with 503 (which one depends on
	 * which worker accepted first); the other 30 are held, silent */
	for (int i = 0; i < 31; i++) {
		char out[1024];
		int closed;
		raw_read(fds[i], out, sizeof(out), refused ? 20 : 300, &closed);
		if (!strncmp(out, "HTTP/1.1 503 ", 13)) {
			assert_true(closed);
			refused++;
		} else {
			assert_int_equal(out[0], '\0');
		}
	}
	assert_int_equal(refused, 1);
	for (int i = 0; i < 30; i++)
		fds[n++] = raw_dial(&s, "127.0.0.41");
	/* 60 silent connections on a server of 40: a normal client still gets in */
	for (int i = 0; i < 5; i++) {
		struct resp r = req(&s, "GET", "/healthz", NULL, NULL, NULL);
		expect_status(r, 200);
		resp_free(&r);
	}
	for (int i = 0; i < n; i++)
		close(fds[i]);
	assert_int_equal(server_finish(&s), 0);
}

/* A client refused on its address's limit reads the 503 even when it sent
 * its request at once, before reading (a close with its request unread
 * could reset the connection and take the answer with it). */
static void test_a_refusal_is_read_by_a_client_that_sent_at_once(void **state)
{
	(void)state;
	struct server s;
	server_init(&s, 0);
	server_start(&s, "--per-ip", "1", "--head-timeout", "60", "--timeout", "60", NULL);
	int held = raw_dial(&s, "127.0.0.42");
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	nanosleep(&pause, NULL); /* held is counted before the next arrives */
	int fd = raw_dial(&s, "127.0.0.42");
	const char *get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(send(fd, get, strlen(get), MSG_NOSIGNAL), (ssize_t)strlen(get));
	nanosleep(&pause, NULL); /* refused and closed by now */
	char out[1024];
	int closed;
	raw_read(fd, out, sizeof(out), 2000, &closed);
	if (strncmp(out, "HTTP/1.1 503 ", 13))
		fail_msg("the refusal was not read: \"%.60s\" (errno %d)", out, errno);
	close(fd);
	close(held);
	assert_int_equal(server_finish(&s), 0);
}

/* ---- 5. sign-in ---- */

static const char *wrong = "{\"email\":\"tc@dmtf.example\",\"password\":\"not-the-one\"}";
static const char *right = "{\"email\":\"tc@dmtf.example\",\"password\":\"demo-alliance\"}";
static pthread_barrier_t barrier;
static long statuses[40];

static void *guess(void *arg)
{
	long i = (long)arg;
	pthread_barrier_wait(&barrier);
	struct resp r = req(&S, "POST", "/api/v1/session", NULL, wrong, NULL);
	statuses[i] = r.status;
	resp_free(&r);
	return NULL;
}

/* A sign-in over raw HTTP from a chosen loopback address. */
static int sign_in_from(struct server *s, const char *src, const char *body)
{
	char raw[512], out[4096];
	int closed, fd = raw_dial(s, src);
	/* on the test clock, frozen at s->now: no back-off runs out meanwhile */
	snprintf(raw, sizeof(raw), "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				   "X-Entente-Now: %lld\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
		 (long long)s->now, strlen(body), body);
	send(fd, raw, strlen(raw), MSG_NOSIGNAL);
	raw_read(fd, out, sizeof(out), 10000, &closed);
	close(fd);
	return atoi(out + 9);
}

/* 40 simultaneous wrong passwords: no more are checked than the limit,
 * because each attempt is counted before its hash is computed. */
static void test_simultaneous_guesses_are_counted_first(void **state)
{
	(void)state;
	pthread_t th[40];
	int checked = 0, throttled = 0;
	pthread_barrier_init(&barrier, NULL, 40);
	for (long i = 0; i < 40; i++)
		assert_int_equal(pthread_create(&th[i], NULL, guess, (void *)i), 0);
	for (int i = 0; i < 40; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (int i = 0; i < 40; i++) {
		checked += statuses[i] == 401;
		throttled += statuses[i] == 429;
	}
	assert_true(checked >= 1);
	assert_true(checked <= 5); /* THROTTLE_PAIR_FREE */
	assert_int_equal(checked + throttled, 40);
}

/* A guesser spread over many addresses slows the account down for new
 * addresses, but the owner still gets in from an address they used. */
static void test_owner_is_not_locked_out_by_a_distributed_guesser(void **state)
{
	(void)state;
	struct server s;
	server_init(&s, 1);
	server_start(&s, "--test-clock", NULL);
	const char *usual = "127.0.0.50";
	assert_int_equal(sign_in_from(&s, usual, right), 201); /* the owner's usual address */
	/* 4 guesses each from 6 addresses: under the pair limit, over the account's */
	int refused = 0;
	for (int a = 0; a < 6; a++)
		for (int i = 0; i < 4; i++) {
			char src[24];
			snprintf(src, sizeof(src), "127.0.0.%d", 60 + a);
			int st = sign_in_from(&s, src, wrong);
			assert_true(st == 401 || st == 429);
			refused += st == 429;
		}
	assert_true(refused > 0); /* the account-wide back-off slowed the guesser */
	/* even the right password waits from a new address... */
	assert_int_equal(sign_in_from(&s, "127.0.0.70", right), 429);
	/* ...but not from the owner's usual one */
	assert_int_equal(sign_in_from(&s, usual, right), 201);
	/* the back-off ends: 16 minutes later a new address gets in */
	s.now += 16 * 60;
	assert_int_equal(sign_in_from(&s, "127.0.0.71", right), 201);
	assert_int_equal(server_finish(&s), 0);
}

/* ---- 6. static files ---- */

static void test_static_files_never_follow_links(void **state)
{
	(void)state;
	struct server s;
	char web[256], path[320];
	server_init(&s, 0);
	snprintf(web, sizeof(web), "%s/web", s.dir);
	assert_int_equal(mkdir(web, 0755), 0);
	snprintf(path, sizeof(path), "%s/index.html", web);
	FILE *f = fopen(path, "w");
	fputs("<!doctype html><title>ok</title>", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/sub", web);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sub/app.js", web);
	f = fopen(path, "w");
	fputs("export {};", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/etc", web);
	assert_int_equal(symlink("/etc", path), 0);
	snprintf(path, sizeof(path), "%s/passwd.txt", web);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof(path), "%s/up", web);
	assert_int_equal(symlink("..", path), 0);
	server_start(&s, "--web-dir", web, NULL);
	/* sent as raw bytes: an HTTP client would resolve the dot segments itself */
	const char *refused[] = { "/etc/passwd", "/passwd.txt", "/up/e.db", "/up/web/index.html", "/sub/../index.html",
				  "/sub/./app.js", "/.hidden", "/etc/", "/%2e%2e/e.db", "/sub%2f..%2f..%2fe.db" };
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		char raw[256], out[4096];
		int closed;
		snprintf(raw, sizeof(raw), "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", refused[i]);
		raw_exchange(&s, raw, out, sizeof(out), &closed);
		if (strncmp(out, "HTTP/1.1 404 ", 13))
			fail_msg("%s: %.200s", refused[i], out);
		assert_null(strstr(out, "root:"));
	}
	struct resp r = req(&s, "GET", "/", NULL, NULL, NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.raw, "<title>ok</title>"));
	resp_free(&r);
	r = req(&s, "GET", "/sub/app.js", NULL, NULL, NULL);
	expect_status(r, 200);
	assert_string_equal(r.ctype, "text/javascript; charset=utf-8");
	resp_free(&r);
	assert_int_equal(server_finish(&s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smuggling_is_refused_and_closes),
		cmocka_unit_test(test_well_formed_requests_still_work),
		cmocka_unit_test(test_pipelined_changes_keep_their_order),
		cmocka_unit_test(test_a_refusal_is_read_by_a_client_that_sent_at_once),
		cmocka_unit_test(test_paths_that_are_not_utf8_get_an_answer),
		cmocka_unit_test(test_metrics_are_for_administrators),
		cmocka_unit_test(test_vanished_peers_are_let_go_at_once),
		cmocka_unit_test(test_head_deadline_cuts_slow_loris),
		cmocka_unit_test(test_limits_leave_room_for_others),
		cmocka_unit_test(test_simultaneous_guesses_are_counted_first),
		cmocka_unit_test(test_owner_is_not_locked_out_by_a_distributed_guesser),
		cmocka_unit_test(test_static_files_never_follow_links),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
