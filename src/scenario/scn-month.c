/* scn-month.c - `month`: one month (October 2026) of a small office, for
 * the monthly report (`mamori report`, tests/cli/report-test.sh).
 *
 * Seven PCs, a NAS, a printer and the router work on weekdays (a little on
 * weekends): name lookups, HTTPS to a handful of cloud services, the file
 * share. Over the month:
 *   - Oct 1:  everything already there joins (the baseline, not "new")
 *   - Oct 8:  an unknown laptop joins with DHCP        -> device.new
 *   - Oct 20: an Android phone joins                    -> device.new
 *   - Oct 10-12 and Oct 25: no packets at all (the sensor was off)
 *   - Oct 14, Oct 21: Internet hosts port-scan the NAS  -> scan.port (inbound)
 *   - Oct 15: PC02 logs in to the printer over Telnet   -> cleartext, legacy.protocol/telnet
 *   - weekdays: KOUJOU-XP browses with Windows XP's browser; on two Mondays
 *     it speaks SMBv1 to the NAS                                  -> device.legacy_os, legacy.protocol/smb1
 *   - Oct 22: PC03 port-scans the NAS and looks for RDP on every PC
 *                                                        -> scan.port/internal, scan.host/internal
 * About 30 000 packets (a few MB); the same bytes for the same seed.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define MN_IP(x) SCN_IP4(192, 168, 70, (x))
#define MN_PCS 6
#define MN_DAYS 31
#define MN_DAY (24ull * 60ull * SCN_MIN)
/* 2026-10-01 00:00 UTC (09:00 JST): 32 days before SCN_EPOCH_US. */
#define MN_START (SCN_EPOCH_US - 32ull * MN_DAY)

static const uint8_t oui_samsung[3] = {0x8c, 0x77, 0x12};

static const char mn_ua_xp[] = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)";

/* The cloud services the office uses, with made-up documentation addresses. */
static const struct {
    const char *name;
    uint32_t ip;
    size_t down;
} mn_sites[] = {
    {"outlook.office365.com", SCN_IP4(203, 0, 113, 10), 12000},
    {"www.google.com", SCN_IP4(203, 0, 113, 20), 4000},
    {"teams.microsoft.com", SCN_IP4(203, 0, 113, 30), 16000},
    {"www.yahoo.co.jp", SCN_IP4(203, 0, 113, 40), 6000},
    {"www.freee.co.jp", SCN_IP4(198, 51, 100, 50), 5000},
    {"update.microsoft.com", SCN_IP4(198, 51, 100, 60), 30000},
};

struct mn_net {
    struct scn_host *gw, *nas, *printer, *xp, *laptop, *phone;
    struct scn_host *pc[MN_PCS];
    struct scn_host *site[ARRAY_SIZE(mn_sites)];
};

/* Days with no packets at all: the sensor was switched off. */
static bool mn_off(unsigned day)
{
    return (day >= 9 && day <= 11) || day == 24; /* Oct 10-12, Oct 25 (0-based) */
}

/* 2026-10-01 was a Thursday. */
static bool mn_weekend(unsigned day)
{
    unsigned dow = (day + 3) % 7; /* 0 Monday */
    return dow >= 5;
}

/* A lookup and an HTTPS visit to one of the services. */
static void mn_visit(struct scn *s, struct mn_net *n, struct scn_host *pc, uint64_t t, size_t site)
{
    struct scn_dns_rr an = {.type = SCN_DNS_A, .ttl = 300, .a = mn_sites[site].ip};
    scn_dns_lookup(s, &t, pc, n->gw, mn_sites[site].name, SCN_DNS_A, &an, 1, 0, 6 * SCN_MS);
    size_t down = mn_sites[site].down / 3 + scn_rng_range(&s->rng, 0, 1000);
    scn_https_visit(s, pc, n->site[site], mn_sites[site].name, SCN_TLS_CHROME, true,
                    t + SCN_MS, 15 * SCN_MS, 1, 800, down);
}

/* The XP machine's daily check of a supplier's page, plain http. */
static void mn_xp_http(struct scn *s, struct mn_net *n, uint64_t t)
{
    struct scn_dns_rr an = {.type = SCN_DNS_A, .ttl = 300, .a = mn_sites[4].ip};
    scn_dns_lookup(s, &t, n->xp, n->gw, "order.example.co.jp", SCN_DNS_A, &an, 1, 0, 6 * SCN_MS);
    struct scn_tcp c;
    scn_tcp_open(s, &c, n->xp, n->site[4], 0, 80, false, t + SCN_MS, 15 * SCN_MS);
    scn_http_exchange(s, &c, "GET", "order.example.co.jp", "/status", mn_ua_xp, NULL, NULL, 200,
                      "text/html", 4000);
    scn_tcp_close(s, &c, 0);
}

