/* entente audit verify: the chain recomputed (issue 11); exit status 1
 * when the record was tampered with. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "seal/seal.h"

int cmd_audit_verify(struct cli *c, int argc, char **argv)
{
	int as_json = 0, full = 0;
	json_t *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			as_json = 1;
		} else if (!strcmp(argv[i], "--full")) {
			full = 1;
		} else if (!strcmp(argv[i], "--help")) {
			printf("usage: entente audit verify [--full] [--json]\n\nRecomputes the hash chain of the audit log and checks the records "
			       "against their events;\nnames the first event that was edited, deleted or inserted, and any record that\n"
			       "differs from what its events say. Exit status 1 when anything does.\n\n"
			       "By default from the newest signed checkpoint that still holds: its signature vouches\n"
			       "for the events up to the one it signed, whose hash is still its head; the events after\n"
			       "it are recomputed, with the records and ballots they name. --full recomputes every\n"
			       "event and checks every checkpoint, record and ballot (an edit of an old event's content\n"
			       "that left the stored hashes alone is found only so). Memory stays the same either way.\n");
			return 0;
		} else {
			fprintf(stderr, "%s: unknown option %s\n", c->prog, argv[i]);
			return 2;
		}
	}
	json_t *params = full ? json_pack("{ss}", "full", "true") : NULL;
	int bad = cli_call(c, "audit.verify", params, NULL, &out);
	json_decref(params);
	if (bad)
		return 2;
	int ok = json_is_true(json_object_get(out, "ok"));
	if (as_json) {
		cli_print(out, 1);
	} else {
		json_t *from = json_object_get(out, "from");
		if (json_is_object(from))
			printf("from checkpoint %lld (event %lld, signed %s): %lld events after it recomputed, head %s\n",
			       (long long)json_integer_value(json_object_get(from, "checkpoint")), (long long)json_integer_value(json_object_get(from, "last_id")),
			       json_string_value(json_object_get(from, "at")), (long long)json_integer_value(json_object_get(out, "events")),
			       json_string_value(json_object_get(out, "head")));
		else
			printf("%lld events, %lld checkpoint(s), head %s\n", (long long)json_integer_value(json_object_get(out, "events")),
			       (long long)json_integer_value(json_object_get(out, "checkpoints")), json_string_value(json_object_get(out, "head")));
		json_t *ps = json_object_get(out, "problems");
		for (size_t i = 0; i < json_array_size(ps); i++) {
			json_t *p = json_array_get(ps, i);
			printf("%s: %s (%s %lld)\n", json_string_value(json_object_get(p, "kind")), json_string_value(json_object_get(p, "detail")),
			       json_string_value(json_object_get(p, "target_type")) ? json_string_value(json_object_get(p, "target_type")) : "-",
			       (long long)json_integer_value(json_object_get(p, "target_id")));
		}
		printf("%s\n", ok ? "the record is intact" : "the record was changed outside entente");
	}
	json_decref(out);
	return ok ? 0 : 1;
}

int cmd_audit_checkpoint(struct cli *c, int argc, char **argv)
{
	const char *given = NULL;
	char key[1100];
	struct err e = ERR_INIT;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--signing-key") && i + 1 < argc) {
			given = argv[++i];
		} else if (!strcmp(argv[i], "--help")) {
			printf("usage: entente audit checkpoint [--signing-key PATH]\n\nSigns the audit chain's head and length now "
			       "(Ed25519) and publishes the checkpoint\n(/registers/checkpoints); signs the seals of the ballots closed since.\n");
			return 0;
		} else {
			fprintf(stderr, "%s: unknown option %s\n", c->prog, argv[i]);
			return 2;
		}
	}
	seal_key_path(given, c->db_path, key, sizeof(key));
	int sealed;
	if (seal_checkpoint(c->st, key, "by hand", 1, &e) < 0 || (sealed = seal_ballots(c->st, key, &e)) < 0) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 1;
	}
	printf("checkpoint signed\n");
	if (sealed)
		printf("%d closed ballot(s) sealed\n", sealed);
	return 0;
}

int cmd_audit_export(struct cli *c, int argc, char **argv)
{
	json_t *out = NULL;
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: entente audit export > record.json\n\nPrints every audit event (with its hashes) and every signed checkpoint as one\n"
		       "JSON document; `entente audit check record.json --public-key HEX` checks it anywhere.\n");
		return 0;
	}
	if (cli_call(c, "audit.export", NULL, NULL, &out))
		return 1;
	int bad = json_dumpf(out, stdout, JSON_COMPACT | JSON_ENSURE_ASCII) || fputc('\n', stdout) == EOF;
	json_decref(out);
	return bad ? 1 : 0;
}

/* The standalone verifier: an export and the public key are all it needs. */
int cmd_audit_check(struct cli *c, int argc, char **argv)
{
	const char *file = NULL, *pk = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--public-key") && i + 1 < argc) {
			pk = argv[++i];
		} else if (!strcmp(argv[i], "--help")) {
			printf("usage: entente audit check FILE --public-key HEX\n\nRecomputes the hash chain of an export (entente audit export) and "
			       "checks every checkpoint's\nEd25519 signature under the public key given (published with the checkpoints)\n"
			       "and against the chain. Needs no database. Exit status 1 when anything fails.\n"
			       "A checkpoint signed by another key holds when the chain records that key as a successor of\n"
			       "the key given (entente keys rotate), down the line: a rotation event naming the old and the new\n"
			       "public key, covered by a checkpoint of the old key that holds (the old key vouched for the new).\n");
			return 0;
		} else if (!file && argv[i][0] != '-') {
			file = argv[i];
		} else {
			fprintf(stderr, "%s: unknown option %s\n", c->prog, argv[i]);
			return 2;
		}
	}
	if (!file || !pk || strlen(pk) != 64) {
		fprintf(stderr, "%s: give the export FILE and --public-key (64 hex characters)\n", c->prog);
		return 2;
	}
	json_error_t je;
	json_t *doc = json_load_file(file, 0, &je);
	if (!doc || strcmp(json_string_value(json_object_get(doc, "format")) ? json_string_value(json_object_get(doc, "format")) : "",
			   "entente-audit-export-1")) {
		fprintf(stderr, "%s: %s is not an entente audit export%s%s\n", c->prog, file, doc ? "" : ": ", doc ? "" : je.text);
		json_decref(doc);
		return 2;
	}
	json_t *found = json_array(), *cps = json_object_get(doc, "checkpoints");
	char head[65];
	core_chain_check(json_object_get(doc, "events"), cps, pk, found, head);
	size_t withheld = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(doc, "events")); i++)
		withheld += json_is_true(json_object_get(json_array_get(json_object_get(doc, "events"), i), "withheld"));
	printf("%zu events, head %s, %zu checkpoint(s)\n", json_array_size(json_object_get(doc, "events")), head, json_array_size(cps));
	if (withheld) /* issue 24: recorded before addresses were withheld */
		printf("%zu event(s) withheld: recorded before entente withheld e-mail addresses, they are checked by their place in the chain, not their content\n",
		       withheld);
	for (size_t i = 0; i < json_array_size(found); i++) {
		json_t *p = json_array_get(found, i);
		printf("%s: %s\n", json_string_value(json_object_get(p, "kind")), json_string_value(json_object_get(p, "detail")));
	}
	int ok = !json_array_size(found) && json_array_size(cps) > 0;
	if (!json_array_size(cps))
		printf("no checkpoint: nothing signed to check the record against\n");
	printf("%s\n", ok ? "the export is consistent and every checkpoint holds" : "the export does not check out");
	json_decref(found);
	json_decref(doc);
	return ok ? 0 : 1;
}

