/* scn-office.c - the demo scenario: a small Japanese office on a Monday
 * morning (192.168.10.0/24), seen from a mirror port on the office switch.
 *
 * Who is there: a Yamaha router (gateway, DNS forwarder, DHCP server), a
 * Samba file server that also runs the attendance web app, a Brother
 * printer, --hosts PCs (default 10; Windows, one Mac), an iPhone and an
 * Android phone. PCs arrive between 08:55 and about a third into the period
 * and join with DHCP; then they browse in bursts, open the shared drive,
 * send mail, print. KEIRI-PC01 is the old accounting PC: TLS 1.2 only, and
 * it submits mail with AUTH LOGIN in clear text (a finding for the demo).
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define OFFICE_DOMAIN "yamada-shoji.example"

static const uint8_t oui_dell_b[3] = {0xb8, 0xac, 0x6f};
static const uint8_t oui_samsung[3] = {0x8c, 0xf5, 0xa3};

/* An Internet service the office uses. */
struct svc {
    const char *name;
    const char *cname; /* CNAME the resolver returns first, or NULL */
    uint32_t ip;
    enum scn_os os;
    uint32_t weight; /* how often it is visited */
    bool tls13;
    size_t down;           /* typical bytes per visit */
    struct scn_host *host; /* created at start */
};

static struct svc svcs[] = {
    {"www.google.com", NULL, SCN_IP4(142, 250, 196, 100), SCN_OS_LINUX, 10, true, 20000, NULL},
    {"www.yahoo.co.jp", "edge12.g.yimg.jp", SCN_IP4(183, 79, 219, 252), SCN_OS_LINUX, 8, true,
     60000, NULL},
    {"outlook.office365.com", NULL, SCN_IP4(52, 98, 152, 178), SCN_OS_WINDOWS, 9, true, 15000,
     NULL},
    {"login.microsoftonline.com", NULL, SCN_IP4(20, 190, 144, 162), SCN_OS_WINDOWS, 3, true, 4000,
     NULL},
    {"teams.microsoft.com", NULL, SCN_IP4(52, 113, 194, 132), SCN_OS_WINDOWS, 6, true, 10000, NULL},
    {"yamada-shoji.cybozu.com", NULL, SCN_IP4(103, 79, 14, 42), SCN_OS_LINUX, 7, true, 16000, NULL},
    {"www.nta.go.jp", NULL, SCN_IP4(23, 45, 33, 20), SCN_OS_LINUX, 1, false, 40000, NULL},
    {"www.e-gov.go.jp", NULL, SCN_IP4(13, 225, 103, 37), SCN_OS_LINUX, 1, true, 30000, NULL},
    {"secure.freee.co.jp", NULL, SCN_IP4(54, 65, 120, 18), SCN_OS_LINUX, 3, true, 24000, NULL},
    {"www.jma.go.jp", NULL, SCN_IP4(23, 53, 41, 104), SCN_OS_LINUX, 2, false, 80000, NULL},
    {"zoom.us", NULL, SCN_IP4(170, 114, 52, 2), SCN_OS_LINUX, 2, true, 7000, NULL},
    {"www.amazon.co.jp", NULL, SCN_IP4(52, 119, 168, 48), SCN_OS_LINUX, 2, true, 50000, NULL},
};

/* Services the phones and the Mac reach besides the list above. */
enum {
    EXT_APPLE_PUSH,
    EXT_ICLOUD,
    EXT_GOOGLE_API,
    EXT_NCSI,
    EXT_CTLDL,
    EXT_MAIL,
    EXT_NTP_NICT,
    EXT_NTP_WIN,
    EXT_NTP_APPLE,
    EXT_DNS_GOOGLE,
    EXT_MAX
};

struct office {
    struct scn_host *gw, *srv, *prn, *iphone, *android, *mac, *admin, *old_pc;
    struct scn_host *pcs[202]; /* PCs, then the two phones */
    size_t npcs;
    struct scn_host *ext[EXT_MAX];
    uint64_t start, end;
    uint32_t svc_weight;
};

static uint64_t office_rtt(struct scn *s)
{
    return scn_rng_range(&s->rng, 4 * SCN_MS, 35 * SCN_MS);
}

