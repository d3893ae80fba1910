/* People manage their own access (issue 24; see account.h).
 *
 * A link (an invitation, a password reset) is a random token of 256 bits
 * sent by mail; only its BLAKE2b hash is stored (account_links), so that
 * a copy of the database opens no account. A link is used once, expires
 * (7 days, one hour), and a newer link of the same purpose revokes the
 * older. The mail's own copy of the link leaves the outbox once the mail
 * was accepted by the mail server (outbox.c). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/engine/account.h"
#include "core/engine/actor.h"
#include "core/engine/credentials.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"
#include "core/engine/outbox.h"
#include "core/engine/rows.h"
#include "lib/util.h"

static const char *const officer_roles[] = { "vp_alliances", "admin", NULL };
static const char *const seat_roles[] = { "chair", "voting", "observer", NULL };

static const struct jfield seat_spec[] = {
	{ .name = "body_id", .type = JT_ID, .flags = JF_REQUIRED, .label = "Body" },
	{ .name = "role", .type = JT_ENUM, .flags = JF_REQUIRED, .enums = seat_roles, .label = "Seat" },
	{ 0 }
};

const struct jfield core__invitation_spec[] = {
	{ .name = "name", .type = JT_STR, .flags = JF_REQUIRED, .max = 200, .label = "Name" },
	{ .name = "email", .type = JT_EMAIL, .flags = JF_REQUIRED, .label = "E-mail" },
	{ .name = "org_id", .type = JT_ID, .flags = JF_REQUIRED, .label = "Organization" },
	{ .name = "officer_role", .type = JT_ENUM, .enums = officer_roles, .who = G_ADMIN, .label = "Officer role" },
	{ .name = "seats", .type = JT_ARRAY, .items = seat_spec, .who = G_ADMIN, .label = "Seats in bodies" },
	{ 0 }
};

const struct jfield core__link_spec[] = {
	{ .name = "token", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ 0 }
};

const struct jfield core__link_use_spec[] = {
	{ .name = "token", .type = JT_STR, .flags = JF_REQUIRED, .max = 200 },
	{ .name = "password", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 1024 },
	{ 0 }
};

const struct jfield core__forgot_spec[] = {
	{ .name = "email", .type = JT_STR, .flags = JF_REQUIRED, .max = 254 },
	{ 0 }
};

const struct jfield core__password_change_spec[] = {
	{ .name = "current_password", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 1024 },
	{ .name = "password", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 1024 },
	{ 0 }
};

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}
static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* The links of a person not yet used nor revoked, of one purpose. */
static int open_links(struct ctx *x, int64_t person, const char *purpose, json_t **rows, struct err *e)
{
	json_t *where = json_pack("{sI ss sn sn}", "person_id", (json_int_t)person, "purpose", purpose, "used_at", "revoked_at");
	struct store_query q = { .where = where };
	int ret = store_find(x->st, "account_links", &q, rows, e);
	json_decref(where);
	return ret;
}

const char *core__person_state(struct ctx *x, const json_t *p)
{
	json_t *links = NULL;
	struct err ignored = ERR_INIT;
	const char *state = "no account";
	if (json_is_true(json_object_get(p, "disabled")))
		return "disabled";
	if (json_is_string(json_object_get(p, "password_hash")))
		return "active";
	if (!open_links(x, num(p, "id"), "invitation", &links, &ignored) && json_array_size(links))
		state = "invited";
	json_decref(links);
	return state;
}

/* A new link for person: the older open ones of its purpose revoked; the
 * token (65 bytes) for the mail. */
static int link_make(struct ctx *x, const json_t *person, const char *purpose, int64_t seconds, char token[65], int64_t *id,
		     struct err *e)
{
	json_t *old = NULL, *row;
	char h[65];
	int ret;
	if (open_links(x, num(person, "id"), purpose, &old, e))
		return -1;
	for (size_t i = 0; i < json_array_size(old); i++) {
		json_t *ch = json_pack("{ss}", "revoked_at", x->now_iso);
		ret = store_update(x->st, "account_links", num(json_array_get(old, i), "id"), ch, e);
		json_decref(ch);
		if (ret) {
			json_decref(old);
			return -1;
		}
	}
	json_decref(old);
	random_hex(token, 32);
	hash_hex(token, h);
	row = json_pack("{sO ss ss ss sI}", "person_id", json_object_get(person, "id"), "purpose", purpose, "token_hash", h,
			"created_at", x->now_iso, "expires_at", (json_int_t)(x->call->now + seconds));
	if (x->actor.person_id)
		json_object_set_new(row, "created_by", json_integer(x->actor.person_id));
	ret = store_insert(x->st, "account_links", row, id, e);
	json_decref(row);
	return ret;
}

