/* Bodies (Board, Executive Committee, committees, working groups, the
 * Alliance Partner Working Group), their ballot rules and memberships. */
#include <string.h>

#include "core/domain/body.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/rows.h"

static const char *const body_kinds[] = { "board", "executive", "committee", "working_group", "apwg", NULL };
static const char *const member_roles[] = { "chair", "voting", "observer", NULL };

const struct jfield core__body_spec[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ .name = "kind", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = body_kinds },
	{ .name = "parent_id", .type = JT_ID, .flags = JF_NULLABLE },
	{ .name = "is_alliance", .type = JT_BOOL, .rule = "R2" },
	{ .name = "ballot_days", .type = JT_INT, .min = 1, .max = 120 },
	{ .name = "quorum_percent", .type = JT_INT, .min = 0, .max = 100 },
	{ .name = "majority_num", .type = JT_INT, .min = 1, .max = 100 },
	{ .name = "majority_den", .type = JT_INT, .min = 1, .max = 100 },
	{ .name = "description", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 4000 },
	{ 0 }
};

const struct jfield core__member_spec[] = {
	{ .name = "person_id", .type = JT_ID, .flags = JF_REQUIRED },
	{ .name = "role", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = member_roles },
	{ .name = "start_date", .type = JT_DATE },
	{ .name = "end_date", .type = JT_DATE, .flags = JF_NULLABLE },
	{ 0 }
};

int core__body_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	int64_t parent;
	if (core__query_enum(x, where, "kind", body_kinds, e) || core__query_id(x, "parent_id", &parent, e)) {
		json_decref(where);
		return -1;
	}
	if (parent)
		json_object_set_new(where, "parent_id", json_integer(parent));
	return core__list(x, "bodies", where, NULL, e);
}

