/* Ballots of a body (a committee or the Board) on a frozen version of a WR,
 * an amendment or a removal. The eligible voters and the body's rules are
 * copied when it opens; one vote per voter (the write lock of the door's
 * transaction and a UNIQUE index make it atomic); a voter may change their
 * vote until it closes, at its deadline or as soon as every eligible voter
 * has voted; a closed ballot never changes (a trigger refuses it). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/domain/ballot.h"
#include "core/domain/receipt.h"
#include "core/domain/wr.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/notify.h"
#include "core/engine/rows.h"
#include "lib/util.h"

static const char *const choices[] = { "yes", "no", "abstain", NULL };

const struct jfield core__vote_spec[] = {
	{ .name = "choice", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = choices },
	{ .name = "comment", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 4000 },
	{ 0 }
};

/* The voting members (chair and voting seats) of a body today. */
static json_t *eligible_of(struct ctx *x, int64_t body_id, struct err *e)
{
	json_t *where = json_pack("{sI}", "body_id", (json_int_t)body_id), *rows = NULL, *ids = json_array();
	struct store_query q = { .where = where, .order = "person_id" };
	if (store_find(x->st, "memberships", &q, &rows, e)) {
		json_decref(ids);
		ids = NULL;
	}
	/* in person order, so a person's second seat follows their first: one
	 * look back finds it (issue 27: 8,000 voters took 0.9 s, each against
	 * every other) */
	for (size_t i = 0; ids && i < json_array_size(rows); i++) {
		json_t *m = json_array_get(rows, i), *last = json_array_get(ids, json_array_size(ids) ? json_array_size(ids) - 1 : 0);
		if (!strcmp(json_string_value(json_object_get(m, "role")), "observer") || !core__is_active(x, m))
			continue;
		if (!last || !json_equal(last, json_object_get(m, "person_id")))
			json_array_append(ids, json_object_get(m, "person_id"));
	}
	json_decref(where);
	json_decref(rows);
	return ids;
}

int core__ballot_open(struct ctx *x, int64_t body_id, const char *purpose, int64_t amendment_id, int64_t *id, struct err *e)
{
	json_t *b = NULL, *eligible = NULL, *row = NULL, *wr = x->scope.record;
	int ret = -1;
	if (store_get(x->st, "bodies", body_id, &b, e) || !(eligible = eligible_of(x, body_id, e)))
		goto out;
	if (!json_array_size(eligible)) {
		/* say which body and who can mend it (issue 21) */
		err_set(e, E_CONFLICT, "body_id",
			"%s (body %lld) has no voting members to ballot: an administrator seats them (POST /api/v1/bodies/%lld/members, "
			"role chair or voting); meanwhile the VP of Alliances may withdraw the Work Register",
			json_string_value(json_object_get(b, "name")), (long long)body_id, (long long)body_id);
		goto out;
	}
	int64_t due = x->call->now + json_integer_value(json_object_get(b, "ballot_days")) * 86400;
	row = json_pack("{sO sI ss sO sO ss sO sO sO sO ss ss sI ss ss}", "wr_id", json_object_get(wr, "id"),
			"body_id", (json_int_t)body_id, "purpose", purpose, "round", json_object_get(wr, "ballot_round"),
			"revision", json_object_get(wr, "revision"), "status", "open", "eligible", eligible,
			"quorum_percent", json_object_get(b, "quorum_percent"), "majority_num", json_object_get(b, "majority_num"),
			"majority_den", json_object_get(b, "majority_den"), "opened_by", core__acting_label(x), "opened_at", x->now_iso,
			"deadline", (json_int_t)due,
			"created_at", x->now_iso, "updated_at", x->now_iso);
	json_object_set_new(row, "eligible_count", json_integer((json_int_t)json_array_size(eligible)));
	if (amendment_id)
		json_object_set_new(row, "amendment_id", json_integer(amendment_id));
	if (store_insert(x->st, "ballots", row, id, e))
		goto out;
	/* issue 25: the mail says what is asked, by when, and links to the ballot */
	char deadline[24], subject[300], details[600], link[40];
	time_iso(due, deadline);
	deadline[10] = ' ';
	deadline[16] = '\0';
	snprintf(subject, sizeof(subject), "Your vote is asked by %.10s: the %s ballot on %s", deadline, json_string_value(json_object_get(b, "name")),
		 json_string_value(json_object_get(wr, "title")));
	snprintf(details, sizeof(details),
		 "What is asked: your vote (yes, no or abstain), which you may change until the ballot closes.\n"
		 "Deadline: %s UTC (%lld days).\n"
		 "It passes with a quorum of %lld%% of its %zu voters and %lld/%lld of the votes cast.",
		 deadline, (long long)json_integer_value(json_object_get(b, "ballot_days")),
		 (long long)json_integer_value(json_object_get(b, "quorum_percent")), json_array_size(eligible),
		 (long long)json_integer_value(json_object_get(b, "majority_num")), (long long)json_integer_value(json_object_get(b, "majority_den")));
	snprintf(link, sizeof(link), "#/ballot/%lld", (long long)*id);
	ret = core__notify(x, "ballot.opened", wr, subject, json_pack("{sO ss ss}", "voters", eligible, "details", details, "link", link), e);
out:
	json_decref(b);
	json_decref(eligible);
	json_decref(row);
	return ret;
}

