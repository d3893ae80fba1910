/* Issue 23, as an operator meets entente: one configuration file with the
 * environment and the command line over it, refused when wrong, secrets
 * never shown; the README and entente.conf(5) naming every key. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <glob.h>
#include <sodium.h>
#include <sqlite3.h>

#include "http/client.h"

static struct server S;

static void write_file(const char *path, int mode, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void write_file(const char *path, int mode, const char *fmt, ...)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	assert_int_equal(chmod(path, (mode_t)mode), 0);
}

/* The line of entente config's output for key ("listen   = ... # ..."),
 * in line (empty when none). */
static void config_line(const char *out, const char *key, char *line, size_t n)
{
	size_t len = strlen(key);
	*line = '\0';
	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ' ') {
			snprintf(line, n, "%.*s", (int)strcspn(p, "\n"), p);
			return;
		}
}

/* The last line the commands wrote to standard error (cli.err). */
static void last_error(char *line, size_t n)
{
	char path[300], buf[2048];
	snprintf(path, sizeof(path), "%s/cli.err", S.dir);
	FILE *f = fopen(path, "r");
	*line = '\0';
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f))
		snprintf(line, n, "%s", buf);
	fclose(f);
}

/* Issue 23: the file, then the environment, then the command line; each
 * value's source is shown; and the file reaches the server it configures. */
static void test_the_file_the_environment_and_the_command_line(void **state)
{
	(void)state;
	static char out[16384];
	char conf[300], line[600];
	snprintf(conf, sizeof(conf), "%s/entente.conf", S.dir);
	write_file(conf, 0640,
		   "# the operator's file\n\n"
		   "listen = 127.0.0.1:7001\n"
		   "  threads = 3  \n"
		   "base_url = https://entente.example.org\n"
		   "body_limit = 2048\n"
		   "mail_from = \"Alliances <alliances@example.org>\"\n");
	assert_int_equal(cli(&S, out, sizeof(out), "--config %s config", conf), 0);
	assert_non_null(strstr(out, conf));
	config_line(out, "listen", line, sizeof(line));
	assert_non_null(strstr(line, "127.0.0.1:7001"));
	assert_non_null(strstr(line, "entente.conf:3"));
	config_line(out, "threads", line, sizeof(line));
	assert_non_null(strstr(line, "= 3 "));
	assert_non_null(strstr(line, "entente.conf:4"));
	config_line(out, "mail_from", line, sizeof(line));
	assert_non_null(strstr(line, "= Alliances <alliances@example.org>"));
	config_line(out, "tick", line, sizeof(line));
	assert_non_null(strstr(line, "= 60 "));
	assert_non_null(strstr(line, "# default"));
	config_line(out, "database", line, sizeof(line));
	assert_non_null(strstr(line, "# command line")); /* the test kit's --db */
	/* the environment over the file; the command line over both; --config
	 * after the command; $ENTENTE_CONFIG */
	setenv("ENTENTE_LISTEN", "127.0.0.1:7002", 1);
	setenv("ENTENTE_CONFIG", conf, 1);
	assert_int_equal(cli(&S, out, sizeof(out), "config"), 0);
	config_line(out, "listen", line, sizeof(line));
	assert_non_null(strstr(line, "127.0.0.1:7002"));
	assert_non_null(strstr(line, "# environment ENTENTE_LISTEN"));
	config_line(out, "threads", line, sizeof(line));
	assert_non_null(strstr(line, "entente.conf:4"));
	setenv("ENTENTE_CONFIG", "", 1);
	assert_int_equal(cli(&S, out, sizeof(out), "config --config %s --listen 127.0.0.1:7003", conf), 0);
	config_line(out, "listen", line, sizeof(line));
	assert_non_null(strstr(line, "127.0.0.1:7003"));
	assert_non_null(strstr(line, "# command line"));
	unsetenv("ENTENTE_LISTEN");
	/* the server takes the file's values (its --listen and --tick are the
	 * test kit's, on the command line) */
	server_start(&S, "--config", conf, NULL);
	struct resp r = req(&S, "GET", "/api/v1/openapi.json", NULL, NULL, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(json_array_get(json_object_get(r.json, "servers"), 0), "url"), "https://entente.example.org");
	resp_free(&r);
	static char big[4096];
	memset(big, ' ', sizeof(big) - 1);
	big[0] = '{';
	big[sizeof(big) - 2] = '}';
	r = req(&S, "POST", "/api/v1/session", NULL, big, NULL);
	assert_int_equal(r.status, 413); /* body_limit = 2048 */
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);
}

/* Run entente with args (a shell word list) for at most 10 s; its exit
 * status, or -1 when it had to be killed (a server that started). */
static int bounded(const char *args)
{
	char cmd[2000];
	const char *bin = getenv("ENTENTE_BIN");
	snprintf(cmd, sizeof(cmd), "timeout 10 %s --db %s %s >/dev/null 2>>%s/cli.err", bin && *bin ? bin : "build/entente", S.db, args, S.dir);
	int st = system(cmd);
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 124)
		return -1;
	return WEXITSTATUS(st);
}

/* Issue 23: a wrong file names its line and what is expected, and the
 * server does not start. */
