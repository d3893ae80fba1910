/* Organizations, people and officer roles. */
#include <stdio.h>
#include <string.h>

#include "core/domain/org.h"
#include "core/engine/account.h"
#include "core/engine/credentials.h"
#include "core/engine/ctx.h"
#include "core/engine/outbox.h"
#include "core/engine/rows.h"

static const char *const org_kinds[] = { "host", "partner", "member", NULL };
/* R10: a member company's level of DMTF membership; Board and Leadership
 * members propose Work Registers. */
static const char *const membership_levels[] = { "board", "leadership", "participation", "academic", NULL };
static const char *const org_statuses[] = { "prospective", "active", "former", NULL };
static const char *const officer_roles[] = { "vp_alliances", "admin", NULL };

const struct jfield core__org_spec[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ .name = "short_name", .type = JT_STR, .flags = JF_REQUIRED, .max = 40 },
	{ .name = "kind", .type = JT_ENUM, .enums = org_kinds },
	{ .name = "membership_level", .type = JT_ENUM, .flags = JF_NULLABLE, .enums = membership_levels, .rule = "R10" },
	{ .name = "website", .type = JT_URL, .flags = JF_NULLABLE, .max = 500 },
	{ .name = "status", .type = JT_ENUM, .enums = org_statuses },
	{ .name = "description", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 4000 },
	{ 0 }
};

const struct jfield core__person_spec[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ .name = "email", .type = JT_EMAIL, .flags = JF_REQUIRED },
	{ .name = "org_id", .type = JT_ID, .flags = JF_REQUIRED },
	{ .name = "dmtf_member", .type = JT_BOOL },
	{ .name = "disabled", .type = JT_BOOL },
	{ .name = "mail_mode", .type = JT_ENUM, .enums = core__mail_modes },
	{ 0 }
};

const struct jfield core__officer_spec[] = {
	{ .name = "person_id", .type = JT_ID, .flags = JF_REQUIRED },
	{ .name = "role", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = officer_roles },
	{ .name = "start_date", .type = JT_DATE },
	{ .name = "end_date", .type = JT_DATE, .flags = JF_NULLABLE },
	{ 0 }
};

int core__org_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	if (core__query_enum(x, where, "kind", org_kinds, e) || core__query_enum(x, where, "status", org_statuses, e)) {
		json_decref(where);
		return -1;
	}
	if (!x->actor.system && !x->actor.staff)
		json_object_set_new(where, "id", json_integer(x->actor.org_id));
	return core__list(x, "organizations", where, NULL, e);
}

int core__org_get(struct ctx *x, struct err *e) { return core__get_row(x, "organizations", x->scope.org_id, NULL, e); }

/* R10: a member company has a level of membership, and nothing else has. */
static int level_check(const char *kind, const json_t *level, struct err *e)
{
	int member = !strcmp(kind, "member");
	if (member && !json_is_string(level))
		err_set(e, E_INVALID, "membership_level", "a member company has a level of membership (board, leadership, participation, academic)");
	else if (!member && level && !json_is_null(level))
		err_set(e, E_INVALID, "membership_level", "only a member company has a level of membership, not a %s organization", kind);
	else
		return 0;
	snprintf(e->rule, sizeof(e->rule), "R10");
	return -1;
}

int core__org_create(struct ctx *x, struct err *e)
{
	json_t *row = core__row_from(x, x->call->body, 1);
	if (!json_object_get(row, "kind"))
		json_object_set_new(row, "kind", json_string("partner"));
	if (level_check(json_string_value(json_object_get(row, "kind")), json_object_get(row, "membership_level"), e)) {
		json_decref(row);
		return -1;
	}
	int ret = core__create_row(x, "organizations", "organization", row, NULL, "/api/v1/organizations/%lld", e);
	json_decref(row);
	return ret;
}

int core__org_update(struct ctx *x, struct err *e)
{
	json_t *cur = NULL;
	const char *kind = json_string_value(json_object_get(x->call->body, "kind"));
	if (store_get(x->st, "organizations", x->scope.org_id, &cur, e))
		return -1;
	int changed = kind && strcmp(kind, json_string_value(json_object_get(cur, "kind")));
	const json_t *level = json_object_get(x->call->body, "membership_level");
	int bad = !changed && level && level_check(json_string_value(json_object_get(cur, "kind")), level, e);
	json_decref(cur);
	if (changed)
		return err_set(e, E_CONFLICT, "kind", "an organization's kind cannot change");
	if (bad)
		return -1;
	json_t *ch = core__row_from(x, x->call->body, 0);
	int ret = core__update_row(x, "organizations", "organization", x->scope.org_id, ch, NULL, e);
	json_decref(ch);
	return ret;
}

