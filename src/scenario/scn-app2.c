/* scn-app2.c - the app-* scenarios: one capture per application protocol
 * family, the fixtures of the protocol parsers (issue 3). Every fact a
 * parser must report from them is listed in tests/golden/scenarios-app.tsv;
 * change a name or a value here and that file must change with it.
 *
 * All of them share one small network: the Yamaha gateway 192.168.10.1
 * (DNS forwarder, DHCP server), SOUMU-PC01 (Windows, .101) and, on the
 * Internet, www.example.co.jp at 203.0.113.10. */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define APP_DOMAIN "yamada-shoji.example"

static const char ua_chrome[] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

struct app_net {
    struct scn_host *gw, *pc, *web;
    uint64_t t;
};

static void app_net_init(struct scn *s, struct app_net *n)
{
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SCN_IP4(192, 168, 10, 1));
    n->pc = scn_host_new(s, "SOUMU-PC01", SCN_OS_WINDOWS, scn_oui_dell, SCN_IP4(192, 168, 10, 101));
    n->web = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 10), NULL);
    n->t = SCN_EPOCH_US;
    scn_arp_request(s, n->t, n->pc, n->gw->ip4);
    scn_arp_reply(s, n->t + 300, n->gw, n->pc);
    n->t += 5 * SCN_MS;
}

/* Next independent exchange starts a little after the previous one ended. */
static void app_next(struct app_net *n, const struct scn_tcp *c)
{
    n->t = MAX(n->t, c->t) + 200 * SCN_MS;
}

/* ------------------------------------------------------------------ DNS */

/* Query and answer with an authority section, client port and id random. */
static void dns_ex(struct scn *s, struct app_net *n, const char *qname, uint16_t qtype,
                   const struct scn_dns_rr *an, size_t nan, const struct scn_dns_rr *ns,
                   size_t nns, unsigned rcode)
{
    struct scn_buf b;
    struct scn_ep c = scn_ep4(n->pc), v = scn_ep4(n->gw);
    uint16_t id = (uint16_t)scn_rng_next(&s->rng);
    uint16_t sport = scn_host_port(s, n->pc);

    scn_buf_init(&b);
    scn_dns_build(&b, id, 0x0100, qname, qtype, 1, NULL, 0, NULL, 0);
    scn_udp(s, n->t, &c, &v, sport, 53, b.p, b.len);
    n->t += scn_rng_range(&s->rng, 2 * SCN_MS, 30 * SCN_MS);
    scn_dns_build_ns(&b, id, (uint16_t)(0x8180 | (rcode & 0xf)), qname, qtype, 1, an, nan, ns,
                     nns, NULL, 0);
    scn_udp(s, n->t, &v, &c, 53, sport, b.p, b.len);
    n->t += 50 * SCN_MS;
    scn_buf_free(&b);
}

/* RFC 1001 14.1 first-level encoding of a NetBIOS name. */
static void nb_name(struct scn_buf *b, const char *name, uint8_t suffix)
{
    uint8_t raw[16];
    memset(raw, ' ', sizeof(raw));
    for (size_t i = 0; name[i] && i < 15; i++)
        raw[i] = (uint8_t)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
    raw[15] = suffix;
    scn_buf_u8(b, 32);
    for (unsigned i = 0; i < 16; i++) {
        scn_buf_u8(b, (uint8_t)('A' + (raw[i] >> 4)));
        scn_buf_u8(b, (uint8_t)('A' + (raw[i] & 0xf)));
    }
    scn_buf_u8(b, 0);
}

/* DNS: A, AAAA, a CNAME chain, MX, TXT, PTR, NS, SOA, SRV, HTTPS, NXDOMAIN
 * with the zone's SOA; DNS over TCP with two queries in one segment and an
 * answer split over two segments; an mDNS announcement of
 * Yamada-MacBook-Air.local; LLMNR query and answer for FILESV02; NetBIOS
 * registration of SOUMU-PC01 and a name query for FILESV02<20>. */
