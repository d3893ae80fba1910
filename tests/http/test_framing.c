/* The HTTP server as real clients reach it (issue 19): bodies that come
 * after their head, in pieces and with pauses; trailers; absolute-form
 * targets; "100 Continue" only after the head's checks; HTTP/1.0
 * keep-alive; slow and stalled readers; a refusal the client can read; and
 * fair admission under slow heads, slow bodies, slow readers and
 * half-closed connections. Timing is never asserted: figures are printed. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

static struct server S;
static struct server T; /* a test's own server, reaped when the test fails */

static int reap(void **state)
{
	(void)state;
	server_reap(&T);
	return 0;
}

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

static void pause_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000 + (double)t.tv_nsec / 1e6;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
	}
}

/* ---- part 1: a body after its head ---- */

/* A sign-in body of exactly n bytes (n >= 64): the right password, padded
 * with JSON white space, so only a body read whole and exactly signs in;
 * below 64 bytes, n bytes of '{', which must be refused as malformed JSON. */
static char *sign_in_body(size_t n)
{
	static const char json[] = "{\"email\":\"vp@dmtf.example\",\"password\":\"demo-alliance\"";
	char *b = malloc(n + 1);
	assert_non_null(b);
	if (n < 64) {
		memset(b, '{', n);
	} else {
		memcpy(b, json, sizeof(json) - 1);
		memset(b + sizeof(json) - 1, ' ', n - sizeof(json));
		b[n - 1] = '}';
	}
	b[n] = '\0';
	return b;
}

enum framing { BY_LENGTH, CHUNKED, EXPECTING };

/* Send the head, pause, then the body in three parts with pauses between
 * them (each part a chunk of its own when chunked); the whole answer. */
static void post_in_pieces(size_t n, enum framing how, char *out, size_t outn)
{
	char head[512], *body = sign_in_body(n);
	int closed, fd = raw_dial(&S, NULL);
	snprintf(head, sizeof(head), "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		 "Connection: close\r\n%s%s\r\n",
		 how == CHUNKED ? "Transfer-Encoding: chunked\r\n" : "", how == EXPECTING ? "Expect: 100-continue\r\n" : "");
	if (how != CHUNKED)
		snprintf(head + strlen(head) - 2, sizeof(head) - strlen(head) + 2, "Content-Length: %zu\r\n\r\n", n);
	send_all(fd, head, strlen(head));
	if (how == EXPECTING) { /* the interim answer comes before any of the body */
		raw_read_until(fd, out, outn, 2000, "\r\n\r\n", &closed);
		if (strcmp(out, "HTTP/1.1 100 Continue\r\n\r\n"))
			fail_msg("size %zu: want 100 Continue alone, got %.200s", n, out);
	} else {
		pause_ms(100);
	}
	size_t part = n / 3 + 1;
	for (size_t at = 0; at < n; at += part) {
		size_t m = n - at < part ? n - at : part;
		if (how == CHUNKED) {
			char size[32];
			snprintf(size, sizeof(size), "%zx;piece=1\r\n", m);
			send_all(fd, size, strlen(size));
		}
		send_all(fd, body + at, m);
		if (how == CHUNKED)
			send_all(fd, "\r\n", 2);
		pause_ms(50);
	}
	if (how == CHUNKED)
		send_all(fd, "0\r\nX-Checked: yes\r\n\r\n", 21);
	raw_read(fd, out, outn, 10000, &closed);
	close(fd);
	free(body);
}

/* The body came in later packets than its head and made the buffer grow:
 * before the fix the parsed head pointed into the freed buffer (a
 * heap-use-after-free under ASan; without it, a 404 naming freed bytes). */
