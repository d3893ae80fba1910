/* Change control of an established WR. An amendment carries its class and
 * the changed sections; the engine derives the approvals it needs:
 *   contacts only      Originating Committee (R24 spares it the Board only), partner
 *   deliverables       Originating Committee, every other affected committee, partner (R28)
 *   scope extension    Originating Committee, Board, partner (R29)
 *   other change       Originating Committee (R22), Board when significant (R23), partner
 * Committee ballots open at submission; the Board's once the committees
 * approved; the partner accepts (or, proposing it, gave its approval). With
 * every approval given, the change becomes a new approved version with its
 * change-history row (R50), and the review clock restarts (R27). */
#ifndef ENTENTE_CORE_DOMAIN_AMEND_H
#define ENTENTE_CORE_DOMAIN_AMEND_H

#include "core/engine/ctx.h"

extern const struct jfield core__amendment_spec[];
extern const struct jfield core__classify_spec[];
/* The listener of "ballot.closed" for amendments' ballots. */
int core__amendment_ballot_closed(struct ctx *x, json_t *event, struct err *e);
/* The listener of "wr.ended". */
int core__amendment_wr_ended(struct ctx *x, json_t *wr, struct err *e);
int core__amendment_create(struct ctx *x, struct err *e);
int core__amendment_list(struct ctx *x, struct err *e);
int core__amendment_get(struct ctx *x, struct err *e);
int core__amendment_accept(struct ctx *x, struct err *e);
int core__amendment_refuse(struct ctx *x, struct err *e);
int core__amendment_classify(struct ctx *x, struct err *e);
int core__amendment_withdraw(struct ctx *x, struct err *e);

#endif
