/* Two-factor sign-in (issue 24; see twofactor.h). The TOTP arithmetic is
 * liboath's and the QR code's matrix libqrencode's; entente keeps the
 * states: enrolled (a secret, not yet confirmed), on (confirmed with a
 * code), the last time step taken (a code is accepted once), and the
 * recovery codes (their hashes, each spent once). */
#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/credentials.h"
#include "core/engine/actor.h"
#include "core/engine/ctx.h"
#include "core/engine/rows.h"
#include "core/engine/settings.h"
#include "core/engine/twofactor.h"
#include "lib/strbuf.h"
#include "lib/util.h"

#define STEP 30     /* seconds: RFC 6238's default, what every authenticator app uses */
#define WINDOW 1    /* one step either side: a clock off by up to 30 s */
#define SECRET_BYTES 20

const char *const core__two_factor_roles[] = { "admin", "vp_alliances", "board", "executive", NULL };

const struct jfield core__totp_confirm_spec[] = {
	{ .name = "code", .type = JT_STR, .flags = JF_REQUIRED, .max = 20, .label = "Code" },
	{ 0 }
};

const struct jfield core__totp_password_spec[] = {
	{ .name = "password", .type = JT_TEXT, .flags = JF_REQUIRED, .max = 1024, .label = "Password" },
	{ 0 }
};

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static void oath_start(void) { oath_init(); }

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}
static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* The time step a code is of (>= 0), or -1 when it is none of the window. */
static int64_t totp_step(const char *secret32, int64_t now, const char *code)
{
	char *raw = NULL;
	size_t rawlen = 0;
	uint64_t counter = 0;
	int pos = 0, rc;
	pthread_once(&oath_once, oath_start);
	if (strlen(code) != 6 || oath_base32_decode(secret32, strlen(secret32), &raw, &rawlen) != OATH_OK)
		return -1;
	rc = oath_totp_validate3(raw, rawlen, (time_t)now, STEP, 0, WINDOW, &pos, &counter, code);
	sodium_memzero(raw, rawlen);
	free(raw);
	return rc < 0 ? -1 : (int64_t)counter;
}

/* "1234 56", "abcde-12345": what a person types, as the code compared. */
static void normalize(const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (; *in && k + 1 < n; in++)
		if (*in != ' ' && *in != '-')
			out[k++] = (char)(*in >= 'A' && *in <= 'Z' ? *in - 'A' + 'a' : *in);
	out[k] = '\0';
}

static int recovery_spend(struct ctx *x, int64_t person, const char *code, struct err *e)
{
	char h[65];
	json_t *where, *row = NULL;
	hash_hex(code, h);
	where = json_pack("{sI ss sn}", "person_id", (json_int_t)person, "code_hash", h, "used_at");
	int ret = store_find_one(x->st, "recovery_codes", where, &row, e);
	json_decref(where);
	if (ret)
		return e->code == E_NOT_FOUND ? 1 : -1;
	json_t *ch = json_pack("{ss}", "used_at", x->now_iso);
	ret = store_update(x->st, "recovery_codes", num(row, "id"), ch, e);
	json_decref(ch);
	json_decref(row);
	return ret;
}

int core__second_factor(struct ctx *x, const json_t *p, const char *code, struct err *e)
{
	char c[32];
	if (!code || !*code)
		return err_set(e, E_SECOND_FACTOR, "code", "enter the 6-digit code of your authenticator app, or a recovery code");
	normalize(code, c, sizeof(c));
	int64_t step = totp_step(str(p, "totp_secret"), x->call->now, c);
	if (step >= 0) {
		if (json_is_integer(json_object_get(p, "totp_last_step")) && step <= num(p, "totp_last_step"))
			return err_set(e, E_BAD_CREDENTIALS, "code", "this code was used already: wait for the next one");
		json_t *ch = json_pack("{sI}", "totp_last_step", (json_int_t)step);
		int ret = store_update(x->st, "people", num(p, "id"), ch, e);
		json_decref(ch);
		return ret;
	}
	int r = strlen(c) == 10 ? recovery_spend(x, num(p, "id"), c, e) : 1;
	if (r > 0)
		return err_set(e, E_BAD_CREDENTIALS, "code", "wrong code");
	if (!r)
		core__audit(x, "person", num(p, "id"), NULL, json_pack("{ss}", "event", "signed in with a recovery code"));
	return r;
}

