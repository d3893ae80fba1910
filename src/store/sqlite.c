/* The SQLite engine: WAL, synchronous=FULL, foreign keys, busy timeout.
 * Identifiers in SQL come only from the catalogue read from the database
 * itself; values are always bound. Each connection prepares a statement
 * once and keeps it, keyed by its SQL text: preparing was more than half
 * of the time of a WR document's GET. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "store/ops.h"

enum col_kind { K_INT, K_TEXT, K_BOOL, K_JSON, K_REAL };

struct column { char *name; enum col_kind kind; int notnull; };

struct table {
	char *name;
	int ncols;
	struct column *cols;
};

#define STMT_SLOTS 512  /* a power of two */
#define STMT_PROBE 8

struct cached_stmt {
	char *sql;
	sqlite3_stmt *stmt;
};

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	int ntables;
	struct table *tables;
	struct cached_stmt cache[STMT_SLOTS];
};

#define SQ(st) ((struct sqlite_store *)(st))

/* Storage that refuses to be written (issue 23), by SQLite's primary
 * result code; NULL for any other failure. */
static const char *storage_cause(int code)
{
	switch (code & 0xff) {
	case SQLITE_FULL: return "disk full";
	case SQLITE_IOERR: return "I/O error";
	case SQLITE_READONLY: return "read-only";
	case SQLITE_CANTOPEN: return "cannot open the database's files";
	default: return NULL;
	}
}

static int db_error(struct sqlite_store *s, struct err *e, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);
	const char *msg = sqlite3_errmsg(s->db);
	if (storage_cause(code))
		return store__fault(e, storage_cause(code));
	if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
		/* "UNIQUE constraint failed: people.email" -> field "email" */
		const char *dot = strrchr(msg, '.');
		const char *comma = dot ? strchr(dot, ',') : NULL;
		char field[64] = "";
		if (dot) {
			size_t n = comma ? (size_t)(comma - dot - 1) : strlen(dot + 1);
			if (n >= sizeof(field))
				n = sizeof(field) - 1;
			memcpy(field, dot + 1, n);
			field[n] = '\0';
		}
		return err_set(e, E_DUPLICATE, field, "a record with this %s already exists", field[0] ? field : "value");
	}
	if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(e, E_CONFLICT, NULL, "the change refers to a missing record or is still referred to");
	if (code == SQLITE_CONSTRAINT_CHECK || code == SQLITE_CONSTRAINT_NOTNULL)
		return err_set(e, E_INVALID, NULL, "%s", msg);
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED || (code & 0xff) == SQLITE_BUSY)
		return err_set(e, E_UNAVAILABLE, NULL, "database busy, try again");
	if (code == SQLITE_CONSTRAINT_TRIGGER)
		return err_set(e, E_CONFLICT, NULL, "%s", msg);
	return err_set(e, E_INTERNAL, NULL, "%s: %s", what, msg);
}

/* The connection's prepared statement for sql (reset, unbound), prepared
 * now if need be; NULL on error. The caller steps it and hands it back
 * with stmt_done. A full probe run evicts its first entry. */
