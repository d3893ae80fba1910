#include "lib/jspec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

void jspec_enum_list(const char *const *enums, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; enums && enums[i]; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", enums[i]);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}

static int email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return 0;
	/* a domain, dotted or not: admin@localhost is a real address */
	if (!at[1] || at[1] == '.' || s[strlen(s) - 1] == '.')
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == ',')
			return 0;
	return 1;
}

static int check_string(const struct jfield *f, const char *s, struct err *e)
{
	size_t n = utf8_len(s);
	if (f->max && (long long)n > f->max)
		return err_set(e, E_INVALID, f->name, "at most %lld characters", f->max);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p != 0x7f)
			continue;
		if (f->type == JT_TEXT && (*p == '\n' || *p == '\t' || *p == '\r'))
			continue;
		return err_set(e, E_INVALID, f->name, "control characters are not allowed");
	}
	switch (f->type) {
	case JT_STR:
		if (f->flags & JF_REQUIRED) {
			const char *p = s;
			while (*p == ' ')
				p++;
			if (!*p)
				return err_set(e, E_INVALID, f->name, "must not be empty");
		}
		break;
	case JT_DATE:
		if (!date_valid(s))
			return err_set(e, E_INVALID, f->name, "must be a date YYYY-MM-DD");
		break;
	case JT_EMAIL:
		if (!email_ok(s))
			return err_set(e, E_INVALID, f->name, "must be an e-mail address");
		break;
	case JT_URL:
		if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
			return err_set(e, E_INVALID, f->name, "must be an http(s) URL");
		break;
	case JT_ENUM: {
		for (int i = 0; f->enums[i]; i++)
			if (!strcmp(f->enums[i], s))
				return 0;
		char list[256];
		jspec_enum_list(f->enums, list, sizeof(list));
		return err_set(e, E_INVALID, f->name, "must be one of: %s", list);
	}
	default:
		break;
	}
	return 0;
}

static const char *type_name(enum jtype t)
{
	switch (t) {
	case JT_ID: case JT_INT: return "an integer";
	case JT_ARRAY: return "an array";
	case JT_OBJECT: return "an object";
	case JT_BOOL: return "a boolean";
	default: return "a string";
	}
}

static int cite(const struct jfield *f, struct err *e)
{
	if (e && f && f->rule)
		snprintf(e->rule, sizeof(e->rule), "%s", f->rule);
	return -1;
}

static int check_field(const struct jfield *f, const char *key, json_t *v, struct err *e)
{
	switch (f->type) {
	case JT_ID: case JT_INT:
		if (!json_is_integer(v))
			return err_set(e, E_WRONG_TYPE, key, "must be %s", type_name(f->type));
		if (f->type == JT_ID && json_integer_value(v) <= 0)
			return err_set(e, E_INVALID, key, "must be a positive id");
		if (f->type == JT_INT && (json_integer_value(v) < f->min || json_integer_value(v) > f->max))
			return err_set(e, E_INVALID, key, "must be between %lld and %lld", f->min, f->max);
		return 0;
	case JT_BOOL:
		if (!json_is_boolean(v))
			return err_set(e, E_WRONG_TYPE, key, "must be a boolean");
		return 0;
	case JT_OBJECT:
		if (!json_is_object(v))
			return err_set(e, E_WRONG_TYPE, key, "must be an object");
		if (jspec_check(v, f->items, 0, e)) {
			char buf[sizeof(e->field)];
			snprintf(buf, sizeof(buf), "%s", e->field);
			snprintf(e->field, sizeof(e->field), "%.20s.%.40s", key, buf);
			return -1;
		}
		return 0;
	case JT_ARRAY: {
		size_t i;
		json_t *item;
		if (!json_is_array(v))
			return err_set(e, E_WRONG_TYPE, key, "must be an array");
		if ((long long)json_array_size(v) < f->min || (f->max && (long long)json_array_size(v) > f->max))
			return err_set(e, E_INVALID, key, "must hold from %lld to %lld items", f->min, f->max);
		json_array_foreach(v, i, item) {
			if (jspec_check(item, f->items, 1, e)) {
				err_field_in(e, key, i);
				return -1;
			}
		}
		return 0;
	}
	default:
		if (!json_is_string(v))
			return err_set(e, E_WRONG_TYPE, key, "must be a string");
		return check_string(f, json_string_value(v), e);
	}
}

int jspec_check(const json_t *obj, const struct jfield *spec, int creating, struct err *e)
{
	if (!json_is_object(obj))
		return err_set(e, E_WRONG_TYPE, "", "the body must be a JSON object");
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		const struct jfield *f = spec;
		while (f->name && strcmp(f->name, key))
			f++;
		if (!f->name)
			return err_set(e, E_UNKNOWN_FIELD, key, "unknown field");
		if (json_is_null(v)) {
			if (!(f->flags & JF_NULLABLE)) {
				err_set(e, E_INVALID, key, "must not be null");
				return cite(f, e);
			}
			continue;
		}
		if (check_field(f, key, v, e))
			return cite(f, e);
	}
	if (creating)
		for (const struct jfield *f = spec; f->name; f++)
			if ((f->flags & JF_REQUIRED) && !json_object_get(obj, f->name)) {
				err_set(e, E_MISSING_FIELD, f->name, "is required");
				return cite(f, e);
			}
	return 0;
}

int jspec_array_sort(json_t *array, int (*cmp)(const void *, const void *))
{
	size_t n = json_array_size(array);
	json_t **items = calloc(n ? n : 1, sizeof(*items));
	if (!items)
		return -1;
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(array, i));
	qsort(items, n, sizeof(*items), cmp);
	json_array_clear(array);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(array, items[i]);
	free(items);
	return 0;
}
