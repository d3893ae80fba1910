/* The git publisher (R21): reads the published versions through core's
 * door (publish.versions), writes each as a commit of a bare repository
 * with libgit2, tags it, and records the commit (publish.record). */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "core/core.h"
#include "lib/periodic.h"
#include "lib/util.h"
#include "publish/publish.h"

#define BRANCH "refs/heads/main"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int64_t epoch_of(const char *iso)
{
	int64_t t = time_parse_iso(iso);
	return t < 0 ? 0 : t;
}

/* A table cell: one line, no pipe. */
static void cell(struct strbuf *out, const char *s)
{
	strbuf_addch(out, ' ');
	for (; s && *s; s++)
		strbuf_addch(out, *s == '|' ? '/' : *s == '\n' || *s == '\r' ? ' ' : *s);
	strbuf_addstr(out, " |");
}

static void section(struct strbuf *out, const char *title, const char *text)
{
	if (!text || !*text)
		return;
	strbuf_addf(out, "\n## %s\n\n%s\n", title, text);
}

void publish_markdown(const json_t *v, struct strbuf *out)
{
	const json_t *s = json_object_get(v, "snapshot");
	const char *status = str(s, "status");
	/* the version that established the WR was written as it was accepted */
	if (!strcmp(status, "sent_to_partner") && *str(s, "established_at"))
		status = "established";
	strbuf_addf(out, "# %s\n\n", str(s, "title"));
	strbuf_addf(out, "- Partner: %s (%s)\n", str(json_object_get(s, "partner"), "name"), str(json_object_get(s, "partner"), "short_name"));
	strbuf_addf(out, "- Work Register: %lld, version %s (revision %lld), %s\n", (long long)json_integer_value(json_object_get(s, "id")),
		    str(v, "label"), (long long)json_integer_value(json_object_get(v, "revision")), str(v, "created_at"));
	strbuf_addf(out, "- Status: %s\n", status);
	strbuf_addf(out, "- Owner: %s\n", str(json_object_get(s, "owner"), "name"));
	strbuf_addf(out, "- Originating Committee: %s\n", str(json_object_get(s, "originating_committee"), "name"));
	if (*str(s, "board_approval_date"))
		strbuf_addf(out, "- Board approval: %s\n", str(s, "board_approval_date"));
	if (*str(s, "established_at"))
		strbuf_addf(out, "- Established: %s\n", str(s, "established_at"));
	if (*str(s, "next_review_date"))
		strbuf_addf(out, "- Next review: %s\n", str(s, "next_review_date"));
	if (*str(s, "ended_at"))
		strbuf_addf(out, "- Removed: %s (%s)\n", str(s, "ended_at"), str(s, "removal_reason"));
	strbuf_addf(out, "- This version: %s\n", str(v, "summary"));
	section(out, "Board resolution", str(s, "board_resolution"));
	section(out, "Scope", str(s, "scope"));
	section(out, "Benefits", str(s, "benefits"));
	section(out, "Deliverables", str(s, "deliverables"));
	section(out, "Working group commitment", str(s, "wg_commitment"));
	section(out, "Feedback restrictions", str(s, "feedback_restrictions"));
	json_t *ms = json_object_get(s, "milestones");
	if (json_array_size(ms)) {
		strbuf_addstr(out, "\n## Milestones\n\n| Milestone | Target | Status | Completed |\n|---|---|---|---|\n");
		for (size_t i = 0; i < json_array_size(ms); i++) {
			json_t *m = json_array_get(ms, i);
			strbuf_addch(out, '|');
			cell(out, str(m, "description"));
			cell(out, str(m, "target_date"));
			cell(out, str(m, "status"));
			cell(out, str(m, "completed_date"));
			strbuf_addch(out, '\n');
		}
	}
	json_t *st = json_object_get(s, "standards");
	strbuf_addstr(out, "\n## Table 1: standards development\n\n");
	if (!json_array_size(st))
		strbuf_addstr(out, "(none)\n");
	else
		strbuf_addstr(out, "| Id | Kind | Type | Description | Domain | Lead | IP policy | Owns | Develops | Maintains | Status |\n"
				   "|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < json_array_size(st); i++) {
		json_t *r = json_array_get(st, i);
		strbuf_addch(out, '|');
		const char *cols[] = { "ap_id", "kind", "standard_type", "description", "domain", "lead_org", "ip_policy", "owning_org",
				       "developing_org", "maintaining_org", "status" };
		for (size_t c = 0; c < sizeof(cols) / sizeof(*cols); c++)
			cell(out, str(r, cols[c]));
		strbuf_addch(out, '\n');
	}
	json_t *cs = json_object_get(s, "contacts");
	if (json_array_size(cs)) { /* names and roles: addresses stay private, as on the public site */
		strbuf_addstr(out, "\n## Contacts\n\n");
		for (size_t i = 0; i < json_array_size(cs); i++)
			strbuf_addf(out, "- %s (%s)\n", str(json_array_get(cs, i), "name"), str(json_array_get(cs, i), "role"));
	}
}

