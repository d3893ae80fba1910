#include "http/client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>

static const char *bin(void)
{
	const char *b = getenv("ENTENTE_BIN");
	return b && *b ? b : "build/entente";
}

void server_at(struct server *s, const char *dir, const char *db)
{
	memset(s, 0, sizeof(*s));
	if (dir) {
		assert_true(strlen(dir) < sizeof(s->dir));
		memcpy(s->dir, dir, strlen(dir) + 1);
	} else {
		snprintf(s->dir, sizeof(s->dir), "/tmp/entente-test-XXXXXX");
		assert_non_null(mkdtemp(s->dir));
	}
	assert_true(strlen(s->dir) + strlen(db) + sizeof("/server.log") < sizeof(s->db));
	snprintf(s->db, sizeof(s->db), "%s/%s", s->dir, db);
	snprintf(s->log, sizeof(s->log), "%s/server.log", s->dir);
	snprintf(s->ready, sizeof(s->ready), "%s/ready", s->dir);
	s->now = (int64_t)time(NULL);
}

/* Issue 26: under tests/pg/pg.sh with ENTENTE_TEST_PG=1, each server's
 * database is a new PostgreSQL database of its own, its signing key in
 * the server's directory. (Tests that open the database file themselves
 * cannot run so.) */
static void server_pg(struct server *s)
{
	const char *on = getenv("ENTENTE_TEST_PG"), *url = getenv("ENTENTE_PG_URL"), *slash;
	char name[64], cmd[1200];
	if (!on || strcmp(on, "1") || !url || !(slash = strrchr(url, '/')))
		return;
	snprintf(name, sizeof(name), "t_%s", strrchr(s->dir, '-') ? strrchr(s->dir, '-') + 1 : "x");
	snprintf(cmd, sizeof(cmd), "psql -q '%s' -c 'CREATE DATABASE \"%s\"' >/dev/null", url, name);
	assert_int_equal(system(cmd), 0);
	snprintf(s->db, sizeof(s->db), "%.*s/%s", (int)(slash - url), url, name);
}

/* The signing key of a server_pg database (none beside a URL): its
 * commands and server are given it. */
static void pg_key(const struct server *s)
{
	char key[600];
	if (strncmp(s->db, "postgres", 8)) {
		if (getenv("ENTENTE_TEST_PG")) /* a file's key is beside it */
			unsetenv("ENTENTE_SIGNING_KEY");
		return;
	}
	snprintf(key, sizeof(key), "%s/e.db.signing-key", s->dir);
	setenv("ENTENTE_SIGNING_KEY", key, 1);
}

void server_init(struct server *s, int demo)
{
	char out[4096];
	server_at(s, NULL, "e.db");
	server_pg(s);
	assert_int_equal(cli(s, out, sizeof(out), "init%s", demo ? " --demo" : ""), 0);
	const char *p = strstr(out, "password: ");
	assert_non_null(p);
	sscanf(p + 10, "%63s", s->admin_password);
}

void server_start(struct server *s, ...)
{
	const char *argv[40];
	int n = 0;
	va_list ap;
	unlink(s->ready);
	argv[n++] = bin();
	argv[n++] = "--db";
	argv[n++] = s->db;
	argv[n++] = "serve";
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--ready-file";
	argv[n++] = s->ready;
	argv[n++] = "--tick";
	argv[n++] = "0";
	argv[n++] = "--insecure-cookie";
	va_start(ap, s);
	for (const char *a; (a = va_arg(ap, const char *)) && n < 38;) {
		if (!strcmp(a, "--test-clock"))
			s->test_clock = 1;
		argv[n++] = a;
	}
	va_end(ap);
	argv[n] = NULL;
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		FILE *f = freopen(s->log, "a", stderr);
		(void)f;
		if (s->test_clock)
			setenv("ENTENTE_ALLOW_TEST_CLOCK", "1", 1);
		pg_key(s);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) { /* at most 10 s */
		FILE *f = fopen(s->ready, "r");
		if (f) {
			int ok = fscanf(f, "%127s", s->url) == 1;
			fclose(f);
			if (ok)
				return;
		}
		usleep(50000);
	}
	fail_msg("the server did not start (see %s)", s->log);
}

