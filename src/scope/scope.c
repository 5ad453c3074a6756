/* scope.c - `mamori scope`: how far did it spread? The analysis.
 *
 * Query plan (docs/scope.md): every step starts from an indexed column
 *   - an address: flows_src_ip_ts / flows_dst_ip_ts, bounded by time;
 *   - a name: dns_rrname, tls_sni, quic_sni, http_hostname (subdomains by
 *     one pass over the index, which is much smaller than the table);
 *   - a flow's events: <table>_flow_id;
 *   - a device: device_ips_ip, device_names_name, alerts_device.
 * "Who resolved this address" never scans dns.answers: the names come from
 * the flows to the address (TLS/QUIC SNI, HTTP Host), then the answers for
 * those names are read through dns_rrname. Only JA3/JA4 (no index on the
 * tls table) read a whole table.
 *
 * Each device whose connections are followed has its own flows after its
 * start read once (src_ip index, bounded by time): its inside connections.
 * Outside destinations come from the other end: a skip scan of the dst_ip
 * index gives every destination with the first time anyone reached it, and
 * only those first reached after an exposure are read (outside_new()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "scope/scope-int.h"
#include "util/i18n.h"
#include "util/util.h"

#define NONE ((size_t)-1)

/* ------------------------------------------------------------ strings */

void scope_strs_add(struct scope_strs *s, const char *str)
{
    if (!str || !*str || scope_strs_has(s, str) || s->n >= 256)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4;
        s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = xstrdup(str);
}

bool scope_strs_has(const struct scope_strs *s, const char *str)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], str) == 0)
            return true;
    return false;
}

void scope_strs_free(struct scope_strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------ helpers */

bool scope_is_home(const struct scope_cx *cx, const char *ip)
{
    struct ip_addr a;
    return ip && ip_addr_parse(ip, &a) == 0 && netset_contains(&cx->q->home, &a);
}

sqlite3_stmt *scope_prep(struct scope_cx *cx, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cx->db, sql, -1, &st, NULL) != SQLITE_OK) {
        if (!cx->failed)
            error("scope: cannot read the store: %s", sqlite3_errmsg(cx->db));
        cx->failed = true;
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Steps st; SQLITE_ROW, SQLITE_DONE, or an error (reported once). */
int scope_step(struct scope_cx *cx, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        if (!cx->failed)
            error("scope: cannot read the store: %s", sqlite3_errmsg(cx->db));
        cx->failed = true;
    }
    return rc;
}

const char *scope_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

uint64_t scope_col_u64(sqlite3_stmt *st, int i)
{
    sqlite3_int64 v = sqlite3_column_int64(st, i);
    return v > 0 ? (uint64_t)v : 0;
}


size_t scope_exposed_order(const struct scope_result *r, size_t *idx)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nnodes; i++) {
        if (!r->nodes[i].exposed)
            continue;
        size_t k = n++; /* insertion sort: a handful of devices */
        while (k > 0 && r->nodes[idx[k - 1]].first_ts > r->nodes[i].first_ts) {
            idx[k] = idx[k - 1];
            k--;
        }
        idx[k] = i;
    }
    return n;
}

size_t scope_node_find(const struct scope_result *r, const char *ip)
{
    for (size_t i = 0; i < r->nnodes; i++)
        if (strcmp(r->nodes[i].ip, ip) == 0)
            return i;
    return NONE;
}

size_t scope_node_get(struct scope_cx *cx, const char *ip)
{
    struct scope_result *r = cx->r;
    size_t i = scope_node_find(r, ip);
    if (i != NONE)
        return i;
    if (r->nnodes == r->nodes_cap) {
        r->nodes_cap = r->nodes_cap ? 2 * r->nodes_cap : 16;
        r->nodes = xrealloc(r->nodes, r->nodes_cap * sizeof(*r->nodes));
    }
    struct scope_node *n = &r->nodes[r->nnodes];
    memset(n, 0, sizeof(*n));
    snprintf(n->ip, sizeof(n->ip), "%s", ip);
    n->hop = -1;
    n->verdict = SCOPE_CLEAN;
    n->why = SCOPE_WHY_UNTOUCHED;
    return r->nnodes++;
}

