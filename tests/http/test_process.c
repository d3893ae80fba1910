/* Black-box tests of the alliance-partner process (issue "lifecycle,
 * ballots, acceptance, change control, reviews and removal"): one test per
 * rule R1-R33 and R50, each showing the refusal (with the rule) and the
 * allowed path, a whole scenario, amendments of each class, a review cycle
 * 24 months on (the test clock: X-Entente-Now), removal, and hundreds of
 * simultaneous votes. Demo people: 2 vp@ (VP, Alliance Committee, Board),
 * 3 owner@ (Alliance and Technical Committees), 4 chair@ (Alliance chair),
 * 5 tc@ (Technical chair), 6 board@ (Board, Executive chair), 7 marketing@
 * (Marketing chair), 8 sam@ (SNIA), 9 greta@ (TGG). Bodies: 1 Board,
 * 2 Executive, 3 Alliance, 4 Technical, 5 Marketing, 8 a TC working group. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define CHAIR "chair@dmtf.example"
#define TC "tc@dmtf.example"
#define BOARD "board@dmtf.example"
#define MKT "marketing@dmtf.example"
#define SAM "sam@snia.example"
#define GRETA "greta@tgg.example"
#define ADMIN "admin@localhost"
#define DAY 86400

static struct server S;

static int setup(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, "--test-clock", "--per-ip", "1000", "--max-connections", "1000", "--threads", "8", NULL);
	/* the TC chair also chairs the TC's working group (R6) */
	struct resp r = as(&S, ADMIN, "POST", "/api/v1/bodies/8/members", "{si ss}", "person_id", 5, "role", "chair");
	assert_int_equal(r.status, 201);
	resp_free(&r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_finish(&S); /* a sanitizer report or an unclean stop fails the group */
}

/* ---- helpers: moving a fresh Work Register along ---- */

static char *wpath(long long id, const char *tail)
{
	static char p[8][160];
	static int k;
	k = (k + 1) % 8;
	snprintf(p[k], sizeof(p[k]), "/api/v1/work-registers/%lld%s", id, tail);
	return p[k];
}

/* A complete draft for SNIA owned by owner@, with an Alliance Committee
 * milestone and, when tc, a Technical Committee one. */
static long long draft(int tc)
{
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss si ss ss ss}", "partner_id", 2, "title", "SNIA: a draft",
			   "owner_id", 3, "scope", "Storage *management*", "benefits", "Less overlap", "deliverables", "- profiles");
	expect_status(r, 201);
	long long id = jint(r.json, "id");
	resp_free(&r);
	r = as(&S, OWNER, "POST", wpath(id, "/milestones"), "{ss si ss}", "description", "Joint review", "body_id", 3, "target_date", "2028-01-31");
	expect_status(r, 201);
	resp_free(&r);
	if (tc) {
		r = as(&S, OWNER, "POST", wpath(id, "/milestones"), "{ss si si ss}", "description", "Profiles", "body_id", 4, "wg_id", 8,
		       "target_date", "2028-06-30");
		expect_status(r, 201);
		resp_free(&r);
	}
	r = as(&S, OWNER, "POST", wpath(id, "/contacts"), "{ss ss ss}", "name", "Sam Patel", "email", "sam@snia.example", "role", "board_rep");
	expect_status(r, 201);
	resp_free(&r);
	r = as(&S, OWNER, "POST", wpath(id, "/contacts"), "{ss ss ss}", "name", "SNIA Press", "email", "press@snia.example", "role", "pr");
	expect_status(r, 201);
	resp_free(&r);
	return id;
}

static struct resp step(const char *who, long long id, const char *name, const char *fmt, ...)
{
	char tail[64];
	snprintf(tail, sizeof(tail), "/%s", name);
	if (!fmt)
		return as(&S, who, "POST", wpath(id, tail), NULL);
	va_list ap;
	va_start(ap, fmt);
	json_t *j = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	char *body = json_dumps(j, JSON_COMPACT);
	struct resp r = req(&S, "POST", wpath(id, tail), token_for(&S, who), body, NULL);
	free(body);
	json_decref(j);
	return r;
}

static void ok_step(const char *who, long long id, const char *name)
{
	struct resp r = step(who, id, name, NULL);
	expect_status(r, 200);
	resp_free(&r);
}

static const char *status_of(long long id)
{
	static char st[40];
	struct resp r = as(&S, VP, "GET", wpath(id, ""), NULL);
	expect_status(r, 200);
	snprintf(st, sizeof(st), "%s", jstr(r.json, "status"));
	resp_free(&r);
	return st;
}

/* The open ballot of a body on a WR (0 when none). */
static long long ballot_of(long long id, int body)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/ballots?wr_id=%lld&body_id=%d&status=open", id, body);
	struct resp r = as(&S, VP, "GET", path, NULL);
	expect_status(r, 200);
	long long b = json_array_size(json_object_get(r.json, "items")) ? jint(r.json, "items.0.id") : 0;
	resp_free(&r);
	return b;
}

static struct resp vote(const char *who, long long ballot, const char *choice, const char *comment)
{
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld/votes", ballot);
	if (comment)
		return as(&S, who, "POST", path, "{ss ss}", "choice", choice, "comment", comment);
	return as(&S, who, "POST", path, "{ss}", "choice", choice);
}

static void ok_vote(const char *who, long long ballot, const char *choice)
{
	struct resp r = vote(who, ballot, choice, strcmp(choice, "no") ? NULL : "Needs work");
	expect_status(r, 200);
	resp_free(&r);
}

/* The demo's voting members of the Alliance Committee, the TC and the Board. */
static const char *const AC_VOTERS[] = { CHAIR, VP, OWNER, NULL };
static const char *const TC_VOTERS[] = { TC, OWNER, NULL };
static const char *const BOARD_VOTERS[] = { BOARD, VP, NULL };

/* Everyone votes the same; the last vote closes the ballot early. */
static void vote_all(long long ballot, const char *const *who, const char *choice)
{
	assert_true(ballot > 0);
	for (int i = 0; who[i]; i++)
		ok_vote(who[i], ballot, choice);
}

/* Through socialization and the committee ballots (everyone votes yes). */
static void approve_committees(long long id, int tc)
{
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	long long b = ballot_of(id, 3);
	assert_true(b > 0);
	vote_all(b, AC_VOTERS, "yes"); /* every eligible voter voted: it closes */
	if (tc) {
		struct resp r = step(TC, id, "open-ballot", "{si}", "body_id", 4);
		expect_status(r, 200);
		resp_free(&r);
		b = ballot_of(id, 4);
		vote_all(b, TC_VOTERS, "yes");
	}
	assert_string_equal(status_of(id), "committee_approved");
}

static void approve_board(long long id)
{
	ok_step(BOARD, id, "schedule-board");
	long long b = ballot_of(id, 1);
	assert_true(b > 0);
	vote_all(b, BOARD_VOTERS, "yes");
	assert_string_equal(status_of(id), "board_approved");
}

/* The test clock's date (YYYY-MM-DD): a Board ballot closed today. */
static const char *today(void)
{
	static char d[16];
	time_t t = (time_t)S.now;
	strftime(d, sizeof(d), "%Y-%m-%d", gmtime(&t));
	return d;
}

static void establish(long long id)
{
	struct resp r = step(VP, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED, that the Board approves the Work Register",
			     "approval_date", today());
	expect_status(r, 200);
	resp_free(&r);
	ok_step(OWNER, id, "send-to-partner");
	ok_step(SAM, id, "accept");
	assert_string_equal(status_of(id), "established");
}

static long long established(int tc)
{
	long long id = draft(tc);
	approve_committees(id, tc);
	approve_board(id);
	establish(id);
	return id;
}

/* How many messages of the event about WR wr went to email. */
static int outbox_count(long long wr, const char *event, const char *email)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/outbox?wr_id=%lld&event=%s&limit=200", wr, event);
	struct resp r = as(&S, ADMIN, "GET", path, NULL);
	json_t *items = json_object_get(r.json, "items");
	int n = 0;
	for (size_t i = 0; i < json_array_size(items); i++)
		n += !strcmp(jstr(json_array_get(items, i), "email"), email);
	resp_free(&r);
	return n;
}

static int outbox_has(long long wr, const char *event, const char *email) { return outbox_count(wr, event, email) > 0; }

/* The newest entry of a WR's change history (R50) says text. */
static void last_change_says(long long id, const char *text)
{
	struct resp r = as(&S, VP, "GET", wpath(id, "/history"), NULL);
	expect_status(r, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_non_null(strstr(jstr(json_array_get(items, json_array_size(items) - 1), "summary"), text));
	resp_free(&r);
}

/* ---- one test per rule ---- */

/* A seat of the Alliance Committee (body 3) ends today (S.now), or, with
 * 0, holds again. */
static void seat_ends(long long seat, int today)
{
	char path[80], date[16];
	time_t t = (time_t)S.now;
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&t));
	snprintf(path, sizeof(path), "/api/v1/bodies/3/members/%lld", seat);
	struct resp r = today ? as(&S, ADMIN, "PATCH", path, "{ss}", "end_date", date) : as(&S, ADMIN, "PATCH", path, "{sn}", "end_date");
	expect_status(r, 200);
	resp_free(&r);
}

static void test_R1_owner_is_an_active_alliance_committee_member(void **state)
{
	(void)state;
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss si}", "partner_id", 2, "title", "R1", "owner_id", 5);
	expect_rule(r, 409, "R1");
	resp_free(&r);
	/* a new voting member of the Alliance Committee may own one (an observer
	 * may not: test_issue21_an_observer_cannot_own_a_work_register); when
	 * they leave, the WR is flagged */
	r = as(&S, ADMIN, "POST", "/api/v1/people", "{ss ss si sb}", "name", "Olive Owner", "email", "olive@dmtf.example", "org_id", 1,
	       "dmtf_member", 1);
	long long olive = jint(r.json, "id");
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/bodies/3/members", "{sI ss}", "person_id", (json_int_t)olive, "role", "voting");
	long long seat = jint(r.json, "id");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss sI}", "partner_id", 2, "title", "R1", "owner_id", (json_int_t)olive);
	expect_status(r, 201);
	long long id = jint(r.json, "id");
	assert_int_equal(json_array_size(json_object_get(r.json, "warnings")), 0);
	resp_free(&r);
	seat_ends(seat, 1);
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "warnings.0.rule"), "R1");
	resp_free(&r);
}

static void test_R2_originating_committee_defaults_to_the_alliance_committee(void **state)
{
	(void)state;
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "R2");
	expect_status(r, 201);
	assert_int_equal(jint(r.json, "originating_body_id"), 3);
	assert_string_equal(jstr(r.json, "originating_committee.name"), "Alliance Committee");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss si}", "partner_id", 2, "title", "R2", "originating_body_id", 1);
	expect_rule(r, 409, "R2");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss si}", "partner_id", 2, "title", "R2 TC", "originating_body_id", 4);
	expect_status(r, 201);
	resp_free(&r);
}

static void test_R3_adoption_needs_the_alliance_committee(void **state)
{
	(void)state;
	/* originated by the Technical Committee, the Alliance Committee must still approve */
	long long id = draft(1);
	char etag[64];
	etag_of(&S, VP, wpath(id, ""), etag);
	struct resp r = as_if(&S, OWNER, "PATCH", wpath(id, ""), etag, "{si}", "originating_body_id", 4);
	expect_status(r, 200);
	json_t *req_ = json_object_get(r.json, "required_committees");
	int ac = 0;
	for (size_t i = 0; i < json_array_size(req_); i++)
		ac |= json_integer_value(json_array_get(req_, i)) == 3;
	assert_true(ac);
	resp_free(&r);
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	long long b = ballot_of(id, 4);
	vote_all(b, TC_VOTERS, "yes");
	assert_string_equal(status_of(id), "committee_ballots"); /* the Alliance Committee has not voted */
	r = step(BOARD, id, "schedule-board", NULL);
	expect_status(r, 409);
	resp_free(&r);
	r = step(CHAIR, id, "open-ballot", "{si}", "body_id", 3);
	expect_status(r, 200);
	resp_free(&r);
	b = ballot_of(id, 3);
	vote_all(b, AC_VOTERS, "yes");
	assert_string_equal(status_of(id), "committee_approved");
}

static void test_R4_every_committee_with_milestones_approves(void **state)
{
	(void)state;
	long long id = draft(1);
	struct resp r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "required_committees")), 2);
	resp_free(&r);
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	long long b = ballot_of(id, 3);
	vote_all(b, AC_VOTERS, "yes");
	assert_string_equal(status_of(id), "committee_ballots"); /* the TC has work in the milestones */
	r = step(TC, id, "open-ballot", "{si}", "body_id", 4);
	expect_status(r, 200);
	resp_free(&r);
	b = ballot_of(id, 4);
	vote_all(b, TC_VOTERS, "yes");
	assert_string_equal(status_of(id), "committee_approved");
}

static void test_R5_board_after_committees_scheduled_by_the_executive(void **state)
{
	(void)state;
	long long id = draft(0);
	struct resp r = step(BOARD, id, "schedule-board", NULL);
	expect_rule(r, 409, "R5"); /* still a draft */
	resp_free(&r);
	approve_committees(id, 0);
	r = step(VP, id, "schedule-board", NULL);
	expect_rule(r, 403, "R5"); /* the VP is not on the Executive Committee */
	resp_free(&r);
	r = step(OWNER, id, "schedule-board", NULL);
	expect_rule(r, 403, "R5");
	resp_free(&r);
	ok_step(BOARD, id, "schedule-board");
	assert_string_equal(status_of(id), "board_ballot");
}

static void test_R6_working_groups_speak_through_their_chair(void **state)
{
	(void)state;
	long long id = draft(1);
	ok_step(OWNER, id, "socialize");
	struct resp r = as(&S, OWNER, "POST", wpath(id, "/comments"), "{ss si}", "text", "The WG needs more time", "body_id", 8);
	expect_rule(r, 403, "R6");
	resp_free(&r);
	r = as(&S, TC, "POST", wpath(id, "/comments"), "{ss si}", "text", "The WG proposes a milestone for 2029", "body_id", 8);
	expect_status(r, 201);
	assert_int_equal(jint(r.json, "body_id"), 8);
	resp_free(&r);
}

