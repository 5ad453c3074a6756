/* netaddr.c - MAC text, home networks. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "util/netaddr.h"
#include "util/util.h"

void mac_fmt(const uint8_t mac[6], char out[18])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 6; i++) {
        out[i * 3] = hex[mac[i] >> 4];
        out[i * 3 + 1] = hex[mac[i] & 15];
        out[i * 3 + 2] = i < 5 ? ':' : '\0';
    }
}

static int mac_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int mac_parse(const char *s, uint8_t mac[6])
{
    while (*s == ' ' || *s == '\t')
        s++;
    /* Collect 12 hex digits; separators must be consistent with one of the
     * spellings: every 2 digits (':' or '-'), every 4 ('.'), or none. */
    int digits = 0, seps = 0;
    char sep = 0;
    uint8_t out[6] = {0};
    const char *p = s;
    for (; *p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n'; p++) {
        int v = mac_hexval((unsigned char)*p);
        if (v >= 0) {
            if (digits >= 12)
                return -1;
            out[digits / 2] = (uint8_t)(out[digits / 2] << 4 | v);
            digits++;
            continue;
        }
        if (*p != ':' && *p != '-' && *p != '.')
            return -1;
        if (sep && *p != sep)
            return -1;
        sep = *p;
        int group = sep == '.' ? 4 : 2;
        if (digits == 0 || digits % group != 0 || digits / group != seps + 1)
            return -1;
        seps++;
    }
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (*p || digits != 12)
        return -1;
    if (sep == '.' ? seps != 2 : sep ? seps != 5 : seps != 0)
        return -1;
    memcpy(mac, out, 6);
    return 0;
}

int ip_addr_parse(const char *s, struct ip_addr *out)
{
    uint8_t v4[4];
    if (inet_pton(AF_INET, s, v4) == 1) {
        ip_addr_from_v4(out, v4);
        return 0;
    }
    if (inet_pton(AF_INET6, s, out->b) == 1)
        return 0;
    return -1;
}

static void netset_mask(struct ip_addr *a, unsigned bits)
{
    for (unsigned i = 0; i < 16; i++) {
        unsigned lo = i * 8;
        if (bits >= lo + 8)
            continue;
        a->b[i] &= bits <= lo ? 0 : (uint8_t)(0xff << (8 - (bits - lo)));
    }
}

int netset_parse(struct netset *ns, const char *list, char *err, unsigned errlen)
{
    struct netset out = {0};
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, ", \t");
        char item[80];
        if (n >= sizeof(item)) {
            snprintf(err, errlen, "network too long: '%.20s...'", p);
            return -1;
        }
        memcpy(item, p, n);
        item[n] = '\0';
        p += n;
        char *slash = strchr(item, '/');
        uint64_t bits = 0;
        if (slash)
            *slash = '\0';
        struct ip_addr a;
        if (ip_addr_parse(item, &a) < 0) {
            snprintf(err, errlen, "not an address: '%s'", item);
            return -1;
        }
        bool v4 = ip_addr_is_v4(&a);
        unsigned maxbits = v4 ? 32 : 128;
        if (slash) {
            if (parse_u64(slash + 1, &bits) < 0 || bits > maxbits) {
                snprintf(err, errlen, "bad prefix length in '%s/%s'", item, slash + 1);
                return -1;
            }
        } else {
            bits = maxbits;
        }
        if (out.n >= NETSET_MAX) {
            snprintf(err, errlen, "more than %d networks", NETSET_MAX);
            return -1;
        }
        netset_add(&out, &a, (unsigned)bits + (v4 ? 96 : 0));
    }
    *ns = out;
    return 0;
}

int netset_add(struct netset *ns, const struct ip_addr *net, unsigned bits)
{
    if (ns->n >= NETSET_MAX)
        return -1;
    if (bits > 128)
        bits = 128;
    struct ip_addr a = *net, m;
    netset_mask(&a, bits);
    memset(m.b, 0xff, sizeof(m.b));
    netset_mask(&m, bits);
    ns->net[ns->n] = a;
    ns->bits[ns->n] = (uint8_t)bits;
    memcpy(ns->mask[ns->n], m.b, 16);
    ns->n++;
    return 0;
}

bool netset_contains(const struct netset *ns, const struct ip_addr *a)
{
    /* Two masked 64-bit compares a network, in memory order: this runs for
     * both ends of every flow and event, and a memcmp call per network was
     * a visible part of detection. */
    uint64_t x[2], net[2];
    memcpy(x, a->b, 16);
    for (unsigned i = 0; i < ns->n; i++) {
        memcpy(net, ns->net[i].b, 16); /* stored with its host bits clear */
        if (((x[0] & ns->mask[i][0]) ^ net[0]) == 0 && ((x[1] & ns->mask[i][1]) ^ net[1]) == 0)
            return true;
    }
    return false;
}

bool ip_addr_is_unspecified(const struct ip_addr *a)
{
    static const uint8_t zero[16];
    if (ip_addr_is_v4(a))
        return memcmp(a->b + 12, zero, 4) == 0;
    return memcmp(a->b, zero, 16) == 0;
}
