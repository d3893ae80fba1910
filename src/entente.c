/* entente: the command table, like git.c. Global options are read once
 * here; NEED_DB opens and migrates the database for the command, so no
 * subcommand can forget to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "cli/cli.h"
#include "cli/config.h"
#include "lib/util.h"


static int cmd_version(struct cli *c, int argc, char **argv);
static int cmd_help(struct cli *c, int argc, char **argv);

const struct command cli_commands[] = {
	{ "init", cmd_init, 0, "create the database, the host organization, its bodies and an administrator", NULL },
	{ "demo", cmd_demo, NEED_DB, "add demonstration data (partners, people, a draft Work Register)", NULL },
	{ "seed", cmd_seed, NEED_DB, "add many WRs, people and votes through the one door, for measuring (--wrs --people --votes)", NULL },
	{ "serve", cmd_serve, 0, "serve the API and the web application until SIGTERM", NULL },
	{ "migrate", cmd_migrate, 0, "apply the database migrations not yet applied", NULL },
	{ "backup", cmd_backup, NEED_DB, "one archive of the database, signing key, publication repository and configuration, while in use", NULL },
	{ "restore", cmd_restore, 0, "check a backup archive and put it back into a new directory", NULL },
	{ "copy-db", cmd_copy_db, 0, "copy a whole database into a new one, SQLite and PostgreSQL either way (issue 26)", NULL },
	{ "openapi", cmd_openapi, 0, "print the OpenAPI document of the API", NULL },
	{ "user add", cmd_user_add, NEED_DB, "add a person with an account (password from a file or generated)", NULL },
	{ "user list", NULL, NEED_DB, "list people", "person.list" },
	{ "user passwd", cmd_user_passwd, NEED_DB, "set a person's password", NULL },
	{ "user disable", cmd_user_disable, NEED_DB, "disable an account (--enable to enable it again)", NULL },
	{ "user invite", NULL, NEED_DB, "invite a person by mail: a link to choose their password, valid 7 days (issue 24)", "invitation.create" },
	{ "user invitations", NULL, NEED_DB, "list invitations and their state", "invitation.list" },
	{ "user reinvite", NULL, NEED_DB, "send an invitation again with a new link (--id N)", "invitation.resend" },
	{ "user uninvite", NULL, NEED_DB, "withdraw an invitation (--id N)", "invitation.revoke" },
	{ "user end-sessions", NULL, NEED_DB, "end every session of a person (--id N)", "person.sessions_end" },
	{ "user reset-two-factor", NULL, NEED_DB, "remove a person's second factor after a lost device (--id N)", "totp.reset" },
	{ "token create", cmd_token_create, NEED_DB, "create an API token for a person (printed once)", NULL },
	{ "token revoke", NULL, NEED_DB, "revoke an API token", "token.revoke" },
	{ "token list", NULL, NEED_DB, "list API tokens (never their secrets)", "token.list" },
	{ "org list", NULL, NEED_DB, "list organizations", "org.list" },
	{ "org show", NULL, NEED_DB, "show an organization", "org.get" },
	{ "org add", NULL, NEED_DB, "add an organization", "org.create" },
	{ "org set", NULL, NEED_DB, "change an organization", "org.update" },
	{ "person list", NULL, NEED_DB, "list people", "person.list" },
	{ "person show", NULL, NEED_DB, "show a person", "person.get" },
	{ "person add", NULL, NEED_DB, "add a person (no account)", "person.create" },
	{ "person set", NULL, NEED_DB, "change a person", "person.update" },
	{ "officer list", NULL, NEED_DB, "list officer roles", "officer.list" },
	{ "officer add", NULL, NEED_DB, "give a person an officer role (vp_alliances, admin)", "officer.add" },
	{ "officer set", NULL, NEED_DB, "change or end an officer role", "officer.update" },
	{ "body list", NULL, NEED_DB, "list bodies", "body.list" },
	{ "body show", NULL, NEED_DB, "show a body and its ballot rules", "body.get" },
	{ "body add", NULL, NEED_DB, "add a body", "body.create" },
	{ "body set", NULL, NEED_DB, "change a body or its ballot rules", "body.update" },
	{ "body members", NULL, NEED_DB, "list a body's members", "member.list" },
	{ "body member-add", NULL, NEED_DB, "add a member to a body", "member.add" },
	{ "body member-set", NULL, NEED_DB, "change or end a membership", "member.update" },
	{ "wr list", NULL, NEED_DB, "list Work Registers", "wr.list" },
	{ "wr show", NULL, NEED_DB, "show a Work Register with every section", "wr.get" },
	{ "wr create", NULL, NEED_DB, "propose a Work Register", "wr.create" },
	{ "wr set", NULL, NEED_DB, "edit a Work Register draft", "wr.update" },
	{ "wr versions", NULL, NEED_DB, "list a Work Register's versions", "version.list" },
	{ "wr version", NULL, NEED_DB, "show one version (--sub-id N)", "version.get" },
	{ "wr history", NULL, NEED_DB, "show a Work Register's change history (R50)", "history.list" },
	{ "wr diff", NULL, NEED_DB, "compare two versions (--from REV|LABEL --to REV|LABEL)", "wr.diff" },
	{ "milestone add", NULL, NEED_DB, "add a milestone to a Work Register (--id WR)", "milestone.add" },
	{ "contact add", NULL, NEED_DB, "add a partner contact to a Work Register (--id WR)", "contact.add" },
	{ "standard add", NULL, NEED_DB, "add a Table 1 row to a Work Register (--id WR)", "standard.add" },
	{ "delegation rules", NULL, NEED_DB, "the delegation rules in force and their versions (R35)", "delegation_rules.get" },
	{ "delegation agree", NULL, NEED_DB, "record a partner's agreement to the rules in force (--id WR --rules-version N --as EMAIL, R35)", "delegation.agree" },
	{ "overlaps", NULL, NEED_DB, "which domains which partners' Table 1 rows cover, and the overlaps (R41)", "overlap.list" },
	{ "type list", NULL, NEED_DB, "list the DMTF specification types of Table 1 (R37; --all true: retired too)", "standard_type.list" },
	{ "type add", NULL, NEED_DB, "add a specification type (R37)", "standard_type.create" },
	{ "type set", NULL, NEED_DB, "describe, rename (when unused) or retire a specification type (R37)", "standard_type.update" },
	{ "type remove", NULL, NEED_DB, "delete a specification type no Table 1 row uses (R37)", "standard_type.delete" },
	{ "dsp list", NULL, NEED_DB, "list the register of DMTF standards (R44)", "dmtf_standard.list" },
	{ "dsp show", NULL, NEED_DB, "show a DMTF standard of the register", "dmtf_standard.get" },
	{ "dsp add", NULL, NEED_DB, "add a DMTF standard to the register (R44)", "dmtf_standard.create" },
	{ "dsp set", NULL, NEED_DB, "change or retire a DMTF standard of the register", "dmtf_standard.update" },
	{ "cr list", NULL, NEED_DB, "list change requests (R42)", "cr.list" },
	{ "cr show", NULL, NEED_DB, "show a change request with its messages and meetings", "cr.get" },
	{ "cr actions", NULL, NEED_DB, "what may be done next with a change request, and why not", "cr.actions" },
	{ "cr submit", NULL, NEED_DB, "submit a change request (--as EMAIL, R42, R43)", "cr.create" },
	{ "cr message", NULL, NEED_DB, "write on a change request (R44)", "cr.message" },
	{ "meeting list", NULL, NEED_DB, "list joint meetings (R45)", "meeting.list" },
	{ "meeting show", NULL, NEED_DB, "show a joint meeting: participants, acknowledgments, halted or not", "meeting.get" },
	{ "meeting actions", NULL, NEED_DB, "what may be done next with a joint meeting, and why not", "meeting.actions" },
	{ "meeting add", NULL, NEED_DB, "schedule a joint meeting (R45)", "meeting.create" },
	{ "meeting participant-add", NULL, NEED_DB, "add a participant (R48)", "participant.add" },
	{ "meeting participant-set", NULL, NEED_DB, "record presence, leaving or an IP acknowledgment (R48, R49)", "participant.update" },
	{ "meeting record", NULL, NEED_DB, "record minutes, a decision or an item (R49)", "meeting.record" },
	{ "audit", NULL, NEED_DB, "read the audit log", "audit.list" },
	{ "process", cmd_process, 0, "show the lifecycle table (--dot for Graphviz) or check it", NULL },
	{ "wr comments", NULL, NEED_DB, "list a WR's comments", "comment.list" },
	{ "wr comment", NULL, NEED_DB, "comment on a draft (R16)", "comment.add" },
	{ "wr resolve-comment", NULL, NEED_DB, "close a comment (--sub-id N)", "comment.resolve" },
	{ "wr amendments", NULL, NEED_DB, "list a WR's amendments", "amendment.list" },
	{ "wr amend", NULL, NEED_DB, "propose an amendment (R22-R24, R28, R29)", "amendment.create" },
	{ "milestone progress", NULL, NEED_DB, "record milestone progress (--id WR --sub-id M)", "milestone.progress" },
	{ "ballot list", NULL, NEED_DB, "list ballots", "ballot.list" },
	{ "ballot show", NULL, NEED_DB, "show a ballot and its tally", "ballot.get" },
	{ "ballot vote", NULL, NEED_DB, "vote in a ballot (--id N --choice yes|no|abstain [--comment T] --as EMAIL)", "ballot.vote" },
	{ "ballot receipts", NULL, NEED_DB, "a ballot's chain of receipts and its signed seal (--id N)", "ballot.receipts" },
	{ "ballot verify-receipt", cmd_ballot_verify_receipt, 0, "check a vote's receipt: counted as cast? (--chain FILE: without the database)", NULL },
	{ "wr amendment", NULL, NEED_DB, "show an amendment (--id WR --sub-id N)", "amendment.get" },
	{ "wr amendment-classify", NULL, NEED_DB, "classify an amendment's significance (R23)", "amendment.classify" },
	{ "wr amendment-accept", NULL, NEED_DB, "accept an amendment for the partner", "amendment.accept" },
	{ "wr amendment-refuse", NULL, NEED_DB, "refuse an amendment for the partner", "amendment.refuse" },
	{ "wr amendment-withdraw", NULL, NEED_DB, "withdraw an amendment", "amendment.withdraw" },
	{ "wr actions", NULL, NEED_DB, "what may be done next, and why not", "wr.actions" },
	{ "task list", NULL, NEED_DB, "list hand-off tasks (R9, R25)", "task.list" },
	{ "task complete", NULL, NEED_DB, "complete a hand-off task", "task.complete" },
	{ "review list", NULL, NEED_DB, "Work Registers whose update is due (R27)", "review.list" },
	{ "portfolio", NULL, NEED_DB, "every alliance at a glance: WRs by state, reviews due, stagnant, open change requests by age", "portfolio.show" },
	{ "scheduler run", NULL, NEED_DB, "close due ballots, send reminders now", "scheduler.run" },
	{ "notify rules", NULL, NEED_DB, "who hears of which event", "notify_rule.list" },
	{ "notify add", NULL, NEED_DB, "add a notification rule", "notify_rule.add" },
	{ "notify remove", NULL, NEED_DB, "remove a notification rule", "notify_rule.delete" },
	{ "outbox", NULL, NEED_DB, "read the notification outbox (--state dead: the dead letters)", "outbox.list" },
	{ "outbox stats", NULL, NEED_DB, "count the outbox's messages by delivery state", "outbox.stats" },
	{ "outbox retry", NULL, NEED_DB, "send a dead message again (--id N)", "outbox.retry" },
	{ "audit verify", cmd_audit_verify, NEED_DB, "recompute the audit chain and check the records against it (--json)", NULL },
	{ "audit head", NULL, NEED_DB, "the audit chain's head and length", "audit.head" },
	{ "audit checkpoint", cmd_audit_checkpoint, NEED_DB, "sign a checkpoint of the audit chain now (--signing-key)", NULL },
	{ "audit checkpoints", NULL, NEED_DB, "list the signed checkpoints", "checkpoint.list" },
	{ "audit export", cmd_audit_export, NEED_DB, "the whole record and its checkpoints, as JSON, for an outsider", NULL },
	{ "audit check", cmd_audit_check, 0, "check an export with the public key alone, without the database", NULL },
	{ "keys rotate", cmd_keys_rotate, NEED_DB, "a new checkpoint signing key; the old one stays published and what it signed verifies", NULL },
	{ "publish", cmd_publish, NEED_DB, "commit the published versions into git (R21; --rebuild, --verify)", NULL },
	{ "outbox deliver", cmd_outbox_deliver, NEED_DB, "send the messages due now over SMTP, once (--smtp-url)", NULL },
	{ "settings show", NULL, NEED_DB, "read the settings", "settings.get" },
	{ "settings set", NULL, NEED_DB, "change the settings", "settings.update" },
	{ "config", cmd_config, 0, "print the configuration in force and where each value came from (--check, --example)", NULL },
	{ "version", cmd_version, 0, "print the version", NULL },
	{ "help", cmd_help, 0, "list the commands (--man: the manual page)", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

static int cmd_version(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	printf("entente %s\n", ENTENTE_VERSION);
	return 0;
}

/* The commands: the table's, then one per step of the process tables
 * ("wr assign-owner", "cr review", "meeting announce"), derived from core. */
