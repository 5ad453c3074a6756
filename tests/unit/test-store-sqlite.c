/* test-store-sqlite.c - the SQLite sink: schema, values, failures, durability.
 *
 * Flows are built by hand (no flow table). Each test works in its own
 * temporary directory and reads the result back with a plain sqlite3
 * connection, as the report and dashboard will.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "decode/decode.h"
#include "store/sink.h"
#include "util/util.h"

#include "flow-test-util.h"

struct tmpdir {
    char dir[64];
    char db[128];
};

static void tmpdir_make(struct tmpdir *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/mamori-test-store-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->db, sizeof(t->db), "%s/flows.db", t->dir);
}

static void tmpdir_remove(struct tmpdir *t)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char p[160];
    for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
        snprintf(p, sizeof(p), "%s%s", t->db, suffixes[i]);
        unlink(p);
    }
    snprintf(p, sizeof(p), "%s/junk", t->dir);
    unlink(p);
    rmdir(t->dir);
}

/* A TCP flow 10.0.0.<n>:40000+n -> 192.0.2.1:443, distinct per n. */
static void make_tcp_flow(struct flow *f, uint64_t n)
{
    memset(f, 0, sizeof(*f));
    f->id = n;
    f->first_ts_us = T0_US + n * 1000u;
    f->last_ts_us = f->first_ts_us + 2500000u;
    f->ip_version = 4;
    f->proto = 6;
    v4(&f->src, 10, (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n);
    v4(&f->dst, 192, 0, 2, 1);
    f->sport = (uint16_t)(40000u + n % 20000u);
    f->dport = 443;
    f->pkts[0] = 10;
    f->pkts[1] = 8;
    f->bytes[0] = 1200;
    f->bytes[1] = 9000;
    f->tcp_flags[0] = TH_SYN | TH_ACK | TH_FIN | TH_PSH;
    f->tcp_flags[1] = TH_SYN | TH_ACK | TH_FIN;
    f->tcp_state = TCPS_CLOSED;
    f->end_reason = FLOW_END_FIN;
    memcpy(f->conn_state, "SF", 3);
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Copies the first column of the first row as text ("" for NULL). */
static void raw_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out, len, "%s", t ? (const char *)t : "");
    sqlite3_finalize(st);
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static const struct run_info test_run = {
    .command = "read", .source = "test.pcap", .bpf = "tcp", .version = "0.1.0"};

/* --- schema --- */

static void test_fresh_schema(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    s->ops->close(s);

    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 6);
    char mode[16];
    raw_text(db, "PRAGMA journal_mode", mode, sizeof(mode));
    assert_string_equal(mode, "wal");

    /* Exact column lists: other modules and scripts query these by name. */
    static const char *const flow_cols[] = {"id",
                                            "run_id",
                                            "flow_id",
                                            "first_ts",
                                            "last_ts",
                                            "ip_version",
                                            "proto",
                                            "src_ip",
                                            "src_port",
                                            "dst_ip",
                                            "dst_port",
                                            "src_mac",
                                            "dst_mac",
                                            "vlan",
                                            "vlan2",
                                            "tunnel",
                                            "tunnel_depth",
                                            "pkts_toserver",
                                            "pkts_toclient",
                                            "bytes_toserver",
                                            "bytes_toclient",
                                            "tcp_flags_ts",
                                            "tcp_flags_tc",
                                            "tcp_state",
                                            "conn_state",
                                            "icmp_type",
                                            "icmp_code",
                                            "resp_icmp_type",
                                            "resp_icmp_code",
                                            "end_reason",
                                            "app_proto"};
    static const char *const run_cols[] = {
        "id",       "command",       "source",       "bpf",        "version", "started_at",
        "ended_at", "status",        "first_ts",     "last_ts",    "packets", "bytes",
        "flows",    "decode_errors", "kernel_drops", "iface_drops"};
    static const char *const counter_cols[] = {"run_id", "name", "value"};
    const struct {
        const char *table;
        const char *const *cols;
        size_t n;
    } tables[] = {
        {"flows", flow_cols, ARRAY_SIZE(flow_cols)},
        {"runs", run_cols, ARRAY_SIZE(run_cols)},
        {"run_counters", counter_cols, ARRAY_SIZE(counter_cols)},
    };
    for (size_t ti = 0; ti < ARRAY_SIZE(tables); ti++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s') ORDER BY cid",
                 tables[ti].table);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        size_t i = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            assert_true(i < tables[ti].n);
            assert_string_equal((const char *)sqlite3_column_text(st, 0), tables[ti].cols[i]);
            i++;
        }
        assert_int_equal(i, tables[ti].n);
        sqlite3_finalize(st);
    }
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
                                 " name IN ('flows_src_ip_ts', 'flows_dst_ip_ts',"
                                 " 'flows_first_ts', 'flows_run_flow')"),
                     4);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND"
                                 " name = 'flows_readable'"),
                     1);
    /* The host query must use the index, not scan the table. */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "EXPLAIN QUERY PLAN SELECT * FROM flows WHERE src_ip = ?"
                                        " AND first_ts BETWEEN ? AND ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(st, 3), "flows_src_ip_ts"));
    sqlite3_finalize(st);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* --- values --- */

