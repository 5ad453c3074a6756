/* test-report-model.c - the monthly report model (src/report/report-model.c)
 * on a store written here with SQL: the theme table, month ranges, status
 * rules, the order of the things to do, the comparison with the previous
 * month, gaps, and a store of the older schema 3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inventory/known.h"
#include "report/report-internal.h"
#include "report/report.h"
#include "store/sink.h"
#include "util/netaddr.h"
#include "util/strbuf.h"
#include "util/util.h"

#define DAY 86400000000ull
#define SEP1 1788220800000000ull /* 2026-09-01T00:00:00Z */
#define OCT1 1790812800000000ull /* 2026-10-01T00:00:00Z */
#define NOV1 1793491200000000ull /* 2026-11-01T00:00:00Z */
#define MAC_PC03 "f8:bc:12:00:00:03"
#define MAC_PRN "3c:2a:f4:00:00:09"

static char dbpath[64];

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static void add_alert(sqlite3 *db, int id, uint64_t ts, const char *cat, int sev, const char *src,
                      const char *mac, const char *name, const char *facts)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO alerts (id, dedup_key, run_id, first_ts,"
                                        " last_ts, count, category, severity, src_ip, device,"
                                        " device_name, flow_ids, facts) VALUES (?1, ?2, 1, ?3,"
                                        " ?3, 1, ?4, ?5, ?6, ?7, ?8, '[1]', ?9)",
                                        -1, &s, NULL),
                     SQLITE_OK);
    char key[32];
    snprintf(key, sizeof(key), "k%d", id);
    sqlite3_bind_int(s, 1, id);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)ts);
    sqlite3_bind_text(s, 4, cat, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, sev);
    sqlite3_bind_text(s, 6, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, mac, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, facts ? facts : "{}", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
}

/* September and October of a small office: a flow every hour of every day
 * but Oct 10, one recorded outage on Oct 15, findings in both months. */
static sqlite3 *make_store(void)
{
    snprintf(dbpath, sizeof(dbpath), "/tmp/test-report-%d.db", (int)getpid());
    unlink(dbpath);
    struct sink *sk = store_sqlite_open(dbpath);
    assert_non_null(sk);
    sk->ops->close(sk);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    exec(db, "BEGIN");
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO runs (id, command, status, first_ts, last_ts, packets, flows)"
             " VALUES (1, 'watch', 'complete', %llu, %llu, 100, 100)",
             (unsigned long long)SEP1, (unsigned long long)(NOV1 - 1));
    exec(db, sql);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO flows (run_id, flow_id, first_ts, last_ts,"
                                        " ip_version, proto, src_ip, dst_ip, dst_port, src_mac,"
                                        " pkts_toserver, pkts_toclient, bytes_toserver,"
                                        " bytes_toclient) VALUES (1, ?1, ?2, ?2, 4, 6,"
                                        " '192.168.1.23', '203.0.113.7', 443, ?3, 5, 5, 1000,"
                                        " 9000)",
                                        -1, &s, NULL),
                     SQLITE_OK);
    int id = 1;
    for (uint64_t t = SEP1; t < NOV1; t += DAY / 24) {
        if (t >= OCT1 + 9 * DAY && t < OCT1 + 10 * DAY)
            continue; /* Oct 10: the capture was off */
        sqlite3_reset(s);
        sqlite3_bind_int(s, 1, id++);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)t);
        sqlite3_bind_text(s, 3, MAC_PC03, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    }
    sqlite3_finalize(s);
    snprintf(sql, sizeof(sql),
             "INSERT INTO sensor_gaps (start_ts, end_ts, reason) VALUES (%llu, %llu, 'power')",
             (unsigned long long)(OCT1 + 14 * DAY + 2 * DAY / 24),
             (unsigned long long)(OCT1 + 14 * DAY + 8 * DAY / 24));
    exec(db, sql);
    snprintf(sql, sizeof(sql),
             "INSERT INTO devices (mac, vendor, hostname, os, first_ts, last_ts) VALUES"
             " ('%s', 'Dell Inc.', 'PC03', 'Windows 10', %llu, %llu),"
             " ('%s', 'Brother', 'BRN-MFC', NULL, %llu, %llu),"
             " ('aa:bb:cc:00:00:01', 'HP', 'NEW-LAPTOP', 'Windows 11', %llu, %llu)",
             MAC_PC03, (unsigned long long)SEP1, (unsigned long long)(NOV1 - 1), MAC_PRN,
             (unsigned long long)SEP1, (unsigned long long)(NOV1 - 1),
             (unsigned long long)(OCT1 + 7 * DAY), (unsigned long long)(OCT1 + 20 * DAY));
    exec(db, sql);
    /* September: three Internet scans. */
    for (int i = 0; i < 3; i++)
        add_alert(db, 1 + i, SEP1 + (uint64_t)(3 + i) * DAY, "scan.port", 1, "198.51.100.9", NULL,
                  NULL, "{\"variant\":\"inbound\"}");
    /* October. */
    add_alert(db, 10, OCT1 + 3 * DAY, "legacy.protocol", 1, "192.168.1.22", MAC_PRN, "BRN-MFC",
              "{\"variant\":\"telnet\"}");
    add_alert(db, 11, OCT1 + 5 * DAY, "scan.port", 1, "198.51.100.9", NULL, NULL,
              "{\"variant\":\"inbound\"}");
    add_alert(db, 12, OCT1 + 7 * DAY, "device.new", 1, "192.168.1.50", "aa:bb:cc:00:00:01",
              "NEW-LAPTOP", NULL);
    add_alert(db, 13, OCT1 + 12 * DAY, "cleartext", 2, "192.168.1.22", MAC_PRN, "BRN-MFC",
              "{\"variant\":\"lan\"}");
    add_alert(db, 14, OCT1 + 21 * DAY, "lateral", 3, "192.168.1.23", MAC_PC03, "PC03",
              "{\"variant\":\"psexec\"}");
    exec(db, "COMMIT");
    return db;
}

