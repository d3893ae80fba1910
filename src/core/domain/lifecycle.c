/* The lifecycle of a Work Register (DSP4003 sections 2 to 4) as one table.
 * Each row: in which states an action is possible, who may take it, its
 * guard, what it does, where it leads, and the rule it enforces. The
 * process engine (engine/process.c) runs it for every action whose grants
 * say G_PROCESS; ballot outcomes are rows too (who: G_SYSTEM), which the
 * engine's "ballot.closed" event reaches here. What only a WR's step does
 * (versions, the ballots it opens, the reset of a round) is its settle;
 * what the process check must also prove (R4, R5, R19, R20, R32, R33), its
 * marks and forbids. `entente process show` prints it, `entente process
 * check` explores it. Read it beside the seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain/ballot.h"
#include "core/domain/comment.h"
#include "core/domain/handoff.h"
#include "core/domain/lifecycle.h"
#include "core/domain/scope.h"
#include "core/domain/wr.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"
#include "core/engine/notify.h"
#include "core/engine/process.h"
#include "core/engine/settings.h"
#include "lib/util.h"


static json_t *body(struct ctx *x) { return x->call->body; }
static const char *body_str(struct ctx *x, const char *k) { return json_string_value(json_object_get(body(x), k)); }
static int64_t wr_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.record, "id")); }

static int set_fields(struct ctx *x, json_t *ch, struct err *e)
{
	json_object_set_new(ch, "updated_at", json_string(x->now_iso));
	int ret = store_update(x->st, "work_registers", wr_id(x), ch, e);
	json_decref(ch);
	return ret ? ret : core__wr_reload(x, e);
}

/* ---- guards ---- */

static int guard_owner(struct ctx *x, struct err *e)
{
	json_t *owner = json_object_get(body(x), "owner_id");
	if (!owner)
		return err_set(e, E_MISSING_FIELD, "owner_id", "name the owner");
	return core__owner_r1(x, owner, e);
}

static int guard_complete(struct ctx *x, struct err *e) { return core__wr_complete(x, e); }

/* R20: the partner's own acceptance or decline (issue 21: never the system's). */
static int guard_partner(struct ctx *x, struct err *e) { return core__partner_act(x, "R20", e); }

static int open_comments(struct ctx *x)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI ss}", "wr_id", (json_int_t)wr_id(x), "status", "open"), *rows = NULL;
	struct store_query q = { .where = where, .limit = 1 };
	int n = store_find(x->st, "comments", &q, &rows, &ignored) ? 1 : (int)json_array_size(rows);
	json_decref(where);
	json_decref(rows);
	return n;
}

/* R17 with R16 and R12: a complete draft, every comment closed out. */
static int guard_submit(struct ctx *x, struct err *e)
{
	if (core__wr_complete(x, e))
		return -1;
	if (open_comments(x))
		return err_set(e, E_R16_OPEN_COMMENTS, "comments", "close out every comment (accept, decline with a reason, or withdraw) first");
	return 0;
}

/* The ballots of this round, by body: "passed", "open", or absent. */
static json_t *round_ballots(struct ctx *x, const char *purpose)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI sO ss}", "wr_id", (json_int_t)wr_id(x), "round", json_object_get(x->scope.record, "ballot_round"),
				  "purpose", purpose), *rows = NULL;
	struct store_query q = { .where = where };
	if (store_find(x->st, "ballots", &q, &rows, &ignored))
		rows = json_array();
	json_decref(where);
	return rows;
}

static const char *ballot_state_of(json_t *ballots, json_t *body_id)
{
	const char *best = NULL;
	for (size_t i = 0; i < json_array_size(ballots); i++) {
		json_t *b = json_array_get(ballots, i);
		const char *st = json_string_value(json_object_get(b, "status"));
		if (!json_equal(json_object_get(b, "body_id"), body_id))
			continue;
		if (!strcmp(st, "passed") || (!strcmp(st, "open") && !best))
			best = st;
	}
	return best;
}

/* R18: the chair of a non-originating committee with work in the
 * milestones opens its ballot, once a round. */
static int guard_parallel(struct ctx *x, struct err *e)
{
	json_t *req = core__required_committees(x, x->scope.record), *ballots = round_ballots(x, "committee");
	json_t *bid = json_object_get(body(x), "body_id");
	int ret = -1, found = 0;
	for (size_t i = 0; i < json_array_size(req); i++)
		found |= json_equal(json_array_get(req, i), bid);
	if (!found)
		err_set(e, E_R18_PARALLEL, "body_id", "this committee has no work in the milestones (R4)");
	else if (json_equal(bid, json_object_get(x->scope.record, "originating_body_id")))
		err_set(e, E_R18_PARALLEL, "body_id", "the Originating Committee's ballot opened on submission (R17)");
	else if (ballot_state_of(ballots, bid))
		err_set(e, E_R18_PARALLEL, "body_id", "this committee's ballot is already %s in this round", ballot_state_of(ballots, bid));
	else
		ret = 0;
	json_decref(req);
	json_decref(ballots);
	return ret;
}

