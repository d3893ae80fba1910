/* The checkpoint signer (see seal.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/core.h"
#include "lib/jspec.h"
#include "lib/periodic.h"
#include "lib/util.h"
#include "seal/seal.h"

void seal_key_path(const char *given, const char *db_path, char *out, size_t n)
{
	const char *env = getenv("ENTENTE_SIGNING_KEY");
	if (given && *given)
		snprintf(out, n, "%s", given);
	else if (env && *env)
		snprintf(out, n, "%s", env);
	else if (store_is_url(db_path)) /* a server's URL is no place for a file: none (issue 26) */
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "%s.signing-key", db_path);
}

/* The key's path is given, or there is none to use. */
static int no_key_path(const char *path, struct err *e)
{
	return *path ? 0
		     : err_set(e, E_INVALID, "signing-key",
			       "a PostgreSQL database has no file beside it for the signing key: give --signing-key PATH, "
			       "$ENTENTE_SIGNING_KEY or signing_key in the configuration");
}

int seal_key_ensure(const char *path, struct err *e)
{
	unsigned char pk[32], sk[64];
	char hex[129];
	if (no_key_path(path, e))
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : err_set(e, E_UNAVAILABLE, "signing-key", "cannot create %s: %s", path, strerror(errno));
	crypto_sign_keypair(pk, sk);
	sodium_bin2hex(hex, sizeof(hex), sk, sizeof(sk));
	sodium_memzero(sk, sizeof(sk));
	int bad = write(fd, hex, 128) != 128 || write(fd, "\n", 1) != 1;
	sodium_memzero(hex, sizeof(hex));
	close(fd);
	return bad ? err_set(e, E_UNAVAILABLE, "signing-key", "cannot write %s", path) : 1;
}

static int load(const char *path, unsigned char sk[64], struct err *e)
{
	char hex[140] = "";
	if (no_key_path(path, e))
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set(e, E_UNAVAILABLE, "signing-key", "cannot read the signing key %s (entente init makes one)", path);
	int got = fgets(hex, sizeof(hex), f) != NULL;
	fclose(f);
	hex[strcspn(hex, "\r\n")] = '\0';
	int bad = !got || sodium_hex2bin(sk, 64, hex, strlen(hex), NULL, NULL, NULL) || strlen(hex) != 128;
	sodium_memzero(hex, sizeof(hex));
	return bad ? err_set(e, E_INVALID, "signing-key", "%s is not an entente signing key", path) : 0;
}

int seal_public_key(const char *path, char out[65], struct err *e)
{
	unsigned char sk[64], pk[32];
	if (load(path, sk, e))
		return -1;
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_memzero(sk, sizeof(sk));
	sodium_bin2hex(out, 65, pk, sizeof(pk));
	return 0;
}

/* text signed with the secret key: the public key and the signature, in hex. */
static void sign_text(const unsigned char sk[64], const char *text, char pkh[65], char sigh[129])
{
	unsigned char pk[32], sig[64];
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), sk);
	sodium_bin2hex(pkh, 65, pk, sizeof(pk));
	sodium_bin2hex(sigh, 129, sig, sizeof(sig));
}

static int call_with(struct store *st, const char *action, json_t *params, json_t *body, json_t **out, struct err *e)
{
	struct call c = { .system = 1, .action = action, .params = params, .body = body, .now = (int64_t)time(NULL) };
	struct reply r = REPLY_INIT;
	if (core_call(st, &c, &r, e))
		return -1;
	if (out)
		*out = json_incref(r.body);
	reply_release(&r);
	return 0;
}

static int call(struct store *st, const char *action, json_t *body, json_t **out, struct err *e)
{
	return call_with(st, action, NULL, body, out, e);
}

/* The witness (issue 23): the last checkpoint this signer made, in a file
 * beside its key, outside the database, so that a database put back from
 * an older copy is noticed: its chain stops before the witness. */
static void witness_path(const char *key_path, char *out, size_t n) { snprintf(out, n, "%s.last-checkpoint", key_path); }

