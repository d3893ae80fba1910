/* The deliverer: claims due messages through core's door (outbox.claim),
 * sends each over SMTP with libcurl, and reports each result (outbox.result)
 * in its own transaction before sending the next, so that a crash can
 * repeat at most the one message in flight (the window between the
 * server's "250" and the report's commit; its Message-ID is the same, so a
 * receiver may recognize it). A deliverer that dies leaves its claims to
 * the next when their lease ends.
 *
 * Retry policy (here, not in core): a temporary failure (a 4xx answer, a
 * refused or lost connection, a timeout, a refused login) waits
 * retry_base * 2^(attempts-1), plus up to half again of random jitter, at
 * most six hours; a permanent refusal (5xx) or the last attempt of the
 * budget makes the message dead, for an administrator to see and retry. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/core.h"
#include "lib/periodic.h"
#include "lib/util.h"
#include "mail/mail.h"

void mail_config_defaults(struct mail_config *mc)
{
	if (!mc->from)
		mc->from = "entente <entente@localhost>";
	if (!mc->base_url) { /* what entente serve would take: see http_config.base_url */
		static char listen_url[300];
		const char *listen = getenv("ENTENTE_LISTEN");
		if (listen && *listen && !strchr(listen, '/') && strrchr(listen, ':') && strcmp(strrchr(listen, ':'), ":0") &&
		    (size_t)snprintf(listen_url, sizeof(listen_url), "http://%s", listen) < sizeof(listen_url))
			mc->base_url = listen_url;
		else
			mc->base_url = "http://127.0.0.1:8080";
	}
	if (!mc->batch)
		mc->batch = 20;
	if (!mc->lease_s)
		mc->lease_s = 120;
	if (!mc->attempts)
		mc->attempts = 8;
	if (!mc->retry_base_s)
		mc->retry_base_s = 60;
	if (!mc->timeout_s)
		mc->timeout_s = 30;
}

/* The host of smtp://HOST:PORT is this machine. */
static int host_is_local(const char *url)
{
	const char *h = strstr(url, "://");
	char host[256];
	if (!h)
		return 0;
	h += 3;
	size_t n = *h == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/");
	if (n >= sizeof(host))
		return 0;
	memcpy(host, h, n);
	host[n] = '\0';
	struct in_addr a4;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return !strcasecmp(host, "localhost") || !strcmp(host, "[::1]");
}

int mail_tls_required(const struct mail_config *mc)
{
	if (!mc->smtp_url || !strncmp(mc->smtp_url, "smtps://", 8))
		return 0;
	return mc->starttls || (!mc->insecure && !host_is_local(mc->smtp_url));
}

int mail_config_load(struct mail_config *mc, struct err *e)
{
	/* libcurl (and its TLS) only when mail is configured: its memory is
	 * not the idle server's (issue 9); thread-safe in Debian's 7.88 */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	char addr[256];
	const char *secret = getenv("ENTENTE_SMTP_PASSWORD");
	mail_config_defaults(mc);
	mc->password[0] = '\0';
	if (!mc->smtp_url)
		return err_set(e, E_INVALID, "smtp-url", "no mail server: give --smtp-url or $ENTENTE_SMTP_URL (smtp://host:port)");
	if (strncmp(mc->smtp_url, "smtp://", 7) && strncmp(mc->smtp_url, "smtps://", 8))
		return err_set(e, E_INVALID, "smtp-url", "expected smtp://host:port or smtps://host:port");
	/* credentials in the address would be in every log line and process
	 * listing that shows it (issue 23) */
	const char *host = strstr(mc->smtp_url, "://") + 3;
	if (memchr(host, '@', strcspn(host, "/")))
		return err_set(e, E_INVALID, "smtp-url", "no user or password in the address: give --smtp-user and --smtp-password-file");
	if (mc->user && !mc->insecure && !mail_tls_required(mc) && strncmp(mc->smtp_url, "smtps://", 8))
		return err_set(e, E_INVALID, "smtp-user",
			       "SMTP AUTH would send the password in cleartext: use smtps://, or --smtp-starttls, or allow it with --smtp-insecure");
	if (mail_address(mc->from, addr, sizeof(addr)))
		return err_set(e, E_INVALID, "mail-from", "expected an address, as \"entente <entente@example.org>\"");
	if (mc->password_file) {
		FILE *f = fopen(mc->password_file, "r");
		if (!f)
			return err_set(e, E_INVALID, "smtp-password-file", "cannot read the password file");
		if (!fgets(mc->password, sizeof(mc->password), f))
			mc->password[0] = '\0';
		fclose(f);
		mc->password[strcspn(mc->password, "\r\n")] = '\0';
	} else if (secret && *secret) {
		/* the secret from the environment (a systemd credential, say),
		 * never from the configuration file nor the command line */
		if (strlen(secret) >= sizeof(mc->password))
			return err_set(e, E_INVALID, "smtp-password", "ENTENTE_SMTP_PASSWORD is longer than 255 bytes");
		snprintf(mc->password, sizeof(mc->password), "%s", secret);
	}
	return 0;
}

