/* scn-devices.c - the dev-* scenarios: fixtures of the device inventory and
 * its findings (issue 4), one capture per finding with its positive and
 * negative cases. What the inventory must report from each is listed in
 * tests/golden/scenarios-devices.tsv; change a MAC, name or time here and
 * that file must change with it.
 *
 * All of them are one small office, 192.168.50.0/24, gateway 192.168.50.1
 * (Yamaha or NEC router: DNS forwarder, DHCP server). Every LAN host has a
 * fixed MAC with a real vendor OUI (so the vendor lookup shows something and
 * the test can name devices); phones use locally administered MACs. Days
 * start at SCN_EPOCH_US (Monday 2026-11-02 09:00 JST) and step by 24 h, so
 * the long scenarios (dev-rotate, dev-returned, dev-newservice) cover days
 * or weeks of packet time with a few minutes of traffic in each. */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define DEV_DOMAIN "suzuki-kogyo.example"
#define DEV_WORKGROUP "WORKGROUP"
#define DEV_IP(x) SCN_IP4(192, 168, 50, (x))
#define DEV_DAY (86400ull * SCN_SEC)
#define DEV_HOUR (3600ull * SCN_SEC)

/* ------------------------------------------------------------- network */

/* Internet sites the office uses; plain-HTTP ones carry the browser's UA. */
struct dev_site {
    const char *name;
    uint32_t ip;
    bool https;
};

static const struct dev_site dev_sites[] = {
    {"www.jma.go.jp", SCN_IP4(23, 53, 41, 104), false},
    {"www.google.com", SCN_IP4(142, 250, 196, 100), true},
    {"www.yahoo.co.jp", SCN_IP4(183, 79, 219, 252), true},
    {"outlook.office365.com", SCN_IP4(52, 98, 152, 178), true},
    {"www.icloud.com", SCN_IP4(17, 253, 144, 10), true},
};

struct dev_net {
    struct scn_host *gw;
    struct scn_host *web[ARRAY_SIZE(dev_sites)];
};

/* What kind of client a host is: its browser, TLS stack and DHCP options. */
enum dev_kind {
    DEV_WIN10 = 0,
    DEV_WIN7,
    DEV_XP,
    DEV_IPHONE,
    DEV_ANDROID,
    DEV_LINUX,
};

static const char *const dev_ua[] = {
    [DEV_WIN10] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                  "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    [DEV_WIN7] = "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
    [DEV_XP] = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)",
    [DEV_IPHONE] = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
                   "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    [DEV_ANDROID] = "Mozilla/5.0 (Linux; Android 14; Pixel 7a) AppleWebKit/537.36 "
                    "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    [DEV_LINUX] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
};

/* The host's MAC is the whole of mac (scn_host_new draws the low half at
 * random); the IPv6 link-local address follows it (RFC 4291 appendix A). */
static void dev_set_mac(struct scn_host *h, const uint8_t mac[6])
{
    memcpy(h->mac, mac, 6);
    h->ip6_ll[8] = mac[0] ^ 0x02;
    h->ip6_ll[9] = mac[1];
    h->ip6_ll[10] = mac[2];
    memcpy(h->ip6_ll + 13, mac + 3, 3);
}

static struct scn_host *dev_host(struct scn *s, const char *name, enum scn_os os,
                                 const uint8_t mac[6], uint32_t ip4)
{
    struct scn_host *h = scn_host_new(s, name, os, mac, ip4);
    dev_set_mac(h, mac);
    return h;
}

static void dev_net_init(struct scn *s, struct dev_net *n, const char *gw_name,
                         const uint8_t gw_mac[6])
{
    n->gw = dev_host(s, gw_name, SCN_OS_ROUTER, gw_mac, DEV_IP(1));
    for (size_t i = 0; i < ARRAY_SIZE(dev_sites); i++)
        n->web[i] = scn_host_remote(s, n->gw, SCN_OS_LINUX, dev_sites[i].ip, NULL);
}

static uint64_t dev_rtt(struct scn *s)
{
    return scn_rng_range(&s->rng, 8 * SCN_MS, 30 * SCN_MS);
}

/* One ARP packet with every field given: spoofed replies and gratuitous
 * storms need what scn_arp_*() never sends. */
static void dev_arp(struct scn *s, uint64_t ts, const uint8_t eth_dst[6], uint16_t op,
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

/* The gateway refreshing its ARP entry for h, and h's answer. */
static void dev_gw_arp(struct scn *s, struct dev_net *n, struct scn_host *h, uint64_t ts)
{
    scn_arp_request(s, ts, n->gw, h->ip4);
    scn_arp_reply(s, ts + scn_rng_range(&s->rng, 200, 900), h, n->gw);
}

/* ---------------------------------------------------------------- DHCP */

/* Client options as each OS sends them (RFC 2132; the option 55 lists are
 * the ones DHCP fingerprinting databases know these systems by). */
struct dev_dhcp_prof {
    const uint8_t *prl;
    size_t nprl;
    const char *vendor; /* option 60, NULL: none */
    bool apple;         /* Apple order: 55 and 57 first, no option 60 */
    bool autocfg;       /* option 116 (RFC 2563), as Windows XP sends it */
};

static const uint8_t prl_win10[] = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252};
static const uint8_t prl_win7[] = {1, 15, 3, 6, 44, 46, 47, 31, 33, 121, 249, 43, 252};
static const uint8_t prl_xp[] = {1, 15, 3, 6, 44, 46, 47, 31, 33, 249, 43};
/* iOS asks for what macOS does minus LDAP (95) and NetBIOS (44, 46). */
static const uint8_t prl_ios[] = {1, 121, 3, 6, 15, 108, 114, 119, 252};
static const uint8_t prl_android[] = {1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108};

static const struct dev_dhcp_prof dev_dhcp_profs[] = {
    [DEV_WIN10] = {prl_win10, sizeof(prl_win10), "MSFT 5.0", false, false},
    [DEV_WIN7] = {prl_win7, sizeof(prl_win7), "MSFT 5.0", false, false},
    [DEV_XP] = {prl_xp, sizeof(prl_xp), "MSFT 5.0", false, true},
    [DEV_IPHONE] = {prl_ios, sizeof(prl_ios), NULL, true, false},
    [DEV_ANDROID] = {prl_android, sizeof(prl_android), "android-dhcp-14", false, false},
    [DEV_LINUX] = {prl_win10, sizeof(prl_win10), NULL, false, false},
};

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

/* BOOTP fixed part (RFC 2131 2) and the magic cookie. */
static void dev_bootp(struct scn_buf *b, uint8_t op, uint32_t xid, uint16_t secs, uint32_t yiaddr,
                      const uint8_t mac[6])
{
    scn_buf_clear(b);
    scn_buf_u8(b, op);
    scn_buf_u8(b, 1); /* Ethernet */
    scn_buf_u8(b, 6);
    scn_buf_u8(b, 0);
    scn_buf_u32(b, xid);
    scn_buf_u16(b, secs);
    scn_buf_u16(b, 0);
    scn_buf_u32(b, 0);      /* ciaddr */
    scn_buf_u32(b, yiaddr); /* yiaddr */
    scn_buf_u32(b, 0);      /* siaddr */
    scn_buf_u32(b, 0);      /* giaddr */
    scn_buf_mem(b, mac, 6);
    scn_buf_zero(b, 10 + 64 + 128);
    scn_buf_u32(b, 0x63825363);
}

