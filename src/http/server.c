/* The server's handler: each request the connection loop (http/loop.c)
 * has read whole is routed, authenticated, parsed and handed to
 * core_call(); the reply or the error becomes JSON or an RFC 9457
 * problem. Public pages are rendered here, static files served. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "http/http.h"
#include "http/loop.h"
#include "http/proxy.h"
#include "http/public.h"
#include "http/request.h"
#include "http/response.h"
#include "http/static.h"
#include "http/throttle.h"
#include "http/watch.h"
#include "lib/arena.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "store/store.h"

#define COOKIE "entente_session"

static const struct http_config *cfg;
static struct loop *the_loop;
static int web_fd = -1;
static pthread_key_t store_key;
/* the access line's person: set by handle_api once the door knew them */
static __thread int64_t access_person;
/* Behind a reverse proxy (http/proxy.h): the proxies whose forwarding
 * headers are believed, and --metrics-from. Set in http_serve before the
 * loop starts and replaced whole when SIGHUP changed them (http_retune),
 * through atomic pointers; a list replaced stays allocated until the
 * server stops, for a request that may still be reading it (one list per
 * change of the configuration, none per SIGHUP that changed nothing). */
struct nets {
	struct proxy_list l;
	struct nets *older;
};
static struct nets *nets_kept;
static const struct proxy_list *trusted_now, *metrics_now;
/* what http_retune may change, apart from the loop's limits */
static char log_path[1024];            /* "" : standard error left as it is */
static unsigned stop_timeout_s;
static char base_url[300];             /* the one start of every absolute link */
static int secure_cookie;

/* Each worker thread keeps its own connection, closed when the thread ends. */
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
static int64_t clock_now(const struct http_req *q)
{
	const char *h = cfg->test_clock && q ? http__header(q, "X-Entente-Now") : NULL;
	if (h) {
		char *end;
		long long v = strtoll(h, &end, 10);
		if (!*end && v > 0)
			return v;
		int64_t t = time_parse_iso(h);
		if (t >= 0)
			return t;
	}
	return (int64_t)time(NULL);
}

/* ---- responses (the helpers are http/response.c's) ---- */

static void problem_code(struct http_res *r, enum err_code code, const char *field, const char *detail, const char *instance)
{
	struct err e = ERR_INIT;
	err_set(&e, code, field, "%s", detail);
	http__problem(r, &e, instance);
}

/* The value of cookie name, copied into buf; NULL when absent. */
static const char *cookie_value(const struct http_req *q, const char *name, char *buf, size_t n)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < q->head->nheaders; i++) {
		if (strcasecmp(wire_str(q->base, q->head->headers[i].name), "Cookie"))
			continue;
		for (const char *p = wire_str(q->base, q->head->headers[i].value); *p;) {
			while (*p == ' ' || *p == ';')
				p++;
			const char *end = strchr(p, ';');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			if (len > nl && !strncmp(p, name, nl) && p[nl] == '=' && len - nl - 1 < n) {
				memcpy(buf, p + nl + 1, len - nl - 1);
				buf[len - nl - 1] = '\0';
				return buf;
			}
			p += len;
		}
	}
	return NULL;
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
	for (const struct route *r = http_routes(); r->method; r++) {
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
	for (const struct route *r = http_routes(); r->method; r++)
		if (route_match(r->pattern, url, NULL) && used < n) {
			int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", r->method);
			if (w > 0)
				used += (size_t)w;
		}
}

/* ---- query parameters ---- */

static int utf8_ok(const char *s)
{
	json_t *j = json_string(s);
	json_decref(j);
	return j != NULL;
}

/* Add the query's parameters to params (path captures win); -1 when a
 * parameter is malformed or not UTF-8. */
static int add_query(const char *query, json_t *params)
{
	int ret = 0;
	char *buf = malloc(strlen(query) + 1);
	if (!buf)
		return -1;
	for (const char *p = query; *p && !ret;) {
		const char *amp = strchr(p, '&'), *eq;
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		char key[128];
		eq = memchr(p, '=', n);
		size_t kn = eq ? (size_t)(eq - p) : n;
		if (kn && kn < sizeof(key) && wire_unescape(p, kn, key, 1) >= 0) {
			long vn = eq ? wire_unescape(eq + 1, n - kn - 1, buf, 1) : (buf[0] = '\0', 0);
			json_t *v = vn >= 0 ? json_stringn(buf, (size_t)vn) : NULL;
			if (!v || !utf8_ok(key)) {
				json_decref(v);
				ret = -1;
			} else if (!json_object_get(params, key)) {
				json_object_set_new(params, key, v);
			} else {
				json_decref(v);
			}
		} else if (kn) {
			ret = -1;
		}
		p += n + (amp ? 1 : 0);
	}
	free(buf);
	return ret;
}

/* ---- authentication and sign-in throttling ---- */

static int is_write(const char *method) { return strcmp(method, "GET") && strcmp(method, "HEAD"); }

