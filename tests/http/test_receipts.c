/* Issue 11: ballot receipts. Each vote cast returns a receipt chained per
 * ballot; at the close the chain's head and the tally are sealed and
 * signed. A voter checks that their final vote is counted as cast, on the
 * server, with the CLI against the database, and with the CLI against a
 * published copy of the chain and the public key alone. The tampering
 * tests change the database behind entente's back (a vote changed and the
 * chain re-hashed to match, before the close) and a published chain (a
 * vote removed and the rest re-linked), and expect the receipt to tell.
 *
 * Story demo: ballot 3, the Alliance Committee's on WR 4, is open with a
 * yes (the chair) and a no (the VP); the owner has not voted. Ballot 2 is
 * the Board's, closed, on WR 3 (whose owner is not on the Board). */
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

#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define CHAIR "chair@dmtf.example"

static struct server S;

static char *code_of(struct resp *r)
{
	const char *c = jstr(r->json, "receipt.code");
	assert_non_null(c);
	return strdup(c);
}

static json_t *check(const char *who, int ballot, const char *code)
{
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/ballots/%d/receipt-check", ballot);
	struct resp r = as(&S, who, "POST", path, "{ss}", "receipt", code);
	expect_status(r, 200);
	json_t *rep = json_incref(r.json);
	resp_free(&r);
	return rep;
}

static void save(const char *path, json_t *v) { assert_int_equal(json_dump_file(v, path, JSON_COMPACT), 0); }

