/* scn-behaviour.c - scenarios for the behaviour detectors, beacon and
 * exfil.upload (expectations in tests/golden/scenarios-behaviour.tsv).
 *
 * One small office, 192.168.60.0/24, gateway 192.168.60.1 (Yamaha router:
 * DNS forwarder). Only the connections that matter are written, with small
 * payloads, over hours or days of packet time; the big uploads are 64 kB
 * segments (as a capture with TSO/GRO shows them) cut after their headers
 * and 16 bytes of data, with their real length on the wire kept in the
 * record, so a 2 GB upload is 33 000 short records.
 *
 *  behaviour-beacon-c2        PC beacons over TLS to a named C2 every 60 s
 *                             +-20% for 3 hours (positive)
 *  behaviour-beacon-missing   PC posts to a bare IP on 8080 every 5 min
 *                             +-10%, 30% of the beats missing, 4 hours
 *                             (positive, high)
 *  behaviour-beacon-quiet     NTP every 1024 s, Windows telemetry checks,
 *                             Teams relay checks from every PC, POP3
 *                             polling every 5 min, a printer phoning home
 *                             (negative)
 *  behaviour-exfil-night      after two ordinary days, 2 GB at 01:30 to a
 *                             host the PC never used (positive, high)
 *  behaviour-exfil-backup     2 GB to the same cloud every night at 02:00
 *                             for 3 nights (negative: learning, then history)
 *  behaviour-exfil-call       after an ordinary day, a one-hour video call
 *                             of 650 MB each way to a new host (negative)
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define BHV_IP(x) SCN_IP4(192, 168, 60, (x))
#define BHV_HOUR (3600ull * SCN_SEC)
#define BHV_DAY (24 * BHV_HOUR)

struct bhv_net {
    struct scn_host *gw;
    struct scn_host *pc[4];
};

static void bhv_net_init(struct scn *s, struct bhv_net *n, unsigned npc)
{
    static const char *const names[4] = {"SOUMU-PC01", "EIGYO-PC02", "KEIRI-PC03", "SEKKEI-PC04"};
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, BHV_IP(1));
    for (unsigned i = 0; i < npc && i < 4; i++)
        n->pc[i] = scn_host_new(s, names[i], SCN_OS_WINDOWS, i & 1 ? scn_oui_hp : scn_oui_dell,
                                BHV_IP(21 + i));
}

static uint64_t bhv_rtt(struct scn *s)
{
    return scn_rng_range(&s->rng, 8 * SCN_MS, 25 * SCN_MS);
}

/* A lookup of name (A record ip) through the gateway. */
static void bhv_dns(struct scn *s, uint64_t *t, struct bhv_net *n, struct scn_host *cli,
                    const char *name, uint32_t ip)
{
    struct scn_dns_rr an;
    memset(&an, 0, sizeof(an));
    an.type = SCN_DNS_A;
    an.ttl = 300;
    an.a = ip;
    scn_dns_lookup(s, t, cli, n->gw, name, SCN_DNS_A, &an, 1, 0, bhv_rtt(s) / 2);
}

/* A short HTTPS exchange: handshake, up bytes, down bytes, close. */
static void bhv_tls(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint16_t port,
                    const char *sni, uint64_t t0, size_t up, size_t down)
{
    struct scn_tcp c;
    scn_tcp_open(s, &c, cli, srv, 0, port, false, t0, bhv_rtt(s));
    scn_tls_handshake(s, &c, SCN_TLS_CHROME, sni, "h2,http/1.1", true, sni, NULL);
    scn_tls_data(s, &c, 0, up);
    scn_tls_data(s, &c, 1, down);
    scn_tcp_close(s, &c, 0);
}

