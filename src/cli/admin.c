/* entente init, migrate, backup, openapi: setting up (serve: cli/serve.c). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "mail/mail.h"
#include "publish/publish.h"
#include "seal/seal.h"
#include "http/http.h"
#include "http/proxy.h"
#include "lib/sdnotify.h"
#include "lib/util.h"

int cli_next_opt(int argc, char **argv, const struct option *opts, const char *usage)
{
	int ch = getopt_long(argc, argv, "", opts, NULL);
	if (ch == 'h')
		printf("%s", usage);
	return ch;
}

int cli_open_db(struct cli *c, int migrate)
{
	struct err e = ERR_INIT;
	int applied = 0, have, known;
	if (store_open(&c->st, c->db_path, &e))
		goto bad;
	have = store_schema_version(c->st);
	known = store_schema_known(c->st);
	if (have == known)
		return 0;
	if (have > known || (have > 0 && !migrate)) {
		store_schema_check(c->st, &e);
		goto bad;
	}
	if (have > 0 && store_is_url(c->db_path)) {
		/* no file to copy (issue 26): each migration is one transaction
		 * there, which changes nothing when it fails; a copy is pg_dump's */
		printf("not backed up: a PostgreSQL database is copied with pg_dump (each migration is one transaction)\n");
	} else if (have > 0) {
		char copy[1200], stamp[32];
		time_t now = time(NULL);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&now));
		snprintf(copy, sizeof(copy), "%s.schema-%d.%s.backup", c->db_path, have, stamp);
		if (store_backup(c->st, copy, &e))
			goto bad;
		printf("backed up %s (schema %d) to %s\n", c->db_path, have, copy);
	}
	if (store_migrate(c->st, &applied, &e))
		goto bad;
	if (store_migrations_recorded(c->st))
		printf("%d migration(s) had done their work but lost their record (the schema was exactly theirs): recorded\n",
		       store_migrations_recorded(c->st));
	return applied;
bad:
	fprintf(stderr, "%s: %s\n", c->prog, e.detail);
	return -1;
}

/* One server per database file (issue 23): an exclusive lock on PATH.lock,
 * taken by serve, migrate and keys rotate and held until the process ends
 * (the descriptor is never closed; the kernel lets go when the process
 * dies, kill -9 included). A second is refused, naming the process that
 * holds it. */
int cli_hold_database(struct cli *c, const char *doing, int shared)
{
	char path[1100], holder[128] = "";
	if (store_is_url(c->db_path)) { /* no file: the database holds the lock, servers share it (issue 26) */
		char me[128];
		snprintf(me, sizeof(me), "pid %ld, %s", (long)getpid(), c->prog);
		if (!store_hold_server(c->db_path, me, !shared, holder, sizeof(holder)))
			return 0;
		fprintf(stderr, "%s: the database is held by another entente (%s): stop it before %s\n", c->prog,
			*holder ? holder : "process unknown", doing);
		return -1;
	}
	snprintf(path, sizeof(path), "%s.lock", c->db_path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", c->prog, path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		ssize_t n = pread(fd, holder, sizeof(holder) - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		fprintf(stderr, "%s: %s is held by another entente (%s): stop it before %s\n", c->prog, c->db_path,
			*holder ? holder : "process unknown", doing);
		close(fd);
		return -1;
	}
	char me[128];
	int len = snprintf(me, sizeof(me), "pid %ld, %s\n", (long)getpid(), c->prog);
	if (ftruncate(fd, 0) || pwrite(fd, me, (size_t)len, 0) != len) {
		/* the lock holds all the same; only the name is missing */
	}
	return fd;
}

static int64_t body_named(struct cli *c, const char *name, const char *kind, int alliance)
{
	json_t *b = json_pack("{ss ss}", "name", name, "kind", kind);
	if (alliance)
		json_object_set_new(b, "is_alliance", json_true());
	return cli_make(c, "body.create", NULL, b);
}

static int set_password(struct cli *c, const char *email, const char *password)
{
	return cli_call_take(c, "password.set", json_pack("{ss ss}", "email", email, "password", password));
}

/* init's questions: a flag's value, else (at a terminal) the answer to
 * the question, else the default. */
struct init_item {
	const char *question, *value;
	char answer[256]; /* the default, then the answer */
};

static void init_ask(struct init_item *it)
{
	if (it->value || !isatty(STDIN_FILENO))
		return;
	printf("%s [%s]: ", it->question, it->answer[0] ? it->answer : "none");
	fflush(stdout);
	char line[256];
	if (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (*line)
			snprintf(it->answer, sizeof(it->answer), "%s", line);
	}
}

int cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "admin-email", required_argument, NULL, 'e' },
		{ "admin-password-file", required_argument, NULL, 'p' },
		{ "demo", no_argument, NULL, 'd' },
		{ "story", no_argument, NULL, 's' },
		{ "body-name", required_argument, NULL, 0 },
		{ "body-short-name", required_argument, NULL, 1 },
		{ "body-website", required_argument, NULL, 2 },
		{ "requests-address", required_argument, NULL, 3 },
		{ "alliance-list-address", required_argument, NULL, 4 },
		{ "press-address", required_argument, NULL, 5 },
		{ "signing-key", required_argument, NULL, 'K' },
		HELP_OPT, { 0 } };
	const char *usage = "usage: entente init [--db PATH] [--admin-email E] [--admin-password-file F] [--demo [--story]]\n"
			    "                    [--body-name N] [--body-short-name S] [--body-website URL]\n"
			    "                    [--requests-address A] [--alliance-list-address A] [--press-address A]\n"
			    "                    [--signing-key PATH]\n\n"
			    "Creates the database, the host organization (the standards body: --body-name, default\n"
			    "Distributed Management Task Force; --body-short-name, default DMTF; --body-website),\n"
			    "its Board, Executive Committee, Alliance, Technical, Marketing and Interoperability\n"
			    "Committees and the Alliance Partner Working Group, and an administrator (default\n"
			    "admin@localhost) whose password is read from the file or generated and printed once.\n"
			    "The body's addresses (settings requests_address, alliance_list_address, press_address)\n"
			    "default to example.org. Without a flag, and at a terminal, each is asked for (not with --demo).\n"
			    "--demo adds demonstration data; --story also WRs at every stage (established with its\n"
			    "review due, in a committee ballot with votes, in drafting with open comments).\n"
			    "--signing-key PATH: where the audit chain's checkpoint key is made (else the configuration's\n"
			    "signing_key, else the database's path + .signing-key; a PostgreSQL database needs it named).\n";
	struct init_item items[] = {
		/* in the order of the options 0 to 5 above */
		{ "The standards body's name", NULL, "Distributed Management Task Force" },
		{ "Its short name", NULL, "DMTF" },
		{ "Its website (https://...)", NULL, "" },
		{ "The address requests to the body go to (requests_address)", NULL, "requests@example.org" },
		{ "The alliance partners' mailing list (alliance_list_address)", NULL, "alliance-partner@example.org" },
		{ "The press address (press_address)", NULL, "press@example.org" },
	};
	const char *email = "admin@localhost", *pwfile = NULL, *signing_key = NULL;
	char *password = NULL, generated[33];
	int ch, demo = 0, story = 0, ret = 1;
	json_t *list = NULL, *params = NULL;
	while ((ch = cli_next_opt(argc, argv, opts, usage)) != -1) {
		switch (ch) {
		case 'e': email = optarg; break;
		case 'p': pwfile = optarg; break;
		case 'd': demo = 1; break;
		case 's': story = 1; break;
		case 'K': signing_key = optarg; break;
		case 'h': return 0;
		case 0: case 1: case 2: case 3: case 4: case 5: items[ch].value = optarg; break;
		default: return 2;
		}
	}
	for (size_t i = 0; i < sizeof(items) / sizeof(*items); i++) {
		if (!demo) /* the demo (make run) asks nothing */
			init_ask(&items[i]);
		if (!items[i].value)
			items[i].value = items[i].answer;
	}
	if (pwfile && !(password = cli_read_secret(pwfile)))
		return 1;
	if (!password) {
		random_hex(generated, 12);
		password = strdup(generated);
	}
	if (!store_is_url(c->db_path) && strchr(c->db_path, '/')) {
		char dir[1024];
		snprintf(dir, sizeof(dir), "%s", c->db_path);
		*strrchr(dir, '/') = '\0';
		if (*dir)
			mkdir(dir, 0750);
	}
	if (cli_open_db(c, 0) < 0)
		goto out;
	params = json_pack("{ss}", "kind", "host");
	if (cli_call(c, "org.list", params, NULL, &list))
		goto out;
	if (json_array_size(json_object_get(list, "items"))) {
		fprintf(stderr, "%s: %s is already initialized\n", c->prog, c->db_path);
		goto out;
	}
	json_t *org = json_pack("{ss ss ss}", "name", items[0].value, "short_name", items[1].value, "kind", "host");
	if (*items[2].value)
		json_object_set_new(org, "website", json_string(items[2].value));
	int64_t host = cli_make(c, "org.create", NULL, org);
	/* the body's own addresses, not another's (issue 23) */
	if (!host || cli_call_take(c, "settings.update", json_pack("{ss ss ss}", "requests_address", items[3].value,
								   "alliance_list_address", items[4].value, "press_address",
								   items[5].value)) ||
	    !body_named(c, "Board of Directors", "board", 0) || !body_named(c, "Executive Committee", "executive", 0) ||
	    !body_named(c, "Alliance Committee", "committee", 1) || !body_named(c, "Technical Committee", "committee", 0) ||
	    !body_named(c, "Marketing Committee", "committee", 0) || !body_named(c, "Interoperability Committee", "committee", 0) ||
	    !body_named(c, "Alliance Partner Working Group", "apwg", 0))
		goto out;
	int64_t admin = cli_make(c, "person.create", NULL, json_pack("{ss ss sI sb}", "name", "Administrator", "email", email,
								 "org_id", (json_int_t)host, "dmtf_member", 1));
	if (!admin || set_password(c, email, password) ||
	    !cli_make(c, "officer.add", NULL, json_pack("{sI ss}", "person_id", (json_int_t)admin, "role", "admin")))
		goto out;
	printf("initialized %s\nadministrator: %s\n", c->db_path, email);
	if (!pwfile)
		printf("password: %s   (shown once: keep it)\n", password);
	/* issue 11: the key that signs the audit chain's checkpoints, beside
	 * the database but not in it */
	char key[1100], pk[65];
	struct err ke = ERR_INIT;
	seal_key_path(signing_key, c->db_path, key, sizeof(key));
	if (seal_key_ensure(key, &ke) < 0 || seal_public_key(key, pk, &ke)) {
		fprintf(stderr, "%s: %s\n", c->prog, ke.detail);
		goto out;
	}
	printf("signing key: %s (public key %s)\n", key, pk);
	char *story_argv[] = { "demo", "--story", NULL };
	ret = demo ? cmd_demo(c, story ? 2 : 0, story ? story_argv : NULL) : 0;
