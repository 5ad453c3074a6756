/* report-data.c - the numbers of the monthly report, read from the store
 * with SQL aggregates: traffic and devices per day, probes from the Internet
 * by country, the outside services used most, and what the sensor saw
 * (coverage and gaps).
 *
 * A busy office writes millions of flows a month, so every pass over
 * `flows` is one range scan on flows_first_ts that SQLite aggregates itself
 * (GROUP BY day); C only sees the grouped rows. The address test the
 * in/out split needs is a small SQL function (report_ip_local).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report-internal.h"
#include "util/geoip.h"
#include "util/netaddr.h"
#include "util/util.h"

#define HOUR_US 3600000000ull

const struct netset *report_home_extra(const struct report_opts *o)
{
    static struct netset def;
    static bool parsed;
    char err[64];
    if (!parsed && netset_parse(&def, NETSET_DEFAULT_HOME, err, sizeof(err)) == 0)
        parsed = true;
    if (!o->home || !o->home->n)
        return NULL;
    if (parsed && o->home->n == def.n && memcmp(o->home->bits, def.bits, def.n) == 0 &&
        memcmp(o->home->net, def.net, def.n * sizeof(def.net[0])) == 0)
        return NULL;
    return o->home;
}

static int ip_in(const struct netset *ns, const char *ip)
{
    struct ip_addr a;
    return ns && ip_addr_parse(ip, &a) == 0 && netset_contains(ns, &a);
}

/* Runs for every flow of the period (twice), so it reads the text form
 * directly instead of converting it: only the first octets/hextet matter.
 * Only a site whose net.home goes beyond the private ranges (extra) pays for
 * parsing the address. */
int report_ip_local(const struct netset *extra, const char *ip)
{
    if (!ip || !*ip)
        return 0;
    if (strchr(ip, ':')) {
        if (strcmp(ip, "::1") == 0)
            return 1;
        size_t n = strcspn(ip, ":");
        if (n != 4)
            return ip_in(extra, ip); /* a shorter first hextet: global */
        char c0 = (char)(ip[0] | 0x20), c1 = (char)(ip[1] | 0x20), c2 = (char)(ip[2] | 0x20);
        if (c0 == 'f' && (c1 == 'c' || c1 == 'd'))
            return 1; /* fc00::/7 unique local */
        if (c0 == 'f' && c1 == 'e' && (c2 == '8' || c2 == '9' || c2 == 'a' || c2 == 'b'))
            return 1; /* fe80::/10 link-local */
        return (c0 == 'f' && c1 == 'f') || ip_in(extra, ip); /* multicast */
    }
    unsigned o[2] = {0, 0};
    const char *p = ip;
    for (int i = 0; i < 2; i++) {
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9' && o[i] < 1000)
            o[i] = o[i] * 10 + (unsigned)(*p++ - '0');
        if (*p++ != '.' || o[i] > 255)
            return 0;
    }
    unsigned a = o[0], b = o[1];
    return a == 10 || a == 127 || a == 0 || (a == 172 && b >= 16 && b <= 31) ||
           (a == 192 && b == 168) || (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127) ||
           (a >= 224 && a <= 239) || strcmp(ip, "255.255.255.255") == 0 || ip_in(extra, ip);
}

/* What one pass over the flows accumulates in C: the in/out split needs an
 * address test per flow, and the probes from the Internet their sources;
 * doing both in one aggregate call per row saves a second pass. */
struct traffic_acc {
    double in, out;    /* of the day being aggregated */
    json_t *probes;    /* source address -> unanswered connections to the office */
    const struct netset *home; /* report_home_extra */
};

/* mamori_dir(src, dst): 1 a local device talked out, 2 the outside talked
 * in, 0 local-local or outside-outside. */
static void sql_dir(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct traffic_acc *acc = sqlite3_user_data(ctx);
    const struct netset *home = acc->home;
    int s = report_ip_local(home, (const char *)sqlite3_value_text(argv[0]));
    int d = report_ip_local(home, (const char *)sqlite3_value_text(argv[1]));
    sqlite3_result_int(ctx, s && !d ? 1 : !s && d ? 2 : 0);
}


