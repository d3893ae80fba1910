/* What an operator watches (issue 23): the server's counters, the
 * /metrics text and the access line. */
#ifndef ENTENTE_HTTP_WATCH_H
#define ENTENTE_HTTP_WATCH_H

#include <stdint.h>
#include <time.h>

#include "http/loop.h"
#include "lib/strbuf.h"
#include "store/store.h"

struct http_req;
struct http_res;

enum watch_class { WATCH_READ, WATCH_WRITE, WATCH_PAGE, WATCH_OTHER, WATCH_CLASSES };
enum watch_signin { WATCH_SIGNIN_OK, WATCH_SIGNIN_FAILED, WATCH_SIGNIN_THROTTLED };

/* The server starts: uptime counts from now, request ids carry it. */
void watch_start(void);
/* A response made without a request handled (refused at its head). */
void watch_status(int status);
void watch_signin(enum watch_signin outcome);
/* A request handled since t0 (CLOCK_MONOTONIC): its status counted, its
 * duration into the histogram of its class, its id into the response
 * (X-Request-Id), and, at level info, its access line: client (after the
 * proxies), person (0: none), method, route, status, bytes, duration, id. */
void watch_request(const struct http_req *q, enum watch_class cls, const char *route, struct http_res *r, const struct timespec *t0,
		   const char *client, int64_t person_id);
/* The /metrics text (Prometheus) into sb: these counters, the loop's, the
 * page cache's, the store's health, and what st (may be NULL) holds. */
void watch_metrics(struct strbuf *sb, const struct loop_stats *ls, struct store *st);

#endif
