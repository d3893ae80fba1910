/* The outbox's delivery states (issue 10). Who hears of what is
 * notify.c's; here each message moves, through the door like every other
 * change, from held or queued to sent or dead:
 *
 *   held ──(daily digest, scheduler)──> digested      (inside a digest message)
 *   queued|retrying ──claim──> sending ──result──> sent | retrying | dead
 *   sending, lease ended (the deliverer died) ──claim──> sending again
 *   dead|retrying ──retry (administrator)──> queued
 *
 * A message is "sent" only when the deliverer reports that the mail server
 * accepted it; the deliverer (src/mail/) owns the network and the retry
 * policy, core keeps the states and refuses a report from a deliverer whose
 * claim is no longer the message's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/ctx.h"
#include "core/engine/outbox.h"
#include "core/engine/rows.h"
#include "core/engine/settings.h"
#include "lib/strbuf.h"
#include "lib/util.h"

static const char *const states[] = { "held", "queued", "sending", "retrying", "sent", "dead", "digested", NULL };
static const char *const outcomes[] = { "sent", "retry", "dead", NULL };
const char *const core__mail_modes[] = { "immediate", "daily", NULL };

const struct jfield core__outbox_claim_spec[] = {
	{ .name = "claim", .type = JT_STR, .flags = JF_REQUIRED, .min = 1, .max = 64 },
	{ .name = "limit", .type = JT_INT, .min = 1, .max = 1000 },
	{ .name = "lease", .type = JT_INT, .min = 1, .max = 86400 },
	{ 0 }
};

const struct jfield core__outbox_result_spec[] = {
	{ .name = "id", .type = JT_ID, .flags = JF_REQUIRED },
	{ .name = "claim", .type = JT_STR, .flags = JF_REQUIRED, .max = 64 },
	{ .name = "outcome", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = outcomes },
	{ .name = "error", .type = JT_STR, .max = 500 },
	{ .name = "retry_at", .type = JT_INT, .min = 0, .max = 4102444800LL },
	{ .name = "message_id", .type = JT_STR, .max = 250 },
	{ 0 }
};

const struct jfield core__me_spec[] = {
	{ .name = "mail_mode", .type = JT_ENUM, .enums = core__mail_modes },
	{ 0 }
};

/* One message into the outbox, in the transaction of the change that
 * caused it: held for the person's daily digest when they chose one,
 * otherwise queued for delivery now. row is borrowed and completed. */
int core__outbox_put(struct ctx *x, json_t *row, int64_t *id, struct err *e)
{
	const char *state = "queued";
	json_t *pid = json_object_get(row, "person_id"), *p = NULL;
	struct err ignored = ERR_INIT;
	if (json_is_integer(pid) && !store_get(x->st, "people", json_integer_value(pid), &p, &ignored) &&
	    !strcmp(json_string_value(json_object_get(p, "mail_mode")) ? json_string_value(json_object_get(p, "mail_mode")) : "", "daily"))
		state = "held";
	json_decref(p);
	const char *event = json_string_value(json_object_get(row, "event")) ? json_string_value(json_object_get(row, "event")) : "";
	/* a digest itself goes at once, and so does a mail about the
	 * person's own account (issue 24: a link valid for an hour) */
	if (!strcmp(event, "digest") || !strncmp(event, "account.", 8))
		state = "queued";
	json_object_set_new(row, "state", json_string(state));
	json_object_set_new(row, "next_attempt_at", json_integer(x->call->now));
	json_object_set_new(row, "updated_at", json_string(x->now_iso));
	return store_insert(x->st, "outbox", row, id, e);
}

static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* What the administrators' list shows of a message (the body too: the
 * mail preview of make run, where no mail server is configured). */
static json_t *present(struct ctx *x, json_t *row)
{
	(void)x;
	json_t *out = json_deep_copy(row);
	json_object_del(out, "claim");
	/* issue 24: an account's link is for its person, not for whoever reads the outbox */
	if (!strncmp(str(row, "event"), "account.", 8) && json_is_string(json_object_get(row, "link")))
		json_object_set_new(out, "link", json_string("(withheld: it opens the person's account)"));
	/* moments kept as seconds, answered in RFC 3339 (issue 22) */
	static const char *const moments[] = { "next_attempt_at", "lease_until", NULL };
	for (int i = 0; moments[i]; i++)
		if (json_is_integer(json_object_get(out, moments[i]))) {
			char at[32];
			time_iso(num(out, moments[i]), at);
			json_object_set_new(out, moments[i], json_string(at));
		}
	return out;
}

