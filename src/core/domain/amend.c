/* Change control of an established WR. An amendment carries its class and
 * the changed sections; the engine derives the approvals it needs:
 *   contacts only      Originating Committee (R24 spares it the Board only), partner
 *   deliverables       Originating Committee, every other affected committee, partner (R28),
 *                      Board when significant (R23)
 *   scope extension    Originating Committee, every committee it brings in, Board, partner (R29)
 *   other change       Originating Committee (R22), Board when significant (R23), partner
 * Committee ballots open at submission; the Board's once the committees
 * approved; the partner accepts (or, proposing it, gave its approval). With
 * every approval given, the change becomes a new approved version with its
 * change-history row (R50), and the review clock restarts (R27). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/domain/amend.h"
#include "core/domain/ballot.h"
#include "core/domain/scope.h"
#include "core/domain/table1.h"
#include "core/domain/wr.h"
#include "core/engine/ctx.h"
#include "core/engine/notify.h"
#include "core/engine/settings.h"
#include "lib/util.h"

static const char *const classes[] = { "contacts", "deliverables", "scope", "other", NULL };

static const struct jfield milestone_item[] = {
	{ .name = "description", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 2000 },
	{ .name = "body_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R4" },
	{ .name = "wg_id", .type = JT_ID, .flags = JF_NULLABLE, .rule = "R6" },
	{ .name = "target_date", .type = JT_DATE, .flags = JF_NULLABLE },
	{ .name = "status", .type = JT_ENUM, .enums = (const char *const[]){ "planned", "in_progress", "complete", "dropped", NULL } },
	{ .name = "completed_date", .type = JT_DATE, .flags = JF_NULLABLE },
	{ .name = "significant", .type = JT_BOOL, .rule = "R25" },
	{ 0 }
};

static const struct jfield contact_item[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ .name = "email", .type = JT_EMAIL, .flags = JF_REQUIRED, .rule = "R24" },
	{ .name = "role", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = (const char *const[]){ "board_rep", "technical", "pr", NULL } },
	{ 0 }
};

static const struct jfield changes_spec[] = {
	{ .name = "title", .type = JT_STR, .max = 300 },
	{ .name = "scope", .type = JT_TEXT, .max = 20000, .rule = "R29" },
	{ .name = "benefits", .type = JT_TEXT, .max = 20000 },
	{ .name = "deliverables", .type = JT_TEXT, .max = 20000, .rule = "R28" },
	{ .name = "milestones", .type = JT_ARRAY, .max = 200, .items = milestone_item, .rule = "R28" },
	{ .name = "contacts", .type = JT_ARRAY, .max = 100, .items = contact_item, .rule = "R24" },
	/* Table 1 after approval: rows added, changed, groups replaced (R22, R28, R39) */
	{ .name = "standards", .type = JT_OBJECT, .items = core__table1_changes_spec, .rule = "R22" },
	{ 0 }
};

const struct jfield core__amendment_spec[] = {
	{ .name = "class", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = classes, .rule = "R22" },
	{ .name = "significant", .type = JT_BOOL, .rule = "R23" },
	{ .name = "summary", .type = JT_STR, .flags = JF_REQUIRED, .max = 500, .rule = "R50" },
	{ .name = "changes", .type = JT_OBJECT, .flags = JF_REQUIRED, .items = changes_spec, .rule = "R22" },
	{ 0 }
};

const struct jfield core__classify_spec[] = {
	{ .name = "significant", .type = JT_BOOL, .flags = JF_REQUIRED, .rule = "R23" },
	{ 0 }
};

static int64_t wr_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.record, "id")); }

/* The committees and working groups a list of milestones names. */
static void bodies_of(json_t *ms, json_t *out)
{
	for (size_t i = 0; i < json_array_size(ms); i++) {
		json_t *m = json_array_get(ms, i);
		const char *keys[] = { "body_id", "wg_id" };
		for (int k = 0; k < 2; k++) {
			json_t *id = json_object_get(m, keys[k]);
			int seen = 0;
			if (!json_is_integer(id))
				continue;
			for (size_t j = 0; j < json_array_size(out); j++)
				seen |= json_equal(json_array_get(out, j), id);
			if (!seen)
				json_array_append(out, id);
		}
	}
}

static int contains(json_t *arr, json_t *v)
{
	for (size_t i = 0; i < json_array_size(arr); i++)
		if (json_equal(json_array_get(arr, i), v))
			return 1;
	return 0;
}

/* A domain as compared: case and surrounding spaces ignored. */
static int same_domain(const char *a, const char *b)
{
	while (a && *a == ' ')
		a++;
	while (b && *b == ' ')
		b++;
	size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
	while (la && a[la - 1] == ' ')
		la--;
	while (lb && b[lb - 1] == ' ')
		lb--;
	return la == lb && (!la || !strncasecmp(a, b, la));
}

