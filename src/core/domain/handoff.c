/* R20: when an alliance is established, the hand-offs the seed names: the
 * mails to the requests, alliance and press addresses, and the tasks of
 * the people who act on them. */
#include <stdio.h>
#include <string.h>

#include "core/domain/handoff.h"
#include "core/domain/wr.h"
#include "core/engine/ctx.h"
#include "core/engine/notify.h"
#include "core/engine/outbox.h"
#include "core/engine/rows.h"
#include "core/engine/settings.h"
#include "core/engine/tasks.h"
#include "lib/strbuf.h"
#include "lib/util.h"

/* The WR a hand-off task is about. */
static json_t *about(struct ctx *x) { return json_pack("{sO}", "wr_id", json_object_get(x->scope.record, "id")); }

static json_t *contacts_where(struct ctx *x, int pr)
{
	json_t *all = core__rows_of(x, "wr_contacts", json_integer_value(json_object_get(x->scope.record, "id"))), *out = json_array();
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *c = json_array_get(all, i);
		if ((strcmp(json_string_value(json_object_get(c, "role")), "pr") == 0) == pr)
			json_array_append_new(out, json_pack("{sO sO sO}", "name", json_object_get(c, "name"), "email",
							     json_object_get(c, "email"), "role", json_object_get(c, "role")));
	}
	json_decref(all);
	return out;
}

json_t *core__first_vp(struct ctx *x)
{
	struct err ignored = ERR_INIT;
	json_t *where = json_pack("{ss}", "role", "vp_alliances"), *rows = NULL, *id = NULL;
	struct store_query q = { .where = where };
	if (!store_find(x->st, "officers", &q, &rows, &ignored))
		for (size_t i = 0; i < json_array_size(rows) && !id; i++)
			if (core__is_active(x, json_array_get(rows, i)))
				id = json_incref(json_object_get(json_array_get(rows, i), "person_id"));
	json_decref(where);
	json_decref(rows);
	return id;
}

/* R25: a significant milestone completed: the VP of Alliances coordinates
 * its announcement with the Marketing Committee (a task), and the
 * Marketing Committee's chair is told (issue 21). */
int core__milestone_announcement(struct ctx *x, json_t *milestone, struct err *e)
{
	char press[200], subject[300];
	json_t *vp = core__first_vp(x);
	json_t *owner = json_object_get(x->scope.record, "owner_id");
	core__setting(x, "press_address", press, sizeof(press));
	snprintf(subject, sizeof(subject), "A significant milestone is complete: %s (R25)", json_string_value(json_object_get(milestone, "description")));
	int ret = core__task_add(x, about(x), "milestone_announcement", "R25", vp ? vp : owner, json_pack("[ss]", "Marketing Committee", press),
				 json_pack("{ss sO sO}", "announcement", "A significant milestone may be announced", "title",
					   json_object_get(x->scope.record, "title"), "milestone", json_object_get(milestone, "description")), e) ||
		  core__notify(x, "milestone.completed", NULL, subject, NULL, e);
	json_decref(vp);
	return ret ? -1 : 0;
}

/* One hand-off as a message to a configured address (R9, R25): the
 * contacts it carries, written out so the list's administrator can act
 * on the mail alone. */
static int handoff_mail(struct ctx *x, const char *to, const char *event, const char *subject, const char *intro, json_t *contacts,
			struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *wr = x->scope.record;
	int ret;
	if (!to || !*to) {
		json_decref(contacts);
		return 0; /* no address configured: the task alone remains */
	}
	json_t *org = NULL;
	struct err ignored = ERR_INIT;
	store_get(x->st, "organizations", json_integer_value(json_object_get(wr, "partner_id")), &org, &ignored);
	strbuf_addf(&sb, "%s\n\nWork Register: %s\nPartner: %s\n", intro, json_string_value(json_object_get(wr, "title")),
		    org ? json_string_value(json_object_get(org, "name")) : "-");
	json_decref(org);
	if (contacts) {
		strbuf_addf(&sb, "\nContacts (%zu):\n", json_array_size(contacts));
		for (size_t i = 0; i < json_array_size(contacts); i++) {
			json_t *c = json_array_get(contacts, i);
			strbuf_addf(&sb, "  %s <%s> (%s)\n", json_string_value(json_object_get(c, "name")),
				    json_string_value(json_object_get(c, "email")), json_string_value(json_object_get(c, "role")));
		}
		if (!json_array_size(contacts))
			strbuf_addf(&sb, "  (none recorded on the Work Register yet)\n");
	}
	/* issue 25: the list is outside entente: its link is the WR's public page */
	json_t *row = json_pack("{ss sO ss ss ss ss ss so}", "event", event, "wr_id", json_object_get(wr, "id"), "email", to, "reason",
				"handoff", "subject", subject, "body", sb.buf, "created_at", x->now_iso, "link",
				json_sprintf("registers/%lld", (long long)json_integer_value(json_object_get(wr, "id"))));
	ret = core__outbox_put(x, row, NULL, e);
	json_decref(row);
	json_decref(contacts);
	strbuf_release(&sb);
	return ret;
}

int core__handoffs_create(struct ctx *x, struct err *e)
{
	char req[256], list[256], press[256];
	json_t *owner = json_object_get(x->scope.record, "owner_id"), *vp = core__first_vp(x);
	int ret;
	core__setting(x, "requests_address", req, sizeof(req));
	core__setting(x, "alliance_list_address", list, sizeof(list));
	core__setting(x, "press_address", press, sizeof(press));
	ret = core__task_add(x, about(x), "partner_contacts", "R9", owner, json_pack("[s]", req),
		       json_pack("{so ss ss}", "contacts", contacts_where(x, 0), "mailing_list", list, "working_group",
				 "Alliance Partner Working Group"), e) ||
	      core__task_add(x, about(x), "press_contacts", "R9", owner, json_pack("[s]", press), json_pack("{so}", "contacts", contacts_where(x, 1)), e) ||
	      core__task_add(x, about(x), "press_release", "R25", vp ? vp : owner, json_pack("[ss]", press, "Marketing Committee"),
		       json_pack("{ss sO}", "announcement", "A new alliance partnership may be announced", "title",
				 json_object_get(x->scope.record, "title")), e);
	json_decref(vp);
	if (ret)
		return -1;
	/* R9, R25: the hand-offs themselves, as mail to the configured addresses */
	return handoff_mail(x, req, "handoff.partner_contacts", "New alliance partner: please add its contacts (R9)",
			    "An alliance was established. Please add these partner contacts to the alliance-partner mailing list "
			    "and to the Alliance Partner Working Group.", contacts_where(x, 0), e) ||
			       handoff_mail(x, list, "handoff.alliance_list", "A new alliance partner has joined the list (R9)",
					    "An alliance was established; its contacts are being added to this list.", contacts_where(x, 0), e) ||
			       handoff_mail(x, press, "handoff.press_contacts", "New alliance partner: press contacts (R9, R25)",
					    "An alliance was established and may be announced. Please add these press contacts to the press "
					    "list; the VP of Alliances coordinates the announcement with the Marketing Committee (R25).",
					    contacts_where(x, 1), e)
		       ? -1
		       : 0;
}
