/* test-det-behaviour.c - beacon and exfil.upload, fed hand-made flows and
 * application events through a real detection stage (its de-duplication
 * included), alerts captured at the stage's callback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/decode.h"
#include "det-test-util.h"
#include "detect/behaviour.h"
#include "detect/detect.h"
#include "detect/explain.h"
#include "util/netaddr.h"
#include "util/util.h"

#define S (1000000ull)
#define MB (1000000ull)
#define HOUR (3600ull * S)
#define DAY (86400ull * S)
/* 2026-11-26 00:00:00 UTC = 09:00 JST */
#define T0 (1795651200ull * S)

/* Flow ids and the jitter PRNG restart with every fixture. */
static uint64_t next_id;
static uint64_t rng;
/* The category under test: the fixture drives the whole stage (it names
 * the destinations for every detector) and keeps that category's first
 * raises and escalations. */
static const char *want_cat;

static void on_want(void *arg, const struct alert *a)
{
    if ((a->update && !a->escalated) || strcmp(a->category, want_cat) != 0)
        return;
    on_alert(arg, a);
}

static void fx_begin(struct fx *f, const struct detector_ops *ops)
{
    want_cat = ops->name;
    fx_open_cb(f, NULL, NULL, on_want);
    next_id = 1;
    rng = 12345;
}

static void fx_set(struct fx *f, const char *key, const char *value)
{
    char err[128];
    assert_int_equal(detect_config_set_param(&f->cfg, key, value, err, sizeof(err)), 0);
}

/* Uniform in [lo, hi] (xorshift). */
static uint64_t fx_rand(uint64_t lo, uint64_t hi)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return lo + rng % (hi - lo + 1);
}

static void mkflow(struct flow *f, const char *src, const char *dst, uint8_t proto, uint16_t dport,
                   uint64_t start, uint64_t dur, uint64_t out, uint64_t in)
{
    memset(f, 0, sizeof(*f));
    f->id = next_id++;
    assert_int_equal(ip_addr_parse(src, &f->src), 0);
    assert_int_equal(ip_addr_parse(dst, &f->dst), 0);
    f->proto = proto;
    f->sport = (uint16_t)(49152 + f->id % 10000);
    f->dport = dport;
    f->first_ts_us = start;
    f->last_ts_us = start + dur;
    f->syn_seen[0] = proto == 6;
    f->data_bytes[0] = out;
    f->data_bytes[1] = in;
}

/* One connection, with a TLS event naming it when sni is set. */
static void conn(struct fx *fx, const char *src, const char *dst, uint8_t proto, uint16_t dport,
                 const char *sni, uint64_t start, uint64_t dur, uint64_t out, uint64_t in)
{
    struct flow f;
    mkflow(&f, src, dst, proto, dport, start, dur, out, in);
    if (sni) {
        struct app_event ev;
        memset(&ev, 0, sizeof(ev));
        ev.type = "tls";
        ev.f = &f;
        ev.ts_us = start + 1000;
        ev.app_proto = "tls";
        json_t *body = json_pack("{s:s}", "sni", sni);
        ev.body = body;
        detect_app_event(fx->d, &ev);
        json_decref(body);
    }
    detect_flow(fx->d, &f);
}

/* ------------------------------------------------------------ beacon */

/* n check-ins every period +-jitter_pct%, skipping miss_pct% of them. */
static void beacon_series(struct fx *fx, const char *src, const char *dst, uint16_t port,
                          const char *sni, uint64_t start, unsigned n, uint64_t period,
                          unsigned jitter_pct, unsigned miss_pct)
{
    for (unsigned i = 0; i < n; i++) {
        if (miss_pct && fx_rand(0, 99) < miss_pct)
            continue;
        uint64_t j = period * jitter_pct / 100;
        uint64_t t = start + i * period + fx_rand(0, 2 * j) - j;
        conn(fx, src, dst, 6, port, sni, t, 300000, fx_rand(500, 600), 300);
    }
}