static void test_R7_resolution_and_date_recorded_before_sending(void **state)
{
	(void)state;
	long long id = draft(0);
	approve_committees(id, 0);
	approve_board(id);
	struct resp r = step(OWNER, id, "send-to-partner", NULL);
	expect_rule(r, 409, "R7");
	resp_free(&r);
	r = step(VP, id, "record-resolution", "{ss}", "resolution", "no date");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "approval_date");
	resp_free(&r);
	/* not before the Board's ballot closed (today) */
	r = step(VP, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED: approved", "approval_date", "2020-01-01");
	expect_rule(r, 409, "R7");
	assert_string_equal(jstr(r.json, "field"), "approval_date");
	resp_free(&r);
	r = step(VP, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED: approved", "approval_date", today());
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "board_resolution"), "RESOLVED: approved");
	assert_string_equal(jstr(r.json, "board_approval_date"), today());
	resp_free(&r);
	ok_step(OWNER, id, "send-to-partner");
	/* the partner declines: the round's resolution goes with it, and the
	 * next Board approval needs one of its own */
	r = step(SAM, id, "decline", "{ss}", "reason", "Not this scope");
	expect_status(r, 200);
	assert_true(json_is_null(json_object_get(r.json, "board_resolution")));
	assert_true(json_is_null(json_object_get(r.json, "board_approval_date")));
	resp_free(&r);
	S.now += 3 * DAY;
	/* the decline's reason is an open comment (R16): answered first */
	r = as(&S, OWNER, "GET", wpath(id, "/comments?status=open"), NULL);
	char cpath[128];
	snprintf(cpath, sizeof(cpath), "/api/v1/work-registers/%lld/comments/%lld/resolve", id, jint(r.json, "items.0.id"));
	resp_free(&r);
	r = as(&S, OWNER, "POST", cpath, "{ss ss}", "status", "accepted", "resolution", "Scope narrowed");
	expect_status(r, 200);
	resp_free(&r);
	approve_committees(id, 0);
	approve_board(id);
	r = step(OWNER, id, "send-to-partner", NULL);
	expect_rule(r, 409, "R7");
	resp_free(&r);
	S.now -= 3 * DAY;
	r = step(VP, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED again", "approval_date", today());
	expect_rule(r, 409, "R7"); /* round one's date: before round two's ballot */
	resp_free(&r);
	S.now += 3 * DAY;
	r = step(VP, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED again", "approval_date", today());
	expect_status(r, 200);
	resp_free(&r);
	ok_step(OWNER, id, "send-to-partner");
	S.now -= 3 * DAY;
}

static void test_R8_the_vp_of_alliances_shepherds(void **state)
{
	(void)state;
	long long id = draft(0);
	approve_committees(id, 0);
	approve_board(id);
	struct resp r = step(MKT, id, "record-resolution", "{ss ss}", "resolution", "x", "approval_date", today());
	expect_rule(r, 403, "R7");
	resp_free(&r);
	/* the VP's rights come with the officer role */
	r = as(&S, ADMIN, "POST", "/api/v1/officers", "{si ss}", "person_id", 7, "role", "vp_alliances");
	expect_status(r, 201);
	long long off = jint(r.json, "id");
	resp_free(&r);
	r = step(MKT, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED", "approval_date", today());
	expect_status(r, 200);
	resp_free(&r);
	char path[64], today[11];
	time_t t = (time_t)S.now;
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&t));
	snprintf(path, sizeof(path), "/api/v1/officers/%lld", off);
	r = as(&S, ADMIN, "PATCH", path, "{ss}", "end_date", today);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, MKT, "GET", "/api/v1/me", NULL);
	assert_false(json_is_true(json_object_get(json_object_get(r.json, "roles"), "vp_alliances")));
	resp_free(&r);
}

static json_t *tasks_of(long long id)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/tasks?wr_id=%lld", id);
	struct resp r = as(&S, VP, "GET", path, NULL);
	json_t *items = json_incref(json_object_get(r.json, "items"));
	resp_free(&r);
	return items;
}

static json_t *task_kind(json_t *items, const char *kind)
{
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(jstr(json_array_get(items, i), "kind"), kind))
			return json_array_get(items, i);
	return NULL;
}

static void test_R9_contacts_handed_off_on_establishment(void **state)
{
	(void)state;
	struct resp r = as(&S, ADMIN, "PATCH", "/api/v1/settings", "{ss}", "requests_address", "requests@dmtf.example");
	expect_status(r, 200);
	resp_free(&r);
	long long id = draft(0);
	approve_committees(id, 0);
	approve_board(id);
	json_t *t = tasks_of(id);
	assert_int_equal(json_array_size(t), 0); /* nothing before both organizations approved */
	json_decref(t);
	establish(id);
	t = tasks_of(id);
	json_t *pc = task_kind(t, "partner_contacts"), *pr = task_kind(t, "press_contacts");
	assert_non_null(pc);
	assert_non_null(pr);
	assert_string_equal(jstr(pc, "rule"), "R9");
	assert_string_equal(jstr(pc, "recipients.0"), "requests@dmtf.example");
	assert_string_equal(jstr(pc, "payload.contacts.0.email"), "sam@snia.example");
	assert_string_equal(jstr(pc, "payload.working_group"), "Alliance Partner Working Group");
	assert_string_equal(jstr(pr, "recipients.0"), "press@example.org"); /* issue 23: no real address by default */
	assert_string_equal(jstr(pr, "payload.contacts.0.email"), "press@snia.example");
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/tasks/%lld/complete", jint(pc, "id"));
	json_decref(t);
	r = as(&S, SAM, "POST", path, NULL);
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, OWNER, "POST", path, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "done");
	resp_free(&r);
}

static void test_R10_proposals_by_partners_or_member_companies(void **state)
{
	(void)state;
	struct resp r = as(&S, SAM, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 3, "title", "For TGG");
	expect_rule(r, 403, "R10");
	resp_free(&r);
	r = as(&S, SAM, "POST", "/api/v1/work-registers", "{si ss ss}", "partner_id", 2, "title", "SNIA proposes", "proposed_by", "member");
	expect_rule(r, 403, "R10");
	resp_free(&r);
	r = as(&S, SAM, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "SNIA proposes");
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "proposed_by"), "partner");
	resp_free(&r);
	r = as(&S, TC, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "A member company proposes");
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "proposed_by"), "member");
	resp_free(&r);
	r = as(&S, TC, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 1, "title", "With ourselves");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "partner_id");
	resp_free(&r);
}

static void test_R11_the_vp_assigns_the_owner_of_an_external_proposal(void **state)
{
	(void)state;
	struct resp r = as(&S, SAM, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "External");
	long long id = jint(r.json, "id");
	resp_free(&r);
	r = step(OWNER, id, "assign-owner", "{si}", "owner_id", 3);
	expect_rule(r, 403, "R11");
	resp_free(&r);
	r = as_if(&S, SAM, "PATCH", wpath(id, ""), "\"rev-1\"", "{si}", "owner_id", 3);
	expect_rule(r, 403, "R11");
	resp_free(&r);
	r = step(VP, id, "assign-owner", "{si}", "owner_id", 5);
	expect_rule(r, 409, "R1");
	resp_free(&r);
	r = step(VP, id, "assign-owner", "{si}", "owner_id", 3);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "drafting");
	assert_int_equal(jint(r.json, "owner_id"), 3);
	resp_free(&r);
	assert_true(outbox_has(id, "wr.owner_assigned", "owner@dmtf.example"));
}

/* A member's proposal without an owner waits in "proposed"; host staff
 * naming its owner is a step of the table (wr.take_up), which writes the
 * state and its version; with the owner named at once it begins in
 * drafting (the table's wr.create rows). */
static void test_R11_a_members_proposal_is_taken_up_when_its_owner_is_named(void **state)
{
	(void)state;
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "Member proposal");
	expect_status(r, 201);
	long long id = jint(r.json, "id");
	assert_string_equal(jstr(r.json, "status"), "proposed");
	resp_free(&r);
	r = as_if(&S, VP, "PATCH", wpath(id, ""), "\"rev-1\"", "{si}", "owner_id", 3);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "drafting");
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, "/history"), NULL);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 3); /* proposed, edited, taken up */
	assert_non_null(strstr(jstr(json_array_get(items, 2), "summary"), "(R11)"));
	assert_string_equal(jstr(json_array_get(items, 2), "version"), "0.1.1"); /* a step: a number (R50) */
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss si}", "partner_id", 2, "title", "With its owner", "owner_id", 3);
	assert_string_equal(jstr(r.json, "status"), "drafting");
	resp_free(&r);
}

static void test_R12_the_template_is_complete_before_socialization(void **state)
{
	(void)state;
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss si}", "partner_id", 2, "title", "Thin", "owner_id", 3);
	long long id = jint(r.json, "id");
	resp_free(&r);
	r = step(OWNER, id, "socialize", NULL);
	expect_rule(r, 409, "R12");
	assert_string_equal(jstr(r.json, "field"), "scope");
	resp_free(&r);
	r = as_if(&S, OWNER, "PATCH", wpath(id, ""), "\"rev-1\"", "{ss ss ss}", "scope", "s", "benefits", "b", "deliverables", "d");
	resp_free(&r);
	r = step(OWNER, id, "socialize", NULL);
	expect_rule(r, 409, "R12");
	assert_string_equal(jstr(r.json, "field"), "milestones");
	resp_free(&r);
	r = as(&S, OWNER, "POST", wpath(id, "/milestones"), "{ss si}", "description", "Undated", "body_id", 3);
	resp_free(&r);
	r = step(OWNER, id, "socialize", NULL);
	expect_rule(r, 409, "R12");
	assert_string_equal(jstr(r.json, "field"), "milestones"); /* no target date */
	resp_free(&r);
	long long done = draft(0);
	ok_step(OWNER, done, "socialize");
}

static void test_R13_concurrent_edits_never_overwrite(void **state)
{
	(void)state;
	long long id = draft(0);
	char etag[64];
	etag_of(&S, VP, wpath(id, ""), etag);
	struct resp r = as_if(&S, SAM, "PATCH", wpath(id, ""), etag, "{ss}", "benefits", "Partner's edit");
	expect_status(r, 200);
	resp_free(&r);
	r = as_if(&S, OWNER, "PATCH", wpath(id, ""), etag, "{ss}", "benefits", "Owner's edit");
	expect_rule(r, 412, "R13");
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "benefits"), "Partner's edit");
	resp_free(&r);
}

static void test_R14_completeness_call_requested_by_the_vp(void **state)
{
	(void)state;
	long long id = draft(0);
	struct resp r = step(OWNER, id, "request-call", "{ss}", "scheduled_at", "2026-12-05T15:00:00Z");
	expect_rule(r, 403, "R14");
	resp_free(&r);
	r = step(VP, id, "request-call", "{ss s[{ss ss}] ss}", "scheduled_at", "2026-12-05T15:00:00Z", "participants", "name", "Sam Patel",
		 "email", "sam@snia.example", "outcome", "Complete after adding a PR contact");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "meetings.0.kind"), "completeness_call");
	assert_string_equal(jstr(r.json, "meetings.0.participants.0.name"), "Sam Patel");
	assert_string_equal(jstr(r.json, "meetings.0.outcome"), "Complete after adding a PR contact");
	resp_free(&r);
}

static void test_R15_the_draft_goes_to_every_committee_and_working_group_chair(void **state)
{
	(void)state;
	long long id = draft(1);
	struct resp r = step(SAM, id, "socialize", NULL);
	expect_rule(r, 403, "R15");
	resp_free(&r);
	assert_false(outbox_has(id, "wr.socialized", "tc@dmtf.example"));
	ok_step(OWNER, id, "socialize");
	assert_true(outbox_has(id, "wr.socialized", "chair@dmtf.example")); /* Alliance Committee chair */
	assert_true(outbox_has(id, "wr.socialized", "tc@dmtf.example"));    /* TC and its working group */
	/* and every other committee's chair: "the committees" (issue 21) */
	assert_true(outbox_has(id, "wr.socialized", "marketing@dmtf.example"));
	assert_string_equal(status_of(id), "socialization");
}

static void test_R16_feedback_routed_and_closed_out(void **state)
{
	(void)state;
	long long id = draft(1);
	ok_step(OWNER, id, "socialize");
	struct resp r = as(&S, TC, "POST", wpath(id, "/comments"), "{ss si}", "text", "Move the profile date", "body_id", 4);
	expect_status(r, 201);
	long long cid = jint(r.json, "id");
	json_t *routed = json_object_get(r.json, "routed_to");
	int chair = 0, vp = 0;
	for (size_t i = 0; i < json_array_size(routed); i++) {
		chair |= json_integer_value(json_array_get(routed, i)) == 4;
		vp |= json_integer_value(json_array_get(routed, i)) == 2;
	}
	assert_true(chair && vp);
	resp_free(&r);
	assert_true(outbox_has(id, "comment.added", "chair@dmtf.example"));
	r = step(OWNER, id, "submit", NULL);
	expect_rule(r, 409, "R16");
	resp_free(&r);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/comments/%lld/resolve", id, cid);
	r = as(&S, OWNER, "POST", path, "{ss}", "status", "declined");
	expect_rule(r, 400, "R16");
	resp_free(&r);
	r = as(&S, SAM, "POST", path, "{ss ss}", "status", "accepted", "resolution", "ok");
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, OWNER, "POST", path, "{ss ss}", "status", "declined", "resolution", "The date is committed by the WG");
	expect_status(r, 200);
	resp_free(&r);
	assert_true(outbox_has(id, "comment.resolved", "tc@dmtf.example"));
	ok_step(OWNER, id, "submit");
}

