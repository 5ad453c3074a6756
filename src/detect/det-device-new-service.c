/* det-device-new-service.c - device.new_service: a device starts offering a
 * service it did not offer before, e.g. a PC that suddenly accepts Remote
 * Desktop or shares a folder.
 *
 * Two filters keep this quiet:
 *  - learning: for its first inventory.service_learning seconds a device's
 *    services are its baseline (a new printer answering on 80 and 631 is not
 *    news, it is what the printer is);
 *  - ports that matter: remote control, file sharing, databases, web and mail
 *    servers, Windows management, and any TCP port below 1024 (services, not
 *    the random high ports of peer-to-peer and media apps, which would make
 *    this fire daily). On UDP only TFTP (69: unauthenticated file transfer,
 *    used to pull configs and push firmware), SNMP (161: often readable with
 *    the default "public" password) and NFS (2049). SSDP (1900), NetBIOS
 *    (137/138) and mDNS (5353) answer on every PC, TV and printer: left out.
 *
 * Variants and severity: "remote" (SSH, Telnet, RDP, VNC, WinRM) medium:
 * remote control is how intruders move from PC to PC. Telnet is medium too:
 * what is news here is the new way in; the cleartext password is a separate
 * matter. "share" (NetBIOS/SMB, NFS, AFP) and everything else low.
 *
 * Facts: service, port, proto ("TCP"/"UDP"), app_proto (what answered, when
 * known), ip, vendor, hostname, os.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "util/netaddr.h"
#include "util/util.h"

enum svc_class { SVC_OTHER, SVC_REMOTE, SVC_SHARE };

struct svc_port {
    uint8_t proto;
    uint16_t lo, hi;
    const char *name;
    enum svc_class cls;
};

/* Ports that matter (see the top comment). Names are protocol names, the
 * same in both languages; the texts explain them. */
static const struct svc_port svc_ports[] = {
    {6, 21, 21, "FTP", SVC_OTHER},
    {6, 22, 22, "SSH", SVC_REMOTE},
    {6, 23, 23, "Telnet", SVC_REMOTE},
    {6, 25, 25, "SMTP", SVC_OTHER},
    {6, 80, 80, "HTTP", SVC_OTHER},
    {6, 135, 135, "MS-RPC", SVC_OTHER},
    {6, 139, 139, "NetBIOS/SMB", SVC_SHARE},
    {6, 443, 443, "HTTPS", SVC_OTHER},
    {6, 445, 445, "SMB", SVC_SHARE},
    {6, 548, 548, "AFP", SVC_SHARE},
    {6, 1433, 1433, "SQL Server", SVC_OTHER},
    {6, 2049, 2049, "NFS", SVC_SHARE},
    {6, 3306, 3306, "MySQL", SVC_OTHER},
    {6, 3389, 3389, "RDP", SVC_REMOTE},
    {6, 5432, 5432, "PostgreSQL", SVC_OTHER},
    {6, 5900, 5903, "VNC", SVC_REMOTE},
    {6, 5985, 5986, "WinRM", SVC_REMOTE},
    {6, 8080, 8080, "HTTP", SVC_OTHER},
    {6, 8443, 8443, "HTTPS", SVC_OTHER},
    {17, 69, 69, "TFTP", SVC_OTHER},
    {17, 161, 161, "SNMP", SVC_OTHER},
    {17, 2049, 2049, "NFS", SVC_SHARE},
};

struct det_service {
    struct detect *d;
};

static void *det_service_create(struct detect *d)
{
    struct det_service *s = xcalloc(1, sizeof(*s));
    s->d = d;
    return s;
}

static void det_service_destroy(void *st)
{
    free(st);
}

/* The table entry for (proto, port); a TCP port below 1024 not in the table
 * matters with no name; NULL with *matters false otherwise. */
static const struct svc_port *det_service_lookup(uint8_t proto, uint16_t port, bool *matters)
{
    for (size_t i = 0; i < ARRAY_SIZE(svc_ports); i++) {
        if (svc_ports[i].proto == proto && port >= svc_ports[i].lo && port <= svc_ports[i].hi) {
            *matters = true;
            return &svc_ports[i];
        }
    }
    *matters = proto == 6 && port > 0 && port < 1024;
    return NULL;
}

static void det_service_inv_event(void *st, const struct inv_event *ev)
{
    struct det_service *s = st;
    if (ev->kind != INV_SERVICE_NEW || !ev->dev || !ev->svc)
        return;
    const struct device *dev = ev->dev;
    const struct inv_service *svc = ev->svc;
    uint64_t learning_us = (uint64_t)detect_cfg(s->d)->service_learning_s * 1000000u;
    /* A device first seen after this event (clock skew between runs) is
     * treated as still learning. */
    if (ev->ts_us < dev->first_us || ev->ts_us - dev->first_us < learning_us)
        return;
    if (svc->proto != 6 && svc->proto != 17)
        return;
    bool matters;
    const struct svc_port *sp = det_service_lookup(svc->proto, svc->port, &matters);
    if (!matters)
        return;

    const char *proto = svc->proto == 6 ? "TCP" : "UDP";
    char app[sizeof(svc->app_proto)];
    snprintf(app, sizeof(app), "%.*s", (int)strnlen(svc->app_proto, sizeof(svc->app_proto)),
             svc->app_proto);
    char name[48];
    if (sp)
        snprintf(name, sizeof(name), "%s", sp->name);
    else if (app[0])
        snprintf(name, sizeof(name), "%s", app);
    else
        snprintf(name, sizeof(name), "%s/%u", proto, svc->port);

    enum svc_class cls = sp ? sp->cls : SVC_OTHER;
    struct alert a;
    char mac[18], ipbuf[48];
    alert_init(&a, "device.new_service", cls == SVC_REMOTE ? SEV_MEDIUM : SEV_LOW, ev->ts_us);
    if (cls == SVC_REMOTE)
        alert_fact_str(&a, "variant", "remote");
    else if (cls == SVC_SHARE)
        alert_fact_str(&a, "variant", "share");
    detect_alert_device(s->d, &a, dev);
    if (device_current_ip(dev, &a.src)) {
        a.has_src = true;
        ip_addr_fmt(&a.src, ipbuf, sizeof(ipbuf));
        alert_fact_str(&a, "ip", ipbuf);
    }
    alert_add_flow(&a, ev->flow_id);
    alert_fact_str(&a, "service", name);
    alert_fact_int(&a, "port", svc->port);
    alert_fact_str(&a, "proto", proto);
    alert_fact_str(&a, "app_proto", app);
    alert_fact_str(&a, "vendor", dev->vendor);
    alert_fact_str(&a, "hostname", dev->hostname);
    alert_fact_str(&a, "os", dev->os.os);
    mac_fmt(dev->mac, mac);
    alert_set_key(&a, "device.new_service|%s|%s/%u", mac, svc->proto == 6 ? "tcp" : "udp",
                  svc->port);
    detect_raise(s->d, &a);
    alert_release(&a);
}

const struct detector_ops det_device_new_service = {
    .name = "device.new_service",
    .create = det_service_create,
    .destroy = det_service_destroy,
    .inv_event = det_service_inv_event,
};
