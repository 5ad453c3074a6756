/* inventory.c - devices learnt from packets, events and flows (see
 * inventory.h for what is watched and why).
 *
 * Lookups: every MAC (primary or grouped) is in one hash table pointing at
 * its device; every local address in another, with the device that last used
 * it. The per-packet path is one table lookup for the source MAC (usually
 * skipped by a one-entry cache) and a comparison with the device's last
 * address, so the inventory costs little next to decoding.
 *
 * A device nobody knew before stays "pending" for new_device_delay seconds
 * of packet time: in that time its DHCP exchange tells us its hostname and
 * fingerprint, and a phone with a fresh private MAC is grouped into the device
 * it already is. Pending devices are not saved, so a grouped-away MAC never
 * reaches the store as a device of its own.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/decode.h"
#include "inventory/inventory.h"
#include "inventory/oui.h"
#include "util/util.h"

#define INV_MAC_BUCKETS (1u << 14)
#define INV_IP_BUCKETS (1u << 14)
/* A MAC sending from more local addresses than this is routing (or NAT) for
 * others: its addresses stop being recorded, and it is marked a router. */
#define INV_ROUTER_IPS 16
/* Frames from outside addresses before a MAC counts as a router. */
#define INV_ROUTER_OUTSIDE_FRAMES 3
/* The address map holds at most this many addresses per device allowed. */
#define INV_IPMAP_PER_DEVICE 8
/* How often (packet time) an address holder's "last used" is refreshed. */
#define INV_IP_REFRESH_US 1000000ull
#define US_PER_S 1000000ull
#define US_PER_DAY (86400ull * US_PER_S)

struct mac_slot {
    struct mac_slot *next;
    uint8_t mac[6];
    struct device *dev;
};

struct ip_slot {
    struct ip_slot *next;
    struct ip_addr ip;
    struct device *dev;
    uint64_t last_us;
    struct device *prev_dev;  /* holder before dev (flip-flop) */
};

struct inventory {
    struct inventory_config cfg;
    const struct oui_db *oui;
    inv_event_fn cb;
    void *cb_arg;
    struct device **devs;
    unsigned ndevs, capdevs;
    unsigned npending;
    struct mac_slot *macs[INV_MAC_BUCKETS];
    struct ip_slot *ips[INV_IP_BUCKETS];
    unsigned nipslots;
    uint64_t now_us;
    /* one-entry caches for the per-packet path */
    uint8_t last_src_mac[6], last_dst_mac[6];
    struct device *last_src_dev, *last_dst_dev;
    /* gateway addresses (DHCP router option) */
    struct ip_addr gw[4];
    unsigned ngw;
};

void inventory_config_defaults(struct inventory_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    char err[128];
    if (netset_parse(&cfg->home, NETSET_DEFAULT_HOME, err, sizeof(err)) < 0)
        BUG("default home networks do not parse");
    cfg->new_device_delay_s = 60;
    cfg->returned_days = 30;
    cfg->max_devices = 10000;
    cfg->enabled = true;
}

static const char *const inv_source_names[INS_MAX] = {"dhcp", "dhcp_fqdn", "mdns",
                                                      "nbns", "llmnr", "ntlm"};

const char *inv_name_source_name(enum inv_name_source s)
{
    return (unsigned)s < INS_MAX ? inv_source_names[s] : "?";
}

int inv_name_source_parse(const char *s)
{
    for (int i = 0; i < INS_MAX; i++)
        if (strcmp(s, inv_source_names[i]) == 0)
            return i;
    return -1;
}

/* Which name source wins as the device's hostname (lower is better): what
 * the device calls itself when it asks for an address, then what Windows
 * says in its logins and NetBIOS, then multicast names. */
static const uint8_t inv_source_rank[INS_MAX] = {
    [INS_DHCP] = 0, [INS_NTLM] = 1, [INS_NBNS] = 2, [INS_DHCP_FQDN] = 3,
    [INS_MDNS] = 4, [INS_LLMNR] = 5,
};

static void inv_emit(struct inventory *inv, struct inv_event *ev)
{
    if (inv->cb)
        inv->cb(inv->cb_arg, ev);
}

static uint32_t inv_mac_hash(const uint8_t mac[6])
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 6; i++)
        h = (h ^ mac[i]) * 16777619u;
    return h & (INV_MAC_BUCKETS - 1);
}

static uint32_t inv_ip_hash(const struct ip_addr *ip)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ ip->b[i]) * 16777619u;
    return h & (INV_IP_BUCKETS - 1);
}

struct inventory *inventory_new(const struct inventory_config *cfg, const struct oui_db *oui,
                                inv_event_fn cb, void *arg)
{
    struct inventory *inv = xcalloc(1, sizeof(*inv));
    inv->cfg = *cfg;
    inv->oui = oui;
    inv->cb = cb;
    inv->cb_arg = arg;
    return inv;
}

void inventory_reconfigure(struct inventory *inv, const struct inventory_config *cfg)
{
    bool enabled = inv->cfg.enabled;
    inv->cfg = *cfg;
    inv->cfg.enabled = enabled; /* the stage was built with or without it */
}

/* A device's lists (addresses, names, services, evidence, peers) grow as
 * entries come: 4, 8, 16... up to their cap, instead of being allocated at
 * their cap on first use. Most devices hold a few entries of each; a
 * capture with thousands of devices allocated and zeroed some 20 KiB for
 * each (the evidence list alone was 10 KiB). The size follows from the
 * count, so no capacity is stored. */
#define INV_LIST_MIN 4

static unsigned inv_list_cap(unsigned n, unsigned max)
{
    if (n == 0)
        return 0;
    unsigned c = INV_LIST_MIN;
    while (c < n)
        c *= 2;
    return c < max ? c : max;
}

/* Returns list (holding n entries, n < max) with room for one more; the new
 * room is zeroed. */
static void *inv_list_room(void *list, unsigned n, unsigned max, size_t size)
{
    unsigned have = inv_list_cap(n, max), want = inv_list_cap(n + 1, max);
    if (list && want == have)
        return list;
    char *p = xrealloc(list, (size_t)want * size);
    memset(p + (size_t)have * size, 0, (size_t)(want - have) * size);
    return p;
}

/* A copy of the first n entries of a list, sized as inv_list_room() would
 * have grown it; NULL when n is 0. */
static void *inv_list_dup(const void *list, unsigned n, unsigned max, size_t size)
{
    if (n == 0)
        return NULL;
    unsigned cap = inv_list_cap(n, max);
    char *p = xcalloc(cap, size);
    memcpy(p, list, (size_t)n * size);
    return p;
}

static void inv_device_free(struct device *d)
{
    free(d->ips);
    free(d->names);
    free(d->services);
    free(d->evidence);
    free(d->peers);
    free(d);
}

void inventory_free(struct inventory *inv)
{
    if (!inv)
        return;
    for (unsigned i = 0; i < INV_MAC_BUCKETS; i++) {
        for (struct mac_slot *s = inv->macs[i], *n; s; s = n) {
            n = s->next;
            free(s);
        }
    }
    for (unsigned i = 0; i < INV_IP_BUCKETS; i++) {
        for (struct ip_slot *s = inv->ips[i], *n; s; s = n) {
            n = s->next;
            free(s);
        }
    }
    for (unsigned i = 0; i < inv->ndevs; i++)
        inv_device_free(inv->devs[i]);
    free(inv->devs);
    free(inv);
}

