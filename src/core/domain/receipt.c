/* Ballot receipts (issue 11). Every vote cast is an entry of its ballot's
 * own hash chain, and its receipt is the entry's hash:
 *
 *   receipt = BLAKE2b-256 of the compact JSON array
 *             ["entente-ballot-receipt-1", ballot_id, voter_tag, choice, seq, prev]
 *
 * seq counts the votes cast in the ballot from 1 (a changed vote is a new
 * entry); prev is the receipt before it (64 zeros for the first); the
 * voter_tag stands for the voter: 32 random hex digits drawn at their first
 * vote in the ballot and kept for their later ones, so the chain can be
 * shown to whoever may see the ballot without saying who voted how (the
 * body's members see the names beside the tags, as they see the votes).
 *
 * The voter keeps the receipt code (entente-receipt-1.BALLOT.SEQ.TAG.
 * CHOICE.PREV.RECEIPT): it recomputes by itself. At the close the chain's
 * head, length and tally are written in the close's own transaction (a
 * seal), and the server's signer signs them (Ed25519, the checkpoint key):
 *
 *   entente ballot seal v1\nballot N\ncount C\nhead H\n
 *   tally yes Y no N abstain A\nclosed_at T\n
 *
 * core_receipt_check, pure, is the check the server (POST
 * /ballots/{id}/receipt-check), the CLI against the database and the CLI
 * against a published chain alone (entente ballot verify-receipt --chain)
 * all run: the receipt's own hash, the chain entry by entry, the receipt
 * in its place, the voter's final entry, the tally recomputed from the
 * final entries against the published one, the seal's signature and head. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/core.h"
#include "core/domain/receipt.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define CODE_PREFIX "entente-receipt-1."

void core_receipt_hash(long long ballot, const char *tag, const char *choice, long long seq, const char *prev, char out[65])
{
	json_t *canon = json_pack("[s I s s I s]", "entente-ballot-receipt-1", (json_int_t)ballot, tag ? tag : "", choice ? choice : "",
				  (json_int_t)seq, prev ? prev : "");
	char *text = json_dumps(canon, JSON_COMPACT | JSON_ENSURE_ASCII);
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)text, strlen(text), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
	free(text);
	json_decref(canon);
}

void core_seal_text(long long ballot, long long count, const char *head, long long yes, long long no, long long abstain,
		    const char *closed_at, char *out, size_t n)
{
	snprintf(out, n, "entente ballot seal v1\nballot %lld\ncount %lld\nhead %s\ntally yes %lld no %lld abstain %lld\nclosed_at %s\n",
		 ballot, count, head ? head : "", yes, no, abstain, closed_at ? closed_at : "");
}

static long long jll(const json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }
static const char *jstr_or(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)) ? json_string_value(json_object_get(o, k)) : ""; }

int core_seal_valid(const json_t *seal)
{
	char text[400];
	unsigned char pk[32], sig[64];
	const char *pkh = json_string_value(json_object_get(seal, "public_key")), *sh = json_string_value(json_object_get(seal, "signature"));
	if (!pkh || !sh || strlen(pkh) != 64 || strlen(sh) != 128 || sodium_hex2bin(pk, sizeof(pk), pkh, 64, NULL, NULL, NULL) ||
	    sodium_hex2bin(sig, sizeof(sig), sh, 128, NULL, NULL, NULL))
		return 0;
	core_seal_text(jll(seal, "ballot_id"), jll(seal, "count"), jstr_or(seal, "head"), jll(seal, "yes"), jll(seal, "no"),
		       jll(seal, "abstain"), jstr_or(seal, "closed_at"), text, sizeof(text));
	return crypto_sign_verify_detached(sig, (const unsigned char *)text, strlen(text), pk) == 0;
}

static int is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int is_choice(const char *c) { return !strcmp(c, "yes") || !strcmp(c, "no") || !strcmp(c, "abstain"); }

json_t *core_receipt_parse(const char *code)
{
	char tag[40], choice[10], prev[70], receipt[70];
	long long ballot, seq;
	int used = 0;
	if (!code || strncmp(code, CODE_PREFIX, strlen(CODE_PREFIX)) ||
	    sscanf(code + strlen(CODE_PREFIX), "%lld.%lld.%39[0-9a-f].%9[a-z].%69[0-9a-f].%69[0-9a-f]%n", &ballot, &seq, tag, choice, prev,
		   receipt, &used) != 6 ||
	    code[strlen(CODE_PREFIX) + (size_t)used] != '\0' || ballot < 1 || seq < 1 || !is_hex(tag, 32) || !is_choice(choice) ||
	    !is_hex(prev, 64) || !is_hex(receipt, 64))
		return NULL;
	return json_pack("{sI sI ss ss ss ss}", "ballot_id", (json_int_t)ballot, "seq", (json_int_t)seq, "voter_tag", tag, "choice", choice,
			 "prev", prev, "receipt", receipt);
}

static void receipt_code(const json_t *r, char *out, size_t n)
{
	snprintf(out, n, CODE_PREFIX "%lld.%lld.%s.%s.%s.%s", jll(r, "ballot_id"), jll(r, "seq"), jstr_or(r, "voter_tag"), jstr_or(r, "choice"),
		 jstr_or(r, "prev"), jstr_or(r, "receipt"));
}

static void finding(json_t *report, const char *kind, long long seq, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void finding(json_t *report, const char *kind, long long seq, const char *fmt, ...)
{
	char detail[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	json_array_append_new(json_object_get(report, "problems"), json_pack("{ss sI ss}", "kind", kind, "seq", (json_int_t)seq, "detail", detail));
}

/* How a ballot's chain first fails, if it does. */
enum walk_fault { WALK_OK, WALK_GAP, WALK_LINK, WALK_HASH };

