/* Issue 24, section 6 ("Keys"): entente keys rotate makes a new checkpoint
 * signing key; the old public key stays published with its period of
 * validity, and what it signed (checkpoints, ballot seals) still
 * verifies. Tested across a rotation: a vote sealed and checkpointed
 * under the old key; the rotation refused while the server holds the
 * database, then done; the server starts again (no rollback refusal) and
 * signs under the new key; then the record, the receipt and the public
 * page, and a tampered checkpoint of the old key still caught.
 *
 * Story demo: ballot 3, the Alliance Committee's on WR 4, is open with a
 * yes (the chair) and a no (the VP); the owner's vote closes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"

static struct server S;

/* The last line the CLI wrote on stderr. */
static void last_error(char *line, size_t n)
{
	char path[300], buf[2048];
	snprintf(path, sizeof(path), "%s/cli.err", S.dir);
	FILE *f = fopen(path, "r");
	*line = '\0';
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f))
		snprintf(line, n, "%s", buf);
	fclose(f);
}

/* The public key of a key file, in hex. */
static void public_of(const char *path, char hex[65])
{
	char skhex[140] = "";
	unsigned char sk[64], pk[32];
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(skhex, sizeof(skhex), f));
	fclose(f);
	assert_int_equal(sodium_hex2bin(sk, 64, skhex, 128, NULL, NULL, NULL), 0);
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_memzero(sk, sizeof(sk));
	sodium_bin2hex(hex, 65, pk, 32);
}

/* GET /api/v1/checkpoints, parsed (the caller's). */
static json_t *checkpoints(void)
{
	struct resp r = req(&S, "GET", "/api/v1/checkpoints", NULL, NULL, NULL);
	expect_status(r, 200);
	json_t *v = json_incref(r.json);
	resp_free(&r);
	return v;
}

/* The entry of keys for public key pk (fails the test without it). */
static json_t *key_entry(json_t *list, const char *pk)
{
	json_t *keys = json_object_get(list, "keys");
	for (size_t i = 0; i < json_array_size(keys); i++)
		if (!strcmp(jstr(json_array_get(keys, i), "public_key"), pk))
			return json_array_get(keys, i);
	fail_msg("no key %s among the published keys", pk);
	return NULL;
}

/* The time of the oldest checkpoint pk signed, among list's items. */
static const char *first_signed(json_t *list, const char *pk)
{
	json_t *items = json_object_get(list, "items");
	const char *at = NULL;
	for (size_t i = 0; i < json_array_size(items); i++) /* newest first */
		if (!strcmp(jstr(json_array_get(items, i), "public_key"), pk))
			at = jstr(json_array_get(items, i), "at");
	assert_non_null(at);
	return at;
}

/* S's database as another server struct: a copy of it (name.db in the
 * test's directory), tampered with by sql when not NULL. */
static void copy_of(struct server *t, const char *name, const char *sql)
{
	char cmd[1600];
	*t = S;
	snprintf(t->db, sizeof(t->db), "%.120s/%.40s.db", S.dir, name);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \".backup '%s'\"%s%s%s%s%s", S.db, t->db, sql ? " && sqlite3 " : "", sql ? t->db : "",
		 sql ? " \"" : "", sql ? sql : "", sql ? "\"" : "");
	if (system(cmd))
		fail_msg("could not copy: %s", cmd);
}

/* A rotation slipped into the chain by someone who holds the database but
 * not the key: an event re-hashed onto the chain's end, naming a key of
 * their own as the successor of the key in use (argv 2, 3). */
