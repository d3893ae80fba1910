/* Work Registers (R10-R13): proposal, the template's completeness (R12),
 * the document, versions and their labels (R50), history. Every change
 * writes a new revision with a full snapshot (R50); the revision is the
 * ETag every editor must present (R13). The sections (milestones,
 * contacts, Table 1) are table1.c's. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/domain/scope.h"
#include "core/domain/wr.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/process.h"
#include "core/engine/rows.h"
#include "lib/markdown.h"
#include "lib/util.h"

static const char *const proposers[] = { "partner", "member", NULL };
/* Every status a Work Register can have; the process (lifecycle) moves it. */
/* The states of a Work Register (its process: lifecycle.c). */
const char *const core__wr_states[] = {
	"proposed", "drafting", "socialization", "committee_ballots", "committee_approved", "board_ballot",
	"board_approved", "sent_to_partner", "established", "removal_proposed", "removal_ballot",
	"withdrawn", "removed", "dissolved", NULL
};
/* issue 25: the states in words and their tones (process.h), the same in
 * the web application and in the mails */
const char *const core__wr_state_labels[] = {
	"Proposed", "Drafting", "Socialization", "Committee ballots", "Approved by the committees", "Board ballot",
	"Approved by the Board", "Sent to the partner", "Established", "Removal proposed", "Removal ballot",
	"Withdrawn", "Removed", "Dissolved", NULL
};
const char *const core__wr_state_tones[] = {
	"work", "work", "work", "vote", "work", "vote",
	"work", "vote", "done", "vote", "vote",
	"ended", "ended", "ended", NULL
};
static const char *const *wr_statuses = core__wr_states;

const struct jfield core__wr_spec[] = {
	{ .name = "partner_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R10" },
	{ .name = "title", .type = JT_STR, .flags = JF_REQUIRED, .max = 300, .rule = "R12" },
	/* the host's roles: chosen by host staff, never by the partner (R2, R11) */
	{ .name = "originating_body_id", .type = JT_ID, .rule = "R2", .who = G_STAFF | G_VP | G_ADMIN },
	{ .name = "owner_id", .type = JT_ID, .rule = "R11", .who = G_STAFF | G_VP | G_ADMIN },
	{ .name = "proposed_by", .type = JT_ENUM, .enums = proposers, .rule = "R10" },
	/* R10: the member company host staff propose for (a Board or
	 * Leadership member; the host itself by default) */
	{ .name = "proposer_org_id", .type = JT_ID, .rule = "R10", .who = G_STAFF | G_VP | G_ADMIN },
	/* R10: the partner's person whose proposal host staff record */
	{ .name = "proposer_id", .type = JT_ID, .rule = "R10", .who = G_STAFF | G_VP | G_ADMIN },
	/* 2.2, R13: the owner delivers the draft in a timely manner: the day
	 * drafting should end, set with the VP of Alliances (the owner is
	 * reminded before it, the VP told when it passes: review.c) */
	{ .name = "drafting_target_date", .type = JT_DATE, .flags = JF_NULLABLE, .rule = "R13", .who = G_VP | G_ADMIN,
	  .label = "Drafting target date (set with the VP of Alliances)" },
	{ .name = "scope", .type = JT_TEXT, .max = 20000, .rule = "R12" },
	{ .name = "benefits", .type = JT_TEXT, .max = 20000, .rule = "R12" },
	{ .name = "deliverables", .type = JT_TEXT, .max = 20000, .rule = "R12" },
	/* 5.3.1: restrictions on the partner's feedback the WR agreed, if any;
	 * without them a change request is free of restrictions (R43) */
	{ .name = "feedback_restrictions", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 8000, .rule = "R43" },
	/* 3.2 (R17): the working groups commit to their deliverables as the draft is balloted */
	{ .name = "wg_commitment", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 8000, .rule = "R17" },
	CORE_SUMMARY_FIELD,
	{ 0 }
};


/* Drafts are edited in place; after approval a change is an amendment that
 * is balloted again (R22). */
int core__wr_editable(struct ctx *x, struct err *e)
{
	const char *s = json_string_value(json_object_get(x->scope.record, "status"));
	if (!strcmp(s, "proposed") || !strcmp(s, "drafting"))
		return 0;
	return err_set(e, E_NOT_EDITABLE, "status", "a Work Register in status %s is not edited in place", s);
}

static int64_t wr_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.record, "id")); }

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
	json_t *wr = x->scope.record, *ms, *cs;
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
	/* R10: who proposed it, for which organization (and, external, for its board) */
	json_object_set_new(d, "proposer", ref(x, "people", json_object_get(wr, "proposer_id"), "name", NULL));
	json_object_set_new(d, "proposer_org", ref(x, "organizations", json_object_get(wr, "proposer_org_id"), "name", "short_name"));
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
	    !core__voting_member(x, ac, json_integer_value(owner)))
		json_array_append_new(warnings, json_pack("{ss ss ss}", "rule", "R1", "detail",
							  "the owner is no longer an active voting member of the Alliance Committee",
							  "action", "wr.replace_owner"));
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