static void dev_dhcp_client_opts(struct scn_buf *b, const struct scn_host *h,
                                 const struct dev_dhcp_prof *p, uint8_t type, uint32_t req,
                                 uint32_t server)
{
    static const uint8_t mms[2] = {0x05, 0xdc};
    static const uint8_t autocfg = 1;
    uint8_t cid[7];

    cid[0] = 1; /* hardware type Ethernet + MAC (RFC 2132 9.14) */
    memcpy(cid + 1, h->mac, 6);
    dhcp_opt(b, 53, &type, 1);
    if (p->apple) {
        dhcp_opt(b, 55, p->prl, p->nprl);
        dhcp_opt(b, 57, mms, sizeof(mms));
    }
    if (p->autocfg && type == 1)
        dhcp_opt(b, 116, &autocfg, 1);
    dhcp_opt(b, 61, cid, sizeof(cid));
    if (req)
        dhcp_opt32(b, 50, req);
    if (server)
        dhcp_opt32(b, 54, server);
    dhcp_opt(b, 12, h->name, strlen(h->name));
    if (!p->apple) {
        if (p->vendor)
            dhcp_opt(b, 60, p->vendor, strlen(p->vendor));
        dhcp_opt(b, 55, p->prl, p->nprl);
    }
    scn_buf_u8(b, 255);
    if (b->len < 300) /* BOOTP minimum message (RFC 1542 2.1) */
        scn_buf_zero(b, 300 - b->len);
}

static void dev_dhcp_server_opts(struct scn_buf *b, uint8_t type, const struct scn_host *gw)
{
    dhcp_opt(b, 53, &type, 1);
    dhcp_opt32(b, 54, gw->ip4);
    dhcp_opt32(b, 51, 86400);
    dhcp_opt32(b, 58, 43200);
    dhcp_opt32(b, 59, 75600);
    dhcp_opt32(b, 1, 0xffffff00);
    dhcp_opt32(b, 3, gw->ip4);
    dhcp_opt32(b, 6, gw->ip4);
    dhcp_opt(b, 15, DEV_DOMAIN, strlen(DEV_DOMAIN));
    scn_buf_u8(b, 255);
}

/* Discover, Offer, Request, Ack with the options of kind k, then the
 * RFC 5227 probes and announcement; sets h->ip4 = addr. */
static void dev_dhcp_join(struct scn *s, uint64_t *t, struct dev_net *n, struct scn_host *h,
                          enum dev_kind k, uint32_t addr)
{
    const struct dev_dhcp_prof *p = &dev_dhcp_profs[k];
    struct scn_ep cli = scn_ep_raw4(h->mac, 0, h->ttl);
    struct scn_ep bcast = scn_ep_raw4(scn_mac_bcast, 0xffffffff, 0);
    struct scn_ep srv = scn_ep4(n->gw);
    struct scn_ep to = scn_ep_raw4(h->mac, addr, 0);
    uint32_t xid = (uint32_t)scn_rng_next(&s->rng);
    struct scn_buf b;

    cli.host = h->index;
    scn_buf_init(&b);
    dev_bootp(&b, 1, xid, 0, 0, h->mac);
    dev_dhcp_client_opts(&b, h, p, 1, 0, 0);
    scn_udp(s, *t, &cli, &bcast, 68, 67, b.p, b.len);
    *t += scn_rng_range(&s->rng, 1500, 4000);
    dev_bootp(&b, 2, xid, 0, addr, h->mac);
    dev_dhcp_server_opts(&b, 2, n->gw);
    scn_udp(s, *t, &srv, &to, 67, 68, b.p, b.len);
    *t += scn_rng_range(&s->rng, 800, 3000);
    dev_bootp(&b, 1, xid, 1, 0, h->mac);
    dev_dhcp_client_opts(&b, h, p, 3, addr, n->gw->ip4);
    scn_udp(s, *t, &cli, &bcast, 68, 67, b.p, b.len);
    *t += scn_rng_range(&s->rng, 1500, 4000);
    dev_bootp(&b, 2, xid, 0, addr, h->mac);
    dev_dhcp_server_opts(&b, 5, n->gw);
    scn_udp(s, *t, &srv, &to, 67, 68, b.p, b.len);
    scn_buf_free(&b);

    *t += scn_rng_range(&s->rng, 20 * SCN_MS, 80 * SCN_MS);
    scn_arp_probe(s, *t, h, addr);
    *t += scn_rng_range(&s->rng, 1 * SCN_SEC, 2 * SCN_SEC);
    scn_arp_probe(s, *t, h, addr);
    h->ip4 = addr;
    *t += scn_rng_range(&s->rng, 1 * SCN_SEC, 2 * SCN_SEC);
    scn_arp_announce(s, *t, h);
}

/* ------------------------------------------------------------ activity */

static enum scn_tls_client dev_tls_prof(enum dev_kind k)
{
    switch (k) {
    case DEV_WIN7:
    case DEV_XP:
        return SCN_TLS_OLD;
    case DEV_IPHONE:
        return SCN_TLS_SAFARI;
    case DEV_LINUX:
        return SCN_TLS_FIREFOX;
    default:
        return SCN_TLS_CHROME;
    }
}

/* DNS A lookup of a site at the gateway. */
static void dev_lookup(struct scn *s, uint64_t *t, struct dev_net *n, struct scn_host *h,
                       size_t site)
{
    struct scn_dns_rr a = {.type = SCN_DNS_A, .ttl = 300, .a = dev_sites[site].ip};
    scn_dns_lookup(s, t, h, n->gw, dev_sites[site].name, SCN_DNS_A, &a, 1, 0,
                   scn_rng_range(&s->rng, 2 * SCN_MS, 15 * SCN_MS));
}

/* One plain HTTP page with the host's browser User-Agent. */
static void dev_http_visit(struct scn *s, struct dev_net *n, struct scn_host *h, enum dev_kind k,
                           uint64_t t)
{
    struct scn_tcp c;
    dev_lookup(s, &t, n, h, 0);
    scn_tcp_open(s, &c, h, n->web[0], 0, 80, false, t + 300, dev_rtt(s));
    scn_http_exchange(s, &c, "GET", dev_sites[0].name, "/bosai/forecast/", dev_ua[k], NULL, NULL,
                      200, "text/html", (size_t)scn_rng_range(&s->rng, 800, 2500));
    scn_tcp_wait(&c, scn_rng_range(&s->rng, 1 * SCN_SEC, 5 * SCN_SEC));
    scn_tcp_close(s, &c, 0);
}