/* Run python3 on a script written into the test's directory. */
static void python(const char *name, const char *script, const char *arg)
{
	char path[256], cmd[700];
	snprintf(path, sizeof(path), "%.120s/%.40s.py", S.dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(script, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s", path, arg);
	if (system(cmd))
		fail_msg("%s failed", cmd);
}

static void test_receipts_count_as_cast_and_check_anywhere(void **state)
{
	(void)state;
	char out[8192], pk[65];
	unsigned char pkraw[32];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	server_start(&S, NULL);
	signing_public_key(&S, pkraw, pk);

	/* the VP changes their mind twice: one tag, three entries */
	struct resp r = as(&S, VP, "POST", "/api/v1/ballots/3/votes", "{ss}", "choice", "abstain");
	expect_status(r, 200);
	char *first = code_of(&r);
	const char *tag = jstr(r.json, "receipt.voter_tag");
	assert_int_equal(strlen(tag), 32);
	char tag1[40];
	snprintf(tag1, sizeof(tag1), "%s", tag);
	assert_int_equal(jint(r.json, "receipt.seq"), 3);
	/* issue 27: a vote reads no list of eligible voters and answers none;
	 * the count beside it makes the tally */
	assert_null(json_object_get(r.json, "eligible"));
	assert_int_equal(jint(r.json, "tally.eligible"), sql_int(S.db, "SELECT json_array_length(eligible) FROM ballots WHERE id = 3"));
	assert_int_equal(jint(r.json, "eligible_count"), jint(r.json, "tally.eligible"));
	/* the receipt is the documented hash, recomputed here with libsodium */
	char canon[300], hex[65];
	unsigned char h[32];
	snprintf(canon, sizeof(canon), "[\"entente-ballot-receipt-1\",3,\"%s\",\"abstain\",3,\"%s\"]", tag1, jstr(r.json, "receipt.prev"));
	crypto_generichash(h, sizeof(h), (const unsigned char *)canon, strlen(canon), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(hex, jstr(r.json, "receipt.receipt"));
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/ballots/3/votes", "{ss ss}", "choice", "no", "comment", "Still: name the asset classes.");
	expect_status(r, 200);
	char *second = code_of(&r);
	assert_string_equal(jstr(r.json, "receipt.voter_tag"), tag1); /* the same voter, the same tag */
	assert_int_equal(jint(r.json, "receipt.seq"), 4);
	resp_free(&r);

	/* open ballot: the earlier receipt is superseded by the later one,
	 * which is counted */
	json_t *rep = check(VP, 3, first);
	assert_string_equal(jstr(rep, "verdict"), "superseded");
	assert_int_equal(jint(rep, "counted_entry.seq"), 4);
	assert_false(json_is_true(json_object_get(rep, "ok")));
	json_decref(rep);
	rep = check(VP, 3, second);
	assert_string_equal(jstr(rep, "verdict"), "counted");
	assert_true(json_is_true(json_object_get(rep, "ok")));
	assert_false(json_is_true(json_object_get(rep, "sealed")));
	assert_int_equal(jint(rep, "tally.yes"), 1);
	assert_int_equal(jint(rep, "tally.no"), 1);
	json_decref(rep);

	/* the owner's vote closes it (every eligible voter voted): sealed */
	r = as(&S, OWNER, "POST", "/api/v1/ballots/3/votes", "{ss}", "choice", "yes");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "passed");
	char *third = code_of(&r);
	resp_free(&r);
	json_t *chain = sealed_chain(&S, VP, 3);
	assert_int_equal(jint(chain, "seal.count"), 5);
	assert_int_equal(jint(chain, "seal.yes"), 2);
	assert_int_equal(jint(chain, "seal.no"), 1);
	assert_int_equal(jint(chain, "tally.yes"), 2);
	json_t *entries = json_object_get(chain, "entries");
	assert_int_equal(json_array_size(entries), 5);
	assert_string_equal(jstr(chain, "seal.head"), json_string_value(json_object_get(json_array_get(entries, 4), "receipt")));
	/* the body's members see who voted how; the VP sits on the committee */
	assert_string_equal(json_string_value(json_object_get(json_array_get(entries, 2), "name")), "Vera Vance");
	/* the seal's signature holds under the key entente init made, over
	 * the documented text */
	char text[400];
	unsigned char pkb[32], sig[64];
	snprintf(text, sizeof(text), "entente ballot seal v1\nballot 3\ncount 5\nhead %s\ntally yes 2 no 1 abstain 0\nclosed_at %s\n",
		 jstr(chain, "seal.head"), jstr(chain, "seal.closed_at"));
	assert_string_equal(jstr(chain, "seal.public_key"), pk);
	assert_int_equal(sodium_hex2bin(pkb, 32, pk, 64, NULL, NULL, NULL), 0);
	assert_int_equal(sodium_hex2bin(sig, 64, jstr(chain, "seal.signature"), 128, NULL, NULL, NULL), 0);
	assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)text, strlen(text), pkb), 0);

	/* the WR's new state after the close is an event of the system's
	 * own (it was the vote's event alone, and audit verify took the WR's
	 * row for tampered with: found by this test) */
	r = as(&S, "admin@localhost", "GET", "/api/v1/audit?target_type=work_register&target_id=4", NULL);
	expect_status(r, 200);
	json_t *items = json_object_get(r.json, "items"), *ev = NULL;
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(json_string_value(json_object_get(json_object_get(json_array_get(items, i), "after"), "status")) ?: "", "committee_approved"))
			ev = json_array_get(items, i);
	assert_non_null(ev);
	assert_string_equal(json_string_value(json_object_get(ev, "actor")), "system (after ballot 3 passed)");
	resp_free(&r);
	r = as(&S, "admin@localhost", "GET", "/api/v1/audit/verify", NULL);
	expect_status(r, 200);
	assert_true(json_is_true(json_object_get(r.json, "ok")));
	resp_free(&r);

	rep = check(OWNER, 3, third);
	assert_string_equal(jstr(rep, "verdict"), "counted");
	assert_true(json_is_true(json_object_get(rep, "sealed")));
	assert_true(json_is_true(json_object_get(rep, "ok")));
	json_decref(rep);

	/* anywhere: a copy of the published chain and the public key */
	char file[256];
	snprintf(file, sizeof(file), "%.120s/chain-3.json", S.dir);
	save(file, chain);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", second, file, pk), 0);
	assert_non_null(strstr(out, "your vote is counted as cast"));
	assert_non_null(strstr(out, "tally from the chain: 2 yes, 1 no, 0 abstain"));
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", first, file, pk), 1);
	assert_non_null(strstr(out, "superseded: your later vote (entry 4, no) is the one counted"));
	char other[65];
	memset(other, 'a', 64);
	other[64] = '\0';
	/* a chain from elsewhere needs the key the voter holds; in capitals, the same key */
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s", second, file), 2);
	char upper[65];
	for (int i = 0; i < 65; i++)
		upper[i] = (char)(pk[i] >= 'a' && pk[i] <= 'f' ? pk[i] - 'a' + 'A' : pk[i]);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", second, file, upper), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", second, file, other), 1);
	assert_non_null(strstr(out, "seal: the seal is signed by another key than the one given"));
	/* an altered receipt is no receipt: its own hash does not hold */
	char *forged = strdup(second);
	char *no = strstr(forged, ".no.");
	assert_non_null(no);
	memcpy(no, ".ok.", 4);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", forged, file, pk), 2); /* "ok" is no choice */
	memcpy(no, ".no.", 4);
	forged[strlen(forged) - 1] = forged[strlen(forged) - 1] == '0' ? '1' : '0';
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", forged, file, pk), 1);
	assert_non_null(strstr(out, "receipt: the receipt's fields do not give its hash"));

	/* who voted how stays with the body: the WR's owner sees the Board's
	 * chain (ballot 2) with tags, without names; a partner's
	 * representative and the public see nothing */
	r = as(&S, OWNER, "GET", "/api/v1/ballots/2/receipts", NULL);
	expect_status(r, 200);
	json_t *e0 = json_array_get(json_object_get(r.json, "entries"), 0);
	assert_non_null(e0);
	assert_null(json_object_get(e0, "name"));
	assert_null(json_object_get(e0, "person_id"));
	assert_int_equal(strlen(json_string_value(json_object_get(e0, "voter_tag"))), 32);
	resp_free(&r);
	r = as(&S, "greta@tgg.example", "GET", "/api/v1/ballots/2/receipts", NULL);
	expect_status(r, 403);
	resp_free(&r);
	r = req(&S, "GET", "/api/v1/ballots/2/receipts", NULL, NULL, NULL);
	expect_status(r, 401);
	resp_free(&r);

	/* bad input: a problem naming the field */
	r = as(&S, VP, "POST", "/api/v1/ballots/3/receipt-check", "{ss}", "receipt", "entente-receipt-1.3.1.zz");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "receipt");
	assert_non_null(strstr(r.ctype, "application/problem+json"));
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/ballots/2/receipt-check", "{ss}", "receipt", third); /* ballot 3's receipt */
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "receipt");
	resp_free(&r);

	/* the CLI against the database: the same answer; the seal never
	 * changes once signed (a trigger refuses it) */
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s", third), 0);
	assert_non_null(strstr(out, "your vote is counted as cast"));
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE ballot_seals SET head = 'x' WHERE ballot_id = 3\" >/dev/null 2>&1", S.db);
	assert_int_not_equal(system(cmd), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0); /* the record agrees with itself */
	free(first);
	free(second);
	free(third);
	free(forged);
	json_decref(chain);
	server_cleanup(&S);
}

