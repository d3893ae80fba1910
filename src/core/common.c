/* Helpers shared by the action handlers: parameters, pages, lookups and
 * the scope functions that load what an action's grants are judged on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

const char *core__param(struct ctx *x, const char *key)
{
	json_t *v = x->call->params ? json_object_get(x->call->params, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (!s || !*s || strlen(s) > 18)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

int core__path_id(struct ctx *x, const char *key, int64_t *out, struct err *e)
{
	if (parse_id(core__param(x, key), out))
		return err_set(e, E_NOT_FOUND, NULL, "no such resource");
	return 0;
}

int core__query_id(struct ctx *x, const char *key, int64_t *out, struct err *e)
{
	const char *s = core__param(x, key);
	*out = 0;
	if (!s)
		return 0;
	if (parse_id(s, out))
		return err_set(e, E_INVALID, key, "must be a positive integer id");
	return 0;
}

void core__id_key(const json_t *id, char key[24]) { snprintf(key, 24, "%lld", (long long)json_integer_value(id)); }

int core__page_params(struct ctx *x, char kind, int64_t *after, int64_t *limit, struct err *e)
{
	const char *cursor = core__param(x, "cursor"), *lim = core__param(x, "limit");
	*after = 0;
	*limit = 50;
	if (lim && (parse_id(lim, limit) || *limit > 200))
		return err_set(e, E_INVALID, "limit", "must be an integer from 1 to 200");
	if (cursor && (cursor[0] != kind || parse_id(cursor + 1, after)))
		return err_set(e, E_BAD_CURSOR, "cursor", "not a cursor this server gave");
	return 0;
}

int core__list(struct ctx *x, const char *table, json_t *where,
	       json_t *(*present)(struct ctx *, json_t *row), struct err *e)
{
	return core__list_matching(x, table, where, NULL, NULL, present, e);
}

int core__list_matching(struct ctx *x, const char *table, json_t *where, const char *index, const char *words,
			json_t *(*present)(struct ctx *, json_t *row), struct err *e)
{
	struct store_query q = { .where = where, .match_index = index, .match = words };
	json_t *rows = NULL, *items;
	int64_t lim;
	int ret = -1;
	if (core__page_params(x, 'c', &q.after_id, &lim, e))
		goto out;
	q.limit = (int)lim + 1; /* one more tells whether a next page exists */
	if (store_find(x->st, table, &q, &rows, e))
		goto out;
	items = json_array();
	for (size_t i = 0; i < json_array_size(rows) && i < (size_t)lim; i++) {
		json_t *row = json_array_get(rows, i);
		json_array_append_new(items, present ? present(x, row) : json_incref(row));
	}
	json_t *page = json_pack("{so}", "items", items);
	if (json_array_size(rows) > (size_t)lim) {
		char next[32];
		json_t *last = json_array_get(rows, (size_t)lim - 1);
		snprintf(next, sizeof(next), "c%lld", (long long)json_integer_value(json_object_get(last, "id")));
		json_object_set_new(page, "next_cursor", json_string(next));
	} else {
		json_object_set_new(page, "next_cursor", json_null());
	}
	core__reply(x, 200, page);
	ret = 0;
out:
	json_decref(rows);
	json_decref(where);
	return ret;
}

json_t *core__row_from(struct ctx *x, const json_t *body, int creating)
{
	json_t *row = body ? json_deep_copy(body) : json_object();
	json_object_set_new(row, "updated_at", json_string(x->now_iso));
	if (creating)
		json_object_set_new(row, "created_at", json_string(x->now_iso));
	return row;
}

int core__is_active(struct ctx *x, const json_t *row)
{
	const char *start = json_string_value(json_object_get(row, "start_date"));
	const char *end = json_string_value(json_object_get(row, "end_date"));
	/* dates are YYYY-MM-DD, so text order is date order; end_date is the
	 * first day the person no longer holds the seat */
	if (start && strcmp(start, x->today) > 0)
		return 0;
	if (end && strcmp(end, x->today) <= 0)
		return 0;
	return 1;
}

int core__active_member(struct ctx *x, int64_t body_id, int64_t person_id)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI sI}", "body_id", (json_int_t)body_id, "person_id", (json_int_t)person_id);
	struct store_query q = { .where = where };
	json_t *rows = NULL;
	int active = 0;
	if (!store_find(x->st, "memberships", &q, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows); i++)
			if (core__is_active(x, json_array_get(rows, i)))
				active = 1;
	json_decref(rows);
	json_decref(where);
	return active;
}

static int find_id(struct ctx *x, const char *table, json_t *where, int64_t *id, const char *what, struct err *e)
{
	json_t *row = NULL;
	int ret = store_find_one(x->st, table, where, &row, e);
	json_decref(where);
	if (ret) {
		if (e->code == E_NOT_FOUND)
			err_set(e, E_CONFLICT, NULL, "%s is not set up: run entente init", what);
		return -1;
	}
	*id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	return 0;
}

