/* det-device-arp.c - device.ip_conflict and device.arp_spoof: an IPv4
 * address claimed by a second device while the first still uses it, the
 * router's address claimed by someone else, an address flip-flopping between
 * two devices, and gratuitous ARP storms.
 *
 * arpwatch reports every change of an address's MAC; owners learn to ignore
 * it because almost all of them are DHCP handing an address to the next
 * device. Here a change is news only when the previous holder used the
 * address within inventory.ip_conflict_window: an address taken over after
 * a silence, handed out by DHCP, or left by a holder that moved on to
 * another address raises nothing (that includes a replaced router).
 *
 * Facts: ip, other_mac, other_device (ip_conflict, flip-flop, gateway);
 * ip, per_min (storm); vendor (gateway); how ("arp", "gratuitous", "other")
 * as evidence.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "util/netaddr.h"
#include "util/util.h"

/* Addresses whose last move is remembered for flip-flop detection. Moves
 * are rare (a few per day on a calm LAN); when full the oldest is replaced,
 * which at worst misses a flip-flop on an address nobody touched for long. */
#define ARP_MOVES_MAX 256
/* Devices remembered for the once-a-minute storm check, same policy. */
#define ARP_STORMS_MAX 64

struct arp_move {
    struct ip_addr ip;
    uint8_t from[6], to[6];
    uint64_t ts_us;
    bool used;
};

struct arp_storm {
    uint8_t mac[6];
    uint64_t minute;
    bool used;
};

struct det_arp {
    struct detect *d;
    struct arp_move moves[ARP_MOVES_MAX];
    struct arp_storm storms[ARP_STORMS_MAX];
};

static void *det_arp_create(struct detect *d)
{
    struct det_arp *s = xcalloc(1, sizeof(*s));
    s->d = d;
    return s;
}

static void det_arp_destroy(void *st)
{
    free(st);
}

/* Records the move of ip from `from` to `to` and says whether it undoes the
 * previous move of that address (to -> from) made within window_us: the
 * address is going back and forth between the same two devices. */
static bool det_arp_record_move(struct det_arp *s, const struct ip_addr *ip, const uint8_t from[6],
                                const uint8_t to[6], uint64_t ts_us, uint64_t window_us)
{
    struct arp_move *slot = NULL, *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < ARP_MOVES_MAX; i++) {
        struct arp_move *m = &s->moves[i];
        if (!m->used) {
            if (!free_slot)
                free_slot = m;
            continue;
        }
        if (memcmp(&m->ip, ip, sizeof(*ip)) == 0) {
            slot = m;
            break;
        }
        if (!oldest || m->ts_us < oldest->ts_us)
            oldest = m;
    }
    bool flip = false;
    if (slot) {
        flip = memcmp(slot->from, to, 6) == 0 && memcmp(slot->to, from, 6) == 0 &&
               ts_us >= slot->ts_us && ts_us - slot->ts_us <= window_us;
    } else {
        slot = free_slot ? free_slot : oldest;
    }
    slot->used = true;
    slot->ip = *ip;
    memcpy(slot->from, from, 6);
    memcpy(slot->to, to, 6);
    slot->ts_us = ts_us;
    return flip;
}

/* Whether the previous holder now uses another IPv4 address, more recently
 * than it used ip: it has moved on and is no longer using ip. */
static bool det_arp_moved_on(const struct device *other, const struct ip_addr *ip,
                             uint64_t last_use_us)
{
    for (unsigned i = 0; other->ips && i < other->nips && i < INV_MAX_IPS; i++) {
        const struct inv_ip *e = &other->ips[i];
        if (memcmp(&e->ip, ip, sizeof(*ip)) == 0) {
            last_use_us = e->last_us;
            break;
        }
    }
    for (unsigned i = 0; other->ips && i < other->nips && i < INV_MAX_IPS; i++) {
        const struct inv_ip *e = &other->ips[i];
        if (!ip_addr_is_v4(&e->ip) || ip_addr_is_unspecified(&e->ip) ||
            memcmp(&e->ip, ip, sizeof(*ip)) == 0)
            continue;
        if (e->last_us > last_use_us)
            return true;
    }
    return false;
}

