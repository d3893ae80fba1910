/* Rows of the store as the handlers read and write them: pages, filters,
 * creation and update with their audit events, dates of validity. */
#ifndef ENTENTE_CORE_ENGINE_ROWS_H
#define ENTENTE_CORE_ENGINE_ROWS_H

#include "core/engine/ctx.h"

/* A page's parameters: ?limit (1-200, default 50) and ?cursor, a letter
 * (kind) and a number (*after, 0 for the first page); 400 otherwise. */
int core__page_params(struct ctx *x, char kind, int64_t *after, int64_t *limit, struct err *e);
/* A page of rows of table matching where (consumed), as
 * {"items": [...], "next_cursor": "..."|null}; each row passed through
 * present (may be NULL) which returns a new reference. */
int core__list(struct ctx *x, const char *table, json_t *where,
	       json_t *(*present)(struct ctx *, json_t *row), struct err *e);
/* The same, of the rows the full-text index matches with the words (NULL:
 * all). */
int core__list_matching(struct ctx *x, const char *table, json_t *where, const char *index, const char *words,
			json_t *(*present)(struct ctx *, json_t *row), struct err *e);
/* Copy the keys of body present in spec into a row with timestamps. */
json_t *core__row_from(struct ctx *x, const json_t *body, int creating);
int core__is_active(struct ctx *x, const json_t *row); /* start/end dates vs today */
/* E_INVALID naming field when table has no row id. */
int core__exists(struct ctx *x, const char *table, int64_t id, const char *field, struct err *e);
/* A query filter that must be one of values, added to where. */
int core__query_enum(struct ctx *x, json_t *where, const char *key, const char *const *values, struct err *e);
/* Insert row (borrowed), reply 201 with it (through present), audit it. */
int core__create_row(struct ctx *x, const char *table, const char *type, json_t *row,
		      json_t *(*present)(struct ctx *, json_t *), const char *location_fmt, struct err *e);
/* Apply changes (borrowed) to row id, reply 200, audit before and after. */
int core__update_row(struct ctx *x, const char *table, const char *type, int64_t id, json_t *changes,
		      json_t *(*present)(struct ctx *, json_t *), struct err *e);
/* Reply 200 with row id of table (through present). */
int core__get_row(struct ctx *x, const char *table, int64_t id, json_t *(*present)(struct ctx *, json_t *), struct err *e);
/* end_date, when given, comes after start_date. */
int core__dates_check(struct ctx *x, const json_t *row, struct err *e);
/* The id of the first row of table whose key equals value, 0 if none. */
int64_t core__id_of(struct ctx *x, const char *table, const char *key, const char *value);
/* The id of the one row of table matching where (consumed); E_CONFLICT
 * naming what when there is none (not set up). */
int core__find_id(struct ctx *x, const char *table, json_t *where, int64_t *id, const char *what, struct err *e);
/* Every id filter the action allows (its query keys ending in _id)
 * added to where. */
int core__query_ids(struct ctx *x, json_t *where, struct err *e);
/* The rows of table whose id is among ids (an array), with columns, as
 * {"id": row}: one read for a page's references. NULL on error. */
json_t *core__rows_by_id(struct ctx *x, const char *table, const json_t *ids, const char *columns, struct err *e);

#endif
