/* Private to src/core/: the context of one call and the helpers the action
 * handlers share. */
#ifndef ENTENTE_CORE_INTERNAL_H
#define ENTENTE_CORE_INTERNAL_H

#include "core/core.h"

/* Grants: who may take an action (see actions.c). */
#define G_ANY      0x01u  /* any authenticated person */
#define G_ADMIN    0x02u  /* the administrator officer role */
#define G_VP       0x04u  /* the VP of Alliances (R8) */
#define G_STAFF    0x08u  /* a person of the host organization */
#define G_PARTNER  0x10u  /* a representative of the partner in scope */
#define G_OWNER    0x20u  /* the owner of the WR in scope */
#define G_PROPOSER 0x40u  /* the person who proposed the WR in scope */
#define G_SELF     0x80u  /* the person in scope is the actor */
#define G_EXEC     0x100u /* a member of the Executive Committee (R5, R31) */
#define G_BOARD    0x200u /* a member of the Board (R19) */
#define G_ORIG_CHAIR 0x400u /* the chair of the WR's Originating Committee (R16, R23) */
#define G_VOTER    0x800u /* an eligible voter of the ballot in scope */
#define G_PROCESS  0x1000u /* decided by the process table (process.c) */
#define G_BODY_MEMBER 0x2000u /* a member of the body in scope */
#define G_BODY_CHAIR 0x4000u /* the chair of the body in scope (R18, R44) */
#define G_SYSTEM   0x8000u /* the local operator or the scheduler only */

struct actor {
	int64_t person_id;       /* 0: the system */
	int64_t org_id;
	int system, staff, admin, vp;
	char label[200];         /* "Name <email>" or "system" */
	json_t *seats;           /* active memberships [{body_id, role, kind}] (owned) */
};

/* What the grants of an action are judged against. */
struct scope {
	int64_t org_id;          /* the partner organization concerned, 0 none */
	int64_t owner_id, proposer_id, person_id;
	json_t *wr;              /* the Work Register row, when in scope (owned) */
	int64_t body_id;         /* the body concerned (a ballot's, a comment's) */
	json_t *ballot;          /* the ballot row, when in scope (owned) */
	const struct step *step; /* the process row of a lifecycle action */
	const struct process *process; /* the record's process; NULL: the WR's */
	json_t *record;          /* a change request or meeting row, when in scope (owned) */
};

struct ctx {
	struct store *st;
	const struct call *call;
	const struct action_info *info;
	struct actor actor;
	struct scope scope;
	struct reply *reply;
	char now_iso[21];
	char today[11];
	/* the stamps of the state the call's snapshot sees (migration
	 * m4_stamps): kept pages and rows are valid for one (cache.c) */
	int64_t generation;      /* any change made through the door */
	int64_t people_stamp;    /* people, organizations, roles, seats, credentials */
	/* who a record names when the system acts in a call's wake (a ballot
	 * opened, a version written, because a vote closed a ballot): "system
	 * (after ballot 7 passed)"; NULL: the actor (issue 11) */
	const char *acting;
	/* the audit event of a write, filled by the handler */
	const char *target_type;
	int64_t target_id;
	json_t *before, *after;  /* owned */
};

struct action {
	struct action_info info;
	unsigned grants;
	int (*scope)(struct ctx *, struct err *);
	int (*run)(struct ctx *, struct err *);
};

extern const struct action core__actions[];

/* Parameters. */
const char *core__param(struct ctx *x, const char *key);
/* A path id: E_NOT_FOUND when absent or not a positive integer. */
int core__path_id(struct ctx *x, const char *key, int64_t *out, struct err *e);
/* A filter id: E_INVALID naming the key when malformed; 0 when absent. */
int core__query_id(struct ctx *x, const char *key, int64_t *out, struct err *e);

/* A page of rows of table matching where (consumed), as
 * {"items": [...], "next_cursor": "..."|null}; each row passed through
 * present (may be NULL) which returns a new reference. */
/* A page's parameters: ?limit (1-200, default 50) and ?cursor, a letter
 * (kind) and a number (*after, 0 for the first page); 400 otherwise. */
int core__page_params(struct ctx *x, char kind, int64_t *after, int64_t *limit, struct err *e);
int core__list(struct ctx *x, const char *table, json_t *where,
	       json_t *(*present)(struct ctx *, json_t *row), struct err *e);
