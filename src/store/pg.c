/* The PostgreSQL engine (issue 26), on libpq: what the SQLite engine does,
 * with the same answers. Identifiers in SQL come only from the catalogue
 * read from the database itself; values are always bound ($n, sent as
 * text and typed by the server from the column they meet). Each
 * connection prepares a statement once and keeps it, keyed by its SQL
 * text, as sqlite.c does; a call is then one round trip (the first of a
 * statement's text costs one more, its PREPARE).
 *
 * SQLite's guarantees this engine keeps, and how:
 * - one writer at a time (BEGIN IMMEDIATE): every transaction that writes
 *   takes one advisory lock (WRITE_LOCK) until its end, a write outside a
 *   transaction too (BEGIN, lock, statement, COMMIT in one round trip);
 *   waiting longer than SQLite's busy timeout answers "busy";
 * - a read transaction sees one snapshot (REPEATABLE READ);
 * - a statement that fails undoes itself alone and leaves the transaction
 *   usable (callers go on after a duplicate): a write inside a transaction
 *   runs inside a savepoint of its own, sent in the same round trip
 *   (libpq's pipeline mode);
 * - a new row's id is SQLite's rowid, one more than the largest, so ids
 *   are the same on both engines (written under the write lock);
 * - values come back typed as sqlite.c gives them: integers, booleans,
 *   reals, JSON parsed from jsontext columns, the rest as strings.
 * What it does not do: store_explain and store_sync_off are SQLite's
 * (sqlite.c refuses them to this engine); backup is pg_dump's; the
 * repair of a migration record lost (sqlite.c's schema_is_version) has no
 * counterpart: here a migration and its record are one transaction. */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "lib/util.h"
#include "store/ops.h"

/* The version the first PostgreSQL migration makes (pg_migrations.c). */
#define PG_FIRST_VERSION 25
/* The advisory lock every writer holds: "entente" in ASCII. */
#define WRITE_LOCK "SELECT pg_advisory_xact_lock(28550418844775525)"
/* SQLite's busy timeout (sqlite.c): waiting longer for the lock is "busy" */
#define SESSION_SETUP "SET lock_timeout = '10s'; SET client_min_messages = warning"

enum col_kind { K_INT, K_TEXT, K_BOOL, K_JSON, K_REAL };

struct column { char *name; enum col_kind kind; int notnull; };

struct table {
	char *name;
	int ncols;
	struct column *cols;
	int has_id;
};

#define STMT_SLOTS 512  /* a power of two */
#define STMT_PROBE 8

struct cached_stmt {
	char *sql;
	char name[16];
};

struct pg_store {
	struct store base;
	PGconn *conn;
	int ntables;
	struct table *tables;
	unsigned named;  /* statements prepared so far: the next one's name */
	int locked;      /* this transaction holds WRITE_LOCK */
	struct cached_stmt cache[STMT_SLOTS];
};

#define PQ(st) ((struct pg_store *)(st))

/* The values of one statement, as text; NULL is SQL's NULL. */
struct params {
	int n, cap;
	char **v;
};

static void params_add(struct params *p, char *v)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		if (!(p->v = realloc(p->v, sizeof(*p->v) * (size_t)p->cap)))
			abort();
	}
	p->v[p->n++] = v;
}