static sqlite3_stmt *stmt_get(struct sqlite_store *s, const char *sql)
{
	uint32_t h = 2166136261u;
	int free_slot = -1;
	store__statement();
	for (const char *p = sql; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (int i = 0; i < STMT_PROBE; i++) {
		struct cached_stmt *c = &s->cache[(h + (unsigned)i) & (STMT_SLOTS - 1)];
		if (c->sql && !strcmp(c->sql, sql))
			return c->stmt;
		if (!c->sql && free_slot < 0)
			free_slot = (int)((h + (unsigned)i) & (STMT_SLOTS - 1));
	}
	sqlite3_stmt *stmt = NULL;
	char *copy = strdup(sql);
	if (!copy || sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
		free(copy);
		return NULL;
	}
	struct cached_stmt *c = &s->cache[free_slot >= 0 ? (unsigned)free_slot : h & (STMT_SLOTS - 1)];
	if (c->sql) {
		sqlite3_finalize(c->stmt);
		free(c->sql);
	}
	c->sql = copy;
	c->stmt = stmt;
	return stmt;
}

/* Hand a statement back: reset, so it holds no read lock, and unbound. */
static void stmt_done(sqlite3_stmt *stmt)
{
	if (stmt) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
}

static void cache_free(struct sqlite_store *s)
{
	for (int i = 0; i < STMT_SLOTS; i++) {
		sqlite3_finalize(s->cache[i].stmt);
		free(s->cache[i].sql);
		s->cache[i].sql = NULL;
		s->cache[i].stmt = NULL;
	}
}

static int exec(struct sqlite_store *s, const char *sql, struct err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (storage_cause(sqlite3_extended_errcode(s->db))) {
			sqlite3_free(msg);
			return store__fault(e, storage_cause(sqlite3_extended_errcode(s->db)));
		}
		err_set(e, E_INTERNAL, NULL, "%s", msg ? msg : "sqlite error");
		if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_BUSY)
			e->code = E_UNAVAILABLE;
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static void catalogue_free(struct sqlite_store *s)
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

static enum col_kind kind_of(const char *decl)
{
	if (!decl)
		return K_TEXT;
	if (strstr(decl, "BOOLEAN"))
		return K_BOOL;
	if (strstr(decl, "JSONTEXT"))
		return K_JSON;
	if (strstr(decl, "INT"))
		return K_INT;
	if (strstr(decl, "REAL"))
		return K_REAL;
	return K_TEXT;
}

static int catalogue_load(struct sqlite_store *s, struct err *e)
{
	sqlite3_stmt *t = NULL, *c = NULL;
	int ret = -1;
	catalogue_free(s);
	if (sqlite3_prepare_v2(s->db, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &t, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		struct table *tab;
		s->tables = realloc(s->tables, sizeof(*s->tables) * (size_t)(s->ntables + 1));
		if (!s->tables)
			abort();
		tab = &s->tables[s->ntables++];
		tab->name = strdup(name);
		tab->ncols = 0;
		tab->cols = NULL;
		if (sqlite3_prepare_v2(s->db, "SELECT name, type, \"notnull\" OR pk FROM pragma_table_info(?)", -1, &c, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_text(c, 1, name, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(c) == SQLITE_ROW) {
			tab->cols = realloc(tab->cols, sizeof(*tab->cols) * (size_t)(tab->ncols + 1));
			if (!tab->cols)
				abort();
			tab->cols[tab->ncols].name = strdup((const char *)sqlite3_column_text(c, 0));
			tab->cols[tab->ncols].kind = kind_of((const char *)sqlite3_column_text(c, 1));
			tab->cols[tab->ncols].notnull = sqlite3_column_int(c, 2);
			tab->ncols++;
		}
		sqlite3_finalize(c);
		c = NULL;
	}
	ret = 0;
	goto out;
fail:
	db_error(s, e, "catalogue");
out:
	sqlite3_finalize(t);
	sqlite3_finalize(c);
	return ret;
}

static const struct table *table_get(struct sqlite_store *s, const char *name, struct err *e)
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

static int bind_value(sqlite3_stmt *st, int idx, const struct column *col, const json_t *v)
{
	if (json_is_null(v) || !v)
		return sqlite3_bind_null(st, idx);
	if (col && col->kind == K_JSON) {
		char *txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!txt)
			return SQLITE_NOMEM;
		return sqlite3_bind_text(st, idx, txt, -1, free);
	}
	if (json_is_boolean(v))
		return sqlite3_bind_int(st, idx, json_is_true(v));
	if (json_is_integer(v))
		return sqlite3_bind_int64(st, idx, json_integer_value(v));
	if (json_is_real(v))
		return sqlite3_bind_double(st, idx, json_real_value(v));
	if (json_is_string(v))
		return sqlite3_bind_text(st, idx, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
	return SQLITE_MISMATCH;
}

static json_t *column_value(sqlite3_stmt *st, int i, enum col_kind kind)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	switch (kind) {
	case K_INT: return json_integer(sqlite3_column_int64(st, i));
	case K_BOOL: return json_boolean(sqlite3_column_int(st, i));
	case K_REAL: return json_real(sqlite3_column_double(st, i));
	case K_JSON: {
		json_t *v = json_loads((const char *)sqlite3_column_text(st, i), JSON_DECODE_ANY, NULL);
		return v ? v : json_null();
	}
	default: return json_stringn((const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
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

static int s_insert(struct store *st, const char *table, const json_t *row, int64_t *id, struct err *e)
{
	struct sqlite_store *s = SQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT, vals = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int ret = -1, n = 0;
	const char *key;
	json_t *v;
	if (!t || check_columns(t, row, e))
		return -1;
	strbuf_addf(&sql, "INSERT INTO \"%s\" (", t->name);
	json_object_foreach((json_t *)row, key, v) {
		strbuf_addf(&sql, "%s\"%s\"", n ? ", " : "", key);
		strbuf_addstr(&vals, n ? ", ?" : "?");
		n++;
	}
	if (!n)
		strbuf_addf(&sql, ") DEFAULT VALUES");
	else
		strbuf_addf(&sql, ") VALUES (%s)", vals.buf);
	if (!(stmt = stmt_get(s, sql.buf))) {
		db_error(s, e, "insert");
		goto out;
	}
	n = 0;
	json_object_foreach((json_t *)row, key, v)
		bind_value(stmt, ++n, column_get(t, key), v);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		db_error(s, e, "insert");
		goto out;
	}
	if (id)
		*id = sqlite3_last_insert_rowid(s->db);
	ret = 0;
out:
	stmt_done(stmt);
	strbuf_release(&sql);
	strbuf_release(&vals);
	return ret;
}

static int s_update(struct store *st, const char *table, int64_t id, const json_t *changes, struct err *e)
{
	struct sqlite_store *s = SQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int ret = -1, n = 0;
	const char *key;
	json_t *v;
	if (!t || check_columns(t, changes, e))
		return -1;
	strbuf_addf(&sql, "UPDATE \"%s\" SET ", t->name);
	json_object_foreach((json_t *)changes, key, v)
		strbuf_addf(&sql, "%s\"%s\" = ?", n++ ? ", " : "", key);
	strbuf_addstr(&sql, " WHERE id = ?");
	if (!(stmt = stmt_get(s, sql.buf))) {
		db_error(s, e, "update");
		goto out;
	}
	n = 0;
	json_object_foreach((json_t *)changes, key, v)
		bind_value(stmt, ++n, column_get(t, key), v);
	sqlite3_bind_int64(stmt, ++n, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		db_error(s, e, "update");
		goto out;
	}
	if (sqlite3_changes(s->db) == 0) {
		err_set(e, E_NOT_FOUND, NULL, "no such %s", table);
		goto out;
	}
	ret = 0;
out:
	stmt_done(stmt);
	strbuf_release(&sql);
	return ret;
}

static int s_delete(struct store *st, const char *table, int64_t id, struct err *e)
{
	struct sqlite_store *s = SQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int ret = -1;
	if (!t)
		return -1;
	strbuf_addf(&sql, "DELETE FROM \"%s\" WHERE id = ?", t->name);
	if (!(stmt = stmt_get(s, sql.buf))) {
		db_error(s, e, "delete");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		db_error(s, e, "delete");
		goto out;
	}
	if (sqlite3_changes(s->db) == 0) {
		err_set(e, E_NOT_FOUND, NULL, "no such %s", table);
		goto out;
	}
	ret = 0;
out:
	stmt_done(stmt);
	strbuf_release(&sql);
	return ret;
}

/* The SELECT store_find runs for q on t, into sql: one text per shape of
 * query, so the statement cache and EXPLAIN (store_explain) see the same. */
static int find_sql(const struct sqlite_store *s, const struct table *t, const struct store_query *q, struct strbuf *sql,
		    int count, struct err *e)
{
	const char *key;
	json_t *v;
	const struct column *order = column_get(t, q->order ? q->order : "id");
	if (!order && (q->order || !count)) /* a count needs no order: a table without id counts too */
		return err_set(e, E_INTERNAL, q->order, "table %s has no column %s", t->name, q->order ? q->order : "id");
	if (q->where && check_columns(t, q->where, e))
		return -1;
	if (count) {
		strbuf_addf(sql, "SELECT count(*) FROM \"%s\" WHERE 1", t->name);
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
		strbuf_addf(sql, " FROM \"%s\" WHERE 1", t->name);
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
		strbuf_addf(sql, " FROM \"%s\" WHERE 1", t->name);
	} else {
		strbuf_addf(sql, "SELECT * FROM \"%s\" WHERE 1", t->name);
	}
	if (q->where)
		json_object_foreach(q->where, key, v) {
			if (json_is_null(v)) {
				strbuf_addf(sql, " AND \"%s\" IS NULL", key);
			} else if (json_is_array(v)) {
				strbuf_addf(sql, " AND \"%s\" IN (", key);
				for (size_t i = 0; i < json_array_size(v); i++)
					strbuf_addstr(sql, i ? ", ?" : "?");
				strbuf_addstr(sql, json_array_size(v) ? ")" : "NULL)");
			} else if (json_is_object(v)) { /* a range: {">=": a, "<": b} */
				const char *op;
				json_t *bound;
				json_object_foreach(v, op, bound) {
					(void)bound;
					if (strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">="))
						return err_set(e, E_INTERNAL, key, "no comparison %s", op);
					strbuf_addf(sql, " AND \"%s\" %s ?", key, op);
				}
			} else {
				strbuf_addf(sql, " AND \"%s\" = ?", key);
			}
		}
	if (q->match) {
		const struct column *rowid = NULL;
		for (int i = 0; i < s->ntables && !rowid; i++)
			if (!strcmp(s->tables[i].name, q->match_index ? q->match_index : ""))
				rowid = column_get(t, "id");
		if (!rowid)
			return err_set(e, E_INTERNAL, NULL, "no full-text index %s", q->match_index ? q->match_index : "");
		strbuf_addf(sql, " AND id IN (SELECT rowid FROM \"%s\" WHERE \"%s\" MATCH ?)", q->match_index, q->match_index);
	}
	if (q->in_table) {
		const struct table *it = NULL;
		for (int i = 0; i < s->ntables && !it; i++)
			if (!strcmp(s->tables[i].name, q->in_table))
				it = &s->tables[i];
		const struct column *ic = it ? column_get(it, q->in_column) : NULL, *ik = it ? column_get(it, q->in_key) : NULL;
		if (!ic || !ik)
			return err_set(e, E_INTERNAL, NULL, "no %s.%s or %s", q->in_table, q->in_column, q->in_key);
		strbuf_addf(sql, " AND id IN (SELECT \"%s\" FROM \"%s\" WHERE \"%s\" = ?)", ic->name, it->name, ik->name);
	}
	if (q->after_id)
		strbuf_addf(sql, " AND id %s ?", q->desc ? "<" : ">");
	if (count)
		return 0;
	strbuf_addf(sql, " ORDER BY \"%s\" %s", order->name, q->desc ? "DESC" : "ASC");
	if (strcmp(order->name, "id"))
		strbuf_addf(sql, ", id %s", q->desc ? "DESC" : "ASC");
	if (q->limit > 0 || q->offset > 0)
		strbuf_addf(sql, " LIMIT %d", q->limit > 0 ? q->limit : -1);
	if (q->offset > 0)
		strbuf_addf(sql, " OFFSET %d", q->offset);
	return 0;
}

/* FTS5's query for words a person typed: each whitespace-separated word
 * becomes a quoted prefix ("stor"*, its quotes doubled), all of them
 * required, so no input is query syntax and none is a syntax error.
 * Allocated (NULL when out of memory: SQLite binds NULL, matching none). */
static char *match_words(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		strbuf_addstr(&sb, sb.len ? " \"" : "\"");
		for (; *p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'; p++)
			strbuf_addstr(&sb, *p == '"' ? "\"\"" : (char[]){ *p, 0 });
		strbuf_addstr(&sb, "\"*");
	}
	if (!sb.len)
		strbuf_addstr(&sb, "\"\"");
	return strbuf_detach(&sb);
}

/* Bind q's values to the placeholders find_sql wrote, in its order. */
static void find_bind(sqlite3_stmt *stmt, const struct table *t, const struct store_query *q)
{
	const char *key;
	json_t *v;
	int n = 0;
	if (q->where)
		json_object_foreach(q->where, key, v) {
			const struct column *c = column_get(t, key);
			if (json_is_null(v))
				continue;
			if (json_is_array(v)) {
				for (size_t i = 0; i < json_array_size(v); i++)
					bind_value(stmt, ++n, c, json_array_get(v, i));
			} else if (json_is_object(v)) {
				const char *op;
				json_t *bound;
				json_object_foreach(v, op, bound)
					bind_value(stmt, ++n, c, bound);
			} else {
				bind_value(stmt, ++n, c, v);
			}
		}
	if (q->match)
		sqlite3_bind_text(stmt, ++n, match_words(q->match), -1, free);
	if (q->in_table)
		bind_value(stmt, ++n, NULL, q->in_value);
	if (q->after_id)
		sqlite3_bind_int64(stmt, ++n, q->after_id);
}

static int s_find(struct store *st, const char *table, const struct store_query *q, json_t **out, struct err *e)
{
	struct sqlite_store *s = SQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int ret = -1, rc;
	json_t *rows = NULL;
	*out = NULL;
	if (!t)
		return -1;
	if (find_sql(s, t, q, &sql, 0, e))
		goto out;
	if (!(stmt = stmt_get(s, sql.buf))) {
		db_error(s, e, "find");
		goto out;
	}
	find_bind(stmt, t, q);
	rows = json_array();
	/* each column's name and kind once per statement, not once per value;
	 * read after the first step, which may have prepared it again */
	int nc = -1;
	enum col_kind kinds[64];
	const char *names[64];
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (nc < 0) {
			if ((nc = sqlite3_column_count(stmt)) > 64) {
				err_set(e, E_INTERNAL, NULL, "table %s has more than 64 columns", t->name);
				goto out;
			}
			for (int i = 0; i < nc; i++) {
				const struct column *c = column_get(t, names[i] = sqlite3_column_name(stmt, i));
				kinds[i] = c ? c->kind : K_TEXT;
			}
		}
		json_t *row = json_object();
		for (int i = 0; i < nc; i++)
			json_object_set_new_nocheck(row, names[i], column_value(stmt, i, kinds[i]));
		json_array_append_new(rows, row);
	}
	if (rc != SQLITE_DONE) {
		db_error(s, e, "find");
		goto out;
	}
	*out = rows;
	rows = NULL;
	ret = 0;
out:
	json_decref(rows);
	stmt_done(stmt);
	strbuf_release(&sql);
	return ret;
}

int store_explain(struct store *st, const char *table, const struct store_query *q, json_t **plan, struct err *e)
{
	struct sqlite_store *s = SQ(st);
	const struct table *t;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int ret = -1, rc;
	json_t *rows = NULL;
	*plan = NULL;
	if (st->ops->find != s_find)
		return err_set(e, E_INTERNAL, NULL, "store_explain is SQLite's");
	if (!(t = table_get(s, table, e)))
		return -1;
	strbuf_addstr(&sql, "EXPLAIN QUERY PLAN ");
	if (find_sql(s, t, q, &sql, 0, e))
		goto out;
	/* prepared apart from the cache: a plan is read once */
	if (sqlite3_prepare_v2(s->db, sql.buf, -1, &stmt, NULL) != SQLITE_OK) {
		db_error(s, e, "explain");
		goto out;
	}
	find_bind(stmt, t, q);
	rows = json_array();
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		json_array_append_new(rows, json_string((const char *)sqlite3_column_text(stmt, 3)));
	if (rc != SQLITE_DONE) {
		db_error(s, e, "explain");
		goto out;
	}
	*plan = rows;
	rows = NULL;
	ret = 0;
out:
	json_decref(rows);
	sqlite3_finalize(stmt);
	strbuf_release(&sql);
	return ret;
}

int store_sync_off(struct store *st, struct err *e)
{
	if (st->ops->find != s_find)
		return err_set(e, E_INTERNAL, NULL, "store_sync_off is SQLite's");
	return exec(SQ(st), "PRAGMA synchronous=OFF", e);
}

static int s_increment(struct store *st, const char *table, int64_t id, const char *column, int64_t delta, int64_t *value, struct err *e)
{
	struct sqlite_store *s = SQ(st);
	const struct table *t = table_get(s, table, e);
	const struct column *c;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int ret = -1;
	if (!t)
		return -1;
	if (!(c = column_get(t, column)) || c->kind != K_INT)
		return err_set(e, E_INTERNAL, column, "not an integer column");
	strbuf_addf(&sql, "UPDATE \"%s\" SET \"%s\" = \"%s\" + ? WHERE id = ? RETURNING \"%s\"", t->name, c->name, c->name, c->name);
	if (!(stmt = stmt_get(s, sql.buf))) {
		db_error(s, e, "increment");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, delta);
	sqlite3_bind_int64(stmt, 2, id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		if (sqlite3_errcode(s->db) == SQLITE_DONE || sqlite3_errcode(s->db) == SQLITE_OK)
			err_set(e, E_NOT_FOUND, NULL, "no such %s", table);
		else
			db_error(s, e, "increment");
		goto out;
	}
	if (value)
		*value = sqlite3_column_int64(stmt, 0);
	ret = 0;
out:
	stmt_done(stmt);
	strbuf_release(&sql);
	return ret;
}

static int s_count(struct store *st, const char *table, const struct store_query *q, int64_t *n, struct err *e)
{
	struct sqlite_store *s = SQ(st);
	const struct table *t = table_get(s, table, e);
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int ret = -1;
	*n = 0;
	if (!t)
		return -1;
	if (find_sql(s, t, q, &sql, 1, e))
		goto out;
	if (!(stmt = stmt_get(s, sql.buf))) {
		db_error(s, e, "count");
		goto out;
	}
	find_bind(stmt, t, q);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		db_error(s, e, "count");
		goto out;
	}
	*n = sqlite3_column_int64(stmt, 0);
	ret = 0;
out:
	stmt_done(stmt);
	strbuf_release(&sql);
	return ret;
}

static int s_count_by(struct store *st, const char *table, const json_t *where, const char *column, json_t **counts,
		      struct err *e)
{
	struct sqlite_store *s = SQ(st);
	const struct table *t = table_get(s, table, e);
	const struct column *by;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	const char *key;
	json_t *v;
	int ret = -1, n = 0, rc;
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
	strbuf_addf(&sql, "SELECT \"%s\", count(*) FROM \"%s\" WHERE 1", by->name, t->name);
	json_object_foreach((json_t *)where, key, v)
		strbuf_addf(&sql, " AND \"%s\" = ?", column_get(t, key)->name);
	strbuf_addf(&sql, " GROUP BY \"%s\"", by->name);
	if (!(stmt = stmt_get(s, sql.buf))) {
		db_error(s, e, "count");
		goto out;
	}
	json_object_foreach((json_t *)where, key, v)
		bind_value(stmt, ++n, column_get(t, key), v);
	*counts = json_object();
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (sqlite3_column_type(stmt, 0) != SQLITE_NULL)
			json_object_set_new(*counts, (const char *)sqlite3_column_text(stmt, 0),
					    json_integer(sqlite3_column_int64(stmt, 1)));
	if (rc != SQLITE_DONE) {
		json_decref(*counts);
		*counts = NULL;
		db_error(s, e, "count");
		goto out;
	}
	ret = 0;
out:
	stmt_done(stmt);
	strbuf_release(&sql);
	return ret;
}

/* A statement of one step and no result, from the cache. */
static int run_cached(struct sqlite_store *s, const char *sql, struct err *e)
{
	sqlite3_stmt *stmt = stmt_get(s, sql);
	int rc = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;
	stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : db_error(s, e, sql);
}

static int s_begin(struct store *st, int write, struct err *e)
{
	return run_cached(SQ(st), write ? "BEGIN IMMEDIATE" : "BEGIN", e);
}

static int s_commit(struct store *st, struct err *e)
{
	if (run_cached(SQ(st), "COMMIT", e))
		return -1;
	store__fault_clear();
	return 0;
}

static int s_savepoint(struct store *st, struct err *e) { return run_cached(SQ(st), "SAVEPOINT call", e); }
static int s_release(struct store *st, struct err *e) { return run_cached(SQ(st), "RELEASE call", e); }

static void s_rollback_to(struct store *st)
{
	struct err ignored = ERR_INIT;
	if (!run_cached(SQ(st), "ROLLBACK TO call", &ignored))
		run_cached(SQ(st), "RELEASE call", &ignored);
}

static void s_rollback(struct store *st)
{
	struct err ignored = ERR_INIT;
	if (!sqlite3_get_autocommit(SQ(st)->db))
		run_cached(SQ(st), "ROLLBACK", &ignored);
}

static int s_schema_version(struct store *st)
{
	sqlite3_stmt *stmt = stmt_get(SQ(st), "SELECT coalesce(max(version), 0) FROM schema_migrations");
	int v = stmt && sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
	stmt_done(stmt);
	return v;
}

/* After a table was built again: a row whose reference no longer holds
 * fails the migration, named. */
static int foreign_keys_broken(struct sqlite_store *s, struct err *e)
{
	sqlite3_stmt *c = NULL;
	int ret = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &c, NULL) != SQLITE_OK)
		return err_set(e, E_INTERNAL, NULL, "foreign_key_check: %s", sqlite3_errmsg(s->db));
	if (sqlite3_step(c) == SQLITE_ROW)
		ret = err_set(e, E_INTERNAL, NULL, "a row of %s (rowid %lld) refers to a missing row of %s", (const char *)sqlite3_column_text(c, 0),
			      (long long)sqlite3_column_int64(c, 1), (const char *)sqlite3_column_text(c, 2));
	sqlite3_finalize(c);
	return ret;
}

/* The database's schema as text: every object's type, name and SQL. */
static void schema_text(sqlite3 *db, struct strbuf *out)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db, "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name", -1, &q, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(q) == SQLITE_ROW)
		for (int c = 0; c < 3; c++) {
			strbuf_addstr(out, (const char *)sqlite3_column_text(q, c));
			strbuf_add(out, c < 2 ? "\t" : "\n", 1);
		}
	sqlite3_finalize(q);
}

