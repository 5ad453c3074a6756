/* store-sqlite.c - the SQLite flow store (docs/schema.md describes the tables).
 *
 * One connection, WAL journal, synchronous=FULL: every COMMIT is fsynced, so
 * a row is durable once commit() returns, and a crash (kill -9, power loss)
 * never leaves a torn database. Flows are copied into a small buffer and
 * inserted 32 at a time with one prepared multi-row statement, inside a
 * transaction that stays open until the next commit() (about once a second):
 * an fsync is paid once per batch, a statement's fixed cost once per 32 rows.
 * A bulk load (`mamori read`) runs with synchronous=NORMAL and fsyncs the WAL
 * on a bgsync thread, one commit behind (store_bg_start).
 * The four flows indexes are most of what remains (see docs/schema.md).
 *
 * Every failure is reported once with error() and turns the sink "failed":
 * later calls return -1 without printing again, so a full disk gives one line,
 * not one per flow.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode/decode.h"
#include "store/sink.h"
#include "store/store-app.h"
#include "store/store-inv.h"
#include "store/store-service.h"
#include "notify/notify.h"
#include "util/bgsync.h"
#include "util/netaddr.h"
#include "util/util.h"

/* How long a writer waits for another connection's lock (a reader such as
 * the dashboard, or a second mamori) before giving up with SQLITE_BUSY. */
#define STORE_BUSY_TIMEOUT_MS 5000

/* Page cache. The four flows indexes take inserts at random places, so a
 * batch touches index pages all over the file; with SQLite's default 2 MiB
 * most of them are re-read from the -wal/db file on every batch, which
 * costs 3-5x the insert rate. 32 MiB holds the hot index pages of a few
 * million flows and of the event tables' name indexes, and keeps the
 * sensor's peak memory near 100 MiB. */
#define STORE_CACHE_KIB (32 * 1024)

/* WAL pages before SQLite copies them back into the database file (each
 * copy fsyncs the database). The default 1000 pages (4 MiB) means a
 * checkpoint every second or two once protocol events are stored; 16384
 * (64 MiB) makes them rare. Durability is unchanged: every commit still
 * fsyncs the WAL. */
#define STORE_WAL_CHECKPOINT_PAGES 16384

/* A bulk load (`mamori read`) into a store holding at most this many flows
 * drops the flow and event tables' secondary indexes and builds them again
 * at the end: one sort per index instead of a B-tree insert per row and
 * index at random places (those inserts were a fifth of read's
 * instructions; the build costs less and misses the cache far less). Above
 * it, rebuilding what is already stored could cost more than it saves, and
 * the indexes stay. */
#define STORE_BULK_MAX_FLOWS 100000

/* Page size of a store created by a bulk load (`mamori read`). Rows arrive
 * in big batches and are appended, so 16 KiB pages mean a quarter of the
 * page writes, reads and B-tree splits: read took 20% less time on the
 * benchmark capture than with SQLite's 4 KiB (8 KiB: 10%, 32 and 64 KiB no
 * better than 16). A store created by watch keeps 4 KiB: a commit a second
 * rewrites every page it touches, and with 16 KiB a watch-like load (100
 * flows and 40 DNS rows a commit) wrote 2.5 times the WAL bytes. */
#define STORE_BULK_PAGE_SIZE 16384

/* Page cache during a bulk load: rows are appended and no index is touched
 * at random, so the hot pages are few; 8 MiB instead of 32 lowers read's
 * peak memory by 25 MiB on the bench corpus at no cost in speed (the index
 * builds at the end sort within it, spilling to a temporary file if they
 * must). */
#define STORE_BULK_CACHE_KIB (8 * 1024)

/* Schema migrations, applied in order. Step i (0-based) brings the database
 * from user_version i to i + 1, in its own transaction together with the
 * version bump, so a crash mid-migration leaves the previous version intact.
 * Never edit a step that has shipped: append a new one (docs/schema.md). */
