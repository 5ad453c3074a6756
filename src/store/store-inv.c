/* store-inv.c - the device inventory and the alerts in SQLite.
 *
 * Devices are keyed by their primary MAC (a grouped phone's other MACs are
 * rows of device_macs pointing at it). Each kind of entry (addresses, names,
 * services, OS evidence, outside peers) has its own table keyed by device and
 * entry, upserted when the entry changed, so the tables keep the history the
 * in-memory device drops (an address used last year stays in device_ips).
 *
 * Alerts are keyed by their de-duplication key: the sensor's aggregation
 * across runs and restarts happens here (counts add up).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "store/store-inv.h"
#include "util/netaddr.h"
#include "util/util.h"

/* clang-format off */
const char store_inv_schema_v3[] =
    "CREATE TABLE devices ("
    " mac TEXT PRIMARY KEY,"
    " randomized INTEGER, vendor TEXT, first_ts INTEGER, last_ts INTEGER,"
    " pkts_out INTEGER, bytes_out INTEGER, pkts_in INTEGER, bytes_in INTEGER,"
    " router INTEGER, hostname TEXT COLLATE NOCASE, client_id TEXT, dhcp_fp TEXT,"
    " dhcp_vendor TEXT, os TEXT, os_family TEXT, device_type TEXT, os_confidence INTEGER,"
    " os_basis TEXT);"
    "CREATE TABLE device_macs (mac TEXT PRIMARY KEY, device TEXT NOT NULL,"
    " first_ts INTEGER, last_ts INTEGER);"
    "CREATE INDEX device_macs_device ON device_macs (device);"
    "CREATE TABLE device_ips (device TEXT NOT NULL, ip TEXT NOT NULL,"
    " first_ts INTEGER, last_ts INTEGER, PRIMARY KEY (device, ip));"
    "CREATE INDEX device_ips_ip ON device_ips (ip, last_ts);"
    "CREATE TABLE device_names (device TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE,"
    " source TEXT NOT NULL, first_ts INTEGER, last_ts INTEGER,"
    " PRIMARY KEY (device, name, source));"
    "CREATE INDEX device_names_name ON device_names (name);"
    "CREATE TABLE device_services (device TEXT NOT NULL, proto INTEGER NOT NULL,"
    " port INTEGER NOT NULL, app_proto TEXT, first_ts INTEGER, last_ts INTEGER, flows INTEGER,"
    " PRIMARY KEY (device, proto, port));"
    "CREATE TABLE device_evidence (device TEXT NOT NULL, kind TEXT NOT NULL,"
    " value TEXT NOT NULL, first_ts INTEGER, last_ts INTEGER, os TEXT, legacy TEXT,"
    " PRIMARY KEY (device, kind, value));"
    "CREATE TABLE device_peers (device TEXT NOT NULL, ip TEXT NOT NULL, port INTEGER NOT NULL,"
    " proto INTEGER NOT NULL, name TEXT, bytes INTEGER, flows INTEGER, last_ts INTEGER,"
    " PRIMARY KEY (device, ip, port, proto));"
    "CREATE TABLE alerts ("
    " id INTEGER PRIMARY KEY,"
    " dedup_key TEXT NOT NULL UNIQUE,"
    " run_id INTEGER,"
    " first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, count INTEGER NOT NULL,"
    " category TEXT NOT NULL, severity INTEGER NOT NULL,"
    " src_ip TEXT, src_port INTEGER, dest_ip TEXT, dest_port INTEGER, proto INTEGER,"
    " device TEXT, device_name TEXT, flow_ids TEXT, facts TEXT);"
    "CREATE INDEX alerts_first_ts ON alerts (first_ts);"
    "CREATE INDEX alerts_category ON alerts (category, first_ts);"
    "CREATE INDEX alerts_device ON alerts (device, first_ts);";

enum si_stmt {
    SI_DEVICE, SI_MAC, SI_IP, SI_NAME, SI_SERVICE, SI_EVIDENCE, SI_PEER, SI_ALERT, SI_MAX
};

