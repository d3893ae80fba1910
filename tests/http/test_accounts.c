/* Issue 24: people manage their own access. Invitations and password
 * resets by single-use links that arrive by real mail (the suite's SMTP
 * sink), password rules, sessions a person sees and ends, two-factor
 * sign-in with codes computed here from the shared secret (by Python's
 * hmac, not by the library the server uses), impersonation recorded as
 * such, and an audit record without e-mail addresses. Each refusal has
 * its test beside the allowed path. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"
#define SAM "sam@snia.example"
#define BEA "board@dmtf.example"
#define DEMO_PW "demo-alliance"

static struct server S;
static struct sink K;
/* the test clock starts at the real time (the mail is delivered on the
 * real clock) and moves forward to expire links */
static long long NOW;

struct sess {
	char cookie[120], csrf[120];
};

/* Sign in (code may be NULL); the answer, and the session when 201. */
static struct resp sign_in(struct sess *ss, const char *email, const char *pw, const char *code, const char *ua)
{
	char ua_line[200];
	const char *h[] = { ua_line, NULL };
	snprintf(ua_line, sizeof(ua_line), "User-Agent: %s", ua ? ua : "curl/8");
	json_t *b = json_pack("{ss ss}", "email", email, "password", pw);
	if (code)
		json_object_set_new(b, "code", json_string(code));
	char *body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	struct resp r = req(&S, "POST", "/api/v1/session", NULL, body, h);
	free(body);
	if (r.status == 201 && ss) {
		char sid[80];
		assert_int_equal(sscanf(r.cookie, "entente_session=%79[0-9a-f]", sid), 1);
		snprintf(ss->cookie, sizeof(ss->cookie), "Cookie: entente_session=%s", sid);
		snprintf(ss->csrf, sizeof(ss->csrf), "X-CSRF-Token: %s", jstr(r.json, "csrf_token"));
	}
	return r;
}

/* A request with a session (body from json_pack's fmt, may be NULL). */
static struct resp sreq(struct sess *ss, const char *method, const char *path, const char *fmt, ...)
{
	char *body = NULL;
	const char *h[] = { ss->cookie, ss->csrf, NULL };
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		json_t *b = json_vpack_ex(NULL, 0, fmt, ap);
		va_end(ap);
		assert_non_null(b);
		body = json_dumps(b, JSON_COMPACT);
		json_decref(b);
	}
	struct resp r = req(&S, method, path, NULL, body, h);
	free(body);
	return r;
}

/* A public request with a JSON body. */
static struct resp pub(const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *b = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	char *body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	struct resp r = req(&S, "POST", path, NULL, body, NULL);
	free(body);
	return r;
}

/* Wait until the sink holds n messages to rcpt; the last one's body
 * (a new string), or NULL after 20 s. */
static char *mail_to(const char *rcpt, int n)
{
	for (int t = 0; t < 200; t++) {
		json_t *all = received(&K);
		int seen = 0;
		char *body = NULL;
		for (size_t i = 0; i < json_array_size(all); i++) {
			json_t *m = json_array_get(all, i);
			if (strcmp(json_string_value(json_array_get(json_object_get(m, "rcpt_tos"), 0)), rcpt))
				continue;
			seen++;
			free(body);
			body = strdup(jstr(m, "body"));
		}
		json_decref(all);
		if (seen >= n)
			return body;
		free(body);
		usleep(100000);
	}
	return NULL;
}

/* The 64-hex token after marker ("#/welcome/") in a mail's body. */
static void token_in(const char *body, const char *marker, char token[65])
{
	const char *p = body ? strstr(body, marker) : NULL;
	if (!p)
		fprintf(stderr, "no %s in the mail: %s\n", marker, body ? body : "(no mail)");
	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(marker), "%64[0-9a-f]", token), 1);
	assert_int_equal(strlen(token), 64);
}

static void start(void)
{
	char out[256];
	server_init(&S, 1);
	sink_start(&K, &S, free_port());
	/* the demo's backlog delivered and forgotten: each test sees its own mail */
	assert_int_equal(cli(&S, out, sizeof(out), "outbox deliver --smtp-url %s", K.url), 0);
	unlink(K.out);
	S.now = NOW = (long long)time(NULL);
	server_start(&S, "--smtp-url", K.url, "--mail-interval", "1", "--base-url", "https://entente.example.org", "--test-clock",
		     NULL);
}

