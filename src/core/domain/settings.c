/* The settings DSP4003 asks for (the engine keeps them: engine/settings.c):
 * their specification, and what a change of one checks or sets in motion. */
#include <stdio.h>
#include <string.h>

#include "core/domain/registry.h"
#include "core/domain/settings.h"
#include "core/engine/ctx.h"
#include "core/engine/twofactor.h"

const struct jfield core__settings_spec[] = {
	{ .name = "requests_address", .type = JT_EMAIL, .rule = "R9" },
	{ .name = "alliance_list_address", .type = JT_EMAIL, .rule = "R9" },
	{ .name = "press_address", .type = JT_EMAIL, .rule = "R9" },
	{ .name = "review_months", .type = JT_INT, .min = 1, .max = 120, .rule = "R27" },
	{ .name = "stagnation_months", .type = JT_INT, .min = 1, .max = 120, .rule = "R31" },
	{ .name = "review_reminder_days", .type = JT_STR, .max = 100, .rule = "R27" },
	{ .name = "drafting_reminder_days", .type = JT_STR, .max = 100, .rule = "R13" },
	/* R17: a ballot's voters who have not voted hear of its deadline then */
	{ .name = "deadline_reminder_days", .type = JT_STR, .max = 100, .rule = "R17" },
	/* the hour (UTC) the daily digests go out, for people who chose them */
	{ .name = "digest_hour", .type = JT_INT, .min = 0, .max = 23 },
	{ .name = "ip_policy_text", .type = JT_TEXT, .flags = JF_NULLABLE, .max = 50000, .rule = "R46" },
	{ .name = "ip_policy_url", .type = JT_URL, .flags = JF_NULLABLE, .rule = "R46" },
	{ .name = "delegation_rules_text", .type = JT_TEXT, .max = 50000, .rule = "R35" },
	{ .name = "feedback_from_anyone", .type = JT_BOOL, .rule = "R42" },
	{ .name = "git_commit_url", .type = JT_URL, .flags = JF_NULLABLE, .rule = "R21" },
	/* issue 24: the roles that must sign in with a second factor
	 * (admin, vp_alliances, board, executive; empty: none) */
	{ .name = "two_factor_roles", .type = JT_STR, .max = 100 },
	{ 0 }
};

/* Before a setting is stored: its form beyond its type, and R35 (every
 * version of the delegation rules is kept). */
int core__setting_check(struct ctx *x, const char *key, const char *value, struct err *e)
{
	if (!strcmp(key, "review_reminder_days") || !strcmp(key, "drafting_reminder_days") || !strcmp(key, "deadline_reminder_days"))
		for (const char *p = value; *p; p++)
			if ((*p < '0' || *p > '9') && *p != ',')
				return err_set(e, E_INVALID, key, "a comma-separated list of days, e.g. 90,30,7");
	if (!strcmp(key, "two_factor_roles")) {
		char buf[101], *save = NULL;
		snprintf(buf, sizeof(buf), "%s", value);
		for (char *r = strtok_r(buf, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
			int ok = 0;
			for (int i = 0; core__two_factor_roles[i]; i++)
				ok |= !strcmp(r, core__two_factor_roles[i]);
			if (!ok)
				return err_set(e, E_INVALID, key, "a comma-separated list of: admin, vp_alliances, board, executive (\"%s\" is none)", r);
		}
	}
	if (!strcmp(key, "delegation_rules_text"))
		return core__delegation_rules_record(x, value, e);
	return 0;
}
