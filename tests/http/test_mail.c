/* Issue 10: e-mail that is really sent. A real SMTP server on loopback
 * (tests/smtp/sink.py, Debian's python3-aiosmtpd) receives what entente
 * sends; Python's mail parser decodes each message, so these tests check
 * the mail as a reader sees it: headers, RFC 2047 subjects, the body, the
 * thread per WR, and the faults (a server down, a temporary refusal, a
 * permanent one, a kill -9 in the middle of a batch). Also the daily
 * digest and the deadline reminders (scheduler, test clock).
 * Demo data: WR 1 (SNIA, draft, owner Owen = person 3), VP = person 2,
 * the Alliance Committee's chair Carla = person 4. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define SAM "sam@snia.example"

static struct server S;
static struct sink K;

static long long state_count(struct server *s, const char *state)
{
	struct resp r = as(s, ADMIN, "GET", "/api/v1/outbox/stats", NULL);
	long long n = r.status == 200 ? jint(r.json, state) : -1;
	resp_free(&r);
	return n;
}

/* Wait (at most seconds) until nothing waits, is being sent or retried,
 * as one read of the stats shows (three reads could each miss a message
 * moving from one state to the next: retrying, then sending). */
static int settled(struct server *s, int seconds)
{
	for (int i = 0; i < seconds * 10; i++) {
		struct resp r = as(s, ADMIN, "GET", "/api/v1/outbox/stats", NULL);
		int done = r.status == 200 && !jint(r.json, "queued") && !jint(r.json, "sending") && !jint(r.json, "retrying");
		resp_free(&r);
		if (done)
			return 1;
		usleep(100000);
	}
	return 0;
}

/* A joint meeting of body 4 with partner 2 titled title, its one
 * participant Zoë at zoe@acme.example, announced (R48). */
static void announce_meeting(const char *title, const char *agenda)
{
	struct resp r = as(&S, "tc@dmtf.example", "POST", "/api/v1/meetings", "{si si ss ss ss ss ss ss s[{ss ss ss}]}", "body_id", 4,
			   "partner_id", 2, "title", title, "starts_at", "2027-03-01T15:00", "ends_at", "2027-03-01T16:00", "time_zone",
			   "Europe/Paris", "kind", "teleconference", "agenda", agenda, "participants", "name", "Zoë Ångström", "email",
			   "zoe@acme.example", "organization", "Acme");
	expect_status(r, 201);
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/announce", jint(r.json, "id"));
	resp_free(&r);
	r = as(&S, "tc@dmtf.example", "POST", path, NULL);
	expect_status(r, 200);
	resp_free(&r);
}

/* The latest outbox message of an event to an address (NULL when none). */
static json_t *message_to(struct server *s, const char *event, const char *email)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/outbox?event=%s&limit=200", event);
	struct resp r = as(s, ADMIN, "GET", path, NULL);
	json_t *items = json_object_get(r.json, "items"), *found = NULL;
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(jstr(json_array_get(items, i), "email"), email)) { /* the latest */
			json_decref(found);
			found = json_incref(json_array_get(items, i));
		}
	resp_free(&r);
	return found;
}

static int arrived(const struct sink *k, const char *rcpt)
{
	json_t *all = received(k);
	int n = 0;
	for (size_t i = 0; i < json_array_size(all); i++)
		if (!strcmp(json_string_value(json_array_get(json_object_get(json_array_get(all, i), "rcpt_tos"), 0)), rcpt))
			n++;
	json_decref(all);
	return n;
}

static void set_email(struct server *s, int person, const char *email)
{
	char out[2048];
	assert_int_equal(cli(s, out, sizeof(out), "person set --id %d --email %s", person, email), 0);
}

/* A comment on WR 1: its Originating Committee's chair, the VP and the
 * owner hear of it (comment.added), in that order. */
static void comment(struct server *s)
{
	struct resp r = as(s, SAM, "POST", "/api/v1/work-registers/1/comments", "{ss}", "text", "Section 4 needs a date.");
	expect_status(r, 201);
	resp_free(&r);
}

/* Deliver the demo's backlog and forget it, so a test sees its own mail. */
static void drain(struct server *s, struct sink *k)
{
	char out[200];
	assert_int_equal(cli(s, out, sizeof(out), "outbox deliver --smtp-url %s", k->url), 0);
	unlink(k->out);
}

/* What arrives is what the outbox said, as proper mail: headers a reader
 * decodes, a thread per WR, a link, and why the person got it. */
