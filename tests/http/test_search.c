/* Full-text search of Work Registers (issue "Speed": SQLite FTS5 over the
 * titles, scopes and Table 1): GET /api/v1/work-registers?q=words, with
 * the list's filters, visibility and cursor as ever. Demo data: WR 1 is
 * SNIA's draft "SNIA and DMTF: storage management standards", WR 2 TGG's
 * proposal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/client.h"

#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define SAM "sam@snia.example"
#define GRETA "greta@tgg.example"

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
	return server_finish(&S);
}

/* The ids a search finds, as "1,2" (the order of the list: by id). */
static const char *found(const char *who, const char *query)
{
	static char ids[256];
	char path[400];
	snprintf(path, sizeof(path), "/api/v1/work-registers?%s", query);
	struct resp r = as(&S, who, "GET", path, NULL);
	if (r.status != 200)
		snprintf(ids, sizeof(ids), "status %ld", r.status);
	else
		snprintf(ids, sizeof(ids), "%s", jids(r.json));
	resp_free(&r);
	return ids;
}

static void test_title_scope_and_prefix(void **state)
{
	(void)state;
	assert_string_equal(found(VP, "q=storage"), "1");
	assert_string_equal(found(VP, "q=STOR"), "1");          /* a prefix, any case */
	assert_string_equal(found(VP, "q=storage%20cim"), "1"); /* every word: "CIM" is in the scope */
	assert_string_equal(found(VP, "q=storage%20nothingsuch"), "");
	assert_string_equal(found(VP, "q=storage&status=proposed"), ""); /* with the filters */
	assert_string_equal(found(VP, "q=storage&status=drafting"), "1");
}

/* Table 1's rows are searched too, and a change is found at once. */
static void test_table1_and_changes(void **state)
{
	(void)state;
	assert_string_equal(found(VP, "q=hyperconverged"), "");
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", "{ss ss ss ss ss ss ss ss ss ss}", "kind",
			   "joint", "standard_type", "profile", "ap_id", "DSP2077", "description", "Hyperconverged storage profile",
			   "domain", "Storage", "lead_org", "SNIA", "ip_policy", "DMTF", "owning_org", "DMTF", "developing_org",
			   "partner", "maintaining_org", "DMTF");
	expect_status(r, 201);
	resp_free(&r);
	assert_string_equal(found(VP, "q=hyperconverged"), "1");
	assert_string_equal(found(VP, "q=dsp2077"), "1");
	char etag[64];
	etag_of(&S, VP, "/api/v1/work-registers/1", etag);
	r = as_if(&S, OWNER, "PATCH", "/api/v1/work-registers/1", etag, "{ss}", "title", "Fabric alliance");
	expect_status(r, 200);
	resp_free(&r);
	assert_string_equal(found(VP, "q=fabric"), "1");
	assert_string_equal(found(VP, "q=storage%20management%20standards"), ""); /* the old title is gone */
}

/* A representative finds their own organization's WRs only. */
static void test_visibility(void **state)
{
	(void)state;
	const char *all = found(VP, "q=a");
	assert_non_null(strstr(all, "2"));
	assert_string_equal(found(GRETA, "q=hyperconverged"), "");
	assert_string_equal(found(SAM, "q=hyperconverged"), "1");
}

/* What a person types is words, never query syntax: FTS5's operators,
 * quotes and parentheses are searched for as text, and nothing is a 500. */
static void test_no_query_syntax(void **state)
{
	(void)state;
	static const char *const odd[] = {
		"q=%22", "q=%22%22", "q=(", "q=storage%20OR%20tgg", "q=NEAR(storage", "q=*", "q=-storage", "q=title%3Astorage",
		"q=%5E", "q=storage%22%20OR%20%22x", "q=%E2%80%9Cstorage%E2%80%9D", "q=%F0%9F%98%80",
	};
	for (size_t i = 0; i < sizeof(odd) / sizeof(*odd); i++) {
		const char *ids = found(VP, odd[i]);
		if (!strncmp(ids, "status", 6))
			fail_msg("%s: %s", odd[i], ids);
	}
	assert_string_equal(found(VP, "q=storage%20OR%20tgg"), ""); /* OR is a word here: no WR has it */
	struct resp r = as(&S, VP, "GET", "/api/v1/work-registers?q=%20%20", NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "q");
	resp_free(&r);
	char path[400] = "/api/v1/work-registers?q=";
	memset(path + strlen(path), 'a', 250);
	r = as(&S, VP, "GET", path, NULL);
	expect_status(r, 400);
	resp_free(&r);
}

/* Pages by cursor, as every list. */
static void test_cursor(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		struct resp r = as(&S, VP, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "Zebra pages");
		expect_status(r, 201);
		resp_free(&r);
	}
	struct resp r = as(&S, VP, "GET", "/api/v1/work-registers?q=zebra&limit=2", NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	char path[200];
	snprintf(path, sizeof(path), "/api/v1/work-registers?q=zebra&limit=2&cursor=%s", jstr(r.json, "next_cursor"));
	resp_free(&r);
	r = as(&S, VP, "GET", path, NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	assert_true(json_is_null(json_object_get(r.json, "next_cursor")));
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_title_scope_and_prefix),
		cmocka_unit_test(test_table1_and_changes),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_no_query_syntax),
		cmocka_unit_test(test_cursor),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
