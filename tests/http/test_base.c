/* Black-box tests of the base (issue "storage, accounts, organizations and
 * Work Register records"): a real server on a random loopback port, a fresh
 * demo database, requests over HTTP. Demo ids: organizations 1 DMTF, 2 SNIA,
 * 3 TGG; bodies 1 Board, 2 Executive, 3 Alliance, 4 Technical, 5 Marketing,
 * 6 Interoperability, 7 APWG, 8 a working group of the TC; WR 1 is SNIA's
 * draft, WR 2 TGG's proposal. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define SAM "sam@snia.example"
#define GRETA "greta@tgg.example"
#define ADMIN "admin@localhost"

static struct server S;

static int setup(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_finish(&S); /* a sanitizer report or an unclean stop fails the group */
}

static void test_healthz_needs_no_auth_and_api_does(void **state)
{
	(void)state;
	struct resp r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "ok");
	resp_free(&r);
	const char *paths[] = { "/api/v1/me", "/api/v1/organizations", "/api/v1/people", "/api/v1/bodies", "/api/v1/work-registers",
				"/api/v1/work-registers/1", "/api/v1/work-registers/1/versions", NULL };
	for (int i = 0; paths[i]; i++) {
		r = req(&S, "GET", paths[i], NULL, NULL, NULL);
		expect_status(r, 401);
		assert_string_equal(r.ctype, "application/problem+json");
		assert_int_equal(jint(r.json, "status"), 401);
		assert_non_null(jstr(r.json, "title"));
		resp_free(&r);
	}
	r = req(&S, "GET", "/api/v1/me", "ent_0000", NULL, NULL);
	expect_status(r, 401);
	resp_free(&r);
}

/* Sign in: a cookie, a CSRF token; writes need the token; sign out ends it. */
static void test_session_cookie_csrf_and_logout(void **state)
{
	(void)state;
	struct resp r = req(&S, "POST", "/api/v1/session", NULL, "{\"email\":\"VP@dmtf.example\",\"password\":\"demo-alliance\"}", NULL);
	expect_status(r, 201);
	assert_non_null(strstr(r.cookie, "HttpOnly"));
	assert_non_null(strstr(r.cookie, "SameSite=Lax"));
	char sid[80], cookie[120], csrf[120];
	assert_int_equal(sscanf(r.cookie, "entente_session=%79[0-9a-f]", sid), 1);
	snprintf(cookie, sizeof(cookie), "Cookie: entente_session=%s", sid);
	snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", jstr(r.json, "csrf_token"));
	assert_string_equal(jstr(r.json, "person.email"), "vp@dmtf.example");
	resp_free(&r);

	const char *h1[] = { cookie, NULL };
	r = req(&S, "GET", "/api/v1/me", NULL, NULL, h1);
	expect_status(r, 200);
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "roles"), "vp_alliances")));
	resp_free(&r);
	/* a change without the token, or with a wrong one, is refused */
	r = req(&S, "POST", "/api/v1/organizations", NULL, "{\"name\":\"CSRF Org\",\"short_name\":\"CSRF\"}", h1);
	expect_status(r, 403);
	assert_string_equal(jstr(r.json, "field"), "X-CSRF-Token");
	resp_free(&r);
	const char *bad[] = { cookie, "X-CSRF-Token: 00000000000000000000000000000000", NULL };
	r = req(&S, "POST", "/api/v1/organizations", NULL, "{\"name\":\"CSRF Org\",\"short_name\":\"CSRF\"}", bad);
	expect_status(r, 403);
	resp_free(&r);
	const char *good[] = { cookie, csrf, NULL };
	r = req(&S, "POST", "/api/v1/organizations", NULL, "{\"name\":\"CSRF Org\",\"short_name\":\"CSRF\"}", good);
	expect_status(r, 201);
	resp_free(&r);
	r = req(&S, "DELETE", "/api/v1/session", NULL, NULL, good);
	expect_status(r, 204);
	assert_non_null(strstr(r.cookie, "Max-Age=0"));
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/me", NULL, NULL, h1);
	expect_status(r, 401);
	resp_free(&r);
}

