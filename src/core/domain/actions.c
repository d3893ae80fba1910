/* The action table: every read and change entente knows, who may take it
 * and the rule it cites. This is the one place permissions live; the HTTP
 * route table and the CLI only name actions. Read it beside RULES.md.
 *
 * Grants: ANY any signed-in person; ADMIN administrator; VP VP of Alliances;
 * STAFF a person of the host organization; PARTNER a representative of the
 * partner the record belongs to; OWNER the WR owner; PROPOSER who proposed
 * the WR; SELF the person in question. The local operator (CLI) holds all.
 * Reads of a partner's records by another partner answer 404 (scope). */
#include "core/core.h"
#include "core/domain/actions.h"
#include "core/domain/amend.h"
#include "core/domain/ballot.h"
#include "core/domain/body.h"
#include "core/domain/calendar.h"
#include "core/domain/comment.h"
#include "core/domain/cr.h"
#include "core/domain/diff.h"
#include "core/domain/home.h"
#include "core/domain/lifecycle.h"
#include "core/domain/meeting.h"
#include "core/domain/notice.h"
#include "core/domain/org.h"
#include "core/domain/overlap.h"
#include "core/domain/public.h"
#include "core/domain/publish.h"
#include "core/domain/receipt.h"
#include "core/domain/registry.h"
#include "core/domain/review.h"
#include "core/domain/scope.h"
#include "core/domain/settings.h"
#include "core/domain/table1.h"
#include "core/domain/verify.h"
#include "core/domain/wr.h"
#include "core/engine/account.h"
#include "core/engine/actor.h"
#include "core/engine/auth.h"
#include "core/engine/chain.h"
#include "core/engine/check.h"
#include "core/engine/ctx.h"
#include "core/engine/door.h"
#include "core/engine/engine.h"
#include "core/engine/notify.h"
#include "core/engine/outbox.h"
#include "core/engine/process.h"
#include "core/engine/settings.h"
#include "core/engine/tasks.h"
#include "core/engine/twofactor.h"

#define R  0u
#define W  A_WRITE
#define WR_EDIT (G_ADMIN | G_VP | G_OWNER | G_PROPOSER | G_PARTNER) /* R13 */
#define LIST "cursor,limit"