/* Some ordinary browsing by h around t0: a few sites, small uploads. */
static void bhv_browse(struct scn *s, struct bhv_net *n, struct scn_host *h, struct scn_host **web,
                       const char *const *names, unsigned nweb, uint64_t t0, unsigned visits)
{
    uint64_t t = t0;
    for (unsigned i = 0; i < visits; i++) {
        unsigned k = (unsigned)scn_rng_range(&s->rng, 0, nweb - 1);
        bhv_dns(s, &t, n, h, names[k], web[k]->ip4);
        scn_https_visit(s, h, web[k], names[k], SCN_TLS_CHROME, true, t, bhv_rtt(s), 3,
                        scn_rng_range(&s->rng, 2000, 40000), scn_rng_range(&s->rng, 50000, 400000));
        t += scn_rng_range(&s->rng, 2 * SCN_MIN, 25 * SCN_MIN);
    }
}

/* len bytes from side dir of an open session in 64 kB segments over
 * duration_us, each record cut after 16 bytes of data; the other side ACKs
 * every 8th segment. IPv4 only. */
static void bhv_bulk(struct scn *s, struct scn_tcp *c, int dir, uint64_t len, uint64_t duration_us)
{
    enum { SEG = 64000, KEEP = 16 };
    uint64_t nseg = (len + SEG - 1) / SEG;
    uint64_t gap = nseg ? duration_us / nseg : 0;
    const struct scn_ep *src = &c->ep[dir], *dst = &c->ep[1 - dir];
    uint8_t pkt[40 + KEEP];
    uint64_t t = c->t;
    for (uint64_t i = 0; i < nseg; i++) {
        uint32_t n = (uint32_t)MIN((uint64_t)SEG, len - i * SEG);
        uint32_t total = 40 + n;
        memset(pkt, 0, 40);
        pkt[0] = 0x45;
        pkt[2] = (uint8_t)(total >> 8);
        pkt[3] = (uint8_t)total;
        pkt[6] = 0x40; /* DF */
        pkt[8] = src->ttl;
        pkt[9] = 6;
        for (int b = 0; b < 4; b++) {
            pkt[12 + b] = (uint8_t)(src->ip4 >> (24 - 8 * b));
            pkt[16 + b] = (uint8_t)(dst->ip4 >> (24 - 8 * b));
        }
        uint8_t *tcp = pkt + 20;
        tcp[0] = (uint8_t)(c->port[dir] >> 8);
        tcp[1] = (uint8_t)c->port[dir];
        tcp[2] = (uint8_t)(c->port[1 - dir] >> 8);
        tcp[3] = (uint8_t)c->port[1 - dir];
        for (int b = 0; b < 4; b++) {
            tcp[4 + b] = (uint8_t)(c->seq[dir] >> (24 - 8 * b));
            tcp[8 + b] = (uint8_t)(c->seq[1 - dir] >> (24 - 8 * b));
        }
        tcp[12] = 5 << 4;
        tcp[13] = SCN_TH_ACK | SCN_TH_PSH;
        tcp[14] = (uint8_t)(c->win[dir] >> 8);
        tcp[15] = (uint8_t)c->win[dir];
        scn_rng_bytes(&s->rng, pkt + 40, KEEP);
        /* The checksum covers bytes the record does not hold: left 0, as a
         * capture with checksum offload shows it. */
        scn_emit_frame_cut(s, t, src->mac, dst->mac, 0x0800, pkt, sizeof(pkt), total, src->host);
        c->seq[dir] += n;
        if ((i & 7) == 7 || i + 1 == nseg)
            scn_tcp_seg(s, c, 1 - dir, t + c->rtt_us / 2, SCN_TH_ACK, c->seq[1 - dir], c->seq[dir],
                        NULL, 0);
        t += gap;
    }
    c->t = t + c->rtt_us;
    c->last_dir = 1 - dir;
    c->pend[dir] = false;
}

/* ------------------------------------------------------------ beacons */

/* The infected PC checks in with api.cdn-sync-check.com (TLS, small
 * request, small answer) every 60 s +-20% for 3 hours, while it and a
 * colleague browse a little. */