/* No user enumeration; throttling per account. */
static void test_login_failures_look_alike_and_are_throttled(void **state)
{
	(void)state;
	struct resp a = req(&S, "POST", "/api/v1/session", NULL, "{\"email\":\"nobody@x.org\",\"password\":\"whatever1\"}", NULL);
	struct resp b = req(&S, "POST", "/api/v1/session", NULL, "{\"email\":\"board@dmtf.example\",\"password\":\"wrong-pass\"}", NULL);
	expect_status(a, 401);
	expect_status(b, 401);
	assert_string_equal(jstr(a.json, "detail"), jstr(b.json, "detail"));
	resp_free(&a);
	resp_free(&b);
	long last = 0;
	for (int i = 0; i < 8; i++) {
		struct resp r = req(&S, "POST", "/api/v1/session", NULL, "{\"email\":\"tc@dmtf.example\",\"password\":\"wrong-pass\"}", NULL);
		last = r.status;
		if (r.status == 429) /* the back-off's seconds: 15 at first (THROTTLE_FIRST_WAIT) */
			assert_true(atoi(r.retry_after) >= 1 && atoi(r.retry_after) <= 15);
		resp_free(&r);
	}
	assert_int_equal(last, 429);
	/* even the right password waits now */
	struct resp r = req(&S, "POST", "/api/v1/session", NULL, "{\"email\":\"tc@dmtf.example\",\"password\":\"demo-alliance\"}", NULL);
	expect_status(r, 429);
	resp_free(&r);
}

static void test_revoked_token_and_disabled_account(void **state)
{
	(void)state;
	char out[200];
	assert_int_equal(cli(&S, out, sizeof(out), "token create --email marketing@dmtf.example --name t1"), 0);
	out[strcspn(out, "\n")] = '\0';
	struct resp r = req(&S, "GET", "/api/v1/me", out, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	char list[4000];
	assert_int_equal(cli(&S, list, sizeof(list), "token list --email marketing@dmtf.example --json"), 0);
	json_t *l = json_loads(list, 0, NULL);
	assert_non_null(l);
	long long id = jint(l, "items.0.id");
	json_decref(l);
	assert_int_equal(cli(&S, NULL, 0, "token revoke --id %lld", id), 0);
	r = req(&S, "GET", "/api/v1/me", out, NULL, NULL);
	expect_status(r, 401);
	resp_free(&r);

	const char *greta = token_for(&S, GRETA);
	r = req(&S, "GET", "/api/v1/me", greta, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(cli(&S, NULL, 0, "user disable --email greta@tgg.example"), 0);
	r = req(&S, "GET", "/api/v1/me", greta, NULL, NULL);
	expect_status(r, 401);
	resp_free(&r);
	assert_int_equal(cli(&S, NULL, 0, "user disable --email greta@tgg.example --enable"), 0);
	r = req(&S, "GET", "/api/v1/me", greta, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
}

static void test_organizations_and_roles(void **state)
{
	(void)state;
	struct resp r = as(&S, VP, "POST", "/api/v1/organizations", "{ss ss ss}", "name", "Open Compute Project",
			   "short_name", "OCP", "website", "https://www.opencompute.org");
	expect_status(r, 201);
	assert_non_null(strstr(r.location, "/api/v1/organizations/"));
	long long id = jint(r.json, "id");
	assert_true(id > 3);
	assert_string_equal(jstr(r.json, "kind"), "partner");
	resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/organizations/%lld", id);
	r = as(&S, VP, "PATCH", path, "{ss}", "status", "prospective");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "prospective");
	resp_free(&r);
	r = as(&S, VP, "PATCH", path, "{ss}", "status", "dormant");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "status");
	resp_free(&r);
	r = as(&S, VP, "PATCH", path, "{ss}", "kind", "host");
	expect_status(r, 409);
	resp_free(&r);
	/* a partner's representative neither creates nor sees other organizations */
	r = as(&S, SAM, "POST", "/api/v1/organizations", "{ss ss}", "name", "Sneaky", "short_name", "SNK");
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/organizations", NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	assert_string_equal(jstr(r.json, "items.0.short_name"), "SNIA");
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/organizations/3", NULL);
	expect_status(r, 404);
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/organizations/2", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/organizations/99999", NULL);
	expect_status(r, 404);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/organizations/abc", NULL);
	expect_status(r, 404);
	resp_free(&r);
}

static void test_people_errors(void **state)
{
	(void)state;
	struct resp r = as(&S, VP, "POST", "/api/v1/people", "{ss ss si}", "name", "Pat Doe", "email", "pat@snia.example", "org_id", 2);
	expect_status(r, 201);
	assert_false(json_is_true(json_object_get(r.json, "has_account")));
	assert_null(json_object_get(r.json, "password_hash"));
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/people", "{ss ss si}", "name", "Pat Again", "email", "PAT@SNIA.example", "org_id", 2);
	expect_status(r, 409);
	assert_string_equal(jstr(r.json, "field"), "email");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/people", "{ss si}", "name", "No Mail", "org_id", 2);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "email");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/people", "{ss ss si si}", "name", "X", "email", "x@y.org", "org_id", 2, "age", 3);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "age");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/people", "{ss ss ss}", "name", "X", "email", "x@y.org", "org_id", "2");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "org_id");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/people", "{ss ss si}", "name", "X", "email", "x@y.org", "org_id", 4242);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "org_id");
	resp_free(&r);
	/* only an administrator disables accounts */
	r = as(&S, VP, "PATCH", "/api/v1/people/9", "{sb}", "disabled", 1);
	expect_status(r, 403);
	resp_free(&r);
	/* partners see their own people only */
	r = as(&S, SAM, "GET", "/api/v1/people/9", NULL);
	expect_status(r, 404);
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/people", NULL);
	expect_status(r, 200);
	json_t *items = json_object_get(r.json, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_int_equal(jint(json_array_get(items, i), "org_id"), 2);
	resp_free(&r);
}