/* Before the close, the database's holder changes the VP's vote and
 * re-hashes the chain so that it holds together; the seal then signs the
 * forgery, and only the VP's receipt tells. */
static const char rehash_py[] =
	"import hashlib, json, sqlite3, sys\n"
	"db = sqlite3.connect(sys.argv[1])\n"
	"db.executescript('DROP TRIGGER ballot_receipts_keep_u;')\n"
	"db.execute(\"UPDATE ballot_receipts SET choice = 'yes' WHERE ballot_id = 3 AND seq = 3\")\n"
	"db.execute(\"UPDATE votes SET choice = 'yes' WHERE ballot_id = 3 AND person_id = 2\")\n"
	"prev = '0' * 64\n"
	"for rid, seq, tag, choice in db.execute('SELECT id, seq, voter_tag, choice FROM ballot_receipts WHERE ballot_id = 3 ORDER BY seq').fetchall():\n"
	"    canon = json.dumps(['entente-ballot-receipt-1', 3, tag, choice, seq, prev], separators=(',', ':'))\n"
	"    h = hashlib.blake2b(canon.encode(), digest_size=32).hexdigest()\n"
	"    db.execute('UPDATE ballot_receipts SET prev = ?, receipt = ? WHERE id = ?', (prev, h, rid))\n"
	"    prev = h\n"
	"db.commit()\n";