void scn_gen_app_dns(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t v6_web[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, [15] = 0x10};
    /* HTTPS RR (RFC 9460): priority 1, target ".", alpn=h3,h2, ipv4hint */
    static const uint8_t https_rdata[] = {0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x06, 0x02,
                                          'h',  '3',  0x02, 'h',  '2',  0x00, 0x04, 0x00,
                                          0x04, 203,  0,    113,  10};
    struct app_net n;
    struct scn_host *mac, *fs2;
    struct scn_buf b, q;
    (void)o;

    app_net_init(s, &n);
    mac = scn_host_new(s, "Yamada-MacBook-Air", SCN_OS_MACOS, scn_oui_apple,
                       SCN_IP4(192, 168, 10, 120));
    fs2 = scn_host_new(s, "FILESV02", SCN_OS_WINDOWS, scn_oui_hp, SCN_IP4(192, 168, 10, 11));
    scn_buf_init(&b);
    scn_buf_init(&q);

    struct scn_dns_rr a = {.type = SCN_DNS_A, .ttl = 300, .a = SCN_IP4(203, 0, 113, 10)};
    dns_ex(s, &n, "www.example.co.jp", SCN_DNS_A, &a, 1, NULL, 0, 0);
    struct scn_dns_rr aaaa = {.type = SCN_DNS_AAAA, .ttl = 300, .aaaa = v6_web};
    dns_ex(s, &n, "www.example.co.jp", SCN_DNS_AAAA, &aaaa, 1, NULL, 0, 0);
    struct scn_dns_rr chain[] = {
        {.type = SCN_DNS_CNAME, .ttl = 600, .target = "www.g.yahoo.co.jp"},
        {.name = "www.g.yahoo.co.jp", .type = SCN_DNS_CNAME, .ttl = 60,
         .target = "edge12.g.yimg.jp"},
        {.name = "edge12.g.yimg.jp", .type = SCN_DNS_A, .ttl = 60, .a = SCN_IP4(183, 79, 219, 252)},
        {.name = "edge12.g.yimg.jp", .type = SCN_DNS_A, .ttl = 60, .a = SCN_IP4(183, 79, 250, 123)},
    };
    dns_ex(s, &n, "www.yahoo.co.jp", SCN_DNS_A, chain, ARRAY_SIZE(chain), NULL, 0, 0);
    struct scn_dns_rr mx[] = {
        {.type = SCN_DNS_MX, .ttl = 3600, .pref = 10, .target = "mail." APP_DOMAIN},
        {.type = SCN_DNS_MX, .ttl = 3600, .pref = 20, .target = "mail2." APP_DOMAIN},
    };
    dns_ex(s, &n, APP_DOMAIN, SCN_DNS_MX, mx, ARRAY_SIZE(mx), NULL, 0, 0);
    struct scn_dns_rr txt = {
        .type = SCN_DNS_TXT, .ttl = 3600, .txt = "v=spf1 include:_spf.example.net ~all"};
    dns_ex(s, &n, APP_DOMAIN, SCN_DNS_TXT, &txt, 1, NULL, 0, 0);
    struct scn_dns_rr ptr = {.type = SCN_DNS_PTR, .ttl = 86400, .target = "www.example.co.jp"};
    dns_ex(s, &n, "10.113.0.203.in-addr.arpa", SCN_DNS_PTR, &ptr, 1, NULL, 0, 0);
    struct scn_dns_rr nsr[] = {
        {.type = SCN_DNS_NS, .ttl = 86400, .target = "ns1.example.co.jp"},
        {.type = SCN_DNS_NS, .ttl = 86400, .target = "ns2.example.co.jp"},
    };
    dns_ex(s, &n, "example.co.jp", SCN_DNS_NS, nsr, ARRAY_SIZE(nsr), NULL, 0, 0);
    struct scn_dns_rr soa = {.type = SCN_DNS_SOA,
                             .ttl = 3600,
                             .target = "ns1.example.co.jp",
                             .rname = "hostmaster.example.co.jp",
                             .soa = {2026110201, 3600, 900, 604800, 300}};
    dns_ex(s, &n, "example.co.jp", SCN_DNS_SOA, &soa, 1, NULL, 0, 0);
    struct scn_dns_rr srv = {.type = SCN_DNS_SRV,
                             .ttl = 600,
                             .pref = 0,
                             .weight = 100,
                             .port = 389,
                             .target = "dc01." APP_DOMAIN};
    dns_ex(s, &n, "_ldap._tcp." APP_DOMAIN, SCN_DNS_SRV, &srv, 1, NULL, 0, 0);
    struct scn_dns_rr https = {
        .type = SCN_DNS_HTTPS, .ttl = 300, .raw = https_rdata, .rawlen = sizeof(https_rdata)};
    dns_ex(s, &n, "www.example.co.jp", SCN_DNS_HTTPS, &https, 1, NULL, 0, 0);
    struct scn_dns_rr soa_ns = soa;
    soa_ns.name = "example.co.jp";
    dns_ex(s, &n, "nosuchhost.example.co.jp", SCN_DNS_A, NULL, 0, &soa_ns, 1, 3);

    /* DNS over TCP (RFC 7766): both queries in one segment; the first
     * answer split over two segments, the second behind it. */
    {
        struct scn_tcp c;
        uint16_t id1 = (uint16_t)scn_rng_next(&s->rng), id2 = (uint16_t)(id1 + 1);
        struct scn_dns_rr pa = {.type = SCN_DNS_A, .ttl = 600, .a = SCN_IP4(192, 168, 10, 10)};
        struct scn_dns_rr pm = {.type = SCN_DNS_MX, .ttl = 600, .pref = 10,
                                .target = "mail." APP_DOMAIN};
        scn_tcp_open(s, &c, n.pc, n.gw, 0, 53, false, n.t, 400);
        scn_buf_clear(&q);
        scn_dns_build(&b, id1, 0x0100, "portal." APP_DOMAIN, SCN_DNS_A, 1, NULL, 0, NULL, 0);
        scn_buf_u16(&q, (uint16_t)b.len);
        scn_buf_mem(&q, b.p, b.len);
        scn_dns_build(&b, id2, 0x0100, "tcp." APP_DOMAIN, SCN_DNS_MX, 1, NULL, 0, NULL, 0);
        scn_buf_u16(&q, (uint16_t)b.len);
        scn_buf_mem(&q, b.p, b.len);
        scn_tcp_send(s, &c, 0, q.p, q.len);
        scn_buf_clear(&q);
        scn_dns_build(&b, id1, 0x8580, "portal." APP_DOMAIN, SCN_DNS_A, 1, &pa, 1, NULL, 0);
        scn_buf_u16(&q, (uint16_t)b.len);
        scn_buf_mem(&q, b.p, b.len);
        scn_dns_build(&b, id2, 0x8580, "tcp." APP_DOMAIN, SCN_DNS_MX, 1, &pm, 1, NULL, 0);
        scn_buf_u16(&q, (uint16_t)b.len);
        scn_buf_mem(&q, b.p, b.len);
        scn_tcp_send(s, &c, 1, q.p, 20);
        scn_tcp_send(s, &c, 1, q.p + 20, q.len - 20);
        scn_tcp_close(s, &c, 0);
        app_next(&n, &c);
    }

    /* mDNS: the Mac announces its host name (cache-flush records) */
    {
        struct scn_dns_rr an[] = {
            {.name = "Yamada-MacBook-Air.local", .type = SCN_DNS_A, .rclass = 0x8001, .ttl = 120,
             .a = SCN_IP4(192, 168, 10, 120)},
            {.name = "120.10.168.192.in-addr.arpa", .type = SCN_DNS_PTR, .rclass = 0x8001,
             .ttl = 120, .target = "Yamada-MacBook-Air.local"},
        };
        scn_mdns_announce(s, n.t, mac, an, ARRAY_SIZE(an));
        scn_mdns_announce(s, n.t + 1 * SCN_SEC, mac, an, ARRAY_SIZE(an));
        scn_mdns_query(s, n.t + 1500 * SCN_MS, mac, "_ipp._tcp.local", SCN_DNS_PTR);
        n.t += 2 * SCN_SEC;
    }

    /* LLMNR (RFC 4795): query to 224.0.0.252, answer unicast from the owner */
    {
        struct scn_ep src = scn_ep4(n.pc), dst = scn_ep_mcast4(SCN_IP4(224, 0, 0, 252), 1);
        struct scn_ep from = scn_ep4(fs2);
        uint16_t id = (uint16_t)scn_rng_next(&s->rng), sport = scn_host_port(s, n.pc);
        struct scn_dns_rr la = {.type = SCN_DNS_A, .ttl = 30, .a = fs2->ip4};
        src.ttl = 1;
        scn_dns_build(&b, id, 0x0000, "filesv02", SCN_DNS_A, 1, NULL, 0, NULL, 0);
        scn_udp(s, n.t, &src, &dst, sport, 5355, b.p, b.len);
        scn_dns_build(&b, id, 0x8000, "filesv02", SCN_DNS_A, 1, &la, 1, NULL, 0);
        scn_udp(s, n.t + 900, &from, &src, 5355, sport, b.p, b.len);
        n.t += 1 * SCN_SEC;
    }

    /* NetBIOS: SOUMU-PC01 registers; then asks for FILESV02<20> */
    scn_nbns_register(s, n.t, n.pc, "WORKGROUP");
    n.t += 1 * SCN_SEC;
    {
        struct scn_ep src = scn_ep4(n.pc);
        struct scn_ep bc = scn_ep_raw4(scn_mac_bcast, SCN_IP4(192, 168, 10, 255), 0);
        struct scn_ep from = scn_ep4(fs2);
        uint16_t id = (uint16_t)scn_rng_next(&s->rng);
        scn_buf_clear(&b);
        scn_buf_u16(&b, id);
        scn_buf_u16(&b, 0x0110); /* query, RD, broadcast */
        scn_buf_u16(&b, 1);
        scn_buf_u16(&b, 0);
        scn_buf_u16(&b, 0);
        scn_buf_u16(&b, 0);
        nb_name(&b, "FILESV02", 0x20);
        scn_buf_u16(&b, 0x0020);
        scn_buf_u16(&b, 1);
        scn_udp(s, n.t, &src, &bc, 137, 137, b.p, b.len);
        scn_buf_clear(&b);
        scn_buf_u16(&b, id);
        scn_buf_u16(&b, 0x8500); /* response, AA, RD */
        scn_buf_u16(&b, 0);
        scn_buf_u16(&b, 1);
        scn_buf_u16(&b, 0);
        scn_buf_u16(&b, 0);
        nb_name(&b, "FILESV02", 0x20);
        scn_buf_u16(&b, 0x0020);
        scn_buf_u16(&b, 1);
        scn_buf_u32(&b, 300000);
        scn_buf_u16(&b, 6);
        scn_buf_u16(&b, 0x0000);
        scn_buf_u32(&b, fs2->ip4);
        scn_udp(s, n.t + 700, &from, &src, 137, 137, b.p, b.len);
    }
    scn_buf_free(&b);
    scn_buf_free(&q);
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

static void bootp(struct scn_buf *b, uint8_t op, uint32_t xid, uint32_t ciaddr, uint32_t yiaddr,
                  const uint8_t mac[6])
{
    scn_buf_clear(b);
    scn_buf_u8(b, op);
    scn_buf_u8(b, 1);
    scn_buf_u8(b, 6);
    scn_buf_u8(b, 0);
    scn_buf_u32(b, xid);
    scn_buf_u16(b, 0);
    scn_buf_u16(b, 0);
    scn_buf_u32(b, ciaddr);
    scn_buf_u32(b, yiaddr);
    scn_buf_u32(b, 0);
    scn_buf_u32(b, 0);
    scn_buf_mem(b, mac, 6);
    scn_buf_zero(b, 10 + 64 + 128);
    scn_buf_u32(b, 0x63825363);
}

static void dhcp_end(struct scn_buf *b)
{
    scn_buf_u8(b, 255);
    if (b->len < 300)
        scn_buf_zero(b, 300 - b->len);
}

/* Client FQDN option 81 (RFC 4702) as Windows sends it: flags 0, ASCII. */
static void dhcp_fqdn(struct scn_buf *b, const char *fqdn)
{
    scn_buf_u8(b, 81);
    scn_buf_u8(b, (uint8_t)(3 + strlen(fqdn)));
    scn_buf_u8(b, 0);
    scn_buf_u8(b, 0);
    scn_buf_u8(b, 0);
    scn_buf_str(b, fqdn);
}

static void dhcp_server(struct scn_buf *b, uint8_t type, uint32_t server, bool lease)
{
    dhcp_opt(b, 53, &type, 1);
    dhcp_opt32(b, 54, server);
    if (lease) {
        dhcp_opt32(b, 51, 86400);
        dhcp_opt32(b, 58, 43200);
        dhcp_opt32(b, 59, 75600);
    }
    dhcp_opt32(b, 1, 0xffffff00);
    dhcp_opt32(b, 3, server);
    dhcp_opt32(b, 6, server);
    dhcp_opt(b, 15, APP_DOMAIN, strlen(APP_DOMAIN));
    dhcp_end(b);
}

static void dhcp6_opt(struct scn_buf *b, uint16_t code, const void *p, size_t n)
{
    scn_buf_u16(b, code);
    scn_buf_u16(b, (uint16_t)n);
    scn_buf_mem(b, p, n);
}

/* DHCPv6 message (RFC 8415); server NULL for Solicit. */
static void dhcp6_msg(struct scn_buf *b, uint8_t type, uint32_t xid, const struct scn_buf *duid_c,
                      const struct scn_buf *duid_s, const uint8_t *addr, bool client)
{
    static const uint8_t oro[] = {0x00, 0x11, 0x00, 0x17, 0x00, 0x18, 0x00, 0x27};
    /* Client FQDN (RFC 4704): flags, then the name in DNS wire format */
    static const char fqdn_wire[] = "\x0aSOUMU-PC01\x0cyamada-shoji\x07" "example";
    struct scn_buf ia;

    scn_buf_init(&ia);
    scn_buf_clear(b);
    scn_buf_u8(b, type);
    scn_buf_u24(b, xid);
    dhcp6_opt(b, 1, duid_c->p, duid_c->len);
    if (duid_s)
        dhcp6_opt(b, 2, duid_s->p, duid_s->len);
    if (client)
        dhcp6_opt(b, 8, "\x00\x00", 2); /* elapsed time */
    scn_buf_u32(&ia, 0x0e1f2b3c);      /* IAID */
    scn_buf_u32(&ia, addr ? 1800 : 0);
    scn_buf_u32(&ia, addr ? 2880 : 0);
    if (addr) {
        scn_buf_u16(&ia, 5);
        scn_buf_u16(&ia, 24);
        scn_buf_mem(&ia, addr, 16);
        scn_buf_u32(&ia, 3600);
        scn_buf_u32(&ia, 7200);
    }
    dhcp6_opt(b, 3, ia.p, ia.len);
    scn_buf_clear(&ia);
    scn_buf_u8(&ia, client ? 0x00 : 0x01); /* S: server updates AAAA */
    scn_buf_mem(&ia, fqdn_wire, sizeof(fqdn_wire)); /* with the root label */
    dhcp6_opt(b, 39, ia.p, ia.len);
    if (client) {
        scn_buf_clear(&ia);
        scn_buf_u32(&ia, 311);
        scn_buf_u16(&ia, 8);
        scn_buf_str(&ia, "MSFT 5.0");
        dhcp6_opt(b, 16, ia.p, ia.len);
        dhcp6_opt(b, 6, oro, sizeof(oro));
    } else {
        static const uint8_t dns6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, [15] = 1};
        dhcp6_opt(b, 23, dns6, 16);
    }
    scn_buf_free(&ia);
}

