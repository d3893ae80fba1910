#include "lib/err.h"

#include <stdio.h>
#include <string.h>

struct err_row { int status; const char *title; const char *rule; const char *name; };

static const struct err_row rows[] = {
#define ERR_ROW(name, status, title, rule) { status, title, rule, #name },
	ERR_MAP(ERR_ROW)
#undef ERR_ROW
};

int err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
{
	if (!e)
		return -1;
	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	e->detail[0] = '\0';
	e->rule[0] = '\0';
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
		va_end(ap);
	}
	return -1;
}

void err_clear(struct err *e)
{
	e->code = E_OK;
	e->field[0] = '\0';
	e->detail[0] = '\0';
	e->rule[0] = '\0';
}

const char *err_rule_of(const struct err *e)
{
	return e->rule[0] ? e->rule : err_rule(e->code);
}

static const struct err_row *row(enum err_code code)
{
	if ((int)code < 0 || code >= E__COUNT)
		code = E_INTERNAL;
	return &rows[code];
}

int err_status(enum err_code code) { return row(code)->status; }
const char *err_title(enum err_code code) { return row(code)->title; }
const char *err_rule(enum err_code code) { return row(code)->rule; }
const char *err_name(enum err_code code) { return row(code)->name; }

void err_field_in(struct err *e, const char *name, size_t index)
{
	char buf[192];
	size_t n;
	snprintf(buf, sizeof(buf), "%.60s[%zu].", name, index);
	n = strlen(buf);
	memcpy(buf + n, e->field, strlen(e->field) + 1);
	n = strlen(buf);
	if (n >= sizeof(e->field))
		n = sizeof(e->field) - 1;
	memcpy(e->field, buf, n);
	e->field[n] = '\0';
}