/* mamori_traffic(src_ip, dst_ip, bytes_toserver, bytes_toclient,
 * pkts_toclient): adds to the traffic_acc given as user data. */
static void sql_traffic_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct traffic_acc *acc = sqlite3_user_data(ctx);
    const char *src = (const char *)sqlite3_value_text(argv[0]);
    int s = report_ip_local(acc->home, src);
    int d = report_ip_local(acc->home, (const char *)sqlite3_value_text(argv[1]));
    double ts = sqlite3_value_double(argv[2]), tc = sqlite3_value_double(argv[3]);
    if (s && !d) {
        acc->out += ts;
        acc->in += tc;
    } else if (!s && d) {
        acc->in += ts;
        acc->out += tc;
        if (sqlite3_value_int64(argv[4]) == 0 && src) {
            json_t *n = json_object_get(acc->probes, src);
            if (n)
                json_integer_set(n, json_integer_value(n) + 1);
            else
                json_object_set_new(acc->probes, src, json_integer(1));
        }
    }
}

static void sql_traffic_final(sqlite3_context *ctx)
{
    sqlite3_result_int(ctx, 0);
}

int report_table_exists(sqlite3 *db, const char *name)
{
    sqlite3_stmt *s = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(s) == SQLITE_ROW;
    }
    sqlite3_finalize(s);
    return found;
}

/* Instants on the local clock with their offset, days as local dates (see
 * report-model.c). */
static void iso(uint64_t us, char out[32])
{
    fmt_iso_local(out, 32, us);
}

static void iso_date(uint64_t us, char out[16])
{
    fmt_date_local(out, 16, us);
}

static json_t *jiso(uint64_t us)
{
    char b[32];
    iso(us, b);
    return json_string(b);
}

struct rd {
    sqlite3 *db;
    const struct report_opts *o;
    uint64_t since, end; /* end: until, clipped at the time the report is made */
    unsigned ndays;
    struct traffic_acc *acc;
    char *err;
    size_t errlen;
};

static int rd_fail(struct rd *r, const char *what)
{
    snprintf(r->err, r->errlen, "cannot read %s: %s", what, sqlite3_errmsg(r->db));
    return -1;
}

static int rd_prepare(struct rd *r, const char *sql, sqlite3_stmt **s, const char *what)
{
    if (sqlite3_prepare_v2(r->db, sql, -1, s, NULL) != SQLITE_OK)
        return rd_fail(r, what);
    sqlite3_bind_int64(*s, 1, (sqlite3_int64)r->since);
    sqlite3_bind_int64(*s, 2, (sqlite3_int64)r->end);
    return 0;
}

static int rd_finish(struct rd *r, sqlite3_stmt *s, int rc, const char *what)
{
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        snprintf(r->err, r->errlen, "cannot read %s: %s", what, sqlite3_errmsg(r->db));
        return -1;
    }
    return 0;
}

/* Traffic and devices per day, and the period's totals, in one pass: one
 * aggregate query per day over the flows_first_ts range, so SQLite never
 * sorts the month's rows (a GROUP BY day would feed them all to its
 * sorter). per_day gets the flow count of each day (for gap detection). */