/* What a client does for dur from t0: ask for the gateway's MAC, register
 * its NetBIOS name (Windows) or announce itself over mDNS (phones), open
 * one plain HTTP page with its browser, then every 40-120 s look up a site
 * and visit it (XP only browses plain HTTP: its TLS is too old for the
 * sites). The gateway refreshes its ARP entry every few minutes. */
static void dev_activity(struct scn *s, struct dev_net *n, struct scn_host *h, enum dev_kind k,
                         uint64_t t0, uint64_t dur)
{
    uint64_t t = t0, next_arp = t0 + 2 * SCN_MIN;
    unsigned steps = 0;

    scn_arp_request(s, t, h, n->gw->ip4);
    scn_arp_reply(s, t + scn_rng_range(&s->rng, 200, 700), n->gw, h);
    t += 50 * SCN_MS;
    if (h->os == SCN_OS_WINDOWS) {
        scn_nbns_register(s, t, h, DEV_WORKGROUP);
        t += 2 * SCN_SEC;
    } else if (k == DEV_IPHONE || k == DEV_ANDROID) {
        char local[64];
        snprintf(local, sizeof(local), "%s.local", h->name);
        struct scn_dns_rr a = {
            .name = local, .type = SCN_DNS_A, .rclass = 0x8001, .ttl = 120, .a = h->ip4};
        scn_mdns_announce(s, t, h, &a, 1);
        t += 1 * SCN_SEC;
    }
    dev_http_visit(s, n, h, k, t);
    t += scn_rng_range(&s->rng, 10 * SCN_SEC, 30 * SCN_SEC);
    /* The cap bounds a scenario whose dur is mistaken for hours. */
    while (t < t0 + dur && steps++ < 200) {
        size_t site = (size_t)scn_rng_range(&s->rng, 0, ARRAY_SIZE(dev_sites) - 1);
        if (t >= next_arp) {
            dev_gw_arp(s, n, h, t);
            next_arp = t + scn_rng_range(&s->rng, 3 * SCN_MIN, 5 * SCN_MIN);
            t += 1 * SCN_SEC;
        }
        if (!dev_sites[site].https || k == DEV_XP) {
            dev_http_visit(s, n, h, k, t);
        } else {
            dev_lookup(s, &t, n, h, site);
            scn_https_visit(s, h, n->web[site], dev_sites[site].name, dev_tls_prof(k),
                            k != DEV_WIN7, t + 300, dev_rtt(s), 1,
                            (size_t)scn_rng_range(&s->rng, 300, 900),
                            (size_t)scn_rng_range(&s->rng, 1000, 3000));
        }
        t += scn_rng_range(&s->rng, 40 * SCN_SEC, 120 * SCN_SEC);
    }
}

/* ----------------------------------------------------------- dev-office */

/* Five known devices (gateway, three PCs, a printer; the test's known
 * list names them) and an unknown Windows 10 PC, GUEST-PC (Lenovo
 * a4:11:94:50:01:66), that joins six minutes in with DHCP, registers its
 * NetBIOS name and browses: exactly one device.new, for GUEST-PC. */
void scn_gen_dev_office(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t m_gw[6] = {0x00, 0xa0, 0xde, 0x50, 0x01, 0x01};
    static const uint8_t m_pc[3][6] = {{0xf8, 0xbc, 0x12, 0x50, 0x01, 0x11},
                                       {0x10, 0xc5, 0x95, 0x50, 0x01, 0x12},
                                       {0x3c, 0xd9, 0x2b, 0x50, 0x01, 0x13}};
    static const char *const pc_names[3] = {"SOUMU-PC01", "EIGYO-PC02", "KEIRI-PC03"};
    static const uint8_t m_prn[6] = {0x3c, 0x2a, 0xf4, 0x50, 0x01, 0x14};
    static const uint8_t m_guest[6] = {0xa4, 0x11, 0x94, 0x50, 0x01, 0x66};
    struct dev_net n;
    struct scn_host *pc[3], *prn, *guest;
    uint64_t t = SCN_EPOCH_US;
    (void)o;

    dev_net_init(s, &n, "RTX830", m_gw);
    for (size_t i = 0; i < 3; i++)
        pc[i] = dev_host(s, pc_names[i], SCN_OS_WINDOWS, m_pc[i], 0);
    prn = dev_host(s, "BRN3C2AF4501014", SCN_OS_PRINTER, m_prn, DEV_IP(30));
    guest = dev_host(s, "GUEST-PC", SCN_OS_WINDOWS, m_guest, 0);

    /* The printer is on all the time: it announces its address and its
     * IPP service (RFC 6763) and answers the gateway's ARP. */
    {
        static const char inst[] = "Brother MFC-L2750DW series._ipp._tcp.local";
        struct scn_dns_rr an[4] = {
            {.name = "_ipp._tcp.local", .type = SCN_DNS_PTR, .ttl = 4500, .target = inst},
            {.name = inst,
             .type = SCN_DNS_SRV,
             .rclass = 0x8001,
             .ttl = 120,
             .port = 631,
             .target = "BRN3C2AF4501014.local"},
            {.name = inst,
             .type = SCN_DNS_TXT,
             .rclass = 0x8001,
             .ttl = 4500,
             .txt = "txtvers=1\nty=Brother MFC-L2750DW series\nproduct=(Brother MFC-L2750DW "
                    "series)\nusb_MDL=MFC-L2750DW series"},
            {.name = "BRN3C2AF4501014.local",
             .type = SCN_DNS_A,
             .rclass = 0x8001,
             .ttl = 120,
             .a = prn->ip4},
        };
        scn_arp_announce(s, t, prn);
        for (unsigned i = 0; i < 3; i++) {
            scn_mdns_announce(s, t + 1 * SCN_SEC + i * 4 * SCN_MIN, prn, an, ARRAY_SIZE(an));
            dev_gw_arp(s, &n, prn, t + 90 * SCN_SEC + i * 4 * SCN_MIN);
        }
    }
    for (size_t i = 0; i < 3; i++) {
        uint64_t tj = t + 5 * SCN_SEC + i * 40 * SCN_SEC;
        dev_dhcp_join(s, &tj, &n, pc[i], DEV_WIN10, DEV_IP(101 + i));
        dev_activity(s, &n, pc[i], DEV_WIN10, tj + 1 * SCN_SEC, 12 * SCN_MIN);
    }
    /* SOUMU-PC01 prints a page (raw port 9100). */
    {
        struct scn_tcp c;
        scn_tcp_open(s, &c, pc[0], prn, 0, 9100, false, t + 4 * SCN_MIN, 1 * SCN_MS);
        scn_tcp_send_rand(s, &c, 0, 24000);
        scn_tcp_close(s, &c, 0);
    }
    /* GUEST-PC arrives at 09:06 and stays about six minutes. */
    t += 6 * SCN_MIN;
    dev_dhcp_join(s, &t, &n, guest, DEV_WIN10, DEV_IP(120));
    dev_activity(s, &n, guest, DEV_WIN10, t + 1 * SCN_SEC, 6 * SCN_MIN);
}

/* ----------------------------------------------------------- dev-rotate */

