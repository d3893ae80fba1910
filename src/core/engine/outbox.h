/* The outbox's delivery states (issue 10). Who hears of what is
 * notify.c's; here each message moves, through the door like every other
 * change, from held or queued to sent or dead:
 *
 *   held ──(daily digest, scheduler)──> digested      (inside a digest message)
 *   queued|retrying ──claim──> sending ──result──> sent | retrying | dead
 *   sending, lease ended (the deliverer died) ──claim──> sending again
 *   dead|retrying ──retry (administrator)──> queued
 *
 * A message is "sent" only when the deliverer reports that the mail server
 * accepted it; the deliverer (src/mail/) owns the network and the retry
 * policy, core keeps the states and refuses a report from a deliverer whose
 * claim is no longer the message's. */
#ifndef ENTENTE_CORE_ENGINE_OUTBOX_H
#define ENTENTE_CORE_ENGINE_OUTBOX_H

#include "core/engine/ctx.h"

/* How a person takes mail: "immediate", "daily". */
extern const char *const core__mail_modes[];
/* The bodies of a deliverer's claim and report (issue 10), and of a
 * person's own mail preferences. */
extern const struct jfield core__outbox_claim_spec[];
extern const struct jfield core__outbox_result_spec[];
extern const struct jfield core__me_spec[];
/* Queue a message row (borrowed) in the call's transaction; *id (may be NULL). */
int core__outbox_put(struct ctx *x, json_t *row, int64_t *id, struct err *e);
/* Handlers: the outbox, a deliverer's claims and reports, digests. */
int core__outbox_list(struct ctx *x, struct err *e);
int core__outbox_due(struct ctx *x, struct err *e);
int core__outbox_claim(struct ctx *x, struct err *e);
int core__outbox_result(struct ctx *x, struct err *e);
int core__outbox_retry(struct ctx *x, struct err *e);
int core__outbox_stats(struct ctx *x, struct err *e);
int core__me_update(struct ctx *x, struct err *e);
int core__outbox_digests(struct ctx *x, struct err *e);

#endif
