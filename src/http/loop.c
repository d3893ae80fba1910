/* The connection loop (see loop.h for what it guarantees). Each worker
 * thread owns an epoll set and the connections it accepted; the listening
 * socket is in every set with EPOLLEXCLUSIVE, so one worker wakes per
 * arrival. A worker keeps its connections on one list per state; each
 * state has a fixed timeout, so a list is ordered by deadline and expiry
 * looks only at list heads. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "http/internal.h"
#include "http/loop.h"
#include "lib/util.h"

enum state { S_HEAD, S_BODY, S_WRITE, S_IDLE, S_NSTATES, S_PARKED /* with the writer: on no list */ };

struct conn {
	int fd;
	enum state state;
	struct conn *prev, *next;      /* in the worker's list for state */
	int64_t deadline;              /* ms, monotonic */
	struct addr *addr;             /* per-address count */
	char peer[INET6_ADDRSTRLEN];
	char *buf;                     /* what has been read */
	size_t len, cap;
	int linked;                    /* on one of the worker's lists */
	size_t scanned;                /* of an incomplete head, see wire_parse_head */
	struct wire_head head;
	size_t body_at;                /* where the body starts in buf */
	struct wire_chunks chunks;
	struct strbuf out;             /* status line and headers to write */
	char *body;                    /* the response body */
	size_t body_len, sent;         /* sent counts out then body */
	int eof;                       /* the peer closed its side */
	int close_after;
};

/* A request handed to the writer thread, and its response coming back. */
struct job {
	struct job *next;
	struct conn *conn;
	struct worker *worker;
	struct http_req req;
	char *path, *raw_path;
	size_t consume;                /* bytes of the buffer the request used */
	struct http_res res;
};

struct list { struct conn *first, *last; };

struct worker {
	struct loop *loop;
	pthread_t thread;
	int ep;
	unsigned count;                /* connections held by this worker */
	struct list lists[S_NSTATES];
	atomic_uint evictable;         /* idle or head connections, read by other workers */
	atomic_uint evict_pending;     /* evictions other workers asked of this one */
	int wake_fd;                   /* an eventfd: "evict_pending grew" or "jobs done" */
	pthread_mutex_t done_lock;
	struct job *done;              /* answered by the writer, to be sent */
};

/* Connections per client address, across workers. */
struct addr {
	struct addr *next;
	unsigned char key[17];         /* family byte and the address */
	unsigned count;
};
#define ADDR_BUCKETS 4096