int server_stop(struct server *s)
{
	int st = 0;
	if (s->pid <= 0)
		return 0;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		char cmd[300];
		fprintf(stderr, "server exit status %d; its log:\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		snprintf(cmd, sizeof(cmd), "tail -n 40 %s >&2", s->log);
		if (system(cmd)) {
		}
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int server_finish(struct server *s)
{
	int st = server_stop(s);
	server_cleanup(s);
	return st;
}

void server_kill9(struct server *s)
{
	int st;
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
}

static void tokens_forget(const struct server *s);

void server_cleanup(struct server *s)
{
	char cmd[600];
	tokens_forget(s); /* a later server may live at the same address */
	const char *keep = getenv("ENTENTE_TEST_LOGS");
	if (keep && *keep) {
		snprintf(cmd, sizeof(cmd), "cp %s %s-server.log 2>/dev/null", s->log, keep);
		if (system(cmd)) {
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s->dir);
	if (system(cmd)) {
	}
}

int cli(struct server *s, char *out, size_t n, const char *fmt, ...)
{
	char args[2048], cmd[2600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s --db %s %s 2>>%s/cli.err", bin(), s->db, args, s->dir);
	pg_key(s);
	FILE *p = popen(cmd, "r");
	size_t used = 0;
	assert_non_null(p);
	if (out && n)
		out[0] = '\0';
	char buf[512];
	size_t got;
	while ((got = fread(buf, 1, sizeof(buf), p)) > 0)
		if (out && used + got < n) {
			memcpy(out + used, buf, got);
			used += got;
			out[used] = '\0';
		}
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define TOKENS 32
static struct { char email[80], token[80]; const struct server *s; } tokens[TOKENS];

static void tokens_forget(const struct server *s)
{
	int k = 0;
	for (int i = 0; i < TOKENS && tokens[i].email[0]; i++)
		if (tokens[i].s != s)
			tokens[k++] = tokens[i];
	for (int i = k; i < TOKENS && tokens[i].email[0]; i++)
		tokens[i].email[0] = '\0';
}

void server_reap(struct server *s)
{
	if (s->pid > 0) {
		server_kill9(s);
		server_cleanup(s);
	}
}

void signing_public_key(struct server *s, unsigned char pk[32], char hex[65])
{
	char keyfile[300], skhex[140] = "";
	unsigned char sk[64];
	if (!strncmp(s->db, "postgres", 8)) /* server_pg's */
		snprintf(keyfile, sizeof(keyfile), "%s/e.db.signing-key", s->dir);
	else
		snprintf(keyfile, sizeof(keyfile), "%s.signing-key", s->db);
	FILE *f = fopen(keyfile, "r");
	assert_non_null(f);
	assert_non_null(fgets(skhex, sizeof(skhex), f));
	fclose(f);
	assert_int_equal(sodium_hex2bin(sk, 64, skhex, 128, NULL, NULL, NULL), 0);
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_memzero(sk, sizeof(sk));
	if (hex)
		sodium_bin2hex(hex, 65, pk, 32);
}

const char *token_for(struct server *s, const char *email)
{
	int i;
	for (i = 0; i < TOKENS && tokens[i].email[0]; i++)
		if (tokens[i].s == s && !strcmp(tokens[i].email, email))
			return tokens[i].token;
	assert_true(i < TOKENS);
	char out[200];
	assert_int_equal(cli(s, out, sizeof(out), "token create --email %s", email), 0);
	out[strcspn(out, "\n")] = '\0';
	snprintf(tokens[i].email, sizeof(tokens[i].email), "%s", email);
	snprintf(tokens[i].token, sizeof(tokens[i].token), "%.79s", out);
	tokens[i].s = s;
	return tokens[i].token;
}

struct buf { char *p; size_t n; };

static size_t on_body(char *d, size_t sz, size_t nm, void *u)
{
	struct buf *b = u;
	size_t n = sz * nm;
	char *p = realloc(b->p, b->n + n + 1);
	if (!p)
		return 0;
	memcpy(p + b->n, d, n);
	b->p = p;
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

static void header_value(const char *line, size_t n, const char *name, char *out, size_t outn)
{
	size_t k = strlen(name);
	if (n <= k + 1 || strncasecmp(line, name, k) || line[k] != ':')
		return;
	const char *v = line + k + 1;
	while (*v == ' ')
		v++;
	size_t len = n - (size_t)(v - line);
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n'))
		len--;
	if (len >= outn)
		len = outn - 1;
	memcpy(out, v, len);
	out[len] = '\0';
}

static size_t on_header(char *d, size_t sz, size_t nm, void *u)
{
	struct resp *r = u;
	size_t n = sz * nm;
	header_value(d, n, "ETag", r->etag, sizeof(r->etag));
	header_value(d, n, "Location", r->location, sizeof(r->location));
	header_value(d, n, "Content-Type", r->ctype, sizeof(r->ctype));
	header_value(d, n, "Set-Cookie", r->cookie, sizeof(r->cookie));
	header_value(d, n, "Allow", r->allow, sizeof(r->allow));
	header_value(d, n, "Retry-After", r->retry_after, sizeof(r->retry_after));
	header_value(d, n, "Content-Security-Policy", r->csp, sizeof(r->csp));
	header_value(d, n, "X-Request-Id", r->request_id, sizeof(r->request_id));
	return n;
}

/* Issue 22: with ENTENTE_OPENAPI_RECORD set to a file, every exchange with
 * the API is appended to it as a JSON line (what was asked, the status,
 * the headers the document describes, the body), for
 * tests/openapi/validate.py to hold against the served document. */
static void record(const char *method, const char *path, const char *const *headers, const char *body, const struct resp *r)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	const char *file = getenv("ENTENTE_OPENAPI_RECORD");
	if (!file)
		return;
	json_t *sent = json_object(), *line;
	for (int i = 0; headers && headers[i]; i++) {
		const char *colon = strchr(headers[i], ':');
		if (colon)
			json_object_setn_new(sent, headers[i], (size_t)(colon - headers[i]), json_string(colon + 1 + (colon[1] == ' ')));
	}
	json_t *parsed = r->raw && *r->raw ? json_loads(r->raw, JSON_DECODE_ANY, NULL) : NULL;
	line = json_pack("{ss ss so si ss ss ss ss ss sb}", "method", method, "path", path, "sent", sent, "status", (int)r->status, "content_type",
			 r->ctype, "etag", r->etag, "location", r->location, "retry_after", r->retry_after, "set_cookie", r->cookie,
			 "request_body", body != NULL);
	if (parsed)
		json_object_set_new(line, "body", parsed);
	else if (r->raw && *r->raw)
		json_object_set_new(line, "text", json_string(r->raw));
	char *text = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(line);
	if (!text)
		return;
	pthread_mutex_lock(&lock);
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		size_t n = strlen(text);
		text[n] = '\n';
		if (write(fd, text, n + 1) != (ssize_t)(n + 1))
			fprintf(stderr, "ENTENTE_OPENAPI_RECORD: short write\n");
		close(fd);
	}
	pthread_mutex_unlock(&lock);
	free(text);
}

struct resp req(struct server *s, const char *method, const char *path, const char *auth, const char *body, const char *const *headers)
{
	return req_via(s, NULL, NULL, NULL, method, path, auth, body, headers);
}

/* set by req_may_fail for its thread's request */
static __thread int may_fail;

struct resp req_may_fail(struct server *s, const char *method, const char *path, const char *auth, const char *body)
{
	may_fail = 1;
	struct resp r = req_via(s, NULL, NULL, NULL, method, path, auth, body, NULL);
	may_fail = 0;
	return r;
}

struct resp req_via(struct server *s, const char *base, const char *cainfo, const char *src, const char *method,
		    const char *path, const char *auth, const char *body, const char *const *headers)
{
	struct resp r;
	struct buf b = { NULL, 0 };
	struct curl_slist *h = NULL;
	char url[1024], line[300];
	CURL *c = curl_easy_init();
	memset(&r, 0, sizeof(r));
	assert_non_null(c);
	snprintf(url, sizeof(url), "%s%s", base ? base : s->url, path);
	if (cainfo) {
		curl_easy_setopt(c, CURLOPT_CAINFO, cainfo);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	}
	if (src)
		curl_easy_setopt(c, CURLOPT_INTERFACE, src);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (auth) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s", auth);
		h = curl_slist_append(h, line);
	}
	if (s && s->test_clock) {
		snprintf(line, sizeof(line), "X-Entente-Now: %lld", (long long)s->now);
		h = curl_slist_append(h, line);
	}
	int typed = 0;
	for (int i = 0; headers && headers[i]; i++)
		typed |= !strncasecmp(headers[i], "Content-Type:", 13);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		if (!typed)
			h = curl_slist_append(h, "Content-Type: application/json");
	}
	for (int i = 0; headers && headers[i]; i++)
		h = curl_slist_append(h, headers[i]);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK && may_fail) { /* no answer: status 0 */
		curl_slist_free_all(h);
		curl_easy_cleanup(c);
		free(b.p);
		r.raw = calloc(1, 1);
		return r;
	}
	if (rc != CURLE_OK) {
		long os_errno = 0;
		curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
		fail_msg("%s %s: %s (%s)", method, path, curl_easy_strerror(rc), strerror((int)os_errno));
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	r.raw = b.p ? b.p : calloc(1, 1);
	if (b.n)
		r.json = json_loads(r.raw, JSON_DECODE_ANY, NULL);
	if (!base)
		record(method, path, headers, body, &r);
	return r;
}

static struct resp vreq(struct server *s, const char *method, const char *path, const char *auth, const char *etag,
			const char *fmt, va_list ap)
{
	char *body = NULL;
	json_t *j = NULL;
	char im[96];
	const char *hs[2] = { NULL, NULL };
	if (fmt) {
		json_error_t err;
		j = json_vpack_ex(&err, 0, fmt, ap);
		if (!j)
			fail_msg("json_pack: %s", err.text);
		body = json_dumps(j, JSON_COMPACT);
	}
	if (etag) {
		snprintf(im, sizeof(im), "If-Match: %s", etag);
		hs[0] = im;
	}
	struct resp r = req(s, method, path, auth, body, hs);
	free(body);
	json_decref(j);
	return r;
}

struct resp reqj(struct server *s, const char *method, const char *path, const char *auth, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct resp r = vreq(s, method, path, auth, NULL, fmt, ap);
	va_end(ap);
	return r;
}

struct resp as(struct server *s, const char *email, const char *method, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct resp r = vreq(s, method, path, email ? token_for(s, email) : NULL, NULL, fmt, ap);
	va_end(ap);
	return r;
}

struct resp as_if(struct server *s, const char *email, const char *method, const char *path, const char *etag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct resp r = vreq(s, method, path, email ? token_for(s, email) : NULL, etag, fmt, ap);
	va_end(ap);
	return r;
}

void resp_free(struct resp *r)
{
	json_decref(r->json);
	free(r->raw);
	memset(r, 0, sizeof(*r));
}

static json_t *walk(json_t *o, const char *path)
{
	char key[64];
	while (o && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (json_is_array(o))
			o = json_array_get(o, (size_t)atoi(key));
		else
			o = json_object_get(o, key);
		path = dot ? dot + 1 : path + n;
	}
	return o;
}

const char *jstr(json_t *o, const char *path) { return json_string_value(walk(o, path)); }
long long jint(json_t *o, const char *path) { return json_integer_value(walk(o, path)); }

const char *etag_of(struct server *s, const char *email, const char *path, char out[64])
{
	struct resp r = as(s, email, "GET", path, NULL);
	expect_status(r, 200);
	snprintf(out, 64, "%s", r.etag);
	resp_free(&r);
	return out;
}

long long jtime(json_t *o, const char *path)
{
	const char *s = jstr(o, path);
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	assert_non_null(s);
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	assert_non_null(end);
	assert_int_equal(*end, '\0');
	return (long long)timegm(&tm);
}

const char *jids(json_t *o)
{
	static char ids[1024];
	json_t *items = json_object_get(o, "items");
	ids[0] = '\0';
	for (size_t i = 0; i < json_array_size(items); i++)
		snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s%lld", i ? "," : "",
			 (long long)json_integer_value(json_object_get(json_array_get(items, i), "id")));
	return ids;
}

/* ---- raw sockets ---- */

int server_port(const struct server *s)
{
	const char *colon = strrchr(s->url, ':');
	return colon ? atoi(colon + 1) : 0;
}

int raw_dial(const struct server *s, const char *src) { return raw_dial_rcvbuf(s, src, 0); }

int raw_dial_rcvbuf(const struct server *s, const char *src, int rcvbuf)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)server_port(s)) };
	assert_true(fd >= 0);
	if (rcvbuf) /* before connect: the window offered is small from the start */
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (src) {
		struct sockaddr_in b = { .sin_family = AF_INET };
		inet_pton(AF_INET, src, &b.sin_addr);
		assert_int_equal(bind(fd, (struct sockaddr *)&b, sizeof(b)), 0);
	}
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		fail_msg("connect from %s: %s", src ? src : "any", strerror(errno));
	return fd;
}