/* An iPhone with "rotating" private Wi-Fi addresses: on five working days
 * it comes in with a new locally administered MAC each time (1a:.., 3e:..,
 * 5a:.., 7e:.., 9a:.. :50:02:a1..a5), joins with DHCP under the same
 * hostname Tanaka-no-iPhone and the same iOS option lists (its client id is
 * 01 + the MAC of the day, so it changes too), announces itself over mDNS
 * and browses. A desktop PC and the gateway are there every day. One device
 * with five MACs; at most one device.new. */
void scn_gen_dev_rotate(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t m_gw[6] = {0x00, 0x00, 0x4c, 0x50, 0x02, 0x01};
    static const uint8_t m_pc[6] = {0xb8, 0xac, 0x6f, 0x50, 0x02, 0x11};
    static const uint8_t m_phone[5][6] = {{0x1a, 0x7c, 0x33, 0x50, 0x02, 0xa1},
                                          {0x3e, 0x19, 0x8d, 0x50, 0x02, 0xa2},
                                          {0x5a, 0xe4, 0x02, 0x50, 0x02, 0xa3},
                                          {0x7e, 0x61, 0xbb, 0x50, 0x02, 0xa4},
                                          {0x9a, 0x2f, 0x70, 0x50, 0x02, 0xa5}};
    struct dev_net n;
    struct scn_host *pc, *phone;
    (void)o;

    dev_net_init(s, &n, "IX2215", m_gw);
    pc = dev_host(s, "JIMU-PC01", SCN_OS_WINDOWS, m_pc, 0);
    phone = dev_host(s, "Tanaka-no-iPhone", SCN_OS_IOS, m_phone[0], 0);
    for (unsigned day = 0; day < 5; day++) {
        uint64_t t = SCN_EPOCH_US + day * DEV_DAY + scn_rng_range(&s->rng, 0, 5 * SCN_MIN);
        uint64_t tp = t + scn_rng_range(&s->rng, 2 * SCN_MIN, 4 * SCN_MIN);
        dev_dhcp_join(s, &t, &n, pc, DEV_WIN10, DEV_IP(101));
        dev_activity(s, &n, pc, DEV_WIN10, t + 1 * SCN_SEC, 4 * SCN_MIN);
        /* A new address each day, as the DHCP server sees a new client. */
        dev_set_mac(phone, m_phone[day]);
        dev_dhcp_join(s, &tp, &n, phone, DEV_IPHONE, DEV_IP(141 + day));
        dev_activity(s, &n, phone, DEV_IPHONE, tp + 1 * SCN_SEC, 4 * SCN_MIN);
    }
}

/* --------------------------------------------------------- dev-arpspoof */

/* Two PCs browse; from 09:03 the attacker KALI (Lenovo 10:c5:95:50:03:66,
 * 192.168.50.150) tells both every 2 s that 192.168.50.1 is at its MAC
 * (unsolicited ARP replies, two minutes), while the real gateway keeps
 * answering the PCs' requests: device.arp_spoof (high) for KALI. From
 * 09:08 the NAS (Buffalo 34:3d:c4:50:03:77, .20) sends 100 gratuitous ARPs
 * for its own address in one minute: device.arp_spoof for the NAS. The PCs
 * get no such alert. */
void scn_gen_dev_arpspoof(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t m_gw[6] = {0x00, 0xa0, 0xde, 0x50, 0x03, 0x01};
    static const uint8_t m_pc[2][6] = {{0xf8, 0xbc, 0x12, 0x50, 0x03, 0x11},
                                       {0x3c, 0xd9, 0x2b, 0x50, 0x03, 0x12}};
    static const uint8_t m_kali[6] = {0x10, 0xc5, 0x95, 0x50, 0x03, 0x66};
    static const uint8_t m_nas[6] = {0x34, 0x3d, 0xc4, 0x50, 0x03, 0x77};
    struct dev_net n;
    struct scn_host *pc[2], *kali, *nas;
    uint64_t t = SCN_EPOCH_US;
    (void)o;

    dev_net_init(s, &n, "RTX830", m_gw);
    pc[0] = dev_host(s, "SOUMU-PC01", SCN_OS_WINDOWS, m_pc[0], 0);
    pc[1] = dev_host(s, "EIGYO-PC02", SCN_OS_WINDOWS, m_pc[1], 0);
    kali = dev_host(s, "kali", SCN_OS_LINUX, m_kali, DEV_IP(150));
    nas = dev_host(s, "LS220D", SCN_OS_LINUX, m_nas, DEV_IP(20));

    scn_arp_announce(s, t, nas);
    dev_gw_arp(s, &n, nas, t + 3 * SCN_MIN);
    for (size_t i = 0; i < 2; i++) {
        uint64_t tj = t + 2 * SCN_SEC + i * 30 * SCN_SEC;
        dev_dhcp_join(s, &tj, &n, pc[i], DEV_WIN10, DEV_IP(101 + i));
        dev_activity(s, &n, pc[i], DEV_WIN10, tj + 1 * SCN_SEC, 11 * SCN_MIN);
        /* The PCs ask for the gateway every 30 s (their ARP cache
         * expires), and the gateway answers with its real MAC. */
        for (uint64_t ta = tj + 30 * SCN_SEC; ta < t + 11 * SCN_MIN; ta += 30 * SCN_SEC) {
            scn_arp_request(s, ta + i * 700 * SCN_MS, pc[i], n.gw->ip4);
            scn_arp_reply(s, ta + i * 700 * SCN_MS + 400, n.gw, pc[i]);
        }
    }
    /* KALI joins the LAN at 09:02 like any host and browses a little. */
    scn_arp_announce(s, t + 2 * SCN_MIN, kali);
    dev_activity(s, &n, kali, DEV_LINUX, t + 2 * SCN_MIN + 1 * SCN_SEC, 1 * SCN_MIN);
    /* arpspoof -t: a reply to each victim every 2 s for two minutes. */
    for (unsigned i = 0; i < 60; i++) {
        uint64_t ts = t + 3 * SCN_MIN + i * 2 * SCN_SEC;
        for (size_t v = 0; v < 2; v++)
            dev_arp(s, ts + v * 150, pc[v]->mac, 2, kali->mac, n.gw->ip4, pc[v]->mac, pc[v]->ip4);
    }
    /* The NAS's gratuitous ARP storm: 100 in 60 s. */
    for (unsigned i = 0; i < 100; i++)
        scn_arp_announce(s, t + 8 * SCN_MIN + i * 600 * SCN_MS, nas);
}

/* ------------------------------------------------------- dev-ipconflict */

/* SEIZOU-PC01 (Fujitsu 00:0b:5d:50:04:11) and SEIZOU-PC02 (Dell
 * f8:bc:12:50:04:12) are both set by hand to 192.168.50.77 and both in use
 * from 09:00 to 09:10: each answers the gateway's ARP for .77 and sends
 * traffic from it -> device.ip_conflict. Negative: KENSHU-PC (HP
 * 3c:d9:2b:50:04:21) gets .120 from DHCP at 09:00 and leaves at 09:10; at
 * 14:00 a different PC, GUEST-TAB (Lenovo a4:11:94:50:04:22), is given the
 * same .120 by DHCP: no alert for either. */
