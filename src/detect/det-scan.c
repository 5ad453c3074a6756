/* det-scan.c - scan.port (vertical: one source tries many ports of one host)
 * and scan.host (horizontal: one source tries one port on many hosts).
 *
 * Why: the Internet scans every address every day, so inbound scans are
 * background noise to record, once per scanner and day; a PC on the LAN
 * scanning its neighbours or the Internet is almost always malware or an
 * intruder looking for the next victim, and is serious.
 *
 * Input: ended flows only (the flow hook; no per-packet work). A flow is a
 * probe when nothing was said in it:
 *  - TCP opened with a SYN and no payload either way: "syn" (unanswered,
 *    refused, or a half-open/connect scan that found the port open: the
 *    SYN+ACK is remembered as an open port);
 *  - TCP whose initiator never sent SYN, ACK or RST: NULL, FIN, Xmas
 *    (FIN+PSH+URG) and other flag mixes no TCP stack sends on its own
 *    ("stealth" probes). These are scans by themselves: scan.stealth_min;
 *  - UDP with at most 3 packets, no answer and no more than 512 bytes, to a
 *    unicast address (traceroute's 33434-33534 left out).
 * Vertical: distinct probed ports per (source, target) reach scan.min_ports
 * (scan.inbound_min_ports from outside). Horizontal: distinct hosts per
 * (source, port) whose probe failed (no SYN+ACK, no UDP answer) reach
 * scan.min_hosts inside the LAN, scan.outbound_min_hosts towards the
 * Internet, scan.inbound_min_hosts from it. Outbound and internal horizontal
 * scans count TCP only (printer and NetBIOS discovery tools sweep UDP), and
 * never the mail ports (25, 465, 587: mass mail is spam.burst's).
 * Counters restart after scan.window_s for local sources and
 * scan.inbound_window_s (a day, the 445 worm scanners are slow) for outside
 * ones.
 *
 * Stays quiet: browsers (their connections carry data; a failed one now and
 * then is far below the thresholds), a backup server on 445 (sessions carry
 * data; the 139 twin Windows opens and resets is "open", not failed), P2P
 * apps (random ports per peer spread over many (source, port) pairs), SSDP/
 * mDNS/NetBIOS (multicast and broadcast are not probes).
 *
 * Variants and severity: "inbound" (source outside net.home) low; "internal"
 * (LAN to LAN) and "outbound" (LAN to Internet) high. An inbound scanner that
 * found an open service and keeps using it (scan.followup_sessions sessions
 * with data to that target or port afterwards) raises a second, medium
 * alert, variant "followup".
 *
 * Keys: "scan.port|<src>|<date>" and "scan.host|<src>|<date>" (plus
 * "|followup"): one alert per source and UTC day, count = probes.
 *
 * Facts: target (first target host) / port (scan.host), ports ("22,23,80,
 * ..." the first ones probed), nports or nhosts (distinct), hosts (first
 * targets, scan.host), open (ports or hosts that answered), method ("SYN",
 * "NULL", "FIN", "Xmas", "odd flags", "UDP"), proto, sessions (followup).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/util.h"

#define SCAN_LIST 12   /* first ports kept for the facts */
#define SCAN_HLIST 6   /* first hosts kept for the facts */
#define SCAN_FLOWS 4   /* evidence flows kept per entry */

/* Probe methods (bit mask). */
enum {
    M_SYN = 1,
    M_NULL = 2,
    M_FIN = 4,
    M_XMAS = 8,
    M_ODD = 16,
    M_UDP = 32,
};
#define M_STEALTH (M_NULL | M_FIN | M_XMAS | M_ODD)

enum scan_dir { DIR_INBOUND, DIR_INTERNAL, DIR_OUTBOUND };

struct scan_common {
    uint64_t start_us, first_us, last_us;
    uint64_t seen_us;    /* detector clock at the latest probe (flows end up to a
                          * timeout after their last packet) */
    uint32_t probes;     /* probe flows in this window */
    uint32_t reported;   /* probes already handed to detect_raise (0: not raised) */
    uint32_t next;       /* raise an update when probes reaches this */
    uint32_t open;       /* answered probes */
    uint32_t sessions;   /* sessions with data after the alert (inbound) */
    uint32_t stealth;
    uint8_t methods;
    uint8_t proto;       /* last probe's IP protocol */
    uint8_t nflows;
    bool followup_raised;
    bool pending;        /* over the threshold, first alert not raised yet */
    uint64_t flows[SCAN_FLOWS];
};