static json_t *link_present(struct ctx *x, const json_t *link, const json_t *person)
{
	char exp[21];
	const char *state = !json_is_null(json_object_get(link, "used_at"))	     ? "used"
			    : !json_is_null(json_object_get(link, "revoked_at"))     ? "revoked"
			    : num(link, "expires_at") <= x->call->now ? "expired"
								     : "open";
	time_iso(num(link, "expires_at"), exp);
	json_t *r = json_pack("{sO sO ss ss ss sO sO}", "id", json_object_get(link, "id"), "person_id", json_object_get(link, "person_id"),
			      "state", state, "expires_at", exp, "created_at", str(link, "created_at"), "used_at",
			      json_object_get(link, "used_at"), "revoked_at", json_object_get(link, "revoked_at"));
	if (person) {
		json_object_set_new(r, "name", json_string(str(person, "name")));
		json_object_set_new(r, "email", json_string(str(person, "email")));
		json_object_set(r, "org_id", json_object_get(person, "org_id"));
	}
	return r;
}

static int invitation_send(struct ctx *x, const json_t *person, struct err *e)
{
	char token[65], link[100], body[1200], org_name[200] = "";
	json_t *org = NULL;
	int64_t id;
	if (link_make(x, person, "invitation", CORE_INVITATION_SECONDS, token, &id, e))
		return -1;
	if (!store_get(x->st, "organizations", num(person, "org_id"), &org, e))
		snprintf(org_name, sizeof(org_name), "%s", str(org, "name"));
	json_decref(org);
	snprintf(link, sizeof(link), "#/welcome/%s", token);
	snprintf(body, sizeof(body),
		 "Hello %s,\n\n%s invites you to entente, where the standards body and its alliance partners\n"
		 "work together, as a person of %s.\n\n"
		 "Open the link below within 7 days to choose your password. It works once.\n"
		 "If you did not expect this, ignore this mail: nothing happens without the link.\n",
		 str(person, "name"), x->actor.system ? "The administrator" : x->actor.label, org_name);
	int ret = core__account_mail(x, person, "account.invitation", "You are invited to entente", body, link, e);
	sodium_memzero(token, sizeof(token));
	if (ret)
		return -1;
	json_t *lk = NULL;
	if (store_get(x->st, "account_links", id, &lk, e))
		return -1;
	json_t *shown = link_present(x, lk, person);
	json_decref(lk);
	core__reply(x, x->info->flags & A_CREATE ? 201 : 200, json_incref(shown));
	core__audit(x, "invitation", id, NULL, shown);
	return 0;
}

/* The VP of Alliances invites the representatives of a partner, with no
 * office nor seat (those are the administrator's to give). */
static int invitation_allowed(struct ctx *x, int64_t org_id, struct err *e)
{
	json_t *org = NULL;
	int ret = 0;
	if (x->actor.admin || x->actor.system)
		return 0;
	if (store_get(x->st, "organizations", org_id, &org, e))
		return e->code == E_NOT_FOUND ? err_set(e, E_INVALID, "org_id", "refers to no existing organization") : -1;
	if (strcmp(str(org, "kind"), "partner"))
		ret = err_set(e, E_FORBIDDEN, "org_id", "the VP of Alliances invites partners' representatives; an administrator invites anyone else");
	json_decref(org);
	return ret;
}

