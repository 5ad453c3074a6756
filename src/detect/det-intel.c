/* det-intel.c - intel.ip, intel.domain, intel.url, intel.ja3: traffic to or
 * from something on a threat list (src/intel: Feodo/URLhaus/SSLBL from
 * abuse.ch, Spamhaus DROP, JPCERT/CC phishing URLs, IPsum, plain lists).
 *
 * Why: a list match is the one finding an owner can act on without any
 * interpretation: "this PC talked to a known Emotet server" or "someone
 * opened a known phishing page for your bank". Lists go stale fast, so few
 * hits are expected; every hit matters.
 *
 * What is matched, where (cheap hooks only, no packet hook):
 *  - flow_start: the outside address of a flow between a local host
 *    (net.home) and the Internet against the IP/CIDR lists. Flows between
 *    two local hosts or two outside hosts are not looked at.
 *      outbound (a local host connects to a listed address): high, variant
 *        "outbound"; when the flow ends having carried payload both ways
 *        (at least intel.data_min_bytes back from the listed host) a second
 *        alert, critical, variant "data": the connection worked, C2 traffic
 *        or a download is likely.
 *      inbound (a listed address reaches a local host): low, variant
 *        "inbound" (the lists are full of scanners and the Internet scans
 *        everyone); medium, variant "answered", when the local host sent
 *        payload back (a service of ours talked to it).
 *  - DNS queries of local hosts (intel.domain variant "dns", high), the TLS
 *    SNI (variant "tls", high) and HTTP Host (variant "http", high): the
 *    name or a parent down to the registrable domain on a domain list.
 *  - HTTP requests of local hosts: the full URL on a URL list (intel.url,
 *    variant "url", high: the page was opened). A name (DNS query, SNI,
 *    Host) that is exactly the host of a listed URL: intel.url variant
 *    "host", high: most phishing pages are HTTPS, so the name is all the
 *    sensor sees.
 *  - TLS ClientHello JA3 of local hosts on a JA3 list: intel.ja3, medium (a
 *    fingerprint of the TLS library, shared by some ordinary software too).
 *
 * Aggregation (keys): per local host, list entry and day, so a PC beaconing
 * to one C2 all day is one alert with a count; inbound per listed source and
 * day (one scanner sweeping the office is one alert).
 *
 * Facts: list (name), entry (the listed CIDR/domain/URL/JA3), note (what the
 * list says: brand, malware family, SBL id; optional), indicator (what was
 * seen: address, name, URL, hash), port (intel.ip).
 *
 * Quiet by construction: no list, no work (intel_has() checks first); a
 * look-alike of a listed domain (evil-example.com vs example.com) does not
 * match, only the name and its subdomains; "com" or "co.jp" on a list is
 * dropped at load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "intel/intel.h"
#include "util/util.h"

#define INTEL_TRACK_FLOWS 65536
#define INTEL_TRACK_IDLE_US (24ull * 3600 * 1000000)

static const struct detect_param intel_params[] = {
    /* IPsum lines listed by fewer blocklists are left out at load (1 is
     * mostly noise: one report by one honeypot). */
    {"intel.ipsum_min_count", INTEL_IPSUM_MIN_DEFAULT, 1, 1000},
    /* Payload bytes the listed host must send back for an outbound flow to
     * count as "data exchanged" (critical). */
    {"intel.data_min_bytes", 1, 1, 1u << 30},
    {NULL, 0, 0, 0},
};

struct flow_hit {
    uint8_t outbound; /* 1: local initiator, 0: listed initiator */
};

struct det_intel {
    struct detect *d;
    struct track *flows; /* flow id -> struct flow_hit, flows that started on a list */
    uint64_t data_min;
};

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void intel_reconfigure(void *st)
{
    struct det_intel *s = st;
    struct detect *d = s->d;
    s->data_min = detect_param(d, "intel.data_min_bytes");
    /* Applies when the lists load, which a reload does right after this
     * (sensor_reload_lists): read here so the reload counts it applied. */
    (void)detect_param(d, "intel.ipsum_min_count");
}

static void *intel_create(struct detect *d)
{
    struct det_intel *s = xcalloc(1, sizeof(*s));
    s->d = d;
    s->flows = track_new(sizeof(uint64_t), sizeof(struct flow_hit), INTEL_TRACK_FLOWS);
    intel_reconfigure(s);
    return s;
}

