/* Kept pages and rows (issue "Speed"): a WR document, the public pages,
 * the actor, the credentials and the WR of a call are kept by the
 * generation (the last audit event the call's snapshot sees) and the date.
 * Each test shows that what is served after a change is the change: made
 * through the API, by another process (the CLI), to a record the document
 * only refers to, or by the calendar alone. And that authorization is
 * never kept: who may read is judged on every call.
 * Demo data: WR 1 is SNIA's (org 2) draft, owner 3 (owner@), whose seat on
 * the Alliance Committee (body 3) is membership 3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "http/client.h"

#define DAY 86400
static struct server S;

static int setup(void **state)
{
	(void)state;
	server_init(&S, 1);
	S.now = 1798761600; /* 2027-01-01T00:00:00Z */
	server_start(&S, "--test-clock", NULL);
	/* every token made before the tests: making one is a change too */
	const char *const who[] = { "admin@localhost", "vp@dmtf.example", "owner@dmtf.example", "tc@dmtf.example",
				    "sam@snia.example", "greta@tgg.example" };
	for (size_t i = 0; i < sizeof(who) / sizeof(*who); i++)
		token_for(&S, who[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_finish(&S);
}

/* A counter of /metrics (as the administrator). */
static long long metric(const char *name)
{
	struct resp r = as(&S, "admin@localhost", "GET", "/metrics", NULL);
	long long v = -1;
	expect_status(r, 200);
	const char *p = strstr(r.raw, name);
	while (p && p > r.raw && p[-1] != '\n') /* the sample line, not the HELP text */
		p = strstr(p + 1, name);
	if (p)
		v = atoll(p + strlen(name));
	resp_free(&r);
	return v;
}

static char *wr_text(const char *email)
{
	struct resp r = as(&S, email, "GET", "/api/v1/work-registers/1", NULL);
	expect_status(r, 200);
	char *t = strdup(r.raw);
	resp_free(&r);
	return t;
}

/* The second read of an unchanged WR is served from the kept page, and
 * is the same bytes. */
static void test_unchanged_document_is_kept(void **state)
{
	(void)state;
	char *a = wr_text("vp@dmtf.example");
	long long kept = metric("entente_pages_total{outcome=\"kept\"} ");
	char *b = wr_text("owner@dmtf.example");
	assert_string_equal(a, b);
	assert_true(metric("entente_pages_total{outcome=\"kept\"} ") > kept);
	free(a);
	free(b);
}

/* An edit through the API is served at once, with its new ETag (R13). */
static void test_edit_through_the_api_is_served(void **state)
{
	(void)state;
	free(wr_text("vp@dmtf.example"));
	struct resp g = as(&S, "owner@dmtf.example", "GET", "/api/v1/work-registers/1", NULL);
	struct resp p = as_if(&S, "owner@dmtf.example", "PATCH", "/api/v1/work-registers/1", g.etag, "{ss}", "title",
			      "Storage, kept and rebuilt");
	expect_status(p, 200);
	struct resp after = as(&S, "vp@dmtf.example", "GET", "/api/v1/work-registers/1", NULL);
	expect_status(after, 200);
	assert_string_equal(jstr(after.json, "title"), "Storage, kept and rebuilt");
	assert_string_equal(after.etag, p.etag);
	assert_string_not_equal(after.etag, g.etag);
	resp_free(&g);
	resp_free(&p);
	resp_free(&after);
}

/* The partner's name is in the document but not in the WR: renaming the
 * organization does not change the WR's revision, and still shows. */
static void test_change_to_a_referenced_record_is_served(void **state)
{
	(void)state;
	free(wr_text("vp@dmtf.example"));
	struct resp p = as(&S, "vp@dmtf.example", "PATCH", "/api/v1/organizations/2", "{ss}", "name",
			   "Storage Networking Industry Association (renamed)");
	expect_status(p, 200);
	struct resp after = as(&S, "vp@dmtf.example", "GET", "/api/v1/work-registers/1", NULL);
	assert_string_equal(jstr(after.json, "partner.name"), "Storage Networking Industry Association (renamed)");
	resp_free(&p);
	resp_free(&after);
}

/* Another process writes to the same database while the server runs: the
 * generation is read from the database, so the server serves it. */
static void test_change_by_another_process_is_served(void **state)
{
	(void)state;
	free(wr_text("vp@dmtf.example"));
	assert_int_equal(cli(&S, NULL, 0, "org set --id 2 --name %s --short-name SNIA", "'Renamed by the CLI'"), 0);
	struct resp after = as(&S, "vp@dmtf.example", "GET", "/api/v1/work-registers/1", NULL);
	expect_status(after, 200);
	assert_string_equal(jstr(after.json, "partner.name"), "Renamed by the CLI");
	resp_free(&after);
}

/* The page is kept for everyone who may read; who may is decided anew. */
static void test_grants_are_judged_on_every_call(void **state)
{
	(void)state;
	free(wr_text("vp@dmtf.example"));
	free(wr_text("vp@dmtf.example")); /* kept now */
	struct resp other = as(&S, "greta@tgg.example", "GET", "/api/v1/work-registers/1", NULL);
	expect_status(other, 404); /* another partner's representative */
	struct resp rep = as(&S, "sam@snia.example", "GET", "/api/v1/work-registers/1", NULL);
	expect_status(rep, 200);
	struct resp anon = req(&S, "GET", "/api/v1/work-registers/1", NULL, NULL, NULL);
	expect_status(anon, 401);
	struct resp bad = req(&S, "GET", "/api/v1/work-registers/1", "ent_not_a_token", NULL, NULL);
	expect_status(bad, 401);
	resp_free(&other);
	resp_free(&rep);
	resp_free(&anon);
	resp_free(&bad);
}

/* A disabled account's token stops working on the next call, though its
 * person and credentials were kept a moment before. */
static void test_disabled_account_is_refused_at_once(void **state)
{
	(void)state;
	free(wr_text("tc@dmtf.example"));
	free(wr_text("tc@dmtf.example"));
	struct resp d = as(&S, "admin@localhost", "PATCH", "/api/v1/people/5", "{sb}", "disabled", 1);
	expect_status(d, 200);
	struct resp r = as(&S, "tc@dmtf.example", "GET", "/api/v1/work-registers/1", NULL);
	expect_status(r, 401);
	struct resp e = as(&S, "admin@localhost", "PATCH", "/api/v1/people/5", "{sb}", "disabled", 0);
	expect_status(e, 200);
	resp_free(&d);
	resp_free(&r);
	resp_free(&e);
}

/* R1: the owner's seat ends tomorrow. Today the document has no warning;
 * the day after, with nothing written in between, it has one. */
static void test_the_date_alone_changes_the_document(void **state)
{
	(void)state;
	char tomorrow[16];
	time_t t = (time_t)(S.now + DAY);
	strftime(tomorrow, sizeof(tomorrow), "%Y-%m-%d", gmtime(&t));
	struct resp m = as(&S, "admin@localhost", "PATCH", "/api/v1/bodies/3/members/3", "{ss}", "end_date", tomorrow);
	expect_status(m, 200);
	struct resp today = as(&S, "vp@dmtf.example", "GET", "/api/v1/work-registers/1", NULL);
	assert_int_equal(json_array_size(json_object_get(today.json, "warnings")), 0);
	S.now += 2 * DAY;
	struct resp later = as(&S, "vp@dmtf.example", "GET", "/api/v1/work-registers/1", NULL);
	expect_status(later, 200);
	assert_int_equal(json_array_size(json_object_get(later.json, "warnings")), 1);
	assert_string_equal(jstr(json_array_get(json_object_get(later.json, "warnings"), 0), "rule"), "R1");
	S.now -= 2 * DAY;
	struct resp back = as(&S, "admin@localhost", "PATCH", "/api/v1/bodies/3/members/3", "{sn}", "end_date");
	expect_status(back, 200);
	resp_free(&m);
	resp_free(&today);
	resp_free(&later);
	resp_free(&back);
}

/* The ids of a list's items, as "1,2". */
static const char *list_ids(const char *email, const char *path)
{
	struct resp r = as(&S, email, "GET", path, NULL);
	const char *ids = jids(r.json);
	resp_free(&r);
	return ids;
}

/* A list is kept per viewer: host staff see every partner's WRs, a
 * representative their own organization's, however the list was kept. */
static void test_lists_are_kept_per_viewer(void **state)
{
	(void)state;
	assert_string_equal(list_ids("vp@dmtf.example", "/api/v1/work-registers"), "1,2");
	long long kept = metric("entente_pages_total{outcome=\"kept\"} ");
	assert_string_equal(list_ids("owner@dmtf.example", "/api/v1/work-registers"), "1,2"); /* the staff's page */
	assert_true(metric("entente_pages_total{outcome=\"kept\"} ") > kept);
	assert_string_equal(list_ids("sam@snia.example", "/api/v1/work-registers"), "1");
	assert_string_equal(list_ids("greta@tgg.example", "/api/v1/work-registers"), "2");
	assert_string_equal(list_ids("vp@dmtf.example", "/api/v1/work-registers?partner_id=3"), "2"); /* the parameters */
	/* me/tasks is each person's own: the VP's owner to assign is not Sam's */
	struct resp v = as(&S, "vp@dmtf.example", "GET", "/api/v1/me/tasks", NULL);
	assert_non_null(strstr(v.raw, "assign_owner"));
	struct resp m = as(&S, "sam@snia.example", "GET", "/api/v1/me/tasks", NULL);
	expect_status(m, 200);
	assert_null(strstr(m.raw, "assign_owner"));
	resp_free(&v);
	resp_free(&m);
	/* a new WR is in the next list */
	struct resp c = as(&S, "vp@dmtf.example", "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 3, "title", "Kept lists");
	expect_status(c, 201);
	resp_free(&c);
	assert_string_equal(list_ids("greta@tgg.example", "/api/v1/work-registers"), "2,3");
}

/* If-None-Match: a client holding the current revision gets 304 and no
 * body; a lifecycle step writes a new revision (R50), so after one the
 * old ETag gets the whole document again. */
static void test_not_modified_until_any_change(void **state)
{
	(void)state;
	char etag[64], line[128], weak[128], list[160];
	struct resp r;
	etag_of(&S, "vp@dmtf.example", "/api/v1/work-registers/1", etag);
	snprintf(line, sizeof(line), "If-None-Match: %s", etag);
	snprintf(weak, sizeof(weak), "If-None-Match: W/%s", etag);
	snprintf(list, sizeof(list), "If-None-Match: \"rev-0\", %s", etag);
	const char *tok = token_for(&S, "vp@dmtf.example");
	const char *same[] = { line, NULL }, *weakly[] = { weak, NULL }, *among[] = { list, NULL };
	const char *other[] = { "If-None-Match: \"rev-0\"", NULL };
	r = req(&S, "GET", "/api/v1/work-registers/1", tok, NULL, same);
	expect_status(r, 304);
	assert_string_equal(r.etag, etag);
	assert_true(!r.raw || !*r.raw);
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/work-registers/1", tok, NULL, weakly);
	expect_status(r, 304);
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/work-registers/1", tok, NULL, among);
	expect_status(r, 304);
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/work-registers/1", tok, NULL, other);
	expect_status(r, 200);
	resp_free(&r);
	/* who may not read it gets no 304 either */
	r = req(&S, "GET", "/api/v1/work-registers/1", token_for(&S, "greta@tgg.example"), NULL, same);
	expect_status(r, 404);
	resp_free(&r);
	/* a lifecycle step: the draft goes out for feedback (R15) */
	r = as(&S, "owner@dmtf.example", "POST", "/api/v1/work-registers/1/socialize", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/work-registers/1", tok, NULL, same);
	expect_status(r, 200);
	assert_string_not_equal(r.etag, etag);
	assert_string_equal(jstr(r.json, "status"), "socialization");
	resp_free(&r);
	r = as(&S, "owner@dmtf.example", "POST", "/api/v1/work-registers/1/revise", NULL); /* back, for the others */
	expect_status(r, 200);
	resp_free(&r);
}

/* The public pages are kept per Host (the feed's links name it). */
/* The feed names its links from the one base URL (issue 19, part 5): two
 * Host headers get the same bytes, kept once, with neither host in them. */
static void test_public_pages_ignore_the_host(void **state)
{
	(void)state;
	const char *h1[] = { "Host: one.example", NULL }, *h2[] = { "Host: two.example", NULL };
	struct resp a = req(&S, "GET", "/registers/feed.atom", NULL, NULL, h1);
	struct resp b = req(&S, "GET", "/registers/feed.atom", NULL, NULL, h2);
	expect_status(a, 200);
	expect_status(b, 200);
	assert_string_equal(a.raw, b.raw);
	assert_non_null(strstr(a.raw, S.url));
	assert_null(strstr(a.raw, "one.example"));
	assert_null(strstr(b.raw, "two.example"));
	resp_free(&a);
	resp_free(&b);
}

/* Issue 23 (and 26): /metrics tells the database's size, whichever the
 * engine: the file on SQLite, pg_database_size on PostgreSQL (the suite
 * runs on both: tests/pg/suites.sh). A demonstration database holds
 * more than a few pages. */
static void test_metrics_tell_the_database_size(void **state)
{
	(void)state;
	assert_true(metric("entente_database_bytes{file=\"database\"}") > 16384);
	assert_true(metric("entente_database_bytes{file=\"wal\"}") >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unchanged_document_is_kept),
		cmocka_unit_test(test_edit_through_the_api_is_served),
		cmocka_unit_test(test_change_to_a_referenced_record_is_served),
		cmocka_unit_test(test_change_by_another_process_is_served),
		cmocka_unit_test(test_grants_are_judged_on_every_call),
		cmocka_unit_test(test_disabled_account_is_refused_at_once),
		cmocka_unit_test(test_the_date_alone_changes_the_document),
		cmocka_unit_test(test_lists_are_kept_per_viewer),
		cmocka_unit_test(test_not_modified_until_any_change),
		cmocka_unit_test(test_public_pages_ignore_the_host),
		cmocka_unit_test(test_metrics_tell_the_database_size),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
