/* The command line, as an operator uses it: init with a password file, the
 * resource commands, accounts and tokens, backup, migrate, --help and
 * --version, a clean stop of serve on SIGTERM, and seed. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "http/client.h"

static void test_init_with_password_file_and_sign_in(void **state)
{
	(void)state;
	struct server s;
	char out[4096], path[256];
	server_at(&s, NULL, "sub/e.db");
	snprintf(path, sizeof(path), "%s/pw", s.dir);
	FILE *f = fopen(path, "w");
	fputs("a long enough secret\n", f);
	fclose(f);
	assert_int_equal(cli(&s, out, sizeof(out), "init --admin-email root@dmtf.example --admin-password-file %s", path), 0);
	assert_null(strstr(out, "a long enough secret")); /* a password from a file is not echoed */
	assert_int_not_equal(cli(&s, out, sizeof(out), "init"), 0); /* once only */
	server_start(&s, NULL);
	struct resp r = req(&s, "POST", "/api/v1/session", NULL, "{\"email\":\"root@dmtf.example\",\"password\":\"a long enough secret\"}", NULL);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	assert_int_equal(server_stop(&s), 0); /* SIGTERM: a clean stop */
	server_cleanup(&s);
}

/* Issue 23: SIGHUP (logrotate, systemctl reload) does not stop the
 * server; it reads the configuration again (here: no file, nothing
 * changed), says so in its log and goes on serving. */