static void test_a_bad_configuration_stops_the_server(void **state)
{
	(void)state;
	static const struct {
		const char *text, *says;
		int mode;
	} bad[] = {
		{ "listen = 127.0.0.1:7001\nlisten_address = 1\n", ":2: unknown key 'listen_address'", 0600 },
		{ "threads = many\n", ":1: threads: 'many' is not a whole number above 0", 0600 },
		{ "# tick\ntick = 1\ntick = 2\n", ":3: tick is given again (first on line 2)", 0600 },
		{ "smtp_password = hunter2\n", ":1: smtp_password is a secret", 0600 },
		{ "trusted_proxy = 10.0.0.0/33\n", ":1: trusted_proxy: '10.0.0.0/33' is not addresses or networks", 0600 },
		{ "base_url = https://user@host/path\n", ":1: base_url: ", 0600 },
		{ "listen\n", ":1: expected key = value", 0600 },
		{ "insecure_cookie = maybe\n", ":1: insecure_cookie: 'maybe' is not true or false", 0600 },
		{ "listen = 127.0.0.1:7001\n", "may be written by anyone", 0666 },
	};
	char conf[300], line[2048], args[1000], ready[300];
	snprintf(conf, sizeof(conf), "%s/bad.conf", S.dir);
	snprintf(ready, sizeof(ready), "%s/bad.ready", S.dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		unlink(conf);
		write_file(conf, bad[i].mode, "%s", bad[i].text);
		snprintf(args, sizeof(args), "--config %s serve --listen 127.0.0.1:0 --tick 0 --ready-file %s", conf, ready);
		int rc = bounded(args);
		if (rc != 2)
			fail_msg("case %zu: serve exited %d (-1: it started)", i, rc);
		assert_int_equal(access(ready, F_OK), -1);
		last_error(line, sizeof(line));
		if (!strstr(line, bad[i].says) || !strstr(line, "bad.conf"))
			fail_msg("case %zu: said '%s', expected '%s'", i, line, bad[i].says);
	}
	/* a bad value from the environment too, and a file that is not there */
	setenv("ENTENTE_THREADS", "0", 1);
	assert_int_equal(bounded("config --check"), 2);
	last_error(line, sizeof(line));
	assert_non_null(strstr(line, "environment ENTENTE_THREADS: threads: '0' is not a whole number above 0"));
	unsetenv("ENTENTE_THREADS");
	snprintf(args, sizeof(args), "--config %s/nowhere.conf org list", S.dir);
	assert_int_equal(bounded(args), 2);
	last_error(line, sizeof(line));
	assert_non_null(strstr(line, "nowhere.conf: cannot read the configuration"));
	/* --help needs none of it */
	snprintf(args, sizeof(args), "--config %s/nowhere.conf serve --help", S.dir);
	assert_int_equal(bounded(args), 0);
	write_file(conf, 0600, "threads = 2\n");
	snprintf(args, sizeof(args), "--config %s config --check", conf);
	assert_int_equal(bounded(args), 0);
}

/* Issue 23: the SMTP password comes from a file or the environment; it is
 * never printed, nor logged when delivery fails. */
static void test_secrets_are_never_shown(void **state)
{
	(void)state;
	static char out[16384];
	char line[600], err[300];
	setenv("ENTENTE_SMTP_PASSWORD", "hunter2-very-secret", 1);
	assert_int_equal(cli(&S, out, sizeof(out), "config"), 0);
	assert_null(strstr(out, "hunter2"));
	config_line(out, "smtp_password", line, sizeof(line));
	assert_non_null(strstr(line, "********"));
	assert_non_null(strstr(line, "environment ENTENTE_SMTP_PASSWORD"));
	/* a delivery that fails (nobody listens there) says so without it */
	assert_int_not_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url smtps://127.0.0.1:9 --smtp-user u --mail-attempts 1"), 0);
	unsetenv("ENTENTE_SMTP_PASSWORD");
	snprintf(err, sizeof(err), "%s/cli.err", S.dir);
	FILE *f = fopen(err, "r");
	assert_non_null(f);
	static char all[1 << 16];
	size_t n = fread(all, 1, sizeof(all) - 1, f);
	fclose(f);
	all[n] = '\0';
	assert_null(strstr(all, "hunter2"));
	assert_int_equal(cli(&S, out, sizeof(out), "outbox --json"), 0);
	assert_null(strstr(out, "hunter2"));
	/* the environment is read once, by the configuration: "no" is false
	 * there and everywhere (the mail code read it again, as "not 0") */
	setenv("ENTENTE_SMTP_INSECURE", "no", 1);
	assert_int_equal(cli(&S, out, sizeof(out), "config"), 0);
	config_line(out, "smtp_insecure", line, sizeof(line));
	assert_non_null(strstr(line, "= no "));
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url smtp://127.0.0.1:9 --smtp-user u --mail-attempts 1"), 2);
	unsetenv("ENTENTE_SMTP_INSECURE");
	last_error(line, sizeof(line));
	assert_non_null(strstr(line, "SMTP AUTH would send the password in cleartext"));
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char text[1 << 19];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	assert_true(feof(f)); /* all of it */
	fclose(f);
	text[n] = '\0';
	if (len)
		*len = n;
	return text;
}

/* Issue 23: the keys entente knows (entente config), the README's
 * configuration table and entente.conf(5) agree, both ways. */
static void test_the_readme_and_the_manual_name_every_key(void **state)
{
	(void)state;
	static char out[16384], man[65536];
	assert_int_equal(cli(&S, out, sizeof(out), "config"), 0);
	assert_int_equal(cli(&S, man, sizeof(man), "config --man"), 0);
	json_t *known = json_object();
	for (char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (*p == '#' || *p == '\n')
			continue;
		json_object_setn_new(known, p, strcspn(p, " "), json_true());
	}
	assert_true(json_object_size(known) > 30);
	char *readme = slurp("README.md", NULL);
	char *from = strstr(readme, "| key | what | read by | default |"), *to = from ? strstr(from, "\n\n") : NULL;
	assert_non_null(from);
	assert_non_null(to);
	*to = '\0';
	json_t *documented = json_object();
	for (char *p = strstr(from, "\n| `"); p; p = strstr(p + 1, "\n| `")) {
		/* whether the row says the server reads it at start only */
		size_t row = strcspn(p + 1, "\n");
		char *mark = strstr(p + 1, "at start only");
		json_object_setn_new(documented, p + 4, strcspn(p + 4, "`"), json_boolean(mark && mark < p + 1 + row));
	}
	const char *key;
	json_t *v;
	json_object_foreach(known, key, v) {
		char tp[100];
		if (!json_object_get(documented, key))
			fail_msg("key %s is not in the README's table", key);
		snprintf(tp, sizeof(tp), ".BR %s \" = \"", key);
		char *entry = strstr(man, tp), *end = entry ? strstr(entry + 1, ".TP") : NULL, *start_only;
		if (!entry)
			fail_msg("key %s is not in entente.conf(5)", key);
		/* SIGHUP: the README and the manual say the same of each key */
		start_only = strstr(entry, "At start only.");
		if (json_is_true(json_object_get(documented, key)) != (start_only && (!end || start_only < end)))
			fail_msg("key %s: the README and entente.conf(5) differ on whether SIGHUP reads it", key);
	}
	json_object_foreach(documented, key, v)
		if (!json_object_get(known, key))
			fail_msg("the README names key %s, which entente does not know", key);
	json_decref(known);
	json_decref(documented);
}


