/* test-scope.c - `mamori scope`'s analysis on stores this test writes with
 * SQL: indicator parsing, a fixed chain, and property checks on random
 * graphs (hop limit never exceeded, no edge outside the window, every edge
 * from an exposed or earlier-reached device, new_path exactly "no flow
 * between the pair before", outside destinations really new). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scope/scope.h"
#include "store/sink.h"
#include "store/store-inv.h"
#include "util/i18n.h"
#include "util/util.h"

#define SEC 1000000ull
#define T0 1793577600000000ull

static char dbpath[64];

static sqlite3 *fresh_store(void)
{
    snprintf(dbpath, sizeof(dbpath), "/tmp/test-scope-%d.db", (int)getpid());
    unlink(dbpath);
    struct sink *s = store_sqlite_open(dbpath);
    assert_non_null(s);
    s->ops->close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO runs (id, command) VALUES (1, 'read');"
                                      "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static void add_flow(sqlite3 *db, int64_t id, const char *src, const char *dst, int port,
                     uint64_t ts, uint64_t bytes)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
        "INSERT INTO flows (run_id, flow_id, first_ts, last_ts, ip_version, proto, src_ip,"
        " src_port, dst_ip, dst_port, bytes_toserver, bytes_toclient, pkts_toserver,"
        " pkts_toclient) VALUES (1, ?1, ?2, ?2 + 1000000, 4, 6, ?3, 50000, ?4, ?5, ?6, 100, 3, 3)",
        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)ts);
    sqlite3_bind_text(st, 3, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, dst, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, port);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)bytes);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void add_device(sqlite3 *db, const char *mac, const char *name, const char *ip)
{
    char sql[4096];
    snprintf(sql, sizeof(sql),
             "INSERT INTO devices (mac, hostname, first_ts, last_ts) VALUES ('%s', '%s', %llu, %llu);"
             "INSERT INTO device_ips VALUES ('%s', '%s', %llu, %llu);"
             "INSERT INTO device_names VALUES ('%s', '%s', 'dhcp', %llu, %llu);",
             mac, name, T0, T0 + 86400 * SEC, mac, ip, T0, T0 + 86400 * SEC, mac, name, T0,
             T0 + 86400 * SEC);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static sqlite3 *reopen(sqlite3 *db)
{
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sqlite3 *ro = store_open_readonly(dbpath);
    assert_non_null(ro);
    return ro;
}

static void query_init(struct scope_query *q, const char *ioc)
{
    char err[200];
    memset(q, 0, sizeof(*q));
    assert_int_equal(scope_ioc_parse(ioc, &q->ioc, err, sizeof(err)), 0);
    assert_int_equal(netset_parse(&q->home, NETSET_DEFAULT_HOME, err, sizeof(err)), 0);
    q->hops = 2;
}

/* ------------------------------------------------------------ parsing */

