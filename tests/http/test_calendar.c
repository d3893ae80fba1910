/* Issue 10: calendars. A person's secret iCalendar feed and the public
 * one, read back with libical's own parser: stable UIDs, a SEQUENCE that
 * grows when an event moves, a secret address that rotates. Story demo:
 * WR 3 (TGG) established with its review due, WR 4 in the Alliance
 * Committee's ballot (Owen may vote), milestones; meeting 1 (the Technical
 * Committee with SNIA). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "http/client.h"

#define OWNER "owner@dmtf.example"
#define TC "tc@dmtf.example"
#define VP "vp@dmtf.example"
#define GRETA "greta@tgg.example"

static struct server S;

/* The VEVENT of a uid in an iCalendar text (parsed), or NULL. */
static icalcomponent *event_of(icalcomponent *cal, const char *uid)
{
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (!strcmp(icalcomponent_get_uid(ev), uid))
			return ev;
	return NULL;
}

static icalcomponent *fetch(const char *path)
{
	struct resp r = req(&S, "GET", path, NULL, NULL, NULL);
	expect_status(r, 200);
	assert_string_equal(r.ctype, "text/calendar; charset=utf-8");
	icalcomponent *cal = icalparser_parse_string(r.raw);
	resp_free(&r);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	return cal;
}

static char *feed_of(const char *who)
{
	struct resp r = as(&S, who, "POST", "/api/v1/me/calendar", NULL);
	expect_status(r, 201);
	char *url = strdup(jstr(r.json, "url"));
	resp_free(&r);
	return url;
}