int core__board_ballot_open(struct ctx *x, const char *purpose, int64_t amendment_id, int64_t *id, struct err *e)
{
	int64_t board = core__body_of_kind(x, "board");
	if (!board)
		return err_set(e, E_CONFLICT, NULL, "there is no Board of Directors: create a body of kind board");
	return core__ballot_open(x, board, purpose, amendment_id, id, e);
}

/* The tally by the body's rules: quorum of the eligible voters, majority
 * of the yes and no votes cast (RULES.md, what the seed leaves open). */
static json_t *tally_counts(json_t *ballot, long yes, long no, long abstain)
{
	/* the count kept beside the list (issue 27: a vote reads no list) */
	long n = (long)json_integer_value(json_object_get(ballot, "eligible_count"));
	long q = (long)json_integer_value(json_object_get(ballot, "quorum_percent"));
	long num = (long)json_integer_value(json_object_get(ballot, "majority_num"));
	long den = (long)json_integer_value(json_object_get(ballot, "majority_den"));
	long cast = yes + no + abstain, needed = (q * n + 99) / 100;
	int quorum = cast >= needed && cast > 0;
	int majority = yes + no > 0 && yes * den >= num * (yes + no);
	json_t *t = json_pack("{si si si si si si sb sb sb}", "eligible", (int)n, "cast", (int)cast, "yes", (int)yes, "no", (int)no,
			      "abstain", (int)abstain, "quorum_needed", (int)needed, "quorum_met", quorum, "majority_met", majority,
			      "passed", quorum && majority);
	/* issue 25: where it stands, for the ballot at a glance ("needs 2 more
	 * yes for two thirds"): the votes the quorum still needs, the yes
	 * votes the majority needs against the no votes cast (null when no
	 * number of yes can outweigh them: unanimity with a no), and who has
	 * not voted */
	long more_quorum = needed > cast ? needed - cast : cast ? 0 : 1, min_yes = -1;
	if (den > num)
		min_yes = (num * no + (den - num) - 1) / (den - num);
	else if (!no)
		min_yes = 0;
	if (min_yes == 0 && !no)
		min_yes = 1; /* a majority of nothing is none */
	json_object_set_new(t, "more_for_quorum", json_integer(more_quorum));
	json_object_set_new(t, "more_yes_for_majority", min_yes < 0 ? json_null() : json_integer(min_yes > yes ? min_yes - yes : 0));
	json_object_set_new(t, "not_voted", json_integer(n - cast > 0 ? n - cast : 0));
	return t;
}

