/* Issue 26: several servers on one database behave as one.
 *
 * Under tests/pg (ENTENTE_TEST_PG=1), two entente servers on one
 * PostgreSQL database: both serve (a migration is refused under them);
 * what one changes, the other serves at once (the document cache's stamp
 * is the database's); sign-in failures through both count together (the
 * throttle's counts are the database's); votes cast through both at once
 * are counted once each and the audit chain stays one chain; kill -9 of
 * one during votes loses no acknowledged vote, the other goes on serving,
 * and the periodic work (the scheduler, mail delivery) moves over to it.
 *
 * On a SQLite file (the plain run): its one server always does the
 * periodic work, and the throttle's counts outlive a restart. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"

static struct server A, B;
static struct sink K;

static int teardown(void **state)
{
	(void)state;
	server_reap(&A);
	server_reap(&B);
	if (K.pid > 0)
		sink_stop(&K);
	memset(&K, 0, sizeof(K));
	return 0;
}

/* B: a server of its own directory on A's database, with A's signing key
 * (the servers of one database sign with one key). */
static void second_server(void)
{
	char cmd[600];
	server_at(&B, NULL, "e.db");
	snprintf(B.db, sizeof(B.db), "%s", A.db);
	memcpy(B.admin_password, A.admin_password, sizeof(B.admin_password));
	snprintf(cmd, sizeof(cmd), "cp %s/e.db.signing-key %s/ 2>/dev/null", A.dir, B.dir);
	if (system(cmd)) {
	} /* none when A has none */
}

/* Five wrong passwords of tc@ through s then t alternately: the next is
 * refused (429) through either. */
static long wrong_password(struct server *s)
{
	struct resp r = req(s, "POST", "/api/v1/session", NULL, "{\"email\":\"tc@dmtf.example\",\"password\":\"wrong-pass\"}", NULL);
	long st = r.status;
	resp_free(&r);
	return st;
}

/* ---- on a SQLite file ---- */

static void test_a_files_server_does_the_periodic_work(void **state)
{
	(void)state;
	server_init(&A, 1);
	server_start(&A, NULL);
	assert_int_equal(server_metric(&A, "entente_periodic_turn"), 1);
	assert_int_equal(server_finish(&A), 0);
}

/* The counts are the database's: a restart does not give a guesser a new
 * round of tries. */
static void test_the_throttle_outlives_a_restart(void **state)
{
	(void)state;
	server_init(&A, 1);
	server_start(&A, NULL);
	for (int i = 0; i < 5; i++)
		assert_int_equal(wrong_password(&A), 401);
	assert_int_equal(server_stop(&A), 0);
	server_start(&A, NULL);
	assert_int_equal(wrong_password(&A), 429);
	assert_int_equal(server_finish(&A), 0);
}

/* entente copy-db (issue 26): never from a database in use, never into
 * one that holds anything; the copy verifies. Here between files; under
 * tests/pg, from PostgreSQL to a file and refused back into the first.
 * (tests/pg/compare.sh --copy shows a copy answers every read alike.) */
static void test_copy_db_refuses_and_copies(void **state)
{
	(void)state;
	char out[2048], to[160], err_path[300];
	server_init(&A, 1);
	snprintf(to, sizeof(to), "%s/copy.db", A.dir);
	snprintf(err_path, sizeof(err_path), "%s/cli.err", A.dir);
	server_start(&A, NULL);
	assert_int_equal(cli(&A, out, sizeof(out), "copy-db %s %s", A.db, to), 1);
	assert_true(logged(err_path, "held by another entente (pid ", "stop it before copying it", NULL));
	assert_int_equal(access(to, F_OK), -1); /* nothing made */
	assert_int_equal(server_stop(&A), 0);
	assert_int_equal(cli(&A, out, sizeof(out), "copy-db %s %s", A.db, to), 0);
	assert_non_null(strstr(out, "the audit chain verifies on the copy"));
	/* the copy is a whole instance: its chain, its people, its tokens */
	struct server C = A;
	snprintf(C.db, sizeof(C.db), "%s", to);
	assert_int_equal(cli(&C, out, sizeof(out), "audit verify --full"), 0);
	assert_int_equal(sql_int(to, "SELECT count(*) FROM people"), sql_int(A.db, "SELECT count(*) FROM people"));
	assert_int_equal(sql_int(to, "SELECT count(*) FROM ballot_voters"), sql_int(A.db, "SELECT count(*) FROM ballot_voters"));
	/* never into a database that holds anything */
	assert_int_equal(cli(&A, out, sizeof(out), "copy-db %s %s", A.db, to), 1);
	assert_true(logged(err_path, "exists: the copy goes into a new database", NULL) ||
		    logged(err_path, "already holds entente's schema", NULL));
	if (!strncmp(A.db, "postgres", 8)) { /* back into the database server's, which has its schema */
		assert_int_equal(cli(&A, out, sizeof(out), "copy-db %s %s", to, A.db), 1);
		assert_true(logged(err_path, "already holds entente's schema (version ", NULL));
	}
	server_cleanup(&A);
	A.pid = 0;
}

