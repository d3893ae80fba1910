/* A person's home: what waits on them across the process (the WRs they
 * act on, the ballots they vote in, their assigned tasks), one page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain/home.h"
#include "core/domain/lifecycle.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/process.h"
#include "core/engine/rows.h"
#include "core/engine/settings.h"
#include "lib/util.h"

/* ---- my tasks ---- */

/* The person's tasks as they are found: all are counted, and only those of
 * the page asked for are made (a voter among 2,000 open ballots). */
struct tasks {
	json_t *items;
	size_t n, from, to;
};

/* Count one more task; 1 when it falls in the page. */
static int in_page(struct tasks *t)
{
	size_t k = t->n++;
	return k >= t->from && k < t->to;
}

static void item_add(json_t *items, const char *kind, json_t *wr, const char *what, json_t *extra)
{
	json_t *it = json_pack("{ss ss}", "kind", kind, "what", what);
	if (wr) {
		json_object_set(it, "wr_id", json_object_get(wr, "id"));
		json_object_set(it, "wr_title", json_object_get(wr, "title"));
		json_object_set(it, "wr_status", json_object_get(wr, "status"));
	}
	if (extra)
		json_object_update(it, extra);
	json_decref(extra);
	json_array_append_new(items, it);
}

static void item(struct tasks *t, const char *kind, json_t *wr, const char *what, json_t *extra)
{
	if (in_page(t))
		item_add(t->items, kind, wr, what, extra);
	else
		json_decref(extra);
}

static int is_rep(struct ctx *x, json_t *wr)
{
	return !x->actor.staff && json_integer_value(json_object_get(wr, "partner_id")) == x->actor.org_id;
}

static int by_id(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "id"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "id"));
	return x < y ? -1 : x > y;
}

/* The WRs that may hold a task for the person, from a few indexed queries
 * rather than every WR (the scale issue: me/tasks within 10 ms among
 * 10,000 WRs): those they own, their organization's (a representative),
 * and the states that wait on the VP (R7, R11, R27) or the Executive
 * Committee (R5). In id order, each once. */
static int wrs_for(struct ctx *x, json_t **out, struct err *e)
{
	json_t *filters = json_array(), *seen = json_object(), *all = json_array(), *f;
	size_t i;
	int ret = -1;
	if (x->actor.staff)
		json_array_append_new(filters, json_pack("{sI}", "owner_id", (json_int_t)x->actor.person_id));
	else
		json_array_append_new(filters, json_pack("{sI}", "partner_id", (json_int_t)x->actor.org_id));
	if (x->actor.vp) {
		json_array_append_new(filters, json_pack("{ss}", "status", "proposed"));
		json_array_append_new(filters, json_pack("{ss}", "status", "board_approved"));
		json_array_append_new(filters, json_pack("{ss}", "status", "established"));
	}
	if (core__seat_kind(x, "executive"))
		json_array_append_new(filters, json_pack("{ss}", "status", "committee_approved"));
	json_array_foreach(filters, i, f) {
		json_t *rows = NULL, *wr;
		size_t k;
		struct store_query q = { .where = f, .columns = "id,title,status,owner_id,partner_id,board_resolution,next_review_date" };
		if (store_find(x->st, "work_registers", &q, &rows, e))
			goto out;
		json_array_foreach(rows, k, wr) {
			char key[24];
			core__id_key(json_object_get(wr, "id"), key);
			if (!json_object_get(seen, key)) {
				json_object_set_new(seen, key, json_true());
				json_array_append(all, wr);
			}
		}
		json_decref(rows);
	}
	/* in id order, as one list would have given them */
	size_t n = json_array_size(all);
	json_t **v = n ? malloc(n * sizeof(*v)) : NULL;
	if (n && !v) {
		err_set(e, E_INTERNAL, NULL, "out of memory");
		goto out;
	}
	for (size_t a = 0; a < n; a++)
		v[a] = json_incref(json_array_get(all, a));
	if (n > 1) /* qsort takes no NULL, even for nothing */
		qsort(v, n, sizeof(*v), by_id);
	json_array_clear(all);
	for (size_t a = 0; a < n; a++)
		json_array_append_new(all, v[a]);
	free(v);
	*out = all;
	all = NULL;
	ret = 0;
out:
	json_decref(all);
	json_decref(seen);
	json_decref(filters);
	return ret;
}