size_t raw_read(int fd, char *buf, size_t n, int ms, int *closed) { return raw_read_until(fd, buf, n, ms, NULL, closed); }

size_t raw_read_until(int fd, char *buf, size_t n, int ms, const char *marker, int *closed)
{
	size_t got = 0;
	*closed = 0;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		long left = ms - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t r = recv(fd, buf + got, n - 1 - got, 0);
		if (r <= 0) {
			*closed = 1;
			break;
		}
		got += (size_t)r;
		buf[got] = '\0';
		if (got >= n - 1 || (marker && strstr(buf, marker)))
			break;
	}
	buf[got] = '\0';
	return got;
}

void raw_exchange(const struct server *s, const char *raw, char *out, size_t n, int *closed)
{
	int fd = raw_dial(s, NULL);
	size_t len = strlen(raw);
	for (size_t at = 0; at < len;) { /* a large request may take more than one send */
		ssize_t w = send(fd, raw + at, len - at, MSG_NOSIGNAL);
		assert_true(w > 0);
		at += (size_t)w;
	}
	raw_read(fd, out, n, 5000, closed);
	close(fd);
}

int raw_responses(const char *out)
{
	int k = 0;
	for (const char *p = out; (p = strstr(p, "HTTP/1.1 ")); p += 9)
		k += p[9] >= '1' && p[9] <= '5' && p[10] >= '0' && p[10] <= '9' && p[11] >= '0' && p[11] <= '9' && p[12] == ' ';
	return k;
}