/* ---- two servers on one PostgreSQL database ---- */

static void test_two_servers_serve_one_database(void **state)
{
	(void)state;
	char out[2048];
	server_init(&A, 1);
	second_server();
	/* A first, with a scheduler each second: it takes the periodic turn */
	server_start(&A, "--tick", "1", NULL);
	await_logged(A.log, "periodic work: this server", "takes its turn");
	server_start(&B, "--tick", "1", NULL);
	usleep(1500 * 1000); /* B's scheduler has asked by now */
	assert_int_equal(server_metric(&A, "entente_periodic_turn"), 1);
	assert_int_equal(server_metric(&B, "entente_periodic_turn"), 0);
	assert_false(logged(B.log, "takes its turn", NULL));
	/* no migration under running servers, and it says who holds it */
	char err_path[300];
	snprintf(err_path, sizeof(err_path), "%s/cli.err", A.dir);
	assert_int_equal(cli(&A, out, sizeof(out), "migrate"), 1);
	assert_true(logged(err_path, "held by another entente (pid ", ", entente serve)", NULL));
	/* a change through A is what B serves next (the cache's stamp is the
	 * database's), and B's through A */
	struct resp g = as(&B, OWNER, "GET", "/api/v1/work-registers/1", NULL);
	expect_status(g, 200);
	struct resp p = as_if(&A, OWNER, "PATCH", "/api/v1/work-registers/1", g.etag, "{ss}", "title", "Changed through A");
	expect_status(p, 200);
	struct resp after = as(&B, VP, "GET", "/api/v1/work-registers/1", NULL);
	assert_string_equal(jstr(after.json, "title"), "Changed through A");
	assert_string_equal(after.etag, p.etag);
	resp_free(&g);
	resp_free(&p);
	resp_free(&after);
	/* an edit with A's old ETag through B is refused: one state */
	g = as(&A, OWNER, "GET", "/api/v1/work-registers/1", NULL);
	p = as_if(&B, OWNER, "PATCH", "/api/v1/work-registers/1", g.etag, "{ss}", "title", "Changed through B");
	expect_status(p, 200);
	after = as_if(&A, OWNER, "PATCH", "/api/v1/work-registers/1", g.etag, "{ss}", "title", "Stale through A");
	expect_status(after, 412);
	resp_free(&g);
	resp_free(&p);
	resp_free(&after);
	/* sign-in failures through both count together */
	for (int i = 0; i < 5; i++)
		assert_int_equal(wrong_password(i % 2 ? &B : &A), 401);
	assert_int_equal(wrong_password(&A), 429);
	assert_int_equal(wrong_password(&B), 429);
	assert_int_equal(server_finish(&B), 0);
	assert_int_equal(server_finish(&A), 0);
}

/* The README's set-up: two servers behind nginx. Requests through it go
 * to both; kill -9 of one, and every request, reads and writes, is still
 * answered (nginx passes to the other what the dead one never took). */
