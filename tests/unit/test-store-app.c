/* test-store-app.c - the application-event tables of the SQLite store:
 * schema (version 2), one row per event with oriented addresses and typed
 * columns, body/extra JSON, the catch-all table, flows.app_proto, the
 * migration of a version-1 file, commit visibility and the insert rate.
 *
 * Events are built by hand with jansson, the way parsers build them, and
 * read back with a plain sqlite3 connection.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "decode/decode.h"
#include "store/sink.h"
#include "store/store-app.h"
#include "util/util.h"

#include "flow-test-util.h"

struct tmpdir {
    char dir[64];
    char db[128];
};

static void tmpdir_make(struct tmpdir *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/mamori-test-store-app-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->db, sizeof(t->db), "%s/app.db", t->dir);
}

static void tmpdir_remove(struct tmpdir *t)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char p[160];
    for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
        snprintf(p, sizeof(p), "%s%s", t->db, suffixes[i]);
        unlink(p);
    }
    rmdir(t->dir);
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
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The first column of the first row as text ("NULL" for NULL). */
static void raw_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("no row: %s", sql);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out, len, "%s", t ? (const char *)t : "NULL");
    sqlite3_finalize(st);
}

#define assert_sql_text(db, sql, want)                                                             \
    do {                                                                                           \
        char got_[512];                                                                            \
        raw_text((db), (sql), got_, sizeof(got_));                                                 \
        if (strcmp(got_, (want)) != 0)                                                             \
            fail_msg("%s: got '%s', want '%s'", (sql), got_, (want));                              \
    } while (0)

static void raw_exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
}

static const struct run_info test_run = {
    .command = "read", .source = "app.pcap", .bpf = NULL, .version = "0.1.0"};

/* A flow from client 10.0.0.<n>:50000+n to server 192.0.2.<n>:dport. */
static void make_flow(struct flow *f, uint64_t id, uint8_t proto, uint8_t n, uint16_t dport,
                      const char *app_proto)
{
    memset(f, 0, sizeof(*f));
    f->id = id;
    f->first_ts_us = T0_US + id * 1000000u;
    f->last_ts_us = f->first_ts_us + 500000u;
    f->ip_version = 4;
    f->proto = proto;
    v4(&f->src, 10, 0, 0, n);
    v4(&f->dst, 192, 0, 2, n);
    f->sport = (uint16_t)(50000u + n);
    f->dport = dport;
    f->pkts[0] = 2;
    f->pkts[1] = 2;
    f->end_reason = FLOW_END_TIMEOUT;
    snprintf(f->app_proto, sizeof(f->app_proto), "%s", app_proto);
}

/* Hands one event to the sink and drops our references. */
static void put_event(struct sink *s, const struct flow *f, const char *type, int dir,
                      uint64_t ts_us, json_t *body, json_t *extra)
{
    const struct app_event ev = {.type = type,
                                 .f = f,
                                 .ts_us = ts_us,
                                 .dir = dir,
                                 .app_proto = f->app_proto,
                                 .body = body,
                                 .extra = extra};
    assert_int_equal(s->ops->app_event(s, &ev), 0);
    json_decref(body);
    json_decref(extra);
}

static json_t *jp(const char *fmt, ...)
{
    va_list ap;
    json_error_t err;
    va_start(ap, fmt);
    json_t *v = json_vpack_ex(&err, 0, fmt, ap);
    va_end(ap);
    if (!v)
        fail_msg("json_pack: %s", err.text);
    return v;
}

/* --- schema --- */

/* Every table has the common columns, its descriptor's columns and body,
 * extra, in this order: the INSERT is built from the descriptors and the
 * migration text is written out by hand, so this pins that they agree. */