static void test_sighup_does_not_stop_the_server(void **state)
{
	(void)state;
	struct server s;
	server_init(&s, 1);
	server_start(&s, NULL);
	assert_int_equal(kill(s.pid, SIGHUP), 0);
	await_logged(s.log, "SIGHUP: the configuration is read again: nothing that takes effect now changed");
	await_logged(s.log, "SIGHUP: still serving");
	struct resp r = req(&s, "GET", "/healthz", NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	assert_int_equal(server_stop(&s), 0); /* SIGTERM still stops it, cleanly */
	server_cleanup(&s);
}

static volatile int writing;

/* Changes, one after another, until told to stop: a server under writes. */
static void *writer(void *arg)
{
	struct server *s = arg;
	int n = 0;
	while (writing) {
		struct resp r = as(s, "owner@dmtf.example", "PATCH", "/api/v1/me", "{ss}", "mail_mode", n++ % 2 ? "daily" : "immediate");
		resp_free(&r);
	}
	return (void *)(intptr_t)n;
}

/* Issue 23: a backup taken while the server takes writes finishes, is a
 * sound database, and is the owner's alone (0600). Copied a few pages at
 * a time, each write started the copy again: it never ended. */
static void test_a_backup_finishes_under_writes(void **state)
{
	(void)state;
	struct server s;
	char cmd[1200], copy[300];
	server_init(&s, 1);
	server_start(&s, NULL);
	struct resp r = as(&s, "owner@dmtf.example", "GET", "/api/v1/me", NULL); /* the token, made before the thread */
	resp_free(&r);
	/* a database with some weight: many pages to copy */
	assert_int_equal(cli(&s, NULL, 0, "seed --wrs 300 --people 50 --votes 200"), 0);
	writing = 1;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, writer, &s), 0);
	usleep(200000);
	snprintf(copy, sizeof(copy), "%s/copy.db", s.dir);
	const char *bin = getenv("ENTENTE_BIN");
	snprintf(cmd, sizeof(cmd), "timeout 120 %s --db %s backup --to %s >/dev/null 2>&1", bin && *bin ? bin : "build/entente", s.db, copy);
	int st = system(cmd);
	writing = 0;
	void *writes;
	pthread_join(t, &writes);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0); /* finished (124: still copying after two minutes) */
	assert_true((intptr_t)writes > 0);
	struct stat sb;
	assert_int_equal(stat(copy, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM work_registers", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_true(sqlite3_column_int(q, 0) >= 300);
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_int_equal(server_stop(&s), 0);
	server_cleanup(&s);
}

/* The id of the first WR in status (0 if none), as the VP lists them. */
static long long wr_in(struct server *s, const char *status)
{
	char path[120];
	snprintf(path, sizeof(path), "/api/v1/work-registers?status=%s", status);
	struct resp r = as(s, "vp@dmtf.example", "GET", path, NULL);
	long long id = json_array_size(json_object_get(r.json, "items")) ? jint(json_array_get(json_object_get(r.json, "items"), 0), "id") : 0;
	resp_free(&r);
	return id;
}

/* make run's demo tells the whole story (init --demo --story): an
 * established WR on the public site with its Table 1 and history, whose
 * review is due; one in a committee ballot with votes; one in drafting with
 * open comments; a change request; a joint meeting. */
static void test_story_demo(void **state)
{
	(void)state;
	struct server s;
	char out[8192], path[160];
	server_at(&s, NULL, "e.db");
	assert_int_equal(cli(&s, out, sizeof(out), "init --demo --story"), 0);
	server_start(&s, NULL);
	long long est = wr_in(&s, "established"), bal = wr_in(&s, "committee_ballots"), dr = wr_in(&s, "drafting");
	assert_true(est > 0 && bal > 0 && dr > 0);
	struct resp r = req(&s, "GET", "/registers", NULL, NULL, NULL);
	assert_non_null(strstr(r.raw, "TGG and DMTF: power and cooling telemetry")); /* public (R21) */
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld", est);
	r = as(&s, "vp@dmtf.example", "GET", path, NULL);
	assert_true(json_array_size(json_object_get(r.json, "standards")) >= 2);
	assert_string_equal(jstr(r.json, "version_label"), "1.0.0");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/history", est);
	r = as(&s, "vp@dmtf.example", "GET", path, NULL);
	assert_true(json_array_size(json_object_get(r.json, "items")) >= 10);
	resp_free(&r);
	r = as(&s, "vp@dmtf.example", "GET", "/api/v1/reviews", NULL);
	int due = 0, overdue = 0; /* its review is due (R27); another's is overdue (issue 25) */
	for (size_t i = 0; i < json_array_size(json_object_get(r.json, "items")); i++) {
		json_t *it = json_array_get(json_object_get(r.json, "items"), i);
		due += jint(it, "wr_id") == est;
		overdue += json_is_true(json_object_get(it, "overdue"));
	}
	assert_int_equal(due, 1);
	assert_true(overdue >= 1);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/ballots?wr_id=%lld&status=open", bal);
	r = as(&s, "vp@dmtf.example", "GET", path, NULL);
	long long b = jint(json_array_get(json_object_get(r.json, "items"), 0), "id");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld", b);
	r = as(&s, "chair@dmtf.example", "GET", path, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "votes")), 2); /* a yes and a no with its comment */
	resp_free(&r);
	long long drafting = 0;
	for (long long id = dr; id <= est + 5 && !drafting; id++) { /* the story's draft: the one with comments */
		snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/comments?status=open", id);
		r = as(&s, "vp@dmtf.example", "GET", path, NULL);
		if (r.status == 200 && json_array_size(json_object_get(r.json, "items")) >= 2)
			drafting = id;
		resp_free(&r);
	}
	assert_true(drafting > 0);
	r = as(&s, "vp@dmtf.example", "GET", "/api/v1/change-requests", NULL);
	assert_true(json_array_size(json_object_get(r.json, "items")) >= 1);
	resp_free(&r);
	r = as(&s, "vp@dmtf.example", "GET", "/api/v1/meetings", NULL);
	assert_true(json_array_size(json_object_get(r.json, "items")) >= 1);
	resp_free(&r);
	assert_int_equal(server_stop(&s), 0);
	server_cleanup(&s);
}

static struct server S;