static int seats_add(struct ctx *x, int64_t pid, const json_t *b, struct err *e)
{
	json_t *seats = json_object_get(b, "seats"), *row;
	const char *role = json_string_value(json_object_get(b, "officer_role"));
	int ret = 0;
	if (role) {
		row = json_pack("{sI ss ss ss ss}", "person_id", (json_int_t)pid, "role", role, "start_date", x->today,
				"created_at", x->now_iso, "updated_at", x->now_iso);
		ret = store_insert(x->st, "officers", row, NULL, e);
		json_decref(row);
	}
	for (size_t i = 0; !ret && i < json_array_size(seats); i++) {
		json_t *s = json_array_get(seats, i);
		if (core__exists(x, "bodies", num(s, "body_id"), "seats", e))
			return -1;
		row = json_pack("{sO sI sO ss ss ss}", "body_id", json_object_get(s, "body_id"), "person_id", (json_int_t)pid, "role",
				json_object_get(s, "role"), "start_date", x->today, "created_at", x->now_iso, "updated_at", x->now_iso);
		ret = store_insert(x->st, "memberships", row, NULL, e);
		json_decref(row);
	}
	return ret;
}

int core__invitation_create(struct ctx *x, struct err *e)
{
	const json_t *b = x->call->body;
	json_t *p = NULL, *where = json_pack("{ss}", "email", str(b, "email"));
	int64_t pid;
	int ret = -1;
	if (invitation_allowed(x, num(b, "org_id"), e) || core__exists(x, "organizations", num(b, "org_id"), "org_id", e))
		goto out;
	if (!store_find_one(x->st, "people", where, &p, e)) {
		/* a person already known (a contact, say) is invited as is */
		if (json_is_string(json_object_get(p, "password_hash"))) {
			err_set(e, E_DUPLICATE, "email", "%s already has an account: they may reset their password", str(b, "email"));
			goto out;
		}
		if (num(p, "org_id") != num(b, "org_id")) {
			err_set(e, E_CONFLICT, "org_id", "a person with this e-mail address exists in another organization");
			goto out;
		}
		pid = num(p, "id");
	} else if (e->code != E_NOT_FOUND) {
		goto out;
	} else {
		json_t *row = json_pack("{ss ss sO ss ss}", "name", str(b, "name"), "email", str(b, "email"), "org_id",
					json_object_get(b, "org_id"), "created_at", x->now_iso, "updated_at", x->now_iso);
		ret = store_insert(x->st, "people", row, &pid, e);
		json_decref(row);
		if (ret || store_get(x->st, "people", pid, &p, e)) {
			ret = -1;
			goto out;
		}
	}
	ret = seats_add(x, pid, b, e) || invitation_send(x, p, e) ? -1 : 0;
out:
	json_decref(p);
	json_decref(where);
	return ret;
}

/* The invitation of the path's id, and its person; the VP's only for a
 * partner's representative. */
static int invitation_get(struct ctx *x, json_t **link, json_t **person, struct err *e)
{
	int64_t id;
	*link = *person = NULL;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "account_links", id, link, e))
		return -1;
	if (strcmp(str(*link, "purpose"), "invitation"))
		return err_set(e, E_NOT_FOUND, NULL, "no invitation %lld", (long long)id);
	if (store_get(x->st, "people", num(*link, "person_id"), person, e))
		return -1;
	return invitation_allowed(x, num(*person, "org_id"), e);
}

int core__invitation_list(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{ss}", "purpose", "invitation"), *rows = NULL, *items = json_array();
	struct store_query q = { .where = where, .order = "id", .desc = 1, .limit = 500 };
	int ret = store_find(x->st, "account_links", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++) {
		json_t *l = json_array_get(rows, i), *p = NULL;
		if (store_get(x->st, "people", num(l, "person_id"), &p, e)) {
			ret = -1;
			break;
		}
		struct err ignored = ERR_INIT;
		if (!invitation_allowed(x, num(p, "org_id"), &ignored))
			json_array_append_new(items, link_present(x, l, p));
		json_decref(p);
	}
	if (!ret)
		core__reply(x, 200, json_pack("{sO sn si}", "items", items, "next_cursor", "total", (int)json_array_size(items)));
	json_decref(items);
	json_decref(rows);
	json_decref(where);
	return ret;
}

int core__invitation_resend(struct ctx *x, struct err *e)
{
	json_t *l, *p;
	int ret = -1;
	if (invitation_get(x, &l, &p, e))
		goto out;
	if (json_is_string(json_object_get(p, "password_hash")) || !json_is_null(json_object_get(l, "used_at"))) {
		err_set(e, E_CONFLICT, NULL, "%s has accepted the invitation already", str(p, "name"));
		goto out;
	}
	ret = invitation_send(x, p, e);
out:
	json_decref(l);
	json_decref(p);
	return ret;
}