/* The same, of the rows the full-text index matches with the words (NULL:
 * all). */
int core__list_matching(struct ctx *x, const char *table, json_t *where, const char *index, const char *words,
			json_t *(*present)(struct ctx *, json_t *row), struct err *e);

/* The label records carry for who did it: x->acting, else the actor's. */
const char *core__acting_label(const struct ctx *x);

/* Record the audit event of this call (references stolen). */
void core__audit(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after);
/* An event of its own, at once, for what the system does in a call's wake
 * (x->acting: a WR's new state after a ballot closed), so the record's
 * events say every state it had (references stolen). */
int core__audit_system(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after, struct err *e);
/* Set the reply (reference stolen). */
void core__reply(struct ctx *x, int status, json_t *body);

/* Copy the keys of body present in spec into a row with timestamps. */
json_t *core__row_from(struct ctx *x, const json_t *body, int creating);

/* A query filter that must be one of values, added to where. */
int core__query_enum(struct ctx *x, json_t *where, const char *key, const char *const *values, struct err *e);
/* Insert row (borrowed), reply 201 with it (through present), audit it. */
int core__create_row(struct ctx *x, const char *table, const char *type, json_t *row,
		     json_t *(*present)(struct ctx *, json_t *), const char *location_fmt, struct err *e);
/* Apply changes (borrowed) to row id, reply 200, audit before and after. */
int core__update_row(struct ctx *x, const char *table, const char *type, int64_t id, json_t *changes,
		     json_t *(*present)(struct ctx *, json_t *), struct err *e);
int core__get_row(struct ctx *x, const char *table, int64_t id, json_t *(*present)(struct ctx *, json_t *), struct err *e);
/* end_date, when given, comes after start_date. */
int core__dates_check(struct ctx *x, const json_t *row, struct err *e);

/* Seats: 1 when the actor holds an active seat in body_id (role NULL: any
 * but observer), or in any body of kind. */
int core__seat(struct ctx *x, int64_t body_id, const char *role);
int core__seat_kind(struct ctx *x, const char *kind);
/* The id of the single body of a kind (board, executive), 0 if none. */
int64_t core__body_of_kind(struct ctx *x, const char *kind);
/* The id of the first row of table whose key equals value, 0 if none. */
int64_t core__id_of(struct ctx *x, const char *table, const char *key, const char *value);

/* The lifecycle (process.c). */
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
	unsigned aflags;             /* A_CREATE: the spec's required fields are required */
	const char *summary;         /* short, for the API reference and the CLI */
	int (*scope)(struct ctx *, struct err *); /* NULL: the process's */
};
#define M_INPUT        8u    /* the guard judges the request body */
#define M_VERSION      16u   /* changes what the WR is though its state stays: a version (R50) */
#define M_START        32u   /* from "": the state a new record begins in, when its guard holds */
extern const struct step core__steps[];
extern const char *const core__states[];
/* A process: the states of one kind of record and the steps between them.
 * Three run on the one engine: the Work Register's lifecycle (process.c),
 * the change request's (cr.c) and the joint meeting's (meeting.c). */
struct process {
	const char *name;            /* "work_register", "change_request", "meeting" */
	const char *noun;            /* "Work Register", for messages */
	const char *table;           /* where its records are; "status" holds the state */
	const char *const *states;
	const char *starts;          /* where a record begins, '|'-separated */
	const char *finals;          /* closed states, '|'-separated (a step may reopen one) */
	const struct step *steps;
	/* after a step changed the state of a record other than a WR: tell
	 * whom it concerns (may be NULL) */
	int (*changed)(struct ctx *, const struct step *, struct err *);
	json_t *(*present)(struct ctx *, json_t *row); /* the reply; NULL: the row */
	int (*scope)(struct ctx *, struct err *);      /* loads a record by the path's id */
	const char *collection;      /* its records' URL: "/api/v1/work-registers" */
	const char *command;         /* its CLI word: "wr" */
};
/* The actions of every process's steps (not ballot outcomes), as the door's
 * action table has them; NULL-terminated. */