static int setup(void **state)
{
	(void)state;
	server_init(&S, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_cleanup(&S);
	return 0;
}

static void test_resource_commands(void **state)
{
	(void)state;
	char out[16384];
	assert_int_equal(cli(&S, out, sizeof(out), "org add --name 'Open Fabrics Alliance' --short-name OFA --website https://ofa.example"), 0);
	assert_non_null(strstr(out, "\"short_name\": \"OFA\""));
	assert_int_equal(cli(&S, out, sizeof(out), "org list"), 0);
	assert_non_null(strstr(out, "OFA"));
	assert_int_not_equal(cli(&S, out, sizeof(out), "org add --name 'No Short'"), 0); /* short_name is required */
	assert_int_not_equal(cli(&S, out, sizeof(out), "org add --colour red"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "person add --name 'Ada Lee' --email ada@ofa.example --org-id 4"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "body add --name 'Networking WG' --kind working_group --parent-id 4"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "body member-add --id 4 --person-id 3 --role observer"), 1); /* already a member */
	assert_int_equal(cli(&S, out, sizeof(out), "body members --id 4 --json"), 0);
	assert_non_null(strstr(out, "\"role\": \"chair\""));
	assert_int_equal(cli(&S, out, sizeof(out), "wr list"), 0);
	assert_non_null(strstr(out, "drafting"));
	assert_int_equal(cli(&S, out, sizeof(out), "wr show --id 1"), 0);
	assert_non_null(strstr(out, "\"milestones\""));
	assert_int_equal(cli(&S, out, sizeof(out), "wr show --id 99"), 1);
	assert_int_equal(cli(&S, out, sizeof(out), "wr set --id 1 --title 'Retitled from the CLI' --summary 'CLI edit'"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "wr history --id 1 --json"), 0);
	assert_non_null(strstr(out, "CLI edit"));
	assert_int_equal(cli(&S, out, sizeof(out), "audit --target-type work_register --json"), 0);
	assert_non_null(strstr(out, "\"actor\": \"system\"")); /* the operator's changes are audited */
	/* acting as a person takes their rights, not the operator's */
	assert_int_equal(cli(&S, out, sizeof(out), "org add --name X --short-name X --as sam@snia.example"), 1);
}

static void test_accounts_and_tokens(void **state)
{
	(void)state;
	char out[4096], tok[128];
	assert_int_equal(cli(&S, out, sizeof(out), "user add --email kim@dmtf.example --name 'Kim Park' --role vp_alliances"), 0);
	assert_non_null(strstr(out, "password: "));
	assert_int_equal(cli(&S, out, sizeof(out), "user list"), 0);
	assert_non_null(strstr(out, "kim@dmtf.example"));
	assert_int_equal(cli(&S, tok, sizeof(tok), "token create --email kim@dmtf.example"), 0);
	tok[strcspn(tok, "\n")] = '\0';
	assert_int_equal(strncmp(tok, "ent_", 4), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "token list --email kim@dmtf.example --json"), 0);
	assert_null(strstr(out, tok + 4)); /* only hashes are stored: never the token */
	assert_int_equal(cli(&S, out, sizeof(out), "user passwd --email kim@dmtf.example"), 0);
	assert_non_null(strstr(out, "password: "));
	assert_int_equal(cli(&S, out, sizeof(out), "user disable --email nobody@x.org"), 1);
}

static void test_backup_migrate_help_version(void **state)
{
	(void)state;
	char out[8192], copy[256];
	snprintf(copy, sizeof(copy), "%s/copy.db", S.dir);
	assert_int_equal(cli(&S, out, sizeof(out), "backup --to %s", copy), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "--db %s wr list", copy), 0); /* the copy is a working database */
	assert_non_null(strstr(out, "drafting"));
	assert_int_equal(cli(&S, out, sizeof(out), "migrate"), 0);
	assert_non_null(strstr(out, "applied 0 migration(s)"));
	assert_int_equal(cli(&S, out, sizeof(out), "--version"), 0);
	assert_non_null(strstr(out, "entente "));
	const char *cmds[] = { "init", "serve", "migrate", "backup", "user add", "user passwd", "token create", "org add", "wr show", "process", NULL };
	for (int i = 0; cmds[i]; i++) {
		assert_int_equal(cli(&S, out, sizeof(out), "%s --help", cmds[i]), 0);
		assert_non_null(strstr(out, "usage: entente"));
	}
	assert_int_equal(cli(&S, out, sizeof(out), "no-such-command"), 2);
	assert_int_equal(cli(&S, out, sizeof(out), "process check"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "process show --dot"), 0);
	assert_non_null(strstr(out, "digraph"));
	assert_non_null(strstr(out, "sent_to_partner -> established"));
	assert_int_not_equal(cli(&S, out, sizeof(out), "serve --test-clock --listen 127.0.0.1:0"), 0); /* refused without the variable */
}

/* Issue 23: every command answers --help without a database (the README:
 * every command takes --help), and makes none. */
static void test_every_command_helps_without_a_database(void **state)
{
	(void)state;
	static char list[16384], out[16384];
	char none[256];
	snprintf(none, sizeof(none), "%s/none.db", S.dir);
	assert_int_equal(cli(&S, list, sizeof(list), "help"), 0);
	int seen = 0;
	for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
		char name[64];
		size_t n = 0;
		if (strncmp(line, "  ", 2) || line[2] == ' ' || line[2] == '-')
			continue;
		/* "  wr show            show a Work Register": the words before the gap */
		const char *gap = strstr(line + 2, "  ");
		if (!gap)
			continue;
		n = (size_t)(gap - (line + 2));
		if (n >= sizeof(name))
			continue;
		memcpy(name, line + 2, n);
		name[n] = '\0';
		if (!strcmp(name, "version") || !strcmp(name, "help"))
			continue;
		int rc = cli(&S, out, sizeof(out), "--db %s %s --help", none, name);
		if (rc != 0 || !strstr(out, "usage: entente"))
			fail_msg("entente %s --help without a database: exit %d: %.200s", name, rc, out);
		seen++;
	}
	assert_true(seen > 100);
	assert_int_equal(access(none, F_OK), -1); /* no database was made */
}