static void dns_a(struct scn *s, uint64_t *t, struct office *of, struct scn_host *cli,
                  const char *name, const char *cname, uint32_t ip)
{
    struct scn_dns_rr an[2];
    size_t n = 0;

    memset(an, 0, sizeof(an));
    if (cname) {
        an[n].type = SCN_DNS_CNAME;
        an[n].ttl = 60;
        an[n].target = cname;
        n++;
    }
    an[n].name = cname;
    an[n].type = SCN_DNS_A;
    an[n].ttl = (uint32_t)scn_rng_range(&s->rng, 20, 300);
    an[n].a = ip;
    n++;
    scn_dns_lookup(s, t, cli, of->gw, name, SCN_DNS_A, an, n, 0, office_rtt(s) / 2);
    /* Windows and phones ask AAAA too; the office has no IPv6 uplink, so
     * the answer only carries the CNAME if any (NOERROR, no AAAA). */
    *t += scn_rng_range(&s->rng, 100, 900);
    scn_dns_lookup(s, t, cli, of->gw, name, SCN_DNS_AAAA, an, cname ? 1 : 0, 0, office_rtt(s) / 2);
}

static struct svc *pick_svc(struct scn *s, struct office *of)
{
    uint64_t r = scn_rng_range(&s->rng, 0, of->svc_weight - 1);
    for (size_t i = 0; i < ARRAY_SIZE(svcs); i++) {
        if (r < svcs[i].weight)
            return &svcs[i];
        r -= svcs[i].weight;
    }
    return &svcs[0];
}

static enum scn_tls_client client_prof(const struct office *of, const struct scn_host *h)
{
    if (h == of->old_pc)
        return SCN_TLS_OLD;
    if (h->os == SCN_OS_MACOS || h->os == SCN_OS_IOS)
        return SCN_TLS_SAFARI;
    if (h->index % 4 == 3)
        return SCN_TLS_FIREFOX;
    return SCN_TLS_CHROME;
}

/* A browsing burst: 1-4 sites looked up and visited within seconds. */
static void browse_burst(struct scn *s, struct office *of, struct scn_host *h, uint64_t t)
{
    unsigned n = (unsigned)scn_rng_range(&s->rng, 1, 3);
    for (unsigned i = 0; i < n && t < of->end; i++) {
        struct svc *v = pick_svc(s, of);
        dns_a(s, &t, of, h, v->name, v->cname, v->ip);
        t += scn_rng_range(&s->rng, 200, 3000);
        size_t down = v->down / 2 + scn_rng_range(&s->rng, 0, v->down / 2);
        /* Browsers open a few connections in parallel. */
        unsigned conns = (unsigned)scn_rng_range(&s->rng, 1, 2);
        for (unsigned k = 0; k < conns; k++)
            scn_https_visit(s, h, v->host, v->name, client_prof(of, h), v->tls13,
                            t + k * scn_rng_range(&s->rng, 300, 20000), office_rtt(s),
                            (unsigned)scn_rng_range(&s->rng, 1, 6), down / 30 + 400, down / conns);
        t += scn_rng_range(&s->rng, 1 * SCN_SEC, 15 * SCN_SEC);
    }
}

/* Windows' network connectivity check: plain HTTP (what NCSI really does). */
static void ncsi_check(struct scn *s, struct office *of, struct scn_host *h, uint64_t *t)
{
    struct scn_tcp c;
    dns_a(s, t, of, h, "www.msftconnecttest.com", "www.msftconnecttest.com.edgesuite.net",
          of->ext[EXT_NCSI]->ip4);
    scn_tcp_open(s, &c, h, of->ext[EXT_NCSI], 0, 80, false, *t + 500, office_rtt(s));
    scn_http_exchange(s, &c, "GET", "www.msftconnecttest.com", "/connecttest.txt", "Microsoft NCSI",
                      NULL, NULL, 200, "text/plain", 22);
    scn_tcp_wait(&c, scn_rng_range(&s->rng, 100 * SCN_MS, 2 * SCN_SEC));
    scn_tcp_close(s, &c, 0);
    *t = c.t;
}

