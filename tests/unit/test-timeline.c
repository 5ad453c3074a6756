/* test-timeline.c - `mamori timeline`'s model on a store written with SQL
 * here: the device resolved by MAC, address and name, ordering, grouping of
 * repeated flows, DNS answers folded and naming the flows, the time window,
 * and addresses that moved from one device to another. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "scope/timeline.h"
#include "util/i18n.h"
#include "util/util.h"

#define S 1000000ll              /* one second in µs */
#define T0 1790812800000000ll    /* 2026-10-01T00:00:00Z */

static const char schema[] =
    "CREATE TABLE flows (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, flow_id INTEGER NOT"
    " NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, ip_version INTEGER, proto"
    " INTEGER, src_ip TEXT, src_port INTEGER, dst_ip TEXT, dst_port INTEGER, src_mac TEXT,"
    " dst_mac TEXT, bytes_toserver INTEGER, bytes_toclient INTEGER, conn_state TEXT,"
    " app_proto TEXT);"
    "CREATE INDEX flows_src_ip_ts ON flows (src_ip, first_ts);"
    "CREATE INDEX flows_dst_ip_ts ON flows (dst_ip, first_ts);"
    "CREATE INDEX flows_run_flow ON flows (run_id, flow_id);"
    "CREATE TABLE dns (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, flow_id INTEGER NOT"
    " NULL, ts INTEGER NOT NULL, src_ip TEXT, type TEXT, rrname TEXT COLLATE NOCASE, rrtype"
    " TEXT, rcode TEXT, answers TEXT);"
    "CREATE INDEX dns_flow_id ON dns (flow_id);"
    "CREATE TABLE tls (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, flow_id INTEGER NOT"
    " NULL, ts INTEGER NOT NULL, src_ip TEXT, sni TEXT, version TEXT, ja3 TEXT, ja4 TEXT);"
    "CREATE INDEX tls_flow_id ON tls (flow_id);"
    "CREATE TABLE smb (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, flow_id INTEGER NOT"
    " NULL, ts INTEGER NOT NULL, src_ip TEXT, command TEXT, share TEXT, filename TEXT,"
    " ntlm_user TEXT, ntlm_domain TEXT, status TEXT);"
    "CREATE INDEX smb_flow_id ON smb (flow_id);"
    "CREATE TABLE dhcp (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, flow_id INTEGER NOT"
    " NULL, ts INTEGER NOT NULL, src_ip TEXT, dst_ip TEXT, dhcp_type TEXT, client_mac TEXT"
    " COLLATE NOCASE, requested_ip TEXT, assigned_ip TEXT, hostname TEXT, vendor_class TEXT);"
    "CREATE TABLE devices (mac TEXT PRIMARY KEY, vendor TEXT, first_ts INTEGER, last_ts"
    " INTEGER, hostname TEXT COLLATE NOCASE, os TEXT, device_type TEXT);"
    "CREATE TABLE device_macs (mac TEXT PRIMARY KEY, device TEXT NOT NULL, first_ts INTEGER,"
    " last_ts INTEGER);"
    "CREATE TABLE device_ips (device TEXT NOT NULL, ip TEXT NOT NULL, first_ts INTEGER,"
    " last_ts INTEGER, PRIMARY KEY (device, ip));"
    "CREATE TABLE device_names (device TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE,"
    " source TEXT NOT NULL, first_ts INTEGER, last_ts INTEGER, PRIMARY KEY (device, name,"
    " source));"
    "CREATE TABLE alerts (id INTEGER PRIMARY KEY, dedup_key TEXT, run_id INTEGER, first_ts"
    " INTEGER NOT NULL, last_ts INTEGER NOT NULL, count INTEGER NOT NULL, category TEXT NOT"
    " NULL, severity INTEGER NOT NULL, src_ip TEXT, src_port INTEGER, dest_ip TEXT, dest_port"
    " INTEGER, proto INTEGER, device TEXT, device_name TEXT, flow_ids TEXT, facts TEXT);";

#define MAC_A "00:11:22:33:44:aa"
#define MAC_B "00:11:22:33:44:bb"

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fprintf(stderr, "sql: %s\n", err ? err : "?");
    sqlite3_free(err);
    assert_int_equal(rc, SQLITE_OK);
}

static int64_t next_flow = 1;

