/* scope-expose.c - who was exposed to the indicator: the first step of
 * `mamori scope`. One function per kind of indicator; each ends in
 * scope_contact() calls. All lookups go through an index (scope.c explains
 * the plan); the one exception is a JA3/JA4 (the tls and quic tables have
 * no index on them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/decode.h"
#include "scope/scope-int.h"
#include "util/i18n.h"
#include "util/util.h"

/* A flow of the indicator seen from an inside device, kept to name it. */
struct sample {
    int64_t run, flow;
    char inside[48];
};

struct samples {
    struct sample v[256];
    size_t n;
};

static sqlite3_int64 t2_of(const struct scope_cx *cx)
{
    return (sqlite3_int64)MIN(cx->t2, (uint64_t)INT64_MAX);
}

static bool ip_in_ioc(const struct scope_cx *cx, const char *ip)
{
    struct ip_addr a;
    return ip_addr_parse(ip, &a) == 0 &&
           (netset_contains(&cx->q->ioc.net, &a) || netset_contains(&cx->alert_net, &a));
}

/* Flows whose `col` (dst_ip or src_ip) is ip (hi NULL) or in [ip, hi):
 * the other side, if inside, is exposed. Flows cut by the active timeout
 * are one flow (grouped by run and flow id). */
static void expo_flows(struct scope_cx *cx, bool dst_side, const char *lo, const char *hi,
                       struct samples *sm)
{
    const char *col = dst_side ? "dst_ip" : "src_ip";
    char where[80], sql[512];
    if (hi)
        snprintf(where, sizeof(where), "%s >= ?1 AND %s < ?2", col, col);
    else
        snprintf(where, sizeof(where), "%s = ?1", col);
    snprintf(sql, sizeof(sql),
             "SELECT src_ip, dst_ip, min(first_ts), max(last_ts), sum(bytes_toserver),"
             " sum(bytes_toclient), proto, dst_port, app_proto, run_id, flow_id FROM flows"
             " WHERE %s AND first_ts BETWEEN ?3 AND ?4 GROUP BY run_id, flow_id",
             where);
    sqlite3_stmt *st = scope_prep(cx, sql);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    if (hi)
        sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)cx->t1);
    sqlite3_bind_int64(st, 4, t2_of(cx));
    while (scope_step(cx, st) == SQLITE_ROW) {
        const char *ioc_side = scope_col(st, dst_side ? 1 : 0);
        const char *inside = scope_col(st, dst_side ? 0 : 1);
        if (!ip_in_ioc(cx, ioc_side) || scope_is_home(cx, ioc_side))
            continue;
        int64_t run = sqlite3_column_int64(st, 9), flow = sqlite3_column_int64(st, 10);
        if (!scope_is_home(cx, inside) || flowset_add(&cx->seen, run, flow))
            continue;
        uint64_t bts = scope_col_u64(st, 4), btc = scope_col_u64(st, 5);
        char label[32];
        scope_proto_label(label, sizeof(label),
                          sqlite3_column_type(st, 8) == SQLITE_NULL ? NULL : scope_col(st, 8),
                          sqlite3_column_int(st, 6), sqlite3_column_int(st, 7));
        scope_contact(cx, inside, scope_col_u64(st, 2), scope_col_u64(st, 3),
                      dst_side ? bts : btc, dst_side ? btc : bts, label, NULL, true);
        scope_strs_add(&cx->r->ioc_ips, ioc_side);
        if (sm->n < ARRAY_SIZE(sm->v)) {
            sm->v[sm->n].run = run;
            sm->v[sm->n].flow = flow;
            snprintf(sm->v[sm->n++].inside, sizeof(sm->v[0].inside), "%s", inside);
        }
    }
    sqlite3_finalize(st);
}

/* Splits a DNS answers column (rdata, comma-separated) and calls back for
 * each outside address in it. */
static bool answers_have(const char *answers, const char *ip)
{
    size_t n = strlen(ip);
    for (const char *p = answers; p && *p;) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, ip, n) == 0)
            return true;
        p += k;
        if (*p == ',')
            p++;
    }
    return false;
}

struct resolution {
    char client[48], ip[48];
    uint64_t ts;
};

struct resolutions {
    struct resolution *v;
    size_t n, cap;
};

