/* det-beacon.c - beacon: a PC that connects to one outside destination at a
 * steady rhythm, the way malware "checks in" with its controller (C2) for
 * orders. Emotet, TrickBot and remote-access trojans all do this; it is
 * often the only sign of an infection that does nothing visible yet.
 *
 * What is tracked: per (local host, destination) a ring of the start times
 * and sizes (bytes the host sent) of its last BEACON_RING connections, fed
 * at each flow's end. The destination is the name the host used (TLS SNI,
 * HTTP Host, else a DNS answer the sensor saw for the address) so that a
 * server behind rotating CDN addresses stays one destination; the address
 * when no name is known.
 *
 * Scoring follows RITA's beacon analysis, on the ring:
 *  - interval score: the connection times are sorted, starts less than
 *    BEACON_MERGE_MS apart merged into one beat (a browser opens several
 *    connections at once; a beat is what repeats); an interval near k >= 2
 *    medians is a lost beat and counts as one median plus its deviation.
 *    Then over the intervals: 1 - |Bowley skewness| (a symmetric spread, as
 *    jitter gives), 1 - MAD/median (jitter relative to the interval; +-20%
 *    uniform jitter scores 0.9) and coverage = intervals seen / (span /
 *    median) (lost beats lower it in proportion, they do not break it),
 *    averaged;
 *  - size score: 1 - |Bowley skewness| and 1 - MAD/median of the sizes, and
 *    smallness 1 - median/64 KiB (check-ins are small), averaged;
 *  - score = (2 x interval + size) / 3. Timing weighs more: a C2 answer may
 *    carry orders of any size. The interval score has its own floor
 *    (beacon.min_interval_score): random (Poisson, heavy-tailed) timing
 *    scores 0.4-0.75 there even when the sizes are constant.
 * A pair is scored when its ring holds beacon.min_conns beats spanning
 * beacon.min_span_s (the total span since its first connection), or, for a
 * destination with no name at all (a bare address: what malware configured
 * with an IP list uses, and legitimate services rarely do),
 * beacon.sparse_min_conns beats over beacon.sparse_min_span_s: Emotet's
 * 15-minute POSTs to a bare IP show 7 beats in 98 minutes. It is re-scored
 * every BEACON_RESCORE new connections, or at the next one after
 * BEACON_RESCORE_S, and at the end of a capture. One alert per pair and day,
 * and one more ("escalated", key suffix "|long") if a medium beacon goes on
 * to be high the same day: a repeat only adds to an alert's count, so the
 * higher severity needs its own record.
 *
 * What stays quiet, by structure first:
 *  - a destination that beacon.service_min_hosts or more local hosts use is
 *    a service (Teams, the antivirus vendor, the accounting cloud): C2 has
 *    one or two victims in a small office, not every PC;
 *  - DNS, DoT, NTP, mDNS/NetBIOS/DHCP/SSDP and POP3/IMAP (mail polling) are
 *    not looked at: their rhythm is their job;
 *  - names under a short built-in list of update, push and time services
 *    (Windows Update, Apple/Google push, Microsoft 365, Zoom, antivirus
 *    update servers);
 *  - printers and NAS boxes (inventory type) phoning home to their vendor;
 *  - connections inside the LAN, to loopback, multicast or broadcast.
 *
 * Severity: medium. High when the destination has no name (a bare address),
 * its certificate signed itself, or the beacon is very regular
 * (score >= beacon.high_score) and long (>= beacon.high_span_s).
 * Variant "ip": no name. Facts: dest, ip, port, interval_s, interval_min
 * (from 2 minutes), span_min, conns, score, interval_score, size_score,
 * size (median bytes sent), name_source (sni, http, dns), self_signed,
 * escalated, beats.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/behaviour.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/netaddr.h"
#include "util/util.h"

bool behaviour_addr_special(const struct ip_addr *a)
{
    if (ip_addr_is_v4(a)) {
        uint8_t b0 = a->b[12];
        return b0 == 0 || b0 == 127 || b0 >= 224;
    }
    static const uint8_t loop6[16] = {[15] = 1};
    return a->b[0] == 0xff || memcmp(a->b, loop6, 16) == 0 || ip_addr_is_unspecified(a);
}

bool behaviour_name_in(const char *name, const char *const *suffixes)
{
    size_t n = strlen(name);
    for (const char *const *s = suffixes; *s; s++) {
        size_t k = strlen(*s);
        if (n == k && memcmp(name, *s, k) == 0)
            return true;
        if (n > k && name[n - k - 1] == '.' && memcmp(name + n - k, *s, k) == 0)
            return true;
    }
    return false;
}

/* ------------------------------------------------------------ beacon */