static void params_free(struct params *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

/* Storage that refuses to be written (issue 23), by SQLSTATE; NULL for
 * any other failure. A server that cannot be reached is the PostgreSQL
 * form of a database whose files cannot be opened. */
static const char *storage_cause(const char *state)
{
	if (!state)
		return "the database server cannot be reached";
	if (!strcmp(state, "53100"))
		return "disk full";
	if (!strncmp(state, "58", 2))
		return "I/O error";
	if (!strcmp(state, "25006"))
		return "read-only";
	if (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") || !strcmp(state, "57P03"))
		return "the database server cannot be reached";
	return NULL;
}

/* A failed statement's error as SQLite's engine reports its own: the
 * same codes, fields and, where callers may show them, messages. */
static int db_error(struct pg_store *s, const PGresult *res, struct err *e, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(s->conn);
	if (storage_cause(state))
		return store__fault(e, storage_cause(state));
	if (!strcmp(state, "23505")) {
		/* "Key (ballot_id, person_id)=(1, 2) already exists." -> field
		 * "person_id", the last column, as SQLite's message gives it */
		const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		const char *open = detail ? strstr(detail, "Key (") : NULL, *close = open ? strstr(open, ")=") : NULL;
		char field[64] = "";
		if (open && close) {
			const char *from = open + 5;
			for (const char *c = from; c < close; c++)
				if (*c == ',')
					from = c + 1;
			while (*from == ' ')
				from++;
			snprintf(field, sizeof(field), "%.*s", (int)(close - from), from);
		}
		return err_set(e, E_DUPLICATE, field, "a record with this %s already exists", field[0] ? field : "value");
	}
	if (!strcmp(state, "23503"))
		return err_set(e, E_CONFLICT, NULL, "the change refers to a missing record or is still referred to");
	if (!strcmp(state, "23502")) {
		const char *t = PQresultErrorField(res, PG_DIAG_TABLE_NAME), *c = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
		return err_set(e, E_INVALID, NULL, "NOT NULL constraint failed: %s.%s", t ? t : "?", c ? c : "?");
	}
	if (!strcmp(state, "23514")) {
		const char *c = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
		return err_set(e, E_INVALID, NULL, "CHECK constraint failed: %s", c ? c : msg);
	}
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") || !strcmp(state, "57014"))
		return err_set(e, E_UNAVAILABLE, NULL, "database busy, try again");
	if (!strcmp(state, "P0001")) /* a trigger's refusal: RAISE(ABORT, msg) */
		return err_set(e, E_CONFLICT, NULL, "%s", msg);
	if (!strncmp(state, "22", 2)) /* a value the column cannot hold */
		return err_set(e, E_INVALID, NULL, "%s", msg);
	return err_set(e, E_INTERNAL, NULL, "%s: %s", what, msg);
}

/* The connection, usable: one that broke outside a transaction is made
 * again (its prepared statements went with it). */
static int conn_ok(struct pg_store *s, struct err *e)
{
	if (PQstatus(s->conn) == CONNECTION_OK)
		return 0;
	if (s->base.in_tx || s->base.batch)
		return store__fault(e, storage_cause(NULL));
	PQreset(s->conn);
	if (PQstatus(s->conn) != CONNECTION_OK)
		return store__fault(e, storage_cause(NULL));
	for (int i = 0; i < STMT_SLOTS; i++) {
		free(s->cache[i].sql);
		s->cache[i].sql = NULL;
	}
	PQclear(PQexec(s->conn, SESSION_SETUP));
	s->locked = 0;
	return 0;
}

/* Plain SQL without values (one or more statements, one round trip). */
static int exec(struct pg_store *s, const char *sql, struct err *e)
{
	PGresult *res;
	int ret = 0;
	if (conn_ok(s, e))
		return -1;
	store__statement();
	res = PQexec(s->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		ret = db_error(s, res, e, sql);
	PQclear(res);
	return ret;
}

/* After a failed "BEGIN; ..." of our own: the transaction ends. */
static void abandon(struct pg_store *s)
{
	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		PQclear(PQexec(s->conn, "ROLLBACK"));
	s->locked = 0;
}

/* The name of the connection's prepared statement for sql, prepared now if
 * need be; NULL on error. A full probe run evicts its first entry. */
static const char *stmt_get(struct pg_store *s, const char *sql, struct err *e)
{
	uint32_t h = 2166136261u;
	int free_slot = -1;
	for (const char *p = sql; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (int i = 0; i < STMT_PROBE; i++) {
		struct cached_stmt *c = &s->cache[(h + (unsigned)i) & (STMT_SLOTS - 1)];
		if (c->sql && !strcmp(c->sql, sql))
			return c->name;
		if (!c->sql && free_slot < 0)
			free_slot = (int)((h + (unsigned)i) & (STMT_SLOTS - 1));
	}
	struct cached_stmt *c = &s->cache[free_slot >= 0 ? (unsigned)free_slot : h & (STMT_SLOTS - 1)];
	char name[16];
	snprintf(name, sizeof(name), "e%u", ++s->named);
	PGresult *res = PQprepare(s->conn, name, sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_error(s, res, e, "prepare");
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	if (c->sql) {
		char drop[32];
		snprintf(drop, sizeof(drop), "DEALLOCATE %s", c->name);
		PQclear(PQexec(s->conn, drop));
		free(c->sql);
	}
	if (!(c->sql = strdup(sql)))
		abort();
	snprintf(c->name, sizeof(c->name), "%s", name);
	return c->name;
}

/* Run sql with p's values: a read as it is; a write as SQLite would, alone
 * in its failure and under the write lock (see the top). Returns the
 * statement's result (the caller clears it), or NULL with e set. */
static PGresult *run(struct pg_store *s, const char *sql, const struct params *p, int write, struct err *e, const char *what)
{
	const char *name;
	PGresult *res, *main = NULL, *failed = NULL;
	if (conn_ok(s, e) || !(name = stmt_get(s, sql, e)))
		return NULL;
	store__statement();
	PGTransactionStatusType ts = PQtransactionStatus(s->conn);
	if (!write || ts == PQTRANS_INERROR) {
		res = PQexecPrepared(s->conn, name, p ? p->n : 0, p ? (const char *const *)p->v : NULL, NULL, NULL, 0);
		if (PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK)
			return res;
		db_error(s, res, e, what);
		PQclear(res);
		return NULL;
	}
	/* the steps around the statement, sent at once */
	const char *before[3], *after[2];
	int nb = 0, na = 0, own = ts == PQTRANS_IDLE, took = !s->locked;
	if (own) {
		before[nb++] = "BEGIN";
		before[nb++] = WRITE_LOCK;
		after[na++] = "COMMIT";
	} else {
		before[nb++] = "SAVEPOINT entente_statement";
		if (took)
			before[nb++] = WRITE_LOCK;
		after[na++] = "RELEASE SAVEPOINT entente_statement";
	}
	if (!PQenterPipelineMode(s->conn)) {
		err_set(e, E_INTERNAL, NULL, "%s: %s", what, PQerrorMessage(s->conn));
		return NULL;
	}
	for (int i = 0; i < nb; i++)
		PQsendQueryParams(s->conn, before[i], 0, NULL, NULL, NULL, NULL, 0);
	PQsendQueryPrepared(s->conn, name, p ? p->n : 0, p ? (const char *const *)p->v : NULL, NULL, NULL, 0);
	for (int i = 0; i < na; i++)
		PQsendQueryParams(s->conn, after[i], 0, NULL, NULL, NULL, NULL, 0);
	PQpipelineSync(s->conn);
	/* a result per step, each ended by a NULL; the first error is the
	 * one to report, the steps after it were skipped (aborted) */
	for (int step = 0; step < nb + 1 + na; step++) {
		if (!(res = PQgetResult(s->conn)))
			break; /* the connection is gone */
		ExecStatusType rs = PQresultStatus(res);
		if (step == nb && (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK))
			main = res;
		else if (rs == PGRES_FATAL_ERROR && !failed)
			failed = res;
		else
			PQclear(res);
		while ((res = PQgetResult(s->conn)))
			PQclear(res);
	}
	if ((res = PQgetResult(s->conn)))
		PQclear(res); /* PGRES_PIPELINE_SYNC */
	PQexitPipelineMode(s->conn);
	if (!failed && main) {
		if (!own && took)
			s->locked = 1;
		return main;
	}
	db_error(s, failed, e, what);
	PQclear(failed);
	PQclear(main);
	if (own)
		abandon(s);
	else /* the savepoint's rollback lets go of a lock taken inside it */
		PQclear(PQexec(s->conn, "ROLLBACK TO SAVEPOINT entente_statement; RELEASE SAVEPOINT entente_statement"));
	return NULL;
}

static void catalogue_free(struct pg_store *s)
{
	for (int i = 0; i < s->ntables; i++) {
		for (int j = 0; j < s->tables[i].ncols; j++)
			free(s->tables[i].cols[j].name);
		free(s->tables[i].cols);
		free(s->tables[i].name);
	}
	free(s->tables);
	s->tables = NULL;
	s->ntables = 0;
}

/* The kind sqlite.c's kind_of gives the SQLite column this one renders
 * (pg_migrations.c says how each is rendered). */
static enum col_kind kind_of(const char *type)
{
	if (!strcmp(type, "bool"))
		return K_BOOL;
	if (!strcmp(type, "jsontext"))
		return K_JSON;
	if (!strcmp(type, "int8") || !strcmp(type, "int4") || !strcmp(type, "int2"))
		return K_INT;
	if (!strcmp(type, "float8") || !strcmp(type, "float4") || !strcmp(type, "numeric"))
		return K_REAL;
	return K_TEXT;
}

/* Every table of the schema in use and its columns, in one query. */
static int catalogue_load(struct pg_store *s, struct err *e)
{
	static const char sql[] =
		"SELECT c.relname, a.attname, t.typname, a.attnotnull FROM pg_class c"
		" JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
		" JOIN pg_type t ON t.oid = a.atttypid"
		" WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')"
		" ORDER BY c.relname COLLATE \"C\", a.attnum";
	PGresult *res;
	catalogue_free(s);
	if (conn_ok(s, e))
		return -1;
	store__statement();
	res = PQexec(s->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_error(s, res, e, "catalogue");
		PQclear(res);
		return -1;
	}
	for (int r = 0; r < PQntuples(res); r++) {
		const char *tname = PQgetvalue(res, r, 0);
		struct table *tab = s->ntables ? &s->tables[s->ntables - 1] : NULL;
		if (!tab || strcmp(tab->name, tname)) {
			if (!(s->tables = realloc(s->tables, sizeof(*s->tables) * (size_t)(s->ntables + 1))))
				abort();
			tab = &s->tables[s->ntables++];
			tab->name = strdup(tname);
			tab->ncols = 0;
			tab->cols = NULL;
			tab->has_id = 0;
		}
		if (!(tab->cols = realloc(tab->cols, sizeof(*tab->cols) * (size_t)(tab->ncols + 1))))
			abort();
		struct column *c = &tab->cols[tab->ncols++];
		c->name = strdup(PQgetvalue(res, r, 1));
		c->kind = kind_of(PQgetvalue(res, r, 2));
		c->notnull = PQgetvalue(res, r, 3)[0] == 't';
		if (!strcmp(c->name, "id"))
			tab->has_id = 1;
	}
	PQclear(res);
	return 0;
}

static const struct table *table_get(struct pg_store *s, const char *name, struct err *e)
{
	for (int i = 0; i < s->ntables; i++)
		if (!strcmp(s->tables[i].name, name))
			return &s->tables[i];
	err_set(e, E_INTERNAL, NULL, "unknown table %s", name);
	return NULL;
}

static const struct column *column_get(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
	char *out = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&out, fmt, ap) < 0)
		abort();
	va_end(ap);
	return out;
}

/* Whether text is all of a number SQLite would take for one. */
static int is_integer(const char *v)
{
	char *end;
	errno = 0;
	(void)strtoll(v, &end, 10);
	return *v && !*end && !errno && !isspace((unsigned char)*v);
}

static int is_real(const char *v)
{
	char *end;
	(void)strtod(v, &end);
	return *v && !*end && !isspace((unsigned char)*v);
}

/* v as the text of a value for col, as sqlite.c binds it: JSON columns
 * take JSON's text, booleans are 1/0 (true/false to a boolean column), an
 * array or object elsewhere is NULL (SQLite leaves it unbound). cmp: the
 * value is compared, not stored: a text an integer or boolean column
 * cannot hold never equals any of its values in SQLite, so it is NULL
 * (which equals nothing) rather than PostgreSQL's error. */
static char *param_of(const struct column *col, const json_t *v, int cmp)
{
	enum col_kind kind = col ? col->kind : K_TEXT;
	if (!v || json_is_null(v))
		return NULL;
	if (kind == K_JSON)
		return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (json_is_boolean(v))
		return strdup(kind == K_BOOL ? (json_is_true(v) ? "true" : "false") : (json_is_true(v) ? "1" : "0"));
	if (json_is_integer(v)) {
		if (kind == K_BOOL)
			return strdup(json_integer_value(v) ? "true" : "false");
		return dupf("%lld", (long long)json_integer_value(v));
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (kind == K_INT && d == (double)(long long)d) /* SQLite stores 2.0 as 2 there */
			return dupf("%lld", (long long)d);
		return dupf("%.17g", d);
	}
	if (json_is_string(v)) {
		const char *t = json_string_value(v);
		if (cmp && ((kind == K_INT && !is_integer(t)) || (kind == K_REAL && !is_real(t))))
			return NULL;
		if (kind == K_BOOL) {
			if (is_integer(t))
				return strdup(strtoll(t, NULL, 10) ? "true" : "false");
			if (cmp)
				return NULL;
		}
		return strdup(t);
	}
	return NULL;
}

static json_t *column_value(const PGresult *res, int r, int i, enum col_kind kind)
{
	if (PQgetisnull(res, r, i))
		return json_null();
	const char *v = PQgetvalue(res, r, i);
	switch (kind) {
	case K_INT: return json_integer(strtoll(v, NULL, 10));
	case K_BOOL: return json_boolean(v[0] == 't');
	case K_REAL: return json_real(strtod(v, NULL));
	case K_JSON: {
		json_t *j = json_loads(v, JSON_DECODE_ANY, NULL);
		return j ? j : json_null();
	}
	default: return json_stringn(v, (size_t)PQgetlength(res, r, i));
	}
}

static int check_columns(const struct table *t, const json_t *obj, struct err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		(void)v;
		if (!column_get(t, key))
			return err_set(e, E_INTERNAL, key, "table %s has no column %s", t->name, key);
	}
	return 0;
}

static int p_insert(struct store *st, const char *table, const json_t *row, int64_t *id, struct err *e)
{
	struct pg_store *s = PQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT, vals = STRBUF_INIT;
	struct params p = { 0 };
	PGresult *res = NULL;
	int ret = -1, n = 0;
	const char *key;
	json_t *v;
	if (!t || check_columns(t, row, e))
		return -1;
	strbuf_addf(&sql, "INSERT INTO \"%s\" (", t->name);
	/* SQLite's rowid: one more than the largest id (see the top) */
	if (t->has_id && !json_object_get(row, "id")) {
		strbuf_addstr(&sql, "\"id\"");
		strbuf_addf(&vals, "(SELECT coalesce(max(\"id\"), 0) + 1 FROM \"%s\")", t->name);
		n++;
	}
	json_object_foreach((json_t *)row, key, v) {
		strbuf_addf(&sql, "%s\"%s\"", n ? ", " : "", key);
		params_add(&p, param_of(column_get(t, key), v, 0));
		strbuf_addf(&vals, "%s$%d", n ? ", " : "", p.n);
		n++;
	}
	if (!n)
		strbuf_addstr(&sql, ") DEFAULT VALUES");
	else
		strbuf_addf(&sql, ") VALUES (%s)", vals.buf);
	if (t->has_id)
		strbuf_addstr(&sql, " RETURNING \"id\"");
	if (!(res = run(s, sql.buf, &p, 1, e, "insert")))
		goto out;
	if (id)
		*id = t->has_id && PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	ret = 0;
out:
	PQclear(res);
	params_free(&p);
	strbuf_release(&sql);
	strbuf_release(&vals);
	return ret;
}

static int p_update(struct store *st, const char *table, int64_t id, const json_t *changes, struct err *e)
{
	struct pg_store *s = PQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT;
	struct params p = { 0 };
	PGresult *res = NULL;
	int ret = -1;
	const char *key;
	json_t *v;
	if (!t || check_columns(t, changes, e))
		return -1;
	strbuf_addf(&sql, "UPDATE \"%s\" SET ", t->name);
	json_object_foreach((json_t *)changes, key, v) {
		params_add(&p, param_of(column_get(t, key), v, 0));
		strbuf_addf(&sql, "%s\"%s\" = $%d", p.n > 1 ? ", " : "", key, p.n);
	}
	params_add(&p, dupf("%lld", (long long)id));
	strbuf_addf(&sql, " WHERE id = $%d", p.n);
	if (!(res = run(s, sql.buf, &p, 1, e, "update")))
		goto out;
	if (!strcmp(PQcmdTuples(res), "0")) {
		err_set(e, E_NOT_FOUND, NULL, "no such %s", table);
		goto out;
	}
	ret = 0;
out:
	PQclear(res);
	params_free(&p);
	strbuf_release(&sql);
	return ret;
}

static int p_delete(struct store *st, const char *table, int64_t id, struct err *e)
{
	struct pg_store *s = PQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT;
	struct params p = { 0 };
	PGresult *res = NULL;
	int ret = -1;
	if (!t)
		return -1;
	strbuf_addf(&sql, "DELETE FROM \"%s\" WHERE id = $1", t->name);
	params_add(&p, dupf("%lld", (long long)id));
	if (!(res = run(s, sql.buf, &p, 1, e, "delete")))
		goto out;
	if (!strcmp(PQcmdTuples(res), "0")) {
		err_set(e, E_NOT_FOUND, NULL, "no such %s", table);
		goto out;
	}
	ret = 0;
out:
	PQclear(res);
	params_free(&p);
	strbuf_release(&sql);
	return ret;
}

/* The full-text query for words a person typed, as sqlite.c's
 * match_words makes FTS5's: each whitespace-separated word a phrase of
 * its tokens (split where FTS5's unicode61 splits ASCII: at anything not
 * a letter or digit) whose last is a prefix, all words required; no input
 * is query syntax, every token is quoted. A word of several tokens must be
 * one phrase within one column, as in FTS5: one alternative per column
 * weight (pg_migrations.c gives each column its own). NULL when there is
 * no token at all: FTS5 matches nothing then, nor does NULL. */
static char *match_query(const char *text)
{
	static const char weights[] = "ABCD";
	struct strbuf q = STRBUF_INIT;
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		const char *end = p + strcspn(p, " \t\n\r");
		/* the word's tokens, each quoted */
		struct strbuf toks[16];
		int nt = 0;
		for (const char *c = p; c < end && nt < 16;) {
			while (c < end && (unsigned char)*c < 0x80 && !isalnum((unsigned char)*c))
				c++;
			if (c >= end)
				break;
			strbuf_init(&toks[nt]);
			while (c < end && ((unsigned char)*c >= 0x80 || isalnum((unsigned char)*c)))
				strbuf_add(&toks[nt], c++, 1);
			nt++;
		}
		p = end;
		if (!nt)
			continue; /* FTS5 passes over a phrase without tokens */
		strbuf_addstr(&q, q.len ? " & (" : "(");
		for (int w = 0; w < (nt > 1 ? 4 : 1); w++) {
			if (w)
				strbuf_addstr(&q, " | ");
			for (int i = 0; i < nt; i++)
				strbuf_addf(&q, "%s'%s':%s%.*s", i ? " <-> " : nt > 1 ? "(" : "", toks[i].buf, i == nt - 1 ? "*" : "",
					    nt > 1 ? 1 : 0, &weights[w]);
			if (nt > 1)
				strbuf_addstr(&q, ")");
		}
		strbuf_addstr(&q, ")");
		for (int i = 0; i < nt; i++)
			strbuf_release(&toks[i]);
	}
	if (!q.len) {
		strbuf_release(&q);
		return NULL;
	}
	return strbuf_detach(&q);
}

/* The SELECT store_find runs for q on t, into sql, and its values into p,
 * in the order of their placeholders: sqlite.c's find_sql and find_bind
 * in one, the same text for the same shape of query. */
static int find_sql(const struct pg_store *s, const struct table *t, const struct store_query *q, struct strbuf *sql,
		    struct params *p, int count, struct err *e)
{
	const char *key;
	json_t *v;
	const struct column *order = column_get(t, q->order ? q->order : "id");
	if (!order && (q->order || !count)) /* a count needs no order: a table without id counts too */
		return err_set(e, E_INTERNAL, q->order, "table %s has no column %s", t->name, q->order ? q->order : "id");
	if (q->where && check_columns(t, q->where, e))
		return -1;
	if (count) {
		strbuf_addf(sql, "SELECT count(*) FROM \"%s\" WHERE true", t->name);
	} else if (q->columns && q->columns[0] == '-') { /* every column but those named */
		int first = 1;
		strbuf_addstr(sql, "SELECT ");
		for (int i = 0; i < t->ncols; i++) {
			const char *name = t->cols[i].name, *c = q->columns + 1;
			size_t len = strlen(name);
			int skip = 0;
			for (; *c && !skip; c += strcspn(c, ",") + (c[strcspn(c, ",")] == ','))
				skip = strcspn(c, ",") == len && !strncmp(c, name, len);
			if (skip)
				continue;
			strbuf_addf(sql, "%s\"%s\"", first ? "" : ", ", name);
			first = 0;
		}
		strbuf_addf(sql, " FROM \"%s\" WHERE true", t->name);
	} else if (q->columns) { /* each a column of the table, quoted from the catalogue */
		strbuf_addstr(sql, "SELECT ");
		for (const char *c = q->columns; *c;) {
			size_t n = strcspn(c, ",");
			char name[64];
			const struct column *col;
			snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : sizeof(name) - 1), c);
			if (!(col = column_get(t, name)))
				return err_set(e, E_INTERNAL, name, "table %s has no column %s", t->name, name);
			strbuf_addf(sql, "%s\"%s\"", c == q->columns ? "" : ", ", col->name);
			c += n + (c[n] == ',');
		}
		strbuf_addf(sql, " FROM \"%s\" WHERE true", t->name);
	} else {
		strbuf_addf(sql, "SELECT * FROM \"%s\" WHERE true", t->name);
	}
	if (q->where)
		json_object_foreach(q->where, key, v) {
			const struct column *c = column_get(t, key);
			if (json_is_null(v)) {
				strbuf_addf(sql, " AND \"%s\" IS NULL", key);
			} else if (json_is_array(v)) {
				strbuf_addf(sql, " AND \"%s\" IN (", key);
				for (size_t i = 0; i < json_array_size(v); i++) {
					params_add(p, param_of(c, json_array_get(v, i), 1));
					strbuf_addf(sql, "%s$%d", i ? ", " : "", p->n);
				}
				strbuf_addstr(sql, json_array_size(v) ? ")" : "NULL)");
			} else if (json_is_object(v)) { /* a range: {">=": a, "<": b} */
				const char *op;
				json_t *bound;
				json_object_foreach(v, op, bound) {
					if (strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">="))
						return err_set(e, E_INTERNAL, key, "no comparison %s", op);
					params_add(p, param_of(c, bound, 1));
					strbuf_addf(sql, " AND \"%s\" %s $%d", key, op, p->n);
				}
			} else {
				params_add(p, param_of(c, v, 1));
				strbuf_addf(sql, " AND \"%s\" = $%d", key, p->n);
			}
		}
	if (q->match) {
		const struct table *it = NULL;
		for (int i = 0; i < s->ntables && !it; i++)
			if (!strcmp(s->tables[i].name, q->match_index ? q->match_index : ""))
				it = &s->tables[i];
		if (!it || !column_get(it, "tsv") || !column_get(t, "id"))
			return err_set(e, E_INTERNAL, NULL, "no full-text index %s", q->match_index ? q->match_index : "");
		params_add(p, match_query(q->match));
		strbuf_addf(sql, " AND id IN (SELECT id FROM \"%s\" WHERE tsv @@ to_tsquery('entente_words', $%d))", it->name, p->n);
	}
	if (q->in_table) {
		const struct table *it = NULL;
		for (int i = 0; i < s->ntables && !it; i++)
			if (!strcmp(s->tables[i].name, q->in_table))
				it = &s->tables[i];
		const struct column *ic = it ? column_get(it, q->in_column) : NULL, *ik = it ? column_get(it, q->in_key) : NULL;
		if (!ic || !ik)
			return err_set(e, E_INTERNAL, NULL, "no %s.%s or %s", q->in_table, q->in_column, q->in_key);
		params_add(p, param_of(ik, q->in_value, 1));
		strbuf_addf(sql, " AND id IN (SELECT \"%s\" FROM \"%s\" WHERE \"%s\" = $%d)", ic->name, it->name, ik->name, p->n);
	}
	if (q->after_id) {
		params_add(p, dupf("%lld", (long long)q->after_id));
		strbuf_addf(sql, " AND id %s $%d", q->desc ? "<" : ">", p->n);
	}
	if (count)
		return 0;
	strbuf_addf(sql, " ORDER BY \"%s\" %s", order->name, q->desc ? "DESC" : "ASC");
	if (strcmp(order->name, "id"))
		strbuf_addf(sql, ", id %s", q->desc ? "DESC" : "ASC");
	if (q->limit > 0)
		strbuf_addf(sql, " LIMIT %d", q->limit);
	if (q->offset > 0)
		strbuf_addf(sql, " OFFSET %d", q->offset);
	return 0;
}

