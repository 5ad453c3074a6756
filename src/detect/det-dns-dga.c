/* det-dns-dga.c - dns.dga: a PC looks up many machine-generated domain
 * names that do not exist: malware with a domain generation algorithm (DGA)
 * trying today's list of candidate names to find its control server.
 *
 * Why: a DGA burst is one of the clearest signs that a PC is infected: the
 * malware already runs and is phoning home; the few names that resolve are
 * where it gets its orders. Blocking one domain does not help (tomorrow's
 * list is new), cleaning the PC does.
 *
 * How: DNS answers to local hosts, per host over a window (dns.dga_window_s,
 * 10 minutes by default). For each answered name: its registrable domain
 * (ICANN suffixes: d1234abcd.cloudfront.net counts as cloudfront.net, so the
 * random-looking labels of CDNs and clouds are never judged) and that
 * domain's own label ("db54a845" of db54a845.top). The label looks generated
 * when (dnsname_label_random(), 8+ characters):
 *   - it is hex with digits and letters mixed (a hash),
 *   - letters and digits alternate (3+ switches, 2+ digits),
 *   - its letter pairs are unlikely in English and romaji (average cost 105
 *     or more in the built-in table; words score 60-90), or it has a run of
 *     5+ consonants with a poor pair score.
 * Raised (high) when a host got NXDOMAIN for dns.dga_min_nx distinct
 * generated-looking domains in a window and at least dns.dga_nx_pct percent
 * of its generated-looking domains failed ("most of them NXDOMAIN": a DGA
 * burst, not a PC visiting odd but real sites). Raised at once; key
 * "dns.dga|<host>|<date>", later names add to its count.
 *
 * Weak signal, variant "single": one generated-looking domain under a TLD
 * malware favours (.top, .xyz, .tk...: dnsname_abused_tld()) that resolved
 * or that the host reached over HTTP (Host) or TLS (SNI), e.g. the Foudre
 * backdoor's db54a845.top. Medium when the label is hex (a hash), low
 * otherwise (dns.dga_single 0 turns it off). CDN names never count: their
 * random part is a subdomain, not the registrable label.
 *
 * What stays quiet: single-label names (Chrome's three random probes at
 * start-up, Windows name lookups), local and service names (.local, .lan,
 * .home.arpa, corp AD SRV lookups, .arpa reverse lookups), the browser
 * probes with the office's search domain appended (they share one
 * registrable domain, counted once), DNS block lists and antivirus lookups
 * (dnsname_is_hash_service()), mDNS, LLMNR and NBNS.
 *
 * Facts: nx_names (distinct generated-looking domains that failed),
 * ok_names (that resolved), nx_all (distinct failed domains of any shape),
 * samples (up to three), server, ip; "single": domain, shape ("hex",
 * "mixed", "letters"), via ("dns", "http", "tls"), ip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/dnsname.h"
#include "detect/track.h"
#include "util/util.h"

#define DGA_BLOOM_WORDS 16 /* 1024 bits */
#define DGA_MAX_TRACKED 4096
#define DGA_SAMPLES 3
#define DGA_FLOWS 4
#define DGA_EXPIRE_EVERY_US (10ull * 1000000ull)

static const struct detect_param dga_params[] = {
    {"dns.dga_window_s", 600, 10, 86400},
    {"dns.dga_min_nx", 8, 2, 100000},
    {"dns.dga_nx_pct", 60, 0, 100},
    {"dns.dga_single", 1, 0, 1},
    {NULL, 0, 0, 0},
};

struct dga_val {
    uint64_t win_start, last_us;
    uint64_t bloom[DGA_BLOOM_WORDS];
    uint32_t rand_nx, rand_ok, nx_all;
    uint32_t reported;
    bool raised;
    struct ip_addr server;
    uint64_t flows[DGA_FLOWS];
    uint8_t nflows;
    char samples[DGA_SAMPLES][48];
    uint8_t nsamples;
};

struct det_dga {
    struct detect *d;
    struct track *t;
    uint64_t window_us;
    uint32_t min_nx, nx_pct;
    bool single;
    uint64_t next_expire;
};

static void dga_eval(struct det_dga *g, const struct ip_addr *host, struct dga_val *v,
                     bool closing);

static void dga_close_cb(void *arg, const void *key, void *val)
{
    dga_eval(arg, key, val, true);
}

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void dga_reconfigure(void *st)
{
    struct det_dga *g = st;
    struct detect *d = g->d;
    g->window_us = (uint64_t)detect_param(d, "dns.dga_window_s") * 1000000u;
    g->min_nx = detect_param(d, "dns.dga_min_nx");
    g->nx_pct = detect_param(d, "dns.dga_nx_pct");
    g->single = detect_param(d, "dns.dga_single") != 0;
}

static void *dga_create(struct detect *d)
{
    struct det_dga *g = xcalloc(1, sizeof(*g));
    g->d = d;
    dga_reconfigure(g);
    g->t = track_new(sizeof(struct ip_addr), sizeof(struct dga_val), DGA_MAX_TRACKED);
    track_set_drop(g->t, dga_close_cb, g);
    return g;
}

