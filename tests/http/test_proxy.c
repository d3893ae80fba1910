/* Behind a reverse proxy (issue "Behind a reverse proxy"): Debian's nginx,
 * with a self-signed certificate made for the test, in front of entente
 * started with --trusted-proxy 127.0.0.1/32, --base-url https://... and
 * --metrics-from 127.0.0.1. Through it, over https: the sign-in and its
 * Secure cookie, a guesser that locks out only itself, /metrics refused
 * to a client outside, links from the base URL and never from the Host.
 * Without --trusted-proxy, or from a peer that is no proxy, forged
 * forwarding headers change nothing. Skipped only when nginx is not
 * installed (scripts/deps.sh test installs it). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

#define RIGHT "{\"email\":\"vp@dmtf.example\",\"password\":\"demo-alliance\"}"

static struct server S;        /* behind nginx */
static char dir[128] = "";     /* the certificate, nginx's configuration, logs and temp files */
static char cert[200], proxy_url[64], base[64];
static pid_t nginx_pid;
static const char *nginx_bin;

/* ---- processes ---- */

static void nginx_stop(void) { nginx_end(&nginx_pid); }

/* Whatever happened (a failed assertion in setup too), nothing is left
 * running and no directory stays behind. */
static void cleanup_all(void)
{
	char cmd[200];
	nginx_stop();
	server_reap(&S);
	if (dir[0]) {
		const char *keep = getenv("ENTENTE_TEST_LOGS");
		if (keep && *keep) {
			snprintf(cmd, sizeof(cmd), "cp %s/nginx-error.log %s-nginx.log 2>/dev/null", dir, keep);
			if (system(cmd)) {
			}
		}
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd)) {
		}
		dir[0] = '\0';
	}
}

/* nginx on 127.0.0.1:port with TLS, proxying to upstream (http://...). */
static void nginx_start(int port, const char *upstream)
{
	char conf[4096], cmd[1000];
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 "
		 "-addext subjectAltName=IP:127.0.0.1 -keyout %s/key.pem -out %s >%s/openssl.log 2>&1", dir, cert, dir);
	if (system(cmd))
		fail_msg("openssl could not make a certificate (see %s/openssl.log)", dir);
	snprintf(conf, sizeof(conf),
		 "daemon off;\nmaster_process off;\nworker_processes 1;\npid %1$s/nginx.pid;\n"
		 "error_log %1$s/nginx-error.log info;\nevents { worker_connections 128; }\n"
		 "http {\n"
		 "  access_log %1$s/nginx-access.log;\n"
		 "  client_body_temp_path %1$s/body;\n  proxy_temp_path %1$s/proxy;\n  fastcgi_temp_path %1$s/fastcgi;\n"
		 "  uwsgi_temp_path %1$s/uwsgi;\n  scgi_temp_path %1$s/scgi;\n"
		 "  server {\n"
		 "    listen 127.0.0.1:%2$d ssl;\n"
		 "    server_name 127.0.0.1;\n"
		 "    ssl_certificate %1$s/cert.pem;\n    ssl_certificate_key %1$s/key.pem;\n"
		 "    location / {\n"
		 "      proxy_pass %3$s;\n"
		 "      proxy_http_version 1.1;\n"
		 "      proxy_set_header Connection \"\";\n"
		 "      proxy_set_header Host $host;\n"
		 "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
		 "      proxy_set_header X-Forwarded-Proto $scheme;\n"
		 "    }\n"
		 "  }\n"
		 "}\n",
		 dir, port, upstream);
	nginx_pid = nginx_run(dir, conf, port);
}

/* ---- requests ---- */

/* A request to url + path: through nginx (https, its certificate trusted)
 * or straight to entente; from the loopback address src (NULL: any);
 * headers NULL-terminated. */
static struct resp hreq(const char *url, const char *src, const char *method, const char *path, const char *body,
			const char *const *headers)
{
	return req_via(NULL, url, strncmp(url, "https:", 6) ? NULL : cert, src, method, path, NULL, body, headers);
}

/* The status of one request (the response dropped). */
static long status_of(const char *url, const char *src, const char *method, const char *path, const char *body,
		      const char *const *headers)
{
	struct resp r = hreq(url, src, method, path, body, headers);
	long st = r.status;
	resp_free(&r);
	return st;
}