/* (source, target): vertical. */
struct vkey {
    struct ip_addr src, dst;
};
struct vstate {
    struct scan_common c;
    struct dcount ports;
    uint16_t list[SCAN_LIST];
    uint8_t nlist;
};

/* (source, port, proto): horizontal. */
struct hkey {
    struct ip_addr src;
    uint16_t port;
    uint8_t proto;
    uint8_t pad;
};
struct hstate {
    struct scan_common c;
    struct dcount hosts;
    struct ip_addr list[SCAN_HLIST];
    uint8_t nlist;
    struct ip_addr last_dst;
};

/* Entries over the threshold wait until their scan pauses (SCAN_SETTLE_US
 * without a probe, at most SCAN_PEND_MAX_US) so the first alert carries the
 * scan's real size, not the threshold. */
#define SCAN_PEND 256
#define SCAN_SETTLE_US (30u * 1000000u)
#define SCAN_PEND_MAX_US (300u * 1000000u)
struct scan_pend {
    bool horizontal;
    struct vkey vk;
    struct hkey hk;
    uint64_t since;
};

struct det_scan {
    struct detect *d;
    struct scan_pend pend[SCAN_PEND];
    unsigned npend;
    struct track *vt, *ht;
    uint64_t window_us, in_window_us;
    uint32_t min_ports, in_min_ports, min_hosts, out_min_hosts, in_min_hosts, stealth_min,
        followup;
    uint64_t last_expire_us;
    uint64_t now_us; /* latest tick */
};

static const struct detect_param scan_params[] = {
    {"scan.window_s", 3600, 60, 7 * 86400},
    {"scan.inbound_window_s", 86400, 60, 7 * 86400},
    {"scan.min_ports", 15, 2, 65535},
    {"scan.inbound_min_ports", 15, 2, 65535},
    {"scan.min_hosts", 10, 2, 1u << 24},
    {"scan.outbound_min_hosts", 50, 2, 1u << 24},
    {"scan.inbound_min_hosts", 5, 2, 1u << 24},
    {"scan.stealth_min", 3, 1, 65535},
    {"scan.followup_sessions", 3, 1, 1000000},
    {"scan.max_tracked", 16384, 64, 1u << 22},
    {NULL, 0, 0, 0},
};

static void scan_set_drop(struct det_scan *s, bool on);

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void scan_reconfigure(void *st)
{
    struct det_scan *s = st;
    struct detect *d = s->d;
    s->window_us = (uint64_t)detect_param(d, "scan.window_s") * 1000000u;
    s->in_window_us = (uint64_t)detect_param(d, "scan.inbound_window_s") * 1000000u;
    s->min_ports = detect_param(d, "scan.min_ports");
    s->in_min_ports = detect_param(d, "scan.inbound_min_ports");
    s->min_hosts = detect_param(d, "scan.min_hosts");
    s->out_min_hosts = detect_param(d, "scan.outbound_min_hosts");
    s->in_min_hosts = detect_param(d, "scan.inbound_min_hosts");
    s->stealth_min = detect_param(d, "scan.stealth_min");
    s->followup = detect_param(d, "scan.followup_sessions");
}

static void *scan_create(struct detect *d)
{
    struct det_scan *s = xcalloc(1, sizeof(*s));
    s->d = d;
    scan_reconfigure(s);
    uint32_t max = detect_param(d, "scan.max_tracked");
    s->vt = track_new(sizeof(struct vkey), sizeof(struct vstate), max);
    s->ht = track_new(sizeof(struct hkey), sizeof(struct hstate), max);
    scan_set_drop(s, true);
    return s;
}

/* Multicast, broadcast (limited or the last address of a /24, as subnet
 * broadcasts usually are) and unspecified destinations are never probed. */
static bool scan_unicast(const struct ip_addr *a)
{
    if (ip_addr_is_v4(a)) {
        uint8_t b0 = a->b[12];
        if (b0 >= 224 || b0 == 0 || b0 == 127)
            return false;
        return a->b[15] != 255;
    }
    return a->b[0] != 0xff && !ip_addr_is_unspecified(a);
}

/* The probe method of an ended flow, 0 when the flow is not a probe. *open
 * says the target answered (SYN+ACK, UDP reply). */
