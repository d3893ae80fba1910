/* Change requests (DSP4003 5.3, R42-R45): a partner asks for a change to a
 * DMTF standard through the feedback portal, with the Change Request
 * template; the request is routed to the body that owns the standard (the
 * register, registry.c), whose chair reviews it, writes to the submitter
 * and decides; a chair may schedule joint meetings (meeting.c). Its states
 * are a process table of the one engine (process.c); nothing changes after
 * closing except by reopening with a reason. */
#include <string.h>

#include "core/domain/cr.h"
#include "core/domain/meeting.h"
#include "core/domain/publish.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"
#include "core/engine/notify.h"
#include "core/engine/outbox.h"
#include "core/engine/process.h"
#include "core/engine/rows.h"
#include "core/engine/settings.h"
#include "lib/strbuf.h"
#include "lib/util.h"

static const char *const cr_states[] = { "submitted", "under_review", "needs_discussion", "accepted", "rejected", "withdrawn", NULL };
static const char *const cr_labels[] = { "Submitted", "Under review", "Needs a joint meeting", "Accepted", "Rejected", "Withdrawn", NULL };
static const char *const cr_tones[] = { "vote", "work", "work", "done", "ended", "ended", NULL };

static const struct jfield attachment[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ .name = "text", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 100000 },
	{ 0 }
};

/* The DMTF Change Request template (5.3.1). */
const struct jfield core__cr_spec[] = {
	{ .name = "dmtf_standard_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R42" },
	{ .name = "standard_version", .type = JT_STR, .flags = JF_REQUIRED, .max = 40, .rule = "R42" },
	{ .name = "section", .type = JT_STR, .flags = JF_NULLABLE, .max = 200 },
	/* R42: "preferably" the template: its three parts are offered, and
	 * the problem alone, in free text, is a request too (issue 21, 20) */
	{ .name = "problem", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 20000, .rule = "R42" },
	{ .name = "proposed_change", .type = JT_TEXT, .max = 20000, .rule = "R42" },
	{ .name = "rationale", .type = JT_TEXT, .max = 20000, .rule = "R42" },
	{ .name = "attachments", .type = JT_ARRAY, .max = 10, .items = attachment },
	{ .name = "wr_id", .type = JT_ID, .flags = JF_NULLABLE, .rule = "R43" },
	{ .name = "attests", .type = JT_BOOL, .rule = "R43" },
	{ 0 }
};

const struct jfield core__cr_message_spec[] = {
	{ .name = "text", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 20000, .rule = "R44" },
	{ 0 }
};

static const char *const meeting_kinds[] = { "teleconference", "face_to_face", NULL };
static const struct jfield discuss_meeting[] = {
	{ .name = "title", .type = JT_STR, .max = 200, .label = "Meeting title" },
	{ .name = "starts_at", .type = JT_STR, .max = 16, .label = "Starts (local time)" },
	{ .name = "ends_at", .type = JT_STR, .max = 16, .label = "Ends (local time)" },
	{ .name = "time_zone", .type = JT_STR, .max = 64, .label = "Time zone (IANA, e.g. Europe/Berlin)" },
	{ .name = "kind", .type = JT_ENUM, .enums = meeting_kinds, .label = "Kind" },
	{ .name = "location", .type = JT_TEXT, .max = 2000, .label = "Where / dial-in" },
	{ .name = "agenda", .type = JT_TEXT, .max = 20000, .label = "Agenda" },
	{ 0 }
};
const struct jfield core__cr_discuss_spec[] = {
	{ .name = "note", .type = JT_TEXT, .max = 20000, .label = "Note" },
	{ .name = "meeting", .type = JT_OBJECT, .items = discuss_meeting, .rule = "R45",
	  .label = "Optionally schedule a joint meeting with the partner now" },
	{ 0 }
};
/* The bodies of the closing steps: a rejection and a reopening give their
 * reason; an acceptance and a withdrawal may. */
static const struct jfield reject_spec[] = {
	{ .name = "reason", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 20000, .rule = "R44", .label = "The reason (required)" }, { 0 } };
static const struct jfield reopen_spec[] = {
	{ .name = "reason", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 20000, .rule = "R44", .label = "The reason for reopening (required)" },
	{ 0 } };
static const struct jfield accept_spec[] = {
	{ .name = "reason", .type = JT_TEXT, .max = 20000, .rule = "R44", .label = "The decision (optional)" }, { 0 } };
static const struct jfield withdraw_spec[] = {
	{ .name = "reason", .type = JT_TEXT, .max = 20000, .rule = "R42", .label = "Why (optional)" }, { 0 } };