static int rd_traffic(struct rd *r, json_t *charts, uint64_t *per_day, json_t *sensor)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT count(*), total(pkts_toserver + pkts_toclient),"
                           " total(bytes_toserver + bytes_toclient), count(DISTINCT src_mac),"
                           " mamori_traffic(src_ip, dst_ip, bytes_toserver, bytes_toclient,"
                           "  pkts_toclient)"
                           " FROM flows WHERE first_ts >= ?1 AND first_ts < ?2",
                           -1, &s, NULL) != SQLITE_OK)
        return rd_fail(r, "flows");
    json_t *traffic = json_array(), *devices = json_array();
    double packets = 0, bytes = 0;
    uint64_t flows = 0;
    int ret = 0;
    for (unsigned d = 0; d < r->ndays && !ret; d++) {
        uint64_t a = local_add_days(r->since, (int)d), b = MIN(local_add_days(a, 1), r->end);
        sqlite3_reset(s);
        r->acc->in = r->acc->out = 0;
        sqlite3_bind_int64(s, 1, (sqlite3_int64)a);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)b);
        int rc = sqlite3_step(s);
        if (rc != SQLITE_ROW) {
            ret = rd_fail(r, "flows");
            break;
        }
        per_day[d] = (uint64_t)sqlite3_column_int64(s, 0);
        flows += per_day[d];
        packets += sqlite3_column_double(s, 1);
        bytes += sqlite3_column_double(s, 2);
        char date[16];
        iso_date(a, date);
        json_array_append_new(traffic,
                              json_pack("{s:s,s:I,s:I}", "date", date, "bytes_in",
                                        (json_int_t)r->acc->in, "bytes_out",
                                        (json_int_t)r->acc->out));
        json_array_append_new(devices, json_pack("{s:s,s:I}", "date", date, "count",
                                                 (json_int_t)sqlite3_column_int64(s, 3)));
    }
    sqlite3_finalize(s);
    json_object_set_new(charts, "traffic_per_day", traffic);
    json_object_set_new(charts, "devices_per_day", devices);
    json_object_set_new(sensor, "packets", json_integer((json_int_t)packets));
    json_object_set_new(sensor, "bytes", json_integer((json_int_t)bytes));
    json_object_set_new(sensor, "flows", json_integer((json_int_t)flows));
    return ret;
}

/* The registrable part of a server name, so that www.example.co.jp and
 * img.example.co.jp count as one service: the last two labels, three under
 * a two-letter country domain with a generic second level (co.jp, ne.jp,
 * co.uk...). */
static void svc_name(const char *host, char *out, size_t len)
{
    const char *p = host + strlen(host), *dots[3] = {NULL, NULL, NULL};
    int nd = 0;
    while (p > host && nd < 3) {
        p--;
        if (*p == '.')
            dots[nd++] = p;
    }
    const char *start = host;
    if (nd >= 2) {
        start = dots[1] + 1;
        size_t tld = strlen(dots[0] + 1);
        size_t sld = (size_t)(dots[0] - dots[1] - 1);
        static const char *const generic[] = {"co", "ne", "or", "ac", "go", "ed", "lg",
                                              "gr", "com", "net", "org", "gov", "edu"};
        int gen = 0;
        for (size_t i = 0; i < ARRAY_SIZE(generic); i++)
            if (strlen(generic[i]) == sld && strncmp(dots[1] + 1, generic[i], sld) == 0)
                gen = 1;
        if (tld == 2 && gen)
            start = nd >= 3 ? dots[2] + 1 : host;
    }
    snprintf(out, len, "%s", start);
    for (char *q = out; *q; q++)
        if (*q >= 'A' && *q <= 'Z')
            *q = (char)(*q - 'A' + 'a');
}

/* First rowid of table whose ts is >= ts, by binary search over the rowids
 * (events are stored as they happen, so ts grows with the rowid); max+1 if
 * none. The event tables have no time index, and a month is a small slice
 * of a long-running store. */
static sqlite3_int64 rd_rowid_at(sqlite3 *db, const char *table, uint64_t ts, sqlite3_int64 lo,
                                 sqlite3_int64 hi)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT rowid, ts FROM %s WHERE rowid >= ?1 ORDER BY rowid LIMIT 1",
             table);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        sqlite3_finalize(s);
        return lo;
    }
    while (lo < hi) {
        sqlite3_int64 mid = lo + (hi - lo) / 2;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, mid);
        if (sqlite3_step(s) != SQLITE_ROW) {
            hi = mid;
            continue;
        }
        sqlite3_int64 id = sqlite3_column_int64(s, 0);
        if ((uint64_t)sqlite3_column_int64(s, 1) >= ts)
            hi = mid;
        else
            lo = id + 1;
    }
    sqlite3_finalize(s);
    return lo;
}

