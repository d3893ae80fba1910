/* Notifications: who must hear of an event, and why, is data (the
 * notify_rules table an administrator changes); each message goes to the
 * outbox in the transaction of the change that caused it. Delivery by
 * e-mail is a separate step. Whom a role names is the domain's
 * (struct engine: people_of, notice). */
#include <stdio.h>
#include <string.h>

#include "core/engine/ctx.h"
#include "core/engine/notify.h"
#include "core/engine/outbox.h"
#include "core/engine/rows.h"

json_t *core__notify_roles(struct ctx *x, const char *event, struct err *e)
{
	json_t *where = json_pack("{ss}", "event", event), *rules = NULL, *named = json_array();
	struct store_query q = { .where = where };
	if (store_find(x->st, "notify_rules", &q, &rules, e)) {
		json_decref(named);
		named = NULL;
	}
	for (size_t i = 0; named && i < json_array_size(rules); i++)
		json_array_append(named, json_object_get(json_array_get(rules, i), "role"));
	json_decref(where);
	json_decref(rules);
	return named;
}

/* The domain says whom a role names for a record (people_of) and what the
 * message says of it (notice); record may be NULL (the domain decides
 * what that means: its record in scope). */
int core__notify(struct ctx *x, const char *event, json_t *record, const char *subject, json_t *extra, struct err *e)
{
	json_t *where = json_pack("{ss}", "event", event), *rules = NULL;
	struct store_query q = { .where = where };
	int ret = -1;
	if (store_find(x->st, "notify_rules", &q, &rules, e))
		goto out;
	for (size_t i = 0; i < json_array_size(rules); i++) {
		const char *role = json_string_value(json_object_get(json_array_get(rules, i), "role"));
		json_t *ids = json_array();
		x->eng->people_of(x, role, record, extra, ids);
		for (size_t k = 0; k < json_array_size(ids); k++) {
			json_t *p = NULL, *row;
			if (store_get(x->st, "people", json_integer_value(json_array_get(ids, k)), &p, e)) {
				json_decref(ids);
				goto out;
			}
			/* why this person gets it is the message's reason, which the
			 * mail's footer puts in words (src/mail/message.c) */
			row = json_pack("{ss sO sO ss ss ss}", "event", event, "person_id", json_object_get(p, "id"), "email",
					json_object_get(p, "email"), "reason", role, "subject", subject, "created_at", x->now_iso);
			x->eng->notice(x, record, subject, extra, row);
			int bad = core__outbox_put(x, row, NULL, e);
			json_decref(row);
			json_decref(p);
			if (bad) {
				json_decref(ids);
				goto out;
			}
		}
		json_decref(ids);
	}
	ret = 0;
out:
	json_decref(where);
	json_decref(rules);
	json_decref(extra);
	return ret;
}

/* ---- actions: the rules (the outbox: outbox.c) ---- */

int core__notify_rule_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	const char *ev = core__param(x, "event");
	if (ev)
		json_object_set_new(where, "event", json_string(ev));
	return core__list(x, "notify_rules", where, NULL, e);
}

int core__notify_rule_add(struct ctx *x, struct err *e)
{
	json_t *row = core__row_from(x, x->call->body, 1);
	int ret = core__create_row(x, "notify_rules", "notify_rule", row, NULL, "/api/v1/notification-rules/%lld", e);
	json_decref(row);
	return ret;
}

int core__notify_rule_delete(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "notify_rules", id, &row, e) ||
	    store_delete(x->st, "notify_rules", id, e)) {
		json_decref(row);
		return -1;
	}
	core__reply(x, 204, NULL);
	core__audit(x, "notify_rule", id, row, NULL);
	return 0;
}
