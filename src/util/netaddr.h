/* netaddr.h - MAC addresses as text, and the set of networks that are "ours"
 * (the LAN: net.home in the config, Suricata's HOME_NET).
 */
#ifndef MAMORI_NETADDR_H
#define MAMORI_NETADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"

/* Formats a MAC as aa:bb:cc:dd:ee:ff (out: 18 bytes). */
void mac_fmt(const uint8_t mac[6], char out[18]);
/* Parses aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or
 * aabbccddeeff (any case, surrounding blanks allowed). Returns 0 or -1. */
int mac_parse(const char *s, uint8_t mac[6]);

/* Parses an IPv4 or IPv6 address (inet_pton). Returns 0 or -1. */
int ip_addr_parse(const char *s, struct ip_addr *out);

#define NETSET_MAX 64

struct netset {
    unsigned n;
    struct ip_addr net[NETSET_MAX];  /* IPv4 as ::ffff:a.b.c.d */
    uint8_t bits[NETSET_MAX];        /* prefix length over the 128-bit form */
    /* For netset_contains: each network's mask as two 64-bit words in
     * memory order. Filled by netset_parse and netset_add. */
    uint64_t mask[NETSET_MAX][2];
};

/* The default home networks: RFC 1918, IPv4 link-local, IPv6 ULA and
 * link-local. */
#define NETSET_DEFAULT_HOME \
    "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,169.254.0.0/16,fc00::/7,fe80::/10"

/* Parses a comma- or blank-separated list of CIDRs or single addresses.
 * Returns 0, or -1 with the offending item named in err. */
int netset_parse(struct netset *ns, const char *list, char *err, unsigned errlen);

/* Adds a network of `bits` (over the 128-bit form; host bits are cleared).
 * Returns 0, or -1 when the set is full. */
int netset_add(struct netset *ns, const struct ip_addr *net, unsigned bits);

bool netset_contains(const struct netset *ns, const struct ip_addr *a);

/* Whether a is 0.0.0.0 or :: (a DHCP client before it has an address). */
bool ip_addr_is_unspecified(const struct ip_addr *a);

#endif
