/* det-exfil.c - exfil.upload: a PC on the LAN sends far more than usual to
 * an outside destination it rarely or never used before. This is how data
 * leaves: an insider copying the customer list to a personal cloud drive or
 * a file-transfer site before quitting, or ransomware crews uploading the
 * file server ("double extortion") before they encrypt it.
 *
 * What is counted: at each flow's end (local host -> outside), the payload
 * bytes each way (flow data_bytes) go to the (host, destination) pair's
 * hour and day buckets, in local time (exfil.utc_offset_min). The
 * destination is the name used (TLS SNI, HTTP Host, DNS answer), else the
 * address's /24 (IPv4) or /64 (IPv6), so a service behind many addresses is
 * one destination.
 *
 * Raised when, for a pair, the hour bucket reaches exfil.min_mb_hour or the
 * day bucket exfil.min_mb_day, and all of these hold for that window:
 *  - out/in ratio >= exfil.min_ratio: an upload, not a video call or a
 *    download with big requests (a call sends about what it receives);
 *  - the destination is new for this host: what the host sent there on
 *    earlier days is less than exfil.known_pct % of the window. A nightly
 *    backup to the same cloud is history from its second night on;
 *  - the window is at least exfil.baseline_pct % of the host's usual daily
 *    upload (mean of its last EXFIL_DAYS days with traffic): a video editor
 *    who uploads 50 GB a day is not news at 200 MB;
 *  - the host has been seen for exfil.learning_s: the first day of a sensor
 *    (or of a new PC) is learning, so every existing backup is not flagged.
 * One alert per pair and local day.
 *
 * History lives in memory only: it starts over when the sensor restarts
 * (the learning period then runs again).
 *
 * Severity: medium; high when the window reaches exfil.high_mb, when the
 * upload happened at night (exfil.night_start_h to exfil.night_end_h, local
 * time), or when the destination is a file-transfer/sharing site (variant
 * "sharing"). Facts: dest, ip, bytes_out, bytes_in, mb_out, mb_in, ratio,
 * hours (1 or 24: the window), baseline_mb, local_time, night.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/behaviour.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/util.h"

#define EXFIL_DAYS 7
#define EXFIL_FLOWS 8
#define EXFIL_MB 1000000ull
#define EXFIL_IDLE_S (8 * 86400) /* history kept for a pair or host idle this long */

static const struct detect_param exfil_params[] = {
    /* bytes out to one destination (MB) in an hour, or in a day */
    {"exfil.min_mb_hour", 100, 1, 1000000},
    {"exfil.min_mb_day", 500, 1, 1000000},
    /* out/in ratio of that window */
    {"exfil.min_ratio", 10, 1, 1000000},
    /* a host must be known this long before its uploads are judged */
    {"exfil.learning_s", 86400, 0, 30 * 86400},
    /* earlier days' bytes to the destination, as % of the window, that
     * make it a destination the host uses */
    {"exfil.known_pct", 10, 1, 100000},
    /* the window as % of the host's usual daily upload */
    {"exfil.baseline_pct", 50, 1, 100000},
    /* high from this many MB */
    {"exfil.high_mb", 1000, 1, 1000000},
    /* night (local hours, start inclusive, end exclusive): high */
    {"exfil.night_start_h", 22, 0, 23},
    {"exfil.night_end_h", 6, 0, 23},
    /* local time = UTC + this many minutes (540: Japan); for zones west of
     * UTC add 1440 (e.g. 1140 for UTC-5) */
    {"exfil.utc_offset_min", 540, 0, 1439},
    {"exfil.max_pairs", 16384, 16, 1000000},
    {"exfil.max_hosts", 4096, 16, 1000000},
    {NULL, 0, 0, 0},
};

/* File-transfer and anonymous sharing sites: a large upload there is how
 * files are handed to an outsider. Company cloud storage (Dropbox, Google
 * Drive, OneDrive, Box) is judged like any destination. */
