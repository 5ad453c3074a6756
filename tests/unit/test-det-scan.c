/* test-det-scan.c - scan.port, scan.host, scan.sweep and dos, fed hand-made
 * flows, ARP packets and app events through a real detection stage (its
 * de-duplication included), alerts captured at the stage's callback. */
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
#include "detect/detect.h"
#include "util/netaddr.h"
#include "util/util.h"

#define S (1000000ull)
/* 2026-11-26 09:15:00 UTC */
#define T0 (1795684500ull * S)

static uint64_t next_id = 1;

/* A TCP flow as the table reports it at its end. */
static void mk_tcp(struct flow *fl, const char *src, const char *dst, uint16_t dport, uint64_t ts,
                   uint8_t flags0, bool synack, uint64_t data)
{
    memset(fl, 0, sizeof(*fl));
    fl->id = next_id++;
    fl->proto = IPPROTO_NUM_TCP;
    assert_int_equal(ip_addr_parse(src, &fl->src), 0);
    assert_int_equal(ip_addr_parse(dst, &fl->dst), 0);
    fl->sport = 40000;
    fl->dport = dport;
    fl->first_ts_us = ts;
    fl->last_ts_us = ts + 1000;
    fl->pkts[0] = 1;
    fl->pkts[1] = synack || data ? 1 : 0;
    fl->tcp_flags[0] = flags0;
    fl->syn_seen[0] = (flags0 & TH_SYN) != 0;
    fl->synack_seen = synack;
    fl->data_bytes[0] = fl->data_bytes[1] = data;
}

static void test_vertical_internal(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_scan);
    struct flow fl;
    for (unsigned p = 1; p <= 100; p++) {
        mk_tcp(&fl, "192.168.1.50", "192.168.1.5", (uint16_t)p, T0 + p * 10000, TH_SYN, p == 80,
               0);
        f->ops->flow(f->st, &fl);
    }
    /* Nothing yet: the first alert waits for the scan to pause. */
    assert_int_equal(count_cat(f, "scan.port", NULL), 0);
    f->ops->tick(f->st, T0 + 120 * S);
    const struct alert *a = NULL;
    assert_int_equal(count_cat(f, "scan.port", &a), 1);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(fact_str(a, "variant"), "internal");
    assert_string_equal(fact_str(a, "target"), "192.168.1.5");
    assert_string_equal(fact_str(a, "method"), "SYN");
    assert_int_equal(fact_int(a, "open"), 1);
    assert_int_equal(a->count, 100);
    assert_true(fact_int(a, "nports") >= 80);
    assert_non_null(strstr(a->key, "scan.port|192.168.1.50|2026-11-26"));
    assert_true(a->nflows > 0);
    fx_close(f);
}

static void test_inbound_low_and_quiet_office(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_scan);
    struct flow fl;
    /* A browser: hundreds of sessions with data, a few failures. */
    for (unsigned i = 0; i < 300; i++) {
        char dst[32];
        snprintf(dst, sizeof(dst), "203.0.113.%u", i % 250 + 1);
        mk_tcp(&fl, "192.168.1.20", dst, 443, T0 + i * S, TH_SYN | TH_ACK | TH_FIN, true,
               i % 50 == 0 ? 0 : 5000);
        f->ops->flow(f->st, &fl);
    }
    /* SMTP fan-out is spam.burst's business. */
    for (unsigned i = 0; i < 80; i++) {
        char dst[32];
        snprintf(dst, sizeof(dst), "198.51.100.%u", i + 1);
        mk_tcp(&fl, "192.168.1.21", dst, 25, T0 + i * S, TH_SYN, false, 0);
        f->ops->flow(f->st, &fl);
    }
    f->ops->finish(f->st);
    assert_int_equal(f->cap.n, 0);
    /* An Internet scanner: low. */
    for (unsigned p = 1; p <= 30; p++) {
        mk_tcp(&fl, "198.51.100.7", "192.168.1.1", (uint16_t)(p * 11), T0 + 500 * S + p * S,
               TH_SYN, false, 0);
        f->ops->flow(f->st, &fl);
    }
    f->ops->finish(f->st);
    const struct alert *a = NULL;
    assert_int_equal(count_cat(f, "scan.port", &a), 1);
    assert_int_equal(a->severity, SEV_LOW);
    assert_string_equal(fact_str(a, "variant"), "inbound");
    fx_close(f);
}

