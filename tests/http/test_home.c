/* Issue 25, parts 1, 3 and 7: what needs a person, the VP's portfolio,
 * what a ballot still needs, and a demo that shows every stage. A change
 * request waits on the chair of its body and on the VP, not on others
 * (R44); a meeting's participant of a company that is no DMTF member has
 * the IP policy to acknowledge, until they do (R48); the portfolio counts
 * WRs by state in words, reviews due and overdue (R27), and open change
 * requests by age, for host staff only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "http/client.h"

#define VP "vp@dmtf.example"
#define SAM "sam@snia.example"
#define GRETA "greta@tgg.example"
#define TC "tc@dmtf.example"
#define OWNER "owner@dmtf.example"

static struct server S;

/* The items of kind in email's tasks that name key = id (0: any). */
static int tasks_of(const char *email, const char *kind, const char *key, long long id)
{
	struct resp r = as(&S, email, "GET", "/api/v1/me/tasks?limit=200", NULL);
	expect_status(r, 200);
	int n = 0;
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		if (!strcmp(jstr(it, "kind"), kind) && (!key || jint(it, key) == id))
			n++;
	resp_free(&r);
	return n;
}

static long long id_of(const char *path, const char *field, const char *value)
{
	struct resp r = as(&S, VP, "GET", path, NULL);
	expect_status(r, 200);
	long long id = 0;
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		if (!strcmp(jstr(it, field), value))
			id = jint(it, "id");
	resp_free(&r);
	assert_true(id > 0);
	return id;
}

