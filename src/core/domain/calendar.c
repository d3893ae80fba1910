/* Calendars (issue 10): what a person's iCalendar feed holds (their
 * ballots' deadlines, the review dates and milestones of their WRs, their
 * joint meetings) and the public one (the published review dates), as
 * events; the server writes them as RFC 5545 with libical (http/ical.c).
 * A person's feed is reached by a secret token in its address, kept as its
 * hash, which the person rotates. Each event's UID is stable; its SEQUENCE
 * grows whenever the record it comes from changes, so a moved event
 * replaces the old one in a calendar client. */
#include <stdio.h>
#include <string.h>

#include "core/domain/calendar.h"
#include "core/domain/wr.h"
#include "core/engine/ctx.h"
#include "core/engine/rows.h"
#include "core/engine/settings.h"
#include "lib/util.h"

static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Minutes since 2020 of a record's updated_at: grows with every change. */
static int64_t sequence_of(const json_t *row)
{
	const char *u = str(row, "updated_at");
	int64_t d = u ? date_epoch((char[11]){ u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], 0 }) : -1;
	if (d < 0)
		return 0;
	int h = 0, m = 0;
	if (strlen(u) >= 16)
		sscanf(u + 11, "%d:%d", &h, &m);
	return (d - 1577836800) / 60 + h * 60 + m;
}

int core__calendar_rotate(struct ctx *x, struct err *e)
{
	char token[41], hash[65], url[80];
	if (!x->actor.person_id)
		return err_set(e, E_INVALID, NULL, "the system has no calendar");
	random_hex(token, 20);
	hash_hex(token, hash);
	json_t *ch = json_pack("{ss ss}", "calendar_hash", hash, "updated_at", x->now_iso);
	int bad = store_update(x->st, "people", x->actor.person_id, ch, e);
	json_decref(ch);
	if (bad)
		return -1;
	snprintf(url, sizeof(url), "/calendar/%s.ics", token);
	core__reply(x, 201, json_pack("{ss ss}", "url", url, "note", "keep this address secret; rotating it ends the old one"));
	core__audit(x, "person", x->actor.person_id, NULL, json_pack("{ss}", "calendar", "new secret address"));
	return 0;
}

static void add(json_t *events, json_t *ev) { json_array_append_new(events, ev); }

/* A WR's review date, its draft's target and open milestones. */
static void wr_events(struct ctx *x, json_t *wr, json_t *events)
{
	char uid[64];
	if (!strcmp(str(wr, "status"), "established") && str(wr, "next_review_date")) {
		snprintf(uid, sizeof(uid), "review-%lld@entente", (long long)num(wr, "id"));
		add(events, json_pack("{ss so ss sb sI ss}", "uid", uid, "summary", json_sprintf("Review due: %s (R27)", str(wr, "title")),
				      "description", "The Work Register's regular update is due.", "all_day", 1, "sequence",
				      (json_int_t)num(wr, "revision"), "date", str(wr, "next_review_date")));
	}
	/* section 2.2: the day the draft is due, while it is drafted */
	if (!strcmp(str(wr, "status"), "drafting") && str(wr, "drafting_target_date")) {
		snprintf(uid, sizeof(uid), "drafting-%lld@entente", (long long)num(wr, "id"));
		add(events, json_pack("{ss so ss sb sI ss}", "uid", uid, "summary", json_sprintf("Draft due: %s", str(wr, "title")),
				      "description", "The target date of the draft, set with the VP of Alliances.", "all_day", 1, "sequence",
				      (json_int_t)num(wr, "revision"), "date", str(wr, "drafting_target_date")));
	}
	json_t *ms = core__rows_of(x, "milestones", num(wr, "id"));
	for (size_t i = 0; i < json_array_size(ms); i++) {
		json_t *m = json_array_get(ms, i);
		if (!str(m, "target_date") || !strcmp(str(m, "status"), "complete") || !strcmp(str(m, "status"), "dropped"))
			continue;
		snprintf(uid, sizeof(uid), "milestone-%lld@entente", (long long)num(m, "id"));
		add(events, json_pack("{ss so ss sb sI ss}", "uid", uid, "summary", json_sprintf("Milestone: %s", str(m, "description")),
				      "description", str(wr, "title"), "all_day", 1, "sequence", (json_int_t)sequence_of(m), "date",
				      str(m, "target_date")));
	}
	json_decref(ms);
}

