/* The action table: every read and change entente knows, who may take it
 * and the rule it cites. This is the one place permissions live; the HTTP
 * route table and the CLI only name actions. Read it beside RULES.md.
 *
 * Grants: ANY any signed-in person; ADMIN administrator; VP VP of Alliances;
 * STAFF a person of the host organization; PARTNER a representative of the
 * partner the record belongs to; OWNER the WR owner; PROPOSER who proposed
 * the WR; SELF the person in question. The local operator (CLI) holds all.
 * Reads of a partner's records by another partner answer 404 (scope). */
#include "core/internal.h"

#define R  0u
#define W  A_WRITE
#define WR_EDIT (G_ADMIN | G_VP | G_OWNER | G_PROPOSER | G_PARTNER) /* R13 */
#define LIST "cursor,limit"

const struct action core__actions[] = {
	/* name, flags, who, rule, summary, body, query | grants, scope, run */
	{ { "session.create", W | A_PUBLIC | A_CREATE, "anyone", NULL, "sign in", core__session_spec, NULL },
	  0, core__scope_none, core__session_create },
	{ { "session.delete", W, "the signed-in person", NULL, "sign out", NULL, NULL },
	  G_ANY, core__scope_none, core__session_delete },
	{ { "me.get", R, "the signed-in person", NULL, "see who they are", NULL, NULL },
	  G_ANY, core__scope_none, core__me_get },
	{ { "token.create", W | A_CREATE, "administrator", NULL, "create an API token", core__token_spec, NULL },
	  G_ADMIN, core__scope_none, core__token_create },
	{ { "token.revoke", W, "administrator", NULL, "revoke an API token", NULL, NULL },
	  G_ADMIN, core__scope_none, core__token_revoke },
	{ { "token.list", R, "administrator", NULL, "list API tokens", NULL, "email" },
	  G_ADMIN, core__scope_none, core__token_list },
	{ { "password.set", W | A_CREATE, "administrator", NULL, "set a password", core__password_spec, NULL },
	  G_ADMIN, core__scope_none, core__password_set },

	{ { "org.list", R, "signed-in people (partners see their own)", NULL, "list organizations", NULL, LIST ",kind,status" },
	  G_ANY, core__scope_none, core__org_list },
	{ { "org.get", R, "staff, the organization's people", NULL, "read an organization", NULL, NULL },
	  G_ANY, core__scope_org, core__org_get },
	{ { "org.create", W | A_CREATE, "administrator, VP of Alliances", NULL, "create an organization", core__org_spec, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__org_create },
	{ { "org.update", W, "administrator, VP of Alliances", NULL, "change an organization", core__org_spec, NULL },
	  G_ADMIN | G_VP, core__scope_org, core__org_update },

	{ { "person.list", R, "signed-in people (partners see their own)", NULL, "list people", NULL, LIST ",org_id,email" },
	  G_ANY, core__scope_none, core__person_list },
	{ { "person.get", R, "staff, the person's organization", NULL, "read a person", NULL, NULL },
	  G_ANY, core__scope_person, core__person_get },
	{ { "person.create", W | A_CREATE, "administrator, VP of Alliances", NULL, "create a person", core__person_spec, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__person_create },
	{ { "person.update", W, "administrator, VP of Alliances", NULL, "change a person", core__person_spec, NULL },
	  G_ADMIN | G_VP, core__scope_person, core__person_update },
	{ { "officer.list", R, "signed-in people", "R8", "list officer roles", NULL, LIST ",role,person_id" },
	  G_ANY, core__scope_none, core__officer_list },
	{ { "officer.add", W | A_CREATE, "administrator", "R8", "assign an officer role", core__officer_spec, NULL },
	  G_ADMIN, core__scope_none, core__officer_add },
	{ { "officer.update", W, "administrator", "R8", "change an officer role", core__officer_spec, NULL },
	  G_ADMIN, core__scope_none, core__officer_update },

	{ { "body.list", R, "signed-in people", NULL, "list bodies", NULL, LIST ",kind,parent_id" },
	  G_ANY, core__scope_none, core__body_list },
	{ { "body.get", R, "signed-in people", NULL, "read a body", NULL, NULL },
	  G_ANY, core__scope_none, core__body_get },
	{ { "body.create", W | A_CREATE, "administrator", NULL, "create a body", core__body_spec, NULL },
	  G_ADMIN, core__scope_none, core__body_create },
	{ { "body.update", W, "administrator", NULL, "change a body", core__body_spec, NULL },
	  G_ADMIN, core__scope_none, core__body_update },
	{ { "member.list", R, "signed-in people", NULL, "list a body's members", NULL, LIST ",active" },
	  G_ANY, core__scope_none, core__member_list },
	{ { "member.add", W | A_CREATE, "administrator", NULL, "add a member to a body", core__member_spec, NULL },
	  G_ADMIN, core__scope_none, core__member_add },
	{ { "member.update", W, "administrator", NULL, "change a membership", core__member_spec, NULL },
	  G_ADMIN, core__scope_none, core__member_update },

	{ { "wr.list", R, "signed-in people (partners see their own)", NULL, "list Work Registers", NULL, LIST ",status,partner_id,owner_id" },
	  G_ANY, core__scope_none, core__wr_list },
	{ { "wr.get", R, "staff, the partner's representatives", NULL, "read a Work Register", NULL, NULL },
	  G_ANY, core__scope_wr, core__wr_get },
	{ { "wr.create", W | A_CREATE, "staff of a member company, the partner's representatives", "R10", "propose a Work Register for this partner", core__wr_spec, NULL },
	  G_STAFF | G_PARTNER, core__scope_wr_create, core__wr_create },
	{ { "wr.update", W | A_REVISION | A_IFMATCH, "administrator, VP, owner, proposer, the partner's representatives", "R13", "edit this Work Register", core__wr_spec, NULL },
	  WR_EDIT, core__scope_wr, core__wr_update },
	/* The sections of the template (R12), each its own set of actions. */
#define SECTION(n, spec) \
	{ { n ".list", R, "staff, the partner's representatives", NULL, "read this Work Register", NULL, LIST }, \
	  G_ANY, core__scope_wr, core__section_list }, \
	{ { n ".add", W | A_CREATE | A_REVISION, "administrator, VP, owner, proposer, the partner's representatives", "R13", "edit this Work Register", spec, NULL }, \
	  WR_EDIT, core__scope_wr, core__section_add }, \
	{ { n ".update", W | A_REVISION | A_IFMATCH, "administrator, VP, owner, proposer, the partner's representatives", "R13", "edit this Work Register", spec, NULL }, \
	  WR_EDIT, core__scope_wr, core__section_update }, \
	{ { n ".delete", W | A_REVISION | A_IFMATCH, "administrator, VP, owner, proposer, the partner's representatives", "R13", "edit this Work Register", NULL, NULL }, \
	  WR_EDIT, core__scope_wr, core__section_delete }
	SECTION("milestone", core__milestone_spec),
	SECTION("contact", core__contact_spec),
	SECTION("standard", core__standard_spec),
#undef SECTION
	{ { "standard.replace", W | A_CREATE | A_REVISION | A_IFMATCH, "administrator, VP, owner, proposer, the partner's representatives", "R39", "edit this Work Register", core__replace_spec, NULL },
	  WR_EDIT, core__scope_wr, core__standard_replace },
	{ { "version.list", R, "staff, the partner's representatives", "R50", "list versions", NULL, LIST },
	  G_ANY, core__scope_wr, core__version_list },
	{ { "version.get", R, "staff, the partner's representatives", "R50", "read a version", NULL, NULL },
	  G_ANY, core__scope_wr, core__version_get },
	{ { "history.list", R, "staff, the partner's representatives", "R50", "read the change history", NULL, NULL },
	  G_ANY, core__scope_wr, core__history_list },
	{ { "standard_type.list", R, "signed-in people", "R37", "list the DMTF specification types", NULL, NULL },
	  G_ANY, core__scope_none, core__standard_type_list },
	{ { "audit.list", R, "administrator", NULL, "read the audit log", NULL, LIST ",target_type,target_id" },
	  G_ADMIN, core__scope_none, core__audit_list },
	{ { NULL, 0, NULL, NULL, NULL, NULL, NULL }, 0, NULL, NULL },
};