/* A published chain with one vote taken out and the rest re-linked. */
static const char drop_py[] =
	"import hashlib, json, sys\n"
	"c = json.load(open(sys.argv[1]))\n"
	"c['entries'] = [e for e in c['entries'] if e['seq'] != 3]\n"
	"prev = '0' * 64\n"
	"for i, e in enumerate(c['entries']):\n"
	"    e['seq'] = i + 1\n"
	"    e['prev'] = prev\n"
	"    canon = json.dumps(['entente-ballot-receipt-1', c['ballot_id'], e['voter_tag'], e['choice'], e['seq'], prev], separators=(',', ':'))\n"
	"    e['receipt'] = prev = hashlib.blake2b(canon.encode(), digest_size=32).hexdigest()\n"
	"json.dump(c, open(sys.argv[1], 'w'))\n";

static void test_a_changed_or_missing_vote_shows_on_the_receipt(void **state)
{
	(void)state;
	char out[8192], pk[65], file[256], arg[600];
	unsigned char pkraw[32];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	server_start(&S, NULL);
	signing_public_key(&S, pkraw, pk);
	struct resp r = as(&S, VP, "POST", "/api/v1/ballots/3/votes", "{ss ss}", "choice", "no", "comment", "The milestones first.");
	expect_status(r, 200);
	char *mine = code_of(&r);
	assert_int_equal(jint(r.json, "receipt.seq"), 3);
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);

	/* the forgery, then the close through the server */
	python("rehash", rehash_py, S.db);
	server_start(&S, NULL);
	r = as(&S, OWNER, "POST", "/api/v1/ballots/3/votes", "{ss}", "choice", "yes");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "passed");
	resp_free(&r);
	json_t *chain = sealed_chain(&S, CHAIR, 3);
	assert_int_equal(jint(chain, "seal.yes"), 3); /* the forgery is what was sealed */
	json_t *rep = check(VP, 3, mine);
	assert_string_equal(jstr(rep, "verdict"), "changed");
	assert_false(json_is_true(json_object_get(rep, "ok")));
	assert_true(json_is_true(json_object_get(rep, "sealed"))); /* the chain holds together: only the receipt tells */
	json_t *p0 = json_array_get(json_object_get(rep, "problems"), 0);
	assert_string_equal(json_string_value(json_object_get(p0, "kind")), "changed");
	assert_int_equal(json_array_size(json_object_get(rep, "problems")), 1);
	json_decref(rep);
	snprintf(file, sizeof(file), "%.120s/chain-3.json", S.dir);
	save(file, chain);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", mine, file, pk), 1);
	assert_non_null(strstr(out, "changed: the chain's entry 3 is not your vote as cast (no)"));
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s", mine), 1);
	assert_non_null(strstr(out, "changed: "));
	/* and the audit chain names the vote whose row differs from its event */
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 1);
	assert_non_null(strstr(out, "votes "));
	assert_non_null(strstr(out, "says choice yes, its events"));

	/* a published chain with the VP's vote taken out and re-linked: the
	 * receipt is missing, and the seal no longer covers the chain */
	snprintf(arg, sizeof(arg), "%s", file);
	python("drop", drop_py, arg);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", mine, file, pk), 1);
	assert_non_null(strstr(out, "missing: your vote (entry 3, no) is not in the chain"));
	assert_non_null(strstr(out, "seal: the signed head (4 entries, "));
	/* a published chain with an entry altered and not re-hashed: named */
	json_object_set_new(json_array_get(json_object_get(chain, "entries"), 0), "choice", json_string("no"));
	save(file, chain);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", mine, file, pk), 1);
	assert_non_null(strstr(out, "chain: entry 1 is not what its receipt says"));
	free(mine);
	json_decref(chain);
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
		cmocka_unit_test_teardown(test_receipts_count_as_cast_and_check_anywhere, teardown),
		cmocka_unit_test_teardown(test_a_changed_or_missing_vote_shows_on_the_receipt, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