static uint8_t scan_probe(const struct flow *f, bool *open)
{
    *open = false;
    if (f->proto == IPPROTO_NUM_TCP) {
        if (f->data_bytes[0] || f->data_bytes[1])
            return 0;
        uint8_t fl = f->tcp_flags[0];
        /* Flags are OR-ed over the flow: a session sends SYN and FIN, but
         * with ACKs; SYN+FIN without any ACK is a crafted probe. */
        if ((fl & (TH_SYN | TH_FIN | TH_ACK)) == (TH_SYN | TH_FIN))
            return M_ODD;
        if (!(fl & (TH_SYN | TH_ACK | TH_RST))) {
            if (fl == 0)
                return M_NULL;
            if (fl == TH_FIN)
                return M_FIN;
            if ((fl & (TH_FIN | TH_PSH | TH_URG)) == (TH_FIN | TH_PSH | TH_URG))
                return M_XMAS;
            return M_ODD;
        }
        if (!f->syn_seen[0])
            return 0; /* mid-stream (capture started late), ACK packets */
        *open = f->synack_seen;
        return M_SYN;
    }
    if (f->proto == IPPROTO_NUM_UDP) {
        if (f->pkts[1] || f->pkts[0] > 3 || f->data_bytes[0] > 512)
            return 0;
        if (f->dport >= 33434 && f->dport <= 33534)
            return 0;
        return M_UDP;
    }
    return 0;
}

static const char *scan_method_name(uint8_t m)
{
    if (m & M_XMAS)
        return "Xmas";
    if (m & M_NULL)
        return "NULL";
    if (m & M_FIN)
        return "FIN";
    if (m & M_ODD)
        return "odd flags";
    if (m & M_UDP)
        return (m & M_SYN) ? "SYN, UDP" : "UDP";
    return "SYN";
}

static const char *scan_dir_variant(enum scan_dir dir)
{
    return dir == DIR_INBOUND ? "inbound" : dir == DIR_INTERNAL ? "internal" : "outbound";
}

static void scan_common_add(struct scan_common *c, const struct flow *f, uint8_t method,
                            bool open, uint64_t now_us)
{
    c->seen_us = now_us > f->last_ts_us ? now_us : f->last_ts_us;
    if (!c->probes)
        c->first_us = f->first_ts_us;
    c->probes++;
    if (f->last_ts_us > c->last_us)
        c->last_us = f->last_ts_us;
    c->methods |= method;
    c->proto = f->proto;
    if (method & M_STEALTH)
        c->stealth++;
    if (open)
        c->open++;
    if (c->nflows < SCAN_FLOWS)
        c->flows[c->nflows++] = f->id;
}

/* Starts the alert shared by both categories. */
static void scan_alert_begin(struct det_scan *s, struct alert *a, const char *cat,
                             enum scan_dir dir, const struct scan_common *c,
                             const struct ip_addr *src, uint64_t ts_us, bool followup)
{
    enum alert_severity sev = dir == DIR_INBOUND ? (followup ? SEV_MEDIUM : SEV_LOW) : SEV_HIGH;
    alert_init(a, cat, sev, c->first_us ? c->first_us : ts_us);
    a->last_ts_us = c->last_us > ts_us ? c->last_us : ts_us;
    a->has_src = true;
    a->src = *src;
    a->proto = c->proto;
    alert_fact_str(a, "variant", followup ? "followup" : scan_dir_variant(dir));
    alert_fact_str(a, "method", scan_method_name(c->methods));
    char pb[8];
    alert_fact_str(a, "proto", ip_proto_name(c->proto, pb, sizeof(pb)));
    alert_fact_int(a, "open", c->open);
    if (followup)
        alert_fact_int(a, "sessions", c->sessions);
    for (unsigned i = 0; i < c->nflows; i++)
        alert_add_flow(a, c->flows[i]);
    detect_alert_device_ip(s->d, a, src);
    char ip[48], date[16];
    ip_addr_fmt(src, ip, sizeof(ip));
    alert_date(ts_us, date);
    alert_set_key(a, "%s|%s|%s%s", cat, ip, date, followup ? "|followup" : "");
}

static enum scan_dir scan_dir_of(struct det_scan *s, const struct ip_addr *src,
                                 const struct ip_addr *dst)
{
    if (!detect_is_home(s->d, src))
        return DIR_INBOUND;
    return detect_is_home(s->d, dst) ? DIR_INTERNAL : DIR_OUTBOUND;
}

