/* The public work-register site (R21), rendered on the server: pages that
 * work without JavaScript, and an Atom feed (RFC 4287) of approvals and
 * updates. The data comes through core's public actions only. */
#include <stdio.h>
#include <string.h>

#include "http/html.h"
#include "http/public.h"

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void head(struct strbuf *sb, const char *title)
{
	html_raw(sb, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	html_text(sb, title);
	html_raw(sb, " - DMTF alliance work registers</title><link rel=\"stylesheet\" href=\"/public.css\">"
		     "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Approvals and updates\" href=\"/registers/feed.atom\">"
		     "</head><body><header><a class=\"home\" href=\"/registers\">DMTF alliance work registers</a>"
		     " <a href=\"/registers/feed.atom\">Feed</a> <a href=\"/\">Sign in</a></header><main>");
}

static void foot(struct strbuf *sb) { html_raw(sb, "</main></body></html>\n"); }

static void date_of(struct strbuf *sb, const char *iso)
{
	char d[11];
	snprintf(d, sizeof(d), "%.10s", iso ? iso : "");
	html_text(sb, d);
}

static void render_list(struct strbuf *sb, json_t *v)
{
	json_t *items = json_object_get(v, "items");
	head(sb, "Alliances");
	html_raw(sb, "<h1>Alliance partners</h1>\n<p>Work Registers approved by the DMTF Board and accepted by the partner (DSP4003).</p>\n");
	if (!json_array_size(items)) {
		html_raw(sb, "<p>No Work Register is published yet.</p>");
	} else {
		html_raw(sb, "<table><thead><tr><th scope=\"col\">Partner</th><th scope=\"col\">Work Register</th>"
			     "<th scope=\"col\">Approved</th><th scope=\"col\">Status</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *w = json_array_get(items, i);
			char id[24];
			snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(w, "id")));
			html_raw(sb, "<tr><td>");
			html_text(sb, str(json_object_get(w, "partner"), "name"));
			html_raw(sb, "</td><td><a href=\"/registers/");
			html_attr(sb, id);
			html_raw(sb, "\">");
			html_text(sb, str(w, "title"));
			html_raw(sb, "</a></td><td>");
			date_of(sb, str(w, "board_approval_date"));
			html_raw(sb, "</td><td>");
			html_text(sb, str(w, "ended_at") ? "ended" : "established"); /* one word for it (issue 25) */
			html_raw(sb, "</td></tr>\n");
		}
		html_raw(sb, "</tbody></table>\n");
	}
	/* issue 27: a page at a time */
	json_t *next = json_object_get(v, "next");
	if (json_is_integer(next) || json_is_integer(json_object_get(v, "after"))) {
		html_raw(sb, "<nav aria-label=\"Pages\"><p>");
		if (json_is_integer(json_object_get(v, "after")))
			html_raw(sb, "<a rel=\"first\" href=\"/registers\">First page</a> ");
		if (json_is_integer(next))
			strbuf_addf(sb, "<a rel=\"next\" href=\"/registers?after=%lld\">Next page</a>", (long long)json_integer_value(next));
		html_raw(sb, "</p></nav>\n");
	}
	foot(sb);
}

static void section(struct strbuf *sb, const char *title, const char *md)
{
	html_raw(sb, "<section><h2>");
	html_text(sb, title);
	html_raw(sb, "</h2>");
	html_markdown(sb, md);
	html_raw(sb, "</section>\n");
}

static void cell(struct strbuf *sb, const char *s)
{
	html_raw(sb, "<td>");
	html_text(sb, s);
	html_raw(sb, "</td>");
}

static const char *org(json_t *row, const char *k, const char *partner)
{
	const char *v = str(row, k);
	return v && !strcmp(v, "partner") ? partner : v;
}

