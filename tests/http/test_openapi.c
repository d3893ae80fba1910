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
		char etag[64];
		etag_of(&S, OWNER, "/api/v1/work-registers/1", etag);
		struct resp r = as_if(&S, OWNER, "DELETE", rows[i], etag, NULL);
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

/* Issue 22: every operation of the served document, refused the ways the
 * document says it can be, each answer recorded and so held against the
 * document too: without credentials 401 (unless public), a body that is
 * not JSON 415, broken JSON 400, a body over the limit 413 (where a body
 * is taken), a record that does not exist 404 (where the path names one). */
static void test_every_operation_refuses_as_documented(void **state)
{
	(void)state;
	struct resp d = req(&S, "GET", "/api/v1/openapi.json", NULL, NULL, NULL);
	expect_status(d, 200);
	json_t *paths = json_object_get(d.json, "paths"), *item;
	const char *pattern, *admin = token_for(&S, ADMIN);
	static const char *const text_type[] = { "Content-Type: text/plain", NULL };
	size_t big_n = (1u << 20) + 16;
	char *big = malloc(big_n + 1);
	assert_non_null(big);
	memset(big, ' ', big_n);
	big[0] = '"';
	big[big_n - 1] = '"';
	big[big_n] = '\0';
	int probes = 0;
	json_object_foreach(paths, pattern, item) {
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op) {
			char m[8], path[256], missing[256];
			size_t i;
			for (i = 0; method[i] && i < sizeof(m) - 1; i++)
				m[i] = (char)(method[i] - 'a' + 'A');
			m[i] = '\0';
			/* the path with real-looking ids, and with ids that name nothing */
			size_t o = 0, q = 0;
			for (const char *c = pattern; *c && o < sizeof(path) - 8 && q < sizeof(missing) - 8; c++) {
				if (*c == '{') {
					o += (size_t)snprintf(path + o, sizeof(path) - o, "1");
					q += (size_t)snprintf(missing + q, sizeof(missing) - q, "999999");
					c = strchr(c, '}');
				} else {
					path[o++] = *c;
					missing[q++] = *c;
				}
			}
			path[o] = missing[q] = '\0';
			if (strncmp(pattern, "/api/", 5))
				continue; /* /healthz, /metrics: no body, no record */
			json_t *security = json_object_get(op, "security");
			int public = json_is_array(security) && json_array_size(security) == 0;
			int body = json_object_get(op, "requestBody") != NULL;
			struct resp r;
			if (!public) {
				r = req(&S, m, path, NULL, body ? "{}" : NULL, NULL);
				if (r.status != 401)
					fail_msg("%s %s without credentials: %ld, not 401", m, pattern, r.status);
				resp_free(&r);
				probes++;
			}
			if (body) {
				r = req(&S, m, path, admin, "{\"x\": 1}", text_type);
				if (r.status != 415)
					fail_msg("%s %s with a text body: %ld, not 415", m, pattern, r.status);
				resp_free(&r);
				r = req(&S, m, path, admin, "{\"broken\": ", NULL);
				if (r.status != 400)
					fail_msg("%s %s with broken JSON: %ld, not 400", m, pattern, r.status);
				resp_free(&r);
				r = req(&S, m, path, admin, big, NULL);
				if (r.status != 413)
					fail_msg("%s %s with a body over the limit: %ld, not 413", m, pattern, r.status);
				resp_free(&r);
				probes += 3;
			}
			if (strchr(pattern, '{')) {
				r = req(&S, m, missing, admin, body ? "{}" : NULL, NULL);
				if (r.status != 404)
					fail_msg("%s %s naming no record: %ld, not 404", m, missing, r.status);
				resp_free(&r);
				probes++;
			}
		}
	}
	free(big);
	resp_free(&d);
	assert_true(probes > 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_metrics_and_the_audit_head),
		cmocka_unit_test(test_markdown_is_rendered),
		cmocka_unit_test(test_a_drafts_rows_are_deleted),
		cmocka_unit_test(test_the_partner_refuses_an_amendment),
		cmocka_unit_test(test_a_meeting_is_cancelled),
		cmocka_unit_test(test_every_operation_refuses_as_documented),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
