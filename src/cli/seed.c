/* entente seed: a large database for measuring (the scale issue: 10,000
 * WRs, 1,000 people, 1,000,000 votes), made like the demo data through the
 * one door: every record is a core call with its real action, validated
 * and audited, so the database is one the process could have produced.
 *
 * Shape: partner organizations (one per ten WRs); people, four in five
 * DMTF members and one in five a partner's representative; committees of
 * up to 101 voting members (a chair and 100 voting seats) drawn from the
 * DMTF members, with the first 50 also on the Alliance Committee so that
 * they may own WRs (R1). WRs spread over proposed, drafting,
 * socialization and committee_ballots; a WR in committee_ballots has two
 * open ballots, its Originating Committee's (opened on submission, R17)
 * and the one of the committee its milestone names (R18), and each gets
 * votes from all its eligible voters but one, so it stays open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

#define SEED_VOTERS 101 /* per committee: a chair and 100 voting seats */
#define SEED_OWNERS 50  /* DMTF members also on the Alliance Committee */
#define SEED_COMMITTEES 10

struct seed {
	struct cli *c;
	long changes;       /* writing calls: each leaves one audit event */
	long votes, cast;   /* asked for, cast so far */
	struct timespec t0;
};

static double elapsed(const struct seed *s)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - s->t0.tv_sec) + (double)(t.tv_nsec - s->t0.tv_nsec) / 1e9;
}

/* One call as person (0: the operator); params and body are consumed. */
static int seed_call(struct seed *s, int64_t person, const char *action, json_t *params, json_t *body, json_t **out)
{
	const struct action_info *ai = core_action_info(action);
	s->c->as_person = person;
	int ret = cli_call(s->c, action, params, body, out);
	s->c->as_person = 0;
	if (!ret && ai && (ai->flags & A_WRITE))
		s->changes++;
	json_decref(params);
	json_decref(body);
	return ret;
}

static int64_t seed_make(struct seed *s, const char *action, json_t *params, json_t *body)
{
	json_t *out = NULL;
	int64_t id = 0;
	if (!seed_call(s, 0, action, params, body, &out))
		id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

static json_t *id_param(int64_t id)
{
	char v[24];
	snprintf(v, sizeof(v), "%lld", (long long)id);
	return json_pack("{ss}", "id", v);
}

static int64_t body_named(struct seed *s, const char *name)
{
	json_t *out = NULL, *items;
	int64_t id = 0;
	if (seed_call(s, 0, "body.list", json_pack("{ss}", "limit", "200"), NULL, &out))
		return 0;
	items = json_object_get(out, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(items, i), "name")), name))
			id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
	json_decref(out);
	if (!id)
		fprintf(stderr, "%s: no body '%s': seed a database made by entente init --demo\n", s->c->prog, name);
	return id;
}

static int count_of(const char *arg, long *out)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*end || v < 0 || v > 100000000)
		return -1;
	*out = v;
	return 0;
}

/* The votes of one ballot: all eligible voters but one, yes mostly, some
 * abstentions, some no votes with the comment a no needs. */
static int seed_votes(struct seed *s, int64_t ballot, json_t *eligible)
{
	for (size_t i = 0; i + 1 < json_array_size(eligible) && s->cast < s->votes; i++) {
		int64_t voter = json_integer_value(json_array_get(eligible, i));
		json_t *body = i % 10 == 9 ? json_pack("{ss}", "choice", "abstain")
			     : i % 7 == 6 ? json_pack("{ss ss}", "choice", "no", "comment", "The milestones need dates closer in.")
					  : json_pack("{ss}", "choice", "yes");
		if (seed_call(s, voter, "ballot.vote", id_param(ballot), body, NULL))
			return -1;
		if (++s->cast % 10000 == 0)
			fprintf(stderr, "seed: %ld votes (%.0f s)\n", s->cast, elapsed(s));
	}
	return 0;
}

/* Make a WR complete (R12): a milestone of committee `other`, a board
 * representative; then socialize (R15) and, if ballots, submit (R17) and
 * open the other committee's ballot (R18) and vote. */
