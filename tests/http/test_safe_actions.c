/* Issue 25, part 4: safe actions. A write sent twice under one
 * Idempotency-Key (a double click, a retry after a lost answer) is done
 * once and answered twice the same; the key is the sender's, is kept a
 * day, and promises one request. The process table names what cannot be
 * undone, for the web application to ask first, and tells a person which
 * steps are theirs at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/client.h"

#define VP "vp@dmtf.example"
#define SAM "sam@snia.example"

static struct server S;

/* A POST as email with body, under the Idempotency-Key key (NULL: none). */
static struct resp post_keyed(const char *email, const char *path, const char *key, const char *body)
{
	char line[400];
	const char *h[] = { line, NULL };
	snprintf(line, sizeof(line), "Idempotency-Key: %s", key ? key : "");
	return req(&S, "POST", path, token_for(&S, email), body, key ? h : NULL);
}

static void test_a_write_sent_twice_under_one_key_is_done_once(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	token_for(&S, SAM); /* its token made (and audited) before counting */
	int before = sql_int(S.db, "SELECT count(*) FROM comments"), events = sql_int(S.db, "SELECT count(*) FROM audit");

	/* a comment posted twice (a double click): one comment, the same answer twice */
	struct resp a = post_keyed(SAM, "/api/v1/work-registers/1/comments", "click-7f3a", "{\"text\":\"Once only.\"}");
	expect_status(a, 201);
	struct resp b = post_keyed(SAM, "/api/v1/work-registers/1/comments", "click-7f3a", "{\"text\":\"Once only.\"}");
	expect_status(b, 201);
	assert_string_equal(a.raw, b.raw);
	assert_string_equal(a.location, b.location);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM comments"), before + 1);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM audit"), events + 1); /* audited once */
	resp_free(&a);
	resp_free(&b);

	/* without a key, the same request is a second comment */
	a = post_keyed(SAM, "/api/v1/work-registers/1/comments", NULL, "{\"text\":\"Once only.\"}");
	expect_status(a, 201);
	resp_free(&a);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM comments"), before + 2);

	/* the key promised one request: another body under it is refused,
	 * naming the header, and nothing is done */
	a = post_keyed(SAM, "/api/v1/work-registers/1/comments", "click-7f3a", "{\"text\":\"Something else.\"}");
	expect_status(a, 422);
	assert_string_equal(jstr(a.json, "field"), "Idempotency-Key");
	assert_non_null(strstr(a.ctype, "application/problem+json"));
	resp_free(&a);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM comments"), before + 2);

	/* a key is its sender's: another person's same key is a new request */
	a = post_keyed(VP, "/api/v1/work-registers/1/comments", "click-7f3a", "{\"text\":\"Once only.\"}");
	expect_status(a, 201);
	resp_free(&a);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM comments"), before + 3);

	/* a key is 1 to 255 printable characters */
	char longkey[300];
	memset(longkey, 'k', 256);
	longkey[256] = '\0';
	a = post_keyed(SAM, "/api/v1/work-registers/1/comments", longkey, "{\"text\":\"Too long a key.\"}");
	expect_status(a, 400);
	assert_string_equal(jstr(a.json, "field"), "Idempotency-Key");
	resp_free(&a);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM comments"), before + 3);
	assert_int_equal(server_finish(&S), 0);
}

/* A step of the process taken twice: the second is answered as the first
 * was, where without the key the record's new state refuses it. */
static void test_a_step_clicked_twice_is_taken_once(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	struct resp r = as(&S, VP, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "Withdrawn twice");
	expect_status(r, 201);
	long long id = jint(r.json, "id");
	resp_free(&r);
	char path[100];
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/withdraw", id);
	long long events = sql_int(S.db, "SELECT count(*) FROM audit");

	struct resp a = post_keyed(VP, path, "withdraw-1", "{\"note\":\"a duplicate\"}");
	expect_status(a, 200);
	assert_string_equal(jstr(a.json, "status"), "withdrawn");
	struct resp b = post_keyed(VP, path, "withdraw-1", "{\"note\":\"a duplicate\"}");
	expect_status(b, 200);
	assert_string_equal(a.raw, b.raw);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM audit"), events + 1); /* done once, audited once */
	resp_free(&a);
	resp_free(&b);
	/* the refusal the key spares the second click */
	a = post_keyed(VP, path, NULL, "{\"note\":\"a duplicate\"}");
	expect_status(a, 409);
	resp_free(&a);

	/* kept a day: a key older than that is gone once another is kept */
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM idempotency_keys WHERE key = 'withdraw-1'"), 1);
	sql(S.db, "UPDATE idempotency_keys SET created_at = created_at - 86401 WHERE key = 'withdraw-1'");
	a = post_keyed(SAM, "/api/v1/work-registers/1/comments", "later", "{\"text\":\"A day later.\"}");
	expect_status(a, 201);
	resp_free(&a);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM idempotency_keys WHERE key = 'withdraw-1'"), 0);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM idempotency_keys WHERE key = 'later'"), 1);
	assert_int_equal(server_finish(&S), 0);
}

