/* Who may change which field (issue "Hardening", part 3): every field of
 * every writable resource against every role, each refusal checked to
 * have changed nothing. A partner's representative could set the owner
 * and the Originating Committee of a member-proposed WR; the owner is the
 * host's role, assigned by the VP of Alliances (R1, R11), the Originating
 * Committee the host's choice (R2); representatives revise content (R13).
 * And If-Match: * no longer passes for an ETag (R13). Demo data: WR 1 is
 * SNIA's draft proposed by a member company, owner 3; the Alliance
 * Committee (body 3) has 2, 3 and 4; body 4 is the Technical Committee. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/client.h"

static struct server S;

enum { ADMIN, VP, OWNER, STAFF, REP, OTHER, NROLES };
static const char *const email[NROLES] = {
	"admin@localhost", "vp@dmtf.example", "owner@dmtf.example",
	"tc@dmtf.example",   /* host staff with no part in WR 1 */
	"sam@snia.example",  /* the representative of WR 1's partner */
	"greta@tgg.example", /* another partner's representative */
};
#define REFUSED -1 /* 403 or 404, whichever the record's visibility gives */

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

/* The record as the administrator sees it (raw JSON text) and its ETag. */
static char *snapshot(const char *path, char etag[64])
{
	struct resp r = as(&S, email[ADMIN], "GET", path, NULL);
	expect_status(r, 200);
	char *text = strdup(r.raw);
	if (etag)
		snprintf(etag, 64, "%s", r.etag);
	resp_free(&r);
	return text;
}

static void expect_outcome(const struct resp *r, int want, const char *what, int role)
{
	if (want == REFUSED ? r->status != 403 && r->status != 404 : r->status != want)
		fail_msg("%s as %s: status %ld, want %d: %s", what, email[role], r->status, want, r->raw ? r->raw : "");
}

struct field_case {
	const char *body;          /* a PATCH that changes one field */
	int want[NROLES];
	const char *rule;          /* the rule the representative's refusal cites, if any */
	const char *restore;       /* put back by the administrator after an allowed change */
};