void scn_gen_dev_ipconflict(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t m_gw[6] = {0x00, 0xa0, 0xde, 0x50, 0x04, 0x01};
    static const uint8_t m_a[6] = {0x00, 0x0b, 0x5d, 0x50, 0x04, 0x11};
    static const uint8_t m_b[6] = {0xf8, 0xbc, 0x12, 0x50, 0x04, 0x12};
    static const uint8_t m_c[6] = {0x3c, 0xd9, 0x2b, 0x50, 0x04, 0x21};
    static const uint8_t m_d[6] = {0xa4, 0x11, 0x94, 0x50, 0x04, 0x22};
    struct dev_net n;
    struct scn_host *a, *b, *c, *d;
    uint64_t t = SCN_EPOCH_US;
    (void)o;

    dev_net_init(s, &n, "RTX830", m_gw);
    a = dev_host(s, "SEIZOU-PC01", SCN_OS_WINDOWS, m_a, DEV_IP(77));
    b = dev_host(s, "SEIZOU-PC02", SCN_OS_WINDOWS, m_b, DEV_IP(77));
    c = dev_host(s, "KENSHU-PC", SCN_OS_WINDOWS, m_c, 0);
    d = dev_host(s, "GUEST-TAB", SCN_OS_WINDOWS, m_d, 0);

    scn_arp_announce(s, t + 10 * SCN_SEC, a);
    dev_activity(s, &n, a, DEV_WIN10, t + 11 * SCN_SEC, 10 * SCN_MIN);
    scn_arp_announce(s, t + 70 * SCN_SEC, b);
    dev_activity(s, &n, b, DEV_WIN10, t + 71 * SCN_SEC, 9 * SCN_MIN);
    /* The gateway's ARP for .77 is answered by both, every minute. */
    for (unsigned i = 2; i < 10; i++) {
        uint64_t ts = t + i * SCN_MIN + 5 * SCN_SEC;
        scn_arp_request(s, ts, n.gw, DEV_IP(77));
        scn_arp_reply(s, ts + 350, a, n.gw);
        scn_arp_reply(s, ts + 620, b, n.gw);
    }

    {
        uint64_t tj = t + 20 * SCN_SEC;
        dev_dhcp_join(s, &tj, &n, c, DEV_WIN10, DEV_IP(120));
        dev_activity(s, &n, c, DEV_WIN10, tj + 1 * SCN_SEC, 9 * SCN_MIN);
    }
    t += 5 * DEV_HOUR;
    dev_dhcp_join(s, &t, &n, d, DEV_WIN10, DEV_IP(120));
    dev_activity(s, &n, d, DEV_WIN10, t + 1 * SCN_SEC, 5 * SCN_MIN);
}

/* --------------------------------------------------------- dev-returned */

/* 46 days. The gateway and JIMU-PC01 are there every working day.
 * KYUKA-PC (HP 3c:d9:2b:50:05:31) works on day 1 (Mon 2026-11-02), is
 * silent for 45 days and comes back on Thu 2026-12-17: device.returned.
 * SHUCCHO-PC (Lenovo 10:c5:95:50:05:32) works every working day but is
 * off from Friday evening 2026-11-20 to Tuesday 2026-11-24 (weekend and
 * the Labour Thanksgiving Day holiday, about 3.6 days): no finding. */
void scn_gen_dev_returned(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t m_gw[6] = {0x00, 0xa0, 0xde, 0x50, 0x05, 0x01};
    static const uint8_t m_jimu[6] = {0xf8, 0xbc, 0x12, 0x50, 0x05, 0x11};
    static const uint8_t m_kyuka[6] = {0x3c, 0xd9, 0x2b, 0x50, 0x05, 0x31};
    static const uint8_t m_shuccho[6] = {0x10, 0xc5, 0x95, 0x50, 0x05, 0x32};
    struct dev_net n;
    struct scn_host *jimu, *kyuka, *shuccho;
    (void)o;

    dev_net_init(s, &n, "RTX830", m_gw);
    jimu = dev_host(s, "JIMU-PC01", SCN_OS_WINDOWS, m_jimu, 0);
    kyuka = dev_host(s, "KYUKA-PC", SCN_OS_WINDOWS, m_kyuka, 0);
    shuccho = dev_host(s, "SHUCCHO-PC", SCN_OS_WINDOWS, m_shuccho, 0);
    for (unsigned day = 0; day <= 45; day++) {
        unsigned dow = day % 7; /* 0 Monday */
        uint64_t t = SCN_EPOCH_US + day * DEV_DAY + scn_rng_range(&s->rng, 0, 10 * SCN_MIN);
        if (dow >= 5)
            continue;
        dev_dhcp_join(s, &t, &n, jimu, DEV_WIN10, DEV_IP(101));
        dev_activity(s, &n, jimu, DEV_WIN10, t + 1 * SCN_SEC, 20 * SCN_SEC);
        /* 2026-11-23 (day 21) is a public holiday: only JIMU-PC01 (the
         * person on duty) comes in. */
        if (day != 21) {
            uint64_t ts = t + 1 * SCN_MIN;
            dev_dhcp_join(s, &ts, &n, shuccho, DEV_WIN10, DEV_IP(102));
            dev_activity(s, &n, shuccho, DEV_WIN10, ts + 1 * SCN_SEC, 20 * SCN_SEC);
            /* Friday 2026-11-20: the last thing before the long weekend
             * is in the evening. */
            if (day == 18)
                dev_activity(s, &n, shuccho, DEV_WIN10, t + 9 * DEV_HOUR, 1 * SCN_MIN);
        }
        if (day == 0 || day == 45) {
            uint64_t tk = t + 2 * SCN_MIN;
            dev_dhcp_join(s, &tk, &n, kyuka, DEV_WIN10, DEV_IP(103));
            dev_activity(s, &n, kyuka, DEV_WIN10, tk + 1 * SCN_SEC, 3 * SCN_MIN);
        }
    }
}

/* ----------------------------------------------------------- dev-legacy */

struct dev_smb2 {
    struct scn_tcp c;
    uint64_t msg_id, session;
};

static uint64_t dev_filetime(uint64_t us)
{
    return (us + 11644473600ull * SCN_SEC) * 10; /* 100 ns units since 1601 */
}

/* SMB2 header (MS-SMB2 2.2.1.2), unsigned. */
static void dev_smb2_hdr(struct scn_buf *b, const struct dev_smb2 *m, uint16_t cmd, bool resp,
                         uint32_t status)
{
    scn_buf_mem(b, "\xfeSMB", 4);
    scn_buf_le16(b, 64);
    scn_buf_le16(b, 0); /* credit charge: 2.0.2 and 2.1 without multi-credit */
    scn_buf_le32(b, status);
    scn_buf_le16(b, cmd);
    scn_buf_le16(b, resp ? 31 : 1);
    scn_buf_le32(b, resp ? 1 : 0);
    scn_buf_le32(b, 0);
    scn_buf_le64(b, m->msg_id);
    scn_buf_le32(b, 0xfeff);
    scn_buf_le32(b, 0);
    scn_buf_le64(b, m->session);
    scn_buf_zero(b, 16);
}

