/* scn-scan.c - scenarios for the scan detectors (expectations in
 * tests/golden/scenarios-scan.tsv): scans, sweeps and floods, and an
 * ordinary office whose traffic looks like them and must stay quiet.
 *
 * One office, 192.168.60.0/24, gateway .1 (also the DNS forwarder), NAS
 * .5 (also a small web server reached from the Internet through the
 * router), PCs from .21. Internet hosts are documentation or well-known
 * public addresses. Every scenario starts at SCN_EPOCH_US.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define SS_IP(x) SCN_IP4(192, 168, 60, (x))
#define SS_PCS 12

struct ss_net {
    struct scn_host *gw, *nas, *printer;
    struct scn_host *pc[SS_PCS];
};

static void ss_office(struct scn *s, struct ss_net *n)
{
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SS_IP(1));
    n->nas = scn_host_new(s, "NAS01", SCN_OS_LINUX, scn_oui_synology, SS_IP(5));
    n->printer = scn_host_new(s, "BRN-MFC", SCN_OS_PRINTER, scn_oui_brother, SS_IP(9));
    for (int i = 0; i < SS_PCS; i++) {
        char name[32];
        snprintf(name, sizeof(name), "PC%02d", i + 1);
        n->pc[i] = scn_host_new(s, name, SCN_OS_WINDOWS, scn_oui_dell, SS_IP(21 + i));
    }
}

/* Ordinary PC activity: DNS, HTTPS visits to many sites. */
static void ss_browse(struct scn *s, struct ss_net *n, struct scn_host *pc, uint64_t t0,
                      unsigned sites)
{
    uint64_t t = t0;
    for (unsigned i = 0; i < sites; i++) {
        char name[64];
        snprintf(name, sizeof(name), "site%u.example.com", i);
        uint32_t ip = SCN_IP4(203, 0, 113, 0) + (i % 200) + 1;
        if (i >= 200)
            ip = SCN_IP4(198, 51, 100, 0) + (i % 200) + 1;
        struct scn_dns_rr an = {.type = SCN_DNS_A, .ttl = 300, .a = ip};
        scn_dns_lookup(s, &t, pc, n->gw, name, SCN_DNS_A, &an, 1, 0, 8 * SCN_MS);
        struct scn_host *web = scn_host_remote(s, n->gw, SCN_OS_LINUX, ip, NULL);
        scn_https_visit(s, pc, web, name, SCN_TLS_CHROME, true, t, 20 * SCN_MS, 2, 600, 8000);
        t += scn_rng_range(&s->rng, 300, 4000) * SCN_MS;
    }
}

/* ---- scan-inbound: an Internet scanner on the port-forwarded NAS, and a
 * slow SMB worm sweep over the office addresses ---- */
static void gen_inbound(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    struct scn_host *scanner =
        scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 77), NULL);
    uint64_t t = SCN_EPOCH_US + 5 * SCN_MIN;
    for (unsigned i = 0; i < 120; i++) {
        uint16_t p = scn_nmap_port(i, 30);
        scn_syn_probe(s, scanner, n.nas, 40000, p, t, p == 80 || p == 443 ? 1 : 0);
        t += 250 * SCN_MS;
    }
    /* It found the web server and comes back to use it. */
    for (unsigned i = 0; i < 4; i++) {
        struct scn_tcp c;
        scn_tcp_open(s, &c, scanner, n.nas, 0, 80, false, t + (uint64_t)(i + 1) * SCN_MIN,
                     40 * SCN_MS);
        scn_http_exchange(s, &c, "GET", "192.168.60.5", i ? "/cgi-bin/luci" : "/",
                          "Mozilla/5.0 zgrab/0.x", NULL, NULL, 404, "text/html", 300);
        scn_tcp_close(s, &c, 0);
    }
    /* 445 from a worm, one address every 10 minutes. */
    struct scn_host *worm = scn_host_remote(s, n.gw, SCN_OS_WINDOWS, SCN_IP4(203, 0, 113, 45),
                                            NULL);
    t = SCN_EPOCH_US + 10 * SCN_MIN;
    for (unsigned i = 0; i < 8; i++) {
        struct scn_host *dst = i < SS_PCS ? n.pc[i] : n.nas;
        scn_syn_probe(s, worm, dst, (uint16_t)(50000 + i), 445, t, 0);
        scn_syn_probe(s, worm, dst, (uint16_t)(50000 + i), 445, t + 3 * SCN_SEC, 0);
        t += 10 * SCN_MIN;
    }
    ss_browse(s, &n, n.pc[0], SCN_EPOCH_US, 20);
}