/* The open ballots the person may vote in (ballot_voters: eligibility as
 * copied when each opened), and whether they have voted: counted by index,
 * and only the page's ballots read, with the person's votes among them. */
static int ballots_for(struct ctx *x, struct tasks *t, struct err *e)
{
	json_t *me = json_integer(x->actor.person_id), *open = json_pack("{ss}", "status", "open"), *ballots = NULL;
	json_t *mine = NULL, *ids = json_array(), *votes = NULL, *voted = json_object(), *v;
	struct store_query qb = { .where = open, .in_table = "ballot_voters", .in_column = "ballot_id", .in_key = "person_id",
				  .in_value = me, .columns = "id,wr_id,deadline" };
	int64_t n = 0;
	size_t i, first = t->n;
	int ret = -1;
	if (store_count(x->st, "ballots", &qb, &n, e))
		goto out;
	t->n += (size_t)n;
	/* the part of [first, first + n) that falls in the page */
	size_t from = t->from > first ? t->from : first, to = t->to < t->n ? t->to : t->n;
	if (from >= to) {
		ret = 0;
		goto out;
	}
	qb.offset = (int)(from - first);
	qb.limit = (int)(to - from);
	if (store_find(x->st, "ballots", &qb, &ballots, e))
		goto out;
	json_array_foreach(ballots, i, v)
		json_array_append(ids, json_object_get(v, "id"));
	mine = json_pack("{sO sO}", "person_id", me, "ballot_id", ids);
	struct store_query qv = { .where = mine, .columns = "ballot_id" };
	if (json_array_size(ids) && store_find(x->st, "votes", &qv, &votes, e))
		goto out;
	json_array_foreach(votes, i, v) {
		char key[24];
		core__id_key(json_object_get(v, "ballot_id"), key);
		json_object_set_new(voted, key, json_true());
	}
	json_array_foreach(ballots, i, v) {
		char key[24], deadline[21];
		core__id_key(json_object_get(v, "id"), key);
		int has = json_object_get(voted, key) != NULL;
		time_iso(json_integer_value(json_object_get(v, "deadline")), deadline);
		item_add(t->items, has ? "ballot_voted" : "vote", NULL,
			 has ? "You voted; you may change your vote until it closes" : "Vote in this ballot",
			 json_pack("{sO sO ss}", "ballot_id", json_object_get(v, "id"), "wr_id", json_object_get(v, "wr_id"), "deadline",
				   deadline));
	}
	ret = 0;
out:
	json_decref(me);
	json_decref(open);
	json_decref(mine);
	json_decref(ids);
	json_decref(ballots);
	json_decref(votes);
	json_decref(voted);
	return ret;
}

/* Issue 25: the change requests that wait on the person (R44): those of
 * the bodies they chair, every one for the VP, oldest first. */