/* The backups entente migrate left beside db for schema from: how many,
 * the first's path in path. */
static size_t migration_backups(const char *db, int from, char *path, size_t n)
{
	char pattern[400];
	glob_t g;
	snprintf(pattern, sizeof(pattern), "%s.schema-%d.*.backup", db, from);
	size_t found = glob(pattern, 0, NULL, &g) ? 0 : g.gl_pathc;
	if (found)
		snprintf(path, n, "%s", g.gl_pathv[0]);
	globfree(&g);
	return found;
}

/* Issue 23: only entente migrate (and serve --migrate) changes the
 * schema; a migration whose record was lost but whose work is there is
 * recorded, not run again ("duplicate column name" before); a schema
 * changed by hand is refused and left as it was. */
static void test_only_migrate_changes_the_schema(void **state)
{
	(void)state;
	static char out[8192];
	char line[2048], args[600], copy[600];
	/* the records of migration 21 (it adds a column: run again, it
	 * fails) and of every later one are lost */
	int known = sql_int(S.db, "SELECT max(version) FROM schema_migrations");
	assert_true(known >= 21);
	sql(S.db, "DELETE FROM schema_migrations WHERE version >= 21");
	/* every command refuses, saying what to do; the server does not start */
	assert_int_equal(cli(&S, out, sizeof(out), "org list"), 1);
	last_error(line, sizeof(line));
	snprintf(args, sizeof(args), "schema is version 20, older than this entente's (%d): run entente migrate", known);
	assert_non_null(strstr(line, args));
	assert_int_equal(bounded("serve --listen 127.0.0.1:0 --tick 0"), 1);
	assert_int_equal(sql_int(S.db, "SELECT max(version) FROM schema_migrations"), 20);
	/* migrate: a backup first, then migration 21's record put back */
	assert_int_equal(cli(&S, out, sizeof(out), "migrate"), 0);
	/* migration 21 and every later one: the schema is exactly the last's */
	snprintf(args, sizeof(args), "%d migration(s) had done their work but lost their record", known - 20);
	assert_non_null(strstr(out, args));
	assert_int_equal(migration_backups(S.db, 20, copy, sizeof(copy)), 1);
	struct stat sb;
	assert_int_equal(stat(copy, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sql_int(copy, "SELECT max(version) FROM schema_migrations"), 20);
	assert_int_equal(sql_int(S.db, "SELECT max(version) FROM schema_migrations"), known);
	assert_int_equal(cli(&S, out, sizeof(out), "org list"), 0);
	/* a schema changed by hand as well: refused, nothing changed */
	sql(S.db, "DELETE FROM schema_migrations WHERE version >= 21; CREATE TABLE stray (x)");
	assert_int_equal(cli(&S, out, sizeof(out), "migrate"), 1);
	last_error(line, sizeof(line));
	assert_non_null(strstr(line, "migration 21: "));
	assert_non_null(strstr(line, "the schema is neither version 20's nor that of a later one"));
	assert_int_equal(sql_int(S.db, "SELECT max(version) FROM schema_migrations"), 20);
	assert_int_equal(sql_int(S.db, "SELECT count(*) FROM sqlite_master WHERE name = 'stray'"), 1);
	sql(S.db, "DROP TABLE stray");
	assert_int_equal(cli(&S, out, sizeof(out), "migrate"), 0);
	assert_int_equal(sql_int(S.db, "SELECT max(version) FROM schema_migrations"), known);
}

/* A fresh database of the schema of tests/fixtures/schema-18.sql. */
static void old_database(struct server *s)
{
	server_at(s, NULL, "old.db");
	size_t len;
	const char *text = slurp("tests/fixtures/schema-18.sql", &len);
	assert_true(len > 1000);
	sql(s->db, text);
	assert_int_equal(sql_int(s->db, "SELECT max(version) FROM schema_migrations"), 18);
}

/* Issue 23: a database of an earlier entente (schema 18, committed under
 * tests/fixtures) is refused until migrated; entente migrate backs it up,
 * migrates it, and every record is there with its audit chain intact;
 * serve --migrate does the same at start. */
static void test_a_database_of_an_earlier_entente_is_migrated(void **state)
{
	(void)state;
	static char out[16384];
	char copy[600];
	struct server old;
	old_database(&old);
	int wrs = sql_int(old.db, "SELECT count(*) FROM work_registers"), events = sql_int(old.db, "SELECT count(*) FROM audit");
	assert_true(wrs >= 5);
	assert_int_equal(cli(&old, out, sizeof(out), "wr list"), 1);
	assert_int_equal(sql_int(old.db, "SELECT max(version) FROM schema_migrations"), 18);
	assert_int_equal(cli(&old, out, sizeof(out), "migrate"), 0);
	assert_non_null(strstr(out, "(schema 18)"));
	assert_int_equal(migration_backups(old.db, 18, copy, sizeof(copy)), 1);
	assert_int_equal(sql_int(copy, "SELECT max(version) FROM schema_migrations"), 18);
	assert_int_equal(sql_int(old.db, "SELECT count(*) FROM work_registers"), wrs);
	assert_int_equal(sql_int(old.db, "SELECT count(*) FROM audit"), events);
	/* issue 27: every ballot, closed ones too, has its count of eligible
	 * voters beside the list, and closed ballots stay closed to change */
	assert_true(sql_int(old.db, "SELECT count(*) FROM ballots WHERE status <> 'open'") > 0);
	assert_int_equal(sql_int(old.db, "SELECT count(*) FROM ballots WHERE eligible_count <> json_array_length(eligible) OR eligible_count = 0"), 0);
	assert_int_equal(sql_int(old.db, "SELECT count(*) FROM sqlite_master WHERE name = 'ballots_closed'"), 1);
	/* a database in use keeps the body's addresses it had */
	assert_int_equal(sql_int(old.db, "SELECT count(*) FROM settings WHERE key = 'requests_address' AND value = 'dmtf-requests@kavi.com'"), 1);
	assert_int_equal(cli(&old, out, sizeof(out), "audit verify"), 0);
	assert_non_null(strstr(out, "the record is intact"));
	/* issue 24: its events written before addresses were withheld hold
	 * some; an export withholds those events' content, and an outsider's
	 * check of it passes through them by their place in the chain */
	assert_true(sql_int(old.db, "SELECT count(*) FROM audit WHERE actor LIKE '%@%' OR before LIKE '%@%' OR after LIKE '%@%'") > 0);
	char record[600], pkhex[65], sed[800];
	unsigned char pk[32];
	/* the fixture is its SQL alone: the signing key entente init made
	 * beside it is made here */
	unsigned char ksk[64];
	char khex[129], kpath[600];
	crypto_sign_keypair(pk, ksk);
	sodium_bin2hex(khex, sizeof(khex), ksk, sizeof(ksk));
	snprintf(kpath, sizeof(kpath), "%s.signing-key", old.db);
	FILE *kf = fopen(kpath, "w");
	assert_non_null(kf);
	fprintf(kf, "%s\n", khex);
	assert_int_equal(fclose(kf), 0);
	assert_int_equal(chmod(kpath, 0600), 0);
	assert_int_equal(cli(&old, out, sizeof(out), "audit checkpoint"), 0);
	snprintf(record, sizeof(record), "%s/record.json", old.dir);
	assert_int_equal(cli(&old, out, sizeof(out), "audit export > %s", record), 0);
	const char *text = slurp(record, NULL);
	json_t *doc = json_loads(text, 0, NULL), *ev;
	size_t i, held = 0;
	assert_true(json_array_size(json_object_get(doc, "events")) >= (size_t)events);
	json_array_foreach(json_object_get(doc, "events"), i, ev) {
		char *one = json_dumps(ev, JSON_COMPACT);
		assert_null(strchr(one, '@'));
		free(one);
		held += json_is_true(json_object_get(ev, "withheld"));
	}
	json_decref(doc);
	assert_true(held > 0);
	signing_public_key(&old, pk, pkhex);
	assert_int_equal(cli(&old, out, sizeof(out), "audit check %s --public-key %s", record, pkhex), 0);
	assert_non_null(strstr(out, "every checkpoint holds"));
	assert_non_null(strstr(out, "event(s) withheld"));
	/* a withheld event's hash is still its link in the chain */
	snprintf(sed, sizeof(sed), "sed -i '0,/\"withheld\":true/s//\"withheld\":true,\"hash\":\"%064d\"/' %s", 5, record);
	assert_int_equal(system(sed), 0);
	assert_int_equal(cli(&old, out, sizeof(out), "audit check %s --public-key %s", record, pkhex), 1);
	assert_non_null(strstr(out, "the export does not check out"));
	assert_int_equal(cli(&old, out, sizeof(out), "wr list --json"), 0);
	json_t *list = json_loads(out, 0, NULL);
	assert_int_equal((int)json_array_size(json_object_get(list, "items")), wrs);
	json_decref(list);
	server_cleanup(&old);
	/* serve --migrate */
	old_database(&old);
	server_start(&old, "--migrate", NULL);
	struct resp r = req(&old, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	assert_true(jint(r.json, "schema_version") > 18);
	resp_free(&r);
	r = as(&old, "vp@dmtf.example", "GET", "/api/v1/work-registers", NULL);
	expect_status(r, 200);
	assert_int_equal((int)json_array_size(json_object_get(r.json, "items")), wrs);
	resp_free(&r);
	assert_int_equal(server_stop(&old), 0);
	assert_int_equal(migration_backups(old.db, 18, copy, sizeof(copy)), 1);
	server_cleanup(&old);
}

/* Issue 23: init names the body and its addresses (flags); without them
 * no real organization's address is a default. */
static void test_init_names_the_body_and_its_addresses(void **state)
{
	(void)state;
	static char out[16384];
	struct server s;
	server_at(&s, NULL, "a.db");
	assert_int_equal(cli(&s, out, sizeof(out), "init </dev/null"), 0);
	/* the records are the service user's alone, whatever the umask */
	struct stat sb;
	assert_int_equal(stat(s.db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(cli(&s, out, sizeof(out), "settings show --json"), 0);
	json_t *set = json_loads(out, 0, NULL);
	assert_string_equal(jstr(set, "requests_address"), "requests@example.org");
	assert_string_equal(jstr(set, "alliance_list_address"), "alliance-partner@example.org");
	assert_string_equal(jstr(set, "press_address"), "press@example.org");
	json_decref(set);
	assert_int_equal(cli(&s, out, sizeof(out), "org list --kind host --json"), 0);
	assert_null(strstr(out, "dmtf.org"));
	snprintf(s.db, sizeof(s.db), "%s/b.db", s.dir);
	assert_int_equal(cli(&s, out, sizeof(out),
			     "init --body-name 'Storage Standards Body' --body-short-name SSB --body-website https://ssb.example "
			     "--requests-address requests@ssb.example --alliance-list-address alliances@ssb.example --press-address press@ssb.example"),
			 0);
	assert_int_equal(cli(&s, out, sizeof(out), "settings show --json"), 0);
	set = json_loads(out, 0, NULL);
	assert_string_equal(jstr(set, "requests_address"), "requests@ssb.example");
	assert_string_equal(jstr(set, "alliance_list_address"), "alliances@ssb.example");
	assert_string_equal(jstr(set, "press_address"), "press@ssb.example");
	json_decref(set);
	assert_int_equal(cli(&s, out, sizeof(out), "org list --kind host --json"), 0);
	json_t *orgs = json_loads(out, 0, NULL);
	json_t *host = json_array_get(json_object_get(orgs, "items"), 0);
	assert_string_equal(jstr(host, "name"), "Storage Standards Body");
	assert_string_equal(jstr(host, "short_name"), "SSB");
	assert_string_equal(jstr(host, "website"), "https://ssb.example");
	json_decref(orgs);
	/* a bad address is refused, and init says which */
	snprintf(s.db, sizeof(s.db), "%s/c.db", s.dir);
	assert_int_not_equal(cli(&s, out, sizeof(out), "init --press-address not-an-address"), 0);
	server_cleanup(&s);
}

/* One datagram from fd within 10 s, into buf. */
static void notified(int fd, char *buf, size_t n)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	*buf = '\0';
	assert_int_equal(poll(&p, 1, 10000), 1);
	ssize_t got = recv(fd, buf, n - 1, 0);
	assert_true(got > 0);
	buf[got] = '\0';
}

/* Issue 23: under systemd (Type=notify) the server says READY=1 once it
 * serves, and STOPPING=1 when told to stop, over $NOTIFY_SOCKET. */
static void test_systemd_hears_ready_and_stopping(void **state)
{
	(void)state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char said[128];
	assert_true(strlen(S.dir) + sizeof("/notify") <= sizeof(sa.sun_path));
	memcpy(sa.sun_path, S.dir, strlen(S.dir));
	memcpy(sa.sun_path + strlen(S.dir), "/notify", sizeof("/notify"));
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	server_start(&S, NULL);
	unsetenv("NOTIFY_SOCKET");
	notified(fd, said, sizeof(said));
	assert_string_equal(said, "READY=1");
	struct resp r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);
	notified(fd, said, sizeof(said));
	assert_string_equal(said, "STOPPING=1");
	close(fd);
}

/* How many lines of the server's log hold text. */
static int log_lines(const struct server *s, const char *text)
{
	char line[2048];
	int n = 0;
	FILE *f = fopen(s->log, "r");
	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, text) != NULL;
	if (f)
		fclose(f);
	return n;
}

static int comments_saying(struct server *s, const char *text)
{
	struct resp r = as(s, "owner@dmtf.example", "GET", "/api/v1/work-registers/1/comments", NULL);
	expect_status(r, 200);
	int n = 0;
	json_t *items = json_object_get(r.json, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		n += jstr(json_array_get(items, i), "text") && !strcmp(jstr(json_array_get(items, i), "text"), text);
	resp_free(&r);
	return n;
}

/* Issue 23: when the database cannot be written (here a file-size limit
 * set on the running server, as a full disk would), every change is
 * answered 503 naming the cause, nothing of it is kept, /healthz is 503
 * until a write succeeds again, and the log says so once, not once a
 * request (a full disk wrote 51,000 identical lines). */
static void test_a_full_disk_answers_503_and_keeps_nothing(void **state)
{
	(void)state;
	server_start(&S, NULL);
	struct resp r = as(&S, "owner@dmtf.example", "GET", "/api/v1/me", NULL); /* tokens, made before */
	resp_free(&r);
	r = as(&S, "sam@snia.example", "GET", "/api/v1/me", NULL);
	resp_free(&r);
	assert_true(server_metric(&S, "entente_storage_fault") == 0);
	struct stat db;
	assert_int_equal(stat(S.db, &db), 0);
	struct rlimit lim = { (rlim_t)db.st_size + 4096, RLIM_INFINITY }, none = { RLIM_INFINITY, RLIM_INFINITY }; /* the soft limit: raised again */
	assert_int_equal(prlimit(S.pid, RLIMIT_FSIZE, &lim, NULL), 0);
	int refused = 0;
	for (int i = 0; i < 200; i++) {
		char text[64];
		snprintf(text, sizeof(text), "Refused %d.", i);
		r = as(&S, "sam@snia.example", "POST", "/api/v1/work-registers/1/comments", "{ss}", "text", text);
		if (r.status == 503) {
			refused++;
			assert_string_equal(jstr(r.json, "field"), "storage");
			assert_non_null(strstr(jstr(r.json, "detail"), "the database cannot be written"));
			assert_string_equal(r.retry_after, "60");
		} else {
			expect_status(r, 201); /* before the limit was reached */
		}
		resp_free(&r);
	}
	assert_true(refused > 150);
	r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 503);
	assert_string_equal(jstr(r.json, "field"), "storage");
	assert_non_null(strstr(jstr(r.json, "detail"), "the database cannot be written"));
	resp_free(&r);
	assert_int_equal(server_metric(&S, "entente_storage_fault"), 1);
	assert_true(server_metric(&S, "entente_storage_refused_writes_total") >= refused);
	/* none of the refused changes is there */
	int kept = 0;
	for (int i = 0; i < 200; i++) {
		char text[64];
		snprintf(text, sizeof(text), "Refused %d.", i);
		kept += comments_saying(&S, text);
	}
	assert_int_equal(kept, 200 - refused);
	/* the log: the fault once, no line per request */
	assert_int_equal(log_lines(&S, "storage: the database cannot be written"), 1);
	assert_int_equal(log_lines(&S, "error POST"), 0);
	/* room again: the next write succeeds, and health comes back */
	assert_int_equal(prlimit(S.pid, RLIMIT_FSIZE, &none, NULL), 0);
	r = as(&S, "sam@snia.example", "POST", "/api/v1/work-registers/1/comments", "{ss}", "text", "After the disk was freed.");
	expect_status(r, 201);
	resp_free(&r);
	r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(server_metric(&S, "entente_storage_fault"), 0);
	assert_int_equal(log_lines(&S, "storage: writes succeed again"), 1);
	assert_int_equal(comments_saying(&S, "After the disk was freed."), 1);
	assert_int_equal(server_stop(&S), 0);
	char out[256];
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0);
	sqlite3 *h;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open_v2(S.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	sqlite3_close(h);
}

/* Issue 23: one server per database: a second serve, or a migrate, is
 * refused while one serves, naming it; free again once it stopped. */
static void test_one_server_per_database(void **state)
{
	(void)state;
	char out[4096], line[2048], holder[64];
	server_start(&S, NULL);
	assert_int_equal(bounded("serve --listen 127.0.0.1:0 --tick 0"), 1);
	last_error(line, sizeof(line));
	snprintf(holder, sizeof(holder), "(pid %ld, entente serve)", (long)S.pid);
	assert_non_null(strstr(line, "is held by another entente"));
	assert_non_null(strstr(line, holder));
	assert_int_equal(cli(&S, out, sizeof(out), "migrate"), 1);
	last_error(line, sizeof(line));
	assert_non_null(strstr(line, "stop it before migrating"));
	struct resp r = req(&S, "GET", "/healthz", NULL, NULL, NULL); /* the first serves on */
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "migrate"), 0);
}