static json_t *tally(json_t *ballot, json_t *votes)
{
	long yes = 0, no = 0, abstain = 0;
	for (size_t i = 0; i < json_array_size(votes); i++) {
		const char *c = json_string_value(json_object_get(json_array_get(votes, i), "choice"));
		if (!strcmp(c, "yes"))
			yes++;
		else if (!strcmp(c, "no"))
			no++;
		else
			abstain++;
	}
	return tally_counts(ballot, yes, no, abstain);
}

/* The tally from the database's count of each choice: one statement,
 * however many have voted. */
static json_t *tally_counted(struct ctx *x, json_t *ballot, struct err *e)
{
	json_t *where = json_pack("{sO}", "ballot_id", json_object_get(ballot, "id")), *counts = NULL, *t = NULL;
	if (!store_count_by(x->st, "votes", where, "choice", &counts, e))
		t = tally_counts(ballot, (long)json_integer_value(json_object_get(counts, "yes")),
				 (long)json_integer_value(json_object_get(counts, "no")),
				 (long)json_integer_value(json_object_get(counts, "abstain")));
	json_decref(where);
	json_decref(counts);
	return t;
}

static json_t *votes_of(struct ctx *x, int64_t ballot_id, struct err *e)
{
	json_t *where = json_pack("{sI}", "ballot_id", (json_int_t)ballot_id), *rows = NULL;
	struct store_query q = { .where = where, .order = "person_id" };
	if (store_find(x->st, "votes", &q, &rows, e))
		rows = NULL;
	json_decref(where);
	return rows;
}

/* Point the scope at the WR of a ballot. */
static int scope_wr_of(struct ctx *x, json_t *ballot, struct err *e)
{
	json_t *wr = NULL;
	if (x->scope.record && json_equal(json_object_get(x->scope.record, "id"), json_object_get(ballot, "wr_id")))
		return core__wr_reload(x, e);
	if (store_get(x->st, "work_registers", json_integer_value(json_object_get(ballot, "wr_id")), &wr, e))
		return -1;
	json_decref(x->scope.record);
	x->scope.record = wr;
	return 0;
}

/* What a ballot's result sets in motion is not the ballot's to know: it
 * tells the engine ("ballot.closed"), whose listeners (the WR's lifecycle,
 * amendments) act on the subject the ballot names. What follows is the
 * system's doing, not the last voter's (issue 11). */
static int follow(struct ctx *x, json_t *ballot, json_t *votes, int passed, struct err *e)
{
	char acting[80];
	int ret;
	if (scope_wr_of(x, ballot, e))
		return -1;
	snprintf(acting, sizeof(acting), "system (after ballot %lld %s)", (long long)json_integer_value(json_object_get(ballot, "id")),
		 passed ? "passed" : "failed");
	x->acting = acting;
	json_t *event = json_pack("{sO sO sb}", "ballot", ballot, "votes", votes, "passed", passed);
	ret = core__emit(x, "ballot.closed", event, e);
	json_decref(event);
	x->acting = NULL;
	return ret;
}

int core__ballot_close(struct ctx *x, int64_t ballot_id, const char *how, struct err *e)
{
	json_t *b = NULL, *votes = NULL, *t = NULL, *ch = NULL;
	int ret = -1;
	if (store_get(x->st, "ballots", ballot_id, &b, e) || !(votes = votes_of(x, ballot_id, e)))
		goto out;
	if (strcmp(json_string_value(json_object_get(b, "status")), "open")) {
		err_set(e, E_BALLOT_CLOSED, NULL, "ballot %lld is already closed", (long long)ballot_id);
		goto out;
	}
	t = tally(b, votes);
	int passed = json_is_true(json_object_get(t, "passed"));
	ch = json_pack("{ss ss ss sO ss}", "status", passed ? "passed" : "failed", "closed_at", x->now_iso, "closed_how", how,
		       "tally", t, "updated_at", x->now_iso);
	/* the receipts' chain sealed with the tally, in the close's own
	 * transaction; the signer signs it (issue 11) */
	if (store_update(x->st, "ballots", ballot_id, ch, e) || core__seal_write(x, ballot_id, t, e))
		goto out;
	json_object_update(b, ch);
	/* issue 25: which ballot, in words, and a link to it */
	json_t *body = NULL;
	struct err ignored = ERR_INIT;
	char subject[300], link[40];
	store_get(x->st, "bodies", json_integer_value(json_object_get(b, "body_id")), &body, &ignored);
	snprintf(subject, sizeof(subject), "The %s %s ballot %s", body ? json_string_value(json_object_get(body, "name")) : "",
		 json_string_value(json_object_get(b, "purpose")), passed ? "passed" : "failed");
	json_decref(body);
	snprintf(link, sizeof(link), "#/ballot/%lld", (long long)ballot_id);
	if (core__notify(x, "ballot.closed", NULL, subject, json_pack("{sO ss}", "body_id", json_object_get(b, "body_id"), "link", link), e) ||
	    follow(x, b, votes, passed, e))
		goto out;
	ret = 0;
out:
	json_decref(b);
	json_decref(votes);
	json_decref(t);
	json_decref(ch);
	return ret;
}

