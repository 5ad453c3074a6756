/* test-det-dns.c - dns.tunnel and dns.dga fed hand-made DNS events through a
 * real detection stage, and the name helpers they share (dnsname.h). */
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
#include "detect/dnsname.h"
#include "util/netaddr.h"
#include "util/util.h"

#define S (1000000ull)
#define T0 (1795684500ull * S) /* 2026-11-26 09:15:00 UTC */
/* The flow the queries ride on: 192.168.60.23 -> 192.168.60.1:53/udp. */
static struct flow qflow;

/* A fresh fixture (default configuration) and query flow. */
static void fx_begin(struct fx *f, const struct detector_ops *ops)
{
    fx_init(f);
    fx_open(f, ops);
    memset(&qflow, 0, sizeof(qflow));
    qflow.id = 7;
    qflow.proto = 17;
    assert_int_equal(ip_addr_parse("192.168.60.23", &qflow.src), 0);
    assert_int_equal(ip_addr_parse("192.168.60.1", &qflow.dst), 0);
    qflow.sport = 50000;
    qflow.dport = 53;
}

static void fx_finish(struct fx *f)
{
    f->ops->finish(f->st);
    detect_flush(f->d);
}

/* A query, then its answer (rcode, one answer of type atype with rdata when
 * rdata is not NULL). */
static void fx_dns(struct fx *f, uint64_t ts, const char *name, const char *qtype,
                   const char *rcode, const char *atype, const char *rdata)
{
    json_t *q = json_pack("{s:s, s:s, s:s}", "type", "query", "rrname", name, "rrtype", qtype);
    json_t *x = json_pack("{s:s}", "proto", "dns");
    struct app_event ev = {.type = "dns", .f = &qflow, .ts_us = ts, .dir = 0, .app_proto = "",
                           .body = q, .extra = x};
    qflow.pkt_dir = 0;
    f->ops->app_event(f->st, &ev);
    json_t *a = json_pack("{s:s, s:s, s:s, s:s}", "type", "answer", "rrname", name, "rrtype",
                          qtype, "rcode", rcode);
    if (rdata)
        json_object_set_new(a, "answers",
                            json_pack("[{s:s, s:s, s:s}]", "rrname", name, "rrtype", atype,
                                      "rdata", rdata));
    ev.body = a;
    ev.dir = 1;
    ev.ts_us = ts + 20000;
    qflow.pkt_dir = 1;
    f->ops->app_event(f->st, &ev);
    json_decref(q);
    json_decref(a);
    json_decref(x);
}

static void rand_str(uint64_t *seed, char *out, size_t len, const char *alphabet)
{
    size_t na = strlen(alphabet);
    for (size_t i = 0; i + 1 < len; i++) {
        *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
        out[i] = alphabet[(*seed >> 33) % na];
    }
    out[len - 1] = '\0';
}

/* ---- dnsname ---- */

static void test_registrable(void **state)
{
    (void)state;
    const char *rd = dnsname_registrable("a.b.example.co.jp");
    assert_non_null(rd);
    assert_string_equal(rd, "example.co.jp");
    assert_string_equal(dnsname_registrable("d1234abcd.cloudfront.net"), "cloudfront.net");
    assert_string_equal(dnsname_registrable("db54a845.top"), "db54a845.top");
    assert_null(dnsname_registrable("co.jp"));
    assert_null(dnsname_registrable("localhost"));
    assert_null(dnsname_registrable("x.pirate.sea"));       /* unknown TLD */
    assert_null(dnsname_registrable("dnscat.0123456789abcdef0123")); /* data as TLD */
    char out[64];
    assert_int_equal(dnsname_norm("WWW.Example.COM.", out, sizeof(out)), 15);
    assert_string_equal(out, "www.example.com");
    assert_int_equal(dnsname_norm("", out, sizeof(out)), 0);
}

static void test_local(void **state)
{
    (void)state;
    assert_true(dnsname_is_local("wpad"));
    assert_true(dnsname_is_local("nas.local"));
    assert_true(dnsname_is_local("printer.lan"));
    assert_true(dnsname_is_local("x.home.arpa"));
    assert_true(dnsname_is_local("4.3.2.1.in-addr.arpa"));
    assert_true(dnsname_is_local("_ldap._tcp.dc._msdcs.corp.example.co.jp"));
    assert_true(dnsname_is_local("s1._domainkey.example.com"));
    assert_false(dnsname_is_local("www.example.com"));
    assert_true(dnsname_is_hash_service("spamhaus.org"));
    assert_false(dnsname_is_hash_service("example.com"));
}

