/* Persistence behind a small vtable. A store is one connection: use it from
 * one thread at a time. Rows travel as jansson objects whose keys are column
 * names; the store knows each table's columns (read from the database at
 * open) and refuses any other identifier, so no caller-supplied name ever
 * reaches SQL, and every value is a bound parameter.
 *
 * Ownership: json_t values returned through out-parameters are new
 * references the caller must json_decref(). */
#ifndef ENTENTE_STORE_H
#define ENTENTE_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "lib/err.h"

struct store;

struct store_query {
	json_t *where;        /* {column: value}; null means IS NULL, an array IN (...),
			       * an object a range ({">=": a, "<": b}: <, <=, >, >=) */
	const char *order;    /* a column; default "id" */
	int desc;             /* order descending */
	int64_t after_id;     /* cursor: rows after this id in the order (id order only) */
	int limit;            /* 0: no limit */
	int offset;           /* rows to skip first (a page of a list counted apart) */
	/* full text: only rows whose id the FTS5 table match_index (its rowid
	 * is the row's id) matches with every word of match, each word taken
	 * as a prefix and as text (no query syntax); NULL: none */
	const char *match_index, *match;
	/* only rows whose id is among in_column of the in_table rows whose
	 * in_key is in_value (a ballot's eligible voters, say); NULL: none */
	const char *in_table, *in_column, *in_key;
	const json_t *in_value;
	/* the columns to read, comma-separated ("id,wr_id"); "-a,b": every
	 * column but a and b; NULL: all */
	const char *columns;
};

/* Open (creating if needed) the database at path: a SQLite file, or a
 * PostgreSQL database when path is a postgresql:// or postgres:// URL
 * (issue 26; the database must exist, migrate makes its schema). */
int store_open(struct store **out, const char *path, struct err *e);
/* Whether path names a database server (a URL) rather than a file: no
 * PATH.lock, PATH.signing-key, file size or file copy for it. */
int store_is_url(const char *path);
/* For a database server (store_is_url), issue 23's PATH.lock: hold until
 * the process ends the lock that says an entente (who: "pid N, prog")
 * serves or migrates it. alone: no other may hold it at all (migrate,
 * keys rotate, serve --migrate); else shared with other servers (issue 26:
 * several servers on one database), but never with one holding it alone.
 * -1 when it cannot be had (holder: who holds it, or why). */
int store_hold_server(const char *url, const char *who, int alone, char *holder, size_t n);
/* Hold the lock shared instead of alone (serve --migrate, its migration
 * done); 0 when nothing is held. -1 with why. */
int store_hold_share(char *why, size_t n);
/* Issue 26: whether this process does the periodic work (the scheduler's
 * reminders and deadlines, mail delivery, publication, signed
 * checkpoints) now. A file's server always does (one server per file);
 * on a database server, one server at a time holds the turn (a session's
 * advisory lock), and another takes it at its next try once that server's
 * session ends (kill -9 included). Each periodic thread asks before each
 * round; a change of hands is logged. */
int store_periodic_turn(const char *url);
/* Whether this process held the turn at its last try (for /metrics;
 * always, for a file's server). */
int store_periodic_owned(const struct store *st);
void store_free(struct store *st);

/* Apply the numbered migrations not yet applied, each in a transaction.
 * *applied (may be NULL) receives how many ran. */
int store_migrate(struct store *st, int *applied, struct err *e);
int store_schema_version(struct store *st);
/* How many migrations the last store_migrate found done but unrecorded
 * (the schema exactly the migration's), and recorded. A failed
 * migration whose schema is neither the one before nor the one after
 * fails and changes nothing. */
int store_migrations_recorded(struct store *st);
/* The schema version this binary's migrations make. */
int store_schema_known(struct store *st);
/* 0 when the schema is the one this binary's migrations make; else -1
 * with e saying which way it differs and what to do (issue 23: only
 * entente migrate and serve --migrate change the schema). */
int store_schema_check(struct store *st, struct err *e);