static void res_add(struct resolutions *rs, const char *client, const char *ip, uint64_t ts)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->v[i].client, client) == 0 && strcmp(rs->v[i].ip, ip) == 0) {
            if (ts < rs->v[i].ts)
                rs->v[i].ts = ts;
            return;
        }
    if (rs->n >= 4096)
        return;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? 2 * rs->cap : 16;
        rs->v = xrealloc(rs->v, rs->cap * sizeof(*rs->v));
    }
    snprintf(rs->v[rs->n].client, sizeof(rs->v[0].client), "%s", client);
    snprintf(rs->v[rs->n].ip, sizeof(rs->v[0].ip), "%s", ip);
    rs->v[rs->n++].ts = ts;
}

/* DNS for one name: queries from inside devices (they resolved it), and
 * answers. only_ip: count only answers that contain it (an IP indicator);
 * NULL: every outside address in them is the indicator's (a domain), and
 * the client's later flows to it are contacts (rs). */
static void dns_name(struct scope_cx *cx, const char *name, const char *only_ip,
                     struct resolutions *rs)
{
    sqlite3_stmt *st = scope_prep(cx, "SELECT type, src_ip, dst_ip, ts, answers FROM dns"
                                      " WHERE rrname = ?1 AND ts BETWEEN ?2 AND ?3");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cx->t1);
    sqlite3_bind_int64(st, 3, t2_of(cx));
    while (scope_step(cx, st) == SQLITE_ROW) {
        const char *type = scope_col(st, 0), *src = scope_col(st, 1), *dst = scope_col(st, 2);
        uint64_t ts = scope_col_u64(st, 3);
        const char *ans = scope_col(st, 4);
        if (strcmp(type, "query") == 0) {
            if (!only_ip)
                scope_contact(cx, src, ts, ts, 0, 0, "dns", name, false);
            continue;
        }
        if (strcmp(type, "answer") != 0)
            continue;
        if (only_ip && !answers_have(ans, only_ip))
            continue;
        if (scope_is_home(cx, src) && scope_is_home(cx, dst)) {
            /* an inside DNS server answering another device: it forwarded */
            size_t i = scope_node_get(cx, src);
            cx->r->nodes[i].resolver = true;
        }
        if (only_ip) {
            scope_contact(cx, dst, ts, ts, 0, 0, "dns", name, false);
            continue;
        }
        scope_contact(cx, dst, ts, ts, 0, 0, "dns", name, false);
        for (const char *p = ans; *p;) {
            size_t k = strcspn(p, ",");
            char tok[48];
            if (k > 0 && k < sizeof(tok)) {
                memcpy(tok, p, k);
                tok[k] = '\0';
                struct ip_addr a;
                if (ip_addr_parse(tok, &a) == 0 && !netset_contains(&cx->q->home, &a)) {
                    scope_strs_add(&cx->r->ioc_ips, tok);
                    if (scope_is_home(cx, dst))
                        res_add(rs, dst, tok, ts);
                }
            }
            p += k;
            if (*p == ',')
                p++;
        }
    }
    sqlite3_finalize(st);
}

/* Events of one table matched by a column, with their flow's totals:
 * the client (src_ip) is exposed. url_prefix: HTTP only, the URL must
 * start with it. */
static void events_by(struct scope_cx *cx, const char *table, const char *col, const char *val,
                      const char *label, const char *url_prefix)
{
    char sql[700];
    snprintf(sql, sizeof(sql),
             "SELECT e.src_ip, e.dst_ip, e.ts, e.run_id, e.flow_id, min(f.first_ts),"
             " max(f.last_ts), sum(f.bytes_toserver), sum(f.bytes_toclient), %s, %s"
             " FROM %s e LEFT JOIN flows f ON f.run_id = e.run_id AND f.flow_id = e.flow_id"
             " WHERE e.%s = ?1 AND e.ts BETWEEN ?2 AND ?3 GROUP BY e.id",
             strcmp(table, "http") == 0 ? "e.hostname" : "e.sni",
             strcmp(table, "http") == 0 ? "e.url" : "NULL", table, col);
    sqlite3_stmt *st = scope_prep(cx, sql);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, val, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cx->t1);
    sqlite3_bind_int64(st, 3, t2_of(cx));
    size_t plen = url_prefix ? strlen(url_prefix) : 0;
    while (scope_step(cx, st) == SQLITE_ROW) {
        if (plen && strncmp(scope_col(st, 10), url_prefix, plen) != 0)
            continue;
        const char *cli = scope_col(st, 0), *srv = scope_col(st, 1);
        int64_t run = sqlite3_column_int64(st, 3), flow = sqlite3_column_int64(st, 4);
        uint64_t ts = scope_col_u64(st, 2);
        bool has_flow = sqlite3_column_type(st, 5) != SQLITE_NULL;
        bool dup = flowset_add(&cx->seen, run, flow);
        uint64_t f = has_flow ? scope_col_u64(st, 5) : ts, l = has_flow ? scope_col_u64(st, 6) : ts;
        const char *nm = scope_col(st, 9);
        scope_contact(cx, cli, MIN(f, ts), MAX(l, ts), dup ? 0 : scope_col_u64(st, 7),
                      dup ? 0 : scope_col_u64(st, 8), label, nm, true);
        if (scope_is_home(cx, cli) && !scope_is_home(cx, srv) && cx->q->ioc.kind != SCOPE_IOC_JA3 &&
            cx->q->ioc.kind != SCOPE_IOC_JA4)
            scope_strs_add(&cx->r->ioc_ips, srv);
        if (*nm && cx->q->ioc.kind != SCOPE_IOC_JA3 && cx->q->ioc.kind != SCOPE_IOC_JA4)
            scope_strs_add(&cx->r->ioc_names, nm);
    }
    sqlite3_finalize(st);
}