int core__outbox_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	const char *ev = core__param(x, "event");
	if (core__query_ids(x, where, e) || core__query_enum(x, where, "state", states, e)) {
		json_decref(where);
		return -1;
	}
	if (ev)
		json_object_set_new(where, "event", json_string(ev));
	return core__list(x, "outbox", where, present, e);
}

/* Messages a deliverer may claim now: waiting ones whose time has come,
 * and claimed ones whose deliverer's lease ended. Returns new rows, at
 * most limit, oldest first. */
static json_t *claimable(struct ctx *x, int limit, struct err *e)
{
	json_t *waiting = NULL, *stale = NULL, *out = json_array();
	json_t *w1 = json_pack("{s[ss]}", "state", "queued", "retrying"), *w2 = json_pack("{ss}", "state", "sending");
	struct store_query q1 = { .where = w1, .order = "next_attempt_at", .limit = limit };
	struct store_query q2 = { .where = w2, .order = "lease_until", .limit = limit };
	if (store_find(x->st, "outbox", &q1, &waiting, e) || store_find(x->st, "outbox", &q2, &stale, e)) {
		json_decref(out);
		out = NULL;
		goto done;
	}
	for (size_t i = 0; i < json_array_size(stale) && (int)json_array_size(out) < limit; i++)
		if (num(json_array_get(stale, i), "lease_until") < x->call->now)
			json_array_append(out, json_array_get(stale, i));
	for (size_t i = 0; i < json_array_size(waiting) && (int)json_array_size(out) < limit; i++)
		if (num(json_array_get(waiting, i), "next_attempt_at") <= x->call->now)
			json_array_append(out, json_array_get(waiting, i));
done:
	json_decref(w1);
	json_decref(w2);
	json_decref(waiting);
	json_decref(stale);
	return out;
}

/* A read, so that a deliverer polling an empty outbox writes nothing. */
int core__outbox_due(struct ctx *x, struct err *e)
{
	json_t *due = claimable(x, 1000, e);
	if (!due)
		return -1;
	core__reply(x, 200, json_pack("{sI}", "due", (json_int_t)json_array_size(due)));
	json_decref(due);
	return 0;
}

/* Claim up to limit messages for lease seconds: each comes with what the
 * deliverer needs to write the mail (the WR's title for the thread, the
 * person's name). A deliverer that died leaves its claims to the next one
 * once the lease ends; one whose lease ended may no longer report. */
int core__outbox_claim(struct ctx *x, struct err *e)
{
	json_t *b = x->call->body;
	int limit = json_is_integer(json_object_get(b, "limit")) ? (int)num(b, "limit") : 20;
	int64_t lease = json_is_integer(json_object_get(b, "lease")) ? num(b, "lease") : 120;
	json_t *due = claimable(x, limit, e), *items = json_array(), *ids = json_array();
	if (!due) {
		json_decref(items);
		json_decref(ids);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(due); i++) {
		json_t *m = json_array_get(due, i), *p = NULL, *item;
		struct err ignored = ERR_INIT;
		json_t *ch = json_pack("{ss sO sI ss}", "state", "sending", "claim", json_object_get(b, "claim"), "lease_until",
				       (json_int_t)(x->call->now + lease), "updated_at", x->now_iso);
		int bad = store_update(x->st, "outbox", num(m, "id"), ch, e);
		json_decref(ch);
		if (bad) {
			json_decref(due);
			json_decref(items);
			json_decref(ids);
			return -1;
		}
		item = json_deep_copy(m);
		json_object_del(item, "claim");
		if (json_is_integer(json_object_get(m, "person_id")) && !store_get(x->st, "people", num(m, "person_id"), &p, &ignored))
			json_object_set(item, "person_name", json_object_get(p, "name"));
		x->eng->describe(x, m, item); /* what the message is about, for its thread */
		json_decref(p);
		json_array_append_new(items, item);
		json_array_append(ids, json_object_get(m, "id"));
	}
	core__reply(x, 200, json_pack("{so}", "items", items));
	core__audit(x, "outbox", 0, NULL, json_pack("{so sO}", "claimed", ids, "claim", json_object_get(b, "claim")));
	json_decref(due);
	return 0;
}

