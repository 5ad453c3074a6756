/* test-service.c - retention pruning, sensor gaps, checkpoints, the
 * disk-low decision, the pid file, per-interface state rows (src/service),
 * and what a SIGHUP reload applies: service settings (service/reload.h)
 * and detector thresholds (detect_reconfigure) without losing state.
 *
 * Each test makes a real store with the SQLite sink (so the schema is the
 * shipped one), fills it with rows of known ages through a plain
 * connection, and checks what pruning leaves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "decode/decode.h"
#include "det-test-util.h"
#include "service/reload.h"
#include "service/retention.h"
#include "service/service.h"
#include "store/sink.h"
#include "util/config.h"
#include "util/netaddr.h"
#include "util/strbuf.h"
#include "util/util.h"

#define DAY_US (86400ll * 1000000)

struct fixture {
    char dir[64];
    char db[128];
    sqlite3 *c;
    int64_t now;
};

static void exec(sqlite3 *c, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(c, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static int64_t count(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void fixture_make(struct fixture *f)
{
    snprintf(f->dir, sizeof(f->dir), "/tmp/mamori-test-service-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/m.db", f->dir);
    struct sink *s = store_sqlite_open(f->db);
    assert_non_null(s);
    const struct run_info ri = {.command = "watch", .source = "eth0"};
    assert_int_equal(s->ops->run_start(s, &ri), 0);
    s->ops->close(s);
    assert_int_equal(sqlite3_open(f->db, &f->c), SQLITE_OK);
    f->now = (int64_t)svc_now_us();
}

static void fixture_free(struct fixture *f)
{
    char p[200];
    sqlite3_close(f->c);
    const char *sfx[] = {"", "-wal", "-shm", ".pid"};
    for (size_t i = 0; i < ARRAY_SIZE(sfx); i++) {
        snprintf(p, sizeof(p), "%s%s", f->db, sfx[i]);
        unlink(p);
    }
    rmdir(f->dir);
}

/* n rows per table at `age_days` old, ids after those already there. */
static void fill(struct fixture *f, int n, int age_days)
{
    char sql[512];
    int64_t ts = f->now - age_days * DAY_US;
    exec(f->c, "BEGIN");
    for (int i = 0; i < n; i++) {
        snprintf(sql, sizeof(sql),
                 "INSERT INTO flows (run_id, flow_id, first_ts, last_ts, proto)"
                 " VALUES (1, %d, %lld, %lld, 6)",
                 i, (long long)(ts + i), (long long)(ts + i));
        exec(f->c, sql);
        snprintf(sql, sizeof(sql),
                 "INSERT INTO dns (run_id, flow_id, ts, rrname) VALUES (1, %d, %lld, 'x.example')",
                 i, (long long)(ts + i));
        exec(f->c, sql);
        snprintf(sql, sizeof(sql),
                 "INSERT INTO alerts (dedup_key, first_ts, last_ts, count, category, severity)"
                 " VALUES ('k%d-%d', %lld, %lld, 1, 'test.cat', 2)",
                 age_days, i, (long long)ts, (long long)ts);
        exec(f->c, sql);
    }
    snprintf(sql, sizeof(sql),
             "INSERT INTO device_ips (device, ip, first_ts, last_ts)"
             " VALUES ('02:00:00:00:00:%02x', '10.0.0.%d', %lld, %lld)",
             age_days % 256, age_days % 256, (long long)ts, (long long)ts);
    exec(f->c, sql);
    snprintf(sql, sizeof(sql),
             "INSERT OR IGNORE INTO devices (mac, first_ts, last_ts)"
             " VALUES ('02:00:00:00:00:%02x', %lld, %lld)",
             age_days % 256, (long long)ts, (long long)ts);
    exec(f->c, sql);
    exec(f->c, "COMMIT");
}

static long prune_all(struct fixture *f, uint32_t batch, unsigned *calls, long *max_batch)
{
    struct retention_cfg cfg = {.retention_days = 90, .alert_retention_days = 400, .batch = batch};
    struct retention_progress pr;
    memset(&pr, 0, sizeof(pr));
    char err[256];
    long total = 0;
    *calls = 0;
    *max_batch = 0;
    while (!pr.done) {
        long n = retention_step(f->c, &cfg, (uint64_t)f->now, &pr, err, sizeof(err));
        assert_true(n >= 0);
        total += n;
        if (n > *max_batch)
            *max_batch = n;
        (*calls)++;
        assert_true(*calls < 10000);
    }
    assert_int_equal((long)pr.deleted, total);
    return total;
}

