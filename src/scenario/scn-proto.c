/* scn-proto.c - DNS, mDNS, LLMNR, NetBIOS-NS, DHCP, NTP, ICMP echo and IPv6
 * neighbor discovery exchanges for the scenario generator. */
#include <string.h>

#include "scenario/scn-build.h"
#include "util/util.h"

/* ------------------------------------------------------------------ DNS */

/* Uncompressed name (RFC 1035 3.1); "" and "." are the root. */
static void dns_name(struct scn_buf *b, const char *name)
{
    const char *p = name;
    while (*p && !(p[0] == '.' && p[1] == '\0')) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 0 || n > 63)
            BUG("dns label empty or longer than 63");
        scn_buf_u8(b, (uint8_t)n);
        scn_buf_mem(b, p, n);
        p += n;
        if (*p == '.')
            p++;
    }
    scn_buf_u8(b, 0);
}

static void dns_rr(struct scn_buf *b, const struct scn_dns_rr *rr, bool have_q)
{
    if (!rr->name) {
        if (!have_q)
            BUG("dns rr refers to a missing question");
        scn_buf_u16(b, 0xc00c); /* pointer to the question name at offset 12 */
    } else {
        dns_name(b, rr->name);
    }
    scn_buf_u16(b, rr->type);
    scn_buf_u16(b, rr->rclass ? rr->rclass : 1);
    scn_buf_u32(b, rr->ttl);
    size_t m = scn_buf_mark(b, 2);
    switch (rr->type) {
    case SCN_DNS_A:
        scn_buf_u32(b, rr->a);
        break;
    case SCN_DNS_AAAA:
        scn_buf_mem(b, rr->aaaa, 16);
        break;
    case SCN_DNS_MX:
        scn_buf_u16(b, rr->pref);
        dns_name(b, rr->target);
        break;
    case SCN_DNS_SRV:
        scn_buf_u16(b, rr->pref);
        scn_buf_u16(b, rr->weight);
        scn_buf_u16(b, rr->port);
        dns_name(b, rr->target);
        break;
    case SCN_DNS_TXT: {
        const char *p = rr->txt ? rr->txt : "";
        do {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (n > 255)
                BUG("dns txt string longer than 255");
            scn_buf_u8(b, (uint8_t)n);
            scn_buf_mem(b, p, n);
            p = nl ? nl + 1 : NULL;
        } while (p);
        break;
    }
    case SCN_DNS_OPT:
        break;
    case SCN_DNS_SOA:
        dns_name(b, rr->target);
        dns_name(b, rr->rname);
        for (unsigned i = 0; i < 5; i++)
            scn_buf_u32(b, rr->soa[i]);
        break;
    default: /* CNAME, PTR, NS; raw RDATA for the rest */
        if (rr->raw)
            scn_buf_mem(b, rr->raw, rr->rawlen);
        else
            dns_name(b, rr->target);
        break;
    }
    scn_buf_patch(b, m, 2);
}

void scn_dns_build(struct scn_buf *b, uint16_t id, uint16_t flags, const char *qname,
                   uint16_t qtype, uint16_t qclass, const struct scn_dns_rr *an, size_t nan,
                   const struct scn_dns_rr *ar, size_t nar)
{
    scn_dns_build_ns(b, id, flags, qname, qtype, qclass, an, nan, NULL, 0, ar, nar);
}

void scn_dns_build_ns(struct scn_buf *b, uint16_t id, uint16_t flags, const char *qname,
                      uint16_t qtype, uint16_t qclass, const struct scn_dns_rr *an, size_t nan,
                      const struct scn_dns_rr *ns, size_t nns, const struct scn_dns_rr *ar,
                      size_t nar)
{
    scn_buf_clear(b);
    scn_buf_u16(b, id);
    scn_buf_u16(b, flags);
    scn_buf_u16(b, qname ? 1 : 0);
    scn_buf_u16(b, (uint16_t)nan);
    scn_buf_u16(b, (uint16_t)nns);
    scn_buf_u16(b, (uint16_t)nar);
    if (qname) {
        dns_name(b, qname);
        scn_buf_u16(b, qtype);
        scn_buf_u16(b, qclass ? qclass : 1);
    }
    for (size_t i = 0; i < nan; i++)
        dns_rr(b, &an[i], qname != NULL);
    for (size_t i = 0; i < nns; i++)
        dns_rr(b, &ns[i], qname != NULL);
    for (size_t i = 0; i < nar; i++)
        dns_rr(b, &ar[i], qname != NULL);
}