static void test_change_requests_and_meetings_wait_on_whom_they_concern(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	long long dsp = id_of("/api/v1/dmtf-standards?limit=200", "dsp", "DSP0200");
	struct resp r = as(&S, SAM, "POST", "/api/v1/change-requests", "{sI ss ss ss ss sb}", "dmtf_standard_id", (json_int_t)dsp,
			   "standard_version", "1.4.0", "problem", "p", "proposed_change", "c", "rationale", "r", "attests", 1);
	expect_status(r, 201);
	long long cr = jint(r.json, "id");
	resp_free(&r);
	/* the chair of the body that owns DSP0200 and the VP; not the submitter, not another chair */
	assert_int_equal(tasks_of(TC, "cr_review", "cr_id", cr), 1);
	assert_int_equal(tasks_of(VP, "cr_review", "cr_id", cr), 1);
	assert_int_equal(tasks_of(SAM, "cr_review", "cr_id", cr), 0);
	assert_int_equal(tasks_of("chair@dmtf.example", "cr_review", "cr_id", cr), 0);
	/* taken up: now a decision waits; decided: nothing */
	char path[100];
	snprintf(path, sizeof(path), "/api/v1/change-requests/%lld/review", cr);
	r = as(&S, TC, "POST", path, NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(tasks_of(TC, "cr_review", "cr_id", cr), 0);
	assert_int_equal(tasks_of(TC, "cr_decide", "cr_id", cr), 1);
	snprintf(path, sizeof(path), "/api/v1/change-requests/%lld/accept", cr);
	r = as(&S, TC, "POST", path, "{ss}", "reason", "Clarified.");
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(tasks_of(TC, "cr_decide", "cr_id", cr), 0);

	/* a participant of a company that is no DMTF member acknowledges the IP policy (R48) */
	long long greta = id_of("/api/v1/people?limit=200", "email", GRETA), meeting = id_of("/api/v1/meetings", "status", "announced");
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/participants", meeting);
	r = as(&S, VP, "POST", path, "{sI}", "person_id", (json_int_t)greta);
	expect_status(r, 201);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld", meeting);
	r = as(&S, VP, "GET", path, NULL);
	long long part = 0;
	json_t *p;
	size_t i;
	json_array_foreach(json_object_get(r.json, "participants"), i, p)
		if (!strcmp(jstr(p, "email"), GRETA))
			part = jint(p, "id");
	resp_free(&r);
	assert_true(part > 0);
	assert_int_equal(tasks_of(GRETA, "meeting_ack", "meeting_id", meeting), 1);
	assert_int_equal(tasks_of(SAM, "meeting_ack", "meeting_id", meeting), 0); /* a member company's */
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/participants/%lld", meeting, part);
	r = as(&S, GRETA, "PATCH", path, "{ss}", "ip_ack", "accepted");
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(tasks_of(GRETA, "meeting_ack", "meeting_id", meeting), 0);
	assert_int_equal(server_finish(&S), 0);
}

static void test_the_portfolio_counts_for_host_staff(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	struct resp r = as(&S, VP, "GET", "/api/v1/portfolio", NULL);
	expect_status(r, 200);
	long long total = jint(r.json, "total"), sum = 0;
	json_t *st;
	size_t i;
	json_array_foreach(json_object_get(r.json, "states"), i, st) {
		sum += jint(st, "count");
		if (!strcmp(jstr(st, "state"), "committee_approved"))
			assert_string_equal(jstr(st, "label"), "Approved by the committees");
	}
	assert_int_equal(sum, total);
	assert_true(total >= 2);
	assert_int_equal(jint(r.json, "reviews_overdue"), 0);
	resp_free(&r);
	/* a partner's representative sees no portfolio */
	r = as(&S, SAM, "GET", "/api/v1/portfolio", NULL);
	expect_status(r, 403);
	resp_free(&r);
	/* an established WR whose update was due: counted overdue (R27) */
	sql(S.db, "UPDATE work_registers SET status = 'established', next_review_date = '2020-01-31' WHERE id = 1");
	r = as(&S, VP, "GET", "/api/v1/portfolio", NULL);
	expect_status(r, 200);
	assert_int_equal(jint(r.json, "reviews_overdue"), 1);
	resp_free(&r);
	assert_int_equal(tasks_of(OWNER, "review_overdue", "wr_id", 1), 1);
	/* issue 27: counted by ranges in the database, with the same answers:
	 * a review due next month; established in 2020 with no milestone
	 * since: stagnant (R31); one established yesterday: not; the change
	 * requests by age */
	char soon[11], yesterday[32], upd[300];
	time_t now = time(NULL), then = now + 30 * 86400, before = now - 86400, old = now - 100 * 86400;
	strftime(soon, sizeof(soon), "%Y-%m-%d", gmtime(&then));
	strftime(yesterday, sizeof(yesterday), "%Y-%m-%dT%H:%M:%SZ", gmtime(&before));
	snprintf(upd, sizeof(upd), "UPDATE work_registers SET status = 'established', established_at = '2020-03-01T10:00:00Z', "
				   "next_review_date = '%s' WHERE id = 2", soon);
	sql(S.db, upd);
	char out0[512];
	assert_int_equal(cli(&S, out0, sizeof(out0), "audit checkpoint"), 0);
	r = as(&S, VP, "GET", "/api/v1/portfolio", NULL);
	assert_int_equal(jint(r.json, "reviews_due"), 1);
	assert_int_equal(jint(r.json, "reviews_overdue"), 1);
	assert_int_equal(jint(r.json, "stagnant"), 1);
	resp_free(&r);
	snprintf(upd, sizeof(upd), "UPDATE work_registers SET established_at = '%s' WHERE id = 2", yesterday);
	sql(S.db, upd);
	char aged[32];
	strftime(aged, sizeof(aged), "%Y-%m-%dT%H:%M:%SZ", gmtime(&old));
	snprintf(upd, sizeof(upd), "UPDATE change_requests SET created_at = '%s'", aged);
	sql(S.db, upd);
	char out[512];
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoint"), 0); /* an event: the kept page is stale */
	r = as(&S, VP, "GET", "/api/v1/portfolio", NULL);
	assert_int_equal(jint(r.json, "stagnant"), 0);
	long long open_crs = sql_int(S.db, "SELECT count(*) FROM change_requests WHERE status IN ('submitted', 'under_review', 'needs_discussion')");
	assert_true(open_crs > 0);
	json_t *ages = json_object_get(r.json, "change_requests");
	assert_int_equal(jint(json_array_get(ages, 0), "count"), 0);
	assert_int_equal(jint(json_array_get(ages, 1), "count"), 0);
	assert_int_equal(jint(json_array_get(ages, 2), "count"), open_crs); /* over 90 days */
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

/* Issue 25, part 3: the tally says what the ballot still needs: the
 * votes for the quorum, the yes votes for the majority against the no
 * votes cast, who has not voted. */
static void test_a_ballot_says_what_it_still_needs(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/socialize", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/submit", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/ballots?status=open", NULL);
	char path[80], votes[96];
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld", jint(json_array_get(json_object_get(r.json, "items"), 0), "id"));
	snprintf(votes, sizeof(votes), "%s/votes", path);
	resp_free(&r);
	/* three voters, a quorum of half (2), a majority of two thirds */
	r = as(&S, VP, "GET", path, NULL);
	assert_int_equal(jint(r.json, "tally.eligible"), 3);
	assert_int_equal(jint(r.json, "tally.more_for_quorum"), 2);
	assert_int_equal(jint(r.json, "tally.more_yes_for_majority"), 1); /* nothing cast: one yes makes it */
	assert_int_equal(jint(r.json, "tally.not_voted"), 3);
	resp_free(&r);
	r = as(&S, "chair@dmtf.example", "POST", votes, "{ss ss}", "choice", "no", "comment", "Dates");
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, VP, "GET", path, NULL);
	assert_int_equal(jint(r.json, "tally.more_for_quorum"), 1);
	assert_int_equal(jint(r.json, "tally.more_yes_for_majority"), 2); /* 2 yes to 1 no is two thirds */
	assert_int_equal(jint(r.json, "tally.not_voted"), 2);
	resp_free(&r);
	r = as(&S, VP, "POST", votes, "{ss}", "choice", "yes");
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, VP, "GET", path, NULL);
	assert_int_equal(jint(r.json, "tally.more_for_quorum"), 0);
	assert_int_equal(jint(r.json, "tally.more_yes_for_majority"), 1);
	assert_false(json_is_true(json_object_get(json_object_get(r.json, "tally"), "passed")));
	resp_free(&r);
	r = as(&S, OWNER, "POST", votes, "{ss}", "choice", "yes");
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, VP, "GET", path, NULL);
	assert_int_equal(jint(r.json, "tally.more_yes_for_majority"), 0);
	assert_int_equal(jint(r.json, "tally.not_voted"), 0);
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "tally"), "passed")));
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

