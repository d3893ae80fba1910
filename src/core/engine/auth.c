/* Accounts: passwords (argon2id), sessions and API tokens. Only hashes of
 * session ids and tokens are stored. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/auth.h"
#include "core/engine/cache.h"
#include "core/engine/credentials.h"
#include "core/engine/ctx.h"
#include "core/engine/engine.h"
#include "core/engine/rows.h"
#include "core/engine/twofactor.h"
#include "lib/util.h"

const struct jfield core__session_spec[] = {
	{ .name = "email", .type = JT_STR, .flags = JF_REQUIRED, .max = 254 },
	{ .name = "password", .type = JT_STR, .flags = JF_REQUIRED, .max = 1024 },
	/* issue 24: the second factor, for a person who has one */
	{ .name = "code", .type = JT_STR, .max = 20 },
	{ 0 }
};

const struct jfield core__token_spec[] = {
	{ .name = "email", .type = JT_EMAIL, .flags = JF_REQUIRED },
	{ .name = "name", .type = JT_STR, .max = 100 },
	{ 0 }
};

const struct jfield core__password_spec[] = {
	{ .name = "email", .type = JT_EMAIL, .flags = JF_REQUIRED },
	{ .name = "password", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 1024 },
	{ 0 }
};

/* A hash to verify against when the account does not exist, so that an
 * unknown e-mail costs the same time as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	char pw[33];
	random_hex(pw, 16);
	if (crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), PW_OPS, PW_MEM, crypto_pwhash_ALG_ARGON2ID13))
		dummy_hash[0] = '\0';
}

static json_t *person_public(json_t *p)
{
	return json_pack("{sO sO sO sO}", "id", json_object_get(p, "id"), "name", json_object_get(p, "name"),
			 "email", json_object_get(p, "email"), "org_id", json_object_get(p, "org_id"));
}

int core__session_create(struct ctx *x, struct err *e)
{
	const char *email = json_string_value(json_object_get(x->call->body, "email"));
	const char *pw = json_string_value(json_object_get(x->call->body, "password"));
	json_t *p = NULL, *where = json_pack("{ss}", "email", email), *row = NULL;
	const char *hash = NULL;
	char sid[33], sid_hash[65], csrf[33];
	int ret = -1, ok;
	int64_t pid;

	if (store_find_one(x->st, "people", where, &p, e) && e->code != E_NOT_FOUND)
		goto out;
	hash = p ? json_string_value(json_object_get(p, "password_hash")) : NULL;
	pthread_once(&dummy_once, dummy_init);
	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, pw, strlen(pw)) == 0;
	if (!ok || !hash || json_is_true(json_object_get(p, "disabled"))) {
		err_set(e, E_BAD_CREDENTIALS, NULL, "wrong e-mail or password");
		goto out;
	}
	pid = json_integer_value(json_object_get(p, "id"));
	if (crypto_pwhash_str_needs_rehash(hash, PW_OPS, PW_MEM)) {
		char *fresh = NULL;
		if (core_password_hash(pw, &fresh, e))
			goto out;
		json_t *ch = json_pack("{ss}", "password_hash", fresh);
		free(fresh);
		ret = store_update(x->st, "people", pid, ch, e);
		json_decref(ch);
		if (ret)
			goto out;
		ret = -1;
	}
	/* issue 24: the second factor of a person who has one; a person
	 * whose role requires one and who has none gets a session that can
	 * only enrol */
	int second = json_is_string(json_object_get(p, "totp_enabled_at")), enrol_only = 0;
	if (second && core__second_factor(x, p, json_string_value(json_object_get(x->call->body, "code")), e))
		goto out;
	if (!second)
		enrol_only = core__two_factor_required(x, pid);
	random_hex(sid, 16);
	random_hex(csrf, 16);
	hash_hex(sid, sid_hash);
	row = json_pack("{sI ss ss ss sI sI sb sb}", "person_id", (json_int_t)pid, "id_hash", sid_hash, "csrf", csrf,
			"created_at", x->now_iso, "expires_at", (json_int_t)(x->call->now + CORE_SESSION_SECONDS), "last_used_at",
			(json_int_t)x->call->now, "second_factor", second, "enrol_only", enrol_only);
	if (x->call->client_addr)
		json_object_set_new(row, "address", json_string(x->call->client_addr));
	if (x->call->user_agent && utf8_len(x->call->user_agent) <= 300)
		json_object_set_new(row, "user_agent", json_string(x->call->user_agent));
	if (store_insert(x->st, "sessions", row, NULL, e))
		goto out;
	x->actor.person_id = pid;
	snprintf(x->actor.label, sizeof(x->actor.label), "%s", json_string_value(json_object_get(p, "name")));
	snprintf(x->reply->session_id, sizeof(x->reply->session_id), "%s", sid);
	char expires[21];
	time_iso(x->call->now + CORE_SESSION_SECONDS, expires);
	core__reply(x, 201, json_pack("{so ss ss sb}", "person", person_public(p), "csrf_token", csrf, "expires_at", expires,
				      "two_factor_required", enrol_only));
	core__audit(x, "person", pid, NULL, json_pack("{ss}", "event", "signed in"));
	ret = 0;