int core__alliance_committee(struct ctx *x, int64_t *id, struct err *e)
{
	return find_id(x, "bodies", json_pack("{sb}", "is_alliance", 1), id, "the Alliance Committee", e);
}

int core__host_org(struct ctx *x, int64_t *id, struct err *e)
{
	return find_id(x, "organizations", json_pack("{ss}", "kind", "host"), id, "the host organization", e);
}

int core__exists(struct ctx *x, const char *table, int64_t id, const char *field, struct err *e)
{
	json_t *row = NULL;
	if (store_get(x->st, table, id, &row, e))
		return e->code == E_NOT_FOUND ? err_set(e, E_INVALID, field, "refers to no existing record") : -1;
	json_decref(row);
	return 0;
}

int core__actor_load(struct ctx *x, struct err *e)
{
	struct actor *a = &x->actor;
	json_t *p = NULL, *org = NULL, *offs = NULL, *where = NULL;
	int ret = -1;
	if (x->call->system || !x->call->person_id) {
		a->system = x->call->system;
		snprintf(a->label, sizeof(a->label), "%s", a->system ? "system" : "anonymous");
		return 0;
	}
	if (core__actor_kept(x))
		return 0;
	if (store_get(x->st, "people", x->call->person_id, &p, e) || json_is_true(json_object_get(p, "disabled"))) {
		err_set(e, E_UNAUTHENTICATED, NULL, "the account is not active");
		goto out;
	}
	a->person_id = x->call->person_id;
	a->org_id = json_integer_value(json_object_get(p, "org_id"));
	snprintf(a->label, sizeof(a->label), "%s <%s>", json_string_value(json_object_get(p, "name")),
		 json_string_value(json_object_get(p, "email")));
	if (store_get(x->st, "organizations", a->org_id, &org, e))
		goto out;
	a->staff = !strcmp(json_string_value(json_object_get(org, "kind")), "host");
	where = json_pack("{sI}", "person_id", (json_int_t)a->person_id);
	struct store_query q = { .where = where };
	if (store_find(x->st, "officers", &q, &offs, e))
		goto out;
	/* the seats held today, with the kind of body, for the grants */
	json_t *mem = NULL;
	if (store_find(x->st, "memberships", &q, &mem, e))
		goto out;
	a->seats = json_array();
	for (size_t i = 0; i < json_array_size(mem); i++) {
		json_t *m = json_array_get(mem, i), *b = NULL;
		if (!core__is_active(x, m) || store_get(x->st, "bodies", json_integer_value(json_object_get(m, "body_id")), &b, e))
			continue;
		json_array_append_new(a->seats, json_pack("{sO sO sO}", "body_id", json_object_get(m, "body_id"), "role",
							  json_object_get(m, "role"), "kind", json_object_get(b, "kind")));
		json_decref(b);
	}
	json_decref(mem);
	for (size_t i = 0; i < json_array_size(offs); i++) {
		json_t *o = json_array_get(offs, i);
		const char *role = json_string_value(json_object_get(o, "role"));
		if (!core__is_active(x, o))
			continue;
		if (!strcmp(role, "admin"))
			a->admin = 1;
		else if (!strcmp(role, "vp_alliances"))
			a->vp = 1;
	}
	core__actor_keep(x);
	ret = 0;
out:
	json_decref(p);
	json_decref(org);
	json_decref(offs);
	json_decref(where);
	return ret;
}

int core__seat(struct ctx *x, int64_t body_id, const char *role)
{
	json_t *seats = x->actor.seats;
	for (size_t i = 0; i < json_array_size(seats); i++) {
		json_t *s = json_array_get(seats, i);
		const char *r = json_string_value(json_object_get(s, "role"));
		if (json_integer_value(json_object_get(s, "body_id")) != body_id)
			continue;
		if (role ? !strcmp(role, r) : strcmp(r, "observer") != 0)
			return 1;
	}
	return 0;
}

int core__seat_kind(struct ctx *x, const char *kind)
{
	json_t *seats = x->actor.seats;
	for (size_t i = 0; i < json_array_size(seats); i++) {
		json_t *s = json_array_get(seats, i);
		if (!strcmp(json_string_value(json_object_get(s, "kind")), kind) &&
		    strcmp(json_string_value(json_object_get(s, "role")), "observer"))
			return 1;
	}
	return 0;
}

/* Partner representatives see their own organization only; answering 404
 * rather than 403 does not tell them what else exists. */
static int visible_org(struct ctx *x, int64_t org_id)
{
	return x->actor.system || x->actor.staff || x->actor.org_id == org_id;
}

int core__scope_none(struct ctx *x, struct err *e)
{
	(void)x;
	(void)e;
	return 0;
}

int core__scope_org(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "organizations", id, &row, e))
		return -1;
	json_decref(row);
	if (!visible_org(x, id))
		return err_set(e, E_NOT_FOUND, NULL, "no such organization");
	x->scope.org_id = id;
	return 0;
}

