/* inventory.h - every device on the LAN, learnt passively (arpwatch + p0f in
 * one place).
 *
 * A device is one Ethernet station: its MAC, or for phones and laptops with
 * randomised ("private", locally administered) MACs, several MACs grouped by
 * DHCP client id, hostname and fingerprint. The inventory watches:
 *   - every frame's source MAC with a local source address (net.home, or
 *     0.0.0.0 / :: before DHCP): the device exists, is active, uses that IP;
 *   - ARP senders (never ARP targets: a sweep adds no phantom devices);
 *   - a MAC that forwards frames from outside addresses is a router;
 *   - TTL and SYN options of what a device sends, DHCP, mDNS/NBNS/LLMNR names,
 *     NTLM host names and OS version, SMB dialect, SSH banners, HTTP user
 *     agents, TLS versions: names and OS evidence;
 *   - ended flows: bytes, services it answers on, outside services it uses.
 * What it notices goes to the device detectors as inventory events
 * (src/detect/det-device-*.c), which decide what is worth an alert.
 *
 * Devices persist in the SQLite store (devices and device_* tables,
 * docs/schema.md): the sensor loads them at start, so "new" means new to the
 * database, not to this run, and writes what changed at each commit.
 */
#ifndef MAMORI_INVENTORY_H
#define MAMORI_INVENTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "inventory/osguess.h"
#include "util/netaddr.h"

/* Per-device caps: the oldest entry (least recently seen) is replaced. */
#define INV_MAX_MACS 16
#define INV_MAX_IPS 32
#define INV_MAX_NAMES 16
#define INV_MAX_SERVICES 64
#define INV_MAX_EVIDENCE 48
#define INV_MAX_PEERS 32

#define INV_NAME_LEN 64
#define INV_EVIDENCE_LEN 160

enum inv_name_source {
    INS_DHCP = 0,   /* DHCP option 12 */
    INS_DHCP_FQDN,  /* DHCP option 81 / DHCPv6 client FQDN */
    INS_MDNS,       /* A/AAAA/SRV target it announced in .local */
    INS_NBNS,       /* NetBIOS name registration/answer (<00>/<20> names) */
    INS_LLMNR,      /* LLMNR answer about itself */
    INS_NTLM,       /* NTLMSSP workstation name (client) or computer name (server) */
    INS_MAX
};

struct inv_mac {
    uint8_t mac[6];
    uint64_t first_us, last_us;
    bool dirty;
};

struct inv_ip {
    struct ip_addr ip;
    uint64_t first_us, last_us;
    bool dirty;
};

struct inv_name {
    char name[INV_NAME_LEN];
    uint8_t source;          /* enum inv_name_source */
    uint64_t first_us, last_us;
    bool dirty;
};

struct inv_service {
    uint8_t proto;           /* 6 TCP, 17 UDP */
    uint16_t port;
    char app_proto[24];      /* what answered, if known */
    uint64_t first_us, last_us;
    uint64_t flows;
    bool dirty;
};

struct inv_evidence {
    uint8_t kind;            /* enum os_ev_kind */
    char value[INV_EVIDENCE_LEN];
    uint64_t first_us, last_us;
    struct os_hint hint;     /* what osguess_hint() said about it */
    bool dirty;
};

/* An outside service the device uses: (address, port, protocol), with the
 * name it was reached by (TLS SNI, HTTP host) when seen. Kept as a
 * space-saving top list by bytes. */
struct inv_peer {
    struct ip_addr ip;
    uint16_t port;
    uint8_t proto;
    char name[INV_NAME_LEN];
    uint64_t bytes, flows;
    uint64_t last_us;
    bool dirty;
};

struct device {
    uint8_t mac[6];                 /* primary MAC: the first one seen; the device's id */
    bool randomized;                /* primary MAC is locally administered */
    char vendor[64];                /* from the OUI registry, "" if unknown */
    uint64_t first_us, last_us;     /* packet time */
    uint64_t pkts_out, bytes_out, pkts_in, bytes_in; /* totals, all runs */
    bool is_router;                 /* forwards frames from outside addresses */
    bool in_store;                  /* known to the database before this run */
    bool announced;                 /* the "new device" event was given (or not needed) */
    char client_id[64];             /* DHCP option 61 as hex, "" if none */
    char dhcp_fp[128];              /* latest DHCP option 55 list */
    char dhcp_vendor[64];           /* latest option 60 */
    char hostname[INV_NAME_LEN];    /* best name: DHCP > NTLM > NBNS > mDNS > LLMNR > FQDN */
    struct os_guess os;             /* from the evidence below */

    unsigned nmacs, nips, nnames, nservices, nevidence, npeers;
    struct inv_mac macs[INV_MAX_MACS];      /* macs[0] is the primary */
    struct inv_ip *ips;                     /* up to INV_MAX_IPS; lists grow as needed */
    struct inv_name *names;                 /* up to INV_MAX_NAMES */
    struct inv_service *services;           /* up to INV_MAX_SERVICES */
    struct inv_evidence *evidence;          /* up to INV_MAX_EVIDENCE */
    struct inv_peer *peers;                 /* up to INV_MAX_PEERS */

