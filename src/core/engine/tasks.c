/* Tasks: work assigned to a person (or to an address) that the process
 * waits on, listed and completed through the door; who is told of a new
 * one is the notification rules' ("task.created"). */
#include <stdio.h>
#include <string.h>

#include "core/engine/ctx.h"
#include "core/engine/notify.h"
#include "core/engine/rows.h"
#include "core/engine/tasks.h"

int core__task_add(struct ctx *x, json_t *about, const char *kind, const char *rule, json_t *assignee, json_t *recipients, json_t *payload,
		  struct err *e)
{
	json_t *row = json_pack("{ss ss sO so so ss ss ss}", "kind", kind, "rule", rule,
				"assignee_id", assignee ? assignee : json_null(), "recipients", recipients, "payload", payload,
				"status", "open", "created_at", x->now_iso, "updated_at", x->now_iso);
	json_object_update(row, about); /* the record it is about: {"wr_id": 7} */
	json_decref(about);
	int ret = store_insert(x->st, "tasks", row, NULL, e);
	json_decref(row);
	if (ret)
		return -1;
	return core__notify(x, "task.created", NULL, kind, json_pack("{sO}", "assignee", assignee ? assignee : json_null()), e);
}

int core__task_list(struct ctx *x, struct err *e)
{
	static const char *const statuses[] = { "open", "done", NULL };
	json_t *where = json_object();
	if (core__query_enum(x, where, "status", statuses, e) || core__query_ids(x, where, e)) {
		json_decref(where);
		return -1;
	}
	return core__list(x, "tasks", where, NULL, e);
}

int core__scope_task(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *t = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "tasks", id, &t, e))
		return err_set(e, E_NOT_FOUND, NULL, "no such task");
	x->scope.person_id = json_integer_value(json_object_get(t, "assignee_id"));
	json_decref(t);
	return 0;
}

int core__task_complete(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *cur = NULL, *ch = NULL, *after = NULL;
	int ret = -1;
	core__path_id(x, "id", &id, e);
	if (store_get(x->st, "tasks", id, &cur, e))
		return -1;
	if (!strcmp(json_string_value(json_object_get(cur, "status")), "done")) {
		err_set(e, E_CONFLICT, "status", "the task is already done");
		goto out;
	}
	ch = json_pack("{ss ss ss ss}", "status", "done", "done_by", x->actor.label, "done_at", x->now_iso, "updated_at", x->now_iso);
	if (store_update(x->st, "tasks", id, ch, e) || store_get(x->st, "tasks", id, &after, e))
		goto out;
	core__reply(x, 200, json_incref(after));
	core__audit(x, "task", id, cur, json_incref(after));
	cur = NULL;
	ret = 0;
out:
	json_decref(cur);
	json_decref(ch);
	json_decref(after);
	return ret;
}

