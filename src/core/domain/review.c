/* Time-driven parts of the process: the scheduler's tick (ballots that
 * reach their deadline close, review reminders at the configured lead times,
 * drafting target reminders, stagnation notices), the list of reviews due, and milestone progress on an
 * established WR (R26, R27, R31). Now is always the caller's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain/ballot.h"
#include "core/domain/handoff.h"
#include "core/domain/lifecycle.h"
#include "core/domain/review.h"
#include "core/engine/ctx.h"
#include "core/engine/notify.h"
#include "core/engine/outbox.h"
#include "core/engine/settings.h"
#include "lib/util.h"

static const char *const progress_states[] = { "planned", "in_progress", "complete", "dropped", NULL };

const struct jfield core__progress_spec[] = {
	{ .name = "status", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = progress_states, .rule = "R26" },
	{ .name = "completed_date", .type = JT_DATE, .flags = JF_NULLABLE, .rule = "R26" },
	{ 0 }
};

/* Note a reminder once per WR, kind, due date and lead time; 1 when new. */
static int remind_once(struct ctx *x, json_t *wr, const char *kind, const char *due, int lead, struct err *e)
{
	json_t *row = json_pack("{sO ss ss si ss}", "wr_id", json_object_get(wr, "id"), "kind", kind, "due_date", due,
				"lead_days", lead, "created_at", x->now_iso);
	int ret = store_insert(x->st, "reminders", row, NULL, e);
	json_decref(row);
	if (ret && e->code == E_DUPLICATE) {
		err_clear(e);
		return 0;
	}
	return ret ? -1 : 1;
}

/* Whole days from today to the date due (negative once it has passed). */
static int64_t days_left(const struct ctx *x, const char *due) { return (date_epoch(due) - date_epoch(x->today)) / 86400; }

/* The nearest lead time (days, from the comma-separated setting) that
 * left days have reached, or -1. */
