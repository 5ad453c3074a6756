/* test-det-intel.c - the intel detectors fed hand-made flows and parser
 * events through a real detection stage (de-duplication included), with
 * small lists loaded from memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/decode.h"
#define CAP_MAX 32
#include "det-test-util.h"
#include "detect/detect.h"
#include "intel/intel.h"
#include "util/netaddr.h"
#include "util/util.h"

#define S (1000000ull)
/* 2026-11-26 09:15:00 UTC */
#define T0 (1795684500ull * S)

/* The lists the fixture loads (test_no_lists has none). */
static struct intel_db *lists;

static void add_list(struct intel_db *db, const char *name, const char *text)
{
    char err[256];
    struct intel_load_result r;
    assert_true(intel_db_add_list(db, name, text, strlen(text), NULL, &r, err, sizeof(err)) >= 0);
}

static int fx_setup(void **state)
{
    setup(state);
    struct fx *f = *state;
    fx_open(f, NULL); /* the detector once the stage has the lists */
    lists = intel_db_new();
    add_list(lists, "c2", "# Feodo\nfirst_seen_utc,dst_ip,dst_port,c2_status,last_online,malware\n"
                          "2026-11-01 00:00:00,198.51.100.66,443,online,2026-11-01,Emotet\n");
    add_list(lists, "drop", "192.0.2.0/24 ; SBL1\n2001:db8:bad::/48 ; SBL2\n");
    add_list(lists, "hosts", "0.0.0.0 evil.example\n");
    add_list(lists, "phish", "date,URL,description\n"
                             "2026/11/01 10:00:00,https://login.bank.example.net/jp/,BANK\n");
    add_list(lists, "ja3", "# ja3_md5,Firstseen,Lastseen,Listingreason\n"
                           "b386946a5a44d1ddcc843bc75336dfce,2026-01-01,2026-01-02,Dridex\n");
    detect_set_intel(f->d, lists);
    f->ops = &det_intel;
    f->st = det_intel.create(f->d);
    return 0;
}

static int fx_teardown(void **state)
{
    fx_close(*state);
    intel_db_free(lists);
    return teardown(state);
}

static void mkflow(struct flow *fl, uint64_t id, const char *src, const char *dst, uint16_t dport)
{
    memset(fl, 0, sizeof(*fl));
    fl->id = id;
    assert_int_equal(ip_addr_parse(src, &fl->src), 0);
    assert_int_equal(ip_addr_parse(dst, &fl->dst), 0);
    fl->sport = 49152;
    fl->dport = dport;
    fl->proto = 6;
    fl->first_ts_us = fl->last_ts_us = T0;
}

static void test_ip_outbound_and_data(void **state)
{
    struct fx *f = *state;
    struct flow fl;
    for (uint64_t i = 1; i <= 3; i++) {
        mkflow(&fl, i, "192.168.1.10", "198.51.100.66", 443);
        det_intel.flow_start(f->st, &fl);
        fl.data_bytes[0] = 300;
        fl.data_bytes[1] = 2000;
        det_intel.flow(f->st, &fl);
    }
    detect_flush(f->d);
    /* First raises: one outbound (high), one data (critical); then updates. */
    unsigned out = 0, data = 0;
    for (unsigned i = 0; i < f->cap.n; i++) {
        const struct alert *a = &f->cap.a[i];
        assert_string_equal(a->category, "intel.ip");
        if (a->update)
            continue;
        if (strcmp(fact_str(a, "variant"), "outbound") == 0) {
            out++;
            assert_int_equal(a->severity, SEV_HIGH);
            assert_string_equal(fact_str(a, "list"), "c2");
            assert_string_equal(fact_str(a, "note"), "Emotet");
            assert_string_equal(fact_str(a, "entry"), "198.51.100.66");
        } else {
            assert_string_equal(fact_str(a, "variant"), "data");
            assert_int_equal(a->severity, SEV_CRITICAL);
            data++;
        }
    }
    assert_int_equal(out, 1);
    assert_int_equal(data, 1);
}

