/* timeline.c - `mamori timeline DEVICE`: everything one device did, merged
 * and in time order. The model; the output is in timeline-print part below.
 *
 * Query plan (docs/timeline.md): every read starts from an index
 *   - the device: devices (primary key), device_macs, device_ips_ip,
 *     device_names_name;
 *   - its flows: flows_src_ip_ts and flows_dst_ip_ts, one range per address
 *     and the time that address was the device's;
 *   - a flow's events: <table>_flow_id, only in the table its app_proto
 *     names (a TLS flow is never looked for in smb);
 *   - DHCP: dhcp_client_mac; alerts: alerts_device, and the alerts about its
 *     addresses (a small table, read once per address).
 * Then one sort and, for the compact view, one pass that folds and groups.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "decode/decode.h"
#include "detect/alert.h"
#include "detect/explain.h"
#include "scope/flowset.h"
#include "scope/timeline.h"
#include "util/i18n.h"
#include "util/netaddr.h"
#include "util/util.h"

#define GROUP_US 60000000ull /* flows to one destination within a minute are one line */
#define GROUP_MAX_US (15 * GROUP_US)
#define MAX_CAND 20

/* ------------------------------------------------------------ arena */

struct tl_arena {
    struct tl_arena *next;
    size_t used, cap;
    char buf[];
};

static const char *ar_str(struct tl_result *r, const char *s)
{
    if (!s || !*s)
        return "";
    size_t n = strlen(s) + 1;
    struct tl_arena *a = r->arena;
    if (!a || a->cap - a->used < n) {
        size_t cap = n > 60000 ? n : 65536;
        struct tl_arena *na = xmalloc(sizeof(*na) + cap);
        na->next = a;
        na->used = 0;
        na->cap = cap;
        r->arena = a = na;
    }
    char *p = a->buf + a->used;
    memcpy(p, s, n);
    a->used += n;
    /* names and URLs come from the network: no control characters reach a
     * terminal (an escape sequence in a server name could rewrite the screen) */
    for (char *c = p; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    return p;
}

/* ------------------------------------------------------------ context */

struct tl_cx {
    sqlite3 *db;
    const struct tl_query *q;
    struct tl_result *r;
    uint64_t t1, t2; /* the window, t2 inclusive */
    bool failed;
    char macs[8][18]; /* the device's MACs (primary first) */
    size_t nmacs;
    struct flowset seen; /* flows already read */
    sqlite3_stmt *ev_st[TL_KIND_MAX];
};

static sqlite3_stmt *prep(struct tl_cx *cx, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cx->db, sql, -1, &st, NULL) != SQLITE_OK) {
        if (!cx->failed)
            error(TR("timeline: cannot read the store: %s",
                     "timeline: データベースを読めません: %s"),
                  sqlite3_errmsg(cx->db));
        cx->failed = true;
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static int step(struct tl_cx *cx, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        if (!cx->failed)
            error(TR("timeline: cannot read the store: %s",
                     "timeline: データベースを読めません: %s"),
                  sqlite3_errmsg(cx->db));
        cx->failed = true;
    }
    return rc;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static uint64_t col_u64(sqlite3_stmt *st, int i)
{
    sqlite3_int64 v = sqlite3_column_int64(st, i);
    return v > 0 ? (uint64_t)v : 0;
}

static sqlite3_int64 i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)v;
}

static struct tl_entry *entry_new(struct tl_result *r, enum tl_kind kind, uint64_t ts)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1024;
        r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
    }
    struct tl_entry *e = &r->v[r->n++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->ts = e->last_ts = ts;
    e->n = 1;
    e->peer = e->name = e->app = "";
    for (int i = 0; i < TL_NF; i++)
        e->f[i] = "";
    return e;
}


/* ------------------------------------------------------------ kinds */

static const char *const kind_names[TL_KIND_MAX] = {
    [TL_IP] = "ip",     [TL_NAME] = "name", [TL_ALERT] = "alert", [TL_DHCP] = "dhcp",
    [TL_FLOW] = "flow", [TL_DNS] = "dns",   [TL_TLS] = "tls",     [TL_QUIC] = "quic",
    [TL_HTTP] = "http", [TL_SMB] = "smb",   [TL_SSH] = "ssh",     [TL_RDP] = "rdp",
    [TL_FTP] = "ftp",   [TL_SMTP] = "smtp", [TL_POP3] = "pop3",   [TL_IMAP] = "imap",
    [TL_TELNET] = "telnet",
};

const char *tl_kind_name(enum tl_kind k)
{
    return (unsigned)k < TL_KIND_MAX ? kind_names[k] : "?";
}

/* Event tables: the flow's app_proto names the table; the columns fill f[]. */
struct evtab {
    const char *app;
    enum tl_kind kind;
    const char *cols;
};

static const struct evtab evtabs[] = {
    {"dns", TL_DNS, "rrname, rrtype, rcode, answers, type"},
    {"tls", TL_TLS, "sni, version, ja3, ja4"},
    {"quic", TL_QUIC, "sni, version"},
    {"http", TL_HTTP, "http_method, hostname, url, status, http_user_agent"},
    {"smb", TL_SMB, "command, share, filename, ntlm_user, ntlm_domain, status"},
    {"ssh", TL_SSH, "client_software, server_software"},
    {"rdp", TL_RDP, "event_type, cookie, client_name"},
    {"ftp", TL_FTP, "command, command_data, user, login_success"},
    {"smtp", TL_SMTP, "mail_from, rcpt_count, user, login_success, subject"},
    {"pop3", TL_POP3, "NULL, NULL, user, login_success, NULL, password_sent_in_clear"},
    {"imap", TL_IMAP, "NULL, NULL, user, login_success, NULL, password_sent_in_clear"},
    {"telnet", TL_TELNET, "NULL, NULL, user, login_success, NULL, password_sent_in_clear"},
};

static const struct evtab *evtab_for(const char *app)
{
    if (!app || !*app)
        return NULL;
    for (size_t i = 0; i < ARRAY_SIZE(evtabs); i++)
        if (strcmp(evtabs[i].app, app) == 0)
            return &evtabs[i];
    return NULL;
}

/* ------------------------------------------------------------ the device */

static void cand_add(struct tl_result *r, const char *mac, const char *name, const char *ip,
                     uint64_t first, uint64_t last)
{
    for (size_t i = 0; i < r->ncand; i++)
        if (strcmp(r->cand[i].mac, mac) == 0) {
            if (last >= r->cand[i].last_ts) { /* show its latest address */
                snprintf(r->cand[i].ip, sizeof(r->cand[i].ip), "%s", ip);
                r->cand[i].last_ts = last;
            }
            if (first < r->cand[i].first_ts)
                r->cand[i].first_ts = first;
            return;
        }
    if (r->ncand >= MAX_CAND)
        return;
    r->cand = xrealloc(r->cand, (r->ncand + 1) * sizeof(*r->cand));
    struct tl_candidate *c = &r->cand[r->ncand++];
    snprintf(c->mac, sizeof(c->mac), "%s", mac);
    snprintf(c->name, sizeof(c->name), "%s", name);
    snprintf(c->ip, sizeof(c->ip), "%s", ip);
    c->first_ts = first;
    c->last_ts = last;
}

