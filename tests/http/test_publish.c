/* Issue 10, R21: the published versions of every WR in a real git
 * repository (libgit2 writes it; git itself reads it here). The story
 * demo's WR 3 (TGG, owner Owen Ortiz) is established; the test takes it
 * through an amendment, a review and a removal, then rebuilds the
 * repository and verifies it, and tampers with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/client.h"

#define ADMIN "admin@localhost"
#define VP "vp@dmtf.example"
#define OWNER "owner@dmtf.example"
#define CHAIR "chair@dmtf.example"
#define BOARD "board@dmtf.example"
#define GRETA "greta@tgg.example"

static struct server S;
static char repo[300];

/* Run git on the repository; its output into out. */
static int git(char *out, size_t n, const char *fmt, ...)
{
	char args[600], cmd[1000];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "git --git-dir='%s' %s 2>&1", repo, args);
	FILE *p = popen(cmd, "r");
	size_t used = fread(out, 1, n - 1, p);
	out[used] = '\0';
	return pclose(p);
}

static int has_tag(const char *tag)
{
	char out[4096];
	git(out, sizeof(out), "tag -l");
	char want[200];
	snprintf(want, sizeof(want), "%s\n", tag);
	return strstr(out, want) != NULL;
}

static void wait_tag(const char *tag)
{
	for (int i = 0; i < 150 && !has_tag(tag); i++)
		usleep(100000);
	assert_true(has_tag(tag));
}

static void step(const char *who, const char *name, const char *body)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/work-registers/3/%s", name);
	struct resp r = req(&S, "POST", path, token_for(&S, who), body, NULL);
	expect_status(r, 200);
	resp_free(&r);
}

static void vote_open(int body, const char *const *voters)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/ballots?wr_id=3&body_id=%d&status=open", body);
	struct resp r = as(&S, VP, "GET", path, NULL);
	long long b = jint(r.json, "items.0.id");
	resp_free(&r);
	assert_true(b > 0);
	snprintf(path, sizeof(path), "/api/v1/ballots/%lld/votes", b);
	for (int i = 0; voters[i]; i++) {
		r = as(&S, voters[i], "POST", path, "{ss}", "choice", "yes");
		expect_status(r, 200);
		resp_free(&r);
	}
}

