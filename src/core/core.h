/* entente's core as its callers (the HTTP server, the CLI, the mail,
 * git and seal workers) use it: the DSP4003 domain (domain/) on the
 * process engine (engine/). Every read and every change, from the API, the
 * CLI or the scheduler, is a call: actor + action + arguments + now,
 * handed to core_call(). The action table (domain/actions.c) says who may
 * take each action and which rule it cites; the door (engine/door.c)
 * checks it, runs the action in one store transaction, appends the audit
 * event and commits, or changes nothing. Core never reads the clock and
 * never prints. */
#ifndef ENTENTE_CORE_H
#define ENTENTE_CORE_H

#include "core/engine/engine.h"

/* The domain's door (engine_call on the DSP4003 engine, domain/actions.c). */
int core_call(struct store *st, const struct call *c, struct reply *r, struct err *e);

/* NULL when there is no such action. */
const struct action_info *core_action_info(const char *name);
/* Issue 22 (domain/answers.c): the name in the document of an action's
 * answer, and its JSON Schema (NULL when it is not yet written); the
 * schemas those answers refer to that no action answers alone. */
const char *core_answer_name(const char *action);
json_t *core_answer_schema(const char *action);
/* A list's: {"properties": {...}} its answer has beside items (issue 24:
 * the checkpoints' keys), a new reference; NULL when none. */
json_t *core_answer_beside(const char *action);
json_t *core_answer_parts(void);
/* Calls fn for each action in table order. */
void core_actions_each(void (*fn)(const struct action_info *, void *), void *data);

/* Every step a person takes in a process (struct core_step_ref): fills
 * out with up to max of them; returns how many there are. */
size_t core_step_refs(struct core_step_ref *out, size_t max);

/* A process table (engine/check.c): {"name", "states": [...], "steps": [...]};
 * name "work_register" (NULL too), "change_request" or "meeting"; NULL
 * when there is no such process. */
json_t *core_process_table(const char *name);
/* Explore every process table; 0 when all are sound, else -1; report says
 * what it found. */
int core_process_check(char *report, size_t n);
/* A table as a Graphviz graph. */
void core_process_dot(FILE *f, const char *name);

/* Ballot receipts (receipt.c): an entry's hash; the text a ballot's seal
 * signs and whether its signature holds; a receipt code parsed (NULL when
 * malformed); and the whole check of a receipt against a published chain
 * (GET /ballots/{id}/receipts) under public_key (NULL: the seal's own):
 * {ok, verdict: counted|superseded|changed|missing|not proven|
 * altered receipt, problems,
 * tally, head, entries, sealed}, a new reference. Pure. */
void core_receipt_hash(long long ballot, const char *tag, const char *choice, long long seq, const char *prev, char out[65]);
void core_seal_text(long long ballot, long long count, const char *head, long long yes, long long no, long long abstain,
		    const char *closed_at, char *out, size_t n);
int core_seal_valid(const json_t *seal);
json_t *core_receipt_parse(const char *code);
json_t *core_receipt_check(const json_t *chain, const char *code, const char *public_key);

#endif