/* Issue 23: the log an operator reads: an access line per request (client,
 * person, method, route, status, bytes, duration, the request's id), the
 * security log (sign-ins, refusals, administrators' changes), levels, a
 * file reopened at SIGHUP (logrotate); and the durations in /metrics. */
static void test_the_log_an_operator_reads(void **state)
{
	(void)state;
	char path[300], moved[320], id[64];
	snprintf(path, sizeof(path), "%s/entente.log", S.dir);
	snprintf(moved, sizeof(moved), "%s.1", path);
	server_start(&S, "--log-file", path, NULL);
	struct resp r = as(&S, "vp@dmtf.example", "GET", "/api/v1/work-registers", NULL);
	expect_status(r, 200);
	assert_true(strlen(r.request_id) > 2);
	snprintf(id, sizeof(id), "id=%s", r.request_id);
	resp_free(&r);
	assert_true(logged(path, "access: 127.0.0.1 person=", " GET /api/v1/work-registers 200 ", "ms ", id, NULL));
	r = req(&S, "POST", "/api/v1/session", NULL, "{\"email\":\"vp@dmtf.example\",\"password\":\"wrong-wrong-wrong\"}", NULL);
	expect_status(r, 401);
	resp_free(&r);
	assert_true(logged(path, "security: sign-in failed: account vp@dmtf.example, client 127.0.0.1", NULL));
	r = as(&S, "sam@snia.example", "PATCH", "/api/v1/settings", "{ss}", "press_address", "press@ops.example");
	expect_status(r, 403);
	resp_free(&r);
	assert_true(logged(path, "security: refused: person ", "settings.update", "client 127.0.0.1", NULL));
	r = as(&S, "admin@localhost", "PATCH", "/api/v1/settings", "{ss}", "press_address", "press@ops.example");
	expect_status(r, 200);
	resp_free(&r);
	assert_true(logged(path, "security: administrative change: settings.update by person ", NULL));
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* logrotate: moved, then SIGHUP: the server writes a new file */
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(kill(S.pid, SIGHUP), 0);
	await_logged(path, "SIGHUP: reopened the log file");
	r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	snprintf(id, sizeof(id), "id=%s", r.request_id);
	resp_free(&r);
	assert_true(logged(path, "access: 127.0.0.1 - GET /healthz 200 ", id, NULL));
	assert_false(logged(moved, id, NULL));
	/* durations by class of route */
	long reads = server_metric(&S, "entente_http_request_duration_seconds_count{class=\"api_read\"}");
	assert_true(reads >= 1);
	assert_int_equal(server_metric(&S, "entente_http_request_duration_seconds_bucket{class=\"api_read\",le=\"+Inf\"}"), reads);
	assert_true(server_metric(&S, "entente_http_request_duration_seconds_count{class=\"api_write\"}") >= 2);
	assert_int_equal(server_metric(&S, "entente_signins_total{outcome=\"failed\"}"), 1);
	assert_int_equal(server_stop(&S), 0);
	/* warn: the security log, no access lines */
	unlink(path);
	server_start(&S, "--log-file", path, "--log-level", "warn", NULL);
	r = as(&S, "vp@dmtf.example", "GET", "/api/v1/work-registers", NULL);
	resp_free(&r);
	r = req(&S, "POST", "/api/v1/session", NULL, "{\"email\":\"vp@dmtf.example\",\"password\":\"wrong-again-wrong\"}", NULL);
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);
	assert_false(logged(path, "access: ", NULL));
	assert_true(logged(path, "security: sign-in failed", NULL));
}

