/* Version control of published Work Registers (R21, issue 10): every
 * version of a WR from its establishment on (the same versions the public
 * site and its feed show: the establishment, approved amendments, reviews,
 * the removal) is committed by entente into a bare git repository with
 * libgit2: one Markdown file per WR, the commit naming the approval, its
 * author the WR's owner, its committer entente, a tag per version. Commits
 * are a function of the database only (times are the versions'), so
 * rebuilding the repository gives the very same commits. */
#ifndef ENTENTE_PUBLISH_H
#define ENTENTE_PUBLISH_H

#include <jansson.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/store.h"

struct publish_config {
	const char *repo;            /* the bare repository's path (created when missing) */
	const char *committer_name;  /* "entente" */
	const char *committer_email; /* "entente@localhost" */
};

struct publish_run {
	unsigned committed, kept;    /* versions committed now, already there */
};

/* Commit and tag every published version not yet in the repository, in
 * order, and record each commit in the database. rebuild: start the
 * repository afresh (the old one is moved aside, then removed). */
int publish_sync(struct store *st, const struct publish_config *pc, int rebuild, struct publish_run *run, struct err *e);
/* Compare the repository with the database: every version's tag, commit,
 * file and text; one line per difference into report. *differences gets
 * how many; 0 when they agree. */
int publish_verify(struct store *st, const struct publish_config *pc, struct strbuf *report, int *differences, struct err *e);

/* The Markdown of one version (as publish.versions gives it): pure. */
void publish_markdown(const json_t *version, struct strbuf *out);

/* entente serve: a thread that publishes every interval_s seconds. */
int publish_worker_start(const char *db_path, const struct publish_config *pc, unsigned interval_s, struct err *e);
void publish_worker_stop(void);

#endif
