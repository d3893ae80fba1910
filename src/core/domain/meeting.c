/* Joint meetings between a DMTF body and a partner (DSP4003 5.3.2,
 * R45-R49), under the DMTF IP policy: every announcement carries the
 * policy or its link from the settings, and cannot go out without it (R46);
 * the chair records at the outset that the policy was read (R47); each
 * participant from a company that is not a DMTF member acknowledges it,
 * silent observers included, recorded per person with time and the version
 * of the text (R48); while a non-member who is present has not accepted,
 * or declined and has not left, the meeting is halted: nothing more is
 * recorded in it (R49). Its states are a process table of the one engine. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/domain/meeting.h"
#include "core/domain/notice.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"
#include "core/engine/notify.h"
#include "core/engine/outbox.h"
#include "core/engine/process.h"
#include "core/engine/rows.h"
#include "core/engine/settings.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "lib/util.h"

static const char *const meeting_states[] = { "scheduled", "announced", "in_progress", "ended", "cancelled", NULL };
static const char *const meeting_labels[] = { "Scheduled", "Announced", "In progress", "Ended", "Cancelled", NULL };
static const char *const meeting_tones[] = { "work", "work", "vote", "done", "ended", NULL };
static const char *const kinds[] = { "teleconference", "face_to_face", NULL };
static const char *const acks[] = { "accepted", "declined", NULL };
static const char *const record_kinds[] = { "minutes", "decision", "item", NULL };

const struct jfield core__participant_spec[] = {
	{ .name = "person_id", .type = JT_ID },
	{ .name = "name", .type = JT_STR, .max = 200 },
	{ .name = "email", .type = JT_EMAIL },
	{ .name = "organization", .type = JT_STR, .max = 200 },
	{ .name = "dmtf_member", .type = JT_BOOL, .rule = "R48" },
	{ .name = "observer", .type = JT_BOOL, .rule = "R48" },
	{ 0 }
};

const struct jfield core__meeting_spec[] = {
	{ .name = "body_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R45" },
	{ .name = "partner_id", .type = JT_ID, .flags = JF_REQUIRED, .rule = "R45" },
	{ .name = "title", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ .name = "starts_at", .type = JT_STR, .flags = JF_REQUIRED, .max = 16 },
	{ .name = "ends_at", .type = JT_STR, .flags = JF_REQUIRED, .max = 16 },
	{ .name = "time_zone", .type = JT_STR, .flags = JF_REQUIRED, .max = 64 },
	{ .name = "kind", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = kinds, .rule = "R45" },
	/* R45: the format is "as agreed to by both organizations": who agreed
	 * it for the partner, said in the announcement (issue 21) */
	{ .name = "format_agreed_by", .type = JT_STR, .flags = JF_NULLABLE, .max = 200, .rule = "R45",
	  .label = "Who agreed the format for the partner" },
	{ .name = "location", .type = JT_TEXT, .max = 2000 },
	{ .name = "agenda", .type = JT_TEXT, .max = 20000 },
	{ .name = "cr_id", .type = JT_ID, .flags = JF_NULLABLE },
	{ .name = "wr_id", .type = JT_ID, .flags = JF_NULLABLE },
	{ .name = "participants", .type = JT_ARRAY, .max = 200, .items = core__participant_spec },
	{ 0 }
};

const struct jfield core__participant_update_spec[] = {
	{ .name = "present", .type = JT_BOOL, .rule = "R49" },
	{ .name = "left", .type = JT_BOOL, .rule = "R49" },
	{ .name = "ip_ack", .type = JT_ENUM, .enums = acks, .rule = "R48" },
	{ 0 }
};

const struct jfield core__meeting_record_spec[] = {
	{ .name = "kind", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = record_kinds },
	{ .name = "text", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 50000 },
	{ 0 }
};

const struct jfield core__meeting_open_spec[] = {
	{ .name = "ip_policy_read", .type = JT_BOOL, .flags = JF_REQUIRED, .rule = "R47",
	  .label = "I have advised every participant of the DMTF IP policy and that their participation is governed by it (R47)" },
	{ 0 }
};

static json_t *body(struct ctx *x) { return x->call->body; }
static int64_t meeting_id(struct ctx *x) { return json_integer_value(json_object_get(x->scope.record, "id")); }
static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* ---- the IP policy (R46) ---- */

