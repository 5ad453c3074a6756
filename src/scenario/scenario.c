/* scenario.c - the scenario table and the small fixed scenarios (empty,
 * tiny, flood, frag, tunnels). The office is in scn-office.c.
 *
 * To add a scenario for a threat: write `static void gen_<name>(struct scn
 * *s, const struct scenario_opts *o)` with the blocks of scn-build.h (or put
 * it in its own scn-<name>.c and declare it in scenario.h) and add a line to
 * `scenarios[]` below. Describe in the comment above it what a detector
 * should find in it. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/pcap-writer.h"
#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

/* Header only: readers must accept a capture with no packets. */
static void gen_empty(struct scn *s, const struct scenario_opts *o)
{
    (void)s;
    (void)o;
}

/* Hand-checkable fixture (tests/golden/tiny.out counts its bytes):
 *  1-2  ARP who-has 192.168.10.1 from SOUMU-PC01 and the reply (60 B each)
 *  3-4  DNS A www.example.com, 192.168.10.101:51000 -> 192.168.10.1:53
 *       query 75 B, answer 91 B (one A record, name compressed)
 *  5-12 TCP 192.168.10.101:51001 -> 93.184.215.14:80, Windows client (no
 *       timestamps): SYN 66, SYN+ACK 66, ACK 60, GET 54+78, response
 *       54+78, FIN 60, FIN 60, ACK 60 (frames under 60 B are padded):
 *       5 packets / 378 bytes to the server, 3 / 258 back. */
static void gen_tiny(struct scn *s, const struct scenario_opts *o)
{
    static const char req[] = "GET / HTTP/1.1\r\nHost: www.example.com\r\n"
                              "User-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n";
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 13\r\n\r\nHello, world\n";
    struct scn_host *gw, *pc, *web;
    struct scn_tcp c;
    struct scn_dns_rr a = {.type = SCN_DNS_A, .ttl = 300, .a = SCN_IP4(93, 184, 215, 14)};
    uint64_t t = SCN_EPOCH_US;

    (void)o;
    gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SCN_IP4(192, 168, 10, 1));
    pc = scn_host_new(s, "SOUMU-PC01", SCN_OS_WINDOWS, scn_oui_dell, SCN_IP4(192, 168, 10, 101));
    web = scn_host_remote(s, gw, SCN_OS_LINUX, SCN_IP4(93, 184, 215, 14), NULL);
    pc->next_port = 51000;

    scn_arp_request(s, t, pc, gw->ip4);
    scn_arp_reply(s, t + 350, gw, pc);
    t += 10 * SCN_MS;
    scn_dns_lookup(s, &t, pc, gw, "www.example.com", SCN_DNS_A, &a, 1, 0, 12 * SCN_MS);
    t += 2 * SCN_MS;
    scn_tcp_open(s, &c, pc, web, 0, 80, false, t, 20 * SCN_MS);
    scn_tcp_send(s, &c, 0, req, sizeof(req) - 1);
    scn_tcp_wait(&c, 3 * SCN_MS);
    scn_tcp_send(s, &c, 1, resp, sizeof(resp) - 1);
    scn_tcp_wait(&c, 5 * SCN_MS);
    scn_tcp_close(s, &c, 0);
}

/* SYN flood: o->packets (default 200000) SYNs to 192.168.10.5:80 from
 * random public sources and ports at about 10000 packets a second, each a
 * new flow: the flow table must stay within its memory cap. */
static uint32_t random_public_ip4(struct scn_rng *r)
{
    for (;;) {
        uint32_t ip = (uint32_t)scn_rng_next(r);
        uint8_t a = (uint8_t)(ip >> 24), b = (uint8_t)(ip >> 16);
        if (a == 0 || a == 10 || a == 127 || a >= 224 || (a == 100 && (b & 0xc0) == 64) ||
            (a == 169 && b == 254) || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168))
            continue;
        return ip;
    }
}

static void gen_flood(struct scn *s, const struct scenario_opts *o)
{
    struct scn_host *gw, *srv;
    uint64_t n = o->packets ? o->packets : 200000;
    uint64_t t = SCN_EPOCH_US + 12 * 60 * SCN_MIN;

    gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SCN_IP4(192, 168, 10, 1));
    srv = scn_host_new(s, "WEBSRV", SCN_OS_LINUX, scn_oui_dell, SCN_IP4(192, 168, 10, 5));
    struct scn_ep dst = scn_ep4(srv);
    for (uint64_t i = 0; i < n; i++) {
        /* hping3-style: bare SYN, random window, no options */
        struct scn_ep src = scn_ep_raw4(gw->mac, random_public_ip4(&s->rng),
                                        (uint8_t)scn_rng_range(&s->rng, 40, 120));
        scn_tcp_raw(s, t, &src, &dst, (uint16_t)scn_rng_range(&s->rng, 1024, 65535), 80,
                    (uint32_t)scn_rng_next(&s->rng), 0, SCN_TH_SYN,
                    (uint16_t)scn_rng_range(&s->rng, 512, 65535), NULL, 0);
        t += scn_rng_range(&s->rng, 50, 150);
    }
}

