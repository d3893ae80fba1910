/* Time zones by their IANA names, as libical knows them (the same zones
 * the calendars convert with, http/ical.c). */
#ifndef ENTENTE_TZ_H
#define ENTENTE_TZ_H

/* 1 when name is a time zone libical knows ("Europe/Berlin", "UTC"), else 0. */
int tz_known(const char *name);

#endif