static void test_R17_submission_ballots_the_frozen_draft_in_the_originating_committee(void **state)
{
	(void)state;
	long long id = draft(0);
	struct resp r = step(OWNER, id, "submit", NULL);
	expect_rule(r, 409, "R17"); /* not socialized yet */
	resp_free(&r);
	ok_step(OWNER, id, "socialize");
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	long long rev = jint(r.json, "revision"); /* the draft as socialized */
	resp_free(&r);
	ok_step(OWNER, id, "submit");
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_int_equal(jint(r.json, "revision"), rev + 1); /* the submission is a version of its own (R50) */
	resp_free(&r);
	long long b = ballot_of(id, 3);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld", b);
	r = as(&S, VP, "GET", path, NULL);
	expect_status(r, 200);
	rev++;
	assert_int_equal(jint(r.json, "revision"), rev); /* the ballot is on the version the submission froze */
	assert_string_equal(jstr(r.json, "purpose"), "committee");
	assert_int_equal(json_array_size(json_object_get(r.json, "eligible")), 3);
	resp_free(&r);
	snprintf(path, sizeof(path), "/versions/%lld", rev);
	r = as(&S, VP, "GET", wpath(id, path), NULL);
	assert_true(json_is_true(json_object_get(r.json, "frozen")));
	resp_free(&r);
	char etag[64];
	etag_of(&S, OWNER, wpath(id, ""), etag);
	r = as_if(&S, OWNER, "PATCH", wpath(id, ""), etag, "{ss}", "title", "Changed during the ballot");
	expect_status(r, 409);
	resp_free(&r);
}

static void test_R18_parallel_ballots_at_the_chairs_discretion(void **state)
{
	(void)state;
	long long id = draft(1);
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	struct resp r = step(MKT, id, "open-ballot", "{si}", "body_id", 5);
	expect_rule(r, 409, "R18"); /* no work for Marketing in the milestones */
	resp_free(&r);
	r = step(SAM, id, "open-ballot", "{si}", "body_id", 4);
	expect_status(r, 403);
	resp_free(&r);
	r = step(TC, id, "open-ballot", "{si}", "body_id", 4);
	expect_status(r, 200);
	resp_free(&r);
	assert_true(ballot_of(id, 3) > 0 && ballot_of(id, 4) > 0); /* both run in parallel */
	r = step(TC, id, "open-ballot", "{si}", "body_id", 4);
	expect_rule(r, 409, "R18");
	resp_free(&r);
}

static void test_R19_the_board_ballots_after_the_committees(void **state)
{
	(void)state;
	long long id = draft(0);
	approve_committees(id, 0);
	ok_step(BOARD, id, "schedule-board");
	struct resp r = step(BOARD, id, "board-call", "{ss s[{ss}] ss}", "scheduled_at", "2026-12-10T16:00:00Z", "participants", "name",
			     "Sam Patel", "outcome", "Questions answered");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "meetings.0.kind"), "board_call");
	resp_free(&r);
	long long b = ballot_of(id, 1);
	r = vote(BOARD, b, "no", NULL);
	expect_status(r, 400); /* a no carries its comment */
	resp_free(&r);
	vote_all(b, BOARD_VOTERS, "no");
	assert_string_equal(status_of(id), "drafting"); /* failed: back to drafting */
	r = as(&S, VP, "GET", wpath(id, "/comments?status=open"), NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2); /* every no comment attached */
	assert_string_equal(jstr(r.json, "items.0.text"), "Needs work");
	resp_free(&r);
}

static void test_R20_only_the_partners_acceptance_establishes(void **state)
{
	(void)state;
	long long id = draft(0);
	approve_committees(id, 0);
	approve_board(id);
	struct resp r = step(VP, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED", "approval_date", today());
	resp_free(&r);
	r = step(SAM, id, "accept", NULL);
	expect_rule(r, 409, "R20"); /* not sent yet */
	resp_free(&r);
	ok_step(OWNER, id, "send-to-partner");
	assert_string_equal(status_of(id), "sent_to_partner");
	r = step(OWNER, id, "accept", NULL);
	expect_rule(r, 403, "R20");
	resp_free(&r);
	r = step(GRETA, id, "accept", NULL);
	expect_status(r, 404);
	resp_free(&r);
	r = step(SAM, id, "decline", "{ss}", "reason", "Milestone dates too early");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "drafting");
	assert_string_equal(jstr(r.json, "decline_reason"), "Milestone dates too early");
	resp_free(&r);
	long long other = established(0);
	r = as(&S, VP, "GET", wpath(other, ""), NULL);
	assert_non_null(jstr(r.json, "established_at"));
	resp_free(&r);
}

static void test_R21_approved_work_registers_are_public(void **state)
{
	(void)state;
	long long id = draft(0);
	char path[64];
	snprintf(path, sizeof(path), "/registers/%lld", id);
	struct resp r = req(&S, "GET", path, NULL, NULL, NULL);
	expect_status(r, 404); /* a draft is never public */
	resp_free(&r);
	approve_committees(id, 0);
	approve_board(id);
	establish(id);
	r = req(&S, "GET", path, NULL, NULL, NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.ctype, "text/html"));
	assert_non_null(strstr(r.raw, "RESOLVED, that the Board approves the Work Register"));
	assert_non_null(strstr(r.raw, today()));
	assert_null(strstr(r.raw, "sam@snia.example")); /* contacts' addresses stay private */
	assert_null(strstr(r.raw, "<script"));
	resp_free(&r);
	r = req(&S, "GET", "/registers/feed.atom", NULL, NULL, NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.ctype, "application/atom+xml"));
	assert_non_null(strstr(r.raw, path));
	resp_free(&r);
}

static struct resp amend(const char *who, long long id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *j = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	char *body = json_dumps(j, JSON_COMPACT);
	struct resp r = req(&S, "POST", wpath(id, "/amendments"), token_for(&S, who), body, NULL);
	free(body);
	json_decref(j);
	return r;
}

static int approvals_with(json_t *a, const char *kind, long long body)
{
	json_t *ap = json_object_get(a, "approvals");
	int n = 0;
	for (size_t i = 0; i < json_array_size(ap); i++) {
		json_t *x = json_array_get(ap, i);
		if (!strcmp(jstr(x, "kind"), kind) && (!body || jint(x, "body_id") == body))
			n++;
	}
	return n;
}

/* The open ballot of a body on amendment aid of WR id (aid 0: on any of
 * its amendments, the last one), 0 when none. */
static long long ballot_of_amendment(long long id, int body, long long aid)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/ballots?wr_id=%lld&body_id=%d&status=open", id, body);
	struct resp r = as(&S, VP, "GET", path, NULL);
	long long b = 0;
	json_t *items = json_object_get(r.json, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		if (!strcmp(jstr(it, "purpose"), "amendment") && (!aid || jint(it, "amendment_id") == aid))
			b = jint(it, "id");
	}
	resp_free(&r);
	return b;
}

static long long amendment_ballot(long long id, int body) { return ballot_of_amendment(id, body, 0); }

static void pass_alliance(long long id)
{
	long long b = amendment_ballot(id, 3);
	assert_true(b > 0);
	vote_all(b, AC_VOTERS, "yes");
}

static const char *amendment_status(long long id, long long aid)
{
	static char st[32];
	char tail[64];
	snprintf(tail, sizeof(tail), "/amendments/%lld", aid);
	struct resp r = as(&S, VP, "GET", wpath(id, tail), NULL);
	snprintf(st, sizeof(st), "%s", jstr(r.json, "status"));
	resp_free(&r);
	return st;
}

static void test_R22_partner_changes_are_reballoted_in_the_originating_committee(void **state)
{
	(void)state;
	long long id = established(0);
	char etag[64];
	etag_of(&S, SAM, wpath(id, ""), etag);
	struct resp r = as_if(&S, SAM, "PATCH", wpath(id, ""), etag, "{ss}", "title", "Edited in place");
	expect_rule(r, 409, "R22"); /* no editing an approved WR */
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{ss}}", "class", "other", "summary", "Retitle", "changes", "title", "SNIA and DMTF: storage");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	assert_string_equal(jstr(r.json, "status"), "pending");
	assert_int_equal(approvals_with(r.json, "committee", 3), 1);
	assert_int_equal(approvals_with(r.json, "board", 0), 0);
	resp_free(&r);
	assert_string_equal(status_of(id), "established");
	pass_alliance(id);
	assert_string_equal(amendment_status(id, aid), "applied"); /* the partner proposed it: its approval is given */
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "title"), "SNIA and DMTF: storage");
	resp_free(&r);
}

static void test_R23_significant_changes_need_the_board(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = amend(OWNER, id, "{ss sb ss s{ss}}", "class", "other", "significant", 1, "summary", "New benefits", "changes",
			      "benefits", "Much more");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	assert_int_equal(approvals_with(r.json, "board", 0), 1);
	resp_free(&r);
	char tail[96];
	snprintf(tail, sizeof(tail), "/amendments/%lld/classify", aid);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{sb}", "significant", 0);
	expect_rule(r, 403, "R23");
	resp_free(&r);
	r = as(&S, CHAIR, "POST", wpath(id, tail), "{sb}", "significant", 0);
	expect_status(r, 200);
	assert_int_equal(approvals_with(r.json, "board", 0), 0);
	resp_free(&r);
	r = as(&S, CHAIR, "POST", wpath(id, tail), "{sb}", "significant", 1);
	expect_status(r, 200);
	assert_int_equal(approvals_with(r.json, "board", 0), 1);
	resp_free(&r);
	pass_alliance(id);
	long long b = amendment_ballot(id, 1); /* now the Board */
	assert_true(b > 0);
	/* opened by the system because the committee's ballot passed, not by
	 * the member whose vote closed it (issue 11) */
	char bpath[64];
	snprintf(bpath, sizeof(bpath), "/api/v1/ballots/%lld", b);
	r = as(&S, VP, "GET", bpath, NULL);
	assert_non_null(strstr(jstr(r.json, "opened_by"), "system (after ballot "));
	assert_non_null(strstr(jstr(r.json, "opened_by"), " passed)"));
	resp_free(&r);
	vote_all(b, BOARD_VOTERS, "yes");
	assert_string_equal(amendment_status(id, aid), "pending"); /* the partner has not accepted */
	snprintf(tail, sizeof(tail), "/amendments/%lld/accept", aid);
	r = as(&S, SAM, "POST", wpath(id, tail), NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_string_equal(amendment_status(id, aid), "applied");
}

/* Issue 11: any WR as of any date: before it existed, once established,
 * during an amendment's ballot and after it, during the removal ballot
 * and after the removal; as the versions and the clock had it then. */
static struct resp as_of(long long id, int64_t t)
{
	char when[21], path[128];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld?as_of=%s", id, when);
	return as(&S, VP, "GET", path, NULL);
}

static void test_a_work_register_as_of_any_date(void **state)
{
	(void)state;
	int64_t t0 = S.now;
	long long id = established(0);
	struct resp r = as(&S, VP, "GET", wpath(id, ""), NULL);
	char title[200];
	snprintf(title, sizeof(title), "%s", jstr(r.json, "title"));
	resp_free(&r);
	int64_t t_est = S.now;
	S.now += DAY;
	r = amend(SAM, id, "{ss ss s{ss}}", "class", "other", "summary", "Retitle", "changes", "title", "Retitled as of later");
	expect_status(r, 201);
	resp_free(&r);
	int64_t t_amending = S.now;
	S.now += DAY;
	pass_alliance(id);
	int64_t t_amended = S.now;
	S.now += DAY;
	r = step(VP, id, "recommend-removal", "{ss}", "reason", "disbanded");
	expect_status(r, 200);
	resp_free(&r);
	ok_step(BOARD, id, "schedule-removal");
	int64_t t_removing = S.now;
	S.now += DAY;
	vote_all(ballot_of(id, 1), BOARD_VOTERS, "yes");
	int64_t t_removed = S.now;
	S.now += DAY;

	r = as_of(id, t0 - 30 * DAY); /* before it existed */
	expect_status(r, 404);
	assert_string_equal(jstr(r.json, "field"), "as_of");
	resp_free(&r);
	r = as_of(id, t_est);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "established");
	assert_string_equal(jstr(r.json, "version_label"), "1.0.0");
	assert_string_equal(jstr(r.json, "title"), title);
	assert_true(json_is_array(json_object_get(r.json, "standards"))); /* Table 1 as it was (its rows: the diff test below) */
	assert_string_equal(r.etag, ""); /* then is not a draft to edit */
	resp_free(&r);
	r = as_of(id, t_amending); /* during the amendment's ballot: unchanged */
	assert_string_equal(jstr(r.json, "title"), title);
	assert_string_equal(jstr(r.json, "status"), "established");
	resp_free(&r);
	r = as_of(id, t_amended);
	assert_string_equal(jstr(r.json, "title"), "Retitled as of later");
	assert_string_equal(jstr(r.json, "version_label"), "1.1.0");
	resp_free(&r);
	/* and the difference, word by word */
	r = as(&S, VP, "GET", wpath(id, "/diff?from=1.0.0&to=1.1.0"), NULL);
	expect_status(r, 200);
	json_t *f = json_array_get(json_object_get(r.json, "fields"), 0);
	assert_string_equal(jstr(f, "field"), "title");
	json_t *w = json_object_get(f, "words");
	char back_from[300] = "", back_to[300] = "";
	for (size_t i = 0; i < json_array_size(w); i++) { /* the runs give both texts back */
		const char *op = jstr(json_array_get(w, i), "op"), *text = jstr(json_array_get(w, i), "text");
		if (strcmp(op, "+"))
			strncat(back_from, text, sizeof(back_from) - strlen(back_from) - 1);
		if (strcmp(op, "-"))
			strncat(back_to, text, sizeof(back_to) - strlen(back_to) - 1);
	}
	assert_string_equal(back_from, title);
	assert_string_equal(back_to, "Retitled as of later");
	resp_free(&r);
	/* the public site shows it too, between published versions only */
	char pub[96];
	snprintf(pub, sizeof(pub), "/registers/%lld", id);
	r = req(&S, "GET", pub, NULL, NULL, NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.raw, "<h2>Compare two versions</h2>"));
	assert_non_null(strstr(r.raw, ">1.0.0</option>"));
	assert_non_null(strstr(r.raw, ">1.1.0</option>"));
	assert_null(strstr(r.raw, ">0.1.0</option>")); /* no draft */
	const char *sel = strstr(r.raw, "<option selected>");
	assert_non_null(sel);
	assert_non_null(strstr(sel + 1, "<option selected>")); /* one chosen in each list: the two latest */
	resp_free(&r);
	snprintf(pub, sizeof(pub), "/registers/%lld/diff?from=1.0.0&to=1.1.0", id);
	r = req(&S, "GET", pub, NULL, NULL, NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.ctype, "text/html"));
	assert_non_null(strstr(r.raw, "What changed from version 1.0.0"));
	assert_non_null(strstr(r.raw, "<h2>Title</h2>"));
	assert_non_null(strstr(r.raw, "<ins>Retitled"));
	assert_non_null(strstr(r.raw, "<del>"));
	resp_free(&r);
	snprintf(pub, sizeof(pub), "/registers/%lld/diff?from=0.1.0&to=1.1.0", id); /* a draft is not public */
	r = req(&S, "GET", pub, NULL, NULL, NULL);
	expect_status(r, 404);
	resp_free(&r);
	r = as_of(id, t_removing);
	assert_string_equal(jstr(r.json, "status"), "removal_ballot");
	resp_free(&r);
	r = as_of(id, t_removed);
	assert_string_equal(jstr(r.json, "status"), "removed");
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, "?as_of=yesterday"), NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "as_of");
	resp_free(&r);
}