/* The policy's text and link from the settings, and a version naming them
 * (the first 16 hex digits of their hash). 0 when neither is set. */
static int ip_policy(struct ctx *x, char *text, size_t tn, char *url, size_t un, char version[17])
{
	char h[65];
	struct strbuf both = STRBUF_INIT;
	core__setting(x, "ip_policy_text", text, tn);
	core__setting(x, "ip_policy_url", url, un);
	strbuf_addf(&both, "%s\n%s", text, url);
	hash_hex(both.buf, h);
	strbuf_release(&both);
	snprintf(version, 17, "%.16s", h);
	return text[0] || url[0];
}

/* ---- who is in the meeting ---- */

static json_t *participants_of(struct ctx *x, int64_t id)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI}", "meeting_id", (json_int_t)id), *rows = NULL;
	struct store_query q = { .where = where };
	if (store_find(x->st, "meeting_participants", &q, &rows, &ignored))
		rows = json_array();
	json_decref(where);
	return rows;
}

/* R48, R49: the present non-members who keep the meeting from going on,
 * each with why; an empty array when it may. */
static json_t *blockers(json_t *parts)
{
	json_t *out = json_array();
	for (size_t i = 0; i < json_array_size(parts); i++) {
		json_t *p = json_array_get(parts, i);
		const char *ack = str(p, "ip_ack");
		if (!json_is_true(json_object_get(p, "present")) || json_is_string(json_object_get(p, "left_at")) ||
		    json_is_true(json_object_get(p, "dmtf_member")) || !strcmp(ack, "accepted"))
			continue;
		json_array_append_new(out, json_pack("{sO sO ss ss}", "participant_id", json_object_get(p, "id"), "name",
						     json_object_get(p, "name"), "ip_ack", ack, "rule", strcmp(ack, "declined") ? "R48" : "R49"));
	}
	return out;
}

static json_t *meeting_present(struct ctx *x, json_t *row)
{
	char text[8192], url[600], version[17];
	int64_t id = json_integer_value(json_object_get(row, "id"));
	json_t *r = json_deep_copy(row), *parts = participants_of(x, id), *b = blockers(parts);
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI}", "meeting_id", (json_int_t)id), *recs = NULL;
	struct store_query q = { .where = where };
	if (store_find(x->st, "meeting_records", &q, &recs, &ignored))
		recs = json_array();
	json_decref(where);
	json_object_set_new(r, "participants", parts);
	json_object_set_new(r, "records", recs);
	json_object_set_new(r, "halted", json_boolean(!strcmp(str(row, "status"), "in_progress") && json_array_size(b) > 0));
	json_object_set_new(r, "halted_by", b);
	/* R46: the meeting's page carries the policy too */
	ip_policy(x, text, sizeof(text), url, sizeof(url), version);
	json_object_set_new(r, "ip_policy", json_pack("{ss? ss? ss}", "text", text[0] ? text : NULL, "url", url[0] ? url : NULL,
						      "version", version));
	return r;
}

/* ---- checks of a meeting's fields ---- */

/* "2027-01-15T16:00": a local date and time, read in time_zone. */
static int local_time_ok(const char *s)
{
	char date[11];
	if (!s || strlen(s) != 16 || s[10] != 'T' || s[13] != ':')
		return 0;
	snprintf(date, sizeof(date), "%.10s", s);
	if (!date_valid(date) || !isdigit((unsigned char)s[11]) || !isdigit((unsigned char)s[12]) || !isdigit((unsigned char)s[14]) ||
	    !isdigit((unsigned char)s[15]))
		return 0;
	return (s[11] - '0') * 10 + (s[12] - '0') < 24 && (s[14] - '0') * 10 + (s[15] - '0') < 60;
}