static const char *const store_migrations[] = {
    /* 1: the first schema. */
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " command TEXT,"
    " source TEXT,"
    " bpf TEXT,"
    " version TEXT,"
    " started_at TEXT,"
    " ended_at TEXT,"
    " status TEXT,"
    " first_ts INTEGER,"
    " last_ts INTEGER,"
    " packets INTEGER,"
    " bytes INTEGER,"
    " flows INTEGER,"
    " decode_errors INTEGER,"
    " kernel_drops INTEGER,"
    " iface_drops INTEGER);"
    "CREATE TABLE run_counters ("
    " run_id INTEGER REFERENCES runs(id),"
    " name TEXT,"
    " value INTEGER,"
    " PRIMARY KEY (run_id, name));"
    "CREATE TABLE flows ("
    " id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL REFERENCES runs(id) DEFERRABLE INITIALLY DEFERRED,"
    " flow_id INTEGER NOT NULL,"
    " first_ts INTEGER NOT NULL,"
    " last_ts INTEGER NOT NULL,"
    " ip_version INTEGER,"
    " proto INTEGER,"
    " src_ip TEXT,"
    " src_port INTEGER,"
    " dst_ip TEXT,"
    " dst_port INTEGER,"
    " src_mac TEXT,"
    " dst_mac TEXT,"
    " vlan INTEGER,"
    " vlan2 INTEGER,"
    " tunnel TEXT,"
    " tunnel_depth INTEGER,"
    " pkts_toserver INTEGER,"
    " pkts_toclient INTEGER,"
    " bytes_toserver INTEGER,"
    " bytes_toclient INTEGER,"
    " tcp_flags_ts INTEGER,"
    " tcp_flags_tc INTEGER,"
    " tcp_state TEXT,"
    " conn_state TEXT,"
    " icmp_type INTEGER,"
    " icmp_code INTEGER,"
    " resp_icmp_type INTEGER,"
    " resp_icmp_code INTEGER,"
    " end_reason TEXT,"
    " app_proto TEXT);"
    /* "Everything host X did between T1 and T2" is two range scans. */
    "CREATE INDEX flows_src_ip_ts ON flows (src_ip, first_ts);"
    "CREATE INDEX flows_dst_ip_ts ON flows (dst_ip, first_ts);"
    "CREATE INDEX flows_first_ts ON flows (first_ts);"
    "CREATE INDEX flows_run_id ON flows (run_id);"
    "CREATE VIEW flows_readable AS SELECT"
    " id, run_id, flow_id,"
    " strftime('%Y-%m-%dT%H:%M:%f', first_ts / 1000000.0, 'unixepoch') || 'Z' AS first_seen,"
    " strftime('%Y-%m-%dT%H:%M:%f', last_ts / 1000000.0, 'unixepoch') || 'Z' AS last_seen,"
    " (last_ts - first_ts) / 1000000.0 AS duration_s,"
    " ip_version, proto, src_ip, src_port, dst_ip, dst_port, src_mac, dst_mac, vlan, vlan2,"
    " tunnel, tunnel_depth, pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient,"
    " tcp_flags_ts, tcp_flags_tc, tcp_state, conn_state, icmp_type, icmp_code,"
    " resp_icmp_type, resp_icmp_code, end_reason, app_proto"
    " FROM flows;",
    /* 2: application events, one table per event type (store-app.c). */
    store_app_schema_v2,
    /* 3: the device inventory and alerts (store-inv.c). */
    store_inv_schema_v3,
    /* 4: sensor gaps and service state (store-service.c). */
    store_service_schema_v4,
    /* 5: notifications sent (notify/notify-store.c). */
    store_notify_schema_v5,
    /* 6: index definitions a bulk load (store_sqlite_open_bulk) dropped, kept
     * until they are built again. */
    "CREATE TABLE pending_indexes ("
    " name TEXT PRIMARY KEY,"
    " sql TEXT NOT NULL);",
};

#define STORE_SCHEMA_VERSION ((int)ARRAY_SIZE(store_migrations))

/* One row of the flows INSERT: 30 parameters.
 *
 * OR FAIL and the deferred foreign key (checked at COMMIT) together mean a
 * multi-row INSERT can never need undoing halfway, so SQLite keeps no
 * statement journal for it. With one, every statement copied each page it
 * touched to a temporary file first: five write(2)s per row, half the cost. */
static const char store_insert_cols[] =
    "INSERT OR FAIL INTO flows (run_id, flow_id, first_ts, last_ts, ip_version, proto,"
    " src_ip, src_port, dst_ip, dst_port, src_mac, dst_mac, vlan, vlan2, tunnel, tunnel_depth,"
    " pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient, tcp_flags_ts, tcp_flags_tc,"
    " tcp_state, conn_state, icmp_type, icmp_code, resp_icmp_type, resp_icmp_code,"
    " end_reason, app_proto) VALUES ";
static const char store_insert_row[] =
    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

/* Parameter numbers within one row of the INSERT, in order; row k of a
 * multi-row statement uses k * FP_COUNT + FP_x. */
enum {
    FP_RUN_ID = 1,
    FP_FLOW_ID,
    FP_FIRST_TS,
    FP_LAST_TS,
    FP_IP_VERSION,
    FP_PROTO,
    FP_SRC_IP,
    FP_SRC_PORT,
    FP_DST_IP,
    FP_DST_PORT,
    FP_SRC_MAC,
    FP_DST_MAC,
    FP_VLAN,
    FP_VLAN2,
    FP_TUNNEL,
    FP_TUNNEL_DEPTH,
    FP_PKTS_TS,
    FP_PKTS_TC,
    FP_BYTES_TS,
    FP_BYTES_TC,
    FP_TCP_FLAGS_TS,
    FP_TCP_FLAGS_TC,
    FP_TCP_STATE,
    FP_CONN_STATE,
    FP_ICMP_TYPE,
    FP_ICMP_CODE,
    FP_RESP_ICMP_TYPE,
    FP_RESP_ICMP_CODE,
    FP_END_REASON,
    FP_APP_PROTO,
    FP_COUNT = FP_APP_PROTO
};

/* Rows per multi-row INSERT. Each execution of a statement has a fixed cost
 * (cursors on the table and its four indexes, foreign-key and statement
 * bookkeeping) about as large as a row's own work; 32 rows share it.
 * 32 x 30 parameters is far below SQLite's limit of 32766. */
#define STORE_ROWS_PER_STMT 32

/* Text of one pending row, bound with SQLITE_STATIC: it must stay put until
 * the statement has run, and living here it costs no allocation. */
struct store_row_text {
    char src_ip[IP_ADDR_TEXT_MAX], dst_ip[IP_ADDR_TEXT_MAX];
    char src_mac[18], dst_mac[18];
};

