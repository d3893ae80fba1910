/* Engine-independent front of the store: argument checks and dispatch. */
#include "store/ops.h"

#include <string.h>

int store_open(struct store **out, const char *path, struct err *e)
{
	*out = NULL;
	if (!path || !*path)
		return err_set(e, E_INTERNAL, "db", "no database path");
	/* a PostgreSQL URL chooses its engine (issue 26); anything else is
	 * SQLite's file */
	if (store_is_url(path))
		return store__pg_open(out, path, e);
	return store__sqlite_open(out, path, e);
}

void store_free(struct store *st)
{
	if (!st)
		return;
	if (st->in_tx)
		st->ops->rollback(st);
	st->ops->close(st);
}

int store_migrate(struct store *st, int *applied, struct err *e) { return st->ops->migrate(st, applied, e); }
int store_schema_version(struct store *st) { return st->ops->schema_version(st); }
int store_migrations_recorded(struct store *st) { return st->migrations_recorded; }
int store_schema_known(struct store *st) { return st->ops->schema_known(st); }

int store_schema_check(struct store *st, struct err *e)
{
	return store__schema_err(e, st->ops->schema_version(st), st->ops->schema_known(st));
}

int store_begin(struct store *st, int write, struct err *e)
{
	if (st->in_tx)
		return err_set(e, E_INTERNAL, NULL, "transaction already open");
	if (st->batch ? st->ops->savepoint(st, e) : st->ops->begin(st, write, e))
		return -1;
	st->in_tx = 1;
	return 0;
}

int store_commit(struct store *st, struct err *e)
{
	int ret = st->batch ? st->ops->release(st, e) : st->ops->commit(st, e);
	if (ret)
		st->batch ? st->ops->rollback_to(st) : st->ops->rollback(st);
	st->in_tx = 0;
	return ret;
}

void store_rollback(struct store *st)
{
	if (!st->in_tx)
		return;
	st->batch ? st->ops->rollback_to(st) : st->ops->rollback(st);
	st->in_tx = 0;
}

int store_batch_begin(struct store *st, struct err *e)
{
	if (st->in_tx || st->batch)
		return err_set(e, E_INTERNAL, NULL, "transaction already open");
	if (st->ops->begin(st, 1, e))
		return -1;
	st->batch = 1;
	return 0;
}

int store_batch_commit(struct store *st, struct err *e)
{
	int ret;
	if (!st->batch)
		return err_set(e, E_INTERNAL, NULL, "no batch open");
	st->batch = 0;
	if ((ret = st->ops->commit(st, e)))
		st->ops->rollback(st);
	return ret;
}

int store_in_batch(const struct store *st) { return st->batch; }

int store_insert(struct store *st, const char *table, const json_t *row, int64_t *id, struct err *e)
{
	return st->ops->insert(st, table, row, id, e);
}

int store_update(struct store *st, const char *table, int64_t id, const json_t *changes, struct err *e)
{
	if (!json_object_size(changes))
		return 0;
	return st->ops->update(st, table, id, changes, e);
}

int store_delete(struct store *st, const char *table, int64_t id, struct err *e)
{
	return st->ops->delete_row(st, table, id, e);
}

int store_get(struct store *st, const char *table, int64_t id, json_t **out, struct err *e)
{
	json_t *where = json_pack("{sI}", "id", (json_int_t)id);
	int ret = store_find_one(st, table, where, out, e);
	json_decref(where);
	return ret;
}

int store_find(struct store *st, const char *table, const struct store_query *q, json_t **out, struct err *e)
{
	struct store_query none = { 0 };
	return st->ops->find(st, table, q ? q : &none, out, e);
}

int store_find_one(struct store *st, const char *table, json_t *where, json_t **out, struct err *e)
{
	struct store_query q = { .where = where, .limit = 1 };
	json_t *rows = NULL;
	*out = NULL;
	if (store_find(st, table, &q, &rows, e))
		return -1;
	if (!json_array_size(rows)) {
		json_decref(rows);
		return err_set(e, E_NOT_FOUND, NULL, "no such %s", table);
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

int store_count(struct store *st, const char *table, const struct store_query *q, int64_t *n, struct err *e)
{
	return st->ops->count(st, table, q, n, e);
}

int store_count_by(struct store *st, const char *table, const json_t *where, const char *column, json_t **counts,
		   struct err *e)
{
	return st->ops->count_by(st, table, where, column, counts, e);
}

int store_increment(struct store *st, const char *table, int64_t id, const char *column, int64_t delta, int64_t *value, struct err *e)
{
	return st->ops->increment(st, table, id, column, delta, value, e);
}

int store_backup(struct store *st, const char *dest, struct err *e) { return st->ops->backup(st, dest, e); }

int store_columns(struct store *st, const char *table, json_t **out, struct err *e) { return st->ops->columns(st, table, out, e); }

int store_tables(struct store *st, json_t **out, struct err *e) { return st->ops->tables(st, out, e); }

int store_size(struct store *st, int64_t *database, int64_t *wal, struct err *e)
{
	*database = *wal = 0;
	return st->ops->size(st, database, wal, e);
}