/* An IANA zone name: "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires". */
static int zone_ok(const char *z)
{
	if (!z || !*z || *z == '/' || strstr(z, "//") || strstr(z, ".."))
		return 0;
	for (const char *p = z; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
			return 0;
	/* a zone that exists (issue 21, 18: Mars/Olympus would silently be
	 * UTC in every calendar) */
	return z[strlen(z) - 1] != '/' && tz_known(z);
}

static int times_check(json_t *m, struct err *e)
{
	const char *s = str(m, "starts_at"), *en = str(m, "ends_at");
	if (s && !local_time_ok(s))
		return err_set(e, E_INVALID, "starts_at", "a local date and time, YYYY-MM-DDTHH:MM");
	if (en && !local_time_ok(en))
		return err_set(e, E_INVALID, "ends_at", "a local date and time, YYYY-MM-DDTHH:MM");
	if (s && en && strcmp(en, s) <= 0)
		return err_set(e, E_INVALID, "ends_at", "a meeting ends after it starts");
	if (json_object_get(m, "time_zone") && !zone_ok(str(m, "time_zone")))
		return err_set(e, E_INVALID, "time_zone", "an IANA time zone such as Europe/Berlin or UTC");
	return 0;
}

/* A participant row from a person of the system, or from name and e-mail. */
static int participant_row(struct ctx *x, int64_t mid, json_t *in, json_t **out, struct err *e)
{
	json_t *row = json_pack("{sI ss sb sb ss ss}", "meeting_id", (json_int_t)mid, "ip_ack", "pending", "present", 0, "observer",
				json_is_true(json_object_get(in, "observer")), "created_at", x->now_iso, "updated_at", x->now_iso);
	json_t *pid = json_object_get(in, "person_id");
	*out = NULL;
	if (json_is_integer(pid)) {
		json_t *p = NULL, *org = NULL;
		if (store_get(x->st, "people", json_integer_value(pid), &p, e) ||
		    store_get(x->st, "organizations", json_integer_value(json_object_get(p, "org_id")), &org, e)) {
			json_decref(p);
			json_decref(row);
			return err_set(e, E_INVALID, "person_id", "refers to no existing person");
		}
		json_object_set(row, "person_id", pid);
		json_object_set(row, "name", json_object_get(p, "name"));
		json_object_set(row, "email", json_object_get(p, "email"));
		json_object_set(row, "organization", json_object_get(org, "name"));
		/* R48: of a member company, by the person's record */
		json_object_set_new(row, "dmtf_member", json_boolean(!strcmp(str(org, "kind"), "host") ||
								     json_is_true(json_object_get(p, "dmtf_member"))));
		json_decref(p);
		json_decref(org);
	} else {
		if (!str(in, "name") || !str(in, "email") || !str(in, "organization")) {
			json_decref(row);
			return err_set(e, E_MISSING_FIELD, !str(in, "name") ? "name" : !str(in, "email") ? "email" : "organization",
				       "a participant without an account has a name, an e-mail address and a company");
		}
		json_object_set(row, "name", json_object_get(in, "name"));
		json_object_set(row, "email", json_object_get(in, "email"));
		json_object_set(row, "organization", json_object_get(in, "organization"));
		json_object_set_new(row, "dmtf_member", json_boolean(json_is_true(json_object_get(in, "dmtf_member"))));
	}
	*out = row;
	return 0;
}

static int add_participant(struct ctx *x, int64_t mid, json_t *in, int64_t *id, struct err *e)
{
	json_t *row = NULL;
	if (participant_row(x, mid, in, &row, e))
		return -1;
	int ret = store_insert(x->st, "meeting_participants", row, id, e);
	json_decref(row);
	if (ret && e->code == E_DUPLICATE)
		err_set(e, E_DUPLICATE, "email", "this person is already a participant");
	return ret;
}

/* A meeting row of a body with a partner: checks, insert, participants. */
int core__meeting_insert(struct ctx *x, json_t *m, int64_t *id, struct err *e)
{
	json_t *b = NULL, *org = NULL, *row = json_deep_copy(m), *parts = json_object_get(m, "participants");
	int ret = -1;
	static const char *const need[] = { "starts_at", "ends_at", "time_zone", "kind", NULL };
	for (int i = 0; need[i]; i++)
		if (!json_object_get(m, need[i])) {
			err_set(e, E_MISSING_FIELD, need[i], "a joint meeting has a start, an end, a time zone and a kind");
			snprintf(e->rule, sizeof(e->rule), "R45");
			goto out;
		}
	if (times_check(m, e))
		goto out;
	if (store_get(x->st, "bodies", json_integer_value(json_object_get(m, "body_id")), &b, e) ||
	    (strcmp(str(b, "kind"), "committee") && strcmp(str(b, "kind"), "working_group"))) {
		err_set(e, E_INVALID, "body_id", "a joint meeting is hosted by a committee or a working group");
		snprintf(e->rule, sizeof(e->rule), "R45");
		goto out;
	}
	if (store_get(x->st, "organizations", json_integer_value(json_object_get(m, "partner_id")), &org, e) ||
	    strcmp(str(org, "kind"), "partner")) {
		err_set(e, E_INVALID, "partner_id", "a joint meeting is with an alliance partner");
		snprintf(e->rule, sizeof(e->rule), "R45");
		goto out;
	}
	json_object_del(row, "participants");
	json_object_set_new(row, "status", json_string(core__start_state(x, &core__meeting_process)));
	json_object_set_new(row, "created_by", json_string(x->actor.label));
	json_object_set_new(row, "created_at", json_string(x->now_iso));
	json_object_set_new(row, "updated_at", json_string(x->now_iso));
	if (store_insert(x->st, "joint_meetings", row, id, e))
		goto out;
	for (size_t i = 0; i < json_array_size(parts); i++) {
		int64_t pid;
		if (add_participant(x, *id, json_array_get(parts, i), &pid, e))
			goto out;
	}
	ret = 0;
out:
	json_decref(b);
	json_decref(org);
	json_decref(row);
	return ret;
}

/* ---- the steps ---- */

/* R46: the announcement goes to every participant with an address and to
 * the body's members, and carries the IP policy (its text, its link). */
static int guard_announce(struct ctx *x, struct err *e)
{
	char text[8192], url[600], version[17];
	if (!ip_policy(x, text, sizeof(text), url, sizeof(url), version))
		return err_set(e, E_CONFLICT, "ip_policy_text",
			       "an announcement carries the DMTF IP policy or its link: set ip_policy_text or ip_policy_url in the settings");
	return 0;
}

static int effect_announce(struct ctx *x, struct err *e)
{
	char text[8192], url[600], version[17], subject[300];
	json_t *m = x->scope.record, *parts = participants_of(x, meeting_id(x)), *ch = NULL, *roles = NULL, *sent = json_object();
	struct strbuf sb = STRBUF_INIT;
	int ret = -1;
	ip_policy(x, text, sizeof(text), url, sizeof(url), version);
	snprintf(subject, sizeof(subject), "Joint meeting: %s", str(m, "title"));
	strbuf_addf(&sb, "%s\n\nFrom %s to %s (%s), %s.\n%s%s\n\nAgenda:\n%s\n\n"
		    "This meeting is governed by the DMTF IP policy; your participation is governed by it. Participants whose "
		    "companies are not DMTF members must acknowledge it to take part in any form, silent observers included.\n",
		    str(m, "title"), str(m, "starts_at"), str(m, "ends_at"), str(m, "time_zone"),
		    !strcmp(str(m, "kind"), "teleconference") ? "a teleconference" : "face to face",
		    str(m, "location") ? "Where: " : "", str(m, "location") ? str(m, "location") : "",
		    str(m, "agenda") ? str(m, "agenda") : "(to follow)");
	if (str(m, "format_agreed_by") && *str(m, "format_agreed_by"))
		strbuf_addf(&sb, "The format was agreed for the partner by %s (R45).\n", str(m, "format_agreed_by"));
	else
		strbuf_addf(&sb, "The format has not been confirmed for the partner yet (R45).\n");
	if (url[0])
		strbuf_addf(&sb, "The DMTF IP policy: %s\n", url);
	if (text[0])
		strbuf_addf(&sb, "\n--- The DMTF IP policy (version %s) ---\n%s\n", version, text);
	/* who hears of it is data: the notification rules of meeting.announced
	 * (participants, with or without an account; the body's members; the
	 * partner's representatives ...), each address once */
	if (!(roles = core__notify_roles(x, "meeting.announced", e)))
		goto out;
	for (size_t r = 0; r < json_array_size(roles); r++) {
		const char *role = json_string_value(json_array_get(roles, r));
		json_t *to = json_array();
		if (!strcmp(role, "participants")) {
			for (size_t i = 0; i < json_array_size(parts); i++)
				json_array_append_new(to, json_pack("{sO sO}", "email", json_object_get(json_array_get(parts, i), "email"),
								    "person_id", json_object_get(json_array_get(parts, i), "person_id")));
		} else {
			json_t *ids = core__notify_people(x, role, m, json_pack("{sO}", "body_id", json_object_get(m, "body_id")));
			for (size_t i = 0; i < json_array_size(ids); i++) {
				json_t *p = NULL;
				if (!store_get(x->st, "people", json_integer_value(json_array_get(ids, i)), &p, e))
					json_array_append_new(to, json_pack("{sO sO}", "email", json_object_get(p, "email"), "person_id",
									    json_object_get(p, "id")));
				json_decref(p);
			}
			json_decref(ids);
		}
		for (size_t i = 0; i < json_array_size(to); i++) {
			json_t *t = json_array_get(to, i), *row;
			const char *email = str(t, "email");
			if (!email || json_object_get(sent, email))
				continue;
			json_object_set_new(sent, email, json_true());
			row = json_pack("{ss ss ss ss ss ss}", "event", "meeting.announced", "email", email, "reason", role, "subject", subject,
					"body", sb.buf, "created_at", x->now_iso);
			if (json_is_integer(json_object_get(t, "person_id")))
				json_object_set(row, "person_id", json_object_get(t, "person_id"));
			if (json_is_integer(json_object_get(m, "wr_id")))
				json_object_set(row, "wr_id", json_object_get(m, "wr_id"));
			json_object_set_new(row, "link", json_sprintf("#/meeting/%lld", (long long)meeting_id(x)));
			int bad = core__outbox_put(x, row, NULL, e);
			json_decref(row);
			if (bad) {
				json_decref(to);
				goto out;
			}
		}
		json_decref(to);
	}
	ch = json_pack("{ss ss ss}", "announced_at", x->now_iso, "ip_policy_version", version, "updated_at", x->now_iso);
	ret = store_update(x->st, "joint_meetings", meeting_id(x), ch, e);
out:
	strbuf_release(&sb);
	json_decref(parts);
	json_decref(ch);
	json_decref(roles);
	json_decref(sent);
	return ret;
}

/* R47: at the outset the chair advises every participant of the policy;
 * opening the meeting is the record of it. */
static int guard_open(struct ctx *x, struct err *e)
{
	if (!json_is_true(json_object_get(body(x), "ip_policy_read")))
		return err_set(e, E_INVALID, "ip_policy_read", "advise every participant of the DMTF IP policy first, then record it (true)");
	return 0;
}

static int effect_open(struct ctx *x, struct err *e)
{
	json_t *ch = json_pack("{ss ss ss}", "ip_read_at", x->now_iso, "ip_read_by", x->actor.label, "updated_at", x->now_iso);
	int ret = store_update(x->st, "joint_meetings", meeting_id(x), ch, e);
	json_decref(ch);
	return ret;
}

#define HOSTS (G_BODY_CHAIR | G_VP)

static const struct step meeting_steps[] = {
	{ "meeting.announce", "scheduled", "announced", HOSTS, guard_announce, effect_announce, 0, "R46",
	  "The chair announces the meeting; the announcement carries the DMTF IP policy", NULL, NULL,
	  .summary = "announce the joint meeting",
	  .consequence = "Every participant is sent the announcement with the DMTF IP policy; it cannot be taken back." },
	{ "meeting.open", "announced", "in_progress", HOSTS, guard_open, effect_open, M_INPUT, "R47",
	  "At the outset the chair advises every participant of the IP policy and records it", NULL, NULL,
	  .spec = core__meeting_open_spec, .aflags = A_BODY, .summary = "open the joint meeting" },
	{ "meeting.close", "in_progress", "ended", HOSTS, NULL, NULL, 0, "R45", "The meeting ends", NULL, NULL,
	  .summary = "end the joint meeting",
	  .consequence = "The meeting ends for good: it cannot be opened again." },
	{ "meeting.cancel", "scheduled|announced", "cancelled", HOSTS, NULL, NULL, 0, "R45", "The meeting is cancelled", NULL, NULL,
	  .summary = "cancel the joint meeting",
	  .consequence = "The meeting is cancelled for good: it cannot be announced or held." },
	{ 0 },
};

const struct process core__meeting_process = {
	.name = "meeting", .noun = "joint meeting", .table = "joint_meetings", .states = meeting_states,
	.labels = meeting_labels, .tones = meeting_tones, .starts = "scheduled",
	.finals = "ended|cancelled", .steps = meeting_steps, .present = meeting_present, .scope = core__scope_meeting,
	.collection = "/api/v1/meetings", .command = "meeting",
};

/* ---- actions ---- */

/* Who sees a meeting: host staff, the people of its partner, and its
 * participants (who acknowledge the IP policy on it, R48). */
static int participant_here(struct ctx *x, int64_t mid)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{sI sI}", "meeting_id", (json_int_t)mid, "person_id", (json_int_t)x->actor.person_id), *row = NULL;
	int found = x->actor.person_id && !store_find_one(x->st, "meeting_participants", where, &row, &ignored);
	json_decref(where);
	json_decref(row);
	return found;
}