static int seed_wr_onwards(struct seed *s, int64_t wr, int64_t other, int ballots)
{
	json_t *out = NULL, *items;
	char v[24];
	int ret = -1;
	if (!seed_make(s, "milestone.add", id_param(wr), json_pack("{ss sI ss}", "description", "Joint model published",
			"body_id", (json_int_t)other, "target_date", "2027-06-30")) ||
	    !seed_make(s, "contact.add", id_param(wr), json_pack("{ss ss ss}", "name", "Board representative",
			"email", "board@partner.example", "role", "board_rep")) ||
	    seed_call(s, 0, "wr.socialize", id_param(wr), NULL, NULL))
		goto out;
	if (!ballots) {
		ret = 0;
		goto out;
	}
	snprintf(v, sizeof(v), "%lld", (long long)wr);
	if (seed_call(s, 0, "wr.submit", id_param(wr), NULL, NULL) ||
	    seed_call(s, 0, "wr.open_ballot", id_param(wr), json_pack("{sI}", "body_id", (json_int_t)other), NULL) ||
	    seed_call(s, 0, "ballot.list", json_pack("{ss}", "wr_id", v), NULL, &out))
		goto out;
	items = json_object_get(out, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *b = json_array_get(items, i);
		if (seed_votes(s, json_integer_value(json_object_get(b, "id")), json_object_get(b, "eligible")))
			goto out;
	}
	ret = 0;
out:
	json_decref(out);
	return ret;
}

/* Every open ballot of wr voted yes by all its eligible voters, so it
 * closes at once and passes (these votes are the established WRs' own,
 * beyond --votes). */
static int seed_pass(struct seed *s, int64_t wr)
{
	char v[24];
	json_t *out = NULL, *items;
	snprintf(v, sizeof(v), "%lld", (long long)wr);
	if (seed_call(s, 0, "ballot.list", json_pack("{ss ss}", "wr_id", v, "status", "open"), NULL, &out))
		return -1;
	items = json_object_get(out, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *b = json_array_get(items, i), *el = json_object_get(b, "eligible");
		for (size_t k = 0; k < json_array_size(el); k++)
			if (seed_call(s, json_integer_value(json_array_get(el, k)), "ballot.vote", id_param(json_integer_value(json_object_get(b, "id"))),
				      json_pack("{ss}", "choice", "yes"), NULL)) {
				json_decref(out);
				return -1;
			}
	}
	json_decref(out);
	return 0;
}

/* Issue 27: a WR taken all the way to established (R12 to R20): complete,
 * socialized, submitted, its committee's ballot passed, the Board's
 * scheduled and passed, the resolution recorded, sent and accepted. Its
 * versions are published: the public site, feed and checkpoints grow. */
static int seed_establish(struct seed *s, int64_t wr, int64_t body, int64_t rep, const char *today)
{
	return !seed_make(s, "milestone.add", id_param(wr), json_pack("{ss sI ss}", "description", "Joint model published", "body_id",
								      (json_int_t)body, "target_date", "2027-06-30")) ||
	       !seed_make(s, "contact.add", id_param(wr), json_pack("{ss ss ss}", "name", "Board representative", "email",
								    "board@partner.example", "role", "board_rep")) ||
	       seed_call(s, 0, "wr.socialize", id_param(wr), NULL, NULL) || seed_call(s, 0, "wr.submit", id_param(wr), NULL, NULL) ||
	       seed_pass(s, wr) || seed_call(s, 0, "wr.schedule_board", id_param(wr), NULL, NULL) || seed_pass(s, wr) ||
	       seed_call(s, 0, "wr.record_resolution", id_param(wr),
			 json_pack("{ss ss}", "resolution", "RESOLVED, that the Board approves this alliance work.", "approval_date", today), NULL) ||
	       seed_call(s, 0, "wr.send_to_partner", id_param(wr), NULL, NULL) || seed_call(s, rep, "wr.accept", id_param(wr), NULL, NULL) /* the partner's act (R20) */
		       ? -1
		       : 0;
}

static void seed_usage(FILE *f)
{
	fprintf(f, "usage: entente seed --wrs N --people N --votes N [--established N]\n\n"
		   "Fills a database made by `entente init --demo` with N Work Registers of\n"
		   "N/10 partner organizations, N people and N votes, every record through\n"
		   "core's one door (validated and audited), for measuring at scale. The\n"
		   "database is for measuring only: the seed turns off waiting for the disk.\n"
		   "Progress goes to stderr. 10,000 WRs, 1,000 people and 1,000,000 votes is\n"
		   "the scale issue's size. --established N adds N WRs taken to established\n"
		   "(the Alliance Committee's ballot and the Board's, each passed by all its voters):\n"
		   "the public site, its feed and the signed checkpoints grow with them.\n");
}