static const char *const si_sql[SI_MAX] = {
    [SI_DEVICE] =
        "INSERT INTO devices (mac, randomized, vendor, first_ts, last_ts, pkts_out, bytes_out,"
        " pkts_in, bytes_in, router, hostname, client_id, dhcp_fp, dhcp_vendor, os, os_family,"
        " device_type, os_confidence, os_basis)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)"
        " ON CONFLICT (mac) DO UPDATE SET randomized = excluded.randomized,"
        " vendor = excluded.vendor, first_ts = min(first_ts, excluded.first_ts),"
        " last_ts = max(last_ts, excluded.last_ts), pkts_out = excluded.pkts_out,"
        " bytes_out = excluded.bytes_out, pkts_in = excluded.pkts_in,"
        " bytes_in = excluded.bytes_in, router = excluded.router, hostname = excluded.hostname,"
        " client_id = excluded.client_id, dhcp_fp = excluded.dhcp_fp,"
        " dhcp_vendor = excluded.dhcp_vendor, os = excluded.os, os_family = excluded.os_family,"
        " device_type = excluded.device_type, os_confidence = excluded.os_confidence,"
        " os_basis = excluded.os_basis",
    [SI_MAC] =
        "INSERT INTO device_macs (mac, device, first_ts, last_ts) VALUES (?1,?2,?3,?4)"
        " ON CONFLICT (mac) DO UPDATE SET device = excluded.device,"
        " first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)",
    [SI_IP] =
        "INSERT INTO device_ips (device, ip, first_ts, last_ts) VALUES (?1,?2,?3,?4)"
        " ON CONFLICT (device, ip) DO UPDATE SET first_ts = min(first_ts, excluded.first_ts),"
        " last_ts = max(last_ts, excluded.last_ts)",
    [SI_NAME] =
        "INSERT INTO device_names (device, name, source, first_ts, last_ts) VALUES (?1,?2,?3,?4,?5)"
        " ON CONFLICT (device, name, source) DO UPDATE SET"
        " first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)",
    [SI_SERVICE] =
        "INSERT INTO device_services (device, proto, port, app_proto, first_ts, last_ts, flows)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7)"
        " ON CONFLICT (device, proto, port) DO UPDATE SET"
        " app_proto = coalesce(nullif(excluded.app_proto, ''), app_proto),"
        " first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts),"
        " flows = excluded.flows",
    [SI_EVIDENCE] =
        "INSERT INTO device_evidence (device, kind, value, first_ts, last_ts, os, legacy)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7)"
        " ON CONFLICT (device, kind, value) DO UPDATE SET"
        " first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts),"
        " os = excluded.os, legacy = excluded.legacy",
    [SI_PEER] =
        "INSERT INTO device_peers (device, ip, port, proto, name, bytes, flows, last_ts)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"
        " ON CONFLICT (device, ip, port, proto) DO UPDATE SET"
        " name = coalesce(nullif(excluded.name, ''), name), bytes = excluded.bytes,"
        " flows = excluded.flows, last_ts = max(last_ts, excluded.last_ts)",
    [SI_ALERT] =
        "INSERT INTO alerts (dedup_key, run_id, first_ts, last_ts, count, category, severity,"
        " src_ip, src_port, dest_ip, dest_port, proto, device, device_name, flow_ids, facts)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)"
        " ON CONFLICT (dedup_key) DO UPDATE SET"
        " first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts),"
        " count = count + excluded.count, severity = max(severity, excluded.severity),"
        " facts = CASE WHEN excluded.severity > severity THEN excluded.facts ELSE facts END,"
        " flow_ids = CASE WHEN ?17 THEN excluded.flow_ids ELSE flow_ids END",
};
/* clang-format on */

struct store_inv {
    sqlite3 *db;
    sqlite3_stmt *st[SI_MAX];
};

struct store_inv *store_inv_new(sqlite3 *db)
{
    struct store_inv *si = xcalloc(1, sizeof(*si));
    si->db = db;
    for (int i = 0; i < SI_MAX; i++) {
        if (sqlite3_prepare_v3(db, si_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &si->st[i], NULL) !=
            SQLITE_OK) {
            store_inv_free(si);
            return NULL;
        }
    }
    return si;
}

void store_inv_free(struct store_inv *si)
{
    if (!si)
        return;
    for (int i = 0; i < SI_MAX; i++)
        sqlite3_finalize(si->st[i]);
    free(si);
}

static int64_t si_i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int si_step(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

static void si_text(sqlite3_stmt *s, int col, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, col, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, col);
}

