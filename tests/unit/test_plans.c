/* The query plan of every list query core issues (the scale issue: 10,000
 * WRs, 1,000 people, 1,000,000 votes; no full scan of votes or WRs). Each
 * case is the store_query a caller in src/core builds; store_explain runs
 * EXPLAIN QUERY PLAN on the very SQL text store_find would run.
 *
 * SQLite prints "SEARCH t USING INDEX i (c=?)" for an index lookup,
 * "SCAN t USING INDEX i" (or "USING COVERING INDEX") for a walk along an
 * index, and a bare "SCAN t" for a walk over the whole table: the last is
 * what must not appear. The one exception is the first page of an
 * unfiltered list ("WHERE 1 ORDER BY id LIMIT n"): a walk in rowid order
 * that stops after n rows, allowed only with a LIMIT and without a sort
 * ("USE TEMP B-TREE"), which would read every row first.
 *
 * The plans are those of a database without ANALYZE statistics, as
 * entente's are (it never runs ANALYZE). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"

static char dir[64];
static struct store *st;

static int plans_setup(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	char path[128];
	snprintf(dir, sizeof(dir), "/tmp/entente-plans-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/p.db", dir);
	if (store_open(&st, path, &e) || store_migrate(st, NULL, &e))
		return -1;
	return 0;
}

static int plans_teardown(void **state)
{
	(void)state;
	char cmd[128];
	store_free(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

#define PAGE 51 /* core__list asks one row more than its default 50 */
#define CURSOR 1000

struct plan_case {
	const char *caller; /* where core issues it */
	const char *table;
	const char *where;  /* JSON, keys in the caller's order */
	const char *order;
	int limit;          /* PAGE: a list page, checked first and by cursor */
};

static const struct plan_case cases[] = {
	/* wr.list (core__wr_list): status, partner_id, owner_id; a partner's
	 * representative always has partner_id; pages by cursor */
	{ "wr.list", "work_registers", "{}", NULL, PAGE },
	{ "wr.list ?status", "work_registers", "{\"status\": \"drafting\"}", NULL, PAGE },
	{ "wr.list ?partner_id", "work_registers", "{\"partner_id\": 2}", NULL, PAGE },
	{ "wr.list ?owner_id", "work_registers", "{\"owner_id\": 3}", NULL, PAGE },
	{ "wr.list ?status&partner_id", "work_registers", "{\"status\": \"drafting\", \"partner_id\": 2}", NULL, PAGE },
	{ "wr.list ?status&owner_id", "work_registers", "{\"status\": \"drafting\", \"owner_id\": 3}", NULL, PAGE },
	{ "wr.list ?partner_id&owner_id", "work_registers", "{\"partner_id\": 2, \"owner_id\": 3}", NULL, PAGE },
	{ "wr.list all three", "work_registers", "{\"status\": \"drafting\", \"partner_id\": 2, \"owner_id\": 3}", NULL, PAGE },
	/* review.list and scheduler.run: established WRs */
	{ "review.list", "work_registers", "{\"status\": \"established\"}", "next_review_date", 0 },
	{ "scheduler.run WRs", "work_registers", "{\"status\": \"established\"}", NULL, 0 },

	/* ballots: ballot.list, a WR's open ones, a round's, an amendment's,
	 * the scheduler's and me/tasks' open ones */
	{ "ballot.list", "ballots", "{}", NULL, PAGE },
	{ "ballot.list ?status", "ballots", "{\"status\": \"open\"}", NULL, PAGE },
	{ "ballot.list ?wr_id", "ballots", "{\"wr_id\": 5}", NULL, PAGE },
	{ "ballot.list ?body_id", "ballots", "{\"body_id\": 4}", NULL, PAGE },
	{ "ballot.list ?status&wr_id&body_id", "ballots", "{\"status\": \"open\", \"wr_id\": 5, \"body_id\": 4}", NULL, PAGE },
	{ "core__ballot_cancel_open", "ballots", "{\"wr_id\": 5, \"status\": \"open\"}", NULL, 0 },
	{ "process round_ballots", "ballots", "{\"wr_id\": 5, \"round\": 1, \"purpose\": \"committee\"}", NULL, 0 },
	{ "amend reject", "ballots", "{\"amendment_id\": 7, \"status\": \"open\"}", NULL, 0 },
	{ "scheduler.run ballots", "ballots", "{\"status\": \"open\"}", "deadline", 0 },
	{ "me/tasks ballots", "ballots", "{\"status\": \"open\", \"body_id\": [3, 4]}", NULL, 0 },

	/* votes: a ballot's, and one person's in a ballot (vote.cast, me/tasks) */
	{ "ballot votes_of", "votes", "{\"ballot_id\": 9}", "person_id", 0 },
	{ "vote.cast", "votes", "{\"ballot_id\": 9, \"person_id\": 3}", NULL, 1 },
	{ "me/tasks votes", "votes", "{\"person_id\": 3, \"ballot_id\": [9, 10]}", NULL, 0 },

	/* comments: comment.list, the open ones (R16) */
	{ "comment.list", "comments", "{\"wr_id\": 5}", NULL, PAGE },
	{ "comment.list ?status", "comments", "{\"wr_id\": 5, \"status\": \"open\"}", NULL, PAGE },
	{ "process open_comments", "comments", "{\"wr_id\": 5, \"status\": \"open\"}", NULL, 1 },

	/* versions (R50): the list, the history, one version */
	{ "version.list", "wr_versions", "{\"wr_id\": 5}", NULL, PAGE },
	{ "history / public", "wr_versions", "{\"wr_id\": 5}", "revision", 0 },
	{ "version.get", "wr_versions", "{\"wr_id\": 5, \"revision\": 2}", NULL, 1 },

	/* audit.list: target_type, target_id, either or both */
	{ "audit.list", "audit", "{}", NULL, PAGE },
	{ "audit.list ?target_type", "audit", "{\"target_type\": \"wr\"}", NULL, PAGE },
	{ "audit.list ?target_id", "audit", "{\"target_id\": 5}", NULL, PAGE },
	{ "audit.list ?target_type&target_id", "audit", "{\"target_type\": \"wr\", \"target_id\": 5}", NULL, PAGE },

	/* tasks: me/tasks (open, mine) and task.list's filters */
	{ "me/tasks tasks", "tasks", "{\"status\": \"open\", \"assignee_id\": 3}", NULL, 0 },
	{ "task.list ?status", "tasks", "{\"status\": \"open\"}", NULL, PAGE },
	{ "task.list ?wr_id", "tasks", "{\"wr_id\": 5}", NULL, PAGE },
	{ "task.list ?assignee_id", "tasks", "{\"assignee_id\": 3}", NULL, PAGE },

	/* a WR document's sections (core__rows_of), its amendments */
	{ "rows_of milestones", "milestones", "{\"wr_id\": 5}", NULL, 0 },
	{ "rows_of wr_contacts", "wr_contacts", "{\"wr_id\": 5}", NULL, 0 },
	{ "rows_of standards", "standards", "{\"wr_id\": 5}", NULL, 0 },
	{ "rows_of meetings", "meetings", "{\"wr_id\": 5}", NULL, 0 },
	{ "R39 replacing rows", "standards", "{\"replaces_id\": 8}", NULL, 1 },
	{ "amendment.list", "amendments", "{\"wr_id\": 5}", NULL, 0 },
	{ "approvals_of", "approvals", "{\"amendment_id\": 7}", NULL, 0 },

	/* people and their seats: eligibility at a ballot's opening, me */
	{ "ballot eligible_of", "memberships", "{\"body_id\": 4}", "person_id", 0 },
	{ "me memberships", "memberships", "{\"person_id\": 3}", NULL, 0 },
	{ "person.list ?org_id", "people", "{\"org_id\": 2}", NULL, PAGE },
	{ "sessions_end", "sessions", "{\"person_id\": 3}", NULL, 0 },
	{ "token.list ?email", "tokens", "{\"person_id\": 3}", NULL, PAGE },
};

