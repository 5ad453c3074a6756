/* det-dos.c - dos: floods against the site or from it.
 *
 * Why: a flood against the office's server or router takes the shop
 * offline (web shop, VPN, phones); a flood FROM an office PC means the PC
 * is part of a botnet or runs a broken program, and the firm's Internet
 * line (and its reputation with the provider) suffers.
 *
 * Four signs, each counted in windows of dos.window_s (60 s) of packet time:
 *  - "request": one source sends more than dos.request_min application
 *    requests (DNS queries, HTTP requests, from the parsers' events) to one
 *    server, or opens more than dos.conn_min TCP connections to it. An
 *    office PC asks its resolver a few hundred names a minute at the very
 *    most; the Java InitialDirContext bug sent 3000 a minute for 11 min.
 *  - "syn": TCP connection attempts to one server port that never
 *    completed (no SYN+ACK, no data), summed over all sources by SYN
 *    packets: more than dos.syn_min. A port scan spreads over many ports,
 *    a server that is down gets a few retries per client.
 *  - "udp": one-way UDP (no packet back) to one host, more than
 *    dos.udp_min packets. Syslog, NetFlow/IPFIX/sFlow exports (one-way by
 *    design) and QUIC (443) are left out; multicast and broadcast too.
 *  - "amplification": one-way UDP from the reply ports of services that
 *    amplify (DNS 53, NTP 123, SSDP 1900, memcached 11211, CLDAP 389, SNMP
 *    161, chargen 19, ...) to a home host that never asked: more than
 *    dos.amp_min packets. Replies to questions the host did ask belong to
 *    flows the host started, so they are not counted.
 * Flow-based signs count at flow end; a flow longer than the window adds
 * its share of one window (packets x window / duration), so a day-long
 * one-way stream is judged by its rate, not its total.
 *
 * Severity: from a home source (to anywhere) high; from outside against a
 * home host medium (an amplification at a home host medium). Floods between
 * two outside addresses are not ours.
 *
 * Key: "dos|<variant>|<src or *>|<target>|<date>", count = windows over the
 * threshold. Facts: target, port, rate (per window, the peak), window_s,
 * sources (distinct), what ("DNS queries", "SYN", ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/util.h"

enum dos_kind { K_REQUEST = 1, K_CONN, K_SYN, K_UDP, K_AMP };

struct dos_key {
    struct ip_addr src;   /* zero for per-target kinds */
    struct ip_addr dst;
    uint16_t port;
    uint8_t kind;
    uint8_t pad;
};

#define DOS_FLOWS 4

struct dos_state {
    uint64_t start_us, first_us, last_us;
    uint64_t n;            /* this window */
    uint64_t peak;
    struct dcount srcs;
    struct ip_addr src1;   /* first source */
    bool pending;          /* this window is over the threshold: raise when it closes */
    uint8_t nflows;
    uint8_t what;          /* 1: DNS, 2: HTTP, 3: other */
    uint64_t flows[DOS_FLOWS];
};

struct det_dos {
    struct detect *d;
    struct track *t;
    uint64_t window_us;
    uint32_t request_min, conn_min, syn_min, udp_min, amp_min;
    uint64_t last_expire_us;
};

static const struct detect_param dos_params[] = {
    {"dos.window_s", 60, 1, 3600},
    {"dos.request_min", 1200, 10, 1u << 30},
    {"dos.conn_min", 3000, 10, 1u << 30},
    {"dos.syn_min", 3000, 10, 1u << 30},
    {"dos.udp_min", 30000, 10, 1u << 30},
    {"dos.amp_min", 3000, 10, 1u << 30},
    {"dos.max_tracked", 16384, 64, 1u << 22},
    {NULL, 0, 0, 0},
};

static void dos_drop(void *arg, const void *key, void *val);

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void dos_reconfigure(void *st)
{
    struct det_dos *s = st;
    struct detect *d = s->d;
    s->window_us = (uint64_t)detect_param(d, "dos.window_s") * 1000000u;
    s->request_min = detect_param(d, "dos.request_min");
    s->conn_min = detect_param(d, "dos.conn_min");
    s->syn_min = detect_param(d, "dos.syn_min");
    s->udp_min = detect_param(d, "dos.udp_min");
    s->amp_min = detect_param(d, "dos.amp_min");
}

static void *dos_create(struct detect *d)
{
    struct det_dos *s = xcalloc(1, sizeof(*s));
    s->d = d;
    dos_reconfigure(s);
    s->t = track_new(sizeof(struct dos_key), sizeof(struct dos_state),
                     detect_param(d, "dos.max_tracked"));
    track_set_drop(s->t, dos_drop, s);
    return s;
}

static void dos_destroy(void *st)
{
    struct det_dos *s = st;
    track_set_drop(s->t, NULL, NULL);
    track_free(s->t);
    free(s);
}