struct device *inventory_find(const struct inventory *inv, const uint8_t mac[6])
{
    for (struct mac_slot *s = inv->macs[inv_mac_hash(mac)]; s; s = s->next)
        if (memcmp(s->mac, mac, 6) == 0)
            return s->dev;
    return NULL;
}

static struct ip_slot *inv_ip_slot(const struct inventory *inv, const struct ip_addr *ip)
{
    for (struct ip_slot *s = inv->ips[inv_ip_hash(ip)]; s; s = s->next)
        if (memcmp(&s->ip, ip, sizeof(*ip)) == 0)
            return s;
    return NULL;
}

struct device *inventory_find_ip(const struct inventory *inv, const struct ip_addr *ip)
{
    struct ip_slot *s = inv_ip_slot(inv, ip);
    return s ? s->dev : NULL;
}

unsigned inventory_count(const struct inventory *inv)
{
    return inv->ndevs;
}

bool inventory_is_local(const struct inventory *inv, const struct ip_addr *ip)
{
    return netset_contains(&inv->cfg.home, ip);
}

bool device_current_ip(const struct device *d, struct ip_addr *out)
{
    const struct inv_ip *best4 = NULL, *best6 = NULL;
    for (unsigned i = 0; d->ips && i < d->nips && i < INV_MAX_IPS; i++) {
        const struct inv_ip *e = &d->ips[i];
        if (ip_addr_is_unspecified(&e->ip))
            continue;
        const struct inv_ip **best = ip_addr_is_v4(&e->ip) ? &best4 : &best6;
        if (!*best || e->last_us > (*best)->last_us)
            *best = e;
    }
    const struct inv_ip *b = best4 ? best4 : best6;
    if (b)
        *out = b->ip;
    return b != NULL;
}

const char *device_display_name(const struct device *d)
{
    return d->hostname;
}

static void inv_mac_link(struct inventory *inv, const uint8_t mac[6], struct device *d)
{
    uint32_t h = inv_mac_hash(mac);
    for (struct mac_slot *s = inv->macs[h]; s; s = s->next) {
        if (memcmp(s->mac, mac, 6) == 0) {
            s->dev = d;
            return;
        }
    }
    struct mac_slot *s = xcalloc(1, sizeof(*s));
    memcpy(s->mac, mac, 6);
    s->dev = d;
    s->next = inv->macs[h];
    inv->macs[h] = s;
}

static void inv_mac_unlink(struct inventory *inv, const uint8_t mac[6])
{
    struct mac_slot **pp = &inv->macs[inv_mac_hash(mac)];
    for (; *pp; pp = &(*pp)->next) {
        if (memcmp((*pp)->mac, mac, 6) == 0) {
            struct mac_slot *s = *pp;
            *pp = s->next;
            free(s);
            return;
        }
    }
}

static void inv_cache_reset(struct inventory *inv)
{
    inv->last_src_dev = inv->last_dst_dev = NULL;
}

/* A device's vendor from its primary MAC. */
static void inv_set_vendor(struct inventory *inv, struct device *d)
{
    const char *v = inv->oui ? oui_lookup(inv->oui, d->mac) : NULL;
    snprintf(d->vendor, sizeof(d->vendor), "%s", v ? v : "");
}

static void inv_add_evidence(struct inventory *inv, struct device *d, enum os_ev_kind kind,
                             const char *value, uint64_t ts, uint64_t flow_id);

static struct device *inv_device_new(struct inventory *inv, const uint8_t mac[6], uint64_t ts)
{
    if (inv->ndevs >= inv->cfg.max_devices)
        return NULL;
    if (inv->ndevs == inv->capdevs) {
        inv->capdevs = inv->capdevs ? inv->capdevs * 2 : 64;
        inv->devs = xrealloc(inv->devs, inv->capdevs * sizeof(*inv->devs));
    }
    struct device *d = xcalloc(1, sizeof(*d));
    memcpy(d->mac, mac, 6);
    d->randomized = mac_is_local_admin(mac);
    d->first_us = d->last_us = ts;
    d->nmacs = 1;
    memcpy(d->macs[0].mac, mac, 6);
    d->macs[0].first_us = d->macs[0].last_us = ts;
    d->macs[0].dirty = true;
    d->dirty = true;
    inv->devs[inv->ndevs++] = d;
    inv_mac_link(inv, mac, d);
    inv_set_vendor(inv, d);
    if (d->vendor[0])
        inv_add_evidence(inv, d, OSE_VENDOR, d->vendor, ts, 0);
    inv->npending++;
    return d;
}

/* --- entries --- */

static void inv_touch_mac(struct device *d, const uint8_t mac[6], uint64_t ts)
{
    for (unsigned i = 0; i < d->nmacs; i++) {
        if (memcmp(d->macs[i].mac, mac, 6) == 0) {
            if (ts > d->macs[i].last_us) {
                d->macs[i].last_us = ts;
                d->macs[i].dirty = true;
            }
            return;
        }
    }
}

static void inv_device_seen(struct inventory *inv, struct device *d, const uint8_t mac[6],
                            uint64_t ts)
{
    if (ts <= d->last_us)
        return;
    uint64_t gap = ts - d->last_us;
    uint64_t limit = (uint64_t)inv->cfg.returned_days * US_PER_DAY;
    if (inv->cfg.returned_days && gap >= limit && d->announced) {
        struct inv_event ev = {.kind = INV_DEVICE_RETURNED, .ts_us = ts, .dev = d, .gap_us = gap};
        d->last_us = ts;
        inv_emit(inv, &ev);
    }
    d->last_us = ts;
    d->dirty = true;
    if (mac)
        inv_touch_mac(d, mac, ts);
}

/* Records that d used ip (no events). Returns true if the address is new to
 * the device. */
static bool inv_add_ip(struct device *d, const struct ip_addr *ip, uint64_t ts)
{
    unsigned oldest = 0;
    for (unsigned i = 0; i < d->nips; i++) {
        if (memcmp(&d->ips[i].ip, ip, sizeof(*ip)) == 0) {
            if (ts > d->ips[i].last_us) {
                d->ips[i].last_us = ts;
                d->ips[i].dirty = true;
                d->dirty = true;
            }
            return false;
        }
        if (d->ips[i].last_us < d->ips[oldest].last_us)
            oldest = i;
    }
    if (d->nips < INV_MAX_IPS)
        d->ips = inv_list_room(d->ips, d->nips, INV_MAX_IPS, sizeof(*d->ips));
    unsigned slot = d->nips < INV_MAX_IPS ? d->nips++ : oldest;
    d->ips[slot] = (struct inv_ip){.ip = *ip, .first_us = ts, .last_us = ts, .dirty = true};
    d->dirty = true;
    return true;
}

static bool inv_is_gateway_ip(const struct inventory *inv, const struct ip_addr *ip)
{
    for (unsigned i = 0; i < inv->ngw; i++)
        if (memcmp(&inv->gw[i], ip, sizeof(*ip)) == 0)
            return true;
    return false;
}

/* The address map: who uses ip now. An IPv4 address changing hands is an
 * event when the new holder claimed it by ARP or was given it by DHCP (IP
 * packets alone do not move it: a router forwarding for another subnet would
 * look like a thief). */
