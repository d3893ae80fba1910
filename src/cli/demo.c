/* entente demo: demonstration data for `make run`, made through the same
 * door as everything else (so it is validated and audited). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

#define DEMO_PASSWORD "demo-alliance"

struct demo_person { const char *name, *email, *org; int member; const char *officer; };

static const struct demo_person people[] = {
	{ "Vera Vance", "vp@dmtf.example", "DMTF", 1, "vp_alliances" },
	{ "Owen Ortiz", "owner@dmtf.example", "DMTF", 1, NULL },
	{ "Carla Chen", "chair@dmtf.example", "DMTF", 1, NULL },
	{ "Theo Tran", "tc@dmtf.example", "DMTF", 1, NULL },
	{ "Bea Brooks", "board@dmtf.example", "DMTF", 1, NULL },
	{ "Mark Moreau", "marketing@dmtf.example", "DMTF", 1, NULL },
	{ "Sam Patel", "sam@snia.example", "SNIA", 1, NULL },
	{ "Greta Green", "greta@tgg.example", "TGG", 0, NULL },
};

/* person index, body name, role */
static const struct { int who; const char *body, *role; } seats[] = {
	{ 2, "Alliance Committee", "chair" }, { 0, "Alliance Committee", "voting" }, { 1, "Alliance Committee", "voting" },
	{ 3, "Technical Committee", "chair" }, { 1, "Technical Committee", "voting" },
	{ 4, "Board of Directors", "voting" }, { 0, "Board of Directors", "voting" },
	{ 4, "Executive Committee", "chair" }, { 5, "Marketing Committee", "chair" },
};

static int64_t find(struct cli *c, const char *action, const char *key, const char *value)
{
	json_t *out = NULL, *items;
	int64_t id = 0;
	if (cli_call(c, action, NULL, NULL, &out))
		return 0;
	items = json_object_get(out, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(items, i), key)), value))
			id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
	json_decref(out);
	if (!id)
		fprintf(stderr, "%s: no %s '%s': run entente init first\n", c->prog, key, value);
	return id;
}

static json_t *wr_params(int64_t wr)
{
	char s[24];
	snprintf(s, sizeof(s), "%lld", (long long)wr);
	return json_pack("{ss}", "id", s);
}

/* action on the record id, with body (taken); its reply in *out if asked. */
static int act(struct cli *c, const char *action, int64_t id, json_t *body, json_t **out)
{
	char sid[24];
	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	json_t *params = json_pack("{ss}", "id", sid);
	int ret = cli_call(c, action, params, body, out);
	json_decref(params);
	json_decref(body);
	return ret;
}

/* Section 5.3 (R42-R49): SNIA's change request to DSP0004, under review by
 * the Technical Committee's chair, who wrote to the submitter and scheduled
 * a joint meeting (announced with the IP policy of the settings). */
static int demo_feedback(struct cli *c, int64_t sam, int64_t chair)
{
	int64_t dsp = find(c, "dmtf_standard.list", "dsp", "DSP0004"), cr = 0, m = 0;
	json_t *out = NULL;
	int bad = !dsp || cli_call_take(c, "settings.update", json_pack("{ss ss}", "ip_policy_url", "https://www.example.org/ip-policy",
								      "ip_policy_text", "Participation in this meeting is governed by the "
								      "DMTF IP policy. Non-members acknowledge it to take part in any form."));
	c->as_person = sam;
	bad = bad || !(cr = cli_make(c, "cr.create", NULL, json_pack("{sI ss ss ss ss ss sb sI}", "dmtf_standard_id", (json_int_t)dsp,
		"standard_version", "2.8.0", "section", "5.1.2.8 Qualifier flavors", "problem",
		"The inheritance of the *Override* flavor is ambiguous for association references.", "proposed_change",
		"State that a reference's flavor follows the association's.", "rationale",
		"SNIA's storage profiles and two CIM implementations read it differently.", "attests", 1, "wr_id", (json_int_t)1)));
	c->as_person = chair;
	bad = bad || act(c, "cr.review", cr, NULL, NULL) ||
	      act(c, "cr.message", cr, json_pack("{ss}", "text", "Thank you. Could SNIA send the two readings side by side before we meet?"), NULL) ||
	      act(c, "cr.discuss", cr, json_pack("{ss s{ss ss ss ss ss ss}}", "note", "A joint meeting with SNIA's schema editors.", "meeting",
		"title", "DSP0004 qualifier flavors with SNIA", "starts_at", "2027-01-14T16:00", "ends_at", "2027-01-14T17:00",
		"time_zone", "America/Denver", "kind", "teleconference", "agenda", "1. The two readings\n2. The proposed wording"), &out);
	if (!bad)
		m = json_integer_value(json_object_get(json_array_get(json_object_get(out, "meetings"), 0), "id"));
	json_decref(out);
	bad = bad || !m || act(c, "participant.add", m, json_pack("{sI}", "person_id", (json_int_t)sam), NULL) ||
	      act(c, "participant.add", m, json_pack("{ss ss ss}", "name", "Olga Ortega", "email", "olga@acme.example", "organization",
						     "Acme Storage"), NULL) ||
	      act(c, "meeting.announce", m, NULL, NULL);
	c->as_person = 0;
	return bad;
}

