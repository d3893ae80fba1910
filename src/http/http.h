/* The HTTP server: the connection loop's handler, the route table, authentication,
 * RFC 9457 problems and the OpenAPI document. */
#ifndef ENTENTE_HTTP_H
#define ENTENTE_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "lib/err.h"

struct http_config {
	const char *db_path;
	const char *listen;        /* "HOST:PORT"; port 0 picks a free one */
	const char *web_dir;       /* static files, or NULL */
	const char *ready_file;    /* written with the URL of the socket once listening, or NULL */
	size_t body_limit;         /* bytes */
	unsigned threads;
	unsigned conn_limit, per_ip_limit, timeout_s;
	unsigned head_timeout_s;   /* the whole request head must arrive within this */
	unsigned min_rate;         /* bytes/s: a body or response slower than this, past */
	unsigned rate_grace_s;     /* this many seconds, may be evicted when the server is full */
	const char *metrics_from;  /* comma-separated addresses that may read /metrics unauthenticated, or NULL */
	int cookie_secure;         /* add Secure to the session cookie (always when base_url is https) */
	/* Every absolute link the server writes (feeds, the OpenAPI servers,
	 * mail, checkpoint and receipt addresses) starts with this, as
	 * proxy_base_url() normalized it; NULL: "http://" + the address bound.
	 * Never the Host header. */
	const char *base_url;
	const char *trusted_proxies; /* comma-separated networks whose forwarding headers are believed, or NULL */
	/* Called once the socket listens, before any request is read, with the
	 * base URL in force (valid until http_serve returns); nonzero (with e
	 * set) stops the server. May be NULL. */
	int (*listening)(const char *base_url, void *arg, struct err *e);
	void *listening_arg;
	int test_clock;            /* honour X-Entente-Now (tests only) */
	unsigned tick_s;           /* scheduler period in seconds, 0: no scheduler */
	const char *log_file;      /* standard error goes there, reopened at SIGHUP; NULL: left as it is */
	/* Called at SIGHUP, after the log file was reopened, on the thread
	 * that waits for signals: reads the configuration again and puts
	 * what can change in force (http_retune for the server's part). May
	 * be NULL. */
	void (*reload)(void *arg);
	void *reload_arg;
	unsigned stop_timeout_s;   /* at SIGTERM, how long the requests in flight have to finish (0: none) */
	int no_group_commit;       /* changes commit one by one on the workers */
};

/* Serve until SIGTERM or SIGINT; returns 0 after a clean stop. */
int http_serve(const struct http_config *cfg, struct err *e);

/* At SIGHUP (http_config.reload): put next's settings in force for what
 * comes: the trusted proxies, metrics_from, the connection limits and
 * timeouts, the body limit, the minimum rate and its grace, the stop
 * timeout and the log file. The rest of next (the address listened on,
 * the threads, the web directory, the base URL, the cookie, the tick,
 * group commit) is read at start only. 0, or -1 with e set (a list that
 * is no list, a log file that cannot be opened), what was in force then
 * staying so. */
int http_retune(const struct http_config *next, struct err *e);

/* The OpenAPI 3.1 document of every route (new reference); its servers
 * name base_url, or, when NULL, entente serve's default address. */
json_t *http_openapi(const char *base_url);

/* The route table, read by the OpenAPI document. */
#define RF_NONE 0u
#define RF_RAW  1u   /* answered by the server itself, not through core */
#define RF_HTML 2u   /* a public page: core's reply rendered as HTML or Atom */
#define RF_TEXT 4u   /* authorized through core like the API, answered as text by the server */

struct route {
	const char *method;
	const char *pattern;       /* "/api/v1/work-registers/{id}" */
	const char *action;        /* core action, or a server-internal name */
	unsigned flags;
};

extern const struct route http__routes[];
/* Every route: the table's, then the process steps' (derived); NULL-ended. */
const struct route *http_routes(void);

#endif
