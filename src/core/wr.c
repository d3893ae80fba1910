/* Work Registers and the sections of the template (R12): milestones,
 * partner contacts and the standards-development table (Table 1, R34-R41).
 * Every change writes a new revision with a full snapshot (R50); the
 * revision is the ETag every editor must present (R13). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/internal.h"
#include "lib/util.h"
#include "lib/markdown.h"
#include <stdlib.h>

static const char *const proposers[] = { "partner", "member", NULL };
static const char *const milestone_statuses[] = { "planned", "in_progress", "complete", "dropped", NULL };
static const char *const contact_roles[] = { "board_rep", "technical", "pr", NULL };
static const char *const std_kinds[] = { "joint", "delegated", NULL };
static const char *const std_orgs[] = { "DMTF", "partner", NULL };
/* Every status a Work Register can have; the process (lifecycle) moves it. */
static const char *const *wr_statuses = core__states;

#define SUMMARY { .name = "summary", .type = JT_STR, .max = 500, .rule = "R50" }

const struct jfield core__wr_spec[] = {
	{ .name = "partner_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R10" },
	{ .name = "title", .type = JT_STR, .flags = JF_REQUIRED, .max = 300, .rule = "R12" },
	/* the host's roles: chosen by host staff, never by the partner (R2, R11) */
	{ .name = "originating_body_id", .type = JT_ID, .rule = "R2", .who = G_STAFF | G_VP | G_ADMIN },
	{ .name = "owner_id", .type = JT_ID, .rule = "R11", .who = G_STAFF | G_VP | G_ADMIN },
	{ .name = "proposed_by", .type = JT_ENUM, .enums = proposers, .rule = "R10" },
	{ .name = "scope", .type = JT_TEXT, .max = 20000, .rule = "R12" },
	{ .name = "benefits", .type = JT_TEXT, .max = 20000, .rule = "R12" },
	{ .name = "deliverables", .type = JT_TEXT, .max = 20000, .rule = "R12" },
	/* 5.3.1: restrictions on the partner's feedback the WR agreed, if any;
	 * without them a change request is free of restrictions (R43) */
	{ .name = "feedback_restrictions", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 8000, .rule = "R43" },
	/* 3.2 (R17): the working groups commit to their deliverables as the draft is balloted */
	{ .name = "wg_commitment", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 8000, .rule = "R17" },
	SUMMARY,
	{ 0 }
};

const struct jfield core__milestone_spec[] = {
	{ .name = "description", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 2000, .rule = "R12" },
	{ .name = "body_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R4" },
	{ .name = "wg_id", .type = JT_ID, .flags = JF_NULLABLE, .rule = "R6" },
	{ .name = "target_date", .type = JT_DATE, .flags = JF_NULLABLE },
	{ .name = "status", .type = JT_ENUM, .enums = milestone_statuses },
	{ .name = "completed_date", .type = JT_DATE, .flags = JF_NULLABLE },
	SUMMARY,
	{ 0 }
};

const struct jfield core__contact_spec[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200, .rule = "R12" },
	{ .name = "email", .type = JT_EMAIL, .flags = JF_REQUIRED, .rule = "R24" },
	{ .name = "role", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = contact_roles, .rule = "R9" },
	SUMMARY,
	{ 0 }
};

/* The nine columns of Table 1 (R36) and the kind of work (R34). */
#define STANDARD_FIELDS_F(req) \
	{ .name = "kind", .type = JT_ENUM, .flags = (req), .enums = std_kinds, .rule = "R34" }, \
	{ .name = "standard_type", .type = JT_STR, .flags = (req), .max = 100, .rule = "R37" }, \
	{ .name = "ap_id", .type = JT_STR, .flags = (req), .max = 100, .rule = "R38" }, \
	{ .name = "description", .type = JT_STR, .flags = (req), .max = 500, .rule = "R36" }, \
	{ .name = "domain", .type = JT_STR, .flags = (req), .max = 200, .rule = "R41" }, \
	{ .name = "lead_org", .type = JT_STR, .flags = (req), .max = 200, .rule = "R36" }, \
	{ .name = "ip_policy", .type = JT_ENUM, .flags = (req), .enums = std_orgs, .rule = "R40" }, \
	{ .name = "owning_org", .type = JT_ENUM, .flags = (req), .enums = std_orgs, .rule = "R40" }, \
	{ .name = "developing_org", .type = JT_ENUM, .flags = (req), .enums = std_orgs, .rule = "R40" }, \
	{ .name = "maintaining_org", .type = JT_ENUM, .flags = (req), .enums = std_orgs, .rule = "R40" }, \
	{ .name = "is_group", .type = JT_BOOL, .rule = "R39" }
#define STANDARD_FIELDS STANDARD_FIELDS_F(JF_REQUIRED)

const struct jfield core__standard_spec[] = { STANDARD_FIELDS, SUMMARY, { 0 } };
static const struct jfield standard_row_spec[] = { STANDARD_FIELDS, { 0 } };

/* Table 1 in an amendment of an established WR (amend.c): rows added, rows
 * changed, group rows replaced by discrete ones (R22, R28, R29, R39). */
static const struct jfield standard_update_item[] = {
	{ .name = "id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R22" }, STANDARD_FIELDS_F(0), { 0 }
};
static const struct jfield standard_replace_item[] = {
	{ .name = "group_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R39" },
	{ .name = "rows", .type = JT_ARRAY, .flags = JF_REQUIRED, .min = 1, .max = 200, .items = standard_row_spec, .rule = "R39" },
	{ 0 }
};
const struct jfield core__table1_changes_spec[] = {
	{ .name = "add", .type = JT_ARRAY, .max = 200, .items = standard_row_spec, .rule = "R22" },
	{ .name = "update", .type = JT_ARRAY, .max = 200, .items = standard_update_item, .rule = "R22" },
	{ .name = "replace", .type = JT_ARRAY, .max = 50, .items = standard_replace_item, .rule = "R39" },
	{ 0 }
};

const struct jfield core__replace_spec[] = {
	{ .name = "rows", .type = JT_ARRAY, .flags = JF_REQUIRED, .min = 1, .max = 200, .items = standard_row_spec, .rule = "R39" },
	SUMMARY,
	{ 0 }
};

