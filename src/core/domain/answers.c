/* What the API answers (issue 22): each action's answer as a JSON Schema
 * for the OpenAPI document, written for answers. A record's columns come
 * from the database itself (the migrations run on a database in memory,
 * store_columns: every column, its type, whether it may be NULL), so the
 * document follows the schema as it changes; what a presenter adds or
 * hides is written beside it, here. An action not named here keeps the
 * loose schema openapi.c derives from its request body. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"

struct answer {
	const char *action; /* an action's name, or its prefix ("org.") */
	const char *name;   /* the schema's name in the document */
	const char *table;  /* the record's table; NULL: the schema is all in more */
	const char *hide;   /* columns never answered: ",a,b," */
	const char *more;   /* JSON: {"properties": {...}, "required": [...]} added to
			     * the columns; without a table, the whole schema */
};

#define REF(n) "{\"$ref\": \"#/components/schemas/" n "\"}"
#define NREF(n) "{\"oneOf\": [" REF(n) ", {\"type\": \"null\"}]}"
#define ARR(n) "{\"type\": \"array\", \"items\": " REF(n) "}"
#define NAMED "{\"type\": [\"object\", \"null\"], \"properties\": {\"id\": {\"type\": \"integer\"}, \"name\": {\"type\": \"string\"}," \
	      " \"short_name\": {\"type\": \"string\"}, \"email\": {\"type\": \"string\"}}, \"required\": [\"id\", \"name\"]}"

/* Every time of the API: RFC 3339, UTC. */
#define TIME "{\"type\": \"string\", \"format\": \"date-time\"}"
#define NTIME "{\"type\": [\"string\", \"null\"], \"format\": \"date-time\"}"
/* An open ballot's count so far (R17). */
#define TALLY "{\"type\": \"object\", \"properties\": {\"cast\": {\"type\": \"integer\"}, \"eligible\": {\"type\": \"integer\"}," \
	" \"more_for_quorum\": {\"type\": \"integer\", \"description\": \"Votes the quorum still needs (issue 25).\"}," \
	" \"more_yes_for_majority\": {\"type\": [\"integer\", \"null\"], \"description\": \"Yes votes the majority still needs against the no votes cast; null when none can outweigh them.\"}," \
	" \"not_voted\": {\"type\": \"integer\"}}}"

/* An outbox message: its moments in RFC 3339. */
#define OUTBOX "{\"properties\": {\"next_attempt_at\": " NTIME ", \"lease_until\": " NTIME "}}"

/* A joint meeting as its page shows it: its participants, records, whether
 * it is halted (R48) and the IP policy (R46). */
#define MEETING "{\"properties\": {\"participants\": " ARR("Participant") ", \"records\": {\"type\": \"array\"}," \
	" \"halted\": {\"type\": \"boolean\"}, \"halted_by\": {\"type\": \"array\"}, \"ip_policy\": {\"type\": \"object\"," \
	" \"properties\": {\"text\": {\"type\": \"string\"}, \"url\": {\"type\": \"string\"}, \"version\": {\"type\": \"string\"}}," \
	" \"required\": [\"version\"]}}, \"required\": [\"participants\", \"records\", \"halted\", \"halted_by\", \"ip_policy\"]}"

/* What ending sessions answers (issue 24). */
#define SESSIONS_ENDED "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"sessions_ended\": {\"type\": \"integer\"}}," \
	" \"required\": [\"id\", \"sessions_ended\"], \"additionalProperties\": false}"

/* First match wins: exact names before the prefixes they share. */
/* What a person may do next with a record (process.c, core__record_actions). */
#define NEXT_STEPS \
	  "{\"type\": \"object\", \"properties\": {\"state\": {\"type\": \"string\"}, \"items\": {\"type\": \"array\"," \
	  " \"items\": {\"type\": \"object\", \"properties\": {\"action\": {\"type\": \"string\"}, \"allowed\": {\"type\": \"boolean\"}," \
	  " \"yours\": {\"type\": \"boolean\", \"description\": \"Whether the step is one the person takes at all (issue 25).\"}," \
	  " \"consequence\": {\"type\": [\"string\", \"null\"], \"description\": \"What cannot be undone, to confirm first (issue 25); null: done at once.\"}}," \
	  " \"required\": [\"action\", \"allowed\", \"yours\"]}}}, \"required\": [\"state\", \"items\"], \"additionalProperties\": false}"