const struct action *core__process_actions(void);
extern const struct process core__wr_process, core__cr_process, core__meeting_process;
extern const struct process *const core__processes[]; /* NULL-terminated */
const struct process *core__process_named(const char *name);
const struct step *core__process_step(const struct process *p, const char *action, const char *state);
const struct step *core__step_for(const char *action, const char *state); /* the WR's */
const struct step *core__process_step_any(const struct process *p, const char *action); /* any state */
/* process check of one process (core_process_check checks every one). */
int core__process_check_one(const struct process *p, char *report, size_t n);
int core__committees_passed(struct ctx *x, json_t **missing);
int core__wr_stagnant(struct ctx *x, json_t *wr);
/* What a closed ballot of purpose ("committee", "board", "removal") sets in
 * motion on the WR in scope: the step of its state whose `on` names the
 * result and whose guard holds, if any. */
int core__step_on_ballot(struct ctx *x, const char *purpose, int passed, struct err *e);
/* The state a new record of p begins in: the first of its M_START rows whose
 * guard holds (else the first of p->starts). The creating handler writes it
 * with the row; every later state is step_apply's or record_step_run's. */
const char *core__start_state(struct ctx *x, const struct process *p);
/* Run a step no one takes directly (G_SYSTEM, not a ballot's) on the WR in scope. */
int core__step_event(struct ctx *x, const char *action, struct err *e);
int core__step_run(struct ctx *x, struct err *e);
int core__wr_set_status(struct ctx *x, const char *status, struct err *e);
int core__wr_reload(struct ctx *x, struct err *e);

/* Documents and versions (wr.c). */
json_t *core__wr_document(struct ctx *x, json_t *wr);
/* R50: what a version is, which decides its label (core__version_label). */
enum vkind {
	V_EDIT,     /* the text edited: a letter on the last number (1.0.1 -> 1.0.1a -> 1.0.1b) */
	V_STEP,     /* a step of the process: the next update number (1.0.1b -> 1.0.2) */
	V_AMEND,    /* an approved amendment applied: the next minor number (1.0.2 -> 1.1.0) */
	V_RELEASE,  /* established (R20): the next major number (0.1.4 -> 1.0.0) */
};
int core__wr_version(struct ctx *x, int64_t id, const char *summary, enum vkind kind, struct err *e);
/* The label after prev (NULL: the first version, 0.1.0); -1 when prev is
 * not a label (M.m.u with lower-case letters). */
int core__version_label(const char *prev, enum vkind kind, char *out, size_t n);
json_t *core__rows_of(struct ctx *x, const char *table, int64_t wr_id);
json_t *core__required_committees(struct ctx *x, json_t *wr);
/* R12: the template's completeness; fills e with the first gap. */
int core__wr_complete(struct ctx *x, struct err *e);
/* Table 1 changes of an amendment ({"add", "update", "replace"}) on the
 * WR in scope, checked as a draft's rows are; dry: check only. */
extern const struct jfield core__table1_changes_spec[];
int core__table1_apply(struct ctx *x, json_t *changes, int dry, struct err *e);
/* R1 at the assignment of an owner. */
int core__owner_r1(struct ctx *x, json_t *owner, struct err *e);

/* Ballots (ballot.c). */
int core__ballot_open(struct ctx *x, int64_t body_id, const char *purpose, int64_t amendment_id, int64_t *id, struct err *e);
/* A ballot of the Board of Directors (R19, R23, R29, R33). */
int core__board_ballot_open(struct ctx *x, const char *purpose, int64_t amendment_id, int64_t *id, struct err *e);
/* Close a ballot (how: "deadline" or "all voted"); runs what follows. */
int core__ballot_close(struct ctx *x, int64_t ballot_id, const char *how, struct err *e);
int core__ballot_cancel_open(struct ctx *x, int64_t wr_id, struct err *e);

/* Notifications (notify.c): queue event for the WR in scope (may be NULL)
 * to every role its rules name; extra: {"assignee": id, ...}. */
int core__notify(struct ctx *x, const char *event, json_t *wr, const char *subject, json_t *extra, struct err *e);
/* The roles the notification rules name for event (a new array, NULL on
 * error), and the people a role names for a record (its owner_id,
 * partner_id...) and extra ({"body_id": ...}, taken). */
json_t *core__notify_roles(struct ctx *x, const char *event, struct err *e);
json_t *core__notify_people(struct ctx *x, const char *role, json_t *record, json_t *extra);
/* Settings. */
const char *core__setting(struct ctx *x, const char *key, char *buf, size_t n);
/* After a ballot on an amendment closes (amend.c). */
int core__amendment_ballot_closed(struct ctx *x, json_t *ballot, int passed, struct err *e);
/* Hand-offs on establishment (tasks.c). */
int core__handoffs_create(struct ctx *x, struct err *e);