static void test_roundtrip_values(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);

    /* 1: TCP over IPv4, two VLAN tags, MACs, inside GRE at layer 1. */
    struct flow f;
    make_tcp_flow(&f, 1);
    f.vlan_count = 2;
    f.vlan[0] = 100;
    f.vlan[1] = 4094; /* the highest valid id: pins that vlan2 is not truncated */
    f.has_mac = true;
    memcpy(f.src_mac, "\x00\x11\x22\xaa\xbb\xcc", 6);
    memcpy(f.dst_mac, "\xff\xee\xdd\x01\x02\x03", 6);
    f.tunnel = TUNNEL_GRE;
    f.tunnel_depth = 1;
    assert_int_equal(s->ops->flow(s, &f), 0);

    /* 2: UDP over IPv6, one VLAN tag, no MACs, never answered. */
    memset(&f, 0, sizeof(f));
    f.id = 2;
    f.first_ts_us = T0_US;
    f.last_ts_us = T0_US;
    f.ip_version = 6;
    f.proto = 17;
    f.src.b[0] = 0x20; /* 2001:db8::1 */
    f.src.b[1] = 0x01;
    f.src.b[2] = 0x0d;
    f.src.b[3] = 0xb8;
    f.src.b[15] = 1;
    f.dst.b[0] = 0xff; /* ff02::fb */
    f.dst.b[1] = 0x02;
    f.dst.b[15] = 0xfb;
    f.sport = 5353;
    f.dport = 5353;
    f.vlan_count = 1;
    f.vlan[0] = 7;
    f.pkts[0] = 1;
    f.bytes[0] = 120;
    f.tunnel = TUNNEL_VXLAN;
    f.end_reason = FLOW_END_TIMEOUT;
    memcpy(f.conn_state, "S0", 3);
    assert_int_equal(s->ops->flow(s, &f), 0);

    /* 3: ICMP echo with a reply. */
    memset(&f, 0, sizeof(f));
    f.id = 3;
    f.first_ts_us = T0_US + 1;
    f.last_ts_us = T0_US + 2;
    f.ip_version = 4;
    f.proto = 1;
    v4(&f.src, 10, 0, 0, 9);
    v4(&f.dst, 8, 8, 8, 8);
    f.icmp_type = 8;
    f.resp_icmp_type = 0;
    f.resp_icmp_seen = true;
    f.pkts[0] = f.pkts[1] = 1;
    f.end_reason = FLOW_END_CAPTURE_END;
    /* conn_state filling all 8 bytes without a NUL must still be stored whole. */
    memcpy(f.conn_state, "ABCDEFGH", 8);
    assert_int_equal(s->ops->flow(s, &f), 0);

    /* 4: ICMPv6 without an answer; 5: GRE (no ports) evicted. */
    f.id = 4;
    f.proto = 58;
    f.icmp_type = 128;
    f.resp_icmp_seen = false;
    memset(f.conn_state, 0, sizeof(f.conn_state));
    assert_int_equal(s->ops->flow(s, &f), 0);
    f.id = 5;
    f.proto = 47;
    f.sport = 1; /* must not be stored: GRE has no ports */
    f.end_reason = FLOW_END_EVICTED;
    assert_int_equal(s->ops->flow(s, &f), 0);
    assert_int_equal(s->ops->commit(s), 0);

    uint64_t events[DEV_MAX] = {0};
    events[DEV_IPV4_TRUNCATED] = 3;
    events[DEV_TCP_TOO_SMALL] = 1;
    struct flow_stats fs = {.created = 5, .evicted = 1, .max_active = 4};
    fs.ended[FLOW_END_FIN] = 1;
    fs.ended[FLOW_END_TIMEOUT] = 1;
    fs.ended[FLOW_END_EVICTED] = 1;
    fs.ended[FLOW_END_CAPTURE_END] = 2;
    struct run_stats rs = {.packets = 100,
                           .bytes = 12345,
                           .flows = 5,
                           .decode_errors = 4,
                           .first_ts_us = T0_US,
                           .last_ts_us = T0_US + 2600000u,
                           .event_counts = events,
                           .flow_stats = &fs};
    assert_int_equal(s->ops->run_end(s, &rs), 0);
    s->ops->close(s);

    sqlite3 *db = raw_open(t.db);
    char txt[128];
    /* Flow 1 */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT run_id, flow_id, first_ts, last_ts, ip_version,"
                                        " proto, src_ip, src_port, dst_ip, dst_port, src_mac,"
                                        " dst_mac, vlan, vlan2, tunnel, tunnel_depth,"
                                        " pkts_toserver, pkts_toclient, bytes_toserver,"
                                        " bytes_toclient, tcp_flags_ts, tcp_flags_tc,"
                                        " tcp_state, conn_state, icmp_type, icmp_code,"
                                        " resp_icmp_type, resp_icmp_code, end_reason, app_proto"
                                        " FROM flows ORDER BY flow_id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 1);
    assert_int_equal(sqlite3_column_int64(st, 1), 1);
    assert_int_equal(sqlite3_column_int64(st, 2), (int64_t)(T0_US + 1000u));
    assert_int_equal(sqlite3_column_int64(st, 3), (int64_t)(T0_US + 1000u + 2500000u));
    assert_int_equal(sqlite3_column_int(st, 4), 4);
    assert_int_equal(sqlite3_column_int(st, 5), 6);
    assert_string_equal(sqlite3_column_text(st, 6), "10.0.0.1");
    assert_int_equal(sqlite3_column_int(st, 7), 40001);
    assert_string_equal(sqlite3_column_text(st, 8), "192.0.2.1");
    assert_int_equal(sqlite3_column_int(st, 9), 443);
    assert_string_equal(sqlite3_column_text(st, 10), "00:11:22:aa:bb:cc");
    assert_string_equal(sqlite3_column_text(st, 11), "ff:ee:dd:01:02:03");
    assert_int_equal(sqlite3_column_int(st, 12), 100);
    assert_int_equal(sqlite3_column_int(st, 13), 4094);
    assert_string_equal(sqlite3_column_text(st, 14), "gre");
    assert_int_equal(sqlite3_column_int(st, 15), 1);
    assert_int_equal(sqlite3_column_int64(st, 16), 10);
    assert_int_equal(sqlite3_column_int64(st, 17), 8);
    assert_int_equal(sqlite3_column_int64(st, 18), 1200);
    assert_int_equal(sqlite3_column_int64(st, 19), 9000);
    assert_int_equal(sqlite3_column_int(st, 20), TH_SYN | TH_ACK | TH_FIN | TH_PSH);
    assert_int_equal(sqlite3_column_int(st, 21), TH_SYN | TH_ACK | TH_FIN);
    assert_string_equal(sqlite3_column_text(st, 22), "closed");
    assert_string_equal(sqlite3_column_text(st, 23), "SF");
    for (int c = 24; c <= 27; c++)
        assert_int_equal(sqlite3_column_type(st, c), SQLITE_NULL); /* not ICMP */
    assert_string_equal(sqlite3_column_text(st, 28), "fin");
    assert_int_equal(sqlite3_column_type(st, 29), SQLITE_NULL); /* app_proto "": unknown */

    /* Flow 2: IPv6 text form, one tag, no MACs, no TCP fields. */
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 4), 6);
    assert_string_equal(sqlite3_column_text(st, 6), "2001:db8::1");
    assert_string_equal(sqlite3_column_text(st, 8), "ff02::fb");
    assert_int_equal(sqlite3_column_int(st, 7), 5353);
    assert_int_equal(sqlite3_column_type(st, 10), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 11), SQLITE_NULL);
    assert_int_equal(sqlite3_column_int(st, 12), 7);
    assert_int_equal(sqlite3_column_type(st, 13), SQLITE_NULL);
    assert_string_equal(sqlite3_column_text(st, 14), "vxlan");
    assert_int_equal(sqlite3_column_int(st, 15), 0);
    assert_int_equal(sqlite3_column_int64(st, 17), 0);
    assert_int_equal(sqlite3_column_type(st, 20), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 21), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 22), SQLITE_NULL);
    assert_string_equal(sqlite3_column_text(st, 23), "S0");
    assert_string_equal(sqlite3_column_text(st, 28), "timeout");

    /* Flow 3: ICMP with its answer; no ports; 8-byte conn_state. */
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(st, 7), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 9), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 12), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 14), SQLITE_NULL); /* no tunnel */
    assert_string_equal(sqlite3_column_text(st, 23), "ABCDEFGH");
    assert_int_equal(sqlite3_column_type(st, 24), SQLITE_INTEGER);
    assert_int_equal(sqlite3_column_int(st, 24), 8);
    assert_int_equal(sqlite3_column_int(st, 25), 0);
    assert_int_equal(sqlite3_column_type(st, 26), SQLITE_INTEGER);
    assert_int_equal(sqlite3_column_int(st, 26), 0);
    assert_int_equal(sqlite3_column_int(st, 27), 0);
    assert_string_equal(sqlite3_column_text(st, 28), "capture_end");

    /* Flow 4: ICMPv6 unanswered: response fields NULL, request present. */
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 24), 128);
    assert_int_equal(sqlite3_column_type(st, 26), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 27), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 23), SQLITE_NULL); /* empty conn_state */

    /* Flow 5: GRE: no ports even though sport was set, no ICMP fields. */
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 5), 47);
    assert_int_equal(sqlite3_column_type(st, 7), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 24), SQLITE_NULL);
    assert_string_equal(sqlite3_column_text(st, 28), "evicted");
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);

    /* The run row. */
    raw_text(db,
             "SELECT command || '|' || source || '|' || bpf || '|' || version || '|' ||"
             " status FROM runs WHERE id = 1",
             txt, sizeof(txt));
    assert_string_equal(txt, "read|test.pcap|tcp|0.1.0|complete");
    assert_int_equal(raw_int(db, "SELECT packets FROM runs"), 100);
    assert_int_equal(raw_int(db, "SELECT bytes FROM runs"), 12345);
    assert_int_equal(raw_int(db, "SELECT flows FROM runs"), 5);
    assert_int_equal(raw_int(db, "SELECT decode_errors FROM runs"), 4);
    assert_int_equal(raw_int(db, "SELECT first_ts FROM runs"), (int64_t)T0_US);
    assert_int_equal(raw_int(db, "SELECT last_ts FROM runs"), (int64_t)(T0_US + 2600000u));
    assert_int_equal(raw_int(db, "SELECT kernel_drops FROM runs"), 0);
    assert_int_equal(raw_int(db, "SELECT started_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-"
                                 "[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' FROM runs"),
                     1);
    assert_int_equal(raw_int(db, "SELECT ended_at >= started_at FROM runs"), 1);

    /* Counters: decode events only when nonzero, flow stats always. */
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE run_id = 1 AND"
                                 " name = 'decode.ipv4.truncated'"),
                     3);
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE"
                                 " name = 'decode.tcp.too_small'"),
                     1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM run_counters WHERE name LIKE 'decode.%'"),
                     2);
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE name = 'flow.created'"), 5);
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE name = 'flow.evicted'"), 1);
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE"
                                 " name = 'flow.max_active'"),
                     4);
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE"
                                 " name = 'flow.ended.capture_end'"),
                     2);
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE"
                                 " name = 'flow.ended.port_reuse'"),
                     0);

    /* The readable view turns microseconds into text. */
    raw_text(db, "SELECT first_seen FROM flows_readable WHERE flow_id = 2", txt, sizeof(txt));
    assert_string_equal(txt, "2024-01-01T00:00:00.000Z");
    raw_text(db, "SELECT duration_s FROM flows_readable WHERE flow_id = 1", txt, sizeof(txt));
    assert_string_equal(txt, "2.5");
    assert_int_equal(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* run_end twice (a watch checkpoint, then the end) replaces counters. */
static void test_run_end_twice(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    struct flow_stats fs = {.created = 1};
    struct run_stats rs = {.packets = 1, .flow_stats = &fs};
    assert_int_equal(s->ops->run_end(s, &rs), 0);
    fs.created = 7;
    rs.packets = 9;
    assert_int_equal(s->ops->run_end(s, &rs), 0);
    s->ops->close(s);

    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE name = 'flow.created'"), 7);
    assert_int_equal(raw_int(db, "SELECT packets FROM runs"), 9);
    /* No packets: first_ts/last_ts stay NULL rather than claiming 1970. */
    assert_int_equal(raw_int(db, "SELECT first_ts IS NULL FROM runs"), 1);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* Rows are buffered and inserted STORE_ROWS_PER_STMT (32) at a time; 70 rows
 * cover two full statements and a partial one (pins the flush of the last
 * 6 at commit). The IPv4 text is checked against ip_addr_fmt() on octets at
 * each digit-count boundary (0, 9/10, 99/100, 255). Rows pending when a new
 * run starts belong to the old run. */
static void test_batches_and_ipv4_text(void **state)
{
    (void)state;
    static const uint8_t octets[] = {0, 9, 10, 99, 100, 199, 200, 255};
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    struct flow f;
    for (uint64_t i = 1; i <= 70; i++) {
        make_tcp_flow(&f, i);
        v4(&f.src, octets[i % 8], octets[(i / 8) % 8], octets[(i + 3) % 8], octets[(i * 5) % 8]);
        assert_int_equal(s->ops->flow(s, &f), 0);
    }
    assert_int_equal(s->ops->commit(s), 0);
    for (uint64_t i = 71; i <= 75; i++) {
        make_tcp_flow(&f, i);
        assert_int_equal(s->ops->flow(s, &f), 0);
    }
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    make_tcp_flow(&f, 76);
    assert_int_equal(s->ops->flow(s, &f), 0);
    s->ops->close(s);

    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows WHERE run_id = 1"), 75);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows WHERE run_id = 2"), 1);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT flow_id, src_ip FROM flows WHERE"
                                        " flow_id <= 70 ORDER BY id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    uint64_t want_id = 1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint64_t i = (uint64_t)sqlite3_column_int64(st, 0);
        assert_int_equal(i, want_id++); /* insertion order kept across batches */
        struct ip_addr a;
        char want[48];
        v4(&a, octets[i % 8], octets[(i / 8) % 8], octets[(i + 3) % 8], octets[(i * 5) % 8]);
        ip_addr_fmt(&a, want, sizeof(want));
        assert_string_equal(sqlite3_column_text(st, 1), want);
    }
    assert_int_equal(want_id, 71);
    sqlite3_finalize(st);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* A caller that never called run_start still gets a run row to point at. */