int core__scope_person(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "people", id, &row, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such person");
	x->scope.person_id = id;
	x->scope.org_id = json_integer_value(json_object_get(row, "org_id"));
	json_decref(row);
	if (!visible_org(x, x->scope.org_id))
		return err_set(e, E_NOT_FOUND, NULL, "no such person");
	return 0;
}

int core__scope_wr(struct ctx *x, struct err *e)
{
	int64_t id = 0;
	json_t *wr = NULL;
	char key[40];
	if (core__path_id(x, "id", &id, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such Work Register");
	snprintf(key, sizeof(key), "wr|%lld", (long long)id);
	if (!(wr = core__row_kept(x, key, x->generation))) {
		if (store_get(x->st, "work_registers", id, &wr, e))
			return err_set(e, E_NOT_FOUND, NULL, "no such Work Register");
		core__row_keep(x, key, x->generation, wr);
	}
	x->scope.org_id = json_integer_value(json_object_get(wr, "partner_id"));
	if (!visible_org(x, x->scope.org_id)) {
		json_decref(wr);
		return err_set(e, E_NOT_FOUND, NULL, "no such Work Register");
	}
	x->scope.owner_id = json_integer_value(json_object_get(wr, "owner_id"));
	x->scope.proposer_id = json_integer_value(json_object_get(wr, "proposer_id"));
	x->scope.wr = wr;
	return 0;
}

/* R10: a partner's representatives propose for their own organization. */
int core__scope_wr_create(struct ctx *x, struct err *e)
{
	(void)e;
	x->scope.org_id = json_integer_value(json_object_get(x->call->body, "partner_id"));
	return 0;
}

/* A filter value from the query that must be one of an enum. */
int core__query_enum(struct ctx *x, json_t *where, const char *key, const char *const *values, struct err *e)
{
	const char *v = core__param(x, key);
	if (!v)
		return 0;
	for (int i = 0; values[i]; i++)
		if (!strcmp(values[i], v)) {
			json_object_set_new(where, key, json_string(v));
			return 0;
		}
	char list[200];
	jspec_enum_list(values, list, sizeof(list));
	return err_set(e, E_INVALID, key, "must be one of: %s", list);
}

/* Create a row from the body and reply 201 with it; audited. */
int core__create_row(struct ctx *x, const char *table, const char *type, json_t *row,
		      json_t *(*present)(struct ctx *, json_t *), const char *location_fmt, struct err *e)
{
	int64_t id;
	json_t *made = NULL;
	if (store_insert(x->st, table, row, &id, e) || store_get(x->st, table, id, &made, e))
		return -1;
	json_t *shown = present ? present(x, made) : json_incref(made);
	if (location_fmt)
		snprintf(x->reply->location, sizeof(x->reply->location), location_fmt, (long long)id);
	core__reply(x, 201, json_incref(shown));
	core__audit(x, type, id, NULL, shown);
	json_decref(made);
	return 0;
}

/* Update a row from changes and reply 200 with it; audited before/after. */
int core__update_row(struct ctx *x, const char *table, const char *type, int64_t id, json_t *changes,
		      json_t *(*present)(struct ctx *, json_t *), struct err *e)
{
	json_t *before = NULL, *after = NULL;
	int ret = -1;
	if (store_get(x->st, table, id, &before, e) || store_update(x->st, table, id, changes, e) ||
	    store_get(x->st, table, id, &after, e))
		goto out;
	json_t *shown = present ? present(x, after) : json_incref(after);
	core__reply(x, 200, json_incref(shown));
	core__audit(x, type, id, present ? present(x, before) : json_incref(before), shown);
	ret = 0;
out:
	json_decref(before);
	json_decref(after);
	return ret;
}

int core__get_row(struct ctx *x, const char *table, int64_t id, json_t *(*present)(struct ctx *, json_t *), struct err *e)
{
	json_t *row = NULL;
	if (store_get(x->st, table, id, &row, e))
		return -1;
	core__reply(x, 200, present ? present(x, row) : json_incref(row));
	json_decref(row);
	return 0;
}

int core__dates_check(struct ctx *x, const json_t *row, struct err *e)
{
	(void)x;
	const char *s = json_string_value(json_object_get(row, "start_date"));
	const char *t = json_string_value(json_object_get(row, "end_date"));
	/* the same day ends a seat that was never held (a correction) */
	if (s && t && strcmp(t, s) < 0)
		return err_set(e, E_INVALID, "end_date", "must not come before start_date");
	return 0;
}


/* A WR and a body named in the request body (a committee's ballot, R18). */
int core__scope_wr_body(struct ctx *x, struct err *e)
{
	if (core__scope_wr(x, e))
		return -1;
	x->scope.body_id = json_integer_value(json_object_get(x->call->body, "body_id"));
	return 0;
}

int64_t core__id_of(struct ctx *x, const char *table, const char *key, const char *value)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{ss}", key, value), *row = NULL;
	int64_t id = 0;
	if (!store_find_one(x->st, table, where, &row, &ignored))
		id = json_integer_value(json_object_get(row, "id"));
	json_decref(where);
	json_decref(row);
	return id;
}
