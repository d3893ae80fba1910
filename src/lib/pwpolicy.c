/* The password rules of issue 24 (see pwpolicy.h). The list is the file
 * data/common-passwords.txt, put into the binary by the assembler's
 * .incbin, so that the check needs no file at run time; it is read once
 * into a sorted array of line offsets and searched by bisection. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pwpolicy.h"
#include "lib/util.h"

__asm__(".section .rodata\n"
	".global entente_pwlist_start\n"
	".global entente_pwlist_end\n"
	"entente_pwlist_start:\n"
	".incbin \"data/common-passwords.txt\"\n"
	"entente_pwlist_end:\n"
	".byte 0\n"
	".previous\n");

static const char **lines;  /* each entry's first byte, in the list's (byte) order */
static size_t *lens, count;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	size_t cap = 0;
	for (const char *p = entente_pwlist_start; p < entente_pwlist_end; p++)
		cap += *p == '\n';
	lines = malloc((cap + 1) * sizeof(*lines));
	lens = malloc((cap + 1) * sizeof(*lens));
	if (!lines || !lens)
		return;
	for (const char *p = entente_pwlist_start; p < entente_pwlist_end;) {
		const char *nl = memchr(p, '\n', (size_t)(entente_pwlist_end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(entente_pwlist_end - p);
		if (len && !(len >= 2 && p[0] == '#' && p[1] == ' ')) { /* "# " begins the header's lines */
			lines[count] = p;
			lens[count++] = len;
		}
		p += len + 1;
	}
}

size_t pw_list_size(void)
{
	pthread_once(&once, load);
	return count;
}

static int cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

static int common_n(const char *s, size_t len)
{
	size_t lo = 0, hi = pw_list_size();
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp(lines[mid], lens[mid], s, len);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int pw_common(const char *lower) { return common_n(lower, strlen(lower)); }

int pw_weak(const char *pw, const char *const *context, char *why, size_t n)
{
	size_t len = strlen(pw), i;
	char *lower;
	int ret = 0;
	if (utf8_len(pw) < PW_MIN_CHARS) {
		snprintf(why, n, "must have at least %d characters (a few words make a good one)", PW_MIN_CHARS);
		return 1;
	}
	for (i = 1; i < len && pw[i] == pw[0]; i++)
		;
	if (i == len) {
		snprintf(why, n, "is one character repeated");
		return 1;
	}
	if (!(lower = strdup(pw))) {
		snprintf(why, n, "could not be checked (out of memory)");
		return 1;
	}
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	/* a common password, or one with digits or symbols added at its end
	 * ("password2024!"): the list's own entries are 4 characters or more */
	size_t base = len;
	while (base > 0 && (isdigit((unsigned char)lower[base - 1]) || ispunct((unsigned char)lower[base - 1])))
		base--;
	if (common_n(lower, len)) {
		snprintf(why, n, "is one of the most common passwords: choose another");
		ret = 1;
	} else if (base >= 4 && base < len && common_n(lower, base)) {
		snprintf(why, n, "is a common password with digits or symbols added: choose another");
		ret = 1;
	}
	for (int k = 0; !ret && context && context[k]; k++) {
		char word[256];
		snprintf(word, sizeof(word), "%s", context[k]);
		for (char *p = word; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (strlen(word) >= 4 && strstr(lower, word)) {
			snprintf(why, n, "must not contain \"%s\"", context[k]);
			ret = 1;
		}
	}
	free(lower);
	return ret;
}