/* R29: Table 1 work in an information-management domain the WR did not
 * cover extends its scope. */
static int extends_domains(struct ctx *x, json_t *std)
{
	json_t *cur = core__rows_of(x, "standards", wr_id(x)), *rows = json_array();
	json_t *adds = json_object_get(std, "add"), *reps = json_object_get(std, "replace"), *ups = json_object_get(std, "update");
	int extends = 0;
	if (adds)
		json_array_extend(rows, adds);
	for (size_t i = 0; i < json_array_size(reps); i++)
		json_array_extend(rows, json_object_get(json_array_get(reps, i), "rows"));
	for (size_t i = 0; i < json_array_size(ups); i++)
		if (json_object_get(json_array_get(ups, i), "domain"))
			json_array_append(rows, json_array_get(ups, i));
	for (size_t i = 0; i < json_array_size(rows); i++) {
		int known = 0;
		const char *d = json_string_value(json_object_get(json_array_get(rows, i), "domain"));
		for (size_t k = 0; k < json_array_size(cur); k++)
			known |= !strcmp(json_string_value(json_object_get(json_array_get(cur, k), "status")), "current") &&
				 same_domain(d, json_string_value(json_object_get(json_array_get(cur, k), "domain")));
		extends |= !known;
	}
	json_decref(cur);
	json_decref(rows);
	return extends;
}

/* The class must fit the changes (R24, R28, R29). */
static int class_check(struct ctx *x, const char *cls, json_t *ch, struct err *e)
{
	const char *key;
	json_t *v;
	if (!json_object_size(ch))
		return err_set(e, E_INVALID, "changes", "an amendment changes at least one section");
	if (!strcmp(cls, "contacts")) {
		json_object_foreach(ch, key, v)
			if (strcmp(key, "contacts"))
				return err_set(e, E_R24_CONTACTS, key, "a contacts-only change may change only the contacts; classify it otherwise");
		return 0;
	}
	if (strcmp(cls, "scope")) {
		if (json_object_get(ch, "scope"))
			return err_set(e, E_R29_SCOPE, "scope", "changing the scope is a scope extension: Board approval needed");
		json_t *ms = json_object_get(ch, "milestones");
		if (ms) {
			json_t *cur = core__rows_of(x, "milestones", wr_id(x)), *had = json_array(), *now = json_array();
			bodies_of(cur, had);
			bodies_of(ms, now);
			int extends = 0;
			for (size_t i = 0; i < json_array_size(now); i++)
				extends |= !contains(had, json_array_get(now, i));
			json_decref(cur);
			json_decref(had);
			json_decref(now);
			if (extends)
				return err_set(e, E_R29_SCOPE, "milestones", "the milestones bring in another committee or working group: classify it as scope");
		}
		json_t *std = json_object_get(ch, "standards");
		if (std && extends_domains(x, std))
			return err_set(e, E_R29_SCOPE, "standards", "Table 1 work in a domain the Work Register did not cover extends its scope: classify it as scope");
	}
	if (!strcmp(cls, "deliverables"))
		json_object_foreach(ch, key, v)
			if (strcmp(key, "deliverables") && strcmp(key, "milestones") && strcmp(key, "standards"))
				return err_set(e, E_INVALID, key, "a deliverable adjustment changes deliverables, milestones and Table 1 only (R28)");
	return 0;
}

static int approval_add(struct ctx *x, int64_t amendment, const char *kind, int64_t body_id, const char *rule, int given, struct err *e)
{
	json_t *row = json_pack("{sI ss ss ss ss ss}", "amendment_id", (json_int_t)amendment, "kind", kind, "rule", rule,
				"status", given ? "given" : "pending", "created_at", x->now_iso, "updated_at", x->now_iso);
	if (body_id)
		json_object_set_new(row, "body_id", json_integer(body_id));
	if (given) {
		json_object_set_new(row, "decided_by", json_string(x->actor.label));
		json_object_set_new(row, "decided_at", json_string(x->now_iso));
	}
	int ret = store_insert(x->st, "approvals", row, NULL, e);
	json_decref(row);
	return ret;
}

static json_t *approvals_of(struct ctx *x, int64_t amendment)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI}", "amendment_id", (json_int_t)amendment), *rows = NULL;
	struct store_query q = { .where = where };
	if (store_find(x->st, "approvals", &q, &rows, &ignored))
		rows = json_array();
	json_decref(where);
	return rows;
}