static void gen_beacon_c2(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct bhv_net n;
    bhv_net_init(s, &n, 2);
    static const char *const web_names[2] = {"www.yahoo.co.jp", "www.jma.go.jp"};
    struct scn_host *web[2] = {
        scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(183, 79, 219, 252), NULL),
        scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(23, 53, 41, 104), NULL),
    };
    struct scn_host *c2 = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 45), NULL);
    uint64_t t = SCN_EPOCH_US + 5 * SCN_MIN;
    bhv_dns(s, &t, &n, n.pc[0], "api.cdn-sync-check.com", c2->ip4);
    uint64_t end = t + 3 * BHV_HOUR;
    while (t < end) {
        bhv_tls(s, n.pc[0], c2, 443, "api.cdn-sync-check.com", t, scn_rng_range(&s->rng, 180, 260),
                scn_rng_range(&s->rng, 90, 400));
        t += scn_rng_range(&s->rng, 48 * SCN_SEC, 72 * SCN_SEC);
    }
    bhv_browse(s, &n, n.pc[0], web, web_names, 2, SCN_EPOCH_US + 10 * SCN_MIN, 8);
    bhv_browse(s, &n, n.pc[1], web, web_names, 2, SCN_EPOCH_US + 20 * SCN_MIN, 8);
}

/* Emotet-style: HTTP POSTs with random paths to a bare address on 8080
 * every 5 min +-10%, nearly a third of the beats lost (the C2 was busy, the
 * PC slept), for 4 hours. No DNS lookup. */
static void gen_beacon_missing(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    static const char *const ua = "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; WOW64; "
                                  "Trident/7.0; .NET CLR 2.0.50727)";
    struct bhv_net n;
    bhv_net_init(s, &n, 1);
    struct scn_host *c2 = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 23), NULL);
    uint64_t beat = SCN_EPOCH_US + 3 * SCN_MIN;
    uint64_t end = beat + 4 * BHV_HOUR;
    for (; beat < end; beat += 5 * SCN_MIN) {
        if (scn_rng_range(&s->rng, 0, 99) < 30)
            continue;
        uint64_t t = beat - 30 * SCN_SEC + scn_rng_range(&s->rng, 0, 60 * SCN_SEC);
        struct scn_tcp c;
        char path[40], body[200];
        struct scn_buf b;
        scn_buf_init(&b);
        scn_buf_rand(&b, &s->rng, 90);
        size_t k = 0;
        for (size_t i = 0; i < b.len && k + 1 < sizeof(body); i++)
            body[k++] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[b.p[i] % 62];
        body[k] = '\0';
        snprintf(path, sizeof(path), "/%c%c%c%u/%c%c/", body[0], body[1], body[2],
                 (unsigned)scn_rng_range(&s->rng, 10, 99), body[3], body[4]);
        scn_buf_free(&b);
        scn_tcp_open(s, &c, n.pc[0], c2, 0, 8080, false, t, bhv_rtt(s));
        scn_http_exchange(s, &c, "POST", "198.51.100.23:8080", path, ua,
                          "application/x-www-form-urlencoded", body, 200, "text/html",
                          scn_rng_range(&s->rng, 130, 180));
        scn_tcp_close(s, &c, 0);
    }
}

