/* Field specifications for JSON request bodies: every body is checked
 * against one before core looks at it, so unknown fields, wrong types,
 * over-long strings, bad dates and values outside an enum are refused with
 * the field named. */
#ifndef ENTENTE_JSPEC_H
#define ENTENTE_JSPEC_H

#include <jansson.h>
#include <stddef.h>

#include "lib/err.h"

enum jtype {
	JT_STR,   /* one line of text, no control characters */
	JT_TEXT,  /* Markdown text: newlines and tabs allowed */
	JT_ID,    /* positive integer referring to a record */
	JT_INT,   /* integer within [min, max] */
	JT_BOOL,
	JT_DATE,  /* YYYY-MM-DD */
	JT_EMAIL,
	JT_URL,   /* http:// or https:// */
	JT_ENUM,  /* one of enums[] */
	JT_ARRAY, /* array of objects, each checked against items (creating) */
	JT_OBJECT,/* an object checked against items (not creating) */
};

#define JF_REQUIRED 1u  /* must be present on create, never null */
#define JF_NULLABLE 2u  /* null clears it */

struct jfield {
	const char *name;
	enum jtype type;
	unsigned flags;
	long long max;              /* JT_STR/TEXT: max code points; JT_INT: max */
	const char *const *enums;   /* JT_ENUM: NULL-terminated */
	long long min;              /* JT_INT: min; JT_ARRAY: min items */
	const char *rule;           /* rule cited when this field is refused */
	const struct jfield *items; /* JT_ARRAY: the spec of each element */
	unsigned who;               /* grants that may set this field (core's G_*); 0: whoever
				     * may take the action. Checked by core's door, not here */
	const char *label;          /* what a form calls it (the web application's step forms) */
};

/* Check obj against spec (terminated by a {NULL} row). creating: enforce
 * JF_REQUIRED presence. Returns 0 or -1 with e filled. */
int jspec_check(const json_t *obj, const struct jfield *spec, int creating, struct err *e);

/* Render an enum's values as "a, b, c" into buf. */
void jspec_enum_list(const char *const *enums, char *buf, size_t n);

/* Sort a JSON array in place with qsort (cmp gets json_t *const *
 * arguments): 0, or -1 when out of memory (the array as it was). */
int jspec_array_sort(json_t *array, int (*cmp)(const void *, const void *));

#endif