/* The next steps of a WR say which are the person's and what cannot be
 * undone; the process table says it of every step. */
static void test_steps_say_whose_they_are_and_what_cannot_be_undone(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	struct resp r = as(&S, VP, "POST", "/api/v1/work-registers", "{si ss}", "partner_id", 2, "title", "Whose steps");
	expect_status(r, 201);
	long long id = jint(r.json, "id");
	resp_free(&r);
	char path[100];
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/actions", id);
	int seen = 0;
	for (int who = 0; who < 2; who++) {
		r = as(&S, who ? SAM : VP, "GET", path, NULL);
		expect_status(r, 200);
		json_t *it;
		size_t i;
		json_array_foreach(json_object_get(r.json, "items"), i, it) {
			const char *action = json_string_value(json_object_get(it, "action"));
			assert_true(json_is_boolean(json_object_get(it, "yours")));
			if (!strcmp(action, "wr.withdraw")) {
				seen++;
				assert_true(json_is_true(json_object_get(it, "yours"))); /* the VP's and the partner's (R10) */
				assert_non_null(strstr(jstr(it, "consequence"), "ends for good"));
			}
			if (!strcmp(action, "wr.assign_owner") || !strcmp(action, "wr.socialize")) {
				/* the VP's; never the partner's representative's */
				assert_true(json_is_true(json_object_get(it, "yours")) == !who);
			}
			if (!strcmp(action, "wr.request_call"))
				assert_null(json_object_get(it, "consequence")); /* done at once */
		}
		resp_free(&r);
	}
	assert_int_equal(seen, 2);
	r = as(&S, VP, "GET", "/api/v1/process?name=meeting", NULL);
	expect_status(r, 200);
	json_t *it;
	size_t i;
	int cancel = 0;
	json_array_foreach(json_object_get(r.json, "steps"), i, it)
		if (!strcmp(jstr(it, "action"), "meeting.cancel"))
			cancel = strstr(jstr(it, "consequence"), "cancelled for good") != NULL;
	assert_true(cancel);
	resp_free(&r);
	/* a change request's steps are its body's chair's (R44): the chair of
	 * another committee is offered none; the submitter may withdraw */
	static const struct { const char *who; int accept, withdraw; } crs[] = {
		{ "tc@dmtf.example", 1, 0 }, { "chair@dmtf.example", 0, 0 }, { SAM, 0, 1 }, { VP, 1, 0 },
	};
	for (size_t k = 0; k < sizeof(crs) / sizeof(*crs); k++) {
		r = as(&S, crs[k].who, "GET", "/api/v1/change-requests/1/actions", NULL);
		expect_status(r, 200);
		json_array_foreach(json_object_get(r.json, "items"), i, it) {
			if (!strcmp(jstr(it, "action"), "cr.accept"))
				assert_int_equal(json_is_true(json_object_get(it, "yours")), crs[k].accept);
			if (!strcmp(jstr(it, "action"), "cr.withdraw"))
				assert_int_equal(json_is_true(json_object_get(it, "yours")), crs[k].withdraw);
		}
		resp_free(&r);
	}
	/* and what is offered is what the server takes */
	r = as(&S, "chair@dmtf.example", "POST", "/api/v1/change-requests/1/accept", NULL);
	expect_rule(r, 403, "R44");
	resp_free(&r);
	r = as(&S, "tc@dmtf.example", "GET", "/api/v1/meetings/1/actions", NULL);
	expect_status(r, 200);
	int announce_or_open = 0;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		announce_or_open += json_is_true(json_object_get(it, "yours"));
	assert_true(announce_or_open >= 1); /* the hosting body's chair */
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/meetings/1/actions", NULL);
	expect_status(r, 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		assert_false(json_is_true(json_object_get(it, "yours"))); /* a participant hosts nothing */
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
		cmocka_unit_test_teardown(test_a_write_sent_twice_under_one_key_is_done_once, teardown),
		cmocka_unit_test_teardown(test_a_step_clicked_twice_is_taken_once, teardown),
		cmocka_unit_test_teardown(test_steps_say_whose_they_are_and_what_cannot_be_undone, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
