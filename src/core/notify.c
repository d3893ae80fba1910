/* Notifications: who must hear of an event, and why, is data (the
 * notify_rules table an administrator changes); each message goes to the
 * outbox in the transaction of the change that caused it. Delivery by
 * e-mail is a separate step. Also the organization's settings. */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"

static const char *const roles[] = { "owner", "vp", "partner_reps", "proposer", "originating_chair", "committee_chairs",
				     "wg_chairs", "executive", "board", "voters", "body_members", "marketing_chair",
				     "commenter", "assignee", "submitter", "body_chair", "participants", NULL };

const struct jfield core__notify_rule_spec[] = {
	{ .name = "event", .type = JT_STR, .flags = JF_REQUIRED, .max = 60 },
	{ .name = "role", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = roles },
	{ 0 }
};

const char *core__setting(struct ctx *x, const char *key, char *buf, size_t n)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{ss}", "key", key), *row = NULL;
	buf[0] = '\0';
	if (!store_find_one(x->st, "settings", where, &row, &ignored))
		snprintf(buf, n, "%s", json_string_value(json_object_get(row, "value")));
	json_decref(where);
	json_decref(row);
	return buf;
}

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

static void resolve(struct ctx *x, const char *role, json_t *wr, json_t *extra, json_t *ids)
{
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

json_t *core__notify_roles(struct ctx *x, const char *event, struct err *e)
{
	json_t *where = json_pack("{ss}", "event", event), *rules = NULL, *named = json_array();
	struct store_query q = { .where = where };
	if (store_find(x->st, "notify_rules", &q, &rules, e)) {
		json_decref(named);
		named = NULL;
	}
	for (size_t i = 0; named && i < json_array_size(rules); i++)
		json_array_append(named, json_object_get(json_array_get(rules, i), "role"));
	json_decref(where);
	json_decref(rules);
	return named;
}

json_t *core__notify_people(struct ctx *x, const char *role, json_t *record, json_t *extra)
{
	json_t *ids = json_array();
	resolve(x, role, record, extra, ids);
	json_decref(extra);
	return ids;
}

int core__notify(struct ctx *x, const char *event, json_t *wr, const char *subject, json_t *extra, struct err *e)
{
	json_t *where = json_pack("{ss}", "event", event), *rules = NULL;
	struct store_query q = { .where = where };
	int ret = -1;
	if (!wr)
		wr = x->scope.wr;
	if (store_find(x->st, "notify_rules", &q, &rules, e))
		goto out;
	for (size_t i = 0; i < json_array_size(rules); i++) {
		const char *role = json_string_value(json_object_get(json_array_get(rules, i), "role"));
		json_t *ids = json_array();
		resolve(x, role, wr, extra, ids);
		for (size_t k = 0; k < json_array_size(ids); k++) {
			json_t *p = NULL, *row;
			char text[1200];
			const char *about = extra ? json_string_value(json_object_get(extra, "about")) : NULL;
			if (store_get(x->st, "people", json_integer_value(json_array_get(ids, k)), &p, e)) {
				json_decref(ids);
				goto out;
			}
			/* why this person gets it is the message's reason, which the
			 * mail's footer puts in words (src/mail/message.c) */
			if (about) /* a change request, a meeting: what it says of itself */
				snprintf(text, sizeof(text), "%s.\n\n%s\n", subject, about);
			else
				snprintf(text, sizeof(text), "%s.\n\nWork Register: %s\nStatus: %s\n", subject,
					 wr ? json_string_value(json_object_get(wr, "title")) : "-",
					 wr ? json_string_value(json_object_get(wr, "status")) : "-");
			row = json_pack("{ss sO sO ss ss ss ss}", "event", event, "person_id", json_object_get(p, "id"), "email",
					json_object_get(p, "email"), "reason", role, "subject", subject, "body", text, "created_at", x->now_iso);
			if (wr)
				json_object_set(row, "wr_id", json_object_get(wr, "id"));
			if (extra && json_is_string(json_object_get(extra, "link")))
				json_object_set(row, "link", json_object_get(extra, "link"));
			else if (wr)
				json_object_set_new(row, "link", json_sprintf("#/wr/%lld", (long long)json_integer_value(json_object_get(wr, "id"))));
			int bad = core__outbox_put(x, row, NULL, e);
			json_decref(row);
			json_decref(p);
			if (bad) {
				json_decref(ids);
				goto out;
			}
		}
		json_decref(ids);
	}
	ret = 0;
out:
	json_decref(where);
	json_decref(rules);
	json_decref(extra);
	return ret;
}

/* ---- actions: the rules and the settings (the outbox: outbox.c) ---- */

int core__notify_rule_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	const char *ev = core__param(x, "event");
	if (ev)
		json_object_set_new(where, "event", json_string(ev));
	return core__list(x, "notify_rules", where, NULL, e);
}

