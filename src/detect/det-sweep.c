/* det-sweep.c - scan.sweep: a device on the LAN asks for many neighbours in
 * a few minutes, with ARP requests (nmap's host discovery, ARP scanners) or
 * ICMP echo requests (ping sweeps). This is how an intruder or a worm on one
 * PC maps the office before going after the file server; PCs, printers and
 * phones only ever ask for the gateway and the few devices they talk to.
 *
 * Input: ARP requests through the packet hook (everything else returns at
 * the first test), ICMP/ICMPv6 echo requests through flow_start (one call
 * per new flow, i.e. per new destination, instead of per packet).
 * Counted: broadcast ARP requests by sender (MAC and IPv4), probes (sender
 * 0.0.0.0) and announcements (sender = target) left out, since an address
 * check on joining is normal; echo requests from a home address to home
 * addresses. A Windows PC or a file server re-checking addresses it
 * already knows asks by unicast, which is not counted either.
 *
 * Thresholds: scan.sweep_min_hosts distinct ARP targets (default 32) or
 * scan.sweep_icmp_min_hosts distinct ping targets (default 12) within
 * scan.sweep_window_s (300 s). Both real sweeps seen took under 15 s for a
 * whole /24; the busiest office server asks for far fewer than 32
 * addresses by broadcast in five minutes.
 *
 * Severity: high when the sweep reached scan.sweep_high_hosts addresses (a
 * whole subnet: a tool, not an accident), medium below; low when the sweeper
 * is the router (some routers map the LAN that way). The alert is raised
 * when the sweep stops (a minute without a request) or its window ends, so
 * it carries the sweep's final size.
 *
 * Variants: "arp", "icmp". Key "scan.sweep|<src>|<date>": one alert per
 * sweeping source and UTC day. Facts: nhosts, hosts (first targets), method.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/netaddr.h"
#include "util/util.h"

#define SWEEP_LIST 6
#define SWEEP_FLOWS 4
#define SWEEP_IDLE_US (60u * 1000000u)

struct sweep_key {
    struct ip_addr src;
    uint8_t mac[6];   /* ARP sender MAC; zero for ICMP */
    uint8_t icmp;     /* 1 for a ping sweep */
    uint8_t pad;
};

struct sweep_state {
    uint64_t start_us, first_us, last_us;
    struct dcount targets;
    uint32_t requests;
    uint32_t reported;  /* requests already raised (0: not raised) */
    struct ip_addr list[SWEEP_LIST];
    uint8_t nlist;
    uint8_t nflows;
    uint64_t flows[SWEEP_FLOWS];
};

struct det_sweep {
    struct detect *d;
    struct track *t;
    uint64_t window_us;
    uint32_t min_arp, min_icmp, high;
    uint64_t last_expire_us;
};

static const struct detect_param sweep_params[] = {
    {"scan.sweep_window_s", 300, 10, 86400},
    {"scan.sweep_min_hosts", 32, 2, 1u << 24},
    {"scan.sweep_icmp_min_hosts", 12, 2, 1u << 24},
    {"scan.sweep_high_hosts", 64, 2, 1u << 24},
    {"scan.sweep_max_tracked", 4096, 16, 1u << 20},
    {NULL, 0, 0, 0},
};

static void sweep_drop(void *arg, const void *key, void *val);

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void sweep_reconfigure(void *st)
{
    struct det_sweep *s = st;
    struct detect *d = s->d;
    s->window_us = (uint64_t)detect_param(d, "scan.sweep_window_s") * 1000000u;
    s->min_arp = detect_param(d, "scan.sweep_min_hosts");
    s->min_icmp = detect_param(d, "scan.sweep_icmp_min_hosts");
    s->high = detect_param(d, "scan.sweep_high_hosts");
}

static void *sweep_create(struct detect *d)
{
    struct det_sweep *s = xcalloc(1, sizeof(*s));
    s->d = d;
    sweep_reconfigure(s);
    s->t = track_new(sizeof(struct sweep_key), sizeof(struct sweep_state),
                     detect_param(d, "scan.sweep_max_tracked"));
    track_set_drop(s->t, sweep_drop, s);
    return s;
}

static void sweep_destroy(void *st)
{
    struct det_sweep *s = st;
    track_set_drop(s->t, NULL, NULL);
    track_free(s->t);
    free(s);
}