int core__scope_meeting(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *row = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "joint_meetings", id, &row, e) ||
	    (!x->actor.system && !x->actor.staff && json_integer_value(json_object_get(row, "partner_id")) != x->actor.org_id &&
	     !participant_here(x, id))) {
		json_decref(row);
		return err_set(e, E_NOT_FOUND, NULL, "no such joint meeting");
	}
	x->scope.process = &core__meeting_process;
	x->scope.record = row;
	x->scope.body_id = json_integer_value(json_object_get(row, "body_id"));
	return 0;
}

/* For a new meeting the body named in the request decides who may: its chair. */
int core__scope_meeting_create(struct ctx *x, struct err *e)
{
	(void)e;
	x->scope.body_id = json_integer_value(json_object_get(body(x), "body_id"));
	return 0;
}

int core__meeting_create(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *made = NULL;
	if (core__meeting_insert(x, body(x), &id, e) || store_get(x->st, "joint_meetings", id, &made, e))
		return -1;
	json_t *shown = meeting_present(x, made);
	snprintf(x->reply->location, sizeof(x->reply->location), "/api/v1/meetings/%lld", (long long)id);
	core__reply(x, 201, json_incref(shown));
	core__audit(x, "meeting", id, NULL, shown);
	json_decref(made);
	return 0;
}

