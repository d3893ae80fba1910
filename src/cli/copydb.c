/* entente copy-db FROM TO (issue 26): a whole instance moved between
 * engines, SQLite to PostgreSQL and back, through the store's vtable.
 *
 * Neither database may be in use (each held alone, as migrate holds it),
 * TO must be new (a file that does not exist, or a database server's
 * database without entente's schema). TO gets the schema by its own
 * migrations, then every row of FROM's one snapshot, ids kept, in one
 * write transaction: tables in the order of their foreign keys, rows in
 * id order. What the schema derives itself is not copied but made again
 * by TO's own triggers as the rows arrive: the full-text index (wr_text),
 * a ballot's voters (ballot_voters), the cache stamps; the migration
 * records are TO's own. A closed ballot takes its votes, so each ballot
 * comes in open and is closed once its votes are in. Before the commit
 * each table's count is compared, and after it the audit chain is
 * verified on TO: the copy says so, or fails and TO stays empty. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* Every table entente copies, each after those it refers to. */
static const char *const copied[] = {
	"audit", "bodies", "checkpoints", "delegation_rules", "idempotency_keys", "notify_rules", "organizations", "settings",
	"standard_types", "throttle", "dmtf_standards", "people", "account_links", "memberships", "officers", "recovery_codes",
	"sessions", "tokens", "work_registers", "amendments", "ballots", "change_requests", "delegation_agreements", "meetings",
	"milestones", "outbox", "reminders", "standards", "tasks", "wr_contacts", "wr_versions", "approvals", "ballot_receipts",
	"ballot_seals", "comments", "cr_messages", "joint_meetings", "publications", "votes", "meeting_participants",
	"meeting_records", NULL,
};
/* Made by the schema itself: compared by count, not copied. */
static const char *const derived[] = { "ballot_voters", NULL };
/* Neither copied nor compared: TO's own. The text index's tables are
 * wr_text and, on SQLite, its shadow tables wr_text_*. */
static const char *const own[] = { "schema_migrations", "stamps", NULL };

static int listed(const char *const *list, const char *name)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], name))
			return 1;
	return 0;
}

static int own_table(const char *name) { return listed(own, name) || !strncmp(name, "wr_text", 7); }

/* Every table of from is known here: a table added by a later migration
 * and not listed would be lost in a copy, so the copy refuses. */
static int all_known(struct store *from, struct err *e)
{
	json_t *names = NULL, *n;
	size_t i;
	if (store_tables(from, &names, e))
		return -1;
	json_array_foreach(names, i, n) {
		const char *name = json_string_value(n);
		if (!listed(copied, name) && !listed(derived, name) && !own_table(name)) {
			err_set(e, E_INTERNAL, NULL, "table %s is not known to copy-db: this binary cannot copy it", name);
			json_decref(names);
			return -1;
		}
	}
	json_decref(names);
	return 0;
}

/* One row into TO, its id kept; a row TO's migrations made already (a
 * seed row) is made equal to FROM's. */
static int put_row(struct store *to, const char *table, json_t *row, struct err *e)
{
	int64_t id = json_integer_value(json_object_get(row, "id"));
	if (!store_insert(to, table, row, NULL, e))
		return 0;
	if (e->code != E_DUPLICATE)
		return -1;
	json_t *have = NULL;
	err_clear(e);
	if (store_get(to, table, id, &have, e))
		return -1;
	int same = json_equal(have, row);
	json_decref(have);
	return same ? 0 : store_update(to, table, id, row, e);
}

/* Every row of table, in pages of id order; ballots come in open, their
 * status kept in statuses ({id: status}) for the end. */
static int copy_table(struct store *from, struct store *to, const char *table, json_t *statuses, long long *rows, struct err *e)
{
	int64_t after = 0;
	for (;;) {
		json_t *page = NULL, *row;
		size_t i;
		struct store_query q = { .after_id = after, .limit = 500 };
		if (store_find(from, table, &q, &page, e))
			return -1;
		if (!json_array_size(page)) {
			json_decref(page);
			return 0;
		}
		json_array_foreach(page, i, row) {
			after = json_integer_value(json_object_get(row, "id"));
			if (!strcmp(table, "ballots") && strcmp(json_string_value(json_object_get(row, "status")), "open")) {
				char key[32];
				snprintf(key, sizeof(key), "%lld", (long long)after);
				json_object_set(statuses, key, json_object_get(row, "status"));
				json_object_set_new(row, "status", json_string("open"));
			}
			if (put_row(to, table, row, e)) {
				char what[sizeof(e->detail)];
				snprintf(what, sizeof(what), "%s", e->detail);
				err_set(e, e->code, e->field, "%s, row %lld: %s", table, (long long)after, what);
				json_decref(page);
				return -1;
			}
			(*rows)++;
		}
		json_decref(page);
	}
}

/* The same number of rows on both sides, for every table copied or
 * derived. */
static int counts_agree(struct store *from, struct store *to, struct err *e)
{
	for (int pass = 0; pass < 2; pass++) {
		const char *const *list = pass ? derived : copied;
		for (int i = 0; list[i]; i++) {
			struct store_query q = { 0 };
			int64_t a = 0, b = 0;
			if (store_count(from, list[i], &q, &a, e) || store_count(to, list[i], &q, &b, e))
				return -1;
			if (a != b)
				return err_set(e, E_INTERNAL, NULL, "%s: %lld rows in the copy, %lld in the original", list[i], (long long)b,
					       (long long)a);
		}
	}
	return 0;
}