out:
	free(password);
	json_decref(list);
	json_decref(params);
	return ret;
}

int cmd_migrate(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: entente migrate [--db PATH]\n\nApplies the numbered migrations not yet applied, each in a transaction (a\n"
		       "failed one changes nothing), after a backup of the database beside it\n"
		       "(PATH.schema-N.TIME.backup). Only this command and serve --migrate change the schema;\n"
		       "every other command refuses a database of an older schema, and every command one of a\n"
		       "newer schema. A migration whose work is in the schema but whose record was lost (the\n"
		       "schema exactly what it makes) is recorded, not run again.\n");
		return 0;
	}
	if (cli_hold_database(c, "migrating", 0) < 0)
		return 1;
	int applied = cli_open_db(c, 1);
	if (applied < 0)
		return 1;
	printf("applied %d migration(s); schema version %d\n", applied, store_schema_version(c->st));
	return 0;
}

int cmd_openapi(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: entente openapi\n\nPrints the OpenAPI 3.1 document of the API.\n");
		return 0;
	}
	json_t *doc = http_openapi(NULL); /* docs/openapi.json: the default address */
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}


int cmd_process(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show", *name = NULL;
	char report[8192];
	int dot = 0;
	(void)c;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--dot"))
			dot = 1;
		else
			name = argv[i];
	}
	if (!strcmp(sub, "--dot"))
		sub = "show", dot = 1;
	json_t *probe = name ? core_process_table(name) : NULL;
	int unknown = name && !probe;
	json_decref(probe);
	if (!strcmp(sub, "--help") || (strcmp(sub, "show") && strcmp(sub, "check")) || unknown) {
		printf("usage: entente process show [work_register|change_request|meeting] [--dot] | check\n\n"
		       "show prints a process table (default the Work Register's lifecycle, DSP4003 sections 2\n"
		       "to 4; change_request and meeting are section 5.3's; --dot: a Graphviz graph);\n"
		       "check explores every table and fails if a state is unreachable, a non-final state has no\n"
		       "way out or none leads to an end, a closed state is left without a reason, a ballot\n"
		       "result is followed where no such ballot is open, the Board's ballot opens before every\n"
		       "involved committee approved, removal or dissolution happens without a passed Board\n"
		       "ballot, or a path reaches established without a passed Board ballot and the partner's\n"
		       "acceptance.\n");
		return strcmp(sub, "--help") ? 2 : 0;
	}
	if (!strcmp(sub, "check")) {
		int bad = core_process_check(report, sizeof(report));
		fputs(report, bad ? stderr : stdout);
		return bad ? 1 : 0;
	}
	if (dot) {
		core_process_dot(stdout, name);
		return 0;
	}
	json_t *t = core_process_table(name), *steps = json_object_get(t, "steps");
	printf("%-22s %-34s %-18s %-5s %s\n", "action", "from", "to", "rule", "who");
	for (size_t i = 0; i < json_array_size(steps); i++) {
		json_t *s = json_array_get(steps, i);
		const char *on = json_string_value(json_object_get(s, "on")), *opens = json_string_value(json_object_get(s, "opens"));
		char how[120] = "";
		if (on || opens)
			snprintf(how, sizeof(how), " [%s%s%s%s]", on ? "on " : "", on ? on : "", opens ? (on ? "; opens " : "opens ") : "",
				 opens ? opens : "");
		printf("%-22s %-34s %-18s %-5s %s\n   %s%s\n", json_string_value(json_object_get(s, "action")),
		       *json_string_value(json_object_get(s, "from")) ? json_string_value(json_object_get(s, "from")) : "(new)",
		       json_is_string(json_object_get(s, "to")) ? json_string_value(json_object_get(s, "to")) : "(same)",
		       json_string_value(json_object_get(s, "rule")), json_string_value(json_object_get(s, "who")),
		       json_string_value(json_object_get(s, "text")), how);
	}
	json_decref(t);
	return 0;
}

