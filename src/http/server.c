/* libmicrohttpd glue: one request is read into its arena (capped), then
 * authenticated, parsed and handed to core_call(); the reply or the error
 * becomes JSON or an RFC 9457 problem. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "http/http.h"
#include "http/internal.h"
#include "http/public.h"
#include "lib/arena.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "store/store.h"

#define COOKIE "entente_session"

struct req {
	struct arena arena;
	struct strbuf body;
	int too_large;
	struct timespec start;
};

static const struct http_config *cfg;
static pthread_key_t store_key;
static atomic_ulong counts[6]; /* by status class: 1xx..5xx, [0] unused */

/* Each pool thread keeps its own connection, closed when the thread ends. */
static void store_close(void *p) { store_free(p); }

static struct store *thread_store(struct err *e)
{
	struct store *st = pthread_getspecific(store_key);
	if (st)
		return st;
	if (store_open(&st, cfg->db_path, e))
		return NULL;
	pthread_setspecific(store_key, st);
	return st;
}

/* Now: the real clock, or, with the test clock enabled, X-Entente-Now
 * (seconds since the epoch or YYYY-MM-DDTHH:MM:SSZ). Core never reads it. */
static int64_t clock_now(struct MHD_Connection *c)
{
	const char *h = cfg->test_clock && c ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Entente-Now") : NULL;
	if (h) {
		struct tm tm = { 0 };
		char *end;
		long long v = strtoll(h, &end, 10);
		if (!*end && v > 0)
			return v;
		end = strptime(h, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (end && !*end)
			return (int64_t)timegm(&tm);
	}
	return (int64_t)time(NULL);
}

static enum MHD_Result send_body(struct MHD_Connection *c, int status, const char *type, char *text, size_t len,
				 struct MHD_Response **keep)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;
	if (!r) {
		free(text);
		return MHD_NO;
	}
	if (type)
		MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (keep) {
		*keep = r; /* the caller adds headers and queues */
		return MHD_YES;
	}
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static void count(int status)
{
	int cls = status / 100;
	if (cls >= 1 && cls <= 5)
		atomic_fetch_add(&counts[cls], 1);
}

enum MHD_Result http__problem(struct MHD_Connection *c, const struct err *e, const char *instance)
{
	return http__problem_with(c, e, instance, NULL, NULL);
}

enum MHD_Result http__problem_with(struct MHD_Connection *c, const struct err *e, const char *instance,
				   const char *header, const char *value)
{
	int status = err_status(e->code);
	const char *rule = err_rule_of(e);
	char type[96];
	snprintf(type, sizeof(type), "urn:entente:problem:%s", err_name(e->code));
	json_t *p = json_pack("{ss ss si ss}", "type", type, "title", err_title(e->code), "status", status,
			      "instance", instance ? instance : "");
	if (e->detail[0])
		json_object_set_new(p, "detail", json_string(e->detail));
	if (e->field[0])
		json_object_set_new(p, "field", json_string(e->field));
	if (rule)
		json_object_set_new(p, "rule", json_string(rule));
	char *text = json_dumps(p, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(p);
	struct MHD_Response *r = NULL;
	count(status);
	if (!text || send_body(c, status, "application/problem+json", text, strlen(text), &r) != MHD_YES)
		return MHD_NO;
	if (status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"entente\"");
	if (e->code == E_THROTTLED)
		MHD_add_response_header(r, "Retry-After", "60");
	if (header && value)
		MHD_add_response_header(r, header, value);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result problem_code(struct MHD_Connection *c, enum err_code code, const char *field, const char *detail, const char *url)
{
	struct err e = ERR_INIT;
	err_set(&e, code, field, "%s", detail);
	return http__problem(c, &e, url);
}

/* ---- routing ---- */

/* Match url against pattern; captures go into params as strings. */
static int route_match(const char *pattern, const char *url, json_t *params)
{
	const char *p = pattern, *u = url;
	while (*p && *u) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *ue = strchr(u, '/');
			size_t ulen = ue ? (size_t)(ue - u) : strlen(u);
			char key[16];
			if (!pe || !ulen || (size_t)(pe - p - 1) >= sizeof(key))
				return 0;
			memcpy(key, p + 1, (size_t)(pe - p - 1));
			key[pe - p - 1] = '\0';
			if (params) {
				json_t *v = json_stringn(u, ulen);
				if (!v)
					return 0; /* not UTF-8: no such resource */
				json_object_set_new(params, key, v);
			}
			p = pe + 1;
			u += ulen;
			continue;
		}
		if (*p != *u)
			return 0;
		p++;
		u++;
	}
	return !*p && !*u;
}

static const struct route *route_find(const char *method, const char *url, int *path_known)
{
	*path_known = 0;
	for (const struct route *r = http__routes; r->method; r++) {
		if (!route_match(r->pattern, url, NULL))
			continue;
		*path_known = 1;
		if (!strcmp(r->method, method) || (!strcmp(method, "HEAD") && !strcmp(r->method, "GET")))
			return r;
	}
	return NULL;
}

static void allow_header(const char *url, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct route *r = http__routes; r->method; r++)
		if (route_match(r->pattern, url, NULL) && used < n) {
			int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", r->method);
			if (w > 0)
				used += (size_t)w;
		}
}