/* Who had this address at time ts: device_ips (the holder then, else the
 * nearest in time), the device's best name. */
static void node_identity(struct scope_cx *cx, struct scope_node *n, uint64_t ts)
{
    if (n->mac[0])
        return;
    sqlite3_stmt *st = scope_prep(
        cx, "SELECT i.device, d.hostname FROM device_ips i LEFT JOIN devices d ON d.mac = i.device"
            " WHERE i.ip = ?1 ORDER BY (i.first_ts <= ?2 AND i.last_ts >= ?2) DESC,"
            " abs(i.last_ts - ?2) LIMIT 1");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, n->ip, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)ts);
    if (scope_step(cx, st) == SQLITE_ROW) {
        snprintf(n->mac, sizeof(n->mac), "%s", scope_col(st, 0));
        snprintf(n->name, sizeof(n->name), "%s", scope_col(st, 1));
    }
    sqlite3_finalize(st);
}

/* Records one contact of an inside device with the indicator. */
void scope_contact(struct scope_cx *cx, const char *ip, uint64_t first, uint64_t last,
                   uint64_t out, uint64_t in, const char *proto, const char *name,
                   bool connected)
{
    if (!scope_is_home(cx, ip) || first < cx->t1 || first > cx->t2)
        return;
    size_t i = scope_node_get(cx, ip);
    struct scope_node *n = &cx->r->nodes[i];
    if (!n->exposed || first < n->first_ts)
        n->first_ts = first;
    if (last < first)
        last = first;
    if (last > n->last_ts)
        n->last_ts = last;
    n->exposed = true;
    n->hop = 0;
    n->connected |= connected;
    n->bytes_out += out;
    n->bytes_in += in;
    if (connected)
        n->flows++;
    scope_strs_add(&n->protos, proto);
    scope_strs_add(&n->names, name);
}

/* "tls", "http", ... or "tcp/8080" for a flow no parser named. */
void scope_proto_label(char *buf, size_t len, const char *app, int proto, int port)
{
    if (app && *app)
        snprintf(buf, len, "%s", app);
    else if (proto == 6 || proto == 17)
        snprintf(buf, len, "%s/%d", proto == 6 ? "tcp" : "udp", port);
    else
        snprintf(buf, len, "ip/%d", proto);
}

/* The server name of one flow from its TLS, QUIC or HTTP event. */
void scope_flow_name(struct scope_cx *cx, int64_t run, int64_t flow, struct scope_strs *out)
{
    static const char *const sql[] = {
        "SELECT sni FROM tls WHERE flow_id = ?2 AND run_id = ?1 AND sni IS NOT NULL LIMIT 1",
        "SELECT sni FROM quic WHERE flow_id = ?2 AND run_id = ?1 AND sni IS NOT NULL LIMIT 1",
        "SELECT hostname FROM http WHERE flow_id = ?2 AND run_id = ?1 AND hostname IS NOT NULL"
        " LIMIT 1",
    };
    for (size_t k = 0; k < ARRAY_SIZE(sql); k++) {
        sqlite3_stmt *st = scope_prep(cx, sql[k]);
        if (!st)
            return;
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int64(st, 2, flow);
        if (scope_step(cx, st) == SQLITE_ROW)
            scope_strs_add(out, scope_col(st, 0));
        sqlite3_finalize(st);
    }
}

/* ------------------------------------------------------------ spread */

struct ekey {
    size_t dst;
    const char *proto;
    size_t edge;
};

