/* The one door: every call is checked against the action table, run in one
 * transaction, audited, and committed, or it changes nothing. */
#include <stdio.h>
#include <string.h>

#include "core/engine/actor.h"
#include "core/engine/auth.h"
#include "core/engine/cache.h"
#include "core/engine/chain.h"
#include "core/engine/ctx.h"
#include "core/engine/door.h"
#include "core/engine/engine.h"
#include "core/engine/idempotency.h"
#include "core/engine/process.h"
#include "lib/util.h"

void core_etag(int64_t revision, char out[32]) { snprintf(out, 32, "\"rev-%lld\"", (long long)revision); }

void reply_release(struct reply *r)
{
	json_decref(r->body);
	r->body = NULL;
	core_page_release(r->page);
	r->page = NULL;
	r->cache_key[0] = '\0';
}

/* The domain's action table, then the actions its process tables define. */
static const struct action *action_find(const struct engine *eng, const char *name)
{
	for (const struct action *a = eng->actions; a->info.name; a++)
		if (!strcmp(a->info.name, name))
			return a;
	for (const struct action *a = engine_step_actions(eng); a->info.name; a++)
		if (!strcmp(a->info.name, name))
			return a;
	return NULL;
}

const struct action_info *engine_action_info(const struct engine *eng, const char *name)
{
	const struct action *a = action_find(eng, name);
	return a ? &a->info : NULL;
}

void engine_actions_each(const struct engine *eng, void (*fn)(const struct action_info *, void *), void *data)
{
	for (const struct action *a = eng->actions; a->info.name; a++)
		fn(&a->info, data);
	for (const struct action *a = engine_step_actions(eng); a->info.name; a++)
		fn(&a->info, data);
}

static int audit_write(struct ctx *x, struct err *e)
{
	return core__audit_append(x, x->actor.label, x->actor.person_id, x->target_type, x->target_id, x->before, x->after, e);
}

/* Parameters the route may set from the path. */
static int path_key(const char *k) { return !strcmp(k, "id") || !strcmp(k, "sub_id") || !strcmp(k, "section"); }

static int params_check(struct ctx *x, struct err *e)
{
	const char *key;
	json_t *v;
	if (!x->call->params)
		return 0;
	json_object_foreach(x->call->params, key, v) {
		if (path_key(key) || list_has(x->info->query, ',', key))
			continue;
		return err_set(e, E_UNKNOWN_FIELD, key, "unknown query parameter");
	}
	return 0;
}

/* Who may set which field is part of the action table: a field with
 * grants of its own refuses everyone else, whatever the action allows
 * them. Partner representatives revise a WR's content (R13), never the
 * host's roles: its owner (R1, R11) or its Originating Committee (R2). */
static int field_grants_check(struct ctx *x, const struct jfield *spec, const json_t *body, struct err *e)
{
	for (const struct jfield *f = spec; f->name; f++) {
		if (!f->who || !json_object_get(body, f->name) || core__grants_allow(x, f->who))
			continue;
		err_set(e, E_FIELD_FORBIDDEN, f->name, "%s may not set %s", x->actor.label, f->name);
		if (f->rule)
			snprintf(e->rule, sizeof(e->rule), "%s", f->rule);
		return -1;
	}
	return 0;
}

/* R13: a change to a record that has revisions (A_REVISION) presents the
 * revision it was made on. */
static int revision_check(struct ctx *x, struct err *e)
{
	char etag[32];
	const char *im = x->call->if_match;
	const char *noun = core__process_in_scope(x)->noun;
	if (!x->scope.record)
		return 0;
	if (!im || !*im) {
		if (x->info->flags & A_IFMATCH)
			return err_set(e, E_PRECONDITION_REQUIRED, "If-Match", "send the ETag of the %s you edited in If-Match", noun);
		return 0;
	}
	/* "*" would match any revision and so defeat R13: the ETag itself is
	 * needed; and RFC 9110 13.1.1 compares If-Match strongly, so a weak
	 * one (W/"rev-3") matches nothing */
	core_etag(json_integer_value(json_object_get(x->scope.record, "revision")), etag);
	if (!strncmp(im, "W/", 2))
		return err_set(e, E_STALE, "If-Match", "a weak ETag (%s) never matches for a change: send the ETag itself, %s", im, etag);
	if (strcmp(im, etag))
		return err_set(e, E_STALE, "If-Match", "the %s is now at %s; reload and apply your change again", noun, etag);
	return 0;
}