/* DHCP: SOUMU-PC01 joins with DORA (options 53, 61, 50, 12, 81, 60, 55),
 * the printer BRN3C2AF4 (static .30) sends a DHCPINFORM, and SOUMU-PC01
 * gets an IPv6 address with DHCPv6 Solicit/Advertise/Request/Reply carrying
 * the client FQDN option. */
void scn_gen_app_dhcp(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t prl_win[] = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252};
    static const uint8_t prl_prn[] = {1, 3, 6, 12, 15, 28, 42, 44};
    static const uint8_t addr6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, [14] = 0x01, 0x01};
    static const uint8_t all_dhcp[16] = {0xff, 0x02, [13] = 1, [15] = 2};
    struct scn_host *gw, *pc, *prn;
    struct scn_buf b;
    uint64_t t = SCN_EPOCH_US;
    uint32_t addr = SCN_IP4(192, 168, 10, 101);
    uint8_t cid[7], type;
    (void)o;

    gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SCN_IP4(192, 168, 10, 1));
    pc = scn_host_new(s, "SOUMU-PC01", SCN_OS_WINDOWS, scn_oui_dell, 0);
    prn = scn_host_new(s, "BRN3C2AF4", SCN_OS_PRINTER, scn_oui_brother, SCN_IP4(192, 168, 10, 30));
    scn_buf_init(&b);

    struct scn_ep cli = scn_ep_raw4(pc->mac, 0, pc->ttl);
    struct scn_ep bcast = scn_ep_raw4(scn_mac_bcast, 0xffffffff, 0);
    struct scn_ep srv = scn_ep4(gw);
    struct scn_ep to = scn_ep_raw4(pc->mac, addr, 0);
    cli.host = pc->index;
    cid[0] = 1;
    memcpy(cid + 1, pc->mac, 6);
    uint32_t xid = (uint32_t)scn_rng_next(&s->rng);
    for (int step = 0; step < 4; step++) {
        bool client = step % 2 == 0;
        static const uint8_t types[] = {1, 2, 3, 5};
        type = types[step];
        bootp(&b, client ? 1 : 2, xid, 0, client ? 0 : addr, pc->mac);
        if (client) {
            dhcp_opt(&b, 53, &type, 1);
            dhcp_opt(&b, 61, cid, sizeof(cid));
            dhcp_opt32(&b, 50, addr);
            if (step == 2)
                dhcp_opt32(&b, 54, gw->ip4);
            dhcp_opt(&b, 12, pc->name, strlen(pc->name));
            dhcp_fqdn(&b, "SOUMU-PC01." APP_DOMAIN);
            dhcp_opt(&b, 60, "MSFT 5.0", 8);
            dhcp_opt(&b, 55, prl_win, sizeof(prl_win));
            dhcp_end(&b);
            scn_udp(s, t, &cli, &bcast, 68, 67, b.p, b.len);
        } else {
            dhcp_server(&b, type, gw->ip4, true);
            scn_udp(s, t, &srv, &to, 67, 68, b.p, b.len);
        }
        t += scn_rng_range(&s->rng, 1 * SCN_MS, 4 * SCN_MS);
    }
    pc->ip4 = addr;
    scn_arp_announce(s, t, pc);
    t += 2 * SCN_SEC;

    /* DHCPINFORM (RFC 2131 3.4): configured address in ciaddr, no lease */
    {
        struct scn_ep p = scn_ep4(prn), g = scn_ep4(gw);
        cid[0] = 1;
        memcpy(cid + 1, prn->mac, 6);
        xid = (uint32_t)scn_rng_next(&s->rng);
        bootp(&b, 1, xid, prn->ip4, 0, prn->mac);
        type = 8;
        dhcp_opt(&b, 53, &type, 1);
        dhcp_opt(&b, 61, cid, sizeof(cid));
        dhcp_opt(&b, 12, prn->name, strlen(prn->name));
        dhcp_opt(&b, 60, "Brother", 7);
        dhcp_opt(&b, 55, prl_prn, sizeof(prl_prn));
        dhcp_end(&b);
        scn_udp(s, t, &p, &bcast, 68, 67, b.p, b.len);
        t += 2 * SCN_MS;
        bootp(&b, 2, xid, prn->ip4, 0, prn->mac);
        dhcp_server(&b, 5, gw->ip4, false);
        scn_udp(s, t, &g, &p, 67, 68, b.p, b.len);
        t += 2 * SCN_SEC;
    }

    /* DHCPv6 between link-local addresses (RFC 8415 7.1, 18) */
    {
        struct scn_buf dc, ds;
        struct scn_ep me = scn_ep6_ll(pc), rt = scn_ep6_ll(gw);
        struct scn_ep mc = scn_ep_mcast6(all_dhcp, 1);
        scn_buf_init(&dc);
        scn_buf_init(&ds);
        me.ttl = 1;
        scn_buf_u16(&dc, 1); /* DUID-LLT, Ethernet */
        scn_buf_u16(&dc, 1);
        scn_buf_u32(&dc, 0x2c6a1e40);
        scn_buf_mem(&dc, pc->mac, 6);
        scn_buf_u16(&ds, 3); /* DUID-LL */
        scn_buf_u16(&ds, 1);
        scn_buf_mem(&ds, gw->mac, 6);
        xid = (uint32_t)scn_rng_next(&s->rng) & 0xffffff;
        dhcp6_msg(&b, 1, xid, &dc, NULL, NULL, true);
        scn_udp(s, t, &me, &mc, 546, 547, b.p, b.len);
        t += 3 * SCN_MS;
        dhcp6_msg(&b, 2, xid, &dc, &ds, addr6, false);
        scn_udp(s, t, &rt, &me, 547, 546, b.p, b.len);
        t += 1 * SCN_SEC;
        xid = (xid + 0x1111) & 0xffffff;
        dhcp6_msg(&b, 3, xid, &dc, &ds, addr6, true);
        scn_udp(s, t, &me, &mc, 546, 547, b.p, b.len);
        t += 3 * SCN_MS;
        dhcp6_msg(&b, 7, xid, &dc, &ds, addr6, false);
        scn_udp(s, t, &rt, &me, 547, 546, b.p, b.len);
        scn_buf_free(&dc);
        scn_buf_free(&ds);
    }
    scn_buf_free(&b);
}