/* The person with this e-mail takes action on record id. */
static int as_act(struct cli *c, const int64_t *pid, int who, const char *action, int64_t id, json_t *body, json_t **out)
{
	c->as_person = who < 0 ? 0 : pid[who];
	int ret = act(c, action, id, body, out);
	c->as_person = 0;
	return ret;
}

/* The id of the first open ballot of WR wr on body (0 if none). */
static int64_t open_ballot(struct cli *c, int64_t wr, int64_t body)
{
	char q[80];
	json_t *out = NULL, *params;
	int64_t id = 0;
	snprintf(q, sizeof(q), "%lld", (long long)wr);
	params = json_pack("{ss ss}", "wr_id", q, "status", "open");
	if (!cli_call(c, "ballot.list", params, NULL, &out))
		for (size_t i = 0; i < json_array_size(json_object_get(out, "items")); i++) {
			json_t *b = json_array_get(json_object_get(out, "items"), i);
			if (json_integer_value(json_object_get(b, "body_id")) == body && !id)
				id = json_integer_value(json_object_get(b, "id"));
		}
	json_decref(params);
	json_decref(out);
	return id;
}

static int vote(struct cli *c, const int64_t *pid, int who, int64_t ballot, const char *choice, const char *comment)
{
	json_t *b = json_pack("{ss}", "choice", choice);
	if (comment)
		json_object_set_new(b, "comment", json_string(comment));
	return !ballot || as_act(c, pid, who, "ballot.vote", ballot, b, NULL);
}

static int64_t story_wr(struct cli *c, int64_t partner, int64_t owner, const char *title, const char *scope, int64_t ac)
{
	int64_t wr = cli_make(c, "wr.create", NULL, json_pack("{sI ss sI ss ss ss}", "partner_id", (json_int_t)partner, "title", title,
		"owner_id", (json_int_t)owner, "scope", scope, "benefits", "Fewer redundant efforts; one model for operators.",
		"deliverables", "- Profiles maintained by the partner\n- A joint review each year"));
	if (!wr || !cli_make(c, "milestone.add", wr_params(wr), json_pack("{ss sI ss}", "description", "Joint review of the profiles",
		"body_id", (json_int_t)ac, "target_date", "2027-09-30")) ||
	    !cli_make(c, "contact.add", wr_params(wr), json_pack("{ss ss ss}", "name", "Greta Green", "email", "greta@tgg.example", "role", "board_rep")) ||
	    !cli_make(c, "contact.add", wr_params(wr), json_pack("{ss ss ss}", "name", "TGG press office", "email", "press@tgg.example", "role", "pr")))
		return 0;
	return wr;
}

/* The whole story a new user needs to see (make run): an established WR on
 * the public site with its Table 1 and history, whose review is due; one in
 * a committee ballot with votes; one in drafting with open comments. People
 * by index: 0 Vera (VP), 1 Owen (owner), 2 Carla (Alliance Committee chair),
 * 4 Bea (Board, Executive), 7 Greta (TGG). */