static void flow(sqlite3 *db, long long ts, const char *src, const char *dst, int port,
                 const char *app, long long up, long long down)
{
    char sql[600];
    snprintf(sql, sizeof(sql),
             "INSERT INTO flows (run_id, flow_id, first_ts, last_ts, ip_version, proto, src_ip,"
             " src_port, dst_ip, dst_port, bytes_toserver, bytes_toclient, conn_state,"
             " app_proto) VALUES (1, %lld, %lld, %lld, 4, %d, '%s', 50000, '%s', %d, %lld,"
             " %lld, 'SF', %s%s%s)",
             (long long)next_flow++, ts, ts + 2 * S, strcmp(app, "dns") == 0 ? 17 : 6, src, dst,
             port, up, down, *app ? "'" : "", *app ? app : "NULL", *app ? "'" : "");
    exec(db, sql);
}

static void dns(sqlite3 *db, long long ts, const char *client, const char *name,
                const char *answer)
{
    long long id = next_flow;
    flow(db, ts, client, "192.168.1.1", 53, "dns", 80, 120);
    char sql[600];
    snprintf(sql, sizeof(sql),
             "INSERT INTO dns (run_id, flow_id, ts, src_ip, type, rrname, rrtype) VALUES"
             " (1, %lld, %lld, '%s', 'query', '%s', 'A');"
             "INSERT INTO dns (run_id, flow_id, ts, src_ip, type, rrname, rrtype, rcode,"
             " answers) VALUES (1, %lld, %lld, '192.168.1.1', 'answer', '%s', 'A', 'NOERROR',"
             " '%s')",
             id, ts, client, name, id, ts + 5000, name, answer);
    exec(db, sql);
}

/* PC-A had .5 until day 2, then .6; PC-B has had .5 since day 3.
 * Day 1 09:00: DNS for example.com, three TLS flows to it within 40 s,
 * another 10 minutes later; an SMB session to the file server; an alert.
 * Day 3: PC-A (on .6) to example.org; PC-B (on .5) to example.net. */