static void test_shapes(void **state)
{
    (void)state;
    static const char *const words[] = {"google", "microsoft", "rakuten", "kabushiki",
                                        "kuronekoyamato", "windowsupdate", "cloudfront",
                                        "akamaiedge", "yahoo", "office365"};
    for (size_t i = 0; i < ARRAY_SIZE(words); i++)
        assert_int_equal(dnsname_label_random(words[i], strlen(words[i])), DNSNAME_WORDLIKE);
    assert_int_equal(dnsname_label_random("db54a845", 8), DNSNAME_RANDOM_HEX);
    assert_int_equal(dnsname_label_random("a1b2c3d4x", 9), DNSNAME_RANDOM_MIXED);
    assert_int_equal(dnsname_label_random("xkqzvbwplmrt", 12), DNSNAME_RANDOM_LETTERS);
    assert_int_equal(dnsname_label_random("abc", 3), DNSNAME_WORDLIKE);
    /* Most uniformly random 14-letter labels look generated. */
    uint64_t seed = 1;
    unsigned hit = 0;
    for (unsigned i = 0; i < 200; i++) {
        char l[15];
        rand_str(&seed, l, sizeof(l), "abcdefghijklmnopqrstuvwxyz");
        hit += dnsname_label_random(l, strlen(l)) != DNSNAME_WORDLIKE;
    }
    assert_true(hit >= 150);

    struct dnsname_sub s;
    const char *hex = "546b03f50000000000a6023ed4df184d.6ac5c2628b47714fdee584";
    dnsname_subdomain(hex, strlen(hex), &s);
    assert_true(s.encoded);
    assert_int_equal(s.labels, 2);
    const char *cdn = "img-prod-cms-rt-microsoft-com";
    dnsname_subdomain(cdn, strlen(cdn), &s);
    assert_false(s.encoded);
    dnsname_subdomain("www", 3, &s);
    assert_false(s.encoded);
    assert_true(dnsname_abused_tld("x.top"));
    assert_false(dnsname_abused_tld("x.co.jp"));
}

/* ---- dns.tunnel ---- */

static void test_tunnel_hex(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_dns_tunnel);
    uint64_t seed = 3;
    for (unsigned i = 0; i < 100; i++) {
        char l1[61], l2[41], name[128];
        rand_str(&seed, l1, sizeof(l1), "0123456789abcdef");
        rand_str(&seed, l2, sizeof(l2), "0123456789abcdef");
        snprintf(name, sizeof(name), "%s.%s.kumo-sync.net", l1, l2);
        fx_dns(&f, T0 + i * S, name, "TXT", "NOERROR", "TXT", l2);
    }
    fx_finish(&f);
    assert_int_equal(f.cap.nfirst, 1);
    const struct alert *a = &f.cap.a[0];
    assert_string_equal(a->category, "dns.tunnel");
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(fact_str(a, "domain"), "kumo-sync.net");
    assert_string_equal(fact_str(a, "qtype"), "TXT");
    assert_non_null(strstr(a->key, "dns.tunnel|192.168.60.23|kumo-sync.net|2026-11-26"));
    /* count: every query of the window, first raise and updates */
    unsigned total = 0;
    for (unsigned i = 0; i < f.cap.n; i++)
        total += f.cap.a[i].count;
    assert_int_equal(total, 100);
    fx_close(&f);
}

static void test_tunnel_quiet(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_dns_tunnel);
    /* one name repeated (a flood), block list lookups, CDN names, AV hashes */
    for (unsigned i = 0; i < 500; i++)
        fx_dns(&f, T0 + i * S / 10, "license.example-cad.com", "A", "NOERROR", "A", "203.0.113.9");
    uint64_t seed = 5;
    for (unsigned i = 0; i < 200; i++) {
        char name[160], h[41];
        snprintf(name, sizeof(name), "%u.%u.%u.%u.zen.spamhaus.org", i % 250, i / 7, 3u, 100u);
        fx_dns(&f, T0 + 60 * S + i * S, name, "A", "NXDOMAIN", NULL, NULL);
        snprintf(name, sizeof(name), "%u.%u.%u.%u.bl.mailguard-rbl.jp", i % 250, i / 7, 3u, 100u);
        fx_dns(&f, T0 + 60 * S + i * S, name, "A", "NXDOMAIN", NULL, NULL);
        rand_str(&seed, h, sizeof(h), "0123456789abcdef");
        snprintf(name, sizeof(name), "%s.avqs.mcafee.com", h);
        fx_dns(&f, T0 + 60 * S + i * S, name, "A", "NXDOMAIN", NULL, NULL);
        snprintf(name, sizeof(name), "e%u.dscx.akamaiedge.net", 1000 + i * 37);
        fx_dns(&f, T0 + 60 * S + i * S, name, "A", "NOERROR", "A", "23.45.67.89");
    }
    fx_finish(&f);
    assert_int_equal(f.cap.n, 0);
    fx_close(&f);
}