static void test_bodies_members_officers(void **state)
{
	(void)state;
	struct resp r = as(&S, VP, "POST", "/api/v1/bodies", "{ss ss}", "name", "Security Committee", "kind", "committee");
	expect_status(r, 403); /* the VP does not create bodies */
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/bodies", "{ss ss si si}", "name", "Security Committee", "kind", "committee", "ballot_days", 7,
	       "quorum_percent", 60);
	expect_status(r, 201);
	long long sc = jint(r.json, "id");
	assert_int_equal(jint(r.json, "majority_num"), 2);
	assert_int_equal(jint(r.json, "majority_den"), 3);
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/bodies", "{ss ss}", "name", "Orphan WG", "kind", "working_group");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "parent_id");
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/bodies", "{ss ss sb}", "name", "Second Alliance", "kind", "board", "is_alliance", 1);
	expect_rule(r, 400, "R2");
	resp_free(&r);
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/bodies/%lld/members", sc);
	r = as(&S, ADMIN, "POST", path, "{si ss ss}", "person_id", 5, "role", "chair", "start_date", "2026-01-01");
	expect_status(r, 201);
	long long mid = jint(r.json, "id");
	assert_true(json_is_true(json_object_get(r.json, "active")));
	resp_free(&r);
	r = as(&S, ADMIN, "POST", path, "{si ss}", "person_id", 5, "role", "voting");
	expect_status(r, 409);
	resp_free(&r);
	r = as(&S, ADMIN, "POST", path, "{si ss ss}", "person_id", 6, "role", "voting", "start_date", "2026-02-30");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "start_date");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/bodies/%lld/members/%lld", sc, mid);
	r = as(&S, ADMIN, "PATCH", path, "{ss}", "end_date", "2026-01-02");
	expect_status(r, 200);
	assert_false(json_is_true(json_object_get(r.json, "active")));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/bodies/%lld/members?active=true", sc);
	r = as(&S, VP, "GET", path, NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	resp_free(&r);
	/* officer roles */
	r = as(&S, VP, "POST", "/api/v1/officers", "{si ss}", "person_id", 7, "role", "admin");
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/officers", "{si ss}", "person_id", 7, "role", "vp_alliances");
	expect_status(r, 201);
	resp_free(&r);
	r = as(&S, "marketing@dmtf.example", "GET", "/api/v1/me", NULL);
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "roles"), "vp_alliances")));
	resp_free(&r);
}

static void test_pagination_visits_every_item_once(void **state)
{
	(void)state;
	for (int i = 0; i < 7; i++) {
		char name[32], sn[16];
		snprintf(name, sizeof(name), "Paged Org %d", i);
		snprintf(sn, sizeof(sn), "PG%d", i);
		struct resp r = as(&S, ADMIN, "POST", "/api/v1/organizations", "{ss ss}", "name", name, "short_name", sn);
		expect_status(r, 201);
		resp_free(&r);
	}
	struct resp all = as(&S, ADMIN, "GET", "/api/v1/organizations?limit=200", NULL);
	size_t total = json_array_size(json_object_get(all.json, "items"));
	assert_true(total >= 10);
	char path[128] = "/api/v1/organizations?limit=3";
	size_t seen = 0;
	long long last = 0;
	for (int pages = 0; pages < 100; pages++) {
		struct resp r = as(&S, ADMIN, "GET", path, NULL);
		expect_status(r, 200);
		json_t *items = json_object_get(r.json, "items");
		assert_true(json_array_size(items) <= 3);
		for (size_t i = 0; i < json_array_size(items); i++) {
			assert_true(jint(json_array_get(items, i), "id") > last); /* no repeats, in order */
			last = jint(json_array_get(items, i), "id");
			seen++;
		}
		const char *next = jstr(r.json, "next_cursor");
		if (!next) {
			resp_free(&r);
			break;
		}
		snprintf(path, sizeof(path), "/api/v1/organizations?limit=3&cursor=%s", next);
		resp_free(&r);
	}
	assert_int_equal(seen, total);
	resp_free(&all);
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/organizations?cursor=zzz", NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "cursor");
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/organizations?limit=0", NULL);
	expect_status(r, 400);
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/organizations?colour=red", NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "colour");
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/work-registers?status=drafting", NULL);
	expect_status(r, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) >= 1);
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_string_equal(jstr(json_array_get(items, i), "status"), "drafting");
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/work-registers?partner_id=3", NULL);
	items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) >= 1);
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_int_equal(jint(json_array_get(items, i), "partner_id"), 3);
	resp_free(&r);
}