static sqlite3 *make_store(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    exec(db, schema);
    next_flow = 1;
    char sql[2000];
    long long d1 = T0 + 9 * 3600 * S, d2 = T0 + 86400 * S, d3 = T0 + 2 * 86400 * S;
    snprintf(sql, sizeof(sql),
             "INSERT INTO devices VALUES ('" MAC_A "', 'Dell Inc.', %lld, %lld, 'PC-A',"
             " 'Windows 11', 'pc');"
             "INSERT INTO devices VALUES ('" MAC_B "', 'Apple, Inc.', %lld, %lld, 'PHONE-B',"
             " 'iOS', 'phone');"
             "INSERT INTO device_macs VALUES ('" MAC_A "', '" MAC_A "', %lld, %lld);"
             "INSERT INTO device_ips VALUES ('" MAC_A "', '192.168.1.5', %lld, %lld);"
             "INSERT INTO device_ips VALUES ('" MAC_A "', '192.168.1.6', %lld, %lld);"
             "INSERT INTO device_ips VALUES ('" MAC_B "', '192.168.1.5', %lld, %lld);"
             "INSERT INTO device_names VALUES ('" MAC_A "', 'PC-A', 'dhcp', %lld, %lld);"
             "INSERT INTO device_names VALUES ('" MAC_B "', 'shared-name', 'mdns', %lld, %lld);"
             "INSERT INTO device_names VALUES ('" MAC_A "', 'shared-name', 'nbns', %lld, %lld);"
             "INSERT INTO dhcp (run_id, flow_id, ts, src_ip, dst_ip, dhcp_type, client_mac,"
             " assigned_ip) VALUES (1, 999, %lld, '192.168.1.1', '192.168.1.6', 'ack', '" MAC_A
             "', '192.168.1.6');"
             "INSERT INTO alerts (dedup_key, run_id, first_ts, last_ts, count, category,"
             " severity, src_ip, dest_ip, device, device_name, flow_ids, facts) VALUES ('k1', 1,"
             " %lld, %lld, 2, 'scan.port', 2, '192.168.1.5', '192.168.1.10', '" MAC_A
             "', 'PC-A', '[]', '{\"variant\":\"internal\",\"nports\":50}');",
             d1 - 60 * S, d3 + 3600 * S, d3, d3 + 3600 * S, d1 - 60 * S, d3 + 3600 * S,
             d1 - 60 * S, d2, d2 + 3600 * S, d3 + 3600 * S, d3, d3 + 3600 * S, d1 - 60 * S,
             d3 + 3600 * S, d3, d3 + 3600 * S, d1, d3, d2 + 3600 * S, d1 + 300 * S,
             d1 + 310 * S);
    exec(db, sql);
    dns(db, d1, "192.168.1.5", "example.com", "93.184.215.14");
    flow(db, d1 + 1 * S, "192.168.1.5", "93.184.215.14", 443, "tls", 1000, 20000);
    snprintf(sql, sizeof(sql),
             "INSERT INTO tls (run_id, flow_id, ts, src_ip, sni, version) VALUES (1, %lld, %lld,"
             " '192.168.1.5', 'example.com', 'TLS 1.3')",
             (long long)next_flow - 1, d1 + 1 * S + 2000);
    exec(db, sql);
    flow(db, d1 + 20 * S, "192.168.1.5", "93.184.215.14", 443, "tls", 1000, 30000);
    flow(db, d1 + 40 * S, "192.168.1.5", "93.184.215.14", 443, "tls", 1000, 40000);
    flow(db, d1 + 600 * S, "192.168.1.5", "93.184.215.14", 443, "tls", 500, 500);
    flow(db, d1 + 700 * S, "192.168.1.5", "192.168.1.10", 445, "smb", 5000, 9000);
    snprintf(sql, sizeof(sql),
             "INSERT INTO smb (run_id, flow_id, ts, src_ip, command, share, ntlm_user,"
             " ntlm_domain, status) VALUES (1, %lld, %lld, '192.168.1.5',"
             " 'SMB2_COMMAND_TREE_CONNECT', '\\\\FS\\C$', NULL, NULL, 'STATUS_SUCCESS');"
             "INSERT INTO smb (run_id, flow_id, ts, src_ip, command, status) VALUES (1, %lld,"
             " %lld, '192.168.1.5', 'SMB2_COMMAND_NEGOTIATE', 'STATUS_SUCCESS')",
             (long long)next_flow - 1, d1 + 700 * S + 3000, (long long)next_flow - 1,
             d1 + 700 * S + 1000);
    exec(db, sql);
    /* inbound: the file server calls back */
    flow(db, d1 + 800 * S, "192.168.1.10", "192.168.1.5", 135, "", 100, 100);
    /* day 3 */
    flow(db, d3 + 60 * S, "192.168.1.6", "203.0.113.9", 443, "tls", 100, 100);
    flow(db, d3 + 60 * S, "192.168.1.5", "198.51.100.7", 443, "tls", 100, 100);
    return db;
}

static size_t count_kind(const struct tl_result *r, enum tl_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->v[i].kind == k;
    return n;
}

static const struct tl_entry *find_flow(const struct tl_result *r, const char *peer, size_t nth)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].kind == TL_FLOW && strcmp(r->v[i].peer, peer) == 0 && nth-- == 0)
            return &r->v[i];
    return NULL;
}

static void assert_sorted(const struct tl_result *r)
{
    for (size_t i = 1; i < r->n; i++)
        assert_true(r->v[i - 1].ts <= r->v[i].ts);
}

