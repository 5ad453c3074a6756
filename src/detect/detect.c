/* detect.c - the detection stage: routes the pipeline's packets, flows and
 * events to the inventory and the detectors, and de-duplicates alerts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/behaviour.h"
#include "detect/detect.h"
#include "util/netaddr.h"
#include "util/strbuf.h"
#include "util/util.h"

/* Every detector, in the order they see things. */
static const struct detector_ops *const detectors[] = {
    &det_device_new,     &det_device_arp,      &det_device_returned, &det_device_legacy_os,
    &det_device_new_service,
    &det_scan,           &det_sweep,           &det_dos,
    &det_bruteforce,     &det_spam,
    &det_lateral,        &det_remote_access,
    &det_beacon,         &det_exfil,
    &det_intel,
    &det_dns_tunnel,     &det_dns_dga,
    &det_cleartext,      &det_legacy_protocol,
    &det_web_attack,
};
#define NDETECTORS ARRAY_SIZE(detectors)

/* One alert key seen in this run. */
struct open_alert {
    struct open_alert *next;
    struct alert a;          /* as last sent, facts included */
    uint32_t pending;        /* occurrences not yet sent */
    uint64_t pending_last_us;
    bool escalated;          /* the severity rose since the last send */
};

#define DETECT_HASH_BITS 12

struct detect {
    struct detect_config cfg;
    const struct intel_db *intel;
    const struct known_list *known;
    alert_fn cb;
    void *cb_arg;
    struct inventory *inv;
    void *st[NDETECTORS];
    /* The detectors that have each hot hook, so a packet or a flow only
     * visits those (most detectors have no packet hook). */
    struct {
        void (*fn)(void *st, const struct packet *pkt);
        void *st;
    } on_packet[NDETECTORS];
    struct {
        void (*fn)(void *st, const struct flow *f);
        void *st;
    } on_flow_start[NDETECTORS], on_flow[NDETECTORS];
    struct {
        void (*fn)(void *st, const struct app_event *ev);
        void *st;
    } on_app_event[NDETECTORS];
    unsigned npacket, nflow_start, nflow, napp_event;
    /* Destination names, and the one of the flow the flow hooks see. */
    struct dest_names *names;
    char flow_dest[DEST_NAME_LEN];
    unsigned flow_dest_flags;
    uint64_t names_expired_us;
    struct open_alert *buckets[1u << DETECT_HASH_BITS];
    uint32_t nopen;
    uint32_t npending;
};

void detect_config_defaults(struct detect_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->enabled = true;
    inventory_config_defaults(&cfg->inv);
    cfg->max_open_alerts = 100000;
    cfg->ip_conflict_window_s = 600;
    cfg->gratuitous_arp_per_min = 30;
    cfg->service_learning_s = 86400;
}

/* The declaration of a tunable, NULL if no detector has it. */
static const struct detect_param *detect_param_decl(const char *key)
{
    for (size_t i = 0; i < NDETECTORS; i++)
        for (const struct detect_param *p = detectors[i]->params; p && p->key; p++)
            if (strcmp(p->key, key) == 0)
                return p;
    return NULL;
}

int detect_config_set_param(struct detect_config *cfg, const char *key, const char *value,
                            char *err, unsigned errlen)
{
    const struct detect_param *p = detect_param_decl(key);
    if (!p)
        return -2;
    uint64_t v;
    if (parse_u64(value, &v) < 0 || v < p->min || v > p->max) {
        snprintf(err, errlen, "'%s' needs a whole number from %u to %u", key, p->min, p->max);
        return -1;
    }
    for (uint32_t i = 0; i < cfg->nparams; i++) {
        if (strcmp(cfg->params[i].key, key) == 0) {
            cfg->params[i].value = (uint32_t)v;
            return 0;
        }
    }
    if (cfg->nparams >= DETECT_MAX_PARAM_SETS || strlen(key) >= DETECT_PARAM_KEY_LEN) {
        snprintf(err, errlen, "'%s': too many detector settings", key);
        return -1;
    }
    snprintf(cfg->params[cfg->nparams].key, DETECT_PARAM_KEY_LEN, "%s", key);
    cfg->params[cfg->nparams].value = (uint32_t)v;
    cfg->nparams++;
    return 0;
}

/* A tunable's value in a config: its setting, else the default. */
static uint32_t detect_param_in(const struct detect_config *cfg, const struct detect_param *p)
{
    for (uint32_t i = 0; i < cfg->nparams; i++)
        if (strcmp(cfg->params[i].key, p->key) == 0)
            return cfg->params[i].value;
    return p->def;
}

/* The tunables a reconfigure hook read (detect_reconfigure): what it did
 * not read it cannot apply. Only set while a hook runs, on the thread
 * that runs it. */