/* Names of the indicator's flows (their SNI or Host) for each exposed
 * device, then who resolved the address under those names (only_ip). */
static void name_samples(struct scope_cx *cx, const struct samples *sm, const char *only_ip)
{
    struct scope_strs names = {0};
    for (size_t i = 0; i < sm->n && !cx->failed; i++) {
        struct scope_strs one = {0};
        scope_flow_name(cx, sm->v[i].run, sm->v[i].flow, &one);
        size_t ni = scope_node_get(cx, sm->v[i].inside);
        for (size_t k = 0; k < one.n; k++) {
            scope_strs_add(&cx->r->nodes[ni].names, one.v[k]);
            scope_strs_add(&names, one.v[k]);
        }
        scope_strs_free(&one);
    }
    for (size_t i = 0; i < names.n && !cx->failed; i++) {
        scope_strs_add(&cx->r->ioc_names, names.v[i]);
        if (only_ip)
            dns_name(cx, names.v[i], only_ip, NULL);
    }
    scope_strs_free(&names);
}

static enum scope_err expose_ip(struct scope_cx *cx, const char *ip)
{
    struct samples *sm = xcalloc(1, sizeof(*sm));
    expo_flows(cx, true, ip, NULL, sm);
    expo_flows(cx, false, ip, NULL, sm);
    name_samples(cx, sm, ip);
    free(sm);
    return SCOPE_OK;
}

/* IPv4 /8../32 as text-prefix ranges over the address indexes; IPv6 by a
 * skip scan of the distinct addresses (index seeks, not a table scan). */