int core__calendar_person(struct ctx *x, struct err *e)
{
	const char *p = core__param(x, "id");
	char token[64], hash[65];
	size_t n = p ? strlen(p) : 0;
	json_t *person = NULL, *where, *events = json_array(), *rows = NULL;
	if (n < 5 || n - 4 >= sizeof(token) || strcmp(p + n - 4, ".ics")) {
		json_decref(events);
		return err_set(e, E_NOT_FOUND, NULL, "no such calendar");
	}
	memcpy(token, p, n - 4);
	token[n - 4] = '\0';
	hash_hex(token, hash);
	where = json_pack("{ss sb}", "calendar_hash", hash, "disabled", 0);
	int missing = store_find_one(x->st, "people", where, &person, e);
	json_decref(where);
	if (missing) {
		json_decref(events);
		err_clear(e);
		return err_set(e, E_NOT_FOUND, NULL, "no such calendar (the address may have been rotated)");
	}
	int64_t pid = num(person, "id"), org = num(person, "org_id");
	int vp = 0;
	/* open ballots the person may vote in: their deadlines */
	where = json_pack("{ss}", "status", "open");
	struct store_query q = { .where = where };
	if (!store_find(x->st, "ballots", &q, &rows, e))
		for (size_t i = 0; i < json_array_size(rows); i++) {
			json_t *b = json_array_get(rows, i), *el = json_object_get(b, "eligible"), *wr = NULL;
			int mine = 0;
			for (size_t k = 0; k < json_array_size(el) && !mine; k++)
				mine = json_integer_value(json_array_get(el, k)) == pid;
			if (!mine)
				continue;
			struct err none = ERR_INIT;
			store_get(x->st, "work_registers", num(b, "wr_id"), &wr, &none);
			char uid[64];
			snprintf(uid, sizeof(uid), "ballot-%lld@entente", (long long)num(b, "id"));
			add(events, json_pack("{ss so ss sI sI}", "uid", uid, "summary",
					      json_sprintf("Ballot closes: %s ballot on %s", str(b, "purpose"), wr ? str(wr, "title") : "a Work Register"),
					      "description", "Vote before the deadline.", "sequence", (json_int_t)sequence_of(b), "at",
					      (json_int_t)num(b, "deadline")));
			json_decref(wr);
		}
	json_decref(where);
	json_decref(rows);
	rows = NULL;
	/* the VP sees every WR's dates; an owner theirs; a partner's people their organization's */
	json_t *off = NULL;
	where = json_pack("{sI ss}", "person_id", (json_int_t)pid, "role", "vp_alliances");
	struct err none = ERR_INIT;
	vp = !store_find_one(x->st, "officers", where, &off, &none);
	json_decref(where);
	json_decref(off);
	struct store_query all = { 0 };
	if (!store_find(x->st, "work_registers", &all, &rows, e))
		for (size_t i = 0; i < json_array_size(rows); i++) {
			json_t *wr = json_array_get(rows, i);
			if (vp || num(wr, "owner_id") == pid || num(wr, "partner_id") == org)
				wr_events(x, wr, events);
		}
	json_decref(rows);
	rows = NULL;
	/* joint meetings: the person takes part, sits on the body, or is of the
	 * partner; each event carries the IP policy's link, else its text */
	char policy_url[600], policy_text[4000];
	const char *policy = core__setting(x, "ip_policy_url", policy_url, sizeof(policy_url));
	if (!*policy)
		policy = core__setting(x, "ip_policy_text", policy_text, sizeof(policy_text));
	if (!store_find(x->st, "joint_meetings", &all, &rows, e))
		for (size_t i = 0; i < json_array_size(rows); i++) {
			json_t *m = json_array_get(rows, i), *parts = NULL;
			/* only what was announced, under the IP policy (R46: an
			 * invitation is an announcement; issue 21) */
			if (strcmp(str(m, "status"), "announced") && strcmp(str(m, "status"), "in_progress") && strcmp(str(m, "status"), "ended"))
				continue;
			int mine = num(m, "partner_id") == org;
			json_t *w = json_pack("{sI sI}", "meeting_id", (json_int_t)num(m, "id"), "person_id", (json_int_t)pid);
			struct store_query pq = { .where = w, .limit = 1 };
			if (!mine && !store_find(x->st, "meeting_participants", &pq, &parts, &none))
				mine = json_array_size(parts) > 0;
			json_decref(parts);
			json_decref(w);
			if (!mine) {
				json_t *mw = json_pack("{sI sI}", "body_id", (json_int_t)num(m, "body_id"), "person_id", (json_int_t)pid), *seat = NULL;
				struct store_query sq = { .where = mw };
				if (!store_find(x->st, "memberships", &sq, &seat, &none))
					for (size_t k = 0; k < json_array_size(seat) && !mine; k++)
						mine = core__is_active(x, json_array_get(seat, k));
				json_decref(seat);
				json_decref(mw);
			}
			if (!mine)
				continue;
			char uid[64];
			snprintf(uid, sizeof(uid), "meeting-%lld@entente", (long long)num(m, "id"));
			json_t *ev = json_pack("{ss so so sI ss ss ss}", "uid", uid, "summary", json_sprintf("Joint meeting: %s", str(m, "title")),
					       "description", json_sprintf("%s%sThis meeting is governed by the DMTF IP policy (R46): %s",
									   str(m, "agenda") ? str(m, "agenda") : "", str(m, "agenda") && *str(m, "agenda") ? "\n\n" : "",
									   policy),
					       "sequence", (json_int_t)sequence_of(m),
					       "start", str(m, "starts_at"), "end", str(m, "ends_at"), "time_zone", str(m, "time_zone"));
			if (str(m, "location"))
				json_object_set(ev, "location", json_object_get(m, "location"));
			add(events, ev);
		}
	json_decref(rows);
	core__reply(x, 200, json_pack("{ss so sI}", "name", "entente: my dates", "events", events, "now", (json_int_t)x->call->now));
	json_decref(person);
	return 0;
}

/* The public calendar: the review dates of the published WRs (R21, R27). */
int core__calendar_public(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{ss}", "status", "established"), *rows = NULL, *events = json_array();
	struct store_query q = { .where = where };
	if (store_find(x->st, "work_registers", &q, &rows, e)) {
		json_decref(where);
		json_decref(events);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *wr = json_array_get(rows, i);
		char uid[64];
		if (!str(wr, "next_review_date"))
			continue;
		snprintf(uid, sizeof(uid), "review-%lld@entente", (long long)num(wr, "id"));
		add(events, json_pack("{ss so ss sb sI ss}", "uid", uid, "summary", json_sprintf("Review due: %s (R27)", str(wr, "title")),
				      "description", "The Work Register's regular update is due.", "all_day", 1, "sequence",
				      (json_int_t)num(wr, "revision"), "date", str(wr, "next_review_date")));
	}
	json_decref(where);
	json_decref(rows);
	core__reply(x, 200, json_pack("{ss so sI}", "name", "DMTF alliance work registers: review dates", "events", events, "now",
				      (json_int_t)x->call->now));
	return 0;
}