/* R4, R5: every involved committee passed in this round. */
int core__committees_passed(struct ctx *x, json_t **missing)
{
	json_t *req = core__required_committees(x, x->scope.record), *ballots = round_ballots(x, "committee");
	*missing = json_array();
	for (size_t i = 0; i < json_array_size(req); i++) {
		const char *st = ballot_state_of(ballots, json_array_get(req, i));
		if (!st || strcmp(st, "passed"))
			json_array_append(*missing, json_array_get(req, i));
	}
	json_decref(req);
	json_decref(ballots);
	return json_array_size(*missing) == 0;
}

static int guard_board(struct ctx *x, struct err *e)
{
	json_t *missing;
	int ok = core__committees_passed(x, &missing);
	char *list = json_dumps(missing, JSON_COMPACT);
	if (!ok)
		err_set(e, E_R5_BOARD, NULL, "committees still to approve: %s", list ? list : "?");
	free(list);
	json_decref(missing);
	return ok ? 0 : -1;
}

/* R7, R21: the Board resolution and its date are in the WR before it goes out. */
static int guard_send(struct ctx *x, struct err *e)
{
	if (!json_is_string(json_object_get(x->scope.record, "board_resolution")) ||
	    !json_is_string(json_object_get(x->scope.record, "board_approval_date")))
		return err_set(e, E_R7_RESOLUTION, "board_resolution", "record the Board resolution and its date first");
	return 0;
}

/* R31: no milestone progressed within the review period. */
int core__wr_stagnant(struct ctx *x, json_t *wr)
{
	char buf[16], since[11], last[11];
	int months = atoi(core__setting(x, "stagnation_months", buf, sizeof(buf)));
	json_t *ms = core__rows_of(x, "milestones", json_integer_value(json_object_get(wr, "id")));
	const char *est = json_string_value(json_object_get(wr, "established_at"));
	if (!est) {
		json_decref(ms);
		return 0;
	}
	snprintf(last, sizeof(last), "%.10s", est);
	for (size_t i = 0; i < json_array_size(ms); i++) {
		json_t *m = json_array_get(ms, i);
		const char *c = json_string_value(json_object_get(m, "completed_date"));
		const char *u = json_string_value(json_object_get(m, "progress_date"));
		if (c && strcmp(c, last) > 0)
			snprintf(last, sizeof(last), "%s", c);
		if (u && strcmp(u, last) > 0)
			snprintf(last, sizeof(last), "%.10s", u);
	}
	json_decref(ms);
	date_add_months(last, months > 0 ? months : 24, since);
	return strcmp(x->today, since) >= 0;
}

static int all_complete(struct ctx *x)
{
	json_t *ms = core__rows_of(x, "milestones", wr_id(x));
	int n = 0, ok = json_array_size(ms) > 0;
	for (size_t i = 0; i < json_array_size(ms); i++) {
		const char *st = json_string_value(json_object_get(json_array_get(ms, i), "status"));
		if (strcmp(st, "complete") && strcmp(st, "dropped"))
			ok = 0;
		n++;
	}
	json_decref(ms);
	return ok && n;
}

static int guard_removal(struct ctx *x, struct err *e)
{
	const char *reason = body_str(x, "reason");
	if (!strcmp(reason, "stagnated") && !core__wr_stagnant(x, x->scope.record))
		return err_set(e, E_R31_STAGNATION, "reason", "the milestones progressed within the review period");
	if (!strcmp(reason, "dissolution") && !all_complete(x))
		return err_set(e, E_R32_DISSOLUTION, "reason", "a partnership is dissolved when every deliverable is complete");
	return 0;
}

/* R32, R33: the Board's removal ballot ends the alliance the way the
 * recommendation asked, dissolution or removal. */
static int dissolving(struct ctx *x)
{
	const char *reason = json_string_value(json_object_get(x->scope.record, "removal_reason"));
	return reason && !strcmp(reason, "dissolution");
}
static int guard_dissolution(struct ctx *x, struct err *e)
{
	return dissolving(x) ? 0 : err_set(e, E_CONFLICT, NULL, "the recommendation was removal, not dissolution");
}
static int guard_removal_asked(struct ctx *x, struct err *e)
{
	return dissolving(x) ? err_set(e, E_CONFLICT, NULL, "the recommendation was dissolution") : 0;
}

/* ---- effects ---- */

static int effect_owner(struct ctx *x, struct err *e)
{
	if (set_fields(x, json_pack("{sO}", "owner_id", json_object_get(body(x), "owner_id")), e))
		return -1;
	return core__notify(x, "wr.owner_assigned", x->scope.record, "An owner was assigned", NULL, e);
}