/* An ordinary working day (or a quiet weekend day) for every device there. */
static void mn_day(struct scn *s, struct mn_net *n, unsigned day)
{
    uint64_t base = MN_START + day * MN_DAY;
    struct scn_host *who[MN_PCS + 2];
    size_t nwho = 0;
    for (size_t i = 0; i < MN_PCS; i++)
        if (!mn_weekend(day) || i == 0)
            who[nwho++] = n->pc[i];
    if (day >= 7 && !mn_weekend(day))
        who[nwho++] = n->laptop;
    if (day >= 19)
        who[nwho++] = n->phone;
    for (size_t i = 0; i < nwho; i++) {
        uint64_t t = base + scn_rng_range(&s->rng, 0, 50) * SCN_MIN;
        scn_arp_request(s, t, who[i], n->gw->ip4);
        scn_arp_reply(s, t + 300, n->gw, who[i]);
        unsigned visits = mn_weekend(day) ? 1 : 3;
        for (unsigned v = 0; v < visits; v++) {
            size_t site = (size_t)scn_rng_range(&s->rng, 0, ARRAY_SIZE(mn_sites) - 1);
            mn_visit(s, n, who[i], t + SCN_SEC + v * 2 * 60 * SCN_MIN, site);
        }
        if (who[i]->os == SCN_OS_WINDOWS && !mn_weekend(day) && who[i] != n->laptop) {
            char share[64];
            snprintf(share, sizeof(share), "\\\\NAS01\\%s", who[i]->name);
            scn_smb311_session(s, who[i], n->nas, t + 30 * SCN_MIN, "OFFICE", who[i]->name, share);
        }
    }
    if (!mn_weekend(day)) {
        uint64_t t = base + 20 * SCN_MIN;
        scn_arp_request(s, t, n->xp, n->gw->ip4);
        scn_arp_reply(s, t + 300, n->gw, n->xp);
        mn_xp_http(s, n, t + SCN_SEC);
        if (day == 4 || day == 18) /* the weekly backup job, Mondays */
            scn_smb1_negotiate(s, n->xp, n->nas, t + 10 * SCN_MIN, "OFFICE");
    }
    /* The router and the NAS keep time every day. */
    uint64_t t = base + 5 * SCN_MIN;
    scn_ntp_sync(s, &t, n->nas, n->gw, 2 * SCN_MS);
}

/* A bare SYN answered by SYN+ACK then RST (open), RST+ACK (closed) or
 * nothing (filtered). */
/* An Internet scanner tries 100 ports of the port-forwarded NAS. */
static void mn_inbound_scan(struct scn *s, struct mn_net *n, uint32_t from, uint64_t t)
{
    struct scn_host *scanner = scn_host_remote(s, n->gw, SCN_OS_LINUX, from, NULL);
    for (unsigned i = 0; i < 100; i++) {
        uint16_t p = scn_nmap_port(i, 20);
        scn_syn_probe(s, scanner, n->nas, 40000, p, t, p == 443 ? 1 : 0);
        t += 300 * SCN_MS;
    }
}

/* PC02 configures the printer over Telnet: the password goes in clear. */
static void mn_telnet(struct scn *s, struct mn_net *n, uint64_t t)
{
    static const uint8_t srv1[] = {0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03};
    static const uint8_t cli1[] = {0xff, 0xfd, 0x01, 0xff, 0xfd, 0x03};
    static const char *const lines[][2] = {
        {NULL, "\r\nBRN-MFC login: "}, {"admin\r\n", "\r\nPassword: "},
        {"access\r\n", "\r\nBRN-MFC> "}, {"show status\r\n", "Ready\r\nBRN-MFC> "},
        {"exit\r\n", NULL},
    };
    struct scn_tcp c;
    scn_arp_request(s, t, n->pc[1], n->printer->ip4);
    scn_arp_reply(s, t + 300, n->printer, n->pc[1]);
    scn_tcp_open(s, &c, n->pc[1], n->printer, 0, 23, false, t + SCN_MS, 700);
    scn_tcp_send(s, &c, 1, srv1, sizeof(srv1));
    scn_tcp_send(s, &c, 0, cli1, sizeof(cli1));
    for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
        for (int dir = 0; dir < 2; dir++)
            if (lines[i][dir]) {
                scn_tcp_send(s, &c, dir, lines[i][dir], strlen(lines[i][dir]));
                scn_tcp_wait(&c, scn_rng_range(&s->rng, 300, 4 * SCN_MS));
            }
    scn_tcp_close(s, &c, 1);
}