static struct command all_commands[256];
static char step_names[96][64];

static const struct command *commands(void)
{
	if (all_commands[0].name)
		return all_commands;
	struct core_step_ref refs[96];
	size_t n = 0, k = core_step_refs(refs, sizeof(refs) / sizeof(*refs));
	const size_t max = sizeof(all_commands) / sizeof(*all_commands) - 1;
	for (const struct command *cmd = cli_commands; cmd->name && n < max; cmd++)
		all_commands[n++] = *cmd;
	for (size_t i = 0; i < k && i < sizeof(step_names) / sizeof(*step_names) && n < max; i++) {
		snprintf(step_names[i], sizeof(step_names[i]), "%s %s", refs[i].command, refs[i].step);
		all_commands[n++] = (struct command){ step_names[i], NULL, NEED_DB, refs[i].summary, refs[i].action };
	}
	return all_commands;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: entente [--config FILE] [--db PATH] <command> [options]\n\n"
		   "Runs the DMTF alliance-partner process (DSP4003).\n"
		   "The database is --db, else $ENTENTE_DB, else the configuration's database, else " ENTENTE_DB_DEFAULT ".\n"
		   "The configuration is --config FILE, else $ENTENTE_CONFIG, else " ENTENTE_CONFIG_DEFAULT "\n"
		   "when it exists (entente config shows it; entente.conf(5)).\n"
		   "Every command takes --help.\n\ncommands:\n");
	for (const struct command *cmd = commands(); cmd->name; cmd++)
		fprintf(f, "  %-20s %s\n", cmd->name, cmd->help);
}