static void test_calendars(void **state)
{
	(void)state;
	char out[256], path[96];
	server_init(&S, 0);
	assert_int_equal(cli(&S, out, sizeof(out), "demo --story"), 0);
	server_start(&S, NULL);
	struct resp r = req(&S, "GET", "/calendar/0123456789abcdef.ics", NULL, NULL, NULL);
	expect_status(r, 404); /* no such secret */
	resp_free(&r);

	/* Owen's dates: his WR's review, its milestones, the ballot he may vote in */
	char *url = feed_of(OWNER);
	assert_non_null(strstr(url, "/calendar/"));
	icalcomponent *cal = fetch(url);
	r = as(&S, OWNER, "GET", "/api/v1/work-registers/3", NULL);
	char due[16];
	snprintf(due, sizeof(due), "%s", jstr(r.json, "next_review_date"));
	long long milestone = jint(r.json, "milestones.0.id");
	resp_free(&r);
	icalcomponent *review = event_of(cal, "review-3@entente");
	assert_non_null(review);
	struct icaltimetype d = icalcomponent_get_dtstart(review);
	assert_true(d.is_date);
	snprintf(out, sizeof(out), "%04d-%02d-%02d", d.year, d.month, d.day);
	assert_string_equal(out, due);
	int seq1 = icalproperty_get_sequence(icalcomponent_get_first_property(review, ICAL_SEQUENCE_PROPERTY));
	snprintf(path, sizeof(path), "milestone-%lld@entente", milestone);
	assert_non_null(event_of(cal, path));
	r = as(&S, OWNER, "GET", "/api/v1/ballots?status=open", NULL);
	long long ballot = jint(r.json, "items.0.id"), deadline = jtime(r.json, "items.0.deadline");
	resp_free(&r);
	snprintf(path, sizeof(path), "ballot-%lld@entente", ballot);
	icalcomponent *b = event_of(cal, path);
	assert_non_null(b);
	assert_true(icaltime_is_utc(icalcomponent_get_dtstart(b)));
	assert_int_equal((long long)icaltime_as_timet(icalcomponent_get_dtstart(b)), deadline);
	/* a moment: no DTEND equal to its DTSTART (RFC 5545 3.6.1; issue 21, 13) */
	assert_null(icalcomponent_get_first_property(b, ICAL_DTEND_PROPERTY));
	icalcomponent_free(cal);

	/* the target date of Owen's draft (section 2.2), while it is drafted */
	r = as(&S, VP, "GET", "/api/v1/work-registers?status=drafting&owner_id=3", NULL);
	long long drafted = jint(r.json, "items.0.id");
	resp_free(&r);
	assert_true(drafted > 0);
	snprintf(path, sizeof(path), "/api/v1/work-registers/%lld", drafted);
	char etag[64], target[16];
	etag_of(&S, VP, path, etag);
	time_t later = time(NULL) + 30 * 86400;
	strftime(target, sizeof(target), "%Y-%m-%d", gmtime(&later));
	r = as_if(&S, VP, "PATCH", path, etag, "{ss}", "drafting_target_date", target);
	expect_status(r, 200);
	resp_free(&r);
	cal = fetch(url);
	snprintf(path, sizeof(path), "drafting-%lld@entente", drafted);
	icalcomponent *target_ev = event_of(cal, path);
	assert_non_null(target_ev);
	d = icalcomponent_get_dtstart(target_ev);
	snprintf(out, sizeof(out), "%04d-%02d-%02d", d.year, d.month, d.day);
	assert_string_equal(out, target);
	icalcomponent_free(cal);

	/* the review recorded: the date moves, the UID stays, SEQUENCE grows */
	r = as(&S, OWNER, "POST", "/api/v1/work-registers/3/record-review", "{ss}", "summary", "Reviewed: on track");
	expect_status(r, 200);
	resp_free(&r);
	cal = fetch(url);
	review = event_of(cal, "review-3@entente");
	assert_non_null(review);
	d = icalcomponent_get_dtstart(review);
	snprintf(out, sizeof(out), "%04d-%02d-%02d", d.year, d.month, d.day);
	assert_string_not_equal(out, due);
	assert_true(icalproperty_get_sequence(icalcomponent_get_first_property(review, ICAL_SEQUENCE_PROPERTY)) > seq1);
	icalcomponent_free(cal);

	/* a joint meeting, in UTC, for the Technical Committee's chair; not for TGG */
	char *tc = feed_of(TC);
	cal = fetch(tc);
	icalcomponent *m = event_of(cal, "meeting-1@entente");
	assert_non_null(m);
	assert_true(icaltime_is_utc(icalcomponent_get_dtstart(m)));
	assert_true(icaltime_compare(icalcomponent_get_dtend(m), icalcomponent_get_dtstart(m)) > 0);
	/* an invitation is an announcement: it carries the IP policy (R46) */
	assert_non_null(strstr(icalcomponent_get_description(m), "DMTF IP policy"));
	icalcomponent_free(cal);
	/* a meeting not (yet) announced, as when its announcement was refused
	 * for want of an IP policy, is in nobody's calendar (issue 21, 13) */
	r = as(&S, TC, "POST", "/api/v1/meetings", "{si si ss ss ss ss ss}", "body_id", 4, "partner_id", 2, "title", "Not announced",
	       "starts_at", "2030-01-10T15:00", "ends_at", "2030-01-10T16:00", "time_zone", "Europe/Berlin", "kind", "teleconference");
	expect_status(r, 201);
	snprintf(path, sizeof(path), "meeting-%lld@entente", jint(r.json, "id"));
	resp_free(&r);
	cal = fetch(tc);
	assert_null(event_of(cal, path));
	icalcomponent_free(cal);
	char *greta = feed_of(GRETA);
	cal = fetch(greta);
	assert_non_null(event_of(cal, "review-3@entente")); /* her organization's WR */
	assert_null(event_of(cal, "meeting-1@entente"));   /* SNIA's meeting */
	icalcomponent_free(cal);

	/* rotating the secret ends the old address */
	char *again = feed_of(OWNER);
	assert_string_not_equal(again, url);
	r = req(&S, "GET", url, NULL, NULL, NULL);
	expect_status(r, 404);
	resp_free(&r);
	icalcomponent_free(fetch(again));
	r = req(&S, "POST", "/api/v1/me/calendar", NULL, NULL, NULL);
	expect_status(r, 401);
	resp_free(&r);

	/* the public calendar: the published review dates, nothing private */
	cal = fetch("/registers/calendar.ics");
	assert_non_null(event_of(cal, "review-3@entente"));
	snprintf(path, sizeof(path), "ballot-%lld@entente", ballot);
	assert_null(event_of(cal, path));
	snprintf(path, sizeof(path), "milestone-%lld@entente", milestone);
	assert_null(event_of(cal, path));
	icalcomponent_free(cal);
	free(url);
	free(tc);
	free(greta);
	free(again);
	assert_int_equal(server_finish(&S), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