static void test_flow_without_run_start(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    struct flow f;
    make_tcp_flow(&f, 1);
    assert_int_equal(s->ops->flow(s, &f), 0);
    s->ops->close(s); /* close commits what is pending */

    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows f JOIN runs r ON r.id = f.run_id"), 1);
    char txt[32];
    raw_text(db, "SELECT status FROM runs", txt, sizeof(txt));
    assert_string_equal(txt, "running"); /* never ended: says so */
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* --- reopening and migrations --- */

static void test_reopen_appends_run(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct flow f;
    for (int run = 0; run < 2; run++) {
        struct sink *s = store_sqlite_open(t.db);
        assert_non_null(s);
        assert_int_equal(s->ops->run_start(s, &test_run), 0);
        for (uint64_t i = 1; i <= 10; i++) {
            make_tcp_flow(&f, i);
            assert_int_equal(s->ops->flow(s, &f), 0);
        }
        assert_int_equal(s->ops->commit(s), 0);
        s->ops->close(s);
    }
    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM runs"), 2);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows WHERE run_id = 2"), 10);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 6);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* A database in a new temporary directory, made by running `sql` on an empty
 * one (as someone else's program might have). */
static void tmpdir_make_db(struct tmpdir *t, const char *sql)
{
    sqlite3 *db = NULL;
    tmpdir_make(t);
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    raw_exec(db, sql);
    sqlite3_close(db);
}

/* store_sqlite_open(path) must fail after printing exactly one line, which
 * is left in `c`. */
static void open_fails_one_line(const char *path, struct capture *c)
{
    capture_begin(c, 2);
    struct sink *s = store_sqlite_open(path);
    capture_end(c, 2);
    assert_null(s);
    assert_int_equal(count_lines(c->text), 1);
}

/* A version-0 database (created by someone else, holding other tables) is
 * migrated to the current version and keeps what it had. */
static void test_migrate_from_zero(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make_db(&t, "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('keep me')");

    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    s->ops->close(s);
    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 6);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM notes"), 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows"), 0);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* A partly done migration (the tables of step 1 exist but user_version was
 * never bumped, as if a step had not been transactional) must fail cleanly
 * rather than half-apply; our steps are transactional so this only happens
 * when someone created the tables by hand. One line, NULL. */