/* R14, R19: a conference call, with its participants and outcome. */
static int effect_call(struct ctx *x, struct err *e)
{
	const char *kind = strstr(x->info->name, "board") ? "board_call" : "completeness_call";
	json_t *parts = json_object_get(body(x), "participants");
	json_t *row = json_pack("{sI ss ss so ss ss ss}", "wr_id", (json_int_t)wr_id(x), "kind", kind, "scheduled_at",
				body_str(x, "scheduled_at"), "participants", parts ? json_incref(parts) : json_array(), "created_by",
				x->actor.label, "created_at", x->now_iso, "updated_at", x->now_iso);
	if (body_str(x, "outcome"))
		json_object_set_new(row, "outcome", json_string(body_str(x, "outcome")));
	int ret = store_insert(x->st, "meetings", row, NULL, e);
	json_decref(row);
	return ret ? -1 : core__notify(x, "wr.call_requested", x->scope.record, "A conference call on the Work Register", NULL, e);
}

static int effect_socialize(struct ctx *x, struct err *e)
{
	/* the working groups named in milestones hear of it now, not after approval */
	return core__notify(x, "wr.socialized", x->scope.record, "A draft Work Register for your feedback", NULL, e);
}

/* R17: a new round of ballots; the engine then writes the version to be
 * balloted and freezes it (open_ballot). */
static int effect_submit(struct ctx *x, struct err *e)
{
	int64_t round;
	return store_increment(x->st, "work_registers", wr_id(x), "ballot_round", 1, &round, e) || core__wr_reload(x, e) ? -1 : 0;
}

/* R7: the resolution is the one of the Board ballot that passed in this
 * round (a decline or a failed ballot cleared the last round's), and it is
 * not dated before that ballot closed. */
static int effect_resolution(struct ctx *x, struct err *e)
{
	const char *date = body_str(x, "approval_date");
	json_t *where = json_pack("{sI ss ss}", "wr_id", (json_int_t)wr_id(x), "purpose", "board", "status", "passed"), *rows = NULL;
	struct store_query q = { .where = where, .desc = 1, .limit = 1, .columns = "id,closed_at" };
	int ret = store_find(x->st, "ballots", &q, &rows, e);
	json_decref(where);
	if (ret)
		return -1;
	const char *closed = json_string_value(json_object_get(json_array_get(rows, 0), "closed_at"));
	if (date && strcmp(date, x->today) > 0) { /* a date of record is never later than the day it is recorded (issue 21) */
		err_set(e, E_R7_RESOLUTION, "approval_date", "%s is still to come: the Board's approval is recorded once it was given", date);
		json_decref(rows);
		return -1;
	}
	if (closed && date && strncmp(date, closed, 10) < 0) {
		err_set(e, E_R7_RESOLUTION, "approval_date", "the Board's ballot %lld passed on %.10s: its resolution cannot be dated before",
			(long long)json_integer_value(json_object_get(json_array_get(rows, 0), "id")), closed);
		json_decref(rows);
		return -1;
	}
	json_decref(rows);
	return set_fields(x, json_pack("{ss ss}", "board_resolution", body_str(x, "resolution"), "board_approval_date", date), e);
}

/* R7: back to drafting, the last round's resolution goes with its round. */
static int resolution_clear(struct ctx *x, struct err *e)
{
	return set_fields(x, json_pack("{sn sn}", "board_resolution", "board_approval_date"), e);
}

static int effect_send(struct ctx *x, struct err *e)
{
	return core__notify(x, "wr.sent", x->scope.record, "The approved Work Register, for your acceptance", NULL, e);
}

static int review_dates(struct ctx *x, json_t *ch)
{
	char buf[16], next[11];
	int months = atoi(core__setting(x, "review_months", buf, sizeof(buf)));
	date_add_months(x->today, months > 0 ? months : 24, next);
	json_object_set_new(ch, "last_update_date", json_string(x->today));
	json_object_set_new(ch, "next_review_date", json_string(next));
	return 0;
}

/* R20: acceptance establishes the alliance; R9, R25 hand-offs; R27 review. */
static int effect_accept(struct ctx *x, struct err *e)
{
	json_t *ch = json_pack("{ss sn}", "established_at", x->now_iso, "decline_reason");
	char summary[300];
	review_dates(x, ch);
	if (set_fields(x, ch, e))
		return -1;
	snprintf(summary, sizeof(summary), "Approved by the Board (%s) and accepted by the partner",
		 json_string_value(json_object_get(x->scope.record, "board_approval_date")));
	if (core__wr_version(x, wr_id(x), summary, V_RELEASE, e) || core__handoffs_create(x, e))
		return -1;
	return core__notify(x, "wr.established", x->scope.record, "The alliance partnership is established", NULL, e);
}

