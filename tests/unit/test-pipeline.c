/* test-pipeline.c - packets in, flows out: decode + flow table + sinks
 * working together, with a sink that keeps flows in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pipeline.h"
#include "util/util.h"

struct mem_sink {
    struct sink base;
    struct flow flows[64];
    int nflows;
    int commits;
    int started, ended;
    uint64_t end_packets;
};

static int mem_run_start(struct sink *s, const struct run_info *ri)
{
    (void)ri;
    ((struct mem_sink *)s)->started++;
    return 0;
}

static int mem_flow(struct sink *s, const struct flow *f)
{
    struct mem_sink *m = (struct mem_sink *)s;
    if (m->nflows < 64)
        m->flows[m->nflows++] = *f;
    return 0;
}

static int mem_commit(struct sink *s)
{
    ((struct mem_sink *)s)->commits++;
    return 0;
}

static int mem_run_end(struct sink *s, const struct run_stats *rs)
{
    struct mem_sink *m = (struct mem_sink *)s;
    m->ended++;
    m->end_packets = rs->packets;
    return 0;
}

static void mem_close(struct sink *s)
{
    (void)s; /* static storage in the test */
}

static const struct sink_ops mem_ops = {
    .name = "memory",
    .run_start = mem_run_start,
    .flow = mem_flow,
    .commit = mem_commit,
    .run_end = mem_run_end,
    .close = mem_close,
};

static struct mem_sink msink;

/* Builds Ethernet + IPv4 + TCP (no options) from a to b; returns length. */
static uint32_t tcp_frame(uint8_t *f, const uint8_t src[4], const uint8_t dst[4], uint16_t sport,
                          uint16_t dport, uint8_t flags, uint32_t payload)
{
    memset(f, 0, 14 + 20 + 20 + payload);
    /* Ethernet: dst MAC, src MAC, type 0x0800 */
    const uint8_t dmac[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
    const uint8_t smac[6] = {0x00, 0x66, 0x77, 0x88, 0x99, 0xaa};
    memcpy(f, dmac, 6);
    memcpy(f + 6, smac, 6);
    f[12] = 0x08;
    f[13] = 0x00;
    uint8_t *ip = f + 14;
    uint16_t tot = (uint16_t)(20 + 20 + payload);
    ip[0] = 0x45;                /* version 4, IHL 5 */
    ip[2] = (uint8_t)(tot >> 8); /* total length */
    ip[3] = (uint8_t)tot;
    ip[8] = 64;                  /* TTL */
    ip[9] = 6;                   /* TCP */
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    uint8_t *tcp = ip + 20;
    tcp[0] = (uint8_t)(sport >> 8);
    tcp[1] = (uint8_t)sport;
    tcp[2] = (uint8_t)(dport >> 8);
    tcp[3] = (uint8_t)dport;
    tcp[12] = 5 << 4;            /* data offset 5 words */
    tcp[13] = flags;
    tcp[14] = 0xff;              /* window */
    return 14 + tot;
}

static void feed(struct pipeline *p, uint8_t *frame, uint32_t len, uint64_t ts)
{
    struct packet pkt;
    memset(&pkt, 0, sizeof(pkt));
    pkt.ts_us = ts;
    pkt.caplen = pkt.wirelen = len;
    pkt.linktype = 1;
    pkt.data = frame;
    assert_int_equal(pipeline_packet(p, &pkt), 0);
}

static void test_one_tcp_connection(void **state)
{
    (void)state;
    struct mamori_config cfg;
    config_defaults(&cfg);
    struct pipeline p;
    pipeline_init(&p, &cfg);
    memset(&msink, 0, sizeof(msink));
    msink.base.ops = &mem_ops;
    pipeline_add_sink(&p, &msink.base);
    struct run_info ri = {.command = "test", .source = "mem", .version = "0"};
    assert_int_equal(pipeline_run_start(&p, &ri), 0);

    const uint8_t c[4] = {192, 168, 10, 21}, s[4] = {203, 0, 113, 5};
    uint8_t f[1600];
    uint64_t t = 1700000000000000ull;
    uint32_t n;
    n = tcp_frame(f, c, s, 50000, 443, 0x02, 0); /* SYN */
    feed(&p, f, n, t);
    n = tcp_frame(f, s, c, 443, 50000, 0x12, 0); /* SYN+ACK */
    feed(&p, f, n, t + 1000);
    n = tcp_frame(f, c, s, 50000, 443, 0x10, 0); /* ACK */
    feed(&p, f, n, t + 2000);
    n = tcp_frame(f, c, s, 50000, 443, 0x18, 100); /* data */
    feed(&p, f, n, t + 3000);
    n = tcp_frame(f, s, c, 443, 50000, 0x18, 1000); /* data back */
    feed(&p, f, n, t + 4000);
    assert_int_equal(pipeline_finish(&p), 0);

    assert_int_equal(msink.started, 1);
    assert_int_equal(msink.ended, 1);
    assert_int_equal(msink.end_packets, 5);
    assert_int_equal(msink.nflows, 1);
    const struct flow *fl = &msink.flows[0];
    assert_int_equal(fl->pkts[0], 3);
    assert_int_equal(fl->pkts[1], 2);
    assert_int_equal(fl->bytes[0], 54 + 54 + 154);
    assert_int_equal(fl->bytes[1], 54 + 1054);
    assert_int_equal(fl->sport, 50000);
    assert_int_equal(fl->dport, 443);
    assert_int_equal(fl->src.b[12], 192);
    assert_int_equal(fl->end_reason, FLOW_END_CAPTURE_END);
    assert_true(msink.commits >= 1);
    pipeline_release(&p);
}

/* A frame whose headers promise more than the frame holds (captured whole,
 * so not a snaplen cut) counts as a packet and a decode error; nothing
 * crashes at any cut. Snaplen cuts (caplen < wirelen) are not errors. */
static void test_truncated_frame(void **state)
{
    (void)state;
    struct mamori_config cfg;
    config_defaults(&cfg);
    struct pipeline p;
    pipeline_init(&p, &cfg);
    const uint8_t c[4] = {10, 0, 0, 1}, s[4] = {10, 0, 0, 2};
    uint8_t f[1600];
    uint32_t n = tcp_frame(f, c, s, 1, 2, 0x02, 0);
    for (uint32_t cut = 0; cut <= n; cut++) {
        struct packet pkt;
        memset(&pkt, 0, sizeof(pkt));
        pkt.ts_us = 1000000u + cut;
        pkt.caplen = cut;
        pkt.wirelen = cut;
        pkt.linktype = 1;
        pkt.data = f;
        assert_int_equal(pipeline_packet(&p, &pkt), 0);
    }
    assert_int_equal(p.packets, n + 1);
    assert_true(p.decode_errors > 0);
    assert_int_equal(pipeline_finish(&p), 0);
    pipeline_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_tcp_connection),
        cmocka_unit_test(test_truncated_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