/* Which kind of lateral connection a flow is, NULL if none. */
static const char *lateral_kind(int proto, int port, const char *app)
{
    if (app && (strcmp(app, "smb") == 0))
        return "smb";
    if (app && (strcmp(app, "dcerpc") == 0 || strcmp(app, "dce_rpc") == 0))
        return "rpc";
    if (app && strcmp(app, "rdp") == 0)
        return "rdp";
    if (proto != 6)
        return NULL;
    switch (port) {
    case 445:
    case 139: return "smb";
    case 135: return "rpc";
    case 3389: return "rdp";
    case 5985:
    case 5986: return "winrm";
    case 22: return "ssh";
    default: return NULL;
    }
}

/* Index entries of one address before ts, or from ts on, up to cap (a
 * covering count, no table reads): how long a scan through that side would
 * be. The cap stops counting a file server's million inbound flows once the
 * other side is known to be shorter. */
static int64_t side_count_dir(struct scope_cx *cx, bool dst, const char *ip, uint64_t ts,
                              bool after, int64_t cap)
{
    char sql[160];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM (SELECT 1 FROM flows WHERE %s = ?1 AND first_ts %s ?2"
             " LIMIT ?3)",
             dst ? "dst_ip" : "src_ip", after ? ">=" : "<");
    sqlite3_stmt *st = scope_prep(cx, sql);
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, ip, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)ts);
    sqlite3_bind_int64(st, 3, cap);
    int64_t n = scope_step(cx, st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return n;
}

int64_t scope_side_count(struct scope_cx *cx, bool dst, const char *ip, uint64_t from)
{
    return side_count_dir(cx, dst, ip, from, true, INT64_MAX);
}

/* Any flow from a to b before ts, read through the shorter side: a PC's
 * own flows rather than everyone's to the file server, a PC's few inbound
 * flows rather than another PC's month of browsing. */
static bool flow_before(struct scope_cx *cx, const char *a, const char *b, uint64_t ts)
{
    int64_t by_a = side_count_dir(cx, false, a, ts, false, INT64_MAX);
    bool by_dst = side_count_dir(cx, true, b, ts, false, by_a) < by_a;
    sqlite3_stmt *st = scope_prep(
        cx, by_dst ? "SELECT 1 FROM flows INDEXED BY flows_dst_ip_ts WHERE dst_ip = ?2"
                     " AND first_ts < ?3 AND src_ip = ?1 LIMIT 1"
                   : "SELECT 1 FROM flows INDEXED BY flows_src_ip_ts WHERE src_ip = ?1"
                     " AND first_ts < ?3 AND dst_ip = ?2 LIMIT 1");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)ts);
    bool known = scope_step(cx, st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return known;
}

/* Any flow between a and b, either way, before ts: the baseline that tells
 * a PC's usual file-server traffic from a path it never used. */
static bool pair_known(struct scope_cx *cx, const char *a, const char *b, uint64_t ts)
{
    return flow_before(cx, a, b, ts) || flow_before(cx, b, a, ts);
}

static bool admin_share(const char *share)
{
    const char *p = strrchr(share, '\\');
    p = p ? p + 1 : share;
    size_t n = strlen(p);
    if (n < 2 || p[n - 1] != '$')
        return false;
    /* IPC$ and PRINT$ are opened by every logon and print job */
    return strcasecmp(p, "IPC$") != 0 && strcasecmp(p, "PRINT$") != 0;
}

static bool exec_rpc(const char *name)
{
    static const char *const ex[] = {"svcctl", "atsvc", "taskscheduler", "sasec", "wmi"};
    for (size_t i = 0; i < ARRAY_SIZE(ex); i++)
        if (strcmp(name, ex[i]) == 0)
            return true;
    return false;
}

