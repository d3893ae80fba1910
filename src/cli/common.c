/* What the subcommands share: calling core as the local operator, the
 * generic resource command driven by the action table, printing. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/util.h"

int cli_call(struct cli *c, const char *action, json_t *params, json_t *body, json_t **out)
{
	return cli_call_if(c, action, params, body, NULL, out);
}

/* Issue 24: the local operator's name (the user running entente), which
 * the audit names as the actor of what --as does on a person's behalf. */
static const char *operator_name(void)
{
	static char name[64];
	if (!name[0]) {
		struct passwd *pw = getpwuid(geteuid());
		if (pw && pw->pw_name && *pw->pw_name)
			snprintf(name, sizeof(name), "%s", pw->pw_name);
		else
			snprintf(name, sizeof(name), "uid %u", (unsigned)geteuid());
	}
	return name;
}

int cli_call_if(struct cli *c, const char *action, json_t *params, json_t *body, const char *if_match, json_t **out)
{
	struct call call = { .system = !c->as_person, .person_id = c->as_person, .action = action, .params = params, .body = body,
			     .now = (int64_t)time(NULL) + c->now_offset, .if_match = if_match, .operator_name = c->as_person ? operator_name() : NULL };
	struct reply r = REPLY_INIT;
	struct err e = ERR_INIT;
	if (out)
		*out = NULL;
	if (core_call(c->st, &call, &r, &e)) {
		const char *rule = err_rule_of(&e);
		fprintf(stderr, "%s: %s", c->prog, err_title(e.code));
		if (e.field[0])
			fprintf(stderr, " [%s]", e.field);
		if (e.detail[0])
			fprintf(stderr, ": %s", e.detail);
		if (rule)
			fprintf(stderr, " (rule %s)", rule);
		fputc('\n', stderr);
		return -1;
	}
	if (out)
		*out = r.body;
	else
		json_decref(r.body);
	return 0;
}

static const char *const columns[] = { "status", "short_name", "name", "title", "email", "role", "kind", "person_id",
				       "body_id", "ap_id", "version", "label", "revision", "date", "author", "summary", "action",
				       "target_type", "at", NULL };