static void test_migrate_conflict_one_line(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make_db(&t, "CREATE TABLE flows (x)");

    struct capture c;
    open_fails_one_line(t.db, &c);
    assert_non_null(strstr(c.text, "cannot open database '"));
    assert_non_null(strstr(c.text, "already exists"));
    /* The failed step left nothing behind. */
    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'runs'"), 0);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

static void test_newer_version_refused(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make_db(&t, "PRAGMA user_version = 99");

    struct capture c;
    open_fails_one_line(t.db, &c);
    assert_non_null(strstr(c.text, "cannot open database '"));
    assert_non_null(strstr(c.text, "schema version 99 is newer"));
    /* Refusing must not touch it. */
    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 99);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master"), 0);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* --- bad files and paths: NULL after exactly one line --- */

static void expect_open_fails(const char *path, const char *want)
{
    struct capture c;
    char prefix[256];
    open_fails_one_line(path, &c);
    snprintf(prefix, sizeof(prefix), "mamori: cannot open database '%s': ", path);
    assert_memory_equal(c.text, prefix, strlen(prefix));
    if (want && !strstr(c.text, want))
        fail_msg("expected '%s' in: %s", want, c.text);
}

static void test_not_a_database(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    FILE *fp = fopen(t.db, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is a text file, not a database\n", fp);
    fclose(fp);
    expect_open_fails(t.db, "file is not a database");
    tmpdir_remove(&t);
}

static void test_corrupt_database(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    s->ops->close(s);
    /* Keep the 100-byte file header (so user_version still reads) and wipe
     * the rest of page 1, which holds the schema table's b-tree. */
    int fd = open(t.db, O_WRONLY);
    assert_true(fd >= 0);
    char junk[1024];
    memset(junk, 0x5a, sizeof(junk));
    assert_int_equal(pwrite(fd, junk, sizeof(junk), 100), (ssize_t)sizeof(junk));
    close(fd);
    expect_open_fails(t.db, "malformed");
    tmpdir_remove(&t);
}

static void test_unwritable_paths(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    char p[160];
    snprintf(p, sizeof(p), "%s/no-such-dir/flows.db", t.dir);
    expect_open_fails(p, "unable to open database file");
    expect_open_fails(t.dir, NULL); /* a directory */
    tmpdir_remove(&t);
}

/* --- environment failures while writing --- */

/* The file-size limit makes the next write of the -wal file short, which
 * SQLite reports as SQLITE_FULL: a stand-in for a full disk. */
static void test_disk_full_one_line(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    char errpath[160];
    snprintf(errpath, sizeof(errpath), "%s/junk", t.dir);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0)
            _exit(10);
        dup2(fd, 2);
        signal(SIGXFSZ, SIG_IGN);
        struct sink *s = store_sqlite_open(t.db);
        if (!s)
            _exit(11);
        if (s->ops->run_start(s, &test_run) < 0)
            _exit(12);
        /* Creating the schema step by step (each step rewrites the schema
         * pages) fills a few hundred KiB of the -wal file (512 KiB was no
         * longer enough at version 6); the rest must hold a few batches. */
        struct rlimit rl = {.rlim_cur = 1024 * 1024, .rlim_max = RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &rl);
        struct flow f;
        int rc = 0;
        uint64_t i;
        for (i = 1; i < 2000000 && rc == 0; i++) {
            make_tcp_flow(&f, i);
            rc = s->ops->flow(s, &f);
            if (rc == 0 && i % 500 == 0)
                rc = s->ops->commit(s);
        }
        if (rc != -1)
            _exit(13);
        /* Sticky: later calls fail too, quietly. */
        make_tcp_flow(&f, i);
        if (s->ops->flow(s, &f) != -1 || s->ops->commit(s) != -1)
            _exit(14);
        s->ops->close(s);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    char text[4096];
    FILE *fp = fopen(errpath, "r");
    assert_non_null(fp);
    size_t n = fread(text, 1, sizeof(text) - 1, fp);
    text[n] = '\0';
    fclose(fp);
    assert_int_equal(count_lines(text), 1);
    char prefix[256];
    snprintf(prefix, sizeof(prefix), "mamori: cannot write to database '%s': ", t.db);
    assert_memory_equal(text, prefix, strlen(prefix));

    /* What was committed before the failure is intact. */
    sqlite3 *db = raw_open(t.db);
    char ok[16];
    raw_text(db, "PRAGMA integrity_check", ok, sizeof(ok));
    assert_string_equal(ok, "ok");
    int64_t rows = raw_int(db, "SELECT count(*) FROM flows");
    assert_true(rows > 0);
    assert_int_equal(rows % 500, 0); /* whole batches only */
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* Another connection holding the write lock past the busy timeout makes
 * commit() fail with one line, and the store stays usable for reading. Takes
 * the busy timeout (5 s) once. */
static void test_busy_one_line(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);

    sqlite3 *other = raw_open(t.db);
    raw_exec(other, "BEGIN IMMEDIATE; INSERT INTO runs (command) VALUES ('other')");

    struct flow f;
    make_tcp_flow(&f, 1);
    struct capture c;
    capture_begin(&c, 2);
    /* In WAL mode BEGIN is deferred: the lock is wanted at the first insert. */
    int rc = s->ops->flow(s, &f);
    if (rc == 0)
        rc = s->ops->commit(s);
    capture_end(&c, 2);
    assert_int_equal(rc, -1);
    assert_int_equal(count_lines(c.text), 1);
    assert_non_null(strstr(c.text, "cannot write to database '"));
    assert_non_null(strstr(c.text, "locked"));
    raw_exec(other, "COMMIT");
    sqlite3_close(other);
    s->ops->close(s);
    tmpdir_remove(&t);
}

/* --- durability --- */

/* A child writes and commits batches, reports each committed total through a
 * pipe, starts one more batch and is SIGKILLed in the middle of it. Every
 * committed row must be there, none of the last batch, and the file must
 * pass integrity_check. */
static void test_kill9_keeps_committed(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);

    enum { BATCH = 2000, BATCHES = 5, PARTIAL = 30000 };
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pfd[0]);
        struct sink *s = store_sqlite_open(t.db);
        if (!s)
            _exit(11);
        if (s->ops->run_start(s, &test_run) < 0)
            _exit(12);
        struct flow f;
        uint64_t id = 0;
        for (int b = 0; b < BATCHES; b++) {
            for (int i = 0; i < BATCH; i++) {
                make_tcp_flow(&f, ++id);
                if (s->ops->flow(s, &f) < 0)
                    _exit(13);
            }
            if (s->ops->commit(s) < 0)
                _exit(14);
            if (write(pfd[1], &id, sizeof(id)) != (ssize_t)sizeof(id))
                _exit(15);
        }
        /* Big enough to spill uncommitted pages into the -wal file. */
        for (int i = 0; i < PARTIAL; i++) {
            make_tcp_flow(&f, ++id);
            if (s->ops->flow(s, &f) < 0)
                _exit(16);
        }
        uint64_t marker = UINT64_MAX;
        if (write(pfd[1], &marker, sizeof(marker)) != (ssize_t)sizeof(marker))
            _exit(17);
        for (;;)
            pause();
    }
    close(pfd[1]);
    uint64_t committed = 0, v;
    while (read(pfd[0], &v, sizeof(v)) == (ssize_t)sizeof(v)) {
        if (v == UINT64_MAX)
            break;
        committed = v;
    }
    assert_int_equal(v, UINT64_MAX); /* the child got to the middle of a batch */
    kill(pid, SIGKILL);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    close(pfd[0]);
    assert_int_equal(committed, (uint64_t)BATCH * BATCHES);

    sqlite3 *db = raw_open(t.db);
    char ok[16];
    raw_text(db, "PRAGMA integrity_check", ok, sizeof(ok));
    assert_string_equal(ok, "ok");
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows"), (int64_t)committed);
    assert_int_equal(raw_int(db, "SELECT count(DISTINCT flow_id) FROM flows"), (int64_t)committed);
    assert_int_equal(raw_int(db, "SELECT max(flow_id) FROM flows"), (int64_t)committed);
    char status_txt[16];
    raw_text(db, "SELECT status FROM runs", status_txt, sizeof(status_txt));
    assert_string_equal(status_txt, "running");
    sqlite3_close(db);

    /* And the store opens it again and carries on. */
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    s->ops->close(s);
    tmpdir_remove(&t);
}

