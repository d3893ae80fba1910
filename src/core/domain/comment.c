/* Feedback on a draft, tracked to closure so that no partner or committee
 * comment is lost (R6, R15, R16). A working group speaks through its chair
 * (R6); a comment from a body other than the Originating Committee is routed
 * to its chair and to the VP of Alliances (R16). */
#include <string.h>

#include "core/domain/comment.h"
#include "core/domain/scope.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/notify.h"
#include "core/engine/rows.h"

static const char *const resolutions[] = { "accepted", "declined", "withdrawn", NULL };

const struct jfield core__comment_spec[] = {
	{ .name = "text", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 8000, .rule = "R16" },
	{ .name = "body_id", .type = JT_ID, .flags = JF_NULLABLE, .rule = "R6" },
	{ 0 }
};

const struct jfield core__resolve_spec[] = {
	{ .name = "status", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = resolutions, .rule = "R16" },
	{ .name = "resolution", .type = JT_TEXT, .max = 8000, .rule = "R16" },
	{ 0 }
};

static int64_t wr_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.record, "id")); }

int core__comment_list(struct ctx *x, struct err *e)
{
	static const char *const statuses[] = { "open", "accepted", "declined", "withdrawn", NULL };
	json_t *where = json_pack("{sI}", "wr_id", (json_int_t)wr_id(x));
	if (core__query_enum(x, where, "status", statuses, e)) {
		json_decref(where);
		return -1;
	}
	return core__list(x, "comments", where, NULL, e);
}

/* Ids of the chair of the Originating Committee and the VPs (R16). */
static json_t *routing(struct ctx *x)
{
	struct err ignored = ERR_INIT;
	json_t *ids = json_array(), *rows = NULL;
	json_t *w1 = json_pack("{sO ss}", "body_id", json_object_get(x->scope.record, "originating_body_id"), "role", "chair");
	json_t *w2 = json_pack("{ss}", "role", "vp_alliances");
	struct store_query q1 = { .where = w1 }, q2 = { .where = w2 };
	if (!store_find(x->st, "memberships", &q1, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows); i++)
			if (core__is_active(x, json_array_get(rows, i)))
				json_array_append(ids, json_object_get(json_array_get(rows, i), "person_id"));
	json_decref(rows);
	rows = NULL;
	if (!store_find(x->st, "officers", &q2, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows); i++)
			if (core__is_active(x, json_array_get(rows, i)))
				json_array_append(ids, json_object_get(json_array_get(rows, i), "person_id"));
	json_decref(rows);
	json_decref(w1);
	json_decref(w2);
	return ids;
}

int core__comment_add(struct ctx *x, struct err *e)
{
	const char *st = json_string_value(json_object_get(x->scope.record, "status"));
	json_t *bid = json_object_get(x->call->body, "body_id"), *b = NULL, *row = NULL, *made = NULL;
	int64_t id;
	int ret = -1;
	/* on a draft, and while it is balloted: voters ask questions (issue 21) */
	if (strcmp(st, "drafting") && strcmp(st, "socialization") && strcmp(st, "committee_ballots") && strcmp(st, "board_ballot"))
		return err_set(e, E_WRONG_STATE, "status",
			       "comments are taken on a draft (drafting, socialization) and during its ballots; this one is %s", st);
	if (json_is_integer(bid)) {
		if (store_get(x->st, "bodies", json_integer_value(bid), &b, e))
			return err_set(e, E_INVALID, "body_id", "refers to no existing body");
		const char *kind = json_string_value(json_object_get(b, "kind"));
		/* R6: a working group's input reaches the committee through its chair */
		if (!strcmp(kind, "working_group") && !x->actor.system && !core__seat(x, json_integer_value(bid), "chair")) {
			err_set(e, E_FORBIDDEN, "body_id", "a working group comments through its chair");
			snprintf(e->rule, sizeof(e->rule), "R6");
			goto out;
		}
		if (strcmp(kind, "working_group") && !x->actor.system && !core__seat(x, json_integer_value(bid), NULL)) {
			err_set(e, E_FORBIDDEN, "body_id", "only a member speaks for this body");
			goto out;
		}
	}
	row = json_pack("{sI sO ss ss so ss ss ss}", "wr_id", (json_int_t)wr_id(x), "revision",
			json_object_get(x->scope.record, "revision"), "author", x->actor.label, "text",
			json_string_value(json_object_get(x->call->body, "text")), "routed_to",
			json_is_integer(bid) && !json_equal(bid, json_object_get(x->scope.record, "originating_body_id")) ? routing(x) : json_array(),
			"status", "open", "created_at", x->now_iso, "updated_at", x->now_iso);
	if (x->actor.person_id)
		json_object_set_new(row, "author_id", json_integer(x->actor.person_id));
	if (json_is_integer(bid))
		json_object_set(row, "body_id", bid);
	if (store_insert(x->st, "comments", row, &id, e) || store_get(x->st, "comments", id, &made, e) ||
	    core__notify(x, "comment.added", NULL, "A comment on the draft Work Register", NULL, e))
		goto out;
	snprintf(x->reply->location, sizeof(x->reply->location), "/api/v1/work-registers/%lld/comments/%lld",
		 (long long)wr_id(x), (long long)id);
	core__reply(x, 201, json_incref(made));
	core__audit(x, "comment", id, NULL, json_incref(made));
	ret = 0;
out:
	json_decref(b);
	json_decref(row);
	json_decref(made);
	return ret;
}