static void test_behind_nginx_one_dies_the_other_answers(void **state)
{
	(void)state;
	char conf[3000], base[64];
	pid_t ngx = 0;
	int port = free_port();
	server_init(&A, 1);
	second_server();
	server_start(&A, "--trusted-proxy", "127.0.0.1/32", NULL);
	server_start(&B, "--trusted-proxy", "127.0.0.1/32", NULL);
	snprintf(conf, sizeof(conf),
		 "daemon off;\nmaster_process off;\nworker_processes 1;\npid %1$s/nginx.pid;\n"
		 "error_log %1$s/nginx-error.log info;\nevents { worker_connections 128; }\n"
		 "http {\n"
		 "  access_log off;\n"
		 "  client_body_temp_path %1$s/body;\n  proxy_temp_path %1$s/proxy;\n  fastcgi_temp_path %1$s/fastcgi;\n"
		 "  uwsgi_temp_path %1$s/uwsgi;\n  scgi_temp_path %1$s/scgi;\n"
		 "  upstream entente {\n"
		 "    server %2$s max_fails=1 fail_timeout=5s;\n"
		 "    server %3$s max_fails=1 fail_timeout=5s;\n"
		 "    keepalive 8;\n"
		 "  }\n"
		 "  server {\n"
		 "    listen 127.0.0.1:%4$d;\n"
		 "    location / {\n"
		 "      proxy_pass http://entente;\n"
		 "      proxy_next_upstream error timeout;\n"
		 "      proxy_http_version 1.1;\n"
		 "      proxy_set_header Connection \"\";\n"
		 "      proxy_set_header Host $host;\n"
		 "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
		 "    }\n"
		 "  }\n"
		 "}\n",
		 A.dir, A.url + 7, B.url + 7, port);
	ngx = nginx_run(A.dir, conf, port);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
	const char *vp = token_for(&A, VP), *owner = token_for(&A, OWNER);
	for (int i = 0; i < 20; i++) {
		struct resp r = req_via(NULL, base, NULL, NULL, "GET", "/api/v1/work-registers/1", vp, NULL, NULL);
		expect_status(r, 200);
		resp_free(&r);
	}
	/* both took some */
	assert_true(logged(A.log, "GET /api/v1/work-registers/{id} 200", NULL));
	assert_true(logged(B.log, "GET /api/v1/work-registers/{id} 200", NULL));
	server_kill9(&A);
	for (int i = 0; i < 20; i++) {
		struct resp r = req_via(NULL, base, NULL, NULL, "GET", "/api/v1/work-registers/1", vp, NULL, NULL);
		expect_status(r, 200);
		resp_free(&r);
		char body[200];
		snprintf(body, sizeof(body), "{\"partner_id\":2,\"title\":\"After the death %d\",\"owner_id\":3,\"scope\":\"S\"}", i);
		r = req_via(NULL, base, NULL, NULL, "POST", "/api/v1/work-registers", owner, body, NULL);
		expect_status(r, 201);
		resp_free(&r);
	}
	/* each write made once */
	assert_int_equal(sql_int(B.db, "SELECT count(*) FROM work_registers WHERE title LIKE 'After the death %'"), 20);
	nginx_end(&ngx);
	assert_int_equal(server_finish(&B), 0);
	server_cleanup(&A);
}

/* A committee of n voters (tokens filled), a WR whose ballot it holds,
 * opened: the ballot's id. */
#define VOTERS 60
static char voter_tokens[VOTERS][80];

static long long open_ballot(struct server *s, int n, const char *tag)
{
	char path[128], out[128];
	struct resp r = as(s, ADMIN, "POST", "/api/v1/bodies", "{ss ss}", "name", tag, "kind", "committee");
	expect_status(r, 201);
	long long body = jint(r.json, "id");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/bodies/%lld/members", body);
	for (int i = 0; i < n; i++) {
		char email[64], name[48];
		snprintf(email, sizeof(email), "%s%d@dmtf.example", tag, i);
		snprintf(name, sizeof(name), "%s voter %d", tag, i);
		r = as(s, ADMIN, "POST", "/api/v1/people", "{ss ss si}", "name", name, "email", email, "org_id", 1);
		expect_status(r, 201);
		long long pid = jint(r.json, "id");
		resp_free(&r);
		r = as(s, ADMIN, "POST", path, "{sI ss}", "person_id", (json_int_t)pid, "role", i ? "voting" : "chair");
		expect_status(r, 201);
		resp_free(&r);
		assert_int_equal(cli(s, out, sizeof(out), "token create --email %s", email), 0);
		out[strcspn(out, "\n")] = '\0';
		snprintf(voter_tokens[i], sizeof(voter_tokens[i]), "%.79s", out);
	}
	r = as(s, OWNER, "POST", "/api/v1/work-registers", "{si ss si ss ss ss}", "partner_id", 2, "title", tag, "owner_id", 3, "scope",
	       "Storage management", "benefits", "Less overlap", "deliverables", "- profiles");
	expect_status(r, 201);
	long long wr = jint(r.json, "id");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/milestones", wr);
	r = as(s, OWNER, "POST", path, "{ss sI ss}", "description", "The work", "body_id", (json_int_t)body, "target_date", "2028-03-31");
	expect_status(r, 201);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/contacts", wr);
	r = as(s, OWNER, "POST", path, "{ss ss ss}", "name", "Sam Patel", "email", "sam@snia.example", "role", "board_rep");
	expect_status(r, 201);
	resp_free(&r);
	const char *const steps[] = { "socialize", "submit" };
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/%s", wr, steps[i]);
		r = as(s, OWNER, "POST", path, NULL);
		expect_status(r, 200);
		resp_free(&r);
	}
	char b[64];
	snprintf(b, sizeof(b), "{\"body_id\":%lld}", body);
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld/open-ballot", wr);
	r = req(s, "POST", path, voter_tokens[0], b, NULL); /* its chair opens it */
	expect_status(r, 200);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/ballots?wr_id=%lld&body_id=%lld&status=open", wr, body);
	r = as(s, VP, "GET", path, NULL);
	expect_status(r, 200);
	long long ballot = jint(r.json, "items.0.id");
	resp_free(&r);
	assert_true(ballot > 0);
	return ballot;
}

