/* Differences between two versions of a Work Register (issue 11): by
 * section (a word-level difference of each text, R50's versions being
 * whole snapshots) and by record of Table 1, the milestones and the
 * contacts (added, removed, changed fields). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain/diff.h"
#include "core/domain/public.h"
#include "core/domain/publish.h"
#include "core/engine/ctx.h"

/* Words with the white space after them, so that joined they give the text back. */
static json_t *words_of(const char *s)
{
	json_t *w = json_array();
	while (s && *s) {
		const char *p = s;
		while (*p && *p != ' ' && *p != '\n' && *p != '\t')
			p++;
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		json_array_append_new(w, json_stringn(s, (size_t)(p - s)));
		s = p;
	}
	return w;
}

static void push(json_t *out, const char *op, const char *text)
{
	json_t *last = json_array_get(out, json_array_size(out) - 1);
	if (last && !strcmp(json_string_value(json_object_get(last, "op")), op)) {
		size_t a = strlen(json_string_value(json_object_get(last, "text"))), b = strlen(text);
		char *both = malloc(a + b + 1);
		memcpy(both, json_string_value(json_object_get(last, "text")), a);
		memcpy(both + a, text, b + 1);
		json_object_set_new(last, "text", json_string(both));
		free(both);
	} else {
		json_array_append_new(out, json_pack("{ss ss}", "op", op, "text", text));
	}
}

/* A word-level difference: runs of "=" (kept), "-" (removed), "+" (added),
 * by the longest common subsequence of words (texts of up to 3,000 words;
 * longer ones differ as a whole). */
static json_t *word_diff(const char *a, const char *b)
{
	json_t *wa = words_of(a), *wb = words_of(b), *out = json_array();
	size_t n = json_array_size(wa), m = json_array_size(wb);
	if (n > 3000 || m > 3000) {
		if (a && *a)
			push(out, "-", a);
		if (b && *b)
			push(out, "+", b);
		goto done;
	}
	unsigned *l = calloc((n + 1) * (m + 1), sizeof(*l));
#define L(i, j) l[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			L(i, j) = !strcmp(json_string_value(json_array_get(wa, i)), json_string_value(json_array_get(wb, j)))
					  ? L(i + 1, j + 1) + 1
					  : (L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && !strcmp(json_string_value(json_array_get(wa, i)), json_string_value(json_array_get(wb, j)))) {
			push(out, "=", json_string_value(json_array_get(wa, i)));
			i++, j++;
		} else if (j < m && (i == n || L(i, j + 1) >= L(i + 1, j))) {
			push(out, "+", json_string_value(json_array_get(wb, j++)));
		} else {
			push(out, "-", json_string_value(json_array_get(wa, i++)));
		}
	}
#undef L
	free(l);
done:
	json_decref(wa);
	json_decref(wb);
	return out;
}

/* Records of a section by id: added, removed, changed (field: from, to). */
static json_t *records_diff(const json_t *a, const json_t *b)
{
	json_t *added = json_array(), *removed = json_array(), *changed = json_array();
	static const char *const skip[] = { "created_at", "updated_at", "wr_id", "partner_id", NULL };
	for (size_t i = 0; i < json_array_size(b); i++) {
		json_t *rb = json_array_get(b, i), *ra = NULL;
		for (size_t k = 0; k < json_array_size(a) && !ra; k++)
			if (json_equal(json_object_get(json_array_get(a, k), "id"), json_object_get(rb, "id")))
				ra = json_array_get(a, k);
		if (!ra) {
			json_array_append(added, rb);
			continue;
		}
		json_t *fields = json_object();
		const char *key;
		json_t *v;
		json_object_foreach(rb, key, v) {
			int skipped = 0;
			for (int s = 0; skip[s]; s++)
				skipped |= !strcmp(skip[s], key);
			if (!skipped && !json_equal(v, json_object_get(ra, key)))
				json_object_set_new(fields, key, json_pack("{sO* sO}", "from", json_object_get(ra, key), "to", v));
		}
		if (json_object_size(fields))
			json_array_append_new(changed, json_pack("{sO so}", "id", json_object_get(rb, "id"), "fields", fields));
		else
			json_decref(fields);
	}
	for (size_t k = 0; k < json_array_size(a); k++) {
		int kept = 0;
		for (size_t i = 0; i < json_array_size(b) && !kept; i++)
			kept = json_equal(json_object_get(json_array_get(a, k), "id"), json_object_get(json_array_get(b, i), "id"));
		if (!kept)
			json_array_append(removed, json_array_get(a, k));
	}
	return json_pack("{so so so}", "added", added, "removed", removed, "changed", changed);
}