static void test_schema_v2(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    s->ops->close(s);

    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 6);
    assert_int_equal(store_app_ntables, 16); /* 14 protocols, anomalies, app_events */
    for (unsigned i = 0; i < store_app_ntables; i++) {
        const struct store_app_table *tab = &store_app_tables[i];
        char want[2048], got[2048], sql[160];
        size_t off = (size_t)snprintf(want, sizeof(want), "%s",
                                      "id,run_id,flow_id,ts,src_ip,src_port,dst_ip,dst_port,proto");
        if (!tab->type)
            off += (size_t)snprintf(want + off, sizeof(want) - off, ",type,app_proto");
        for (unsigned c = 0; c < tab->ncols; c++)
            off += (size_t)snprintf(want + off, sizeof(want) - off, ",%s", tab->cols[c].name);
        snprintf(want + off, sizeof(want) - off, ",body,extra");
        snprintf(sql, sizeof(sql),
                 "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('%s')"
                 " ORDER BY cid)",
                 tab->table);
        raw_text(db, sql, got, sizeof(got));
        if (strcmp(got, want) != 0)
            fail_msg("table %s: columns %s, want %s", tab->table, got, want);
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '%s_flow_id'",
                 tab->table);
        assert_int_equal(raw_int(db, sql), 1);
    }
    static const char *const indexes[] = {"dns_rrname",    "dns_src_ip",      "tls_sni",
                                          "http_hostname", "dhcp_client_mac", "smb_ntlm_user",
                                          "quic_sni"};
    for (size_t i = 0; i < ARRAY_SIZE(indexes); i++) {
        char sql[160];
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '%s'",
                 indexes[i]);
        if (raw_int(db, sql) != 1)
            fail_msg("index %s missing", indexes[i]);
    }
    /* Step 2 replaced flows_run_id by (run_id, flow_id), the events' join. */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'flows_run_id'"),
                     0);
    assert_int_equal(
        raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'flows_run_flow'"), 1);
    /* The incident question uses the rrname index, case-insensitively. */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "EXPLAIN QUERY PLAN"
                                        " SELECT * FROM dns WHERE rrname = 'Example.COM'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal(sqlite3_column_text(st, 3), "SEARCH dns USING INDEX dns_rrname (rrname=?)");
    sqlite3_finalize(st);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* --- one event of each type --- */

enum {
    FL_DNS,
    FL_TLS,
    FL_HTTP,
    FL_SMTP,
    FL_POP3,
    FL_IMAP,
    FL_FTP,
    FL_TELNET,
    FL_SSH,
    FL_SMB,
    FL_DHCP,
    FL_DHCP6,
    FL_QUIC,
    FL_RDP,
    FL_SIP,
    FL_COUNT
};

static void write_all_types(struct sink *s, struct flow fl[FL_COUNT])
{
    make_flow(&fl[FL_DNS], 1, 17, 5, 53, "dns");
    make_flow(&fl[FL_TLS], 2, 6, 6, 443, "tls");
    make_flow(&fl[FL_HTTP], 3, 6, 7, 80, "http");
    make_flow(&fl[FL_SMTP], 4, 6, 8, 25, "smtp");
    make_flow(&fl[FL_POP3], 5, 6, 9, 110, "pop3");
    make_flow(&fl[FL_IMAP], 6, 6, 10, 143, "imap");
    make_flow(&fl[FL_FTP], 7, 6, 11, 21, "ftp");
    make_flow(&fl[FL_TELNET], 8, 6, 12, 23, "telnet");
    make_flow(&fl[FL_SSH], 9, 6, 13, 22, "ssh");
    make_flow(&fl[FL_SMB], 10, 6, 14, 445, "smb");
    make_flow(&fl[FL_DHCP], 11, 17, 15, 67, "dhcp");
    make_flow(&fl[FL_DHCP6], 12, 17, 16, 547, "dhcpv6");
    make_flow(&fl[FL_QUIC], 13, 17, 17, 443, "quic");
    make_flow(&fl[FL_RDP], 14, 6, 18, 3389, "rdp");
    make_flow(&fl[FL_SIP], 15, 17, 19, 5060, "");
    uint64_t ts = T0_US + 100u;

    /* DNS: a query (client is src) and its answer (server is src). */
    put_event(s, &fl[FL_DNS], "dns", 0, ts,
              jp("{s:s, s:i, s:s, s:s}", "type", "query", "id", 4660, "rrname", "example.com",
                 "rrtype", "A"),
              NULL);
    put_event(s, &fl[FL_DNS], "dns", 1, ts + 1,
              jp("{s:i, s:s, s:i, s:s, s:s, s:s, s:[{s:s, s:s, s:i, s:s}, {s:s, s:s, s:i, s:s}]}",
                 "version", 2, "type", "answer", "id", 4660, "rrname", "example.com", "rrtype", "A",
                 "rcode", "NOERROR", "answers", "rrname", "example.com", "rrtype", "A", "ttl", 300,
                 "rdata", "93.184.216.34", "rrname", "example.com", "rrtype", "A", "ttl", 300,
                 "rdata", "93.184.216.35"),
              NULL);
    /* NetBIOS registration: no question, nothing for EVE; the name is in
     * extra and still fills rrname. */
    put_event(s, &fl[FL_DNS], "dns", 0, ts + 2, NULL,
              jp("{s:s, s:s, s:s}", "proto", "nbns", "nbns_op", "registration", "name", "PC-07"));
    put_event(s, &fl[FL_TLS], "tls", 0, ts,
              jp("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:s}", "sni",
                 "www.example.org", "version", "TLS 1.2", "ja3", "hash",
                 "e7d705a3286e19ea42f587b344ee6865", "string", "771,4865,0,,", "ja3s", "hash",
                 "f4febc55ea12b31ae17cfb7e614afda8", "string", "771,4865,", "ja4",
                 "t13d1516h2_8daaf6152771_e5627efa2ab1", "subject", "CN=www.example.org",
                 "issuerdn", "CN=www.example.org", "notbefore", "2024-01-01T00:00:00", "notafter",
                 "2025-01-01T00:00:00", "fingerprint", "aa:bb:cc"),
              jp("{s:b, s:[s, s]}", "self_signed", 1, "alpn_ts", "h2", "http/1.1"));
    put_event(s, &fl[FL_HTTP], "http", 0, ts,
              jp("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i}", "hostname", "www.example.net", "url",
                 "/index.html?q=1", "http_method", "GET", "protocol", "HTTP/1.1", "status", 200,
                 "http_user_agent", "curl/8.0", "http_content_type", "text/html", "length", 1256),
              NULL);
    put_event(s, &fl[FL_SMTP], "smtp", 0, ts,
              jp("{s:s, s:s, s:[s, s]}", "helo", "client.example", "mail_from", "<a@example.com>",
                 "rcpt_to", "<b@example.com>", "<c@example.com>"),
              jp("{s:b, s:s, s:b, s:s}", "starttls", 0, "auth_mechanism", "PLAIN",
                 "cleartext_message", 1, "subject", "hello"));
    put_event(
        s, &fl[FL_POP3], "pop3", 0, ts, NULL,
        jp("{s:s, s:b, s:b}", "user", "alice", "login_success", 1, "password_sent_in_clear", 1));
    put_event(s, &fl[FL_IMAP], "imap", 0, ts, NULL,
              jp("{s:s, s:b, s:b}", "user", "bob", "login_success", 0, "starttls", 1));
    put_event(s, &fl[FL_FTP], "ftp", 0, ts,
              jp("{s:s, s:s, s:[s], s:[s]}", "command", "USER", "command_data", "carol",
                 "completion_code", "331", "reply", "Password required"),
              jp("{s:s}", "user", "carol"));
    put_event(s, &fl[FL_TELNET], "telnet", 0, ts, NULL,
              jp("{s:s, s:b}", "user", "root", "password_sent_in_clear", 1));
    put_event(s, &fl[FL_SSH], "ssh", 0, ts,
              jp("{s:{s:s, s:s}, s:{s:s, s:s}}", "client", "proto_version", "2.0",
                 "software_version", "OpenSSH_9.6", "server", "proto_version", "2.0",
                 "software_version", "OpenSSH_8.9p1"),
              NULL);
    put_event(s, &fl[FL_SMB], "smb", 0, ts,
              jp("{s:s, s:s, s:{s:s, s:s, s:s}}", "command", "SMB2_COMMAND_SESSION_SETUP",
                 "dialect", "3.11", "ntlmssp", "user", "dave", "domain", "OFFICE", "host", "PC-07"),
              NULL);
    /* DHCP: the numeric request list from extra wins over the names. */
    put_event(s, &fl[FL_DHCP], "dhcp", 0, ts,
              jp("{s:s, s:i, s:s, s:s, s:s, s:s, s:[s, s]}", "type", "request", "id", 305419896,
                 "client_mac", "00:11:22:AA:BB:CC", "dhcp_type", "request", "hostname", "pc-07",
                 "requested_ip", "192.168.1.50", "params", "subnet_mask", "router"),
              jp("{s:[i, i, i]}", "param_request_list", 1, 3, 6));
    put_event(s, &fl[FL_DHCP6], "dhcpv6", 0, ts, NULL,
              jp("{s:s, s:i, s:s, s:s}", "msg_type", "solicit", "transaction_id", 11259375,
                 "client_duid", "00:01:00:01:aa", "hostname", "pc-08"));
    put_event(s, &fl[FL_QUIC], "quic", 0, ts,
              jp("{s:s, s:s, s:s}", "version", "1", "sni", "www.example.com", "ja4",
                 "q13d0310h3_55b375c5d22e_cd85d2d88918"),
              NULL);
    put_event(s, &fl[FL_RDP], "rdp", 0, ts,
              jp("{s:s, s:i, s:s}", "event_type", "initial_request", "tx_id", 0, "cookie",
                 "mstshash=admin"),
              NULL);
    put_event(s, &fl[FL_SMTP], "anomaly", 0, ts + 2,
              jp("{s:s, s:s, s:s, s:s}", "type", "applayer", "event", "smtp.line_too_long", "layer",
                 "proto_parser", "app_proto", "smtp"),
              NULL);
    /* A type the store has no table for lands in app_events. */
    put_event(s, &fl[FL_SIP], "sip", 0, ts, jp("{s:s}", "method", "INVITE"), NULL);

    for (int i = 0; i < FL_COUNT; i++)
        assert_int_equal(s->ops->flow(s, &fl[i]), 0);
}

static void test_all_types(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct flow fl[FL_COUNT];
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    write_all_types(s, fl);
    assert_int_equal(s->ops->commit(s), 0);
    s->ops->close(s);

    sqlite3 *db = raw_open(t.db);
    /* One row per event, in the right table. */
    static const struct {
        const char *table;
        int rows;
    } counts[] = {{"dns", 3},  {"tls", 1},  {"http", 1},      {"smtp", 1},
                  {"pop3", 1}, {"imap", 1}, {"ftp", 1},       {"telnet", 1},
                  {"ssh", 1},  {"smb", 1},  {"dhcp", 1},      {"dhcpv6", 1},
                  {"quic", 1}, {"rdp", 1},  {"anomalies", 1}, {"app_events", 1}};
    for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
        char sql[96];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE run_id = 1", counts[i].table);
        if (raw_int(db, sql) != counts[i].rows)
            fail_msg("%s: %" PRId64 " rows", counts[i].table, raw_int(db, sql));
    }

    /* DNS: the query's src is the client, the answer's the server (dir 1). */
    assert_sql_text(db,
                    "SELECT src_ip || ':' || src_port || '>' || dst_ip || ':' || dst_port"
                    " || '/' || proto FROM dns WHERE type = 'query'",
                    "10.0.0.5:50005>192.0.2.5:53/17");
    assert_sql_text(db,
                    "SELECT src_ip || ':' || src_port || '>' || dst_ip || ':' || dst_port"
                    " FROM dns WHERE type = 'answer'",
                    "192.0.2.5:53>10.0.0.5:50005");
    char want[64];
    snprintf(want, sizeof(want), "%" PRIu64, (uint64_t)(T0_US + 100u));
    assert_sql_text(db, "SELECT ts FROM dns WHERE type = 'query'", want);
    assert_sql_text(db,
                    "SELECT dns_id || ' ' || rrtype || ' ' || typeof(dns_id) FROM dns"
                    " WHERE type = 'query'",
                    "4660 A integer");
    assert_sql_text(db, "SELECT rcode || ' ' || answers FROM dns WHERE type = 'answer'",
                    "NOERROR 93.184.216.34,93.184.216.35");
    assert_sql_text(db, "SELECT answers FROM dns WHERE type = 'query'", "NULL");
    /* body keeps every field for json_extract(); no extra given: NULL. */
    assert_sql_text(db,
                    "SELECT json_extract(body, '$.answers[1].ttl') FROM dns"
                    " WHERE type = 'answer'",
                    "300");
    assert_sql_text(db, "SELECT body FROM dns WHERE type = 'query'",
                    "{\"type\":\"query\",\"id\":4660,\"rrname\":\"example.com\",\"rrtype\":\"A\"}");
    assert_sql_text(db, "SELECT extra FROM dns WHERE type = 'query'", "NULL");
    assert_sql_text(db,
                    "SELECT rrname || ' ' || ifnull(type, '-') || ' ' || ifnull(body, '-')"
                    " || ' ' || json_extract(extra, '$.nbns_op') FROM dns WHERE ts = "
                    "1704067200000102",
                    "PC-07 - - registration");
    /* "Which PC looked up this domain?" (case does not matter). */
    assert_sql_text(db,
                    "SELECT f.src_ip || ' ' || f.app_proto FROM dns d JOIN flows f"
                    " ON f.run_id = d.run_id AND f.flow_id = d.flow_id"
                    " WHERE d.rrname = 'EXAMPLE.com' AND d.type = 'query'",
                    "10.0.0.5 dns");

    assert_sql_text(db,
                    "SELECT sni || '|' || version || '|' || ja3 || '|' || ja3s || '|' || ja4"
                    " || '|' || subject || '|' || issuerdn || '|' || notbefore || '|' || notafter"
                    " || '|' || fingerprint || '|' || self_signed || '|' || alpn FROM tls",
                    "www.example.org|TLS 1.2|e7d705a3286e19ea42f587b344ee6865|"
                    "f4febc55ea12b31ae17cfb7e614afda8|t13d1516h2_8daaf6152771_e5627efa2ab1|"
                    "CN=www.example.org|CN=www.example.org|2024-01-01T00:00:00|"
                    "2025-01-01T00:00:00|aa:bb:cc|1|h2,http/1.1");
    assert_sql_text(db, "SELECT serial FROM tls", "NULL");
    assert_sql_text(db, "SELECT json_extract(extra, '$.alpn_ts[1]') FROM tls", "http/1.1");

    assert_sql_text(db,
                    "SELECT hostname || '|' || url || '|' || http_method || '|' || protocol"
                    " || '|' || status || '|' || typeof(status) || '|' || http_user_agent || '|'"
                    " || http_content_type || '|' || length FROM http",
                    "www.example.net|/index.html?q=1|GET|HTTP/1.1|200|integer|curl/8.0|"
                    "text/html|1256");
    assert_sql_text(db,
                    "SELECT helo || '|' || mail_from || '|' || rcpt_to || '|' || rcpt_count"
                    " || '|' || starttls || '|' || auth_mechanism || '|' || cleartext_message"
                    " || '|' || subject || '|' || ifnull(user, '-') FROM smtp",
                    "client.example|<a@example.com>|<b@example.com>,<c@example.com>|2|0|PLAIN|"
                    "1|hello|-");
    assert_sql_text(db,
                    "SELECT user || login_success || password_sent_in_clear"
                    " || ifnull(body, '-') FROM pop3",
                    "alice11-");
    assert_sql_text(db, "SELECT user || login_success || starttls FROM imap", "bob01");
    assert_sql_text(db,
                    "SELECT command || '|' || command_data || '|' || completion_code || '|'"
                    " || reply || '|' || user FROM ftp",
                    "USER|carol|331|Password required|carol");
    assert_sql_text(db, "SELECT user || password_sent_in_clear FROM telnet", "root1");
    assert_sql_text(db,
                    "SELECT client_software || '|' || client_proto || '|' || server_software"
                    " || '|' || server_proto || '|' || ifnull(hassh, '-') FROM ssh",
                    "OpenSSH_9.6|2.0|OpenSSH_8.9p1|2.0|-");
    assert_sql_text(db,
                    "SELECT command || '|' || dialect || '|' || ntlm_user || '|' || ntlm_domain"
                    " || '|' || ntlm_host FROM smb WHERE ntlm_user = 'DAVE'",
                    "SMB2_COMMAND_SESSION_SETUP|3.11|dave|OFFICE|PC-07");
    assert_sql_text(db,
                    "SELECT type || '|' || dhcp_id || '|' || dhcp_type || '|' || client_mac"
                    " || '|' || hostname || '|' || requested_ip || '|' || param_request_list"
                    " FROM dhcp WHERE client_mac = '00:11:22:aa:bb:cc'",
                    "request|305419896|request|00:11:22:AA:BB:CC|pc-07|192.168.1.50|1,3,6");
    assert_sql_text(db,
                    "SELECT msg_type || '|' || transaction_id || '|' || client_duid || '|'"
                    " || hostname || '|' || ifnull(body, '-') FROM dhcpv6",
                    "solicit|11259375|00:01:00:01:aa|pc-08|-");
    assert_sql_text(db, "SELECT version || '|' || sni || '|' || ja4 FROM quic",
                    "1|www.example.com|q13d0310h3_55b375c5d22e_cd85d2d88918");
    assert_sql_text(db, "SELECT event_type || '|' || cookie FROM rdp",
                    "initial_request|mstshash=admin");
    assert_sql_text(db,
                    "SELECT event || '|' || anomaly_type || '|' || layer || '|' || app_proto"
                    " || '|' || flow_id FROM anomalies",
                    "smtp.line_too_long|applayer|proto_parser|smtp|4");
    assert_sql_text(db,
                    "SELECT type || '|' || ifnull(app_proto, '-') || '|'"
                    " || json_extract(body, '$.method') FROM app_events",
                    "sip|-|INVITE");

    /* flows.app_proto and the view; "" is NULL. */
    assert_sql_text(db, "SELECT app_proto FROM flows WHERE flow_id = 2", "tls");
    assert_sql_text(db, "SELECT app_proto FROM flows_readable WHERE flow_id = 13", "quic");
    assert_sql_text(db, "SELECT app_proto FROM flows WHERE flow_id = 15", "NULL");
    /* Every event joins to its flow. */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM tls JOIN flows USING (run_id, flow_id)"), 1);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* Events become visible to readers (and durable) at the commit, with the
 * flows; an event before run_start still gets a run. */
static void test_commit_visibility(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct flow f;
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    make_flow(&f, 1, 17, 1, 53, "dns");
    put_event(s, &f, "dns", 0, T0_US, jp("{s:s, s:s}", "type", "query", "rrname", "a.test"), NULL);

    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM dns"), 0);
    assert_int_equal(s->ops->commit(s), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM dns"), 1);
    assert_int_equal(raw_int(db, "SELECT run_id FROM dns"), 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM runs"), 1);
    sqlite3_close(db);
    s->ops->close(s);
    tmpdir_remove(&t);
}

/* --- migration --- */

/* Version 1 exactly as it shipped (store_migrations[0]). */
static const char schema_v1[] =
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, command TEXT, source TEXT, bpf TEXT,"
    " version TEXT, started_at TEXT, ended_at TEXT, status TEXT, first_ts INTEGER,"
    " last_ts INTEGER, packets INTEGER, bytes INTEGER, flows INTEGER, decode_errors INTEGER,"
    " kernel_drops INTEGER, iface_drops INTEGER);"
    "CREATE TABLE run_counters (run_id INTEGER REFERENCES runs(id), name TEXT, value INTEGER,"
    " PRIMARY KEY (run_id, name));"
    "CREATE TABLE flows (id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL REFERENCES runs(id) DEFERRABLE INITIALLY DEFERRED,"
    " flow_id INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,"
    " ip_version INTEGER, proto INTEGER, src_ip TEXT, src_port INTEGER, dst_ip TEXT,"
    " dst_port INTEGER, src_mac TEXT, dst_mac TEXT, vlan INTEGER, vlan2 INTEGER, tunnel TEXT,"
    " tunnel_depth INTEGER, pkts_toserver INTEGER, pkts_toclient INTEGER,"
    " bytes_toserver INTEGER, bytes_toclient INTEGER, tcp_flags_ts INTEGER,"
    " tcp_flags_tc INTEGER, tcp_state TEXT, conn_state TEXT, icmp_type INTEGER,"
    " icmp_code INTEGER, resp_icmp_type INTEGER, resp_icmp_code INTEGER, end_reason TEXT,"
    " app_proto TEXT);"
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
    " FROM flows;";

/* A file a version-1 mamori wrote (WAL, a complete run, two flows, a
 * counter) is migrated on open: old rows read as before, events and new
 * flows go in as run 2. */
static void test_migrate_from_v1(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(t.db, &db), SQLITE_OK);
    raw_exec(db, "PRAGMA journal_mode = WAL");
    raw_exec(db, "BEGIN");
    raw_exec(db, schema_v1);
    raw_exec(db, "PRAGMA user_version = 1");
    raw_exec(db, "INSERT INTO runs (id, command, source, status, packets, flows)"
                 " VALUES (1, 'read', 'old.pcap', 'complete', 40, 2)");
    raw_exec(db, "INSERT INTO run_counters VALUES (1, 'flow.created', 2)");
    raw_exec(db, "INSERT INTO flows (run_id, flow_id, first_ts, last_ts, ip_version, proto,"
                 " src_ip, src_port, dst_ip, dst_port, end_reason)"
                 " VALUES (1, 1, 1704067200000000, 1704067201000000, 4, 6, '10.0.0.1', 40000,"
                 " '192.0.2.1', 443, 'fin'),"
                 " (1, 2, 1704067202000000, 1704067203000000, 4, 17, '10.0.0.2', 40001,"
                 " '192.0.2.53', 53, 'timeout')");
    raw_exec(db, "COMMIT");
    sqlite3_close(db);

    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    struct flow f;
    make_flow(&f, 1, 17, 3, 53, "dns");
    put_event(s, &f, "dns", 0, T0_US, jp("{s:s, s:s}", "type", "query", "rrname", "b.test"), NULL);
    assert_int_equal(s->ops->flow(s, &f), 0);
    assert_int_equal(s->ops->commit(s), 0);
    s->ops->close(s);

    db = raw_open(t.db);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 6);
    assert_sql_text(db, "PRAGMA integrity_check", "ok");
    assert_sql_text(db, "SELECT group_concat(source || ':' || status, ',') FROM runs",
                    "old.pcap:complete,app.pcap:running");
    assert_int_equal(raw_int(db, "SELECT value FROM run_counters WHERE run_id = 1"), 2);
    assert_sql_text(db,
                    "SELECT group_concat(src_ip || '>' || dst_ip || ':' || dst_port || '/'"
                    " || ifnull(app_proto, 'NULL'), ',') FROM flows_readable WHERE run_id = 1",
                    "10.0.0.1>192.0.2.1:443/NULL,10.0.0.2>192.0.2.53:53/NULL");
    /* The join from an event to its flow is an index lookup. */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "EXPLAIN QUERY PLAN SELECT f.src_ip FROM dns d JOIN flows f"
                                        " USING (run_id, flow_id) WHERE d.rrname = 'b.test'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    bool uses_index = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (strstr((const char *)sqlite3_column_text(st, 3),
                   "SEARCH f USING INDEX flows_run_flow (run_id=? AND flow_id=?)"))
            uses_index = true;
    }
    sqlite3_finalize(st);
    assert_true(uses_index);
    assert_sql_text(db, "SELECT first_seen FROM flows_readable WHERE run_id = 1 AND flow_id = 1",
                    "2024-01-01T00:00:00.000Z");
    assert_sql_text(db, "SELECT app_proto FROM flows WHERE run_id = 2", "dns");
    assert_sql_text(db, "SELECT rrname || ' ' || run_id FROM dns", "b.test 2");
    assert_int_equal(raw_int(db, "SELECT count(*) FROM app_events"), 0);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