#define DETECT_MAX_READS 64
static _Thread_local struct {
    bool on;
    unsigned n;
    const struct detect_param *read[DETECT_MAX_READS];
} param_reads;

uint32_t detect_param(const struct detect *d, const char *key)
{
    const struct detect_param *p = detect_param_decl(key);
    if (!p)
        die("bug: detector tunable '%s' is not declared", key);
    if (param_reads.on && param_reads.n < DETECT_MAX_READS)
        param_reads.read[param_reads.n++] = p;
    return detect_param_in(&d->cfg, p);
}

static bool param_was_read(const struct detect_param *p)
{
    for (unsigned i = 0; i < param_reads.n; i++)
        if (param_reads.read[i] == p)
            return true;
    return false;
}

/* Sets a tunable in cfg to v (the caller checked it is declared). */
static void detect_param_put(struct detect_config *cfg, const char *key, uint32_t v)
{
    for (uint32_t i = 0; i < cfg->nparams; i++) {
        if (strcmp(cfg->params[i].key, key) == 0) {
            cfg->params[i].value = v;
            return;
        }
    }
    /* A slot is free: a config holds each declared key at most once, and
     * there are fewer declared keys than slots (test-service checks). */
    if (cfg->nparams >= DETECT_MAX_PARAM_SETS)
        BUG("detector settings table full");
    snprintf(cfg->params[cfg->nparams].key, DETECT_PARAM_KEY_LEN, "%s", key);
    cfg->params[cfg->nparams++].value = v;
}

static void detect_note_key(struct strbuf *sb, const char *key)
{
    if (sb)
        sb_list_add(sb, key);
}

static bool netset_equal(const struct netset *a, const struct netset *b)
{
    if (a->n != b->n)
        return false;
    for (unsigned i = 0; i < a->n; i++)
        if (a->bits[i] != b->bits[i] || memcmp(&a->net[i], &b->net[i], sizeof(a->net[i])) != 0)
            return false;
    return true;
}

/* The inventory's settings apply at once (inventory_reconfigure), and the
 * stage takes the same ones, so detect_is_home() and the inventory never
 * disagree; only inventory.enabled waits for a restart. */
static unsigned detect_inv_reconfigure(struct inventory *inv, struct inventory_config *cur,
                                       const struct inventory_config *nw, struct strbuf *applied,
                                       struct strbuf *restart)
{
    unsigned n = 0;
    if (!netset_equal(&cur->home, &nw->home) && ++n)
        detect_note_key(applied, "net.home");
    if (cur->new_device_delay_s != nw->new_device_delay_s && ++n)
        detect_note_key(applied, "inventory.new_device_delay");
    if (cur->returned_days != nw->returned_days && ++n)
        detect_note_key(applied, "inventory.returned_days");
    if (cur->max_devices != nw->max_devices && ++n)
        detect_note_key(applied, "inventory.max_devices");
    if (cur->enabled != nw->enabled && ++n)
        detect_note_key(restart, "inventory.enabled");
    bool enabled = cur->enabled;
    *cur = *nw;
    cur->enabled = enabled;
    if (inv)
        inventory_reconfigure(inv, cur);
    return n;
}

unsigned detect_reconfigure(struct detect *d, const struct detect_config *ncfg,
                            struct strbuf *applied, struct strbuf *restart)
{
    /* Heap: a config is ~20 KiB of tunable slots. */
    struct detect_config *old = xmalloc(sizeof(*old));
    *old = d->cfg;
    d->cfg = *ncfg;
    d->cfg.inv = old->inv;
    unsigned n = detect_inv_reconfigure(d->inv, &d->cfg.inv, &ncfg->inv, applied, restart);
    /* Read live by the stage and the device detectors (detect_cfg()). */
    if (d->cfg.enabled != old->enabled && ++n)
        detect_note_key(applied, "detect.enabled");
    if (d->cfg.max_open_alerts != old->max_open_alerts && ++n)
        detect_note_key(applied, "detect.max_open_alerts");
    if (d->cfg.ip_conflict_window_s != old->ip_conflict_window_s && ++n)
        detect_note_key(applied, "inventory.ip_conflict_window");
    if (d->cfg.gratuitous_arp_per_min != old->gratuitous_arp_per_min && ++n)
        detect_note_key(applied, "inventory.gratuitous_arp_per_minute");
    if (d->cfg.service_learning_s != old->service_learning_s && ++n)
        detect_note_key(applied, "inventory.service_learning");
    for (size_t i = 0; i < NDETECTORS; i++) {
        const struct detector_ops *o = detectors[i];
        param_reads.n = 0;
        if (o->reconfigure) {
            param_reads.on = true;
            o->reconfigure(d->st[i]);
            param_reads.on = false;
        }
        for (const struct detect_param *p = o->params; p && p->key; p++) {
            uint32_t was = detect_param_in(old, p);
            if (was == detect_param_in(&d->cfg, p))
                continue;
            n++;
            if (param_was_read(p)) {
                detect_note_key(applied, p->key);
            } else {
                /* Not applied: the stage says what is in effect. */
                detect_param_put(&d->cfg, p->key, was);
                detect_note_key(restart, p->key);
            }
        }
    }
    free(old);
    return n;
}

