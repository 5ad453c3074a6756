/* det-dns-tunnel.c - dns.tunnel: a PC carries data in and out through DNS
 * names and answers (iodine, dnscat2, DNS exfiltration, PowerShell C2 over
 * TXT records).
 *
 * Why: DNS is the one protocol every office firewall lets through, so
 * malware and insiders use it as a hidden channel: the data is spelled into
 * the names of lookups for a domain the attacker runs ("<data>.evil.example"),
 * the answers (TXT, NULL, CNAME, MX records) bring commands back.
 *
 * How: every plain DNS query from a local host is counted per (host,
 * registrable domain) over a window (dns.tunnel_window_s, 10 minutes by
 * default: the real tunnels send 50-220 names a minute, a slow one a few a
 * minute). Names a tunnel sends directly to its server without any domain
 * ("dnscat.6b03f5...") count per (host, server). Per window:
 *   - unique names (a 2048-bit Bloom filter per entry; exact enough below a
 *     few hundred names, and past that the thresholds are long crossed),
 *   - the payload: characters of the unique subdomains plus the rdata bytes
 *     of answers to TXT/NULL/CNAME/MX/ANY/private-type queries.
 * Signals (one point each):
 *   1. encoded names: at least 30% of the unique names have a long label of
 *      hex, base32/base64-like or raw bytes (dnsname_subdomain());
 *   2. long names: unique subdomains average 20+ characters, or one query
 *      name has 100+ (legitimate names rarely pass 60);
 *   3. unusual types: half the queries or more ask TXT, NULL, CNAME, MX, ANY
 *      or a private type (browsers and mail ask A/AAAA/HTTPS/MX for a few
 *      names, not for dozens of unique ones);
 *   4. data in answers: 2 KiB or more of answer rdata to those queries.
 * Raised when either
 *   - data in the names: dns.tunnel_min_names unique names, a payload of
 *     dns.tunnel_min_bytes and dns.tunnel_min_signals points, or
 *   - data in the answers (a script pulled down in TXT records, as in
 *     "PowerShell over DNS" stagers): dns.tunnel_min_answer_names unique
 *     names, signals 3 and 4, and dns.tunnel_min_bytes of answer rdata.
 * Names under a TLD the Public Suffix List does not know (iodine's
 * "pirate.sea", dnscat2's bare "dnscat.<hex>") have no registrable domain:
 * they count per (host, DNS server), variant "direct".
 *
 * Severity: high when the payload reaches dns.tunnel_high_bytes (raised as
 * soon as it does, with the facts of that moment), medium below (raised when
 * the window ends, with the window's totals). A medium alert stays medium
 * for the day even if a later window is bigger (the stage keeps the first
 * record; later windows only add to its count). Key "dns.tunnel|<host>|<domain>|<date>": one alert per
 * host, domain and day; later windows add their queries to its count.
 *
 * What stays quiet: names repeated (a flood of one name is not a channel:
 * unique names are counted), local and service names (.local, .lan, corp AD
 * SRV lookups, _dmarc/_domainkey TXT, reverse PTR lookups under .arpa;
 * dnsname_is_local()), services that put hashes or addresses in labels by
 * design (DNS block lists queried by mail servers, antivirus cloud lookups:
 * dnsname_is_hash_service()), CDN and cloud names (short labels or words
 * with hyphens: not "encoded", and never kilobytes to one domain), mDNS,
 * LLMNR and NBNS. Hosts outside net.home are not followed.
 *
 * Facts: variant ("direct" when the names belong to no domain), domain,
 * server, queries, names, encoded, avg_len, max_len, qtype, odd_pct, bytes,
 * answer_bytes, seconds, bytes_per_min, sample, signals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/dnsname.h"
#include "detect/track.h"
#include "util/util.h"

#define TUN_BLOOM_WORDS 32 /* 2048 bits */
#define TUN_MAX_TRACKED 8192
#define TUN_FLOWS 4
#define TUN_EXPIRE_EVERY_US (10ull * 1000000ull)

static const struct detect_param tun_params[] = {
    {"dns.tunnel_window_s", 600, 10, 86400},
    {"dns.tunnel_min_names", 20, 3, 1000000},
    {"dns.tunnel_min_bytes", 2048, 64, 100000000},
    {"dns.tunnel_high_bytes", 4096, 64, 100000000},
    {"dns.tunnel_min_answer_names", 10, 2, 1000000},
    {"dns.tunnel_min_signals", 2, 1, 4},
    {NULL, 0, 0, 0},
};

enum tun_qtype { TQ_NORMAL = 0, TQ_TXT, TQ_NULL, TQ_CNAME, TQ_MX, TQ_OTHER, TQ_MAX };
static const char *const tun_qtype_names[TQ_MAX] = {"A", "TXT", "NULL", "CNAME", "MX", "other"};