static void test_messages_arrive_as_proper_mail(void **state)
{
	(void)state;
	char out[2048];
	server_init(&S, 1);
	sink_start(&K, &S, free_port());
	/* a name beyond ASCII goes as encoded words, the address as it is */
	assert_int_equal(cli(&S, out, sizeof(out), "person set --id 4 --name 'Carla Chén'"), 0);
	server_start(&S, "--smtp-url", K.url, "--mail-interval", "1", "--mail-from", "DMTF Alliances <alliances@dmtf.example>",
		     "--base-url", "https://entente.example.org", NULL);
	assert_true(settled(&S, 20));
	long long sent = state_count(&S, "sent");
	assert_true(sent > 0);
	json_t *all = received(&K);
	assert_int_equal((long long)json_array_size(all), sent); /* each once */
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *m = json_array_get(all, i);
		assert_string_equal(jstr(m, "mail_from"), "alliances@dmtf.example");
		assert_string_equal(jstr(m, "content_type"), "text/plain");
		assert_string_equal(jstr(m, "charset"), "utf-8");
		assert_true(jint(m, "max_line") <= 78);      /* folded, quoted-printable */
		assert_false(json_is_true(json_object_get(m, "bare_lf")));
		assert_non_null(strstr(jstr(m, "body"), "You receive this because"));
		assert_non_null(strstr(jstr(m, "headers.Date"), " +0000"));
		for (size_t j = 0; j < i; j++)                 /* Message-IDs unique */
			assert_string_not_equal(jstr(m, "message_id"), jstr(json_array_get(all, j), "message_id"));
	}
	json_decref(all);

	/* a meeting with a title beyond ASCII, announced to its participants:
	 * the subject goes as RFC 2047 words and decodes to the very text */
	unlink(K.out);
	announce_meeting("Qualificateurs — réunion d’été ✓", "1. Les qualificateurs");
	assert_true(settled(&S, 20));
	all = received(&K);
	json_t *zoe = NULL;
	for (size_t i = 0; i < json_array_size(all); i++)
		if (!strcmp(json_string_value(json_array_get(json_object_get(json_array_get(all, i), "rcpt_tos"), 0)), "zoe@acme.example"))
			zoe = json_array_get(all, i);
	assert_non_null(zoe);
	assert_string_equal(jstr(zoe, "subject"), "Joint meeting: Qualificateurs — réunion d’été ✓");
	assert_non_null(strstr(jstr(zoe, "raw_headers"), "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(jstr(zoe, "body"), "Les qualificateurs"));
	assert_non_null(strstr(jstr(zoe, "body"), "https://entente.example.org/#/meeting/"));
	json_decref(all);

	/* messages of one WR share a thread; the link opens the WR */
	unlink(K.out);
	comment(&S);
	assert_true(settled(&S, 20));
	all = received(&K);
	assert_int_equal(json_array_size(all), 3);
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *m = json_array_get(all, i);
		assert_string_equal(jstr(m, "references"), "<wr-1.entente@dmtf.example>");
		assert_string_equal(jstr(m, "headers.In-Reply-To"), "<wr-1.entente@dmtf.example>");
		assert_non_null(strstr(jstr(m, "body"), "https://entente.example.org/#/wr/1"));
		if (!strcmp(json_string_value(json_array_get(json_object_get(m, "rcpt_tos"), 0)), "chair@dmtf.example")) {
			assert_string_equal(jstr(m, "to"), "Carla Chén <chair@dmtf.example>");
			assert_non_null(strstr(jstr(m, "raw_headers"), "To: =?UTF-8?B?"));
		}
	}
	json_decref(all);

	/* /metrics counts the outbox by state */
	struct resp r = as(&S, ADMIN, "GET", "/metrics", NULL);
	expect_status(r, 200);
	char line[80];
	snprintf(line, sizeof(line), "entente_mail_messages{state=\"sent\"} %lld", state_count(&S, "sent"));
	assert_non_null(strstr(r.raw, line));
	assert_non_null(strstr(r.raw, "entente_mail_messages{state=\"dead\"} 0"));
	resp_free(&r);
	sink_stop(&K);
	assert_int_equal(server_finish(&S), 0);
}

/* A temporary refusal (451) is retried with backoff and then sent; a
 * permanent one (550) is dead at once, shown to administrators, and can
 * be retried by them (and by no one else). */