static void test_compact_groups_and_names(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    struct tl_query q = {.device = "pc-a"};
    struct tl_result r;
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    assert_string_equal(r.mac, MAC_A);
    assert_string_equal(r.name, "PC-A");
    assert_int_equal(r.nspans, 2);
    assert_sorted(&r);
    /* the three flows within a minute are one line, named by the SNI */
    const struct tl_entry *g = find_flow(&r, "93.184.215.14", 0);
    assert_non_null(g);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->bytes_out, 3000);
    assert_int_equal(g->bytes_in, 90000);
    assert_string_equal(g->name, "example.com");
    assert_false(g->inbound);
    /* ten minutes later: a line of its own, named from the DNS answer */
    const struct tl_entry *g2 = find_flow(&r, "93.184.215.14", 1);
    assert_non_null(g2);
    assert_int_equal(g2->n, 1);
    assert_string_equal(g2->name, "example.com");
    /* the lookup is one line with its answer; the DNS flow and TLS rows are folded */
    assert_int_equal(count_kind(&r, TL_DNS), 1);
    assert_int_equal(count_kind(&r, TL_TLS), 0);
    assert_null(find_flow(&r, "192.168.1.1", 0));
    for (size_t i = 0; i < r.n; i++)
        if (r.v[i].kind == TL_DNS) {
            assert_string_equal(r.v[i].f[0], "example.com");
            assert_string_equal(r.v[i].f[3], "93.184.215.14");
        }
    /* SMB: the tree connect stays, the negotiation is noise */
    assert_int_equal(count_kind(&r, TL_SMB), 1);
    const struct tl_entry *in = find_flow(&r, "192.168.1.10", 1);
    assert_non_null(in);
    assert_true(in->inbound);
    assert_int_equal(in->port, 135);
    /* the alert, with its explained title, and DHCP and the address change */
    assert_int_equal(count_kind(&r, TL_ALERT), 1);
    assert_int_equal(count_kind(&r, TL_DHCP), 1);
    assert_true(count_kind(&r, TL_IP) >= 2);
    /* .5 after day 2 is PC-B's: its flow to 198.51.100.7 is not PC-A's */
    assert_null(find_flow(&r, "198.51.100.7", 0));
    assert_non_null(find_flow(&r, "203.0.113.9", 0));
    timeline_result_free(&r);
    sqlite3_close(db);
}

static void test_all_rows(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    struct tl_query q = {.device = MAC_A, .all = true};
    struct tl_result r;
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    assert_sorted(&r);
    /* dns flow + 4 tls + smb + inbound + day 3 = 8 flows, each on its own line */
    assert_int_equal(count_kind(&r, TL_FLOW), 8);
    assert_int_equal(r.flows_read, 8);
    assert_int_equal(count_kind(&r, TL_DNS), 2);
    assert_int_equal(count_kind(&r, TL_TLS), 1);
    assert_int_equal(count_kind(&r, TL_SMB), 2);
    /* the DNS query comes before the flows it led to */
    size_t iq = SIZE_MAX, itls = SIZE_MAX;
    for (size_t i = 0; i < r.n; i++) {
        if (r.v[i].kind == TL_DNS && iq == SIZE_MAX)
            iq = i;
        if (r.v[i].kind == TL_FLOW && strcmp(r.v[i].app, "tls") == 0 && itls == SIZE_MAX)
            itls = i;
    }
    assert_true(iq < itls);
    timeline_result_free(&r);
    sqlite3_close(db);
}

static void test_time_window(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    struct tl_query q = {.device = "PC-A", .since_us = T0 + 2 * 86400 * S,
                         .until_us = T0 + 3 * 86400 * S};
    struct tl_result r;
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    assert_int_equal(r.flows_read, 1);
    assert_non_null(find_flow(&r, "203.0.113.9", 0));
    assert_int_equal(count_kind(&r, TL_DNS), 0);
    for (size_t i = 0; i < r.n; i++) {
        assert_true(r.v[i].ts >= q.since_us || r.v[i].kind == TL_ALERT);
        assert_true(r.v[i].ts <= q.until_us);
    }
    timeline_result_free(&r);
    sqlite3_close(db);
}

static void test_resolve_by_address(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    struct tl_result r;
    /* .5 was PC-A's, then PC-B's: without a period, either could be meant */
    struct tl_query q = {.device = "192.168.1.5"};
    assert_int_equal(timeline_run(db, &q, &r), TL_ERR_AMBIGUOUS);
    assert_int_equal(r.ncand, 2);
    timeline_result_free(&r);
    /* on day 3 it was PC-B's */
    q.since_us = T0 + 2 * 86400 * S;
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    assert_string_equal(r.mac, MAC_B);
    assert_non_null(find_flow(&r, "198.51.100.7", 0));
    assert_null(find_flow(&r, "203.0.113.9", 0));
    timeline_result_free(&r);
    /* .6 only ever PC-A's */
    q = (struct tl_query){.device = "192.168.1.6"};
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    assert_string_equal(r.mac, MAC_A);
    timeline_result_free(&r);
    /* an address no device had, with flows: the address alone */
    q = (struct tl_query){.device = "93.184.215.14"};
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    assert_string_equal(r.mac, "");
    assert_int_equal(r.flows_read, 4);
    timeline_result_free(&r);
    q = (struct tl_query){.device = "10.9.9.9"};
    assert_int_equal(timeline_run(db, &q, &r), TL_ERR_NOT_FOUND);
    timeline_result_free(&r);
    sqlite3_close(db);
}