/* Issue 25, part 7: the demo of make run shows every stage the process
 * has: a WR in each state of the lifecycle, one whose update is overdue,
 * a ballot short of its quorum, a change request in each state, a joint
 * meeting halted and one resumed; and its record checks out. */
static void test_the_demo_shows_every_stage(void **state)
{
	(void)state;
	static char out[8192];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	server_start(&S, NULL);
	struct resp r = as(&S, VP, "GET", "/api/v1/portfolio", NULL);
	expect_status(r, 200);
	json_t *st;
	size_t i;
	json_array_foreach(json_object_get(r.json, "states"), i, st) {
		if (jint(st, "count") < 1)
			fprintf(stderr, "no demo WR in %s\n", jstr(st, "state"));
		assert_true(jint(st, "count") >= 1);
	}
	assert_true(jint(r.json, "reviews_overdue") >= 1);
	resp_free(&r);
	static const char *const cr_states[] = { "submitted", "under_review", "needs_discussion", "accepted", "rejected", "withdrawn" };
	for (size_t k = 0; k < sizeof(cr_states) / sizeof(*cr_states); k++) {
		char path[80];
		snprintf(path, sizeof(path), "/api/v1/change-requests?status=%s", cr_states[k]);
		r = as(&S, VP, "GET", path, NULL);
		expect_status(r, 200);
		assert_true(json_array_size(json_object_get(r.json, "items")) >= 1);
		resp_free(&r);
	}
	/* a Board ballot nobody has voted in yet: short of its quorum */
	r = as(&S, VP, "GET", "/api/v1/ballots?status=open", NULL);
	int short_of_quorum = 0;
	json_t *b;
	json_array_foreach(json_object_get(r.json, "items"), i, b) {
		char path[80];
		snprintf(path, sizeof(path), "/api/v1/ballots/%lld", jint(b, "id"));
		struct resp one = as(&S, VP, "GET", path, NULL);
		short_of_quorum += jint(one.json, "tally.more_for_quorum") > 0;
		resp_free(&one);
	}
	resp_free(&r);
	assert_true(short_of_quorum >= 1);
	/* a meeting halted, one resumed (R49) */
	int halted = 0, resumed = 0;
	for (long long m = 1; m <= 3; m++) {
		char path[80];
		snprintf(path, sizeof(path), "/api/v1/meetings/%lld", m);
		r = as(&S, VP, "GET", path, NULL);
		if (r.status == 200 && !strcmp(jstr(r.json, "status"), "in_progress")) {
			halted += json_is_true(json_object_get(r.json, "halted"));
			resumed += !json_is_true(json_object_get(r.json, "halted")) && json_array_size(json_object_get(r.json, "records")) > 0;
		}
		resp_free(&r);
	}
	assert_int_equal(halted, 1);
	assert_int_equal(resumed, 1);
	/* part 5: every mail of the demo links to its record (or, for a list
	 * outside entente, to the WR's public page) */
	char path[120], cursor[40] = "";
	int mails = 0, unlinked = 0;
	do {
		snprintf(path, sizeof(path), "/api/v1/outbox?limit=200%s%s", *cursor ? "&cursor=" : "", cursor);
		r = as(&S, "admin@localhost", "GET", path, NULL);
		expect_status(r, 200);
		json_t *m;
		json_array_foreach(json_object_get(r.json, "items"), i, m) {
			mails++;
			if (!json_is_string(json_object_get(m, "link")) || !*jstr(m, "link")) {
				fprintf(stderr, "no link: %s %s\n", jstr(m, "event"), jstr(m, "subject"));
				unlinked++;
			}
		}
		json_t *next = json_object_get(r.json, "next_cursor");
		snprintf(cursor, sizeof(cursor), "%s", json_is_string(next) ? json_string_value(next) : "");
		resp_free(&r);
	} while (*cursor);
	assert_true(mails > 50);
	assert_int_equal(unlinked, 0);
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0);
	assert_non_null(strstr(out, "the record is intact"));
	server_cleanup(&S);
}