static void test_temporary_retried_permanent_dead(void **state)
{
	(void)state;
	server_init(&S, 1);
	sink_start(&K, &S, free_port());
	drain(&S, &K);
	set_email(&S, 3, "tempfail-owen@dmtf.example");
	set_email(&S, 2, "reject-vera@dmtf.example");
	server_start(&S, "--smtp-url", K.url, "--mail-interval", "1", "--mail-retry-base", "1", NULL);
	comment(&S);
	assert_true(settled(&S, 30));
	json_t *owen = message_to(&S, "comment.added", "tempfail-owen@dmtf.example");
	json_t *vera = message_to(&S, "comment.added", "reject-vera@dmtf.example");
	assert_non_null(owen);
	assert_non_null(vera);
	assert_string_equal(jstr(owen, "state"), "sent");
	assert_int_equal(jint(owen, "attempts"), 2); /* refused once, then accepted */
	assert_non_null(strstr(jstr(owen, "last_error"), "451"));
	assert_int_equal(arrived(&K, "tempfail-owen@dmtf.example"), 1);
	assert_string_equal(jstr(vera, "state"), "dead");
	assert_int_equal(jint(vera, "attempts"), 1);
	assert_non_null(strstr(jstr(vera, "last_error"), "550"));
	assert_int_equal(arrived(&K, "reject-vera@dmtf.example"), 0);

	/* the dead letters, for administrators: API and CLI */
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/outbox?state=dead", NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	resp_free(&r);
	char out[4096];
	assert_int_equal(cli(&S, out, sizeof(out), "outbox --state dead"), 0);
	assert_non_null(strstr(out, "reject-vera@dmtf.example"));
	r = as(&S, ADMIN, "GET", "/api/v1/outbox?state=lost", NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "state");
	resp_free(&r);

	char path[80];
	snprintf(path, sizeof(path), "/api/v1/outbox/%lld/retry", jint(vera, "id"));
	r = as(&S, SAM, "POST", path, NULL); /* not an administrator */
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, ADMIN, "POST", path, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "state"), "queued");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/outbox/%lld/retry", jint(owen, "id"));
	r = as(&S, ADMIN, "POST", path, NULL); /* a sent message is not sent again */
	expect_status(r, 409);
	assert_string_equal(jstr(r.json, "field"), "state");
	resp_free(&r);
	/* retried: tried once more, refused again, dead again */
	assert_true(settled(&S, 30));
	json_decref(vera);
	vera = message_to(&S, "comment.added", "reject-vera@dmtf.example");
	assert_string_equal(jstr(vera, "state"), "dead");
	assert_int_equal(jint(vera, "attempts"), 1);
	json_decref(owen);
	json_decref(vera);
	sink_stop(&K);
	assert_int_equal(server_finish(&S), 0);
}

/* The mail server is down: messages wait, retrying; once it is up they
 * go, each once. */
static void test_server_down_then_up(void **state)
{
	(void)state;
	int port = free_port();
	char url[64];
	server_init(&S, 1);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
	server_start(&S, "--smtp-url", url, "--mail-interval", "1", "--mail-retry-base", "1", NULL);
	long long total = state_count(&S, "queued") + state_count(&S, "sending") + state_count(&S, "retrying");
	assert_true(total > 0);
	int waiting = 0;
	for (int i = 0; i < 100 && !waiting; i++) {
		waiting = state_count(&S, "retrying") == total;
		usleep(100000);
	}
	assert_true(waiting);
	assert_int_equal(state_count(&S, "sent"), 0);
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/outbox?state=retrying&limit=1", NULL);
	assert_non_null(strstr(jstr(json_array_get(json_object_get(r.json, "items"), 0), "last_error"), "onnect"));
	resp_free(&r);
	sink_start(&K, &S, port);
	assert_true(settled(&S, 40));
	assert_int_equal(state_count(&S, "sent"), total);
	assert_int_equal(state_count(&S, "dead"), 0);
	json_t *all = received(&K);
	assert_int_equal((long long)json_array_size(all), total);
	json_decref(all);
	sink_stop(&K);
	assert_int_equal(server_finish(&S), 0);
}

/* kill -9 while a batch is being delivered: what the mail server had
 * accepted is not sent again after the restart, and what it had not
 * accepted is sent once, when the dead server's lease ends. */