int logged(const char *path, ...)
{
	char line[4096];
	FILE *f = fopen(path, "r");
	int found = 0;
	while (f && !found && fgets(line, sizeof(line), f)) {
		va_list ap;
		va_start(ap, path);
		found = 1;
		for (const char *t; (t = va_arg(ap, const char *));)
			found &= strstr(line, t) != NULL;
		va_end(ap);
	}
	if (f)
		fclose(f);
	return found;
}

long server_metric(struct server *s, const char *name)
{
	struct resp r = req(s, "GET", "/metrics", token_for(s, "admin@localhost"), NULL, NULL);
	long v = -1;
	/* the sample's line, "NAME VALUE", never its # HELP line */
	size_t len = strlen(name);
	for (const char *p = r.raw; p && (p = strstr(p, name)); p += len)
		if ((p == r.raw || p[-1] == '\n') && p[len] == ' ') {
			v = atol(p + len + 1);
			break;
		}
	resp_free(&r);
	return v;
}

/* ---- the SMTP sink (tests/smtp/sink.py) ---- */

/* A free loopback port (bound, read, released). */
int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	getsockname(fd, (struct sockaddr *)&a, &l);
	close(fd);
	return ntohs(a.sin_port);
}

void sink_start(struct sink *k, const struct server *s, int port)
{
	sink_start_with(k, s, port, NULL);
}

