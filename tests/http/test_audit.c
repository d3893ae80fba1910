/* Issue 11: a record no one can quietly rewrite. The audit log is a hash
 * chain written with each change; these tests edit the database file
 * behind entente's back (the sqlite3 shell, as the reporter did)
 * in each way one can, and expect `entente audit verify` and
 * GET /api/v1/audit/verify to name the event and the record. Story demo:
 * an open Alliance Committee ballot with a yes and a no. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"

static struct server S;

/* A copy of the database, tampered with by sql, then verified by the CLI
 * (`audit verify` with how: "--full", or "" from the newest checkpoint
 * that holds): its exit status; its output into out. */
static int tampered_as(const char *how, const char *name, const char *sql, char *out, size_t n)
{
	char copy[192], cmd[1400];
	snprintf(copy, sizeof(copy), "%.120s/%.40s.db", S.dir, name);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \".backup '%s'\" && sqlite3 %s \"%s\"", S.db, copy, copy, sql);
	if (system(cmd))
		fail_msg("could not tamper: %s", cmd);
	char db[192];
	memcpy(db, S.db, sizeof(db));
	memcpy(S.db, copy, sizeof(S.db));
	int rc = cli(&S, out, n, "audit verify %s", how);
	memcpy(S.db, db, sizeof(S.db));
	return rc;
}

static int tampered(const char *name, const char *sql, char *out, size_t n) { return tampered_as("--full", name, sql, out, n); }

