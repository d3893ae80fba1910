/* Shared by sign-in, accounts and the second factor (credentials.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/credentials.h"
#include "core/engine/engine.h"
#include "core/engine/outbox.h"
#include "lib/pwpolicy.h"
#include "lib/util.h"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}
static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

int core_password_hash(const char *password, char **out, struct err *e)
{
	char *h = malloc(crypto_pwhash_STRBYTES);
	*out = NULL;
	if (!h)
		return err_set(e, E_INTERNAL, NULL, "out of memory");
	if (crypto_pwhash_str_alg(h, password, strlen(password), PW_OPS, PW_MEM, crypto_pwhash_ALG_ARGON2ID13)) {
		free(h);
		return err_set(e, E_INTERNAL, NULL, "password hashing failed (out of memory)");
	}
	*out = h;
	return 0;
}

int core__password_policy(const char *pw, const json_t *person, const char *field, struct err *e)
{
	char local[256] = "", why[200];
	const char *context[4] = { "entente", NULL, NULL, NULL };
	if (person) {
		snprintf(local, sizeof(local), "%s", str(person, "email"));
		char *at = strchr(local, '@');
		if (at)
			*at = '\0';
		context[1] = local;
		context[2] = str(person, "name");
	}
	if (pw_weak(pw, context, why, sizeof(why)))
		return err_set(e, E_INVALID, field, "the password %s", why);
	return 0;
}

int core__sessions_end(struct ctx *x, int64_t person, const char *keep, struct err *e)
{
	json_t *where = json_pack("{sI}", "person_id", (json_int_t)person), *rows = NULL;
	struct store_query q = { .where = where, .columns = "id,id_hash" };
	int n = 0, ret = store_find(x->st, "sessions", &q, &rows, e);
	for (size_t i = 0; !ret && i < json_array_size(rows); i++) {
		json_t *s = json_array_get(rows, i);
		if (keep && !strcmp(keep, str(s, "id_hash")))
			continue;
		ret = store_delete(x->st, "sessions", num(s, "id"), e);
		n++;
	}
	json_decref(where);
	json_decref(rows);
	return ret ? -1 : n;
}

int core__account_mail(struct ctx *x, const json_t *person, const char *event, const char *subject, const char *body,
		       const char *link, struct err *e)
{
	json_t *row = json_pack("{ss sO ss ss ss ss ss}", "event", event, "person_id", json_object_get(person, "id"), "email",
				str(person, "email"), "reason", "account", "subject", subject, "body", body, "created_at", x->now_iso);
	if (link)
		json_object_set_new(row, "link", json_string(link));
	int ret = core__outbox_put(x, row, NULL, e);
	json_decref(row);
	return ret;
}