/* Not here, because they read every WR by design and no index changes
 * that: public.list and public.feed (keep the published ones in C; their
 * pages are kept, core/cache.c). me/tasks reads the WRs of the queries
 * above (owner_id, partner_id, status) and the ballots of the person's
 * bodies. */

/* Why the plan of q on table is not acceptable, or NULL. */
static const char *plan_fault(const char *table, const struct store_query *q, const json_t *plan)
{
	static char why[256];
	char bare[96], from_cursor[96];
	int sorts = 0, walks = 0;
	snprintf(bare, sizeof(bare), "SCAN %s", table);
	snprintf(from_cursor, sizeof(from_cursor), "SEARCH %s USING INTEGER PRIMARY KEY (rowid", table);
	for (size_t i = 0; i < json_array_size(plan); i++) {
		const char *d = json_string_value(json_array_get(plan, i));
		if (strstr(d, "USE TEMP B-TREE"))
			sorts = 1;
		/* "SCAN t" alone, not "SCAN t USING [COVERING] INDEX i"; and a
		 * walk from the cursor to the end of the table ("rowid>?"),
		 * which is a full scan in disguise when a filter has no index */
		if (!strcmp(d, bare) || (!strncmp(d, from_cursor, strlen(from_cursor)) && strncmp(d + strlen(from_cursor), "=?", 2)))
			walks = 1;
	}
	if (!walks)
		return NULL;
	if (json_object_size(q->where) == 0 && q->limit > 0 && !sorts)
		return NULL; /* an unfiltered page: n rows in rowid order */
	snprintf(why, sizeof(why), "full scan of %s", table);
	return why;
}

