/* det-remote-access.c - remote_access, tor, proxy: someone controlling an
 * office PC from outside, and traffic hidden behind anonymising networks.
 *
 * What it finds:
 *  - remote_access/inbound: Remote Desktop, VNC or a remote-control tool
 *    reached FROM the Internet on a local host, and the host answered (an
 *    exposed RDP port is how most small-office ransomware gets in). High.
 *    One alert per local host, service and day; {count} counts sessions.
 *  - remote_access/tool: a local PC using AnyDesk or TeamViewer (named by
 *    nDPI at flow end). Medium: support vendors use them, and so do the
 *    "fake support call" scams that have the owner install one. Per PC,
 *    tool and day.
 *  - remote_access/outbound: RDP or VNC from a local PC to a host on the
 *    Internet. Medium (a home PC, a cloud server; also how data leaves).
 *  - tor: Tor traffic from a local host (nDPI "tor"). Medium for the first
 *    flows of a day, high from tor.high_flows flows a day (software that
 *    keeps talking over Tor: ransomware and many RATs do).
 *  - proxy: a SOCKS proxy on the Internet (nDPI "socks") or an HTTP CONNECT
 *    sent to a host on the Internet (an outside open proxy: hides where the
 *    traffic goes). Medium. Deliberately conservative: an HTTP proxy inside
 *    the office, or the provider's, is not raised; nDPI "http_proxy" alone
 *    (a port guess) neither.
 *
 * Only flows that exchanged data both ways count (a SYN from an Internet
 * scanner to 3389 is the scan detector's business). Remote tools between
 * two local hosts are left to the lateral detector.
 *
 * Facts: tool / service, direction, remote (the outside address), port,
 * flows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/util.h"

static const struct detect_param ra_params[] = {
    {"tor.high_flows", 5, 1, 100000},
    {NULL, 0, 0, 0},
};

enum ra_kind { RA_NONE, RA_CONTROL, RA_TOOL, RA_TOR, RA_SOCKS };

/* What each name means: app_proto values (our parsers, nDPI lowercased). */
static const struct {
    const char *app;
    const char *label;
    enum ra_kind kind;
} ra_apps[] = {
    {"rdp", "Remote Desktop (RDP)", RA_CONTROL},
    {"vnc", "VNC", RA_CONTROL},
    {"anydesk", "AnyDesk", RA_TOOL},
    {"teamviewer", "TeamViewer", RA_TOOL},
    {"tor", "Tor", RA_TOR},
    {"socks", "SOCKS", RA_SOCKS},
};

struct ra_tor {
    uint32_t day;
    uint32_t flows;
    bool high;
};

struct det_ra {
    struct detect *d;
    uint32_t tor_high;
    struct track *tor;
};

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void ra_reconfigure(void *st)
{
    struct det_ra *s = st;
    struct detect *d = s->d;
    s->tor_high = detect_param(d, "tor.high_flows");
}

static void *ra_create(struct detect *d)
{
    struct det_ra *s = xcalloc(1, sizeof(*s));
    s->d = d;
    ra_reconfigure(s);
    s->tor = track_new(sizeof(struct ip_addr), sizeof(struct ra_tor), 4096);
    return s;
}

static void ra_destroy(void *st)
{
    struct det_ra *s = st;
    track_free(s->tor);
    free(s);
}

static void ra_fill(struct det_ra *s, struct alert *a, const struct flow *f, bool inbound,
                    const char *label)
{
    const struct ip_addr *local = inbound ? &f->dst : &f->src;
    const struct ip_addr *remote = inbound ? &f->src : &f->dst;
    char ip[48];
    alert_set_conn(a, f);
    detect_alert_device_ip(s->d, a, local);
    ip_addr_fmt(remote, ip, sizeof(ip));
    alert_fact_str(a, "remote", ip);
    alert_fact_str(a, "tool", label);
    alert_fact_str(a, "direction", inbound ? "inbound" : "outbound");
    alert_fact_int(a, "port", f->dport);
    alert_add_flow(a, f->id);
}