void scn_dns_lookup(struct scn *s, uint64_t *t, struct scn_host *cli, struct scn_host *srv,
                    const char *qname, uint16_t qtype, const struct scn_dns_rr *an, size_t nan,
                    unsigned rcode, uint64_t rtt_us)
{
    struct scn_buf b;
    struct scn_ep c = scn_ep4(cli), v = scn_ep4(srv);
    uint16_t id = (uint16_t)scn_rng_next(&s->rng);
    uint16_t sport = scn_host_port(s, cli);

    scn_buf_init(&b);
    scn_dns_build(&b, id, 0x0100 /* RD */, qname, qtype, 1, NULL, 0, NULL, 0);
    scn_udp(s, *t, &c, &v, sport, 53, b.p, b.len);
    *t += rtt_us;
    /* QR, RD, RA + rcode */
    scn_dns_build(&b, id, (uint16_t)(0x8180 | (rcode & 0xf)), qname, qtype, 1, an, nan, NULL, 0);
    scn_udp(s, *t, &v, &c, 53, sport, b.p, b.len);
    scn_buf_free(&b);
}

void scn_mdns_announce(struct scn *s, uint64_t ts, const struct scn_host *h,
                       const struct scn_dns_rr *an, size_t nan)
{
    struct scn_buf b;
    struct scn_ep src = scn_ep4(h), dst = scn_ep_mcast4(SCN_IP4(224, 0, 0, 251), 255);

    src.ttl = 255; /* RFC 6762 11: link-local, sent with TTL 255 */
    scn_buf_init(&b);
    scn_dns_build(&b, 0, 0x8400 /* QR, AA */, NULL, 0, 0, an, nan, NULL, 0);
    scn_udp(s, ts, &src, &dst, 5353, 5353, b.p, b.len);
    scn_buf_free(&b);
}

void scn_mdns_query(struct scn *s, uint64_t ts, const struct scn_host *h, const char *name,
                    uint16_t type)
{
    struct scn_buf b;
    struct scn_ep src = scn_ep4(h), dst = scn_ep_mcast4(SCN_IP4(224, 0, 0, 251), 255);

    src.ttl = 255;
    scn_buf_init(&b);
    scn_dns_build(&b, 0, 0, name, type, 1, NULL, 0, NULL, 0);
    scn_udp(s, ts, &src, &dst, 5353, 5353, b.p, b.len);
    scn_buf_free(&b);
}

void scn_llmnr_query(struct scn *s, uint64_t ts, struct scn_host *h, const char *name)
{
    struct scn_buf b;
    struct scn_ep src = scn_ep4(h), dst = scn_ep_mcast4(SCN_IP4(224, 0, 0, 252), 1);

    src.ttl = 1; /* RFC 4795 2.5 */
    scn_buf_init(&b);
    scn_dns_build(&b, (uint16_t)scn_rng_next(&s->rng), 0, name, SCN_DNS_A, 1, NULL, 0, NULL, 0);
    scn_udp(s, ts, &src, &dst, scn_host_port(s, h), 5355, b.p, b.len);
    scn_buf_free(&b);
}

/* RFC 1001 14.1 first-level encoding: 16 bytes (name padded with spaces,
 * suffix last), each nibble as 'A' + value. */
static void nb_name(struct scn_buf *b, const char *name, uint8_t suffix)
{
    uint8_t raw[16];
    size_t n = strlen(name);

    memset(raw, ' ', sizeof(raw));
    for (size_t i = 0; i < n && i < 15; i++) {
        char ch = name[i];
        raw[i] = (uint8_t)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    }
    raw[15] = suffix;
    scn_buf_u8(b, 32);
    for (unsigned i = 0; i < 16; i++) {
        scn_buf_u8(b, (uint8_t)('A' + (raw[i] >> 4)));
        scn_buf_u8(b, (uint8_t)('A' + (raw[i] & 0xf)));
    }
    scn_buf_u8(b, 0);
}