static void test_a_body_after_its_head_reads_right(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 4096, 65536, 1 << 20 };
	static char out[65536];
	for (int how = BY_LENGTH; how <= EXPECTING; how++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
			post_in_pieces(sizes[i], (enum framing)how, out, sizeof(out));
			const char *status = sizes[i] < 64 ? "HTTP/1.1 400 " : "HTTP/1.1 201 ";
			if (strncmp(out, status, 13))
				fail_msg("size %zu, framing %d: want %.12s, got %.300s", sizes[i], how, status, out);
			if (sizes[i] < 64) /* the problem names the request's own path */
				assert_non_null(strstr(out, "\"instance\":\"/api/v1/session\""));
			else
				assert_non_null(strstr(out, "entente_session="));
		}
	/* libcurl's own Expect: 100-continue with a body over 4 KB */
	char *body = sign_in_body(9000);
	const char *expect[] = { "Expect: 100-continue", NULL };
	struct resp r = req(&S, "POST", "/api/v1/session", NULL, body, expect);
	expect_status(r, 201);
	resp_free(&r);
	free(body);
}

/* ---- part 2: framing ---- */

/* Bytes after the last chunk are trailer fields or a 400: a request hidden
 * there is never run. Good trailers pass, and what follows is the next
 * request. */
static void test_trailers_hide_no_request(void **state)
{
	(void)state;
	char out[65536];
	int closed;
	const char *smuggle = "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			      "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nGET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
	raw_exchange(&S, smuggle, out, sizeof(out), &closed);
	if (strncmp(out, "HTTP/1.1 400 ", 13))
		fail_msg("want 400, got %.300s", out);
	assert_true(closed);
	assert_int_equal(raw_responses(out), 1);
	assert_null(strstr(out, "\"openapi\""));
	assert_non_null(strstr(out, "trailer"));
	const char *good = "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Sum: 1\r\nX-Other:2\r\n\r\n"
			   "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	raw_exchange(&S, good, out, sizeof(out), &closed);
	assert_int_equal(raw_responses(out), 2);
	assert_non_null(strstr(out, "schema_version"));
}

/* An absolute-form target is served as its path (RFC 9112 3.2.2). */
static void test_absolute_form_is_served(void **state)
{
	(void)state;
	char out[8192];
	int closed;
	const char *get = "GET http://entente.example:8080/healthz HTTP/1.1\r\nHost: x\r\n\r\n"
			  "GET HTTP://entente.example/api/v1/no-such?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	raw_exchange(&S, get, out, sizeof(out), &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 200 ", 13), 0);
	assert_non_null(strstr(out, "schema_version"));
	char *second = strstr(out + 1, "HTTP/1.1 ");
	assert_non_null(second);
	assert_int_equal(strncmp(second, "HTTP/1.1 404 ", 13), 0);
	assert_non_null(strstr(second, "\"instance\":\"/api/v1/no-such\""));
}

/* "100 Continue" only after the head passed what can refuse it, and only
 * to HTTP/1.1: too large (413), no such route (404), no credentials (401)
 * are answered instead, and the body is never asked for. */
static void test_continue_only_after_the_checks(void **state)
{
	(void)state;
	static const struct { const char *head; const char *status; } refused[] = {
		{ "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n", "413" },
		{ "POST /api/v1/no-such-thing HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", "404" },
		{ "DELETE /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", "405" },
		{ "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n"
		  "Expect: 100-continue\r\n\r\n", "401" },
	};
	char out[8192], want[16];
	int closed;
	long before = server_metric(&S, "entente_http_continues_total");
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		int fd = raw_dial(&S, NULL);
		send_all(fd, refused[i].head, strlen(refused[i].head));
		raw_read(fd, out, sizeof(out), 3000, &closed);
		close(fd);
		snprintf(want, sizeof(want), "HTTP/1.1 %s ", refused[i].status);
		if (strncmp(out, want, 13))
			fail_msg("case %zu: want %s first, got %.200s", i, want, out);
		assert_null(strstr(out, "100 Continue"));
		assert_true(closed);
	}
	assert_int_equal(server_metric(&S, "entente_http_continues_total"), before);
	/* HTTP/1.0: the expectation is ignored, no interim answer */
	int fd = raw_dial(&S, NULL);
	char *body = sign_in_body(200), head[256];
	snprintf(head, sizeof(head), "POST /api/v1/session HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 200\r\n"
		 "Expect: 100-continue\r\n\r\n");
	send_all(fd, head, strlen(head));
	raw_read(fd, out, sizeof(out), 400, &closed);
	assert_string_equal(out, "");
	send_all(fd, body, 200);
	raw_read(fd, out, sizeof(out), 5000, &closed);
	close(fd);
	free(body);
	assert_int_equal(strncmp(out, "HTTP/1.1 201 ", 13), 0);
	assert_true(closed); /* HTTP/1.0 without keep-alive */
	assert_int_equal(server_metric(&S, "entente_http_continues_total"), before);
}