static int p_find(struct store *st, const char *table, const struct store_query *q, json_t **out, struct err *e)
{
	struct pg_store *s = PQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT;
	struct params p = { 0 };
	PGresult *res = NULL;
	int ret = -1;
	json_t *rows = NULL;
	*out = NULL;
	if (!t)
		return -1;
	if (find_sql(s, t, q, &sql, &p, 0, e) || !(res = run(s, sql.buf, &p, 0, e, "find")))
		goto out;
	/* each column's name and kind once per statement, not once per value */
	int nc = PQnfields(res);
	enum col_kind kinds[64];
	const char *names[64];
	if (nc > 64) {
		err_set(e, E_INTERNAL, NULL, "table %s has more than 64 columns", t->name);
		goto out;
	}
	for (int i = 0; i < nc; i++) {
		const struct column *c = column_get(t, names[i] = PQfname(res, i));
		kinds[i] = c ? c->kind : K_TEXT;
	}
	rows = json_array();
	for (int r = 0; r < PQntuples(res); r++) {
		json_t *row = json_object();
		for (int i = 0; i < nc; i++)
			json_object_set_new_nocheck(row, names[i], column_value(res, r, i, kinds[i]));
		json_array_append_new(rows, row);
	}
	*out = rows;
	rows = NULL;
	ret = 0;
out:
	json_decref(rows);
	PQclear(res);
	params_free(&p);
	strbuf_release(&sql);
	return ret;
}