static int crs_for(struct ctx *x, struct tasks *t, struct err *e)
{
	json_t *bodies = json_array(), *where, *rows = NULL, *s;
	size_t i;
	json_array_foreach(x->actor.seats, i, s)
		if (!strcmp(json_string_value(json_object_get(s, "role")), "chair"))
			json_array_append(bodies, json_object_get(s, "body_id"));
	if (!x->actor.vp && !json_array_size(bodies)) {
		json_decref(bodies);
		return 0;
	}
	where = json_pack("{s[sss]}", "status", "submitted", "under_review", "needs_discussion");
	if (!x->actor.vp)
		json_object_set(where, "body_id", bodies);
	struct store_query q = { .where = where, .columns = "id,dsp,standard_version,section,status,wr_id,created_at" };
	int ret = store_find(x->st, "change_requests", &q, &rows, e);
	json_array_foreach(rows, i, s) {
		const char *st = json_string_value(json_object_get(s, "status"));
		int fresh = !strcmp(st, "submitted");
		char what[300];
		snprintf(what, sizeof(what), "%s: change request %lld on %s %s%s%s (R44)",
			 fresh ? "Take it up for review" : !strcmp(st, "needs_discussion") ? "Discuss it in a joint meeting, then decide"
											  : "Accept or reject it",
			 (long long)json_integer_value(json_object_get(s, "id")), json_string_value(json_object_get(s, "dsp")),
			 json_string_value(json_object_get(s, "standard_version")), json_is_string(json_object_get(s, "section")) ? ", section " : "",
			 json_is_string(json_object_get(s, "section")) ? json_string_value(json_object_get(s, "section")) : "");
		item(t, fresh ? "cr_review" : "cr_decide", NULL, what,
		     json_pack("{sO sO sO}", "cr_id", json_object_get(s, "id"), "wr_id", json_object_get(s, "wr_id"), "since",
			       json_object_get(s, "created_at")));
	}
	json_decref(where);
	json_decref(rows);
	json_decref(bodies);
	return ret;
}

/* Issue 25: the joint meetings where the person is a participant who has
 * not yet acknowledged the DMTF IP policy (R48), before they end. */
static int meetings_for(struct ctx *x, struct tasks *t, struct err *e)
{
	/* a participant is the person, named by their record or by their
	 * address (one added by e-mail before they had an account) */
	json_t *me = NULL, *rows = NULL, *more = NULL, *p, *m = NULL, *where;
	size_t i;
	if (store_get(x->st, "people", x->actor.person_id, &me, e))
		return -1;
	where = json_pack("{sI ss sb}", "person_id", (json_int_t)x->actor.person_id, "ip_ack", "pending", "dmtf_member", 0);
	struct store_query q = { .where = where, .columns = "id,meeting_id" };
	int ret = store_find(x->st, "meeting_participants", &q, &rows, e);
	json_decref(where);
	where = json_pack("{sn sO ss sb}", "person_id", "email", json_object_get(me, "email"), "ip_ack", "pending", "dmtf_member", 0);
	q.where = where;
	if (!ret && !(ret = store_find(x->st, "meeting_participants", &q, &more, e)))
		json_array_extend(rows, more);
	json_decref(more);
	json_decref(me);
	json_array_foreach(rows, i, p) {
		if (ret || store_get(x->st, "joint_meetings", json_integer_value(json_object_get(p, "meeting_id")), &m, e)) {
			ret = -1;
			break;
		}
		const char *st = json_string_value(json_object_get(m, "status"));
		if (strcmp(st, "ended") && strcmp(st, "cancelled"))
			item(t, "meeting_ack", NULL, "Acknowledge the DMTF IP policy before the joint meeting (R48)",
			     json_pack("{sO sO sO sO sO sO}", "meeting_id", json_object_get(m, "id"), "meeting_title", json_object_get(m, "title"),
				       "starts_at", json_object_get(m, "starts_at"), "time_zone", json_object_get(m, "time_zone"), "participant_id",
				       json_object_get(p, "id"), "wr_id", json_object_get(m, "wr_id")));
		json_decref(m);
		m = NULL;
	}
	json_decref(where);
	json_decref(rows);
	return ret;
}