/* HTTP/1.0 keeps the connection only when asked, and says so. */
static void test_http10_keep_alive(void **state)
{
	(void)state;
	char out[8192];
	int closed, fd = raw_dial(&S, NULL);
	const char *get = "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
	send_all(fd, get, strlen(get));
	raw_read_until(fd, out, sizeof(out), 1000, "}", &closed);
	assert_int_equal(strncmp(out, "HTTP/1.1 200 ", 13), 0);
	assert_non_null(strstr(out, "\r\nConnection: keep-alive\r\n"));
	assert_false(closed);
	send_all(fd, "GET /healthz HTTP/1.0\r\n\r\n", 25); /* the second does not ask: the last */
	raw_read(fd, out, sizeof(out), 3000, &closed);
	close(fd);
	assert_int_equal(strncmp(out, "HTTP/1.1 200 ", 13), 0);
	assert_non_null(strstr(out, "\r\nConnection: close\r\n"));
	assert_true(closed);
}

/* A connection whose receive buffer is small, asking for the OpenAPI
 * document (over 400 KB) n times, pipelined. */
#define PIPELINED 20
static int ask_large(struct server *s, const char *src, int n)
{
	int fd = raw_dial_rcvbuf(s, src, 4096);
	for (int i = 0; i < n; i++) {
		const char *get = "GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
		send_all(fd, get, strlen(get));
	}
	return fd;
}

/* The write deadline restarts whenever the client takes bytes: a reader
 * slower than the whole response's deadline is served to the end; one
 * that stops reading is dropped at the deadline. */
static void test_slow_readers_served_stalled_dropped(void **state)
{
	(void)state;
	struct server *s = &T;
	server_init(s, 0);
	server_start(s, "--timeout", "1", NULL);
	struct resp r = req(s, "GET", "/api/v1/openapi.json", NULL, NULL, NULL);
	expect_status(r, 200);
	size_t want = PIPELINED * strlen(r.raw); /* more than the kernel's buffers hold: the server waits to write */
	resp_free(&r);
	/* slow: 1 MB at a time, then 600 ms without reading, shorter than the
	 * 1 s deadline each time, far longer all told */
	int fd = ask_large(s, NULL, PIPELINED);
	size_t got = 0, burst = 0;
	char *buf = malloc(1 << 16);
	double t0 = now_ms();
	while (got < want) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 3000) <= 0)
			break;
		ssize_t n = recv(fd, buf, 1 << 16, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		if ((burst += (size_t)n) >= (1u << 20)) {
			burst = 0;
			pause_ms(600);
		}
	}
	double took = now_ms() - t0;
	close(fd);
	printf("slow reader: %zu of %zu bytes in %.0f ms (write deadline 1 s)\n", got, want, took);
	assert_true(got >= want); /* every byte of every document, with their heads */
	assert_true(took > 2000); /* so the deadline did restart */
	assert_int_equal(server_metric(s, "entente_http_connections_total{outcome=\"write_timeout\"}"), 0);
	/* stalled: reads nothing */
	fd = ask_large(s, NULL, PIPELINED);
	long dropped = 0;
	for (int i = 0; i < 60 && !dropped; i++) {
		pause_ms(100);
		dropped = server_metric(s, "entente_http_connections_total{outcome=\"write_timeout\"}");
	}
	close(fd);
	free(buf);
	assert_int_equal(dropped, 1);
	assert_int_equal(server_finish(s), 0);
}

/* A refusal that closes the connection is read by a client that is still
 * sending: the server drains what comes for a moment instead of resetting
 * the connection under its answer. */