static int nearest_lead(const char *leads_setting, int64_t left)
{
	char leads[128];
	int best = -1;
	snprintf(leads, sizeof(leads), "%s", leads_setting);
	for (char *save = NULL, *t = strtok_r(leads, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int lead = atoi(t);
		if (lead >= left && (best < 0 || lead < best))
			best = lead;
	}
	return best;
}

/* One open ballot's deadline reminder, when a lead time is reached and
 * it was not sent yet: to the eligible voters who have not voted. 1 when
 * sent, 0 when not due, -1 on error. */
static int ballot_reminder(struct ctx *x, json_t *b, struct err *e)
{
	char days[128], due[11], subject[160];
	int64_t deadline = json_integer_value(json_object_get(b, "deadline")), id = json_integer_value(json_object_get(b, "id"));
	json_t *wr = NULL, *voted = NULL, *waiting = json_array(), *w;
	int lead, ret = -1;
	if (deadline <= x->call->now) {
		json_decref(waiting);
		return 0;
	}
	core__setting(x, "deadline_reminder_days", days, sizeof(days));
	time_date(deadline, due);
	if ((lead = nearest_lead(days[0] ? days : "7,3,1,0", days_left(x, due))) < 0) {
		json_decref(waiting);
		return 0;
	}
	snprintf(subject, sizeof(subject), "ballot:%lld", (long long)id);
	if (store_get(x->st, "work_registers", json_integer_value(json_object_get(b, "wr_id")), &wr, e))
		goto out;
	int r = remind_once(x, wr, subject, due, lead, e);
	if (r <= 0) {
		ret = r;
		goto out;
	}
	w = json_pack("{sI}", "ballot_id", (json_int_t)id);
	struct store_query q = { .where = w, .columns = "person_id" };
	int bad = store_find(x->st, "votes", &q, &voted, e);
	json_decref(w);
	if (bad)
		goto out;
	json_t *eligible = json_object_get(b, "eligible");
	for (size_t i = 0; i < json_array_size(eligible); i++) {
		int has = 0;
		for (size_t k = 0; k < json_array_size(voted) && !has; k++)
			has = json_equal(json_object_get(json_array_get(voted, k), "person_id"), json_array_get(eligible, i));
		if (!has)
			json_array_append(waiting, json_array_get(eligible, i));
	}
	snprintf(subject, sizeof(subject), "The %s ballot closes in %d day%s, on %s: your vote is missing",
		 json_string_value(json_object_get(b, "purpose")), lead, lead == 1 ? "" : "s", due);
	if (lead == 0)
		snprintf(subject, sizeof(subject), "The %s ballot closes today, %s: your vote is missing",
			 json_string_value(json_object_get(b, "purpose")), due);
	char link[40];
	snprintf(link, sizeof(link), "#/ballot/%lld", (long long)json_integer_value(json_object_get(b, "id")));
	ret = json_array_size(waiting) ? core__notify(x, "ballot.reminder", wr, subject, json_pack("{sO ss}", "voters", waiting, "link", link), e) : 0;
	ret = ret ? -1 : 1;
out:
	json_decref(wr);
	json_decref(voted);
	json_decref(waiting);
	return ret;
}

/* A date a WR's people must meet: a notice of the process's ".due" event
 * at the nearest lead time reached, and one of ".overdue" once it has
 * passed, each noted once (kinds: the reminders' kind of each). 1 when a
 * notice went, 0 when none was due, -1 on error. */
static int remind_due(struct ctx *x, json_t *wr, const char *due, const char *leads, const char *const kinds[2], const char *process,
		      const char *due_subject, const char *over_subject, struct err *e)
{
	int64_t left = days_left(x, due);
	int over = left < 0, lead = over ? 0 : nearest_lead(leads, left), r;
	char event[48];
	if (lead < 0)
		return 0;
	snprintf(event, sizeof(event), "%s.%s", process, over ? "overdue" : "due");
	if ((r = remind_once(x, wr, kinds[over], due, lead, e)) > 0 && core__notify(x, event, wr, over ? over_subject : due_subject, NULL, e))
		return -1;
	return r;
}

static int set_scope_wr(struct ctx *x, json_t *wr)
{
	json_decref(x->scope.record);
	x->scope.record = json_incref(wr);
	return 0;
}

/* Section 2.2 (issue 21): a draft's target date. Its owner hears of it at
 * the nearest lead time reached (drafting_reminder_days), once; when it
 * passes with the WR still in drafting, the VP of Alliances (and the
 * owner) hear of it, once per target date. The number of notices, or -1. */
static int drafting_reminders(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{ss}", "status", "drafting"), *wrs = NULL;
	struct store_query q = { .where = where };
	char days[128];
	int count = 0;
	if (store_find(x->st, "work_registers", &q, &wrs, e))
		count = -1;
	core__setting(x, "drafting_reminder_days", days, sizeof(days));
	for (size_t i = 0; count >= 0 && i < json_array_size(wrs); i++) {
		json_t *wr = json_array_get(wrs, i);
		const char *due = json_string_value(json_object_get(wr, "drafting_target_date"));
		if (!due)
			continue;
		static const char *const kinds[2] = { "drafting_due", "drafting_overdue" };
		char soon[200], late[200];
		snprintf(soon, sizeof(soon), "The draft is due on %s (%lld day(s) left)", due, (long long)days_left(x, due));
		snprintf(late, sizeof(late), "The draft was due on %s and is still in drafting", due);
		set_scope_wr(x, wr);
		int r = remind_due(x, wr, due, days, kinds, "drafting", soon, late, e);
		count = r < 0 ? -1 : count + r;
	}
	json_decref(where);
	json_decref(wrs);
	return count;
}

int core__scheduler_run(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{ss}", "status", "open"), *ballots = NULL, *wrs = NULL;
	struct store_query q = { .where = where, .order = "deadline" };
	int closed = 0, reminders = 0, stagnant = 0, ret = -1;
	char days[128];
	if (store_find(x->st, "ballots", &q, &ballots, e))
		goto out;
	for (size_t i = 0; i < json_array_size(ballots); i++) {
		json_t *b = json_array_get(ballots, i), *fresh = NULL;
		if (json_integer_value(json_object_get(b, "deadline")) > x->call->now)
			break;
		/* an earlier close in this tick may have cancelled it */
		if (store_get(x->st, "ballots", json_integer_value(json_object_get(b, "id")), &fresh, e))
			goto out;
		int open = !strcmp(json_string_value(json_object_get(fresh, "status")), "open");
		json_decref(fresh);
		if (!open)
			continue;
		if (core__ballot_close(x, json_integer_value(json_object_get(b, "id")), "deadline", e))
			goto out;
		closed++;
	}
	/* ballots still open: their voters who have not voted hear of the
	 * deadline at the configured lead times (default 7, 3, 1 days and on
	 * the day), once each */
	for (size_t i = 0; i < json_array_size(ballots); i++) {
		int r = ballot_reminder(x, json_array_get(ballots, i), e);
		if (r < 0)
			goto out;
		reminders += r;
	}
	int drafting = drafting_reminders(x, e);
	if (drafting < 0)
		goto out;
	reminders += drafting;
	int digests = core__outbox_digests(x, e);
	if (digests < 0)
		goto out;
	json_decref(where);
	where = json_pack("{ss}", "status", "established");
	q.where = where;
	q.order = NULL;
	if (store_find(x->st, "work_registers", &q, &wrs, e))
		goto out;
	core__setting(x, "review_reminder_days", days, sizeof(days));
	for (size_t i = 0; i < json_array_size(wrs); i++) {
		json_t *wr = json_array_get(wrs, i);
		const char *due = json_string_value(json_object_get(wr, "next_review_date"));
		set_scope_wr(x, wr);
		if (due) {
			static const char *const kinds[2] = { "due", "overdue" };
			int r = remind_due(x, wr, due, days, kinds, "review", "The Work Register's regular update is due (R27)",
					   "The Work Register's update is overdue (R27)", e);
			if (r < 0)
				goto out;
			reminders += r;
		}
		if (core__wr_stagnant(x, wr)) {
			int r = remind_once(x, wr, "stagnant", due ? due : x->today, 0, e);
			if (r < 0 || (r && core__notify(x, "wr.stagnant", wr, "No milestone progressed within the review period (R31)", NULL, e)))
				goto out;
			stagnant += r;
		}
	}
	core__reply(x, 200, json_pack("{si si si si ss}", "ballots_closed", closed, "reminders", reminders, "stagnation_notices", stagnant,
				      "digests", digests, "now", x->now_iso));
	/* issue 27: a tick that did nothing is not recorded (it would be
	 * 525,600 events a year, and a checkpoint each hour for them) */
	if (closed || reminders || stagnant || digests)
		core__audit(x, "scheduler", 0, NULL, json_pack("{si si si si}", "ballots_closed", closed, "reminders", reminders, "stagnant",
							      stagnant, "digests", digests));
	else
		x->nothing_done = 1;
	ret = 0;
out:
	json_decref(where);
	json_decref(ballots);
	json_decref(wrs);
	return ret;
}

/* Established WRs whose update is due within the window, and overdue ones. */
int core__review_list(struct ctx *x, struct err *e)
{
	const char *within = core__param(x, "within_days");
	json_t *where = json_pack("{ss}", "status", "established"), *wrs = NULL, *items = json_array();
	struct store_query q = { .where = where, .order = "next_review_date" };
	long days = 90;
	int ret = -1;
	if (within) {
		char *end;
		days = strtol(within, &end, 10);
		if (*end || days < 0 || days > 36500) {
			err_set(e, E_INVALID, "within_days", "a number of days from 0 to 36500");
			goto out;
		}
	}
	if (store_find(x->st, "work_registers", &q, &wrs, e))
		goto out;
	for (size_t i = 0; i < json_array_size(wrs); i++) {
		json_t *wr = json_array_get(wrs, i);
		const char *due = json_string_value(json_object_get(wr, "next_review_date"));
		if (!due)
			continue;
		int64_t left = days_left(x, due);
		if (left > days)
			continue;
		json_array_append_new(items, json_pack("{sO sO sO ss sI sb sb}", "wr_id", json_object_get(wr, "id"), "title",
						       json_object_get(wr, "title"), "owner_id", json_object_get(wr, "owner_id"),
						       "next_review_date", due, "days_left", (json_int_t)left, "overdue", left < 0,
						       "stagnant", core__wr_stagnant(x, wr)));
	}
	core__reply(x, 200, json_pack("{sO}", "items", items));
	ret = 0;
out:
	json_decref(where);
	json_decref(wrs);
	json_decref(items);
	return ret;
}

/* Progress of a milestone after approval: tracking, not a change of the
 * approved content, so no ballot; it feeds stagnation (R31). */
int core__milestone_progress(struct ctx *x, struct err *e)
{
	int64_t mid;
	json_t *m = NULL, *ch = NULL, *after = NULL;
	const char *st = json_string_value(json_object_get(x->scope.record, "status"));
	const char *status = json_string_value(json_object_get(x->call->body, "status"));
	json_t *done = json_object_get(x->call->body, "completed_date");
	int ret = -1;
	if (strcmp(st, "established") && strcmp(st, "removal_proposed"))
		return err_set(e, E_WRONG_STATE, "status", "progress is tracked on an established Work Register; a draft is edited");
	/* progress records what happened (issue 21): dropping a deliverable
	 * changes the deliverables, an amendment's matter (R28); a completion
	 * is not dated in the future (R31, R32 read these dates) */
	if (!strcmp(status, "dropped")) {
		err_set(e, E_INVALID, "status", "dropping a milestone changes the deliverables: propose an amendment (R28)");
		snprintf(e->rule, sizeof(e->rule), "R28");
		return -1;
	}
	if (json_is_string(done) && strcmp(json_string_value(done), x->today) > 0)
		return err_set(e, E_INVALID, "completed_date", "%s is still to come: a milestone is completed on a day that has passed",
			       json_string_value(done));
	if (core__path_id(x, "sub_id", &mid, e) || store_get(x->st, "milestones", mid, &m, e) ||
	    !json_equal(json_object_get(m, "wr_id"), json_object_get(x->scope.record, "id"))) {
		json_decref(m);
		return err_set(e, E_NOT_FOUND, NULL, "no such milestone in this Work Register");
	}
	ch = json_pack("{ss ss ss}", "status", status, "progress_date", x->today, "updated_at", x->now_iso);
	if (!strcmp(status, "complete"))
		json_object_set_new(ch, "completed_date", json_is_string(done) ? json_incref(done) : json_string(x->today));
	else
		json_object_set_new(ch, "completed_date", json_null());
	if (store_update(x->st, "milestones", mid, ch, e) || store_get(x->st, "milestones", mid, &after, e))
		goto out;
	/* R25: a significant milestone just completed is announced */
	if (!strcmp(status, "complete") && strcmp(json_string_value(json_object_get(m, "status")), "complete") &&
	    json_is_true(json_object_get(after, "significant")) && core__milestone_announcement(x, after, e))
		goto out;
	core__reply(x, 200, json_incref(after));
	core__audit(x, "milestone", mid, m, json_incref(after));
	m = NULL;
	ret = 0;
out:
	json_decref(m);
	json_decref(ch);
	json_decref(after);
	return ret;
}