static json_t *amendment_present(struct ctx *x, json_t *a)
{
	json_t *r = json_deep_copy(a), *ap = approvals_of(x, json_integer_value(json_object_get(a, "id"))), *missing = json_array();
	for (size_t i = 0; i < json_array_size(ap); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(ap, i), "status")), "given"))
			json_array_append(missing, json_array_get(ap, i));
	json_object_set_new(r, "approvals", ap);
	json_object_set_new(r, "missing", missing);
	return r;
}

/* The milestone of list that is m (same description and committee), or NULL. */
static json_t *same_milestone(json_t *list, json_t *m)
{
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *o = json_array_get(list, i);
		if (json_equal(json_object_get(o, "description"), json_object_get(m, "description")) &&
		    json_equal(json_object_get(o, "body_id"), json_object_get(m, "body_id")))
			return o;
	}
	return NULL;
}

/* Replace a section's rows by a new list. A milestone that stays keeps
 * what happened to it (its progress date, and its status and completion
 * unless the change sets them): an amendment changes the plan, not the
 * record of progress (R31, issue 21). */
static int replace_rows(struct ctx *x, const char *table, json_t *rows, struct err *e)
{
	json_t *cur = core__rows_of(x, table, wr_id(x));
	int ms = !strcmp(table, "milestones");
	for (size_t i = 0; i < json_array_size(cur); i++)
		if (store_delete(x->st, table, json_integer_value(json_object_get(json_array_get(cur, i), "id")), e)) {
			json_decref(cur);
			return -1;
		}
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *row = json_deep_copy(json_array_get(rows, i)), *was = ms ? same_milestone(cur, row) : NULL;
		if (was) {
			json_object_set(row, "progress_date", json_object_get(was, "progress_date"));
			if (!json_object_get(row, "status")) {
				json_object_set(row, "status", json_object_get(was, "status"));
				json_object_set(row, "completed_date", json_object_get(was, "completed_date"));
			}
		}
		json_object_set_new(row, "wr_id", json_integer(wr_id(x)));
		json_object_set_new(row, "created_at", json_string(x->now_iso));
		json_object_set_new(row, "updated_at", json_string(x->now_iso));
		int bad = store_insert(x->st, table, row, NULL, e);
		json_decref(row);
		if (bad) {
			json_decref(cur);
			err_field_in(e, ms ? "milestones" : "contacts", i);
			return -1;
		}
	}
	json_decref(cur);
	return 0;
}

/* A section's rows as they are compared across revisions: what a person
 * planned, not when rows were written or how a milestone progressed. */
static json_t *planned(json_t *rows)
{
	static const char *const volatile_keys[] = { "id", "wr_id", "created_at", "updated_at", "progress_date", "status", "completed_date", NULL };
	json_t *out = json_array();
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_deep_copy(json_array_get(rows, i));
		for (int k = 0; volatile_keys[k]; k++)
			json_object_del(r, volatile_keys[k]);
		json_array_append_new(out, r);
	}
	return out;
}

/* R13, R22 (issue 21): an amendment is drafted on a revision (its base);
 * a section it changes that changed since then (another amendment applied
 * meanwhile) is a conflict: into out, the sections, and 1. Never a silent
 * overwrite. */
static int conflicts(struct ctx *x, json_t *a, char *out, size_t n)
{
	struct err ignored = ERR_INIT;
	json_int_t base = json_integer_value(json_object_get(a, "base_revision"));
	json_t *where, *v = NULL, *now, *then, *ch = json_object_get(a, "changes"), *val;
	const char *key;
	size_t used = 0;
	out[0] = '\0';
	if (base == json_integer_value(json_object_get(x->scope.record, "revision")))
		return 0;
	where = json_pack("{sI sI}", "wr_id", (json_int_t)wr_id(x), "revision", base);
	int missing = store_find_one(x->st, "wr_versions", where, &v, &ignored);
	json_decref(where);
	if (missing)
		return 0; /* no snapshot of the base to compare with: nothing known */
	then = json_object_get(v, "snapshot");
	now = core__wr_document(x, x->scope.record);
	json_object_foreach(ch, key, val) {
		json_t *a1 = json_object_get(then, key), *b1 = json_object_get(now, key); /* the document's keys are the changes' */
		int differ;
		if (json_is_array(a1) || json_is_array(b1)) {
			json_t *pa = planned(a1), *pb = planned(b1);
			differ = !json_equal(pa, pb);
			json_decref(pa);
			json_decref(pb);
		} else {
			differ = !json_equal(a1 ? a1 : json_null(), b1 ? b1 : json_null());
		}
		if (differ) {
			int w = snprintf(out + used, n > used ? n - used : 0, "%s%s", used ? ", " : "", key);
			if (w > 0)
				used += (size_t)w;
		}
	}
	json_decref(now);
	json_decref(v);
	return used > 0;
}