/* Things that repeat all day in any office and must stay quiet. */
static void gen_beacon_quiet(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct bhv_net n;
    bhv_net_init(s, &n, 4);
    struct scn_host *prn = scn_host_new(s, "", SCN_OS_PRINTER, scn_oui_brother, BHV_IP(50));
    struct scn_host *ntp = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(133, 243, 238, 163),
                                           NULL);
    struct scn_host *ms = scn_host_remote(s, n.gw, SCN_OS_WINDOWS, SCN_IP4(20, 42, 65, 92), NULL);
    struct scn_host *relay = scn_host_remote(s, n.gw, SCN_OS_WINDOWS, SCN_IP4(52, 112, 9, 14),
                                             NULL);
    struct scn_host *mail = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(210, 131, 2, 40), NULL);
    struct scn_host *brcloud = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 80),
                                               NULL);
    uint64_t start = SCN_EPOCH_US + 2 * SCN_MIN;
    uint64_t end = start + 3 * BHV_HOUR;

    /* NTP every 1024 s from each PC (Windows time service to ntp.nict.jp). */
    for (unsigned p = 0; p < 4; p++) {
        uint64_t t = start + p * 37 * SCN_SEC;
        bhv_dns(s, &t, &n, n.pc[p], "ntp.nict.jp", ntp->ip4);
        for (; t < end; t += 1024 * SCN_SEC) {
            uint64_t u = t;
            scn_ntp_sync(s, &u, n.pc[p], ntp, bhv_rtt(s));
        }
    }
    /* Windows telemetry/update checks from one PC every 2 min +-10%. */
    {
        uint64_t t = start + 11 * SCN_SEC;
        bhv_dns(s, &t, &n, n.pc[0], "v10.events.data.microsoft.com", ms->ip4);
        while (t < end) {
            bhv_tls(s, n.pc[0], ms, 443, "v10.events.data.microsoft.com", t,
                    scn_rng_range(&s->rng, 900, 1100), scn_rng_range(&s->rng, 200, 260));
            t += scn_rng_range(&s->rng, 108 * SCN_SEC, 132 * SCN_SEC);
        }
    }
    /* Teams checks each PC's path to its media relay: a STUN binding from a
     * new socket to the same relay address every 60 s, from every PC. */
    for (unsigned p = 0; p < 4; p++) {
        for (uint64_t t = start + p * 3 * SCN_SEC; t < end;
             t += scn_rng_range(&s->rng, 58 * SCN_SEC, 62 * SCN_SEC)) {
            uint16_t sport = scn_host_port(s, n.pc[p]);
            uint8_t req[20], resp[32];
            struct scn_ep a = scn_ep4(n.pc[p]), b = scn_ep4(relay);
            memset(req, 0, sizeof(req));
            req[1] = 0x01; /* Binding request */
            req[4] = 0x21;
            req[5] = 0x12;
            req[6] = 0xa4;
            req[7] = 0x42; /* magic cookie */
            scn_rng_bytes(&s->rng, req + 8, 12);
            memcpy(resp, req, 20);
            resp[0] = 0x01;
            resp[1] = 0x01; /* Binding success */
            resp[3] = 12;
            memset(resp + 20, 0, 12);
            resp[21] = 0x20; /* XOR-MAPPED-ADDRESS */
            resp[23] = 8;
            resp[25] = 0x01;
            scn_udp(s, t, &a, &b, sport, 3478, req, sizeof(req));
            scn_udp(s, t + bhv_rtt(s), &b, &a, 3478, sport, resp, sizeof(resp));
        }
    }
    /* POP3 polling every 5 min from one PC (Outlook, mail kept at the ISP). */
    {
        uint64_t t = start + 40 * SCN_SEC;
        bhv_dns(s, &t, &n, n.pc[1], "pop.example-isp.ne.jp", mail->ip4);
        for (; t < end; t += 5 * SCN_MIN) {
            struct scn_tcp c;
            static const char *const lines[][2] = {
                {NULL, "+OK POP3 server ready\r\n"},
                {"USER eigyo@example-kogyo.co.jp\r\n", "+OK\r\n"},
                {"PASS Sakura2024\r\n", "+OK 0 messages\r\n"},
                {"STAT\r\n", "+OK 0 0\r\n"},
                {"QUIT\r\n", "+OK bye\r\n"},
            };
            scn_tcp_open(s, &c, n.pc[1], mail, 0, 110, false, t, bhv_rtt(s));
            for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
                if (lines[i][0])
                    scn_tcp_send(s, &c, 0, lines[i][0], strlen(lines[i][0]));
                scn_tcp_send(s, &c, 1, lines[i][1], strlen(lines[i][1]));
            }
            scn_tcp_close(s, &c, 1);
        }
    }
    /* The printer reports its toner level to the vendor's cloud every 3 min. */
    {
        uint64_t t = start + 70 * SCN_SEC;
        bhv_dns(s, &t, &n, prn, "mfc-status.example-printcloud.com", brcloud->ip4);
        for (; t < end; t += 180 * SCN_SEC)
            bhv_tls(s, prn, brcloud, 443, "mfc-status.example-printcloud.com", t, 420, 180);
    }
}