static int effect_decline(struct ctx *x, struct err *e)
{
	const char *reason = body_str(x, "reason");
	if (set_fields(x, json_pack("{ss}", "decline_reason", reason), e) ||
	    core__comment_insert(x, reason, 0, 0, x->actor.label, x->actor.person_id, e))
		return -1;
	return core__notify(x, "wr.declined", x->scope.record, "The partner declined the Work Register", NULL, e);
}

static int effect_review(struct ctx *x, struct err *e)
{
	json_t *ch = json_object();
	const char *s = body_str(x, "summary");
	review_dates(x, ch);
	if (set_fields(x, ch, e))
		return -1;
	return core__wr_version(x, wr_id(x), s && *s ? s : "Regular review: the Work Register is current", V_STEP, e);
}

static int effect_removal(struct ctx *x, struct err *e)
{
	json_t *ch = json_pack("{ss}", "removal_reason", body_str(x, "reason"));
	json_object_set_new(ch, "removal_detail", body_str(x, "detail") ? json_string(body_str(x, "detail")) : json_null());
	if (set_fields(x, ch, e))
		return -1;
	return core__notify(x, "removal.recommended", x->scope.record, "Removal of the alliance partner is recommended", NULL, e);
}

static int effect_cancel_removal(struct ctx *x, struct err *e)
{
	return set_fields(x, json_pack("{sn sn}", "removal_reason", "removal_detail"), e);
}

static int effect_returned(struct ctx *x, struct err *e)
{
	return core__notify(x, "wr.returned", x->scope.record, "The Work Register returned to drafting", NULL, e);
}

static int effect_committees_passed(struct ctx *x, struct err *e)
{
	return core__notify(x, "wr.committees_approved", x->scope.record, "Every committee approved: schedule the Board's vote", NULL, e);
}

static int effect_board_passed(struct ctx *x, struct err *e)
{
	return core__notify(x, "wr.board_approved", x->scope.record, "The Board approved the Work Register", NULL, e);
}

/* Withdrawn, removed or dissolved: what is still pending on the WR (its
 * amendments and their ballots) ends with it, through the engine's event
 * "wr.ended" (issue 21). */
static int effect_ended(struct ctx *x, struct err *e)
{
	if (set_fields(x, json_pack("{ss}", "ended_at", x->now_iso), e) || core__ballot_cancel_open(x, wr_id(x), e) ||
	    core__emit(x, "wr.ended", x->scope.record, e))
		return -1;
	return core__notify(x, strstr(x->info ? x->info->name : "", "withdraw") ? "wr.withdrawn" : "wr.removed",
			    x->scope.record, "The Work Register ended", NULL, e);
}

/* The request bodies of the lifecycle's steps. */
static const char *const removal_reasons[] = { "disbanded", "not_maintained", "stagnated", "dissolution", NULL };
static const struct jfield participant[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200, .label = "Name" },
	{ .name = "email", .type = JT_EMAIL, .label = "E-mail" },
	{ .name = "organization", .type = JT_STR, .max = 200 },
	{ 0 }
};
const struct jfield core__note_spec[] = { { .name = "note", .type = JT_TEXT, .max = 4000, .label = "Note" }, { 0 } };
static const struct jfield owner_spec[] = {
	{ .name = "owner_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R1", .label = "Owner (an Alliance Committee member, R1)" },
	{ .name = "note", .type = JT_TEXT, .max = 4000, .label = "Note" }, { 0 } };
static const struct jfield call_spec[] = {
	{ .name = "scheduled_at", .type = JT_STR, .flags = JF_REQUIRED, .max = 40, .rule = "R14", .label = "When (YYYY-MM-DDTHH:MM:SSZ)" },
	{ .name = "participants", .type = JT_ARRAY, .max = 100, .items = participant, .rule = "R14", .label = "Participants (one name per line)" },
	{ .name = "outcome", .type = JT_TEXT, .max = 8000, .label = "Outcome" },
	{ 0 }
};
static const struct jfield open_ballot_spec[] = {
	{ .name = "body_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R18", .label = "Committee" }, { 0 } };
static const struct jfield resolution_spec[] = {
	{ .name = "resolution", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 8000, .rule = "R7", .label = "Board resolution" },
	{ .name = "approval_date", .type = JT_DATE, .flags = JF_REQUIRED, .rule = "R7", .label = "Date of approval (YYYY-MM-DD)" },
	{ 0 }
};
static const struct jfield decline_spec[] = {
	{ .name = "reason", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 8000, .rule = "R20", .label = "Reasons" }, { 0 } };
static const struct jfield removal_spec[] = {
	{ .name = "reason", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = removal_reasons, .rule = "R30", .label = "Reason" },
	{ .name = "detail", .type = JT_TEXT, .max = 8000, .label = "Detail" },
	{ 0 }
};
static const struct jfield review_spec[] = {
	{ .name = "summary", .type = JT_STR, .max = 500, .rule = "R50", .label = "Summary of the update" }, { 0 } };

