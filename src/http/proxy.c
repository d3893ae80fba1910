/* Behind a reverse proxy: see proxy.h for the rules. Every header is read
 * from its right end, where the trusted proxies wrote, so that nothing a
 * client put further left (an unbalanced quote, a forged list, garbage)
 * changes how the proxies' own elements are read. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/proxy.h"

/* ---- addresses ---- */

/* The first 12 bytes of an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* A numeric address of len bytes at s into family and bytes (IPv4-mapped
 * IPv6 becomes IPv4). 0, or -1 when it is none. */
static int addr_parse(const char *s, size_t len, int *family, unsigned char bytes[16])
{
	char buf[INET6_ADDRSTRLEN + 1];
	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, bytes) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, bytes) != 1)
		return -1;
	*family = AF_INET6;
	if (!memcmp(bytes, mapped, sizeof(mapped))) {
		memmove(bytes, bytes + 12, 4);
		*family = AF_INET;
	}
	return 0;
}

static void addr_text(int family, const unsigned char bytes[16], char out[PROXY_ADDR_MAX])
{
	if (!inet_ntop(family, bytes, out, PROXY_ADDR_MAX))
		out[0] = '\0';
}

static int net_has(const struct proxy_net *n, int family, const unsigned char bytes[16])
{
	if (n->family != family)
		return 0;
	unsigned full = n->bits / 8, rest = n->bits % 8;
	if (memcmp(n->addr, bytes, full))
		return 0;
	return !rest || !((n->addr[full] ^ bytes[full]) & (0xff00u >> rest));
}

static int list_has(const struct proxy_list *l, int family, const unsigned char bytes[16])
{
	for (size_t i = 0; l && i < l->n; i++)
		if (net_has(&l->net[i], family, bytes))
			return 1;
	return 0;
}

int proxy_list_has(const struct proxy_list *l, const char *addr)
{
	unsigned char b[16];
	int family;
	return addr && !addr_parse(addr, strlen(addr), &family, b) && list_has(l, family, b);
}

/* Called for every connection accepted: the address's bytes as they are
 * (an IPv4-mapped IPv6 address as IPv4, as addr_parse does), no text. */