struct store_sqlite {
    struct sink sink; /* first: the pipeline holds a struct sink * */
    sqlite3 *db;
    char *path;
    sqlite3_stmt *ins_one;  /* INSERT of one row */
    sqlite3_stmt *ins_many; /* INSERT of STORE_ROWS_PER_STMT rows */
    struct store_app *app;  /* the event tables' INSERTs */
    struct store_inv *inv;  /* devices and alerts */
    int64_t run_id;         /* 0 until run_start */
    bool bulk;              /* indexes dropped at open, built at run end or close */
    struct bgsync *bg;      /* a bulk load's WAL fsync, one commit behind; NULL: FULL */
    bool in_txn;
    bool failed; /* an error was printed; refuse further work */
    /* Flows given but not yet inserted (the caller's struct is borrowed, so
     * they are copied); flushed when full and before any commit. */
    unsigned npend;
    struct flow pend[STORE_ROWS_PER_STMT];
    struct store_row_text text[STORE_ROWS_PER_STMT];
};

static struct store_sqlite *store_of(struct sink *s)
{
    return (struct store_sqlite *)s;
}

/* Reports an environment failure once; later failures stay quiet. */
static int store_fail(struct store_sqlite *st, const char *what)
{
    if (!st->failed)
        error("cannot write to database '%s': %s", st->path, what);
    st->failed = true;
    return -1;
}

/* After a failed statement SQLite may have rolled the transaction back on its
 * own (SQLITE_FULL, SQLITE_IOERR); keep in_txn in step with it. */
static void store_sync_txn(struct store_sqlite *st)
{
    if (st->in_txn && sqlite3_get_autocommit(st->db))
        st->in_txn = false;
}

static int store_exec(struct store_sqlite *st, const char *sql)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        int rc = store_fail(st, sqlite3_errmsg(st->db));
        store_sync_txn(st);
        return rc;
    }
    return 0;
}

static int store_begin(struct store_sqlite *st)
{
    if (st->in_txn)
        return 0;
    if (store_exec(st, "BEGIN") < 0)
        return -1;
    st->in_txn = true;
    return 0;
}

static int store_commit_txn(struct store_sqlite *st)
{
    if (!st->in_txn)
        return 0;
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        store_fail(st, sqlite3_errmsg(st->db));
        /* A COMMIT that failed (busy past the timeout, disk full) leaves the
         * transaction open; roll it back so the connection is usable. */
        if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        st->in_txn = false;
        return -1;
    }
    st->in_txn = false;
    if (st->bg) {
        int err = bgsync_kick(st->bg);
        if (err)
            return store_fail(st, strerror(err));
    }
    return 0;
}

/* A bulk load's last commits on disk: waits for the background sync, runs
 * one more (the index build and anything SQLite committed by itself). */
static int store_sync_now(struct store_sqlite *st)
{
    if (!st->bg)
        return 0;
    int err = bgsync_kick(st->bg);
    if (!err)
        err = bgsync_drain(st->bg);
    return err ? store_fail(st, strerror(err)) : 0;
}

/* Wall-clock time, ISO-8601 UTC: only for runs.started_at/ended_at, which say
 * when mamori ran, not when the traffic happened. */
static void store_now_iso(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t secs = ts.tv_sec;
    if (!gmtime_r(&secs, &tm))
        memset(&tm, 0, sizeof(tm));
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *store_tunnel_name(uint8_t t)
{
    switch (t) {
    case TUNNEL_GRE:
        return "gre";
    case TUNNEL_VXLAN:
        return "vxlan";
    case TUNNEL_IPIP:
        return "ipip";
    case TUNNEL_TEREDO:
        return "teredo";
    default:
        return NULL;
    }
}

/* SQLite integers are signed 64-bit; our counters never get near 2^63. */
static int64_t store_i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int store_flush_rows(struct store_sqlite *st);
static int store_build_pending(sqlite3 *db, const char **msg);

static int store_run_start(struct sink *s, const struct run_info *ri)
{
    struct store_sqlite *st = store_of(s);
    sqlite3_stmt *stmt = NULL;
    char now[32];

    if (st->failed)
        return -1;
    /* A run row is committed on its own so that a crash still shows the run
     * (status 'running') that the flows belong to. Rows still pending belong
     * to the previous run. */
    if (store_flush_rows(st) < 0 || store_commit_txn(st) < 0)
        return -1;
    store_now_iso(now, sizeof(now));
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO runs (command, source, bpf, version, started_at, status)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, 'running')",
                           -1, &stmt, NULL) != SQLITE_OK)
        return store_fail(st, sqlite3_errmsg(st->db));
    sqlite3_bind_text(stmt, 1, ri ? ri->command : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, ri ? ri->source : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, ri ? ri->bpf : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, ri ? ri->version : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, now, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
        store_fail(st, sqlite3_errmsg(st->db));
        sqlite3_finalize(stmt);
        return -1;
    }
    sqlite3_finalize(stmt);
    st->run_id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

static void store_bind_u8_or_null(sqlite3_stmt *stmt, int col, bool present, uint8_t v)
{
    if (present)
        sqlite3_bind_int(stmt, col, v);
    else
        sqlite3_bind_null(stmt, col);
}