unsigned detect_param_count(void)
{
    unsigned n = 0;
    for (size_t i = 0; i < NDETECTORS; i++)
        for (const struct detect_param *p = detectors[i]->params; p && p->key; p++)
            n++;
    return n;
}

bool detect_enabled(const struct detect *d)
{
    return d->cfg.enabled;
}

void detect_set_intel(struct detect *d, const struct intel_db *db)
{
    d->intel = db;
}

const struct intel_db *detect_intel(const struct detect *d)
{
    return d->intel;
}

bool detect_is_home(const struct detect *d, const struct ip_addr *ip)
{
    return netset_contains(&d->cfg.inv.home, ip);
}

void detect_alert_device_ip(const struct detect *d, struct alert *a, const struct ip_addr *ip)
{
    if (!detect_is_home(d, ip))
        return;
    detect_alert_device(d, a, inventory_find_ip(d->inv, ip));
}

static void detect_on_inv_event(void *arg, const struct inv_event *ev)
{
    struct detect *d = arg;
    for (size_t i = 0; i < NDETECTORS; i++)
        if (detectors[i]->inv_event)
            detectors[i]->inv_event(d->st[i], ev);
}

struct detect *detect_new(const struct detect_config *cfg, const struct oui_db *oui,
                          const struct known_list *known, alert_fn cb, void *arg)
{
    struct detect *d = xcalloc(1, sizeof(*d));
    d->cfg = *cfg;
    d->known = known;
    d->cb = cb;
    d->cb_arg = arg;
    d->inv = inventory_new(&cfg->inv, oui, detect_on_inv_event, d);
    d->names = dest_names_new(8192, 16384);
    for (size_t i = 0; i < NDETECTORS; i++) {
        const struct detector_ops *o = detectors[i];
        void *st = d->st[i] = o->create ? o->create(d) : NULL;
        if (o->packet) {
            d->on_packet[d->npacket].fn = o->packet;
            d->on_packet[d->npacket++].st = st;
        }
        if (o->flow_start) {
            d->on_flow_start[d->nflow_start].fn = o->flow_start;
            d->on_flow_start[d->nflow_start++].st = st;
        }
        if (o->flow) {
            d->on_flow[d->nflow].fn = o->flow;
            d->on_flow[d->nflow++].st = st;
        }
        if (o->app_event) {
            d->on_app_event[d->napp_event].fn = o->app_event;
            d->on_app_event[d->napp_event++].st = st;
        }
    }
    return d;
}

static void detect_clear_open(struct detect *d)
{
    for (size_t b = 0; b < ARRAY_SIZE(d->buckets); b++) {
        struct open_alert *o = d->buckets[b];
        while (o) {
            struct open_alert *next = o->next;
            alert_release(&o->a);
            free(o);
            o = next;
        }
        d->buckets[b] = NULL;
    }
    d->nopen = 0;
    d->npending = 0;
}

void detect_free(struct detect *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < NDETECTORS; i++)
        if (detectors[i]->destroy)
            detectors[i]->destroy(d->st[i]);
    inventory_free(d->inv);
    dest_names_free(d->names);
    detect_clear_open(d);
    free(d);
}

struct inventory *detect_inventory(struct detect *d)
{
    return d->inv;
}

const struct detect_config *detect_cfg(const struct detect *d)
{
    return &d->cfg;
}

const struct known_list *detect_known(const struct detect *d)
{
    return d->known;
}

const struct known_device *detect_device_known(const struct detect *d, const struct device *dev)
{
    const struct known_device *k = NULL;
    for (unsigned i = 0; d->known && !k && i < dev->nmacs && i < INV_MAX_MACS; i++)
        k = known_find(d->known, dev->macs[i].mac);
    return k;
}

void detect_alert_device(const struct detect *d, struct alert *a, const struct device *dev)
{
    if (!dev)
        return;
    a->has_mac = true;
    memcpy(a->mac, dev->mac, 6);
    const struct known_device *k = detect_device_known(d, dev);
    const char *name = k && k->name[0] ? k->name : device_display_name(dev);
    snprintf(a->device, sizeof(a->device), "%s", name);
}

void detect_packet(struct detect *d, const struct packet *pkt)
{
    if (!d->cfg.enabled)
        return; /* paused by a reload (detect.enabled = no) */
    inventory_packet(d->inv, pkt);
    for (unsigned i = 0; i < d->npacket; i++)
        d->on_packet[i].fn(d->on_packet[i].st, pkt);
}