static long long the_ballot;
static pthread_barrier_t barrier;
static long statuses[VOTERS * 2];

/* Voter i % VOTERS casts through A (even i) or B (odd i). */
static void *cast(void *arg)
{
	long i = (long)arg;
	char path[64], body[64];
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld/votes", the_ballot);
	snprintf(body, sizeof(body), "{\"choice\":\"%s\"}", i % 3 ? "yes" : "abstain");
	pthread_barrier_wait(&barrier);
	struct resp r = req(i % 2 ? &B : &A, "POST", path, voter_tokens[i % VOTERS], body, NULL);
	statuses[i] = r.status;
	resp_free(&r);
	return NULL;
}

/* Every voter casts through both servers at the same moment: one vote
 * each, the tally exact, the chain one. */
static void test_votes_through_two_servers_count_once(void **state)
{
	(void)state;
	char out[2048], path[64];
	server_init(&A, 1);
	second_server();
	server_start(&A, NULL);
	server_start(&B, NULL);
	the_ballot = open_ballot(&A, VOTERS, "Both");
	pthread_t th[VOTERS * 2];
	pthread_barrier_init(&barrier, NULL, VOTERS * 2);
	/* i and i + VOTERS: the same voter, through A and through B */
	for (long i = 0; i < VOTERS * 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, cast, (void *)(i < VOTERS ? 2 * i : 2 * (i - VOTERS) + 1)), 0);
	for (int i = 0; i < VOTERS * 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (int i = 0; i < VOTERS * 2; i++)
		assert_true(statuses[i] == 200 || statuses[i] == 409); /* 409: closed once everyone voted */
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld", the_ballot);
	for (int k = 0; k < 2; k++) {
		/* as its chair reads it: the body sees who voted how */
		struct resp r = req(k ? &B : &A, "GET", path, voter_tokens[0], NULL, NULL);
		expect_status(r, 200);
		assert_string_equal(jstr(r.json, "status"), "passed");
		assert_int_equal(jint(r.json, "tally.cast"), VOTERS);
		assert_int_equal(jint(r.json, "tally.eligible"), VOTERS);
		assert_int_equal(json_array_size(json_object_get(r.json, "votes")), VOTERS);
		resp_free(&r);
	}
	/* one chain: every event links to the one before, none twice */
	assert_int_equal(cli(&A, out, sizeof(out), "audit verify --full"), 0);
	assert_int_equal(sql_int(A.db, "SELECT count(*) - count(DISTINCT prev_hash) FROM audit WHERE hash IS NOT NULL"), 0);
	assert_int_equal(server_finish(&B), 0);
	assert_int_equal(server_finish(&A), 0);
}

/* Votes through A, each acknowledged one noted, until A is killed. */
static volatile int a_acked[VOTERS];
static volatile int a_dead;

static void *vote_through_a(void *arg)
{
	(void)arg;
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld/votes", the_ballot);
	for (int i = 0; i < VOTERS / 2 && !a_dead; i++) {
		struct resp r = req_may_fail(&A, "POST", path, voter_tokens[i], "{\"choice\":\"yes\"}");
		a_acked[i] = r.status == 200;
		resp_free(&r);
	}
	return NULL;
}

/* kill -9 of one server while votes pour in through it: every vote it
 * acknowledged is there, the other server goes on, and the periodic work
 * (the scheduler's turn, the outbox) moves to it. */