/* Drafts are edited in place; after approval a change is an amendment that
 * is balloted again (R22), which the process issue brings. */
static int editable(struct ctx *x, struct err *e)
{
	const char *s = json_string_value(json_object_get(x->scope.wr, "status"));
	if (!strcmp(s, "proposed") || !strcmp(s, "drafting"))
		return 0;
	return err_set(e, E_NOT_EDITABLE, "status", "a Work Register in status %s is not edited in place", s);
}

static int64_t wr_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.wr, "id")); }

json_t *core__rows_of(struct ctx *x, const char *table, int64_t id)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI}", "wr_id", (json_int_t)id), *rows = NULL;
	struct store_query q = { .where = where };
	if (store_find(x->st, table, &q, &rows, &ignored))
		rows = json_array();
	json_decref(where);
	return rows;
}

static json_t *ref(struct ctx *x, const char *table, json_t *id, const char *k1, const char *k2)
{
	struct err ignored = ERR_INIT;
	json_t *row = NULL, *r;
	if (!json_is_integer(id) || store_get(x->st, table, json_integer_value(id), &row, &ignored))
		return json_null();
	r = json_pack("{sO sO}", "id", json_object_get(row, "id"), k1, json_object_get(row, k1));
	if (k2)
		json_object_set(r, k2, json_object_get(row, k2));
	json_decref(row);
	return r;
}

/* R3, R4: the committees that must approve: the Originating Committee, the
 * Alliance Committee, and every committee with work in the milestones
 * (dropped milestones do not count). */
static json_t *required_of(struct ctx *x, json_t *wr, json_t *milestones)
{
	json_t *ids = json_array();
	int64_t ac;
	struct err ignored = ERR_INIT;
	json_array_append(ids, json_object_get(wr, "originating_body_id"));
	/* R3: adoption needs the Alliance Committee whatever the originator */
	if (!core__alliance_committee(x, &ac, &ignored) && ac != json_integer_value(json_object_get(wr, "originating_body_id")))
		json_array_append_new(ids, json_integer(ac));
	for (size_t i = 0; i < json_array_size(milestones); i++) {
		json_t *m = json_array_get(milestones, i), *b = json_object_get(m, "body_id");
		int seen = 0;
		if (!strcmp(json_string_value(json_object_get(m, "status")), "dropped"))
			continue;
		for (size_t j = 0; j < json_array_size(ids); j++)
			seen |= json_equal(json_array_get(ids, j), b);
		if (!seen)
			json_array_append(ids, b);
	}
	return ids;
}

json_t *core__required_committees(struct ctx *x, json_t *wr)
{
	json_t *ms = core__rows_of(x, "milestones", json_integer_value(json_object_get(wr, "id")));
	json_t *r = required_of(x, wr, ms);
	json_decref(ms);
	return r;
}

/* R12: every section of the template filled, milestones dated and assigned,
 * an owner, and a representative of the partner's board to work with. */
int core__wr_complete(struct ctx *x, struct err *e)
{
	json_t *wr = x->scope.wr, *ms, *cs;
	const char *text[] = { "title", "scope", "benefits", "deliverables" };
	int reps = 0, ret = -1;
	for (int i = 0; i < 4; i++) {
		const char *v = json_string_value(json_object_get(wr, text[i]));
		if (!v || !*v)
			return err_set(e, E_R12_INCOMPLETE, text[i], "the %s section is empty", text[i]);
	}
	if (!json_is_integer(json_object_get(wr, "owner_id")))
		return err_set(e, E_R12_INCOMPLETE, "owner_id", "the Work Register has no owner (R11)");
	ms = core__rows_of(x, "milestones", json_integer_value(json_object_get(wr, "id")));
	cs = core__rows_of(x, "wr_contacts", json_integer_value(json_object_get(wr, "id")));
	if (!json_array_size(ms)) {
		err_set(e, E_R12_INCOMPLETE, "milestones", "the Milestones section is empty");
		goto out;
	}
	for (size_t i = 0; i < json_array_size(ms); i++) {
		json_t *m = json_array_get(ms, i);
		if (!strcmp(json_string_value(json_object_get(m, "status")), "dropped"))
			continue;
		if (!json_is_string(json_object_get(m, "target_date"))) {
			err_set(e, E_R12_INCOMPLETE, "milestones", "milestone %lld has no target date",
				(long long)json_integer_value(json_object_get(m, "id")));
			goto out;
		}
	}
	for (size_t i = 0; i < json_array_size(cs); i++)
		reps += !strcmp(json_string_value(json_object_get(json_array_get(cs, i), "role")), "board_rep");
	if (!reps) {
		err_set(e, E_R12_INCOMPLETE, "contacts", "name at least one representative of the partner's board");
		goto out;
	}
	ret = 0;
out:
	json_decref(ms);
	json_decref(cs);
	return ret;
}

/* The whole document: what GET answers and what a version keeps. */
json_t *core__wr_document(struct ctx *x, json_t *wr)
{
	int64_t id = json_integer_value(json_object_get(wr, "id"));
	json_t *d = json_deep_copy(wr), *ms = core__rows_of(x, "milestones", id), *warnings = json_array();
	json_object_set_new(d, "partner", ref(x, "organizations", json_object_get(wr, "partner_id"), "name", "short_name"));
	json_object_set_new(d, "originating_committee", ref(x, "bodies", json_object_get(wr, "originating_body_id"), "name", NULL));
	json_object_set_new(d, "owner", ref(x, "people", json_object_get(wr, "owner_id"), "name", "email"));
	json_object_set_new(d, "required_committees", required_of(x, wr, ms));
	json_object_set_new(d, "milestones", ms);
	json_object_set_new(d, "contacts", core__rows_of(x, "wr_contacts", id));
	json_object_set_new(d, "standards", core__rows_of(x, "standards", id));
	json_object_set_new(d, "meetings", core__rows_of(x, "meetings", id)); /* R14, R19 */
	json_object_set_new(d, "delegation_agreements", core__rows_of(x, "delegation_agreements", id)); /* R35 */
	/* R1: flag a WR whose owner has since left the Alliance Committee. */
	json_t *owner = json_object_get(wr, "owner_id");
	int64_t ac;
	struct err ignored = ERR_INIT;
	if (json_is_integer(owner) && !core__alliance_committee(x, &ac, &ignored) &&
	    !core__active_member(x, ac, json_integer_value(owner)))
		json_array_append_new(warnings, json_pack("{ss ss}", "rule", "R1", "detail",
							  "the owner is no longer an active member of the Alliance Committee"));
	json_object_set_new(d, "warnings", warnings);
	return d;
}