int store_inv_device(struct store_inv *si, const struct device *d)
{
    char mac[18];
    mac_fmt(d->mac, mac);
    sqlite3_stmt *s = si->st[SI_DEVICE];
    sqlite3_bind_text(s, 1, mac, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, d->randomized);
    si_text(s, 3, d->vendor);
    sqlite3_bind_int64(s, 4, si_i64(d->first_us));
    sqlite3_bind_int64(s, 5, si_i64(d->last_us));
    sqlite3_bind_int64(s, 6, si_i64(d->pkts_out));
    sqlite3_bind_int64(s, 7, si_i64(d->bytes_out));
    sqlite3_bind_int64(s, 8, si_i64(d->pkts_in));
    sqlite3_bind_int64(s, 9, si_i64(d->bytes_in));
    sqlite3_bind_int(s, 10, d->is_router);
    si_text(s, 11, d->hostname);
    si_text(s, 12, d->client_id);
    si_text(s, 13, d->dhcp_fp);
    si_text(s, 14, d->dhcp_vendor);
    si_text(s, 15, d->os.os);
    si_text(s, 16, d->os.family);
    si_text(s, 17, d->os.type);
    sqlite3_bind_int(s, 18, d->os.confidence);
    si_text(s, 19, d->os.basis);
    int rc = si_step(s);
    if (rc != SQLITE_DONE)
        return rc;

    for (unsigned i = 0; i < d->nmacs; i++) {
        const struct inv_mac *m = &d->macs[i];
        if (!m->dirty)
            continue;
        char mm[18];
        mac_fmt(m->mac, mm);
        s = si->st[SI_MAC];
        sqlite3_bind_text(s, 1, mm, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, mac, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 3, si_i64(m->first_us));
        sqlite3_bind_int64(s, 4, si_i64(m->last_us));
        if ((rc = si_step(s)) != SQLITE_DONE)
            return rc;
    }
    for (unsigned i = 0; i < d->nips; i++) {
        const struct inv_ip *e = &d->ips[i];
        if (!e->dirty)
            continue;
        char ip[48];
        ip_addr_fmt(&e->ip, ip, sizeof(ip));
        s = si->st[SI_IP];
        sqlite3_bind_text(s, 1, mac, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, ip, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 3, si_i64(e->first_us));
        sqlite3_bind_int64(s, 4, si_i64(e->last_us));
        if ((rc = si_step(s)) != SQLITE_DONE)
            return rc;
    }
    for (unsigned i = 0; i < d->nnames; i++) {
        const struct inv_name *e = &d->names[i];
        if (!e->dirty)
            continue;
        s = si->st[SI_NAME];
        sqlite3_bind_text(s, 1, mac, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, e->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, inv_name_source_name(e->source), -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, si_i64(e->first_us));
        sqlite3_bind_int64(s, 5, si_i64(e->last_us));
        if ((rc = si_step(s)) != SQLITE_DONE)
            return rc;
    }
    for (unsigned i = 0; i < d->nservices; i++) {
        const struct inv_service *e = &d->services[i];
        if (!e->dirty)
            continue;
        s = si->st[SI_SERVICE];
        sqlite3_bind_text(s, 1, mac, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 2, e->proto);
        sqlite3_bind_int(s, 3, e->port);
        si_text(s, 4, e->app_proto);
        sqlite3_bind_int64(s, 5, si_i64(e->first_us));
        sqlite3_bind_int64(s, 6, si_i64(e->last_us));
        sqlite3_bind_int64(s, 7, si_i64(e->flows));
        if ((rc = si_step(s)) != SQLITE_DONE)
            return rc;
    }
    for (unsigned i = 0; i < d->nevidence; i++) {
        const struct inv_evidence *e = &d->evidence[i];
        if (!e->dirty)
            continue;
        s = si->st[SI_EVIDENCE];
        sqlite3_bind_text(s, 1, mac, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, osguess_kind_name((enum os_ev_kind)e->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, e->value, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 4, si_i64(e->first_us));
        sqlite3_bind_int64(s, 5, si_i64(e->last_us));
        si_text(s, 6, e->hint.os);
        si_text(s, 7, e->hint.legacy ? e->hint.legacy_what : NULL);
        if ((rc = si_step(s)) != SQLITE_DONE)
            return rc;
    }
    for (unsigned i = 0; i < d->npeers; i++) {
        const struct inv_peer *e = &d->peers[i];
        if (!e->dirty)
            continue;
        char ip[48];
        ip_addr_fmt(&e->ip, ip, sizeof(ip));
        s = si->st[SI_PEER];
        sqlite3_bind_text(s, 1, mac, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, ip, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 3, e->port);
        sqlite3_bind_int(s, 4, e->proto);
        si_text(s, 5, e->name);
        sqlite3_bind_int64(s, 6, si_i64(e->bytes));
        sqlite3_bind_int64(s, 7, si_i64(e->flows));
        sqlite3_bind_int64(s, 8, si_i64(e->last_us));
        if ((rc = si_step(s)) != SQLITE_DONE)
            return rc;
    }
    return SQLITE_DONE;
}

int store_inv_alert(struct store_inv *si, int64_t run_id, const struct alert *a)
{
    sqlite3_stmt *s = si->st[SI_ALERT];
    char ip[48], mac[18];
    sqlite3_bind_text(s, 1, a->key, -1, SQLITE_TRANSIENT);
    if (run_id)
        sqlite3_bind_int64(s, 2, run_id);
    sqlite3_bind_int64(s, 3, si_i64(a->ts_us));
    sqlite3_bind_int64(s, 4, si_i64(a->last_ts_us));
    sqlite3_bind_int64(s, 5, a->count ? a->count : 1);
    sqlite3_bind_text(s, 6, a->category, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 7, a->severity);
    if (a->has_src) {
        ip_addr_fmt(&a->src, ip, sizeof(ip));
        sqlite3_bind_text(s, 8, ip, -1, SQLITE_TRANSIENT);
    }
    if (a->sport)
        sqlite3_bind_int(s, 9, a->sport);
    if (a->has_dst) {
        ip_addr_fmt(&a->dst, ip, sizeof(ip));
        sqlite3_bind_text(s, 10, ip, -1, SQLITE_TRANSIENT);
    }
    if (a->dport)
        sqlite3_bind_int(s, 11, a->dport);
    if (a->proto)
        sqlite3_bind_int(s, 12, a->proto);
    if (a->has_mac) {
        mac_fmt(a->mac, mac);
        sqlite3_bind_text(s, 13, mac, -1, SQLITE_TRANSIENT);
    }
    si_text(s, 14, a->device);
    /* The flow ids as a JSON array, as jansson wrote it (signed integers). */
    char idtext[2 + ALERT_MAX_FLOWS * 21], *p = idtext;
    *p++ = '[';
    for (unsigned i = 0; i < a->nflows && i < ALERT_MAX_FLOWS; i++) {
        if (i)
            *p++ = ',';
        p = put_i64(p, (int64_t)a->flow_ids[i]);
    }
    *p++ = ']';
    sqlite3_bind_text(s, 15, idtext, (int)(p - idtext), SQLITE_TRANSIENT);
    char *facts = a->facts ? json_dumps(a->facts, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    sqlite3_bind_text(s, 16, facts ? facts : "{}", -1, SQLITE_TRANSIENT);
    free(facts);
    sqlite3_bind_int(s, 17, a->update);
    return si_step(s);
}

/* --- loading --- */

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

static uint64_t col_u64(sqlite3_stmt *s, int i)
{
    int64_t v = sqlite3_column_int64(s, i);
    return v < 0 ? 0 : (uint64_t)v;
}

/* Runs `sql` with ?1 = mac, calling row() for each row (at most limit). */
static int si_each_entry(sqlite3 *db, const char *sql, const char *mac, unsigned limit,
                         void (*row)(sqlite3_stmt *s, struct device *d), struct device *d)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(s, 1, mac, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, (int)limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        row(s, d);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void si_row_ip(sqlite3_stmt *s, struct device *d)
{
    struct inv_ip *e = &d->ips[d->nips];
    if (d->nips >= INV_MAX_IPS || ip_addr_parse(col_text(s, 0), &e->ip) < 0)
        return;
    e->first_us = col_u64(s, 1);
    e->last_us = col_u64(s, 2);
    d->nips++;
}

static void si_row_name(sqlite3_stmt *s, struct device *d)
{
    int src = inv_name_source_parse(col_text(s, 1));
    if (d->nnames >= INV_MAX_NAMES || src < 0)
        return;
    struct inv_name *e = &d->names[d->nnames++];
    snprintf(e->name, sizeof(e->name), "%s", col_text(s, 0));
    e->source = (uint8_t)src;
    e->first_us = col_u64(s, 2);
    e->last_us = col_u64(s, 3);
}

static void si_row_service(sqlite3_stmt *s, struct device *d)
{
    if (d->nservices >= INV_MAX_SERVICES)
        return;
    struct inv_service *e = &d->services[d->nservices++];
    e->proto = (uint8_t)sqlite3_column_int(s, 0);
    e->port = (uint16_t)sqlite3_column_int(s, 1);
    snprintf(e->app_proto, sizeof(e->app_proto), "%s", col_text(s, 2));
    e->first_us = col_u64(s, 3);
    e->last_us = col_u64(s, 4);
    e->flows = col_u64(s, 5);
}

static void si_row_evidence(sqlite3_stmt *s, struct device *d)
{
    int kind = osguess_kind_parse(col_text(s, 0));
    if (d->nevidence >= INV_MAX_EVIDENCE || kind < 0)
        return;
    struct inv_evidence *e = &d->evidence[d->nevidence++];
    e->kind = (uint8_t)kind;
    snprintf(e->value, sizeof(e->value), "%s", col_text(s, 1));
    e->first_us = col_u64(s, 2);
    e->last_us = col_u64(s, 3);
}

static void si_row_peer(sqlite3_stmt *s, struct device *d)
{
    struct inv_peer *e = &d->peers[d->npeers];
    if (d->npeers >= INV_MAX_PEERS || ip_addr_parse(col_text(s, 0), &e->ip) < 0)
        return;
    e->port = (uint16_t)sqlite3_column_int(s, 1);
    e->proto = (uint8_t)sqlite3_column_int(s, 2);
    snprintf(e->name, sizeof(e->name), "%s", col_text(s, 3));
    e->bytes = col_u64(s, 4);
    e->flows = col_u64(s, 5);
    e->last_us = col_u64(s, 6);
    d->npeers++;
}

int store_inv_load(sqlite3 *db, struct inventory *inv)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT mac, randomized, vendor, first_ts, last_ts, pkts_out, bytes_out,"
                           " pkts_in, bytes_in, router, hostname, client_id, dhcp_fp, dhcp_vendor,"
                           " os, os_family, device_type, os_confidence, os_basis FROM devices"
                           " ORDER BY mac",
                           -1, &s, NULL) != SQLITE_OK)
        return -1;
    struct device *d = xcalloc(1, sizeof(*d));
    d->ips = xcalloc(INV_MAX_IPS, sizeof(*d->ips));
    d->names = xcalloc(INV_MAX_NAMES, sizeof(*d->names));
    d->services = xcalloc(INV_MAX_SERVICES, sizeof(*d->services));
    d->evidence = xcalloc(INV_MAX_EVIDENCE, sizeof(*d->evidence));
    d->peers = xcalloc(INV_MAX_PEERS, sizeof(*d->peers));
    struct inv_ip *ips = d->ips;
    struct inv_name *names = d->names;
    struct inv_service *services = d->services;
    struct inv_evidence *evidence = d->evidence;
    struct inv_peer *peers = d->peers;
    int rc, ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        memset(d, 0, sizeof(*d));
        d->ips = ips;
        d->names = names;
        d->services = services;
        d->evidence = evidence;
        d->peers = peers;
        const char *mac = col_text(s, 0);
        if (mac_parse(mac, d->mac) < 0)
            continue;
        d->randomized = sqlite3_column_int(s, 1);
        snprintf(d->vendor, sizeof(d->vendor), "%s", col_text(s, 2));
        d->first_us = col_u64(s, 3);
        d->last_us = col_u64(s, 4);
        d->pkts_out = col_u64(s, 5);
        d->bytes_out = col_u64(s, 6);
        d->pkts_in = col_u64(s, 7);
        d->bytes_in = col_u64(s, 8);
        d->is_router = sqlite3_column_int(s, 9);
        snprintf(d->hostname, sizeof(d->hostname), "%s", col_text(s, 10));
        snprintf(d->client_id, sizeof(d->client_id), "%s", col_text(s, 11));
        snprintf(d->dhcp_fp, sizeof(d->dhcp_fp), "%s", col_text(s, 12));
        snprintf(d->dhcp_vendor, sizeof(d->dhcp_vendor), "%s", col_text(s, 13));
        snprintf(d->os.os, sizeof(d->os.os), "%s", col_text(s, 14));
        snprintf(d->os.family, sizeof(d->os.family), "%s", col_text(s, 15));
        snprintf(d->os.type, sizeof(d->os.type), "%s", col_text(s, 16));
        d->os.confidence = (uint8_t)sqlite3_column_int(s, 17);
        snprintf(d->os.basis, sizeof(d->os.basis), "%s", col_text(s, 18));
        d->nmacs = 1;
        memcpy(d->macs[0].mac, d->mac, 6);
        d->macs[0].first_us = d->first_us;
        d->macs[0].last_us = d->last_us;
        if (si_each_entry(db,
                          "SELECT ip, first_ts, last_ts FROM device_ips WHERE device = ?1"
                          " ORDER BY last_ts DESC LIMIT ?2",
                          mac, INV_MAX_IPS, si_row_ip, d) < 0 ||
            si_each_entry(db,
                          "SELECT name, source, first_ts, last_ts FROM device_names"
                          " WHERE device = ?1 ORDER BY last_ts DESC LIMIT ?2",
                          mac, INV_MAX_NAMES, si_row_name, d) < 0 ||
            si_each_entry(db,
                          "SELECT proto, port, app_proto, first_ts, last_ts, flows"
                          " FROM device_services WHERE device = ?1 ORDER BY last_ts DESC LIMIT ?2",
                          mac, INV_MAX_SERVICES, si_row_service, d) < 0 ||
            si_each_entry(db,
                          "SELECT kind, value, first_ts, last_ts FROM device_evidence"
                          " WHERE device = ?1 ORDER BY last_ts DESC LIMIT ?2",
                          mac, INV_MAX_EVIDENCE, si_row_evidence, d) < 0 ||
            si_each_entry(db,
                          "SELECT ip, port, proto, name, bytes, flows, last_ts FROM device_peers"
                          " WHERE device = ?1 ORDER BY bytes DESC LIMIT ?2",
                          mac, INV_MAX_PEERS, si_row_peer, d) < 0) {
            ret = -1;
            break;
        }
        struct device *r = inventory_restore(inv, d);
        if (!r)
            continue;
        sqlite3_stmt *m = NULL;
        if (sqlite3_prepare_v2(db,
                               "SELECT mac, first_ts, last_ts FROM device_macs WHERE device = ?1"
                               " ORDER BY last_ts DESC",
                               -1, &m, NULL) != SQLITE_OK) {
            ret = -1;
            break;
        }
        sqlite3_bind_text(m, 1, mac, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(m) == SQLITE_ROW) {
            uint8_t mm[6];
            if (mac_parse(col_text(m, 0), mm) == 0)
                inventory_restore_mac(inv, r, mm, col_u64(m, 1), col_u64(m, 2));
        }
        sqlite3_finalize(m);
    }
    if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = -1;
    sqlite3_finalize(s);
    d->ips = ips;
    d->names = names;
    d->services = services;
    d->evidence = evidence;
    d->peers = peers;
    free(ips);
    free(names);
    free(services);
    free(evidence);
    free(peers);
    free(d);
    return ret;
}