static const char *const exfil_sharing[] = {
    "gigafile.nu", "firestorage.jp", "wetransfer.com", "we.tl", "mega.nz", "mega.io",
    "mega.co.nz", "transfer.sh", "file.io", "sendspace.com", "mediafire.com", "gofile.io",
    "pixeldrain.com", "catbox.moe", "anonfiles.com", "filemail.com", "send-anywhere.com",
    "4shared.com", "uploadfiles.io", "tmpfiles.org", NULL,
};

struct exfil_host {
    uint64_t first_us;
    uint32_t day;                 /* local day of today_out */
    uint64_t today_out;
    uint64_t past[EXFIL_DAYS];    /* earlier days' totals (days with traffic) */
    uint8_t npast, past_head;
};

struct exfil_key {
    struct ip_addr host;
    uint64_t dest; /* hash of the destination text */
};

struct exfil_pair {
    uint32_t hour, day;           /* local hour and day numbers of the buckets */
    uint64_t hour_out, hour_in, day_out, day_in;
    uint64_t prior_out;           /* sent there on earlier days */
    uint32_t alerted_day;         /* local day + 1 of the last alert */
    uint64_t flow_ids[EXFIL_FLOWS];
    uint8_t nflow_ids, flow_head;
    struct ip_addr dst;
    uint16_t dport;
    uint8_t proto;
    char dest[DEST_NAME_LEN];
};

struct det_exfil {
    struct detect *d;
    struct track *hosts, *pairs;
    uint64_t min_hour, min_day, high;
    uint32_t min_ratio, learning_s, known_pct, baseline_pct;
    uint32_t night_start, night_end, utc_offset_s;
    uint64_t last_expire_us;
};

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void exfil_reconfigure(void *st)
{
    struct det_exfil *x = st;
    struct detect *d = x->d;
    x->min_hour = detect_param(d, "exfil.min_mb_hour") * EXFIL_MB;
    x->min_day = detect_param(d, "exfil.min_mb_day") * EXFIL_MB;
    x->high = detect_param(d, "exfil.high_mb") * EXFIL_MB;
    x->min_ratio = detect_param(d, "exfil.min_ratio");
    x->learning_s = detect_param(d, "exfil.learning_s");
    x->known_pct = detect_param(d, "exfil.known_pct");
    x->baseline_pct = detect_param(d, "exfil.baseline_pct");
    x->night_start = detect_param(d, "exfil.night_start_h");
    x->night_end = detect_param(d, "exfil.night_end_h");
    x->utc_offset_s = detect_param(d, "exfil.utc_offset_min") * 60;
}

static void *exfil_create(struct detect *d)
{
    struct det_exfil *x = xcalloc(1, sizeof(*x));
    x->d = d;
    exfil_reconfigure(x);
    x->hosts = track_new(sizeof(struct ip_addr), sizeof(struct exfil_host),
                         detect_param(d, "exfil.max_hosts"));
    x->pairs = track_new(sizeof(struct exfil_key), sizeof(struct exfil_pair),
                         detect_param(d, "exfil.max_pairs"));
    return x;
}

static void exfil_destroy(void *st)
{
    struct det_exfil *x = st;
    track_free(x->hosts);
    track_free(x->pairs);
    free(x);
}

/* Local time in seconds since the epoch. */
static uint64_t exfil_local_s(const struct det_exfil *x, uint64_t ts_us)
{
    return ts_us / 1000000u + x->utc_offset_s;
}

static bool exfil_night(const struct det_exfil *x, unsigned hour)
{
    if (x->night_start == x->night_end)
        return false;
    if (x->night_start < x->night_end)
        return hour >= x->night_start && hour < x->night_end;
    return hour >= x->night_start || hour < x->night_end;
}