/* --- bulk load (mamori read) --- */

#define INDEX_COUNT "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"

/* The store at path has this many indexes, and this many waiting in
 * pending_indexes. */
static void expect_indexes(const char *path, int64_t indexes, int64_t pending)
{
    sqlite3 *db = raw_open(path);
    assert_int_equal(raw_int(db, INDEX_COUNT), indexes);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM pending_indexes"), pending);
    sqlite3_close(db);
}

/* Every index definition of the store, in name order, as one text. */
#define INDEX_SQL                                                                            \
    "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master"                      \
    " WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)"

/* Makes t and a fresh store in it; returns how many indexes it has. */
static int64_t fresh_store_indexes(struct tmpdir *t)
{
    tmpdir_make(t);
    struct sink *s = store_sqlite_open(t->db);
    assert_non_null(s);
    s->ops->close(s);
    sqlite3 *db = raw_open(t->db);
    int64_t n = raw_int(db, INDEX_COUNT);
    sqlite3_close(db);
    return n;
}

/* What the store asked of the allocator (mem_release_at_once): 1 for "give
 * freed memory back at once", 0 for "hold it", in order. */
static char release_calls[16];
static void record_release(bool at_once)
{
    size_t n = strlen(release_calls);
    if (n + 1 < sizeof(release_calls))
        release_calls[n] = at_once ? '1' : '0';
}

