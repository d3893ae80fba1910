/* Ballots of a body (a committee or the Board) on a frozen version of a WR,
 * an amendment or a removal. The eligible voters and the body's rules are
 * copied when it opens; one vote per voter (the write lock of the door's
 * transaction and a UNIQUE index make it atomic); a voter may change their
 * vote until it closes, at its deadline or as soon as every eligible voter
 * has voted; a closed ballot never changes (a trigger refuses it). */
#ifndef ENTENTE_CORE_DOMAIN_BALLOT_H
#define ENTENTE_CORE_DOMAIN_BALLOT_H

#include "core/engine/ctx.h"

extern const struct jfield core__vote_spec[];
/* A committee's ballot on the WR in scope (purpose "committee", or
 * "amendment" with its id): eligible voters, notices; *id the new ballot. */
int core__ballot_open(struct ctx *x, int64_t body_id, const char *purpose, int64_t amendment_id, int64_t *id, struct err *e);
/* A ballot of the Board of Directors (R19, R23, R29, R33). */
int core__board_ballot_open(struct ctx *x, const char *purpose, int64_t amendment_id, int64_t *id, struct err *e);
/* Close a ballot (how: "deadline" or "all voted"); runs what follows. */
int core__ballot_close(struct ctx *x, int64_t ballot_id, const char *how, struct err *e);
int core__ballot_cancel_open(struct ctx *x, int64_t wr_id, struct err *e);
int core__scope_ballot(struct ctx *x, struct err *e);
/* The same without the list of eligible voters, for a vote (issue 27). */
int core__scope_ballot_lean(struct ctx *x, struct err *e);
int core__ballot_get(struct ctx *x, struct err *e);
int core__ballot_list(struct ctx *x, struct err *e);
int core__ballot_vote(struct ctx *x, struct err *e);

#endif
