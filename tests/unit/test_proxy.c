/* Unit tests of http/proxy.c: trusted networks, the client behind a
 * chain of proxies, the address key of limits, the base URL. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/proxy.h"

static struct proxy_list list_of(const char *text)
{
	struct proxy_list l = { 0 };
	struct err e = ERR_INIT;
	assert_int_equal(proxy_list_add(&l, text, &e), 0);
	return l;
}

static void test_networks_are_parsed_and_matched(void **state)
{
	(void)state;
	struct proxy_list l = list_of("10.0.0.0/8, 192.0.2.1,2001:db8::/32 ::ffff:198.51.100.0/120 192.0.2.130/25");
	assert_int_equal(l.n, 5);
	assert_true(proxy_list_has(&l, "10.255.1.1"));
	assert_false(proxy_list_has(&l, "11.0.0.1"));
	assert_true(proxy_list_has(&l, "::ffff:10.1.2.3")); /* a dual-stack socket's IPv4 peer */
	assert_true(proxy_list_has(&l, "192.0.2.1"));
	assert_false(proxy_list_has(&l, "192.0.2.2"));
	assert_true(proxy_list_has(&l, "2001:db8:ffff::1"));
	assert_false(proxy_list_has(&l, "2001:db9::1"));
	assert_true(proxy_list_has(&l, "198.51.100.77")); /* the mapped /120 is an IPv4 /24 */
	assert_false(proxy_list_has(&l, "198.51.101.1"));
	assert_true(proxy_list_has(&l, "192.0.2.200")); /* host bits cleared: 192.0.2.128/25 */
	assert_false(proxy_list_has(&l, "192.0.2.100"));
	assert_false(proxy_list_has(&l, "junk"));
	assert_false(proxy_list_has(&l, ""));
	assert_false(proxy_list_has(&l, NULL));
	struct proxy_list all = list_of("0.0.0.0/0");
	assert_true(proxy_list_has(&all, "203.0.113.9"));
	assert_false(proxy_list_has(&all, "2001:db8::1"));

	static const char *bad[] = { "10.0.0.0/33", "abc", "10.0.0.0/", "1.2.3.4/8x", "2001:db8::/129", "::ffff:1.2.3.4/64",
				     "10.0.0.0/-1", "1.2.3", "10.0.0.0/8, nonsense", NULL };
	for (int i = 0; bad[i]; i++) {
		struct proxy_list b = { 0 };
		struct err e = ERR_INIT;
		assert_int_equal(proxy_list_add(&b, bad[i], &e), -1);
		assert_int_equal(b.n, 0); /* nothing of a list that fails */
		assert_string_equal(e.field, "trusted-proxy");
	}
	struct proxy_list many = { 0 };
	struct err e = ERR_INIT;
	char text[2000] = "";
	for (int i = 0; i <= PROXY_MAX_NETS; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "10.0.%d.0/24,", i);
	assert_int_equal(proxy_list_add(&many, text, &e), -1);
}

struct case_ {
	const char *peer, *forwarded, *xff, *xfp;
	const char *client;
	int https;
};

static void check(const struct proxy_list *l, const struct case_ *c)
{
	struct proxy_client out;
	proxy_client(l, c->peer, c->forwarded, c->xff, c->xfp, &out);
	if (strcmp(out.addr, c->client) || out.https != c->https)
		fail_msg("peer %s, Forwarded %s, X-Forwarded-For %s: client %s https %d (want %s, %d)", c->peer,
			 c->forwarded ? c->forwarded : "-", c->xff ? c->xff : "-", out.addr, out.https, c->client, c->https);
}