/* A bulk load into an empty store drops the flow and event indexes (the
 * inventory's stay), keeps their definitions, and builds the very same
 * indexes at close; the rows written meanwhile are all indexed and all
 * name their run. The allocator holds freed memory during the builds, and
 * only then. */
static void test_bulk_load_rebuilds_indexes(void **state)
{
    (void)state;
    struct tmpdir t;
    memset(release_calls, 0, sizeof(release_calls));
    mem_set_release_hook(record_release);
    int64_t all = fresh_store_indexes(&t);
    sqlite3 *db = raw_open(t.db);
    char before[4096];
    raw_text(db, INDEX_SQL, before, sizeof(before));
    sqlite3_close(db);

    struct sink *s = store_sqlite_open_bulk(t.db, true);
    assert_non_null(s);
    db = raw_open(t.db);
    int64_t pending = raw_int(db, "SELECT count(*) FROM pending_indexes");
    assert_true(pending >= 20); /* flows' 4 and every event table's */
    assert_int_equal(raw_int(db, INDEX_COUNT), all - pending);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                 " ('flows_src_ip_ts', 'dns_rrname', 'http_hostname')"),
                     0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                 " ('device_ips_ip', 'alerts_device')"),
                     2);
    sqlite3_close(db);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    struct flow f;
    for (uint64_t id = 1; id <= 3000; id++) {
        make_tcp_flow(&f, id);
        assert_int_equal(s->ops->flow(s, &f), 0);
    }
    assert_int_equal(s->ops->commit(s), 0);
    /* Built by the end of the run, before close: read's summary times it. */
    struct run_stats rs = {.packets = 1};
    assert_int_equal(s->ops->run_end(s, &rs), 0);
    expect_indexes(t.db, all, 0);
    s->ops->close(s);
    assert_string_equal(release_calls, "01");
    mem_set_release_hook(NULL);

    db = raw_open(t.db);
    char after[4096];
    raw_text(db, INDEX_SQL, after, sizeof(after));
    assert_string_equal(after, before);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows INDEXED BY flows_src_ip_ts"
                                 " WHERE src_ip > ''"),
                     3000);
    /* The load ran without foreign-key lookups: every row names its run. */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows WHERE run_id NOT IN"
                                 " (SELECT id FROM runs)"),
                     0);
    char ok[16];
    raw_text(db, "PRAGMA integrity_check", ok, sizeof(ok));
    assert_string_equal(ok, "ok");
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* A bulk load that dies before its close leaves the definitions; the next
 * open builds them. A store that already holds many flows keeps its indexes
 * (rebuilding them could cost more than the load saves). */