static int reject(struct ctx *x, json_t *a, const char *why, struct err *e);

/* R7, R21 (issue 21, 8): an update the Board approved carries the newest
 * approval: the Board's decision on it, and the day its ballot passed,
 * replace the earlier resolution in the WR (which stays in its history,
 * R50). Into fields; nothing for an update without the Board. */
static void board_resolution(struct ctx *x, json_t *a, json_t *fields)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sO ss ss}", "amendment_id", json_object_get(a, "id"), "kind", "board", "status", "given"), *ap = NULL, *b = NULL;
	if (!store_find_one(x->st, "approvals", where, &ap, &ignored) && json_is_integer(json_object_get(ap, "ballot_id")) &&
	    !store_get(x->st, "ballots", json_integer_value(json_object_get(ap, "ballot_id")), &b, &ignored)) {
		char text[700], day[11];
		snprintf(day, sizeof(day), "%.10s", json_string_value(json_object_get(b, "closed_at")));
		snprintf(text, sizeof(text), "The Board approved amendment %lld (%s: %s) by ballot %lld on %s (%s).",
			 (long long)json_integer_value(json_object_get(a, "id")), json_string_value(json_object_get(a, "class")),
			 json_string_value(json_object_get(a, "summary")), (long long)json_integer_value(json_object_get(b, "id")), day,
			 json_string_value(json_object_get(ap, "rule")));
		json_object_set_new(fields, "board_resolution", json_string(text));
		json_object_set_new(fields, "board_approval_date", json_string(day));
	}
	json_decref(where);
	json_decref(ap);
	json_decref(b);
}

static int apply(struct ctx *x, json_t *a, struct err *e)
{
	json_t *ch = json_object_get(a, "changes"), *fields, *v;
	const char *state = json_string_value(json_object_get(x->scope.record, "status"));
	/* a WR that ended takes no change (issue 21: its amendments end with it) */
	if (strcmp(state, "established") && strcmp(state, "removal_proposed") && strcmp(state, "removal_ballot")) {
		char reason[120];
		snprintf(reason, sizeof(reason), "the Work Register is %s", state);
		return reject(x, a, reason, e);
	}
	char clash[300];
	if (conflicts(x, a, clash, sizeof(clash))) {
		char reason[500];
		snprintf(reason, sizeof(reason), "conflict: %s changed since revision %lld, on which the amendment was drafted (R13): propose it "
			 "again on the Work Register as it is", clash, (long long)json_integer_value(json_object_get(a, "base_revision")));
		return reject(x, a, reason, e);
	}
	/* Table 1 may have changed since the proposal: what no longer passes
	 * the checks rejects the amendment, with the reason, and changes nothing */
	if ((v = json_object_get(ch, "standards"))) {
		struct err why = ERR_INIT;
		char reason[400];
		if (core__table1_apply(x, v, 1, &why)) {
			snprintf(reason, sizeof(reason), "Table 1 no longer passes: %s (%s)", why.detail, why.field);
			return reject(x, a, reason, e);
		}
	}
	fields = json_object();
	char summary[700], next[11], buf[16];
	const char *keys[] = { "title", "scope", "benefits", "deliverables" };
	int months = atoi(core__setting(x, "review_months", buf, sizeof(buf)));
	for (int i = 0; i < 4; i++)
		if ((v = json_object_get(ch, keys[i])))
			json_object_set(fields, keys[i], v);
	date_add_months(x->today, months > 0 ? months : 24, next);
	board_resolution(x, a, fields);
	json_object_set_new(fields, "last_update_date", json_string(x->today));
	json_object_set_new(fields, "next_review_date", json_string(next));
	json_object_set_new(fields, "updated_at", json_string(x->now_iso));
	int ret = store_update(x->st, "work_registers", wr_id(x), fields, e);
	json_decref(fields);
	if (ret || ((v = json_object_get(ch, "milestones")) && replace_rows(x, "milestones", v, e)) ||
	    ((v = json_object_get(ch, "contacts")) && replace_rows(x, "wr_contacts", v, e)) ||
	    ((v = json_object_get(ch, "standards")) && core__table1_apply(x, v, 0, e)))
		return -1;
	snprintf(summary, sizeof(summary), "Amendment %lld (%s): %s", (long long)json_integer_value(json_object_get(a, "id")),
		 json_string_value(json_object_get(a, "class")), json_string_value(json_object_get(a, "summary")));
	json_t *st = json_pack("{ss ss ss}", "status", "applied", "decided_at", x->now_iso, "updated_at", x->now_iso);
	ret = store_update(x->st, "amendments", json_integer_value(json_object_get(a, "id")), st, e);
	json_decref(st);
	if (ret || core__wr_reload(x, e) || core__wr_version(x, wr_id(x), summary, V_AMEND, e))
		return -1;
	return core__notify(x, "amendment.applied", NULL, "An amendment was approved and applied", NULL, e);
}