/* Direct TCP framing (MS-SMB2 2.1): zero byte and 24-bit length. */
static void dev_smb2_send(struct scn *s, struct dev_smb2 *m, int dir, struct scn_buf *msg)
{
    struct scn_buf f;
    scn_buf_init(&f);
    scn_buf_u8(&f, 0);
    scn_buf_u24(&f, (uint32_t)msg->len);
    scn_buf_mem(&f, msg->p, msg->len);
    scn_tcp_send(s, &m->c, dir, f.p, f.len);
    scn_buf_free(&f);
    scn_buf_clear(msg);
}

static void dev_ntlm_field(struct scn_buf *b, size_t len, size_t off)
{
    scn_buf_le16(b, (uint16_t)len);
    scn_buf_le16(b, (uint16_t)len);
    scn_buf_le32(b, (uint32_t)off);
}

/* NTLMSSP VERSION (MS-NLMP 2.2.2.10): major, minor, build, revision 15. */
static void dev_ntlm_version(struct scn_buf *b, uint8_t major, uint8_t minor, uint16_t build)
{
    scn_buf_u8(b, major);
    scn_buf_u8(b, minor);
    scn_buf_le16(b, build);
    scn_buf_zero(b, 3);
    scn_buf_u8(b, 15);
}

static void dev_ntlm_av(struct scn_buf *b, uint16_t id, const char *ascii)
{
    scn_buf_le16(b, id);
    scn_buf_le16(b, (uint16_t)(2 * strlen(ascii)));
    scn_buf_utf16(b, ascii);
}

static void dev_smb2_setup(struct scn_buf *b, const struct scn_buf *blob, bool resp)
{
    if (resp) {
        scn_buf_le16(b, 9);
        scn_buf_le16(b, 0);
        scn_buf_le16(b, blob->len ? 64 + 8 : 0);
        scn_buf_le16(b, (uint16_t)blob->len);
    } else {
        scn_buf_le16(b, 25);
        scn_buf_u8(b, 0);
        scn_buf_u8(b, 1); /* signing enabled */
        scn_buf_le32(b, 1);
        scn_buf_le32(b, 0);
        scn_buf_le16(b, 64 + 24);
        scn_buf_le16(b, (uint16_t)blob->len);
        scn_buf_le64(b, 0);
    }
    scn_buf_mem(b, blob->p, blob->len);
}

/* A Windows 7 SP1 client (NTLM version 6.1 build 7601) opening a share on
 * a Windows file server (10.0 build 19041, as in scn_smb311_session()) with
 * SMB 2.1: NEGOTIATE, SESSION SETUP with raw NTLMSSP NEGOTIATE / CHALLENGE /
 * AUTHENTICATE (NTLMv2), TREE_CONNECT, then the client closes. */
static void dev_smb2_win7(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                          const char *domain, const char *user, const char *share)
{
    struct dev_smb2 m;
    struct scn_buf b, blob, ti;

    memset(&m, 0, sizeof(m));
    scn_buf_init(&b);
    scn_buf_init(&blob);
    scn_buf_init(&ti);
    scn_tcp_open(s, &m.c, cli, srv, 0, 445, false, t0, scn_rng_range(&s->rng, 150, 600));

    /* NEGOTIATE: 2.0.2 and 2.1, the server picks 2.1 */
    dev_smb2_hdr(&b, &m, 0, false, 0);
    scn_buf_le16(&b, 36);
    scn_buf_le16(&b, 2);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le64(&b, 0);
    scn_buf_le16(&b, 0x0202);
    scn_buf_le16(&b, 0x0210);
    dev_smb2_send(s, &m, 0, &b);
    dev_smb2_hdr(&b, &m, 0, true, 0);
    scn_buf_le16(&b, 65);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0x0210);
    scn_buf_le16(&b, 0);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le32(&b, 0x07);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le64(&b, dev_filetime(m.c.t));
    scn_buf_le64(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    dev_smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* SESSION_SETUP 1: NTLMSSP_NEGOTIATE with the client's version */
    scn_buf_mem(&blob, "NTLMSSP", 8);
    scn_buf_le32(&blob, 1);
    scn_buf_le32(&blob, 0xe2088297);
    dev_ntlm_field(&blob, 0, 0);
    dev_ntlm_field(&blob, 0, 0);
    dev_ntlm_version(&blob, 6, 1, 7601);
    dev_smb2_hdr(&b, &m, 1, false, 0);
    dev_smb2_setup(&b, &blob, false);
    dev_smb2_send(s, &m, 0, &b);
    /* CHALLENGE, STATUS_MORE_PROCESSING_REQUIRED */
    m.session = 0x0000400000000000ull | (scn_rng_next(&s->rng) & 0xffffffull);
    dev_ntlm_av(&ti, 2, domain);
    dev_ntlm_av(&ti, 1, srv->name);
    dev_ntlm_av(&ti, 4, DEV_DOMAIN);
    {
        char fqdn[96];
        snprintf(fqdn, sizeof(fqdn), "%s.%s", srv->name, DEV_DOMAIN);
        dev_ntlm_av(&ti, 3, fqdn);
    }
    scn_buf_le16(&ti, 7);
    scn_buf_le16(&ti, 8);
    scn_buf_le64(&ti, dev_filetime(m.c.t));
    scn_buf_le32(&ti, 0); /* MsvAvEOL */
    size_t tn = 2 * strlen(domain);
    scn_buf_clear(&blob);
    scn_buf_mem(&blob, "NTLMSSP", 8);
    scn_buf_le32(&blob, 2);
    dev_ntlm_field(&blob, tn, 56);
    scn_buf_le32(&blob, 0xe28a8215);
    scn_buf_rand(&blob, &s->rng, 8);
    scn_buf_zero(&blob, 8);
    dev_ntlm_field(&blob, ti.len, 56 + tn);
    dev_ntlm_version(&blob, 10, 0, 19041);
    scn_buf_utf16(&blob, domain);
    scn_buf_mem(&blob, ti.p, ti.len);
    dev_smb2_hdr(&b, &m, 1, true, 0xc0000016);
    dev_smb2_setup(&b, &blob, true);
    dev_smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* SESSION_SETUP 2: AUTHENTICATE with an NTLMv2 response */
    scn_tcp_wait(&m.c, scn_rng_range(&s->rng, 1 * SCN_MS, 8 * SCN_MS));
    {
        struct scn_buf nt;
        size_t dl = 2 * strlen(domain), ul = 2 * strlen(user), wl = 2 * strlen(cli->name);
        size_t off = 88; /* fixed part with VERSION and MIC */
        scn_buf_init(&nt);
        scn_buf_rand(&nt, &s->rng, 16); /* NTProofStr */
        scn_buf_mem(&nt, "\x01\x01\x00\x00\x00\x00\x00\x00", 8);
        scn_buf_le64(&nt, dev_filetime(m.c.t));
        scn_buf_rand(&nt, &s->rng, 8);
        scn_buf_le32(&nt, 0);
        scn_buf_mem(&nt, ti.p, ti.len);
        scn_buf_le32(&nt, 0);
        scn_buf_clear(&blob);
        scn_buf_mem(&blob, "NTLMSSP", 8);
        scn_buf_le32(&blob, 3);
        dev_ntlm_field(&blob, 24, off + dl + ul + wl);
        dev_ntlm_field(&blob, nt.len, off + dl + ul + wl + 24);
        dev_ntlm_field(&blob, dl, off);
        dev_ntlm_field(&blob, ul, off + dl);
        dev_ntlm_field(&blob, wl, off + dl + ul);
        dev_ntlm_field(&blob, 16, off + dl + ul + wl + 24 + nt.len);
        scn_buf_le32(&blob, 0xe2888215);
        dev_ntlm_version(&blob, 6, 1, 7601);
        scn_buf_rand(&blob, &s->rng, 16); /* MIC */
        scn_buf_utf16(&blob, domain);
        scn_buf_utf16(&blob, user);
        scn_buf_utf16(&blob, cli->name);
        scn_buf_zero(&blob, 24);
        scn_buf_mem(&blob, nt.p, nt.len);
        scn_buf_rand(&blob, &s->rng, 16);
        scn_buf_free(&nt);
    }
    dev_smb2_hdr(&b, &m, 1, false, 0);
    dev_smb2_setup(&b, &blob, false);
    dev_smb2_send(s, &m, 0, &b);
    scn_buf_clear(&blob);
    dev_smb2_hdr(&b, &m, 1, true, 0);
    dev_smb2_setup(&b, &blob, true);
    dev_smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* TREE_CONNECT */
    scn_buf_utf16(&blob, share);
    dev_smb2_hdr(&b, &m, 3, false, 0);
    scn_buf_le16(&b, 9);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 64 + 8);
    scn_buf_le16(&b, (uint16_t)blob.len);
    scn_buf_mem(&b, blob.p, blob.len);
    dev_smb2_send(s, &m, 0, &b);
    dev_smb2_hdr(&b, &m, 3, true, 0);
    scn_buf_le16(&b, 16);
    scn_buf_u8(&b, 1); /* disk */
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 0x00000800);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0x001f01ff);
    dev_smb2_send(s, &m, 1, &b);
    scn_tcp_wait(&m.c, scn_rng_range(&s->rng, 1 * SCN_SEC, 3 * SCN_SEC));
    scn_tcp_close(s, &m.c, 0);
    scn_buf_free(&b);
    scn_buf_free(&blob);
    scn_buf_free(&ti);
}