static void test_R24_contact_changes_need_the_originating_committee_only(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = amend(SAM, id, "{ss ss s{ss}}", "class", "contacts", "summary", "x", "changes", "scope", "Wider");
	expect_rule(r, 409, "R24");
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{s[{ss ss ss}]}}", "class", "contacts", "summary", "New representative", "changes", "contacts", "name",
		  "Ann Lee", "email", "ann@snia.example", "role", "board_rep");
	expect_status(r, 201);
	/* spared the Board, not the Originating Committee (R22, R24) */
	long long aid = jint(r.json, "id");
	assert_string_equal(jstr(r.json, "status"), "pending");
	assert_int_equal(approvals_with(r.json, "committee", 3), 1);
	assert_int_equal(approvals_with(r.json, "board", 0), 0);
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_not_equal(jstr(r.json, "contacts.0.email"), "ann@snia.example"); /* not before the ballot */
	resp_free(&r);
	pass_alliance(id);
	assert_string_equal(amendment_status(id, aid), "applied"); /* the partner proposed it: its approval is given */
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "contacts.0.email"), "ann@snia.example");
	assert_int_equal(json_array_size(json_object_get(r.json, "contacts")), 1);
	assert_string_equal(jstr(r.json, "version_label"), "1.1.0"); /* an amendment applied: the next minor (R50) */
	resp_free(&r);
}

/* A Table 1 row of the draft (partner-owned, so no DSP number). */
static long long t1_row(long long id, const char *ap, const char *domain, int group)
{
	struct resp r = as(&S, OWNER, "POST", wpath(id, "/standards"), "{ss ss ss ss ss ss ss ss ss ss sb}", "kind", "joint", "standard_type",
			   "profile", "ap_id", ap, "description", "Profiles", "domain", domain, "lead_org", "SNIA", "ip_policy", "partner",
			   "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner", "is_group", group);
	expect_status(r, 201);
	long long rid = jint(r.json, "id");
	resp_free(&r);
	return rid;
}

/* The WR's Table 1 row with this identifier (the document is kept until
 * the next call). */
static json_t *t1_of(long long id, const char *ap)
{
	static json_t *doc;
	json_decref(doc);
	struct resp r = as(&S, VP, "GET", wpath(id, ""), NULL);
	doc = json_incref(r.json);
	resp_free(&r);
	json_t *rows = json_object_get(doc, "standards");
	for (size_t i = 0; i < json_array_size(rows); i++)
		if (!strcmp(jstr(json_array_get(rows, i), "ap_id"), ap))
			return json_array_get(rows, i);
	return NULL;
}

/* Table 1 after approval (R22, R28, R29, R39): an established WR's rows
 * change through change control like any section, the replacement of a
 * group by discrete rows included, with its history kept. */
static void test_R22_table1_changes_through_change_control(void **state)
{
	(void)state;
	long long id = draft(0);
	char grp[32], one[32];
	snprintf(grp, sizeof(grp), "grp-%lld", id);
	snprintf(one, sizeof(one), "one-%lld", id);
	long long group = t1_row(id, grp, "Storage", 1), row = t1_row(id, one, "Storage", 0);
	approve_committees(id, 0);
	approve_board(id);
	establish(id);
	struct resp r = as(&S, OWNER, "POST", wpath(id, "/standards"), "{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint", "standard_type",
			   "profile", "ap_id", "direct", "description", "d", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "partner",
			   "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_rule(r, 409, "R22"); /* no edit in place once approved */
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{s{s[{sI ss}]}}}", "class", "contacts", "summary", "x", "changes", "standards", "update", "id",
		  (json_int_t)row, "description", "New");
	expect_rule(r, 409, "R24"); /* not a contacts-only change */
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{s{s[{ss ss ss ss ss ss ss ss ss ss}]}}}", "class", "deliverables", "summary", "x", "changes", "standards",
		  "add", "kind", "joint", "standard_type", "profile", "ap_id", "cooling", "description", "Cooling", "domain", "Facilities",
		  "lead_org", "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_rule(r, 409, "R29"); /* a domain the WR did not cover: its scope grows */
	assert_string_equal(jstr(r.json, "field"), "standards");
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{s{s[{ss ss ss ss ss ss ss ss ss ss}]}}}", "class", "deliverables", "summary", "x", "changes", "standards",
		  "add", "kind", "joint", "standard_type", "poem", "ap_id", "odd", "description", "Odd", "domain", "Storage",
		  "lead_org", "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_rule(r, 409, "R37"); /* checked as a draft's row is */
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{s{s[{sI ss}]}}}", "class", "deliverables", "summary", "x", "changes", "standards", "update", "id",
		  (json_int_t)group - 1000, "description", "New");
	expect_status(r, 400);
	resp_free(&r);
	/* the group becomes two discrete rows, and a row is reworded */
	char a1[32], a2[32];
	snprintf(a1, sizeof(a1), "arr-%lld", id);
	snprintf(a2, sizeof(a2), "sw-%lld", id);
	r = amend(SAM, id, "{ss ss s{s{s[{sI s[{ss ss ss ss ss ss ss ss ss ss}{ss ss ss ss ss ss ss ss ss ss}]}] s[{sI ss}]}}}", "class",
		  "deliverables", "summary", "Discrete profiles", "changes", "standards", "replace", "group_id", (json_int_t)group, "rows",
		  "kind", "joint", "standard_type", "profile", "ap_id", a1, "description", "Arrays", "domain", "Storage", "lead_org", "SNIA",
		  "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner",
		  "kind", "joint", "standard_type", "profile", "ap_id", a2, "description", "Switches", "domain", "storage", "lead_org", "SNIA",
		  "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner",
		  "update", "id", (json_int_t)row, "description", "Profiles, reworded");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	resp_free(&r);
	assert_null(t1_of(id, a1)); /* nothing before the approvals */
	assert_string_equal(jstr(t1_of(id, grp), "status"), "current");
	pass_alliance(id); /* R22: the Originating Committee; SNIA proposed it */
	assert_string_equal(amendment_status(id, aid), "applied");
	assert_string_equal(jstr(t1_of(id, grp), "status"), "replaced"); /* kept, as history (R39) */
	assert_int_equal(jint(t1_of(id, a1), "replaces_id"), group);
	assert_int_equal(jint(t1_of(id, a2), "replaces_id"), group);
	assert_string_equal(jstr(t1_of(id, one), "description"), "Profiles, reworded");
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "version_label"), "1.1.0"); /* a version of its own (R50) */
	resp_free(&r);
	/* issue 11: the difference between the two versions, by Table 1 row */
	r = as(&S, VP, "GET", wpath(id, "/diff?from=1.0.0&to=1.1.0"), NULL);
	expect_status(r, 200);
	json_t *t1 = json_object_get(json_object_get(r.json, "sections"), "standards");
	assert_int_equal(json_array_size(json_object_get(t1, "added")), 2);
	assert_int_equal(json_array_size(json_object_get(t1, "removed")), 0);
	json_t *changed = json_object_get(t1, "changed");
	int saw_reworded = 0, saw_replaced = 0;
	for (size_t i = 0; i < json_array_size(changed); i++) {
		json_t *c = json_array_get(changed, i);
		if (jint(c, "id") == row && !strcmp(jstr(c, "fields.description.to"), "Profiles, reworded"))
			saw_reworded = 1;
		if (jint(c, "id") == group && !strcmp(jstr(c, "fields.status.from"), "current") && !strcmp(jstr(c, "fields.status.to"), "replaced"))
			saw_replaced = 1;
	}
	assert_true(saw_reworded && saw_replaced);
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, "/diff?from=1.0.0&to=9.9.9"), NULL);
	expect_status(r, 404);
	assert_string_equal(jstr(r.json, "field"), "to");
	resp_free(&r);
	/* two pending amendments add the same identifier: each passed its
	 * proposal's check; the one approved last no longer passes and is
	 * rejected with the reason, changing nothing */
	char dup[32];
	snprintf(dup, sizeof(dup), "dup-%lld", id);
	long long first = 0, second = 0;
	for (int k = 0; k < 2; k++) {
		r = amend(SAM, id, "{ss ss s{s{s[{ss ss ss ss ss ss ss ss ss ss}]}}}", "class", "deliverables", "summary", "Another row",
			  "changes", "standards", "add", "kind", "joint", "standard_type", "profile", "ap_id", dup, "description", k ? "B" : "A",
			  "domain", "Storage", "lead_org", "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner",
			  "maintaining_org", "partner");
		expect_status(r, 201);
		*(k ? &second : &first) = jint(r.json, "id");
		resp_free(&r);
	}
	pass_alliance(id); /* the later one's ballot first */
	assert_string_equal(amendment_status(id, second), "applied");
	assert_string_equal(jstr(t1_of(id, dup), "description"), "B");
	pass_alliance(id);
	assert_string_equal(amendment_status(id, first), "rejected");
	assert_string_equal(jstr(t1_of(id, dup), "description"), "B"); /* unchanged */
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "version_label"), "1.2.0"); /* only the applied one wrote a version */
	resp_free(&r);
}

static void test_R25_announcement_coordinated_with_marketing(void **state)
{
	(void)state;
	long long id = draft(0);
	approve_committees(id, 0);
	approve_board(id);
	assert_false(outbox_has(id, "wr.established", "marketing@dmtf.example"));
	establish(id);
	json_t *t = tasks_of(id);
	json_t *pr = task_kind(t, "press_release");
	assert_non_null(pr);
	assert_string_equal(jstr(pr, "rule"), "R25");
	assert_int_equal(jint(pr, "assignee_id"), 2); /* the VP */
	assert_string_equal(jstr(pr, "recipients.1"), "Marketing Committee");
	json_decref(t);
	assert_true(outbox_has(id, "wr.established", "marketing@dmtf.example"));
}

static void test_R26_updates_as_deliverables_complete(void **state)
{
	(void)state;
	long long id = draft(0);
	struct resp r = as(&S, VP, "GET", wpath(id, ""), NULL);
	long long mid = jint(r.json, "milestones.0.id");
	resp_free(&r);
	char tail[96];
	snprintf(tail, sizeof(tail), "/milestones/%lld/progress", mid);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{ss}", "status", "complete");
	expect_status(r, 409); /* a draft is edited, not progressed */
	resp_free(&r);
	approve_committees(id, 0);
	approve_board(id);
	establish(id);
	r = as(&S, GRETA, "POST", wpath(id, tail), "{ss}", "status", "complete");
	expect_status(r, 404);
	resp_free(&r);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{ss}", "status", "complete");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "complete");
	assert_non_null(jstr(r.json, "completed_date"));
	resp_free(&r);
}

