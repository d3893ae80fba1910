/* entente demo: demonstration data for `make run`, made through the same
 * door as everything else (so it is validated and audited). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define DEMO_PASSWORD "entente-demo"

struct demo_person { const char *name, *email, *org; int member; const char *officer; };

static const struct demo_person people[] = {
	{ "Vera Vance", "vp@dmtf.example", "DMTF", 1, "vp_alliances" },
	{ "Owen Ortiz", "owner@dmtf.example", "DMTF", 1, NULL },
	{ "Carla Chen", "chair@dmtf.example", "DMTF", 1, NULL },
	{ "Theo Tran", "tc@dmtf.example", "DMTF", 1, NULL },
	{ "Bea Brooks", "board@dmtf.example", "DMTF", 1, NULL },
	{ "Mark Moreau", "marketing@dmtf.example", "DMTF", 1, NULL },
	{ "Sam Patel", "sam@snia.example", "SNIA", 1, NULL },
	{ "Greta Green", "greta@tgg.example", "TGG", 0, NULL },
};

/* person index, body name, role */
static const struct { int who; const char *body, *role; } seats[] = {
	{ 2, "Alliance Committee", "chair" }, { 0, "Alliance Committee", "voting" }, { 1, "Alliance Committee", "voting" },
	{ 3, "Technical Committee", "chair" }, { 1, "Technical Committee", "voting" },
	{ 4, "Board of Directors", "voting" }, { 0, "Board of Directors", "voting" },
	{ 4, "Executive Committee", "chair" }, { 5, "Marketing Committee", "chair" },
};

static int64_t find(struct cli *c, const char *action, const char *key, const char *value)
{
	json_t *out = NULL, *items;
	int64_t id = 0;
	if (cli_call(c, action, NULL, NULL, &out))
		return 0;
	items = json_object_get(out, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(items, i), key)), value))
			id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
	json_decref(out);
	if (!id)
		fprintf(stderr, "%s: no %s '%s': run entente init first\n", c->prog, key, value);
	return id;
}