static int demo_story(struct cli *c, const int64_t *pid, int64_t tgg, int64_t ac)
{
	int64_t est, bal, dr, b;
	char buf[16];
	/* established: its review falls due within the reminder period (R27) */
	if (!(est = story_wr(c, tgg, pid[1], "TGG and DMTF: power and cooling telemetry",
			     "Telemetry of **power and cooling** equipment through DMTF models.", ac)) ||
	    !cli_make(c, "standard.add", wr_params(est), json_pack("{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint", "standard_type",
		"profile", "ap_id", "tgg-power-profile", "description", "Power distribution profile", "domain", "Facilities", "lead_org", "TGG",
		"ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner")) ||
	    !cli_make(c, "standard.add", wr_params(est), json_pack("{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint", "standard_type",
		"white paper", "ap_id", "tgg-cooling-paper", "description", "Cooling telemetry white paper", "domain", "Facilities",
		"lead_org", "TGG", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner", "maintaining_org", "partner")) ||
	    as_act(c, pid, 1, "wr.socialize", est, NULL, NULL) || as_act(c, pid, 1, "wr.submit", est, NULL, NULL))
		return 1;
	b = open_ballot(c, est, ac);
	if (vote(c, pid, 2, b, "yes", NULL) || vote(c, pid, 0, b, "yes", NULL) || vote(c, pid, 1, b, "yes", NULL) ||
	    as_act(c, pid, 4, "wr.schedule_board", est, NULL, NULL))
		return 1;
	b = open_ballot(c, est, find(c, "body.list", "name", "Board of Directors"));
	if (vote(c, pid, 4, b, "yes", NULL) || vote(c, pid, 0, b, "yes", NULL))
		return 1;
	time_t now = time(NULL);
	strftime(buf, sizeof(buf), "%Y-%m-%d", gmtime(&now));
	if (as_act(c, pid, 0, "wr.record_resolution", est, json_pack("{ss ss}", "resolution",
		"RESOLVED, that the Board approves the alliance with The Green Grid on power and cooling telemetry.", "approval_date", buf), NULL) ||
	    as_act(c, pid, 1, "wr.send_to_partner", est, NULL, NULL) ||
	    cli_call_take(c, "settings.update", json_pack("{si}", "review_months", 2)) ||
	    as_act(c, pid, 7, "wr.accept", est, NULL, NULL) ||
	    cli_call_take(c, "settings.update", json_pack("{si}", "review_months", 24)))
		return 1;
	/* in the Alliance Committee's ballot: two of three voted */
	if (!(bal = story_wr(c, tgg, pid[1], "TGG and DMTF: data center asset inventory", "An inventory model of data center assets.", ac)) ||
	    as_act(c, pid, 1, "wr.socialize", bal, NULL, NULL) || as_act(c, pid, 1, "wr.submit", bal, NULL, NULL))
		return 1;
	b = open_ballot(c, bal, ac);
	if (vote(c, pid, 2, b, "yes", NULL) || vote(c, pid, 0, b, "no", "Name the asset classes in the milestones first."))
		return 1;
	/* in drafting, with comments to answer (R16) */
	if (!(dr = story_wr(c, tgg, pid[1], "TGG and DMTF: liquid cooling", "Management of **liquid cooling** loops.", ac)) ||
	    as_act(c, pid, 7, "comment.add", dr, json_pack("{ss}", "text", "Please add the coolant distribution units to the scope."), NULL) ||
	    as_act(c, pid, 2, "comment.add", dr, json_pack("{ss}", "text", "Which committee reviews the cooling profiles?"), NULL))
		return 1;
	return 0;
}

/* ---- issue 25: every stage of the process, for a newcomer to see ---- */

/* action on the sub-record sub of record id, body taken. */
static int act_sub(struct cli *c, const char *action, int64_t id, int64_t sub, json_t *body)
{
	char sid[24], ssub[24];
	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	snprintf(ssub, sizeof(ssub), "%lld", (long long)sub);
	json_t *params = json_pack("{ss ss}", "id", sid, "sub_id", ssub);
	int ret = cli_call(c, action, params, body, NULL);
	json_decref(params);
	json_decref(body);
	return ret;
}

/* Socialized, submitted, and approved by the Alliance Committee's three. */
static int through_committee(struct cli *c, const int64_t *pid, int64_t wr, int64_t ac)
{
	if (as_act(c, pid, 1, "wr.socialize", wr, NULL, NULL) || as_act(c, pid, 1, "wr.submit", wr, NULL, NULL))
		return 1;
	int64_t b = open_ballot(c, wr, ac);
	return vote(c, pid, 2, b, "yes", NULL) || vote(c, pid, 0, b, "yes", NULL) || vote(c, pid, 1, b, "yes", NULL);
}

/* The Board's ballot scheduled by the Executive Committee; yes votes from
 * the Board's members, when votes. */
static int through_board(struct cli *c, const int64_t *pid, int64_t wr, int votes)
{
	if (as_act(c, pid, 4, "wr.schedule_board", wr, NULL, NULL))
		return 1;
	int64_t b = open_ballot(c, wr, find(c, "body.list", "name", "Board of Directors"));
	return votes && (vote(c, pid, 4, b, "yes", NULL) || vote(c, pid, 0, b, "yes", NULL));
}

/* The resolution (dated on the call's clock, R7), sent, accepted by TGG. */
static int resolve(struct cli *c, const int64_t *pid, int64_t wr)
{
	char buf[16];
	time_t now = time(NULL) + c->now_offset;
	strftime(buf, sizeof(buf), "%Y-%m-%d", gmtime(&now));
	return as_act(c, pid, 0, "wr.record_resolution", wr, json_pack("{ss ss}", "resolution",
		      "RESOLVED, that the Board approves this alliance with The Green Grid.", "approval_date", buf), NULL);
}

static int establish(struct cli *c, const int64_t *pid, int64_t wr, int64_t ac)
{
	return through_committee(c, pid, wr, ac) || through_board(c, pid, wr, 1) || resolve(c, pid, wr) ||
	       as_act(c, pid, 1, "wr.send_to_partner", wr, NULL, NULL) || as_act(c, pid, 7, "wr.accept", wr, NULL, NULL);
}

/* Removal recommended (R30, R31), scheduled, and decided when votes. */
static int removal(struct cli *c, const int64_t *pid, int64_t wr, const char *reason, int schedule, int votes)
{
	if (as_act(c, pid, 0, "wr.recommend_removal", wr, json_pack("{ss ss}", "reason", reason, "detail",
		   "The partner asked to end this work."), NULL) ||
	    (schedule && as_act(c, pid, 0, "wr.schedule_removal", wr, NULL, NULL)))
		return 1;
	if (!votes)
		return 0;
	int64_t b = open_ballot(c, wr, find(c, "body.list", "name", "Board of Directors"));
	return vote(c, pid, 4, b, "yes", NULL) || vote(c, pid, 0, b, "yes", NULL);
}

/* Every milestone of wr complete (R32: a dissolution's condition). */
static int milestones_done(struct cli *c, const int64_t *pid, int64_t wr)
{
	json_t *doc = NULL, *m;
	size_t i;
	if (act(c, "wr.get", wr, NULL, &doc))
		return 1;
	int bad = 0;
	json_array_foreach(json_object_get(doc, "milestones"), i, m) {
		c->as_person = pid[1];
		bad = bad || act_sub(c, "milestone.progress", wr, json_integer_value(json_object_get(m, "id")), json_pack("{ss}", "status", "complete"));
		c->as_person = 0;
	}
	json_decref(doc);
	return bad;
}

/* A WR at each stage of the lifecycle the story has not shown, one whose
 * update is overdue (established 25 months ago: the calls' clock set back
 * for its story), the Board's ballot of one short of its quorum. */
static int demo_stages(struct cli *c, const int64_t *pid, int64_t tgg, int64_t ac)
{
	int64_t w;
	const char *scope = "A management model for this part of the data center.";
#define STAGE(title) (w = story_wr(c, tgg, pid[1], "TGG and DMTF: " title, scope, ac))
	if (!STAGE("rack power distribution") || as_act(c, pid, 1, "wr.socialize", w, NULL, NULL) ||
	    !STAGE("airflow management") || through_committee(c, pid, w, ac) ||
	    !STAGE("energy efficiency metrics") || through_committee(c, pid, w, ac) || through_board(c, pid, w, 0) ||
	    !STAGE("battery backup monitoring") || through_committee(c, pid, w, ac) || through_board(c, pid, w, 1) ||
	    !STAGE("environmental sensors") || through_committee(c, pid, w, ac) || through_board(c, pid, w, 1) || resolve(c, pid, w) ||
	    as_act(c, pid, 1, "wr.send_to_partner", w, NULL, NULL) ||
	    !STAGE("power capping") || establish(c, pid, w, ac) || removal(c, pid, w, "not_maintained", 0, 0) ||
	    !STAGE("legacy facility models") || establish(c, pid, w, ac) || removal(c, pid, w, "disbanded", 1, 0) ||
	    !STAGE("thermal models of 2019") || establish(c, pid, w, ac) || removal(c, pid, w, "disbanded", 1, 1) ||
	    !STAGE("cooling tower telemetry") || establish(c, pid, w, ac) || milestones_done(c, pid, w) ||
	    removal(c, pid, w, "dissolution", 1, 1) ||
	    !STAGE("lighting") || as_act(c, pid, 0, "wr.withdraw", w, json_pack("{ss}", "note", "TGG does not pursue it."), NULL))
		return 1;
	c->now_offset = -(int64_t)(25 * 30 + 12) * 86400; /* about 25 months ago */
	int bad = !STAGE("facility power monitoring") || establish(c, pid, w, ac);
	c->now_offset = 0;
#undef STAGE
	return bad;
}

/* A change request at every state (R42-R44), a meeting halted by a refusal
 * of the IP policy and one resumed once the one who refused left (R49). */
static int demo_feedback_stages(struct cli *c, const int64_t *pid, int64_t snia)
{
	int64_t dsp = find(c, "dmtf_standard.list", "dsp", "DSP0200"), tc = find(c, "body.list", "name", "Technical Committee");
	static const char *const ends[] = { "submitted", "under_review", "accepted", "rejected", "withdrawn" };
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		char section[40];
		snprintf(section, sizeof(section), "7.%zu", i + 1);
		c->as_person = pid[6];
		int64_t cr = cli_make(c, "cr.create", NULL, json_pack("{sI ss ss ss ss ss sb}", "dmtf_standard_id", (json_int_t)dsp,
			"standard_version", "1.4.0", "section", section, "problem", "The text leaves the behaviour open.",
			"proposed_change", "State the behaviour.", "rationale", "Two implementations differ.", "attests", 1));
		c->as_person = 0;
		if (!cr)
			return 1;
		const char *end = ends[i];
		if (!strcmp(end, "withdrawn") && as_act(c, pid, 6, "cr.withdraw", cr, json_pack("{ss}", "reason", "Resolved elsewhere."), NULL))
			return 1;
		if ((!strcmp(end, "under_review") || !strcmp(end, "accepted") || !strcmp(end, "rejected")) &&
		    as_act(c, pid, 3, "cr.review", cr, NULL, NULL))
			return 1;
		if (!strcmp(end, "accepted") && as_act(c, pid, 3, "cr.accept", cr, json_pack("{ss}", "reason", "Clarified in the next release."), NULL))
			return 1;
		if (!strcmp(end, "rejected") && as_act(c, pid, 3, "cr.reject", cr, json_pack("{ss}", "reason", "The behaviour is intended."), NULL))
			return 1;
	}
	for (int resumed = 0; resumed < 2; resumed++) {
		int64_t m = cli_make(c, "meeting.create", NULL, json_pack("{sI sI ss ss ss ss ss ss}", "body_id", (json_int_t)tc, "partner_id",
			(json_int_t)snia, "title", resumed ? "SNIA schema review (resumed)" : "SNIA schema review (halted)", "starts_at",
			"2027-02-11T16:00", "ends_at", "2027-02-11T17:00", "time_zone", "Europe/Berlin", "kind", "teleconference", "agenda",
			"1. The schema changes"));
		json_t *doc = NULL, *p;
		size_t i;
		int64_t olga = 0;
		if (!m || act(c, "participant.add", m, json_pack("{ss ss ss}", "name", "Olga Ortega", "email", "olga@acme.example", "organization",
							     "Acme Storage"), NULL) ||
		    act(c, "meeting.announce", m, NULL, NULL) || act(c, "meeting.open", m, json_pack("{sb}", "ip_policy_read", 1), NULL) ||
		    act(c, "meeting.get", m, NULL, &doc))
			return 1;
		json_array_foreach(json_object_get(doc, "participants"), i, p)
			if (!strcmp(json_string_value(json_object_get(p, "email")), "olga@acme.example"))
				olga = json_integer_value(json_object_get(p, "id"));
		json_decref(doc);
		if (!olga || act_sub(c, "participant.update", m, olga, json_pack("{sb ss}", "present", 1, "ip_ack", "declined")) ||
		    (resumed && (act_sub(c, "participant.update", m, olga, json_pack("{sb}", "left", 1)) ||
				 act(c, "meeting.record", m, json_pack("{ss ss}", "kind", "minutes", "text",
				     "Resumed once Olga Ortega had left (R49). The schema changes were read."), NULL))))
			return 1;
	}
	return 0;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	int64_t pid[sizeof(people) / sizeof(*people)], snia, tgg, tc, ac, wg, wr;
	(void)argc;
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: entente demo [--story]\n\nAdds partners (SNIA, TGG), people with the password '%s', their seats,\n"
		       "Work Registers to try the process with, a change request and a joint meeting.\n"
		       "--story adds WRs at every stage of the lifecycle: established (on the public site, its review\n"
		       "due; another's overdue), in a committee ballot with votes, a Board ballot short of its quorum,\n"
		       "in drafting with open comments, withdrawn, removed, dissolved; a change request at every\n"
		       "state; a joint meeting halted and one resumed.\n", DEMO_PASSWORD);
		return 0;
	}
	if (!(snia = cli_make(c, "org.create", NULL, json_pack("{ss ss ss}", "name", "Storage Networking Industry Association",
							       "short_name", "SNIA", "website", "https://www.snia.org"))) ||
	    !(tgg = cli_make(c, "org.create", NULL, json_pack("{ss ss ss}", "name", "The Green Grid", "short_name", "TGG",
							      "website", "https://www.thegreengrid.org"))) ||
	    !(tc = find(c, "body.list", "name", "Technical Committee")) || !(ac = find(c, "body.list", "name", "Alliance Committee")))
		return 1;
	int64_t host = find(c, "org.list", "short_name", "DMTF");
	if (!host)
		return 1;
	/* the seats and offices began three years ago: the story has an
	 * alliance established before today (issue 25) */
	char since[16];
	time_t then = time(NULL) - (time_t)3 * 365 * 86400;
	strftime(since, sizeof(since), "%Y-%m-%d", gmtime(&then));
	for (size_t i = 0; i < sizeof(people) / sizeof(*people); i++) {
		const struct demo_person *p = &people[i];
		int64_t org = !strcmp(p->org, "DMTF") ? host : !strcmp(p->org, "SNIA") ? snia : tgg;
		pid[i] = cli_make(c, "person.create", NULL, json_pack("{ss ss sI sb}", "name", p->name, "email", p->email,
								      "org_id", (json_int_t)org, "dmtf_member", p->member));
		if (!pid[i] || cli_call_take(c, "password.set", json_pack("{ss ss}", "email", p->email, "password", DEMO_PASSWORD)))
			return 1;
		if (p->officer && !cli_make(c, "officer.add", NULL, json_pack("{sI ss ss}", "person_id", (json_int_t)pid[i], "role", p->officer,
									       "start_date", since)))
			return 1;
	}
	for (size_t i = 0; i < sizeof(seats) / sizeof(*seats); i++) {
		int64_t body = find(c, "body.list", "name", seats[i].body);
		char sb[24];
		snprintf(sb, sizeof(sb), "%lld", (long long)body);
		if (!body || !cli_make(c, "member.add", json_pack("{ss}", "id", sb),
				       json_pack("{sI ss ss}", "person_id", (json_int_t)pid[seats[i].who], "role", seats[i].role, "start_date", since)))
			return 1;
	}
	if (!(wg = cli_make(c, "body.create", NULL, json_pack("{ss ss sI}", "name", "Storage Management Working Group",
							   "kind", "working_group", "parent_id", (json_int_t)tc))))
		return 1;
	/* R44: the register of DMTF standards that change requests name */
	static const struct { const char *dsp, *title, *version; int wg; } dsps[] = {
		{ "DSP0004", "CIM Infrastructure Specification", "2.8.0", 0 },
		{ "DSP0200", "CIM Operations over HTTP", "1.4.0", 0 },
		{ "DSP1001", "Management Profile Specification Usage Guide", "1.2.0", 0 },
		{ "DSP1033", "Profile Registration Profile", "1.1.0", 1 },
	};
	for (size_t i = 0; i < sizeof(dsps) / sizeof(*dsps); i++)
		if (!cli_make(c, "dmtf_standard.create", NULL, json_pack("{ss ss ss sI}", "dsp", dsps[i].dsp, "title", dsps[i].title,
									 "version", dsps[i].version, "body_id", (json_int_t)(dsps[i].wg ? wg : tc))))
			return 1;
	if (!cli_make(c, "dmtf_standard.create", NULL, json_pack("{ss ss ss sI}", "dsp", "DSP4003", "title", "Alliance Partner Process",
								 "version", "1.3.0", "body_id", (json_int_t)ac)))
		return 1;
	wr = cli_make(c, "wr.create", NULL, json_pack("{sI ss sI ss ss ss}", "partner_id", (json_int_t)snia,
		"title", "SNIA and DMTF: storage management standards", "owner_id", (json_int_t)pid[1],
		"scope", "Joint development of **storage management** models that build on CIM.",
		"benefits", "One model for storage and server management; fewer redundant efforts.",
		"deliverables", "- Storage schema contributed to the CIM schema\n- Storage device profiles maintained by SNIA"));
	/* R35: the organization's delegation rules, and SNIA's agreement to
	 * them before it takes delegated work in Table 1 */
	if (!wr || cli_call_take(c, "settings.update", json_pack("{ss}", "delegation_rules_text",
		"A delegated standard is developed by the partner under its own process, builds on DMTF technologies without "
		"changing them, is offered to the DMTF for review before each release, and names the DMTF specifications it "
		"depends on.")))
		return 1;
	c->as_person = pid[6];
	int agreed = act(c, "delegation.agree", wr, json_pack("{si}", "rules_version", 1), NULL);
	c->as_person = 0;
	if (agreed ||
	    !cli_make(c, "milestone.add", wr_params(wr), json_pack("{ss sI sI ss}", "description", "Storage schema submitted to DMTF",
		"body_id", (json_int_t)tc, "wg_id", (json_int_t)wg, "target_date", "2027-06-30")) ||
	    !cli_make(c, "milestone.add", wr_params(wr), json_pack("{ss sI ss}", "description", "Joint review of the Work Register",
		"body_id", (json_int_t)ac, "target_date", "2027-12-31")) ||
	    !cli_make(c, "contact.add", wr_params(wr), json_pack("{ss ss ss}", "name", "Sam Patel", "email", "sam@snia.example", "role", "board_rep")) ||
	    !cli_make(c, "contact.add", wr_params(wr), json_pack("{ss ss ss}", "name", "SNIA press office", "email", "press@snia.example", "role", "pr")) ||
	    /* Table 2 of the seed, with SNIA for XYZ */
	    !cli_make(c, "standard.add", wr_params(wr), json_pack("{ss ss ss ss ss ss ss ss ss ss}", "kind", "joint",
		"standard_type", "schema", "ap_id", "snia_schema", "description", "schema", "domain", "Storage", "lead_org", "SNIA",
		"ip_policy", "DMTF", "owning_org", "DMTF", "developing_org", "partner", "maintaining_org", "DMTF")) ||
	    !cli_make(c, "standard.add", wr_params(wr), json_pack("{ss ss ss ss ss ss ss ss ss ss sb}", "kind", "delegated",
		"standard_type", "profile", "ap_id", "Storage Device Profiles", "description", "Profile group", "domain", "Storage",
		"lead_org", "SNIA", "ip_policy", "partner", "owning_org", "partner", "developing_org", "partner",
		"maintaining_org", "partner", "is_group", 1)))
		return 1;
	/* R10: TGG's proposal, made by Greta Green for its board, recorded by the operator */
	if (!cli_make(c, "wr.create", NULL, json_pack("{sI ss ss sI ss}", "partner_id", (json_int_t)tgg, "title",
		"TGG and DMTF: data center facilities", "proposed_by", "partner", "proposer_id", (json_int_t)pid[7],
		"scope", "Management of non-IT data center equipment and facilities.")))
		return 1;
	if (demo_feedback(c, pid[6], pid[3]))
		return 1;
	if (argc > 1 && !strcmp(argv[1], "--story") &&
	    (demo_story(c, pid, tgg, ac) || demo_stages(c, pid, tgg, ac) || demo_feedback_stages(c, pid, snia)))
		return 1;
	printf("demo data added; every demo account's password is %s\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof(people) / sizeof(*people); i++)
		printf("  %-24s %-12s %s\n", people[i].email, people[i].org, people[i].name);
	return 0;
}