static const struct answer answers[] = {
	/* exact names before the prefixes below ("cr." would take cr.actions) */
	{ "wr.actions", "NextSteps", NULL, NULL, NEXT_STEPS },
	{ "cr.actions", "NextSteps", NULL, NULL, NEXT_STEPS },
	{ "meeting.actions", "NextSteps", NULL, NULL, NEXT_STEPS },
	{ "session.create", "Session", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"person\": " REF("PersonPublic") ", \"csrf_token\": {\"type\": \"string\"},"
	  " \"expires_at\": {\"type\": \"string\", \"format\": \"date-time\"}, \"two_factor_required\": {\"type\": \"boolean\","
	  " \"description\": \"The person's role requires a second factor they have not set up: the session may only enrol one.\"}},"
	  " \"required\": [\"person\", \"csrf_token\", \"expires_at\", \"two_factor_required\"], \"additionalProperties\": false}" },
	/* issue 24: accounts */
	{ "session.list", "SessionRow", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"browser\": {\"type\": \"string\"},"
	  " \"address\": {\"type\": \"string\"}, \"created_at\": " TIME ", \"last_used_at\": " TIME ", \"expires_at\": " TIME ","
	  " \"user_agent\": {\"type\": [\"string\", \"null\"]}, \"current\": {\"type\": \"boolean\"}, \"second_factor\": {\"type\": \"boolean\"}},"
	  " \"required\": [\"id\", \"browser\", \"address\", \"created_at\", \"last_used_at\", \"expires_at\", \"user_agent\", \"current\","
	  " \"second_factor\"], \"additionalProperties\": false}" },
	{ "person.sessions_end", "SessionsEnded", NULL, NULL, SESSIONS_ENDED },
	{ "password.change", "SessionsEnded", NULL, NULL, SESSIONS_ENDED },
	{ "password.forgot", "ResetRequested", NULL, NULL,
	  "{\"type\": \"object\", \"description\": \"The same whether or not an account has the address.\","
	  " \"properties\": {\"note\": {\"type\": \"string\"}}, \"required\": [\"note\"], \"additionalProperties\": false}" },
	{ "link.check", "AccountLinkCheck", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"purpose\": {\"type\": \"string\", \"enum\": [\"invitation\", \"reset\"]},"
	  " \"state\": {\"type\": \"string\"}, \"expires_at\": " TIME ", \"created_at\": " TIME ", \"used_at\": " NTIME ","
	  " \"revoked_at\": " NTIME ", \"name\": {\"type\": \"string\"}, \"email\": {\"type\": \"string\"}, \"org_id\": {\"type\": \"integer\"}},"
	  " \"required\": [\"purpose\", \"state\", \"expires_at\", \"name\", \"email\"], \"additionalProperties\": false}" },
	{ "link.use", "AccountLinkUsed", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"purpose\": {\"type\": \"string\", \"enum\": [\"invitation\", \"reset\"]},"
	  " \"person\": " REF("PersonPublic") "}, \"required\": [\"purpose\", \"person\"], \"additionalProperties\": false}" },
	{ "invitation.", "Invitation", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"person_id\": {\"type\": \"integer\"},"
	  " \"state\": {\"type\": \"string\", \"enum\": [\"open\", \"used\", \"revoked\", \"expired\"]}, \"expires_at\": " TIME ","
	  " \"created_at\": " TIME ", \"used_at\": " NTIME ", \"revoked_at\": " NTIME ", \"name\": {\"type\": \"string\"},"
	  " \"email\": {\"type\": \"string\"}, \"org_id\": {\"type\": \"integer\"}},"
	  " \"required\": [\"id\", \"person_id\", \"state\", \"expires_at\", \"created_at\", \"used_at\", \"revoked_at\", \"name\", \"email\","
	  " \"org_id\"], \"additionalProperties\": false}" },
	{ "totp.enrol", "TwoFactorEnrolment", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"secret\": {\"type\": \"string\", \"description\": \"Base32, for typing into an app.\"},"
	  " \"otpauth_uri\": {\"type\": \"string\"}, \"qr_svg\": {\"type\": \"string\", \"description\": \"The otpauth URI as a QR code (SVG).\"},"
	  " \"note\": {\"type\": \"string\"}}, \"required\": [\"secret\", \"otpauth_uri\", \"qr_svg\", \"note\"], \"additionalProperties\": false}" },
	{ "totp.confirm", "TwoFactorOn", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"enabled_at\": " TIME ", \"recovery_codes\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
	  " \"note\": {\"type\": \"string\"}}, \"required\": [\"enabled_at\", \"recovery_codes\", \"note\"], \"additionalProperties\": false}" },
	{ "recovery.renew", "RecoveryCodes", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"recovery_codes\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
	  " \"note\": {\"type\": \"string\"}}, \"required\": [\"recovery_codes\", \"note\"], \"additionalProperties\": false}" },
	{ "totp.", "TwoFactorOff", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"two_factor\": {\"type\": \"boolean\"}},"
	  " \"required\": [\"id\", \"two_factor\"], \"additionalProperties\": false}" },
	{ "me.export", "PersonalData", NULL, NULL,
	  "{\"type\": \"object\", \"description\": \"What the system holds about the person asking, without any secret.\","
	  " \"properties\": {\"format\": {\"type\": \"string\"}, \"exported_at\": " TIME ", \"person\": {\"type\": \"object\"},"
	  " \"officer_roles\": {\"type\": \"array\"}, \"seats\": {\"type\": \"array\"}, \"sessions\": {\"type\": \"array\"},"
	  " \"tokens\": {\"type\": \"array\"}, \"account_links\": {\"type\": \"array\"}, \"votes\": {\"type\": \"array\"},"
	  " \"comments\": {\"type\": \"array\"}, \"actions\": {\"type\": \"array\"}, \"actions_on_your_behalf\": {\"type\": \"array\"},"
	  " \"mail\": {\"type\": \"array\"}}, \"required\": [\"format\", \"exported_at\", \"person\", \"officer_roles\", \"seats\","
	  " \"sessions\", \"tokens\", \"account_links\", \"votes\", \"comments\", \"actions\", \"actions_on_your_behalf\", \"mail\"],"
	  " \"additionalProperties\": false}" },
	{ "ballot.list", "BallotRow", "ballots", NULL, "{\"properties\": {\"deadline\": " TIME "}}" },
	{ "ballot.get", "Ballot", "ballots", NULL,
	  "{\"properties\": {\"deadline\": " TIME ", \"tally\": " TALLY ", \"votes\": {\"type\": \"array\"},"
	  " \"my_vote\": {\"type\": \"object\"}, \"comments\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
	  " \"properties\": {\"id\": {\"type\": \"integer\"}, \"author\": {\"type\": \"string\"}, \"text\": {\"type\": \"string\"},"
	  " \"status\": {\"type\": \"string\"}, \"created_at\": " TIME "},"
	  " \"required\": [\"id\", \"author\", \"text\", \"status\", \"created_at\"], \"additionalProperties\": false}}},"
	  " \"required\": [\"comments\"]}" },
	{ "ballot.vote", "BallotVoted", "ballots", ",eligible,", /* issue 27: a vote reads no list */
	  "{\"properties\": {\"deadline\": " TIME ", \"tally\": " TALLY ", \"my_vote\": {\"type\": \"object\"},"
	  " \"receipt\": {\"type\": \"object\"}}, \"required\": [\"my_vote\", \"receipt\"]}" },
	{ "audit.head", "AuditHead", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"published_versions\": {\"type\": \"integer\"}, \"versions_through\": {\"type\": \"integer\", \"description\": \"the newest version counted\"}, \"count\": {\"type\": \"integer\"}, \"head\": {\"type\": \"string\"}, \"last_id\": {\"type\": \"integer\"}, \"counted_from\": {\"type\": [\"integer\", \"null\"], \"description\": \"the checkpoint the counts go on from (null: counted from nothing)\"}}, \"required\": [\"published_versions\", \"versions_through\", \"count\", \"head\", \"last_id\", \"counted_from\"], \"additionalProperties\": false}" },
	{ "audit.verify", "AuditVerification", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"ok\": {\"type\": \"boolean\"}, \"full\": {\"type\": \"boolean\", \"description\": \"every event recomputed (else those after the checkpoint named by from)\"}, \"events\": {\"type\": \"integer\", \"description\": \"events recomputed\"}, \"checkpoints\": {\"type\": \"integer\"}, \"from\": {\"oneOf\": [{\"type\": \"null\"}, {\"type\": \"object\", \"properties\": {\"checkpoint\": {\"type\": \"integer\"}, \"last_id\": {\"type\": \"integer\"}, \"at\": {\"type\": \"string\"}}, \"required\": [\"checkpoint\", \"last_id\", \"at\"]}]}, \"last_id\": {\"type\": \"integer\"}, \"head\": {\"type\": \"string\"}, \"problems\": {\"type\": \"array\"}}, \"required\": [\"ok\", \"full\", \"events\", \"checkpoints\", \"from\", \"last_id\", \"head\", \"problems\"], \"additionalProperties\": false}" },
	{ "checkpoint.list", "Checkpoint", "checkpoints", NULL, NULL },
	{ "version.list", "VersionRow", "wr_versions", ",snapshot,", NULL },
	{ "version.", "Version", "wr_versions", NULL, NULL },
	{ "history.list", "HistoryEntry", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"version\": {\"type\": \"string\"}, \"revision\": {\"type\": \"integer\"}, \"date\": {\"type\": \"string\"}, \"author\": {\"type\": \"string\"}, \"summary\": {\"type\": \"string\"}, \"status\": {\"type\": \"string\", \"description\": \"The state after this version (issue 25).\"}, \"from_status\": {\"type\": \"string\", \"description\": \"The state before, when this version changed it.\"}}, \"required\": [\"version\", \"revision\", \"date\", \"summary\"]}" },
	{ "standard.replace", "Replacement", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"replaced\": " REF("Standard") ", \"rows\": " ARR("Standard") "}, \"required\": [\"replaced\", \"rows\"], \"additionalProperties\": false}" },
	{ "delegation_rules.get", "DelegationRules", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"current\": " REF("DelegationRulesVersion") ", \"versions\": " ARR("DelegationRulesVersion") "}, \"required\": [\"current\", \"versions\"]}" },
	{ "delegation.agree", "DelegationAgreement", "delegation_agreements", NULL, NULL },
	{ "me.tasks", "MyTasks", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"items\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"description\":"
	  " \"What waits on the person: an open task, a vote, a review, a draft to deliver.\", \"properties\": {\"kind\": {\"type\": \"string\"},"
	  " \"what\": {\"type\": \"string\"}, \"wr_id\": {\"type\": [\"integer\", \"null\"]}, \"wr_title\": {\"type\": \"string\"},"
	  " \"wr_status\": {\"type\": \"string\"}, \"task_id\": {\"type\": \"integer\"}, \"ballot_id\": {\"type\": \"integer\"},"
	  " \"deadline\": " TIME ", \"due\": {\"type\": \"string\"}, \"rule\": {\"type\": [\"string\", \"null\"]},"
	  " \"cr_id\": {\"type\": \"integer\"}, \"since\": {\"type\": \"string\"}, \"meeting_id\": {\"type\": \"integer\"},"
	  " \"meeting_title\": {\"type\": \"string\"}, \"starts_at\": {\"type\": \"string\"}, \"time_zone\": {\"type\": \"string\"},"
	  " \"participant_id\": {\"type\": \"integer\"},"
	  " \"recipients\": {}}, \"required\": [\"kind\", \"what\", \"wr_id\"], \"additionalProperties\": false}}, \"next_cursor\": {\"type\": [\"string\", \"null\"]}, \"total\": {\"type\": \"integer\"}}, \"required\": [\"items\", \"next_cursor\", \"total\"], \"additionalProperties\": false}" },
	{ "me.calendar", "CalendarAddress", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"url\": {\"type\": \"string\"}, \"note\": {\"type\": \"string\"}}, \"required\": [\"url\", \"note\"], \"additionalProperties\": false}" },
	{ "me.update", "MailMode", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"mail_mode\": {\"type\": \"string\"}}, \"required\": [\"id\", \"mail_mode\"], \"additionalProperties\": false}" },
	{ "portfolio.show", "Portfolio", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"total\": {\"type\": \"integer\"},"
	  " \"states\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"state\": {\"type\": \"string\"},"
	  " \"label\": {\"type\": \"string\"}, \"tone\": {\"type\": \"string\"}, \"count\": {\"type\": \"integer\"}},"
	  " \"required\": [\"state\", \"label\", \"tone\", \"count\"], \"additionalProperties\": false}},"
	  " \"reviews_due\": {\"type\": \"integer\", \"description\": \"Established WRs whose update is due within three months (R27).\"},"
	  " \"reviews_overdue\": {\"type\": \"integer\"}, \"stagnant\": {\"type\": \"integer\", \"description\": \"R31\"},"
	  " \"change_requests\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"age\": {\"type\": \"string\"},"
	  " \"count\": {\"type\": \"integer\"}}, \"required\": [\"age\", \"count\"], \"additionalProperties\": false}}},"
	  " \"required\": [\"total\", \"states\", \"reviews_due\", \"reviews_overdue\", \"stagnant\", \"change_requests\"], \"additionalProperties\": false}" },
	{ "review.list", "ReviewDue", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"wr_id\": {\"type\": \"integer\"}, \"title\": {\"type\": \"string\"}, \"owner_id\": {\"type\": [\"integer\", \"null\"]}, \"next_review_date\": {\"type\": \"string\"}, \"days_left\": {\"type\": \"integer\"}, \"overdue\": {\"type\": \"boolean\"}, \"stagnant\": {\"type\": \"boolean\"}}, \"required\": [\"wr_id\", \"title\", \"next_review_date\", \"days_left\", \"overdue\", \"stagnant\"], \"additionalProperties\": false}" },
	{ "scheduler.run", "SchedulerRun", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"ballots_closed\": {\"type\": \"integer\"}, \"reminders\": {\"type\": \"integer\"}, \"stagnation_notices\": {\"type\": \"integer\"}, \"digests\": {\"type\": \"integer\"}, \"now\": {\"type\": \"string\"}}, \"required\": [\"ballots_closed\", \"reminders\", \"stagnation_notices\", \"digests\", \"now\"], \"additionalProperties\": false}" },
	{ "wr.diff", "Difference", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"from\": {\"type\": \"object\"}, \"to\": {\"type\": \"object\"}, \"fields\": {\"type\": \"array\"}, \"sections\": {\"type\": \"object\"}}, \"required\": [\"from\", \"to\", \"fields\", \"sections\"]}" },
	{ "process.show", "ProcessTable", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}, \"states\": {\"type\": \"array\"}, \"steps\": {\"type\": \"array\"}}, \"required\": [\"name\", \"states\", \"steps\"]}" },
	{ "ballot.receipts", "BallotReceipts", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"format\": {\"type\": \"string\"}, \"ballot_id\": {\"type\": \"integer\"}, \"wr_id\": {\"type\": \"integer\"}, \"body_id\": {\"type\": \"integer\"}, \"purpose\": {\"type\": \"string\"}, \"status\": {\"type\": \"string\"}, \"entries\": {\"type\": \"array\"}, \"seal\": {\"type\": [\"object\", \"null\"]}}, \"required\": [\"format\", \"ballot_id\", \"status\", \"entries\"]}" },
	{ "ballot.receipt_check", "ReceiptCheck", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"ok\": {\"type\": \"boolean\"}, \"problems\": {\"type\": \"array\"}, \"verdict\": {\"type\": \"string\"}, \"receipt\": {\"type\": [\"object\", \"null\"]}, \"entries\": {\"type\": \"integer\"}, \"head\": {\"type\": \"string\"}, \"counted_entry\": {\"type\": [\"object\", \"null\"]}, \"tally\": {\"type\": [\"object\", \"null\"]}, \"sealed\": {\"type\": \"boolean\"}, \"seal\": {\"type\": [\"object\", \"null\"]}}, \"required\": [\"ok\", \"problems\", \"verdict\"]}" },
	{ "overlap.list", "Overlap", NULL, NULL, "{\"type\": \"object\", \"properties\": {\"domain\": {\"type\": \"string\"}, \"partners\": {\"type\": \"array\"}, \"overlap\": {\"type\": \"boolean\"}, \"rows\": {\"type\": \"array\"}}, \"required\": [\"domain\", \"partners\", \"overlap\", \"rows\"]}" },
	{ "org.", "Organization", "organizations", NULL, NULL },
	{ "me.get", "Me", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}, \"name\": {\"type\": \"string\"},"
	  " \"email\": {\"type\": \"string\"}, \"org_id\": {\"type\": \"integer\"}, \"dmtf_member\": {\"type\": \"boolean\"},"
	  " \"mail_mode\": {\"type\": \"string\"}, \"has_calendar\": {\"type\": \"boolean\"}, \"two_factor\": {\"type\": \"boolean\"},"
	  " \"roles\": {\"type\": \"object\", \"properties\": {\"staff\": {\"type\": \"boolean\"}, \"admin\": {\"type\": \"boolean\"},"
	  " \"vp_alliances\": {\"type\": \"boolean\"}}, \"required\": [\"staff\", \"admin\", \"vp_alliances\"]},"
	  " \"memberships\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"body_id\": {\"type\": \"integer\"},"
	  " \"role\": {\"type\": \"string\"}}, \"required\": [\"body_id\", \"role\"]}}, \"csrf_token\": {\"type\": [\"string\", \"null\"]}},"
	  " \"required\": [\"id\", \"name\", \"email\", \"org_id\", \"roles\", \"memberships\"]}" },
	{ "settings.", "Settings", NULL, NULL,
	  "{\"type\": \"object\", \"description\": \"Every setting, by its key, as text.\","
	  " \"additionalProperties\": {\"type\": [\"string\", \"null\"]}}" },
	{ "markdown.render", "RenderedMarkdown", NULL, NULL,
	  "{\"type\": \"object\", \"properties\": {\"html\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}},"
	  " \"required\": [\"html\"], \"additionalProperties\": false}" },
	{ "amendment.", "Amendment", "amendments", NULL,
	  "{\"properties\": {\"approvals\": " ARR("Approval") ", \"missing\": " ARR("Approval") "}, \"required\": [\"approvals\", \"missing\"]}" },
	{ "comment.", "Comment", "comments", NULL, NULL },
	{ "task.", "Task", "tasks", NULL, NULL },
	{ "audit.list", "AuditEvent", "audit", NULL, NULL },
	{ "dmtf_standard.", "DmtfStandard", "dmtf_standards", NULL, "{\"properties\": {\"body\": " NAMED "}}" },
	{ "cr.", "ChangeRequest", "change_requests", NULL,
	  "{\"properties\": {\"messages\": {\"type\": \"array\"}, \"meetings\": {\"type\": \"array\"}}}" },
	{ "person.", "Person", "people", ",password_hash,calendar_hash,totp_secret,totp_last_step,",
	  "{\"properties\": {\"has_account\": {\"type\": \"boolean\"}, \"has_calendar\": {\"type\": \"boolean\"},"
	  " \"state\": {\"type\": \"string\", \"enum\": [\"active\", \"invited\", \"no account\", \"disabled\"]},"
	  " \"two_factor\": {\"type\": \"boolean\"}}, \"required\": [\"has_account\", \"has_calendar\", \"state\", \"two_factor\"]}" },
	{ "body.", "Body", "bodies", NULL, NULL },
	{ "member.", "Membership", "memberships", NULL,
	  "{\"properties\": {\"active\": {\"type\": \"boolean\"}, \"person\": " NAMED "}, \"required\": [\"active\"]}" },
	{ "officer.", "Officer", "officers", NULL, NULL },
	{ "milestone.", "Milestone", "milestones", NULL, NULL },
	{ "contact.", "Contact", "wr_contacts", NULL, NULL },
	{ "standard.", "Standard", "standards", NULL, NULL },
	{ "participant.", "Meeting", "joint_meetings", NULL, MEETING },
	{ "notify_rule.", "NotificationRule", "notify_rules", NULL, NULL },
	{ "standard_type.", "StandardType", "standard_types", NULL,
	  "{\"properties\": {\"rows\": {\"type\": \"integer\", \"description\": \"Table 1 rows of this type (read alone).\"}}}" },
	{ "token.create", NULL, NULL, NULL, NULL },
	{ "token.", "Token", "tokens", ",token_hash,", NULL },
	{ "outbox.stats", "OutboxStats", NULL, NULL,
	  "{\"type\": \"object\", \"description\": \"Messages in each state of delivery.\","
	  " \"additionalProperties\": {\"type\": \"integer\", \"minimum\": 0}}" },
	{ "outbox.list", "OutboxMessage", "outbox", ",claim,", OUTBOX },
	{ "outbox.retry", "OutboxMessage", "outbox", ",claim,", OUTBOX },
	{ "wr.list", "WorkRegisterRow", "work_registers", NULL, NULL },
	{ "wr.", "WorkRegister", "work_registers", NULL,
	  "{\"properties\": {\"partner\": " NAMED ", \"originating_committee\": " NAMED ", \"owner\": " NAMED ", \"proposer\": " NAMED ","
	  " \"proposer_org\": " NAMED ", \"required_committees\": {\"type\": \"array\"}, \"milestones\": " ARR("Milestone") ","
	  " \"contacts\": " ARR("Contact") ", \"standards\": " ARR("Standard") ", \"meetings\": {\"type\": \"array\"},"
	  " \"delegation_agreements\": {\"type\": \"array\"}, \"warnings\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
	  " \"properties\": {\"rule\": {\"type\": \"string\"}, \"detail\": {\"type\": \"string\"}}}},"
	  " \"as_of\": {\"type\": \"string\", \"description\": \"?as_of: the time asked\"},"
	  " \"version_date\": {\"type\": \"string\", \"description\": \"?as_of: when the version shown was made\"}},"
	  " \"required\": [\"partner\", \"originating_committee\", \"owner\", \"proposer\", \"proposer_org\", \"required_committees\","
	  " \"milestones\", \"contacts\", \"standards\", \"meetings\", \"delegation_agreements\"]}" },
	{ "meeting.list", "MeetingRow", "joint_meetings", NULL, NULL },
	{ "meeting.", "Meeting", "joint_meetings", NULL, MEETING },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* What a list's answer has beside its items and cursor: {"properties":
 * {...}} for the wrapper openapi.c makes (issue 24: the keys that signed
 * the checkpoints, with their periods). */
