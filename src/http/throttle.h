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
 * memory in a fixed table (oldest entries are reused). Time is an
 * argument, in seconds. */
#ifndef ENTENTE_HTTP_THROTTLE_H
#define ENTENTE_HTTP_THROTTLE_H

#include <stdint.h>

#define THROTTLE_PAIR_FREE    5   /* failures of one address on one account before back-off */
#define THROTTLE_ACCOUNT_FREE 10  /* failures on one account from unknown addresses */
#define THROTTLE_ADDRESS_FREE 30  /* failures from one address on any account */
#define THROTTLE_FIRST_WAIT   15  /* seconds, doubled at each further failure */
#define THROTTLE_MAX_WAIT     900 /* the back-off never exceeds 15 minutes */
#define THROTTLE_FORGET       900 /* failures older than this are forgotten */

struct throttle_ticket {
	int slots[3];               /* the entries counted: pair, account, address (-1: none) */
};

/* Begin an attempt of address on account (both already normalized). 0
 * and t filled when it may go on (it is counted now); otherwise the
 * seconds to wait. */
int throttle_begin(const char *account, const char *address, int64_t now, struct throttle_ticket *t);
/* End an attempt begun: ok 1 for a right password. */
void throttle_end(const struct throttle_ticket *t, const char *account, const char *address, int64_t now, int ok);
/* Issue 24: a count per key in a fixed window (the requests for a
 * password-reset link, by address and by account): 0 when one more may go
 * on (it is counted), else the seconds until the window ends. */
int rate_take(const char *key, int64_t now, int max, int window);

/* Forget everything (tests). */
void throttle_reset(void);

#endif