static enum scope_err expose_cidr(struct scope_cx *cx)
{
    const struct scope_ioc *o = &cx->q->ioc;
    struct samples *sm = xcalloc(1, sizeof(*sm));
    if (o->v4) {
        const uint8_t *b = o->net.net[0].b + 12;
        unsigned p = o->prefix;
        if (p > 24) {
            for (unsigned i = 0; i < (1u << (32 - p)); i++) {
                char ip[20];
                snprintf(ip, sizeof(ip), "%u.%u.%u.%u", b[0], b[1], b[2], b[3] + i);
                expo_flows(cx, true, ip, NULL, sm);
                expo_flows(cx, false, ip, NULL, sm);
            }
        } else {
            unsigned level = p >= 16 ? 3 : p >= 8 ? 2 : 1; /* octets in the prefix */
            unsigned span = 1u << (8 * level - p);
            for (unsigned i = 0; i < span; i++) {
                char lo[20], hi[20];
                if (level == 3) {
                    snprintf(lo, sizeof(lo), "%u.%u.%u.", b[0], b[1], b[2] + i);
                    snprintf(hi, sizeof(hi), "%u.%u.%u/", b[0], b[1], b[2] + i);
                } else if (level == 2) {
                    snprintf(lo, sizeof(lo), "%u.%u.", b[0], b[1] + i);
                    snprintf(hi, sizeof(hi), "%u.%u/", b[0], b[1] + i);
                } else {
                    snprintf(lo, sizeof(lo), "%u.", b[0] + i);
                    snprintf(hi, sizeof(hi), "%u/", b[0] + i);
                }
                expo_flows(cx, true, lo, hi, sm);
                expo_flows(cx, false, lo, hi, sm);
            }
        }
    } else {
        for (int side = 0; side < 2 && !cx->failed; side++) {
            sqlite3_stmt *st = scope_prep(cx, side ? "SELECT min(src_ip) FROM flows WHERE src_ip > ?1"
                                                   : "SELECT min(dst_ip) FROM flows WHERE dst_ip > ?1");
            if (!st)
                break;
            char cur[64] = "";
            for (unsigned guard = 0; guard < 2000000; guard++) {
                sqlite3_reset(st);
                sqlite3_bind_text(st, 1, cur, -1, SQLITE_TRANSIENT);
                if (scope_step(cx, st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL)
                    break;
                snprintf(cur, sizeof(cur), "%s", scope_col(st, 0));
                if (strchr(cur, ':') && ip_in_ioc(cx, cur))
                    expo_flows(cx, side == 0, cur, NULL, sm);
            }
            sqlite3_finalize(st);
        }
    }
    name_samples(cx, sm, NULL);
    free(sm);
    return SCOPE_OK;
}

/* The name's subdomains as they appear in one indexed column, by a skip
 * scan: each step is one seek to the next distinct value, so the cost is
 * the number of distinct names (thousands), not of rows (millions). The
 * columns are NOCASE, so the index order and the comparison agree. */
static void names_like(struct scope_cx *cx, const char *table, const char *col,
                       const char *domain, struct scope_strs *out)
{
    char sql[300];
    snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE %s > ?1 ORDER BY %s LIMIT 1", col, table,
             col, col);
    sqlite3_stmt *st = scope_prep(cx, sql);
    if (!st)
        return;
    size_t dl = strlen(domain);
    char cur[512] = "";
    for (unsigned guard = 0; guard < 5000000 && out->n < 200; guard++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, cur, -1, SQLITE_TRANSIENT);
        if (scope_step(cx, st) != SQLITE_ROW)
            break;
        const char *v = scope_col(st, 0);
        size_t vl = strlen(v);
        if (vl >= sizeof(cur))
            vl = sizeof(cur) - 1; /* a longer name: the seek still moves past it */
        memcpy(cur, v, vl);
        cur[vl] = '\0';
        if (vl > dl + 1 && cur[vl - dl - 1] == '.' && strcasecmp(cur + vl - dl, domain) == 0)
            scope_strs_add(out, cur);
    }
    sqlite3_finalize(st);
}

static void expose_names(struct scope_cx *cx, const struct scope_strs *names)
{
    struct resolutions rs = {0};
    for (size_t i = 0; i < names->n && !cx->failed; i++) {
        const char *nm = names->v[i];
        scope_strs_add(&cx->r->ioc_names, nm);
        dns_name(cx, nm, NULL, &rs);
        events_by(cx, "tls", "sni", nm, "tls", NULL);
        events_by(cx, "quic", "sni", nm, "quic", NULL);
        events_by(cx, "http", "hostname", nm, "http", NULL);
    }
    /* a device that resolved the name and then reached an address it got;
     * read through the shorter side (a shared CDN address has many flows,
     * a busy PC too) */
    for (size_t i = 0; i < rs.n && !cx->failed; i++) {
        uint64_t from = MAX(rs.v[i].ts, cx->t1);
        bool by_src = scope_side_count(cx, false, rs.v[i].client, from) <
                      scope_side_count(cx, true, rs.v[i].ip, from);
        sqlite3_stmt *st = scope_prep(
            cx, by_src ? "SELECT min(first_ts), max(last_ts), sum(bytes_toserver),"
                         " sum(bytes_toclient), proto, dst_port, app_proto, run_id, flow_id"
                         " FROM flows INDEXED BY flows_src_ip_ts WHERE src_ip = ?1 AND dst_ip = ?2"
                         " AND first_ts BETWEEN ?3 AND ?4 GROUP BY run_id, flow_id"
                       : "SELECT min(first_ts), max(last_ts), sum(bytes_toserver),"
                         " sum(bytes_toclient), proto, dst_port, app_proto, run_id, flow_id"
                         " FROM flows INDEXED BY flows_dst_ip_ts WHERE src_ip = ?1 AND dst_ip = ?2"
                         " AND first_ts BETWEEN ?3 AND ?4 GROUP BY run_id, flow_id");
        if (!st)
            break;
        sqlite3_bind_text(st, 1, rs.v[i].client, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rs.v[i].ip, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)from);
        sqlite3_bind_int64(st, 4, t2_of(cx));
        while (scope_step(cx, st) == SQLITE_ROW) {
            if (flowset_add(&cx->seen, sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8)))
                continue;
            char label[32];
            scope_proto_label(label, sizeof(label),
                              sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : scope_col(st, 6),
                              sqlite3_column_int(st, 4), sqlite3_column_int(st, 5));
            scope_contact(cx, rs.v[i].client, scope_col_u64(st, 0), scope_col_u64(st, 1),
                          scope_col_u64(st, 2), scope_col_u64(st, 3), label, NULL, true);
        }
        sqlite3_finalize(st);
    }
    free(rs.v);
}