/* The administrator invites; the VP invites partners' representatives
 * only; the link arrives by mail, chooses a password once, and expires. */
static void test_invitations(void **state)
{
	(void)state;
	start();
	/* who may invite whom */
	struct resp r = as(&S, SAM, "POST", "/api/v1/invitations", "{ss ss si}", "name", "Pat Peer", "email", "pat@snia.example", "org_id", 2);
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/invitations", "{ss ss si}", "name", "Dee Staff", "email", "dee@dmtf.example", "org_id", 1);
	expect_status(r, 403);
	assert_string_equal(jstr(r.json, "field"), "org_id");
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/invitations", "{ss ss si ss}", "name", "Pat Peer", "email", "pat@snia.example", "org_id", 2,
	       "officer_role", "admin");
	expect_status(r, 403); /* an office is the administrator's to give */
	resp_free(&r);
	r = as(&S, VP, "POST", "/api/v1/invitations", "{ss ss si}", "name", "Pat Peer", "email", "pat@snia.example", "org_id", 2);
	expect_status(r, 201);
	assert_string_equal(jstr(r.json, "state"), "open");
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/invitations", "{ss ss si s[{si ss}]}", "name", "Nina New", "email", "nina@dmtf.example",
	       "org_id", 1, "seats", "body_id", 2, "role", "voting");
	expect_status(r, 201);
	long long nina_inv = jint(r.json, "id"), nina = jint(r.json, "person_id");
	resp_free(&r);
	r = as(&S, ADMIN, "POST", "/api/v1/invitations", "{ss ss si}", "name", "Sam Again", "email", SAM, "org_id", 2);
	expect_status(r, 409); /* has an account already */
	resp_free(&r);

	/* the person is listed as invited */
	char path[120];
	snprintf(path, sizeof(path), "/api/v1/people/%lld", nina);
	r = as(&S, ADMIN, "GET", path, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "state"), "invited");
	resp_free(&r);

	/* the mail: a link to the application; the outbox never shows it */
	char *body = mail_to("nina@dmtf.example", 1), tok[65];
	token_in(body, "https://entente.example.org/#/welcome/", tok);
	assert_non_null(strstr(body, "within 7 days"));
	free(body);
	r = as(&S, ADMIN, "GET", "/api/v1/outbox?event=account.invitation", NULL);
	expect_status(r, 200);
	assert_null(strstr(r.raw, tok));
	resp_free(&r);

	/* the link: checked, then a weak password refused, then chosen */
	r = pub("/api/v1/account-links/check", "{ss}", "token", tok);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "purpose"), "invitation");
	assert_string_equal(jstr(r.json, "name"), "Nina New");
	resp_free(&r);
	static const char *const weak[] = { "short-one", "password1234", "Password2024!", "aaaaaaaaaaaaaaa", "nina-secret-words", NULL };
	for (int i = 0; weak[i]; i++) {
		r = pub("/api/v1/account-links/use", "{ss ss}", "token", tok, "password", weak[i]);
		expect_status(r, 400);
		assert_string_equal(jstr(r.json, "field"), "password");
		resp_free(&r);
	}
	r = pub("/api/v1/account-links/use", "{ss ss}", "token", tok, "password", "violet kettle harbour");
	expect_status(r, 200);
	resp_free(&r);
	r = sign_in(NULL, "nina@dmtf.example", "violet kettle harbour", NULL, NULL);
	expect_status(r, 201);
	resp_free(&r);
	/* once only */
	r = pub("/api/v1/account-links/use", "{ss ss}", "token", tok, "password", "another long passphrase");
	expect_status(r, 410);
	assert_non_null(strstr(jstr(r.json, "detail"), "works once"));
	resp_free(&r);
	r = pub("/api/v1/account-links/check", "{ss}", "token", "0000000000000000000000000000000000000000000000000000000000000000");
	expect_status(r, 404);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/invitations/%lld/resend", nina_inv);
	r = as(&S, ADMIN, "POST", path, NULL);
	expect_status(r, 409);
	resp_free(&r);

	/* revoked, then sent again: the old link is dead, the new one works */
	r = as(&S, ADMIN, "POST", "/api/v1/invitations", "{ss ss si}", "name", "Otto Other", "email", "otto@tgg.example", "org_id", 3);
	expect_status(r, 201);
	long long otto_inv = jint(r.json, "id");
	resp_free(&r);
	body = mail_to("otto@tgg.example", 1);
	char old[65];
	token_in(body, "#/welcome/", old);
	free(body);
	snprintf(path, sizeof(path), "/api/v1/invitations/%lld/revoke", otto_inv);
	r = as(&S, ADMIN, "POST", path, NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "state"), "revoked");
	resp_free(&r);
	r = pub("/api/v1/account-links/check", "{ss}", "token", old);
	expect_status(r, 410);
	assert_non_null(strstr(jstr(r.json, "detail"), "withdrawn"));
	resp_free(&r);
	r = as(&S, ADMIN, "GET", "/api/v1/invitations", NULL);
	expect_status(r, 200);
	json_t *items = json_object_get(r.json, "items");
	long long again = 0;
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(jstr(json_array_get(items, i), "email"), "otto@tgg.example"))
			again = jint(json_array_get(items, i), "id");
	assert_true(again > 0);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/invitations/%lld/resend", again);
	r = as(&S, ADMIN, "POST", path, NULL);
	expect_status(r, 200);
	resp_free(&r);
	body = mail_to("otto@tgg.example", 2);
	char fresh[65];
	token_in(body, "#/welcome/", fresh);
	free(body);
	assert_string_not_equal(fresh, old);
	/* 7 days and a second later, it has expired */
	S.now = NOW + 7 * 86400 + 1;
	r = pub("/api/v1/account-links/use", "{ss ss}", "token", fresh, "password", "violet kettle harbour");
	expect_status(r, 410);
	assert_non_null(strstr(jstr(r.json, "detail"), "expired"));
	resp_free(&r);
	S.now = NOW + 3600;
	r = pub("/api/v1/account-links/use", "{ss ss}", "token", fresh, "password", "violet kettle harbour");
	expect_status(r, 200);
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