/* The successor checkpoint.list's keys record for key k, NULL when none. */
static const char *successor_of(const json_t *keys, const char *k)
{
	for (size_t i = 0; i < json_array_size(keys); i++) {
		const char *pk = json_string_value(json_object_get(json_array_get(keys, i), "public_key"));
		if (pk && !strcmp(pk, k))
			return json_string_value(json_object_get(json_array_get(keys, i), "successor"));
	}
	return NULL;
}

/* Issue 24: the key a seal of this database is checked under when none
 * is given: the key beside the database (current), or the seal's own
 * when the chain records it was rotated, down the line, to that key (a
 * ballot sealed before entente keys rotate). */
static const char *database_key(struct cli *c, const json_t *chain, const char *current)
{
	const char *k = json_string_value(json_object_get(json_object_get(chain, "seal"), "public_key")), *sealed = k;
	json_t *list = NULL, *keys;
	if (!k || !strcmp(k, current) || cli_call(c, "checkpoint.list", NULL, NULL, &list))
		return current;
	keys = json_object_get(list, "keys");
	for (size_t step = 0; k && strcmp(k, current) && step < json_array_size(keys); step++)
		k = successor_of(keys, k);
	int rotated = k && !strcmp(k, current);
	json_decref(list);
	return rotated ? sealed : current;
}

/* entente ballot verify-receipt: a voter's check that their vote is
 * counted as cast (issue 11). Against the database, or, with --chain,
 * against a published chain alone (GET /api/v1/ballots/{id}/receipts, or
 * entente ballot receipts --json), needing nothing else from the server. */