#define BEACON_RING 128
#define BEACON_FLOWS 8
#define BEACON_MERGE_MS 1000     /* starts closer than this are one beat */
#define BEACON_FOLD 0.2          /* of the median: an interval this near a multiple
                                  * of it lost beats (see beacon_score) */
#define BEACON_RESCORE 8         /* new connections before scoring again */
#define BEACON_RESCORE_S 600     /* ... or this long since the last score */
#define BEACON_IDLE_S 86400      /* a pair silent this long starts over */
#define BEACON_MAX_DESTS 16384
#define BEACON_SIZE_SCALE 65536.0 /* smallness: 1 - median size / this */

static const struct detect_param beacon_params[] = {
    /* beats (connections, bursts merged) in the ring before a pair is scored */
    {"beacon.min_conns", 20, 4, BEACON_RING},
    /* ... and the time since its first connection, seconds */
    {"beacon.min_span_s", 600, 60, 7 * 86400},
    /* a destination with no name: fewer beats suffice, over a longer time */
    {"beacon.sparse_min_conns", 6, 4, BEACON_RING},
    {"beacon.sparse_min_span_s", 3600, 60, 7 * 86400},
    /* combined score (percent) to raise, and the interval score's floor */
    {"beacon.min_score", 75, 1, 100},
    {"beacon.min_interval_score", 75, 1, 100},
    /* local hosts using one destination that make it a service, not C2 */
    {"beacon.service_min_hosts", 3, 2, 1000},
    /* very regular and long: high */
    {"beacon.high_score", 90, 1, 100},
    {"beacon.high_span_s", 7200, 60, 7 * 86400},
    /* (local host, destination) pairs followed at once */
    {"beacon.max_pairs", 4096, 16, 1000000},
    {NULL, 0, 0, 0},
};

/* Update, push, time and keepalive services: their check-ins are beacons
 * by design. Short on purpose: the service_min_hosts rule is the main
 * filter; this covers the one-PC office. */
static const char *const beacon_allow[] = {
    /* Microsoft: Windows Update, telemetry, Microsoft 365, Teams, Skype */
    "windowsupdate.com", "microsoft.com", "windows.com", "msftncsi.com", "msftconnecttest.com",
    "office.com", "office.net", "office365.com", "outlook.com", "live.com", "skype.com",
    "lync.com", "msedge.net", "azureedge.net",
    /* Apple and Google push, updates, sync */
    "apple.com", "icloud.com", "mzstatic.com", "googleapis.com", "gstatic.com", "google.com",
    "1e100.net", "gvt1.com", "gvt2.com", "android.com",
    /* Zoom */
    "zoom.us", "zoom.com",
    /* time, certificate status */
    "ntp.org", "nict.jp", "digicert.com", "sectigo.com", "lencr.org", "globalsign.com",
    /* antivirus updates */
    "trendmicro.com", "trendmicro.co.jp", "eset.com", "avast.com", "avg.com", "kaspersky.com",
    "mcafee.com", "norton.com", "symantec.com", "sophos.com", "bitdefender.com",
    NULL,
};

struct beacon_key {
    struct ip_addr local;
    uint64_t dest; /* hash of the name, else of the address */
};

struct beacon_pair {
    uint64_t base_us;            /* t_ms[] are milliseconds since this (signed) */
    uint64_t first_us, last_us;  /* first and latest connection start */
    uint64_t last_score_us;
    int32_t t_ms[BEACON_RING];
    uint32_t size[BEACON_RING];
    uint64_t flow_ids[BEACON_FLOWS];
    uint32_t nconn;              /* connections since first_us */
    uint16_t head, n;            /* ring: next slot, samples held */
    uint16_t since_score;        /* connections since the last scoring */
    uint8_t nflow_ids, flow_head;
    uint32_t alerted_day;        /* UTC day number + 1 of the last alert, 0 none */
    bool alerted_high;           /* ... and it was high (nothing more to say today) */
    struct ip_addr dst;          /* latest address and port */
    uint16_t dport;
    uint8_t proto;
    unsigned flags;              /* DEST_* */
    char name[DEST_NAME_LEN];
};