static const char forge_py[] =
	"import hashlib, json, sqlite3, sys\n"
	"db = sqlite3.connect(sys.argv[1])\n"
	"rid, prev = db.execute('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').fetchone()\n"
	"rid += 1\n"
	"at = '2030-01-01T00:00:00Z'\n"
	"after = {'event': 'signing key rotated', 'old_public_key': sys.argv[2], 'new_public_key': sys.argv[3]}\n"
	"canon = json.dumps([rid, at, None, 'system', 'signing_key.rotate', 'signing_key', None, None, after, prev],\n"
	"                   separators=(',', ':'), sort_keys=True, ensure_ascii=True)\n"
	"h = hashlib.blake2b(canon.encode(), digest_size=32).hexdigest()\n"
	"db.execute('INSERT INTO audit (id, at, actor, action, target_type, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',\n"
	"           (rid, at, 'system', 'signing_key.rotate', 'signing_key', json.dumps(after), prev, h))\n"
	"db.commit()\n";

static void python(const char *script, const char *args)
{
	char path[256], cmd[1200];
	snprintf(path, sizeof(path), "%.120s/forge.py", S.dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(script, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s", path, args);
	if (system(cmd))
		fail_msg("%s failed", cmd);
}

/* A key file of one's own (not entente's), and its public key. */
static void own_key(const char *path, char pk_hex[65])
{
	unsigned char pk[32], sk[64];
	char hex[129];
	crypto_sign_keypair(pk, sk);
	sodium_bin2hex(hex, sizeof(hex), sk, sizeof(sk));
	sodium_bin2hex(pk_hex, 65, pk, sizeof(pk));
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", hex);
	fclose(f);
}

/* The vote, the close, the seal and a checkpoint under the first key; the
 * rotation refused while the server runs, then done. Out: the receipt,
 * the ballot's chain, the old and new public keys, the retired file. */
static void vote_and_rotate(char **receipt, json_t **chain, char old[65], char next[65], char retired[300])
{
	static char out[8192];
	char line[2048], holder[64], keyfile[300], path[320];
	unsigned char raw[32];
	server_start(&S, NULL);
	signing_public_key(&S, raw, old);
	struct resp r = as(&S, VP, "POST", "/api/v1/ballots/3/votes", "{ss ss}", "choice", "no", "comment", "The milestones first.");
	expect_status(r, 200);
	*receipt = strdup(jstr(r.json, "receipt.code"));
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/ballots/3/votes", "{ss}", "choice", "yes"); /* the last eligible voter: closed */
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "status"), "passed");
	resp_free(&r);
	*chain = sealed_chain(&S, VP, 3);
	assert_string_equal(jstr(*chain, "seal.public_key"), old);
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoint"), 0);

	/* the server holds the database: refused, naming it, nothing changed */
	assert_int_equal(cli(&S, out, sizeof(out), "keys rotate"), 1);
	last_error(line, sizeof(line));
	snprintf(holder, sizeof(holder), "(pid %ld, entente serve)", (long)S.pid);
	assert_non_null(strstr(line, "is held by another entente"));
	assert_non_null(strstr(line, holder));
	assert_non_null(strstr(line, "stop it before rotating the signing key"));
	signing_public_key(&S, raw, next);
	assert_string_equal(next, old);
	snprintf(keyfile, sizeof(keyfile), "%s.signing-key", S.db);
	snprintf(path, sizeof(path), "%s.new", keyfile);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(server_stop(&S), 0);

	/* stopped: rotated, the old and new public keys printed */
	assert_int_equal(cli(&S, out, sizeof(out), "keys rotate"), 0);
	signing_public_key(&S, raw, next);
	assert_string_not_equal(next, old);
	snprintf(line, sizeof(line), "old public key: %s (retired; its file kept as %s.retired-", old, keyfile);
	assert_non_null(strstr(out, line));
	snprintf(line, sizeof(line), "new public key: %s\n", next);
	assert_non_null(strstr(out, line));
	/* the old key file kept beside the new, 0600, still the old key */
	const char *kept = strstr(out, "its file kept as ");
	assert_non_null(kept);
	snprintf(retired, 300, "%.*s", (int)strcspn(kept + 17, ")"), kept + 17);
	struct stat sb;
	assert_int_equal(stat(retired, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char was[65];
	public_of(retired, was);
	assert_string_equal(was, old);
	assert_int_equal(access(path, F_OK), -1); /* KEY.new is now KEY */
	/* the rollback witness is the new key's first checkpoint, the newest */
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoints --json"), 0);
	json_t *list = json_loads(out, 0, NULL), *newest = json_array_get(json_object_get(list, "items"), 0);
	assert_string_equal(jstr(newest, "public_key"), next);
	assert_string_equal(jstr(newest, "reason"), "signing key rotated: the first checkpoint under this key");
	assert_string_equal(jstr(json_array_get(json_object_get(list, "items"), 1), "public_key"), old);
	snprintf(path, sizeof(path), "%s.last-checkpoint", keyfile);
	json_t *witness = json_load_file(path, 0, NULL);
	assert_non_null(witness);
	assert_int_equal(jint(witness, "last_id"), jint(newest, "last_id"));
	assert_string_equal(jstr(witness, "head"), jstr(newest, "head"));
	json_decref(witness);
	json_decref(list);
}

static void test_a_rotated_key_stays_published_and_what_it_signed_verifies(void **state)
{
	(void)state;
	static char out[65536];
	char old[65], next[65], retired[300], file[300], cmd[1200], want[600];
	char *receipt = NULL;
	json_t *chain = NULL;
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	vote_and_rotate(&receipt, &chain, old, next, retired);

	/* the chain records it, as the system, with both keys */
	assert_int_equal(cli(&S, out, sizeof(out), "audit --target-type signing_key --json"), 0);
	json_t *events = json_loads(out, 0, NULL);
	json_t *ev = json_array_get(json_object_get(events, "items"), 0);
	assert_int_equal(json_array_size(json_object_get(events, "items")), 1);
	assert_string_equal(jstr(ev, "action"), "signing_key.rotate");
	assert_string_equal(jstr(ev, "actor"), "system");
	assert_string_equal(jstr(ev, "after.event"), "signing key rotated");
	assert_string_equal(jstr(ev, "after.old_public_key"), old);
	assert_string_equal(jstr(ev, "after.new_public_key"), next);
	char rotated_at[32];
	snprintf(rotated_at, sizeof(rotated_at), "%s", jstr(ev, "at"));
	json_decref(events);

	/* it starts again: the witness moved with the new key's checkpoint,
	 * and the server signs with the new key */
	server_start(&S, "--checkpoint-interval", "1", NULL);
	snprintf(cmd, sizeof(cmd), "grep -q 'public key %s' %s", next, S.log);
	assert_int_equal(system(cmd), 0);
	for (int i = 0; i < 3; i++) {
		struct resp r = as(&S, "sam@snia.example", "POST", "/api/v1/work-registers/1/comments", "{ss}", "text", "After the rotation.");
		expect_status(r, 201);
		resp_free(&r);
	}
	json_t *list = NULL;
	for (int i = 0; i < 100; i++) { /* the server's own checkpoint, under the new key */
		json_decref(list);
		list = checkpoints();
		json_t *c = json_array_get(json_object_get(list, "items"), 0);
		if (c && !strcmp(jstr(c, "reason"), "interval") && !strcmp(jstr(c, "public_key"), next))
			break;
		usleep(100000);
	}
	assert_string_equal(jstr(json_array_get(json_object_get(list, "items"), 0), "reason"), "interval");
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoint"), 0);

	/* audit verify, on the server: checkpoints of both keys hold */
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/audit/verify", NULL);
	expect_status(r, 200);
	if (!json_is_true(json_object_get(r.json, "ok")))
		fail_msg("audit verify: %s", r.raw);
	resp_free(&r);
	/* the receipt sealed under the old key: counted, on the server */
	r = as(&S, VP, "POST", "/api/v1/ballots/3/receipt-check", "{ss}", "receipt", receipt);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "verdict"), "counted");
	assert_true(json_is_true(json_object_get(r.json, "ok")));
	resp_free(&r);

	/* published: both keys with their periods, the old one's ending,
	 * naming its successor; the new one current */
	json_decref(list);
	list = checkpoints();
	assert_int_equal(json_array_size(json_object_get(list, "keys")), 2);
	json_t *ko = key_entry(list, old), *kn = key_entry(list, next);
	assert_string_equal(jstr(json_array_get(json_object_get(list, "keys"), 0), "public_key"), next); /* newest first */
	assert_true(json_is_true(json_object_get(kn, "current")));
	assert_true(json_is_null(json_object_get(kn, "until")));
	assert_string_equal(jstr(kn, "from"), rotated_at);
	assert_false(json_is_true(json_object_get(ko, "current")));
	assert_string_equal(jstr(ko, "from"), first_signed(list, old));
	assert_non_null(jstr(ko, "until"));
	assert_true(strcmp(jstr(ko, "until"), rotated_at) >= 0);
	assert_true(strcmp(jstr(ko, "until"), jstr(kn, "from")) >= 0); /* no gap between them */
	assert_string_equal(jstr(ko, "successor"), next);
	assert_string_equal(jstr(ko, "retired_at"), rotated_at);
	assert_true(jint(ko, "checkpoints") >= 3); /* the server's, by hand, the last one */
	/* issue 27: counted by key, not by reading every checkpoint: the same numbers */
	char count_sql[200];
	snprintf(count_sql, sizeof(count_sql), "SELECT count(*) FROM checkpoints WHERE public_key = '%s'", old);
	assert_int_equal(jint(ko, "checkpoints"), sql_int(S.db, count_sql));
	snprintf(count_sql, sizeof(count_sql), "SELECT count(*) FROM checkpoints WHERE public_key = '%s'", next);
	assert_int_equal(jint(kn, "checkpoints"), sql_int(S.db, count_sql));
	r = req(&S, "GET", "/registers/checkpoints", NULL, NULL, NULL);
	expect_status(r, 200);
	snprintf(want, sizeof(want), "<tr><td><code>%s</code></td><td>%s</td><td>%s</td>", old, jstr(ko, "from"), jstr(ko, "until"));
	if (!strstr(r.raw, want))
		fail_msg("the page does not show %s", want);
	snprintf(want, sizeof(want), "<tr><td><code>%s</code></td><td>%s</td><td>current</td>", next, jstr(kn, "from"));
	if (!strstr(r.raw, want))
		fail_msg("the page does not show %s", want);
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);

	/* the CLI: the record intact; the receipt counted against the
	 * database (its seal's key is one the current key replaced) */
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0);
	assert_non_null(strstr(out, "the record is intact"));
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s", receipt), 0);
	assert_non_null(strstr(out, "your vote is counted as cast"));
	/* against the published chain: under the old key, yes; the new key
	 * did not sign that seal */
	snprintf(file, sizeof(file), "%s/chain-3.json", S.dir);
	assert_int_equal(json_dump_file(chain, file, JSON_COMPACT), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", receipt, file, old), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s --chain %s --public-key %s", receipt, file, next), 1);
	assert_non_null(strstr(out, "the seal is signed by another key than the one given"));

	/* an outsider holding the old key accepts the new key's checkpoints:
	 * the chain records it as the successor, vouched for by the old key;
	 * holding the new key alone does not vouch for the old one's */
	snprintf(file, sizeof(file), "%s/record.json", S.dir);
	assert_int_equal(cli(&S, out, sizeof(out), "audit export > %s", file), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit check %s --public-key %s", file, old), 0);
	assert_non_null(strstr(out, "every checkpoint holds"));
	assert_int_equal(cli(&S, out, sizeof(out), "audit check %s --public-key %s", file, next), 1);
	assert_non_null(strstr(out, "does not hold under the public key given"));

	/* a checkpoint of the old key tampered with: still caught */
	struct server T;
	copy_of(&T, "tampered", "DROP TRIGGER checkpoints_keep_u; UPDATE checkpoints SET count = count + 1 WHERE id = "
				"(SELECT min(id) FROM checkpoints);");
	assert_int_equal(cli(&T, out, sizeof(out), "audit verify"), 0); /* the newest checkpoint holds: the walk starts there */
	assert_int_equal(cli(&T, out, sizeof(out), "audit verify --full"), 1);
	snprintf(want, sizeof(want), "checkpoint: checkpoint 1: its signature does not hold");
	assert_non_null(strstr(out, want));
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"SELECT public_key FROM checkpoints WHERE id = 1\" | grep -q %s", T.db, old);
	assert_int_equal(system(cmd), 0); /* it was one of the old key's */

	/* a rotation slipped in after the last checkpoint by someone without
	 * the old key, then checkpoints signed with their key: the database
	 * agrees with itself, but whoever holds the old key is not fooled */
	char evil_path[300], evil[65], args[800];
	snprintf(evil_path, sizeof(evil_path), "%s/evil.key", S.dir);
	own_key(evil_path, evil);
	copy_of(&T, "forged", NULL);
	snprintf(args, sizeof(args), "%s %s %s", T.db, next, evil);
	python(forge_py, args);
	assert_int_equal(cli(&T, out, sizeof(out), "audit checkpoint --signing-key %s", evil_path), 0);
	assert_int_equal(cli(&T, out, sizeof(out), "audit verify"), 0); /* what the database alone cannot tell */
	assert_int_equal(cli(&T, out, sizeof(out), "audit checkpoints --json"), 0);
	json_decref(list);
	list = json_loads(out, 0, NULL);
	assert_string_equal(jstr(json_array_get(json_object_get(list, "items"), 0), "public_key"), evil);
	assert_string_equal(jstr(key_entry(list, next), "successor"), evil); /* recorded, not vouched for */
	long long forged = jint(json_array_get(json_object_get(list, "items"), 0), "id");
	snprintf(file, sizeof(file), "%s/forged.json", S.dir);
	assert_int_equal(cli(&T, out, sizeof(out), "audit export > %s", file), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit check %s --public-key %s", file, old), 1);
	snprintf(want, sizeof(want), "checkpoint: checkpoint %lld: its signature does not hold under the public key given", forged);
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof(want), "checkpoint %lld:", forged - 1);
	assert_null(strstr(out, want)); /* the new key's last one still holds */

	/* rotated again: down the line, the first key still vouches */
	assert_int_equal(cli(&S, out, sizeof(out), "keys rotate"), 0);
	snprintf(file, sizeof(file), "%s/record2.json", S.dir);
	assert_int_equal(cli(&S, out, sizeof(out), "audit export > %s", file), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit check %s --public-key %s", file, old), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoints --json"), 0);
	json_decref(list);
	list = json_loads(out, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(list, "keys")), 3);
	assert_false(json_is_true(json_object_get(key_entry(list, next), "current")));
	assert_int_equal(cli(&S, out, sizeof(out), "ballot verify-receipt %s", receipt), 0);
	server_start(&S, NULL);
	assert_int_equal(server_stop(&S), 0);

	/* a backup takes the retired keys, and restore puts them back */
	char archive[300], restored[300], back[400];
	snprintf(archive, sizeof(archive), "%s/all.tgz", S.dir);
	snprintf(restored, sizeof(restored), "%s/restored", S.dir);
	assert_int_equal(cli(&S, out, sizeof(out), "backup %s", archive), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "restore %s %s", archive, restored), 0);
	snprintf(back, sizeof(back), "%s/entente.db.signing-key%s", restored, retired + strlen(S.db) + strlen(".signing-key"));
	char was[65];
	public_of(back, was);
	assert_string_equal(was, old);
	json_decref(list);
	json_decref(chain);
	free(receipt);
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
		cmocka_unit_test_teardown(test_a_rotated_key_stays_published_and_what_it_signed_verifies, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
