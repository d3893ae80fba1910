/* The OpenAPI 3.1 document, built from the route table, the action table
 * and the field specifications, so that it cannot drift from the server. */
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "http/http.h"

static json_t *field_schema(const struct jfield *f);
static json_t *body_schema(const struct jfield *spec, int whole);
#define object_schema(spec) body_schema((spec), 1)

/* A request body's schema; partial (no field required: a PATCH, a step
 * whose fields are all optional) unless whole. */
static json_t *body_schema(const struct jfield *spec, int whole)
{
	json_t *props = json_object(), *req = json_array();
	for (const struct jfield *f = spec; f->name; f++) {
		json_object_set_new(props, f->name, field_schema(f));
		if (whole && (f->flags & JF_REQUIRED))
			json_array_append_new(req, json_string(f->name));
	}
	json_t *s = json_pack("{ss so sb}", "type", "object", "properties", props, "additionalProperties", 0);
	if (json_array_size(req))
		json_object_set_new(s, "required", req);
	else
		json_decref(req);
	return s;
}

static json_t *field_schema(const struct jfield *f)
{
	json_t *s = json_object();
	const char *type = "string";
	switch (f->type) {
	case JT_ID: type = "integer"; json_object_set_new(s, "minimum", json_integer(1)); break;
	case JT_INT:
		type = "integer";
		json_object_set_new(s, "minimum", json_integer(f->min));
		json_object_set_new(s, "maximum", json_integer(f->max));
		break;
	case JT_BOOL: type = "boolean"; break;
	case JT_DATE: json_object_set_new(s, "format", json_string("date")); break;
	case JT_EMAIL: json_object_set_new(s, "format", json_string("email")); break;
	case JT_URL: json_object_set_new(s, "format", json_string("uri")); break;
	case JT_TEXT: json_object_set_new(s, "contentMediaType", json_string("text/markdown")); break;
	case JT_ENUM: {
		json_t *en = json_array();
		for (int i = 0; f->enums[i]; i++)
			json_array_append_new(en, json_string(f->enums[i]));
		json_object_set_new(s, "enum", en);
		break;
	}
	case JT_OBJECT:
		json_decref(s);
		s = object_schema(f->items);
		type = "object";
		break;
	case JT_ARRAY:
		type = "array";
		json_object_set_new(s, "items", object_schema(f->items));
		json_object_set_new(s, "minItems", json_integer(f->min));
		if (f->max)
			json_object_set_new(s, "maxItems", json_integer(f->max));
		break;
	default: break;
	}
	if ((f->type == JT_STR || f->type == JT_TEXT) && f->max)
		json_object_set_new(s, "maxLength", json_integer(f->max));
	if (f->flags & JF_NULLABLE)
		json_object_set_new(s, "type", json_pack("[s s]", type, "null"));
	else
		json_object_set_new(s, "type", json_string(type));
	if (f->rule)
		json_object_set_new(s, "description", json_sprintf("Rule %s of RULES.md.", f->rule));
	return s;
}

static json_t *problem_ref(const char *desc)
{
	return json_pack("{ss s{s{s{ss}}}}", "description", desc, "content", "application/problem+json", "schema", "$ref",
			 "#/components/schemas/Problem");
}

/* The resource an action answers with, named by the action's prefix
 * ("org.update" -> "org"): the fields of the spec its create action is
 * validated with (the same spec the server checks), and the fields the
 * server adds (id, dates); more may come, so additionalProperties. */
static const struct action_info *maker_of(const char *prefix)
{
	static const char *const verbs[] = { "create", "add", "set", NULL };
	char name[80];
	for (int i = 0; verbs[i]; i++) {
		snprintf(name, sizeof(name), "%.60s.%s", prefix, verbs[i]);
		const struct action_info *ai = core_action_info(name);
		if (ai && ai->body)
			return ai;
	}
	return NULL;
}

static void resource_name(const char *action, char *out, size_t n)
{
	size_t len = strcspn(action, ".");
	snprintf(out, n, "%.*s", (int)len, action);
}

static json_t *resource_schema(const char *prefix)
{
	const struct action_info *maker = maker_of(prefix);
	json_t *s = maker ? object_schema(maker->body) : json_pack("{ss s{}}", "type", "object", "properties");
	json_t *props = json_object_get(s, "properties");
	json_object_set_new(props, "id", json_pack("{ss si}", "type", "integer", "minimum", 1));
	json_object_set_new(props, "created_at", json_pack("{ss ss}", "type", "string", "format", "date-time"));
	json_object_set_new(props, "updated_at", json_pack("{ss ss}", "type", "string", "format", "date-time"));
	json_object_del(s, "required"); /* a reply may leave out what a request must give */
	json_object_set_new(s, "additionalProperties", json_true());
	json_object_set_new(s, "description", json_sprintf("A %s as the server answers it: the fields its requests are checked with, and those the server keeps.", prefix));
	return s;
}