static void test_ioc_parse(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int kind; /* -1: rejected */
        const char *text;
    } cases[] = {
        {"203.0.113.5", SCOPE_IOC_IP, "203.0.113.5"},
        {" 203.0.113.5 ", SCOPE_IOC_IP, "203.0.113.5"},
        {"2001:db8::1", SCOPE_IOC_IP, "2001:db8::1"},
        {"203.0.113.7/24", SCOPE_IOC_CIDR, "203.0.113.0/24"},
        {"2001:db8::/48", SCOPE_IOC_CIDR, "2001:db8::/48"},
        {"Evil.Example.", SCOPE_IOC_DOMAIN, "evil.example"},
        {"domain:pc01", SCOPE_IOC_DOMAIN, "pc01"},
        {"http://Evil.example:8080/a/b.php?x=1#frag", SCOPE_IOC_URL, "http://evil.example/a/b.php?x=1"},
        {"https://[2001:db8::1]/", SCOPE_IOC_URL, "https://2001:db8::1/"},
        {"0123456789ABCDEF0123456789abcdef", SCOPE_IOC_JA3, "0123456789abcdef0123456789abcdef"},
        {"t13d1516h2_8daaf6152771_e5627efa2ab1", SCOPE_IOC_JA4, "t13d1516h2_8daaf6152771_e5627efa2ab1"},
        {"00-11-22-AA-BB-CC", SCOPE_IOC_DEVICE, "00:11:22:aa:bb:cc"},
        {"PC07", SCOPE_IOC_DEVICE, "PC07"},
        {"device:Taro's iPhone", SCOPE_IOC_DEVICE, "Taro's iPhone"},
        {"#12", SCOPE_IOC_ALERT, "alert:12"},
        {"alert:7", SCOPE_IOC_ALERT, "alert:7"},
        {"", -1, NULL},
        {"1.2.3", -1, NULL},
        {"256.1.1.1", -1, NULL},
        {"1.2.3.4/40", -1, NULL},
        {"a..b", -1, NULL},
        {"http://", -1, NULL},
        {"http://x.example:99999/", -1, NULL},
        {"ftp://x.example/", -1, NULL},
        {"#", -1, NULL},
        {"#0", -1, NULL},
        {"alert:-1", -1, NULL},
        {"ja3:abc", -1, NULL},
        {"ja4:t13d1516h2_8daaf6152771", -1, NULL},
        {"two words", -1, NULL},
        {"evil.example/path", -1, NULL},
        {"bad\x01name", -1, NULL},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct scope_ioc o;
        char err[300] = "";
        int rc = scope_ioc_parse(cases[i].in, &o, err, sizeof(err));
        if (cases[i].kind < 0) {
            if (rc == 0)
                fail_msg("'%s' accepted as %s", cases[i].in, scope_ioc_kind_name(o.kind));
            assert_true(err[0] != '\0' && strchr(err, '\n') == NULL);
            continue;
        }
        if (rc != 0)
            fail_msg("'%s' rejected: %s", cases[i].in, err);
        assert_int_equal(o.kind, cases[i].kind);
        assert_string_equal(o.text, cases[i].text);
    }
    char big[2000];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    struct scope_ioc o;
    char err[300];
    assert_int_equal(scope_ioc_parse(big, &o, err, sizeof(err)), -1);
}

/* ------------------------------------------------------------ a chain */

/* PC1 -> C2, then PC1 -> PC2 (new, SMB), PC2 -> PC3 (new), PC3 -> PC4
 * (new); PC1 also uses FS as always (known path, not followed); PC5 never
 * involved. */
