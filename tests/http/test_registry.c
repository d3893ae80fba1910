/* Reference data an administrator keeps: the DMTF specification types of
 * Table 1 (R37) and the register of DMTF standards (R44), each with the
 * refusal and the allowed path. Demo data: WR 1 is SNIA's draft with a
 * "schema" and a "profile" row; the register holds DSP0004 and others. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define SAM "sam@snia.example"

static struct server S;

static int setup(void **state)
{
	(void)state;
	server_init(&S, 1);
	server_start(&S, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_finish(&S);
}

/* Whether the list at path names an item whose key is value. */
static int listed(const char *who, const char *path, const char *key, const char *value)
{
	struct resp r = as(&S, who, "GET", path, NULL);
	json_t *items = json_object_get(r.json, "items");
	int found = 0;
	expect_status(r, 200);
	for (size_t i = 0; i < json_array_size(items); i++)
		found |= !strcmp(jstr(json_array_get(items, i), key), value);
	resp_free(&r);
	return found;
}

static struct resp add_row(const char *type, const char *ap_id)
{
	return as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", "{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint",
		  "standard_type", type, "ap_id", ap_id, "description", "d", "domain", "Storage", "lead_org", "SNIA", "ip_policy",
		  "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
}

static long long type_id(const char *name)
{
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/standard-types?all=true", NULL);
	json_t *items = json_object_get(r.json, "items");
	long long id = 0;
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(jstr(json_array_get(items, i), "name"), name))
			id = jint(json_array_get(items, i), "id");
	resp_free(&r);
	return id;
}

/* R37: the types are data, kept by an administrator. */
static void test_R37_standard_types_are_data_an_administrator_edits(void **state)
{
	(void)state;
	char path[80];
	struct resp r = add_row("guideline", "ext-guide");
	expect_rule(r, 409, "R37"); /* not a type yet */
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/standard-types", "{ss}", "name", "guideline");
	expect_status(r, 403); /* administrators only */
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/standard-types", "{ss}", "name", "  ");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "name");
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/standard-types", "{ss ss}", "name", "guideline", "description", "Implementation guidance");
	expect_status(r, 201);
	long long id = jint(r.json, "id");
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/standard-types", "{ss}", "name", "GUIDELINE");
	expect_status(r, 409); /* names are unique, whatever their case */
	resp_free(&r);
	assert_true(listed(SAM, "/api/v1/standard-types", "name", "guideline")); /* everyone signed in reads the list */
	r = add_row("Guideline", "ext-guide");
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "standard_type"), "guideline"); /* canonical spelling */
	long long row = jint(r.json, "id");
	resp_free(&r);
	/* in use: no rename, no delete; retire it */
	snprintf(path, sizeof(path), "/api/v1/standard-types/%lld", id);
	r = as(&S, ADMIN, "GET", path, NULL);
	assert_int_equal(jint(r.json, "rows"), 1);
	resp_free(&r);
	r = as(&S, ADMIN, "PATCH", path, "{ss}", "name", "guidance");
	expect_rule(r, 409, "R37");
	assert_string_equal(jstr(r.json, "field"), "name");
	resp_free(&r);
	r = as(&S, ADMIN, "DELETE", path, NULL);
	expect_rule(r, 409, "R37");
	resp_free(&r);
	assert_int_equal(type_id("guideline"), id); /* nothing changed */
	r = as(&S, ADMIN, "PATCH", path, "{sb}", "retired", 1);
	expect_status(r, 200);
	resp_free(&r);
	assert_false(listed(SAM, "/api/v1/standard-types", "name", "guideline"));
	assert_true(listed(SAM, "/api/v1/standard-types?all=true", "name", "guideline"));
	r = add_row("guideline", "ext-guide-2");
	expect_rule(r, 409, "R37"); /* a retired type takes no new row */
	resp_free(&r);
	/* the row that has it keeps it, and still changes otherwise */
	char rpath[96], etag[64];
	r = as(&S, OWNER, "GET", "/api/v1/work-registers/1", NULL);
	snprintf(etag, sizeof(etag), "%s", r.etag);
	resp_free(&r);
	snprintf(rpath, sizeof(rpath), "/api/v1/work-registers/1/standards/%lld", row);
	r = as_if(&S, OWNER, "PATCH", rpath, etag, "{ss}", "description", "Guidance, revised");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "standard_type"), "guideline");
	resp_free(&r);
	/* an unused type may be renamed and deleted */
	r = as(&S, ADMIN, "POST", "/api/v1/standard-types", "{ss}", "name", "tutorial");
	expect_status(r, 201);
	snprintf(path, sizeof(path), "/api/v1/standard-types/%lld", jint(r.json, "id"));
	resp_free(&r);
	r = as(&S, ADMIN, "PATCH", path, "{ss}", "name", "tutorials");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "name"), "tutorials");
	resp_free(&r);
	r = as(&S, ADMIN, "DELETE", path, NULL);
	expect_status(r, 204);
	resp_free(&r);
	assert_int_equal(type_id("tutorials"), 0);
	r = as(&S, ADMIN, "GET", "/api/v1/audit?target_type=standard_type", NULL);
	assert_true(json_array_size(json_object_get(r.json, "items")) >= 4); /* every change audited */
	resp_free(&r);
}

/* R44: the register of DMTF standards, each owned by a body whose chair
 * hears of change requests. */
static void test_R44_register_of_dmtf_standards(void **state)
{
	(void)state;
	assert_true(listed(SAM, "/api/v1/dmtf-standards", "dsp", "DSP0004")); /* the demo's, read by a partner */
	struct resp r = as(&S, SAM, "POST", "/api/v1/dmtf-standards", "{ss ss ss si}", "dsp", "DSP0999", "title", "t", "version", "1.0.0",
			   "body_id", 4);
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/dmtf-standards", "{ss ss ss si}", "dsp", "0999", "title", "t", "version", "1.0.0", "body_id", 4);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "dsp");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/dmtf-standards", "{ss ss ss si}", "dsp", "DSP0999", "title", "t", "version", "1.0.0", "body_id", 1);
	expect_rule(r, 400, "R44"); /* the Board owns no standard */
	assert_string_equal(jstr(r.json, "field"), "body_id");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/dmtf-standards", "{ss ss ss si}", "dsp", "DSP0004", "title", "t", "version", "9", "body_id", 4);
	expect_status(r, 409); /* a DSP number once */
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/dmtf-standards", "{ss ss ss si}", "dsp", "DSP0999", "title", "Storage Profiles Guide", "version",
	       "1.0.0", "body_id", 4);
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "body.name"), "Technical Committee");
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/dmtf-standards/%lld", jint(r.json, "id"));
	resp_free(&r);
	assert_true(listed(SAM, "/api/v1/dmtf-standards?body_id=4", "dsp", "DSP0999"));
	assert_false(listed(SAM, "/api/v1/dmtf-standards?body_id=3", "dsp", "DSP0999"));
	r = as(&S, ADMIN, "PATCH", path, "{ss sb}", "version", "1.1.0", "retired", 1);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "version"), "1.1.0");
	resp_free(&r);
	assert_false(listed(SAM, "/api/v1/dmtf-standards", "dsp", "DSP0999"));
	assert_true(listed(SAM, "/api/v1/dmtf-standards?all=true", "dsp", "DSP0999"));
	r = as(&S, VP, "GET", "/api/v1/dmtf-standards/999", NULL);
	expect_status(r, 404);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R37_standard_types_are_data_an_administrator_edits),
		cmocka_unit_test(test_R44_register_of_dmtf_standards),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