static void test_kill9_mid_batch_sends_nothing_twice(void **state)
{
	(void)state;
	server_init(&S, 1);
	sink_start(&K, &S, free_port());
	drain(&S, &K);
	set_email(&S, 2, "slow-vera@dmtf.example"); /* the sink waits 4 s at her RCPT, the first time */
	server_start(&S, "--smtp-url", K.url, "--mail-interval", "1", "--mail-lease", "2", NULL);
	comment(&S); /* to the chair, then Vera, then Owen */
	json_t *vera = NULL;
	for (int i = 0; i < 100 && !vera; i++) {
		json_t *m = message_to(&S, "comment.added", "slow-vera@dmtf.example");
		if (m && !strcmp(jstr(m, "state"), "sending") && arrived(&K, "chair@dmtf.example") == 1)
			vera = m;
		else
			json_decref(m);
		usleep(100000);
	}
	assert_non_null(vera); /* the chair's mail accepted, Vera's in flight */
	server_kill9(&S);
	json_decref(vera);
	server_start(&S, "--smtp-url", K.url, "--mail-interval", "1", "--mail-lease", "2", NULL);
	assert_true(settled(&S, 30));
	assert_int_equal(arrived(&K, "chair@dmtf.example"), 1);
	assert_int_equal(arrived(&K, "slow-vera@dmtf.example"), 1);
	assert_int_equal(arrived(&K, "owner@dmtf.example"), 1);
	const char *const to[] = { "chair@dmtf.example", "slow-vera@dmtf.example", "owner@dmtf.example" };
	for (int i = 0; i < 3; i++) {
		json_t *m = message_to(&S, "comment.added", to[i]);
		assert_string_equal(jstr(m, "state"), "sent");
		json_decref(m);
	}
	assert_int_equal(state_count(&S, "dead"), 0);
	sink_stop(&K);
	assert_int_equal(server_finish(&S), 0);
}

static struct resp tick(struct server *s, int64_t when)
{
	s->now = when;
	return as(s, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
}

/* A person who chose a daily digest gets one message a day, at the digest
 * hour, holding what happened; the others get theirs at once. */
static void test_daily_digest(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, "--test-clock", NULL);
	S.now = 1798761600; /* 2027-01-01T00:00:00Z */
	struct resp r = as(&S, OWNER, "PATCH", "/api/v1/me", "{ss}", "mail_mode", "weekly");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "mail_mode");
	resp_free(&r);
	r = as(&S, OWNER, "PATCH", "/api/v1/me", "{ss}", "mail_mode", "daily");
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, OWNER, "GET", "/api/v1/me", NULL);
	assert_string_equal(jstr(r.json, "mail_mode"), "daily");
	resp_free(&r);
	comment(&S);
	comment(&S);
	json_t *held = message_to(&S, "comment.added", "owner@dmtf.example");
	assert_string_equal(jstr(held, "state"), "held");
	json_decref(held);
	json_t *vp = message_to(&S, "comment.added", VP);
	assert_string_equal(jstr(vp, "state"), "queued");
	json_decref(vp);
	/* before the digest hour (07:00 UTC): nothing yet */
	r = tick(&S, 1798761600 + 6 * 3600);
	expect_status(r, 200);
	assert_int_equal(jint(r.json, "digests"), 0);
	resp_free(&r);
	r = tick(&S, 1798761600 + 7 * 3600);
	assert_int_equal(jint(r.json, "digests"), 1);
	resp_free(&r);
	json_t *d = message_to(&S, "digest", "owner@dmtf.example");
	assert_non_null(d);
	assert_string_equal(jstr(d, "state"), "queued");
	assert_non_null(strstr(jstr(d, "subject"), "2 notifications"));
	assert_non_null(strstr(jstr(d, "body"), "A comment on the draft Work Register"));
	held = message_to(&S, "comment.added", "owner@dmtf.example");
	assert_string_equal(jstr(held, "state"), "digested");
	assert_int_equal(jint(held, "digest_id"), jint(d, "id"));
	json_decref(held);
	json_decref(d);
	/* once a day: a new notification waits for tomorrow's */
	comment(&S);
	r = tick(&S, 1798761600 + 9 * 3600);
	assert_int_equal(jint(r.json, "digests"), 0);
	resp_free(&r);
	r = tick(&S, 1798761600 + 86400 + 8 * 3600);
	assert_int_equal(jint(r.json, "digests"), 1);
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

/* Deadline reminders: to the voters who have not voted, at 7, 3 and 1
 * days before the ballot closes and on the day, each once. */