int core__invitation_revoke(struct ctx *x, struct err *e)
{
	json_t *l, *p, *ch = NULL;
	int ret = -1;
	if (invitation_get(x, &l, &p, e))
		goto out;
	if (!json_is_null(json_object_get(l, "used_at")) || !json_is_null(json_object_get(l, "revoked_at"))) {
		err_set(e, E_CONFLICT, NULL, "this invitation was %s already", json_is_null(json_object_get(l, "used_at")) ? "revoked" : "used");
		goto out;
	}
	ch = json_pack("{ss}", "revoked_at", x->now_iso);
	if (store_update(x->st, "account_links", num(l, "id"), ch, e))
		goto out;
	json_object_set_new(l, "revoked_at", json_string(x->now_iso));
	json_t *shown = link_present(x, l, p);
	core__reply(x, 200, json_incref(shown));
	core__audit(x, "invitation", num(l, "id"), NULL, shown);
	ret = 0;
out:
	json_decref(ch);
	json_decref(l);
	json_decref(p);
	return ret;
}

/* The link a token names, usable now: E_NOT_FOUND when none, E_LINK_GONE
 * when used, revoked or expired (each said). */
static int link_open(struct ctx *x, json_t **link, json_t **person, struct err *e)
{
	char h[65];
	const char *token = str(x->call->body, "token");
	json_t *where;
	*link = *person = NULL;
	hash_hex(token, h);
	where = json_pack("{ss}", "token_hash", h);
	int ret = store_find_one(x->st, "account_links", where, link, e);
	json_decref(where);
	if (ret)
		return e->code == E_NOT_FOUND
			       ? err_set(e, E_NOT_FOUND, "token", "this link is not known: copy the whole address from the mail")
			       : -1;
	if (!json_is_null(json_object_get(*link, "used_at")))
		return err_set(e, E_LINK_GONE, "token", "this link was used on %s: it works once; %s", str(*link, "used_at"),
			       strcmp(str(*link, "purpose"), "reset") ? "sign in with the password you chose" : "ask for a new one");
	if (!json_is_null(json_object_get(*link, "revoked_at")))
		return err_set(e, E_LINK_GONE, "token", "this link was replaced by a newer one or withdrawn on %s: use the latest mail",
			       str(*link, "revoked_at"));
	if (num(*link, "expires_at") <= x->call->now) {
		char exp[21];
		time_iso(num(*link, "expires_at"), exp);
		return err_set(e, E_LINK_GONE, "token", "this link expired at %s: %s", exp,
			       strcmp(str(*link, "purpose"), "reset") ? "ask the person who invited you to send it again"
								     : "ask for a new one on the sign-in page");
	}
	if (store_get(x->st, "people", num(*link, "person_id"), person, e))
		return -1;
	if (json_is_true(json_object_get(*person, "disabled")))
		return err_set(e, E_LINK_GONE, "token", "the account is disabled");
	return 0;
}

int core__link_check(struct ctx *x, struct err *e)
{
	json_t *l, *p;
	int ret = link_open(x, &l, &p, e);
	if (!ret) {
		json_t *r = link_present(x, l, p);
		json_object_set_new(r, "purpose", json_string(str(l, "purpose")));
		json_object_del(r, "id");
		json_object_del(r, "person_id");
		core__reply(x, 200, r);
	}
	json_decref(l);
	json_decref(p);
	return ret;
}

