/* timeline.h - `mamori timeline DEVICE`: everything one device did, in time
 * order.
 *
 * The device is a MAC, an IP address or a name (device_names, devices.hostname).
 * Its addresses over time come from device_ips; each address is searched
 * only in the time it belonged to the device, so an address handed to
 * another device later does not mix the two. From each (address, time range):
 *   - its flows both ways, through flows_src_ip_ts / flows_dst_ip_ts,
 *     bounded by time;
 *   - the application events of those flows (DNS, TLS, QUIC, HTTP, SMB,
 *     SSH, RDP, FTP, SMTP, POP3, IMAP, Telnet), one indexed lookup per flow
 *     on (flow_id, run_id) in the one table its app_proto names;
 *   - DHCP messages by client MAC (dhcp_client_mac), alerts about the
 *     device or its addresses, the device's address and name changes.
 * Everything is merged and sorted in memory. The compact view groups
 * repeated flows to one destination within a minute into one entry and
 * folds DNS answers, TLS/QUIC/HTTP names and SMB session setups into the
 * lines people read; the full view (all) keeps every row.
 *
 * The model (timeline_run) is separate from the output so the unit tests
 * check it directly.
 */
#ifndef MAMORI_TIMELINE_H
#define MAMORI_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

struct tl_query {
    const char *device;          /* MAC, IP or name as the user typed it */
    uint64_t since_us, until_us; /* 0: open */
    bool all;                    /* every row, no grouping */
};

/* One address of the device and when it had it. */
struct tl_span {
    char ip[48];
    uint64_t first_ts, last_ts;
};

/* A device that matched a name or an address (for "which one did you mean"). */
struct tl_candidate {
    char mac[18];
    char name[128];
    char ip[48];
    uint64_t first_ts, last_ts;
};

enum tl_kind {
    TL_IP = 0,   /* the device started / stopped using an address */
    TL_NAME,     /* a name first seen for the device */
    TL_ALERT,
    TL_DHCP,
    TL_FLOW,     /* one flow (full view) or a group of flows (compact view) */
    TL_DNS,
    TL_TLS,
    TL_QUIC,
    TL_HTTP,
    TL_SMB,
    TL_SSH,
    TL_RDP,
    TL_FTP,
    TL_SMTP,
    TL_POP3,
    TL_IMAP,
    TL_TELNET,
    TL_KIND_MAX
};

/* Stable name of a kind for JSON ("flow", "dns", ...). */
const char *tl_kind_name(enum tl_kind k);

#define TL_NF 8

/* One line of the timeline. Strings point into the result's arena (never
 * NULL: "" when absent). The meaning of f[] depends on the kind:
 *   TL_IP      f0 ip, f1 "start" or "end"
 *   TL_NAME    f0 name, f1 source (dhcp, mdns, ...)
 *   TL_ALERT   f0 category, f1 title (current language), f2 severity name,
 *              f3 dest ip, f4 src ip; n: count
 *   TL_DHCP    f0 dhcp_type, f1 assigned ip, f2 requested ip, f3 hostname,
 *              f4 vendor class
 *   TL_FLOW    peer/port/proto/app, name (SNI, HTTP host or the name the
 *              device resolved the peer from), n flows, bytes, f0 conn_state
 *   TL_DNS     f0 rrname, f1 rrtype, f2 rcode, f3 answers (query and answer
 *              folded into one entry in the compact view; f4 "query"/"answer"
 *              in the full view)
 *   TL_TLS     f0 sni, f1 version, f2 ja3, f3 ja4
 *   TL_QUIC    f0 sni, f1 version
 *   TL_HTTP    f0 method, f1 host, f2 url, f3 status, f4 user agent
 *   TL_SMB     f0 command, f1 share, f2 filename, f3 user, f4 domain, f5 status
 *   TL_SSH     f0 client software, f1 server software
 *   TL_RDP     f0 event type, f1 cookie, f2 client name
 *   TL_FTP     f0 command, f1 argument, f2 user, f3 login outcome (1/0/"")
 *   TL_SMTP    f0 mail from, f1 rcpt count, f2 user, f3 login outcome, f4 subject
 *   TL_POP3, TL_IMAP, TL_TELNET  f2 user, f3 login outcome, f5 clear-text password (1/0/"")
 */
struct tl_entry {
    uint64_t ts, last_ts;
    enum tl_kind kind;
    bool inbound;       /* the other side started it (flows and their events) */
    int severity;       /* alerts */
    const char *peer;   /* the other side's address */
    const char *name;   /* the other side's name, "" if unknown */
    const char *app;    /* app_proto of the flow */
    uint16_t port;      /* server port */
    uint8_t proto;
    uint32_t n;         /* flows in a group, alert count; 1 otherwise */
    uint64_t bytes_out, bytes_in;
    int64_t run_id, flow_id, alert_id;
    const char *f[TL_NF];
};

struct tl_result {
    char mac[18];          /* "" for an address no device is known for */
    char name[128];        /* the device's best name */
    char vendor[128], type[64], os[128];
    struct tl_span *spans; /* its addresses, oldest first */
    size_t nspans;
    struct tl_candidate *cand; /* TL_ERR_AMBIGUOUS: the devices that matched */
    size_t ncand;
    struct tl_entry *v;    /* the timeline, in time order */
    size_t n, cap;
    uint64_t since_us, until_us;
    size_t flows_read;     /* flow rows read (before grouping) */
    uint64_t elapsed_ms;
    struct tl_arena *arena;
};

enum tl_err {
    TL_OK = 0,
    TL_ERR_DB,        /* the store could not be read (message printed) */
    TL_ERR_EMPTY,     /* the store has no flows and no devices */
    TL_ERR_NOT_FOUND, /* no device by that MAC/name, no flow from that address */
    TL_ERR_AMBIGUOUS, /* several devices: r->cand lists them */
    TL_ERR_BAD,       /* the device argument is empty or too long */
};

/* Builds the timeline of q->device into r (r is overwritten; free it with
 * timeline_result_free whatever the result). */
enum tl_err timeline_run(sqlite3 *db, const struct tl_query *q, struct tl_result *r);
void timeline_result_free(struct tl_result *r);

/* Terminal text in the current language (color: highlight alerts with ANSI
 * escapes), or one JSON object per line. */
void timeline_print_text(FILE *f, const struct tl_result *r, bool color);
void timeline_print_json(FILE *f, const struct tl_result *r);

#endif