/* 100-day-old flows, events and histories go; 10-day-old ones stay;
 * 100-day-old alerts stay (400 days), 500-day-old alerts go; devices stay;
 * no batch is larger than asked. */
static void test_retention_batches(void **state)
{
    (void)state;
    struct fixture f;
    fixture_make(&f);
    fill(&f, 1200, 500);
    fill(&f, 1200, 100);
    fill(&f, 700, 10);
    unsigned calls;
    long maxb;
    long total = prune_all(&f, 500, &calls, &maxb);
    assert_true(maxb <= 500);
    assert_true(calls >= 2 * 2400 / 500);
    assert_int_equal(count(f.c, "SELECT count(*) FROM flows"), 700);
    assert_int_equal(count(f.c, "SELECT count(*) FROM dns"), 700);
    assert_int_equal(count(f.c, "SELECT count(*) FROM alerts"), 1200 + 700);
    assert_int_equal(count(f.c, "SELECT count(*) FROM alerts WHERE dedup_key LIKE 'k500-%'"), 0);
    assert_int_equal(count(f.c, "SELECT count(*) FROM device_ips"), 1);
    assert_int_equal(count(f.c, "SELECT count(*) FROM devices"), 3);
    assert_int_equal(count(f.c, "SELECT count(*) FROM runs"), 1);
    assert_int_equal(total, 2400 + 2400 + 1200 + 2);
    /* A second pass finds nothing. */
    total = prune_all(&f, 500, &calls, &maxb);
    assert_int_equal(total, 0);
    assert_int_equal(count(f.c, "SELECT count(*) FROM pragma_integrity_check"
                                " WHERE integrity_check <> 'ok'"),
                     0);
    fixture_free(&f);
}

/* Emergency pruning deletes the oldest flows and events whatever their age
 * and never alerts. */
static void test_emergency_prune(void **state)
{
    (void)state;
    struct fixture f;
    fixture_make(&f);
    fill(&f, 300, 5);
    fill(&f, 300, 1);
    char err[256];
    long n = retention_emergency_step(f.c, 200, err, sizeof(err));
    assert_true(n >= 200);
    assert_int_equal(count(f.c, "SELECT count(*) FROM flows"), 400);
    /* The events older than the oldest flow left went with their flows. */
    assert_int_equal(count(f.c, "SELECT count(*) FROM dns"), 400);
    assert_int_equal(count(f.c, "SELECT count(*) FROM alerts"), 600);
    int64_t oldest = count(f.c, "SELECT min(first_ts) FROM flows");
    assert_true(oldest >= f.now - 5 * DAY_US + 200);
    while ((n = retention_emergency_step(f.c, 200, err, sizeof(err))) > 0)
        ;
    assert_int_equal(n, 0);
    assert_int_equal(count(f.c, "SELECT count(*) FROM flows"), 0);
    assert_int_equal(count(f.c, "SELECT count(*) FROM alerts"), 600);
    assert_true(retention_db_free_bytes(f.c) > 0);
    fixture_free(&f);
}

static void test_disk_low_decision(void **state)
{
    (void)state;
    assert_false(retention_disk_low(-1, 512)); /* unknown: do nothing */
    assert_true(retention_disk_low(100, 512));
    assert_false(retention_disk_low(512, 512));
    assert_false(retention_disk_low(5000, 512));
    assert_false(retention_disk_low(0, 0)); /* 0 turns the check off */
    svc_free_mb_override = 42;
    assert_int_equal(svc_free_mb("/nonexistent/x.db"), 42);
    svc_free_mb_override = -1;
    assert_true(svc_free_mb("/tmp/whatever.db") >= 0);
}

