/* What the git publisher (src/publish/) reads and records (R21, issue 10):
 * the published versions of every WR, the same the public site and its
 * feed show (each version from the WR's establishment on), oldest first,
 * and, once committed, each version's commit and tag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain/publish.h"
#include "core/engine/ctx.h"

const struct jfield core__publish_record_spec[] = {
	{ .name = "version_id", .type = JT_ID, .flags = JF_REQUIRED },
	{ .name = "commit", .type = JT_STR, .flags = JF_REQUIRED, .min = 40, .max = 64 },
	{ .name = "tag", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ 0 }
};

int core__version_published(const json_t *v)
{
	const char *label = json_string_value(json_object_get(v, "label"));
	return label && strncmp(label, "0.", 2) != 0;
}

static int by_time(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "created_at")), json_string_value(json_object_get(y, "created_at")));
	if (c)
		return c;
	return (int)(json_integer_value(json_object_get(x, "version_id")) - json_integer_value(json_object_get(y, "version_id")));
}

int core__publish_versions(struct ctx *x, struct err *e)
{
	json_t *wrs = NULL, *items = json_array();
	struct store_query q = { .order = "id" };
	if (store_find(x->st, "work_registers", &q, &wrs, e)) {
		json_decref(items);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(wrs); i++) {
		json_t *wr = json_array_get(wrs, i), *vs = NULL, *where;
		if (!json_is_string(json_object_get(wr, "established_at")))
			continue;
		where = json_pack("{sO}", "wr_id", json_object_get(wr, "id"));
		struct store_query qv = { .where = where, .order = "revision" };
		int bad = store_find(x->st, "wr_versions", &qv, &vs, e);
		json_decref(where);
		for (size_t k = 0; !bad && k < json_array_size(vs); k++) {
			json_t *v = json_array_get(vs, k), *pub = NULL, *snap = json_object_get(v, "snapshot");
			struct err none = ERR_INIT;
			if (!core__version_published(v))
				continue;
			json_t *item = json_pack("{sO sO sO sO sO sO sO}", "version_id", json_object_get(v, "id"), "wr_id", json_object_get(wr, "id"),
						 "label", json_object_get(v, "label"), "revision", json_object_get(v, "revision"), "created_at",
						 json_object_get(v, "created_at"), "summary", json_object_get(v, "summary"), "snapshot", snap);
			if (!store_get(x->st, "publications", json_integer_value(json_object_get(v, "id")), &pub, &none))
				json_object_set_new(item, "commit", json_incref(json_object_get(pub, "commit_id")));
			json_decref(pub);
			json_array_append_new(items, item);
		}
		json_decref(vs);
		if (bad) {
			json_decref(wrs);
			json_decref(items);
			return -1;
		}
	}
	json_decref(wrs);
	/* one history for the whole repository: oldest first */
	size_t n = json_array_size(items);
	json_t **v = n ? malloc(n * sizeof(*v)) : NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(items, i));
	if (n)
		qsort(v, n, sizeof(*v), by_time);
	json_array_clear(items);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, v[i]);
	free(v);
	core__reply(x, 200, json_pack("{so}", "items", items));
	return 0;
}

int core__publish_record(struct ctx *x, struct err *e)
{
	json_t *b = x->call->body, *old = NULL, *row;
	int64_t vid = json_integer_value(json_object_get(b, "version_id"));
	struct err none = ERR_INIT;
	int had = !store_get(x->st, "publications", vid, &old, &none), bad;
	row = json_pack("{sO sO ss}", "commit_id", json_object_get(b, "commit"), "tag", json_object_get(b, "tag"), "published_at", x->now_iso);
	if (had) {
		bad = store_update(x->st, "publications", vid, row, e);
	} else {
		json_object_set_new(row, "id", json_integer(vid));
		bad = store_insert(x->st, "publications", row, NULL, e);
	}
	json_decref(row);
	if (bad) {
		json_decref(old);
		return -1;
	}
	core__reply(x, 200, json_pack("{sI sO sO}", "version_id", (json_int_t)vid, "commit", json_object_get(b, "commit"), "tag",
				      json_object_get(b, "tag")));
	core__audit(x, "wr_version", vid, old, json_pack("{sO sO}", "commit", json_object_get(b, "commit"), "tag", json_object_get(b, "tag")));
	return 0;
}