static void test_bulk_load_killed_and_big_store(void **state)
{
    (void)state;
    struct tmpdir t;
    int64_t all = fresh_store_indexes(&t);
    sqlite3 *db;
    struct sink *s;

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* A bulk load's commit does not wait for the disk (the next one
         * does), but what it committed is the kernel's: a killed process
         * loses none of it. */
        struct sink *c = store_sqlite_open_bulk(t.db, true);
        struct flow f;
        int rc = c && c->ops->run_start(c, &test_run) == 0 ? 0 : 1;
        for (uint64_t id = 1; id <= 500 && rc == 0; id++) {
            make_tcp_flow(&f, id);
            rc = c->ops->flow(c, &f);
        }
        if (rc == 0)
            rc = c->ops->commit(c);
        _exit(rc == 0 ? 0 : 1); /* no close: as if killed */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    db = raw_open(t.db);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows"), 500);
    assert_true(raw_int(db, "SELECT count(*) FROM pending_indexes") > 0);
    assert_true(raw_int(db, INDEX_COUNT) < all);
    sqlite3_close(db);

    s = store_sqlite_open(t.db);
    assert_non_null(s);
    expect_indexes(t.db, all, 0);
    s->ops->close(s);

    /* Many flows already (the highest id says so): no drop. */
    db = raw_open(t.db);
    raw_exec(db, "INSERT INTO runs (id) VALUES (2);"
                 "INSERT INTO flows (id, run_id, flow_id, first_ts, last_ts)"
                 " VALUES (100001, 2, 1, 0, 0)");
    sqlite3_close(db);
    s = store_sqlite_open_bulk(t.db, true);
    assert_non_null(s);
    expect_indexes(t.db, all, 0);
    s->ops->close(s);
    tmpdir_remove(&t);
}