/* Issue 23: why writes fail for want of storage ("disk full", "I/O
 * error", "read-only", "cannot open the database's files"), and since
 * when; NULL once a commit succeeded again. *total (may be NULL) counts
 * every refused write since start. Such a write answers E_UNAVAILABLE
 * with field "storage"; nothing of its change is kept. */
const char *store_fault(int64_t *since, unsigned long *total);
/* -1 with e set as such a write's is, while there is a fault; else 0. */
int store_fault_err(struct err *e);

/* Transactions: write=1 takes the write lock at once (BEGIN IMMEDIATE). */
int store_begin(struct store *st, int write, struct err *e);
/* Group commit: one write transaction for a batch of calls, in which each
 * store_begin/commit/rollback is a savepoint of its own (a call that fails
 * rolls back alone). Nothing of the batch is durable, nor may be
 * acknowledged, before store_batch_commit returns 0; on failure all of it
 * is rolled back. */
int store_batch_begin(struct store *st, struct err *e);
int store_batch_commit(struct store *st, struct err *e);
int store_in_batch(const struct store *st);
int store_commit(struct store *st, struct err *e);
void store_rollback(struct store *st);

int store_insert(struct store *st, const char *table, const json_t *row, int64_t *id, struct err *e);
int store_update(struct store *st, const char *table, int64_t id, const json_t *changes, struct err *e);
int store_delete(struct store *st, const char *table, int64_t id, struct err *e);
/* E_NOT_FOUND when there is no such row. */
int store_get(struct store *st, const char *table, int64_t id, json_t **out, struct err *e);
/* *out: a JSON array of row objects. */
int store_find(struct store *st, const char *table, const struct store_query *q, json_t **out, struct err *e);
/* SQLite only, for tests: the EXPLAIN QUERY PLAN of the very statement
 * store_find runs for q; *plan: a JSON array of the plan's detail lines
 * ("SEARCH t USING INDEX i (c=?)", "SCAN t", ...), outermost first. */
int store_explain(struct store *st, const char *table, const struct store_query *q, json_t **plan, struct err *e);
/* SQLite only, for a database that is rebuilt rather than kept (entente
 * seed): this connection's commits no longer wait for the disk
 * (synchronous=OFF), so a crash may lose or corrupt it. */
int store_sync_off(struct store *st, struct err *e);
/* The first row matching where, or E_NOT_FOUND. */
int store_find_one(struct store *st, const char *table, json_t *where, json_t **out, struct err *e);
/* How many rows store_find would give for q (its order, limit, offset
 * and columns aside). */
int store_count(struct store *st, const char *table, const struct store_query *q, int64_t *n, struct err *e);
/* How many rows of table match where (column = value, all of them), by
 * the value of column: *counts = {"yes": 3, "no": 1}. */
int store_count_by(struct store *st, const char *table, const json_t *where, const char *column, json_t **counts,
		   struct err *e);
/* SQL statements run by this process so far. */
unsigned long store_statements(void);
/* Atomically add delta to an integer column; *value gets the new value. */
int store_increment(struct store *st, const char *table, int64_t id, const char *column, int64_t delta, int64_t *value, struct err *e);

/* The database's size in bytes, for /metrics: SQLite's file and its WAL;
 * PostgreSQL's pg_database_size (its WAL is the cluster's, not this
 * database's: 0). */
int store_size(struct store *st, int64_t *database, int64_t *wal, struct err *e);

/* Online backup of the whole database to a file. */
int store_backup(struct store *st, const char *dest, struct err *e);
/* A table's columns as the database declares them (issue 22: the answer
 * schemas of the OpenAPI document): [{"name", "type": "integer", "string",
 * "boolean", "number" or "json", "null": whether NULL is allowed}]. */
int store_columns(struct store *st, const char *table, json_t **out, struct err *e);
/* Every table of the database (its catalogue, read at open), by name:
 * a JSON array of strings (entente copy-db, issue 26). */
int store_tables(struct store *st, json_t **out, struct err *e);

#endif