static json_t *body(struct ctx *x) { return x->call->body; }
static int64_t cr_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.record, "id")); }

/* What the request says of itself, for messages. */
static void about(struct ctx *x, char *buf, size_t n)
{
	json_t *r = x->scope.record;
	const char *decision = json_string_value(json_object_get(r, "decision"));
	snprintf(buf, n, "Change request %lld on %s %s, section %s\nStatus: %s%s%s",
		 (long long)json_integer_value(json_object_get(r, "id")), json_string_value(json_object_get(r, "dsp")),
		 json_string_value(json_object_get(r, "standard_version")),
		 json_is_string(json_object_get(r, "section")) ? json_string_value(json_object_get(r, "section")) : "-",
		 core__state_label(&core__cr_process, json_string_value(json_object_get(r, "status"))), decision ? "\nThe body's decision: " : "", decision ? decision : "");
}

/* subjects (taken, may be NULL): words for a role of its own ({"submitter":
 * "Your change request ..."}), else subject. */
static int tell_roles(struct ctx *x, const char *event, const char *subject, json_t *subjects, struct err *e)
{
	char text[21000], link[64];
	about(x, text, sizeof(text));
	snprintf(link, sizeof(link), "#/change-request/%lld", (long long)cr_id(x));
	json_t *extra = json_pack("{sO sO ss ss}", "submitter", json_object_get(x->scope.record, "submitter_id"), "body_id",
				  json_object_get(x->scope.record, "body_id"), "about", text, "link", link);
	if (subjects)
		json_object_set_new(extra, "subjects", subjects);
	return core__notify(x, event, NULL, subject, extra, e);
}

static int tell(struct ctx *x, const char *event, const char *subject, struct err *e) { return tell_roles(x, event, subject, NULL, e); }

static int add_message(struct ctx *x, const char *direction, const char *text, struct err *e)
{
	json_t *row = json_pack("{sI ss ss ss ss}", "cr_id", (json_int_t)cr_id(x), "direction", direction, "author", x->actor.label,
				"text", text, "created_at", x->now_iso);
	if (x->actor.person_id)
		json_object_set_new(row, "author_id", json_integer(x->actor.person_id));
	int ret = store_insert(x->st, "cr_messages", row, NULL, e);
	json_decref(row);
	return ret;
}

/* ---- guards and effects of the steps ---- */

static int guard_reason(struct ctx *x, struct err *e)
{
	if (text_blank(json_string_value(json_object_get(body(x), "reason"))))
		return err_set(e, E_MISSING_FIELD, "reason", "give the reason");
	return 0;
}

static int effect_decided(struct ctx *x, struct err *e)
{
	const char *reason = json_string_value(json_object_get(body(x), "reason"));
	json_t *ch = json_pack("{ss ss}", "closed_at", x->now_iso, "updated_at", x->now_iso);
	json_object_set_new(ch, "decision", reason && *reason ? json_string(reason) : json_null());
	int ret = store_update(x->st, "change_requests", cr_id(x), ch, e);
	json_decref(ch);
	return ret || (reason && *reason && add_message(x, "note", reason, e)) ? -1 : 0;
}

static int effect_reopen(struct ctx *x, struct err *e)
{
	json_t *ch = json_pack("{sn sn ss}", "closed_at", "decision", "updated_at", x->now_iso);
	int ret = store_update(x->st, "change_requests", cr_id(x), ch, e);
	json_decref(ch);
	return ret || add_message(x, "note", json_string_value(json_object_get(body(x), "reason")), e) ? -1 : 0;
}

/* R45: more discussion is needed; a joint meeting linked to the request
 * may be scheduled with it. */
static int effect_discuss(struct ctx *x, struct err *e)
{
	const char *note = json_string_value(json_object_get(body(x), "note"));
	json_t *m = json_object_get(body(x), "meeting");
	int64_t id;
	if (note && *note && add_message(x, "note", note, e))
		return -1;
	if (!m)
		return 0;
	json_t *row = json_deep_copy(m);
	json_object_set(row, "body_id", json_object_get(x->scope.record, "body_id"));
	json_object_set(row, "partner_id", json_object_get(x->scope.record, "partner_id"));
	json_object_set_new(row, "cr_id", json_integer(cr_id(x)));
	if (!json_object_get(row, "title")) {
		char t[120];
		snprintf(t, sizeof(t), "Change request %lld: joint meeting", (long long)cr_id(x));
		json_object_set_new(row, "title", json_string(t));
	}
	int ret = core__meeting_insert(x, row, &id, e);
	json_decref(row);
	return ret;
}