/* --- rate --- */

/* DNS is the busiest event type on an office network: a query and an answer
 * per lookup. Not a pass/fail threshold (machines differ, and sanitizers
 * slow this build), only a number for the report. */
static void test_insert_rate(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = store_sqlite_open(t.db);
    assert_non_null(s);
    assert_int_equal(s->ops->run_start(s, &test_run), 0);
    struct flow f;
    enum { N = 20000 };
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (unsigned i = 0; i < N; i++) {
        char name[64];
        make_flow(&f, i + 1, 17, (uint8_t)(i % 200 + 1), 53, "dns");
        snprintf(name, sizeof(name), "host%u.example.com", i % 5000);
        put_event(s, &f, "dns", (int)(i & 1), T0_US + i,
                  jp("{s:s, s:i, s:s, s:s, s:s, s:[{s:s, s:s, s:i, s:s}]}", "type",
                     i & 1 ? "answer" : "query", "id", (int)(i & 0xffff), "rrname", name, "rrtype",
                     "A", "rcode", "NOERROR", "answers", "rrname", name, "rrtype", "A", "ttl", 60,
                     "rdata", "192.0.2.7"),
                  NULL);
        if (i % 5000 == 4999)
            assert_int_equal(s->ops->commit(s), 0);
    }
    assert_int_equal(s->ops->commit(s), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    s->ops->close(s);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    /* CPU time too: on a loaded machine wall time says little. */
    print_message("store-app: %d dns events in %.3f s wall, %.3f s CPU = %.0f events/CPU-s"
                  " (incl. building the JSON)\n",
                  N, secs, cpu, N / cpu);
    sqlite3 *db = raw_open(t.db);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM dns"), N);
    sqlite3_close(db);
    tmpdir_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_v2),         cmocka_unit_test(test_all_types),
        cmocka_unit_test(test_commit_visibility), cmocka_unit_test(test_migrate_from_v1),
        cmocka_unit_test(test_insert_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