/* A ballot's entries, in order, walked: each must be the next of the
 * sequence, follow the entry before it and hash to its receipt. head gets
 * the last entry's receipt (the chain's head as it is), finals (may be
 * NULL) each tag's last entry (the vote counted); the first fault is
 * returned, *at the index of its entry. The voter's check and audit
 * verify both walk a chain with this. */
static enum walk_fault chain_walk(long long ballot, const json_t *entries, char head[65], json_t *finals, size_t *at)
{
	enum walk_fault fault = WALK_OK;
	char hash[65];
	snprintf(head, 65, "%s", GENESIS);
	for (size_t i = 0; i < json_array_size(entries); i++) {
		json_t *en = json_array_get(entries, i);
		long long seq = jll(en, "seq");
		core_receipt_hash(ballot, jstr_or(en, "voter_tag"), jstr_or(en, "choice"), seq, jstr_or(en, "prev"), hash);
		if (!fault) {
			fault = seq != (long long)i + 1 ? WALK_GAP : strcmp(jstr_or(en, "prev"), head) ? WALK_LINK
				: strcmp(hash, jstr_or(en, "receipt")) ? WALK_HASH : WALK_OK;
			*at = i;
		}
		snprintf(head, 65, "%s", jstr_or(en, "receipt"));
		if (finals)
			json_object_set(finals, jstr_or(en, "voter_tag"), en);
	}
	return fault;
}

