/* The one door: every call is checked against the action table, run in one
 * transaction, audited, and committed, or it changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
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

/* The action table, then the actions the process tables define. */
static const struct action *action_find(const char *name)
{
	for (const struct action *a = core__actions; a->info.name; a++)
		if (!strcmp(a->info.name, name))
			return a;
	for (const struct action *a = core__process_actions(); a->info.name; a++)
		if (!strcmp(a->info.name, name))
			return a;
	return NULL;
}

const struct action_info *core_action_info(const char *name)
{
	const struct action *a = action_find(name);
	return a ? &a->info : NULL;
}

void core_actions_each(void (*fn)(const struct action_info *, void *), void *data)
{
	for (const struct action *a = core__actions; a->info.name; a++)
		fn(&a->info, data);
	for (const struct action *a = core__process_actions(); a->info.name; a++)
		fn(&a->info, data);
}

void core__reply(struct ctx *x, int status, json_t *body)
{
	json_decref(x->reply->body);
	x->reply->status = status;
	x->reply->body = body;
}

const char *core__acting_label(const struct ctx *x) { return x->acting ? x->acting : x->actor.label; }

void core__audit(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after)
{
	json_decref(x->before);
	json_decref(x->after);
	x->target_type = type;
	x->target_id = id;
	x->before = before;
	x->after = after;
}

static int audit_append(struct ctx *x, const char *actor, int64_t actor_id, const char *type, int64_t id, json_t *before, json_t *after,
			struct err *e)
{
	json_t *row = json_pack("{ss ss ss ss sO* sO*}", "at", x->now_iso, "actor", actor, "action", x->info->name, "target_type",
				type ? type : "none", "before", before, "after", after);
	int ret;
	if (actor_id)
		json_object_set_new(row, "actor_id", json_integer(actor_id));
	if (id)
		json_object_set_new(row, "target_id", json_integer(id));
	ret = core__chain_append(x, row, e); /* hashed onto the chain (chain.c, issue 11) */
	json_decref(row);
	return ret;
}

static int audit_write(struct ctx *x, struct err *e)
{
	return audit_append(x, x->actor.label, x->actor.person_id, x->target_type, x->target_id, x->before, x->after, e);
}

int core__audit_system(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after, struct err *e)
{
	int ret = audit_append(x, core__acting_label(x), 0, type, id, before, after, e);
	json_decref(before);
	json_decref(after);
	return ret;
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

static int voter(struct ctx *x)
{
	json_t *el = json_object_get(x->scope.ballot, "eligible");
	for (size_t i = 0; i < json_array_size(el); i++)
		if (json_integer_value(json_array_get(el, i)) == x->actor.person_id)
			return 1;
	return 0;
}

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
	if ((g & G_ORIG_CHAIR) && s->wr &&
	    core__seat(x, json_integer_value(json_object_get(s->wr, "originating_body_id")), "chair"))
		return 1;
	if ((g & G_VOTER) && s->ballot && voter(x))
		return 1;
	if ((g & G_BODY_MEMBER) && s->body_id && (core__seat(x, s->body_id, NULL) || core__seat(x, s->body_id, "observer")))
		return 1;
	if ((g & G_BODY_CHAIR) && s->body_id && core__seat(x, s->body_id, "chair"))
		return 1;
	return 0;
}

int core__grants_allow(struct ctx *x, unsigned grants) { return grants_allow(x, grants); }

/* Who may set which field is part of the action table: a field with
 * grants of its own refuses everyone else, whatever the action allows
 * them. Partner representatives revise a WR's content (R13), never the
 * host's roles: its owner (R1, R11) or its Originating Committee (R2). */
static int field_grants_check(struct ctx *x, const struct jfield *spec, const json_t *body, struct err *e)
{
	for (const struct jfield *f = spec; f->name; f++) {
		if (!f->who || !json_object_get(body, f->name) || grants_allow(x, f->who))
			continue;
		err_set(e, E_FIELD_FORBIDDEN, f->name, "%s may not set %s", x->actor.label, f->name);
		if (f->rule)
			snprintf(e->rule, sizeof(e->rule), "%s", f->rule);
		return -1;
	}
	return 0;
}

/* R13: a change to a Work Register presents the revision it was made on. */
static int revision_check(struct ctx *x, struct err *e)
{
	char etag[32];
	const char *im = x->call->if_match;
	if (!x->scope.wr)
		return 0;
	if (!im || !*im) {
		if (x->info->flags & A_IFMATCH)
			return err_set(e, E_PRECONDITION_REQUIRED, "If-Match",
				       "send the ETag of the Work Register you edited in If-Match");
		return 0;
	}
	/* "*" would match any revision and so defeat R13: the ETag itself is needed */
	core_etag(json_integer_value(json_object_get(x->scope.wr, "revision")), etag);
	/* accept the weak form too: W/"rev-3" */
	if (!strncmp(im, "W/", 2))
		im += 2;
	if (strcmp(im, etag))
		return err_set(e, E_STALE, "If-Match", "the Work Register is now at %s; reload and apply your change again", etag);
	return 0;
}

/* The credentials of a call, looked up in its snapshot: the person they
 * name goes into cc, and a session's hash (for signing out). A cookie-
 * authenticated change must carry its session's CSRF token. */
static int credentials(struct ctx *x, struct call *cc, char sess_hash[65], struct err *e)
{
	char csrf[65];
	if (cc->token)
		return core__authenticate(x, "token", cc->token, &cc->person_id, NULL, e);
	if (!cc->session)
		return 0;
	if (core__authenticate(x, "session", cc->session, &cc->person_id, csrf, e))
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

int core_call(struct store *st, const struct call *call, struct reply *r, struct err *e)
{
	const struct action *a = action_find(call->action);
	struct call cc = *call;
	const struct call *c = &cc;
	char sess_hash[65];
	struct ctx x;
	int ret = -1, writing;
	memset(&x, 0, sizeof(x));
	r->status = 0;
	r->body = NULL;
	r->revision = 0;
	r->location[0] = r->session_id[0] = '\0';
	r->end_session = 0;
	r->page = NULL;
	r->cache_key[0] = '\0';
	r->generation = 0;
	if (!a)
		return err_set(e, E_INTERNAL, NULL, "unknown action %s", c->action);
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
	if (stamps(&x, e) || credentials(&x, &cc, sess_hash, e))
		goto out;
	if (core__actor_load(&x, e) || params_check(&x, e))
		goto out;
	if (a->scope(&x, e))
		goto out;
	unsigned grants = a->grants;
	const char *rule = a->info.rule;
	if (grants & G_PROCESS) {
		/* the process table decides: is the step possible in this state, and who takes it */
		const struct process *p = x.scope.process ? x.scope.process : &core__wr_process;
		const char *state = json_string_value(json_object_get(p == &core__wr_process ? x.scope.wr : x.scope.record, "status"));
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
	if (!(a->info.flags & A_PUBLIC) && !grants_allow(&x, grants)) {
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
		if (jspec_check(c->body, a->info.body, !!(a->info.flags & A_CREATE), e) ||
		    field_grants_check(&x, a->info.body, c->body, e))
			goto out;
	} else if (a->info.body && (a->info.flags & A_CREATE)) {
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
	if (writing) {
		if (audit_write(&x, e) || store_commit(st, e))
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
	json_decref(x.scope.wr);
	json_decref(x.scope.ballot);
	json_decref(x.scope.record);
	json_decref(x.actor.seats);
	return ret;
}
