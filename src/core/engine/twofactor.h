/* Two-factor sign-in (issue 24): TOTP (RFC 6238, liboath) enrolled with a
 * QR code (libqrencode), single-use recovery codes kept hashed, and the
 * roles a setting (two_factor_roles) requires it of. */
#ifndef ENTENTE_CORE_ENGINE_TWOFACTOR_H
#define ENTENTE_CORE_ENGINE_TWOFACTOR_H

#include "core/engine/ctx.h"

#define CORE_RECOVERY_CODES 10

extern const struct jfield core__totp_confirm_spec[];
extern const struct jfield core__totp_password_spec[];

/* At sign-in, for person (a row of people) who has a second factor: code
 * checked (a TOTP code once per time step, or an unused recovery code,
 * then spent). E_SECOND_FACTOR when code is NULL, E_BAD_CREDENTIALS when
 * wrong. */
int core__second_factor(struct ctx *x, const json_t *person, const char *code, struct err *e);
/* 1 when person_id holds a role the setting two_factor_roles names. */
int core__two_factor_required(struct ctx *x, int64_t person_id);
/* The roles two_factor_roles may name. */
extern const char *const core__two_factor_roles[];

/* Handlers. */
int core__totp_enrol(struct ctx *x, struct err *e);
int core__totp_confirm(struct ctx *x, struct err *e);
int core__totp_disable(struct ctx *x, struct err *e);
int core__recovery_renew(struct ctx *x, struct err *e);
int core__totp_reset(struct ctx *x, struct err *e);

#endif