static void join_pc(struct scn *s, struct office *of, struct scn_host *h, uint32_t addr, uint64_t t)
{
    uint64_t t2;

    scn_dhcp_join(s, &t, h, of->gw, addr, OFFICE_DOMAIN);
    t += scn_rng_range(&s->rng, 5 * SCN_MS, 50 * SCN_MS);
    scn_arp_request(s, t, h, of->gw->ip4);
    scn_arp_reply(s, t + scn_rng_range(&s->rng, 150, 600), of->gw, h);
    t += 2 * SCN_MS;
    t2 = t + scn_rng_range(&s->rng, 1 * SCN_MS, 20 * SCN_MS);
    scn_ipv6_nd(s, &t2, h, of->gw);

    if (h->os == SCN_OS_WINDOWS) {
        scn_nbns_register(s, t + 30 * SCN_MS, h, "YAMADA");
        scn_llmnr_query(s, t + 80 * SCN_MS, h, "wpad");
        t += 200 * SCN_MS;
        ncsi_check(s, of, h, &t);
        t += scn_rng_range(&s->rng, 1 * SCN_SEC, 4 * SCN_SEC);
        dns_a(s, &t, of, h, "time.windows.com", NULL, of->ext[EXT_NTP_WIN]->ip4);
        scn_ntp_sync(s, &t, h, of->ext[EXT_NTP_WIN], office_rtt(s));
        /* Logon: the mapped drive. Windows tries 445 and 139 at once and
         * resets the NetBIOS one when SMB direct answers. */
        t += scn_rng_range(&s->rng, 2 * SCN_SEC, 20 * SCN_SEC);
        scn_arp_request(s, t, h, of->srv->ip4);
        scn_arp_reply(s, t + 300, of->srv, h);
        t += 1 * SCN_MS;
        {
            struct scn_tcp nb;
            scn_tcp_open(s, &nb, h, of->srv, 0, 139, false, t + 40, 300);
            scn_tcp_reset(s, &nb, 0);
        }
        char user[32];
        snprintf(user, sizeof(user), "%c.%s", 'a' + (h->index % 26),
                 h == of->old_pc  ? "tanaka"
                 : h == of->admin ? "admin"
                                  : "sato");
        scn_smb2_session(s, h, of->srv, t, "YAMADA", user, "\\\\FILESRV\\share",
                         (unsigned)scn_rng_range(&s->rng, 1, 3));
    } else {
        /* Apple: Bonjour announcement of the own name */
        char name[64];
        snprintf(name, sizeof(name), "%s.local", h->name);
        struct scn_dns_rr rr = {
            .name = name, .type = SCN_DNS_A, .rclass = 0x8001, .ttl = 120, .a = h->ip4};
        scn_mdns_announce(s, t + 10 * SCN_MS, h, &rr, 1);
        scn_mdns_announce(s, t + 1 * SCN_SEC, h, &rr, 1);
        scn_mdns_query(s, t + 1500 * SCN_MS, h, "_ipp._tcp.local", SCN_DNS_PTR);
        t += 2 * SCN_SEC;
        dns_a(s, &t, of, h, "time.apple.com", NULL, of->ext[EXT_NTP_APPLE]->ip4);
        scn_ntp_sync(s, &t, h, of->ext[EXT_NTP_APPLE], office_rtt(s));
    }
}