static void inv_ip_claim(struct inventory *inv, struct device *d, const struct ip_addr *ip,
                         uint64_t ts, bool from_arp, bool gratuitous, bool dhcp_assigned,
                         uint64_t flow_id)
{
    struct ip_slot *s = inv_ip_slot(inv, ip);
    if (!s) {
        if (inv->nipslots >= inv->cfg.max_devices * INV_IPMAP_PER_DEVICE)
            return;
        s = xcalloc(1, sizeof(*s));
        s->ip = *ip;
        uint32_t h = inv_ip_hash(ip);
        s->next = inv->ips[h];
        inv->ips[h] = s;
        inv->nipslots++;
        s->dev = d;
        s->last_us = ts;
        return;
    }
    if (s->dev == d) {
        if (ts > s->last_us)
            s->last_us = ts;
        return;
    }
    if (!from_arp && !dhcp_assigned)
        return;
    struct device *old = s->dev;
    /* The previous holder is still there if it sent anything lately, from
     * this address or not (a router mostly forwards others' packets). */
    uint64_t seen = old && old->last_us > s->last_us ? old->last_us : s->last_us;
    uint64_t gap = ts > seen ? ts - seen : 0;
    struct inv_event ev = {
        .kind = INV_IP_MOVED, .ts_us = ts, .dev = d, .other = old, .ip = *ip, .gap_us = gap,
        .from_arp = from_arp, .gratuitous = gratuitous, .dhcp_assigned = dhcp_assigned,
        .is_gateway_ip = inv_is_gateway_ip(inv, ip) || (old && old->is_router),
        .flow_id = flow_id,
        /* a flip-flop: the address goes back to its holder before last */
        .count = s->prev_dev == d ? 2 : 1,
    };
    s->prev_dev = old;
    s->dev = d;
    s->last_us = ts;
    inv_emit(inv, &ev);
}

/* An address used by d in a packet (no claim). Keeps the map's "last used"
 * fresh about once a second. */
static void inv_ip_used(struct inventory *inv, struct device *d, const struct ip_addr *ip,
                        uint64_t ts)
{
    if (d->is_router)
        return;
    bool same = memcmp(&d->last_ip, ip, sizeof(*ip)) == 0;
    if (same && ts - d->ip_refresh_us < INV_IP_REFRESH_US)
        return;
    d->ip_refresh_us = ts;
    d->last_ip = *ip;
    if (inv_add_ip(d, ip, ts) && d->nips > INV_ROUTER_IPS && ip_addr_is_v4(ip)) {
        unsigned v4 = 0;
        for (unsigned i = 0; i < d->nips; i++)
            v4 += ip_addr_is_v4(&d->ips[i].ip);
        if (v4 > INV_ROUTER_IPS)
            d->is_router = true;
    }
    inv_ip_claim(inv, d, ip, ts, false, false, false, 0);
}

static void inv_update_hostname(struct device *d)
{
    int best = -1;
    for (unsigned i = 0; i < d->nnames; i++) {
        if (best < 0 || inv_source_rank[d->names[i].source] <
                            inv_source_rank[d->names[best].source] ||
            (d->names[i].source == d->names[best].source &&
             d->names[i].last_us > d->names[best].last_us))
            best = (int)i;
    }
    const char *n = best >= 0 ? d->names[best].name : "";
    if (strcmp(d->hostname, n) != 0) {
        snprintf(d->hostname, sizeof(d->hostname), "%s", n);
        d->dirty = true;
    }
}

/* Cleans a name from the wire: trims blanks and a trailing dot, drops
 * ".local", refuses control characters and placeholders. */
static bool inv_clean_name(const char *in, char out[INV_NAME_LEN])
{
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n && (in[n - 1] == ' ' || in[n - 1] == '.' || in[n - 1] == '\t'))
        n--;
    if (n > 6 && strncasecmp(in + n - 6, ".local", 6) == 0)
        n -= 6;
    if (n == 0 || n >= INV_NAME_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)in[i] < 0x20 || in[i] == 0x7f || in[i] == '\\')
            return false;
    memcpy(out, in, n);
    out[n] = '\0';
    if (strcasecmp(out, "localhost") == 0 || strcmp(out, "*") == 0)
        return false;
    return true;
}

static void inv_add_name(struct device *d, const char *raw, enum inv_name_source src,
                         uint64_t ts)
{
    char name[INV_NAME_LEN];
    if (!raw || !inv_clean_name(raw, name))
        return;
    unsigned oldest = 0;
    for (unsigned i = 0; i < d->nnames; i++) {
        struct inv_name *e = &d->names[i];
        if (e->source == src && strcasecmp(e->name, name) == 0) {
            if (ts > e->last_us) {
                e->last_us = ts;
                e->dirty = true;
                d->dirty = true;
            }
            return;
        }
        if (e->last_us < d->names[oldest].last_us)
            oldest = i;
    }
    if (d->nnames < INV_MAX_NAMES)
        d->names = inv_list_room(d->names, d->nnames, INV_MAX_NAMES, sizeof(*d->names));
    unsigned slot = d->nnames < INV_MAX_NAMES ? d->nnames++ : oldest;
    struct inv_name *e = &d->names[slot];
    memset(e, 0, sizeof(*e));
    memcpy(e->name, name, sizeof(name));
    e->source = (uint8_t)src;
    e->first_us = e->last_us = ts;
    e->dirty = true;
    d->dirty = true;
    inv_update_hostname(d);
}

static void inv_drop_name(struct device *d, const char *name, enum inv_name_source src)
{
    for (unsigned i = 0; i < d->nnames; i++) {
        if (d->names[i].source == src && strcasecmp(d->names[i].name, name) == 0) {
            d->names[i] = d->names[--d->nnames];
            d->dirty = true;
            inv_update_hostname(d);
            return;
        }
    }
}

static void inv_recompute_os(struct device *d)
{
    struct os_hint hints[INV_MAX_EVIDENCE];
    enum os_ev_kind kinds[INV_MAX_EVIDENCE];
    for (unsigned i = 0; i < d->nevidence; i++) {
        hints[i] = d->evidence[i].hint;
        kinds[i] = (enum os_ev_kind)d->evidence[i].kind;
    }
    struct os_guess g;
    osguess_combine(hints, kinds, d->nevidence, &g);
    if (memcmp(&g, &d->os, sizeof(g)) != 0) {
        d->os = g;
        d->dirty = true;
    }
}

static void inv_add_evidence(struct inventory *inv, struct device *d, enum os_ev_kind kind,
                             const char *value, uint64_t ts, uint64_t flow_id)
{
    if (!value || !*value)
        return;
    unsigned oldest = 0;
    for (unsigned i = 0; i < d->nevidence; i++) {
        struct inv_evidence *e = &d->evidence[i];
        if (e->kind == kind && strcmp(e->value, value) == 0) {
            if (ts > e->last_us + US_PER_S) {
                e->last_us = ts;
                e->dirty = true;
                d->dirty = true;
            }
            return;
        }
        if (e->last_us < d->evidence[oldest].last_us)
            oldest = i;
    }
    if (d->nevidence < INV_MAX_EVIDENCE)
        d->evidence =
            inv_list_room(d->evidence, d->nevidence, INV_MAX_EVIDENCE, sizeof(*d->evidence));
    unsigned slot = d->nevidence < INV_MAX_EVIDENCE ? d->nevidence++ : oldest;
    struct inv_evidence *e = &d->evidence[slot];
    memset(e, 0, sizeof(*e));
    e->kind = (uint8_t)kind;
    snprintf(e->value, sizeof(e->value), "%s", value);
    e->first_us = e->last_us = ts;
    osguess_hint(kind, e->value, &e->hint);
    e->dirty = true;
    d->dirty = true;
    inv_recompute_os(d);
    struct inv_event ev = {.kind = INV_EVIDENCE, .ts_us = ts, .dev = d, .ev = e,
                           .flow_id = flow_id};
    /* A pending device's evidence is told when it is announced (its
     * identity may still change by grouping). */
    if (d->announced)
        inv_emit(inv, &ev);
}

