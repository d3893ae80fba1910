/* entente publish: the published versions into git (R21, issue 10). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "publish/publish.h"

int cmd_publish(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "git-repo", required_argument, NULL, 'r' }, /* the configuration's git_repo */
		{ "rebuild", no_argument, NULL, 'R' },
		{ "verify", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 } };
	struct publish_config pc = { .committer_name = "entente", /* $ENTENTE_GIT_REPO comes as --git-repo (cli/config.c) */
				     .committer_email = "entente@localhost" };
	struct err e = ERR_INIT;
	int ch, rebuild = 0, verify = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': pc.repo = optarg; break;
		case 'R': rebuild = 1; break;
		case 'v': verify = 1; break;
		case 'h':
			printf("usage: entente publish [--repo PATH] [--rebuild | --verify]\n\n"
			       "Commits every published version of every Work Register (from its establishment on:\n"
			       "amendments, reviews, the removal) not yet in the bare git repository at PATH (--repo or\n"
			       "--git-repo, else the configuration's git_repo, $ENTENTE_GIT_REPO; created when missing):\n"
			       "one Markdown file per WR, a tag per version.\n"
			       "  --rebuild   make the repository afresh from the database (the same commits)\n"
			       "  --verify    report every difference between the repository and the database;\n"
			       "              exit status 1 when there is one\n");
			return 0;
		default: return 2;
		}
	}
	if (!pc.repo || !*pc.repo) {
		fprintf(stderr, "%s: give --repo PATH or $ENTENTE_GIT_REPO\n", c->prog);
		return 2;
	}
	if (verify) {
		struct strbuf report = STRBUF_INIT;
		int diffs = 0;
		if (publish_verify(c->st, &pc, &report, &diffs, &e)) {
			fprintf(stderr, "%s: %s\n", c->prog, e.detail);
			strbuf_release(&report);
			return 2;
		}
		printf("%s%s\n", report.buf, diffs ? "the repository differs from the database" : "the repository matches the database");
		strbuf_release(&report);
		return diffs ? 1 : 0;
	}
	struct publish_run run = { 0 };
	if (publish_sync(c->st, &pc, rebuild, &run, &e)) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 1;
	}
	printf("%u version(s) committed, %u already there\n", run.committed, run.kept);
	return 0;
}