static int reject(struct ctx *x, json_t *a, const char *why, struct err *e)
{
	json_t *st = json_pack("{ss ss ss ss}", "status", "rejected", "decision", why, "decided_at", x->now_iso, "updated_at", x->now_iso);
	json_t *where = json_pack("{sO ss}", "amendment_id", json_object_get(a, "id"), "status", "open"), *open = NULL;
	struct store_query q = { .where = where };
	int ret = store_update(x->st, "amendments", json_integer_value(json_object_get(a, "id")), st, e) ||
		  store_find(x->st, "ballots", &q, &open, e);
	for (size_t i = 0; !ret && i < json_array_size(open); i++) {
		json_t *c = json_pack("{ss ss ss ss}", "status", "cancelled", "closed_at", x->now_iso, "closed_how", why, "updated_at", x->now_iso);
		ret = store_update(x->st, "ballots", json_integer_value(json_object_get(json_array_get(open, i), "id")), c, e);
		json_decref(c);
	}
	json_decref(st);
	json_decref(where);
	json_decref(open);
	return ret ? -1 : core__notify(x, "amendment.rejected", NULL, why, NULL, e);
}

/* Move an amendment on: open the Board's ballot once every committee
 * approved, apply it once everything is given. */
static int advance(struct ctx *x, int64_t amendment, struct err *e)
{
	json_t *a = NULL, *ap = NULL;
	int ret = -1, committees_done = 1, all = 1;
	if (store_get(x->st, "amendments", amendment, &a, e))
		return -1;
	ap = approvals_of(x, amendment);
	for (size_t i = 0; i < json_array_size(ap); i++) {
		json_t *r = json_array_get(ap, i);
		const char *st = json_string_value(json_object_get(r, "status"));
		if (!strcmp(st, "refused")) {
			ret = reject(x, a, "an approval was refused", e);
			goto out;
		}
		if (strcmp(st, "given")) {
			all = 0;
			if (!strcmp(json_string_value(json_object_get(r, "kind")), "committee"))
				committees_done = 0;
		}
	}
	if (all) {
		ret = apply(x, a, e);
		goto out;
	}
	for (size_t i = 0; committees_done && i < json_array_size(ap); i++) {
		json_t *r = json_array_get(ap, i);
		if (!strcmp(json_string_value(json_object_get(r, "kind")), "board") && json_is_null(json_object_get(r, "ballot_id"))) {
			int64_t bid;
			json_t *ch = json_pack("{sI ss}", "ballot_id", (json_int_t)0, "updated_at", x->now_iso);
			if (core__board_ballot_open(x, "amendment", amendment, &bid, e)) {
				json_decref(ch);
				goto out;
			}
			json_object_set_new(ch, "ballot_id", json_integer(bid));
			int bad = store_update(x->st, "approvals", json_integer_value(json_object_get(r, "id")), ch, e);
			json_decref(ch);
			if (bad)
				goto out;
		}
	}
	ret = 0;
out:
	json_decref(a);
	json_decref(ap);
	return ret;
}

/* A ballot closed (the engine's event "ballot.closed"): an amendment's
 * approval given or refused by it, and the amendment moves on. */
int core__amendment_ballot_closed(struct ctx *x, json_t *event, struct err *e)
{
	json_t *ballot = json_object_get(event, "ballot");
	int passed = json_is_true(json_object_get(event, "passed"));
	if (strcmp(json_string_value(json_object_get(ballot, "purpose")), "amendment"))
		return 0;
	json_t *where = json_pack("{sO}", "ballot_id", json_object_get(ballot, "id")), *ap = NULL, *ch;
	int ret = store_find_one(x->st, "approvals", where, &ap, e);
	json_decref(where);
	if (ret)
		return -1;
	ch = json_pack("{ss ss ss ss}", "status", passed ? "given" : "refused", "decided_by", "ballot", "decided_at", x->now_iso,
		       "updated_at", x->now_iso);
	ret = store_update(x->st, "approvals", json_integer_value(json_object_get(ap, "id")), ch, e);
	json_decref(ch);
	json_decref(ap);
	return ret ? -1 : advance(x, json_integer_value(json_object_get(ballot, "amendment_id")), e);
}

/* The WR ended (the engine's event "wr.ended": withdrawn, removed,
 * dissolved): its pending amendments are rejected with that reason and
 * their open ballots cancelled, so nothing stays open on it. */