int proxy_list_has_sa(const struct proxy_list *l, const struct sockaddr_storage *ss)
{
	unsigned char b[16] = { 0 };
	if (ss->ss_family == AF_INET) {
		memcpy(b, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		return list_has(l, AF_INET, b);
	}
	if (ss->ss_family != AF_INET6)
		return 0;
	memcpy(b, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	if (!memcmp(b, mapped, sizeof(mapped))) {
		memmove(b, b + 12, 4);
		memset(b + 4, 0, 12);
		return list_has(l, AF_INET, b);
	}
	return list_has(l, AF_INET6, b);
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

int proxy_list_add(struct proxy_list *l, const char *text, struct err *e)
{
	struct proxy_list copy = *l;
	for (const char *p = text ? text : ""; *p;) {
		while (is_space(*p) || *p == ',')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, ", \t");
		const char *slash = memchr(p, '/', len);
		size_t alen = slash ? (size_t)(slash - p) : len;
		struct proxy_net n = { 0 };
		unsigned long bits = 0;
		char *end = NULL;
		if (addr_parse(p, alen, &n.family, n.addr))
			return err_set(e, E_INVALID, "trusted-proxy", "'%.*s' is not an IPv4 or IPv6 address or network", (int)len, p);
		int v6 = memchr(p, ':', alen) != NULL;
		unsigned max = v6 ? 128 : 32;
		if (slash) {
			bits = slash[1] >= '0' && slash[1] <= '9' ? strtoul(slash + 1, &end, 10) : max + 1;
			if (!end || end != p + len || bits > max)
				return err_set(e, E_INVALID, "trusted-proxy", "'%.*s': the prefix length must be 0 to %u", (int)len, p, max);
		} else {
			bits = max;
		}
		/* "::ffff:10.0.0.0/104" names IPv4 peers: it became IPv4 */
		if (v6 && n.family == AF_INET) {
			if (bits < 96)
				return err_set(e, E_INVALID, "trusted-proxy", "'%.*s': an IPv4-mapped network needs a prefix of 96 or more", (int)len, p);
			bits -= 96;
		}
		n.bits = (unsigned)bits;
		/* host bits are cleared: "192.0.2.1/24" is 192.0.2.0/24 */
		for (unsigned i = n.bits; i < 128; i++)
			n.addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
		if (copy.n >= PROXY_MAX_NETS)
			return err_set(e, E_INVALID, "trusted-proxy", "at most %d networks", PROXY_MAX_NETS);
		copy.net[copy.n++] = n;
		p += len;
	}
	*l = copy;
	return 0;
}

void proxy_address_key(const char *addr, char key[PROXY_ADDR_MAX])
{
	unsigned char b[16];
	int family;
	if (!addr || addr_parse(addr, strlen(addr), &family, b)) {
		snprintf(key, PROXY_ADDR_MAX, "%s", addr ? addr : "");
		return;
	}
	if (family == AF_INET) {
		addr_text(family, b, key);
		return;
	}
	char text[PROXY_ADDR_MAX];
	memset(b + 8, 0, 8);
	addr_text(family, b, text);
	snprintf(key, PROXY_ADDR_MAX, "%.59s/64", text);
}

/* ---- the forwarding headers ---- */

enum { NODE_ADDR, NODE_TOKEN, NODE_BAD = -1 };

/* One node of a list, as text (quotes removed): an address ("192.0.2.1",
 * "192.0.2.1:80", "2001:db8::1", "[2001:db8::1]:80"), "unknown", or an
 * obfuscated identifier ("_hidden"). Its canonical text into out. */
static int node_parse(const char *s, size_t len, char out[PROXY_ADDR_MAX])
{
	unsigned char b[16];
	int family;
	while (len && is_space(*s))
		s++, len--;
	while (len && is_space(s[len - 1]))
		len--;
	if (len == 7 && !strncasecmp(s, "unknown", 7)) {
		snprintf(out, PROXY_ADDR_MAX, "unknown");
		return NODE_TOKEN;
	}
	if (len && s[0] == '_') { /* RFC 7239 6.3: obfnode, perhaps with an obfport */
		size_t k = 1;
		while (k < len && (s[k] == '.' || s[k] == '_' || s[k] == '-' || (s[k] >= '0' && s[k] <= '9') ||
				   ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z')))
			k++;
		if (k < 2 || k >= PROXY_ADDR_MAX || (k < len && s[k] != ':'))
			return NODE_BAD;
		snprintf(out, PROXY_ADDR_MAX, "%.*s", (int)k, s);
		return NODE_TOKEN;
	}
	size_t alen = len;
	if (len && s[0] == '[') {
		const char *close = memchr(s, ']', len);
		if (!close)
			return NODE_BAD;
		size_t after = len - (size_t)(close - s) - 1;
		if (after && (close[1] != ':' || after < 2 || strspn(close + 2, "0123456789") < after - 1))
			return NODE_BAD;
		s++;
		alen = (size_t)(close - s);
	} else {
		const char *colon = memchr(s, ':', len);
		/* one colon: IPv4 and a port; more: IPv6 without brackets */
		if (colon && !memchr(colon + 1, ':', len - (size_t)(colon - s) - 1)) {
			size_t plen = len - (size_t)(colon - s) - 1;
			if (!plen || strspn(colon + 1, "0123456789") < plen)
				return NODE_BAD;
			alen = (size_t)(colon - s);
		}
	}
	if (addr_parse(s, alen, &family, b))
		return NODE_BAD;
	addr_text(family, b, out);
	return NODE_ADDR;
}

/* What a walk of one header found. */
struct walk {
	int bad;                   /* a malformed element was reached */
	int found;                 /* addr holds the client */
	int index;                 /* the client's element, counted from the right (0: rightmost) */
	int proto;                 /* -1 unknown, 0 http, 1 https */
	char addr[PROXY_ADDR_MAX];
};

/* The element ending before end, leftwards to a comma outside quotes:
 * its start, or -1 when its quotes do not balance (or hold an escape,
 * which no node needs and which cannot be read from the right). */
static long element_start(const char *s, size_t end, int quotes)
{
	int inq = 0;
	size_t i = end;
	while (i > 0) {
		char c = s[i - 1];
		if (quotes && c == '"')
			inq = !inq;
		else if (inq && c == '\\')
			return -1;
		else if (!inq && c == ',')
			break;
		i--;
	}
	return inq ? -1 : (long)i;
}

/* A parameter of a Forwarded element ("for", "proto"): its value, quotes
 * removed, into out. 1 found, 0 absent, -1 malformed. */
static int forwarded_param(const char *s, size_t len, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < len;) {
		size_t j = i;
		int inq = 0;
		while (j < len && (inq || s[j] != ';')) {
			if (s[j] == '"')
				inq = !inq;
			j++;
		}
		const char *p = s + i, *pe = s + j;
		while (p < pe && is_space(*p))
			p++;
		while (pe > p && is_space(pe[-1]))
			pe--;
		const char *eq = memchr(p, '=', (size_t)(pe - p));
		if (p < pe && !eq)
			return -1;
		if (eq && (size_t)(eq - p) == nl && !strncasecmp(p, name, nl)) {
			const char *v = eq + 1;
			size_t vl = (size_t)(pe - v);
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
				v++, vl -= 2;
			else if (memchr(v, '"', vl))
				return -1;
			if (!vl || vl >= n)
				return -1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return 1;
		}
		i = j + 1;
	}
	return 0;
}

/* Walk a list header from the right: Forwarded (forwarded 1) or
 * X-Forwarded-For. */
static void walk_list(const struct proxy_list *trusted, const char *h, int forwarded, struct walk *w)
{
	size_t end = strlen(h);
	int index = 0;
	memset(w, 0, sizeof(*w));
	w->proto = -1;
	while (end > 0) {
		long start = element_start(h, end, forwarded);
		char node[PROXY_ADDR_MAX + 8], proto[16];
		const char *el = h + (start < 0 ? 0 : start);
		size_t len = end - (size_t)(start < 0 ? 0 : start);
		size_t sp = strspn(el, " \t");
		if (start < 0) {
			w->bad = 1;
			return;
		}
		end = start ? (size_t)start - 1 : 0;
		if (sp >= len)
			continue; /* an empty element of a list: nothing */
		int kind, proto_of = -1;
		if (forwarded) {
			int pr = forwarded_param(el, len, "proto", proto, sizeof(proto));
			if (forwarded_param(el, len, "for", node, sizeof(node)) != 1 || pr < 0) {
				w->bad = 1;
				return;
			}
			if (pr == 1)
				proto_of = !strcasecmp(proto, "https");
			kind = node_parse(node, strlen(node), w->addr);
		} else {
			kind = node_parse(el, len, w->addr);
		}
		if (kind == NODE_BAD) {
			w->bad = 1;
			return;
		}
		w->found = 1;
		w->index = index++;
		w->proto = proto_of;
		if (kind == NODE_TOKEN || !proxy_list_has(trusted, w->addr))
			return; /* the first that is not a trusted proxy: the client */
	}
	/* every element was a trusted proxy: the leftmost read is the client */
}

/* The proto of X-Forwarded-Proto for the client's element (counted from
 * the right) when the lists line up, else its rightmost value. */
static int proto_of_list(const char *xfp, int index)
{
	size_t end = strlen(xfp);
	int i = 0, rightmost = -1;
	while (end > 0) {
		long start = element_start(xfp, end, 0);
		const char *el = xfp + start;
		size_t len = end - (size_t)start;
		while (len && is_space(*el))
			el++, len--;
		while (len && is_space(el[len - 1]))
			len--;
		int v = len == 5 && !strncasecmp(el, "https", 5) ? 1 : 0;
		if (i == 0)
			rightmost = v;
		if (i == index)
			return v;
		i++;
		end = start ? (size_t)start - 1 : 0;
	}
	return rightmost < 0 ? 0 : rightmost;
}

static int present(const char *h) { return h && h[strspn(h, " \t,")]; }

void proxy_client(const struct proxy_list *trusted, const char *peer, const char *forwarded, const char *xff,
		  const char *xfp, struct proxy_client *out)
{
	unsigned char b[16];
	int family;
	memset(out, 0, sizeof(*out));
	if (peer && !addr_parse(peer, strlen(peer), &family, b))
		addr_text(family, b, out->addr);
	else
		snprintf(out->addr, sizeof(out->addr), "%s", peer ? peer : "");
	if (trusted && proxy_list_has(trusted, out->addr) && (present(forwarded) || present(xff))) {
		struct walk fw = { 0 }, xw = { 0 };
		const struct walk *w;
		if (present(forwarded))
			walk_list(trusted, forwarded, 1, &fw);
		if (present(xff))
			walk_list(trusted, xff, 0, &xw);
		w = present(forwarded) ? &fw : &xw;
		if (present(forwarded) && present(xff)) {
			/* one of the two came from the client as it wrote it */
			int same = fw.bad == xw.bad && fw.found == xw.found && (!fw.found || !strcmp(fw.addr, xw.addr));
			if (!same) {
				snprintf(out->addr, sizeof(out->addr), "unknown");
				out->forwarded = 1;
				w = NULL;
			}
		}
		if (w && !w->bad && w->found) {
			snprintf(out->addr, sizeof(out->addr), "%s", w->addr);
			out->forwarded = 1;
			if (w->proto >= 0)
				out->https = w->proto;
			else if (present(xfp))
				out->https = proto_of_list(xfp, w->index);
		}
	}
	proxy_address_key(out->addr, out->key);
}

/* ---- the base URL ---- */

int proxy_base_url(const char *url, char *out, size_t n, struct err *e)
{
	const char *p = url ? url : "";
	char host[300];
	size_t hl;
	int https = !strncasecmp(p, "https://", 8);
	if (!https && strncasecmp(p, "http://", 7))
		return err_set(e, E_INVALID, "base-url", "'%s': expected http://HOST[:PORT] or https://HOST[:PORT]", p);
	p += https ? 8 : 7;
	if (*p == '[') {
		unsigned char b[16];
		const char *close = strchr(p, ']');
		hl = close ? (size_t)(close - p) + 1 : 0;
		if (!close || hl - 2 >= INET6_ADDRSTRLEN || hl >= sizeof(host))
			return err_set(e, E_INVALID, "base-url", "'%s': an IPv6 address in brackets expected", url);
		memcpy(host, p + 1, hl - 2);
		host[hl - 2] = '\0';
		if (inet_pton(AF_INET6, host, b) != 1)
			return err_set(e, E_INVALID, "base-url", "'%s': '%s' is not an IPv6 address", url, host);
		memcpy(host, p, hl);
	} else {
		hl = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
		if (!hl || hl > 253 || p[0] == '.' || p[0] == '-')
			return err_set(e, E_INVALID, "base-url", "'%s': a host name or address expected after the scheme", url);
		for (size_t i = 0; i < hl; i++)
			host[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
	}
	host[hl] = '\0';
	p += hl;
	unsigned long port = 0;
	if (*p == ':') {
		size_t dl = strspn(p + 1, "0123456789");
		char *end;
		port = dl && dl <= 5 ? strtoul(p + 1, &end, 10) : 0;
		if (!port || port > 65535)
			return err_set(e, E_INVALID, "base-url", "'%s': the port must be 1 to 65535", url);
		p += 1 + dl;
	}
	if (*p == '/')
		p++;
	if (*p)
		return err_set(e, E_INVALID, "base-url",
			       "'%s': no path, query, user or fragment: entente is served at the root of its address", url);
	int w = port ? snprintf(out, n, "%s://%s:%lu", https ? "https" : "http", host, port)
		     : snprintf(out, n, "%s://%s", https ? "https" : "http", host);
	if (w < 0 || (size_t)w >= n)
		return err_set(e, E_INVALID, "base-url", "'%s' is too long", url);
	return 0;
}

/* ---- the list the connection loop asks about ---- */

static const struct proxy_list *installed;

/* Published whole (SIGHUP replaces the list): a worker reads the old list
 * or the new one, never half of each. */
void proxy_install(const struct proxy_list *l) { __atomic_store_n(&installed, l, __ATOMIC_RELEASE); }

int proxy_trusted_peer(const struct sockaddr_storage *ss)
{
	const struct proxy_list *l = __atomic_load_n(&installed, __ATOMIC_ACQUIRE);
	return l && proxy_list_has_sa(l, ss);
}
