/* What a process table says of itself: the table as data (process show,
 * the web application's forms), as a Graphviz graph, and its check, which
 * explores every way through it. The generic soundness is the engine's;
 * what a domain must also hold along a way (DSP4003: no Board ballot
 * before every committee approved) it says through its process's
 * marks_after and forbids. */
#include <stdio.h>
#include <string.h>

#include "core/engine/check.h"
#include "core/engine/ctx.h"
#include "core/engine/process.h"

static void who_text(unsigned g, char *buf, size_t n)
{
	static const struct { unsigned g; const char *name; } names[] = {
		{ G_ADMIN, "administrator" }, { G_VP, "VP of Alliances" }, { G_STAFF, "host staff" },
		{ G_PARTNER, "partner representative" }, { G_OWNER, "owner" }, { G_PROPOSER, "proposer" },
		{ G_EXEC, "Executive Committee member" }, { G_BOARD, "Board member" }, { G_BODY_CHAIR, "committee chair" },
		{ G_ANY, "whoever may create it" }, { G_SYSTEM, "(the system: a vote's result or an event)" },
	};
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (g & names[i].g) {
			int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", names[i].name);
			if (w < 0 || (size_t)w >= n - used)
				break;
			used += (size_t)w;
		}
}

/* A request body's fields, for forms built from the table. */
static json_t *spec_fields(const struct jfield *spec)
{
	static const char *const types[] = { [JT_STR] = "string", [JT_TEXT] = "text", [JT_ID] = "id", [JT_INT] = "int", [JT_BOOL] = "bool",
					     [JT_DATE] = "date", [JT_EMAIL] = "email", [JT_URL] = "url", [JT_ENUM] = "enum",
					     [JT_ARRAY] = "array", [JT_OBJECT] = "object" };
	json_t *out = json_array();
	for (const struct jfield *f = spec; f && f->name; f++) {
		json_t *it = json_pack("{ss ss sb ss? ss?}", "name", f->name, "type", types[f->type], "required", !!(f->flags & JF_REQUIRED),
				       "label", f->label, "rule", f->rule);
		if (f->type == JT_ENUM) {
			json_t *en = json_array();
			for (int i = 0; f->enums[i]; i++)
				json_array_append_new(en, json_string(f->enums[i]));
			json_object_set_new(it, "enum", en);
		}
		if (f->type == JT_OBJECT || f->type == JT_ARRAY)
			json_object_set_new(it, "fields", spec_fields(f->items));
		json_array_append_new(out, it);
	}
	return out;
}

json_t *engine_process_table(const struct engine *eng, const char *name)
{
	const struct process *p = engine_process_named(eng, name);
	if (!p)
		return NULL;
	json_t *rows = json_array(), *states = json_array();
	for (const struct step *s = p->steps; s->action; s++) {
		char who[200];
		who_text(s->who, who, sizeof(who));
		json_array_append_new(rows, json_pack("{ss ss ss? ss ss ss sb ss? ss? ss? so ss?}", "action", s->action, "from", s->from, "to",
						      s->to, "who", who, "rule", s->rule, "text", s->text, "guarded", s->guard != NULL,
						      "on", s->on, "opens", s->opens, "summary", s->summary, "body", spec_fields(s->spec),
						      "consequence", s->consequence));
	}
	for (int i = 0; p->states[i]; i++)
		json_array_append_new(states, json_pack("{ss ss? ss? sb sb}", "state", p->states[i], "label", p->labels ? p->labels[i] : NULL,
							"tone", p->tones ? p->tones[i] : NULL, "final", core__in_states(p->finals, p->states[i]),
							"start", core__in_states(p->starts, p->states[i])));
	return json_pack("{ss ss so so}", "name", p->name, "table", p->table, "states", states, "steps", rows);
}

int core__process_show(struct ctx *x, struct err *e)
{
	const char *name = core__param(x, "name");
	json_t *t = engine_process_table(x->eng, name);
	if (!t) {
		char names[200];
		size_t used = 0;
		names[0] = '\0';
		for (int i = 0; x->eng->processes[i]; i++) {
			int w = snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", x->eng->processes[i]->name);
			if (w < 0 || (size_t)w >= sizeof(names) - used)
				break;
			used += (size_t)w;
		}
		err_set(e, E_INVALID, "name", "no process '%s': %s", name, names);
		return -1;
	}
	core__reply(x, 200, t);
	return 0;
}

