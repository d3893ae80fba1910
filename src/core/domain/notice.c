/* Who hears of what in DSP4003: the roles the notification rules name,
 * the people each role names for a record, and what a message says. The
 * engine queues them (engine/notify.c). */
#include <stdio.h>
#include <string.h>

#include "core/domain/notice.h"
#include "core/domain/scope.h"
#include "core/domain/wr.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/process.h"
#include "core/engine/rows.h"

static const char *const roles[] = { "owner", "vp", "partner_reps", "proposer", "originating_chair", "committee_chairs",
				     "wg_chairs", "executive", "board", "voters", "body_members", "marketing_chair",
				     "commenter", "assignee", "submitter", "body_chair", "participants", "all_committee_chairs", NULL };

const struct jfield core__notify_rule_spec[] = {
	{ .name = "event", .type = JT_STR, .flags = JF_REQUIRED, .max = 60 },
	{ .name = "role", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = roles },
	{ 0 }
};

static void add_person(json_t *ids, json_t *id)
{
	if (!json_is_integer(id))
		return;
	for (size_t i = 0; i < json_array_size(ids); i++)
		if (json_equal(json_array_get(ids, i), id))
			return;
	json_array_append(ids, id);
}

/* Active seats of a body, optionally of one role. */
static void add_seats(struct ctx *x, json_t *ids, int64_t body_id, const char *role)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI}", "body_id", (json_int_t)body_id), *rows = NULL;
	struct store_query q = { .where = where };
	if (body_id && !store_find(x->st, "memberships", &q, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows); i++) {
			json_t *m = json_array_get(rows, i);
			if (core__is_active(x, m) && (!role || !strcmp(role, json_string_value(json_object_get(m, "role")))))
				add_person(ids, json_object_get(m, "person_id"));
		}
	json_decref(where);
	json_decref(rows);
}

static void add_where(struct ctx *x, json_t *ids, const char *table, json_t *where, const char *key)
{
	struct err ignored = ERR_INIT;
	json_t *rows = NULL;
	struct store_query q = { .where = where };
	if (!store_find(x->st, table, &q, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows); i++)
			if (strcmp(table, "officers") || core__is_active(x, json_array_get(rows, i)))
				add_person(ids, json_object_get(json_array_get(rows, i), key));
	json_decref(rows);
	json_decref(where);
}

/* The chairs of every committee. */
static void add_committee_chairs(struct ctx *x, json_t *ids)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{ss}", "kind", "committee"), *rows = NULL;
	struct store_query q = { .where = where };
	if (!store_find(x->st, "bodies", &q, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows); i++)
			add_seats(x, ids, json_integer_value(json_object_get(json_array_get(rows, i), "id")), "chair");
	json_decref(where);
	json_decref(rows);
}

