/* People manage their own access (issue 24): invitations and password
 * resets by single-use links, their own password, their sessions, their
 * second factor (twofactor.c), what the system holds about them. */
#ifndef ENTENTE_CORE_ENGINE_ACCOUNT_H
#define ENTENTE_CORE_ENGINE_ACCOUNT_H

#include "core/engine/ctx.h"

#define CORE_INVITATION_SECONDS (7 * 24 * 3600)
#define CORE_RESET_SECONDS 3600

extern const struct jfield core__invitation_spec[];
extern const struct jfield core__link_spec[];
extern const struct jfield core__link_use_spec[];
extern const struct jfield core__forgot_spec[];
extern const struct jfield core__password_change_spec[];

/* Handlers. */
int core__invitation_create(struct ctx *x, struct err *e);
int core__invitation_list(struct ctx *x, struct err *e);
int core__invitation_resend(struct ctx *x, struct err *e);
int core__invitation_revoke(struct ctx *x, struct err *e);
int core__link_check(struct ctx *x, struct err *e);
int core__link_use(struct ctx *x, struct err *e);
int core__password_forgot(struct ctx *x, struct err *e);
int core__password_change(struct ctx *x, struct err *e);
int core__session_list(struct ctx *x, struct err *e);
int core__session_end(struct ctx *x, struct err *e);
int core__session_touch(struct ctx *x, struct err *e);
int core__person_sessions_end(struct ctx *x, struct err *e);
int core__me_export(struct ctx *x, struct err *e);

#endif