static int state_index(const struct process *p, const char *s)
{
	for (int i = 0; p->states[i]; i++)
		if (!strcmp(p->states[i], s))
			return i;
	return -1;
}

/* Explore (state, marks) pairs from where records begin; marks are what
 * the domain tracks along a way (p->marks_after). Fails on an unknown
 * state, an unreachable state, a non-final state with no way out, a state
 * from which no way leads to a final one (a loop with no exit), a closed
 * state left without a reason (a step with input), or a step the domain
 * forbids with the marks it is taken with (p->forbids). */
int core__process_check_one(const struct process *p, char *report, size_t n)
{
	const struct step *steps = p->steps;
	const char *const *states = p->states;
	enum { NS = 16, NM = P_MARKS };
	int seen[NS][NM] = { { 0 } }, reached[NS] = { 0 }, out[NS] = { 0 };
	int queue[NS * NM][2], qh = 0, qt = 0, bad = 0, nstates = 0;
	size_t used = 0;
#define SAY(...) do { int w_ = snprintf(report + used, n > used ? n - used : 0, __VA_ARGS__); if (w_ > 0) used += (size_t)w_; } while (0)
	report[0] = '\0';
	while (states[nstates])
		nstates++;
	if (nstates > NS) {
		SAY("%s: more than %d states\n", p->name, NS);
		return -1;
	}
	for (const struct step *s = steps; s->action; s++) {
		char from[200];
		snprintf(from, sizeof(from), "%s", s->from);
		for (char *save = NULL, *t = strtok_r(from, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
			if (state_index(p, t) < 0) {
				SAY("step %s: unknown state %s\n", s->action, t);
				bad = 1;
			} else {
				out[state_index(p, t)] |= s->to && strcmp(s->to, t);
			}
		}
		if (s->to && state_index(p, s->to) < 0) {
			SAY("step %s: unknown state %s\n", s->action, s->to);
			bad = 1;
		}
	}
	if (bad)
		return -1;
	int declared = 0; /* where records begin: the M_START rows, else p->starts */
	for (const struct step *s = steps; s->action; s++)
		declared |= !!(s->marks & M_START);
	for (int si = 0; si < nstates; si++) {
		int start = 0;
		for (const struct step *s = steps; declared && s->action; s++)
			start |= (s->marks & M_START) && s->to && !strcmp(s->to, states[si]);
		if (!(declared ? start : core__in_states(p->starts, states[si])))
			continue;
		seen[si][0] = 1;
		queue[qt][0] = si;
		queue[qt++][1] = 0;
	}
	while (qh < qt) {
		int st = queue[qh][0], marks = queue[qh++][1];
		reached[st] = 1;
		for (const struct step *s = steps; s->action; s++) {
			if (!core__in_states(s->from, states[st]))
				continue;
			int to = s->to ? state_index(p, s->to) : st;
			int m = p->marks_after ? p->marks_after(s, marks) & (P_MARKS - 1) : 0;
			char why[300];
			if (core__in_states(p->finals, states[st]) && to != st && !(s->marks & M_INPUT)) {
				SAY("step %s reopens the closed state %s without a reason\n", s->action, states[st]);
				bad = 1;
			}
			if (p->forbids && p->forbids(s, states[st], states[to], marks, m, why, sizeof(why))) {
				SAY("step %s %s\n", s->action, why);
				bad = 1;
			}
			if (!seen[to][m]) {
				seen[to][m] = 1;
				queue[qt][0] = to;
				queue[qt++][1] = m;
			}
		}
	}
	/* every record can always end: from each state some way leads to a
	 * final one (a fixed point over the steps; a loop with no exit fails it) */
	int ends[NS] = { 0 }, grew = 1;
	for (int i = 0; i < nstates; i++)
		ends[i] = core__in_states(p->finals, states[i]);
	while (grew) {
		grew = 0;
		for (const struct step *s = steps; s->action; s++) {
			int to = s->to ? state_index(p, s->to) : -1;
			if (to < 0 || !ends[to])
				continue;
			for (int i = 0; i < nstates; i++)
				if (!ends[i] && core__in_states(s->from, states[i]))
					ends[i] = grew = 1;
		}
	}
	for (int i = 0; i < nstates; i++) {
		if (!reached[i]) {
			SAY("state %s is unreachable\n", states[i]);
			bad = 1;
		}
		if (!core__in_states(p->finals, states[i]) && !out[i]) {
			SAY("state %s is not final and has no way out\n", states[i]);
			bad = 1;
		}
		if (reached[i] && !ends[i]) {
			SAY("state %s can never reach a final state\n", states[i]);
			bad = 1;
		}
	}
	/* issue 25: every state has its words and its tone */
	static const char *const tones[] = { "work", "vote", "done", "ended", NULL };
	for (int i = 0; i < nstates; i++) {
		int known = 0;
		for (int t = 0; p->tones && p->tones[i] && tones[t]; t++)
			known |= !strcmp(tones[t], p->tones[i]);
		if (!p->labels || !p->labels[i] || !*p->labels[i] || !known) {
			SAY("state %s has no words or no tone (work, vote, done, ended) for people\n", states[i]);
			bad = 1;
		}
	}
	/* issue 25: a person's step that closes the record for good (a final
	 * state no person's step leaves) or opens something (s->opens) says what it does,
	 * for the person to confirm first */
	for (const struct step *s = steps; s->action; s++) {
		int for_good = s->to && core__in_states(p->finals, s->to);
		for (const struct step *o = steps; for_good && o->action; o++)
			for_good = !(o->who != G_SYSTEM && core__in_states(o->from, s->to) && o->to && strcmp(o->to, s->to));
		if (s->who != G_SYSTEM && (for_good || s->opens) && !s->consequence) {
			if (s->opens)
				SAY("step %s opens \"%s\" but names no consequence to confirm\n", s->action, s->opens);
			else
				SAY("step %s closes the record for good but names no consequence to confirm\n", s->action);
			bad = 1;
		}
	}
	/* not a failure but worth a look (issue 21, 10): a state every way out
	 * of which waits on something outside the table (a guard, or an event
	 * such as a ballot's result), where a record can be stuck */
	for (int i = 0; i < nstates; i++) {
		int exits = 0, free = 0;
		if (!reached[i] || core__in_states(p->finals, states[i]))
			continue;
		for (const struct step *s = steps; s->action; s++)
			if (core__in_states(s->from, states[i]) && s->to && strcmp(s->to, states[i])) {
				exits++;
				free |= s->who != G_SYSTEM && !s->guard;
			}
		if (exits && !free)
			SAY("note: %s: state %s is left only on a condition outside the table (a guard or an event)\n", p->name, states[i]);
	}
	if (!bad)
		SAY("%s: process ok: %d states, every one reachable, no dead end, every record can end, a closed state left only "
		    "with a reason, every step that cannot be undone asks first, every state in words%s%s\n",
		    p->name, nstates, p->promises ? ", " : "", p->promises ? p->promises : "");
#undef SAY
	return bad ? -1 : 0;
}

int engine_process_check(const struct engine *eng, char *report, size_t n)
{
	int bad = 0;
	size_t used = 0;
	report[0] = '\0';
	for (int i = 0; eng->processes[i] && used < n; i++) {
		bad |= core__process_check_one(eng->processes[i], report + used, n - used) != 0;
		used += strlen(report + used);
	}
	return bad ? -1 : 0;
}

void engine_process_dot(const struct engine *eng, FILE *f, const char *name)
{
	const struct process *p = engine_process_named(eng, name);
	if (!p)
		p = eng->processes[0];
	fprintf(f, "digraph %s {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n", p->name);
	for (int i = 0; p->states[i]; i++)
		if (core__in_states(p->finals, p->states[i]))
			fprintf(f, "  %s [peripheries=2];\n", p->states[i]);
	for (const struct step *s = p->steps; s->action; s++) {
		char from[200];
		snprintf(from, sizeof(from), "%s", s->from);
		for (char *save = NULL, *t = strtok_r(from, "|", &save); t; t = strtok_r(NULL, "|", &save))
			fprintf(f, "  %s -> %s [label=\"%s (%s)\"%s];\n", t, s->to ? s->to : t, strchr(s->action, '.') + 1, s->rule,
				s->who == G_SYSTEM ? ", style=dashed" : "");
	}
	fprintf(f, "}\n");
}