/* ---- authentication and throttling ---- */

struct attempt { char key[80]; int64_t first; int failures; };
#define ATTEMPTS 1024
static struct attempt attempts[ATTEMPTS];
static pthread_mutex_t attempts_lock = PTHREAD_MUTEX_INITIALIZER;
#define WINDOW 900        /* seconds */
#define MAX_PER_ACCOUNT 5
#define MAX_PER_ADDRESS 30

static struct attempt *attempt_slot(const char *key, int64_t now, int create)
{
	struct attempt *free_slot = NULL, *oldest = &attempts[0];
	for (int i = 0; i < ATTEMPTS; i++) {
		struct attempt *a = &attempts[i];
		if (a->key[0] && now - a->first > WINDOW)
			a->key[0] = '\0';
		if (a->key[0] && !strcmp(a->key, key))
			return a;
		if (!a->key[0] && !free_slot)
			free_slot = a;
		if (a->first < oldest->first)
			oldest = a;
	}
	if (!create)
		return NULL;
	struct attempt *a = free_slot ? free_slot : oldest;
	snprintf(a->key, sizeof(a->key), "%s", key);
	a->first = now;
	a->failures = 0;
	return a;
}

static void throttle_keys(struct MHD_Connection *c, const json_t *body, char account[80], char address[80])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[INET6_ADDRSTRLEN] = "?";
	const char *email = json_string_value(json_object_get(body, "email"));
	if (ci && ci->client_addr)
		getnameinfo(ci->client_addr, ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
			    host, sizeof(host), NULL, 0, NI_NUMERICHOST);
	snprintf(address, 80, "ip:%s", host);
	snprintf(account, 80, "acct:%s", email ? email : "");
	for (char *p = account; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

static int throttled(const char *account, const char *address, int64_t now)
{
	pthread_mutex_lock(&attempts_lock);
	struct attempt *a = attempt_slot(account, now, 0), *b = attempt_slot(address, now, 0);
	int t = (a && a->failures >= MAX_PER_ACCOUNT) || (b && b->failures >= MAX_PER_ADDRESS);
	pthread_mutex_unlock(&attempts_lock);
	return t;
}

static void throttle_note(const char *account, const char *address, int64_t now, int ok)
{
	pthread_mutex_lock(&attempts_lock);
	if (ok) {
		struct attempt *a = attempt_slot(account, now, 0);
		if (a)
			a->key[0] = '\0';
	} else {
		attempt_slot(account, now, 1)->failures++;
		attempt_slot(address, now, 1)->failures++;
	}
	pthread_mutex_unlock(&attempts_lock);
}

static int is_write(const char *method) { return strcmp(method, "GET") && strcmp(method, "HEAD"); }

/* ---- the request ---- */

static enum MHD_Result reply_json(struct MHD_Connection *c, const char *method, const struct reply *rep, const char *url)
{
	char *text = NULL;
	size_t len = 0;
	struct MHD_Response *r = NULL;
	(void)url;
	if (rep->body) {
		text = json_dumps(rep->body, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (!text)
			return MHD_NO;
		len = strlen(text);
	}
	if (!strcmp(method, "HEAD"))
		len = 0;
	if (!text)
		text = calloc(1, 1);
	count(rep->status);
	if (send_body(c, rep->status, rep->body ? "application/json" : NULL, text, len, &r) != MHD_YES)
		return MHD_NO;
	if (rep->revision > 0) {
		char etag[32];
		core_etag(rep->revision, etag);
		MHD_add_response_header(r, "ETag", etag);
	}
	if (rep->location[0])
		MHD_add_response_header(r, "Location", rep->location);
	if (rep->session_id[0] || rep->end_session) {
		char cookie[256];
		snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%d", COOKIE,
			 rep->end_session ? "" : rep->session_id, cfg->cookie_secure ? "; Secure" : "",
			 rep->end_session ? 0 : CORE_SESSION_SECONDS);
		MHD_add_response_header(r, "Set-Cookie", cookie);
	}
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)rep->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	json_t *params = cls;
	json_t *v = json_string(value ? value : ""), *k = json_string(key);
	int bad = !v || !k; /* not UTF-8 */
	json_decref(k);
	if (bad) {
		json_decref(v);
		json_object_set_new(params, "\x01" "bad", json_true());
		return MHD_YES;
	}
	/* path captures win over query parameters of the same name */
	if (!json_object_get(params, key))
		json_object_set_new(params, key, v);
	else
		json_decref(v);
	return MHD_YES;
}