static void nbns_register_one(struct scn *s, uint64_t ts, const struct scn_host *h,
                              const char *name, uint8_t suffix, bool group)
{
    struct scn_buf b;
    struct scn_ep src = scn_ep4(h);
    struct scn_ep dst = scn_ep_raw4(scn_mac_bcast, h->ip4 | 0xff, 0);

    scn_buf_init(&b);
    scn_buf_u16(&b, (uint16_t)scn_rng_next(&s->rng));
    scn_buf_u16(&b, 0x2910); /* opcode 5 registration, RD, broadcast */
    scn_buf_u16(&b, 1);
    scn_buf_u16(&b, 0);
    scn_buf_u16(&b, 0);
    scn_buf_u16(&b, 1);
    nb_name(&b, name, suffix);
    scn_buf_u16(&b, 0x0020); /* NB */
    scn_buf_u16(&b, 1);
    scn_buf_u16(&b, 0xc00c);
    scn_buf_u16(&b, 0x0020);
    scn_buf_u16(&b, 1);
    scn_buf_u32(&b, 300000); /* TTL Windows registers with (3 days 11 h) */
    scn_buf_u16(&b, 6);
    scn_buf_u16(&b, group ? 0x8000 : 0x0000); /* B-node, unique or group */
    scn_buf_u32(&b, h->ip4);
    scn_udp(s, ts, &src, &dst, 137, 137, b.p, b.len);
    scn_buf_free(&b);
}

void scn_nbns_register(struct scn *s, uint64_t ts, const struct scn_host *h, const char *workgroup)
{
    nbns_register_one(s, ts, h, h->name, 0x00, false);
    nbns_register_one(s, ts + 600, h, h->name, 0x20, false);
    if (workgroup)
        nbns_register_one(s, ts + 1200, h, workgroup, 0x00, true);
}

/* ----------------------------------------------------------------- DHCP */

static void dhcp_opt(struct scn_buf *b, uint8_t code, const void *p, size_t n)
{
    scn_buf_u8(b, code);
    scn_buf_u8(b, (uint8_t)n);
    scn_buf_mem(b, p, n);
}

static void dhcp_opt32(struct scn_buf *b, uint8_t code, uint32_t v)
{
    scn_buf_u8(b, code);
    scn_buf_u8(b, 4);
    scn_buf_u32(b, v);
}

static void bootp_header(struct scn_buf *b, uint8_t op, uint32_t xid, uint16_t secs,
                         uint32_t ciaddr, uint32_t yiaddr, const uint8_t mac[6])
{
    scn_buf_u8(b, op);
    scn_buf_u8(b, 1); /* Ethernet */
    scn_buf_u8(b, 6);
    scn_buf_u8(b, 0);
    scn_buf_u32(b, xid);
    scn_buf_u16(b, secs);
    scn_buf_u16(b, 0); /* flags: unicast replies are fine */
    scn_buf_u32(b, ciaddr);
    scn_buf_u32(b, yiaddr);
    scn_buf_u32(b, 0);
    scn_buf_u32(b, 0);
    scn_buf_mem(b, mac, 6);
    scn_buf_zero(b, 10 + 64 + 128);
    scn_buf_u32(b, 0x63825363); /* magic cookie */
}

/* Client options in the order each OS sends them (what DHCP fingerprinting
 * such as fingerbank reads). */