/* SMB shares and files, RPC interfaces of an edge's flows. */
static void edge_events(struct scope_cx *cx, struct scope_edge *e)
{
    sqlite3_stmt *st = NULL, *rpc = NULL;
    for (size_t k = 0; k < e->nev; k++) {
        if (!st)
            st = scope_prep(cx, "SELECT share, filename FROM smb WHERE flow_id = ?2"
                                " AND run_id = ?1 LIMIT 64");
        if (!rpc)
            rpc = scope_prep(cx, "SELECT extra FROM app_events WHERE flow_id = ?2 AND run_id = ?1"
                                 " AND type = 'dcerpc' LIMIT 16");
        if (!st || !rpc)
            break;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, e->ev_run[k]);
        sqlite3_bind_int64(st, 2, e->ev_flow[k]);
        while (scope_step(cx, st) == SQLITE_ROW) {
            if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
                /* requests carry \\SERVER\SHARE, some records the bare name */
                const char *sh = scope_col(st, 0), *tail = strrchr(sh, '\\');
                scope_strs_add(&e->shares, tail ? tail + 1 : sh);
                e->admin |= admin_share(sh);
            }
            scope_strs_add(&e->files, scope_col(st, 1));
        }
        sqlite3_reset(rpc);
        sqlite3_bind_int64(rpc, 1, e->ev_run[k]);
        sqlite3_bind_int64(rpc, 2, e->ev_flow[k]);
        while (scope_step(cx, rpc) == SQLITE_ROW) {
            json_t *x = json_loads(scope_col(rpc, 0), 0, NULL);
            json_t *names = json_object_get(x, "names");
            size_t i;
            json_t *v;
            json_array_foreach(names, i, v)
            {
                const char *nm = json_string_value(v);
                if (!nm)
                    continue;
                scope_strs_add(&e->rpc, nm);
                e->admin |= exec_rpc(nm);
                if (strcmp(nm, "wmi") == 0)
                    e->proto = "wmi";
            }
            json_decref(x);
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(rpc);
}

static size_t edge_new(struct scope_result *r)
{
    if (r->nedges == r->edges_cap) {
        r->edges_cap = r->edges_cap ? 2 * r->edges_cap : 16;
        r->edges = xrealloc(r->edges, r->edges_cap * sizeof(*r->edges));
    }
    memset(&r->edges[r->nedges], 0, sizeof(r->edges[0]));
    return r->nedges++;
}

static size_t out_new(struct scope_result *r)
{
    if (r->nouts == r->outs_cap) {
        r->outs_cap = r->outs_cap ? 2 * r->outs_cap : 64;
        r->outs = xrealloc(r->outs, r->outs_cap * sizeof(*r->outs));
    }
    memset(&r->outs[r->nouts], 0, sizeof(r->outs[0]));
    return r->nouts++;
}

static bool is_ioc_ip(struct scope_cx *cx, const char *ip)
{
    if (cx->q->ioc.kind == SCOPE_IOC_IP || cx->q->ioc.kind == SCOPE_IOC_CIDR) {
        struct ip_addr a;
        if (ip_addr_parse(ip, &a) == 0 && netset_contains(&cx->q->ioc.net, &a))
            return true;
    }
    return scope_strs_has(&cx->r->ioc_ips, ip);
}