int core__amendment_wr_ended(struct ctx *x, json_t *wr, struct err *e)
{
	json_t *where = json_pack("{sO ss}", "wr_id", json_object_get(wr, "id"), "status", "pending"), *rows = NULL;
	struct store_query q = { .where = where };
	int ret = store_find(x->st, "amendments", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++)
		ret = reject(x, json_array_get(rows, i), "the Work Register ended", e);
	json_decref(where);
	json_decref(rows);
	return ret ? -1 : 0;
}

/* Whether milestone m of an amendment is o as it stands: every field of
 * its plan compared, and its status and completion when the amendment
 * sets them (issue 21, 3). */
static int same_plan(json_t *m, json_t *o)
{
	static const char *const plan[] = { "description", "body_id", "wg_id", "target_date", NULL };
	static const char *const set[] = { "status", "completed_date", NULL };
	for (int k = 0; plan[k]; k++) {
		json_t *a = json_object_get(m, plan[k]), *b = json_object_get(o, plan[k]);
		if (!json_equal(a ? a : json_null(), b ? b : json_null()))
			return 0;
	}
	for (int k = 0; set[k]; k++) {
		json_t *a = json_object_get(m, set[k]), *b = json_object_get(o, set[k]);
		if (a && !json_equal(a, b ? b : json_null()))
			return 0;
	}
	return 1;
}

/* The committees other than the Originating one whose work the change
 * touches (R4, R28; R29: one it brings in): those of every milestone it
 * adds, removes or alters, derived from the difference between the two
 * lists. A change that lists no milestones touches none. */
static json_t *affected_committees(struct ctx *x, json_t *ms)
{
	json_t *cur = core__rows_of(x, "milestones", wr_id(x)), *out = json_array();
	json_t *orig = json_object_get(x->scope.record, "originating_body_id");
	for (int pass = 0; ms && pass < 2; pass++) {
		json_t *list = pass ? cur : ms, *other = pass ? ms : cur;
		for (size_t i = 0; i < json_array_size(list); i++) {
			json_t *m = json_array_get(list, i), *b = json_object_get(m, "body_id");
			int same = 0;
			for (size_t j = 0; j < json_array_size(other) && !same; j++)
				same = pass ? same_plan(json_array_get(other, j), m) : same_plan(m, json_array_get(other, j));
			if (!same && json_is_integer(b) && !json_equal(b, orig) && !contains(out, b))
				json_array_append(out, b);
		}
	}
	json_decref(cur);
	return out;
}