static void test_chain(void **state)
{
    (void)state;
    sqlite3 *db = fresh_store();
    add_device(db, "00:00:00:00:00:01", "PC1", "10.0.0.1");
    add_device(db, "00:00:00:00:00:02", "PC2", "10.0.0.2");
    add_device(db, "00:00:00:00:00:03", "PC3", "10.0.0.3");
    add_device(db, "00:00:00:00:00:04", "PC4", "10.0.0.4");
    add_device(db, "00:00:00:00:00:05", "PC5", "10.0.0.5");
    add_device(db, "00:00:00:00:00:0a", "FS", "10.0.0.10");
    int64_t id = 1;
    add_flow(db, id++, "10.0.0.1", "10.0.0.10", 445, T0 + 10 * SEC, 1000);
    add_flow(db, id++, "10.0.0.5", "10.0.0.10", 445, T0 + 11 * SEC, 1000);
    add_flow(db, id++, "10.0.0.5", "203.0.113.9", 443, T0 + 12 * SEC, 1000);
    add_flow(db, id++, "10.0.0.1", "198.51.100.1", 443, T0 + 100 * SEC, 5000);
    add_flow(db, id++, "10.0.0.1", "10.0.0.10", 445, T0 + 110 * SEC, 1000);
    add_flow(db, id++, "10.0.0.1", "10.0.0.2", 445, T0 + 120 * SEC, 1000);
    add_flow(db, id++, "10.0.0.1", "203.0.113.9", 443, T0 + 125 * SEC, 9000);  /* seen before */
    add_flow(db, id++, "10.0.0.1", "203.0.113.77", 443, T0 + 126 * SEC, 90000); /* new */
    add_flow(db, id++, "10.0.0.2", "10.0.0.3", 3389, T0 + 130 * SEC, 1000);
    add_flow(db, id++, "10.0.0.3", "10.0.0.4", 22, T0 + 140 * SEC, 1000);
    add_flow(db, id++, "10.0.0.2", "10.0.0.4", 445, T0 + 90 * SEC, 1000); /* before 2's start */
    db = reopen(db);
    struct scope_query q;
    for (int hops = 0; hops <= 4; hops++) {
        query_init(&q, "198.51.100.1");
        q.hops = hops;
        struct scope_result r;
        assert_int_equal(scope_run(db, &q, &r), SCOPE_OK);
        assert_int_not_equal(r.patient_zero, (size_t)-1);
        assert_string_equal(r.nodes[r.patient_zero].ip, "10.0.0.1");
        assert_string_equal(r.nodes[r.patient_zero].name, "PC1");
        size_t want = hops == 0 ? 0 : hops == 1 ? 2 : hops == 2 ? 3 : 4;
        assert_int_equal(r.nedges, want);
        for (size_t e = 0; e < r.nedges; e++) {
            const struct scope_edge *ed = &r.edges[e];
            bool fs = strcmp(r.nodes[ed->dst].ip, "10.0.0.10") == 0;
            assert_int_equal(ed->new_path, !fs);
            assert_int_equal(ed->followed, !fs);
        }
        size_t fs = scope_node_find(&r, "10.0.0.10"), pc5 = scope_node_find(&r, "10.0.0.5");
        assert_int_equal(r.nodes[pc5].verdict, SCOPE_CLEAN);
        if (hops)
            assert_int_equal(r.nodes[fs].verdict, SCOPE_EXAMINE);
        size_t pc4 = scope_node_find(&r, "10.0.0.4");
        assert_int_equal(r.nodes[pc4].verdict, hops >= 3 ? SCOPE_ISOLATE : SCOPE_CLEAN);
        assert_int_equal(r.nouts, 1);
        assert_string_equal(r.outs[0].ip, "203.0.113.77");
        json_t *j = scope_to_json(&r);
        assert_int_equal(json_array_size(json_object_get(j, "spread")), want);
        json_decref(j);
        scope_result_free(&r);
    }
    /* the device name and an inside address start at the same place */
    query_init(&q, "PC2");
    q.since_us = T0 + 115 * SEC;
    struct scope_result r;
    assert_int_equal(scope_run(db, &q, &r), SCOPE_OK);
    assert_int_equal(r.nedges, 2); /* 2->3, 3->4; 2->4 was before the start */
    scope_result_free(&r);
    query_init(&q, "NOSUCH");
    assert_int_equal(scope_run(db, &q, &r), SCOPE_ERR_INPUT);
    scope_result_free(&r);
    sqlite3_close(db);
    unlink(dbpath);
}

/* ------------------------------------------------------------ properties */

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(uint64_t n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return n ? rnd_state % n : 0;
}

/* Whether any flow went between a and b (either way) before ts. */
static bool any_before(sqlite3 *db, const char *a, const char *b, uint64_t ts)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT count(*) FROM flows WHERE ((src_ip = ?1 AND dst_ip = ?2) OR"
        " (src_ip = ?2 AND dst_ip = ?1)) AND first_ts < ?3", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)ts);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    bool any = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return any;
}

static bool dest_before(sqlite3 *db, const char *ip, uint64_t ts)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM flows WHERE dst_ip = ?1"
                                            " AND first_ts < ?2", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, ip, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)ts);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    bool any = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return any;
}

static size_t seen_edges, seen_reached, seen_known, seen_outs;