/* Issue 23: the settings the README documents are the settings the server
 * knows (those PATCH /settings takes, from the served document), both
 * ways; and every setting stored is one of them. */
static void test_the_readme_names_every_setting(void **state)
{
	(void)state;
	FILE *f = fopen("README.md", "r");
	assert_non_null(f);
	static char text[1 << 17];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	char *from = strstr(text, "The organization's own addresses and periods are settings"), *to = from ? strstr(from, "Who is told") : NULL;
	assert_non_null(from);
	assert_non_null(to);
	*to = '\0';
	json_t *documented = json_object();
	for (char *p = strchr(from, '`'); p; p = strchr(p + 1, '`')) {
		char *end = strchr(p + 1, '`');
		if (!end)
			break;
		size_t len = (size_t)(end - p - 1);
		int word = len > 0 && len < 64;
		for (size_t k = 1; word && k <= len; k++)
			word = (p[k] >= 'a' && p[k] <= 'z') || p[k] == '_';
		if (word && memchr(p + 1, '_', len))
			json_object_setn_new(documented, p + 1, len, json_true());
		p = end;
	}
	static char doc_text[1 << 20], stored_text[1 << 16];
	assert_int_equal(cli(&S, doc_text, sizeof(doc_text), "openapi"), 0);
	json_t *doc = json_loads(doc_text, 0, NULL);
	assert_non_null(doc);
	json_t *known = json_object_get(json_object_get(doc, "paths"), "/api/v1/settings");
	known = json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(known, "patch"), "requestBody"),
												    "content"), "application/json"), "schema"), "properties");
	assert_true(json_object_size(known) > 10);
	const char *key;
	json_t *v;
	json_object_foreach(known, key, v)
		if (!json_object_get(documented, key))
			fail_msg("setting %s is not in the README", key);
	json_object_foreach(documented, key, v)
		if (!json_object_get(known, key))
			fail_msg("the README names setting %s, which the server does not know", key);
	assert_int_equal(cli(&S, stored_text, sizeof(stored_text), "settings show --json"), 0);
	json_t *stored = json_loads(stored_text, 0, NULL);
	assert_non_null(stored);
	json_object_foreach(stored, key, v)
		if (!json_object_get(known, key))
			fail_msg("setting %s is stored but cannot be set", key);
	json_decref(stored);
	json_decref(doc);
	json_decref(documented);
}

/* Issue 23: a database a newer entente migrated is refused, with why,
 * by every command that opens it; nothing in it changes. */