int core__meeting_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	int64_t v;
	static const char *const ids[] = { "body_id", "partner_id", "cr_id", "wr_id", NULL };
	if (core__query_enum(x, where, "status", meeting_states, e)) {
		json_decref(where);
		return -1;
	}
	for (int i = 0; ids[i]; i++) {
		if (core__query_id(x, ids[i], &v, e)) {
			json_decref(where);
			return -1;
		}
		if (v)
			json_object_set_new(where, ids[i], json_integer(v));
	}
	if (!x->actor.system && !x->actor.staff)
		json_object_set_new(where, "partner_id", json_integer(x->actor.org_id));
	return core__list(x, "joint_meetings", where, NULL, e);
}

static int reply_meeting(struct ctx *x, int status, const char *what, json_t *detail, struct err *e)
{
	json_t *row = NULL;
	(void)e;
	if (store_get(x->st, "joint_meetings", meeting_id(x), &row, e)) {
		json_decref(detail);
		return -1;
	}
	core__reply(x, status, meeting_present(x, row));
	core__audit(x, "meeting", meeting_id(x), NULL, json_pack("{ss so}", "change", what, "detail", detail));
	json_decref(row);
	return 0;
}

static int open_for_people(struct ctx *x, struct err *e)
{
	const char *st = str(x->scope.record, "status");
	if (!strcmp(st, "ended") || !strcmp(st, "cancelled"))
		return err_set(e, E_WRONG_STATE, "status", "the meeting is %s", st);
	return 0;
}