static void check_result(sqlite3 *db, const struct scope_query *q, const struct scope_result *r)
{
    seen_outs += r->nouts;
    uint64_t t1 = q->since_us, t2 = q->until_us ? q->until_us : UINT64_MAX;
    for (size_t i = 0; i < r->nnodes; i++) {
        const struct scope_node *n = &r->nodes[i];
        assert_true(n->hop <= q->hops);
        if (n->exposed) {
            assert_true(n->first_ts >= t1 && n->first_ts <= t2);
            assert_true(n->last_ts >= n->first_ts);
        }
        seen_reached += n->hop > 0;
        if (n->hop > 0) { /* reached: a followed edge of its hop from the hop before */
            bool found = false;
            for (size_t e = 0; e < r->nedges && !found; e++) {
                const struct scope_edge *ed = &r->edges[e];
                found = ed->dst == i && ed->hop == n->hop && ed->followed &&
                        r->nodes[ed->src].hop == n->hop - 1 && ed->first_ts == n->start_ts;
            }
            assert_true(found);
            assert_int_equal(n->verdict, SCOPE_ISOLATE);
        }
    }
    for (size_t e = 0; e < r->nedges; e++) {
        const struct scope_edge *ed = &r->edges[e];
        const struct scope_node *s = &r->nodes[ed->src];
        assert_true(ed->hop >= 1 && ed->hop <= q->hops);
        assert_true(ed->first_ts >= t1 && ed->first_ts <= t2);
        assert_true(ed->last_ts <= t2 + 1000000 || ed->last_ts >= ed->first_ts);
        /* from an exposed device or one reached by the hop before, after its start */
        assert_true((s->hop == 0 && s->exposed && s->connected) || s->hop == ed->hop - 1);
        assert_int_equal(s->hop, ed->hop - 1);
        assert_true(ed->first_ts >= s->start_ts);
        assert_int_equal(ed->new_path,
                         !any_before(db, s->ip, r->nodes[ed->dst].ip, s->start_ts));
        assert_true(ed->src != ed->dst);
        seen_edges++;
        seen_known += !ed->new_path;
    }
    for (size_t o = 0; o < r->nouts; o++) {
        const struct scope_out *x = &r->outs[o];
        const struct scope_node *s = &r->nodes[x->node];
        assert_true(x->first_ts >= s->start_ts && x->first_ts <= t2);
        assert_false(dest_before(db, x->ip, s->start_ts));
        if (o)
            assert_true(r->outs[o - 1].bytes_out >= x->bytes_out);
    }
    if (r->patient_zero != (size_t)-1)
        for (size_t i = 0; i < r->nnodes; i++)
            if (r->nodes[i].exposed && r->nodes[i].connected)
                assert_true(r->nodes[r->patient_zero].first_ts <= r->nodes[i].first_ts);
}

static void test_random_graphs(void **state)
{
    (void)state;
    static const int ports[] = {445, 139, 135, 3389, 5985, 22, 80, 9100, 53, 443};
    for (int round = 0; round < 25; round++) {
        sqlite3 *db = fresh_store();
        unsigned hosts = 3 + (unsigned)rnd(12), nflows = 20 + (unsigned)rnd(300);
        char ip[64][20];
        for (unsigned h = 0; h < hosts; h++) {
            char mac[20], name[16];
            snprintf(ip[h], sizeof(ip[h]), "10.1.0.%u", h + 1);
            snprintf(mac, sizeof(mac), "00:00:00:00:01:%02x", h + 1);
            snprintf(name, sizeof(name), "H%u", h + 1);
            add_device(db, mac, name, ip[h]);
        }
        for (unsigned f = 0; f < nflows; f++) {
            uint64_t ts = T0 + rnd(3600) * SEC;
            const char *src = ip[rnd(hosts)];
            char dst[20];
            uint64_t kind = rnd(10);
            if (kind < 1)
                snprintf(dst, sizeof(dst), "198.51.100.1"); /* the C2 */
            else if (kind < 3)
                snprintf(dst, sizeof(dst), "203.0.113.%u", (unsigned)rnd(20) + 1);
            else
                snprintf(dst, sizeof(dst), "%s", ip[rnd(hosts)]);
            if (strcmp(src, dst) == 0)
                continue;
            add_flow(db, f + 1, src, dst, ports[rnd(ARRAY_SIZE(ports))], ts, rnd(100000));
        }
        db = reopen(db);
        for (int k = 0; k < 4; k++) {
            struct scope_query q;
            query_init(&q, k == 3 ? "198.51.100.0/24" : "198.51.100.1");
            q.hops = (int)rnd(4);
            if (rnd(2))
                q.since_us = T0 + rnd(1800) * SEC;
            if (rnd(2))
                q.until_us = T0 + (1800 + rnd(1800)) * SEC;
            struct scope_result r;
            assert_int_equal(scope_run(db, &q, &r), SCOPE_OK);
            check_result(db, &q, &r);
            /* the output layers take any result */
            json_t *j = scope_to_json(&r);
            assert_non_null(j);
            json_decref(j);
            FILE *devnull = fopen("/dev/null", "w");
            assert_non_null(devnull);
            scope_print_text(&r, devnull);
            fclose(devnull);
            assert_int_equal(scope_write_html(&r, "/dev/null"), 0);
            scope_result_free(&r);
        }
        sqlite3_close(db);
        unlink(dbpath);
    }
    /* the random stores did exercise every case */
    assert_true(seen_edges > 20 && seen_reached > 5 && seen_known > 5 && seen_outs > 5);
}