static void test_R27_reviewed_at_least_every_24_months(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = as(&S, VP, "GET", wpath(id, ""), NULL);
	char due[11], est[11];
	snprintf(due, sizeof(due), "%s", jstr(r.json, "next_review_date"));
	snprintf(est, sizeof(est), "%.10s", jstr(r.json, "established_at"));
	resp_free(&r);
	assert_int_equal(atoi(due) - atoi(est), 2); /* two years later */
	assert_string_equal(due + 4, est + 4);
	int64_t saved = S.now;
	S.now += 720 * DAY; /* ten days before it is due */
	r = as(&S, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_true(outbox_has(id, "review.due", "owner@dmtf.example"));
	assert_false(outbox_has(id, "review.overdue", "owner@dmtf.example"));
	S.now += 30 * DAY;
	r = as(&S, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
	resp_free(&r);
	assert_true(outbox_has(id, "review.overdue", "owner@dmtf.example"));
	r = as(&S, VP, "GET", "/api/v1/reviews", NULL);
	json_t *items = json_object_get(r.json, "items");
	int overdue = 0;
	for (size_t i = 0; i < json_array_size(items); i++)
		if (jint(json_array_get(items, i), "wr_id") == id)
			overdue = json_is_true(json_object_get(json_array_get(items, i), "overdue"));
	assert_true(overdue);
	resp_free(&r);
	r = step(SAM, id, "record-review", NULL);
	expect_rule(r, 403, "R27");
	resp_free(&r);
	r = step(OWNER, id, "record-review", "{ss}", "summary", "Reviewed: on track");
	expect_status(r, 200);
	assert_true(strcmp(jstr(r.json, "next_review_date"), due) > 0);
	resp_free(&r);
	assert_true(S.now > saved); /* time only moves forward in this server */
}

static void test_R28_deliverable_adjustments(void **state)
{
	(void)state;
	long long id = established(1);
	struct resp r = amend(OWNER, id, "{ss ss s{s[{ss si ss}{ss si si ss}]}}", "class", "deliverables", "summary", "Later profiles",
			      "changes", "milestones", "description", "Joint review", "body_id", 3, "target_date", "2028-01-31",
			      "description", "Profiles", "body_id", 5, "wg_id", 8, "target_date", "2029-06-30");
	expect_rule(r, 409, "R29"); /* Marketing is new to this WR: a scope extension */
	resp_free(&r);
	r = amend(OWNER, id, "{ss ss s{s[{ss si ss}{ss si si ss}]}}", "class", "deliverables", "summary", "Later profiles", "changes",
		  "milestones", "description", "Joint review", "body_id", 3, "target_date", "2028-01-31", "description", "Profiles",
		  "body_id", 4, "wg_id", 8, "target_date", "2029-06-30");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	assert_int_equal(approvals_with(r.json, "committee", 3), 1);
	assert_int_equal(approvals_with(r.json, "committee", 4), 1); /* the affected committee */
	assert_int_equal(approvals_with(r.json, "partner", 0), 1);
	assert_int_equal(approvals_with(r.json, "board", 0), 0);
	resp_free(&r);
	pass_alliance(id);
	long long b = amendment_ballot(id, 4);
	vote_all(b, TC_VOTERS, "yes");
	assert_string_equal(amendment_status(id, aid), "pending");
	char tail[96];
	snprintf(tail, sizeof(tail), "/amendments/%lld/accept", aid);
	r = as(&S, SAM, "POST", wpath(id, tail), NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_string_equal(amendment_status(id, aid), "applied");
	last_change_says(id, "Later profiles");
}

static void test_R29_scope_extensions_need_the_board_and_the_partner(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = amend(OWNER, id, "{ss ss s{ss}}", "class", "other", "summary", "Wider", "changes", "scope", "Storage and networking");
	expect_rule(r, 409, "R29");
	resp_free(&r);
	r = amend(OWNER, id, "{ss ss s{ss}}", "class", "scope", "summary", "Wider", "changes", "scope", "Storage and networking");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	assert_int_equal(approvals_with(r.json, "committee", 3), 1);
	assert_int_equal(approvals_with(r.json, "board", 0), 1);
	assert_int_equal(approvals_with(r.json, "partner", 0), 1);
	resp_free(&r);
	assert_int_equal(amendment_ballot(id, 1), 0); /* the Board after the committee */
	pass_alliance(id);
	long long b = amendment_ballot(id, 1);
	assert_true(b > 0);
	vote_all(b, BOARD_VOTERS, "no");
	assert_string_equal(amendment_status(id, aid), "rejected");
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "scope"), "Storage *management*"); /* unchanged */
	resp_free(&r);
}

static void test_R30_removal_when_the_partner_disbands(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = step(VP, id, "recommend-removal", "{ss}", "reason", "bored");
	expect_rule(r, 400, "R30");
	resp_free(&r);
	r = step(VP, id, "recommend-removal", "{ss ss}", "reason", "disbanded", "detail", "SNIA dissolved");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "removal_proposed");
	resp_free(&r);
	assert_true(outbox_has(id, "removal.recommended", "board@dmtf.example"));
	ok_step(BOARD, id, "cancel-removal");
	assert_string_equal(status_of(id), "established");
}

static void test_R31_stagnation_detected_from_milestone_progress(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = step(OWNER, id, "recommend-removal", "{ss}", "reason", "not_maintained");
	expect_rule(r, 403, "R31");
	resp_free(&r);
	r = step(BOARD, id, "recommend-removal", "{ss}", "reason", "stagnated");
	expect_rule(r, 409, "R31"); /* progress is recent */
	resp_free(&r);
	S.now += 740 * DAY;
	r = as(&S, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
	resp_free(&r);
	assert_true(outbox_has(id, "wr.stagnant", "vp@dmtf.example"));
	r = step(BOARD, id, "recommend-removal", "{ss}", "reason", "stagnated");
	expect_status(r, 200);
	resp_free(&r);
}

static void test_R32_dissolution_when_every_deliverable_is_complete(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = step(VP, id, "recommend-removal", "{ss}", "reason", "dissolution");
	expect_rule(r, 409, "R32");
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	char tail[96];
	snprintf(tail, sizeof(tail), "/milestones/%lld/progress", jint(r.json, "milestones.0.id"));
	resp_free(&r);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{ss}", "status", "complete");
	expect_status(r, 200);
	resp_free(&r);
	r = step(VP, id, "recommend-removal", "{ss}", "reason", "dissolution");
	expect_status(r, 200);
	resp_free(&r);
	ok_step(BOARD, id, "schedule-removal");
	long long b = ballot_of(id, 1);
	vote_all(b, BOARD_VOTERS, "yes");
	assert_string_equal(status_of(id), "dissolved");
}

static void test_R33_removal_requires_the_board(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = step(VP, id, "recommend-removal", "{ss}", "reason", "not_maintained");
	resp_free(&r);
	r = as(&S, VP, "POST", wpath(id, "/removal-passed"), NULL);
	expect_status(r, 404); /* no way around the Board */
	resp_free(&r);
	ok_step(BOARD, id, "schedule-removal");
	long long b = ballot_of(id, 1);
	vote_all(b, BOARD_VOTERS, "no");
	assert_string_equal(status_of(id), "established"); /* the Board said no */
	r = step(VP, id, "recommend-removal", "{ss}", "reason", "not_maintained");
	resp_free(&r);
	ok_step(BOARD, id, "schedule-removal");
	b = ballot_of(id, 1);
	vote_all(b, BOARD_VOTERS, "yes");
	assert_string_equal(status_of(id), "removed");
	r = as(&S, VP, "GET", wpath(id, "/actions"), NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0); /* final */
	resp_free(&r);
}

static void test_R50_change_history_and_versions(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = as(&S, VP, "GET", wpath(id, "/history"), NULL);
	json_t *items = json_object_get(r.json, "items");
	size_t n = json_array_size(items);
	assert_true(n >= 5);
	assert_string_equal(jstr(json_array_get(items, 0), "summary"), "Proposed");
	assert_non_null(strstr(jstr(json_array_get(items, n - 1), "summary"), "accepted by the partner"));
	/* labelled as the seed's Appendix A: the proposal 0.1.0, edits a
	 * letter on it, each step the next number, established 1.0.0 */
	assert_string_equal(jstr(json_array_get(items, 0), "version"), "0.1.0");
	assert_string_equal(jstr(json_array_get(items, 1), "version"), "0.1.0a"); /* a milestone added */
	assert_string_equal(jstr(json_array_get(items, 2), "version"), "0.1.0b");
	assert_string_equal(jstr(json_array_get(items, n - 1), "version"), "1.0.0");
	for (size_t i = 1; i < n; i++) {
		const char *v = jstr(json_array_get(items, i), "version"), *sum = jstr(json_array_get(items, i), "summary");
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(jstr(json_array_get(items, k), "version"), v);
		if (strstr(sum, "(R")) /* a step of the process: a number, no letter */
			assert_true(strchr("0123456789", v[strlen(v) - 1]) != NULL);
	}
	/* every step that changed what the WR is left a version: socialized,
	 * frozen and balloted, approved by the committees and the Board, the
	 * resolution recorded, sent to the partner */
	static const char *const steps[] = { "(R15)", "(R17)", "(R4)", "(R19)", "(R7)", "(R20)" };
	for (size_t k = 0; k < sizeof(steps) / sizeof(*steps); k++) {
		int seen = 0;
		for (size_t i = 0; i < n; i++)
			seen |= strstr(jstr(json_array_get(items, i), "summary"), steps[k]) != NULL;
		if (!seen)
			fail_msg("no version in the history for the step %s", steps[k]);
	}
	for (size_t i = 0; i < n; i++) {
		assert_non_null(jstr(json_array_get(items, i), "date"));
		assert_non_null(jstr(json_array_get(items, i), "author"));
	}
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, "/versions/1"), NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "snapshot"), "milestones")), 0);
	resp_free(&r);
	/* a past version read by its label */
	r = as(&S, VP, "GET", wpath(id, "/versions/0.1.0a"), NULL);
	expect_status(r, 200);
	assert_int_equal(jint(r.json, "revision"), 2);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "snapshot"), "milestones")), 1);
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, "/versions/9.9.9"), NULL);
	expect_status(r, 404);
	resp_free(&r);
	/* the WR carries its label; a regular review is a step (R27) */
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "version_label"), "1.0.0");
	resp_free(&r);
	ok_step(OWNER, id, "record-review");
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "version_label"), "1.0.1");
	resp_free(&r);
}

/* ---- the rest of the process ---- */

static void test_ballot_closes_by_deadline_and_early(void **state)
{
	(void)state;
	long long id = draft(0);
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	long long b = ballot_of(id, 3);
	ok_vote(CHAIR, b, "yes");
	struct resp r = vote(CHAIR, b, "abstain", NULL); /* a vote may change while open */
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "my_vote.choice"), "abstain");
	assert_string_equal(jstr(r.json, "status"), "open");
	resp_free(&r);
	ok_vote(VP, b, "yes");
	S.now += 15 * DAY; /* past the Alliance Committee's two weeks */
	r = as(&S, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
	expect_status(r, 200);
	assert_true(jint(r.json, "ballots_closed") >= 1);
	resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld", b);
	r = as(&S, VP, "GET", path, NULL);
	assert_string_equal(jstr(r.json, "status"), "passed"); /* 2 of 3 voted: quorum; 1 yes, 0 no */
	assert_string_equal(jstr(r.json, "closed_how"), "deadline");
	assert_int_equal(jint(r.json, "tally.abstain"), 1);
	assert_int_equal(jint(r.json, "tally.yes"), 1);
	resp_free(&r);
	r = vote(OWNER, b, "yes", NULL);
	expect_status(r, 409); /* a closed ballot never changes */
	resp_free(&r);
	/* early: a second draft whose voters all vote */
	long long id2 = draft(0);
	ok_step(OWNER, id2, "socialize");
	ok_step(OWNER, id2, "submit");
	b = ballot_of(id2, 3);
	vote_all(b, AC_VOTERS, "yes");
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld", b);
	r = as(&S, CHAIR, "GET", path, NULL);
	assert_string_equal(jstr(r.json, "status"), "passed");
	assert_string_equal(jstr(r.json, "closed_how"), "every eligible voter voted");
	assert_int_equal(json_array_size(json_object_get(r.json, "votes")), 3); /* the body sees who voted how */
	resp_free(&r);
	r = as(&S, TC, "GET", path, NULL);
	expect_status(r, 403); /* not a voter, not the body */
	resp_free(&r);
	r = as(&S, SAM, "GET", path, NULL);
	expect_status(r, 403);
	resp_free(&r);
}

/* Hundreds of simultaneous casts: one vote each, the tally exact. */
#define VOTERS 150
static long long big_ballot;
static char voter_tokens[VOTERS][80];
static pthread_barrier_t barrier;
static long statuses[VOTERS * 2];

static void *cast(void *arg)
{
	long i = (long)arg;
	char path[64], body[64];
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld/votes", big_ballot);
	snprintf(body, sizeof(body), "{\"choice\":\"%s\"}", i % 3 ? "yes" : "abstain");
	pthread_barrier_wait(&barrier);
	struct resp r = req(&S, "POST", path, voter_tokens[i % VOTERS], body, NULL);
	statuses[i] = r.status;
	resp_free(&r);
	return NULL;
}

static void test_concurrent_votes_count_once(void **state)
{
	(void)state;
	struct resp r = as(&S, ADMIN, "POST", "/api/v1/bodies", "{ss ss}", "name", "Big Committee", "kind", "committee");
	long long body = jint(r.json, "id");
	resp_free(&r);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/bodies/%lld/members", body);
	r = as(&S, ADMIN, "POST", path, "{si ss}", "person_id", 2, "role", "observer");
	resp_free(&r);
	for (int i = 0; i < VOTERS; i++) {
		char email[64], name[32];
		snprintf(email, sizeof(email), "voter%d@dmtf.example", i);
		snprintf(name, sizeof(name), "Voter %d", i);
		r = as(&S, ADMIN, "POST", "/api/v1/people", "{ss ss si}", "name", name, "email", email, "org_id", 1);
		expect_status(r, 201);
		long long pid = jint(r.json, "id");
		resp_free(&r);
		r = as(&S, ADMIN, "POST", path, "{sI ss}", "person_id", (json_int_t)pid, "role", i ? "voting" : "chair");
		expect_status(r, 201);
		resp_free(&r);
		char out[128];
		assert_int_equal(cli(&S, out, sizeof(out), "token create --email %s", email), 0);
		out[strcspn(out, "\n")] = '\0';
		snprintf(voter_tokens[i], sizeof(voter_tokens[i]), "%.79s", out);
	}
	long long id = draft(0);
	r = as(&S, OWNER, "POST", wpath(id, "/milestones"), "{ss sI ss}", "description", "Big work", "body_id", (json_int_t)body,
	       "target_date", "2028-03-31");
	expect_status(r, 201);
	resp_free(&r);
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	char b[64];
	snprintf(b, sizeof(b), "{\"body_id\":%lld}", body);
	r = req(&S, "POST", wpath(id, "/open-ballot"), voter_tokens[0], b, NULL); /* its chair opens it */
	expect_status(r, 200);
	resp_free(&r);
	big_ballot = ballot_of(id, (int)body);
	assert_true(big_ballot > 0);
	/* every voter sends two casts at once: 300 simultaneous requests */
	pthread_t th[VOTERS * 2];
	pthread_barrier_init(&barrier, NULL, VOTERS * 2);
	for (long i = 0; i < VOTERS * 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, cast, (void *)i), 0);
	for (int i = 0; i < VOTERS * 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (int i = 0; i < VOTERS * 2; i++)
		assert_true(statuses[i] == 200 || statuses[i] == 409); /* 409: closed once everyone voted */
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld", big_ballot);
	r = as(&S, VP, "GET", path, NULL);
	assert_string_equal(jstr(r.json, "status"), "passed");
	assert_int_equal(jint(r.json, "tally.cast"), VOTERS);
	assert_int_equal(jint(r.json, "tally.eligible"), VOTERS);
	assert_int_equal(jint(r.json, "tally.abstain"), VOTERS / 3);
	assert_int_equal(jint(r.json, "tally.yes"), VOTERS - VOTERS / 3);
	assert_int_equal(json_array_size(json_object_get(r.json, "votes")), VOTERS);
	resp_free(&r);
}