int core__amendment_create(struct ctx *x, struct err *e)
{
	const json_t *b = x->call->body;
	const char *cls = json_string_value(json_object_get(b, "class"));
	json_t *ch = json_object_get(b, "changes"), *row = NULL, *made = NULL;
	int by_partner = !x->actor.staff && !x->actor.system, significant = json_is_true(json_object_get(b, "significant"));
	int64_t id, orig = json_integer_value(json_object_get(x->scope.record, "originating_body_id"));
	int ret = -1;
	if (strcmp(json_string_value(json_object_get(x->scope.record, "status")), "established"))
		return err_set(e, E_WRONG_STATE, "status", "an amendment changes an established Work Register; a draft is edited");
	if (significant && !strcmp(cls, "contacts")) {
		err_set(e, E_INVALID, "significant", "a change of the partner's contacts needs no Board approval (R24)");
		snprintf(e->rule, sizeof(e->rule), "R24");
		return -1;
	}
	if (class_check(x, cls, ch, e))
		return -1;
	/* Table 1 rows are checked now as a draft's are (R34-R40) */
	if (json_object_get(ch, "standards") && core__table1_apply(x, json_object_get(ch, "standards"), 1, e)) {
		char field[sizeof(e->field) + 20];
		snprintf(field, sizeof(field), "changes.standards.%s", e->field);
		snprintf(e->field, sizeof(e->field), "%.*s", (int)sizeof(e->field) - 1, field);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(json_object_get(ch, "milestones")); i++) {
		json_t *m = json_array_get(json_object_get(ch, "milestones"), i), *body = NULL;
		int ok = !store_get(x->st, "bodies", json_integer_value(json_object_get(m, "body_id")), &body, e) &&
			 !strcmp(json_string_value(json_object_get(body, "kind")), "committee");
		json_decref(body);
		if (!ok) {
			err_set(e, E_INVALID, "body_id", "a milestone names a committee");
			err_field_in(e, "changes.milestones", i);
			return -1;
		}
	}
	row = json_pack("{sI ss sb ss ss sO sb sO ss ss}", "wr_id", (json_int_t)wr_id(x), "class", cls, "significant", significant,
			"status", "pending", "summary", json_string_value(json_object_get(b, "summary")), "changes", ch,
			"by_partner", by_partner, "base_revision", json_object_get(x->scope.record, "revision"), "created_at", x->now_iso,
			"updated_at", x->now_iso);
	if (x->actor.person_id)
		json_object_set_new(row, "proposer_id", json_integer(x->actor.person_id));
	if (store_insert(x->st, "amendments", row, &id, e))
		goto out;
	/* R22: the Originating Committee re-ballots every change; R24
	 * spares a change of the contacts only the Board, not it */
	int64_t bid;
	json_t *aff = affected_committees(x, json_object_get(ch, "milestones")); /* any class that changes them (issue 21) */
	int bad = approval_add(x, id, "committee", orig, strcmp(cls, "contacts") ? "R22" : "R24", 0, e);
	for (size_t i = 0; !bad && i < json_array_size(aff); i++)
		bad = approval_add(x, id, "committee", json_integer_value(json_array_get(aff, i)), !strcmp(cls, "scope") ? "R29" : "R28", 0, e);
	json_decref(aff);
	/* R29: a scope extension goes to the Board; R23: a significant change
	 * of any other class but the contacts (R24) too */
	if (bad || ((!strcmp(cls, "scope") || significant) &&
		    approval_add(x, id, "board", 0, !strcmp(cls, "scope") ? "R29" : "R23", 0, e)) ||
	    approval_add(x, id, "partner", 0, "R28", by_partner, e))
		goto out;
	/* open the committee ballots now */
	json_t *ap = approvals_of(x, id);
	for (size_t i = 0; !bad && i < json_array_size(ap); i++) {
		json_t *r = json_array_get(ap, i);
		if (strcmp(json_string_value(json_object_get(r, "kind")), "committee"))
			continue;
		bad = core__ballot_open(x, json_integer_value(json_object_get(r, "body_id")), "amendment", id, &bid, e);
		if (!bad) {
			json_t *c = json_pack("{sI ss}", "ballot_id", (json_int_t)bid, "updated_at", x->now_iso);
			bad = store_update(x->st, "approvals", json_integer_value(json_object_get(r, "id")), c, e);
			json_decref(c);
		}
	}
	json_decref(ap);
	if (bad || core__notify(x, "amendment.proposed", NULL, "An amendment to an approved Work Register", NULL, e))
		goto out;
	if (store_get(x->st, "amendments", id, &made, e))
		goto out;
	snprintf(x->reply->location, sizeof(x->reply->location), "/api/v1/work-registers/%lld/amendments/%lld", (long long)wr_id(x),
		 (long long)id);
	x->reply->revision = json_integer_value(json_object_get(x->scope.record, "revision"));
	core__reply(x, 201, amendment_present(x, made));
	core__audit(x, "amendment", id, NULL, json_incref(made));
	ret = 0;
out:
	json_decref(row);
	json_decref(made);
	return ret;
}

static json_t *amendment_find(struct ctx *x, struct err *e)
{
	int64_t aid;
	json_t *a = NULL;
	if (core__path_id(x, "sub_id", &aid, e) || store_get(x->st, "amendments", aid, &a, e) ||
	    json_integer_value(json_object_get(a, "wr_id")) != wr_id(x)) {
		json_decref(a);
		err_set(e, E_NOT_FOUND, NULL, "no such amendment of this Work Register");
		return NULL;
	}
	return a;
}

int core__amendment_list(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{sI}", "wr_id", (json_int_t)wr_id(x)), *rows = NULL, *items = json_array();
	struct store_query q = { .where = where };
	int ret = store_find(x->st, "amendments", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++)
		json_array_append_new(items, amendment_present(x, json_array_get(rows, i)));
	json_decref(where);
	json_decref(rows);
	if (ret) {
		json_decref(items);
		return -1;
	}
	core__reply(x, 200, json_pack("{so sn}", "items", items, "next_cursor"));
	return 0;
}

int core__amendment_get(struct ctx *x, struct err *e)
{
	json_t *a = amendment_find(x, e);
	if (!a)
		return -1;
	core__reply(x, 200, amendment_present(x, a));
	json_decref(a);
	return 0;
}

static int pending(json_t *a, struct err *e)
{
	if (strcmp(json_string_value(json_object_get(a, "status")), "pending"))
		return err_set(e, E_CONFLICT, "status", "the amendment is %s", json_string_value(json_object_get(a, "status")));
	return 0;
}

