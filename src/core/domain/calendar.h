/* Calendars (issue 10): what a person's iCalendar feed holds (their
 * ballots' deadlines, the review dates and milestones of their WRs, their
 * joint meetings) and the public one (the published review dates), as
 * events; the server writes them as RFC 5545 with libical (http/ical.c).
 * A person's feed is reached by a secret token in its address, kept as its
 * hash, which the person rotates. Each event's UID is stable; its SEQUENCE
 * grows whenever the record it comes from changes, so a moved event
 * replaces the old one in a calendar client. */
#ifndef ENTENTE_CORE_DOMAIN_CALENDAR_H
#define ENTENTE_CORE_DOMAIN_CALENDAR_H

#include "core/engine/ctx.h"

/* calendar.c: the calendar feeds */
int core__calendar_rotate(struct ctx *x, struct err *e);
int core__calendar_person(struct ctx *x, struct err *e);
int core__calendar_public(struct ctx *x, struct err *e);

#endif
