/* Signed checkpoints of the audit chain (issue 11): the signer holds an
 * Ed25519 key in a file outside the database (created by entente init),
 * signs the chain's head and length, and records the checkpoint through
 * the door; the public site publishes them, so outsiders hold copies. */
#ifndef ENTENTE_SEAL_H
#define ENTENTE_SEAL_H

#include <jansson.h>

#include "lib/err.h"
#include "store/store.h"

/* The key file: path when given, else $ENTENTE_SIGNING_KEY, else the
 * database's path with ".signing-key" appended (into out). */
void seal_key_path(const char *given, const char *db_path, char *out, size_t n);
/* Create the key file (mode 0600) unless it exists; 1 when made. */
int seal_key_ensure(const char *path, struct err *e);
/* The public key of the key file, as 64 hex characters. */
int seal_public_key(const char *path, char out[65], struct err *e);
/* Sign and record a checkpoint of the chain as it stands, unless the last
 * checkpoint already covers it (force: sign anyway). 1 when made. */
int seal_checkpoint(struct store *st, const char *key_path, const char *reason, int force, struct err *e);
/* Issue 23: whether the database was rolled back behind the last
 * checkpoint this signer made (its witness, beside the key): 1 with why
 * and *witness (the caller's) when its chain stops before that
 * checkpoint or differs there; 0 when not (or no checkpoint yet); -1 on
 * failure (why). */
int seal_rollback_check(struct store *st, const char *key_path, char *why, size_t n, json_t **witness);
/* The operator accepted it: recorded in the chain, and a checkpoint of
 * the chain as it is now (the witness with it). */
int seal_rollback_accept(struct store *st, const char *key_path, const json_t *witness, struct err *e);
/* Sign the seals of the ballots closed since (their receipts' chain head,
 * length and tally, issue 11); how many were signed, -1 on failure. */
int seal_ballots(struct store *st, const char *key_path, struct err *e);
/* Issue 24: entente keys rotate. The chain records the rotation (old and
 * new public key), the old key signs a last checkpoint covering it, the
 * old key file is kept as KEY.retired-<UTC time> (0600), the new key
 * (made first as KEY.new) takes KEY, and signs a checkpoint, which renews
 * the rollback witness. The caller holds the database (DB.lock). A
 * rotation cut short resumes with KEY.new. */
struct seal_rotation {
	char old_key[65], new_key[65]; /* public keys, hex */
	char retired[1200];            /* where the old key file is kept */
	int resumed;                   /* KEY.new was there: an interrupted rotation finished */
};
int seal_key_rotate(struct store *st, const char *key_path, struct seal_rotation *r, struct err *e);
/* The retired key files beside key_path (KEY.retired-*), oldest first: a
 * new array of paths (for entente backup). */
json_t *seal_retired_keys(const char *key_path);
/* entente serve: checkpoints when a version is published (establishment,
 * amendment, review, removal) and every interval_s when the chain moved;
 * the closed ballots' seals as soon as they close. */
int seal_worker_start(const char *db_path, const char *key_path, unsigned interval_s, struct err *e);
void seal_worker_stop(void);

#endif
