/* Reference data an administrator keeps: the DMTF specification types of
 * Table 1 (R37; DSP4004 is not part of the seed, so the list is data) and
 * the register of DMTF standards (DSP number, title, version, owning body)
 * to which a partner's change requests are routed (R42, R44). A type or a
 * standard that records refer to is retired, never deleted or renamed, so
 * every Table 1 row and change request keeps meaning what it meant. */
#include <string.h>

#include "core/domain/registry.h"
#include "core/domain/scope.h"
#include "core/engine/ctx.h"
#include "core/engine/notify.h"
#include "core/engine/rows.h"
#include "lib/util.h"

const struct jfield core__standard_type_spec[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 100, .rule = "R37" },
	{ .name = "description", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 2000 },
	{ .name = "retired", .type = JT_BOOL, .rule = "R37" },
	{ 0 }
};

const struct jfield core__dmtf_standard_spec[] = {
	{ .name = "dsp", .type = JT_STR, .flags = JF_REQUIRED, .max = 20, .rule = "R44" },
	{ .name = "title", .type = JT_STR, .flags = JF_REQUIRED, .max = 300 },
	{ .name = "version", .type = JT_STR, .flags = JF_REQUIRED, .max = 40 },
	{ .name = "body_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R44" },
	{ .name = "retired", .type = JT_BOOL },
	{ 0 }
};

/* ---- standard types (R37) ---- */

int core__standard_type_list(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *where = json_object();
	struct store_query q = { .where = where, .order = "name" };
	const char *all = core__param(x, "all");
	if (!all || strcmp(all, "true")) /* retired types only when asked */
		json_object_set_new(where, "retired", json_false());
	int ret = store_find(x->st, "standard_types", &q, &rows, e);
	json_decref(where);
	if (ret)
		return -1;
	core__reply(x, 200, json_pack("{so}", "items", rows));
	return 0;
}