static void dhcp_client_opts(struct scn_buf *b, const struct scn_host *h, uint8_t type,
                             uint32_t req_ip, uint32_t server)
{
    static const uint8_t prl_win[] = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252};
    static const uint8_t prl_apple[] = {1, 121, 3, 6, 15, 108, 114, 119, 252, 95, 44, 46};
    static const uint8_t prl_android[] = {1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108};
    static const uint8_t prl_linux[] = {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42};
    static const uint8_t prl_printer[] = {1, 3, 6, 12, 15, 28, 42, 44, 46, 47};
    uint8_t cid[7];
    const uint8_t *prl;
    size_t nprl;
    const char *vendor = NULL;

    cid[0] = 1; /* hardware type Ethernet + MAC (RFC 2132 9.14) */
    memcpy(cid + 1, h->mac, 6);
    switch (h->os) {
    case SCN_OS_WINDOWS:
        prl = prl_win, nprl = sizeof(prl_win), vendor = "MSFT 5.0";
        break;
    case SCN_OS_MACOS:
    case SCN_OS_IOS:
        prl = prl_apple, nprl = sizeof(prl_apple);
        break;
    case SCN_OS_ANDROID:
        prl = prl_android, nprl = sizeof(prl_android), vendor = "android-dhcp-14";
        break;
    case SCN_OS_PRINTER:
        prl = prl_printer, nprl = sizeof(prl_printer), vendor = "Brother";
        break;
    default:
        prl = prl_linux, nprl = sizeof(prl_linux), vendor = "udhcp 1.36.1";
        break;
    }
    dhcp_opt(b, 53, &type, 1);
    if (h->os == SCN_OS_IOS || h->os == SCN_OS_MACOS) {
        uint8_t mms[2] = {0x05, 0xdc};
        dhcp_opt(b, 55, prl, nprl);
        dhcp_opt(b, 57, mms, 2);
        dhcp_opt(b, 61, cid, sizeof(cid));
        if (req_ip)
            dhcp_opt32(b, 50, req_ip);
        if (server)
            dhcp_opt32(b, 54, server);
        dhcp_opt(b, 12, h->name, strlen(h->name));
    } else {
        dhcp_opt(b, 61, cid, sizeof(cid));
        if (req_ip)
            dhcp_opt32(b, 50, req_ip);
        if (server)
            dhcp_opt32(b, 54, server);
        dhcp_opt(b, 12, h->name, strlen(h->name));
        if (vendor)
            dhcp_opt(b, 60, vendor, strlen(vendor));
        dhcp_opt(b, 55, prl, nprl);
    }
    scn_buf_u8(b, 255);
    /* BOOTP minimum message: 300 bytes (RFC 1542 2.1). */
    if (b->len < 300)
        scn_buf_zero(b, 300 - b->len);
}

static void dhcp_server_opts(struct scn_buf *b, uint8_t type, const struct scn_host *server,
                             const char *domain)
{
    dhcp_opt(b, 53, &type, 1);
    dhcp_opt32(b, 54, server->ip4);
    dhcp_opt32(b, 51, 86400);
    dhcp_opt32(b, 58, 43200);
    dhcp_opt32(b, 59, 75600);
    dhcp_opt32(b, 1, 0xffffff00);
    dhcp_opt32(b, 3, server->ip4);
    dhcp_opt32(b, 6, server->ip4);
    if (domain)
        dhcp_opt(b, 15, domain, strlen(domain));
    scn_buf_u8(b, 255);
}

void scn_dhcp_join(struct scn *s, uint64_t *t, struct scn_host *h, struct scn_host *server,
                   uint32_t addr, const char *domain)
{
    struct scn_buf b;
    uint32_t xid = (uint32_t)scn_rng_next(&s->rng);
    struct scn_ep cli = scn_ep_raw4(h->mac, 0, h->ttl);
    struct scn_ep bcast = scn_ep_raw4(scn_mac_bcast, 0xffffffff, 0);
    struct scn_ep srv = scn_ep4(server);
    struct scn_ep to;

    cli.host = h->index;
    memset(&to, 0, sizeof(to));
    memcpy(to.mac, h->mac, 6);
    to.ip4 = addr;
    to.host = -1;
    scn_buf_init(&b);

    /* DISCOVER */
    bootp_header(&b, 1, xid, 0, 0, 0, h->mac);
    dhcp_client_opts(&b, h, 1, 0, 0);
    scn_udp(s, *t, &cli, &bcast, 68, 67, b.p, b.len);
    /* OFFER */
    *t += scn_rng_range(&s->rng, 1500, 4000);
    scn_buf_clear(&b);
    bootp_header(&b, 2, xid, 0, 0, addr, h->mac);
    dhcp_server_opts(&b, 2, server, domain);
    scn_udp(s, *t, &srv, &to, 67, 68, b.p, b.len);
    /* REQUEST */
    *t += scn_rng_range(&s->rng, 800, 3000);
    scn_buf_clear(&b);
    bootp_header(&b, 1, xid, 0, 0, 0, h->mac);
    dhcp_client_opts(&b, h, 3, addr, server->ip4);
    scn_udp(s, *t, &cli, &bcast, 68, 67, b.p, b.len);
    /* ACK */
    *t += scn_rng_range(&s->rng, 1500, 4000);
    scn_buf_clear(&b);
    bootp_header(&b, 2, xid, 0, 0, addr, h->mac);
    dhcp_server_opts(&b, 5, server, domain);
    scn_udp(s, *t, &srv, &to, 67, 68, b.p, b.len);
    scn_buf_free(&b);

    /* RFC 5227 address conflict detection, then the announcement. */
    *t += scn_rng_range(&s->rng, 20 * SCN_MS, 80 * SCN_MS);
    scn_arp_probe(s, *t, h, addr);
    *t += scn_rng_range(&s->rng, 1 * SCN_SEC, 2 * SCN_SEC);
    scn_arp_probe(s, *t, h, addr);
    h->ip4 = addr;
    *t += scn_rng_range(&s->rng, 1 * SCN_SEC, 2 * SCN_SEC);
    scn_arp_announce(s, *t, h);
}