int core__two_factor_required(struct ctx *x, int64_t person_id)
{
	char roles[200];
	json_t *where = json_pack("{sI}", "person_id", (json_int_t)person_id), *rows = NULL;
	struct store_query q = { .where = where };
	struct err ignored = ERR_INIT;
	int need = 0;
	core__setting(x, "two_factor_roles", roles, sizeof(roles));
	if (!roles[0])
		goto out;
	if (!store_find(x->st, "officers", &q, &rows, &ignored))
		for (size_t i = 0; !need && i < json_array_size(rows); i++)
			need = core__is_active(x, json_array_get(rows, i)) && list_has(roles, ',', str(json_array_get(rows, i), "role"));
	json_decref(rows);
	rows = NULL;
	if (!need && !store_find(x->st, "memberships", &q, &rows, &ignored))
		for (size_t i = 0; !need && i < json_array_size(rows); i++) {
			json_t *m = json_array_get(rows, i), *b = NULL;
			if (core__is_active(x, m) && !store_get(x->st, "bodies", num(m, "body_id"), &b, &ignored))
				need = list_has(roles, ',', str(b, "kind"));
			json_decref(b);
		}
out:
	json_decref(rows);
	json_decref(where);
	return need;
}

/* The QR code of text as SVG, one path of dark modules. */
static char *qr_svg(const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	struct strbuf sb = STRBUF_INIT;
	if (!qr)
		return NULL;
	int w = qr->width, quiet = 4;
	strbuf_addf(&sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\""
		    " aria-label=\"QR code of the key for your authenticator app\" shape-rendering=\"crispEdges\">"
		    "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		    w + 2 * quiet, w + 2 * quiet, (w + 2 * quiet) * 5, (w + 2 * quiet) * 5);
	for (int y = 0; y < w; y++)
		for (int xx = 0; xx < w; xx++)
			if (qr->data[y * w + xx] & 1)
				strbuf_addf(&sb, "M%d %dh1v1h-1z", xx + quiet, y + quiet);
	strbuf_addstr(&sb, "\"/></svg>");
	QRcode_free(qr);
	return sb.buf;
}

static int password_ok(struct ctx *x, const json_t *p, struct err *e)
{
	const char *pw = str(x->call->body, "password"), *hash = json_string_value(json_object_get(p, "password_hash"));
	if (!hash || crypto_pwhash_str_verify(hash, pw, strlen(pw)))
		return err_set(e, E_INVALID, "password", "is not your current password");
	return 0;
}

/* A new secret, shown once with its otpauth:// address and QR code; the
 * second factor is on only when a code of it is confirmed. */
int core__totp_enrol(struct ctx *x, struct err *e)
{
	json_t *p = NULL, *ch = NULL;
	unsigned char raw[SECRET_BYTES];
	char *b32 = NULL, issuer[120], uri[600], *svg = NULL;
	size_t b32len = 0;
	int ret = -1;
	if (store_get(x->st, "people", x->actor.person_id, &p, e))
		goto out;
	if (json_is_string(json_object_get(p, "totp_enabled_at"))) {
		err_set(e, E_CONFLICT, NULL, "two-factor sign-in is on already: turn it off first to enrol another device");
		goto out;
	}
	pthread_once(&oath_once, oath_start);
	randombytes_buf(raw, sizeof(raw));
	if (oath_base32_encode((const char *)raw, sizeof(raw), &b32, &b32len) != OATH_OK) {
		err_set(e, E_INTERNAL, NULL, "base32 encoding failed");
		goto out;
	}
	sodium_memzero(raw, sizeof(raw));
	core__setting(x, "body_short_name", issuer, sizeof(issuer));
	if (!issuer[0])
		snprintf(issuer, sizeof(issuer), "entente");
	for (char *c = issuer; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			*c = '-';
	snprintf(uri, sizeof(uri), "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6&period=%d", issuer,
		 str(p, "email"), b32, issuer, STEP);
	if (!(svg = qr_svg(uri))) {
		err_set(e, E_INTERNAL, NULL, "the QR code could not be made");
		goto out;
	}
	ch = json_pack("{ss sn}", "totp_secret", b32, "totp_last_step");
	if (store_update(x->st, "people", x->actor.person_id, ch, e))
		goto out;
	core__reply(x, 201, json_pack("{ss ss ss ss}", "secret", b32, "otpauth_uri", uri, "qr_svg", svg, "note",
				      "Scan the QR code (or type the secret) into an authenticator app, then confirm with a code it shows."));
	core__audit(x, "person", x->actor.person_id, NULL, json_pack("{ss}", "event", "two-factor enrolment begun"));
	ret = 0;
out:
	if (b32)
		sodium_memzero(b32, b32len);
	free(b32);
	free(svg);
	json_decref(ch);
	json_decref(p);
	return ret;
}

/* New recovery codes for the actor (the old ones deleted), into codes. */
static int recovery_make(struct ctx *x, json_t *codes, struct err *e)
{
	json_t *where = json_pack("{sI}", "person_id", (json_int_t)x->actor.person_id), *old = NULL;
	struct store_query q = { .where = where };
	int ret = store_find(x->st, "recovery_codes", &q, &old, e);
	for (size_t i = 0; !ret && i < json_array_size(old); i++)
		ret = store_delete(x->st, "recovery_codes", num(json_array_get(old, i), "id"), e);
	for (int i = 0; !ret && i < CORE_RECOVERY_CODES; i++) {
		char hex[11], shown[12], h[65];
		random_hex(hex, 5);
		snprintf(shown, sizeof(shown), "%.5s-%.5s", hex, hex + 5);
		hash_hex(hex, h);
		json_t *row = json_pack("{sI ss ss}", "person_id", (json_int_t)x->actor.person_id, "code_hash", h, "created_at", x->now_iso);
		ret = store_insert(x->st, "recovery_codes", row, NULL, e);
		json_decref(row);
		json_array_append_new(codes, json_string(shown));
	}
	json_decref(old);
	json_decref(where);
	return ret;
}

/* The session the call came with, now signed in with both factors. */
static int session_upgrade(struct ctx *x, struct err *e)
{
	json_t *where, *s = NULL, *ch;
	if (!x->call->session_hash)
		return 0;
	where = json_pack("{ss}", "id_hash", x->call->session_hash);
	int ret = store_find_one(x->st, "sessions", where, &s, e);
	json_decref(where);
	if (ret)
		return -1;
	ch = json_pack("{sb sb}", "second_factor", 1, "enrol_only", 0);
	ret = store_update(x->st, "sessions", num(s, "id"), ch, e);
	json_decref(ch);
	json_decref(s);
	return ret;
}

int core__totp_confirm(struct ctx *x, struct err *e)
{
	json_t *p = NULL, *ch = NULL, *codes = json_array();
	char c[32];
	int ret = -1;
	if (store_get(x->st, "people", x->actor.person_id, &p, e))
		goto out;
	if (json_is_string(json_object_get(p, "totp_enabled_at")) || !json_is_string(json_object_get(p, "totp_secret"))) {
		err_set(e, E_CONFLICT, NULL, json_is_string(json_object_get(p, "totp_enabled_at"))
						     ? "two-factor sign-in is on already"
						     : "enrol first: POST /api/v1/me/two-factor gives the key");
		goto out;
	}
	normalize(str(x->call->body, "code"), c, sizeof(c));
	int64_t step = totp_step(str(p, "totp_secret"), x->call->now, c);
	if (step < 0) {
		err_set(e, E_INVALID, "code", "is not the code your app shows now: check the device's clock and try the next one");
		goto out;
	}
	ch = json_pack("{ss sI}", "totp_enabled_at", x->now_iso, "totp_last_step", (json_int_t)step);
	if (store_update(x->st, "people", x->actor.person_id, ch, e) || recovery_make(x, codes, e) || session_upgrade(x, e) ||
	    core__account_mail(x, p, "account.two_factor", "Two-factor sign-in is on",
			       "Two-factor sign-in was turned on for your entente account. From now on a code of your\n"
			       "authenticator app is asked at sign-in. Keep your recovery codes somewhere safe.\n\n"
			       "If this was not you, tell an administrator at once.\n", NULL, e))
		goto out;
	core__reply(x, 200, json_pack("{ss sO ss}", "enabled_at", x->now_iso, "recovery_codes", codes, "note",
				      "Each recovery code signs you in once when your device is lost. They are shown only now."));
	core__audit(x, "person", x->actor.person_id, NULL, json_pack("{ss}", "event", "two-factor sign-in turned on"));
	ret = 0;
out:
	json_decref(codes);
	json_decref(ch);
	json_decref(p);
	return ret;
}

static int totp_clear(struct ctx *x, int64_t person, struct err *e)
{
	json_t *ch = json_pack("{sn sn sn}", "totp_secret", "totp_enabled_at", "totp_last_step");
	json_t *where = json_pack("{sI}", "person_id", (json_int_t)person), *old = NULL;
	struct store_query q = { .where = where };
	int ret = store_update(x->st, "people", person, ch, e) || store_find(x->st, "recovery_codes", &q, &old, e);
	for (size_t i = 0; !ret && i < json_array_size(old); i++)
		ret = store_delete(x->st, "recovery_codes", num(json_array_get(old, i), "id"), e);
	json_decref(ch);
	json_decref(old);
	json_decref(where);
	return ret ? -1 : 0;
}

int core__totp_disable(struct ctx *x, struct err *e)
{
	json_t *p = NULL;
	int ret = -1;
	if (store_get(x->st, "people", x->actor.person_id, &p, e) || password_ok(x, p, e))
		goto out;
	if (!json_is_string(json_object_get(p, "totp_secret"))) {
		err_set(e, E_CONFLICT, NULL, "two-factor sign-in is not on");
		goto out;
	}
	if (core__two_factor_required(x, x->actor.person_id)) {
		err_set(e, E_FORBIDDEN, NULL, "your role requires two-factor sign-in (setting two_factor_roles): enrol a new device instead"
					      " by asking an administrator to reset it");
		goto out;
	}
	if (totp_clear(x, x->actor.person_id, e) ||
	    core__account_mail(x, p, "account.two_factor", "Two-factor sign-in is off",
			       "Two-factor sign-in was turned off for your entente account.\n\n"
			       "If this was not you, tell an administrator at once.\n", NULL, e))
		goto out;
	core__reply(x, 200, json_pack("{sI sb}", "id", (json_int_t)x->actor.person_id, "two_factor", 0));
	core__audit(x, "person", x->actor.person_id, NULL, json_pack("{ss}", "event", "two-factor sign-in turned off"));
	ret = 0;
out:
	json_decref(p);
	return ret;
}

int core__recovery_renew(struct ctx *x, struct err *e)
{
	json_t *p = NULL, *codes = json_array();
	int ret = -1;
	if (store_get(x->st, "people", x->actor.person_id, &p, e) || password_ok(x, p, e))
		goto out;
	if (!json_is_string(json_object_get(p, "totp_enabled_at"))) {
		err_set(e, E_CONFLICT, NULL, "two-factor sign-in is not on");
		goto out;
	}
	if (recovery_make(x, codes, e))
		goto out;
	core__reply(x, 200, json_pack("{sO ss}", "recovery_codes", codes, "note", "The earlier recovery codes no longer work."));
	core__audit(x, "person", x->actor.person_id, NULL, json_pack("{ss}", "event", "recovery codes renewed"));
	ret = 0;
out:
	json_decref(codes);
	json_decref(p);
	return ret;
}

/* An administrator, for a person who lost their device and their codes:
 * the second factor removed and every session ended; they enrol again. */
int core__totp_reset(struct ctx *x, struct err *e)
{
	json_t *p = NULL;
	int ret = -1;
	if (store_get(x->st, "people", x->scope.person_id, &p, e))
		goto out;
	if (!json_is_string(json_object_get(p, "totp_secret"))) {
		err_set(e, E_CONFLICT, NULL, "%s has no second factor", str(p, "name"));
		goto out;
	}
	if (totp_clear(x, x->scope.person_id, e) || core__sessions_end(x, x->scope.person_id, NULL, e) < 0 ||
	    core__account_mail(x, p, "account.two_factor", "Your two-factor sign-in was reset",
			       "An administrator removed the second factor of your entente account and ended your\n"
			       "sessions. Sign in with your password and enrol your device again.\n\n"
			       "If you did not ask for this, tell an administrator at once.\n", NULL, e))
		goto out;
	core__reply(x, 200, json_pack("{sI sb}", "id", (json_int_t)x->scope.person_id, "two_factor", 0));
	core__audit(x, "person", x->scope.person_id, NULL, json_pack("{ss}", "event", "two-factor sign-in reset by an administrator"));
	ret = 0;
out:
	json_decref(p);
	return ret;
}
