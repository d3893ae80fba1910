/* Outbox messages as RFC 5322 mail: pure functions of the message, the
 * configuration and now (tested in tests/unit/test_mail.c and, through a
 * real mail parser, by the SMTP tests). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mail/mail.h"

void mail_date(int64_t t, char out[40])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* The length of the UTF-8 character starting at s (1 for a stray byte). */
static size_t char_len(const unsigned char *s)
{
	size_t n = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

/* RFC 2047: encoded words of at most 75 characters, 36 bytes of whole
 * characters each (48 of base64: the first line, after its header's name,
 * stays within 78 columns), one per line; control characters (a CR or LF
 * in a subject) become spaces first. */
static void encoded_words(struct strbuf *out, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	while (*p) {
		unsigned char chunk[40];
		size_t n = 0;
		while (*p) {
			size_t c = char_len(p);
			if (n + c > 36)
				break;
			for (size_t i = 0; i < c; i++)
				chunk[n + i] = p[i] < 0x20 || p[i] == 0x7f ? ' ' : p[i];
			n += c;
			p += c;
		}
		char b64[64];
		sodium_bin2base64(b64, sizeof(b64), chunk, n, sodium_base64_VARIANT_ORIGINAL);
		strbuf_addf(out, " =?UTF-8?B?%s?=%s", b64, *p ? "\r\n" : "");
	}
}

/* "To: name <address>": the name as a quoted string when ASCII, else as
 * encoded words; the address as it is (checked by mail_address). */
static void address_header(struct strbuf *out, const char *field, const char *name, const char *addr)
{
	strbuf_addf(out, "%s:", field);
	if (name && *name && plain_ascii(name)) {
		strbuf_addstr(out, " \"");
		for (const char *c = name; *c; c++) {
			if (*c == '"' || *c == '\\')
				strbuf_addch(out, '\\');
			strbuf_addch(out, *c);
		}
		strbuf_addch(out, '"');
	} else if (name && *name) {
		encoded_words(out, name);
		strbuf_addstr(out, "\r\n");
	}
	strbuf_addf(out, " <%s>\r\n", addr);
}

void mail_header(struct strbuf *out, const char *name, const char *value)
{
	size_t col = strlen(name) + 2;
	strbuf_addf(out, "%s:", name);
	if (plain_ascii(value)) {
		/* words, folded before one that would pass column 78 */
		const char *p = value;
		int first = 1;
		while (*p) {
			const char *sp = strchr(p, ' ');
			size_t w = sp ? (size_t)(sp - p) : strlen(p);
			if (!first && col + 1 + w > 78) {
				strbuf_addstr(out, "\r\n");
				col = 0;
			}
			strbuf_addch(out, ' ');
			strbuf_add(out, p, w);
			col += 1 + w;
			first = 0;
			p += w;
			while (*p == ' ')
				p++;
		}
		strbuf_addstr(out, "\r\n");
		return;
	}
	encoded_words(out, value);
	strbuf_addstr(out, "\r\n");
}

void mail_qp(struct strbuf *out, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;
	while (*p) {
		if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
			strbuf_addstr(out, "\r\n");
			col = 0;
			p += *p == '\r' ? 2 : 1;
			continue;
		}
		unsigned char c = *p;
		/* a space or tab ending a line, a dot starting one, "=", controls
		 * and every byte past ASCII are written as =XX */
		int at_end = (c == ' ' || c == '\t') && (!p[1] || p[1] == '\n' || p[1] == '\r');
		int encode = c == '=' || c > 126 || (c < 32 && c != '\t') || at_end || (c == '.' && col == 0);
		size_t w = encode ? 3 : 1;
		if (col + w > 75) { /* soft break: the line stays under 76 */
			strbuf_addstr(out, "=\r\n");
			col = 0;
		}
		if (encode) {
			char e3[3] = { '=', hex[c >> 4], hex[c & 15] };
			strbuf_add(out, e3, 3);
		} else {
			strbuf_addch(out, (char)c);
		}
		col += w;
		p++;
	}
	if (col)
		strbuf_addstr(out, "\r\n");
}