static json_t *build(sqlite3 *db, uint64_t since, uint64_t until, uint64_t psince,
                     uint64_t puntil, const struct known_list *kl, enum ui_lang lang)
{
    struct report_opts o = {.since_us = since, .until_us = until, .prev_since_us = psince,
                            .prev_until_us = puntil, .lang = lang, .known = kl,
                            .generated_us = NOV1 + 20 * DAY};
    char err[256] = "";
    json_t *m = report_model_build(db, &o, err, sizeof(err));
    if (!m)
        fail_msg("report_model_build: %s", err);
    return m;
}

/* The member at "a.b.0.c" (members and array indexes), NULL if absent. */
static const json_t *get(const json_t *o, const char *path)
{
    const json_t *cur = o;
    const char *p = path;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        char tok[64];
        snprintf(tok, sizeof(tok), "%.*s", (int)len, p);
        if (json_is_array(cur))
            cur = json_array_get(cur, (size_t)strtoul(tok, NULL, 10));
        else
            cur = json_object_get(cur, tok);
        p += len + (dot ? 1 : 0);
    }
    return cur;
}

static const char *str(const json_t *o, const char *path)
{
    return json_string_value(get(o, path));
}

static json_int_t num(const json_t *o, const char *path)
{
    return json_integer_value(get(o, path));
}