static enum scope_err expose_domain(struct scope_cx *cx)
{
    struct scope_strs names = {0};
    const char *d = cx->q->ioc.host;
    scope_strs_add(&names, d);
    names_like(cx, "dns", "rrname", d, &names);
    names_like(cx, "tls", "sni", d, &names);
    names_like(cx, "quic", "sni", d, &names);
    names_like(cx, "http", "hostname", d, &names);
    expose_names(cx, &names);
    scope_strs_free(&names);
    return SCOPE_OK;
}

static enum scope_err expose_url(struct scope_cx *cx)
{
    const struct scope_ioc *o = &cx->q->ioc;
    scope_strs_add(&cx->r->ioc_names, o->host);
    events_by(cx, "http", "hostname", o->host, "http", o->path[0] ? o->path : NULL);
    if (o->https) /* the path is inside TLS: the server name is what shows */
        events_by(cx, "tls", "sni", o->host, "tls", NULL);
    return SCOPE_OK;
}

static enum scope_err expose_fp(struct scope_cx *cx)
{
    const char *col = cx->q->ioc.kind == SCOPE_IOC_JA3 ? "ja3" : "ja4";
    events_by(cx, "tls", col, cx->q->ioc.fp, "tls", NULL);
    events_by(cx, "quic", col, cx->q->ioc.fp, "quic", NULL);
    return SCOPE_OK;
}

/* ---- a device, an inside address, an alert: the start is given ---- */

/* When an alert's evidence began: its first flow can start a little before
 * the alert (raised on a later packet of it). */
static uint64_t alert_evidence_start(struct scope_cx *cx, uint64_t first, int64_t run,
                                     const char *flow_ids)
{
    if (!flow_ids || !*flow_ids)
        return first;
    sqlite3_stmt *st = scope_prep(cx, "SELECT min(f.first_ts) FROM json_each(?2) j, flows f"
                                      " WHERE f.run_id = ?1 AND f.flow_id = j.value"
                                      " AND f.first_ts >= ?3");
    if (!st)
        return first;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, flow_ids, -1, SQLITE_STATIC);
    /* flows of the same pair long before (a detector's window) are not the start */
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(first > 600000000ull ? first - 600000000ull : 0));
    if (scope_step(cx, st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        uint64_t t = scope_col_u64(st, 0);
        if (t && t < first)
            first = t;
    }
    sqlite3_finalize(st);
    return first;
}

/* Start of the first alert of medium or higher severity about a device
 * (primary MAC) or address in the window: "new device" and other notices do
 * not say when an infection began. 0 if none. */
static uint64_t first_alert(struct scope_cx *cx, const char *mac, const char *ip)
{
    sqlite3_stmt *st = scope_prep(
        cx, mac ? "SELECT first_ts, run_id, flow_ids FROM alerts WHERE device = ?1"
                  " AND first_ts BETWEEN ?2 AND ?3 AND severity >= 2 ORDER BY first_ts LIMIT 1"
                : "SELECT first_ts, run_id, flow_ids FROM alerts WHERE (src_ip = ?1 OR dest_ip = ?1)"
                  " AND first_ts BETWEEN ?2 AND ?3 AND severity >= 2 ORDER BY first_ts LIMIT 1");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, mac ? mac : ip, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cx->t1);
    sqlite3_bind_int64(st, 3, t2_of(cx));
    uint64_t t = 0;
    if (scope_step(cx, st) == SQLITE_ROW) {
        char ids[1024];
        snprintf(ids, sizeof(ids), "%s", scope_col(st, 2));
        t = alert_evidence_start(cx, scope_col_u64(st, 0), sqlite3_column_int64(st, 1), ids);
    }
    sqlite3_finalize(st);
    return t;
}