/* Adds every device matching sql (?1 = the key) as a candidate, with its
 * latest address; window-limited when inwin. */
static void find_candidates(struct tl_cx *cx, const char *sql, const char *key)
{
    sqlite3_stmt *st = prep(cx, sql);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, i64(cx->t1));
    sqlite3_bind_int64(st, 3, i64(cx->t2));
    while (step(cx, st) == SQLITE_ROW)
        cand_add(cx->r, col(st, 0), col(st, 1), col(st, 2), col_u64(st, 3), col_u64(st, 4));
    sqlite3_finalize(st);
}

/* Spans with no time are open at both ends. */
static void load_device(struct tl_cx *cx, const char *mac)
{
    struct tl_result *r = cx->r;
    snprintf(r->mac, sizeof(r->mac), "%s", mac);
    snprintf(cx->macs[0], sizeof(cx->macs[0]), "%s", mac);
    cx->nmacs = 1;
    sqlite3_stmt *st = prep(cx, "SELECT hostname, vendor, device_type, os FROM devices"
                                " WHERE mac = ?1");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
    if (step(cx, st) == SQLITE_ROW) {
        snprintf(r->name, sizeof(r->name), "%s", col(st, 0));
        snprintf(r->vendor, sizeof(r->vendor), "%s", col(st, 1));
        snprintf(r->type, sizeof(r->type), "%s", col(st, 2));
        snprintf(r->os, sizeof(r->os), "%s", col(st, 3));
    }
    sqlite3_finalize(st);
    if (!r->name[0]) { /* no hostname: the latest name any source gave */
        st = prep(cx, "SELECT name FROM device_names WHERE device = ?1"
                      " ORDER BY last_ts DESC LIMIT 1");
        if (!st)
            return;
        sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
        if (step(cx, st) == SQLITE_ROW)
            snprintf(r->name, sizeof(r->name), "%s", col(st, 0));
        sqlite3_finalize(st);
    }
    st = prep(cx, "SELECT mac FROM device_macs WHERE device = ?1 AND mac != ?1");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
    while (step(cx, st) == SQLITE_ROW && cx->nmacs < ARRAY_SIZE(cx->macs))
        snprintf(cx->macs[cx->nmacs++], sizeof(cx->macs[0]), "%s", col(st, 0));
    sqlite3_finalize(st);
    st = prep(cx, "SELECT ip, first_ts, last_ts FROM device_ips WHERE device = ?1"
                  " ORDER BY first_ts, ip");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
    while (step(cx, st) == SQLITE_ROW) {
        r->spans = xrealloc(r->spans, (r->nspans + 1) * sizeof(*r->spans));
        struct tl_span *s = &r->spans[r->nspans++];
        snprintf(s->ip, sizeof(s->ip), "%s", col(st, 0));
        s->first_ts = col_u64(st, 1);
        s->last_ts = sqlite3_column_type(st, 2) == SQLITE_NULL ? (uint64_t)INT64_MAX
                                                                 : col_u64(st, 2);
    }
    sqlite3_finalize(st);
}

/* Lower-case, colon-separated, as the store writes MACs. */
static bool parse_mac_arg(const char *s, char out[18])
{
    uint8_t m[6];
    if (mac_parse(s, m) < 0)
        return false;
    mac_fmt(m, out);
    return true;
}

static enum tl_err resolve(struct tl_cx *cx)
{
    struct tl_result *r = cx->r;
    const char *arg = cx->q->device;
    if (!arg || !*arg || strlen(arg) > 200)
        return TL_ERR_BAD;
    char mac[18];
    struct ip_addr ip;
    if (parse_mac_arg(arg, mac)) {
        find_candidates(cx,
                        "SELECT m.device, d.hostname, '', m.first_ts, m.last_ts FROM device_macs m"
                        " LEFT JOIN devices d ON d.mac = m.device WHERE m.mac = ?1"
                        " UNION ALL SELECT mac, hostname, '', first_ts, last_ts FROM devices"
                        " WHERE mac = ?1",
                        mac);
    } else if (ip_addr_parse(arg, &ip) == 0) {
        char ips[48];
        ip_addr_fmt(&ip, ips, sizeof(ips));
        static const char sql[] =
            "SELECT i.device, d.hostname, i.ip, i.first_ts, i.last_ts FROM device_ips i"
            " LEFT JOIN devices d ON d.mac = i.device WHERE i.ip = ?1"
            " AND (i.last_ts IS NULL OR i.last_ts >= ?2) AND (i.first_ts IS NULL OR"
            " i.first_ts <= ?3)";
        find_candidates(cx, sql, ips);
        if (!r->ncand && !cx->failed) {
            /* nobody had it in the window: any time, if only one device ever did */
            sqlite3_stmt *st = prep(cx, "SELECT i.device, d.hostname, i.ip, i.first_ts,"
                                        " i.last_ts FROM device_ips i LEFT JOIN devices d"
                                        " ON d.mac = i.device WHERE i.ip = ?1");
            if (!st)
                return TL_ERR_DB;
            sqlite3_bind_text(st, 1, ips, -1, SQLITE_STATIC);
            while (step(cx, st) == SQLITE_ROW)
                cand_add(r, col(st, 0), col(st, 1), col(st, 2), col_u64(st, 3),
                         col_u64(st, 4));
            sqlite3_finalize(st);
        }
        if (!r->ncand && !cx->failed) {
            /* no device known for it: the address alone, if it has flows */
            sqlite3_stmt *st = prep(cx, "SELECT EXISTS (SELECT 1 FROM flows WHERE src_ip = ?1)"
                                        " OR EXISTS (SELECT 1 FROM flows WHERE dst_ip = ?1)");
            if (!st)
                return TL_ERR_DB;
            sqlite3_bind_text(st, 1, ips, -1, SQLITE_STATIC);
            bool any = step(cx, st) == SQLITE_ROW && sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
            if (cx->failed)
                return TL_ERR_DB;
            if (!any)
                return TL_ERR_NOT_FOUND;
            r->spans = xcalloc(1, sizeof(*r->spans));
            snprintf(r->spans[0].ip, sizeof(r->spans[0].ip), "%s", ips);
            r->spans[0].first_ts = 0;
            r->spans[0].last_ts = (uint64_t)INT64_MAX;
            r->nspans = 1;
            return TL_OK;
        }
    } else {
        const char *name = strncmp(arg, "device:", 7) == 0 ? arg + 7 : arg;
        find_candidates(cx,
                        "SELECT n.device, d.hostname, (SELECT ip FROM device_ips WHERE device ="
                        " n.device ORDER BY last_ts DESC LIMIT 1), n.first_ts, n.last_ts"
                        " FROM device_names n LEFT JOIN devices d ON d.mac = n.device"
                        " WHERE n.name = ?1"
                        " UNION ALL SELECT mac, hostname, (SELECT ip FROM device_ips WHERE"
                        " device = mac ORDER BY last_ts DESC LIMIT 1), first_ts, last_ts"
                        " FROM devices WHERE hostname = ?1",
                        name);
    }
    if (cx->failed)
        return TL_ERR_DB;
    if (r->ncand == 0)
        return TL_ERR_NOT_FOUND;
    if (r->ncand > 1)
        return TL_ERR_AMBIGUOUS;
    char chosen[18];
    snprintf(chosen, sizeof(chosen), "%s", r->cand[0].mac);
    free(r->cand);
    r->cand = NULL;
    r->ncand = 0;
    load_device(cx, chosen);
    return cx->failed ? TL_ERR_DB : TL_OK;
}