#define expect_code(got, want) do { long g_ = (got); if (g_ != (want)) fail_msg("%s:%d: status %ld (want %d)", __FILE__, __LINE__, g_, (want)); } while (0)

/* ---- the group: entente behind nginx ---- */

static int setup(void **state)
{
	(void)state;
	char opt_base[80];
	atexit(cleanup_all);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	nginx_bin = nginx_path();
	snprintf(dir, sizeof(dir), "/tmp/entente-proxy-XXXXXX");
	assert_non_null(mkdtemp(dir));
	int port = free_port();
	assert_true(port > 0);
	snprintf(proxy_url, sizeof(proxy_url), "https://127.0.0.1:%d", port);
	snprintf(base, sizeof(base), "%s", proxy_url);
	snprintf(opt_base, sizeof(opt_base), "%s/", base); /* a final slash is dropped */
	server_init(&S, 1);
	server_start(&S, "--trusted-proxy", "127.0.0.1/32", "--trusted-proxy", "10.9.0.0/16", "--base-url", opt_base,
		     "--metrics-from", "127.0.0.1", NULL);
	if (nginx_bin)
		nginx_start(port, S.url);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nginx_stop();
	int st = server_finish(&S); /* a sanitizer report or an unclean stop fails the group */
	cleanup_all();
	return st;
}

static void need_nginx(void)
{
	if (!nginx_bin) {
		fprintf(stderr, "nginx is not installed (scripts/deps.sh test): skipped\n");
		skip();
	}
}

/* (a) A sign-in over https through nginx: the cookie is Secure (the base
 * URL is https, though the kit starts entente with --insecure-cookie),
 * and it works through the proxy. */
static void test_sign_in_over_https(void **state)
{
	(void)state;
	need_nginx();
	struct resp r = hreq(proxy_url, NULL, "POST", "/api/v1/session", RIGHT, NULL);
	expect_code(r.status, 201);
	assert_non_null(strstr(r.cookie, "; Secure"));
	assert_non_null(strstr(r.cookie, "HttpOnly"));
	char sid[80], cookie[120];
	assert_int_equal(sscanf(r.cookie, " entente_session=%79[0-9a-f]", sid), 1);
	resp_free(&r);
	snprintf(cookie, sizeof(cookie), "Cookie: entente_session=%s", sid);
	const char *h[] = { cookie, NULL };
	r = hreq(proxy_url, NULL, "GET", "/api/v1/me", NULL, h);
	expect_code(r.status, 200);
	assert_non_null(strstr(r.raw, "vp@dmtf.example"));
	resp_free(&r);
}

/* (b) A guesser behind the proxy (nginx forwards it as 203.0.113.7)
 * sprays wrong passwords until the per-address limit stops it; another
 * client of the same proxy still signs in. Were the throttle to see the
 * proxy's address, both would be the one address 127.0.0.1 and the other
 * client would be refused too. */
static void test_a_guesser_locks_out_only_itself(void **state)
{
	(void)state;
	need_nginx();
	const char *guesser[] = { "X-Forwarded-For: 203.0.113.7", NULL };
	const char *other[] = { "X-Forwarded-For: 198.51.100.9", NULL };
	int refused = 0, checked = 0;
	for (int i = 0; i < 36; i++) {
		char body[120];
		/* a new account each time: only the address's own limit can stop it */
		snprintf(body, sizeof(body), "{\"email\":\"guess%d@nowhere.example\",\"password\":\"wrong-pass\"}", i);
		long st = status_of(proxy_url, NULL, "POST", "/api/v1/session", body, guesser);
		refused += st == 429;
		checked += st == 401;
		assert_true(st == 401 || st == 429);
	}
	assert_true(checked >= 30); /* THROTTLE_ADDRESS_FREE */
	assert_true(refused >= 1);
	/* the guesser waits even with the right password... */
	expect_code(status_of(proxy_url, NULL, "POST", "/api/v1/session", RIGHT, guesser), 429);
	/* ... the others do not: another forwarded client, and the proxy's own host */
	expect_code(status_of(proxy_url, NULL, "POST", "/api/v1/session", RIGHT, other), 201);
	expect_code(status_of(proxy_url, NULL, "POST", "/api/v1/session", RIGHT, NULL), 201);
	expect_code(status_of(S.url, NULL, "POST", "/api/v1/session", RIGHT, NULL), 201);
}

