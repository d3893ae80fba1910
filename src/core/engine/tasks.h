/* Tasks: work assigned to a person (or to an address) that the process
 * waits on, listed and completed through the door; who is told of a new
 * one is the notification rules' ("task.created"). */
#ifndef ENTENTE_CORE_ENGINE_TASKS_H
#define ENTENTE_CORE_ENGINE_TASKS_H

#include "core/engine/ctx.h"

/* A task for assignee (may be NULL: recipients, addresses, act on it)
 * about a record (about, taken: {"wr_id": 7}); tells "task.created". */
int core__task_add(struct ctx *x, json_t *about, const char *kind, const char *rule, json_t *assignee, json_t *recipients, json_t *payload,
		  struct err *e);
/* Handlers. */
int core__task_list(struct ctx *x, struct err *e);
int core__scope_task(struct ctx *x, struct err *e);
int core__task_complete(struct ctx *x, struct err *e);

#endif