static void join_phone(struct scn *s, struct office *of, struct scn_host *h, uint32_t addr,
                       uint64_t t)
{
    scn_dhcp_join(s, &t, h, of->gw, addr, OFFICE_DOMAIN);
    t += 20 * SCN_MS;
    scn_arp_request(s, t, h, of->gw->ip4);
    scn_arp_reply(s, t + 400, of->gw, h);
    t += 5 * SCN_MS;
    if (h->os == SCN_OS_IOS) {
        char name[64];
        snprintf(name, sizeof(name), "%s.local", h->name);
        struct scn_dns_rr rr = {
            .name = name, .type = SCN_DNS_A, .rclass = 0x8001, .ttl = 120, .a = h->ip4};
        scn_mdns_announce(s, t, h, &rr, 1);
        dns_a(s, &t, of, h, "courier.push.apple.com", "courier-push-apple.com.akadns.net",
              of->ext[EXT_APPLE_PUSH]->ip4);
        /* APNs: a long-lived TLS connection on 5223 */
        struct scn_tcp c;
        scn_tcp_open(s, &c, h, of->ext[EXT_APPLE_PUSH], 0, 5223, false, t + 300, office_rtt(s));
        scn_tls_handshake(s, &c, SCN_TLS_SAFARI, "courier.push.apple.com", NULL, true, NULL, NULL);
        for (uint64_t k = 0; c.t < of->end - 60 * SCN_SEC && k < 40; k++) {
            scn_tcp_wait(&c, scn_rng_range(&s->rng, 30 * SCN_SEC, 5 * SCN_MIN));
            scn_tls_data(s, &c, 1, scn_rng_range(&s->rng, 30, 900));
            scn_tls_data(s, &c, 0, scn_rng_range(&s->rng, 30, 120));
        }
        t += 2 * SCN_SEC;
        dns_a(s, &t, of, h, "gateway.icloud.com", NULL, of->ext[EXT_ICLOUD]->ip4);
        scn_https_visit(s, h, of->ext[EXT_ICLOUD], "gateway.icloud.com", SCN_TLS_SAFARI, true, t,
                        office_rtt(s), 3, 3000, 20000);
    } else {
        dns_a(s, &t, of, h, "connectivitycheck.gstatic.com", NULL, of->ext[EXT_GOOGLE_API]->ip4);
        struct scn_tcp c;
        scn_tcp_open(s, &c, h, of->ext[EXT_GOOGLE_API], 0, 80, false, t + 200, office_rtt(s));
        scn_http_exchange(s, &c, "GET", "connectivitycheck.gstatic.com", "/generate_204",
                          "Dalvik/2.1.0 (Linux; U; Android 14; SC-51D Build/UP1A.231005.007)", NULL,
                          NULL, 204, NULL, 0);
        scn_tcp_close(s, &c, 0);
        t = c.t + 1 * SCN_SEC;
        dns_a(s, &t, of, h, "android.googleapis.com", NULL, of->ext[EXT_GOOGLE_API]->ip4);
        scn_https_visit(s, h, of->ext[EXT_GOOGLE_API], "android.googleapis.com", SCN_TLS_CHROME,
                        true, t, office_rtt(s), 4, 2000, 15000);
    }
}

/* Printer and server chatter that goes on all day. */
static void background(struct scn *s, struct office *of)
{
    static const char *const prn_model = "Brother MFC-L2750DW series";
    char inst[96], srvname[96], host[64];
    uint64_t t;

    snprintf(inst, sizeof(inst), "%s._ipp._tcp.local", prn_model);
    snprintf(host, sizeof(host), "%s.local", of->prn->name);
    snprintf(srvname, sizeof(srvname), "%s._pdl-datastream._tcp.local", prn_model);
    for (t = of->start + 3 * SCN_SEC; t < of->end; t += scn_rng_range(&s->rng, 4, 9) * SCN_MIN) {
        struct scn_dns_rr rr[5] = {
            {.name = "_ipp._tcp.local", .type = SCN_DNS_PTR, .ttl = 4500, .target = inst},
            {.name = inst,
             .type = SCN_DNS_SRV,
             .rclass = 0x8001,
             .ttl = 120,
             .port = 631,
             .target = host},
            {.name = inst,
             .type = SCN_DNS_TXT,
             .rclass = 0x8001,
             .ttl = 4500,
             .txt = "txtvers=1\nqtotal=1\nty=Brother MFC-L2750DW series\nproduct=(Brother "
                    "MFC-L2750DW series)\npdl=application/octet-stream,image/urf,image/pwg-raster"},
            {.name = "_pdl-datastream._tcp.local",
             .type = SCN_DNS_PTR,
             .ttl = 4500,
             .target = srvname},
            {.name = host, .type = SCN_DNS_A, .rclass = 0x8001, .ttl = 120, .a = of->prn->ip4},
        };
        scn_mdns_announce(s, t, of->prn, rr, ARRAY_SIZE(rr));
        scn_nbns_register(s, t + 2 * SCN_SEC, of->prn, NULL);
    }
    /* The router refreshes its ARP entries. */
    for (t = of->start + 90 * SCN_SEC; t < of->end; t += 2 * SCN_MIN) {
        for (size_t i = 0; i < of->npcs; i++) {
            struct scn_host *h = of->pcs[i];
            uint64_t tt = t + i * 3 * SCN_MS;
            if (!h->ip4 || scn_rng_range(&s->rng, 0, 3) != 0)
                continue;
            scn_arp_request(s, tt, of->gw, h->ip4);
            scn_arp_reply(s, tt + 250, h, of->gw);
        }
    }
    /* The file server syncs its clock with NICT. */
    t = of->start + 1 * SCN_SEC;
    scn_dns_lookup(
        s, &t, of->srv, of->gw, "ntp.nict.jp", SCN_DNS_A,
        &(struct scn_dns_rr){.type = SCN_DNS_A, .ttl = 300, .a = of->ext[EXT_NTP_NICT]->ip4}, 1, 0,
        9 * SCN_MS);
    for (; t < of->end; t += 64 * SCN_SEC * scn_rng_range(&s->rng, 4, 8))
        scn_ntp_sync(s, &(uint64_t){t}, of->srv, of->ext[EXT_NTP_NICT], 11 * SCN_MS);
}