/* Binds pending row `slot` as row `row` of stmt. */
static void store_bind_row(struct store_sqlite *st, sqlite3_stmt *stmt, int row, unsigned slot)
{
    const struct flow *f = &st->pend[slot];
    struct store_row_text *t = &st->text[slot];
    const int b = row * FP_COUNT;
    bool is_tcp = f->proto == 6;
    bool is_icmp = f->proto == 1 || f->proto == 58;
    bool has_ports = f->proto == 6 || f->proto == 17 || f->proto == 132;

    ip_addr_fmt(&f->src, t->src_ip, sizeof(t->src_ip));
    ip_addr_fmt(&f->dst, t->dst_ip, sizeof(t->dst_ip));

    sqlite3_bind_int64(stmt, b + FP_RUN_ID, st->run_id);
    sqlite3_bind_int64(stmt, b + FP_FLOW_ID, store_i64(f->id));
    sqlite3_bind_int64(stmt, b + FP_FIRST_TS, store_i64(f->first_ts_us));
    sqlite3_bind_int64(stmt, b + FP_LAST_TS, store_i64(f->last_ts_us));
    sqlite3_bind_int(stmt, b + FP_IP_VERSION, f->ip_version);
    sqlite3_bind_int(stmt, b + FP_PROTO, f->proto);
    sqlite3_bind_text(stmt, b + FP_SRC_IP, t->src_ip, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, b + FP_DST_IP, t->dst_ip, -1, SQLITE_STATIC);
    if (has_ports) {
        sqlite3_bind_int(stmt, b + FP_SRC_PORT, f->sport);
        sqlite3_bind_int(stmt, b + FP_DST_PORT, f->dport);
    } else {
        sqlite3_bind_null(stmt, b + FP_SRC_PORT);
        sqlite3_bind_null(stmt, b + FP_DST_PORT);
    }
    if (f->has_mac) {
        mac_fmt(f->src_mac, t->src_mac);
        mac_fmt(f->dst_mac, t->dst_mac);
        sqlite3_bind_text(stmt, b + FP_SRC_MAC, t->src_mac, 17, SQLITE_STATIC);
        sqlite3_bind_text(stmt, b + FP_DST_MAC, t->dst_mac, 17, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(stmt, b + FP_SRC_MAC);
        sqlite3_bind_null(stmt, b + FP_DST_MAC);
    }
    if (f->vlan_count >= 1)
        sqlite3_bind_int(stmt, b + FP_VLAN, f->vlan[0]);
    else
        sqlite3_bind_null(stmt, b + FP_VLAN);
    if (f->vlan_count >= 2)
        sqlite3_bind_int(stmt, b + FP_VLAN2, f->vlan[1]);
    else
        sqlite3_bind_null(stmt, b + FP_VLAN2);
    sqlite3_bind_text(stmt, b + FP_TUNNEL, store_tunnel_name(f->tunnel), -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, b + FP_TUNNEL_DEPTH, f->tunnel_depth);
    sqlite3_bind_int64(stmt, b + FP_PKTS_TS, store_i64(f->pkts[0]));
    sqlite3_bind_int64(stmt, b + FP_PKTS_TC, store_i64(f->pkts[1]));
    sqlite3_bind_int64(stmt, b + FP_BYTES_TS, store_i64(f->bytes[0]));
    sqlite3_bind_int64(stmt, b + FP_BYTES_TC, store_i64(f->bytes[1]));
    store_bind_u8_or_null(stmt, b + FP_TCP_FLAGS_TS, is_tcp, f->tcp_flags[0]);
    store_bind_u8_or_null(stmt, b + FP_TCP_FLAGS_TC, is_tcp, f->tcp_flags[1]);
    if (is_tcp)
        sqlite3_bind_text(stmt, b + FP_TCP_STATE,
                          flow_tcp_state_name((enum flow_tcp_state)f->tcp_state), -1,
                          SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, b + FP_TCP_STATE);
    /* conn_state is a fixed array that need not be NUL-terminated when full;
     * the copy in pend[] outlives the statement. */
    size_t cs_len = strnlen(f->conn_state, sizeof(f->conn_state));
    if (cs_len)
        sqlite3_bind_text(stmt, b + FP_CONN_STATE, f->conn_state, (int)cs_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, b + FP_CONN_STATE);
    store_bind_u8_or_null(stmt, b + FP_ICMP_TYPE, is_icmp, f->icmp_type);
    store_bind_u8_or_null(stmt, b + FP_ICMP_CODE, is_icmp, f->icmp_code);
    store_bind_u8_or_null(stmt, b + FP_RESP_ICMP_TYPE, is_icmp && f->resp_icmp_seen,
                          f->resp_icmp_type);
    store_bind_u8_or_null(stmt, b + FP_RESP_ICMP_CODE, is_icmp && f->resp_icmp_seen,
                          f->resp_icmp_code);
    sqlite3_bind_text(stmt, b + FP_END_REASON,
                      flow_end_reason_name((enum flow_end_reason)f->end_reason), -1, SQLITE_STATIC);
    /* Like conn_state: the copy in pend[] outlives the statement. */
    size_t ap_len = strnlen(f->app_proto, sizeof(f->app_proto));
    if (ap_len)
        sqlite3_bind_text(stmt, b + FP_APP_PROTO, f->app_proto, (int)ap_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, b + FP_APP_PROTO);
}

static int store_step(struct store_sqlite *st, sqlite3_stmt *stmt)
{
    int rc = sqlite3_step(stmt);
    /* reset keeps the bindings; they point into pend[]/text[], which stay
     * valid, and every parameter is bound again before the next step. */
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
        store_fail(st, sqlite3_errmsg(st->db));
        store_sync_txn(st);
        return -1;
    }
    return 0;
}