/* ------------------------------------------------------------ reading */

static void read_events(struct tl_cx *cx, const struct evtab *t, int64_t run, int64_t flow,
                        size_t fi)
{
    sqlite3_stmt **sp = &cx->ev_st[t->kind];
    if (!*sp) {
        char sql[256];
        snprintf(sql, sizeof(sql),
                 "SELECT ts, src_ip, %s FROM %s WHERE flow_id = ?2 AND run_id = ?1"
                 " ORDER BY ts, id",
                 t->cols, t->app);
        *sp = prep(cx, sql);
        if (!*sp)
            return;
    }
    sqlite3_stmt *st = *sp;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, flow);
    struct tl_result *r = cx->r;
    int ncols = sqlite3_column_count(st);
    while (step(cx, st) == SQLITE_ROW) {
        const struct tl_entry *fl = &r->v[fi];
        uint64_t ts = col_u64(st, 0);
        struct tl_entry *e = entry_new(r, t->kind, ts);
        fl = &r->v[fi]; /* entry_new may have moved the array */
        e->inbound = fl->inbound;
        e->peer = fl->peer;
        e->port = fl->port;
        e->proto = fl->proto;
        e->app = fl->app;
        e->run_id = run;
        e->flow_id = flow;
        for (int i = 2; i < ncols && i - 2 < TL_NF; i++)
            e->f[i - 2] = ar_str(r, col(st, i));
        /* the flow's server name, for the flow line */
        const char *nm = (t->kind == TL_TLS || t->kind == TL_QUIC) ? e->f[0]
                         : t->kind == TL_HTTP                      ? e->f[1]
                                                                   : "";
        if (*nm && !*r->v[fi].name)
            r->v[fi].name = nm;
    }
}

/* The flows of one address in [t1, t2], one direction. */
static void read_flows(struct tl_cx *cx, const char *ip, uint64_t t1, uint64_t t2, bool inbound)
{
    sqlite3_stmt *st = prep(
        cx, inbound ? "SELECT run_id, flow_id, first_ts, last_ts, proto, src_ip, dst_port,"
                      " bytes_toserver, bytes_toclient, app_proto, conn_state FROM flows"
                      " WHERE dst_ip = ?1 AND first_ts BETWEEN ?2 AND ?3 AND src_ip != ?1"
                    : "SELECT run_id, flow_id, first_ts, last_ts, proto, dst_ip, dst_port,"
                      " bytes_toserver, bytes_toclient, app_proto, conn_state FROM flows"
                      " WHERE src_ip = ?1 AND first_ts BETWEEN ?2 AND ?3");
    if (!st)
        return;
    struct tl_result *r = cx->r;
    sqlite3_bind_text(st, 1, ip, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, i64(t1));
    sqlite3_bind_int64(st, 3, i64(t2));
    const char *ip_a = ar_str(r, ip);
    const char *last_peer = "", *last_app = "";
    while (step(cx, st) == SQLITE_ROW) {
        int64_t run = sqlite3_column_int64(st, 0), flow = sqlite3_column_int64(st, 1);
        if (flowset_add(&cx->seen, run, flow))
            continue;
        r->flows_read++;
        struct tl_entry *e = entry_new(r, TL_FLOW, col_u64(st, 2));
        e->last_ts = col_u64(st, 3);
        if (e->last_ts < e->ts)
            e->last_ts = e->ts;
        e->proto = (uint8_t)sqlite3_column_int(st, 4);
        /* consecutive rows share peers and protocols: reuse the copy */
        const char *peer = col(st, 5), *app = col(st, 9);
        if (strcmp(peer, last_peer) != 0)
            last_peer = ar_str(r, peer);
        if (strcmp(app, last_app) != 0)
            last_app = ar_str(r, app);
        e->peer = last_peer;
        e->app = last_app;
        e->port = (uint16_t)sqlite3_column_int(st, 6);
        uint64_t ts_b = col_u64(st, 7), tc_b = col_u64(st, 8);
        e->inbound = inbound;
        e->bytes_out = inbound ? tc_b : ts_b;
        e->bytes_in = inbound ? ts_b : tc_b;
        e->run_id = run;
        e->flow_id = flow;
        e->f[0] = ar_str(r, col(st, 10));
        e->f[1] = ip_a; /* the device's own address then */
        const struct evtab *t = evtab_for(e->app);
        if (t)
            read_events(cx, t, run, flow, r->n - 1);
    }
    sqlite3_finalize(st);
}

static void read_dhcp(struct tl_cx *cx)
{
    struct tl_result *r = cx->r;
    for (size_t m = 0; m < cx->nmacs && !cx->failed; m++) {
        sqlite3_stmt *st = prep(cx, "SELECT ts, dhcp_type, assigned_ip, requested_ip, hostname,"
                                    " vendor_class, run_id, flow_id, src_ip, dst_ip FROM dhcp"
                                    " WHERE client_mac = ?1 AND ts BETWEEN ?2 AND ?3");
        if (!st)
            return;
        sqlite3_bind_text(st, 1, cx->macs[m], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, i64(cx->t1));
        sqlite3_bind_int64(st, 3, i64(cx->t2));
        while (step(cx, st) == SQLITE_ROW) {
            struct tl_entry *e = entry_new(r, TL_DHCP, col_u64(st, 0));
            for (int i = 0; i < 5; i++)
                e->f[i] = ar_str(r, col(st, 1 + i));
            e->run_id = sqlite3_column_int64(st, 6);
            e->flow_id = sqlite3_column_int64(st, 7);
            e->peer = ar_str(r, col(st, 8));
            e->app = "dhcp";
            e->proto = 17;
            e->port = 67;
        }
        sqlite3_finalize(st);
    }
}