static int cr_changed(struct ctx *x, const struct step *s, struct err *e)
{
	char subject[160];
	const char *status = json_string_value(json_object_get(x->scope.record, "status"));
	/* issue 21, 16: the submitter reads of their request, the body's chair
	 * of the body's; both read the decision and its reason (R44) */
	snprintf(subject, sizeof(subject), "Change request %lld: %s", (long long)cr_id(x), core__state_label(&core__cr_process, status));
	(void)s;
	return tell_roles(x, "cr.changed", subject,
			  json_pack("{s:s+}", "submitter", "Your change request: ", core__state_label(&core__cr_process, status)), e);
}

#define CHAIRS (G_BODY_CHAIR | G_VP)

static const struct step cr_steps[] = {
	{ "cr.review", "submitted", "under_review", CHAIRS, NULL, NULL, 0, "R44",
	  "The chair of the body that owns the standard takes the request up for review", NULL, NULL,
	  .summary = "take the change request up for review" },
	{ "cr.discuss", "under_review", "needs_discussion", CHAIRS, NULL, effect_discuss, M_INPUT, "R45",
	  "More discussion is needed: the chair may schedule a joint meeting with the partner", NULL, NULL,
	  .spec = core__cr_discuss_spec, .summary = "mark that the request needs discussion (a joint meeting)" },
	{ "cr.accept", "under_review|needs_discussion", "accepted", CHAIRS, NULL, effect_decided, M_INPUT, "R44",
	  "The body accepts the requested change", NULL, NULL,
	  .spec = accept_spec, .aflags = A_BODY, .summary = "accept the change request" },
	{ "cr.reject", "under_review|needs_discussion", "rejected", CHAIRS, guard_reason, effect_decided, M_INPUT, "R44",
	  "The body rejects the request, with its reason", NULL, NULL,
	  .spec = reject_spec, .aflags = A_BODY, .summary = "reject the change request" },
	{ "cr.withdraw", "submitted|under_review|needs_discussion", "withdrawn", G_PROPOSER | G_PARTNER, NULL, effect_decided,
	  M_INPUT, "R42", "The submitter or the partner withdraws the request", NULL, NULL,
	  .spec = withdraw_spec, .summary = "withdraw the change request",
	  .consequence = "The change request is withdrawn for good: it cannot be reopened." },
	{ "cr.reopen", "accepted|rejected", "under_review", CHAIRS, guard_reason, effect_reopen, M_INPUT, "R44",
	  "A closed request is reopened, with the reason", NULL, NULL,
	  .spec = reopen_spec, .aflags = A_BODY, .summary = "reopen the change request" },
	{ 0 },
};

static json_t *cr_present(struct ctx *x, json_t *row);

const struct process core__cr_process = {
	.name = "change_request", .noun = "change request", .table = "change_requests", .states = cr_states,
	.labels = cr_labels, .tones = cr_tones,
	.starts = "submitted", .finals = "accepted|rejected|withdrawn", .steps = cr_steps, .changed = cr_changed,
	.present = cr_present, .scope = core__scope_cr, .collection = "/api/v1/change-requests", .command = "cr",
};

/* ---- reading ---- */

static json_t *rows_where(struct ctx *x, const char *table, const char *key, int64_t id)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI}", key, (json_int_t)id), *rows = NULL;
	struct store_query q = { .where = where };
	if (store_find(x->st, table, &q, &rows, &ignored))
		rows = json_array();
	json_decref(where);
	return rows;
}

/* The request with its conversation and its joint meetings (R44, R45). */
static json_t *cr_present(struct ctx *x, json_t *row)
{
	json_t *r = json_deep_copy(row);
	int64_t id = json_integer_value(json_object_get(row, "id"));
	json_object_set_new(r, "messages", rows_where(x, "cr_messages", "cr_id", id));
	json_object_set_new(r, "meetings", rows_where(x, "joint_meetings", "cr_id", id));
	return r;
}

/* Who sees a request: host staff, the submitter, the partner's
 * representatives; anyone else is told it does not exist. */
static int visible(struct ctx *x, json_t *row)
{
	if (x->actor.system || x->actor.staff)
		return 1;
	if (json_integer_value(json_object_get(row, "submitter_id")) == x->actor.person_id)
		return 1;
	return json_is_integer(json_object_get(row, "partner_id")) &&
	       json_integer_value(json_object_get(row, "partner_id")) == x->actor.org_id;
}