int core__ballot_cancel_open(struct ctx *x, int64_t wr_id, struct err *e)
{
	json_t *where = json_pack("{sI ss}", "wr_id", (json_int_t)wr_id, "status", "open"), *rows = NULL;
	struct store_query q = { .where = where };
	int ret = store_find(x->st, "ballots", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++) {
		json_t *ch = json_pack("{ss ss ss ss}", "status", "cancelled", "closed_at", x->now_iso, "closed_how",
				       "the draft returned to drafting", "updated_at", x->now_iso);
		ret = store_update(x->st, "ballots", json_integer_value(json_object_get(json_array_get(rows, i), "id")), ch, e);
		json_decref(ch);
	}
	json_decref(where);
	json_decref(rows);
	return ret;
}

/* ---- actions ---- */

/* A ballot without its list of eligible voters (issue 27: a vote costs
 * the same with 10 voters or 8,000; who may vote is ballot_voters'). */
static int ballot_lean(struct ctx *x, int64_t id, json_t **out, struct err *e)
{
	json_t *where = json_pack("{sI}", "id", (json_int_t)id), *rows = NULL;
	struct store_query q = { .where = where, .limit = 1, .columns = "-eligible" };
	int bad = store_find(x->st, "ballots", &q, &rows, e);
	json_decref(where);
	*out = bad ? NULL : json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (!bad && !*out)
		return err_set(e, E_NOT_FOUND, NULL, "no such ballot");
	return bad ? -1 : 0;
}

static int scope_of(struct ctx *x, int lean, struct err *e)
{
	int64_t id;
	json_t *b = NULL, *wr = NULL;
	if (core__path_id(x, "id", &id, e) || (lean ? ballot_lean(x, id, &b, e) : store_get(x->st, "ballots", id, &b, e)))
		return err_set(e, E_NOT_FOUND, NULL, "no such ballot");
	if (store_get(x->st, "work_registers", json_integer_value(json_object_get(b, "wr_id")), &wr, e)) {
		json_decref(b);
		return -1;
	}
	x->scope.item = b;
	x->scope.record = wr;
	x->scope.body_id = json_integer_value(json_object_get(b, "body_id"));
	x->scope.owner_id = json_integer_value(json_object_get(wr, "owner_id"));
	x->scope.proposer_id = json_integer_value(json_object_get(wr, "proposer_id"));
	x->scope.org_id = json_integer_value(json_object_get(wr, "partner_id"));
	return 0;
}

int core__scope_ballot(struct ctx *x, struct err *e) { return scope_of(x, 0, e); }
int core__scope_ballot_lean(struct ctx *x, struct err *e) { return scope_of(x, 1, e); }

/* Who voted how is visible to the body's members (and the administrator);
 * the tally to everyone who may see the ballot. */
/* A ballot's deadline is kept as a moment (seconds) and answered, as
 * every time of the API, in RFC 3339 (issue 22). */
static void deadline_iso(json_t *r)
{
	char at[32];
	json_t *d = json_object_get(r, "deadline");
	if (json_is_integer(d)) {
		time_iso(json_integer_value(d), at);
		json_object_set_new(r, "deadline", json_string(at));
	}
}