int core__notify_rule_add(struct ctx *x, struct err *e)
{
	json_t *row = core__row_from(x, x->call->body, 1);
	int ret = core__create_row(x, "notify_rules", "notify_rule", row, NULL, "/api/v1/notification-rules/%lld", e);
	json_decref(row);
	return ret;
}

int core__notify_rule_delete(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "notify_rules", id, &row, e) ||
	    store_delete(x->st, "notify_rules", id, e)) {
		json_decref(row);
		return -1;
	}
	core__reply(x, 204, NULL);
	core__audit(x, "notify_rule", id, row, NULL);
	return 0;
}

const struct jfield core__settings_spec[] = {
	{ .name = "requests_address", .type = JT_EMAIL, .rule = "R9" },
	{ .name = "alliance_list_address", .type = JT_EMAIL, .rule = "R9" },
	{ .name = "press_address", .type = JT_EMAIL, .rule = "R9" },
	{ .name = "review_months", .type = JT_INT, .min = 1, .max = 120, .rule = "R27" },
	{ .name = "stagnation_months", .type = JT_INT, .min = 1, .max = 120, .rule = "R31" },
	{ .name = "review_reminder_days", .type = JT_STR, .max = 100, .rule = "R27" },
	{ .name = "ip_policy_text", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 50000, .rule = "R46" },
	{ .name = "ip_policy_url", .type = JT_URL, .flags = JF_NULLABLE, .rule = "R46" },
	{ .name = "delegation_rules_text", .type = JT_TEXT, .max = 50000, .rule = "R35" },
	{ .name = "feedback_from_anyone", .type = JT_BOOL, .rule = "R42" },
	{ .name = "git_commit_url", .type = JT_URL, .flags = JF_NULLABLE, .rule = "R21" },
	{ 0 }
};

static json_t *settings_object(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *obj;
	if (store_find(x->st, "settings", NULL, &rows, e))
		return NULL;
	obj = json_object();
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i);
		json_object_set(obj, json_string_value(json_object_get(r, "key")), json_object_get(r, "value"));
	}
	json_decref(rows);
	return obj;
}

/* Only the permission is core's: the counters belong to the server,
 * which renders them once the door let the caller through. */
int core__metrics_read(struct ctx *x, struct err *e)
{
	(void)e;
	core__reply(x, 200, json_object());
	return 0;
}

int core__settings_get(struct ctx *x, struct err *e)
{
	json_t *obj = settings_object(x, e);
	if (!obj)
		return -1;
	core__reply(x, 200, obj);
	return 0;
}

int core__settings_update(struct ctx *x, struct err *e)
{
	const char *key;
	json_t *v, *before = settings_object(x, e);
	if (!before)
		return -1;
	json_object_foreach(x->call->body, key, v) {
		char val[64];
		const char *s = val;
		json_t *where = json_pack("{ss}", "key", key), *row = NULL, *ch;
		if (json_is_integer(v))
			snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			snprintf(val, sizeof(val), "%s", json_is_true(v) ? "true" : "false");
		else if (json_is_null(v))
			val[0] = '\0'; /* cleared */
		else
			s = json_string_value(v);
		if (!strcmp(key, "review_reminder_days"))
			for (const char *p = s; *p; p++)
				if ((*p < '0' || *p > '9') && *p != ',') {
					json_decref(where);
					json_decref(before);
					return err_set(e, E_INVALID, key, "a comma-separated list of days, e.g. 90,30,7");
				}
		if (!strcmp(key, "delegation_rules_text") && core__delegation_rules_record(x, s, e)) { /* R35: versions kept */
			json_decref(where);
			json_decref(before);
			return -1;
		}
		int found = !store_find_one(x->st, "settings", where, &row, e);
		ch = json_pack("{ss ss ss}", "key", key, "value", s, "updated_at", x->now_iso);
		int bad = found ? store_update(x->st, "settings", json_integer_value(json_object_get(row, "id")), ch, e)
				: store_insert(x->st, "settings", ch, NULL, e);
		json_decref(where);
		json_decref(row);
		json_decref(ch);
		if (bad) {
			json_decref(before);
			return -1;
		}
	}
	json_t *after = settings_object(x, e);
	if (!after) {
		json_decref(before);
		return -1;
	}
	core__reply(x, 200, json_incref(after));
	core__audit(x, "settings", 0, before, after);
	return 0;
}