/* Fragments: a 3 KB EDNS DNS answer over IPv4 (3 fragments, in order), a
 * 4000-byte ping whose reply arrives last fragment first, and over IPv6 a
 * 3000-byte UDP datagram in order and a 4000-byte ICMPv6 echo out of order. */
static void gen_frag(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t net6[8] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, 0, 0};
    struct scn_host *gw, *pc;
    struct scn_buf b, txt;
    uint64_t t = SCN_EPOCH_US;
    uint16_t sport, id;

    (void)o;
    gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SCN_IP4(192, 168, 10, 1));
    pc = scn_host_new(s, "kaihatsu-ws01", SCN_OS_LINUX, scn_oui_hp, SCN_IP4(192, 168, 10, 50));
    memcpy(gw->ip6, net6, 8);
    gw->ip6[15] = 1;
    memcpy(pc->ip6, net6, 8);
    pc->ip6[15] = 0x50;
    struct scn_ep p4 = scn_ep4(pc), g4 = scn_ep4(gw), p6 = scn_ep6(pc), g6 = scn_ep6(gw);

    scn_buf_init(&b);
    scn_buf_init(&txt);
    scn_arp_request(s, t, pc, gw->ip4);
    scn_arp_reply(s, t + 300, gw, pc);
    t += 5 * SCN_MS;

    /* DNS TXT with EDNS0 (4096-byte UDP payload), answer ~3 KB */
    struct scn_dns_rr opt = {.name = "", .type = SCN_DNS_OPT, .rclass = 4096};
    struct scn_dns_rr an[12];
    char strings[12][240];
    for (size_t i = 0; i < ARRAY_SIZE(an); i++) {
        size_t k = (size_t)snprintf(strings[i], sizeof(strings[i]), "v=key%zu; k=rsa; p=", i);
        while (k < 230)
            strings[i][k++] = (char)('A' + (scn_rng_next(&s->rng) % 26));
        strings[i][k] = '\0';
        memset(&an[i], 0, sizeof(an[i]));
        an[i].type = SCN_DNS_TXT;
        an[i].ttl = 3600;
        an[i].txt = strings[i];
    }
    id = (uint16_t)scn_rng_next(&s->rng);
    sport = scn_host_port(s, pc);
    scn_dns_build(&b, id, 0x0100, "big.yamada-shoji.example", SCN_DNS_TXT, 1, NULL, 0, &opt, 1);
    scn_udp(s, t, &p4, &g4, sport, 53, b.p, b.len);
    t += 15 * SCN_MS;
    scn_dns_build(&b, id, 0x8180, "big.yamada-shoji.example", SCN_DNS_TXT, 1, an, ARRAY_SIZE(an),
                  &opt, 1);
    scn_buf_clear(&txt);
    scn_buf_u16(&txt, 53);
    scn_buf_u16(&txt, sport);
    scn_buf_u16(&txt, (uint16_t)(8 + b.len));
    scn_buf_u16(&txt, 0);
    scn_buf_mem(&txt, b.p, b.len);
    scn_ip_frag(s, t, &g4, &p4, 17, txt.p, txt.len, 1500, false, 40);
    t += 200 * SCN_MS;

    /* ping -s 3992: 4000-byte ICMP message, reply out of order */
    for (int reply = 0; reply < 2; reply++) {
        scn_buf_clear(&b);
        scn_buf_u8(&b, reply ? 0 : 8);
        scn_buf_u8(&b, 0);
        scn_buf_u16(&b, 0);
        scn_buf_u16(&b, 0x1f2e);
        scn_buf_u16(&b, 1);
        for (size_t i = 0; i < 3992; i++)
            scn_buf_u8(&b, (uint8_t)i);
        if (reply)
            scn_ip_frag(s, t + 900, &g4, &p4, 1, b.p, b.len, 1500, true, 30);
        else
            scn_ip_frag(s, t, &p4, &g4, 1, b.p, b.len, 1500, false, 30);
    }
    t += 1 * SCN_SEC;

    /* IPv6: UDP datagram of 3000 bytes (syslog-like), in order */
    scn_buf_clear(&b);
    scn_buf_u16(&b, scn_host_port(s, pc));
    scn_buf_u16(&b, 5514);
    scn_buf_u16(&b, 3008);
    scn_buf_u16(&b, 0);
    for (size_t i = 0; i < 3000; i++)
        scn_buf_u8(&b, (uint8_t)('a' + i % 26));
    scn_ip_frag(s, t, &p6, &g6, 17, b.p, b.len, 1500, false, 25);
    t += 100 * SCN_MS;
    /* ICMPv6 echo of 4000 bytes, request out of order, reply in order */
    for (int reply = 0; reply < 2; reply++) {
        scn_buf_clear(&b);
        scn_buf_u8(&b, reply ? 129 : 128);
        scn_buf_u8(&b, 0);
        scn_buf_u16(&b, 0);
        scn_buf_u16(&b, 0x2b3c);
        scn_buf_u16(&b, 1);
        for (size_t i = 0; i < 3992; i++)
            scn_buf_u8(&b, (uint8_t)(i * 7));
        if (reply)
            scn_ip_frag(s, t + 700, &g6, &p6, 58, b.p, b.len, 1500, false, 30);
        else
            scn_ip_frag(s, t, &p6, &g6, 58, b.p, b.len, 1500, true, 30);
    }
    scn_buf_free(&b);
    scn_buf_free(&txt);
}