struct loop {
	struct loop_config cfg;
	int listen_fd, stop_fd;
	unsigned nworkers;
	struct worker *workers;
	pthread_mutex_t addr_lock;
	struct addr *buckets[ADDR_BUCKETS];
	atomic_ulong open, accepted, refused_address, evicted, refused_full, head_timeouts, idle_timeouts, peer_closed,
		bad_requests, requests;
	/* the writer: requests that change state, answered a batch at a time */
	pthread_t writer;
	int have_writer, writer_stop;
	pthread_mutex_t queue_lock;
	pthread_cond_t queue_cond;
	pthread_mutex_t write_token;   /* held by whoever is making changes: the writer, or a worker alone */
	struct job *queue, **queue_tail;
	atomic_ulong batches, batched;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the per-address count ---- */

static unsigned addr_key(const struct sockaddr_storage *ss, unsigned char key[17])
{
	uint32_t h = 2166136261u;
	memset(key, 0, 17);
	key[0] = (unsigned char)ss->ss_family;
	if (ss->ss_family == AF_INET6)
		memcpy(key + 1, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	else
		memcpy(key + 1, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	for (int i = 0; i < 17; i++)
		h = (h ^ key[i]) * 16777619u;
	return h % ADDR_BUCKETS;
}

/* Count one more connection from ss; NULL when the address is at its limit. */
static struct addr *addr_take(struct loop *l, const struct sockaddr_storage *ss)
{
	unsigned char key[17];
	unsigned b = addr_key(ss, key);
	struct addr *a;
	pthread_mutex_lock(&l->addr_lock);
	for (a = l->buckets[b]; a && memcmp(a->key, key, sizeof(key)); a = a->next)
		;
	if (!a && (a = calloc(1, sizeof(*a)))) {
		memcpy(a->key, key, sizeof(key));
		a->next = l->buckets[b];
		l->buckets[b] = a;
	}
	if (a && a->count >= l->cfg.per_ip_limit)
		a = NULL;
	else if (a)
		a->count++;
	pthread_mutex_unlock(&l->addr_lock);
	return a;
}

static void addr_drop(struct loop *l, struct addr *a)
{
	pthread_mutex_lock(&l->addr_lock);
	if (--a->count == 0) {
		unsigned b = 0;
		uint32_t h = 2166136261u;
		for (int i = 0; i < 17; i++)
			h = (h ^ a->key[i]) * 16777619u;
		b = h % ADDR_BUCKETS;
		for (struct addr **p = &l->buckets[b]; *p; p = &(*p)->next)
			if (*p == a) {
				*p = a->next;
				free(a);
				break;
			}
	}
	pthread_mutex_unlock(&l->addr_lock);
}

/* ---- lists and states ---- */

static void unlink_conn(struct worker *w, struct conn *c)
{
	struct list *li;
	if (!c->linked) /* a parked connection is on no list: its state has none */
		return;
	li = &w->lists[c->state];
	c->linked = 0;
	if (c->state == S_IDLE || c->state == S_HEAD)
		atomic_fetch_sub(&w->evictable, 1);
	if (c->prev)
		c->prev->next = c->next;
	else
		li->first = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		li->last = c->prev;
	c->prev = c->next = NULL;
}

static unsigned timeout_of(const struct loop *l, enum state s)
{
	return s == S_HEAD ? l->cfg.head_timeout_ms : l->cfg.idle_timeout_ms;
}

/* Move c to the tail of state's list with a fresh deadline. */
static void enter(struct worker *w, struct conn *c, enum state s, int64_t now)
{
	struct list *li = &w->lists[s];
	unlink_conn(w, c);
	c->state = s;
	c->deadline = now + timeout_of(w->loop, s);
	c->linked = 1;
	if (s == S_IDLE || s == S_HEAD)
		atomic_fetch_add(&w->evictable, 1);
	c->prev = li->last;
	if (li->last)
		li->last->next = c;
	else
		li->first = c;
	li->last = c;
}

static void conn_close(struct worker *w, struct conn *c)
{
	unlink_conn(w, c);
	epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	addr_drop(w->loop, c->addr);
	free(c->buf);
	free(c->body);
	strbuf_release(&c->out);
	free(c);
	w->count--;
	atomic_fetch_sub(&w->loop->open, 1);
}

/* Reading states wait for input and the peer's close; writing waits for
 * room only, so a peer that half-closed and stopped reading cannot make
 * a level-triggered set spin. */
static void want(struct worker *w, struct conn *c, int writing)
{
	struct epoll_event ev = { .events = writing ? EPOLLOUT : EPOLLIN | EPOLLRDHUP, .data.ptr = c };
	epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* ---- responses ---- */

static const char *reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Status";
	}
}

/* The Date header, formatted once a second per thread. */
static const char *http_date(void)
{
	static _Thread_local time_t last;
	static _Thread_local char text[40];
	time_t t = time(NULL);
	if (t != last) {
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		last = t;
	}
	return text;
}

/* Serialize res into c's output; res's body moves to c. */
static void queue_response(struct conn *c, struct http_res *res, int is_head)
{
	if (!res->status) /* a handler that set nothing */
		res->status = 500;
	if (res->close || !c->head.keep_alive)
		c->close_after = 1;
	strbuf_reset(&c->out);
	strbuf_addf(&c->out, "HTTP/1.1 %d %s\r\nDate: %s\r\n", res->status, reason(res->status), http_date());
	strbuf_add(&c->out, res->headers.buf, res->headers.len);
	if (res->status != 204 && res->status != 304)
		strbuf_addf(&c->out, "Content-Length: %zu\r\n", res->len);
	strbuf_addstr(&c->out, c->close_after ? "Connection: close\r\n\r\n" : "\r\n");
	free(c->body);
	c->body = is_head || res->status == 204 || res->status == 304 ? (free(res->body), NULL) : res->body;
	c->body_len = c->body ? res->len : 0;
	c->sent = 0;
	res->body = NULL;
	strbuf_release(&res->headers);
}

static void queue_error(struct loop *l, struct conn *c, int status, const char *why, const char *instance)
{
	struct http_res res = { .headers = STRBUF_INIT };
	struct err e = ERR_INIT;
	enum err_code code = status == 413 ? E_TOO_LARGE : status == 414 ? E_URI_TOO_LONG : status == 417 ? E_EXPECTATION
			     : status == 431 ? E_HEAD_TOO_LARGE : status == 501 ? E_NOT_IMPLEMENTED : status == 505 ? E_HTTP_VERSION
			     : E_BAD_REQUEST;
	err_set(&e, code, NULL, "%s", why);
	http__problem(&res, &e, instance);
	res.close = 1; /* after a framing error nothing that follows can be trusted */
	c->head.keep_alive = 0;
	atomic_fetch_add(&l->bad_requests, 1);
	queue_response(c, &res, 0);
}

/* Write what is pending; 1 when all is written, 0 to wait, -1 on error. */
static int flush_out(struct conn *c)
{
	for (;;) {
		struct iovec iov[2];
		int n = 0;
		size_t head = c->out.len;
		if (c->sent < head)
			iov[n++] = (struct iovec){ c->out.buf + c->sent, head - c->sent };
		size_t boff = c->sent > head ? c->sent - head : 0;
		if (c->body_len > boff)
			iov[n++] = (struct iovec){ c->body + boff, c->body_len - boff };
		if (!n)
			return 1;
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n };
		ssize_t w = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
		if (w < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : errno == EINTR ? flush_out(c) : -1;
		c->sent += (size_t)w;
	}
}

/* ---- requests ---- */

/* Read what is there; sets eof when the peer closed. -1 on a read error. */
static int fill(struct loop *l, struct conn *c)
{
	size_t max = WIRE_MAX_HEAD + l->cfg.body_limit + 64;
	for (;;) {
		if (c->len == c->cap) {
			if (c->cap >= max)
				return 0; /* the parser will refuse what is too large */
			size_t ncap = c->cap ? c->cap * 2 : 4096;
			if (ncap > max)
				ncap = max;
			char *nb = realloc(c->buf, ncap + 1);
			if (!nb)
				return -1;
			c->buf = nb;
			c->cap = ncap;
		}
		ssize_t r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (r > 0) {
			c->len += (size_t)r;
			continue;
		}
		if (r == 0) {
			c->eof = 1;
			return 0;
		}
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	}
}

/* The path and the query of the target, decoded into a fresh buffer. */
static int split_target(const char *target, char **path, char **raw_path, const char **query)
{
	const char *q = strchr(target, '?');
	size_t plen = q ? (size_t)(q - target) : strlen(target);
	*raw_path = strndup(target, plen);
	*path = malloc(plen + 1);
	*query = q ? q + 1 : "";
	if (!*raw_path || !*path)
		return -1;
	return wire_unescape(target, plen, *path, 0) < 0 ? -1 : 0;
}

/* Drop the request just answered from the buffer; what follows it
 * (a pipelined request) stays. */
static void consume_request(struct conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	memset(&c->head, 0, sizeof(c->head));
	memset(&c->chunks, 0, sizeof(c->chunks));
	c->body_at = 0;
	c->scanned = 0;
}

/* Hand a request to the writer: the connection leaves the worker's epoll
 * set and lists (no event, deadline or eviction touches it) until the
 * writer's batch is committed and its response comes back. 0 when out of
 * memory: the caller answers it here, unbatched. */
static int park(struct worker *w, struct conn *c, struct http_req *q, char *path, char *raw_path, size_t consume)
{
	struct loop *l = w->loop;
	struct job *j = calloc(1, sizeof(*j));
	if (!j)
		return 0;
	j->conn = c;
	j->worker = w;
	j->req = *q;
	j->path = path;
	j->raw_path = raw_path;
	j->consume = consume;
	j->res.headers = (struct strbuf)STRBUF_INIT;
	unlink_conn(w, c);
	c->state = S_PARKED;
	epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
	pthread_mutex_lock(&l->queue_lock);
	*l->queue_tail = j;
	l->queue_tail = &j->next;
	pthread_cond_signal(&l->queue_cond);
	pthread_mutex_unlock(&l->queue_lock);
	return 1;
}

/* A change with no other waiting and the writer idle is made here, on its
 * own commit: handing it over would cost two thread wake-ups and batch
 * nothing. 1 when done (res holds the response). */
static int write_here(struct loop *l, const struct http_req *q, struct http_res *res)
{
	int idle;
	if (pthread_mutex_trylock(&l->write_token))
		return 0;
	pthread_mutex_lock(&l->queue_lock);
	idle = !l->queue;
	pthread_mutex_unlock(&l->queue_lock);
	if (idle)
		l->cfg.handle(q, res);
	pthread_mutex_unlock(&l->write_token);
	if (idle && !res->status)
		res->status = 500; /* a handler that set nothing */
	return idle;
}

/* Answer the request whose body is body..body_len and which used the first
 * consume bytes of the buffer: here, or parked with the writer (1). */
static int run_request(struct worker *w, struct conn *c, const char *body, size_t body_len, size_t consume)
{
	struct loop *l = w->loop;
	struct http_res res = { .headers = STRBUF_INIT };
	char *path = NULL, *raw_path = NULL;
	const char *query;
	atomic_fetch_add(&l->requests, 1);
	if (split_target(c->head.target, &path, &raw_path, &query)) {
		/* a bad escape or an encoded NUL: the instance is the raw path, ASCII */
		queue_error(l, c, 400, "the request target has a malformed percent-escape", raw_path ? raw_path : "");
	} else {
		struct http_req q = { .method = c->head.method, .target = c->head.target, .path = path, .raw_path = raw_path,
				      .query = query, .head = &c->head, .body = body, .body_len = body_len, .peer = c->peer,
				      .is_head = !strcmp(c->head.method, "HEAD") };
		int here = 0; /* a change, made here alone */
		if (l->have_writer && l->cfg.serial && l->cfg.serial(&q) && !(here = write_here(l, &q, &res)) &&
		    park(w, c, &q, path, raw_path, consume))
			return 1;
		if (!here)
			l->cfg.handle(&q, &res);
		queue_response(c, &res, q.is_head);
	}
	free(path);
	free(raw_path);
	consume_request(c, consume);
	return 0;
}

enum { WAIT, ANSWER, CLOSED, PARKED };

/* Read the next request from the buffer and answer it into c->out:
 * ANSWER when a response is queued, WAIT for more bytes, CLOSED. */
static int next_request(struct worker *w, struct conn *c, int64_t now)
{
	struct loop *l = w->loop;
	const char *why;
	int r;
	if (c->state == S_IDLE || c->state == S_HEAD) {
		if (!c->len)
			goto more;
		if (c->state == S_IDLE) /* the head deadline runs from the first byte */
			enter(w, c, S_HEAD, now);
		c->buf[c->len] = '\0';
		r = wire_parse_head(c->buf, c->len, &c->scanned, &c->head, &why);
		if (r == 0)
			goto more;
		if (r > 1) {
			queue_error(l, c, r, why, "");
			return ANSWER;
		}
		c->body_at = c->head.head_len;
		if (c->head.content_length > l->cfg.body_limit) { /* 413 before reading any of it */
			char d[80];
			snprintf(d, sizeof(d), "the limit is %zu bytes", l->cfg.body_limit);
			queue_error(l, c, 413, d, "");
			return ANSWER;
		}
		enter(w, c, S_BODY, now);
		if (c->head.expect_continue && (c->head.chunked || c->head.content_length > c->len - c->body_at)) {
			static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
			if (send(c->fd, cont, sizeof(cont) - 1, MSG_NOSIGNAL) < 0 && errno != EAGAIN) {
				conn_close(w, c);
				return CLOSED;
			}
		}
	}
	if (c->head.chunked) {
		struct wire_chunks *k = &c->chunks;
		char *b = c->buf + c->body_at;
		r = wire_dechunk(b, c->len - c->body_at, k, l->cfg.body_limit, &why);
		if (r > 1) {
			queue_error(l, c, r, why, "");
			return ANSWER;
		}
		size_t end = c->body_at + k->in, body = k->out;
		if (r == 1) /* the decoded body sits before end; both go */
			return run_request(w, c, b, body, end) ? PARKED : ANSWER;
		/* drop the framing already decoded so the buffer holds the body and
		 * the undecoded rest only: its size stays within the body limit */
		memmove(b + k->out, b + k->in, c->len - end);
		c->len -= k->in - k->out;
		k->in = k->out;
		goto more;
	}
	if (c->len - c->body_at < c->head.content_length)
		goto more;
	return run_request(w, c, c->buf + c->body_at, (size_t)c->head.content_length,
			   c->body_at + (size_t)c->head.content_length) ? PARKED : ANSWER;
more:
	if (c->eof) { /* the peer closed: what is here can never be completed */
		if (c->len)
			atomic_fetch_add(&l->peer_closed, 1);
		conn_close(w, c);
		return CLOSED;
	}
	return WAIT;
}

/* Answer every complete request the buffer holds, writing as far as the
 * socket takes; a loop, not recursion, so pipelining cannot deepen the
 * stack. */
static void drive(struct worker *w, struct conn *c, int64_t now, int answered)
{
	for (;;) {
		if (!answered && c->state != S_WRITE) {
			int r = next_request(w, c, now);
			if (r != ANSWER)
				return;
		}
		answered = 0;
		int f = flush_out(c);
		if (f < 0) {
			conn_close(w, c);
			return;
		}
		if (f == 0) {
			if (c->state != S_WRITE) {
				enter(w, c, S_WRITE, now);
				want(w, c, 1);
			}
			return;
		}
		if (c->close_after) {
			/* let the peer read the answer before the close */
			shutdown(c->fd, SHUT_WR);
			conn_close(w, c);
			return;
		}
		free(c->body);
		c->body = NULL;
		c->body_len = 0;
		strbuf_reset(&c->out);
		if (c->state == S_WRITE)
			want(w, c, 0);
		if (!c->len && c->cap > 8192) { /* a large buffer is not kept while idle */
			free(c->buf);
			c->buf = NULL;
			c->cap = 0;
		}
		enter(w, c, c->len ? S_HEAD : S_IDLE, now);
	}
}

/* ---- accepting ---- */

/* Make room for a newcomer: the oldest waiting connection goes. */
static int evict(struct worker *w)
{
	struct conn *victim = w->lists[S_IDLE].first ? w->lists[S_IDLE].first : w->lists[S_HEAD].first;
	if (!victim)
		return -1;
	conn_close(w, victim);
	atomic_fetch_add(&w->loop->evicted, 1);
	return 0;
}

/* Ask the worker holding the most evictable connections to let its
 * oldest go; 0 when one was asked. The newcomer is taken meanwhile, so
 * the total may pass the limit by the evictions in flight. */
static int evict_elsewhere(struct worker *w)
{
	struct loop *l = w->loop;
	struct worker *best = NULL;
	unsigned most = 0;
	for (unsigned i = 0; i < l->nworkers; i++) {
		struct worker *o = &l->workers[i];
		unsigned n = atomic_load(&o->evictable), pending = atomic_load(&o->evict_pending);
		if (o != w && n > pending && n - pending > most) {
			most = n - pending;
			best = o;
		}
	}
	if (!best)
		return -1;
	uint64_t one = 1;
	atomic_fetch_add(&best->evict_pending, 1);
	if (write(best->wake_fd, &one, sizeof(one)) < 0)
		log_line("loop: cannot wake a worker");
	return 0;
}

static void refuse_busy(int fd, const char *why)
{
	char body[256], msg[512];
	int bn = snprintf(body, sizeof(body), "{\"type\":\"urn:entente:problem:UNAVAILABLE\",\"title\":\"Service unavailable\","
			  "\"status\":503,\"detail\":\"%s\"}", why);
	int n = snprintf(msg, sizeof(msg), "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
			 "Retry-After: 5\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", bn, body);
	/* best effort: the socket is new, its buffer empty */
	if (send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		(void)0;
	close(fd);
}

static void accept_all(struct worker *w, int64_t now)
{
	struct loop *l = w->loop;
	for (int i = 0; i < 256; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(l->listen_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return; /* EAGAIN, or a transient error: the next wake-up retries */
		atomic_fetch_add(&l->accepted, 1);
		struct addr *a = addr_take(l, &ss);
		if (!a) {
			atomic_fetch_add(&l->refused_address, 1);
			refuse_busy(fd, "too many connections from this address");
			continue;
		}
		/* the limit is the server's: when full, the oldest waiting
		 * connection goes, this worker's or the busiest other's */
		if (atomic_load(&l->open) >= l->cfg.conn_limit && evict(w) && evict_elsewhere(w)) {
			atomic_fetch_add(&l->refused_full, 1);
			addr_drop(l, a);
			refuse_busy(fd, "the server is full of requests in progress");
			continue;
		}
		struct conn *c = calloc(1, sizeof(*c));
		if (!c) {
			addr_drop(l, a);
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		c->addr = a;
		c->state = S_IDLE;
		strbuf_init(&c->out);
		if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, c->peer, sizeof(c->peer));
		else
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, c->peer, sizeof(c->peer));
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
		if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev)) {
			addr_drop(l, a);
			close(fd);
			free(c);
			continue;
		}
		w->count++;
		atomic_fetch_add(&l->open, 1);
		/* a new connection has the head deadline from its first moment:
		 * one that never speaks is not kept for the idle timeout */
		enter(w, c, S_HEAD, now);
	}
}

/* Close what is past its deadline; the ms until the next one. */
static int expire(struct worker *w, int64_t now)
{
	int64_t next = now + 1000;
	for (int s = 0; s < S_NSTATES; s++) {
		struct conn *c;
		while ((c = w->lists[s].first) && c->deadline <= now) {
			atomic_fetch_add(s == S_HEAD ? &w->loop->head_timeouts : &w->loop->idle_timeouts, 1);
			conn_close(w, c);
		}
		if (c && c->deadline < next)
			next = c->deadline;
	}
	return (int)(next - now);
}

/* ---- the writer ---- */

/* The connection's request is answered: back into the epoll set, the
 * response queued, and on to what it sends next. */
static void unpark(struct worker *w, struct job *j, int64_t now)
{
	struct conn *c = j->conn;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
	queue_response(c, &j->res, j->req.is_head);
	consume_request(c, j->consume);
	free(j->path);
	free(j->raw_path);
	free(j);
	enter(w, c, S_BODY, now);
	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, c->fd, &ev)) {
		conn_close(w, c);
		return;
	}
	drive(w, c, now, 1);
}