/* A version named by its revision ("7") or its label ("1.1.0"). */
static json_t *version_named(struct ctx *x, const char *key, struct err *e)
{
	const char *name = core__param(x, key);
	json_t *where, *v = NULL;
	char *end;
	if (!name || !*name) {
		err_set(e, E_MISSING_FIELD, key, "name a version: its revision or its label");
		return NULL;
	}
	long long rev = strtoll(name, &end, 10);
	where = !*end ? json_pack("{sO sI}", "wr_id", json_object_get(x->scope.record, "id"), "revision", (json_int_t)rev)
		      : json_pack("{sO ss}", "wr_id", json_object_get(x->scope.record, "id"), "label", name);
	if (store_find_one(x->st, "wr_versions", where, &v, e)) {
		err_clear(e);
		err_set(e, E_NOT_FOUND, key, "no version %s of this Work Register", name);
		v = NULL;
	}
	json_decref(where);
	return v;
}

/* The difference of two versions (both named by the query's from and to)
 * of the WR in scope; published: only versions of the public record. */
static int diff_reply(struct ctx *x, int published, struct err *e)
{
	static const char *const texts[] = { "title", "scope", "benefits", "deliverables", "wg_commitment", "feedback_restrictions",
					     "board_resolution", "removal_detail", NULL };
	static const char *const values[] = { "status", "board_approval_date", "established_at", "next_review_date", "removal_reason",
					      "ended_at", NULL };
	static const char *const sections[] = { "standards", "milestones", "contacts", NULL };
	json_t *va = version_named(x, "from", e), *vb = va ? version_named(x, "to", e) : NULL;
	if (!va || !vb) {
		json_decref(va);
		return -1;
	}
	if (published && (!core__version_published(va) || !core__version_published(vb))) {
		json_decref(va);
		json_decref(vb);
		return err_set(e, E_NOT_FOUND, core__version_published(va) ? "to" : "from", "only the published versions (1.0.0 on) are public");
	}
	json_t *a = json_object_get(va, "snapshot"), *b = json_object_get(vb, "snapshot"), *fields = json_array(), *recs = json_object();
	for (int i = 0; texts[i]; i++) {
		const char *ta = json_string_value(json_object_get(a, texts[i])), *tb = json_string_value(json_object_get(b, texts[i]));
		if ((ta ? ta : "")[0] || (tb ? tb : "")[0])
			if (strcmp(ta ? ta : "", tb ? tb : ""))
				json_array_append_new(fields, json_pack("{ss sO* sO* so}", "field", texts[i], "from", json_object_get(a, texts[i]),
									"to", json_object_get(b, texts[i]), "words", word_diff(ta, tb)));
	}
	for (int i = 0; values[i]; i++)
		if (!json_equal(json_object_get(a, values[i]) ? json_object_get(a, values[i]) : json_null(),
				json_object_get(b, values[i]) ? json_object_get(b, values[i]) : json_null()))
			json_array_append_new(fields, json_pack("{ss sO* sO*}", "field", values[i], "from", json_object_get(a, values[i]), "to",
								json_object_get(b, values[i])));
	for (int i = 0; sections[i]; i++)
		json_object_set_new(recs, sections[i], records_diff(json_object_get(a, sections[i]), json_object_get(b, sections[i])));
	core__reply(x, 200, json_pack("{s{sO sO sO} s{sO sO sO} so so}", "from", "revision", json_object_get(va, "revision"), "label",
				      json_object_get(va, "label"), "date", json_object_get(va, "created_at"), "to", "revision",
				      json_object_get(vb, "revision"), "label", json_object_get(vb, "label"), "date", json_object_get(vb, "created_at"),
				      "fields", fields, "sections", recs));
	if (published) { /* for the public page: what it is a difference of; contacts' addresses stay private */
		json_t *c = json_object_get(json_object_get(x->reply->body, "sections"), "contacts");
		const char *kinds[] = { "added", "removed" };
		for (int k = 0; k < 2; k++)
			for (size_t i = 0; i < json_array_size(json_object_get(c, kinds[k])); i++)
				json_object_del(json_array_get(json_object_get(c, kinds[k]), i), "email");
		for (size_t i = 0; i < json_array_size(json_object_get(c, "changed")); i++)
			json_object_del(json_object_get(json_array_get(json_object_get(c, "changed"), i), "fields"), "email");
		json_object_set_new(x->reply->body, "wr", json_pack("{sO sO}", "id", json_object_get(x->scope.record, "id"), "title",
								   json_object_get(x->scope.record, "title")));
	}
	json_decref(va);
	json_decref(vb);
	return 0;
}

int core__wr_diff(struct ctx *x, struct err *e) { return diff_reply(x, 0, e); }

/* GET /registers/{id}/diff?from=1.0.0&to=1.1.0: the same on the public
 * site, between published versions of an approved WR (R21, R50). */
int core__public_diff(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *wr = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "work_registers", id, &wr, e) || !core__wr_public(wr)) {
		json_decref(wr);
		return err_set(e, E_NOT_FOUND, NULL, "no such approved Work Register");
	}
	json_decref(x->scope.record);
	x->scope.record = wr;
	return diff_reply(x, 1, e);
}