static int type_of(struct ctx *x, int64_t *id, json_t **row, struct err *e)
{
	if (core__path_id(x, "id", id, e) || store_get(x->st, "standard_types", *id, row, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such standard type");
	return 0;
}

static int64_t rows_of_type(struct ctx *x, const char *name, struct err *e)
{
	json_t *where = json_pack("{ss}", "standard_type", name);
	struct store_query q = { .where = where };
	int64_t n = 0;
	if (store_count(x->st, "standards", &q, &n, e))
		n = -1;
	json_decref(where);
	return n;
}

int core__standard_type_get(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (type_of(x, &id, &row, e))
		return -1;
	int64_t n = rows_of_type(x, json_string_value(json_object_get(row, "name")), e);
	if (n < 0) {
		json_decref(row);
		return -1;
	}
	json_object_set_new(row, "rows", json_integer(n));
	core__reply(x, 200, row);
	return 0;
}

int core__standard_type_create(struct ctx *x, struct err *e)
{
	if (text_blank(json_string_value(json_object_get(x->call->body, "name"))))
		return err_set(e, E_INVALID, "name", "a standard type has a name");
	json_t *row = core__row_from(x, x->call->body, 1);
	json_object_del(row, "created_at"); /* the table keeps names, not dates */
	json_object_del(row, "updated_at");
	int ret = core__create_row(x, "standard_types", "standard_type", row, NULL, "/api/v1/standard-types/%lld", e);
	json_decref(row);
	return ret;
}

/* A name that Table 1 rows carry does not change under them (R37): retire
 * the type and create the new one instead. */
int core__standard_type_update(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *cur = NULL, *ch;
	const char *name = json_string_value(json_object_get(x->call->body, "name"));
	if (type_of(x, &id, &cur, e))
		return -1;
	if (name && text_blank(name)) {
		json_decref(cur);
		return err_set(e, E_INVALID, "name", "a standard type has a name");
	}
	if (name && strcmp(name, json_string_value(json_object_get(cur, "name")))) {
		int64_t n = rows_of_type(x, json_string_value(json_object_get(cur, "name")), e);
		if (n != 0) {
			json_decref(cur);
			if (n < 0)
				return -1;
			err_set(e, E_CONFLICT, "name", "%lld Table 1 rows are of this type: retire it (retired: true) and add the new name",
				(long long)n);
			snprintf(e->rule, sizeof(e->rule), "R37");
			return -1;
		}
	}
	json_decref(cur);
	ch = json_deep_copy(x->call->body);
	int ret = core__update_row(x, "standard_types", "standard_type", id, ch, NULL, e);
	json_decref(ch);
	return ret;
}

int core__standard_type_delete(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *cur = NULL;
	if (type_of(x, &id, &cur, e))
		return -1;
	int64_t n = rows_of_type(x, json_string_value(json_object_get(cur, "name")), e);
	if (n != 0) {
		json_decref(cur);
		if (n < 0)
			return -1;
		err_set(e, E_CONFLICT, NULL, "%lld Table 1 rows are of this type: retire it instead (retired: true)", (long long)n);
		snprintf(e->rule, sizeof(e->rule), "R37");
		return -1;
	}
	if (store_delete(x->st, "standard_types", id, e)) {
		json_decref(cur);
		return -1;
	}
	core__audit(x, "standard_type", id, cur, NULL);
	core__reply(x, 204, NULL);
	return 0;
}

/* ---- the register of DMTF standards (R44) ---- */

/* DSP and four digits, the DMTF's numbering (DSP0004, DSP4003). */
static int dsp_check(const char *dsp, struct err *e)
{
	if (!dsp || strncmp(dsp, "DSP", 3) || strlen(dsp) != 7 || strspn(dsp + 3, "0123456789") != 4)
		return err_set(e, E_INVALID, "dsp", "a DSP number is DSP and four digits (DSP0004)");
	return 0;
}

/* The owning body is a committee or a working group: its chair is whom a
 * change request goes to (R44). */
static int owner_body_check(struct ctx *x, json_t *id, struct err *e)
{
	json_t *b = NULL;
	if (!id)
		return 0;
	if (store_get(x->st, "bodies", json_integer_value(id), &b, e))
		return err_set(e, E_INVALID, "body_id", "refers to no existing body");
	const char *kind = json_string_value(json_object_get(b, "kind"));
	int ok = !strcmp(kind, "committee") || !strcmp(kind, "working_group");
	json_decref(b);
	if (!ok) {
		err_set(e, E_INVALID, "body_id", "a DMTF standard is owned by a committee or a working group");
		snprintf(e->rule, sizeof(e->rule), "R44");
		return -1;
	}
	return 0;
}

static json_t *standard_present(struct ctx *x, json_t *row)
{
	json_t *r = json_deep_copy(row), *b = NULL;
	struct err ignored = ERR_INIT;
	if (!store_get(x->st, "bodies", json_integer_value(json_object_get(row, "body_id")), &b, &ignored))
		json_object_set_new(r, "body", json_pack("{sO sO}", "id", json_object_get(b, "id"), "name", json_object_get(b, "name")));
	json_decref(b);
	return r;
}

int core__dmtf_standard_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	int64_t body;
	const char *all = core__param(x, "all");
	if (core__query_id(x, "body_id", &body, e)) {
		json_decref(where);
		return -1;
	}
	if (body)
		json_object_set_new(where, "body_id", json_integer(body));
	if (!all || strcmp(all, "true"))
		json_object_set_new(where, "retired", json_false());
	return core__list(x, "dmtf_standards", where, standard_present, e);
}

static int standard_of(struct ctx *x, int64_t *id, struct err *e)
{
	json_t *row = NULL;
	if (core__path_id(x, "id", id, e) || store_get(x->st, "dmtf_standards", *id, &row, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such DMTF standard");
	json_decref(row);
	return 0;
}

int core__dmtf_standard_get(struct ctx *x, struct err *e)
{
	int64_t id;
	return standard_of(x, &id, e) ? -1 : core__get_row(x, "dmtf_standards", id, standard_present, e);
}

int core__dmtf_standard_create(struct ctx *x, struct err *e)
{
	const json_t *b = x->call->body;
	if (dsp_check(json_string_value(json_object_get(b, "dsp")), e) || owner_body_check(x, json_object_get(b, "body_id"), e))
		return -1;
	json_t *row = core__row_from(x, b, 1);
	int ret = core__create_row(x, "dmtf_standards", "dmtf_standard", row, standard_present, "/api/v1/dmtf-standards/%lld", e);
	json_decref(row);
	return ret;
}

int core__dmtf_standard_update(struct ctx *x, struct err *e)
{
	int64_t id;
	const json_t *b = x->call->body;
	json_t *dsp = json_object_get(b, "dsp");
	if (standard_of(x, &id, e) || (dsp && dsp_check(json_string_value(dsp), e)) ||
	    owner_body_check(x, json_object_get(b, "body_id"), e))
		return -1;
	json_t *ch = core__row_from(x, b, 0);
	int ret = core__update_row(x, "dmtf_standards", "dmtf_standard", id, ch, standard_present, e);
	json_decref(ch);
	return ret;
}

/* ---- the delegation rules (R35) ---- */

const struct jfield core__delegation_agree_spec[] = {
	{ .name = "rules_version", .type = JT_INT, .flags = JF_REQUIRED, .min = 1, .max = 1000000, .rule = "R35" },
	{ 0 }
};

/* The version in force: the newest; NULL when the organization set none. */
static json_t *rules_in_force(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *r;
	struct store_query q = { .desc = 1, .limit = 1 };
	if (store_find(x->st, "delegation_rules", &q, &rows, e))
		return NULL;
	r = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return r;
}

/* A new version whenever the text in the settings changes (notify.c). */
/* R35 (issue 21): new rules ask every partner with delegated work in Table
 * 1 to agree again; until it does, no new delegated row (delegation_agreed). */
static int ask_again(struct ctx *x, json_int_t version, struct err *e)
{
	json_t *where = json_pack("{ss ss}", "kind", "delegated", "status", "current"), *rows = NULL, *told = json_object();
	struct store_query q = { .where = where, .columns = "id,wr_id" };
	int ret = store_find(x->st, "standards", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++) {
		json_t *wid = json_object_get(json_array_get(rows, i), "wr_id"), *wr = NULL;
		char key[24], subject[160];
		core__id_key(wid, key);
		if (json_object_get(told, key))
			continue;
		json_object_set_new(told, key, json_true());
		struct err ignored = ERR_INIT;
		if (store_get(x->st, "work_registers", json_integer_value(wid), &wr, &ignored))
			continue;
		snprintf(subject, sizeof(subject), "The DMTF delegation rules changed (version %lld): please agree to them again (R35)",
			 (long long)version);
		ret = core__notify(x, "delegation.changed", wr, subject, NULL, e);
		json_decref(wr);
	}
	json_decref(where);
	json_decref(rows);
	json_decref(told);
	return ret ? -1 : 0;
}

int core__delegation_rules_record(struct ctx *x, const char *text, struct err *e)
{
	struct err ignored = ERR_INIT;
	json_t *cur = rules_in_force(x, &ignored), *row;
	if (cur && !strcmp(json_string_value(json_object_get(cur, "text")), text)) {
		json_decref(cur);
		return 0;
	}
	json_int_t version = cur ? json_integer_value(json_object_get(cur, "version")) + 1 : 1;
	row = json_pack("{sI ss ss ss}", "version", version, "text", text, "created_by", x->actor.label, "created_at", x->now_iso);
	int ret = store_insert(x->st, "delegation_rules", row, NULL, e);
	json_decref(row);
	json_decref(cur);
	return ret ? -1 : ask_again(x, version, e);
}

int core__delegation_agreed(struct ctx *x, int64_t wr_id, struct err *e)
{
	json_t *cur = rules_in_force(x, e), *where, *row = NULL;
	if (!cur || text_blank(json_string_value(json_object_get(cur, "text")))) {
		json_decref(cur);
		err_set(e, E_R35_DELEGATION, "kind", "the organization has set no delegation rules (settings: delegation_rules_text)");
		return -1;
	}
	where = json_pack("{sI sO}", "wr_id", (json_int_t)wr_id, "rules_version", json_object_get(cur, "version"));
	int found = !store_find_one(x->st, "delegation_agreements", where, &row, e);
	json_decref(where);
	json_decref(row);
	if (!found)
		err_set(e, E_R35_DELEGATION, "kind", "the partner has not agreed to the delegation rules in force (version %lld)",
			(long long)json_integer_value(json_object_get(cur, "version")));
	json_decref(cur);
	return found ? 0 : -1;
}

int core__delegation_rules_get(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *cur;
	struct store_query q = { .order = "version" };
	if (store_find(x->st, "delegation_rules", &q, &rows, e))
		return -1;
	cur = json_array_get(rows, json_array_size(rows) - 1);
	core__reply(x, 200, json_pack("{sO so}", "current", cur ? cur : json_null(), "versions", rows));
	return 0;
}

/* R35: a partner's representative records the partner's agreement to the
 * version they read, which must be the one in force. */
int core__delegation_agree(struct ctx *x, struct err *e)
{
	json_t *cur, *row;
	json_int_t v = json_integer_value(json_object_get(x->call->body, "rules_version"));
	int64_t id;
	if (core__partner_act(x, "R35", e))
		return -1;
	cur = rules_in_force(x, e);
	if (!cur)
		return err_set(e, E_R35_DELEGATION, NULL, "the organization has set no delegation rules");
	if (json_integer_value(json_object_get(cur, "version")) != v) {
		err_set(e, E_R35_DELEGATION, "rules_version", "version %lld is in force: read it and agree to that one",
			(long long)json_integer_value(json_object_get(cur, "version")));
		json_decref(cur);
		return -1;
	}
	json_decref(cur);
	row = json_pack("{sO sI ss ss}", "wr_id", json_object_get(x->scope.record, "id"), "rules_version", v, "agreed_by", x->actor.label,
			"agreed_at", x->now_iso);
	if (x->actor.person_id)
		json_object_set_new(row, "agreed_by_id", json_integer(x->actor.person_id));
	int ret = store_insert(x->st, "delegation_agreements", row, &id, e);
	if (!ret) {
		json_object_set_new(row, "id", json_integer(id)); /* answered whole (issue 22) */
		snprintf(x->reply->location, sizeof(x->reply->location), "/api/v1/work-registers/%lld",
			 (long long)json_integer_value(json_object_get(x->scope.record, "id")));
		core__reply(x, 201, json_incref(row));
		core__audit(x, "delegation_agreement", id, NULL, json_incref(row));
	} else if (e->code == E_DUPLICATE) {
		err_set(e, E_DUPLICATE, "rules_version", "the partner agreed to this version already");
	}
	json_decref(row);
	return ret;
}