/* Lookups. */
int core__actor_load(struct ctx *x, struct err *e);
int core__is_active(struct ctx *x, const json_t *row);    /* start/end dates vs today */
int core__active_member(struct ctx *x, int64_t body_id, int64_t person_id);
int core__alliance_committee(struct ctx *x, int64_t *id, struct err *e);
int core__host_org(struct ctx *x, int64_t *id, struct err *e);
int core__exists(struct ctx *x, const char *table, int64_t id, const char *field, struct err *e);

/* Scope functions. */
int core__scope_none(struct ctx *x, struct err *e);
int core__scope_org(struct ctx *x, struct err *e);
int core__scope_person(struct ctx *x, struct err *e);
int core__scope_wr(struct ctx *x, struct err *e);
int core__scope_wr_create(struct ctx *x, struct err *e);

/* Handlers, one file per resource. */
int core__session_create(struct ctx *x, struct err *e);
int core__session_delete(struct ctx *x, struct err *e);
int core__me_get(struct ctx *x, struct err *e);
int core__token_create(struct ctx *x, struct err *e);
int core__token_revoke(struct ctx *x, struct err *e);
int core__token_list(struct ctx *x, struct err *e);
int core__password_set(struct ctx *x, struct err *e);

int core__org_list(struct ctx *x, struct err *e);
int core__org_get(struct ctx *x, struct err *e);
int core__org_create(struct ctx *x, struct err *e);
int core__org_update(struct ctx *x, struct err *e);

int core__person_list(struct ctx *x, struct err *e);
int core__person_get(struct ctx *x, struct err *e);
int core__person_create(struct ctx *x, struct err *e);
int core__person_update(struct ctx *x, struct err *e);
int core__officer_list(struct ctx *x, struct err *e);
int core__officer_add(struct ctx *x, struct err *e);
int core__officer_update(struct ctx *x, struct err *e);

int core__body_list(struct ctx *x, struct err *e);
int core__body_get(struct ctx *x, struct err *e);
int core__body_create(struct ctx *x, struct err *e);
int core__body_update(struct ctx *x, struct err *e);
int core__member_list(struct ctx *x, struct err *e);
int core__member_add(struct ctx *x, struct err *e);
int core__member_update(struct ctx *x, struct err *e);

int core__wr_list(struct ctx *x, struct err *e);
int core__wr_get(struct ctx *x, struct err *e);
int core__wr_create(struct ctx *x, struct err *e);
int core__wr_update(struct ctx *x, struct err *e);
int core__section_list(struct ctx *x, struct err *e);
int core__section_add(struct ctx *x, struct err *e);
int core__section_update(struct ctx *x, struct err *e);
int core__section_delete(struct ctx *x, struct err *e);
int core__standard_replace(struct ctx *x, struct err *e);
int core__version_list(struct ctx *x, struct err *e);
int core__version_get(struct ctx *x, struct err *e);
int core__history_list(struct ctx *x, struct err *e);
int core__standard_type_list(struct ctx *x, struct err *e);
int core__standard_type_get(struct ctx *x, struct err *e);
int core__standard_type_create(struct ctx *x, struct err *e);
int core__standard_type_update(struct ctx *x, struct err *e);
int core__standard_type_delete(struct ctx *x, struct err *e);
int core__dmtf_standard_list(struct ctx *x, struct err *e);
int core__dmtf_standard_get(struct ctx *x, struct err *e);
int core__dmtf_standard_create(struct ctx *x, struct err *e);
int core__dmtf_standard_update(struct ctx *x, struct err *e);
/* Change requests (cr.c) and joint meetings (meeting.c), section 5.3. */
int core__scope_cr(struct ctx *x, struct err *e);
int core__cr_list(struct ctx *x, struct err *e);
int core__cr_create(struct ctx *x, struct err *e);
int core__cr_message(struct ctx *x, struct err *e);
int core__scope_meeting(struct ctx *x, struct err *e);
int core__scope_meeting_create(struct ctx *x, struct err *e);
int core__scope_participant(struct ctx *x, struct err *e);
int core__meeting_list(struct ctx *x, struct err *e);
int core__record_get(struct ctx *x, struct err *e); /* cr.get, meeting.get */
int core__meeting_create(struct ctx *x, struct err *e);
int core__participant_add(struct ctx *x, struct err *e);
int core__participant_update(struct ctx *x, struct err *e);
int core__meeting_record(struct ctx *x, struct err *e);
int core__overlap_list(struct ctx *x, struct err *e); /* R41 (overlap.c) */
/* R35 (registry.c): the delegation rules' versions and the partners' agreements. */
int core__delegation_rules_record(struct ctx *x, const char *text, struct err *e);
int core__delegation_agreed(struct ctx *x, int64_t wr_id, struct err *e);
int core__delegation_rules_get(struct ctx *x, struct err *e);
int core__delegation_agree(struct ctx *x, struct err *e);
/* A joint meeting row (checked) with its participants; R45. */
int core__meeting_insert(struct ctx *x, json_t *m, int64_t *id, struct err *e);
int core__audit_list(struct ctx *x, struct err *e);