/* Forgot password: the same answer for any address, a link valid one
 * hour, throttled; a reset ends every session and says so by mail. A
 * change needs the current password and ends the other sessions. */
static void test_passwords(void **state)
{
	(void)state;
	start();
	struct sess a, b;
	struct resp r = sign_in(&a, SAM, DEMO_PW, NULL, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
	expect_status(r, 201);
	resp_free(&r);
	r = sign_in(&b, SAM, DEMO_PW, NULL, NULL);
	expect_status(r, 201);
	resp_free(&r);

	/* change: the current password first, then the rules */
	r = sreq(&a, "POST", "/api/v1/me/password", "{ss ss}", "current_password", "not it", "password", "violet kettle harbour");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "current_password");
	resp_free(&r);
	r = sreq(&a, "POST", "/api/v1/me/password", "{ss ss}", "current_password", DEMO_PW, "password", "qwertyuiop123");
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "password");
	resp_free(&r);
	r = sreq(&a, "POST", "/api/v1/me/password", "{ss ss}", "current_password", DEMO_PW, "password", "violet kettle harbour");
	expect_status(r, 200);
	assert_int_equal(jint(r.json, "sessions_ended"), 1);
	resp_free(&r);
	r = sreq(&b, "GET", "/api/v1/me", NULL);
	expect_status(r, 401); /* the other session ended */
	resp_free(&r);
	r = sreq(&a, "GET", "/api/v1/me", NULL);
	expect_status(r, 200); /* this one goes on */
	resp_free(&r);
	char *body = mail_to(SAM, 1);
	assert_non_null(body);
	assert_non_null(strstr(body, "Your password was changed"));
	free(body);
	r = sign_in(NULL, SAM, DEMO_PW, NULL, NULL);
	expect_status(r, 401);
	resp_free(&r);

	/* forgot: one answer whether the address exists or not */
	r = pub("/api/v1/password-resets", "{ss}", "email", SAM);
	expect_status(r, 200);
	char *known = strdup(r.raw);
	resp_free(&r);
	r = pub("/api/v1/password-resets", "{ss}", "email", "nobody@nowhere.example");
	expect_status(r, 200);
	assert_string_equal(r.raw, known);
	free(known);
	resp_free(&r);
	body = mail_to(SAM, 2);
	char tok[65], tok2[65];
	token_in(body, "https://entente.example.org/#/reset/", tok);
	free(body);
	/* valid for one hour */
	S.now = NOW + 3601;
	r = pub("/api/v1/account-links/use", "{ss ss}", "token", tok, "password", "amber lantern meadow");
	expect_status(r, 410);
	assert_non_null(strstr(jstr(r.json, "detail"), "expired"));
	resp_free(&r);
	S.now = NOW;
	r = pub("/api/v1/account-links/check", "{ss}", "token", tok);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "purpose"), "reset");
	resp_free(&r);
	/* a newer link replaces it */
	r = pub("/api/v1/password-resets", "{ss}", "email", SAM);
	expect_status(r, 200);
	resp_free(&r);
	body = mail_to(SAM, 3);
	token_in(body, "#/reset/", tok2);
	free(body);
	r = pub("/api/v1/account-links/use", "{ss ss}", "token", tok, "password", "amber lantern meadow");
	expect_status(r, 410);
	resp_free(&r);
	r = pub("/api/v1/account-links/use", "{ss ss}", "token", tok2, "password", "amber lantern meadow");
	expect_status(r, 200);
	resp_free(&r);
	r = sreq(&a, "GET", "/api/v1/me", NULL);
	expect_status(r, 401); /* a reset ends every session */
	resp_free(&r);
	body = mail_to(SAM, 4);
	assert_non_null(body);
	assert_non_null(strstr(body, "reset with the link"));
	free(body);
	r = sign_in(NULL, SAM, "amber lantern meadow", NULL, NULL);
	expect_status(r, 201);
	resp_free(&r);

	/* throttled: three an hour for one address typed, known or not... */
	for (int i = 0; i < 3; i++) {
		r = pub("/api/v1/password-resets", "{ss}", "email", "ghost@nowhere.example");
		expect_status(r, 200);
		resp_free(&r);
	}
	r = pub("/api/v1/password-resets", "{ss}", "email", "Ghost@nowhere.example");
	expect_status(r, 429);
	assert_true(atoi(r.retry_after) > 0);
	resp_free(&r);
	/* ... and ten an hour from one client (7 so far, the refused one too) */
	for (int i = 0; i < 3; i++) {
		char email[64];
		snprintf(email, sizeof(email), "other%d@nowhere.example", i);
		r = pub("/api/v1/password-resets", "{ss}", "email", email);
		expect_status(r, 200);
		resp_free(&r);
	}
	r = pub("/api/v1/password-resets", "{ss}", "email", "last@nowhere.example");
	expect_status(r, 429);
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