/* ------------------------------------------------------------------ TLS */

struct app_cert {
    const char *org, *cn, *iorg, *icn;
};

static void tls_rec_rand(struct scn *s, struct scn_buf *b, uint8_t type, size_t len)
{
    scn_buf_u8(b, type);
    scn_buf_u16(b, 0x0303);
    scn_buf_u16(b, (uint16_t)len);
    scn_buf_rand(b, &s->rng, len);
}

static void tls_ccs(struct scn_buf *b)
{
    scn_buf_mem(b, "\x14\x03\x03\x00\x01\x01", 6);
}

/* Session id of a ClientHello record (5 record + 4 handshake + 2 + 32). */
static size_t ch_sid(const struct scn_buf *ch, uint8_t *sid)
{
    size_t n = ch->p[43];
    memcpy(sid, ch->p + 44, n);
    return n;
}

/* ServerHello of TLS 1.2 (cipher c02f, extended master secret, ALPN alpn if
 * not NULL) and, unless resumed, Certificate(certs), ServerKeyExchange,
 * ServerHelloDone: all in one handshake record appended to b. */
static void tls12_server_hello(struct scn *s, struct scn_buf *b, const uint8_t *sid,
                               const char *alpn, const struct app_cert *certs, size_t ncert)
{
    size_t rl, hs, ex, m;

    scn_buf_u8(b, 22);
    scn_buf_u16(b, 0x0303);
    rl = scn_buf_mark(b, 2);
    scn_buf_u8(b, 2);
    hs = scn_buf_mark(b, 3);
    scn_buf_u16(b, 0x0303);
    scn_buf_rand(b, &s->rng, 32);
    scn_buf_u8(b, 32);
    scn_buf_mem(b, sid, 32);
    scn_buf_u16(b, 0xc02f);
    scn_buf_u8(b, 0);
    ex = scn_buf_mark(b, 2);
    scn_buf_mem(b, "\xff\x01\x00\x01\x00", 5); /* renegotiation_info */
    scn_buf_mem(b, "\x00\x17\x00\x00", 4);     /* extended_master_secret */
    if (alpn) {
        scn_buf_u16(b, 0x0010);
        m = scn_buf_mark(b, 2);
        scn_buf_u16(b, (uint16_t)(strlen(alpn) + 1));
        scn_buf_u8(b, (uint8_t)strlen(alpn));
        scn_buf_str(b, alpn);
        scn_buf_patch(b, m, 2);
    }
    scn_buf_patch(b, ex, 2);
    scn_buf_patch(b, hs, 3);
    if (ncert) {
        scn_buf_u8(b, 11);
        hs = scn_buf_mark(b, 3);
        size_t list = scn_buf_mark(b, 3);
        for (size_t i = 0; i < ncert; i++) {
            size_t one = scn_buf_mark(b, 3);
            scn_tls_cert(s, b, certs[i].org, certs[i].cn, certs[i].iorg, certs[i].icn);
            scn_buf_patch(b, one, 3);
        }
        scn_buf_patch(b, list, 3);
        scn_buf_patch(b, hs, 3);
        scn_buf_u8(b, 12); /* ServerKeyExchange: x25519, rsa_pkcs1_sha256 */
        hs = scn_buf_mark(b, 3);
        scn_buf_u8(b, 3);
        scn_buf_u16(b, 0x001d);
        scn_buf_u8(b, 32);
        scn_buf_rand(b, &s->rng, 32);
        scn_buf_u16(b, 0x0401);
        scn_buf_u16(b, 256);
        scn_buf_rand(b, &s->rng, 256);
        scn_buf_patch(b, hs, 3);
        scn_buf_u8(b, 14);
        scn_buf_u24(b, 0);
    }
    scn_buf_patch(b, rl, 2);
}

/* Rest of a TLS 1.2 handshake after the ClientHello: full (certificates)
 * or abbreviated (resumed: ncert 0, the server's Finished comes first). */
static void tls12_rest(struct scn *s, struct scn_tcp *c, const uint8_t *sid, const char *alpn,
                       const struct app_cert *certs, size_t ncert)
{
    struct scn_buf b;
    scn_buf_init(&b);
    tls12_server_hello(s, &b, sid, alpn, certs, ncert);
    if (!ncert) {
        tls_ccs(&b);
        tls_rec_rand(s, &b, 22, 40);
        scn_tcp_send(s, c, 1, b.p, b.len);
        scn_buf_clear(&b);
        tls_ccs(&b);
        tls_rec_rand(s, &b, 22, 40);
        scn_tcp_send(s, c, 0, b.p, b.len);
    } else {
        scn_tcp_send(s, c, 1, b.p, b.len);
        scn_buf_clear(&b);
        scn_buf_mem(&b, "\x16\x03\x03\x00\x25\x10\x00\x00\x21\x20", 10); /* ClientKeyExchange */
        scn_buf_rand(&b, &s->rng, 32);
        tls_ccs(&b);
        tls_rec_rand(s, &b, 22, 40);
        scn_tcp_send(s, c, 0, b.p, b.len);
        scn_buf_clear(&b);
        tls_ccs(&b);
        tls_rec_rand(s, &b, 22, 40);
        scn_tcp_send(s, c, 1, b.p, b.len);
    }
    scn_buf_free(&b);
}

/* TLS 1.3 server flight after a ClientHello whose session id is sid. */
static void tls13_rest(struct scn *s, struct scn_tcp *c, const uint8_t *sid, size_t sid_len)
{
    struct scn_buf b;
    size_t rl, hs, ex;
    scn_buf_init(&b);
    scn_buf_u8(&b, 22);
    scn_buf_u16(&b, 0x0303);
    rl = scn_buf_mark(&b, 2);
    scn_buf_u8(&b, 2);
    hs = scn_buf_mark(&b, 3);
    scn_buf_u16(&b, 0x0303);
    scn_buf_rand(&b, &s->rng, 32);
    scn_buf_u8(&b, (uint8_t)sid_len);
    scn_buf_mem(&b, sid, sid_len);
    scn_buf_u16(&b, 0x1301);
    scn_buf_u8(&b, 0);
    ex = scn_buf_mark(&b, 2);
    scn_buf_mem(&b, "\x00\x33\x00\x24\x00\x1d\x00\x20", 8);
    scn_buf_rand(&b, &s->rng, 32);
    scn_buf_mem(&b, "\x00\x2b\x00\x02\x03\x04", 6);
    scn_buf_patch(&b, ex, 2);
    scn_buf_patch(&b, hs, 3);
    scn_buf_patch(&b, rl, 2);
    tls_ccs(&b);
    tls_rec_rand(s, &b, 23, scn_rng_range(&s->rng, 2400, 4000));
    tls_rec_rand(s, &b, 23, 53);
    scn_tcp_send(s, c, 1, b.p, b.len);
    scn_buf_clear(&b);
    tls_ccs(&b);
    tls_rec_rand(s, &b, 23, 53);
    scn_tcp_send(s, c, 0, b.p, b.len);
    scn_buf_free(&b);
}

static void tls_finish(struct scn *s, struct scn_tcp *c)
{
    scn_tls_data(s, c, 0, scn_rng_range(&s->rng, 300, 700));
    scn_tls_data(s, c, 1, scn_rng_range(&s->rng, 1000, 6000));
    scn_tcp_close(s, c, 0);
}

/* TLS: (1) TLS 1.2 with a CA-issued chain (leaf + intermediate), ALPN
 * http/1.1; (2) TLS 1.2 to the NAS with a self-signed certificate; (3) TLS
 * 1.3 Chrome (GREASE, ALPN h2,http/1.1); (4) a Safari ClientHello split
 * across two TCP segments; (5) a Firefox ClientHello spanning two TLS
 * records; (6) session (1) resumed by id, no certificate; (7) TLS 1.2 on
 * port 10443. */
