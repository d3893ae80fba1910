/* The context of one call: its parameters, its reply and its audit event,
 * as every handler of the engine and of the domain sets them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/ctx.h"

const char *core__param(struct ctx *x, const char *key)
{
	json_t *v = x->call->params ? json_object_get(x->call->params, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int core__parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (!s || !*s || strlen(s) > 18)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

int core__path_id(struct ctx *x, const char *key, int64_t *out, struct err *e)
{
	if (core__parse_id(core__param(x, key), out))
		return err_set(e, E_NOT_FOUND, NULL, "no such resource");
	return 0;
}

int core__query_id(struct ctx *x, const char *key, int64_t *out, struct err *e)
{
	const char *s = core__param(x, key);
	*out = 0;
	if (!s)
		return 0;
	if (core__parse_id(s, out))
		return err_set(e, E_INVALID, key, "must be a positive integer id");
	return 0;
}

void core__id_key(const json_t *id, char key[24]) { snprintf(key, 24, "%lld", (long long)json_integer_value(id)); }

void core__reply(struct ctx *x, int status, json_t *body)
{
	json_decref(x->reply->body);
	x->reply->status = status;
	x->reply->body = body;
}

const char *core__acting_label(const struct ctx *x) { return x->acting ? x->acting : x->actor.label; }

void core__audit(struct ctx *x, const char *type, int64_t id, json_t *before, json_t *after)
{
	json_decref(x->before);
	json_decref(x->after);
	x->target_type = type;
	x->target_id = id;
	x->before = before;
	x->after = after;
}

int core__emit(struct ctx *x, const char *event, json_t *what, struct err *e)
{
	for (const struct listener *l = x->eng->listeners; l && l->event; l++)
		if (!strcmp(l->event, event) && l->fn(x, what, e))
			return -1;
	return 0;
}
