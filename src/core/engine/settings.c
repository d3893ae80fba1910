/* The settings of an installation: key and value rows, read by the
 * handlers, shown and changed through the door; which keys there are and
 * what each must be is the domain's (struct engine: settings, setting_check). */
#include <stdio.h>
#include <string.h>

#include "core/engine/ctx.h"
#include "core/engine/settings.h"

const char *core__setting(struct ctx *x, const char *key, char *buf, size_t n)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{ss}", "key", key), *row = NULL;
	buf[0] = '\0';
	if (!store_find_one(x->st, "settings", where, &row, &ignored))
		snprintf(buf, n, "%s", json_string_value(json_object_get(row, "value")));
	json_decref(where);
	json_decref(row);
	return buf;
}

static json_t *settings_object(struct ctx *x, struct err *e)
{
	json_t *rows = NULL, *obj;
	if (store_find(x->st, "settings", NULL, &rows, e))
		return NULL;
	obj = json_object();
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i);
		json_object_set(obj, json_string_value(json_object_get(r, "key")), json_object_get(r, "value"));
	}
	json_decref(rows);
	return obj;
}

/* Only the permission is core's: the counters belong to the server,
 * which renders them once the door let the caller through. */
int core__metrics_read(struct ctx *x, struct err *e)
{
	(void)e;
	core__reply(x, 200, json_object());
	return 0;
}

int core__settings_get(struct ctx *x, struct err *e)
{
	json_t *obj = settings_object(x, e);
	if (!obj)
		return -1;
	core__reply(x, 200, obj);
	return 0;
}

int core__settings_update(struct ctx *x, struct err *e)
{
	const char *key;
	json_t *v, *before = settings_object(x, e);
	if (!before)
		return -1;
	json_object_foreach(x->call->body, key, v) {
		char val[64];
		const char *s = val;
		json_t *where = json_pack("{ss}", "key", key), *row = NULL, *ch;
		if (json_is_integer(v))
			snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			snprintf(val, sizeof(val), "%s", json_is_true(v) ? "true" : "false");
		else if (json_is_null(v))
			val[0] = '\0'; /* cleared */
		else
			s = json_string_value(v);
		if (x->eng->setting_check && x->eng->setting_check(x, key, s, e)) {
			json_decref(where);
			json_decref(before);
			return -1;
		}
		int found = !store_find_one(x->st, "settings", where, &row, e);
		ch = json_pack("{ss ss ss}", "key", key, "value", s, "updated_at", x->now_iso);
		int bad = found ? store_update(x->st, "settings", json_integer_value(json_object_get(row, "id")), ch, e)
				: store_insert(x->st, "settings", ch, NULL, e);
		json_decref(where);
		json_decref(row);
		json_decref(ch);
		if (bad) {
			json_decref(before);
			return -1;
		}
	}
	json_t *after = settings_object(x, e);
	if (!after) {
		json_decref(before);
		return -1;
	}
	core__reply(x, 200, json_incref(after));
	core__audit(x, "settings", 0, before, after);
	return 0;
}
