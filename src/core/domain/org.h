/* Organizations, people and officer roles. */
#ifndef ENTENTE_CORE_DOMAIN_ORG_H
#define ENTENTE_CORE_DOMAIN_ORG_H

#include "core/engine/ctx.h"

extern const struct jfield core__org_spec[];
extern const struct jfield core__person_spec[];
extern const struct jfield core__officer_spec[];
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

#endif