/* Comments are scoped by their WR (path id) and their author (G_SELF). */
int core__scope_comment(struct ctx *x, struct err *e)
{
	int64_t cid;
	json_t *c = NULL;
	if (core__scope_wr(x, e) || core__path_id(x, "sub_id", &cid, e))
		return -1;
	if (store_get(x->st, "comments", cid, &c, e) || json_integer_value(json_object_get(c, "wr_id")) != wr_id(x)) {
		json_decref(c);
		return err_set(e, E_NOT_FOUND, NULL, "no such comment on this Work Register");
	}
	x->scope.person_id = json_integer_value(json_object_get(c, "author_id"));
	json_decref(c);
	return 0;
}

int core__comment_resolve(struct ctx *x, struct err *e)
{
	int64_t cid;
	json_t *cur = NULL, *ch = NULL, *after = NULL;
	const char *status = json_string_value(json_object_get(x->call->body, "status"));
	const char *why = json_string_value(json_object_get(x->call->body, "resolution"));
	int author = x->actor.person_id && x->actor.person_id == x->scope.person_id;
	int editor = x->actor.system || x->actor.vp || (x->actor.person_id && x->actor.person_id == x->scope.owner_id) ||
		     core__seat(x, json_integer_value(json_object_get(x->scope.record, "originating_body_id")), "chair");
	int ret = -1;
	core__path_id(x, "sub_id", &cid, e);
	if (store_get(x->st, "comments", cid, &cur, e))
		return -1;
	if (strcmp(json_string_value(json_object_get(cur, "status")), "open")) {
		err_set(e, E_CONFLICT, "status", "the comment is already %s", json_string_value(json_object_get(cur, "status")));
		goto out;
	}
	if (!strcmp(status, "withdrawn") ? !author && !x->actor.system : !editor) {
		err_set(e, E_FORBIDDEN, "status", !strcmp(status, "withdrawn") ? "only its author withdraws a comment"
								    : "the owner, the VP or the Originating Committee's chair closes a comment");
		snprintf(e->rule, sizeof(e->rule), "R16");
		goto out;
	}
	if (!strcmp(status, "declined") && (!why || !*why)) {
		err_set(e, E_MISSING_FIELD, "resolution", "a declined comment says why");
		snprintf(e->rule, sizeof(e->rule), "R16");
		goto out;
	}
	ch = json_pack("{ss ss ss ss}", "status", status, "resolved_by", x->actor.label, "resolved_at", x->now_iso, "updated_at", x->now_iso);
	if (why)
		json_object_set_new(ch, "resolution", json_string(why));
	if (store_update(x->st, "comments", cid, ch, e) || store_get(x->st, "comments", cid, &after, e) ||
	    core__notify(x, "comment.resolved", NULL, "Your comment was closed",
			 json_pack("{sO}", "commenter", json_object_get(cur, "author_id")), e))
		goto out;
	core__reply(x, 200, json_incref(after));
	core__audit(x, "comment", cid, cur, json_incref(after));
	cur = NULL;
	ret = 0;
out:
	json_decref(cur);
	json_decref(ch);
	json_decref(after);
	return ret;
}

int core__comment_insert(struct ctx *x, const char *text, int64_t ballot_id, int64_t body_id, const char *author, int64_t author_id, struct err *e)
{
	json_t *row = json_pack("{sI sO ss ss ss s[] ss ss}", "wr_id", (json_int_t)wr_id(x), "revision",
				json_object_get(x->scope.record, "revision"), "author", author, "text", text, "status", "open",
				"routed_to", "created_at", x->now_iso, "updated_at", x->now_iso);
	if (author_id)
		json_object_set_new(row, "author_id", json_integer(author_id));
	if (ballot_id)
		json_object_set_new(row, "ballot_id", json_integer(ballot_id));
	if (body_id)
		json_object_set_new(row, "body_id", json_integer(body_id));
	int ret = store_insert(x->st, "comments", row, NULL, e);
	json_decref(row);
	return ret;
}


/* A failed ballot sends the draft back with every "no" comment attached. */
int core__comments_from_no_votes(struct ctx *x, json_t *ballot, json_t *votes, struct err *e)
{
	for (size_t i = 0; i < json_array_size(votes); i++) {
		json_t *v = json_array_get(votes, i), *p = NULL;
		char author[200];
		if (strcmp(json_string_value(json_object_get(v, "choice")), "no"))
			continue;
		if (store_get(x->st, "people", json_integer_value(json_object_get(v, "person_id")), &p, e))
			return -1;
		snprintf(author, sizeof(author), "%s <%s>", json_string_value(json_object_get(p, "name")), json_string_value(json_object_get(p, "email")));
		json_decref(p);
		if (core__comment_insert(x, json_string_value(json_object_get(v, "comment")), json_integer_value(json_object_get(ballot, "id")),
					    json_integer_value(json_object_get(ballot, "body_id")), author,
					    json_integer_value(json_object_get(v, "person_id")), e))
			return -1;
	}
	return 0;
}