static json_t *reply_schema(const struct action_info *ai, json_t *schemas)
{
	char prefix[64];
	const char *named = core_answer_name(ai->name); /* written for answers (issue 22) */
	if (named) {
		snprintf(prefix, sizeof(prefix), "%s", named);
		if (!json_object_get(schemas, prefix)) /* many actions answer the same record: built once */
			json_object_set_new(schemas, prefix, core_answer_schema(ai->name));
	} else {
		resource_name(ai->name, prefix, sizeof(prefix));
		if (!json_object_get(schemas, prefix))
			json_object_set_new(schemas, prefix, resource_schema(prefix));
	}
	json_t *ref = json_pack("{ss}", "$ref", "");
	json_object_set_new(ref, "$ref", json_sprintf("#/components/schemas/%s", prefix));
	size_t n = strlen(ai->name);
	if (n > 5 && !strcmp(ai->name + n - 5, ".list")) {
		json_t *list = json_pack("{ss s{s{ss so} s{s[ss] ss} s{ss ss}} s[s]}", "type", "object", "properties", "items", "type", "array",
					 "items", ref, "next_cursor", "type", "string", "null", "description",
					 "the cursor of the next page; null on the last", "total", "type", "integer", "description",
					 "how many there are in all, where the list counts them", "required", "items");
		json_t *beside = core_answer_beside(ai->name); /* issue 24: the checkpoints' keys */
		json_object_update(json_object_get(list, "properties"), json_object_get(beside, "properties"));
		json_decref(beside);
		return list;
	}
	return ref;
}

/* Under load any request may be answered 503 with a Retry-After. */
static json_t *busy_ref(void)
{
	json_t *busy = problem_ref("The server is busy (requests in progress at their limit, or the database), or cannot write the database "
				   "(field \"storage\": disk full, I/O error, read-only; nothing of the change was kept): retry after Retry-After");
	json_object_set_new(busy, "headers", json_pack("{s{sb s{ss} ss}}", "Retry-After", "required", 1, "schema", "type", "string",
							"description", "Seconds to wait before trying again."));
	return busy;
}

/* An operation on one Work Register: its answers carry the WR's ETag. */
static int under_wr(const struct route *r)
{
	static const char wr[] = "/api/v1/work-registers/{id}";
	return !strncmp(r->pattern, wr, sizeof(wr) - 1);
}

/* A read under /work-registers/{id} whose answer carries the WR's ETag
 * (its revision): answered 304 when If-None-Match names it. */
static int is_wr_read(const struct route *r, const struct action_info *ai)
{
	return !strcmp(r->method, "GET") && under_wr(r) &&
	       (!strcmp(ai->name, "wr.get") || strstr(ai->name, ".list"));
}

/* The errors an operation may answer, each an RFC 9457 problem. */
static void error_responses(json_t *responses, const struct route *r, const struct action_info *ai)
{
	int write = !!(ai->flags & A_WRITE);
	json_object_set_new(responses, "400", problem_ref("Bad input: the problem names the field and, where one applies, the rule"));
	if (!(ai->flags & A_PUBLIC)) {
		json_object_set_new(responses, "401", problem_ref("Not signed in: a session cookie or a bearer token is needed"));
		json_object_set_new(responses, "403", problem_ref("Not yours to do: the problem cites the rule"));
	}
	if (strchr(r->pattern, '{'))
		json_object_set_new(responses, "404", problem_ref("No such record, or not one you may see"));
	if (write)
		json_object_set_new(responses, "409", problem_ref("Not possible now: the state of the record or a rule refuses it"));
	if (write && !(ai->flags & A_PUBLIC))
		json_object_set_new(responses, "422", problem_ref("The Idempotency-Key was sent before with another request"));
	if (ai->flags & (A_IFMATCH | A_REVISION))
		json_object_set_new(responses, "412", problem_ref("The record changed since the ETag you sent (R13)"));
	if (ai->flags & A_IFMATCH)
		json_object_set_new(responses, "428", problem_ref("Send the ETag you edited in If-Match (R13)"));
	if (ai->body) {
		json_object_set_new(responses, "413", problem_ref("The body is larger than the server takes (ENTENTE_BODY_LIMIT, 1 MiB by default)"));
		json_object_set_new(responses, "415", problem_ref("A body is JSON: Content-Type application/json"));
	}
	if (!strcmp(ai->name, "session.create"))
		json_object_set_new(responses, "401", problem_ref("The e-mail address and the password do not match an account, or the second"
								  " factor's code is missing (field code) or wrong"));
	/* issue 24: a link of an invitation or a password reset */
	if (!strncmp(ai->name, "link.", 5)) {
		json_object_set_new(responses, "404", problem_ref("No such link: the token is not known"));
		json_object_set_new(responses, "410", problem_ref("The link was used, replaced, withdrawn or has expired: the problem says which"));
	}
	json_t *later = problem_ref("Too many attempts: retry after the time in Retry-After");
	json_object_set_new(later, "headers", json_pack("{s{sb s{ss} ss}}", "Retry-After", "required", 1, "schema", "type", "string",
							 "description", "Seconds to wait before trying again."));
	json_object_set_new(responses, "429", later);
	json_object_set_new(responses, "503", busy_ref());
	/* a Work Register read again by its ETag (If-None-Match) */
	if (is_wr_read(r, ai))
		json_object_set_new(responses, "304", json_pack("{ss s{s{sb s{ss}}}}", "description",
								"Not modified: the Work Register is still the revision named in If-None-Match",
								"headers", "ETag", "required", 1, "schema", "type", "string"));
}