static enum MHD_Result handle_api(struct MHD_Connection *c, struct req *rq, const struct route *route,
				  const char *method, const char *url)
{
	struct err e = ERR_INIT;
	struct reply rep = REPLY_INIT;
	struct call call = { 0 };
	json_t *params = json_object(), *body = NULL;
	struct store *st;
	enum MHD_Result ret;
	char csrf[65] = "", sess_hash[65], account[80], address[80];
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE);
	int login = !strcmp(route->action, "session.create");

	arena_defer(&rq->arena, (void (*)(void *))json_decref, params);
	call.now = clock_now(c);
	call.action = route->action;
	route_match(route->pattern, url, params);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, params);
	if (json_object_get(params, "\x01" "bad"))
		return problem_code(c, E_BAD_UTF8, "query", "query parameters must be UTF-8", url);
	call.params = params;

	if (rq->body.len) {
		json_error_t jerr;
		body = json_loadb(rq->body.buf, rq->body.len, JSON_REJECT_DUPLICATES, &jerr);
		if (!body) {
			enum err_code code = json_error_code(&jerr) == json_error_invalid_utf8 ? E_BAD_UTF8 : E_BAD_JSON;
			char detail[200];
			snprintf(detail, sizeof(detail), "%s at line %d column %d", jerr.text, jerr.line, jerr.column);
			return problem_code(c, code, "", detail, url);
		}
		arena_defer(&rq->arena, (void (*)(void *))json_decref, body);
	}
	call.body = body;
	call.if_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Match");

	if (!(st = thread_store(&e)))
		return http__problem(c, &e, url);

	if (auth) {
		if (strncmp(auth, "Bearer ", 7))
			return problem_code(c, E_UNAUTHENTICATED, "Authorization", "use Authorization: Bearer <token>", url);
		if (core_authenticate(st, "token", auth + 7, call.now, &call.person_id, NULL, &e))
			return http__problem(c, &e, url);
	} else if (cookie && !login) {
		if (core_authenticate(st, "session", cookie, call.now, &call.person_id, csrf, &e))
			return http__problem(c, &e, url);
		hash_hex(cookie, sess_hash);
		call.session_hash = sess_hash;
		/* a state change made with a cookie carries the session's CSRF token */
		if (is_write(method)) {
			const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
			if (!t || !secure_streq(t, csrf))
				return problem_code(c, E_CSRF, "X-CSRF-Token", "send the csrf_token of your session in X-CSRF-Token", url);
		}
	}

	if (login) {
		throttle_keys(c, body, account, address);
		if (throttled(account, address, call.now))
			return problem_code(c, E_THROTTLED, NULL, "too many failed sign-ins: wait and try again", url);
	}
	int failed = core_call(st, &call, &rep, &e);
	if (login && (!failed || e.code == E_BAD_CREDENTIALS))
		throttle_note(account, address, call.now, !failed);
	if (failed) {
		if (e.code == E_INTERNAL || e.code == E_UNAVAILABLE)
			log_line("error %s %s: %s", method, url, e.detail);
		return http__problem(c, &e, url);
	}
	if (!rep.status)
		rep.status = 200;
	ret = reply_json(c, method, &rep, url);
	reply_release(&rep);
	return ret;
}