/* R50: version labels, like the seed's Appendix A (1.0.0, 1.0.1, 1.0.1a,
 * 1.0.1b, 1.1a ...): a number major.minor.update for what a body saw or
 * decided, letters after it for the edits since. The proposal is 0.1.0; an
 * edit adds or advances the letters (0.1.0a, 0.1.0b, ... z, aa); a process
 * step (frozen for ballot, approved, sent, reviewed, removal ...) takes the
 * next update number (0.1.1); an approved amendment the next minor
 * (1.1.0); establishment the next major (1.0.0). */
int core__version_label(const char *prev, enum vkind kind, char *out, size_t n)
{
	unsigned long v[3] = { 0, 1, 0 };
	char letters[16] = "";
	if (prev) {
		const char *p = prev;
		for (int i = 0; i < 3; i++) {
			char *end;
			if (!isdigit((unsigned char)*p))
				return -1;
			v[i] = strtoul(p, &end, 10);
			p = end;
			if (i < 2 && *p++ != '.')
				return -1;
		}
		if (strspn(p, "abcdefghijklmnopqrstuvwxyz") != strlen(p) || strlen(p) >= sizeof(letters) - 1)
			return -1;
		snprintf(letters, sizeof(letters), "%s", p);
		if (kind == V_EDIT) { /* count on in letters: a .. z, aa .. */
			size_t len = strlen(letters), i = len;
			while (i > 0 && letters[i - 1] == 'z')
				letters[--i] = 'a';
			if (i > 0)
				letters[i - 1]++;
			else
				memmove(letters + 1, letters, len + 1), letters[0] = 'a';
		} else {
			letters[0] = '\0';
			if (kind == V_STEP)
				v[2]++;
			else if (kind == V_AMEND)
				v[1]++, v[2] = 0;
			else
				v[0]++, v[1] = v[2] = 0;
		}
	}
	int w = snprintf(out, n, "%lu.%lu.%lu%s", v[0], v[1], v[2], letters);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* R50: bump the revision, keep a snapshot with its author, summary and
 * label. */
static int wr_touch(struct ctx *x, int64_t id, const char *summary, enum vkind kind, json_t **doc, struct err *e);

int core__wr_version(struct ctx *x, int64_t id, const char *summary, enum vkind kind, struct err *e)
{
	json_t *doc = NULL;
	int ret = wr_touch(x, id, summary, kind, &doc, e);
	json_decref(doc);
	return ret;
}

static int wr_touch(struct ctx *x, int64_t id, const char *summary, enum vkind kind, json_t **doc, struct err *e)
{
	int64_t rev;
	char label[40];
	json_t *wr = NULL, *row = NULL, *ch = NULL;
	int ret = -1;
	*doc = NULL;
	if (store_get(x->st, "work_registers", id, &wr, e))
		goto out;
	if (core__version_label(json_string_value(json_object_get(wr, "version_label")), kind, label, sizeof(label))) {
		err_set(e, E_INTERNAL, "version_label", "the Work Register's version label is not one");
		goto out;
	}
	json_decref(wr);
	wr = NULL;
	ch = json_pack("{ss ss}", "updated_at", x->now_iso, "version_label", label);
	if (store_update(x->st, "work_registers", id, ch, e) ||
	    store_increment(x->st, "work_registers", id, "revision", 1, &rev, e) ||
	    store_get(x->st, "work_registers", id, &wr, e))
		goto out;
	*doc = core__wr_document(x, wr);
	row = json_pack("{sI sI ss sO ss ss ss}", "wr_id", (json_int_t)id, "revision", (json_int_t)rev, "label", label, "snapshot",
			*doc, "author", core__acting_label(x), "summary", summary, "created_at", x->now_iso);
	if (x->actor.person_id && !x->acting)
		json_object_set_new(row, "author_id", json_integer(x->actor.person_id));
	if (store_insert(x->st, "wr_versions", row, NULL, e))
		goto out;
	x->reply->revision = rev;
	ret = 0;
out:
	if (ret) {
		json_decref(*doc);
		*doc = NULL;
	}
	json_decref(wr);
	json_decref(row);
	json_decref(ch);
	return ret;
}

static const char *summary_of(struct ctx *x, const char *fallback)
{
	const char *s = json_string_value(json_object_get(x->call->body, "summary"));
	return s && *s ? s : fallback;
}

/* A body row without the "summary", which goes to the version, not a column. */
static json_t *section_row(struct ctx *x, int creating)
{
	json_t *row = core__row_from(x, x->call->body, creating);
	json_object_del(row, "summary");
	return row;
}

static int committee_check(struct ctx *x, json_t *id, struct err *e)
{
	json_t *b = NULL;
	int ok;
	if (store_get(x->st, "bodies", json_integer_value(id), &b, e))
		return err_set(e, E_R2_ORIGINATING, "originating_body_id", "refers to no existing body");
	ok = !strcmp(json_string_value(json_object_get(b, "kind")), "committee");
	json_decref(b);
	if (!ok)
		return err_set(e, E_R2_ORIGINATING, "originating_body_id", "the Originating Committee must be a committee");
	return 0;
}

/* R11 and R1 at assignment of an owner. */
static int owner_check(struct ctx *x, const char *proposed_by, json_t *owner, struct err *e)
{
	if (!owner)
		return 0;
	if (!strcmp(proposed_by, "partner") && !x->actor.vp && !x->actor.system)
		return err_set(e, E_R11_ASSIGN, "owner_id", "the owner of an external proposal is assigned by the VP of Alliances");
	return core__owner_r1(x, owner, e);
}

/* R1: the owner is an existing, active member of the Alliance Committee. */
int core__owner_r1(struct ctx *x, json_t *owner, struct err *e)
{
	int64_t ac;
	if (core__exists(x, "people", json_integer_value(owner), "owner_id", e) || core__alliance_committee(x, &ac, e))
		return -1;
	if (!core__active_member(x, ac, json_integer_value(owner)))
		return err_set(e, E_R1_OWNER, "owner_id", "person %lld is not an active member of the Alliance Committee",
			       (long long)json_integer_value(owner));
	return 0;
}

int core__wr_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	int64_t partner, owner;
	if (core__query_enum(x, where, "status", wr_statuses, e) || core__query_id(x, "partner_id", &partner, e) ||
	    core__query_id(x, "owner_id", &owner, e)) {
		json_decref(where);
		return -1;
	}
	if (partner)
		json_object_set_new(where, "partner_id", json_integer(partner));
	if (owner)
		json_object_set_new(where, "owner_id", json_integer(owner));
	/* a partner's representatives see their own organization's WRs only */
	if (!x->actor.system && !x->actor.staff)
		json_object_set_new(where, "partner_id", json_integer(x->actor.org_id));
	/* ?q=words: full text over title, scope and Table 1 (FTS5), with the
	 * filters and the cursor as ever */
	const char *words = core__param(x, "q");
	if (words && (strlen(words) > 200 || !words[strspn(words, " \t\r\n")])) {
		json_decref(where);
		return err_set(e, E_INVALID, "q", "one to 200 characters of words to look for");
	}
	return core__list_matching(x, "work_registers", where, words ? "wr_text" : NULL, words, NULL, e);
}