static json_t *wr_params(int64_t wr)
{
	char s[24];
	snprintf(s, sizeof(s), "%lld", (long long)wr);
	return json_pack("{ss}", "id", s);
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	int64_t pid[sizeof(people) / sizeof(*people)], snia, tgg, tc, ac, wg, wr;
	(void)argc;
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: entente demo\n\nAdds partners (SNIA, TGG), people with the password '%s', their seats,\n"
		       "and Work Registers to try the process with.\n", DEMO_PASSWORD);
		return 0;
	}
	if (!(snia = cli_make(c, "org.create", NULL, json_pack("{ss ss ss}", "name", "Storage Networking Industry Association",
							       "short_name", "SNIA", "website", "https://www.snia.org"))) ||
	    !(tgg = cli_make(c, "org.create", NULL, json_pack("{ss ss ss}", "name", "The Green Grid", "short_name", "TGG",
							      "website", "https://www.thegreengrid.org"))) ||
	    !(tc = find(c, "body.list", "name", "Technical Committee")) || !(ac = find(c, "body.list", "name", "Alliance Committee")))
		return 1;
	int64_t host = find(c, "org.list", "short_name", "DMTF");
	if (!host)
		return 1;
	for (size_t i = 0; i < sizeof(people) / sizeof(*people); i++) {
		const struct demo_person *p = &people[i];
		int64_t org = !strcmp(p->org, "DMTF") ? host : !strcmp(p->org, "SNIA") ? snia : tgg;
		pid[i] = cli_make(c, "person.create", NULL, json_pack("{ss ss sI sb}", "name", p->name, "email", p->email,
								      "org_id", (json_int_t)org, "dmtf_member", p->member));
		if (!pid[i] || cli_call_take(c, "password.set", json_pack("{ss ss}", "email", p->email, "password", DEMO_PASSWORD)))
			return 1;
		if (p->officer && !cli_make(c, "officer.add", NULL, json_pack("{sI ss}", "person_id", (json_int_t)pid[i], "role", p->officer)))
			return 1;
	}
	for (size_t i = 0; i < sizeof(seats) / sizeof(*seats); i++) {
		int64_t body = find(c, "body.list", "name", seats[i].body);
		char sb[24];
		snprintf(sb, sizeof(sb), "%lld", (long long)body);
		if (!body || !cli_make(c, "member.add", json_pack("{ss}", "id", sb),
				       json_pack("{sI ss}", "person_id", (json_int_t)pid[seats[i].who], "role", seats[i].role)))
			return 1;
	}
	if (!(wg = cli_make(c, "body.create", NULL, json_pack("{ss ss sI}", "name", "Storage Management Working Group",
							   "kind", "working_group", "parent_id", (json_int_t)tc))))
		return 1;
	/* R44: the register of DMTF standards that change requests name */
	static const struct { const char *dsp, *title, *version; int wg; } dsps[] = {
		{ "DSP0004", "CIM Infrastructure Specification", "2.8.0", 0 },
		{ "DSP0200", "CIM Operations over HTTP", "1.4.0", 0 },
		{ "DSP1001", "Management Profile Specification Usage Guide", "1.2.0", 0 },
		{ "DSP1033", "Profile Registration Profile", "1.1.0", 1 },
	};
	for (size_t i = 0; i < sizeof(dsps) / sizeof(*dsps); i++)
		if (!cli_make(c, "dmtf_standard.create", NULL, json_pack("{ss ss ss sI}", "dsp", dsps[i].dsp, "title", dsps[i].title,
									 "version", dsps[i].version, "body_id", (json_int_t)(dsps[i].wg ? wg : tc))))
			return 1;
	if (!cli_make(c, "dmtf_standard.create", NULL, json_pack("{ss ss ss sI}", "dsp", "DSP4003", "title", "Alliance Partner Process",
								 "version", "1.3.0", "body_id", (json_int_t)ac)))
		return 1;
	wr = cli_make(c, "wr.create", NULL, json_pack("{sI ss sI ss ss ss}", "partner_id", (json_int_t)snia,
		"title", "SNIA and DMTF: storage management standards", "owner_id", (json_int_t)pid[1],
		"scope", "Joint development of **storage management** models that build on CIM.",
		"benefits", "One model for storage and server management; fewer redundant efforts.",
		"deliverables", "- Storage schema contributed to the CIM schema\n- Storage device profiles maintained by SNIA"));
	if (!wr ||
	    !cli_make(c, "milestone.add", wr_params(wr), json_pack("{ss sI sI ss}", "description", "Storage schema submitted to DMTF",
		"body_id", (json_int_t)tc, "wg_id", (json_int_t)wg, "target_date", "2027-06-30")) ||
	    !cli_make(c, "milestone.add", wr_params(wr), json_pack("{ss sI ss}", "description", "Joint review of the Work Register",
		"body_id", (json_int_t)ac, "target_date", "2027-12-31")) ||
	    !cli_make(c, "contact.add", wr_params(wr), json_pack("{ss ss ss}", "name", "Sam Patel", "email", "sam@snia.example", "role", "board_rep")) ||
	    !cli_make(c, "contact.add", wr_params(wr), json_pack("{ss ss ss}", "name", "SNIA press office", "email", "press@snia.example", "role", "pr")) ||
	    /* Table 2 of the seed, with SNIA for XYZ */
	    !cli_make(c, "standard.add", wr_params(wr), json_pack("{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint",
		"standard_type", "schema", "ap_id", "snia_schema", "description", "schema", "domain", "Storage", "lead_org", "SNIA",
		"ip_policy", "DMTF", "owning_org", "DMTF", "developing_org", "partner", "maintaining_org", "DMTF")) ||
	    !cli_make(c, "standard.add", wr_params(wr), json_pack("{ss ss ss ss ss ss ss ss ss ss sb}", "kind", "delegated",
		"standard_type", "profile", "ap_id", "Storage Device Profiles", "description", "Profile group", "domain", "Storage",
		"lead_org", "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner",
		"maintaining_org", "partner", "is_group", 1)))
		return 1;
	if (!cli_make(c, "wr.create", NULL, json_pack("{sI ss ss ss}", "partner_id", (json_int_t)tgg, "title",
		"TGG and DMTF: data center facilities", "proposed_by", "partner",
		"scope", "Management of non-IT data center equipment and facilities.")))
		return 1;
	printf("demo data added; every demo account's password is %s\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof(people) / sizeof(*people); i++)
		printf("  %-24s %-12s %s\n", people[i].email, people[i].org, people[i].name);
	return 0;
}
