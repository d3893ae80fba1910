/* A Work Register in scope, and who a WR names (the grants only the
 * domain knows). */
#include <stdio.h>
#include <string.h>

#include "core/domain/scope.h"
#include "core/engine/actor.h"
#include "core/engine/cache.h"
#include "core/engine/ctx.h"
#include "core/engine/process.h"
#include "core/engine/rows.h"

int core__scope_wr(struct ctx *x, struct err *e)
{
	int64_t id = 0;
	json_t *wr = NULL;
	char key[40];
	if (core__path_id(x, "id", &id, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such Work Register");
	snprintf(key, sizeof(key), "wr|%lld", (long long)id);
	if (!(wr = core__row_kept(x, key, x->generation))) {
		if (store_get(x->st, "work_registers", id, &wr, e))
			return err_set(e, E_NOT_FOUND, NULL, "no such Work Register");
		core__row_keep(x, key, x->generation, wr);
	}
	x->scope.org_id = json_integer_value(json_object_get(wr, "partner_id"));
	if (!core__visible_org(x, x->scope.org_id)) {
		json_decref(wr);
		return err_set(e, E_NOT_FOUND, NULL, "no such Work Register");
	}
	x->scope.owner_id = json_integer_value(json_object_get(wr, "owner_id"));
	x->scope.proposer_id = json_integer_value(json_object_get(wr, "proposer_id"));
	x->scope.record = wr;
	return 0;
}

/* R10: a partner's representatives propose for their own organization. */
int core__scope_wr_create(struct ctx *x, struct err *e)
{
	(void)e;
	x->scope.org_id = json_integer_value(json_object_get(x->call->body, "partner_id"));
	return 0;
}

/* A WR and a body named in the request body (a committee's ballot, R18). */
int core__scope_wr_body(struct ctx *x, struct err *e)
{
	if (core__scope_wr(x, e))
		return -1;
	x->scope.body_id = json_integer_value(json_object_get(x->call->body, "body_id"));
	return 0;
}

int core__alliance_committee(struct ctx *x, int64_t *id, struct err *e)
{
	return core__find_id(x, "bodies", json_pack("{sb}", "is_alliance", 1), id, "the Alliance Committee", e);
}

/* Whether the actor may vote in the ballot in scope: in its list when
 * the scope read it, else one indexed read of ballot_voters (issue 27). */
static int voter(struct ctx *x)
{
	json_t *el = json_object_get(x->scope.item, "eligible");
	if (!el) {
		json_t *where = json_pack("{sI sO}", "person_id", (json_int_t)x->actor.person_id, "ballot_id", json_object_get(x->scope.item, "id"));
		struct store_query q = { .where = where };
		struct err none = ERR_INIT;
		int64_t n = 0;
		store_count(x->st, "ballot_voters", &q, &n, &none);
		json_decref(where);
		return n > 0;
	}
	for (size_t i = 0; i < json_array_size(el); i++)
		if (json_integer_value(json_array_get(el, i)) == x->actor.person_id)
			return 1;
	return 0;
}

/* The grants of the domain (the engine judges G_ANY to G_SYSTEM): the
 * chair of the WR's Originating Committee (R16, R23), an eligible voter
 * of the ballot in scope. */
int core__domain_grant(struct ctx *x, unsigned g)
{
	const struct scope *s = &x->scope;
	if ((g & G_ORIG_CHAIR) && core__scope_wr_row(x) &&
	    core__seat(x, json_integer_value(json_object_get(s->record, "originating_body_id")), "chair"))
		return 1;
	if ((g & G_VOTER) && s->item && voter(x))
		return 1;
	return 0;
}

/* A partner's own act (R20 acceptance, R35 agreement, an amendment's
 * acceptance) needs one of its representatives: the local operator acts
 * for one with --as, never as "system" (issue 21). */
int core__partner_act(struct ctx *x, const char *rule, struct err *e)
{
	if (!x->actor.system)
		return 0;
	err_set(e, E_FORBIDDEN, NULL, "this is the partner's own act: a representative of the partner takes it (on the command line, --as "
				       "their e-mail)");
	snprintf(e->rule, sizeof(e->rule), "%s", rule);
	return -1;
}

/* The WR in scope, if the record in scope is one (a change request's or a
 * meeting's scope names its process). */
json_t *core__scope_wr_row(struct ctx *x)
{
	return x->scope.process && strcmp(x->scope.process->name, "work_register") ? NULL : x->scope.record;
}
