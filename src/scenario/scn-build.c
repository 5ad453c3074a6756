/* scn-build.c - PRNG, byte buffers, hosts, frames, IP/UDP/ARP and TCP
 * sessions for the scenario generator. Protocol payloads live in
 * scn-proto.c (DNS, DHCP, NTP, ICMP, name services) and scn-app.c (TLS,
 * HTTP, SMTP, SSH, SMB2). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/pcap-writer.h"
#include "scenario/scn-build.h"
#include "util/util.h"

const uint8_t scn_oui_yamaha[3] = {0x00, 0xa0, 0xde}; /* Yamaha (routers) */
const uint8_t scn_oui_dell[3] = {0xf8, 0xbc, 0x12}; /* Dell */
const uint8_t scn_oui_hp[3] = {0x3c, 0xd9, 0x2b}; /* HP */
const uint8_t scn_oui_brother[3] = {0x3c, 0x2a, 0xf4}; /* Brother (printers) */
const uint8_t scn_oui_synology[3] = {0x00, 0x11, 0x32}; /* Synology (NAS) */
const uint8_t scn_oui_nec[3] = {0x00, 0x1b, 0x8b}; /* NEC */
const uint8_t scn_oui_fujitsu[3] = {0x00, 0x0b, 0x5d}; /* Fujitsu */
const uint8_t scn_oui_apple[3] = {0xf0, 0x18, 0x98}; /* Apple */

