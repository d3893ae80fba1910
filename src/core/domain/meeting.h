/* Joint meetings between a DMTF body and a partner (DSP4003 5.3.2,
 * R45-R49), under the DMTF IP policy: every announcement carries the
 * policy or its link from the settings, and cannot go out without it (R46);
 * the chair records at the outset that the policy was read (R47); each
 * participant from a company that is not a DMTF member acknowledges it,
 * silent observers included, recorded per person with time and the version
 * of the text (R48); while a non-member who is present has not accepted,
 * or declined and has not left, the meeting is halted: nothing more is
 * recorded in it (R49). Its states are a process table of the one engine. */
#ifndef ENTENTE_CORE_DOMAIN_MEETING_H
#define ENTENTE_CORE_DOMAIN_MEETING_H

#include "core/engine/ctx.h"
#include "core/engine/process.h"

extern const struct jfield core__participant_spec[];
extern const struct jfield core__meeting_spec[];
extern const struct jfield core__participant_update_spec[];
extern const struct jfield core__meeting_record_spec[];
extern const struct jfield core__meeting_open_spec[];
/* A joint meeting row (checked) with its participants; R45. */
int core__meeting_insert(struct ctx *x, json_t *m, int64_t *id, struct err *e);
extern const struct process core__meeting_process;
int core__scope_meeting(struct ctx *x, struct err *e);
int core__scope_meeting_create(struct ctx *x, struct err *e);
int core__meeting_create(struct ctx *x, struct err *e);
int core__meeting_list(struct ctx *x, struct err *e);
int core__participant_add(struct ctx *x, struct err *e);
int core__scope_participant(struct ctx *x, struct err *e);
int core__participant_update(struct ctx *x, struct err *e);
int core__meeting_record(struct ctx *x, struct err *e);

#endif