/* Marks ip as the start: exposed from `from` (0: decide here). */
static void start_node(struct scope_cx *cx, const char *ip, const char *mac, const char *name,
                       uint64_t from, uint64_t seen_first, uint64_t seen_last)
{
    size_t i = scope_node_get(cx, ip);
    struct scope_node *n = &cx->r->nodes[i];
    if (!from)
        from = cx->q->since_us;
    if (!from)
        from = first_alert(cx, mac && *mac ? mac : NULL, ip);
    if (!from)
        from = seen_first;
    if (!from) { /* the first flow the address started */
        sqlite3_stmt *st = scope_prep(cx, "SELECT min(first_ts) FROM flows WHERE src_ip = ?1"
                                          " AND first_ts >= ?2");
        if (st) {
            sqlite3_bind_text(st, 1, ip, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)cx->t1);
            if (scope_step(cx, st) == SQLITE_ROW)
                from = scope_col_u64(st, 0);
            sqlite3_finalize(st);
        }
    }
    if (from < cx->t1)
        from = cx->t1;
    if (!n->exposed || from < n->first_ts)
        n->first_ts = from;
    n->last_ts = MAX(n->last_ts, MAX(seen_last, from));
    n->start_ts = n->first_ts;
    n->exposed = n->connected = true;
    n->hop = 0;
    n->why = SCOPE_WHY_START;
    if (mac && *mac)
        snprintf(n->mac, sizeof(n->mac), "%s", mac);
    if (name && *name)
        snprintf(n->name, sizeof(n->name), "%s", name);
}

static enum scope_err expose_device(struct scope_cx *cx)
{
    const struct scope_ioc *o = &cx->q->ioc;
    struct scope_strs macs = {0};
    sqlite3_stmt *st;
    if (o->has_mac) {
        char mac[18];
        mac_fmt(o->mac, mac);
        st = scope_prep(cx, "SELECT device FROM device_macs WHERE mac = ?1"
                            " UNION SELECT mac FROM devices WHERE mac = ?1");
        if (!st)
            return SCOPE_ERR_DB;
        sqlite3_bind_text(st, 1, mac, -1, SQLITE_TRANSIENT);
    } else {
        st = scope_prep(cx, "SELECT device FROM device_names WHERE name = ?1"
                            " UNION SELECT mac FROM devices WHERE hostname = ?1");
        if (!st)
            return SCOPE_ERR_DB;
        sqlite3_bind_text(st, 1, o->devname, -1, SQLITE_STATIC);
    }
    while (scope_step(cx, st) == SQLITE_ROW)
        scope_strs_add(&macs, scope_col(st, 0));
    sqlite3_finalize(st);
    if (macs.n == 0) {
        error(TR("scope: no device '%s' in the store (see 'mamori devices')",
                 "scope: 機器 '%s' は記録にありません（'mamori devices' で確認してください）"),
              o->text);
        return SCOPE_ERR_INPUT;
    }
    size_t found = 0;
    for (size_t m = 0; m < macs.n; m++) {
        st = scope_prep(cx, "SELECT i.ip, i.first_ts, i.last_ts, d.hostname FROM device_ips i"
                            " LEFT JOIN devices d ON d.mac = i.device WHERE i.device = ?1"
                            " AND i.last_ts >= ?2 AND i.first_ts <= ?3 ORDER BY i.first_ts");
        if (!st)
            break;
        sqlite3_bind_text(st, 1, macs.v[m], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)cx->t1);
        sqlite3_bind_int64(st, 3, t2_of(cx));
        while (scope_step(cx, st) == SQLITE_ROW) {
            if (!scope_is_home(cx, scope_col(st, 0)))
                continue;
            start_node(cx, scope_col(st, 0), macs.v[m], scope_col(st, 3), 0,
                       MAX(scope_col_u64(st, 1), cx->t1), scope_col_u64(st, 2));
            found++;
        }
        sqlite3_finalize(st);
    }
    scope_strs_free(&macs);
    if (!found && !cx->failed) {
        error(TR("scope: device '%s' had no inside address in this period",
                 "scope: 機器 '%s' はこの期間に社内のアドレスを使っていません"),
              o->text);
        return SCOPE_ERR_INPUT;
    }
    return SCOPE_OK;
}