    bool dirty;                     /* the device row changed since the last save */
    /* private to inventory.c */
    struct device *hnext;
    uint64_t ip_refresh_us;           /* when last_ip was last refreshed in the map */
    struct ip_addr last_ip;
    uint16_t gratuitous_window;     /* gratuitous ARPs in the current minute */
    uint64_t gratuitous_min;
    uint32_t outside_srcs;          /* frames it sent from outside addresses */
};

enum inv_event_kind {
    INV_DEVICE_NEW,      /* a device the store did not know has been seen for
                          * inventory.new_device_delay seconds (or the capture ended), so its
                          * names and OS guess are as good as they get */
    INV_DEVICE_RETURNED, /* seen again after at least inventory.returned_days of silence;
                          * gap_us says how long */
    INV_IP_MOVED,        /* an IPv4 address seen from `dev` (ARP sender, or DHCP-assigned) was
                          * last used by `other`; gap_us = since other last used it;
                          * from_arp/gratuitous/dhcp_assigned say how it was claimed */
    INV_ARP_GRATUITOUS,  /* dev sent a gratuitous ARP; count = how many in this minute */
    INV_EVIDENCE,        /* dev gained a new evidence item (ev, its hint) */
    INV_SERVICE_NEW,     /* dev answered on a (proto, port) for the first time */
};

struct inv_event {
    enum inv_event_kind kind;
    uint64_t ts_us;
    struct device *dev;
    const struct device *other;       /* INV_IP_MOVED: the previous holder */
    struct ip_addr ip;                /* INV_IP_MOVED */
    uint64_t gap_us;
    bool from_arp, gratuitous, dhcp_assigned, is_gateway_ip;
    uint32_t count;                   /* INV_ARP_GRATUITOUS: this minute's count;
                                       * INV_IP_MOVED: 2 when the address went back to the
                                       * holder before last (whenever that was), else 1 */
    const struct inv_evidence *ev;    /* INV_EVIDENCE */
    const struct inv_service *svc;    /* INV_SERVICE_NEW */
    uint64_t flow_id;                 /* the flow behind the event, 0 if none */
};

typedef void (*inv_event_fn)(void *arg, const struct inv_event *ev);

struct inventory_config {
    struct netset home;               /* net.home */
    uint32_t new_device_delay_s;      /* inventory.new_device_delay (default 60) */
    uint32_t returned_days;           /* inventory.returned_days (default 30) */
    uint32_t max_devices;             /* inventory.max_devices (default 10000) */
    bool enabled;                     /* inventory.enabled */
};

void inventory_config_defaults(struct inventory_config *cfg);

struct inventory;
struct oui_db;

/* SIGHUP: net.home and the inventory numbers take the new values; devices
 * and their histories stay (`enabled` keeps its value until a restart). */
void inventory_reconfigure(struct inventory *inv, const struct inventory_config *cfg);
/* oui may be NULL (no vendors). cb receives inventory events. */
struct inventory *inventory_new(const struct inventory_config *cfg, const struct oui_db *oui,
                                inv_event_fn cb, void *arg);
void inventory_free(struct inventory *inv);

/* Restores a device from the store (before any packet). The device is
 * copied; its entries are not dirty. Returns the inventory's copy, or NULL
 * when the inventory is full. */
struct device *inventory_restore(struct inventory *inv, const struct device *d);
/* Registers an extra MAC of a restored device (device_macs rows). */
void inventory_restore_mac(struct inventory *inv, struct device *d, const uint8_t mac[6],
                           uint64_t first_us, uint64_t last_us);

/* One decoded packet (called for every packet, after decode). */
void inventory_packet(struct inventory *inv, const struct packet *pkt);
/* One application event (DHCP, names, evidence, peer names). */
void inventory_app_event(struct inventory *inv, const struct app_event *ev);
/* One ended flow (bytes, services, peers). */
void inventory_flow(struct inventory *inv, const struct flow *f);
/* Packet time moved on (matures new devices). */
void inventory_tick(struct inventory *inv, uint64_t now_us);
/* End of capture: every pending new device is announced. */
void inventory_finish(struct inventory *inv);

/* Calls fn for every device with dirty set (device row or any entry), then
 * clears the dirty flags. fn returns 0, or -1 to stop (flags of the failing
 * device stay set). Returns 0 or -1. */
int inventory_save(struct inventory *inv, int (*fn)(void *arg, const struct device *d),
                   void *arg);

/* The device a MAC belongs to (primary or grouped), NULL if unknown. */
struct device *inventory_find(const struct inventory *inv, const uint8_t mac[6]);
/* The device that last used a local IPv4/IPv6 address, NULL if none. */
struct device *inventory_find_ip(const struct inventory *inv, const struct ip_addr *ip);
/* Number of devices. */
unsigned inventory_count(const struct inventory *inv);
/* Whether an address is in the home networks. */
bool inventory_is_local(const struct inventory *inv, const struct ip_addr *ip);
/* The device's current address: the most recent IPv4 (what an owner can find
 * in the router), else the most recent IPv6. False when it has none. */
bool device_current_ip(const struct device *d, struct ip_addr *out);
/* The device's display name: its hostname, else "" (callers add the MAC). */
const char *device_display_name(const struct device *d);

const char *inv_name_source_name(enum inv_name_source s); /* "dhcp", "dhcp_fqdn", "mdns", ... */
int inv_name_source_parse(const char *s);

#endif