int cmd_seed(struct cli *c, int argc, char **argv)
{
	struct seed s = { .c = c };
	long wrs = -1, people = -1, votes = -1, established = 0;
	struct err e = ERR_INIT;
	int64_t *pid = NULL, *partner = NULL, committee[SEED_COMMITTEES], ac;
	int ret = 1;
	for (int i = 1; i < argc; i++) {
		long *dst = !strcmp(argv[i], "--wrs") ? &wrs : !strcmp(argv[i], "--people") ? &people
			  : !strcmp(argv[i], "--votes") ? &votes : !strcmp(argv[i], "--established") ? &established : NULL;
		if (!strcmp(argv[i], "--help")) {
			seed_usage(stdout);
			return 0;
		}
		if (!dst || i + 1 >= argc || count_of(argv[++i], dst)) {
			seed_usage(stderr);
			return 2;
		}
	}
	if (wrs < 0 || people < 0 || votes < 0) {
		seed_usage(stderr);
		return 2;
	}
	/* A seeded database is rebuilt, never kept: its commits need not wait
	 * for the disk, which is most of a small transaction's time. This
	 * connection only; the server's stays synchronous=FULL. SQLite's
	 * alone: a PostgreSQL database is seeded at the server's own pace. */
	if (!store_is_url(c->db_path) && store_sync_off(c->st, &e)) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &s.t0);
	s.votes = votes;
	long npartners = wrs ? (wrs + 9) / 10 : 0, ndmtf = 0;
	pid = calloc((size_t)people + 1, sizeof(*pid));
	partner = calloc((size_t)npartners + 1, sizeof(*partner));
	int64_t *dmtf = calloc((size_t)people + 1, sizeof(*dmtf));
	int64_t host = 0;
	json_t *orgs = NULL;
	if (!pid || !partner || !dmtf)
		goto out;
	if (!(ac = body_named(&s, "Alliance Committee")))
		goto out;
	if (seed_call(&s, 0, "org.list", json_pack("{ss ss}", "kind", "host", "limit", "1"), NULL, &orgs))
		goto out;
	host = json_integer_value(json_object_get(json_array_get(json_object_get(orgs, "items"), 0), "id"));
	json_decref(orgs);
	for (long i = 0; i < npartners; i++) {
		char name[64], shortn[24];
		snprintf(name, sizeof(name), "Seed Partner %ld", i + 1);
		snprintf(shortn, sizeof(shortn), "SP%ld", i + 1);
		if (!(partner[i] = seed_make(&s, "org.create", NULL, json_pack("{ss ss}", "name", name, "short_name", shortn))))
			goto out;
	}
	fprintf(stderr, "seed: %ld partner organizations (%.0f s)\n", npartners, elapsed(&s));
	for (long i = 0; i < people; i++) {
		char name[64], email[96];
		int rep = i % 5 == 4 && npartners;
		int64_t org = rep ? partner[(i / 5) % npartners] : host;
		snprintf(name, sizeof(name), "Seed Person %ld", i + 1);
		if (rep)
			snprintf(email, sizeof(email), "seed%ld@sp%lld.example", i + 1, (long long)((i / 5) % npartners + 1));
		else
			snprintf(email, sizeof(email), "seed%ld@dmtf.example", i + 1);
		if (!(pid[i] = seed_make(&s, "person.create", NULL, json_pack("{ss ss sI sb}", "name", name, "email", email,
								       "org_id", (json_int_t)org, "dmtf_member", !rep))))
			goto out;
		if (!rep)
			dmtf[ndmtf++] = pid[i];
	}
	fprintf(stderr, "seed: %ld people (%.0f s)\n", people, elapsed(&s));
	long owners = ndmtf < SEED_OWNERS ? ndmtf : SEED_OWNERS;
	for (long i = 0; i < owners; i++)
		if (!seed_make(&s, "member.add", id_param(ac), json_pack("{sI ss}", "person_id", (json_int_t)dmtf[i], "role", "voting")))
			goto out;
	long voters = ndmtf < SEED_VOTERS ? ndmtf : SEED_VOTERS;
	for (int k = 0; k < SEED_COMMITTEES; k++) {
		char name[64];
		snprintf(name, sizeof(name), "Seed Committee %d", k + 1);
		if (!(committee[k] = seed_make(&s, "body.create", NULL, json_pack("{ss ss}", "name", name, "kind", "committee"))))
			goto out;
		for (long j = 0; j < voters; j++) {
			int64_t who = dmtf[((long)k * voters + j) % ndmtf];
			if (!seed_make(&s, "member.add", id_param(committee[k]),
				       json_pack("{sI ss}", "person_id", (json_int_t)who, "role", j ? "voting" : "chair")))
				goto out;
		}
	}
	fprintf(stderr, "seed: %d committees of %ld voting members (%.0f s)\n", SEED_COMMITTEES, voters, elapsed(&s));
	/* two ballots per balloted WR, each with all its voters but one */
	long per_ballot = voters > 1 ? voters - 1 : 0;
	long balloted = per_ballot ? (votes + 2 * per_ballot - 1) / (2 * per_ballot) : 0;
	if (balloted > wrs || (votes && (!owners || !npartners))) {
		balloted = owners && npartners ? wrs : 0;
		fprintf(stderr, "seed: at most %ld votes with these numbers (more WRs or people make room)\n", balloted * 2 * per_ballot);
	}
	for (long i = 0, b = 0; i < wrs; i++) {
		/* balloted WRs spread evenly among the others */
		int ballots = b < balloted && (i + 1) * balloted / wrs > b;
		int kind = ballots ? 3 : (int)(i % 3); /* 0 proposed, 1 drafting, 2 socialization */
		int k = (int)(i % SEED_COMMITTEES);
		/* words that a search can tell apart (bench/scale.sh searches them) */
		static const char *const subject[] = { "storage", "network", "power", "thermal", "security", "firmware",
							"telemetry", "identity", "fabric", "memory", "cooling", "accelerator",
							"chassis", "sensor", "update", "inventory" };
		static const char *const aspect[] = { "profiles", "schemas", "registries", "events", "redfish", "mappings",
						      "bindings", "models", "interfaces", "conformance", "discovery",
						      "provisioning", "monitoring" };
		char title[96], scope[160];
		const char *a = subject[i % 16], *b2 = aspect[(i / 16) % 13];
		snprintf(title, sizeof(title), "Seed Work Register %ld: %s %s", i + 1, a, b2);
		snprintf(scope, sizeof(scope), "Joint work on %s %s in a management model.", a, b2);
		json_t *body = json_pack("{sI ss sI ss ss ss}", "partner_id", (json_int_t)partner[i % npartners], "title", title,
					 "originating_body_id", (json_int_t)committee[k], "scope", scope,
					 "benefits", "One model instead of two.", "deliverables", "- A joint specification");
		if (kind && owners)
			json_object_set_new(body, "owner_id", json_integer(dmtf[i % owners]));
		else
			kind = 0;
		int64_t wr = seed_make(&s, "wr.create", NULL, body);
		if (!wr)
			goto out;
		if (kind >= 2 && seed_wr_onwards(&s, wr, committee[(k + 1) % SEED_COMMITTEES], ballots))
			goto out;
		b += ballots;
		if ((i + 1) % 1000 == 0)
			fprintf(stderr, "seed: %ld WRs, %ld votes (%.0f s)\n", i + 1, s.cast, elapsed(&s));
	}
	if (established) {
		/* the Alliance Committee originates them (R3) and is their
		 * milestones' committee: one ballot of its members each */
		char today[16];
		time_t now = time(NULL);
		strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&now));
		/* partner p's first representative is person 5p + 4 */
		long with_rep = npartners < people / 5 ? npartners : people / 5;
		if (!owners || !with_rep) {
			fprintf(stderr, "%s: --established needs people (DMTF members to own them) and WRs (a partner)\n", c->prog);
			goto out;
		}
		for (long i = 0; i < established; i++) {
			char title[96];
			snprintf(title, sizeof(title), "Seed established Work Register %ld", i + 1);
			int64_t wr = seed_make(&s, "wr.create", NULL,
					       json_pack("{sI ss sI sI ss ss ss}", "partner_id", (json_int_t)partner[i % with_rep], "title", title,
							 "originating_body_id", (json_int_t)ac, "owner_id", (json_int_t)dmtf[i % owners], "scope",
							 "Joint work in a management model.", "benefits", "One model instead of two.", "deliverables",
							 "- A joint specification"));
			if (!wr || seed_establish(&s, wr, ac, pid[5 * (i % with_rep) + 4], today)) {
				fprintf(stderr, "%s: WR %lld could not be established\n", c->prog, (long long)wr);
				goto out;
			}
			if ((i + 1) % 1000 == 0)
				fprintf(stderr, "seed: %ld established WRs (%.0f s)\n", i + 1, elapsed(&s));
		}
	}
	fprintf(stderr, "seed: done in %.0f s\n", elapsed(&s));
	printf("seeded %ld WRs, %ld people, %ld votes; %ld changes, each with its audit event", wrs, people, s.cast, s.changes);
	printf(established ? "; and %ld WRs established\n" : "\n", established);
	ret = 0;
out:
	free(pid);
	free(partner);
	free(dmtf);
	return ret;
}