int cmd_ballot_verify_receipt(struct cli *c, int argc, char **argv)
{
	const char *code = NULL, *file = NULL, *pk = NULL;
	int as_json = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--chain") && i + 1 < argc) {
			file = argv[++i];
		} else if (!strcmp(argv[i], "--public-key") && i + 1 < argc) {
			pk = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			as_json = 1;
		} else if (!strcmp(argv[i], "--help")) {
			printf("usage: entente ballot verify-receipt RECEIPT [--chain FILE] [--public-key HEX] [--json]\n\n"
			       "Checks a vote's receipt (entente-receipt-1...., returned when the vote was cast)\n"
			       "against its ballot's chain of receipts: the receipt's own hash, every entry of the\n"
			       "chain, the receipt in its place and whether it is the voter's final vote, the tally\n"
			       "recomputed from the final votes against the published one, and the signed seal.\n"
			       "--chain FILE: a published chain (GET /api/v1/ballots/{id}/receipts) instead of the\n"
			       "database, with --public-key, the key the seal must be signed with (published with the\n"
			       "checkpoints); without --chain the key is by default the signing key beside the\n"
			       "database, when there is one, or a key the audit chain records it replaced (entente keys\n"
			       "rotate). Exit status 0 when the vote is counted as cast, 1 otherwise, 2 on a usage error.\n");
			return 0;
		} else if (!code && argv[i][0] != '-') {
			code = argv[i];
		} else {
			fprintf(stderr, "%s: unknown option %s\n", c->prog, argv[i]);
			return 2;
		}
	}
	json_t *parsed = core_receipt_parse(code);
	/* a chain from elsewhere is checked under a key the voter holds, not
	 * under the one the chain itself names */
	if (!parsed || (pk && strlen(pk) != 64) || (file && !pk)) {
		fprintf(stderr, "%s: give the RECEIPT (entente-receipt-1.BALLOT.SEQ.TAG.CHOICE.PREV.RECEIPT)%s\n", c->prog,
			pk || file ? " and a --public-key of 64 hex characters (with --chain, the published one)" : "");
		json_decref(parsed);
		return 2;
	}
	json_t *chain = NULL;
	char key[1100], pkh[65], given[65] = "";
	if (pk) { /* hex digits in either case */
		for (int i = 0; i < 64; i++)
			given[i] = (char)(pk[i] >= 'A' && pk[i] <= 'F' ? pk[i] - 'A' + 'a' : pk[i]);
		pk = given;
	}
	struct err e = ERR_INIT;
	if (file) {
		json_error_t je;
		chain = json_load_file(file, 0, &je);
		if (!chain || strcmp(json_string_value(json_object_get(chain, "format")) ? json_string_value(json_object_get(chain, "format")) : "",
				     "entente-ballot-receipts-1")) {
			fprintf(stderr, "%s: %s is not a ballot's chain of receipts%s%s\n", c->prog, file, chain ? "" : ": ", chain ? "" : je.text);
			json_decref(chain);
			json_decref(parsed);
			return 2;
		}
	} else {
		if (store_open(&c->st, c->db_path, &e) || store_schema_check(c->st, &e)) {
			fprintf(stderr, "%s: %s\n", c->prog, e.detail);
			json_decref(parsed);
			return 2;
		}
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(parsed, "ballot_id")));
		json_t *params = json_pack("{ss}", "id", id);
		int bad = cli_call(c, "ballot.receipts", params, NULL, &chain);
		json_decref(params);
		if (bad) {
			json_decref(parsed);
			return 2;
		}
		seal_key_path(NULL, c->db_path, key, sizeof(key));
		if (!pk && !seal_public_key(key, pkh, &e))
			pk = database_key(c, chain, pkh);
	}
	json_decref(parsed);
	json_t *r = core_receipt_check(chain, code, pk);
	int ok = json_is_true(json_object_get(r, "ok"));
	if (as_json) {
		cli_print(r, 1);
	} else {
		json_t *t = json_object_get(r, "tally"), *ce = json_object_get(r, "counted_entry");
		printf("ballot %lld: %lld entries, head %s, %s\n", (long long)json_integer_value(json_object_get(chain, "ballot_id")),
		       (long long)json_integer_value(json_object_get(r, "entries")), json_string_value(json_object_get(r, "head")),
		       json_is_true(json_object_get(r, "sealed")) ? "sealed" : "not sealed");
		printf("tally from the chain: %lld yes, %lld no, %lld abstain\n", (long long)json_integer_value(json_object_get(t, "yes")),
		       (long long)json_integer_value(json_object_get(t, "no")), (long long)json_integer_value(json_object_get(t, "abstain")));
		json_t *ps = json_object_get(r, "problems");
		for (size_t i = 0; i < json_array_size(ps); i++)
			printf("%s: %s\n", json_string_value(json_object_get(json_array_get(ps, i), "kind")),
			       json_string_value(json_object_get(json_array_get(ps, i), "detail")));
		const char *v = json_string_value(json_object_get(r, "verdict"));
		if (ok)
			printf("your vote is counted as cast\n");
		else if (!strcmp(v, "superseded"))
			printf("superseded: your later vote (entry %lld, %s) is the one counted\n", (long long)json_integer_value(json_object_get(ce, "seq")),
			       json_string_value(json_object_get(ce, "choice")));
		else
			printf("%s: your vote is not shown to be counted as cast\n", v);
	}
	json_decref(r);
	json_decref(chain);
	return ok ? 0 : 1;
}