/* The deliverer's report on one message it claimed. */
int core__outbox_result(struct ctx *x, struct err *e)
{
	json_t *b = x->call->body, *m = NULL, *ch;
	const char *outcome = str(b, "outcome"), *state;
	int64_t id = num(b, "id");
	int ret = -1;
	if (store_get(x->st, "outbox", id, &m, e))
		return -1;
	if (strcmp(str(m, "state"), "sending") || !str(m, "claim") || strcmp(str(m, "claim"), str(b, "claim"))) {
		err_set(e, E_CONFLICT, "claim", "message %lld is not claimed by %s (its state is %s)", (long long)id, str(b, "claim"),
			str(m, "state"));
		goto out;
	}
	state = !strcmp(outcome, "sent") ? "sent" : !strcmp(outcome, "retry") ? "retrying" : "dead";
	ch = json_pack("{ss sI ss sn sn}", "state", state, "attempts", (json_int_t)(num(m, "attempts") + 1), "updated_at", x->now_iso,
		       "claim", "lease_until");
	if (!strcmp(state, "sent"))
		json_object_set_new(ch, "sent_at", json_string(x->now_iso));
	if (str(b, "error")) /* kept after a success too: what the earlier attempts met */
		json_object_set(ch, "last_error", json_object_get(b, "error"));
	if (str(b, "message_id"))
		json_object_set(ch, "message_id", json_object_get(b, "message_id"));
	/* issue 24: a mail's link that opens an account (an invitation, a
	 * reset) leaves the database once the mail is out of its hands */
	if (strcmp(state, "retrying") && !strncmp(str(m, "event"), "account.", 8))
		json_object_set_new(ch, "link", json_null());
	json_object_set_new(ch, "next_attempt_at", json_integer(json_is_integer(json_object_get(b, "retry_at")) ? num(b, "retry_at")
												    : x->call->now));
	int bad = store_update(x->st, "outbox", id, ch, e);
	json_decref(ch);
	if (bad)
		goto out;
	core__reply(x, 200, json_pack("{sI ss}", "id", (json_int_t)id, "state", state));
	core__audit(x, "outbox", id, json_pack("{sO}", "state", json_object_get(m, "state")),
		    json_pack("{ss sO*}", "state", state, "error", json_object_get(b, "error")));
	ret = 0;
out:
	json_decref(m);
	return ret;
}

/* An administrator sends a dead (or waiting) message again, now, with a
 * fresh retry budget. */
int core__outbox_retry(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *m = NULL, *ch, *after = NULL;
	int ret = -1;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "outbox", id, &m, e))
		return -1;
	if (strcmp(str(m, "state"), "dead") && strcmp(str(m, "state"), "retrying")) {
		err_set(e, E_WRONG_STATE, "state", "only a dead or retrying message can be retried; this one is %s", str(m, "state"));
		goto out;
	}
	ch = json_pack("{ss si sI ss}", "state", "queued", "attempts", 0, "next_attempt_at", (json_int_t)x->call->now, "updated_at",
		       x->now_iso);
	int bad = store_update(x->st, "outbox", id, ch, e) || store_get(x->st, "outbox", id, &after, e);
	json_decref(ch);
	if (bad)
		goto out;
	core__reply(x, 200, present(x, after));
	core__audit(x, "outbox", id, json_pack("{sO}", "state", json_object_get(m, "state")), json_pack("{ss}", "state", "queued"));
	ret = 0;
out:
	json_decref(m);
	json_decref(after);
	return ret;
}

/* Counts by state, for /metrics and the administrators' page. */
int core__outbox_stats(struct ctx *x, struct err *e)
{
	json_t *counts = NULL, *out = json_object();
	if (store_count_by(x->st, "outbox", NULL, "state", &counts, e)) {
		json_decref(out);
		return -1;
	}
	for (const char *const *s = states; *s; s++)
		json_object_set_new(out, *s, json_integer(num(counts, *s)));
	json_decref(counts);
	core__reply(x, 200, out);
	return 0;
}