/* The credentials of a call, looked up in its snapshot: the person they
 * name goes into cc, and a session's hash (for signing out). A cookie-
 * authenticated change must carry its session's CSRF token. */
static int credentials(struct ctx *x, struct call *cc, char sess_hash[65], int *enrol_only, struct err *e)
{
	char csrf[65];
	if (cc->token)
		return core__authenticate(x, "token", cc->token, &cc->person_id, NULL, NULL, e);
	if (!cc->session)
		return 0;
	if (core__authenticate(x, "session", cc->session, &cc->person_id, csrf, enrol_only, e))
		return -1;
	hash_hex(cc->session, sess_hash);
	cc->session_hash = sess_hash;
	if (cc->state_change && (!cc->csrf || !secure_streq(cc->csrf, csrf)))
		return err_set(e, E_CSRF, "X-CSRF-Token", "send the csrf_token of your session in X-CSRF-Token");
	return 0;
}

static int stamps(struct ctx *x, struct err *e)
{
	json_t *row = NULL;
	if (store_get(x->st, "stamps", 1, &row, e))
		return -1;
	x->generation = json_integer_value(json_object_get(row, "data"));
	x->people_stamp = json_integer_value(json_object_get(row, "people"));
	json_decref(row);
	return 0;
}

int core_action_status(const struct action_info *ai)
{
	return (ai->flags & A_EMPTY) ? 204 : (ai->flags & A_CREATE) ? 201 : 200;
}

