/* The route table: method and path to a core action. The permissions are
 * not here but in the action table (core/actions.c). The steps of the
 * process tables are not listed: http_routes() derives theirs, POST
 * <collection>/{id}/<step>, from core (core_step_refs). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "http/http.h"

#define WR "/api/v1/work-registers/{id}"
#define SECTION(path, name) \
	{ "GET", WR "/" path, name ".list", RF_NONE }, \
	{ "POST", WR "/" path, name ".add", RF_NONE }, \
	{ "PATCH", WR "/" path "/{sub_id}", name ".update", RF_NONE }, \
	{ "DELETE", WR "/" path "/{sub_id}", name ".delete", RF_NONE }

#define AM WR "/amendments/{sub_id}"

const struct route http__routes[] = {
	{ "GET", "/healthz", "healthz", RF_RAW },
	{ "GET", "/metrics", "metrics.read", RF_TEXT },
	{ "GET", "/api/v1/openapi.json", "openapi", RF_RAW },
	{ "GET", "/registers", "public.list", RF_HTML },
	{ "GET", "/registers/feed.atom", "public.feed", RF_HTML },
	{ "GET", "/registers/calendar.ics", "calendar.public", RF_HTML },
	{ "GET", "/registers/checkpoints", "checkpoint.list", RF_HTML },
	{ "GET", "/registers/checkpoints.atom", "checkpoint.list", RF_HTML },
	{ "GET", "/api/v1/checkpoints", "checkpoint.list", RF_NONE },
	{ "GET", "/registers/{id}", "public.get", RF_HTML },
	{ "GET", "/registers/{id}/diff", "public.diff", RF_HTML },
	{ "GET", "/calendar/{id}", "calendar.person", RF_HTML },
	{ "POST", "/api/v1/session", "session.create", RF_NONE },
	{ "DELETE", "/api/v1/session", "session.delete", RF_NONE },
	{ "GET", "/api/v1/me", "me.get", RF_NONE },
	/* issue 24: accounts */
	{ "GET", "/api/v1/me/sessions", "session.list", RF_NONE },
	{ "DELETE", "/api/v1/me/sessions/{id}", "session.end", RF_NONE },
	{ "POST", "/api/v1/me/password", "password.change", RF_NONE },
	{ "GET", "/api/v1/me/export", "me.export", RF_NONE },
	{ "POST", "/api/v1/me/two-factor", "totp.enrol", RF_NONE },
	{ "POST", "/api/v1/me/two-factor/confirm", "totp.confirm", RF_NONE },
	{ "POST", "/api/v1/me/two-factor/disable", "totp.disable", RF_NONE },
	{ "POST", "/api/v1/me/two-factor/recovery-codes", "recovery.renew", RF_NONE },
	{ "POST", "/api/v1/password-resets", "password.forgot", RF_NONE },
	{ "POST", "/api/v1/account-links/check", "link.check", RF_NONE },
	{ "POST", "/api/v1/account-links/use", "link.use", RF_NONE },
	{ "GET", "/api/v1/invitations", "invitation.list", RF_NONE },
	{ "POST", "/api/v1/invitations", "invitation.create", RF_NONE },
	{ "POST", "/api/v1/invitations/{id}/resend", "invitation.resend", RF_NONE },
	{ "POST", "/api/v1/invitations/{id}/revoke", "invitation.revoke", RF_NONE },
	{ "POST", "/api/v1/people/{id}/end-sessions", "person.sessions_end", RF_NONE },
	{ "POST", "/api/v1/people/{id}/two-factor/reset", "totp.reset", RF_NONE },
	{ "PATCH", "/api/v1/me", "me.update", RF_NONE },
	{ "POST", "/api/v1/me/calendar", "me.calendar", RF_NONE },
	{ "GET", "/api/v1/organizations", "org.list", RF_NONE },
	{ "POST", "/api/v1/organizations", "org.create", RF_NONE },
	{ "GET", "/api/v1/organizations/{id}", "org.get", RF_NONE },
	{ "PATCH", "/api/v1/organizations/{id}", "org.update", RF_NONE },
	{ "GET", "/api/v1/people", "person.list", RF_NONE },
	{ "POST", "/api/v1/people", "person.create", RF_NONE },
	{ "GET", "/api/v1/people/{id}", "person.get", RF_NONE },
	{ "PATCH", "/api/v1/people/{id}", "person.update", RF_NONE },
	{ "GET", "/api/v1/officers", "officer.list", RF_NONE },
	{ "POST", "/api/v1/officers", "officer.add", RF_NONE },
	{ "PATCH", "/api/v1/officers/{id}", "officer.update", RF_NONE },
	{ "GET", "/api/v1/bodies", "body.list", RF_NONE },
	{ "POST", "/api/v1/bodies", "body.create", RF_NONE },
	{ "GET", "/api/v1/bodies/{id}", "body.get", RF_NONE },
	{ "PATCH", "/api/v1/bodies/{id}", "body.update", RF_NONE },
	{ "GET", "/api/v1/bodies/{id}/members", "member.list", RF_NONE },
	{ "POST", "/api/v1/bodies/{id}/members", "member.add", RF_NONE },
	{ "PATCH", "/api/v1/bodies/{id}/members/{sub_id}", "member.update", RF_NONE },
	{ "GET", "/api/v1/work-registers", "wr.list", RF_NONE },
	{ "POST", "/api/v1/work-registers", "wr.create", RF_NONE },
	{ "GET", WR, "wr.get", RF_NONE },
	{ "PATCH", WR, "wr.update", RF_NONE },
	SECTION("milestones", "milestone"),
	SECTION("contacts", "contact"),
	SECTION("standards", "standard"),
	{ "POST", WR "/standards/{sub_id}/replace", "standard.replace", RF_NONE },
	{ "GET", WR "/versions", "version.list", RF_NONE },
	{ "GET", WR "/diff", "wr.diff", RF_NONE },
	{ "GET", WR "/versions/{sub_id}", "version.get", RF_NONE },
	{ "GET", WR "/history", "history.list", RF_NONE },
	{ "GET", "/api/v1/standard-types", "standard_type.list", RF_NONE },
	{ "POST", "/api/v1/standard-types", "standard_type.create", RF_NONE },
	{ "GET", "/api/v1/standard-types/{id}", "standard_type.get", RF_NONE },
	{ "PATCH", "/api/v1/standard-types/{id}", "standard_type.update", RF_NONE },
	{ "DELETE", "/api/v1/standard-types/{id}", "standard_type.delete", RF_NONE },
	{ "GET", "/api/v1/overlaps", "overlap.list", RF_NONE },
	{ "GET", "/api/v1/delegation-rules", "delegation_rules.get", RF_NONE },
	{ "POST", WR "/delegation-agreement", "delegation.agree", RF_NONE },
	{ "GET", "/api/v1/dmtf-standards", "dmtf_standard.list", RF_NONE },
	{ "POST", "/api/v1/dmtf-standards", "dmtf_standard.create", RF_NONE },
	{ "GET", "/api/v1/dmtf-standards/{id}", "dmtf_standard.get", RF_NONE },
	{ "PATCH", "/api/v1/dmtf-standards/{id}", "dmtf_standard.update", RF_NONE },
	/* change requests and joint meetings (core/cr.c, core/meeting.c) */
	{ "GET", "/api/v1/change-requests", "cr.list", RF_NONE },
	{ "POST", "/api/v1/change-requests", "cr.create", RF_NONE },
	{ "GET", "/api/v1/change-requests/{id}", "cr.get", RF_NONE },
	{ "GET", "/api/v1/change-requests/{id}/actions", "cr.actions", RF_NONE },
	{ "POST", "/api/v1/change-requests/{id}/messages", "cr.message", RF_NONE },
	{ "GET", "/api/v1/meetings", "meeting.list", RF_NONE },
	{ "POST", "/api/v1/meetings", "meeting.create", RF_NONE },
	{ "GET", "/api/v1/meetings/{id}", "meeting.get", RF_NONE },
	{ "GET", "/api/v1/meetings/{id}/actions", "meeting.actions", RF_NONE },
	{ "POST", "/api/v1/meetings/{id}/participants", "participant.add", RF_NONE },
	{ "PATCH", "/api/v1/meetings/{id}/participants/{sub_id}", "participant.update", RF_NONE },
	{ "POST", "/api/v1/meetings/{id}/records", "meeting.record", RF_NONE },
	{ "GET", "/api/v1/process", "process.show", RF_NONE },
	{ "GET", WR "/actions", "wr.actions", RF_NONE },
	{ "POST", "/api/v1/markdown", "markdown.render", RF_NONE },
	{ "GET", "/api/v1/ballots", "ballot.list", RF_NONE },
	{ "GET", "/api/v1/ballots/{id}", "ballot.get", RF_NONE },
	{ "POST", "/api/v1/ballots/{id}/votes", "ballot.vote", RF_NONE },
	{ "GET", "/api/v1/ballots/{id}/receipts", "ballot.receipts", RF_NONE },
	{ "POST", "/api/v1/ballots/{id}/receipt-check", "ballot.receipt_check", RF_NONE },
	{ "GET", WR "/comments", "comment.list", RF_NONE },
	{ "POST", WR "/comments", "comment.add", RF_NONE },
	{ "POST", WR "/comments/{sub_id}/resolve", "comment.resolve", RF_NONE },
	{ "POST", WR "/milestones/{sub_id}/progress", "milestone.progress", RF_NONE },
	{ "GET", WR "/amendments", "amendment.list", RF_NONE },
	{ "POST", WR "/amendments", "amendment.create", RF_NONE },
	{ "GET", AM, "amendment.get", RF_NONE },
	{ "POST", AM "/classify", "amendment.classify", RF_NONE },
	{ "POST", AM "/accept", "amendment.accept", RF_NONE },
	{ "POST", AM "/refuse", "amendment.refuse", RF_NONE },
	{ "POST", AM "/withdraw", "amendment.withdraw", RF_NONE },
	{ "GET", "/api/v1/tasks", "task.list", RF_NONE },
	{ "POST", "/api/v1/tasks/{id}/complete", "task.complete", RF_NONE },
	{ "GET", "/api/v1/me/tasks", "me.tasks", RF_NONE },
	{ "GET", "/api/v1/reviews", "review.list", RF_NONE },
	{ "GET", "/api/v1/portfolio", "portfolio.show", RF_NONE },
	{ "POST", "/api/v1/scheduler/run", "scheduler.run", RF_NONE },
	{ "GET", "/api/v1/notification-rules", "notify_rule.list", RF_NONE },
	{ "POST", "/api/v1/notification-rules", "notify_rule.add", RF_NONE },
	{ "DELETE", "/api/v1/notification-rules/{id}", "notify_rule.delete", RF_NONE },
	{ "GET", "/api/v1/audit/verify", "audit.verify", RF_NONE },
	{ "GET", "/api/v1/audit/head", "audit.head", RF_NONE },
	{ "GET", "/api/v1/outbox", "outbox.list", RF_NONE },
	{ "GET", "/api/v1/outbox/stats", "outbox.stats", RF_NONE },
	{ "POST", "/api/v1/outbox/{id}/retry", "outbox.retry", RF_NONE },
	{ "GET", "/api/v1/settings", "settings.get", RF_NONE },
	{ "PATCH", "/api/v1/settings", "settings.update", RF_NONE },
	{ "GET", "/api/v1/audit", "audit.list", RF_NONE },
	{ NULL, NULL, NULL, 0 },
};

static struct route all_routes[256];
static char step_patterns[96][128];
static pthread_once_t routes_once = PTHREAD_ONCE_INIT;

static void routes_build(void)
{
	struct core_step_ref refs[96];
	size_t n = 0, k = core_step_refs(refs, sizeof(refs) / sizeof(*refs));
	const size_t max = sizeof(all_routes) / sizeof(*all_routes) - 1;
	for (const struct route *r = http__routes; r->method && n < max; r++)
		all_routes[n++] = *r;
	for (size_t i = 0; i < k && i < sizeof(step_patterns) / sizeof(*step_patterns) && n < max; i++) {
		snprintf(step_patterns[i], sizeof(step_patterns[i]), "%s/{id}/%s", refs[i].collection, refs[i].step);
		all_routes[n++] = (struct route){ "POST", step_patterns[i], refs[i].action, RF_NONE };
	}
	all_routes[n] = (struct route){ 0 };
}

const struct route *http_routes(void)
{
	pthread_once(&routes_once, routes_build);
	return all_routes;
}