out:
	json_decref(p);
	json_decref(where);
	json_decref(row);
	return ret;
}

int core__session_delete(struct ctx *x, struct err *e)
{
	json_t *s = NULL, *where;
	if (!x->call->session_hash)
		return err_set(e, E_CONFLICT, NULL, "this request carries no session (bearer tokens are revoked with entente token revoke)");
	where = json_pack("{ss}", "id_hash", x->call->session_hash);
	int ret = store_find_one(x->st, "sessions", where, &s, e);
	json_decref(where);
	if (ret)
		return -1;
	ret = store_delete(x->st, "sessions", json_integer_value(json_object_get(s, "id")), e);
	json_decref(s);
	if (ret)
		return -1;
	x->reply->end_session = 1;
	core__reply(x, 204, NULL);
	core__audit(x, "person", x->actor.person_id, NULL, json_pack("{ss}", "event", "signed out"));
	return 0;
}

/* x: the call whose snapshot may reuse a kept row (a trigger renews the
 * people stamp with every change to sessions and tokens, whoever makes
 * it); NULL: look it up. */
static int authenticate(struct ctx *x, struct store *st, const char *kind, const char *secret, int64_t now,
			int64_t *person_id, char csrf[65], int *enrol_only, struct err *e)
{
	char h[65], key[80];
	json_t *row = NULL, *where = NULL;
	int session = !strcmp(kind, "session"), ret = -1;
	*person_id = 0;
	if (csrf)
		csrf[0] = '\0';
	if (!secret || !*secret || strlen(secret) > 200)
		return err_set(e, E_UNAUTHENTICATED, NULL, "invalid credentials");
	hash_hex(secret, h);
	snprintf(key, sizeof(key), "%s|%s", kind, h);
	if (!x || !(row = core__row_kept(x, key, x->people_stamp))) {
		where = json_pack("{ss}", session ? "id_hash" : "token_hash", h);
		if (store_find_one(st, session ? "sessions" : "tokens", where, &row, e)) {
			if (e->code == E_NOT_FOUND)
				err_set(e, E_UNAUTHENTICATED, NULL,
					session ? "the session has ended: sign in again" : "unknown or revoked token");
			goto out;
		}
		if (x)
			core__row_keep(x, key, x->people_stamp, row);
	}
	if (session && json_integer_value(json_object_get(row, "expires_at")) <= now) {
		err_set(e, E_UNAUTHENTICATED, NULL, "the session has expired: sign in again");
		goto out;
	}
	if (!session && !json_is_null(json_object_get(row, "revoked_at"))) {
		err_set(e, E_UNAUTHENTICATED, NULL, "unknown or revoked token");
		goto out;
	}
	*person_id = json_integer_value(json_object_get(row, "person_id"));
	if (session && csrf)
		snprintf(csrf, 65, "%s", json_string_value(json_object_get(row, "csrf")));
	if (enrol_only)
		*enrol_only = session && json_is_true(json_object_get(row, "enrol_only"));
	ret = 0;
out:
	json_decref(where);
	json_decref(row);
	return ret;
}

int core_authenticate(struct store *st, const char *kind, const char *secret, int64_t now,
		      int64_t *person_id, char csrf[65], struct err *e)
{
	return authenticate(NULL, st, kind, secret, now, person_id, csrf, NULL, e);
}

int core__authenticate(struct ctx *x, const char *kind, const char *secret, int64_t *person_id, char csrf[65],
		       int *enrol_only, struct err *e)
{
	return authenticate(x, x->st, kind, secret, x->call->now, person_id, csrf, enrol_only, e);
}

int core__me_get(struct ctx *x, struct err *e)
{
	json_t *p = NULL, *mem = NULL, *where = NULL, *me;
	int ret = -1;
	if (store_get(x->st, "people", x->actor.person_id, &p, e))
		goto out;
	me = person_public(p);
	json_object_set_new(me, "dmtf_member", json_incref(json_object_get(p, "dmtf_member")));
	json_object_set_new(me, "mail_mode", json_incref(json_object_get(p, "mail_mode")));
	json_object_set_new(me, "has_calendar", json_boolean(json_is_string(json_object_get(p, "calendar_hash"))));
	json_object_set_new(me, "two_factor", json_boolean(json_is_string(json_object_get(p, "totp_enabled_at"))));
	json_object_set_new(me, "roles", json_pack("{sb sb sb}", "staff", x->actor.staff, "admin", x->actor.admin,
						   "vp_alliances", x->actor.vp));
	where = json_pack("{sI}", "person_id", (json_int_t)x->actor.person_id);
	struct store_query q = { .where = where };
	if (store_find(x->st, "memberships", &q, &mem, e)) {
		json_decref(me);
		goto out;
	}
	json_t *active = json_array();
	for (size_t i = 0; i < json_array_size(mem); i++) {
		json_t *m = json_array_get(mem, i);
		if (core__is_active(x, m))
			json_array_append_new(active, json_pack("{sO sO}", "body_id", json_object_get(m, "body_id"),
								"role", json_object_get(m, "role")));
	}
	json_object_set_new(me, "memberships", active);
	if (x->call->session_hash) {
		json_t *s = NULL, *w = json_pack("{ss}", "id_hash", x->call->session_hash);
		if (!store_find_one(x->st, "sessions", w, &s, e))
			json_object_set_new(me, "csrf_token", json_incref(json_object_get(s, "csrf")));
		json_decref(s);
		json_decref(w);
	}
	core__reply(x, 200, me);
	ret = 0;
out:
	json_decref(p);
	json_decref(mem);
	json_decref(where);
	return ret;
}