/* The count to report now: first raise at the threshold, then an update
 * each time the probes double (and whatever is left at expiry), so a
 * flood of probes costs a handful of detect_raise calls. */
static uint32_t scan_due(struct scan_common *c, bool force)
{
    if (c->pending) {
        if (!force)
            return 0;
        c->pending = false;
        c->reported = c->probes;
        c->next = c->probes * 2;
        return c->probes;
    }
    if (!c->reported || c->probes <= c->reported)
        return 0;
    if (!force && c->probes < c->next)
        return 0;
    uint32_t n = c->probes - c->reported;
    c->reported = c->probes;
    c->next = c->probes * 2;
    return n;
}

static void scan_raise_v(struct det_scan *s, const struct vkey *k, struct vstate *v,
                         uint32_t count, uint64_t ts_us, bool followup)
{
    struct alert a;
    enum scan_dir dir = scan_dir_of(s, &k->src, &k->dst);
    scan_alert_begin(s, &a, "scan.port", dir, &v->c, &k->src, ts_us, followup);
    a.count = count;
    a.has_dst = true;
    a.dst = k->dst;
    char buf[SCAN_LIST * 6 + 8];
    size_t off = 0;
    for (unsigned i = 0; i < v->nlist && off < sizeof(buf); i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%u", i ? "," : "", v->list[i]);
    uint32_t nports = dcount_get(&v->ports);
    if (nports > v->nlist && off + 4 < sizeof(buf))
        snprintf(buf + off, sizeof(buf) - off, ",...");
    alert_fact_str(&a, "ports", buf);
    alert_fact_int(&a, "nports", nports);
    char ip[48];
    ip_addr_fmt(&k->dst, ip, sizeof(ip));
    alert_fact_str(&a, "target", ip);
    detect_raise(s->d, &a);
    alert_release(&a);
}

static void scan_raise_h(struct det_scan *s, const struct hkey *k, struct hstate *h,
                         uint32_t count, uint64_t ts_us, bool followup)
{
    struct alert a;
    enum scan_dir dir = scan_dir_of(s, &k->src, &h->last_dst);
    scan_alert_begin(s, &a, "scan.host", dir, &h->c, &k->src, ts_us, followup);
    a.count = count;
    a.dport = k->port;
    char buf[SCAN_HLIST * 48 + 8];
    size_t off = 0;
    for (unsigned i = 0; i < h->nlist && off < sizeof(buf); i++) {
        char ip[48];
        ip_addr_fmt(&h->list[i], ip, sizeof(ip));
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? "," : "", ip);
    }
    uint32_t nhosts = dcount_get(&h->hosts);
    if (nhosts > h->nlist && off + 4 < sizeof(buf))
        snprintf(buf + off, sizeof(buf) - off, ",...");
    alert_fact_str(&a, "hosts", buf);
    alert_fact_int(&a, "nhosts", nhosts);
    alert_fact_int(&a, "port", k->port);
    detect_raise(s->d, &a);
    alert_release(&a);
}

/* A session with data from a source we hold state for: an inbound scanner
 * that found something and is using it. */
static void scan_followup(struct det_scan *s, const struct flow *f, bool inbound)
{
    if (!inbound || !f->data_bytes[0] || !f->data_bytes[1])
        return;
    struct vkey vk;
    memset(&vk, 0, sizeof(vk));
    vk.src = f->src;
    vk.dst = f->dst;
    struct vstate *v = track_find(s->vt, &vk);
    if (v && v->c.reported && !v->c.followup_raised && ++v->c.sessions >= s->followup) {
        v->c.followup_raised = true;
        if (v->c.nflows < SCAN_FLOWS)
            v->c.flows[v->c.nflows++] = f->id;
        scan_raise_v(s, &vk, v, 1, f->last_ts_us, true);
    }
    struct hkey hk;
    memset(&hk, 0, sizeof(hk));
    hk.src = f->src;
    hk.port = f->dport;
    hk.proto = f->proto;
    struct hstate *h = track_find(s->ht, &hk);
    if (h && h->c.reported && !h->c.followup_raised && ++h->c.sessions >= s->followup) {
        h->c.followup_raised = true;
        if (h->c.nflows < SCAN_FLOWS)
            h->c.flows[h->c.nflows++] = f->id;
        scan_raise_h(s, &hk, h, 1, f->last_ts_us, true);
    }
}