/* The kind of the person's task about ballot b, or "" when none. */
static const char *my_task_of(const char *who, long long b)
{
	static char kind[32];
	struct resp r = as(&S, who, "GET", "/api/v1/me/tasks", NULL);
	json_t *items = json_object_get(r.json, "items");
	kind[0] = '\0';
	for (size_t i = 0; i < json_array_size(items); i++)
		if (jint(json_array_get(items, i), "ballot_id") == b)
			snprintf(kind, sizeof(kind), "%s", jstr(json_array_get(items, i), "kind"));
	resp_free(&r);
	return kind;
}

static void test_my_tasks(void **state)
{
	(void)state;
	long long id = draft(0);
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	struct resp r = as(&S, CHAIR, "GET", "/api/v1/me/tasks", NULL);
	json_t *items = json_object_get(r.json, "items");
	int found = 0;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		if (!strcmp(jstr(it, "kind"), "vote") && jint(it, "wr_id") == id)
			found = jstr(it, "deadline") != NULL;
	}
	assert_true(found);
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/me/tasks", NULL);
	expect_status(r, 200);
	items = json_object_get(r.json, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_string_not_equal(jstr(json_array_get(items, i), "kind"), "vote");
	resp_free(&r);
	/* me/tasks reads the person's bodies' ballots, not every ballot: a
	 * vote cast turns the task into "ballot_voted", and a seat that ended
	 * after the ballot opened still leaves the vote to cast (eligibility
	 * is copied at opening) */
	long long b = ballot_of(id, 3);
	assert_string_equal(my_task_of(OWNER, b), "vote");
	ok_vote(OWNER, b, "yes");
	assert_string_equal(my_task_of(OWNER, b), "ballot_voted");
	r = as(&S, ADMIN, "GET", "/api/v1/bodies/3/members", NULL);
	long long seat = 0;
	items = json_object_get(r.json, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		if (jint(json_array_get(items, i), "person_id") == 2) /* the VP's Alliance Committee seat */
			seat = jint(json_array_get(items, i), "id");
	resp_free(&r);
	seat_ends(seat, 1);
	assert_string_equal(my_task_of(VP, b), "vote");
	seat_ends(seat, 0);
	/* in pages: a limit, a cursor that continues, a total; a cursor of
	 * another kind is refused */
	r = as(&S, OWNER, "GET", "/api/v1/me/tasks?limit=1", NULL);
	expect_status(r, 200);
	long long total = jint(r.json, "total");
	assert_true(total >= 2);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	char next[128];
	snprintf(next, sizeof(next), "/api/v1/me/tasks?limit=200&cursor=%s", jstr(r.json, "next_cursor"));
	resp_free(&r);
	r = as(&S, OWNER, "GET", next, NULL);
	expect_status(r, 200);
	assert_int_equal((long long)json_array_size(json_object_get(r.json, "items")), total - 1);
	assert_true(json_is_null(json_object_get(r.json, "next_cursor")));
	resp_free(&r);
	/* pages of one, followed to the end, are the whole list in its order:
	 * across the WRs', the ballots' and the hand-offs' parts */
	char whole[4096] = "", paged[4096] = "", path2[128] = "/api/v1/me/tasks?limit=200";
	r = as(&S, OWNER, "GET", path2, NULL);
	for (size_t i = 0; i < json_array_size(json_object_get(r.json, "items")); i++) {
		json_t *it = json_array_get(json_object_get(r.json, "items"), i);
		snprintf(whole + strlen(whole), sizeof(whole) - strlen(whole), "%s:%lld:%lld ", jstr(it, "kind"), jint(it, "wr_id"),
			 jint(it, "ballot_id"));
	}
	resp_free(&r);
	snprintf(path2, sizeof(path2), "/api/v1/me/tasks?limit=1");
	for (int k = 0; k < 100; k++) {
		r = as(&S, OWNER, "GET", path2, NULL);
		expect_status(r, 200);
		for (size_t i = 0; i < json_array_size(json_object_get(r.json, "items")); i++) {
			json_t *it = json_array_get(json_object_get(r.json, "items"), i);
			snprintf(paged + strlen(paged), sizeof(paged) - strlen(paged), "%s:%lld:%lld ", jstr(it, "kind"),
				 jint(it, "wr_id"), jint(it, "ballot_id"));
		}
		const char *nc = jstr(r.json, "next_cursor");
		if (!nc) {
			resp_free(&r);
			break;
		}
		snprintf(path2, sizeof(path2), "/api/v1/me/tasks?limit=1&cursor=%s", nc);
		resp_free(&r);
	}
	assert_string_equal(paged, whole);
	assert_non_null(strstr(whole, "vote")); /* the ballots' part is in it */
	r = as(&S, OWNER, "GET", "/api/v1/me/tasks?cursor=c5", NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "cursor");
	resp_free(&r);
	/* the VP's own: WR 2 of the demo waits for an owner (R11) */
	r = as(&S, VP, "GET", "/api/v1/me/tasks", NULL);
	items = json_object_get(r.json, "items");
	found = 0;
	for (size_t i = 0; i < json_array_size(items); i++)
		found |= !strcmp(jstr(json_array_get(items, i), "kind"), "assign_owner") && jint(json_array_get(items, i), "wr_id") == 2;
	assert_true(found);
	resp_free(&r);
}

static void test_process_table_served_and_actions_explained(void **state)
{
	(void)state;
	struct resp r = as(&S, SAM, "GET", "/api/v1/process", NULL);
	expect_status(r, 200);
	assert_true(json_array_size(json_object_get(r.json, "steps")) >= 20);
	resp_free(&r);
	long long id = draft(0);
	r = as(&S, SAM, "GET", wpath(id, "/actions"), NULL);
	json_t *items = json_object_get(r.json, "items");
	int refused = 0;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		if (!strcmp(jstr(it, "action"), "wr.socialize")) {
			assert_false(json_is_true(json_object_get(it, "allowed")));
			assert_string_equal(jstr(it, "reason_rule"), "R15");
			refused = 1;
		}
	}
	assert_true(refused);
	resp_free(&r);
}

static void test_notification_rules_are_data(void **state)
{
	(void)state;
	struct resp r = as(&S, VP, "POST", "/api/v1/notification-rules", "{ss ss}", "event", "wr.socialized", "role", "board");
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/notification-rules", "{ss ss}", "event", "wr.socialized", "role", "board");
	expect_status(r, 201);
	long long rule = jint(r.json, "id");
	resp_free(&r);
	long long id = draft(0);
	ok_step(OWNER, id, "socialize");
	assert_true(outbox_has(id, "wr.socialized", "board@dmtf.example"));
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/notification-rules/%lld", rule);
	r = as(&S, ADMIN, "DELETE", path, NULL);
	expect_status(r, 204);
	resp_free(&r);
	long long id2 = draft(0);
	ok_step(OWNER, id2, "socialize");
	assert_false(outbox_has(id2, "wr.socialized", "board@dmtf.example"));
}

/* ---- issue 21: defects a rule-by-rule audit reproduced, each shown
 * first, then mended ---- */

/* R23 (issue 21, 2): "significant" sends any change but the contacts'
 * (R24) to the Board, and the Originating Committee's chair reclassifies a
 * deliverables change as well as an "other" one. */
static void test_issue21_a_significant_deliverables_change_goes_to_the_board(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = amend(OWNER, id, "{ss sb ss s{ss}}", "class", "deliverables", "significant", 1, "summary", "New deliverables",
			      "changes", "deliverables", "- profiles\n- a storage schema");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	assert_int_equal(approvals_with(r.json, "board", 0), 1);
	resp_free(&r);
	char tail[96];
	snprintf(tail, sizeof(tail), "/amendments/%lld/classify", aid);
	r = as(&S, CHAIR, "POST", wpath(id, tail), "{sb}", "significant", 0);
	expect_status(r, 200);
	assert_int_equal(approvals_with(r.json, "board", 0), 0);
	resp_free(&r);
	r = amend(SAM, id, "{ss sb ss s{s[{ss ss ss}]}}", "class", "contacts", "significant", 1, "summary", "New rep", "changes",
		  "contacts", "name", "Sam Patel", "email", "sam2@snia.example", "role", "board_rep");
	expect_rule(r, 400, "R24"); /* a contacts change never needs the Board */
	assert_string_equal(jstr(r.json, "field"), "significant");
	resp_free(&r);
}

/* Issue 21, 7 and 17: the removal of a WR ends what is pending on it: its
 * amendment is rejected and the amendment's ballot takes no more votes. */
static void test_issue21_removal_ends_the_pending_amendments(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = amend(OWNER, id, "{ss ss s{ss}}", "class", "other", "summary", "Retitle", "changes", "title", "Never applied");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	resp_free(&r);
	long long ab = amendment_ballot(id, 3);
	assert_true(ab > 0);
	ok_vote(CHAIR, ab, "yes");
	r = step(VP, id, "recommend-removal", "{ss}", "reason", "not_maintained");
	expect_status(r, 200);
	resp_free(&r);
	ok_step(BOARD, id, "schedule-removal");
	vote_all(ballot_of(id, 1), BOARD_VOTERS, "yes");
	assert_string_equal(status_of(id), "removed");
	assert_string_equal(amendment_status(id, aid), "rejected");
	r = vote(VP, ab, "yes", NULL);
	expect_status(r, 409); /* the amendment's ballot was cancelled with it */
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_not_equal(jstr(r.json, "title"), "Never applied");
	resp_free(&r);
}

/* R1 (issue 21, 11): an observer of the Alliance Committee is no member
 * for R1; a voting member is. */
static void test_issue21_an_observer_cannot_own_a_work_register(void **state)
{
	(void)state;
	struct resp r = as(&S, ADMIN, "POST", "/api/v1/bodies/3/members", "{si ss}", "person_id", 7, "role", "observer");
	expect_status(r, 201);
	long long seat = jint(r.json, "id");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/work-registers", "{si ss si}", "partner_id", 2, "title", "Owned by an observer", "owner_id", 7);
	expect_rule(r, 409, "R1");
	assert_string_equal(jstr(r.json, "field"), "owner_id");
	resp_free(&r);
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/bodies/3/members/%lld", seat);
	r = as(&S, ADMIN, "PATCH", path, "{ss}", "role", "voting");
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/work-registers", "{si ss si}", "partner_id", 2, "title", "Owned by a member", "owner_id", 7);
	expect_status(r, 201);
	resp_free(&r);
	seat_ends(seat, 1);
}

/* R7 (issue 21, 15): a Board approval is not dated in the future. */
static void test_issue21_no_approval_date_still_to_come(void **state)
{
	(void)state;
	long long id = draft(0);
	approve_committees(id, 0);
	approve_board(id);
	char tomorrow[16];
	time_t t = (time_t)(S.now + DAY);
	strftime(tomorrow, sizeof(tomorrow), "%Y-%m-%d", gmtime(&t));
	struct resp r = step(VP, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED, in advance", "approval_date", tomorrow);
	expect_rule(r, 409, "R7");
	assert_string_equal(jstr(r.json, "field"), "approval_date");
	resp_free(&r);
	r = step(VP, id, "record-resolution", "{ss ss}", "resolution", "RESOLVED", "approval_date", today());
	expect_status(r, 200);
	resp_free(&r);
}

/* R28, R31 (issue 21, 5): progress records what happened: no deliverable
 * dropped, no completion dated in the future; a completion today is. */
static void test_issue21_progress_records_what_happened(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = as(&S, VP, "GET", wpath(id, ""), NULL);
	char tail[96];
	snprintf(tail, sizeof(tail), "/milestones/%lld/progress", jint(r.json, "milestones.0.id"));
	resp_free(&r);
	r = as(&S, SAM, "POST", wpath(id, tail), "{ss}", "status", "dropped");
	expect_rule(r, 400, "R28");
	resp_free(&r);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{ss ss}", "status", "complete", "completed_date", "2999-01-01");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "completed_date");
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_not_equal(jstr(r.json, "milestones.0.status"), "complete"); /* nothing kept */
	resp_free(&r);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{ss ss}", "status", "complete", "completed_date", today());
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "completed_date"), today());
	resp_free(&r);
}

/* Issue 21, 21: comments are taken while the draft is balloted (voters
 * ask questions), not once it is approved. */
static void test_issue21_comments_during_a_ballot(void **state)
{
	(void)state;
	long long id = draft(0);
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	struct resp r = as(&S, CHAIR, "POST", wpath(id, "/comments"), "{ss}", "text", "Does milestone 1 include the profiles?");
	expect_status(r, 201);
	resp_free(&r);
	char bpath[64];
	snprintf(bpath, sizeof(bpath), "/api/v1/ballots/%lld", ballot_of(id, 3));
	r = as(&S, VP, "GET", bpath, NULL); /* shown to the voters, with the ballot */
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "comments")), 1);
	assert_string_equal(jstr(r.json, "comments.0.text"), "Does milestone 1 include the profiles?");
	resp_free(&r);
	vote_all(ballot_of(id, 3), AC_VOTERS, "yes");
	assert_string_equal(status_of(id), "committee_approved");
	r = as(&S, CHAIR, "POST", wpath(id, "/comments"), "{ss}", "text", "Too late");
	expect_status(r, 409);
	resp_free(&r);
}

/* R13 (issue 21): If-Match compares strongly (RFC 9110): a weak ETag
 * changes nothing. */
static void test_issue21_a_weak_if_match_matches_nothing(void **state)
{
	(void)state;
	long long id = draft(0);
	char etag[64], weak[80];
	etag_of(&S, OWNER, wpath(id, ""), etag);
	snprintf(weak, sizeof(weak), "W/%s", etag);
	struct resp r = as_if(&S, OWNER, "PATCH", wpath(id, ""), weak, "{ss}", "title", "Weakly edited");
	expect_status(r, 412);
	assert_string_equal(jstr(r.json, "field"), "If-Match");
	resp_free(&r);
	r = as_if(&S, OWNER, "PATCH", wpath(id, ""), etag, "{ss}", "title", "Strongly edited");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "title"), "Strongly edited");
	resp_free(&r);
}

/* Issue 21, 10: a WR whose committee has no voting members is not stuck:
 * the refusal to open its ballot names the body and who can seat it, and
 * the VP of Alliances withdraws it (its open ballots cancelled); the
 * owner cannot once it is balloted. */