static void test_a_newer_schema_is_refused(void **state)
{
	(void)state;
	char out[4096], err_path[300], why[1024] = "";
	sqlite3 *db;
	assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO schema_migrations (version) VALUES (999)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(cli(&S, out, sizeof(out), "org list"), 0);
	snprintf(err_path, sizeof(err_path), "%s/cli.err", S.dir);
	FILE *f = fopen(err_path, "r");
	assert_non_null(f);
	while (fgets(why, sizeof(why), f) && !strstr(why, "newer than this entente"))
		;
	fclose(f);
	assert_non_null(strstr(why, "version 999, newer than this entente knows"));
	assert_int_equal(sqlite3_exec(db, "DELETE FROM schema_migrations WHERE version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cli(&S, out, sizeof(out), "org list"), 0);
}

/* How many items a list has, read page by page through next_cursor
 * (query: "" or "?status=...&"). */
static long count_all(struct server *s, const char *path, const char *query, int page)
{
	char url[512], cursor[64] = "";
	long n = 0;
	const char *tok = token_for(s, "admin@localhost");
	for (;;) {
		snprintf(url, sizeof(url), "%s%slimit=%d%s%s", path, *query ? query : "?", page, *cursor ? "&cursor=" : "", cursor);
		struct resp r = req(s, "GET", url, tok, NULL, NULL);
		expect_status(r, 200);
		n += (long)json_array_size(json_object_get(r.json, "items"));
		const char *next = jstr(r.json, "next_cursor");
		snprintf(cursor, sizeof(cursor), "%s", next ? next : "");
		resp_free(&r);
		if (!*cursor)
			return n;
	}
}

/* entente seed: every record through the door, so the API counts them and
 * the audit has one event per change. 200 votes over ballots of 15 of
 * their 16 eligible voters (16 of the 20 people are DMTF members), two
 * ballots per balloted WR: 7 WRs in committee_ballots, 14 open ballots. */
static void test_seed_goes_through_the_door(void **state)
{
	(void)state;
	struct server s;
	char out[32768];
	long changes = -1;
	server_init(&s, 1);
	server_start(&s, NULL);
	long wrs = count_all(&s, "/api/v1/work-registers", "", 200), people = count_all(&s, "/api/v1/people", "", 200);
	long audit = count_all(&s, "/api/v1/audit", "", 200);
	assert_int_equal(cli(&s, out, sizeof(out), "seed --wrs 30 --people 20 --votes 200"), 0);
	const char *line = strstr(out, "seeded 30 WRs, 20 people, 200 votes; ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "seeded 30 WRs, 20 people, 200 votes; %ld changes", &changes), 1);
	/* a page of 7 crosses several cursors */
	assert_int_equal(count_all(&s, "/api/v1/work-registers", "", 7), wrs + 30);
	assert_int_equal(count_all(&s, "/api/v1/people", "", 7), people + 20);
	assert_int_equal(count_all(&s, "/api/v1/work-registers", "?status=committee_ballots&", 3), 7);
	assert_int_equal(count_all(&s, "/api/v1/ballots", "?status=open&", 5), 14);
	assert_int_equal(count_all(&s, "/api/v1/audit", "?target_type=vote&", 200), 200);
	assert_int_equal(count_all(&s, "/api/v1/audit", "", 200), audit + changes);
	/* and the CLI's list agrees */
	assert_int_equal(cli(&s, out, sizeof(out), "wr list --status committee_ballots --json"), 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 7);
	json_decref(j);
	/* a second seed of the same names is refused, not doubled */
	assert_int_not_equal(cli(&s, out, sizeof(out), "seed --wrs 1 --people 0 --votes 0"), 0);
	assert_int_not_equal(cli(&s, out, sizeof(out), "seed --wrs 1"), 0); /* every count is needed */
	assert_int_equal(server_finish(&s), 0);
}

/* R20, R35 (issue 21, 14): a partner's own act is never the local
 * operator's: without --as it is refused, naming --as; with a partner's
 * representative it is recorded as theirs. */
static void test_a_partners_act_needs_a_representative(void **state)
{
	(void)state;
	char out[4096], err[8192] = "";
	assert_int_equal(cli(&S, out, sizeof(out), "settings set --delegation-rules-text 'Version two of the rules.'"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "delegation agree --id 1 --rules-version 2"), 1);
	char path[300];
	snprintf(path, sizeof(path), "%s/cli.err", S.dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(err, 1, sizeof(err) - 1, f);
	err[n] = '\0';
	fclose(f);
	assert_non_null(strstr(err, "--as"));
	assert_int_equal(cli(&S, out, sizeof(out), "delegation agree --id 1 --rules-version 2 --as sam@snia.example"), 0);
	/* agreed_by: the representative, and that the operator entered it (issue 24) */
	assert_non_null(strstr(out, "on behalf of Sam Patel"));
}

int main(void)
{
	const struct CMUnitTest alone[] = { cmocka_unit_test(test_init_with_password_file_and_sign_in),
					    cmocka_unit_test(test_seed_goes_through_the_door), cmocka_unit_test(test_story_demo) };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resource_commands),
		cmocka_unit_test(test_accounts_and_tokens),
		cmocka_unit_test(test_backup_migrate_help_version),
		cmocka_unit_test(test_every_command_helps_without_a_database),
		cmocka_unit_test(test_the_readme_names_every_setting),
		cmocka_unit_test(test_a_newer_schema_is_refused),
		cmocka_unit_test(test_sighup_does_not_stop_the_server),
		cmocka_unit_test(test_a_backup_finishes_under_writes),
		cmocka_unit_test(test_a_partners_act_needs_a_representative),
	};
	int failed = cmocka_run_group_tests_name("init", alone, NULL, NULL);
	return failed + cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