/* The host's usual daily upload: mean of its earlier days, 0 if none. */
static uint64_t exfil_baseline(const struct exfil_host *h)
{
    if (!h->npast)
        return 0;
    uint64_t sum = 0;
    for (unsigned i = 0; i < h->npast; i++)
        sum += h->past[i];
    return sum / h->npast;
}

static void exfil_dest_text(const struct flow *f, const char *name, char out[DEST_NAME_LEN])
{
    if (name[0]) {
        snprintf(out, DEST_NAME_LEN, "%s", name);
        return;
    }
    struct ip_addr net = f->dst;
    char buf[48];
    if (ip_addr_is_v4(&net)) {
        net.b[15] = 0;
        ip_addr_fmt(&net, buf, sizeof(buf));
        snprintf(out, DEST_NAME_LEN, "%s/24", buf);
    } else {
        memset(net.b + 8, 0, 8);
        ip_addr_fmt(&net, buf, sizeof(buf));
        snprintf(out, DEST_NAME_LEN, "%s/64", buf);
    }
}

static void exfil_raise(struct det_exfil *x, const struct exfil_key *k, struct exfil_pair *p,
                        uint64_t out, uint64_t in, unsigned hours, uint64_t baseline,
                        uint64_t now_us)
{
    uint64_t local = exfil_local_s(x, now_us);
    unsigned hour = (unsigned)(local % 86400 / 3600), minute = (unsigned)(local % 3600 / 60);
    bool night = exfil_night(x, hour);
    bool sharing = behaviour_name_in(p->dest, exfil_sharing);
    bool high = out >= x->high || night || sharing;
    struct alert a;
    char ipbuf[48], hostbuf[48], date[16], hhmm[8];
    alert_init(&a, "exfil.upload", high ? SEV_HIGH : SEV_MEDIUM, now_us);
    a.has_src = true;
    a.src = k->host;
    a.has_dst = true;
    a.dst = p->dst;
    a.dport = p->dport;
    a.proto = p->proto;
    detect_alert_device_ip(x->d, &a, &k->host);
    if (sharing)
        alert_fact_str(&a, "variant", "sharing");
    ip_addr_fmt(&p->dst, ipbuf, sizeof(ipbuf));
    alert_fact_str(&a, "dest", p->dest);
    alert_fact_str(&a, "ip", ipbuf);
    alert_fact_int(&a, "bytes_out", (long long)out);
    alert_fact_int(&a, "bytes_in", (long long)in);
    alert_fact_int(&a, "mb_out", (long long)(out / EXFIL_MB));
    alert_fact_int(&a, "mb_in", (long long)(in / EXFIL_MB));
    alert_fact_int(&a, "ratio", (long long)(in ? out / in : out));
    alert_fact_int(&a, "hours", hours);
    alert_fact_int(&a, "baseline_mb", (long long)(baseline / EXFIL_MB));
    snprintf(hhmm, sizeof(hhmm), "%02u:%02u", hour, minute);
    alert_fact_str(&a, "local_time", hhmm);
    if (night)
        json_object_set_new(a.facts, "night", json_true());
    for (unsigned i = 0; i < p->nflow_ids; i++)
        alert_add_flow(&a, p->flow_ids[i]);
    ip_addr_fmt(&k->host, hostbuf, sizeof(hostbuf));
    alert_date(now_us, date);
    alert_set_key(&a, "exfil.upload|%s|%s|%s", hostbuf, p->dest, date);
    detect_raise(x->d, &a);
    alert_release(&a);
}