static json_t *operation(const struct route *r, const struct action_info *ai, json_t *schemas)
{
	json_t *op = json_object(), *params = json_array(), *responses = json_object();
	char opid[64], *p;
	snprintf(opid, sizeof(opid), "%s", ai->name);
	for (p = opid; *p; p++)
		if (*p == '.')
			*p = '_';
	json_object_set_new(op, "operationId", json_string(opid));
	json_object_set_new(op, "summary", json_string(ai->summary));
	json_object_set_new(op, "description", json_sprintf("Who may: %s.%s%s", ai->who, ai->rule ? " Rule " : "",
							    ai->rule ? ai->rule : ""));
	if (ai->rule)
		json_object_set_new(op, "x-rule", json_string(ai->rule));
	for (const char *s = strchr(r->pattern, '{'); s; s = strchr(s + 1, '{')) {
		const char *end = strchr(s, '}');
		json_array_append_new(params, json_pack("{ss% ss sb s{ss}}", "name", s + 1, (size_t)(end - s - 1), "in", "path",
							"required", 1, "schema", "type", "string"));
	}
	for (const char *q = ai->query; q && *q;) {
		const char *end = strchr(q, ',');
		size_t n = end ? (size_t)(end - q) : strlen(q);
		json_array_append_new(params, json_pack("{ss% ss s{ss}}", "name", q, n, "in", "query", "schema", "type", "string"));
		q = end ? end + 1 : NULL;
	}
	if (ai->flags & A_IFMATCH)
		json_array_append_new(params, json_pack("{ss ss sb s{ss} ss}", "name", "If-Match", "in", "header", "required", 1,
							"schema", "type", "string", "description",
							"The ETag of the Work Register (R13)."));
	if (ai->flags & A_REVISION && !(ai->flags & A_IFMATCH))
		json_array_append_new(params, json_pack("{ss ss sb s{ss} ss}", "name", "If-Match", "in", "header", "required", 0,
							"schema", "type", "string", "description",
							"The ETag of the Work Register as you read it: refused (412) if it changed since (R13)."));
	if ((ai->flags & A_WRITE) && !(ai->flags & A_PUBLIC))
		json_array_append_new(params, json_pack("{ss ss sb s{ss si} ss}", "name", "Idempotency-Key", "in", "header", "required", 0,
							"schema", "type", "string", "maxLength", 255, "description",
							"A key of your choosing for this request (issue 25): sent again with the same request,"
							" the first answer comes back and nothing is done twice (kept a day)."));
	if (is_wr_read(r, ai))
		json_array_append_new(params, json_pack("{ss ss sb s{ss} ss}", "name", "If-None-Match", "in", "header", "required", 0,
							"schema", "type", "string", "description",
							"ETags you hold: 304 when the Work Register is still one of them."));
	if (ai->flags & A_WRITE)
		json_array_append_new(params, json_pack("{ss ss sb s{ss} ss}", "name", "X-CSRF-Token", "in", "header", "required", 0,
							"schema", "type", "string", "description",
							"With the session cookie: the csrf_token the session answered (not with a bearer token)."));
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (ai->body)
		json_object_set_new(op, "requestBody", json_pack("{sb s{s{so}}}", "required", !!(ai->flags & A_BODY), "content",
								  "application/json", "schema",
								  body_schema(ai->body, !!(ai->flags & A_BODY))));
	char ok[8];
	snprintf(ok, sizeof(ok), "%d", core_action_status(ai));
	if (!strcmp(ok, "204"))
		json_object_set_new(responses, ok, json_pack("{ss}", "description", "Done"));
	else if (r->flags & RF_TEXT)
		json_object_set_new(responses, ok, json_pack("{ss s{s{s{ss}}}}", "description", "Success", "content",
							     "text/plain", "schema", "type", "string"));
	else
		json_object_set_new(responses, ok, json_pack("{ss s{s{so}}}", "description", "Success", "content", "application/json",
							     "schema", reply_schema(ai, schemas)));
	json_t *ok_headers = json_object(), *okr = json_object_get(responses, ok);
	if (under_wr(r))
		json_object_set_new(ok_headers, "ETag", json_pack("{s{ss} ss}", "schema", "type", "string", "description",
								  "The Work Register's revision (\"rev-N\"), to send in If-Match (R13)."));
	if (ai->flags & A_CREATE)
		json_object_set_new(ok_headers, "Location", json_pack("{s{ss} ss}", "schema", "type", "string", "description",
								      "Where the record made is read, when it has its own address."));
	if (!strcmp(ai->name, "session.create") || !strcmp(ai->name, "session.delete"))
		json_object_set_new(ok_headers, "Set-Cookie", json_pack("{sb s{ss} ss}", "required", 1, "schema", "type", "string",
									"description", "The session cookie (entente_session), set or cleared."));
	if (json_object_size(ok_headers))
		json_object_set_new(okr, "headers", ok_headers);
	else
		json_decref(ok_headers);
	error_responses(responses, r, ai);
	json_object_set_new(responses, "default", problem_ref("An internal error (500): the server failed, and logged why; nothing was changed"));
	json_object_set_new(op, "responses", responses);
	if (ai->flags & A_PUBLIC)
		json_object_set_new(op, "security", json_array());
	return op;
}