int core__scope_cr(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "change_requests", id, &row, e) || !visible(x, row)) {
		json_decref(row);
		return err_set(e, E_NOT_FOUND, NULL, "no such change request");
	}
	x->scope.process = &core__cr_process;
	x->scope.record = row;
	x->scope.body_id = json_integer_value(json_object_get(row, "body_id"));
	x->scope.org_id = json_integer_value(json_object_get(row, "partner_id"));
	x->scope.proposer_id = json_integer_value(json_object_get(row, "submitter_id"));
	return 0;
}

int core__cr_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	int64_t body_id, partner;
	if (core__query_enum(x, where, "status", cr_states, e) || core__query_id(x, "body_id", &body_id, e) ||
	    core__query_id(x, "partner_id", &partner, e)) {
		json_decref(where);
		return -1;
	}
	if (body_id)
		json_object_set_new(where, "body_id", json_integer(body_id));
	if (partner)
		json_object_set_new(where, "partner_id", json_integer(partner));
	if (!x->actor.system && !x->actor.staff) {
		if (x->actor.org_id) /* every person not of the host is of a partner */
			json_object_set_new(where, "partner_id", json_integer(x->actor.org_id)); /* their partner's */
		else
			json_object_set_new(where, "submitter_id", json_integer(x->actor.person_id)); /* their own */
	}
	return core__list(x, "change_requests", where, NULL, e);
}

/* ---- submitting (R42, R43) and the conversation (R44) ---- */

/* R43 (issue 21, 12): what the WR agreed is what was approved and
 * accepted: its latest published version (1.0.0 on, R50), never a
 * draft's text that nobody at the DMTF approved. NULL when none. */
static json_t *approved_version(struct ctx *x, json_t *wr)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sO}", "wr_id", json_object_get(wr, "id")), *vs = NULL, *found = NULL;
	struct store_query q = { .where = where, .order = "revision", .desc = 1, .columns = "id,label,snapshot" };
	if (!store_find(x->st, "wr_versions", &q, &vs, &ignored))
		for (size_t i = 0; !found && i < json_array_size(vs); i++)
			if (core__version_published(json_array_get(vs, i)))
				found = json_incref(json_array_get(vs, i));
	json_decref(where);
	json_decref(vs);
	return found;
}

int core__cr_create(struct ctx *x, struct err *e)
{
	const json_t *b = body(x);
	json_t *std = NULL, *wr = NULL, *row = NULL, *made = NULL;
	char buf[16];
	int64_t id;
	int ret = -1;
	json_t *me = NULL;
	int partner = !x->actor.staff && !x->actor.system && x->actor.org_id;
	if (!partner && !x->actor.system && strcmp(core__setting(x, "feedback_from_anyone", buf, sizeof(buf)), "true")) {
		err_set(e, E_FORBIDDEN, NULL, "the feedback portal takes change requests from partners' representatives");
		snprintf(e->rule, sizeof(e->rule), "R42");
		goto out;
	}
	if (partner && !json_is_true(json_object_get(b, "attests"))) {
		err_set(e, E_MISSING_FIELD, "attests", "attest that you may represent your organization in this request (attests: true)");
		snprintf(e->rule, sizeof(e->rule), "R43");
		goto out;
	}
	if (store_get(x->st, "dmtf_standards", json_integer_value(json_object_get(b, "dmtf_standard_id")), &std, e)) {
		err_set(e, E_INVALID, "dmtf_standard_id", "no such DMTF standard in the register (see /api/v1/dmtf-standards)");
		goto out;
	}
	if (json_is_true(json_object_get(std, "retired"))) {
		err_set(e, E_CONFLICT, "dmtf_standard_id", "%s is retired from the register", json_string_value(json_object_get(std, "dsp")));
		snprintf(e->rule, sizeof(e->rule), "R44");
		goto out;
	}
	row = json_deep_copy(b);
	json_object_del(row, "attests");
	if (!json_object_get(row, "proposed_change"))
		json_object_set_new(row, "proposed_change", json_string(""));
	if (!json_object_get(row, "rationale"))
		json_object_set_new(row, "rationale", json_string(""));
	if (!json_object_get(row, "attachments"))
		json_object_set_new(row, "attachments", json_array());
	/* R43: free of restrictions unless the partner's WR agreed some */
	json_object_set_new(row, "restrictions", json_string("free"));
	json_t *wid = json_object_get(b, "wr_id");
	if (json_is_integer(wid)) {
		if (store_get(x->st, "work_registers", json_integer_value(wid), &wr, e) || !partner ||
		    json_integer_value(json_object_get(wr, "partner_id")) != x->actor.org_id) {
			err_set(e, E_INVALID, "wr_id", "names no Work Register of your organization");
			snprintf(e->rule, sizeof(e->rule), "R43");
			goto out;
		}
		json_t *approved = approved_version(x, wr);
		const char *agreed = json_string_value(json_object_get(json_object_get(approved, "snapshot"), "feedback_restrictions"));
		if (!text_blank(agreed)) {
			json_object_set_new(row, "restrictions", json_string("wr_agreed"));
			json_object_set_new(row, "restrictions_text", json_string(agreed));
		}
		json_decref(approved);
	}
	json_object_set_new(row, "attested", json_boolean(partner));
	if (partner)
		json_object_set_new(row, "partner_id", json_integer(x->actor.org_id));
	if (!x->actor.person_id || store_get(x->st, "people", x->actor.person_id, &me, e)) {
		err_set(e, E_FORBIDDEN, NULL, "a change request has a person who submits it");
		goto out;
	}
	json_object_set_new(row, "submitter_id", json_integer(x->actor.person_id));
	json_object_set(row, "submitter_email", json_object_get(me, "email")); /* where the chair writes (R44) */
	json_object_set(row, "body_id", json_object_get(std, "body_id")); /* R44: to the body that owns it */
	json_object_set(row, "dsp", json_object_get(std, "dsp"));
	json_object_set_new(row, "status", json_string(core__start_state(x, &core__cr_process)));
	json_object_set_new(row, "created_at", json_string(x->now_iso));
	json_object_set_new(row, "updated_at", json_string(x->now_iso));
	if (store_insert(x->st, "change_requests", row, &id, e) || store_get(x->st, "change_requests", id, &made, e))
		goto out;
	x->scope.process = &core__cr_process;
	x->scope.record = made;
	made = NULL;
	if (tell(x, "cr.submitted", "A change request to a standard your body owns", e))
		goto out;
	snprintf(x->reply->location, sizeof(x->reply->location), "/api/v1/change-requests/%lld", (long long)id);
	json_t *shown = cr_present(x, x->scope.record);
	core__reply(x, 201, json_incref(shown));
	core__audit(x, "change_request", id, NULL, shown);
	ret = 0;
out:
	json_decref(std);
	json_decref(wr);
	json_decref(row);
	json_decref(made);
	json_decref(me);
	return ret;
}