static void dga_destroy(void *st)
{
    struct det_dga *g = st;
    track_set_drop(g->t, NULL, NULL);
    track_free(g->t);
    free(g);
}

static bool dga_bloom_add(uint64_t *bloom, uint64_t h)
{
    unsigned a = (unsigned)(h & 1023), b = (unsigned)((h >> 10) & 1023);
    bool seen = (bloom[a >> 6] >> (a & 63) & 1) && (bloom[b >> 6] >> (b & 63) & 1);
    bloom[a >> 6] |= 1ull << (a & 63);
    bloom[b >> 6] |= 1ull << (b & 63);
    return !seen;
}

static void dga_eval(struct det_dga *g, const struct ip_addr *host, struct dga_val *v,
                     bool closing)
{
    if (v->raised) {
        if (!closing || v->rand_nx <= v->reported)
            return;
    } else {
        if (v->rand_nx < g->min_nx)
            return;
        if ((uint64_t)v->rand_nx * 100u < (uint64_t)g->nx_pct * (v->rand_nx + v->rand_ok))
            return;
    }
    char date[16], ip[48], server[48];
    struct alert a;
    alert_init(&a, "dns.dga", SEV_HIGH, v->win_start);
    a.last_ts_us = v->last_us;
    a.count = v->rand_nx - v->reported;
    a.has_src = true;
    a.src = *host;
    a.has_dst = true;
    a.dst = v->server;
    ip_addr_fmt(host, ip, sizeof(ip));
    ip_addr_fmt(&v->server, server, sizeof(server));
    detect_alert_device_ip(g->d, &a, host);
    for (unsigned i = 0; i < v->nflows; i++)
        alert_add_flow(&a, v->flows[i]);
    alert_fact_str(&a, "ip", ip);
    alert_fact_str(&a, "server", server);
    alert_fact_int(&a, "nx_names", v->rand_nx);
    alert_fact_int(&a, "ok_names", v->rand_ok);
    alert_fact_int(&a, "nx_all", v->nx_all);
    char samples[DGA_SAMPLES * 50];
    samples[0] = '\0';
    size_t off = 0;
    for (unsigned i = 0; i < v->nsamples; i++) {
        int w = snprintf(samples + off, sizeof(samples) - off, "%s%s", i ? ", " : "",
                         v->samples[i]);
        if (w < 0 || (size_t)w >= sizeof(samples) - off)
            break;
        off += (size_t)w;
    }
    alert_fact_str(&a, "samples", samples);
    alert_date(v->win_start, date);
    alert_set_key(&a, "dns.dga|%s|%s", ip, date);
    detect_raise(g->d, &a);
    alert_release(&a);
    v->reported = v->rand_nx;
    v->raised = true;
}

static const char *dga_shape_name(enum dnsname_random r)
{
    switch (r) {
    case DNSNAME_RANDOM_HEX:
        return "hex";
    case DNSNAME_RANDOM_MIXED:
        return "mixed";
    case DNSNAME_RANDOM_LETTERS:
        return "letters";
    default:
        return "";
    }
}

/* A generated-looking domain under a TLD malware favours was resolved or
 * reached. */
static void dga_single(struct det_dga *g, const struct app_event *ev, const struct ip_addr *host,
                       const struct ip_addr *peer, const char *rd, enum dnsname_random shape,
                       const char *via)
{
    if (!g->single || !dnsname_abused_tld(rd))
        return;
    char date[16], ip[48];
    struct alert a;
    alert_init(&a, "dns.dga", shape == DNSNAME_RANDOM_HEX ? SEV_MEDIUM : SEV_LOW, ev->ts_us);
    alert_fact_str(&a, "variant", "single");
    a.has_src = true;
    a.src = *host;
    if (peer) {
        a.has_dst = true;
        a.dst = *peer;
    }
    ip_addr_fmt(host, ip, sizeof(ip));
    detect_alert_device_ip(g->d, &a, host);
    if (ev->f)
        alert_add_flow(&a, ev->f->id);
    alert_fact_str(&a, "ip", ip);
    alert_fact_str(&a, "domain", rd);
    alert_fact_str(&a, "shape", dga_shape_name(shape));
    alert_fact_str(&a, "via", via);
    alert_date(ev->ts_us, date);
    alert_set_key(&a, "dns.dga|%s|%s|%s", ip, rd, date);
    detect_raise(g->d, &a);
    alert_release(&a);
}

/* The registrable domain of a name worth judging, and its label's shape. */
static const char *dga_domain(const char *name, enum dnsname_random *shape)
{
    if (dnsname_is_local(name))
        return NULL;
    const char *rd = dnsname_registrable(name);
    if (!rd || dnsname_is_hash_service(rd))
        return NULL;
    const char *dot = strchr(rd, '.');
    *shape = dnsname_label_random(rd, dot ? (size_t)(dot - rd) : strlen(rd));
    return rd;
}