/* ?as_of=2027-03-01T00:00:00Z (or a date: the end of that day, UTC): the
 * Work Register as it stood then, its status and Table 1 included: the
 * version in force at that time (issue 11). Not a draft to edit: no ETag. */
static int wr_as_of(struct ctx *x, const char *as_of, struct err *e)
{
	char at[21];
	if (strlen(as_of) == 10 && date_valid(as_of))
		snprintf(at, sizeof(at), "%sT23:59:59Z", as_of);
	else if (strlen(as_of) == 20 && as_of[10] == 'T' && as_of[19] == 'Z' && date_valid((char[11]){ as_of[0], as_of[1], as_of[2], as_of[3],
		 as_of[4], as_of[5], as_of[6], as_of[7], as_of[8], as_of[9], 0 }))
		snprintf(at, sizeof(at), "%s", as_of);
	else
		return err_set(e, E_INVALID, "as_of", "a UTC time as 2027-03-01T00:00:00Z, or a date");
	json_t *where = json_pack("{sO}", "wr_id", json_object_get(x->scope.wr, "id")), *vs = NULL, *found = NULL;
	struct store_query q = { .where = where, .order = "revision", .desc = 1 };
	int bad = store_find(x->st, "wr_versions", &q, &vs, e);
	json_decref(where);
	if (bad)
		return -1;
	for (size_t i = 0; i < json_array_size(vs) && !found; i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(vs, i), "created_at")), at) <= 0)
			found = json_array_get(vs, i);
	if (!found) {
		json_decref(vs);
		return err_set(e, E_NOT_FOUND, "as_of", "the Work Register did not exist at %s", at);
	}
	json_t *doc = json_deep_copy(json_object_get(found, "snapshot"));
	json_object_set_new(doc, "as_of", json_string(at));
	json_object_set(doc, "version_label", json_object_get(found, "label"));
	json_object_set(doc, "revision", json_object_get(found, "revision"));
	json_object_set(doc, "version_date", json_object_get(found, "created_at"));
	json_object_del(doc, "warnings"); /* of the present, not of then */
	core__reply(x, 200, doc);
	json_decref(vs);
	return 0;
}

int core__wr_get(struct ctx *x, struct err *e)
{
	const char *as_of = core__param(x, "as_of");
	if (as_of)
		return wr_as_of(x, as_of, e);
	x->reply->revision = json_integer_value(json_object_get(x->scope.wr, "revision"));
	core__reply(x, 200, core__wr_document(x, x->scope.wr));
	return 0;
}

int core__wr_create(struct ctx *x, struct err *e)
{
	const json_t *b = x->call->body;
	json_t *row = section_row(x, 1), *org = NULL, *doc = NULL;
	const char *by;
	int64_t id, ac;
	int ret = -1;

	if (store_get(x->st, "organizations", json_integer_value(json_object_get(b, "partner_id")), &org, e) ||
	    strcmp(json_string_value(json_object_get(org, "kind")), "partner")) {
		err_set(e, E_INVALID, "partner_id", "must be a partner organization");
		goto out;
	}
	/* R10: a partner's representatives propose as the partner (through its
	 * board); host staff propose as a member company unless they record an
	 * external proposal. */
	by = json_string_value(json_object_get(b, "proposed_by"));
	if (!x->actor.staff && !x->actor.system) {
		if (by && strcmp(by, "partner")) {
			err_set(e, E_R10_PROPOSER, "proposed_by", "a partner's representative proposes as the partner");
			goto out;
		}
		by = "partner";
	} else if (!by) {
		by = "member";
	}
	json_object_set_new(row, "proposed_by", json_string(by));
	if (!json_object_get(row, "originating_body_id")) {
		if (core__alliance_committee(x, &ac, e))
			goto out;
		json_object_set_new(row, "originating_body_id", json_integer(ac)); /* R2 default */
	}
	if (committee_check(x, json_object_get(row, "originating_body_id"), e) ||
	    owner_check(x, by, json_object_get(row, "owner_id"), e))
		goto out;
	json_object_set_new(row, "status", json_string(core__start_state(x, &core__wr_process))); /* the table's (wr.create rows) */
	json_object_set_new(row, "revision", json_integer(0));
	if (x->actor.person_id)
		json_object_set_new(row, "proposer_id", json_integer(x->actor.person_id));
	if (store_insert(x->st, "work_registers", row, &id, e) || wr_touch(x, id, summary_of(x, "Proposed"), V_EDIT, &doc, e))
		goto out;
	snprintf(x->reply->location, sizeof(x->reply->location), "/api/v1/work-registers/%lld", (long long)id);
	core__reply(x, 201, json_incref(doc));
	core__audit(x, "work_register", id, NULL, json_incref(doc));
	ret = 0;
out:
	json_decref(row);
	json_decref(org);
	json_decref(doc);
	return ret;
}