static void test_beacon_jitter(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_beacon);
    beacon_series(f, "192.168.1.23", "203.0.113.45", 443, "api.c2-example.com", T0 + 3600 * S, 180,
                  60 * S, 20, 0);
    detect_finish(f->d);
    /* medium first, then the same alert escalated to high once it has gone
     * on for 2 hours */
    assert_int_equal(f->cap.n, 2);
    const struct alert *a = &f->cap.a[0];
    assert_string_equal(a->category, "beacon");
    assert_int_equal(a->severity, SEV_MEDIUM);
    assert_string_equal(fact_str(a, "dest"), "api.c2-example.com");
    assert_string_equal(fact_str(a, "name_source"), "sni");
    assert_true(fact_int(a, "score") >= 75);
    assert_true(fact_int(a, "conns") >= 20);
    assert_true(a->nflows > 0);
    check_texts(a);
    assert_true(f->cap.a[1].update && f->cap.a[1].escalated);
    assert_string_equal(f->cap.a[1].key, a->key);
    assert_int_equal(f->cap.a[1].severity, SEV_HIGH);
    assert_true(json_is_true(json_object_get(f->cap.a[1].facts, "escalated")));
    fx_close(f);
}

static void test_beacon_missing_beats_bare_ip(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_beacon);
    beacon_series(f, "192.168.1.23", "198.51.100.23", 8080, NULL, T0, 60, 300 * S, 10, 30);
    detect_finish(f->d);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(fact_str(a, "variant"), "ip");
    assert_string_equal(fact_str(a, "dest"), "198.51.100.23");
    assert_int_equal(fact_int(a, "interval_min"), 5);
    check_texts(a);
    fx_close(f);
}

/* Connections at random (exponential-like) times: no rhythm, no alert,
 * even with identical sizes. */
static void test_beacon_random_quiet(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_beacon);
    uint64_t t = T0;
    for (unsigned i = 0; i < 200; i++) {
        /* a heavy-tailed gap: mostly short, sometimes long */
        uint64_t r = fx_rand(1, 1000);
        uint64_t gap = r < 500 ? fx_rand(1, 30) : r < 900 ? fx_rand(30, 300) : fx_rand(300, 3000);
        t += gap * S;
        conn(f, "192.168.1.23", "203.0.113.9", 6, 443, "news.example.jp", t, S, 520, 4000);
    }
    detect_finish(f->d);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
}

/* The same rhythm from three PCs to one destination is a service. */
static void test_beacon_service_quiet(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_beacon);
    static const char *const pcs[3] = {"192.168.1.21", "192.168.1.22", "192.168.1.23"};
    for (unsigned p = 0; p < 3; p++)
        beacon_series(f, pcs[p], "52.112.9.14", 443, "relay.chat-example.com", T0 + p * S, 60,
                      60 * S, 5, 0);
    detect_finish(f->d);
    /* The first two pairs may score before the third PC shows up; after it,
     * none does. Ordering: p=0 then 1 then 2 fully, so 0 and 1 raise. */
    for (unsigned i = 0; i < f->cap.n; i++) {
        char buf[48];
        ip_addr_fmt(&f->cap.a[i].src, buf, sizeof(buf));
        assert_string_not_equal(buf, "192.168.1.23");
    }
    fx_close(f);

    /* Interleaved in time, as in an office: nothing at all. */
    fx_begin(f, &det_beacon);
    for (unsigned i = 0; i < 60; i++)
        for (unsigned p = 0; p < 3; p++)
            conn(f, pcs[p], "52.112.9.14", 6, 443, "relay.chat-example.com",
                 T0 + i * 60 * S + p * S, S, 400, 300);
    detect_finish(f->d);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
}

/* Allow-listed names, NTP, POP3 and LAN destinations stay quiet. */
static void test_beacon_ignored(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_beacon);
    beacon_series(f, "192.168.1.23", "20.42.65.92", 443, "v10.events.data.microsoft.com", T0, 60,
                  120 * S, 5, 0);
    for (unsigned i = 0; i < 40; i++) {
        conn(f, "192.168.1.23", "133.243.238.163", 17, 123, NULL, T0 + i * 1024 * S, 50000, 48,
             48);
        conn(f, "192.168.1.23", "210.131.2.40", 6, 110, NULL, T0 + i * 300 * S, S, 60, 40);
        conn(f, "192.168.1.23", "192.168.1.5", 6, 445, NULL, T0 + i * 60 * S, S, 600, 400);
    }
    detect_finish(f->d);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
}

/* The tunables are read: a higher beat count keeps a short beacon quiet. */
static void test_beacon_tunable(void **state)
{
    struct fx *f = *state;
    fx_set(f, "beacon.min_conns", "100");
    fx_begin(f, &det_beacon);
    beacon_series(f, "192.168.1.23", "203.0.113.45", 443, "api.c2-example.com", T0, 60, 60 * S, 5,
                  0);
    detect_finish(f->d);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
}

