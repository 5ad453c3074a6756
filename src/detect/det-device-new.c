/* det-device-new.c - device.new: a device that is not on the known-device
 * list joined the LAN (the "employee's infected private PC" story).
 *
 * The inventory gives INV_DEVICE_NEW once per device, after it has been seen
 * for a while, so vendor, hostname and OS guess are as good as they get.
 * Routers are reported like anything else: a new router on the LAN matters.
 *
 * Facts: vendor, hostname, os, ip (texts); type (device type guess) and
 * router (1) as evidence; variant "randomized" for a private MAC.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "util/netaddr.h"
#include "util/util.h"

struct det_new {
    struct detect *d;
};

static void *det_new_create(struct detect *d)
{
    struct det_new *s = xcalloc(1, sizeof(*s));
    s->d = d;
    return s;
}

static void det_new_destroy(void *st)
{
    free(st);
}

static void det_new_inv_event(void *st, const struct inv_event *ev)
{
    struct det_new *s = st;
    if (ev->kind != INV_DEVICE_NEW || !ev->dev)
        return;
    const struct device *dev = ev->dev;
    const struct known_list *kl = detect_known(s->d);
    if (detect_device_known(s->d, dev))
        return;

    /* Someone curates a list: a device missing from it is notable. Without a
     * list every device is "new" once, which is an inventory, not a warning. */
    enum alert_severity sev = kl && kl->n > 0 ? SEV_MEDIUM : SEV_LOW;
    struct alert a;
    alert_init(&a, "device.new", sev, ev->ts_us);
    detect_alert_device(s->d, &a, dev);
    char mac[18], ipbuf[48];
    mac_fmt(dev->mac, mac);
    alert_set_key(&a, "device.new|%s", mac);
    if (device_current_ip(dev, &a.src)) {
        a.has_src = true;
        ip_addr_fmt(&a.src, ipbuf, sizeof(ipbuf));
        alert_fact_str(&a, "ip", ipbuf);
    }
    alert_add_flow(&a, ev->flow_id);
    if (dev->randomized)
        alert_fact_str(&a, "variant", "randomized");
    alert_fact_str(&a, "vendor", dev->vendor);
    alert_fact_str(&a, "hostname", dev->hostname);
    alert_fact_str(&a, "os", dev->os.os);
    if (dev->os.type[0])
        alert_fact_str(&a, "type", dev->os.type);
    if (dev->is_router)
        alert_fact_int(&a, "router", 1);
    detect_raise(s->d, &a);
    alert_release(&a);
}

const struct detector_ops det_device_new = {
    .name = "device.new",
    .create = det_new_create,
    .destroy = det_new_destroy,
    .inv_event = det_new_inv_event,
};