static void test_issue21_a_stuck_register_can_be_withdrawn(void **state)
{
	(void)state;
	struct resp r = as(&S, ADMIN, "POST", "/api/v1/bodies", "{ss ss}", "name", "Empty Committee", "kind", "committee");
	expect_status(r, 201);
	long long empty = jint(r.json, "id");
	resp_free(&r);
	long long id = draft(0);
	r = as(&S, OWNER, "POST", wpath(id, "/milestones"), "{ss si ss}", "description", "Nobody votes", "body_id", (int)empty, "target_date",
	       "2029-03-31");
	expect_status(r, 201);
	resp_free(&r);
	ok_step(OWNER, id, "socialize");
	ok_step(OWNER, id, "submit");
	long long ac = ballot_of(id, 3);
	assert_true(ac > 0);
	r = step(VP, id, "open-ballot", "{si}", "body_id", (int)empty);
	expect_status(r, 409);
	assert_non_null(strstr(jstr(r.json, "detail"), "Empty Committee"));
	assert_non_null(strstr(jstr(r.json, "detail"), "administrator seats them"));
	resp_free(&r);
	r = step(OWNER, id, "withdraw", "{ss}", "note", "stuck");
	expect_status(r, 403);
	resp_free(&r);
	r = step(VP, id, "withdraw", "{ss}", "note", "the Empty Committee has no members");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "withdrawn");
	resp_free(&r);
	assert_int_equal(ballot_of(id, 3), 0); /* the Alliance Committee's ballot was cancelled */
}

/* R8, R11, R1 (issue 21, 9): the VP replaces an owner at any stage, with
 * an active voting member of the Alliance Committee; recorded as a
 * version. */
static void test_issue21_the_vp_replaces_an_owner(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = step(OWNER, id, "replace-owner", "{si}", "owner_id", 4);
	expect_status(r, 403);
	resp_free(&r);
	r = step(VP, id, "replace-owner", "{si}", "owner_id", 8);
	expect_rule(r, 409, "R1"); /* a partner's representative is no Alliance Committee member */
	resp_free(&r);
	r = step(VP, id, "replace-owner", "{si ss}", "owner_id", 4, "note", "owner@ moved on");
	expect_status(r, 200);
	assert_int_equal(jint(r.json, "owner_id"), 4);
	assert_string_equal(jstr(r.json, "status"), "established");
	resp_free(&r);
	last_change_says(id, "replaces the owner");
}

/* R13, R22 (issue 21, 1): two amendments drafted on the same revision:
 * the second, once the first changed the same section, is refused with
 * the conflict shown, never applied over it; one that changes another
 * section still applies. */
static void test_issue21_amendments_never_overwrite_each_other(void **state)
{
	(void)state;
	long long id = established(0);
	struct resp r = amend(SAM, id, "{ss ss s{ss}}", "class", "other", "summary", "Title A", "changes", "title", "Title A");
	expect_status(r, 201);
	long long a1 = jint(r.json, "id");
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{ss}}", "class", "other", "summary", "Title B", "changes", "title", "Title B");
	expect_status(r, 201);
	long long a2 = jint(r.json, "id");
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{ss}}", "class", "other", "summary", "Benefits", "changes", "benefits", "Shared models");
	expect_status(r, 201);
	long long a3 = jint(r.json, "id");
	resp_free(&r);
	vote_all(ballot_of_amendment(id, 3, a1), AC_VOTERS, "yes");
	assert_string_equal(amendment_status(id, a1), "applied");
	vote_all(ballot_of_amendment(id, 3, a2), AC_VOTERS, "yes");
	assert_string_equal(amendment_status(id, a2), "rejected"); /* not a silent overwrite */
	char tail[64];
	snprintf(tail, sizeof(tail), "/amendments/%lld", a2);
	r = as(&S, VP, "GET", wpath(id, tail), NULL);
	assert_non_null(strstr(jstr(r.json, "decision"), "conflict: title changed since revision"));
	resp_free(&r);
	vote_all(ballot_of_amendment(id, 3, a3), AC_VOTERS, "yes");
	assert_string_equal(amendment_status(id, a3), "applied"); /* another section: no conflict */
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "title"), "Title A");
	assert_string_equal(jstr(r.json, "benefits"), "Shared models");
	resp_free(&r);
}

/* R31 (issue 21, 6): applying an amendment keeps the progress of the
 * milestones it keeps, so a WR that progressed does not show as stagnant. */
static void test_issue21_an_amendment_keeps_the_progress_of_milestones(void **state)
{
	(void)state;
	long long id = established(0);
	S.now += 600 * DAY;
	struct resp r = as(&S, VP, "GET", wpath(id, ""), NULL);
	char tail[96];
	snprintf(tail, sizeof(tail), "/milestones/%lld/progress", jint(r.json, "milestones.0.id"));
	resp_free(&r);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{ss}", "status", "in_progress");
	expect_status(r, 200);
	char progressed[16];
	snprintf(progressed, sizeof(progressed), "%s", jstr(r.json, "progress_date"));
	resp_free(&r);
	r = amend(SAM, id, "{ss ss s{s[{ss si ss}]}}", "class", "deliverables", "summary", "Later review", "changes", "milestones",
		  "description", "Joint review", "body_id", 3, "target_date", "2031-01-31");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	resp_free(&r);
	vote_all(ballot_of_amendment(id, 3, aid), AC_VOTERS, "yes");
	assert_string_equal(amendment_status(id, aid), "applied");
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_string_equal(jstr(r.json, "milestones.0.target_date"), "2031-01-31");
	assert_string_equal(jstr(r.json, "milestones.0.progress_date"), progressed);
	assert_string_equal(jstr(r.json, "milestones.0.status"), "in_progress");
	resp_free(&r);
	S.now += 200 * DAY; /* 800 days after the establishment, 200 after the progress */
	r = step(BOARD, id, "recommend-removal", "{ss}", "reason", "stagnated");
	expect_rule(r, 409, "R31");
	resp_free(&r);
	S.now -= 800 * DAY;
}

/* R4, R28, R29 (issue 21, 3 and 4): the committees an amendment asks are
 * derived from the difference of the milestones, every field compared: a
 * working group moved asks its committee; a deliverables text that touches
 * no milestone asks none; a scope extension that brings a committee in
 * asks it too. */
static void test_issue21_approvers_from_the_difference_of_milestones(void **state)
{
	(void)state;
	long long id = established(1);
	struct resp r = amend(OWNER, id, "{ss ss s{s[{ss si ss}{ss si sn ss}]}}", "class", "deliverables", "summary", "No WG",
			      "changes", "milestones", "description", "Joint review", "body_id", 3, "target_date", "2028-01-31",
			      "description", "Profiles", "body_id", 4, "wg_id", "target_date", "2028-06-30");
	expect_status(r, 201);
	assert_int_equal(approvals_with(r.json, "committee", 4), 1); /* only the working group changed */
	long long a1 = jint(r.json, "id");
	resp_free(&r);
	r = amend(OWNER, id, "{ss ss s{ss}}", "class", "deliverables", "summary", "Text only", "changes", "deliverables", "- profiles, in 2029");
	expect_status(r, 201);
	assert_int_equal(approvals_with(r.json, "committee", 4), 0); /* touches no committee's milestone */
	assert_int_equal(approvals_with(r.json, "committee", 3), 1);
	long long a2 = jint(r.json, "id");
	resp_free(&r);
	r = amend(OWNER, id, "{ss ss s{s[{ss si ss}{ss si si ss}{ss si ss}]}}", "class", "scope", "summary", "Marketing joins", "changes",
		  "milestones", "description", "Joint review", "body_id", 3, "target_date", "2028-01-31", "description", "Profiles",
		  "body_id", 4, "wg_id", 8, "target_date", "2028-06-30", "description", "Joint announcement", "body_id", 5, "target_date",
		  "2028-09-30");
	expect_status(r, 201);
	assert_int_equal(approvals_with(r.json, "committee", 5), 1); /* the committee brought in (R29) */
	assert_int_equal(approvals_with(r.json, "committee", 4), 0);
	assert_int_equal(approvals_with(r.json, "board", 0), 1);
	long long a3 = jint(r.json, "id");
	resp_free(&r);
	long long ids[] = { a1, a2, a3 };
	for (int i = 0; i < 3; i++) { /* withdrawn: the next tests start clean */
		char tail[96];
		snprintf(tail, sizeof(tail), "/amendments/%lld/withdraw", ids[i]);
		r = as(&S, OWNER, "POST", wpath(id, tail), NULL);
		expect_status(r, 204);
		resp_free(&r);
	}
}

/* R43 (issue 21, 12): a change request carries the restrictions of its
 * WR's approved and accepted revision: those agreed before establishment
 * count; a later draft text, never balloted, does not. */
static void test_issue21_restrictions_of_the_approved_revision(void **state)
{
	(void)state;
	long long id = draft(0);
	char etag[64];
	etag_of(&S, OWNER, wpath(id, ""), etag);
	struct resp r = as_if(&S, OWNER, "PATCH", wpath(id, ""), etag, "{ss}", "feedback_restrictions", "Shared under the SNIA IP policy.");
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/dmtf-standards?limit=100", NULL);
	long long dsp = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(r.json, "items")); i++)
		if (!strcmp(jstr(json_array_get(json_object_get(r.json, "items"), i), "dsp"), "DSP0004"))
			dsp = jint(json_array_get(json_object_get(r.json, "items"), i), "id");
	assert_true(dsp > 0);
	resp_free(&r);
	r = as(&S, SAM, "POST", "/api/v1/change-requests", "{sI ss ss ss ss sb sI}", "dmtf_standard_id", (json_int_t)dsp, "standard_version",
	       "1.0", "problem", "p", "proposed_change", "c", "rationale", "r", "attests", 1, "wr_id", (json_int_t)id);
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "restrictions"), "free"); /* a draft's words: agreed by nobody yet */
	resp_free(&r);
	approve_committees(id, 0);
	approve_board(id);
	establish(id);
	r = as(&S, SAM, "POST", "/api/v1/change-requests", "{sI ss ss ss ss sb sI}", "dmtf_standard_id", (json_int_t)dsp, "standard_version",
	       "1.0", "problem", "p", "proposed_change", "c", "rationale", "r", "attests", 1, "wr_id", (json_int_t)id);
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "restrictions"), "wr_agreed");
	assert_non_null(strstr(jstr(r.json, "restrictions_text"), "SNIA IP policy"));
	resp_free(&r);
}

/* R7, R21 (issue 21, 8): an update the Board approved shows the newest
 * approval, not the adoption's; the adoption's stays in the history. */
static void test_issue21_an_update_carries_the_newest_board_approval(void **state)
{
	(void)state;
	long long id = established(0);
	S.now += 30 * DAY;
	struct resp r = amend(SAM, id, "{ss sb ss s{ss}}", "class", "other", "significant", 1, "summary", "Wider benefits", "changes",
			      "benefits", "Much wider");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	resp_free(&r);
	vote_all(ballot_of_amendment(id, 3, aid), AC_VOTERS, "yes");
	vote_all(ballot_of_amendment(id, 1, aid), BOARD_VOTERS, "yes");
	assert_string_equal(amendment_status(id, aid), "applied");
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	assert_non_null(strstr(jstr(r.json, "board_resolution"), "The Board approved amendment"));
	assert_string_equal(jstr(r.json, "board_approval_date"), today());
	resp_free(&r);
	r = as(&S, VP, "GET", wpath(id, "/versions/1.0.0"), NULL);
	expect_status(r, 200);
	assert_non_null(strstr(jstr(r.json, "snapshot.board_resolution"), "RESOLVED, that the Board approves"));
	resp_free(&r);
	S.now -= 30 * DAY;
}

/* R25 (issue 21): a significant milestone's completion is announced: the
 * VP of Alliances gets the task of coordinating it with the Marketing
 * Committee, whose chair is told; an ordinary milestone's is not. */
static void test_issue21_a_significant_milestone_is_announced(void **state)
{
	(void)state;
	long long id = draft(0);
	struct resp r = as(&S, OWNER, "POST", wpath(id, "/milestones"), "{ss si ss sb}", "description", "Storage schema released", "body_id",
			   3, "target_date", "2028-03-31", "significant", 1);
	expect_status(r, 201);
	long long big = jint(r.json, "id");
	resp_free(&r);
	approve_committees(id, 0);
	approve_board(id);
	establish(id);
	r = as(&S, VP, "GET", wpath(id, ""), NULL);
	long long small = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(r.json, "milestones")); i++)
		if (jint(json_array_get(json_object_get(r.json, "milestones"), i), "id") != big)
			small = jint(json_array_get(json_object_get(r.json, "milestones"), i), "id");
	resp_free(&r);
	char tail[96];
	snprintf(tail, sizeof(tail), "/milestones/%lld/progress", small);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{ss}", "status", "complete");
	expect_status(r, 200);
	resp_free(&r);
	json_t *items = tasks_of(id);
	assert_null(task_kind(items, "milestone_announcement")); /* not significant */
	json_decref(items);
	assert_false(outbox_has(id, "milestone.completed", "marketing@dmtf.example"));
	snprintf(tail, sizeof(tail), "/milestones/%lld/progress", big);
	r = as(&S, OWNER, "POST", wpath(id, tail), "{ss}", "status", "complete");
	expect_status(r, 200);
	resp_free(&r);
	items = tasks_of(id);
	json_t *t = task_kind(items, "milestone_announcement");
	assert_non_null(t);
	assert_int_equal(jint(t, "assignee_id"), 2); /* the VP of Alliances */
	assert_string_equal(jstr(t, "rule"), "R25");
	json_decref(items);
	assert_true(outbox_has(id, "milestone.completed", "marketing@dmtf.example"));
}

/* A Table 1 row with this AP identifier on WR id, as the owner asks it:
 * the answer's status. */
