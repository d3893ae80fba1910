/* Rows of the store as the handlers read and write them: pages, filters,
 * creation and update with their audit events, dates of validity. */
#include <stdio.h>
#include <string.h>

#include "core/engine/ctx.h"
#include "core/engine/rows.h"

int core__page_params(struct ctx *x, char kind, int64_t *after, int64_t *limit, struct err *e)
{
	const char *cursor = core__param(x, "cursor"), *lim = core__param(x, "limit");
	*after = 0;
	*limit = 50;
	if (lim && (core__parse_id(lim, limit) || *limit > 200))
		return err_set(e, E_INVALID, "limit", "must be an integer from 1 to 200");
	if (cursor && (cursor[0] != kind || core__parse_id(cursor + 1, after)))
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

int core__exists(struct ctx *x, const char *table, int64_t id, const char *field, struct err *e)
{
	json_t *row = NULL;
	if (store_get(x->st, table, id, &row, e))
		return e->code == E_NOT_FOUND ? err_set(e, E_INVALID, field, "refers to no existing record") : -1;
	json_decref(row);
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

int core__find_id(struct ctx *x, const char *table, json_t *where, int64_t *id, const char *what, struct err *e)
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

/* Filters by id: each parameter the action allows whose name ends in _id
 * ("person_id") keeps the rows with that id; 400 naming a malformed one. */
int core__query_ids(struct ctx *x, json_t *where, struct err *e)
{
	const char *q = x->info->query ? x->info->query : "";
	while (*q) {
		size_t len = strcspn(q, ",");
		char key[64];
		int64_t id;
		snprintf(key, sizeof(key), "%.*s", (int)len, q);
		q += len + (q[len] == ',');
		if (len < 3 || len >= sizeof(key) || strcmp(key + len - 3, "_id"))
			continue;
		if (core__query_id(x, key, &id, e))
			return -1;
		if (id)
			json_object_set_new(where, key, json_integer(id));
	}
	return 0;
}

json_t *core__rows_by_id(struct ctx *x, const char *table, const json_t *ids, const char *columns, struct err *e)
{
	json_t *where = json_pack("{sO}", "id", ids), *rows = NULL, *by_id;
	struct store_query q = { .where = where, .columns = columns };
	int bad = store_find(x->st, table, &q, &rows, e);
	json_decref(where);
	if (bad)
		return NULL;
	by_id = json_object();
	for (size_t i = 0; i < json_array_size(rows); i++) {
		char key[24];
		core__id_key(json_object_get(json_array_get(rows, i), "id"), key);
		json_object_set(by_id, key, json_array_get(rows, i));
	}
	json_decref(rows);
	return by_id;
}
