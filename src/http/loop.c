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

#include "http/addrs.h"
#include "http/loop.h"
#include "http/reader.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/util.h"

/* S_LINGER: the answer that closes the connection is sent and the write
 * side shut; what the client still sends is read and dropped for a
 * moment, so that the close does not reset the connection under the
 * answer before the client read it. */
enum state { S_HEAD, S_BODY, S_WRITE, S_IDLE, S_LINGER, S_NSTATES, S_PARKED /* with the writer: on no list */ };

#define LINGER_MS    2000          /* how long a closing connection's input is drained */
#define LINGER_BYTES (256u << 10)  /* and how much of it at most */
#define EVICT_SLACK  32            /* connections past the limit while evictions are in flight */
#define EVICT_AGE_MS 200           /* younger idle or head connections are not evicted for another worker */

struct conn {
	int fd;
	enum state state;
	struct conn *prev, *next;      /* in the worker's list for state */
	int64_t deadline;              /* ms, monotonic */
	struct addr *addr;             /* per-address count */
	char peer[INET6_ADDRSTRLEN];
	struct reader rd;              /* what has been read, and the request in it */
	int linked;                    /* on one of the worker's lists */
	int64_t since;                 /* ms: when the body, or the response, began */
	size_t drained;                /* bytes dropped while lingering */
	struct strbuf out;             /* status line and headers to write */
	char *body;                    /* the response body */
	size_t body_len, sent;         /* sent counts out then body */
	int eof;                       /* the peer closed its side */
	int close_after;
	int keep_alive_1_0;            /* an HTTP/1.0 client that asked to keep the connection */
};

/* A request handed to the writer thread, and its response coming back. */
struct job {
	struct job *next;
	struct conn *conn;
	struct worker *worker;
	struct http_req req;
	char *path, *raw_path;
	struct http_res res;
};

struct list { struct conn *first, *last; };

struct worker {
	struct loop *loop;
	pthread_t thread;
	int ep;
	unsigned count;                /* connections held by this worker */
	struct list lists[S_NSTATES];
	atomic_uint evictable;         /* idle, head or lingering connections, read by other workers */
	atomic_uint busy;              /* connections reading a body or writing: evictable when slow */
	atomic_uint evict_pending;     /* evictions other workers asked of this one */
	int wake_fd;                   /* an eventfd: "evict_pending grew" or "jobs done" */
	pthread_mutex_t done_lock;
	struct job *done;              /* answered by the writer, to be sent */
	unsigned parked;               /* connections whose request is with the writer */
	int draining;                  /* stopping: no new connection, none kept alive */
};

struct loop {
	struct loop_config cfg;
	int listen_fd, stop_fd;
	atomic_int draining;           /* loop_stop with drain_ms: finish what is in flight */
	int64_t drain_until;           /* ms, monotonic: then stop whatever is left */
	unsigned nworkers;
	struct worker *workers;
	struct addrs *addrs;           /* connections per client address */
	atomic_ulong open, accepted, refused_address, evicted, evicted_slow, refused_full, head_timeouts, idle_timeouts,
		write_timeouts, peer_closed, bad_requests, requests, continues;
	/* the writer: requests that change state, answered a batch at a time */
	pthread_t writer;
	int have_writer, writer_stop;
	pthread_mutex_t queue_lock;
	pthread_cond_t queue_cond;
	pthread_mutex_t write_token;   /* held by whoever is making changes: the writer, or a worker alone */
	struct job *queue, **queue_tail;
	atomic_ulong batches, batched;
};

/* A limit of the configuration, which loop_retune may change while the
 * workers read it (SIGHUP). */
#define LIM(field) __atomic_load_n(&(field), __ATOMIC_RELAXED)

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the per-address count (http/addrs.c) ---- */

/* Count one more connection from ss; NULL when the address is at its
 * limit. A trusted proxy carries many clients: it is counted, not limited. */
static struct addr *addr_take(struct loop *l, const struct sockaddr_storage *ss)
{
	int unlimited = l->cfg.trusted_peer && l->cfg.trusted_peer(ss);
	return addrs_take(l->addrs, ss, unlimited ? 0 : LIM(l->cfg.per_ip_limit));
}

