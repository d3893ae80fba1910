/* Reference data an administrator keeps: the DMTF specification types of
 * Table 1 (R37; DSP4004 is not part of the seed, so the list is data) and
 * the register of DMTF standards (DSP number, title, version, owning body)
 * to which a partner's change requests are routed (R42, R44). A type or a
 * standard that records refer to is retired, never deleted or renamed, so
 * every Table 1 row and change request keeps meaning what it meant. */
#ifndef ENTENTE_CORE_DOMAIN_REGISTRY_H
#define ENTENTE_CORE_DOMAIN_REGISTRY_H

#include "core/engine/ctx.h"

extern const struct jfield core__standard_type_spec[];
/* Field specifications of the bodies (shared with the OpenAPI document). */
extern const struct jfield core__dmtf_standard_spec[];
int core__standard_type_list(struct ctx *x, struct err *e);
int core__standard_type_get(struct ctx *x, struct err *e);
int core__standard_type_create(struct ctx *x, struct err *e);
int core__standard_type_update(struct ctx *x, struct err *e);
int core__standard_type_delete(struct ctx *x, struct err *e);
int core__dmtf_standard_list(struct ctx *x, struct err *e);
int core__dmtf_standard_get(struct ctx *x, struct err *e);
int core__dmtf_standard_create(struct ctx *x, struct err *e);
int core__dmtf_standard_update(struct ctx *x, struct err *e);
/* Field specifications of the bodies (shared with the OpenAPI document). */
extern const struct jfield core__delegation_agree_spec[];
/* R35 (registry.c): the delegation rules' versions and the partners' agreements. */
int core__delegation_rules_record(struct ctx *x, const char *text, struct err *e);
int core__delegation_agreed(struct ctx *x, int64_t wr_id, struct err *e);
int core__delegation_rules_get(struct ctx *x, struct err *e);
int core__delegation_agree(struct ctx *x, struct err *e);

#endif