/* Inserts the pending rows: one multi-row statement when the buffer is full,
 * otherwise one statement per row. On failure the rows are dropped (the
 * error is reported and the sink refuses further work). */
static int store_flush_rows(struct store_sqlite *st)
{
    unsigned n = st->npend;
    int ret = 0;

    if (!n)
        return 0;
    st->npend = 0;
    if (store_begin(st) < 0)
        return -1;
    if (n == STORE_ROWS_PER_STMT) {
        for (unsigned i = 0; i < n; i++)
            store_bind_row(st, st->ins_many, (int)i, i);
        return store_step(st, st->ins_many);
    }
    for (unsigned i = 0; i < n && ret == 0; i++) {
        store_bind_row(st, st->ins_one, 0, i);
        ret = store_step(st, st->ins_one);
    }
    return ret;
}

static int store_flow(struct sink *s, const struct flow *f)
{
    struct store_sqlite *st = store_of(s);

    if (st->failed)
        return -1;
    /* Flows without run_start (a caller that skipped it) still need a run
     * row for the foreign key. */
    if (!st->run_id) {
        const struct run_info anon = {.command = NULL};
        if (store_run_start(s, &anon) < 0)
            return -1;
    }
    st->pend[st->npend++] = *f;
    if (st->npend == STORE_ROWS_PER_STMT)
        return store_flush_rows(st);
    return 0;
}

/* Events go straight into their table inside the open transaction: they
 * are few next to packets, and the next commit() makes them durable with
 * the flows. */
static int store_app_event(struct sink *s, const struct app_event *ev)
{
    struct store_sqlite *st = store_of(s);

    if (st->failed)
        return -1;
    if (!st->run_id) {
        const struct run_info anon = {.command = NULL};
        if (store_run_start(s, &anon) < 0)
            return -1;
    }
    if (store_begin(st) < 0)
        return -1;
    if (store_app_insert(st->app, st->run_id, ev) != SQLITE_DONE) {
        store_fail(st, sqlite3_errmsg(st->db));
        store_sync_txn(st);
        return -1;
    }
    return 0;
}

static int store_alert(struct sink *s, const struct alert *a)
{
    struct store_sqlite *st = store_of(s);

    if (st->failed)
        return -1;
    if (store_begin(st) < 0)
        return -1;
    if (store_inv_alert(st->inv, st->run_id, a) != SQLITE_DONE) {
        store_fail(st, sqlite3_errmsg(st->db));
        store_sync_txn(st);
        return -1;
    }
    return 0;
}

static int store_device(struct sink *s, const struct device *d)
{
    struct store_sqlite *st = store_of(s);

    if (st->failed)
        return -1;
    if (store_begin(st) < 0)
        return -1;
    if (store_inv_device(st->inv, d) != SQLITE_DONE) {
        store_fail(st, sqlite3_errmsg(st->db));
        store_sync_txn(st);
        return -1;
    }
    return 0;
}

static int store_load_inventory(struct sink *s, struct inventory *inv)
{
    struct store_sqlite *st = store_of(s);
    if (st->failed)
        return -1;
    if (store_inv_load(st->db, inv) < 0)
        return store_fail(st, sqlite3_errmsg(st->db));
    return 0;
}

static int store_commit(struct sink *s)
{
    struct store_sqlite *st = store_of(s);
    if (st->failed)
        return -1;
    if (store_flush_rows(st) < 0)
        return -1;
    return store_commit_txn(st);
}

static int store_put_counter(struct store_sqlite *st, sqlite3_stmt *stmt, const char *name,
                             uint64_t value)
{
    sqlite3_bind_int64(stmt, 1, st->run_id);
    sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 3, store_i64(value));
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
        store_fail(st, sqlite3_errmsg(st->db));
        store_sync_txn(st);
        return -1;
    }
    return 0;
}

static int store_put_counters(struct store_sqlite *st, const struct run_stats *rs)
{
    sqlite3_stmt *stmt = NULL;
    int ret = 0;

    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO run_counters (run_id, name, value)"
                           " VALUES (?1, ?2, ?3)",
                           -1, &stmt, NULL) != SQLITE_OK)
        return store_fail(st, sqlite3_errmsg(st->db));

    if (rs->event_counts) {
        for (int i = 0; i < DEV_MAX && ret == 0; i++) {
            if (rs->event_counts[i])
                ret = store_put_counter(st, stmt, decode_event_name((enum decode_event)i),
                                        rs->event_counts[i]);
        }
    }
    if (rs->flow_stats && ret == 0) {
        const struct flow_stats *fs = rs->flow_stats;
        struct {
            const char *name;
            uint64_t value;
        } fixed[] = {
            {"flow.created", fs->created},       {"flow.evicted", fs->evicted},
            {"flow.active_now", fs->active_now}, {"flow.max_active", fs->max_active},
            {"flow.no_flow", fs->no_flow},
        };
        for (size_t i = 0; i < ARRAY_SIZE(fixed) && ret == 0; i++)
            ret = store_put_counter(st, stmt, fixed[i].name, fixed[i].value);
        for (int r = FLOW_END_FIN; r <= FLOW_END_REUSED && ret == 0; r++) {
            char name[64];
            snprintf(name, sizeof(name), "flow.ended.%s",
                     flow_end_reason_name((enum flow_end_reason)r));
            ret = store_put_counter(st, stmt, name, fs->ended[r]);
        }
    }
    sqlite3_finalize(stmt);
    return ret;
}