/* ---- scan-internal: PC07 (an intruder's foothold) port-scans the NAS,
 * then looks for RDP on every PC ---- */
static void gen_internal(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    struct scn_host *bad = n.pc[6];
    ss_browse(s, &n, bad, SCN_EPOCH_US, 10);
    uint64_t t = SCN_EPOCH_US + 3 * SCN_MIN;
    for (unsigned i = 0; i < 200; i++) {
        uint16_t p = scn_nmap_port(i, 30);
        int ans = (p == 80 || p == 443 || p == 445 || p == 139 || p == 22) ? 1 : 2;
        scn_syn_probe(s, bad, n.nas, 61000, p, t, ans);
        t += 5 * SCN_MS;
    }
    t += 2 * SCN_MIN;
    for (unsigned i = 0; i < SS_PCS; i++) {
        if (n.pc[i] == bad)
            continue;
        scn_syn_probe(s, bad, n.pc[i], (uint16_t)(62000 + i), 3389, t, 2);
        t += 40 * SCN_MS;
    }
}

/* ---- scan-stealth: NULL, FIN and Xmas probes (no session) to five ports
 * of the NAS ---- */
static void gen_stealth(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    struct scn_host *bad = n.pc[2];
    struct scn_ep a = scn_ep4(bad), b = scn_ep4(n.nas);
    uint64_t t = SCN_EPOCH_US + SCN_MIN;
    static const uint8_t flags[] = {0, SCN_TH_FIN, SCN_TH_FIN | SCN_TH_PSH | 0x20};
    for (unsigned i = 0; i < 5; i++) {
        uint16_t p = (uint16_t)(3390 + i);
        uint8_t fl = flags[i % 3];
        scn_tcp_raw(s, t, &a, &b, (uint16_t)(45000 + i), p, 1000 + i, 0, fl, 1024, NULL, 0);
        scn_tcp_raw(s, t + 500, &b, &a, p, (uint16_t)(45000 + i), 0, 1000 + i,
                    SCN_TH_RST | SCN_TH_ACK, 0, NULL, 0);
        t += 2 * SCN_SEC;
    }
}

/* ---- scan-outbound: PC04 is a bot: a SYN scan of an Internet host, then
 * a sweep of Internet addresses for RDP ---- */
static void gen_outbound(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    struct scn_host *bad = n.pc[3];
    struct scn_host *victim =
        scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 200), NULL);
    uint64_t t = SCN_EPOCH_US + SCN_MIN;
    for (unsigned i = 0; i < 100; i++) {
        uint16_t p = scn_nmap_port(i, 30);
        scn_syn_probe(s, bad, victim, 51000, p, t, p == 22 ? 1 : 0);
        t += 20 * SCN_MS;
    }
    t += SCN_MIN;
    for (unsigned i = 0; i < 80; i++) {
        uint32_t ip = SCN_IP4(45, 0, 0, 0) + (uint32_t)scn_rng_range(&s->rng, 1, 0xfffffe);
        struct scn_host *h = scn_host_remote(s, n.gw, SCN_OS_WINDOWS, ip, NULL);
        scn_syn_probe(s, bad, h, scn_host_port(s, bad), 3389, t, 0);
        t += 100 * SCN_MS;
    }
}

