/* Who acts: the person of a call with their organization, offices and
 * seats, the grants judged on them and on the scope, and the scope
 * functions of people and organizations. */
#include <stdio.h>
#include <string.h>

#include "core/engine/actor.h"
#include "core/engine/cache.h"
#include "core/engine/ctx.h"
#include "core/engine/rows.h"

static int member(struct ctx *x, int64_t body_id, int64_t person_id, int voting)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI sI}", "body_id", (json_int_t)body_id, "person_id", (json_int_t)person_id);
	struct store_query q = { .where = where };
	json_t *rows = NULL;
	int active = 0;
	if (!store_find(x->st, "memberships", &q, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows); i++)
			if (core__is_active(x, json_array_get(rows, i)) &&
			    (!voting || strcmp(json_string_value(json_object_get(json_array_get(rows, i), "role")), "observer")))
				active = 1;
	json_decref(rows);
	json_decref(where);
	return active;
}

int core__active_member(struct ctx *x, int64_t body_id, int64_t person_id) { return member(x, body_id, person_id, 0); }
int core__voting_member(struct ctx *x, int64_t body_id, int64_t person_id) { return member(x, body_id, person_id, 1); }

int core__host_org(struct ctx *x, int64_t *id, struct err *e)
{
	return core__find_id(x, "organizations", json_pack("{ss}", "kind", "host"), id, "the host organization", e);
}

static int actor_load(struct ctx *x, struct err *e);

/* issue 24: --as, the operator acting for the person, says so wherever
 * the actor's label goes (kept actors keep the person's own label) */
int core__actor_load(struct ctx *x, struct err *e)
{
	if (actor_load(x, e))
		return -1;
	if (x->call->operator_name && x->actor.person_id) {
		char name[200];
		snprintf(name, sizeof(name), "%s", x->actor.label);
		snprintf(x->actor.label, sizeof(x->actor.label), "operator %.30s on behalf of %.120s", x->call->operator_name, name);
	}
	return 0;
}

static int actor_load(struct ctx *x, struct err *e)
{
	struct actor *a = &x->actor;
	json_t *p = NULL, *org = NULL, *offs = NULL, *where = NULL;
	int ret = -1;
	if (x->call->system || !x->call->person_id) {
		a->system = x->call->system;
		snprintf(a->label, sizeof(a->label), "%s", a->system ? "system" : "anonymous");
		return 0;
	}
	if (core__actor_kept(x))
		return 0;
	if (store_get(x->st, "people", x->call->person_id, &p, e) || json_is_true(json_object_get(p, "disabled"))) {
		err_set(e, E_UNAUTHENTICATED, NULL, "the account is not active");
		goto out;
	}
	a->person_id = x->call->person_id;
	a->org_id = json_integer_value(json_object_get(p, "org_id"));
	/* issue 24: the name alone; what records and the audit chain carry
	 * of an actor names no e-mail address (the id says who it is) */
	snprintf(a->label, sizeof(a->label), "%s", json_string_value(json_object_get(p, "name")));
	if (store_get(x->st, "organizations", a->org_id, &org, e))
		goto out;
	a->staff = !strcmp(json_string_value(json_object_get(org, "kind")), "host");
	where = json_pack("{sI}", "person_id", (json_int_t)a->person_id);
	struct store_query q = { .where = where };
	if (store_find(x->st, "officers", &q, &offs, e))
		goto out;
	/* the seats held today, with the kind of body, for the grants */
	json_t *mem = NULL;
	if (store_find(x->st, "memberships", &q, &mem, e))
		goto out;
	a->seats = json_array();
	for (size_t i = 0; i < json_array_size(mem); i++) {
		json_t *m = json_array_get(mem, i), *b = NULL;
		if (!core__is_active(x, m) || store_get(x->st, "bodies", json_integer_value(json_object_get(m, "body_id")), &b, e))
			continue;
		json_array_append_new(a->seats, json_pack("{sO sO sO}", "body_id", json_object_get(m, "body_id"), "role",
							  json_object_get(m, "role"), "kind", json_object_get(b, "kind")));
		json_decref(b);
	}
	json_decref(mem);
	for (size_t i = 0; i < json_array_size(offs); i++) {
		json_t *o = json_array_get(offs, i);
		const char *role = json_string_value(json_object_get(o, "role"));
		if (!core__is_active(x, o))
			continue;
		if (!strcmp(role, "admin"))
			a->admin = 1;
		else if (!strcmp(role, "vp_alliances"))
			a->vp = 1;
	}
	core__actor_keep(x);
	ret = 0;
out:
	json_decref(p);
	json_decref(org);
	json_decref(offs);
	json_decref(where);
	return ret;
}