static void sweep_raise(struct det_sweep *s, const struct sweep_key *k, struct sweep_state *v,
                        bool force)
{
    uint32_t n = dcount_get(&v->targets);
    uint32_t min = k->icmp ? s->min_icmp : s->min_arp;
    if (!force || n < min || v->requests <= v->reported)
        return;

    struct device *dev = NULL;
    if (!k->icmp)
        dev = inventory_find(detect_inventory(s->d), k->mac);
    else if (detect_is_home(s->d, &k->src))
        dev = inventory_find_ip(detect_inventory(s->d), &k->src);
    enum alert_severity sev = n >= s->high ? SEV_HIGH : SEV_MEDIUM;
    if (dev && dev->is_router)
        sev = SEV_LOW;

    struct alert a;
    alert_init(&a, "scan.sweep", sev, v->first_us);
    a.last_ts_us = v->last_us;
    a.count = v->requests - v->reported;
    v->reported = v->requests;
    a.has_src = true;
    a.src = k->src;
    a.proto = k->icmp ? (ip_addr_is_v4(&k->src) ? IPPROTO_NUM_ICMP : IPPROTO_NUM_ICMPV6) : 0;
    if (dev)
        detect_alert_device(s->d, &a, dev);
    if (!dev && !k->icmp) {
        a.has_mac = true;
        memcpy(a.mac, k->mac, 6);
    }
    alert_fact_str(&a, "variant", k->icmp ? "icmp" : "arp");
    alert_fact_str(&a, "method", k->icmp ? "ICMP echo (ping)" : "ARP");
    alert_fact_int(&a, "nhosts", n);
    char buf[SWEEP_LIST * 48 + 8];
    size_t off = 0;
    for (unsigned i = 0; i < v->nlist && off < sizeof(buf); i++) {
        char ip[48];
        ip_addr_fmt(&v->list[i], ip, sizeof(ip));
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? "," : "", ip);
    }
    if (n > v->nlist && off + 4 < sizeof(buf))
        snprintf(buf + off, sizeof(buf) - off, ",...");
    alert_fact_str(&a, "hosts", buf);
    for (unsigned i = 0; i < v->nflows; i++)
        alert_add_flow(&a, v->flows[i]);
    char ip[48], date[16];
    ip_addr_fmt(&k->src, ip, sizeof(ip));
    alert_date(v->first_us, date);
    alert_set_key(&a, "scan.sweep|%s|%s", ip, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

static void sweep_drop(void *arg, const void *key, void *val)
{
    sweep_raise(arg, key, val, true);
}

static void sweep_add(struct det_sweep *s, const struct sweep_key *k, const struct ip_addr *target,
                      uint64_t ts_us, uint64_t flow_id)
{
    struct sweep_state *v = track_get(s->t, k, ts_us, NULL);
    if (v->start_us && ts_us > v->start_us && ts_us - v->start_us > s->window_us) {
        sweep_raise(s, k, v, true);
        memset(v, 0, sizeof(*v));
    }
    if (!v->start_us)
        v->start_us = v->first_us = ts_us;
    if (ts_us > v->last_us)
        v->last_us = ts_us;
    v->requests++;
    uint32_t before = dcount_get(&v->targets);
    dcount_add(&v->targets, track_hash_ip(target));
    if (dcount_get(&v->targets) != before && v->nlist < SWEEP_LIST)
        v->list[v->nlist++] = *target;
    if (flow_id && v->nflows < SWEEP_FLOWS)
        v->flows[v->nflows++] = flow_id;
}

static void sweep_packet(void *st, const struct packet *pkt)
{
    if (!pkt->has_arp)
        return;
    struct det_sweep *s = st;
    const struct arp_info *arp = &pkt->arp;
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (arp->op != 1 || !pkt->has_eth || memcmp(pkt->dst_mac, bcast, 6) != 0)
        return;
    if (!memcmp(arp->spa, "\0\0\0\0", 4) || !memcmp(arp->spa, arp->tpa, 4))
        return;
    struct sweep_key k;
    memset(&k, 0, sizeof(k));
    k.src.b[10] = k.src.b[11] = 0xff;
    memcpy(&k.src.b[12], arp->spa, 4);
    memcpy(k.mac, arp->sha, 6);
    struct ip_addr target;
    memset(&target, 0, sizeof(target));
    target.b[10] = target.b[11] = 0xff;
    memcpy(&target.b[12], arp->tpa, 4);
    sweep_add(s, &k, &target, pkt->ts_us, 0);
}

static void sweep_flow_start(void *st, const struct flow *f)
{
    if (f->proto != IPPROTO_NUM_ICMP && f->proto != IPPROTO_NUM_ICMPV6)
        return;
    if (!(f->proto == IPPROTO_NUM_ICMP ? f->icmp_type == 8 : f->icmp_type == 128))
        return;
    struct det_sweep *s = st;
    if (!detect_is_home(s->d, &f->src) || !detect_is_home(s->d, &f->dst))
        return;
    struct sweep_key k;
    memset(&k, 0, sizeof(k));
    k.src = f->src;
    k.icmp = 1;
    sweep_add(s, &k, &f->dst, f->first_ts_us, f->id);
}

static void sweep_tick(void *st, uint64_t now_us)
{
    struct det_sweep *s = st;
    if (now_us - s->last_expire_us < 10u * 1000000u)
        return;
    s->last_expire_us = now_us;
    /* A sweep a minute quiet is over: raise it with its final size. */
    if (now_us > SWEEP_IDLE_US)
        track_expire(s->t, now_us - SWEEP_IDLE_US, sweep_drop, s);
}

static void sweep_finish_one(void *arg, const void *key, void *val)
{
    sweep_raise(arg, key, val, true);
}

static void sweep_finish(void *st)
{
    struct det_sweep *s = st;
    track_each(s->t, sweep_finish_one, s);
}

const struct detector_ops det_sweep = {
    .name = "scan.sweep",
    .params = sweep_params,
    .create = sweep_create,
    .reconfigure = sweep_reconfigure,
    .destroy = sweep_destroy,
    .packet = sweep_packet,
    .flow_start = sweep_flow_start,
    .tick = sweep_tick,
    .finish = sweep_finish,
};