/* R13: stale If-Match answers 412 and changes nothing. */
static void test_wr_etag_and_lost_updates(void **state)
{
	(void)state;
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers", "{si ss ss}", "partner_id", 3, "title", "TGG: cooling",
			   "scope", "Cooling *equipment*");
	expect_status(r, 201);
	assert_string_equal(r.etag, "\"rev-1\"");
	assert_string_equal(jstr(r.json, "proposed_by"), "member");
	assert_int_equal(jint(r.json, "originating_body_id"), 3); /* R2: the Alliance Committee */
	char path[80], loc[256];
	snprintf(loc, sizeof(loc), "%s", r.location);
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld", jint(r.json, "id"));
	assert_non_null(strstr(loc, path));
	resp_free(&r);
	r = as(&S, OWNER, "PATCH", path, "{ss}", "title", "no If-Match");
	expect_rule(r, 428, "R13");
	resp_free(&r);
	r = as_if(&S, OWNER, "PATCH", path, "\"rev-1\"", "{ss ss}", "title", "TGG: cooling and power", "summary", "Retitled");
	expect_status(r, 200);
	assert_string_equal(r.etag, "\"rev-2\"");
	resp_free(&r);
	r = as_if(&S, VP, "PATCH", path, "\"rev-1\"", "{ss}", "title", "Stale edit");
	expect_rule(r, 412, "R13");
	resp_free(&r);
	r = as(&S, VP, "GET", path, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "title"), "TGG: cooling and power");
	assert_string_equal(r.etag, "\"rev-2\"");
	resp_free(&r);
	/* versions and history (R50) */
	snprintf(loc, sizeof(loc), "%s/versions/1", path);
	r = as(&S, VP, "GET", loc, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "snapshot.title"), "TGG: cooling");
	resp_free(&r);
	snprintf(loc, sizeof(loc), "%s/history", path);
	r = as(&S, VP, "GET", loc, NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	assert_string_equal(jstr(r.json, "items.1.summary"), "Retitled");
	/* by name: no e-mail address in what records carry (issue 24) */
	assert_string_equal(jstr(r.json, "items.1.author"), "Owen Ortiz");
	resp_free(&r);
	snprintf(loc, sizeof(loc), "%s/versions/9", path);
	r = as(&S, VP, "GET", loc, NULL);
	expect_status(r, 404);
	resp_free(&r);
}