int core__scope_wr_body(struct ctx *x, struct err *e);
int core__scope_ballot(struct ctx *x, struct err *e);
int core__scope_comment(struct ctx *x, struct err *e);
int core__scope_task(struct ctx *x, struct err *e);
int core__process_show(struct ctx *x, struct err *e);
int core__wr_actions(struct ctx *x, struct err *e);
int core__markdown_render(struct ctx *x, struct err *e);
int core__grants_allow(struct ctx *x, unsigned grants);
extern const struct jfield core__markdown_spec[];
int core__public_list(struct ctx *x, struct err *e);
int core__public_get(struct ctx *x, struct err *e);
int core__public_feed(struct ctx *x, struct err *e);
int core__ballot_list(struct ctx *x, struct err *e);
int core__ballot_get(struct ctx *x, struct err *e);
int core__ballot_vote(struct ctx *x, struct err *e);
int core__comment_list(struct ctx *x, struct err *e);
int core__comment_add(struct ctx *x, struct err *e);
int core__comment_resolve(struct ctx *x, struct err *e);
int core__milestone_progress(struct ctx *x, struct err *e);
int core__amendment_list(struct ctx *x, struct err *e);
int core__amendment_get(struct ctx *x, struct err *e);
int core__amendment_create(struct ctx *x, struct err *e);
int core__amendment_classify(struct ctx *x, struct err *e);
int core__amendment_accept(struct ctx *x, struct err *e);
int core__amendment_refuse(struct ctx *x, struct err *e);
int core__amendment_withdraw(struct ctx *x, struct err *e);
int core__task_list(struct ctx *x, struct err *e);
int core__task_complete(struct ctx *x, struct err *e);
int core__me_tasks(struct ctx *x, struct err *e);
int core__review_list(struct ctx *x, struct err *e);
int core__scheduler_run(struct ctx *x, struct err *e);
int core__notify_rule_list(struct ctx *x, struct err *e);
int core__notify_rule_add(struct ctx *x, struct err *e);
int core__notify_rule_delete(struct ctx *x, struct err *e);
int core__outbox_list(struct ctx *x, struct err *e);
/* outbox.c: the delivery states of messages (issue 10) */
extern const struct jfield core__outbox_claim_spec[], core__outbox_result_spec[], core__me_spec[];
extern const char *const core__mail_modes[];
int core__outbox_put(struct ctx *x, json_t *row, int64_t *id, struct err *e);
int core__outbox_due(struct ctx *x, struct err *e);
int core__outbox_claim(struct ctx *x, struct err *e);
int core__outbox_result(struct ctx *x, struct err *e);
int core__outbox_retry(struct ctx *x, struct err *e);
int core__outbox_stats(struct ctx *x, struct err *e);
int core__outbox_digests(struct ctx *x, struct err *e);
int core__me_update(struct ctx *x, struct err *e);
/* publish.c: what the git publisher reads and records (R21) */
extern const struct jfield core__publish_record_spec[];
int core__publish_versions(struct ctx *x, struct err *e);
int core__publish_record(struct ctx *x, struct err *e);
/* R50: a version from the establishment on (1.0.0 and later, not the 0.x
 * drafts): what the public feed and the git repository publish. By label,
 * not by time: a version written in the second of the establishment but
 * before it is a draft. */