void scn_gen_app_tls(struct scn *s, const struct scenario_opts *o)
{
    static const struct app_cert chain[] = {
        {"Example Co., Ltd.", "www.example.co.jp", "Sakura Trust K.K.",
         "Sakura Trust RSA CA 2024"},
        {"Sakura Trust K.K.", "Sakura Trust RSA CA 2024", "Sakura Trust K.K.",
         "Sakura Trust Root CA"},
    };
    static const struct app_cert self[] = {
        {"Yamada Shoji", "nas01.yamada-shoji.local", "Yamada Shoji", "nas01.yamada-shoji.local"},
    };
    static const struct app_cert vpn[] = {
        {"Yamada Shoji", "vpn." APP_DOMAIN, "Sakura Trust K.K.", "Sakura Trust RSA CA 2024"},
    };
    struct app_net n;
    struct scn_host *nas, *google, *apple, *acct, *vpnh;
    struct scn_tcp c;
    struct scn_buf ch, b;
    uint8_t sid[32], sid1[32];
    size_t sl;
    (void)o;

    app_net_init(s, &n);
    nas = scn_host_new(s, "NAS01", SCN_OS_LINUX, scn_oui_hp, SCN_IP4(192, 168, 10, 20));
    google = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(142, 250, 196, 100), NULL);
    apple = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(17, 253, 144, 10), NULL);
    acct = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 80), NULL);
    vpnh = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 25), NULL);
    scn_buf_init(&ch);
    scn_buf_init(&b);

    /* (1) full TLS 1.2, CA-issued chain */
    scn_tcp_open(s, &c, n.pc, n.web, 0, 443, false, n.t, 20 * SCN_MS);
    scn_tls_client_hello(s, &ch, SCN_TLS_OLD, "www.example.co.jp", "http/1.1");
    scn_tcp_send(s, &c, 0, ch.p, ch.len);
    scn_rng_bytes(&s->rng, sid1, sizeof(sid1));
    tls12_rest(s, &c, sid1, "http/1.1", chain, ARRAY_SIZE(chain));
    tls_finish(s, &c);
    app_next(&n, &c);

    /* (2) self-signed on the LAN */
    scn_tcp_open(s, &c, n.pc, nas, 0, 443, false, n.t, 600);
    scn_tls_client_hello(s, &ch, SCN_TLS_OLD, "nas01.yamada-shoji.local", "http/1.1");
    scn_tcp_send(s, &c, 0, ch.p, ch.len);
    scn_rng_bytes(&s->rng, sid, sizeof(sid));
    tls12_rest(s, &c, sid, "http/1.1", self, ARRAY_SIZE(self));
    tls_finish(s, &c);
    app_next(&n, &c);

    /* (3) TLS 1.3 with GREASE and ALPN h2,http/1.1 */
    scn_tcp_open(s, &c, n.pc, google, 0, 443, false, n.t, 8 * SCN_MS);
    scn_tls_client_hello(s, &ch, SCN_TLS_CHROME, "www.google.com", "h2,http/1.1");
    scn_tcp_send(s, &c, 0, ch.p, ch.len);
    sl = ch_sid(&ch, sid);
    tls13_rest(s, &c, sid, sl);
    tls_finish(s, &c);
    app_next(&n, &c);

    /* (4) ClientHello in two TCP segments (first 100 bytes, then the rest) */
    scn_tcp_open(s, &c, n.pc, apple, 0, 443, false, n.t, 15 * SCN_MS);
    scn_tls_client_hello(s, &ch, SCN_TLS_SAFARI, "www.apple.com", "h2,http/1.1");
    scn_tcp_send(s, &c, 0, ch.p, 100);
    scn_tcp_send(s, &c, 0, ch.p + 100, ch.len - 100);
    sl = ch_sid(&ch, sid);
    tls13_rest(s, &c, sid, sl);
    tls_finish(s, &c);
    app_next(&n, &c);

    /* (5) ClientHello handshake message cut into two records (RFC 8446
     * 5.1 allows it) sent in one segment */
    scn_tcp_open(s, &c, n.pc, acct, 0, 443, false, n.t, 12 * SCN_MS);
    scn_tls_client_hello(s, &ch, SCN_TLS_FIREFOX, "accounts.example.jp", "h2,http/1.1");
    {
        size_t hl = ch.len - 5, first = 120;
        scn_buf_clear(&b);
        scn_buf_mem(&b, "\x16\x03\x01", 3);
        scn_buf_u16(&b, (uint16_t)first);
        scn_buf_mem(&b, ch.p + 5, first);
        scn_buf_mem(&b, "\x16\x03\x01", 3);
        scn_buf_u16(&b, (uint16_t)(hl - first));
        scn_buf_mem(&b, ch.p + 5 + first, hl - first);
        scn_tcp_send(s, &c, 0, b.p, b.len);
    }
    sl = ch_sid(&ch, sid);
    tls13_rest(s, &c, sid, sl);
    tls_finish(s, &c);
    app_next(&n, &c);

    /* (6) resumption of (1): the ClientHello offers the old session id */
    scn_tcp_open(s, &c, n.pc, n.web, 0, 443, false, n.t, 20 * SCN_MS);
    scn_tls_client_hello(s, &ch, SCN_TLS_OLD, "www.example.co.jp", "http/1.1");
    {
        /* OLD sends an empty session id at offset 43: put sid1 there */
        scn_buf_clear(&b);
        scn_buf_mem(&b, ch.p, 43);
        scn_buf_u8(&b, 32);
        scn_buf_mem(&b, sid1, 32);
        scn_buf_mem(&b, ch.p + 44, ch.len - 44);
        size_t rl = b.len - 5, hl = b.len - 9;
        b.p[3] = (uint8_t)(rl >> 8);
        b.p[4] = (uint8_t)rl;
        b.p[6] = (uint8_t)(hl >> 16);
        b.p[7] = (uint8_t)(hl >> 8);
        b.p[8] = (uint8_t)hl;
        scn_tcp_send(s, &c, 0, b.p, b.len);
    }
    tls12_rest(s, &c, sid1, "http/1.1", NULL, 0);
    tls_finish(s, &c);
    app_next(&n, &c);

    /* (7) a non-standard port */
    scn_tcp_open(s, &c, n.pc, vpnh, 0, 10443, false, n.t, 10 * SCN_MS);
    scn_tls_client_hello(s, &ch, SCN_TLS_OLD, "vpn." APP_DOMAIN, NULL);
    scn_tcp_send(s, &c, 0, ch.p, ch.len);
    scn_rng_bytes(&s->rng, sid, sizeof(sid));
    tls12_rest(s, &c, sid, NULL, vpn, ARRAY_SIZE(vpn));
    tls_finish(s, &c);
    scn_buf_free(&ch);
    scn_buf_free(&b);
}

/* ----------------------------------------------------------------- HTTP */

static void tcp_text(struct scn *s, struct scn_tcp *c, int dir, const char *text)
{
    scn_tcp_send(s, c, dir, text, strlen(text));
    scn_tcp_wait(c, scn_rng_range(&s->rng, 300, 4 * SCN_MS));
}

/* HTTP/1.1: GET and POST with Content-Length, a chunked response,
 * two pipelined requests, HEAD and a 304, Basic authentication (401 then
 * 200), and CONNECT through the proxy followed by TLS. */