/* (c) --metrics-from 127.0.0.1 is nginx's address, not the world's: a
 * client outside, through nginx, is refused; a scraper on the host, straight
 * to entente, is let in. */
static void test_metrics_are_refused_through_the_proxy(void **state)
{
	(void)state;
	need_nginx();
	const char *outside[] = { "X-Forwarded-For: 203.0.113.50", NULL };
	long st = status_of(proxy_url, NULL, "GET", "/metrics", NULL, outside);
	assert_true(st == 401 || st == 403);
	/* a client that names the proxy's own address in a header nginx passes on */
	const char *forged[] = { "X-Forwarded-For: 203.0.113.50", "Forwarded: for=127.0.0.1", NULL };
	st = status_of(proxy_url, NULL, "GET", "/metrics", NULL, forged);
	assert_true(st == 401 || st == 403);
	const char *forged2[] = { "X-Forwarded-For: 127.0.0.1, 203.0.113.50", NULL };
	st = status_of(proxy_url, NULL, "GET", "/metrics", NULL, forged2);
	assert_true(st == 401 || st == 403);
	struct resp r = hreq(S.url, NULL, "GET", "/metrics", NULL, NULL);
	expect_code(r.status, 200);
	assert_non_null(strstr(r.raw, "entente_http_requests_total"));
	resp_free(&r);
}

/* A forged X-Forwarded-For from a peer that is no trusted proxy (here
 * 127.0.0.2, straight to entente) changes nothing: /metrics sees 127.0.0.2. */
static void test_headers_from_a_peer_that_is_no_proxy_change_nothing(void **state)
{
	(void)state;
	const char *forged[] = { "X-Forwarded-For: 127.0.0.1", NULL };
	const char *forged_rfc[] = { "Forwarded: for=127.0.0.1", NULL };
	long st = status_of(S.url, "127.0.0.2", "GET", "/metrics", NULL, forged);
	assert_true(st == 401 || st == 403);
	st = status_of(S.url, "127.0.0.2", "GET", "/metrics", NULL, forged_rfc);
	assert_true(st == 401 || st == 403);
	st = status_of(S.url, "127.0.0.1", "GET", "/metrics", NULL, NULL);
	expect_code(st, 200);
}

/* (d) Every absolute link starts with --base-url; a Host header, through
 * nginx or straight, names nothing. */
static void test_links_use_the_base_url(void **state)
{
	(void)state;
	char want[200];
	const char *evil[] = { "Host: evil.example", NULL };
	snprintf(want, sizeof(want), "<link rel=\"self\" href=\"%s/registers/feed.atom\"/>", base);
	const char *urls[] = { nginx_bin ? proxy_url : NULL, S.url };
	for (int u = 0; u < 2; u++) {
		if (!urls[u])
			continue;
		for (int h = 0; h < 2; h++) {
			struct resp r = hreq(urls[u], NULL, "GET", "/registers/feed.atom", NULL, h ? evil : NULL);
			expect_code(r.status, 200);
			assert_non_null(strstr(r.raw, want));
			assert_null(strstr(r.raw, "evil.example"));
			assert_null(strstr(r.raw, "http://127.0.0.1"));
			resp_free(&r);
			r = hreq(urls[u], NULL, "GET", "/api/v1/openapi.json", NULL, h ? evil : NULL);
			expect_code(r.status, 200);
			json_t *doc = json_loads(r.raw, 0, NULL);
			assert_non_null(doc);
			assert_string_equal(jstr(doc, "servers.0.url"), base);
			json_decref(doc);
			assert_null(strstr(r.raw, "evil.example"));
			resp_free(&r);
		}
	}
	/* the checkpoints' own feed (issue 25) names the base URL too */
	struct resp r = hreq(S.url, NULL, "GET", "/registers/checkpoints.atom", NULL, evil);
	expect_code(r.status, 200);
	snprintf(want, sizeof(want), "<link rel=\"self\" href=\"%s/registers/checkpoints.atom\"/>", base);
	assert_non_null(strstr(r.raw, want));
	assert_null(strstr(r.raw, "evil.example"));
	resp_free(&r);
}

