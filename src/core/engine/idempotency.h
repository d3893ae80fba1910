/* A write answered once (issue 25): a person's write sent with an
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) is kept with
 * its answer for a day, in the write's own transaction; the same key
 * again, for the same request, gets that answer back and changes nothing
 * (a double click, a retry after a lost answer); for another request, a
 * 422. One table (idempotency_keys), so every server sharing the database
 * knows every key. */
#ifndef ENTENTE_CORE_ENGINE_IDEMPOTENCY_H
#define ENTENTE_CORE_ENGINE_IDEMPOTENCY_H
#include "core/engine/ctx.h"

#define CORE_IDEMPOTENCY_KEY_MAX 255

/* The key checked (1 to 255 printable ASCII characters), then looked up:
 * 1 when the call was answered before (the reply is that answer), 0 when
 * not, -1 on a refusal (another request under the key, a bad key). print
 * gets the request's fingerprint, for keep. */
int core__idempotency_replay(struct ctx *x, const char *key, char print[65], struct err *e);
/* Keep the call's answer under key and the fingerprint replay gave, in the
 * call's transaction. */
int core__idempotency_keep(struct ctx *x, const char *key, const char print[65], struct err *e);
#endif