/* Unicast, not loopback, not unspecified. */
static bool dos_unicast(const struct ip_addr *a)
{
    if (ip_addr_is_v4(a)) {
        uint8_t b0 = a->b[12];
        return b0 != 0 && b0 != 127 && b0 < 224 && a->b[15] != 255;
    }
    static const uint8_t lo6[16] = {[15] = 1};
    return a->b[0] != 0xff && memcmp(a->b, lo6, 16) != 0 && !ip_addr_is_unspecified(a);
}

static const char *dos_variant(enum dos_kind k)
{
    switch (k) {
    case K_REQUEST:
    case K_CONN:
        return "request";
    case K_SYN:
        return "syn";
    case K_UDP:
        return "udp";
    default:
        return "amplification";
    }
}

static const char *dos_what(enum dos_kind k, uint8_t what)
{
    if (k == K_REQUEST)
        return what == 1 ? "DNS queries" : what == 2 ? "HTTP requests" : "requests";
    if (k == K_CONN)
        return "TCP connections";
    if (k == K_SYN)
        return "SYN packets";
    return "UDP packets";
}

static void dos_raise(struct det_dos *s, const struct dos_key *k, struct dos_state *v,
                      uint64_t ts_us)
{
    v->pending = false;
    bool from_home = detect_is_home(s->d, &v->src1);
    bool to_home = detect_is_home(s->d, &k->dst);
    if (!from_home && !to_home)
        return; /* two outside parties: not the site's business */
    enum alert_severity sev = from_home && k->kind != K_AMP ? SEV_HIGH : SEV_MEDIUM;
    struct alert a;
    alert_init(&a, "dos", sev, v->first_us ? v->first_us : ts_us);
    a.last_ts_us = ts_us;
    a.has_src = true;
    a.src = v->src1;
    a.has_dst = true;
    a.dst = k->dst;
    a.dport = k->port;
    a.proto = k->kind == K_SYN || k->kind == K_CONN ? IPPROTO_NUM_TCP
              : k->kind == K_REQUEST                ? 0
                                                    : IPPROTO_NUM_UDP;
    alert_fact_str(&a, "variant", dos_variant(k->kind));
    if (from_home)
        detect_alert_device_ip(s->d, &a, &v->src1);
    else
        detect_alert_device_ip(s->d, &a, &k->dst);
    char dst[48], src[48], date[16];
    ip_addr_fmt(&k->dst, dst, sizeof(dst));
    ip_addr_fmt(&v->src1, src, sizeof(src));
    alert_fact_str(&a, "target", dst);
    if (k->port)
        alert_fact_int(&a, "port", k->port);
    alert_fact_int(&a, "rate", (long long)v->peak);
    alert_fact_int(&a, "window_s", (long long)(s->window_us / 1000000u));
    alert_fact_int(&a, "sources", dcount_get(&v->srcs));
    alert_fact_str(&a, "what", dos_what(k->kind, v->what));
    alert_fact_str(&a, "direction", from_home ? "from" : "against");
    for (unsigned i = 0; i < v->nflows; i++)
        alert_add_flow(&a, v->flows[i]);
    alert_date(ts_us, date);
    /* Per-target kinds may come from many (spoofed) sources: one alert per
     * target; a request flood is about one client and one server. */
    bool pair = k->kind == K_REQUEST || k->kind == K_CONN;
    alert_set_key(&a, "dos|%s|%s|%s|%s", dos_variant(k->kind), pair ? src : "*", dst, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

/* Adds n occurrences at time ts_us; raises once per window over min. */
static void dos_add(struct det_dos *s, const struct dos_key *k, const struct ip_addr *src,
                    uint64_t n, uint64_t min, uint64_t ts_us, uint64_t flow_id, uint8_t what)
{
    struct dos_state *v = track_get(s->t, k, ts_us, NULL);
    if (!v->start_us || (ts_us > v->start_us && ts_us - v->start_us >= s->window_us)) {
        if (v->pending)
            dos_raise(s, k, v, v->last_us);
        v->start_us = ts_us;
        v->n = 0;
        v->pending = false;
    }
    if (!v->first_us) {
        v->first_us = ts_us;
        v->src1 = *src;
    }
    v->last_us = ts_us;
    v->n += n;
    if (v->n > v->peak)
        v->peak = v->n;
    if (what)
        v->what = what;
    dcount_add(&v->srcs, track_hash_ip(src));
    if (flow_id && v->nflows < DOS_FLOWS) {
        bool dup = false;
        for (unsigned i = 0; i < v->nflows; i++)
            dup |= v->flows[i] == flow_id;
        if (!dup)
            v->flows[v->nflows++] = flow_id;
    }
    if (v->n >= min)
        v->pending = true;
}

static void dos_app_event(void *st, const struct app_event *ev)
{
    struct det_dos *s = st;
    if (ev->dir != 0 || !ev->f)
        return;
    uint8_t what;
    if (strcmp(ev->type, "dns") == 0) {
        const char *t = json_string_value(json_object_get(ev->body, "type"));
        if (!t || strcmp(t, "query") != 0)
            return;
        what = 1;
    } else if (strcmp(ev->type, "http") == 0) {
        what = 2;
    } else {
        return;
    }
    const struct flow *f = ev->f;
    if (!dos_unicast(&f->dst) || !dos_unicast(&f->src))
        return;
    struct dos_key k;
    memset(&k, 0, sizeof(k));
    k.src = f->src;
    k.dst = f->dst;
    k.port = f->dport;
    k.kind = K_REQUEST;
    dos_add(s, &k, &f->src, 1, s->request_min, ev->ts_us, f->id, what);
}

static void dos_flow_start(void *st, const struct flow *f)
{
    if (f->proto != IPPROTO_NUM_TCP || !f->syn_seen[0])
        return;
    struct det_dos *s = st;
    if (!dos_unicast(&f->dst) || !dos_unicast(&f->src))
        return;
    struct dos_key k;
    memset(&k, 0, sizeof(k));
    k.src = f->src;
    k.dst = f->dst;
    k.port = f->dport;
    k.kind = K_CONN;
    dos_add(s, &k, &f->src, 1, s->conn_min, f->first_ts_us, f->id, 0);
}

static bool dos_amp_port(uint16_t p)
{
    static const uint16_t ports[] = {17,  19,   53,   69,   111,  123,  137,   161,  389,
                                     520, 1900, 3283, 3702, 5353, 5683, 10001, 11211};
    for (size_t i = 0; i < ARRAY_SIZE(ports); i++)
        if (ports[i] == p)
            return true;
    return false;
}

/* One-way by design: syslog, NetFlow, IPFIX, sFlow; QUIC is two-way but a
 * capture of one direction would make every download look one-way. */
static bool dos_oneway_port(uint16_t p)
{
    return p == 514 || p == 2055 || p == 4739 || p == 6343 || p == 9995 || p == 9996 ||
           p == 443;
}

/* Packets of a flow that fall in one window (all of them for a flow
 * shorter than the window). */
static uint64_t dos_share(const struct det_dos *s, const struct flow *f, uint64_t pkts)
{
    uint64_t dur = f->last_ts_us > f->first_ts_us ? f->last_ts_us - f->first_ts_us : 0;
    if (dur <= s->window_us)
        return pkts;
    return (uint64_t)((double)pkts * (double)s->window_us / (double)dur);
}

static void dos_flow(void *st, const struct flow *f)
{
    struct det_dos *s = st;
    struct dos_key k;
    if (f->proto == IPPROTO_NUM_TCP) {
        if (!f->syn_seen[0] || f->synack_seen || f->data_bytes[0] || f->data_bytes[1])
            return;
        if (!dos_unicast(&f->dst))
            return;
        memset(&k, 0, sizeof(k));
        k.dst = f->dst;
        k.port = f->dport;
        k.kind = K_SYN;
        dos_add(s, &k, &f->src, dos_share(s, f, f->pkts[0]), s->syn_min, f->last_ts_us, f->id,
                0);
        return;
    }
    if (f->proto != IPPROTO_NUM_UDP || f->pkts[1] || !dos_unicast(&f->dst) ||
        !dos_unicast(&f->src))
        return;
    if (dos_oneway_port(f->dport) || dos_oneway_port(f->sport))
        return;
    memset(&k, 0, sizeof(k));
    k.dst = f->dst;
    bool amp = dos_amp_port(f->sport) && f->sport < f->dport &&
               !detect_is_home(s->d, &f->src) && detect_is_home(s->d, &f->dst);
    k.kind = amp ? K_AMP : K_UDP;
    k.port = amp ? f->sport : 0;
    dos_add(s, &k, &f->src, dos_share(s, f, f->pkts[0]), amp ? s->amp_min : s->udp_min,
            f->last_ts_us, f->id, 0);
}

/* An entry going away (idle, evicted, end of run) raises its last window. */
static void dos_drop(void *arg, const void *key, void *val)
{
    struct dos_state *v = val;
    if (v->pending)
        dos_raise(arg, key, v, v->last_us);
}

static void dos_finish(void *st)
{
    struct det_dos *s = st;
    track_each(s->t, dos_drop, s);
}

static void dos_tick(void *st, uint64_t now_us)
{
    struct det_dos *s = st;
    if (now_us - s->last_expire_us < 10u * 1000000u)
        return;
    s->last_expire_us = now_us;
    /* Flow-end contributions arrive up to a flow timeout late; keep entries
     * for a few windows and the longest idle timeout that matters. */
    uint64_t keep = 3 * s->window_us + 300u * 1000000u;
    if (now_us > keep)
        track_expire(s->t, now_us - keep, dos_drop, s);
}

const struct detector_ops det_dos = {
    .name = "dos",
    .params = dos_params,
    .create = dos_create,
    .reconfigure = dos_reconfigure,
    .destroy = dos_destroy,
    .flow_start = dos_flow_start,
    .flow = dos_flow,
    .app_event = dos_app_event,
    .tick = dos_tick,
    .finish = dos_finish,
};