/* The checks, in the order a doubting voter would make them. */
json_t *core_receipt_check(const json_t *chain, const char *code, const char *public_key)
{
	json_t *report = json_pack("{sb s[] ss}", "ok", 0, "problems", "verdict", "unchecked"), *mine = core_receipt_parse(code);
	json_t *entries = json_object_get(chain, "entries"), *seal = json_object_get(chain, "seal"), *finals = json_object();
	long long ballot = jll(chain, "ballot_id"), n = (long long)json_array_size(entries);
	char hash[65], prev[65];
	if (!mine) {
		finding(report, "receipt", 0, "this is not an entente receipt (entente-receipt-1.BALLOT.SEQ.TAG.CHOICE.PREV.RECEIPT)");
		json_object_set_new(report, "verdict", json_string("not a receipt"));
		json_decref(finals);
		return report;
	}
	json_object_set(report, "receipt", mine);
	/* 1. the receipt is its own proof: its hash recomputes */
	core_receipt_hash(jll(mine, "ballot_id"), jstr_or(mine, "voter_tag"), jstr_or(mine, "choice"), jll(mine, "seq"), jstr_or(mine, "prev"), hash);
	int altered = strcmp(hash, jstr_or(mine, "receipt")) != 0;
	if (altered)
		finding(report, "receipt", jll(mine, "seq"), "the receipt's fields do not give its hash: it was altered");
	if (jll(mine, "ballot_id") != ballot)
		finding(report, "receipt", jll(mine, "seq"), "the receipt is of ballot %lld, the chain of ballot %lld", jll(mine, "ballot_id"), ballot);
	/* 2. the chain, entry by entry; each voter's last entry is the one counted */
	size_t fi = 0;
	enum walk_fault fault = chain_walk(ballot, entries, prev, finals, &fi);
	long long fseq = jll(json_array_get(entries, fi), "seq");
	if (fault == WALK_GAP)
		finding(report, "chain", (long long)fi + 1, "entry %lld is missing from the chain (entry %lld comes after entry %lld)",
			(long long)fi + 1, fseq, (long long)fi);
	else if (fault == WALK_LINK)
		finding(report, "chain", fseq, "entry %lld does not follow the entry before it", fseq);
	else if (fault == WALK_HASH)
		finding(report, "chain", fseq, "entry %lld is not what its receipt says: it was altered", fseq);
	json_object_set_new(report, "entries", json_integer(n));
	json_object_set_new(report, "head", json_string(prev));
	/* 3. the receipt in the chain, and whether it is the voter's final
	 * vote; when it is not there, whether its place holds another choice
	 * under the voter's tag (changed) or not (missing) */
	json_t *found = NULL, *at = NULL, *last = json_object_get(finals, jstr_or(mine, "voter_tag"));
	for (long long i = 0; i < n; i++) {
		json_t *x = json_array_get(entries, (size_t)i);
		if (!found && !strcmp(jstr_or(x, "receipt"), jstr_or(mine, "receipt")))
			found = x;
		if (!at && jll(x, "seq") == jll(mine, "seq"))
			at = x;
	}
	const char *verdict = "counted";
	if (!found && at && !strcmp(jstr_or(at, "voter_tag"), jstr_or(mine, "voter_tag"))) {
		finding(report, "changed", jll(mine, "seq"), "the chain's entry %lld is not your vote as cast (%s): it says %s", jll(mine, "seq"),
			jstr_or(mine, "choice"), jstr_or(at, "choice"));
		verdict = "changed";
	} else if (!found) {
		finding(report, "missing", jll(mine, "seq"), "your vote (entry %lld, %s) is not in the chain: it is missing", jll(mine, "seq"),
			jstr_or(mine, "choice"));
		verdict = "missing";
	} else if (last && last != found) {
		/* a later vote under the same tag counts instead: the voter's own
		 * change of mind, or someone else's doing the voter can tell */
		verdict = "superseded";
		json_object_set_new(report, "counted_entry", json_pack("{sI sO}", "seq", (json_int_t)jll(last, "seq"), "choice",
								       json_object_get(last, "choice")));
	}
	/* 4. the tally from the final entries against the published one */
	long long yes = 0, no = 0, abstain = 0;
	const char *tag;
	json_t *en;
	json_object_foreach(finals, tag, en) {
		const char *c = jstr_or(en, "choice");
		yes += !strcmp(c, "yes");
		no += !strcmp(c, "no");
		abstain += !strcmp(c, "abstain");
	}
	json_object_set_new(report, "tally", json_pack("{sI sI sI}", "yes", (json_int_t)yes, "no", (json_int_t)no, "abstain", (json_int_t)abstain));
	json_t *pub = json_object_get(chain, "tally");
	if (json_is_object(pub) && (jll(pub, "yes") != yes || jll(pub, "no") != no || jll(pub, "abstain") != abstain))
		finding(report, "tally", 0, "the published tally (%lld yes, %lld no, %lld abstain) is not the chain's (%lld yes, %lld no, %lld abstain)",
			jll(pub, "yes"), jll(pub, "no"), jll(pub, "abstain"), yes, no, abstain);
	/* 5. the seal: signed, by the key given, over this very chain */
	const char *status = jstr_or(chain, "status");
	if (!strcmp(status, "cancelled")) {
		finding(report, "cancelled", 0, "the ballot was cancelled (the draft went back to drafting): no vote of it counts");
		json_object_set_new(report, "sealed", json_false());
	} else if (!json_is_object(seal) || !json_is_string(json_object_get(seal, "signature"))) {
		if (strcmp(status, "open"))
			finding(report, "seal", 0, "the ballot is closed but its chain is not signed (yet)");
		json_object_set_new(report, "sealed", json_false());
	} else {
		json_object_set_new(report, "sealed", json_true());
		if (!core_seal_valid(seal) || jll(seal, "ballot_id") != ballot)
			finding(report, "seal", 0, "the seal's signature does not hold");
		else if (public_key && strcmp(public_key, jstr_or(seal, "public_key")))
			finding(report, "seal", 0, "the seal is signed by another key than the one given");
		if (jll(seal, "count") != n || strcmp(jstr_or(seal, "head"), prev))
			finding(report, "seal", jll(seal, "count"), "the signed head (%lld entries, %.16s...) is not the chain's (%lld entries, %.16s...)",
				jll(seal, "count"), jstr_or(seal, "head"), n, prev);
		if (jll(seal, "yes") != yes || jll(seal, "no") != no || jll(seal, "abstain") != abstain)
			finding(report, "seal", 0, "the signed tally (%lld yes, %lld no, %lld abstain) is not the chain's", jll(seal, "yes"),
				jll(seal, "no"), jll(seal, "abstain"));
	}
	int clean = !json_array_size(json_object_get(report, "problems"));
	if (!clean && !strcmp(verdict, "counted"))
		verdict = "not proven";
	if (altered) /* nothing can be said from an altered receipt */
		verdict = "altered receipt";
	json_object_set_new(report, "verdict", json_string(verdict));
	json_object_set_new(report, "ok", json_boolean(clean && !strcmp(verdict, "counted")));
	json_decref(mine);
	json_decref(finals);
	return report;
}