/* Issue 23: SIGHUP reads the configuration file again. What can change
 * takes effect for the requests that follow: the body limit, who may read
 * /metrics, which proxies are believed, the log level. A key read at start
 * only is logged as waiting for a restart; a wrong file is logged with its
 * line and changes nothing. */
static void test_sighup_reads_the_configuration_again(void **state)
{
	(void)state;
	static char big[4096];
	char conf[300], path[300], id[64];
	const char *forwarded[] = { "X-Forwarded-For: 198.51.100.7", NULL };
	snprintf(conf, sizeof(conf), "%s/reload.conf", S.dir);
	snprintf(path, sizeof(path), "%s/reload.log", S.dir);
	memset(big, ' ', sizeof(big) - 1);
	big[0] = '{';
	big[sizeof(big) - 2] = '}';
	write_file(conf, 0600, "body_limit = 2048\nlog_file = %s\n", path);
	server_start(&S, "--config", conf, NULL);
	struct resp r = req(&S, "POST", "/api/v1/session", NULL, big, NULL);
	expect_status(r, 413);
	resp_free(&r);
	r = req(&S, "GET", "/metrics", NULL, NULL, NULL);
	assert_int_not_equal(r.status, 200);
	resp_free(&r);

	write_file(conf, 0600, "body_limit = 8192\nlog_file = %s\nmetrics_from = 127.0.0.1, 198.51.100.0/24\nlog_level = warn\nthreads = 2\n", path);
	assert_int_equal(kill(S.pid, SIGHUP), 0);
	await_logged(path, "SIGHUP: the configuration is read again from ", "body_limit (", "reload.conf:1)", "metrics_from (",
		     "log_level (");
	assert_true(logged(path, "SIGHUP: threads changed (", "reload.conf:5", "read at start only", NULL));
	r = req(&S, "POST", "/api/v1/session", NULL, big, NULL);
	expect_status(r, 400); /* read whole now: an empty sign-in */
	resp_free(&r);
	r = req(&S, "GET", "/metrics", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = req(&S, "GET", "/healthz", NULL, NULL, NULL);
	snprintf(id, sizeof(id), "id=%s", r.request_id);
	resp_free(&r);
	assert_false(logged(path, id, NULL)); /* warn: no access line */

	/* the proxies: believed from 127.0.0.1 once the file says so, and
	 * then the client is the address it names */
	write_file(conf, 0600, "body_limit = 8192\nlog_file = %s\nmetrics_from = 198.51.100.0/24\n", path);
	assert_int_equal(kill(S.pid, SIGHUP), 0);
	await_logged(path, "SIGHUP: the configuration is read again from ", "metrics_from (", "log_level (now the default)");
	r = req(&S, "GET", "/metrics", NULL, NULL, forwarded);
	assert_int_not_equal(r.status, 200); /* 127.0.0.1, not believed: no scraper */
	resp_free(&r);
	write_file(conf, 0600, "body_limit = 8192\nlog_file = %s\nmetrics_from = 198.51.100.0/24\ntrusted_proxy = 127.0.0.1\n", path);
	assert_int_equal(kill(S.pid, SIGHUP), 0);
	await_logged(path, "SIGHUP: the configuration is read again from ", "trusted_proxy (");
	r = req(&S, "GET", "/metrics", NULL, NULL, forwarded);
	expect_status(r, 200); /* the client is 198.51.100.7 */
	resp_free(&r);

	/* a wrong file: its line is logged, and nothing changes */
	write_file(conf, 0600, "body_limit = lots\nlog_file = %s\n", path);
	assert_int_equal(kill(S.pid, SIGHUP), 0);
	await_logged(path, "SIGHUP: the configuration is not read again: ", "reload.conf:1: body_limit: 'lots'", "stays as it was");
	r = req(&S, "POST", "/api/v1/session", NULL, big, NULL);
	expect_status(r, 400);
	resp_free(&r);
	r = req(&S, "GET", "/metrics", NULL, NULL, forwarded);
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(server_stop(&S), 0);
}

static void send_all(int fd, const char *text)
{
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

/* Issue 23: at SIGTERM the server accepts no more and closes its idle
 * connections at once, answers the request still arriving, and exits 0. */
static void test_sigterm_answers_what_is_in_flight(void **state)
{
	(void)state;
	static char buf[8192];
	int closed;
	server_start(&S, NULL);
	int idle = raw_dial(&S, NULL);
	send_all(idle, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
	raw_read_until(idle, buf, sizeof(buf), 3000, "\"schema_version\"", &closed);
	assert_non_null(strstr(buf, "HTTP/1.1 200"));
	assert_int_equal(closed, 0); /* kept alive */
	const char *body = "{\"email\":\"vp@dmtf.example\",\"password\":\"demo-alliance\"}";
	char head[300];
	snprintf(head, sizeof(head), "POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
		 strlen(body));
	int busy = raw_dial(&S, NULL);
	send_all(busy, head);
	assert_int_equal(write(busy, body, 10), 10); /* the rest is still to come */
	usleep(200000);
	struct timespec t0, t1;
	int stops = log_lines(&S, "the requests in flight have 10 s to finish");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(kill(S.pid, SIGTERM), 0);
	/* the idle connection is closed at once */
	raw_read(idle, buf, sizeof(buf), 3000, &closed);
	assert_int_equal(closed, 1);
	/* the request in flight is answered */
	send_all(busy, body + 10);
	raw_read_until(busy, buf, sizeof(buf), 5000, "csrf_token", &closed);
	assert_non_null(strstr(buf, "HTTP/1.1 201"));
	close(idle);
	close(busy);
	int st;
	assert_int_equal(waitpid(S.pid, &st, 0), S.pid);
	S.pid = 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(t1.tv_sec - t0.tv_sec < 10); /* within the stop timeout: nothing was left to wait for */
	assert_int_equal(log_lines(&S, "the requests in flight have 10 s to finish"), stops + 1);
}

/* Issue 23: a database put back from a copy older than the last signed
 * checkpoint (a cp of the live file, an old backup) is refused, saying
 * which events are missing, unless the operator accepts it, which the
 * chain then records; the acknowledged changes are not silently lost. */
static void test_a_database_put_back_behind_a_checkpoint_is_refused(void **state)
{
	(void)state;
	static char out[65536];
	char copy[300], line[2048], cmd[1400];
	snprintf(copy, sizeof(copy), "%s/copy.db", S.dir);
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoint"), 0);
	snprintf(cmd, sizeof(cmd), "cp %s %s", S.db, copy); /* the server is stopped: one file */
	assert_int_equal(system(cmd), 0);
	/* changes after the copy, acknowledged, then a checkpoint */
	server_start(&S, NULL);
	for (int i = 0; i < 5; i++) {
		struct resp r = as(&S, "sam@snia.example", "POST", "/api/v1/work-registers/1/comments", "{ss}", "text", "After the copy.");
		expect_status(r, 201);
		resp_free(&r);
	}
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoint"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoints --json"), 0);
	json_t *list = json_loads(out, 0, NULL);
	long long last = jint(json_array_get(json_object_get(list, "items"), 0), "last_id"); /* the newest's */
	json_decref(list);
	/* the copy put back */
	snprintf(cmd, sizeof(cmd), "rm -f %s-wal %s-shm && mv %s %s", S.db, S.db, copy, S.db);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(bounded("serve --listen 127.0.0.1:0 --tick 0"), 1);
	last_error(line, sizeof(line));
	assert_non_null(strstr(line, "the database was put back from an older copy"));
	char missing[80];
	snprintf(missing, sizeof(missing), " to %lld are missing", last);
	assert_non_null(strstr(line, missing));
	/* accepted, once: recorded in the chain, and a checkpoint of it */
	server_start(&S, "--accept-rollback", NULL);
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "audit --target-type audit --json"), 0);
	assert_non_null(strstr(out, "rollback: the events after last_id are lost"));
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0);
	/* the next start needs nothing */
	server_start(&S, NULL);
	assert_int_equal(server_stop(&S), 0);
}

