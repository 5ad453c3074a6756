/* det-device-returned.c - device.returned: a device silent for at least
 * inventory.returned_days is back (the "200 dormant PCs with stale
 * protection" story: a PC that was off for weeks missed its updates).
 *
 * Known devices are reported too: the dormant PC is usually on the list.
 * Facts: days (whole days of silence), last_seen (YYYY-MM-DD, UTC), vendor,
 * hostname, ip.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "util/netaddr.h"
#include "util/util.h"

#define US_PER_DAY (86400ull * 1000000u)

struct det_returned {
    struct detect *d;
};

static void *det_returned_create(struct detect *d)
{
    struct det_returned *s = xcalloc(1, sizeof(*s));
    s->d = d;
    return s;
}

static void det_returned_destroy(void *st)
{
    free(st);
}

static void det_returned_inv_event(void *st, const struct inv_event *ev)
{
    struct det_returned *s = st;
    if (ev->kind != INV_DEVICE_RETURNED || !ev->dev)
        return;
    const struct device *dev = ev->dev;
    struct alert a;
    char mac[18], date[16], last[16], ipbuf[48];

    alert_init(&a, "device.returned", SEV_MEDIUM, ev->ts_us);
    detect_alert_device(s->d, &a, dev);
    if (device_current_ip(dev, &a.src)) {
        a.has_src = true;
        ip_addr_fmt(&a.src, ipbuf, sizeof(ipbuf));
        alert_fact_str(&a, "ip", ipbuf);
    }
    alert_add_flow(&a, ev->flow_id);
    alert_fact_int(&a, "days", (long long)(ev->gap_us / US_PER_DAY));
    alert_date(ev->ts_us >= ev->gap_us ? ev->ts_us - ev->gap_us : 0, last);
    alert_fact_str(&a, "last_seen", last);
    alert_fact_str(&a, "vendor", dev->vendor);
    alert_fact_str(&a, "hostname", dev->hostname);
    mac_fmt(dev->mac, mac);
    alert_date(ev->ts_us, date);
    /* Per day: a device that comes and goes all day is one alert. */
    alert_set_key(&a, "device.returned|%s|%s", mac, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

const struct detector_ops det_device_returned = {
    .name = "device.returned",
    .create = det_returned_create,
    .destroy = det_returned_destroy,
    .inv_event = det_returned_inv_event,
};