#define STAFF_EDITORS (G_VP | G_OWNER)

/* R11: host staff who propose name the owner at once. */
static int guard_named_owner(struct ctx *x, struct err *e)
{
	return json_is_integer(json_object_get(body(x), "owner_id")) ? 0 : err_set(e, E_MISSING_FIELD, "owner_id", "no owner named");
}

const struct step core__steps[] = {
	{ "wr.create", "", "drafting", G_ANY, guard_named_owner, NULL, M_START, "R11",
	  "Host staff propose a Work Register with its owner (R1): drafting begins at once", NULL, NULL, .spec = NULL },
	{ "wr.create", "", "proposed", G_ANY, NULL, NULL, M_START, "R10",
	  "A partner's representative or host staff propose a Work Register", NULL, NULL, .spec = NULL },
	{ "wr.take_up", "proposed", "drafting", G_SYSTEM, NULL, NULL, 0, "R11",
	  "Host staff name the owner of a member's proposal: drafting begins", NULL, NULL, .spec = NULL },
	{ "wr.assign_owner", "proposed", "drafting", G_VP, guard_owner, effect_owner, M_INPUT, "R11",
	  "The VP of Alliances assigns an owner, an active Alliance Committee member (R1), to an external proposal", NULL, NULL,
	  .spec = owner_spec, .aflags = A_BODY, .summary = "assign the owner" },
	{ "wr.withdraw", "proposed|drafting|socialization", "withdrawn", G_VP | G_OWNER | G_PROPOSER | G_PARTNER, NULL, effect_ended, 0, "R10",
	  "The proposer, the owner, the partner or the VP withdraws the proposal", NULL, NULL,
	  .spec = core__note_spec, .summary = "withdraw the proposal",
	  .consequence = "The Work Register ends for good: it cannot be taken up again, and everyone concerned is told." },
	/* issue 21: a WR waiting on a ballot that cannot open (a committee with
	 * no voting members) is never stuck: the VP withdraws it before its
	 * establishment, from any state; its open ballots are cancelled */
	{ "wr.withdraw", "committee_ballots|committee_approved|board_ballot|board_approved|sent_to_partner", "withdrawn", G_VP, NULL,
	  effect_ended, 0, "R8", "The VP of Alliances withdraws the Work Register before its establishment", NULL, NULL,
	  .spec = core__note_spec, .summary = "withdraw the proposal",
	  .consequence = "The Work Register ends for good and its open ballots are cancelled; everyone concerned is told." },
	/* R8, R11, R1: the VP replaces an owner at any stage (one who left the
	 * Alliance Committee, say), recorded in the history */
	{ "wr.replace_owner", "drafting|socialization|committee_ballots|committee_approved|board_ballot|board_approved|sent_to_partner|"
	  "established|removal_proposed|removal_ballot", NULL, G_VP, guard_owner, effect_owner, M_INPUT | M_VERSION, "R8",
	  "The VP of Alliances replaces the owner with an active voting member of the Alliance Committee (R1)", NULL, NULL,
	  .spec = owner_spec, .aflags = A_BODY, .summary = "replace the owner" },
	{ "wr.request_call", "drafting|socialization", NULL, G_VP, NULL, effect_call, 0, "R14",
	  "The VP of Alliances requests a completeness call with the partner's representatives", NULL, NULL,
	  .spec = call_spec, .aflags = A_BODY, .summary = "request a completeness call" },
	{ "wr.socialize", "drafting", "socialization", STAFF_EDITORS, guard_complete, effect_socialize, 0, "R15",
	  "The complete draft goes to the chairs of every involved committee and working group for feedback", NULL, NULL,
	  .spec = core__note_spec, .summary = "send the draft to the committees",
	  .consequence = "The chairs of every involved committee and working group are sent the draft for feedback now." },
	{ "wr.revise", "socialization", "drafting", STAFF_EDITORS, NULL, NULL, 0, "R13",
	  "The owner takes the draft back to revise it with the feedback", NULL, NULL,
	  .spec = core__note_spec, .summary = "take the draft back to drafting" },
	{ "wr.submit", "socialization", "committee_ballots", STAFF_EDITORS, guard_submit, effect_submit, 0, "R17",
	  "With every comment closed, the draft is frozen and balloted in the Originating Committee", NULL, "committee:origin",
	  .spec = core__note_spec, .summary = "submit the draft to the Originating Committee's ballot",
	  .consequence = "The draft is frozen as a version and the Originating Committee's ballot opens; its voters are asked to vote." },
	{ "wr.open_ballot", "committee_ballots", NULL, G_BODY_CHAIR | G_VP, guard_parallel, NULL, M_INPUT, "R18",
	  "The chair of another committee with work in the milestones ballots it in parallel", NULL, "committee:request",
	  .spec = open_ballot_spec, .aflags = A_BODY, .summary = "open this committee's ballot", .scope = core__scope_wr_body,
	  .consequence = "The committee's ballot opens on the frozen draft; its voters are asked to vote." },
	{ "wr.committees_passed", "committee_ballots", "committee_approved", G_SYSTEM, NULL, effect_committees_passed, 0, "R4",
	  "Every involved committee approved", "committees:passed", NULL, .spec = NULL },
	{ "wr.committee_failed", "committee_ballots", "drafting", G_SYSTEM, NULL, effect_returned, 0, "R17",
	  "A committee ballot failed: back to drafting with every 'no' comment", "committee:failed", NULL, .spec = NULL },
	{ "wr.schedule_board", "committee_approved", "board_ballot", G_EXEC, guard_board, NULL, 0, "R5",
	  "The Executive Committee, with the VP and the owner, schedules the Board's ballot", NULL, "board",
	  .spec = core__note_spec, .summary = "schedule the Board's ballot",
	  .consequence = "The Board's ballot opens; the Board's members are asked to vote." },
	{ "wr.board_call", "board_ballot", NULL, G_BOARD | G_VP, NULL, effect_call, 0, "R19",
	  "The Board holds a conference call with the partner's representatives", NULL, NULL,
	  .spec = call_spec, .aflags = A_BODY, .summary = "record a Board call" },
	{ "wr.board_passed", "board_ballot", "board_approved", G_SYSTEM, NULL, effect_board_passed, 0, "R19",
	  "The Board approved", "board:passed", NULL, .spec = NULL },
	{ "wr.board_failed", "board_ballot", "drafting", G_SYSTEM, NULL, effect_returned, 0, "R19",
	  "The Board's ballot failed: back to drafting with every 'no' comment", "board:failed", NULL, .spec = NULL },
	{ "wr.record_resolution", "board_approved", NULL, G_VP, NULL, effect_resolution, M_VERSION, "R7",
	  "The Board resolution and the date of approval are recorded in the Work Register", NULL, NULL,
	  .spec = resolution_spec, .aflags = A_BODY, .summary = "record the Board resolution" },
	{ "wr.send_to_partner", "board_approved", "sent_to_partner", G_OWNER, guard_send, effect_send, 0, "R20",
	  "The owner sends the approved Work Register to the partner", NULL, NULL,
	  .spec = core__note_spec, .summary = "send the approved Work Register to the partner",
	  .consequence = "The partner is sent the approved Work Register for acceptance; this cannot be undone." },
	{ "wr.accept", "sent_to_partner", "established", G_PARTNER, guard_partner, effect_accept, 0, "R20",
	  "A partner representative accepts: the alliance is established", NULL, NULL,
	  .spec = core__note_spec, .summary = "accept the Work Register for the partner",
	  .consequence = "The alliance is established in the partner's name and this version released; this cannot be undone." },
	{ "wr.decline", "sent_to_partner", "drafting", G_PARTNER, guard_partner, effect_decline, 0, "R20",
	  "The partner declines, with reasons: back to drafting", NULL, NULL,
	  .spec = decline_spec, .aflags = A_BODY, .summary = "decline the Work Register for the partner",
	  .consequence = "The Work Register goes back to drafting with the partner's reasons; the owner and the VP are told." },
	{ "wr.record_review", "established", NULL, G_OWNER | G_VP, NULL, effect_review, 0, "R27",
	  "The owner records the regular update (at least every 24 months)", NULL, NULL,
	  .spec = review_spec, .summary = "record the regular update" },
	{ "wr.recommend_removal", "established", "removal_proposed", G_VP | G_EXEC, guard_removal, effect_removal, M_INPUT, "R31",
	  "The VP or an Executive Committee member recommends removal or dissolution (R30-R32)", NULL, NULL,
	  .spec = removal_spec, .aflags = A_BODY, .summary = "recommend removal" },
	{ "wr.cancel_removal", "removal_proposed", "established", G_VP | G_EXEC, NULL, effect_cancel_removal, 0, "R33",
	  "The recommendation is withdrawn", NULL, NULL,
	  .spec = core__note_spec, .summary = "withdraw the removal recommendation" },
	{ "wr.schedule_removal", "removal_proposed", "removal_ballot", G_EXEC | G_VP, NULL, NULL, 0, "R33",
	  "The Board ballots on the removal", NULL, "removal",
	  .spec = core__note_spec, .summary = "schedule the Board's removal ballot",
	  .consequence = "The Board's ballot on the removal opens; the Board's members are asked to vote." },
	{ "wr.removal_passed", "removal_ballot", "removed", G_SYSTEM, guard_removal_asked, effect_ended, 0, "R33",
	  "The Board approved the removal", "removal:passed", NULL, .spec = NULL },
	{ "wr.dissolution_passed", "removal_ballot", "dissolved", G_SYSTEM, guard_dissolution, effect_ended, 0, "R32",
	  "The Board approved the dissolution", "removal:passed", NULL, .spec = NULL },
	{ "wr.removal_failed", "removal_ballot", "established", G_SYSTEM, NULL, effect_cancel_removal, 0, "R33",
	  "The Board's removal ballot failed", "removal:failed", NULL, .spec = NULL },
	{ 0 },
};