static int p_increment(struct store *st, const char *table, int64_t id, const char *column, int64_t delta, int64_t *value, struct err *e)
{
	struct pg_store *s = PQ(st);
	const struct table *t = table_get(s, table, e);
	const struct column *c;
	struct strbuf sql = STRBUF_INIT;
	struct params p = { 0 };
	PGresult *res = NULL;
	int ret = -1;
	if (!t)
		return -1;
	if (!(c = column_get(t, column)) || c->kind != K_INT)
		return err_set(e, E_INTERNAL, column, "not an integer column");
	strbuf_addf(&sql, "UPDATE \"%s\" SET \"%s\" = \"%s\" + $1 WHERE id = $2 RETURNING \"%s\"", t->name, c->name, c->name, c->name);
	params_add(&p, dupf("%lld", (long long)delta));
	params_add(&p, dupf("%lld", (long long)id));
	if (!(res = run(s, sql.buf, &p, 1, e, "increment")))
		goto out;
	if (!PQntuples(res)) {
		err_set(e, E_NOT_FOUND, NULL, "no such %s", table);
		goto out;
	}
	if (value)
		*value = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	ret = 0;
out:
	PQclear(res);
	params_free(&p);
	strbuf_release(&sql);
	return ret;
}

static int p_count(struct store *st, const char *table, const struct store_query *q, int64_t *n, struct err *e)
{
	struct pg_store *s = PQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT;
	struct params p = { 0 };
	PGresult *res = NULL;
	int ret = -1;
	*n = 0;
	if (!t)
		return -1;
	if (find_sql(s, t, q, &sql, &p, 1, e) || !(res = run(s, sql.buf, &p, 0, e, "count")))
		goto out;
	*n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	ret = 0;
out:
	PQclear(res);
	params_free(&p);
	strbuf_release(&sql);
	return ret;
}