struct tun_key {
    struct ip_addr host;
    uint64_t group; /* hash of the registrable domain, or of the server */
};

struct tun_val {
    uint64_t win_start, last_us;
    uint64_t bloom[TUN_BLOOM_WORDS];
    uint32_t queries, names, encoded;
    uint32_t qtypes[TQ_MAX];
    uint64_t name_bytes;   /* characters of the unique subdomains */
    uint64_t answer_bytes; /* rdata of answers to unusual types */
    uint32_t max_len;
    uint32_t reported;     /* queries already counted in an alert this window */
    bool raised, raised_high, direct;
    struct ip_addr server;
    uint64_t flows[TUN_FLOWS];
    uint8_t nflows;
    char domain[80];
    char sample[72];
    uint32_t sample_len;   /* length of the subdomain sampled (the longest) */
};

struct det_tunnel {
    struct detect *d;
    struct track *t;
    uint64_t window_us;
    uint32_t min_names, min_bytes, high_bytes, min_signals, min_answer_names;
    uint64_t next_expire;
};

static void tun_eval(struct det_tunnel *t, const struct tun_key *k, struct tun_val *v,
                     bool closing);

static void tun_close_cb(void *arg, const void *key, void *val)
{
    tun_eval(arg, key, val, true);
}

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void tun_reconfigure(void *st)
{
    struct det_tunnel *t = st;
    struct detect *d = t->d;
    t->window_us = (uint64_t)detect_param(d, "dns.tunnel_window_s") * 1000000u;
    t->min_names = detect_param(d, "dns.tunnel_min_names");
    t->min_bytes = detect_param(d, "dns.tunnel_min_bytes");
    t->high_bytes = detect_param(d, "dns.tunnel_high_bytes");
    t->min_signals = detect_param(d, "dns.tunnel_min_signals");
    t->min_answer_names = detect_param(d, "dns.tunnel_min_answer_names");
}

static void *tun_create(struct detect *d)
{
    struct det_tunnel *t = xcalloc(1, sizeof(*t));
    t->d = d;
    tun_reconfigure(t);
    t->t = track_new(sizeof(struct tun_key), sizeof(struct tun_val), TUN_MAX_TRACKED);
    /* An entry pushed out under pressure still gets its verdict. */
    track_set_drop(t->t, tun_close_cb, t);
    return t;
}

static void tun_destroy(void *st)
{
    struct det_tunnel *t = st;
    track_set_drop(t->t, NULL, NULL); /* the stage may be half gone: no raising now */
    track_free(t->t);
    free(t);
}

static enum tun_qtype tun_qtype(const char *rrtype)
{
    if (strcmp(rrtype, "TXT") == 0)
        return TQ_TXT;
    if (strcmp(rrtype, "NULL") == 0)
        return TQ_NULL;
    if (strcmp(rrtype, "CNAME") == 0)
        return TQ_CNAME;
    if (strcmp(rrtype, "MX") == 0)
        return TQ_MX;
    /* ANY, and types the parser has no name for (private use 65280+,
     * experimental ones) */
    if (strcmp(rrtype, "ANY") == 0 || (rrtype[0] >= '0' && rrtype[0] <= '9'))
        return TQ_OTHER;
    return TQ_NORMAL;
}

/* Adds h to the filter; true when it was not there. */
static bool tun_bloom_add(uint64_t *bloom, uint64_t h)
{
    unsigned a = (unsigned)(h & 2047), b = (unsigned)((h >> 11) & 2047);
    bool seen = (bloom[a >> 6] >> (a & 63) & 1) && (bloom[b >> 6] >> (b & 63) & 1);
    bloom[a >> 6] |= 1ull << (a & 63);
    bloom[b >> 6] |= 1ull << (b & 63);
    return !seen;
}

static void tun_reset_window(struct tun_val *v, uint64_t now)
{
    struct ip_addr server = v->server;
    bool direct = v->direct;
    char domain[sizeof(v->domain)];
    memcpy(domain, v->domain, sizeof(domain));
    memset(v, 0, sizeof(*v));
    v->server = server;
    v->direct = direct;
    memcpy(v->domain, domain, sizeof(domain));
    v->win_start = now;
}

/* Which signals hold (bit i: signal i+1 of the top comment). */
static unsigned tun_signals(const struct tun_val *v)
{
    unsigned s = 0;
    uint32_t odd = v->queries - v->qtypes[TQ_NORMAL];
    if (v->names && v->encoded * 100u >= v->names * 30u)
        s |= 1u;
    if ((v->names && v->name_bytes >= 20u * v->names) || v->max_len >= 100)
        s |= 2u;
    if (v->queries && odd * 2u >= v->queries)
        s |= 4u;
    if (v->answer_bytes >= 2048)
        s |= 8u;
    return s;
}