int engine_call(const struct engine *eng, struct store *st, const struct call *call, struct reply *r, struct err *e)
{
	const struct action *a = action_find(eng, call->action);
	struct call cc = *call;
	const struct call *c = &cc;
	char sess_hash[65];
	struct ctx x;
	int ret = -1, writing, enrol_only = 0;
	memset(&x, 0, sizeof(x));
	r->status = 0;
	r->body = NULL;
	r->revision = 0;
	r->location[0] = r->session_id[0] = '\0';
	r->end_session = 0;
	r->page = NULL;
	r->cache_key[0] = '\0';
	r->generation = 0;
	r->person_id = call->person_id;
	if (!a)
		return err_set(e, E_INTERNAL, NULL, "unknown action %s", c->action);
	x.eng = eng;
	x.st = st;
	x.call = c;
	x.info = &a->info;
	x.reply = r;
	time_iso(c->now, x.now_iso);
	time_date(c->now, x.today);
	writing = !!(a->info.flags & A_WRITE);

	if (!(a->info.flags & A_PUBLIC) && !c->system && !c->person_id && !c->token && !c->session)
		return err_set(e, E_UNAUTHENTICATED, NULL, "sign in or send a bearer token");
	if (store_begin(st, writing, e))
		return -1;
	/* the state this call sees, named by its stamps (cache.c) */
	if (stamps(&x, e) || credentials(&x, &cc, sess_hash, &enrol_only, e))
		goto out;
	r->person_id = cc.person_id; /* whom the credentials named, for the caller's log */
	/* issue 24: a person whose role requires a second factor and who has
	 * none may only enrol one (two_factor_roles) */
	if (enrol_only && !(a->info.flags & A_ENROL)) {
		err_set(e, E_TWO_FACTOR_REQUIRED, NULL, "your role requires two-factor sign-in: set it up first (POST /api/v1/me/two-factor)");
		goto out;
	}
	if (core__actor_load(&x, e) || params_check(&x, e))
		goto out;
	/* issue 25: a write sent again under its key is answered as it was,
	 * before its state is judged again (it changed: the first did it) */
	const char *ikey = writing && x.actor.person_id && !c->system ? c->idempotency_key : NULL;
	char iprint[65] = "";
	if (ikey) {
		int replayed = core__idempotency_replay(&x, ikey, iprint, e);
		if (replayed < 0)
			goto out;
		if (replayed) {
			store_rollback(st);
			ret = 0;
			goto out;
		}
	}
	if (a->scope(&x, e))
		goto out;
	unsigned grants = a->grants;
	const char *rule = a->info.rule;
	if (grants & G_PROCESS) {
		/* the process table decides: is the step possible in this state, and who takes it */
		const struct process *p = core__process_in_scope(&x);
		const char *state = json_string_value(json_object_get(x.scope.record, "status"));
		x.scope.step = core__process_step(p, a->info.name, state);
		if (!x.scope.step || x.scope.step->who == G_SYSTEM) {
			const struct step *any = core__process_step_any(p, a->info.name);
			err_set(e, E_WRONG_STATE, "status", "%s is possible in: %s; this %s is %s", a->info.name, any ? any->from : "-",
				p->noun, state ? state : "?");
			if (any && any->rule)
				snprintf(e->rule, sizeof(e->rule), "%s", any->rule);
			goto out;
		}
		grants = x.scope.step->who;
		rule = x.scope.step->rule;
	}
	if (!(a->info.flags & A_PUBLIC) && !core__grants_allow(&x, grants)) {
		err_set(e, E_FORBIDDEN, NULL, "%s may not %s", x.actor.label, a->info.summary);
		if (rule)
			snprintf(e->rule, sizeof(e->rule), "%s", rule);
		goto out;
	}
	/* what exists (404) and who may (403) before what was sent (400) */
	if (c->body && !json_is_null(c->body)) {
		if (!a->info.body) {
			err_set(e, E_INVALID, "", "this request takes no body");
			goto out;
		}
		if (jspec_check(c->body, a->info.body, !!(a->info.flags & A_BODY), e) ||
		    field_grants_check(&x, a->info.body, c->body, e))
			goto out;
	} else if (a->info.body && (a->info.flags & A_BODY)) {
		const struct jfield *need = a->info.body; /* name the first field it must have */
		while (need->name && !(need->flags & JF_REQUIRED))
			need++;
		err_set(e, E_MISSING_FIELD, need->name ? need->name : "", "a JSON body is required");
		if (need->name && need->rule)
			snprintf(e->rule, sizeof(e->rule), "%s", need->rule);
		goto out;
	}
	if ((a->info.flags & A_REVISION) && revision_check(&x, e))
		goto out;
	/* a page kept from an earlier call at the same generation: the
	 * grants above were checked all the same */
	int kept = 0;
	if ((a->info.flags & A_CACHE) && (kept = core__cache_lookup(&x, e)) < 0)
		goto out;
	if (!kept && a->run(&x, e))
		goto out;
	/* issue 22: a success is the one the document lists for the action */
	if (!kept && r->status >= 200 && r->status < 300 && r->status != core_action_status(&a->info)) {
		err_set(e, E_INTERNAL, NULL, "%s answered %d where its documented success is %d", a->info.name, r->status,
			core_action_status(&a->info));
		goto out;
	}
	if (writing) {
		if ((ikey && core__idempotency_keep(&x, ikey, iprint, e)) || (!(a->info.flags & A_UNAUDITED) && !x.nothing_done && audit_write(&x, e)) ||
		    store_commit(st, e))
			goto out;
	} else {
		store_rollback(st);
	}
	ret = 0;
out:
	if (ret) {
		store_rollback(st);
		reply_release(r);
		r->location[0] = r->session_id[0] = '\0';
		r->revision = 0;
	}
	json_decref(x.before);
	json_decref(x.after);
	json_decref(x.scope.record);
	json_decref(x.scope.item);
	json_decref(x.actor.seats);
	return ret;
}