static void intel_destroy(void *st)
{
    struct det_intel *s = st;
    track_free(s->flows);
    free(s);
}

/* Puts the text of a long indicator in a key: a hash beyond 96 bytes. */
static void key_part(const char *s, char *out, size_t outlen)
{
    if (strlen(s) <= 96)
        snprintf(out, outlen, "%s", s);
    else
        snprintf(out, outlen, "#%016llx", (unsigned long long)track_hash_str(s));
}

static void intel_facts(struct alert *a, const struct intel_match *m, const char *indicator,
                        const char *variant)
{
    alert_fact_str(a, "variant", variant);
    alert_fact_str(a, "list", m->list);
    alert_fact_str(a, "entry", m->entry);
    alert_fact_str(a, "note", m->note);
    alert_fact_str(a, "indicator", indicator);
}

static void intel_raise_ip(struct det_intel *s, const struct flow *f, const struct intel_match *m,
                           bool outbound, const char *variant, enum alert_severity sev,
                           uint64_t ts)
{
    const struct ip_addr *local = outbound ? &f->src : &f->dst;
    const struct ip_addr *remote = outbound ? &f->dst : &f->src;
    char lip[48], rip[48], date[16];
    ip_addr_fmt(local, lip, sizeof(lip));
    ip_addr_fmt(remote, rip, sizeof(rip));
    alert_date(ts, date);
    struct alert a;
    alert_init(&a, "intel.ip", sev, ts);
    alert_set_conn(&a, f);
    detect_alert_device_ip(s->d, &a, local);
    intel_facts(&a, m, rip, variant);
    if (f->dport)
        alert_fact_int(&a, "port", f->dport);
    alert_add_flow(&a, f->id);
    if (outbound)
        alert_set_key(&a, "intel.ip|%s|%s|%s|%s", variant, lip, rip, date);
    else
        alert_set_key(&a, "intel.ip|%s|%s|%s", variant, rip, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

static void intel_flow_start(void *st, const struct flow *f)
{
    struct det_intel *s = st;
    const struct intel_db *db = detect_intel(s->d);
    if (!intel_has(db, INTEL_IP))
        return;
    bool src_home = detect_is_home(s->d, &f->src), dst_home = detect_is_home(s->d, &f->dst);
    if (src_home == dst_home)
        return;
    struct intel_match m;
    if (!intel_match_ip(db, src_home ? &f->dst : &f->src, &m))
        return;
    intel_raise_ip(s, f, &m, src_home, src_home ? "outbound" : "inbound",
                   src_home ? SEV_HIGH : SEV_LOW, f->first_ts_us);
    struct flow_hit *h = track_get(s->flows, &f->id, f->first_ts_us, NULL);
    h->outbound = src_home;
}

static void intel_flow(void *st, const struct flow *f)
{
    struct det_intel *s = st;
    if (!track_count(s->flows))
        return;
    struct flow_hit *h = track_find(s->flows, &f->id);
    if (!h)
        return;
    bool outbound = h->outbound;
    track_del(s->flows, &f->id);
    const struct intel_db *db = detect_intel(s->d);
    struct intel_match m;
    if (!db || !intel_match_ip(db, outbound ? &f->dst : &f->src, &m))
        return;
    if (outbound && f->data_bytes[0] > 0 && f->data_bytes[1] >= s->data_min)
        intel_raise_ip(s, f, &m, true, "data", SEV_CRITICAL, f->last_ts_us);
    else if (!outbound && f->data_bytes[0] > 0 && f->data_bytes[1] > 0)
        intel_raise_ip(s, f, &m, false, "answered", SEV_MEDIUM, f->last_ts_us);
}

/* A name or URL event of a local client. */
static void intel_raise_name(struct det_intel *s, const struct app_event *ev,
                             const char *category, enum alert_severity sev,
                             const struct intel_match *m, const char *indicator,
                             const char *variant)
{
    const struct flow *f = ev->f;
    char lip[48], date[16], kp[112];
    ip_addr_fmt(&f->src, lip, sizeof(lip));
    alert_date(ev->ts_us, date);
    key_part(m->entry, kp, sizeof(kp));
    struct alert a;
    alert_init(&a, category, sev, ev->ts_us);
    alert_set_conn(&a, f);
    detect_alert_device_ip(s->d, &a, &f->src);
    intel_facts(&a, m, indicator, variant);
    alert_add_flow(&a, f->id);
    alert_set_key(&a, "%s|%s|%s|%s", category, lip, kp, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

/* A name the client used (DNS query, SNI, Host): domain lists, then the
 * hosts of listed URLs. */
static void intel_name(struct det_intel *s, const struct app_event *ev,
                       const struct intel_db *db, const char *name, const char *variant,
                       bool url_hit)
{
    struct intel_match m;
    if (!name || !*name)
        return;
    if (intel_match_domain(db, name, &m))
        intel_raise_name(s, ev, "intel.domain", SEV_HIGH, &m, name, variant);
    if (!url_hit && intel_match_url_host(db, name, &m))
        intel_raise_name(s, ev, "intel.url", SEV_HIGH, &m, name, "host");
}

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void intel_http(struct det_intel *s, const struct app_event *ev, const struct intel_db *db)
{
    const char *host = jstr(ev->body, "hostname");
    const char *path = jstr(ev->body, "url");
    bool url_hit = false;
    if (path && intel_has(db, INTEL_URL)) {
        char full[4200];
        if (strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0) {
            snprintf(full, sizeof(full), "%s", path);
        } else if (host) {
            json_int_t port = json_integer_value(json_object_get(ev->body, "http_port"));
            if (port > 0 && port != 80 && !strchr(host, ':'))
                snprintf(full, sizeof(full), "http://%s:%lld%s", host, (long long)port, path);
            else
                snprintf(full, sizeof(full), "http://%s%s", host, path);
        } else {
            full[0] = '\0';
        }
        struct intel_match m;
        if (full[0] && intel_match_url(db, full, &m)) {
            intel_raise_name(s, ev, "intel.url", SEV_HIGH, &m, full, "url");
            url_hit = true;
        }
    }
    intel_name(s, ev, db, host, "http", url_hit);
}

static void intel_app_event(void *st, const struct app_event *ev)
{
    struct det_intel *s = st;
    const struct intel_db *db = detect_intel(s->d);
    if (!db || !ev->body || !ev->f || !intel_db_entries(db))
        return;
    const char *t = ev->type;
    bool dns = strcmp(t, "dns") == 0, tls = strcmp(t, "tls") == 0, http = strcmp(t, "http") == 0;
    if (!dns && !tls && !http)
        return;
    /* Only what local clients ask for: a name looked up by an outside host
     * through our server is not our exposure. */
    if (!detect_is_home(s->d, &ev->f->src))
        return;
    bool names = intel_has(db, INTEL_DOMAIN) || intel_has(db, INTEL_URL_HOST);
    if (dns) {
        if (!names || strcmp(ev->app_proto ? ev->app_proto : "", "dns") != 0)
            return;
        const char *type = jstr(ev->body, "type");
        if (!type || strcmp(type, "query") != 0)
            return;
        intel_name(s, ev, db, jstr(ev->body, "rrname"), "dns", false);
    } else if (tls) {
        if (names)
            intel_name(s, ev, db, jstr(ev->body, "sni"), "tls", false);
        const char *ja3 = jstr(json_object_get(ev->body, "ja3"), "hash");
        struct intel_match m;
        if (ja3 && intel_match_ja3(db, ja3, &m))
            intel_raise_name(s, ev, "intel.ja3", SEV_MEDIUM, &m, ja3, NULL);
    } else {
        intel_http(s, ev, db);
    }
}

static void intel_tick(void *st, uint64_t now_us)
{
    struct det_intel *s = st;
    if (track_count(s->flows) && now_us > INTEL_TRACK_IDLE_US)
        track_expire(s->flows, now_us - INTEL_TRACK_IDLE_US, NULL, NULL);
}

const struct detector_ops det_intel = {
    .name = "intel",
    .params = intel_params,
    .create = intel_create,
    .reconfigure = intel_reconfigure,
    .destroy = intel_destroy,
    .flow_start = intel_flow_start,
    .flow = intel_flow,
    .app_event = intel_app_event,
    .tick = intel_tick,
};