struct source {
	const char *data;
	size_t len, at;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct source *s = arg;
	size_t room = size * n, left = s->len - s->at, k = left < room ? left : room;
	memcpy(buf, s->data + s->at, k);
	s->at += k;
	return k;
}

enum outcome { SENT, TEMPORARY, PERMANENT };

/* Send one message; the server's last answer into why. */
static enum outcome smtp_send(CURL *h, const struct mail_config *mc, const char *to, const char *bytes, size_t len, char *why,
			      size_t wn)
{
	char from[256], rcpt[300];
	struct curl_slist *list = NULL;
	struct source src = { bytes, len, 0 };
	long code = 0;
	CURLcode rc;
	if (mail_address(to, rcpt + 1, sizeof(rcpt) - 2)) {
		snprintf(why, wn, "not an address: %s", to);
		return PERMANENT;
	}
	rcpt[0] = '<';
	strcat(rcpt, ">");
	mail_address(mc->from, from + 1, sizeof(from) - 2);
	from[0] = '<';
	strcat(from, ">");
	list = curl_slist_append(NULL, rcpt);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &src);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(list);
	if (rc == CURLE_OK)
		return SENT;
	snprintf(why, wn, "%s%s%ld", curl_easy_strerror(rc), code ? ", server answered " : "", code);
	if (!code)
		why[strlen(why) - 1] = '\0'; /* no answer: drop the "0" */
	/* a refused login is the configuration's fault, not the message's */
	if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED)
		return PERMANENT;
	return TEMPORARY;
}

static int call(struct store *st, const char *action, json_t *body, struct reply *r, struct err *e)
{
	struct call c = { .system = 1, .action = action, .body = body, .now = (int64_t)time(NULL) };
	return core_call(st, &c, r, e);
}

static int report(struct store *st, json_t *msg, const char *claim, const char *outcome, const char *why, int64_t retry_at,
		  const char *msgid, struct err *e)
{
	struct reply r = REPLY_INIT;
	json_t *b = json_pack("{sO ss ss ss}", "id", json_object_get(msg, "id"), "claim", claim, "outcome", outcome, "message_id", msgid);
	if (why && *why)
		json_object_set_new(b, "error", json_string(why));
	if (retry_at)
		json_object_set_new(b, "retry_at", json_integer(retry_at));
	int ret = call(st, "outbox.result", b, &r, e);
	json_decref(b);
	reply_release(&r);
	return ret;
}

/* The delay before attempt n+1, after n attempts (n >= 1). */
static int64_t backoff(const struct mail_config *mc, int64_t n)
{
	int64_t d = mc->retry_base_s;
	for (int64_t i = 1; i < n && d < 6 * 3600; i++)
		d *= 2;
	if (d > 6 * 3600)
		d = 6 * 3600;
	return d + (int64_t)randombytes_uniform((uint32_t)(d / 2 + 1));
}