/* Outside services by bytes: the TLS/QUIC server names and HTTP hosts of
 * the period's conversations, grouped by registrable name. Each event is
 * joined to its flow for the bytes; when a period has more than
 * SVC_SAMPLE events, every k-th is joined and its bytes count k times (a
 * ranking, not an invoice), which keeps a busy month's report fast. */
#define SVC_SAMPLE 150000
static int rd_top_services(struct rd *r, json_t *charts)
{
    static const char *const tables[][2] = {{"tls", "sni"}, {"quic", "sni"}, {"http", "hostname"}};
    json_t *agg = json_object(); /* name -> [bytes, {mac:1}] */
    int ret = 0;
    for (size_t t = 0; t < ARRAY_SIZE(tables) && !ret; t++) {
        if (!report_table_exists(r->db, tables[t][0]))
            continue;
        sqlite3_int64 lo = 0, hi = 0;
        char sql[640];
        snprintf(sql, sizeof(sql), "SELECT min(rowid), max(rowid) FROM %s", tables[t][0]);
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(r->db, sql, -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW) {
            lo = sqlite3_column_int64(s, 0);
            hi = sqlite3_column_int64(s, 1) + 1;
        }
        sqlite3_finalize(s);
        sqlite3_int64 first = rd_rowid_at(r->db, tables[t][0], r->since, lo, hi);
        sqlite3_int64 last = rd_rowid_at(r->db, tables[t][0], r->end, first, hi);
        sqlite3_int64 k = (last - first) / SVC_SAMPLE + 1;
        snprintf(sql, sizeof(sql),
                 "SELECT e.%s, f.src_mac, total(f.bytes_toserver + f.bytes_toclient)"
                 " FROM %s e JOIN flows f ON f.run_id = e.run_id AND f.flow_id = e.flow_id"
                 " WHERE e.rowid >= ?3 AND e.rowid < ?4 AND e.rowid %% ?5 = 0"
                 " AND e.ts >= ?1 AND e.ts < ?2 AND e.%s IS NOT NULL AND e.%s <> ''"
                 " AND mamori_dir(f.src_ip, f.dst_ip) = 1"
                 " GROUP BY e.%s COLLATE NOCASE, f.src_mac",
                 tables[t][1], tables[t][0], tables[t][1], tables[t][1], tables[t][1]);
        if (rd_prepare(r, sql, &s, tables[t][0]) < 0) {
            ret = -1;
            break;
        }
        sqlite3_bind_int64(s, 3, first);
        sqlite3_bind_int64(s, 4, last);
        sqlite3_bind_int64(s, 5, k);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *host = (const char *)sqlite3_column_text(s, 0);
            const char *mac = (const char *)sqlite3_column_text(s, 1);
            json_t *valid = host ? json_string(host) : NULL;
            if (!valid) /* not UTF-8: not a name to show */
                continue;
            json_decref(valid);
            char name[256];
            svc_name(host, name, sizeof(name));
            json_t *e = json_object_get(agg, name);
            if (!e) {
                e = json_pack("[f,{}]", 0.0);
                json_object_set_new(agg, name, e);
            }
            json_array_set_new(e, 0, json_real(json_real_value(json_array_get(e, 0)) +
                                               (double)k * sqlite3_column_double(s, 2)));
            if (mac)
                json_object_set_new(json_array_get(e, 1), mac, json_true());
        }
        ret = rd_finish(r, s, rc, tables[t][0]);
    }
    /* The ten largest, biggest first (name breaks ties: stable output). */
    json_t *rows = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(agg, k, v) {
        json_array_append_new(rows, json_pack("{s:s,s:I,s:I}", "name", k, "bytes",
                                              (json_int_t)json_real_value(json_array_get(v, 0)),
                                              "devices",
                                              (json_int_t)json_object_size(json_array_get(v, 1))));
    }
    json_decref(agg);
    size_t n = json_array_size(rows);
    json_t *top = json_array();
    for (size_t pick = 0; pick < 10 && pick < n; pick++) {
        size_t best = (size_t)-1;
        for (size_t i = 0; i < json_array_size(rows); i++) {
            json_t *c = json_array_get(rows, i);
            if (best == (size_t)-1) {
                best = i;
                continue;
            }
            json_t *b = json_array_get(rows, best);
            json_int_t cb = json_integer_value(json_object_get(c, "bytes"));
            json_int_t bb = json_integer_value(json_object_get(b, "bytes"));
            if (cb > bb || (cb == bb && strcmp(json_string_value(json_object_get(c, "name")),
                                               json_string_value(json_object_get(b, "name"))) < 0))
                best = i;
        }
        json_array_append(top, json_array_get(rows, best));
        json_array_remove(rows, best);
    }
    json_decref(rows);
    json_object_set_new(charts, "top_services", top);
    return ret;
}