static int p_count_by(struct store *st, const char *table, const json_t *where, const char *column, json_t **counts,
		      struct err *e)
{
	struct pg_store *s = PQ(st);
	const struct table *t = table_get(s, table, e);
	const struct column *by;
	struct strbuf sql = STRBUF_INIT;
	struct params p = { 0 };
	PGresult *res = NULL;
	const char *key;
	json_t *v;
	int ret = -1;
	*counts = NULL;
	if (!t)
		return -1;
	if (!(by = column_get(t, column)))
		return err_set(e, E_INTERNAL, column, "table %s has no column %s", t->name, column);
	if (check_columns(t, where, e))
		return -1;
	json_object_foreach((json_t *)where, key, v)
		if (!json_is_string(v) && !json_is_integer(v))
			return err_set(e, E_INTERNAL, key, "count_by compares with one value");
	strbuf_addf(&sql, "SELECT \"%s\", count(*) FROM \"%s\" WHERE true", by->name, t->name);
	json_object_foreach((json_t *)where, key, v) {
		params_add(&p, param_of(column_get(t, key), v, 1));
		strbuf_addf(&sql, " AND \"%s\" = $%d", column_get(t, key)->name, p.n);
	}
	strbuf_addf(&sql, " GROUP BY \"%s\"", by->name);
	if (!(res = run(s, sql.buf, &p, 0, e, "count")))
		goto out;
	*counts = json_object();
	for (int r = 0; r < PQntuples(res); r++) {
		const char *k = PQgetvalue(res, r, 0);
		if (PQgetisnull(res, r, 0))
			continue;
		if (by->kind == K_BOOL) /* SQLite's text of a boolean is 1 or 0 */
			k = k[0] == 't' ? "1" : "0";
		json_object_set_new(*counts, k, json_integer(strtoll(PQgetvalue(res, r, 1), NULL, 10)));
	}
	ret = 0;
out:
	PQclear(res);
	params_free(&p);
	strbuf_release(&sql);
	return ret;
}