/* ---- scan-sweep-arp: nmap host discovery from PC09 over the /24 ---- */
static void gen_sweep_arp(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    struct scn_host *bad = n.pc[8];
    uint64_t t = SCN_EPOCH_US + SCN_MIN;
    for (unsigned ip = 1; ip < 255; ip++) {
        if (SS_IP(ip) == bad->ip4)
            continue;
        scn_arp_request(s, t, bad, SS_IP(ip));
        if (ip == 1)
            scn_arp_reply(s, t + 300, n.gw, bad);
        else if (ip == 5)
            scn_arp_reply(s, t + 300, n.nas, bad);
        t += 4 * SCN_MS;
    }
}

/* ---- scan-sweep-icmp: PC10 pings 30 addresses ---- */
static void gen_sweep_icmp(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    struct scn_host *bad = n.pc[9];
    struct scn_ep a = scn_ep4(bad);
    uint64_t t = SCN_EPOCH_US + SCN_MIN;
    for (unsigned i = 0; i < 30; i++) {
        uint8_t echo[16] = {8, 0, 0, 0, 0x12, 0x34, 0, (uint8_t)i};
        struct scn_ep b = scn_ep_raw4(n.gw->mac, SS_IP(100 + i), 128);
        scn_ip(s, t, &a, &b, 1 /* ICMP */, false, echo, sizeof(echo));
        t += 50 * SCN_MS;
    }
}

/* ---- dos-syn: spoofed SYN flood on the NAS web server ---- */
static void gen_dos_syn(struct scn *s, const struct scenario_opts *o)
{
    struct ss_net n;
    ss_office(s, &n);
    uint64_t pk = o->packets ? o->packets : 8000;
    uint64_t t = SCN_EPOCH_US + SCN_MIN;
    struct scn_ep b = scn_ep4(n.nas);
    for (uint64_t i = 0; i < pk; i++) {
        uint32_t ip = SCN_IP4(100, 64, 0, 0) + (uint32_t)scn_rng_range(&s->rng, 1, 0x3ffffe);
        struct scn_ep a = scn_ep_raw4(n.gw->mac, ip, 50);
        scn_tcp_raw(s, t, &a, &b, (uint16_t)scn_rng_range(&s->rng, 1024, 65535), 443,
                    (uint32_t)scn_rng_next(&s->rng), 0, SCN_TH_SYN, 512, NULL, 0);
        t += 2500; /* 400 per second */
    }
}

/* ---- dos-amp: DNS and NTP replies nobody asked for, at PC05 ---- */
static void gen_dos_amp(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    struct scn_ep b = scn_ep4(n.pc[4]);
    uint64_t t = SCN_EPOCH_US + SCN_MIN;
    uint8_t pay[400];
    scn_rng_bytes(&s->rng, pay, sizeof(pay));
    for (unsigned i = 0; i < 4000; i++) {
        uint32_t ip = SCN_IP4(203, 0, 113, 0) + (i % 60) + 1;
        struct scn_ep a = scn_ep_raw4(n.gw->mac, ip, 52);
        scn_udp(s, t, &a, &b, 53, (uint16_t)(20000 + (i % 50)), pay, sizeof(pay));
        t += 10 * SCN_MS;
    }
}

/* ---- dos-request: PC06 asks the resolver for the same name 50 times a
 * second for three minutes (a broken Java lookup loop) ---- */
static void gen_dos_request(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    uint64_t t = SCN_EPOCH_US + SCN_MIN;
    struct scn_dns_rr an = {.type = SCN_DNS_A, .ttl = 60, .a = SCN_IP4(192, 0, 2, 10)};
    for (unsigned i = 0; i < 9000; i++) {
        uint64_t tt = t;
        scn_dns_lookup(s, &tt, n.pc[5], n.gw, "ldap.example.com", SCN_DNS_A, &an, 1, 0,
                       2 * SCN_MS);
        t += 20 * SCN_MS;
    }
}