/* Who the request is from: a bearer token, or a session cookie whose
 * state changes carry the session's CSRF token. -1 with the problem set. */
/* The credentials a request presents, for the door to look up in the
 * call's own snapshot: a bearer token, or the session cookie (not on the
 * sign-in itself) with its CSRF token for a change. */
static int credentials(const struct http_req *q, struct call *call, char cookie_buf[130], int login, struct http_res *r)
{
	const char *auth = http__header(q, "Authorization");
	const char *cookie = cookie_value(q, COOKIE, cookie_buf, 130);
	if (auth) {
		if (strncmp(auth, "Bearer ", 7)) {
			problem_code(r, E_UNAUTHENTICATED, "Authorization", "use Authorization: Bearer <token>", q->raw_path);
			return -1;
		}
		call->token = auth + 7;
	} else if (cookie && !login) {
		call->session = cookie;
		call->csrf = http__header(q, "X-CSRF-Token");
		call->state_change = is_write(q->method);
	}
	return 0;
}

/* The sign-in's throttle keys: the e-mail folded to lower case, and the
 * client's address key (behind a proxy, the client's, not the proxy's; an
 * IPv6 client by its /64, so that one host cannot spray from its prefix). */
static void throttle_keys(const struct proxy_client *client, const json_t *body, char account[130], char address[64])
{
	const char *email = json_string_value(json_object_get(body, "email"));
	snprintf(address, 64, "%s", client->key);
	snprintf(account, 130, "%s", email ? email : "");
	for (char *p = account; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

static const struct proxy_client *client_of(const struct http_req *q, struct proxy_client *client, int *known);

/* Issue 24: a header's value when it is printable ASCII (a User-Agent
 * kept with a session), cut to n - 1 bytes; NULL otherwise. */
static const char *printable(const char *v, char *out, size_t n)
{
	size_t k = 0;
	if (!v)
		return NULL;
	for (; v[k] && k + 1 < n; k++) {
		if (v[k] < 0x20 || v[k] > 0x7e)
			return NULL;
		out[k] = v[k];
	}
	out[k] = '\0';
	return out;
}

/* The changes to who may sign in and how, for the security log. */
static int account_action(const char *action)
{
	return !strncmp(action, "password.", 9) || !strncmp(action, "totp.", 5) || !strncmp(action, "link.", 5) ||
	       !strncmp(action, "invitation.", 11) || !strcmp(action, "session.end") || !strcmp(action, "recovery.renew") ||
	       !strcmp(action, "person.sessions_end");
}

/* Issue 24: the requests for a reset link, at most FORGOT_PER_ADDRESS an
 * hour from one client and FORGOT_PER_ACCOUNT an hour for one address
 * typed (whether or not it has an account: the answer says nothing). */
#define FORGOT_PER_ADDRESS 10
#define FORGOT_PER_ACCOUNT 3
static int forgot_throttled(const struct http_req *q, struct store *st, struct call *call, const json_t *body, struct http_res *r)
{
	struct proxy_client client;
	struct err e = ERR_INIT;
	int known = 0, wait;
	char account[130], address[64], key[200], ra[24];
	throttle_keys(client_of(q, &client, &known), body, account, address);
	snprintf(key, sizeof(key), "forgot-address|%s", address);
	wait = rate_take(st, key, call->now, FORGOT_PER_ADDRESS, 3600, &e);
	if (!wait) {
		snprintf(key, sizeof(key), "forgot-account|%s", account);
		wait = rate_take(st, key, call->now, FORGOT_PER_ACCOUNT, 3600, &e);
	}
	if (wait < 0) { /* the count cannot be kept: refused, as a write is */
		http__problem(r, &e, q->raw_path);
		return 1;
	}
	if (!wait)
		return 0;
	log_at(LV_WARN, "security: password reset refused, throttled for %d s: client %s", wait, address);
	problem_code(r, E_THROTTLED, NULL, "too many requests for a new password: wait and try again", q->raw_path);
	snprintf(ra, sizeof(ra), "%d", wait);
	http__res_header(r, "Retry-After", ra);
	return 1;
}

/* Issue 24: a session's last use, written at most every TOUCH_EVERY
 * seconds for each session this server sees (a small table of when it
 * last wrote; a collision only writes once more). */
#define TOUCH_EVERY 300
#define TOUCH_SLOTS 4096
static struct { char hash[17]; int64_t at; } touched[TOUCH_SLOTS];
static pthread_mutex_t touch_lock = PTHREAD_MUTEX_INITIALIZER;

static void session_touch(struct store *st, const struct call *c)
{
	char h[65];
	unsigned slot;
	int due;
	hash_hex(c->session, h);
	slot = 0;
	for (int i = 0; i < 8; i++)
		slot = slot * 16 + (unsigned)(h[i] <= '9' ? h[i] - '0' : h[i] - 'a' + 10);
	slot %= TOUCH_SLOTS;
	pthread_mutex_lock(&touch_lock);
	due = strncmp(touched[slot].hash, h, 16) || c->now - touched[slot].at >= TOUCH_EVERY;
	if (due) {
		snprintf(touched[slot].hash, sizeof(touched[slot].hash), "%.16s", h);
		touched[slot].at = c->now;
	}
	pthread_mutex_unlock(&touch_lock);
	if (!due)
		return;
	struct call t = { .action = "session.touch", .session = c->session, .now = c->now, .client_addr = c->client_addr };
	struct reply rep = REPLY_INIT;
	struct err e = ERR_INIT;
	if (core_call(st, &t, &rep, &e) && e.code != E_UNAUTHENTICATED)
		log_at(LV_DEBUG, "session last use not written: %s", e.detail);
	reply_release(&rep);
}

/* ---- the handlers ---- */

/* A kept page's bytes, as the response's own copy (NULL: out of memory). */
static char *page_copy(const struct core_page *page, size_t *len, const char **type)
{
	const char *t, *bytes = core_page_bytes(page, len, &t);
	char *copy = malloc(*len + 1);
	if (copy)
		memcpy(copy, bytes, *len + 1);
	if (type)
		*type = t;
	return copy;
}

/* Whether an If-None-Match list names etag ("*" names any; a weak
 * comparison, RFC 9110 13.1.2). */
static int none_match(const char *list, const char *etag)
{
	size_t n = strlen(etag);
	if (!list)
		return 0;
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (!strncmp(p, "W/", 2))
			p += 2;
		size_t len = strcspn(p, ", \t");
		if (len == n && !strncmp(p, etag, n))
			return 1;
		p += len;
	}
	return 0;
}

/* secure: the session cookie is sent only over https (the base URL is
 * https, or a trusted proxy said the client's request was). */
static void reply_json(const struct http_req *q, struct http_res *r, const struct reply *rep, int secure)
{
	char *text = NULL, etag[32] = "";
	size_t len = 0;
	int get = !strcmp(q->method, "GET") || !strcmp(q->method, "HEAD");
	if (rep->revision > 0)
		core_etag(rep->revision, etag);
	/* the client holds this revision: every change to a WR, its lifecycle
	 * steps included, writes a new one (R50) */
	if (get && etag[0] && rep->status == 200 && none_match(http__header(q, "If-None-Match"), etag)) {
		http__res_body(r, 304, NULL, "private, no-cache", NULL, 0);
		http__res_header(r, "ETag", etag);
		return;
	}
	if (rep->page) {
		text = page_copy(rep->page, &len, NULL);
	} else if (rep->body) {
		text = json_dumps(rep->body, JSON_COMPACT | JSON_ENSURE_ASCII);
		len = text ? strlen(text) : 0;
		if (text)
			core_cache_put(rep, "application/json", text, len);
	}
	if ((rep->page || rep->body) && !text) {
		problem_code(r, E_INTERNAL, NULL, "the reply could not be encoded", "");
		return;
	}
	/* a WR read may be kept by the client and revalidated by its ETag */
	http__res_body(r, rep->status, text ? "application/json" : NULL, get && etag[0] ? "private, no-cache" : NULL, text, len);
	if (etag[0])
		http__res_header(r, "ETag", etag);
	if (rep->location[0])
		http__res_header(r, "Location", rep->location);
	if (rep->session_id[0] || rep->end_session) {
		char cookie[256];
		snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%d", COOKIE,
			 rep->end_session ? "" : rep->session_id, secure ? "; Secure" : "",
			 rep->end_session ? 0 : CORE_SESSION_SECONDS);
		http__res_header(r, "Set-Cookie", cookie);
	}
}