static int p_begin(struct store *st, int write, struct err *e)
{
	struct pg_store *s = PQ(st);
	/* BEGIN IMMEDIATE: the write lock at once; a reader's snapshot is the
	 * transaction's, as in SQLite's WAL */
	if (exec(s, write ? "BEGIN; " WRITE_LOCK : "BEGIN ISOLATION LEVEL REPEATABLE READ", e)) {
		abandon(s);
		return -1;
	}
	s->locked = write;
	return 0;
}

static int p_commit(struct store *st, struct err *e)
{
	struct pg_store *s = PQ(st);
	PGresult *res;
	int ret = 0;
	if (conn_ok(s, e))
		return -1;
	store__statement();
	res = PQexec(s->conn, "COMMIT");
	s->locked = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		ret = db_error(s, res, e, "COMMIT");
	else if (!strcmp(PQcmdStatus(res), "ROLLBACK")) /* a statement of it had failed */
		ret = err_set(e, E_INTERNAL, NULL, "COMMIT: the transaction failed and was rolled back");
	PQclear(res);
	if (!ret)
		store__fault_clear();
	return ret;
}

static void p_rollback(struct store *st)
{
	struct pg_store *s = PQ(st);
	if (PQstatus(s->conn) == CONNECTION_OK && PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
		store__statement();
		PQclear(PQexec(s->conn, "ROLLBACK"));
	}
	s->locked = 0;
}