/* ------------------------------------------------------------------ PRNG */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void scn_rng_seed(struct scn_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (unsigned i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t scn_rng_next(struct scn_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t scn_rng_range(struct scn_rng *r, uint64_t lo, uint64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = hi - lo + 1;
    if (span == 0) /* the whole 64-bit range */
        return scn_rng_next(r);
    /* Modulo bias is irrelevant for synthetic traffic; determinism is not. */
    return lo + scn_rng_next(r) % span;
}

void scn_rng_bytes(struct scn_rng *r, uint8_t *p, size_t n)
{
    while (n) {
        uint64_t v = scn_rng_next(r);
        size_t k = MIN(n, sizeof(v));
        memcpy(p, &v, k);
        p += k;
        n -= k;
    }
}

/* ---------------------------------------------------------------- buffer */

void scn_buf_init(struct scn_buf *b)
{
    memset(b, 0, sizeof(*b));
}

void scn_buf_free(struct scn_buf *b)
{
    free(b->p);
    scn_buf_init(b);
}

void scn_buf_clear(struct scn_buf *b)
{
    b->len = 0;
}

static uint8_t *buf_grow(struct scn_buf *b, size_t n)
{
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    uint8_t *p = b->p + b->len;
    b->len += n;
    return p;
}

void scn_buf_u8(struct scn_buf *b, uint8_t v)
{
    *buf_grow(b, 1) = v;
}

void scn_buf_u16(struct scn_buf *b, uint16_t v)
{
    uint8_t *p = buf_grow(b, 2);
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void scn_buf_u24(struct scn_buf *b, uint32_t v)
{
    uint8_t *p = buf_grow(b, 3);
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}

void scn_buf_u32(struct scn_buf *b, uint32_t v)
{
    scn_buf_u16(b, (uint16_t)(v >> 16));
    scn_buf_u16(b, (uint16_t)v);
}

void scn_buf_u64(struct scn_buf *b, uint64_t v)
{
    scn_buf_u32(b, (uint32_t)(v >> 32));
    scn_buf_u32(b, (uint32_t)v);
}

void scn_buf_le16(struct scn_buf *b, uint16_t v)
{
    uint8_t *p = buf_grow(b, 2);
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void scn_buf_le32(struct scn_buf *b, uint32_t v)
{
    scn_buf_le16(b, (uint16_t)v);
    scn_buf_le16(b, (uint16_t)(v >> 16));
}

void scn_buf_le64(struct scn_buf *b, uint64_t v)
{
    scn_buf_le32(b, (uint32_t)v);
    scn_buf_le32(b, (uint32_t)(v >> 32));
}

void scn_buf_mem(struct scn_buf *b, const void *p, size_t n)
{
    if (n)
        memcpy(buf_grow(b, n), p, n);
}

void scn_buf_str(struct scn_buf *b, const char *s)
{
    scn_buf_mem(b, s, strlen(s));
}

void scn_buf_fmt(struct scn_buf *b, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        BUG("scn_buf_fmt: line too long");
    scn_buf_mem(b, tmp, (size_t)n);
}

void scn_buf_zero(struct scn_buf *b, size_t n)
{
    if (n)
        memset(buf_grow(b, n), 0, n);
}

void scn_buf_rand(struct scn_buf *b, struct scn_rng *r, size_t n)
{
    if (n)
        scn_rng_bytes(r, buf_grow(b, n), n);
}

size_t scn_buf_mark(struct scn_buf *b, unsigned width)
{
    size_t at = b->len;
    scn_buf_zero(b, width);
    return at;
}

void scn_buf_patch(struct scn_buf *b, size_t mark, unsigned width)
{
    size_t v = b->len - mark - width;
    for (unsigned i = 0; i < width; i++)
        b->p[mark + i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

void scn_buf_utf16(struct scn_buf *b, const char *s)
{
    for (; *s; s++)
        scn_buf_le16(b, (uint8_t)*s);
}

/* ------------------------------------------------------------ scenario */

const uint8_t scn_mac_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void scn_init(struct scn *s, uint64_t seed)
{
    memset(s, 0, sizeof(*s));
    scn_rng_seed(&s->rng, seed);
    s->outer_ip_id = (uint16_t)scn_rng_next(&s->rng);
}

void scn_release(struct scn *s)
{
    for (size_t i = 0; i < s->nhosts; i++)
        free(s->hosts[i]);
    free(s->hosts);
    free(s->pkts);
    free(s->arena);
    memset(s, 0, sizeof(*s));
}

static int pkt_cmp(const void *a, const void *b)
{
    const struct scn_pkt *x = a, *y = b;
    if (x->ts_us != y->ts_us)
        return x->ts_us < y->ts_us ? -1 : 1;
    return x->order < y->order ? -1 : (x->order > y->order);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

uint16_t scn_csum(const uint8_t *p, size_t len, uint32_t init)
{
    uint64_t sum = init;
    size_t i;
    for (i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (i < len)
        sum += (uint32_t)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

int scn_write(struct scn *s, struct pcap_writer *w)
{
    if (s->npkts)
        qsort(s->pkts, s->npkts, sizeof(*s->pkts), pkt_cmp);
    for (size_t i = 0; i < s->npkts; i++) {
        struct scn_pkt *p = &s->pkts[i];
        uint8_t *f = s->arena + p->off;
        if (p->ipid_host >= 0 && (size_t)p->ipid_host < s->nhosts) {
            /* Ids are handed out in time order, so each host's ids grow. */
            uint8_t *ip = f + p->ipid_off;
            size_t hl = (size_t)(ip[0] & 0x0f) * 4;
            put16(ip + 4, s->hosts[p->ipid_host]->ip_id++);
            put16(ip + 10, 0);
            put16(ip + 10, scn_csum(ip, hl, 0));
        }
        if (p->wirelen > p->len) {
            if (pcap_writer_write_cut(w, p->ts_us, f, p->len, p->wirelen) < 0)
                return -1;
        } else if (pcap_writer_write(w, p->ts_us, f, p->len) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Windows hands out ephemeral ports in sequence from 49152 (RFC 6335
 * range); Linux/Android pick randomly in 32768-60999; Apple randomly in
 * 49152-65535. Detectors of port scans and NAT see these shapes. */
uint16_t scn_host_port(struct scn *s, struct scn_host *h)
{
    switch (h->os) {
    case SCN_OS_WINDOWS:
    case SCN_OS_PRINTER:
        if (h->next_port < 49152 || h->next_port == 65535)
            h->next_port = 49152;
        return h->next_port++;
    case SCN_OS_LINUX:
    case SCN_OS_ANDROID:
    case SCN_OS_ROUTER:
        return (uint16_t)scn_rng_range(&s->rng, 32768, 60999);
    case SCN_OS_MACOS:
    case SCN_OS_IOS:
        break;
    }
    return (uint16_t)scn_rng_range(&s->rng, 49152, 65535);
}

static uint8_t os_ttl(enum scn_os os)
{
    return os == SCN_OS_WINDOWS ? 128 : os == SCN_OS_PRINTER ? 255 : 64;
}

static struct scn_host *host_add(struct scn *s, const char *name, enum scn_os os)
{
    struct scn_host *h = xcalloc(1, sizeof(*h));

    if (s->nhosts == s->hosts_cap) {
        s->hosts_cap = s->hosts_cap ? s->hosts_cap * 2 : 32;
        s->hosts = xrealloc(s->hosts, s->hosts_cap * sizeof(*s->hosts));
    }
    h->index = (int)s->nhosts;
    s->hosts[s->nhosts++] = h;
    snprintf(h->name, sizeof(h->name), "%s", name ? name : "");
    h->os = os;
    h->ttl = os_ttl(os);
    h->mss = 1460;
    h->ip_id = (uint16_t)scn_rng_next(&s->rng);
    h->next_port = (uint16_t)scn_rng_range(&s->rng, 49152, 60000);
    h->tcp_ts_off = (uint32_t)scn_rng_next(&s->rng);
    return h;
}

struct scn_host *scn_host_new(struct scn *s, const char *name, enum scn_os os, const uint8_t oui[3],
                              uint32_t ip4)
{
    struct scn_host *h = host_add(s, name, os);

    memcpy(h->mac, oui, 3);
    scn_rng_bytes(&s->rng, h->mac + 3, 3);
    h->ip4 = ip4;
    /* fe80::/64 + modified EUI-64 (RFC 4291 appendix A). */
    h->ip6_ll[0] = 0xfe;
    h->ip6_ll[1] = 0x80;
    h->ip6_ll[8] = h->mac[0] ^ 0x02;
    h->ip6_ll[9] = h->mac[1];
    h->ip6_ll[10] = h->mac[2];
    h->ip6_ll[11] = 0xff;
    h->ip6_ll[12] = 0xfe;
    memcpy(h->ip6_ll + 13, h->mac + 3, 3);
    return h;
}

struct scn_host *scn_host_remote(struct scn *s, const struct scn_host *gw, enum scn_os os,
                                 uint32_t ip4, const uint8_t *ip6)
{
    struct scn_host *h = host_add(s, NULL, os);

    memcpy(h->mac, gw->mac, 6);
    h->ip4 = ip4;
    if (ip6)
        memcpy(h->ip6, ip6, 16);
    h->remote = true;
    h->ttl = (uint8_t)(os_ttl(os) - scn_rng_range(&s->rng, 6, 18));
    return h;
}

void scn_set_encap(struct scn *s, const struct scn_encap *e)
{
    if (e)
        s->encap = *e;
    else
        memset(&s->encap, 0, sizeof(s->encap));
}

/* --------------------------------------------------------------- frames */

static void frame_eth(struct scn_buf *b, const struct scn_encap *e, const uint8_t smac[6],
                      const uint8_t dmac[6], uint16_t ethertype, bool tags)
{
    scn_buf_mem(b, dmac, 6);
    scn_buf_mem(b, smac, 6);
    if (tags) {
        for (unsigned i = 0; i < e->vlan_count && i < 2; i++) {
            scn_buf_u16(b, e->vlan_tpid[i]);
            scn_buf_u16(b, e->vlan_id[i] & 0x0fff);
        }
    }
    scn_buf_u16(b, ethertype);
}

/* Outer IPv4 header of a tunnel; its id comes from the tunnel endpoint's own
 * counter, fixed at emission. */
static void frame_outer_ip4(struct scn *s, struct scn_buf *b, uint8_t proto, size_t payload)
{
    size_t at = b->len;
    scn_buf_u8(b, 0x45);
    scn_buf_u8(b, 0);
    scn_buf_u16(b, (uint16_t)(20 + payload));
    scn_buf_u16(b, s->outer_ip_id++);
    scn_buf_u16(b, 0x4000);
    scn_buf_u8(b, 64);
    scn_buf_u8(b, proto);
    scn_buf_u16(b, 0);
    scn_buf_u32(b, s->encap.outer_src);
    scn_buf_u32(b, s->encap.outer_dst);
    put16(b->p + at + 10, scn_csum(b->p + at, 20, 0));
}

static void pkt_store(struct scn *s, uint64_t ts, const uint8_t *f, size_t len, int ipid_host,
                      size_t ipid_off)
{
    if (s->npkts == s->pkts_cap) {
        s->pkts_cap = s->pkts_cap ? s->pkts_cap * 2 : 1024;
        s->pkts = xrealloc(s->pkts, s->pkts_cap * sizeof(*s->pkts));
    }
    if (s->arena_cap - s->arena_len < len) {
        size_t cap = s->arena_cap ? s->arena_cap : 1u << 20;
        while (cap - s->arena_len < len)
            cap *= 2;
        s->arena = xrealloc(s->arena, cap);
        s->arena_cap = cap;
    }
    struct scn_pkt *p = &s->pkts[s->npkts];
    p->ts_us = ts;
    p->order = s->npkts;
    p->off = s->arena_len;
    p->len = (uint32_t)len;
    p->ipid_host = ipid_host;
    p->ipid_off = (uint32_t)ipid_off;
    p->wirelen = 0;
    memcpy(s->arena + s->arena_len, f, len);
    s->arena_len += len;
    s->npkts++;
}

void scn_emit_frame(struct scn *s, uint64_t ts, const uint8_t smac[6], const uint8_t dmac[6],
                    uint16_t ethertype, const uint8_t *l3, size_t len, int ipid_host)
{
    struct scn_buf b;
    const struct scn_encap *e = &s->encap;

    scn_buf_init(&b);
    switch (e->tunnel) {
    case SCN_TUN_GRE:
        frame_eth(&b, e, e->outer_smac, e->outer_dmac, 0x0800, true);
        frame_outer_ip4(s, &b, 47, 4 + len);
        scn_buf_u16(&b, 0);         /* no checksum/key/sequence, version 0 */
        scn_buf_u16(&b, ethertype); /* protocol type = the inner ethertype */
        break;
    case SCN_TUN_VXLAN: {
        size_t inner = 14 + len;
        frame_eth(&b, e, e->outer_smac, e->outer_dmac, 0x0800, true);
        frame_outer_ip4(s, &b, 17, 8 + 8 + inner);
        /* Source port from a hash of the inner frame, as RFC 7348 5 suggests;
         * checksum 0 is allowed for VXLAN over IPv4. */
        scn_buf_u16(&b, (uint16_t)(49152 + (scn_csum(l3, MIN(len, 40), 0) & 0x3fff)));
        scn_buf_u16(&b, 4789);
        scn_buf_u16(&b, (uint16_t)(8 + 8 + inner));
        scn_buf_u16(&b, 0);
        scn_buf_u32(&b, 0x08000000); /* I flag: VNI valid */
        scn_buf_u32(&b, e->vni << 8);
        frame_eth(&b, e, smac, dmac, ethertype, false);
        break;
    }
    case SCN_TUN_NONE:
        frame_eth(&b, e, smac, dmac, ethertype, true);
        break;
    }
    size_t l3_off = b.len;
    scn_buf_mem(&b, l3, len);
    /* Frames seen on a switch mirror port are padded to the 60-byte minimum
     * (64 with the FCS the capture does not keep). */
    if (!s->no_pad && b.len < 60)
        scn_buf_zero(&b, 60 - b.len);
    pkt_store(s, ts, b.p, b.len, ipid_host, l3_off);
    scn_buf_free(&b);
}

void scn_emit_frame_cut(struct scn *s, uint64_t ts, const uint8_t smac[6], const uint8_t dmac[6],
                        uint16_t ethertype, const uint8_t *l3, size_t len, size_t wire_len,
                        int ipid_host)
{
    size_t before = s->npkts;
    scn_emit_frame(s, ts, smac, dmac, ethertype, l3, len, ipid_host);
    if (s->npkts == before || wire_len <= len)
        return;
    struct scn_pkt *p = &s->pkts[s->npkts - 1];
    /* Link headers (and any tunnel) in front of l3 stay as they were. */
    p->wirelen = (uint32_t)(p->len - MIN(p->len, len) + wire_len);
}

/* ------------------------------------------------------------ endpoints */

struct scn_ep scn_ep4(const struct scn_host *h)
{
    struct scn_ep e;
    memset(&e, 0, sizeof(e));
    memcpy(e.mac, h->mac, 6);
    e.ip4 = h->ip4;
    e.ttl = h->ttl;
    e.host = h->index;
    return e;
}

struct scn_ep scn_ep6_ll(const struct scn_host *h)
{
    struct scn_ep e;
    memset(&e, 0, sizeof(e));
    memcpy(e.mac, h->mac, 6);
    e.v6 = true;
    memcpy(e.ip6, h->ip6_ll, 16);
    e.ttl = h->ttl;
    e.host = h->index;
    return e;
}

struct scn_ep scn_ep6(const struct scn_host *h)
{
    static const uint8_t zero[16];
    struct scn_ep e = scn_ep6_ll(h);
    if (memcmp(h->ip6, zero, 16) != 0)
        memcpy(e.ip6, h->ip6, 16);
    return e;
}

struct scn_ep scn_ep_raw4(const uint8_t mac[6], uint32_t ip4, uint8_t ttl)
{
    struct scn_ep e;
    memset(&e, 0, sizeof(e));
    memcpy(e.mac, mac, 6);
    e.ip4 = ip4;
    e.ttl = ttl;
    e.host = -1;
    return e;
}

struct scn_ep scn_ep_raw6(const uint8_t mac[6], const uint8_t ip6[16], uint8_t ttl)
{
    struct scn_ep e;
    memset(&e, 0, sizeof(e));
    memcpy(e.mac, mac, 6);
    e.v6 = true;
    memcpy(e.ip6, ip6, 16);
    e.ttl = ttl;
    e.host = -1;
    return e;
}

struct scn_ep scn_ep_mcast4(uint32_t group, uint8_t ttl)
{
    uint8_t mac[6] = {
        0x01, 0x00, 0x5e, (uint8_t)((group >> 16) & 0x7f), (uint8_t)(group >> 8), (uint8_t)group};
    return scn_ep_raw4(mac, group, ttl);
}

struct scn_ep scn_ep_mcast6(const uint8_t group[16], uint8_t ttl)
{
    uint8_t mac[6] = {0x33, 0x33, group[12], group[13], group[14], group[15]};
    return scn_ep_raw6(mac, group, ttl);
}

/* ------------------------------------------------------------------- IP */

static int l4_csum_off(uint8_t proto)
{
    switch (proto) {
    case 6:
        return 16;
    case 17:
        return 6;
    case 1:
    case 58:
        return 2;
    default:
        return -1;
    }
}

uint16_t scn_l4_csum(const struct scn_ep *src, const struct scn_ep *dst, uint8_t proto,
                     const uint8_t *l4, size_t len)
{
    uint32_t sum = 0;

    if (proto == 1) /* ICMPv4 has no pseudo-header */
        return scn_csum(l4, len, 0);
    if (src->v6) {
        for (unsigned i = 0; i < 16; i += 2) {
            sum += (uint32_t)(src->ip6[i] << 8 | src->ip6[i + 1]);
            sum += (uint32_t)(dst->ip6[i] << 8 | dst->ip6[i + 1]);
        }
        sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
    } else {
        sum += (src->ip4 >> 16) + (src->ip4 & 0xffff);
        sum += (dst->ip4 >> 16) + (dst->ip4 & 0xffff);
        sum += (uint32_t)len;
    }
    sum += proto;
    uint16_t c = scn_csum(l4, len, sum);
    /* UDP sends a computed 0 as all ones (RFC 768). */
    return (proto == 17 && c == 0) ? 0xffff : c;
}

void scn_ip(struct scn *s, uint64_t ts, const struct scn_ep *src, const struct scn_ep *dst,
            uint8_t proto, bool df, const uint8_t *l4, size_t len)
{
    struct scn_buf b;
    int coff = l4_csum_off(proto);

    scn_buf_init(&b);
    if (src->v6) {
        scn_buf_u32(&b, 0x60000000);
        scn_buf_u16(&b, (uint16_t)len);
        scn_buf_u8(&b, proto);
        scn_buf_u8(&b, src->ttl);
        scn_buf_mem(&b, src->ip6, 16);
        scn_buf_mem(&b, dst->ip6, 16);
    } else {
        scn_buf_u8(&b, 0x45);
        scn_buf_u8(&b, 0);
        scn_buf_u16(&b, (uint16_t)(20 + len));
        /* id: filled in when written for a host, random for a spoofed source */
        scn_buf_u16(&b, src->host >= 0 ? 0 : (uint16_t)scn_rng_next(&s->rng));
        scn_buf_u16(&b, df ? 0x4000 : 0);
        scn_buf_u8(&b, src->ttl);
        scn_buf_u8(&b, proto);
        scn_buf_u16(&b, 0);
        scn_buf_u32(&b, src->ip4);
        scn_buf_u32(&b, dst->ip4);
        put16(b.p + 10, scn_csum(b.p, 20, 0));
    }
    size_t l4_at = b.len;
    scn_buf_mem(&b, l4, len);
    if (coff >= 0 && (size_t)coff + 2 <= len) {
        put16(b.p + l4_at + coff, 0);
        put16(b.p + l4_at + coff, scn_l4_csum(src, dst, proto, b.p + l4_at, len));
    }
    scn_emit_frame(s, ts, src->mac, dst->mac, src->v6 ? 0x86dd : 0x0800, b.p, b.len,
                   src->v6 ? -1 : src->host);
    scn_buf_free(&b);
}

void scn_ip_frag(struct scn *s, uint64_t ts, const struct scn_ep *src, const struct scn_ep *dst,
                 uint8_t proto, const uint8_t *l4, size_t len, size_t mtu, bool reverse,
                 uint64_t gap_us)
{
    struct scn_buf full, b;
    int coff = l4_csum_off(proto);
    size_t hdr = src->v6 ? 40 + 8 : 20;
    /* Every fragment but the last carries a multiple of 8 bytes. */
    size_t per = ((mtu - hdr) / 8) * 8;
    size_t nfrag = (len + per - 1) / per;
    uint32_t id = (uint32_t)scn_rng_next(&s->rng);

    scn_buf_init(&full);
    scn_buf_init(&b);
    scn_buf_mem(&full, l4, len);
    if (coff >= 0 && (size_t)coff + 2 <= len) {
        put16(full.p + coff, 0);
        put16(full.p + coff, scn_l4_csum(src, dst, proto, full.p, len));
    }
    for (size_t k = 0; k < nfrag; k++) {
        size_t i = reverse ? nfrag - 1 - k : k;
        size_t off = i * per, n = MIN(per, len - off);
        bool more = i + 1 < nfrag;
        scn_buf_clear(&b);
        if (src->v6) {
            scn_buf_u32(&b, 0x60000000);
            scn_buf_u16(&b, (uint16_t)(8 + n));
            scn_buf_u8(&b, 44);
            scn_buf_u8(&b, src->ttl);
            scn_buf_mem(&b, src->ip6, 16);
            scn_buf_mem(&b, dst->ip6, 16);
            scn_buf_u8(&b, proto);
            scn_buf_u8(&b, 0);
            scn_buf_u16(&b, (uint16_t)(off | (more ? 1 : 0)));
            scn_buf_u32(&b, id);
        } else {
            scn_buf_u8(&b, 0x45);
            scn_buf_u8(&b, 0);
            scn_buf_u16(&b, (uint16_t)(20 + n));
            scn_buf_u16(&b, (uint16_t)id);
            scn_buf_u16(&b, (uint16_t)((off / 8) | (more ? 0x2000 : 0)));
            scn_buf_u8(&b, src->ttl);
            scn_buf_u8(&b, proto);
            scn_buf_u16(&b, 0);
            scn_buf_u32(&b, src->ip4);
            scn_buf_u32(&b, dst->ip4);
            put16(b.p + 10, scn_csum(b.p, 20, 0));
        }
        scn_buf_mem(&b, full.p + off, n);
        scn_emit_frame(s, ts + k * gap_us, src->mac, dst->mac, src->v6 ? 0x86dd : 0x0800, b.p,
                       b.len, -1);
    }
    scn_buf_free(&full);
    scn_buf_free(&b);
}

void scn_udp(struct scn *s, uint64_t ts, const struct scn_ep *src, const struct scn_ep *dst,
             uint16_t sport, uint16_t dport, const uint8_t *data, size_t len)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_u16(&b, sport);
    scn_buf_u16(&b, dport);
    scn_buf_u16(&b, (uint16_t)(8 + len));
    scn_buf_u16(&b, 0);
    scn_buf_mem(&b, data, len);
    scn_ip(s, ts, src, dst, 17, false, b.p, b.len);
    scn_buf_free(&b);
}

/* ------------------------------------------------------------------ ARP */

static void arp_emit(struct scn *s, uint64_t ts, const uint8_t *eth_dst, uint16_t op,
                     const uint8_t sha[6], uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_u16(&b, 1);      /* hardware: Ethernet */
    scn_buf_u16(&b, 0x0800); /* protocol: IPv4 */
    scn_buf_u8(&b, 6);
    scn_buf_u8(&b, 4);
    scn_buf_u16(&b, op);
    scn_buf_mem(&b, sha, 6);
    scn_buf_u32(&b, spa);
    scn_buf_mem(&b, tha, 6);
    scn_buf_u32(&b, tpa);
    scn_emit_frame(s, ts, sha, eth_dst, 0x0806, b.p, b.len, -1);
    scn_buf_free(&b);
}

static const uint8_t mac_zero[6];

void scn_arp_request(struct scn *s, uint64_t ts, const struct scn_host *from, uint32_t target)
{
    arp_emit(s, ts, scn_mac_bcast, 1, from->mac, from->ip4, mac_zero, target);
}

void scn_arp_reply(struct scn *s, uint64_t ts, const struct scn_host *from,
                   const struct scn_host *to)
{
    arp_emit(s, ts, to->mac, 2, from->mac, from->ip4, to->mac, to->ip4);
}

void scn_arp_probe(struct scn *s, uint64_t ts, const struct scn_host *h, uint32_t ip)
{
    arp_emit(s, ts, scn_mac_bcast, 1, h->mac, 0, mac_zero, ip);
}

void scn_arp_announce(struct scn *s, uint64_t ts, const struct scn_host *h)
{
    arp_emit(s, ts, scn_mac_bcast, 1, h->mac, h->ip4, mac_zero, h->ip4);
}

/* ------------------------------------------------------------------ TCP */

/* How each stack opens a connection: the SYN's options in order, window
 * and scale (what p0f and JA4T fingerprint). */
struct tcp_profile {
    uint16_t syn_win;
    uint8_t wscale; /* 0xff: no window scale option */
    bool sack, ts;
    uint16_t est_win;   /* window field once scaling is on */
    uint16_t plain_win; /* window field without scaling */
};

static const struct tcp_profile *tcp_prof(enum scn_os os)
{
    static const struct tcp_profile win = {64240, 8, true, false, 1026, 64240};
    static const struct tcp_profile lin = {64240, 7, true, true, 502, 64240};
    static const struct tcp_profile mac = {65535, 6, true, true, 2058, 65535};
    static const struct tcp_profile andr = {65535, 8, true, true, 256, 65535};
    static const struct tcp_profile prn = {8760, 0xff, false, false, 8760, 8760};

    switch (os) {
    case SCN_OS_WINDOWS:
        return &win;
    case SCN_OS_MACOS:
    case SCN_OS_IOS:
        return &mac;
    case SCN_OS_ANDROID:
        return &andr;
    case SCN_OS_PRINTER:
        return &prn;
    case SCN_OS_LINUX:
    case SCN_OS_ROUTER:
        break;
    }
    return &lin;
}

static uint32_t tcp_tsval(const struct scn_host *h, uint64_t ts)
{
    return h->tcp_ts_off + (uint32_t)(ts / 1000); /* 1 ms clock, as Linux */
}

/* One TCP option each; `nop` puts a NOP in front. They return the new
 * offset. */
static size_t opt_nop(uint8_t *o, size_t n)
{
    o[n++] = 1;
    return n;
}

static size_t opt_ws(uint8_t *o, size_t n, uint8_t shift)
{
    n = opt_nop(o, n);
    o[n++] = 3;
    o[n++] = 3;
    o[n++] = shift;
    return n;
}

static size_t opt_sack_perm(uint8_t *o, size_t n)
{
    o[n++] = 4;
    o[n++] = 2;
    return n;
}

static size_t opt_ts(uint8_t *o, size_t n, uint32_t tsval, uint32_t tsecr)
{
    o[n++] = 8;
    o[n++] = 10;
    put32(o + n, tsval);
    put32(o + n + 4, tsecr);
    return n + 8;
}

/* SYN / SYN+ACK options in the order each OS writes them. `peer` limits a
 * SYN+ACK to what the SYN offered (NULL for a SYN). */
static size_t tcp_syn_opts(uint8_t *o, enum scn_os os, uint16_t mss, const struct tcp_profile *peer,
                           uint32_t tsval, uint32_t tsecr)
{
    const struct tcp_profile *p = tcp_prof(os);
    bool ws = p->wscale != 0xff && (!peer || peer->wscale != 0xff);
    bool sack = p->sack && (!peer || peer->sack);
    bool ts = p->ts && (!peer || peer->ts);
    size_t n = 0;

    o[n++] = 2;
    o[n++] = 4;
    put16(o + n, mss);
    n += 2;
    if (os == SCN_OS_WINDOWS) {
        /* MSS, NOP, WS, NOP, NOP, SACK_PERM */
        if (ws)
            n = opt_ws(o, n, p->wscale);
        if (sack)
            n = opt_sack_perm(o, opt_nop(o, opt_nop(o, n)));
    } else if (os == SCN_OS_MACOS || os == SCN_OS_IOS) {
        /* MSS, NOP, WS, NOP, NOP, TS, SACK_PERM, EOL, EOL */
        if (ws)
            n = opt_ws(o, n, p->wscale);
        if (ts)
            n = opt_ts(o, opt_nop(o, opt_nop(o, n)), tsval, tsecr);
        if (sack)
            n = opt_sack_perm(o, n);
    } else if (p->wscale != 0xff) {
        /* Linux: MSS, SACK_PERM, TS, NOP, WS (NOPs pad what is left out) */
        if (sack && ts)
            n = opt_sack_perm(o, n);
        else if (sack)
            n = opt_sack_perm(o, opt_nop(o, opt_nop(o, n)));
        if (ts)
            n = opt_ts(o, sack ? n : opt_nop(o, opt_nop(o, n)), tsval, tsecr);
        if (ws)
            n = opt_ws(o, n, p->wscale);
    }
    while (n % 4)
        o[n++] = 0; /* EOL padding */
    return n;
}

void scn_tcp_raw(struct scn *s, uint64_t ts, const struct scn_ep *src, const struct scn_ep *dst,
                 uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                 uint16_t win, const uint8_t *opts, size_t optlen)
{
    uint8_t h[60];
    size_t hl = 20 + optlen;

    if (optlen > 40 || optlen % 4)
        BUG("tcp options must be a multiple of 4, at most 40");
    put16(h, sport);
    put16(h + 2, dport);
    put32(h + 4, seq);
    put32(h + 8, ack);
    h[12] = (uint8_t)((hl / 4) << 4);
    h[13] = flags;
    put16(h + 14, win);
    put16(h + 16, 0);
    put16(h + 18, 0);
    if (optlen)
        memcpy(h + 20, opts, optlen);
    scn_ip(s, ts, src, dst, 6, true, h, hl);
}

/* One segment of a session from side dir. */
static void tcp_seg(struct scn *s, struct scn_tcp *c, int dir, uint64_t ts, uint8_t flags,
                    uint32_t seq, uint32_t ack, const uint8_t *data, size_t len)
{
    struct scn_buf b;
    uint8_t opts[12];
    size_t optlen = 0;
    int o = !dir;

    if (c->ts) {
        uint32_t tsval = tcp_tsval(c->h[dir], ts);
        opts[0] = 1;
        opts[1] = 1;
        opts[2] = 8;
        opts[3] = 10;
        put32(opts + 4, tsval);
        put32(opts + 8, c->ts_last[o]);
        c->ts_last[dir] = tsval;
        optlen = 12;
    }
    scn_buf_init(&b);
    scn_buf_u16(&b, c->port[dir]);
    scn_buf_u16(&b, c->port[o]);
    scn_buf_u32(&b, seq);
    scn_buf_u32(&b, (flags & SCN_TH_ACK) ? ack : 0);
    scn_buf_u8(&b, (uint8_t)(((20 + optlen) / 4) << 4));
    scn_buf_u8(&b, flags);
    scn_buf_u16(&b, (flags & SCN_TH_RST) ? 0 : c->win[dir]);
    scn_buf_u32(&b, 0); /* checksum, urgent pointer */
    scn_buf_mem(&b, opts, optlen);
    scn_buf_mem(&b, data, len);
    scn_ip(s, ts, &c->ep[dir], &c->ep[o], 6, true, b.p, b.len);
    scn_buf_free(&b);
}

void scn_tcp_seg(struct scn *s, struct scn_tcp *c, int dir, uint64_t ts, uint8_t flags,
                 uint32_t seq, uint32_t ack, const void *data, size_t len)
{
    tcp_seg(s, c, dir, ts, flags, seq, ack, data, len);
}

static uint64_t reply_delay(const struct scn_tcp *c, int side)
{
    return side == 1 ? c->rtt_us : c->lan_us;
}

void scn_tcp_open(struct scn *s, struct scn_tcp *c, struct scn_host *cli, struct scn_host *srv,
                  uint16_t sport, uint16_t dport, bool v6, uint64_t t0, uint64_t rtt_us)
{
    const struct tcp_profile *pc = tcp_prof(cli->os), *ps = tcp_prof(srv->os);
    uint8_t opts[40];
    size_t n;

    memset(c, 0, sizeof(*c));
    c->h[0] = cli;
    c->h[1] = srv;
    c->ep[0] = v6 ? scn_ep6(cli) : scn_ep4(cli);
    c->ep[1] = v6 ? scn_ep6(srv) : scn_ep4(srv);
    c->port[0] = sport ? sport : scn_host_port(s, cli);
    c->port[1] = dport;
    c->rtt_us = rtt_us;
    c->lan_us = scn_rng_range(&s->rng, 80, 400);
    c->gap_us[0] = 25;
    c->gap_us[1] = srv->remote ? 110 : 15;
    uint32_t isn_c = (uint32_t)scn_rng_next(&s->rng);
    uint32_t isn_s = (uint32_t)scn_rng_next(&s->rng);
    uint16_t mss_c = (uint16_t)(cli->mss - (v6 ? 20 : 0));
    uint16_t mss_s = (uint16_t)(srv->mss - (v6 ? 20 : 0));

    /* SYN */
    uint64_t t = t0;
    uint32_t tsv_c = tcp_tsval(cli, t);
    n = tcp_syn_opts(opts, cli->os, mss_c, NULL, tsv_c, 0);
    scn_tcp_raw(s, t, &c->ep[0], &c->ep[1], c->port[0], dport, isn_c, 0, SCN_TH_SYN, pc->syn_win,
                opts, n);
    /* SYN+ACK */
    t += rtt_us;
    uint32_t tsv_s = tcp_tsval(srv, t);
    n = tcp_syn_opts(opts, srv->os, mss_s, pc, tsv_s, tsv_c);
    scn_tcp_raw(s, t, &c->ep[1], &c->ep[0], dport, c->port[0], isn_s, isn_c + 1,
                SCN_TH_SYN | SCN_TH_ACK, ps->syn_win, opts, n);

    bool ws = pc->wscale != 0xff && ps->wscale != 0xff;
    c->ts = pc->ts && ps->ts;
    c->win[0] = ws ? pc->est_win : pc->plain_win;
    c->win[1] = ws ? ps->est_win : ps->plain_win;
    c->wscale[0] = ws ? pc->wscale : 0;
    c->wscale[1] = ws ? ps->wscale : 0;
    c->mss = (uint16_t)(MIN(mss_c, mss_s) - (c->ts ? 12 : 0));
    c->seq[0] = isn_c + 1;
    c->seq[1] = isn_s + 1;
    c->ts_last[0] = tsv_c;
    c->ts_last[1] = tsv_s;
    /* ACK */
    t += c->lan_us;
    tcp_seg(s, c, 0, t, SCN_TH_ACK, c->seq[0], c->seq[1], NULL, 0);
    c->t = t;
    c->last_dir = 0;
}

void scn_tcp_wait(struct scn_tcp *c, uint64_t us)
{
    c->t += us;
}

void scn_tcp_send(struct scn *s, struct scn_tcp *c, int dir, const void *data, size_t len)
{
    const uint8_t *p = data;
    int o = !dir;
    uint64_t t;

    if (!len)
        return;
    if (c->last_dir == dir && c->pend[dir]) {
        /* The receiver's delayed ACK fires before the sender goes on. */
        c->t += reply_delay(c, o);
        tcp_seg(s, c, o, c->t, SCN_TH_ACK, c->seq[o], c->seq[dir], NULL, 0);
        c->pend[dir] = false;
    }
    t = c->last_dir == dir ? c->t + c->gap_us[dir] : c->t + reply_delay(c, dir);
    /* Pace the segments so that what is in flight (about one ACK delay's
     * worth plus the two segments an ACK waits for) fits the receiver's
     * window: a sender never overruns it. */
    uint64_t gap = c->gap_us[dir];
    uint32_t wnd_segs = ((uint32_t)c->win[o] << c->wscale[o]) / c->mss;
    if (wnd_segs > 3)
        gap = MAX(gap, reply_delay(c, o) / (wnd_segs - 3) + 1);
    else
        gap = MAX(gap, reply_delay(c, o) + 1);
    size_t nseg = 0;
    while (len) {
        size_t k = MIN(len, (size_t)c->mss);
        uint8_t fl = SCN_TH_ACK | (k == len ? SCN_TH_PSH : 0);
        tcp_seg(s, c, dir, t, fl, c->seq[dir], c->seq[o], p, k);
        c->seq[dir] += (uint32_t)k;
        p += k;
        len -= k;
        nseg++;
        /* Delayed ACK: every second full segment (RFC 1122 4.2.3.2). */
        if (nseg % 2 == 0)
            tcp_seg(s, c, o, t + reply_delay(c, o), SCN_TH_ACK, c->seq[o], c->seq[dir], NULL, 0);
        c->t = t;
        t += gap;
    }
    c->pend[dir] = nseg % 2 == 1;
    c->pend[o] = false;
    c->last_dir = dir;
}

void scn_tcp_send_rand(struct scn *s, struct scn_tcp *c, int dir, size_t len)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_rand(&b, &s->rng, len);
    scn_tcp_send(s, c, dir, b.p, b.len);
    scn_buf_free(&b);
}

void scn_tcp_close(struct scn *s, struct scn_tcp *c, int first)
{
    int o = !first;
    uint64_t t = c->last_dir == first ? c->t + c->gap_us[first] : c->t + reply_delay(c, first);

    tcp_seg(s, c, first, t, SCN_TH_FIN | SCN_TH_ACK, c->seq[first], c->seq[o], NULL, 0);
    c->seq[first]++;
    t += reply_delay(c, o);
    tcp_seg(s, c, o, t, SCN_TH_FIN | SCN_TH_ACK, c->seq[o], c->seq[first], NULL, 0);
    c->seq[o]++;
    t += reply_delay(c, first);
    tcp_seg(s, c, first, t, SCN_TH_ACK, c->seq[first], c->seq[o], NULL, 0);
    c->t = t;
    c->pend[0] = c->pend[1] = false;
    c->last_dir = first;
}

void scn_tcp_reset(struct scn *s, struct scn_tcp *c, int dir)
{
    uint64_t t = c->last_dir == dir ? c->t + c->gap_us[dir] : c->t + reply_delay(c, dir);
    tcp_seg(s, c, dir, t, SCN_TH_RST | SCN_TH_ACK, c->seq[dir], c->seq[!dir], NULL, 0);
    c->t = t;
    c->last_dir = dir;
}

uint64_t scn_tcp_refused(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint16_t dport,
                         uint64_t t0, uint64_t rtt_us)
{
    struct scn_ep a = scn_ep4(cli), b = scn_ep4(srv);
    uint8_t opts[40];
    uint16_t sport = scn_host_port(s, cli);
    uint32_t isn = (uint32_t)scn_rng_next(&s->rng);
    size_t n = tcp_syn_opts(opts, cli->os, cli->mss, NULL, tcp_tsval(cli, t0), 0);

    scn_tcp_raw(s, t0, &a, &b, sport, dport, isn, 0, SCN_TH_SYN, tcp_prof(cli->os)->syn_win, opts,
                n);
    scn_tcp_raw(s, t0 + rtt_us, &b, &a, dport, sport, 0, isn + 1, SCN_TH_RST | SCN_TH_ACK, 0, NULL,
                0);
    return t0 + rtt_us;
}

void scn_syn_probe(struct scn *s, struct scn_host *src, struct scn_host *dst, uint16_t sport,
                   uint16_t dport, uint64_t t, int answer)
{
    struct scn_ep a = scn_ep4(src), b = scn_ep4(dst);
    uint32_t seq = (uint32_t)scn_rng_next(&s->rng);
    scn_tcp_raw(s, t, &a, &b, sport, dport, seq, 0, SCN_TH_SYN, 1024, NULL, 0);
    if (answer == 1) {
        scn_tcp_raw(s, t + 400, &b, &a, dport, sport, 777, seq + 1, SCN_TH_SYN | SCN_TH_ACK,
                    29200, NULL, 0);
        scn_tcp_raw(s, t + 500, &a, &b, sport, dport, seq + 1, 0, SCN_TH_RST, 0, NULL, 0);
    } else if (answer == 2) {
        scn_tcp_raw(s, t + 400, &b, &a, dport, sport, 0, seq + 1, SCN_TH_RST | SCN_TH_ACK, 0,
                    NULL, 0);
    }
}

uint16_t scn_nmap_port(unsigned i, unsigned ntop)
{
    static const uint16_t top[] = {80,  23,   443, 21,   22,   25,   3389, 110, 445, 139,
                                   143, 53,   135, 3306, 8080, 1723, 111,  995, 993, 5900,
                                   587, 8888, 199, 1720, 465,  548,  113,  81,  6001, 10000};
    if (ntop > ARRAY_SIZE(top))
        ntop = ARRAY_SIZE(top);
    return i < ntop ? top[i] : (uint16_t)(1000 + i);
}