static void ra_flow(void *st, const struct flow *f)
{
    struct det_ra *s = st;
    if (!f->app_proto[0] || f->data_bytes[0] == 0 || f->data_bytes[1] == 0)
        return;
    const char *label = NULL;
    enum ra_kind kind = RA_NONE;
    for (size_t i = 0; i < ARRAY_SIZE(ra_apps); i++) {
        if (strcmp(f->app_proto, ra_apps[i].app) == 0) {
            label = ra_apps[i].label;
            kind = ra_apps[i].kind;
            break;
        }
    }
    if (kind == RA_NONE)
        return;
    bool src_home = detect_is_home(s->d, &f->src), dst_home = detect_is_home(s->d, &f->dst);
    if (src_home == dst_home)
        return; /* internal (lateral's) or transit */
    bool inbound = dst_home;
    const struct ip_addr *local = inbound ? &f->dst : &f->src;
    char ip[48], date[16];
    ip_addr_fmt(local, ip, sizeof(ip));
    alert_date(f->first_ts_us, date);
    struct alert a;

    if (kind == RA_TOR) {
        struct ra_tor *t = track_get(s->tor, local, f->first_ts_us, NULL);
        uint32_t today = (uint32_t)(f->first_ts_us / (86400ull * 1000000u));
        if (t->day != today) {
            memset(t, 0, sizeof(*t));
            t->day = today;
        }
        t->flows++;
        bool high = t->flows >= s->tor_high;
        if (high && t->high)
            high = false; /* already raised: count it on the medium one below */
        alert_init(&a, "tor", high ? SEV_HIGH : SEV_MEDIUM, f->first_ts_us);
        ra_fill(s, &a, f, inbound, label);
        alert_fact_int(&a, "flows", t->flows);
        if (high) {
            t->high = true;
            alert_fact_str(&a, "variant", "sustained");
        }
        alert_set_key(&a, "tor|%s|%s%s", ip, date, high ? "|high" : "");
    } else if (kind == RA_SOCKS) {
        if (inbound)
            return; /* someone using our host as a proxy: rare, not this detector */
        alert_init(&a, "proxy", SEV_MEDIUM, f->first_ts_us);
        ra_fill(s, &a, f, inbound, label);
        alert_fact_str(&a, "variant", "socks");
        alert_set_key(&a, "proxy|socks|%s|%s", ip, date);
    } else if (inbound) {
        alert_init(&a, "remote_access", SEV_HIGH, f->first_ts_us);
        ra_fill(s, &a, f, inbound, label);
        alert_fact_str(&a, "variant", "inbound");
        alert_set_key(&a, "remote_access|inbound|%s|%s|%s", ip, f->app_proto, date);
    } else if (kind == RA_TOOL) {
        alert_init(&a, "remote_access", SEV_MEDIUM, f->first_ts_us);
        ra_fill(s, &a, f, inbound, label);
        alert_fact_str(&a, "variant", "tool");
        alert_set_key(&a, "remote_access|tool|%s|%s|%s", ip, f->app_proto, date);
    } else {
        alert_init(&a, "remote_access", SEV_MEDIUM, f->first_ts_us);
        ra_fill(s, &a, f, inbound, label);
        alert_fact_str(&a, "variant", "outbound");
        alert_set_key(&a, "remote_access|outbound|%s|%s|%s", ip, f->app_proto, date);
    }
    detect_raise(s->d, &a);
    alert_release(&a);
}

/* HTTP CONNECT to a host outside: a proxy on the Internet. */
static void ra_app_event(void *st, const struct app_event *ev)
{
    struct det_ra *s = st;
    if (strcmp(ev->type, "http") != 0 || !ev->f || !ev->body)
        return;
    const char *m = json_string_value(json_object_get(ev->body, "http_method"));
    if (!m || strcmp(m, "CONNECT") != 0)
        return;
    const struct flow *f = ev->f;
    if (!detect_is_home(s->d, &f->src) || detect_is_home(s->d, &f->dst))
        return;
    char ip[48], date[16];
    ip_addr_fmt(&f->src, ip, sizeof(ip));
    alert_date(ev->ts_us, date);
    struct alert a;
    alert_init(&a, "proxy", SEV_MEDIUM, ev->ts_us);
    ra_fill(s, &a, f, false, "HTTP CONNECT");
    alert_fact_str(&a, "variant", "connect");
    alert_fact_str(&a, "target_host",
                   json_string_value(json_object_get(ev->body, "hostname")));
    alert_set_key(&a, "proxy|connect|%s|%s", ip, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

static void ra_tick(void *st, uint64_t now_us)
{
    struct det_ra *s = st;
    uint64_t day = 86400ull * 1000000u;
    if (now_us % (60ull * 1000000u) < 1000000u && now_us > 2 * day)
        track_expire(s->tor, now_us - 2 * day, NULL, NULL);
}

const struct detector_ops det_remote_access = {
    .name = "remote_access",
    .params = ra_params,
    .create = ra_create,
    .reconfigure = ra_reconfigure,
    .destroy = ra_destroy,
    .flow = ra_flow,
    .app_event = ra_app_event,
    .tick = ra_tick,
};