static void render_wr(struct strbuf *sb, json_t *d)
{
	const char *partner = str(json_object_get(d, "partner"), "short_name");
	json_t *ms = json_object_get(d, "milestones"), *st = json_object_get(d, "standards"), *cs = json_object_get(d, "contacts");
	json_t *hist = json_object_get(d, "history");
	head(sb, str(d, "title"));
	html_raw(sb, "<article><h1>");
	html_text(sb, str(d, "title"));
	html_raw(sb, "</h1>\n<p class=\"meta\">Work Register between the DMTF and ");
	html_text(sb, str(json_object_get(d, "partner"), "name"));
	html_raw(sb, ". Originating Committee: ");
	html_text(sb, str(json_object_get(d, "originating_committee"), "name"));
	html_raw(sb, ".</p>\n<section class=\"resolution\"><h2>Board resolution</h2><p>");
	html_text(sb, str(d, "board_resolution"));
	html_raw(sb, "</p><p>Approved on <time>");
	html_text(sb, str(d, "board_approval_date"));
	html_raw(sb, "</time>; accepted by the partner on <time>");
	date_of(sb, str(d, "established_at"));
	html_raw(sb, "</time>.</p></section>\n");
	section(sb, "Scope", str(d, "scope"));
	section(sb, "Benefits", str(d, "benefits"));
	section(sb, "Deliverables", str(d, "deliverables"));
	html_raw(sb, "<section><h2>Milestones</h2><table><thead><tr><th scope=\"col\">Milestone</th><th scope=\"col\">Target</th>"
		     "<th scope=\"col\">Status</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < json_array_size(ms); i++) {
		json_t *m = json_array_get(ms, i);
		html_raw(sb, "<tr>");
		cell(sb, str(m, "description"));
		cell(sb, str(m, "target_date"));
		cell(sb, str(m, "status"));
		html_raw(sb, "</tr>\n");
	}
	html_raw(sb, "</tbody></table></section>\n<section><h2>Standards development (Table 1)</h2>"
		     "<table><thead><tr><th scope=\"col\">Standard type</th><th scope=\"col\">AP Id</th><th scope=\"col\">Description</th>"
		     "<th scope=\"col\">Info Mgt Domain</th><th scope=\"col\">Lead Org</th><th scope=\"col\">Governing IP Policy</th>"
		     "<th scope=\"col\">Owning Org</th><th scope=\"col\">Developing Org</th><th scope=\"col\">Maintaining Org</th>"
		     "<th scope=\"col\">Work</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < json_array_size(st); i++) {
		json_t *r = json_array_get(st, i);
		int replaced = !strcmp(str(r, "status"), "replaced");
		strbuf_addstr(sb, replaced ? "<tr class=\"replaced\">" : "<tr>");
		cell(sb, str(r, "standard_type"));
		cell(sb, str(r, "ap_id"));
		cell(sb, str(r, "description"));
		cell(sb, str(r, "domain"));
		cell(sb, str(r, "lead_org"));
		cell(sb, org(r, "ip_policy", partner));
		cell(sb, org(r, "owning_org", partner));
		cell(sb, org(r, "developing_org", partner));
		cell(sb, org(r, "maintaining_org", partner));
		char kind[80];
		snprintf(kind, sizeof(kind), "%s%s%s", str(r, "kind"), json_is_true(json_object_get(r, "is_group")) ? ", group" : "",
			 replaced ? ", replaced by discrete rows" : "");
		cell(sb, kind);
		html_raw(sb, "</tr>\n");
	}
	html_raw(sb, "</tbody></table></section>\n<section><h2>Contacts</h2><ul>");
	for (size_t i = 0; i < json_array_size(cs); i++) {
		html_raw(sb, "<li>");
		html_text(sb, str(json_array_get(cs, i), "name"));
		html_raw(sb, " (");
		html_text(sb, str(json_array_get(cs, i), "role"));
		html_raw(sb, ")</li>");
	}
	html_raw(sb, "</ul></section>\n<section><h2>Change history</h2><table><thead><tr><th scope=\"col\">Version</th>"
		     "<th scope=\"col\">Date</th><th scope=\"col\">Summary</th><th scope=\"col\">Commit</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < json_array_size(hist); i++) {
		json_t *h = json_array_get(hist, i);
		html_raw(sb, "<tr>");
		cell(sb, str(h, "version")); /* R50: 1.0.1a, as the seed's Appendix A */
		html_raw(sb, "<td>");
		date_of(sb, str(h, "date"));
		html_raw(sb, "</td>");
		cell(sb, str(h, "summary"));
		/* R21: the version as committed to the published git repository */
		json_t *commit = json_object_get(h, "commit");
		html_raw(sb, "<td>");
		if (commit) {
			char shortid[13];
			snprintf(shortid, sizeof(shortid), "%.12s", str(commit, "id"));
			const char *url = str(commit, "url");
			if (url && *url) { /* an http(s) address from the settings */
				html_raw(sb, "<a href=\"");
				html_attr(sb, url);
				html_raw(sb, "\">");
			}
			html_raw(sb, "<code title=\"");
			html_attr(sb, str(commit, "id"));
			html_raw(sb, "\">");
			html_text(sb, str(commit, "tag"));
			html_raw(sb, " ");
			html_text(sb, shortid);
			html_raw(sb, "</code>");
			if (url && *url)
				html_raw(sb, "</a>");
		}
		html_raw(sb, "</td></tr>\n");
	}
	html_raw(sb, "</tbody></table></section>\n");
	/* two published versions compared (issue 11): a plain GET form */
	size_t published = 0;
	for (size_t i = 0; i < json_array_size(hist); i++)
		published += str(json_array_get(hist, i), "version") && strncmp(str(json_array_get(hist, i), "version"), "0.", 2);
	if (published > 1) {
		char action[64];
		snprintf(action, sizeof(action), "/registers/%lld/diff", (long long)json_integer_value(json_object_get(d, "id")));
		html_raw(sb, "<section><h2>Compare two versions</h2><form method=\"get\" action=\"");
		html_attr(sb, action);
		html_raw(sb, "\">");
		for (int k = 0; k < 2; k++) {
			strbuf_addstr(sb, k ? " <label>with <select name=\"to\">" : "<label>Version <select name=\"from\">");
			size_t n = 0;
			for (size_t i = 0; i < json_array_size(hist); i++) {
				const char *label = str(json_array_get(hist, i), "version");
				if (!label || !strncmp(label, "0.", 2))
					continue;
				n++;
				/* the two latest by default */
				int chosen = k ? n == published : n == published - 1;
				html_raw(sb, "<option");
				if (chosen)
					html_raw(sb, " selected");
				html_raw(sb, ">");
				html_text(sb, label);
				html_raw(sb, "</option>");
			}
			html_raw(sb, "</select></label>");
		}
		html_raw(sb, " <button type=\"submit\">Compare</button></form></section>\n");
	}
	html_raw(sb, "</article>\n");
	foot(sb);
}