/* Reads node ni's flows after its start: its spread edges. */
static void scan_node(struct scope_cx *cx, size_t ni)
{
    struct scope_result *r = cx->r;
    char src[48];
    snprintf(src, sizeof(src), "%s", r->nodes[ni].ip);
    uint64_t start = r->nodes[ni].start_ts;
    int hop = r->nodes[ni].hop;
    r->nodes[ni].scanned = true;
    sqlite3_stmt *st = scope_prep(
        cx, "SELECT dst_ip, dst_port, proto, app_proto, first_ts, last_ts, bytes_toserver,"
            " bytes_toclient, run_id, flow_id FROM flows"
            " WHERE src_ip = ?1 AND first_ts >= ?2 AND first_ts <= ?3");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, src, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)start);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)MIN(cx->t2, (uint64_t)INT64_MAX));
    struct ekey *ek = NULL;
    size_t nek = 0;
    while (scope_step(cx, st) == SQLITE_ROW) {
        const char *dst = scope_col(st, 0);
        int port = sqlite3_column_int(st, 1), proto = sqlite3_column_int(st, 2);
        const char *app = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : scope_col(st, 3);
        const char *kind = lateral_kind(proto, port, app);
        if (!kind || !*dst || strcmp(dst, src) == 0 || !scope_is_home(cx, dst))
            continue;
        uint64_t f = scope_col_u64(st, 4), l = scope_col_u64(st, 5);
        uint64_t bo = scope_col_u64(st, 6), bi = scope_col_u64(st, 7);
        int64_t run = sqlite3_column_int64(st, 8), flow = sqlite3_column_int64(st, 9);
        size_t di = scope_node_get(cx, dst);
        size_t k = 0;
        while (k < nek && !(ek[k].dst == di && strcmp(ek[k].proto, kind) == 0))
            k++;
        if (k == nek) {
            ek = xrealloc(ek, (nek + 1) * sizeof(*ek));
            ek[nek].dst = di;
            ek[nek].proto = kind;
            ek[nek].edge = edge_new(r);
            struct scope_edge *e = &r->edges[ek[nek].edge];
            e->src = ni;
            e->dst = di;
            e->proto = kind;
            e->port = (uint16_t)port;
            e->hop = hop + 1;
            e->first_ts = f;
            nek++;
        }
        struct scope_edge *e = &r->edges[ek[k].edge];
        if (f < e->first_ts) {
            e->first_ts = f;
            e->port = (uint16_t)port;
        }
        if (l > e->last_ts)
            e->last_ts = l;
        e->flows++;
        e->bytes_out += bo;
        e->bytes_in += bi;
        if (e->nev < 20000) { /* a month of a PC's file-server traffic fits */
            if (e->nev == e->ev_cap) {
                e->ev_cap = e->ev_cap ? 2 * e->ev_cap : 8;
                e->ev_run = xrealloc(e->ev_run, e->ev_cap * sizeof(*e->ev_run));
                e->ev_flow = xrealloc(e->ev_flow, e->ev_cap * sizeof(*e->ev_flow));
            }
            e->ev_run[e->nev] = run;
            e->ev_flow[e->nev++] = flow;
        }
    }
    sqlite3_finalize(st);
    for (size_t k = 0; k < nek; k++) {
        struct scope_edge *e = &r->edges[ek[k].edge];
        e->new_path = !pair_known(cx, src, r->nodes[e->dst].ip, start);
        edge_events(cx, e);
        e->followed = e->new_path || e->admin;
    }
    free(ek);
}

/* Spread hop by hop from the exposed devices that exchanged packets with
 * the indicator (or the device the search started from). */
static void spread(struct scope_cx *cx)
{
    struct scope_result *r = cx->r;
    for (int h = 0; h <= cx->q->hops && !cx->failed; h++) {
        size_t n = r->nnodes; /* nodes added during this hop belong to the next */
        for (size_t i = 0; i < n && !cx->failed; i++) {
            struct scope_node *nd = &r->nodes[i];
            if (nd->hop != h || nd->scanned || (h == 0 && !nd->connected) || h >= cx->q->hops)
                continue;
            scan_node(cx, i);
        }
        /* targets reached over a new path or an admin share join the next hop */
        for (size_t e = 0; e < r->nedges; e++) {
            struct scope_edge *ed = &r->edges[e];
            if (ed->hop != h + 1 || !ed->followed)
                continue;
            struct scope_node *t = &r->nodes[ed->dst];
            if (t->hop == -1 || (t->hop == h + 1 && ed->first_ts < t->start_ts)) {
                t->hop = h + 1;
                t->start_ts = ed->first_ts;
            }
        }
    }
}

/* ------------------------------------------------------------ verdicts */

