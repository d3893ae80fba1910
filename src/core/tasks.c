/* Hand-offs when an alliance is established (R9: contacts to the mailing
 * list and the Alliance Partner Working Group, PR contacts to the press
 * list; R25: the announcement with the Marketing Committee), and the
 * "my tasks" view: what waits for the person asking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "lib/strbuf.h"
#include "lib/util.h"

static json_t *contacts_where(struct ctx *x, int pr)
{
	json_t *all = core__rows_of(x, "wr_contacts", json_integer_value(json_object_get(x->scope.wr, "id"))), *out = json_array();
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *c = json_array_get(all, i);
		if ((strcmp(json_string_value(json_object_get(c, "role")), "pr") == 0) == pr)
			json_array_append_new(out, json_pack("{sO sO sO}", "name", json_object_get(c, "name"), "email",
							     json_object_get(c, "email"), "role", json_object_get(c, "role")));
	}
	json_decref(all);
	return out;
}

static int task_add(struct ctx *x, const char *kind, const char *rule, json_t *assignee, json_t *recipients, json_t *payload, struct err *e)
{
	json_t *row = json_pack("{sO ss ss sO so so ss ss ss}", "wr_id", json_object_get(x->scope.wr, "id"), "kind", kind, "rule", rule,
				"assignee_id", assignee ? assignee : json_null(), "recipients", recipients, "payload", payload,
				"status", "open", "created_at", x->now_iso, "updated_at", x->now_iso);
	int ret = store_insert(x->st, "tasks", row, NULL, e);
	json_decref(row);
	if (ret)
		return -1;
	return core__notify(x, "task.created", NULL, kind, json_pack("{sO}", "assignee", assignee ? assignee : json_null()), e);
}

static json_t *first_vp(struct ctx *x)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{ss}", "role", "vp_alliances"), *rows = NULL, *id = NULL;
	struct store_query q = { .where = where };
	if (!store_find(x->st, "officers", &q, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows) && !id; i++)
			if (core__is_active(x, json_array_get(rows, i)))
				id = json_incref(json_object_get(json_array_get(rows, i), "person_id"));
	json_decref(where);
	json_decref(rows);
	return id;
}

/* One hand-off as a message to a configured address (R9, R25): the
 * contacts it carries, written out so the list's administrator can act
 * on the mail alone. */
static int handoff_mail(struct ctx *x, const char *to, const char *event, const char *subject, const char *intro, json_t *contacts,
			struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *wr = x->scope.wr;
	int ret;
	if (!to || !*to) {
		json_decref(contacts);
		return 0; /* no address configured: the task alone remains */
	}
	json_t *org = NULL;
	struct err ignored = ERR_INIT;
	store_get(x->st, "organizations", json_integer_value(json_object_get(wr, "partner_id")), &org, &ignored);
	strbuf_addf(&sb, "%s\n\nWork Register: %s\nPartner: %s\n", intro, json_string_value(json_object_get(wr, "title")),
		    org ? json_string_value(json_object_get(org, "name")) : "-");
	json_decref(org);
	if (contacts) {
		strbuf_addf(&sb, "\nContacts (%zu):\n", json_array_size(contacts));
		for (size_t i = 0; i < json_array_size(contacts); i++) {
			json_t *c = json_array_get(contacts, i);
			strbuf_addf(&sb, "  %s <%s> (%s)\n", json_string_value(json_object_get(c, "name")),
				    json_string_value(json_object_get(c, "email")), json_string_value(json_object_get(c, "role")));
		}
		if (!json_array_size(contacts))
			strbuf_addf(&sb, "  (none recorded on the Work Register yet)\n");
	}
	json_t *row = json_pack("{ss sO ss ss ss ss ss}", "event", event, "wr_id", json_object_get(wr, "id"), "email", to, "reason",
				"handoff", "subject", subject, "body", sb.buf, "created_at", x->now_iso);
	ret = core__outbox_put(x, row, NULL, e);
	json_decref(row);
	json_decref(contacts);
	strbuf_release(&sb);
	return ret;
}