static int witness_write(const char *key_path, const json_t *checkpoint, struct err *e)
{
	char path[1100], tmp[1120];
	witness_path(key_path, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	json_t *w = json_pack("{sO sO sO sO}", "last_id", json_object_get(checkpoint, "last_id"), "count", json_object_get(checkpoint, "count"),
			      "head", json_object_get(checkpoint, "head"), "at", json_object_get(checkpoint, "at"));
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int bad = fd < 0 || json_dumpfd(w, fd, JSON_COMPACT) || fsync(fd);
	if (fd >= 0)
		close(fd);
	json_decref(w);
	if (bad || rename(tmp, path))
		return err_set(e, E_INTERNAL, "signing-key", "cannot write %s: %s", path, strerror(errno));
	return 0;
}

int seal_rollback_check(struct store *st, const char *key_path, char *why, size_t n, json_t **witness)
{
	char path[1100], at[32];
	json_error_t je;
	struct err e = ERR_INIT;
	*witness = NULL;
	witness_path(key_path, path, sizeof(path));
	if (access(path, F_OK))
		return 0; /* no checkpoint made yet */
	json_t *w = json_load_file(path, 0, &je);
	long long wid = (long long)json_integer_value(json_object_get(w, "last_id"));
	const char *whead = json_string_value(json_object_get(w, "head")), *wat = json_string_value(json_object_get(w, "at"));
	if (!w || !whead || !wat) {
		snprintf(why, n, "%s is not a checkpoint's witness (%s): move it away if it is not", path, w ? "fields missing" : je.text);
		json_decref(w);
		return -1;
	}
	snprintf(at, sizeof(at), "%lld", wid);
	json_t *params = json_pack("{ss}", "at", at), *tip = NULL;
	int bad = call_with(st, "audit.tip", params, NULL, &tip, &e);
	json_decref(params);
	if (bad) {
		snprintf(why, n, "%s", e.detail);
		json_decref(w);
		return -1;
	}
	long long last = (long long)json_integer_value(json_object_get(tip, "last_id"));
	const char *hash_at = json_string_value(json_object_get(tip, "hash_at"));
	int rolled = 1;
	if (last < wid)
		snprintf(why, n,
			 "the database's audit chain ends at event %lld, but the checkpoint signed at %s covers event %lld (head %.16s): "
			 "events %lld to %lld are missing, so the database was put back from an older copy. Restore a newer backup, or "
			 "start once with --accept-rollback (recorded in the chain) to serve it as it is",
			 last, wat, wid, whead, last + 1, wid);
	else if (!hash_at || strcmp(hash_at, whead))
		snprintf(why, n,
			 "event %lld of the database's audit chain is not the one the checkpoint signed at %s covers (head %.16s): this "
			 "is not the database that was checkpointed. Restore the right one, or start once with --accept-rollback",
			 wid, wat, whead);
	else
		rolled = 0;
	json_decref(tip);
	if (rolled)
		*witness = w;
	else
		json_decref(w);
	return rolled;
}

int seal_rollback_accept(struct store *st, const char *key_path, const json_t *witness, struct err *e)
{
	json_t *tip = NULL;
	if (call(st, "audit.tip", NULL, &tip, e))
		return -1;
	json_t *b = json_pack("{sO sO sO sO}", "checkpoint_last_id", json_object_get(witness, "last_id"), "checkpoint_head",
			      json_object_get(witness, "head"), "checkpoint_at", json_object_get(witness, "at"), "last_id",
			      json_object_get(tip, "last_id"));
	int bad = call(st, "audit.rollback", b, NULL, e);
	json_decref(b);
	json_decref(tip);
	/* a checkpoint of the chain as it now is: the witness moves with it */
	return bad || seal_checkpoint(st, key_path, "rollback accepted", 1, e) < 0 ? -1 : 0;
}

int seal_checkpoint(struct store *st, const char *key_path, const char *reason, int force, struct err *e)
{
	json_t *head = NULL, *list = NULL;
	unsigned char sk[64];
	char text[300], at[21], pkh[65], sigh[129];
	int ret = -1;
	if (load(key_path, sk, e))
		return -1;
	/* the newest checkpoint alone (checkpoint.list reads them all, for the keys' periods) */
	if (call(st, "audit.head", NULL, &head, e) || call(st, "checkpoint.last", NULL, &list, e))
		goto out;
	json_t *last_id = json_object_get(list, "last_id");
	if (!force && json_is_integer(last_id) && json_integer_value(last_id) == json_integer_value(json_object_get(head, "last_id"))) {
		ret = 0; /* nothing new since */
		goto out;
	}
	time_iso((int64_t)time(NULL), at);
	core_checkpoint_text((long long)json_integer_value(json_object_get(head, "last_id")),
			     (long long)json_integer_value(json_object_get(head, "count")), json_string_value(json_object_get(head, "head")), at,
			     text, sizeof(text));
	sign_text(sk, text, pkh, sigh);
	json_t *b = json_pack("{sO sO sO ss ss sO ss ss}", "last_id", json_object_get(head, "last_id"), "count", json_object_get(head, "count"),
			      "head", json_object_get(head, "head"), "at", at, "reason", reason, "published_versions",
			      json_object_get(head, "published_versions"), "public_key", pkh, "signature", sigh);
	json_object_set(b, "versions_through", json_object_get(head, "versions_through"));
	ret = call(st, "checkpoint.record", b, NULL, e) ? -1 : 1;
	if (ret == 1 && witness_write(key_path, b, e))
		ret = -1;
	json_decref(b);
out:
	sodium_memzero(sk, sizeof(sk));
	json_decref(head);
	json_decref(list);
	return ret;
}

int seal_ballots(struct store *st, const char *key_path, struct err *e)
{
	json_t *due = NULL;
	unsigned char sk[64];
	char text[400], pkh[65], sigh[129];
	int made = 0;
	if (call(st, "seal.due", NULL, &due, e))
		return -1;
	json_t *items = json_object_get(due, "items");
	if (json_array_size(items) && load(key_path, sk, e)) {
		json_decref(due);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(items) && made >= 0; i++) {
		json_t *s = json_array_get(items, i);
		core_seal_text((long long)json_integer_value(json_object_get(s, "ballot_id")), (long long)json_integer_value(json_object_get(s, "count")),
			       json_string_value(json_object_get(s, "head")), (long long)json_integer_value(json_object_get(s, "yes")),
			       (long long)json_integer_value(json_object_get(s, "no")), (long long)json_integer_value(json_object_get(s, "abstain")),
			       json_string_value(json_object_get(s, "closed_at")), text, sizeof(text));
		sign_text(sk, text, pkh, sigh);
		json_t *b = json_pack("{sO ss ss}", "ballot_id", json_object_get(s, "ballot_id"), "public_key", pkh, "signature", sigh);
		made = call(st, "seal.sign", b, NULL, e) ? -1 : made + 1;
		json_decref(b);
	}
	if (json_array_size(items))
		sodium_memzero(sk, sizeof(sk));
	json_decref(due);
	return made;
}

/* ---- issue 24: rotating the key ---- */

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* Whether the chain records old's rotation to next already (a rotation
 * cut short after its event, resumed): 1, 0 when not, -1 on failure. */