/* "tgg" of the partner's short name (letters and digits, lower case). */
static void slug(const json_t *v, char *out, size_t n)
{
	const char *s = str(json_object_get(json_object_get(v, "snapshot"), "partner"), "short_name");
	size_t k = 0;
	for (; *s && k + 1 < n; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			out[k++] = *s;
		else if (*s >= 'A' && *s <= 'Z')
			out[k++] = (char)(*s - 'A' + 'a');
	if (!k)
		k = (size_t)snprintf(out, n, "partner");
	out[k] = '\0';
}

static void names(const json_t *v, char *file, size_t fn, char *tag, size_t tn)
{
	char sl[64];
	long long id = (long long)json_integer_value(json_object_get(v, "wr_id"));
	slug(v, sl, sizeof(sl));
	snprintf(file, fn, "%s-wr-%lld.md", sl, id);
	snprintf(tag, tn, "%s-wr-%lld-%s", sl, id, str(v, "label"));
}

static int git_fail(struct err *e, const char *what)
{
	const git_error *g = git_error_last();
	return err_set(e, E_UNAVAILABLE, "git-repo", "%s: %s", what, g && g->message ? g->message : "libgit2 failed");
}

static int versions(struct store *st, json_t **items, struct err *e)
{
	struct call c = { .system = 1, .action = "publish.versions", .now = (int64_t)time(NULL) };
	struct reply r = REPLY_INIT;
	if (core_call(st, &c, &r, e))
		return -1;
	*items = json_incref(json_object_get(r.body, "items"));
	reply_release(&r);
	return 0;
}

static int record(struct store *st, const json_t *v, const char *commit, const char *tag, struct err *e)
{
	json_t *b = json_pack("{sO ss ss}", "version_id", json_object_get(v, "version_id"), "commit", commit, "tag", tag);
	struct call c = { .system = 1, .action = "publish.record", .body = b, .now = (int64_t)time(NULL) };
	struct reply r = REPLY_INIT;
	int ret = core_call(st, &c, &r, e);
	reply_release(&r);
	json_decref(b);
	return ret;
}

/* The commit message: the approval, named. */
static void message(const json_t *v, struct strbuf *m)
{
	const json_t *s = json_object_get(v, "snapshot");
	strbuf_addf(m, "%s WR %lld %s: %s\n\nWork Register: %s\nVersion %s (revision %lld) of %s\n",
		    str(json_object_get(s, "partner"), "short_name"), (long long)json_integer_value(json_object_get(v, "wr_id")), str(v, "label"),
		    str(v, "summary"), str(s, "title"), str(v, "label"), (long long)json_integer_value(json_object_get(v, "revision")),
		    str(v, "created_at"));
	if (*str(s, "board_approval_date"))
		strbuf_addf(m, "Board approval: %s\nBoard resolution: %s\n", str(s, "board_approval_date"), str(s, "board_resolution"));
}

static int commit_version(git_repository *repo, const json_t *v, const struct publish_config *pc, git_oid *out, char *tag,
			  size_t tn, struct err *e)
{
	char file[160];
	struct strbuf md = STRBUF_INIT, msg = STRBUF_INIT;
	git_oid blob, tree_id, parent_id, tag_id;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_treebuilder *tb = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_object *target = NULL;
	int64_t t = epoch_of(str(v, "created_at"));
	const json_t *owner = json_object_get(json_object_get(v, "snapshot"), "owner");
	int ret = -1, has_parent = !git_reference_name_to_id(&parent_id, repo, BRANCH);
	names(v, file, sizeof(file), tag, tn);
	publish_markdown(v, &md);
	message(v, &msg);
	if (has_parent && (git_commit_lookup(&parent, repo, &parent_id) || git_commit_tree(&base, parent))) {
		git_fail(e, "reading the branch");
		goto out;
	}
	if (git_blob_create_from_buffer(&blob, repo, md.buf, md.len) || git_treebuilder_new(&tb, repo, base) ||
	    git_treebuilder_insert(NULL, tb, file, &blob, GIT_FILEMODE_BLOB) || git_treebuilder_write(&tree_id, tb) ||
	    git_tree_lookup(&tree, repo, &tree_id)) {
		git_fail(e, "writing the tree");
		goto out;
	}
	/* the owner by name, with the publisher's address: theirs is not
	 * published (issue 24: the public record carries no personal e-mail
	 * address; git wants one) */
	if (git_signature_new(&author, *str(owner, "name") ? str(owner, "name") : "unknown", pc->committer_email, (git_time_t)t, 0) ||
	    git_signature_new(&committer, pc->committer_name, pc->committer_email, (git_time_t)t, 0)) {
		git_fail(e, "signatures");
		goto out;
	}
	const git_commit *parents[1] = { parent };
	if (git_commit_create(out, repo, BRANCH, author, committer, NULL, msg.buf, tree, has_parent ? 1 : 0, parents) ||
	    git_object_lookup(&target, repo, out, GIT_OBJECT_COMMIT) ||
	    git_tag_create(&tag_id, repo, tag, target, committer, msg.buf, 0)) {
		git_fail(e, "committing");
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&md);
	strbuf_release(&msg);
	git_object_free(target);
	git_signature_free(author);
	git_signature_free(committer);
	git_treebuilder_free(tb);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	return ret;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int open_repo(const struct publish_config *pc, git_repository **repo, int fresh, struct err *e)
{
	struct stat sb;
	if (fresh && !stat(pc->repo, &sb)) {
		char aside[1100];
		snprintf(aside, sizeof(aside), "%s.rebuild-%ld", pc->repo, (long)getpid());
		if (rename(pc->repo, aside) || nftw(aside, rm_entry, 16, FTW_DEPTH | FTW_PHYS))
			return err_set(e, E_UNAVAILABLE, "git-repo", "cannot move %s aside to rebuild it", pc->repo);
	}
	if (stat(pc->repo, &sb)) {
		git_repository_init_options o;
		git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		o.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
		o.initial_head = "main";
		o.description = "entente: the published Work Registers of the DMTF alliance partners (R21)";
		if (git_repository_init_ext(repo, pc->repo, &o))
			return git_fail(e, "creating the repository");
		return 0;
	}
	if (git_repository_open_bare(repo, pc->repo))
		return git_fail(e, "opening the repository");
	return 0;
}

int publish_sync(struct store *st, const struct publish_config *pc, int rebuild, struct publish_run *run, struct err *e)
{
	git_libgit2_init(); /* counted: only when publishing, and as often as needed */
	git_repository *repo = NULL;
	json_t *items = NULL;
	int ret = -1;
	if (versions(st, &items, e) || open_repo(pc, &repo, rebuild, e))
		goto out;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *v = json_array_get(items, i);
		char file[160], tag[200], ref[240], hex[GIT_OID_HEXSZ + 1];
		git_oid oid;
		names(v, file, sizeof(file), tag, sizeof(tag));
		snprintf(ref, sizeof(ref), "refs/tags/%s", tag);
		if (!git_reference_name_to_id(&oid, repo, ref)) {
			if (run)
				run->kept++;
			continue;
		}
		if (commit_version(repo, v, pc, &oid, tag, sizeof(tag), e))
			goto out;
		git_oid_tostr(hex, sizeof(hex), &oid);
		if (record(st, v, hex, tag, e))
			goto out;
		if (run)
			run->committed++;
	}
	ret = 0;
out:
	json_decref(items);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

int publish_verify(struct store *st, const struct publish_config *pc, struct strbuf *report, int *differences, struct err *e)
{
	git_libgit2_init();
	git_repository *repo = NULL;
	json_t *items = NULL;
	struct stat sb;
	*differences = 0;
	if (versions(st, &items, e)) {
		git_libgit2_shutdown();
		return -1;
	}
	if (stat(pc->repo, &sb) || git_repository_open_bare(&repo, pc->repo)) {
		json_decref(items);
		git_libgit2_shutdown();
		return err_set(e, E_NOT_FOUND, "git-repo", "no repository at %s: run entente publish", pc->repo);
	}
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *v = json_array_get(items, i);
		char file[160], tag[200], spec[240], hex[GIT_OID_HEXSZ + 1];
		git_object *obj = NULL;
		git_tree *tree = NULL;
		git_tree_entry *entry = NULL;
		git_blob *blob = NULL;
		struct strbuf md = STRBUF_INIT;
		names(v, file, sizeof(file), tag, sizeof(tag));
		snprintf(spec, sizeof(spec), "refs/tags/%s^{commit}", tag);
		if (git_revparse_single(&obj, repo, spec)) {
			strbuf_addf(report, "missing: version %s of WR %lld has no tag %s\n", str(v, "label"),
				    (long long)json_integer_value(json_object_get(v, "wr_id")), tag);
			(*differences)++;
			continue;
		}
		git_oid_tostr(hex, sizeof(hex), git_object_id(obj));
		if (*str(v, "commit") && strcmp(str(v, "commit"), hex)) {
			strbuf_addf(report, "moved: tag %s is commit %s, the database recorded %s\n", tag, hex, str(v, "commit"));
			(*differences)++;
		}
		publish_markdown(v, &md);
		if (git_commit_tree(&tree, (git_commit *)obj) || git_tree_entry_bypath(&entry, tree, file) ||
		    git_blob_lookup(&blob, repo, git_tree_entry_id(entry))) {
			strbuf_addf(report, "missing: %s is not in the commit of tag %s\n", file, tag);
			(*differences)++;
		} else if ((size_t)git_blob_rawsize(blob) != md.len || memcmp(git_blob_rawcontent(blob), md.buf, md.len)) {
			strbuf_addf(report, "differs: %s at tag %s is not version %s of the database\n", file, tag, str(v, "label"));
			(*differences)++;
		}
		strbuf_release(&md);
		git_blob_free(blob);
		git_tree_entry_free(entry);
		git_tree_free(tree);
		git_object_free(obj);
	}
	/* tags the database knows nothing of */
	git_strarray tags = { 0 };
	if (!git_tag_list(&tags, repo)) {
		for (size_t k = 0; k < tags.count; k++) {
			int known = 0;
			for (size_t i = 0; i < json_array_size(items) && !known; i++) {
				char file[160], tag[200];
				names(json_array_get(items, i), file, sizeof(file), tag, sizeof(tag));
				known = !strcmp(tag, tags.strings[k]);
			}
			if (!known) {
				strbuf_addf(report, "unknown: tag %s is no published version of the database\n", tags.strings[k]);
				(*differences)++;
			}
		}
		git_strarray_dispose(&tags);
	}
	json_decref(items);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return 0;
}

/* ---- the worker thread of entente serve ---- */

static struct {
	struct periodic p;
	const char *db_path;
	const struct publish_config *pc;
	struct store *st; /* the thread's own connection, opened at its first run */
} worker;

static void publish_task(void *arg, volatile int *stop)
{
	struct err e = ERR_INIT;
	struct publish_run run = { 0 };
	(void)arg;
	(void)stop;
	if (!store_periodic_turn(worker.db_path)) /* another server's turn (issue 26) */
		return;
	if (!worker.st && store_open(&worker.st, worker.db_path, &e)) {
		log_line("publish: %s", e.detail);
		return;
	}
	if (publish_sync(worker.st, worker.pc, 0, &run, &e))
		log_line("publish: %s", e.detail);
	else if (run.committed)
		log_line("publish: %u version(s) committed to %s", run.committed, worker.pc->repo);
}

static void publish_done(void *arg)
{
	(void)arg;
	if (worker.st)
		store_free(worker.st);
	worker.st = NULL;
}

int publish_worker_start(const char *db_path, const struct publish_config *pc, unsigned interval_s, struct err *e)
{
	worker.db_path = db_path;
	worker.pc = pc;
	if (periodic_start(&worker.p, (interval_s ? interval_s : 1) * 1000, publish_task, publish_done, NULL))
		return err_set(e, E_INTERNAL, NULL, "cannot start the publisher");
	return 0;
}

void publish_worker_stop(void) { periodic_stop(&worker.p); }