/* R44: the chair writes to the submitter (the outbox carries it by e-mail
 * to the address given with the request); the submitter's replies are kept
 * on the request and the chair hears of them. Closed: reopen first. */
int core__cr_message(struct ctx *x, struct err *e)
{
	const char *text = json_string_value(json_object_get(body(x), "text"));
	const char *status = json_string_value(json_object_get(x->scope.record, "status"));
	int from_chair = core__seat(x, x->scope.body_id, "chair") || x->actor.vp || x->actor.system;
	if (list_has(core__cr_process.finals, '|', status)) {
		err_set(e, E_WRONG_STATE, "status", "the request is %s: reopen it, with a reason, to continue", status);
		snprintf(e->rule, sizeof(e->rule), "R44");
		return -1;
	}
	if (text_blank(text))
		return err_set(e, E_INVALID, "text", "write something");
	if (add_message(x, from_chair ? "to_submitter" : "from_submitter", text, e))
		return -1;
	if (from_chair) { /* the whole message, to the address given with the request */
		char head[600];
		struct strbuf sb = STRBUF_INIT;
		about(x, head, sizeof(head));
		strbuf_addf(&sb, "%s\n\n%s\n\nReply on the request's page, or to this message.\n", text, head);
		json_t *row = json_pack("{ss sO sO ss ss ss ss}", "event", "cr.message", "person_id",
					json_object_get(x->scope.record, "submitter_id"), "email",
					json_object_get(x->scope.record, "submitter_email"), "reason", "submitter", "subject",
					"About your change request", "body", sb.buf, "created_at", x->now_iso);
		char link[64];
		snprintf(link, sizeof(link), "#/change-request/%lld", (long long)cr_id(x));
		json_object_set_new(row, "link", json_string(link));
		int bad = core__outbox_put(x, row, NULL, e);
		json_decref(row);
		strbuf_release(&sb);
		if (bad)
			return -1;
	} else if (tell(x, "cr.reply", "The submitter replied on a change request", e)) {
		return -1;
	}
	json_t *shown = cr_present(x, x->scope.record);
	core__reply(x, 201, json_incref(shown));
	core__audit(x, "change_request", cr_id(x), NULL, json_pack("{ss ss}", "message", from_chair ? "to_submitter" : "from_submitter", "text", text));
	json_decref(shown);
	return 0;
}