int core__handoffs_create(struct ctx *x, struct err *e)
{
	char req[256], list[256], press[256];
	json_t *owner = json_object_get(x->scope.wr, "owner_id"), *vp = first_vp(x);
	int ret;
	core__setting(x, "requests_address", req, sizeof(req));
	core__setting(x, "alliance_list_address", list, sizeof(list));
	core__setting(x, "press_address", press, sizeof(press));
	ret = task_add(x, "partner_contacts", "R9", owner, json_pack("[s]", req),
		       json_pack("{so ss ss}", "contacts", contacts_where(x, 0), "mailing_list", list, "working_group",
				 "Alliance Partner Working Group"), e) ||
	      task_add(x, "press_contacts", "R9", owner, json_pack("[s]", press), json_pack("{so}", "contacts", contacts_where(x, 1)), e) ||
	      task_add(x, "press_release", "R25", vp ? vp : owner, json_pack("[ss]", press, "Marketing Committee"),
		       json_pack("{ss sO}", "announcement", "A new alliance partnership may be announced", "title",
				 json_object_get(x->scope.wr, "title")), e);
	json_decref(vp);
	if (ret)
		return -1;
	/* R9, R25: the hand-offs themselves, as mail to the configured addresses */
	return handoff_mail(x, req, "handoff.partner_contacts", "New alliance partner: please add its contacts (R9)",
			    "An alliance was established. Please add these partner contacts to the alliance-partner mailing list "
			    "and to the Alliance Partner Working Group.", contacts_where(x, 0), e) ||
			       handoff_mail(x, list, "handoff.alliance_list", "A new alliance partner has joined the list (R9)",
					    "An alliance was established; its contacts are being added to this list.", contacts_where(x, 0), e) ||
			       handoff_mail(x, press, "handoff.press_contacts", "New alliance partner: press contacts (R9, R25)",
					    "An alliance was established and may be announced. Please add these press contacts to the press "
					    "list; the VP of Alliances coordinates the announcement with the Marketing Committee (R25).",
					    contacts_where(x, 1), e)
		       ? -1
		       : 0;
}

int core__task_list(struct ctx *x, struct err *e)
{
	static const char *const statuses[] = { "open", "done", NULL };
	json_t *where = json_object();
	int64_t wr, who;
	if (core__query_enum(x, where, "status", statuses, e) || core__query_id(x, "wr_id", &wr, e) ||
	    core__query_id(x, "assignee_id", &who, e)) {
		json_decref(where);
		return -1;
	}
	if (wr)
		json_object_set_new(where, "wr_id", json_integer(wr));
	if (who)
		json_object_set_new(where, "assignee_id", json_integer(who));
	return core__list(x, "tasks", where, NULL, e);
}

int core__scope_task(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *t = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "tasks", id, &t, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such task");
	x->scope.person_id = json_integer_value(json_object_get(t, "assignee_id"));
	json_decref(t);
	return 0;
}

int core__task_complete(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *cur = NULL, *ch = NULL, *after = NULL;
	int ret = -1;
	core__path_id(x, "id", &id, e);
	if (store_get(x->st, "tasks", id, &cur, e))
		return -1;
	if (!strcmp(json_string_value(json_object_get(cur, "status")), "done")) {
		err_set(e, E_CONFLICT, "status", "the task is already done");
		goto out;
	}
	ch = json_pack("{ss ss ss ss}", "status", "done", "done_by", x->actor.label, "done_at", x->now_iso, "updated_at", x->now_iso);
	if (store_update(x->st, "tasks", id, ch, e) || store_get(x->st, "tasks", id, &after, e))
		goto out;
	core__reply(x, 200, json_incref(after));
	core__audit(x, "task", id, cur, json_incref(after));
	cur = NULL;
	ret = 0;
out:
	json_decref(cur);
	json_decref(ch);
	json_decref(after);
	return ret;
}

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
	if (ballots_for(x, &pg, e))
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