int core__version_published(const json_t *version);
/* diff.c: two versions compared (issue 11) */
int core__wr_diff(struct ctx *x, struct err *e);
int core__public_diff(struct ctx *x, struct err *e);
/* public.c: whether a WR is on the public site (R21: established, ever). */
int core__wr_public(const json_t *wr);
/* receipt.c: ballot receipts (issue 11) */
void core__voter_tag(char out[33]);
/* The vote's entry in its ballot's chain; *out (may be NULL): the receipt. */
int core__receipt_append(struct ctx *x, int64_t ballot_id, const char *tag, const char *choice, json_t **out, struct err *e);
/* At the close: the chain's head, length and tally, to be signed. */
int core__seal_write(struct ctx *x, int64_t ballot_id, const json_t *tally, struct err *e);
extern const struct jfield core__receipt_check_spec[], core__seal_spec[];
int core__ballot_receipts(struct ctx *x, struct err *e);
int core__ballot_receipt_check(struct ctx *x, struct err *e);
int core__seal_due(struct ctx *x, struct err *e);
int core__seal_sign(struct ctx *x, struct err *e);
/* For audit verify: every ballot's receipts, votes and seal (problems into found). */
int core__receipts_verify(struct ctx *x, json_t *found, struct err *e);

/* chain.c: the audit log as a hash chain (issue 11) */
int core__chain_append(struct ctx *x, json_t *row, struct err *e);
int core__audit_tip(struct ctx *x, struct err *e);
int core__audit_verify(struct ctx *x, struct err *e);
int core__audit_head(struct ctx *x, struct err *e);
int core__audit_export(struct ctx *x, struct err *e);
extern const struct jfield core__checkpoint_spec[];
int core__checkpoint_record(struct ctx *x, struct err *e);
int core__checkpoint_list(struct ctx *x, struct err *e);
/* calendar.c: the calendar feeds */
int core__calendar_rotate(struct ctx *x, struct err *e);
int core__calendar_person(struct ctx *x, struct err *e);
int core__calendar_public(struct ctx *x, struct err *e);
int core__metrics_read(struct ctx *x, struct err *e);
int core__settings_get(struct ctx *x, struct err *e);
int core__settings_update(struct ctx *x, struct err *e);
int core__comment_from_vote(struct ctx *x, const char *text, int64_t ballot_id, int64_t body_id, const char *author,
			    int64_t author_id, struct err *e);
extern const struct jfield core__vote_spec[], core__comment_spec[], core__resolve_spec[], core__progress_spec[],
	core__amendment_spec[], core__classify_spec[], core__notify_rule_spec[], core__settings_spec[];

/* Field specifications of the bodies (shared with the OpenAPI document). */
extern const struct jfield core__standard_type_spec[], core__dmtf_standard_spec[], core__delegation_agree_spec[], core__note_spec[];
extern const struct jfield core__cr_spec[], core__cr_message_spec[], core__cr_discuss_spec[];
extern const struct jfield core__meeting_spec[], core__participant_spec[], core__participant_update_spec[],
	core__meeting_record_spec[], core__meeting_open_spec[];
extern const struct jfield core__org_spec[], core__person_spec[], core__body_spec[],
	core__member_spec[], core__officer_spec[], core__wr_spec[], core__milestone_spec[],
	core__contact_spec[], core__standard_spec[], core__session_spec[], core__replace_spec[],
	core__token_spec[], core__password_spec[];

/* An id as a JSON object's key ("12"), for sets and maps of ids. */
void core__id_key(const json_t *id, char key[24]);

/* cache.c: 1 and the page in the reply, 0 (a miss, the reply marked), -1 */
int core__cache_lookup(struct ctx *x, struct err *e);
/* An actor kept at the call's generation and date (1, x->actor filled);
 * keep the one just loaded. */
int core__actor_kept(struct ctx *x);
/* core_authenticate in the call's snapshot, with its kept rows. */
int core__authenticate(struct ctx *x, const char *kind, const char *secret, int64_t *person_id, char csrf[65],
		       struct err *e);
/* A row kept by key at the call's generation and date (a new reference),
 * or NULL; keep one (shared: never change a kept row). */
json_t *core__row_kept(struct ctx *x, const char *key, int64_t stamp);
void core__row_keep(struct ctx *x, const char *key, int64_t stamp, json_t *row);
void core__actor_keep(struct ctx *x);

#endif
