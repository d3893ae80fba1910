/* The public work-register site (R21): only what was approved. Drafts,
 * ballots, comments and contacts' e-mail addresses never leave here. */
#include <string.h>

#include "core/domain/public.h"
#include "core/domain/publish.h"
#include "core/domain/wr.h"
#include "core/engine/ctx.h"
#include "core/engine/rows.h"
#include "core/engine/settings.h"

/* A WR is public once established, and stays readable after it ends. */
int core__wr_public(const json_t *wr)
{
	return json_is_string(json_object_get(wr, "established_at"));
}

/* The public WRs, CORE_LIST_ENTRIES a page in id order (?after=N: those
 * after WR N; next: the cursor of the page after, null on the last), each
 * with its partner's name. Issue 27: rows read a page at a time with the
 * columns shown, partners in one read per page; it built a full document
 * for every public WR (1.25 s and 600 MB at 10,000). */
#define SCAN_PAGE 500

int core__public_list(struct ctx *x, struct err *e)
{
	int64_t from = 0;
	if (core__query_id(x, "after", &from, e))
		return -1;
	int64_t after = from;
	json_t *items = json_array(), *orgs = json_array(), *next = json_null();
	while (json_array_size(items) <= CORE_LIST_ENTRIES) {
		json_t *rows = NULL;
		struct store_query q = { .after_id = after, .limit = SCAN_PAGE,
					 .columns = "id,title,status,partner_id,board_approval_date,established_at,updated_at,ended_at" };
		if (store_find(x->st, "work_registers", &q, &rows, e)) {
			json_decref(items);
			json_decref(orgs);
			return -1;
		}
		size_t n = json_array_size(rows);
		for (size_t i = 0; i < n && json_array_size(items) <= CORE_LIST_ENTRIES; i++) {
			json_t *wr = json_array_get(rows, i);
			after = json_integer_value(json_object_get(wr, "id"));
			if (core__wr_public(wr))
				json_array_append(items, wr);
		}
		json_decref(rows);
		if (n < SCAN_PAGE)
			break;
	}
	if (json_array_size(items) > CORE_LIST_ENTRIES) { /* one more than a page: there is a next */
		json_array_remove(items, CORE_LIST_ENTRIES);
		json_decref(next);
		next = json_incref(json_object_get(json_array_get(items, CORE_LIST_ENTRIES - 1), "id"));
	}
	for (size_t i = 0; i < json_array_size(items); i++)
		json_array_append(orgs, json_object_get(json_array_get(items, i), "partner_id"));
	struct err none = ERR_INIT;
	json_t *by_id = core__rows_by_id(x, "organizations", orgs, "id,name,short_name", &none);
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *wr = json_array_get(items, i), *p;
		char key[24];
		core__id_key(json_object_get(wr, "partner_id"), key);
		p = json_object_get(by_id, key); /* its id, name and short name */
		json_object_set_new(wr, "partner", p ? json_incref(p) : json_null());
		json_object_del(wr, "partner_id");
	}
	json_decref(by_id);
	json_decref(orgs);
	core__reply(x, 200, json_pack("{so so so}", "items", items, "after", from ? json_integer(from) : json_null(), "next", next));
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

/* Approvals and later updates: the published versions of the public WRs,
 * newest first (in the order written), CORE_FEED_ENTRIES a page; ?before=N:
 * the page of those before version N (RFC 5005 paging: "next" names the
 * cursor of the page after, null on the last). Issue 27: read by the
 * index of published versions, so a page costs its entries, not the
 * record's ten years. */
int core__public_feed(struct ctx *x, struct err *e)
{
	int64_t before = 0;
	if (core__query_id(x, "before", &before, e))
		return -1;
	json_t *where = json_pack("{sb}", "published", 1), *vs = NULL, *entries = json_array(), *ids = json_array(), *by_id = NULL;
	struct store_query q = { .where = where, .desc = 1, .after_id = before, .limit = CORE_FEED_ENTRIES + 1,
				 .columns = "id,wr_id,revision,label,created_at,summary" };
	int rc = -1;
	if (store_find(x->st, "wr_versions", &q, &vs, e))
		goto out;
	size_t n = json_array_size(vs), shown = n > CORE_FEED_ENTRIES ? CORE_FEED_ENTRIES : n;
	for (size_t i = 0; i < shown; i++)
		json_array_append(ids, json_object_get(json_array_get(vs, i), "wr_id"));
	if (!(by_id = core__rows_by_id(x, "work_registers", ids, "id,title,established_at", e)))
		goto out;
	for (size_t i = 0; i < shown; i++) {
		json_t *v = json_array_get(vs, i), *wr;
		char key[24];
		core__id_key(json_object_get(v, "wr_id"), key);
		if (!(wr = json_object_get(by_id, key)) || !core__wr_public(wr))
			continue;
		json_array_append_new(entries, json_pack("{sO sO sO sO sO sO}", "wr_id", json_object_get(wr, "id"), "title", json_object_get(wr, "title"),
							 "revision", json_object_get(v, "revision"), "version", json_object_get(v, "label"), "updated",
							 json_object_get(v, "created_at"), "summary", json_object_get(v, "summary")));
	}
	json_t *next = n > CORE_FEED_ENTRIES ? json_incref(json_object_get(json_array_get(vs, shown - 1), "id")) : json_null();
	core__reply(x, 200, json_pack("{so so so}", "entries", entries, "before", before ? json_integer(before) : json_null(), "next", next));
	entries = NULL;
	rc = 0;
out:
	json_decref(where);
	json_decref(vs);
	json_decref(entries);
	json_decref(ids);
	json_decref(by_id);
	return rc;
}
