/* scope.h - `mamori scope IOC`: how far did it spread?
 *
 * From one indicator (an outside address or network, a domain, a URL, a TLS
 * client fingerprint, a device, or an alert) the store is asked:
 *   - exposure: which inside devices resolved, reached or were reached by it,
 *     when first and last, how much each way (patient zero: the earliest);
 *   - spread: the inside connections of the kinds worms and operators use to
 *     move (SMB, RPC, RDP, WinRM, SSH, WMI), made by those devices after
 *     their exposure, hop by hop, each marked as a new path or a known one;
 *   - outside: outside addresses those devices reached that nobody in the
 *     store had reached before their exposure (second-stage C2, exfiltration);
 *   - a verdict per device: isolate, examine, or likely clean.
 * Only indexed lookups are used per address and per name (docs/scope.md
 * explains the query plan); the analysis is separate from the output so the
 * unit tests can check the model directly.
 */
#ifndef MAMORI_SCOPE_H
#define MAMORI_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <sqlite3.h>

#include "util/netaddr.h"

enum scope_ioc_kind {
    SCOPE_IOC_IP = 0,
    SCOPE_IOC_CIDR,
    SCOPE_IOC_DOMAIN,
    SCOPE_IOC_URL,
    SCOPE_IOC_JA3,
    SCOPE_IOC_JA4,
    SCOPE_IOC_DEVICE, /* MAC or device name */
    SCOPE_IOC_ALERT,
};

struct scope_ioc {
    enum scope_ioc_kind kind;
    char text[600];        /* normalised form, as reports show it */
    struct netset net;     /* IP or CIDR: one network (a single address is /32, /128) */
    bool v4;
    unsigned prefix;       /* CIDR prefix as written (IPv4 0-32, IPv6 0-128) */
    char host[256];        /* domain (lower case, no trailing dot), URL host */
    char path[300];        /* URL path and query ("" for the whole host) */
    bool https;            /* URL scheme https: TLS SNI counts, the path is not visible */
    char fp[128];          /* JA3 (lower-case hex) or JA4 */
    uint8_t mac[6];
    bool has_mac;
    char devname[128];     /* device name when no MAC */
    int64_t alert_id;
};

/* Parses an indicator. Forms: 203.0.113.5, 2001:db8::1, 203.0.113.0/24,
 * evil.example (and its subdomains), http(s)://host/path, a 32-hex JA3,
 * a JA4 (t13d1516h2_8daaf6152771_e5627efa2ab1), a MAC, a device name (one
 * label, or device:NAME), alert:123 or #123. Prefixes ip:, domain:, url:,
 * ja3:, ja4:, device: and alert: force a kind. Returns 0, or -1 with a
 * one-line reason (in the current language) in err. */
int scope_ioc_parse(const char *s, struct scope_ioc *out, char *err, size_t errlen);
/* Stable name of a kind for JSON: "ip", "cidr", "domain", ... */
const char *scope_ioc_kind_name(enum scope_ioc_kind k);

/* A small set of strings in insertion order. */
struct scope_strs {
    char **v;
    size_t n, cap;
};
void scope_strs_add(struct scope_strs *s, const char *str);
bool scope_strs_has(const struct scope_strs *s, const char *str);
void scope_strs_free(struct scope_strs *s);

/* Verdicts, from most to least urgent. */
enum scope_verdict {
    SCOPE_ISOLATE = 0, /* talked to the indicator, or was reached over a new/admin path */
    SCOPE_EXAMINE,     /* only resolved the name, or reached over a known path */
    SCOPE_CLEAN,       /* never in the exposure or the spread */
};

/* Why a device got its verdict (the output layer words it). */
enum scope_why {
    SCOPE_WHY_CONTACT = 0,  /* connected to or was contacted by the indicator */
    SCOPE_WHY_START,        /* the device (or alert) the search started from */
    SCOPE_WHY_RESOLVED,     /* only looked the name up */
    SCOPE_WHY_SPREAD,       /* reached over a new path, an admin share or remote execution */
    SCOPE_WHY_KNOWN_PATH,   /* reached only over paths it already had */
    SCOPE_WHY_UNTOUCHED,    /* not involved */
};