/* ------------------------------------------------------------- uploads */

/* A TLS session to srv (name sni) at t0 carrying up bytes out and down
 * bytes back over duration_us. */
static void bhv_transfer(struct scn *s, struct scn_host *cli, struct scn_host *srv,
                         const char *sni, uint64_t t0, uint64_t up, uint64_t down,
                         uint64_t duration_us)
{
    struct scn_tcp c;
    scn_tcp_open(s, &c, cli, srv, 0, 443, false, t0, bhv_rtt(s));
    scn_tls_handshake(s, &c, SCN_TLS_CHROME, sni, "h2,http/1.1", true, sni, NULL);
    if (up)
        bhv_bulk(s, &c, 0, up, duration_us);
    if (down)
        bhv_bulk(s, &c, 1, down, duration_us / 4);
    scn_tcp_close(s, &c, 0);
}

static const char *const office_web_names[3] = {"www.yahoo.co.jp", "www.jma.go.jp",
                                                 "www.nta.go.jp"};

static void bhv_web(struct scn *s, struct bhv_net *n, struct scn_host *web[3])
{
    web[0] = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(183, 79, 219, 252), NULL);
    web[1] = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(23, 53, 41, 104), NULL);
    web[2] = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(160, 17, 11, 3), NULL);
}

/* Two ordinary days (browsing, a 20 MB mail attachment), then at 01:30 on
 * the third day 2 GB in 40 minutes to a host the PC never used. */
static void gen_exfil_night(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct bhv_net n;
    bhv_net_init(s, &n, 2);
    struct scn_host *web[3];
    bhv_web(s, &n, web);
    struct scn_host *o365 = scn_host_remote(s, n.gw, SCN_OS_WINDOWS, SCN_IP4(52, 98, 152, 178),
                                            NULL);
    struct scn_host *drop = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 50), NULL);
    for (unsigned day = 0; day < 2; day++) {
        uint64_t d0 = SCN_EPOCH_US + day * BHV_DAY;
        for (unsigned p = 0; p < 2; p++)
            bhv_browse(s, &n, n.pc[p], web, office_web_names, 3, d0 + (5 + p) * SCN_MIN, 10);
        uint64_t t = d0 + 3 * BHV_HOUR;
        bhv_dns(s, &t, &n, n.pc[0], "outlook.office365.com", o365->ip4);
        bhv_transfer(s, n.pc[0], o365, "outlook.office365.com", t, 20 * 1000000ull, 200000,
                     40 * SCN_SEC);
    }
    /* Day 2, 01:30 JST = day 1 + 16.5 h after 09:00. */
    uint64_t t = SCN_EPOCH_US + BHV_DAY + 16 * BHV_HOUR + 30 * SCN_MIN;
    bhv_dns(s, &t, &n, n.pc[0], "u7.filedrop-storage.net", drop->ip4);
    bhv_transfer(s, n.pc[0], drop, "u7.filedrop-storage.net", t, 2000 * 1000000ull, 3000000,
                 40 * SCN_MIN);
}

/* The NAS backs itself up to the same cloud every night at 02:00: 2 GB in
 * an hour, three nights running. */