/* extra: more options of the sink (--auth U:P, --tls CERT:KEY, --smtps), NULL-terminated. */
void sink_start_with(struct sink *k, const struct server *s, int port, const char *const *extra)
{
	char ports[16];
	k->port = port;
	snprintf(ports, sizeof(ports), "%d", port);
	snprintf(k->out, sizeof(k->out), "%s/mail.jsonl", s->dir);
	snprintf(k->ready, sizeof(k->ready), "%s/sink.ready", s->dir);
	snprintf(k->url, sizeof(k->url), "smtp://127.0.0.1:%d", port);
	unlink(k->ready);
	k->pid = fork();
	assert_true(k->pid >= 0);
	if (k->pid == 0) {
		const char *argv[20] = { "python3", "tests/smtp/sink.py", "--port", ports, "--out", k->out, "--ready", k->ready, "--slow", "4" };
		int n = 10;
		for (int i = 0; extra && extra[i] && n < 19; i++)
			argv[n++] = extra[i];
		argv[n] = NULL;
		execv("/usr/bin/python3", (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		if (!access(k->ready, F_OK))
			return;
		usleep(50000);
	}
	fail_msg("the SMTP sink did not start");
}

void sink_stop(struct sink *k)
{
	int st;
	if (k->pid <= 0)
		return;
	kill(k->pid, SIGTERM);
	waitpid(k->pid, &st, 0);
	k->pid = 0;
}

/* Every message the sink accepted, as parsed by Python. */
json_t *received(const struct sink *k)
{
	json_t *all = json_array();
	FILE *f = fopen(k->out, "r");
	char *line = NULL;
	size_t n = 0;
	while (f && getline(&line, &n, f) > 0) {
		json_t *m = json_loads(line, 0, NULL);
		if (m)
			json_array_append_new(all, m);
	}
	free(line);
	if (f)
		fclose(f);
	return all;
}

json_t *sealed_chain(struct server *s, const char *as_who, int ballot)
{
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/ballots/%d/receipts", ballot);
	for (int i = 0; i < 100; i++) {
		struct resp r = as(s, as_who, "GET", path, NULL);
		expect_status(r, 200);
		if (jstr(r.json, "seal.signature")) {
			json_t *c = json_incref(r.json);
			resp_free(&r);
			return c;
		}
		resp_free(&r);
		usleep(100000);
	}
	fail_msg("ballot %d was not sealed", ballot);
	return NULL;
}

/* A server_pg database: the statement's result, which must be ok. */
static PGresult *pg_sql(const char *db, const char *text, PGconn **conn)
{
	*conn = PQconnectdb(db);
	if (PQstatus(*conn) != CONNECTION_OK)
		fail_msg("%s: %s", db, PQerrorMessage(*conn));
	PGresult *res = PQexec(*conn, text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", text, PQresultErrorMessage(res));
	return res;
}

void sql(const char *db, const char *text)
{
	sqlite3 *h;
	char *msg = NULL;
	if (!strncmp(db, "postgres", 8)) {
		PGconn *conn;
		PQclear(pg_sql(db, text, &conn));
		PQfinish(conn);
		return;
	}
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg ? msg : "?");
	sqlite3_close(h);
}

int sql_int(const char *db, const char *query)
{
	sqlite3 *h;
	sqlite3_stmt *q;
	if (!strncmp(db, "postgres", 8)) {
		PGconn *conn;
		PGresult *res = pg_sql(db, query, &conn);
		assert_true(PQntuples(res) > 0);
		int v = atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
		PQfinish(conn);
		return v;
	}
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(h, query, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s: %s", db, query, sqlite3_errmsg(h));
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(h);
	return v;
}

/* ---- nginx in front (tests/http/test_proxy.c, test_several.c) ---- */

const char *nginx_path(void)
{
	static const char *places[] = { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", NULL };
	for (int i = 0; places[i]; i++)
		if (!access(places[i], X_OK))
			return places[i];
	return NULL;
}

static int port_open(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
	ok = fd >= 0 && !connect(fd, (struct sockaddr *)&a, sizeof(a));
	if (fd >= 0)
		close(fd);
	return ok;
}

pid_t nginx_run(const char *dir, const char *conf, int port)
{
	char path[300], log[300];
	const char *bin_path = nginx_path();
	assert_non_null(bin_path);
	snprintf(path, sizeof(path), "%s/nginx.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(conf, f);
	assert_int_equal(fclose(f), 0);
	snprintf(log, sizeof(log), "%s/nginx-stderr.log", dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives the test */
		if (!freopen(log, "a", stderr) || !freopen("/dev/null", "r", stdin)) {
		}
		execl(bin_path, "nginx", "-p", dir, "-c", path, "-e", log, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) { /* at most 10 s */
		int st;
		if (port_open(port))
			return pid;
		if (waitpid(pid, &st, WNOHANG) == pid)
			fail_msg("nginx did not start (see %s)", log);
		usleep(50000);
	}
	fail_msg("nginx did not listen on %d", port);
	return -1;
}

void nginx_end(pid_t *pid)
{
	int st;
	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	for (int i = 0; i < 100 && waitpid(*pid, &st, WNOHANG) == 0; i++)
		usleep(50000);
	if (waitpid(*pid, &st, WNOHANG) == 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, &st, 0);
	}
	*pid = 0;
}