static bool scan_window_over(struct det_scan *s, const struct scan_common *c, bool inbound,
                             uint64_t now)
{
    uint64_t w = inbound ? s->in_window_us : s->window_us;
    return c->start_us && now > c->start_us && now - c->start_us > w;
}

static void scan_vertical(struct det_scan *s, const struct flow *f, uint8_t method, bool open,
                          enum scan_dir dir)
{
    struct vkey k;
    memset(&k, 0, sizeof(k));
    k.src = f->src;
    k.dst = f->dst;
    uint64_t now = f->last_ts_us;
    struct vstate *v = track_get(s->vt, &k, now, NULL);
    if (scan_window_over(s, &v->c, dir == DIR_INBOUND, now)) {
        uint32_t n = scan_due(&v->c, true);
        if (n)
            scan_raise_v(s, &k, v, n, now, false);
        memset(v, 0, sizeof(*v));
    }
    if (!v->c.start_us)
        v->c.start_us = now;
    scan_common_add(&v->c, f, method, open, s->now_us);
    uint32_t before = dcount_get(&v->ports);
    dcount_add(&v->ports, f->dport);
    if (dcount_get(&v->ports) != before && v->nlist < SCAN_LIST)
        v->list[v->nlist++] = f->dport;
    if (!v->c.reported && !v->c.pending) {
        uint32_t min = dir == DIR_INBOUND ? s->in_min_ports : s->min_ports;
        if (dcount_get(&v->ports) >= min || v->c.stealth >= s->stealth_min) {
            v->c.pending = true;
            if (s->npend < SCAN_PEND) {
                struct scan_pend *p = &s->pend[s->npend++];
                memset(p, 0, sizeof(*p));
                p->vk = k;
                p->since = now;
            } else {
                scan_raise_v(s, &k, v, scan_due(&v->c, true), now, false);
            }
        }
        return;
    }
    uint32_t n = scan_due(&v->c, false);
    if (n)
        scan_raise_v(s, &k, v, n, now, false);
}

static void scan_horizontal(struct det_scan *s, const struct flow *f, uint8_t method, bool open,
                            enum scan_dir dir)
{
    /* Only probes that found nothing (or stealth ones) say "looking for
     * hosts"; internal and outbound sources only over TCP, never on the mail
     * ports (see the top comment). */
    if (open && !(method & M_STEALTH))
        return;
    if (dir != DIR_INBOUND) {
        if (f->proto != IPPROTO_NUM_TCP)
            return;
        if (f->dport == 25 || f->dport == 465 || f->dport == 587)
            return;
    }
    struct hkey k;
    memset(&k, 0, sizeof(k));
    k.src = f->src;
    k.port = f->dport;
    k.proto = f->proto;
    uint64_t now = f->last_ts_us;
    struct hstate *h = track_get(s->ht, &k, now, NULL);
    if (scan_window_over(s, &h->c, dir == DIR_INBOUND, now)) {
        uint32_t n = scan_due(&h->c, true);
        if (n)
            scan_raise_h(s, &k, h, n, now, false);
        memset(h, 0, sizeof(*h));
    }
    if (!h->c.start_us)
        h->c.start_us = now;
    scan_common_add(&h->c, f, method, open, s->now_us);
    h->last_dst = f->dst;
    uint32_t before = dcount_get(&h->hosts);
    dcount_add(&h->hosts, track_hash_ip(&f->dst));
    if (dcount_get(&h->hosts) != before && h->nlist < SCAN_HLIST)
        h->list[h->nlist++] = f->dst;
    if (!h->c.reported && !h->c.pending) {
        uint32_t min = dir == DIR_INBOUND    ? s->in_min_hosts
                       : dir == DIR_INTERNAL ? s->min_hosts
                                             : s->out_min_hosts;
        if (dcount_get(&h->hosts) >= min) {
            h->c.pending = true;
            if (s->npend < SCAN_PEND) {
                struct scan_pend *p = &s->pend[s->npend++];
                memset(p, 0, sizeof(*p));
                p->horizontal = true;
                p->hk = k;
                p->since = now;
            } else {
                scan_raise_h(s, &k, h, scan_due(&h->c, true), now, false);
            }
        }
        return;
    }
    uint32_t n = scan_due(&h->c, false);
    if (n)
        scan_raise_h(s, &k, h, n, now, false);
}

