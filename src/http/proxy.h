/* Behind a reverse proxy: which peers are trusted proxies, who the client
 * of a request really is, and the one base URL links are made from. Pure
 * functions on text and addresses (no I/O, no clock), except for one
 * module-level list installed at serve start (and at SIGHUP) for the connection loop.
 *
 * Who the client is. Only when the socket's peer is a trusted proxy are
 * Forwarded (RFC 7239), X-Forwarded-For and X-Forwarded-Proto believed.
 * Each proxy appends the address it took the request from, so the list
 * is walked from its right end: the client is the first address that is
 * not a trusted proxy; what lies left of it was written by the client
 * and is never read (it may be forged or malformed). When every address
 * is trusted, the leftmost one read is the client (a request from the
 * proxies' own hosts). A malformed element reached by the walk makes the
 * client the peer, as though no header had been sent.
 *
 * A proxy manages one of the two headers and passes the other through
 * as the client wrote it. When both are present and name different
 * clients, neither can be believed: the client is "unknown" (RFC 7239's
 * own word for it), which matches no address list and shares one
 * throttle key with every such request; a forger gains nothing by it. */
#ifndef ENTENTE_HTTP_PROXY_H
#define ENTENTE_HTTP_PROXY_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

#include "lib/err.h"

#define PROXY_MAX_NETS 64
#define PROXY_ADDR_MAX 64      /* an address as text, or a token ("unknown", "_hidden") */

struct proxy_net {
	int family;                /* AF_INET or AF_INET6 */
	unsigned char addr[16];    /* network order; 4 bytes for AF_INET */
	unsigned bits;             /* prefix length */
};

/* A list of networks (CIDRs), filled by proxy_list_add. No allocation:
 * copy it freely, nothing to release. */
struct proxy_list {
	size_t n;
	struct proxy_net net[PROXY_MAX_NETS];
};

/* The client of one request. */
struct proxy_client {
	char addr[PROXY_ADDR_MAX]; /* numeric, canonical (inet_ntop; IPv4-mapped IPv6 as IPv4), or a token */
	char key[PROXY_ADDR_MAX];  /* the address key for limits: see proxy_address_key */
	int forwarded;             /* 1 when taken from a forwarding header */
	int https;                 /* the client's request was https, as a trusted proxy said */
};

/* Add the comma-separated networks of text ("10.0.0.0/8, ::1,
 * 2001:db8::/32"; a bare address is one host) to l. 0, or -1 with e set
 * naming the entry (nothing added from text then). */
int proxy_list_add(struct proxy_list *l, const char *text, struct err *e);
/* Whether the numeric address text (v4 or v6, IPv4-mapped v6 counted as
 * v4) is in one of l's networks; 0 for anything that is no address. */
int proxy_list_has(const struct proxy_list *l, const char *addr);
int proxy_list_has_sa(const struct proxy_list *l, const struct sockaddr_storage *ss);

/* The client of a request that came from peer (numeric), given the values
 * of its Forwarded, X-Forwarded-For and X-Forwarded-Proto headers (each
 * NULL when absent; repeated header lines joined by ", "). Never fails:
 * at worst the client is the peer. */
void proxy_client(const struct proxy_list *trusted, const char *peer, const char *forwarded, const char *xff,
		  const char *xfp, struct proxy_client *out);

/* The key one address is limited by: an IPv4 address whole, an IPv6
 * address by its /64 ("2001:db8:1:2::/64"), since one host commonly holds
 * a whole /64; anything else (a token) as it is. */
void proxy_address_key(const char *addr, char key[PROXY_ADDR_MAX]);

/* Check and normalize a base URL: http:// or https://, a host name, an
 * IPv4 address or a bracketed IPv6 address, an optional port, and at
 * most a final "/" (dropped): no user, path, query or fragment. 0 with
 * the URL in out, or -1 with e set. */
int proxy_base_url(const char *url, char *out, size_t n, struct err *e);

/* The list the connection loop asks about (loop_config.trusted_peer):
 * installed before the loop starts and again when SIGHUP changed it; the
 * caller keeps l unchanged and allocated for as long as a request may
 * read it (NULL: none). */
void proxy_install(const struct proxy_list *l);
/* 1 when ss is a trusted proxy of the installed list. */
int proxy_trusted_peer(const struct sockaddr_storage *ss);

#endif