int core__me_tasks(struct ctx *x, struct err *e)
{
	json_t *wrs = NULL, *tasks = NULL, *items = json_array(), *where;
	int ret = -1;
	int64_t me = x->actor.person_id;
	char soon[11];
	int64_t from, lim;
	date_add_months(x->today, 3, soon);
	if (core__page_params(x, 'o', &from, &lim, e) || wrs_for(x, &wrs, e))
		goto out;
	struct tasks pg = { .items = items, .from = (size_t)from, .to = (size_t)(from + lim) };
	for (size_t i = 0; i < json_array_size(wrs); i++) {
		json_t *wr = json_array_get(wrs, i);
		const char *st = json_string_value(json_object_get(wr, "status"));
		int owner = json_integer_value(json_object_get(wr, "owner_id")) == me;
		int rep = is_rep(x, wr);
		if (!x->actor.staff && !rep)
			continue;
		if (!strcmp(st, "proposed") && x->actor.vp)
			item(&pg, "assign_owner", wr, "Assign an owner to this proposal (R11)", NULL);
		if (!strcmp(st, "drafting") && (owner || rep))
			item(&pg, "revise_draft", wr, "Revise the draft (R13)", NULL);
		if (!strcmp(st, "socialization") && owner)
			item(&pg, "answer_comments", wr, "Close out the comments, then submit (R16, R17)", NULL);
		if (!strcmp(st, "committee_approved") && core__seat_kind(x, "executive"))
			item(&pg, "schedule_board", wr, "Schedule the Board's ballot (R5)", NULL);
		if (!strcmp(st, "board_approved") && x->actor.vp && json_is_null(json_object_get(wr, "board_resolution")))
			item(&pg, "record_resolution", wr, "Record the Board resolution and date (R7)", NULL);
		if (!strcmp(st, "board_approved") && owner && !json_is_null(json_object_get(wr, "board_resolution")))
			item(&pg, "send_to_partner", wr, "Send the approved Work Register to the partner (R20)", NULL);
		if (!strcmp(st, "sent_to_partner") && rep)
			item(&pg, "accept", wr, "Accept or decline the Work Register (R20)", NULL);
		const char *due = json_string_value(json_object_get(wr, "next_review_date"));
		if (!strcmp(st, "established") && due && (owner || x->actor.vp) && strcmp(due, soon) <= 0)
			item(&pg, strcmp(due, x->today) < 0 ? "review_overdue" : "review_due", wr,
			     "Update the Work Register (at least every 24 months, R27)", json_pack("{ss}", "due", due));
	}
	if (ballots_for(x, &pg, e) || crs_for(x, &pg, e) || meetings_for(x, &pg, e))
		goto out;
	where = json_pack("{ss sI}", "status", "open", "assignee_id", (json_int_t)me);
	struct store_query qt = { .where = where };
	int bad = store_find(x->st, "tasks", &qt, &tasks, e);
	json_decref(where);
	if (bad)
		goto out;
	for (size_t i = 0; i < json_array_size(tasks); i++) {
		json_t *t = json_array_get(tasks, i);
		item(&pg, "handoff", NULL, json_string_value(json_object_get(t, "kind")),
		     json_pack("{sO sO sO sO}", "task_id", json_object_get(t, "id"), "wr_id", json_object_get(t, "wr_id"),
			       "rule", json_object_get(t, "rule"), "recipients", json_object_get(t, "recipients")));
	}
	/* in pages (a VP among 10,000 WRs may have thousands): the cursor is
	 * the offset of the next item */
	json_t *reply = json_pack("{sO sI}", "items", items, "total", (json_int_t)pg.n);
	if (pg.to < pg.n) {
		char next[32];
		snprintf(next, sizeof(next), "o%lld", (long long)(from + lim));
		json_object_set_new(reply, "next_cursor", json_string(next));
	} else {
		json_object_set_new(reply, "next_cursor", json_null());
	}
	core__reply(x, 200, reply);
	ret = 0;
out:
	json_decref(items);
	json_decref(wrs);
	json_decref(tasks);
	return ret;
}

/* ---- the portfolio (issue 25): the VP's view of every alliance ---- */

/* WRs by state (in the lifecycle's order, in words), the reviews due
 * within three months and overdue (R27), the stagnant (R31), and the open
 * change requests by age (R44). Counts only: the lists are a click away. */
