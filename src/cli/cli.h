/* The command line: entente.c holds the command table; each file of
 * src/cli/ parses its options, makes calls through core's one door as the
 * local operator, and prints. */
#ifndef ENTENTE_CLI_H
#define ENTENTE_CLI_H

#include <jansson.h>

#include "core/core.h"
#include "store/store.h"

#define NEED_DB 1u   /* open (and migrate) the database before running */

struct cli {
	const char *db_path;
	struct store *st;   /* open when the command has NEED_DB */
	const char *prog;   /* "entente org add" for messages */
	int64_t as_person;  /* --as: act as this person instead of the operator */
	struct cfg *cfg;    /* the configuration read (cli/config.h) */
	int64_t now_offset; /* seconds added to the clock of each call: the
			     * demo's story of an alliance set up years ago */
	/* the command line as given, before the configuration's options were
	 * placed in it, and its --config and --db: entente serve reads the
	 * configuration again at SIGHUP (cli/serve.c) */
	int argc_given;
	char **argv_given;
	const char *config_given, *db_given;
};

struct command {
	const char *name;   /* "org add" */
	int (*fn)(struct cli *, int argc, char **argv);
	unsigned flags;
	const char *help;   /* one line; --help prints more */
	const char *action; /* for generic commands: the core action */
};

extern const struct command cli_commands[];

/* Call core as the local operator. On failure prints the problem to stderr
 * and returns -1. *out (may be NULL) gets the reply body. */
int cli_call(struct cli *c, const char *action, json_t *params, json_t *body, json_t **out);
/* The same with an If-Match. */
int cli_call_if(struct cli *c, const char *action, json_t *params, json_t *body, const char *if_match, json_t **out);

/* Call with body (consumed), no parameters, no reply wanted. */
int cli_call_take(struct cli *c, const char *action, json_t *body);

/* Create through action and return the new id, 0 on failure (printed).
 * params and body (either may be NULL) are consumed. */
int64_t cli_make(struct cli *c, const char *action, json_t *params, json_t *body);

/* The generic resource command: options are the action's fields. */
int cli_generic(struct cli *c, const struct command *cmd, int argc, char **argv);

/* Print a reply: --json prints JSON, otherwise a short table or record. */
void cli_print(json_t *v, int as_json);

/* The mail options (cli/mail.c), for serve and outbox deliver. */
enum { MAIL_OPT_URL = 1000, MAIL_OPT_STARTTLS, MAIL_OPT_USER, MAIL_OPT_PASSWORD, MAIL_OPT_FROM, MAIL_OPT_BASE,
       MAIL_OPT_INTERVAL, MAIL_OPT_LEASE, MAIL_OPT_RETRY, MAIL_OPT_ATTEMPTS, MAIL_OPT_CA, MAIL_OPT_INSECURE };
#define MAIL_OPTS \
	{ "smtp-url", required_argument, NULL, MAIL_OPT_URL }, { "smtp-starttls", no_argument, NULL, MAIL_OPT_STARTTLS }, \
	{ "smtp-user", required_argument, NULL, MAIL_OPT_USER }, { "smtp-password-file", required_argument, NULL, MAIL_OPT_PASSWORD }, \
	{ "mail-from", required_argument, NULL, MAIL_OPT_FROM }, { "base-url", required_argument, NULL, MAIL_OPT_BASE }, \
	{ "mail-interval", required_argument, NULL, MAIL_OPT_INTERVAL }, { "mail-lease", required_argument, NULL, MAIL_OPT_LEASE }, \
	{ "mail-retry-base", required_argument, NULL, MAIL_OPT_RETRY }, { "mail-attempts", required_argument, NULL, MAIL_OPT_ATTEMPTS }, \
	{ "smtp-ca-file", required_argument, NULL, MAIL_OPT_CA }, { "smtp-insecure", no_argument, NULL, MAIL_OPT_INSECURE }
struct mail_config;
extern const char cli_mail_usage[];
int cli_mail_option(const char *prog, int ch, const char *arg, struct mail_config *mc, unsigned *interval);
int cmd_outbox_deliver(struct cli *c, int argc, char **argv);
int cmd_publish(struct cli *c, int argc, char **argv);
int cmd_audit_verify(struct cli *c, int argc, char **argv);
int cmd_audit_checkpoint(struct cli *c, int argc, char **argv);
int cmd_audit_export(struct cli *c, int argc, char **argv);
int cmd_audit_check(struct cli *c, int argc, char **argv);
int cmd_ballot_verify_receipt(struct cli *c, int argc, char **argv);

/* Subcommands with their own code. */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_seed(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_process(struct cli *c, int argc, char **argv);
int cmd_migrate(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_openapi(struct cli *c, int argc, char **argv);
int cmd_user_add(struct cli *c, int argc, char **argv);
int cmd_user_passwd(struct cli *c, int argc, char **argv);
int cmd_user_disable(struct cli *c, int argc, char **argv);
int cmd_token_create(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_keys_rotate(struct cli *c, int argc, char **argv);
int cmd_copy_db(struct cli *c, int argc, char **argv);

/* Hold the database (DB.lock, cli/admin.c) until the process ends: the
 * descriptor, or -1 when another entente holds it (said on stderr with
 * its pid and command, and that it must stop before doing). shared: on a
 * database server, other servers may hold it too (issue 26); a file is
 * always held alone. */
int cli_hold_database(struct cli *c, const char *doing, int shared);

/* getopt_long over argv with a --help that prints usage. Returns the option
 * character, -1 at the end, 'h' after printing help, '?' on a bad option. */
struct option;
int cli_next_opt(int argc, char **argv, const struct option *opts, const char *usage);
#define HELP_OPT { "help", no_argument, NULL, 'h' }

/* Open the database (issue 23) into c->st. A new one is given the schema;
 * one of this binary's schema is used as it is; an older one only when
 * migrate is asked for, and then after a backup beside it; a newer one
 * never. Returns the migrations applied, or -1 (said on stderr). */
int cli_open_db(struct cli *c, int migrate);

/* Read a password: the first line of file, or NULL on error (printed). */
char *cli_read_secret(const char *file);

#endif