static void metrics_text(struct http_res *r)
{
	struct strbuf sb = STRBUF_INIT;
	struct loop_stats ls = { 0 };
	struct err e = ERR_INIT;
	if (the_loop)
		loop_stats(the_loop, &ls);
	watch_metrics(&sb, &ls, thread_store(&e));
	size_t len = sb.len;
	http__res_body(r, 200, "text/plain; version=0.0.4", NULL, strbuf_detach(&sb), len);
}

/* Is the client (behind a trusted proxy, the client it names, never the
 * proxy itself) one of the addresses allowed to scrape /metrics? */
static int metrics_peer(const char *client)
{
	return proxy_list_has(__atomic_load_n(&metrics_now, __ATOMIC_ACQUIRE), client);
}

static int media_json(const char *type)
{
	if (!type)
		return 0;
	size_t n = strlen("application/json");
	return !strncasecmp(type, "application/json", n) && (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* Who the request is from: the socket's peer, or, when the peer is a
 * trusted proxy, the client its forwarding headers name (http/proxy.h).
 * Everything that goes by a client's address uses this one. Derived once,
 * on first use: most requests need no address. */
static const struct proxy_client *client_of(const struct http_req *q, struct proxy_client *client, int *known)
{
	if (*known)
		return client;
	*known = 1;
	struct strbuf fwd = STRBUF_INIT, xff = STRBUF_INIT, xfp = STRBUF_INIT;
	const struct proxy_list *trusted = __atomic_load_n(&trusted_now, __ATOMIC_ACQUIRE);
	if (!trusted->n || !proxy_list_has(trusted, q->peer)) {
		proxy_client(NULL, q->peer, NULL, NULL, NULL, client);
		return client;
	}
	proxy_client(trusted, q->peer, http__header_all(q, "Forwarded", &fwd), http__header_all(q, "X-Forwarded-For", &xff),
		     http__header_all(q, "X-Forwarded-Proto", &xfp), client);
	strbuf_release(&fwd);
	strbuf_release(&xff);
	strbuf_release(&xfp);
	return client;
}

static void handle_api(const struct http_req *q, const struct route *route, struct http_res *r)
{
	struct proxy_client client;
	int known = 0;
	struct err e = ERR_INIT;
	struct reply rep = REPLY_INIT;
	struct call call = { 0 };
	json_t *params = json_object(), *body = NULL;
	struct store *st;
	char cookie_buf[130], account[130], address[64], ua[301];
	/* a guess at a secret the server checks (a password, a code):
	 * throttled like the sign-in (issue 24) */
	int login = !strcmp(route->action, "session.create"), failed;
	int guess = login || list_has("password.change,totp.confirm,totp.disable,recovery.renew", ',', route->action);
	/* the public steps of an account take no session (issue 24) */
	int sessionless = login || list_has("password.forgot,link.check,link.use", ',', route->action);
	struct throttle_ticket ticket;

	if ((route->flags & RF_TEXT) && metrics_peer(client_of(q, &client, &known)->addr)) {
		metrics_text(r);
		goto out;
	}
	if (q->body_len && !media_json(http__header(q, "Content-Type"))) {
		problem_code(r, E_MEDIA_TYPE, "Content-Type", "send application/json", q->raw_path);
		goto out;
	}
	call.now = clock_now(q);
	call.action = route->action;
	route_match(route->pattern, q->path, params);
	if (add_query(q->query, params)) {
		problem_code(r, E_BAD_UTF8, "query", "query parameters must be percent-encoded UTF-8", q->raw_path);
		goto out;
	}
	call.params = params;
	if (q->body_len) {
		json_error_t jerr;
		body = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!body) {
			enum err_code code = json_error_code(&jerr) == json_error_invalid_utf8 ? E_BAD_UTF8 : E_BAD_JSON;
			char detail[200];
			snprintf(detail, sizeof(detail), "%s at line %d column %d", jerr.text, jerr.line, jerr.column);
			problem_code(r, code, "", detail, q->raw_path);
			goto out;
		}
	}
	call.body = body;
	call.render = "json";
	call.if_match = http__header(q, "If-Match");
	call.idempotency_key = http__header(q, "Idempotency-Key"); /* issue 25 */
	if (!(st = thread_store(&e))) {
		http__problem(r, &e, q->raw_path);
		goto out;
	}
	if (credentials(q, &call, cookie_buf, sessionless, r))
		goto out;
	call.client_addr = client_of(q, &client, &known)->addr;
	call.user_agent = printable(http__header(q, "User-Agent"), ua, sizeof(ua));
	if (!strcmp(route->action, "password.forgot") && forgot_throttled(q, st, &call, body, r))
		goto out;
	if (guess) {
		/* counted before the password is hashed: simultaneous guesses
		 * cannot all pass under the limit; a signed-in person's guess
		 * is counted on their session */
		throttle_keys(client_of(q, &client, &known), body, account, address);
		if (!login)
			snprintf(account, sizeof(account), "session:%.16s", call.session ? call.session : call.token ? call.token : "");
		int wait = throttle_begin(st, account, address, call.now, &ticket, &e);
		if (wait < 0) { /* the count cannot be kept: refused, as a write is */
			http__problem(r, &e, q->raw_path);
			goto out;
		}
		if (wait) {
			char ra[24];
			watch_signin(WATCH_SIGNIN_THROTTLED);
			log_at(LV_WARN, "security: sign-in refused, throttled for %d s: account %s, client %s", wait, account, address);
			problem_code(r, E_THROTTLED, NULL, "too many failed sign-ins: wait and try again", q->raw_path);
			snprintf(ra, sizeof(ra), "%d", wait);
			http__res_header(r, "Retry-After", ra);
			goto out;
		}
	}
	failed = core_call(st, &call, &rep, &e);
	if (guess) {
		/* a wrong guess is a failure; any other refusal is not a guess */
		int wrong = failed && (e.code == E_BAD_CREDENTIALS || e.code == E_SECOND_FACTOR ||
				       (e.code == E_INVALID && (!strcmp(e.field, "current_password") || !strcmp(e.field, "code") ||
								(!login && !strcmp(e.field, "password") && strstr(e.detail, "current")))));
		struct err te = ERR_INIT;
		if (throttle_end(st, &ticket, account, address, call.now, !wrong, &te))
			log_at(LV_ERROR, "security: a sign-in's end was not counted: %s", te.detail);
	}
	if (login) {
		/* the security log: every sign-in, with who and from where */
		if (!failed || e.code == E_BAD_CREDENTIALS) {
			watch_signin(failed ? WATCH_SIGNIN_FAILED : WATCH_SIGNIN_OK);
			log_at(failed ? LV_WARN : LV_INFO, "security: sign-in %s: account %s, client %s", failed ? "failed" : "succeeded",
			       account, address);
		}
	}
	access_person = rep.person_id;
	if (failed) {
		/* a storage fault is logged once, where it begins (store) */
		if (e.code == E_INTERNAL || (e.code == E_UNAVAILABLE && strcmp(e.field, "storage")))
			log_at(LV_ERROR, "error %s %s: %s", q->method, q->raw_path, e.detail);
		/* the security log: a permission refused (issue 23) */
		if (err_status(e.code) == 403)
			log_at(LV_WARN, "security: refused: person %lld, %s%s%s, client %s", (long long)rep.person_id, route->action,
			       err_rule_of(&e) ? ", rule " : "", err_rule_of(&e) ? err_rule_of(&e) : "", client_of(q, &client, &known)->addr);
		http__problem(r, &e, q->raw_path);
	} else if (route->flags & RF_TEXT) {
		metrics_text(r);
	} else {
		if (!rep.status)
			rep.status = 200;
		/* the security log: an administrator's change (issue 23) */
		const struct action_info *ai = core_action_info(route->action);
		if (ai && (ai->flags & A_WRITE) && !strncmp(ai->who, "administrator", 13))
			log_at(LV_INFO, "security: administrative change: %s by person %lld, client %s", route->action,
			       (long long)rep.person_id, client_of(q, &client, &known)->addr);
		/* ... and a change to an account's access (issue 24) */
		else if (ai && (ai->flags & A_WRITE) && account_action(route->action))
			log_at(LV_INFO, "security: account: %s by person %lld, client %s", route->action, (long long)rep.person_id,
			       client_of(q, &client, &known)->addr);
		if (call.session && !sessionless)
			session_touch(st, &call);
		/* the cookie's Secure, for a reply that sets one */
		int secure = secure_cookie || ((rep.session_id[0] || rep.end_session) && client_of(q, &client, &known)->https);
		reply_json(q, r, &rep, secure);
	}
	reply_release(&rep);
out:
	json_decref(body);
	json_decref(params);
}

static void handle_raw(const struct http_req *q, const struct route *route, struct http_res *r)
{
	struct err e = ERR_INIT;
	if (!strcmp(route->action, "healthz")) {
		struct store *st = thread_store(&e);
		char *text = NULL;
		int n;
		if (!st) {
			http__problem(r, &e, q->raw_path);
			return;
		}
		/* issue 23: not healthy while the database cannot be written */
		int64_t since;
		const char *cause = store_fault(&since, NULL);
		if (cause) {
			char at[32];
			time_iso(since, at);
			err_set(&e, E_UNAVAILABLE, "storage", "the database cannot be written (%s) since %s: changes are refused", cause, at);
			http__problem(r, &e, q->raw_path);
			return;
		}
		n = asprintf(&text, "{\"status\":\"ok\",\"schema_version\":%d}", store_schema_version(st));
		if (n < 0)
			problem_code(r, E_INTERNAL, NULL, "out of memory", q->raw_path);
		else
			http__res_body(r, 200, "application/json", NULL, text, (size_t)n);
		return;
	}
	/* openapi */
	json_t *doc = http_openapi(base_url);
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (!text)
		problem_code(r, E_INTERNAL, NULL, "out of memory", q->raw_path);
	else
		http__res_body(r, 200, "application/json", NULL, text, strlen(text));
}

static void handle_html(const struct http_req *q, const struct route *route, struct http_res *r)
{
	struct err e = ERR_INIT;
	struct reply rep = REPLY_INIT;
	json_t *params = json_object();
	struct call call = { .action = route->action, .params = params, .now = clock_now(q) };
	struct store *st = thread_store(&e);
	struct strbuf sb = STRBUF_INIT;
	const char *type = "text/html; charset=utf-8", *base = base_url;
	char render[320];
	int status = 200;
	route_match(route->pattern, q->path, params);
	/* a page that takes parameters (two versions compared) reads the query;
	 * the others ignore it, as they always did (a link with ?utm=... works) */
	const struct action_info *ai = core_action_info(route->action);
	if (ai && ai->query && add_query(q->query, params)) {
		json_decref(params);
		problem_code(r, E_BAD_UTF8, "query", "query parameters must be percent-encoded UTF-8", q->raw_path);
		return;
	}
	/* the feed's links start with the configured base URL, never with the
	 * Host header a client (or a proxy passing it on) chose */
	int atom = strstr(route->pattern, ".atom") != NULL; /* a feed of a page's records (issue 25) */
	snprintf(render, sizeof(render), "%s %s", atom ? "atom" : "html", base);
	call.render = render;
	if (!st || core_call(st, &call, &rep, &e)) {
		json_decref(params);
		if (e.code != E_NOT_FOUND) {
			http__problem(r, &e, q->raw_path);
			return;
		}
		http__render_missing(&sb);
		status = 404;
	} else if (rep.page) {
		size_t len;
		char *text = page_copy(rep.page, &len, &type);
		reply_release(&rep);
		json_decref(params);
		if (!text) {
			problem_code(r, E_INTERNAL, NULL, "out of memory", q->raw_path);
			return;
		}
		http__res_body(r, status, type, NULL, text, len);
		http__res_header(r, "Content-Security-Policy", "default-src 'self'; object-src 'none'; frame-ancestors 'none'");
		return;
	} else {
		type = http__render(route->action, rep.body, base, atom, &sb);
		core_cache_put(&rep, type, sb.buf ? sb.buf : "", sb.len);
		reply_release(&rep);
		json_decref(params);
	}
	size_t len = sb.len;
	http__res_body(r, status, type, NULL, strbuf_detach(&sb), len);
	http__res_header(r, "Content-Security-Policy", "default-src 'self'; object-src 'none'; frame-ancestors 'none'");
}


/* ---- group commit: the writer thread's side ---- */

/* A request the writer takes: an API route whose action changes state,
 * except the sign-in (its password hash would hold every write back). */
static int serial(const struct http_req *q)
{
	int known;
	if (!strcmp(q->method, "GET") || !strcmp(q->method, "HEAD"))
		return 0; /* reads stay on the workers */
	const struct route *route = route_find(q->method, q->path, &known);
	const struct action_info *a = route && !(route->flags & (RF_RAW | RF_HTML)) ? core_action_info(route->action) : NULL;
	return a && (a->flags & A_WRITE) && strcmp(route->action, "session.create");
}

/* Begin or commit the writer's batch on its own connection. */
static int batch_do(int (*fn)(struct store *, struct err *), const char *what)
{
	struct err e = ERR_INIT;
	struct store *st = thread_store(&e);
	if (!st || fn(st, &e)) {
		log_at(LV_ERROR, "error: a batch of changes %s: %s", what, e.detail);
		return -1;
	}
	return 0;
}

static int batch_begin(void) { return batch_do(store_batch_begin, "cannot begin"); }
static int batch_commit(void) { return batch_do(store_batch_commit, "was not committed"); }

static void batch_failed(const struct http_req *q, struct http_res *r)
{
	struct err e = ERR_INIT;
	if (store_fault_err(&e)) { /* the storage refused the batch's commit (issue 23) */
		http__problem(r, &e, q->raw_path);
		return;
	}
	problem_code(r, E_UNAVAILABLE, NULL, "the change could not be committed and was not made: try again", q->raw_path);
}

/* A request no route takes: 405 with Allow for a known path, 404 for an
 * unknown one; 0 (nothing set) when it is a static file's to answer. */
static int no_route(const struct http_req *q, int known, struct http_res *r)
{
	if (known) {
		char allow[64];
		struct err e = ERR_INIT;
		allow_header(q->path, allow, sizeof(allow));
		err_set(&e, E_METHOD, NULL, "allowed: %s", allow);
		http__problem(r, &e, q->raw_path);
		http__res_header(r, "Allow", allow);
	} else if (strncmp(q->path, "/api/", 5) && (!strcmp(q->method, "GET") || !strcmp(q->method, "HEAD")) && web_fd >= 0) {
		return 0;
	} else {
		problem_code(r, E_NOT_FOUND, NULL, "no such route", q->raw_path);
	}
	return 1;
}

/* The loop asks before it sends "100 Continue" (RFC 9110 10.1.1): what the
 * head alone shows will be refused is answered now, before the client
 * sends its body: no such route (404, 405), or no credentials on a route
 * that needs them (401). A body too large (413) is the loop's own check.
 * 1 when refused, with r set. */
static int check_head(const struct http_req *q, struct http_res *r)
{
	int known;
	char cookie_buf[130];
	const struct route *route = route_find(q->method, q->path, &known);
	if (!route) {
		if (!no_route(q, known, r))
			return 0;
	} else {
		const struct action_info *a = route->flags & RF_RAW ? NULL : core_action_info(route->action);
		if (!a || (a->flags & A_PUBLIC) || http__header(q, "Authorization") || cookie_value(q, COOKIE, cookie_buf, sizeof(cookie_buf)))
			return 0;
		problem_code(r, E_UNAUTHENTICATED, NULL, "sign in first: this route needs a bearer token or a session", q->raw_path);
	}
	watch_status(r->status);
	return 1;
}

/* After each request: its class of route and its access line (watch.c). */
static void account_for(const struct http_req *q, const struct route *route, struct http_res *r, const struct timespec *t0)
{
	struct proxy_client client;
	int known = 0;
	enum watch_class cls = !route || (route->flags & RF_HTML) ? WATCH_PAGE
			       : route->flags & (RF_RAW | RF_TEXT)  ? WATCH_OTHER
			       : is_write(q->method)                ? WATCH_WRITE
								    : WATCH_READ;
	watch_request(q, cls, route ? route->pattern : q->path, r, t0, log_enabled(LV_INFO) ? client_of(q, &client, &known)->addr : "",
		      access_person);
}

/* The one handler the loop calls. */
static void handle(const struct http_req *q, struct http_res *r)
{
	int known;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	access_person = 0;
	const struct route *route = route_find(q->method, q->path, &known);
	if (!route) {
		if (!no_route(q, known, r))
			http__static(r, web_fd, q->path, q->raw_path);
	} else if (route->flags & RF_RAW) {
		handle_raw(q, route, r);
	} else if (route->flags & RF_HTML) {
		handle_html(q, route, r);
	} else {
		handle_api(q, route, r);
	}
	account_for(q, route, r, &t0);
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
		int mine = store_periodic_turn(cfg->db_path); /* or another server's turn (issue 26) */
		if (mine && core_call(st, &call, &r, &e))
			log_line("scheduler: %s", e.detail);
		else if (mine && (json_integer_value(json_object_get(r.body, "ballots_closed")) || json_integer_value(json_object_get(r.body, "reminders"))))
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

/* The listening socket, bound and listening, non-blocking. */
static int listen_on(const struct sockaddr_storage *ss, struct err *e)
{
	int one = 1, fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (fd < 0)
		return err_set(e, E_UNAVAILABLE, "listen", "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) || listen(fd, 4096)) {
		err_set(e, E_UNAVAILABLE, "listen", "cannot listen on %s: %s", cfg->listen, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The list of text (comma-separated networks), kept until the server
 * stops; the one in force when its text makes the same list. NULL with e
 * set when text is no list. */
static const struct proxy_list *nets_of(const char *text, const struct proxy_list *now, const char *field, struct err *e)
{
	struct nets *n = calloc(1, sizeof(*n));
	if (!n) {
		err_set(e, E_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	if (proxy_list_add(&n->l, text, e)) {
		snprintf(e->field, sizeof(e->field), "%s", field);
		free(n);
		return NULL;
	}
	if (now && now->n == n->l.n && !memcmp(now->net, n->l.net, n->l.n * sizeof(n->l.net[0]))) {
		free(n);
		return now;
	}
	n->older = nets_kept;
	nets_kept = n;
	return &n->l;
}

/* The trusted proxies and --metrics-from of c in force: 0, or -1 with e
 * set and the lists in force unchanged. */
static int set_nets(const struct http_config *c, struct err *e)
{
	const struct proxy_list *t = nets_of(c->trusted_proxies, trusted_now, "trusted-proxy", e);
	const struct proxy_list *m = t ? nets_of(c->metrics_from, metrics_now, "metrics-from", e) : NULL;
	if (!m)
		return -1;
	__atomic_store_n(&trusted_now, t, __ATOMIC_RELEASE);
	__atomic_store_n(&metrics_now, m, __ATOMIC_RELEASE);
	proxy_install(t); /* for the loop: a trusted proxy is no one client */
	return 0;
}

/* The connection loop's limits from c; the connections held no more than
 * the descriptors allow (max_fds, 0: no bound). */
static unsigned max_fds;

static void limits(const struct http_config *c, struct loop_config *lc)
{
	lc->conn_limit = c->conn_limit;
	if (max_fds && c->conn_limit + 64 > max_fds) {
		lc->conn_limit = max_fds > 128 ? max_fds - 64 : 64;
		log_line("at most %u connections: the descriptor limit is %u", lc->conn_limit, max_fds);
	}
	lc->per_ip_limit = c->per_ip_limit;
	lc->head_timeout_ms = c->head_timeout_s * 1000;
	lc->idle_timeout_ms = c->timeout_s * 1000;
	lc->body_limit = c->body_limit;
	lc->min_rate = c->min_rate;
	lc->rate_grace_ms = c->rate_grace_s * 1000;
	lc->drain_ms = c->stop_timeout_s * 1000;
}

int http_retune(const struct http_config *next, struct err *e)
{
	if (!the_loop)
		return err_set(e, E_UNAVAILABLE, NULL, "the server is not serving");
	/* the log file first: when it cannot be opened nothing has changed */
	const char *path = next->log_file ? next->log_file : "";
	if (strcmp(path, log_path)) {
		if (*path && log_to_file(path))
			return err_set(e, E_INVALID, "log-file", "cannot open %s: %s; the log stays where it was", path, strerror(errno));
		if (!*path)
			log_line("entente: log_file is no longer %s, which stays open as standard error", log_path);
		snprintf(log_path, sizeof(log_path), "%s", path);
		if (*path)
			log_line("entente: the log now goes to %s", path);
	}
	if (set_nets(next, e))
		return -1;
	struct loop_config lc = { 0 };
	limits(next, &lc);
	loop_retune(the_loop, &lc);
	stop_timeout_s = next->stop_timeout_s;
	return 0;
}

int http_serve(const struct http_config *config, struct err *e)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl = sizeof(ss);
	sigset_t set;
	int sig, fd, ret = -1;
	watch_start();
	char host[256], url[300];
	cfg = config;
	if (parse_listen(cfg->listen, &ss, e))
		return -1;
	if (set_nets(cfg, e))
		goto out_nets;
	snprintf(log_path, sizeof(log_path), "%s", cfg->log_file ? cfg->log_file : "");
	stop_timeout_s = cfg->stop_timeout_s;
	if (cfg->base_url && proxy_base_url(cfg->base_url, base_url, sizeof(base_url), e))
		goto out_nets;
	if (cfg->web_dir && (web_fd = open(cfg->web_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		err_set(e, E_INVALID, "web-dir", "cannot open %s: %s", cfg->web_dir, strerror(errno));
		goto out_nets;
	}
	if (pthread_key_create(&store_key, store_close)) {
		err_set(e, E_INTERNAL, NULL, "pthread_key_create failed");
		goto out_web;
	}
	/* the signals are waited for here, not delivered to the workers */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* a file-size limit reached (RLIMIT_FSIZE) is a write that fails,
	 * answered 503 like a full disk, not the end of the server */
	signal(SIGXFSZ, SIG_IGN);
	if ((fd = listen_on(&ss, e)) < 0)
		goto out_key;
	/* thousands of connections need as many descriptors: take what the
	 * hard limit allows, and hold no more connections than that */
	struct rlimit rl;
	max_fds = 0;
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 0x7fffffff)
			max_fds = (unsigned)rl.rlim_cur;
	}
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	snprintf(host, sizeof(host), "%s", cfg->listen);
	*strrchr(host, ':') = '\0';
	snprintf(url, sizeof(url), "http://%s:%u", host,
		 ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port));
	/* links start with the configured base URL, else with the address
	 * bound; the Host header of a request is never one */
	if (!cfg->base_url)
		snprintf(base_url, sizeof(base_url), "%s", url);
	secure_cookie = cfg->cookie_secure || !strncmp(base_url, "https://", 8);
	if (cfg->listening && cfg->listening(base_url, cfg->listening_arg, e))
		goto out_fd;
	struct loop_config lc = { .threads = cfg->threads, .handle = handle, .check_head = check_head, .trusted_peer = proxy_trusted_peer,
				  .serial = cfg->no_group_commit ? NULL : serial,
				  .batch_begin = batch_begin, .batch_commit = batch_commit, .batch_failed = batch_failed };
	limits(cfg, &lc);
	if (loop_start(&the_loop, fd, &lc, e))
		goto out_fd;
	log_line("entente listening on %s; links start with %s%s", url, base_url,
		 trusted_now->n ? "; forwarding headers believed from the trusted proxies" : "");
	if (cfg->ready_file) {
		FILE *f = fopen(cfg->ready_file, "w");
		if (f) {
			fprintf(f, "%s\n", url);
			fclose(f);
		}
	}
	pthread_t sched;
	int have_sched = cfg->tick_s && !pthread_create(&sched, NULL, scheduler_main, NULL);
	/* SIGHUP (logrotate, systemctl reload) stops nothing: it reopens
	 * the log file, when there is one, then reads the configuration
	 * again (issue 23) */
	while (!sigwait(&set, &sig) && sig == SIGHUP) {
		if (!log_path[0])
			log_line("entente: SIGHUP: no log file to reopen (standard error)");
		else if (log_to_file(log_path))
			log_at(LV_ERROR, "entente: SIGHUP: cannot reopen the log file %s: %s; still writing the old one", log_path,
			       strerror(errno));
		else
			log_line("entente: SIGHUP: reopened the log file %s", log_path);
		if (cfg->reload)
			cfg->reload(cfg->reload_arg);
		log_line("entente: SIGHUP: still serving");
	}
	log_line("entente stopping (signal %d): no new connection; the requests in flight have %u s to finish", sig,
		 stop_timeout_s);
	stopping = 1;
	if (have_sched)
		pthread_join(sched, NULL);
	loop_stop(the_loop);
	the_loop = NULL;
	log_line("entente stopped");
	core_cache_clear(); /* every thread is gone: what they kept goes */
	ret = 0;
out_fd:
	close(fd);
out_key:
	pthread_key_delete(store_key);
out_web:
	if (web_fd >= 0)
		close(web_fd);
	web_fd = -1;
out_nets:
	proxy_install(NULL);
	trusted_now = metrics_now = NULL;
	while (nets_kept) {
		struct nets *older = nets_kept->older;
		free(nets_kept);
		nets_kept = older;
	}
	return ret;
}