void detect_flow_start(struct detect *d, const struct flow *f)
{
    if (!d->cfg.enabled)
        return;
    for (unsigned i = 0; i < d->nflow_start; i++)
        d->on_flow_start[i].fn(d->on_flow_start[i].st, f);
}

const char *detect_flow_dest(const struct detect *d, unsigned *flags)
{
    if (flags)
        *flags = d->flow_dest_flags;
    return d->flow_dest;
}

void detect_flow(struct detect *d, const struct flow *f)
{
    if (!d->cfg.enabled)
        return;
    inventory_flow(d->inv, f);
    dest_names_flow(d->names, f, d->flow_dest, sizeof(d->flow_dest), &d->flow_dest_flags);
    for (unsigned i = 0; i < d->nflow; i++)
        d->on_flow[i].fn(d->on_flow[i].st, f);
}

void detect_app_event(struct detect *d, const struct app_event *ev)
{
    if (!d->cfg.enabled)
        return;
    inventory_app_event(d->inv, ev);
    dest_names_app_event(d->names, ev);
    for (unsigned i = 0; i < d->napp_event; i++)
        d->on_app_event[i].fn(d->on_app_event[i].st, ev);
}

void detect_tick(struct detect *d, uint64_t now_us)
{
    if (!d->cfg.enabled)
        return;
    inventory_tick(d->inv, now_us);
    /* Names only need to outlive the flows and DNS answers they come from. */
    const uint64_t names_idle = 86400ull * 1000000u, every = 60ull * 1000000u;
    if (now_us - d->names_expired_us >= every && now_us > names_idle) {
        d->names_expired_us = now_us;
        dest_names_expire(d->names, now_us - names_idle);
    }
    for (size_t i = 0; i < NDETECTORS; i++)
        if (detectors[i]->tick)
            detectors[i]->tick(d->st[i], now_us);
}

void detect_finish(struct detect *d)
{
    /* Paused: what was judged before the pause is flushed, nothing new. */
    if (d->cfg.enabled) {
        inventory_finish(d->inv);
        for (size_t i = 0; i < NDETECTORS; i++)
            if (detectors[i]->finish)
                detectors[i]->finish(d->st[i]);
    }
    detect_flush(d);
}

static uint32_t detect_hash(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h & ((1u << DETECT_HASH_BITS) - 1);
}

bool detect_raise(struct detect *d, const struct alert *a)
{
    if (!a->key[0])
        BUG("alert without a key");
    uint32_t h = detect_hash(a->key);
    for (struct open_alert *o = d->buckets[h]; o; o = o->next) {
        if (strcmp(o->a.key, a->key) != 0)
            continue;
        if (!o->pending)
            d->npending++;
        o->pending += a->count ? a->count : 1;
        if (a->severity > o->a.severity) {
            /* Escalation: the record takes the new severity and the facts
             * that justify it. */
            o->a.severity = a->severity;
            json_decref(o->a.facts);
            o->a.facts = json_deep_copy(a->facts);
            if (!o->a.facts)
                die("out of memory");
            o->escalated = true;
        }
        if (a->last_ts_us > o->pending_last_us)
            o->pending_last_us = a->last_ts_us;
        for (unsigned i = 0; i < a->nflows; i++)
            alert_add_flow(&o->a, a->flow_ids[i]);
        return false;
    }
    /* New key. The table only exists to aggregate; when it is full, what it
     * forgets is merged again by the store (same key, counts add up). */
    if (d->nopen >= d->cfg.max_open_alerts) {
        detect_flush(d);
        detect_clear_open(d);
    }
    struct open_alert *o = xcalloc(1, sizeof(*o));
    alert_copy(&o->a, a);
    if (!o->a.count)
        o->a.count = 1;
    o->a.update = false;
    o->next = d->buckets[h];
    d->buckets[h] = o;
    d->nopen++;
    d->cb(d->cb_arg, &o->a);
    return true;
}

void detect_flush(struct detect *d)
{
    if (!d->npending)
        return;
    for (size_t b = 0; b < ARRAY_SIZE(d->buckets); b++) {
        for (struct open_alert *o = d->buckets[b]; o; o = o->next) {
            if (!o->pending)
                continue;
            /* Sinks get the occurrences since the last time: the store adds
             * them up, EVE ignores updates. */
            o->a.count = o->pending;
            if (o->pending_last_us > o->a.last_ts_us)
                o->a.last_ts_us = o->pending_last_us;
            o->a.update = true;
            o->a.escalated = o->escalated;
            d->cb(d->cb_arg, &o->a);
            o->pending = 0;
            o->escalated = false;
        }
    }
    d->npending = 0;
}