void cli_print(json_t *v, int as_json)
{
	json_t *items = json_object_get(v, "items");
	if (!v)
		return;
	if (as_json || !json_is_array(items)) {
		char *s = json_dumps(v, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		return;
	}
	json_t *first = json_array_get(items, 0);
	const char *cols[6];
	int n = 0;
	for (int i = 0; columns[i] && n < 5; i++)
		if (first && json_object_get(first, columns[i]))
			cols[n++] = columns[i];
	int ids = first && json_object_get(first, "id"); /* a change history has none */
	if (ids)
		printf("%-6s", "id");
	for (int i = 0; i < n; i++)
		printf(ids || i ? "  %-20s" : "%-20s", cols[i]);
	putchar('\n');
	for (size_t k = 0; k < json_array_size(items); k++) {
		json_t *it = json_array_get(items, k);
		if (ids)
			printf("%-6lld", (long long)json_integer_value(json_object_get(it, "id")));
		for (int i = 0; i < n; i++) {
			json_t *f = json_object_get(it, cols[i]);
			char *s = json_is_string(f) ? strdup(json_string_value(f)) : json_dumps(f, JSON_ENCODE_ANY);
			printf(ids || i ? "  %-20.60s" : "%-20.60s", s ? s : "");
			free(s);
		}
		putchar('\n');
	}
	if (json_is_string(json_object_get(v, "next_cursor")))
		printf("(more: --cursor %s)\n", json_string_value(json_object_get(v, "next_cursor")));
}

char *cli_read_secret(const char *file)
{
	FILE *f = fopen(file, "r");
	char buf[1100];
	if (!f) {
		fprintf(stderr, "entente: cannot read %s: %s\n", file, strerror(errno));
		return NULL;
	}
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		fprintf(stderr, "entente: %s is empty\n", file);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	return strdup(buf);
}

static const struct jfield *spec_field(const struct jfield *spec, const char *name)
{
	for (const struct jfield *f = spec; f && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static void generic_help(const struct command *cmd, const struct action_info *ai)
{
	printf("usage: entente %s [options]\n\n%s.\nAction %s; who may: %s.%s%s\n\noptions:\n", cmd->name, cmd->help, ai->name,
	       ai->who, ai->rule ? " Rule " : "", ai->rule ? ai->rule : "");
	printf("  --id N            the record (for show, set, and a WR's sections)\n");
	printf("  --sub-id N        the item within it (a membership, a version)\n");
	for (const struct jfield *f = ai->body; f && f->name; f++) {
		char opt[64];
		snprintf(opt, sizeof(opt), "--%s", f->name);
		for (char *p = opt; *p; p++)
			if (*p == '_')
				*p = '-';
		printf("  %-17s %s%s\n", opt, f->flags & JF_REQUIRED ? "required" : "optional",
		       f->flags & JF_NULLABLE ? " (null clears it)" : "");
	}
	for (const char *q = ai->query; q && *q;) {
		const char *end = strchr(q, ',');
		int len = end ? (int)(end - q) : (int)strlen(q);
		printf("  --%-15.*s filter\n", len, q);
		q = end ? end + 1 : NULL;
	}
	printf("  --body JSON       the whole request body as JSON\n  --json            print JSON\n"
	       "  --as EMAIL        act as this person, with their rights (default: the local operator)\n");
}

int cli_generic(struct cli *c, const struct command *cmd, int argc, char **argv)
{
	const struct action_info *ai = core_action_info(cmd->action);
	json_t *params = json_object(), *body = NULL, *out = NULL;
	const char *if_match = NULL;
	char etag[32];
	int as_json = 0, ret = 2;

	for (int i = 1; i < argc; i++) {
		char key[64];
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			generic_help(cmd, ai);
			ret = 0;
			goto out;
		}
		if (!strcmp(a, "--json")) {
			as_json = 1;
			continue;
		}
		if (strncmp(a, "--", 2) || !val) {
			fprintf(stderr, "%s: unexpected '%s' (see --help)\n", c->prog, a);
			goto out;
		}
		i++;
		snprintf(key, sizeof(key), "%s", a + 2);
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		if (!strcmp(key, "body")) {
			json_error_t jerr;
			json_decref(body);
			body = json_loads(val, JSON_REJECT_DUPLICATES, &jerr);
			if (!body) {
				fprintf(stderr, "%s: --body: %s\n", c->prog, jerr.text);
				goto out;
			}
			continue;
		}
		if (!strcmp(key, "if_match")) {
			if_match = val;
			continue;
		}
		if (!strcmp(key, "as")) {
			/* act as a person: their grants, not the operator's */
			json_t *pp = json_pack("{ss}", "email", val), *found = NULL;
			int bad = cli_call(c, "person.list", pp, NULL, &found);
			json_decref(pp);
			c->as_person = bad ? 0 : json_integer_value(json_object_get(json_array_get(json_object_get(found, "items"), 0), "id"));
			json_decref(found);
			if (!c->as_person) {
				fprintf(stderr, "%s: --as: no person has the e-mail address %s\n", c->prog, val);
				ret = 1;
				goto out;
			}
			/* the security log: the operator acts for a person (issue 24) */
			log_at(LV_INFO, "security: impersonation: operator %s acts on behalf of person %lld: %s", operator_name(),
			       (long long)c->as_person, ai->name);
			continue;
		}
		if (!strcmp(key, "id") || !strcmp(key, "sub_id") || list_has(ai->query, ',', key)) {
			json_object_set_new(params, key, json_string(val));
			continue;
		}
		const struct jfield *f = spec_field(ai->body, key);
		if (!f) {
			fprintf(stderr, "%s: unknown option --%s (see --help)\n", c->prog, a + 2);
			goto out;
		}
		json_t *v;
		char *end;
		if ((f->flags & JF_NULLABLE) && !strcmp(val, "null"))
			v = json_null();
		else if (f->type == JT_ID || f->type == JT_INT) {
			long long n = strtoll(val, &end, 10);
			if (*end || !*val) {
				fprintf(stderr, "%s: --%s takes a number\n", c->prog, a + 2);
				goto out;
			}
			v = json_integer(n);
		} else if (f->type == JT_BOOL) {
			if (strcmp(val, "true") && strcmp(val, "false")) {
				fprintf(stderr, "%s: --%s takes true or false\n", c->prog, a + 2);
				goto out;
			}
			v = json_boolean(!strcmp(val, "true"));
		} else if (!(v = json_string(val))) {
			fprintf(stderr, "%s: --%s is not UTF-8\n", c->prog, a + 2);
			goto out;
		}
		if (!body)
			body = json_object();
		json_object_set_new(body, key, v);
	}
	if (!body && ai->body && (ai->flags & A_BODY))
		body = json_object();
	/* R13: the operator's edit presents the revision it was made on too;
	 * without --if-match, the one just read (the CLI's edit is deliberate) */
	if ((ai->flags & A_IFMATCH) && !if_match && json_object_get(params, "id")) {
		json_t *cur = NULL, *idp = json_pack("{sO}", "id", json_object_get(params, "id"));
		int bad = cli_call(c, "wr.get", idp, NULL, &cur);
		json_decref(idp);
		if (bad) {
			ret = 1;
			goto out;
		}
		core_etag(json_integer_value(json_object_get(cur, "revision")), etag);
		json_decref(cur);
		if_match = etag;
	}
	if (cli_call_if(c, ai->name, params, body, if_match, &out)) {
		ret = 1;
		goto out;
	}
	cli_print(out, as_json);
	ret = 0;
out:
	json_decref(params);
	json_decref(body);
	json_decref(out);
	return ret;
}

int cli_call_take(struct cli *c, const char *action, json_t *body)
{
	int ret = cli_call(c, action, NULL, body, NULL);
	json_decref(body);
	return ret;
}

int64_t cli_make(struct cli *c, const char *action, json_t *params, json_t *body)
{
	json_t *out = NULL;
	int64_t id = 0;
	if (!cli_call(c, action, params, body, &out))
		id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	json_decref(params);
	json_decref(body);
	return id;
}