/* The end of a bulk load: its indexes are built (within the run, so that
 * read's summary times them too). */
static int store_bulk_end(struct store_sqlite *st)
{
    const char *msg = NULL;
    if (!st->bulk)
        return 0;
    st->bulk = false;
    /* Each index build grows a sorter in memory and frees it at the end;
     * given back at once, the next build faulted it in again (17 000 page
     * faults on the bench corpus). */
    mem_release_at_once(false);
    int rc = store_build_pending(st->db, &msg);
    mem_release_at_once(true);
    if (rc < 0)
        return store_fail(st, msg);
    return 0;
}

static int store_run_end(struct sink *s, const struct run_stats *rs)
{
    struct store_sqlite *st = store_of(s);
    sqlite3_stmt *stmt = NULL;
    char now[32];

    if (st->failed)
        return -1;
    if (!st->run_id) {
        const struct run_info anon = {.command = NULL};
        if (store_run_start(s, &anon) < 0)
            return -1;
    }
    /* Totals, counters and any flows still pending land in one transaction. */
    if (store_flush_rows(st) < 0 || store_begin(st) < 0)
        return -1;
    store_now_iso(now, sizeof(now));
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE runs SET ended_at = ?2, status = 'complete',"
                           " first_ts = ?3, last_ts = ?4, packets = ?5, bytes = ?6, flows = ?7,"
                           " decode_errors = ?8, kernel_drops = ?9, iface_drops = ?10"
                           " WHERE id = ?1",
                           -1, &stmt, NULL) != SQLITE_OK)
        return store_fail(st, sqlite3_errmsg(st->db));
    sqlite3_bind_int64(stmt, 1, st->run_id);
    sqlite3_bind_text(stmt, 2, now, -1, SQLITE_STATIC);
    if (rs->first_ts_us || rs->last_ts_us) {
        sqlite3_bind_int64(stmt, 3, store_i64(rs->first_ts_us));
        sqlite3_bind_int64(stmt, 4, store_i64(rs->last_ts_us));
    }
    sqlite3_bind_int64(stmt, 5, store_i64(rs->packets));
    sqlite3_bind_int64(stmt, 6, store_i64(rs->bytes));
    sqlite3_bind_int64(stmt, 7, store_i64(rs->flows));
    sqlite3_bind_int64(stmt, 8, store_i64(rs->decode_errors));
    sqlite3_bind_int64(stmt, 9, store_i64(rs->kernel_drops));
    sqlite3_bind_int64(stmt, 10, store_i64(rs->iface_drops));
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        store_fail(st, sqlite3_errmsg(st->db));
        store_sync_txn(st);
        return -1;
    }
    if (store_put_counters(st, rs) < 0 || store_commit_txn(st) < 0 || store_bulk_end(st) < 0)
        return -1;
    return store_sync_now(st);
}

static void store_close(struct sink *s)
{
    struct store_sqlite *st = store_of(s);
    if (!st)
        return;
    if (!st->failed && store_flush_rows(st) == 0)
        store_commit_txn(st);
    if (st->in_txn)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    if (!st->failed)
        store_bulk_end(st);
    if (!st->failed)
        store_sync_now(st);
    bgsync_free(st->bg);
    sqlite3_finalize(st->ins_one);
    sqlite3_finalize(st->ins_many);
    store_app_free(st->app);
    store_inv_free(st->inv);
    /* close_v2 would defer on unfinalized statements; there are none left. */
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

static const struct sink_ops store_sqlite_ops = {
    .name = "sqlite",
    .run_start = store_run_start,
    .flow = store_flow,
    .app_event = store_app_event,
    .alert = store_alert,
    .device = store_device,
    .load_inventory = store_load_inventory,
    .commit = store_commit,
    .run_end = store_run_end,
    .close = store_close,
};

/* Reads a single integer from a PRAGMA/SELECT. This is also the first real
 * read of the file: sqlite3_open_v2() is lazy, so "file is not a database"
 * shows up here. Returns 0 or -1 with the message in *msg. */
static int store_query_int(sqlite3 *db, const char *sql, int *out, const char **msg)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        *msg = sqlite3_errmsg(db);
        return -1;
    }
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        *msg = sqlite3_errmsg(db);
        sqlite3_finalize(stmt);
        return -1;
    }
    *out = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return 0;
}

/* Applies migrations from `from` up to STORE_SCHEMA_VERSION, each step in its
 * own transaction. Returns 0 or -1 with the message in *msg. */