static void verdicts(struct scope_cx *cx)
{
    struct scope_result *r = cx->r;
    for (size_t i = 0; i < r->nnodes; i++) {
        struct scope_node *n = &r->nodes[i];
        if (n->exposed && n->resolver && !n->connected) {
            n->exposed = false;
            n->hop = -1;
        }
        if (n->hop == 0 && n->exposed) {
            n->verdict = n->connected ? SCOPE_ISOLATE : SCOPE_EXAMINE;
            if (n->why != SCOPE_WHY_START)
                n->why = n->connected ? SCOPE_WHY_CONTACT : SCOPE_WHY_RESOLVED;
        } else if (n->hop > 0) {
            n->verdict = SCOPE_ISOLATE;
            n->why = SCOPE_WHY_SPREAD;
        }
    }
    for (size_t e = 0; e < r->nedges; e++) {
        struct scope_node *t = &r->nodes[r->edges[e].dst];
        if (t->hop == -1 && t->verdict == SCOPE_CLEAN) {
            t->verdict = SCOPE_EXAMINE;
            t->why = SCOPE_WHY_KNOWN_PATH;
        }
    }
    r->patient_zero = NONE;
    for (int pass = 0; pass < 2 && r->patient_zero == NONE; pass++)
        for (size_t i = 0; i < r->nnodes; i++) {
            struct scope_node *n = &r->nodes[i];
            if (!n->exposed || (pass == 0 && !n->connected))
                continue;
            if (r->patient_zero == NONE || n->first_ts < r->nodes[r->patient_zero].first_ts)
                r->patient_zero = i;
        }
    /* every other inside device seen in the window: likely clean */
    sqlite3_stmt *st = scope_prep(
        cx, "SELECT i.ip, i.device, d.hostname, i.first_ts FROM device_ips i"
            " LEFT JOIN devices d ON d.mac = i.device"
            " WHERE i.last_ts >= ?1 AND i.first_ts <= ?2 ORDER BY i.device, i.last_ts DESC");
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)cx->t1);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)MIN(cx->t2, (uint64_t)INT64_MAX));
    while (scope_step(cx, st) == SQLITE_ROW) {
        const char *ip = scope_col(st, 0), *mac = scope_col(st, 1);
        if (!scope_is_home(cx, ip))
            continue;
        bool known = false;
        for (size_t i = 0; i < r->nnodes && !known; i++)
            known = strcmp(r->nodes[i].ip, ip) == 0 ||
                    (*mac && strcmp(r->nodes[i].mac, mac) == 0);
        if (known)
            continue;
        size_t i = scope_node_get(cx, ip);
        snprintf(r->nodes[i].mac, sizeof(r->nodes[i].mac), "%s", mac);
        snprintf(r->nodes[i].name, sizeof(r->nodes[i].name), "%s", scope_col(st, 2));
    }
    sqlite3_finalize(st);
}

/* Whether node n is compromised: talked to the indicator (or is the start),
 * or was reached. Their new outside destinations are listed. */
static bool compromised(const struct scope_node *n)
{
    return (n->hop == 0 && n->exposed && n->connected) || n->hop > 0;
}

/* Outside destinations reached first after a compromised device's start.
 * Rather than reading every flow of every such device, the destinations
 * themselves are walked: a skip scan of flows_dst_ip_ts gives each
 * distinct destination and the first time anyone reached it (one seek
 * each); only those first reached after the earliest start are read. */