/* The factory's Windows XP PC KOUJOU-XP (NEC 00:1b:8b:50:06:21: XP DHCP
 * options, IE 8 user agent, SMB1 "NT LM 0.12" only, to the file server),
 * the accounting Windows 7 PC KEIRI-WIN7 (Dell b8:ac:6f:50:06:22: Windows 7
 * DHCP options, IE 11 on NT 6.1, NTLM 6.1 build 7601 in SMB 2.1), and the
 * old CentOS 6 control server SEIGYO-SV (HP 00:21:5a:50:06:31, .40,
 * SSH-2.0-OpenSSH_5.3) -> device.legacy_os for each. SOUMU-PC01 (Dell
 * f8:bc:12:50:06:23, Windows 10: Chrome, TLS 1.3, SMB 3.1.1, and the SSH
 * client of the old server) -> no device.legacy_os. */
void scn_gen_dev_legacy(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t m_gw[6] = {0x00, 0xa0, 0xde, 0x50, 0x06, 0x01};
    static const uint8_t m_fs[6] = {0x00, 0x0b, 0x5d, 0x50, 0x06, 0x10};
    static const uint8_t m_xp[6] = {0x00, 0x1b, 0x8b, 0x50, 0x06, 0x21};
    static const uint8_t m_w7[6] = {0xb8, 0xac, 0x6f, 0x50, 0x06, 0x22};
    static const uint8_t m_w10[6] = {0xf8, 0xbc, 0x12, 0x50, 0x06, 0x23};
    static const uint8_t m_ssh[6] = {0x00, 0x21, 0x5a, 0x50, 0x06, 0x31};
    struct dev_net n;
    struct scn_host *fs, *xp, *w7, *w10, *sshd;
    uint64_t t = SCN_EPOCH_US;
    (void)o;

    dev_net_init(s, &n, "RTX830", m_gw);
    fs = dev_host(s, "FILESV01", SCN_OS_WINDOWS, m_fs, DEV_IP(10));
    xp = dev_host(s, "KOUJOU-XP", SCN_OS_WINDOWS, m_xp, 0);
    w7 = dev_host(s, "KEIRI-WIN7", SCN_OS_WINDOWS, m_w7, 0);
    w10 = dev_host(s, "SOUMU-PC01", SCN_OS_WINDOWS, m_w10, 0);
    sshd = dev_host(s, "seigyo-sv", SCN_OS_LINUX, m_ssh, DEV_IP(40));

    scn_arp_announce(s, t, fs);
    scn_nbns_register(s, t + 1 * SCN_SEC, fs, DEV_WORKGROUP);
    scn_arp_announce(s, t + 2 * SCN_SEC, sshd);
    dev_gw_arp(s, &n, fs, t + 5 * SCN_MIN);
    dev_gw_arp(s, &n, sshd, t + 5 * SCN_MIN + 2 * SCN_SEC);

    {
        uint64_t tj = t + 10 * SCN_SEC;
        dev_dhcp_join(s, &tj, &n, xp, DEV_XP, DEV_IP(121));
        dev_activity(s, &n, xp, DEV_XP, tj + 1 * SCN_SEC, 8 * SCN_MIN);
        scn_arp_request(s, tj + 30 * SCN_SEC, xp, fs->ip4);
        scn_arp_reply(s, tj + 30 * SCN_SEC + 300, fs, xp);
        scn_smb1_negotiate(s, xp, fs, tj + 31 * SCN_SEC, DEV_WORKGROUP);
        scn_smb1_negotiate(s, xp, fs, tj + 4 * SCN_MIN, DEV_WORKGROUP);
    }
    {
        uint64_t tj = t + 40 * SCN_SEC;
        dev_dhcp_join(s, &tj, &n, w7, DEV_WIN7, DEV_IP(122));
        dev_activity(s, &n, w7, DEV_WIN7, tj + 1 * SCN_SEC, 8 * SCN_MIN);
        scn_arp_request(s, tj + 40 * SCN_SEC, w7, fs->ip4);
        scn_arp_reply(s, tj + 40 * SCN_SEC + 300, fs, w7);
        dev_smb2_win7(s, w7, fs, tj + 41 * SCN_SEC, DEV_WORKGROUP, "keiri", "\\\\FILESV01\\keiri");
    }
    {
        uint64_t tj = t + 70 * SCN_SEC;
        dev_dhcp_join(s, &tj, &n, w10, DEV_WIN10, DEV_IP(123));
        dev_activity(s, &n, w10, DEV_WIN10, tj + 1 * SCN_SEC, 8 * SCN_MIN);
        scn_arp_request(s, tj + 50 * SCN_SEC, w10, fs->ip4);
        scn_arp_reply(s, tj + 50 * SCN_SEC + 300, fs, w10);
        scn_smb311_session(s, w10, fs, tj + 51 * SCN_SEC, DEV_WORKGROUP, "soumu",
                           "\\\\FILESV01\\soumu");
        scn_arp_request(s, tj + 3 * SCN_MIN, w10, sshd->ip4);
        scn_arp_reply(s, tj + 3 * SCN_MIN + 300, sshd, w10);
        scn_ssh_session(s, w10, sshd, tj + 3 * SCN_MIN + 1 * SCN_MS, 400,
                        "SSH-2.0-OpenSSH_for_Windows_9.5", "SSH-2.0-OpenSSH_5.3", 24);
    }
}