/* --- restore from the store --- */

struct device *inventory_restore(struct inventory *inv, const struct device *src)
{
    if (inv->ndevs >= inv->cfg.max_devices || inventory_find(inv, src->mac))
        return NULL;
    if (inv->ndevs == inv->capdevs) {
        inv->capdevs = inv->capdevs ? inv->capdevs * 2 : 64;
        inv->devs = xrealloc(inv->devs, inv->capdevs * sizeof(*inv->devs));
    }
    struct device *d = xcalloc(1, sizeof(*d));
    *d = *src;
    /* The store's loader keeps within the caps; clamped all the same. */
    d->nips = d->nips < INV_MAX_IPS ? d->nips : INV_MAX_IPS;
    d->nnames = d->nnames < INV_MAX_NAMES ? d->nnames : INV_MAX_NAMES;
    d->nservices = d->nservices < INV_MAX_SERVICES ? d->nservices : INV_MAX_SERVICES;
    d->nevidence = d->nevidence < INV_MAX_EVIDENCE ? d->nevidence : INV_MAX_EVIDENCE;
    d->npeers = d->npeers < INV_MAX_PEERS ? d->npeers : INV_MAX_PEERS;
    d->ips = inv_list_dup(src->ips, d->nips, INV_MAX_IPS, sizeof(*d->ips));
    d->names = inv_list_dup(src->names, d->nnames, INV_MAX_NAMES, sizeof(*d->names));
    d->services =
        inv_list_dup(src->services, d->nservices, INV_MAX_SERVICES, sizeof(*d->services));
    d->evidence =
        inv_list_dup(src->evidence, d->nevidence, INV_MAX_EVIDENCE, sizeof(*d->evidence));
    d->peers = inv_list_dup(src->peers, d->npeers, INV_MAX_PEERS, sizeof(*d->peers));
    for (unsigned i = 0; i < d->nevidence; i++)
        osguess_hint((enum os_ev_kind)d->evidence[i].kind, d->evidence[i].value,
                     &d->evidence[i].hint);
    d->hnext = NULL;
    d->in_store = true;
    d->announced = true;
    d->dirty = false;
    d->ip_refresh_us = 0;
    memset(&d->last_ip, 0, sizeof(d->last_ip));
    inv->devs[inv->ndevs++] = d;
    for (unsigned i = 0; i < d->nmacs; i++) {
        d->macs[i].dirty = false;
        inv_mac_link(inv, d->macs[i].mac, d);
    }
    if (!d->nmacs) {
        d->nmacs = 1;
        memcpy(d->macs[0].mac, d->mac, 6);
        d->macs[0].first_us = d->first_us;
        d->macs[0].last_us = d->last_us;
        inv_mac_link(inv, d->mac, d);
    }
    for (unsigned i = 0; i < d->nips; i++) {
        d->ips[i].dirty = false;
        if (ip_addr_is_v4(&d->ips[i].ip) && !inv_ip_slot(inv, &d->ips[i].ip)) {
            /* the latest holder wins when addresses moved between devices */
            inv_ip_claim(inv, d, &d->ips[i].ip, d->ips[i].last_us, false, false, false, 0);
        } else if (ip_addr_is_v4(&d->ips[i].ip)) {
            struct ip_slot *s = inv_ip_slot(inv, &d->ips[i].ip);
            if (s && d->ips[i].last_us > s->last_us) {
                s->dev = d;
                s->last_us = d->ips[i].last_us;
            }
        }
    }
    for (unsigned i = 0; i < d->nnames; i++)
        d->names[i].dirty = false;
    for (unsigned i = 0; i < d->nservices; i++)
        d->services[i].dirty = false;
    for (unsigned i = 0; i < d->nevidence; i++)
        d->evidence[i].dirty = false;
    for (unsigned i = 0; i < d->npeers; i++)
        d->peers[i].dirty = false;
    return d;
}

void inventory_restore_mac(struct inventory *inv, struct device *d, const uint8_t mac[6],
                           uint64_t first_us, uint64_t last_us)
{
    for (unsigned i = 0; i < d->nmacs; i++)
        if (memcmp(d->macs[i].mac, mac, 6) == 0)
            return;
    if (d->nmacs >= INV_MAX_MACS || inventory_find(inv, mac))
        return;
    struct inv_mac *m = &d->macs[d->nmacs++];
    memcpy(m->mac, mac, 6);
    m->first_us = first_us;
    m->last_us = last_us;
    m->dirty = false;
    inv_mac_link(inv, mac, d);
}

/* --- grouping of randomised MACs --- */

/* Moves everything young device `from` learnt into `to` and deletes it. */
static void inv_merge(struct inventory *inv, struct device *to, struct device *from)
{
    for (unsigned i = 0; i < from->nmacs; i++) {
        const struct inv_mac *m = &from->macs[i];
        unsigned slot;
        if (to->nmacs < INV_MAX_MACS) {
            slot = to->nmacs++;
        } else {
            slot = 1; /* keep the primary; replace the least recently seen */
            for (unsigned j = 2; j < to->nmacs; j++)
                if (to->macs[j].last_us < to->macs[slot].last_us)
                    slot = j;
            inv_mac_unlink(inv, to->macs[slot].mac);
        }
        to->macs[slot] = *m;
        to->macs[slot].dirty = true;
        inv_mac_link(inv, m->mac, to);
    }
    for (unsigned i = 0; i < from->nips; i++) {
        inv_add_ip(to, &from->ips[i].ip, from->ips[i].last_us);
        struct ip_slot *s = inv_ip_slot(inv, &from->ips[i].ip);
        if (s && s->dev == from)
            s->dev = to;
    }
    for (unsigned i = 0; i < from->nnames; i++)
        inv_add_name(to, from->names[i].name, (enum inv_name_source)from->names[i].source,
                     from->names[i].last_us);
    bool was_announced = to->announced;
    for (unsigned i = 0; i < from->nevidence; i++)
        inv_add_evidence(inv, to, (enum os_ev_kind)from->evidence[i].kind,
                         from->evidence[i].value, from->evidence[i].last_us, 0);
    (void)was_announced;
    to->pkts_out += from->pkts_out;
    to->bytes_out += from->bytes_out;
    to->pkts_in += from->pkts_in;
    to->bytes_in += from->bytes_in;
    if (from->first_us < to->first_us)
        to->first_us = from->first_us;
    uint64_t last = from->last_us;
    if (!to->client_id[0])
        memcpy(to->client_id, from->client_id, sizeof(to->client_id));
    if (from->dhcp_fp[0])
        memcpy(to->dhcp_fp, from->dhcp_fp, sizeof(to->dhcp_fp));
    if (from->dhcp_vendor[0])
        memcpy(to->dhcp_vendor, from->dhcp_vendor, sizeof(to->dhcp_vendor));
    /* the previous MACs' silence may make this a return */
    inv_device_seen(inv, to, NULL, last);
    to->dirty = true;
    for (unsigned i = 0; i < inv->ndevs; i++) {
        if (inv->devs[i] == from) {
            inv->devs[i] = inv->devs[--inv->ndevs];
            break;
        }
    }
    for (unsigned b = 0; b < INV_IP_BUCKETS && inv->nipslots; b++)
        for (struct ip_slot *s = inv->ips[b]; s; s = s->next) {
            if (s->dev == from)
                s->dev = to;
            if (s->prev_dev == from)
                s->prev_dev = to;
        }
    if (!from->announced && inv->npending)
        inv->npending--;
    inv_cache_reset(inv);
    inv_device_free(from);
}

