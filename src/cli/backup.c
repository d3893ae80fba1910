/* entente backup and entente restore (issue 23): one archive (tar, gzip,
 * written with libarchive) that holds what is needed to come back: the
 * database (a consistent copy, one read transaction), the checkpoint
 * signing key, the publication repository, the configuration file, and
 * last a manifest (entente's version, the schema, the audit chain's tip,
 * each file's size and SHA-256). restore writes nothing where it is asked
 * to until the archive checked out: every file against the manifest, the
 * schema, the audit chain verified on the database itself. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>

#include "cli/cli.h"
#include "cli/config.h"
#include "lib/jspec.h"
#include "lib/util.h"
#include "seal/seal.h"

#define MANIFEST "manifest.json"
#define FORMAT "entente-backup-1"

/* One member of the archive from the file at path (read whole: a file of
 * the publication repository may be replaced meanwhile, never changed in
 * place), listed in files with its size and hash. */
static int add_file(struct archive *a, json_t *files, const char *name, const char *path, char *why, size_t n)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb)) {
		snprintf(why, n, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, sb.st_size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, sb.st_mtime, 0);
	int bad = archive_write_header(a, e) != ARCHIVE_OK;
	archive_entry_free(e);
	static unsigned char buf[1 << 16];
	off_t done = 0;
	while (!bad && done < sb.st_size) {
		ssize_t got = read(fd, buf, sizeof(buf));
		if (got <= 0)
			break;
		if (got > sb.st_size - done)
			got = (ssize_t)(sb.st_size - done);
		crypto_hash_sha256_update(&st, buf, (unsigned long long)got);
		bad = archive_write_data(a, buf, (size_t)got) != got;
		done += got;
	}
	close(fd);
	if (bad || done != sb.st_size) {
		snprintf(why, n, "%s: %s", path, bad ? archive_error_string(a) : "changed while it was copied");
		return -1;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	json_array_append_new(files, json_pack("{ss sI ss}", "path", name, "bytes", (json_int_t)sb.st_size, "sha256", hex));
	return 0;
}

/* The files of a directory tree, relative to it, refs first (a ref copied
 * names objects that were there before it). */
static json_t *walk_list;
static size_t walk_root;

static int walk_one(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	(void)sb;
	(void)f;
	if (type == FTW_F)
		json_array_append_new(walk_list, json_string(path + walk_root));
	return 0;
}

static int ref_first(const void *a, const void *b)
{
	const char *x = json_string_value(*(json_t *const *)a), *y = json_string_value(*(json_t *const *)b);
	int rx = !strncmp(x, "refs/", 5) || !strcmp(x, "HEAD") || !strcmp(x, "packed-refs");
	int ry = !strncmp(y, "refs/", 5) || !strcmp(y, "HEAD") || !strcmp(y, "packed-refs");
	return rx != ry ? ry - rx : strcmp(x, y);
}

static json_t *tree_files(const char *dir)
{
	json_t *list = json_array();
	walk_list = list;
	walk_root = strlen(dir) + 1;
	if (nftw(dir, walk_one, 16, FTW_PHYS)) {
		json_decref(list);
		return NULL;
	}
	if (jspec_array_sort(list, ref_first)) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* The audit chain's tip and the schema of the database at path. */
static json_t *database_facts(const char *path, struct err *e)
{
	struct store *st = NULL;
	json_t *head = NULL;
	if (store_open(&st, path, e))
		return NULL;
	struct call c = { .system = 1, .action = "audit.head", .now = (int64_t)time(NULL) };
	struct reply r = REPLY_INIT;
	if (!core_call(st, &c, &r, e))
		head = json_pack("{si sO sO sO}", "schema", store_schema_version(st), "last_id", json_object_get(r.body, "last_id"), "count",
				 json_object_get(r.body, "count"), "head", json_object_get(r.body, "head"));
	reply_release(&r);
	store_free(st);
	return head;
}

static int remove_one(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	(void)sb;
	(void)type;
	(void)f;
	remove(path);
	return 0;
}

/* The staging directory and all in it, deepest first, links not followed. */
static void remove_tree(const char *dir) { nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

/* Issue 24: the keys entente keys rotate retired (KEY.retired-TIME), as
 * signing-key.retired-TIME: what they signed is checked with the public
 * half, but the operator may want them back. */
static int add_retired_keys(struct archive *a, json_t *files, const char *key_path, char *why, size_t n)
{
	json_t *retired = seal_retired_keys(key_path);
	int bad = 0;
	for (size_t i = 0; i < json_array_size(retired) && !bad; i++) {
		const char *path = json_string_value(json_array_get(retired, i));
		char name[1200];
		snprintf(name, sizeof(name), "signing-key%s", path + strlen(key_path));
		bad = add_file(a, files, name, path, why, n);
	}
	json_decref(retired);
	return bad;
}

static int write_archive(struct cli *c, const char *to, const char *key_path, const char *repo, char *why, size_t n)
{
	char stage[1100], copy[1200], part[1100];
	struct err e = ERR_INIT;
	int ret = -1, fd = -1;
	struct archive *a = NULL;
	json_t *files = json_array(), *facts = NULL, *tree = NULL;
	snprintf(stage, sizeof(stage), "%s.stage-XXXXXX", to);
	if (!mkdtemp(stage)) {
		snprintf(why, n, "cannot make a directory beside %s: %s", to, strerror(errno));
		json_decref(files);
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s/entente.db", stage);
	snprintf(part, sizeof(part), "%s.part", to);
	/* the database: one read transaction, so a consistent copy */
	if (store_backup(c->st, copy, &e) || !(facts = database_facts(copy, &e))) {
		snprintf(why, n, "%s", e.detail);
		goto out;
	}
	fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	a = archive_write_new();
	if (fd < 0 || !a || archive_write_add_filter_gzip(a) != ARCHIVE_OK || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		snprintf(why, n, "cannot write %s: %s", part, fd < 0 ? strerror(errno) : archive_error_string(a));
		goto out;
	}
	if (add_file(a, files, "entente.db", copy, why, n))
		goto out;
	if (key_path && !access(key_path, R_OK) && add_file(a, files, "signing-key", key_path, why, n))
		goto out;
	if (key_path && add_retired_keys(a, files, key_path, why, n))
		goto out;
	if (c->cfg && c->cfg->file[0] && add_file(a, files, "entente.conf", c->cfg->file, why, n))
		goto out;
	if (repo && *repo && !access(repo, R_OK)) {
		if (!(tree = tree_files(repo))) {
			snprintf(why, n, "cannot read the publication repository %s", repo);
			goto out;
		}
		for (size_t i = 0; i < json_array_size(tree); i++) {
			char name[1100], path[2200];
			snprintf(name, sizeof(name), "published.git/%s", json_string_value(json_array_get(tree, i)));
			snprintf(path, sizeof(path), "%s/%s", repo, json_string_value(json_array_get(tree, i)));
			if (add_file(a, files, name, path, why, n))
				goto out;
		}
	}
	char at[21];
	time_iso((int64_t)time(NULL), at);
	json_t *manifest = json_pack("{ss ss ss sO s{sO sO sO} sO}", "format", FORMAT, "entente_version", ENTENTE_VERSION, "created_at", at,
				     "schema", json_object_get(facts, "schema"), "audit", "last_id", json_object_get(facts, "last_id"), "count",
				     json_object_get(facts, "count"), "head", json_object_get(facts, "head"), "files", files);
	char *text = json_dumps(manifest, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(manifest);
	struct archive_entry *me = archive_entry_new();
	archive_entry_set_pathname(me, MANIFEST);
	archive_entry_set_size(me, (la_int64_t)strlen(text));
	archive_entry_set_filetype(me, AE_IFREG);
	archive_entry_set_perm(me, 0600);
	archive_entry_set_mtime(me, time(NULL), 0);
	int bad = archive_write_header(a, me) != ARCHIVE_OK || archive_write_data(a, text, strlen(text)) != (la_ssize_t)strlen(text);
	archive_entry_free(me);
	free(text);
	if (bad || archive_write_close(a) != ARCHIVE_OK || fsync(fd)) {
		snprintf(why, n, "cannot write %s: %s", part, archive_error_string(a));
		goto out;
	}
	if (rename(part, to)) {
		snprintf(why, n, "cannot name the archive %s: %s", to, strerror(errno));
		goto out;
	}
	printf("backed up %s to %s: schema %lld, audit chain of %lld events (head %.16s), %zu files\n", c->db_path, to,
	       (long long)json_integer_value(json_object_get(facts, "schema")), (long long)json_integer_value(json_object_get(facts, "count")),
	       json_string_value(json_object_get(facts, "head")), json_array_size(files));
	ret = 0;
out:
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (ret)
		unlink(part);
	remove_tree(stage);
	json_decref(files);
	json_decref(facts);
	json_decref(tree);
	return ret;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "to", required_argument, NULL, 't' },
					      { "signing-key", required_argument, NULL, 'K' },
					      { "git-repo", required_argument, NULL, 'g' },
					      { "help", no_argument, NULL, 'h' },
					      { 0 } };
	const char *usage =
		"usage: entente backup FILE | --to DBFILE\n\n"
		"Writes one archive (tar, gzip; 0600) of what is needed to come back, while the server goes on:\n"
		"the database (a consistent copy: one read transaction), the checkpoint signing key and the keys\n"
		"entente keys rotate retired, the publication repository (the configuration's git_repo), the\n"
		"configuration file, and a manifest (entente's version, the schema, the audit chain's tip, every\n"
		"file's size and SHA-256).\n"
		"entente restore FILE DIR checks it and puts it back. --to DBFILE copies the database alone.\n"
		"  --signing-key PATH   else the configuration's signing_key, else the database's path + .signing-key\n"
		"  --git-repo PATH      else the configuration's git_repo\n";
	const char *to = NULL, *key = NULL, *repo = NULL;
	char key_path[1100], why[1400];
	struct err e = ERR_INIT;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't': to = optarg; break;
		case 'K': key = optarg; break;
		case 'g': repo = optarg; break;
		case 'h': printf("%s", usage); return 0;
		default: return 2;
		}
	}
	const char *archive_to = optind < argc ? argv[optind] : NULL;
	if (!to == !archive_to || optind + (archive_to ? 1 : 0) < argc) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	if (to) {
		if (store_backup(c->st, to, &e)) {
			fprintf(stderr, "%s: %s\n", c->prog, e.detail);
			return 1;
		}
		printf("backed up %s to %s (the database alone)\n", c->db_path, to);
		return 0;
	}
	seal_key_path(key, c->db_path, key_path, sizeof(key_path));
	if (write_archive(c, archive_to, key_path, repo, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", c->prog, why);
		return 1;
	}
	return 0;
}

/* ---- restore ---- */

/* A member's name that stays inside the directory: relative, no "..", no
 * empty part. */
static int safe_name(const char *name)
{
	if (!*name || *name == '/' || strlen(name) > 900)
		return 0;
	for (const char *p = name; *p;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!len || (len == 1 && *p == '.') || (len == 2 && !strncmp(p, "..", 2)))
			return 0;
		p = end ? end + 1 : p + len;
	}
	return 1;
}

static int make_parents(const char *path)
{
	char dir[2200];
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* Every member of the archive under stage (regular files only, 0600),
 * with its size and SHA-256 into found. */
static int extract(const char *file, const char *stage, json_t *found, char *why, size_t n)
{
	struct archive *a = archive_read_new();
	struct archive_entry *entry;
	int ret = -1, r;
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, file, 1 << 16) != ARCHIVE_OK) {
		snprintf(why, n, "%s: %s", file, archive_error_string(a));
		goto out;
	}
	static unsigned char buf[1 << 16];
	while ((r = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(entry);
		char path[2200];
		if (!name || !safe_name(name) || archive_entry_filetype(entry) != AE_IFREG || json_object_get(found, name)) {
			snprintf(why, n, "%s: the member '%.100s' is not one entente writes (a file inside the archive, once)", file,
				 name ? name : "");
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s", stage, name);
		int fd = make_parents(path) ? -1 : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			snprintf(why, n, "cannot write %.900s: %s", path, strerror(errno));
			goto out;
		}
		crypto_hash_sha256_state st;
		crypto_hash_sha256_init(&st);
		la_ssize_t got;
		long long bytes = 0;
		int bad = 0;
		while ((got = archive_read_data(a, buf, sizeof(buf))) > 0) {
			crypto_hash_sha256_update(&st, buf, (unsigned long long)got);
			bad |= write(fd, buf, (size_t)got) != got;
			bytes += got;
		}
		bad |= close(fd) != 0 || got < 0;
		if (bad) {
			snprintf(why, n, "%s: %s", file, got < 0 ? archive_error_string(a) : "cannot write what it holds");
			goto out;
		}
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256_final(&st, h);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		json_object_set_new(found, name, json_pack("{sI ss}", "bytes", (json_int_t)bytes, "sha256", hex));
	}
	if (r != ARCHIVE_EOF) {
		snprintf(why, n, "%s: %s", file, archive_error_string(a));
		goto out;
	}
	ret = 0;
out:
	archive_read_free(a);
	return ret;
}

/* The archive's files against its manifest, both ways. */
static int check_manifest(const char *stage, json_t *found, json_t **manifest, char *why, size_t n)
{
	char path[1300];
	json_error_t je;
	snprintf(path, sizeof(path), "%s/" MANIFEST, stage);
	json_t *m = json_object_get(found, MANIFEST) ? json_load_file(path, JSON_REJECT_DUPLICATES, &je) : NULL;
	const char *format = json_string_value(json_object_get(m, "format"));
	if (!m || !format || strcmp(format, FORMAT)) {
		snprintf(why, n, "not an entente backup: %s", !m ? "no manifest" : "the manifest's format is not " FORMAT);
		json_decref(m);
		return -1;
	}
	json_t *files = json_object_get(m, "files"), *f;
	size_t i;
	json_array_foreach(files, i, f) {
		const char *name = json_string_value(json_object_get(f, "path"));
		json_t *got = name ? json_object_get(found, name) : NULL;
		if (!got) {
			snprintf(why, n, "the archive lacks %s, which its manifest lists", name ? name : "a file");
			json_decref(m);
			return -1;
		}
		if (json_integer_value(json_object_get(got, "bytes")) != json_integer_value(json_object_get(f, "bytes")) ||
		    !json_equal(json_object_get(got, "sha256"), json_object_get(f, "sha256"))) {
			snprintf(why, n, "%s is not what the manifest says (size or SHA-256): the archive is damaged", name);
			json_decref(m);
			return -1;
		}
	}
	if (json_object_size(found) != json_array_size(files) + 1) {
		snprintf(why, n, "the archive holds files its manifest does not list");
		json_decref(m);
		return -1;
	}
	*manifest = m;
	return 0;
}

/* The database restored: a schema this entente can serve (or migrate), its
 * audit chain whole, and the tip the manifest recorded. */
static int check_database(const char *db, const json_t *manifest, char *report, size_t n)
{
	struct store *st = NULL;
	struct err e = ERR_INIT;
	json_t *params = NULL;
	int ret = -1;
	if (store_open(&st, db, &e)) {
		snprintf(report, n, "the archive's database: %s", e.detail);
		return -1;
	}
	int have = store_schema_version(st), known = store_schema_known(st);
	if (have > known || have != json_integer_value(json_object_get(manifest, "schema"))) {
		if (have > known)
			store_schema_check(st, &e);
		snprintf(report, n, "the archive's database: %s", have > known ? e.detail : "its schema is not the manifest's");
		goto out;
	}
	/* every event, not from the archive's last checkpoint on: the archive
	 * is what is being doubted */
	params = json_pack("{ss}", "full", "true");
	struct call c = { .system = 1, .action = "audit.verify", .now = (int64_t)time(NULL), .params = params };
	struct reply r = REPLY_INIT;
	if (have < known) {
		ret = 0; /* entente migrate first; the chain is verified then */
		snprintf(report, n, "schema %d, older than this entente's (%d): run entente migrate on it, then entente audit verify", have, known);
		goto out;
	}
	if (core_call(st, &c, &r, &e)) {
		snprintf(report, n, "the archive's database: %s", e.detail);
		goto out;
	}
	json_t *audit = json_object_get(manifest, "audit");
	if (!json_is_true(json_object_get(r.body, "ok"))) {
		snprintf(report, n, "the archive's audit chain does not verify (%zu problems): not restored",
			 json_array_size(json_object_get(r.body, "problems")));
	} else if (!json_equal(json_object_get(r.body, "head"), json_object_get(audit, "head"))) {
		snprintf(report, n, "the archive's audit chain ends elsewhere than its manifest says: not restored");
	} else {
		snprintf(report, n, "schema %d, audit chain verified: %lld events, head %.16s", have,
			 (long long)json_integer_value(json_object_get(r.body, "events")), json_string_value(json_object_get(r.body, "head")));
		ret = 0;
	}
	reply_release(&r);
out:
	json_decref(params);
	store_free(st);
	return ret;
}

/* Issue 24: the retired keys (signing-key.retired-TIME) beside the key,
 * as entente.db.signing-key.retired-TIME. */
static int restore_retired_keys(const char *prog, const char *stage, const char *dir, const json_t *found)
{
	const char *name;
	json_t *v;
	json_object_foreach((json_t *)found, name, v) {
		char from[1300], to[1300];
		if (strncmp(name, "signing-key.retired-", 20) || strchr(name, '/'))
			continue;
		snprintf(from, sizeof(from), "%s/%s", stage, name);
		snprintf(to, sizeof(to), "%s/entente.db.%s", dir, name);
		if (!access(to, F_OK) || rename(from, to)) {
			fprintf(stderr, "%s: cannot put %s in place: %s\n", prog, to, access(to, F_OK) ? strerror(errno) : "it exists");
			return -1;
		}
	}
	return 0;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	const char *usage = "usage: entente restore FILE DIR\n\n"
			    "Puts back what entente backup FILE wrote, into DIR (made when missing), once it checked out:\n"
			    "every file against the manifest (size, SHA-256), the database's schema, and its audit chain\n"
			    "verified to the tip the manifest recorded. Before that nothing is written in DIR but a\n"
			    "staging directory, removed after. A DIR that holds a database is refused, so is one a\n"
			    "running server holds. It then holds entente.db, entente.db.signing-key (and the retired keys,\n"
			    "entente.db.signing-key.retired-TIME), published.git and entente.conf (the configuration as it\n"
			    "was: check its paths before using it).\n";
	char stage[1200], why[1400], report[600], lock[1300], db[1200];
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("%s", usage);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	const char *file = argv[1], *dir = argv[2];
	snprintf(db, sizeof(db), "%s/entente.db", dir);
	snprintf(lock, sizeof(lock), "%s.lock", db);
	int held = open(lock, O_RDWR | O_CLOEXEC);
	if (held >= 0) {
		int busy = flock(held, LOCK_EX | LOCK_NB) != 0;
		close(held);
		if (busy) {
			fprintf(stderr, "%s: a running entente holds %s: stop it first\n", c->prog, db);
			return 1;
		}
	}
	if (!access(db, F_OK)) {
		fprintf(stderr, "%s: %s already holds a database: restore into a new directory\n", c->prog, dir);
		return 1;
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		fprintf(stderr, "%s: cannot make %s: %s\n", c->prog, dir, strerror(errno));
		return 1;
	}
	snprintf(stage, sizeof(stage), "%s/.restore-XXXXXX", dir);
	if (!mkdtemp(stage)) {
		fprintf(stderr, "%s: cannot make a staging directory in %s: %s\n", c->prog, dir, strerror(errno));
		return 1;
	}
	json_t *found = json_object(), *manifest = NULL;
	int ret = 1;
	char from[1300], to[1300];
	snprintf(from, sizeof(from), "%s/entente.db", stage);
	if (extract(file, stage, found, why, sizeof(why)) || check_manifest(stage, found, &manifest, why, sizeof(why)) ||
	    (!json_object_get(found, "entente.db") && snprintf(why, sizeof(why), "the archive holds no database") > 0) ||
	    check_database(from, manifest, report, sizeof(report))) {
		fprintf(stderr, "%s: %s\n", c->prog, json_object_get(found, "entente.db") && manifest ? report : why);
		goto out;
	}
	/* checked: into place */
	static const char *const moves[][2] = { { "entente.db", "entente.db" }, { "signing-key", "entente.db.signing-key" },
						{ "published.git", "published.git" }, { "entente.conf", "entente.conf" } };
	for (size_t i = 0; i < sizeof(moves) / sizeof(*moves); i++) {
		snprintf(from, sizeof(from), "%s/%s", stage, moves[i][0]);
		snprintf(to, sizeof(to), "%s/%s", dir, moves[i][1]);
		if (access(from, F_OK))
			continue;
		if (!access(to, F_OK) || rename(from, to)) {
			fprintf(stderr, "%s: cannot put %s in place: %s\n", c->prog, to, access(to, F_OK) ? strerror(errno) : "it exists");
			goto out;
		}
	}
	if (restore_retired_keys(c->prog, stage, dir, found))
		goto out;
	printf("restored %s into %s: %s; made by entente %s at %s\n", file, dir, report,
	       json_string_value(json_object_get(manifest, "entente_version")), json_string_value(json_object_get(manifest, "created_at")));
	ret = 0;
out:
	remove_tree(stage);
	json_decref(found);
	json_decref(manifest);
	return ret;
}