static json_t *ballot_row(struct ctx *x, json_t *b)
{
	(void)x;
	json_t *r = json_deep_copy(b);
	deadline_iso(r);
	return r;
}

static json_t *ballot_present(struct ctx *x, json_t *b, struct err *e)
{
	json_t *r = ballot_row(x, b), *votes = votes_of(x, json_integer_value(json_object_get(b, "id")), e);
	int64_t body = json_integer_value(json_object_get(b, "body_id"));
	if (!votes) {
		json_decref(r);
		return NULL;
	}
	if (!strcmp(json_string_value(json_object_get(b, "status")), "open"))
		json_object_set_new(r, "tally", tally(b, votes));
	if (x->actor.system || x->actor.admin || core__seat(x, body, NULL) || core__seat(x, body, "observer")) {
		/* who voted how, by name */
		json_t *named = json_deep_copy(votes), *ids = json_array(), *people = NULL, *names = json_object();
		for (size_t i = 0; i < json_array_size(named); i++)
			json_array_append(ids, json_object_get(json_array_get(named, i), "person_id"));
		json_t *where = json_pack("{so}", "id", ids); /* the voters, in one statement */
		struct store_query q = { .where = where };
		struct err ignored = ERR_INIT;
		if (!store_find(x->st, "people", &q, &people, &ignored))
			for (size_t i = 0; i < json_array_size(people); i++) {
				char key[24];
				json_t *p = json_array_get(people, i);
				core__id_key(json_object_get(p, "id"), key);
				json_object_set(names, key, json_object_get(p, "name"));
			}
		for (size_t i = 0; i < json_array_size(named); i++) {
			char key[24];
			json_t *v = json_array_get(named, i);
			core__id_key(json_object_get(v, "person_id"), key);
			if (json_object_get(names, key))
				json_object_set(v, "name", json_object_get(names, key));
		}
		json_decref(where);
		json_decref(people);
		json_decref(names);
		json_object_set_new(r, "votes", named);
	}
	for (size_t i = 0; i < json_array_size(votes); i++) {
		json_t *v = json_array_get(votes, i);
		if (json_integer_value(json_object_get(v, "person_id")) == x->actor.person_id)
			json_object_set(r, "my_vote", v);
	}
	json_decref(votes);
	/* the comments made on the version under ballot since it opened: the
	 * voters' questions, shown to the voters (issue 21) */
	json_t *where = json_pack("{sO sO}", "wr_id", json_object_get(b, "wr_id"), "revision", json_object_get(b, "revision")), *cs = NULL,
	       *asked = json_array();
	struct store_query cq = { .where = where, .order = "id" };
	struct err none = ERR_INIT;
	if (!store_find(x->st, "comments", &cq, &cs, &none))
		for (size_t i = 0; i < json_array_size(cs); i++) {
			json_t *c = json_array_get(cs, i);
			const char *at = json_string_value(json_object_get(c, "created_at")), *opened = json_string_value(json_object_get(b, "opened_at"));
			if (at && opened && strcmp(at, opened) >= 0 && !json_is_integer(json_object_get(c, "ballot_id")))
				json_array_append_new(asked, json_pack("{sO sO sO sO sO}", "id", json_object_get(c, "id"), "author",
								       json_object_get(c, "author"), "text", json_object_get(c, "text"), "status",
								       json_object_get(c, "status"), "created_at", json_object_get(c, "created_at")));
		}
	json_object_set_new(r, "comments", asked);
	json_decref(where);
	json_decref(cs);
	return r;
}

int core__ballot_get(struct ctx *x, struct err *e)
{
	json_t *r = ballot_present(x, x->scope.item, e);
	if (!r)
		return -1;
	core__reply(x, 200, r);
	return 0;
}