static int person_by_email(struct ctx *x, const char *email, json_t **p, struct err *e)
{
	json_t *where = json_pack("{ss}", "email", email);
	int ret = store_find_one(x->st, "people", where, p, e);
	json_decref(where);
	if (ret && e->code == E_NOT_FOUND)
		err_set(e, E_INVALID, "email", "no person has this e-mail address");
	return ret;
}

int core__token_create(struct ctx *x, struct err *e)
{
	json_t *p = NULL, *row = NULL;
	const json_t *b = x->call->body;
	const char *name = json_string_value(json_object_get(b, "name"));
	char token[70], h[65];
	int64_t id;
	int ret = -1;
	if (person_by_email(x, json_string_value(json_object_get(b, "email")), &p, e))
		goto out;
	memcpy(token, "ent_", 4);
	random_hex(token + 4, 32);
	hash_hex(token, h);
	row = json_pack("{sO ss ss ss}", "person_id", json_object_get(p, "id"), "token_hash", h,
			"name", name ? name : "cli", "created_at", x->now_iso);
	if (store_insert(x->st, "tokens", row, &id, e))
		goto out;
	core__reply(x, 201, json_pack("{sI ss sO ss}", "id", (json_int_t)id, "token", token,
				      "person_id", json_object_get(p, "id"), "name", name ? name : "cli"));
	core__audit(x, "token", id, NULL, json_pack("{sO ss}", "person_id", json_object_get(p, "id"), "name", name ? name : "cli"));
	ret = 0;
out:
	sodium_memzero(token, sizeof(token));
	json_decref(p);
	json_decref(row);
	return ret;
}

int core__token_revoke(struct ctx *x, struct err *e)
{
	int64_t id;
	json_t *t = NULL, *ch;
	int ret;
	if (core__path_id(x, "id", &id, e) || store_get(x->st, "tokens", id, &t, e))
		return -1;
	if (!json_is_null(json_object_get(t, "revoked_at"))) {
		json_decref(t);
		return err_set(e, E_CONFLICT, NULL, "token %lld is already revoked", (long long)id);
	}
	ch = json_pack("{ss}", "revoked_at", x->now_iso);
	ret = store_update(x->st, "tokens", id, ch, e);
	json_decref(ch);
	if (!ret) {
		core__reply(x, 200, json_pack("{sI ss}", "id", (json_int_t)id, "revoked_at", x->now_iso));
		core__audit(x, "token", id, NULL, json_pack("{ss}", "revoked_at", x->now_iso));
	}
	json_decref(t);
	return ret;
}

static json_t *token_present(struct ctx *x, json_t *t)
{
	(void)x;
	json_t *r = json_deep_copy(t);
	json_object_del(r, "token_hash");
	return r;
}

int core__token_list(struct ctx *x, struct err *e)
{
	json_t *where = json_object();
	const char *email = core__param(x, "email");
	if (email) {
		json_t *p = NULL;
		if (person_by_email(x, email, &p, e)) {
			json_decref(where);
			return -1;
		}
		json_object_set(where, "person_id", json_object_get(p, "id"));
		json_decref(p);
	}
	return core__list(x, "tokens", where, token_present, e);
}

int core__password_set(struct ctx *x, struct err *e)
{
	const char *pw = json_string_value(json_object_get(x->call->body, "password"));
	json_t *p = NULL, *ch = NULL;
	char *h = NULL;
	int ret = -1;
	if (person_by_email(x, json_string_value(json_object_get(x->call->body, "email")), &p, e) ||
	    core__password_policy(pw, p, "password", e) || core_password_hash(pw, &h, e))
		goto out;
	ch = json_pack("{ss ss ss}", "password_hash", h, "updated_at", x->now_iso, "password_changed_at", x->now_iso);
	if (store_update(x->st, "people", json_integer_value(json_object_get(p, "id")), ch, e) ||
	    core__sessions_end(x, json_integer_value(json_object_get(p, "id")), NULL, e) < 0)
		goto out;
	core__reply(x, 200, json_pack("{sO sb}", "id", json_object_get(p, "id"), "has_account", 1));
	core__audit(x, "person", json_integer_value(json_object_get(p, "id")), NULL, json_pack("{ss}", "event", "password set"));
	ret = 0;
out:
	free(h);
	json_decref(p);
	json_decref(ch);
	return ret;
}