/* Sources of unanswered connections from the Internet to the office, plus
 * the sources of the outside findings (extra: ip -> probes), by country. */
static int rd_inbound(struct rd *r, json_t *charts, json_t *extra)
{
    json_t *by_ip = json_deep_copy(extra);
    const char *pip;
    json_t *pn;
    json_object_foreach(r->acc->probes, pip, pn) {
        json_t *old = json_object_get(by_ip, pip);
        /* A finding's probes are usually these same flows: take the larger. */
        if (!old || json_integer_value(old) < json_integer_value(pn))
            json_object_set_new(by_ip, pip, json_integer(json_integer_value(pn)));
    }
    int ret = 0;
    const struct report_opts *o = r->o;
    int ja = o->lang == LANG_JA;
    json_t *ibc = json_object(), *rows = json_array();
    json_int_t total = 0;
    const char *ip;
    json_t *v;
    json_object_foreach(by_ip, ip, v) total += json_integer_value(v);
    json_object_set_new(ibc, "available", json_boolean(o->geoip != NULL));
    json_object_set_new(ibc, "total_probes", json_integer(total));
    json_object_set_new(ibc, "sources", json_integer((json_int_t)json_object_size(by_ip)));
    if (!o->geoip) {
        char note[512];
        snprintf(note, sizeof(note),
                 ja ? "国別の集計には国の情報のデータベースが必要ですが、見つかりませんでした"
                      "（%s）。tools/geoip-install.sh で導入できます。"
                    : "Counting by country needs a country database, and none was found (%s). "
                      "tools/geoip-install.sh installs one.",
                 o->geoip_why ? o->geoip_why : "none configured");
        json_object_set_new(ibc, "note", json_string(note));
    } else {
        json_t *bycc = json_object();
        json_object_foreach(by_ip, ip, v) {
            char cc[3];
            if (geoip_country(o->geoip, ip, cc) < 0)
                snprintf(cc, sizeof(cc), "%s", "??");
            json_t *c = json_object_get(bycc, cc);
            json_object_set_new(bycc, cc,
                                json_integer(json_integer_value(c) + json_integer_value(v)));
        }
        const char *cc;
        json_object_foreach(bycc, cc, v) {
            json_array_append_new(rows, json_pack("{s:s,s:s,s:I}", "cc", cc, "name",
                                                  report_country_name(cc, o->lang), "probes",
                                                  json_integer_value(v)));
        }
        json_decref(bycc);
        /* Most probes first; country code breaks ties. */
        size_t n = json_array_size(rows);
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0; j--) {
                json_t *a = json_array_get(rows, j - 1), *b = json_array_get(rows, j);
                json_int_t pa = json_integer_value(json_object_get(a, "probes"));
                json_int_t pb = json_integer_value(json_object_get(b, "probes"));
                if (pa > pb || (pa == pb && strcmp(json_string_value(json_object_get(a, "cc")),
                                                   json_string_value(json_object_get(b, "cc"))) <= 0))
                    break;
                json_incref(a);
                json_array_set(rows, j - 1, b);
                json_array_set_new(rows, j, a);
            }
        json_object_set_new(ibc, "note",
                            json_string(ja ? "送信元アドレスの国は、オフラインのデータベースで調べた"
                                             "登録国です。"
                                           : "Countries are where the source addresses are "
                                             "registered, from an offline database."));
    }
    json_object_set_new(ibc, "rows", rows);
    json_object_set_new(charts, "inbound_by_country", ibc);
    json_decref(by_ip);
    return ret;
}