const struct action core__actions[] = {
	/* name, flags, who, rule, summary, body, query | grants, scope, run */
	{ { "session.create", W | A_PUBLIC | A_NEW, "anyone", NULL, "sign in", core__session_spec, NULL },
	  0, core__scope_none, core__session_create },
	{ { "session.delete", W | A_EMPTY | A_ENROL, "the signed-in person", NULL, "sign out", NULL, NULL },
	  G_ANY, core__scope_none, core__session_delete },
	/* issue 24: people manage their own access (engine/account.c, twofactor.c) */
	{ { "session.list", R | A_ENROL, "the signed-in person", NULL, "list their sessions", NULL, NULL },
	  G_ANY, core__scope_none, core__session_list },
	{ { "session.end", W | A_EMPTY | A_ENROL, "the signed-in person", NULL, "end one of their sessions", NULL, NULL },
	  G_ANY, core__scope_none, core__session_end },
	{ { "session.touch", W | A_ENROL | A_UNAUDITED, "the server, for the session of a request", NULL, "note when a session was last used", NULL, NULL },
	  G_ANY, core__scope_none, core__session_touch },
	{ { "person.sessions_end", W, "administrator", NULL, "end every session of a person", NULL, NULL },
	  G_ADMIN, core__scope_person, core__person_sessions_end },
	{ { "password.change", W | A_BODY, "the signed-in person", NULL, "change their password", core__password_change_spec, NULL },
	  G_ANY, core__scope_none, core__password_change },
	{ { "password.forgot", W | A_PUBLIC | A_BODY, "anyone", NULL, "ask for a link to choose a new password", core__forgot_spec, NULL },
	  0, core__scope_none, core__password_forgot },
	{ { "link.check", R | A_PUBLIC | A_BODY, "whoever holds the link", NULL, "check an invitation or password-reset link", core__link_spec, NULL },
	  0, core__scope_none, core__link_check },
	{ { "link.use", W | A_PUBLIC | A_BODY, "whoever holds the link", NULL, "choose a password with an invitation or password-reset link", core__link_use_spec, NULL },
	  0, core__scope_none, core__link_use },
	{ { "invitation.create", W | A_NEW, "administrator, VP of Alliances (partners' representatives)", NULL, "invite a person", core__invitation_spec, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__invitation_create },
	{ { "invitation.list", R, "administrator, VP of Alliances (partners' representatives)", NULL, "list invitations", NULL, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__invitation_list },
	{ { "invitation.resend", W, "administrator, VP of Alliances (partners' representatives)", NULL, "send an invitation again, with a new link", NULL, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__invitation_resend },
	{ { "invitation.revoke", W, "administrator, VP of Alliances (partners' representatives)", NULL, "withdraw an invitation", NULL, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__invitation_revoke },
	{ { "totp.enrol", W | A_CREATE | A_ENROL, "the signed-in person", NULL, "begin two-factor sign-in: a new key for an authenticator app", NULL, NULL },
	  G_ANY, core__scope_none, core__totp_enrol },
	{ { "totp.confirm", W | A_BODY | A_ENROL, "the signed-in person", NULL, "turn two-factor sign-in on with a code of the app", core__totp_confirm_spec, NULL },
	  G_ANY, core__scope_none, core__totp_confirm },
	{ { "totp.disable", W | A_BODY, "the signed-in person", NULL, "turn two-factor sign-in off", core__totp_password_spec, NULL },
	  G_ANY, core__scope_none, core__totp_disable },
	{ { "recovery.renew", W | A_BODY, "the signed-in person", NULL, "make new recovery codes", core__totp_password_spec, NULL },
	  G_ANY, core__scope_none, core__recovery_renew },
	{ { "totp.reset", W, "administrator", NULL, "remove a person's second factor (a lost device)", NULL, NULL },
	  G_ADMIN, core__scope_person, core__totp_reset },
	{ { "me.export", R, "the signed-in person", NULL, "download what the system holds about them", NULL, NULL },
	  G_ANY, core__scope_none, core__me_export },
	{ { "me.get", R | A_ENROL, "the signed-in person", NULL, "see who they are", NULL, NULL },
	  G_ANY, core__scope_none, core__me_get },
	{ { "me.update", W, "the signed-in person", NULL, "change their notification preferences", core__me_spec, NULL },
	  G_ANY, core__scope_none, core__me_update },
	{ { "me.calendar", W | A_CREATE, "the signed-in person", NULL, "make a new secret address for their calendar feed", NULL, NULL },
	  G_ANY, core__scope_none, core__calendar_rotate },
	/* the secret address is the credential (calendar.c) */
	{ { "calendar.person", R | A_PUBLIC, "whoever holds the person's secret address", NULL, "read a person's calendar", NULL, NULL },
	  0, core__scope_none, core__calendar_person },
	{ { "calendar.public", R | A_PUBLIC, "anyone", "R27", "read the published review dates", NULL, NULL },
	  0, core__scope_none, core__calendar_public },
	{ { "token.create", W | A_NEW, "administrator", NULL, "create an API token", core__token_spec, NULL },
	  G_ADMIN, core__scope_none, core__token_create },
	{ { "token.revoke", W, "administrator", NULL, "revoke an API token", NULL, NULL },
	  G_ADMIN, core__scope_none, core__token_revoke },
	{ { "token.list", R, "administrator", NULL, "list API tokens", NULL, "email" },
	  G_ADMIN, core__scope_none, core__token_list },
	{ { "password.set", W | A_BODY, "administrator", NULL, "set a password", core__password_spec, NULL },
	  G_ADMIN, core__scope_none, core__password_set },

	{ { "org.list", R, "signed-in people (partners see their own)", NULL, "list organizations", NULL, LIST ",kind,status" },
	  G_ANY, core__scope_none, core__org_list },
	{ { "org.get", R, "staff, the organization's people", NULL, "read an organization", NULL, NULL },
	  G_ANY, core__scope_org, core__org_get },
	{ { "org.create", W | A_NEW, "administrator, VP of Alliances", NULL, "create an organization", core__org_spec, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__org_create },
	{ { "org.update", W, "administrator, VP of Alliances", NULL, "change an organization", core__org_spec, NULL },
	  G_ADMIN | G_VP, core__scope_org, core__org_update },

	{ { "person.list", R, "signed-in people (partners see their own)", NULL, "list people", NULL, LIST ",org_id,email" },
	  G_ANY, core__scope_none, core__person_list },
	{ { "person.get", R, "staff, the person's organization", NULL, "read a person", NULL, NULL },
	  G_ANY, core__scope_person, core__person_get },
	{ { "person.create", W | A_NEW, "administrator, VP of Alliances", NULL, "create a person", core__person_spec, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__person_create },
	{ { "person.update", W, "administrator, VP of Alliances", NULL, "change a person", core__person_spec, NULL },
	  G_ADMIN | G_VP, core__scope_person, core__person_update },
	{ { "officer.list", R, "signed-in people", "R8", "list officer roles", NULL, LIST ",role,person_id" },
	  G_ANY, core__scope_none, core__officer_list },
	{ { "officer.add", W | A_NEW, "administrator", "R8", "assign an officer role", core__officer_spec, NULL },
	  G_ADMIN, core__scope_none, core__officer_add },
	{ { "officer.update", W, "administrator", "R8", "change an officer role", core__officer_spec, NULL },
	  G_ADMIN, core__scope_none, core__officer_update },

	{ { "body.list", R, "signed-in people", NULL, "list bodies", NULL, LIST ",kind,parent_id" },
	  G_ANY, core__scope_none, core__body_list },
	{ { "body.get", R, "signed-in people", NULL, "read a body", NULL, NULL },
	  G_ANY, core__scope_none, core__body_get },
	{ { "body.create", W | A_NEW, "administrator", NULL, "create a body", core__body_spec, NULL },
	  G_ADMIN, core__scope_none, core__body_create },
	{ { "body.update", W, "administrator", NULL, "change a body", core__body_spec, NULL },
	  G_ADMIN, core__scope_none, core__body_update },
	{ { "member.list", R, "signed-in people", NULL, "list a body's members", NULL, LIST ",active" },
	  G_ANY, core__scope_body, core__member_list },
	{ { "member.add", W | A_NEW, "administrator", NULL, "add a member to a body", core__member_spec, NULL },
	  G_ADMIN, core__scope_body, core__member_add },
	{ { "member.update", W, "administrator", NULL, "change a membership", core__member_spec, NULL },
	  G_ADMIN, core__scope_body, core__member_update },

	{ { "wr.list", R | A_CACHE | A_VARY_ORG, "signed-in people (partners see their own)", NULL, "list Work Registers", NULL, LIST ",status,partner_id,owner_id,q" },
	  G_ANY, core__scope_none, core__wr_list },
	{ { "wr.get", R | A_CACHE, "staff, the partner's representatives", NULL, "read a Work Register (as_of: as it stood then)", NULL, "as_of" },
	  G_ANY, core__scope_wr, core__wr_get },
	{ { "wr.diff", R, "staff, the partner's representatives", "R50", "compare two versions of a Work Register", NULL, "from,to" },
	  G_ANY, core__scope_wr, core__wr_diff },
	{ { "wr.create", W | A_NEW, "staff of a member company, the partner's representatives", "R10", "propose a Work Register for this partner", core__wr_spec, NULL },
	  G_STAFF | G_PARTNER, core__scope_wr_create, core__wr_create },
	{ { "wr.update", W | A_REVISION | A_IFMATCH, "administrator, VP, owner, proposer, the partner's representatives", "R13", "edit this Work Register", core__wr_spec, NULL },
	  WR_EDIT, core__scope_wr, core__wr_update },
	/* The sections of the template (R12), each its own set of actions. */
#define SECTION(n, spec) \
	{ { n ".list", R, "staff, the partner's representatives", NULL, "read this Work Register", NULL, LIST }, \
	  G_ANY, core__scope_wr, core__section_list }, \
	{ { n ".add", W | A_NEW | A_REVISION, "administrator, VP, owner, proposer, the partner's representatives", "R13", "edit this Work Register", spec, NULL }, \
	  WR_EDIT, core__scope_wr, core__section_add }, \
	{ { n ".update", W | A_REVISION | A_IFMATCH, "administrator, VP, owner, proposer, the partner's representatives", "R13", "edit this Work Register", spec, NULL }, \
	  WR_EDIT, core__scope_wr, core__section_update }, \
	{ { n ".delete", W | A_REVISION | A_IFMATCH | A_EMPTY, "administrator, VP, owner, proposer, the partner's representatives", "R13", "edit this Work Register", NULL, NULL }, \
	  WR_EDIT, core__scope_wr, core__section_delete }
	SECTION("milestone", core__milestone_spec),
	SECTION("contact", core__contact_spec),
	SECTION("standard", core__standard_spec),
#undef SECTION
	{ { "standard.replace", W | A_NEW | A_REVISION | A_IFMATCH, "administrator, VP, owner, proposer, the partner's representatives", "R39", "edit this Work Register", core__replace_spec, NULL },
	  WR_EDIT, core__scope_wr, core__standard_replace },
	{ { "version.list", R, "staff, the partner's representatives", "R50", "list versions", NULL, LIST },
	  G_ANY, core__scope_wr, core__version_list },
	{ { "version.get", R, "staff, the partner's representatives", "R50", "read a version", NULL, NULL },
	  G_ANY, core__scope_wr, core__version_get },
	{ { "history.list", R, "staff, the partner's representatives", "R50", "read the change history", NULL, NULL },
	  G_ANY, core__scope_wr, core__history_list },
	{ { "standard_type.list", R, "signed-in people", "R37", "list the DMTF specification types (all=true: retired ones too)", NULL, "all" },
	  G_ANY, core__scope_none, core__standard_type_list },
	{ { "standard_type.get", R, "signed-in people", "R37", "read a specification type and how many Table 1 rows use it", NULL, NULL },
	  G_ANY, core__scope_none, core__standard_type_get },
	{ { "standard_type.create", W | A_NEW, "administrator", "R37", "add a DMTF specification type", core__standard_type_spec, NULL },
	  G_ADMIN, core__scope_none, core__standard_type_create },
	{ { "standard_type.update", W, "administrator", "R37", "describe, rename (when unused) or retire a specification type", core__standard_type_spec, NULL },
	  G_ADMIN, core__scope_none, core__standard_type_update },
	{ { "standard_type.delete", W | A_EMPTY, "administrator", "R37", "delete a specification type no Table 1 row uses", NULL, NULL },
	  G_ADMIN, core__scope_none, core__standard_type_delete },
	{ { "dmtf_standard.list", R, "signed-in people", "R44", "list the register of DMTF standards (all=true: retired ones too)", NULL, LIST ",body_id,all" },
	  G_ANY, core__scope_none, core__dmtf_standard_list },
	{ { "dmtf_standard.get", R, "signed-in people", "R44", "read a DMTF standard of the register", NULL, NULL },
	  G_ANY, core__scope_none, core__dmtf_standard_get },
	{ { "dmtf_standard.create", W | A_NEW, "administrator, VP of Alliances", "R44", "add a DMTF standard to the register", core__dmtf_standard_spec, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__dmtf_standard_create },
	{ { "dmtf_standard.update", W, "administrator, VP of Alliances", "R44", "change or retire a DMTF standard of the register", core__dmtf_standard_spec, NULL },
	  G_ADMIN | G_VP, core__scope_none, core__dmtf_standard_update },
	{ { "delegation_rules.get", R, "signed-in people", "R35", "read the delegation rules in force and their earlier versions", NULL, NULL },
	  G_ANY, core__scope_none, core__delegation_rules_get },
	{ { "delegation.agree", W | A_NEW, "the partner's representatives", "R35",
	    "record the partner's agreement to the delegation rules in force", core__delegation_agree_spec, NULL },
	  G_PARTNER, core__scope_wr, core__delegation_agree },
	{ { "overlap.list", R, "host staff (the VP of Alliances foremost)", "R41",
	    "see which information-management domains which partners' Table 1 rows cover, and where they overlap", NULL, NULL },
	  G_STAFF | G_VP | G_ADMIN, core__scope_none, core__overlap_list },
	{ { "audit.list", R, "administrator", NULL, "read the audit log", NULL, LIST ",target_type,target_id" },
	  G_ADMIN, core__scope_none, core__audit_list },
	{ { "audit.verify", R, "administrator", NULL,
	    "recompute the audit chain and check the records against it (from the newest checkpoint that holds; ?full=true: all)", NULL, "full" },
	  G_ADMIN, core__scope_none, core__audit_verify },
	{ { "audit.head", R, "administrator", NULL, "read the audit chain's head and length", NULL, NULL },
	  G_ADMIN, core__scope_none, core__audit_head },
	{ { "audit.tip", R, "the server's signer", NULL, "read the last audit event's id and hash (?at=N: and event N's hash)", NULL, "at" },
	  G_SYSTEM, core__scope_none, core__audit_tip },
	{ { "audit.rollback", W, "the server's signer", NULL, "record that the operator accepted a rolled-back database (issue 23)",
	    core__rollback_spec, NULL },
	  G_SYSTEM, core__scope_none, core__rollback_accept },
	{ { "audit.export", R, "administrator", NULL, "export the audit record and its checkpoints", NULL, NULL },
	  G_ADMIN, core__scope_none, core__audit_export },
	{ { "checkpoint.record", W | A_CREATE, "the server's signer", NULL, "record a signed checkpoint of the audit chain", core__checkpoint_spec, NULL },
	  G_SYSTEM, core__scope_none, core__checkpoint_record },
	/* issue 24: entente keys rotate (seal.c); CORE_KEY_ROTATION */
	{ { "signing_key.rotate", W | A_BODY, "the server's signer", NULL, "record that the checkpoint signing key was rotated (issue 24)",
	    core__key_rotate_spec, NULL },
	  G_SYSTEM, core__scope_none, core__key_rotate },
	{ { "checkpoint.last", R, "the server", NULL, "the newest checkpoint's event and time, and the chain's last event", NULL, NULL },
	  G_SYSTEM, core__scope_none, core__checkpoint_last },
	{ { "checkpoint.list", R | A_PUBLIC, "anyone", NULL, "read the signed checkpoints of the audit chain", NULL, NULL },
	  0, core__scope_none, core__checkpoint_list },

	{ { "public.list", R | A_PUBLIC | A_CACHE, "anyone", "R21",
	    "read the public work-register site, 100 WRs a page (?after=N: the page after WR N)", NULL, "after" },
	  0, core__scope_none, core__public_list },
	{ { "public.get", R | A_PUBLIC | A_CACHE, "anyone", "R21", "read an approved Work Register", NULL, NULL },
	  0, core__scope_none, core__public_get },
	{ { "public.feed", R | A_PUBLIC | A_CACHE, "anyone", "R21",
	    "read the feed of approvals and updates, newest first, 50 a page (?before=N: the page after, RFC 5005)", NULL, "before" },
	  0, core__scope_none, core__public_feed },
	{ { "public.diff", R | A_PUBLIC, "anyone", "R21", "compare two published versions of an approved Work Register", NULL, "from,to" },
	  0, core__scope_none, core__public_diff },
	{ { "wr.actions", R, "staff, the partner's representatives", NULL, "see what they may do next", NULL, NULL },
	  G_ANY, core__scope_wr, core__record_actions },
	/* issue 25: a change request's and a meeting's, so that no page offers a step the server refuses */
	{ { "cr.actions", R, "host staff, the submitter, the partner's representatives", NULL, "see what they may do next", NULL, NULL },
	  G_ANY, core__scope_cr, core__record_actions },
	{ { "meeting.actions", R, "host staff, the partner's people", NULL, "see what they may do next", NULL, NULL },
	  G_ANY, core__scope_meeting, core__record_actions },
	{ { "markdown.render", R | A_BODY, "signed-in people", NULL, "render Markdown", core__markdown_spec, NULL },
	  G_ANY, core__scope_none, core__markdown_render },
	{ { "process.show", R, "signed-in people", NULL, "read a process table (name: work_register, change_request, meeting)", NULL, "name" },
	  G_ANY, core__scope_none, core__process_show },

	/* Change requests (R42-R45, cr.c) and joint meetings (R45-R49,
	 * meeting.c): their steps come from their process tables. */
	{ { "cr.list", R, "host staff; a partner's representatives their partner's", "R42", "list change requests", NULL,
	    LIST ",status,body_id,partner_id" },
	  G_ANY, core__scope_none, core__cr_list },
	{ { "cr.get", R, "host staff, the submitter, the partner's representatives", "R44", "read a change request", NULL, NULL },
	  G_ANY, core__scope_cr, core__record_get },
	{ { "cr.create", W | A_NEW, "partners' representatives (anyone signed in where the settings allow)", "R42",
	    "submit a change request through the feedback portal", core__cr_spec, NULL },
	  G_ANY, core__scope_none, core__cr_create },
	{ { "cr.message", W | A_NEW, "the owning body's chair, the VP, the submitter, the partner's representatives", "R44",
	    "write on a change request", core__cr_message_spec, NULL },
	  G_BODY_CHAIR | G_VP | G_PROPOSER | G_PARTNER, core__scope_cr, core__cr_message },
	{ { "meeting.list", R, "host staff; a partner's people their partner's", "R45", "list joint meetings", NULL,
	    LIST ",status,body_id,partner_id,cr_id,wr_id" },
	  G_ANY, core__scope_none, core__meeting_list },
	{ { "meeting.get", R, "host staff, the partner's people", "R46", "read a joint meeting", NULL, NULL },
	  G_ANY, core__scope_meeting, core__record_get },
	{ { "meeting.create", W | A_NEW, "the hosting body's chair, the VP", "R45", "schedule a joint meeting", core__meeting_spec, NULL },
	  G_BODY_CHAIR | G_VP, core__scope_meeting_create, core__meeting_create },
	{ { "participant.add", W | A_NEW, "the hosting body's chair, the VP", "R48", "add a participant", core__participant_spec, NULL },
	  G_BODY_CHAIR | G_VP, core__scope_meeting, core__participant_add },
	{ { "participant.update", W, "the hosting body's chair, the VP, the participant (their acknowledgment)", "R48",
	    "record presence, leaving, or the acknowledgment of the IP policy", core__participant_update_spec, NULL },
	  G_BODY_CHAIR | G_VP | G_SELF, core__scope_participant, core__participant_update },
	{ { "meeting.record", W | A_NEW, "the hosting body's chair, the VP, the body's members", "R49",
	    "record minutes, a decision or an item", core__meeting_record_spec, NULL },
	  G_BODY_CHAIR | G_VP | G_BODY_MEMBER, core__scope_meeting, core__meeting_record },

	{ { "ballot.list", R, "host staff", "R17", "list ballots", NULL, LIST ",status,wr_id,body_id" },
	  G_STAFF, core__scope_none, core__ballot_list },
	{ { "ballot.get", R, "voters, the owner, the VP, the body's members", "R17", "see this ballot", NULL, NULL },
	  G_VOTER | G_OWNER | G_VP | G_ADMIN | G_BODY_MEMBER, core__scope_ballot, core__ballot_get },
	{ { "ballot.vote", W | A_BODY, "the ballot's eligible voters", "R17", "vote in this ballot", core__vote_spec, NULL },
	  G_VOTER, core__scope_ballot_lean, core__ballot_vote },
	{ { "ballot.receipts", R, "voters, the owner, the VP, the body's members", NULL,
	    "read the ballot's chain of receipts and its signed seal (names for the body's members only)", NULL, NULL },
	  G_VOTER | G_OWNER | G_VP | G_ADMIN | G_BODY_MEMBER, core__scope_ballot, core__ballot_receipts },
	{ { "ballot.receipt_check", R | A_BODY, "voters, the owner, the VP, the body's members", NULL,
	    "check a vote's receipt against the ballot's chain, tally and seal", core__receipt_check_spec, NULL },
	  G_VOTER | G_OWNER | G_VP | G_ADMIN | G_BODY_MEMBER, core__scope_ballot, core__ballot_receipt_check },
	{ { "seal.due", R, "the server's signer", NULL, "list the closed ballots' seals waiting for a signature", NULL, NULL },
	  G_SYSTEM, core__scope_none, core__seal_due },
	{ { "seal.sign", W, "the server's signer", NULL, "record the signature of a closed ballot's seal", core__seal_spec, NULL },
	  G_SYSTEM, core__scope_none, core__seal_sign },

	{ { "comment.list", R, "staff, the partner's representatives", "R16", "read the comments", NULL, LIST ",status" },
	  G_ANY, core__scope_wr, core__comment_list },
	{ { "comment.add", W | A_NEW, "host staff, the partner's representatives", "R16", "comment on this draft", core__comment_spec, NULL },
	  G_STAFF | G_PARTNER, core__scope_wr, core__comment_add },
	{ { "comment.resolve", W | A_BODY, "the owner, the VP, the Originating Committee's chair; the author withdraws", "R16",
	    "close this comment", core__resolve_spec, NULL },
	  G_OWNER | G_VP | G_ORIG_CHAIR | G_SELF, core__scope_comment, core__comment_resolve },

	{ { "milestone.progress", W | A_BODY, "the owner, the VP, the partner's representatives", "R26", "record milestone progress",
	    core__progress_spec, NULL },
	  G_OWNER | G_VP | G_PARTNER, core__scope_wr, core__milestone_progress },

	{ { "amendment.list", R, "staff, the partner's representatives", "R22", "list amendments", NULL, NULL },
	  G_ANY, core__scope_wr, core__amendment_list },
	{ { "amendment.get", R, "staff, the partner's representatives", "R22", "read an amendment", NULL, NULL },
	  G_ANY, core__scope_wr, core__amendment_get },
	{ { "amendment.create", W | A_NEW, "the owner, the VP, the partner's representatives", "R22", "propose an amendment",
	    core__amendment_spec, NULL },
	  G_OWNER | G_VP | G_PARTNER, core__scope_wr, core__amendment_create },
	{ { "amendment.classify", W | A_BODY, "the Originating Committee's chair", "R23", "classify this amendment's significance",
	    core__classify_spec, NULL },
	  G_ORIG_CHAIR, core__scope_wr, core__amendment_classify },
	{ { "amendment.accept", W, "the partner's representatives", "R28", "accept this amendment for the partner", NULL, NULL },
	  G_PARTNER, core__scope_wr, core__amendment_accept },
	{ { "amendment.refuse", W, "the partner's representatives", "R28", "refuse this amendment for the partner", NULL, NULL },
	  G_PARTNER, core__scope_wr, core__amendment_refuse },
	{ { "amendment.withdraw", W | A_EMPTY, "the proposer, the owner, the VP", "R22", "withdraw this amendment", NULL, NULL },
	  G_OWNER | G_VP | G_PARTNER | G_STAFF, core__scope_wr, core__amendment_withdraw },

	{ { "task.list", R, "host staff", "R9", "list hand-off tasks", NULL, LIST ",status,wr_id,assignee_id" },
	  G_STAFF, core__scope_none, core__task_list },
	{ { "task.complete", W, "the assignee, the VP", "R9", "complete this task", core__note_spec, NULL },
	  G_SELF | G_VP, core__scope_task, core__task_complete },
	{ { "me.tasks", R | A_CACHE | A_VARY_PERSON, "the signed-in person", NULL, "see what waits for them", NULL, LIST },
	  G_ANY, core__scope_none, core__me_tasks },

	{ { "portfolio.show", R | A_CACHE, "host staff", "R27", "see every alliance at a glance: WRs by state, reviews due, stagnant WRs, open change requests by age", NULL, NULL },
	  G_STAFF, core__scope_none, core__portfolio },
	{ { "review.list", R, "host staff", "R27", "list the reviews due", NULL, "within_days" },
	  G_STAFF, core__scope_none, core__review_list },
	{ { "scheduler.run", W, "administrator, the server's scheduler", "R27", "run the scheduler", NULL, NULL },
	  G_ADMIN, core__scope_none, core__scheduler_run },

	{ { "notify_rule.list", R, "host staff", NULL, "read who hears of which event", NULL, LIST ",event" },
	  G_STAFF, core__scope_none, core__notify_rule_list },
	{ { "notify_rule.add", W | A_NEW, "administrator", NULL, "add a notification rule", core__notify_rule_spec, NULL },
	  G_ADMIN, core__scope_none, core__notify_rule_add },
	{ { "notify_rule.delete", W | A_EMPTY, "administrator", NULL, "remove a notification rule", NULL, NULL },
	  G_ADMIN, core__scope_none, core__notify_rule_delete },
	{ { "outbox.list", R, "administrator", NULL, "read the notification outbox", NULL, LIST ",wr_id,person_id,event,state" },
	  G_ADMIN, core__scope_none, core__outbox_list },
	{ { "outbox.stats", R, "administrator", NULL, "count the outbox's messages by delivery state", NULL, NULL },
	  G_ADMIN, core__scope_none, core__outbox_stats },
	{ { "outbox.retry", W, "administrator", NULL, "send a dead message again", NULL, NULL },
	  G_ADMIN, core__scope_none, core__outbox_retry },
	/* the deliverer's own verbs: the server's delivery worker and the local operator only */
	{ { "outbox.due", R, "the server's deliverer", NULL, "count the messages due for delivery", NULL, NULL },
	  G_SYSTEM, core__scope_none, core__outbox_due },
	{ { "outbox.claim", W, "the server's deliverer", NULL, "claim messages for delivery", core__outbox_claim_spec, NULL },
	  G_SYSTEM, core__scope_none, core__outbox_claim },
	{ { "outbox.result", W, "the server's deliverer", NULL, "report a delivery", core__outbox_result_spec, NULL },
	  G_SYSTEM, core__scope_none, core__outbox_result },
	/* the git publisher's verbs (R21): entente publish and the server's publisher only */
	{ { "publish.versions", R, "the server's publisher", "R21", "read the published versions of every WR", NULL, NULL },
	  G_SYSTEM, core__scope_none, core__publish_versions },
	{ { "publish.record", W, "the server's publisher", "R21", "record a published version's commit", core__publish_record_spec, NULL },
	  G_SYSTEM, core__scope_none, core__publish_record },
	{ { "settings.get", R, "signed-in people", NULL, "read the settings", NULL, NULL },
	  G_ANY, core__scope_none, core__settings_get },
	{ { "settings.update", W, "administrator", NULL, "change the settings", core__settings_spec, NULL },
	  G_ADMIN, core__scope_none, core__settings_update },
	/* the server's counters tell an outsider how it is being used: not public */
	{ { "metrics.read", R, "administrator (or a scraper at an address given to serve --metrics-from)", NULL,
	    "read the server's metrics (Prometheus text)", NULL, NULL },
	  G_ADMIN, core__scope_none, core__metrics_read },
	{ { NULL, 0, NULL, NULL, NULL, NULL, NULL }, 0, NULL, NULL },
};

/* ---- DSP4003 on the engine: its actions, its three processes, one event
 * that crosses from one domain module to another, and what only the domain
 * knows (its grants, whom a role names, what a message says). ---- */

static const struct process *const processes[] = { &core__wr_process, &core__cr_process, &core__meeting_process, NULL };

/* A ballot's result reaches the record it decides through the engine
 * (ballot.c names no WR step and no amendment); a WR's end reaches what is
 * pending on it and its Table 1 (lifecycle.c names no amendment). */
static const struct listener listeners[] = {
	{ "ballot.closed", core__amendment_ballot_closed },
	{ "ballot.closed", core__lifecycle_ballot_closed },
	{ "wr.ended", core__amendment_wr_ended },
	{ "wr.ended", core__table1_wr_ended },
	{ NULL, NULL },
};

static const struct engine dsp4003 = {
	.actions = core__actions,
	.processes = processes,
	.listeners = listeners,
	.grant = core__domain_grant,
	.people_of = core__notice_people,
	.notice = core__notice,
	.describe = core__notice_describe,
	.setting_check = core__setting_check,
};

int core_call(struct store *st, const struct call *c, struct reply *r, struct err *e) { return engine_call(&dsp4003, st, c, r, e); }
const struct action_info *core_action_info(const char *name) { return engine_action_info(&dsp4003, name); }
void core_actions_each(void (*fn)(const struct action_info *, void *), void *data) { engine_actions_each(&dsp4003, fn, data); }
size_t core_step_refs(struct core_step_ref *out, size_t max) { return engine_step_refs(&dsp4003, out, max); }
json_t *core_process_table(const char *name) { return engine_process_table(&dsp4003, name); }
int core_process_check(char *report, size_t n) { return engine_process_check(&dsp4003, report, n); }
void core_process_dot(FILE *f, const char *name) { engine_process_dot(&dsp4003, f, name); }