static void answer_done(struct worker *w, int64_t now)
{
	pthread_mutex_lock(&w->done_lock);
	struct job *j = w->done;
	w->done = NULL;
	pthread_mutex_unlock(&w->done_lock);
	while (j) {
		struct job *next = j->next;
		unpark(w, j, now);
		j = next;
	}
}

/* The writer thread: takes every request waiting, runs them between
 * batch_begin and batch_commit (one transaction, one sync to the disk for
 * all), and only then hands each response back to its worker. When the
 * commit fails, every response of the batch becomes the failure's. */
static void *writer_main(void *arg)
{
	struct loop *l = arg;
	for (;;) {
		pthread_mutex_lock(&l->queue_lock);
		while (!l->queue && !l->writer_stop)
			pthread_cond_wait(&l->queue_cond, &l->queue_lock);
		struct job *batch = l->queue;
		l->queue = NULL;
		l->queue_tail = &l->queue;
		int stop = l->writer_stop;
		pthread_mutex_unlock(&l->queue_lock);
		if (!batch && stop)
			return NULL;
		unsigned long n = 0;
		pthread_mutex_lock(&l->write_token); /* no change is being made on a worker */
		int began = l->cfg.batch_begin() == 0;
		for (struct job *j = batch; j; j = j->next, n++)
			if (began)
				l->cfg.handle(&j->req, &j->res);
		if (!began || l->cfg.batch_commit())
			for (struct job *j = batch; j; j = j->next) {
				free(j->res.body);
				strbuf_release(&j->res.headers);
				memset(&j->res, 0, sizeof(j->res));
				j->res.headers = (struct strbuf)STRBUF_INIT;
				l->cfg.batch_failed(&j->req, &j->res);
			}
		pthread_mutex_unlock(&l->write_token);
		atomic_fetch_add(&l->batches, 1);
		atomic_fetch_add(&l->batched, n);
		while (batch) {
			struct job *next = batch->next;
			struct worker *w = batch->worker;
			uint64_t one = 1;
			pthread_mutex_lock(&w->done_lock);
			batch->next = w->done;
			w->done = batch;
			pthread_mutex_unlock(&w->done_lock);
			if (write(w->wake_fd, &one, sizeof(one)) < 0)
				(void)0; /* the counter is full: the worker is waking anyway */
			batch = next;
		}
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct loop *l = w->loop;
	struct epoll_event evs[128];
	for (;;) {
		int64_t now = now_ms();
		int wait = expire(w, now);
		int n = epoll_wait(w->ep, evs, 128, wait < 0 ? 0 : wait);
		int arrivals = 0;
		now = now_ms();
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == &l->stop_fd)
				return NULL;
			if (evs[i].data.ptr == &l->listen_fd) {
				arrivals = 1;
				continue;
			}
			if (evs[i].data.ptr == &w->wake_fd) { /* evictions asked by other workers */
				uint64_t asked;
				if (read(w->wake_fd, &asked, sizeof(asked)) < 0)
					(void)0;
				for (unsigned k = atomic_exchange(&w->evict_pending, 0); k > 0 && !evict(w); k--)
					;
				answer_done(w, now);
				continue;
			}
			struct conn *c = evs[i].data.ptr;
			if ((evs[i].events & EPOLLERR) || (c->state != S_WRITE && fill(l, c) < 0)) {
				conn_close(w, c);
				continue;
			}
			drive(w, c, now, 0);
		}
		/* last: accepting may evict a connection whose event is in this batch */
		if (arrivals)
			accept_all(w, now);
	}
}