int core__ballot_list(struct ctx *x, struct err *e)
{
	static const char *const statuses[] = { "open", "passed", "failed", "cancelled", NULL };
	json_t *where = json_object();
	int64_t wr, body;
	if (core__query_enum(x, where, "status", statuses, e) || core__query_id(x, "wr_id", &wr, e) ||
	    core__query_id(x, "body_id", &body, e)) {
		json_decref(where);
		return -1;
	}
	if (wr)
		json_object_set_new(where, "wr_id", json_integer(wr));
	if (body)
		json_object_set_new(where, "body_id", json_integer(body));
	return core__list(x, "ballots", where, ballot_row, e);
}

int core__ballot_vote(struct ctx *x, struct err *e)
{
	json_t *b = x->scope.item, *where = NULL, *cur = NULL, *row = NULL, *receipt = NULL;
	char tag[33];
	const char *choice = json_string_value(json_object_get(x->call->body, "choice"));
	json_t *comment = json_object_get(x->call->body, "comment");
	int64_t id = json_integer_value(json_object_get(b, "id")), vid;
	int ret = -1;
	if (strcmp(json_string_value(json_object_get(b, "status")), "open") ||
	    x->call->now >= json_integer_value(json_object_get(b, "deadline")))
		return err_set(e, E_BALLOT_CLOSED, NULL, "ballot %lld is closed", (long long)id);
	if (!strcmp(choice, "no") && (!json_is_string(comment) || !*json_string_value(comment)))
		return err_set(e, E_INVALID, "comment", "a no vote carries a comment saying what must change");
	where = json_pack("{sI sI}", "ballot_id", (json_int_t)id, "person_id", (json_int_t)x->actor.person_id);
	if (store_find_one(x->st, "votes", where, &cur, e) && e->code != E_NOT_FOUND)
		goto out;
	/* the voter's tag in the ballot's chain of receipts: drawn at the
	 * first vote, kept for the later ones */
	if (cur && json_is_string(json_object_get(cur, "voter_tag")))
		snprintf(tag, sizeof(tag), "%s", json_string_value(json_object_get(cur, "voter_tag")));
	else
		core__voter_tag(tag);
	row = json_pack("{ss sO ss ss}", "choice", choice, "comment", json_is_string(comment) ? comment : json_null(), "updated_at", x->now_iso,
			"voter_tag", tag);
	if (cur) {
		vid = json_integer_value(json_object_get(cur, "id"));
		if (store_update(x->st, "votes", vid, row, e))
			goto out;
	} else {
		json_object_set_new(row, "ballot_id", json_integer(id));
		json_object_set_new(row, "person_id", json_integer(x->actor.person_id));
		json_object_set_new(row, "created_at", json_string(x->now_iso));
		if (store_insert(x->st, "votes", row, &vid, e))
			goto out;
	}
	if (core__receipt_append(x, id, tag, choice, &receipt, e))
		goto out;
	core__audit(x, "vote", vid, cur, json_pack("{sI ss}", "ballot_id", (json_int_t)id, "choice", choice));
	cur = NULL;
	/* the reply: the ballot, its tally and the vote; who voted how is the
	 * ballot's own page (GET), so a cast costs the same with 10 voters or
	 * 1,000 */
	json_t *t = tally_counted(x, b, e), *fresh = NULL, *mine = NULL;
	if (!t)
		goto out;
	/* closes early once every eligible voter has voted */
	if (json_integer_value(json_object_get(t, "cast")) >= json_integer_value(json_object_get(t, "eligible")) &&
	    core__ballot_close(x, id, "every eligible voter voted", e)) {
		json_decref(t);
		goto out;
	}
	if (ballot_lean(x, id, &fresh, e) || store_get(x->st, "votes", vid, &mine, e)) {
		json_decref(t);
		json_decref(fresh);
		goto out;
	}
	if (!strcmp(json_string_value(json_object_get(fresh, "status")), "open"))
		json_object_set_new(fresh, "tally", t);
	else
		json_decref(t); /* closed: the tally the close recorded */
	json_object_set_new(fresh, "my_vote", mine);
	json_object_set(fresh, "receipt", receipt);
	deadline_iso(fresh);
	core__reply(x, 200, fresh);
	ret = 0;
out:
	json_decref(where);
	json_decref(cur);
	json_decref(row);
	json_decref(receipt);
	return ret;
}