static void test_ballot_deadline_reminders(void **state)
{
	(void)state;
	char out[256];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	server_start(&S, "--test-clock", NULL);
	S.now = 1798761600;
	/* the story's committee ballot, where some have voted (its other
	 * open ballots are counted apart: each reminder links its ballot) */
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/ballots?status=open", NULL);
	expect_status(r, 200);
	char path[64] = "", link[80];
	long long deadline = 0, voted = 0, eligible = 0;
	json_t *b;
	size_t bi;
	json_array_foreach(json_object_get(r.json, "items"), bi, b) {
		char p[64];
		snprintf(p, sizeof(p), "/api/v1/ballots/%lld", jint(b, "id"));
		struct resp one = as(&S, ADMIN, "GET", p, NULL);
		if (!*path && jint(one.json, "tally.cast") > 0 && jint(one.json, "tally.cast") < jint(one.json, "tally.eligible")) {
			snprintf(path, sizeof(path), "%s", p);
			deadline = jtime(one.json, "deadline");
			voted = jint(one.json, "tally.cast");
			eligible = jint(one.json, "tally.eligible");
		}
		resp_free(&one);
	}
	resp_free(&r);
	assert_true(*path);
	assert_true(eligible > voted && voted > 0);
	snprintf(link, sizeof(link), "#/ballot/%s", path + strlen("/api/v1/ballots/"));
	int64_t day = deadline - deadline % 86400; /* the deadline's day, 00:00 UTC */
	const struct { int64_t at; long long reminders; } plan[] = {
		{ day - 9 * 86400, 0 },            /* too early */
		{ day - 6 * 86400, eligible - voted }, /* within 7 days */
		{ day - 5 * 86400, 0 },            /* that one was sent */
		{ day - 2 * 86400, eligible - voted }, /* within 3 */
		{ day - 1 * 86400 + 60, eligible - voted },
		{ day + 1, eligible - voted },     /* on the day */
		{ day + 2, 0 },
	};
	long long before = 0;
	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		if (plan[i].at >= deadline)
			break;
		r = tick(&S, plan[i].at);
		expect_status(r, 200);
		resp_free(&r);
		r = as(&S, ADMIN, "GET", "/api/v1/outbox?event=ballot.reminder&limit=200", NULL);
		long long now_n = 0;
		json_t *m, *last = NULL;
		size_t mi;
		json_array_foreach(json_object_get(r.json, "items"), mi, m)
			if (!strcmp(jstr(m, "link"), link)) { /* issue 25: each reminder links its ballot */
				now_n++;
				last = m;
			}
		if (now_n - before != plan[i].reminders)
			fprintf(stderr, "step %zu: %lld reminders, want %lld\n", i, now_n - before, plan[i].reminders);
		assert_int_equal(now_n - before, plan[i].reminders);
		if (plan[i].reminders)
			assert_non_null(strstr(jstr(last, "subject"), "your vote is missing"));
		before = now_n;
		resp_free(&r);
	}
	assert_int_equal(server_finish(&S), 0);
}

static long long audit_events(struct server *s)
{
	struct resp r = as(s, ADMIN, "GET", "/api/v1/audit/head", NULL);
	long long n = jint(r.json, "count");
	resp_free(&r);
	return n;
}

/* Issue 27: a scheduler tick that finds nothing to do writes nothing to the
 * audit chain (it ran every 60 s: 525,600 events a year); one that closes a
 * ballot or sends a reminder is recorded. */
static void test_an_idle_tick_is_not_recorded(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, "--test-clock", NULL);
	S.now = (int64_t)time(NULL);
	struct resp r = tick(&S, S.now); /* whatever the demo left due */
	expect_status(r, 200);
	resp_free(&r);
	long long before = audit_events(&S);
	for (int i = 1; i <= 3; i++) {
		r = tick(&S, S.now + 60);
		expect_status(r, 200);
		assert_int_equal(jint(r.json, "ballots_closed") + jint(r.json, "reminders") + jint(r.json, "digests"), 0);
		resp_free(&r);
	}
	assert_int_equal(audit_events(&S), before);
	/* a ballot opened, then its deadline passed: that tick is recorded */
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/socialize", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/submit", NULL);
	expect_status(r, 200);
	resp_free(&r);
	before = audit_events(&S);
	r = tick(&S, S.now + 15 * 86400);
	expect_status(r, 200);
	assert_true(jint(r.json, "ballots_closed") >= 1);
	resp_free(&r);
	assert_true(audit_events(&S) > before);
	assert_int_equal(server_finish(&S), 0);
}

/* Issue 25: a ballot's mail says what is asked and by when, with the
 * state in words, and links to the ballot under the base URL. */