/* A DNS answer names the address when the flow itself has no name. */
static void test_dest_names_dns(void **state)
{
    (void)state;
    struct dest_names *n = dest_names_new(16, 16);
    struct flow f;
    memset(&f, 0, sizeof(f));
    f.id = 7;
    assert_int_equal(ip_addr_parse("203.0.113.45", &f.dst), 0);
    struct app_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = "dns";
    ev.app_proto = "dns";
    ev.f = &f;
    ev.ts_us = T0;
    json_t *body = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "answer", "rrname",
                             "API.Example.COM.", "answers", "rrtype", "A", "rdata",
                             "203.0.113.45");
    ev.body = body;
    dest_names_app_event(n, &ev);
    json_decref(body);
    char name[DEST_NAME_LEN];
    unsigned flags;
    dest_names_flow(n, &f, name, sizeof(name), &flags);
    assert_string_equal(name, "api.example.com");
    assert_true(flags & DEST_NAME_DNS);

    /* HTTP Host that is an address with a port is no name; one with a name is. */
    ev.type = "http";
    body = json_pack("{s:s}", "hostname", "198.51.100.23:8080");
    ev.body = body;
    f.id = 8;
    assert_int_equal(ip_addr_parse("198.51.100.23", &f.dst), 0);
    dest_names_app_event(n, &ev);
    json_decref(body);
    dest_names_flow(n, &f, name, sizeof(name), &flags);
    assert_string_equal(name, "");
    body = json_pack("{s:s}", "hostname", "Files.Example.NET:8443");
    ev.body = body;
    dest_names_app_event(n, &ev);
    json_decref(body);
    dest_names_flow(n, &f, name, sizeof(name), &flags);
    assert_string_equal(name, "files.example.net");
    assert_true(flags & DEST_NAME_HTTP);
    dest_names_free(n);

    const char *const list[] = {"microsoft.com", NULL};
    assert_true(behaviour_name_in("microsoft.com", list));
    assert_true(behaviour_name_in("v10.events.data.microsoft.com", list));
    assert_false(behaviour_name_in("evilmicrosoft.com", list));
}

/* ------------------------------------------------------------- exfil */

/* A day of ordinary use by host: a few MB up to a few sites. */
static void exfil_ordinary_day(struct fx *fx, const char *host, uint64_t day0)
{
    for (unsigned i = 0; i < 20; i++)
        conn(fx, host, i & 1 ? "183.79.219.252" : "23.53.41.104", 6, 443,
             i & 1 ? "www.yahoo.co.jp" : "www.jma.go.jp", day0 + i * 600 * S, 5 * S, 200000,
             3000000);
}

static void test_exfil_new_destination(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_exfil);
    exfil_ordinary_day(f, "192.168.1.23", T0);
    exfil_ordinary_day(f, "192.168.1.23", T0 + DAY);
    /* 01:30 JST two days on: 300 MB up, 2 MB down, to a new name */
    conn(f, "192.168.1.23", "203.0.113.50", 6, 443, "u7.drop-example.net",
         T0 + DAY + 16 * HOUR + 30 * 60 * S, 20 * 60 * S, 300 * MB, 2 * MB);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    assert_string_equal(a->category, "exfil.upload");
    assert_int_equal(a->severity, SEV_HIGH); /* at night */
    assert_string_equal(fact_str(a, "dest"), "u7.drop-example.net");
    assert_int_equal(fact_int(a, "mb_out"), 300);
    assert_int_equal(fact_int(a, "ratio"), 150);
    assert_int_equal(fact_int(a, "hours"), 1);
    assert_int_equal(fact_int(a, "baseline_mb"), 4);
    assert_string_equal(fact_str(a, "local_time"), "01:50");
    assert_true(json_is_true(json_object_get(a->facts, "night")));
    check_texts(a);
    /* once a day per destination */
    conn(f, "192.168.1.23", "203.0.113.50", 6, 443, "u7.drop-example.net",
         T0 + DAY + 17 * HOUR, 20 * 60 * S, 300 * MB, 2 * MB);
    assert_int_equal(f->cap.n, 1);
    fx_close(f);
}

/* The out/in ratio: a symmetric transfer (a video call) and a download are
 * not uploads; 10:1 is. Daytime, under 1 GB: medium. */