/* The same small HTTP exchange plain, in 802.1Q, in QinQ, in GRE, in VXLAN
 * and over IPv6; each uses its own client port so the inner flows differ. */
static void gen_tunnels(struct scn *s, const struct scenario_opts *o)
{
    static const uint8_t net6[8] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x20, 0, 0};
    static const uint8_t oui_cisco[3] = {0x00, 0x1b, 0x54};
    struct scn_host *cli, *srv;
    struct scn_encap e;
    uint64_t t = SCN_EPOCH_US;

    (void)o;
    cli = scn_host_new(s, "client", SCN_OS_LINUX, scn_oui_dell, SCN_IP4(10, 20, 0, 15));
    srv = scn_host_new(s, "intra-web", SCN_OS_LINUX, scn_oui_hp, SCN_IP4(10, 20, 0, 80));
    memcpy(cli->ip6, net6, 8);
    cli->ip6[15] = 0x15;
    memcpy(srv->ip6, net6, 8);
    srv->ip6[15] = 0x80;

    for (int mode = 0; mode < 6; mode++) {
        struct scn_tcp c;
        memset(&e, 0, sizeof(e));
        switch (mode) {
        case 1:
            e.vlan_count = 1;
            e.vlan_tpid[0] = 0x8100;
            e.vlan_id[0] = 10;
            break;
        case 2:
            e.vlan_count = 2;
            e.vlan_tpid[0] = 0x88a8;
            e.vlan_id[0] = 100;
            e.vlan_tpid[1] = 0x8100;
            e.vlan_id[1] = 10;
            break;
        case 3:
        case 4:
            e.tunnel = mode == 3 ? SCN_TUN_GRE : SCN_TUN_VXLAN;
            memcpy(e.outer_smac, oui_cisco, 3);
            e.outer_smac[5] = (uint8_t)mode;
            memcpy(e.outer_dmac, oui_cisco, 3);
            e.outer_dmac[5] = (uint8_t)(0x10 + mode);
            e.outer_src = SCN_IP4(172, 16, mode, 1);
            e.outer_dst = SCN_IP4(172, 16, mode, 2);
            e.vni = 5001;
            break;
        default:
            break;
        }
        scn_set_encap(s, &e);
        scn_tcp_open(s, &c, cli, srv, 0, 80, mode == 5, t, 400);
        scn_http_exchange(s, &c, "GET", "intra-web", "/index.html", "curl/8.5.0", NULL, NULL, 200,
                          "text/html", 1200);
        scn_tcp_close(s, &c, 0);
        t = c.t + 1 * SCN_SEC;
    }
    scn_set_encap(s, NULL);
}