/* Whether the database's schema is exactly what the first n migrations
 * make (run here on an empty database in memory): how a migration whose
 * record was lost is told from a schema changed by hand (issue 23). */
static int schema_is_version(struct sqlite_store *s, int n)
{
	sqlite3 *mem = NULL;
	struct strbuf have = STRBUF_INIT, want = STRBUF_INIT;
	int same = 0, ok = sqlite3_open(":memory:", &mem) == SQLITE_OK &&
			   sqlite3_exec(mem, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL "
					     "DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))", NULL, NULL, NULL) == SQLITE_OK;
	for (int i = 0; ok && i < n; i++)
		ok = sqlite3_exec(mem, store__sqlite_migrations[i], NULL, NULL, NULL) == SQLITE_OK;
	if (ok) {
		schema_text(mem, &want);
		schema_text(s->db, &have);
		same = have.len == want.len && !memcmp(have.buf, want.buf, have.len);
	}
	sqlite3_close(mem);
	strbuf_release(&have);
	strbuf_release(&want);
	return same;
}

static int s_schema_known(struct store *st)
{
	(void)st;
	int known = 0;
	while (store__sqlite_migrations[known])
		known++;
	return known;
}

static int s_migrate(struct store *st, int *applied, struct err *e)
{
	struct sqlite_store *s = SQ(st);
	int count = 0;
	if (applied)
		*applied = 0;
	if (exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))", e))
		return -1;
	/* a database a newer entente migrated is not ours to serve (issue 23) */
	int known = s_schema_known(st);
	st->migrations_recorded = 0;
	if (s_schema_version(st) > known)
		return store__schema_err(e, s_schema_version(st), known);
	for (int i = 0; store__sqlite_migrations[i]; i++) {
		const char *sql = store__sqlite_migrations[i];
		int rebuild = !strncmp(sql, STORE_REBUILD, strlen(STORE_REBUILD)), bad;
		char mark[96];
		/* foreign keys are switched outside a transaction only */
		if ((rebuild && exec(s, "PRAGMA foreign_keys=OFF", e)) || exec(s, "BEGIN IMMEDIATE", e))
			return -1;
		/* read the version inside the lock: two processes may race here */
		if (s_schema_version(st) > i) {
			exec(s, "COMMIT", e);
			if (rebuild && exec(s, "PRAGMA foreign_keys=ON", e))
				return -1;
			continue;
		}
		snprintf(mark, sizeof(mark), "INSERT INTO schema_migrations (version) VALUES (%d)", i + 1);
		bad = exec(s, sql, e) || (rebuild && foreign_keys_broken(s, e)) || exec(s, mark, e) || exec(s, "COMMIT", e);
		if (bad)
			s_rollback(st);
		if (rebuild) {
			struct err ignored = ERR_INIT;
			if (exec(s, "PRAGMA foreign_keys=ON", bad ? &ignored : e))
				bad = 1;
		}
		if (bad) {
			char detail[sizeof(e->detail)];
			snprintf(detail, sizeof(detail), "%s", e->detail);
			/* its work is there but its record is not (a copy made
			 * between the two, records deleted): the schema is
			 * exactly that of a later version k, so every migration
			 * up to k ran; record them */
			int k = i + 1;
			while (k <= known && !schema_is_version(s, k))
				k++;
			if (k <= known) {
				for (int j = i + 1; j <= k; j++) {
					struct err again = ERR_INIT;
					snprintf(mark, sizeof(mark), "INSERT INTO schema_migrations (version) VALUES (%d)", j);
					if (exec(s, mark, &again))
						return err_set(e, E_INTERNAL, NULL, "migration %d: %s", j, again.detail);
					st->migrations_recorded++;
				}
				i = k - 1;
				continue;
			}
			return err_set(e, E_INTERNAL, NULL,
				       "migration %d: %s; the schema is neither version %d's nor that of a later one (changed outside entente?); "
				       "nothing was changed: restore a backup",
				       i + 1, detail, i);
		}
		count++;
	}
	if (applied)
		*applied = count;
	return catalogue_load(s, e);
}