/* Every field of a Work Register against every role. */
static void test_wr_fields_by_role(void **state)
{
	(void)state;
	static const struct field_case cases[] = {
		{ "{\"title\":\"Storage management alliance\"}", { 200, 200, 200, 403, 200, 404 }, NULL, NULL },
		{ "{\"scope\":\"The *scope*, revised.\"}", { 200, 200, 200, 403, 200, 404 }, NULL, NULL },
		{ "{\"benefits\":\"Benefits, revised.\"}", { 200, 200, 200, 403, 200, 404 }, NULL, NULL },
		{ "{\"deliverables\":\"Deliverables, revised.\"}", { 200, 200, 200, 403, 200, 404 }, NULL, NULL },
		{ "{\"title\":\"With a summary\",\"summary\":\"why it changed\"}", { 200, 200, 200, 403, 200, 404 }, NULL, NULL },
		{ "{\"owner_id\":4}", { 200, 200, 200, 403, 403, 404 }, "R11", "{\"owner_id\":3}" },
		{ "{\"owner_id\":2}", { 200, 200, 200, 403, 403, 404 }, "R11", "{\"owner_id\":3}" },
		{ "{\"originating_body_id\":4}", { 200, 200, 200, 403, 403, 404 }, "R2", "{\"originating_body_id\":3}" },
		{ "{\"partner_id\":3}", { 409, 409, 409, 403, 409, 404 }, NULL, NULL },
		{ "{\"proposed_by\":\"partner\"}", { 403, 403, 403, 403, 403, 404 }, "R10", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		for (int role = 0; role < NROLES; role++) {
			char etag[64], e2[64];
			char *before = snapshot("/api/v1/work-registers/1", etag);
			const char *h[] = { NULL, NULL };
			char im[80];
			snprintf(im, sizeof(im), "If-Match: %s", etag);
			h[0] = im;
			struct resp r = req(&S, "PATCH", "/api/v1/work-registers/1", token_for(&S, email[role]), cases[i].body, h);
			expect_outcome(&r, cases[i].want[role], cases[i].body, role);
			if (cases[i].want[role] >= 400) {
				char *after = snapshot("/api/v1/work-registers/1", e2);
				assert_string_equal(after, before); /* nothing changed, not even the revision */
				assert_string_equal(e2, etag);
				free(after);
				if (role == REP && cases[i].rule) {
					assert_string_equal(jstr(r.json, "rule"), cases[i].rule);
					assert_non_null(strstr(cases[i].body, jstr(r.json, "field")));
				}
			} else if (cases[i].restore) {
				snprintf(im, sizeof(im), "If-Match: %s", r.etag);
				struct resp b = req(&S, "PATCH", "/api/v1/work-registers/1", token_for(&S, email[ADMIN]), cases[i].restore, h);
				expect_status(b, 200);
				resp_free(&b);
			}
			resp_free(&r);
			free(before);
		}
}

/* The sections of a Work Register: adding and changing rows. */
static void test_wr_sections_by_role(void **state)
{
	(void)state;
	static const struct { const char *path, *body, *patch; } sections[] = {
		{ "/milestones", "{\"description\":\"A profile\",\"body_id\":4,\"target_date\":\"2028-01-31\",\"status\":\"planned\"}",
		  "{\"target_date\":\"2028-06-30\",\"completed_date\":null}" },
		{ "/contacts", "{\"name\":\"Pat Partner\",\"email\":\"pat@snia.example\",\"role\":\"technical\"}",
		  "{\"name\":\"Pat Q. Partner\"}" },
		{ "/standards", "{\"kind\":\"joint\",\"standard_type\":\"profile\",\"ap_id\":\"AP-9\",\"description\":\"d\",\"domain\":\"Storage\","
				"\"lead_org\":\"DMTF\",\"ip_policy\":\"DMTF\",\"owning_org\":\"partner\",\"developing_org\":\"partner\","
				"\"maintaining_org\":\"DMTF\"}",
		  "{\"description\":\"revised\"}" },
	};
	static const int add[NROLES] = { 201, 201, 201, 403, 201, 404 }, change[NROLES] = { 200, 200, 200, 403, 200, 404 };
	for (size_t i = 0; i < sizeof(sections) / sizeof(*sections); i++) {
		char path[128], etag[64], im[80];
		const char *h[] = { im, NULL };
		snprintf(path, sizeof(path), "/api/v1/work-registers/1%s", sections[i].path);
		for (int role = 0; role < NROLES; role++) {
			char *before = snapshot(path, etag);
			snprintf(im, sizeof(im), "If-Match: %s", etag);
			char body[512];
			/* a fresh AP identifier each time: R38 allows one row per identifier */
			snprintf(body, sizeof(body), "%s", sections[i].body);
			char *ap = strstr(body, "AP-9");
			if (ap)
				ap[3] = (char)('0' + role);
			struct resp r = req(&S, "POST", path, token_for(&S, email[role]), body, h);
			expect_outcome(&r, add[role], path, role);
			if (add[role] >= 400) {
				char *after = snapshot(path, NULL);
				assert_string_equal(after, before);
				free(after);
			}
			resp_free(&r);
			free(before);
		}
		/* change the first row, as each role */
		char *list = snapshot(path, NULL);
		json_t *doc = json_loads(list, 0, NULL);
		long long sub = json_integer_value(json_object_get(json_array_get(json_object_get(doc, "items"), 0), "id"));
		json_decref(doc);
		free(list);
		assert_true(sub > 0);
		char row[160];
		snprintf(row, sizeof(row), "%s/%lld", path, sub);
		for (int role = 0; role < NROLES; role++) {
			char *before = snapshot(path, etag);
			snprintf(im, sizeof(im), "If-Match: %s", etag);
			struct resp r = req(&S, "PATCH", row, token_for(&S, email[role]), sections[i].patch, h);
			expect_outcome(&r, change[role], row, role);
			if (change[role] >= 400) {
				char *after = snapshot(path, NULL);
				assert_string_equal(after, before);
				free(after);
			}
			resp_free(&r);
			free(before);
		}
	}
}

/* The host's records: organizations, people, bodies and memberships. */
static void test_host_records_by_role(void **state)
{
	(void)state;
	static const struct { const char *path, *body; int want[NROLES]; } cases[] = {
		{ "/api/v1/organizations/2", "{\"website\":\"https://snia.example/new\"}", { 200, 200, REFUSED, REFUSED, REFUSED, REFUSED } },
		{ "/api/v1/organizations/2", "{\"name\":\"SNIA, renamed\"}", { 200, 200, REFUSED, REFUSED, REFUSED, REFUSED } },
		{ "/api/v1/people/8", "{\"name\":\"Sam S. Partner\"}", { 200, 200, REFUSED, REFUSED, REFUSED, REFUSED } },
		{ "/api/v1/people/8", "{\"dmtf_member\":true}", { 200, 200, REFUSED, REFUSED, REFUSED, REFUSED } },
		{ "/api/v1/bodies/4", "{\"name\":\"Technical Committee (renamed)\"}", { 200, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED } },
		{ "/api/v1/bodies/4", "{\"ballot_days\":21}", { 200, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED } },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		for (int role = NROLES - 1; role >= 0; role--) { /* the refused first, on the unchanged record */
			char *before = snapshot(cases[i].path, NULL);
			struct resp r = req(&S, "PATCH", cases[i].path, token_for(&S, email[role]), cases[i].body, NULL);
			expect_outcome(&r, cases[i].want[role], cases[i].path, role);
			if (cases[i].want[role] == REFUSED) {
				char *after = snapshot(cases[i].path, NULL);
				assert_string_equal(after, before);
				free(after);
			}
			resp_free(&r);
			free(before);
		}
	/* a membership: the chair of the Alliance Committee, by role */
	struct resp m = as(&S, email[ADMIN], "GET", "/api/v1/bodies/3/members", NULL);
	long long sub = jint(json_array_get(json_object_get(m.json, "items"), 0), "id");
	resp_free(&m);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/bodies/3/members/%lld", sub);
	for (int role = NROLES - 1; role >= 0; role--) {
		struct resp r = req(&S, "PATCH", path, token_for(&S, email[role]), "{\"start_date\":\"2020-01-01\"}", NULL);
		expect_outcome(&r, role == ADMIN ? 200 : REFUSED, path, role);
		resp_free(&r);
	}
}

/* R13: If-Match: * matched any revision; the ETag itself is needed. */
static void test_if_match_star_is_refused(void **state)
{
	(void)state;
	char etag[64], e2[64];
	char *before = snapshot("/api/v1/work-registers/1", etag);
	const char *star[] = { "If-Match: *", NULL };
	struct resp r = req(&S, "PATCH", "/api/v1/work-registers/1", token_for(&S, email[OWNER]), "{\"title\":\"Starred\"}", star);
	expect_rule(r, 412, "R13");
	assert_string_equal(jstr(r.json, "field"), "If-Match");
	resp_free(&r);
	char *after = snapshot("/api/v1/work-registers/1", e2);
	assert_string_equal(after, before);
	free(after);
	free(before);
	char im[80];
	const char *h[] = { im, NULL };
	snprintf(im, sizeof(im), "If-Match: %s", etag);
	r = req(&S, "PATCH", "/api/v1/work-registers/1", token_for(&S, email[OWNER]), "{\"title\":\"With its ETag\"}", h);
	expect_status(r, 200);
	resp_free(&r);
	/* a section change too */
	r = req(&S, "POST", "/api/v1/work-registers/1/contacts", token_for(&S, email[OWNER]),
		"{\"name\":\"Star\",\"email\":\"star@snia.example\",\"role\":\"technical\"}", star);
	expect_rule(r, 412, "R13");
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wr_fields_by_role),
		cmocka_unit_test(test_wr_sections_by_role),
		cmocka_unit_test(test_host_records_by_role),
		cmocka_unit_test(test_if_match_star_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