int core__seat(struct ctx *x, int64_t body_id, const char *role)
{
	json_t *seats = x->actor.seats;
	for (size_t i = 0; i < json_array_size(seats); i++) {
		json_t *s = json_array_get(seats, i);
		const char *r = json_string_value(json_object_get(s, "role"));
		if (json_integer_value(json_object_get(s, "body_id")) != body_id)
			continue;
		if (role ? !strcmp(role, r) : strcmp(r, "observer") != 0)
			return 1;
	}
	return 0;
}

int core__seat_kind(struct ctx *x, const char *kind)
{
	json_t *seats = x->actor.seats;
	for (size_t i = 0; i < json_array_size(seats); i++) {
		json_t *s = json_array_get(seats, i);
		if (!strcmp(json_string_value(json_object_get(s, "kind")), kind) &&
		    strcmp(json_string_value(json_object_get(s, "role")), "observer"))
			return 1;
	}
	return 0;
}

/* Partner representatives see their own organization only; answering 404
 * rather than 403 does not tell them what else exists. */
int core__visible_org(struct ctx *x, int64_t org_id)
{
	return x->actor.system || x->actor.staff || x->actor.org_id == org_id;
}

int core__scope_none(struct ctx *x, struct err *e)
{
	(void)x;
	(void)e;
	return 0;
}

int core__scope_org(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "organizations", id, &row, e))
		return -1;
	json_decref(row);
	if (!core__visible_org(x, id))
		return err_set(e, E_NOT_FOUND, NULL, "no such organization");
	x->scope.org_id = id;
	return 0;
}

int core__scope_person(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "people", id, &row, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such person");
	x->scope.person_id = id;
	x->scope.org_id = json_integer_value(json_object_get(row, "org_id"));
	json_decref(row);
	if (!core__visible_org(x, x->scope.org_id))
		return err_set(e, E_NOT_FOUND, NULL, "no such person");
	return 0;
}


int64_t core__body_of_kind(struct ctx *x, const char *kind) { return core__id_of(x, "bodies", "kind", kind); }

static int grants_allow(struct ctx *x, unsigned g)
{
	const struct actor *a = &x->actor;
	const struct scope *s = &x->scope;
	if (a->system)
		return 1;
	if ((g & G_ANY) && a->person_id)
		return 1;
	if ((g & G_ADMIN) && a->admin)
		return 1;
	if ((g & G_VP) && a->vp)
		return 1;
	if ((g & G_STAFF) && a->staff)
		return 1;
	if ((g & G_PARTNER) && !a->staff && s->org_id && a->org_id == s->org_id)
		return 1;
	if ((g & G_OWNER) && s->owner_id && a->person_id == s->owner_id)
		return 1;
	if ((g & G_PROPOSER) && s->proposer_id && a->person_id == s->proposer_id)
		return 1;
	if ((g & G_SELF) && s->person_id && a->person_id == s->person_id)
		return 1;
	if ((g & G_EXEC) && core__seat_kind(x, "executive"))
		return 1;
	if ((g & G_BOARD) && core__seat_kind(x, "board"))
		return 1;
	if ((g & G_BODY_MEMBER) && s->body_id && (core__seat(x, s->body_id, NULL) || core__seat(x, s->body_id, "observer")))
		return 1;
	if ((g & G_BODY_CHAIR) && s->body_id && core__seat(x, s->body_id, "chair"))
		return 1;
	/* the grants the domain defines (G_DOMAIN and above) */
	return (g & ~(G_DOMAIN - 1)) && x->eng->grant ? x->eng->grant(x, g) : 0;
}

int core__grants_allow(struct ctx *x, unsigned grants) { return grants_allow(x, grants); }