/* A person's own preferences: immediate mail or a daily digest. */
int core__me_update(struct ctx *x, struct err *e)
{
	json_t *b = x->call->body, *before = NULL, *after = NULL, *ch;
	int64_t id = x->actor.person_id;
	if (!id)
		return err_set(e, E_INVALID, NULL, "the system has no preferences");
	if (!json_object_get(b, "mail_mode"))
		return err_set(e, E_MISSING_FIELD, "mail_mode", "say how you want your notifications: immediate or daily");
	if (store_get(x->st, "people", id, &before, e))
		return -1;
	ch = json_pack("{ss}", "updated_at", x->now_iso);
	if (json_object_get(b, "mail_mode"))
		json_object_set(ch, "mail_mode", json_object_get(b, "mail_mode"));
	int bad = store_update(x->st, "people", id, ch, e) || store_get(x->st, "people", id, &after, e);
	json_decref(ch);
	if (bad) {
		json_decref(before);
		json_decref(after);
		return -1;
	}
	core__reply(x, 200, json_pack("{sO sO}", "id", json_object_get(after, "id"), "mail_mode", json_object_get(after, "mail_mode")));
	core__audit(x, "person", id, json_pack("{sO}", "mail_mode", json_object_get(before, "mail_mode")),
		    json_pack("{sO}", "mail_mode", json_object_get(after, "mail_mode")));
	json_decref(before);
	json_decref(after);
	return 0;
}

/* The daily digest (scheduler): for each person holding messages, once a
 * day at or after the digest hour, one message listing them all; the held
 * ones become "digested" inside it. Returns how many digests, or -1. */
int core__outbox_digests(struct ctx *x, struct err *e)
{
	char hour_s[16];
	int made = 0, hour;
	json_t *where = json_pack("{ss}", "state", "held"), *held = NULL;
	struct store_query q = { .where = where, .order = "person_id" };
	core__setting(x, "digest_hour", hour_s, sizeof(hour_s));
	hour = hour_s[0] ? atoi(hour_s) : 7;
	if ((x->call->now % 86400) / 3600 < hour) {
		json_decref(where);
		return 0;
	}
	if (store_find(x->st, "outbox", &q, &held, e)) {
		json_decref(where);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(held);) {
		int64_t pid = num(json_array_get(held, i), "person_id");
		size_t j = i;
		while (j < json_array_size(held) && num(json_array_get(held, j), "person_id") == pid)
			j++;
		/* one a day: the person's last digest was not today */
		json_t *w = json_pack("{sI ss}", "person_id", (json_int_t)pid, "event", "digest"), *last = NULL;
		struct store_query lq = { .where = w, .desc = 1, .limit = 1 };
		int today = !store_find(x->st, "outbox", &lq, &last, e) && json_array_size(last) &&
			    !strncmp(str(json_array_get(last, 0), "created_at"), x->today, 10);
		json_decref(w);
		json_decref(last);
		if (!today) {
			struct strbuf sb = STRBUF_INIT;
			char subject[120];
			int64_t digest_id = 0;
			snprintf(subject, sizeof(subject), "entente: your daily digest, %zu notification%s", j - i, j - i == 1 ? "" : "s");
			strbuf_addf(&sb, "What happened since your last digest (you chose a daily digest in your preferences).\n");
			for (size_t k = i; k < j; k++) {
				json_t *m = json_array_get(held, k);
				strbuf_addf(&sb, "\n---- %s, %s\n\n%s", str(m, "created_at"), str(m, "subject"), str(m, "body"));
			}
			json_t *row = json_pack("{ss sI sO ss ss ss ss}", "event", "digest", "person_id", (json_int_t)pid, "email",
						json_object_get(json_array_get(held, i), "email"), "reason", "digest", "subject", subject,
						"body", sb.buf, "created_at", x->now_iso);
			int bad = core__outbox_put(x, row, &digest_id, e);
			json_decref(row);
			strbuf_release(&sb);
			for (size_t k = i; !bad && k < j; k++) {
				json_t *ch = json_pack("{ss sI ss}", "state", "digested", "digest_id", (json_int_t)digest_id, "updated_at", x->now_iso);
				bad = store_update(x->st, "outbox", num(json_array_get(held, k), "id"), ch, e);
				json_decref(ch);
			}
			if (bad) {
				json_decref(where);
				json_decref(held);
				return -1;
			}
			made++;
		}
		i = j;
	}
	json_decref(where);
	json_decref(held);
	return made;
}
