/* The settings DSP4003 asks for (the engine keeps them: engine/settings.c):
 * their specification, and what a change of one checks or sets in motion. */
#ifndef ENTENTE_CORE_DOMAIN_SETTINGS_H
#define ENTENTE_CORE_DOMAIN_SETTINGS_H

#include "core/engine/ctx.h"

extern const struct jfield core__settings_spec[];
/* struct engine's setting_check. */
int core__setting_check(struct ctx *x, const char *key, const char *value, struct err *e);

#endif