static void outside_new(struct scope_cx *cx)
{
    struct scope_result *r = cx->r;
    uint64_t tmin = UINT64_MAX;
    for (size_t i = 0; i < r->nnodes; i++)
        if (compromised(&r->nodes[i]) && r->nodes[i].start_ts < tmin)
            tmin = r->nodes[i].start_ts;
    if (tmin == UINT64_MAX)
        return;
    struct scope_strs cand = {0};
    uint64_t *cand_first = NULL;
    size_t ncap = 0;
    sqlite3_stmt *st = scope_prep(cx, "SELECT dst_ip, first_ts FROM flows WHERE dst_ip > ?1"
                                      " ORDER BY dst_ip, first_ts LIMIT 1");
    if (!st)
        return;
    char cur[64] = "";
    for (unsigned guard = 0; guard < 5000000; guard++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, cur, -1, SQLITE_TRANSIENT);
        if (scope_step(cx, st) != SQLITE_ROW)
            break;
        snprintf(cur, sizeof(cur), "%s", scope_col(st, 0));
        uint64_t first = scope_col_u64(st, 1);
        if (first < tmin || first > cx->t2 || !*cur || scope_is_home(cx, cur) ||
            is_ioc_ip(cx, cur))
            continue;
        struct ip_addr a;
        if (ip_addr_parse(cur, &a) < 0 || ip_addr_is_unspecified(&a))
            continue;
        /* keep every candidate: scope_strs caps at 256, so a plain array */
        if (cand.n == ncap) {
            ncap = ncap ? 2 * ncap : 64;
            cand.v = xrealloc(cand.v, ncap * sizeof(*cand.v));
            cand_first = xrealloc(cand_first, ncap * sizeof(*cand_first));
        }
        cand_first[cand.n] = first;
        cand.v[cand.n++] = xstrdup(cur);
    }
    sqlite3_finalize(st);
    for (size_t c = 0; c < cand.n && !cx->failed; c++) {
        st = scope_prep(cx, "SELECT src_ip, first_ts, last_ts, bytes_toserver, bytes_toclient,"
                            " dst_port, run_id, flow_id FROM flows WHERE dst_ip = ?1"
                            " AND first_ts BETWEEN ?2 AND ?3");
        if (!st)
            break;
        sqlite3_bind_text(st, 1, cand.v[c], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)cand_first[c]);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)MIN(cx->t2, (uint64_t)INT64_MAX));
        size_t first_out = r->nouts;
        while (scope_step(cx, st) == SQLITE_ROW) {
            size_t ni = scope_node_find(r, scope_col(st, 0));
            uint64_t f = scope_col_u64(st, 1);
            if (ni == (size_t)-1 || !compromised(&r->nodes[ni]) ||
                cand_first[c] < r->nodes[ni].start_ts || f < r->nodes[ni].start_ts)
                continue;
            size_t oi = first_out;
            while (oi < r->nouts && r->outs[oi].node != ni)
                oi++;
            if (oi == r->nouts) {
                oi = out_new(r);
                struct scope_out *o = &r->outs[oi];
                o->node = ni;
                snprintf(o->ip, sizeof(o->ip), "%s", cand.v[c]);
                o->first_ts = UINT64_MAX;
            }
            struct scope_out *o = &r->outs[oi];
            if (f < o->first_ts) {
                o->first_ts = f;
                o->port = (uint16_t)sqlite3_column_int(st, 5);
                o->run_id = sqlite3_column_int64(st, 6);
                o->flow_id = sqlite3_column_int64(st, 7);
            }
            o->last_ts = MAX(o->last_ts, scope_col_u64(st, 2));
            o->bytes_out += scope_col_u64(st, 3);
            o->bytes_in += scope_col_u64(st, 4);
            o->flows++;
        }
        sqlite3_finalize(st);
    }
    for (size_t i = 0; i < cand.n; i++)
        free(cand.v[i]);
    free(cand.v);
    free(cand_first);
}

static int out_cmp(const void *a, const void *b)
{
    const struct scope_out *x = a, *y = b;
    if (x->bytes_out != y->bytes_out)
        return x->bytes_out < y->bytes_out ? 1 : -1;
    return x->first_ts < y->first_ts ? -1 : x->first_ts > y->first_ts;
}

static void outside_finish(struct scope_cx *cx)
{
    struct scope_result *r = cx->r;
    if (r->nouts)
        qsort(r->outs, r->nouts, sizeof(*r->outs), out_cmp);
    size_t max = cx->q->max_outside ? cx->q->max_outside : 200;
    if (r->nouts > max) {
        r->nouts_total = r->nouts;
        r->nouts = max;
    } else {
        r->nouts_total = r->nouts;
    }
    for (size_t i = 0; i < r->nouts && !cx->failed; i++)
        scope_flow_name(cx, r->outs[i].run_id, r->outs[i].flow_id, &r->outs[i].names);
}

/* ------------------------------------------------------------ entry */

/* The store's time span. Two queries: min() and max() each alone are one
 * seek in flows_first_ts; together in one SELECT they would scan the table.
 * (max of first_ts: last_ts has no index.) */