struct beacon_dest {
    struct dcount hosts;         /* local hosts using it */
};

struct det_beacon {
    struct detect *d;
    struct track *pairs, *dests;
    uint32_t min_conns, min_span_s, sparse_min_conns, sparse_min_span_s;
    uint32_t min_score, min_interval_score, service_min_hosts, high_score, high_span_s;
    uint64_t last_expire_us;
};

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void beacon_reconfigure(void *st)
{
    struct det_beacon *b = st;
    struct detect *d = b->d;
    b->min_conns = detect_param(d, "beacon.min_conns");
    b->min_span_s = detect_param(d, "beacon.min_span_s");
    b->sparse_min_conns = detect_param(d, "beacon.sparse_min_conns");
    b->sparse_min_span_s = detect_param(d, "beacon.sparse_min_span_s");
    b->min_score = detect_param(d, "beacon.min_score");
    b->min_interval_score = detect_param(d, "beacon.min_interval_score");
    b->service_min_hosts = detect_param(d, "beacon.service_min_hosts");
    b->high_score = detect_param(d, "beacon.high_score");
    b->high_span_s = detect_param(d, "beacon.high_span_s");
}

static void *beacon_create(struct detect *d)
{
    struct det_beacon *b = xcalloc(1, sizeof(*b));
    b->d = d;
    beacon_reconfigure(b);
    b->pairs = track_new(sizeof(struct beacon_key), sizeof(struct beacon_pair),
                         detect_param(d, "beacon.max_pairs"));
    b->dests = track_new(sizeof(uint64_t), sizeof(struct beacon_dest), BEACON_MAX_DESTS);
    return b;
}

static void beacon_destroy(void *st)
{
    struct det_beacon *b = st;
    track_free(b->pairs);
    track_free(b->dests);
    free(b);
}

/* --- robust statistics on sorted samples --- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile q of sorted v[0..n-1] (n >= 1), linear between ranks. */
static double quantile(const double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= n)
        return v[n - 1];
    double frac = pos - (double)i;
    return v[i] + (v[i + 1] - v[i]) * frac;
}

/* Bowley (quartile) skewness of sorted v: 0 for a symmetric spread, +-1 at
 * worst; 0 when the quartiles coincide with the median (RITA does too). */
static double bowley(const double *v, size_t n)
{
    double q1 = quantile(v, n, 0.25), q2 = quantile(v, n, 0.5), q3 = quantile(v, n, 0.75);
    if (q3 - q1 <= 0 || q2 == q1 || q2 == q3)
        return 0;
    return (q1 + q3 - 2 * q2) / (q3 - q1);
}