/* TO is new: no file there, or a database server's database without the
 * schema. Opened and given the schema; 0, or -1 with why said. */
static int open_new(struct cli *c, const char *to_path, struct store **to)
{
	struct err e = ERR_INIT;
	struct stat sb;
	if (!store_is_url(to_path) && !stat(to_path, &sb)) {
		fprintf(stderr, "%s: %s exists: the copy goes into a new database\n", c->prog, to_path);
		return -1;
	}
	if (store_open(to, to_path, &e))
		goto bad;
	if (store_schema_version(*to) > 0) {
		fprintf(stderr, "%s: %s already holds entente's schema (version %d): the copy goes into a new database\n", c->prog,
			to_path, store_schema_version(*to));
		return -1;
	}
	if (store_migrate(*to, NULL, &e))
		goto bad;
	/* opened again: the catalogue its migrations made */
	store_free(*to);
	*to = NULL;
	if (store_open(to, to_path, &e))
		goto bad;
	return 0;
bad:
	fprintf(stderr, "%s: %s: %s\n", c->prog, to_path, e.detail);
	return -1;
}

int cmd_copy_db(struct cli *c, int argc, char **argv)
{
	const char *usage =
		"usage: entente copy-db FROM TO\n\n"
		"Copies a whole entente database into a new one, between engines or within one: FROM and TO are\n"
		"each a SQLite file or a postgresql:// address. Neither may be in use (stop the servers first);\n"
		"TO must be new: a file that does not exist, or an empty PostgreSQL database (createdb). Every\n"
		"record, account, session, vote, receipt, checkpoint and the audit chain come over with their\n"
		"ids in one transaction; each table's rows are counted on both sides and the audit chain is\n"
		"verified on the copy before it says so. The signing key is not in the database: name the same\n"
		"one (signing_key) for the copy.\n";
	struct err e = ERR_INIT;
	struct store *from = NULL, *to = NULL;
	json_t *statuses = json_object(), *out = NULL;
	long long rows = 0;
	int ret = 1, tables = 0;
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("%s", usage);
		json_decref(statuses);
		return 0;
	}
	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-') {
		fprintf(stderr, "%s", usage);
		json_decref(statuses);
		return 2;
	}
	const char *from_path = argv[1], *to_path = argv[2];
	struct stat sb;
	if (!store_is_url(from_path) && stat(from_path, &sb)) {
		fprintf(stderr, "%s: %s does not exist\n", c->prog, from_path);
		goto out;
	}
	/* neither in use, nothing written to FROM while it is read */
	c->db_path = from_path;
	if (cli_hold_database(c, "copying it", 0) < 0)
		goto out;
	c->db_path = to_path;
	if (store_is_url(to_path) && cli_hold_database(c, "copying into it", 0) < 0)
		goto out;
	if (store_open(&from, from_path, &e) || store_schema_check(from, &e) || all_known(from, &e)) {
		fprintf(stderr, "%s: %s: %s\n", c->prog, from_path, e.detail);
		goto out;
	}
	if (open_new(c, to_path, &to))
		goto out;
	if (!store_is_url(to_path) && cli_hold_database(c, "copying into it", 0) < 0)
		goto fail;
	/* one batch: the copy and its verification stand or fall together */
	if (store_begin(from, 0, &e) || store_batch_begin(to, &e))
		goto bad;
	for (int i = 0; copied[i]; i++, tables++)
		if (copy_table(from, to, copied[i], statuses, &rows, &e))
			goto bad;
	/* the ballots closed, now that their votes are in */
	const char *id;
	json_t *status;
	json_object_foreach(statuses, id, status) {
		json_t *ch = json_pack("{sO}", "status", status);
		int r = store_update(to, "ballots", strtoll(id, NULL, 10), ch, &e);
		json_decref(ch);
		if (r)
			goto bad;
	}
	if (counts_agree(from, to, &e))
		goto bad;
	/* the chain, recomputed on the copy from its first event */
	c->st = to;
	json_t *params = json_pack("{ss}", "full", "true");
	int unverified = cli_call(c, "audit.verify", params, NULL, &out);
	json_decref(params);
	c->st = NULL;
	if (unverified)
		goto fail;
	if (!json_is_true(json_object_get(out, "ok"))) {
		err_set(&e, E_INTERNAL, NULL, "the audit chain of the copy does not verify: %s",
			json_string_value(json_object_get(json_array_get(json_object_get(out, "problems"), 0), "detail")));
		goto bad;
	}
	if (store_batch_commit(to, &e))
		goto bad;
	store_rollback(from);
	printf("copied %lld rows of %d tables from %s to %s; the audit chain verifies on the copy (%lld events, head %s)\n", rows,
	       tables, from_path, to_path, (long long)json_integer_value(json_object_get(out, "events")),
	       json_string_value(json_object_get(out, "head")));
	ret = 0;
	goto out;
bad:
	fprintf(stderr, "%s: %s\n", c->prog, e.detail);
fail:
	/* closing the connections below rolls back what the batch wrote */
	fprintf(stderr, "%s: nothing was copied into %s%s\n", c->prog, to_path,
		store_is_url(to_path) ? "" : " (remove the file before trying again)");
out:
	json_decref(out);
	json_decref(statuses);
	store_free(from);
	store_free(to);
	return ret;
}