/* Use a link: the password chosen, the link spent, every session ended. */
int core__link_use(struct ctx *x, struct err *e)
{
	json_t *l, *p, *ch = NULL;
	char *h = NULL;
	const char *pw = str(x->call->body, "password");
	int ret = -1, reset;
	if (link_open(x, &l, &p, e) || core__password_policy(pw, p, "password", e) || core_password_hash(pw, &h, e))
		goto out;
	reset = !strcmp(str(l, "purpose"), "reset");
	ch = json_pack("{ss ss ss}", "password_hash", h, "password_changed_at", x->now_iso, "updated_at", x->now_iso);
	if (store_update(x->st, "people", num(p, "id"), ch, e))
		goto out;
	json_decref(ch);
	ch = json_pack("{ss}", "used_at", x->now_iso);
	if (store_update(x->st, "account_links", num(l, "id"), ch, e) || core__sessions_end(x, num(p, "id"), NULL, e) < 0)
		goto out;
	if (reset && core__account_mail(x, p, "account.password_changed", "Your entente password was changed",
					 "Your password was reset with the link sent to this address, and every session\n"
					 "signed in with the old one was ended.\n\n"
					 "If this was not you, tell an administrator at once.\n", NULL, e))
		goto out;
	/* the person acts by the link: the record names them, not "anonymous" */
	snprintf(x->actor.label, sizeof(x->actor.label), "%s", str(p, "name"));
	x->actor.person_id = num(p, "id");
	core__reply(x, 200, json_pack("{ss s{sO ss ss sO}}", "purpose", str(l, "purpose"), "person", "id", json_object_get(p, "id"),
				      "name", str(p, "name"), "email", str(p, "email"), "org_id", json_object_get(p, "org_id")));
	core__audit(x, "person", num(p, "id"), NULL,
		    json_pack("{ss sO}", "event", reset ? "password reset by link" : "invitation accepted", "link", json_object_get(l, "id")));
	ret = 0;
out:
	if (h)
		sodium_memzero(h, strlen(h));
	free(h);
	json_decref(ch);
	json_decref(l);
	json_decref(p);
	return ret;
}

/* Forgot password: the same answer whether or not the address has an
 * account (the HTTP server throttles by address and by account). */
int core__password_forgot(struct ctx *x, struct err *e)
{
	json_t *p = NULL, *where = json_pack("{ss}", "email", str(x->call->body, "email"));
	char token[65], link[100];
	int64_t id;
	int ret = -1;
	if (store_find_one(x->st, "people", where, &p, e)) {
		if (e->code != E_NOT_FOUND)
			goto out;
		*e = (struct err)ERR_INIT;
	} else if (json_is_string(json_object_get(p, "password_hash")) && !json_is_true(json_object_get(p, "disabled"))) {
		if (link_make(x, p, "reset", CORE_RESET_SECONDS, token, &id, e))
			goto out;
		snprintf(link, sizeof(link), "#/reset/%s", token);
		if (core__account_mail(x, p, "account.reset", "Choose a new entente password",
				       "Someone, probably you, asked to choose a new password for entente.\n\n"
				       "Open the link below within one hour to choose it. It works once.\n"
				       "If it was not you, ignore this mail: your password stays as it is.\n", link, e))
			goto out;
		sodium_memzero(token, sizeof(token));
		x->target_type = "person";
		core__audit(x, "person", num(p, "id"), NULL, json_pack("{ss sI}", "event", "password reset link sent", "link", (json_int_t)id));
	}
	core__reply(x, 200, json_pack("{ss}", "note",
				      "If an account has this address, a link to choose a new password was sent to it; it is valid for one hour."));
	ret = 0;
out:
	json_decref(p);
	json_decref(where);
	return ret;
}

int core__password_change(struct ctx *x, struct err *e)
{
	const json_t *b = x->call->body;
	json_t *p = NULL, *ch = NULL;
	char *h = NULL;
	const char *pw = str(b, "password"), *cur = str(b, "current_password"), *hash;
	int ret = -1, ended;
	if (store_get(x->st, "people", x->actor.person_id, &p, e))
		goto out;
	hash = json_string_value(json_object_get(p, "password_hash"));
	if (!hash || crypto_pwhash_str_verify(hash, cur, strlen(cur))) {
		err_set(e, E_INVALID, "current_password", "is not your current password");
		goto out;
	}
	if (!strcmp(pw, cur)) {
		err_set(e, E_INVALID, "password", "is your current password: choose a new one");
		goto out;
	}
	if (core__password_policy(pw, p, "password", e) || core_password_hash(pw, &h, e))
		goto out;
	ch = json_pack("{ss ss ss}", "password_hash", h, "password_changed_at", x->now_iso, "updated_at", x->now_iso);
	if (store_update(x->st, "people", x->actor.person_id, ch, e) ||
	    (ended = core__sessions_end(x, x->actor.person_id, x->call->session_hash, e)) < 0 ||
	    core__account_mail(x, p, "account.password_changed", "Your entente password was changed",
			       "Your password was changed by you, signed in; every other session was ended.\n\n"
			       "If this was not you, reset your password from the sign-in page and tell an administrator.\n",
			       NULL, e))
		goto out;
	core__reply(x, 200, json_pack("{sI si}", "id", (json_int_t)x->actor.person_id, "sessions_ended", ended));
	core__audit(x, "person", x->actor.person_id, NULL, json_pack("{ss si}", "event", "password changed", "sessions_ended", ended));
	ret = 0;
out:
	if (h)
		sodium_memzero(h, strlen(h));
	free(h);
	json_decref(ch);
	json_decref(p);
	return ret;
}