static void test_ip_inbound_and_quiet(void **state)
{
    struct fx *f = *state;
    struct flow fl;
    /* A listed network probing two of our hosts: one low alert. */
    mkflow(&fl, 10, "192.0.2.9", "192.168.1.1", 23);
    det_intel.flow_start(f->st, &fl);
    det_intel.flow(f->st, &fl);
    mkflow(&fl, 11, "192.0.2.9", "192.168.1.2", 22);
    det_intel.flow_start(f->st, &fl);
    det_intel.flow(f->st, &fl);
    /* Not listed, internal, IPv6 next door: nothing. */
    mkflow(&fl, 12, "192.168.1.10", "198.51.100.67", 443);
    det_intel.flow_start(f->st, &fl);
    mkflow(&fl, 13, "192.168.1.10", "192.168.1.11", 445);
    det_intel.flow_start(f->st, &fl);
    mkflow(&fl, 14, "fd00::10", "2001:db8:bae::1", 443);
    det_intel.flow_start(f->st, &fl);
    assert_int_equal(f->cap.n, 1);
    assert_int_equal(f->cap.a[0].severity, SEV_LOW);
    assert_string_equal(fact_str(&f->cap.a[0], "variant"), "inbound");
    assert_string_equal(fact_str(&f->cap.a[0], "entry"), "192.0.2.0/24");
    assert_string_equal(fact_str(&f->cap.a[0], "note"), "SBL1");
    /* IPv6 in the listed /48. */
    mkflow(&fl, 15, "fd00::10", "2001:db8:bad:1::1", 443);
    det_intel.flow_start(f->st, &fl);
    assert_int_equal(f->cap.n, 2);
    assert_string_equal(fact_str(&f->cap.a[1], "entry"), "2001:db8:bad::/48");
}

static void app(struct fx *f, const struct flow *fl, const char *type, const char *app_proto,
                json_t *body)
{
    struct app_event ev = {.type = type, .f = fl, .ts_us = T0, .app_proto = app_proto,
                           .body = body};
    det_intel.app_event(f->st, &ev);
    json_decref(body);
}

static void test_names(void **state)
{
    struct fx *f = *state;
    struct flow fl;
    mkflow(&fl, 20, "192.168.1.10", "192.168.1.1", 53);
    fl.proto = 17;
    app(f, &fl, "dns", "dns", json_pack("{s:s,s:s}", "type", "query", "rrname", "A.B.Evil.Example."));
    /* Look-alikes and the answer: nothing more. */
    app(f, &fl, "dns", "dns", json_pack("{s:s,s:s}", "type", "query", "rrname", "notevil.example"));
    app(f, &fl, "dns", "dns", json_pack("{s:s,s:s}", "type", "query", "rrname", "evil.example.com"));
    app(f, &fl, "dns", "dns", json_pack("{s:s,s:s}", "type", "answer", "rrname", "evil.example"));
    assert_int_equal(f->cap.n, 1);
    assert_string_equal(f->cap.a[0].category, "intel.domain");
    assert_string_equal(fact_str(&f->cap.a[0], "entry"), "evil.example");
    assert_string_equal(fact_str(&f->cap.a[0], "indicator"), "A.B.Evil.Example.");
    /* TLS: the host of a listed URL and a listed JA3. */
    mkflow(&fl, 21, "192.168.1.10", "203.0.113.5", 443);
    app(f, &fl, "tls", "tls",
        json_pack("{s:s,s:{s:s}}", "sni", "login.bank.example.net", "ja3", "hash",
                  "B386946A5A44D1DDCC843BC75336DFCE"));
    assert_int_equal(f->cap.n, 3);
    assert_string_equal(f->cap.a[1].category, "intel.url");
    assert_string_equal(fact_str(&f->cap.a[1], "variant"), "host");
    assert_string_equal(fact_str(&f->cap.a[1], "note"), "BANK");
    assert_string_equal(f->cap.a[2].category, "intel.ja3");
    assert_int_equal(f->cap.a[2].severity, SEV_MEDIUM);
    /* HTTP: the listed URL itself (scheme, port, fragment differ). */
    mkflow(&fl, 22, "192.168.1.11", "203.0.113.5", 80);
    app(f, &fl, "http", "http",
        json_pack("{s:s,s:s,s:i}", "hostname", "LOGIN.bank.example.net", "url", "/jp/",
                  "http_port", 80));
    assert_int_equal(f->cap.n, 4);
    assert_string_equal(f->cap.a[3].category, "intel.url");
    assert_string_equal(fact_str(&f->cap.a[3], "variant"), "url");
    /* An outside client asking: not ours. */
    mkflow(&fl, 23, "203.0.113.9", "192.168.1.1", 53);
    app(f, &fl, "dns", "dns", json_pack("{s:s,s:s}", "type", "query", "rrname", "evil.example"));
    assert_int_equal(f->cap.n, 4);
}

static void test_no_lists(void **state)
{
    (void)state;
    struct detect_config cfg;
    struct cap cap = {0};
    detect_config_defaults(&cfg);
    struct detect *d = detect_new(&cfg, NULL, NULL, on_alert, &cap);
    void *st = det_intel.create(d);
    struct flow fl;
    mkflow(&fl, 1, "192.168.1.10", "198.51.100.66", 443);
    det_intel.flow_start(st, &fl);
    det_intel.flow(st, &fl);
    det_intel.tick(st, T0);
    assert_int_equal(cap.n, 0);
    det_intel.destroy(st);
    detect_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ip_outbound_and_data, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_ip_inbound_and_quiet, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_names, fx_setup, fx_teardown),
        cmocka_unit_test(test_no_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
