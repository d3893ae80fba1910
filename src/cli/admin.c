/* entente init, migrate, backup, openapi, serve: setting up and running. */
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

/* getopt_long over argv with a --help that prints usage. Returns the option
 * character, -1 at the end, 'h' after printing help, '?' on a bad option. */
static int next_opt(int argc, char **argv, const struct option *opts, const char *usage)
{
	int ch = getopt_long(argc, argv, "", opts, NULL);
	if (ch == 'h')
		printf("%s", usage);
	return ch;
}

#define HELP_OPT { "help", no_argument, NULL, 'h' }

/* Open the database (issue 23). A new one is given the schema; one of
 * this binary's schema is used as it is; an older one only when migrate
 * is asked for, and then after a backup beside it; a newer one never.
 * Returns the migrations applied, or -1 (said on stderr). */
static int open_db(struct cli *c, int migrate)
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
	if (have > 0) {
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

/* One server per database (issue 23): an exclusive lock on PATH.lock,
 * taken by serve, migrate and keys rotate and held until the process ends
 * (the descriptor is never closed; the kernel lets go when the process
 * dies, kill -9 included). A second is refused, naming the process that
 * holds it. */
int cli_hold_database(struct cli *c, const char *doing)
{
	char path[1100], holder[128] = "";
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
		HELP_OPT, { 0 } };
	const char *usage = "usage: entente init [--db PATH] [--admin-email E] [--admin-password-file F] [--demo [--story]]\n"
			    "                    [--body-name N] [--body-short-name S] [--body-website URL]\n"
			    "                    [--requests-address A] [--alliance-list-address A] [--press-address A]\n\n"
			    "Creates the database, the host organization (the standards body: --body-name, default\n"
			    "Distributed Management Task Force; --body-short-name, default DMTF; --body-website),\n"
			    "its Board, Executive Committee, Alliance, Technical, Marketing and Interoperability\n"
			    "Committees and the Alliance Partner Working Group, and an administrator (default\n"
			    "admin@localhost) whose password is read from the file or generated and printed once.\n"
			    "The body's addresses (settings requests_address, alliance_list_address, press_address)\n"
			    "default to example.org. Without a flag, and at a terminal, each is asked for (not with --demo).\n"
			    "--demo adds demonstration data; --story also WRs at every stage (established with its\n"
			    "review due, in a committee ballot with votes, in drafting with open comments).\n";
	struct init_item items[] = {
		/* in the order of the options 0 to 5 above */
		{ "The standards body's name", NULL, "Distributed Management Task Force" },
		{ "Its short name", NULL, "DMTF" },
		{ "Its website (https://...)", NULL, "" },
		{ "The address requests to the body go to (requests_address)", NULL, "requests@example.org" },
		{ "The alliance partners' mailing list (alliance_list_address)", NULL, "alliance-partner@example.org" },
		{ "The press address (press_address)", NULL, "press@example.org" },
	};
	const char *email = "admin@localhost", *pwfile = NULL;
	char *password = NULL, generated[33];
	int ch, demo = 0, story = 0, ret = 1;
	json_t *list = NULL, *params = NULL;
	while ((ch = next_opt(argc, argv, opts, usage)) != -1) {
		switch (ch) {
		case 'e': email = optarg; break;
		case 'p': pwfile = optarg; break;
		case 'd': demo = 1; break;
		case 's': story = 1; break;
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
	if (strchr(c->db_path, '/')) {
		char dir[1024];
		snprintf(dir, sizeof(dir), "%s", c->db_path);
		*strrchr(dir, '/') = '\0';
		if (*dir)
			mkdir(dir, 0750);
	}
	if (open_db(c, 0) < 0)
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
	seal_key_path(NULL, c->db_path, key, sizeof(key));
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
	if (cli_hold_database(c, "migrating") < 0)
		return 1;
	int applied = open_db(c, 1);
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

/* What entente serve starts once its socket listens: the mail deliverer,
 * whose links take the server's own base URL (one source for both). */
struct serve_start {
	const char *db_path;
	struct mail_config *mc;
	unsigned mail_interval;
};

static int serve_listening(const char *base_url, void *arg, struct err *e)
{
	struct serve_start *s = arg;
	s->mc->base_url = base_url;
	if (s->mc->smtp_url && mail_worker_start(s->db_path, s->mc, s->mail_interval, e))
		return -1;
	/* systemd's Type=notify: ready once listening with every worker up */
	if (sd_tell("READY=1") < 0)
		fprintf(stderr, "entente serve: cannot tell systemd it is ready (NOTIFY_SOCKET): %s\n", strerror(errno));
	return 0;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "web-dir", required_argument, NULL, 'w' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "body-limit", required_argument, NULL, 'b' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-connections", required_argument, NULL, 'm' },
		{ "per-ip", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 'o' },
		{ "head-timeout", required_argument, NULL, 'H' },
		{ "min-rate", required_argument, NULL, 'R' },
		{ "rate-grace", required_argument, NULL, 'A' },
		{ "metrics-from", required_argument, NULL, 'M' },
		{ "trusted-proxy", required_argument, NULL, 'P' },
		{ "insecure-cookie", no_argument, NULL, 'k' },
		{ "tick", required_argument, NULL, 'T' },
		{ "test-clock", no_argument, NULL, 'C' },
		{ "no-group-commit", no_argument, NULL, 'G' },
		MAIL_OPTS,
		{ "git-repo", required_argument, NULL, 'g' },
		{ "signing-key", required_argument, NULL, 'K' },
		{ "checkpoint-interval", required_argument, NULL, 'I' },
		{ "migrate", no_argument, NULL, 'U' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "log-file", required_argument, NULL, 'F' },
		{ "stop-timeout", required_argument, NULL, 'S' },
		{ "accept-rollback", no_argument, NULL, 'B' },
		HELP_OPT, { 0 } };
	const char *usage =
		"usage: entente serve [--db PATH] [--listen HOST:PORT] [options]\n\n"
		"Serves the JSON API under /api/v1 and the web application until SIGTERM or SIGINT (SIGHUP reopens --log-file).\n"
		"  --listen HOST:PORT     else $ENTENTE_LISTEN, else 127.0.0.1:8080 (port 0: any free port)\n"
		"  --web-dir DIR          static files (default: web, when it exists)\n"
		"  --ready-file F         write the base URL to F once listening\n"
		"  --body-limit BYTES     else $ENTENTE_BODY_LIMIT, else 1048576; larger bodies get 413\n"
		"  --threads N            worker threads (default 4)\n"
		"  --max-connections N    connections held at once (default 4096); when full, the oldest idle\n"
		"                         or still-arriving one makes room for a newcomer\n"
		"  --per-ip N             connections per client address (default 128)\n"
		"  --head-timeout SECONDS a request's head must arrive whole within this (default 5)\n"
		"  --timeout SECONDS      idle keep-alive connection and body timeout (default 30); a response's\n"
		"                         write deadline, which restarts whenever the client takes bytes\n"
		"  --min-rate BYTES       a body sent, or a response read, slower than this many bytes a second\n"
		"  --rate-grace SECONDS   for longer than this (defaults 1024 and 10) may be evicted when the server\n"
		"                         is full (--max-connections), as idle ones are; --rate-grace 0: never\n"
		"  --metrics-from ADDRS   comma-separated addresses (or networks) that may read /metrics without\n"
		"                         signing in (a scraper); otherwise administrators only\n"
		"  --trusted-proxy CIDR   a reverse proxy (an address or a network; repeatable, else the\n"
		"                         comma-separated $ENTENTE_TRUSTED_PROXY): only from these peers are\n"
		"                         Forwarded, X-Forwarded-For and X-Forwarded-Proto believed; the client\n"
		"                         is the rightmost address that is no trusted proxy, for the sign-in\n"
		"                         throttle, --metrics-from and the per-address limits\n"
		"  --base-url URL         http(s)://HOST[:PORT], where people reach the server (else $ENTENTE_BASE_URL,\n"
		"                         else http:// and the address listened on): the start of every absolute\n"
		"                         link (feeds, mail, the OpenAPI servers), never the Host header; https\n"
		"                         makes the session cookie Secure\n"
		"  --insecure-cookie      leave Secure off the session cookie (plain-HTTP development only;\n"
		"                         ignored when the base URL is https)\n"
		"  --tick SECONDS         scheduler period: ballot deadlines, review reminders (default 60; 0 off)\n"
		"  --no-group-commit      each change commits on its own on the thread that read it, instead of\n"
		"                         batches of changes sharing one commit on the writer thread\n"
		"  --test-clock           honour the X-Entente-Now header (tests only; needs ENTENTE_ALLOW_TEST_CLOCK=1)\n"
		"  --git-repo PATH        commit every published WR version into this bare git repository (R21;\n"
		"                         else $ENTENTE_GIT_REPO), looked at every --mail-interval seconds\n"
		"  --signing-key PATH     the key that signs the audit chain's checkpoints (else $ENTENTE_SIGNING_KEY,\n"
		"                         else the database's path + .signing-key, made by entente init)\n"
		"  --checkpoint-interval SECONDS  a checkpoint at least this often when the chain moved (default 3600),\n"
		"                         and at every published version\n"
		"  --migrate              bring an older schema up to date first, after a backup (as entente migrate);\n"
		"                         without it the server refuses a database of an older schema\n"
		"  --log-level LEVEL      error, warn, info (default: an access line per request) or debug\n"
		"  --log-file PATH        append the log there (0600) instead of standard error; reopened at SIGHUP\n"
		"  --accept-rollback      serve a database whose audit chain stops before the last checkpoint this\n"
		"                         server signed (an older copy put back): recorded in the chain; refused\n"
		"                         otherwise. A command-line flag only, never a configuration key\n"
		"  --stop-timeout SECONDS at SIGTERM: no new connection, idle ones closed, and the requests in flight\n"
		"                         given this long to be answered (default 10; 0: stop at once)\n"
		"Every option but --accept-rollback is also a key of the configuration file (entente.conf(5), entente config).\n"
		"Mail (issue 10):\n";
	struct http_config hc = { 0 };
	struct mail_config mc = { 0 };
	struct proxy_list check = { 0 }, check_metrics = { 0 };
	struct serve_start start = { 0 };
	char base_url[300], proxies[2048] = "";
	size_t used;
	/* the environment (ENTENTE_<KEY>) and the file came in as options
	 * (cli/config.c): read here as the command line alone */
	struct publish_config pc = { .committer_name = "entente", .committer_email = "entente@localhost" };
	unsigned mail_interval = 10, checkpoint_s = 3600;
	const char *signing_key = NULL;
	char key_path[1100];
	struct err e = ERR_INIT;
	struct stat sb;
	int ch, r, migrate = 0, accept_rollback = 0;
	hc.listen = "127.0.0.1:8080";
	hc.body_limit = 1 << 20;
	hc.threads = 4;
	hc.conn_limit = 4096;
	hc.per_ip_limit = 128;
	hc.timeout_s = 30;
	hc.head_timeout_s = 5;
	hc.min_rate = 1024;
	hc.rate_grace_s = 10;
	hc.cookie_secure = 1;
	hc.tick_s = 60;
	hc.stop_timeout_s = 10;
	hc.web_dir = stat("web", &sb) == 0 && S_ISDIR(sb.st_mode) ? "web" : NULL;
	while ((ch = next_opt(argc, argv, opts, usage)) != -1) {
		char *end = NULL;
		unsigned long n = optarg ? strtoul(optarg, &end, 10) : 0;
		int numeric = end && !*end && n > 0;
		switch (ch) {
		case 'l': hc.listen = optarg; break;
		case 'w': hc.web_dir = optarg; break;
		case 'r': hc.ready_file = optarg; break;
		case 'k': hc.cookie_secure = 0; break;
		case 'G': hc.no_group_commit = 1; break;
		case 'U': migrate = 1; break;
		case 'B': accept_rollback = 1; break;
		case 'F': hc.log_file = optarg; break;
		case 'L':
			if (log_level_named(optarg) < 0) {
				fprintf(stderr, "%s: --log-level: expected error, warn, info or debug\n", c->prog);
				return 2;
			}
			log_set_level(log_level_named(optarg));
			break;
		case 'M': hc.metrics_from = optarg; break;
		case 'P':
			used = strlen(proxies);
			if (snprintf(proxies + used, sizeof(proxies) - used, "%s%s", used ? "," : "", optarg) >= (int)(sizeof(proxies) - used)) {
				fprintf(stderr, "%s: too many --trusted-proxy\n", c->prog);
				return 2;
			}
			break;
		case 'g': pc.repo = optarg; break;
		case 'K': signing_key = optarg; break;
		case 'I':
			if (!end || *end || !n) {
				fprintf(stderr, "%s: '%s' is not a positive number of seconds\n", c->prog, optarg);
				return 2;
			}
			checkpoint_s = (unsigned)n;
			break;
		case 'T':
			if (!end || *end || !*optarg) { /* 0 is allowed: no scheduler */
				fprintf(stderr, "%s: '%s' is not a number of seconds\n", c->prog, optarg);
				return 2;
			}
			hc.tick_s = (unsigned)n;
			break;
		case 'C':
			/* moving time is for tests: refused unless asked for twice */
			if (!getenv("ENTENTE_ALLOW_TEST_CLOCK") || strcmp(getenv("ENTENTE_ALLOW_TEST_CLOCK"), "1")) {
				fprintf(stderr, "%s: --test-clock is refused unless ENTENTE_ALLOW_TEST_CLOCK=1\n", c->prog);
				return 2;
			}
			hc.test_clock = 1;
			break;
		case 'A': case 'S':
			if (!end || *end || !*optarg) { /* 0 is allowed: never evict for slowness; stop at once */
				fprintf(stderr, "%s: '%s' is not a number of seconds\n", c->prog, optarg);
				return 2;
			}
			*(ch == 'A' ? &hc.rate_grace_s : &hc.stop_timeout_s) = (unsigned)n;
			break;
		case 'b': case 't': case 'm': case 'i': case 'o': case 'H': case 'R':
			if (!numeric) {
				fprintf(stderr, "%s: '%s' is not a positive number\n", c->prog, optarg);
				return 2;
			}
			if (ch == 'b') hc.body_limit = n;
			if (ch == 't') hc.threads = (unsigned)n;
			if (ch == 'm') hc.conn_limit = (unsigned)n;
			if (ch == 'i') hc.per_ip_limit = (unsigned)n;
			if (ch == 'o') hc.timeout_s = (unsigned)n;
			if (ch == 'H') hc.head_timeout_s = (unsigned)n;
			if (ch == 'R') hc.min_rate = (unsigned)n;
			break;
		case 'h': printf("%s", cli_mail_usage); return 0;
		default:
			if ((r = cli_mail_option(c->prog, ch, optarg, &mc, &mail_interval)) <= 0)
				return 2;
		}
	}
	/* behind a reverse proxy: the proxies believed, and the one base URL
	 * of every link, the mail's included (--base-url is a mail option too) */
	hc.trusted_proxies = proxies[0] ? proxies : NULL;
	hc.base_url = mc.base_url;
	if (hc.base_url && !*hc.base_url)
		hc.base_url = NULL;
	if (proxy_list_add(&check_metrics, hc.metrics_from, &e))
		snprintf(e.field, sizeof(e.field), "metrics-from");
	if (e.field[0] || proxy_list_add(&check, hc.trusted_proxies, &e) ||
	    (hc.base_url && proxy_base_url(hc.base_url, base_url, sizeof(base_url), &e))) {
		fprintf(stderr, "%s: --%s: %s\n", c->prog, e.field, e.detail);
		return 2;
	}
	if (hc.base_url)
		hc.base_url = base_url;
	mc.base_url = hc.base_url; /* until the server knows its address: see serve_listening */
	/* the log first: what follows is written there */
	if (hc.log_file && log_to_file(hc.log_file)) {
		fprintf(stderr, "%s: --log-file: cannot open %s: %s\n", c->prog, hc.log_file, strerror(errno));
		return 2;
	}
	/* one server per database, and no migration under it (issue 23) */
	if (cli_hold_database(c, "serving") < 0)
		return 1;
	if (open_db(c, migrate) < 0)
		return 1;
	/* issue 23: a database put back behind the last signed checkpoint is
	 * not served unless the operator accepts it, in the chain */
	seal_key_path(signing_key, c->db_path, key_path, sizeof(key_path));
	json_t *witness = NULL;
	char why[1200];
	r = access(key_path, R_OK) ? 0 : seal_rollback_check(c->st, key_path, why, sizeof(why), &witness);
	if (r < 0 || (r > 0 && !accept_rollback)) {
		fprintf(stderr, "%s: %s\n", c->prog, why);
		json_decref(witness);
		return 1;
	}
	if (r > 0) {
		if (seal_rollback_accept(c->st, key_path, witness, &e)) {
			fprintf(stderr, "%s: %s\n", c->prog, e.detail);
			json_decref(witness);
			return 1;
		}
		log_at(LV_WARN, "security: rollback accepted (--accept-rollback): %s", why);
	}
	json_decref(witness);
	store_free(c->st); /* each server thread opens its own connection */
	c->st = NULL;
	hc.db_path = c->db_path;
	/* mail is delivered when a server is configured; otherwise it waits.
	 * Its deliverer starts once the server listens (serve_listening). */
	mail_config_defaults(&mc);
	if (mc.smtp_url && mail_config_load(&mc, &e)) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 2;
	}
	start = (struct serve_start){ .db_path = c->db_path, .mc = &mc, .mail_interval = mail_interval };
	hc.listening = serve_listening;
	hc.listening_arg = &start;
	if (pc.repo && *pc.repo && publish_worker_start(c->db_path, &pc, mail_interval, &e)) {
		mail_worker_stop();
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 2;
	}
	/* issue 11: signed checkpoints, when there is a key (entente init makes one) */
	if (!access(key_path, R_OK)) {
		if (seal_worker_start(c->db_path, key_path, checkpoint_s, &e)) {
			publish_worker_stop();
			mail_worker_stop();
			fprintf(stderr, "%s: %s\n", c->prog, e.detail);
			return 2;
		}
	} else {
		fprintf(stderr, "%s: no signing key at %s: the audit chain is kept but no checkpoint is signed\n", c->prog, key_path);
	}
	r = http_serve(&hc, &e);
	sd_tell("STOPPING=1");
	seal_worker_stop();
	publish_worker_stop();
	mail_worker_stop();
	if (r) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 1;
	}
	return 0;
}