static const char *const section_titles[][2] = { { "standards", "Standards development (Table 1)" }, { "milestones", "Milestones" },
						  { "contacts", "Contacts" } };

/* A record of a section by its name: a Table 1 row's identifier and
 * description, a milestone's, a contact's name (never an address). */
static void record_name(struct strbuf *sb, const char *section, json_t *r)
{
	if (!strcmp(section, "standards")) {
		html_text(sb, str(r, "ap_id"));
		html_raw(sb, ": ");
		html_text(sb, str(r, "description"));
	} else if (!strcmp(section, "milestones")) {
		html_text(sb, str(r, "description"));
	} else {
		html_text(sb, str(r, "name"));
	}
}

static void value_text(struct strbuf *sb, json_t *v)
{
	char n[32];
	if (json_is_string(v)) {
		html_text(sb, json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(v));
		html_text(sb, n);
	} else if (json_is_boolean(v)) {
		html_text(sb, json_is_true(v) ? "yes" : "no");
	} else {
		html_text(sb, "(none)");
	}
}

/* Two published versions compared: each text word by word (<del>, <ins>),
 * each value from and to, the records added, removed and changed. */
static void render_diff(struct strbuf *sb, json_t *v)
{
	json_t *wr = json_object_get(v, "wr"), *from = json_object_get(v, "from"), *to = json_object_get(v, "to");
	json_t *fields = json_object_get(v, "fields"), *secs = json_object_get(v, "sections");
	char back[64];
	head(sb, str(wr, "title"));
	html_raw(sb, "<article><h1>");
	html_text(sb, str(wr, "title"));
	html_raw(sb, "</h1>\n<p class=\"meta\">What changed from version ");
	html_text(sb, str(from, "label"));
	html_raw(sb, " (<time>");
	date_of(sb, str(from, "date"));
	html_raw(sb, "</time>) to version ");
	html_text(sb, str(to, "label"));
	html_raw(sb, " (<time>");
	date_of(sb, str(to, "date"));
	snprintf(back, sizeof(back), "/registers/%lld", (long long)json_integer_value(json_object_get(wr, "id")));
	html_raw(sb, "</time>). <a href=\"");
	html_attr(sb, back);
	html_raw(sb, "\">The Work Register as it stands</a>.</p>\n");
	int any = 0;
	for (size_t i = 0; i < json_array_size(fields); i++) {
		json_t *f = json_array_get(fields, i), *words = json_object_get(f, "words");
		char title[64];
		snprintf(title, sizeof(title), "%s", str(f, "field") ? str(f, "field") : "");
		for (char *c = title; *c; c++)
			*c = *c == '_' ? ' ' : *c;
		title[0] = (char)(title[0] >= 'a' && title[0] <= 'z' ? title[0] - 32 : title[0]);
		html_raw(sb, "<section><h2>");
		html_text(sb, title);
		html_raw(sb, "</h2><p class=\"words\">");
		if (json_is_array(words)) {
			for (size_t k = 0; k < json_array_size(words); k++) {
				json_t *w = json_array_get(words, k);
				const char *op = str(w, "op") ? str(w, "op") : "=";
				if (*op == '+')
					html_raw(sb, "<ins>");
				else if (*op == '-')
					html_raw(sb, "<del>");
				html_text(sb, str(w, "text"));
				if (*op == '+')
					html_raw(sb, "</ins>");
				else if (*op == '-')
					html_raw(sb, "</del>");
			}
		} else {
			html_raw(sb, "<del>");
			value_text(sb, json_object_get(f, "from"));
			html_raw(sb, "</del> &rarr; <ins>");
			value_text(sb, json_object_get(f, "to"));
			html_raw(sb, "</ins>");
		}
		html_raw(sb, "</p></section>\n");
		any = 1;
	}
	for (size_t s = 0; s < sizeof(section_titles) / sizeof(section_titles[0]); s++) {
		json_t *d = json_object_get(secs, section_titles[s][0]);
		json_t *added = json_object_get(d, "added"), *removed = json_object_get(d, "removed"), *changed = json_object_get(d, "changed");
		if (!json_array_size(added) && !json_array_size(removed) && !json_array_size(changed))
			continue;
		any = 1;
		html_raw(sb, "<section><h2>");
		html_text(sb, section_titles[s][1]);
		html_raw(sb, "</h2><ul>");
		for (size_t i = 0; i < json_array_size(added); i++) {
			html_raw(sb, "<li>Added: <ins>");
			record_name(sb, section_titles[s][0], json_array_get(added, i));
			html_raw(sb, "</ins></li>");
		}
		for (size_t i = 0; i < json_array_size(removed); i++) {
			html_raw(sb, "<li>Removed: <del>");
			record_name(sb, section_titles[s][0], json_array_get(removed, i));
			html_raw(sb, "</del></li>");
		}
		for (size_t i = 0; i < json_array_size(changed); i++) {
			json_t *c = json_array_get(changed, i), *cf = json_object_get(c, "fields"), *fv;
			const char *name;
			char rid[40];
			snprintf(rid, sizeof(rid), "Changed, record %lld: ", (long long)json_integer_value(json_object_get(c, "id")));
			html_raw(sb, "<li>");
			html_text(sb, rid);
			int first = 1;
			json_object_foreach(cf, name, fv) {
				if (!strcmp(name, "email") || !strcmp(name, "updated_at"))
					continue; /* contacts' addresses stay private; stamps say nothing */
				if (!first)
					html_raw(sb, "; ");
				first = 0;
				html_text(sb, name);
				html_raw(sb, " <del>");
				value_text(sb, json_object_get(fv, "from"));
				html_raw(sb, "</del> &rarr; <ins>");
				value_text(sb, json_object_get(fv, "to"));
				html_raw(sb, "</ins>");
			}
			html_raw(sb, "</li>");
		}
		html_raw(sb, "</ul></section>\n");
	}
	if (!any)
		html_raw(sb, "<p>The two versions do not differ.</p>\n");
	html_raw(sb, "</article>\n");
	foot(sb);
}