static void gen_exfil_backup(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct bhv_net n;
    bhv_net_init(s, &n, 1);
    struct scn_host *nas = scn_host_new(s, "NAS01", SCN_OS_LINUX, scn_oui_synology, BHV_IP(10));
    struct scn_host *web[3];
    bhv_web(s, &n, web);
    struct scn_host *cloud = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 120),
                                             NULL);
    for (unsigned day = 0; day < 3; day++) {
        uint64_t d0 = SCN_EPOCH_US + day * BHV_DAY;
        bhv_browse(s, &n, n.pc[0], web, office_web_names, 3, d0 + 5 * SCN_MIN, 8);
        /* The NAS checks for updates in the morning (first seen at 09:10). */
        uint64_t t = d0 + 10 * SCN_MIN;
        bhv_dns(s, &t, &n, nas, "www.nta.go.jp", web[2]->ip4);
        bhv_tls(s, nas, web[2], 443, "www.nta.go.jp", t, 600, 4000);
        t = d0 + 17 * BHV_HOUR; /* 02:00 JST the next night */
        bhv_dns(s, &t, &n, nas, "backup.example-cloud.jp", cloud->ip4);
        bhv_transfer(s, nas, cloud, "backup.example-cloud.jp", t, 2000 * 1000000ull, 2000000,
                     60 * SCN_MIN);
    }
}

/* An ordinary day, then a one-hour video call with a customer through a
 * conferencing service the office never used: 650 MB each way. */
static void gen_exfil_call(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct bhv_net n;
    bhv_net_init(s, &n, 1);
    struct scn_host *web[3];
    bhv_web(s, &n, web);
    struct scn_host *conf = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 200),
                                            NULL);
    bhv_browse(s, &n, n.pc[0], web, office_web_names, 3, SCN_EPOCH_US + 5 * SCN_MIN, 10);
    uint64_t t = SCN_EPOCH_US + BHV_DAY + 1 * BHV_HOUR;
    bhv_browse(s, &n, n.pc[0], web, office_web_names, 3, SCN_EPOCH_US + BHV_DAY, 4);
    bhv_dns(s, &t, &n, n.pc[0], "meet7.example-conference.com", conf->ip4);
    struct scn_tcp c;
    scn_tcp_open(s, &c, n.pc[0], conf, 0, 443, false, t, bhv_rtt(s));
    scn_tls_handshake(s, &c, SCN_TLS_CHROME, "meet7.example-conference.com", "h2,http/1.1", true,
                      "meet7.example-conference.com", NULL);
    /* Media both ways, interleaved in 5-minute pieces. */
    for (unsigned i = 0; i < 12; i++) {
        bhv_bulk(s, &c, 0, 54 * 1000000ull, 150 * SCN_SEC);
        bhv_bulk(s, &c, 1, 54 * 1000000ull, 150 * SCN_SEC);
    }
    scn_tcp_close(s, &c, 0);
}

const struct scenario scn_table_behaviour[] = {
    {"behaviour-beacon-c2", "PC checks in with a C2 name over TLS every 60 s +-20% for 3 hours",
     gen_beacon_c2},
    {"behaviour-beacon-missing",
     "HTTP POSTs to a bare IP on 8080 every 5 min, 30% of beats missing, 4 hours",
     gen_beacon_missing},
    {"behaviour-beacon-quiet",
     "NTP, Windows telemetry, Teams relay keepalives, POP3 polling, printer cloud: no beacon",
     gen_beacon_quiet},
    {"behaviour-exfil-night", "2 GB at 01:30 to a host the PC never used, after two normal days",
     gen_exfil_night},
    {"behaviour-exfil-backup", "NAS backs up 2 GB to the same cloud every night for 3 nights",
     gen_exfil_backup},
    {"behaviour-exfil-call", "one-hour video call, 650 MB each way, to a new host", gen_exfil_call},
    {.name = NULL},
};
