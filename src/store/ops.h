/* The vtable every storage engine fills; private to src/store/. */
#ifndef ENTENTE_STORE_OPS_H
#define ENTENTE_STORE_OPS_H

#include "store/store.h"

struct store_ops {
	const char *name;
	int (*migrate)(struct store *st, int *applied, struct err *e);
	int (*schema_version)(struct store *st);
	int (*schema_known)(struct store *st); /* the version its migrations make */
	int (*begin)(struct store *st, int write, struct err *e);
	int (*commit)(struct store *st, struct err *e);
	void (*rollback)(struct store *st);
	int (*insert)(struct store *st, const char *table, const json_t *row, int64_t *id, struct err *e);
	int (*update)(struct store *st, const char *table, int64_t id, const json_t *changes, struct err *e);
	int (*delete_row)(struct store *st, const char *table, int64_t id, struct err *e);
	int (*find)(struct store *st, const char *table, const struct store_query *q, json_t **out, struct err *e);
	/* a call inside a batch: SAVEPOINT, RELEASE, ROLLBACK TO and RELEASE */
	int (*savepoint)(struct store *st, struct err *e);
	int (*release)(struct store *st, struct err *e);
	void (*rollback_to)(struct store *st);
	int (*count)(struct store *st, const char *table, const struct store_query *q, int64_t *n, struct err *e);
	int (*count_by)(struct store *st, const char *table, const json_t *where, const char *column, json_t **counts,
			struct err *e);
	int (*increment)(struct store *st, const char *table, int64_t id, const char *column, int64_t delta, int64_t *value, struct err *e);
	int (*backup)(struct store *st, const char *dest, struct err *e);
	int (*columns)(struct store *st, const char *table, json_t **out, struct err *e);
	int (*tables)(struct store *st, json_t **out, struct err *e);
	int (*size)(struct store *st, int64_t *database, int64_t *wal, struct err *e);
	void (*close)(struct store *st);
};

struct store {
	const struct store_ops *ops;
	int in_tx;
	int batch;               /* inside store_batch_begin: calls are savepoints */
	int migrations_recorded; /* the last migrate: records put back (store_migrations_recorded) */
};

/* Engines. */
int store__sqlite_open(struct store **out, const char *path, struct err *e);
/* url: postgresql://... or postgres://... (libpq's connection URI) */
int store__pg_open(struct store **out, const char *url, struct err *e);

/* Count a statement run (store_statements), whatever the engine. */
void store__statement(void);

/* An engine reports writes refused for want of storage (cause: "disk
 * full", "I/O error", ...), which sets store_fault and logs the first;
 * and every commit that succeeds, which clears it (logged once). */
int store__fault(struct err *e, const char *cause);
void store__fault_clear(void);
/* 0 when have == known; else -1 with e saying which way and what to do. */
int store__schema_err(struct err *e, int have, int known);

/* The numbered migrations of the SQLite engine, NULL-terminated. One that
 * begins with STORE_REBUILD builds a table again (SQLite's twelve steps of
 * ALTER TABLE): it runs with foreign keys off, and commits only if
 * PRAGMA foreign_key_check finds nothing. */
extern const char *const store__sqlite_migrations[];
#define STORE_REBUILD "/* rebuild */"

/* The PostgreSQL engine's migrations, NULL-terminated; the first makes
 * the schema of SQLite's version 25 (pg_migrations.c says why). */
extern const char *const store__pg_migrations[];

#endif