static void test_a_refused_sender_reads_the_refusal(void **state)
{
	(void)state;
	static char junk[1 << 16];
	char out[4096];
	memset(junk, 'j', sizeof(junk));
	for (int round = 0; round < 5; round++) {
		int closed, fd = raw_dial(&S, NULL);
		const char *bad = "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
		send_all(fd, bad, strlen(bad));
		pause_ms(20); /* refused by now, while the client goes on sending */
		fcntl(fd, F_SETFL, O_NONBLOCK);
		for (int i = 0; i < 8; i++)
			if (send(fd, junk, sizeof(junk), MSG_NOSIGNAL) < 0)
				break;
		fcntl(fd, F_SETFL, 0);
		raw_read(fd, out, sizeof(out), 3000, &closed);
		close(fd);
		if (strncmp(out, "HTTP/1.1 400 ", 13))
			fail_msg("round %d: the refusal was lost: \"%.60s\" (errno %d)", round, out, errno);
	}
}

/* ---- part 3: fair admission ---- */

#define ATTACKERS 4
#define EACH 250

struct attack {
	int fds[ATTACKERS][EACH];
	int dribbling;   /* the first groups that dribble a byte a second */
	int stop;
};

static void *dribble(void *arg)
{
	struct attack *a = arg;
	while (!__atomic_load_n(&a->stop, __ATOMIC_RELAXED)) {
		for (int k = 0; k < a->dribbling; k++)
			for (int i = 0; i < EACH; i++)
				if (a->fds[k][i] >= 0 && send(a->fds[k][i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
				    errno != EAGAIN) {
					close(a->fds[k][i]);
					a->fds[k][i] = -1;
				}
		for (int t = 0; t < 10 && !__atomic_load_n(&a->stop, __ATOMIC_RELAXED); t++)
			pause_ms(100);
	}
	return NULL;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* A slow body from src: its head, then a byte a second (by dribble). */
static int slow_body(struct server *s, const char *src)
{
	int fd = raw_dial(s, src);
	const char *head = "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			   "Content-Length: 100000\r\n\r\n{";
	send_all(fd, head, strlen(head));
	return fd;
}

/* n requests of a normal client while the attack goes on (every tenth, a
 * slow body of group 'renew' is replaced by a fresh one from src); the
 * number answered 200, and the latencies printed under title. */
static int normal_client(struct server *s, struct attack *a, int renew, const char *src, const char *title)
{
	enum { N = 200 };
	double lat[N];
	int ok = 0;
	for (int i = 0; i < N; i++) {
		double t0 = now_ms();
		struct resp r = req(s, "GET", "/healthz", NULL, NULL, NULL);
		lat[i] = now_ms() - t0;
		ok += r.status == 200;
		if (r.status != 200)
			fprintf(stderr, "request %d: status %ld %s\n", i, r.status, r.raw ? r.raw : "");
		resp_free(&r);
		if (i % 10 == 0) { /* the flood goes on */
			int k = i / 10;
			if (a->fds[renew][k] >= 0)
				close(a->fds[renew][k]);
			a->fds[renew][k] = slow_body(s, src);
		}
	}
	qsort(lat, N, sizeof(*lat), cmp_double);
	printf("%s: %d/%d answered, p50 %.1f ms, p99 %.1f ms; evicted %ld idle or head, %ld too slow\n", title, ok, N,
	       lat[N / 2], lat[N * 99 / 100], server_metric(s, "entente_http_connections_total{outcome=\"evicted\"}"),
	       server_metric(s, "entente_http_connections_total{outcome=\"evicted_slow\"}"));
	return ok == N;
}

static void attack_end(struct attack *a, pthread_t t)
{
	__atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	for (int k = 0; k < ATTACKERS; k++)
		for (int i = 0; i < EACH; i++)
			if (a->fds[k][i] >= 0)
				close(a->fds[k][i]);
}

static int enough_descriptors(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur >= 2 * ATTACKERS * EACH;
}

/* Four addresses, 250 connections each: slow heads, slow bodies, slow
 * readers and half-closed ones, against a server of 400 connections. A
 * normal client meanwhile gets every answer; its p99 is printed. */
static void test_a_normal_client_always_gets_in(void **state)
{
	(void)state;
	if (!enough_descriptors())
		skip();
	struct server *s = &T;
	server_init(s, 0);
	server_start(s, "--max-connections", "400", "--per-ip", "250", "--head-timeout", "60", "--timeout", "60",
		     "--min-rate", "1024", "--rate-grace", "1", NULL);
	static struct attack a;
	static const char *from[ATTACKERS] = { "127.0.0.51", "127.0.0.52", "127.0.0.53", "127.0.0.54" };
	memset(&a, 0, sizeof(a));
	a.dribbling = 2;
	for (int i = 0; i < EACH; i++) {
		a.fds[0][i] = slow_body(s, from[0]);
		a.fds[1][i] = raw_dial(s, from[1]);
		send_all(a.fds[1][i], "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 40);
		a.fds[2][i] = ask_large(s, from[2], 2);
		a.fds[3][i] = raw_dial(s, from[3]);
		send_all(a.fds[3][i], "GET /healthz HTTP/1.1\r\nHo", 25);
		shutdown(a.fds[3][i], SHUT_WR);
	}
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, dribble, &a), 0);
	pause_ms(1500); /* past the grace: the dribbling bodies are slow */
	int all = normal_client(s, &a, 0, from[0], "normal client under 4 x 250 slow connections");
	attack_end(&a, t);
	assert_true(all);
	assert_true(server_metric(s, "entente_http_connections_total{outcome=\"evicted\"}") > 0);
	assert_int_equal(server_finish(s), 0);
}

/* When only bodies under way hold the slots, those slower than the
 * minimum rate past the grace make room; without the rule (--rate-grace
 * 0) the server is full and refuses. */
static void test_slow_bodies_make_room(void **state)
{
	(void)state;
	if (!enough_descriptors())
		skip();
	for (int rule = 1; rule >= 0; rule--) {
		struct server *s = &T;
		server_init(s, 0);
		server_start(s, "--max-connections", "100", "--per-ip", "250", "--timeout", "60", "--min-rate", "1024",
			     "--rate-grace", rule ? "1" : "0", NULL);
		static struct attack a;
		memset(&a, 0, sizeof(a));
		for (int k = 1; k < ATTACKERS; k++)
			for (int i = 0; i < EACH; i++)
				a.fds[k][i] = -1;
		a.dribbling = 1;
		for (int i = 0; i < 150; i++)
			a.fds[0][i] = slow_body(s, "127.0.0.55");
		for (int i = 150; i < EACH; i++)
			a.fds[0][i] = -1;
		pthread_t t;
		assert_int_equal(pthread_create(&t, NULL, dribble, &a), 0);
		pause_ms(1500);
		if (rule) {
			int all = normal_client(s, &a, 0, "127.0.0.55", "normal client beside 150 slow bodies on 100 slots");
			attack_end(&a, t);
			assert_true(all);
			assert_true(server_metric(s, "entente_http_connections_total{outcome=\"evicted_slow\"}") > 0);
		} else {
			struct resp r = req(s, "GET", "/healthz", NULL, NULL, NULL);
			attack_end(&a, t);
			expect_status(r, 503); /* the rule is what made room */
			resp_free(&r);
		}
		assert_int_equal(server_finish(s), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_body_after_its_head_reads_right),
		cmocka_unit_test(test_trailers_hide_no_request),
		cmocka_unit_test(test_absolute_form_is_served),
		cmocka_unit_test(test_continue_only_after_the_checks),
		cmocka_unit_test(test_http10_keep_alive),
		cmocka_unit_test(test_a_refused_sender_reads_the_refusal),
		cmocka_unit_test_teardown(test_slow_readers_served_stalled_dropped, reap),
		cmocka_unit_test_teardown(test_a_normal_client_always_gets_in, reap),
		cmocka_unit_test_teardown(test_slow_bodies_make_room, reap),
	};
	if (getenv("TEST_FILTER")) /* one test alone, by a glob on its name */
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, setup, teardown);
}
