/* Unit tests of the mail writer (mail/message.c): RFC 5322 dates and
 * headers, RFC 2047 encoded words, quoted-printable bodies, addresses.
 * The SMTP tests (tests/http/test_mail.c) check the same through a real
 * mail parser; these pin the edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "mail/mail.h"

static void test_date_is_rfc5322(void **state)
{
	(void)state;
	char d[40];
	mail_date(1798761600 + 3 * 3600 + 4 * 60 + 5, d); /* 2027-01-01T03:04:05Z, a Friday */
	assert_string_equal(d, "Fri, 01 Jan 2027 03:04:05 +0000");
}

/* Decode one header's encoded words back to text (base64 only). */
static void decode_words(const char *header, char *out, size_t n)
{
	const char *p = header;
	size_t len = 0;
	out[0] = '\0';
	while ((p = strstr(p, "=?UTF-8?B?"))) {
		const char *end = strstr(p + 10, "?=");
		unsigned char bin[128];
		size_t bl = 0;
		assert_non_null(end);
		assert_true(end + 2 - p <= 75); /* an encoded word's limit */
		assert_int_equal(sodium_base642bin(bin, sizeof(bin), p + 10, (size_t)(end - p - 10), NULL, &bl, NULL,
						   sodium_base64_VARIANT_ORIGINAL), 0);
		assert_true(len + bl < n);
		memcpy(out + len, bin, bl);
		len += bl;
		out[len] = '\0';
		p = end + 2;
	}
}

static void test_subject_beyond_ascii_is_encoded_whole_characters(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	/* 40 two-byte and three-byte characters: words must split between them */
	const char *subject = "Réunion d’été: qualificateurs ✓ — ÄÖÜ äöü ÅÆØ åæø ñ ç é è ê ë ï î ô û ù ÿ œ ß ✓✓✓";
	char back[512];
	mail_header(&sb, "Subject", subject);
	assert_true(!strncmp(sb.buf, "Subject: =?UTF-8?B?", 19));
	for (const char *l = sb.buf; *l;) { /* every line under 78, CRLF only */
		const char *e = strstr(l, "\r\n");
		assert_non_null(e);
		assert_true(e - l <= 78);
		l = e + 2;
		if (*l)
			assert_true(*l == ' '); /* a folded line continues with a space */
	}
	decode_words(sb.buf, back, sizeof(back));
	assert_string_equal(back, subject); /* no character was cut in two */
	strbuf_release(&sb);
}

static void test_header_never_carries_a_line_break(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	char back[256];
	/* a CR/LF in a value (header injection) with non-ASCII: spaces */
	mail_header(&sb, "Subject", "Ünïcode\r\nBcc: victim@example.org");
	assert_null(strstr(sb.buf, "\r\nBcc"));
	decode_words(sb.buf, back, sizeof(back));
	assert_string_equal(back, "Ünïcode  Bcc: victim@example.org");
	strbuf_reset(&sb);
	/* plain ASCII with a line break is not "plain": encoded too */
	mail_header(&sb, "Subject", "Hello\r\nBcc: victim@example.org");
	assert_null(strstr(sb.buf, "\r\nBcc"));
	strbuf_reset(&sb);
	/* long ASCII folds at spaces */
	mail_header(&sb, "Subject", "The Work Register of the Storage Networking Industry Association is now established "
				    "and its review is due in twelve months");
	assert_non_null(strstr(sb.buf, "\r\n "));
	for (const char *l = sb.buf; *l;) {
		const char *e = strstr(l, "\r\n");
		assert_true(e - l <= 78);
		l = e + 2;
	}
	strbuf_release(&sb);
}

static void test_quoted_printable(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	char long_line[300];
	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	mail_qp(&sb, "a=b café \n.dot first\ntrailing space \n");
	assert_string_equal(sb.buf, "a=3Db caf=C3=A9=20\r\n=2Edot first\r\ntrailing space=20\r\n");
	strbuf_reset(&sb);
	mail_qp(&sb, long_line);
	size_t lines = 0;
	for (const char *l = sb.buf; *l; lines++) {
		const char *e = strstr(l, "\r\n");
		assert_true(e - l <= 76);
		l = e + 2;
	}
	assert_int_equal(lines, 4); /* 299 characters, soft breaks at 75 */
	strbuf_release(&sb);
}

