#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void time_iso(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_date(int64_t t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int mdays(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > mdays(*y, *m))
		return -1;
	return 0;
}

int date_valid(const char *s)
{
	int y, m, d;
	return parse_date(s, &y, &m, &d) == 0;
}

void date_add_months(const char *date, int months, char out[11])
{
	int y, m, d;
	if (parse_date(date, &y, &m, &d)) {
		out[0] = '\0';
		return;
	}
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	if (d > mdays(y, m))
		d = mdays(y, m);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y % 10000), (unsigned)m % 100u, (unsigned)d % 100u);
}

int64_t time_parse_iso(const char *s)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	return end && !*end ? (int64_t)timegm(&tm) : -1;
}

int64_t date_epoch(const char *s)
{
	int y, m, d;
	if (parse_date(s, &y, &m, &d))
		return -1;
	/* days from civil, after Howard Hinnant's algorithm */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400;
}

void random_hex(char *out, size_t nbytes)
{
	unsigned char buf[64];
	if (nbytes > sizeof(buf))
		nbytes = sizeof(buf);
	randombytes_buf(buf, nbytes);
	sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
	sodium_memzero(buf, sizeof(buf));
}

void hash_hex(const char *s, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int secure_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

int text_blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

int list_has(const char *list, char sep, const char *item)
{
	size_t n = strlen(item);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, item, n))
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* One line on standard error (the journal). A line the same as the last,
 * within a minute of it, is counted rather than written (issue 23: a full
 * disk wrote 51,000 identical lines); the count is written before the
 * next line that differs, or with the same line a minute on. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char last[1024];
	unsigned long repeats;
	int64_t at;
} logged;

static _Atomic int log_level = LV_INFO;

int log_enabled(int level) { return level <= log_level; }
void log_set_level(int level) { log_level = level; }

int log_level_named(const char *name)
{
	static const char *const names[] = { [LV_ERROR] = "error", [LV_WARN] = "warn", [LV_INFO] = "info", [LV_DEBUG] = "debug" };
	for (int i = 0; i <= LV_DEBUG; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

int log_to_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	pthread_mutex_lock(&log_lock);
	int bad = dup2(fd, STDERR_FILENO) < 0;
	pthread_mutex_unlock(&log_lock);
	int saved = errno;
	close(fd);
	errno = saved;
	return bad ? -1 : 0;
}

static void log_v(int level, const char *fmt, va_list ap)
{
	char msg[1024], ts[21];
	if (!log_enabled(level))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (char *p = msg; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	int64_t now = (int64_t)time(NULL);
	time_iso(now, ts);
	pthread_mutex_lock(&log_lock);
	if (!strcmp(msg, logged.last) && now - logged.at < 60) {
		logged.repeats++;
		pthread_mutex_unlock(&log_lock);
		return;
	}
	if (logged.repeats)
		fprintf(stderr, "%s (the line before was repeated %lu more times)\n", ts, logged.repeats);
	logged.repeats = 0;
	logged.at = now;
	snprintf(logged.last, sizeof(logged.last), "%s", msg);
	fprintf(stderr, "%s %s\n", ts, msg);
	pthread_mutex_unlock(&log_lock);
}

void log_at(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(level, fmt, ap);
	va_end(ap);
}

void log_line(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(LV_INFO, fmt, ap);
	va_end(ap);
}

void roff_text(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}