static void test_stealth_and_horizontal(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_scan);
    struct flow fl;
    /* Three Xmas probes (scan.stealth_min): one odd packet is not a scan. */
    mk_tcp(&fl, "192.168.1.178", "192.168.1.2", 3392, T0, TH_FIN | TH_PSH | TH_URG, false, 0);
    f->ops->flow(f->st, &fl);
    mk_tcp(&fl, "192.168.1.178", "192.168.1.2", 3393, T0, TH_FIN | TH_PSH | TH_URG, false, 0);
    f->ops->flow(f->st, &fl);
    mk_tcp(&fl, "192.168.1.178", "192.168.1.2", 3394, T0, TH_FIN | TH_PSH | TH_URG, false, 0);
    f->ops->flow(f->st, &fl);
    /* 12 PCs refused on 3389. */
    for (unsigned i = 0; i < 12; i++) {
        char dst[32];
        snprintf(dst, sizeof(dst), "192.168.1.%u", 100 + i);
        mk_tcp(&fl, "192.168.1.66", dst, 3389, T0 + i * S, TH_SYN, false, 0);
        f->ops->flow(f->st, &fl);
    }
    f->ops->finish(f->st);
    const struct alert *a = NULL;
    assert_int_equal(count_cat(f, "scan.port", &a), 1);
    assert_string_equal(fact_str(a, "method"), "Xmas");
    assert_int_equal(a->severity, SEV_HIGH);
    assert_int_equal(count_cat(f, "scan.host", &a), 1);
    assert_int_equal(fact_int(a, "port"), 3389);
    assert_string_equal(fact_str(a, "variant"), "internal");
    fx_close(f);
}

static void arp_req(struct packet *p, const char *spa, uint8_t last, uint64_t ts)
{
    memset(p, 0, sizeof(*p));
    p->ts_us = ts;
    p->has_eth = true;
    memset(p->dst_mac, 0xff, 6);
    p->has_arp = true;
    p->arp.op = 1;
    static const uint8_t mac[6] = {0x10, 0xc5, 0x95, 1, 2, 3};
    memcpy(p->arp.sha, mac, 6);
    struct ip_addr a;
    assert_int_equal(ip_addr_parse(spa, &a), 0);
    memcpy(p->arp.spa, &a.b[12], 4);
    p->arp.tpa[0] = 192;
    p->arp.tpa[1] = 168;
    p->arp.tpa[2] = 1;
    p->arp.tpa[3] = last;
}

static void test_sweep(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_sweep);
    struct packet p;
    /* A PC asking for its gateway and a few neighbours, repeatedly. */
    for (unsigned i = 0; i < 200; i++) {
        arp_req(&p, "192.168.1.20", (uint8_t)(1 + i % 6), T0 + i * S);
        f->ops->packet(f->st, &p);
    }
    f->ops->tick(f->st, T0 + 400 * S);
    assert_int_equal(f->cap.n, 0);
    for (unsigned i = 1; i < 255; i++) {
        arp_req(&p, "192.168.1.71", (uint8_t)i, T0 + 500 * S + i * 10000);
        f->ops->packet(f->st, &p);
    }
    f->ops->tick(f->st, T0 + 600 * S);
    const struct alert *a = NULL;
    assert_int_equal(count_cat(f, "scan.sweep", &a), 1);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(fact_str(a, "variant"), "arp");
    assert_true(fact_int(a, "nhosts") >= 200);
    fx_close(f);
}

static void test_dos_request(void **state)
{
    struct fx *f = *state;
    fx_open(f, &det_dos);
    struct flow fl;
    mk_tcp(&fl, "172.16.16.4", "172.16.4.40", 53, T0, 0, false, 0);
    fl.proto = IPPROTO_NUM_UDP;
    json_t *body = json_pack("{s:s}", "type", "query");
    struct app_event ev = {.type = "dns", .f = &fl, .dir = 0, .body = body};
    /* 50 queries a second for three minutes. */
    for (unsigned i = 0; i < 9000; i++) {
        ev.ts_us = T0 + i * 20000;
        f->ops->app_event(f->st, &ev);
    }
    f->ops->finish(f->st);
    const struct alert *a = NULL;
    assert_int_equal(count_cat(f, "dos", &a), 1);
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(fact_str(a, "variant"), "request");
    assert_string_equal(fact_str(a, "what"), "DNS queries");
    assert_int_equal(fact_int(a, "rate"), 3000);
    fx_close(f);
    /* A busy PC: 5 queries a second stays quiet. */
    fx_open(f, &det_dos);
    for (unsigned i = 0; i < 2000; i++) {
        ev.ts_us = T0 + i * 200000;
        f->ops->app_event(f->st, &ev);
    }
    f->ops->finish(f->st);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
    json_decref(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vertical_internal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inbound_low_and_quiet_office, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stealth_and_horizontal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dos_request, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