/* ---- for audit verify: every ballot's chain ---- */

static void ballot_problem(json_t *found, long long ballot, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ballot_problem(json_t *found, long long ballot, const char *fmt, ...)
{
	char detail[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	json_array_append_new(found, json_pack("{ss sI ss sI ss}", "kind", "receipts", "event", (json_int_t)0, "target_type", "ballot",
					       "target_id", (json_int_t)ballot, "detail", detail));
}

/* One ballot's chain of receipts recomputed (its first divergence), each
 * of its votes against its voter's last entry, its seal against its chain
 * and its signature. */
static int ballot_verify(struct ctx *x, long long ballot, json_t *found, struct err *e)
{
	json_t *w = json_pack("{sI}", "ballot_id", (json_int_t)ballot), *rows = NULL, *votes = NULL, *seals = NULL, *finals = json_object();
	struct store_query q = { .where = w, .order = "seq" }, vq = { .where = w, .columns = "id,ballot_id,choice,voter_tag" },
			   sq = { .where = w };
	static const char *const why[] = { [WALK_GAP] = "is missing or out of place", [WALK_LINK] = "does not follow the entry before it",
					   [WALK_HASH] = "is not what its receipt says" };
	int rc = -1;
	if (store_find(x->st, "ballot_receipts", &q, &rows, e) || store_find(x->st, "votes", &vq, &votes, e) ||
	    store_find(x->st, "ballot_seals", &sq, &seals, e))
		goto out;
	char head[65];
	size_t at = 0;
	enum walk_fault fault = chain_walk(ballot, rows, head, finals, &at);
	if (fault)
		ballot_problem(found, ballot, "ballot %lld: entry %lld of its receipts %s", ballot, jll(json_array_get(rows, at), "seq"), why[fault]);
	long long count = json_array_size(rows) ? jll(json_array_get(rows, json_array_size(rows) - 1), "seq") : 0;
	/* a vote (cast since receipts exist) says what its voter's last entry says */
	for (size_t i = 0; i < json_array_size(votes); i++) {
		json_t *v = json_array_get(votes, i);
		if (!json_is_string(json_object_get(v, "voter_tag")))
			continue;
		json_t *last = json_object_get(finals, jstr_or(v, "voter_tag"));
		if (!last || strcmp(jstr_or(last, "choice"), jstr_or(v, "choice")))
			ballot_problem(found, ballot, "ballot %lld: vote %lld says %s, its voter's last receipt says %s", ballot, jll(v, "id"),
				       jstr_or(v, "choice"), last ? jstr_or(last, "choice") : "nothing");
	}
	/* its seal covers its chain as it is, and a signed one holds */
	json_t *sl = json_array_get(seals, 0);
	if (sl && (jll(sl, "count") != count || strcmp(jstr_or(sl, "head"), head)))
		ballot_problem(found, ballot, "ballot %lld: its seal covers %lld entries, its chain now has %lld or another head", ballot,
			       jll(sl, "count"), count);
	else if (sl && json_is_string(json_object_get(sl, "signature")) && !core_seal_valid(sl))
		ballot_problem(found, ballot, "ballot %lld: the signature of its seal does not hold", ballot);
	rc = 0;
out:
	json_decref(w);
	json_decref(rows);
	json_decref(votes);
	json_decref(seals);
	json_decref(finals);
	return rc;
}

/* The ballots' receipts as audit verify sees them (issue 11): each
 * ballot of ballots ({id: true}), or every ballot when NULL, one at a
 * time (issue 27: memory bounded by the largest ballot, not the record).
 * Problems into found. */
int core__receipts_verify(struct ctx *x, const json_t *ballots, json_t *found, struct err *e)
{
	const char *key;
	json_t *v;
	if (ballots) {
		json_object_foreach((json_t *)ballots, key, v)
			if (ballot_verify(x, strtoll(key, NULL, 10), found, e))
				return -1;
		return 0;
	}
	int64_t after = 0;
	for (;;) {
		json_t *page = NULL;
		struct store_query q = { .after_id = after, .limit = 500, .columns = "id" };
		if (store_find(x->st, "ballots", &q, &page, e))
			return -1;
		size_t n = json_array_size(page);
		for (size_t i = 0; i < n; i++) {
			after = jll(json_array_get(page, i), "id");
			if (ballot_verify(x, after, found, e)) {
				json_decref(page);
				return -1;
			}
		}
		json_decref(page);
		if (n < 500)
			return 0;
	}
}

/* ---- in the vote's transaction ---- */

/* A ballot's chain as it ends now: its length (the last seq) and head. */
static int chain_tip(struct ctx *x, int64_t ballot_id, long long *count, char head[65], struct err *e)
{
	json_t *where = json_pack("{sI}", "ballot_id", (json_int_t)ballot_id), *last = NULL;
	struct store_query q = { .where = where, .order = "seq", .desc = 1, .limit = 1, .columns = "seq,receipt" };
	int rc = store_find(x->st, "ballot_receipts", &q, &last, e);
	json_decref(where);
	json_t *l = json_array_get(last, 0);
	*count = l ? jll(l, "seq") : 0;
	snprintf(head, 65, "%s", l ? jstr_or(l, "receipt") : GENESIS);
	json_decref(last);
	return rc ? -1 : 0;
}

int core__receipt_append(struct ctx *x, int64_t ballot_id, const char *tag, const char *choice, json_t **out, struct err *e)
{
	char hash[65], code[300], prev[65];
	long long seq;
	if (chain_tip(x, ballot_id, &seq, prev, e))
		return -1;
	seq++;
	core_receipt_hash(ballot_id, tag, choice, seq, prev, hash);
	json_t *row = json_pack("{sI sI sI ss ss ss ss ss}", "ballot_id", (json_int_t)ballot_id, "seq", (json_int_t)seq, "person_id",
				(json_int_t)x->actor.person_id, "voter_tag", tag, "choice", choice, "prev", prev, "receipt", hash, "at", x->now_iso);
	int rc = store_insert(x->st, "ballot_receipts", row, NULL, e);
	json_object_del(row, "person_id");
	json_object_del(row, "at");
	receipt_code(row, code, sizeof(code));
	json_object_set_new(row, "code", json_string(code));
	if (rc || !out)
		json_decref(row);
	else
		*out = row;
	return rc;
}

/* A new voter tag: 16 random bytes in hex. */
void core__voter_tag(char out[33])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, 33, b, sizeof(b));
}

