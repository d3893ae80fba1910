/* E-mail delivery of the outbox (issue 10): messages written per RFC 5322
 * (message.c, pure) and sent over SMTP with libcurl by a deliverer
 * (deliver.c) that claims them through core's door, sends each, and
 * reports each result before the next. Core keeps the states; this module
 * owns the network, the clock of retries and the retry policy. */
#ifndef ENTENTE_MAIL_H
#define ENTENTE_MAIL_H

#include <jansson.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/store.h"

struct mail_config {
	const char *smtp_url;      /* smtp://host:port or smtps://host:port; NULL: no delivery */
	int starttls;              /* smtp://: refuse to send unless STARTTLS succeeds, even on this machine */
	int insecure;              /* allow mail and AUTH without TLS to another machine (issue 23) */
	const char *user;          /* SMTP AUTH user, or NULL */
	const char *password_file; /* its password, first line of the file (never in the database or a log) */
	const char *ca_file;       /* CA certificates to check the server's with (else the system's) */
	const char *from;          /* "entente <entente@example.org>" */
	const char *base_url;      /* the web application's address, for links: entente serve sets
				    * its own (--base-url, else the address it listens on) */
	unsigned batch;            /* messages claimed at once (20) */
	unsigned lease_s;          /* how long a claim holds (120) */
	unsigned attempts;         /* retry budget: attempts before "dead" (8) */
	unsigned retry_base_s;     /* first retry delay, doubled each time (60) */
	unsigned timeout_s;        /* connection and transfer timeout (30) */
	char password[256];        /* read by mail_config_load */
};

/* Defaults for what the options did not set (the environment and the
 * configuration file came in as options: cli/config.c). The base URL's
 * default is the server's: http:// and $ENTENTE_LISTEN, else
 * http://127.0.0.1:8080. */
void mail_config_defaults(struct mail_config *mc);
/* Issue 23: whether smtp:// must succeed in STARTTLS before it sends: yes
 * for a mail server on another machine unless insecure, yes everywhere
 * with starttls; a server on this machine (localhost, 127.0.0.0/8, ::1)
 * gets STARTTLS whenever it offers it. 0 for smtps:// (TLS from the
 * start). */
int mail_tls_required(const struct mail_config *mc);
/* Check the configuration and read the password file. */
int mail_config_load(struct mail_config *mc, struct err *e);

/* RFC 5322 date of t ("Wed, 02 Dec 2026 11:18:21 +0000"). */
void mail_date(int64_t t, char out[40]);
/* A header line "Name: value\r\n": value as is when printable ASCII (folded
 * at spaces past 78 columns), else as RFC 2047 encoded words (UTF-8,
 * base64), never splitting a character; CR and LF never reach the header. */
void mail_header(struct strbuf *out, const char *name, const char *value);
/* text as quoted-printable (RFC 2045), lines ending CRLF. */
void mail_qp(struct strbuf *out, const char *text);
/* The bare address of "Name <a@b>" or "a@b" into out; 0, or -1 if none. */
int mail_address(const char *from, char *out, size_t n);
/* One outbox message (as outbox.claim gives it) as a whole RFC 5322
 * message; its Message-ID (stable: the same at every attempt) into msgid. */
void mail_format(const struct mail_config *mc, const json_t *msg, int64_t now, struct strbuf *out, char msgid[256]);

struct mail_run {
	unsigned sent, retrying, dead;
};
/* Deliver what is due, in batches, until nothing is due or *stop is set:
 * claim, send each, report each. 0 when the run went through (whatever
 * the mail server answered), -1 when the database refused. */
int mail_deliver(struct store *st, const struct mail_config *mc, volatile int *stop, struct mail_run *run, struct err *e);

/* entente serve: a thread delivering every interval_s seconds on its own
 * connection to the database, until mail_worker_stop. */
int mail_worker_start(const char *db_path, const struct mail_config *mc, unsigned interval_s, struct err *e);
void mail_worker_stop(void);

#endif