static void test_the_chain_holds_and_each_tampering_is_named(void **state)
{
	(void)state;
	char out[8192], sql[600], want[80];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	server_start(&S, NULL);
	/* written through the server too (group commit): the chain holds */
	for (int i = 0; i < 5; i++) {
		struct resp r = as(&S, "sam@snia.example", "POST", "/api/v1/work-registers/1/comments", "{ss}", "text", "A comment.");
		expect_status(r, 201);
		resp_free(&r);
	}
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/audit/verify?full=true", NULL);
	expect_status(r, 200);
	assert_true(json_is_true(json_object_get(r.json, "ok")));
	long long events = jint(r.json, "events");
	assert_true(events > 50);
	assert_int_equal(strlen(jstr(r.json, "head")), 64);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/audit/verify", NULL);
	expect_status(r, 403); /* administrators only */
	resp_free(&r);

	/* signed checkpoints: one at once (the story has published versions),
	 * public, and its signature holds under the key entente init made */
	long long cp_last = 0;
	for (int i = 0; i < 100 && !cp_last; i++) {
		r = req(&S, "GET", "/api/v1/checkpoints", NULL, NULL, NULL);
		expect_status(r, 200);
		json_t *c = json_array_get(json_object_get(r.json, "items"), 0);
		if (c) {
			char text[300];
			unsigned char pk[32], sig[64];
			snprintf(text, sizeof(text), "entente audit checkpoint v1\nlast_id %lld\ncount %lld\nhead %s\nat %s\n", jint(c, "last_id"),
				 jint(c, "count"), jstr(c, "head"), jstr(c, "at"));
			signing_public_key(&S, pk, NULL);
			assert_int_equal(sodium_hex2bin(sig, 64, jstr(c, "signature"), 128, NULL, NULL, NULL), 0);
			assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)text, strlen(text), pk), 0);
			assert_string_equal(jstr(c, "reason"), "published");
			cp_last = jint(c, "last_id");
		}
		resp_free(&r);
		if (!cp_last)
			usleep(100000);
	}
	assert_true(cp_last > 0);
	r = req(&S, "GET", "/registers/checkpoints", NULL, NULL, NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.raw, "<h1>Checkpoints of the record</h1>"));
	resp_free(&r);
	r = req(&S, "GET", "/registers/checkpoints.atom", NULL, NULL, NULL); /* and in their feed */
	expect_status(r, 200);
	assert_non_null(strstr(r.ctype, "application/atom+xml"));
	assert_non_null(strstr(r.raw, "<id>urn:entente:checkpoint:"));
	assert_non_null(strstr(r.raw, "Checkpoint of the record: "));
	assert_non_null(strstr(r.raw, "/registers/checkpoints.atom\"/>"));
	resp_free(&r);
	r = req(&S, "GET", "/registers/checkpoints", NULL, NULL, NULL); /* the page stays a page */
	assert_non_null(strstr(r.ctype, "text/html"));
	resp_free(&r);
	r = req(&S, "GET", "/registers/feed.atom", NULL, NULL, NULL); /* issue 25: the WRs' feed carries WR news only */
	expect_status(r, 200);
	assert_null(strstr(r.raw, "checkpoint"));
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0);
	assert_non_null(strstr(out, "the record is intact"));
	assert_non_null(strstr(out, "from checkpoint ")); /* issue 27: from the newest checkpoint that holds */

	/* issue 27: verify walks from the newest checkpoint that holds; --full
	 * walks all. A checkpoint now, then two events after it. */
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoint"), 0);
	if (cli(&S, out, sizeof(out), "audit verify --json"))
		fail_msg("%s", out);
	json_t *v = json_loads(out, 0, NULL);
	assert_non_null(v);
	assert_false(json_is_true(json_object_get(v, "full")));
	/* the checkpoint's own record is the one event after it */
	assert_int_equal(jint(v, "events"), 1);
	long long anchored = jint(json_object_get(v, "from"), "last_id");
	assert_int_equal(jint(v, "last_id"), anchored + 1);
	json_decref(v);
	assert_int_equal(cli(&S, out, sizeof(out), "person add --name 'Ada Lee' --email ada@snia.example --org-id 2"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "person add --name 'Bo Ito' --email bo@snia.example --org-id 2"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify --json"), 0);
	v = json_loads(out, 0, NULL);
	assert_int_equal(jint(v, "events"), 3);
	assert_int_equal(jint(v, "last_id"), anchored + 3);
	json_decref(v);
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify --full --json"), 0);
	v = json_loads(out, 0, NULL);
	assert_true(json_is_true(json_object_get(v, "full")));
	assert_true(json_is_null(json_object_get(v, "from")));
	assert_int_equal(jint(v, "events"), anchored + 3); /* every event of the story, one at a time */
	assert_true(jint(v, "checkpoints") >= 2);
	json_decref(v);
	/* the head a checkpoint signs is counted on from the newest one (its
	 * count and published versions, and what came after), and says so;
	 * the counts are what counting everything gives */
	assert_int_equal(cli(&S, out, sizeof(out), "audit head --json"), 0);
	v = json_loads(out, 0, NULL);
	assert_true(json_is_integer(json_object_get(v, "counted_from")));
	assert_int_equal(jint(v, "count"), sql_int(S.db, "SELECT count(*) FROM audit"));
	assert_int_equal(jint(v, "published_versions"), sql_int(S.db, "SELECT count(*) FROM wr_versions WHERE label NOT LIKE '0.%'"));
	assert_int_equal(jint(v, "versions_through"), sql_int(S.db, "SELECT max(id) FROM wr_versions"));
	json_decref(v);
	/* an event after the checkpoint edited: found from the checkpoint on */
	snprintf(sql, sizeof(sql), "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'Mallory' WHERE id = %lld;", anchored + 3);
	assert_int_equal(tampered_as("", "late-edit", sql, out, sizeof(out)), 1);
	snprintf(want, sizeof(want), "edited: event %lld is not what was written", anchored + 3);
	assert_non_null(strstr(out, want));
	/* the content of an event the checkpoint vouches for edited, the
	 * stored hashes left alone: the walk from the checkpoint takes the
	 * signed head's word for it; --full recomputes it */
	assert_int_equal(tampered_as("", "early-edit", "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'Mallory' WHERE id = 40;", out,
				     sizeof(out)), 0);
	assert_int_equal(tampered_as("--full", "early-edit", "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'Mallory' WHERE id = 40;", out,
				     sizeof(out)), 1);
	assert_non_null(strstr(out, "edited: event 40 is not what was written"));
	/* the hashes rewritten from there on to match: the checkpoint's
	 * signed head no longer does, and the walk goes back further */
	snprintf(sql, sizeof(sql), "DROP TRIGGER audit_no_update; UPDATE audit SET hash = replace(hash, substr(hash, 1, 1), CASE substr(hash, 1, 1) "
				   "WHEN 'a' THEN 'b' ELSE 'a' END) WHERE id = %lld;", anchored);
	assert_int_equal(tampered_as("", "rehashed", sql, out, sizeof(out)), 1);
	snprintf(want, sizeof(want), "signed event %lld as", anchored);
	assert_non_null(strstr(out, want));
	/* and the head of that copy is counted from nothing, not from the
	 * checkpoint that no longer holds */
	char saved[192];
	memcpy(saved, S.db, sizeof(saved));
	snprintf(S.db, sizeof(S.db), "%.120s/rehashed.db", S.dir);
	assert_int_equal(cli(&S, out, sizeof(out), "audit head --json"), 0);
	v = json_loads(out, 0, NULL);
	assert_true(json_is_null(json_object_get(v, "counted_from")));
	assert_int_equal(jint(v, "count"), sql_int(S.db, "SELECT count(*) FROM audit"));
	json_decref(v);
	memcpy(S.db, saved, sizeof(saved));
	/* on the API too, ?full=true or not; anything else is named */
	server_start(&S, NULL);
	r = as(&S, ADMIN, "GET", "/api/v1/audit/verify?full=true", NULL);
	expect_status(r, 200);
	assert_true(json_is_true(json_object_get(r.json, "ok")));
	assert_int_equal(jint(r.json, "events"), anchored + 3);
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/audit/verify?full=perhaps", NULL);
	expect_status(r, 400);
	assert_non_null(strstr(r.raw, "\"full\""));
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);

	/* an event edited: named, with its record */
	assert_int_equal(tampered("edited", "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'Mallory' WHERE id = 40;", out,
				  sizeof(out)), 1);
	assert_non_null(strstr(out, "edited: event 40 is not what was written"));
	/* an event deleted */
	assert_int_equal(tampered("deleted", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 41;", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "deleted: event 42 follows event 40"));
	/* an event slipped in at the end, with a made-up hash */
	snprintf(sql, sizeof(sql), "INSERT INTO audit (id, at, actor, action, target_type, target_id, after, prev_hash, hash) VALUES "
		 "((SELECT max(id) + 1 FROM audit), '2026-01-01T00:00:00Z', 'system', 'vote.cast', 'vote', 1, '{}', '%064d', '%064d');", 0, 1);
	assert_int_equal(tampered("inserted", sql, out, sizeof(out)), 1);
	char head[512];
	assert_int_equal(cli(&S, head, sizeof(head), "audit head --json"), 0);
	json_t *h = json_loads(head, 0, NULL);
	long long last = jint(h, "last_id");
	json_decref(h);
	assert_true(last > events);
	snprintf(want, sizeof(want), "inserted: event %lld does not follow", last + 1);
	assert_non_null(strstr(out, want));
	/* a vote changed in its table: the record differs from its events */
	assert_int_equal(tampered("vote", "DROP TRIGGER IF EXISTS votes_closed_update; UPDATE votes SET choice = 'yes' WHERE choice = 'no';",
				  out, sizeof(out)), 1);
	assert_non_null(strstr(out, "record: votes "));
	assert_non_null(strstr(out, "says choice yes, its events"));
	assert_non_null(strstr(out, "say no (vote "));
	/* a Work Register's status changed in its table */
	assert_int_equal(tampered("status", "UPDATE work_registers SET status = 'established' WHERE id = 4;", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "record: work_registers 4 says status established"));
	/* a ballot's receipt edited, or one deleted: the ballot's own chain
	 * names it; a closed ballot's chain cut short: its seal does */
	assert_int_equal(tampered("receipt", "DROP TRIGGER ballot_receipts_keep_u; UPDATE ballot_receipts SET choice = 'no' "
					     "WHERE ballot_id = 3 AND seq = 1;", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "receipts: ballot 3: entry 1 of its receipts is not what its receipt says (ballot 3)"));
	assert_non_null(strstr(out, "says yes, its voter's last receipt says no"));
	assert_int_equal(tampered("receipt-gone", "DROP TRIGGER ballot_receipts_keep_d; DELETE FROM ballot_receipts WHERE ballot_id = 3 AND seq = 1;",
				  out, sizeof(out)), 1);
	assert_non_null(strstr(out, "receipts: ballot 3: entry 2 of its receipts is missing or out of place"));
	assert_int_equal(tampered("receipt-cut", "DROP TRIGGER ballot_receipts_keep_d; DELETE FROM ballot_receipts WHERE ballot_id = 2 AND "
						 "seq = (SELECT max(seq) FROM ballot_receipts WHERE ballot_id = 2);", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "receipts: ballot 2: its seal covers"));
	assert_non_null(strstr(out, "its voter's last receipt says nothing"));
	/* the tail cut off from the checkpointed event on: the chain alone
	 * cannot tell, the signed checkpoint does */
	char cut[200];
	snprintf(cut, sizeof(cut), "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= %lld;", cp_last);
	assert_int_equal(tampered("cut", cut, out, sizeof(out)), 1);
	snprintf(want, sizeof(want), "signed event %lld as", cp_last);
	assert_non_null(strstr(out, want));
	/* a checkpoint whose signature was forged */
	assert_int_equal(tampered("forged", "DROP TRIGGER checkpoints_keep_u; UPDATE checkpoints SET head = replace(head, substr(head, 1, 1), "
					    "CASE substr(head, 1, 1) WHEN 'a' THEN 'b' ELSE 'a' END);", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "its signature does not hold"));
	/* the original is untouched by all this */
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0);

	/* an outsider's check: the export and the public key, no database */
	char record[300], pkhex[65];
	unsigned char pk[32];
	snprintf(record, sizeof(record), "%s/record.json", S.dir);
	signing_public_key(&S, pk, pkhex);
	assert_int_equal(cli(&S, out, sizeof(out), "audit export > %s", record), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit check %s --public-key %s", record, pkhex), 0);
	assert_non_null(strstr(out, "every checkpoint holds"));
	assert_int_equal(cli(&S, out, sizeof(out), "audit check %s --public-key %064d", record, 7), 1); /* another key */
	assert_non_null(strstr(out, "does not hold under the public key given"));
	char sed[600];
	snprintf(sed, sizeof(sed), "sed -i '0,/\"actor\":\"system\"/s//\"actor\":\"mallory\"/' %s", record);
	assert_int_equal(system(sed), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit check %s --public-key %s", record, pkhex), 1);
	assert_non_null(strstr(out, "edited: event "));
	server_cleanup(&S);
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
		cmocka_unit_test_teardown(test_the_chain_holds_and_each_tampering_is_named, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