/* A person sees their sessions and ends one; an administrator ends all of
 * a person's; disabling a person ends them. */
static void test_sessions(void **state)
{
	(void)state;
	start();
	struct sess a, b;
	struct resp r = sign_in(&a, VP, DEMO_PW, NULL, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
	expect_status(r, 201);
	resp_free(&r);
	r = sign_in(&b, VP, DEMO_PW, NULL, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1");
	expect_status(r, 201);
	resp_free(&r);
	r = sreq(&a, "GET", "/api/v1/me/sessions", NULL);
	expect_status(r, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 2);
	long long other = 0;
	int firefox = 0, iphone = 0;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *s = json_array_get(items, i);
		assert_string_equal(jstr(s, "address"), "127.0.0.1");
		firefox |= !strcmp(jstr(s, "browser"), "Firefox on Linux") && json_is_true(json_object_get(s, "current"));
		iphone |= !strcmp(jstr(s, "browser"), "Safari on iPhone") && !json_is_true(json_object_get(s, "current"));
		if (!json_is_true(json_object_get(s, "current")))
			other = jint(s, "id");
	}
	assert_true(firefox && iphone);
	resp_free(&r);
	/* another person's session is not found */
	struct sess c;
	r = sign_in(&c, SAM, DEMO_PW, NULL, NULL);
	expect_status(r, 201);
	resp_free(&r);
	char path[120];
	snprintf(path, sizeof(path), "/api/v1/me/sessions/%lld", other);
	r = sreq(&c, "DELETE", path, NULL);
	expect_status(r, 404);
	resp_free(&r);
	r = sreq(&a, "DELETE", path, NULL);
	expect_status(r, 204);
	resp_free(&r);
	r = sreq(&b, "GET", "/api/v1/me", NULL);
	expect_status(r, 401);
	resp_free(&r);
	/* the administrator ends all of Sam's */
	r = as(&S, SAM, "GET", "/api/v1/me", NULL);
	long long sam = jint(r.json, "id");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/people/%lld/end-sessions", sam);
	r = as(&S, VP, "POST", path, NULL);
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, ADMIN, "POST", path, NULL);
	expect_status(r, 200);
	assert_int_equal(jint(r.json, "sessions_ended"), 1);
	resp_free(&r);
	r = sreq(&c, "GET", "/api/v1/me", NULL);
	expect_status(r, 401);
	resp_free(&r);
	/* disabling the VP ends the session that was left */
	r = as(&S, VP, "GET", "/api/v1/me", NULL);
	long long vp = jint(r.json, "id");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/people/%lld", vp);
	r = as(&S, ADMIN, "PATCH", path, "{sb}", "disabled", 1);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "state"), "disabled");
	resp_free(&r);
	r = as(&S, ADMIN, "PATCH", path, "{sb}", "disabled", 0);
	expect_status(r, 200);
	resp_free(&r);
	r = sreq(&a, "GET", "/api/v1/me", NULL);
	expect_status(r, 401);
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