int core__portfolio(struct ctx *x, struct err *e)
{
	const struct process *p = core__process_named(x, "work_register");
	json_t *counts = NULL, *states = json_array(), *est = NULL, *where, *w;
	char soon[11], month[21], quarter[21];
	int64_t due = 0, overdue = 0, stagnant = 0, total = 0, young = 0, middle = 0, old = 0;
	size_t i;
	int ret = -1;
	date_add_months(x->today, 3, soon);
	time_iso(x->call->now - 30 * 86400, month);
	time_iso(x->call->now - 90 * 86400, quarter);
	where = json_object();
	int bad = store_count_by(x->st, "work_registers", where, "status", &counts, e);
	json_decref(where);
	if (bad)
		goto out;
	for (int k = 0; p->states[k]; k++) {
		int64_t n = json_integer_value(json_object_get(counts, p->states[k]));
		total += n;
		json_array_append_new(states, json_pack("{ss ss ss sI}", "state", p->states[k], "label", core__state_label(p, p->states[k]), "tone",
							p->tones ? p->tones[k] : "work", "count", (json_int_t)n));
	}
	/* issue 27: counted by the database (ranges on indexed columns), not
	 * by reading every established WR and open change request */
	char buf[16], day[11], cutoff[16];
	int months = atoi(core__setting(x, "stagnation_months", buf, sizeof(buf)));
	/* a month less than the rule (month ends clamp): more candidates than
	 * stagnant WRs, never fewer; core__wr_stagnant says which are */
	date_add_months(x->today, -((months > 0 ? months : 24) - 1), day);
	snprintf(cutoff, sizeof(cutoff), "%sT~", day); /* after any time that day */
	json_t *open_crs = json_pack("[sss]", "submitted", "under_review", "needs_discussion");
	struct { int64_t *n; json_t *where; const char *table; } counted[] = {
		{ &due, json_pack("{ss s{ss ss}}", "status", "established", "next_review_date", ">=", x->today, "<=", soon), "work_registers" },
		{ &overdue, json_pack("{ss s{ss}}", "status", "established", "next_review_date", "<", x->today), "work_registers" },
		{ &young, json_pack("{sO s{ss}}", "status", open_crs, "created_at", ">=", month), "change_requests" },
		{ &middle, json_pack("{sO s{ss ss}}", "status", open_crs, "created_at", ">=", quarter, "<", month), "change_requests" },
		{ &old, json_pack("{sO s{ss}}", "status", open_crs, "created_at", "<", quarter), "change_requests" },
	};
	json_decref(open_crs);
	for (size_t k = 0; k < sizeof(counted) / sizeof(counted[0]); k++) {
		struct store_query cq = { .where = counted[k].where };
		if (!bad)
			bad = store_count(x->st, counted[k].table, &cq, counted[k].n, e);
		json_decref(counted[k].where);
	}
	if (bad)
		goto out;
	/* stagnant (R31): only a WR established before the cutoff can be; its
	 * milestones say whether it moved since */
	where = json_pack("{ss s{ss}}", "status", "established", "established_at", "<", cutoff);
	struct store_query qe = { .where = where, .columns = "id,established_at" };
	bad = store_find(x->st, "work_registers", &qe, &est, e);
	json_decref(where);
	if (bad)
		goto out;
	json_array_foreach(est, i, w)
		stagnant += core__wr_stagnant(x, w);
	core__reply(x, 200, json_pack("{sI sO sI sI sI s[{ss sI} {ss sI} {ss sI}]}", "total", (json_int_t)total, "states", states, "reviews_due",
				      (json_int_t)due, "reviews_overdue", (json_int_t)overdue, "stagnant", (json_int_t)stagnant,
				      "change_requests", "age", "under 30 days", "count", (json_int_t)young, "age", "30 to 90 days", "count",
				      (json_int_t)middle, "age", "over 90 days", "count", (json_int_t)old));
	ret = 0;
out:
	json_decref(counts);
	json_decref(states);
	json_decref(est);
	return ret;
}