static void test_gaps(void **state)
{
    (void)state;
    struct fixture f;
    fixture_make(&f);
    struct svc_db s;
    char err[256];
    assert_int_equal(svc_open(&s, f.db, err, sizeof(err)), 0);
    s.run_id = svc_latest_run(&s);
    assert_int_equal(s.run_id, 1);
    int64_t g = svc_gap_open(&s, (uint64_t)f.now, "capture_error", "The interface disappeared");
    assert_true(g > 0);
    assert_int_equal(count(f.c, "SELECT count(*) FROM sensor_gaps WHERE end_ts IS NULL"), 1);
    assert_int_equal(svc_gap_close(&s, g, (uint64_t)f.now + 5000000), 0);
    assert_int_equal(count(f.c, "SELECT end_ts - start_ts FROM sensor_gaps"), 5000000);
    /* An end before the start is clamped. */
    g = svc_gap_open(&s, (uint64_t)f.now, "x", NULL);
    svc_gap_close(&s, g, (uint64_t)f.now - 10);
    assert_int_equal(count(f.c, "SELECT end_ts - start_ts FROM sensor_gaps WHERE id = 2"), 0);

    /* Checkpoint, then a second run 10 minutes later: a not_running gap
     * from the first run's last sign of life. */
    assert_int_equal(svc_checkpoint(&s, 10, 1000, 3, 1, 0, (uint64_t)f.now - 60000000,
                                    (uint64_t)f.now - 1000000),
                     0);
    assert_int_equal(count(f.c, "SELECT packets FROM runs WHERE id = 1"), 10);
    assert_int_equal(count(f.c, "SELECT kernel_drops FROM runs WHERE id = 1"), 1);
    exec(f.c, "INSERT INTO runs (command, status) VALUES ('watch', 'running')");
    int64_t later = f.now + 600 * 1000000ll;
    int64_t cp = count(f.c, "SELECT value FROM run_counters WHERE name = 'service.checkpoint_us'");
    assert_true(cp >= f.now);
    assert_int_equal(svc_gap_between_runs(&s, 2, (uint64_t)later, 120), 1);
    assert_int_equal(count(f.c, "SELECT count(*) FROM sensor_gaps WHERE reason = 'not_running'"), 1);
    assert_int_equal(count(f.c, "SELECT start_ts FROM sensor_gaps WHERE reason = 'not_running'"), cp);
    /* A restart within the threshold is not a gap. */
    assert_int_equal(svc_gap_between_runs(&s, 2, (uint64_t)cp + 30000000, 120), 0);
    /* A gap left open by a process that died is closed at its run's end. */
    svc_gap_open(&s, (uint64_t)f.now, "capture_error", "died");
    assert_int_equal(svc_gap_close_stale(&s, 2), 1);
    assert_int_equal(count(f.c, "SELECT count(*) FROM sensor_gaps WHERE end_ts IS NULL"), 0);
    /* State and run marking. */
    char v[64];
    assert_int_equal(svc_state_set(&s, "disk.low", "yes"), 0);
    assert_int_equal(svc_state_get(s.db, "disk.low", v, sizeof(v)), 0);
    assert_string_equal(v, "yes");
    assert_int_equal(svc_state_get(s.db, "nope", v, sizeof(v)), 1);
    assert_int_equal(svc_run_mark(&s, 2, "interrupted"), 0);
    assert_int_equal(count(f.c, "SELECT count(*) FROM runs WHERE status = 'interrupted'"), 1);
    svc_close(&s);
    fixture_free(&f);
}

static void test_pidfile(void **state)
{
    (void)state;
    struct fixture f;
    fixture_make(&f);
    assert_int_equal(svc_pidfile_alive(f.db), 0);
    assert_int_equal(svc_pidfile_write(f.db), 0);
    assert_int_equal(svc_pidfile_alive(f.db), (long)getpid());
    svc_pidfile_remove(f.db);
    assert_int_equal(svc_pidfile_alive(f.db), 0);
    /* A stale pid (no such process) is not alive. */
    char p[200];
    svc_pidfile_path(f.db, p, sizeof(p));
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs("2147483600\n", fp);
    fclose(fp);
    assert_int_equal(svc_pidfile_alive(f.db), 0);
    fixture_free(&f);
}

/* svc_open does not create a missing database. */
static void test_open_missing(void **state)
{
    (void)state;
    struct svc_db s;
    char err[256];
    assert_int_equal(svc_open(&s, "/tmp/mamori-test-service-none/x.db", err, sizeof(err)), -1);
    assert_true(err[0] != '\0');
}

/* Per-interface rows: written in one go, cleared by prefix at start. */
static void test_iface_state(void **state)
{
    (void)state;
    struct fixture f;
    fixture_make(&f);
    struct svc_db s;
    char err[256], v[256];
    assert_int_equal(svc_open(&s, f.db, err, sizeof(err)), 0);
    assert_int_equal(svc_iface_counters(&s, "eth0.100", 123, 4, "capturing"), 0);
    assert_int_equal(svc_iface_counters(&s, "eth1", 5, 0, "lost 2026-11-26T10:00:00Z down"), 0);
    assert_int_equal(svc_state_set(&s, "capture.interfaces", "eth0.100,eth1"), 0);
    assert_int_equal(svc_state_set(&s, "captured", "not ours"), 0);
    assert_int_equal(svc_state_get(s.db, "capture.eth0.100.packets", v, sizeof(v)), 0);
    assert_string_equal(v, "123");
    assert_int_equal(svc_state_get(s.db, "capture.eth0.100.drops", v, sizeof(v)), 0);
    assert_string_equal(v, "4");
    assert_int_equal(svc_state_get(s.db, "capture.eth1.state", v, sizeof(v)), 0);
    assert_string_equal(v, "lost 2026-11-26T10:00:00Z down");
    assert_int_equal(count(f.c, "SELECT count(*) FROM state WHERE key LIKE 'capture.%'"), 7);
    /* "capture." only: "captured" is another key. */
    assert_int_equal(svc_state_clear_prefix(&s, "capture."), 0);
    assert_int_equal(count(f.c, "SELECT count(*) FROM state WHERE key LIKE 'capture.%'"), 0);
    assert_int_equal(svc_state_get(s.db, "captured", v, sizeof(v)), 0);
    svc_close(&s);
    fixture_free(&f);
}

