/* Ballot receipts (issue 11). Every vote cast is an entry of its ballot's
 * own hash chain, and its receipt is the entry's hash:
 *
 *   receipt = BLAKE2b-256 of the compact JSON array
 *             ["entente-ballot-receipt-1", ballot_id, voter_tag, choice, seq, prev]
 *
 * seq counts the votes cast in the ballot from 1 (a changed vote is a new
 * entry); prev is the receipt before it (64 zeros for the first); the
 * voter_tag stands for the voter: 32 random hex digits drawn at their first
 * vote in the ballot and kept for their later ones, so the chain can be
 * shown to whoever may see the ballot without saying who voted how (the
 * body's members see the names beside the tags, as they see the votes).
 *
 * The voter keeps the receipt code (entente-receipt-1.BALLOT.SEQ.TAG.
 * CHOICE.PREV.RECEIPT): it recomputes by itself. At the close the chain's
 * head, length and tally are written in the close's own transaction (a
 * seal), and the server's signer signs them (Ed25519, the checkpoint key):
 *
 *   entente ballot seal v1\nballot N\ncount C\nhead H\n
 *   tally yes Y no N abstain A\nclosed_at T\n
 *
 * core_receipt_check, pure, is the check the server (POST
 * /ballots/{id}/receipt-check), the CLI against the database and the CLI
 * against a published chain alone (entente ballot verify-receipt --chain)
 * all run: the receipt's own hash, the chain entry by entry, the receipt
 * in its place, the voter's final entry, the tally recomputed from the
 * final entries against the published one, the seal's signature and head. */
#ifndef ENTENTE_CORE_DOMAIN_RECEIPT_H
#define ENTENTE_CORE_DOMAIN_RECEIPT_H

#include "core/engine/ctx.h"

/* For audit verify: the receipts, votes and seal of each ballot of
 * ballots ({id: true}; NULL: every ballot), a ballot at a time (problems
 * into found). */
int core__receipts_verify(struct ctx *x, const json_t *ballots, json_t *found, struct err *e);
/* The vote's entry in its ballot's chain; *out (may be NULL): the receipt. */
int core__receipt_append(struct ctx *x, int64_t ballot_id, const char *tag, const char *choice, json_t **out, struct err *e);
/* A voter's secret tag (hex), for a receipt. */
void core__voter_tag(char out[33]);
/* At the close: the chain's head, length and tally, to be signed. */
int core__seal_write(struct ctx *x, int64_t ballot_id, const json_t *tally, struct err *e);
int core__ballot_receipts(struct ctx *x, struct err *e);
extern const struct jfield core__receipt_check_spec[];
int core__ballot_receipt_check(struct ctx *x, struct err *e);
int core__seal_due(struct ctx *x, struct err *e);
extern const struct jfield core__seal_spec[];
int core__seal_sign(struct ctx *x, struct err *e);

#endif