/* Whether an answer gave addresses (the name resolved). */
static bool dga_resolved(const struct dnsname_ev *e)
{
    if (strcmp(e->rcode, "NOERROR") != 0 || !e->answers)
        return false;
    size_t na = json_array_size(e->answers);
    for (size_t i = 0; i < na && i < 64; i++) {
        const char *t = json_string_value(json_object_get(json_array_get(e->answers, i),
                                                          "rrtype"));
        if (t && (strcmp(t, "A") == 0 || strcmp(t, "AAAA") == 0))
            return true;
    }
    return false;
}

static void dga_dns_answer(struct det_dga *g, const struct app_event *ev,
                           const struct dnsname_ev *e)
{
    char name[DNSNAME_MAX + 1];
    if (dnsname_norm(e->rrname, name, sizeof(name)) == 0)
        return;
    enum dnsname_random shape = DNSNAME_WORDLIKE;
    const char *rd = dga_domain(name, &shape);
    if (!rd)
        return;
    bool nx = strcmp(e->rcode, "NXDOMAIN") == 0;
    bool ok = !nx && dga_resolved(e);
    if (!nx && !(ok && shape != DNSNAME_WORDLIKE))
        return; /* only failures and generated-looking successes matter */

    bool created = false;
    struct dga_val *v = track_get(g->t, &e->client, ev->ts_us, &created);
    if (created) {
        v->win_start = ev->ts_us;
    } else if (ev->ts_us >= v->win_start + g->window_us) {
        dga_eval(g, &e->client, v, true);
        memset(v, 0, sizeof(*v));
        v->win_start = ev->ts_us;
    }
    if (ev->ts_us > v->last_us)
        v->last_us = ev->ts_us;
    v->server = e->server;
    uint64_t h = track_hash_str(rd);
    if (nx) {
        if (!dga_bloom_add(v->bloom, h))
            return; /* this domain failed before in the window */
        v->nx_all++;
        if (shape == DNSNAME_WORDLIKE)
            return;
        v->rand_nx++;
        if (v->nsamples < DGA_SAMPLES)
            snprintf(v->samples[v->nsamples++], sizeof(v->samples[0]), "%s", rd);
        if (v->nflows < DGA_FLOWS)
            v->flows[v->nflows++] = ev->f->id;
        dga_eval(g, &e->client, v, false);
    } else {
        if (dga_bloom_add(v->bloom, h ^ 0x9e3779b97f4a7c15ull))
            v->rand_ok++;
        dga_single(g, ev, &e->client, NULL, rd, shape, "dns");
    }
}

/* HTTP Host and TLS SNI: a connection to a generated-looking domain (the
 * DNS lookup may be cached or unseen). */
static void dga_conn_name(struct det_dga *g, const struct app_event *ev, const char *host,
                          const char *via)
{
    const struct flow *f = ev->f;
    if (!host || !f || !detect_is_home(g->d, &f->src) || detect_is_home(g->d, &f->dst))
        return;
    char name[256];
    size_t n = 0;
    for (; host[n] && host[n] != ':' && n < sizeof(name) - 1; n++)
        name[n] = host[n];
    name[n] = '\0';
    char norm[sizeof(name)];
    if (dnsname_norm(name, norm, sizeof(norm)) == 0)
        return;
    enum dnsname_random shape = DNSNAME_WORDLIKE;
    const char *rd = dga_domain(norm, &shape);
    if (rd && shape != DNSNAME_WORDLIKE)
        dga_single(g, ev, &f->src, &f->dst, rd, shape, via);
}

static void dga_app_event(void *st, const struct app_event *ev)
{
    struct det_dga *g = st;
    if (!ev || !ev->type)
        return;
    if (strcmp(ev->type, "http") == 0) {
        if (g->single)
            dga_conn_name(g, ev, json_string_value(json_object_get(ev->body, "hostname")),
                          "http");
        return;
    }
    if (strcmp(ev->type, "tls") == 0) {
        if (g->single)
            dga_conn_name(g, ev, json_string_value(json_object_get(ev->body, "sni")), "tls");
        return;
    }
    struct dnsname_ev e;
    if (!dnsname_event(ev, &e) || !e.answer || !detect_is_home(g->d, &e.client))
        return;
    dga_dns_answer(g, ev, &e);
}

static void dga_tick(void *st, uint64_t now_us)
{
    struct det_dga *g = st;
    if (now_us < g->next_expire)
        return;
    g->next_expire = now_us + DGA_EXPIRE_EVERY_US;
    if (now_us > g->window_us)
        track_expire(g->t, now_us - g->window_us, dga_close_cb, g);
}

static void dga_finish(void *st)
{
    struct det_dga *g = st;
    track_expire(g->t, UINT64_MAX, dga_close_cb, g);
}

const struct detector_ops det_dns_dga = {
    .name = "dns.dga",
    .params = dga_params,
    .create = dga_create,
    .reconfigure = dga_reconfigure,
    .destroy = dga_destroy,
    .app_event = dga_app_event,
    .tick = dga_tick,
    .finish = dga_finish,
};