#define S_US (1000000ull)
#define T0 (1795684500ull * S_US) /* 2026-11-26 09:15:00 UTC */

/* A SYN probe to dport that nobody answered, as the flow table ends it. */
static void mk_probe(struct flow *fl, uint64_t id, uint16_t dport, uint64_t ts)
{
    memset(fl, 0, sizeof(*fl));
    fl->id = id;
    fl->proto = IPPROTO_NUM_TCP;
    assert_int_equal(ip_addr_parse("192.168.1.50", &fl->src), 0);
    assert_int_equal(ip_addr_parse("192.168.1.5", &fl->dst), 0);
    fl->sport = 40000;
    fl->dport = dport;
    fl->first_ts_us = ts;
    fl->last_ts_us = ts + 1000;
    fl->pkts[0] = 1;
    fl->tcp_flags[0] = TH_SYN;
    fl->syn_seen[0] = true;
}

/* Probes to ports from..to through the whole stage, then a tick after the
 * scan settled. */
static void probe_ports(struct fx *f, unsigned from, unsigned to, uint64_t t)
{
    struct flow fl;
    for (unsigned p = from; p <= to; p++) {
        mk_probe(&fl, p, (uint16_t)p, t + p * 10000);
        detect_flow(f->d, &fl);
    }
    detect_tick(f->d, t + 120 * S_US);
}

static void set_param(struct detect_config *c, const char *key, const char *v)
{
    char err[128];
    assert_int_equal(detect_config_set_param(c, key, v, err, sizeof(err)), 0);
}

/* SIGHUP lowers scan.min_ports: the probes counted before the reload are
 * kept and judged by the new value (count 101, not 1); net.home and the
 * inventory numbers apply at once; the table cap is restart-only. */
static void test_reconfigure_threshold(void **state)
{
    struct fx *f = *state;
    set_param(&f->cfg, "scan.min_ports", "1000");
    fx_open(f, NULL);
    probe_ports(f, 1, 100, T0);
    assert_int_equal(count_cat(f, "scan.port", NULL), 0);

    struct detect_config *n = xmalloc(sizeof(*n));
    *n = f->cfg;
    set_param(n, "scan.min_ports", "50");
    set_param(n, "scan.max_tracked", "128");
    set_param(n, "bruteforce.min_failures", "3");
    char err[128];
    assert_int_equal(netset_parse(&n->inv.home, "10.0.0.0/8", err, sizeof(err)), 0);
    n->inv.max_devices = 50;
    n->max_open_alerts = 500;
    struct strbuf applied = STRBUF_INIT, restart = STRBUF_INIT;
    assert_int_equal(detect_reconfigure(f->d, n, &applied, &restart), 6);
    assert_string_equal(sb_str(&applied), "net.home, inventory.max_devices, "
                                          "detect.max_open_alerts, scan.min_ports, "
                                          "bruteforce.min_failures");
    assert_string_equal(sb_str(&restart), "scan.max_tracked");
    /* The stage says what is in effect. */
    assert_int_equal(detect_param(f->d, "scan.min_ports"), 50);
    assert_int_equal(detect_param(f->d, "scan.max_tracked"), 16384);
    assert_int_equal(detect_cfg(f->d)->inv.max_devices, 50);
    assert_int_equal(detect_cfg(f->d)->max_open_alerts, 500);
    struct ip_addr lan, ten;
    assert_int_equal(ip_addr_parse("192.168.1.5", &lan), 0);
    assert_int_equal(ip_addr_parse("10.1.2.3", &ten), 0);
    assert_false(detect_is_home(f->d, &lan)); /* the new net.home, at once */
    assert_true(detect_is_home(f->d, &ten));

    /* One more probe: the state from before the reload is judged. */
    probe_ports(f, 101, 101, T0 + 200 * S_US);
    const struct alert *a = NULL;
    assert_int_equal(count_cat(f, "scan.port", &a), 1);
    assert_int_equal(a->count, 101);

    /* The same settings again: nothing changed, nothing reported. */
    sb_reset(&applied);
    sb_reset(&restart);
    struct detect_config *same = xmalloc(sizeof(*same));
    *same = *detect_cfg(f->d);
    assert_int_equal(detect_reconfigure(f->d, same, &applied, &restart), 0);
    assert_int_equal(applied.len + restart.len, 0);
    /* The restart-only value still differs from the file: still listed. */
    assert_int_equal(detect_reconfigure(f->d, n, &applied, &restart), 1);
    assert_int_equal(applied.len, 0);
    sb_free(&applied);
    sb_free(&restart);
    free(same);
    free(n);
    fx_close(f);
}