static void test_exfil_ratio(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_exfil);
    exfil_ordinary_day(f, "192.168.1.23", T0);
    uint64_t t = T0 + DAY + HOUR; /* 10:00 JST */
    conn(f, "192.168.1.23", "203.0.113.60", 17, 3478, NULL, t, 50 * 60 * S, 650 * MB, 640 * MB);
    conn(f, "192.168.1.23", "203.0.113.61", 6, 443, "dl.example.com", t, 600 * S, 10 * MB,
         900 * MB);
    /* 9.9:1 */
    conn(f, "192.168.1.23", "203.0.113.62", 6, 443, "a.example.org", t, 600 * S, 198 * MB,
         20 * MB);
    assert_int_equal(f->cap.n, 0);
    /* 10:1 */
    conn(f, "192.168.1.23", "203.0.113.63", 6, 443, "b.example.org", t, 600 * S, 200 * MB,
         20 * MB);
    assert_int_equal(f->cap.n, 1);
    assert_int_equal(f->cap.a[0].severity, SEV_MEDIUM);
    assert_int_equal(fact_int(&f->cap.a[0], "ratio"), 10);
    /* no reply at all: the ratio is the bytes sent */
    conn(f, "192.168.1.23", "198.51.100.64", 17, 9000, NULL, t, 600 * S, 150 * MB, 0);
    assert_int_equal(f->cap.n, 2);
    assert_string_equal(fact_str(&f->cap.a[1], "dest"), "198.51.100.0/24");
    fx_close(f);
}

/* Learning, then history: a nightly 2 GB backup to the same cloud. */
static void test_exfil_backup_quiet(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_exfil);
    for (unsigned d = 0; d < 4; d++) {
        exfil_ordinary_day(f, "192.168.1.10", T0 + d * DAY);
        conn(f, "192.168.1.10", "203.0.113.120", 6, 443, "backup.example-cloud.jp",
             T0 + d * DAY + 17 * HOUR, HOUR, 2000 * MB, 2 * MB);
    }
    assert_int_equal(f->cap.n, 0);
    fx_close(f);

    /* Without learning the first night is news. */
    fx_set(f, "exfil.learning_s", "0");
    fx_begin(f, &det_exfil);
    conn(f, "192.168.1.10", "203.0.113.120", 6, 443, "backup.example-cloud.jp", T0 + 17 * HOUR,
         HOUR, 2000 * MB, 2 * MB);
    assert_int_equal(f->cap.n, 1);
    fx_close(f);
}

/* A host that uploads gigabytes every day is not news at 150 MB. */
static void test_exfil_baseline(void **state)
{
    struct fx *f = *state;
    fx_begin(f, &det_exfil);
    for (unsigned d = 0; d < 3; d++)
        for (unsigned i = 0; i < 10; i++)
            conn(f, "192.168.1.30", "203.0.113.130", 6, 443, "video.example-studio.jp",
                 T0 + d * DAY + i * HOUR, 600 * S, 500 * MB, 5 * MB);
    conn(f, "192.168.1.30", "203.0.113.140", 6, 443, "new.example.net", T0 + 3 * DAY + HOUR,
         600 * S, 150 * MB, MB);
    assert_int_equal(f->cap.n, 0);
    /* many smaller uploads in a day add up */
    for (unsigned i = 0; i < 12; i++)
        conn(f, "192.168.1.31", "203.0.113.150", 6, 443, "x.example.net", T0 + i * HOUR, 60 * S,
             MB, MB);
    for (unsigned i = 0; i < 6; i++)
        conn(f, "192.168.1.31", "203.0.113.151", 6, 443, "up.gigafile.nu", T0 + DAY + i * HOUR,
             600 * S, 90 * MB, MB / 2);
    assert_int_equal(f->cap.n, 1);
    assert_int_equal(fact_int(&f->cap.a[0], "hours"), 24);
    assert_string_equal(fact_str(&f->cap.a[0], "variant"), "sharing");
    assert_int_equal(f->cap.a[0].severity, SEV_HIGH);
    check_texts(&f->cap.a[0]);
    fx_close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_beacon_jitter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_beacon_missing_beats_bare_ip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_beacon_random_quiet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_beacon_service_quiet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_beacon_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_beacon_tunable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dest_names_dns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exfil_new_destination, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exfil_ratio, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exfil_backup_quiet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exfil_baseline, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