static int cmd_help(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc < 2 || strcmp(argv[1], "--man")) {
		usage(stdout);
		return 0;
	}
	printf(".TH ENTENTE 1 \"\" \"entente %s\" \"User Commands\"\n.SH NAME\nentente \\- the DMTF alliance\\-partner process (DSP4003)\n"
	       ".SH SYNOPSIS\n.B entente\n[\\fB\\-\\-config\\fR \\fIFILE\\fR] [\\fB\\-\\-db\\fR \\fIPATH\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n"
	       ".SH DESCRIPTION\nentente serves the JSON API and web application of the alliance\\-partner process and\n"
	       "administers its records. Every command takes \\fB\\-\\-help\\fR. The database is \\fB\\-\\-db\\fR,\n"
	       "else \\fBENTENTE_DB\\fR, else the configuration's \\fBdatabase\\fR, else " ENTENTE_DB_DEFAULT ". The configuration\n"
	       "is \\fB\\-\\-config\\fR \\fIFILE\\fR, else \\fBENTENTE_CONFIG\\fR, else " ENTENTE_CONFIG_DEFAULT " when it exists;\n"
	       "every key of it is also an option and an environment variable: \\fBentente.conf\\fR(5).\n.SH COMMANDS\n", ENTENTE_VERSION);
	for (const struct command *cmd = commands(); cmd->name; cmd++) {
		printf(".TP\n.B entente ");
		roff_text(stdout, cmd->name);
		printf("\n");
		roff_text(stdout, cmd->help);
		if (cmd->action) {
			printf(" (action ");
			roff_text(stdout, cmd->action);
			printf(")");
		}
		printf("\n");
	}
	printf(".SH ENVIRONMENT\n.TP\n.B ENTENTE_CONFIG\nthe configuration file (empty: none)\n.TP\n.B ENTENTE_DB\nthe database file\n"
	       ".TP\n.B ENTENTE_\\fIKEY\\fR\nany key of the configuration, in capitals: \\fBentente.conf\\fR(5)\n"
	       ".SH FILES\n.TP\n.B " ENTENTE_CONFIG_DEFAULT "\nthe configuration, when installed\n"
	       ".SH SEE ALSO\n\\fBentente.conf\\fR(5), README.md, docs/ARCHITECTURE.md, docs/openapi.json\n");
	return 0;
}