static void test_the_client_is_the_rightmost_untrusted_address(void **state)
{
	(void)state;
	struct proxy_list l = list_of("127.0.0.1/32, 10.0.0.0/8, 2001:db8:aaaa::/48");
	static const struct case_ cases[] = {
		/* from a peer that is no proxy, nothing is believed */
		{ "203.0.113.5", NULL, "198.51.100.1", "https", "203.0.113.5", 0 },
		{ "203.0.113.5", "for=198.51.100.1", NULL, NULL, "203.0.113.5", 0 },
		{ "127.0.0.2", NULL, "198.51.100.1", NULL, "127.0.0.2", 0 },
		/* nginx appends its peer: the client's own header stays on the left */
		{ "127.0.0.1", NULL, "203.0.113.7", "https", "203.0.113.7", 1 },
		{ "127.0.0.1", NULL, "203.0.113.7, 127.0.0.1", "https", "203.0.113.7", 1 },
		{ "127.0.0.1", NULL, "127.0.0.1, 203.0.113.7", NULL, "203.0.113.7", 0 },
		{ "127.0.0.1", NULL, "1.1.1.1, 203.0.113.7, 10.1.1.1", NULL, "203.0.113.7", 0 },
		{ "127.0.0.1", NULL, "garbage, \"quoted, 203.0.113.7", NULL, "203.0.113.7", 0 },
		{ "127.0.0.1", NULL, "203.0.113.7:5555", NULL, "203.0.113.7", 0 },
		{ "127.0.0.1", NULL, "[2001:db8::1]:80", NULL, "2001:db8::1", 0 },
		{ "127.0.0.1", NULL, "2001:DB8:0:0::1", NULL, "2001:db8::1", 0 },
		{ "127.0.0.1", NULL, "::ffff:203.0.113.9", NULL, "203.0.113.9", 0 },
		{ "::ffff:127.0.0.1", NULL, "203.0.113.7", NULL, "203.0.113.7", 0 },
		{ "127.0.0.1", NULL, "203.0.113.7,, ,", NULL, "203.0.113.7", 0 },
		/* every hop a proxy: the leftmost read */
		{ "127.0.0.1", NULL, "10.0.0.3, 127.0.0.1", NULL, "10.0.0.3", 0 },
		/* malformed where the walk reads: the peer */
		{ "127.0.0.1", NULL, "garbage", NULL, "127.0.0.1", 0 },
		{ "127.0.0.1", NULL, "203.0.113.7, 10.0.0.1:x", NULL, "127.0.0.1", 0 },
		{ "127.0.0.1", NULL, "[2001:db8::1", NULL, "127.0.0.1", 0 },
		{ "127.0.0.1", NULL, "", NULL, "127.0.0.1", 0 },
		{ "127.0.0.1", NULL, " , ", NULL, "127.0.0.1", 0 },
		{ "127.0.0.1", NULL, "unknown", NULL, "unknown", 0 },
		/* RFC 7239 */
		{ "10.0.0.1", "for=192.0.2.60;proto=https;by=203.0.113.43", NULL, NULL, "192.0.2.60", 1 },
		{ "10.0.0.1", "For=\"[2001:db8:cafe::17]:4711\"", NULL, NULL, "2001:db8:cafe::17", 0 },
		{ "10.0.0.1", "for=192.0.2.43, for=198.51.100.17;proto=http", NULL, "https", "198.51.100.17", 0 },
		{ "10.0.0.1", "for=192.0.2.43, for=10.9.9.9", NULL, NULL, "192.0.2.43", 0 },
		{ "10.0.0.1", "for=unknown", NULL, NULL, "unknown", 0 },
		{ "10.0.0.1", "for=_hidden, for=_SEVKISEK", NULL, NULL, "_SEVKISEK", 0 },
		{ "10.0.0.1", "for=\"_gazonk:_port\"", NULL, NULL, "_gazonk", 0 },
		{ "10.0.0.1", "for=192.0.2.1;proto=https", NULL, "http", "192.0.2.1", 1 },
		/* a quote the client left open cannot swallow the proxy's element */
		{ "10.0.0.1", "for=\"x, for=192.0.2.9", NULL, NULL, "192.0.2.9", 0 },
		{ "10.0.0.1", "for=\"x\\\"y\", for=192.0.2.9", NULL, NULL, "192.0.2.9", 0 },
		{ "10.0.0.1", "for=\"192.0.2.9", NULL, NULL, "10.0.0.1", 0 },
		{ "10.0.0.1", "proto=https", NULL, NULL, "10.0.0.1", 0 },
		{ "10.0.0.1", "for=192.0.2.9;;", NULL, NULL, "192.0.2.9", 0 },
		{ "10.0.0.1", "for=192.0.2.9;nonsense", NULL, NULL, "10.0.0.1", 0 },
		{ "10.0.0.1", "for=", NULL, NULL, "10.0.0.1", 0 },
		/* both headers: one the client wrote, so they must agree */
		{ "10.0.0.1", "for=192.0.2.9", "192.0.2.9", NULL, "192.0.2.9", 0 },
		{ "10.0.0.1", "for=127.0.0.1", "203.0.113.7", NULL, "unknown", 0 },
		{ "10.0.0.1", "for=203.0.113.7", "127.0.0.1", NULL, "unknown", 0 },
		{ "10.0.0.1", "garbage", "203.0.113.7", NULL, "unknown", 0 },
		/* X-Forwarded-Proto lined up with the list, else its rightmost */
		{ "127.0.0.1", NULL, "203.0.113.7, 10.0.0.2", "https, http", "203.0.113.7", 1 },
		{ "127.0.0.1", NULL, "203.0.113.7, 10.0.0.2", "http, https", "203.0.113.7", 0 },
		{ "127.0.0.1", NULL, "203.0.113.7, 10.0.0.2", "HTTPS", "203.0.113.7", 1 },
		{ "127.0.0.1", NULL, NULL, "https", "127.0.0.1", 0 },
		/* IPv6 proxies, and a peer that is no address at all */
		{ "2001:db8:aaaa::5", NULL, "2001:db8:bbbb::1, 2001:db8:aaaa::9", NULL, "2001:db8:bbbb::1", 0 },
		{ "not-an-address", NULL, "203.0.113.7", NULL, "not-an-address", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		check(&l, &cases[i]);
	/* no list: nothing believed */
	struct proxy_client out;
	proxy_client(NULL, "127.0.0.1", "for=192.0.2.1", "192.0.2.1", "https", &out);
	assert_string_equal(out.addr, "127.0.0.1");
	assert_false(out.forwarded);
	proxy_client(&l, "127.0.0.1", NULL, "203.0.113.7", NULL, &out);
	assert_true(out.forwarded);
	assert_string_equal(out.key, "203.0.113.7");
}

/* Whatever bytes a proxy passes on, the walk ends with some client. */
static void test_any_bytes_are_survived(void **state)
{
	(void)state;
	struct proxy_list l = list_of("127.0.0.1, 10.0.0.0/8");
	static const char alphabet[] = "0123456789abcdef.:[]\",; =_\\-forFORprotohttps\t\x80\xff";
	char a[300], b[300], c[40];
	uint32_t x = 12345;
	for (int round = 0; round < 20000; round++) {
		char *bufs[3] = { a, b, c };
		size_t sizes[3] = { sizeof(a), sizeof(b), sizeof(c) };
		for (int k = 0; k < 3; k++) {
			x = x * 1103515245u + 12345u;
			size_t n = (x >> 16) % sizes[k];
			for (size_t i = 0; i < n; i++) {
				x = x * 1103515245u + 12345u;
				bufs[k][i] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
			}
			bufs[k][n] = '\0';
		}
		struct proxy_client out;
		proxy_client(&l, "10.0.0.1", round % 3 ? a : NULL, round % 2 ? b : NULL, c, &out);
		assert_true(out.addr[0] != '\0');
		assert_true(out.key[0] != '\0');
	}
	char big[20000];
	memset(big, ',', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	struct proxy_client out;
	proxy_client(&l, "10.0.0.1", big, big, big, &out);
	assert_string_equal(out.addr, "10.0.0.1"); /* empty lists: as though never sent */
	big[0] = '1';
	proxy_client(&l, "10.0.0.1", NULL, big, big, &out);
	assert_string_equal(out.addr, "10.0.0.1");
	memset(big, '"', sizeof(big) - 1);
	proxy_client(&l, "10.0.0.1", big, NULL, NULL, &out);
	assert_string_equal(out.addr, "10.0.0.1");
}

static void test_the_address_key_of_limits(void **state)
{
	(void)state;
	char key[PROXY_ADDR_MAX];
	proxy_address_key("192.0.2.1", key);
	assert_string_equal(key, "192.0.2.1");
	proxy_address_key("::ffff:192.0.2.1", key);
	assert_string_equal(key, "192.0.2.1");
	/* a host holds its whole /64: all of it is one key */
	proxy_address_key("2001:db8:1:2:3:4:5:6", key);
	assert_string_equal(key, "2001:db8:1:2::/64");
	proxy_address_key("2001:db8:1:2:ffff:ffff:ffff:ffff", key);
	assert_string_equal(key, "2001:db8:1:2::/64");
	proxy_address_key("2001:db8:1:3::1", key);
	assert_string_equal(key, "2001:db8:1:3::/64");
	proxy_address_key("::1", key);
	assert_string_equal(key, "::/64");
	proxy_address_key("unknown", key);
	assert_string_equal(key, "unknown");
}

static void test_the_base_url_is_checked(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } good[] = {
		{ "https://entente.example.org", "https://entente.example.org" },
		{ "https://Entente.Example.ORG/", "https://entente.example.org" },
		{ "HTTP://127.0.0.1:8080", "http://127.0.0.1:8080" },
		{ "https://[2001:db8::1]:8443/", "https://[2001:db8::1]:8443" },
		{ "https://localhost:65535", "https://localhost:65535" },
	};
	static const char *bad[] = { "ftp://x.org", "entente.example.org", "https://", "https://x.org/entente", "https://x.org?a=1",
				     "https://x.org#f", "https://user@x.org", "https://x.org:0", "https://x.org:65536",
				     "https://x.org:123456", "https://[::1", "https://[nonsense]", "https://x.org:", "https://x.org//",
				     "https://-x.org", "https://x_y.org", "", NULL };
	char out[300];
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		struct err e = ERR_INIT;
		assert_int_equal(proxy_base_url(good[i].in, out, sizeof(out), &e), 0);
		assert_string_equal(out, good[i].out);
	}
	for (int i = 0; bad[i]; i++) {
		struct err e = ERR_INIT;
		if (proxy_base_url(bad[i], out, sizeof(out), &e) != -1)
			fail_msg("'%s' was taken as a base URL", bad[i]);
		assert_string_equal(e.field, "base-url");
	}
	struct err e = ERR_INIT;
	assert_int_equal(proxy_base_url(NULL, out, sizeof(out), &e), -1);
	assert_int_equal(proxy_base_url("https://entente.example.org", out, 10, &e), -1);
}

static void test_the_loop_asks_about_peers(void **state)
{
	(void)state;
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	in->sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &in->sin_addr);
	proxy_install(NULL);
	assert_false(proxy_trusted_peer(&ss));
	struct proxy_list l = list_of("127.0.0.1/32, 2001:db8::/64");
	proxy_install(&l);
	assert_true(proxy_trusted_peer(&ss));
	inet_pton(AF_INET, "127.0.0.2", &in->sin_addr);
	assert_false(proxy_trusted_peer(&ss));
	memset(&ss, 0, sizeof(ss));
	in6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6->sin6_addr);
	assert_true(proxy_trusted_peer(&ss));
	inet_pton(AF_INET6, "2001:db8::77", &in6->sin6_addr);
	assert_true(proxy_trusted_peer(&ss));
	inet_pton(AF_INET6, "2001:db8:0:1::77", &in6->sin6_addr);
	assert_false(proxy_trusted_peer(&ss));
	proxy_install(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_networks_are_parsed_and_matched),
		cmocka_unit_test(test_the_client_is_the_rightmost_untrusted_address),
		cmocka_unit_test(test_any_bytes_are_survived),
		cmocka_unit_test(test_the_address_key_of_limits),
		cmocka_unit_test(test_the_base_url_is_checked),
		cmocka_unit_test(test_the_loop_asks_about_peers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
