/* Who hears of what in DSP4003: the roles the notification rules name,
 * the people each role names for a record, and what a message says. The
 * engine queues them (engine/notify.c). */
#ifndef ENTENTE_CORE_DOMAIN_NOTICE_H
#define ENTENTE_CORE_DOMAIN_NOTICE_H

#include "core/engine/ctx.h"

/* A notification rule: an event and the role it tells (the roles DSP4003 has). */
extern const struct jfield core__notify_rule_spec[];
/* struct engine's people_of: the people a role names for a WR (NULL: the
 * WR in scope, if any) and extra ({"body_id", "voters", "assignee"...}), into ids. */
void core__notice_people(struct ctx *x, const char *role, json_t *wr, json_t *extra, json_t *ids);
/* The same as a new array; extra taken. */
json_t *core__notify_people(struct ctx *x, const char *role, json_t *record, json_t *extra);
/* struct engine's notice and describe: a message's body, link and WR;
 * what a deliverer needs of its WR (the title, for the thread). */
void core__notice(struct ctx *x, json_t *wr, const char *subject, json_t *extra, json_t *row);
void core__notice_describe(struct ctx *x, const json_t *message, json_t *item);

#endif