static int rotation_recorded(struct store *st, const char *old, const char *next, struct err *e)
{
	json_t *list = NULL, *k;
	size_t i;
	int found = 0;
	if (call(st, "checkpoint.list", NULL, &list, e))
		return -1;
	json_array_foreach(json_object_get(list, "keys"), i, k)
		found |= same(json_string_value(json_object_get(k, "public_key")), old) &&
			 same(json_string_value(json_object_get(k, "successor")), next);
	json_decref(list);
	return found;
}

static int rotation_record(struct store *st, const struct seal_rotation *r, struct err *e)
{
	json_t *b = json_pack("{ss ss}", "old_public_key", r->old_key, "new_public_key", r->new_key);
	int bad = call(st, CORE_KEY_ROTATION, b, NULL, e);
	json_decref(b);
	return bad;
}

/* The old key file kept as KEY.retired-<UTC time> (".2"... when a key
 * was retired in the same second): a second name for it (link), so that
 * KEY names a key at every moment, until the new one replaces it. */
static int key_retire(const char *key_path, char *out, size_t n, struct err *e)
{
	char stamp[32];
	time_t now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&now));
	for (int i = 1; i < 10; i++) {
		if (i == 1)
			snprintf(out, n, "%s.retired-%s", key_path, stamp);
		else
			snprintf(out, n, "%s.retired-%s.%d", key_path, stamp, i);
		if (!link(key_path, out))
			return chmod(out, 0600) ? err_set(e, E_UNAVAILABLE, "signing-key", "cannot make %s 0600: %s", out, strerror(errno)) : 0;
		if (errno != EEXIST)
			break;
	}
	return err_set(e, E_UNAVAILABLE, "signing-key", "cannot keep the old key %s as %s: %s", key_path, out, strerror(errno));
}

int seal_key_rotate(struct store *st, const char *key_path, struct seal_rotation *r, struct err *e)
{
	char next[1100];
	int made, recorded;
	memset(r, 0, sizeof(*r));
	snprintf(next, sizeof(next), "%s.new", key_path);
	if (seal_public_key(key_path, r->old_key, e) || (made = seal_key_ensure(next, e)) < 0 || seal_public_key(next, r->new_key, e))
		return -1;
	r->resumed = !made;
	/* the event first, then the old key's last checkpoint, which covers
	 * it: the old key vouches for the new (core_chain_check) */
	if ((recorded = rotation_recorded(st, r->old_key, r->new_key, e)) < 0 || (!recorded && rotation_record(st, r, e)) ||
	    seal_checkpoint(st, key_path, "signing key rotated: the last checkpoint under this key", 1, e) < 0 ||
	    key_retire(key_path, r->retired, sizeof(r->retired), e))
		return -1;
	if (rename(next, key_path))
		return err_set(e, E_UNAVAILABLE, "signing-key", "cannot put the new key %s in place of %s: %s", next, key_path, strerror(errno));
	/* the first checkpoint under the new key moves the rollback witness
	 * (KEY.last-checkpoint) past the rotation, so serve starts as usual */
	return seal_checkpoint(st, key_path, "signing key rotated: the first checkpoint under this key", 1, e) < 0 ? -1 : 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

json_t *seal_retired_keys(const char *key_path)
{
	char dir[1100] = "", prefix[1100];
	json_t *out = json_array();
	const char *slash = strrchr(key_path, '/');
	if (slash) /* dir: key_path's directory with its slash, "" for the working directory */
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - key_path) + 1, key_path);
	snprintf(prefix, sizeof(prefix), "%s.retired-", slash ? slash + 1 : key_path);
	DIR *d = opendir(*dir ? dir : ".");
	for (struct dirent *de; d && (de = readdir(d));)
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			json_array_append_new(out, json_sprintf("%s%s", dir, de->d_name));
	if (d)
		closedir(d);
	/* the UTC time in the name: the oldest first */
	jspec_array_sort(out, by_name); /* unsorted when out of memory */
	return out;
}