static const struct {
	const char *action, *beside;
} besides[] = {
	{ "checkpoint.list", "{\"properties\": {\"keys\": " ARR("SigningKey") "}}" },
	{ NULL, NULL },
};

/* The columns of every table, read once from a database in memory. */
static struct store *schema_db;
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;

static void schema_open(void)
{
	struct err e = ERR_INIT;
	if (store_open(&schema_db, ":memory:", &e) || store_migrate(schema_db, NULL, &e)) {
		fprintf(stderr, "entente: the answer schemas: %s\n", e.detail);
		schema_db = NULL;
	}
}

static json_t *column_schema(const json_t *c)
{
	const char *type = json_string_value(json_object_get(c, "type"));
	int null = json_is_true(json_object_get(c, "null"));
	if (!strcmp(type, "json"))
		return json_object(); /* any JSON value */
	return null ? json_pack("{s[ss]}", "type", type, "null") : json_pack("{ss}", "type", type);
}

/* A table's rows as answered: every column, present, typed as declared. */
static json_t *table_schema(const char *table, const char *hide)
{
	json_t *cols = NULL, *props = json_object(), *req = json_array();
	struct err e = ERR_INIT;
	pthread_once(&schema_once, schema_open);
	if (schema_db && !store_columns(schema_db, table, &cols, &e))
		for (size_t i = 0; i < json_array_size(cols); i++) {
			json_t *c = json_array_get(cols, i);
			const char *name = json_string_value(json_object_get(c, "name"));
			char key[80];
			snprintf(key, sizeof(key), ",%s,", name);
			if (hide && strstr(hide, key))
				continue;
			json_object_set_new(props, name, column_schema(c));
			json_array_append_new(req, json_string(name));
		}
	json_decref(cols);
	return json_pack("{ss so so sb}", "type", "object", "properties", props, "required", req, "additionalProperties", 0);
}