static json_t *raw_operation(const struct route *r)
{
	json_t *op = json_pack("{ss ss s[] s{s{ss s{s{s{ss}}}}}}", "operationId", r->action, "summary",
			       !strcmp(r->action, "healthz") ? "health check" : "this document", "security", "responses", "200",
			       "description", "Success", "content", "application/json", "schema", "type", "object");
	json_object_set_new(json_object_get(op, "responses"), "400",
			    problem_ref("A request the HTTP parser refuses (its framing: RFC 9112)"));
	json_object_set_new(json_object_get(op, "responses"), "503", busy_ref());
	return op;
}

json_t *http_openapi(const char *base_url)
{
	json_t *paths = json_object(), *schemas = json_object(); /* components.schemas, as the operations name them */
	for (const struct route *r = http_routes(); r->method; r++) {
		if (r->flags & RF_HTML)
			continue; /* pages for people, not API */
		json_t *item = json_object_get(paths, r->pattern);
		char method[8];
		size_t i;
		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		for (i = 0; r->method[i] && i < sizeof(method) - 1; i++)
			method[i] = (char)(r->method[i] - 'A' + 'a');
		method[i] = '\0';
		if (r->flags & RF_RAW) {
			json_object_set_new(item, method, raw_operation(r));
		} else {
			const struct action_info *ai = core_action_info(r->action);
			if (ai)
				json_object_set_new(item, method, operation(r, ai, schemas));
		}
	}
	json_t *parts = core_answer_parts();
	json_object_update(schemas, parts);
	json_decref(parts);
	json_object_set_new(schemas, "Problem", json_pack("{ss s{s{ss}s{ss}s{ss}s{ss}s{ss}s{ss}s{ss}} s[sss]}", "type", "object",
			"properties", "type", "type", "string", "title", "type", "string", "status", "type", "integer", "detail", "type", "string",
			"instance", "type", "string", "field", "type", "string", "rule", "type", "string",
			"required", "type", "title", "status"));
	json_t *doc = json_pack("{ss s{ss ss ss s{ss ss}} s[{ss ss}] so s{so s{s{ss ss} s{ss ss ss}}} s[{s[]}{s[]}]}",
				"openapi", "3.1.0",
				"info", "title", "entente API", "version", "1", "description",
				"The alliance-partner process of DSP4003. Errors are RFC 9457 problems naming the field and the rule of RULES.md.",
				"license", "name", "Proprietary", "identifier", "LicenseRef-entente",
				"servers", "url", base_url ? base_url : "http://127.0.0.1:8080",
				"description", base_url ? "this server (its --base-url)" : "make run (entente serve's default address)",
				"paths", paths,
				"components", "schemas", schemas,
				"securitySchemes", "bearer", "type", "http", "scheme", "bearer",
				"cookie", "type", "apiKey", "in", "cookie", "name", "entente_session",
				"security", "bearer", "cookie");
	return doc;
}