int mail_deliver(struct store *st, const struct mail_config *mc, volatile int *stop, struct mail_run *run, struct err *e)
{
	CURL *h = NULL;
	int ret = 0;
	while (!(stop && *stop)) {
		struct reply r = REPLY_INIT;
		char claim[33];
		if (call(st, "outbox.due", NULL, &r, e))
			return -1;
		int64_t due = json_integer_value(json_object_get(r.body, "due"));
		reply_release(&r);
		if (!due)
			break;
		random_hex(claim, 16);
		json_t *b = json_pack("{ss si si}", "claim", claim, "limit", (int)mc->batch, "lease", (int)mc->lease_s);
		int bad = call(st, "outbox.claim", b, &r, e);
		json_decref(b);
		if (bad) {
			ret = -1;
			break;
		}
		json_t *items = json_object_get(r.body, "items");
		if (!h && json_array_size(items)) {
			h = curl_easy_init();
			curl_easy_setopt(h, CURLOPT_URL, mc->smtp_url);
			curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
			curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
			curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)mc->timeout_s);
			curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)mc->timeout_s);
			/* STARTTLS required (another machine, or --smtp-starttls),
			 * else whenever the server offers it (issue 23) */
			curl_easy_setopt(h, CURLOPT_USE_SSL, (long)(mail_tls_required(mc) ? CURLUSESSL_ALL : CURLUSESSL_TRY));
			if (mc->ca_file)
				curl_easy_setopt(h, CURLOPT_CAINFO, mc->ca_file);
			if (mc->user) {
				curl_easy_setopt(h, CURLOPT_USERNAME, mc->user);
				curl_easy_setopt(h, CURLOPT_PASSWORD, mc->password);
			}
		}
		for (size_t i = 0; i < json_array_size(items) && !ret; i++) {
			json_t *m = json_array_get(items, i);
			struct strbuf mail = STRBUF_INIT;
			char msgid[256], why[300] = "";
			int64_t n = json_integer_value(json_object_get(m, "attempts")) + 1;
			mail_format(mc, m, (int64_t)time(NULL), &mail, msgid);
			enum outcome o = smtp_send(h, mc, json_string_value(json_object_get(m, "email")), mail.buf, mail.len, why, sizeof(why));
			strbuf_release(&mail);
			if (o == TEMPORARY && n >= mc->attempts) {
				char gave[340];
				snprintf(gave, sizeof(gave), "gave up after %lld attempts: %.250s", (long long)n, why);
				snprintf(why, sizeof(why), "%.299s", gave);
				o = PERMANENT;
			}
			if (o != SENT)
				log_line("mail: message %lld to %s: %s", (long long)json_integer_value(json_object_get(m, "id")),
					 json_string_value(json_object_get(m, "email")), why);
			if (report(st, m, claim, o == SENT ? "sent" : o == TEMPORARY ? "retry" : "dead", why,
				   o == TEMPORARY ? (int64_t)time(NULL) + backoff(mc, n) : 0, msgid, e)) {
				ret = -1;
				break;
			}
			if (run)
				o == SENT ? run->sent++ : o == TEMPORARY ? run->retrying++ : run->dead++;
		}
		int got = (int)json_array_size(items);
		reply_release(&r);
		if (ret || got == 0)
			break;
	}
	if (h)
		curl_easy_cleanup(h);
	return ret;
}

/* ---- the worker thread of entente serve ---- */

static struct {
	struct periodic p;
	const char *db_path;
	const struct mail_config *mc;
	struct store *st; /* the thread's own connection, opened at its first run */
} worker;

static void deliver_task(void *arg, volatile int *stop)
{
	struct err e = ERR_INIT;
	struct mail_run run = { 0 };
	(void)arg;
	if (!store_periodic_turn(worker.db_path)) /* another server's turn (issue 26) */
		return;
	if (!worker.st && store_open(&worker.st, worker.db_path, &e)) {
		log_line("mail: %s", e.detail);
		return;
	}
	if (mail_deliver(worker.st, worker.mc, stop, &run, &e))
		log_line("mail: %s", e.detail);
	if (run.sent || run.retrying || run.dead)
		log_line("mail: %u sent, %u to retry, %u dead", run.sent, run.retrying, run.dead);
}

static void deliver_done(void *arg)
{
	(void)arg;
	if (worker.st)
		store_free(worker.st);
	worker.st = NULL;
}

int mail_worker_start(const char *db_path, const struct mail_config *mc, unsigned interval_s, struct err *e)
{
	worker.db_path = db_path;
	worker.mc = mc;
	if (periodic_start(&worker.p, (interval_s ? interval_s : 1) * 1000, deliver_task, deliver_done, NULL))
		return err_set(e, E_INTERNAL, NULL, "cannot start the mail worker");
	log_line("mail: delivering to %s every %u s", mc->smtp_url, interval_s ? interval_s : 1);
	return 0;
}

void mail_worker_stop(void) { periodic_stop(&worker.p); }