/* PC03, taken over, scans the NAS and looks for Remote Desktop on the PCs. */
static void mn_internal_scan(struct scn *s, struct mn_net *n, uint64_t t)
{
    struct scn_host *bad = n->pc[2];
    for (unsigned i = 0; i < 200; i++) {
        uint16_t p = scn_nmap_port(i, 20);
        int ans = (p == 80 || p == 443 || p == 445 || p == 139 || p == 22) ? 1 : 2;
        scn_syn_probe(s, bad, n->nas, 61000, p, t, ans);
        t += 5 * SCN_MS;
    }
    t += 2 * SCN_MIN;
    for (unsigned i = 0; i < MN_PCS; i++) {
        if (n->pc[i] == bad)
            continue;
        scn_syn_probe(s, bad, n->pc[i], (uint16_t)(62000 + i), 3389, t, 2);
        t += 40 * SCN_MS;
    }
    scn_syn_probe(s, bad, n->xp, 62010, 3389, t, 2);
}

static void mn_join_static(struct scn *s, struct mn_net *n, struct scn_host *h, uint64_t t)
{
    scn_arp_announce(s, t, h);
    scn_nbns_register(s, t + SCN_SEC, h, "OFFICE");
    scn_arp_request(s, t + 2 * SCN_SEC, h, n->gw->ip4);
    scn_arp_reply(s, t + 2 * SCN_SEC + 300, n->gw, h);
}

static void gen_month(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct mn_net n;
    n.gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, MN_IP(1));
    n.nas = scn_host_new(s, "NAS01", SCN_OS_LINUX, scn_oui_synology, MN_IP(5));
    n.printer = scn_host_new(s, "BRN-MFC", SCN_OS_PRINTER, scn_oui_brother, MN_IP(9));
    for (int i = 0; i < MN_PCS; i++) {
        char name[32];
        snprintf(name, sizeof(name), "PC%02d", i + 1);
        n.pc[i] = scn_host_new(s, name, SCN_OS_WINDOWS, scn_oui_dell, MN_IP(21 + i));
    }
    n.xp = scn_host_new(s, "KOUJOU-XP", SCN_OS_WINDOWS, scn_oui_nec, MN_IP(30));
    n.laptop = scn_host_new(s, "TANAKA-NOTE", SCN_OS_WINDOWS, scn_oui_hp, 0);
    n.phone = scn_host_new(s, "Galaxy-S23", SCN_OS_ANDROID, oui_samsung, 0);
    for (size_t i = 0; i < ARRAY_SIZE(mn_sites); i++)
        n.site[i] = scn_host_remote(s, n.gw, SCN_OS_LINUX, mn_sites[i].ip, NULL);

    uint64_t t = MN_START;
    scn_arp_announce(s, t, n.gw);
    mn_join_static(s, &n, n.nas, t + 10 * SCN_SEC);
    mn_join_static(s, &n, n.printer, t + 20 * SCN_SEC);
    mn_join_static(s, &n, n.xp, t + 30 * SCN_SEC);
    for (int i = 0; i < MN_PCS; i++)
        mn_join_static(s, &n, n.pc[i], t + (uint64_t)(40 + 10 * i) * SCN_SEC);

    for (unsigned day = 0; day < MN_DAYS; day++) {
        if (mn_off(day))
            continue;
        uint64_t base = MN_START + day * MN_DAY;
        if (day == 7) {
            uint64_t tj = base;
            scn_dhcp_join(s, &tj, n.laptop, n.gw, MN_IP(101), "office.local");
        }
        if (day == 19) {
            uint64_t tj = base;
            scn_dhcp_join(s, &tj, n.phone, n.gw, MN_IP(102), "office.local");
        }
        mn_day(s, &n, day);
        if (day == 13)
            mn_inbound_scan(s, &n, SCN_IP4(185, 220, 101, 33), base + 5 * 60 * SCN_MIN);
        if (day == 20)
            mn_inbound_scan(s, &n, SCN_IP4(61, 177, 172, 60), base + 15 * 60 * SCN_MIN);
        if (day == 14)
            mn_telnet(s, &n, base + 2 * 60 * SCN_MIN);
        if (day == 21)
            mn_internal_scan(s, &n, base + 3 * 60 * SCN_MIN);
    }
}

const struct scenario scn_table_month[] = {
    {"month", "October 2026 of a small office: new devices, scans, Telnet, an XP PC, sensor off "
              "4 days", gen_month},
    {NULL, NULL, NULL},
};
