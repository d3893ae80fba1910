/* The process engine: a process is a table of steps between the states of
 * one kind of record (struct process, struct step), given by the domain.
 * The door asks it whether an action is a step possible in the record's
 * state and who takes it (G_PROCESS); it runs the step: guard, effect, the
 * record's new state (the only writer of a record's status), what the
 * process does after (settle), the reply and the audit event. Steps no one
 * takes (G_SYSTEM) run when the domain says so (core__step_event,
 * core__step_when). It names no kind of record: the tables do. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/engine/actor.h"
#include "core/engine/chain.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"
#include "core/engine/process.h"
#include "lib/util.h"

const char *core__state_label(const struct process *p, const char *state)
{
	for (int i = 0; p && p->labels && state && p->states[i]; i++)
		if (!strcmp(p->states[i], state))
			return p->labels[i];
	return state ? state : "";
}

int core__in_states(const char *states, const char *state) { return list_has(states, '|', state); }

const struct process *engine_process_named(const struct engine *eng, const char *name)
{
	for (int i = 0; eng->processes[i]; i++)
		if (!name || !strcmp(eng->processes[i]->name, name))
			return eng->processes[i];
	return NULL;
}

const struct process *core__process_named(struct ctx *x, const char *name) { return engine_process_named(x->eng, name); }

/* The process of the record in scope: its scope function names it, else
 * the first (the main record of the domain). */
const struct process *core__process_in_scope(struct ctx *x)
{
	return x->scope.process ? x->scope.process : x->eng->processes[0];
}

const struct step *core__process_step(const struct process *p, const char *action, const char *state)
{
	for (const struct step *s = p->steps; state && s->action; s++)
		if (!strcmp(s->action, action) && core__in_states(s->from, state))
			return s;
	return NULL;
}

const struct step *core__process_step_any(const struct process *p, const char *action)
{
	for (const struct step *s = p->steps; s->action; s++)
		if (!strcmp(s->action, action))
			return s;
	return NULL;
}

/* The actions of the steps, derived once from the tables: who and when
 * come from the table at each call (G_PROCESS). One engine per program. */
#define MAX_STEP_ACTIONS 96
static struct action step_actions[MAX_STEP_ACTIONS];
static const struct process *step_process[MAX_STEP_ACTIONS]; /* the process each action's step is of */
static const struct engine *built_for;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static void step_actions_build(const struct engine *eng)
{
	size_t n = 0;
	memset(step_actions, 0, sizeof(step_actions));
	for (int i = 0; eng->processes[i]; i++)
		for (const struct step *s = eng->processes[i]->steps; s->action; s++) {
			int seen = 0;
			if (s->who == G_SYSTEM || (s->marks & M_START))
				continue; /* a ballot's outcome, an event, a record's beginning: no one takes it as a step */
			for (size_t k = 0; k < n; k++)
				seen |= !strcmp(step_actions[k].info.name, s->action);
			if (seen || n + 1 >= MAX_STEP_ACTIONS)
				continue;
			step_process[n] = eng->processes[i];
			step_actions[n++] = (struct action){
				.info = { .name = s->action, .flags = A_WRITE | s->aflags, .who = "as the process table says", .rule = s->rule,
					  .summary = s->summary ? s->summary : s->text, .body = s->spec, .query = NULL },
				.grants = G_PROCESS, .scope = s->scope ? s->scope : eng->processes[i]->scope, .run = core__step_run,
			};
		}
}

const struct action *engine_step_actions(const struct engine *eng)
{
	if (__atomic_load_n(&built_for, __ATOMIC_ACQUIRE) == eng)
		return step_actions; /* built: every call after the first */
	pthread_mutex_lock(&build_lock);
	if (built_for != eng) {
		step_actions_build(eng);
		__atomic_store_n(&built_for, eng, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&build_lock);
	return step_actions;
}

size_t engine_step_refs(const struct engine *eng, struct core_step_ref *out, size_t max)
{
	size_t n = 0;
	const struct action *a = engine_step_actions(eng);
	for (; a->info.name; a++, n++) {
		if (n >= max)
			continue;
		const struct process *p = step_process[n];
		out[n] = (struct core_step_ref){ a->info.name, p->collection, p->command, a->info.summary, "" };
		snprintf(out[n].step, sizeof(out[n].step), "%s", strchr(a->info.name, '.') + 1);
		for (char *c = out[n].step; *c; c++)
			if (*c == '_')
				*c = '-';
	}
	return n;
}

static int64_t record_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.record, "id")); }

int core__record_reload(struct ctx *x, const struct process *p, struct err *e)
{
	json_t *row = NULL;
	if (store_get(x->st, p->table, record_id(x), &row, e))
		return -1;
	json_decref(x->scope.record);
	x->scope.record = row;
	return 0;
}

/* The new state of the record in scope. What the system does in a call's
 * wake (x->acting: after a ballot closed) is its own audit event, or the
 * record's events would not say every state it had (issue 11). */
int core__record_set_status(struct ctx *x, const struct process *p, const char *status, struct err *e)
{
	json_t *before = json_pack("{sO}", "status", json_object_get(x->scope.record, "status"));
	json_t *ch = json_pack("{ss ss}", "status", status, "updated_at", x->now_iso);
	int bad = store_update(x->st, p->table, record_id(x), ch, e) || core__record_reload(x, p, e);
	json_decref(ch);
	if (bad) {
		json_decref(before);
		return -1;
	}
	if (x->acting)
		return core__audit_system(x, p->name, record_id(x), before, json_pack("{ss ss}", "status", status, "by", x->acting), e);
	json_decref(before);
	return 0;
}

/* A step on the record in scope: its guard, then its effect and the new
 * state (in the order the process wants: P_STATE_FIRST, so the effect
 * sees the record in its new state), what the process settles after
 * (versions, ballots it opens), and whom a change concerns. */