/* An Atom feed's head: its id is the page it follows (base + page), its
 * self link base + self. Both feeds, the WRs' and the checkpoints'. */
static void feed_head(struct strbuf *sb, const char *base, const char *title, const char *page, const char *self, const char *updated,
		      const char *author)
{
	html_raw(sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>");
	html_text(sb, title);
	html_raw(sb, "</title><id>");
	html_text(sb, base);
	html_text(sb, page);
	html_raw(sb, "</id><link rel=\"self\" href=\"");
	html_attr(sb, base);
	html_attr(sb, self);
	html_raw(sb, "\"/><link href=\"");
	html_attr(sb, base);
	html_attr(sb, page);
	html_raw(sb, "\"/><updated>");
	html_text(sb, updated);
	html_raw(sb, "</updated><author><name>");
	html_text(sb, author);
	html_raw(sb, "</name></author>\n");
}

static void render_feed(struct strbuf *sb, json_t *v, const char *base)
{
	json_t *entries = json_object_get(v, "entries");
	const char *updated = json_array_size(entries) ? str(json_array_get(entries, 0), "updated") : "1970-01-01T00:00:00Z";
	char self[80], next[80];
	json_t *before = json_object_get(v, "before"), *after = json_object_get(v, "next");
	snprintf(self, sizeof(self), "/registers/feed.atom");
	if (json_is_integer(before))
		snprintf(self, sizeof(self), "/registers/feed.atom?before=%lld", (long long)json_integer_value(before));
	feed_head(sb, base, "DMTF alliance work registers: approvals and updates", "/registers", self, updated, "DMTF");
	/* issue 27: a paged feed (RFC 5005): the newest page first, each
	 * naming the one after it; readers that keep up read the first only */
	html_raw(sb, "<link rel=\"first\" href=\"");
	html_attr(sb, base);
	html_raw(sb, "/registers/feed.atom\"/>");
	if (json_is_integer(after)) {
		snprintf(next, sizeof(next), "/registers/feed.atom?before=%lld", (long long)json_integer_value(after));
		html_raw(sb, "<link rel=\"next\" href=\"");
		html_attr(sb, base);
		html_attr(sb, next);
		html_raw(sb, "\"/>");
	}
	html_raw(sb, "\n");
	for (size_t i = 0; i < json_array_size(entries); i++) {
		json_t *en = json_array_get(entries, i);
		char id[64];
		snprintf(id, sizeof(id), "/registers/%lld", (long long)json_integer_value(json_object_get(en, "wr_id")));
		html_raw(sb, "<entry><title>");
		html_text(sb, str(en, "title"));
		html_raw(sb, " ");
		html_text(sb, str(en, "version"));
		html_raw(sb, "</title><id>");
		html_text(sb, base);
		html_text(sb, id);
		strbuf_addf(sb, "#rev-%lld", (long long)json_integer_value(json_object_get(en, "revision")));
		html_raw(sb, "</id><link href=\"");
		html_attr(sb, base);
		html_attr(sb, id);
		html_raw(sb, "\"/><updated>");
		html_text(sb, str(en, "updated"));
		html_raw(sb, "</updated><summary>");
		html_text(sb, str(en, "summary"));
		html_raw(sb, "</summary></entry>\n");
	}
	html_raw(sb, "</feed>\n");
}

/* Issue 25: the signed checkpoints in a feed of their own (the WR feed
 * carries WR news only), for whoever keeps copies of them (issue 11). */
static void render_checkpoint_feed(struct strbuf *sb, json_t *v, const char *base)
{
	json_t *cps = json_object_get(v, "items");
	const char *updated = json_array_size(cps) ? str(json_array_get(cps, 0), "at") : "1970-01-01T00:00:00Z";
	feed_head(sb, base, "entente: signed checkpoints of the record", "/registers/checkpoints", "/registers/checkpoints.atom", updated,
		  "entente");
	for (size_t i = 0; i < json_array_size(cps) && i < 50; i++) { /* the latest 50 */
		json_t *c = json_array_get(cps, i);
		html_raw(sb, "<entry><title>");
		strbuf_addf(sb, "Checkpoint of the record: %lld events", (long long)json_integer_value(json_object_get(c, "count")));
		strbuf_addf(sb, "</title><id>urn:entente:checkpoint:%lld:", (long long)json_integer_value(json_object_get(c, "id")));
		html_text(sb, str(c, "head"));
		html_raw(sb, "</id><link href=\"");
		html_attr(sb, base);
		html_raw(sb, "/registers/checkpoints\"/><updated>");
		html_text(sb, str(c, "at"));
		html_raw(sb, "</updated><summary>");
		strbuf_addf(sb, "last_id %lld, count %lld, head ", (long long)json_integer_value(json_object_get(c, "last_id")),
			    (long long)json_integer_value(json_object_get(c, "count")));
		html_text(sb, str(c, "head"));
		html_raw(sb, "; Ed25519 public key ");
		html_text(sb, str(c, "public_key"));
		html_raw(sb, ", signature ");
		html_text(sb, str(c, "signature"));
		html_raw(sb, "</summary></entry>\n");
	}
	html_raw(sb, "</feed>\n");
}

/* Issue 24: the keys that signed, each with its period of validity (the
 * current one's runs on): a retired key stays here, so that what it
 * signed can still be checked. */
static void render_keys(struct strbuf *sb, json_t *keys)
{
	html_raw(sb, "<h2 id=\"keys\">Signing keys</h2>\n<p>The Ed25519 public keys that signed these checkpoints, each valid from "
		     "its first checkpoint (or the rotation that made it) until its last. A key rotated (<code>entente keys rotate</code>) "
		     "names its successor and signed a checkpoint covering the rotation: check with the key you hold, and its "
		     "successors are accepted (<code>entente audit check --public-key</code>).</p>\n"
		     "<table><thead><tr><th scope=\"col\">Public key</th><th scope=\"col\">From</th><th scope=\"col\">Until</th>"
		     "<th scope=\"col\">Checkpoints</th><th scope=\"col\">Succeeded by</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < json_array_size(keys); i++) {
		json_t *k = json_array_get(keys, i);
		char n[24];
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(json_object_get(k, "checkpoints")));
		html_raw(sb, "<tr><td><code>");
		html_text(sb, str(k, "public_key"));
		html_raw(sb, "</code></td>");
		cell(sb, str(k, "from"));
		cell(sb, json_is_true(json_object_get(k, "current")) ? "current" : str(k, "until"));
		cell(sb, n);
		html_raw(sb, "<td><code>");
		html_text(sb, str(k, "successor"));
		html_raw(sb, "</code></td></tr>\n");
	}
	html_raw(sb, "</tbody></table>\n<h2>Checkpoints</h2>\n");
}