static int p_savepoint(struct store *st, struct err *e) { return exec(PQ(st), "SAVEPOINT call", e); }
static int p_release(struct store *st, struct err *e) { return exec(PQ(st), "RELEASE SAVEPOINT call", e); }

static void p_rollback_to(struct store *st)
{
	struct err ignored = ERR_INIT;
	exec(PQ(st), "ROLLBACK TO SAVEPOINT call; RELEASE SAVEPOINT call", &ignored);
}

static int p_schema_version(struct store *st)
{
	struct pg_store *s = PQ(st);
	struct err ignored = ERR_INIT;
	int v = 0;
	if (conn_ok(s, &ignored))
		return 0;
	store__statement();
	/* no table yet (a new database, outside any transaction): version 0 */
	PGresult *res = PQexec(s->conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res))
		v = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static int p_schema_known(struct store *st)
{
	(void)st;
	int known = 0;
	while (store__pg_migrations[known])
		known++;
	return PG_FIRST_VERSION - 1 + known;
}

static int p_migrate(struct store *st, int *applied, struct err *e)
{
	struct pg_store *s = PQ(st);
	int count = 0, known = p_schema_known(st);
	if (applied)
		*applied = 0;
	st->migrations_recorded = 0;
	if (exec(s, "BEGIN; " WRITE_LOCK "; CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY,"
		    " applied_at TEXT COLLATE \"C\" NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'));"
		    " COMMIT", e)) {
		abandon(s);
		return -1;
	}
	/* a database a newer entente migrated is not ours to serve (issue 23) */
	if (p_schema_version(st) > known)
		return store__schema_err(e, p_schema_version(st), known);
	for (int i = 0; store__pg_migrations[i]; i++) {
		int version = PG_FIRST_VERSION + i;
		char mark[128];
		/* the lock first, then the version: two processes may race here */
		if (exec(s, "BEGIN; " WRITE_LOCK, e)) {
			abandon(s);
			return -1;
		}
		if (p_schema_version(st) >= version) {
			abandon(s);
			continue;
		}
		/* the first records every version it makes, 1 to 25, as SQLite's
		 * table would have them */
		snprintf(mark, sizeof(mark), "INSERT INTO schema_migrations (version) SELECT generate_series(%d, %d)", i ? version : 1,
			 version);
		if (exec(s, store__pg_migrations[i], e) || exec(s, mark, e) || exec(s, "COMMIT", e)) {
			char detail[sizeof(e->detail)];
			snprintf(detail, sizeof(detail), "%s", e->detail);
			abandon(s);
			return err_set(e, E_INTERNAL, NULL, "migration %d: %s; nothing of it was kept", version, detail);
		}
		s->locked = 0;
		count++;
	}
	if (applied)
		*applied = count;
	return catalogue_load(s, e);
}

/* The catalogue's tables, by name (store_tables). */
static int p_tables(struct store *st, json_t **out, struct err *e)
{
	(void)e;
	*out = json_array();
	for (int i = 0; i < PQ(st)->ntables; i++)
		json_array_append_new(*out, json_string(PQ(st)->tables[i].name));
	return 0;
}

static int p_columns(struct store *st, const char *table, json_t **out, struct err *e)
{
	static const char *const types[] = { [K_INT] = "integer", [K_TEXT] = "string", [K_BOOL] = "boolean", [K_JSON] = "json",
					     [K_REAL] = "number" };
	const struct table *t = table_get(PQ(st), table, e);
	if (!t)
		return -1;
	*out = json_array();
	for (int i = 0; i < t->ncols; i++)
		json_array_append_new(*out, json_pack("{ss ss sb}", "name", t->cols[i].name, "type", types[t->cols[i].kind], "null",
						      !t->cols[i].notnull));
	return 0;
}

/* The database's own size; the write-ahead log is the cluster's: 0. */
static int p_size(struct store *st, int64_t *database, int64_t *wal, struct err *e)
{
	PGresult *res = run(PQ(st), "SELECT pg_database_size(current_database())", NULL, 0, e, "size");
	if (!res)
		return -1;
	*database = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	*wal = 0;
	PQclear(res);
	return 0;
}

static int p_backup(struct store *st, const char *dest, struct err *e)
{
	(void)st;
	(void)dest;
	return err_set(e, E_INVALID, "db",
		       "a PostgreSQL database is not backed up by entente: use pg_dump (pg_dump -Fc -f FILE URL; pg_restore to restore), "
		       "and keep the signing key beside it");
}

static void p_close(struct store *st)
{
	struct pg_store *s = PQ(st);
	for (int i = 0; i < STMT_SLOTS; i++)
		free(s->cache[i].sql);
	catalogue_free(s);
	PQfinish(s->conn);
	free(s);
}

static const struct store_ops pg_ops = {
	.name = "postgresql",
	.migrate = p_migrate,
	.columns = p_columns,
	.tables = p_tables,
	.size = p_size,
	.schema_version = p_schema_version,
	.schema_known = p_schema_known,
	.begin = p_begin,
	.commit = p_commit,
	.rollback = p_rollback,
	.savepoint = p_savepoint,
	.release = p_release,
	.rollback_to = p_rollback_to,
	.insert = p_insert,
	.update = p_update,
	.delete_row = p_delete,
	.find = p_find,
	.increment = p_increment,
	.count = p_count,
	.count_by = p_count_by,
	.backup = p_backup,
	.close = p_close,
};

/* The server's lock (store_hold_server): a session's advisory lock (the
 * database's own: another database of the cluster has its own), on a
 * connection of its own that lives as long as the process, as the lock
 * file's descriptor does; the server lets go when the process dies. Its
 * key: "ent" in ASCII, so that pg_locks shows it as objid 6647412. Servers
 * hold it shared (several serve one database, issue 26); migrate, keys
 * rotate and serve --migrate hold it alone until their change is made. */
#define HOLD_KEY "6647412"

/* the holding connection, closed as the process exits */
static PGconn *held;

static void let_go(void) { PQfinish(held); }