static void test_a_ballot_mail_asks_by_when_and_links_the_ballot(void **state)
{
	(void)state;
	server_init(&S, 1);
	sink_start(&K, &S, free_port());
	server_start(&S, "--smtp-url", K.url, "--mail-interval", "1", "--base-url", "https://entente.example.org", NULL);
	assert_true(settled(&S, 20)); /* the demo's backlog, forgotten */
	unlink(K.out);
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/socialize", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/submit", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/ballots?status=open&wr_id=1", NULL);
	expect_status(r, 200);
	json_t *ballot = json_array_get(json_object_get(r.json, "items"), 0);
	assert_non_null(ballot);
	long long id = jint(ballot, "id");
	char deadline[40], link[80], want[200];
	snprintf(deadline, sizeof(deadline), "%s", jstr(ballot, "deadline"));
	resp_free(&r);
	deadline[10] = ' ';
	deadline[16] = '\0'; /* "2027-01-15 16:00" */
	assert_true(settled(&S, 20));
	json_t *all = received(&K);
	int asked = 0;
	snprintf(link, sizeof(link), "https://entente.example.org/#/ballot/%lld", id);
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *m = json_array_get(all, i);
		const char *body = jstr(m, "body");
		/* no mail names a state by its API value */
		assert_null(strstr(body, "Status: committee_ballots"));
		assert_null(strstr(body, "Status: socialization"));
		if (strcmp(jstr(m, "headers.X-Entente-Event"), "ballot.opened"))
			continue;
		asked++;
		snprintf(want, sizeof(want), "Your vote is asked by %.10s: the Alliance Committee ballot on ", deadline);
		assert_non_null(strstr(jstr(m, "subject"), want));
		snprintf(want, sizeof(want), "Deadline: %s UTC", deadline);
		assert_non_null(strstr(body, want));
		assert_non_null(strstr(body, "What is asked: your vote"));
		assert_non_null(strstr(body, "Status: Committee ballots"));
		assert_non_null(strstr(body, link));
		assert_non_null(strstr(body, "You receive this because you ")); /* why, in words */
	}
	assert_true(asked >= 2); /* each voter of the Alliance Committee */
	json_decref(all);
	sink_stop(&K);
	assert_int_equal(server_finish(&S), 0);
}

/* R9, R25: the hand-offs of an established alliance go as mail to the
 * configured addresses, with the contacts they carry. */
static void test_handoffs_are_mailed_to_the_configured_addresses(void **state)
{
	(void)state;
	char out[2048];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "settings set --requests-address requests@lists.example --alliance-list-address "
				      "alliances@lists.example --press-address press@lists.example"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0); /* establishes TGG's WR 3 */
	sink_start(&K, &S, free_port());
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s", K.url), 0);
	assert_non_null(strstr(out, " sent, 0 to retry, 0 dead"));
	json_t *all = received(&K);
	const char *want[] = { "requests@lists.example", "alliances@lists.example", "press@lists.example" };
	for (int w = 0; w < 3; w++) {
		json_t *m = NULL;
		for (size_t i = 0; i < json_array_size(all) && !m; i++) /* the hand-off of that WR (the story establishes more) */
			if (!strcmp(json_string_value(json_array_get(json_object_get(json_array_get(all, i), "rcpt_tos"), 0)), want[w]) &&
			    strstr(jstr(json_array_get(all, i), "body"), "TGG and DMTF: power and cooling telemetry"))
				m = json_array_get(all, i);
		assert_non_null(m);
		assert_non_null(strstr(jstr(m, "body"), "TGG and DMTF: power and cooling telemetry"));
		assert_non_null(strstr(jstr(m, "body"), "The Green Grid"));
		assert_non_null(strstr(jstr(m, "body"), "this address is configured in entente's settings"));
		assert_non_null(strstr(jstr(m, "body"), "/registers/")); /* issue 25: the WR's public page */
		if (w < 2) /* the partner's contacts, for the list and the working group (R9) */
			assert_non_null(strstr(jstr(m, "body"), "Greta Green <greta@tgg.example>"));
		else {     /* the press contacts, and the announcement with Marketing (R25) */
			assert_non_null(strstr(jstr(m, "body"), "TGG press office <press@tgg.example>"));
			assert_non_null(strstr(jstr(m, "body"), "Marketing Committee"));
		}
	}
	json_decref(all);
	sink_stop(&K);
	server_cleanup(&S);
}

/* SMTP AUTH with the password from a file: the mail goes, and the
 * password is in no log and not in the database. */
