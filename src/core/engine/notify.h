/* Notifications: who must hear of an event, and why, is data (the
 * notify_rules table an administrator changes); each message goes to the
 * outbox in the transaction of the change that caused it. Delivery by
 * e-mail is a separate step. Whom a role names is the domain's
 * (struct engine: people_of, notice). */
#ifndef ENTENTE_CORE_ENGINE_NOTIFY_H
#define ENTENTE_CORE_ENGINE_NOTIFY_H

#include "core/engine/ctx.h"

/* The roles the notification rules name for event (a new array, NULL on
 * error). */
json_t *core__notify_roles(struct ctx *x, const char *event, struct err *e);
/* Queue event about record (may be NULL: the domain's record in scope)
 * for every person each role its rules name (struct engine: people_of,
 * notice); extra (taken, may be NULL): {"assignee": id, "about": text,
 * "link": ...}. */
int core__notify(struct ctx *x, const char *event, json_t *record, const char *subject, json_t *extra, struct err *e);
/* Handlers of the rules. */
int core__notify_rule_list(struct ctx *x, struct err *e);
int core__notify_rule_add(struct ctx *x, struct err *e);
int core__notify_rule_delete(struct ctx *x, struct err *e);

#endif