/* ------------------------------------------------------- dev-newservice */

/* Remote Desktop from cli to srv: X.224 connection request with the
 * mstshash cookie and RDP_NEG_REQ (MS-RDPBCGR 2.2.1.1), confirm selecting
 * TLS, a TLS 1.2 handshake with the PC's self-signed certificate, then a
 * few minutes of screen updates. */
static void dev_rdp_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                            const char *user)
{
    struct scn_tcp c;
    struct scn_buf b;
    char cookie[64];

    snprintf(cookie, sizeof(cookie), "Cookie: mstshash=%s\r\n", user);
    scn_buf_init(&b);
    scn_tcp_open(s, &c, cli, srv, 0, 3389, false, t0, scn_rng_range(&s->rng, 200, 800));
    /* TPKT (RFC 1006) + X.224 CR TPDU */
    scn_buf_mem(&b, "\x03\x00", 2);
    size_t tl = scn_buf_mark(&b, 2);
    scn_buf_u8(&b, (uint8_t)(6 + strlen(cookie) + 8));
    scn_buf_mem(&b, "\xe0\x00\x00\x00\x00\x00", 6);
    scn_buf_str(&b, cookie);
    scn_buf_mem(&b, "\x01\x00\x08\x00\x03\x00\x00\x00", 8); /* PROTOCOL_SSL | HYBRID */
    scn_buf_patch(&b, tl, 2);
    b.p[2] = 0;
    b.p[3] = (uint8_t)b.len; /* the TPKT length counts its own header */
    scn_tcp_send(s, &c, 0, b.p, b.len);
    scn_buf_clear(&b);
    scn_buf_mem(&b, "\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00", 11);
    scn_buf_mem(&b, "\x02\x1f\x08\x00\x01\x00\x00\x00", 8); /* RDP_NEG_RSP: SSL */
    scn_tcp_send(s, &c, 1, b.p, b.len);
    scn_tls_handshake(s, &c, SCN_TLS_OLD, NULL, NULL, false, srv->name, srv->name);
    for (unsigned i = 0; i < 12; i++) {
        scn_tls_data(s, &c, 0, (size_t)scn_rng_range(&s->rng, 40, 300));
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 5 * SCN_MS, 30 * SCN_MS));
        scn_tls_data(s, &c, 1, (size_t)scn_rng_range(&s->rng, 500, 4000));
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 2 * SCN_SEC, 9 * SCN_SEC));
    }
    scn_tcp_close(s, &c, 0);
    scn_buf_free(&b);
}

/* Three working days. The NAS NAS01 (Buffalo 34:3d:c4:50:07:10, .10)
 * serves SMB from its first hour, every day: part of its baseline, no
 * finding. EIGYO-PC05 (Lenovo 10:c5:95:50:07:21) is an ordinary client on
 * days 1 and 2; on day 3 it answers Remote Desktop (TCP 3389) from
 * SOUMU-PC01 (Dell f8:bc:12:50:07:22): device.new_service for EIGYO-PC05. */
void scn_gen_dev_newservice(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t m_gw[6] = {0x00, 0xa0, 0xde, 0x50, 0x07, 0x01};
    static const uint8_t m_nas[6] = {0x34, 0x3d, 0xc4, 0x50, 0x07, 0x10};
    static const uint8_t m_pc5[6] = {0x10, 0xc5, 0x95, 0x50, 0x07, 0x21};
    static const uint8_t m_pc1[6] = {0xf8, 0xbc, 0x12, 0x50, 0x07, 0x22};
    struct dev_net n;
    struct scn_host *nas, *pc5, *pc1;
    (void)o;

    dev_net_init(s, &n, "RTX830", m_gw);
    nas = dev_host(s, "NAS01", SCN_OS_LINUX, m_nas, DEV_IP(10));
    pc5 = dev_host(s, "EIGYO-PC05", SCN_OS_WINDOWS, m_pc5, 0);
    pc1 = dev_host(s, "SOUMU-PC01", SCN_OS_WINDOWS, m_pc1, 0);
    for (unsigned day = 0; day < 3; day++) {
        uint64_t t = SCN_EPOCH_US + day * DEV_DAY;
        uint64_t t1 = t + 1 * SCN_MIN, t5 = t + 3 * SCN_MIN;

        scn_arp_announce(s, t, nas);
        scn_nbns_register(s, t + 1 * SCN_SEC, nas, DEV_WORKGROUP);
        dev_gw_arp(s, &n, nas, t + 6 * SCN_MIN);
        dev_dhcp_join(s, &t1, &n, pc1, DEV_WIN10, DEV_IP(101));
        dev_activity(s, &n, pc1, DEV_WIN10, t1 + 1 * SCN_SEC, 8 * SCN_MIN);
        scn_arp_request(s, t1 + 20 * SCN_SEC, pc1, nas->ip4);
        scn_arp_reply(s, t1 + 20 * SCN_SEC + 300, nas, pc1);
        scn_smb2_session(s, pc1, nas, t1 + 21 * SCN_SEC, DEV_WORKGROUP, "soumu", "\\\\NAS01\\share",
                         1);
        dev_dhcp_join(s, &t5, &n, pc5, DEV_WIN10, DEV_IP(105));
        dev_activity(s, &n, pc5, DEV_WIN10, t5 + 1 * SCN_SEC, 6 * SCN_MIN);
        if (day == 1) /* a client of the NAS too, before it serves anything */
            scn_smb2_session(s, pc5, nas, t5 + 40 * SCN_SEC, DEV_WORKGROUP, "eigyo",
                             "\\\\NAS01\\share", 1);
        if (day == 2) {
            scn_arp_request(s, t + 6 * SCN_MIN, pc1, pc5->ip4);
            scn_arp_reply(s, t + 6 * SCN_MIN + 300, pc5, pc1);
            dev_rdp_session(s, pc1, pc5, t + 6 * SCN_MIN + 1 * SCN_MS, "suzuki");
        }
    }
}