/* --- sensor coverage --- */

struct gap {
    uint64_t start, end;
    int prio; /* 2 recorded by the service, 1 no run, 0 no traffic */
    char reason[96];
    char iface[24]; /* capture_error on one interface of several: its name */
};

struct gaps {
    struct gap *v;
    size_t n, cap;
};

static void gaps_add(struct gaps *g, uint64_t start, uint64_t end, int prio, const char *reason)
{
    if (end <= start)
        return;
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 16;
        g->v = xrealloc(g->v, g->cap * sizeof(*g->v));
    }
    g->v[g->n] = (struct gap){start, end, prio, "", ""};
    snprintf(g->v[g->n].reason, sizeof(g->v[g->n].reason), "%s", reason ? reason : "");
    g->n++;
}

static int gap_cmp(const void *a, const void *b)
{
    const struct gap *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorts and merges overlapping gaps; the merged gap keeps the most
 * authoritative reason. */
static void gaps_merge(struct gaps *g)
{
    if (!g->n)
        return;
    qsort(g->v, g->n, sizeof(*g->v), gap_cmp);
    size_t w = 0;
    for (size_t i = 1; i < g->n; i++) {
        struct gap *c = &g->v[w];
        if (g->v[i].start <= c->end) {
            if (g->v[i].end > c->end)
                c->end = g->v[i].end;
            if (g->v[i].prio > c->prio) {
                c->prio = g->v[i].prio;
                memcpy(c->reason, g->v[i].reason, sizeof(c->reason));
                memcpy(c->iface, g->v[i].iface, sizeof(c->iface));
            } else if (c->iface[0] && strcmp(c->iface, g->v[i].iface) != 0) {
                c->iface[0] = '\0'; /* several interfaces: no single one to name */
            }
        } else {
            g->v[++w] = g->v[i];
        }
    }
    g->n = w + 1;
}

/* The interface a capture_error's detail names ("eth2: no such device"),
 * if it does: watch writes that when one of several interfaces is lost. */
static void gap_iface(struct gap *gp, const char *detail)
{
    const char *colon = detail ? strstr(detail, ": ") : NULL;
    size_t n = colon ? (size_t)(colon - detail) : 0;
    if (!n || n >= sizeof(gp->iface) || strcmp(gp->reason, "capture_error") != 0)
        return;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)detail[i]) || strchr("._-@:", detail[i])))
            return;
    memcpy(gp->iface, detail, n);
    gp->iface[n] = '\0';
}

/* What the owner reads about a gap: why, in plain words. */
static const char *gap_text(const struct gap *gp, int ja, char *buf, size_t len)
{
    if (gp->prio == 2 && strcmp(gp->reason, "capture_error") == 0) {
        if (gp->iface[0])
            snprintf(buf, len,
                     ja ? "%s での記録が止まっていました。その間、このインタフェースにつながる"
                          "ネットワークは見えていません（ケーブルが抜けたか、機器が止まった可能性が"
                          "あります）。"
                        : "Capture stopped on %s: the part of the network behind it was not "
                          "watched (its cable was unplugged or the port went down).",
                     gp->iface);
        else
            snprintf(buf, len, "%s",
                     ja ? "記録が止まっていました（ネットワークのインタフェースが切れたか、LAN "
                          "ケーブルが抜けていた可能性があります）。"
                        : "Capture stopped: the network interface went down or its cable was "
                          "unplugged.");
        return buf;
    }
    if (gp->prio == 2 && strcmp(gp->reason, "store_error") == 0)
        return ja ? "記録を保存できませんでした（ディスクがいっぱいか、データベースのファイルが"
                    "ありませんでした）。"
                  : "Records could not be saved (the disk was full or the database file was "
                    "missing).";
    if (gp->prio == 1)
        return ja ? "センサーが動いていませんでした。" : "The sensor was not running.";
    if (gp->prio == 0)
        return ja ? "通信が 1 件も記録されていません。センサーかネットワークが止まっていた"
                    "可能性があります。"
                  : "No traffic was recorded; the sensor or the network was probably off.";
    return ja ? "センサーが停止を記録しました。" : "The sensor recorded an outage.";
}