static void add_alert(struct tl_cx *cx, sqlite3_stmt *st)
{
    struct tl_result *r = cx->r;
    struct alert a;
    char category[64], title[512];
    snprintf(category, sizeof(category), "%s", col(st, 4));
    alert_init(&a, category, (enum alert_severity)sqlite3_column_int(st, 5), col_u64(st, 1));
    a.last_ts_us = col_u64(st, 2);
    a.count = (uint32_t)MIN(col_u64(st, 3), UINT32_MAX);
    a.has_src = ip_addr_parse(col(st, 6), &a.src) == 0;
    a.sport = (uint16_t)sqlite3_column_int(st, 7);
    a.has_dst = ip_addr_parse(col(st, 8), &a.dst) == 0;
    a.dport = (uint16_t)sqlite3_column_int(st, 9);
    a.proto = (uint8_t)sqlite3_column_int(st, 10);
    a.has_mac = mac_parse(col(st, 11), a.mac) == 0;
    snprintf(a.device, sizeof(a.device), "%s", col(st, 12));
    json_t *facts = json_loads(col(st, 13), 0, NULL);
    if (json_is_object(facts)) {
        json_decref(a.facts);
        a.facts = facts;
    } else {
        json_decref(facts);
    }
    explain_render(&a, EXPLAIN_TITLE, ui_lang, title, sizeof(title));
    struct tl_entry *e = entry_new(r, TL_ALERT, a.ts_us);
    e->last_ts = a.last_ts_us > a.ts_us ? a.last_ts_us : a.ts_us;
    e->n = a.count ? a.count : 1;
    e->severity = a.severity;
    e->alert_id = sqlite3_column_int64(st, 0);
    e->f[0] = ar_str(r, category);
    e->f[1] = ar_str(r, title);
    e->f[2] = ar_str(r, alert_severity_name((enum alert_severity)a.severity));
    e->f[3] = ar_str(r, col(st, 8));
    e->f[4] = ar_str(r, col(st, 6));
    e->peer = e->f[3];
    e->port = a.dport;
    e->proto = a.proto;
    alert_release(&a);
}

#define ALERT_COLS                                                                            \
    "SELECT id, first_ts, last_ts, count, category, severity, src_ip, src_port, dest_ip,"    \
    " dest_port, proto, device, device_name, facts FROM alerts"

static void read_alerts(struct tl_cx *cx)
{
    struct tl_result *r = cx->r;
    if (r->mac[0]) {
        sqlite3_stmt *st = prep(cx, ALERT_COLS " WHERE device = ?1 AND first_ts <= ?3"
                                               " AND last_ts >= ?2");
        if (!st)
            return;
        sqlite3_bind_text(st, 1, r->mac, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, i64(cx->t1));
        sqlite3_bind_int64(st, 3, i64(cx->t2));
        while (step(cx, st) == SQLITE_ROW)
            add_alert(cx, st);
        sqlite3_finalize(st);
    }
    /* alerts about its addresses, raised while it had them, not tied to it */
    for (size_t i = 0; i < r->nspans && !cx->failed; i++) {
        const struct tl_span *s = &r->spans[i];
        uint64_t a = s->first_ts > cx->t1 ? s->first_ts : cx->t1;
        uint64_t b = s->last_ts < cx->t2 ? s->last_ts : cx->t2;
        if (a > b)
            continue;
        sqlite3_stmt *st = prep(cx, ALERT_COLS " WHERE (src_ip = ?1 OR dest_ip = ?1)"
                                               " AND first_ts BETWEEN ?2 AND ?3"
                                               " AND (device IS NULL OR device != ?4)");
        if (!st)
            return;
        sqlite3_bind_text(st, 1, s->ip, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, i64(a));
        sqlite3_bind_int64(st, 3, i64(b));
        sqlite3_bind_text(st, 4, r->mac, -1, SQLITE_STATIC);
        while (step(cx, st) == SQLITE_ROW)
            add_alert(cx, st);
        sqlite3_finalize(st);
    }
}

static void read_identity(struct tl_cx *cx)
{
    struct tl_result *r = cx->r;
    for (size_t i = 0; i < r->nspans; i++) {
        const struct tl_span *s = &r->spans[i];
        if (!r->mac[0])
            break; /* an address without a device: no history to show */
        if (s->first_ts >= cx->t1 && s->first_ts <= cx->t2) {
            struct tl_entry *e = entry_new(r, TL_IP, s->first_ts);
            e->f[0] = ar_str(r, s->ip);
            e->f[1] = "start";
        }
        /* the end of an address matters when the device moved on to another */
        bool later = false;
        for (size_t j = 0; j < r->nspans; j++)
            later |= r->spans[j].first_ts > s->first_ts && r->spans[j].last_ts > s->last_ts;
        if ((later || cx->q->all) && s->last_ts >= cx->t1 && s->last_ts <= cx->t2 &&
            s->last_ts != (uint64_t)INT64_MAX) {
            struct tl_entry *e = entry_new(r, TL_IP, s->last_ts);
            e->f[0] = ar_str(r, s->ip);
            e->f[1] = "end";
        }
    }
    if (!r->mac[0])
        return;
    sqlite3_stmt *st = prep(cx, "SELECT name, source, first_ts FROM device_names"
                                " WHERE device = ?1 AND first_ts BETWEEN ?2 AND ?3");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, r->mac, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, i64(cx->t1));
    sqlite3_bind_int64(st, 3, i64(cx->t2));
    while (step(cx, st) == SQLITE_ROW) {
        struct tl_entry *e = entry_new(r, TL_NAME, col_u64(st, 2));
        e->f[0] = ar_str(r, col(st, 0));
        e->f[1] = ar_str(r, col(st, 1));
    }
    sqlite3_finalize(st);
}

/* ------------------------------------------------------------ merging */

static int kind_rank(enum tl_kind k)
{
    switch (k) {
    case TL_IP: return 0;
    case TL_NAME: return 1;
    case TL_DHCP: return 2;
    case TL_DNS: return 3;
    case TL_FLOW: return 4;
    case TL_ALERT: return 9;
    default: return 5;
    }
}

static int entry_cmp(const void *pa, const void *pb)
{
    const struct tl_entry *a = pa, *b = pb;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    int ra = kind_rank(a->kind), rb = kind_rank(b->kind);
    if (ra != rb)
        return ra - rb;
    if (a->run_id != b->run_id)
        return a->run_id < b->run_id ? -1 : 1;
    if (a->flow_id != b->flow_id)
        return a->flow_id < b->flow_id ? -1 : 1;
    return a->alert_id < b->alert_id ? -1 : a->alert_id > b->alert_id;
}

/* String -> value map (open addressing): names by address, groups by key.
 * Values are arena string pointers or indexes + 1; 0 means absent. */
struct smap {
    const char **key;
    uintptr_t *val;
    size_t n, cap;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The slot for k (key copied into the arena when new, value 0). */
static uintptr_t *smap_slot(struct smap *m, struct tl_result *r, const char *k)
{
    if (m->n * 2 >= m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 1024;
        const char **nk = xcalloc(ncap, sizeof(*nk));
        uintptr_t *nv = xcalloc(ncap, sizeof(*nv));
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->key[i])
                continue;
            size_t j = (size_t)hash_str(m->key[i]) & (ncap - 1);
            while (nk[j])
                j = (j + 1) & (ncap - 1);
            nk[j] = m->key[i];
            nv[j] = m->val[i];
        }
        free(m->key);
        free(m->val);
        m->key = nk;
        m->val = nv;
        m->cap = ncap;
    }
    size_t j = (size_t)hash_str(k) & (m->cap - 1);
    while (m->key[j]) {
        if (strcmp(m->key[j], k) == 0)
            return &m->val[j];
        j = (j + 1) & (m->cap - 1);
    }
    m->key[j] = ar_str(r, k);
    m->val[j] = 0;
    m->n++;
    return &m->val[j];
}

