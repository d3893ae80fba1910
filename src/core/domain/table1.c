/* The sections of a Work Register, edited row by row while it is drafted
 * (R13): its milestones (R28: the committees and working groups with
 * work), its contacts, and Table 1, the standards of the alliance (R34-
 * R41: joint or delegated work, group rows replaced by discrete standards,
 * DSP numbers); and the same checks applied to an amendment's changes of
 * them (core__table1_apply). Each change writes a version of the WR (R50). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/domain/registry.h"
#include "core/domain/table1.h"
#include "core/domain/wr.h"
#include "core/engine/ctx.h"
#include "core/engine/rows.h"

static int64_t wr_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.record, "id")); }

static const char *const milestone_statuses[] = { "planned", "in_progress", "complete", "dropped", NULL };
static const char *const contact_roles[] = { "board_rep", "technical", "pr", NULL };
static const char *const std_kinds[] = { "joint", "delegated", NULL };
static const char *const std_orgs[] = { "DMTF", "partner", NULL };

const struct jfield core__milestone_spec[] = {
	{ .name = "description", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 2000, .rule = "R12" },
	{ .name = "body_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R4" },
	{ .name = "wg_id", .type = JT_ID, .flags = JF_NULLABLE, .rule = "R6" },
	{ .name = "target_date", .type = JT_DATE, .flags = JF_NULLABLE },
	{ .name = "status", .type = JT_ENUM, .enums = milestone_statuses },
	{ .name = "completed_date", .type = JT_DATE, .flags = JF_NULLABLE },
	/* R25: its completion is announced with the Marketing Committee */
	{ .name = "significant", .type = JT_BOOL, .rule = "R25", .label = "Significant (its completion is announced, R25)" },
	CORE_SUMMARY_FIELD,
	{ 0 }
};

const struct jfield core__contact_spec[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200, .rule = "R12" },
	{ .name = "email", .type = JT_EMAIL, .flags = JF_REQUIRED, .rule = "R24" },
	{ .name = "role", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = contact_roles, .rule = "R9" },
	CORE_SUMMARY_FIELD,
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

const struct jfield core__standard_spec[] = { STANDARD_FIELDS, CORE_SUMMARY_FIELD, { 0 } };
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
	CORE_SUMMARY_FIELD,
	{ 0 }
};

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
	/* R38 (issue 21, 19): among the rows of live WRs; a withdrawn or
	 * removed WR released its identifiers (release_identifiers) */
	where = json_pack("{sO ss sn}", "partner_id", json_object_get(s, "partner_id"), "ap_id", ap, "released_at");
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
	x->reply->revision = json_integer_value(json_object_get(x->scope.record, "revision"));
	return core__list(x, section_of(x)->table, json_pack("{sI}", "wr_id", (json_int_t)wr_id(x)), NULL, e);
}

/* Insert one section row (owned by the caller) after its checks. */
static int section_insert(struct ctx *x, const struct section *sec, json_t *row, int64_t *id, struct err *e)
{
	json_object_set_new(row, "wr_id", json_integer(wr_id(x)));
	if (!strcmp(sec->table, "standards"))
		json_object_set(row, "partner_id", json_object_get(x->scope.record, "partner_id"));
	if (sec->check && sec->check(x, row, NULL, e))
		return -1;
	return store_insert(x->st, sec->table, row, id, e);
}

int core__section_add(struct ctx *x, struct err *e)
{
	const struct section *sec = section_of(x);
	json_t *row = core__wr_body_row(x, 1), *made = NULL, *doc = NULL;
	char summary[600];
	int64_t id;
	int ret = -1;
	if (core__wr_editable(x, e) || section_insert(x, sec, row, &id, e) || store_get(x->st, sec->table, id, &made, e))
		goto out;
	snprintf(summary, sizeof(summary), "Added %s %lld", sec->type, (long long)id);
	if (core__wr_touch(x, wr_id(x), core__wr_summary(x, summary), V_EDIT, &doc, e))
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
	if (core__wr_editable(x, e) || !(cur = section_find(x, sec, e)))
		goto out;
	id = json_integer_value(json_object_get(cur, "id"));
	ch = core__wr_body_row(x, 0);
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
	if (core__wr_touch(x, wr_id(x), core__wr_summary(x, summary), V_EDIT, &doc, e))
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
	if (core__wr_editable(x, e) || !(cur = section_find(x, sec, e)))
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
	if (core__wr_touch(x, wr_id(x), summary, V_EDIT, &doc, e))
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
	if (core__wr_editable(x, e) || !(group = section_find(x, sec, e)))
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
	if (core__wr_touch(x, wr_id(x), core__wr_summary(x, summary), V_EDIT, &doc, e))
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
			json_object_set(row, "partner_id", json_object_get(x->scope.record, "partner_id"));
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
		json_object_set(row, "partner_id", json_object_get(x->scope.record, "partner_id"));
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


/* R38 (issue 21, 19): a withdrawn or removed WR releases the AP
 * identifiers of its rows, which the partner may give to another WR's
 * rows; the rows stay in the WR's history. A dissolved WR achieved its
 * goals (R32): its standards exist, and keep their identifiers. */
int core__table1_wr_ended(struct ctx *x, json_t *wr, struct err *e)
{
	const char *state = json_string_value(json_object_get(wr, "status"));
	if (!state || (strcmp(state, "withdrawn") && strcmp(state, "removed")))
		return 0;
	json_t *where = json_pack("{sO sn}", "wr_id", json_object_get(wr, "id"), "released_at"), *rows = NULL;
	json_t *ch = json_pack("{ss}", "released_at", x->now_iso);
	struct store_query q = { .where = where, .columns = "id" };
	int ret = store_find(x->st, "standards", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++)
		ret = store_update(x->st, "standards", json_integer_value(json_object_get(json_array_get(rows, i), "id")), ch, e);
	json_decref(where);
	json_decref(ch);
	json_decref(rows);
	return ret ? -1 : 0;
}