static bool store_has_flows(struct scope_cx *cx)
{
    static const char *const sql[] = {"SELECT min(first_ts) FROM flows",
                                      "SELECT max(first_ts) FROM flows"};
    bool any = false;
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st = scope_prep(cx, sql[i]);
        if (!st)
            return false;
        any = scope_step(cx, st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
        if (any)
            *(i ? &cx->r->store_last_ts : &cx->r->store_first_ts) = scope_col_u64(st, 0);
        sqlite3_finalize(st);
        if (!any)
            return false;
    }
    return any;
}

/* -v: every statement's time, to see where a slow answer spends it. */
static int trace_profile(unsigned type, void *arg, void *p, void *x)
{
    (void)arg;
    if (type == SQLITE_TRACE_PROFILE && *(const sqlite3_int64 *)x > 20000000) {
        char *sql = sqlite3_expanded_sql(p);
        debug("scope: %.1f ms: %.300s", (double)*(const sqlite3_int64 *)x / 1e6,
              sql ? sql : "?");
        sqlite3_free(sql);
    }
    return 0;
}

enum scope_err scope_run(sqlite3 *db, const struct scope_query *q, struct scope_result *r)
{
    if (log_verbose)
        sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, trace_profile, NULL);
    uint64_t t0 = mono_ms();
    memset(r, 0, sizeof(*r));
    r->ioc = q->ioc;
    r->since_us = q->since_us;
    r->until_us = q->until_us;
    r->hops = q->hops;
    r->patient_zero = NONE;
    struct scope_cx cx = {.db = db, .q = q, .r = r, .t1 = q->since_us,
                          .t2 = q->until_us ? q->until_us : (uint64_t)INT64_MAX};
    if (!store_has_flows(&cx)) {
        if (cx.failed)
            return SCOPE_ERR_DB;
        return SCOPE_ERR_EMPTY;
    }
    enum scope_err rc = scope_expose(&cx);
    if (rc == SCOPE_OK && !cx.failed) {
        for (size_t i = 0; i < r->nnodes; i++) {
            struct scope_node *n = &r->nodes[i];
            if (n->exposed) {
                if (n->why != SCOPE_WHY_START || !n->start_ts)
                    n->start_ts = n->first_ts;
                node_identity(&cx, n, n->first_ts);
            }
            if (n->resolver && !n->connected)
                n->hop = -1; /* a DNS server forwarding the lookup is not exposed */
        }
        spread(&cx);
        verdicts(&cx);
        outside_new(&cx);
        for (size_t i = 0; i < r->nnodes; i++)
            node_identity(&cx, &r->nodes[i], r->nodes[i].start_ts ? r->nodes[i].start_ts
                                                                  : cx.t1);
        outside_finish(&cx);
    }
    flowset_free(&cx.seen);
    r->elapsed_ms = mono_ms() - t0;
    if (rc != SCOPE_OK)
        return rc;
    return cx.failed ? SCOPE_ERR_DB : SCOPE_OK;
}

void scope_result_free(struct scope_result *r)
{
    for (size_t i = 0; i < r->nnodes; i++) {
        scope_strs_free(&r->nodes[i].protos);
        scope_strs_free(&r->nodes[i].names);
    }
    for (size_t i = 0; i < r->nedges; i++) {
        free(r->edges[i].ev_run);
        free(r->edges[i].ev_flow);
        scope_strs_free(&r->edges[i].shares);
        scope_strs_free(&r->edges[i].files);
        scope_strs_free(&r->edges[i].rpc);
    }
    for (size_t i = 0; i < r->nouts; i++)
        scope_strs_free(&r->outs[i].names);
    for (size_t i = r->nouts; i < r->nouts_total; i++)
        scope_strs_free(&r->outs[i].names);
    scope_strs_free(&r->ioc_ips);
    scope_strs_free(&r->ioc_names);
    free(r->nodes);
    free(r->edges);
    free(r->outs);
    memset(r, 0, sizeof(*r));
}