/* "Firefox on Linux": what a person recognizes of a User-Agent. */
static void browser_of(const char *ua, char *out, size_t n)
{
	static const char *const browsers[][2] = { { "Edg/", "Edge" }, { "OPR/", "Opera" }, { "Firefox/", "Firefox" },
						   { "Chrome/", "Chrome" }, { "Safari/", "Safari" }, { "curl/", "curl" } };
	static const char *const systems[][2] = { { "Android", "Android" }, { "iPhone", "iPhone" }, { "iPad", "iPad" },
						  { "Windows", "Windows" }, { "Mac OS X", "macOS" }, { "Linux", "Linux" } };
	const char *b = NULL, *s = NULL;
	for (size_t i = 0; !b && i < sizeof(browsers) / sizeof(browsers[0]); i++)
		if (ua && strstr(ua, browsers[i][0]))
			b = browsers[i][1];
	for (size_t i = 0; !s && i < sizeof(systems) / sizeof(systems[0]); i++)
		if (ua && strstr(ua, systems[i][0]))
			s = systems[i][1];
	if (b && s)
		snprintf(out, n, "%s on %s", b, s);
	else
		snprintf(out, n, "%s", b ? b : s ? s : ua && *ua ? "another program" : "unknown");
}

static json_t *session_present(struct ctx *x, const json_t *s)
{
	char used[21], exp[21], browser[64];
	int64_t last = json_is_integer(json_object_get(s, "last_used_at")) ? num(s, "last_used_at") : 0;
	time_iso(last ? last : time_parse_iso(str(s, "created_at")), used);
	time_iso(num(s, "expires_at"), exp);
	browser_of(json_string_value(json_object_get(s, "user_agent")), browser, sizeof(browser));
	return json_pack("{sO ss ss ss ss sO ss sb sb}", "id", json_object_get(s, "id"), "browser", browser, "address",
			 str(s, "address"), "created_at", str(s, "created_at"), "last_used_at", used, "user_agent",
			 json_is_string(json_object_get(s, "user_agent")) ? json_object_get(s, "user_agent") : json_null(),
			 "expires_at", exp, "current",
			 x->call->session_hash && !strcmp(x->call->session_hash, str(s, "id_hash")), "second_factor",
			 json_is_true(json_object_get(s, "second_factor")));
}

int core__session_list(struct ctx *x, struct err *e)
{
	json_t *where = json_pack("{sI}", "person_id", (json_int_t)x->actor.person_id), *rows = NULL, *items = json_array();
	struct store_query q = { .where = where, .order = "id", .desc = 1 };
	int ret = store_find(x->st, "sessions", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++)
		if (num(json_array_get(rows, i), "expires_at") > x->call->now)
			json_array_append_new(items, session_present(x, json_array_get(rows, i)));
	if (!ret)
		core__reply(x, 200, json_pack("{sO sn si}", "items", items, "next_cursor", "total", (int)json_array_size(items)));
	json_decref(items);
	json_decref(rows);
	json_decref(where);
	return ret;
}

/* One of the person's own sessions (another's is not found). */
int core__session_end(struct ctx *x, struct err *e)
{
	json_t *s = NULL;
	int64_t id;
	int ret = -1;
	if (core__path_id(x, "id", &id, e))
		return -1;
	if (store_get(x->st, "sessions", id, &s, e) || num(s, "person_id") != x->actor.person_id) {
		err_set(e, E_NOT_FOUND, NULL, "you have no session %lld", (long long)id);
		goto out;
	}
	if (store_delete(x->st, "sessions", id, e))
		goto out;
	if (x->call->session_hash && !strcmp(x->call->session_hash, str(s, "id_hash")))
		x->reply->end_session = 1;
	core__reply(x, 204, NULL);
	core__audit(x, "person", x->actor.person_id, NULL, json_pack("{ss sI}", "event", "session ended", "session", (json_int_t)id));
	ret = 0;
out:
	json_decref(s);
	return ret;
}