/* ---- dos-udp: PC08 floods an Internet host with UDP (a bot's attack) ---- */
static void gen_dos_udp(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    struct scn_ep a = scn_ep4(n.pc[7]);
    struct scn_ep b = scn_ep_raw4(n.gw->mac, SCN_IP4(198, 51, 100, 99), 128);
    uint8_t pay[64];
    scn_rng_bytes(&s->rng, pay, sizeof(pay));
    uint64_t t = SCN_EPOCH_US + SCN_MIN;
    for (unsigned i = 0; i < 8000; i++) {
        scn_udp(s, t, &a, &b, 41234, (uint16_t)(1 + (i % 1000) * 7), pay, sizeof(pay));
        t += SCN_MS;
    }
}

/* ---- scan-quiet-office: what must not look like a scan or a flood ---- */
static void gen_quiet(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct ss_net n;
    ss_office(s, &n);
    uint64_t t0 = SCN_EPOCH_US;
    /* Each PC: ARP for the gateway and two neighbours, then an hour of
     * browsing (120 sites for the busiest), with a few dead sites. */
    for (int i = 0; i < SS_PCS; i++) {
        uint64_t t = t0 + (uint64_t)i * 7 * SCN_SEC;
        scn_arp_request(s, t, n.pc[i], SS_IP(1));
        scn_arp_reply(s, t + 200, n.gw, n.pc[i]);
        scn_arp_request(s, t + SCN_SEC, n.pc[i], SS_IP(5));
        scn_arp_request(s, t + 2 * SCN_SEC, n.pc[i], SS_IP(9));
        ss_browse(s, &n, n.pc[i], t + 3 * SCN_SEC, i == 0 ? 120 : 25);
        for (unsigned k = 0; k < 3; k++) {
            struct scn_host *dead = scn_host_remote(
                s, n.gw, SCN_OS_LINUX, SCN_IP4(192, 0, 2, 0) + (uint32_t)(i * 3 + k + 1), NULL);
            scn_syn_probe(s, n.pc[i], dead, scn_host_port(s, n.pc[i]), 443,
                         t + (uint64_t)(k + 1) * 5 * SCN_MIN, 0);
        }
    }
    /* SSDP discovery: PC01 asks, five devices answer by unicast from 1900;
     * mDNS and NetBIOS announcements. */
    struct scn_ep ssdp = scn_ep_mcast4(SCN_IP4(239, 255, 255, 250), 1);
    struct scn_ep pc1 = scn_ep4(n.pc[0]);
    static const char msearch[] = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
                                  "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n";
    static const char ok[] = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\n"
                             "ST: upnp:rootdevice\r\nUSN: uuid:1::upnp:rootdevice\r\n\r\n";
    for (unsigned r = 0; r < 3; r++) {
        uint64_t t = t0 + (uint64_t)(10 + r * 20) * SCN_MIN;
        scn_udp(s, t, &pc1, &ssdp, 50123, 1900, (const uint8_t *)msearch, strlen(msearch));
        struct scn_host *dev[5] = {n.gw, n.nas, n.printer, n.pc[1], n.pc[2]};
        for (unsigned d = 0; d < 5; d++) {
            struct scn_ep e = scn_ep4(dev[d]);
            for (unsigned k = 0; k < 3; k++)
                scn_udp(s, t + (d + 1) * 30 * SCN_MS + k * SCN_MS, &e, &pc1, 1900, 50123,
                        (const uint8_t *)ok, strlen(ok));
        }
        for (int i = 0; i < SS_PCS; i++)
            scn_nbns_register(s, t + (uint64_t)i * SCN_SEC, n.pc[i], "WORKGROUP");
        scn_mdns_query(s, t + 2 * SCN_SEC, n.pc[1], "_ipp._tcp.local", SCN_DNS_PTR);
    }
    /* Nightly backup: the NAS pulls from every PC over SMB; Windows opens
     * 139 alongside 445 and resets it once 445 answered. */
    uint64_t t = t0 + 30 * SCN_MIN;
    for (int i = 0; i < SS_PCS; i++) {
        scn_syn_probe(s, n.nas, n.pc[i], scn_host_port(s, n.nas), 139, t, 1);
        scn_smb2_session(s, n.nas, n.pc[i], t + 2 * SCN_MS, "WORKGROUP", "backup",
                         "\\\\PC\\Users", 6);
        t += 20 * SCN_SEC;
    }
    /* Teams call from PC03: UDP to six relays on 3478-3481, answered. */
    struct scn_ep pc3 = scn_ep4(n.pc[2]);
    for (unsigned r = 0; r < 6; r++) {
        struct scn_ep relay =
            scn_ep_raw4(n.gw->mac, SCN_IP4(52, 112, 0, 0) + r * 17 + 3, 52);
        uint8_t pay[120];
        scn_rng_bytes(&s->rng, pay, sizeof(pay));
        for (unsigned k = 0; k < 40; k++) {
            uint64_t tt = t0 + 40 * SCN_MIN + r * SCN_SEC + k * 20 * SCN_MS;
            scn_udp(s, tt, &pc3, &relay, 50000 + r, (uint16_t)(3478 + (r % 4)), pay,
                    sizeof(pay));
            scn_udp(s, tt + 8 * SCN_MS, &relay, &pc3, (uint16_t)(3478 + (r % 4)), 50000 + r,
                    pay, sizeof(pay));
        }
    }
    /* The NAS's web page used by 40 visitors from the Internet. */
    for (unsigned v = 0; v < 40; v++) {
        struct scn_host *cli = scn_host_remote(s, n.gw, SCN_OS_WINDOWS,
                                               SCN_IP4(198, 51, 100, 0) + 100 + v, NULL);
        struct scn_tcp c;
        scn_tcp_open(s, &c, cli, n.nas, 0, 80, false, t0 + 45 * SCN_MIN + v * 3 * SCN_SEC,
                     30 * SCN_MS);
        for (unsigned k = 0; k < 3; k++)
            scn_http_exchange(s, &c, "GET", "nas.example.jp", k ? "/style.css" : "/",
                              "Mozilla/5.0", NULL, NULL, 200, "text/html", 3000);
        scn_tcp_close(s, &c, 0);
    }
    /* The admin pings the router and the printer. */
    uint64_t tp = t0 + 50 * SCN_MIN;
    scn_ping(s, &tp, n.pc[0], n.gw, 4, SCN_MS);
    scn_ping(s, &tp, n.pc[0], n.printer, 4, SCN_MS);
}