/* The file and its write-ahead log, as the disk holds them. */
static int s_size(struct store *st, int64_t *database, int64_t *wal, struct err *e)
{
	(void)e;
	const char *path = sqlite3_db_filename(SQ(st)->db, "main");
	char wal_path[1100];
	struct stat sb;
	if (!path || !*path) /* in memory */
		return 0;
	snprintf(wal_path, sizeof(wal_path), "%s-wal", path);
	*database = stat(path, &sb) ? 0 : (int64_t)sb.st_size;
	*wal = stat(wal_path, &sb) ? 0 : (int64_t)sb.st_size;
	return 0;
}

/* The catalogue's tables, by name (store_tables). */
static int s_tables(struct store *st, json_t **out, struct err *e)
{
	(void)e;
	*out = json_array();
	for (int i = 0; i < SQ(st)->ntables; i++)
		json_array_append_new(*out, json_string(SQ(st)->tables[i].name));
	return 0;
}

static int s_columns(struct store *st, const char *table, json_t **out, struct err *e)
{
	static const char *const types[] = { [K_INT] = "integer", [K_TEXT] = "string", [K_BOOL] = "boolean", [K_JSON] = "json",
					     [K_REAL] = "number" };
	const struct table *t = table_get(SQ(st), table, e);
	if (!t)
		return -1;
	*out = json_array();
	for (int i = 0; i < t->ncols; i++)
		json_array_append_new(*out, json_pack("{ss ss sb}", "name", t->cols[i].name, "type", types[t->cols[i].kind], "null",
						      !t->cols[i].notnull));
	return 0;
}