int core__participant_add(struct ctx *x, struct err *e)
{
	int64_t id;
	if (open_for_people(x, e) || add_participant(x, meeting_id(x), body(x), &id, e))
		return -1;
	return reply_meeting(x, 201, "participant added", json_pack("{sI}", "participant_id", (json_int_t)id), e);
}

/* Scope for a participant's own row: the person may record their own
 * acknowledgment (R48); the chair records anyone's. */
int core__scope_participant(struct ctx *x, struct err *e)
{
	int64_t pid;
	json_t *p = NULL;
	if (core__scope_meeting(x, e))
		return -1;
	if (core__path_id(x, "sub_id", &pid, e) || store_get(x->st, "meeting_participants", pid, &p, e) ||
	    json_integer_value(json_object_get(p, "meeting_id")) != meeting_id(x)) {
		json_decref(p);
		return err_set(e, E_NOT_FOUND, NULL, "no such participant of this meeting");
	}
	x->scope.person_id = json_integer_value(json_object_get(p, "person_id"));
	json_decref(p);
	return 0;
}

int core__participant_update(struct ctx *x, struct err *e)
{
	int64_t pid;
	json_t *p = NULL, *ch = json_pack("{ss}", "updated_at", x->now_iso), *v;
	int host = x->actor.system || x->actor.vp || core__seat(x, x->scope.body_id, "chair");
	int ret = -1;
	if (core__path_id(x, "sub_id", &pid, e) || store_get(x->st, "meeting_participants", pid, &p, e) || open_for_people(x, e))
		goto out;
	if (!host && (json_object_get(body(x), "present") || json_object_get(body(x), "left"))) {
		err_set(e, E_FIELD_FORBIDDEN, json_object_get(body(x), "present") ? "present" : "left",
			"the chair records who is present and who left; you record your acknowledgment");
		goto out;
	}
	/* one state per person and meeting (issue 21): present, or left; who
	 * is marked present again after leaving has come back, and who left
	 * is no longer present */
	json_t *pr = json_object_get(body(x), "present"), *lf = json_object_get(body(x), "left");
	if (json_is_true(pr) && json_is_true(lf)) {
		err_set(e, E_INVALID, "left", "a participant is present or has left, not both");
		goto out;
	}
	if (pr) {
		json_object_set(ch, "present", pr);
		if (json_is_true(pr))
			json_object_set_new(ch, "left_at", json_null());
	}
	if (lf) {
		json_object_set_new(ch, "left_at", json_is_true(lf) ? json_string(x->now_iso) : json_null());
		if (json_is_true(lf))
			json_object_set_new(ch, "present", json_false());
	}
	if ((v = json_object_get(body(x), "ip_ack"))) {
		/* R48: per person, with the time and the version of the text */
		char text[8192], url[600], version[17];
		if (!ip_policy(x, text, sizeof(text), url, sizeof(url), version)) {
			err_set(e, E_CONFLICT, "ip_ack", "there is no IP policy in the settings to acknowledge");
			snprintf(e->rule, sizeof(e->rule), "R46");
			goto out;
		}
		json_object_set(ch, "ip_ack", v);
		json_object_set_new(ch, "ip_ack_at", json_string(x->now_iso));
		json_object_set_new(ch, "ip_ack_version", json_string(version));
		json_object_set_new(ch, "ip_ack_recorded_by", json_string(x->actor.label));
	}
	if (store_update(x->st, "meeting_participants", pid, ch, e))
		goto out;
	ret = reply_meeting(x, 200, "participant", json_pack("{sI sO}", "participant_id", (json_int_t)pid, "change", body(x)), e);
out:
	json_decref(p);
	json_decref(ch);
	return ret;
}

