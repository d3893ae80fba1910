/* R41: the information-management domain of each Table 1 row lets the VP
 * of Alliances see, across all partners, which domains are covered by which
 * partners' rows, and where their work overlaps (a domain more than one
 * partner works in), to avoid redundant efforts. Rows of WRs that ended
 * (withdrawn, removed, dissolved) and replaced rows do not count. */
#include <ctype.h>
#include <string.h>

#include "core/domain/lifecycle.h"
#include "core/domain/overlap.h"
#include "core/engine/ctx.h"
#include "lib/util.h"

/* A domain as compared: trimmed, spaces folded, case ignored. */
static void domain_key(const char *d, char *out, size_t n)
{
	size_t k = 0;
	int space = 0;
	for (; d && *d && isspace((unsigned char)*d); d++)
		;
	for (; d && *d && k + 1 < n; d++) {
		if (isspace((unsigned char)*d)) {
			space = 1;
			continue;
		}
		if (space && k)
			out[k++] = ' ';
		space = 0;
		if (k + 1 < n)
			out[k++] = (char)tolower((unsigned char)*d);
	}
	out[k] = '\0';
}

static int ended(const char *status) { return list_has(core__wr_process.finals, '|', status); }

int core__overlap_list(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{ss}", "status", "current"), *rows = NULL, *wrs = NULL, *orgs = NULL;
	json_t *by_wr = json_object(), *by_org = json_object(), *domains = json_object(), *out = json_array();
	struct store_query q = { .where = where, .order = "id" }, all = { 0 };
	int ret = -1;
	if (store_find(x->st, "standards", &q, &rows, e) || store_find(x->st, "work_registers", &all, &wrs, e) ||
	    store_find(x->st, "organizations", &all, &orgs, e))
		goto out;
	for (size_t i = 0; i < json_array_size(wrs); i++) {
		json_t *w = json_array_get(wrs, i);
		char k[24];
		core__id_key(json_object_get(w, "id"), k);
		json_object_set(by_wr, k, w);
	}
	for (size_t i = 0; i < json_array_size(orgs); i++) {
		json_t *o = json_array_get(orgs, i);
		char k[24];
		core__id_key(json_object_get(o, "id"), k);
		json_object_set(by_org, k, o);
	}
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i), *w, *o, *d;
		char wk[24], ok[24], key[256];
		core__id_key(json_object_get(r, "wr_id"), wk);
		w = json_object_get(by_wr, wk);
		if (!w || ended(json_string_value(json_object_get(w, "status"))))
			continue;
		core__id_key(json_object_get(w, "partner_id"), ok);
		o = json_object_get(by_org, ok);
		domain_key(json_string_value(json_object_get(r, "domain")), key, sizeof(key));
		if (!(d = json_object_get(domains, key))) {
			d = json_pack("{sO s{} s[]}", "domain", json_object_get(r, "domain"), "partners", "rows");
			json_object_set_new(domains, key, d);
		}
		json_object_set_new(json_object_get(d, "partners"), ok,
				    json_pack("{sO sO}", "id", json_object_get(w, "partner_id"), "short_name",
					      o ? json_object_get(o, "short_name") : json_null()));
		json_array_append_new(json_object_get(d, "rows"),
				      json_pack("{sO sO sO sO sO sO sO sO sO}", "id", json_object_get(r, "id"), "wr_id", json_object_get(w, "id"),
						"wr_title", json_object_get(w, "title"), "wr_status", json_object_get(w, "status"), "partner_id",
						json_object_get(w, "partner_id"), "ap_id", json_object_get(r, "ap_id"), "standard_type",
						json_object_get(r, "standard_type"), "description", json_object_get(r, "description"), "kind",
						json_object_get(r, "kind")));
	}
	/* in the order of the domains' names; the partners as a list */
	const char *key;
	json_t *d;
	json_object_foreach(domains, key, d) {
		json_t *list = json_array(), *p;
		const char *pk;
		json_object_foreach(json_object_get(d, "partners"), pk, p)
			json_array_append(list, p);
		json_t *item = json_pack("{sO sO sb sO}", "domain", json_object_get(d, "domain"), "partners", list, "overlap",
					 json_array_size(list) > 1, "rows", json_object_get(d, "rows"));
		json_decref(list);
		json_array_append_new(out, item);
	}
	json_t *sorted = json_array();
	while (json_array_size(out)) { /* a few hundred domains at most: selection by key */
		size_t best = 0;
		char bk[256], ck[256];
		domain_key(json_string_value(json_object_get(json_array_get(out, 0), "domain")), bk, sizeof(bk));
		for (size_t i = 1; i < json_array_size(out); i++) {
			domain_key(json_string_value(json_object_get(json_array_get(out, i), "domain")), ck, sizeof(ck));
			if (strcmp(ck, bk) < 0) {
				best = i;
				memcpy(bk, ck, sizeof(bk));
			}
		}
		json_array_append(sorted, json_array_get(out, best));
		json_array_remove(out, best);
	}
	size_t overlaps = 0;
	for (size_t i = 0; i < json_array_size(sorted); i++)
		overlaps += json_is_true(json_object_get(json_array_get(sorted, i), "overlap"));
	core__reply(x, 200, json_pack("{so si}", "items", sorted, "overlaps", (int)overlaps));
	ret = 0;
out:
	json_decref(where);
	json_decref(rows);
	json_decref(wrs);
	json_decref(orgs);
	json_decref(by_wr);
	json_decref(by_org);
	json_decref(domains);
	json_decref(out);
	return ret;
}