static void test_tunnel_not_home(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_dns_tunnel);
    assert_int_equal(ip_addr_parse("198.51.100.20", &qflow.src), 0);
    uint64_t seed = 9;
    for (unsigned i = 0; i < 100; i++) {
        char l1[61], name[128];
        rand_str(&seed, l1, sizeof(l1), "0123456789abcdef");
        snprintf(name, sizeof(name), "%s.kumo-sync.net", l1);
        fx_dns(&f, T0 + i * S, name, "NULL", "NOERROR", NULL, NULL);
    }
    fx_finish(&f);
    assert_int_equal(f.cap.n, 0);
    fx_close(&f);
}

/* ---- dns.dga ---- */

static void test_dga_burst(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_dns_dga);
    uint64_t seed = 11;
    for (unsigned i = 0; i < 30; i++) {
        char l[15], name[32];
        rand_str(&seed, l, sizeof(l), "abcdefghijklmnopqrstuvwxyz");
        snprintf(name, sizeof(name), "%s.com", l);
        fx_dns(&f, T0 + i * 2 * S, name, "A", "NXDOMAIN", NULL, NULL);
    }
    fx_finish(&f);
    assert_int_equal(f.cap.nfirst, 1);
    assert_string_equal(f.cap.a[0].category, "dns.dga");
    assert_int_equal(f.cap.a[0].severity, SEV_HIGH);
    assert_null(fact_str(&f.cap.a[0], "variant"));
    fx_close(&f);
}

static void test_dga_quiet(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_dns_dga);
    uint64_t seed = 13;
    for (unsigned i = 0; i < 30; i++) {
        char l[12], name[64];
        rand_str(&seed, l, sizeof(l), "abcdefghijklmnopqrstuvwxyz");
        /* Chrome probes: single labels, with the search domain, under .lan */
        fx_dns(&f, T0 + i * S, l, "A", "NXDOMAIN", NULL, NULL);
        snprintf(name, sizeof(name), "%s.suzuki-kogyo.co.jp", l);
        fx_dns(&f, T0 + i * S, name, "A", "NXDOMAIN", NULL, NULL);
        snprintf(name, sizeof(name), "%s.lan", l);
        fx_dns(&f, T0 + i * S, name, "A", "NXDOMAIN", NULL, NULL);
        /* CDN customer names resolve: never judged */
        snprintf(name, sizeof(name), "d%s.cloudfront.net", l);
        fx_dns(&f, T0 + i * S, name, "A", "NOERROR", "A", "13.32.1.1");
        snprintf(name, sizeof(name), "%u.%u.168.192.in-addr.arpa", i, 60u);
        fx_dns(&f, T0 + i * S, name, "PTR", "NXDOMAIN", NULL, NULL);
    }
    fx_finish(&f);
    assert_int_equal(f.cap.n, 0);
    fx_close(&f);
}

static void test_dga_single(void **state)
{
    (void)state;
    struct fx f;
    fx_begin(&f, &det_dns_dga);
    fx_dns(&f, T0, "db54a845.top", "A", "NOERROR", "A", "185.56.137.138");
    fx_dns(&f, T0 + S, "db54a845.com", "A", "NOERROR", "A", "185.56.137.139"); /* not abused */
    fx_finish(&f);
    assert_int_equal(f.cap.nfirst, 1);
    assert_int_equal(f.cap.a[0].severity, SEV_MEDIUM);
    assert_string_equal(fact_str(&f.cap.a[0], "variant"), "single");
    assert_string_equal(fact_str(&f.cap.a[0], "domain"), "db54a845.top");
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registrable), cmocka_unit_test(test_local),
        cmocka_unit_test(test_shapes),      cmocka_unit_test(test_tunnel_hex),
        cmocka_unit_test(test_tunnel_quiet), cmocka_unit_test(test_tunnel_not_home),
        cmocka_unit_test(test_dga_burst),   cmocka_unit_test(test_dga_quiet),
        cmocka_unit_test(test_dga_single),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