/* A store read creates has 16 KiB pages, one watch creates 4 KiB; an
 * existing store keeps its own. */
static void test_page_size(void **state)
{
    (void)state;
    struct tmpdir t;
    (void)fresh_store_indexes(&t); /* created as watch does */
    struct sink *s = store_sqlite_open_bulk(t.db, true);
    assert_non_null(s);
    s->ops->close(s);
    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA page_size"), 4096);
    sqlite3_close(db);
    tmpdir_remove(&t);

    tmpdir_make(&t);
    s = store_sqlite_open_bulk(t.db, true);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    struct flow f;
    for (uint64_t id = 1; id <= 2000; id++) {
        make_tcp_flow(&f, id);
        assert_int_equal(s->ops->flow(s, &f), 0);
    }
    struct run_stats rs = {.packets = 1};
    assert_int_equal(s->ops->run_end(s, &rs), 0);
    s->ops->close(s);
    db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA page_size"), 16384);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows"), 2000);
    char ok[16];
    raw_text(db, "PRAGMA integrity_check", ok, sizeof(ok));
    assert_string_equal(ok, "ok");
    sqlite3_close(db);
    /* watch opening it later keeps the 16 KiB pages. */
    s = store_sqlite_open(t.db);
    assert_non_null(s);
    s->ops->close(s);
    db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA page_size"), 16384);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* --- speed --- */

/* Prints rows/s for batched inserts (a commit every 100k rows, about what one
 * second of a busy link gives). MAMORI_BENCH_ROWS overrides the row count. No
 * bound is asserted: sanitizer builds are several times slower. */
static void test_insert_rate(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    uint64_t rows = 200000;
    const char *env = getenv("MAMORI_BENCH_ROWS");
    if (env)
        parse_u64(env, &rows);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    struct flow f;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (uint64_t i = 1; i <= rows; i++) {
        make_tcp_flow(&f, i);
        /* Spread addresses like a real network: many sources, a few servers. */
        v4(&f.dst, 198, 51, 100, (uint8_t)(i % 97));
        assert_int_equal(s->ops->flow(s, &f), 0);
        if (i % 100000 == 0)
            assert_int_equal(s->ops->commit(s), 0);
    }
    assert_int_equal(s->ops->commit(s), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    s->ops->close(s);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    print_message("store-sqlite: %" PRIu64 " rows in %.3f s = %.0f rows/s\n", rows, secs,
                  (double)rows / secs);
    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM flows"), (int64_t)rows);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_schema),
        cmocka_unit_test(test_roundtrip_values),
        cmocka_unit_test(test_run_end_twice),
        cmocka_unit_test(test_batches_and_ipv4_text),
        cmocka_unit_test(test_flow_without_run_start),
        cmocka_unit_test(test_reopen_appends_run),
        cmocka_unit_test(test_migrate_from_zero),
        cmocka_unit_test(test_migrate_conflict_one_line),
        cmocka_unit_test(test_newer_version_refused),
        cmocka_unit_test(test_not_a_database),
        cmocka_unit_test(test_corrupt_database),
        cmocka_unit_test(test_unwritable_paths),
        cmocka_unit_test(test_disk_full_one_line),
        cmocka_unit_test(test_busy_one_line),
        cmocka_unit_test(test_kill9_keeps_committed),
        cmocka_unit_test(test_bulk_load_rebuilds_indexes),
        cmocka_unit_test(test_bulk_load_killed_and_big_store),
        cmocka_unit_test(test_page_size),
        cmocka_unit_test(test_insert_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