static int t1_try(long long id, const char *ap)
{
	struct resp r = as(&S, OWNER, "POST", wpath(id, "/standards"), "{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint", "standard_type",
			   "profile", "ap_id", ap, "description", "Profiles", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "partner",
			   "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	int status = r.status;
	if (status == 409)
		assert_string_equal(jstr(r.json, "rule"), "R38");
	resp_free(&r);
	return status;
}

/* R38 (issue 21, 19): an AP identifier is unique among the partner's live
 * WRs; a withdrawn or a removed WR releases its identifiers, and its rows
 * stay in its history. */
static void test_issue21_a_removed_register_releases_its_identifiers(void **state)
{
	(void)state;
	long long a = draft(0), b = draft(0);
	t1_row(a, "reuse-after-withdrawal", "Storage", 0);
	assert_int_equal(t1_try(b, "reuse-after-withdrawal"), 409);
	struct resp r = step(VP, a, "withdraw", "{ss}", "note", "superseded by another proposal");
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(t1_try(b, "reuse-after-withdrawal"), 201);
	json_t *kept = t1_of(a, "reuse-after-withdrawal"); /* history: the withdrawn WR keeps its row */
	assert_non_null(kept);
	assert_non_null(json_string_value(json_object_get(kept, "released_at")));
	assert_int_equal(t1_try(b, "reuse-after-withdrawal"), 409); /* live again, in b */

	long long c = draft(0);
	t1_row(c, "reuse-after-removal", "Storage", 0);
	approve_committees(c, 0);
	approve_board(c);
	establish(c);
	assert_int_equal(t1_try(b, "reuse-after-removal"), 409); /* an established WR holds it */
	r = step(VP, c, "recommend-removal", "{ss}", "reason", "not_maintained");
	expect_status(r, 200);
	resp_free(&r);
	ok_step(BOARD, c, "schedule-removal");
	assert_int_equal(t1_try(b, "reuse-after-removal"), 409); /* proposed for removal is not removed */
	vote_all(ballot_of(c, 1), BOARD_VOTERS, "yes");
	assert_string_equal(status_of(c), "removed");
	assert_int_equal(t1_try(b, "reuse-after-removal"), 201);
	assert_non_null(t1_of(c, "reuse-after-removal"));
}

static long long org_made(const char *name, const char *level)
{
	struct resp r = as(&S, ADMIN, "POST", "/api/v1/organizations", "{ss ss ss ss}", "name", name, "short_name", name, "kind", "member",
			   "membership_level", level);
	expect_status(r, 201);
	long long id = jint(r.json, "id");
	resp_free(&r);
	return id;
}

/* R10 (issue 21): a member company proposes only as a Board or Leadership
 * member (its level is data on the organization); host staff propose for
 * the host as before; an external proposal records the person and that
 * they act for its board. */
static void test_issue21_R10_who_proposes(void **state)
{
	(void)state;
	struct resp r = as(&S, ADMIN, "POST", "/api/v1/organizations", "{ss ss ss}", "name", "Levelless", "short_name", "LVL", "kind", "member");
	expect_rule(r, 400, "R10");
	assert_string_equal(jstr(r.json, "field"), "membership_level");
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/organizations", "{ss ss ss}", "name", "Partner with a level", "short_name", "PWL", "membership_level",
	       "board");
	expect_rule(r, 400, "R10");
	resp_free(&r);
	long long contoso = org_made("Contoso Systems", "board"), northwind = org_made("Northwind Labs", "leadership"),
		  fabrikam = org_made("Fabrikam", "participation");

	r = as(&S, TC, "POST", "/api/v1/work-registers", "{si ss sI}", "partner_id", 2, "title", "Fabrikam proposes", "proposer_org_id",
	       (json_int_t)fabrikam);
	expect_rule(r, 409, "R10");
	assert_non_null(strstr(jstr(r.json, "detail"), "participation"));
	resp_free(&r);
	r = as(&S, TC, "POST", "/api/v1/work-registers", "{si ss si}", "partner_id", 2, "title", "TGG is no member company", "proposer_org_id", 3);
	expect_rule(r, 409, "R10");
	resp_free(&r);
	long long by[2] = { contoso, northwind };
	long long wr = 0;
	for (int i = 0; i < 2; i++) {
		r = as(&S, TC, "POST", "/api/v1/work-registers", "{si ss sI}", "partner_id", 2, "title", "A member proposes", "proposer_org_id",
		       (json_int_t)by[i]);
		expect_status(r, 201);
		assert_string_equal(jstr(r.json, "proposed_by"), "member");
		assert_int_equal(jint(r.json, "proposer_org_id"), by[i]);
		assert_true(json_is_null(json_object_get(r.json, "proposer_for")));
		wr = jint(r.json, "id");
		resp_free(&r);
	}
	r = as_if(&S, VP, "PATCH", wpath(wr, ""), "\"rev-1\"", "{sI}", "proposer_org_id", (json_int_t)contoso);
	expect_rule(r, 403, "R10"); /* who proposed is history */
	assert_string_equal(jstr(r.json, "field"), "proposer_org_id");
	resp_free(&r);
	r = as(&S, TC, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "The host proposes");
	expect_status(r, 201);
	assert_int_equal(jint(r.json, "proposer_org_id"), 1); /* the host, as before */
	resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/organizations/%lld", fabrikam);
	r = as(&S, ADMIN, "PATCH", path, "{sn}", "membership_level");
	expect_rule(r, 400, "R10"); /* a member company keeps a level */
	resp_free(&r);
	r = as(&S, ADMIN, "PATCH", path, "{ss}", "membership_level", "board");
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, TC, "POST", "/api/v1/work-registers", "{si ss sI}", "partner_id", 2, "title", "Fabrikam, now a Board member",
	       "proposer_org_id", (json_int_t)fabrikam);
	expect_status(r, 201);
	resp_free(&r);

	/* an external proposal: the person, for the partner's board */
	r = as(&S, SAM, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "SNIA proposes");
	expect_status(r, 201);
	assert_int_equal(jint(r.json, "proposer_id"), 8);
	assert_int_equal(jint(r.json, "proposer_org_id"), 2);
	assert_string_equal(jstr(r.json, "proposer_for"), "board");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/work-registers", "{si ss ss}", "partner_id", 3, "title", "TGG's proposal", "proposed_by", "partner");
	expect_rule(r, 400, "R10");
	assert_string_equal(jstr(r.json, "field"), "proposer_id");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/work-registers", "{si ss ss si}", "partner_id", 3, "title", "TGG's proposal", "proposed_by", "partner",
	       "proposer_id", 8);
	expect_rule(r, 400, "R10"); /* Sam is SNIA's, not TGG's */
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/work-registers", "{si ss ss si}", "partner_id", 3, "title", "TGG's proposal", "proposed_by", "partner",
	       "proposer_id", 9);
	expect_status(r, 201);
	assert_int_equal(jint(r.json, "proposer_id"), 9);
	assert_string_equal(jstr(r.json, "proposer_for"), "board");
	resp_free(&r);
}

/* The server's day, n days after the test clock's now. */
static void day_after(int n, char out[11])
{
	time_t t = (time_t)(S.now + (int64_t)n * DAY);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Section 2.2 (issue 21): the owner delivers the draft in a timely manner:
 * the VP of Alliances sets its target date; the owner is reminded before
 * it, the VP told once when it passes; a draft that moved on hears no
 * more. */
static void test_issue21_a_draft_has_a_target_date(void **state)
{
	(void)state;
	int64_t saved = S.now;
	long long id = draft(0);
	char target[11], past[11];
	day_after(40, target);
	day_after(-1, past);
	char etag[64];
	etag_of(&S, VP, wpath(id, ""), etag);
	struct resp r = as_if(&S, OWNER, "PATCH", wpath(id, ""), etag, "{ss}", "drafting_target_date", target);
	expect_status(r, 403); /* set with the VP of Alliances, not by the owner alone */
	resp_free(&r);
	r = as_if(&S, VP, "PATCH", wpath(id, ""), etag, "{ss}", "drafting_target_date", past);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "drafting_target_date");
	resp_free(&r);
	r = as_if(&S, VP, "PATCH", wpath(id, ""), etag, "{ss}", "drafting_target_date", target);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "drafting_target_date"), target);
	resp_free(&r);

	r = as(&S, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(outbox_count(id, "drafting.due", OWNER), 0); /* 40 days left: no lead time reached */
	S.now += 15 * DAY; /* 25 days left: the 30-day reminder */
	for (int i = 0; i < 2; i++) {
		r = as(&S, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
		resp_free(&r);
	}
	assert_int_equal(outbox_count(id, "drafting.due", OWNER), 1); /* once */
	assert_int_equal(outbox_count(id, "drafting.overdue", VP), 0);
	S.now += 26 * DAY; /* a day after the target */
	for (int i = 0; i < 2; i++) {
		r = as(&S, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
		resp_free(&r);
	}
	assert_int_equal(outbox_count(id, "drafting.overdue", VP), 1);
	assert_int_equal(outbox_count(id, "drafting.overdue", OWNER), 1);

	/* another draft whose target passes after it went to socialization */
	S.now = saved;
	long long moved = draft(0);
	etag_of(&S, VP, wpath(moved, ""), etag);
	day_after(5, target);
	r = as_if(&S, VP, "PATCH", wpath(moved, ""), etag, "{ss}", "drafting_target_date", target);
	expect_status(r, 200);
	resp_free(&r);
	ok_step(OWNER, moved, "socialize");
	S.now += 10 * DAY;
	r = as(&S, ADMIN, "POST", "/api/v1/scheduler/run", NULL);
	resp_free(&r);
	assert_int_equal(outbox_count(moved, "drafting.overdue", VP), 0);
	S.now = saved;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R1_owner_is_an_active_alliance_committee_member),
		cmocka_unit_test(test_R2_originating_committee_defaults_to_the_alliance_committee),
		cmocka_unit_test(test_R3_adoption_needs_the_alliance_committee),
		cmocka_unit_test(test_R4_every_committee_with_milestones_approves),
		cmocka_unit_test(test_R5_board_after_committees_scheduled_by_the_executive),
		cmocka_unit_test(test_R6_working_groups_speak_through_their_chair),
		cmocka_unit_test(test_R7_resolution_and_date_recorded_before_sending),
		cmocka_unit_test(test_R8_the_vp_of_alliances_shepherds),
		cmocka_unit_test(test_R9_contacts_handed_off_on_establishment),
		cmocka_unit_test(test_R10_proposals_by_partners_or_member_companies),
		cmocka_unit_test(test_R11_the_vp_assigns_the_owner_of_an_external_proposal),
		cmocka_unit_test(test_R11_a_members_proposal_is_taken_up_when_its_owner_is_named),
		cmocka_unit_test(test_R12_the_template_is_complete_before_socialization),
		cmocka_unit_test(test_R13_concurrent_edits_never_overwrite),
		cmocka_unit_test(test_R14_completeness_call_requested_by_the_vp),
		cmocka_unit_test(test_R15_the_draft_goes_to_every_committee_and_working_group_chair),
		cmocka_unit_test(test_R16_feedback_routed_and_closed_out),
		cmocka_unit_test(test_R17_submission_ballots_the_frozen_draft_in_the_originating_committee),
		cmocka_unit_test(test_R18_parallel_ballots_at_the_chairs_discretion),
		cmocka_unit_test(test_R19_the_board_ballots_after_the_committees),
		cmocka_unit_test(test_R20_only_the_partners_acceptance_establishes),
		cmocka_unit_test(test_R21_approved_work_registers_are_public),
		cmocka_unit_test(test_R22_partner_changes_are_reballoted_in_the_originating_committee),
		cmocka_unit_test(test_R23_significant_changes_need_the_board),
		cmocka_unit_test(test_a_work_register_as_of_any_date),
		cmocka_unit_test(test_R24_contact_changes_need_the_originating_committee_only),
		cmocka_unit_test(test_R22_table1_changes_through_change_control),
		cmocka_unit_test(test_R25_announcement_coordinated_with_marketing),
		cmocka_unit_test(test_R26_updates_as_deliverables_complete),
		cmocka_unit_test(test_R27_reviewed_at_least_every_24_months),
		cmocka_unit_test(test_R28_deliverable_adjustments),
		cmocka_unit_test(test_R29_scope_extensions_need_the_board_and_the_partner),
		cmocka_unit_test(test_R30_removal_when_the_partner_disbands),
		cmocka_unit_test(test_R31_stagnation_detected_from_milestone_progress),
		cmocka_unit_test(test_R32_dissolution_when_every_deliverable_is_complete),
		cmocka_unit_test(test_R33_removal_requires_the_board),
		cmocka_unit_test(test_R50_change_history_and_versions),
		cmocka_unit_test(test_ballot_closes_by_deadline_and_early),
		cmocka_unit_test(test_concurrent_votes_count_once),
		cmocka_unit_test(test_my_tasks),
		cmocka_unit_test(test_process_table_served_and_actions_explained),
		cmocka_unit_test(test_notification_rules_are_data),
		cmocka_unit_test(test_issue21_a_significant_deliverables_change_goes_to_the_board),
		cmocka_unit_test(test_issue21_removal_ends_the_pending_amendments),
		cmocka_unit_test(test_issue21_an_observer_cannot_own_a_work_register),
		cmocka_unit_test(test_issue21_no_approval_date_still_to_come),
		cmocka_unit_test(test_issue21_progress_records_what_happened),
		cmocka_unit_test(test_issue21_comments_during_a_ballot),
		cmocka_unit_test(test_issue21_a_weak_if_match_matches_nothing),
		cmocka_unit_test(test_issue21_a_stuck_register_can_be_withdrawn),
		cmocka_unit_test(test_issue21_the_vp_replaces_an_owner),
		cmocka_unit_test(test_issue21_amendments_never_overwrite_each_other),
		cmocka_unit_test(test_issue21_an_amendment_keeps_the_progress_of_milestones),
		cmocka_unit_test(test_issue21_approvers_from_the_difference_of_milestones),
		cmocka_unit_test(test_issue21_restrictions_of_the_approved_revision),
		cmocka_unit_test(test_issue21_an_update_carries_the_newest_board_approval),
		cmocka_unit_test(test_issue21_a_significant_milestone_is_announced),
		cmocka_unit_test(test_issue21_a_removed_register_releases_its_identifiers),
		cmocka_unit_test(test_issue21_R10_who_proposes),
		cmocka_unit_test(test_issue21_a_draft_has_a_target_date),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