/* ------------------------------------------------------------------ NTP */

static uint64_t ntp_ts(uint64_t us)
{
    /* Seconds since 1900 (RFC 5905 6) and a 32-bit binary fraction. */
    uint64_t sec = us / SCN_SEC + 2208988800ull;
    uint64_t frac = ((us % SCN_SEC) << 32) / SCN_SEC;
    return (sec << 32) | frac;
}

void scn_ntp_sync(struct scn *s, uint64_t *t, struct scn_host *cli, struct scn_host *srv,
                  uint64_t rtt_us)
{
    struct scn_buf b;
    struct scn_ep c = scn_ep4(cli), v = scn_ep4(srv);
    /* w32time binds port 123; chrony and phones use an ephemeral port. */
    uint16_t sport = cli->os == SCN_OS_WINDOWS ? 123 : scn_host_port(s, cli);
    uint64_t xmit = ntp_ts(*t);

    scn_buf_init(&b);
    scn_buf_u8(&b, 0x23); /* LI 0, version 4, mode 3 client */
    scn_buf_u8(&b, 0);
    scn_buf_u8(&b, 10);   /* poll 2^10 s */
    scn_buf_u8(&b, 0xe9); /* precision */
    scn_buf_u32(&b, 0);
    scn_buf_u32(&b, 0);
    scn_buf_u32(&b, 0);
    scn_buf_u64(&b, 0);
    scn_buf_u64(&b, 0);
    scn_buf_u64(&b, 0);
    scn_buf_u64(&b, xmit);
    scn_udp(s, *t, &c, &v, sport, 123, b.p, b.len);

    uint64_t recv = ntp_ts(*t + rtt_us / 2);
    *t += rtt_us;
    scn_buf_clear(&b);
    scn_buf_u8(&b, 0x24); /* LI 0, version 4, mode 4 server */
    scn_buf_u8(&b, 2);
    scn_buf_u8(&b, 10);
    scn_buf_u8(&b, 0xe7);
    scn_buf_u32(&b, 0x00000a3c);                  /* root delay */
    scn_buf_u32(&b, 0x00000d2f);                  /* root dispersion */
    scn_buf_u32(&b, SCN_IP4(133, 243, 238, 164)); /* refid: upstream server */
    scn_buf_u64(&b, ntp_ts(*t - 37 * SCN_SEC));
    scn_buf_u64(&b, xmit);
    scn_buf_u64(&b, recv);
    scn_buf_u64(&b, recv + 0x20000);
    scn_udp(s, *t, &v, &c, 123, sport, b.p, b.len);
    scn_buf_free(&b);
}

/* ----------------------------------------------------------------- ICMP */

void scn_ping(struct scn *s, uint64_t *t, struct scn_host *from, struct scn_host *to,
              unsigned count, uint64_t rtt_us)
{
    struct scn_buf b;
    struct scn_ep a = scn_ep4(from), z = scn_ep4(to);
    uint16_t id = from->os == SCN_OS_WINDOWS ? 1 : (uint16_t)scn_rng_next(&s->rng);
    scn_buf_init(&b);
    for (unsigned i = 0; i < count; i++) {
        for (int reply = 0; reply < 2; reply++) {
            scn_buf_clear(&b);
            scn_buf_u8(&b, reply ? 0 : 8);
            scn_buf_u8(&b, 0);
            scn_buf_u16(&b, 0);
            scn_buf_u16(&b, id);
            scn_buf_u16(&b, (uint16_t)(i + 1));
            if (from->os == SCN_OS_WINDOWS) {
                scn_buf_str(&b, "abcdefghijklmnopqrstuvwabcdefghi");
            } else {
                /* Linux ping: struct timeval then bytes 0x10.. (56 bytes) */
                scn_buf_u32(&b, (uint32_t)(*t / SCN_SEC));
                scn_buf_u32(&b, (uint32_t)(*t % SCN_SEC));
                for (uint8_t k = 0x10; k < 0x40; k++)
                    scn_buf_u8(&b, k);
            }
            if (reply)
                scn_ip(s, *t + rtt_us, &z, &a, 1, false, b.p, b.len);
            else
                scn_ip(s, *t, &a, &z, 1, false, b.p, b.len);
        }
        *t += i + 1 < count ? SCN_SEC : rtt_us;
    }
    scn_buf_free(&b);
}