/* Issue 27: the public feed holds the latest 50 entries, newest first,
 * however many versions ten years publish. */
static void test_the_feed_is_bounded(void **state)
{
	(void)state;
	static char out[8192];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0); /* WR 3 is established */
	server_start(&S, NULL);
	for (int i = 0; i < 55; i++) { /* each regular update publishes a version (R27, R50) */
		struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers/3/record-review", "{ss}", "summary", "On track");
		expect_status(r, 200);
		resp_free(&r);
	}
	struct resp r = req(&S, "GET", "/registers/feed.atom", NULL, NULL, NULL);
	expect_status(r, 200);
	int entries = 0;
	for (const char *p = r.raw; (p = strstr(p, "<entry>")); p++)
		entries++;
	assert_int_equal(entries, 50);
	/* newest first: the last update's version leads */
	struct resp wr = as(&S, VP, "GET", "/api/v1/work-registers/3", NULL);
	char want[120];
	snprintf(want, sizeof(want), "<entry><title>TGG and DMTF: power and cooling telemetry %s</title>", jstr(wr.json, "version_label"));
	const char *first = strstr(r.raw, "<entry>");
	assert_non_null(first);
	assert_true(!strncmp(first, want, strlen(want)));
	resp_free(&wr);
	/* RFC 5005: the first page names the next, which holds the rest, each
	 * entry once, and names none after it */
	assert_non_null(strstr(r.raw, "<link rel=\"first\" href=\""));
	const char *nx = strstr(r.raw, "<link rel=\"next\" href=\"");
	assert_non_null(nx);
	char path[120];
	const char *at = strstr(nx, "/registers/feed.atom?before=");
	assert_non_null(at);
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(at, "\""), at);
	int published = sql_int(S.db, "SELECT count(*) FROM wr_versions v JOIN work_registers w ON w.id = v.wr_id "
				      "WHERE w.established_at IS NOT NULL AND v.label NOT LIKE '0.%'");
	assert_true(published > 55);
	struct resp r2 = req(&S, "GET", path, NULL, NULL, NULL);
	expect_status(r2, 200);
	int more = 0;
	for (const char *p = r2.raw; (p = strstr(p, "<entry>")); p++) {
		char id[160];
		const char *i0 = strstr(p, "<id>");
		snprintf(id, sizeof(id), "%.*s", (int)(strstr(i0, "</id>") - i0), i0);
		assert_null(strstr(r.raw, id)); /* not on the first page */
		more++;
	}
	assert_int_equal(entries + more, published);
	assert_null(strstr(r2.raw, "rel=\"next\""));
	char self[400];
	snprintf(self, sizeof(self), "<link rel=\"self\" href=\"%s%s\"/>", S.url, path);
	assert_non_null(strstr(r2.raw, self));
	resp_free(&r2);
	r2 = req(&S, "GET", "/registers/feed.atom?before=none", NULL, NULL, NULL);
	expect_status(r2, 400);
	assert_non_null(strstr(r2.raw, "before"));
	resp_free(&r2);
	/* the published column the feed's index reads agrees with the labels */
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM wr_versions WHERE published <> (label NOT LIKE '0.%')"), 0);
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