static void smap_free(struct smap *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof(*m));
}

/* Remembers the name a DNS answer gave for each address it listed (the
 * latest answer wins, as the device's resolver cache would have it). */
static void learn_answers(struct smap *names, struct tl_result *r, const struct tl_entry *e)
{
    const char *p = e->f[3];
    if (!*e->f[0] || !*p)
        return;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        char ip[64];
        if (len > 0 && len < sizeof(ip)) {
            memcpy(ip, p, len);
            ip[len] = '\0';
            struct ip_addr a;
            if (ip_addr_parse(ip, &a) == 0) /* CNAME targets are not addresses */
                *smap_slot(names, r, ip) = (uintptr_t)e->f[0];
        }
        p += len;
        if (*p == ',')
            p++;
    }
}

/* In the compact view, which rows stay as lines of their own. */
static bool compact_keeps(const struct tl_entry *e)
{
    switch (e->kind) {
    case TL_TLS:
    case TL_QUIC: return false; /* their names are on the flow line */
    case TL_SMB:   /* negotiation is noise; logins, shares and files are not */
        return strstr(e->f[0], "NEGOTIATE") == NULL && strstr(e->f[0], "ECHO") == NULL &&
               strstr(e->f[0], "LOGOFF") == NULL && strstr(e->f[0], "CLOSE") == NULL;
    case TL_DHCP:
        return strcmp(e->f[0], "ack") == 0 || strcmp(e->f[0], "nak") == 0 ||
               strcmp(e->f[0], "release") == 0 || strcmp(e->f[0], "decline") == 0 ||
               strcmp(e->f[0], "inform") == 0;
    case TL_FLOW: /* a DNS or DHCP flow is shown by its lookups / messages */
        return strcmp(e->app, "dns") != 0 && strcmp(e->app, "dhcp") != 0;
    default: return true;
    }
}

/* The key that repeats of one thing within a minute share, "" if never
 * grouped. */
static void group_key(char *buf, size_t len, const struct tl_entry *e)
{
    switch (e->kind) {
    case TL_FLOW:
        snprintf(buf, len, "f|%d|%s|%u|%u|%s", e->inbound, *e->name ? e->name : e->peer,
                 e->port, e->proto, e->app);
        break;
    case TL_DNS:
        snprintf(buf, len, "d|%s|%s", e->f[0], e->f[1]);
        break;
    case TL_HTTP:
        snprintf(buf, len, "h|%d|%s|%s", e->inbound, e->f[1], e->peer);
        break;
    case TL_SMB:
        snprintf(buf, len, "s|%d|%s|%s|%s|%s|%s", e->inbound, e->peer, e->f[0], e->f[1],
                 e->f[2], e->f[3]);
        break;
    default: buf[0] = '\0';
    }
}

/* Compact view: folds each DNS answer into its query, hides what the flow
 * lines already say, names flows from the device's own DNS answers, and
 * groups repeats. r->v is sorted. */
static void compact(struct tl_result *r)
{
    struct smap names = {0}, groups = {0};
    size_t w = 0;
    char key[1200];
    for (size_t i = 0; i < r->n; i++) {
        struct tl_entry e = r->v[i];
        bool answer = false;
        if (e.kind == TL_DNS) {
            answer = strcmp(e.f[4], "answer") == 0;
            if (answer)
                learn_answers(&names, r, &e);
            if (answer) {
                /* fold into the query of the same flow, if it is shown */
                bool folded = false;
                for (size_t j = w; j-- > 0 && r->v[j].ts + GROUP_US >= e.ts;) {
                    struct tl_entry *q = &r->v[j];
                    if (q->kind == TL_DNS && q->run_id == e.run_id &&
                        strcasecmp(q->f[0], e.f[0]) == 0 &&
                        (q->flow_id == e.flow_id || q->n > 1)) {
                        if (!*q->f[2]) {
                            q->f[2] = e.f[2];
                            q->f[3] = e.f[3];
                        }
                        q->last_ts = e.ts > q->last_ts ? e.ts : q->last_ts;
                        folded = true;
                        break;
                    }
                }
                if (folded)
                    continue;
            }
            e.f[4] = "";
        }
        if (!compact_keeps(&e))
            continue;
        if (e.kind == TL_FLOW && !*e.name) {
            uintptr_t *slot = smap_slot(&names, r, e.peer);
            if (*slot)
                e.name = (const char *)*slot;
        }
        group_key(key, sizeof(key), &e);
        if (key[0]) {
            uintptr_t *slot = smap_slot(&groups, r, key);
            /* joins while each repeat starts within a minute of the group's last
             * activity, for at most GROUP_MAX_US, so a line still says when */
            if (*slot && *slot <= w && r->v[*slot - 1].last_ts + GROUP_US > e.ts &&
                r->v[*slot - 1].ts + GROUP_MAX_US > e.ts) {
                struct tl_entry *g = &r->v[*slot - 1];
                if (answer) { /* an answer whose query is in this group: not a lookup */
                    if (!*g->f[3]) {
                        g->f[2] = e.f[2];
                        g->f[3] = e.f[3];
                    }
                    continue;
                }
                g->n += e.n;
                g->bytes_out += e.bytes_out;
                g->bytes_in += e.bytes_in;
                if (e.last_ts > g->last_ts)
                    g->last_ts = e.last_ts;
                if (strcmp(g->peer, e.peer) != 0)
                    g->f[7] = "*"; /* several addresses under one name */
                continue;
            }
            *slot = w + 1;
        }
        r->v[w++] = e;
    }
    r->n = w;
    smap_free(&names);
    smap_free(&groups);
}

/* Names the flows to and from other devices of the network ("from PC-17"):
 * the device that had the peer's address at the flow's time (device_ips,
 * read once per distinct address). */
struct holder {
    const char *name;
    uint64_t first, last;
};