int core__wr_version(struct ctx *x, int64_t id, const char *summary, enum vkind kind, struct err *e)
{
	json_t *doc = NULL;
	int ret = core__wr_touch(x, id, summary, kind, &doc, e);
	json_decref(doc);
	return ret;
}

int core__wr_touch(struct ctx *x, int64_t id, const char *summary, enum vkind kind, json_t **doc, struct err *e)
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

/* The version summary the request gives, else fallback (R50). */
const char *core__wr_summary(struct ctx *x, const char *fallback)
{
	const char *s = json_string_value(json_object_get(x->call->body, "summary"));
	return s && *s ? s : fallback;
}

/* A body row without the "summary", which goes to the version, not a column. */
json_t *core__wr_body_row(struct ctx *x, int creating)
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

/* R1: the owner is an existing, active member of the Alliance Committee:
 * a voting one (an observer is not a member for R1, issue 21). */
int core__owner_r1(struct ctx *x, json_t *owner, struct err *e)
{
	int64_t ac;
	if (core__exists(x, "people", json_integer_value(owner), "owner_id", e) || core__alliance_committee(x, &ac, e))
		return -1;
	if (!core__voting_member(x, ac, json_integer_value(owner)))
		return err_set(e, E_R1_OWNER, "owner_id", "person %lld is not an active voting member of the Alliance Committee",
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
	json_t *where = json_pack("{sO}", "wr_id", json_object_get(x->scope.record, "id")), *vs = NULL, *found = NULL;
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
	x->reply->revision = json_integer_value(json_object_get(x->scope.record, "revision"));
	core__reply(x, 200, core__wr_document(x, x->scope.record));
	return 0;
}

static int r10_invalid(struct err *e, const char *field, const char *why)
{
	err_set(e, E_INVALID, field, "%s", why);
	snprintf(e->rule, sizeof(e->rule), "R10");
	return -1;
}

/* R10: who proposes. An external organization proposes through its board:
 * the WR records the person (a representative proposing, or the one whose
 * proposal host staff record) and that they act for its board. A member
 * company proposes only as a Board or Leadership member; host staff
 * propose for the host unless they name the member company. */
static int proposer_check(struct ctx *x, json_t *row, struct err *e)
{
	json_t *partner = json_object_get(row, "partner_id"), *org_id = json_object_get(row, "proposer_org_id"),
	       *person = json_object_get(row, "proposer_id");
	json_t *o = NULL;
	int ret = -1;
	if (!strcmp(json_string_value(json_object_get(row, "proposed_by")), "partner")) {
		if (org_id && !json_equal(org_id, partner))
			return r10_invalid(e, "proposer_org_id", "an external proposal is the partner's own");
		if (x->actor.staff || x->actor.system) {
			if (!person)
				return r10_invalid(e, "proposer_id", "name the partner's person who proposed it for its board");
			int theirs = !store_get(x->st, "people", json_integer_value(person), &o, e) &&
				     json_equal(json_object_get(o, "org_id"), partner);
			json_decref(o);
			if (!theirs)
				return r10_invalid(e, "proposer_id", "the person who proposes for the partner's board is one of its people");
		}
		json_object_set(row, "proposer_org_id", partner);
		json_object_set_new(row, "proposer_for", json_string("board"));
		return 0;
	}
	if (person)
		return r10_invalid(e, "proposer_id", "a member company's proposal is made by the person who records it");
	if (!org_id) {
		int64_t host;
		if (core__host_org(x, &host, e))
			return -1;
		json_object_set_new(row, "proposer_org_id", json_integer(host));
		return 0;
	}
	if (store_get(x->st, "organizations", json_integer_value(org_id), &o, e))
		return r10_invalid(e, "proposer_org_id", "refers to no organization");
	const char *kind = json_string_value(json_object_get(o, "kind")), *level = json_string_value(json_object_get(o, "membership_level"));
	if (!strcmp(kind, "partner"))
		err_set(e, E_R10_MEMBER, "proposer_org_id", "%s is a partner: its proposal is external (proposed_by partner)",
			json_string_value(json_object_get(o, "short_name")));
	else if (!strcmp(kind, "member") && strcmp(level, "board") && strcmp(level, "leadership"))
		err_set(e, E_R10_MEMBER, "proposer_org_id", "%s is a %s member: only Board and Leadership members propose",
			json_string_value(json_object_get(o, "short_name")), level);
	else
		ret = 0;
	json_decref(o);
	return ret;
}

/* A drafting target is a day still to come when it is set. */
static int target_check(struct ctx *x, const json_t *row, struct err *e)
{
	const char *d = json_string_value(json_object_get(row, "drafting_target_date"));
	if (d && strcmp(d, x->today) < 0)
		return err_set(e, E_INVALID, "drafting_target_date", "%s has passed: a target is today or later", d);
	return 0;
}

int core__wr_create(struct ctx *x, struct err *e)
{
	const json_t *b = x->call->body;
	json_t *row = core__wr_body_row(x, 1), *org = NULL, *doc = NULL;
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
	if (proposer_check(x, row, e) || target_check(x, row, e))
		goto out;
	if (!json_object_get(row, "originating_body_id")) {
		if (core__alliance_committee(x, &ac, e))
			goto out;
		json_object_set_new(row, "originating_body_id", json_integer(ac)); /* R2 default */
	}
	if (committee_check(x, json_object_get(row, "originating_body_id"), e) ||
	    owner_check(x, by, json_object_get(row, "owner_id"), e))
		goto out;
	json_object_set_new(row, "status", json_string(core__start_state(x, core__process_named(x, "work_register")))); /* the table's (wr.create rows) */
	json_object_set_new(row, "revision", json_integer(0));
	if (x->actor.person_id && !json_object_get(row, "proposer_id"))
		json_object_set_new(row, "proposer_id", json_integer(x->actor.person_id));
	if (store_insert(x->st, "work_registers", row, &id, e) || core__wr_touch(x, id, core__wr_summary(x, "Proposed"), V_EDIT, &doc, e))
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
	json_t *wr = x->scope.record, *ch = NULL, *doc = NULL, *before = NULL, *v;
	int ret = -1;
	if (core__wr_editable(x, e))
		goto out;
	if ((v = json_object_get(b, "partner_id")) && !json_equal(v, json_object_get(wr, "partner_id"))) {
		err_set(e, E_CONFLICT, "partner_id", "a Work Register cannot move to another partner: propose a new one");
		goto out;
	}
	for (const char *const *k = (const char *const[]){ "proposed_by", "proposer_org_id", "proposer_id", NULL }; *k; k++)
		if ((v = json_object_get(b, *k)) && !json_equal(v, json_object_get(wr, *k))) {
			err_set(e, E_R10_PROPOSER, *k, "who proposed a Work Register is history and cannot change");
			goto out;
		}
	if (((v = json_object_get(b, "originating_body_id")) && committee_check(x, v, e)) || target_check(x, b, e))
		goto out;
	if ((v = json_object_get(b, "owner_id")) && !json_equal(v, json_object_get(wr, "owner_id")) &&
	    owner_check(x, json_string_value(json_object_get(wr, "proposed_by")), v, e))
		goto out;
	ch = core__wr_body_row(x, 0);
	json_object_del(ch, "partner_id");
	json_object_del(ch, "proposed_by");
	int take_up = json_object_get(ch, "owner_id") && !strcmp(json_string_value(json_object_get(wr, "status")), "proposed");
	before = core__wr_document(x, wr);
	if (store_update(x->st, "work_registers", wr_id(x), ch, e) || core__wr_touch(x, wr_id(x), core__wr_summary(x, "Edited"), V_EDIT, &doc, e))
		goto out;
	/* R11: its owner named, a member's proposal goes to drafting: a step of
	 * the table (wr.take_up), which writes the state and its version */
	if (take_up) {
		json_decref(doc);
		doc = NULL;
		if (core__wr_reload(x, e) || core__step_event(x, "wr.take_up", e))
			goto out;
		doc = core__wr_document(x, x->scope.record);
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
	const char *before = NULL;
	for (size_t i = 0; !ret && i < json_array_size(rows); i++) {
		json_t *v = json_array_get(rows, i), *snap = json_object_get(v, "snapshot");
		char date[11];
		snprintf(date, sizeof(date), "%s", json_string_value(json_object_get(v, "created_at")));
		/* issue 25: the state the WR was in, so that a reader sees what
		 * happened ("Drafting to Socialization") and when each stage was
		 * reached */
		const char *st = json_string_value(json_object_get(json_is_string(snap) ? NULL : snap, "status"));
		json_t *parsed = json_is_string(snap) ? json_loads(json_string_value(snap), 0, NULL) : NULL;
		if (parsed)
			st = json_string_value(json_object_get(parsed, "status"));
		json_t *it = json_pack("{sO sO ss sO sO ss?}", "version", json_object_get(v, "label"), "revision", json_object_get(v, "revision"),
				       "date", date, "author", json_object_get(v, "author"), "summary", json_object_get(v, "summary"), "status", st);
		if (st && before && strcmp(st, before))
			json_object_set_new(it, "from_status", json_string(before));
		json_array_append_new(items, it);
		before = json_string_value(json_object_get(it, "status")); /* the item keeps it alive */
		json_decref(parsed);
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

int core__wr_reload(struct ctx *x, struct err *e)
{
	json_t *wr = NULL;
	if (store_get(x->st, "work_registers", wr_id(x), &wr, e))
		return -1;
	json_decref(x->scope.record);
	x->scope.record = wr;
	return 0;
}