static void exfil_flow(void *st, const struct flow *f)
{
    struct det_exfil *x = st;
    if (f->proto != 6 && f->proto != 17)
        return;
    unsigned flags;
    const char *name = detect_flow_dest(x->d, &flags);
    uint64_t out = f->data_bytes[0], in = f->data_bytes[1];
    if (out == 0)
        return;
    /* To the outside; the initiator is the local side (also when the LAN's
     * addresses are not in net.home, e.g. public addressing or a tap outside
     * the NAT). */
    if (detect_is_home(x->d, &f->dst) ||
        behaviour_addr_special(&f->dst) || behaviour_addr_special(&f->src))
        return;

    uint64_t now = f->last_ts_us;
    uint64_t local = exfil_local_s(x, now);
    uint32_t day = (uint32_t)(local / 86400), hour = (uint32_t)(local / 3600);

    bool created;
    struct exfil_host *h = track_get(x->hosts, &f->src, now, &created);
    if (created) {
        h->first_us = f->first_ts_us;
        h->day = day;
    }
    if (f->first_ts_us < h->first_us)
        h->first_us = f->first_ts_us;
    if (day > h->day) {
        h->past[h->past_head] = h->today_out;
        h->past_head = (uint8_t)((h->past_head + 1) % EXFIL_DAYS);
        if (h->npast < EXFIL_DAYS)
            h->npast++;
        h->today_out = 0;
        h->day = day;
    }
    /* The baseline is what the host did before today. */
    uint64_t baseline = exfil_baseline(h);
    h->today_out += out;

    struct exfil_key k;
    memset(&k, 0, sizeof(k));
    k.host = f->src;
    char dest[DEST_NAME_LEN];
    exfil_dest_text(f, name, dest);
    k.dest = track_hash_str(dest);
    struct exfil_pair *p = track_get(x->pairs, &k, now, &created);
    if (created) {
        p->day = day;
        p->hour = hour;
    }
    if (day > p->day) {
        p->prior_out += p->day_out;
        p->day_out = p->day_in = 0;
        p->day = day;
    }
    if (hour > p->hour) {
        p->hour_out = p->hour_in = 0;
        p->hour = hour;
    }
    p->hour_out += out;
    p->hour_in += in;
    p->day_out += out;
    p->day_in += in;
    p->flow_ids[p->flow_head] = f->id;
    p->flow_head = (uint8_t)((p->flow_head + 1) % EXFIL_FLOWS);
    if (p->nflow_ids < EXFIL_FLOWS)
        p->nflow_ids++;
    p->dst = f->dst;
    p->dport = f->dport;
    p->proto = f->proto;
    memcpy(p->dest, dest, sizeof(p->dest));

    if (p->alerted_day == day + 1)
        return;
    if (now < h->first_us || now - h->first_us < (uint64_t)x->learning_s * 1000000u)
        return;
    uint64_t wout, win;
    unsigned hours;
    if (p->hour_out >= x->min_hour) {
        wout = p->hour_out;
        win = p->hour_in;
        hours = 1;
    } else if (p->day_out >= x->min_day) {
        wout = p->day_out;
        win = p->day_in;
        hours = 24;
    } else {
        return;
    }
    if (wout < win * x->min_ratio)
        return;
    if (p->prior_out * 100 >= wout * x->known_pct)
        return; /* a destination the host uses */
    if (wout * 100 < baseline * x->baseline_pct)
        return; /* about what this host uploads every day */
    p->alerted_day = day + 1;
    exfil_raise(x, &k, p, wout, win, hours, baseline, now);
}

static void exfil_tick(void *st, uint64_t now_us)
{
    struct det_exfil *x = st;
    if (now_us - x->last_expire_us < 60ull * 1000000u)
        return;
    x->last_expire_us = now_us;
    uint64_t idle = (uint64_t)EXFIL_IDLE_S * 1000000u;
    if (now_us > idle) {
        track_expire(x->pairs, now_us - idle, NULL, NULL);
        track_expire(x->hosts, now_us - idle, NULL, NULL);
    }
}

const struct detector_ops det_exfil = {
    .name = "exfil.upload",
    .params = exfil_params,
    .create = exfil_create,
    .reconfigure = exfil_reconfigure,
    .destroy = exfil_destroy,
    .flow = exfil_flow,
    .tick = exfil_tick,
};
