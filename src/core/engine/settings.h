/* The settings of an installation: key and value rows, read by the
 * handlers, shown and changed through the door; which keys there are and
 * what each must be is the domain's (struct engine: settings, setting_check). */
#ifndef ENTENTE_CORE_ENGINE_SETTINGS_H
#define ENTENTE_CORE_ENGINE_SETTINGS_H

#include "core/engine/ctx.h"

/* A setting's value into buf ("" when unset). */
const char *core__setting(struct ctx *x, const char *key, char *buf, size_t n);
/* Handlers: the permission to read /metrics (the server renders them),
 * the settings shown and changed. */
int core__metrics_read(struct ctx *x, struct err *e);
int core__settings_get(struct ctx *x, struct err *e);
int core__settings_update(struct ctx *x, struct err *e);

#endif