/* Longest command name matching the first words of argv. */
static const struct command *lookup(int argc, char **argv, int *words)
{
	const struct command *best = NULL;
	*words = 0;
	for (const struct command *cmd = commands(); cmd->name; cmd++) {
		char name[64];
		int n = 0;
		snprintf(name, sizeof(name), "%s", cmd->name);
		char *save = NULL, *w = strtok_r(name, " ", &save);
		int ok = 1;
		while (w) {
			if (n >= argc || strcmp(argv[n], w)) {
				ok = 0;
				break;
			}
			n++;
			w = strtok_r(NULL, " ", &save);
		}
		if (ok && n > *words) {
			best = cmd;
			*words = n;
		}
	}
	return best;
}

/* Take "--NAME VALUE" or "--NAME=VALUE" out of argv from index from on;
 * the value (the last one given) or NULL. */
static const char *take_option(int *argc, char **argv, int from, const char *name)
{
	const char *v = NULL;
	size_t len = strlen(name);
	for (int k = from; k < *argc; k++) {
		int n = 0;
		if (!strcmp(argv[k], name) && k + 1 < *argc) {
			v = argv[k + 1];
			n = 2;
		} else if (!strncmp(argv[k], name, len) && argv[k][len] == '=') {
			v = argv[k] + len + 1;
			n = 1;
		}
		if (n) {
			memmove(&argv[k], &argv[k + n], sizeof(*argv) * (size_t)(*argc - k - n + 1));
			*argc -= n;
			k--;
		}
	}
	return v;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct cfg cf;
	const struct command *cmd;
	struct err e = ERR_INIT;
	int words, ret = 1, i = 1;
	char prog[80], why[1400];
	const char *db = NULL, *config = NULL;
	char **args = NULL;

	/* what entente writes (the database, its WAL, the signing key, the
	 * publication repository, backups) is the service user's alone */
	umask(077);
	while (i < argc && argv[i][0] == '-') {
		if ((!strcmp(argv[i], "--db") || !strcmp(argv[i], "--config")) && i + 1 < argc) {
			*(argv[i][2] == 'd' ? &db : &config) = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--db=", 5)) {
			db = argv[i] + 5;
			i++;
		} else if (!strncmp(argv[i], "--config=", 9)) {
			config = argv[i] + 9;
			i++;
		} else if (!strcmp(argv[i], "--version")) {
			return cmd_version(&c, 0, NULL);
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "entente: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = lookup(argc - i, argv + i, &words);
	if (!cmd) {
		fprintf(stderr, "entente: unknown command '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}
	snprintf(prog, sizeof(prog), "entente %s", cmd->name);
	c.prog = prog;
	argc -= i + words - 1;
	argv += i + words - 1;
	/* --db and --config may also follow the command (entente serve --db PATH) */
	const char *after = take_option(&argc, argv, 1, "--db");
	db = after ? after : db;
	after = take_option(&argc, argv, 1, "--config");
	config = after ? after : config;
	/* --help needs no database and no configuration (issue 23) */
	int asks_help = 0;
	for (int k = 1; k < argc; k++)
		asks_help |= !strcmp(argv[k], "--help") || !strcmp(argv[k], "-h");
	if (asks_help) {
		c.db_path = db ? db : ENTENTE_DB_DEFAULT;
		return cmd->fn ? cmd->fn(&c, argc, argv) : cli_generic(&c, cmd, argc, argv);
	}
	/* the configuration: the file, the environment, then the command line */
	if (cfg_load(&cf, config, why, sizeof(why)) || (db && cfg_set_command_line(&cf, cfg_find("database"), db, why, sizeof(why)))) {
		fprintf(stderr, "%s: %s\n", prog, why);
		cfg_free(&cf);
		return 2;
	}
	c.cfg = &cf;
	c.argc_given = argc;
	c.argv_given = argv;
	c.config_given = config;
	c.db_given = db;
	c.db_path = cf.v[cfg_find("database")].value ? cf.v[cfg_find("database")].value : ENTENTE_DB_DEFAULT;
	if ((argc = cfg_argv(&cf, cmd->name, argc, argv, &args)) < 0) {
		cfg_free(&cf);
		return 1;
	}
	argv = args;
	if (cmd->flags & NEED_DB) {
		if (!store_is_url(c.db_path) && access(c.db_path, F_OK)) {
			fprintf(stderr, "%s: no database at %s: run entente init first\n", prog, c.db_path);
			goto out;
		}
		if (store_open(&c.st, c.db_path, &e) || store_schema_check(c.st, &e)) {
			fprintf(stderr, "%s: %s\n", prog, e.detail);
			goto out;
		}
	}
	optind = 0; /* the commands' getopt_long starts afresh on the new argv */
	if (cmd->fn)
		ret = cmd->fn(&c, argc, argv);
	else
		ret = cli_generic(&c, cmd, argc, argv);
out:
	store_free(c.st);
	free(args);
	cfg_free(&cf);
	return ret;
}