int loop_start(struct loop **out, int fd, const struct loop_config *cfg, struct err *e)
{
	struct loop *l = calloc(1, sizeof(*l));
	unsigned n = cfg->threads ? cfg->threads : 1;
	if (!l)
		return err_set(e, E_INTERNAL, NULL, "out of memory");
	l->cfg = *cfg;
	l->listen_fd = fd;
	l->nworkers = n;
	pthread_mutex_init(&l->addr_lock, NULL);
	l->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	l->workers = calloc(n, sizeof(*l->workers));
	if (l->stop_fd < 0 || !l->workers)
		goto fail;
	for (unsigned i = 0; i < n; i++) {
		struct worker *w = &l->workers[i];
		struct epoll_event lev = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = &l->listen_fd };
		struct epoll_event sev = { .events = EPOLLIN, .data.ptr = &l->stop_fd };
		struct epoll_event wev = { .events = EPOLLIN, .data.ptr = &w->wake_fd };
		w->loop = l;
		w->ep = epoll_create1(EPOLL_CLOEXEC);
		w->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (w->ep < 0 || w->wake_fd < 0 || epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &lev) ||
		    epoll_ctl(w->ep, EPOLL_CTL_ADD, l->stop_fd, &sev) || epoll_ctl(w->ep, EPOLL_CTL_ADD, w->wake_fd, &wev))
			goto fail;
	}
	pthread_mutex_init(&l->queue_lock, NULL);
	pthread_mutex_init(&l->write_token, NULL);
	pthread_cond_init(&l->queue_cond, NULL);
	l->queue_tail = &l->queue;
	for (unsigned i = 0; i < n; i++)
		pthread_mutex_init(&l->workers[i].done_lock, NULL);
	if (cfg->serial) {
		if (pthread_create(&l->writer, NULL, writer_main, l)) {
			l->nworkers = 0;
			loop_stop(l);
			return err_set(e, E_INTERNAL, NULL, "cannot start the server's writer thread");
		}
		l->have_writer = 1;
	}
	for (unsigned i = 0; i < n; i++)
		if (pthread_create(&l->workers[i].thread, NULL, worker_main, &l->workers[i])) {
			l->nworkers = i;
			loop_stop(l);
			return err_set(e, E_INTERNAL, NULL, "cannot start the server's threads");
		}
	*out = l;
	return 0;