static void test_smtp_auth_password_from_a_file(void **state)
{
	(void)state;
	char out[2048], pw[300], cmd[800];
	server_init(&S, 1);
	const char *const auth[] = { "--auth", "entente:Zq8-s3cret-Pw", NULL };
	sink_start_with(&K, &S, free_port(), auth);
	snprintf(pw, sizeof(pw), "%s/smtp-password", S.dir);
	FILE *f = fopen(pw, "w");
	assert_non_null(f);
	fputs("Zq8-s3cret-Pw\n", f);
	fclose(f);
	/* AUTH in cleartext is refused unless allowed (issue 23), and so is a
	 * password in the address */
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s --smtp-user entente --smtp-password-file %s", K.url, pw), 2);
	char in_url[300];
	snprintf(in_url, sizeof(in_url), "smtp://entente:Zq8-s3cret-Pw@%s", K.url + 7);
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s --smtp-insecure", in_url), 2);
	/* STARTTLS required, and this server offers none: nothing is sent in
	 * the clear, the messages wait (issue 23) */
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s --smtp-starttls --mail-attempts 5", K.url), 3);
	json_t *none = received(&K);
	assert_int_equal((int)json_array_size(none), 0);
	json_decref(none);
	for (int i = 1; i <= 80; i++) /* every message due again now */
		cli(&S, NULL, 0, "outbox retry --id %d", i);
	server_start(&S, "--smtp-url", K.url, "--smtp-user", "entente", "--smtp-password-file", pw, "--smtp-insecure", "--mail-interval", "1",
		     NULL);
	assert_true(settled(&S, 20));
	assert_true(state_count(&S, "sent") > 0);
	assert_int_equal(state_count(&S, "dead"), 0);
	json_t *all = received(&K);
	assert_int_equal((long long)json_array_size(all), state_count(&S, "sent"));
	json_decref(all);
	assert_int_equal(server_stop(&S), 0);
	snprintf(cmd, sizeof(cmd), "grep -r -l -a 'Zq8-s3cret-Pw' %s/*.log %s/*.err %s/e.db* >/dev/null 2>&1", S.dir, S.dir, S.dir);
	assert_int_not_equal(system(cmd), 0); /* found nowhere */
	/* a missing password file is refused at start, naming it */
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s --smtp-user entente --smtp-password-file %s/nope", K.url, S.dir), 2);
	sink_stop(&K);
	server_cleanup(&S);
}

/* A configuration file conf sending through the sink K as user entente
 * with the password in the file pw (written too), from mail_from. */
static void write_mail_conf(const char *conf, const char *pw, const char *password, const char *mail_from)
{
	FILE *f = fopen(pw, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", password);
	assert_int_equal(fclose(f), 0);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "smtp_url = %s\nsmtp_user = entente\nsmtp_password_file = %s\nsmtp_insecure = true\nmail_interval = 1\n"
		   "mail_from = %s\n", K.url, pw, mail_from);
	assert_int_equal(fclose(f), 0);
}

/* Issue 23: SIGHUP reads the configuration again, and the mail goes on
 * with it: another mail server, a new sender and a rotated password (its
 * file read again) take effect without a restart. */
static void test_sighup_moves_the_mail_to_new_settings(void **state)
{
	(void)state;
	char conf[300], pw[300];
	const char *const old_auth[] = { "--auth", "entente:Old-Pw-1111", NULL }, *const new_auth[] = { "--auth", "entente:New-Pw-2222", NULL };
	server_init(&S, 1);
	sink_start_with(&K, &S, free_port(), old_auth);
	snprintf(pw, sizeof(pw), "%s/smtp-password", S.dir);
	snprintf(conf, sizeof(conf), "%s/mail.conf", S.dir);
	write_mail_conf(conf, pw, "Old-Pw-1111", "Old Sender <old@ops.example>");
	server_start(&S, "--config", conf, NULL);
	assert_true(settled(&S, 20));
	json_t *all = received(&K);
	assert_true(json_array_size(all) > 0);
	assert_string_equal(jstr(json_array_get(all, 0), "mail_from"), "old@ops.example");
	json_decref(all);

	/* the new server takes only the new password (the sinks write one
	 * file: the old one goes first) */
	sink_stop(&K);
	unlink(K.out);
	sink_start_with(&K, &S, free_port(), new_auth);
	write_mail_conf(conf, pw, "New-Pw-2222", "New Sender <new@ops.example>");
	assert_int_equal(kill(S.pid, SIGHUP), 0);
	await_logged(S.log, "SIGHUP: the configuration is read again", "smtp_url (", "mail_from (");
	announce_meeting("After the reload", "1. Mail");
	assert_true(settled(&S, 20));
	assert_int_equal(state_count(&S, "dead"), 0);
	all = received(&K);
	int zoe = 0;
	for (size_t i = 0; i < json_array_size(all); i++) {
		assert_string_equal(jstr(json_array_get(all, i), "mail_from"), "new@ops.example");
		zoe |= !strcmp(json_string_value(json_array_get(json_object_get(json_array_get(all, i), "rcpt_tos"), 0)), "zoe@acme.example");
	}
	assert_true(zoe);
	json_decref(all);
	assert_int_equal(server_stop(&S), 0);
	sink_stop(&K);
	server_cleanup(&S);
}