static void test_published_versions_in_git(void **state)
{
	(void)state;
	char out[16384];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	snprintf(repo, sizeof(repo), "%s/published.git", S.dir);
	server_start(&S, "--git-repo", repo, "--mail-interval", "1", NULL);

	/* the established version, committed by the server */
	wait_tag("tgg-wr-3-1.0.0");
	assert_int_equal(git(out, sizeof(out), "show tgg-wr-3-1.0.0:tgg-wr-3.md"), 0);
	assert_non_null(strstr(out, "# TGG and DMTF: power and cooling telemetry\n"));
	assert_non_null(strstr(out, "- Status: established\n"));
	assert_non_null(strstr(out, "## Board resolution\n\nRESOLVED"));
	assert_non_null(strstr(out, "## Table 1: standards development\n"));
	assert_non_null(strstr(out, "| tgg-power-profile | joint | profile |"));
	assert_non_null(strstr(out, "- Greta Green (board_rep)"));
	assert_null(strstr(out, "greta@tgg.example")); /* addresses stay private */
	assert_int_equal(git(out, sizeof(out), "log -1 --format='%%an <%%ae>|%%cn|%%s' tgg-wr-3-1.0.0"), 0);
	/* the owner by name, with the publisher's address, not theirs (issue 24) */
	assert_non_null(strstr(out, "Owen Ortiz <entente@localhost>|entente|TGG WR 3 1.0.0: Approved by the Board"));
	assert_int_equal(git(out, sizeof(out), "log -1 --format=%%B tgg-wr-3-1.0.0"), 0);
	assert_non_null(strstr(out, "Board approval: "));
	assert_int_equal(git(out, sizeof(out), "symbolic-ref HEAD"), 0);
	assert_string_equal(out, "refs/heads/main\n");
	/* the public site names the commit */
	struct resp r = req(&S, "GET", "/registers/3", NULL, NULL, NULL);
	expect_status(r, 200);
	assert_non_null(strstr(r.raw, "tgg-wr-3-1.0.0"));
	resp_free(&r);
	/* ... and links it where the repository is browsed, when that is set */
	assert_int_equal(cli(&S, out, sizeof(out), "settings set --git-commit-url 'https://git.example.org/entente/commit/{commit}'"), 0);
	char id[64], link[160];
	assert_int_equal(git(id, sizeof(id), "rev-parse 'tgg-wr-3-1.0.0^{commit}'"), 0);
	id[strcspn(id, "\n")] = '\0';
	snprintf(link, sizeof(link), "<a href=\"https://git.example.org/entente/commit/%s\">", id);
	r = req(&S, "GET", "/registers/3", NULL, NULL, NULL);
	assert_non_null(strstr(r.raw, link));
	resp_free(&r);
	assert_int_equal(cli(&S, out, sizeof(out), "settings set --git-commit-url 'javascript:alert(1)'"), 1); /* http(s) only */

	/* an amendment the partner proposes (R22): the Alliance Committee approves */
	r = as(&S, GRETA, "POST", "/api/v1/work-registers/3/amendments", "{ss ss s{ss}}", "class", "other", "summary",
	       "A clearer title", "changes", "title", "TGG and DMTF: power, cooling and telemetry");
	expect_status(r, 201);
	resp_free(&r);
	static const char *const ac[] = { CHAIR, VP, OWNER, NULL };
	vote_open(3, ac);
	r = as(&S, VP, "GET", "/api/v1/work-registers/3", NULL);
	char amended[40];
	snprintf(amended, sizeof(amended), "tgg-wr-3-%s", jstr(r.json, "version_label"));
	assert_string_equal(jstr(r.json, "title"), "TGG and DMTF: power, cooling and telemetry");
	resp_free(&r);
	wait_tag(amended);
	char spec[120];
	snprintf(spec, sizeof(spec), "show %s:tgg-wr-3.md", amended);
	assert_int_equal(git(out, sizeof(out), spec), 0);
	assert_non_null(strstr(out, "# TGG and DMTF: power, cooling and telemetry\n"));

	/* a review, then the removal (R27, R33) */
	step(OWNER, "record-review", "{\"summary\":\"Reviewed: on track\"}");
	step(VP, "recommend-removal", "{\"reason\":\"disbanded\",\"detail\":\"TGG dissolved\"}");
	step(BOARD, "schedule-removal", NULL);
	static const char *const board[] = { BOARD, VP, NULL };
	vote_open(1, board);
	r = as(&S, VP, "GET", "/api/v1/work-registers/3", NULL);
	char removed[40];
	snprintf(removed, sizeof(removed), "tgg-wr-3-%s", jstr(r.json, "version_label"));
	assert_string_equal(jstr(r.json, "status"), "removed");
	resp_free(&r);
	wait_tag(removed);
	snprintf(spec, sizeof(spec), "show %s:tgg-wr-3.md", removed);
	assert_int_equal(git(out, sizeof(out), spec), 0);
	assert_non_null(strstr(out, "- Status: removed\n"));
	assert_non_null(strstr(out, "- Removed: "));

	/* the history: one commit per published version, each tagged */
	r = as(&S, VP, "GET", "/api/v1/work-registers/3/versions?limit=200", NULL);
	json_t *items = json_object_get(r.json, "items");
	int published = 0;
	for (size_t i = 0; i < json_array_size(items); i++)
		if (strncmp(jstr(json_array_get(items, i), "label"), "0.", 2)) /* 1.0.0 and later (R50) */
			published++;
	resp_free(&r);
	/* (the story publishes other WRs too: WR 3's commits are those of its file) */
	assert_int_equal(git(out, sizeof(out), "rev-list --count main -- tgg-wr-3.md"), 0);
	assert_int_equal(atoi(out), published);
	assert_int_equal(git(out, sizeof(out), "tag -l 'tgg-wr-3-*'"), 0);
	int tags = 0;
	for (const char *p = out; (p = strchr(p, '\n')); p++)
		tags++;
	assert_int_equal(tags, published);

	/* verify agrees; a rebuild makes the very same commits */
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s --verify", repo), 0);
	assert_non_null(strstr(out, "matches"));
	char head[64];
	git(head, sizeof(head), "rev-parse main");
	assert_int_equal(server_stop(&S), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s --rebuild", repo), 0);
	git(out, sizeof(out), "rev-parse main");
	assert_string_equal(out, head);
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s --verify", repo), 0);

	/* tampering: a tag removed, a tag moved, a file rewritten */
	assert_int_equal(git(out, sizeof(out), "tag -d tgg-wr-3-1.0.0"), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s --verify", repo), 1);
	assert_non_null(strstr(out, "missing: version 1.0.0 of WR 3 has no tag tgg-wr-3-1.0.0"));
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s --rebuild", repo), 0);
	char cmd[3000];
	snprintf(cmd, sizeof(cmd),
		 "cd %s && git init -q w && cd w && git fetch -q '%s' main && git checkout -q FETCH_HEAD && "
		 "sed -i 's/Status: removed/Status: established/' tgg-wr-3.md && git -c user.name=x -c user.email=x@x commit -qam forged && "
		 "git push -q '%s' HEAD:refs/heads/main && git push -q -f '%s' HEAD:refs/tags/%s",
		 S.dir, repo, repo, repo, removed);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s --verify", repo), 1);
	char want[200];
	snprintf(want, sizeof(want), "differs: tgg-wr-3.md at tag %s", removed);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "moved: tag "));
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s --rebuild", repo), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "publish --repo %s --verify", repo), 0);
	assert_int_equal(cli(&S, out, sizeof(out), "publish --verify"), 2); /* no repository named */
	server_cleanup(&S);
}

static int teardown(void **state)
{
	(void)state;
	server_reap(&S);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_published_versions_in_git, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