static int s_backup(struct store *st, const char *dest, struct err *e)
{
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	int ret = -1;
	/* the copy holds every vote and password hash: the owner's alone (issue 23) */
	int fd = open(dest, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600)) {
		err_set(e, E_INTERNAL, "file", "cannot create %s: %s", dest, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		err_set(e, E_INTERNAL, "file", "cannot open %s: %s", dest, out ? sqlite3_errmsg(out) : "out of memory");
		goto out;
	}
	b = sqlite3_backup_init(out, "main", SQ(st)->db, "main");
	if (!b) {
		err_set(e, E_INTERNAL, "file", "backup: %s", sqlite3_errmsg(out));
		goto out;
	}
	/* every page in one step, under one read transaction: a consistent
	 * copy that finishes while the server goes on writing (in WAL mode
	 * the writers do not wait for it). Copied a few pages at a time, a
	 * write by another connection would start the copy again, for ever
	 * under a steady load (issue 23). */
	int rc;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(10);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		err_set(e, E_INTERNAL, "file", "backup: %s", sqlite3_errstr(rc));
		goto out;
	}
	ret = 0;
out:
	sqlite3_close(out);
	return ret;
}

static void s_close(struct store *st)
{
	struct sqlite_store *s = SQ(st);
	cache_free(s);
	catalogue_free(s);
	sqlite3_close(s->db);
	free(s);
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.migrate = s_migrate,
	.columns = s_columns,
	.tables = s_tables,
	.size = s_size,
	.schema_version = s_schema_version,
	.schema_known = s_schema_known,
	.begin = s_begin,
	.commit = s_commit,
	.rollback = s_rollback,
	.savepoint = s_savepoint,
	.release = s_release,
	.rollback_to = s_rollback_to,
	.insert = s_insert,
	.update = s_update,
	.delete_row = s_delete,
	.find = s_find,
	.increment = s_increment,
	.count = s_count,
	.count_by = s_count_by,
	.backup = s_backup,
	.close = s_close,
};

/* SQLite's memory statistics take a global mutex on every allocation,
 * which the server's threads then contend on; entente reads none of them.
 * Only possible before SQLite initializes. */
static void sqlite_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store__sqlite_open(struct store **out, const char *path, struct err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_once);
	struct sqlite_store *s = calloc(1, sizeof(*s));
	if (!s)
		return err_set(e, E_INTERNAL, NULL, "out of memory");
	s->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err_set(e, E_INTERNAL, "db", "cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(s);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* A plan that depends on a bound value (the partial unique indexes on
	 * organizations.kind and bodies.is_alliance) would make SQLite prepare
	 * the cached statement again at every new binding: a third of a WR
	 * document's time. Plans that ignore bound values keep it prepared. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, NULL);
	if (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", e) ||
	    catalogue_load(s, e)) {
		s_close(&s->base);
		return -1;
	}
	*out = &s->base;
	return 0;
}
