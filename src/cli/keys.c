/* entente keys rotate (issue 24): a new checkpoint signing key. The old
 * one is retired, not destroyed: its file is kept beside the new, its
 * public key stays published with its period of validity, and what it
 * signed (checkpoints, ballot seals) still verifies. seal.c does the
 * work; this file parses, holds the database and prints. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "seal/seal.h"

int cmd_keys_rotate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "signing-key", required_argument, NULL, 'K' }, { "help", no_argument, NULL, 'h' }, { 0 } };
	const char *usage =
		"usage: entente keys rotate [--signing-key PATH]\n\n"
		"Makes a new Ed25519 key for the audit chain's checkpoints and the ballots' seals, and retires\n"
		"the old one, which stays published (/registers/checkpoints) with its period of validity: what it\n"
		"signed still verifies. In order: the rotation is recorded in the audit chain (the old and the new\n"
		"public key); the old key signs a last checkpoint, which covers that record (the old key vouches\n"
		"for its successor: audit check --public-key OLD accepts the new key's checkpoints); the old key\n"
		"file is kept as PATH.retired-<UTC time> (0600; entente backup takes it too); the new key takes\n"
		"PATH and signs a checkpoint, which renews PATH.last-checkpoint, so serve starts as usual.\n"
		"Refused while a server holds the database: stop it first. A rotation cut short leaves\n"
		"PATH.new, and is finished with that same key when run again.\n"
		"  --signing-key PATH   else the configuration's signing_key, else the database's path + .signing-key\n";
	const char *given = NULL;
	char key[1100];
	struct seal_rotation r;
	struct err e = ERR_INIT;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'K': given = optarg; break;
		case 'h': printf("%s", usage); return 0;
		default: return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	/* the server signs with the key it read at start: it must not be
	 * running while the key changes under it */
	if (cli_hold_database(c, "rotating the signing key", 0) < 0)
		return 1;
	seal_key_path(given, c->db_path, key, sizeof(key));
	if (seal_key_rotate(c->st, key, &r, &e)) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 1;
	}
	printf("signing key %s rotated%s\nold public key: %s (retired; its file kept as %s)\nnew public key: %s\n", key,
	       r.resumed ? " (an interrupted rotation finished)" : "", r.old_key, r.retired, r.new_key);
	return 0;
}