/* The application name of a session holding key (who), or "". */
static void holder_of(PGconn *conn, char *holder, size_t n)
{
	PGresult *res = PQexec(conn, "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
				     " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = " HOLD_KEY
				     " AND l.pid <> pg_backend_pid()"
				     " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1");
	snprintf(holder, n, "%s", PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
}

/* One query whose one value is t or f: 1, 0, or -1 with why in holder. */
static int ask(PGconn *conn, const char *sql, char *holder, size_t n)
{
	PGresult *res = PQexec(conn, sql);
	int r = -1;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		r = PQgetvalue(res, 0, 0)[0] == 't';
	else if (holder) {
		snprintf(holder, n, "%s", PQresultErrorMessage(res));
		holder[strcspn(holder, "\n")] = '\0';
	}
	PQclear(res);
	return r;
}

int store_hold_server(const char *url, const char *who, int alone, char *holder, size_t n)
{
	const char *const keys[] = { "dbname", "application_name", NULL }, *const values[] = { url, who, NULL };
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	int r;
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(holder, n, "cannot connect: %s", PQerrorMessage(conn));
		holder[strcspn(holder, "\n")] = '\0';
		PQfinish(conn);
		return -1;
	}
	r = ask(conn, alone ? "SELECT pg_try_advisory_lock(" HOLD_KEY ")" : "SELECT pg_try_advisory_lock_shared(" HOLD_KEY ")",
		holder, n);
	if (r == 1) {
		held = conn; /* open until the process ends, and the lock with it */
		atexit(let_go);
		return 0;
	}
	if (r == 0)
		holder_of(conn, holder, n);
	PQfinish(conn);
	return -1;
}

int store_hold_share(char *why, size_t n)
{
	if (!held)
		return 0;
	if (ask(held, "SELECT pg_try_advisory_lock_shared(" HOLD_KEY ")", why, n) != 1 ||
	    ask(held, "SELECT pg_advisory_unlock(" HOLD_KEY ")", why, n) != 1)
		return -1;
	return 0;
}

/* Issue 26: the periodic work's turn, an advisory lock ("enu", 6647413)
 * held by one server's session at a time. A connection of its own, shared
 * by the process's periodic threads under a mutex; while held, each turn
 * asks the database a trivial question, so that a lost session (a network
 * cut, the database restarted) is a lost turn, not two owners. */
#define TURN_KEY "6647413"

static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static PGconn *turn_conn;
static atomic_int turn_owned;
static unsigned long turn_takes;

static int turn_closing_set;

static void turn_drop(void)
{
	PQfinish(turn_conn);
	turn_conn = NULL;
}

/* at exit: the periodic threads are stopped by then */
static void turn_close(void) { turn_drop(); }

int store_periodic_turn(const char *url)
{
	char why[256] = "";
	int r;
	if (!store_is_url(url)) {
		atomic_store(&turn_owned, 1); /* a file: one server (PATH.lock) */
		return 1;
	}
	pthread_mutex_lock(&turn_lock);
	if (!turn_conn) {
		char me[96];
		snprintf(me, sizeof(me), "entente periodic work (pid %ld)", (long)getpid());
		/* the database notices a server cut off within about 25 s
		 * (its keepalives on this session), and lets the turn go */
		const char *const keys[] = { "dbname", "application_name", "options", NULL },
				  *const values[] = { url, me, "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3",
						      NULL };
		turn_conn = PQconnectdbParams(keys, values, 1);
		if (!turn_closing_set) {
			atexit(turn_close);
			turn_closing_set = 1;
		}
		if (PQstatus(turn_conn) != CONNECTION_OK) {
			snprintf(why, sizeof(why), "%s", PQerrorMessage(turn_conn));
			why[strcspn(why, "\n")] = '\0';
			turn_drop();
		}
	}
	if (turn_conn && atomic_load(&turn_owned)) {
		if ((r = ask(turn_conn, "SELECT true", why, sizeof(why))) != 1)
			turn_drop();
	} else if (turn_conn) {
		if ((r = ask(turn_conn, "SELECT pg_try_advisory_lock(" TURN_KEY ")", why, sizeof(why))) < 0)
			turn_drop();
	} else {
		r = -1;
	}
	int was = atomic_exchange(&turn_owned, r == 1);
	if (r == 1 && !was) {
		turn_takes++;
		log_at(LV_INFO, "periodic work: this server (pid %ld) takes its turn: reminders, ballot deadlines, mail, publication and "
				"checkpoints run here%s",
		       (long)getpid(), turn_takes > 1 ? " again" : "");
	} else if (r != 1 && was) {
		log_at(LV_WARN, "periodic work: this server (pid %ld) lost its turn (%s): another server takes it", (long)getpid(),
		       *why ? why : "the database session ended");
	}
	pthread_mutex_unlock(&turn_lock);
	return r == 1;
}

int store_periodic_owned(const struct store *st) { return st && st->ops != &pg_ops ? 1 : atomic_load(&turn_owned); }

/* libpq prints the server's notices on stderr; the engine has none to show
 * (to_tsquery's "contains only stop words" among them). */
static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int store__pg_open(struct store **out, const char *url, struct err *e)
{
	struct pg_store *s = calloc(1, sizeof(*s));
	if (!s)
		return err_set(e, E_INTERNAL, NULL, "out of memory");
	s->base.ops = &pg_ops;
	s->conn = PQconnectdb(url);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		/* the message names the host, never the password */
		char why[256];
		snprintf(why, sizeof(why), "%s", s->conn ? PQerrorMessage(s->conn) : "out of memory");
		why[strcspn(why, "\n")] = '\0';
		err_set(e, E_INTERNAL, "db", "cannot connect to the PostgreSQL database: %s", why);
		PQfinish(s->conn);
		free(s);
		return -1;
	}
	PQsetNoticeProcessor(s->conn, no_notices, NULL);
	if (exec(s, SESSION_SETUP, e) || catalogue_load(s, e)) {
		p_close(&s->base);
		return -1;
	}
	*out = &s->base;
	return 0;
}