/* --- readers --- */

sqlite3 *store_open_readonly(const char *path)
{
    sqlite3 *db = NULL;
    const char *msg = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        goto fail;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        msg = sqlite3_errmsg(db);
        sqlite3_finalize(s);
        goto fail;
    }
    int v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (v < 3) {
        msg = v == 0 ? "not a mamori database (run 'mamori read' or 'mamori watch' first)"
                     : "written by an older mamori: run 'mamori read' once to upgrade it";
        goto fail;
    }
    return db;
fail:
    error("cannot open database '%s': %s", path, msg ? msg : "unknown error");
    sqlite3_close(db);
    return NULL;
}

static json_t *si_time(uint64_t us)
{
    if (!us)
        return json_null();
    char buf[40];
    fmt_ts_eve(buf, sizeof(buf), us);
    return json_string(buf);
}

static json_t *si_jtext(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return json_null();
    json_t *j = json_string((const char *)t);
    return j ? j : app_json_str(t, (size_t)sqlite3_column_bytes(s, i), 4096);
}

static const char *si_proto_name(int p)
{
    return p == 6 ? "tcp" : p == 17 ? "udp" : "other";
}

/* Appends the rows of `sql` (?1 = device mac) to arr, built by row(). */
static int si_json_rows(sqlite3 *db, const char *sql, const char *mac, json_t *arr,
                        json_t *(*row)(sqlite3_stmt *s))
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(s, 1, mac, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *v = row(s);
        if (v)
            json_array_append_new(arr, v);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

static json_t *si_j_first(sqlite3_stmt *s)
{
    return si_jtext(s, 0);
}

static json_t *si_j_name(sqlite3_stmt *s)
{
    return json_pack("{s:o,s:o,s:o,s:o}", "name", si_jtext(s, 0), "source", si_jtext(s, 1),
                     "first_seen", si_time(col_u64(s, 2)), "last_seen", si_time(col_u64(s, 3)));
}

static json_t *si_j_ip(sqlite3_stmt *s)
{
    return json_pack("{s:o,s:o,s:o}", "ip", si_jtext(s, 0), "first_seen",
                     si_time(col_u64(s, 1)), "last_seen", si_time(col_u64(s, 2)));
}

static json_t *si_j_service(sqlite3_stmt *s)
{
    return json_pack("{s:s,s:i,s:o,s:o,s:o,s:I}", "proto",
                     si_proto_name(sqlite3_column_int(s, 0)), "port", sqlite3_column_int(s, 1),
                     "app_proto", si_jtext(s, 2), "first_seen", si_time(col_u64(s, 3)),
                     "last_seen", si_time(col_u64(s, 4)), "flows",
                     (json_int_t)sqlite3_column_int64(s, 5));
}

static json_t *si_j_evidence(sqlite3_stmt *s)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "kind", si_jtext(s, 0), "value", si_jtext(s, 1),
                     "says", si_jtext(s, 2), "legacy", si_jtext(s, 3), "first_seen",
                     si_time(col_u64(s, 4)));
}

