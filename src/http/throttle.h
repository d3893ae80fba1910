/* Sign-in throttling (OWASP ASVS 2.2.1): exponential back-off on three
 * keys at once, so that
 * - one address guessing one account is slowed after a few failures
 *   (the pair),
 * - one address spraying many accounts is slowed (the address),
 * - many addresses guessing one account are slowed (the account), except
 *   from the addresses the account's owner signed in from before: a
 *   guesser elsewhere cannot lock the owner out.
 * An attempt is counted when it begins, before the password is hashed,
 * so simultaneous guesses cannot all slip under a limit. State is kept in
 * the database (its throttle table, issue 26): several servers on one
 * database count together, and a restart forgets nothing. Each step is a
 * write transaction of its own on the store given (no transaction open on
 * it); -1 with e when the database cannot be read or written (the caller
 * refuses the attempt, as any write then). Time is an argument, in
 * seconds. */
#ifndef ENTENTE_HTTP_THROTTLE_H
#define ENTENTE_HTTP_THROTTLE_H

#include <stdint.h>

#include "store/store.h"

#define THROTTLE_PAIR_FREE    5   /* failures of one address on one account before back-off */
#define THROTTLE_ACCOUNT_FREE 10  /* failures on one account from unknown addresses */
#define THROTTLE_ADDRESS_FREE 30  /* failures from one address on any account */
#define THROTTLE_FIRST_WAIT   15  /* seconds, doubled at each further failure */
#define THROTTLE_MAX_WAIT     900 /* the back-off never exceeds 15 minutes */
#define THROTTLE_FORGET       900 /* failures older than this are forgotten */

struct throttle_ticket {
	int counted[3];             /* the keys the attempt counts on: pair, account, address */
};

/* Begin an attempt of address on account (both already normalized). 0
 * and t filled when it may go on (it is counted now); otherwise the
 * seconds to wait, or -1. */
int throttle_begin(struct store *st, const char *account, const char *address, int64_t now, struct throttle_ticket *t,
		   struct err *e);
/* End an attempt begun: ok 1 for a right password. 0 or -1. */
int throttle_end(struct store *st, const struct throttle_ticket *t, const char *account, const char *address, int64_t now,
		 int ok, struct err *e);
/* Issue 24: a count per key in a fixed window (the requests for a
 * password-reset link, by address and by account): 0 when one more may go
 * on (it is counted), else the seconds until the window ends, or -1. */
int rate_take(struct store *st, const char *key, int64_t now, int max, int window, struct err *e);

#endif
