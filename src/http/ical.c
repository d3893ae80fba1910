/* Calendars as RFC 5545 (issue 10): core's events written with libical.
 * Times go out in UTC (a joint meeting's local time converted with its
 * time zone), all-day dates as dates; DTSTAMP is the reply's "now". */
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "http/public.h"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* "2027-03-01T15:00" in zone into UTC; or a null time. */
static struct icaltimetype local_to_utc(const char *when, const char *zone)
{
	char compact[20];
	size_t k = 0;
	for (const char *p = when; *p && k < 15; p++)
		if (*p != '-' && *p != ':')
			compact[k++] = *p;
	while (k < 15)
		compact[k++] = '0'; /* seconds */
	compact[k] = '\0';
	struct icaltimetype t = icaltime_from_string(compact);
	icaltimezone *z = *zone ? icaltimezone_get_builtin_timezone(zone) : NULL;
	if (icaltime_is_null_time(t))
		return t;
	t = icaltime_set_timezone(&t, z ? z : icaltimezone_get_utc_timezone());
	return icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
}

static struct icaltimetype date_of(const char *ymd)
{
	char compact[9];
	size_t k = 0;
	for (const char *p = ymd; *p && k < 8; p++)
		if (*p != '-')
			compact[k++] = *p;
	compact[k] = '\0';
	return icaltime_from_string(compact);
}

const char *http__ical(const json_t *v, struct strbuf *sb)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalproperty *name = icalproperty_new_x(str(v, "name"));
	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//DMTF//entente//EN"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, name);
	struct icaltimetype stamp = icaltime_from_timet_with_zone((time_t)json_integer_value(json_object_get(v, "now")), 0, utc);
	json_t *events = json_object_get(v, "events");
	for (size_t i = 0; i < json_array_size(events); i++) {
		json_t *e = json_array_get(events, i);
		struct icaltimetype start, end;
		if (json_is_true(json_object_get(e, "all_day"))) {
			start = date_of(str(e, "date"));
			end = start;
			icaltime_adjust(&end, 1, 0, 0, 0);
		} else if (json_is_integer(json_object_get(e, "at"))) {
			/* a moment (a ballot's deadline): no DTEND, which RFC 5545
			 * 3.6.1 wants later than DTSTART */
			start = icaltime_from_timet_with_zone((time_t)json_integer_value(json_object_get(e, "at")), 0, utc);
			end = icaltime_null_time();
		} else {
			start = local_to_utc(str(e, "start"), str(e, "time_zone"));
			end = local_to_utc(str(e, "end"), str(e, "time_zone"));
		}
		if (icaltime_is_null_time(start))
			continue;
		icalcomponent *ev = icalcomponent_new_vevent();
		icalcomponent_add_property(ev, icalproperty_new_uid(str(e, "uid")));
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
		icalcomponent_add_property(ev, icalproperty_new_sequence((int)json_integer_value(json_object_get(e, "sequence"))));
		icalcomponent_add_property(ev, icalproperty_new_dtstart(start));
		if (!icaltime_is_null_time(end))
			icalcomponent_add_property(ev, icalproperty_new_dtend(end));
		icalcomponent_add_property(ev, icalproperty_new_summary(str(e, "summary")));
		if (*str(e, "description"))
			icalcomponent_add_property(ev, icalproperty_new_description(str(e, "description")));
		if (*str(e, "location"))
			icalcomponent_add_property(ev, icalproperty_new_location(str(e, "location")));
		icalcomponent_add_component(cal, ev);
	}
	char *text = icalcomponent_as_ical_string_r(cal);
	strbuf_addstr(sb, text ? text : "");
	free(text);
	icalcomponent_free(cal);
	return "text/calendar; charset=utf-8";
}
