/* det-device-legacy-os.c - device.legacy_os: a device runs an unsupported
 * operating system (the "factory PC on an OS unsupported for years" story).
 * osguess_hint() decides what is legacy; this file decides how loud to be,
 * once per device.
 *
 * Only the OS itself is this detector's: evidence from OS versions (user
 * agent, NTLM, SMB NativeOS, DHCP, ...), variant "os", severity medium. An
 * unsupported OS is what self-spreading malware inside a LAN exploits with
 * no help (EternalBlue/WannaCry, and every unpatched Windows hole after its
 * end of support), so the whole network is at risk.
 *
 * Obsolete protocols (SMBv1, SSH protocol 1 and old SSH servers, SSLv3/TLS
 * 1.0/1.1) are legacy.protocol's (det-legacy-protocol.c), which sees them
 * on the connection with both ends: osguess still marks that evidence as
 * legacy, and this detector ignores it so the owner does not get two alerts
 * for one thing.
 *
 * Facts: what, evidence ("<kind>: <value>"), os (the device's guess), ip,
 * vendor, hostname.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "util/netaddr.h"
#include "util/util.h"

struct det_legacy {
    struct detect *d;
};

static void *det_legacy_create(struct detect *d)
{
    struct det_legacy *s = xcalloc(1, sizeof(*s));
    s->d = d;
    return s;
}

static void det_legacy_destroy(void *st)
{
    free(st);
}

/* Copies at most srclen bytes of src (NUL or not) into dst, cut at a UTF-8
 * character boundary when dst is too small. */
static void det_legacy_copy(char *dst, size_t dstlen, const char *src, size_t srclen)
{
    size_t n = strnlen(src, srclen);
    if (n > dstlen - 1) {
        n = dstlen - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--; /* src[n] would start the cut-off part: keep whole characters */
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The variant for evidence of this kind, or NULL for protocol evidence
 * (legacy.protocol reports it). */
static const char *det_legacy_variant(enum os_ev_kind kind, enum alert_severity *sev)
{
    switch (kind) {
    case OSE_SMB_DIALECT:
    case OSE_SSH_BANNER:
    case OSE_TLS_VERSION:
        return NULL;
    default:
        *sev = SEV_MEDIUM;
        return "os";
    }
}

static void det_legacy_inv_event(void *st, const struct inv_event *ev)
{
    struct det_legacy *s = st;
    if (ev->kind != INV_EVIDENCE || !ev->dev || !ev->ev || !ev->ev->hint.legacy)
        return;
    const struct device *dev = ev->dev;
    const struct inv_evidence *e = ev->ev;

    /* The fields are fixed arrays filled by other code: bound every read. */
    char what[sizeof(e->hint.legacy_what)], value[sizeof(e->value)];
    det_legacy_copy(value, sizeof(value), e->value, sizeof(e->value));
    if (e->hint.legacy_what[0])
        det_legacy_copy(what, sizeof(what), e->hint.legacy_what, sizeof(e->hint.legacy_what));
    else if (e->hint.os[0])
        det_legacy_copy(what, sizeof(what), e->hint.os, sizeof(e->hint.os));
    else
        det_legacy_copy(what, sizeof(what), value, sizeof(value));
    if (!what[0])
        return; /* nothing to name: the key would be meaningless */

    enum alert_severity sev = SEV_MEDIUM;
    const char *variant = det_legacy_variant((enum os_ev_kind)e->kind, &sev);
    if (!variant)
        return;
    /* One piece of evidence can be stale or borrowed (an old library's user
     * agent on a current PC): when everything else says the device runs a
     * supported Windows, an "old OS" hint is not believed. */
    if (strcmp(variant, "os") == 0 && strncmp(dev->os.os, "Windows 1", 9) == 0)
        return;
    struct alert a;
    char mac[18], ipbuf[48], evidence[INV_EVIDENCE_LEN + 32];
    alert_init(&a, "device.legacy_os", sev, ev->ts_us);
    alert_fact_str(&a, "variant", variant);
    detect_alert_device(s->d, &a, dev);
    if (device_current_ip(dev, &a.src)) {
        a.has_src = true;
        ip_addr_fmt(&a.src, ipbuf, sizeof(ipbuf));
        alert_fact_str(&a, "ip", ipbuf);
    }
    alert_add_flow(&a, ev->flow_id);
    alert_fact_str(&a, "what", what);
    const char *kind = e->kind < OSE_MAX ? osguess_kind_name((enum os_ev_kind)e->kind) : "?";
    snprintf(evidence, sizeof(evidence), "%s: %s", kind, value);
    alert_fact_str(&a, "evidence", evidence);
    alert_fact_str(&a, "os", dev->os.os[0] ? dev->os.os : e->hint.os);
    alert_fact_str(&a, "vendor", dev->vendor);
    alert_fact_str(&a, "hostname", dev->hostname);
    mac_fmt(dev->mac, mac);
    /* One alert per device and kind of problem: Windows 7 seen as "Vista/7"
     * in its DHCP and "7" in its logins is one old PC, not two. */
    alert_set_key(&a, "device.legacy_os|%s|%s", mac, variant);
    detect_raise(s->d, &a);
    alert_release(&a);
}

const struct detector_ops det_device_legacy_os = {
    .name = "device.legacy_os",
    .create = det_legacy_create,
    .destroy = det_legacy_destroy,
    .inv_event = det_legacy_inv_event,
};