fail:
	for (unsigned i = 0; l->workers && i < n; i++) {
		if (l->workers[i].ep > 0)
			close(l->workers[i].ep);
		if (l->workers[i].wake_fd > 0)
			close(l->workers[i].wake_fd);
	}
	if (l->stop_fd >= 0)
		close(l->stop_fd);
	free(l->workers);
	free(l);
	return err_set(e, E_INTERNAL, NULL, "cannot set up epoll: %s", strerror(errno));
}

void loop_stop(struct loop *l)
{
	uint64_t one = 1;
	if (write(l->stop_fd, &one, sizeof(one)) < 0)
		log_line("loop: cannot signal the workers");
	for (unsigned i = 0; i < l->nworkers; i++)
		pthread_join(l->workers[i].thread, NULL);
	if (l->have_writer) { /* the workers are gone: the writer answers what it holds, and stops */
		pthread_mutex_lock(&l->queue_lock);
		l->writer_stop = 1;
		pthread_cond_signal(&l->queue_cond);
		pthread_mutex_unlock(&l->queue_lock);
		pthread_join(l->writer, NULL);
	}
	for (unsigned i = 0; i < l->nworkers; i++) {
		struct worker *w = &l->workers[i];
		for (int s = 0; s < S_NSTATES; s++)
			while (w->lists[s].first)
				conn_close(w, w->lists[s].first);
		for (struct job *j = w->done, *next; j; j = next) { /* answered, never sent */
			next = j->next;
			free(j->res.body);
			strbuf_release(&j->res.headers);
			free(j->path);
			free(j->raw_path);
			conn_close(w, j->conn);
			free(j);
		}
		pthread_mutex_destroy(&w->done_lock);
		close(w->ep);
		close(w->wake_fd);
	}
	pthread_mutex_destroy(&l->queue_lock);
	pthread_mutex_destroy(&l->write_token);
	pthread_cond_destroy(&l->queue_cond);
	close(l->stop_fd);
	free(l->workers);
	pthread_mutex_destroy(&l->addr_lock);
	free(l);
}

void loop_stats(const struct loop *l, struct loop_stats *s)
{
	s->open = atomic_load(&l->open);
	s->accepted = atomic_load(&l->accepted);
	s->refused_address = atomic_load(&l->refused_address);
	s->evicted = atomic_load(&l->evicted);
	s->refused_full = atomic_load(&l->refused_full);
	s->head_timeouts = atomic_load(&l->head_timeouts);
	s->idle_timeouts = atomic_load(&l->idle_timeouts);
	s->peer_closed = atomic_load(&l->peer_closed);
	s->bad_requests = atomic_load(&l->bad_requests);
	s->requests = atomic_load(&l->requests);
	s->batches = atomic_load(&l->batches);
	s->batched = atomic_load(&l->batched);
}