const struct scenario scn_table_scan[] = {
    {"scan-inbound", "Internet scanner on the port-forwarded NAS, slow 445 worm sweep",
     gen_inbound},
    {"scan-internal", "PC07 SYN-scans the NAS (200 ports), then looks for RDP on every PC",
     gen_internal},
    {"scan-stealth", "NULL/FIN/Xmas probes from PC03 to five ports of the NAS", gen_stealth},
    {"scan-outbound", "PC04 SYN-scans an Internet host and sweeps 80 addresses for RDP",
     gen_outbound},
    {"scan-sweep-arp", "nmap ARP host discovery of the whole /24 from PC09", gen_sweep_arp},
    {"scan-sweep-icmp", "ping sweep of 30 addresses from PC10", gen_sweep_icmp},
    {"scan-quiet-office",
     "busy office: browsing, SSDP/NetBIOS/mDNS, SMB backup, Teams, a public web page",
     gen_quiet},
    {"dos-syn", "spoofed SYN flood on the NAS web server (400/s, --packets)", gen_dos_syn},
    {"dos-amp", "DNS replies nobody asked for, reflected at PC05", gen_dos_amp},
    {"dos-request", "PC06 asks the resolver the same name 50 times a second", gen_dos_request},
    {"dos-udp", "PC08 floods an Internet host with small UDP packets", gen_dos_udp},
    {.name = NULL},
};