static void scan_flow(void *st, const struct flow *f)
{
    struct det_scan *s = st;
    if (f->proto != IPPROTO_NUM_TCP && f->proto != IPPROTO_NUM_UDP)
        return;
    bool open;
    uint8_t method = scan_probe(f, &open);
    if (!method) {
        if (track_count(s->vt) || track_count(s->ht))
            scan_followup(s, f, !detect_is_home(s->d, &f->src));
        return;
    }
    if (!scan_unicast(&f->dst) || !scan_unicast(&f->src))
        return;
    enum scan_dir dir = scan_dir_of(s, &f->src, &f->dst);
    scan_vertical(s, f, method, open, dir);
    scan_horizontal(s, f, method, open, dir);
}

/* Expiry: report what is left of raised entries, then forget them. */
static void scan_drop_v(void *arg, const void *key, void *val)
{
    struct det_scan *s = arg;
    struct vstate *v = val;
    uint32_t n = scan_due(&v->c, true);
    if (n)
        scan_raise_v(s, key, v, n, v->c.last_us, false);
}

static void scan_drop_h(void *arg, const void *key, void *val)
{
    struct det_scan *s = arg;
    struct hstate *h = val;
    uint32_t n = scan_due(&h->c, true);
    if (n)
        scan_raise_h(s, key, h, n, h->c.last_us, false);
}

/* Raises pending entries whose scan paused (or all of them: force). */
static void scan_settle(struct det_scan *s, uint64_t now_us, bool force)
{
    unsigned j = 0;
    for (unsigned i = 0; i < s->npend; i++) {
        struct scan_pend *p = &s->pend[i];
        struct scan_common *c;
        if (p->horizontal) {
            struct hstate *h = track_find(s->ht, &p->hk);
            c = h ? &h->c : NULL;
        } else {
            struct vstate *v = track_find(s->vt, &p->vk);
            c = v ? &v->c : NULL;
        }
        if (!c || !c->pending)
            continue; /* raised on its way out */
        bool due = force || (now_us > c->seen_us && now_us - c->seen_us >= SCAN_SETTLE_US) ||
                   (now_us > p->since && now_us - p->since >= SCAN_PEND_MAX_US);
        if (!due) {
            s->pend[j++] = *p;
            continue;
        }
        uint32_t n = scan_due(c, true);
        if (p->horizontal)
            scan_raise_h(s, &p->hk, track_find(s->ht, &p->hk), n, c->last_us, false);
        else
            scan_raise_v(s, &p->vk, track_find(s->vt, &p->vk), n, c->last_us, false);
    }
    s->npend = j;
}

static void scan_tick(void *st, uint64_t now_us)
{
    struct det_scan *s = st;
    if (now_us > s->now_us)
        s->now_us = now_us;
    if (s->npend)
        scan_settle(s, now_us, false);
    /* Once a minute is plenty: entries live for hours. Entries idle longer
     * than the inbound window go (local ones restart on their own). */
    if (now_us - s->last_expire_us < 60u * 1000000u)
        return;
    s->last_expire_us = now_us;
    if (now_us > s->in_window_us) {
        track_expire(s->vt, now_us - s->in_window_us, scan_drop_v, s);
        track_expire(s->ht, now_us - s->in_window_us, scan_drop_h, s);
    }
}

static void scan_finish(void *st)
{
    struct det_scan *s = st;
    scan_settle(s, 0, true);
    track_each(s->vt, scan_drop_v, s);
    track_each(s->ht, scan_drop_h, s);
}

/* Entries pushed out of a full table report what they still owe; not at
 * destroy time (the stage may be going away). */
static void scan_set_drop(struct det_scan *s, bool on)
{
    track_set_drop(s->vt, on ? scan_drop_v : NULL, on ? s : NULL);
    track_set_drop(s->ht, on ? scan_drop_h : NULL, on ? s : NULL);
}

static void scan_destroy(void *st)
{
    struct det_scan *s = st;
    scan_set_drop(s, false);
    track_free(s->vt);
    track_free(s->ht);
    free(s);
}

const struct detector_ops det_scan = {
    .name = "scan.port",
    .params = scan_params,
    .create = scan_create,
    .reconfigure = scan_reconfigure,
    .destroy = scan_destroy,
    .flow = scan_flow,
    .tick = scan_tick,
    .finish = scan_finish,
};