/* Table 1 (R36-R40) and the sections of the template. */
static void test_wr_sections_and_table1(void **state)
{
	(void)state;
	char etag[64];
	struct resp r;
	etag_of(&S, VP, "/api/v1/work-registers/1", etag);
#define ROW "{ss ss ss ss ss ss ss ss ss ss}"
	r = as_if(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", NULL, "{ss ss ss ss ss ss ss ss ss}", "kind", "joint",
		  "standard_type", "profile", "ap_id", "DSP1234", "description", "d", "domain", "Storage", "lead_org", "SNIA",
		  "ip_policy", "DMTF", "owning_org", "DMTF", "developing_org", "partner");
	expect_rule(r, 400, "R40"); /* maintaining_org missing: the field's rule */
	assert_string_equal(jstr(r.json, "field"), "maintaining_org");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", ROW, "kind", "joint", "standard_type", "profile", "ap_id",
	       "DSP1234", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "DMTF", "owning_org", "DMTF", "developing_org", "partner",
	       "maintaining_org", "DMTF", "kind", "joint");
	expect_rule(r, 400, "R36"); /* description missing */
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", ROW, "kind", "joint", "standard_type", "poem", "ap_id", "DSP1234",
	       "description", "d", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "DMTF", "owning_org", "DMTF", "developing_org",
	       "partner", "maintaining_org", "DMTF");
	expect_rule(r, 409, "R37");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", ROW, "kind", "joint", "standard_type", "profile", "ap_id",
	       "storage-profile", "description", "d", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "DMTF", "owning_org", "DMTF",
	       "developing_org", "partner", "maintaining_org", "DMTF");
	expect_rule(r, 409, "R38"); /* DMTF-owned: a DSP number */
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", ROW, "kind", "joint", "standard_type", "profile", "ap_id",
	       "snia_schema", "description", "d", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "partner", "owning_org",
	       "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_rule(r, 409, "R38"); /* the demo's schema row has this id */
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", ROW, "kind", "joint", "standard_type", "profile", "ap_id",
	       "DSP1234", "description", "d", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "IETF", "owning_org", "DMTF",
	       "developing_org", "partner", "maintaining_org", "DMTF");
	expect_rule(r, 400, "R40");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", ROW, "kind", "joint", "standard_type", "Profile", "ap_id",
	       "DSP1234", "description", "Disk drive profile", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "DMTF",
	       "owning_org", "DMTF", "developing_org", "partner", "maintaining_org", "DMTF");
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "standard_type"), "profile");
	assert_string_not_equal(r.etag, etag);
	resp_free(&r);
	/* R39: the group row (id 2 in the demo) is replaced by discrete rows */
	etag_of(&S, VP, "/api/v1/work-registers/1", etag);
	r = as_if(&S, OWNER, "POST", "/api/v1/work-registers/1/standards/1/replace", etag, "{s[{ss ss ss ss ss ss ss ss ss ss}]}", "rows",
		  "kind", "delegated", "standard_type", "profile", "ap_id", "Array Profile", "description", "Arrays", "domain", "Storage",
		  "lead_org", "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_rule(r, 409, "R39"); /* row 1 is not a group */
	resp_free(&r);
	r = as_if(&S, OWNER, "POST", "/api/v1/work-registers/1/standards/2/replace", etag,
		  "{s[{ss ss ss ss ss ss ss ss ss ss}{ss ss ss ss ss ss ss ss ss ss}]}", "rows",
		  "kind", "delegated", "standard_type", "profile", "ap_id", "Array Profile", "description", "Arrays", "domain", "Storage",
		  "lead_org", "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner",
		  "kind", "delegated", "standard_type", "profile", "ap_id", "Switch Profile", "description", "Switches", "domain", "Storage",
		  "lead_org", "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "replaced.ap_id"), "Storage Device Profiles");
	assert_int_equal(jint(r.json, "rows.0.replaces_id"), 2);
	assert_int_equal(jint(r.json, "rows.1.replaces_id"), 2);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/work-registers/1/standards?limit=200", NULL);
	json_t *items = json_object_get(r.json, "items");
	int replaced = 0, current = 0;
	for (size_t i = 0; i < json_array_size(items); i++) {
		const char *st = jstr(json_array_get(items, i), "status");
		replaced += !strcmp(st, "replaced");
		current += !strcmp(st, "current");
	}
	assert_int_equal(replaced, 1); /* the history of the replacement is kept */
	assert_int_equal(current, 4);
	snprintf(etag, sizeof(etag), "%s", r.etag);
	resp_free(&r);
	r = as_if(&S, OWNER, "DELETE", "/api/v1/work-registers/1/standards/2", etag, NULL);
	expect_rule(r, 409, "R39");
	resp_free(&r);
	/* milestones: a committee, optionally one of its working groups (R6) */
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/milestones", "{ss si si ss}", "description", "Profile draft", "body_id", 4,
	       "wg_id", 8, "target_date", "2027-03-31");
	expect_status(r, 201);
	long long mid = jint(r.json, "id");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/milestones", "{ss si si}", "description", "Wrong WG", "body_id", 3, "wg_id", 8);
	expect_rule(r, 400, "R6");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/milestones", "{ss si}", "description", "Board work", "body_id", 1);
	expect_rule(r, 400, "R4");
	resp_free(&r);
	etag_of(&S, VP, "/api/v1/work-registers/1", etag);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/work-registers/1/milestones/%lld", mid);
	r = as_if(&S, SAM, "PATCH", path, etag, "{ss}", "target_date", "2027-04-30");
	expect_status(r, 200); /* the partner's representatives revise the draft (R13) */
	assert_string_equal(jstr(r.json, "target_date"), "2027-04-30");
	resp_free(&r);
	r = as_if(&S, SAM, "DELETE", path, etag, NULL);
	expect_rule(r, 412, "R13");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/contacts", "{ss ss ss}", "name", "PR Desk", "email", "pr@snia.example", "role", "pr");
	expect_status(r, 201);
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/contacts", "{ss ss ss}", "name", "X", "email", "not-an-email", "role", "pr");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "email");
	resp_free(&r);
}