/* The partner's approval (R28, R29). */
static int partner_decides(struct ctx *x, int given, struct err *e)
{
	json_t *a = amendment_find(x, e), *where = NULL, *ap = NULL, *ch = NULL, *after = NULL;
	int ret = -1;
	if (!a || pending(a, e) || core__partner_act(x, "R28", e))
		goto out;
	where = json_pack("{sO ss ss}", "amendment_id", json_object_get(a, "id"), "kind", "partner", "status", "pending");
	if (store_find_one(x->st, "approvals", where, &ap, e)) {
		if (e->code == E_NOT_FOUND)
			err_set(e, E_CONFLICT, NULL, "the partner's approval is not pending");
		goto out;
	}
	ch = json_pack("{ss ss ss ss}", "status", given ? "given" : "refused", "decided_by", x->actor.label, "decided_at", x->now_iso,
		       "updated_at", x->now_iso);
	if (store_update(x->st, "approvals", json_integer_value(json_object_get(ap, "id")), ch, e) ||
	    advance(x, json_integer_value(json_object_get(a, "id")), e) ||
	    store_get(x->st, "amendments", json_integer_value(json_object_get(a, "id")), &after, e))
		goto out;
	core__reply(x, 200, amendment_present(x, after));
	core__audit(x, "amendment", json_integer_value(json_object_get(a, "id")), NULL,
		    json_pack("{ss}", "partner", given ? "accepted" : "refused"));
	ret = 0;
out:
	json_decref(a);
	json_decref(where);
	json_decref(ap);
	json_decref(ch);
	json_decref(after);
	return ret;
}

int core__amendment_accept(struct ctx *x, struct err *e) { return partner_decides(x, 1, e); }
int core__amendment_refuse(struct ctx *x, struct err *e) { return partner_decides(x, 0, e); }

/* R23: the Originating Committee's chair may reclassify significance until
 * the Board's ballot has opened. */
int core__amendment_classify(struct ctx *x, struct err *e)
{
	json_t *a = amendment_find(x, e), *where = NULL, *board = NULL, *after = NULL, *ch = NULL;
	int significant = json_is_true(json_object_get(x->call->body, "significant")), ret = -1;
	if (!a || pending(a, e))
		goto out;
	const char *cls = json_string_value(json_object_get(a, "class"));
	if (strcmp(cls, "other") && strcmp(cls, "deliverables")) {
		err_set(e, E_CONFLICT, "significant", "%s", !strcmp(cls, "scope") ? "a scope extension always goes to the Board (R29)"
										: "a change of the contacts needs no Board approval (R24)");
		goto out;
	}
	where = json_pack("{sO ss}", "amendment_id", json_object_get(a, "id"), "kind", "board");
	int has_board = !store_find_one(x->st, "approvals", where, &board, e);
	if (has_board && !json_is_null(json_object_get(board, "ballot_id"))) {
		err_set(e, E_CONFLICT, "significant", "the Board's ballot has opened");
		goto out;
	}
	if (significant && !has_board && approval_add(x, json_integer_value(json_object_get(a, "id")), "board", 0, "R23", 0, e))
		goto out;
	if (!significant && has_board && store_delete(x->st, "approvals", json_integer_value(json_object_get(board, "id")), e))
		goto out;
	ch = json_pack("{sb ss}", "significant", significant, "updated_at", x->now_iso);
	if (store_update(x->st, "amendments", json_integer_value(json_object_get(a, "id")), ch, e) ||
	    advance(x, json_integer_value(json_object_get(a, "id")), e) ||
	    store_get(x->st, "amendments", json_integer_value(json_object_get(a, "id")), &after, e))
		goto out;
	core__reply(x, 200, amendment_present(x, after));
	core__audit(x, "amendment", json_integer_value(json_object_get(a, "id")), json_pack("{sO}", "significant", json_object_get(a, "significant")),
		    json_pack("{sb}", "significant", significant));
	ret = 0;
out:
	json_decref(a);
	json_decref(where);
	json_decref(board);
	json_decref(after);
	json_decref(ch);
	return ret;
}

int core__amendment_withdraw(struct ctx *x, struct err *e)
{
	json_t *a = amendment_find(x, e);
	int ret = -1;
	if (!a || pending(a, e))
		goto out;
	if (!x->actor.system && !x->actor.vp && x->actor.person_id != json_integer_value(json_object_get(a, "proposer_id")) &&
	    x->actor.person_id != x->scope.owner_id) {
		err_set(e, E_FORBIDDEN, NULL, "the proposer, the owner or the VP withdraws an amendment");
		goto out;
	}
	if (reject(x, a, "withdrawn by its proposer", e))
		goto out;
	json_t *ch = json_pack("{ss}", "status", "withdrawn");
	int bad = store_update(x->st, "amendments", json_integer_value(json_object_get(a, "id")), ch, e);
	json_decref(ch);
	if (bad)
		goto out;
	core__reply(x, 204, NULL);
	core__audit(x, "amendment", json_integer_value(json_object_get(a, "id")), NULL, json_pack("{ss}", "status", "withdrawn"));
	ret = 0;
out:
	json_decref(a);
	return ret;
}