/* ---- lists and states ---- */

/* A connection in state s may be let go for a newcomer whatever it does;
 * the others (a body or a response under way) only when too slow. */
static int sure_victim(enum state s) { return s == S_IDLE || s == S_HEAD || s == S_LINGER; }

static void unlink_conn(struct worker *w, struct conn *c)
{
	struct list *li;
	if (!c->linked) /* a parked connection is on no list: its state has none */
		return;
	li = &w->lists[c->state];
	c->linked = 0;
	atomic_fetch_sub(sure_victim(c->state) ? &w->evictable : &w->busy, 1);
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
	return s == S_HEAD ? LIM(l->cfg.head_timeout_ms) : s == S_LINGER ? LINGER_MS : LIM(l->cfg.idle_timeout_ms);
}

/* Move c to the tail of state's list with a fresh deadline. */
static void enter(struct worker *w, struct conn *c, enum state s, int64_t now)
{
	struct list *li = &w->lists[s];
	unlink_conn(w, c);
	c->state = s;
	c->deadline = now + timeout_of(w->loop, s);
	c->linked = 1;
	atomic_fetch_add(sure_victim(s) ? &w->evictable : &w->busy, 1);
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
	addrs_drop(w->loop->addrs, c->addr);
	reader_free(&c->rd);
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
	if (res->close || !c->rd.head.keep_alive)
		c->close_after = 1;
	strbuf_reset(&c->out);
	strbuf_addf(&c->out, "HTTP/1.1 %d %s\r\nDate: %s\r\n", res->status, http__reason(res->status), http_date());
	strbuf_add(&c->out, res->headers.buf, res->headers.len);
	if (res->status != 204 && res->status != 304)
		strbuf_addf(&c->out, "Content-Length: %zu\r\n", res->len);
	/* HTTP/1.0 closes unless both sides say keep-alive (RFC 9112 9.3) */
	strbuf_addstr(&c->out, c->close_after ? "Connection: close\r\n\r\n"
			       : c->rd.head.minor == 0 ? "Connection: keep-alive\r\n\r\n" : "\r\n");
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
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		c->sent += (size_t)w;
	}
}

/* ---- requests ---- */

enum { WAIT, ANSWER, CLOSED, PARKED, WAIT_BODY };

/* Read what is there into the reader; sets eof when the peer closed. -1
 * on a read error. A buffer at its largest stops the reading: the parser
 * refuses what is too large, or frees room by decoding a chunked body. */