void scn_gen_app_http(struct scn *s, const struct scenario_opts *o)
{
    struct app_net n;
    struct scn_host *intra, *proxy;
    struct scn_tcp c;
    struct scn_buf b;
    (void)o;

    app_net_init(s, &n);
    intra = scn_host_new(s, "FILESV01", SCN_OS_LINUX, scn_oui_hp, SCN_IP4(192, 168, 10, 10));
    proxy = scn_host_new(s, "PROXY01", SCN_OS_LINUX, scn_oui_nec, SCN_IP4(192, 168, 10, 2));
    scn_buf_init(&b);

    scn_tcp_open(s, &c, n.pc, n.web, 0, 80, false, n.t, 20 * SCN_MS);
    scn_buf_fmt(&b,
                "GET /index.html?lang=ja HTTP/1.1\r\nHost: www.example.co.jp\r\n"
                "User-Agent: %s\r\nAccept: text/html\r\nAccept-Language: ja-JP\r\n"
                "Referer: https://www.google.com/\r\nConnection: keep-alive\r\n\r\n",
                ua_chrome);
    scn_buf_u8(&b, 0);
    tcp_text(s, &c, 0, (const char *)b.p);
    tcp_text(s, &c, 1,
             "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/html; "
             "charset=utf-8\r\nContent-Length: 48\r\n\r\n"
             "<html><body><h1>Example Co.</h1></body></html>\r\n");
    scn_buf_clear(&b);
    scn_buf_fmt(&b,
                "POST /search HTTP/1.1\r\nHost: www.example.co.jp\r\nUser-Agent: %s\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 27\r\n"
                "\r\nq=seikyusho&page=1&sort=new",
                ua_chrome);
    scn_buf_u8(&b, 0);
    tcp_text(s, &c, 0, (const char *)b.p);
    tcp_text(s, &c, 1,
             "HTTP/1.1 302 Found\r\nServer: nginx/1.24.0\r\nLocation: /result?id=42\r\n"
             "Content-Length: 0\r\n\r\n");
    tcp_text(s, &c, 0,
             "GET /news HTTP/1.1\r\nHost: www.example.co.jp\r\nUser-Agent: curl/8.5.0\r\n"
             "Accept: */*\r\n\r\n");
    tcp_text(s, &c, 1,
             "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/plain\r\n"
             "Transfer-Encoding: chunked\r\n\r\n"
             "1a\r\nNews: maintenance tonight\n\r\n"
             "10\r\nOffice closed 3\n\r\n"
             "0\r\n\r\n");
    scn_tcp_close(s, &c, 0);
    app_next(&n, &c);

    /* pipelining: two requests in one segment, two responses in one */
    scn_tcp_open(s, &c, n.pc, n.web, 0, 80, false, n.t, 20 * SCN_MS);
    tcp_text(s, &c, 0,
             "GET /css/style.css HTTP/1.1\r\nHost: www.example.co.jp\r\nUser-Agent: "
             "Wget/1.21.4\r\n\r\n"
             "GET /js/app.js HTTP/1.1\r\nHost: www.example.co.jp\r\nUser-Agent: "
             "Wget/1.21.4\r\n\r\n");
    tcp_text(s, &c, 1,
             "HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nContent-Length: 21\r\n\r\n"
             "body { margin: 0; }\r\n"
             "HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\nContent-Length: "
             "17\r\n\r\nconsole.log(1);\r\n");
    /* HEAD: Content-Length without a body; conditional GET answered 304 */
    tcp_text(s, &c, 0,
             "HEAD /download/setup.exe HTTP/1.1\r\nHost: www.example.co.jp\r\nUser-Agent: "
             "Wget/1.21.4\r\n\r\n");
    tcp_text(s, &c, 1,
             "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
             "Content-Length: 5242880\r\n\r\n");
    tcp_text(s, &c, 0,
             "GET /img/logo.png HTTP/1.1\r\nHost: www.example.co.jp\r\nUser-Agent: "
             "Wget/1.21.4\r\nIf-Modified-Since: Mon, 26 Oct 2026 01:00:00 GMT\r\n\r\n");
    tcp_text(s, &c, 1,
             "HTTP/1.1 304 Not Modified\r\nLast-Modified: Mon, 26 Oct 2026 01:00:00 GMT\r\n"
             "\r\n");
    scn_tcp_close(s, &c, 0);
    app_next(&n, &c);

    /* Basic authentication on the intranet (admin:Passw0rd!) */
    scn_tcp_open(s, &c, n.pc, intra, 0, 80, false, n.t, 500);
    tcp_text(s, &c, 0,
             "GET /admin/ HTTP/1.1\r\nHost: intra.yamada-shoji.example\r\nUser-Agent: "
             "curl/8.5.0\r\n\r\n");
    tcp_text(s, &c, 1,
             "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"admin\"\r\n"
             "Content-Length: 0\r\n\r\n");
    tcp_text(s, &c, 0,
             "GET /admin/ HTTP/1.1\r\nHost: intra.yamada-shoji.example\r\nUser-Agent: "
             "curl/8.5.0\r\nAuthorization: Basic YWRtaW46UGFzc3cwcmQh\r\n\r\n");
    tcp_text(s, &c, 1,
             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 14\r\n\r\n"
             "<h1>Admin</h1>");
    scn_tcp_close(s, &c, 0);
    app_next(&n, &c);

    /* CONNECT through the proxy, then TLS inside the tunnel */
    scn_tcp_open(s, &c, n.pc, proxy, 0, 8080, false, n.t, 400);
    scn_buf_clear(&b);
    scn_buf_fmt(&b,
                "CONNECT www.example.co.jp:443 HTTP/1.1\r\nHost: www.example.co.jp:443\r\n"
                "User-Agent: %s\r\nProxy-Connection: keep-alive\r\n\r\n",
                ua_chrome);
    scn_buf_u8(&b, 0);
    tcp_text(s, &c, 0, (const char *)b.p);
    tcp_text(s, &c, 1, "HTTP/1.1 200 Connection established\r\n\r\n");
    scn_tls_handshake(s, &c, SCN_TLS_CHROME, "www.example.co.jp", "h2,http/1.1", true, NULL, NULL);
    tls_finish(s, &c);
    scn_buf_free(&b);
}

/* ----------------------------------------------------------------- mail */

/* Client line, then the server's reply. */
static void say(struct scn *s, struct scn_tcp *c, const char *cmd, const char *reply)
{
    if (cmd)
        tcp_text(s, c, 0, cmd);
    if (reply)
        tcp_text(s, c, 1, reply);
}

/* Mail and logins in clear: SMTP submission with AUTH LOGIN and three
 * recipients; SMTP with STARTTLS then a TLS ClientHello; POP3 USER/PASS;
 * IMAP LOGIN; FTP USER/PASS accepted (230) and refused (530); Telnet with
 * option negotiation and login:/Password: prompts. */