/* The seal of a closing ballot: its chain's head and length and the tally,
 * unsigned until the signer signs it. */
int core__seal_write(struct ctx *x, int64_t ballot_id, const json_t *tally, struct err *e)
{
	char head[65];
	long long count;
	if (chain_tip(x, ballot_id, &count, head, e))
		return -1;
	json_t *row = json_pack("{sI sI ss sO sO sO ss}", "ballot_id", (json_int_t)ballot_id, "count", (json_int_t)count, "head", head, "yes",
				json_object_get(tally, "yes"), "no", json_object_get(tally, "no"), "abstain", json_object_get(tally, "abstain"),
				"closed_at", x->now_iso);
	int rc = store_insert(x->st, "ballot_seals", row, NULL, e);
	json_decref(row);
	return rc;
}

/* ---- actions ---- */

static int seal_of(struct ctx *x, int64_t ballot_id, json_t **out, struct err *e)
{
	json_t *where = json_pack("{sI}", "ballot_id", (json_int_t)ballot_id);
	int rc = store_find_one(x->st, "ballot_seals", where, out, e);
	json_decref(where);
	if (rc && e->code == E_NOT_FOUND) {
		err_clear(e);
		*out = NULL;
		return 0;
	}
	return rc;
}

/* The ballot's chain as published to those who may see the ballot: tags,
 * not names, except for the body's members (and the administrator). */