static json_t *si_j_peer(sqlite3_stmt *s)
{
    return json_pack("{s:o,s:i,s:s,s:o,s:I,s:I,s:o}", "ip", si_jtext(s, 0), "port",
                     sqlite3_column_int(s, 1), "proto", si_proto_name(sqlite3_column_int(s, 2)),
                     "name", si_jtext(s, 3), "bytes", (json_int_t)sqlite3_column_int64(s, 4),
                     "flows", (json_int_t)sqlite3_column_int64(s, 5), "last_seen",
                     si_time(col_u64(s, 6)));
}

int store_devices_each(sqlite3 *db, int (*fn)(void *arg, json_t *dev), void *arg)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT mac, randomized, vendor, first_ts, last_ts, bytes_out,"
                           " bytes_in, router, hostname, os, os_family, device_type,"
                           " os_confidence, os_basis, dhcp_fp, dhcp_vendor, pkts_out, pkts_in"
                           " FROM devices ORDER BY mac",
                           -1, &s, NULL) != SQLITE_OK) {
        error("cannot read devices: %s", sqlite3_errmsg(db));
        return -1;
    }
    int rc, ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *mac = col_text(s, 0);
        json_t *o = json_object();
        json_object_set_new(o, "mac", json_string(mac));
        json_t *macs = json_array(), *ips = json_array(), *ipinfo = json_array(),
               *hostnames = json_array(), *names = json_array(), *services = json_array(),
               *evidence = json_array(), *outside = json_array();
        if (si_json_rows(db, "SELECT mac FROM device_macs WHERE device = ?1 ORDER BY first_ts",
                         mac, macs, si_j_first) < 0 ||
            si_json_rows(db,
                         "SELECT ip FROM device_ips WHERE device = ?1 ORDER BY last_ts DESC, ip",
                         mac, ips, si_j_first) < 0 ||
            si_json_rows(db,
                         "SELECT ip, first_ts, last_ts FROM device_ips WHERE device = ?1"
                         " ORDER BY first_ts, ip",
                         mac, ipinfo, si_j_ip) < 0 ||
            si_json_rows(db,
                         "SELECT name FROM device_names WHERE device = ?1 GROUP BY name"
                         " COLLATE NOCASE ORDER BY min(CASE source WHEN 'dhcp' THEN 0"
                         " WHEN 'ntlm' THEN 1 WHEN 'nbns' THEN 2 WHEN 'dhcp_fqdn' THEN 3"
                         " WHEN 'mdns' THEN 4 ELSE 5 END), name",
                         mac, hostnames, si_j_first) < 0 ||
            si_json_rows(db,
                         "SELECT name, source, first_ts, last_ts FROM device_names"
                         " WHERE device = ?1 ORDER BY first_ts, name",
                         mac, names, si_j_name) < 0 ||
            si_json_rows(db,
                         "SELECT proto, port, app_proto, first_ts, last_ts, flows"
                         " FROM device_services WHERE device = ?1 ORDER BY proto, port",
                         mac, services, si_j_service) < 0 ||
            si_json_rows(db,
                         "SELECT kind, value, os, legacy, first_ts FROM device_evidence"
                         " WHERE device = ?1 ORDER BY kind, first_ts",
                         mac, evidence, si_j_evidence) < 0 ||
            si_json_rows(db,
                         "SELECT ip, port, proto, name, bytes, flows, last_ts FROM device_peers"
                         " WHERE device = ?1 ORDER BY bytes DESC LIMIT 10",
                         mac, outside, si_j_peer) < 0) {
            error("cannot read devices: %s", sqlite3_errmsg(db));
            json_decref(o);
            json_decref(macs);
            json_decref(ips);
            json_decref(ipinfo);
            json_decref(hostnames);
            json_decref(names);
            json_decref(services);
            json_decref(evidence);
            json_decref(outside);
            ret = -1;
            break;
        }
        if (json_array_size(macs) == 0)
            json_array_append_new(macs, json_string(mac));
        json_object_set_new(o, "macs", macs);
        json_object_set_new(o, "vendor", si_jtext(s, 2));
        json_object_set_new(o, "randomized", json_boolean(sqlite3_column_int(s, 1)));
        json_object_set_new(o, "ips", ips);
        json_object_set_new(o, "hostnames", hostnames);
        json_object_set_new(o, "names", names);
        json_object_set_new(o, "os", si_jtext(s, 9));
        json_object_set_new(o, "os_family", si_jtext(s, 10));
        json_object_set_new(o, "device_type", si_jtext(s, 11));
        json_object_set_new(o, "os_confidence", json_integer(sqlite3_column_int(s, 12)));
        json_object_set_new(o, "os_basis", si_jtext(s, 13));
        json_object_set_new(o, "os_evidence", evidence);
        json_object_set_new(o, "dhcp_fingerprint", si_jtext(s, 14));
        json_object_set_new(o, "dhcp_vendor", si_jtext(s, 15));
        json_object_set_new(o, "first_seen", si_time(col_u64(s, 3)));
        json_object_set_new(o, "last_seen", si_time(col_u64(s, 4)));
        json_object_set_new(o, "first_seen_us", json_integer((json_int_t)col_u64(s, 3)));
        json_object_set_new(o, "last_seen_us", json_integer((json_int_t)col_u64(s, 4)));
        json_object_set_new(o, "bytes_out", json_integer(sqlite3_column_int64(s, 5)));
        json_object_set_new(o, "bytes_in", json_integer(sqlite3_column_int64(s, 6)));
        json_object_set_new(o, "pkts_out", json_integer(sqlite3_column_int64(s, 16)));
        json_object_set_new(o, "pkts_in", json_integer(sqlite3_column_int64(s, 17)));
        json_object_set_new(o, "router", json_boolean(sqlite3_column_int(s, 7)));
        json_object_set_new(o, "ip_history", ipinfo);
        json_object_set_new(o, "services", services);
        json_object_set_new(o, "outside", outside);
        int stop = fn(arg, o);
        json_decref(o);
        if (stop)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        error("cannot read devices: %s", sqlite3_errmsg(db));
        ret = -1;
    }
    sqlite3_finalize(s);
    return ret;
}