/* The ballot a step opens (its `opens`): R17 the Originating Committee's,
 * R18 another involved committee's, R5/R19 and R33 the Board's; on the
 * WR's current version, which is frozen from then on (R17). */
static int open_ballot(struct ctx *x, const char *opens, struct err *e)
{
	int64_t id;
	int ret;
	if (!strcmp(opens, "committee:origin"))
		ret = core__ballot_open(x, json_integer_value(json_object_get(x->scope.record, "originating_body_id")), "committee", 0, &id, e);
	else if (!strcmp(opens, "committee:request"))
		ret = core__ballot_open(x, json_integer_value(json_object_get(body(x), "body_id")), "committee", 0, &id, e);
	else
		ret = core__board_ballot_open(x, opens, 0, &id, e); /* "board", "removal" */
	if (ret)
		return -1;
	json_t *where = json_pack("{sI sO}", "wr_id", (json_int_t)wr_id(x), "revision", json_object_get(x->scope.record, "revision"));
	json_t *v = NULL, *ch = json_pack("{sb}", "frozen", 1);
	ret = store_find_one(x->st, "wr_versions", where, &v, e) ||
	      store_update(x->st, "wr_versions", json_integer_value(json_object_get(v, "id")), ch, e) ? -1 : 0;
	json_decref(where);
	json_decref(v);
	json_decref(ch);
	return ret;
}