/* ---- the worker thread of entente serve ---- */

static struct {
	struct periodic p;
	char db_path[1024], key_path[1100];
	unsigned interval_s;
	time_t last;      /* the last checkpoint this thread signed */
	int64_t seen;     /* the last event's id at the last full pass */
	struct store *st; /* the thread's own connection, opened at its first run */
} worker;

/* Once a second: a checkpoint when a version was published since the last
 * one (an establishment, an amendment, a review, a removal), or when the
 * interval passed with the chain moved; the closed ballots' seals. */
static void seal_task(void *arg, volatile int *stop)
{
	struct err e = ERR_INIT;
	json_t *head = NULL, *list = NULL;
	(void)arg;
	(void)stop;
	if (!store_periodic_turn(worker.db_path)) /* another server's turn (issue 26) */
		return;
	if (!worker.st && store_open(&worker.st, worker.db_path, &e)) {
		log_line("seal: %s", e.detail);
		return;
	}
	/* nothing happened since the last pass, and no interval is due: one
	 * indexed read, rather than counting the chain every second */
	json_t *tip = NULL;
	if (call(worker.st, "audit.tip", NULL, &tip, &e)) {
		log_line("seal: %s", e.detail);
		return;
	}
	int64_t now_tip = (int64_t)json_integer_value(json_object_get(tip, "last_id"));
	json_decref(tip);
	if (now_tip == worker.seen && time(NULL) - worker.last < (time_t)worker.interval_s)
		return;
	int failed = 0;
	if (call(worker.st, "audit.head", NULL, &head, &e) || call(worker.st, "checkpoint.last", NULL, &list, &e)) {
		log_line("seal: %s", e.detail);
	} else {
		const char *why = NULL; /* list: the newest checkpoint, its fields null when there is none */
		if (!json_is_integer(json_object_get(list, "last_id")) ||
		    json_integer_value(json_object_get(head, "published_versions")) >
			    json_integer_value(json_object_get(list, "published_versions")))
			why = "published";
		else if (time(NULL) - worker.last >= (time_t)worker.interval_s)
			why = "interval";
		if (why) {
			if (seal_checkpoint(worker.st, worker.key_path, why, 0, &e) < 0) {
				log_line("seal: %s", e.detail);
				failed = 1;
			}
			worker.last = time(NULL);
		}
		/* the closed ballots' seals (one indexed read when there are none) */
		if (seal_ballots(worker.st, worker.key_path, &e) < 0) {
			log_line("seal: %s", e.detail);
			failed = 1;
		}
		if (!failed) /* the events this pass wrote move the tip: the next pass looks once more, then rests */
			worker.seen = now_tip;
	}
	json_decref(head);
	json_decref(list);
}

static void seal_done(void *arg)
{
	(void)arg;
	if (worker.st)
		store_free(worker.st);
	worker.st = NULL;
}

int seal_worker_start(const char *db_path, const char *key_path, unsigned interval_s, struct err *e)
{
	char pk[65];
	if (seal_public_key(key_path, pk, e))
		return -1;
	snprintf(worker.db_path, sizeof(worker.db_path), "%s", db_path);
	snprintf(worker.key_path, sizeof(worker.key_path), "%s", key_path);
	worker.interval_s = interval_s ? interval_s : 3600;
	worker.last = time(NULL);
	if (periodic_start(&worker.p, 1000, seal_task, seal_done, NULL))
		return err_set(e, E_INTERNAL, NULL, "cannot start the signer");
	log_line("seal: checkpoints signed with the key %s (public key %s)", key_path, pk);
	return 0;
}

void seal_worker_stop(void) { periodic_stop(&worker.p); }
