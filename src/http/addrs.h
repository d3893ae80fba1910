/* Connections per client address, counted across the connection loop's
 * workers (one lock): the per-address limit of loop.h. An address is an
 * IPv4 address (also when mapped into IPv6) or an IPv6 address's /64,
 * since one host is commonly given a whole /64. */
#ifndef ENTENTE_HTTP_ADDRS_H
#define ENTENTE_HTTP_ADDRS_H

#include <sys/socket.h>

struct addrs;                  /* the table */
struct addr;                   /* one address and its count */

/* A new, empty table; NULL when out of memory. */
struct addrs *addrs_new(void);
/* Free the table (every connection counted must have been dropped). */
void addrs_free(struct addrs *t);
/* Count one more connection from ss: the address's entry, or NULL when
 * it already has limit connections (limit 0: no limit) or memory ran out. */
struct addr *addrs_take(struct addrs *t, const struct sockaddr_storage *ss, unsigned limit);
/* A connection counted by addrs_take is gone. */
void addrs_drop(struct addrs *t, struct addr *a);

/* The key an address is counted by (a family byte, then the address or
 * the /64), and its hash. */
unsigned addrs_key(const struct sockaddr_storage *ss, unsigned char key[17]);

#endif