/* Back to drafting, earlier approvals no longer count: the open ballots of
 * the round are cancelled and its Board resolution goes with it (R7). */
static int reset(struct ctx *x, struct err *e)
{
	return core__ballot_cancel_open(x, wr_id(x), e) || resolution_clear(x, e) ? -1 : 0;
}

static int resets(const struct step *s) { return s->to && !strcmp(s->to, "drafting"); }

/* After a step's state and effect (the engine's), what a WR's step also
 * does: a return to drafting resets the round (R7); R50: a step that
 * changes what the WR is (its state, or its record, M_VERSION) writes a
 * version with the step's text and the next update number (0.1.1), unless
 * its effect wrote one already, so the revision, the WR's ETag, changes
 * with every step too; then the ballot it opens, on that version. */
static int settle(struct ctx *x, const struct step *s, int64_t rev, struct err *e)
{
	if (resets(s) && reset(x, e))
		return -1;
	if ((s->to || (s->marks & M_VERSION)) && json_integer_value(json_object_get(x->scope.record, "revision")) == rev) {
		char summary[300];
		snprintf(summary, sizeof(summary), "%s (%s)", s->text, s->rule ? s->rule : s->action);
		if (core__wr_version(x, wr_id(x), summary, V_STEP, e) || core__wr_reload(x, e))
			return -1;
	}
	return s->opens ? open_ballot(x, s->opens, e) : 0;
}

/* The ballot purpose an `on` or `opens` names ("committees:passed" and
 * "committee:origin" name "committee"; "board"; "removal"), and its result. */
static const char *purpose_of(const char *v, char *buf, size_t n)
{
	size_t len = strcspn(v, ":");
	snprintf(buf, n, "%.*s", (int)len, v);
	if (!strcmp(buf, "committees"))
		snprintf(buf, n, "committee");
	return buf;
}
static int on_passed(const char *on) { return !strcmp(on + strcspn(on, ":"), ":passed"); }

struct result {
	const char *purpose;
	int passed;
};

/* A step that follows a ballot's result: its `on` names the purpose and
 * the result; "committees:" only once every involved committee passed (R4,
 * R5: the last one's ballot moves the WR). */
static int follows(struct ctx *x, const struct step *s, void *data)
{
	const struct result *r = data;
	char p[32];
	json_t *missing = NULL;
	if (!s->on || strcmp(purpose_of(s->on, p, sizeof(p)), r->purpose) || on_passed(s->on) != !!r->passed)
		return 0;
	if (strncmp(s->on, "committees:", 11))
		return 1;
	int all = core__committees_passed(x, &missing);
	json_decref(missing);
	return all;
}

/* A ballot closed (the engine's event "ballot.closed": {ballot, votes,
 * passed}) on a WR's step: what the process table says follows (its rows'
 * `on`); a failed committee or Board ballot first makes every 'no' a
 * comment (R17, R19). A ballot of an earlier round decides nothing; an
 * amendment's ballot is amend.c's. */
