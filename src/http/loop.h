/* The connection loop: worker threads on epoll that accept, read strict
 * HTTP/1.1 (http/wire.h), hand each complete request to one handler and
 * write its response. What it guarantees against clients that misbehave:
 *
 * - a request head must arrive whole within the head deadline, counted
 *   from the connection's first moment (or from the first byte after a
 *   kept-alive response); a body within the idle timeout; a waiting
 *   kept-alive connection is closed after the idle timeout;
 * - a peer that closes (or half-closes) before its request is complete is
 *   closed at once: EOF on read is noticed in the same wake-up;
 * - at most per_ip connections per client address (an IPv4 address, an
 *   IPv6 /64: one host holds a whole /64), except from a trusted proxy,
 *   and at most conn_limit in all; when the limit is reached a new
 *   connection evicts, in this order, a closing one, the oldest idle or
 *   still sending its head, or, past the grace, one sending its body or
 *   reading its response below the minimum rate; so newcomers always find
 *   room and a flood only churns itself;
 * - a response's write deadline restarts whenever the client takes
 *   bytes: a slow reader is served to the end, a stalled one dropped;
 * - "100 Continue" goes to an HTTP/1.1 client only after its head passed
 *   check_head; an answer that closes the connection is followed by a
 *   short drain of the client's input, so the client reads the answer
 *   rather than a reset.
 *
 * Connections cost a small struct and, while a request is being read, a
 * buffer; thousands are cheap. The handler runs on the worker thread,
 * except for the requests given to the writer (group commit, below). */
#ifndef ENTENTE_HTTP_LOOP_H
#define ENTENTE_HTTP_LOOP_H

#include <stddef.h>
#include <sys/socket.h>

#include "lib/err.h"

struct http_req;
struct http_res;

struct loop_config {
	unsigned threads;
	unsigned conn_limit, per_ip_limit;
	unsigned head_timeout_ms, idle_timeout_ms;
	size_t body_limit;
	unsigned min_rate;             /* bytes/s of a body or a response, below which a connection */
	unsigned rate_grace_ms;        /* older than this may be evicted when the server is full (0: never) */
	unsigned drain_ms;             /* loop_stop: accept no more, close idle connections, and give the
	                                * requests in flight this long to be answered (0: stop at once) */
	void (*handle)(const struct http_req *req, struct http_res *res);
	/* Optional: a head that asked "Expect: 100-continue" and whose body is
	 * to come; 1 with res filled to refuse it (instead of the 100). */
	int (*check_head)(const struct http_req *req, struct http_res *res);
	/* Optional: 1 when ss is a trusted reverse proxy: no per-address limit. */
	int (*trusted_peer)(const struct sockaddr_storage *ss);
	/* Group commit (optional): requests for which serial() answers 1 are
	 * handled by one writer thread, a batch at a time, between
	 * batch_begin() and batch_commit() (0 on success), and their
	 * responses are sent only after the commit returned; when it fails,
	 * batch_failed() makes each response of the batch. */
	int (*serial)(const struct http_req *req);
	int (*batch_begin)(void);
	int (*batch_commit)(void);
	void (*batch_failed)(const struct http_req *req, struct http_res *res);
};

/* Counters since start, for /metrics. */
struct loop_stats {
	unsigned long open, accepted, refused_address, evicted, evicted_slow, refused_full, head_timeouts, idle_timeouts,
		write_timeouts, peer_closed, bad_requests, requests, continues;
	unsigned long batches, batched; /* the writer's commits, and the requests they held */
};

struct loop;

/* Start the workers on the listening socket fd (not owned). */
int loop_start(struct loop **out, int fd, const struct loop_config *cfg, struct err *e);
/* Put cfg's limits in force (SIGHUP): connections, per address, the
 * timeouts, the body limit, the minimum rate and its grace, the drain.
 * A connection takes a changed timeout when it next changes state, a
 * changed body limit with its next connection. The rest of cfg is the
 * start's and is not read. */
void loop_retune(struct loop *l, const struct loop_config *cfg);
/* Stop the workers (after the drain: see drain_ms), close every connection
 * and free the loop. */
void loop_stop(struct loop *l);
void loop_stats(const struct loop *l, struct loop_stats *s);

#endif