int core__wr_update(struct ctx *x, struct err *e)
{
	const json_t *b = x->call->body;
	json_t *wr = x->scope.wr, *ch = NULL, *doc = NULL, *before = NULL, *v;
	int ret = -1;
	if (editable(x, e))
		goto out;
	if ((v = json_object_get(b, "partner_id")) && !json_equal(v, json_object_get(wr, "partner_id"))) {
		err_set(e, E_CONFLICT, "partner_id", "a Work Register cannot move to another partner: propose a new one");
		goto out;
	}
	if ((v = json_object_get(b, "proposed_by")) && !json_equal(v, json_object_get(wr, "proposed_by"))) {
		err_set(e, E_R10_PROPOSER, "proposed_by", "who proposed a Work Register is history and cannot change");
		goto out;
	}
	if ((v = json_object_get(b, "originating_body_id")) && committee_check(x, v, e))
		goto out;
	if ((v = json_object_get(b, "owner_id")) && !json_equal(v, json_object_get(wr, "owner_id")) &&
	    owner_check(x, json_string_value(json_object_get(wr, "proposed_by")), v, e))
		goto out;
	ch = section_row(x, 0);
	json_object_del(ch, "partner_id");
	json_object_del(ch, "proposed_by");
	int take_up = json_object_get(ch, "owner_id") && !strcmp(json_string_value(json_object_get(wr, "status")), "proposed");
	before = core__wr_document(x, wr);
	if (store_update(x->st, "work_registers", wr_id(x), ch, e) || wr_touch(x, wr_id(x), summary_of(x, "Edited"), V_EDIT, &doc, e))
		goto out;
	/* R11: its owner named, a member's proposal goes to drafting: a step of
	 * the table (wr.take_up), which writes the state and its version */
	if (take_up) {
		json_decref(doc);
		doc = NULL;
		if (core__wr_reload(x, e) || core__step_event(x, "wr.take_up", e))
			goto out;
		doc = core__wr_document(x, x->scope.wr);
	}
	core__reply(x, 200, json_incref(doc));
	core__audit(x, "work_register", wr_id(x), before, json_incref(doc));
	before = NULL;
	ret = 0;
out:
	json_decref(ch);
	json_decref(doc);
	json_decref(before);
	return ret;
}

/* ---- sections ---- */

static int milestone_check(struct ctx *x, json_t *m, json_t *cur, struct err *e);
static int standard_check(struct ctx *x, json_t *s, json_t *cur, struct err *e);

struct section {
	const char *prefix;      /* action prefix */
	const char *table;
	const char *type;        /* audit target type */
	const char *path;        /* URL segment */
	int (*check)(struct ctx *, json_t *merged, json_t *cur, struct err *);
};

static const struct section sections[] = {
	{ "milestone", "milestones", "milestone", "milestones", milestone_check },
	{ "contact", "wr_contacts", "contact", "contacts", NULL },
	{ "standard", "standards", "standard", "standards", standard_check },
};

static const struct section *section_of(struct ctx *x)
{
	for (size_t i = 0; i < sizeof(sections) / sizeof(*sections); i++)
		if (!strncmp(x->info->name, sections[i].prefix, strlen(sections[i].prefix)) &&
		    x->info->name[strlen(sections[i].prefix)] == '.')
			return &sections[i];
	return &sections[0];
}

/* R4/R6: milestones name a committee and optionally one of its working
 * groups; a completed one carries its date. */
static int milestone_check(struct ctx *x, json_t *m, json_t *cur, struct err *e)
{
	json_t *b = NULL, *wg = NULL;
	int ret = -1;
	(void)cur;
	if (store_get(x->st, "bodies", json_integer_value(json_object_get(m, "body_id")), &b, e) ||
	    strcmp(json_string_value(json_object_get(b, "kind")), "committee")) {
		err_set(e, E_INVALID, "body_id", "a milestone names the committee that does the work");
		snprintf(e->rule, sizeof(e->rule), "R4");
		goto out;
	}
	if (json_is_integer(json_object_get(m, "wg_id"))) {
		if (store_get(x->st, "bodies", json_integer_value(json_object_get(m, "wg_id")), &wg, e) ||
		    strcmp(json_string_value(json_object_get(wg, "kind")), "working_group") ||
		    !json_equal(json_object_get(wg, "parent_id"), json_object_get(m, "body_id"))) {
			err_set(e, E_INVALID, "wg_id", "must be a working group of the milestone's committee");
			snprintf(e->rule, sizeof(e->rule), "R6");
			goto out;
		}
	}
	const char *status = json_string_value(json_object_get(m, "status"));
	if (status && !strcmp(status, "complete") && !json_is_string(json_object_get(m, "completed_date")))
		json_object_set_new(m, "completed_date", json_string(x->today));
	if ((!status || strcmp(status, "complete")) && json_is_string(json_object_get(m, "completed_date"))) {
		err_set(e, E_INVALID, "completed_date", "only a complete milestone has a completion date");
		goto out;
	}
	ret = 0;
out:
	json_decref(b);
	json_decref(wg);
	return ret;
}