static void print_job(struct scn *s, struct office *of, struct scn_host *h, uint64_t t)
{
    struct scn_tcp c;
    struct scn_buf b;

    scn_buf_init(&b);
    scn_buf_str(&b, "\x1b%-12345X@PJL\r\n@PJL SET JOBNAME=\"2026-11_seikyu.xlsx\"\r\n"
                    "@PJL SET USERNAME=\"tanaka\"\r\n@PJL ENTER LANGUAGE=PCLXL\r\n");
    scn_buf_rand(&b, &s->rng, scn_rng_range(&s->rng, 40000, 250000));
    scn_buf_str(&b, "\x1b%-12345X@PJL EOJ\r\n\x1b%-12345X");
    scn_arp_request(s, t, h, of->prn->ip4);
    scn_arp_reply(s, t + 900, of->prn, h);
    scn_tcp_open(s, &c, h, of->prn, 0, 9100, false, t + 2 * SCN_MS, 900);
    scn_tcp_send(s, &c, 0, b.p, b.len);
    scn_tcp_wait(&c, 800 * SCN_MS);
    scn_tcp_close(s, &c, 0);
    scn_buf_free(&b);
}

static void admin_work(struct scn *s, struct office *of, uint64_t t)
{
    struct scn_host *a = of->admin;
    struct scn_dns_rr mx = {
        .type = SCN_DNS_MX, .ttl = 3600, .pref = 10, .target = "mail." OFFICE_DOMAIN};

    /* nslookup -type=mx, ping, then SSH to the file server */
    scn_dns_lookup(s, &t, a, of->gw, OFFICE_DOMAIN, SCN_DNS_MX, &mx, 1, 0, 20 * SCN_MS);
    t += 3 * SCN_SEC;
    scn_ping(s, &t, a, of->ext[EXT_DNS_GOOGLE], 4, 6 * SCN_MS);
    t += 20 * SCN_SEC;
    scn_ssh_session(s, a, of->srv, t, 400, "SSH-2.0-OpenSSH_for_Windows_9.5",
                    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", 60);
    /* a typo: nothing listens on 2222, the server resets */
    scn_tcp_refused(s, a, of->srv, 2222, t - 5 * SCN_SEC, 300);
}

static void intranet_post(struct scn *s, struct office *of, struct scn_host *h, uint64_t t)
{
    struct scn_tcp c;
    char body[96];

    snprintf(body, sizeof(body), "emp=%u&type=in&note=", 1000 + (unsigned)h->index);
    scn_tcp_open(s, &c, h, of->srv, 0, 80, false, t, 400);
    scn_http_exchange(s, &c, "GET", "filesrv", "/kintai/",
                      "Mozilla/5.0 (Windows NT 10.0; "
                      "Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
                      "Safari/537.36",
                      NULL, NULL, 200, "text/html", 5200);
    scn_tcp_wait(&c, scn_rng_range(&s->rng, 2 * SCN_SEC, 9 * SCN_SEC));
    scn_http_exchange(s, &c, "POST", "filesrv", "/kintai/punch",
                      "Mozilla/5.0 (Windows NT 10.0; "
                      "Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
                      "Safari/537.36",
                      "application/x-www-form-urlencoded", body, 200, "text/html", 900);
    scn_tcp_wait(&c, scn_rng_range(&s->rng, 5 * SCN_SEC, 60 * SCN_SEC));
    scn_tcp_close(s, &c, 1);
}

void scn_gen_office(struct scn *s, const struct scenario_opts *o)
{
    static const char *const names[] = {
        "SOUMU-PC01", "KEIRI-PC01", "EIGYO-PC01", "EIGYO-PC02",    "SOUMU-PC02", "KEIRI-PC02",
        "EIGYO-PC03", "SHACHO-PC",  "design-mac", "KAIHATSU-PC01", "JIMU-PC01",  "ADMIN-PC",
    };
    static const uint8_t *const ouis[] = {scn_oui_dell, scn_oui_nec, scn_oui_hp, oui_dell_b, scn_oui_fujitsu};
    struct office of;
    unsigned npc = o->hosts ? MIN(o->hosts, 200u) : 10;
    uint64_t minutes = o->minutes ? MIN(o->minutes, 24u * 60u) : 30;

    memset(&of, 0, sizeof(of));
    of.start = SCN_EPOCH_US - 5 * SCN_MIN; /* 08:55 JST */
    of.end = of.start + minutes * SCN_MIN;
    for (size_t i = 0; i < ARRAY_SIZE(svcs); i++)
        of.svc_weight += svcs[i].weight;

    of.gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SCN_IP4(192, 168, 10, 1));
    of.srv = scn_host_new(s, "FILESRV", SCN_OS_LINUX, oui_dell_b, SCN_IP4(192, 168, 10, 5));
    of.prn = scn_host_new(s, "", SCN_OS_PRINTER, scn_oui_brother, SCN_IP4(192, 168, 10, 20));
    /* Brother's default host name is BRN + the MAC address. */
    snprintf(of.prn->name, sizeof(of.prn->name), "BRN%02X%02X%02X%02X%02X%02X", of.prn->mac[0],
             of.prn->mac[1], of.prn->mac[2], of.prn->mac[3], of.prn->mac[4], of.prn->mac[5]);

    for (size_t i = 0; i < ARRAY_SIZE(svcs); i++)
        svcs[i].host = scn_host_remote(s, of.gw, svcs[i].os, svcs[i].ip, NULL);
    static const struct {
        uint32_t ip;
        enum scn_os os;
    } ext[EXT_MAX] = {
        [EXT_APPLE_PUSH] = {SCN_IP4(17, 57, 146, 52), SCN_OS_LINUX},
        [EXT_ICLOUD] = {SCN_IP4(17, 248, 185, 8), SCN_OS_LINUX},
        [EXT_GOOGLE_API] = {SCN_IP4(142, 250, 196, 106), SCN_OS_LINUX},
        [EXT_NCSI] = {SCN_IP4(23, 215, 0, 136), SCN_OS_LINUX},
        [EXT_CTLDL] = {SCN_IP4(72, 21, 81, 240), SCN_OS_WINDOWS},
        [EXT_MAIL] = {SCN_IP4(203, 0, 113, 25), SCN_OS_LINUX},
        [EXT_NTP_NICT] = {SCN_IP4(133, 243, 238, 243), SCN_OS_LINUX},
        [EXT_NTP_WIN] = {SCN_IP4(20, 43, 94, 199), SCN_OS_WINDOWS},
        [EXT_NTP_APPLE] = {SCN_IP4(17, 253, 68, 125), SCN_OS_LINUX},
        [EXT_DNS_GOOGLE] = {SCN_IP4(8, 8, 8, 8), SCN_OS_LINUX},
    };
    for (size_t i = 0; i < EXT_MAX; i++)
        of.ext[i] = scn_host_remote(s, of.gw, ext[i].os, ext[i].ip, NULL);

    for (unsigned i = 0; i < npc; i++) {
        char name[32];
        if (i < ARRAY_SIZE(names))
            snprintf(name, sizeof(name), "%s", names[i]);
        else
            snprintf(name, sizeof(name), "JIMU-PC%02u", i - 8);
        bool mac = strcmp(name, "design-mac") == 0;
        of.pcs[of.npcs++] = scn_host_new(s, name, mac ? SCN_OS_MACOS : SCN_OS_WINDOWS,
                                         mac ? scn_oui_apple : ouis[i % ARRAY_SIZE(ouis)], 0);
        if (mac)
            of.mac = of.pcs[of.npcs - 1];
    }
    of.old_pc = of.npcs > 1 ? of.pcs[1] : of.pcs[0];
    of.admin = of.pcs[of.npcs - 1];
    if (of.admin == of.mac)
        of.admin = of.pcs[0];
    /* Phones: iOS uses a private (random, locally administered) MAC per
     * network by default; this Android user turned that off. */
    of.iphone = scn_host_new(s, "eigyou-iPhone", SCN_OS_IOS, scn_oui_apple, 0);
    scn_rng_bytes(&s->rng, of.iphone->mac, 3);
    of.iphone->mac[0] = (uint8_t)((of.iphone->mac[0] & 0xfc) | 0x02);
    of.android = scn_host_new(s, "Galaxy-S23", SCN_OS_ANDROID, oui_samsung, 0);
    of.pcs[of.npcs] = of.iphone;
    of.pcs[of.npcs + 1] = of.android;

    background(s, &of);

    /* Arrivals: 08:55 to a third into the period. */
    uint64_t span = (of.end - of.start) / 3;
    for (size_t i = 0; i < of.npcs; i++) {
        struct scn_host *h = of.pcs[i];
        uint64_t t = of.start + 20 * SCN_SEC + span * i / of.npcs +
                     scn_rng_range(&s->rng, 0, span / of.npcs);
        uint32_t addr = SCN_IP4(192, 168, 10, 100 + (uint32_t)i);
        join_pc(s, &of, h, addr, t);

        /* Work: browsing bursts every 40 s - 5 min until the end. */
        uint64_t w = t + scn_rng_range(&s->rng, 30 * SCN_SEC, 90 * SCN_SEC);
        while (w < of.end - 30 * SCN_SEC) {
            browse_burst(s, &of, h, w);
            w += scn_rng_range(&s->rng, 40 * SCN_SEC, 300 * SCN_SEC);
        }
        if (h->os == SCN_OS_WINDOWS && i % 3 == 0)
            intranet_post(s, &of, h, t + scn_rng_range(&s->rng, 40, 120) * SCN_SEC);
        if (h->os == SCN_OS_WINDOWS && i % 4 == 1 && h != of.old_pc)
            scn_smtp_session(s, h, of.ext[EXT_MAIL], 587,
                             t + scn_rng_range(&s->rng, 3, 15) * SCN_MIN / 2, office_rtt(s),
                             h->name, true, "mail." OFFICE_DOMAIN, NULL, NULL, NULL, NULL);
    }
    uint32_t nph = (uint32_t)of.npcs;
    join_phone(s, &of, of.iphone, SCN_IP4(192, 168, 10, 100 + nph),
               of.start + span / 2 + scn_rng_range(&s->rng, 0, span / 2));
    join_phone(s, &of, of.android, SCN_IP4(192, 168, 10, 101 + nph),
               of.start + span + scn_rng_range(&s->rng, 0, span / 2));

    /* The old accounting PC sends the invoices with AUTH LOGIN in clear. */
    scn_smtp_session(s, of.old_pc, of.ext[EXT_MAIL], 587, of.start + span + 4 * SCN_MIN,
                     office_rtt(s), of.old_pc->name, false, "mail." OFFICE_DOMAIN,
                     "tanaka@" OFFICE_DOMAIN, "Keiri2024!", "tanaka@" OFFICE_DOMAIN,
                     "billing@torihikisaki.example");
    {
        /* ...and fetches Windows root certificate updates over plain HTTP */
        uint64_t t = of.start + span + 6 * SCN_MIN;
        struct scn_tcp c;
        dns_a(s, &t, &of, of.old_pc, "ctldl.windowsupdate.com", "wu-bg-shim.trafficmanager.net",
              of.ext[EXT_CTLDL]->ip4);
        scn_tcp_open(s, &c, of.old_pc, of.ext[EXT_CTLDL], 0, 80, false, t + 300, office_rtt(s));
        scn_http_exchange(s, &c, "GET", "ctldl.windowsupdate.com",
                          "/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab",
                          "Microsoft-CryptoAPI/10.0", NULL, NULL, 200, "text/plain", 9400);
        scn_tcp_wait(&c, 300 * SCN_MS);
        scn_tcp_reset(s, &c, 0);
    }
    print_job(s, &of, of.pcs[0], of.start + span + 2 * SCN_MIN);
    if (of.npcs > 5)
        print_job(s, &of, of.pcs[5], of.start + 2 * span + 1 * SCN_MIN);
    admin_work(s, &of, of.start + span + 3 * SCN_MIN);
}