static void test_themes(void **state)
{
    (void)state;
    static const char *const t[][3] = {
        {"device.new", NULL, "devices"},        {"device.returned", NULL, "devices"},
        {"device.arp_spoof", "gateway", "inside"}, {"device.legacy_os", "os", "practice"},
        {"scan.port", NULL, "outside"},         {"scan.port", "inbound", "outside"},
        {"scan.port", "internal", "inside"},    {"scan.host", "outbound", "inside"},
        {"bruteforce", "spray", "outside"},     {"bruteforce", "internal", "inside"},
        {"web.attack", "login", "outside"},     {"web.attack", "webshell", "inside"},
        {"remote_access", "inbound", "outside"}, {"remote_access", "tool", "inside"},
        {"intel.ip", "inbound", "outside"},     {"intel.ip", "outbound", "inside"},
        {"lateral", "psexec", "inside"},        {"beacon", NULL, "inside"},
        {"exfil.upload", NULL, "inside"},       {"dns.tunnel", NULL, "inside"},
        {"spam.burst", NULL, "inside"},         {"tor", NULL, "inside"},
        {"cleartext", "lan", "practice"},       {"legacy.protocol", "telnet", "practice"},
        {"dos", "syn", "outside"},              {"something.new", NULL, "inside"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(t); i++)
        assert_string_equal(report_theme_of(t[i][0], t[i][1]), t[i][2]);
}

/* The local/Internet split of the traffic chart. */
static void test_ip_local(void **state)
{
    (void)state;
    static const char *const local[] = {"10.0.0.1", "192.168.70.5", "172.16.0.1", "172.31.255.1",
                                        "127.0.0.1", "169.254.1.1", "100.64.0.1", "224.0.0.251",
                                        "255.255.255.255", "fe80::1", "FD12:3456::1", "fc00::1",
                                        "::1", "ff02::fb"};
    static const char *const outside[] = {"8.8.8.8", "172.32.0.1", "172.15.0.1", "192.169.0.1",
                                          "100.128.0.1", "203.0.113.7", "2001:db8::1", "fd::1",
                                          "fe7f::1", "", "1000.1.1.1", "junk", "10", "1.2"};
    for (size_t i = 0; i < ARRAY_SIZE(local); i++)
        assert_true(report_ip_local(NULL, local[i]));
    for (size_t i = 0; i < ARRAY_SIZE(outside); i++)
        assert_false(report_ip_local(NULL, outside[i]));
    assert_false(report_ip_local(NULL, NULL));
    /* A site whose net.home has public addresses: those are inside too. */
    struct netset home;
    char err[64];
    assert_int_equal(netset_parse(&home, "203.0.113.0/24,2001:db8:1::/48", err, sizeof(err)), 0);
    assert_true(report_ip_local(&home, "203.0.113.7"));
    assert_true(report_ip_local(&home, "2001:db8:1::5"));
    assert_true(report_ip_local(&home, "10.0.0.1"));
    assert_false(report_ip_local(&home, "203.0.114.7"));
    assert_false(report_ip_local(&home, "junk"));
    struct report_opts o = {.home = &home};
    assert_ptr_equal(report_home_extra(&o), &home);
    assert_int_equal(netset_parse(&home, NETSET_DEFAULT_HOME, err, sizeof(err)), 0);
    assert_null(report_home_extra(&o)); /* the default needs no extra test */
}

static void test_month_range(void **state)
{
    (void)state;
    uint64_t a, b, pa, pb;
    assert_int_equal(report_month_range("2026-10", &a, &b, &pa, &pb), 0);
    assert_true(a == OCT1 && b == NOV1 && pa == SEP1 && pb == OCT1);
    assert_int_equal(report_month_range("2027-01", &a, &b, &pa, &pb), 0);
    assert_true(b - a == 31 * DAY && a - pa == 31 * DAY && pb == a);
    assert_int_equal(report_month_range("2028-03", &a, &b, &pa, &pb), 0);
    assert_true(a - pa == 29 * DAY); /* leap February */
    static const char *const bad[] = {"2026-13", "2026-00", "2026-1", "202610", "2026-10-01",
                                      "abcd-ef", "1969-12", "", "2026/10", " 2026-10"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        assert_int_equal(report_month_range(bad[i], &a, &b, &pa, &pb), -1);
}

/* October: the lateral movement makes it red, and disconnecting PC03 (by
 * its known-list name) comes first, then the cleartext password, then the
 * rest by severity and kind. */
static void test_month(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    struct known_list kl;
    known_init(&kl);
    uint8_t mac[6];
    char err[128];
    assert_int_equal(mac_parse(MAC_PC03, mac), 0);
    assert_int_equal(known_upsert(&kl, mac, "経理-PC03", "佐藤", NULL, err, sizeof(err)), 0);
    json_t *m = build(db, OCT1, NOV1, SEP1, OCT1, &kl, LANG_JA);
    assert_string_equal(str(m, "status.level"), "red");
    assert_string_equal(str(m, "period.label"), "2026年10月");
    assert_string_equal(str(m, "previous.label"), "2026年9月");
    json_t *todo = json_object_get(m, "todo");
    assert_int_equal(json_array_size(todo), 3);
    assert_string_equal(str(m, "todo.0.kind"), "isolate");
    assert_non_null(strstr(str(m, "todo.0.title"), "経理-PC03"));
    assert_string_equal(str(m, "todo.0.urgency"), "now");
    assert_int_equal(num(m, "todo.0.alert_ids.0"), 14);
    assert_string_equal(str(m, "todo.1.kind"), "cleartext");
    assert_string_equal(str(m, "todo.1.urgency"), "this_week");
    /* Three low ones compete for the last place: Telnet before the outside
     * and unknown-device actions. */
    assert_string_equal(str(m, "todo.2.kind"), "telnet");
    /* Period comparison: one Internet scan against three; one serious. */
    assert_string_equal(str(m, "counts.2.id"), "outside_attacks");
    assert_int_equal(num(m, "counts.2.value"), 1);
    assert_int_equal(num(m, "counts.2.previous"), 3);
    assert_int_equal(num(m, "counts.1.value"), 1);
    assert_int_equal(num(m, "counts.1.previous"), 0);
    assert_int_equal(num(m, "counts.0.value"), 1); /* NEW-LAPTOP; the others were there */
    assert_int_equal(num(m, "counts.0.previous"), 0);
    /* Themes in their fixed order, findings most severe first. */
    assert_string_equal(str(m, "themes.0.id"), "devices");
    assert_string_equal(str(m, "themes.2.id"), "inside");
    assert_string_equal(str(m, "themes.2.findings.0.category"), "lateral");
    assert_string_equal(str(m, "themes.2.findings.0.device_name"), "経理-PC03");
    assert_string_equal(str(m, "themes.2.findings.0.severity_label"), "高");
    assert_string_equal(str(m, "themes.3.findings.0.category"), "cleartext");
    assert_string_equal(str(m, "themes.3.findings.1.category"), "legacy.protocol");
    /* Gaps: the silent Oct 10 and the recorded outage, nothing else. */
    json_t *gaps = json_object_get(json_object_get(m, "sensor"), "gaps");
    assert_int_equal(json_array_size(gaps), 2);
    assert_string_equal(str(m, "sensor.gaps.0.reason"), "no_traffic");
    assert_string_equal(str(m, "sensor.gaps.0.start"), "2026-10-10T00:00:00Z");
    assert_string_equal(str(m, "sensor.gaps.1.reason"), "power");
    assert_int_equal(num(m, "sensor.flows"), 30 * 24);
    double cov = json_real_value(json_object_get(json_object_get(m, "sensor"), "coverage_pct"));
    assert_true(cov > 95.5 && cov < 96.5); /* (744 - 24 - 6) / 744 hours */
    /* Devices: the laptop is new and unknown; PC03 is known. */
    assert_string_equal(str(m, "devices.new.0.name"), "NEW-LAPTOP");
    assert_int_equal(json_array_size(json_object_get(json_object_get(m, "devices"), "unknown")), 2);
    /* Charts: one row per day. */
    assert_int_equal(json_array_size(json_object_get(json_object_get(m, "charts"),
                                                     "traffic_per_day")),
                     31);
    assert_int_equal(num(m, "charts.traffic_per_day.0.bytes_out"), 24 * 1000);
    assert_int_equal(num(m, "charts.traffic_per_day.0.bytes_in"), 24 * 9000);
    assert_int_equal(num(m, "charts.traffic_per_day.9.bytes_in"), 0);
    json_decref(m);
    known_free(&kl);
    sqlite3_close(db);
    unlink(dbpath);
}

/* Many ordinary new devices in a month are one card; a more serious one
 * keeps its own; the unknown-devices to-do still counts them all. */
static void test_new_device_group(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    exec(db, "BEGIN");
    static const char *const names[] = {"PHONE-1", "PHONE-2", "TABLET", "NEW-PRINTER"};
    for (int i = 0; i < 4; i++) {
        char mac[18];
        snprintf(mac, sizeof(mac), "aa:bb:cc:00:01:%02x", i);
        add_alert(db, 20 + i, OCT1 + (uint64_t)(8 + i) * DAY, "device.new", 1, "192.168.1.60", mac,
                  names[i], NULL);
    }
    add_alert(db, 30, OCT1 + 13 * DAY, "device.new", 2, "192.168.1.70", "aa:bb:cc:00:02:01",
              "ODD-BOX", NULL);
    exec(db, "COMMIT");
    json_t *m = build(db, OCT1, NOV1, SEP1, OCT1, NULL, LANG_EN);
    const json_t *fs = get(m, "themes.0.findings");
    size_t groups = 0, singles = 0;
    for (size_t i = 0; i < json_array_size(fs); i++) {
        const json_t *f = json_array_get(fs, i);
        if (strcmp(str(f, "category"), "device.new_group") == 0) {
            groups++;
            assert_int_equal(num(f, "count"), 5); /* NEW-LAPTOP and the four above */
            assert_true(json_is_null(json_object_get(f, "alert_id")));
            assert_non_null(strstr(str(f, "title"), "New devices on the network: 5"));
            assert_non_null(strstr(str(f, "what"), "NEW-PRINTER"));
            assert_int_equal(json_array_size(get(f, "evidence.facts.alert_ids")), 5);
        } else if (strcmp(str(f, "category"), "device.new") == 0) {
            singles++;
            assert_string_equal(str(f, "device_name"), "ODD-BOX");
        }
    }
    assert_int_equal(groups, 1);
    assert_int_equal(singles, 1);
    json_decref(m);
    /* In the days of the new devices (no serious finding to crowd it out),
     * the register-the-unknown to-do covers every one of them. */
    m = build(db, OCT1 + 8 * DAY, OCT1 + 14 * DAY, OCT1 + 2 * DAY, OCT1 + 8 * DAY, NULL, LANG_EN);
    const json_t *todo = get(m, "todo"), *unknown = NULL;
    for (size_t i = 0; i < json_array_size(todo); i++)
        if (strcmp(str(json_array_get(todo, i), "kind"), "unknown") == 0)
            unknown = json_array_get(todo, i);
    assert_non_null(unknown);
    const json_t *ids = json_object_get(unknown, "alert_ids");
    assert_int_equal(json_array_size(ids), 5);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(json_integer_value(json_array_get(ids, i)), 20 + (json_int_t)i);
    assert_int_equal(json_integer_value(json_array_get(ids, 4)), 30);
    json_decref(m);
    sqlite3_close(db);
    unlink(dbpath);
}

/* A recorded capture outage on one interface is named in plain words. */
static void test_gap_texts(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    char sql[256];
    snprintf(sql, sizeof(sql),
             "INSERT INTO sensor_gaps (start_ts, end_ts, reason, detail) VALUES"
             " (%llu, %llu, 'capture_error', 'eth2: no such network interface')",
             (unsigned long long)(OCT1 + 20 * DAY), (unsigned long long)(OCT1 + 20 * DAY + DAY / 4));
    exec(db, sql);
    json_t *m = build(db, OCT1, NOV1, SEP1, OCT1, NULL, LANG_EN);
    const json_t *gaps = get(m, "sensor.gaps");
    bool seen = false;
    for (size_t i = 0; i < json_array_size(gaps); i++) {
        const json_t *g = json_array_get(gaps, i);
        if (strcmp(str(g, "reason"), "capture_error") != 0)
            continue;
        seen = true;
        assert_string_equal(str(g, "interface"), "eth2");
        assert_non_null(strstr(str(g, "text"), "Capture stopped on eth2"));
    }
    assert_true(seen);
    json_decref(m);
    sqlite3_close(db);
    unlink(dbpath);
}

/* Status rules on sub-periods of the same store. */
static void test_status(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    /* September: only low Internet scans, watched throughout: green. */
    json_t *m = build(db, SEP1, OCT1, SEP1 - 30 * DAY, SEP1, NULL, LANG_EN);
    assert_string_equal(str(m, "status.level"), "green");
    assert_string_equal(str(m, "period.label"), "September 2026");
    assert_int_equal(json_array_size(json_object_get(m, "todo")), 1); /* outside */
    json_decref(m);
    /* Oct 11-15: a medium cleartext password: amber, this week. */
    m = build(db, OCT1 + 10 * DAY, OCT1 + 15 * DAY, OCT1 + 5 * DAY, OCT1 + 10 * DAY, NULL,
              LANG_EN);
    assert_string_equal(str(m, "status.level"), "amber");
    assert_string_equal(str(m, "todo.0.urgency"), "this_week");
    assert_string_equal(str(m, "period.label"), "11 Oct 2026 – 15 Oct 2026");
    json_decref(m);
    /* Oct 10 alone: nothing seen because nothing was watched: not green. */
    m = build(db, OCT1 + 9 * DAY, OCT1 + 10 * DAY, OCT1 + 8 * DAY, OCT1 + 9 * DAY, NULL, LANG_EN);
    assert_string_equal(str(m, "status.level"), "amber");
    assert_string_equal(str(m, "todo.0.kind"), "nodata");
    json_decref(m);
    /* August, before the sensor ran: amber, and the whole month is a gap. */
    m = build(db, SEP1 - 31 * DAY, SEP1, SEP1 - 62 * DAY, SEP1 - 31 * DAY, NULL, LANG_JA);
    assert_string_equal(str(m, "status.level"), "amber");
    assert_string_equal(str(m, "sensor.gaps.0.reason"), "not_running");
    assert_true(json_real_value(json_object_get(json_object_get(m, "sensor"), "coverage_pct")) ==
                0.0);
    json_decref(m);
    sqlite3_close(db);
    unlink(dbpath);
}

/* A store of schema 3 has no sensor_gaps: the model is built without it. */
static void test_schema3(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    exec(db, "DROP TABLE sensor_gaps; DROP TABLE IF EXISTS state;"
             " DROP TABLE IF EXISTS notifications; PRAGMA user_version = 3");
    json_t *m = build(db, OCT1, NOV1, SEP1, OCT1, NULL, LANG_EN);
    assert_int_equal(json_array_size(json_object_get(json_object_get(m, "sensor"), "gaps")), 1);
    assert_string_equal(str(m, "status.level"), "red");
    json_decref(m);
    sqlite3_close(db);
    unlink(dbpath);
}

/* The text report is made from the model alone and names what matters. */
static void test_text(void **state)
{
    (void)state;
    sqlite3 *db = make_store();
    json_t *m = build(db, OCT1, NOV1, SEP1, OCT1, NULL, LANG_EN);
    struct strbuf sb = STRBUF_INIT;
    report_text_render(m, &sb);
    const char *t = sb_str(&sb);
    assert_non_null(strstr(t, "Monthly network security report — October 2026"));
    assert_non_null(strstr(t, "1. [Today] Disconnect PC03 from the network"));
    assert_non_null(strstr(t, "10 Oct 2026 00:00 - 11 Oct 2026 00:00"));
    assert_null(strstr(t, "(null)"));
    sb_free(&sb);
    json_decref(m);
    sqlite3_close(db);
    unlink(dbpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes), cmocka_unit_test(test_ip_local), cmocka_unit_test(test_month_range),
        cmocka_unit_test(test_month),
        cmocka_unit_test(test_new_device_group),
        cmocka_unit_test(test_gap_texts),  cmocka_unit_test(test_status),
        cmocka_unit_test(test_schema3), cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