/* Issue 23: the restore drill. A backup taken while votes are being cast
 * (entente seed, through the door) restores into a new directory, the
 * server starts on it, its audit chain verifies, and every vote committed
 * before the backup began is there; a damaged archive is refused and
 * leaves no database behind. */
static void test_a_restore_drill_under_votes(void **state)
{
	(void)state;
	static char out[16384];
	char archive[300], cmd[1600], seedlog[300], pub[300], damaged[300], dir2[300];
	const char *bin = getenv("ENTENTE_BIN");
	bin = bin && *bin ? bin : "build/entente";
	snprintf(archive, sizeof(archive), "%s/drill.tgz", S.dir);
	snprintf(seedlog, sizeof(seedlog), "%s/seed.log", S.dir);
	snprintf(pub, sizeof(pub), "%s/pub.git", S.dir);
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s", pub), 0);
	snprintf(cmd, sizeof(cmd), "%s --db %s seed --wrs 200 --people 100 --votes 8000 >%s 2>&1 &", bin, S.db, seedlog);
	assert_int_equal(system(cmd), 0);
	int before = 0;
	for (int i = 0; i < 1500 && before < 500; i++) {
		usleep(20000);
		before = sql_int(S.db, "SELECT count(*) FROM votes");
	}
	assert_true(before >= 500); /* the load is on */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(cli(&S, out, sizeof(out), "backup %s --git-repo %s", archive, pub), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int after = sql_int(S.db, "SELECT count(*) FROM votes");
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("restore drill: %d votes committed before the backup began, %d when it ended (%.0f votes a second meanwhile)\n", before,
	       after, (after - before) / (secs > 0 ? secs : 1));
	for (int i = 0; i < 3000 && !logged(seedlog, "seeded ", NULL); i++)
		usleep(20000);
	assert_true(logged(seedlog, "seeded ", NULL));
	struct stat sb;
	assert_int_equal(stat(archive, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* into a new directory */
	struct server R;
	char restored[300];
	snprintf(restored, sizeof(restored), "%s/restored", S.dir);
	server_at(&R, restored, "entente.db");
	assert_int_equal(cli(&S, out, sizeof(out), "restore %s %s", archive, R.dir), 0);
	assert_non_null(strstr(out, "audit chain verified"));
	snprintf(cmd, sizeof(cmd), "%s/published.git/HEAD", R.dir);
	assert_int_equal(access(cmd, F_OK), 0);
	snprintf(cmd, sizeof(cmd), "%s/entente.db.signing-key", R.dir);
	assert_int_equal(access(cmd, F_OK), 0);
	assert_true(sql_int(R.db, "SELECT count(*) FROM votes") >= before);
	server_start(&R, NULL);
	struct resp r = req(&R, "GET", "/healthz", NULL, NULL, NULL);
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(server_stop(&R), 0);
	assert_int_equal(cli(&R, out, sizeof(out), "audit verify"), 0);
	assert_non_null(strstr(out, "the record is intact"));
	/* not over a database, not from a damaged archive */
	assert_int_equal(cli(&S, out, sizeof(out), "restore %s %s", archive, R.dir), 1);
	snprintf(damaged, sizeof(damaged), "%s/damaged.tgz", S.dir);
	snprintf(dir2, sizeof(dir2), "%s/again", S.dir);
	snprintf(cmd, sizeof(cmd), "cp %s %s && printf 'XXXX' | dd of=%s bs=1 seek=%lld conv=notrunc 2>/dev/null", archive, damaged, damaged,
		 (long long)sb.st_size / 2);
	assert_int_equal(system(cmd), 0);
	assert_int_not_equal(cli(&S, out, sizeof(out), "restore %s %s", damaged, dir2), 0);
	snprintf(cmd, sizeof(cmd), "%s/entente.db", dir2);
	assert_int_equal(access(cmd, F_OK), -1);
}

/* Issue 23: /metrics says how old the newest signed checkpoint is, and
 * how many events of the chain came after it. */
static void test_metrics_tell_the_checkpoints_age(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(cli(&S, out, sizeof(out), "audit checkpoint"), 0);
	server_start(&S, NULL);
	long age = server_metric(&S, "entente_checkpoint_age_seconds");
	assert_true(age >= 0 && age < 600);
	long unsigned0 = server_metric(&S, "entente_audit_events_unsigned");
	assert_true(unsigned0 >= 0);
	for (int i = 0; i < 3; i++) {
		struct resp r = as(&S, "sam@snia.example", "POST", "/api/v1/work-registers/1/comments", "{ss}", "text", "Unsigned yet.");
		expect_status(r, 201);
		resp_free(&r);
	}
	assert_true(server_metric(&S, "entente_audit_events_unsigned") >= unsigned0 + 3);
	assert_int_equal(server_stop(&S), 0);
}

static int setup(void **state)
{
	(void)state;
	server_init(&S, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("ENTENTE_LISTEN");
	unsetenv("ENTENTE_THREADS");
	unsetenv("ENTENTE_SMTP_PASSWORD");
	unsetenv("ENTENTE_SMTP_INSECURE");
	unsetenv("NOTIFY_SOCKET");
	setenv("ENTENTE_CONFIG", "", 1);
	if (S.pid > 0)
		server_kill9(&S); /* a test that failed while its server ran */
	server_cleanup(&S);
	return 0;
}

int main(void)
{
	/* no operator's file of this machine reaches the tests */
	setenv("ENTENTE_CONFIG", "", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_file_the_environment_and_the_command_line),
		cmocka_unit_test(test_a_bad_configuration_stops_the_server),
		cmocka_unit_test(test_secrets_are_never_shown),
		cmocka_unit_test(test_the_readme_and_the_manual_name_every_key),
		cmocka_unit_test(test_only_migrate_changes_the_schema),
		cmocka_unit_test(test_a_database_of_an_earlier_entente_is_migrated),
		cmocka_unit_test(test_init_names_the_body_and_its_addresses),
		cmocka_unit_test(test_systemd_hears_ready_and_stopping),
		cmocka_unit_test(test_a_full_disk_answers_503_and_keeps_nothing),
		cmocka_unit_test(test_one_server_per_database),
		cmocka_unit_test(test_the_log_an_operator_reads),
		cmocka_unit_test(test_sighup_reads_the_configuration_again),
		cmocka_unit_test(test_sigterm_answers_what_is_in_flight),
		cmocka_unit_test(test_a_database_put_back_behind_a_checkpoint_is_refused),
		cmocka_unit_test(test_a_restore_drill_under_votes),
		cmocka_unit_test(test_metrics_tell_the_checkpoints_age),
	};
	return cmocka_run_group_tests_name("operations", tests, setup, teardown);
}