static void test_kill9_of_one_server_moves_the_work(void **state)
{
	(void)state;
	char out[2048], path[64];
	pthread_t th;
	server_init(&A, 1);
	second_server();
	sink_start(&K, &A, free_port());
	server_start(&A, "--tick", "1", "--smtp-url", K.url, "--mail-interval", "1", "--mail-lease", "2", NULL);
	await_logged(A.log, "takes its turn");
	server_start(&B, "--tick", "1", "--smtp-url", K.url, "--mail-interval", "1", "--mail-lease", "2", NULL);
	the_ballot = open_ballot(&B, VOTERS, "Kill");
	assert_int_equal(server_metric(&B, "entente_periodic_turn"), 0);
	memset((void *)a_acked, 0, sizeof(a_acked));
	a_dead = 0;
	assert_int_equal(pthread_create(&th, NULL, vote_through_a, NULL), 0);
	/* a few acknowledged, then A dies in the middle of the rest */
	for (int n = 0; n < 500; n++) {
		int acked = 0;
		for (int i = 0; i < VOTERS; i++)
			acked += a_acked[i];
		if (acked >= 5)
			break;
		usleep(10000);
	}
	server_kill9(&A);
	a_dead = 1;
	json_t *all0 = received(&K);
	long sent_before = (long)json_array_size(all0);
	json_decref(all0);
	pthread_join(th, NULL);
	/* B goes on: the other half votes through it */
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld/votes", the_ballot);
	for (int i = VOTERS / 2; i < VOTERS; i++) {
		struct resp r = req(&B, "POST", path, voter_tokens[i], "{\"choice\":\"no\",\"comment\":\"Not yet\"}", NULL);
		expect_status(r, 200);
		resp_free(&r);
	}
	/* every vote A acknowledged is there; the rest vote through B */
	int acked = 0;
	char bpath[64];
	snprintf(bpath, sizeof(bpath), "/api/v1/ballots/%lld", the_ballot);
	for (int i = 0; i < VOTERS / 2; i++) {
		struct resp r;
		if (!a_acked[i]) {
			r = req(&B, "POST", path, voter_tokens[i], "{\"choice\":\"yes\"}", NULL);
			expect_status(r, 200);
			resp_free(&r);
			continue;
		}
		acked++;
		r = req(&B, "GET", bpath, voter_tokens[i], NULL, NULL);
		expect_status(r, 200);
		assert_non_null(jstr(r.json, "my_vote.choice"));
		assert_string_equal(jstr(r.json, "my_vote.choice"), "yes");
		resp_free(&r);
	}
	assert_true(acked >= 5);
	/* everyone voted: the ballot closed, on B */
	struct resp r = as(&B, VP, "GET", bpath, NULL);
	expect_status(r, 200);
	assert_string_not_equal(jstr(r.json, "status"), "open");
	assert_int_equal(jint(r.json, "tally.cast"), VOTERS);
	resp_free(&r);
	/* the periodic work moved to B: its turn, and the mail queued since
	 * (the closed ballot's news) is delivered by B */
	await_logged(B.log, "periodic work: this server", "takes its turn");
	assert_int_equal(server_metric(&B, "entente_periodic_turn"), 1);
	int settled = 0;
	for (int i = 0; i < 300 && !settled; i++) {
		r = as(&B, ADMIN, "GET", "/api/v1/outbox/stats", NULL);
		settled = r.status == 200 && !jint(r.json, "queued") && !jint(r.json, "sending") && !jint(r.json, "retrying");
		resp_free(&r);
		if (!settled)
			usleep(100000);
	}
	assert_true(settled);
	json_t *all = received(&K);
	assert_true((long)json_array_size(all) > sent_before);
	json_decref(all);
	/* one chain still */
	assert_int_equal(cli(&B, out, sizeof(out), "audit verify"), 0);
	assert_int_equal(server_finish(&B), 0);
	server_cleanup(&A);
}

int main(void)
{
	const struct CMUnitTest on_a_file[] = {
		cmocka_unit_test_teardown(test_a_files_server_does_the_periodic_work, teardown),
		cmocka_unit_test_teardown(test_the_throttle_outlives_a_restart, teardown),
		cmocka_unit_test_teardown(test_copy_db_refuses_and_copies, teardown),
	};
	const struct CMUnitTest on_postgresql[] = {
		cmocka_unit_test_teardown(test_two_servers_serve_one_database, teardown),
		cmocka_unit_test_teardown(test_votes_through_two_servers_count_once, teardown),
		cmocka_unit_test_teardown(test_kill9_of_one_server_moves_the_work, teardown),
		cmocka_unit_test_teardown(test_behind_nginx_one_dies_the_other_answers, teardown),
		cmocka_unit_test_teardown(test_copy_db_refuses_and_copies, teardown),
	};
	const char *pg = getenv("ENTENTE_TEST_PG");
	if (pg && !strcmp(pg, "1"))
		return cmocka_run_group_tests(on_postgresql, NULL, NULL);
	return cmocka_run_group_tests(on_a_file, NULL, NULL);
}