static json_t *chain_of(struct ctx *x, json_t *b, struct err *e)
{
	int64_t id = json_integer_value(json_object_get(b, "id")), body = json_integer_value(json_object_get(b, "body_id"));
	json_t *where = json_pack("{sI}", "ballot_id", (json_int_t)id), *rows = NULL, *seal = NULL, *names = json_object();
	struct store_query q = { .where = where, .order = "seq" };
	int named = x->actor.system || x->actor.admin || core__seat(x, body, NULL) || core__seat(x, body, "observer");
	int rc = store_find(x->st, "ballot_receipts", &q, &rows, e) || seal_of(x, id, &seal, e);
	json_decref(where);
	if (rc) {
		json_decref(rows);
		json_decref(names);
		return NULL;
	}
	if (named) {
		json_t *people = NULL;
		struct store_query pq = { .columns = "id,name", .in_table = "ballot_receipts", .in_column = "person_id", .in_key = "ballot_id" };
		json_t *bid = json_integer(id);
		pq.in_value = bid;
		struct err ignored = ERR_INIT;
		if (!store_find(x->st, "people", &pq, &people, &ignored))
			for (size_t i = 0; i < json_array_size(people); i++) {
				char key[24];
				core__id_key(json_object_get(json_array_get(people, i), "id"), key);
				json_object_set(names, key, json_object_get(json_array_get(people, i), "name"));
			}
		json_decref(bid);
		json_decref(people);
	}
	json_t *entries = json_array();
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i);
		json_t *en = json_pack("{sO sO sO sO sO}", "seq", json_object_get(r, "seq"), "voter_tag", json_object_get(r, "voter_tag"), "choice",
				       json_object_get(r, "choice"), "prev", json_object_get(r, "prev"), "receipt", json_object_get(r, "receipt"));
		if (named) {
			char key[24];
			core__id_key(json_object_get(r, "person_id"), key);
			json_object_set(en, "person_id", json_object_get(r, "person_id"));
			if (json_object_get(names, key))
				json_object_set(en, "name", json_object_get(names, key));
		}
		json_array_append_new(entries, en);
	}
	if (seal)
		json_object_del(seal, "id");
	json_t *t = json_object_get(b, "tally");
	json_t *out = json_pack("{ss sI sO sO sO sO so so}", "format", "entente-ballot-receipts-1", "ballot_id", (json_int_t)id, "wr_id",
				json_object_get(b, "wr_id"), "body_id", json_object_get(b, "body_id"), "purpose", json_object_get(b, "purpose"),
				"status", json_object_get(b, "status"), "entries", entries, "seal", seal ? seal : json_null());
	if (json_is_object(t) && strcmp(jstr_or(b, "status"), "open"))
		json_object_set_new(out, "tally", json_pack("{sO sO sO}", "yes", json_object_get(t, "yes"), "no", json_object_get(t, "no"),
							     "abstain", json_object_get(t, "abstain")));
	json_decref(rows);
	json_decref(names);
	return out;
}

