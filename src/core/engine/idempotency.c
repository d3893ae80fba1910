/* A write answered once (idempotency.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/ctx.h"
#include "core/engine/engine.h"
#include "core/engine/idempotency.h"
#include "lib/util.h"

/* What the key promises: this action, with these parameters and this
 * body (their canonical JSON), hashed. */
static int fingerprint(const struct ctx *x, char out[65], struct err *e)
{
	const size_t flags = JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY;
	char *params = x->call->params ? json_dumps(x->call->params, flags) : NULL;
	char *body = x->call->body ? json_dumps(x->call->body, flags) : NULL;
	size_t n = strlen(x->call->action) + (params ? strlen(params) : 0) + (body ? strlen(body) : 0) + 3;
	char *all = malloc(n);
	if (all)
		snprintf(all, n, "%s\n%s\n%s", x->call->action, params ? params : "", body ? body : "");
	free(params);
	free(body);
	if (!all)
		return err_set(e, E_INTERNAL, NULL, "out of memory");
	hash_hex(all, out);
	free(all);
	return 0;
}

static int key_ok(const char *key)
{
	size_t n = strlen(key);
	if (!n || n > CORE_IDEMPOTENCY_KEY_MAX)
		return 0;
	for (const char *p = key; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return 0;
	return 1;
}

int core__idempotency_replay(struct ctx *x, const char *key, char print[65], struct err *e)
{
	json_t *rows = NULL, *row, *where;
	if (!key_ok(key))
		return err_set(e, E_INVALID, "Idempotency-Key", "an Idempotency-Key is 1 to %d printable ASCII characters",
			       CORE_IDEMPOTENCY_KEY_MAX);
	if (fingerprint(x, print, e))
		return -1;
	where = json_pack("{sI ss}", "person_id", (json_int_t)x->actor.person_id, "key", key);
	struct store_query q = { .where = where, .limit = 1 };
	int ret = store_find(x->st, "idempotency_keys", &q, &rows, e);
	json_decref(where);
	if (ret)
		return -1;
	if (!(row = json_array_get(rows, 0))) {
		json_decref(rows);
		return 0;
	}
	const char *was = json_string_value(json_object_get(row, "fingerprint"));
	if (!was || strcmp(was, print)) {
		json_decref(rows);
		return err_set(e, E_IDEMPOTENCY_REUSED, "Idempotency-Key",
			       "this key was sent with another request: a new request takes a new key");
	}
	const char *body = json_string_value(json_object_get(row, "body")), *loc = json_string_value(json_object_get(row, "location"));
	x->reply->status = (int)json_integer_value(json_object_get(row, "status"));
	x->reply->body = body ? json_loads(body, JSON_DECODE_ANY, NULL) : NULL;
	x->reply->revision = json_integer_value(json_object_get(row, "revision"));
	snprintf(x->reply->location, sizeof(x->reply->location), "%s", loc ? loc : "");
	json_decref(rows);
	return 1;
}

int core__idempotency_keep(struct ctx *x, const char *key, const char print[65], struct err *e)
{
	char *body = x->reply->body ? json_dumps(x->reply->body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_t *row = json_pack("{sI ss ss si so so sI sI}", "person_id", (json_int_t)x->actor.person_id, "key", key, "fingerprint", print,
				"status", x->reply->status, "body", body ? json_string(body) : json_null(), "location",
				x->reply->location[0] ? json_string(x->reply->location) : json_null(), "revision",
				(json_int_t)x->reply->revision, "created_at", (json_int_t)x->call->now);
	free(body);
	int ret = store_insert(x->st, "idempotency_keys", row, NULL, e);
	json_decref(row);
	return ret;
}