/* A partner's representatives see and edit only their own organization's drafts. */
static void test_partner_isolation(void **state)
{
	(void)state;
	struct resp r = as(&S, GRETA, "GET", "/api/v1/work-registers/1", NULL);
	expect_status(r, 404);
	resp_free(&r);
	const char *subs[] = { "/milestones", "/contacts", "/standards", "/versions", "/history", "/versions/1", NULL };
	for (int i = 0; subs[i]; i++) {
		char path[96];
		snprintf(path, sizeof(path), "/api/v1/work-registers/1%s", subs[i]);
		r = as(&S, GRETA, "GET", path, NULL);
		expect_status(r, 404);
		resp_free(&r);
	}
	r = as_if(&S, GRETA, "PATCH", "/api/v1/work-registers/1", "*", "{ss}", "title", "hijack");
	expect_status(r, 404);
	resp_free(&r);
	r = as(&S, GRETA, "GET", "/api/v1/work-registers", NULL);
	json_t *items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) >= 1);
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_int_equal(jint(json_array_get(items, i), "partner_id"), 3);
	resp_free(&r);
	/* R10: a representative proposes for their own organization only */
	r = as(&S, GRETA, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "For SNIA");
	expect_rule(r, 403, "R10");
	resp_free(&r);
	r = as(&S, GRETA, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 3, "title", "TGG: metering");
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "proposed_by"), "partner");
	assert_string_equal(jstr(r.json, "status"), "proposed");
	resp_free(&r);
	/* the owner of the SNIA draft is host staff and may not be a partner */
	r = as(&S, SAM, "GET", "/api/v1/work-registers/1", NULL);
	expect_status(r, 200);
	resp_free(&r);
}