/* The TOTP code of a base32 secret at a time, computed by Python's hmac
 * (RFC 6238: HMAC-SHA1, 30 s, 6 digits). */
static void totp(const char *secret, long long at, char code[7])
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd),
		 "python3 -c \"import hmac,hashlib,struct,base64,sys;k=base64.b32decode(sys.argv[1]+'='*(-len(sys.argv[1])%%8));"
		 "h=hmac.new(k,struct.pack('>Q',int(sys.argv[2])//30),hashlib.sha1).digest();o=h[-1]&15;"
		 "print('%%06d'%%((struct.unpack('>I',h[o:o+4])[0]&0x7fffffff)%%1000000))\" %s %lld",
		 secret, at);
	char line[32] = "";
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	assert_int_equal(sscanf(line, "%6[0-9]", code), 1);
	assert_int_equal(strlen(code), 6);
}

static void test_two_factor(void **state)
{
	(void)state;
	start();
	struct sess a;
	struct resp r = sign_in(&a, BEA, DEMO_PW, NULL, NULL);
	expect_status(r, 201);
	resp_free(&r);
	r = sreq(&a, "POST", "/api/v1/me/two-factor/confirm", "{ss}", "code", "123456");
	expect_status(r, 409); /* enrol first */
	resp_free(&r);
	r = sreq(&a, "POST", "/api/v1/me/two-factor", NULL);
	expect_status(r, 201);
	char secret[80];
	snprintf(secret, sizeof(secret), "%s", jstr(r.json, "secret"));
	assert_int_equal(strlen(secret), 32);
	assert_non_null(strstr(jstr(r.json, "otpauth_uri"), "otpauth://totp/"));
	assert_non_null(strstr(jstr(r.json, "otpauth_uri"), secret));
	assert_int_equal(strncmp(jstr(r.json, "qr_svg"), "<svg", 4), 0);
	assert_non_null(strstr(jstr(r.json, "qr_svg"), "aria-label="));
	resp_free(&r);
	char code[7], wrong[12];
	totp(secret, NOW, code);
	snprintf(wrong, sizeof(wrong), "%06d", (atoi(code) + 1) % 1000000);
	r = sreq(&a, "POST", "/api/v1/me/two-factor/confirm", "{ss}", "code", wrong);
	expect_status(r, 400);
	assert_string_equal(jstr(r.json, "field"), "code");
	resp_free(&r);
	r = sreq(&a, "POST", "/api/v1/me/two-factor/confirm", "{ss}", "code", code);
	expect_status(r, 200);
	json_t *codes = json_object_get(r.json, "recovery_codes");
	assert_int_equal(json_array_size(codes), 10);
	char recovery[16];
	snprintf(recovery, sizeof(recovery), "%s", json_string_value(json_array_get(codes, 0)));
	resp_free(&r);
	char *body = mail_to(BEA, 1);
	assert_non_null(strstr(body, "Two-factor sign-in was turned on"));
	free(body);

	/* signing in now asks for a code; the code of this step was taken */
	r = sign_in(NULL, BEA, DEMO_PW, NULL, NULL);
	expect_status(r, 401);
	assert_string_equal(jstr(r.json, "field"), "code");
	resp_free(&r);
	r = sign_in(NULL, BEA, DEMO_PW, code, NULL);
	expect_status(r, 401);
	assert_non_null(strstr(jstr(r.json, "detail"), "used already"));
	resp_free(&r);
	S.now = NOW + 30;
	totp(secret, S.now, code);
	r = sign_in(NULL, BEA, DEMO_PW, wrong, NULL);
	expect_status(r, 401);
	resp_free(&r);
	r = sign_in(NULL, BEA, "wrong password", code, NULL);
	expect_status(r, 401); /* a code is no password */
	resp_free(&r);
	r = sign_in(NULL, BEA, DEMO_PW, code, NULL);
	expect_status(r, 201);
	resp_free(&r);
	/* a recovery code works once */
	r = sign_in(NULL, BEA, DEMO_PW, recovery, NULL);
	expect_status(r, 201);
	resp_free(&r);
	r = sign_in(NULL, BEA, DEMO_PW, recovery, NULL);
	expect_status(r, 401);
	resp_free(&r);

	/* new recovery codes, then off: each asks for the password */
	struct sess bea;
	S.now = NOW + 60;
	totp(secret, S.now, code);
	r = sign_in(&bea, BEA, DEMO_PW, code, NULL);
	expect_status(r, 201);
	resp_free(&r);
	r = sreq(&bea, "POST", "/api/v1/me/two-factor/recovery-codes", "{ss}", "password", "not it");
	expect_status(r, 400);
	resp_free(&r);
	r = sreq(&bea, "POST", "/api/v1/me/two-factor/recovery-codes", "{ss}", "password", DEMO_PW);
	expect_status(r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "recovery_codes")), 10);
	resp_free(&r);
	r = sign_in(NULL, BEA, DEMO_PW, recovery, NULL);
	expect_status(r, 401); /* the old codes are gone */
	resp_free(&r);
	r = sreq(&bea, "POST", "/api/v1/me/two-factor/disable", "{ss}", "password", DEMO_PW);
	expect_status(r, 200);
	assert_false(json_is_true(json_object_get(r.json, "two_factor")));
	resp_free(&r);
	r = sign_in(NULL, BEA, DEMO_PW, NULL, NULL);
	expect_status(r, 201);
	resp_free(&r);

	/* a role that requires it: the VP, with no second factor, may only enrol */
	r = as(&S, ADMIN, "PATCH", "/api/v1/settings", "{ss}", "two_factor_roles", "vp_alliances,chairs");
	expect_status(r, 400);
	resp_free(&r);
	r = as(&S, ADMIN, "PATCH", "/api/v1/settings", "{ss}", "two_factor_roles", "vp_alliances,board");
	expect_status(r, 200);
	resp_free(&r);
	struct sess v;
	r = sign_in(&v, VP, DEMO_PW, NULL, NULL);
	expect_status(r, 201);
	assert_true(json_is_true(json_object_get(r.json, "two_factor_required")));
	resp_free(&r);
	r = sreq(&v, "GET", "/api/v1/work-registers", NULL);
	expect_status(r, 403);
	assert_non_null(strstr(jstr(r.json, "detail"), "two-factor"));
	resp_free(&r);
	r = sreq(&v, "GET", "/api/v1/me", NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = sreq(&v, "POST", "/api/v1/me/two-factor", NULL);
	expect_status(r, 201);
	char vsecret[80];
	snprintf(vsecret, sizeof(vsecret), "%s", jstr(r.json, "secret"));
	resp_free(&r);
	totp(vsecret, S.now, code);
	r = sreq(&v, "POST", "/api/v1/me/two-factor/confirm", "{ss}", "code", code);
	expect_status(r, 200);
	resp_free(&r);
	r = sreq(&v, "GET", "/api/v1/work-registers", NULL);
	expect_status(r, 200);
	resp_free(&r);
	/* wrong codes are throttled like passwords */
	int throttled = 0;
	for (int i = 0; i < 12 && !throttled; i++) {
		r = sign_in(NULL, VP, DEMO_PW, "000000", NULL);
		throttled = r.status == 429;
		resp_free(&r);
	}
	assert_true(throttled);
	/* required: it cannot be turned off, only reset by an administrator */
	r = sreq(&v, "POST", "/api/v1/me/two-factor/disable", "{ss}", "password", DEMO_PW);
	expect_status(r, 403);
	resp_free(&r);
	r = as(&S, VP, "GET", "/api/v1/me", NULL);
	long long vp = jint(r.json, "id");
	resp_free(&r);
	char path[120];
	snprintf(path, sizeof(path), "/api/v1/people/%lld/two-factor/reset", vp);
	r = as(&S, ADMIN, "POST", path, NULL);
	expect_status(r, 200);
	resp_free(&r);
	r = sreq(&v, "GET", "/api/v1/me", NULL);
	expect_status(r, 401); /* the reset ended the sessions */
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

/* --as: the operator is the actor, the person "on behalf of", in the
 * chain (which still verifies) and in the record; no e-mail address in
 * the audit export; the person downloads what is held about them. */
static void test_impersonation_and_privacy(void **state)
{
	(void)state;
	char out[1 << 16];
	start();
	assert_int_equal(cli(&S, out, sizeof(out), "wr comment --id 1 --text 'Section 4 needs a date.' --as %s", SAM), 0);
	struct resp r = as(&S, ADMIN, "GET", "/api/v1/audit?limit=200", NULL);
	expect_status(r, 200);
	json_t *items = json_object_get(r.json, "items"), *last = NULL;
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(jstr(json_array_get(items, i), "action"), "comment.add"))
			last = json_array_get(items, i);
	assert_non_null(last);
	assert_non_null(strstr(jstr(last, "actor"), "operator "));
	assert_non_null(strstr(jstr(last, "actor"), " on behalf of Sam Patel"));
	assert_true(json_is_null(json_object_get(last, "actor_id")));
	struct resp me = as(&S, SAM, "GET", "/api/v1/me", NULL);
	assert_int_equal(jint(last, "on_behalf_id"), jint(me.json, "id"));
	resp_free(&me);
	resp_free(&r);
	r = as(&S, SAM, "GET", "/api/v1/work-registers/1/comments", NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.raw, "on behalf of Sam Patel"));
	resp_free(&r);
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0);
	/* invitations and people carry addresses: the chain does not */
	r = as(&S, ADMIN, "POST", "/api/v1/invitations", "{ss ss si}", "name", "Nina New", "email", "nina@dmtf.example", "org_id", 1);
	expect_status(r, 201);
	resp_free(&r);
	assert_int_equal(cli(&S, out, sizeof(out), "audit export"), 0);
	assert_null(strstr(out, "@dmtf.example"));
	assert_null(strstr(out, "@snia.example"));
	assert_null(strstr(out, "@localhost"));
	assert_non_null(strstr(out, "[e-mail "));
	assert_int_equal(cli(&S, out, sizeof(out), "audit verify"), 0);
	/* what the system holds about Sam, and no secret of it */
	r = as(&S, SAM, "GET", "/api/v1/me/export", NULL);
	expect_status(r, 200);
	assert_string_equal(jstr(r.json, "person.email"), SAM);
	assert_true(json_array_size(json_object_get(r.json, "actions_on_your_behalf")) >= 1);
	assert_true(json_array_size(json_object_get(r.json, "tokens")) >= 1);
	assert_null(strstr(r.raw, "password_hash"));
	assert_null(strstr(r.raw, "token_hash"));
	assert_null(strstr(r.raw, "totp_secret"));
	resp_free(&r);
	assert_int_equal(server_finish(&S), 0);
}

static int teardown(void **state)
{
	(void)state;
	sink_stop(&K);
	server_reap(&S);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_invitations, teardown),
		cmocka_unit_test_teardown(test_passwords, teardown),
		cmocka_unit_test_teardown(test_sessions, teardown),
		cmocka_unit_test_teardown(test_two_factor, teardown),
		cmocka_unit_test_teardown(test_impersonation_and_privacy, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
