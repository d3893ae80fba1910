/* The one door: every call is checked against the action table, run in one
 * transaction, audited, and committed, or it changes nothing. */
#ifndef ENTENTE_CORE_ENGINE_DOOR_H
#define ENTENTE_CORE_ENGINE_DOOR_H

#include "core/engine/engine.h"

/* A domain's action by name (NULL when none), and each in table order. */
const struct action_info *engine_action_info(const struct engine *eng, const char *name);
void engine_actions_each(const struct engine *eng, void (*fn)(const struct action_info *, void *), void *data);
/* One call through the door on a domain (core_call is the DSP4003 one). */
int engine_call(const struct engine *eng, struct store *st, const struct call *call, struct reply *r, struct err *e);

#endif
