/* The process engine: a process is a table of steps between the states of
 * one kind of record (struct process, struct step), given by the domain.
 * The door asks it whether an action is a step possible in the record's
 * state and who takes it (G_PROCESS); it runs the step: guard, effect, the
 * record's new state (the only writer of a record's status), what the
 * process does after (settle), the reply and the audit event. Steps no one
 * takes (G_SYSTEM) run when the domain says so (core__step_event,
 * core__step_when). It names no kind of record: the tables do. */
#ifndef ENTENTE_CORE_ENGINE_PROCESS_H
#define ENTENTE_CORE_ENGINE_PROCESS_H

#include "core/engine/ctx.h"

struct step {
	const char *action;      /* "wr.socialize" */
	const char *from;        /* states, '|'-separated */
	const char *to;          /* NULL: the state does not change */
	unsigned who;            /* grants; G_SYSTEM for ballot outcomes */
	int (*guard)(struct ctx *, struct err *);
	int (*effect)(struct ctx *, struct err *);
	unsigned marks;          /* M_INPUT, M_VERSION: how the engine treats it */
	const char *rule;
	const char *text;
	/* What the engine does around the effect; process check derives what a
	 * step establishes from these, from who takes it and where it leads. */
	const char *on;          /* the ballot result that runs it (G_SYSTEM):
				  * "committee:failed", "committees:passed" (every
				  * involved committee passed), "board:passed", ... */
	const char *opens;       /* the ballot it opens: "committee:origin" (the
				  * Originating Committee's), "committee:request"
				  * (the body_id asked for), "board", "removal" (both
				  * the Board's) */
	/* The action a person takes for it: derived from these, never listed
	 * again (door, routes, CLI, OpenAPI, the web application's forms). */
	const struct jfield *spec;   /* its request body; NULL: none */
	unsigned aflags;             /* A_BODY: the spec's required fields are required */
	const char *summary;         /* short, for the API reference and the CLI */
	int (*scope)(struct ctx *, struct err *); /* NULL: the process's */
	/* issue 25: what the person is asked to confirm before a step that
	 * cannot be undone ("The partner is told; this cannot be undone");
	 * process check requires it of a step that closes the record for good
	 * or opens a ballot. NULL: the step is taken at once. */
	const char *consequence;
};
#define M_INPUT        8u    /* the guard judges the request body */
#define M_VERSION      16u   /* changes what the record is though its state stays: a version (R50) */
#define M_START        32u   /* from "": the state a new record begins in, when its guard holds */

/* A process: the states of one kind of record and the steps between them,
 * given by the domain (DSP4003: the Work Register's lifecycle, the change
 * request's and the joint meeting's, one engine for the three). */
struct process {
	const char *name;            /* "work_register", "change_request", "meeting" */
	const char *noun;            /* "Work Register", for messages */
	const char *table;           /* where its records are; "status" holds the state */
	const char *const *states;
	/* issue 25: each state in words, for people (the web application, the
	 * mails), and its tone: "work" (being worked on), "vote" (waiting on
	 * a ballot or an answer), "done" (reached), "ended" (closed without
	 * it); both in the order of states. The API's values stay the names. */
	const char *const *labels;
	const char *const *tones;
	const char *starts;          /* where a record begins, '|'-separated */
	const char *finals;          /* closed states, '|'-separated (a step may reopen one) */
	const struct step *steps;
	unsigned flags;              /* P_STATE_FIRST, P_REVISED */
	/* after a step changed the record's state: tell whom it concerns (may be NULL) */
	int (*changed)(struct ctx *, const struct step *, struct err *);
	/* after a step's state and effect: what else the process does (its
	 * versions, the ballots a step opens); rev: the record's revision
	 * before the step (may be NULL) */
	int (*settle)(struct ctx *, const struct step *, int64_t rev, struct err *);
	json_t *(*present)(struct ctx *, json_t *row); /* the reply, a new reference; NULL: the row */
	int (*scope)(struct ctx *, struct err *);      /* loads a record by the path's id */
	const char *collection;      /* its records' URL: "/api/v1/work-registers" */
	const char *command;         /* its CLI word: "wr" */
	/* process check (check.c): what the domain tracks along a way through
	 * the table (marks below P_MARKS) and what it forbids of a step taken
	 * with them (1 and why); promises: what the verdict adds when they hold */
	int (*marks_after)(const struct step *s, int marks);
	int (*forbids)(const struct step *s, const char *from, const char *to, int marks, int after, char *why, size_t n);
	const char *promises;
};
#define P_STATE_FIRST 1u  /* a step's effect sees the record in its new state */
#define P_REVISED     2u  /* the record has a revision: the reply's ETag */
#define P_MARKS       64  /* marks_after's marks are below this */

/* A state of p in words (its name when p has none for it). */
const char *core__state_label(const struct process *p, const char *state);
/* 1 when state is one of states ('|'-separated). */
int core__in_states(const char *states, const char *state);
/* A process by name (NULL: the first); of the call's engine; of the record
 * in scope (its scope function names it, else the first). */
const struct process *engine_process_named(const struct engine *eng, const char *name);
const struct process *core__process_named(struct ctx *x, const char *name);
const struct process *core__process_in_scope(struct ctx *x);
/* The step of action possible in state (NULL: none); in any state. */
const struct step *core__process_step(const struct process *p, const char *action, const char *state);
const struct step *core__process_step_any(const struct process *p, const char *action);
/* The actions of every process's steps (not ballot outcomes and
 * beginnings), as the door's action table has them; NULL-terminated;
 * and the steps as routes and commands name them. */
const struct action *engine_step_actions(const struct engine *eng);
size_t engine_step_refs(const struct engine *eng, struct core_step_ref *out, size_t max);
/* The record in scope read again; its new state written (with its own
 * audit event when the system acts, x->acting). */
int core__record_reload(struct ctx *x, const struct process *p, struct err *e);
int core__record_set_status(struct ctx *x, const struct process *p, const char *status, struct err *e);
/* The run of every step's action; a record's get (cr.get, meeting.get);
 * what the actor may do next with it, and why not. */
int core__step_run(struct ctx *x, struct err *e);
int core__record_get(struct ctx *x, struct err *e);
int core__record_actions(struct ctx *x, struct err *e);
/* The state a new record of p begins in: the first of its M_START rows whose
 * guard holds (else the first of p->starts). The creating handler writes it
 * with the row; every later state is the engine's. */
const char *core__start_state(struct ctx *x, const struct process *p);
/* Run a step no one takes directly (G_SYSTEM) on the record in scope: by
 * its action; the first whose `when` holds (a ballot's result, for one). */
int core__step_event(struct ctx *x, const char *action, struct err *e);
int core__step_when(struct ctx *x, int (*when)(struct ctx *, const struct step *, void *), void *data, struct err *e);

#endif