/* (e) Without --trusted-proxy, the forwarding headers are no one's word:
 * the throttle and /metrics see the socket's address, 127.0.0.1. */
static void test_without_trusted_proxies_forged_headers_change_nothing(void **state)
{
	(void)state;
	struct server p;
	char xff[64], body[120];
	server_init(&p, 1);
	server_start(&p, "--metrics-from", "203.0.113.7", NULL);
	const char *forged[] = { "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https", NULL };
	const char *forged_rfc[] = { "Forwarded: for=203.0.113.7;proto=https", NULL };
	long st = status_of(p.url, NULL, "GET", "/metrics", NULL, forged);
	assert_true(st == 401 || st == 403);
	st = status_of(p.url, NULL, "GET", "/metrics", NULL, forged_rfc);
	assert_true(st == 401 || st == 403);
	/* a guesser that names a new address each time is still one address */
	int refused = 0;
	for (int i = 0; i < 34; i++) {
		snprintf(xff, sizeof(xff), "X-Forwarded-For: 198.51.100.%d", i + 1);
		snprintf(body, sizeof(body), "{\"email\":\"guess%d@nowhere.example\",\"password\":\"wrong-pass\"}", i);
		const char *h[] = { xff, NULL };
		refused += status_of(p.url, NULL, "POST", "/api/v1/session", body, h) == 429;
	}
	assert_true(refused >= 1);
	const char *fresh[] = { "X-Forwarded-For: 192.0.2.200", NULL };
	expect_code(status_of(p.url, NULL, "POST", "/api/v1/session", RIGHT, fresh), 429);
	/* no https forwarded either: the kit's --insecure-cookie holds for an http base URL */
	struct resp r = hreq(p.url, "127.0.0.3", "POST", "/api/v1/session", RIGHT, forged);
	expect_code(r.status, 201);
	assert_null(strstr(r.cookie, "Secure"));
	resp_free(&r);
	/* the default base URL is the address listened on, never the Host */
	const char *evil[] = { "Host: evil.example", NULL };
	r = hreq(p.url, NULL, "GET", "/registers/feed.atom", NULL, evil);
	expect_code(r.status, 200);
	char want[300];
	snprintf(want, sizeof(want), "<link rel=\"self\" href=\"%s/registers/feed.atom\"/>", p.url);
	assert_non_null(strstr(r.raw, want));
	assert_null(strstr(r.raw, "evil.example"));
	resp_free(&r);
	assert_int_equal(server_finish(&p), 0);
}

/* A bad --trusted-proxy or --base-url is refused before anything starts. */
static void test_bad_options_are_refused(void **state)
{
	(void)state;
	char cmd[600];
	static const char *bad[] = { "--trusted-proxy 10.0.0.0/33", "--trusted-proxy nonsense", "--base-url ftp://x.example",
				     "--base-url https://x.example/entente", "--base-url https://x.example?q", "--metrics-from 1.2.3",
				     NULL };
	const char *bin = getenv("ENTENTE_BIN");
	for (int i = 0; bad[i]; i++) {
		snprintf(cmd, sizeof(cmd), "timeout 20 %s --db %s serve --listen 127.0.0.1:0 --tick 0 %s 2>/dev/null",
			 bin && *bin ? bin : "build/entente", S.db, bad[i]);
		int st = system(cmd);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 2)
			fail_msg("%s: exit %d, want 2", bad[i], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	snprintf(cmd, sizeof(cmd), "ENTENTE_TRUSTED_PROXY=10.0.0.0/99 timeout 20 %s --db %s serve --listen 127.0.0.1:0 --tick 0 2>/dev/null",
		 bin && *bin ? bin : "build/entente", S.db);
	int st = system(cmd);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_in_over_https),
		cmocka_unit_test(test_a_guesser_locks_out_only_itself),
		cmocka_unit_test(test_metrics_are_refused_through_the_proxy),
		cmocka_unit_test(test_headers_from_a_peer_that_is_no_proxy_change_nothing),
		cmocka_unit_test(test_links_use_the_base_url),
		cmocka_unit_test(test_without_trusted_proxies_forged_headers_change_nothing),
		cmocka_unit_test(test_bad_options_are_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