int core__lifecycle_ballot_closed(struct ctx *x, json_t *event, struct err *e)
{
	json_t *ballot = json_object_get(event, "ballot"), *votes = json_object_get(event, "votes");
	struct result r = { json_string_value(json_object_get(ballot, "purpose")), json_is_true(json_object_get(event, "passed")) };
	if (!strcmp(r.purpose, "amendment") || !json_equal(json_object_get(ballot, "round"), json_object_get(x->scope.record, "ballot_round")))
		return 0;
	if (!r.passed && strcmp(r.purpose, "removal") && core__comments_from_no_votes(x, ballot, votes, e))
		return -1;
	return core__step_when(x, follows, &r, e);
}

/* ---- what the process check derives and forbids (R4, R5, R7, R19, R20,
 * R32, R33) ---- */

/* What a WR has been through since it last returned to drafting, derived
 * from what each step does (never declared on a row): the ballots it
 * opened (`opens`), the results that moved it (`on`), the partner's own
 * step forward. */
enum {
	K_COMMITTEES = 1,   /* "committees:passed": every involved committee approved */
	K_BOARD = 2,        /* "board:passed" */
	K_ACCEPTED = 4,     /* a step only the partner takes, forward */
	K_OPEN_COMMITTEE = 8, K_OPEN_BOARD = 16, K_OPEN_REMOVAL = 32, /* a ballot of that purpose is open */
};

static int open_mark(const char *v)
{
	char p[32];
	purpose_of(v, p, sizeof(p));
	return !strcmp(p, "committee") ? K_OPEN_COMMITTEE : !strcmp(p, "board") ? K_OPEN_BOARD : !strcmp(p, "removal") ? K_OPEN_REMOVAL : 0;
}

static int marks_after(const struct step *s, int m)
{
	if (resets(s))
		return 0;
	if (s->opens)
		m |= open_mark(s->opens);
	if (s->on) {
		m &= ~open_mark(s->on);
		if (on_passed(s->on))
			m |= !strncmp(s->on, "committees:", 11) ? K_COMMITTEES : !strcmp(s->on, "board:passed") ? K_BOARD : 0;
	}
	if (s->who == G_PARTNER && s->to)
		m |= K_ACCEPTED;
	return m;
}

/* States only a passed Board ballot may lead to (R32, R33). */
static int board_end(const char *s) { return !strcmp(s, "removed") || !strcmp(s, "dissolved"); }

/* A ballot result followed where no such ballot is open, the Board's
 * ballot opened before every involved committee approved (R4, R5),
 * removal or dissolution without a passed Board ballot (R32, R33), a way
 * into "established" without a passed Board ballot and the partner's
 * acceptance since the last return to drafting (R19, R20). */
static int forbids(const struct step *s, const char *from, const char *to, int marks, int m, char *why, size_t n)
{
	char pb[32];
	if (s->on && !(marks & open_mark(s->on)))
		return snprintf(why, n, "follows a %s ballot's result in %s, where no such ballot is open", purpose_of(s->on, pb, sizeof(pb)),
				from), 1;
	if (s->opens && open_mark(s->opens) == K_OPEN_BOARD && !(marks & K_COMMITTEES))
		return snprintf(why, n, "opens the Board's ballot from %s before every involved committee approved (R4, R5)", from), 1;
	if (board_end(to) && strcmp(to, from) && !(s->on && !strcmp(s->on, "removal:passed")))
		return snprintf(why, n, "reaches %s from %s without a passed Board ballot on the removal (R32, R33)", to, from), 1;
	if (!strcmp(to, "established") && strcmp(from, "established") && (m & (K_BOARD | K_ACCEPTED)) != (K_BOARD | K_ACCEPTED))
		return snprintf(why, n, "reaches established from %s without %s", from,
				(m & K_BOARD) ? "the partner's acceptance (R20)" : "a passed Board ballot (R7, R19)"), 1;
	return 0;
}

const struct process core__wr_process = {
	.name = "work_register", .noun = "Work Register", .table = "work_registers", .states = core__wr_states,
	.labels = core__wr_state_labels, .tones = core__wr_state_tones,
	.starts = "proposed|drafting", /* wr.create starts a member proposal with an owner in drafting */
	.finals = "withdrawn|removed|dissolved", .steps = core__steps, .scope = core__scope_wr,
	.collection = "/api/v1/work-registers", .command = "wr",
	.flags = P_STATE_FIRST | P_REVISED, .present = core__wr_document, .settle = settle,
	.marks_after = marks_after, .forbids = forbids,
	.promises = "every ballot result follows an open ballot, the Board's ballot only after every involved committee "
		    "approved, removal and dissolution only by a passed Board ballot, \"established\" only after a passed Board "
		    "ballot and the partner's acceptance",
};