/* Facts and addresses shared by the three "two devices, one address"
 * alerts. `dev` is the device the alert is about, `other` the other one. */
static void det_arp_fill_pair(struct det_arp *s, struct alert *a, const struct inv_event *ev,
                              const struct device *dev, const struct device *other)
{
    char ipbuf[48], omac[18];
    detect_alert_device(s->d, a, dev);
    a->has_src = true;
    a->src = ev->ip;
    ip_addr_fmt(&ev->ip, ipbuf, sizeof(ipbuf));
    alert_fact_str(a, "ip", ipbuf);
    mac_fmt(other->mac, omac);
    alert_fact_str(a, "other_mac", omac);
    /* The other device's name, as detect_alert_device would give it, so the
     * text never shows "?" for it. */
    struct alert tmp;
    memset(&tmp, 0, sizeof(tmp));
    detect_alert_device(s->d, &tmp, other);
    alert_fact_str(a, "other_device", tmp.device[0] ? tmp.device : omac);
    alert_fact_str(a, "how", ev->gratuitous ? "gratuitous" : ev->from_arp ? "arp" : "other");
    alert_add_flow(a, ev->flow_id);
}

/* When dev first used ip (the inventory's address entry), or "never". The
 * device that had the router's address first is taken as the router: an
 * impostor arrives later. */
static uint64_t det_arp_ip_since(const struct device *dev, const struct ip_addr *ip)
{
    for (unsigned i = 0; i < dev->nips; i++)
        if (memcmp(&dev->ips[i].ip, ip, sizeof(*ip)) == 0)
            return dev->ips[i].first_us;
    return UINT64_MAX;
}

static void det_arp_ip_moved(struct det_arp *s, const struct inv_event *ev)
{
    const struct device *dev = ev->dev, *other = ev->other;
    if (!dev || !other || dev == other || memcmp(dev->mac, other->mac, 6) == 0)
        return;
    const struct detect_config *cfg = detect_cfg(s->d);
    uint64_t window_us = (uint64_t)cfg->ip_conflict_window_s * 1000000u;
    bool flip = det_arp_record_move(s, &ev->ip, other->mac, dev->mac, ev->ts_us, window_us);
    /* Not ev->count == 2 (the inventory's "back to the holder before
     * last"): that has no time limit, so a device returning after a week to
     * find its fixed address taken would be called a spoofer. */

    /* DHCP vouches that the lease was free. If the old holder still uses the
     * address, its next ARP moves the address back and is judged then. */
    if (ev->dhcp_assigned)
        return;
    /* The old holder was silent: address reuse, or the device (or router)
     * was replaced. */
    if (ev->gap_us > window_us)
        return;
    uint64_t last_use = ev->ts_us >= ev->gap_us ? ev->ts_us - ev->gap_us : 0;
    if (det_arp_moved_on(other, &ev->ip, last_use))
        return;

    struct alert a;
    char m1[18], m2[18], ipbuf[48];
    ip_addr_fmt(&ev->ip, ipbuf, sizeof(ipbuf));
    if (ev->is_gateway_ip) {
        /* Who is the impostor? The one that took the address; but when the
         * address comes back to the device that had it before (a flip-flop),
         * or moves to the one forwarding Internet traffic from a plain
         * device, the router is reclaiming it and the claimant is the other.
         * NEEDSWORK: started in the middle of an attack, the first holder we
         * saw may be the impostor; the router flag is the only tie-breaker. */
        const struct device *claimant = dev, *holder = other;
        uint64_t since_dev = det_arp_ip_since(dev, &ev->ip);
        uint64_t since_other = det_arp_ip_since(other, &ev->ip);
        if ((dev->is_router && !other->is_router) ||
            (dev->is_router == other->is_router && since_dev < since_other)) {
            claimant = other;
            holder = dev;
        }
        alert_init(&a, "device.arp_spoof", SEV_HIGH, ev->ts_us);
        alert_fact_str(&a, "variant", "gateway");
        det_arp_fill_pair(s, &a, ev, claimant, holder);
        alert_fact_str(&a, "vendor", claimant->vendor);
        mac_fmt(claimant->mac, m1);
        alert_set_key(&a, "device.arp_spoof|gw|%s|%s", ipbuf, m1);
    } else {
        /* The pair sorted, so A->B and B->A aggregate into one alert. */
        const uint8_t *lo = dev->mac, *hi = other->mac;
        if (memcmp(lo, hi, 6) > 0) {
            lo = other->mac;
            hi = dev->mac;
        }
        mac_fmt(lo, m1);
        mac_fmt(hi, m2);
        /* Two devices with the same fixed address flip-flop too: one
         * conflict per pair however often it flips (the count says how
         * often), not a second, scarier alert for the same cause. */
        (void)flip;
        alert_init(&a, "device.ip_conflict", SEV_MEDIUM, ev->ts_us);
        alert_set_key(&a, "device.ip_conflict|%s|%s|%s", ipbuf, m1, m2);
        det_arp_fill_pair(s, &a, ev, dev, other);
    }
    detect_raise(s->d, &a);
    alert_release(&a);
}