void scn_gen_app_mail(struct scn *s, const struct scenario_opts *o)
{
    struct app_net n;
    struct scn_host *mail, *nas, *sw;
    struct scn_tcp c;
    (void)o;

    app_net_init(s, &n);
    mail = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 25), NULL);
    nas = scn_host_new(s, "NAS01", SCN_OS_LINUX, scn_oui_hp, SCN_IP4(192, 168, 10, 20));
    sw = scn_host_new(s, "SW01", SCN_OS_ROUTER, scn_oui_nec, SCN_IP4(192, 168, 10, 254));

    scn_tcp_open(s, &c, n.pc, mail, 0, 587, false, n.t, 15 * SCN_MS);
    say(s, &c, NULL, "220 mail.yamada-shoji.example ESMTP Postfix\r\n");
    say(s, &c, "EHLO SOUMU-PC01\r\n",
        "250-mail.yamada-shoji.example\r\n250-PIPELINING\r\n250-SIZE 20480000\r\n"
        "250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n");
    say(s, &c, "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n");
    /* tanaka@yamada-shoji.example / Himitsu2026 */
    say(s, &c, "dGFuYWthQHlhbWFkYS1zaG9qaS5leGFtcGxl\r\n", "334 UGFzc3dvcmQ6\r\n");
    say(s, &c, "SGltaXRzdTIwMjY=\r\n", "235 2.7.0 Authentication successful\r\n");
    say(s, &c, "MAIL FROM:<tanaka@yamada-shoji.example>\r\n", "250 2.1.0 Ok\r\n");
    say(s, &c, "RCPT TO:<suzuki@example.co.jp>\r\n", "250 2.1.5 Ok\r\n");
    say(s, &c, "RCPT TO:<sato@example.co.jp>\r\n", "250 2.1.5 Ok\r\n");
    say(s, &c, "RCPT TO:<keiri@yamada-shoji.example>\r\n", "250 2.1.5 Ok\r\n");
    say(s, &c, "DATA\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n");
    say(s, &c,
        "From: Tanaka <tanaka@yamada-shoji.example>\r\nTo: suzuki@example.co.jp, "
        "sato@example.co.jp\r\nCc: keiri@yamada-shoji.example\r\nSubject: Invoice November\r\n"
        "Date: Mon, 02 Nov 2026 09:05:00 +0900\r\nMessage-ID: <20261102090500.1@yamada-shoji."
        "example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
        "Please find the invoice attached.\r\n.\r\n",
        "250 2.0.0 Ok: queued as 4N1A2B\r\n");
    say(s, &c, "QUIT\r\n", "221 2.0.0 Bye\r\n");
    scn_tcp_close(s, &c, 1);
    app_next(&n, &c);

    scn_smtp_session(s, n.pc, mail, 25, n.t, 15 * SCN_MS, "SOUMU-PC01", true,
                     "mail.yamada-shoji.example", NULL, NULL, NULL, NULL);
    n.t += 10 * SCN_SEC;

    scn_tcp_open(s, &c, n.pc, mail, 0, 110, false, n.t, 15 * SCN_MS);
    say(s, &c, NULL, "+OK Dovecot ready.\r\n");
    say(s, &c, "USER tanaka\r\n", "+OK\r\n");
    say(s, &c, "PASS Himitsu2026\r\n", "+OK Logged in.\r\n");
    say(s, &c, "STAT\r\n", "+OK 2 3410\r\n");
    say(s, &c, "QUIT\r\n", "+OK Logging out.\r\n");
    scn_tcp_close(s, &c, 1);
    app_next(&n, &c);

    scn_tcp_open(s, &c, n.pc, mail, 0, 143, false, n.t, 15 * SCN_MS);
    say(s, &c, NULL,
        "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
        "STARTTLS AUTH=PLAIN] Dovecot ready.\r\n");
    say(s, &c, "a001 CAPABILITY\r\n",
        "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
        "AUTH=PLAIN\r\na001 OK Pre-login capabilities listed, post-login capabilities have "
        "more.\r\n");
    say(s, &c, "a002 LOGIN tanaka \"Himitsu2026\"\r\n", "a002 OK Logged in\r\n");
    say(s, &c, "a003 SELECT INBOX\r\n",
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 2 EXISTS\r\n"
        "* 0 RECENT\r\na003 OK [READ-WRITE] Select completed.\r\n");
    say(s, &c, "a004 LOGOUT\r\n", "* BYE Logging out\r\na004 OK Logout completed.\r\n");
    scn_tcp_close(s, &c, 1);
    app_next(&n, &c);

    for (int bad = 0; bad < 2; bad++) {
        scn_tcp_open(s, &c, n.pc, nas, 0, 21, false, n.t, 500);
        say(s, &c, NULL, "220 (vsFTPd 3.0.5)\r\n");
        if (!bad) {
            say(s, &c, "USER tanaka\r\n", "331 Please specify the password.\r\n");
            say(s, &c, "PASS Himitsu2026\r\n", "230 Login successful.\r\n");
            say(s, &c, "SYST\r\n", "215 UNIX Type: L8\r\n");
            say(s, &c, "PWD\r\n", "257 \"/home/tanaka\" is the current directory\r\n");
        } else {
            say(s, &c, "USER suzuki\r\n", "331 Please specify the password.\r\n");
            say(s, &c, "PASS wrongpass\r\n", "530 Login incorrect.\r\n");
        }
        say(s, &c, "QUIT\r\n", "221 Goodbye.\r\n");
        scn_tcp_close(s, &c, 1);
        app_next(&n, &c);
    }

    /* Telnet (RFC 854): the switch asks for terminal type and window size,
     * offers echo and suppress-go-ahead; the user name is echoed per
     * keystroke, the password is not. */
    scn_tcp_open(s, &c, n.pc, sw, 0, 23, false, n.t, 700);
    {
        static const uint8_t srv1[] = {0xff, 0xfd, 0x18, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01,
                                       0xff, 0xfb, 0x03};
        static const uint8_t cli1[] = {0xff, 0xfb, 0x18, 0xff, 0xfb, 0x1f, 0xff, 0xfd, 0x01,
                                       0xff, 0xfd, 0x03, 0xff, 0xfa, 0x1f, 0x00, 0x50, 0x00,
                                       0x18, 0xff, 0xf0};
        static const uint8_t srv2[] = {0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0};
        static const uint8_t cli2[] = {0xff, 0xfa, 0x18, 0x00, 'X', 'T', 'E',
                                       'R',  'M',  0xff, 0xf0};
        static const char user[] = "admin", pass[] = "Sw1tch!";
        scn_tcp_send(s, &c, 1, srv1, sizeof(srv1));
        scn_tcp_send(s, &c, 0, cli1, sizeof(cli1));
        scn_tcp_send(s, &c, 1, srv2, sizeof(srv2));
        scn_tcp_send(s, &c, 0, cli2, sizeof(cli2));
        tcp_text(s, &c, 1, "\r\nUser Access Verification\r\n\r\nlogin: ");
        for (size_t i = 0; i < sizeof(user) - 1; i++) {
            scn_tcp_wait(&c, scn_rng_range(&s->rng, 120 * SCN_MS, 300 * SCN_MS));
            scn_tcp_send(s, &c, 0, user + i, 1);
            scn_tcp_send(s, &c, 1, user + i, 1);
        }
        scn_tcp_send(s, &c, 0, "\r\n", 2);
        tcp_text(s, &c, 1, "\r\nPassword: ");
        for (size_t i = 0; i < sizeof(pass) - 1; i++) {
            scn_tcp_wait(&c, scn_rng_range(&s->rng, 120 * SCN_MS, 300 * SCN_MS));
            scn_tcp_send(s, &c, 0, pass + i, 1);
        }
        scn_tcp_send(s, &c, 0, "\r\n", 2);
        tcp_text(s, &c, 1, "\r\nSW01>");
        scn_tcp_wait(&c, 1 * SCN_SEC);
        tcp_text(s, &c, 0, "exit\r\n");
        scn_tcp_close(s, &c, 1);
    }
}

/* ------------------------------------------------------------------ SSH */

/* SSH: OpenSSH client to an OpenSSH server, PuTTY to dropbear, and a
 * server that writes two text lines before its banner (RFC 4253 4.2). */
void scn_gen_app_ssh(struct scn *s, const struct scenario_opts *o)
{
    struct app_net n;
    struct scn_host *srv, *rtr, *old;
    (void)o;

    app_net_init(s, &n);
    srv = scn_host_new(s, "kaihatsu-ws01", SCN_OS_LINUX, scn_oui_hp, SCN_IP4(192, 168, 10, 50));
    rtr = scn_host_new(s, "OPENWRT", SCN_OS_ROUTER, scn_oui_nec, SCN_IP4(192, 168, 10, 253));
    old = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 22), NULL);
    scn_ssh_session(s, n.pc, srv, n.t, 500, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
                    "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", 3);
    scn_ssh_session(s, n.pc, rtr, n.t + 60 * SCN_SEC, 700, "SSH-2.0-PuTTY_Release_0.81",
                    "SSH-2.0-dropbear_2022.83", 2);
    scn_ssh_session(s, n.pc, old, n.t + 120 * SCN_SEC, 30 * SCN_MS,
                    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
                    "Welcome to the Yamada Shoji bastion\r\nAuthorized use only\r\n"
                    "SSH-2.0-OpenSSH_7.4",
                    1);
}

/* ------------------------------------------------------------------ SMB */

/* SMB: an old scanner negotiating SMB1 (answered NT LM 0.12), and
 * SOUMU-PC01 with SMB 3.1.1, NTLMSSP (YAMADA\tanaka from SOUMU-PC01) and a
 * tree connect to \\FILESV01\share. */
void scn_gen_app_smb(struct scn *s, const struct scenario_opts *o)
{
    struct app_net n;
    struct scn_host *fs, *mfp;
    (void)o;

    app_net_init(s, &n);
    fs = scn_host_new(s, "FILESV01", SCN_OS_WINDOWS, scn_oui_hp, SCN_IP4(192, 168, 10, 10));
    mfp = scn_host_new(s, "MFP-SCAN01", SCN_OS_PRINTER, scn_oui_brother, SCN_IP4(192, 168, 10, 31));
    scn_smb1_negotiate(s, mfp, fs, n.t, "YAMADA");
    scn_smb311_session(s, n.pc, fs, n.t + 2 * SCN_SEC, "YAMADA", "tanaka",
                       "\\\\FILESV01\\share");
}

/* ------------------------------------------------------------------ RDP */

/* RDP: X.224 Connection Request with "Cookie: mstshash=tanaka" and an
 * RDP_NEG_REQ (TLS | CredSSP), Connection Confirm selecting TLS, then the
 * TLS 1.2 handshake with the host's self-signed certificate. */