/* Runs in the period, gaps (recorded, between runs, days without traffic)
 * and the share of the period watched. */
static int rd_sensor(struct rd *r, json_t *sensor, const uint64_t *per_day)
{
    struct gaps g = {0};
    int ja = r->o->lang == LANG_JA;
    sqlite3_stmt *s;
    if (rd_prepare(r,
                   "SELECT first_ts, coalesce(last_ts, CASE WHEN status = 'running' THEN ?2"
                   " ELSE first_ts END) FROM runs WHERE first_ts IS NOT NULL AND first_ts < ?2"
                   " AND (last_ts IS NULL OR last_ts >= ?1) ORDER BY first_ts",
                   &s, "runs") < 0)
        return -1;
    uint64_t cursor = r->since, first = 0, last = 0;
    unsigned runs = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        uint64_t a = (uint64_t)sqlite3_column_int64(s, 0), b = (uint64_t)sqlite3_column_int64(s, 1);
        if (b < a)
            b = a;
        runs++;
        if (!first || a < first)
            first = a;
        if (b > last)
            last = b;
        if (a > cursor)
            gaps_add(&g, cursor, MIN(a, r->end), 1, "not_running");
        if (b > cursor)
            cursor = b;
    }
    if (rd_finish(r, s, rc, "runs") < 0) {
        free(g.v);
        return -1;
    }
    if (cursor < r->end)
        gaps_add(&g, cursor, r->end, 1, "not_running");
    if (report_table_exists(r->db, "sensor_gaps")) {
        if (rd_prepare(r,
                       "SELECT start_ts, coalesce(end_ts, ?2), coalesce(reason, ''),"
                       " coalesce(detail, '') FROM sensor_gaps"
                       " WHERE start_ts < ?2 AND (end_ts IS NULL OR end_ts > ?1) ORDER BY start_ts",
                       &s, "sensor_gaps") < 0) {
            free(g.v);
            return -1;
        }
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            uint64_t a = (uint64_t)sqlite3_column_int64(s, 0), b = (uint64_t)sqlite3_column_int64(s, 1);
            size_t before = g.n;
            gaps_add(&g, MAX(a, r->since), MIN(b, r->end), 2,
                     (const char *)sqlite3_column_text(s, 2));
            if (g.n > before)
                gap_iface(&g.v[g.n - 1], (const char *)sqlite3_column_text(s, 3));
        }
        if (rd_finish(r, s, rc, "sensor_gaps") < 0) {
            free(g.v);
            return -1;
        }
    }
    /* A whole day without a single flow while a run covered it: an office
     * network always says something (ARP, DNS, updates), so the capture
     * was off even if no one recorded why. */
    for (unsigned d = 0; d < r->ndays; d++) {
        uint64_t a = local_add_days(r->since, (int)d), b = local_add_days(a, 1);
        if (b <= r->end && per_day[d] == 0)
            gaps_add(&g, a, b, 0, "no_traffic");
    }
    gaps_merge(&g);
    json_t *arr = json_array();
    uint64_t off = 0;
    for (size_t i = 0; i < g.n; i++) {
        const struct gap *gp = &g.v[i];
        if (gp->end - gp->start < HOUR_US)
            continue; /* restarts and short pauses are not worth a line */
        off += gp->end - gp->start;
        json_t *o = json_object();
        json_object_set_new(o, "start", jiso(gp->start));
        json_object_set_new(o, "end", jiso(gp->end));
        json_object_set_new(o, "hours", json_real((double)((gp->end - gp->start) / 360000000ull) / 10.0));
        json_t *why = gp->reason[0] ? json_string(gp->reason) : NULL; /* NULL: not UTF-8 */
        json_object_set_new(o, "reason", why ? why : json_string("recorded"));
        char tb[512];
        json_t *text = json_string(gap_text(gp, ja, tb, sizeof(tb)));
        json_object_set_new(o, "text", text ? text : json_string(""));
        if (gp->iface[0])
            json_object_set_new(o, "interface", json_string(gp->iface));
        json_array_append_new(arr, o);
    }
    free(g.v);
    uint64_t span = r->end > r->since ? r->end - r->since : 0;
    double pct = span ? 100.0 * (double)(span - MIN(off, span)) / (double)span : 0.0;
    json_object_set_new(sensor, "first", first ? jiso(first) : json_null());
    json_object_set_new(sensor, "last", last ? jiso(MIN(last, r->end)) : json_null());
    json_object_set_new(sensor, "runs", json_integer(runs));
    json_object_set_new(sensor, "coverage_pct", json_real((double)(long long)(pct * 10 + 0.5) / 10));
    json_object_set_new(sensor, "gaps", arr);
    return 0;
}