static const struct answer *answer_of(const char *action)
{
	for (const struct answer *a = answers; a->action; a++) {
		size_t n = strlen(a->action);
		if (a->action[n - 1] == '.' ? !strncmp(action, a->action, n) : !strcmp(action, a->action))
			return a;
	}
	return NULL;
}

const char *core_answer_name(const char *action)
{
	const struct answer *a = answer_of(action);
	return a ? a->name : NULL;
}

json_t *core_answer_schema(const char *action)
{
	const struct answer *a = answer_of(action);
	json_t *s, *more = NULL;
	if (!a || !a->name)
		return NULL;
	if (a->more && !(more = json_loads(a->more, 0, NULL))) {
		fprintf(stderr, "entente: the answer schema of %s is not JSON\n", a->action);
		return NULL;
	}
	if (!a->table)
		return more;
	s = table_schema(a->table, a->hide);
	if (more) {
		json_object_update(json_object_get(s, "properties"), json_object_get(more, "properties"));
		if (json_object_get(more, "required"))
			json_array_extend(json_object_get(s, "required"), json_object_get(more, "required"));
		json_decref(more);
	}
	return s;
}

json_t *core_answer_beside(const char *action)
{
	for (size_t i = 0; besides[i].action; i++) {
		if (strcmp(besides[i].action, action))
			continue;
		json_t *b = json_loads(besides[i].beside, 0, NULL);
		if (!b)
			fprintf(stderr, "entente: what the answer of %s has beside its items is not JSON\n", action);
		return b;
	}
	return NULL;
}