static void name_local_peers(struct tl_cx *cx)
{
    struct tl_result *r = cx->r;
    struct smap seen = {0};
    struct holder *h = NULL; /* every holder of every peer, by peer in runs */
    size_t nh = 0, caph = 0;
    size_t *start = NULL, *count = NULL, npeers = 0; /* per peer: its run in h */
    sqlite3_stmt *st = prep(cx, "SELECT d.hostname, i.first_ts, i.last_ts FROM device_ips i"
                                " JOIN devices d ON d.mac = i.device WHERE i.ip = ?1"
                                " AND d.hostname IS NOT NULL AND d.hostname != ''");
    if (!st)
        return;
    for (size_t i = 0; i < r->n && !cx->failed; i++) {
        struct tl_entry *e = &r->v[i];
        if (e->kind != TL_FLOW || *e->name || !*e->peer)
            continue;
        uintptr_t *slot = smap_slot(&seen, r, e->peer);
        if (!*slot) {
            start = xrealloc(start, (npeers + 1) * sizeof(*start));
            count = xrealloc(count, (npeers + 1) * sizeof(*count));
            start[npeers] = nh;
            count[npeers] = 0;
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, e->peer, -1, SQLITE_STATIC);
            while (step(cx, st) == SQLITE_ROW) {
                if (nh == caph) {
                    caph = caph ? 2 * caph : 64;
                    h = xrealloc(h, caph * sizeof(*h));
                }
                h[nh].name = ar_str(r, col(st, 0));
                h[nh].first = col_u64(st, 1);
                h[nh].last = sqlite3_column_type(st, 2) == SQLITE_NULL ? (uint64_t)INT64_MAX
                                                                        : col_u64(st, 2);
                nh++;
                count[npeers]++;
            }
            *slot = ++npeers;
        }
        size_t p = *slot - 1;
        for (size_t k = start[p]; k < start[p] + count[p]; k++)
            if (e->ts >= h[k].first && e->ts <= h[k].last) {
                e->name = h[k].name;
                break;
            }
    }
    sqlite3_finalize(st);
    free(h);
    free(start);
    free(count);
    smap_free(&seen);
}

static void finish_stmts(struct tl_cx *cx)
{
    for (size_t i = 0; i < ARRAY_SIZE(cx->ev_st); i++) {
        sqlite3_finalize(cx->ev_st[i]);
        cx->ev_st[i] = NULL;
    }
}