/* Minutes, decisions and items: only while the meeting is in progress
 * (after the chair's R47 record) and not halted (R48, R49). */
int core__meeting_record(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *parts, *b, *row;
	if (strcmp(str(x->scope.record, "status"), "in_progress")) {
		err_set(e, E_WRONG_STATE, "status", "minutes and decisions are recorded while the meeting is in progress (it is %s)",
			str(x->scope.record, "status"));
		snprintf(e->rule, sizeof(e->rule), "R47");
		return -1;
	}
	parts = participants_of(x, meeting_id(x));
	b = blockers(parts);
	if (json_array_size(b)) {
		json_t *first = json_array_get(b, 0);
		int declined = !strcmp(str(first, "ip_ack"), "declined");
		err_set(e, E_CONFLICT, NULL, "the meeting is halted: %s, whose company is not a DMTF member, %s", str(first, "name"),
			declined ? "declined the IP policy and has not left" : "has not acknowledged the IP policy");
		snprintf(e->rule, sizeof(e->rule), "%s", declined ? "R49" : "R48");
		json_decref(parts);
		json_decref(b);
		return -1;
	}
	json_decref(parts);
	json_decref(b);
	row = json_pack("{sI sO sO ss ss}", "meeting_id", (json_int_t)meeting_id(x), "kind", json_object_get(body(x), "kind"), "text",
			json_object_get(body(x), "text"), "author", x->actor.label, "created_at", x->now_iso);
	if (x->actor.person_id)
		json_object_set_new(row, "author_id", json_integer(x->actor.person_id));
	int ret = store_insert(x->st, "meeting_records", row, &id, e);
	json_decref(row);
	return ret ? -1 : reply_meeting(x, 201, "recorded", json_pack("{sI}", "record_id", (json_int_t)id), e);
}