/* Issue 24: a key that signed checkpoints, with its period of validity
 * (chain.c, key_periods). */
#define SIGNING_KEY "{\"type\": \"object\", \"description\": \"A key that signed checkpoints, valid from its first checkpoint or the" \
	" rotation that made it until its last checkpoint or its retirement (null: the current key).\", \"properties\": {" \
	"\"public_key\": {\"type\": \"string\"}, \"from\": " TIME ", \"until\": " NTIME ", \"current\": {\"type\": \"boolean\"}," \
	" \"checkpoints\": {\"type\": \"integer\", \"minimum\": 0}, \"successor\": {\"type\": [\"string\", \"null\"]," \
	" \"description\": \"the key it was rotated to (entente keys rotate)\"}, \"retired_at\": " NTIME "}," \
	" \"required\": [\"public_key\", \"from\", \"until\", \"current\", \"checkpoints\", \"successor\", \"retired_at\"]," \
	" \"additionalProperties\": false}"

/* The schemas answers refer to that no action answers alone. */
json_t *core_answer_parts(void)
{
	json_t *parts = json_pack("{s{ss s{s{ss}s{ss}s{ss}s{ss}} s[ssss] sb}}", "PersonPublic", "type", "object", "properties", "id", "type",
			 "integer", "name", "type", "string", "email", "type", "string", "org_id", "type", "integer", "required", "id",
			 "name", "email", "org_id", "additionalProperties", 0);
	json_object_set_new(parts, "Participant", table_schema("meeting_participants", NULL));
	json_object_set_new(parts, "Approval", table_schema("approvals", NULL));
	json_object_set_new(parts, "DelegationRulesVersion", table_schema("delegation_rules", NULL));
	json_object_set_new(parts, "SigningKey", json_loads(SIGNING_KEY, 0, NULL));
	return parts;
}