static json_t *person_present(struct ctx *x, json_t *p)
{
	json_t *r = json_deep_copy(p);
	json_object_set_new(r, "has_account", json_boolean(!json_is_null(json_object_get(p, "password_hash"))));
	json_object_del(r, "password_hash");
	json_object_set_new(r, "has_calendar", json_boolean(json_is_string(json_object_get(r, "calendar_hash"))));
	json_object_del(r, "calendar_hash"); /* the feed's secret, kept as its hash only */
	/* issue 24: the state of the account, and whether it has a second
	 * factor (never its secret) */
	json_object_set_new(r, "state", json_string(core__person_state(x, p)));
	json_object_set_new(r, "two_factor", json_boolean(json_is_string(json_object_get(p, "totp_enabled_at"))));
	json_object_del(r, "totp_secret");
	json_object_del(r, "totp_last_step");
	return r;
}

int core__person_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	int64_t org;
	const char *email = core__param(x, "email");
	if (core__query_id(x, "org_id", &org, e)) {
		json_decref(where);
		return -1;
	}
	if (org)
		json_object_set_new(where, "org_id", json_integer(org));
	if (email)
		json_object_set_new(where, "email", json_string(email));
	if (!x->actor.system && !x->actor.staff)
		json_object_set_new(where, "org_id", json_integer(x->actor.org_id));
	return core__list(x, "people", where, person_present, e);
}

int core__person_get(struct ctx *x, struct err *e) { return core__get_row(x, "people", x->scope.person_id, person_present, e); }

/* Only an administrator enables and disables accounts. */
static int person_check(struct ctx *x, struct err *e)
{
	const json_t *b = x->call->body;
	json_t *org = json_object_get(b, "org_id");
	if (json_object_get(b, "disabled") && !x->actor.admin && !x->actor.system)
		return err_set(e, E_FORBIDDEN, "disabled", "only an administrator enables or disables accounts");
	if (org && core__exists(x, "organizations", json_integer_value(org), "org_id", e))
		return -1;
	return 0;
}

int core__person_create(struct ctx *x, struct err *e)
{
	if (person_check(x, e))
		return -1;
	json_t *row = core__row_from(x, x->call->body, 1);
	int ret = core__create_row(x, "people", "person", row, person_present, "/api/v1/people/%lld", e);
	json_decref(row);
	return ret;
}

int core__person_update(struct ctx *x, struct err *e)
{
	if (person_check(x, e))
		return -1;
	json_t *ch = core__row_from(x, x->call->body, 0);
	int ret = core__update_row(x, "people", "person", x->scope.person_id, ch, person_present, e);
	json_decref(ch);
	/* issue 24: disabling a person ends their sessions */
	if (!ret && json_is_true(json_object_get(x->call->body, "disabled")) &&
	    core__sessions_end(x, x->scope.person_id, NULL, e) < 0)
		return -1;
	return ret;
}

int core__officer_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	int64_t pid;
	if (core__query_enum(x, where, "role", officer_roles, e) || core__query_id(x, "person_id", &pid, e)) {
		json_decref(where);
		return -1;
	}
	if (pid)
		json_object_set_new(where, "person_id", json_integer(pid));
	return core__list(x, "officers", where, NULL, e);
}

int core__officer_add(struct ctx *x, struct err *e)
{
	json_t *row = core__row_from(x, x->call->body, 1);
	int ret = -1;
	if (!json_object_get(row, "start_date"))
		json_object_set_new(row, "start_date", json_string(x->today));
	if (core__exists(x, "people", json_integer_value(json_object_get(row, "person_id")), "person_id", e) ||
	    core__dates_check(x, row, e))
		goto out;
	ret = core__create_row(x, "officers", "officer", row, NULL, NULL, e);
out:
	json_decref(row);
	return ret;
}

int core__officer_update(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *cur = NULL, *ch = NULL;
	int ret = -1;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "officers", id, &cur, e))
		goto out;
	if (json_object_get(x->call->body, "person_id") &&
	    !json_equal(json_object_get(x->call->body, "person_id"), json_object_get(cur, "person_id"))) {
		err_set(e, E_CONFLICT, "person_id", "an officer role cannot move to another person: end it and add a new one");
		goto out;
	}
	ch = core__row_from(x, x->call->body, 0);
	json_t *merged = json_deep_copy(cur);
	json_object_update(merged, ch);
	ret = core__dates_check(x, merged, e);
	json_decref(merged);
	if (!ret)
		ret = core__update_row(x, "officers", "officer", id, ch, NULL, e);
out:
	json_decref(cur);
	json_decref(ch);
	return ret;
}

