/* The black-box test kit: a real entente server on a random loopback port
 * with a fresh database, the CLI, and an HTTP client on libcurl. */
#ifndef ENTENTE_TEST_CLIENT_H
#define ENTENTE_TEST_CLIENT_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

struct server {
	char dir[128], db[192], url[128], log[192], ready[192];
	char admin_password[64];
	pid_t pid;
	int64_t now;        /* sent as X-Entente-Now when the test clock is on */
	int test_clock;
};

struct resp {
	long status;
	json_t *json;       /* parsed body, or NULL */
	char *raw;          /* the body as text */
	char etag[64], location[256], ctype[128], cookie[256], allow[64], retry_after[16], csp[256], request_id[48];
};

/* A fresh directory and database (init --demo when demo). */
void server_init(struct server *s, int demo);
/* s's paths, nothing made yet: its database db (relative) in dir, or in a
 * fresh directory under /tmp when dir is NULL. */
void server_at(struct server *s, const char *dir, const char *db);
/* Start serve with extra options (NULL-terminated); fails the test on error. */
void server_start(struct server *s, ...);
/* SIGTERM and wait; returns the exit status (0 after a clean stop). */
int server_stop(struct server *s);
/* SIGKILL and wait. */
void server_kill9(struct server *s);
/* Remove the directory. */
void server_cleanup(struct server *s);
/* After a failed test: SIGKILL and remove, when it still runs. */
void server_reap(struct server *s);
/* Stop (SIGTERM) and remove: the stop's status, 0 after a clean stop, so a
 * sanitizer report or an unclean stop fails the caller. */
int server_finish(struct server *s);

