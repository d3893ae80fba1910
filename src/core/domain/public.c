/* The public work-register site (R21): only what was approved. Drafts,
 * ballots, comments and contacts' e-mail addresses never leave here. */
#include <stdlib.h>
#include <string.h>

#include "core/domain/public.h"
#include "core/domain/publish.h"
#include "core/domain/wr.h"
#include "core/engine/ctx.h"
#include "core/engine/settings.h"

/* A WR is public once established, and stays readable after it ends. */
int core__wr_public(const json_t *wr)
{
	return json_is_string(json_object_get(wr, "established_at"));
}

static json_t *summary_of(struct ctx *x, json_t *wr)
{
	json_t *doc = core__wr_document(x, wr), *p = json_object_get(doc, "partner");
	json_t *r = json_pack("{sO sO sO sO sO sO sO sO}", "id", json_object_get(wr, "id"), "title", json_object_get(wr, "title"),
			      "status", json_object_get(wr, "status"), "partner", p, "board_approval_date",
			      json_object_get(wr, "board_approval_date"), "established_at", json_object_get(wr, "established_at"),
			      "updated_at", json_object_get(wr, "updated_at"), "ended_at", json_object_get(wr, "ended_at"));
	json_decref(doc);
	return r;
}

int core__public_list(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *items = json_array();
	struct store_query q = { .order = "id" };
	if (store_find(x->st, "work_registers", &q, &rows, e)) {
		json_decref(items);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(rows); i++)
		if (core__wr_public(json_array_get(rows, i)))
			json_array_append_new(items, summary_of(x, json_array_get(rows, i)));
	json_decref(rows);
	core__reply(x, 200, json_pack("{so}", "items", items));
	return 0;
}

int core__public_get(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *wr = NULL, *doc, *contacts, *hist, *where, *rows = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "work_registers", id, &wr, e) || !core__wr_public(wr)) {
		json_decref(wr);
		return err_set(e, E_NOT_FOUND, NULL, "no such approved Work Register");
	}
	doc = core__wr_document(x, wr);
	/* contacts: names and roles; their addresses stay private */
	contacts = json_array();
	json_t *cs = json_object_get(doc, "contacts");
	for (size_t i = 0; i < json_array_size(cs); i++)
		json_array_append_new(contacts, json_pack("{sO sO}", "name", json_object_get(json_array_get(cs, i), "name"), "role",
							  json_object_get(json_array_get(cs, i), "role")));
	json_object_set_new(doc, "contacts", contacts);
	json_object_del(doc, "warnings");
	json_object_del(doc, "decline_reason");
	json_object_del(doc, "owner");
	json_object_del(doc, "proposer_id");
	json_object_del(doc, "proposer"); /* the person: private as the owner is */
	json_object_del(doc, "meetings");
	where = json_pack("{sI}", "wr_id", (json_int_t)id);
	struct store_query q = { .where = where, .order = "revision" };
	char browse[400];
	core__setting(x, "git_commit_url", browse, sizeof(browse)); /* where the repository is browsed: ...{commit} */
	hist = json_array();
	if (!store_find(x->st, "wr_versions", &q, &rows, e))
		for (size_t i = 0; i < json_array_size(rows); i++) {
			json_t *v = json_array_get(rows, i), *pub = NULL;
			struct err none = ERR_INIT;
			json_t *entry = json_pack("{sO sO sO sO}", "version", json_object_get(v, "label"), "revision",
						  json_object_get(v, "revision"), "date", json_object_get(v, "created_at"), "summary",
						  json_object_get(v, "summary"));
			/* R21: the version's commit in the published git repository */
			if (!store_get(x->st, "publications", json_integer_value(json_object_get(v, "id")), &pub, &none)) {
				json_t *c = json_pack("{sO sO}", "id", json_object_get(pub, "commit_id"), "tag", json_object_get(pub, "tag"));
				const char *at = strstr(browse, "{commit}");
				if (at) /* the commit's page where the repository is published */
					json_object_set_new(c, "url", json_sprintf("%.*s%s%s", (int)(at - browse), browse,
										   json_string_value(json_object_get(pub, "commit_id")), at + 8));
				json_object_set_new(entry, "commit", c);
			}
			json_decref(pub);
			json_array_append_new(hist, entry);
		}
	json_object_set_new(doc, "history", hist);
	json_decref(where);
	json_decref(rows);
	json_decref(wr);
	core__reply(x, 200, doc);
	return 0;
}

/* Approvals and later updates: every version written at or after
 * establishment, newest first. */
/* Newest first; within one second, the later revision first. */
static int by_updated(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(y, "updated")), json_string_value(json_object_get(x, "updated")));
	json_int_t rx = json_integer_value(json_object_get(x, "revision")), ry = json_integer_value(json_object_get(y, "revision"));
	return c ? c : (rx < ry) - (rx > ry);
}

int core__public_feed(struct ctx *x, struct err *e)
{
	/* issue 27: the versions are read without their snapshots, sorted in
	 * n log n (it was an insertion sort), and the feed holds the latest
	 * CORE_FEED_ENTRIES (a public page must not grow with ten years) */
	json_t *wrs = NULL, *entries = json_array();
	struct store_query q = { .columns = "id,title,established_at" };
	if (store_find(x->st, "work_registers", &q, &wrs, e)) {
		json_decref(entries);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(wrs); i++) {
		json_t *wr = json_array_get(wrs, i), *where, *vs = NULL;
		const char *est = json_string_value(json_object_get(wr, "established_at"));
		if (!est)
			continue;
		where = json_pack("{sO}", "wr_id", json_object_get(wr, "id"));
		struct store_query qv = { .where = where, .order = "revision", .columns = "revision,label,created_at,summary" };
		if (!store_find(x->st, "wr_versions", &qv, &vs, e))
			for (size_t k = 0; k < json_array_size(vs); k++) {
				json_t *v = json_array_get(vs, k);
				if (!core__version_published(v))
					continue;
				json_array_append_new(entries, json_pack("{sO sO sO sO sO sO}", "wr_id", json_object_get(wr, "id"), "title",
									 json_object_get(wr, "title"), "revision", json_object_get(v, "revision"),
									 "version", json_object_get(v, "label"),
									 "updated", json_object_get(v, "created_at"), "summary",
									 json_object_get(v, "summary")));
			}
		json_decref(where);
		json_decref(vs);
	}
	json_decref(wrs);
	size_t n = json_array_size(entries);
	json_t **v = n ? malloc(n * sizeof(*v)) : NULL;
	if (n && !v) {
		json_decref(entries);
		return err_set(e, E_INTERNAL, NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(entries, i));
	if (n > 1)
		qsort(v, n, sizeof(*v), by_updated);
	json_array_clear(entries);
	for (size_t i = 0; i < n; i++)
		if (i < CORE_FEED_ENTRIES)
			json_array_append_new(entries, v[i]);
		else
			json_decref(v[i]);
	free(v);
	core__reply(x, 200, json_pack("{so}", "entries", entries));
	return 0;
}
