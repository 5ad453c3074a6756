/* scn-dns.c - scenarios for the dns detectors (expectations in
 * tests/golden/scenarios-dns.tsv).
 *
 * One small office, 192.168.60.0/24, the router 192.168.60.1 is the DNS
 * forwarder every PC asks. Positive scenarios: a DNS tunnel through the
 * router (dnscat2-like hex names), a slow one of modest volume, a script
 * pulled down in TXT answers, a DGA burst, and one random-looking .top
 * domain that resolves. Negative ones: a busy office's look-alikes (CDN and
 * cloud names, Microsoft measurement probes, Chrome's random probes, AD SRV
 * lookups, reverse lookups), a mail server checking block lists, DKIM and
 * SPF, and one name asked thousands of times.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define DNS_IP(x) SCN_IP4(192, 168, 60, (x))

static const uint8_t dns_oui_router[3] = {0x00, 0xa0, 0xde}; /* Yamaha */
static const uint8_t dns_oui_pc[3] = {0xf8, 0xbc, 0x12};     /* Dell */

struct dns_net {
    struct scn_host *gw, *pc;
    uint64_t t;
};

static void dns_net_init(struct scn *s, struct dns_net *n, const char *pc_name, int pc_ip)
{
    n->gw = scn_host_new(s, "router", SCN_OS_ROUTER, dns_oui_router, DNS_IP(1));
    n->pc = scn_host_new(s, pc_name, SCN_OS_WINDOWS, dns_oui_pc, DNS_IP(pc_ip));
    n->t = SCN_EPOCH_US;
    scn_arp_request(s, n->t, n->pc, DNS_IP(1));
    scn_arp_reply(s, n->t + 300, n->gw, n->pc);
    n->t += SCN_SEC;
}

static uint64_t dns_rtt(struct scn *s)
{
    return scn_rng_range(&s->rng, 5 * SCN_MS, 40 * SCN_MS);
}

/* One lookup by h: an A record when addr is not 0, else the rcode. */
static void dns_a(struct scn *s, struct dns_net *n, struct scn_host *h, const char *name,
                  uint32_t addr, unsigned rcode)
{
    struct scn_dns_rr a = {.type = SCN_DNS_A, .ttl = 60, .a = addr};
    scn_dns_lookup(s, &n->t, h, n->gw, name, SCN_DNS_A, addr ? &a : NULL, addr ? 1 : 0, rcode,
                   dns_rtt(s));
}

static void dns_hex(struct scn *s, char *out, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i + 1 < len; i++)
        out[i] = hex[scn_rng_next(&s->rng) & 15];
    out[len - 1] = '\0';
}

static void dns_letters(struct scn *s, char *out, size_t len, const char *alphabet)
{
    size_t na = strlen(alphabet);
    for (size_t i = 0; i + 1 < len; i++)
        out[i] = alphabet[scn_rng_next(&s->rng) % na];
    out[len - 1] = '\0';
}