/* ---------------------------------------------------------- IPv6 NDP */

static void icmp6_lladdr(struct scn_buf *b, uint8_t type, const uint8_t mac[6])
{
    scn_buf_u8(b, type); /* 1 source / 2 target link-layer address */
    scn_buf_u8(b, 1);    /* length in 8-byte units */
    scn_buf_mem(b, mac, 6);
}

void scn_ipv6_nd(struct scn *s, uint64_t *t, struct scn_host *h, struct scn_host *router)
{
    static const uint8_t all_routers[16] = {0xff, 0x02, [15] = 2};
    static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
    uint8_t sn[16] = {0xff, 0x02, [11] = 1, [12] = 0xff};
    struct scn_buf b;
    struct scn_ep me = scn_ep6_ll(h), rt = scn_ep6_ll(router);
    struct scn_ep dst;

    me.ttl = rt.ttl = 255; /* RFC 4861: hop limit 255 proves on-link */
    scn_buf_init(&b);
    /* Router Solicitation */
    scn_buf_u8(&b, 133);
    scn_buf_u8(&b, 0);
    scn_buf_u16(&b, 0);
    scn_buf_u32(&b, 0);
    icmp6_lladdr(&b, 1, h->mac);
    dst = scn_ep_mcast6(all_routers, 0);
    scn_ip(s, *t, &me, &dst, 58, false, b.p, b.len);
    /* Router Advertisement */
    *t += scn_rng_range(&s->rng, 500, 3000);
    scn_buf_clear(&b);
    scn_buf_u8(&b, 134);
    scn_buf_u8(&b, 0);
    scn_buf_u16(&b, 0);
    scn_buf_u8(&b, 64);    /* cur hop limit */
    scn_buf_u8(&b, 0);     /* M=0 O=0 */
    scn_buf_u16(&b, 1800); /* router lifetime */
    scn_buf_u32(&b, 0);
    scn_buf_u32(&b, 0);
    icmp6_lladdr(&b, 1, router->mac);
    scn_buf_u8(&b, 5); /* MTU option */
    scn_buf_u8(&b, 1);
    scn_buf_u16(&b, 0);
    scn_buf_u32(&b, 1500);
    dst = scn_ep_mcast6(all_nodes, 0);
    scn_ip(s, *t, &rt, &dst, 58, false, b.p, b.len);
    /* Neighbor Solicitation for the router's address */
    *t += scn_rng_range(&s->rng, 5 * SCN_MS, 50 * SCN_MS);
    memcpy(sn + 13, router->ip6_ll + 13, 3);
    scn_buf_clear(&b);
    scn_buf_u8(&b, 135);
    scn_buf_u8(&b, 0);
    scn_buf_u16(&b, 0);
    scn_buf_u32(&b, 0);
    scn_buf_mem(&b, router->ip6_ll, 16);
    icmp6_lladdr(&b, 1, h->mac);
    dst = scn_ep_mcast6(sn, 0);
    scn_ip(s, *t, &me, &dst, 58, false, b.p, b.len);
    /* Neighbor Advertisement: router, solicited, override */
    *t += scn_rng_range(&s->rng, 200, 1500);
    scn_buf_clear(&b);
    scn_buf_u8(&b, 136);
    scn_buf_u8(&b, 0);
    scn_buf_u16(&b, 0);
    scn_buf_u32(&b, 0xe0000000);
    scn_buf_mem(&b, router->ip6_ll, 16);
    icmp6_lladdr(&b, 2, router->mac);
    scn_ip(s, *t, &rt, &me, 58, false, b.p, b.len);
    scn_buf_free(&b);
}