static int fill(struct conn *c)
{
	for (;;) {
		size_t room;
		char *at = reader_space(&c->rd, &room);
		if (!at)
			return 0;
		ssize_t r = recv(c->fd, at, room, 0);
		if (r > 0) {
			reader_wrote(&c->rd, (size_t)r);
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

/* A lingering connection: read and drop what comes, until the peer
 * closes, the drain's budget is spent, or its deadline. 1 when done. */
static int drain(struct conn *c)
{
	char sink[4096];
	for (;;) {
		ssize_t r = recv(c->fd, sink, sizeof(sink), 0);
		if (r > 0) {
			c->drained += (size_t)r;
			if (c->drained > LINGER_BYTES)
				return 1;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		return !(r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
	}
}

/* The request the reader holds, as the handler sees it: its path decoded
 * into fresh buffers (*path, *raw_path: the caller frees them). -1 for a
 * target whose escapes are malformed. Its pointers are into the reader's
 * buffer as it is now: valid until the reader reads again or consumes. */
static int make_req(struct conn *c, struct http_req *q, char **path, char **raw_path)
{
	struct reader_view v;
	reader_view(&c->rd, &v);
	const char *query = strchr(v.target, '?');
	size_t plen = query ? (size_t)(query - v.target) : strlen(v.target);
	*raw_path = strndup(v.target, plen);
	*path = malloc(plen + 1);
	*q = (struct http_req){ .method = v.method, .target = v.target, .path = *path, .raw_path = *raw_path,
				.query = query ? query + 1 : "", .base = v.base, .head = v.head, .body = v.body,
				.body_len = v.body_len, .peer = c->peer, .is_head = !strcmp(v.method, "HEAD") };
	if (!*raw_path || !*path)
		return -1;
	return wire_unescape(v.target, plen, *path, 0) < 0 ? -1 : 0;
}

/* Hand a request to the writer: the connection leaves the worker's epoll
 * set and lists (no event, deadline or eviction touches it, and nothing is
 * read into its buffer) until the writer's batch is committed and its
 * response comes back. 0 when out of memory: the caller answers it here,
 * unbatched. */
static int park(struct worker *w, struct conn *c, struct http_req *q, char *path, char *raw_path)
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
	j->res.headers = (struct strbuf)STRBUF_INIT;
	unlink_conn(w, c);
	c->state = S_PARKED;
	w->parked++;
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

/* Answer the complete request the reader holds: here, or parked with the
 * writer (1). */
static int run_request(struct worker *w, struct conn *c)
{
	struct loop *l = w->loop;
	struct http_res res = { .headers = STRBUF_INIT };
	struct http_req q;
	char *path = NULL, *raw_path = NULL;
	atomic_fetch_add(&l->requests, 1);
	if (make_req(c, &q, &path, &raw_path)) {
		/* a bad escape or an encoded NUL: the instance is the raw path, ASCII */
		queue_error(l, c, 400, "the request target has a malformed percent-escape", raw_path ? raw_path : "");
	} else {
		int here = 0; /* a change, made here alone */
		if (l->have_writer && l->cfg.serial && l->cfg.serial(&q) && !(here = write_here(l, &q, &res)) &&
		    park(w, c, &q, path, raw_path))
			return 1;
		if (!here)
			l->cfg.handle(&q, &res);
		queue_response(c, &res, q.is_head);
	}
	free(path);
	free(raw_path);
	reader_consume(&c->rd);
	return 0;
}

/* A head that expects "100 Continue" and whose body is to come: the 100
 * goes only to an HTTP/1.1 client (RFC 9110 10.1.1) and only once the
 * head passed every check that can refuse it; a refusal is the answer
 * instead (ANSWER), and the connection closes after it, the body unread. */
static int expect_continue(struct worker *w, struct conn *c)
{
	struct loop *l = w->loop;
	const struct wire_head *h = &c->rd.head;
	if (!h->expect_continue || h->minor != 1)
		return WAIT_BODY;
	if (l->cfg.check_head) {
		struct http_res res = { .headers = STRBUF_INIT };
		struct http_req q;
		char *path = NULL, *raw_path = NULL;
		int refused = 0;
		if (make_req(c, &q, &path, &raw_path)) {
			queue_error(l, c, 400, "the request target has a malformed percent-escape", raw_path ? raw_path : "");
			refused = 1;
		} else if (l->cfg.check_head(&q, &res)) {
			res.close = 1;
			atomic_fetch_add(&l->requests, 1);
			queue_response(c, &res, q.is_head);
			refused = 1;
		}
		free(path);
		free(raw_path);
		strbuf_release(&res.headers);
		free(res.body);
		if (refused)
			return ANSWER;
	}
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	/* the socket's buffer is empty while a request is read: all of it goes */
	if (send(c->fd, cont, sizeof(cont) - 1, MSG_NOSIGNAL) < 0 && errno != EAGAIN)
		return CLOSED;
	atomic_fetch_add(&l->continues, 1);
	return WAIT_BODY;
}

/* Read the next request from the buffer and answer it into c->out:
 * ANSWER when a response is queued, WAIT for more bytes, CLOSED, or
 * PARKED with the writer. */
static int next_request(struct worker *w, struct conn *c, int64_t now)
{
	struct loop *l = w->loop;
	if (c->state == S_IDLE && reader_held(&c->rd)) /* the head deadline runs from the first byte */
		enter(w, c, S_HEAD, now);
	int r = reader_next(&c->rd);
	if (r == READ_HEAD) {
		enter(w, c, S_BODY, now);
		c->since = now;
		r = expect_continue(w, c);
		if (r == CLOSED) {
			conn_close(w, c);
			return CLOSED;
		}
		if (r == ANSWER)
			return ANSWER;
		r = READ_MORE;
	}
	if (r >= 400) {
		/* a body too large is refused after its head was read: the
		 * problem names the path it was sent to (issue 22) */
		char path[256] = "";
		if (r == 413)
			snprintf(path, sizeof(path), "%.*s", (int)strcspn(wire_str(c->rd.buf, c->rd.head.target), "?"),
				 wire_str(c->rd.buf, c->rd.head.target));
		queue_error(l, c, r, c->rd.why, path);
		return ANSWER;
	}
	if (r == READ_REQUEST)
		return run_request(w, c) ? PARKED : ANSWER;
	if (c->eof) { /* the peer closed: what is here can never be completed */
		if (reader_held(&c->rd))
			atomic_fetch_add(&l->peer_closed, 1);
		conn_close(w, c);
		return CLOSED;
	}
	return WAIT;
}

/* The answer that closes the connection is written: shut the write side
 * and drain what the client still sends for a moment (S_LINGER), so it
 * reads the answer instead of a reset. */
static void linger(struct worker *w, struct conn *c, int64_t now)
{
	shutdown(c->fd, SHUT_WR);
	free(c->body);
	c->body = NULL;
	c->body_len = 0;
	strbuf_release(&c->out);
	reader_free(&c->rd);
	if (c->eof || drain(c)) {
		conn_close(w, c);
		return;
	}
	if (c->state == S_WRITE)
		want(w, c, 0);
	enter(w, c, S_LINGER, now);
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
		size_t before = c->sent;
		int f = flush_out(c);
		if (f < 0) {
			conn_close(w, c);
			return;
		}
		if (f == 0) {
			/* the deadline restarts whenever the client takes bytes */
			if (c->state != S_WRITE || c->sent != before) {
				if (c->state != S_WRITE) {
					c->since = now;
					want(w, c, 1);
				}
				enter(w, c, S_WRITE, now);
			}
			return;
		}
		if (c->close_after) {
			linger(w, c, now);
			return;
		}
		free(c->body);
		c->body = NULL;
		c->body_len = 0;
		strbuf_reset(&c->out);
		if (c->state == S_WRITE)
			want(w, c, 0);
		if (w->draining && !reader_held(&c->rd)) { /* stopping: answered, not kept */
			linger(w, c, now);
			return;
		}
		enter(w, c, reader_held(&c->rd) ? S_HEAD : S_IDLE, now);
	}
}

/* ---- accepting ---- */

/* Is c, sending its body or reading its response, moving fewer bytes a
 * second than the minimum, past the grace? */
static int too_slow(const struct loop *l, const struct conn *c, int64_t now)
{
	int64_t age = now - c->since;
	if (!LIM(l->cfg.min_rate) || !LIM(l->cfg.rate_grace_ms) || age < (int64_t)LIM(l->cfg.rate_grace_ms))
		return 0;
	uint64_t moved = c->state == S_BODY ? c->rd.body_received : c->sent;
	return moved * 1000 < (uint64_t)LIM(l->cfg.min_rate) * (uint64_t)age;
}

/* The oldest connection of state s if it has been in it for min_age ms
 * at least (the list is in the order they entered it), else NULL. */
static struct conn *oldest(struct worker *w, enum state s, int64_t now, int64_t min_age)
{
	struct conn *c = w->lists[s].first;
	return c && now - (c->deadline - (int64_t)timeout_of(w->loop, s)) >= min_age ? c : NULL;
}

/* Make room for a newcomer: a closing connection goes, else the oldest
 * idle or still sending its head (idle or head for min_age ms at least),
 * else the oldest of the first 64 bodies and responses under way that is
 * too slow. -1 when none may go. */
static int evict(struct worker *w, int64_t now, int64_t min_age)
{
	struct conn *victim = w->lists[S_LINGER].first;
	int slow = 0;
	if (!victim)
		victim = oldest(w, S_IDLE, now, min_age);
	if (!victim)
		victim = oldest(w, S_HEAD, now, min_age);
	for (int s = S_BODY; !victim && s <= S_WRITE; s++) {
		int looked = 0;
		for (struct conn *c = w->lists[s].first; c && looked < 64 && !victim; c = c->next, looked++)
			if (too_slow(w->loop, c, now))
				victim = c, slow = 1;
	}
	if (!victim)
		return -1;
	conn_close(w, victim);
	atomic_fetch_add(slow ? &w->loop->evicted_slow : &w->loop->evicted, 1);
	return 0;
}

/* Ask the worker holding the most evictable connections (else, when a
 * minimum rate is set, the most bodies and responses under way, some of
 * which may be slow) to let one go; 0 when one was asked. The newcomer is
 * taken meanwhile, so the total may pass the limit by the evictions in
 * flight (never by more than EVICT_SLACK). */
static int evict_elsewhere(struct worker *w)
{
	struct loop *l = w->loop;
	struct worker *best = NULL;
	unsigned most = 0;
	for (int busy = 0; busy < 2 && !best && (!busy || (LIM(l->cfg.min_rate) && LIM(l->cfg.rate_grace_ms))); busy++)
		for (unsigned i = 0; i < l->nworkers; i++) {
			struct worker *o = &l->workers[i];
			unsigned n = atomic_load(busy ? &o->busy : &o->evictable), pending = atomic_load(&o->evict_pending);
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

/* Make the evictions other workers asked for. One that finds no victim
 * now stays owed while the server holds more than its limit, and is paid
 * when a body or response under way turns slow: the newcomers admitted
 * on credit do not keep the server over its limit. Asked from afar, an
 * idle or head connection is taken only once it is EVICT_AGE_MS old: the
 * newest may be the very client the eviction made room for. */
static void pay_evictions(struct worker *w, int64_t now)
{
	struct loop *l = w->loop;
	unsigned k = atomic_exchange(&w->evict_pending, 0);
	while (k > 0 && atomic_load(&l->open) > LIM(l->cfg.conn_limit) && !evict(w, now, EVICT_AGE_MS))
		k--;
	if (k && atomic_load(&l->open) > LIM(l->cfg.conn_limit))
		atomic_fetch_add(&w->evict_pending, k);
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
		unsigned long open = atomic_load(&l->open);
		if (open >= LIM(l->cfg.conn_limit) && evict(w, now, 0) &&
		    (open >= LIM(l->cfg.conn_limit) + EVICT_SLACK || evict_elsewhere(w))) {
			atomic_fetch_add(&l->refused_full, 1);
			addrs_drop(l->addrs, a);
			refuse_busy(fd, "the server is full of requests in progress");
			continue;
		}
		struct conn *c = calloc(1, sizeof(*c));
		if (!c) {
			addrs_drop(l->addrs, a);
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		c->addr = a;
		c->state = S_IDLE;
		reader_init(&c->rd, LIM(l->cfg.body_limit));
		strbuf_init(&c->out);
		if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, c->peer, sizeof(c->peer));
		else
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, c->peer, sizeof(c->peer));
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
		if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev)) {
			addrs_drop(l->addrs, a);
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
			/* a lingering connection's end is no timeout: it is how it ends */
			if (s != S_LINGER)
				atomic_fetch_add(s == S_HEAD    ? &w->loop->head_timeouts
						 : s == S_WRITE ? &w->loop->write_timeouts
								: &w->loop->idle_timeouts, 1);
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
	w->parked--;
	queue_response(c, &j->res, j->req.is_head);
	reader_consume(&c->rd);
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

/* Stopping with a grace (issue 23): accept no more, close the idle, and
 * let the requests in flight finish (drive closes each once answered). */
static void drain_begin(struct worker *w)
{
	struct loop *l = w->loop;
	w->draining = 1;
	epoll_ctl(w->ep, EPOLL_CTL_DEL, l->listen_fd, NULL);
	epoll_ctl(w->ep, EPOLL_CTL_DEL, l->stop_fd, NULL);
	while (w->lists[S_IDLE].first)
		conn_close(w, w->lists[S_IDLE].first);
}

/* Nothing in flight on w: no request being read, handled or written. */
static int drained(struct worker *w)
{
	pthread_mutex_lock(&w->done_lock);
	int done = !w->done;
	pthread_mutex_unlock(&w->done_lock);
	return done && !w->parked && !w->lists[S_HEAD].first && !w->lists[S_BODY].first && !w->lists[S_WRITE].first;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct loop *l = w->loop;
	struct epoll_event evs[128];
	for (;;) {
		int64_t now = now_ms();
		if (w->draining && (now >= l->drain_until || drained(w)))
			return NULL;
		int wait = expire(w, now);
		if (atomic_load(&w->evict_pending)) /* owed since a body or response became slow? */
			pay_evictions(w, now);
		if (w->draining && (wait < 0 || wait > l->drain_until - now))
			wait = (int)(l->drain_until - now);
		int n = epoll_wait(w->ep, evs, 128, wait < 0 ? 0 : wait);
		int arrivals = 0, asked = 0;
		now = now_ms();
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == &l->stop_fd) {
				if (!atomic_load(&l->draining))
					return NULL;
				drain_begin(w);
				continue;
			}
			if (evs[i].data.ptr == &l->listen_fd) {
				arrivals = 1;
				continue;
			}
			if (evs[i].data.ptr == &w->wake_fd) { /* evictions asked by other workers */
				uint64_t count;
				if (read(w->wake_fd, &count, sizeof(count)) < 0)
					(void)0;
				asked = 1; /* evicted below: a victim's event may be later in this batch */
				answer_done(w, now);
				continue;
			}
			struct conn *c = evs[i].data.ptr;
			if (c->state == S_LINGER) {
				if ((evs[i].events & EPOLLERR) || drain(c))
					conn_close(w, c);
				continue;
			}
			if ((evs[i].events & EPOLLERR) || (c->state != S_WRITE && fill(c) < 0)) {
				conn_close(w, c);
				continue;
			}
			drive(w, c, now, 0);
		}
		/* last: evicting, for another worker or for a newcomer, may close a
		 * connection whose event is in this batch */
		if (asked)
			pay_evictions(w, now);
		if (arrivals && !w->draining) /* one that came in the batch that began the drain waits no more */
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
	l->addrs = addrs_new();
	l->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	l->workers = calloc(n, sizeof(*l->workers));
	if (l->stop_fd < 0 || !l->workers || !l->addrs)
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
	addrs_free(l->addrs);
	free(l);
	return err_set(e, E_INTERNAL, NULL, "cannot set up epoll: %s", strerror(errno));
}

void loop_retune(struct loop *l, const struct loop_config *cfg)
{
#define RETUNE(field) __atomic_store_n(&l->cfg.field, cfg->field, __ATOMIC_RELAXED)
	RETUNE(conn_limit);
	RETUNE(per_ip_limit);
	RETUNE(head_timeout_ms);
	RETUNE(idle_timeout_ms);
	RETUNE(body_limit);
	RETUNE(min_rate);
	RETUNE(rate_grace_ms);
	RETUNE(drain_ms);
#undef RETUNE
}

void loop_stop(struct loop *l)
{
	uint64_t one = 1;
	if (LIM(l->cfg.drain_ms)) {
		l->drain_until = now_ms() + LIM(l->cfg.drain_ms);
		atomic_store(&l->draining, 1);
	}
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
	addrs_free(l->addrs);
	free(l);
}

void loop_stats(const struct loop *l, struct loop_stats *s)
{
	s->open = atomic_load(&l->open);
	s->accepted = atomic_load(&l->accepted);
	s->refused_address = atomic_load(&l->refused_address);
	s->evicted = atomic_load(&l->evicted);
	s->evicted_slow = atomic_load(&l->evicted_slow);
	s->write_timeouts = atomic_load(&l->write_timeouts);
	s->continues = atomic_load(&l->continues);
	s->refused_full = atomic_load(&l->refused_full);
	s->head_timeouts = atomic_load(&l->head_timeouts);
	s->idle_timeouts = atomic_load(&l->idle_timeouts);
	s->peer_closed = atomic_load(&l->peer_closed);
	s->bad_requests = atomic_load(&l->bad_requests);
	s->requests = atomic_load(&l->requests);
	s->batches = atomic_load(&l->batches);
	s->batched = atomic_load(&l->batched);
}