void scn_gen_app_rdp(struct scn *s, const struct scenario_opts *o)
{
    static const struct app_cert self[] = {{NULL, "KEIRI-PC01", NULL, "KEIRI-PC01"}};
    static const char cookie[] = "Cookie: mstshash=tanaka\r\n";
    struct app_net n;
    struct scn_host *dst;
    struct scn_tcp c;
    struct scn_buf b, ch;
    uint8_t sid[32];
    (void)o;

    app_net_init(s, &n);
    dst = scn_host_new(s, "KEIRI-PC01", SCN_OS_WINDOWS, scn_oui_dell, SCN_IP4(192, 168, 10, 105));
    scn_buf_init(&b);
    scn_buf_init(&ch);
    scn_tcp_open(s, &c, n.pc, dst, 0, 3389, false, n.t, 400);
    /* TPKT (RFC 1006), X.224 CR TPDU (LI, 0xe0, dst-ref, src-ref, class 0) */
    scn_buf_mem(&b, "\x03\x00", 2);
    size_t tl = scn_buf_mark(&b, 2);
    scn_buf_u8(&b, (uint8_t)(6 + strlen(cookie) + 8));
    scn_buf_mem(&b, "\xe0\x00\x00\x00\x00\x00", 6);
    scn_buf_str(&b, cookie);
    /* RDP_NEG_REQ (MS-RDPBCGR 2.2.1.1.1): PROTOCOL_SSL | PROTOCOL_HYBRID */
    scn_buf_mem(&b, "\x01\x00\x08\x00\x03\x00\x00\x00", 8);
    scn_buf_patch(&b, tl, 2);
    b.p[2] = 0;
    b.p[3] = (uint8_t)b.len; /* TPKT length counts its own header */
    scn_tcp_send(s, &c, 0, b.p, b.len);
    /* Connection Confirm with RDP_NEG_RSP selecting PROTOCOL_SSL */
    scn_buf_clear(&b);
    scn_buf_mem(&b, "\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00", 11);
    scn_buf_mem(&b, "\x02\x1f\x08\x00\x01\x00\x00\x00", 8);
    scn_tcp_send(s, &c, 1, b.p, b.len);
    scn_tls_client_hello(s, &ch, SCN_TLS_OLD, NULL, NULL);
    scn_tcp_send(s, &c, 0, ch.p, ch.len);
    scn_rng_bytes(&s->rng, sid, sizeof(sid));
    tls12_rest(s, &c, sid, NULL, self, ARRAY_SIZE(self));
    scn_tls_data(s, &c, 0, 400);
    scn_tls_data(s, &c, 1, 3000);
    scn_tcp_close(s, &c, 0);
    scn_buf_free(&b);
    scn_buf_free(&ch);
}

/* --------------------------------------------------------------- stream */

/* Marks `len` bytes of side dir as sent by hand (scn_tcp_seg) ending at ts. */
static void seg_done(struct scn_tcp *c, int dir, size_t len, uint64_t ts)
{
    c->seq[dir] += (uint32_t)len;
    c->t = MAX(c->t, ts);
    c->last_dir = dir;
    c->pend[dir] = true;
    c->pend[!dir] = false;
}

static void seg(struct scn *s, struct scn_tcp *c, int dir, uint64_t ts, uint32_t off,
                const char *data, size_t len)
{
    scn_tcp_seg(s, c, dir, ts, SCN_TH_ACK | SCN_TH_PSH, c->seq[dir] + off, c->seq[!dir],
                data + off, len);
}

/* Reassembly stress over HTTP: (1) a request in three segments sent 1, 3, 2;
 * (2) a response segment retransmitted with identical data; (3) a request
 * whose later part arrives first and is then overlapped by a retransmission
 * with DIFFERENT bytes (in the User-Agent: an anomaly; the URI is not in the
 * overlap; the first copy wins), then its start; (4) a request
 * in one-byte segments; (5) a response segment missing from the capture,
 * then a second request and response on the same connection. */
void scn_gen_app_stream(struct scn *s, const struct scenario_opts *o)
{
    static const char req1[] = "GET /ooo.html HTTP/1.1\r\nHost: www.example.co.jp\r\n"
                               "User-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n";
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 40\r\n\r\n"
                               "0123456789012345678901234567890123456789";
    static const char req3[] = "GET /overlap.html HTTP/1.1\r\nHost: www.example.co.jp\r\n"
                               "User-Agent: Mozilla/5.0 (overlap test)\r\n\r\n";
    static const char req4[] = "GET /onebyte.html HTTP/1.1\r\nHost: www.example.co.jp\r\n\r\n";
    static const char req5[] = "GET /gap1.html HTTP/1.1\r\nHost: www.example.co.jp\r\n\r\n";
    static const char req6[] = "GET /after-gap.html HTTP/1.1\r\nHost: www.example.co.jp\r\n\r\n";
    struct app_net n;
    struct scn_tcp c;
    uint64_t t;
    size_t l1 = sizeof(req1) - 1, lr = sizeof(resp) - 1;
    (void)o;

    app_net_init(s, &n);

    /* (1) out of order */
    scn_tcp_open(s, &c, n.pc, n.web, 0, 80, false, n.t, 20 * SCN_MS);
    t = c.t + 200;
    seg(s, &c, 0, t, 0, req1, 30);
    seg(s, &c, 0, t + 40, 60, req1, l1 - 60);
    seg(s, &c, 0, t + 80, 30, req1, 30);
    seg_done(&c, 0, l1, t + 80);
    scn_tcp_send(s, &c, 1, resp, lr);
    scn_tcp_close(s, &c, 0);
    app_next(&n, &c);

    /* (2) identical retransmission of the response's second segment */
    scn_tcp_open(s, &c, n.pc, n.web, 0, 80, false, n.t, 20 * SCN_MS);
    scn_tcp_send(s, &c, 0, req1, l1);
    t = c.t + 20 * SCN_MS;
    seg(s, &c, 1, t, 0, resp, 50);
    seg(s, &c, 1, t + 110, 50, resp, lr - 50);
    seg(s, &c, 1, t + 200 * SCN_MS, 50, resp, lr - 50);
    seg_done(&c, 1, lr, t + 200 * SCN_MS);
    scn_tcp_close(s, &c, 0);
    app_next(&n, &c);

    /* (3) overlap with different data: the first segment's bytes 80-89
     * (inside the User-Agent value, 65-90) differ from the retransmission's */
    scn_tcp_open(s, &c, n.pc, n.web, 0, 80, false, n.t, 20 * SCN_MS);
    {
        char alt[sizeof(req3)];
        size_t l3 = sizeof(req3) - 1;
        memcpy(alt, req3, sizeof(req3));
        memcpy(alt + 80, "XXXXXXXXXX", 10);
        /* bytes 40-95 first (held: 0-39 are missing), then 80-end with the
         * true bytes over the held ones, then 0-39 fill the hole */
        t = c.t + 200;
        seg(s, &c, 0, t, 40, alt, 56);
        seg(s, &c, 0, t + 30 * SCN_MS, 80, req3, l3 - 80);
        seg(s, &c, 0, t + 60 * SCN_MS, 0, req3, 40);
        seg_done(&c, 0, l3, t + 60 * SCN_MS);
    }
    scn_tcp_send(s, &c, 1, resp, lr);
    scn_tcp_close(s, &c, 0);
    app_next(&n, &c);

    /* (4) one byte per segment */
    scn_tcp_open(s, &c, n.pc, n.web, 0, 80, false, n.t, 20 * SCN_MS);
    t = c.t + 200;
    for (size_t i = 0; i < sizeof(req4) - 1; i++) {
        seg(s, &c, 0, t, (uint32_t)i, req4, 1);
        t += 30;
        if (i % 8 == 7)
            scn_tcp_seg(s, &c, 1, t, SCN_TH_ACK, c.seq[1], c.seq[0] + (uint32_t)i + 1, NULL, 0);
    }
    seg_done(&c, 0, sizeof(req4) - 1, t);
    scn_tcp_send(s, &c, 1, resp, lr);
    scn_tcp_close(s, &c, 0);
    app_next(&n, &c);

    /* (5) bytes 50-79 of the first response never reach the tap */
    scn_tcp_open(s, &c, n.pc, n.web, 0, 80, false, n.t, 20 * SCN_MS);
    scn_tcp_send(s, &c, 0, req5, sizeof(req5) - 1);
    t = c.t + 20 * SCN_MS;
    seg(s, &c, 1, t, 0, resp, 50);
    seg(s, &c, 1, t + 220, 80, resp, lr - 80);
    seg_done(&c, 1, lr, t + 220);
    scn_tcp_send(s, &c, 0, req6, sizeof(req6) - 1);
    scn_tcp_send(s, &c, 1, resp, lr);
    scn_tcp_close(s, &c, 0);
}