static void test_address(void **state)
{
	(void)state;
	char a[64];
	assert_int_equal(mail_address("DMTF Alliances <alliances@dmtf.example>", a, sizeof(a)), 0);
	assert_string_equal(a, "alliances@dmtf.example");
	assert_int_equal(mail_address("bare@example.org", a, sizeof(a)), 0);
	assert_string_equal(a, "bare@example.org");
	assert_int_equal(mail_address("no address here", a, sizeof(a)), -1);
	assert_int_equal(mail_address("x <a@b\r\nRCPT TO:<c@d>>", a, sizeof(a)), -1);
}

static void test_message_is_threaded_and_stable(void **state)
{
	(void)state;
	struct mail_config mc = { .from = "entente <entente@dmtf.example>", .base_url = "https://e.example" };
	json_t *m = json_pack("{si si si ss ss ss ss ss ss ss}", "id", 42, "wr_id", 7, "person_id", 3, "person_name", "Owen, \"the\" Owner",
			      "email", "owen@dmtf.example", "subject", "A comment", "body", "Text.", "event", "comment.added", "reason",
			      "owner", "created_at", "2027-01-01T00:00:00Z");
	json_object_set_new(m, "link", json_string("#/wr/7"));
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	char id1[256], id2[256];
	mail_format(&mc, m, 1798761600, &a, id1);
	mail_format(&mc, m, 1798761600 + 3600, &b, id2);
	assert_string_equal(id1, "<entente.42.20270101@dmtf.example>");
	assert_string_equal(id1, id2); /* the same at every attempt */
	assert_non_null(strstr(a.buf, "\r\nReferences: <wr-7.entente@dmtf.example>\r\n"));
	assert_non_null(strstr(a.buf, "\r\nTo: \"Owen, \\\"the\\\" Owner\" <owen@dmtf.example>\r\n")); /* one address, quoted */
	assert_non_null(strstr(a.buf, "\r\nFrom: \"entente\" <entente@dmtf.example>\r\n"));
	strbuf_reset(&a);
	json_object_set_new(m, "person_name", json_string("Zoë Ångström"));
	mail_format(&mc, m, 1798761600, &a, id1);
	assert_non_null(strstr(a.buf, "\r\nTo: =?UTF-8?B?"));
	assert_non_null(strstr(a.buf, "?=\r\n <owen@dmtf.example>\r\n")); /* the address never encoded */
	assert_non_null(strstr(a.buf, "Open it: https://e.example/#/wr/7"));
	assert_non_null(strstr(a.buf, "you own this Work Register"));
	json_decref(m);
	strbuf_release(&a);
	strbuf_release(&b);
}

/* Issue 23: TLS by default. To another machine smtp:// sends only after
 * STARTTLS (unless insecure); to this machine STARTTLS when offered
 * (unless starttls requires it); smtps:// is TLS from the start. */
static void test_tls_is_required_off_this_machine(void **state)
{
	(void)state;
	static const struct {
		const char *url;
		int starttls, insecure, required;
	} cases[] = {
		{ "smtp://mail.example.org:25", 0, 0, 1 }, { "smtp://mail.example.org:587", 0, 1, 0 },
		{ "smtp://192.0.2.7:25", 0, 0, 1 },        { "smtp://[2001:db8::1]:25", 0, 0, 1 },
		{ "smtp://127.0.0.1:25", 0, 0, 0 },        { "smtp://127.8.9.10:2525", 0, 0, 0 },
		{ "smtp://localhost:25", 0, 0, 0 },        { "smtp://LOCALHOST:25", 0, 0, 0 },
		{ "smtp://[::1]:25", 0, 0, 0 },            { "smtp://127.0.0.1:25", 1, 0, 1 },
		{ "smtp://localhost.example.org:25", 0, 0, 1 }, { "smtp://128.0.0.1:25", 0, 0, 1 },
		{ "smtps://mail.example.org:465", 0, 0, 0 }, { "smtps://mail.example.org:465", 1, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct mail_config mc = { .smtp_url = cases[i].url, .starttls = cases[i].starttls, .insecure = cases[i].insecure };
		if (mail_tls_required(&mc) != cases[i].required)
			fail_msg("%s (starttls %d, insecure %d): required %d, expected %d", cases[i].url, cases[i].starttls, cases[i].insecure,
				 mail_tls_required(&mc), cases[i].required);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_is_rfc5322),
		cmocka_unit_test(test_subject_beyond_ascii_is_encoded_whole_characters),
		cmocka_unit_test(test_header_never_carries_a_line_break),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_message_is_threaded_and_stable),
		cmocka_unit_test(test_tls_is_required_off_this_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