static enum scope_err expose_alert(struct scope_cx *cx)
{
    sqlite3_stmt *st = scope_prep(cx, "SELECT first_ts, last_ts, src_ip, dest_ip, device,"
                                      " device_name, run_id, flow_ids FROM alerts WHERE id = ?1");
    if (!st)
        return SCOPE_ERR_DB;
    sqlite3_bind_int64(st, 1, cx->q->ioc.alert_id);
    if (scope_step(cx, st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (cx->failed)
            return SCOPE_ERR_DB;
        error(TR("scope: there is no alert #%lld in the store (see 'mamori alerts')",
                 "scope: 警告 #%lld は記録にありません（'mamori alerts' で確認してください）"),
              (long long)cx->q->ioc.alert_id);
        return SCOPE_ERR_INPUT;
    }
    uint64_t first = scope_col_u64(st, 0), last = scope_col_u64(st, 1);
    char src[48], dst[48], mac[18], name[128];
    snprintf(src, sizeof(src), "%s", scope_col(st, 2));
    snprintf(dst, sizeof(dst), "%s", scope_col(st, 3));
    snprintf(mac, sizeof(mac), "%s", scope_col(st, 4));
    snprintf(name, sizeof(name), "%s", scope_col(st, 5));
    int64_t run = sqlite3_column_int64(st, 6);
    char ids[1024];
    snprintf(ids, sizeof(ids), "%s", scope_col(st, 7));
    sqlite3_finalize(st);
    first = alert_evidence_start(cx, first, run, ids);
    const char *inside = scope_is_home(cx, src) ? src : scope_is_home(cx, dst) ? dst : NULL;
    const char *outside = *src && !scope_is_home(cx, src)   ? src
                          : *dst && !scope_is_home(cx, dst) ? dst
                                                            : NULL;
    if (outside) { /* the outside party is the indicator; its contacts are exposed */
        char e[80];
        if (netset_parse(&cx->alert_net, outside, e, sizeof(e)) == 0)
            expose_ip(cx, outside);
    }
    if (inside) {
        start_node(cx, inside, mac, name, MAX(first, cx->t1), 0, last);
        return SCOPE_OK;
    }
    if (!*mac && !outside) {
        error(TR("scope: alert #%lld names no device or address to start from",
                 "scope: 警告 #%lld には調べ始める機器もアドレスもありません"),
              (long long)cx->q->ioc.alert_id);
        return SCOPE_ERR_INPUT;
    }
    if (*mac) {
        st = scope_prep(cx, "SELECT ip FROM device_ips WHERE device = ?1"
                            " ORDER BY (first_ts <= ?2 AND last_ts >= ?2) DESC,"
                            " abs(last_ts - ?2) LIMIT 1");
        if (!st)
            return SCOPE_ERR_DB;
        sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)first);
        if (scope_step(cx, st) == SQLITE_ROW && scope_is_home(cx, scope_col(st, 0)))
            start_node(cx, scope_col(st, 0), mac, name, MAX(first, cx->t1), 0, last);
        sqlite3_finalize(st);
    }
    return SCOPE_OK;
}

enum scope_err scope_expose(struct scope_cx *cx)
{
    const struct scope_ioc *o = &cx->q->ioc;
    switch (o->kind) {
    case SCOPE_IOC_IP: {
        char ip[48];
        ip_addr_fmt(&o->net.net[0], ip, sizeof(ip));
        if (netset_contains(&cx->q->home, &o->net.net[0])) {
            /* an inside address: that device is where the search starts */
            start_node(cx, ip, NULL, NULL, 0, 0, 0);
            return SCOPE_OK;
        }
        return expose_ip(cx, ip);
    }
    case SCOPE_IOC_CIDR:
        if (o->v4 ? o->prefix < 8 : o->prefix < 32) {
            error(TR("scope: the network %s is too wide (at most /8 for IPv4, /32 for IPv6)",
                     "scope: ネットワーク %s は広すぎます（IPv4 は /8、IPv6 は /32 まで）"),
                  o->text);
            return SCOPE_ERR_INPUT;
        }
        return expose_cidr(cx);
    case SCOPE_IOC_DOMAIN: return expose_domain(cx);
    case SCOPE_IOC_URL: return expose_url(cx);
    case SCOPE_IOC_JA3:
    case SCOPE_IOC_JA4: return expose_fp(cx);
    case SCOPE_IOC_DEVICE: return expose_device(cx);
    case SCOPE_IOC_ALERT: return expose_alert(cx);
    }
    return SCOPE_OK;
}