static void dns_base64(struct scn *s, char *out, size_t len)
{
    dns_letters(s, out, len, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}

/* ---- positive ---- */

/* dnscat2-like tunnel through the router: 150 TXT/CNAME/MX queries in two
 * minutes, each name two labels of hex data under kumo-sync.net, answers
 * carrying hex back. */
static void gen_dns_tunnel(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct dns_net n;
    dns_net_init(s, &n, "EIGYO-PC03", 23);
    dns_a(s, &n, n.pc, "www.yahoo.co.jp", SCN_IP4(183, 79, 219, 252), 0);
    static const uint16_t types[] = {SCN_DNS_TXT, SCN_DNS_CNAME, SCN_DNS_MX};
    for (unsigned i = 0; i < 150; i++) {
        char l1[61], l2[41], name[160], back[80], target[120];
        dns_hex(s, l1, sizeof(l1));
        dns_hex(s, l2, sizeof(l2));
        snprintf(name, sizeof(name), "%s.%s.kumo-sync.net", l1, l2);
        dns_hex(s, back, sizeof(back));
        uint16_t ty = types[i % 3];
        struct scn_dns_rr rr = {.type = ty, .ttl = 1};
        if (ty == SCN_DNS_TXT) {
            rr.txt = back;
        } else {
            snprintf(target, sizeof(target), "%.40s.kumo-sync.net", back);
            rr.target = target;
            rr.pref = 10;
        }
        scn_dns_lookup(s, &n.t, n.pc, n.gw, name, ty, &rr, 1, 0, dns_rtt(s));
        n.t += scn_rng_range(&s->rng, 500 * SCN_MS, 1100 * SCN_MS);
    }
}

/* A slow exfiltration: 45 A lookups of base32 names (48 characters) under
 * cloud-backup.xyz over 8 minutes: about 2 KiB of data, modest. */
static void gen_dns_tunnel_slow(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct dns_net n;
    dns_net_init(s, &n, "KEIRI-PC01", 31);
    for (unsigned i = 0; i < 45; i++) {
        char l1[49], name[96];
        dns_letters(s, l1, sizeof(l1), "abcdefghijklmnopqrstuvwxyz234567");
        snprintf(name, sizeof(name), "%s.cloud-backup.xyz", l1);
        dns_a(s, &n, n.pc, name, SCN_IP4(203, 0, 113, 77), 0);
        n.t += scn_rng_range(&s->rng, 8 * SCN_SEC, 12 * SCN_SEC);
    }
}

/* A script pulled down in TXT records: 20 lookups p.N.cdn-status.top in a
 * few seconds, each answer 250 characters of base64 (a PowerShell stager),
 * then polling one name. */
static void gen_dns_tunnel_txt(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct dns_net n;
    dns_net_init(s, &n, "SOUMU-PC02", 42);
    for (unsigned i = 1; i <= 20; i++) {
        char name[64], b64[251];
        snprintf(name, sizeof(name), "p.%u.cdn-status.top", i);
        dns_base64(s, b64, sizeof(b64));
        struct scn_dns_rr rr = {.type = SCN_DNS_TXT, .ttl = 1, .txt = b64};
        scn_dns_lookup(s, &n.t, n.pc, n.gw, name, SCN_DNS_TXT, &rr, 1, 0, dns_rtt(s));
        n.t += scn_rng_range(&s->rng, 100 * SCN_MS, 200 * SCN_MS);
    }
    for (unsigned i = 0; i < 30; i++) {
        scn_dns_lookup(s, &n.t, n.pc, n.gw, "c.poll.cdn-status.top", SCN_DNS_TXT, NULL, 0, 2,
                       dns_rtt(s));
        n.t += scn_rng_range(&s->rng, 1 * SCN_SEC, 2 * SCN_SEC);
    }
}

/* A DGA burst: 40 random 12-16 letter .com/.net/.org names in two minutes,
 * 38 NXDOMAIN, 2 resolve. */
static void gen_dns_dga(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    static const char *const tlds[] = {"com", "net", "org", "info"};
    struct dns_net n;
    dns_net_init(s, &n, "SEKKEI-PC04", 54);
    dns_a(s, &n, n.pc, "www.msftconnecttest.com", SCN_IP4(13, 107, 4, 52), 0);
    for (unsigned i = 0; i < 40; i++) {
        char label[17], name[40];
        dns_letters(s, label, (size_t)scn_rng_range(&s->rng, 13, 17), "abcdefghijklmnopqrstuvwxyz");
        snprintf(name, sizeof(name), "%s.%s", label, tlds[i % 4]);
        bool ok = i == 17 || i == 33;
        dns_a(s, &n, n.pc, name, ok ? SCN_IP4(198, 51, 100, 7 + i) : 0, ok ? 0 : 3);
        n.t += scn_rng_range(&s->rng, 1 * SCN_SEC, 4 * SCN_SEC);
    }
}

/* One random-looking .top domain that resolves, then an HTTP check-in to it
 * (the Foudre backdoor's pattern). */
static void gen_dns_dga_single(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct dns_net n;
    dns_net_init(s, &n, "EIGYO-PC07", 67);
    struct scn_host *c2 = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 138), NULL);
    dns_a(s, &n, n.pc, "7fa3c91e.top", SCN_IP4(198, 51, 100, 138), 0);
    struct scn_tcp c;
    scn_tcp_open(s, &c, n.pc, c2, 0, 80, false, n.t, 80 * SCN_MS);
    scn_http_exchange(s, &c, "GET", "7fa3c91e.top", "/de/?d=2026306&v=00021",
                      "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0)", NULL, NULL, 200,
                      "text/html", 120);
    scn_tcp_close(s, &c, 0);
}

/* ---- negative ---- */