/* Names and addresses from the store are text a hostile device chose (its
 * DHCP host name): the page escapes them, the JSON carries them as data. */
static void test_hostile_names(void **state)
{
    (void)state;
    sqlite3 *db = fresh_store();
    add_device(db, "00:00:00:00:00:01", "<script>alert(1)</script>", "10.0.0.1");
    add_device(db, "00:00:00:00:00:02", "\"><img src=x onerror=y>", "10.0.0.2");
    add_flow(db, 1, "10.0.0.1", "198.51.100.1", 443, T0 + 10 * SEC, 100);
    add_flow(db, 2, "10.0.0.1", "10.0.0.2", 445, T0 + 20 * SEC, 100);
    add_flow(db, 3, "10.0.0.1", "<b>junk</b>", 445, T0 + 30 * SEC, 100);
    add_flow(db, 4, "not an address", "10.0.0.2", 445, T0 + 30 * SEC, 100);
    db = reopen(db);
    struct scope_query q;
    query_init(&q, "198.51.100.1");
    struct scope_result r;
    assert_int_equal(scope_run(db, &q, &r), SCOPE_OK);
    assert_int_equal(r.nedges, 1);
    char path[64];
    snprintf(path, sizeof(path), "/tmp/test-scope-%d.html", (int)getpid());
    assert_int_equal(scope_write_html(&r, path), 0);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char page[200000];
    size_t n = fread(page, 1, sizeof(page) - 1, f);
    page[n] = '\0';
    fclose(f);
    unlink(path);
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<img"));
    assert_null(strstr(page, "<b>junk"));
    assert_non_null(strstr(page, "&lt;script&gt;"));
    scope_result_free(&r);
    sqlite3_close(db);
    unlink(dbpath);
}

/* IPv6: an address, a network (skip scan over the distinct addresses). */
static void test_ipv6(void **state)
{
    (void)state;
    sqlite3 *db = fresh_store();
    add_device(db, "00:00:00:00:00:01", "PC1", "fd00::1");
    add_device(db, "00:00:00:00:00:02", "PC2", "fd00::2");
    add_flow(db, 1, "fd00::1", "2001:db8:1::5", 443, T0 + 10 * SEC, 100);
    add_flow(db, 2, "2001:db8:1::6", "fd00::2", 22, T0 + 12 * SEC, 100);
    add_flow(db, 3, "fd00::2", "2001:db9::1", 443, T0 + 14 * SEC, 100);
    add_flow(db, 4, "fd00::1", "fd00::2", 445, T0 + 20 * SEC, 100);
    db = reopen(db);
    static const struct {
        const char *ioc;
        size_t exposed, edges;
    } cases[] = {
        {"2001:db8:1::5", 1, 1},
        {"2001:db8::/32", 2, 1},
        {"2001:db9::/32", 1, 0},
        {"2001:dead::/32", 0, 0},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct scope_query q;
        query_init(&q, cases[i].ioc);
        struct scope_result r;
        assert_int_equal(scope_run(db, &q, &r), SCOPE_OK);
        size_t ex = 0;
        for (size_t k = 0; k < r.nnodes; k++)
            ex += r.nodes[k].exposed;
        if (ex != cases[i].exposed || r.nedges != cases[i].edges)
            fail_msg("%s: %zu exposed, %zu edges", cases[i].ioc, ex, r.nedges);
        scope_result_free(&r);
    }
    sqlite3_close(db);
    unlink(dbpath);
}

/* A store with tables but no flows says so. */
static void test_empty_store(void **state)
{
    (void)state;
    sqlite3 *db = reopen(fresh_store());
    struct scope_query q;
    query_init(&q, "198.51.100.1");
    struct scope_result r;
    assert_int_equal(scope_run(db, &q, &r), SCOPE_ERR_EMPTY);
    scope_result_free(&r);
    sqlite3_close(db);
    unlink(dbpath);
}

int main(void)
{
    ui_lang = LANG_EN;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ioc_parse),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_random_graphs),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_empty_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