static int step_apply(struct ctx *x, const struct process *p, const struct step *s, struct err *e)
{
	json_int_t rev = json_integer_value(json_object_get(x->scope.record, "revision"));
	if (s->guard && s->guard(x, e)) {
		if (!e->rule[0] && s->rule && !err_rule(e->code))
			snprintf(e->rule, sizeof(e->rule), "%s", s->rule);
		return -1;
	}
	if (p->flags & P_STATE_FIRST) {
		if ((s->to && core__record_set_status(x, p, s->to, e)) ||
		    (s->effect && (s->effect(x, e) || core__record_reload(x, p, e))))
			return -1;
	} else {
		if ((s->effect && s->effect(x, e)) || (s->to && core__record_set_status(x, p, s->to, e)))
			return -1;
	}
	if (s->to && p->changed && p->changed(x, s, e))
		return -1;
	return p->settle ? p->settle(x, s, rev, e) : 0;
}

/* The run of every step's action: the step the door found (x->scope.step)
 * applied, the record as its process presents it, the audit event. */
int core__step_run(struct ctx *x, struct err *e)
{
	const struct process *p = core__process_in_scope(x);
	const struct step *s = x->scope.step;
	json_t *before = json_pack("{sO}", "status", json_object_get(x->scope.record, "status"));
	if (step_apply(x, p, s, e)) {
		json_decref(before);
		return -1;
	}
	if (p->flags & P_REVISED)
		x->reply->revision = json_integer_value(json_object_get(x->scope.record, "revision"));
	core__reply(x, 200, p->present ? p->present(x, x->scope.record) : json_incref(x->scope.record));
	json_t *after = json_pack("{sO ss}", "status", json_object_get(x->scope.record, "status"), "step", s->action);
	if (x->call->body)
		json_object_set(after, "request", x->call->body);
	core__audit(x, p->name, record_id(x), before, after);
	return 0;
}

/* A record as its process presents it (the scope function loaded it). */
int core__record_get(struct ctx *x, struct err *e)
{
	const struct process *p = core__process_in_scope(x);
	(void)e;
	core__reply(x, 200, p->present ? p->present(x, x->scope.record) : json_incref(x->scope.record));
	return 0;
}

/* The state a new record of p begins in: the first of its M_START rows whose
 * guard holds (else the first of p->starts). */
const char *core__start_state(struct ctx *x, const struct process *p)
{
	static __thread char first[40];
	for (const struct step *s = p->steps; s->action; s++) {
		struct err ignored = ERR_INIT;
		if ((s->marks & M_START) && (!s->guard || !s->guard(x, &ignored)))
			return s->to;
	}
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(p->starts, "|"), p->starts);
	return first;
}

int core__step_event(struct ctx *x, const char *action, struct err *e)
{
	const struct process *p = core__process_in_scope(x);
	const char *state = json_string_value(json_object_get(x->scope.record, "status"));
	const struct step *s = core__process_step(p, action, state);
	if (!s)
		return err_set(e, E_INTERNAL, NULL, "no step %s from %s", action, state);
	return step_apply(x, p, s, e);
}

/* The first system step from the record's state that when() accepts and
 * whose guard holds, applied; 0 when none (nothing follows yet). */
int core__step_when(struct ctx *x, int (*when)(struct ctx *, const struct step *, void *), void *data, struct err *e)
{
	const struct process *p = core__process_in_scope(x);
	const char *state = json_string_value(json_object_get(x->scope.record, "status"));
	for (const struct step *s = p->steps; s->action; s++) {
		struct err why = ERR_INIT;
		if (s->who != G_SYSTEM || !core__in_states(s->from, state) || !when(x, s, data))
			continue;
		if (s->guard && s->guard(x, &why))
			continue;
		return step_apply(x, p, s, e);
	}
	return 0;
}

/* What the actor may do next with the record in scope, and why not: the
 * steps possible from its state, each with allowed, and when refused the
 * reason and the rule (grants, then guards that need no input). */
int core__record_actions(struct ctx *x, struct err *e)
{
	const struct process *p = core__process_in_scope(x);
	const char *state = json_string_value(json_object_get(x->scope.record, "status"));
	json_t *items = json_array();
	(void)e;
	int64_t body = x->scope.body_id; /* the record's body (a change request's, a meeting's), 0 when none */
	for (const struct step *s = p->steps; s->action; s++) {
		struct err why = ERR_INIT;
		int ok;
		if (s->who == G_SYSTEM || !core__in_states(s->from, state))
			continue;
		x->scope.body_id = s->scope ? 0 : body;
		ok = core__grants_allow(x, s->who);
		if (!ok && (s->who & G_BODY_CHAIR) && s->scope)
			ok = core__seat_kind(x, "committee"); /* which committee is chosen when acting (the step's scope) */
		int yours = ok; /* issue 25: a step not the person's is not offered to them */
		if (!ok)
			err_set(&why, E_FORBIDDEN, NULL, "not for you: %s", s->text);
		else if (s->guard && !(s->marks & M_INPUT) && s->guard(x, &why))
			ok = 0;
		json_t *it = json_pack("{ss ss ss sb sb ss? ss?}", "action", s->action, "text", s->text, "rule", s->rule, "allowed", ok,
				       "yours", yours, "to", s->to, "consequence", s->consequence);
		if (!ok) {
			json_object_set_new(it, "reason", json_string(why.detail));
			json_object_set_new(it, "reason_rule", json_string(err_rule_of(&why) ? err_rule_of(&why) : s->rule));
		}
		json_array_append_new(items, it);
	}
	core__reply(x, 200, json_pack("{sO so}", "state", json_object_get(x->scope.record, "status"), "items", items));
	return 0;
}