static enum MHD_Result handle_raw(struct MHD_Connection *c, const struct route *route, const char *url)
{
	struct err e = ERR_INIT;
	if (!strcmp(route->action, "healthz")) {
		struct store *st = thread_store(&e);
		if (!st)
			return http__problem(c, &e, url);
		char *text = NULL;
		int n = asprintf(&text, "{\"status\":\"ok\",\"schema_version\":%d}", store_schema_version(st));
		count(200);
		return n < 0 ? MHD_NO : send_body(c, 200, "application/json", text, (size_t)n, NULL);
	}
	if (!strcmp(route->action, "metrics")) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, "# HELP entente_http_responses_total HTTP responses by status class.\n"
				   "# TYPE entente_http_responses_total counter\n");
		count(200);
		for (int i = 1; i <= 5; i++)
			strbuf_addf(&sb, "entente_http_responses_total{class=\"%dxx\"} %lu\n", i, atomic_load(&counts[i]));
		size_t len = sb.len;
		return send_body(c, 200, "text/plain; version=0.0.4", strbuf_detach(&sb), len, NULL);
	}
	/* openapi */
	json_t *doc = http_openapi();
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	json_decref(doc);
	count(200);
	return text ? send_body(c, 200, "application/json", text, strlen(text), NULL) : MHD_NO;
}