int core__ballot_receipts(struct ctx *x, struct err *e)
{
	json_t *c = chain_of(x, x->scope.item, e);
	if (!c)
		return -1;
	core__reply(x, 200, c);
	return 0;
}

const struct jfield core__receipt_check_spec[] = {
	{ .name = "receipt", .type = JT_STR, .flags = JF_REQUIRED, .min = 1, .max = 400 },
	{ 0 }
};

/* The check run here, for the web page: the same as the CLI's, against the
 * chain as this server publishes it (an outsider runs it on a copy). */
int core__ballot_receipt_check(struct ctx *x, struct err *e)
{
	const char *code = json_string_value(json_object_get(x->call->body, "receipt"));
	json_t *parsed = core_receipt_parse(code);
	if (!parsed)
		return err_set(e, E_INVALID, "receipt", "not an entente receipt: entente-receipt-1.BALLOT.SEQ.TAG.CHOICE.PREV.RECEIPT");
	long long bid = jll(parsed, "ballot_id");
	json_decref(parsed);
	if (bid != json_integer_value(json_object_get(x->scope.item, "id")))
		return err_set(e, E_INVALID, "receipt", "this receipt is of ballot %lld", bid);
	json_t *c = chain_of(x, x->scope.item, e);
	if (!c)
		return -1;
	json_t *report = core_receipt_check(c, code, NULL);
	json_object_set(report, "seal", json_object_get(c, "seal"));
	json_decref(c);
	core__reply(x, 200, report);
	return 0;
}

/* The seals waiting for the signer. */
int core__seal_due(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{sn}", "signature"), *rows = NULL;
	struct store_query q = { .where = where, .limit = 100 };
	int rc = store_find(x->st, "ballot_seals", &q, &rows, e);
	json_decref(where);
	if (rc)
		return -1;
	core__reply(x, 200, json_pack("{so}", "items", rows));
	return 0;
}

const struct jfield core__seal_spec[] = {
	{ .name = "ballot_id", .type = JT_INT, .flags = JF_REQUIRED, .min = 1, .max = 1LL << 53 },
	{ .name = "public_key", .type = JT_STR, .flags = JF_REQUIRED, .min = 64, .max = 64 },
	{ .name = "signature", .type = JT_STR, .flags = JF_REQUIRED, .min = 128, .max = 128 },
	{ 0 }
};

/* The signer's signature, kept only when it holds for the seal as written. */
int core__seal_sign(struct ctx *x, struct err *e)
{
	json_t *b = x->call->body, *seal = NULL;
	if (seal_of(x, json_integer_value(json_object_get(b, "ballot_id")), &seal, e))
		return -1;
	if (!seal)
		return err_set(e, E_NOT_FOUND, "ballot_id", "ballot %lld has no seal to sign", jll(b, "ballot_id"));
	if (json_is_string(json_object_get(seal, "signature"))) {
		json_decref(seal);
		return err_set(e, E_CONFLICT, "ballot_id", "ballot %lld is already sealed", jll(b, "ballot_id"));
	}
	json_object_set(seal, "public_key", json_object_get(b, "public_key"));
	json_object_set(seal, "signature", json_object_get(b, "signature"));
	if (!core_seal_valid(seal)) {
		json_decref(seal);
		return err_set(e, E_INVALID, "signature", "the signature does not hold for this seal");
	}
	json_t *ch = json_pack("{sO sO ss}", "public_key", json_object_get(b, "public_key"), "signature", json_object_get(b, "signature"),
			       "signed_at", x->now_iso);
	int rc = store_update(x->st, "ballot_seals", json_integer_value(json_object_get(seal, "id")), ch, e);
	json_decref(ch);
	if (!rc) {
		core__reply(x, 200, json_pack("{sO sO}", "ballot_id", json_object_get(b, "ballot_id"), "head", json_object_get(seal, "head")));
		core__audit(x, "ballot_seal", json_integer_value(json_object_get(seal, "id")), NULL,
			    json_pack("{sO sO sO}", "ballot_id", json_object_get(b, "ballot_id"), "count", json_object_get(seal, "count"), "head",
				      json_object_get(seal, "head")));
	}
	json_decref(seal);
	return rc;
}