int mail_address(const char *from, char *out, size_t n)
{
	if (strpbrk(from, "\r\n"))
		return -1;
	const char *lt = strrchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t len;
	if (lt && gt) {
		from = lt + 1;
		len = (size_t)(gt - from);
	} else {
		len = strlen(from);
	}
	if (!len || len >= n || !memchr(from, '@', len))
		return -1;
	memcpy(out, from, len);
	out[len] = '\0';
	for (char *c = out; *c; c++)
		if (*c == '\r' || *c == '\n' || *c == '<' || *c == '>' || *c == ' ')
			return -1;
	return 0;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Why this person gets this mail, in words, for the footer. */
static const char *why(const char *reason)
{
	static const struct { const char *reason, *words; } w[] = {
		{ "owner", "you own this Work Register" },
		{ "vp", "you are the VP of Alliances" },
		{ "partner_reps", "you represent the partner organization" },
		{ "proposer", "you proposed this Work Register" },
		{ "originating_chair", "you chair its Originating Committee" },
		{ "committee_chairs", "you chair a committee that must approve it" },
		{ "wg_chairs", "you chair a working group with a milestone in it" },
		{ "executive", "you sit on the Executive Committee" },
		{ "board", "you sit on the Board" },
		{ "voters", "you may vote in its ballot" },
		{ "body_members", "you are a member of the body concerned" },
		{ "marketing_chair", "you chair the Marketing Committee" },
		{ "commenter", "you wrote the comment" },
		{ "assignee", "the task is assigned to you" },
		{ "submitter", "you submitted the change request" },
		{ "body_chair", "you chair the body concerned" },
		{ "participants", "you take part in the meeting" },
		{ "digest", "you chose a daily digest of your notifications" },
		{ "account", "it concerns your own account" },
		{ "handoff", "this address is configured in entente's settings to receive the hand-offs of R9 and R25" },
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(w[i].reason, reason))
			return w[i].words;
	return reason;
}

void mail_format(const struct mail_config *mc, const json_t *msg, int64_t now, struct strbuf *out, char msgid[256])
{
	char date[40], domain[200] = "localhost", from[256] = "invalid@invalid", thread[256];
	const char *at;
	long long id = (long long)json_integer_value(json_object_get(msg, "id"));
	json_t *wr = json_object_get(msg, "wr_id");
	struct strbuf body = STRBUF_INIT;
	if (!mail_address(mc->from, from, sizeof(from)) && (at = strchr(from, '@')))
		snprintf(domain, sizeof(domain), "%s", at + 1);
	/* stable across attempts: a receiver can tell a repeat from a new mail */
	if (*str(msg, "message_id"))
		snprintf(msgid, 256, "%s", str(msg, "message_id"));
	else
		snprintf(msgid, 256, "<entente.%lld.%.4s%.2s%.2s@%s>", id, str(msg, "created_at"), str(msg, "created_at") + 5,
			 str(msg, "created_at") + 8, domain);
	mail_date(now, date);
	strbuf_addf(out, "Date: %s\r\n", date);
	char from_name[256] = "", addr[256] = "invalid@invalid";
	const char *lt = strchr(mc->from, '<');
	if (lt && lt > mc->from) {
		snprintf(from_name, sizeof(from_name), "%.*s", (int)(lt - mc->from), mc->from);
		for (size_t k = strlen(from_name); k && from_name[k - 1] == ' '; k--)
			from_name[k - 1] = '\0';
	}
	address_header(out, "From", from_name, from);
	mail_address(str(msg, "email"), addr, sizeof(addr));
	address_header(out, "To", str(msg, "person_name"), addr);
	mail_header(out, "Subject", str(msg, "subject"));
	strbuf_addf(out, "Message-ID: %s\r\n", msgid);
	if (json_is_integer(wr)) { /* one thread per Work Register */
		snprintf(thread, sizeof(thread), "<wr-%lld.entente@%s>", (long long)json_integer_value(wr), domain);
		strbuf_addf(out, "In-Reply-To: %s\r\nReferences: %s\r\n", thread, thread);
	}
	strbuf_addstr(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
			   "Content-Transfer-Encoding: quoted-printable\r\nAuto-Submitted: auto-generated\r\n");
	strbuf_addf(out, "X-Entente-Event: %s\r\n\r\n", str(msg, "event"));
	strbuf_addstr(&body, str(msg, "body"));
	if (body.len && body.buf[body.len - 1] != '\n')
		strbuf_addch(&body, '\n');
	if (*str(msg, "link"))
		strbuf_addf(&body, "\nOpen it: %s/%s\n", mc->base_url, str(msg, "link"));
	strbuf_addf(&body, "\n-- \nentente, the DMTF alliance-partner process.\nYou receive this because %s (%s).\n",
		    why(str(msg, "reason")), str(msg, "event"));
	if (json_is_integer(json_object_get(msg, "person_id")))
		strbuf_addf(&body, "Immediate mail or a daily digest: %s/#/preferences\n", mc->base_url);
	mail_qp(out, body.buf);
	strbuf_release(&body);
}