static int body_id(struct ctx *x, int64_t *id, json_t **row, struct err *e)
{
	if (core__path_id(x, "id", id, e) || store_get(x->st, "bodies", *id, row, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such body");
	return 0;
}

/* A body's members: the body named by the path exists before what is
 * sent is read (404 before 400, issue 22). */
int core__scope_body(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	int ret = body_id(x, &id, &row, e);
	json_decref(row);
	return ret;
}

int core__body_get(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (body_id(x, &id, &row, e))
		return -1;
	core__reply(x, 200, row);
	return 0;
}

/* A working group sits under a committee; only a committee can be the
 * Alliance Committee (R2 names it the default Originating Committee). */
static int body_check(struct ctx *x, const json_t *b, struct err *e)
{
	const char *kind = json_string_value(json_object_get(b, "kind"));
	json_t *parent = json_object_get(b, "parent_id");
	if (json_is_true(json_object_get(b, "is_alliance")) && strcmp(kind, "committee")) {
		err_set(e, E_INVALID, "is_alliance", "only a committee can be the Alliance Committee");
		snprintf(e->rule, sizeof(e->rule), "R2");
		return -1;
	}
	if (!strcmp(kind, "working_group")) {
		json_t *p = NULL;
		if (!json_is_integer(parent))
			return err_set(e, E_MISSING_FIELD, "parent_id", "a working group names its committee");
		if (store_get(x->st, "bodies", json_integer_value(parent), &p, e))
			return err_set(e, E_INVALID, "parent_id", "refers to no existing body");
		int ok = !strcmp(json_string_value(json_object_get(p, "kind")), "committee");
		json_decref(p);
		if (!ok)
			return err_set(e, E_INVALID, "parent_id", "a working group's parent must be a committee");
	} else if (json_is_integer(parent)) {
		return err_set(e, E_INVALID, "parent_id", "only a working group has a parent body");
	}
	if (json_integer_value(json_object_get(b, "majority_num")) > json_integer_value(json_object_get(b, "majority_den")))
		return err_set(e, E_INVALID, "majority_num", "a majority is a fraction no greater than 1");
	return 0;
}

int core__body_create(struct ctx *x, struct err *e)
{
	json_t *row = core__row_from(x, x->call->body, 1);
	int ret = -1;
	if (!json_object_get(row, "majority_num"))
		json_object_set_new(row, "majority_num", json_integer(2));
	if (!json_object_get(row, "majority_den"))
		json_object_set_new(row, "majority_den", json_integer(3));
	if (!body_check(x, row, e))
		ret = core__create_row(x, "bodies", "body", row, NULL, "/api/v1/bodies/%lld", e);
	json_decref(row);
	return ret;
}

int core__body_update(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *cur = NULL, *ch = NULL, *merged = NULL;
	int ret = -1;
	if (body_id(x, &id, &cur, e))
		goto out;
	merged = json_deep_copy(cur);
	json_object_update(merged, x->call->body);
	if (strcmp(json_string_value(json_object_get(cur, "kind")), json_string_value(json_object_get(merged, "kind")))) {
		err_set(e, E_CONFLICT, "kind", "a body's kind cannot change");
		goto out;
	}
	if (body_check(x, merged, e))
		goto out;
	ch = core__row_from(x, x->call->body, 0);
	ret = core__update_row(x, "bodies", "body", id, ch, NULL, e);
out:
	json_decref(cur);
	json_decref(ch);
	json_decref(merged);
	return ret;
}

static json_t *member_present(struct ctx *x, json_t *m)
{
	json_t *r = json_deep_copy(m), *p = NULL;
	struct err ignored = ERR_INIT;
	json_object_set_new(r, "active", json_boolean(core__is_active(x, m)));
	if (!store_get(x->st, "people", json_integer_value(json_object_get(m, "person_id")), &p, &ignored))
		json_object_set_new(r, "person", json_pack("{sO sO sO}", "id", json_object_get(p, "id"),
							   "name", json_object_get(p, "name"), "email", json_object_get(p, "email")));
	json_decref(p);
	return r;
}

int core__member_list(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *b = NULL, *rows = NULL, *items, *where;
	const char *active = core__param(x, "active");
	if (body_id(x, &id, &b, e))
		return -1;
	json_decref(b);
	if (active && strcmp(active, "true") && strcmp(active, "false"))
		return err_set(e, E_INVALID, "active", "must be true or false");
	where = json_pack("{sI}", "body_id", (json_int_t)id);
	struct store_query q = { .where = where };
	int ret = store_find(x->st, "memberships", &q, &rows, e);
	json_decref(where);
	if (ret)
		return -1;
	/* a body has tens of members: one page, filtered on activity by date */
	items = json_array();
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *m = json_array_get(rows, i);
		if (active && core__is_active(x, m) != !strcmp(active, "true"))
			continue;
		json_array_append_new(items, member_present(x, m));
	}
	json_decref(rows);
	core__reply(x, 200, json_pack("{so sn}", "items", items, "next_cursor"));
	return 0;
}

int core__member_add(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *b = NULL, *row = NULL;
	int ret = -1;
	char loc[96];
	if (body_id(x, &id, &b, e))
		goto out;
	row = core__row_from(x, x->call->body, 1);
	json_object_set_new(row, "body_id", json_integer(id));
	if (!json_object_get(row, "start_date"))
		json_object_set_new(row, "start_date", json_string(x->today));
	int64_t pid = json_integer_value(json_object_get(row, "person_id"));
	if (core__exists(x, "people", pid, "person_id", e) || core__dates_check(x, row, e))
		goto out;
	if (core__active_member(x, id, pid)) {
		err_set(e, E_DUPLICATE, "person_id", "this person is already an active member of this body");
		goto out;
	}
	snprintf(loc, sizeof(loc), "/api/v1/bodies/%lld/members/%%lld", (long long)id);
	ret = core__create_row(x, "memberships", "membership", row, member_present, loc, e);
out:
	json_decref(b);
	json_decref(row);
	return ret;
}

int core__member_update(struct ctx *x, struct err *e)
{
	int64_t id, mid;
	json_t *cur = NULL, *ch = NULL, *merged = NULL;
	int ret = -1;
	if (core__path_id(x, "id", &id, e) || core__path_id(x, "sub_id", &mid, e) ||
	    store_get(x->st, "memberships", mid, &cur, e) || json_integer_value(json_object_get(cur, "body_id")) != id) {
		err_set(e, E_NOT_FOUND, NULL, "no such membership");
		goto out;
	}
	if (json_object_get(x->call->body, "person_id") &&
	    !json_equal(json_object_get(x->call->body, "person_id"), json_object_get(cur, "person_id"))) {
		err_set(e, E_CONFLICT, "person_id", "a membership cannot move to another person");
		goto out;
	}
	merged = json_deep_copy(cur);
	json_object_update(merged, x->call->body);
	if (core__dates_check(x, merged, e))
		goto out;
	ch = core__row_from(x, x->call->body, 0);
	ret = core__update_row(x, "memberships", "membership", mid, ch, member_present, e);
out:
	json_decref(cur);
	json_decref(ch);
	json_decref(merged);
	return ret;
}
