/* libFuzzer target: whatever bytes a client sends as a request body go
 * through the JSON parser and every action's field specification, and
 * Markdown through the renderer, without a crash, a leak or UB. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "lib/jspec.h"
#include "lib/markdown.h"

static void check(const struct action_info *ai, void *data)
{
	json_t *body = data;
	struct err e = ERR_INIT;
	if (ai->body)
		(void)jspec_check(body, ai->body, !!(ai->flags & A_CREATE), &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (body) {
		core_actions_each(check, body);
		json_decref(body);
	}
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	free(markdown_html(text));
	free(text);
	return 0;
}