static int is_dsp_number(const char *s)
{
	if (strncmp(s, "DSP", 3) || strlen(s) < 7 || strlen(s) > 8)
		return 0;
	for (s += 3; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* R37-R39 on one Table 1 row. */
static int standard_check(struct ctx *x, json_t *s, json_t *cur, struct err *e)
{
	json_t *t = NULL, *dup = NULL, *where;
	const char *type = json_string_value(json_object_get(s, "standard_type"));
	const char *ap = json_string_value(json_object_get(s, "ap_id"));
	int ret = -1;
	if (cur && strcmp(json_string_value(json_object_get(cur, "status")), "current"))
		return err_set(e, E_R39_GROUP, NULL, "a replaced row is history and does not change");
	/* R34, R35: delegated work, once the partner agreed to the rules in force */
	if (!strcmp(json_string_value(json_object_get(s, "kind")), "delegated") &&
	    (!cur || strcmp(json_string_value(json_object_get(cur, "kind")), "delegated")) &&
	    core__delegation_agreed(x, json_integer_value(json_object_get(s, "wr_id")), e))
		return -1;
	where = json_pack("{ss}", "name", type);
	if (store_find_one(x->st, "standard_types", where, &t, e)) {
		if (e->code == E_NOT_FOUND)
			err_set(e, E_R37_TYPE, "standard_type", "'%s' is not a DMTF specification type (see /api/v1/standard-types)", type);
		goto out;
	}
	if (json_is_true(json_object_get(t, "retired")) &&
	    (!cur || strcasecmp(type, json_string_value(json_object_get(cur, "standard_type"))))) {
		err_set(e, E_R37_TYPE, "standard_type", "'%s' is retired: rows that have it keep it, new ones take a current type", type);
		goto out;
	}
	json_object_set(s, "standard_type", json_object_get(t, "name")); /* canonical spelling */
	json_decref(where);
	where = json_pack("{sO ss}", "partner_id", json_object_get(s, "partner_id"), "ap_id", ap);
	if (!store_find_one(x->st, "standards", where, &dup, e) &&
	    (!cur || !json_equal(json_object_get(dup, "id"), json_object_get(cur, "id")))) {
		err_set(e, E_R38_APID, "ap_id", "'%s' already identifies a standard of this partner", ap);
		goto out;
	}
	/* A DMTF-owned discrete standard is a DSP; the CIM schema (type schema)
	 * and group rows are not numbered. */
	if (!strcmp(json_string_value(json_object_get(s, "owning_org")), "DMTF") &&
	    !json_is_true(json_object_get(s, "is_group")) && strcmp(json_string_value(json_object_get(s, "standard_type")), "schema") &&
	    !is_dsp_number(ap)) {
		err_set(e, E_R38_DSP, "ap_id", "a DMTF-owned standard is identified by its DSP number (DSPnnnn)");
		goto out;
	}
	ret = 0;
out:
	json_decref(where);
	json_decref(t);
	json_decref(dup);
	return ret;
}

static json_t *section_find(struct ctx *x, const struct section *sec, struct err *e)
{
	int64_t sid;
	json_t *row = NULL;
	if (core__path_id(x, "sub_id", &sid, e) || store_get(x->st, sec->table, sid, &row, e) ||
	    json_integer_value(json_object_get(row, "wr_id")) != wr_id(x)) {
		json_decref(row);
		err_set(e, E_NOT_FOUND, NULL, "no such %s in this Work Register", sec->type);
		return NULL;
	}
	return row;
}

int core__section_list(struct ctx *x, struct err *e)
{
	x->reply->revision = json_integer_value(json_object_get(x->scope.wr, "revision"));
	return core__list(x, section_of(x)->table, json_pack("{sI}", "wr_id", (json_int_t)wr_id(x)), NULL, e);
}

/* Insert one section row (owned by the caller) after its checks. */
static int section_insert(struct ctx *x, const struct section *sec, json_t *row, int64_t *id, struct err *e)
{
	json_object_set_new(row, "wr_id", json_integer(wr_id(x)));
	if (!strcmp(sec->table, "standards"))
		json_object_set(row, "partner_id", json_object_get(x->scope.wr, "partner_id"));
	if (sec->check && sec->check(x, row, NULL, e))
		return -1;
	return store_insert(x->st, sec->table, row, id, e);
}

int core__section_add(struct ctx *x, struct err *e)
{
	const struct section *sec = section_of(x);
	json_t *row = section_row(x, 1), *made = NULL, *doc = NULL;
	char summary[600];
	int64_t id;
	int ret = -1;
	if (editable(x, e) || section_insert(x, sec, row, &id, e) || store_get(x->st, sec->table, id, &made, e))
		goto out;
	snprintf(summary, sizeof(summary), "Added %s %lld", sec->type, (long long)id);
	if (wr_touch(x, wr_id(x), summary_of(x, summary), V_EDIT, &doc, e))
		goto out;
	snprintf(x->reply->location, sizeof(x->reply->location), "/api/v1/work-registers/%lld/%s/%lld",
		 (long long)wr_id(x), sec->path, (long long)id);
	core__reply(x, 201, json_incref(made));
	core__audit(x, sec->type, id, NULL, json_incref(made));
	ret = 0;
out:
	json_decref(row);
	json_decref(made);
	json_decref(doc);
	return ret;
}

int core__section_update(struct ctx *x, struct err *e)
{
	const struct section *sec = section_of(x);
	json_t *cur = NULL, *merged = NULL, *ch = NULL, *after = NULL, *doc = NULL;
	char summary[600];
	int64_t id;
	int ret = -1;
	if (editable(x, e) || !(cur = section_find(x, sec, e)))
		goto out;
	id = json_integer_value(json_object_get(cur, "id"));
	ch = section_row(x, 0);
	merged = json_deep_copy(cur);
	json_object_update(merged, ch);
	if (sec->check && sec->check(x, merged, cur, e))
		goto out;
	/* the checks may complete the row (a completion date, a canonical type) */
	json_object_update_existing(ch, merged);
	if (json_object_get(merged, "completed_date") && !json_object_get(ch, "completed_date"))
		json_object_set(ch, "completed_date", json_object_get(merged, "completed_date"));
	if (store_update(x->st, sec->table, id, ch, e) || store_get(x->st, sec->table, id, &after, e))
		goto out;
	snprintf(summary, sizeof(summary), "Changed %s %lld", sec->type, (long long)id);
	if (wr_touch(x, wr_id(x), summary_of(x, summary), V_EDIT, &doc, e))
		goto out;
	core__reply(x, 200, json_incref(after));
	core__audit(x, sec->type, id, cur, json_incref(after));
	cur = NULL;
	ret = 0;
out:
	json_decref(cur);
	json_decref(merged);
	json_decref(ch);
	json_decref(after);
	json_decref(doc);
	return ret;
}

int core__section_delete(struct ctx *x, struct err *e)
{
	const struct section *sec = section_of(x);
	json_t *cur = NULL, *doc = NULL, *where = NULL, *kids = NULL;
	char summary[600];
	int64_t id;
	int ret = -1;
	if (editable(x, e) || !(cur = section_find(x, sec, e)))
		goto out;
	id = json_integer_value(json_object_get(cur, "id"));
	if (!strcmp(sec->table, "standards")) {
		/* R39: the history of a replacement is kept */
		where = json_pack("{sI}", "replaces_id", (json_int_t)id);
		struct store_query q = { .where = where, .limit = 1 };
		if (store_find(x->st, "standards", &q, &kids, e))
			goto out;
		if (strcmp(json_string_value(json_object_get(cur, "status")), "current") || json_array_size(kids) ||
		    json_is_integer(json_object_get(cur, "replaces_id"))) {
			err_set(e, E_R39_GROUP, NULL, "rows of a replacement are history and are kept");
			goto out;
		}
	}
	if (store_delete(x->st, sec->table, id, e))
		goto out;
	snprintf(summary, sizeof(summary), "Removed %s %lld", sec->type, (long long)id);
	if (wr_touch(x, wr_id(x), summary, V_EDIT, &doc, e))
		goto out;
	core__reply(x, 204, NULL);
	core__audit(x, sec->type, id, cur, NULL);
	cur = NULL;
	ret = 0;
out:
	json_decref(cur);
	json_decref(doc);
	json_decref(where);
	json_decref(kids);
	return ret;
}

/* R39: a group row is replaced by one row per discrete standard; the group
 * row stays, marked replaced, and each new row points at it. */
int core__standard_replace(struct ctx *x, struct err *e)
{
	const struct section *sec = &sections[2];
	json_t *group = NULL, *rows = json_object_get(x->call->body, "rows"), *made = json_array(), *doc = NULL, *ch = NULL;
	char summary[600];
	int ret = -1;
	if (editable(x, e) || !(group = section_find(x, sec, e)))
		goto out;
	if (!json_is_true(json_object_get(group, "is_group")) || strcmp(json_string_value(json_object_get(group, "status")), "current")) {
		err_set(e, E_R39_GROUP, NULL, "only a current group row can be replaced by discrete rows");
		goto out;
	}
	int64_t gid = json_integer_value(json_object_get(group, "id"));
	ch = json_pack("{ss ss ss}", "status", "replaced", "replaced_at", x->now_iso, "updated_at", x->now_iso);
	if (store_update(x->st, "standards", gid, ch, e))
		goto out;
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *row = core__row_from(x, json_array_get(rows, i), 1), *r = NULL;
		int64_t id;
		json_object_set_new(row, "replaces_id", json_integer(gid));
		int bad = section_insert(x, sec, row, &id, e) || store_get(x->st, "standards", id, &r, e);
		json_decref(row);
		if (bad) {
			err_field_in(e, "rows", i);
			goto out;
		}
		json_array_append_new(made, r);
	}
	snprintf(summary, sizeof(summary), "Replaced group row %s by %zu rows",
		 json_string_value(json_object_get(group, "ap_id")), json_array_size(rows));
	if (wr_touch(x, wr_id(x), summary_of(x, summary), V_EDIT, &doc, e))
		goto out;
	core__reply(x, 201, json_pack("{sO sO}", "replaced", group, "rows", made));
	core__audit(x, "standard", gid, json_incref(group), json_pack("{sO}", "rows", made));
	ret = 0;
out:
	json_decref(group);
	json_decref(made);
	json_decref(doc);
	json_decref(ch);
	return ret;
}

/* Table 1 changes of an amendment on the WR in scope: first every row is
 * checked as a draft's row is (R36-R40, R35), with no two rows of the change
 * sharing an identifier (R38); then, unless dry, written: updates, group
 * replacements (the group kept, marked replaced, R39), additions. */
int core__table1_apply(struct ctx *x, json_t *ch, int dry, struct err *e)
{
	const struct section *sec = &sections[2];
	json_t *adds = json_object_get(ch, "add"), *ups = json_object_get(ch, "update"), *reps = json_object_get(ch, "replace");
	json_t *ids = json_object(), *plan = json_array(); /* [kind, row, cur|group] */
	int ret = -1;
#define SEEN(row, where, i)                                                                                     \
	do {                                                                                                      \
		const char *ap_ = json_string_value(json_object_get(row, "ap_id"));                              \
		if (ap_ && json_object_get(ids, ap_)) {                                                           \
			err_set(e, E_R38_APID, "ap_id", "'%s' appears twice in this change", ap_);               \
			err_field_in(e, where, i);                                                                \
			goto out;                                                                                 \
		}                                                                                                 \
		if (ap_)                                                                                          \
			json_object_set_new(ids, ap_, json_true());                                               \
	} while (0)
	for (size_t i = 0; i < json_array_size(ups); i++) {
		json_t *u = json_array_get(ups, i), *cur = NULL, *merged;
		if (store_get(x->st, "standards", json_integer_value(json_object_get(u, "id")), &cur, e) ||
		    json_integer_value(json_object_get(cur, "wr_id")) != wr_id(x)) {
			json_decref(cur);
			err_set(e, E_INVALID, "id", "no Table 1 row of this Work Register");
			err_field_in(e, "update", i);
			goto out;
		}
		merged = json_deep_copy(cur);
		json_object_update(merged, u);
		if (standard_check(x, merged, cur, e)) {
			json_decref(cur);
			json_decref(merged);
			err_field_in(e, "update", i);
			goto out;
		}
		if (json_object_get(u, "ap_id"))
			SEEN(merged, "update", i);
		json_array_append_new(plan, json_pack("{ss so so}", "kind", "update", "row", merged, "cur", cur));
	}
	for (size_t i = 0; i < json_array_size(reps); i++) {
		json_t *r = json_array_get(reps, i), *group = NULL;
		if (store_get(x->st, "standards", json_integer_value(json_object_get(r, "group_id")), &group, e) ||
		    json_integer_value(json_object_get(group, "wr_id")) != wr_id(x) || !json_is_true(json_object_get(group, "is_group")) ||
		    strcmp(json_string_value(json_object_get(group, "status")), "current")) {
			json_decref(group);
			err_set(e, E_R39_GROUP, "group_id", "only a current group row of this Work Register is replaced by discrete rows");
			err_field_in(e, "replace", i);
			goto out;
		}
		json_t *rows = json_object_get(r, "rows"), *checked = json_array();
		for (size_t k = 0; k < json_array_size(rows); k++) {
			json_t *row = core__row_from(x, json_array_get(rows, k), 1);
			json_object_set_new(row, "wr_id", json_integer(wr_id(x)));
			json_object_set(row, "partner_id", json_object_get(x->scope.wr, "partner_id"));
			json_object_set(row, "replaces_id", json_object_get(group, "id"));
			json_array_append_new(checked, row);
			if (standard_check(x, row, NULL, e)) {
				json_decref(group);
				json_decref(checked);
				err_field_in(e, "replace", i);
				goto out;
			}
			SEEN(row, "replace", i);
		}
		json_array_append_new(plan, json_pack("{ss so so}", "kind", "replace", "rows", checked, "group", group));
	}
	for (size_t i = 0; i < json_array_size(adds); i++) {
		json_t *row = core__row_from(x, json_array_get(adds, i), 1);
		json_object_set_new(row, "wr_id", json_integer(wr_id(x)));
		json_object_set(row, "partner_id", json_object_get(x->scope.wr, "partner_id"));
		json_array_append_new(plan, json_pack("{ss so}", "kind", "add", "row", row));
		if (standard_check(x, row, NULL, e)) {
			err_field_in(e, "add", i);
			goto out;
		}
		SEEN(row, "add", i);
	}
#undef SEEN
	for (size_t i = 0; !dry && i < json_array_size(plan); i++) {
		json_t *p = json_array_get(plan, i);
		const char *kind = json_string_value(json_object_get(p, "kind"));
		int64_t id;
		if (!strcmp(kind, "update")) {
			json_t *row = json_object_get(p, "row"), *ch2 = json_deep_copy(row);
			json_object_del(ch2, "id");
			json_object_set_new(ch2, "updated_at", json_string(x->now_iso));
			int bad = store_update(x->st, "standards", json_integer_value(json_object_get(row, "id")), ch2, e);
			json_decref(ch2);
			if (bad)
				goto out;
		} else if (!strcmp(kind, "replace")) {
			json_t *g = json_object_get(p, "group"), *rows = json_object_get(p, "rows");
			json_t *st = json_pack("{ss ss ss}", "status", "replaced", "replaced_at", x->now_iso, "updated_at", x->now_iso);
			int bad = store_update(x->st, "standards", json_integer_value(json_object_get(g, "id")), st, e);
			json_decref(st);
			for (size_t k = 0; !bad && k < json_array_size(rows); k++)
				bad = store_insert(x->st, sec->table, json_array_get(rows, k), &id, e);
			if (bad)
				goto out;
		} else if (store_insert(x->st, sec->table, json_object_get(p, "row"), &id, e)) {
			goto out;
		}
	}
	ret = 0;
out:
	json_decref(ids);
	json_decref(plan);
	return ret;
}

static json_t *version_meta(struct ctx *x, json_t *v)
{
	(void)x;
	json_t *r = json_deep_copy(v);
	json_object_del(r, "snapshot");
	return r;
}

int core__version_list(struct ctx *x, struct err *e)
{
	return core__list(x, "wr_versions", json_pack("{sI}", "wr_id", (json_int_t)wr_id(x)), version_meta, e);
}

/* R50: a past version by its revision (7) or its label (1.0.1a). */
int core__version_get(struct ctx *x, struct err *e)
{
	int64_t n;
	const char *label = core__param(x, "sub_id");
	json_t *v = NULL, *where;
	if (label && strchr(label, '.'))
		where = json_pack("{sI ss}", "wr_id", (json_int_t)wr_id(x), "label", label);
	else if (core__path_id(x, "sub_id", &n, e))
		return -1;
	else
		where = json_pack("{sI sI}", "wr_id", (json_int_t)wr_id(x), "revision", (json_int_t)n);
	int ret = store_find_one(x->st, "wr_versions", where, &v, e);
	json_decref(where);
	if (ret)
		return err_set(e, E_NOT_FOUND, NULL, "no version %s of this Work Register", label ? label : "?");
	core__reply(x, 200, v);
	return 0;
}

/* R50: the change history, like the seed's Appendix A. */
int core__history_list(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{sI}", "wr_id", (json_int_t)wr_id(x)), *rows = NULL, *items = json_array();
	struct store_query q = { .where = where, .order = "revision" };
	int ret = store_find(x->st, "wr_versions", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++) {
		json_t *v = json_array_get(rows, i);
		char date[11];
		snprintf(date, sizeof(date), "%s", json_string_value(json_object_get(v, "created_at")));
		json_array_append_new(items, json_pack("{sO sO ss sO sO}", "version", json_object_get(v, "label"), "revision",
						       json_object_get(v, "revision"), "date", date, "author", json_object_get(v, "author"),
						       "summary", json_object_get(v, "summary")));
	}
	json_decref(where);
	json_decref(rows);
	if (ret) {
		json_decref(items);
		return -1;
	}
	core__reply(x, 200, json_pack("{so}", "items", items));
	return 0;
}

int core__audit_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	const char *type = core__param(x, "target_type");
	int64_t tid;
	if (core__query_id(x, "target_id", &tid, e)) {
		json_decref(where);
		return -1;
	}
	if (type)
		json_object_set_new(where, "target_type", json_string(type));
	if (tid)
		json_object_set_new(where, "target_id", json_integer(tid));
	return core__list(x, "audit", where, NULL, e);
}

static const struct jfield markdown_item[] = { { .name = "text", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 50000 }, { 0 } };
const struct jfield core__markdown_spec[] = {
	{ .name = "texts", .type = JT_ARRAY, .flags = JF_REQUIRED, .min = 0, .max = 50, .items = markdown_item },
	{ 0 }
};

/* Markdown rendered safely for the web application (display and preview). */
int core__markdown_render(struct ctx *x, struct err *e)
{
	json_t *texts = json_object_get(x->call->body, "texts"), *out = json_array();
	for (size_t i = 0; i < json_array_size(texts); i++) {
		char *html = markdown_html(json_string_value(json_object_get(json_array_get(texts, i), "text")));
		if (!html) {
			json_decref(out);
			return err_set(e, E_INTERNAL, NULL, "out of memory");
		}
		json_array_append_new(out, json_string(html));
		free(html);
	}
	core__reply(x, 200, json_pack("{so}", "html", out));
	return 0;
}