static bool store_empty(struct tl_cx *cx)
{
    sqlite3_stmt *st = prep(cx, "SELECT EXISTS (SELECT 1 FROM flows)"
                                " OR EXISTS (SELECT 1 FROM devices)");
    if (!st)
        return false;
    bool empty = step(cx, st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    return empty;
}

enum tl_err timeline_run(sqlite3 *db, const struct tl_query *q, struct tl_result *r)
{
    uint64_t t0 = mono_ms();
    memset(r, 0, sizeof(*r));
    r->since_us = q->since_us;
    r->until_us = q->until_us;
    struct tl_cx cx = {.db = db, .q = q, .r = r, .t1 = q->since_us,
                       .t2 = q->until_us ? q->until_us : (uint64_t)INT64_MAX};
    if (store_empty(&cx))
        return TL_ERR_EMPTY;
    if (cx.failed)
        return TL_ERR_DB;
    enum tl_err rc = resolve(&cx);
    if (rc != TL_OK)
        return rc;
    read_identity(&cx);
    for (size_t i = 0; i < r->nspans && !cx.failed; i++) {
        const struct tl_span *s = &r->spans[i];
        uint64_t a = s->first_ts > cx.t1 ? s->first_ts : cx.t1;
        uint64_t b = s->last_ts < cx.t2 ? s->last_ts : cx.t2;
        if (a > b)
            continue;
        read_flows(&cx, s->ip, a, b, false);
        if (!cx.failed)
            read_flows(&cx, s->ip, a, b, true);
    }
    finish_stmts(&cx);
    if (!cx.failed && r->mac[0])
        read_dhcp(&cx);
    if (!cx.failed)
        read_alerts(&cx);
    if (!cx.failed)
        name_local_peers(&cx);
    flowset_free(&cx.seen);
    if (cx.failed)
        return TL_ERR_DB;
    if (r->n)
        qsort(r->v, r->n, sizeof(*r->v), entry_cmp);
    if (!q->all)
        compact(r);
    r->elapsed_ms = mono_ms() - t0;
    return TL_OK;
}

void timeline_result_free(struct tl_result *r)
{
    struct tl_arena *a = r->arena;
    while (a) {
        struct tl_arena *n = a->next;
        free(a);
        a = n;
    }
    free(r->spans);
    free(r->cand);
    free(r->v);
    memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------ output */

static void fmt_time(char *buf, size_t len, uint64_t us)
{
    char t[40];
    fmt_ts_eve(t, sizeof(t), us); /* 2026-10-20T01:12:03.123456+0000 */
    snprintf(buf, len, "%.26sZ", t);
}

/* 3.4 MB, 120 kB, 900 B (decimal units, like the report). */
static void fmt_bytes(char *buf, size_t len, uint64_t b)
{
    if (b >= 1000000000ull)
        snprintf(buf, len, "%.1f GB", (double)b / 1e9);
    else if (b >= 1000000ull)
        snprintf(buf, len, "%.1f MB", (double)b / 1e6);
    else if (b >= 1000ull)
        snprintf(buf, len, "%.0f kB", (double)b / 1e3);
    else
        snprintf(buf, len, "%llu B", (unsigned long long)b);
}

static const char *sev_text(int sev)
{
    static const char *const ja[] = {"情報", "低", "中", "高", "緊急"};
    if (sev < 0 || sev >= SEV_MAX)
        sev = 0;
    return ui_lang == LANG_JA ? ja[sev] : alert_severity_name((enum alert_severity)sev);
}

/* "smb", "tcp/8080" */
static void proto_label(char *buf, size_t len, const struct tl_entry *e)
{
    if (*e->app)
        snprintf(buf, len, "%u/%s", e->port, e->app);
    else if (e->proto == 6 || e->proto == 17)
        snprintf(buf, len, "%u/%s", e->port, e->proto == 6 ? "tcp" : "udp");
    else if (e->proto == 1 || e->proto == 58)
        snprintf(buf, len, "icmp");
    else
        snprintf(buf, len, "ip/%u", e->proto);
}

static void print_flow(FILE *f, const struct tl_entry *e)
{
    char pl[48], tot[32], out[32], who[400];
    proto_label(pl, sizeof(pl), e);
    fmt_bytes(tot, sizeof(tot), e->bytes_out + e->bytes_in);
    fmt_bytes(out, sizeof(out), e->bytes_out);
    if (*e->name && *e->f[7])
        snprintf(who, sizeof(who), "%s", e->name);
    else if (*e->name)
        snprintf(who, sizeof(who), "%s [%s]", e->name, e->peer);
    else
        snprintf(who, sizeof(who), "%s", e->peer);
    if (ui_lang == LANG_JA) {
        if (e->n > 1)
            fprintf(f, "%s %s %s（%s）%u 回、%s（送信 %s）", e->inbound ? "←" : "→", who,
                    e->inbound ? "からの接続" : "への接続", pl, e->n, tot, out);
        else
            fprintf(f, "%s %s %s（%s）、%s（送信 %s）", e->inbound ? "←" : "→", who,
                    e->inbound ? "からの接続" : "への接続", pl, tot, out);
    } else {
        fprintf(f, "%s %u connection%s %s %s (%s), %s (%s sent)", e->inbound ? "<-" : "->",
                e->n, e->n == 1 ? "" : "s", e->inbound ? "from" : "to", who, pl, tot, out);
    }
    if (*e->f[0] && e->n == 1 && strcmp(e->f[0], "SF") != 0)
        fprintf(f, " [%s]", e->f[0]);
}

static const char *yes_no(const char *v)
{
    if (strcmp(v, "1") == 0)
        return TR("ok", "成功");
    if (strcmp(v, "0") == 0)
        return TR("failed", "失敗");
    return "";
}

static void print_body(FILE *f, const struct tl_entry *e)
{
    const char *const *v = e->f;
    switch (e->kind) {
    case TL_IP:
        if (strcmp(v[1], "start") == 0)
            fprintf(f, TR("address %s in use", "アドレス %s を使い始めました"), v[0]);
        else
            fprintf(f, TR("address %s last seen", "アドレス %s の最後の通信"), v[0]);
        break;
    case TL_NAME:
        fprintf(f, TR("name %s (from %s)", "%s（%s による）"), v[0], v[1]);
        break;
    case TL_ALERT:
        fprintf(f, "[%s] %s", sev_text(e->severity), v[1]);
        if (e->n > 1)
            fprintf(f, TR(" (x%u)", "（%u 回）"), e->n);
        fprintf(f, "  #%lld %s", (long long)e->alert_id, v[0]);
        break;
    case TL_DHCP:
        fprintf(f, "%s", v[0]);
        if (*v[1])
            fprintf(f, TR(": got %s", ": %s を割り当て"), v[1]);
        else if (*v[2])
            fprintf(f, TR(": asks for %s", ": %s を要求"), v[2]);
        if (*v[3])
            fprintf(f, TR(" (host name %s)", "（ホスト名 %s）"), v[3]);
        if (*v[4])
            fprintf(f, " [%s]", v[4]);
        break;
    case TL_FLOW: print_flow(f, e); break;
    case TL_DNS:
        fprintf(f, "%s %s", v[0], v[1]);
        if (*v[4])
            fprintf(f, " %s", v[4]);
        if (*v[3])
            fprintf(f, " -> %s", v[3]);
        else if (*v[2] && strcmp(v[2], "NOERROR") != 0)
            fprintf(f, " -> %s", v[2]);
        if (e->n > 1)
            fprintf(f, TR(" (x%u)", "（%u 回）"), e->n);
        break;
    case TL_TLS:
    case TL_QUIC:
        fprintf(f, "%s %s %s", *v[0] ? v[0] : e->peer, v[1], *v[2] ? v[2] : "");
        if (*v[3])
            fprintf(f, " %s", v[3]);
        break;
    case TL_HTTP:
        fprintf(f, "%s %s%s", v[0], *v[1] ? v[1] : e->peer, v[2]);
        if (*v[3])
            fprintf(f, " -> %s", v[3]);
        if (e->n > 1)
            fprintf(f, TR(" (and %u more requests)", "（ほか %u 件）"), e->n - 1);
        break;
    case TL_SMB:
        fprintf(f, "%s %s %s", e->inbound ? "<-" : "->", e->peer, v[0]);
        if (*v[3])
            fprintf(f, " %s%s%s", *v[4] ? v[4] : "", *v[4] ? "\\" : "", v[3]);
        if (*v[1])
            fprintf(f, " %s", v[1]);
        if (*v[2])
            fprintf(f, " %s", v[2]);
        if (*v[5] && strcmp(v[5], "STATUS_SUCCESS") != 0)
            fprintf(f, " [%s]", v[5]);
        if (e->n > 1)
            fprintf(f, TR(" (x%u)", "（%u 回）"), e->n);
        break;
    case TL_SSH:
        fprintf(f, "%s %s %s / %s", e->inbound ? "<-" : "->", e->peer, v[0], v[1]);
        break;
    case TL_RDP:
        fprintf(f, "%s %s %s %s %s", e->inbound ? "<-" : "->", e->peer, v[0], v[1], v[2]);
        break;
    case TL_FTP:
        fprintf(f, "%s %s %s %s", e->inbound ? "<-" : "->", e->peer, v[0], v[1]);
        if (*v[2])
            fprintf(f, TR(" user %s %s", " ユーザー %s %s"), v[2], yes_no(v[3]));
        break;
    case TL_SMTP:
        fprintf(f, "%s %s", e->inbound ? "<-" : "->", e->peer);
        if (*v[2])
            fprintf(f, TR(" login %s %s", " ログイン %s %s"), v[2], yes_no(v[3]));
        if (*v[0])
            fprintf(f, TR(" mail from %s to %s recipients", " 差出人 %s、宛先 %s 件"), v[0],
                    *v[1] ? v[1] : "?");
        if (*v[4])
            fprintf(f, " \"%s\"", v[4]);
        break;
    case TL_POP3:
    case TL_IMAP:
    case TL_TELNET:
        fprintf(f, "%s %s", e->inbound ? "<-" : "->", e->peer);
        if (*v[2])
            fprintf(f, TR(" login %s %s", " ログイン %s %s"), v[2], yes_no(v[3]));
        if (strcmp(v[5], "1") == 0)
            fprintf(f, "%s", TR(" (password sent in clear)", "（パスワードを暗号化せず送信）"));
        break;
    default: break;
    }
}

static const char *label(const struct tl_entry *e)
{
    switch (e->kind) {
    case TL_IP: return "IP";
    case TL_NAME: return TR("NAME", "名前");
    case TL_ALERT: return TR("ALERT", "警告");
    case TL_FLOW: return TR("CONN", "接続");
    default: {
        static char up[TL_KIND_MAX][8];
        const char *n = tl_kind_name(e->kind);
        char *u = up[e->kind];
        size_t i = 0;
        for (; n[i] && i < sizeof(up[0]) - 1; i++)
            u[i] = (char)toupper((unsigned char)n[i]);
        u[i] = '\0';
        return u;
    }
    }
}

/* Terminal cells a UTF-8 label takes (CJK: two each). */
static int cells(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xc0) == 0x80)
            continue;
        n += *p >= 0xe0 ? 2 : 1;
    }
    return n;
}