static void test_bad_input_is_refused_and_nothing_crashes(void **state)
{
	(void)state;
	const char *tok = token_for(&S, VP);
	struct { const char *body; long status; const char *type; } cases[] = {
		{ "{\"name\":", 400, "urn:entente:problem:BAD_JSON" },
		{ "{\"name\":\"\xff\xfe\",\"short_name\":\"U\"}", 400, "urn:entente:problem:BAD_UTF8" },
		{ "[1,2,3]", 400, "urn:entente:problem:WRONG_TYPE" },
		{ "42", 400, NULL },
		{ "{\"name\":\"a\\u0000b\",\"short_name\":\"NUL\"}", 400, NULL },
		{ "{\"name\":\"Dup\",\"name\":\"Dup2\",\"short_name\":\"D\"}", 400, "urn:entente:problem:BAD_JSON" },
		{ "{\"name\":\"Big\",\"short_name\":\"B\",\"website\":123456789012345678901234567890}", 400, NULL },
		{ "{\"name\":\"\",\"short_name\":\"E\"}", 400, NULL },
		{ "{\"name\":\"Line\\nbreak\",\"short_name\":\"LB\"}", 400, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct resp r = req(&S, "POST", "/api/v1/organizations", tok, cases[i].body, NULL);
		expect_status(r, (int)cases[i].status);
		assert_string_equal(r.ctype, "application/problem+json");
		if (cases[i].type)
			assert_string_equal(jstr(r.json, "type"), cases[i].type);
		resp_free(&r);
	}
	/* deeply nested */
	char deep[6000];
	size_t n = 0;
	for (int i = 0; i < 2500; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	struct resp r = req(&S, "POST", "/api/v1/organizations", tok, deep, NULL);
	assert_true(r.status == 400);
	resp_free(&r);
	r = req(&S, "POST", "/api/v1/organizations", tok, NULL, NULL);
	expect_status(r, 400); /* a create without a body */
	resp_free(&r);
	r = req(&S, "PUT", "/api/v1/organizations", tok, NULL, NULL);
	expect_status(r, 405);
	assert_non_null(strstr(r.allow, "GET"));
	assert_non_null(strstr(r.allow, "POST"));
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/no-such-thing", tok, NULL, NULL);
	expect_status(r, 404);
	assert_string_equal(r.ctype, "application/problem+json");
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/work-registers/-1", tok, NULL, NULL);
	expect_status(r, 404);
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/work-registers/99999999999999999999999", tok, NULL, NULL);
	expect_status(r, 404);
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/work-registers?partner_id=%FF", tok, NULL, NULL);
	expect_status(r, 400);
	resp_free(&r);
	r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
}

static void test_wrong_content_type(void **state)
{
	(void)state;
	const char *h[] = { "Content-Type: text/plain", NULL };
	struct resp r = req(&S, "POST", "/api/v1/organizations", token_for(&S, VP), "{\"name\":\"Plain\",\"short_name\":\"PL\"}", h);
	expect_status(r, 415);
	assert_string_equal(jstr(r.json, "field"), "Content-Type");
	resp_free(&r);
	const char *h2[] = { "Content-Type: application/json; charset=utf-8", NULL };
	r = req(&S, "POST", "/api/v1/organizations", token_for(&S, VP), "{\"name\":\"Plain\",\"short_name\":\"PL\"}", h2);
	expect_status(r, 201);
	resp_free(&r);
}

/* A burst of garbage: never a 5xx, and the server stays up. */
static void test_garbage_burst(void **state)
{
	(void)state;
	const char *tok = token_for(&S, ADMIN);
	const char *paths[] = { "/api/v1/organizations", "/api/v1/people", "/api/v1/work-registers", "/api/v1/work-registers/1/milestones",
				"/api/v1/bodies/3/members", "/api/v1/work-registers/1/standards/2/replace", "/api/v1/session" };
	unsigned seed = 12345;
	for (int i = 0; i < 300; i++) {
		char body[512];
		size_t len = (size_t)(rand_r(&seed) % 200) + 1;
		for (size_t k = 0; k < len; k++) {
			const char alphabet[] = "{}[]\":,0123456789abcdefnulltrue \\u00e9\xc3\xa9";
			body[k] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		}
		body[len] = '\0';
		struct resp r = req(&S, i % 3 ? "POST" : "PATCH", paths[i % 7], tok, body, NULL);
		if (r.status >= 500)
			fail_msg("5xx for %s: %s", body, r.raw);
		resp_free(&r);
	}
	struct resp r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
}

/* 413 before the body is read, and the server keeps serving. */
static void test_body_limit(void **state)
{
	(void)state;
	struct server small;
	server_init(&small, 0);
	server_start(&small, "--body-limit", "4096", NULL);
	char *big = malloc(20000);
	memset(big, 'a', 19999);
	big[0] = '"';
	big[19998] = '"';
	big[19999] = '\0';
	char out[200];
	assert_int_equal(cli(&small, out, sizeof(out), "token create --email admin@localhost"), 0);
	out[strcspn(out, "\n")] = '\0';
	struct resp r = req(&small, "POST", "/api/v1/organizations", out, big, NULL);
	expect_status(r, 413);
	resp_free(&r);
	free(big);
	r = req(&small, "POST", "/api/v1/organizations", out, "{\"name\":\"Small\",\"short_name\":\"SM\"}", NULL);
	expect_status(r, 201);
	resp_free(&r);
	assert_int_equal(server_finish(&small), 0);
}

/* An answered write survives a restart and kill -9. */
static void test_persistence(void **state)
{
	(void)state;
	struct server p;
	server_init(&p, 1);
	server_start(&p, NULL);
	struct resp r = as(&p, VP, "POST", "/api/v1/organizations", "{ss ss}", "name", "Durable One", "short_name", "DUR1");
	expect_status(r, 201);
	resp_free(&r);
	assert_int_equal(server_stop(&p), 0);
	server_start(&p, NULL);
	r = as(&p, VP, "POST", "/api/v1/organizations", "{ss ss}", "name", "Durable Two", "short_name", "DUR2");
	expect_status(r, 201);
	long long id2 = jint(r.json, "id");
	resp_free(&r);
	server_kill9(&p);
	server_start(&p, NULL);
	r = as(&p, VP, "GET", "/api/v1/organizations?limit=200", NULL);
	int found = 0;
	json_t *items = json_object_get(r.json, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		const char *sn = jstr(json_array_get(items, i), "short_name");
		found += !strcmp(sn, "DUR1") || (!strcmp(sn, "DUR2") && jint(json_array_get(items, i), "id") == id2);
	}
	assert_int_equal(found, 2);
	resp_free(&r);
	assert_int_equal(server_finish(&p), 0);
}

/* Every audit event is written with its change; the log never changes. */
static void test_audit(void **state)
{
	(void)state;
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/audit?target_type=organization&limit=200", NULL);
	expect_status(r, 200);
	json_t *items = json_object_get(r.json, "items");
	int creates = 0;
	for (size_t i = 0; i < json_array_size(items); i++)
		creates += !strcmp(jstr(json_array_get(items, i), "action"), "org.create");
	assert_true(creates >= 3);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/audit", NULL);
	expect_status(r, 403);
	resp_free(&r);
}

/* The OpenAPI document lists every route, and every route it lists answers. */
static void test_openapi_matches_the_server(void **state)
{
	(void)state;
	struct resp doc = req(&S, "GET", "/api/v1/openapi.json", NULL, NULL, NULL);
	expect_status(doc, 200);
	assert_string_equal(jstr(doc.json, "openapi"), "3.1.0");
	json_t *paths = json_object_get(doc.json, "paths");
	const char *used[][2] = {
		{ "/api/v1/session", "post" }, { "/api/v1/session", "delete" }, { "/api/v1/me", "get" },
		{ "/api/v1/organizations", "get" }, { "/api/v1/organizations", "post" }, { "/api/v1/organizations/{id}", "patch" },
		{ "/api/v1/people", "post" }, { "/api/v1/people/{id}", "get" }, { "/api/v1/bodies", "post" },
		{ "/api/v1/bodies/{id}/members", "post" }, { "/api/v1/bodies/{id}/members/{sub_id}", "patch" },
		{ "/api/v1/officers", "post" }, { "/api/v1/work-registers", "post" }, { "/api/v1/work-registers/{id}", "patch" },
		{ "/api/v1/work-registers/{id}/milestones", "post" }, { "/api/v1/work-registers/{id}/milestones/{sub_id}", "delete" },
		{ "/api/v1/work-registers/{id}/contacts", "post" }, { "/api/v1/work-registers/{id}/standards", "get" },
		{ "/api/v1/work-registers/{id}/standards/{sub_id}/replace", "post" }, { "/api/v1/work-registers/{id}/versions/{sub_id}", "get" },
		{ "/api/v1/work-registers/{id}/history", "get" }, { "/api/v1/audit", "get" }, { "/healthz", "get" },
	};
	for (size_t i = 0; i < sizeof(used) / sizeof(*used); i++) {
		json_t *op = json_object_get(json_object_get(paths, used[i][0]), used[i][1]);
		if (!op)
			fail_msg("%s %s is not in the OpenAPI document", used[i][1], used[i][0]);
		json_t *rb = json_object_get(op, "requestBody");
		if (rb) {
			json_t *schema = json_object_get(json_object_get(json_object_get(json_object_get(rb, "content"), "application/json"), "schema"), "additionalProperties");
			assert_true(json_is_false(schema));
		}
	}
	/* every documented operation is routed: never the router's 404 or a 405 */
	const char *key;
	json_t *item;
	const char *tok = token_for(&S, GRETA); /* few rights: nothing changes */
	int checked = 0;
	json_object_foreach(paths, key, item) {
		const char *m;
		json_t *op;
		json_object_foreach(item, m, op) {
			char path[256], method[8];
			size_t k = 0;
			for (const char *p = key; *p && k < sizeof(path) - 2; p++) {
				if (*p == '{') {
					path[k++] = '1';
					p = strchr(p, '}');
				} else {
					path[k++] = *p;
				}
			}
			path[k] = '\0';
			for (k = 0; m[k] && k < 7; k++)
				method[k] = (char)(m[k] - 'a' + 'A');
			method[k] = '\0';
			struct resp r = req(&S, method, path, tok, strcmp(method, "GET") && strcmp(method, "DELETE") ? "{}" : NULL, NULL);
			if (r.status == 405 || (r.status == 404 && jstr(r.json, "detail") && !strcmp(jstr(r.json, "detail"), "no such route")))
				fail_msg("%s %s is documented but not routed (%ld)", method, path, r.status);
			assert_true(r.status < 500);
			/* a partner's representative changes nothing of anyone else's: every
			 * write is refused for who they are (403) or what they may see (404),
			 * before the body is even looked at */
			if (strcmp(method, "GET") && strcmp(path, "/api/v1/markdown") && strcmp(path, "/api/v1/session") &&
			    strcmp(path, "/api/v1/change-requests") /* hers to submit (R42): {} is refused for what it lacks */ &&
			    strcmp(path, "/api/v1/me") /* her own preferences: {} is refused for what it lacks */ &&
			    strncmp(path, "/api/v1/me/", 11) /* her own calendar, password, sessions, second factor */ &&
			    strcmp(path, "/api/v1/password-resets") && strncmp(path, "/api/v1/account-links/", 22) /* anyone's (issue 24) */ &&
			    r.status != 403 && r.status != 404)
				fail_msg("%s %s as a partner's representative answered %ld: %s", method, path, r.status, r.raw);
			resp_free(&r);
			checked++;
		}
	}
	assert_true(checked > 60);
	resp_free(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthz_needs_no_auth_and_api_does),
		cmocka_unit_test(test_session_cookie_csrf_and_logout),
		cmocka_unit_test(test_login_failures_look_alike_and_are_throttled),
		cmocka_unit_test(test_revoked_token_and_disabled_account),
		cmocka_unit_test(test_organizations_and_roles),
		cmocka_unit_test(test_people_errors),
		cmocka_unit_test(test_bodies_members_officers),
		cmocka_unit_test(test_pagination_visits_every_item_once),
		cmocka_unit_test(test_wr_etag_and_lost_updates),
		cmocka_unit_test(test_wr_sections_and_table1),
		cmocka_unit_test(test_partner_isolation),
		cmocka_unit_test(test_bad_input_is_refused_and_nothing_crashes),
		cmocka_unit_test(test_wrong_content_type),
		cmocka_unit_test(test_garbage_burst),
		cmocka_unit_test(test_body_limit),
		cmocka_unit_test(test_persistence),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_openapi_matches_the_server),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