/* A pending device with a private MAC just told us who it is (DHCP): if an
 * older device with a private MAC has the same client id, or the same
 * hostname and DHCP fingerprint, they are one device. */
static struct device *inv_try_group(struct inventory *inv, struct device *d)
{
    if (!d->randomized || d->announced || d->in_store)
        return d;
    for (unsigned i = 0; i < inv->ndevs; i++) {
        struct device *o = inv->devs[i];
        if (o == d || !o->randomized)
            continue;
        bool same_cid = d->client_id[0] && strcmp(d->client_id, o->client_id) == 0;
        bool same_host = d->hostname[0] && strcasecmp(d->hostname, o->hostname) == 0 &&
                         (!d->dhcp_fp[0] || !o->dhcp_fp[0] || strcmp(d->dhcp_fp, o->dhcp_fp) == 0);
        if (same_cid || same_host) {
            inv_merge(inv, o, d);
            return o;
        }
    }
    return d;
}

/* --- packets --- */

static uint8_t inv_initial_ttl(uint8_t ttl)
{
    return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

/* The SYN as p0f-style text: "ittl:window:mss:wscale:layout", the option
 * layout at most 127 characters. Without snprintf: this runs for every SYN a
 * local device sends, where snprintf was a tenth of the inventory's cost. */
static void inv_syn_signature(const struct ip_layer *l, char out[INV_EVIDENCE_LEN])
{
    static const char *const names[9] = {"eol", "nop", "mss", "ws", "sok", NULL, NULL, NULL, "ts"};
    const struct tcp_opts *o = &l->tcp_opts;
    char *p = out;
    p = put_dec(p, inv_initial_ttl(l->ttl));
    *p++ = ':';
    p = put_dec(p, l->tcp_win);
    *p++ = ':';
    p = put_dec(p, o->has_mss ? o->mss : 0);
    *p++ = ':';
    if (o->has_wscale)
        p = put_dec(p, o->wscale);
    else
        *p++ = '*';
    *p++ = ':';
    const char *layout = p;
    for (unsigned i = 0; i < o->layout_len && (size_t)(p - layout) + 8 < 128; i++) {
        uint8_t kind = o->layout[i];
        const char *name = kind < 9 ? names[kind] : NULL;
        if (p != layout)
            *p++ = ',';
        if (name) {
            size_t k = strlen(name);
            memcpy(p, name, k);
            p += k;
        } else {
            *p++ = '?';
            p = put_dec(p, kind);
        }
    }
    *p = '\0';
}

static struct device *inv_lookup_or_create(struct inventory *inv, const uint8_t mac[6],
                                           uint64_t ts)
{
    struct device *d = inventory_find(inv, mac);
    if (!d)
        d = inv_device_new(inv, mac, ts);
    return d;
}

static void inv_arp(struct inventory *inv, const struct packet *pkt)
{
    const struct arp_info *a = &pkt->arp;
    if (mac_is_group(a->sha))
        return;
    static const uint8_t zero4[4];
    struct ip_addr spa;
    ip_addr_from_v4(&spa, a->spa);
    bool probe = memcmp(a->spa, zero4, 4) == 0;
    if (!probe && !inventory_is_local(inv, &spa))
        return;
    struct device *d = inv_lookup_or_create(inv, a->sha, pkt->ts_us);
    if (!d)
        return;
    inv_device_seen(inv, d, a->sha, pkt->ts_us);
    if (probe)
        return;
    bool gratuitous = memcmp(a->spa, a->tpa, 4) == 0;
    inv_add_ip(d, &spa, pkt->ts_us);
    if (gratuitous) {
        uint64_t minute = pkt->ts_us / (60 * US_PER_S);
        if (minute != d->gratuitous_min) {
            d->gratuitous_min = minute;
            d->gratuitous_window = 0;
        }
        if (d->gratuitous_window < UINT16_MAX)
            d->gratuitous_window++;
        struct inv_event ev = {.kind = INV_ARP_GRATUITOUS, .ts_us = pkt->ts_us, .dev = d,
                               .ip = spa, .count = d->gratuitous_window, .gratuitous = true};
        if (d->announced)
            inv_emit(inv, &ev);
    }
    inv_ip_claim(inv, d, &spa, pkt->ts_us, true, gratuitous, false, 0);
}

void inventory_packet(struct inventory *inv, const struct packet *pkt)
{
    if (!pkt->has_eth)
        return;
    uint64_t ts = pkt->ts_us;
    if (ts > inv->now_us)
        inv->now_us = ts;
    if (pkt->has_arp) {
        inv_arp(inv, pkt);
        inv_cache_reset(inv);
        return;
    }
    if (pkt->layer_count == 0 || mac_is_group(pkt->src_mac))
        return;
    const struct ip_layer *l = &pkt->layers[0];
    /* One home-network test per packet, reused below. */
    bool unspec = ip_addr_is_unspecified(&l->src);
    bool local = !unspec && inventory_is_local(inv, &l->src);
    struct device *d;
    if (inv->last_src_dev && memcmp(inv->last_src_mac, pkt->src_mac, 6) == 0) {
        d = inv->last_src_dev;
    } else {
        d = inventory_find(inv, pkt->src_mac);
        if (!d) {
            /* A router's MAC appears as the source of outside addresses; it is
             * a device too, as soon as it shows itself. */
            if (!local && !unspec)
                return;
            d = inv_device_new(inv, pkt->src_mac, ts);
            if (!d)
                return;
        }
        memcpy(inv->last_src_mac, pkt->src_mac, 6);
        inv->last_src_dev = d;
    }
    inv_device_seen(inv, d, pkt->src_mac, ts);
    d->pkts_out++;
    d->bytes_out += pkt->wirelen;
    if (local) {
        inv_ip_used(inv, d, &l->src, ts);
    } else if (!unspec && !d->is_router && ++d->outside_srcs >= INV_ROUTER_OUTSIDE_FRAMES) {
        d->is_router = true;
        d->dirty = true;
    }
    /* OS evidence from what the device's own stack sends. */
    if (local && l->proto == 6 && l->l4_ok && (l->tcp_flags & 0x02)) {
        char buf[INV_EVIDENCE_LEN];
        *put_dec(buf, inv_initial_ttl(l->ttl)) = '\0';
        inv_add_evidence(inv, d, OSE_TTL, buf, ts, 0);
        if (!(l->tcp_flags & 0x10)) {
            inv_syn_signature(l, buf);
            inv_add_evidence(inv, d, OSE_TCP_SYN, buf, ts, 0);
        }
    }
    /* Bytes received, for the device the frame goes to. */
    if (!mac_is_group(pkt->dst_mac)) {
        struct device *r;
        if (inv->last_dst_dev && memcmp(inv->last_dst_mac, pkt->dst_mac, 6) == 0) {
            r = inv->last_dst_dev;
        } else {
            r = inventory_find(inv, pkt->dst_mac);
            memcpy(inv->last_dst_mac, pkt->dst_mac, 6);
            inv->last_dst_dev = r;
        }
        if (r) {
            r->pkts_in++;
            r->bytes_in += pkt->wirelen;
            r->dirty = true; /* a device that only receives still has news to save */
        }
    }
}

/* --- application events --- */

static const char *jstr(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The local device on one side of an event's flow: side 0 the initiator,
 * 1 the responder. Only when that side's address is local: the responder of
 * a connection to the Internet is a server out there, not our router. */
static struct device *inv_side(struct inventory *inv, const struct flow *f, int side)
{
    if (!f || !f->has_mac)
        return NULL;
    const struct ip_addr *ip = side ? &f->dst : &f->src;
    if (!inventory_is_local(inv, ip) && !ip_addr_is_unspecified(ip))
        return NULL;
    const uint8_t *mac = side ? f->dst_mac : f->src_mac;
    if (mac_is_group(mac))
        return NULL;
    return inventory_find(inv, mac);
}

static void inv_peer_name(struct device *d, const struct flow *f, const char *name)
{
    if (!d || !name || !*name || !d->peers)
        return;
    for (unsigned i = 0; i < d->npeers; i++) {
        struct inv_peer *p = &d->peers[i];
        if (memcmp(&p->ip, &f->dst, sizeof(p->ip)) == 0 && p->port == f->dport &&
            strcmp(p->name, name) != 0) {
            snprintf(p->name, sizeof(p->name), "%s", name);
            p->dirty = true;
            d->dirty = true;
        }
    }
}

static void inv_ev_dhcp(struct inventory *inv, const struct app_event *ev)
{
    const char *cm = jstr(ev->body, "client_mac");
    uint8_t mac[6];
    if (!cm || mac_parse(cm, mac) < 0 || mac_is_group(mac))
        return;
    const char *type = jstr(ev->body, "type");
    const char *dtype = jstr(ev->body, "dhcp_type");
    struct device *d = inventory_find(inv, mac);
    if (type && strcmp(type, "request") == 0) {
        if (!d)
            d = inv_device_new(inv, mac, ev->ts_us);
        if (!d)
            return;
        inv_device_seen(inv, d, mac, ev->ts_us);
        const char *cid = jstr(ev->body, "client_id");
        if (cid && strcmp(cid, d->client_id) != 0) {
            snprintf(d->client_id, sizeof(d->client_id), "%s", cid);
            d->dirty = true;
        }
        const char *fp = jstr(ev->extra, "param_request_list");
        if (fp && strcmp(fp, d->dhcp_fp) != 0) {
            snprintf(d->dhcp_fp, sizeof(d->dhcp_fp), "%s", fp);
            d->dirty = true;
        }
        const char *vc = jstr(ev->body, "vendor_class_identifier");
        if (vc && strcmp(vc, d->dhcp_vendor) != 0) {
            snprintf(d->dhcp_vendor, sizeof(d->dhcp_vendor), "%s", vc);
            d->dirty = true;
        }
        inv_add_name(d, jstr(ev->body, "hostname"), INS_DHCP, ev->ts_us);
        inv_add_name(d, jstr(ev->extra, "client_fqdn"), INS_DHCP_FQDN, ev->ts_us);
        d = inv_try_group(inv, d);
        inv_add_evidence(inv, d, OSE_DHCP_FP, fp, ev->ts_us, ev->f ? ev->f->id : 0);
        inv_add_evidence(inv, d, OSE_DHCP_VENDOR, vc, ev->ts_us, ev->f ? ev->f->id : 0);
        return;
    }
    /* A reply: the router option names the gateway; an ACK gives the
     * address. */
    const json_t *routers = json_object_get(ev->body, "routers");
    size_t i;
    const json_t *r;
    json_array_foreach(routers, i, r) {
        struct ip_addr gw;
        if (json_is_string(r) && ip_addr_parse(json_string_value(r), &gw) == 0 &&
            !inv_is_gateway_ip(inv, &gw) && inv->ngw < ARRAY_SIZE(inv->gw))
            inv->gw[inv->ngw++] = gw;
    }
    const char *ip = jstr(ev->body, "assigned_ip");
    struct ip_addr a;
    if (d && dtype && strcmp(dtype, "ack") == 0 && ip && ip_addr_parse(ip, &a) == 0 &&
        !ip_addr_is_unspecified(&a) && inventory_is_local(inv, &a)) {
        inv_add_ip(d, &a, ev->ts_us);
        inv_ip_claim(inv, d, &a, ev->ts_us, false, false, true, ev->f ? ev->f->id : 0);
    }
}

static void inv_ev_dhcpv6(struct inventory *inv, const struct app_event *ev)
{
    const char *cm = jstr(ev->extra, "client_mac");
    uint8_t mac[6];
    if (!cm || mac_parse(cm, mac) < 0)
        return;
    struct device *d = inventory_find(inv, mac);
    if (!d && ev->f && ev->f->has_mac && memcmp(ev->f->src_mac, mac, 6) != 0)
        return;
    if (!d)
        return;
    inv_add_name(d, jstr(ev->extra, "fqdn"), INS_DHCP_FQDN, ev->ts_us);
}

/* NetBIOS names: a registration (opcode 5) or refresh (8, 9) is the sender's
 * own name, and so is a positive answer giving the answerer's own address; <00> workstation and <20> server names are computer names, but a
 * workgroup is also registered as <00>: its <1e> registration tells it
 * apart. */
static void inv_ev_nbns(const struct app_event *ev, struct device *d)
{
    const char *type = jstr(ev->body, "type");
    const json_t *op = json_object_get(ev->body, "opcode");
    const char *rr = jstr(ev->body, "rrname");
    if (!type || !json_is_integer(op))
        return;
    json_int_t opc = json_integer_value(op);
    if (strcmp(type, "answer") == 0) {
        /* A positive answer about a name whose address is the answerer's
         * own: the host is telling its name. */
        const char *rc = jstr(ev->body, "rcode");
        const json_t *ans = json_array_get(json_object_get(ev->body, "answers"), 0);
        const json_t *addrs = json_object_get(ev->extra, "addresses");
        char me[48];
        ip_addr_fmt(ev->dir ? &ev->f->dst : &ev->f->src, me, sizeof(me));
        bool mine = false;
        size_t i;
        const json_t *a;
        json_array_foreach(addrs, i, a) {
            if (json_is_string(a) && strcmp(json_string_value(a), me) == 0)
                mine = true;
        }
        if (opc != 0 || !rc || strcmp(rc, "NOERROR") != 0 || !mine || !ans)
            return;
        rr = jstr(ans, "rrname");
    } else if (strcmp(type, "query") != 0 || (opc != 5 && opc != 8 && opc != 9)) {
        return;
    }
    if (!rr)
        return;
    /* A group name (G bit) is a workgroup or domain, not the computer. */
    if (json_is_true(json_object_get(ev->extra, "group")))
        return;
    const char *lt = strrchr(rr, '<');
    if (!lt || strlen(lt) != 4 || lt[3] != '>')
        return;
    char name[INV_NAME_LEN];
    size_t n = (size_t)(lt - rr);
    if (n == 0 || n >= sizeof(name))
        return;
    memcpy(name, rr, n);
    name[n] = '\0';
    const char *suffix = lt + 1;
    if (strncmp(suffix, "00", 2) == 0 || strncmp(suffix, "20", 2) == 0) {
        for (unsigned i = 0; i < d->nnames; i++)
            if (d->names[i].source == INS_NBNS && strcasecmp(d->names[i].name, name) == 0)
                return;
        inv_add_name(d, name, INS_NBNS, ev->ts_us);
    } else if (strncasecmp(suffix, "1e", 2) == 0 || strncasecmp(suffix, "1d", 2) == 0 ||
               strncasecmp(suffix, "1c", 2) == 0 || strncasecmp(suffix, "1b", 2) == 0) {
        inv_drop_name(d, name, INS_NBNS);
    }
}

/* mDNS and LLMNR answers about the sender itself: A/AAAA records whose
 * address is the sender's, SRV targets; mDNS service types and model TXT
 * keys are evidence of what the device is. */
static void inv_ev_mcast_dns(struct inventory *inv, const struct app_event *ev,
                             struct device *d, bool mdns)
{
    const char *type = jstr(ev->body, "type");
    if (!type || strcmp(type, "answer") != 0)
        return;
    const struct flow *f = ev->f;
    char srcip[48];
    ip_addr_fmt(ev->dir ? &f->dst : &f->src, srcip, sizeof(srcip));
    const json_t *answers = json_object_get(ev->body, "answers");
    size_t i;
    const json_t *a;
    unsigned n = 0;
    json_array_foreach(answers, i, a) {
        if (++n > 64)
            break;
        const char *rrname = jstr(a, "rrname");
        const char *rrtype = jstr(a, "rrtype");
        const char *rdata = jstr(a, "rdata");
        if (!rrname || !rrtype)
            continue;
        if ((strcmp(rrtype, "A") == 0 || strcmp(rrtype, "AAAA") == 0) && rdata) {
            struct ip_addr x, y;
            if (ip_addr_parse(rdata, &x) == 0 && ip_addr_parse(srcip, &y) == 0 &&
                (memcmp(&x, &y, sizeof(x)) == 0 || !strcmp(rrtype, "AAAA")))
                inv_add_name(d, rrname, mdns ? INS_MDNS : INS_LLMNR, ev->ts_us);
        } else if (mdns && strcmp(rrtype, "SRV") == 0) {
            const json_t *srv = json_object_get(a, "srv");
            inv_add_name(d, jstr(srv, "name"), INS_MDNS, ev->ts_us);
        } else if (mdns && strcmp(rrtype, "PTR") == 0 && rrname[0] == '_' &&
                   strncmp(rrname, "_services.", 10) != 0) {
            /* "_ipp._tcp.local" -> "_ipp._tcp" */
            char svc[64];
            size_t len = strlen(rrname);
            if (len > 6 && strcasecmp(rrname + len - 6, ".local") == 0)
                len -= 6;
            if (len < sizeof(svc) && !strstr(rrname, "._sub.")) {
                memcpy(svc, rrname, len);
                svc[len] = '\0';
                inv_add_evidence(inv, d, OSE_MDNS, svc, ev->ts_us, f->id);
            }
        } else if (mdns && strcmp(rrtype, "TXT") == 0 && rdata) {
            static const char *const keys[] = {"model=", "md=", "ty="};
            for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
                const char *p = strstr(rdata, keys[k]);
                if (!p || (p != rdata && p[-1] != '"' && p[-1] != ' '))
                    continue;
                char val[96];
                size_t m = strcspn(p, "\"");
                if (m >= sizeof(val))
                    m = sizeof(val) - 1;
                memcpy(val, p, m);
                val[m] = '\0';
                inv_add_evidence(inv, d, OSE_MDNS, val, ev->ts_us, f->id);
            }
        }
    }
}

static void inv_ev_smb(struct inventory *inv, const struct app_event *ev)
{
    const struct flow *f = ev->f;
    struct device *cli = inv_side(inv, f, 0), *srv = inv_side(inv, f, 1);
    uint64_t fid = f->id;
    const json_t *ntlm = json_object_get(ev->body, "ntlmssp");
    if (cli && ntlm) {
        inv_add_name(cli, jstr(ntlm, "host"), INS_NTLM, ev->ts_us);
        inv_add_evidence(inv, cli, OSE_NTLM_VERSION, jstr(ntlm, "version"), ev->ts_us, fid);
    }
    const json_t *ns = json_object_get(ev->extra, "ntlm_server");
    if (srv && ns) {
        inv_add_name(srv, jstr(ns, "nb_computer"), INS_NTLM, ev->ts_us);
        inv_add_evidence(inv, srv, OSE_NTLM_VERSION, jstr(ns, "version"), ev->ts_us, fid);
    }
    const char *dialect = jstr(ev->body, "dialect");
    if (dialect && strcmp(dialect, "unknown") != 0) {
        if (cli)
            inv_add_evidence(inv, cli, OSE_SMB_DIALECT, dialect, ev->ts_us, fid);
        if (srv)
            inv_add_evidence(inv, srv, OSE_SMB_DIALECT, dialect, ev->ts_us, fid);
    }
    for (int side = 0; side < 2; side++) {
        const json_t *os = json_object_get(ev->body, side ? "response" : "request");
        struct device *d = side ? srv : cli;
        const char *nos = jstr(os, "native_os");
        if (d && nos && *nos) {
            char buf[INV_EVIDENCE_LEN];
            const char *lm = jstr(os, "native_lm");
            snprintf(buf, sizeof(buf), "%s%s%s", nos, lm && *lm ? " / " : "", lm ? lm : "");
            inv_add_evidence(inv, d, OSE_SMB_NATIVE_OS, buf, ev->ts_us, fid);
        }
    }
}

static void inv_ev_ssh(struct inventory *inv, const struct app_event *ev)
{
    for (int side = 0; side < 2; side++) {
        struct device *d = inv_side(inv, ev->f, side);
        const json_t *s = json_object_get(ev->body, side ? "server" : "client");
        const char *proto = jstr(s, "proto_version"), *sw = jstr(s, "software_version");
        if (!d || !proto || !sw)
            continue;
        char buf[INV_EVIDENCE_LEN];
        snprintf(buf, sizeof(buf), "%s-%s", proto, sw);
        inv_add_evidence(inv, d, OSE_SSH_BANNER, buf, ev->ts_us, ev->f->id);
    }
}

static void inv_ev_tls(struct inventory *inv, const struct app_event *ev)
{
    const struct flow *f = ev->f;
    struct device *cli = inv_side(inv, f, 0);
    inv_peer_name(cli, f, jstr(ev->body, "sni"));
    const char *v = jstr(ev->body, "version");
    /* Only old versions are worth keeping as evidence. */
    if (!v || !(strcmp(v, "SSLv2") == 0 || strcmp(v, "SSLv3") == 0 ||
                strcmp(v, "TLS 1.0") == 0 || strcmp(v, "TLS 1.1") == 0))
        return;
    if (cli)
        inv_add_evidence(inv, cli, OSE_TLS_VERSION, v, ev->ts_us, f->id);
    struct device *srv = inv_side(inv, f, 1);
    if (srv)
        inv_add_evidence(inv, srv, OSE_TLS_VERSION, v, ev->ts_us, f->id);
}

static void inv_ev_http(struct inventory *inv, const struct app_event *ev)
{
    struct device *cli = inv_side(inv, ev->f, 0);
    if (!cli)
        return;
    inv_peer_name(cli, ev->f, jstr(ev->body, "hostname"));
    inv_add_evidence(inv, cli, OSE_HTTP_UA, jstr(ev->body, "http_user_agent"), ev->ts_us,
                     ev->f->id);
}

void inventory_app_event(struct inventory *inv, const struct app_event *ev)
{
    if (!ev->f || !ev->type)
        return;
    const char *t = ev->type;
    if (strcmp(t, "dhcp") == 0) {
        inv_ev_dhcp(inv, ev);
    } else if (strcmp(t, "dhcpv6") == 0) {
        inv_ev_dhcpv6(inv, ev);
    } else if (strcmp(t, "dns") == 0) {
        const char *ap = ev->app_proto ? ev->app_proto : "";
        bool nbns = strcmp(ap, "nbns") == 0, mdns = strcmp(ap, "mdns") == 0,
             llmnr = strcmp(ap, "llmnr") == 0;
        if (!nbns && !mdns && !llmnr)
            return;
        /* The sender of this message: EVE's src (dir 1: the responder). */
        struct device *d = inv_side(inv, ev->f, ev->dir);
        if (!d)
            return;
        if (nbns)
            inv_ev_nbns(ev, d);
        else
            inv_ev_mcast_dns(inv, ev, d, mdns);
    } else if (strcmp(t, "smb") == 0) {
        inv_ev_smb(inv, ev);
    } else if (strcmp(t, "ssh") == 0) {
        inv_ev_ssh(inv, ev);
    } else if (strcmp(t, "tls") == 0) {
        inv_ev_tls(inv, ev);
    } else if (strcmp(t, "http") == 0) {
        inv_ev_http(inv, ev);
    }
}

/* --- flows --- */

static void inv_add_peer(struct device *d, const struct flow *f)
{
    uint64_t bytes = f->bytes[0] + f->bytes[1];
    unsigned least = 0;
    for (unsigned i = 0; i < d->npeers; i++) {
        struct inv_peer *p = &d->peers[i];
        if (p->port == f->dport && p->proto == f->proto &&
            memcmp(&p->ip, &f->dst, sizeof(p->ip)) == 0) {
            p->bytes += bytes;
            p->flows++;
            p->last_us = f->last_ts_us;
            p->dirty = true;
            d->dirty = true;
            return;
        }
        if (p->bytes < d->peers[least].bytes)
            least = i;
    }
    /* Space-saving top list: a newcomer takes the smallest entry's place
     * and inherits its count, so heavy hitters are never pushed out by a
     * stream of one-off destinations. */
    uint64_t base = 0;
    unsigned slot;
    if (d->npeers < INV_MAX_PEERS) {
        d->peers = inv_list_room(d->peers, d->npeers, INV_MAX_PEERS, sizeof(*d->peers));
        slot = d->npeers++;
    } else {
        slot = least;
        base = d->peers[least].bytes;
    }
    struct inv_peer *p = &d->peers[slot];
    memset(p, 0, sizeof(*p));
    p->ip = f->dst;
    p->port = f->dport;
    p->proto = f->proto;
    p->bytes = base + bytes;
    p->flows = 1;
    p->last_us = f->last_ts_us;
    p->dirty = true;
    d->dirty = true;
}

/* The responder answered: it offers (proto, port). */
static void inv_add_service(struct inventory *inv, struct device *d, const struct flow *f)
{
    unsigned oldest = 0;
    for (unsigned i = 0; i < d->nservices; i++) {
        struct inv_service *s = &d->services[i];
        if (s->proto == f->proto && s->port == f->dport) {
            s->flows++;
            if (f->last_ts_us > s->last_us)
                s->last_us = f->last_ts_us;
            if (!s->app_proto[0] && f->app_proto[0])
                snprintf(s->app_proto, sizeof(s->app_proto), "%s", f->app_proto);
            s->dirty = true;
            d->dirty = true;
            return;
        }
        if (s->last_us < d->services[oldest].last_us)
            oldest = i;
    }
    if (d->nservices < INV_MAX_SERVICES)
        d->services =
            inv_list_room(d->services, d->nservices, INV_MAX_SERVICES, sizeof(*d->services));
    unsigned slot = d->nservices < INV_MAX_SERVICES ? d->nservices++ : oldest;
    struct inv_service *s = &d->services[slot];
    memset(s, 0, sizeof(*s));
    s->proto = f->proto;
    s->port = f->dport;
    snprintf(s->app_proto, sizeof(s->app_proto), "%s", f->app_proto);
    s->first_us = f->first_ts_us;
    s->last_us = f->last_ts_us;
    s->flows = 1;
    s->dirty = true;
    d->dirty = true;
    struct inv_event ev = {.kind = INV_SERVICE_NEW, .ts_us = f->first_ts_us, .dev = d, .svc = s,
                           .flow_id = f->id};
    if (d->announced)
        inv_emit(inv, &ev);
}

void inventory_flow(struct inventory *inv, const struct flow *f)
{
    if (!f->has_mac || (f->proto != 6 && f->proto != 17))
        return;
    struct device *cli = inv_side(inv, f, 0);
    struct device *srv = inv_side(inv, f, 1);
    if (cli && !inventory_is_local(inv, &f->dst) && !ip_addr_is_unspecified(&f->dst) &&
        f->pkts[1] > 0)
        inv_add_peer(cli, f);
    if (!srv || srv == cli)
        return;
    bool answered;
    if (f->proto == 6)
        answered = f->syn_seen[0] && f->synack_seen && f->pkts[1] > 0;
    else
        answered = f->pkts[1] > 0 && f->pkts[0] > 0 && f->dport < 49152 &&
                   !(f->sport < 1024 && f->dport >= 1024);
    if (answered)
        inv_add_service(inv, srv, f);
}

/* --- time --- */

static void inv_announce(struct inventory *inv, struct device *d)
{
    d->announced = true;
    if (inv->npending)
        inv->npending--;
    d->dirty = true;
    struct inv_event ev = {.kind = INV_DEVICE_NEW, .ts_us = d->first_us, .dev = d};
    inv_emit(inv, &ev);
    /* What was learnt while it was pending. */
    for (unsigned i = 0; i < d->nevidence; i++) {
        struct inv_event e2 = {.kind = INV_EVIDENCE, .ts_us = d->evidence[i].first_us,
                               .dev = d, .ev = &d->evidence[i]};
        inv_emit(inv, &e2);
    }
    for (unsigned i = 0; i < d->nservices; i++) {
        struct inv_event e3 = {.kind = INV_SERVICE_NEW, .ts_us = d->services[i].first_us,
                               .dev = d, .svc = &d->services[i]};
        inv_emit(inv, &e3);
    }
}

void inventory_tick(struct inventory *inv, uint64_t now_us)
{
    if (now_us > inv->now_us)
        inv->now_us = now_us;
    if (!inv->npending)
        return;
    uint64_t delay = (uint64_t)inv->cfg.new_device_delay_s * US_PER_S;
    for (unsigned i = 0; i < inv->ndevs; i++) {
        struct device *d = inv->devs[i];
        if (!d->announced && now_us >= d->first_us + delay)
            inv_announce(inv, d);
    }
}

void inventory_finish(struct inventory *inv)
{
    for (unsigned i = 0; i < inv->ndevs; i++)
        if (!inv->devs[i]->announced)
            inv_announce(inv, inv->devs[i]);
}

int inventory_save(struct inventory *inv, int (*fn)(void *arg, const struct device *d),
                   void *arg)
{
    for (unsigned i = 0; i < inv->ndevs; i++) {
        struct device *d = inv->devs[i];
        if (!d->dirty || !d->announced)
            continue;
        if (fn(arg, d) < 0)
            return -1;
        d->dirty = false;
        for (unsigned j = 0; j < d->nmacs; j++)
            d->macs[j].dirty = false;
        for (unsigned j = 0; j < d->nips; j++)
            d->ips[j].dirty = false;
        for (unsigned j = 0; j < d->nnames; j++)
            d->names[j].dirty = false;
        for (unsigned j = 0; j < d->nservices; j++)
            d->services[j].dirty = false;
        for (unsigned j = 0; j < d->nevidence; j++)
            d->evidence[j].dirty = false;
        for (unsigned j = 0; j < d->npeers; j++)
            d->peers[j].dirty = false;
    }
    return 0;
}