/* Median absolute deviation of sorted v around its median; tmp has n slots. */
static double mad(const double *v, size_t n, double med, double *tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = fabs(v[i] - med);
    qsort(tmp, n, sizeof(double), cmp_double);
    return quantile(tmp, n, 0.5);
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* 1 - dispersion/median, with a zero median scoring 1 only when nothing
 * varies. */
static double rel_score(double disp, double med)
{
    if (med <= 0)
        return disp <= 0 ? 1 : 0;
    return clamp01(1 - disp / med);
}

struct beacon_score {
    uint32_t beats;
    double interval_s;  /* median interval between beats */
    double ts, ds, total;
    double size;        /* median bytes sent */
};

/* Scores the ring of p (see the top comment). Returns false with fewer than
 * 4 beats. */
static bool beacon_score(const struct beacon_pair *p, struct beacon_score *out)
{
    double t[BEACON_RING], d[BEACON_RING], tmp[BEACON_RING];
    size_t n = p->n;
    memset(out, 0, sizeof(*out));
    if (n < 4)
        return false;
    for (size_t i = 0; i < n; i++)
        t[i] = (double)p->t_ms[i];
    qsort(t, n, sizeof(double), cmp_double);
    size_t beats = 1;
    for (size_t i = 1; i < n; i++)
        if (t[i] - t[beats - 1] >= BEACON_MERGE_MS)
            t[beats++] = t[i];
    out->beats = (uint32_t)beats;
    if (beats < 4)
        return false;
    size_t ni = beats - 1;
    for (size_t i = 0; i < ni; i++)
        d[i] = t[i + 1] - t[i];
    double span = t[beats - 1] - t[0];
    qsort(d, ni, sizeof(double), cmp_double);
    /* Missing beats: an interval within BEACON_FOLD of k >= 2 medians is k
     * intervals with one beat lost; it counts as one median plus its own
     * deviation (a beat's jitter does not grow with the beats lost). */
    double raw_med = quantile(d, ni, 0.5);
    for (size_t i = 0; i < ni; i++) {
        double k = raw_med > 0 ? round(d[i] / raw_med) : 1;
        if (k >= 2 && fabs(d[i] - k * raw_med) <= BEACON_FOLD * raw_med)
            d[i] = raw_med + (d[i] - k * raw_med);
    }
    qsort(d, ni, sizeof(double), cmp_double);
    double med = quantile(d, ni, 0.5);
    double skew = bowley(d, ni);
    double m = mad(d, ni, med, tmp);
    /* The lost beats show here: intervals seen over those the span holds. */
    double coverage = med > 0 && span > 0 ? clamp01((double)ni / (span / med)) : 0;
    out->interval_s = med / 1000.0;
    out->ts = ((1 - fabs(skew)) + rel_score(m, med) + coverage) / 3;

    for (size_t i = 0; i < n; i++)
        d[i] = (double)p->size[i];
    qsort(d, n, sizeof(double), cmp_double);
    double smed = quantile(d, n, 0.5);
    double sskew = bowley(d, n);
    double smad = mad(d, n, smed, tmp);
    out->size = smed;
    out->ds = ((1 - fabs(sskew)) + rel_score(smad, smed) + clamp01(1 - smed / BEACON_SIZE_SCALE)) /
              3;
    out->total = (2 * out->ts + out->ds) / 3;
    return true;
}

static uint32_t utc_day(uint64_t ts_us)
{
    return (uint32_t)(ts_us / (86400ull * 1000000u));
}

/* Whether the local host is a printer or NAS (their vendor's cloud check-ins
 * are beacons by design). */
static bool beacon_quiet_device(const struct det_beacon *b, const struct ip_addr *ip)
{
    const struct device *dev = inventory_find_ip(detect_inventory(b->d), ip);
    if (!dev)
        return false;
    return strcmp(dev->os.type, "printer") == 0 || strcmp(dev->os.type, "nas") == 0;
}

/* Whether the beacon is high: no name, a self-signed certificate, or very
 * regular and long. */
static bool beacon_is_high(const struct det_beacon *b, const struct beacon_pair *p,
                           const struct beacon_score *sc)
{
    uint64_t span_s = (p->last_us - p->first_us) / 1000000u;
    return p->name[0] == '\0' || (p->flags & DEST_SELF_SIGNED) ||
           (lround(sc->total * 100) >= b->high_score && span_s >= b->high_span_s);
}

static void beacon_raise(struct det_beacon *b, const struct beacon_key *k, struct beacon_pair *p,
                         const struct beacon_score *sc, bool high, bool escalated, uint64_t now_us)
{
    char ipbuf[48], date[16];
    bool named = p->name[0] != '\0';
    uint64_t span_s = (p->last_us - p->first_us) / 1000000u;
    unsigned score = (unsigned)lround(sc->total * 100);
    struct alert a;
    alert_init(&a, "beacon", high ? SEV_HIGH : SEV_MEDIUM, p->first_us);
    a.last_ts_us = now_us;
    a.has_src = true;
    a.src = k->local;
    a.has_dst = true;
    a.dst = p->dst;
    a.dport = p->dport;
    a.proto = p->proto;
    detect_alert_device_ip(b->d, &a, &k->local);
    ip_addr_fmt(&p->dst, ipbuf, sizeof(ipbuf));
    if (!named)
        alert_fact_str(&a, "variant", "ip");
    alert_fact_str(&a, "dest", named ? p->name : ipbuf);
    alert_fact_str(&a, "ip", ipbuf);
    alert_fact_int(&a, "port", p->dport);
    json_object_set_new(a.facts, "interval_s", json_real(round(sc->interval_s * 10) / 10));
    if (sc->interval_s >= 120)
        alert_fact_int(&a, "interval_min", lround(sc->interval_s / 60));
    alert_fact_int(&a, "span_min", (long long)(span_s / 60));
    alert_fact_int(&a, "conns", p->nconn);
    alert_fact_int(&a, "beats", sc->beats);
    alert_fact_int(&a, "score", score);
    alert_fact_int(&a, "interval_score", lround(sc->ts * 100));
    alert_fact_int(&a, "size_score", lround(sc->ds * 100));
    alert_fact_int(&a, "size", llround(sc->size));
    alert_fact_str(&a, "name_source", (p->flags & DEST_NAME_SNI)    ? "sni"
                                      : (p->flags & DEST_NAME_HTTP) ? "http"
                                      : (p->flags & DEST_NAME_DNS)  ? "dns"
                                                                    : NULL);
    if (p->flags & DEST_SELF_SIGNED)
        json_object_set_new(a.facts, "self_signed", json_true());
    if (escalated)
        json_object_set_new(a.facts, "escalated", json_true());
    for (unsigned i = 0; i < p->nflow_ids; i++)
        alert_add_flow(&a, p->flow_ids[i]);
    char local[48];
    ip_addr_fmt(&k->local, local, sizeof(local));
    alert_date(now_us, date);
    /* The day's alert; a medium beacon that goes on long enough to be high
     * escalates it (same key, higher severity). */
    alert_set_key(&a, "beacon|%s|%s|%s", local, named ? p->name : ipbuf, date);
    detect_raise(b->d, &a);
    alert_release(&a);
}

/* Scores p if it is ripe, raises if it beacons. */
static void beacon_check(struct det_beacon *b, const struct beacon_key *k, struct beacon_pair *p,
                         uint64_t now_us)
{
    if (p->since_score == 0)
        return;
    uint32_t today = utc_day(now_us) + 1;
    if (p->alerted_day == today && p->alerted_high)
        return;
    uint64_t span_s = (p->last_us - p->first_us) / 1000000u;
    bool named = p->name[0] != '\0';
    bool long_enough = span_s >= b->min_span_s;
    bool sparse_ok = !named && span_s >= b->sparse_min_span_s;
    if (!long_enough && !sparse_ok)
        return;
    p->since_score = 0;
    p->last_score_us = now_us;
    struct beacon_score sc;
    if (!beacon_score(p, &sc))
        return;
    bool enough = (long_enough && sc.beats >= b->min_conns) ||
                  (sparse_ok && sc.beats >= b->sparse_min_conns);
    if (!enough)
        return;
    if (sc.total * 100 < b->min_score || sc.ts * 100 < b->min_interval_score)
        return;
    if (beacon_quiet_device(b, &k->local))
        return;
    bool high = beacon_is_high(b, p, &sc);
    bool escalated = p->alerted_day == today;
    if (escalated && !high)
        return;
    p->alerted_day = today;
    p->alerted_high = high;
    beacon_raise(b, k, p, &sc, high, escalated, now_us);
}

/* Ports whose rhythm is their job: DNS, DoT, NTP, DHCP, NetBIOS, SSDP, mDNS,
 * LLMNR; POP3/IMAP (mail clients poll every few minutes). */
static bool beacon_skip_port(uint8_t proto, uint16_t port)
{
    switch (port) {
    case 53:
    case 853:
        return true;
    case 110:
    case 143:
    case 993:
    case 995:
        return proto == 6;
    case 67:
    case 68:
    case 123:
    case 137:
    case 138:
    case 1900:
    case 5353:
    case 5355:
        return proto == 17;
    default:
        return false;
    }
}

static void beacon_flow(void *st, const struct flow *f)
{
    struct det_beacon *b = st;
    if (f->seq_no != 0 || (f->proto != 6 && f->proto != 17))
        return;
    unsigned flags;
    const char *name = detect_flow_dest(b->d, &flags);
    if (f->proto == 6 && !f->syn_seen[0])
        return; /* started before the capture: not a connection start */
    if (beacon_skip_port(f->proto, f->dport))
        return;
    if (strcmp(f->app_proto, "dns") == 0 || strcmp(f->app_proto, "pop3") == 0 ||
        strcmp(f->app_proto, "imap") == 0 || strcmp(f->app_proto, "ntp") == 0)
        return;
    /* To the outside; the initiator is the local side (also when the LAN's
     * addresses are not in net.home, e.g. public addressing or a tap outside
     * the NAT). */
    if (detect_is_home(b->d, &f->dst) ||
        behaviour_addr_special(&f->dst) || behaviour_addr_special(&f->src))
        return;
    if (name[0] && behaviour_name_in(name, beacon_allow))
        return;

    uint64_t now = f->last_ts_us;
    struct beacon_key k;
    memset(&k, 0, sizeof(k));
    k.local = f->src;
    k.dest = name[0] ? track_hash_str(name) : track_hash_ip(&f->dst);
    struct beacon_dest *dst = track_get(b->dests, &k.dest, now, NULL);
    dcount_add(&dst->hosts, track_hash_ip(&f->src));
    if (dcount_get(&dst->hosts) >= b->service_min_hosts) {
        track_del(b->pairs, &k);
        return;
    }

    bool created;
    struct beacon_pair *p = track_get(b->pairs, &k, now, &created);
    uint64_t ts = f->first_ts_us;
    int64_t rel = created ? 0 : ((int64_t)ts - (int64_t)p->base_us) / 1000;
    if (created || rel > INT32_MAX || rel < INT32_MIN) {
        /* New, or the offsets would overflow (weeks of packet time): start over. */
        memset(p, 0, sizeof(*p));
        p->base_us = ts;
        p->first_us = p->last_us = ts;
        rel = 0;
    }
    p->t_ms[p->head] = (int32_t)rel;
    p->size[p->head] = f->data_bytes[0] > UINT32_MAX ? UINT32_MAX : (uint32_t)f->data_bytes[0];
    p->head = (uint16_t)((p->head + 1) % BEACON_RING);
    if (p->n < BEACON_RING)
        p->n++;
    if (ts < p->first_us)
        p->first_us = ts;
    if (ts > p->last_us)
        p->last_us = ts;
    p->nconn++;
    p->since_score++;
    p->flow_ids[p->flow_head] = f->id;
    p->flow_head = (uint8_t)((p->flow_head + 1) % BEACON_FLOWS);
    if (p->nflow_ids < BEACON_FLOWS)
        p->nflow_ids++;
    p->dst = f->dst;
    p->dport = f->dport;
    p->proto = f->proto;
    if (name[0])
        memcpy(p->name, name, sizeof(p->name));
    p->flags |= flags;

    if (p->since_score >= BEACON_RESCORE ||
        now - p->last_score_us >= (uint64_t)BEACON_RESCORE_S * 1000000u)
        beacon_check(b, &k, p, now);
}

static void beacon_tick(void *st, uint64_t now_us)
{
    struct det_beacon *b = st;
    if (now_us - b->last_expire_us < 60ull * 1000000u)
        return;
    b->last_expire_us = now_us;
    uint64_t idle = (uint64_t)BEACON_IDLE_S * 1000000u;
    if (now_us <= idle)
        return;
    track_expire(b->pairs, now_us - idle, NULL, NULL);
    track_expire(b->dests, now_us - idle, NULL, NULL);
}

struct beacon_finish_cx {
    struct det_beacon *b;
};

static void beacon_finish_one(void *arg, const void *key, void *val)
{
    struct beacon_finish_cx *cx = arg;
    struct beacon_pair *p = val;
    beacon_check(cx->b, key, p, p->last_us);
}

/* The capture ended: score what changed since the last scoring. */
static void beacon_finish(void *st)
{
    struct beacon_finish_cx cx = {st};
    track_each(cx.b->pairs, beacon_finish_one, &cx);
}

const struct detector_ops det_beacon = {
    .name = "beacon",
    .params = beacon_params,
    .create = beacon_create,
    .reconfigure = beacon_reconfigure,
    .destroy = beacon_destroy,
    .flow = beacon_flow,
    .tick = beacon_tick,
    .finish = beacon_finish,
};