static unsigned tun_popcount(unsigned x)
{
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static void tun_eval(struct det_tunnel *t, const struct tun_key *k, struct tun_val *v,
                     bool closing)
{
    if (!closing && v->raised_high)
        return; /* the rest of the window is counted when it closes */
    if (v->raised) {
        /* Flagged earlier in this window: add what came since. */
        if (!closing || v->queries <= v->reported)
            return;
    } else if (v->names < t->min_answer_names) {
        return;
    }
    uint64_t payload = v->name_bytes + v->answer_bytes;
    unsigned sig = tun_signals(v);
    if (!v->raised) {
        /* Data in the names: many unique ones. Data in the answers (a
         * script pulled down in TXT records): fewer names, but kilobytes
         * of answers to unusual types. */
        bool in_names = v->names >= t->min_names && payload >= t->min_bytes &&
                        tun_popcount(sig) >= t->min_signals;
        bool in_answers = v->answer_bytes >= t->min_bytes && (sig & 4u) && (sig & 8u);
        if (!in_names && !in_answers)
            return;
    }
    bool high = payload >= t->high_bytes;
    if (!v->raised && !closing && !high)
        return; /* medium: wait for the window's totals */

    char date[16], host[48], server[48];
    struct alert a;
    alert_init(&a, "dns.tunnel", high ? SEV_HIGH : SEV_MEDIUM, v->win_start);
    a.last_ts_us = v->last_us;
    a.count = v->queries - v->reported;
    a.has_src = true;
    a.src = k->host;
    a.has_dst = true;
    a.dst = v->server;
    a.proto = 17;
    a.dport = 53;
    ip_addr_fmt(&k->host, host, sizeof(host));
    ip_addr_fmt(&v->server, server, sizeof(server));
    detect_alert_device_ip(t->d, &a, &k->host);
    for (unsigned i = 0; i < v->nflows; i++)
        alert_add_flow(&a, v->flows[i]);
    if (v->direct)
        alert_fact_str(&a, "variant", "direct");
    alert_fact_str(&a, "domain", v->domain);
    alert_fact_str(&a, "server", server);
    alert_fact_str(&a, "ip", host);
    alert_fact_int(&a, "queries", v->queries);
    alert_fact_int(&a, "names", v->names);
    alert_fact_int(&a, "encoded", v->encoded);
    alert_fact_int(&a, "avg_len", v->names ? (long long)(v->name_bytes / v->names) : 0);
    alert_fact_int(&a, "max_len", v->max_len);
    enum tun_qtype top = TQ_NORMAL;
    for (unsigned q = TQ_TXT; q < TQ_MAX; q++)
        if (v->qtypes[q] > v->qtypes[top])
            top = (enum tun_qtype)q;
    alert_fact_str(&a, "qtype", tun_qtype_names[top]);
    uint32_t odd = v->queries - v->qtypes[TQ_NORMAL];
    alert_fact_int(&a, "odd_pct", v->queries ? (long long)(odd * 100ull / v->queries) : 0);
    alert_fact_int(&a, "bytes", (long long)payload);
    alert_fact_int(&a, "answer_bytes", (long long)v->answer_bytes);
    uint64_t secs = (v->last_us - v->win_start) / 1000000u;
    alert_fact_int(&a, "seconds", (long long)(secs ? secs : 1));
    alert_fact_int(&a, "bytes_per_min", (long long)(payload * 60u / (secs ? secs : 1)));
    alert_fact_str(&a, "sample", v->sample);
    char sigs[96];
    snprintf(sigs, sizeof(sigs), "%s%s%s%s", (sig & 1u) ? "encoded-names " : "",
             (sig & 2u) ? "long-names " : "", (sig & 4u) ? "unusual-types " : "",
             (sig & 8u) ? "data-in-answers " : "");
    size_t sl = strlen(sigs);
    if (sl > 0)
        sigs[sl - 1] = '\0';
    alert_fact_str(&a, "signals", sigs);
    alert_date(v->win_start, date);
    alert_set_key(&a, "dns.tunnel|%s|%s|%s", host, v->direct ? server : v->domain, date);
    detect_raise(t->d, &a);
    alert_release(&a);
    v->reported = v->queries;
    v->raised = true;
    if (high)
        v->raised_high = true;
}

/* The entry of (host, name's domain), the subdomain part of name in *sub,
 * its length in *sublen. NULL for names not followed. */
static struct tun_val *tun_entry(struct det_tunnel *t, const struct dnsname_ev *e,
                                 const char *name, size_t n, uint64_t now, bool create,
                                 struct tun_key *k, size_t *sublen)
{
    if (dnsname_is_local(name))
        return NULL;
    const char *rd = dnsname_registrable(name);
    if (rd && dnsname_is_hash_service(rd))
        return NULL;
    memset(k, 0, sizeof(*k));
    k->host = e->client;
    if (rd)
        k->group = track_hash_str(rd);
    else /* no domain: a tunnel talking straight to its server */
        k->group = track_hash_ip(&e->server) ^ 0x5a5a5a5a5a5a5a5aull;
    *sublen = rd ? (rd > name ? (size_t)(rd - name) - 1 : 0) : n;
    bool created = false;
    struct tun_val *v;
    if (create) {
        v = track_get(t->t, k, now, &created);
    } else {
        v = track_find(t->t, k);
        if (v)
            v = track_get(t->t, k, now, NULL);
    }
    if (created) {
        v->win_start = now;
        v->server = e->server;
        v->direct = rd == NULL;
        snprintf(v->domain, sizeof(v->domain), "%s", rd ? rd : "");
    }
    return v;
}

static void tun_query(struct det_tunnel *t, const struct app_event *ev, const struct dnsname_ev *e,
                      const char *name, size_t n)
{
    struct tun_key k;
    size_t sublen;
    struct tun_val *v = tun_entry(t, e, name, n, ev->ts_us, true, &k, &sublen);
    if (!v)
        return;
    if (ev->ts_us >= v->win_start + t->window_us) {
        tun_eval(t, &k, v, true);
        tun_reset_window(v, ev->ts_us);
    }
    if (ev->ts_us > v->last_us)
        v->last_us = ev->ts_us;
    v->server = e->server; /* the latest: a script may switch resolvers */
    if (v->queries < UINT32_MAX)
        v->queries++;
    v->qtypes[tun_qtype(e->rrtype)]++;
    if (n > v->max_len)
        v->max_len = (uint32_t)n;
    if (v->nflows < TUN_FLOWS && (v->nflows == 0 || v->flows[v->nflows - 1] != ev->f->id))
        v->flows[v->nflows++] = ev->f->id;
    if (sublen > 0 && tun_bloom_add(v->bloom, track_hash_bytes(name, n))) {
        struct dnsname_sub s;
        dnsname_subdomain(name, sublen, &s);
        v->names++;
        v->name_bytes += s.len;
        if (s.encoded)
            v->encoded++;
        if (sublen > v->sample_len) {
            v->sample_len = (uint32_t)sublen;
            if (n > 64)
                snprintf(v->sample, sizeof(v->sample), "%.60s...", name);
            else
                snprintf(v->sample, sizeof(v->sample), "%.64s", name);
        }
    }
    tun_eval(t, &k, v, false);
}

static void tun_answer(struct det_tunnel *t, const struct app_event *ev,
                       const struct dnsname_ev *e, const char *name, size_t n)
{
    if (tun_qtype(e->rrtype) == TQ_NORMAL || !e->answers)
        return;
    struct tun_key k;
    size_t sublen;
    struct tun_val *v = tun_entry(t, e, name, n, ev->ts_us, false, &k, &sublen);
    if (!v || ev->ts_us >= v->win_start + t->window_us)
        return; /* no query seen, or the window it belongs to is over */
    size_t na = json_array_size(e->answers);
    for (size_t i = 0; i < na && i < 64; i++) {
        const char *rd = json_string_value(json_object_get(json_array_get(e->answers, i),
                                                           "rdata"));
        if (rd)
            v->answer_bytes += strnlen(rd, 65536);
    }
    tun_eval(t, &k, v, false);
}

static void tun_app_event(void *st, const struct app_event *ev)
{
    struct det_tunnel *t = st;
    struct dnsname_ev e;
    if (!dnsname_event(ev, &e) || !detect_is_home(t->d, &e.client))
        return;
    char name[DNSNAME_MAX + 1];
    size_t n = dnsname_norm(e.rrname, name, sizeof(name));
    if (n == 0)
        return;
    if (e.answer)
        tun_answer(t, ev, &e, name, n);
    else
        tun_query(t, ev, &e, name, n);
}

static void tun_tick(void *st, uint64_t now_us)
{
    struct det_tunnel *t = st;
    if (now_us < t->next_expire)
        return;
    t->next_expire = now_us + TUN_EXPIRE_EVERY_US;
    /* Idle for a whole window: its window is over, give the verdict. A busy
     * entry is judged when its next query falls past its window. */
    if (now_us > t->window_us)
        track_expire(t->t, now_us - t->window_us, tun_close_cb, t);
}

static void tun_finish(void *st)
{
    struct det_tunnel *t = st;
    track_expire(t->t, UINT64_MAX, tun_close_cb, t);
}

const struct detector_ops det_dns_tunnel = {
    .name = "dns.tunnel",
    .params = tun_params,
    .create = tun_create,
    .reconfigure = tun_reconfigure,
    .destroy = tun_destroy,
    .app_event = tun_app_event,
    .tick = tun_tick,
    .finish = tun_finish,
};