/* Issue 27: /registers shows 100 public WRs a page, each once, the pages
 * linked (the seed's established WRs: through every step of the process). */
static void test_the_public_site_pages(void **state)
{
	(void)state;
	static char out[8192];
	server_init(&S, 1);
	assert_int_equal(cli(&S, out, sizeof(out), "seed --wrs 10 --people 160 --votes 0 --established 130"), 0);
	int public = sql_int(S.db, "SELECT count(*) FROM work_registers WHERE established_at IS NOT NULL");
	assert_true(public >= 130);
	server_start(&S, NULL);
	struct resp r = req(&S, "GET", "/registers", NULL, NULL, NULL);
	expect_status(r, 200);
	int rows = 0;
	for (const char *p = r.raw; (p = strstr(p, "<tr><td>")); p++)
		rows++;
	assert_int_equal(rows, 100);
	assert_null(strstr(r.raw, "rel=\"first\""));
	const char *nx = strstr(r.raw, "<a rel=\"next\" href=\"");
	assert_non_null(nx);
	char path[80], last[40];
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(nx + 20, "\""), nx + 20);
	/* the cursor is the last WR shown */
	const char *lp = NULL;
	for (const char *p = r.raw; (p = strstr(p, "<a href=\"/registers/")); p++)
		if (p[20] >= '0' && p[20] <= '9')
			lp = p;
	snprintf(last, sizeof(last), "%.*s", (int)strcspn(lp + 20, "\""), lp + 20);
	assert_string_equal(strchr(path, '=') + 1, last);
	struct resp r2 = req(&S, "GET", path, NULL, NULL, NULL);
	expect_status(r2, 200);
	int more = 0;
	for (const char *p = r2.raw; (p = strstr(p, "<a href=\"/registers/")); p++) {
		char link[60];
		if (p[20] < '0' || p[20] > '9')
			continue; /* the feed's link, on every page */
		snprintf(link, sizeof(link), "%.*s\"", 9 + (int)strcspn(p + 9, "\""), p);
		assert_null(strstr(r.raw, link)); /* not on the first page */
		more++;
	}
	assert_int_equal(rows + more, public);
	assert_non_null(strstr(r2.raw, "<a rel=\"first\" href=\"/registers\">"));
	assert_null(strstr(r2.raw, "rel=\"next\""));
	resp_free(&r2);
	r2 = req(&S, "GET", "/registers?after=-3", NULL, NULL, NULL);
	expect_status(r2, 400);
	assert_non_null(strstr(r2.raw, "after"));
	resp_free(&r2);
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

static int teardown(void **state)
{
	(void)state;
	server_reap(&S);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_change_requests_and_meetings_wait_on_whom_they_concern, teardown),
		cmocka_unit_test_teardown(test_the_portfolio_counts_for_host_staff, teardown),
		cmocka_unit_test_teardown(test_a_ballot_says_what_it_still_needs, teardown),
		cmocka_unit_test_teardown(test_the_demo_shows_every_stage, teardown),
		cmocka_unit_test_teardown(test_the_feed_is_bounded, teardown),
		cmocka_unit_test_teardown(test_the_public_site_pages, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