int store_alerts_each(sqlite3 *db, const struct alert_query *q,
                      int (*fn)(void *arg, int64_t id, const struct alert *a), void *arg)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(
            db,
            "SELECT id, first_ts, last_ts, count, category, severity, src_ip, src_port, dest_ip,"
            " dest_port, proto, device, device_name, flow_ids, facts, dedup_key FROM alerts"
            " WHERE (?1 = 0 OR last_ts >= ?1) AND (?2 = 0 OR first_ts < ?2) AND severity >= ?3"
            " AND (?4 IS NULL OR category = ?4 OR (substr(?4, -1) = '.' AND"
            " substr(category, 1, length(?4)) = ?4)) AND (?5 IS NULL OR device = ?5)"
            " ORDER BY first_ts, id",
            -1, &s, NULL) != SQLITE_OK) {
        error("cannot read alerts: %s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_int64(s, 1, si_i64(q->since_us));
    sqlite3_bind_int64(s, 2, si_i64(q->until_us));
    sqlite3_bind_int(s, 3, q->min_severity);
    if (q->category)
        sqlite3_bind_text(s, 4, q->category, -1, SQLITE_STATIC);
    if (q->device)
        sqlite3_bind_text(s, 5, q->device, -1, SQLITE_STATIC);
    int rc, ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct alert a;
        char category[64];
        snprintf(category, sizeof(category), "%s", col_text(s, 4));
        alert_init(&a, category, (enum alert_severity)sqlite3_column_int(s, 5), col_u64(s, 1));
        a.last_ts_us = col_u64(s, 2);
        a.count = (uint32_t)MIN(col_u64(s, 3), UINT32_MAX);
        a.has_src = ip_addr_parse(col_text(s, 6), &a.src) == 0;
        a.sport = (uint16_t)sqlite3_column_int(s, 7);
        a.has_dst = ip_addr_parse(col_text(s, 8), &a.dst) == 0;
        a.dport = (uint16_t)sqlite3_column_int(s, 9);
        a.proto = (uint8_t)sqlite3_column_int(s, 10);
        a.has_mac = mac_parse(col_text(s, 11), a.mac) == 0;
        snprintf(a.device, sizeof(a.device), "%s", col_text(s, 12));
        json_t *ids = json_loads(col_text(s, 13), 0, NULL);
        size_t i;
        json_t *v;
        json_array_foreach(ids, i, v) {
            if (json_is_integer(v))
                alert_add_flow(&a, (uint64_t)json_integer_value(v));
        }
        json_decref(ids);
        json_t *facts = json_loads(col_text(s, 14), 0, NULL);
        if (json_is_object(facts)) {
            json_decref(a.facts);
            a.facts = facts;
        } else {
            json_decref(facts);
        }
        snprintf(a.key, sizeof(a.key), "%s", col_text(s, 15));
        int stop = fn(arg, sqlite3_column_int64(s, 0), &a);
        alert_release(&a);
        if (stop)
            break;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        error("cannot read alerts: %s", sqlite3_errmsg(db));
        ret = -1;
    }
    sqlite3_finalize(s);
    return ret;
}