/* A busy office PC: CDN and cloud names, Microsoft measurement probes (hex
 * names under footprintdns.com), Chrome's random probes (single labels and
 * with the search domain), AD SRV lookups, reverse lookups, telemetry. */
static void gen_dns_quiet_office(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct dns_net n;
    dns_net_init(s, &n, "SOUMU-PC01", 11);
    char name[160], label[40];
    for (unsigned i = 0; i < 60; i++) {
        switch (i % 6) {
        case 0:
            snprintf(name, sizeof(name), "e%u.dscx.akamaiedge.net",
                     (unsigned)scn_rng_range(&s->rng, 1000, 99999));
            break;
        case 1:
            dns_letters(s, label, 14, "abcdefghijklmnopqrstuvwxyz0123456789");
            snprintf(name, sizeof(name), "d%s.cloudfront.net", label);
            break;
        case 2:
            dns_letters(s, label, 9, "abcdefghijklmnopqrstuvwxyz0123456789");
            snprintf(name, sizeof(name), "rr%u---sn-%s.googlevideo.com",
                     (unsigned)scn_rng_range(&s->rng, 1, 8), label);
            break;
        case 3:
            snprintf(name, sizeof(name), "nrt%02us%02u-in-f%u.1e100.net",
                     (unsigned)scn_rng_range(&s->rng, 10, 20),
                     (unsigned)scn_rng_range(&s->rng, 1, 40), (unsigned)scn_rng_range(&s->rng, 1, 20));
            break;
        case 4:
            dns_hex(s, label, 33);
            snprintf(name, sizeof(name), "%s.clo.footprintdns.com", label);
            break;
        default:
            dns_letters(s, label, 9, "abcdefghijklmnopqrstuvwxyz");
            snprintf(name, sizeof(name), "%s-prod-cms-rt-microsoft-com.akamaized.net", label);
            break;
        }
        dns_a(s, &n, n.pc, name, SCN_IP4(23, 45, 67, (i % 200) + 1), 0);
        n.t += scn_rng_range(&s->rng, 200 * SCN_MS, 3 * SCN_SEC);
    }
    static const char *const ms[] = {
        "v10.events.data.microsoft.com", "settings-win.data.microsoft.com",
        "outlook.office365.com", "login.microsoftonline.com", "teams.microsoft.com",
        "suzuki-kogyo.sharepoint.com", "graph.microsoft.com", "ctldl.windowsupdate.com",
    };
    for (size_t i = 0; i < ARRAY_SIZE(ms); i++)
        dns_a(s, &n, n.pc, ms[i], SCN_IP4(52, 98, 152, (uint8_t)(10 + i)), 0);
    /* Chrome at start-up: three random single labels, and the same with the
     * office's search domain appended. */
    for (unsigned i = 0; i < 3; i++) {
        dns_letters(s, label, (size_t)scn_rng_range(&s->rng, 8, 16), "abcdefghijklmnopqrstuvwxyz");
        dns_a(s, &n, n.pc, label, 0, 3);
        snprintf(name, sizeof(name), "%s.suzuki-kogyo.co.jp", label);
        dns_a(s, &n, n.pc, name, 0, 3);
        snprintf(name, sizeof(name), "%s.lan", label);
        dns_a(s, &n, n.pc, name, 0, 3);
    }
    /* Active Directory and reverse lookups. */
    struct scn_dns_rr srv = {.type = SCN_DNS_SRV, .ttl = 600, .target = "dc01.corp.local",
                             .pref = 0, .weight = 100, .port = 389};
    scn_dns_lookup(s, &n.t, n.pc, n.gw, "_ldap._tcp.dc._msdcs.corp.local", SCN_DNS_SRV, &srv, 1, 0,
                   dns_rtt(s));
    for (unsigned i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "%u.%u.168.192.in-addr.arpa", 20 + i, 60);
        scn_dns_lookup(s, &n.t, n.pc, n.gw, name, SCN_DNS_PTR, NULL, 0, 3, dns_rtt(s));
    }
}

/* The office mail server: block list lookups for every connecting address
 * (Spamhaus, and a Japanese list not on any built-in list), antivirus hash
 * lookups, DKIM keys and SPF/DMARC records in TXT. */