int report_data_charts(sqlite3 *db, const struct report_opts *o, json_t *model, json_t *outside_ips,
                       char *err, size_t errlen)
{
    struct rd r = {.db = db, .o = o, .since = o->since_us, .err = err, .errlen = errlen};
    uint64_t now = o->generated_us;
    r.end = o->until_us;
    if (now && now < r.end)
        r.end = now > r.since ? now : r.since;
    /* Local calendar days (23 or 25 hours across a DST change). */
    r.ndays = 0;
    for (uint64_t a = r.since; a < r.end && r.ndays < 3660; r.ndays++) {
        uint64_t b = local_add_days(a, 1);
        if (b <= a)
            break;
        a = b;
    }
    struct traffic_acc acc = {.probes = json_object(), .home = report_home_extra(o)};
    r.acc = &acc;
    if (sqlite3_create_function(db, "mamori_dir", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                &acc, sql_dir, NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function(db, "mamori_traffic", 5, SQLITE_UTF8, &acc, NULL,
                                sql_traffic_step, sql_traffic_final) != SQLITE_OK) {
        json_decref(acc.probes);
        snprintf(err, errlen, "cannot prepare queries: %s", sqlite3_errmsg(db));
        return -1;
    }
    json_t *charts = json_object_get(model, "charts"), *sensor = json_object_get(model, "sensor");
    uint64_t *per_day = xcalloc(r.ndays + 1, sizeof(uint64_t));
    /* -v shows each stage's wall and CPU time (for bench/, and for users
     * wondering why a report is slow). */
    uint64_t t0 = mono_ms();
    clock_t c0 = clock();
    int rc = rd_traffic(&r, charts, per_day, sensor);
    debug("report: traffic and devices per day %llu ms (CPU %ld ms)", (unsigned long long)(mono_ms() - t0),
          (long)((clock() - c0) * 1000 / CLOCKS_PER_SEC));
    t0 = mono_ms();
    c0 = clock();
    if (!rc)
        rc = rd_inbound(&r, charts, outside_ips);
    debug("report: inbound probes %llu ms (CPU %ld ms)", (unsigned long long)(mono_ms() - t0),
          (long)((clock() - c0) * 1000 / CLOCKS_PER_SEC));
    t0 = mono_ms();
    c0 = clock();
    if (!rc)
        rc = rd_top_services(&r, charts);
    debug("report: top services %llu ms (CPU %ld ms)", (unsigned long long)(mono_ms() - t0),
          (long)((clock() - c0) * 1000 / CLOCKS_PER_SEC));
    t0 = mono_ms();
    c0 = clock();
    if (!rc)
        rc = rd_sensor(&r, sensor, per_day);
    debug("report: sensor coverage %llu ms (CPU %ld ms)", (unsigned long long)(mono_ms() - t0),
          (long)((clock() - c0) * 1000 / CLOCKS_PER_SEC));
    free(per_day);
    json_decref(acc.probes);
    return rc;
}