int core__person_sessions_end(struct ctx *x, struct err *e)
{
	int n = core__sessions_end(x, x->scope.person_id, NULL, e);
	if (n < 0)
		return -1;
	core__reply(x, 200, json_pack("{sI si}", "id", (json_int_t)x->scope.person_id, "sessions_ended", n));
	core__audit(x, "person", x->scope.person_id, NULL, json_pack("{ss si}", "event", "sessions ended by an administrator", "sessions_ended", n));
	return 0;
}

/* Rows of table whose column is the person, without the columns hidden. */
static int rows_of(struct ctx *x, const char *table, const char *column, const char *hidden, json_t *out, const char *key,
		   struct err *e)
{
	json_t *where = json_pack("{sI}", column, (json_int_t)x->actor.person_id), *rows = NULL;
	struct store_query q = { .where = where };
	int ret = store_find(x->st, table, &q, &rows, e);
	json_decref(where);
	if (ret)
		return -1;
	for (size_t i = 0; i < json_array_size(rows); i++) {
		const char *k;
		json_t *v, *r = json_array_get(rows, i);
		void *tmp;
		json_object_foreach_safe(r, tmp, k, v)
			if (hidden && list_has(hidden, ',', k))
				json_object_del(r, k);
	}
	json_object_set_new(out, key, rows);
	return 0;
}

/* What the system holds about the person asking (GDPR Art. 15 and 20):
 * their record, offices and seats, sessions, tokens (never a secret),
 * what they wrote and voted, and the audit events they took. */
int core__me_export(struct ctx *x, struct err *e)
{
	json_t *p = NULL, *out = json_object();
	int ret = -1;
	if (store_get(x->st, "people", x->actor.person_id, &p, e))
		goto out;
	json_object_del(p, "password_hash");
	json_object_del(p, "calendar_hash");
	json_object_del(p, "totp_secret");
	json_object_del(p, "totp_last_step");
	json_object_set_new(p, "two_factor", json_boolean(json_is_string(json_object_get(p, "totp_enabled_at"))));
	json_object_set_new(out, "format", json_string("entente personal data export 1"));
	json_object_set_new(out, "exported_at", json_string(x->now_iso));
	json_object_set(out, "person", p);
	if (rows_of(x, "officers", "person_id", NULL, out, "officer_roles", e) ||
	    rows_of(x, "memberships", "person_id", NULL, out, "seats", e) ||
	    rows_of(x, "sessions", "person_id", "id_hash,csrf", out, "sessions", e) ||
	    rows_of(x, "tokens", "person_id", "token_hash", out, "tokens", e) ||
	    rows_of(x, "account_links", "person_id", "token_hash", out, "account_links", e) ||
	    rows_of(x, "votes", "person_id", NULL, out, "votes", e) ||
	    rows_of(x, "comments", "author_id", NULL, out, "comments", e) ||
	    rows_of(x, "audit", "actor_id", "prev_hash,hash", out, "actions", e) ||
	    rows_of(x, "audit", "on_behalf_id", "prev_hash,hash", out, "actions_on_your_behalf", e) ||
	    rows_of(x, "outbox", "person_id", "claim,link", out, "mail", e))
		goto out;
	core__reply(x, 200, json_incref(out));
	ret = 0;
out:
	json_decref(p);
	json_decref(out);
	return ret;
}

/* The server notes a session's last use every few minutes (not audited:
 * it is nobody's act, A_UNAUDITED). */
int core__session_touch(struct ctx *x, struct err *e)
{
	json_t *where, *s = NULL, *ch;
	if (!x->call->session_hash)
		return err_set(e, E_CONFLICT, NULL, "this request carries no session");
	where = json_pack("{ss}", "id_hash", x->call->session_hash);
	int ret = store_find_one(x->st, "sessions", where, &s, e);
	json_decref(where);
	if (ret)
		return -1;
	ch = json_pack("{sI}", "last_used_at", (json_int_t)x->call->now);
	if (x->call->client_addr)
		json_object_set_new(ch, "address", json_string(x->call->client_addr));
	ret = store_update(x->st, "sessions", num(s, "id"), ch, e);
	json_decref(ch);
	json_decref(s);
	if (!ret)
		core__reply(x, 200, json_pack("{sb}", "ok", 1));
	return ret;
}