/* Run `entente --db DB <args>`; stdout into out (may be NULL); returns the exit status. */
int cli(struct server *s, char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The public half of the signing key entente init made beside the
 * database (<db>.signing-key), raw and in hex; fails the test without it. */
void signing_public_key(struct server *s, unsigned char pk[32], char hex[65]);
/* A bearer token for a person (created once per e-mail, cached). */
const char *token_for(struct server *s, const char *email);

/* An HTTP request. auth: a bearer token, or NULL. body: text or NULL.
 * headers: extra "Name: value" lines, NULL-terminated (may be NULL). */
struct resp req(struct server *s, const char *method, const char *path, const char *auth, const char *body, const char *const *headers);
/* The same to base + path instead of the server's own URL (s may then be
 * NULL): through a proxy, cainfo the certificate to trust for https (or
 * NULL), src the loopback address to send from (NULL: any). */
struct resp req_via(struct server *s, const char *base, const char *cainfo, const char *src, const char *method,
		    const char *path, const char *auth, const char *body, const char *const *headers);
/* The same, but a request that gets no answer (the server died, the
 * connection was refused or cut) is status 0 instead of failing the test
 * (safe in any thread). */
struct resp req_may_fail(struct server *s, const char *method, const char *path, const char *auth, const char *body);
/* The same with the body given by json_pack's format. */
struct resp reqj(struct server *s, const char *method, const char *path, const char *auth, const char *fmt, ...);
/* A request as a person (e-mail) with a JSON body from json_pack (fmt may be NULL). */
struct resp as(struct server *s, const char *email, const char *method, const char *path, const char *fmt, ...);
/* The same with If-Match. */
struct resp as_if(struct server *s, const char *email, const char *method, const char *path, const char *etag, const char *fmt, ...);
void resp_free(struct resp *r);

/* Raw sockets, for what a client library would not send. */
/* The port of the server's URL. */
int server_port(const struct server *s);
/* A connection to the server from the loopback address src (NULL: any). */
int raw_dial(const struct server *s, const char *src);
/* The same with a receive buffer of rcvbuf bytes (0: the system's). */
int raw_dial_rcvbuf(const struct server *s, const char *src, int rcvbuf);
/* Read until the server closes or ms pass; returns the bytes read (buf is
 * NUL-ended), *closed set when the server closed the connection. */
size_t raw_read(int fd, char *buf, size_t n, int ms, int *closed);
/* The same, but returns as soon as the text read holds marker. */
size_t raw_read_until(int fd, char *buf, size_t n, int ms, const char *marker, int *closed);
/* Send raw bytes on a fresh connection from any loopback address, and
 * read the answer until the server closes or 5 s pass. */
void raw_exchange(const struct server *s, const char *raw, char *out, size_t n, int *closed);
/* How many status lines ("HTTP/1.1 NNN ") the text holds. */
int raw_responses(const char *out);
/* Whether the file at path (a log) has a line holding every one of the
 * texts that follow (NULL-terminated). */
int logged(const char *path, ...);
/* Wait (5 s at most) until the log at path has a line holding every
 * text given, and fail the test when it has none. */
#define await_logged(path, ...)                                                   \
	do {                                                                          \
		for (int i_ = 0; i_ < 250 && !logged(path, __VA_ARGS__, NULL); i_++) \
			usleep(20000);                                                    \
		assert_true(logged(path, __VA_ARGS__, NULL));                        \
	} while (0)

/* A counter or gauge of /metrics (read as the administrator); -1 when absent. */
long server_metric(struct server *s, const char *name);

/* A ballot's chain of receipts as as_who reads it, once the signer has
 * sealed it (it signs within a second or so of the close; at most 10 s). */
json_t *sealed_chain(struct server *s, const char *as_who, int ballot);

/* SQL on a database file, behind the server's back (a test's setting of
 * the stage, or a tampering): run text, failing the test on an error;
 * the integer the query's first row holds (it must have one). */
void sql(const char *db, const char *text);
int sql_int(const char *db, const char *query);

/* Field helpers on the parsed body. */
const char *jstr(json_t *o, const char *path);   /* "a.b" */
long long jint(json_t *o, const char *path);
/* The ETag of path as email reads it (200 or the test fails), copied into out. */
const char *etag_of(struct server *s, const char *email, const char *path, char out[64]);
/* An RFC 3339 UTC time ("2027-01-15T16:00:00Z") as seconds; fails the test otherwise. */
long long jtime(json_t *o, const char *path);
/* The ids of a list's items, "1,2" ("" for none); overwritten by the next call. */
const char *jids(json_t *o);

/* Assert status; on mismatch print the body. */
#define expect_status(r, code) do { if ((r).status != (code)) fprintf(stderr, "%s:%d: status %ld (want %d): %s\n", __FILE__, __LINE__, (r).status, (code), (r).raw ? (r).raw : ""); assert_int_equal((r).status, (code)); } while (0)
/* Assert a problem with a rule. */
#define expect_rule(r, code, rule) do { expect_status(r, code); assert_non_null(jstr((r).json, "rule")); assert_string_equal(jstr((r).json, "rule"), rule); } while (0)

/* The SMTP sink of the suite (tests/smtp/sink.py): every message it
 * accepts is a line of JSON in out, as Python parsed it. */
struct sink {
	pid_t pid;
	int port;
	char out[256], ready[256], url[64];
};
/* A free loopback port (bound, read, released). */
int free_port(void);
/* Start the sink on port, its files in s's directory; extra: more of its
 * options (--auth U:P, --tls CERT:KEY, --smtps), NULL-terminated. */
void sink_start(struct sink *k, const struct server *s, int port);
void sink_start_with(struct sink *k, const struct server *s, int port, const char *const *extra);
void sink_stop(struct sink *k);
/* Every message the sink accepted (a new array). */
json_t *received(const struct sink *k);

/* Debian's nginx, NULL when it is not installed. */
const char *nginx_path(void);
/* nginx with conf as its configuration (written to dir/nginx.conf; its
 * stderr dir/nginx-stderr.log), until nginx_end: its pid once port
 * answers (10 s at most), else the test fails. */
pid_t nginx_run(const char *dir, const char *conf, int port);
/* SIGTERM, SIGKILL after 5 s; *pid becomes 0. */
void nginx_end(pid_t *pid);

#endif