static json_t *plan_of(const char *table, const struct store_query *q)
{
	struct err e = ERR_INIT;
	json_t *plan = NULL;
	if (store_explain(st, table, q, &plan, &e))
		fail_msg("explain %s: %s", table, e.detail);
	return plan;
}

static void test_every_list_query_uses_an_index(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct plan_case *c = &cases[i];
		json_t *where = json_loads(c->where, 0, NULL);
		assert_non_null(where);
		/* a list page is checked as the first page and as a later one */
		for (int later = 0; later <= (c->limit == PAGE); later++) {
			struct store_query q = { .where = where, .order = c->order, .limit = c->limit, .after_id = later ? CURSOR : 0 };
			json_t *plan = plan_of(c->table, &q);
			const char *why = plan_fault(c->table, &q, plan);
			if (why) {
				char *text = json_dumps(plan, JSON_COMPACT);
				print_error("%s%s (%s %s): %s; plan %s\n", c->caller, later ? " by cursor" : "", c->table, c->where, why, text);
				free(text);
				bad++;
			}
			json_decref(plan);
		}
		json_decref(where);
	}
	assert_int_equal(bad, 0);
}

/* The checker itself can fail: a filter on a column no index has (a WR's
 * title), first page or by cursor, a sort of a whole table, and a read of
 * every vote are each a full scan, and are called one. */
static void test_a_full_scan_is_caught(void **state)
{
	(void)state;
	json_t *where = json_pack("{ss}", "title", "x"), *none = json_object();
	struct store_query by_title = { .where = where, .limit = PAGE };
	struct store_query sorted = { .where = none, .order = "title", .limit = PAGE };
	struct store_query everything = { .where = none };
	json_t *plan = plan_of("work_registers", &by_title);
	assert_non_null(plan_fault("work_registers", &by_title, plan));
	json_decref(plan);
	by_title.after_id = CURSOR; /* "rowid>?" then every later row */
	plan = plan_of("work_registers", &by_title);
	assert_non_null(plan_fault("work_registers", &by_title, plan));
	json_decref(plan);
	plan = plan_of("work_registers", &sorted);
	assert_non_null(plan_fault("work_registers", &sorted, plan));
	json_decref(plan);
	plan = plan_of("votes", &everything);
	assert_non_null(plan_fault("votes", &everything, plan));
	json_decref(plan);
	json_decref(where);
	json_decref(none);
}

/* me/tasks' ballots: the open ones among the person's (ballot_voters), by
 * the primary key of ballot_voters and the rowid of ballots; its votes by
 * their voter. Neither reads every ballot nor every vote. */
static void test_my_ballots_by_index(void **state)
{
	(void)state;
	json_t *open = json_pack("{ss}", "status", "open"), *me = json_integer(3), *mine = json_pack("{si}", "person_id", 3);
	struct store_query qb = { .where = open, .in_table = "ballot_voters", .in_column = "ballot_id", .in_key = "person_id",
				  .in_value = me, .columns = "id,wr_id,deadline" };
	struct store_query qv = { .where = mine, .columns = "ballot_id" };
	json_t *plan = plan_of("ballots", &qb);
	const char *why = plan_fault("ballots", &qb, plan);
	char *text = json_dumps(plan, JSON_COMPACT);
	if (why)
		fail_msg("me/tasks ballots: %s; plan %s", why, text);
	assert_non_null(strstr(text, "ballot_voters")); /* the subquery searches the person's rows */
	assert_null(strstr(text, "SCAN ballot_voters"));
	free(text);
	json_decref(plan);
	plan = plan_of("votes", &qv);
	if ((why = plan_fault("votes", &qv, plan)))
		fail_msg("me/tasks votes: %s", why);
	json_decref(plan);
	json_decref(open);
	json_decref(me);
	json_decref(mine);
}

/* store_explain explains what store_find runs: same filters, same order. */
static void test_explain_follows_the_query(void **state)
{
	(void)state;
	json_t *where = json_pack("{ss}", "status", "drafting");
	struct store_query q = { .where = where, .limit = PAGE, .after_id = CURSOR };
	json_t *plan = plan_of("work_registers", &q);
	assert_int_equal(json_array_size(plan), 1);
	assert_string_equal(json_string_value(json_array_get(plan, 0)),
			    "SEARCH work_registers USING INDEX work_registers_status (status=? AND rowid>?)");
	json_decref(plan);
	json_decref(where);
	struct err e = ERR_INIT;
	json_t *out = NULL;
	struct store_query bad = { .order = "no_such_column" };
	assert_int_equal(store_explain(st, "work_registers", &bad, &out, &e), -1);
	assert_null(out);
	assert_int_equal(store_explain(st, "no_such_table", &bad, &out, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_list_query_uses_an_index),
		cmocka_unit_test(test_a_full_scan_is_caught),
		cmocka_unit_test(test_explain_follows_the_query),
		cmocka_unit_test(test_my_ballots_by_index),
	};
	return cmocka_run_group_tests_name("query plans", tests, plans_setup, plans_teardown);
}