static void gen_dns_quiet_mail(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct dns_net n;
    dns_net_init(s, &n, "MAIL01", 5);
    char name[160], hash[41], key[301];
    for (unsigned i = 0; i < 120; i++) {
        unsigned a = (unsigned)scn_rng_range(&s->rng, 1, 223), b = (unsigned)(scn_rng_next(&s->rng) & 255),
                 c = (unsigned)(scn_rng_next(&s->rng) & 255), d = (unsigned)scn_rng_range(&s->rng, 1, 254);
        snprintf(name, sizeof(name), "%u.%u.%u.%u.zen.spamhaus.org", d, c, b, a);
        dns_a(s, &n, n.pc, name, 0, 3);
        snprintf(name, sizeof(name), "%u.%u.%u.%u.bl.mailguard-rbl.jp", d, c, b, a);
        dns_a(s, &n, n.pc, name, i % 10 == 0 ? SCN_IP4(127, 0, 0, 2) : 0, i % 10 == 0 ? 0 : 3);
        if (i % 10 == 0) {
            struct scn_dns_rr why = {.type = SCN_DNS_TXT, .ttl = 300,
                                     .txt = "Listed: see https://mailguard-rbl.jp/lookup"};
            scn_dns_lookup(s, &n.t, n.pc, n.gw, name, SCN_DNS_TXT, &why, 1, 0, dns_rtt(s));
        }
        dns_hex(s, hash, sizeof(hash));
        snprintf(name, sizeof(name), "%s.avqs.mcafee.com", hash);
        dns_a(s, &n, n.pc, name, 0, 3);
        /* each sender domain's DKIM key and DMARC policy */
        snprintf(name, sizeof(name), "selector1._domainkey.sender%u.co.jp", i);
        dns_base64(s, key, sizeof(key));
        key[200] = '\n'; /* two strings: one may hold 255 bytes */
        struct scn_dns_rr dk = {.type = SCN_DNS_TXT, .ttl = 3600, .txt = key};
        scn_dns_lookup(s, &n.t, n.pc, n.gw, name, SCN_DNS_TXT, &dk, 1, 0, dns_rtt(s));
        snprintf(name, sizeof(name), "_dmarc.sender%u.co.jp", i);
        struct scn_dns_rr dm = {.type = SCN_DNS_TXT, .ttl = 3600, .txt = "v=DMARC1; p=none"};
        scn_dns_lookup(s, &n.t, n.pc, n.gw, name, SCN_DNS_TXT, &dm, 1, 0, dns_rtt(s));
        struct scn_dns_rr spf = {.type = SCN_DNS_TXT, .ttl = 3600,
                                 .txt = "v=spf1 include:spf.protection.outlook.com -all"};
        snprintf(name, sizeof(name), "sender%u.co.jp", i);
        scn_dns_lookup(s, &n.t, n.pc, n.gw, name, SCN_DNS_TXT, &spf, 1, 0, dns_rtt(s));
        n.t += scn_rng_range(&s->rng, 1 * SCN_SEC, 5 * SCN_SEC);
    }
}

/* One name asked 3000 times in five minutes (a broken program's flood). */
static void gen_dns_quiet_flood(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct dns_net n;
    dns_net_init(s, &n, "SEIZO-PC09", 90);
    for (unsigned i = 0; i < 3000; i++) {
        dns_a(s, &n, n.pc, "license.example-cad.com", SCN_IP4(203, 0, 113, 9), 0);
        n.t += 100 * SCN_MS;
    }
}

const struct scenario scn_table_dns[] = {
    {"dns-tunnel", "DNS tunnel (dnscat2-like hex names, TXT/CNAME/MX) through the router",
     gen_dns_tunnel},
    {"dns-tunnel-slow", "slow DNS exfiltration: 45 base32 names in 8 minutes",
     gen_dns_tunnel_slow},
    {"dns-tunnel-txt", "script downloaded in base64 TXT answers, then polling",
     gen_dns_tunnel_txt},
    {"dns-dga", "DGA burst: 40 random domains, most NXDOMAIN", gen_dns_dga},
    {"dns-dga-single", "one random-looking .top domain resolved and contacted over HTTP",
     gen_dns_dga_single},
    {"dns-quiet-office", "office look-alikes: CDN, cloud, probes, AD, reverse lookups",
     gen_dns_quiet_office},
    {"dns-quiet-mail", "mail server: block lists, antivirus hashes, DKIM/SPF/DMARC",
     gen_dns_quiet_mail},
    {"dns-quiet-flood", "one name asked 3000 times", gen_dns_quiet_flood},
    {.name = NULL},
};