static enum MHD_Result handle_html(struct MHD_Connection *c, const struct route *route, const char *url, const char *method)
{
	struct err e = ERR_INIT;
	struct reply rep = REPLY_INIT;
	json_t *params = json_object();
	struct call call = { .action = route->action, .params = params, .now = clock_now(c) };
	struct store *st = thread_store(&e);
	struct strbuf sb = STRBUF_INIT;
	const char *type = "text/html; charset=utf-8", *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	char base[300];
	int status = 200;
	route_match(route->pattern, url, params);
	snprintf(base, sizeof(base), "http://%s", host ? host : "localhost");
	if (!st || core_call(st, &call, &rep, &e)) {
		json_decref(params);
		if (e.code != E_NOT_FOUND)
			return http__problem(c, &e, url);
		http__render_missing(&sb);
		status = 404;
	} else {
		type = http__render(route->action, rep.body, base, &sb);
		reply_release(&rep);
		json_decref(params);
	}
	size_t len = sb.len;
	struct MHD_Response *r = NULL;
	count(status);
	if (send_body(c, status, type, strbuf_detach(&sb), !strcmp(method, "HEAD") ? 0 : len, &r) != MHD_YES)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'self'; object-src 'none'; frame-ancestors 'none'");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static int media_json(const char *type)
{
	if (!type)
		return 0;
	size_t n = strlen("application/json");
	return !strncasecmp(type, "application/json", n) && (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				 const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct req *rq = *con_cls;
	const struct route *route;
	int known;
	(void)cls;
	(void)version;
	if (!rq) {
		const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		strbuf_init(&rq->body);
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		*con_cls = rq;
		/* refuse an oversized body before reading any of it */
		if (len && strtoull(len, NULL, 10) > cfg->body_limit) {
			char d[80];
			snprintf(d, sizeof(d), "the limit is %zu bytes", cfg->body_limit);
			return problem_code(c, E_TOO_LARGE, "", d, url);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (rq->body.len + *upload_size > cfg->body_limit)
			rq->too_large = 1; /* keep reading, keep nothing */
		else
			strbuf_add(&rq->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->too_large) {
		char d[80];
		snprintf(d, sizeof(d), "the limit is %zu bytes", cfg->body_limit);
		return problem_code(c, E_TOO_LARGE, "", d, url);
	}
	route = route_find(method, url, &known);
	if (!route) {
		if (known) {
			char allow[64];
			struct err e = ERR_INIT;
			allow_header(url, allow, sizeof(allow));
			err_set(&e, E_METHOD, NULL, "allowed: %s", allow);
			return http__problem_with(c, &e, url, "Allow", allow);
		}
		if (strncmp(url, "/api/", 5) && (!strcmp(method, "GET") || !strcmp(method, "HEAD")) && cfg->web_dir)
			return http__static(c, cfg->web_dir, url, method, (void (*)(int))count);
		return problem_code(c, E_NOT_FOUND, NULL, "no such route", url);
	}
	if (route->flags & RF_RAW)
		return handle_raw(c, route, url);
	if (route->flags & RF_HTML)
		return handle_html(c, route, url, method);
	if (rq->body.len && !media_json(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type")))
		return problem_code(c, E_MEDIA_TYPE, "Content-Type", "send application/json", url);
	return handle_api(c, rq, route, method, url);
}

static void completed_cb(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;
	(void)cls;
	(void)c;
	(void)toe;
	if (!rq)
		return;
	arena_release(&rq->arena);
	strbuf_release(&rq->body);
	free(rq);
	*con_cls = NULL;
}

/* The scheduler: closes ballots at their deadline, sends review reminders,
 * notes stagnation, through the same door as everything else. */
static volatile int stopping;

static void *scheduler_main(void *arg)
{
	(void)arg;
	struct store *st = NULL;
	struct err e = ERR_INIT;
	if (store_open(&st, cfg->db_path, &e)) {
		log_line("scheduler: %s", e.detail);
		return NULL;
	}
	while (!stopping) {
		struct call call = { .system = 1, .action = "scheduler.run", .now = clock_now(NULL) };
		struct reply r = REPLY_INIT;
		err_clear(&e);
		if (core_call(st, &call, &r, &e))
			log_line("scheduler: %s", e.detail);
		else if (json_integer_value(json_object_get(r.body, "ballots_closed")) || json_integer_value(json_object_get(r.body, "reminders")))
			log_line("scheduler: %lld ballot(s) closed, %lld reminder(s)",
				 (long long)json_integer_value(json_object_get(r.body, "ballots_closed")),
				 (long long)json_integer_value(json_object_get(r.body, "reminders")));
		reply_release(&r);
		for (unsigned i = 0; i < cfg->tick_s * 10 && !stopping; i++)
			usleep(100000);
	}
	store_free(st);
	return NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_line("microhttpd: %s", msg);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, struct err *e)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	struct addrinfo hints = { 0 }, *res = NULL;
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return err_set(e, E_INVALID, "listen", "expected HOST:PORT, got '%s'", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (getaddrinfo(host, colon + 1, &hints, &res) || !res)
		return err_set(e, E_INVALID, "listen", "cannot resolve '%s'", listen);
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

int http_serve(const struct http_config *config, struct err *e)
{
	struct sockaddr_storage ss = { 0 };
	struct MHD_Daemon *d;
	sigset_t set;
	int sig;
	cfg = config;
	if (parse_listen(cfg->listen, &ss, e))
		return -1;
	if (pthread_key_create(&store_key, store_close))
		return err_set(e, E_INTERNAL, NULL, "pthread_key_create failed");
	/* the signals are waited for here, not delivered to the pool threads */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_EPOLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, access_cb, NULL,
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
			     MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
			     MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
			     MHD_OPTION_NOTIFY_COMPLETED, completed_cb, NULL,
			     MHD_OPTION_END);
	if (!d) {
		pthread_key_delete(store_key);
		return err_set(e, E_UNAVAILABLE, "listen", "cannot listen on %s: %s", cfg->listen, strerror(errno));
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[256], url[300];
	snprintf(host, sizeof(host), "%s", cfg->listen);
	*strrchr(host, ':') = '\0';
	snprintf(url, sizeof(url), "http://%s:%u", host, info ? info->port : 0);
	log_line("entente listening on %s", url);
	if (cfg->ready_file) {
		FILE *f = fopen(cfg->ready_file, "w");
		if (f) {
			fprintf(f, "%s\n", url);
			fclose(f);
		}
	}
	pthread_t sched;
	int have_sched = cfg->tick_s && !pthread_create(&sched, NULL, scheduler_main, NULL);
	sigwait(&set, &sig);
	log_line("entente stopping (signal %d)", sig);
	stopping = 1;
	if (have_sched)
		pthread_join(sched, NULL);
	MHD_stop_daemon(d);
	pthread_key_delete(store_key);
	return 0;
}