void timeline_print_text(FILE *f, const struct tl_result *r, bool color)
{
    char a[48], b[48];
    if (r->mac[0]) {
        fprintf(f, TR("Timeline of %s (%s", "%s（%s"), r->name[0] ? r->name : r->mac, r->mac);
        if (r->vendor[0])
            fprintf(f, ", %s", r->vendor);
        if (r->type[0])
            fprintf(f, ", %s", r->type);
        if (r->os[0])
            fprintf(f, ", %s", r->os);
        fprintf(f, "%s\n", TR(")", "）のタイムライン"));
    } else {
        fprintf(f, TR("Timeline of address %s (no device known for it)\n",
                      "アドレス %s のタイムライン（対応する機器は不明です）\n"),
                r->nspans ? r->spans[0].ip : "?");
    }
    if (r->mac[0]) {
        fprintf(f, "%s", TR("Addresses:", "アドレス:"));
        for (size_t i = 0; i < r->nspans; i++) {
            fmt_iso_local(a, sizeof(a), r->spans[i].first_ts);
            fmt_iso_local(b, sizeof(b), r->spans[i].last_ts);
            fprintf(f, "%s %s (%.10s %.5s - %.10s %.5s)", i ? "," : "", r->spans[i].ip, a,
                    a + 11, b, b + 11);
        }
        fprintf(f, "%s\n", r->nspans ? "" : TR(" none recorded", " 記録なし"));
    }
    char zone[24];
    fmt_zone_local(zone, sizeof(zone), r->n ? r->v[0].ts : 0);
    fprintf(f, TR("Times are %s. %zu flows read, %zu lines%s.\n",
                  "時刻は %s です。フロー %zu 件を読み、%zu 行にまとめました%s。\n"),
            zone, r->flows_read, r->n, "");
    char day[11] = "";
    for (size_t i = 0; i < r->n; i++) {
        const struct tl_entry *e = &r->v[i];
        char t[48];
        fmt_iso_local(t, sizeof(t), e->ts);
        if (strncmp(day, t, 10) != 0) {
            snprintf(day, sizeof(day), "%.10s", t);
            fprintf(f, "\n%s\n", day);
        }
        bool hl = e->kind == TL_ALERT;
        const char *lb = label(e);
        char until[16] = "";
        if (e->n > 1 && e->last_ts >= e->ts + 1000000) {
            char t2[48];
            fmt_iso_local(t2, sizeof(t2), e->last_ts);
            snprintf(until, sizeof(until), "-%.8s", t2 + 11);
        }
        fprintf(f, "  %.8s%-9s  %s%s%s%*s ", t + 11, until, hl && color ? "\033[1;31m" : "",
                hl ? "!! " : "", lb, 6 - cells(lb) - (hl ? 3 : 0) > 0 ? 6 - cells(lb) - (hl ? 3 : 0) : 0,
                "");
        print_body(f, e);
        fprintf(f, "%s\n", hl && color ? "\033[0m" : "");
    }
    if (r->n == 0)
        fprintf(f, "%s\n", TR("Nothing recorded for this device in this period.",
                              "この期間、この機器の記録はありません。"));
}

/* JSON keys of f[] per kind (NULL: not printed). */
static const char *const json_keys[TL_KIND_MAX][TL_NF] = {
    [TL_IP] = {"ip", "event"},
    [TL_NAME] = {"name", "source"},
    [TL_ALERT] = {"category", "title", "severity", "dest_ip", "src_ip"},
    [TL_DHCP] = {"dhcp_type", "assigned_ip", "requested_ip", "hostname", "vendor_class"},
    [TL_FLOW] = {"conn_state", "local_ip"},
    [TL_DNS] = {"rrname", "rrtype", "rcode", "answers", "type"},
    [TL_TLS] = {"sni", "version", "ja3", "ja4"},
    [TL_QUIC] = {"sni", "version"},
    [TL_HTTP] = {"http_method", "hostname", "url", "status", "http_user_agent"},
    [TL_SMB] = {"command", "share", "filename", "ntlm_user", "ntlm_domain", "status"},
    [TL_SSH] = {"client_software", "server_software"},
    [TL_RDP] = {"event_type", "cookie", "client_name"},
    [TL_FTP] = {"command", "command_data", "user", "login_success"},
    [TL_SMTP] = {"mail_from", "rcpt_count", "user", "login_success", "subject"},
    [TL_POP3] = {NULL, NULL, "user", "login_success", NULL, "password_sent_in_clear"},
    [TL_IMAP] = {NULL, NULL, "user", "login_success", NULL, "password_sent_in_clear"},
    [TL_TELNET] = {NULL, NULL, "user", "login_success", NULL, "password_sent_in_clear"},
};

static void json_set_str(json_t *o, const char *k, const char *v)
{
    if (v && *v)
        json_object_set_new(o, k, json_string(v));
}

void timeline_print_json(FILE *f, const struct tl_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct tl_entry *e = &r->v[i];
        char t[48];
        json_t *o = json_object();
        fmt_time(t, sizeof(t), e->ts);
        json_object_set_new(o, "time", json_string(t));
        json_object_set_new(o, "kind", json_string(tl_kind_name(e->kind)));
        if (e->last_ts > e->ts) {
            fmt_time(t, sizeof(t), e->last_ts);
            json_object_set_new(o, "last_time", json_string(t));
        }
        if (r->mac[0])
            json_object_set_new(o, "device", json_string(r->mac));
        if (e->kind >= TL_FLOW) {
            json_object_set_new(o, "direction", json_string(e->inbound ? "in" : "out"));
            json_set_str(o, "peer", e->peer);
            json_set_str(o, "name", e->name);
            if (e->port)
                json_object_set_new(o, "port", json_integer(e->port));
            if (e->proto)
                json_object_set_new(o, "proto", json_integer(e->proto));
            json_set_str(o, "app_proto", e->app);
        }
        if (e->kind == TL_FLOW) {
            json_object_set_new(o, "count", json_integer(e->n));
            json_object_set_new(o, "bytes_out", json_integer((json_int_t)e->bytes_out));
            json_object_set_new(o, "bytes_in", json_integer((json_int_t)e->bytes_in));
            if (*e->f[7])
                json_object_set_new(o, "several_addresses", json_true());
        } else if (e->n > 1 || e->kind == TL_ALERT) {
            json_object_set_new(o, "count", json_integer(e->n));
        }
        for (int k = 0; k < TL_NF; k++) {
            const char *key = json_keys[e->kind][k];
            if (!key || !*e->f[k])
                continue;
            if (e->kind == TL_DNS && k == 3) {
                json_t *arr = json_array();
                const char *p = e->f[3];
                while (*p) {
                    const char *c = strchr(p, ',');
                    size_t len = c ? (size_t)(c - p) : strlen(p);
                    json_array_append_new(arr, json_stringn(p, len));
                    p += len;
                    if (*p == ',')
                        p++;
                }
                json_object_set_new(o, key, arr);
            } else {
                json_object_set_new(o, key, json_string(e->f[k]));
            }
        }
        if (e->kind == TL_ALERT)
            json_object_set_new(o, "alert_id", json_integer(e->alert_id));
        else if (e->flow_id && (e->n == 1 || e->kind != TL_FLOW)) {
            json_object_set_new(o, "run_id", json_integer(e->run_id));
            json_object_set_new(o, "flow_id", json_integer(e->flow_id));
        } else if (e->flow_id) { /* a group: its first flow */
            json_object_set_new(o, "first_run_id", json_integer(e->run_id));
            json_object_set_new(o, "first_flow_id", json_integer(e->flow_id));
        }
        char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (line) {
            fputs(line, f);
            fputc('\n', f);
            free(line);
        }
    }
}