/* The people a role names for a record (the WR in scope when NULL). */
void core__notice_people(struct ctx *x, const char *role, json_t *wr, json_t *extra, json_t *ids)
{
	if (!wr)
		wr = core__scope_wr_row(x);
	if (!strcmp(role, "owner") && wr)
		add_person(ids, json_object_get(wr, "owner_id"));
	else if (!strcmp(role, "proposer") && wr)
		add_person(ids, json_object_get(wr, "proposer_id"));
	else if (!strcmp(role, "vp"))
		add_where(x, ids, "officers", json_pack("{ss}", "role", "vp_alliances"), "person_id");
	else if (!strcmp(role, "partner_reps") && wr)
		add_where(x, ids, "people", json_pack("{sO sb}", "org_id", json_object_get(wr, "partner_id"), "disabled", 0), "id");
	else if (!strcmp(role, "originating_chair") && wr)
		add_seats(x, ids, json_integer_value(json_object_get(wr, "originating_body_id")), "chair");
	else if (!strcmp(role, "committee_chairs") && wr) {
		json_t *req = core__required_committees(x, wr);
		for (size_t i = 0; i < json_array_size(req); i++)
			add_seats(x, ids, json_integer_value(json_array_get(req, i)), "chair");
		json_decref(req);
	} else if (!strcmp(role, "wg_chairs") && wr) {
		json_t *ms = core__rows_of(x, "milestones", json_integer_value(json_object_get(wr, "id")));
		for (size_t i = 0; i < json_array_size(ms); i++)
			add_seats(x, ids, json_integer_value(json_object_get(json_array_get(ms, i), "wg_id")), "chair");
		json_decref(ms);
	} else if (!strcmp(role, "all_committee_chairs")) { /* R15: every committee, involved or not */
		add_committee_chairs(x, ids);
	} else if (!strcmp(role, "executive")) {
		add_seats(x, ids, core__body_of_kind(x, "executive"), NULL);
	} else if (!strcmp(role, "board")) {
		add_seats(x, ids, core__body_of_kind(x, "board"), NULL);
	} else if (!strcmp(role, "marketing_chair")) {
		add_seats(x, ids, core__id_of(x, "bodies", "name", "Marketing Committee"), "chair");
	} else if (!strcmp(role, "body_members") && extra) {
		add_seats(x, ids, json_integer_value(json_object_get(extra, "body_id")), NULL);
	} else if (!strcmp(role, "voters") && extra) {
		json_t *v = json_object_get(extra, "voters");
		for (size_t i = 0; i < json_array_size(v); i++)
			add_person(ids, json_array_get(v, i));
	} else if ((!strcmp(role, "commenter") || !strcmp(role, "assignee") || !strcmp(role, "submitter")) && extra) {
		add_person(ids, json_object_get(extra, role));
	} else if (!strcmp(role, "body_chair") && extra) { /* a change request's or a meeting's body (R44, R45) */
		add_seats(x, ids, json_integer_value(json_object_get(extra, "body_id")), "chair");
	} else if (!strcmp(role, "participants") && extra) {
		json_t *v = json_object_get(extra, "participants");
		for (size_t i = 0; i < json_array_size(v); i++)
			add_person(ids, json_array_get(v, i));
	}
}

json_t *core__notify_people(struct ctx *x, const char *role, json_t *record, json_t *extra)
{
	json_t *ids = json_array();
	core__notice_people(x, role, record, extra, ids);
	json_decref(extra);
	return ids;
}

/* What a message says of its record: a change request's or a meeting's
 * own words (extra "about"), else the WR's title and state, with a link
 * into the web application. */
void core__notice(struct ctx *x, json_t *wr, const char *subject, json_t *extra, json_t *row)
{
	char text[22000];
	const char *about = extra ? json_string_value(json_object_get(extra, "about")) : NULL;
	const char *role = json_string_value(json_object_get(row, "reason"));
	const char *own = role && extra ? json_string_value(json_object_get(json_object_get(extra, "subjects"), role)) : NULL;
	if (own) { /* words written for this role (a change request's submitter, issue 21) */
		subject = own;
		json_object_set_new(row, "subject", json_string(own));
	}
	if (!wr)
		wr = core__scope_wr_row(x);
	if (about)
		snprintf(text, sizeof(text), "%s.\n\n%s\n", subject, about);
	else
		snprintf(text, sizeof(text), "%s.\n\nWork Register: %s\nStatus: %s\n", subject,
			 wr ? json_string_value(json_object_get(wr, "title")) : "-",
			 wr ? core__state_label(core__process_named(x, "work_register"), json_string_value(json_object_get(wr, "status"))) : "-");
	/* issue 25: what is asked and by when (a ballot's deadline), after the record */
	const char *details = extra ? json_string_value(json_object_get(extra, "details")) : NULL;
	if (details) {
		size_t used = strlen(text);
		snprintf(text + used, sizeof(text) - used, "\n%s\n", details);
	}
	json_object_set_new(row, "body", json_string(text));
	if (wr)
		json_object_set(row, "wr_id", json_object_get(wr, "id"));
	if (extra && json_is_string(json_object_get(extra, "link")))
		json_object_set(row, "link", json_object_get(extra, "link"));
	else if (wr)
		json_object_set_new(row, "link", json_sprintf("#/wr/%lld", (long long)json_integer_value(json_object_get(wr, "id"))));
}

/* What a deliverer needs of a message's record: the WR's title, for the
 * thread (src/mail/message.c). */
void core__notice_describe(struct ctx *x, const json_t *message, json_t *item)
{
	struct err ignored = ERR_INIT;
	json_t *wr = NULL, *id = json_object_get(message, "wr_id");
	if (json_is_integer(id) && !store_get(x->st, "work_registers", json_integer_value(id), &wr, &ignored))
		json_object_set(item, "wr_title", json_object_get(wr, "title"));
	json_decref(wr);
}