static const struct scenario scenarios[] = {
    {"office",
     "small office LAN: DHCP, DNS, TLS, HTTP, SMTP, SMB2, SSH, NTP, mDNS... "
     "(--hosts PCs, --minutes)",
     scn_gen_office},
    {"empty", "pcap header only, no packets", gen_empty},
    {"tiny", "ARP pair, one DNS lookup, one HTTP connection (golden fixture)", gen_tiny},
    {"flood", "SYN flood from random spoofed sources (--packets, default 200000)", gen_flood},
    {"frag", "fragmented IPv4 UDP/ICMP and IPv6 UDP/ICMPv6, some out of order", gen_frag},
    {"tunnels", "one HTTP exchange plain, in 802.1Q, QinQ, GRE, VXLAN and over IPv6", gen_tunnels},
    {"app-dns", "DNS record types, NXDOMAIN, DNS over TCP, mDNS, LLMNR, NetBIOS-NS",
     scn_gen_app_dns},
    {"app-dhcp", "DHCP DORA with hostname/FQDN, DHCPINFORM, DHCPv6 with client FQDN",
     scn_gen_app_dhcp},
    {"app-tls", "TLS 1.2 (CA chain, self-signed, resumed), 1.3, GREASE, split ClientHellos",
     scn_gen_app_tls},
    {"app-http", "HTTP/1.1 GET/POST, chunked, pipelining, HEAD/304, Basic auth, CONNECT",
     scn_gen_app_http},
    {"app-mail", "SMTP AUTH LOGIN and STARTTLS, POP3, IMAP, FTP 230/530, Telnet login",
     scn_gen_app_mail},
    {"app-ssh", "SSH banners (OpenSSH, PuTTY, dropbear, text before banner) and KEXINIT",
     scn_gen_app_ssh},
    {"app-smb", "SMB1 negotiate, SMB 3.1.1 with NTLMSSP in SPNEGO, tree connect",
     scn_gen_app_smb},
    {"app-quic", "QUIC v1 Initial packets (RFC 9001 protection), one ClientHello in two",
     scn_gen_app_quic},
    {"app-rdp", "RDP X.224 request with mstshash cookie, negotiation of TLS, ClientHello",
     scn_gen_app_rdp},
    {"app-stream", "HTTP over reordered, retransmitted, overlapping, 1-byte and lost segments",
     scn_gen_app_stream},
    {"dev-office", "5 known devices and an unknown PC joining midway (device.new)",
     scn_gen_dev_office},
    {"dev-rotate", "iPhone with a new private MAC on each of 5 days, same hostname",
     scn_gen_dev_rotate},
    {"dev-arpspoof", "ARP replies claiming the gateway's address; a gratuitous ARP storm",
     scn_gen_dev_arpspoof},
    {"dev-ipconflict", "two PCs with the same static address; a DHCP address reused later",
     scn_gen_dev_ipconflict},
    {"dev-returned", "a PC back after 45 silent days; one off for a long weekend",
     scn_gen_dev_returned},
    {"dev-legacy", "Windows XP, Windows 7, OpenSSH 5.3 server beside a Windows 10 PC",
     scn_gen_dev_legacy},
    {"dev-newservice", "a PC starts answering RDP on day 3; a NAS serving SMB from day 1",
     scn_gen_dev_newservice},
};

static const struct scenario *const scenario_tables[] = {
    scn_table_scan,      scn_table_auth,  scn_table_lateral, scn_table_behaviour,
    scn_table_intel,     scn_table_dns,   scn_table_practice, scn_table_web,
    scn_table_incident, scn_table_month,
};

const struct scenario *scenario_get(size_t i)
{
    if (i < ARRAY_SIZE(scenarios))
        return &scenarios[i];
    i -= ARRAY_SIZE(scenarios);
    for (size_t t = 0; t < ARRAY_SIZE(scenario_tables); t++)
        for (const struct scenario *sc = scenario_tables[t]; sc->name; sc++)
            if (i-- == 0)
                return sc;
    return NULL;
}

const struct scenario *scenario_find(const char *name)
{
    const struct scenario *sc;
    for (size_t i = 0; (sc = scenario_get(i)) != NULL; i++)
        if (strcmp(sc->name, name) == 0)
            return sc;
    return NULL;
}

int scenario_write(const struct scenario *sc, const struct scenario_opts *o, const char *path,
                   uint64_t *npackets)
{
    struct scn s;
    struct pcap_writer w;
    int rc, saved;

    if (pcap_writer_open(&w, path, PCAP_DEFAULT_SNAPLEN, PCAP_LINKTYPE_ETHERNET) < 0)
        return -1;
    scn_init(&s, o->seed);
    sc->generate(&s, o);
    rc = scn_write(&s, &w);
    saved = errno;
    if (npackets)
        *npackets = w.packets;
    scn_release(&s);
    if (pcap_writer_close(&w) < 0) {
        rc = -1;
        saved = errno;
    }
    if (rc < 0) {
        /* Leave no truncated capture behind to be mistaken for a good one;
         * but only a regular file: the path may be a device or a pipe. */
        struct stat sb;
        if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            unlink(path);
        errno = saved;
    }
    return rc;
}