static void test_resolve_names_and_bad(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    struct tl_result r;
    struct tl_query q = {.device = "shared-name"};
    assert_int_equal(timeline_run(db, &q, &r), TL_ERR_AMBIGUOUS);
    assert_int_equal(r.ncand, 2);
    timeline_result_free(&r);
    q.device = "no-such-pc";
    assert_int_equal(timeline_run(db, &q, &r), TL_ERR_NOT_FOUND);
    timeline_result_free(&r);
    q.device = "00:11:22:33:44:cc";
    assert_int_equal(timeline_run(db, &q, &r), TL_ERR_NOT_FOUND);
    timeline_result_free(&r);
    q.device = "00-11-22-33-44-BB"; /* another way to write PC-B's MAC */
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    assert_string_equal(r.mac, MAC_B);
    timeline_result_free(&r);
    q.device = "";
    assert_int_equal(timeline_run(db, &q, &r), TL_ERR_BAD);
    timeline_result_free(&r);
    sqlite3_close(db);
}

static void test_empty_store(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    exec(db, schema);
    struct tl_query q = {.device = "PC-A"};
    struct tl_result r;
    assert_int_equal(timeline_run(db, &q, &r), TL_ERR_EMPTY);
    timeline_result_free(&r);
    sqlite3_close(db);
}

static void test_output(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    struct tl_query q = {.device = "PC-A"};
    struct tl_result r;
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ui_lang = LANG_EN;
    timeline_print_text(f, &r, false);
    fclose(f);
    assert_non_null(strstr(buf, "3 connections to example.com [93.184.215.14] (443/tls)"));
    assert_non_null(strstr(buf, "example.com A -> 93.184.215.14"));
    assert_non_null(strstr(buf, "!! ALERT"));
    free(buf);
    f = open_memstream(&buf, &len);
    ui_lang = LANG_JA;
    timeline_print_text(f, &r, false);
    fclose(f);
    assert_non_null(strstr(buf, "への接続（443/tls）3 回"));
    free(buf);
    ui_lang = LANG_EN;
    f = open_memstream(&buf, &len);
    timeline_print_json(f, &r);
    fclose(f);
    /* every line one object with time and kind */
    size_t lines = 0;
    for (char *line = buf, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        assert_non_null(o);
        assert_non_null(json_string_value(json_object_get(o, "time")));
        assert_non_null(json_string_value(json_object_get(o, "kind")));
        json_decref(o);
        lines++;
    }
    assert_int_equal(lines, r.n);
    free(buf);
    timeline_result_free(&r);
    sqlite3_close(db);
}

/* A server name with a terminal escape sequence is printed without it. */
static void test_hostile_names(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    long long t = T0 + 2 * 86400 * S + 120 * S; /* while .6 is PC-A's */
    flow(db, t, "192.168.1.6", "203.0.113.66", 443, "tls", 100, 100);
    char sql[300];
    snprintf(sql, sizeof(sql),
             "INSERT INTO tls (run_id, flow_id, ts, src_ip, sni) VALUES (1, %lld, %lld,"
             " '192.168.1.6', 'evil' || char(27) || '[2J' || char(10) || 'x.example')",
             (long long)next_flow - 1, t + 1000);
    exec(db, sql);
    struct tl_query q = {.device = "PC-A", .all = true};
    struct tl_result r;
    assert_int_equal(timeline_run(db, &q, &r), TL_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    timeline_print_text(f, &r, false);
    fclose(f);
    assert_null(strchr(buf, 27));
    assert_non_null(strstr(buf, "evil?[2J?x.example"));
    free(buf);
    timeline_result_free(&r);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact_groups_and_names),
        cmocka_unit_test(test_all_rows),
        cmocka_unit_test(test_time_window),
        cmocka_unit_test(test_resolve_by_address),
        cmocka_unit_test(test_resolve_names_and_bad),
        cmocka_unit_test(test_empty_store),
        cmocka_unit_test(test_output),
        cmocka_unit_test(test_hostile_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
