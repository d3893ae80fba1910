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
#include <strings.h>

#include <cmocka.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define SAM "sam@snia.example"
#define GRETA "greta@tgg.example"

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
	etag_of(&S, OWNER, "/api/v1/work-registers/1", etag);
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

static json_t *domain_of(json_t *overlaps, const char *name)
{
	json_t *items = json_object_get(overlaps, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcasecmp(jstr(json_array_get(items, i), "domain"), name))
			return json_array_get(items, i);
	return NULL;
}

/* R41: the VP sees which domains which partners cover, overlaps marked. */
static void test_R41_overlapping_domains_across_partners(void **state)
{
	(void)state;
	struct resp r = as(&S, SAM, "GET", "/api/v1/overlaps", NULL);
	expect_status(r, 403); /* the VP's view, not a partner's */
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/overlaps", NULL);
	expect_status(r, 200);
	json_t *storage = domain_of(r.json, "Storage");
	assert_non_null(storage);
	assert_false(json_is_true(json_object_get(storage, "overlap"))); /* SNIA's alone */
	resp_free(&r);
	/* TGG's proposal takes up storage too (written otherwise), and facilities */
	r = as(&S, GRETA, "POST", "/api/v1/work-registers/2/standards", "{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint", "standard_type",
	       "profile", "ap_id", "tgg-storage", "description", "Storage power", "domain", "  storage ", "lead_org", "TGG", "ip_policy",
	       "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_status(r, 201);
	resp_free(&r);
	r = as(&S, GRETA, "POST", "/api/v1/work-registers/2/standards", "{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint", "standard_type",
	       "profile", "ap_id", "tgg-cooling", "description", "Cooling", "domain", "Facilities", "lead_org", "TGG", "ip_policy",
	       "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_status(r, 201);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/overlaps", NULL);
	storage = domain_of(r.json, "Storage");
	assert_true(json_is_true(json_object_get(storage, "overlap")));
	assert_int_equal(json_array_size(json_object_get(storage, "partners")), 2);
	assert_false(json_is_true(json_object_get(domain_of(r.json, "Facilities"), "overlap")));
	assert_true(jint(r.json, "overlaps") >= 1);
	resp_free(&r);
	/* a WR that ended no longer counts */
	r = as(&S, GRETA, "POST", "/api/v1/work-registers/2/withdraw", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/overlaps", NULL);
	assert_false(json_is_true(json_object_get(domain_of(r.json, "Storage"), "overlap")));
	assert_null(domain_of(r.json, "Facilities"));
	resp_free(&r);
}

static struct resp delegated_row(const char *ap_id)
{
	return as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", "{ss ss ss ss ss ss ss ss ss ss}", "kind", "delegated",
		  "standard_type", "profile", "ap_id", ap_id, "description", "A profile SNIA develops", "domain", "Storage", "lead_org",
		  "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
}

/* R34, R35: delegated work once the partner agreed to the delegation rules
 * in force; the rules' versions and the agreements are kept. */
static void test_R35_delegated_work_needs_the_partners_agreement(void **state)
{
	(void)state;
	struct resp r = as(&S, SAM, "GET", "/api/v1/delegation-rules", NULL);
	expect_status(r, 200);
	assert_int_equal(jint(r.json, "current.version"), 1); /* the demo's, agreed by SNIA for WR 1 */
	resp_free(&r);
	r = delegated_row("snia-delegated-1");
	expect_status(r, 201);
	resp_free(&r);
	/* the organization changes its rules: version 2 is in force, 1 is kept */
	r = as(&S, ADMIN, "PATCH", "/api/v1/settings", "{ss}", "delegation_rules_text", "Delegated standards are reviewed by the DMTF twice a year.");
	expect_status(r, 200);
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/delegation-rules", NULL);
	assert_int_equal(jint(r.json, "current.version"), 2);
	assert_int_equal(json_array_size(json_object_get(r.json, "versions")), 2);
	resp_free(&r);
	/* the partner with delegated work is asked to agree again (issue 21) */
	r = as(&S, ADMIN, "GET", "/api/v1/outbox?event=delegation.changed&person_id=8", NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	assert_non_null(strstr(jstr(r.json, "items.0.subject"), "version 2"));
	assert_int_equal(jint(r.json, "items.0.wr_id"), 1);
	resp_free(&r);
	r = delegated_row("snia-delegated-2");
	expect_rule(r, 409, "R35"); /* agreed to version 1 only */
	assert_string_equal(jstr(r.json, "field"), "kind");
	resp_free(&r);
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/1/standards", "{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint", "standard_type",
	       "profile", "ap_id", "snia-joint-2", "description", "Joint", "domain", "Storage", "lead_org", "SNIA", "ip_policy", "partner",
	       "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner");
	expect_status(r, 201); /* joint work needs no agreement: one WR holds both kinds (R34) */
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/work-registers/1/delegation-agreement", "{si}", "rules_version", 2);
	expect_status(r, 403); /* the partner agrees, not the host */
	resp_free(&r);
	r = as(&S, SAM, "POST", "/api/v1/work-registers/1/delegation-agreement", "{si}", "rules_version", 1);
	expect_rule(r, 409, "R35"); /* not the version in force */
	resp_free(&r);
	r = as(&S, SAM, "POST", "/api/v1/work-registers/1/delegation-agreement", "{si}", "rules_version", 2);
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "agreed_by"), "Sam Patel"); /* by name (issue 24) */
	assert_non_null(jstr(r.json, "agreed_at"));
	resp_free(&r);
	r = as(&S, SAM, "POST", "/api/v1/work-registers/1/delegation-agreement", "{si}", "rules_version", 2);
	expect_status(r, 409); /* once */
	resp_free(&r);
	r = delegated_row("snia-delegated-2");
	expect_status(r, 201);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/work-registers/1", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "delegation_agreements")), 2); /* who agreed to which, when */
	resp_free(&r);
}

/* A setting the domain checks beyond its type (domain/settings.c, through
 * the engine's setting_check): refused naming the field, nothing kept;
 * and the id filters the engine derives from an action's query keys. */
static void test_settings_checked_by_the_domain_and_id_filters(void **state)
{
	(void)state;
	struct resp r = as(&S, ADMIN, "PATCH", "/api/v1/settings", "{ss}", "review_reminder_days", "60,14");
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "review_reminder_days"), "60,14");
	resp_free(&r);
	r = as(&S, ADMIN, "PATCH", "/api/v1/settings", "{ss ss}", "press_address", "press@registry.example", "review_reminder_days", "90,soon");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "review_reminder_days");
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/settings", NULL);
	assert_string_equal(jstr(r.json, "review_reminder_days"), "60,14"); /* the refused change kept nothing */
	assert_true(!jstr(r.json, "press_address") || strcmp(jstr(r.json, "press_address"), "press@registry.example"));
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/outbox?person_id=twelve", NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "person_id");
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/tasks?assignee_id=-3", NULL);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "assignee_id");
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/outbox?person_id=999999&limit=5", NULL);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0); /* the filter holds */
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R37_standard_types_are_data_an_administrator_edits),
		cmocka_unit_test(test_R44_register_of_dmtf_standards),
		cmocka_unit_test(test_R41_overlapping_domains_across_partners),
		cmocka_unit_test(test_R35_delegated_work_needs_the_partners_agreement),
		cmocka_unit_test(test_settings_checked_by_the_domain_and_id_filters),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
