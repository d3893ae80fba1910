/* Issue 22: the operations no other test answers with a success, each
 * called here on the story demo, so that tests/openapi/validate.py sees
 * every operation of the document answer a success (with
 * ENTENTE_OPENAPI_RECORD, as tests/run.sh sets it) and holds the answer
 * against the document. Each call also asserts what it did. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define SAM "sam@snia.example"
#define GRETA "greta@tgg.example"

static struct server S;

static int setup(void **state)
{
	(void)state;
	char out[256];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	server_start(&S, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(server_finish(&S), 0);
	return 0;
}

static void test_health_metrics_and_the_audit_head(void **state)
{
	(void)state;
	struct resp r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/metrics", NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.raw, "entente_"));
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/audit/head", NULL);
	expect_status(r, 200);
	assert_true(jint(r.json, "count") > 0);
	resp_free(&r);
}

static void test_markdown_is_rendered(void **state)
{
	(void)state;
	struct resp r = as(&S, OWNER, "POST", "/api/v1/markdown", "{s[{ss}]}", "texts", "text", "Some *emphasis*");
	expect_status(r, 200);
	assert_non_null(strstr(r.raw, "<em>emphasis</em>"));
	resp_free(&r);
}

/* R13: a draft's rows are removed with the ETag the editor read. */
static void test_a_drafts_rows_are_deleted(void **state)
{
	(void)state;
	static const char *const rows[] = { "/api/v1/work-registers/1/contacts/2", "/api/v1/work-registers/1/milestones/2",
					    "/api/v1/work-registers/1/standards/1" };
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct resp r = as(&S, OWNER, "GET", "/api/v1/work-registers/1", NULL);
		char etag[64];
		snprintf(etag, sizeof(etag), "%s", r.etag);
		resp_free(&r);
		r = as_if(&S, OWNER, "DELETE", rows[i], etag, NULL);
		expect_status(r, 204);
		assert_string_equal(r.raw, "");
		resp_free(&r);
		char list[96];
		snprintf(list, sizeof(list), "%.*s", (int)(strrchr(rows[i], '/') - rows[i]), rows[i]);
		long long gone = atoll(strrchr(rows[i], '/') + 1);
		r = as(&S, OWNER, "GET", list, NULL);
		expect_status(r, 200);
		for (size_t k = 0; k < json_array_size(json_object_get(r.json, "items")); k++)
			assert_true(jint(json_array_get(json_object_get(r.json, "items"), k), "id") != gone);
		resp_free(&r);
	}
}

/* R28: the partner refuses an amendment it did not propose; the list shows it. */
static void test_the_partner_refuses_an_amendment(void **state)
{
	(void)state;
	struct resp r = as(&S, OWNER, "POST", "/api/v1/work-registers/3/amendments", "{ss ss s{ss}}", "class", "other", "summary", "Retitle",
			   "changes", "title", "TGG and DMTF: power telemetry only");
	expect_status(r, 201);
	long long aid = jint(r.json, "id");
	resp_free(&r);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/work-registers/3/amendments/%lld/refuse", aid);
	r = as(&S, GRETA, "POST", path, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "rejected");
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/work-registers/3/amendments", NULL);
	expect_status(r, 200);
	int found = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(r.json, "items")); i++)
		found |= jint(json_array_get(json_object_get(r.json, "items"), i), "id") == aid;
	assert_true(found);
	resp_free(&r);
}

/* R45: the hosts cancel a joint meeting. */
static void test_a_meeting_is_cancelled(void **state)
{
	(void)state;
	struct resp r = as(&S, VP, "POST", "/api/v1/meetings/1/cancel", NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "cancelled");
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_metrics_and_the_audit_head),
		cmocka_unit_test(test_markdown_is_rendered),
		cmocka_unit_test(test_a_drafts_rows_are_deleted),
		cmocka_unit_test(test_the_partner_refuses_an_amendment),
		cmocka_unit_test(test_a_meeting_is_cancelled),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