/* Issue 11: the signed checkpoints of the audit chain, for outsiders to
 * keep: each signs "entente audit checkpoint v1\nlast_id N\ncount N\n
 * head HEX\nat TIME\n" with Ed25519. */
static void render_checkpoints(struct strbuf *sb, json_t *v)
{
	json_t *items = json_object_get(v, "items");
	head(sb, "Checkpoints of the record");
	html_raw(sb, "<h1>Checkpoints of the record</h1>\n<p>Each checkpoint is the head of entente's audit chain (BLAKE2b) and its "
		     "length, signed with Ed25519. Keep copies: with them, the public key and an export of the record, anyone can "
		     "check that no approved event was changed, removed or added since.</p>\n");
	if (!json_array_size(items)) {
		html_raw(sb, "<p>No checkpoint yet.</p>");
		foot(sb);
		return;
	}
	render_keys(sb, json_object_get(v, "keys"));
	html_raw(sb, "<table><thead><tr><th scope=\"col\">At</th><th scope=\"col\">Last event</th><th scope=\"col\">Events</th>"
		     "<th scope=\"col\">Head</th><th scope=\"col\">Why</th><th scope=\"col\">Public key</th>"
		     "<th scope=\"col\">Signature</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *c = json_array_get(items, i);
		char n1[24], n2[24];
		snprintf(n1, sizeof(n1), "%lld", (long long)json_integer_value(json_object_get(c, "last_id")));
		snprintf(n2, sizeof(n2), "%lld", (long long)json_integer_value(json_object_get(c, "count")));
		html_raw(sb, "<tr>");
		cell(sb, str(c, "at"));
		cell(sb, n1);
		cell(sb, n2);
		html_raw(sb, "<td><code>");
		html_text(sb, str(c, "head"));
		html_raw(sb, "</code></td>");
		cell(sb, str(c, "reason"));
		html_raw(sb, "<td><code>");
		html_text(sb, str(c, "public_key"));
		html_raw(sb, "</code></td><td><code>");
		html_text(sb, str(c, "signature"));
		html_raw(sb, "</code></td></tr>\n");
	}
	html_raw(sb, "</tbody></table>\n");
	foot(sb);
}

const char *http__render(const char *action, json_t *v, const char *base, int atom, struct strbuf *out)
{
	if (!strcmp(action, "checkpoint.list") && atom) {
		render_checkpoint_feed(out, v, base);
		return "application/atom+xml; charset=utf-8";
	}
	if (!strcmp(action, "checkpoint.list")) {
		render_checkpoints(out, v);
		return "text/html; charset=utf-8";
	}
	if (!strncmp(action, "calendar.", 9))
		return http__ical(v, out);
	if (!strcmp(action, "public.list")) {
		render_list(out, v);
	} else if (!strcmp(action, "public.get")) {
		render_wr(out, v);
	} else if (!strcmp(action, "public.diff")) {
		render_diff(out, v);
	} else {
		render_feed(out, v, base);
		return "application/atom+xml; charset=utf-8";
	}
	return "text/html; charset=utf-8";
}

void http__render_missing(struct strbuf *out)
{
	head(out, "Not found");
	html_raw(out, "<h1>Not found</h1><p>There is no approved Work Register here. <a href=\"/registers\">All alliances</a>.</p>");
	foot(out);
}