static int store_migrate(sqlite3 *db, int from, const char **msg)
{
    for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
        char bump[48];
        snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v + 1);
        /* BEGIN IMMEDIATE takes the write lock first, so two mamori processes
         * opening a new database at once do not both migrate it. */
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            *msg = sqlite3_errmsg(db);
            return -1;
        }
        int cur = 0;
        if (store_query_int(db, "PRAGMA user_version", &cur, msg) < 0)
            goto out_rollback;
        if (cur > v) {
            /* Someone else migrated meanwhile: continue from where they are. */
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            v = cur - 1;
            continue;
        }
        if (sqlite3_exec(db, store_migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, bump, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            *msg = sqlite3_errmsg(db);
            goto out_rollback;
        }
    }
    return 0;

out_rollback:
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Builds the indexes a bulk load left in pending_indexes, all in one
 * transaction, and forgets them: at the end of that load, or at the next open
 * if it was killed first. Returns 0 or -1 with the message in *msg. */
static int store_build_pending(sqlite3 *db, const char **msg)
{
    int n = 0;
    if (store_query_int(db, "SELECT count(*) FROM pending_indexes", &n, msg) < 0)
        return -1;
    if (n == 0)
        return 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT sql FROM pending_indexes", -1, &q, NULL) != SQLITE_OK)
        goto fail;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        /* CREATE INDEX IF NOT EXISTS: another writer may have built it. */
        if (sqlite3_exec(db, (const char *)sqlite3_column_text(q, 0), NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
    }
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_exec(db, "DELETE FROM pending_indexes; COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
fail:
    *msg = sqlite3_errmsg(db);
    sqlite3_finalize(q);
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Starts a bulk load: when the store holds few flows (STORE_BULK_MAX_FLOWS),
 * the secondary indexes of flows and of the event tables are dropped, their
 * definitions first saved in pending_indexes in the same transaction. Sets
 * *bulk when it did. Returns 0 or -1 with the message in *msg. */
static int store_bulk_begin(sqlite3 *db, bool *bulk, const char **msg)
{
    int big = 0;
    char ask[80];
    *bulk = false;
    snprintf(ask, sizeof(ask), "SELECT coalesce(max(id), 0) > %d FROM flows", STORE_BULK_MAX_FLOWS);
    if (store_query_int(db, ask, &big, msg) < 0)
        return -1;
    if (big)
        return 0;
    /* Only plain indexes ("CREATE INDEX name ON ..."), kept so that they
     * rebuild with IF NOT EXISTS; the inventory's tables keep theirs (the
     * pipeline looks devices up while it runs). */
    sqlite3_str *sql = sqlite3_str_new(db);
    sqlite3_str_appendall(sql, "INSERT OR IGNORE INTO pending_indexes"
                               " SELECT name, 'CREATE INDEX IF NOT EXISTS ' || substr(sql, 14)"
                               " FROM sqlite_master WHERE type = 'index'"
                               " AND substr(sql, 1, 13) = 'CREATE INDEX ' AND tbl_name IN ('flows'");
    for (unsigned i = 0; i < store_app_ntables; i++)
        sqlite3_str_appendf(sql, ",%Q", store_app_tables[i].table);
    sqlite3_str_appendall(sql, ")");
    char *save = sqlite3_str_finish(sql);
    char *drops = NULL;
    sqlite3_stmt *q = NULL;
    bool nomem = !save;
    if (nomem || sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, save, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    /* The DROPs are one script, read before it runs: SQLite refuses to drop
     * an index while a statement is still reading. */
    if (sqlite3_prepare_v2(db,
                           "SELECT group_concat('DROP INDEX IF EXISTS \"'"
                           " || replace(name, '\"', '\"\"') || '\"', ';') FROM pending_indexes",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW)
        goto fail;
    bool any = sqlite3_column_type(q, 0) != SQLITE_NULL;
    drops = any ? sqlite3_mprintf("%s", sqlite3_column_text(q, 0)) : NULL;
    sqlite3_finalize(q);
    q = NULL;
    nomem = any && !drops;
    if (nomem || (any && sqlite3_exec(db, drops, NULL, NULL, NULL) != SQLITE_OK) ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_free(save);
    sqlite3_free(drops);
    *bulk = true;
    char pragma[48];
    snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = -%d", STORE_BULK_CACHE_KIB);
    sqlite3_exec(db, pragma, NULL, NULL, NULL);
    return 0;
fail:
    *msg = nomem ? "out of memory" : sqlite3_errmsg(db);
    sqlite3_free(save);
    sqlite3_free(drops);
    sqlite3_finalize(q);
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* A bulk load's commits: synchronous=NORMAL (SQLite no longer waits for the
 * disk at COMMIT) and a bgsync that fdatasyncs the WAL after each commit on
 * its own thread, so a commit is on disk when the next one returns and all
 * are when read ends. NULL, and FULL kept, when that cannot be set up. */
static struct bgsync *store_bg_start(sqlite3 *db)
{
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(db, "main"));
    /* Read-only is enough for fdatasync; SQLite holds no lock on the -wal
     * file, so closing this descriptor releases none of its locks. */
    int fd = wal ? open(wal, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0)
        return NULL;
    struct bgsync *bg = bgsync_new(fd, true);
    if (!bg) {
        close(fd);
        return NULL;
    }
    if (sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
        bgsync_free(bg); /* closes fd */
        return NULL;
    }
    return bg;
}

/* Prepares the one-row and the STORE_ROWS_PER_STMT-row INSERT. */
static int store_prepare_inserts(struct store_sqlite *st)
{
    size_t cap = sizeof(store_insert_cols) + STORE_ROWS_PER_STMT * sizeof(store_insert_row);
    char *sql = xmalloc(cap);
    size_t len = (size_t)snprintf(sql, cap, "%s%s", store_insert_cols, store_insert_row);
    int rc = sqlite3_prepare_v3(st->db, sql, (int)len + 1, SQLITE_PREPARE_PERSISTENT, &st->ins_one,
                                NULL);
    for (int i = 1; i < STORE_ROWS_PER_STMT; i++)
        len += (size_t)snprintf(sql + len, cap - len, ",%s", store_insert_row);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(st->db, sql, (int)len + 1, SQLITE_PREPARE_PERSISTENT, &st->ins_many,
                                NULL);
    free(sql);
    return rc == SQLITE_OK ? 0 : -1;
}

struct sink *store_sqlite_open(const char *path)
{
    return store_sqlite_open_bulk(path, false);
}

struct sink *store_sqlite_open_bulk(const char *path, bool bulk_load)
{
    sqlite3 *db = NULL;
    const char *msg = NULL;
    char msgbuf[160];
    int version = 0;

    /* NOMUTEX: the connection is used by one thread at a time (the pipeline's
     * sink calls); SQLite's per-call mutex was a tenth of the cost of a row. */
    int rc = sqlite3_open_v2(
        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        goto out_close_db;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);

    if (store_query_int(db, "PRAGMA user_version", &version, &msg) < 0)
        goto out_close_db;
    /* A store that read creates gets big pages (STORE_BULK_PAGE_SIZE); the
     * size is fixed when the first table is written. */
    int pages = 0;
    if (bulk_load && store_query_int(db, "PRAGMA page_count", &pages, &msg) < 0)
        goto out_close_db;
    if (bulk_load && pages == 0) {
        char pragma[40];
        snprintf(pragma, sizeof(pragma), "PRAGMA page_size = %d", STORE_BULK_PAGE_SIZE);
        sqlite3_exec(db, pragma, NULL, NULL, NULL);
    }
    /* SQLite silently opens a file it may not write read-only. */
    if (sqlite3_db_readonly(db, "main") == 1) {
        msg = "attempt to write a readonly database";
        goto out_close_db;
    }
    if (version > STORE_SCHEMA_VERSION) {
        snprintf(msgbuf, sizeof(msgbuf),
                 "schema version %d is newer than this mamori supports (%d); upgrade mamori",
                 version, STORE_SCHEMA_VERSION);
        msg = msgbuf;
        goto out_close_db;
    }

    /* journal_mode answers with the mode in force: anything but "wal" means
     * the switch did not happen (e.g. a read-only directory for the -wal file). */
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_ROW) {
        msg = sqlite3_errmsg(db);
        sqlite3_finalize(stmt);
        goto out_close_db;
    }
    const unsigned char *mode = sqlite3_column_text(stmt, 0);
    bool wal = mode && strcmp((const char *)mode, "wal") == 0;
    sqlite3_finalize(stmt);
    if (!wal) {
        msg = "cannot switch to WAL journal mode";
        goto out_close_db;
    }
    /* FULL: in WAL mode, fsync the log at every COMMIT, so a committed batch
     * survives power loss, not only a crash of mamori. */
    char pragmas[200];
    snprintf(pragmas, sizeof(pragmas),
             "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -%d;"
             " PRAGMA wal_autocheckpoint = %d;",
             STORE_CACHE_KIB, STORE_WAL_CHECKPOINT_PAGES);
    if (sqlite3_exec(db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
        msg = sqlite3_errmsg(db);
        goto out_close_db;
    }
    if (store_migrate(db, version, &msg) < 0 || store_build_pending(db, &msg) < 0)
        goto out_close_db;
    bool bulk = false;
    if (bulk_load && store_bulk_begin(db, &bulk, &msg) < 0)
        goto out_close_db;
    /* Every row this connection writes names the run it started, whose row
     * is committed before them (store_flow and store_app_event start one if
     * the caller did not): for a bulk load the foreign-key lookup of runs
     * for every flow and event row (about 850 instructions a row) checks
     * nothing. Other writers keep it. Set before the INSERTs are prepared,
     * which is when SQLite codes the check into them. */
    if (bulk_load && sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK) {
        msg = sqlite3_errmsg(db);
        goto out_close_db;
    }

    struct store_sqlite *st = xcalloc(1, sizeof(*st));
    st->sink.ops = &store_sqlite_ops;
    st->db = db;
    st->bulk = bulk;
    st->bg = bulk_load ? store_bg_start(db) : NULL;
    st->path = xstrdup(path);
    /* Preparing also parses the schema: a corrupt sqlite_master fails here. */
    if (store_prepare_inserts(st) < 0 || !(st->app = store_app_new(db)) ||
        !(st->inv = store_inv_new(db))) {
        /* Copied: finalizing may replace the connection's message. */
        snprintf(msgbuf, sizeof(msgbuf), "%s", sqlite3_errmsg(db));
        msg = msgbuf;
        sqlite3_finalize(st->ins_one);
        sqlite3_finalize(st->ins_many);
        store_app_free(st->app);
        bgsync_free(st->bg);
        free(st->path);
        free(st);
        goto out_close_db;
    }
    return &st->sink;

out_close_db:
    error("cannot open database '%s': %s", path, msg ? msg : "unknown error");
    sqlite3_close(db);
    return NULL;
}