static void det_arp_gratuitous(struct det_arp *s, const struct inv_event *ev)
{
    const struct device *dev = ev->dev;
    uint32_t thr = detect_cfg(s->d)->gratuitous_arp_per_min;
    if (!dev || thr == 0 || ev->count < thr)
        return;
    /* One raise per device and minute: the alert's count is then the number
     * of storm minutes in the day, not the number of ARPs. */
    uint64_t minute = ev->ts_us / 60000000u;
    struct arp_storm *slot = NULL, *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < ARP_STORMS_MAX; i++) {
        struct arp_storm *e = &s->storms[i];
        if (!e->used) {
            if (!free_slot)
                free_slot = e;
            continue;
        }
        if (memcmp(e->mac, dev->mac, 6) == 0) {
            slot = e;
            break;
        }
        if (!oldest || e->minute < oldest->minute)
            oldest = e;
    }
    if (slot && slot->minute == minute)
        return;
    if (!slot)
        slot = free_slot ? free_slot : oldest;
    slot->used = true;
    memcpy(slot->mac, dev->mac, 6);
    slot->minute = minute;

    struct alert a;
    char mac[18], date[16], ipbuf[48];
    alert_init(&a, "device.arp_spoof", SEV_MEDIUM, ev->ts_us);
    alert_fact_str(&a, "variant", "storm");
    detect_alert_device(s->d, &a, dev);
    if (!ip_addr_is_unspecified(&ev->ip)) {
        a.src = ev->ip;
        a.has_src = true;
    } else {
        a.has_src = device_current_ip(dev, &a.src);
    }
    if (a.has_src) {
        ip_addr_fmt(&a.src, ipbuf, sizeof(ipbuf));
        alert_fact_str(&a, "ip", ipbuf);
    }
    alert_fact_int(&a, "per_min", ev->count);
    alert_add_flow(&a, ev->flow_id);
    mac_fmt(dev->mac, mac);
    alert_date(ev->ts_us, date);
    alert_set_key(&a, "device.arp_spoof|storm|%s|%s", mac, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

static void det_arp_inv_event(void *st, const struct inv_event *ev)
{
    struct det_arp *s = st;
    if (ev->kind == INV_IP_MOVED)
        det_arp_ip_moved(s, ev);
    else if (ev->kind == INV_ARP_GRATUITOUS)
        det_arp_gratuitous(s, ev);
}

const struct detector_ops det_device_arp = {
    .name = "device.arp",
    .create = det_arp_create,
    .destroy = det_arp_destroy,
    .inv_event = det_arp_inv_event,
};