/* TLS: STARTTLS that the server requires, and implicit TLS (smtps://),
 * each with the server's certificate checked against the CA file given;
 * without it the certificate is refused and the message waits. */
static void test_tls_starttls_and_smtps(void **state)
{
	(void)state;
	char out[4096], cmd[900], cert[300], key[300], tls[620];
	server_init(&S, 1);
	snprintf(cert, sizeof(cert), "%s/cert.pem", S.dir);
	snprintf(key, sizeof(key), "%s/key.pem", S.dir);
	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s -out %s -days 2 -subj /CN=127.0.0.1 "
		 "-addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1", key, cert);
	assert_int_equal(system(cmd), 0);
	snprintf(tls, sizeof(tls), "%s:%s", cert, key);
	const char *const starttls[] = { "--tls", tls, NULL };
	sink_start_with(&K, &S, free_port(), starttls);
	/* not trusted: the certificate is refused, nothing goes in the clear */
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s --smtp-starttls --mail-attempts 5", K.url), 3);
	assert_int_equal(cli(&S, out, sizeof(out), "outbox --state retrying --limit 1 --json"), 0);
	assert_non_null(strstr(out, "certificate"));
	assert_int_equal(arrived(&K, "owner@dmtf.example"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "outbox retry --id 1"), 0);
	/* trusted */
	for (int i = 2; i <= 60; i++) /* every message due again now */
		cli(&S, NULL, 0, "outbox retry --id %d", i);
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s --smtp-starttls --smtp-ca-file %s", K.url, cert), 0);
	json_t *all = received(&K);
	assert_true(json_array_size(all) > 0);
	for (size_t i = 0; i < json_array_size(all); i++)
		assert_true(json_is_true(json_object_get(json_array_get(all, i), "tls")));
	size_t before = json_array_size(all);
	json_decref(all);
	/* issue 23: STARTTLS by default, without --smtp-starttls, when the
	 * server offers it */
	assert_int_equal(cli(&S, out, sizeof(out), "wr comment --id 1 --text %s --as sam@snia.example", "'Opportunistic TLS.'"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s --smtp-ca-file %s", K.url, cert), 0);
	all = received(&K);
	assert_true(json_array_size(all) > before);
	for (size_t i = 0; i < json_array_size(all); i++)
		assert_true(json_is_true(json_object_get(json_array_get(all, i), "tls")));
	json_decref(all);
	sink_stop(&K);
	/* implicit TLS */
	unlink(K.out);
	const char *const smtps[] = { "--tls", tls, "--smtps", NULL };
	sink_start_with(&K, &S, free_port(), smtps);
	struct resp r;
	server_start(&S, NULL);
	r = as(&S, "sam@snia.example", "POST", "/api/v1/work-registers/1/comments", "{ss}", "text", "Over TLS.");
	expect_status(r, 201);
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url smtps://127.0.0.1:%d --smtp-ca-file %s", K.port, cert), 0);
	assert_int_equal(arrived(&K, "owner@dmtf.example"), 1);
	all = received(&K);
	assert_true(json_is_true(json_object_get(json_array_get(all, 0), "tls")));
	json_decref(all);
	sink_stop(&K);
	server_cleanup(&S);
}

/* A failed test leaves no server nor sink behind. */
static int teardown(void **state)
{
	(void)state;
	sink_stop(&K);
	server_reap(&S);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_messages_arrive_as_proper_mail, teardown),
		cmocka_unit_test_teardown(test_temporary_retried_permanent_dead, teardown),
		cmocka_unit_test_teardown(test_server_down_then_up, teardown),
		cmocka_unit_test_teardown(test_kill9_mid_batch_sends_nothing_twice, teardown),
		cmocka_unit_test_teardown(test_daily_digest, teardown),
		cmocka_unit_test_teardown(test_ballot_deadline_reminders, teardown),
		cmocka_unit_test_teardown(test_a_ballot_mail_asks_by_when_and_links_the_ballot, teardown),
		cmocka_unit_test_teardown(test_an_idle_tick_is_not_recorded, teardown),
		cmocka_unit_test_teardown(test_handoffs_are_mailed_to_the_configured_addresses, teardown),
		cmocka_unit_test_teardown(test_smtp_auth_password_from_a_file, teardown),
		cmocka_unit_test_teardown(test_sighup_moves_the_mail_to_new_settings, teardown),
		cmocka_unit_test_teardown(test_tls_starttls_and_smtps, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
