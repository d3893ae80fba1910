/* The sections of a Work Register (milestones, contacts, Table 1 of
 * standards, R12, R28, R34-R41) edited row by row in a draft, and an
 * amendment's changes of Table 1 checked and applied (table1.c). */
#ifndef ENTENTE_CORE_DOMAIN_TABLE1_H
#define ENTENTE_CORE_DOMAIN_TABLE1_H

#include "core/engine/ctx.h"

extern const struct jfield core__milestone_spec[];
extern const struct jfield core__contact_spec[];
extern const struct jfield core__standard_spec[];
/* Table 1 changes of an amendment ({"add", "update", "replace"}) on the
 * WR in scope, checked as a draft's rows are; dry: check only. */
extern const struct jfield core__table1_changes_spec[];
extern const struct jfield core__replace_spec[];
/* Handlers: milestones, contacts and standards by the action's prefix. */
int core__section_list(struct ctx *x, struct err *e);
int core__section_add(struct ctx *x, struct err *e);
int core__section_update(struct ctx *x, struct err *e);
int core__section_delete(struct ctx *x, struct err *e);
int core__standard_replace(struct ctx *x, struct err *e);
/* Table 1 changes (core__table1_changes_spec) on the WR in scope; dry:
 * check only. */
int core__table1_apply(struct ctx *x, json_t *ch, int dry, struct err *e);
/* Listener of "wr.ended": a withdrawn or removed WR releases its rows' AP
 * identifiers (R38). */
int core__table1_wr_ended(struct ctx *x, json_t *wr, struct err *e);

#endif