/* detect.enabled = no pauses the stage (nothing judged, nothing freed),
 * yes resumes it. */
static void test_reconfigure_pause(void **state)
{
    struct fx *f = *state;
    fx_open(f, NULL);
    struct detect_config *n = xmalloc(sizeof(*n));
    *n = f->cfg;
    n->enabled = false;
    struct strbuf applied = STRBUF_INIT, restart = STRBUF_INIT;
    assert_int_equal(detect_reconfigure(f->d, n, &applied, &restart), 1);
    assert_string_equal(sb_str(&applied), "detect.enabled");
    assert_false(detect_enabled(f->d));
    probe_ports(f, 1, 100, T0);
    detect_finish(f->d);
    assert_int_equal(f->cap.n, 0);
    n->enabled = true;
    assert_int_equal(detect_reconfigure(f->d, n, &applied, &restart), 1);
    probe_ports(f, 1, 20, T0 + 300 * S_US);
    assert_int_equal(count_cat(f, "scan.port", NULL), 1);
    sb_free(&applied);
    sb_free(&restart);
    free(n);
    fx_close(f);
}

/* detect_reconfigure puts restart-only values back into a config that may
 * not have had them: there must always be a free slot. */
static void test_param_slots(void **state)
{
    (void)state;
    assert_true(detect_param_count() > 50);
    assert_true(detect_param_count() < DETECT_MAX_PARAM_SETS);
}

/* Service settings: which apply, which wait for a restart. */
static void test_reload_settings(void **state)
{
    (void)state;
    struct mamori_config *cur = xmalloc(sizeof(*cur)), *n = xmalloc(sizeof(*n));
    config_defaults(cur);
    config_defaults(n);
    char err[256];
    assert_int_equal(config_set(n, "store.retention_days", "30", err, sizeof(err)), 0);
    assert_int_equal(config_set(n, "intel.dir", "/srv/intel", err, sizeof(err)), 0);
    assert_int_equal(config_set(n, "flow.max_flows", "5000", err, sizeof(err)), 0);
    assert_int_equal(config_set(n, "capture.interface", "eth0, eth1", err, sizeof(err)), 0);
    assert_int_equal(config_set(n, "flow.udp.new_timeout", "7", err, sizeof(err)), 0);
    assert_int_equal(config_set(n, "mail.own_domains", "example.co.jp", err, sizeof(err)), 0);
    struct strbuf applied = STRBUF_INIT, restart = STRBUF_INIT;
    assert_int_equal(reload_settings(cur, n, &applied, &restart), 5);
    assert_string_equal(sb_str(&applied), "store.retention_days, intel.dir");
    assert_string_equal(sb_str(&restart),
                        "capture.interface, flow.max_flows, flow.udp.new_timeout");
    assert_int_equal(cur->retention_days, 30);
    assert_string_equal(cur->intel_dir, "/srv/intel");
    assert_true(cur->flow.max_flows != 5000); /* restart-only: the old value stays */
    /* Each restart-only name is a real setting (a renamed key fails). */
    for (size_t i = 0; reload_restart_key(i); i++) {
        err[0] = '\0';
        config_set(cur, reload_restart_key(i), "", err, sizeof(err));
        if (strstr(err, "unknown setting"))
            fail_msg("%s: %s", reload_restart_key(i), err);
    }
    sb_free(&applied);
    sb_free(&restart);
    free(cur);
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retention_batches),
        cmocka_unit_test(test_emergency_prune),
        cmocka_unit_test(test_disk_low_decision),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_pidfile),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_iface_state),
        cmocka_unit_test_setup_teardown(test_reconfigure_threshold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reconfigure_pause, setup, teardown),
        cmocka_unit_test(test_param_slots),
        cmocka_unit_test(test_reload_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
