/* Small helpers: ISO 8601 time, dates, random ids, hashing, logging. */
#ifndef ENTENTE_UTIL_H
#define ENTENTE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The version of entente (entente --version, /metrics' build info). */
#ifndef ENTENTE_VERSION
#define ENTENTE_VERSION "0.1.0"
#endif

/* "2026-11-24T03:26:18Z" into out (at least 21 bytes). */
void time_iso(int64_t t, char out[21]);
/* "2026-11-24" into out (at least 11 bytes). */
void time_date(int64_t t, char out[11]);
/* 1 when s is a valid calendar date YYYY-MM-DD. */
int date_valid(const char *s);
/* Add months to a YYYY-MM-DD date (day clamped to the month's end). */
void date_add_months(const char *date, int months, char out[11]);
/* Seconds since the epoch of a YYYY-MM-DD date at 00:00 UTC; -1 if invalid. */
int64_t date_epoch(const char *s);
/* Seconds since the epoch of "2026-11-24T03:26:18Z"; -1 for anything else. */
int64_t time_parse_iso(const char *s);

/* n random bytes as 2n lowercase hex characters into out (2n+1 bytes). */
void random_hex(char *out, size_t nbytes);
/* BLAKE2b-256 of s as 64 hex characters (out: 65 bytes). */
void hash_hex(const char *s, char out[65]);
/* Constant-time string equality. */
int secure_streq(const char *a, const char *b);

/* 1 when item is one of the sep-separated entries of list ("a,b,c"). */
int list_has(const char *list, char sep, const char *item);

/* 1 when s is NULL, empty or only white space. */
int text_blank(const char *s);

/* Count UTF-8 code points of a valid UTF-8 string. */
size_t utf8_len(const char *s);

/* s as troff text, for the manual pages: a leading dot or quote made
 * harmless, backslashes and hyphens escaped. */
void roff_text(FILE *f, const char *s);

/* One line to stderr: time, then the message with CR and LF made spaces. */
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Levels (issue 23): a line is written when its level is at most the
 * one set (default LV_INFO); log_line is log_at(LV_INFO, ...). */
enum { LV_ERROR, LV_WARN, LV_INFO, LV_DEBUG };
void log_at(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int log_enabled(int level);
/* The level by name (error, warn, info, debug); -1 for another name. */
int log_level_named(const char *name);
void log_set_level(int level);
/* Standard error to the file at path (appended, 0600), so that every
 * line of the process goes there; again at SIGHUP (logrotate moved it).
 * 0, or -1 with errno. */
int log_to_file(const char *path);

#endif