/* An inside device (keyed by its address). */
struct scope_node {
    char ip[48];
    char mac[18];   /* "" if unknown */
    char name[128]; /* best name, "" if unknown */
    int hop;        /* 0 exposed, n reached by hop n; -1 not involved */
    bool exposed;   /* in the exposure list */
    bool connected; /* exchanged packets with the indicator (not only DNS) */
    bool resolver;  /* answered DNS for the name to other devices: a DNS server */
    uint64_t first_ts, last_ts; /* exposure: first and last contact */
    uint64_t start_ts;          /* from when its own connections count (exposure or reach) */
    uint64_t bytes_out, bytes_in;
    uint64_t flows;
    struct scope_strs protos; /* dns, tls, http, quic, tcp/8080, ... */
    struct scope_strs names;  /* DNS names and SNIs involved */
    enum scope_verdict verdict;
    enum scope_why why;
    bool scanned; /* its own flows were read */
};

/* A spread edge: src made connections of one kind to dst. */
struct scope_edge {
    size_t src, dst;   /* node indexes */
    uint64_t first_ts, last_ts;
    const char *proto; /* smb, rpc, wmi, rdp, winrm, ssh (static) */
    uint16_t port;
    int hop;
    bool new_path;     /* no flow between the pair before src's start */
    bool admin;        /* admin share (C$, ADMIN$...) or remote execution RPC */
    bool followed;     /* new or admin: its target was counted as reached */
    uint64_t flows, bytes_out, bytes_in;
    struct scope_strs shares, files, rpc; /* SMB shares and files, RPC interfaces */
    int64_t *ev_run, *ev_flow; /* its flows, to read their SMB and RPC events */
    size_t nev, ev_cap;
};

/* An outside address a device reached first after its exposure. */
struct scope_out {
    size_t node;
    char ip[48];
    uint64_t first_ts, last_ts;
    uint64_t bytes_out, bytes_in, flows;
    uint16_t port; /* of the first flow */
    struct scope_strs names;
    int64_t run_id, flow_id; /* a flow to name it from */
};

struct scope_query {
    struct scope_ioc ioc;
    uint64_t since_us, until_us; /* 0: open */
    int hops;                    /* spread depth, >= 0 */
    struct netset home;          /* inside networks (net.home) */
    size_t max_outside;          /* keep the top N outside addresses (0: 200) */
};

struct scope_result {
    struct scope_ioc ioc;
    uint64_t since_us, until_us;
    int hops;
    struct scope_strs ioc_ips;   /* outside addresses the indicator stands for */
    struct scope_strs ioc_names; /* names matched (domain and its subdomains...) */
    struct scope_node *nodes;
    size_t nnodes, nodes_cap;
    struct scope_edge *edges;
    size_t nedges, edges_cap;
    struct scope_out *outs;
    size_t nouts, outs_cap;
    size_t nouts_total; /* before keeping the top max_outside */
    size_t patient_zero; /* node index, (size_t)-1 if nobody was exposed */
    uint64_t store_first_ts, store_last_ts;
    uint64_t elapsed_ms;
};

/* Why scope_run failed. */
enum scope_err {
    SCOPE_OK = 0,
    SCOPE_ERR_DB = 1,      /* SQLite failed (message printed) */
    SCOPE_ERR_INPUT = 2,   /* the indicator names nothing (unknown device, alert) */
    SCOPE_ERR_EMPTY = 3,   /* the store has no flows */
};

/* Runs the analysis on a read-only store. On failure prints one line. */
enum scope_err scope_run(sqlite3 *db, const struct scope_query *q, struct scope_result *r);
void scope_result_free(struct scope_result *r);

/* The exposed devices' node indexes, earliest contact first, into idx
 * (room for r->nnodes); returns how many. */
size_t scope_exposed_order(const struct scope_result *r, size_t *idx);

/* Index of the node with that address, (size_t)-1 if none. */
size_t scope_node_find(const struct scope_result *r, const char *ip);

/* ---- output (scope-out.c, scope-html.c) ---- */
/* Times are ISO-8601 UTC with milliseconds: 2026-11-02T00:00:00.000Z. */
void scope_fmt_time(char *buf, size_t len, uint64_t ts_us);
/* The --json object. */
json_t *scope_to_json(const struct scope_result *r);
/* Terminal text in the current language. */
void scope_print_text(const struct scope_result *r, FILE *f);
/* The self-contained HTML page. Returns 0, or -1 with errno set. */
int scope_write_html(const struct scope_result *r, const char *path);
/* One sentence (current language) for a node's verdict. */
void scope_why_text(const struct scope_result *r, const struct scope_node *n, char *buf,
                    size_t len);

#endif
